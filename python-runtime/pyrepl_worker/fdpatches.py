"""Flush Python-level output before anything writes to fd 1/2 directly.

Python-level output waits in streams.py's buffers for up to PYREPL_FLUSH_MS;
os.write(1, ...), os.system and subprocesses write to the capture pipes at
once. Flushing first keeps the two in the order the user wrote them.

The wrappers are marked transparent for interrupts.py: what they call is the
user's operation (a subprocess may run for minutes), so an interrupt that
arrives there is raised, not deferred.
"""
import os

from . import capture, interrupts, onimport

_os_write = capture.os_write
_os_system = os.system


@interrupts.transparent
def _write(fd, data):
    if fd == 1 or fd == 2:
        capture.flush()
    return _os_write(fd, data)


@interrupts.transparent
def _system(command):
    capture.flush()
    return _os_system(command)


def _patch_subprocess(module):
    popen = module.Popen
    original = popen.__init__

    @interrupts.transparent
    def __init__(self, *args, **kwargs):
        capture.flush()
        original(self, *args, **kwargs)

    _copy_meta(__init__, original)
    popen.__init__ = __init__


def _copy_meta(wrapper, original):
    # help(), inspect.signature() and tracebacks should see the original.
    wrapper.__name__ = original.__name__
    wrapper.__qualname__ = getattr(original, '__qualname__', original.__name__)
    wrapper.__doc__ = original.__doc__
    wrapper.__wrapped__ = original


def install():
    _copy_meta(_write, _os_write)
    _copy_meta(_system, _os_system)
    os.write = _write
    os.system = _system
    onimport.when_imported('subprocess', _patch_subprocess)
