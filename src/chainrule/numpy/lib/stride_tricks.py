"""Differentiable ``numpy.lib.stride_tricks``: ``sliding_window_view`` and ``as_strided``.

NumPy makes these views by strides, which a derivative cannot follow; chainrule makes the
same array by gathering: NumPy's own function applied to the array of the input's flat
indices says which entry each output entry is, and the result is the input gathered at
those indices. The values are NumPy's; the result is a new array (never a view of the
input), and the transpose adds the cotangents of overlapping windows.

>>> import chainrule as cr, chainrule.numpy as cnp
>>> sliding_window_view(np.arange(5.0), 3)
array([[0., 1., 2.],
       [1., 2., 3.],
       [2., 3., 4.]])
>>> cr.grad(lambda x: cnp.sum(sliding_window_view(x, 3)))(np.zeros(5))   # windows per entry
array([1., 2., 3., 2., 1.])
"""
import numpy as np
from numpy.lib import stride_tricks as _numpy_stride_tricks

from ...core.primitive import Tracer
from ...core.registry import NUMPY, COMPOSITE, add
from ...primitives.util import shape as shape_of, dtype, values_or_none
from ..registered import cnp

__all__ = ["sliding_window_view", "as_strided"]


def _flat_indices(x):
    return np.arange(int(np.prod(shape_of(x))), dtype=np.intp).reshape(shape_of(x))


def sliding_window_view(x, window_shape, axis=None, *, subok=False, writeable=False):
    """``numpy.lib.stride_tricks.sliding_window_view``, differentiable in ``x`` (a copy of
    the windows, never a view: writing into it cannot change ``x``).

    >>> sliding_window_view(np.arange(4.0), 2).shape
    (3, 2)
    """
    if not isinstance(x, Tracer):
        return _numpy_stride_tricks.sliding_window_view(x, window_shape, axis, subok=subok,
                                                        writeable=writeable)
    index = _numpy_stride_tricks.sliding_window_view(_flat_indices(x), window_shape, axis)
    return cnp.reshape(x, (-1,))[np.array(index)]


def as_strided(x, shape=None, strides=None, subok=False, writeable=True):
    """``numpy.lib.stride_tricks.as_strided`` on a traced array: the entries the strides
    select, gathered (``strides`` in bytes of ``x``'s C-contiguous layout, as NumPy's).

    >>> as_strided(np.arange(4.0), (2, 3), (8, 8))
    array([[0., 1., 2.],
           [1., 2., 3.]])
    """
    if not isinstance(x, Tracer):
        return _numpy_stride_tricks.as_strided(x, shape, strides, subok, writeable)
    values = values_or_none(x)
    if values is None:   # under vmap: each example is laid out C-contiguously
        values = np.empty(shape_of(x), dtype(x))
    if not values.flags.c_contiguous:
        raise ValueError("as_strided of a traced array that is not C-contiguous: the strides "
                         "would refer to another layout; use sliding_window_view, or "
                         "chainrule.numpy.ascontiguousarray first")
    itemsize = dtype(x).itemsize
    base = _flat_indices(x)
    given = values.strides if strides is None else tuple(strides)
    if any(s % itemsize for s in given):
        raise ValueError(f"as_strided of a traced array: strides {given} are not multiples of "
                         f"the item size {itemsize}")
    index = _numpy_stride_tricks.as_strided(
        base, shape, None if strides is None else tuple(s // itemsize * base.itemsize
                                                        for s in given))
    return cnp.reshape(x, (-1,))[np.array(index)]


for _name in __all__:
    add(NUMPY, "lib.stride_tricks." + _name, COMPOSITE, globals()[_name])


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    raise AttributeError(f"chainrule.numpy.lib.stride_tricks.{name} is not wrapped: NumPy's "
                         f"module has only sliding_window_view and as_strided")
