"""NumPy functions built from primitives. They need no rules of their own:
their derivatives follow from those of the primitives they call.
"""

import math
import warnings

import numpy as np

from ..core.primitive import Tracer, concrete_value, InPlaceError
from ..interpreters.batching import BatchedValueError
from ..core.registry import LINALG, NUMPY, lookup
from .declare import export
from .util import (shape, ndim, lower, numpy_scalar, linalg_result, result_type, axis_index,
                   dtype as dtype_of)
from .arrays import is_numpy, is_foreign, is_lazy, namespace_of, array_api_only, standard_dtype
from . import basic as B
from . import elementwise as E
from . import structural as S
from . import linalg as L
from . import decompositions as D


def _axes_size(x, axis, keepdims=False):
    shp = shape(x)
    if axis is None:
        n = math.prod(shp)
    else:
        axes = axis if isinstance(axis, (tuple, list)) else (axis,)
        n = math.prod(shp[a] for a in axes)
    if n != n and is_lazy(lower(x)):
        # Dask lengths unknown until computed (after a boolean index): the count, lazily,
        # as Dask's own mean counts (the product of the lengths is nan)
        return np.sum(np.ones_like(lower(x)), axis=axis, keepdims=keepdims)
    return n


# ---- reductions ------------------------------------------------------------------
def in_dtype(x, dtype):
    """``x`` cast to a reduction's ``dtype=`` argument (None: unchanged); a complex → real
    cast raises rather than drop the imaginary part.

    >>> in_dtype((1, 2), int).dtype == np.dtype(int), in_dtype(np.ones(2), None).dtype
    (True, dtype('float64'))
    """
    if dtype is None:
        return x
    dt = np.dtype(dtype)
    x = _stacked(x)
    if result_type(lower(x)).kind == "c" and dt.kind != "c":
        raise TypeError(f"dtype={dt} would discard the imaginary part of complex values; take "
                        f"cnp.real or cnp.abs first")
    return E.astype(x, dtype=dt)


@export()
def mean(x, axis=None, keepdims=False, dtype=None):
    """Arithmetic mean along ``axis`` (same signature as numpy.mean); a Python list of traced
    values is stacked first."""
    x = in_dtype(_stacked(x), dtype)
    if dtype is None and dtype_of(x) == np.float16:
        # NumPy sums float16 in float32 and rounds the mean back: a float16 sum overflows
        # from 65504 on (the mean of four 60000s was inf)
        wide = _plain_mean(E.astype(x, dtype=np.float32), axis, keepdims)
        return numpy_scalar(E.astype(wide, dtype=np.float16))
    return _plain_mean(x, axis, keepdims)


def _plain_mean(x, axis, keepdims):
    # sum / count in x's own dtype (var's mean, as NumPy's _var computes it)
    return B.reduce_sum(x, axis=axis, keepdims=keepdims) / _axes_size(x, axis, keepdims)


@export()
def var(x, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, where=True, mean=None,
        correction=None):
    """Variance along ``axis`` (of complex values: the mean of |x − mean|², real, as NumPy),
    with NumPy 2's ``where=`` (entries left out), ``mean=`` (a mean computed before, with
    kept axes; the derivative flows through it too) and ``correction=`` (ddof's new name).

    >>> float(var(np.array([1.0 + 1.0j, -1.0 - 1.0j])))
    2.0
    >>> float(var(np.array([1.0, 5.0, 3.0]), where=np.array([True, False, True]), correction=1))
    2.0
    """
    if out is not None:
        raise out_argument_error("var")
    ddof = _dof(ddof, correction)
    x = in_dtype(_stacked(x), dtype)
    if where is not True or mean is not None:
        return _var_where(x, axis, ddof, keepdims, where, mean)
    d = x - _plain_mean(x, axis=axis, keepdims=True)
    # (no degrees of freedom left, ddof >= n: NumPy divides by 0, not by a negative count)
    n = _axes_size(x, axis, keepdims)
    return B.reduce_sum(abs_squared(d), axis=axis, keepdims=keepdims) / (
        max(n - ddof, 0) if is_numpy(n) else np.maximum(n - ddof, 0))


def out_argument_error(name):
    """The error for ``out=`` given to the composite ``name``, worded as the primitives' is.

    >>> out_argument_error("var").args[0].startswith("var(..., out=...) writes in place")
    True
    """
    return InPlaceError(
        f"{name}(..., out=...) writes in place into an array, which breaks the derivative "
        f"of traced values; assign the result instead: y = chainrule.numpy.{name}(...)")


def _dof(ddof, correction):
    if correction is None:
        return ddof
    if ddof != 0:
        raise ValueError("ddof and correction can't be provided simultaneously.")
    return correction


def _var_where(x, axis, ddof, keepdims, where, mean):
    """var with a ``where`` mask and/or a given ``mean``: the entries left out are replaced by
    zeros before any arithmetic, so a nan or inf there reaches neither value nor derivative."""
    if dtype_of(x).kind in "biu":
        x = E.astype(x, dtype=np.dtype(np.float64))  # NumPy's mean of integers is float64
    real = np.dtype(dtype_of(x).char.lower()) if dtype_of(x).kind == "c" else dtype_of(x)
    if where is True:
        n = _axes_size(x, axis, True)
        count = n if isinstance(n, int) else E.astype(n, dtype=real)
    else:
        w = where if isinstance(where, Tracer) else np.broadcast_to(np.asarray(where), shape(x))
        if not isinstance(w, Tracer) and w.dtype != bool:
            raise TypeError(f"where= must be a boolean mask, not of dtype {w.dtype}")
        w = B.broadcast_to(w, shape=shape(x)) if isinstance(w, Tracer) else w
        x = E.where(w, x, np.zeros((), dtype=dtype_of(x)))
        count = B.reduce_sum(E.astype(w, dtype=real), axis=axis, keepdims=True)
    m = mean if mean is not None else B.reduce_sum(x, axis=axis, keepdims=True) / count
    d = x - m
    if where is not True:
        d = E.where(w, d, np.zeros((), dtype=dtype_of(d)))
    total = B.reduce_sum(abs_squared(d), axis=axis, keepdims=keepdims)
    if not isinstance(count, (int, np.integer)) and not keepdims:
        count = B.reshape(count, shape=shape(total))
    dof = E.maximum(count - ddof, 0.0) if not isinstance(count, int) else max(count - ddof, 0)
    return numpy_scalar(E.astype(total / dof, dtype=real) if dtype_of(total) != real
                        else total / dof)


def abs_squared(x):
    """|x|², real: x·x for real values, Re(x·conj(x)) for complex ones (no square root).

    >>> abs_squared(np.array([3.0 + 4.0j]))
    array([25.])
    """
    if result_type(lower(x)).kind == "c":
        return B.real(x * E.conj(x))
    return x * x


@export()
def std(x, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, where=True, mean=None,
        correction=None):
    """Standard deviation along ``axis`` (``where=``, ``mean=``, ``correction=`` as in
    :func:`var`); its derivative is 0 where the values along ``axis`` are all equal (size 1,
    a constant), not nan.

    >>> import chainrule as cr
    >>> cr.grad(std)(np.array([3.0]))
    array([0.])
    """
    if out is not None:
        raise out_argument_error("std")
    ddof = _dof(ddof, correction)
    x = in_dtype(_stacked(x), dtype)
    if where is not True or mean is not None:
        return E.sqrt_flat_at_zero(_var_where(x, axis, ddof, keepdims, where, mean))
    count = _axes_size(x, axis)
    # (a Dask array of unknown lengths counts lazily: var's path, which divides by that)
    count = max(count - ddof, 0) if isinstance(count, int) else None
    if dtype_of(x).kind == "f" and count:
        # √(Σ d² / count) of the deviations d, var's operations, as a primitive whose
        # derivative d/‖d‖/√count does not overflow with Σ d² (it was 0 for data of 1e200)
        d = x - _plain_mean(x, axis=axis, keepdims=True)
        return L.norm2(d, axis=axis, keepdims=keepdims, count=count)
    return E.sqrt_flat_at_zero(var(x, axis=axis, ddof=ddof, keepdims=keepdims))


def _stacked(x):
    """A Python list or tuple (of traced values, maybe) as one array."""
    return array(x) if isinstance(x, (list, tuple)) else x


def _ones_along(x, ax, n):
    """Ones shaped like ``x`` but with ``n`` along axis ``ax``, in ``x``'s dtype."""
    return np.ones(tuple(n if i == ax else k for i, k in enumerate(shape(x))),
                   dtype=result_type(lower(x)))


def _take(x, ax, index):
    return B.getitem(x, index=(slice(None),) * ax + (index,))


def _product_dtype(x, dtype):
    """NumPy's accumulator for products: small integers and booleans widen to the platform
    integer (np.prod(int8) is int64), so that a product does not wrap around in int8."""
    if dtype is not None:
        return dtype
    dt = result_type(lower(x))
    if dt.kind in "bi" and dt.itemsize < np.dtype(np.int_).itemsize:
        return np.int_
    if dt.kind == "u" and dt.itemsize < np.dtype(np.uint).itemsize:
        return np.uint
    return None


def handed_out(out, x):
    """A result on plain arrays as NumPy hands it out: a 0-d result as a NumPy scalar (also
    for jit's staged values, so that a replay returns what an eager call does), and never
    ``x`` itself or a view of it (a product over an axis of length 1 is its input)."""
    if isinstance(out, Tracer):
        return out[()] if out._trace.concrete_ok and ndim(out) == 0 else out
    if type(out) is np.ndarray:
        if out.ndim == 0:
            return out[()]
        if isinstance(x, np.ndarray) and np.may_share_memory(out, x):
            return out.copy()
    return out


@export()
def cumprod(a, axis=None, dtype=None):
    """Cumulative product along ``axis`` (numpy.cumprod), as a log-depth scan of products.

    c ← c · (c shifted by s, ones shifted in) for s = 1, 2, 4, … (Hillis and Steele):
    no division anywhere, so the derivatives are exact also where elements are zero, in
    both modes and to any order, and vmap batches it through its primitives. The values
    agree with numpy.cumprod up to rounding (the products are associated differently).

    >>> import chainrule as cr
    >>> cr.jacrev(cumprod)(np.array([2.0, 0.0, 1.5]))
    array([[1., 0., 0.],
           [0., 2., 0.],
           [0., 3., 0.]])
    """
    x = a
    a = _stacked(a)
    a = in_dtype(a, _product_dtype(a, dtype))
    if axis is None:
        a, axis = ravel(a), 0
    ax = axis % ndim(a)
    n = shape(a)[ax]
    s = 1
    while s < n:
        a = a * B.concatenate(_ones_along(a, ax, s), _take(a, ax, slice(0, n - s)), axis=ax)
        s *= 2
    return handed_out(a, x)


def _prod_along(x, ax):
    """Product over axis ``ax`` (kept, size 1) as a tree of pairwise products."""
    n = shape(x)[ax]
    if n == 0:
        return _ones_along(x, ax, 1)
    while n > 1:
        if n % 2:
            x = B.concatenate(x, _ones_along(x, ax, 1), axis=ax)
            n += 1
        x = _take(x, ax, slice(0, n, 2)) * _take(x, ax, slice(1, n, 2))
        n //= 2
    return x


@export()
def prod(x, axis=None, keepdims=False, dtype=None):
    """Product along ``axis``; exact derivatives also where elements are zero.

    A tree of pairwise products (no division): ``grad`` at [2, 0, 1.5] is [0, 3, 0],
    and the Hessian is exact too.

    >>> import chainrule as cr
    >>> cr.grad(prod)(np.array([2.0, 0.0, 1.5]))
    array([0., 3., 0.])
    """
    a = _stacked(x)
    return handed_out(_prod(in_dtype(a, _product_dtype(a, dtype)), axis, keepdims), x)


def _prod(x, axis, keepdims):
    if axis is None:
        out = _prod(ravel(x), 0, False)
        return B.reshape(out, shape=(1,) * ndim(x)) if keepdims else out
    if isinstance(axis, (tuple, list)):
        for a in sorted((a % ndim(x) for a in axis), reverse=True):
            x = _prod(x, a, keepdims)
        return x
    ax = axis % ndim(x)
    out = _prod_along(x, ax)
    return out if keepdims else squeeze(out, axis=ax)


@export()
def amax(*args, **kwargs):
    """numpy.amax, which is numpy.max (``initial`` and ``where`` included)."""
    return lookup(NUMPY, "max").obj(*args, **kwargs)


@export()
def amin(*args, **kwargs):
    """numpy.amin, which is numpy.min (``initial`` and ``where`` included)."""
    return lookup(NUMPY, "min").obj(*args, **kwargs)


# ---- shape ---------------------------------------------------------------------------
@export()
def ravel(x):
    return B.reshape(x, shape=(-1,))


@export()
def expand_dims(x, axis):
    return B.reshape(x, shape=np.expand_dims(np.empty(shape(x), dtype=bool), axis).shape)


@export()
def squeeze(x, axis=None):
    return B.reshape(x, shape=np.squeeze(np.empty(shape(x), dtype=bool), axis).shape)


@export()
def swapaxes(x, axis1, axis2):
    axes = list(range(ndim(x)))
    axes[axis1], axes[axis2] = axes[axis2], axes[axis1]
    return B.transpose(x, axes=tuple(axes))


@export()
def moveaxis(x, source, destination):
    return B.transpose(x, axes=tuple(_perm(ndim(x), source, destination)))


def _perm(nd, source, destination):
    src = [axis_index(s, nd) for s in np.atleast_1d(source)]
    dst = [axis_index(d, nd) for d in np.atleast_1d(destination)]
    order = [n for n in range(nd) if n not in src]
    for d, s in sorted(zip(dst, src)):
        order.insert(d, s)
    return order


@export("transpose", "permute_dims")
def transpose(x, axes=None):
    """``numpy.transpose`` (also NumPy 2's ``permute_dims``); its derivative is the inverse
    permutation.

    >>> import numpy as np, chainrule as cr, chainrule.numpy as cnp
    >>> cnp.transpose(np.zeros((2, 3, 4)), (2, 0, 1)).shape
    (4, 2, 3)
    >>> cr.grad(lambda a: cnp.sum(cnp.transpose(a) * np.array([[1.0, 2.0]])))(np.ones((2, 1)))
    array([[1.],
           [2.]])
    """
    return B.transpose(x, axes=None if axes is None else tuple(axes))


@export()
def reshape(x, newshape=None, order="C", shape=None):
    """numpy.reshape (C order only)."""
    if order != "C":
        raise ValueError("chainrule.numpy.reshape supports order='C' only")
    target = shape if shape is not None else newshape
    if isinstance(target, (int, np.integer)):
        target = (int(target),)
    return B.reshape(x, shape=tuple(target))


def each_of(one):
    """NumPy's ``atleast_Nd(*arys)``: one array for one argument, a tuple for several; a list
    or tuple argument is the array NumPy makes of it."""
    def many(*arys):
        out = tuple(one(asarray(a) if isinstance(a, (list, tuple)) else a) for a in arys)
        return out[0] if len(out) == 1 else out
    many.__name__ = many.__qualname__ = one.__name__
    many.__doc__ = one.__doc__
    return many


def _atleast_1d(x):
    """numpy.atleast_1d.

    >>> atleast_1d(1.0, [2.0, 3.0])
    (array([1.]), array([2., 3.]))
    """
    return x if ndim(x) >= 1 else B.reshape(x, shape=(1,))


def _atleast_2d(x):
    """numpy.atleast_2d.

    >>> atleast_2d([1.0, 2.0])
    array([[1., 2.]])
    """
    nd = ndim(x)
    return x if nd >= 2 else B.reshape(x, shape=(1,) * (2 - nd) + tuple(shape(x)))


_atleast_1d.__name__, _atleast_2d.__name__ = "atleast_1d", "atleast_2d"
atleast_1d = export("atleast_1d")(each_of(_atleast_1d))
atleast_2d = export("atleast_2d")(each_of(_atleast_2d))


@export("concatenate", "concat")
def concatenate(arrays, axis=0):
    """``numpy.concatenate`` (also NumPy 2's ``concat``); ``axis=None`` joins the flattened
    arrays. Each input's cotangent is its slice of the output's.

    >>> import numpy as np, chainrule as cr, chainrule.numpy as cnp
    >>> cnp.concatenate([np.ones(2), np.zeros(1)])
    array([1., 1., 0.])
    >>> cr.grad(lambda a: cnp.sum(cnp.concatenate([a, 3.0 * a]) ** 2))(np.array([1.0]))
    array([20.])
    """
    arrays = list(arrays)
    if axis is None:
        arrays = [ravel(a) for a in arrays]
        axis = 0
    return B.concatenate(*arrays, axis=axis)


@export()
def stack(arrays, axis=0):
    arrays = [array(a) if isinstance(a, (list, tuple)) else a for a in arrays]
    if not arrays:
        raise ValueError("need at least one array to stack")
    nd = ndim(arrays[0]) + 1
    return concatenate([expand_dims(a, axis % nd) for a in arrays], axis=axis % nd)


@export()
def hstack(arrays):
    arrays = [atleast_1d(a) for a in arrays]
    if not arrays:
        raise ValueError("need at least one array to concatenate")
    return concatenate(arrays, axis=0 if ndim(arrays[0]) == 1 else 1)


@export()
def vstack(arrays):
    return concatenate([atleast_2d(a) for a in arrays], axis=0)


@export()
def split(x, indices_or_sections, axis=0):
    """numpy.split into equal sections or at the given indices.

    >>> split([1.0, 2.0, 3.0, 4.0], [1])
    [array([1.]), array([2., 3., 4.])]
    """
    if isinstance(x, (list, tuple)):  # array_like, as NumPy takes it (tracers too)
        x = asarray(x)
    n = shape(x)[axis]
    if isinstance(indices_or_sections, (int, np.integer)):
        if n % indices_or_sections:
            raise ValueError("array split does not result in an equal division")
        step = n // indices_or_sections
        bounds = list(range(0, n + 1, step))
    else:
        bounds = [0] + [int(i) for i in indices_or_sections] + [n]
    ax = axis % ndim(x)
    return [B.getitem(x, index=(slice(None),) * ax + (slice(a, b),))
            for a, b in zip(bounds[:-1], bounds[1:])]


@export()
def flip(x, axis=None):
    return S.flip(x, axis=axis)


@export()
def roll(x, shift, axis=None):
    """numpy.roll, differentiable in ``x``; ``shift`` is a count of positions (a constant).

    >>> roll([1.0, 2.0, 3.0], 1)
    array([3., 1., 2.])
    """
    if isinstance(shift, Tracer) and not shift._trace.concrete_ok:
        raise TypeError("roll: shift must be a constant (a whole number of positions: it has "
                        "no derivative); pass it as a plain number or cr.stop_gradient(shift)")
    return S.roll(x, shift=shift, axis=axis)


@export()
def tile(x, reps):
    return S.tile(x, reps=reps)


@export()
def repeat(x, repeats, axis=None):
    """numpy.repeat, differentiable in ``x``; a Python float count is truncated as NumPy
    truncates it (an array of floats is refused, as NumPy refuses it).

    >>> repeat([1.0, 2.0], [1, 2])
    array([1., 2., 2.])
    """
    if not isinstance(repeats, (np.ndarray, Tracer)):
        counts = np.asarray(repeats)
        if counts.dtype.kind == "f":   # NumPy's conversion of a Python number or list
            repeats = counts.astype(np.intp)
    return S.repeat(x, repeats=repeats, axis=axis)


@export()
def broadcast_to(x, shape):
    return B.broadcast_to(x, shape=tuple(shape) if not isinstance(shape, int) else (shape,))


@export()
def pad(x, pad_width, mode="constant", **kwargs):
    """numpy.pad. Differentiable in ``x`` for the modes that copy elements ('edge',
    'reflect', 'symmetric', 'wrap': each padded value is one of x's; reflect_type='odd'
    forms 2 * edge − value as NumPy does), the statistics ('maximum', 'minimum', 'mean',
    'median'), 'linear_ramp' (also in ``end_values``) and 'constant' (also in a traced
    ``constant_values``); NumPy's values bit for bit, NumPy's own function for arrays
    that are not traced.

    >>> pad(np.array([1.0, 2.0, 3.0]), (2, 1), mode="reflect")
    array([3., 2., 1., 2., 3., 2.])
    """
    if isinstance(pad_width, dict):  # NumPy 2.3's {axis: width or (before, after)}
        pad_width = _widths_of_axes(pad_width, ndim(x))
    if mode == "constant" or mode == "empty":  # (NumPy leaves 'empty' uninitialised: zeros)
        unknown = set(kwargs) - {"constant_values"} if mode == "constant" else set(kwargs)
        if unknown:
            raise TypeError(f"pad(mode={mode!r}) takes no {sorted(unknown)[0]!r} argument")
        value = kwargs.get("constant_values", 0)
        if _holds_tracer(value):
            return _pad_traced_constant(x, pad_width, value)
        return S.pad(x, pad_width=pad_width, mode="constant", constant_values=value)
    if not any(_holds_tracer(v) for v in (x, *kwargs.values())):
        return np.pad(x, pad_width, mode=mode, **kwargs)
    if callable(mode) or mode not in _PAD_MODES:
        raise ValueError(f"pad: mode {mode!r} is not differentiable in chainrule; the modes are "
                         f"'constant', 'empty' and {', '.join(map(repr, _PAD_MODES))}")
    _numpy_pad_checks(x, pad_width, mode, kwargs)
    x = asarray(x)
    widths = np.broadcast_to(np.asarray(concrete_value(pad_width, "pad width"), dtype=int),
                             (ndim(x), 2))
    if 0 in shape(x):  # nothing to copy (NumPy's checks passed): the padded empty array
        return S.pad(x, pad_width=pad_width, mode="constant", constant_values=0)
    for axis, (before, after) in enumerate(widths.tolist()):
        if before or after:
            x = _pad_axis(x, axis, before, after, mode, kwargs)
    return x


# numpy.pad's modes chainrule differentiates (beside 'constant'), with their keywords
_PAD_MODES = {"edge": (), "reflect": ("reflect_type",), "symmetric": ("reflect_type",),
              "wrap": (), "linear_ramp": ("end_values",), "maximum": ("stat_length",),
              "minimum": ("stat_length",), "mean": ("stat_length",), "median": ("stat_length",)}


def _widths_of_axes(widths, nd):
    """pad's widths per axis from NumPy's dict form (unnamed axes are not padded)."""
    seq = [(0, 0)] * nd
    for axis, width in widths.items():
        seq[axis] = (width, width) if isinstance(width, (int, np.integer)) else tuple(width)
    return seq


def _holds_tracer(value):
    if isinstance(value, (tuple, list)):
        return any(_holds_tracer(v) for v in value)
    return isinstance(value, Tracer)


def _untraced(value):
    """``value`` with its traced numbers replaced by 0, for NumPy's checks of shapes."""
    if isinstance(value, (tuple, list)):
        return type(value)(_untraced(v) for v in value)
    return 0 if isinstance(value, Tracer) else value


def _pad_traced_constant(x, pad_width, value):
    """pad(mode='constant') with a traced constant: the padded positions take it (a
    selection, so x's values and the constant are kept bit for bit)."""
    if not isinstance(value, Tracer) or ndim(value) != 0:
        raise TypeError("pad: a traced constant_values must be one number; pad with one "
                        "traced number per call, or concatenate traced pieces yourself")
    base = S.pad(x, pad_width=pad_width, mode="constant", constant_values=0)
    padded = np.pad(np.zeros(shape(x), dtype=bool), concrete_value(pad_width, "pad width"),
                    constant_values=True)
    return E.where(padded, astype(value, dtype_of(base)), base)


def _numpy_pad_checks(x, pad_width, mode, kwargs):
    """numpy.pad's own checks, with its errors (unsupported keywords, widths that are not
    integers or negative, keywords that do not broadcast to the axes, an empty axis
    extended, stat_length 0 for 'maximum'/'minimum'): NumPy pads zeros of x's shape."""
    plain = {k: _untraced(v) for k, v in kwargs.items()}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (the mean of a stat_length 0 warns below as NumPy)
        np.pad(np.zeros(shape(x), dtype=np.float32), concrete_value(pad_width, "pad width"),
               mode=mode, **plain)


def _reflect_odd(x, axis, before, after, include_edge):
    """reflect_type='odd' as numpy.pad's _set_reflect_both computes it: chunks of at most
    one period, each 2 * edge - reflection of the values already there, until the widths
    are filled (so the same arithmetic, bit for bit, also for widths beyond the axis)."""
    n = shape(x)[axis]
    widths = [(0, 0)] * ndim(x)
    widths[axis] = (before, after)
    padded = S.pad(x, pad_width=tuple(widths), mode="constant", constant_values=0)
    left, right = before, after

    def put(padded, start, stop, chunk):
        total = shape(padded)[axis]
        return concatenate([take(padded, np.arange(0, start), axis=axis), chunk,
                            take(padded, np.arange(stop, total), axis=axis)], axis=axis)

    while left > 0 or right > 0:
        total = shape(padded)[axis]
        period = total - right - left
        if include_edge:
            period, offset = period // n * n, 1
        else:
            period, offset = (period - 1) // (n - 1) * (n - 1), 0
        if left > 0:
            length = min(period, left)
            chunk = take(padded, np.arange(left - offset + length, left - offset, -1), axis=axis)
            chunk = 2 * take(padded, [left], axis=axis) - chunk
            padded = put(padded, left - length, left, chunk)
            left -= length
        if right > 0:
            length = min(period, right)
            start = total - right + offset - 2
            chunk = take(padded, np.arange(start, start - length, -1), axis=axis)
            chunk = 2 * take(padded, [total - right - 1], axis=axis) - chunk
            padded = put(padded, total - right, total - right + length, chunk)
            right -= length
    return padded


def _per_side(value, ndim_, axis, default):
    """(before, after) of a per-axis keyword (``stat_length``, ``end_values``) for ``axis``."""
    if value is None:
        return default, default
    if isinstance(value, Tracer):  # a traced array, read as numpy.pad's _as_pairs reads one
        form = shape(value)
        if len(form) == 0:
            return value, value
        if int(np.prod(form)) == 1:
            one = B.reshape(value, shape=())
            return one, one
        if int(np.prod(form)) == 2 and form != (2, 1):
            pair = B.reshape(value, shape=(2,))
            return pair[0], pair[1]
        if form == (ndim_, 2):
            return value[axis, 0], value[axis, 1]
        raise ValueError(f"pad: end_values of shape {form} do not broadcast to ({ndim_}, 2)")
    if _holds_tracer(value):  # (before, after), ((before, after),) or one pair per axis
        items = value[0] if len(value) == 1 else value
        if not isinstance(items, (tuple, list)):
            return items, items
        if len(items) == 2 and not any(isinstance(v, (tuple, list)) for v in items):
            return items[0], items[1]
        if len(items) == ndim_ and all(isinstance(v, (tuple, list)) and len(v) == 2
                                       for v in items):
            return items[axis][0], items[axis][1]
        raise TypeError("pad: traced end_values are one number, a (before, after) pair or "
                        "one such pair per axis")
    # as numpy.pad's _as_pairs: one or two values become NumPy scalars, a full
    # specification Python numbers (which decides the precision of linear_ramp's ramp)
    v = np.array(value)
    if v.ndim < 3 and (v.size == 1 or (v.size == 2 and v.shape != (2, 1))):
        v = v.ravel()
        return v[0], v[-1]
    pairs = np.broadcast_to(v, (ndim_, 2)).tolist()
    return pairs[axis][0], pairs[axis][1]


def _pad_axis(x, axis, before, after, mode, kwargs):
    """``x`` padded along one axis, as NumPy does it: axis by axis, each on the array
    already padded along the axes before it."""
    n = shape(x)[axis]
    if mode in ("edge", "reflect", "symmetric", "wrap"):
        if n == 0:
            raise ValueError(f"can't extend empty axis {axis} using modes other than "
                             f"'constant' or 'empty'")
        if kwargs.get("reflect_type", "even") == "odd" and n > 1:
            return _reflect_odd(x, axis, before, after, mode == "symmetric")
        # which element each output position copies: NumPy's own pad of the positions
        source = np.pad(np.arange(n), (before, after), mode=mode)
        return take(x, source, axis=axis)
    pieces = []
    if mode == "linear_ramp":
        ends = _per_side(kwargs.get("end_values", 0), ndim(x), axis, 0)
        for width, edge_at, end, first in ((before, 0, ends[0], True),
                                           (after, n - 1, ends[1], False)):
            if not width:
                continue
            edge = take(x, [edge_at], axis=axis)
            # NumPy: linspace(end, edge, width, endpoint=False) = k * ((edge - end) / width)
            # + end, flipped on the right, computed in the type of x and the end value (a
            # NumPy scalar or a Python number, see _per_side) and cast to x's
            wide = np.result_type(end if type(end) in (int, float, complex) else
                                  dtype_of(end), result_type(x))
            k = np.arange(width).astype(wide)
            if not first:
                k = k[::-1]
            form = [1] * ndim(x)
            form[axis] = width
            k = k.reshape(form)
            delta = astype(edge, wide) - end
            step = delta / width
            # NumPy's linspace takes k / width * delta where any step of the side is 0
            # (subnormals): decided per array, so per example under vmap, per call under jit
            tiny = S.reduce_any(E.equal(step, 0.0), axis=tuple(range(ndim(x))), keepdims=True)
            ramp = E.where(tiny, (k / width) * delta, k * step)
            pieces.append((astype(ramp + end, result_type(x)), first))
    else:
        reduce = {"maximum": "max", "minimum": "min", "mean": "mean", "median": "median"}[mode]
        reduce = lookup(NUMPY, reduce).obj
        lengths = _per_side(kwargs.get("stat_length"), ndim(x), axis, None)
        for width, length, first in ((before, lengths[0], True), (after, lengths[1], False)):
            if not width:
                continue
            # (a length 0 gives NumPy's nan, and its warning, for 'mean' and 'median';
            # 'maximum' and 'minimum' refused it in _numpy_pad_checks)
            length = n if length is None else min(int(length), n)
            window = take(x, np.arange(length) if first else np.arange(n - length, n), axis=axis)
            stat = reduce(window, axis=axis, keepdims=True)
            pieces.append((take(stat, np.zeros(width, dtype=int), axis=axis), first))
    left = [p for p, first in pieces if first]
    right = [p for p, first in pieces if not first]
    return concatenate(left + [x] + right, axis=axis)


@export()
def triu(x, k=0):
    return S.triu(x, k=k)


@export()
def tril(x, k=0):
    return S.tril(x, k=k)


@export()
def take_along_axis(x, indices, axis):
    """numpy.take_along_axis, differentiable in ``x`` (indices may be batched under vmap)."""
    if axis is None:
        x, axis = ravel(x), 0
    return S.take_along(x, indices, axis=axis % ndim(x))


def _take_indices(indices):
    """numpy.take's integer indices: an array must be of an integer (or bool) dtype; a Python
    number or list is converted as NumPy converts it, a float truncated toward zero."""
    is_array = isinstance(indices, (np.ndarray, Tracer))
    idx = np.asarray(concrete_value(indices, "subscript"))
    if idx.dtype.kind in "iu":
        return idx
    if idx.dtype.kind == "b" or (not is_array and idx.dtype.kind == "f"):
        if idx.dtype.kind == "f" and not np.isfinite(idx).all():
            raise ValueError("take: cannot convert a nan or infinite index to an integer")
        return idx.astype(np.intp)   # NumPy's conversion: True -> 1, 1.7 -> 1, -0.5 -> 0
    raise TypeError(f"take: indices of dtype {idx.dtype} cannot be cast to integers (NumPy's "
                    f"rule 'same_kind'); round them and cast with .astype(int)")


@export()
def take(x, indices, axis=None):
    """numpy.take, differentiable in ``x``; the indices are constants, converted as NumPy
    converts them (a Python float index is truncated, a float array refused).

    >>> take([1.0, 2.0, 3.0], [2, 0])
    array([3., 1.])
    >>> take([1.0, 2.0, 3.0], 1.7)      # NumPy's answer too
    np.float64(2.0)
    """
    index = _take_indices(indices)
    if axis is None:
        return B.getitem(ravel(x), index=index)
    ax = axis % ndim(x)
    return B.getitem(x, index=(slice(None),) * ax + (index,))


@export()
def sort(x, axis=-1, kind=None):
    """Sorted copy; the derivative follows each element to its sorted position."""
    if isinstance(x, (list, tuple)):  # array_like, as NumPy takes it (tracers too)
        x = asarray(x)
    if axis is None:
        x, axis = ravel(x), 0
    axis = axis_index(axis, ndim(x))   # NumPy's AxisError (a 0-d x: no axis to sort)
    order = S.argsort(x, axis=axis, kind=kind)
    return S.take_along(x, order, axis=axis)


# ---- products --------------------------------------------------------------------------
@export()
def matmul(a, b):
    return L.matmul(a, b)


@export()
def dot(a, b):
    """numpy.dot: matrix product for 1-D/2-D, sum over the last and second-to-last axes.

    >>> dot([0.5, 1.5], 2)             # NumPy's product, not the list repeated
    array([1., 3.])
    """
    if ndim(a) == 0 or ndim(b) == 0:
        return E.multiply(a, b)  # (a * b of a list and an int would repeat the list)
    if ndim(b) <= 2:
        return L.matmul(a, b)
    return tensordot(a, b, axes=([ndim(a) - 1], [ndim(b) - 2]))


@export()
def vdot(a, b):
    """Σ conj(a)·b over the flattened arrays (numpy.vdot conjugates its first argument).

    >>> vdot(np.array([1j, 2.0]), np.array([1j, 1.0]))
    np.complex128(3+0j)
    """
    return B.reduce_sum(E.conj(ravel(a)) * ravel(b))


@export()
def inner(a, b):
    """numpy.inner: the sum over the last axes of both.

    >>> inner([1.0, 2.0], 3)
    array([3., 6.])
    """
    if ndim(a) == 0 or ndim(b) == 0:
        return E.multiply(a, b)
    return handed_out(tensordot(a, b, axes=([ndim(a) - 1], [ndim(b) - 1])), None)


@export()
def outer(a, b):
    return B.reshape(ravel(a), shape=(-1, 1)) * B.reshape(ravel(b), shape=(1, -1))


@export()
def tensordot(a, b, axes=2):
    """numpy.tensordot, by transposing and reshaping to one matrix product (as NumPy does)."""
    if isinstance(axes, (int, np.integer)):
        axes_a = list(range(ndim(a) - axes, ndim(a)))
        axes_b = list(range(axes))
    else:
        axes_a, axes_b = axes
        axes_a = [axes_a] if isinstance(axes_a, (int, np.integer)) else list(axes_a)
        axes_b = [axes_b] if isinstance(axes_b, (int, np.integer)) else list(axes_b)
    axes_a = [i % ndim(a) for i in axes_a]
    axes_b = [i % ndim(b) for i in axes_b]
    free_a = [i for i in range(ndim(a)) if i not in axes_a]
    free_b = [i for i in range(ndim(b)) if i not in axes_b]
    sa, sb = shape(a), shape(b)
    k = math.prod(sa[i] for i in axes_a)
    at = B.reshape(B.transpose(a, axes=tuple(free_a + axes_a)),
                   shape=(math.prod(sa[i] for i in free_a), k))
    bt = B.reshape(B.transpose(b, axes=tuple(axes_b + free_b)),
                   shape=(k, math.prod(sb[i] for i in free_b)))
    out = L.matmul(at, bt)
    return B.reshape(out, shape=tuple(sa[i] for i in free_a) + tuple(sb[i] for i in free_b))


@export()
def diagonal(x, offset=0, axis1=0, axis2=1):
    return L.diagonal(x, offset=offset, axis1=axis1, axis2=axis2)


@export()
def trace(x, offset=0, axis1=0, axis2=1):
    return B.reduce_sum(L.diagonal(x, offset=offset, axis1=axis1, axis2=axis2), axis=-1)


@export()
def diag(v, k=0):
    """Diagonal of a matrix, or a matrix with ``v`` on its k-th diagonal.

    >>> diag([1.0, 2.0]).tolist()          # array_like, as NumPy's: a list makes the array
    [[1.0, 0.0], [0.0, 2.0]]
    """
    if isinstance(v, (list, tuple)):  # array_like, as NumPy takes it (tracers too)
        v = asarray(v)
    if ndim(v) == 1:
        n = shape(v)[0] + abs(k)
        return L.diag_embed(v, shape=(n, n), offset=k)
    if ndim(v) == 2:
        return L.diagonal(v, offset=k)
    raise ValueError("diag takes a 1-D or 2-D input")


@export()
def kron(a, b):
    """Kronecker product."""
    nd = max(ndim(a), ndim(b))
    a = B.reshape(a, shape=(1,) * (nd - ndim(a)) + tuple(shape(a)))
    b = B.reshape(b, shape=(1,) * (nd - ndim(b)) + tuple(shape(b)))
    sa, sb = shape(a), shape(b)
    a_int = B.reshape(a, shape=tuple(x for n in sa for x in (n, 1)))
    b_int = B.reshape(b, shape=tuple(x for n in sb for x in (1, n)))
    return B.reshape(a_int * b_int, shape=tuple(p * q for p, q in zip(sa, sb)))


# ---- creation ------------------------------------------------------------------------------
@export()
def array(obj, dtype=None, copy=True):
    """numpy.array; nested lists holding traced values are stacked differentiably."""
    if isinstance(obj, Tracer):
        return obj if dtype is None else astype(obj, dtype)
    if isinstance(obj, (list, tuple)) and _contains_tracer(obj):
        parts = [array(o, dtype=dtype) for o in obj]
        return stack(parts)
    if type(obj).__name__ == "poly1d" and hasattr(obj, "coeffs"):
        # chainrule's poly1d (or NumPy's): its coefficients, which may be traced, as NumPy's
        # __array__ reads them (by name: polynomials is built on this module)
        return array(obj.coeffs, dtype=dtype)
    if not is_numpy(obj) and hasattr(obj, "shape") and hasattr(obj, "dtype"):
        return namespace_of(obj).asarray(obj, dtype=dtype, copy=True)  # stays in its library
    return np.array(obj, dtype=dtype)  # (range, poly1d, array.array, str...: NumPy's array)


@export()
def asarray(obj, dtype=None):
    return array(obj, dtype=dtype)


def _contains_tracer(obj):
    stack_ = [obj]
    while stack_:
        o = stack_.pop()
        if isinstance(o, Tracer):
            return True
        if isinstance(o, (list, tuple)):
            stack_.extend(o)
    return False


def _like_in_library(name, x, dtype, *fill):
    # np.<name>_like of another library's array, made in that library: Dask's or CuPy's
    # through NumPy's dispatch (Dask's with x's chunks), the standard's for a library that
    # offers only the standard (NumPy's would convert x to a NumPy array)
    x = lower(x)
    if not array_api_only(x):
        return getattr(np, name + "_like")(x, *fill, dtype=dtype)
    xp = namespace_of(x)
    dt = None if dtype is None else standard_dtype(xp, dtype)
    return getattr(xp, name + "_like")(x, *fill, dtype=dt)


@export()
def zeros_like(x, dtype=None):
    if is_foreign(lower(x)):
        return _like_in_library("zeros", x, dtype)
    return np.zeros(shape(x), dtype=dtype or result_type(lower(x)))


@export()
def ones_like(x, dtype=None):
    if is_foreign(lower(x)):
        return _like_in_library("ones", x, dtype)
    return np.ones(shape(x), dtype=dtype or result_type(lower(x)))


@export()
def full_like(x, fill_value, dtype=None):
    if is_foreign(lower(x)) and not isinstance(fill_value, Tracer):
        # (a NumPy array of x's size would be allocated otherwise: all of a Dask array)
        return _like_in_library("full", x, dtype, fill_value)
    return full(shape(x), fill_value, dtype=dtype or result_type(lower(x)))


@export()
def full(shape_, fill_value, dtype=None):
    if isinstance(fill_value, Tracer):
        return B.broadcast_to(fill_value if dtype is None else astype(fill_value, dtype),
                              shape=tuple(np.atleast_1d(shape_)) if not isinstance(shape_, tuple) else shape_)
    return np.full(shape_, fill_value, dtype=dtype)


@export()
def astype(x, dtype):
    """Cast; a cast to a non-float type has zero derivative.

    >>> astype(np.arange(2), np.float32)
    array([0., 1.], dtype=float32)
    """
    return E.astype(x, dtype=np.dtype(dtype))




# ---- linear algebra built from primitives ----------------------------------------------------
@export(namespace=LINALG)
def slogdet(a):
    """(sign, log|det a|): the sign of a real matrix's determinant is piecewise constant
    (zero derivative); of a complex one it is the phase det/|det|, differentiable."""
    return linalg_result("slogdet", (L.det_sign(a), L.logabsdet(a)))


@export(namespace=LINALG)
def norm(x, ord=None, axis=None, keepdims=False):
    """Vector and matrix norms for every ``ord`` NumPy accepts: vectors None/2, 1, inf, −inf,
    0 and p; matrices None/'fro', 'nuc', 2, −2 (singular values), 1, −1, inf, −inf. A Python
    list of traced values is stacked first.

    >>> float(norm(np.array([[3.0, 0.0], [0.0, 1.0]]), 2)), float(norm(np.eye(2), 'nuc'))
    (3.0, 2.0)
    """
    return numpy_scalar(_norm(x, ord, axis, keepdims))  # a 0-d norm is NumPy's scalar


def _norm(x, ord, axis, keepdims):
    if isinstance(ord, Tracer):
        # ord picks the formula: a traced ord (cr.jit traces a float argument) cannot; NumPy's
        # error comparing it with 'fro' said nothing of this
        raise TypeError("norm: ord must be a constant, got a traced value (cr.jit traces a "
                        "float argument); pass ord in a closure, as an int, or mark it in "
                        "cr.jit(..., static_argnums=)")
    if isinstance(x, (list, tuple)):
        x = array(x)
    if dtype_of(x).kind not in "fc":
        # integers and booleans in float64, as NumPy's norm: x·x of int32 overflowed
        x = E.astype(x, dtype=np.float64)
    if isinstance(axis, list):
        axis = tuple(axis)
    if isinstance(axis, tuple) and len(axis) == 1:
        axis = axis[0]
    is_matrix = (axis is None and ndim(x) == 2 and ord is not None) or \
        (isinstance(axis, tuple) and len(axis) == 2)
    if ord is None or ord == "fro" or (ord == 2 and not is_matrix):
        if dtype_of(x).kind == "f":  # derivatives free of Σ x²'s overflow
            return L.norm2(x, axis=axis, keepdims=keepdims)
        return E.sqrt(B.reduce_sum(abs_squared(x), axis=axis, keepdims=keepdims))
    if is_matrix:
        ax = axis or (0, 1)
        nd = ndim(x)
        ax = (ax[0] % nd, ax[1] % nd)
        if ord in (1, -1):
            col = B.reduce_sum(E.absolute(x), axis=ax[0], keepdims=True)
            red = _max_or_zero if ord == 1 else S.reduce_min
            r = red(col, axis=ax[1], keepdims=True)
        elif ord in (np.inf, -np.inf):
            row = B.reduce_sum(E.absolute(x), axis=ax[1], keepdims=True)
            red = _max_or_zero if ord == np.inf else S.reduce_min
            r = red(row, axis=ax[0], keepdims=True)
        elif ord in (2, -2, "nuc"):
            # Singular values of the matrices spanned by the two axes, moved last.
            rest = [i for i in range(nd) if i not in ax]
            xm = B.transpose(x, axes=tuple(rest) + ax) if list(rest) + list(ax) != list(range(nd)) else x
            s = D.svdvals(xm)
            r = (_max_or_zero if ord == 2 else S.reduce_min if ord == -2 else B.reduce_sum)(
                s, axis=-1)
            if keepdims:
                r = B.reshape(r, shape=tuple(1 if i in ax else shape(x)[i] for i in range(nd)))
            return r
        else:
            raise ValueError(f"Invalid norm order {ord!r} for matrices")
        return r if keepdims else squeeze(r, axis=ax)
    if isinstance(ord, str):
        raise ValueError(f"Invalid norm order {ord!r} for vectors")
    if ord == np.inf:
        return _max_or_zero(E.absolute(x), axis=axis, keepdims=keepdims)
    if ord == -np.inf:
        return S.reduce_min(E.absolute(x), axis=axis, keepdims=keepdims)
    if ord == 1:
        return B.reduce_sum(E.absolute(x), axis=axis, keepdims=keepdims)
    if ord == 0:
        # the count in x's real floating dtype, as NumPy's (float32 data: a float32 count)
        dt = result_type(lower(x))
        dt = np.dtype(dt.char.lower()) if dt.kind == "c" else dt if dt.kind == "f" else \
            np.dtype(np.float64)
        return B.reduce_sum(E.astype(E.not_equal(x, 0), dtype=dt), axis=axis, keepdims=keepdims)
    return E.power(B.reduce_sum(E.power(E.absolute(x), ord), axis=axis, keepdims=keepdims), 1.0 / ord)


def _max_or_zero(v, axis=None, keepdims=False):
    """max of v ≥ 0 over axis, 0 over an empty axis: NumPy's norm reduces with initial=0
    (norm(np.zeros(0), np.inf) is 0.0, not a 'zero-size array' error)."""
    axes = range(ndim(v)) if axis is None else (axis,) if isinstance(axis, int) else axis
    if any(shape(v)[a] == 0 for a in axes):
        return B.reduce_sum(v, axis=axis, keepdims=keepdims)  # the empty sum: 0, v's dtype
    return S.reduce_max(v, axis=axis, keepdims=keepdims)


@export(namespace=LINALG)
def matrix_power(a, n):
    """a @ a @ ... (n times); negative n inverts first. Uses repeated squaring."""
    if n < 0:
        a, n = L.inv(a), -n
    if n == 0:
        eye = np.eye(shape(a)[-1], dtype=result_type(lower(a)))
        return np.broadcast_to(eye, shape(a)).copy()
    result = None
    base = a
    while n:
        if n & 1:
            result = base if result is None else L.matmul(result, base)
        n >>= 1
        if n:
            base = L.matmul(base, base)
    return result


def solve(a, b):
    return L.solve(a, b)


@export(namespace=LINALG)
def cond(x, p=None):
    """Condition number (numpy.linalg.cond) for p in None, 2, −2 (singular values), 'fro',
    'nuc', 1, −1, inf, −inf (norm(x, p) · norm(inv(x), p)).

    >>> float(cond(np.diag([4.0, 2.0])))
    2.0
    """
    if p is None or p in (2, -2):
        s = D.svdvals(x)
        hi, lo = S.reduce_max(s, axis=-1), S.reduce_min(s, axis=-1)
        return lo / hi if p == -2 else hi / lo
    return norm(x, p, axis=(-2, -1)) * norm(L.inv(x), p, axis=(-2, -1))
