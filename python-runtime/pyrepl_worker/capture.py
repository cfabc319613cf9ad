"""Output capture: fd 1/2 pipes, ordered output events, the I/O thread.

fd 1 and 2 point at pipes of ours, so os.write, subprocesses and C code are
captured. Every flush drains those pipes before sending Python-level output
(streams.py), and os.write/os.system/subprocess.Popen flush the Python buffers
before they write or start (fdpatches.py): both paths stay in order. The I/O
thread relays pipe data at once and runs the coalescing timer.
"""
import os
import select
import sys
import time
import _thread

from . import channel, interrupts, limits, streams

os_write = channel._os_write   # the unpatched ones
_os_read = channel._os_read
_monotonic = time.monotonic

_eid = b'null'         # JSON of the running execution's id, for output events
_eid_raw = None
_emit_lock = _thread.RLock()   # order of output events; reentrant for nested flushes
_wake_r = _wake_w = -1
_pipe_info = {}        # read fd -> (stream name, fd it captures)
_pipe_poll = None
_pipes_changed = 0     # bumped when a pipe is replaced: the I/O thread re-polls
_broken = set()        # fd 1/2 whose pipe lost its last writer (closed or redirected)
_dup_high = None
_originals = ()        # start-up stream objects; kept so their finalizers never close fd 1/2


def _events(stream, data, lines):
    """Output events: a JSON header line naming the payload's size, then the raw bytes (docs/worker-protocol.md).

    Raw bytes cost nothing to frame; escaping them into a JSON string cost more than everything else on the output
    path, and Node decodes UTF-8 (across chunk boundaries) faster than Python could.
    """
    step = streams.CHUNK
    for i in range(0, len(data), step):
        piece = data[i:i + step]
        lines.append(b'{"type":"output","execution_id":%s,"stream":"%s","bytes":%d}\n' % (_eid, stream, len(piece)))
        lines.append(piece)


def _account(stream, data, lines):
    allowed, crossed = limits.take_output(len(data))
    if allowed < len(data):
        data = data[:allowed]
    if allowed:
        _events(stream, data, lines)
    return crossed


def _drain_locked(lines):
    # We keep no write end of our own, so EOF on a pipe means user code closed
    # or redirected fd 1/2 (and no child holds it): restore() repairs it. This
    # costs no syscall beyond the poll that a flush needs anyway.
    crossed = False
    for fd, ev in _pipe_poll.poll(0):
        stream, target = _pipe_info[fd]
        if ev & select.POLLNVAL:  # our read end was closed behind our back
            _retire_pipe(fd, target)
            continue
        # Bounded: a child that writes without pause must not keep us here.
        for _ in range(16):
            try:
                data = _os_read(fd, 262144)
            except InterruptedError:
                continue
            except OSError:  # EAGAIN: drained
                break
            if not data:
                _retire_pipe(fd, target)
                break
            crossed = _account(stream, data, lines) or crossed
            if len(data) < 262144:
                break
    return crossed


def _retire_pipe(fd, target):
    global _pipes_changed
    _pipe_poll.unregister(fd)
    del _pipe_info[fd]
    _broken.add(target)
    _pipes_changed += 1
    try:
        os.close(fd)
    except OSError:
        pass
    wake_io_thread()  # its poll set still holds the closed fd


def _send(lines):
    if lines:
        channel.send(b''.join(lines))


def _stop_for_output():
    interrupts.request(_eid_raw, 'output')


def _drain_and_send():
    with _emit_lock:
        lines = []
        crossed = _drain_locked(lines)
        _send(lines)
    if crossed:
        _stop_for_output()


def emit_python_output(stream, data):
    """A chunk of Python-level output (from streams.py): pipes first, then it."""
    with _emit_lock:
        lines = []
        crossed = _drain_locked(lines)
        crossed = _account(stream, data, lines) or crossed
        _send(lines)
    if crossed:
        _stop_for_output()


def flush():
    """Send everything written so far: fd pipes first, then the Python buffers."""
    if not streams._forked:
        _drain_and_send()
    streams.flush_buffers()


def wake_io_thread():
    try:
        os_write(_wake_w, b'\0')
    except OSError:
        pass  # pipe full: the I/O thread is awake anyway


def _io_loop():
    seen = -1
    bad = select.POLLNVAL | select.POLLERR
    while True:
        try:
            if seen != _pipes_changed:
                seen = _pipes_changed
                poller = select.poll()
                for fd in list(_pipe_info) + [_wake_r]:
                    poller.register(fd, select.POLLIN)
            deadline = streams.deadline
            timeout = None if deadline is None else max(0.0, (deadline - _monotonic()) * 1000.0)
            drain = False
            for fd, ev in poller.poll(timeout):
                if fd == _wake_r:
                    try:
                        _os_read(_wake_r, 4096)
                    except OSError:
                        pass
                elif ev & bad:
                    poller.unregister(fd)  # closed behind our back: do not spin
                else:
                    drain = True  # data, or POLLHUP: the drain retires the pipe
            if drain:
                _drain_and_send()
            deadline = streams.deadline
            if deadline is not None and _monotonic() >= deadline:
                streams.timer_flush()
        except Exception as exc:
            channel.log('error', 'output thread: %r' % (exc,))
            time.sleep(0.01)


def begin(execution_id, eid_json, output_limit):
    global _eid, _eid_raw
    if streams.deadline is not None:  # a background thread's output belongs to no execution
        flush()
    with _emit_lock:
        _eid_raw = execution_id
        _eid = eid_json.encode('ascii')
    limits.begin_output(output_limit)


def finish():
    """Flush the execution's output and detach its id. True if output_limit was exceeded."""
    global _eid, _eid_raw
    flush()
    with _emit_lock:
        _eid = b'null'
        _eid_raw = None
    return limits.output_exceeded()


def current_execution_id():
    return _eid_raw


def restore():
    """Undo user damage to the output plumbing after an execution."""
    out, err = streams.stdout, streams.stderr
    if sys.stdout is not out:
        sys.stdout = out
    if sys.stderr is not err:
        sys.stderr = err
    sys.__stdout__ = out
    sys.__stderr__ = err
    if _broken:
        with _emit_lock:
            for target in sorted(_broken):
                _new_pipe(target)
            _broken.clear()
        wake_io_thread()


def _new_pipe(target):
    """(Re)point fd target (1 or 2) at a fresh capture pipe."""
    global _pipes_changed
    r, w = os.pipe()
    high = _dup_high(r)
    os.close(r)
    os.dup2(w, target)
    os.close(w)
    os.set_blocking(high, False)
    _pipe_info[high] = (b'stdout' if target == 1 else b'stderr', target)
    _pipe_poll.register(high, select.POLLIN)
    _pipes_changed += 1


def _pipe(dup_high):
    r, w = os.pipe()
    hr, hw = dup_high(r), dup_high(w)
    os.close(r)
    os.close(w)
    return hr, hw


def install(flush_ms, chunk, dup_high):
    """Point fd 1/2 at our pipes and sys.stdout/stderr at our streams."""
    global _wake_r, _wake_w, _pipe_poll, _dup_high, _originals
    _originals = (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__)
    for stream in _originals:
        try:
            stream.flush()
        except Exception:
            pass
    _dup_high = dup_high
    _pipe_poll = select.poll()
    _new_pipe(1)
    _new_pipe(2)
    _wake_r, _wake_w = _pipe(dup_high)
    os.set_blocking(_wake_r, False)
    os.set_blocking(_wake_w, False)

    streams.create(flush_ms, chunk)
    restore()



def start_thread():
    _thread.start_new_thread(_io_loop, ())


def after_fork_in_child():
    global _emit_lock, _eid, _eid_raw
    _emit_lock = _thread.RLock()  # another thread may have held it at fork time
    _eid, _eid_raw = b'null', None
    streams.after_fork_in_child()
    fds = list(_pipe_info) + [_wake_r, _wake_w]
    for fd in fds:
        try:
            os.close(fd)
        except OSError:
            pass
