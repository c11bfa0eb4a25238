"""``scipy.cluster``, passed through: SciPy's own module (k-means and hierarchical clustering: assignments piecewise constant in the data, so values only).
SciPy is imported on the first name asked for, so importing chainrule.scipy stays lazy.

>>> import chainrule.scipy.cluster as m, scipy.cluster
>>> m.__all__ == scipy.cluster.__all__
True
"""
import sys as _sys
import types as _types

from ..primitives.scipy_linalg import scipy_module as _scipy_module


class _Submodule(_types.ModuleType):
    """One of SciPy's submodules, also importable by its dotted name
    (``from chainrule.scipy.cluster.vq import ...``), loaded on first use."""

    def __getattr__(self, name):
        if name.startswith("__") and name != "__all__":
            raise AttributeError(name)
        return getattr(_scipy_module(self.__name__.split(".", 2)[2]), name)


for _name in ('vq', 'hierarchy'):
    globals()[_name] = _sys.modules.setdefault(f"{__name__}.{_name}",
                                               _Submodule(f"{__name__}.{_name}"))


def __getattr__(name):
    if name.startswith("__") and name != "__all__":
        raise AttributeError(name)
    try:
        return getattr(_scipy_module("cluster"), name)
    except AttributeError:
        raise AttributeError(f"module 'chainrule.scipy.cluster' (and scipy.cluster) has no attribute "
                             f"{name!r}") from None


def __dir__():
    return dir(_scipy_module("cluster"))
