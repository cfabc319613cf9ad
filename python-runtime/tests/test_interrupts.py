import time
import unittest

from tests.harness import WorkerTestCase, error, output_text, reply, results


class InterruptTest(WorkerTestCase):
    def interrupt_after(self, code, delay=0.2, reason='user', timeout=3.0, time_limit=None):
        eid = self.w.start(code, time_limit=time_limit)
        time.sleep(delay)
        sent = time.monotonic()
        self.w.send({'type': 'interrupt', 'execution_id': eid, 'reason': reason})
        events = self.w.finish(eid, timeout=timeout)
        return events, time.monotonic() - sent

    def test_busy_loop(self):
        self.run_ok('keep = "intact"')
        events, took = self.interrupt_after('while True:\n    pass')
        err = error(events)
        self.assertEqual(err['exception'], 'KeyboardInterrupt')
        self.assertNotIn('limit', err)
        self.assertIn('<cell-', err['traceback'])
        self.assertNotIn('pyrepl_worker', err['traceback'])
        self.assertLess(took, 1.0)
        self.assertEqual(self.result_repr('keep'), "'intact'")

    def test_sleep(self):
        events, took = self.interrupt_after('import time\ntime.sleep(100)')
        self.assertEqual(error(events)['exception'], 'KeyboardInterrupt')
        self.assertLess(took, 1.0)

    def test_timeout_reason(self):
        events, _ = self.interrupt_after('import time\ntime.sleep(100)', reason='timeout', time_limit=0.2)
        err = error(events)
        self.assertEqual(err['exception'], 'ExecutionTimeout')
        self.assertEqual(err['limit'], 'timeout')
        self.assertEqual(err['message'], 'time limit of 0.2 s exceeded')
        self.assertIn('ExecutionTimeout: time limit of 0.2 s exceeded', err['traceback'])

    def test_timeout_reason_without_a_known_limit(self):
        events, _ = self.interrupt_after('import time\ntime.sleep(100)', reason='timeout')
        self.assertEqual(error(events)['message'], 'execution timed out')

    def test_timeout_not_caught_by_except_exception(self):
        code = 'import time\ntry:\n    time.sleep(100)\nexcept Exception:\n    pass'
        events, _ = self.interrupt_after(code, reason='timeout')
        self.assertEqual(error(events)['exception'], 'ExecutionTimeout')

    def test_interrupt_while_printing(self):
        # SIGINT lands inside the worker's output code most of the time: it
        # must be deferred, never cut an event, and still stop the loop.
        events, took = self.interrupt_after('i = 0\nwhile True:\n    print("spam " * 20)\n    i += 1')
        self.assertEqual(error(events)['exception'], 'KeyboardInterrupt')
        self.assertLess(took, 2.0)
        self.assertTrue(output_text(events).startswith('spam'))
        self.assertEqual(self.result_repr('i > 0'), 'True')

    def test_interrupt_async(self):
        events, took = self.interrupt_after('import asyncio\nawait asyncio.sleep(100)')
        err = error(events)
        self.assertEqual(err['exception'], 'KeyboardInterrupt')
        self.assertNotIn('asyncio', err['traceback'])
        self.assertLess(took, 1.0)
        self.assertEqual(self.result_repr('await asyncio.sleep(0, result=3)'), '3')

    def test_idle_and_stale_interrupts_ignored(self):
        eid = self.w.start('1')
        self.w.finish(eid)
        self.w.send({'type': 'interrupt', 'execution_id': eid, 'reason': 'user'})
        self.w.send({'type': 'interrupt', 'execution_id': 'never-ran', 'reason': 'user'})
        time.sleep(0.1)
        self.assertEqual(self.result_repr('import time\ntime.sleep(0.2)\n5'), '5')

    def test_wrong_execution_id_ignored(self):
        eid = self.w.start('import time\ntime.sleep(0.3)\n6')
        self.w.send({'type': 'interrupt', 'execution_id': 'other', 'reason': 'user'})
        events = self.w.finish(eid)
        self.assertEqual(results(events)[0]['repr'], '6')

    def test_replaced_handler_is_reinstalled(self):
        self.run_ok('import signal\nold = signal.signal(signal.SIGINT, signal.SIG_IGN)')
        events, _ = self.interrupt_after('import time\ntime.sleep(100)')
        self.assertEqual(error(events)['exception'], 'KeyboardInterrupt')

    def test_user_code_catching_keyboardinterrupt(self):
        code = ('import time\ntry:\n    time.sleep(100)\nexcept KeyboardInterrupt:\n'
                '    caught = True\ncaught')
        events, _ = self.interrupt_after(code)
        self.assertEqual(results(events)[0]['repr'], 'True')

    def test_interrupt_that_missed_the_handler_is_sent_again(self):
        # A SIGINT that lands just before a blocking call starts is only handled when the call returns. Here the
        # cell makes one miss the handler for sure (ignored, and it waits until one was sent), then blocks: the
        # interrupt must come again and stop the sleep, not leave the execution to Node's kill after the grace.
        code = ('import signal, sys, time\nstate = sys.modules["pyrepl_worker.interrupts"]\n'
                'old = signal.signal(signal.SIGINT, signal.SIG_IGN)\nprint("ignoring", flush=True)\n'
                't = time.monotonic()\nwhile not state._outstanding and time.monotonic() - t < 10:\n    pass\n'
                'signal.signal(signal.SIGINT, old)\ntime.sleep(100)')
        eid = self.w.start(code)
        self.w.recv_until(lambda e: e.get('type') == 'output' and 'ignoring' in e.get('data', ''), timeout=10)
        sent = time.monotonic()
        self.w.send({'type': 'interrupt', 'execution_id': eid, 'reason': 'user'})
        err = error(self.w.finish(eid, timeout=5))
        self.assertEqual(err['exception'], 'KeyboardInterrupt')
        self.assertIn('time.sleep(100)', err['traceback'])
        self.assertLess(time.monotonic() - sent, 2.0)

    def test_heartbeat_while_running(self):
        eid = self.w.start('while True:\n    pass')
        time.sleep(0.1)
        self.assertEqual(self.w.request('heartbeat', timeout=2)['type'], 'heartbeat_reply')
        self.assertEqual(self.w.request('inspect', timeout=2)['type'], 'inspect_reply')
        self.w.send({'type': 'interrupt', 'execution_id': eid, 'reason': 'user'})
        self.assertEqual(reply(self.w.finish(eid))['status'], 'error')


if __name__ == '__main__':
    unittest.main()
