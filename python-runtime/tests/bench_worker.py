"""Measure the worker against a bare `python -u -c` JSON-lines loop (the pipe floor).

Run: python3 python-runtime/tests/bench_worker.py [python executable]
Not a unit test (no test_ prefix): prints numbers, asserts nothing. The floor
loop is the one of shared/bench-anchors/floor_bench.mjs; both sides are
driven by the same Python client code, so client overhead cancels out.
Pin with `taskset -c 0` to take CPU placement noise out of the round trips.
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

PY = sys.argv[1] if len(sys.argv) > 1 else '/usr/bin/python3.11'
FLOOR = r"""
import sys, json, builtins
_i, _o = sys.stdin, sys.stdout
def _input(prompt=''):
    _o.write('\x00' + json.dumps({'t': 'input', 'prompt': str(prompt)}) + '\n'); _o.flush()
    return json.loads(_i.readline())['value']
builtins.input = _input
g = {'__name__': '__main__', '__builtins__': builtins}
while True:
    line = _i.readline()
    if not line:
        break
    m = json.loads(line)
    r = {'t': 'result', 'id': m['id'], 'ok': True}
    try:
        try:
            co = compile(m['code'], '<cell>', 'eval')
        except SyntaxError:
            co = None
        if co is not None:
            v = eval(co, g)
            r['value'] = None if v is None else repr(v)
        else:
            exec(compile(m['code'], '<cell>', 'exec'), g)
    except BaseException as e:
        r['ok'] = False; r['error'] = repr(e)
    _o.flush()
    _o.write('\x00' + json.dumps(r) + '\n'); _o.flush()
"""
STREAM = "import sys\nfor i in range(200000): sys.stdout.write('x'*99+'\\n')"
PRINTS = "import sys\nfor i in range(200000): print('x'*99)"


class Floor(object):
    def __init__(self, buffered=False):
        cmd_r, self.cmd = os.pipe()
        self.evt, evt_w = os.pipe()
        env = dict(os.environ)
        env.pop('PYTHONUNBUFFERED', None)
        args = [PY] + ([] if buffered else ['-u']) + ['-c', FLOOR]
        self.proc = subprocess.Popen(args, stdin=cmd_r, stdout=evt_w, env=env,
                                     preexec_fn=lambda: None, start_new_session=True)
        os.close(cmd_r)
        os.close(evt_w)

    def close(self):
        os.close(self.cmd)
        self.proc.wait()
        os.close(self.evt)


def _exchange(cmd, evt, line, marker, on_data=None):
    os.write(cmd, line)
    buf = b''
    while marker not in buf:
        select.select([evt], [], [], 30)
        chunk = os.read(evt, 1 << 20)
        if on_data:
            on_data(chunk)
        buf = buf[-64:] + chunk
    return buf


def _line(code, worker):
    if worker:
        return (json.dumps({'type': 'execute', 'execution_id': 'x', 'code': code,
                            'transaction_policy': 'commit_always', 'output_limit': None})
                + '\n').encode()
    return (json.dumps({'id': 1, 'code': code}) + '\n').encode()


MARK_W = b'execute_reply'
MARK_F = b'"t": "result"'


def rss_kb(pid):
    with open('/proc/%d/status' % pid) as f:
        for line in f:
            if line.startswith('VmRSS:'):
                return int(line.split()[1])


def cold_start(n=15):
    floor, ours = [], []
    for _ in range(n):
        t = time.perf_counter()
        f = Floor()
        _exchange(f.cmd, f.evt, _line('1', False), MARK_F)
        floor.append(time.perf_counter() - t)
        f.close()
        t = time.perf_counter()
        w = Worker(python=PY)
        _exchange(w.cmd, w.evt, _line('1', True), MARK_W)
        ours.append(time.perf_counter() - t)
        w.close()
    return statistics.median(floor), statistics.median(ours)


def idle_rss():
    f = Floor()
    _exchange(f.cmd, f.evt, _line('1', False), MARK_F)
    w = Worker(python=PY)
    _exchange(w.cmd, w.evt, _line('1', True), MARK_W)
    time.sleep(1.5)
    out = rss_kb(f.proc.pid), rss_kb(w.proc.pid)
    f.close()
    w.close()
    return out


def round_trips(rounds=10, n=300):
    """Per-request samples, alternating sides every n; returns (floor p50, worker p50)."""
    f = Floor()
    w = Worker(python=PY)
    lf, lw = _line('1+1', False), _line('1+1', True)
    for _ in range(20):
        _exchange(w.cmd, w.evt, lw, MARK_W)
        _exchange(f.cmd, f.evt, lf, MARK_F)
    floor, ours = [], []
    for _ in range(rounds):
        for cmd, evt, line, mark, out in ((w.cmd, w.evt, lw, MARK_W, ours),
                                          (f.cmd, f.evt, lf, MARK_F, floor)):
            for _ in range(n):
                t = time.perf_counter()
                _exchange(cmd, evt, line, mark)
                out.append(time.perf_counter() - t)
    f.close()
    w.close()
    return statistics.median(floor), statistics.median(ours)


def input_round_trip(n=200):
    w = Worker(python=PY)
    line = _line("x = input('p')", True)
    times = []
    for _ in range(n):
        t = time.perf_counter()
        buf = _exchange(w.cmd, w.evt, line, b'"type":"input_request"')
        while b'\n' not in buf.split(b'"type":"input_request"', 1)[1]:
            buf += os.read(w.evt, 65536)
        token = json.loads(buf[buf.rfind(b'{', 0, buf.find(b'"type":"input_request"')):]
                           .split(b'\n', 1)[0])['token']
        _exchange(w.cmd, w.evt, (json.dumps({'type': 'input_response', 'request_id': 'r',
                                             'token': token, 'data': 'v'}) + '\n').encode(),
                  MARK_W)
        times.append(time.perf_counter() - t)
    w.close()
    return statistics.median(times)


def throughput(code, reps=3):
    w = Worker(python=PY)
    best = None
    for _ in range(reps):
        got = [0]

        def count(chunk):
            got[0] += chunk.count(b'x')
        t = time.perf_counter()
        _exchange(w.cmd, w.evt, _line(code, True), MARK_W, count)
        dt = time.perf_counter() - t
        assert got[0] >= 19800000, got[0]
        best = dt if best is None else min(best, dt)
    w.close()
    f = Floor(buffered=True)
    t = time.perf_counter()
    _exchange(f.cmd, f.evt, _line(code.replace('range(200000)', 'range(200000)'), False), MARK_F)
    floor = time.perf_counter() - t
    f.close()
    return 20.0 / best, 20.0 / floor


def print_latency(n=20):
    w = Worker(python=PY)
    code = "import time\nfor i in range(%d):\n    print('T%%.6f' %% time.time())\n    time.sleep(0.05)" % n
    os.write(w.cmd, _line(code, True))
    lat = []
    buf = b''
    while len(lat) < n:
        select.select([w.evt], [], [], 10)
        chunk = os.read(w.evt, 65536)
        now = time.time()
        buf += chunk
        while b'\n' in buf:
            line, rest = buf.split(b'\n', 1)
            ev = json.loads(line)
            if ev['type'] == 'output':
                # A header line; its raw payload follows (docs/worker-protocol.md).
                if len(rest) < ev['bytes']:
                    break
                data, buf = rest[:ev['bytes']], rest[ev['bytes']:]
                for part in data.decode().split():
                    lat.append(now - float(part[1:]))
            else:
                buf = rest
    _exchange(w.cmd, w.evt, b'', MARK_W) if MARK_W not in buf else None
    w.close()
    return statistics.median(lat), max(lat)


def main():
    print('python:', PY)
    f, o = cold_start()
    print('a. cold start (spawn -> result of 1): floor %.1f ms, worker %.1f ms (x%.2f)'
          % (f * 1e3, o * 1e3, o / f))
    f, o = round_trips()
    print('b. 1+1 round trip, p50: floor %.1f us, worker %.1f us (+%.1f us)'
          % (f * 1e6, o * 1e6, (o - f) * 1e6))
    ours, floor = throughput(STREAM)
    print('c. 20 MB via sys.stdout.write: worker %.0f MB/s (floor, block-buffered: %.0f MB/s)'
          % (ours, floor))
    ours, floor = throughput(PRINTS)
    print('c. 20 MB via print(): worker %.0f MB/s (floor, block-buffered: %.0f MB/s)' % (ours, floor))
    print('d. input() round trip: worker %.1f us' % (input_round_trip() * 1e6))
    f, o = idle_rss()
    print('e. idle VmRSS 1.5 s after the first execute: floor %d kB, worker %d kB (x%.2f)'
          % (f, o, float(o) / f))
    med, worst = print_latency()
    print('g. print() -> reader latency: median %.2f ms, max %.2f ms' % (med * 1e3, worst * 1e3))


if __name__ == '__main__':
    main()
