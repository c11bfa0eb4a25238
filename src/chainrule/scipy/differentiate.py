"""``scipy.differentiate``, passed through: SciPy's own module (numerical differentiation (finite differences with Richardson extrapolation), for plain values: chainrule's exact derivatives are cr.grad, cr.jacfwd, cr.hessian).
SciPy is imported on the first name asked for, so importing chainrule.scipy stays lazy.

>>> import chainrule.scipy.differentiate as m, scipy.differentiate
>>> m.__all__ == scipy.differentiate.__all__
True
"""
from ..primitives.scipy_linalg import scipy_module as _scipy_module


def __getattr__(name):
    if name.startswith("__") and name != "__all__":
        raise AttributeError(name)
    try:
        return getattr(_scipy_module("differentiate"), name)
    except AttributeError:
        raise AttributeError(f"module 'chainrule.scipy.differentiate' (and scipy.differentiate) has no attribute "
                             f"{name!r}") from None


def __dir__():
    return dir(_scipy_module("differentiate"))
