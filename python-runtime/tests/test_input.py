import unittest

from tests.harness import WorkerTestCase, by_type, error, output_text, results


class InputTest(WorkerTestCase):
    def ask(self, code):
        """Start code and return (execution id, its input_request, events before it)."""
        eid = self.w.start(code)
        events = self.w.recv_until(lambda e: e['type'] == 'input_request')
        return eid, events[-1], events[:-1]

    def test_input_roundtrip(self):
        eid, req, before = self.ask('print("before")\nname = input("Name? ")\nprint("hi", name)\nname')
        # Output written before the prompt is flushed before the request.
        self.assertEqual(output_text(before), 'before\n')
        self.assertEqual(req['prompt'], 'Name? ')
        self.assertFalse(req['password'])
        self.assertEqual(req['execution_id'], eid)
        ack = self.w.request('input_response', token=req['token'], data='Ada')
        self.assertEqual(ack['type'], 'ack')
        events = self.w.finish(eid)
        self.assertEqual(output_text(events), 'hi Ada\n')
        self.assertEqual(results(events)[0]['repr'], "'Ada'")

    def test_prompt_is_not_output(self):
        eid, req, before = self.ask('input(">>> ")')
        self.w.request('input_response', token=req['token'], data='x')
        events = self.w.finish(eid)
        self.assertNotIn('>>>', output_text(before + events))

    def test_readline_and_iteration(self):
        eid, req, _ = self.ask('import sys\nline = sys.stdin.readline()\nline')
        self.assertEqual(req['prompt'], '')
        self.w.request('input_response', token=req['token'], data='hello')
        self.assertEqual(results(self.w.finish(eid))[0]['repr'], "'hello\\n'")

        eid, req, _ = self.ask('lines = [l for l in sys.stdin]\nlines')
        self.w.request('input_response', token=req['token'], data='a')
        req2 = self.w.recv_until(lambda e: e['type'] == 'input_request')[-1]
        self.assertNotEqual(req2['token'], req['token'])
        self.w.request('input_cancel', token=req2['token'])
        self.assertEqual(results(self.w.finish(eid))[0]['repr'], "['a\\n']")

    def test_read_all_until_cancel(self):
        eid, req, _ = self.ask('import sys\nsys.stdin.read()')
        self.w.request('input_response', token=req['token'], data='one')
        req = self.w.recv_until(lambda e: e['type'] == 'input_request')[-1]
        self.w.request('input_cancel', token=req['token'])
        self.assertEqual(results(self.w.finish(eid))[0]['repr'], "'one\\n'")

    def test_getpass_marks_password(self):
        eid, req, _ = self.ask('import getpass\ngetpass.getpass("Secret: ")')
        self.assertTrue(req['password'])
        self.assertEqual(req['prompt'], 'Secret: ')
        self.w.request('input_response', token=req['token'], data='s3cret')
        events = self.w.finish(eid)
        self.assertEqual(results(events)[0]['repr'], "'s3cret'")
        self.assertNotIn('s3cret', output_text(events))

    def test_from_import_getpass(self):
        eid, req, _ = self.ask('from getpass import getpass as gp\ngp()')
        self.assertTrue(req['password'])
        self.assertEqual(req['prompt'], 'Password: ')
        self.w.request('input_response', token=req['token'], data='pw')
        self.assertEqual(results(self.w.finish(eid))[0]['repr'], "'pw'")

    def test_cancel_raises_eoferror(self):
        eid, req, _ = self.ask('input()')
        ack = self.w.request('input_cancel', token=req['token'])
        self.assertEqual(ack['type'], 'ack')
        events = self.w.finish(eid)
        self.assertEqual(error(events)['exception'], 'EOFError')
        eid, req, _ = self.ask('import sys; sys.stdin.readline()')
        self.w.request('input_cancel', token=req['token'])
        self.assertEqual(results(self.w.finish(eid))[0]['repr'], "''")

    def test_stale_and_unknown_tokens_refused(self):
        bad = self.w.request('input_response', token='nope', data='x')
        self.assertEqual(bad['type'], 'request_error')
        self.assertEqual(bad['code'], 'unknown_input_token')
        eid, req, _ = self.ask('a = input()\nb = input()\n(a, b)')
        self.w.request('input_response', token=req['token'], data='first')
        req2 = self.w.recv_until(lambda e: e['type'] == 'input_request')[-1]
        # The first token is used up: reusing it is refused and not delivered.
        stale = self.w.request('input_response', token=req['token'], data='stale')
        self.assertEqual(stale['type'], 'request_error')
        self.assertEqual(stale['code'], 'unknown_input_token')
        self.w.request('input_response', token=req2['token'], data='second')
        self.assertEqual(results(self.w.finish(eid))[0]['repr'], "('first', 'second')")
        self.assertEqual(self.w.request('input_cancel', token=req2['token'])['type'], 'request_error')

    def test_exit_closes_stdin_tolerated(self):
        self.run_ok('import sys\nsys.stdin.close()')
        eid, req, _ = self.ask('input("again")')
        self.w.request('input_response', token=req['token'], data='ok')
        self.assertEqual(results(self.w.finish(eid))[0]['repr'], "'ok'")

    def test_interrupt_during_input(self):
        eid, req, _ = self.ask('waiting = 1\ninput("wait: ")')
        self.w.send({'type': 'interrupt', 'execution_id': eid, 'reason': 'user'})
        events = self.w.finish(eid, timeout=5)
        self.assertEqual(error(events)['exception'], 'KeyboardInterrupt')
        self.assertEqual(self.w.request('input_response', token=req['token'], data='late')['type'],
                         'request_error')
        self.assertEqual(self.result_repr('waiting'), '1')


if __name__ == '__main__':
    unittest.main()


class InputReplacedStdinTest(WorkerTestCase):
    def test_input_reads_user_replaced_stdin(self):
        events = self.run_ok('import io, sys\nsys.stdin = io.StringIO("typed\\n")\nv = input("p> ")\nv')
        self.assertEqual(results(events)[0]['repr'], "'typed'")
        self.assertEqual(output_text(events), 'p> ')
        self.assertEqual(by_type(events, 'input_request'), [])

    def test_stdin_buffer(self):
        eid = self.w.start('import sys\nsys.stdin.buffer.readline()')
        req = self.w.recv_until(lambda e: e['type'] == 'input_request')[-1]
        self.w.request('input_response', token=req['token'], data='b\u00e9')
        self.assertEqual(results(self.w.finish(eid))[0]['repr'], "b'b\\xc3\\xa9\\n'")
