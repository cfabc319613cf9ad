"""sys.stdout / sys.stderr: Python-level output buffering.

Each stream is a C io.TextIOWrapper over a BufferedWriter of
PYREPL_OUTPUT_CHUNK bytes whose raw layer hands full chunks to capture.py.
The stream object's `write` attribute is swapped: the first write after a
flush goes through `_slow_write` (arms the flush timer, flushes the other
stream so stdout/stderr stay in order); later writes call the C
TextIOWrapper.write directly, so print() costs what it costs in a plain
python. Only one stream is armed at a time, so together they behave as one
ordered buffer. The I/O thread's timer (timer_flush) disarms and flushes.
"""
import codecs
import io
import time
import _thread

from . import capture, interrupts

_monotonic = time.monotonic

FLUSH_S = 0.002
CHUNK = 65536

_arm_lock = _thread.RLock()   # reentrant: a __del__ may print while we hold it
_armed = None
deadline = None               # when the I/O thread must flush, or None
_forked = False
stdout = stderr = None


def decoder(errors='replace'):
    return codecs.getincrementaldecoder('utf-8')(errors)


class _Raw(io.RawIOBase):
    def __init__(self, stream):
        io.RawIOBase.__init__(self)
        self._stream = stream.encode('ascii')  # capture.py builds events as bytes

    def writable(self):
        return True

    def write(self, data):
        if not _forked:  # a forked child's copy of the parent's buffer is not its output
            capture.emit_python_output(self._stream, data)
        return len(data)


class TextOut(io.TextIOBase):
    encoding = 'utf-8'
    newlines = None
    line_buffering = False
    write_through = False
    mode = 'w'

    def __init__(self, stream, fd, errors):
        io.TextIOBase.__init__(self)
        self.name = '<%s>' % stream
        self._fd = fd
        self._errors = errors
        self._tio = io.TextIOWrapper(io.BufferedWriter(_Raw(stream), CHUNK), encoding='utf-8',
                                     errors=errors, newline='\n')
        self._fast = self._tio.write
        self._slow = self._slow_write
        self.write = self._slow
        self.buffer = BinOut(self, errors)

    @property
    def errors(self):
        return self._errors

    def _slow_write(self, s):
        global _armed, deadline
        if interrupts.pending_here():
            # Deferred while we were busy sending output: a loop that prints
            # all the time would otherwise nearly always be caught in our code.
            exc = interrupts.take()
            if exc is not None:
                raise exc
        with _arm_lock:
            if _armed is not self:
                other = _armed
                if other is not None:
                    other.write = other._slow
                    other._tio.flush()
                _armed = self
            self.write = self._fast
            if deadline is None:
                deadline = _monotonic() + FLUSH_S
                capture.wake_io_thread()
            return self._tio.write(s)

    def _fd_write(self, s):
        # Forked child: no I/O thread here, so output goes to fd 1/2, where
        # the parent's I/O thread picks it up. Line-buffered, so that lines
        # of several children (multiprocessing) do not interleave.
        if not isinstance(s, str):
            raise TypeError('write() argument must be str, not %s' % type(s).__name__)
        self._child_buf.append(s)
        if '\n' in s:
            self._write_child_buffer()
        return len(s)

    def _write_child_buffer(self):
        data = ''.join(self._child_buf).encode('utf-8', self._errors)
        del self._child_buf[:]
        view = memoryview(data)
        while view:
            view = view[capture.os_write(self._fd, view):]

    def flush(self):
        capture.flush()

    def writelines(self, lines):
        for line in lines:
            self.write(line)

    def fileno(self):
        return self._fd

    def isatty(self):
        return False

    def writable(self):
        return True

    def readable(self):
        return False

    def seekable(self):
        return False

    def close(self):
        # Closing would break every later print of the session.
        capture.flush()

    def detach(self):
        raise io.UnsupportedOperation('detach')

    def reconfigure(self, **kwargs):
        pass


class BinOut(io.BufferedIOBase):
    """sys.stdout.buffer: bytes are decoded and go through the text stream, keeping order."""
    mode = 'wb'

    def __init__(self, text, errors):
        io.BufferedIOBase.__init__(self)
        self._text = text
        self.name = text.name
        self._decoder = decoder(errors)

    def write(self, data):
        if isinstance(data, str):
            raise TypeError("a bytes-like object is required, not 'str'")
        data = bytes(data)
        text = self._decoder.decode(data)
        if text:
            self._text.write(text)
        return len(data)

    def flush(self):
        capture.flush()

    def fileno(self):
        return self._text.fileno()

    def isatty(self):
        return False

    def writable(self):
        return True

    def close(self):
        capture.flush()


def flush_buffers():
    """Push both streams' buffered text to capture (caller: capture.flush)."""
    if _forked:
        for stream in (stdout, stderr):
            if stream._child_buf:
                stream._write_child_buffer()
        return
    with _arm_lock:
        stdout._tio.flush()
        stderr._tio.flush()


def timer_flush():
    """I/O thread: FLUSH_S has passed since the first unflushed write."""
    global _armed, deadline
    with _arm_lock:
        deadline = None
        stream = _armed
        if stream is not None:
            _armed = None
            stream.write = stream._slow  # disarm first: a write after this re-arms
            stream._tio.flush()


def _route_to_slow_path():
    # Deferred interrupt: make the next print go through _slow_write, which
    # raises it. Plain attribute stores only; we may be inside our own locks.
    for stream in (stdout, stderr):
        if stream is not None:
            stream.write = stream._slow


def create(flush_ms, chunk):
    global FLUSH_S, CHUNK, stdout, stderr
    FLUSH_S = max(0.0, flush_ms) / 1000.0
    CHUNK = max(1, chunk)
    stdout = TextOut('stdout', 1, 'surrogateescape')
    stderr = TextOut('stderr', 2, 'backslashreplace')
    interrupts.add_defer_hook(_route_to_slow_path)


def after_fork_in_child():
    global _arm_lock, _armed, deadline, _forked
    _forked = True
    _arm_lock = _thread.RLock()  # another thread may have held it at fork time
    _armed = deadline = None
    for stream in (stdout, stderr):
        stream._child_buf = []
        stream._slow = stream._fast = stream.write = stream._fd_write
