"""Measure the worker against a bare `python -c` JSON-lines loop.

Run: python3 python-runtime/tests/bench_worker.py [python executable]
Not a unit test (no test_ prefix): numbers, not assertions.
"""
import json
import os
import select
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from tests.harness import Worker  # noqa: E402

PY = sys.argv[1] if len(sys.argv) > 1 else sys.executable
BARE = ("import sys,json\n"
        "for line in sys.stdin:\n"
        "    m=json.loads(line)\n"
        "    r=eval(m['code'])\n"
        "    sys.stdout.write(json.dumps({'type':'result','repr':repr(r)})+'\\n')\n"
        "    sys.stdout.flush()\n")


class Bare(object):
    """The baseline: a plain JSON-lines loop, spawned and read the same way as the worker."""

    def __init__(self):
        cmd_r, self.cmd = os.pipe()
        self.evt, evt_w = os.pipe()
        self.proc = subprocess.Popen([PY, '-c', BARE], stdin=cmd_r, stdout=evt_w,
                                     preexec_fn=lambda: None, start_new_session=True)
        os.close(cmd_r)
        os.close(evt_w)
        self.buf = b''

    def run(self, code):
        os.write(self.cmd, (json.dumps({'code': code}) + '\n').encode())
        while b'\n' not in self.buf:
            select.select([self.evt], [], [], 10)
            self.buf += os.read(self.evt, 65536)
        line, self.buf = self.buf.split(b'\n', 1)
        return json.loads(line)

    def close(self):
        os.close(self.cmd)
        self.proc.wait()
        os.close(self.evt)


def rss_kb(pid):
    with open('/proc/%d/status' % pid) as f:
        for line in f:
            if line.startswith('VmRSS:'):
                return int(line.split()[1])


def cold_start(n=30):
    bare, ours = [], []
    for _ in range(n):
        t = time.perf_counter()
        b = Bare()
        b.run('1')
        bare.append(time.perf_counter() - t)
        b.close()
        t = time.perf_counter()
        w = Worker(python=PY)
        w.execute('1')
        ours.append(time.perf_counter() - t)
        w.close()
    return statistics.median(bare), statistics.median(ours)


def idle_rss():
    b = Bare()
    b.run('1')
    time.sleep(0.2)
    bare = rss_kb(b.proc.pid)
    plain = subprocess.Popen([PY, '-c', 'import sys; sys.stdin.read()'], stdin=subprocess.PIPE)
    time.sleep(0.3)
    plain_rss = rss_kb(plain.pid)
    plain.stdin.close()
    plain.wait()
    b.close()
    w = Worker(python=PY)
    w.execute('1')
    time.sleep(0.2)
    ours = rss_kb(w.proc.pid)
    w.close()
    return plain_rss, bare, ours


def _raw_round_trips(cmd, evt, line, marker, n):
    buf = b''
    t = time.perf_counter()
    for _ in range(n):
        os.write(cmd, line)
        while marker not in buf:
            select.select([evt], [], [], 10)
            buf += os.read(evt, 65536)
        buf = b''
    return (time.perf_counter() - t) / n


def round_trip(batches=15, n=500):
    """Same client code for both: write one line, read until the reply line."""
    w = Worker(python=PY)
    b = Bare()
    line_w = (b'{"type":"execute","execution_id":"x","code":"1+1",'
              b'"transaction_policy":"commit_always"}\n')
    ours, bare = [], []
    for _ in range(batches):
        ours.append(_raw_round_trips(w.cmd, w.evt, line_w, b'execute_reply', n))
        bare.append(_raw_round_trips(b.cmd, b.evt, b'{"code":"1+1"}\n', b'\n', n))
    w.close()
    b.close()
    return statistics.median(bare), statistics.median(ours), min(bare), min(ours)


def throughput():
    w = Worker(python=PY)
    code = "for i in range(200000): print('x' * 99)"
    results = []
    for _ in range(3):
        t = time.perf_counter()
        eid = w.start(code)
        nbytes = 0
        while True:
            ev = w.recv(timeout=60)
            if ev['type'] == 'output':
                nbytes += len(ev['data'])
            if ev.get('type') == 'execute_reply' and ev['execution_id'] == eid:
                break
        dt = time.perf_counter() - t
        results.append((nbytes, dt))
    w.close()
    nbytes, dt = min(results, key=lambda r: r[1])
    return nbytes, dt


def latency(n=20):
    w = Worker(python=PY)
    w.execute('import time')
    lat = []
    for _ in range(n):
        t = time.perf_counter()
        eid = w.start("print('tick'); time.sleep(0.05)")
        ev = w.recv(timeout=5)
        first = time.perf_counter() - t
        assert ev['type'] == 'output', ev
        lat.append(first)
        w.finish(eid)
    # Baseline: how long does an execute take to reach user code? Use an
    # explicit flush, whose event is sent synchronously.
    base = []
    for _ in range(n):
        t = time.perf_counter()
        eid = w.start("print('tick', flush=True); time.sleep(0.05)")
        w.recv(timeout=5)
        base.append(time.perf_counter() - t)
        w.finish(eid)
    w.close()
    return statistics.median(lat), statistics.median(base)


def main():
    print('python:', PY)
    b, o = cold_start()
    print('cold start (spawn -> first result of 1): bare %.1f ms, worker %.1f ms (x%.2f)'
          % (b * 1e3, o * 1e3, o / b))
    p, b, o = idle_rss()
    print('idle RSS: plain python %d kB, bare loop %d kB, worker %d kB (x%.2f of plain, x%.2f of bare loop)'
          % (p, b, o, o / p, o / b))
    b, o, bmin, omin = round_trip()
    print('1+1 round trip (median of batch means): bare %.1f us, worker %.1f us (+%.1f us); '
          'best batch: bare %.1f us, worker %.1f us' % (b * 1e6, o * 1e6, (o - b) * 1e6,
                                                       bmin * 1e6, omin * 1e6))
    nbytes, dt = throughput()
    print('print throughput: %.1f MB in %.1f ms = %.0f MB/s' % (nbytes / 1e6, dt * 1e3, nbytes / dt / 1e6))
    lat, base = latency()
    print('print-then-sleep latency: %.2f ms to first output (flush=True: %.2f ms)'
          % (lat * 1e3, base * 1e3))


if __name__ == '__main__':
    main()
