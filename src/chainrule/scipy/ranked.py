"""Rank-based statistics of ``scipy.stats`` (``rankdata``, ``mode``, ``spearmanr``: piecewise
constant in the data, so a zero derivative, with SciPy's own values) and the distances
between one-dimensional empirical distributions (``wasserstein_distance``,
``energy_distance``), differentiable in the values and weights through sorting.

>>> import numpy as np
>>> rankdata(np.array([3.0, 1.0, 2.0]))
array([3., 1., 2.])
"""

from collections import namedtuple

import numpy as np

from ..core.primitive import Primitive
from ..core.registry import STATS, NONDIFF
from ..primitives.declare import export, declare
from ..primitives.basic import moveaxis_to_front, reshape
from ..primitives.util import numpy_scalar, shape, ndim
from .. import numpy as cnp
from .summary import (_propagate, _float, _vectors, _pearson, _t_pvalue, SignificanceResult,
                      _too_short)

__all__ = ["ModeResult"]

ModeResult = namedtuple("ModeResult", ("mode", "count"))


# ---- rank-based: zero derivative, SciPy's values ------------------------------------------------
def _scipy_stats():
    import scipy.stats
    return scipy.stats


def _axis_batch(prim):
    """Batching for a function of one array along ``axis`` (None: flattened): the batch axis
    goes first and the function works one axis further in."""
    def rule(vals, dims, axis=None, **params):
        x = moveaxis_to_front(vals[0], dims[0])
        if axis is None:
            return prim(reshape(x, (shape(x)[0], -1)), axis=1, **params), 0
        return prim(x, axis=int(axis) % (ndim(x) - 1) + 1, **params), 0
    return rule


def _rankdata_impl(a, axis=None, method="average", nan_policy="propagate"):
    return _scipy_stats().rankdata(np.asarray(a), method=method, axis=axis,
                                   nan_policy=nan_policy)


def _mode_impl(a, axis=0, nan_policy="propagate", keepdims=False, part=0):
    return _scipy_stats().mode(np.asarray(a), axis=axis, nan_policy=nan_policy,
                               keepdims=keepdims)[part]


_rank = Primitive("rankdata", _rankdata_impl)
declare(_rank, jvp=None, vjp=None, batch=_axis_batch(_rank), names=())
_mode = Primitive("mode", _mode_impl)
declare(_mode, jvp=None, vjp=None, batch=_axis_batch(_mode), names=())


@export(namespace=STATS, kind=NONDIFF)
def rankdata(a, method="average", *, axis=None, nan_policy="propagate"):
    """The ranks of the data, 1 to n (ties by ``method``: 'average', 'min', 'max', 'dense',
    'ordinal'); SciPy's values, a zero derivative.

    >>> rankdata(np.array([10.0, 30.0, 20.0, 20.0]))
    array([1. , 4. , 2.5, 2.5])
    """
    return _rank(cnp.asarray(a), axis=axis, method=method, nan_policy=nan_policy)


@export(namespace=STATS, kind=NONDIFF)
def mode(a, axis=0, nan_policy="propagate", keepdims=False):
    """The most frequent value along ``axis`` (the smallest of ties) and its count, SciPy's
    values in a :class:`ModeResult`; a zero derivative.

    >>> m = mode(np.array([1.0, 2.0, 2.0, 3.0]))
    >>> float(m.mode), int(m.count)
    (2.0, 2)
    """
    a = cnp.asarray(a)
    params = dict(axis=axis, nan_policy=nan_policy, keepdims=keepdims)
    return ModeResult(numpy_scalar(_mode(a, part=0, **params)),
                      numpy_scalar(_mode(a, part=1, **params)))


@export(namespace=STATS, kind=NONDIFF)
def spearmanr(a, b=None, axis=0, nan_policy="propagate", alternative="two-sided"):
    """Spearman's rank correlation of one-dimensional ``a`` and ``b`` and its p-value
    (Student's t with n − 2 degrees of freedom, as SciPy's); ranks make the derivative zero.

    >>> res = spearmanr(np.array([1.0, 2.0, 3.0, 4.0]), np.array([1.0, 3.0, 2.0, 5.0]))
    >>> float(res.statistic)
    0.8
    """
    if b is None:
        raise NotImplementedError("spearmanr: pass a and b as one-dimensional arrays (the "
                                  "correlation matrix of a 2-D a is not supported)")
    _propagate("spearmanr", nan_policy)
    if _too_short(a, b):   # SciPy's nan
        return SignificanceResult(np.float64(np.nan), np.float64(np.nan))
    a, b = _vectors("spearmanr", a, b)
    r = _pearson(rankdata(a), rankdata(b))
    df = shape(a)[0] - 2.0
    with np.errstate(divide="ignore", invalid="ignore"):
        t = r * cnp.sqrt(df / ((r + 1.0) * (1.0 - r)))
    return SignificanceResult(numpy_scalar(r), numpy_scalar(_t_pvalue(t, df, alternative)))


# ---- distances between one-dimensional distributions ---------------------------------------------
def _cdf_distance(p, u, v, uw, vw):
    """SciPy's L^p distance between the empirical distribution functions: the sorted pooled
    values carry the derivative, the step heights (searchsorted counts) are constant."""
    u, v = _float(cnp.asarray(u)), _float(cnp.asarray(v))
    pooled = cnp.sort(cnp.concatenate([u, v]))
    deltas = cnp.diff(pooled)
    cdfs = []
    # (take_along_axis, not x[idx], so that vmap batches the data-dependent indices)
    for vals, w in ((u, uw), (v, vw)):
        idx = cnp.searchsorted(cnp.sort(vals), pooled[:-1], side="right")
        if w is None:
            cdfs.append(idx / shape(vals)[0])
        else:
            w = cnp.take_along_axis(_float(cnp.asarray(w)), cnp.argsort(vals), axis=0)
            cum = cnp.concatenate([cnp.zeros(1, dtype=w.dtype), cnp.cumsum(w)])
            cdfs.append(cnp.take_along_axis(cum, idx, axis=0) / cum[-1])
    diff = cdfs[0] - cdfs[1]
    if p == 1:
        return cnp.sum(cnp.abs(diff) * deltas)
    return cnp.sqrt(cnp.sum(diff * diff * deltas))


def _check_1d(fname, *arrays):
    for a in arrays:
        if a is not None and ndim(a) != 1:
            raise ValueError(f"{fname}: values and weights must be one-dimensional "
                             f"(got shape {shape(a)})")
        if a is not None and shape(a)[0] == 0:
            raise ValueError(f"{fname}: distributions must have at least one value")


@export(namespace=STATS)
def wasserstein_distance(u_values, v_values, u_weights=None, v_weights=None):
    """The first Wasserstein (earth mover's) distance between two one-dimensional
    empirical distributions, differentiable in the values and the weights.

    >>> float(wasserstein_distance(np.array([0.0, 1.0, 3.0]), np.array([5.0, 6.0, 8.0])))
    5.0
    """
    _check_1d("wasserstein_distance", u_values, v_values, u_weights, v_weights)
    return numpy_scalar(_cdf_distance(1, u_values, v_values, u_weights, v_weights))


@export(namespace=STATS)
def energy_distance(u_values, v_values, u_weights=None, v_weights=None):
    """The energy distance √2·‖F_u − F_v‖₂ between two one-dimensional empirical
    distributions, differentiable in the values and the weights.

    >>> round(float(energy_distance(np.array([0.0]), np.array([2.0]))), 6)   # √(2·2)
    2.0
    """
    _check_1d("energy_distance", u_values, v_values, u_weights, v_weights)
    return numpy_scalar(np.sqrt(2.0) * _cdf_distance(2, u_values, v_values, u_weights, v_weights))
