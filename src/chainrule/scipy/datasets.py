"""``scipy.datasets``, passed through: SciPy's own module (example data sets).
SciPy is imported on the first name asked for, so importing chainrule.scipy stays lazy.

>>> import chainrule.scipy.datasets as m, scipy.datasets
>>> m.__all__ == scipy.datasets.__all__
True
"""
from ..primitives.scipy_linalg import scipy_module as _scipy_module


def __getattr__(name):
    if name.startswith("__") and name != "__all__":
        raise AttributeError(name)
    try:
        return getattr(_scipy_module("datasets"), name)
    except AttributeError:
        raise AttributeError(f"module 'chainrule.scipy.datasets' (and scipy.datasets) has no attribute "
                             f"{name!r}") from None


def __dir__():
    return dir(_scipy_module("datasets"))
