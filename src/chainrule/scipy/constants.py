"""``scipy.constants``, passed through: SciPy's own module (physical constants and units: numbers, nothing to differentiate).
SciPy is imported on the first name asked for, so importing chainrule.scipy stays lazy.

>>> import chainrule.scipy.constants as m, scipy.constants
>>> m.__all__ == scipy.constants.__all__
True
"""
from ..primitives.scipy_linalg import scipy_module as _scipy_module


def __getattr__(name):
    if name.startswith("__") and name != "__all__":
        raise AttributeError(name)
    try:
        return getattr(_scipy_module("constants"), name)
    except AttributeError:
        raise AttributeError(f"module 'chainrule.scipy.constants' (and scipy.constants) has no attribute "
                             f"{name!r}") from None


def __dir__():
    return dir(_scipy_module("constants"))
