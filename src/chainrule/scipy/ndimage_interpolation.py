"""``scipy.ndimage``'s interpolation: map_coordinates, shift, zoom, affine_transform, rotate,
spline_filter(1d), differentiable in the input (they are linear in it) and, through the
coordinates, in the coordinates, the shift, the affine matrix and offset, the angle.

A call with nothing traced returns SciPy's own result. A traced call evaluates the same
spline interpolant with chainrule operations, as SciPy's C loop does: each coordinate is
mapped into the input by the boundary mode (a reflection or a period, ±c + an integer, so
its derivative is ±1), the taps start at floor(c) (order 0: floor(c + 0.5)), their indices
are mapped by the mode ('grid-constant' reads ``cval`` outside), and the output is the sum
over the taps of the (prefiltered) input times the product of the B-spline weights, which
are polynomials of the fractional part: their derivatives, to any order, are the spline's.
Orders 0 and 1 read the input directly; for order > 1 with ``prefilter=True`` the input is
first replaced by its spline coefficients (:func:`spline_filter`, linear: SciPy's own
recursive filter applied to the unit vectors gives its matrix, once per axis length, and
the coefficients are that matrix times the input, so the transpose is exact too).

Derivative in a coordinate: the interpolant is piecewise polynomial; at a knot (an integer
coordinate for odd orders, a half-integer for even ones) the one-sided derivative from the
right is taken. Order 0 has derivative zero in the coordinates.

>>> import numpy as np, chainrule as cr
>>> shift(np.array([0.0, 1.0, 4.0, 9.0]), 0.5, order=1, mode="nearest")
array([0. , 0.5, 2.5, 6.5])
>>> float(cr.grad(lambda s: shift(np.array([0.0, 1.0, 4.0, 9.0]), s, order=1)[2])(0.5))
-3.0
"""

import warnings

import numpy as np

from ..core.registry import NDIMAGE
from ..primitives.declare import export
from .. import numpy as cnp
from ..core.primitive import full_lower, concrete_value
from .ndimage_support import traced, scipy_ndimage, MODES, scipy_when_plain
from . import special as csp

__all__ = []


def _check(name, order, mode):
    if not isinstance(order, (int, np.integer)) or not 0 <= order <= 5:
        raise RuntimeError("spline order not supported")
    if mode not in MODES:
        raise RuntimeError(f"scipy.ndimage.{name}: boundary mode not supported: {mode!r} "
                           f"(use one of {', '.join(MODES)})")


def _trunc(v):
    return cnp.trunc(v)


def map_coordinate(c, n, mode):
    """SciPy's map_coordinate: a coordinate outside [0, n − 1] moved inside by the mode
    (reflected, or shifted by a period); 'constant' gives −1 (read as cval), 'grid-constant'
    and 'nearest' leave it (their taps read cval, or the edge sample)."""
    if mode in ("constant", "grid-constant"):
        return c if mode == "grid-constant" else cnp.where((c < 0) | (c > n - 1), -1.0, c)
    if mode == "nearest":   # not moved: its taps are clipped to the edges
        return c
    if n <= 1:
        return c * 0.0
    low, high = c < 0, c > n - 1
    if mode == "mirror":
        sz2 = 2 * n - 2
        lo = sz2 * _trunc(-c / sz2) + c
        lo = cnp.where(lo <= 1 - n, lo + sz2, -lo)
        hi = c - sz2 * _trunc(c / sz2)
        hi = cnp.where(hi >= n, sz2 - hi, hi)
    elif mode in ("reflect", "grid-mirror"):
        sz2 = 2 * n
        lo = cnp.where(c < -sz2, sz2 * _trunc(-c / sz2) + c, c)
        lo = cnp.where(lo < -n, lo + sz2, -lo - 1)
        hi = c - sz2 * _trunc(c / sz2)
        hi = cnp.where(hi >= n, sz2 - hi - 1, hi)
    elif mode == "wrap":
        sz = n - 1
        lo = c + sz * (_trunc(-c / sz) + 1)
        hi = c - sz * _trunc(c / sz)
    else:   # grid-wrap
        lo = c + n * (_trunc((-1 - c) / n) + 1)
        hi = c - n * _trunc(c / n)
    return cnp.where(low, lo, cnp.where(high, hi, c))


def _tap_index(idx, n, mode, order):
    """A tap's (integer) index mapped into [0, n) by the mode, and whether it reads cval.
    ('constant' and 'wrap' read the taps past an edge mirrored, as SciPy's spline filter
    for them assumes; for order 1 those taps have weight 0.)"""
    if mode == "grid-constant":
        return cnp.clip(idx, 0, n - 1), (idx >= 0) & (idx < n)
    if mode == "nearest":
        return cnp.clip(idx, 0, n - 1), None
    if mode in ("constant", "wrap"):
        mode = "mirror"
    mapped = map_coordinate(idx.astype(np.float64), n, mode)
    return cnp.clip(cnp.floor(mapped + 0.5).astype(np.int64), 0, n - 1), None


def _bspline(y, order):
    """SciPy's B-spline weight of a tap at distance y ≥ 0 (polynomials on each piece)."""
    if order == 1:
        return cnp.where(y > 1.0, 0.0, 1.0 - y)
    if order == 2:
        b = 1.5 - y
        return cnp.where(y < 0.5, 0.75 - y * y, cnp.where(y < 1.5, 0.5 * b * b, 0.0))
    if order == 3:
        b = 2.0 - y
        return cnp.where(y < 1.0, (y * y * (y - 2.0) * 3.0 + 4.0) / 6.0,
                         cnp.where(y < 2.0, b * b * b / 6.0, 0.0))
    if order == 4:
        s = y * y
        mid = y * (y * (y * (5.0 / 6.0 - y / 6.0) - 1.25) + 5.0 / 24.0) + 55.0 / 96.0
        b = (y - 2.5) * (y - 2.5)
        return cnp.where(y < 0.5, s * (s * 0.25 - 0.625) + 115.0 / 192.0,
                         cnp.where(y < 1.5, mid, cnp.where(y < 2.5, b * b / 24.0, 0.0)))
    f = y * y
    inner = f * (f * (0.25 - y / 12.0) - 0.5) + 0.55
    mid = y * (y * (y * (y * (y / 24.0 - 0.375) + 1.25) - 1.75) + 0.625) + 0.425
    b = 3.0 - y
    return cnp.where(y < 1.0, inner, cnp.where(y < 2.0, mid,
                                                cnp.where(y < 3.0, b * (b * b) * (b * b)
                                                          / 120.0, 0.0)))


def _axis_taps(c, n, order, mode, npad):
    """One axis: the taps' indices, weights (None for order 0), cval masks, and where the
    whole point reads cval."""
    # a prepadded input ('nearest', 'grid-constant' with order > 1): SciPy maps the
    # coordinate shifted into the padded array, by the padded length
    cm = c + npad if npad else map_coordinate(c, n, mode)
    outside = None
    if mode == "constant":
        outside = cm <= -1.0
    elif mode == "grid-constant" and not npad:
        outside = cm <= -1.0
    # SciPy reads cval at a nan or infinite coordinate (in 'wrap' modes: at nan and -inf)
    if mode in ("constant", "mirror", "reflect", "grid-mirror"):
        bad = cnp.logical_not(cnp.isfinite(c))
    elif mode in ("wrap", "grid-wrap"):
        bad = cnp.isnan(c) | (c == -np.inf)
    else:
        bad = None
    if bad is not None:
        outside = bad if outside is None else outside | bad
    if order & 1:
        start = cnp.floor(cm).astype(np.int64) - order // 2
    else:
        start = cnp.floor(cm + 0.5).astype(np.int64) - order // 2
    taps = []
    for k in range(order + 1):
        idx, valid = _tap_index(start + k, n, mode, order)
        weight = None if order == 0 else _bspline(cnp.abs(start.astype(np.float64) - cm + k),
                                                  order)
        taps.append((idx, weight, valid))
    return taps, outside


def interpolate(coeffs, coords, order, mode, cval, npad=0):
    """The spline of ``order`` with coefficients ``coeffs`` (the input itself for order ≤ 1)
    at ``coords`` (one array per input axis), SciPy's sum order: taps with the last axis
    fastest, each term the coefficient times the weights of axis 0, 1, …"""
    shape = coeffs.shape
    per_axis, outside = [], None
    for ax, c in enumerate(coords):
        taps, out_ax = _axis_taps(c, shape[ax], order, mode, npad)
        per_axis.append(taps)
        if out_ax is not None:
            outside = out_ax if outside is None else outside | out_ax
    flat = coeffs.reshape(-1)
    out_shape = np.broadcast_shapes(*[cnp.shape(c) for c in coords])
    strides = [int(np.prod(shape[ax + 1:], dtype=np.int64)) for ax in range(len(shape))]
    total = None
    for combo in np.ndindex(*([order + 1] * len(shape))):
        index, valid, term = 0, None, None
        for ax, k in enumerate(combo):
            idx, _, v = per_axis[ax][k]
            index = index + idx * strides[ax]
            if v is not None:
                valid = v if valid is None else valid & v
        # a gather that vmap can batch (batched integer indices are refused by x[index])
        index = cnp.broadcast_to(index, out_shape).reshape(-1)
        term = cnp.take_along_axis(flat, index, axis=0).reshape(out_shape)
        if valid is not None:
            term = cnp.where(valid, term, cval)
        for ax, k in enumerate(combo):
            weight = per_axis[ax][k][1]
            if weight is not None:
                term = term * weight
        total = term if total is None else total + term
    if outside is not None:
        total = cnp.where(outside, cval, total)
    return total


# ---- the spline prefilter: SciPy's own linear map, as a matrix per axis --------------------
_MATRICES = {}


def _filter_matrix(n, order, mode):
    """SciPy's spline_filter1d of length ``n`` as a matrix (its columns: the filter of the
    unit vectors), computed once per (n, order, mode)."""
    key = (n, order, mode)
    if key not in _MATRICES:
        m = scipy_ndimage().spline_filter1d(np.eye(n), order, axis=0, mode=mode)
        m.flags.writeable = False
        _MATRICES[key] = m
    return _MATRICES[key]


def _filter1d(x, order, axis, mode):
    if order in (0, 1) or x.shape[axis] == 0:
        return x.astype(np.complex128 if x.dtype.kind == "c" else np.float64)
    moved = cnp.moveaxis(x, axis, -1)
    out = cnp.matmul(moved, _filter_matrix(x.shape[axis], order, mode).T)
    return cnp.moveaxis(out, -1, axis)


def _out_dtype(output, x, default):
    if output is not None:
        out = np.dtype(output)
        if x.dtype.kind == "c" and out.kind != "c":   # SciPy promotes, and says so
            warnings.warn("promoting specified output dtype to complex", UserWarning,
                          stacklevel=4)
            out = np.promote_types(out, np.complex64)
        return out
    return default


@export("spline_filter1d", namespace=NDIMAGE)
@scipy_when_plain("spline_filter1d")
def spline_filter1d(input, order=3, axis=-1, output=np.float64, mode="mirror"):
    """``scipy.ndimage.spline_filter1d``: the B-spline coefficients of ``order`` along one axis
    (the interpolating spline's, with the boundary ``mode``); linear in the input, its
    matrix SciPy's own recursive filter of the unit vectors.

    >>> import numpy as np, chainrule as cr
    >>> spline_filter1d(np.array([0.0, 1.0, 0.0]), 3).round(6)
    array([-1.,  2., -1.])
    >>> cr.grad(lambda x: spline_filter1d(x, 3)[1])(np.zeros(3)).round(6)
    array([-0.5,  2. , -0.5])
    """
    _check("spline_filter1d", order, mode)
    x = cnp.asarray(input)
    axis = int(axis) % x.ndim if x.ndim else 0
    out = _filter1d(x, order, axis, mode) if x.ndim else x.astype(np.float64)
    return out.astype(_out_dtype(output, x, out.dtype))


@export("spline_filter", namespace=NDIMAGE)
@scipy_when_plain("spline_filter")
def spline_filter(input, order=3, output=np.float64, mode="mirror"):
    """``scipy.ndimage.spline_filter``: :func:`spline_filter1d` along every axis in turn.

    >>> import numpy as np
    >>> spline_filter(np.eye(3), 2).round(4)
    array([[ 2.2639, -1.125 ,  0.4861],
           [-1.125 ,  2.375 , -1.125 ],
           [ 0.4861, -1.125 ,  2.2639]])
    """
    if not 2 <= order <= 5:
        raise RuntimeError("spline order not supported")
    _check("spline_filter", order, mode)
    x = cnp.asarray(input)
    out = x.astype(np.complex128 if x.dtype.kind == "c" else np.float64)
    for axis in range(x.ndim):
        out = _filter1d(out, order, axis, mode)
    return out.astype(_out_dtype(output, x, out.dtype))


# ---- the transforms ------------------------------------------------------------------------
def _coefficients(x, order, mode, cval, prefilter):
    """What the spline reads: the input (order ≤ 1, or prefilter=False), else its spline
    coefficients, of the input padded by 12 samples for 'nearest' and 'grid-constant' as
    SciPy pads it."""
    wide = np.complex128 if x.dtype.kind == "c" else np.float64
    if not (prefilter and order > 1):
        return x if x.dtype == wide or x.dtype == np.float32 else x.astype(wide), 0
    npad = 0
    if mode == "nearest":
        x, npad = cnp.pad(x, 12, mode="edge"), 12
    elif mode == "grid-constant":
        x, npad = cnp.pad(x, 12, mode="constant", constant_values=cval), 12
    out = x.astype(wide)
    for axis in range(x.ndim):
        out = _filter1d(out, order, axis, mode)
    return out, npad


def _finish(out, x, output):
    """The result in the input's dtype (or ``output``'s): integers rounded half away from
    zero, as SciPy's C loop stores them."""
    dt = _out_dtype(output, x, x.dtype)
    if dt.kind in "iu":
        out = cnp.where(out > 0, out + 0.5, out - 0.5)
    return out if out.dtype == dt else out.astype(dt)


def _transform(name, input, coords, order, mode, cval, prefilter, output):
    _check(name, order, mode)
    x = cnp.asarray(input)
    if x.ndim < 1:
        raise RuntimeError("input and output rank must be > 0")
    if traced(cval):
        raise TypeError(f"scipy.ndimage.{name}: chainrule does not differentiate in cval; "
                        f"pass a constant")
    if x.size == 0:   # nothing to read: cval everywhere (SciPy's 'constant' answer)
        out_shape = np.broadcast_shapes(*[cnp.shape(c) for c in coords])
        if mode not in ("constant", "grid-constant") and int(np.prod(out_shape)):
            raise ValueError(f"scipy.ndimage.{name}: the input is empty, so only "
                             f"mode='constant' has values to give (cval)")
        return _finish(cnp.full(out_shape, cval, dtype=np.float64), x, output)
    coeffs, npad = _coefficients(x, order, mode, cval, prefilter)
    out = interpolate(coeffs, coords, order, mode, cval, npad)
    return _finish(out, x, output)


@export("map_coordinates", namespace=NDIMAGE)
@scipy_when_plain("map_coordinates", real=("coordinates",))
def map_coordinates(input, coordinates, output=None, order=3, mode="constant", cval=0.0,
                    prefilter=True):
    """``scipy.ndimage.map_coordinates``: the spline interpolant of ``input`` at
    ``coordinates`` (shape (input.ndim, ...)); differentiable in the input and in the
    coordinates, every order and mode.

    >>> import numpy as np, chainrule as cr
    >>> x = np.array([0.0, 1.0, 4.0, 9.0])
    >>> map_coordinates(x, [[0.5, 2.5]], order=1)
    array([0.5, 6.5])
    >>> cr.grad(lambda c: map_coordinates(x, c[None], order=1)[0])(np.array([2.5]))
    array([5.])
    """
    x = cnp.asarray(input)
    c = cnp.asarray(coordinates)
    if c.dtype.kind == "c":
        raise TypeError("Complex type not supported")
    if c.ndim < 2 or c.shape[0] != x.ndim:
        raise RuntimeError("invalid shape for coordinate array")
    return _transform("map_coordinates", x, [c[i] for i in range(x.ndim)], order, mode, cval,
                      prefilter, output)


def _grid(n, ax, ndim):
    shape = [1] * ndim
    shape[ax] = n
    return np.arange(n, dtype=np.float64).reshape(shape)


@export("shift", namespace=NDIMAGE)
@scipy_when_plain("shift", real=("shift",))
def shift(input, shift, output=None, order=3, mode="constant", cval=0.0, prefilter=True):
    """``scipy.ndimage.shift``: out[i] = input(i − shift), by spline interpolation;
    differentiable in the input and in ``shift`` (one per axis or one for all).

    >>> import numpy as np, chainrule as cr
    >>> shift(np.array([0.0, 1.0, 2.0]), 1, order=1)
    array([0., 0., 1.])
    """
    x = cnp.asarray(input)
    s = cnp.asarray(shift, dtype=np.float64)
    if s.ndim == 0:
        s = cnp.broadcast_to(s, (x.ndim,))
    if s.shape != (x.ndim,):
        raise RuntimeError("sequence argument must have length equal to input rank")
    coords = [_grid(n, ax, x.ndim) - s[ax] for ax, n in enumerate(x.shape)]
    return _transform("shift", x, coords, order, mode, cval, prefilter, output)


@export("zoom", namespace=NDIMAGE)
@scipy_when_plain("zoom")
def zoom(input, zoom, output=None, order=3, mode="constant", cval=0.0, prefilter=True, *,
         grid_mode=False):
    """``scipy.ndimage.zoom``: resampling to round(shape·zoom) samples; differentiable in the
    input (the zoom factors, which set the shape, are constants).

    >>> import numpy as np
    >>> zoom(np.array([0.0, 1.0]), 2, order=1)
    array([0.        , 0.33333333, 0.66666667, 1.        ])
    """
    x = cnp.asarray(input)
    if traced(zoom):
        raise TypeError("scipy.ndimage.zoom: the zoom factors set the output's shape and are "
                        "not differentiated; pass constants")
    if x.ndim < 1:
        raise RuntimeError("input and output rank must be > 0")
    factors = [float(z) for z in (np.broadcast_to(zoom, (x.ndim,)) if np.ndim(zoom) == 0
                                  else zoom)]
    if len(factors) != x.ndim:
        raise RuntimeError("sequence argument must have length equal to input rank")
    out_shape = tuple(int(round(n * z)) for n, z in zip(x.shape, factors))
    if all(z == 1 for z in factors) and prefilter:
        return _finish(cnp.array(x, copy=True), x, output)
    div = np.array(out_shape) - (0 if grid_mode else 1)
    nom = np.array(x.shape) - (0 if grid_mode else 1)
    ratio = np.divide(nom, div, out=np.ones(x.ndim), where=div != 0)
    coords = []
    for ax, n in enumerate(out_shape):
        k = _grid(n, ax, x.ndim)
        coords.append((k + 0.5) * ratio[ax] - 0.5 if grid_mode else k * ratio[ax])
    return _transform("zoom", x, coords, order, mode, cval, prefilter, output)


def _affine_coords(matrix, offset, out_shape, ndim):
    """Input coordinates of every output index o: matrix·o + offset (a 1-d matrix is a
    diagonal: (o + offset/m)·m, as SciPy's zoom_shift computes it)."""
    m = cnp.asarray(matrix, dtype=np.float64)
    if m.ndim not in (1, 2) or m.shape[0] < 1:
        raise RuntimeError("no proper affine matrix provided")
    if m.ndim == 2 and m.shape[1] == ndim + 1 and m.shape[0] in (ndim, ndim + 1):
        if m.shape[0] == ndim + 1:
            bottom = np.asarray(full_lower(m[ndim]))
            if not np.all(bottom == [0] * ndim + [1]):
                raise ValueError(f"Expected homogeneous transformation matrix with shape "
                                 f"{m.shape} for image shape {out_shape}, but bottom row was "
                                 f"not equal to {[0] * ndim + [1]}")
        offset = m[:ndim, ndim]
        m = m[:ndim, :ndim]
    if m.shape[0] != ndim:
        raise RuntimeError("affine matrix has wrong number of rows")
    if m.ndim == 2 and m.shape[1] != len(out_shape):
        raise RuntimeError("affine matrix has wrong number of columns")
    off = cnp.asarray(offset, dtype=np.float64)
    if off.ndim == 0:
        off = cnp.broadcast_to(off, (ndim,))
    if off.shape != (ndim,):
        raise RuntimeError("no proper offset provided")
    grids = [_grid(n, ax, len(out_shape)) for ax, n in enumerate(out_shape)]
    if m.ndim == 1:
        return [(grids[h] + off[h] / m[h]) * m[h] for h in range(ndim)]
    coords = []
    for h in range(ndim):
        c = None
        for ll, g in enumerate(grids):
            term = g * m[h, ll]
            c = term if c is None else c + term
        coords.append(cnp.broadcast_to(c + off[h], out_shape))
    return coords


@export("affine_transform", namespace=NDIMAGE)
@scipy_when_plain("affine_transform", real=("matrix", "offset"))
def affine_transform(input, matrix, offset=0.0, output_shape=None, output=None, order=3,
                     mode="constant", cval=0.0, prefilter=True):
    """``scipy.ndimage.affine_transform``: out[o] = input(matrix·o + offset) (``matrix`` a
    diagonal, a square matrix, or homogeneous); differentiable in the input, the matrix and
    the offset.

    >>> import numpy as np
    >>> affine_transform(np.array([0.0, 1.0, 2.0, 3.0]), [0.5], order=1)
    array([0. , 0.5, 1. , 1.5])
    """
    if not isinstance(order, (int, np.integer)) or not 0 <= order <= 5:
        raise RuntimeError("spline order not supported")
    x = cnp.asarray(input)
    out_shape = tuple(x.shape if output_shape is None else output_shape)
    if x.ndim < 1 or len(out_shape) < 1:
        raise RuntimeError("input and output rank must be > 0")
    coords = _affine_coords(matrix, offset, out_shape, x.ndim)
    return _transform("affine_transform", x, coords, order, mode, cval, prefilter, output)


@export("rotate", namespace=NDIMAGE)
@scipy_when_plain("rotate", real=("angle",))
def rotate(input, angle, axes=(1, 0), reshape=True, output=None, order=3, mode="constant",
           cval=0.0, prefilter=True):
    """``scipy.ndimage.rotate``: rotation by ``angle`` degrees in the plane of ``axes``
    (about the centre; ``reshape`` fits the output to the rotated input, its shape from the
    angle's value); differentiable in the input and the angle.

    >>> import numpy as np
    >>> rotate(np.array([[0.0, 1.0], [0.0, 0.0]]), 90, order=1)
    array([[1., 0.],
           [0., 0.]])
    """
    x = cnp.asarray(input)
    ndim = x.ndim
    if ndim < 2:
        raise ValueError("input array should be at least 2D")
    axes = list(axes)
    if len(axes) != 2:
        raise ValueError("axes should contain exactly two values")
    axes = [int(a) + ndim if int(a) < 0 else int(a) for a in axes]
    if min(axes) < 0 or max(axes) >= ndim:
        raise ValueError("invalid rotation plane specified")
    axes.sort()
    # SciPy's cosdg/sindg: exact at multiples of 90° (cos(π/2) = 6e-17 moved every sample
    # across a cell edge: rotate(x, 90) was wrong)
    deg = cnp.asarray(angle, dtype=np.float64)
    c, s = csp.cosdg(deg), csp.sindg(deg)
    in_plane = np.array([x.shape[a] for a in axes])
    if reshape:
        # (the output's shape depends on the angle: jit guards its value, vmap refuses it)
        a0 = float(concrete_value(angle, "value"))
        c0, s0 = float(csp.cosdg(a0)), float(csp.sindg(a0))
        rot0 = np.array([[c0, s0], [-s0, c0]])
        iy, ix = in_plane
        bounds = rot0 @ [[0, 0, iy, iy], [0, ix, 0, ix]]
        out_plane = (np.ptp(bounds, axis=1) + 0.5).astype(int)
    else:
        out_plane = in_plane
    half = (out_plane - 1) / 2
    out_center = [c * half[0] + s * half[1], -s * half[0] + c * half[1]]
    in_center = (in_plane - 1) / 2
    out_shape = list(x.shape)
    out_shape[axes[0]], out_shape[axes[1]] = int(out_plane[0]), int(out_plane[1])
    rows = [[(1.0 if i == j else 0.0) for j in range(ndim)] for i in range(ndim)]
    offset = [0.0] * ndim
    rows[axes[0]][axes[0]], rows[axes[0]][axes[1]] = c, s
    rows[axes[1]][axes[0]], rows[axes[1]][axes[1]] = -s, c
    offset[axes[0]] = in_center[0] - out_center[0]
    offset[axes[1]] = in_center[1] - out_center[1]
    matrix = cnp.stack([cnp.stack([cnp.asarray(v, dtype=np.float64) for v in r]) for r in rows])
    offset = cnp.stack([cnp.asarray(v, dtype=np.float64) for v in offset])
    coords = _affine_coords(matrix, offset, tuple(out_shape), ndim)
    return _transform("rotate", x, coords, order, mode, cval, prefilter, output)
