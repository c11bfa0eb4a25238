"""Shapes and dtypes of possibly-traced values: the helpers every rule uses.

>>> import numpy as np
>>> shape(2.0), ndim(np.ones((2, 3))), dtype(np.float32(1))
((), 2, dtype('float32'))
"""

import numpy as np

from ..core.primitive import Tracer, concrete_value
from ..core.vspace import dtype_of
from ..interpreters.batching import BatchedValueError

__all__ = ["shape", "ndim", "dtype", "dtype_or_float64", "lower", "is_float_dtype",
           "numpy_scalar", "linalg_result", "result_type", "axis_index", "values_or_none", "traced"]


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


def axis_index(axis, nd):
    """``axis`` (negative from the end) as an index in ``range(nd)``; NumPy's AxisError
    outside it (``axis % nd`` would silently pick another axis).

    >>> axis_index(-1, 3)
    2
    """
    axis = int(axis)
    if not -nd <= axis < nd:
        raise np.exceptions.AxisError(axis, nd)
    return axis % nd


def dtype(x):
    """NumPy dtype of a value or tracer."""
    return dtype_of(x)


def result_type(*values):
    """``np.result_type`` of values, dtypes and Python numbers, where an array of another
    library counts by its dtype: NumPy cannot convert array-api-strict's or CuPy's arrays
    (they refuse, or it would copy them), so it is not asked to.

    >>> result_type(np.ones(2, np.float32), 1.0)
    dtype('float32')
    """
    return np.result_type(*[
        dtype_of(v) if (hasattr(v, "dtype") and not isinstance(v, _AS_NUMPY))
        or type(v) is list or type(v) is tuple else v   # a list is the array NumPy makes
        for v in values])


_AS_NUMPY = (np.ndarray, np.generic, np.dtype, type)  # (np.float64 has a .dtype too)


def traced(*values):
    """Whether a tracer is among ``values`` (searched through lists and tuples): whether a
    function must take its differentiable path rather than call NumPy's or SciPy's own.

    >>> traced([1.0, 2.0], 3.0)
    False
    """
    stack = list(values)
    while stack:
        v = stack.pop()
        if isinstance(v, Tracer):
            return True
        if type(v) in (list, tuple):
            stack.extend(v)
    return False


def values_or_none(x):
    """The plain values under ``x`` as a NumPy array, for a decision NumPy or SciPy makes
    from them (a shape that depends on the values, a check that raises), or None under
    vmap, where each example's values differ and no one decision holds for the batch.
    Under jit the values read are guarded (:func:`~chainrule.core.primitive.concrete_value`).

    >>> values_or_none([1.0, 2.0])
    array([1., 2.])
    """
    try:
        return np.asarray(concrete_value(x, "array"))
    except BatchedValueError:
        return None


def dtype_or_float64(x):
    """``x.dtype``, or float64 for Python numbers (cheap: no lowering)."""
    return getattr(x, "dtype", np.float64)


def is_float_dtype(dt):
    """True for floating and complex dtypes (the ones that carry derivatives)."""
    return np.issubdtype(dt, np.inexact)


_LINALG_PROBES = {
    "svd": lambda: np.linalg.svd(np.eye(1)), "eigh": lambda: np.linalg.eigh(np.eye(1)),
    "eig": lambda: np.linalg.eig(np.eye(1)), "qr": lambda: np.linalg.qr(np.eye(1)),
    "slogdet": lambda: np.linalg.slogdet(np.eye(1))}
_linalg_classes = {}


def linalg_result(name, values):
    """``values`` as numpy.linalg's result for ``name`` (NumPy 2's named tuples: ``SVDResult``
    with ``.U``, ``.S``, ``.Vh``; ``EighResult``, ``EigResult``, ``QRResult``,
    ``SlogdetResult``), or a plain tuple where NumPy returns one. The class is NumPy's own,
    read off a 1x1 call: a pytree like any named tuple, unpacked like a tuple.

    >>> r = linalg_result("slogdet", (1.0, 0.5))
    >>> r[1] == r.logabsdet == 0.5 if type(r) is not tuple else True
    True
    """
    cls = _linalg_classes.get(name)
    if cls is None:
        cls = _linalg_classes[name] = type(_LINALG_PROBES[name]())
    return tuple(values) if cls is tuple else cls(*values)


def numpy_scalar(x):
    """A plain 0-d NumPy array as the NumPy scalar NumPy's and SciPy's reductions return;
    anything else (a tracer, an array with axes, another library's array) as it is.

    >>> numpy_scalar(np.array(2.0)), numpy_scalar(np.ones(1))
    (np.float64(2.0), array([1.]))
    """
    if type(x) is np.ndarray:
        return x[()] if x.ndim == 0 else x
    # jit's staged value: the same indexing, staged, so that a replay returns what an
    # eager call does (a 0-d array there, a scalar here, was a jit/eager difference)
    if isinstance(x, Tracer) and x._trace.concrete_ok and ndim(x) == 0:
        return x[()]
    return x
