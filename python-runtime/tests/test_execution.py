import unittest

from tests.harness import WorkerTestCase, reply, results


class ExecutionTest(WorkerTestCase):
    def test_namespace_persists(self):
        self.run_ok('persist_a = 20')
        self.run_ok('persist_b = persist_a + 1')
        self.assertEqual(self.result_repr('persist_a * persist_b'), '420')

    def test_name_is_main_and_module_is_registered(self):
        self.assertEqual(self.result_repr('__name__'), "'__main__'")
        self.assertEqual(self.result_repr('import sys; sys.modules["__main__"].__dict__ is globals()'),
                         'True')

    def test_pickle_class_defined_in_cell(self):
        self.run_ok('import pickle\nclass Point:\n    def __init__(self, x):\n        self.x = x')
        self.assertEqual(self.result_repr('pickle.loads(pickle.dumps(Point(3))).x'), '3')

    def test_result_repr_value_and_underscore(self):
        events = self.run_ok('"a" * 3')
        res = results(events)[0]
        self.assertEqual(res['repr'], "'aaa'")
        self.assertEqual(res['value'], 'aaa')
        self.assertIsInstance(res['execution_count'], int)
        self.assertEqual(self.result_repr('_'), "'aaa'")

    def test_value_only_for_small_json_native(self):
        def value_of(code):
            return results(self.run_ok(code))[0]

        self.assertEqual(value_of('[1, 2.5, True, None, "x", {"k": [1]}]')['value'],
                         [1, 2.5, True, None, 'x', {'k': [1]}])
        for code in ('(1, 2)', '{1: 2}', 'float("nan")', 'list(range(20000))', '2**80',
                     'object()', 'b"x"'):
            self.assertNotIn('value', value_of(code), code)

    def test_none_gives_no_result(self):
        self.assertEqual(results(self.run_ok('None')), [])
        self.assertEqual(results(self.run_ok('x_none = 5')), [])
        self.assertEqual(results(self.run_ok('def f_none():\n    pass\nf_none()')), [])

    def test_print_then_value(self):
        events = self.run_ok('print("test"); 42')
        kinds = [e['type'] for e in events]
        self.assertEqual(kinds, ['output', 'result', 'execute_reply'])
        self.assertEqual(events[0]['data'], 'test\n')
        self.assertEqual(events[0]['stream'], 'stdout')
        self.assertEqual(events[1]['repr'], '42')

    def test_def_and_class_blocks(self):
        self.run_ok('def add(a, b):\n    return a + b\n')
        self.run_ok('class Box:\n    def __init__(self, v):\n        self.v = v\n'
                    '    def __repr__(self):\n        return "Box(%r)" % (self.v,)\n')
        self.assertEqual(self.result_repr('Box(add(1, 2))'), 'Box(3)')
        self.assertEqual(self.result_repr('for i in range(3):\n    pass\ni'), '2')

    def test_future_flags_carry_over(self):
        self.run_ok('from __future__ import annotations')
        self.run_ok('def ann(x: undefined_name) -> int:\n    return x')
        self.assertEqual(self.result_repr('ann.__annotations__["x"]'), "'undefined_name'")

    def test_one_line_statements_and_expressions(self):
        # One-line cells take shortcuts in compiling (executor._compile); each must behave as the full path does.
        cases = [
            ('one_a = 5', None), ('one_a += 1', None), ('one_a <<= 1', None), ('one_a //= 2', None),
            ('one_a', '6'), ('one_a <= 6', 'True'), ('one_a >= 7', 'False'), ('one_a == 6', 'True'),
            ('one_a != 6', 'False'), ('one_a << 1', '12'), ('one_a // 4', '1'),
            ('*one_b, one_c = [1, 2, 3]', None), ('*one_b, one_c', '(1, 2, 3)'), ('one_c = 4; one_c', '4'),
            ('import math', None), ('importable = 1', None), ('importable', '1'),
            ('if one_a: one_d = 7', None), ('one_d', '7'), ('s = "a;b"', None), ('s', "'a;b'"),
            ('one_obj = type("O", (), {})()', None), ('one_obj.v = 9', None), ('one_obj.v', '9'),
            ('v = await __import__("asyncio").sleep(0, result=3)', None), ('v', '3'),
        ]
        for code, expected in cases:
            events = self.run_ok(code)
            got = [e['repr'] for e in results(events)]
            self.assertEqual(got, [] if expected is None else [expected], code)
        err, _ = self.run_error('one_x = (1 +')
        self.assertEqual(err['exception'], 'SyntaxError')
        err, _ = self.run_error('1 = one_a')
        self.assertEqual(err['exception'], 'SyntaxError')

    def test_one_line_future_import_carries_over(self):
        self.run_ok('from __future__ import annotations')
        self.run_ok('def ann2(x: undefined_name2) -> int: return x')
        self.assertEqual(self.result_repr('ann2.__annotations__["x"]'), "'undefined_name2'")

    def test_top_level_await(self):
        self.assertEqual(self.result_repr('import asyncio\nawait asyncio.sleep(0.01, result=7)'), '7')
        self.run_ok('async def twice(x):\n    await asyncio.sleep(0)\n    return 2 * x')
        self.assertEqual(self.result_repr('await twice(21)'), '42')
        # A task started in one cell keeps running in the same loop later.
        self.run_ok('bg = asyncio.ensure_future(twice(5))')
        self.assertEqual(self.result_repr('await bg'), '10')
        self.assertEqual(self.result_repr('v = await twice(1)\nv + 1'), '3')

    def test_execution_count_and_reply_fields(self):
        first = reply(self.run_ok('1'))
        second = reply(self.run_ok('2'))
        self.assertEqual(second['execution_count'], first['execution_count'] + 1)
        self.assertIsInstance(second['execution_time'], float)

    def test_error_traceback_user_frames_only(self):
        err, events = self.run_error('def inner():\n    return 1/0\ninner()')
        self.assertEqual(err['exception'], 'ZeroDivisionError')
        self.assertEqual(err['message'], 'division by zero')
        tb = err['traceback']
        self.assertTrue(tb.startswith('Traceback (most recent call last):\n'), tb)
        self.assertIn('in inner\n    return 1/0', tb)
        self.assertIn('File "<cell-', tb)
        self.assertTrue(tb.endswith('ZeroDivisionError: division by zero\n'), tb)
        self.assertNotIn('pyrepl_worker', tb)
        self.assertNotIn('<string>', tb)
        self.assertNotIn('value', err)

    def test_simple_traceback_shape(self):
        err, _ = self.run_error('1/0')
        lines = [l for l in err['traceback'].splitlines() if l.strip(' ~^')]
        self.assertEqual(lines[0], 'Traceback (most recent call last):')
        self.assertRegex(lines[1], r'^  File "<cell-\d+>", line 1, in <module>$')
        self.assertEqual(lines[2], '    1/0')
        self.assertEqual(lines[3], 'ZeroDivisionError: division by zero')
        self.assertEqual(len(lines), 4)

    def test_chained_exception_without_worker_frames(self):
        err, _ = self.run_error('try:\n    {}["k"]\nexcept KeyError as e:\n'
                                '    raise ValueError("bad") from e')
        tb = err['traceback']
        self.assertIn('KeyError', tb)
        self.assertIn('direct cause', tb)
        self.assertTrue(tb.endswith('ValueError: bad\n'))
        self.assertNotIn('pyrepl_worker', tb)

    def test_user_exec_string_frames_are_kept(self):
        err, _ = self.run_error('exec("1/0")')
        self.assertIn('File "<string>", line 1', err['traceback'])

    def test_syntax_error(self):
        err, _ = self.run_error('x = (1 +')
        self.assertEqual(err['exception'], 'SyntaxError')
        self.assertNotIn('Traceback', err['traceback'])
        self.assertIn('File "<cell-', err['traceback'])
        self.assertNotIn('pyrepl_worker', err['traceback'])
        err, _ = self.run_error('if True:\nprint(1)')
        self.assertEqual(err['exception'], 'IndentationError')

    def test_error_keeps_session(self):
        self.run_error('raise RuntimeError("x")')
        self.assertEqual(self.result_repr('1 + 1'), '2')

    def test_repr_raising_is_an_error(self):
        self.run_ok('class BadRepr:\n    def __repr__(self):\n        raise ValueError("no repr")')
        err, _ = self.run_error('BadRepr()')
        self.assertEqual(err['exception'], 'ValueError')

    def test_runtime_environment(self):
        self.assertEqual(self.result_repr('import sys; sys.argv'), "['']")
        self.assertEqual(self.result_repr('import os; [k for k in os.environ if k.startswith("PYREPL")]'),
                         '[]')
        self.assertEqual(self.result_repr('any("python-runtime" in p for p in sys.path)'), 'False')
        self.assertEqual(self.result_repr('os.get_inheritable(3) if False else 0'), '0')
        self.assertEqual(self.result_repr('sorted(k for k in globals() if k.startswith("__"))[:3]'),
                         "['__annotations__', '__builtins__', '__doc__']")

    def test_channel_fds_hidden(self):
        code = ('import os\nopen_fds = []\nfor fd in (3, 4):\n    try:\n        os.fstat(fd)\n'
                '        open_fds.append(fd)\n    except OSError:\n        pass\nopen_fds')
        self.assertEqual(self.result_repr(code), '[]')
        # A child inherits only 0-2: the channel is close-on-exec.
        code = ('import subprocess, sys\nsubprocess.run([sys.executable, "-c", "import os; '
                'print(sorted(int(f) for f in os.listdir(\'/proc/self/fd\')))"], '
                'capture_output=True, text=True).stdout.strip()')
        self.assertIn(self.result_repr(code), ("'[0, 1, 2, 3]'", "'[0, 1, 2]'"))

    def test_threading_main_thread(self):
        self.w.request('complete', code='threadi', cursor=7)
        self.assertEqual(self.result_repr('import threading\n'
                                          'threading.current_thread() is threading.main_thread()'),
                         'True')


class TransactionTest(WorkerTestCase):
    def test_commit_always(self):
        self.run_ok('t_commit = 1')
        self.w.execute('t_commit = 2\nt_new = 1\nraise ValueError', policy='commit_always')
        self.assertEqual(self.result_repr('(t_commit, t_new)'), '(2, 1)')

    def test_rollback_on_failure(self):
        self.run_ok('t_fail = 1')
        self.w.execute('t_fail = 2\nt_fail_new = 1\nraise ValueError', policy='rollback_on_failure')
        self.assertEqual(self.result_repr('t_fail'), '1')
        self.assertEqual(self.result_repr("'t_fail_new' in globals()"), 'False')
        self.run_ok('t_fail = 3', policy='rollback_on_failure')
        self.assertEqual(self.result_repr('t_fail'), '3')

    def test_rollback_always(self):
        self.run_ok('t_always = [1]')
        events = self.run_ok('t_always.append(2)\nt_always = "replaced"\nt_always_new = 0\n7',
                             policy='rollback_always')
        self.assertEqual(results(events)[0]['repr'], '7')
        # Bindings are restored; the mutation of the list object is not undone.
        self.assertEqual(self.result_repr('t_always'), '[1, 2]')
        self.assertEqual(self.result_repr("'t_always_new' in globals()"), 'False')

    def test_rollback_on_interrupt_like_failure(self):
        self.run_ok('t_int = 1')
        self.w.execute('t_int = 2\nraise KeyboardInterrupt', policy='rollback_on_failure')
        self.assertEqual(self.result_repr('t_int'), '1')


if __name__ == '__main__':
    unittest.main()


class LargeTextTest(WorkerTestCase):
    def test_huge_repr_and_message_are_capped(self):
        res = results(self.run_ok('"x" * 5000000'))[0]
        self.assertLess(len(res['repr']), 1100000)
        self.assertIn('more characters not shown', res['repr'])
        self.assertNotIn('value', res)
        err, _ = self.run_error('raise ValueError("m" * 3000000)')
        self.assertLess(len(err['message']), 1100000)
        self.assertLess(len(err['traceback']), 1100000)

    def test_input_from_background_thread_between_executions_is_eof(self):
        self.run_ok('import threading, time\nres = []\n'
                    'def ask():\n    time.sleep(0.2)\n    try:\n        res.append(input("bg? "))\n'
                    '    except EOFError:\n        res.append("eof")\n'
                    't = threading.Thread(target=ask)\nt.start()')
        import time
        time.sleep(0.4)
        self.assertEqual(self.result_repr('t.join()\nres'), "['eof']")
