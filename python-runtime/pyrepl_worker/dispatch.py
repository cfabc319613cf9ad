"""Command dispatch.

Commands are handled by whichever thread read them (see commands.py): the main
thread while idle, the command thread while an execution runs. An execute that
reaches the command thread waits for the main thread. Everything else is
answered at once. complete/is_complete/inspect run user code
(properties, __repr__), so they go to a helper thread: a hanging __repr__ must
not stop heartbeats, input responses or interrupts.
"""
import os
import _queue
import _thread

from . import capture, channel, commands, completion, executor, interrupts, namespace, stdin

_helper_jobs = _queue.SimpleQueue()
_idle_helpers = 0
_helpers_lock = _thread.allocate_lock()


def _error(request_id, code, message):
    if not isinstance(request_id, str) or not request_id:
        # Node drops a request_error without a request id as malformed.
        channel.log('warning', '%s: %s' % (code, message))
        return
    channel.emit({'type': 'request_error', 'request_id': request_id, 'code': code,
                  'message': message})


def _helper():
    global _idle_helpers
    while True:
        func, msg = _helper_jobs.get()
        try:
            func(msg)
        except Exception as exc:
            _error(msg.get('request_id'), 'internal_error', '%s: %s' % (type(exc).__name__, exc))
        with _helpers_lock:
            _idle_helpers += 1


def _to_helper(func, msg):
    """Run func(msg) on a helper thread; start another one if all are busy, so a
    __repr__ that never returns blocks only the request that called it."""
    global _idle_helpers
    with _helpers_lock:  # every queued job has a helper of its own waiting for it
        start = _idle_helpers == 0
        if not start:
            _idle_helpers -= 1
    if start:
        _thread.start_new_thread(_helper, ())
    _helper_jobs.put((func, msg))


def _complete(msg):
    code = msg.get('code')
    if not isinstance(code, str):
        return _error(msg.get('request_id'), 'bad_request', '"code" must be a string')
    matches, start, end = completion.complete(code, msg.get('cursor'), executor.namespace)
    channel.emit({'type': 'complete_reply', 'request_id': msg.get('request_id'),
                  'matches': matches, 'cursor_start': start, 'cursor_end': end})


def _is_complete(msg):
    code = msg.get('code')
    if not isinstance(code, str):
        return _error(msg.get('request_id'), 'bad_request', '"code" must be a string')
    status, indent = completion.is_complete(code, executor.future_flags)
    channel.emit({'type': 'is_complete_reply', 'request_id': msg.get('request_id'),
                  'status': status, 'indent': indent})


def _inspect(msg):
    max_repr = msg.get('max_repr')
    if not isinstance(max_repr, int) or isinstance(max_repr, bool) or max_repr < 1:
        max_repr = 200
    channel.emit({'type': 'inspect_reply', 'request_id': msg.get('request_id'),
                  'variables': namespace.variables(executor.namespace, max_repr)})


def _input(msg, kind):
    rid = msg.get('request_id')
    data = msg.get('data', '')
    if kind == 'data' and not isinstance(data, str):
        return _error(rid, 'bad_request', '"data" must be a string')
    if stdin.respond(msg.get('token'), kind, data):
        ack = {'type': 'ack', 'request_id': rid}
        if commands.answered_own_wait():
            channel.hold(ack)  # goes out with user code's next event (channel.hold says why)
        else:
            channel.emit(ack)
    else:
        _error(rid, 'unknown_input_token', 'no pending input request has token %r'
               % (msg.get('token'),))


def _shutdown(msg):
    try:
        channel.send_held()
        capture.flush()
    finally:
        os._exit(0)


def handle(msg):
    kind = msg.get('type')
    if kind == 'interrupt':
        interrupts.request(msg.get('execution_id'), msg.get('reason'))
    elif kind == 'heartbeat':
        channel.emit({'type': 'heartbeat_reply', 'request_id': msg.get('request_id')})
    elif kind == 'input_response':
        _input(msg, 'data')
    elif kind == 'input_cancel':
        _input(msg, 'cancel')
    elif kind == 'complete':
        _to_helper(_complete, msg)
    elif kind == 'is_complete':
        _to_helper(_is_complete, msg)
    elif kind == 'inspect':
        _to_helper(_inspect, msg)
    elif kind == 'shutdown':
        _shutdown(msg)
    elif 'request_id' in msg:
        _error(msg['request_id'], 'unknown_command', 'unknown command type %r' % (kind,))
    else:
        channel.log('warning', 'unknown command type %r' % (kind,))


def decode_line(line):
    try:
        msg = channel.decode(line.decode('utf-8'))
    except (ValueError, UnicodeDecodeError) as exc:
        channel.log('error', 'unreadable command: %s' % (exc,))
        return None
    if not isinstance(msg, dict):
        channel.log('error', 'command is not a JSON object')
        return None
    return msg
