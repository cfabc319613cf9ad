import time
import unittest

from tests.harness import WorkerTestCase, by_type, error, output_text, reply, results


class OutputTest(WorkerTestCase):
    def test_stdout_and_stderr(self):
        events = self.run_ok('import sys\nprint("out")\nprint("err", file=sys.stderr)\nprint("out2")')
        outs = by_type(events, 'output')
        self.assertEqual([(e['stream'], e['data']) for e in outs],
                         [('stdout', 'out\n'), ('stderr', 'err\n'), ('stdout', 'out2\n')])
        self.assertTrue(all(e['execution_id'] == outs[0]['execution_id'] for e in outs))

    def test_consecutive_writes_coalesce(self):
        events = self.run_ok('for i in range(100):\n    print(i)')
        outs = by_type(events, 'output')
        self.assertEqual(output_text(events), ''.join('%d\n' % i for i in range(100)))
        self.assertLess(len(outs), 5)

    def test_streaming_is_incremental(self):
        eid = self.w.start('import time\nfor i in range(5):\n    print("tick", i)\n    time.sleep(0.2)')
        first = self.w.recv(timeout=5)
        arrived = time.monotonic()
        self.assertEqual(first['type'], 'output', first)
        self.assertEqual(first['data'], 'tick 0\n')
        events = self.w.finish(eid)
        done = time.monotonic()
        # The first line arrived long before the loop (~1 s) ended.
        self.assertGreater(done - arrived, 0.5)
        self.assertEqual(output_text([first] + events), ''.join('tick %d\n' % i for i in range(5)))

    def test_fd_writes_ordered_with_print(self):
        code = ('import os, sys, subprocess\nprint("a")\nos.write(1, b"b\\n")\nprint("c")\n'
                'subprocess.run(["echo", "d"])\nprint("e")\nos.system("echo f")\n'
                'sys.stdout.buffer.write(b"g\\n")\nprint("h")')
        events = self.run_ok(code)
        self.assertEqual(output_text(events), 'a\nb\nc\nd\ne\nf\ng\nh\n')

    def test_subprocess_stderr_and_c_level(self):
        events = self.run_ok('import subprocess\nsubprocess.run("echo err >&2", shell=True)')
        self.assertEqual(output_text(events, 'stderr'), 'err\n')

    def test_undecodable_bytes_replaced(self):
        events = self.run_ok('import os\nos.write(1, b"ok \\xff\\xfe end\\n")\nprint("\\u00e9t\\u00e9")')
        self.assertEqual(output_text(events), 'ok \ufffd\ufffd end\n\u00e9t\u00e9\n')

    def test_json_escaping_of_output(self):
        tricky = 'q"b\\s\tt\rr\x1b[31mred\x00z\x7f\u2028 \u00e9\U0001f600 end'
        events = self.run_ok('import os\ns = %r\nprint(s)\nos.write(1, s.encode() + b"\\n")\n'
                             'print("plain ascii")' % (tricky,))
        self.assertEqual(output_text(events), tricky + '\n' + tricky + '\nplain ascii\n')

    def test_split_multibyte_character(self):
        events = self.run_ok('import os\nb = "\\u20ac".encode()\nos.write(1, b[:1])\n'
                             'import time; time.sleep(0.05)\nos.write(1, b[1:] + b"\\n")')
        self.assertEqual(output_text(events), '\u20ac\n')

    def test_closing_fd1_keeps_session(self):
        events = self.w.execute('import os\nos.close(1)')
        self.assertEqual(reply(events)['status'], 'ok')
        events = self.run_ok('import subprocess\nprint("py")\nsubprocess.run(["echo", "sub"])')
        self.assertEqual(output_text(events), 'py\nsub\n')

    def test_redirect_fd1_to_devnull_is_repaired(self):
        self.run_ok('import os\nos.dup2(os.open(os.devnull, os.O_WRONLY), 1)')
        events = self.run_ok('os.write(1, b"back\\n")')
        self.assertEqual(output_text(events), 'back\n')

    def test_replacing_sys_stdout(self):
        self.run_ok('import sys, io\nsys.stdout = io.StringIO()\nprint("hidden")')
        events = self.run_ok('print("visible")')
        self.assertEqual(output_text(events), 'visible\n')
        self.run_ok('sys.stdout = None')
        self.assertEqual(output_text(self.run_ok('print("again")')), 'again\n')

    def test_stdout_close_and_garbage(self):
        self.run_ok('import sys\nsys.stdout.close()\nsys.stderr.close()')
        self.assertEqual(output_text(self.run_ok('print("still")')), 'still\n')
        err, _ = self.run_error('import sys\nsys.stdout.write(b"bytes")')
        self.assertEqual(err['exception'], 'TypeError')
        self.assertEqual(output_text(self.run_ok('sys.stdout.write("x\\n")')), 'x\n')

    def test_stream_attributes(self):
        self.assertEqual(self.result_repr('import sys; (sys.stdout.fileno(), sys.stderr.fileno(), '
                                          'sys.stdout.isatty(), sys.stdout.encoding)'),
                         "(1, 2, False, 'utf-8')")
        self.assertEqual(self.result_repr('sys.stdout is sys.__stdout__'), 'True')

    def test_background_thread_output_has_null_id(self):
        self.run_ok('import threading, time\n'
                    'threading.Thread(target=lambda: (time.sleep(0.2), print("later"))).start()')
        ev = self.w.recv(timeout=5)
        self.assertEqual(ev['type'], 'output')
        self.assertEqual(ev['data'], 'later\n')
        self.assertIsNone(ev['execution_id'])

    def test_large_output_complete(self):
        events = self.run_ok('import sys\nsys.stdout.write("y" * 300000)\nprint()\n'
                             'for i in range(2000):\n    print("line %d" % i)')
        text = output_text(events)
        self.assertTrue(text.startswith('y' * 300000 + '\n'))
        self.assertTrue(text.endswith('line 1999\n'))
        self.assertEqual(len(text), 300001 + sum(len('line %d\n' % i) for i in range(2000)))


class OutputLimitTest(WorkerTestCase):
    def test_output_limit_stops_execution(self):
        events = self.w.execute('n = 0\nwhile True:\n    print("0123456789")\n    n += 1',
                                output_limit=1000, timeout=10)
        err = error(events)
        self.assertEqual(err['exception'], 'OutputLimitExceeded')
        self.assertEqual(err['limit'], 'output')
        self.assertEqual(len(output_text(events).encode()), 1000)
        self.assertEqual(self.result_repr('n > 0'), 'True')

    def test_output_limit_counts_fd_output(self):
        events = self.w.execute('import os\nos.write(1, b"z" * 5000)', output_limit=100)
        self.assertEqual(error(events)['limit'], 'output')
        self.assertEqual(output_text(events), 'z' * 100)

    def test_under_limit_is_fine(self):
        events = self.run_ok('print("small")', output_limit=100)
        self.assertEqual(output_text(events), 'small\n')
        self.assertEqual(reply(self.w.execute('print("x" * 200)', output_limit=None))['status'], 'ok')


if __name__ == '__main__':
    unittest.main()


class ForkTest(WorkerTestCase):
    def test_os_fork_child_output(self):
        code = ('import os\nprint("parent before")\npid = os.fork()\nif pid == 0:\n'
                '    print("from child")\n    os._exit(0)\nos.waitpid(pid, 0)\nprint("parent after")\n"done"')
        events = self.run_ok(code)
        text = output_text(events)
        self.assertEqual(text.splitlines()[0], 'parent before')  # flushed before the fork
        self.assertEqual(sorted(text.splitlines()), ['from child', 'parent after', 'parent before'])
        self.assertEqual(text.count('parent before'), 1)
        self.assertEqual(results(events)[0]['repr'], "'done'")

    def test_multiprocessing_fork(self):
        code = ('import multiprocessing as mp\n'
                'def work(x):\n    print("worker", x)\n    return x * x\n'
                'with mp.get_context("fork").Pool(2) as pool:\n    squares = pool.map(work, range(4))\n'
                'squares')
        events = self.run_ok(code, timeout=30)
        self.assertEqual(results(events)[0]['repr'], '[0, 1, 4, 9]')
        self.assertEqual(sorted(output_text(events).splitlines()),
                         ['worker 0', 'worker 1', 'worker 2', 'worker 3'])
        self.assertEqual(self.result_repr('1 + 1'), '2')

    def test_child_that_returns_into_the_cell_stays_silent(self):
        events = self.run_ok('import os\npid = os.fork()\nif pid:\n    os.waitpid(pid, 0)\npid != 0')
        self.assertEqual([e['type'] for e in events], ['result', 'execute_reply'])
        self.assertEqual(results(events)[0]['repr'], 'True')


class NoisyChildTest(WorkerTestCase):
    def test_endless_background_writer_does_not_block_executions(self):
        self.run_ok('import subprocess\np = subprocess.Popen(["yes"])')
        self.assertEqual(self.result_repr('1 + 1'), '2')
        self.run_ok('p.kill(); p.wait()')
        self.assertEqual(self.result_repr('3'), '3')
