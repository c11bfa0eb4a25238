"""Vector-space helpers for values that may be traced: shapes, dtypes and zeros.

Every transformation needs "a zero shaped like this value" (a symbolic zero
made concrete) and the plain value's shape and dtype; they are defined here,
once, below every layer that uses them.

>>> import numpy as np
>>> zeros_like(np.ones((2, 3), dtype=np.float32)).dtype
dtype('float32')
>>> zeros_like(2.0, dtype=float)
np.float64(0.0)
"""

import numpy as np

from .primitive import full_lower

__all__ = ["shape_of", "dtype_of", "zeros_like", "numpy_dtype", "Dropped", "DroppedValueError",
           "constants_into"]

_F64 = np.dtype(np.float64)


def shape_of(x):
    """The shape of ``x`` under every level of tracer (Python numbers have shape ()).

    >>> shape_of([[1.0, 2.0]])
    (1, 2)
    """
    return np.shape(full_lower(x))


def dtype_of(x):
    """The dtype of ``x`` under every level of tracer (a Python float is float64).

    >>> dtype_of(1.0), dtype_of(3), dtype_of([1, 2.5])
    (dtype('float64'), dtype('int64'), dtype('float64'))
    """
    if type(x) is float:
        return _F64
    if type(x) is list or type(x) is tuple:
        # the array NumPy would make of it (np.result_type would read a list as a
        # structured-dtype spec: "Field elements must be 2- or 3-tuples")
        return np.asarray(x).dtype
    v = full_lower(x)
    if not isinstance(v, _NUMPY_KINDS) and not isinstance(getattr(v, "dtype", None), np.dtype):
        return numpy_dtype(v.dtype)  # an Array API library's own dtype object
    return np.result_type(v)


def numpy_dtype(dt):
    """The NumPy dtype of an array library's dtype (array-api-strict's ``float64``...).

    >>> numpy_dtype(np.float32)
    dtype('float32')
    """
    if isinstance(dt, np.dtype):
        return dt
    try:
        return np.dtype(dt)
    except TypeError:
        return np.dtype(str(dt).rsplit(".", 1)[-1])


def zeros_like(x, dtype=None):
    """Zeros with the shape of ``x`` and ``dtype`` (default: the dtype of ``x``);
    a NumPy scalar for 0-d values.

    >>> zeros_like(np.arange(3), dtype=float)
    array([0., 0., 0.])
    """
    v = full_lower(x)
    if not isinstance(v, _NUMPY_KINDS) and (hasattr(v, "__array_function__")
                                            or hasattr(v, "__array_namespace__")):
        return _foreign_zeros(v, dtype)
    z = np.zeros(np.shape(v), dtype=dtype_of(v) if dtype is None else dtype)
    return z[()] if z.ndim == 0 else z


_NUMPY_KINDS = (np.ndarray, np.generic, float, int, complex, bool, list, tuple)


def _foreign_zeros(v, dtype):
    # Another library's array (Dask, CuPy): zeros in that library, shaped (and for Dask
    # chunked) like it, through NumPy's dispatch or the Array API's own protocol.
    if hasattr(v, "__array_function__"):
        return np.zeros_like(v, dtype=dtype)
    xp = v.__array_namespace__()
    dt = v.dtype if dtype is None else getattr(xp, np.dtype(dtype).name)
    return xp.zeros(v.shape, dtype=dt, device=v.device)


# ``constants_into[0](vals)``: ``vals`` (an operation's operands, one level down) with each
# NumPy array moved into the library and device of another library's array among them (CuPy,
# an Array API library: their operators refuse NumPy arrays, and a derivative rule computes
# ``g * c`` with the recorded constant ``c``); ``vals`` itself otherwise. Set by
# ``primitives.arrays``; the interpreters call it only where a NumPy array constant meets a
# value that is not a NumPy array.
constants_into = [None]


class DroppedValueError(TypeError):
    """A rule read a value that its primitive declared it does not read."""


class Dropped:
    """Stands on a tape for a value that no derivative rule reads: shape and dtype only.

    Reverse mode keeps, for each operation, only the residuals its VJP rules declare
    (the inputs of ``x * y``, the output of ``exp``, nothing for ``x + y``); the other
    values are replaced by a ``Dropped`` so that NumPy can free them as soon as the
    program drops them, as it would without differentiation. Rules may still ask a
    dropped value for its shape and dtype (to undo broadcasting); reading its
    elements is a bug in a residual declaration and raises.

    >>> d = Dropped((2, 3), np.dtype(np.float32))
    >>> np.shape(d), np.ndim(d), np.result_type(d, 1.0)
    ((2, 3), 2, dtype('float32'))
    >>> d + 1.0
    Traceback (most recent call last):
        ...
    chainrule.core.vspace.DroppedValueError: a derivative rule read a value of shape (2, 3) that the tape did not keep: its primitive's residual declaration (declare(..., residuals=...)) omits it
    """

    __slots__ = ("shape", "dtype")

    def __init__(self, shape, dtype):
        self.shape = shape
        self.dtype = dtype

    @property
    def ndim(self):
        return len(self.shape)

    @property
    def size(self):
        n = 1
        for k in self.shape:
            n *= k
        return n

    def __len__(self):
        if not self.shape:
            raise TypeError("len() of unsized object")
        return self.shape[0]

    def _refuse(self, *args, **kwargs):
        raise DroppedValueError(
            f"a derivative rule read a value of shape {self.shape} that the tape did not keep: "
            f"its primitive's residual declaration (declare(..., residuals=...)) omits it")

    __array__ = __float__ = __int__ = __complex__ = __bool__ = __getitem__ = _refuse
    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _refuse
    __truediv__ = __rtruediv__ = __pow__ = __rpow__ = __matmul__ = __rmatmul__ = _refuse
    __neg__ = __abs__ = __lt__ = __le__ = __gt__ = __ge__ = _refuse

    def __repr__(self):
        return f"Dropped(shape={self.shape}, dtype={self.dtype})"
