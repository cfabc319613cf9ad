"""A deliberately broken worker for fault tests. It speaks just enough of the protocol (docs/worker-protocol.md) to
get a session going, then misbehaves as PYREPL_FAKE_FAULT says:

  crash_at_start    writes to stderr and exits 3 before `ready`
  hang_at_start     never sends `ready`
  crash_mid_output  on execute: sends some output, then os._exit(7)
  garbage           on execute: writes a line that is not JSON on the event channel
  invalid_message   on execute: writes JSON that is not a protocol message
  no_heartbeat      ready, then never answers anything (a wedged worker)
  stubborn          ready, then ignores every command, EOF and SIGTERM: only SIGKILL ends it
"""
import json
import os
import sys
import time

fault = os.environ.get("PYREPL_FAKE_FAULT", "")
cmd = os.fdopen(int(os.environ["PYREPL_CMD_FD"]), "rb", buffering=0)
evt_fd = int(os.environ["PYREPL_EVT_FD"])


def send(obj):
    os.write(evt_fd, (json.dumps(obj) + "\n").encode())


if fault == "crash_at_start":
    sys.stderr.write("broken_worker: crashing at start on purpose\n")
    sys.stderr.flush()
    os._exit(3)
if fault == "hang_at_start":
    time.sleep(3600)
if fault == "stubborn":
    import signal
    signal.signal(signal.SIGTERM, signal.SIG_IGN)

send({"type": "ready", "protocol": 1, "pid": os.getpid(), "python_version": "3.x", "implementation": "fake",
      "executable": sys.executable})

buf = b""
while True:
    chunk = cmd.read(65536)
    if not chunk:
        if fault == "stubborn":
            time.sleep(3600)
        os._exit(0)
    buf += chunk
    while b"\n" in buf:
        line, buf = buf.split(b"\n", 1)
        msg = json.loads(line)
        if fault in ("no_heartbeat", "stubborn"):
            continue
        if msg["type"] == "shutdown":
            os._exit(0)
        if msg["type"] == "heartbeat":
            send({"type": "heartbeat_reply", "request_id": msg["request_id"]})
        elif msg["type"] == "execute":
            eid = msg["execution_id"]
            if fault == "crash_mid_output":
                send({"type": "output", "execution_id": eid, "stream": "stdout", "data": "partial output\n"})
                os._exit(7)
            elif fault == "garbage":
                os.write(evt_fd, b"\x00\x01 this is not json\n")
            elif fault == "invalid_message":
                send({"type": "result", "execution_id": eid})
            else:
                send({"type": "execute_reply", "execution_id": eid, "status": "ok", "execution_count": 1,
                      "execution_time": 0.0})
