import unittest

from tests.harness import WorkerTestCase


class CompleteTest(WorkerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.w.execute('import os\nalpha_value = 1\nalpha_other = 2\n'
                      'conf = {"name": 1, "names": 2, "other": 3, 4: 5}\n'
                      'class Obj:\n    attr_one = 1\n    attr_two = 2\nobj = Obj()')

    def complete(self, code, cursor=None):
        rep = self.w.request('complete', code=code, cursor=len(code) if cursor is None else cursor)
        self.assertEqual(rep['type'], 'complete_reply', rep)
        return rep

    def test_names(self):
        rep = self.complete('alpha_')
        self.assertEqual(sorted(rep['matches']), ['alpha_other', 'alpha_value'])
        self.assertEqual((rep['cursor_start'], rep['cursor_end']), (0, 6))

    def test_builtins_and_keywords(self):
        self.assertIn('print(', self.complete('x = pri')['matches'])
        self.assertEqual(self.complete('x = pri')['cursor_start'], 4)

    def test_attributes(self):
        rep = self.complete('obj.attr_')
        self.assertEqual(sorted(rep['matches']), ['obj.attr_one', 'obj.attr_two'])
        self.assertEqual(rep['cursor_start'], 0)
        self.assertIn('os.path', self.complete('os.pa')['matches'])

    def test_cursor_in_middle(self):
        rep = self.complete('alpha_v + 1', cursor=7)
        self.assertEqual(rep['matches'], ['alpha_value'])
        self.assertEqual((rep['cursor_start'], rep['cursor_end']), (0, 7))

    def test_dict_keys(self):
        rep = self.complete('conf["na')
        self.assertEqual(sorted(rep['matches']), ['name"]', 'names"]'])
        self.assertEqual(rep['cursor_start'], len('conf["'))
        rep = self.complete("conf['o")
        self.assertEqual(rep['matches'], ["other']"])
        rep = self.complete('conf[')
        self.assertIn('"name"]', rep['matches'])

    def test_module_names_after_import_and_from(self):
        rep = self.complete('import jso')
        self.assertIn('json', rep['matches'])
        self.assertEqual(rep['cursor_start'], len('import '))
        self.assertIn('sys', self.complete('import os, sy')['matches'])
        self.assertEqual(self.complete('from __fut')['matches'], ['__future__'])
        self.assertIn('os.path', self.complete('import os.pa')['matches'])
        rep = self.complete('x = 1\nimport xml.etree.Element')
        self.assertIn('xml.etree.ElementTree', rep['matches'])
        self.assertEqual(rep['cursor_start'], len('x = 1\nimport '))

    def test_names_of_a_module_after_from_import(self):
        rep = self.complete('from os import pa')
        self.assertIn('path', rep['matches'])
        self.assertNotIn('pass', rep['matches'], 'a keyword is no name of os')
        self.assertEqual(rep['cursor_start'], len('from os import '))
        self.assertEqual(self.complete('from json import (dumps, lo')['matches'], ['load', 'loads'])
        self.assertIn('ElementTree', self.complete('from xml.etree.ElementTree import Elem')['matches'])

    def test_completing_imports_imports_nothing(self):
        self.complete('import xml.dom.mini')
        self.complete('from xml.dom.minidom import pa')
        self.assertEqual(self.result_repr("'xml' in __import__('sys').modules"), 'False')

    def test_file_names_inside_a_string(self):
        import os
        import tempfile
        with tempfile.TemporaryDirectory() as tmp:
            for name in ('data.csv', 'notes.txt', '.hidden'):
                open(os.path.join(tmp, name), 'w').close()
            os.mkdir(os.path.join(tmp, 'data.dir'))
            rep = self.complete('f = open("%s/da' % tmp)
            self.assertEqual(rep['matches'], [tmp + '/data.csv', tmp + '/data.dir/'])
            self.assertEqual(rep['cursor_start'], len('f = open("'))
            # Relative to the worker's current directory; hidden files only when asked for.
            self.run_ok('import os\n_before = os.getcwd()\nos.chdir(%r)' % tmp)
            try:
                self.assertEqual(self.complete("open('")['matches'], ['data.csv', 'data.dir/', 'notes.txt'])
                self.assertEqual(self.complete("open('.h")['matches'], ['.hidden'])
                self.assertEqual(self.complete('x = "a" + "no')['matches'], ['notes.txt'])
                self.assertEqual(self.complete('# open("da')['matches'], [], 'not in a comment')
            finally:
                self.run_ok('os.chdir(_before)')

    def test_nothing_to_complete(self):
        self.assertEqual(self.complete('')['matches'], [])
        self.assertEqual(self.complete('zzz_no_such')['matches'], [])


class IsCompleteTest(WorkerTestCase):
    def check(self, code):
        rep = self.w.request('is_complete', code=code)
        self.assertEqual(rep['type'], 'is_complete_reply', rep)
        return rep['status'], rep['indent']

    def test_complete(self):
        for code in ('1 + 1', 'x = 5', 'a = 1\nb = 2', 'for i in range(3): print(i)',
                     'if x:\n    pass\n', '', 'await foo()', 'print("\\d")'):
            self.assertEqual(self.check(code)[0], 'complete', code)

    def test_incomplete(self):
        self.assertEqual(self.check('if x:'), ('incomplete', '    '))
        self.assertEqual(self.check('def f():\n    if y:'), ('incomplete', '        '))
        self.assertEqual(self.check('for i in x:\n    print(i)'), ('incomplete', '    '))
        for code in ('x = (1,', 'x = [\n1,\n2', '"""abc', '@dec', 'x = 1 \\'):
            self.assertEqual(self.check(code)[0], 'incomplete', code)

    def test_invalid(self):
        for code in ('1 +', ')', 'x = = 1', "'abc"):
            self.assertEqual(self.check(code), ('invalid', ''), code)

    def test_no_warning_output(self):
        # 3.12+ warns about "\d" while parsing; that must not become output.
        self.check('x = "\\d"')
        events = self.w.execute('1')
        self.assertEqual([e['type'] for e in events], ['result', 'execute_reply'])


class InspectTest(WorkerTestCase):
    def variables(self, **kw):
        rep = self.w.request('inspect', **kw)
        self.assertEqual(rep['type'], 'inspect_reply', rep)
        return {v['name']: v for v in rep['variables']}

    def test_user_variables_only(self):
        self.w.execute('import json\nnum = 3\ntext = "hi"\n_private = 1\n'
                       'def fn():\n    pass\nclass K:\n    pass')
        vs = self.variables()
        self.assertEqual(vs['num'], {'name': 'num', 'type': 'int', 'repr': '3', 'truncated': False})
        self.assertEqual(vs['text']['repr'], "'hi'")
        self.assertEqual(vs['fn']['type'], 'function')
        self.assertEqual(vs['K']['type'], 'type')
        self.assertEqual(vs['json']['type'], 'module')
        self.assertIn('_private', vs)
        self.assertFalse([n for n in vs if n.startswith('__') and n.endswith('__')])

    def test_bad_and_huge_reprs(self):
        self.w.execute('class Bad:\n    def __repr__(self):\n        raise RuntimeError("boom")\n'
                       'class Huge:\n    def __repr__(self):\n        return "H" * 10**6\n'
                       'class NotStr:\n    def __repr__(self):\n        return 42\n'
                       'bad, huge, notstr = Bad(), Huge(), NotStr()\n'
                       'big_list = list(range(10**6))\nbig_str = "s" * 10**6\n'
                       'nested = {"a": [1, 2, {"b": (3,)}]}\nself_ref = []\nself_ref.append(self_ref)')
        vs = self.variables(max_repr=50)
        self.assertIn('RuntimeError', vs['bad']['repr'])
        self.assertEqual(vs['huge']['repr'], 'H' * 47 + '...')
        self.assertTrue(vs['huge']['truncated'])
        self.assertIn('TypeError', vs['notstr']['repr'])
        self.assertTrue(vs['big_list']['truncated'])
        self.assertTrue(vs['big_list']['repr'].startswith('[0, 1, 2'))
        self.assertLessEqual(len(vs['big_list']['repr']), 50)
        self.assertTrue(vs['big_str']['truncated'])
        self.assertEqual(vs['nested'], {'name': 'nested', 'type': 'dict', 'truncated': False,
                                        'repr': "{'a': [1, 2, {'b': (3,)}]}"})
        self.assertEqual(vs['self_ref']['repr'], '[[...]]')

    def test_default_max_repr(self):
        self.w.execute('long_text = "t" * 1000')
        v = self.variables()['long_text']
        self.assertEqual(len(v['repr']), 200)
        self.assertTrue(v['truncated'])


class MiscRequestTest(WorkerTestCase):
    def test_heartbeat(self):
        rep = self.w.request('heartbeat')
        self.assertEqual(rep['type'], 'heartbeat_reply')
        self.assertTrue(rep['request_id'].startswith('heartbeat-'))

    def test_unknown_command(self):
        rep = self.w.request('frobnicate')
        self.assertEqual(rep['type'], 'request_error')
        self.assertEqual(rep['code'], 'unknown_command')
        self.w.send({'type': 'frobnicate'})
        log = self.w.recv()
        self.assertEqual(log['type'], 'log')
        self.assertEqual(self.w.execute('1')[0]['repr'], '1')

    def test_garbage_line(self):
        self.w.send_raw(b'this is not json\n')
        self.assertEqual(self.w.recv()['type'], 'log')
        self.assertEqual(self.w.execute('2')[0]['repr'], '2')


if __name__ == '__main__':
    unittest.main()


class StuckReprTest(WorkerTestCase):
    def test_hanging_repr_blocks_only_its_request(self):
        self.w.execute('import time\nclass Slow:\n    def __repr__(self):\n        time.sleep(1)\n'
                       '        return "slow"\nslow = Slow()')
        rid = self.w.next_id('inspect')
        self.w.send({'type': 'inspect', 'request_id': rid})
        rep = self.w.request('complete', code='Slo', cursor=3, timeout=2)
        self.assertEqual([m[:5] for m in rep['matches']], ['Slow('])
        self.assertEqual(self.w.request('heartbeat', timeout=2)['type'], 'heartbeat_reply')
        events = self.w.recv_until(lambda e: e.get('request_id') == rid, timeout=10)
        self.assertEqual(events[-1]['type'], 'inspect_reply')
