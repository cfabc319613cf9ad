"""Run a callback when a module is first imported, without importing it ourselves.

Patching getpass and subprocess (and feeding cell sources to linecache) at
start would import them eagerly, which costs milliseconds of start-up that most
sessions never need. A meta-path finder lets us patch them the moment user
code (or the worker) imports them instead.
"""
import sys

_callbacks = {}  # module name -> [callback(module)]


def when_imported(name, callback):
    module = sys.modules.get(name)
    if module is not None:
        _safe_call(callback, module)
        return
    _callbacks.setdefault(name, []).append(callback)
    if _finder not in sys.meta_path:
        sys.meta_path.insert(0, _finder)


def _safe_call(callback, module):
    try:
        callback(module)
    except Exception:
        pass  # a failed patch must never break the user's import


class _Loader(object):
    def __init__(self, loader, name):
        self._loader = loader
        self._name = name

    def create_module(self, spec):
        create = getattr(self._loader, 'create_module', None)
        return create(spec) if create is not None else None

    def exec_module(self, module):
        # Put the real loader back first so the module looks untouched.
        spec = getattr(module, '__spec__', None)
        if spec is not None:
            spec.loader = self._loader
        module.__loader__ = self._loader
        self._loader.exec_module(module)
        for callback in _callbacks.pop(self._name, ()):
            _safe_call(callback, module)
        if not _callbacks and _finder in sys.meta_path:
            sys.meta_path.remove(_finder)

    def __getattr__(self, attr):
        return getattr(self._loader, attr)


class _Finder(object):
    def find_spec(self, name, path=None, target=None):
        if name not in _callbacks:
            return None
        for finder in sys.meta_path:
            if finder is self:
                continue
            find = getattr(finder, 'find_spec', None)
            if find is None:
                continue
            spec = find(name, path, target) if target is not None else find(name, path)
            if spec is None:
                continue
            if spec.loader is None or not hasattr(spec.loader, 'exec_module'):
                return spec
            spec.loader = _Loader(spec.loader, name)
            return spec
        return None

    def invalidate_caches(self):
        pass


_finder = _Finder()
