"""Completion of file names inside a string literal (`open("da` -> data.csv),
as IPython and ptpython offer: the text after the opening quote is taken as a
path, relative to the worker's current directory, `~` expanded for the
lookup but kept in what is inserted. Directories end with a `/`.
"""
import os

_MAX_MATCHES = 1000


def _open_string(line):
    """(start, quote) of the string literal the line ends inside, else None."""
    i = 0
    start = quote = None
    n = len(line)
    while i < n:
        ch = line[i]
        if quote is None:
            if ch == '#':
                return None
            if ch in ('"', "'"):
                if line.startswith(ch * 3, i):
                    return None  # triple-quoted text is prose, not a path
                quote, start = ch, i + 1
        elif ch == '\\':
            i += 1
        elif ch == quote:
            quote = start = None
        i += 1
    return (start, quote) if quote is not None else None


def matches(text):
    """(matches, start) for a path being typed inside a string literal, or
    None when the cursor is not in one or nothing on disk matches."""
    line_start = text.rfind('\n') + 1
    found = _open_string(text[line_start:])
    if found is None:
        return None
    start = line_start + found[0]
    typed = text[start:]
    if '\\' in typed:
        return None  # escapes: what the string holds is not what was typed
    head, tail = os.path.split(typed)
    directory = os.path.expanduser(head) if head else '.'
    try:
        entries = os.listdir(directory)
    except OSError:
        return None
    out = []
    for name in sorted(entries):
        if not name.startswith(tail) or (name.startswith('.') and not tail.startswith('.')):
            continue
        path = os.path.join(head, name) if head else name
        try:
            if os.path.isdir(os.path.join(directory, name)):
                path += '/'
        except OSError:
            pass
        out.append(path)
        if len(out) >= _MAX_MATCHES:
            break
    return (out, start) if out else None
