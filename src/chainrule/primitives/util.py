"""Shapes and dtypes of possibly-traced values: the helpers every rule uses.

>>> import numpy as np
>>> shape(2.0), ndim(np.ones((2, 3))), dtype(np.float32(1))
((), 2, dtype('float32'))
"""

import numpy as np

from ..core.primitive import Tracer
from ..core.vspace import dtype_of

__all__ = ["shape", "ndim", "dtype", "dtype_or_float64", "lower", "is_float_dtype"]


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
