"""Shapes and dtypes of possibly-traced values: the helpers every rule uses.

>>> import numpy as np
>>> shape(2.0), ndim(np.ones((2, 3))), dtype(np.float32(1))
((), 2, dtype('float32'))
"""

import numpy as np

from ..core.primitive import Tracer
from ..core.vspace import dtype_of

__all__ = ["shape", "ndim", "dtype", "dtype_or_float64", "lower", "is_float_dtype",
           "numpy_scalar"]


def lower(x):
    """The plain value under every level of tracer."""
    while isinstance(x, Tracer):
        x = x._value
    return x


def shape(x):
    """Shape of a value or tracer (Python numbers have shape ())."""
    t = type(x)
    if t is np.ndarray:
        return x.shape
    if t is float or t is np.float64:
        return ()
    s = getattr(x, "shape", None)
    if s is None:
        return np.shape(x)
    return tuple(s)


def ndim(x):
    """Number of axes of a value or tracer."""
    return len(shape(x))


def dtype(x):
    """NumPy dtype of a value or tracer."""
    return dtype_of(x)


def dtype_or_float64(x):
    """``x.dtype``, or float64 for Python numbers (cheap: no lowering)."""
    return getattr(x, "dtype", np.float64)


def is_float_dtype(dt):
    """True for floating and complex dtypes (the ones that carry derivatives)."""
    return np.issubdtype(dt, np.inexact)


def numpy_scalar(x):
    """A plain 0-d NumPy array as the NumPy scalar NumPy's and SciPy's reductions return;
    anything else (a tracer, an array with axes, another library's array) as it is.

    >>> numpy_scalar(np.array(2.0)), numpy_scalar(np.ones(1))
    (np.float64(2.0), array([1.]))
    """
    return x[()] if type(x) is np.ndarray and x.ndim == 0 else x
