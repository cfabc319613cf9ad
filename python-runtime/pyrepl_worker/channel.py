"""JSON-lines channel to Node: encoding, decoding and the event writer.

The json package is not imported: it pulls in `re`, which costs several ms of
start-up. The C accelerator `_json` provides everything needed.
"""
import os
import _thread

# Captured before capture.py patches os.write for user code.
_os_write = os.write
_os_read = os.read

_evt_fd = -1
_lock = _thread.allocate_lock()
_held = b''   # lines that go out in front of the next write (hold)


def dup_high(fd, low=100):
    """Duplicate fd to a free close-on-exec descriptor >= low.

    dup2 to a probed number avoids importing fcntl just for F_DUPFD_CLOEXEC.
    """
    target = low
    while True:
        try:
            os.fstat(target)
        except OSError:
            os.dup2(fd, target, inheritable=False)
            return target
        target += 1


try:
    import _json

    encode_str = _json.encode_basestring_ascii

    class _ScanContext(object):
        # Attributes read once by the C scanner when it is created.
        strict = True
        object_hook = None
        object_pairs_hook = None
        parse_float = float
        parse_int = int

        @staticmethod
        def parse_constant(name):
            return float(name.replace('Infinity', 'inf'))

    _scan = _json.make_scanner(_ScanContext())
    # ensure_ascii output: always valid UTF-8, even for lone surrogates.
    _encoder = _json.make_encoder(None, repr, encode_str, None, ':', ',',
                                  False, False, False)

    def encode(obj):
        return ''.join(_encoder(obj, 0))

    def decode(text):
        text = text.strip()
        try:
            obj, end = _scan(text, 0)
        except StopIteration:
            raise ValueError('invalid JSON')
        if end != len(text):
            raise ValueError('extra data after JSON value')
        return obj
except (ImportError, AttributeError, TypeError):  # not CPython: plain json
    import json as _jsonmod

    encode = _jsonmod.JSONEncoder(ensure_ascii=True, separators=(',', ':'),
                                  allow_nan=False, default=repr).encode
    decode = _jsonmod.loads
    encode_str = _jsonmod.encoder.encode_basestring_ascii


def set_event_fd(fd):
    global _evt_fd
    _evt_fd = fd


def send(data):
    """Write bytes (whole lines) to the event pipe, completely, under the lock.

    A pipe write can be partial when a signal interrupts it; the rest follows.
    """
    global _held
    with _lock:
        if _held:
            data = _held + data
            _held = b''
        _write_all(data)


def hold(obj):
    """Send obj in front of the next event instead of now.

    For the ack of an input response that the main thread read itself: user code goes on at once and its next
    event (its output, the execute_reply) follows within microseconds. Writing the ack on its own cost a write that
    wakes Node, and Node handling it before that event: about a tenth of the input round trip. Whoever holds a
    line makes sure it goes out soon (commands.py: the command thread sends it within a nap).
    """
    global _held
    line = (encode(obj) + '\n').encode('ascii')
    with _lock:
        _held += line


def send_held():
    """Send what hold() kept back, now (any thread)."""
    global _held
    if not _held:
        return
    with _lock:
        if _held:
            data, _held = _held, b''
            _write_all(data)


def _write_all(data):
    view = None
    while True:
        try:
            n = _os_write(_evt_fd, data)
        except InterruptedError:
            continue
        except OSError:
            # Node is gone (EPIPE): nobody can hear us any more.
            os._exit(1)
        if n >= len(data):
            return
        if view is None:
            view = memoryview(data)
            data = view
        data = data[n:]


def after_fork_in_child():
    """A forked child must never write to Node's event pipe."""
    global _evt_fd, _lock, _held
    _lock = _thread.allocate_lock()
    _held = b''
    try:
        os.close(_evt_fd)
    except OSError:
        pass
    _evt_fd = -1


def emit(obj):
    send((encode(obj) + '\n').encode('ascii'))


def emit_many(objs):
    send(''.join([encode(o) + '\n' for o in objs]).encode('ascii'))


def log(level, message):
    try:
        emit({'type': 'log', 'level': level, 'message': message})
    except Exception:
        pass
