"""Spawns the worker exactly as Node does and talks to it over fd 3/4."""
import codecs
import json
import os
import select
import socket
import subprocess
import sys
import time
import unittest

RUNTIME = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BOOTSTRAP = ('import sys;sys.path.insert(0,sys.argv[1]);'
             'import pyrepl_worker.main as m;m.main()')
PYTHON = os.environ.get('PYREPL_TEST_PYTHON', sys.executable)


def _socketpair_fds():
    a, b = socket.socketpair()
    fds = (a.detach(), b.detach())
    for fd in fds:
        os.set_inheritable(fd, False)
    return fds


class WorkerError(AssertionError):
    pass


class Worker(object):
    def __init__(self, env=None, python=None, transport='pipe'):
        # Node's spawn() stdio 'pipe' entries are socketpairs; plain pipes are
        # what other launchers use. The worker must work with both.
        if transport == 'socket':
            cmd_r, cmd_w = _socketpair_fds()
            evt_r, evt_w = _socketpair_fds()
        else:
            cmd_r, cmd_w = os.pipe()
            evt_r, evt_w = os.pipe()

        def child_fds():
            # fd 3 = commands, fd 4 = events, as Node's spawn stdio array does.
            os.dup2(cmd_r, 3)
            os.dup2(evt_w, 4)

        full_env = dict(os.environ)
        full_env.update({'PYREPL_CMD_FD': '3', 'PYREPL_EVT_FD': '4'})
        full_env.update(env or {})
        self.proc = subprocess.Popen(
            [python or PYTHON, '-c', BOOTSTRAP, RUNTIME],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            pass_fds=(3, 4, cmd_r, evt_w), preexec_fn=child_fds, start_new_session=True,
            env=full_env)
        os.close(cmd_r)
        os.close(evt_w)
        self.cmd = cmd_w
        self.evt = evt_r
        self.buf = b''
        self.backlog = []
        self.decoders = {}
        self.counter = 0
        self.ready = self.recv(timeout=10)
        if self.ready.get('type') != 'ready':
            raise WorkerError('expected ready, got %r' % (self.ready,))

    # -- transport ---------------------------------------------------------
    def send(self, msg):
        data = (json.dumps(msg) + '\n').encode()
        while data:
            n = os.write(self.cmd, data)
            data = data[n:]

    def send_raw(self, data):
        os.write(self.cmd, data)

    def _read_line(self, deadline):
        while b'\n' not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            r, _, _ = select.select([self.evt], [], [], left)
            if not r:
                return None
            chunk = os.read(self.evt, 1 << 20)
            if not chunk:
                raise EOFError('event pipe closed')
            self.buf += chunk
        line, self.buf = self.buf.split(b'\n', 1)
        return line

    def _read_bytes(self, n, deadline):
        while len(self.buf) < n:
            left = deadline - time.monotonic()
            r, _, _ = select.select([self.evt], [], [], max(left, 0))
            if not r:
                raise WorkerError('output payload of %d bytes did not arrive' % n)
            chunk = os.read(self.evt, 1 << 20)
            if not chunk:
                raise EOFError('event pipe closed')
            self.buf += chunk
        payload, self.buf = self.buf[:n], self.buf[n:]
        return payload

    def recv(self, timeout=10.0, raw=False):
        if self.backlog:
            return self.backlog.pop(0)
        deadline = time.monotonic() + timeout
        line = self._read_line(deadline)
        if line is None:
            raise WorkerError('no event within %.1fs' % timeout)
        if raw:
            return line
        msg = json.loads(line)
        if msg.get('type') == 'output' and 'bytes' in msg:
            # A binary output frame: the raw bytes follow the header line (docs/worker-protocol.md).
            payload = self._read_bytes(msg.pop('bytes'), deadline)
            decoder = self.decoders.setdefault(msg['stream'], codecs.getincrementaldecoder('utf-8')('replace'))
            msg['data'] = decoder.decode(payload)
        return msg

    def recv_until(self, pred, timeout=10.0):
        """Events up to and including the first one matching pred."""
        deadline = time.monotonic() + timeout
        out = []
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise WorkerError('timed out; got %r' % (out,))
            ev = self.recv(timeout=left)
            out.append(ev)
            if pred(ev):
                return out

    # -- commands ----------------------------------------------------------
    def next_id(self, prefix):
        self.counter += 1
        return '%s-%d' % (prefix, self.counter)

    def start(self, code, policy='commit_always', output_limit=None, eid=None, time_limit=None):
        eid = eid or self.next_id('e')
        msg = {'type': 'execute', 'execution_id': eid, 'code': code,
               'transaction_policy': policy, 'output_limit': output_limit}
        if time_limit is not None:
            msg['timeout'] = time_limit
        self.send(msg)
        return eid

    def execute(self, code, timeout=10.0, **kw):
        eid = self.start(code, **kw)
        return self.finish(eid, timeout)

    def finish(self, eid, timeout=10.0):
        return self.recv_until(lambda e: e.get('execution_id') == eid and
                               e['type'] in ('execute_reply', 'exit'), timeout)

    def request(self, kind, timeout=10.0, **fields):
        rid = self.next_id(kind)
        msg = {'type': kind, 'request_id': rid}
        msg.update(fields)
        self.send(msg)
        events = self.recv_until(lambda e: e.get('request_id') == rid, timeout)
        self.backlog.extend(events[:-1])
        return events[-1]

    def close(self):
        try:
            os.close(self.cmd)
        except OSError:
            pass
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self.evt)
        self.proc.stdout.close()
        self.proc.stderr.close()


def output_text(events, stream=None):
    return ''.join(e['data'] for e in events if e['type'] == 'output' and
                   (stream is None or e['stream'] == stream))


def by_type(events, kind):
    return [e for e in events if e['type'] == kind]


def results(events):
    return [e for e in events if e['type'] == 'result']


def reply(events):
    replies = [e for e in events if e['type'] == 'execute_reply']
    assert len(replies) == 1, events
    return replies[0]


def error(events):
    errors = [e for e in events if e['type'] == 'error']
    assert len(errors) == 1, events
    return errors[0]


class WorkerTestCase(unittest.TestCase):
    """One worker shared by the tests of a class (spawning one costs ~20 ms)."""
    env = None
    transport = 'pipe'

    @classmethod
    def setUpClass(cls):
        cls.w = Worker(env=cls.env, transport=cls.transport)

    @classmethod
    def tearDownClass(cls):
        cls.w.close()

    def run_ok(self, code, **kw):
        events = self.w.execute(code, **kw)
        self.assertEqual(reply(events)['status'], 'ok', events)
        return events

    def result_repr(self, code):
        events = self.run_ok(code)
        res = results(events)
        self.assertEqual(len(res), 1, events)
        return res[0]['repr']

    def run_error(self, code, **kw):
        events = self.w.execute(code, **kw)
        self.assertEqual(reply(events)['status'], 'error', events)
        return error(events), events
