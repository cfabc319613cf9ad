#!/usr/bin/env python3
"""Drive PyREPL3 over REST with nothing but the standard library (urllib).

    npx pyrepl serve &                 # in another terminal
    python3 examples/rest_urllib.py    # finds the server with `npx pyrepl info --json`

Or pass them yourself: PYREPL_URL=http://127.0.0.1:8080 PYREPL_TOKEN=... python3 examples/rest_urllib.py

It creates a session, runs code that reads stdin lines, starts an async job and answers its input() request,
runs a one-shot execution, and closes the session.
"""
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request


def find_server():
    """URL and token: from the environment, else from the running server's runtime file."""
    if os.environ.get("PYREPL_URL") and os.environ.get("PYREPL_TOKEN"):
        return os.environ["PYREPL_URL"], os.environ["PYREPL_TOKEN"]
    out = subprocess.run(["npx", "--no-install", "pyrepl", "info", "--json"],
                         check=True, capture_output=True, text=True).stdout
    newest = json.loads(out)[0]
    return newest["url"], newest["token"]


URL, TOKEN = find_server()


class ApiError(Exception):
    """The API's error body: {"error": {"code": ..., "message": ...}}; branch on .code (docs/errors.md)."""

    def __init__(self, status, body):
        error = body.get("error", {})
        super().__init__(f"{status} {error.get('code')}: {error.get('message')}")
        self.status, self.code = status, error.get("code")


def call(method, path, body=None):
    """One request; returns the parsed JSON answer or raises ApiError."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(URL + path, data=data, method=method)
    request.add_header("Authorization", "Bearer " + TOKEN)
    if data is not None:
        request.add_header("Content-Type", "application/json")  # anything else is refused (415)
    try:
        # No timeout on purpose: a synchronous execute answers when the code has finished.
        with urllib.request.urlopen(request) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as err:
        raise ApiError(err.code, json.loads(err.read() or b"{}")) from None


def wait_for(job_id, ready):
    """Polls a job until ready(job) holds (a few seconds at most)."""
    for _ in range(500):
        job = call("GET", f"/jobs/{job_id}")
        if ready(job):
            return job
        time.sleep(0.02)
    raise TimeoutError(f"job {job_id} did not get there")


def main():
    session = call("POST", "/sessions")
    sid = session["session_id"]
    print("session", sid, "python", session["python_version"])

    # Synchronous: stdin lines answer input() in order; once they run out, input() raises EOFError.
    run = call("POST", f"/sessions/{sid}/execute", {
        "code": "a = int(input('a? '))\nb = int(input('b? '))\nprint('sum:', a + b)\na * b",
        "stdin": ["6", "7"],
    })
    print("stdout:", repr(run["stdout"]), "result:", run["result"]["repr"])

    # The namespace persists between executions of a session.
    print("a * b again:", call("POST", f"/sessions/{sid}/execute", {"code": "a * b"})["result"]["repr"])

    # Errors in the code are not API errors: status "error" with the exception.
    failed = call("POST", f"/sessions/{sid}/execute", {"code": "1 / 0"})
    print("status:", failed["status"], "->", failed["error"]["exception"])

    # Async job: 202 at once; poll it; its input() waits until answered with the request's token.
    job = call("POST", f"/sessions/{sid}/jobs", {"code": "name = input('name? ')\nprint('hello,', name)"})
    waiting = wait_for(job["job_id"], lambda j: j["pending_input"] is not None)
    print("job asks:", repr(waiting["pending_input"]["prompt"]))
    call("POST", f"/jobs/{job['job_id']}/input", {"token": waiting["pending_input"]["token"], "data": "Grace"})
    done = wait_for(job["job_id"], lambda j: j["state"] == "finished")
    print("job printed:", repr(done["response"]["stdout"]))

    # One-shot: a fresh session just for this call, destroyed afterwards.
    once = call("POST", "/execute", {"code": "import platform\nplatform.python_version()"})
    print("one-shot result:", once["result"]["repr"])

    call("DELETE", f"/sessions/{sid}")
    try:
        call("GET", f"/sessions/{sid}")
    except ApiError as err:
        print("after close:", err.code)


if __name__ == "__main__":
    try:
        main()
    except ApiError as err:
        sys.exit(f"API error: {err}")
