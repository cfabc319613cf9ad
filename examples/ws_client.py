#!/usr/bin/env python3
"""A PyREPL3 WebSocket client in Python, with aiohttp.

aiohttp is not in the standard library: on Debian/Ubuntu it is the python3-aiohttp package
(`apt-get install python3-aiohttp`, then run this with /usr/bin/python3), elsewhere `pip install aiohttp`.

    npx pyrepl serve &               # in another terminal
    python3 examples/ws_client.py    # finds the server with `npx pyrepl info --json`

It opens /ws (a new session), runs code that asks for input and answers it, asks for completions, drops the
connection and resumes it with last_seq (nothing is replayed twice), then closes the session.
"""
import asyncio
import json
import os
import subprocess

import aiohttp


def find_server():
    if os.environ.get("PYREPL_URL") and os.environ.get("PYREPL_TOKEN"):
        return os.environ["PYREPL_URL"], os.environ["PYREPL_TOKEN"]
    out = subprocess.run(["npx", "--no-install", "pyrepl", "info", "--json"],
                         check=True, capture_output=True, text=True).stdout
    newest = json.loads(out)[0]
    return newest["url"], newest["token"]


async def run_until_reply(ws, code, answers):
    """Sends an execute and prints its events until its execute_reply; answers input() from `answers`."""
    await ws.send_json({"type": "execute", "code": code, "request_id": "run-1"})
    async for frame in ws:
        msg = json.loads(frame.data)
        kind = msg["type"]
        if kind == "output":
            print(f"  [{msg['stream']}] {msg['data']!r}")
        elif kind == "input_request":
            answer = answers.pop(0)
            print(f"  input_request {msg['prompt']!r} -> answering {answer!r}")
            # Only the request's own token answers it: a stale or invented one gets request_error.
            await ws.send_json({"type": "input_response", "token": msg["token"], "data": answer})
        elif kind == "result":
            print("  result:", msg["repr"])
        elif kind == "error":
            print("  error:", msg["exception"], msg["message"])
        elif kind == "request_error":
            raise RuntimeError(msg["error"])
        elif kind == "execute_reply":
            # One execution at a time here, so its reply ends it. (Its execute_accepted, which carries the
            # execution_id, can arrive after the execution's first events: match on ids only after both.)
            return msg["seq"]


async def main():
    url, token = find_server()
    ws_url = url.replace("http", "ws", 1) + "/ws"
    # Auth by header; a browser would send {"type": "auth", "token": ...} as its first message instead.
    headers = {"Authorization": "Bearer " + token}
    async with aiohttp.ClientSession() as http:
        async with http.ws_connect(ws_url, headers=headers) as ws:
            hello = await ws.receive_json()
            session_id = hello["session_id"]
            print(f"{hello['type']}: {session_id} (python {hello['python_version']})")
            last_seq = await run_until_reply(
                ws, "name = input('name? ')\nprint('hello,', name)\nlen(name)", ["Ada"])
            await ws.send_json({"type": "complete", "code": "name.up", "request_id": "c-1"})
            while True:
                msg = await ws.receive_json()
                if msg["type"] == "complete_reply":
                    print("completions of 'name.up':", msg["matches"])
                    break
                last_seq = msg.get("seq", last_seq)  # an event (e.g. the final status) still on its way
        print("disconnected after seq", last_seq, "- the session lives on")

        # Resume: only events after last_seq are replayed; session_attached says from where.
        resume = f"{ws_url}?session_id={session_id}&last_seq={last_seq}"
        async with http.ws_connect(resume, headers=headers) as ws:
            attached = await ws.receive_json()
            print(f"{attached['type']}: state {attached['state']}, replay_from {attached['replay_from']}")
            await run_until_reply(ws, "name * 2", [])
            await ws.send_json({"type": "close_session"})
            async for frame in ws:
                msg = json.loads(frame.data)
                if msg["type"] == "session_closed":
                    print("session_closed:", msg["reason"])
            print("socket closed with code", ws.close_code)  # 4000: the session was closed


if __name__ == "__main__":
    asyncio.run(main())
