"""More of NumPy, continued: convolutions, polynomials, interpolation, statistics (cov,
corrcoef, average), traced ``linspace``/``logspace``/``geomspace``, array manipulation
(insert, delete, put_along_axis, splits, stacks, rotations), and NumPy's integer-valued
helpers (``unique``, ``searchsorted``, ``bincount``, ``histogram``…), which pass through
with a zero derivative.

>>> import chainrule as cr
>>> cr.grad(lambda v: convolve(np.array([1.0, 2.0]), v)[1])(np.array([3.0, 4.0]))
array([2., 1.])
"""

import warnings

import numpy as np

from ..core.primitive import Primitive, Tracer, concrete_value
from ..core import registry
from ..core.registry import NUMPY
from .declare import declare, export, LOOP
from .util import shape, ndim, lower, result_type, axis_index
from .arrays import is_lazy
from . import basic as B
from . import elementwise as E
from . import structural as S
from . import linalg as L
from . import composites as C
from . import more_numpy as M


def _traced(*xs):
    return any(isinstance(x, Tracer) for x in xs)


# ---- convolution and correlation (1-D, modes full / same / valid) ---------------------------
def _conv_full(a, v):
    if is_lazy(lower(a)) or is_lazy(lower(v)):
        return _conv_full_by_slices(a, v)
    n, m = shape(a)[0], shape(v)[0]
    zeros = np.zeros(m - 1, dtype=result_type(lower(a), lower(v)))
    a_pad = C.concatenate([zeros, a, zeros])
    idx = np.arange(n + m - 1)[:, None] + np.arange(m)[None, :]
    windows = B.getitem(a_pad, index=(idx,))
    return L.matmul(windows, S.flip(v, axis=0))


# Beyond this many terms (the shorter sequence's length) a Dask convolution is refused:
# each term is a slice of the longer one.
_MAX_LAZY_TERMS = 1024


def _conv_full_by_slices(a, v):
    """The full convolution of Dask sequences as a sum of shifted slices of the longer one,
    one per element of the shorter (Dask has no gather by a 2-D index, which the windows
    of the NumPy path take)."""
    if shape(v)[0] > shape(a)[0]:
        a, v = v, a  # (a convolution is symmetric)
    n, m = shape(a)[0], shape(v)[0]
    if m > _MAX_LAZY_TERMS:
        raise NotImplementedError(
            f"convolve/correlate of two Dask sequences longer than {_MAX_LAZY_TERMS} "
            f"elements each ({n} and {m}) is not supported lazily; make one of them a "
            f"NumPy array or a short Dask one")
    zeros = np.zeros(m - 1, dtype=result_type(lower(a), lower(v)))
    a_pad = C.concatenate([zeros, a, zeros])
    v_flipped = S.flip(v, axis=0)
    total = n + m - 1
    out = None
    for j in range(m):
        term = B.getitem(v_flipped, index=(j,)) * B.getitem(a_pad, index=(slice(j, j + total),))
        out = term if out is None else out + term
    return out


@export()
def convolve(a, v, mode="full"):
    """Discrete linear convolution of two 1-D sequences (numpy.convolve), differentiable in
    both.

    >>> convolve(np.array([1.0, 2.0, 3.0]), np.array([0.0, 1.0, 0.5]), "same")
    array([1. , 2.5, 4. ])
    """
    if ndim(a) != 1 or ndim(v) != 1:
        a, v = C.ravel(a), C.ravel(v)
    n, m = shape(a)[0], shape(v)[0]
    if n == 0 or m == 0:
        raise ValueError("v cannot be empty" if m == 0 else "a cannot be empty")
    full = _conv_full(a, v)
    if mode == "full":
        return full
    lo, hi = min(n, m), max(n, m)
    if mode == "same":
        start = (lo - 1) // 2
        return B.getitem(full, index=(slice(start, start + hi),))
    if mode == "valid":
        return B.getitem(full, index=(slice(lo - 1, hi),))
    raise ValueError(f"convolve: mode must be 'full', 'same' or 'valid', not {mode!r}")


@export()
def correlate(a, v, mode="valid"):
    """Cross-correlation of two 1-D sequences (numpy.correlate): Σₙ a[n+k]·conj(v[n]).

    >>> correlate(np.array([1.0, 2.0, 3.0]), np.array([0.0, 1.0]))
    array([2., 3.])
    """
    if ndim(a) == 0 or ndim(v) == 0:   # NumPy's error (an IndexError here otherwise)
        raise ValueError("correlate: object of too small depth for desired array (a and v "
                         "must be 1-D)")
    if shape(v)[0] > shape(a)[0]:  # NumPy swaps the two, then conjugates and reverses
        return E.conj(S.flip(convolve(v, E.conj(S.flip(a, axis=0)), mode), axis=0))
    return convolve(a, E.conj(S.flip(v, axis=0)), mode)


@export()
def polyval(p, x):
    """p[0] x^(n−1) + … + p[n−1] by Horner's rule; differentiable in p and x.

    >>> float(polyval(np.array([1.0, 0.0, -1.0]), 3.0))
    8.0
    """
    if getattr(type(p), "coeffs", None) is not None:  # a poly1d (NumPy's or ours): indexing
        p = p.coeffs                                    # it counts powers, not positions
    if isinstance(p, (list, tuple)):
        p = C.array(p)
    if ndim(p) == 0:
        raise TypeError("polyval: p must be a sequence of coefficients (NumPy: iteration over "
                        "a 0-d array)")
    if isinstance(x, (list, tuple)):
        x = C.array(x)
    y = E.multiply(x, 0)   # NumPy's zeros_like(x): integer p and x give integers
    for k in range(shape(p)[0]):
        y = y * x + p[k]
    return y


@export()
def interp(x, xp, fp, left=None, right=None, period=None):
    """Piecewise-linear interpolation (numpy.interp), differentiable in x, xp and fp (and in
    ``left``/``right``); ``fp`` may be complex, ``period`` wraps x and xp as NumPy does.

    >>> import chainrule as cr
    >>> float(cr.grad(lambda x: interp(x, np.array([0.0, 1.0, 2.0]), np.array([0.0, 2.0, 3.0])))(1.5))
    1.0
    >>> float(interp(370.0, np.array([0.0, 90.0, 180.0, 270.0]), np.array([0.0, 1.0, 0.0, -1.0]),
    ...              period=360.0))
    0.1111111111111111
    """
    x, xp, fp = (C.array(v) if isinstance(v, (list, tuple)) else v for v in (x, xp, fp))
    if result_type(lower(x), lower(xp)).kind == "c":
        raise TypeError("interp: x and xp must be real (NumPy raises on complex ones); fp may "
                        "be complex")
    if ndim(xp) != 1 or ndim(fp) != 1:
        raise ValueError("Data points must be 1-D sequences")
    if shape(xp)[0] != shape(fp)[0]:
        raise ValueError("fp and xp are not of the same length")
    if shape(xp)[0] == 0:
        raise ValueError("array of sample points is empty")
    # NumPy interpolates in float64 (complex128 for complex fp).
    fdt = result_type(lower(fp), np.float64)
    x, xp = (E.astype(v, dtype=np.dtype(np.float64)) if result_type(lower(v)) != np.float64
             else v for v in (x, xp))
    if result_type(lower(fp)) != fdt:
        fp = E.astype(fp, dtype=fdt)
    if period is not None:
        x, xp, fp = _periodic(x, xp, fp, period)
        left = right = None
    n = shape(xp)[0]
    if n == 1:
        return E.multiply(x, 0.0) + fp[0]
    idx = E.clip(E.subtract(searchsorted(xp, x, side="right"), 1), 0, n - 2)
    flat = C.ravel(idx)

    def at(v, i):  # v[i] with i possibly batched under vmap
        return B.reshape(S.take_along(v, i, axis=0), shape=shape(idx))
    x0, x1 = at(xp, flat), at(xp, E.add(flat, 1))
    f0, f1 = at(fp, flat), at(fp, E.add(flat, 1))
    y = f0 + (x - x0) / (x1 - x0) * (f1 - f0)
    y = E.where(E.less(x, xp[0]), fp[0] if left is None else left, y)
    y = E.where(E.greater(x, xp[n - 1]), fp[n - 1] if right is None else right, y)
    # x equal to the last knot: NumPy returns fp[-1] exactly.
    return E.where(E.equal(x, xp[n - 1]), fp[n - 1], y)


def _periodic(x, xp, fp, period):
    # NumPy's normalisation: x and xp modulo the period, xp sorted, and one knot wrapped
    # around at each end.
    if isinstance(period, Tracer):
        raise TypeError("interp: period must be a constant")
    if period == 0:
        raise ValueError("period must be a non-zero value")
    period = abs(float(period))
    x = E.astype(x, dtype=np.dtype(np.float64)) if result_type(lower(x)).kind != "f" else x
    x, xp = M.mod(x, period), M.mod(xp, period)
    order = S.argsort(xp, axis=0)
    xp, fp = S.take_along(xp, order, axis=0), S.take_along(fp, order, axis=0)
    n = shape(xp)[0]
    xp = C.concatenate([B.getitem(xp, index=(slice(n - 1, n),)) - period, xp,
                        B.getitem(xp, index=(slice(0, 1),)) + period])
    fp = C.concatenate([B.getitem(fp, index=(slice(n - 1, n),)), fp,
                        B.getitem(fp, index=(slice(0, 1),))])
    return x, xp, fp


@export("trapezoid", "trapz")
def trapezoid(y, x=None, dx=1.0, axis=-1):
    """Integral by the trapezoidal rule (numpy.trapezoid).

    >>> float(trapezoid(np.array([1.0, 2.0, 3.0])))
    4.0
    >>> float(trapezoid([1.0, 2.0], [0.0, 0.5]))   # lists, as NumPy takes them
    0.75
    """
    y = C.asarray(y)
    x = None if x is None else C.asarray(x)
    nd = ndim(y)
    ax = axis_index(axis, nd)   # NumPy's AxisError for a 0-d y (axis % 0 divided by zero)
    n = shape(y)[ax]

    def sl(s):
        return (slice(None),) * ax + (s,)
    if x is None:
        d = dx
    else:
        d = M.diff(x, axis=axis if ndim(x) == nd else -1)
        if ndim(x) == 1 and nd > 1:
            d = B.reshape(d, shape=tuple(n - 1 if i == ax else 1 for i in range(nd)))
    mid = (B.getitem(y, index=sl(slice(1, None))) + B.getitem(y, index=sl(slice(0, n - 1)))) / 2.0
    return B.reduce_sum(mid * d, axis=ax)


# ---- statistics -----------------------------------------------------------------------------
@export()
def average(a, axis=None, weights=None, returned=False, keepdims=False):
    """Weighted average (numpy.average), differentiable in the values and the weights.

    >>> float(average(np.array([1.0, 3.0]), weights=np.array([3.0, 1.0])))
    1.5
    """
    if weights is None:
        avg = C.mean(a, axis=axis, keepdims=keepdims)
        scl = C.full_like(avg, np.prod([shape(a)[i] for i in ([axis] if isinstance(axis, int) else
                                                              axis or range(ndim(a)))]) * 1.0)
    else:
        w = weights
        if ndim(w) != ndim(a):
            if axis is None or ndim(w) != 1:
                raise TypeError("Axis must be specified when shapes of a and weights differ.")
            w = B.reshape(w, shape=tuple(shape(a)[i] if i == axis % ndim(a) else 1
                                         for i in range(ndim(a))))
        scl = B.reduce_sum(E.multiply(w, np.ones(shape(a), dtype=result_type(lower(w)))),
                           axis=axis, keepdims=keepdims)
        avg = B.reduce_sum(a * w, axis=axis, keepdims=keepdims) / scl
    return (avg, scl) if returned else avg


@export()
def cov(m, y=None, rowvar=True, bias=False, ddof=None, fweights=None, aweights=None):
    """Covariance matrix (numpy.cov), with frequency and analytic weights; complex values
    pair each deviation with the other's conjugate, as NumPy does.

    >>> cov(np.array([[0.0, 1.0, 2.0], [2.0, 1.0, 0.0]]))
    array([[ 1., -1.],
           [-1.,  1.]])
    >>> float(cov(np.array([1.0, 2.0, 4.0]), aweights=np.array([1.0, 1.0, 2.0])))
    2.7
    """
    x = C.atleast_2d(m)
    dt = result_type(lower(m), *(() if y is None else (lower(y),)), np.float64)
    if result_type(lower(x)) != dt:     # NumPy computes in float64 at least
        x = E.astype(x, dtype=dt)
    if not rowvar and ndim(x) == 2 and shape(x)[0] != 1 or (not rowvar and ndim(m) == 2):
        x = B.transpose(x)
    if y is not None:
        yy = C.atleast_2d(y)
        if not rowvar and ndim(y) == 2:
            yy = B.transpose(yy)
        x = C.concatenate([x, yy], axis=0)
    n = shape(x)[1]
    if ddof is None:
        ddof = 0 if bias else 1
    w = None
    # (a Python list of weights is NumPy's array of it: w * aweights must not repeat a list)
    fweights, aweights = (C.array(v) if isinstance(v, (list, tuple)) else v
                          for v in (fweights, aweights))
    for name, weight in (("fweights", fweights), ("aweights", aweights)):
        if weight is not None and result_type(lower(weight)).kind == "c":
            raise TypeError(f"cov: {name} must be real (NumPy would discard the imaginary "
                            f"part); pass np.real(...) or abs(...) of them")
    if fweights is not None:
        w = fweights
    if aweights is not None:
        w = aweights if w is None else w * aweights
    if w is None:
        xc = x - C.mean(x, axis=1, keepdims=True)
        fact = n - ddof
        xw = xc
    else:
        w_sum = B.reduce_sum(w)
        xc = x - B.reduce_sum(x * w, axis=1, keepdims=True) / w_sum
        if ddof == 0:
            fact = w_sum
        elif aweights is None:
            fact = w_sum - ddof
        else:
            fact = w_sum - ddof * B.reduce_sum(w * aweights) / w_sum
        xw = xc * w
    # NumPy's: no degrees of freedom left (an empty or single sample) divides by 0 → nan/inf
    if isinstance(fact, Tracer):
        fact = E.maximum(fact, 0.0)
    elif fact <= 0:
        warnings.warn("Degrees of freedom <= 0 for slice", RuntimeWarning, stacklevel=2)
        fact = 0.0
    c = L.matmul(xc, B.transpose(E.conj(xw))) / fact
    return C.squeeze(c) if shape(c) == (1, 1) else c


@export()
def corrcoef(x, y=None, rowvar=True):
    """Pearson correlation coefficients (numpy.corrcoef).

    >>> corrcoef(np.array([1.0, 2.0, 3.0]), np.array([3.0, 2.0, 1.0]))
    array([[ 1., -1.],
           [-1.,  1.]])
    """
    c = cov(x, y, rowvar)
    if ndim(c) == 0:
        return c / c
    d = E.sqrt(L.diagonal(c))
    c = c / B.reshape(d, shape=(-1, 1)) / B.reshape(d, shape=(1, -1))
    return E.clip(c, -1.0, 1.0)


# ---- creation with traced endpoints ---------------------------------------------------------
def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    """numpy.linspace; differentiable in ``start`` and ``stop``.

    >>> import chainrule as cr
    >>> float(cr.grad(lambda b: linspace(0.0, b, 5)[1])(2.0))
    0.25
    """
    if not _traced(start, stop):
        return np.linspace(start, stop, num, endpoint, retstep, dtype, axis)
    div = (num - 1) if endpoint else num
    bshape = np.broadcast_shapes(shape(start), shape(stop))
    # computed in NumPy's dtype (float32 endpoints: in float32, as np.linspace; float64 steps
    # rounded to float32 at the end differed in the last bit)
    ct = result_type(lower(start), lower(stop), float(num))
    t = np.arange(num, dtype=ct if ct.kind == "f" else np.float64).reshape(
        (num,) + (1,) * len(bshape))
    delta = stop - start
    step = delta / div if div > 0 else delta * np.nan
    # (one point with its endpoint: NumPy's step is nan, its point is start)
    y = t * (step if div > 0 else delta) + start
    if endpoint and num > 1:
        y = C.concatenate([B.getitem(y, index=(slice(0, num - 1),)),
                           C.broadcast_to(stop, (1,) + bshape) if ndim(stop) == len(bshape)
                           else B.reshape(C.broadcast_to(stop, bshape), shape=(1,) + bshape)])
    if axis != 0:
        y = C.moveaxis(y, 0, axis)
    if dtype is not None:
        y = C.astype(y, dtype)
    return (y, step) if retstep else y


def logspace(start, stop, num=50, endpoint=True, base=10.0, dtype=None, axis=0):
    """numpy.logspace; differentiable in ``start``, ``stop`` and ``base``.

    >>> logspace(0.0, 2.0, 3)
    array([  1.,  10., 100.])
    """
    if not _traced(start, stop, base):
        return np.logspace(start, stop, num, endpoint, base, dtype, axis)
    y = E.power(base, linspace(start, stop, num, endpoint, axis=axis))
    return y if dtype is None else C.astype(y, dtype)


def geomspace(start, stop, num=50, endpoint=True, dtype=None, axis=0):
    """numpy.geomspace (endpoints of the same sign); differentiable in the endpoints.

    >>> geomspace(1.0, 8.0, 4)
    array([1., 2., 4., 8.])
    """
    if not _traced(start, stop):
        return np.geomspace(start, stop, num, endpoint, dtype, axis)
    if result_type(lower(start), lower(stop)).kind == "c":
        # NumPy's complex geomspace special-cases imaginary and negative endpoints; that
        # path is not written here: refuse rather than differentiate another function.
        raise TypeError("geomspace with traced complex endpoints is not differentiable in "
                        "chainrule yet; use exp(linspace(log(start), log(stop), num)) for the "
                        "principal log-spiral")
    sign = E.sign(start)
    y = E.exp(linspace(E.log(start * sign), E.log(stop * sign), num, endpoint)) * sign
    # The endpoints exactly, as NumPy gives them.
    y = C.concatenate([B.reshape(start, shape=(1,) + shape(start)), B.getitem(y, index=(
        slice(1, num - 1 if endpoint else num),))] + ([B.reshape(stop, shape=(1,) + shape(stop))]
                                                       if endpoint and num > 1 else []))
    if axis != 0:
        y = C.moveaxis(y, 0, axis)
    return y if dtype is None else C.astype(y, dtype)


for _name, _fn in (("linspace", linspace), ("logspace", logspace), ("geomspace", geomspace)):
    registry.add(NUMPY, _name, registry.COMPOSITE, _fn)


def allclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    """numpy.allclose, with ``equal_nan``; a Python bool.

    >>> allclose(np.array([np.nan]), np.array([np.nan]), equal_nan=True)
    True
    """
    return bool(np.all(concrete_value(E.isclose_signature(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan))))


registry.add(NUMPY, "allclose", registry.CREATION, allclose)


# ---- integer-valued helpers: NumPy's result, zero derivative --------------------------------------
def _searchsorted_batch(vals, dims, side="left", sorter=None):
    (a, v), (da, dv) = vals, dims
    if da is None:
        return searchsorted_p(a, v, side=side, sorter=sorter), dv
    size = shape(a)[da]
    a = B.moveaxis_to_front(a, da)
    v = B.broadcast_front(v, dv, size)
    outs = [np.asarray(lower(searchsorted_p(a[i], v[i], side=side))) for i in range(size)]
    return np.stack(outs), 0


searchsorted_p = Primitive("searchsorted",
                           lambda a, v, side="left", sorter=None: np.searchsorted(a, v, side, sorter))
declare(searchsorted_p, jvp=None, vjp=None, batch=_searchsorted_batch,
        public=lambda a, v, side="left", sorter=None: searchsorted_p(a, v, side=side, sorter=sorter))


def searchsorted(a, v, side="left", sorter=None):
    return searchsorted_p(a, v, side=side, sorter=sorter)


def _value_shaped(name, fn, multiple_results=False, names=None):
    """A helper whose output's shape depends on the values: vmap loops over the examples."""
    p = Primitive(name, fn, multiple_results=multiple_results)
    return declare(p, jvp=None, vjp=None, batch=LOOP, names=names,
                   public=lambda *args, **kwargs: p(*args, **kwargs))


_unique_one = _value_shaped("unique", np.unique, names=())
_unique_many = _value_shaped("unique", lambda *a, **k: tuple(np.unique(*a, **k)),
                             multiple_results=True, names=())


# The index of each unique value's first occurrence (zero derivative; vmap loops).
_unique_first = _value_shaped("unique", lambda a, **k: np.unique(a, return_index=True, **k)[1],
                              names=())


def unique(ar, return_index=False, return_inverse=False, return_counts=False, axis=None,
           **kwargs):
    """numpy.unique. The unique values are elements of ``ar`` (each the first occurrence, as
    ``return_index`` finds it) and carry their derivative, as ``sort``'s do; the indices and
    counts are integers.

    >>> unique(np.array([2.0, 1.0, 2.0]), return_counts=True)
    (array([1., 2.]), array([1, 2]))
    >>> import chainrule as cr
    >>> cr.grad(lambda x: unique(x)[1])(np.array([2.0, 1.0, 2.0]))
    array([1., 0., 0.])
    """
    flags = dict(return_index=return_index, return_inverse=return_inverse,
                 return_counts=return_counts, axis=axis, **kwargs)
    many = return_index or return_inverse or return_counts
    if not _traced(ar):
        return _unique_many(ar, **flags) if many else _unique_one(ar, **flags)
    first = _unique_first(ar, axis=axis, **kwargs)
    if axis is None:
        values = C.take_along_axis(C.ravel(ar), first, axis=0)
    else:
        ax = axis % ndim(ar)
        k = shape(first)[0]
        idx = B.reshape(first, shape=tuple(k if i == ax else 1 for i in range(ndim(ar))))
        values = C.take_along_axis(ar, C.broadcast_to(idx, tuple(
            k if i == ax else n for i, n in enumerate(shape(ar)))), axis=ax)
    if not many:
        return values
    return (values,) + tuple(_unique_many(ar, **flags)[1:])


registry.add(NUMPY, "unique", registry.COMPOSITE, unique)
argwhere = _value_shaped("argwhere", np.argwhere)
flatnonzero = _value_shaped("flatnonzero", np.flatnonzero)
histogram_p = Primitive("histogram", lambda *a, **k: tuple(np.histogram(*a, **k)),
                        multiple_results=True)


def _bin_index(a, edges):
    """Each element's bin as NumPy's histogram assigns it (the last bin closed), −1 outside."""
    flat, edges = np.ravel(a), np.asarray(edges)
    idx = np.searchsorted(edges, flat, side="right") - 1
    idx[flat == edges[-1]] = len(edges) - 2
    idx[(flat < edges[0]) | (flat > edges[-1]) | np.isnan(flat)] = -1
    return idx


# Integer-valued and value-dependent: zero derivative, vmap loops over the examples.
_bin_index_p = _value_shaped("histogram", _bin_index, names=())


def _bin_edges(a, bins, range):
    """The bin edges as functions of the data: linspace(min, max) of the data (± 0.5 when all
    are equal, as NumPy), or of ``range``, for a number of equal bins; explicit edges are
    themselves."""
    if np.ndim(lower(bins)) > 0:
        return bins
    dt = result_type(lower(a))
    dt = dt if dt.kind == "f" else np.dtype(np.float64)  # NumPy's bin_type
    if range is None:
        if shape(a)[0] == 0:  # NumPy's range for no data: [0, 1]
            return linspace(0.0, 1.0, int(bins) + 1, dtype=dt)
        first, last = S.reduce_min(a), S.reduce_max(a)
        same = E.equal(first, last)
        first, last = E.where(same, first - 0.5, first), E.where(same, last + 0.5, last)
    else:
        first, last = range
    return linspace(first, last, int(bins) + 1, dtype=dt)


def histogram(a, bins=10, range=None, density=None, weights=None):
    """numpy.histogram. The counts are integer-valued (zero derivative in the data), but
    differentiable in traced ``weights``; the edges move with the data's minimum and maximum
    (or a traced ``range``), and so does ``density=True``.

    >>> import chainrule as cr
    >>> float(cr.grad(lambda x: histogram(x, bins=2)[1][1])(np.array([0.0, 1.0, 4.0]))[2])
    0.5
    """
    rng = range if range is None else tuple(range)
    if not _traced(a, weights, bins, *(rng or ())):
        return histogram_p(a, bins=bins, range=range, density=density, weights=weights)
    if isinstance(bins, str):
        raise TypeError(f"histogram(bins={bins!r}) of traced values: the edges NumPy picks "
                        "from the data have no derivative in chainrule; pass a number of "
                        "bins or explicit edges")
    flat = C.ravel(a)
    edges = _bin_edges(flat, bins, rng)
    idx = _bin_index_p(flat, edges)
    n = shape(edges)[0] - 1
    # each element's bin as a one-hot row; the counts are the (weighted) column sums
    onehot = E.equal(B.reshape(idx, shape=(-1, 1)), np.arange(n).reshape(1, n))
    if weights is None:
        counts = B.reduce_sum(E.astype(onehot, dtype=np.dtype(np.intp)), axis=0)
    else:
        w = C.ravel(weights)
        counts = L.matmul(w, E.astype(onehot, dtype=result_type(lower(w))))
    if density:
        counts = E.astype(counts, dtype=np.dtype(np.float64)) if weights is None else counts
        counts = counts / M.diff(edges) / B.reduce_sum(counts)
    return counts, edges


declare(histogram_p, jvp=None, vjp=None, batch=LOOP, public=histogram)
bincount_p = Primitive("bincount", lambda x, weights=None, minlength=0:
                       np.bincount(x, weights, minlength))


def bincount(x, weights=None, minlength=0):
    """numpy.bincount; with traced ``weights``, differentiable in them (a one-hot sum).

    >>> bincount(np.array([0, 2, 2]), weights=np.array([1.0, 2.0, 3.0]))
    array([1., 0., 5.])
    """
    if weights is None or not isinstance(weights, Tracer):
        return bincount_p(x, weights, minlength=minlength)
    xi = np.asarray(concrete_value(x, "value"))
    n = max(int(xi.max()) + 1 if xi.size else 0, minlength)
    onehot = (xi[:, None] == np.arange(n)[None, :]).astype(result_type(lower(weights)))
    return L.matmul(weights, onehot)


declare(bincount_p, jvp=None, vjp=None, batch=LOOP, public=bincount)
count_nonzero = S._nondiff_reduction("count_nonzero", np.count_nonzero, B.reduction_batch)
argpartition = Primitive("argpartition", lambda a, kth, axis=-1: np.argpartition(a, kth, axis))
declare(argpartition, jvp=None, vjp=None, batch=S._scan_batch(argpartition, default_axis=-1),
        family="scan", public=lambda a, kth, axis=-1: argpartition(a, kth=kth, axis=axis))

for _name in ("tril_indices", "triu_indices", "diag_indices", "mask_indices", "tril_indices_from",
              "triu_indices_from", "diag_indices_from", "unravel_index", "ravel_multi_index",
              "histogram_bin_edges", "iscomplex", "isreal",
              "isscalar", "isrealobj", "broadcast_shapes", "promote_types", "can_cast", "dtype",
              "finfo", "iinfo", "float16", "int8", "int16", "uint8", "complex128", "complex64"):
    if hasattr(np, _name) and registry.lookup(NUMPY, _name) is None:
        registry.add(NUMPY, _name, registry.CREATION, getattr(np, _name))


# ---- real_if_close: a value-dependent dtype ------------------------------------------------
def _real_if_close_impl(a, tol=100):
    # A copy in both cases: NumPy returns the caller's array (or a view of it).
    return np.array(np.real_if_close(a, tol=tol), copy=True)


def _real_if_close_batch(vals, dims, tol=100):
    # One decision for the whole batch: the result is what stacking the per-example results
    # gives (complex as soon as one example keeps its imaginary part).
    (a,), (d,) = vals, dims
    return _real_if_close(B.moveaxis_to_front(a, d), tol=tol), 0


def _drops_imag(ans, a):
    return result_type(lower(a)).kind == "c" and result_type(lower(ans)).kind != "c"


_real_if_close = Primitive("real_if_close", _real_if_close_impl)


def _real_if_close_public(a, tol=100):
    """numpy.real_if_close: the real part when every imaginary part is below ``tol`` (in
    machine epsilons when ``tol > 1``), else ``a`` unchanged. The decision is made on the
    values; where it drops the imaginary part the derivative is the real part's (as
    ``cnp.real``), else the identity's. Under ``vmap`` one decision covers the whole batch.

    >>> real_if_close(np.array([2.1 + 4e-15j, 5.2 + 3e-15j]))
    array([2.1, 5.2])
    >>> real_if_close(np.array([2.1 + 4e-13j]))
    array([2.1+4.e-13j])
    """
    return _real_if_close(a, tol=tol)


real_if_close = _real_if_close_public
declare(_real_if_close,
        jvp=[lambda t, ans, a, tol=100: B.real(t) if _drops_imag(ans, a) else t],
        # Re(c·t) = g·Re(t) when the imaginary part is dropped: c = g, as for cnp.real.
        vjp=[lambda g, ans, a, tol=100: g],
        batch=_real_if_close_batch, names=("real_if_close",), namespace=NUMPY,
        public=_real_if_close_public)


# ---- integer- and boolean-valued tests programs moved from NumPy call (zero derivative) --------
def _refuse_complex(name, x):
    # NumPy refuses complex input here (the sign of an infinite complex value is ambiguous);
    # without this the error would name signbit, a function the caller never called
    if np.iscomplexobj(lower(x)):
        raise TypeError(f"{name}: complex input is not supported (NumPy refuses it too: the sign "
                        f"of a complex infinity is ambiguous); apply it to x.real or x.imag")


@export(kind=registry.NONDIFF)
def isneginf(x, out=None):
    """numpy.isneginf (booleans: zero derivative).

    >>> isneginf(np.array([-np.inf, 0.0, np.inf]))
    array([ True, False, False])
    """
    if out is not None:
        raise TypeError("isneginf: out= is not supported; assign the result instead")
    _refuse_complex("isneginf", x)
    return E.logical_and(E.isinf(x), E.signbit(x))


@export(kind=registry.NONDIFF)
def isposinf(x, out=None):
    """numpy.isposinf (booleans: zero derivative).

    >>> isposinf(np.array([-np.inf, 0.0, np.inf]))
    array([False, False,  True])
    """
    if out is not None:
        raise TypeError("isposinf: out= is not supported; assign the result instead")
    _refuse_complex("isposinf", x)
    return E.logical_and(E.isinf(x), E.logical_not(E.signbit(x)))


@export(kind=registry.NONDIFF)
def isin(element, test_elements, assume_unique=False, invert=False, *, kind=None):
    """numpy.isin: whether each element is among ``test_elements`` (booleans: zero derivative;
    nan is in nothing, as in NumPy).

    >>> isin(np.array([1.0, 2.0, np.nan]), [2.0, np.nan])
    array([False,  True, False])
    """
    tests = C.ravel(C.asarray(test_elements))
    element = C.asarray(element)
    found = S.reduce_any(E.equal(B.reshape(element, shape=shape(element) + (1,)), tests), axis=-1) \
        if shape(tests)[0] else np.zeros(shape(element), dtype=bool)
    return E.logical_not(found) if invert else found


@export(kind=registry.NONDIFF)
def digitize(x, bins, right=False):
    """numpy.digitize: the index of the bin each x falls in (integers: zero derivative), for
    increasing or decreasing ``bins``; ``bins`` must not be traced.

    >>> digitize(np.array([0.5, 1.0, 2.5]), np.array([0.0, 1.0, 2.0]))
    array([1, 2, 3])
    """
    if isinstance(bins, Tracer):
        raise TypeError("digitize: traced bins are not supported; pass the bin edges as a NumPy "
                        "array (the result is an integer array either way)")
    bins = np.asarray(bins)
    if bins.ndim != 1:
        raise ValueError("object too deep for desired array")
    steps = np.diff(bins)
    increasing = bool(np.all(steps >= 0))
    if not increasing and not np.all(steps <= 0):
        raise ValueError("bins must be monotonically increasing or decreasing")
    side = "left" if right else "right"
    if increasing:
        return searchsorted(bins, x, side=side)
    return len(bins) - searchsorted(bins[::-1], x, side=side)
