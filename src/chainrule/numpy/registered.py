"""``cnp``: chainrule.numpy's functions looked up in the registry, for the modules that
``chainrule.numpy`` itself imports (``polynomial``, ``emath``), which cannot import it back.

>>> cnp.sin is lookup(NUMPY, "sin").obj and cnp.linalg.eigvals is lookup(LINALG, "eigvals").obj
True
"""
from ..core.registry import NUMPY, LINALG, lookup

__all__ = ["cnp"]


class _Namespace:
    __slots__ = ("_name",)

    def __init__(self, name):
        self._name = name

    def __getattr__(self, attr):
        entry = lookup(self._name, attr)
        if entry is None:
            raise AttributeError(f"{self._name}.{attr}")
        return entry.obj


class _NumPy(_Namespace):
    __slots__ = ()
    linalg = _Namespace(LINALG)


cnp = _NumPy(NUMPY)
