"""complete and is_complete requests.

complete: rlcompleter over the live namespace, plus string keys of a dict
named just before the cursor (`d["ke`), module names and a module's names
inside import statements (import_completion.py), and file names inside a
string literal (path_completion.py). is_complete answers like Jupyter's
is_complete_request: 'complete', 'incomplete' (with the indent for the next
line) or 'invalid'. A block whose last line is indented still counts as
incomplete until a blank line ends it, as in the interactive interpreter.
"""
import sys
import _ast

_MAX_MATCHES = 1000
_ONLY_AST = _ast.PyCF_ONLY_AST
_ALLOW_AWAIT = _ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
_DONT_IMPLY_DEDENT = 0x200
# 3.11+: the parser itself reports "incomplete input" (what codeop uses).
_ALLOW_INCOMPLETE = 0x4000 if sys.version_info >= (3, 11) else 0
_CHECK_FILE = '<pyrepl-is-complete>'
_EOF_HINTS = ('was never closed', 'unexpected EOF', 'EOF while scanning',
              'unterminated triple-quoted', 'incomplete input')

_completer_class = None
_warnings_silenced = False


def _rlcompleter():
    global _completer_class
    if _completer_class is None:
        # rlcompleter imports readline when it can, which would hook up GNU
        # readline (and an atexit handler) in a process that has no terminal.
        blocked = 'readline' not in sys.modules
        if blocked:
            sys.modules['readline'] = None
        try:
            import rlcompleter
        finally:
            if blocked and sys.modules.get('readline', 0) is None:
                del sys.modules['readline']
        _completer_class = rlcompleter.Completer
    return _completer_class


def _token_start(text):
    i = len(text)
    while i > 0:
        ch = text[i - 1]
        if ch == '_' or ch == '.' or ch.isalnum():
            i -= 1
        else:
            break
    return i


def _dict_key_matches(text, ns):
    """Matches for `name[` or `name["pre`: (matches, start) or None."""
    import re
    m = re.search(r'([A-Za-z_][\w.]*)\[\s*(?:([\'"])([^\'"\\]*))?$', text)
    if m is None:
        return None
    parts = m.group(1).split('.')
    obj = ns.get(parts[0], None)
    if obj is None:
        return None
    for attr in parts[1:]:
        obj = getattr(obj, attr)
    if type(obj) is not dict or len(obj) > 100000:
        return None
    quote = m.group(2)
    prefix = m.group(3) or ''
    q = quote or '"'
    matches = []
    for key in list(obj):
        if type(key) is str and key.startswith(prefix) and q not in key and '\\' not in key:
            matches.append((key if quote else q + key) + q + ']')
            if len(matches) >= _MAX_MATCHES:
                break
    start = m.end(2) if quote else m.end(0)
    return matches, start


def _matches_or_none(matcher, *args):
    """A completer's answer, or None when it does not apply or fails (user objects can raise anything)."""
    try:
        return matcher(*args)
    except Exception:
        return None


def complete(code, cursor, ns):
    if not isinstance(cursor, int) or cursor < 0 or cursor > len(code):
        cursor = len(code)
    text = code[:cursor]
    found = _matches_or_none(_dict_key_matches, text, ns)
    if found is not None and found[0]:
        return found[0], found[1], cursor
    # Imported on the first completion, not at start-up: a worker that is never asked starts no slower.
    from . import import_completion, path_completion
    # In an import statement: module names, not the namespace's (nor keywords); in a string literal: file names.
    for matcher in (import_completion.matches, path_completion.matches):
        found = _matches_or_none(matcher, text)
        if found is not None:
            return found[0], found[1], cursor
    start = _token_start(text)
    token = text[start:]
    if not token or token[0].isdigit():
        return [], cursor, cursor
    completer = _rlcompleter()(ns)
    matches = []
    seen = set()
    state = 0
    while len(matches) < _MAX_MATCHES:
        try:
            match = completer.complete(token, state)
        except Exception:
            break
        if match is None:
            break
        state += 1
        if match not in seen:
            seen.add(match)
            matches.append(match)
    return matches, start, cursor


def _silence_check_warnings():
    # Parsing for is_complete can warn (e.g. an invalid escape on 3.12+); the
    # warning would show up as output of whatever runs. Filters are global, so
    # one permanent filter for our private file name instead of catch_warnings.
    global _warnings_silenced
    if not _warnings_silenced:
        import warnings
        warnings.filterwarnings('ignore', module=_CHECK_FILE.replace('-', r'\-'))
        _warnings_silenced = True


def _parse_error(source, flags):
    try:
        compile(source, _CHECK_FILE, 'exec', flags | _ONLY_AST, True)
        return None
    except (SyntaxError, ValueError, OverflowError, MemoryError) as exc:
        return exc


def _indent_after(source):
    lines = [line for line in source.split('\n') if line.strip()]
    if not lines:
        return ''
    last = lines[-1]
    indent = last[:len(last) - len(last.lstrip())]
    code = last.split('#', 1)[0].rstrip()
    if code.endswith(':'):
        indent += '    '
    return indent


def _classify(source, flags):
    if _ALLOW_INCOMPLETE:
        exc = _parse_error(source, flags | _ALLOW_INCOMPLETE | _DONT_IMPLY_DEDENT)
        if exc is None:
            return 'complete'
        msg = getattr(exc, 'msg', '') or ''
        return 'incomplete' if msg == 'incomplete input' else 'invalid'
    # Older parsers: codeop's trick. An incomplete input fails differently
    # once more newlines are appended; an invalid one fails the same way.
    if _parse_error(source, flags) is None:
        return 'complete'
    err1 = _parse_error(source + '\n', flags)
    if err1 is None:
        return 'complete'
    err2 = _parse_error(source + '\n\n', flags)
    msg = getattr(err1, 'msg', '') or ''
    if any(hint in msg for hint in _EOF_HINTS):
        return 'incomplete'
    return 'invalid' if repr(err1) == repr(err2) else 'incomplete'


def is_complete(code, future_flags=0):
    """(status, indent) as in Jupyter's is_complete_reply."""
    if not code.strip():
        return 'complete', ''
    _silence_check_warnings()
    status = _classify(code, future_flags | _ALLOW_AWAIT)
    if status == 'incomplete':
        return status, _indent_after(code)
    if status == 'complete':
        last = code.split('\n')[-1]
        if last.strip() and last[:1] in (' ', '\t'):
            return 'incomplete', _indent_after(code)
    return status, ''
