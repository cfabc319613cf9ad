"""Completion inside import statements: module names after `import` and
`from`, and the names a module offers after `from MODULE import`.

Nothing is imported to answer: a module that is not loaded yet is looked up
with importlib's finders (no code runs) and, when it is a .py file, its top
level is read with the parser. Completing must never run user or library code
behind the user's back (an import can be slow or have effects).
"""
import os
import sys

_MAX_NAMES = 1000
_top_level_cache = {}   # tuple(sys.path) -> sorted top-level module names
_source_names_cache = {}  # (path, mtime) -> names defined at a .py file's top level


def matches(text):
    """(matches, start) when `text` (the code before the cursor) ends inside an
    import statement, else None."""
    import re
    line = re.split(r'[\n;]', text)[-1]
    m = re.match(r'\s*from\s+([\w.]+)\s+import\s+(?:\(\s*)?(?:\w+(?:\s+as\s+\w+)?\s*,\s*)*(\w*)$', line)
    if m is not None:
        prefix = m.group(2)
        return _names_of(m.group(1), prefix), len(text) - len(prefix)
    m = re.match(r'\s*(?:import\s+(?:[\w.]+(?:\s+as\s+\w+)?\s*,\s*)*|from\s+)([\w.]*)$', line)
    if m is not None:
        dotted = m.group(1)
        return _module_names(dotted), len(text) - len(dotted)
    return None


def _module_names(dotted):
    parent, _, prefix = dotted.rpartition('.')
    if parent:
        names = [parent + '.' + name for name in _submodules(parent)]
    else:
        names = _top_level()
    private = prefix.startswith('_')
    return [n for n in names if n.startswith(dotted) and (private or not n.rpartition('.')[2].startswith('_'))][:_MAX_NAMES]


def _top_level():
    key = tuple(sys.path)
    names = _top_level_cache.get(key)
    if names is None:
        import pkgutil
        found = set(sys.builtin_module_names)
        found.update(info.name for info in pkgutil.iter_modules())
        names = sorted(found)
        _top_level_cache.clear()
        _top_level_cache[key] = names
    return names


def _spec(dotted):
    """The spec of a module or package, found without importing anything new:
    each level is looked up in its parent's locations with PathFinder, which
    does not import the parent (importlib.util.find_spec would)."""
    from importlib.machinery import PathFinder
    locations = None
    spec = None
    name = ''
    for part in dotted.split('.'):
        name = name + '.' + part if name else part
        loaded = sys.modules.get(name)
        if loaded is not None and getattr(loaded, '__spec__', None) is not None:
            spec = loaded.__spec__
        else:
            try:
                spec = PathFinder.find_spec(name, locations)
            except (ImportError, ValueError, AttributeError, OSError):
                return None
            if spec is None:
                return None
        locations = spec.submodule_search_locations
        if locations is None and name != dotted:
            return None  # a plain module has no submodules to descend into
    return spec


def _submodules(package):
    names = set()
    loaded = sys.modules.get(package)
    if loaded is not None:
        # Submodules already imported, and the likes of os.path: a module that a module binds and registers under
        # its own dotted name.
        prefix = package + '.'
        names.update(k[len(prefix):] for k in list(sys.modules) if k.startswith(prefix) and '.' not in k[len(prefix):])
    spec = _spec(package)
    locations = spec.submodule_search_locations if spec is not None else None
    if locations:
        import pkgutil
        names.update(info.name for info in pkgutil.iter_modules(list(locations)))
    return sorted(names)


def _names_of(module, prefix):
    loaded = sys.modules.get(module)
    if loaded is not None:
        names = set(dir(loaded))
    else:
        names = set(_source_names(module))
    names.update(_submodules(module))
    public = prefix.startswith('_')
    return sorted(n for n in names if n.startswith(prefix) and (public or not n.startswith('_')))[:_MAX_NAMES]


def _source_names(module):
    """Names bound at the top level of a module's .py source, read, not run."""
    spec = _spec(module)
    origin = getattr(spec, 'origin', None) if spec is not None else None
    if not origin or not origin.endswith('.py'):
        return []
    try:
        key = (origin, os.stat(origin).st_mtime_ns)
    except OSError:
        return []
    names = _source_names_cache.get(key)
    if names is None:
        names = _parse_top_level(origin)
        if len(_source_names_cache) > 100:
            _source_names_cache.clear()
        _source_names_cache[key] = names
    return names


def _parse_top_level(path):
    import ast
    try:
        with open(path, 'rb') as f:
            tree = ast.parse(f.read(), path)
    except (OSError, SyntaxError, ValueError):
        return []
    names = []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.append(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.extend((a.asname or a.name).partition('.')[0] for a in node.names if a.name != '*')
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.extend(t.id for t in targets if isinstance(t, ast.Name))
    return names
