"""User input over input_request/input_response: input(), sys.stdin, getpass.

Each request gets a fresh token; only a response carrying the pending token is
delivered. The main thread waits by reading commands itself (commands.serve_until):
the answer reaches it without any thread hand-off. Another thread waits on a
lock that the command thread releases. Either way an interrupt while waiting
is handed over directly (a SIGINT would find the waiter in worker code and be
deferred): the wait ends and raises it.
"""
import builtins
import io
import os
import sys
import _thread

from . import capture, channel, commands, interrupts, limits, onimport

_state_lock = _thread.allocate_lock()
_one_at_a_time = _thread.allocate_lock()
_prefix = os.urandom(4).hex()
_counter = 0
_token = None
_waiter = None
_result = None
_main_waiting = False
_main_ident = None
_forked = False
stdin = None


def request(prompt, password=False):
    """Ask Node for one line. Returns it, or None when the input was cancelled (EOF)."""
    global _counter, _token, _waiter, _result, _main_waiting
    if _forked:
        return None  # a forked child has no channel: its stdin is at EOF
    if capture.current_execution_id() is None:
        return None  # between executions nobody is there to answer: EOF
    # Another thread may be waiting for input; wait our turn, but stay interruptible.
    while not _one_at_a_time.acquire(timeout=0.05):
        if interrupts.pending_here():
            exc = interrupts.take()
            if exc is not None:
                raise exc
    try:
        capture.flush()  # output written before the prompt must show before it
        main = _thread.get_ident() == _main_ident
        waiter = None if main else _thread.allocate_lock()
        if waiter is not None:
            waiter.acquire()
        with _state_lock:
            _counter += 1
            token = '%s-%d' % (_prefix, _counter)
            _token, _waiter, _result = token, waiter, None
            _main_waiting = main
        if main:
            commands.begin_main_read()
        else:
            commands.wake_reader()
        try:
            channel.emit({'type': 'input_request', 'execution_id': capture.current_execution_id(),
                          'token': token, 'prompt': limits.cap_text(prompt),
                          'password': bool(password)})
            if main:
                commands.serve_until(_main_done)
            else:
                waiter.acquire()
        finally:
            if main:
                commands.end_main_read()
            with _state_lock:
                result = _result
                _token = _waiter = _result = None
                _main_waiting = False
    finally:
        _one_at_a_time.release()
    # No result: the main thread's wait ended on an interrupt it read itself (_main_done).
    kind, data = result if result is not None else ('interrupt', None)
    if kind == 'data':
        return data
    if kind == 'cancel':
        return None
    raise interrupts.take() or KeyboardInterrupt()


def _main_done():
    # A pending interrupt read by the main thread itself ends the wait at once, without the runner thread's help.
    return _result is not None or interrupts.pending_here()


def _wake_locked():
    if _waiter is not None:
        _waiter.release()
    elif _thread.get_ident() != _main_ident:
        commands.wake_main()  # the main thread answering itself needs no wake-up


def respond(token, kind, data=None):
    """Deliver input_response ('data') or input_cancel ('cancel'); False if token is not pending."""
    global _result
    with _state_lock:
        if _token is None or token != _token or _result is not None:
            return False
        _result = (kind, data)
        _wake_locked()
        return True


def _wake_for_interrupt():
    global _result
    with _state_lock:
        if not _main_waiting:
            return False
        if _result is None:
            _result = ('interrupt', None)
            _wake_locked()
        return True


def _line(data):
    if data.endswith('\n'):
        data = data[:-1]
    return data


def _input(prompt=''):
    if sys.stdin is not stdin and sys.stdin is not None:
        return _input_from(sys.stdin, prompt)
    line = request(str(prompt), False)
    if line is None:
        raise EOFError
    return _line(line)


def _input_from(stream, prompt):
    # Like the built-in for a non-console stdin (e.g. a test that set
    # sys.stdin = io.StringIO(...)): prompt to stdout, read one line.
    out = sys.stdout
    if prompt and out is not None:
        out.write(str(prompt))
        out.flush()
    line = stream.readline()
    if not line:
        raise EOFError
    return line[:-1] if line.endswith('\n') else line


def _getpass(prompt='Password: ', stream=None):
    line = request(str(prompt), True)
    if line is None:
        raise EOFError
    return _line(line)


class _Stdin(io.TextIOBase):
    encoding = 'utf-8'
    errors = 'strict'
    newlines = None
    mode = 'r'
    name = '<stdin>'

    def __init__(self):
        io.TextIOBase.__init__(self)
        self._buf = ''
        self.buffer = _BinIn(self)

    def _fill(self):
        line = request('', False)
        if line is None:
            return False
        self._buf += _line(line) + '\n'
        return True

    def readline(self, size=-1):
        if size is None:
            size = -1
        if not self._buf and not self._fill():
            return ''
        buf = self._buf
        end = buf.find('\n') + 1 or len(buf)
        if 0 <= size < end:
            end = size
        self._buf = buf[end:]
        return buf[:end]

    def read(self, size=-1):
        if size is None or size < 0:
            while self._fill():
                pass
            out, self._buf = self._buf, ''
            return out
        while len(self._buf) < size and self._fill():
            pass
        out, self._buf = self._buf[:size], self._buf[size:]
        return out

    def readlines(self, hint=-1):
        lines = []
        total = 0
        while True:
            line = self.readline()
            if not line:
                return lines
            lines.append(line)
            total += len(line)
            if hint is not None and 0 < hint <= total:
                return lines

    def __next__(self):
        line = self.readline()
        if not line:
            raise StopIteration
        return line

    def __iter__(self):
        return self

    def readable(self):
        return True

    def writable(self):
        return False

    def seekable(self):
        return False

    def isatty(self):
        return False

    def fileno(self):
        return 0  # /dev/null: C-level reads see EOF

    def close(self):
        pass  # site's exit() closes sys.stdin; later input must still work


class _BinIn(io.BufferedIOBase):
    """sys.stdin.buffer: the same lines, encoded."""
    mode = 'rb'
    name = '<stdin>'

    def __init__(self, text):
        io.BufferedIOBase.__init__(self)
        self._text = text

    def readline(self, size=-1):
        return self._text.readline(size).encode('utf-8', 'surrogateescape')

    def read(self, size=-1):
        return self._text.read(size).encode('utf-8', 'surrogateescape')

    def read1(self, size=-1):
        return self.read(size)

    def readable(self):
        return True

    def fileno(self):
        return 0

    def close(self):
        pass


def _patch_getpass(module):
    module.getpass = _getpass


def install():
    global stdin, _main_ident
    _main_ident = _thread.get_ident()
    stdin = _Stdin()
    restore()
    builtins.input = _input
    interrupts.add_waker(_wake_for_interrupt)
    onimport.when_imported('getpass', _patch_getpass)


def after_fork_in_child():
    global _forked, _state_lock, _one_at_a_time
    _forked = True
    _state_lock = _thread.allocate_lock()
    _one_at_a_time = _thread.allocate_lock()


def restore():
    if sys.stdin is not stdin:
        sys.stdin = stdin
    sys.__stdin__ = stdin
