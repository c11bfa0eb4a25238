"""``scipy.io``, passed through: SciPy's own module (reading and writing files (MATLAB, WAV, Matrix Market...): data, not functions of traced values).
SciPy is imported on the first name asked for, so importing chainrule.scipy stays lazy.

>>> import chainrule.scipy.io as m, scipy.io
>>> m.__all__ == scipy.io.__all__
True
"""
import sys as _sys
import types as _types

from ..primitives.scipy_linalg import scipy_module as _scipy_module


class _Submodule(_types.ModuleType):
    """One of SciPy's submodules, also importable by its dotted name
    (``from chainrule.scipy.io.wavfile import ...``), loaded on first use."""

    def __getattr__(self, name):
        if name.startswith("__") and name != "__all__":
            raise AttributeError(name)
        return getattr(_scipy_module(self.__name__.split(".", 2)[2]), name)


for _name in ('wavfile', 'matlab', 'arff', 'netcdf'):
    globals()[_name] = _sys.modules.setdefault(f"{__name__}.{_name}",
                                               _Submodule(f"{__name__}.{_name}"))


def __getattr__(name):
    if name.startswith("__") and name != "__all__":
        raise AttributeError(name)
    try:
        return getattr(_scipy_module("io"), name)
    except AttributeError:
        raise AttributeError(f"module 'chainrule.scipy.io' (and scipy.io) has no attribute "
                             f"{name!r}") from None


def __dir__():
    return dir(_scipy_module("io"))
