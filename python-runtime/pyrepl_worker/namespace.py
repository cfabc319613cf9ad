"""inspect: the user's variables with type names and bounded reprs.

Runs on a helper thread, possibly while user code mutates the namespace, so
every repr is guarded. Built-in containers are walked with a character budget
instead of repr()'d whole: repr(list(range(10**7))) alone would take seconds.
"""
import sys

_CONTAINERS = {list: ('[', ']'), tuple: ('(', ')'), set: ('{', '}'),
               frozenset: ('frozenset({', '})'), dict: ('{', '}')}
_MAX_DEPTH = 6


class _Budget(object):
    __slots__ = ('left', 'truncated')

    def __init__(self, left):
        self.left = left
        self.truncated = False


def _plain(value, budget):
    t = type(value)
    if t is str or t is bytes or t is bytearray:
        if len(value) > budget.left:
            budget.truncated = True
            value = value[:max(budget.left, 0) + 1]
    return repr(value)


def _walk(value, budget, depth, active, out):
    """Append pieces of value's repr to out until budget.left runs out."""
    t = type(value)
    brackets = _CONTAINERS.get(t)
    if brackets is None:
        text = _plain(value, budget)
        out.append(text)
        budget.left -= len(text)
        return
    if id(value) in active:  # a container that contains itself, shown like repr() does
        text = brackets[0] + '...' + brackets[1]
        out.append(text)
        budget.left -= len(text)
        return
    if depth >= _MAX_DEPTH:
        out.append('...')
        budget.truncated = True
        budget.left -= 3
        return
    if not value:
        text = repr(value)
        out.append(text)
        budget.left -= len(text)
        return
    active.add(id(value))
    out.append(brackets[0])
    budget.left -= len(brackets[0])
    first = True
    items = value.items() if t is dict else value
    reserve = len(brackets[1]) + 5  # room for ", ..." and the closing bracket
    for item in items:
        if budget.left <= reserve:
            out.append(', ...' if not first else '...')
            budget.truncated = True
            break
        if not first:
            out.append(', ')
            budget.left -= 2
        first = False
        if t is dict:
            _walk(item[0], budget, depth + 1, active, out)
            out.append(': ')
            budget.left -= 2
            _walk(item[1], budget, depth + 1, active, out)
        else:
            _walk(item, budget, depth + 1, active, out)
    if t is tuple and len(value) == 1 and not budget.truncated:
        out.append(',')
    out.append(brackets[1])
    active.discard(id(value))


def bounded_repr(value, max_repr=200):
    """(repr text of at most max_repr characters, truncated?)."""
    budget = _Budget(max_repr)
    out = []
    try:
        _walk(value, budget, 0, set(), out)
        text = ''.join(out)
    except BaseException as exc:  # a broken __repr__, or mutation from the main thread
        try:
            name = type(exc).__name__
        except BaseException:
            name = 'exception'
        text = '<repr failed: %s>' % name
    if len(text) > max_repr:
        return text[:max(max_repr - 3, 0)] + '...'[:max_repr], True
    return text, budget.truncated


def type_name(value):
    t = type(value)
    if t is type(sys):
        return 'module'
    try:
        return t.__qualname__
    except Exception:
        return '?'


def variables(ns, max_repr=200):
    """User variables of ns: dunder names (the module's own attributes) are left out."""
    result = []
    for name, value in list(ns.items()):
        if not isinstance(name, str) or (name.startswith('__') and name.endswith('__')):
            continue
        text, truncated = bounded_repr(value, max_repr)
        result.append({'name': name, 'type': type_name(value), 'repr': text,
                       'truncated': truncated})
    return result
