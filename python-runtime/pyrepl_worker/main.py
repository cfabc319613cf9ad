"""Entry point: start-up (fds, environment, __main__, capture), then the main loop.

Node runs: python -c "import sys;sys.path.insert(0,sys.argv[1]);
import pyrepl_worker.main as m;m.main()" /abs/path/to/python-runtime
"""
import builtins
import faulthandler
import os
import sys
import _thread

# Every worker module is imported now: the runtime dir leaves sys.path below.
from . import (PROTOCOL_VERSION, capture, channel, commands, completion, dispatch,  # noqa: F401
               executor, fdpatches, interrupts, limits, namespace, onimport, stdin, streams,
               tracebacks)
from . import user_dont_write_bytecode

sys.dont_write_bytecode = user_dont_write_bytecode

_SERVICE_STACK = 256 * 1024  # our threads run shallow code; keeps VM size small
_previous_main = None         # the bootstrap's __main__, kept so nothing in it is finalized


def _number(env, name, default, cast):
    value = env.get(name)
    if value is None or value.strip() == '':
        return default
    try:
        return cast(value)
    except ValueError:
        sys.stderr.write('pyrepl worker: ignoring %s=%r\n' % (name, value))
        return default


def _take_environment():
    """Read and remove PYREPL_*: user code and its subprocesses must not see them."""
    env = {}
    for key in list(os.environ):
        if key.startswith('PYREPL_'):
            env[key] = os.environ.pop(key)
    return env


def _move_channel(env):
    cmd = _number(env, 'PYREPL_CMD_FD', 3, int)
    evt = _number(env, 'PYREPL_EVT_FD', 4, int)
    cmd_high = channel.dup_high(cmd)
    evt_high = channel.dup_high(evt)
    os.close(cmd)
    os.close(evt)
    channel.set_event_fd(evt_high)
    return cmd_high


def _fresh_main(runtime_dir):
    while runtime_dir in sys.path:
        sys.path.remove(runtime_dir)
    sys.argv[:] = ['']
    module = type(sys)('__main__')
    module.__dict__['__builtins__'] = builtins
    module.__dict__['__annotations__'] = {}
    global _previous_main
    _previous_main = sys.modules.get('__main__')
    sys.modules['__main__'] = module
    return module.__dict__


class _ForkWarningText(object):
    # A warnings filter "regex": the filter list only needs .match(), and a
    # real regex would import re (milliseconds of start-up) for one filter.
    @staticmethod
    def match(text):
        return 'use of fork() may lead to deadlocks' in text


def _quiet_fork_warning():
    """3.12+ warns on fork() when threads exist. Ours are an implementation
    detail whose locks are reset in the child, so a plain REPL user would not
    see this warning and should not see it here either."""
    if sys.version_info >= (3, 12):
        import _warnings
        _warnings.filters.insert(0, ('ignore', _ForkWarningText(), DeprecationWarning, None, 0))


def _implementation():
    name = sys.implementation.name
    return {'cpython': 'CPython', 'pypy': 'PyPy'}.get(name, name)


def main():
    runtime_dir = sys.argv[1] if len(sys.argv) > 1 else None
    env = _take_environment()
    cmd_fd = _move_channel(env)

    # faulthandler writes to the *original* stderr, which Node keeps: a
    # segfault's Python traceback must not vanish into the capture pipe.
    faulthandler.enable(file=channel.dup_high(2), all_threads=True)

    memory_mb = _number(env, 'PYREPL_MEMORY_LIMIT_MB', None, float)
    if memory_mb is not None:
        memory_mb = limits.set_memory_limit(memory_mb)
        if memory_mb is not None and memory_mb == int(memory_mb):
            memory_mb = int(memory_mb)
    flush_ms = _number(env, 'PYREPL_FLUSH_MS', 2.0, float)
    chunk = _number(env, 'PYREPL_OUTPUT_CHUNK', 65536, int)

    executor.namespace = _fresh_main(runtime_dir)
    tracebacks.set_bootstrap(sys._getframe())
    tracebacks.install()
    capture.install(flush_ms, chunk, channel.dup_high)
    fdpatches.install()
    stdin.install()
    interrupts.install()

    commands.set_fds(cmd_fd, _high_pipe(), _high_pipe())
    commands.set_handlers(dispatch.decode_line, dispatch.handle)
    # Flushing first keeps the parent's buffered output ahead of the child's.
    os.register_at_fork(before=capture.flush, after_in_child=_after_fork_in_child)
    _quiet_fork_warning()
    _thread.stack_size(_SERVICE_STACK)
    try:
        capture.start_thread()
        _thread.start_new_thread(commands.command_thread, ())
    finally:
        _thread.stack_size(0)

    channel.emit({'type': 'ready', 'protocol': PROTOCOL_VERSION, 'pid': os.getpid(),
                  'python_version': sys.version.split()[0], 'implementation': _implementation(),
                  'executable': sys.executable, 'memory_limit_mb': memory_mb})
    _loop()


def _high_pipe():
    r, w = os.pipe()
    pipe = channel.dup_high(r), channel.dup_high(w)
    os.close(r)
    os.close(w)
    return pipe


def _after_fork_in_child():
    # os.fork()/multiprocessing children inherit the channel fds and our
    # locks, but none of our threads. They write output to fd 1/2 (relayed by
    # the parent) and never touch the channel.
    for module in (channel, commands, capture, interrupts, stdin):
        try:
            module.after_fork_in_child()
        except Exception:
            pass


def _loop():
    next_line = commands.next_line
    decode = dispatch.decode_line
    while True:
        line = next_line()
        if not line.strip():
            continue
        msg = decode(line)
        if msg is None:
            continue
        if msg.get('type') != 'execute':
            dispatch.handle(msg)
            continue
        try:
            executor.execute(msg)
        except BaseException as exc:  # a worker bug: report it, keep the session alive
            commands.execution_ended()
            _internal_error(msg, exc)


def _internal_error(msg, exc):
    eid = msg.get('execution_id')
    channel.log('error', 'execute failed: %r' % (exc,))
    channel.emit_many(({'type': 'error', 'execution_id': eid, 'exception': type(exc).__name__,
                        'message': 'internal worker error: %s' % (exc,), 'traceback': ''},
                       {'type': 'execute_reply', 'execution_id': eid, 'status': 'error',
                        'execution_count': executor.execution_count, 'execution_time': 0.0}))
