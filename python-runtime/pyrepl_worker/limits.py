"""Resource limits: RLIMIT_AS for PYREPL_MEMORY_LIMIT_MB and per-execution output budgets."""
import sys

memory_limit_mb = None

_out_limit = None   # bytes allowed for the running execution, or None
_out_used = 0
_out_exceeded = False
_timeout = None     # seconds of the running execution's wall-clock limit (Node enforces it), or None


def set_memory_limit(mb):
    """Apply RLIMIT_AS; returns the limit in MB actually set, or None."""
    global memory_limit_mb
    try:
        import resource
    except ImportError:  # no RLIMIT_AS on this OS
        return None
    limit = int(mb * 1024 * 1024)
    try:
        _one_malloc_arena()
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ValueError, OSError, AttributeError):
        return None
    memory_limit_mb = mb
    return mb


def _one_malloc_arena():
    # glibc reserves 64 MB of address space for each thread's malloc arena and
    # RLIMIT_AS counts reservations, so our three service threads would eat a
    # small limit before user code allocates anything. Only paid when limited.
    if not sys.platform.startswith('linux'):
        return
    try:
        import ctypes
        libc = ctypes.CDLL(None)
        libc.mallopt(-8, 1)  # M_ARENA_MAX = 1
    except Exception:
        pass


def memory_message():
    mb = memory_limit_mb
    shown = int(mb) if mb == int(mb) else mb
    return 'memory limit of %s MB exceeded' % (shown,)


# Node treats a protocol line over 64 MB as a broken worker. A result repr, an
# exception message or a traceback is cut well below that (ASCII-escaped JSON
# can take 6 bytes per character).
TEXT_CAP = 1000000


def cap_text(text):
    if len(text) <= TEXT_CAP:
        return text
    return '%s\n... [%d more characters not shown]' % (text[:TEXT_CAP], len(text) - TEXT_CAP)


def begin_output(limit):
    global _out_limit, _out_used, _out_exceeded
    valid = isinstance(limit, int) and not isinstance(limit, bool) and limit >= 0
    _out_limit = limit if valid else None
    _out_used = 0
    _out_exceeded = False


def take_output(n):
    """Account n bytes; returns (bytes that may still be sent, crossed_now).

    crossed_now is True only for the call that crosses the limit, so that the
    caller stops the execution exactly once.
    """
    global _out_used, _out_exceeded
    limit = _out_limit
    if limit is None:
        return n, False
    if _out_exceeded:
        return 0, False
    room = limit - _out_used
    if n <= room:
        _out_used += n
        return n, False
    _out_used = limit
    _out_exceeded = True
    return room, True


def output_limit():
    return _out_limit


def begin_timeout(seconds):
    """Node enforces the execution's wall-clock limit; we keep it only to name it in the error."""
    global _timeout
    valid = isinstance(seconds, (int, float)) and not isinstance(seconds, bool) and seconds > 0
    _timeout = seconds if valid else None


def timeout():
    return _timeout


def output_exceeded():
    return _out_exceeded
