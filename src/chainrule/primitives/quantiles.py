"""Quantiles as NumPy computes them: ``quantile``, ``percentile``, ``nanquantile``,
``nanpercentile`` with NumPy's thirteen ``method=`` choices and ``weights=`` (method
'inverted_cdf', as NumPy allows).

Each quantile is the sorted data at an index, or a linear interpolation between two
neighbours with a weight γ; the indices and γ depend only on the sample size and q (for the
nan-aware versions: on the count of non-nan values in each slice; with weights: on the
weights' order), never differentiably on the data. So the derivative flows to the one or two
order statistics the quantile reads, with weights 1 − γ and γ — exact away from ties. For the
methods where γ is linear in q, q is differentiable too (dγ/dq the method's slope). The
index arithmetic is NumPy's (``numpy.lib._function_base_impl``), repeated here with chainrule
operations so that the nan-aware counts may differ along a batch under ``vmap``.

>>> import chainrule as cr
>>> cr.grad(lambda x: quantile(x, 0.25))(np.array([4.0, 1.0, 3.0, 2.0]))
array([0.  , 0.25, 0.  , 0.75])
"""

import numpy as np

from ..core.primitive import Tracer, concrete_value
from ..interpreters.batching import BatchedValueError
from .declare import export
from .util import shape, ndim, lower, result_type, dtype
from . import basic as B
from . import elementwise as E
from . import structural as S
from . import composites as C
from .more_numpy import _keep

__all__ = ["quantile", "percentile", "nanquantile", "nanpercentile", "QUANTILE_METHODS",
           "Q_DIFFERENTIABLE"]


def _linear(alpha, beta):
    # Hyndman and Fan's continuous family: index n·q + α + q·(1 − α − β) − 1 (0-based).
    return lambda n, q: n * q + (alpha + q * (1.0 - alpha - beta)) - 1.0


def _boundaries(index, take_previous):
    previous = E.floor(index)
    gamma = index - previous
    chosen = E.where(take_previous(gamma, previous), previous, previous + 1.0)
    return E.maximum(chosen, 0.0)


def _inverted_cdf(n, q):
    return _boundaries(n * q - 1.0, lambda gamma, previous: E.equal(gamma, 0.0))


def _closest_observation(n, q):
    # NumPy rounds half to the even order statistic (1-based): floor(index) odd, 0-based.
    return _boundaries(n * q - 1.5, lambda gamma, previous: E.logical_and(
        E.equal(gamma, 0.0), E.equal(previous - 2.0 * E.floor(previous / 2.0), 1.0)))


def _keep_gamma(gamma, index):
    return gamma


#: method -> (virtual index of quantile q among n sorted values, γ's correction or None for a
#: method that picks one order statistic).
QUANTILE_METHODS = {
    "inverted_cdf": (_inverted_cdf, None),
    "averaged_inverted_cdf": (lambda n, q: n * q - 1.0,
                              lambda gamma, index: E.where(E.equal(gamma, 0.0), 0.5, 1.0)),
    "closest_observation": (_closest_observation, None),
    "interpolated_inverted_cdf": (_linear(0.0, 1.0), _keep_gamma),
    "hazen": (_linear(0.5, 0.5), _keep_gamma),
    "weibull": (_linear(0.0, 0.0), _keep_gamma),
    "linear": (lambda n, q: (n - 1.0) * q, _keep_gamma),
    "median_unbiased": (_linear(1.0 / 3.0, 1.0 / 3.0), _keep_gamma),
    "normal_unbiased": (_linear(3.0 / 8.0, 3.0 / 8.0), _keep_gamma),
    "lower": (lambda n, q: E.floor((n - 1.0) * q), None),
    "higher": (lambda n, q: E.ceil((n - 1.0) * q), None),
    "midpoint": (lambda n, q: 0.5 * (E.floor((n - 1.0) * q) + E.ceil((n - 1.0) * q)),
                 lambda gamma, index: E.where(E.equal(index, E.floor(index)), 0.0, 0.5)),
    "nearest": (lambda n, q: E.rint((n - 1.0) * q), None),
}


#: The methods continuous in q (γ linear in q between order statistics): differentiable in q.
Q_DIFFERENTIABLE = tuple(m for m, (_, fix) in QUANTILE_METHODS.items() if fix is _keep_gamma)


def _traced(q):
    """Whether q is differentiated (a tracer that is not only being staged)."""
    return isinstance(q, Tracer) and not q._trace.concrete_ok


def _front(a, axis):
    """``a`` with the reduced axes moved to the front and merged into one; the axes."""
    if axis is None:
        return C.ravel(a), None
    axes = tuple(int(x) for x in np.atleast_1d(axis) % ndim(a))
    rest = [i for i in range(ndim(a)) if i not in axes]
    a = B.transpose(a, axes=axes + tuple(rest))
    # the merged length spelled out: -1 is ambiguous when another axis has length 0
    n = int(np.prod(shape(a)[:len(axes)], dtype=np.int64))
    return B.reshape(a, shape=(n,) + tuple(shape(a)[len(axes):])), axes


def _at(a_sorted, index):
    """a_sorted[index] along axis 0, index of shape q.shape + a_sorted.shape[1:]."""
    idx = E.astype(index, dtype=np.dtype(np.intp))
    lead = ndim(idx) - (ndim(a_sorted) - 1)
    # the leading length spelled out: -1 is ambiguous when another axis has length 0
    m = int(np.prod(shape(idx)[:lead], dtype=np.int64))
    flat = B.reshape(idx, shape=(m,) + tuple(shape(a_sorted)[1:]))
    out = S.take_along(a_sorted, flat, axis=0)
    return B.reshape(out, shape=tuple(shape(idx)[:lead]) + tuple(shape(a_sorted)[1:]))


def _lerp(a, b, t):
    # NumPy's _lerp: from the nearer end, so that t = 1 gives b exactly.
    diff = b - a
    return E.where(E.greater_equal(t, 0.5), b - diff * (1.0 - t), a + diff * t)


def _positions(n, q, method, q_traced=None):
    """(previous, next, γ) indices along the sorted axis, shaped like ``n·q``; n may be an
    array (one count per slice, aligned with q's trailing axes). ``q_traced``, q as a traced
    value, makes γ a function of it: the indices stay those of q's value (constants), γ's
    slope in q is the method's (n − 1 for 'linear'), so dquantile/dq = (hi − lo)·slope — zero
    where q is clamped to the first or last order statistic (there hi = lo)."""
    virtual, fix_gamma = QUANTILE_METHODS[method]
    index = virtual(n, q)
    if fix_gamma is None:
        return index, None, None
    previous = E.floor(index)
    above, below = E.greater_equal(index, n - 1.0), E.less(index, 0.0)
    previous = E.where(above, n - 1.0, E.where(below, 0.0, previous))
    nxt = E.where(above, n - 1.0, E.where(below, 0.0, previous + 1.0))
    if q_traced is not None:
        index = virtual(n, q_traced)
    gamma = fix_gamma(index - E.where(above, -1.0, previous), index)
    return previous, nxt, gamma


def _check(a, q, method, weights):
    if result_type(lower(a)).kind == "c":
        raise TypeError("a must be an array of real numbers (NumPy's quantile and percentile "
                        "order real values only)")
    if method not in QUANTILE_METHODS:
        raise ValueError(f"{method!r} is not a valid method. Use one of: "
                         f"{', '.join(QUANTILE_METHODS)}")
    if _traced(q) and (method not in Q_DIFFERENTIABLE or weights is not None):
        why = ("a weighted quantile" if weights is not None else f"method {method!r}")
        raise TypeError(f"quantile/percentile: {why} is a step function of q (constant "
                        f"between jumps, undefined at them): its derivative in q is not "
                        f"supported. Differentiate in q with one of the continuous methods "
                        f"({', '.join(Q_DIFFERENTIABLE)}), or pass q as a constant "
                        f"(cr.stop_gradient(q)); the data may be traced")
    if weights is not None and method != "inverted_cdf":
        raise ValueError(f"Only method 'inverted_cdf' supports weights. Got: {method}.")
    # (a differentiated q decides the indices by its value, guarded under jit: constants)
    try:
        qv = np.asarray(concrete_value(q, "value"), dtype=np.float64)
    except BatchedValueError:
        raise TypeError("quantile/percentile: q batched under vmap is not supported (each q "
                        "picks other order statistics); pass q with in_axes=None, or all the "
                        "q at once as a 1-d array") from None
    if qv.ndim > 1:
        raise ValueError("q must be a scalar or 1d")
    if np.any((qv < 0) | (qv > 1)):
        raise ValueError("Quantiles must be in the range [0, 1]")
    return qv


def _weighted(a_front, w_front, qv, qdtype, nan_aware):
    # NumPy's weighted inverted_cdf: sort by value, normalise the weights' cumulative sum, and
    # take the first value whose cdf reaches q (leading zero weights skipped). The nan-aware
    # version drops the nan entries with their weights, as NumPy's: here their weights become
    # zero (the nans sort last, so the cdf is flat over them) and the index stops at the last
    # value that is not nan.
    n = shape(a_front)[0]
    missing = E.isnan(a_front)
    count = B.reduce_sum(E.astype(E.logical_not(missing), dtype=np.dtype(np.float64)), axis=0)
    w = E.astype(w_front, dtype=np.dtype(np.float64))
    if nan_aware:
        w = E.where(missing, 0.0, w)
    order = S.argsort(a_front, axis=0)
    a_sorted = S.take_along(a_front, order, axis=0)
    cdf = S.cumsum(S.take_along(w, order, axis=0), axis=0)
    # The total as NumPy takes it, the cumulative sum's last entry (a sum in another order
    # could round differently and leave the cdf's top below 1).
    total = B.getitem(cdf, index=(n - 1,))
    _check_total(total, count if nan_aware else None)
    if nan_aware:   # a slice of nans only: no error, a nan result (and no 0/0 here)
        total = E.where(E.equal(count, 0.0), 1.0, total)
    cdf = cdf / total
    if qdtype.kind == "f":   # NumPy compares in q's precision (float32 q: float32 cdf)
        cdf = E.astype(cdf, dtype=qdtype)
    cdf = E.where(E.equal(cdf, 0.0), -1.0, cdf)
    rest = (1,) * (ndim(a_front) - 1)
    qs = qv.reshape(qv.shape + (1,) + rest)
    below = E.astype(E.less(B.reshape(cdf, shape=(1,) * qv.ndim + shape(cdf)), qs),
                     dtype=np.dtype(np.float64))
    last = count - 1.0 if nan_aware else float(n - 1)
    index = E.maximum(E.minimum(B.reduce_sum(below, axis=qv.ndim), last), 0.0)
    r = _at(a_sorted, index)
    if nan_aware and result_type(lower(a_front)).kind == "f":   # integers keep their dtype
        r = E.where(E.equal(count, 0.0), np.nan, r)
    return a_sorted, r


def _check_total(total, count):
    """NumPy's error when a slice's weights sum to zero, inf or nan (slices without values
    excepted in the nan-aware versions)."""
    try:
        t = np.asarray(concrete_value(total, "value"))
        bad = (t == 0) | ~np.isfinite(t)
        if count is not None:
            bad &= np.asarray(concrete_value(count, "value")) > 0
    except BatchedValueError:   # under vmap each example's weights are not known here
        return
    if np.any(bad):
        raise ValueError("Weights included NaN, inf or were all zero.")


def _weights_front(weights, a, axis):
    """The weights as NumPy's _weights_are_valid accepts them (a's shape, or the shape of the
    reduced axes), broadcast to a's shape and laid out as ``_front(a, axis)``."""
    w = C.asarray(weights) if isinstance(weights, (list, tuple)) else weights
    if shape(w) != shape(a):
        if axis is None:
            raise TypeError("Axis must be specified when shapes of a and weights differ.")
        axes = tuple(int(x) % ndim(a) if -ndim(a) <= int(x) < ndim(a) else _bad_axis(x, a)
                     for x in np.atleast_1d(axis))
        if shape(w) != tuple(shape(a)[ax] for ax in axes):
            raise ValueError("Shape of weights must be consistent with shape of a along "
                             "specified axis.")
        w = B.transpose(w, axes=tuple(int(i) for i in np.argsort(axes)))
        w = B.reshape(w, shape=tuple(s if i in axes else 1 for i, s in enumerate(shape(a))))
        w = E.multiply(w, np.ones(shape(a)))
    try:
        negative = bool(np.any(np.asarray(concrete_value(w, "value")) < 0))
    except BatchedValueError:   # under vmap each example's weights are not known here
        negative = False
    if negative:
        raise ValueError("Weights must be non-negative.")
    return _front(w, axis)[0]


def _bad_axis(x, a):
    raise np.exceptions.AxisError(int(x), ndim(a), "axis")


def _qtype(q):
    """What q contributes to the result's dtype: a Python scalar is weak (itself)."""
    return q if type(q) in (int, float) else dtype(q)


def _quantile(a, q, axis, keepdims, method, weights, nan_aware, qtype=None):
    qtype = _qtype(q) if qtype is None else qtype
    a = C.array(a) if isinstance(a, (list, tuple)) else a
    qv = _check(a, q, method, weights)
    a_front, axes = _front(a, axis)
    w_front = None if weights is None else _weights_front(weights, a, axis)
    if nan_aware and 0 in shape(a):
        # NumPy answers an empty array with nanmean's value (nan, whatever q's shape)
        with np.errstate(all="ignore"):
            return np.nanmean(np.zeros(shape(a), result_type(lower(a))), axis=axis,
                              keepdims=keepdims)
    n = shape(a_front)[0]
    rest = (1,) * (ndim(a_front) - 1)
    if weights is not None:
        qdtype = np.asarray(lower(q)).dtype
        a_sorted, r = _weighted(a_front, w_front, qv, qdtype, nan_aware)
    else:
        a_sorted = C.sort(a_front, axis=0)
        if nan_aware:   # one count per slice; the sort put the nans last
            count = B.reduce_sum(E.astype(E.logical_not(E.isnan(a_front)),
                                          dtype=np.dtype(np.float64)), axis=0)
        else:
            count = float(n)
        # 'linear' at integer q (0 or 1) reads one order statistic, keeping an integer dtype.
        integer_q = method == "linear" and np.asarray(lower(q)).dtype.kind in "iub"
        q_traced = (B.reshape(E.astype(q, dtype=np.dtype(np.float64)), shape=qv.shape + rest)
                    if _traced(q) else None)
        previous, nxt, gamma = _positions(count, qv.reshape(qv.shape + rest),
                                          "lower" if integer_q else method, q_traced)
        shp = qv.shape + tuple(shape(a_sorted)[1:])
        previous = E.multiply(previous, np.ones(shp))
        lo = _at(a_sorted, previous)
        if gamma is None:
            r = lo
        else:
            hi = _at(a_sorted, E.multiply(nxt, np.ones(shp)))
            # NumPy's dtype: that of the data and q together, a Python scalar q weak (float32
            # data stay float32), an integer result float64.
            dt = result_type(lower(a_sorted), qtype, np.float16)
            r = _lerp(lo, hi, E.astype(gamma, dtype=dt))
    if not nan_aware and n:
        # A slice holding a nan has quantile nan, as NumPy's (the sort put it last).
        last = B.getitem(a_sorted, index=(n - 1,))
        r = E.where(E.isnan(last), last, r)
    r = _keep(r, a, axes, keepdims, lead=qv.ndim)
    # (a 0-d result is a NumPy scalar, as NumPy's; under jit too, so a replay returns the
    # eager type)
    return r if ndim(r) or (isinstance(r, Tracer) and not r._trace.concrete_ok) else r[()]


@export()
def quantile(a, q, axis=None, out=None, overwrite_input=False, method="linear",
             keepdims=False, *, weights=None):
    """numpy.quantile, q in [0, 1], with every ``method`` NumPy has and ``weights`` (method
    'inverted_cdf'); differentiable in ``a`` (the order statistics it reads) and, for the
    methods continuous in q (:data:`Q_DIFFERENTIABLE`: 'linear', 'hazen', 'weibull', ...), in
    ``q``: (next − previous order statistic) × the method's slope of the index in q (n − 1
    for 'linear'). The step methods ('lower', 'nearest', 'inverted_cdf', ...) refuse a
    derivative in q.

    >>> float(quantile(np.array([1.0, 2.0, 3.0, 4.0]), 0.5))
    2.5
    >>> import chainrule as cr
    >>> float(cr.grad(lambda q: quantile(np.array([1.0, 2.0, 4.0]), q))(0.75))   # 2 × (4 − 2)
    4.0
    >>> float(quantile(np.array([1.0, 2.0, 3.0, 4.0]), 0.5, method="hazen"))
    2.5
    """
    _no_out(out)
    return _quantile(a, q, axis, keepdims, method, weights, nan_aware=False)


@export()
def percentile(a, q, axis=None, out=None, overwrite_input=False, method="linear",
               keepdims=False, *, weights=None):
    """numpy.percentile: quantile with q in [0, 100].

    >>> float(percentile(np.array([1.0, 2.0, 3.0]), 50))
    2.0
    """
    _no_out(out)
    p = _percent(q)
    return _quantile(a, p, axis, keepdims, method, weights, nan_aware=False,
                     qtype=_qtype(q) if type(q) in (int, float) else _qtype(p))


@export()
def nanquantile(a, q, axis=None, out=None, overwrite_input=False, method="linear",
                keepdims=False, *, weights=None):
    """numpy.nanquantile: quantile of the non-nan values of each slice (nan for a slice
    without any); the nan entries get a zero derivative. With ``weights`` (method
    'inverted_cdf', as NumPy) each nan entry leaves with its weight; the weights may be traced
    but move no quantile (zero derivative), as in ``quantile``.

    >>> float(nanquantile(np.array([1.0, np.nan, 3.0]), 0.5))
    2.0
    >>> float(nanquantile(np.array([1.0, np.nan, 3.0]), 0.5, method="inverted_cdf",
    ...                   weights=[1.0, 5.0, 2.0]))
    3.0
    """
    return _nanquantile(a, q, axis, out, method, keepdims, weights, _qtype(q))


def _nanquantile(a, q, axis, out, method, keepdims, weights, qtype):
    _no_out(out)
    return _quantile(a, q, axis, keepdims, method, weights, nan_aware=True, qtype=qtype)


@export()
def nanpercentile(a, q, axis=None, out=None, overwrite_input=False, method="linear",
                  keepdims=False, *, weights=None):
    """numpy.nanpercentile: nanquantile with q in [0, 100].

    >>> float(nanpercentile(np.array([1.0, np.nan, 3.0]), 50))
    2.0
    """
    p = _percent(q)
    return _nanquantile(a, p, axis, out, method, keepdims, weights,
                        _qtype(q) if type(q) in (int, float) else _qtype(p))


def _percent(q):
    if isinstance(q, Tracer):   # differentiable in q: d/dq of q/100
        return E.divide(q, 100.0)
    return np.true_divide(np.asarray(q), 100.0)


def _no_out(out):
    if out is not None:
        raise TypeError("out= is not supported: chainrule returns a new array (use the result)")
