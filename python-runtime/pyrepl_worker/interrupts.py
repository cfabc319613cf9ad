"""SIGINT handling: interrupts raise only in user code, never in worker code.

The command thread cannot raise in the main thread directly, so an interrupt
request is delivered as SIGINT (signal.pthread_kill). When the handler finds
the main thread inside the worker's own code (writing an event, flushing
output, waiting for input) it defers: the request stays pending and a short
lived "runner" thread sends the signal again a moment later, until it lands in
user code. Input waits are woken directly instead (see stdin.py).

The handler must never block: it runs on the main thread, which may already
hold any of the worker's locks. State is therefore shared without locks and
relies on single assignments being atomic under the GIL.
"""
import os
import time
import _signal
import _thread

from . import limits

SIGINT = _signal.SIGINT

# A SIGINT that arrives after the main thread's last signal check but before a blocking call starts (time.sleep,
# a lock, a read) is only handled when that call returns, which may be never. One of ours that has not reached the
# handler this long after it was sent is sent again: each one interrupts the blocking call (EINTR), and the call
# then runs the handler. Short, since it is how late such an interrupt lands; a send is one cheap syscall.
RESEND_S = 0.05
# A re-sent SIGINT can reach the handler after the first one already raised. Within this long of our last send, a
# SIGINT that finds nothing pending is taken for such a duplicate rather than for a new one from elsewhere.
DUPLICATE_S = 0.2


class ExecutionTimeout(BaseException):
    """Raised in user code when Node's wall-clock timeout for it passes."""


class OutputLimitExceeded(BaseException):
    """Raised in user code once its output exceeds the execution's output_limit."""


# Shown without a module prefix in tracebacks, like the built-in exceptions.
ExecutionTimeout.__module__ = 'builtins'
OutputLimitExceeded.__module__ = 'builtins'

# Not abspath'd: co_filename holds the path exactly as it was imported.
_PKG = os.path.dirname(__file__) + os.sep
_main_ident = None
_transparent = set()   # code objects of worker functions that run user code
_wakers = []           # callables that hand an interrupt to a blocked wait
_defer_hooks = []      # called (lock-free) when the handler defers

_current = None        # execution id while an execution runs, else None
_pending = None        # (execution_id, reason) not yet raised
_early = None          # (execution_id, reason) that arrived before its execution began
_outstanding = False   # one of our SIGINTs has not reached the handler yet
_last_send = 0.0       # time.monotonic() of our last SIGINT
_runner = False        # the re-delivery thread is alive


def transparent(func):
    """Mark a worker function as calling into user code: frames below it are user code."""
    _transparent.add(func.__code__)
    return func


def add_waker(func):
    _wakers.append(func)


def add_defer_hook(func):
    """func() runs in the handler when it defers; it must not block or take locks."""
    _defer_hooks.append(func)


def pending_here():
    """True when an interrupt waits to be raised and we are on the main thread."""
    return _pending is not None and _thread.get_ident() == _main_ident


def make_exception(reason, output_limit=None):
    if reason == 'timeout':
        seconds = limits.timeout()
        if seconds is None:
            return ExecutionTimeout('execution timed out')
        return ExecutionTimeout('time limit of %s s exceeded' % ('%g' % seconds,))
    if reason == 'output':
        return OutputLimitExceeded('output limit of %s bytes exceeded' % (output_limit,))
    return KeyboardInterrupt()


def _in_worker_code(frame):
    while frame is not None:
        code = frame.f_code
        if code in _transparent:
            return False
        if code.co_filename.startswith(_PKG):
            return True
        frame = frame.f_back
    return False


def _handler(signum, frame):
    global _pending, _outstanding
    ours = _outstanding or time.monotonic() - _last_send < DUPLICATE_S
    _outstanding = False
    current = _current
    if current is None:          # idle: interrupts are ignored
        _pending = None
        return
    req = _pending
    if req is None or req[0] != current:
        if ours:                 # a duplicate of one already raised
            return
        req = (current, 'user')  # SIGINT from elsewhere, e.g. os.kill by user code
    if _in_worker_code(frame):
        _pending = req
        for hook in _defer_hooks:
            hook()
        _ensure_runner()
        return
    _pending = None
    raise make_exception(req[1], limits.output_limit())


def install():
    global _main_ident
    _main_ident = _thread.get_ident()
    _signal.signal(SIGINT, _handler)


def after_fork_in_child():
    """A forked child (multiprocessing) behaves like a plain Python process."""
    global _main_ident, _current, _pending, _outstanding, _runner
    _main_ident = _thread.get_ident()
    _current = _pending = None
    _outstanding = _runner = False
    try:
        _signal.signal(SIGINT, _signal.default_int_handler)
    except (ValueError, OSError):
        pass


def reinstall():
    """Put our handler back if user code replaced it during the last execution."""
    try:
        if _signal.getsignal(SIGINT) is not _handler:
            _signal.signal(SIGINT, _handler)
    except (ValueError, OSError, TypeError):
        pass


def begin(execution_id):
    global _current, _pending, _outstanding, _early
    _pending = None
    _outstanding = False
    _current = execution_id
    # Node may interrupt an execution it has sent before the main thread starts it: honour that now. _early is read
    # after _current is set, and request() re-checks _current after storing _early, so however the two threads
    # interleave at least one of them sees the other's store (twice does no harm).
    early = _early
    if early is not None and early[0] == execution_id:
        _early = None
        request(execution_id, early[1])


def end():
    global _current, _pending
    _current = None
    _pending = None


def request(execution_id, reason):
    """Ask for the running execution to be interrupted (any thread)."""
    global _pending, _early
    if execution_id is None:
        return False
    if execution_id != _current:
        # Not started yet (its execute is on its way to the main thread), or already over: remember it for
        # begin(), which ignores it unless that very execution starts next.
        _early = early = (execution_id, reason)
        if execution_id != _current or _early is not early:
            return False
        _early = None  # begin() ran meanwhile and may have missed it
    if reason not in ('user', 'timeout', 'output'):
        reason = 'user'
    req = _pending
    if req is None or req[0] != execution_id:
        _pending = (execution_id, reason)
    _ensure_runner()
    return True


def take():
    """Claim the pending interrupt of the running execution as an exception, or None."""
    global _pending
    req = _pending
    if req is None or req[0] != _current:
        return None
    _pending = None
    return make_exception(req[1], limits.output_limit())


def _ensure_runner():
    global _runner
    if not _runner:
        _runner = True
        try:
            _thread.start_new_thread(_run, ())
        except Exception:  # e.g. no memory left for a thread: never raise from the handler
            _runner = False


def _run():
    global _runner
    try:
        _redeliver()
    except BaseException:
        _runner = False


def _send():
    global _outstanding, _last_send
    _outstanding = True
    _last_send = time.monotonic()
    try:
        _signal.pthread_kill(_main_ident, SIGINT)
    except (OSError, ValueError):
        _outstanding = False


def _redeliver():
    global _runner
    delay = 0.001
    while True:
        req = _pending
        if req is None or req[0] != _current:
            _runner = False
            # A request may have arrived between the check and the store above.
            req = _pending
            if req is None or req[0] != _current or _runner:
                return
            _runner = True
            continue
        handed = False
        for wake in _wakers:
            try:
                handed = wake() or handed
            except Exception:
                pass
        if not handed and (not _outstanding or time.monotonic() - _last_send >= RESEND_S):
            _send()
        time.sleep(delay)
        delay = min(delay * 2, 0.02)
