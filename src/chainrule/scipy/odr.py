"""``scipy.odr``, passed through: SciPy's own module (orthogonal distance regression (ODRPACK), for plain values).
SciPy is imported on the first name asked for, so importing chainrule.scipy stays lazy.

>>> import chainrule.scipy.odr as m, scipy.odr
>>> m.__all__ == scipy.odr.__all__
True
"""
from ..primitives.scipy_linalg import scipy_module as _scipy_module


def __getattr__(name):
    if name.startswith("__") and name != "__all__":
        raise AttributeError(name)
    try:
        return getattr(_scipy_module("odr"), name)
    except AttributeError:
        raise AttributeError(f"module 'chainrule.scipy.odr' (and scipy.odr) has no attribute "
                             f"{name!r}") from None


def __dir__():
    return dir(_scipy_module("odr"))
