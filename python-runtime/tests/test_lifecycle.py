import os
import time
import unittest

from tests.harness import Worker, by_type, error, output_text, results


class LifecycleTest(unittest.TestCase):
    def spawn(self, env=None):
        w = Worker(env=env)
        self.addCleanup(w.close)
        return w

    def wait_exit(self, w, timeout=5.0):
        deadline = time.monotonic() + timeout
        while w.proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        return w.proc.poll()

    def test_ready_event(self):
        w = self.spawn()
        r = w.ready
        self.assertEqual(r['protocol'], 1)
        self.assertEqual(r['pid'], w.proc.pid)
        self.assertRegex(r['python_version'], r'^3\.\d+\.\d+')
        self.assertEqual(r['implementation'], 'CPython')
        self.assertTrue(os.path.isabs(r['executable']))
        self.assertIsNone(r['memory_limit_mb'])

    def test_exit_with_output_flushed(self):
        w = self.spawn()
        events = w.execute('import atexit\natexit.register(lambda: print("atexit ran"))\n'
                           'print("bye")\nexit(3)')
        self.assertEqual([e['type'] for e in events][-1], 'exit')
        self.assertEqual(events[-1]['code'], 3)
        self.assertEqual(output_text(events), 'bye\natexit ran\n')
        self.assertEqual(self.wait_exit(w), 3)

    def test_sys_exit_variants(self):
        for code, expected_code, expected_exit, stderr in (
                ('import sys; sys.exit()', 0, 0, ''),
                ('quit(0)', 0, 0, ''),
                ('raise SystemExit(7)', 7, 7, ''),
                ('import sys; sys.exit("fatal")', 1, 1, 'fatal\n')):
            w = self.spawn()
            events = w.execute(code)
            self.assertEqual(events[-1]['type'], 'exit', code)
            self.assertEqual(events[-1]['code'], expected_code, code)
            self.assertEqual(output_text(events, 'stderr'), stderr, code)
            self.assertEqual(self.wait_exit(w), expected_exit, code)

    def test_shutdown(self):
        w = self.spawn()
        w.execute('import threading, time\n'
                  'threading.Thread(target=lambda: (time.sleep(0.05), print("bg"))).start()')
        time.sleep(0.02)
        w.send({'type': 'shutdown'})
        self.assertEqual(self.wait_exit(w), 0)

    def test_parent_eof_exits_even_when_busy(self):
        w = self.spawn()
        w.start('while True:\n    pass')
        time.sleep(0.1)
        os.close(w.cmd)
        self.assertIsNotNone(self.wait_exit(w, timeout=2.0))

    def test_parent_eof_exits_when_idle(self):
        w = self.spawn()
        os.close(w.cmd)
        self.assertIsNotNone(self.wait_exit(w, timeout=2.0))

    def test_segfault_traceback_reaches_original_stderr(self):
        w = self.spawn()
        w.start('import ctypes\ndef crash():\n    ctypes.string_at(0)\ncrash()')
        self.assertIsNotNone(self.wait_exit(w))
        err = w.proc.stderr.read().decode()
        self.assertIn('Fatal Python error', err)
        self.assertIn('crash', err)

    def test_memory_limit(self):
        w = self.spawn(env={'PYREPL_MEMORY_LIMIT_MB': '400'})
        self.assertEqual(w.ready['memory_limit_mb'], 400)
        w.execute('keep = [1, 2, 3]')
        events = w.execute('big = bytearray(600 * 1024 * 1024)')
        err = error(events)
        self.assertEqual(err['exception'], 'MemoryError')
        self.assertEqual(err['limit'], 'memory')
        self.assertIn('400 MB', err['message'])
        self.assertIn('400 MB', err['traceback'])
        events = w.execute('small = bytearray(10 * 1024 * 1024)\nlen(small) + len(keep)')
        self.assertEqual(results(events)[0]['repr'], str(10 * 1024 * 1024 + 3))
        self.assertEqual(w.execute('import threading\nt = threading.Thread(target=print)\n'
                                   't.start(); t.join()\n1')[-1]['status'], 'ok')

    def test_flush_and_chunk_environment(self):
        w = self.spawn(env={'PYREPL_FLUSH_MS': '50', 'PYREPL_OUTPUT_CHUNK': '16'})
        events = w.execute('for i in range(4):\n    print("abcdefgh" * 2)')
        self.assertEqual(output_text(events), 'abcdefghabcdefgh\n' * 4)
        self.assertGreaterEqual(len(by_type(events, 'output')), 2)


if __name__ == '__main__':
    unittest.main()


class SocketTransportTest(unittest.TestCase):
    """fd 3/4 as socketpairs, the way Node's spawn() sets them up."""

    def test_session_over_sockets(self):
        w = Worker(transport='socket')
        self.addCleanup(w.close)
        self.assertEqual(results(w.execute('print("hi"); 6 * 7'))[0]['repr'], '42')
        eid = w.start('import time\ntime.sleep(100)')
        time.sleep(0.1)
        w.send({'type': 'interrupt', 'execution_id': eid, 'reason': 'user'})
        self.assertEqual(error(w.finish(eid))['exception'], 'KeyboardInterrupt')
        eid = w.start('input("? ")')
        req = w.recv_until(lambda e: e['type'] == 'input_request')[-1]
        w.request('input_response', token=req['token'], data='ok')
        self.assertEqual(results(w.finish(eid))[0]['repr'], "'ok'")
        events = w.execute('for i in range(20000):\n    print(i)')
        self.assertEqual(len(output_text(events).splitlines()), 20000)
        w.start('while True:\n    pass')
        time.sleep(0.1)
        os.close(w.cmd)
        deadline = time.monotonic() + 2
        while w.proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        self.assertIsNotNone(w.proc.poll())
