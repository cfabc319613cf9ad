"""Reading commands: which thread reads fd 3, and when.

While idle the main thread reads commands itself: handing each one over from
another thread costs extra thread wake-ups and GIL hand-offs (tens of us) on
every round trip. While an execution runs, the command thread reads, so that
interrupts, input responses and heartbeats are answered during it.

Waking the command thread at every execution start would put that cost back,
so it is woken only after a quiet spell. While executions keep coming it naps
in NAP_S steps instead and takes over reading by itself when it finds one
running: a command sent during an execution waits at most about NAP_S.

While the main thread waits for input() it reads commands itself again
(serve_until): it is blocked anyway, and the answer is a command. Letting the
command thread read it instead cost a wake-up of that thread when the request
went out, and a wake-up of the main thread plus GIL hand-offs between the two
when the answer came: more than the rest of the round trip together. An
input() wait on another thread wakes the command thread at once (wake_reader).
"""
import os
import select
import time
import _thread

from . import channel

NAP_S = 0.005        # how late a command (or a held ack, channel.hold) can be while user code runs; each
                     # nap costs the idle thread a wake-up, so not much shorter
ACTIVE_S = 2.0       # nap (instead of sleeping) this long after an execution

_cmd_fd = -1
_cmd_buf = bytearray()
_lines = []          # complete lines read but not yet handled by the main thread
_read_lock = _thread.allocate_lock()   # one reader at a time, and _lines
_running = False     # an execution runs: the command thread may read
_polling = False     # the command thread is (about to be) blocked in poll
_sleeping = False    # the command thread waits on _park without a timeout
_main_reads = False  # the main thread waits for input and reads commands itself
_main_ident = None
_last_end = 0.0
_park = _thread.allocate_lock()
_park.acquire()
_stop_r = _stop_w = -1
_wake_r = _wake_w = -1   # wakes the main thread's serve_until (an interrupt handed to its input wait)
_main_poll = None
_decode = _handle = None   # dispatch's functions, set before any command is read


def set_handlers(decode, handle):
    global _decode, _handle
    _decode, _handle = decode, handle


def set_fds(cmd_fd, stop_pipe, wake_pipe):
    global _cmd_fd, _stop_r, _stop_w, _wake_r, _wake_w, _main_poll
    _cmd_fd = cmd_fd
    _stop_r, _stop_w = stop_pipe
    _wake_r, _wake_w = wake_pipe
    for fd in (_stop_r, _stop_w, _wake_r, _wake_w):
        os.set_blocking(fd, False)
    _main_poll = select.poll()
    _main_poll.register(_cmd_fd, select.POLLIN)
    _main_poll.register(_wake_r, select.POLLIN)


def _read_locked():
    """One read from the command fd; returns the complete lines. EOF ends the process."""
    while True:
        try:
            chunk = channel._os_read(_cmd_fd, 65536)
            break
        except InterruptedError:
            continue
        except OSError:
            chunk = b''
            break
    if not chunk:
        os._exit(0)  # Node went away: no worker outlives it
    buf = _cmd_buf
    buf += chunk
    end = buf.rfind(b'\n')
    if end < 0:
        return []
    lines = bytes(buf[:end]).split(b'\n')
    del buf[:end + 1]
    return lines


def next_line():
    """Main thread, idle: the next command line (blocks)."""
    while True:
        with _read_lock:
            # Checked under the lock: the command thread may just have queued an execute.
            if not _lines:
                _lines.extend(_read_locked())
            if _lines:
                return _lines.pop(0)


def execution_started():
    global _running
    _running = True
    # Pairs with the command thread setting _sleeping, then re-checking _running.
    if _sleeping and _park.locked():
        _park.release()
    if _lines:
        _handle_buffered()


def _handle_buffered():
    """The main thread may have read more than the execute it is starting (an interrupt Node sent right behind it,
    a heartbeat). The command thread only sees what it reads itself, so handle those now rather than after the
    execution; executes stay queued in order."""
    with _read_lock:
        lines = _lines[:]
        del _lines[:]
        todo = _split(lines)
    _handle_all(todo)


def _split(lines):
    """Queues the executes among `lines` for the main thread (in order, under _read_lock) and returns the other
    commands, decoded, for handling outside the lock."""
    todo = []
    for line in lines:
        msg = _decode(line) if line.strip() else None
        if msg is None:
            continue
        if msg.get('type') == 'execute':
            _lines.append(line)
        else:
            todo.append(msg)
    return todo


def _handle_all(todo):
    for msg in todo:
        try:
            _handle(msg)
        except Exception as exc:  # one bad command must not stop the thread or the execution
            channel.log('error', 'command handling failed: %r' % (exc,))


def wake_reader():
    """The main thread is about to wait for a command (an input response): make
    sure the command thread reads now rather than at the end of its nap."""
    if _running and not _polling and _park.locked():
        _park.release()


def begin_main_read():
    """Main thread, about to wait for input: from now on only it reads commands (serve_until), until
    end_main_read. Called before the input request goes out, so the command thread cannot read the answer."""
    global _main_reads, _main_ident
    _main_ident = _thread.get_ident()
    with _read_lock:  # the command thread checks _main_reads under this lock before it reads
        _main_reads = True


def serve_until(done):
    """Main thread, between begin_main_read and end_main_read: read and handle commands until done() is true.

    Only this thread reads meanwhile, so a poll that finds the fd readable means a read that does not block.
    Another thread that changes what done() looks at calls wake_main()."""
    if _polling:
        # The command thread is in poll on the same fd: send it back to its nap now, rather than having it wake
        # together with us when the answer arrives.
        try:
            channel._os_write(_stop_w, b'x')
        except OSError:
            pass
    while not done():
        readable = False
        for fd, _ in _main_poll.poll():  # EINTR is retried by poll itself (PEP 475)
            if fd == _wake_r:
                try:
                    channel._os_read(_wake_r, 4096)
                except OSError:
                    pass
            else:
                readable = True  # data, or hang-up: the read sees EOF and ends the process
        if readable:
            with _read_lock:
                todo = _split(_read_locked())
            _handle_all(todo)


def answered_own_wait():
    """True on the main thread while it reads in serve_until: an input response it handles ends its own wait."""
    return _main_reads and _thread.get_ident() == _main_ident


def end_main_read():
    global _main_reads
    _main_reads = False
    # A command thread that went to sleep (not a timed nap) while we read must take over again: user code goes on
    # and needs its interrupts and heartbeats answered.
    if _sleeping and _running and _park.locked():
        _park.release()


def wake_main():
    """Any thread: make serve_until look at its done() again."""
    if _main_reads:
        try:
            channel._os_write(_wake_w, b'x')
        except OSError:
            pass  # pipe full: a wake-up is pending anyway


def execution_ended():
    """Reading returns to the main thread."""
    global _running, _last_end
    with _read_lock:
        _running = False
    _last_end = time.monotonic()
    # Only a command thread blocked in poll needs waking; one that has not got
    # there yet sees _running first (it sets _polling, then re-checks).
    if _polling:
        try:
            channel._os_write(_stop_w, b'x')
        except OSError:
            pass


def _wait_for_execution():
    global _sleeping
    if time.monotonic() - _last_end < ACTIVE_S:
        _park.acquire(timeout=NAP_S)
        return
    _sleeping = True
    try:
        # Re-checked after _sleeping is set: execution_started and end_main_read check _sleeping after changing these.
        if not _running or _main_reads:
            _park.acquire()
    finally:
        _sleeping = False


def after_fork_in_child():
    global _running
    _running = False
    for fd in (_cmd_fd, _stop_r, _stop_w, _wake_r, _wake_w):
        try:
            os.close(fd)
        except OSError:
            pass


def command_thread():
    """Reads commands while an execution runs. An execute found here is queued
    for the main thread under the same lock hold as the read, so the main
    thread cannot miss it when it takes reading back."""
    poller = select.poll()
    poller.register(_cmd_fd, select.POLLIN)
    poller.register(_stop_r, select.POLLIN)
    check = select.poll()
    check.register(_cmd_fd, select.POLLIN)
    while True:
        try:
            _serve_once(poller, check)
        except Exception as exc:  # e.g. MemoryError under a tight limit: keep serving
            channel.log('error', 'command thread: %r' % (exc,))
            time.sleep(0.01)


def _serve_once(poller, check):
    global _polling
    # An ack the main thread held back (channel.hold) when its input wait ended: user code has sent no event
    # since, so send it now. The nap bounds how late it can be.
    channel.send_held()
    if not _running or _main_reads:
        _wait_for_execution()
        return
    _polling = True
    if not _running or _main_reads:
        _polling = False
        return
    try:
        poller.poll()
    except InterruptedError:
        return
    finally:
        _polling = False
    try:
        channel._os_read(_stop_r, 4096)
    except OSError:
        pass
    with _read_lock:
        if not _running or _main_reads:
            return
        # Re-check under the lock: the main thread may have read it first.
        todo = _split(_read_locked() if check.poll(0) else ())
    _handle_all(todo)
