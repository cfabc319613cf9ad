"""Output capture: fd 1/2 pipes, ordered output events, the I/O thread.

fd 1 and 2 point at pipes of ours, so os.write, subprocesses and C code are
captured. Every flush drains those pipes before sending Python-level output
(streams.py), and os.write/os.system/subprocess.Popen are patched to flush the
Python buffers before they write or start: both paths stay in order. The I/O
thread relays pipe data at once and runs the coalescing timer.
"""
import os
import select
import sys
import time
import _thread

from . import channel, interrupts, limits, onimport, streams

os_write = channel._os_write   # the unpatched ones
_os_read = channel._os_read
_os_system = os.system
_monotonic = time.monotonic

_eid = 'null'          # JSON text of the running execution's id
_eid_raw = None
_emit_lock = _thread.RLock()   # order of output events; reentrant for nested flushes
_wake_r = _wake_w = -1
_pipe_info = {}        # read fd -> (stream name, decoder)
_pipe_poll = None
_fd_ids = ()           # (fd, our write end, (st_dev, st_ino)) for repairing fd 1/2
_originals = ()        # start-up stream objects; kept so their finalizers never close fd 1/2


def _events(stream, text, lines):
    head = '{"type":"output","execution_id":%s,"stream":"%s","data":' % (_eid, stream)
    enc = channel.encode_str
    step = streams.CHUNK
    if len(text) <= step:
        lines.append(head + enc(text) + '}\n')
        return
    for i in range(0, len(text), step):
        lines.append(head + enc(text[i:i + step]) + '}\n')


def _account(stream, decoder, data, lines):
    allowed, crossed = limits.take_output(len(data))
    if allowed < len(data):
        data = data[:allowed]
    if allowed:
        text = decoder.decode(data)
        if text:
            _events(stream, text, lines)
    return crossed


def _drain_locked(lines):
    crossed = False
    for fd, _ in _pipe_poll.poll(0):
        stream, decoder = _pipe_info[fd]
        while True:
            try:
                data = _os_read(fd, 262144)
            except InterruptedError:
                continue
            except OSError:  # EAGAIN: drained
                break
            if not data:
                break
            crossed = _account(stream, decoder, data, lines) or crossed
            if len(data) < 262144:
                break
    return crossed


def _send(lines):
    if lines:
        channel.send(''.join(lines).encode('ascii'))


def _stop_for_output():
    interrupts.request(_eid_raw, 'output')


def _drain_and_send():
    with _emit_lock:
        lines = []
        crossed = _drain_locked(lines)
        _send(lines)
    if crossed:
        _stop_for_output()


def emit_python_output(stream, decoder, data):
    """A chunk of Python-level output (from streams.py): pipes first, then it."""
    with _emit_lock:
        lines = []
        crossed = _drain_locked(lines)
        crossed = _account(stream, decoder, data, lines) or crossed
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
    poller = select.poll()
    for fd in list(_pipe_info) + [_wake_r]:
        poller.register(fd, select.POLLIN)
    bad = select.POLLNVAL | select.POLLERR
    while True:
        try:
            deadline = streams.deadline
            timeout = None if deadline is None else max(0.0, (deadline - _monotonic()) * 1000.0)
            drain = False
            for fd, ev in poller.poll(timeout):
                if ev & bad:
                    poller.unregister(fd)  # closed behind our back: do not spin
                elif fd == _wake_r:
                    try:
                        _os_read(_wake_r, 4096)
                    except OSError:
                        pass
                else:
                    drain = True
            if drain:
                _drain_and_send()
            deadline = streams.deadline
            if deadline is not None and _monotonic() >= deadline:
                streams.timer_flush()
        except Exception as exc:
            channel.log('error', 'output thread: %r' % (exc,))
            time.sleep(0.01)


def begin(execution_id, output_limit):
    global _eid, _eid_raw
    if streams.deadline is not None:  # a background thread's output belongs to no execution
        flush()
    with _emit_lock:
        _eid_raw = execution_id
        _eid = channel.encode(execution_id)
    limits.begin_output(output_limit)


def finish():
    """Flush the execution's output and detach its id. True if output_limit was exceeded."""
    global _eid, _eid_raw
    flush()
    with _emit_lock:
        _eid = 'null'
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
    for fd, keep, ident in _fd_ids:
        try:
            st = os.fstat(fd)
            if (st.st_dev, st.st_ino) == ident:
                continue
        except OSError:
            pass
        try:
            os.dup2(keep, fd)
        except OSError:
            pass


@interrupts.transparent
def _write_patch(fd, data):
    if fd == 1 or fd == 2:
        flush()
    return os_write(fd, data)


@interrupts.transparent
def _system_patch(command):
    flush()
    return _os_system(command)


def _patch_subprocess(module):
    popen = module.Popen
    original = popen.__init__

    @interrupts.transparent
    def __init__(self, *args, **kwargs):
        flush()
        original(self, *args, **kwargs)

    __init__.__wrapped__ = original
    __init__.__doc__ = original.__doc__
    popen.__init__ = __init__


def _copy_meta(wrapper, original):
    wrapper.__name__ = original.__name__
    wrapper.__qualname__ = getattr(original, '__qualname__', original.__name__)
    wrapper.__doc__ = original.__doc__
    wrapper.__wrapped__ = original


def _pipe(dup_high):
    r, w = os.pipe()
    hr, hw = dup_high(r), dup_high(w)
    os.close(r)
    os.close(w)
    return hr, hw


def install(flush_ms, chunk, dup_high):
    """Point fd 1/2 at our pipes and sys.stdout/stderr at our streams."""
    global _wake_r, _wake_w, _pipe_poll, _fd_ids, _originals
    _originals = (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__)
    for stream in _originals:
        try:
            stream.flush()
        except Exception:
            pass
    ids = []
    _pipe_poll = select.poll()
    for fd, name in ((1, 'stdout'), (2, 'stderr')):
        r, w = _pipe(dup_high)
        os.dup2(w, fd)
        os.set_blocking(r, False)
        st = os.fstat(w)
        ids.append((fd, w, (st.st_dev, st.st_ino)))
        _pipe_info[r] = (name, streams.decoder())
        _pipe_poll.register(r, select.POLLIN)
    _fd_ids = tuple(ids)
    _wake_r, _wake_w = _pipe(dup_high)
    os.set_blocking(_wake_r, False)
    os.set_blocking(_wake_w, False)

    streams.create(flush_ms, chunk)
    restore()

    _copy_meta(_write_patch, os_write)
    _copy_meta(_system_patch, _os_system)
    os.write = _write_patch
    os.system = _system_patch
    onimport.when_imported('subprocess', _patch_subprocess)


def start_thread():
    _thread.start_new_thread(_io_loop, ())


def after_fork_in_child():
    global _emit_lock, _eid, _eid_raw
    _emit_lock = _thread.RLock()  # another thread may have held it at fork time
    _eid, _eid_raw = 'null', None
    streams.after_fork_in_child()
    fds = list(_pipe_info) + [_wake_r, _wake_w] + [keep for _, keep, _ in _fd_ids]
    for fd in fds:
        try:
            os.close(fd)
        except OSError:
            pass
