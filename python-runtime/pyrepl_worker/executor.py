"""Executions: compile a cell, run it in __main__, report result or error.

The cell is parsed once; when its last statement is an expression it is split
off and evaluated separately so its value becomes the result. Cells are
compiled with PyCF_ALLOW_TOP_LEVEL_AWAIT; a cell that awaits runs as a task on
one persistent asyncio loop, created when the first such cell appears.
"""
import builtins
import os
import sys
import time
import _ast

from . import capture, channel, commands, interrupts, limits, stdin, streams, tracebacks

CO_COROUTINE = 0x80
_ALLOW_AWAIT = _ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
_ONLY_AST = _ast.PyCF_ONLY_AST
_ROLLBACK = ('rollback_on_failure', 'rollback_always')
_SAFE_INT = 2 ** 53  # beyond this JSON.parse in Node silently loses precision
_VALUE_MAX = 65536

namespace = None       # __main__.__dict__, set by main
execution_count = 0
future_flags = 0
_future_bits = None
_loop = None


def _future_mask():
    global _future_bits
    if _future_bits is None:
        import __future__
        bits = 0
        for name in __future__.all_feature_names:
            bits |= getattr(__future__, name).compiler_flag
        _future_bits = bits
    return _future_bits


# Words that start statements only, never an expression (soft keywords such as match are left out: match(x) is a
# call). A line that starts with one needs no failing 'eval' compile first.
_STATEMENT_WORDS = frozenset(('import', 'from', 'def', 'class', 'for', 'while', 'if', 'with', 'try', 'return',
                              'del', 'pass', 'global', 'nonlocal', 'raise', 'assert', 'async', 'break', 'continue'))
_AUGMENTED = frozenset('+-/%&|^@')


def _plain_statement(line):
    """True when the line is surely a statement that is no expression: it starts with a statement word, or it
    assigns to a name or attribute (`x = ...`, `a.b += ...`). Any other line (`d[k] = v`, `a, b = c`) returns
    False and takes the 'eval' attempt, which decides it. Saves that attempt's SyntaxError, a third of the compile."""
    text = line.lstrip()
    end = len(text)
    i = 0
    while i < end and (text[i].isalnum() or text[i] in '_.'):
        i += 1
    if i == 0:
        return False
    if text[:i] in _STATEMENT_WORDS:
        return True
    while i < end and text[i] in ' \t':
        i += 1
    if i + 1 < end and text[i] in '<>/' and text[i + 1] == text[i]:  # <<= >>= //=
        i += 2
    elif i < end and text[i] in _AUGMENTED:  # += -= /= ...; a lone < or > before = compares
        i += 1
    return i + 1 < end and text[i] == '=' and text[i + 1] != '='


def _note_future(module_code, source):
    """Later cells compile with the __future__ flags this one set (as the REPL does); True when it may have set some."""
    global future_flags
    if module_code is None or '__future__' not in source:
        return False
    future_flags |= module_code.co_flags & _future_mask()
    return True


def _compile(source, filename):
    """Returns (code for all statements or None, code for a final expression or None)."""
    flags = future_flags | _ALLOW_AWAIT
    if '\n' not in source.rstrip():
        single = ';' not in source and '*' not in source
        if not (single and _plain_statement(source)):
            # One line is most often one expression: compiling it directly is half
            # the cost of the AST round trip below, and failing is cheap.
            try:
                return None, compile(source, filename, 'eval', flags, True)
            except SyntaxError:
                pass
        if single:
            # Then it is one statement, and not an expression (the only expression statements that 'eval' refuses
            # are starred ones, `*a, b`): it has no value to split off, and compiling it directly costs half the
            # AST round trip below (x = input(), import os). A ';' or '*' inside a string only takes the slow path.
            module_code = compile(source, filename, 'exec', flags, True)
            _note_future(module_code, source)
            return module_code, None
    tree = compile(source, filename, 'exec', flags | _ONLY_AST, True)
    body = tree.body
    last = body.pop() if body and isinstance(body[-1], _ast.Expr) else None
    module_code = compile(tree, filename, 'exec', flags, True) if body else None
    if _note_future(module_code, source):
        flags = future_flags | _ALLOW_AWAIT
    expr_code = None
    if last is not None:
        expr_code = compile(_ast.Expression(last.value), filename, 'eval', flags, True)
    return module_code, expr_code


@interrupts.transparent
def _run(code, ns):
    return eval(code, ns)


@interrupts.transparent
def _user_repr(value):
    return repr(value)


def _event_loop():
    global _loop
    import asyncio
    if _loop is None or _loop.is_closed():
        _loop = asyncio.new_event_loop()
        tracebacks.add_leading_module(asyncio)
        tracebacks.add_leading_module(sys.modules.get('selectors'))
    # asyncio.run() in user code resets the current loop; put ours back.
    asyncio.set_event_loop(_loop)
    return _loop


@interrupts.transparent
def _run_coroutine(coro):
    loop = _event_loop()
    task = loop.create_task(coro)
    try:
        return loop.run_until_complete(task)
    except BaseException:
        if not task.done():  # interrupted while the loop waited: do not leave it half-run
            task.cancel()
            try:
                loop.run_until_complete(task)
            except BaseException:
                pass
        raise


def json_value(value):
    """value's JSON text when it is JSON-native and small enough to send as is, else None."""
    if type(value) is int:  # the common case, without the walk below
        return repr(value) if -_SAFE_INT < value < _SAFE_INT else None
    budget = [_VALUE_MAX]

    def ok(v, depth):
        t = type(v)
        if t is str:
            budget[0] -= len(v) + 2
        elif t is bool or v is None:
            budget[0] -= 5
        elif t is int:
            if not -_SAFE_INT < v < _SAFE_INT:
                return False
            budget[0] -= 17
        elif t is float:
            if v != v or v in (float('inf'), float('-inf')):
                return False
            budget[0] -= 24
        elif t is list:
            if depth > 50:
                return False
            budget[0] -= 2
            for item in v:
                if budget[0] < 0 or not ok(item, depth + 1):
                    return False
        elif t is dict:
            if depth > 50:
                return False
            budget[0] -= 2
            for key, item in v.items():
                if type(key) is not str or budget[0] < 0:
                    return False
                budget[0] -= len(key) + 3
                if not ok(item, depth + 1):
                    return False
        else:
            return False
        return budget[0] >= 0

    try:
        if ok(value, 0):
            text = channel.encode(value)
            if len(text) < _VALUE_MAX:
                return text
    except Exception:
        pass
    return None


def _error_event(eid, exc):
    message = tracebacks.safe_str(exc)
    limit = None
    last_line = None
    if isinstance(exc, interrupts.ExecutionTimeout):
        limit = 'timeout'
    elif isinstance(exc, interrupts.OutputLimitExceeded):
        limit = 'output'
    elif isinstance(exc, MemoryError) and limits.memory_limit_mb is not None:
        limit = 'memory'
        message = limits.memory_message()
        last_line = 'MemoryError: ' + message
    event = {'type': 'error', 'execution_id': eid, 'exception': type(exc).__name__,
             'message': limits.cap_text(message),
             'traceback': limits.cap_text(tracebacks.format_exception(exc, last_line))}
    if limit is not None:
        event['limit'] = limit
    # Like the REPL, so that pdb.pm() and friends work.
    sys.last_type, sys.last_value, sys.last_traceback = type(exc), exc, exc.__traceback__
    if sys.version_info >= (3, 12):
        sys.last_exc = exc
    return event


def _output_limit_event(eid):
    exc = interrupts.make_exception('output', limits.output_limit())
    message = str(exc)
    return {'type': 'error', 'execution_id': eid, 'exception': type(exc).__name__,
            'message': message, 'traceback': '%s: %s\n' % (type(exc).__name__, message),
            'limit': 'output'}


def execute(msg):
    global execution_count
    eid = msg.get('execution_id')
    source = msg.get('code')
    policy = msg.get('transaction_policy')
    ns = namespace
    execution_count += 1
    count = execution_count
    started = time.perf_counter()
    eid_json = channel.encode(eid)
    capture.begin(eid, eid_json, msg.get('output_limit'))
    limits.begin_timeout(msg.get('timeout'))  # absent: no time limit
    snapshot = ns.copy() if policy in _ROLLBACK else None
    value = rep = error = None
    interrupts.begin(eid)
    commands.execution_started()
    try:
        if not isinstance(source, str):
            raise TypeError('execute: "code" must be a string')
        filename = '<cell-%d>' % count
        tracebacks.register_cell(filename, source)
        module_code, expr_code = _compile(source, filename)
        if module_code is not None:
            coro = _run(module_code, ns)
            if module_code.co_flags & CO_COROUTINE:
                _run_coroutine(coro)
        if expr_code is not None:
            value = _run(expr_code, ns)
            if expr_code.co_flags & CO_COROUTINE:
                value = _run_coroutine(value)
            if value is not None:
                rep = _user_repr(value)
                builtins._ = value
    except SystemExit as exc:
        _exit(eid, exc)
    except BaseException as exc:
        error = exc
    interrupts.end()
    # Reading goes back to the main thread before the reply goes out, so the
    # command thread parks while we format and send, not after.
    commands.execution_ended()

    # Events are formatted by hand: this is the hot path of every execution.
    if error is not None:
        event = channel.encode(_error_event(eid, error)) + '\n'
        error = None
    elif rep is not None:
        vjson = json_value(value)
        event = '{"type":"result","execution_id":%s,"repr":%s,"execution_count":%d%s}\n' % (
            eid_json, channel.encode_str(limits.cap_text(rep)), count,
            ',"value":' + vjson if vjson else '')
    else:
        event = ''
    value = None
    if capture.finish() and not event.startswith('{"type":"error"'):
        event = channel.encode(_output_limit_event(eid)) + '\n'
    status = 'error' if event.startswith('{"type":"error"') else 'ok'
    if snapshot is not None and (status == 'error' or policy == 'rollback_always'):
        ns.clear()
        ns.update(snapshot)
    snapshot = None
    capture.restore()
    stdin.restore()
    interrupts.reinstall()

    event += ('{"type":"execute_reply","execution_id":%s,"status":"%s","execution_count":%d,'
              '"execution_time":%r}\n' % (eid_json, status, count,
                                          round(time.perf_counter() - started, 6)))
    channel.send(event.encode('ascii'))


def _exit(eid, exc):
    """exit()/sys.exit(): report the code, then end the process with it."""
    interrupts.end()
    code = exc.code
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:  # like the interpreter: print the object, exit with 1
        try:
            streams.stderr.write(str(code) + '\n')
        except BaseException:
            pass
        status = 1
    try:
        import atexit
        atexit._run_exitfuncs()
    except BaseException:
        pass
    capture.finish()
    channel.emit({'type': 'exit', 'execution_id': eid, 'code': status})
    try:
        os._exit(status)
    except (OverflowError, ValueError):
        os._exit(1)
