import json
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


    def test_timeout_during_input(self):
        eid, req, _ = self.ask('input("wait: ")')
        self.w.send({'type': 'interrupt', 'execution_id': eid, 'reason': 'timeout'})
        err = error(self.w.finish(eid, timeout=5))
        self.assertEqual(err['exception'], 'ExecutionTimeout')
        self.assertEqual(err['limit'], 'timeout')

    def test_sigint_from_elsewhere_during_input(self):
        # Not an interrupt command: a SIGINT that finds the main thread in the worker's own wait is deferred, and
        # the wait must still end with it.
        eid, req, _ = self.ask('import os, signal, threading\n'
                               'threading.Timer(0.2, os.kill, (os.getpid(), signal.SIGINT)).start()\n'
                               'input("wait: ")')
        self.assertEqual(error(self.w.finish(eid, timeout=5))['exception'], 'KeyboardInterrupt')
        self.assertEqual(self.w.request('input_response', token=req['token'], data='late')['code'],
                         'unknown_input_token')

    def test_commands_answered_while_main_thread_waits(self):
        # The main thread reads commands itself while input() waits: heartbeats and requests are answered, and
        # commands that arrive in one chunk with the response are all handled.
        eid, req, _ = self.ask('import time\ntime.sleep(0.2)\nv = input()\nv')
        self.assertEqual(self.w.request('heartbeat')['type'], 'heartbeat_reply')
        self.assertEqual(self.w.request('is_complete', code='x = 1')['status'], 'complete')
        self.assertEqual(self.w.request('input_response', token='wrong', data='x')['code'], 'unknown_input_token')
        self.w.send_raw((json.dumps({'type': 'input_response', 'request_id': 'r1', 'token': req['token'],
                                     'data': 'both'}) + '\n' +
                         json.dumps({'type': 'heartbeat', 'request_id': 'h1'}) + '\n').encode())
        events = self.w.finish(eid)
        self.assertEqual([e['request_id'] for e in events if 'request_id' in e], ['r1', 'h1'])
        self.assertEqual(results(events)[0]['repr'], "'both'")

    def test_command_thread_takes_over_after_input(self):
        # After the wait the code goes on: heartbeats and interrupts must still be answered.
        eid, req, _ = self.ask('v = input()\nimport time\ntime.sleep(60)')
        self.assertEqual(self.w.request('input_response', token=req['token'], data='x')['type'], 'ack')
        self.assertEqual(self.w.request('heartbeat')['type'], 'heartbeat_reply')
        self.w.send({'type': 'interrupt', 'execution_id': eid, 'reason': 'user'})
        self.assertEqual(error(self.w.finish(eid, timeout=5))['exception'], 'KeyboardInterrupt')
        self.assertEqual(self.result_repr('v'), "'x'")

    def test_ack_comes_while_code_runs_silently(self):
        # The ack of an input the main thread took waits for the code's next event, but not for ever: code that
        # goes on without a word still gets its ack to Node (request() waits for it).
        eid, req, _ = self.ask('v = input()\nimport time\ntime.sleep(60)')
        ack = self.w.request('input_response', token=req['token'], data='x', timeout=5)
        self.assertEqual(ack['type'], 'ack')
        self.w.send({'type': 'interrupt', 'execution_id': eid, 'reason': 'user'})
        self.w.finish(eid, timeout=5)

    def test_input_from_another_thread(self):
        eid, req, _ = self.ask('import threading\nbox = []\n'
                               't = threading.Thread(target=lambda: box.append(input("t> ")))\n'
                               't.start()\nt.join()\nbox')
        self.assertEqual(req['prompt'], 't> ')
        self.assertEqual(self.w.request('heartbeat')['type'], 'heartbeat_reply')
        self.assertEqual(self.w.request('input_response', token=req['token'], data='thr')['type'], 'ack')
        self.assertEqual(results(self.w.finish(eid))[0]['repr'], "['thr']")

    def test_execute_sent_during_input_waits_its_turn(self):
        eid, req, _ = self.ask('a = input()\na')
        second = self.w.start('a * 2')
        self.w.request('input_response', token=req['token'], data='z')
        self.assertEqual(results(self.w.finish(eid))[0]['repr'], "'z'")
        self.assertEqual(results(self.w.finish(second))[0]['repr'], "'zz'")

    def test_many_round_trips(self):
        for i in range(30):
            eid, req, _ = self.ask("x = input('p')")
            self.w.request('input_response', token=req['token'], data='v%d' % i)
            self.w.finish(eid)
        self.assertEqual(self.result_repr('x'), "'v29'")


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


class InputAfterQuietSpellTest(WorkerTestCase):
    def test_command_thread_wakes_after_input_when_it_slept(self):
        # A fresh worker's command thread sleeps (no naps) until an execution starts; it sleeps again while the
        # main thread reads for input(), and must be woken when that wait ends, not only by the next execution.
        eid = self.w.start('v = input()\nimport time\ntime.sleep(60)')
        req = self.w.recv_until(lambda e: e['type'] == 'input_request')[-1]
        self.assertEqual(self.w.request('input_response', token=req['token'], data='q')['type'], 'ack')
        self.assertEqual(self.w.request('heartbeat')['type'], 'heartbeat_reply')
        self.w.send({'type': 'interrupt', 'execution_id': eid, 'reason': 'user'})
        self.assertEqual(error(self.w.finish(eid, timeout=5))['exception'], 'KeyboardInterrupt')

