"""Tracebacks as the REPL prints them, with the worker's own frames removed.

`traceback` and `linecache` are imported on first use: most sessions start
without an error, and they cost a few ms of start-up.
"""
import os
import sys

from . import onimport

# Not abspath'd: co_filename holds the path exactly as it was imported.
_PKG = os.path.dirname(__file__) + os.sep
_sources = {}          # cell file name -> source, for linecache
_bootstrap_code = None
_leading_dirs = []     # stdlib dirs whose frames are dropped before the first user frame


def set_bootstrap(frame):
    """Remember the `python -c` bootstrap's code object (the outermost frame)."""
    global _bootstrap_code
    while frame.f_back is not None:
        frame = frame.f_back
    _bootstrap_code = frame.f_code


def add_leading_module(module):
    """Frames of module (a package: all of it) hide when they come before user code."""
    path = getattr(module, '__file__', None)
    if not path:
        return
    if os.path.basename(path).startswith('__init__.'):
        path = os.path.dirname(path) + os.sep
    if path not in _leading_dirs:
        _leading_dirs.append(path)


def register_cell(filename, source):
    _sources[filename] = source
    linecache = sys.modules.get('linecache')
    if linecache is not None:
        _add_to_linecache(linecache, filename, source)


def _add_to_linecache(linecache, filename, source):
    # mtime None marks the entry as not backed by a file: checkcache keeps it.
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)


def _linecache_imported(linecache):
    for filename, source in _sources.items():
        _add_to_linecache(linecache, filename, source)


def install():
    onimport.when_imported('linecache', _linecache_imported)


def _is_worker(code):
    return code is _bootstrap_code or code.co_filename.startswith(_PKG)


def _is_leading(code):
    if _is_worker(code):
        return True
    name = code.co_filename
    for d in _leading_dirs:
        if name.startswith(d):
            return True
    return False


def _strip_tb(tb):
    while tb is not None and _is_leading(tb.tb_frame.f_code):
        tb = tb.tb_next
    head, prev, cur = tb, None, tb
    while cur is not None:
        nxt = cur.tb_next
        if _is_worker(cur.tb_frame.f_code):
            if prev is None:
                head = nxt
            else:
                prev.tb_next = nxt
        else:
            prev = cur
        cur = nxt
    return head


def strip(exc, _seen=None):
    """Remove worker frames from exc and everything chained to it."""
    if _seen is None:
        _seen = set()
    while exc is not None and id(exc) not in _seen:
        _seen.add(id(exc))
        try:
            exc.__traceback__ = _strip_tb(exc.__traceback__)
        except Exception:
            pass
        for sub in getattr(exc, 'exceptions', None) or ():  # ExceptionGroup
            if isinstance(sub, BaseException):
                strip(sub, _seen)
        if exc.__cause__ is not None:
            strip(exc.__cause__, _seen)
        exc = exc.__context__


def format_exception(exc, last_line=None):
    """The REPL's text for exc; last_line replaces the final 'Type: message' line."""
    strip(exc)
    try:
        import traceback
        lines = traceback.format_exception(type(exc), exc, exc.__traceback__)
    except BaseException:  # formatting must never take the worker down
        lines = ['%s: %s\n' % (type(exc).__name__, safe_str(exc))]
    if last_line is not None and lines:
        lines[-1] = last_line + '\n'
    return ''.join(lines)


def safe_str(exc):
    try:
        return str(exc)
    except BaseException:
        return '<exception str() failed>'
