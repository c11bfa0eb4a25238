"""More of ``scipy.stats``'s summary statistics, written with ``chainrule.numpy``: trimmed
statistics (``tmean`` … ``tmax``, ``trim_mean``), robust and geometric spreads
(``median_abs_deviation``, ``gstd``), standardisation against other data (``zmap``,
``gzscore``), circular statistics and Fisher's k-statistics. Derivatives follow by the chain
rule; limits and proportions are constants (the kept set is piecewise constant in the data).

>>> import numpy as np, chainrule as cr
>>> float(trim_mean(np.array([1.0, 2.0, 3.0, 100.0]), 0.25))
2.5
"""

import numpy as np

from ..core.registry import STATS
from ..primitives.declare import export
from ..primitives.util import shape, ndim, numpy_scalar
from .. import numpy as cnp
from .summary import _propagate, _data, _finish, _float, zscore

__all__ = []

_NORMAL_MAD = 0.6744897501960817    # the standard normal's median absolute deviation
_TWO_PI = float(2.0 * np.pi)


def _mask(a, limits, inclusive):
    """Where ``a`` lies within ``limits`` (None: no limit), each end in- or exclusive."""
    keep = cnp.ones_like(a, dtype=bool)
    if limits is None:
        return keep
    lo, hi = limits
    if lo is not None:
        keep = cnp.logical_and(keep, (a >= lo) if inclusive[0] else (a > lo))
    if hi is not None:
        keep = cnp.logical_and(keep, (a <= hi) if inclusive[1] else (a < hi))
    return keep


def _trimmed(a, limits, inclusive, axis):
    a, axis, flat = _data(_float(a), axis)
    keep = _mask(a, limits, inclusive)
    count = cnp.astype(cnp.sum(keep, axis=axis, keepdims=True), cnp.asarray(a).dtype)
    mean = cnp.sum(cnp.where(keep, a, 0.0), axis=axis, keepdims=True) / count
    return a, axis, flat, keep, count, mean


@export(namespace=STATS)
def tmean(a, limits=None, inclusive=(True, True), axis=None, *, nan_policy="propagate",
          keepdims=False):
    """The mean of the values within ``limits`` (lower, upper; None: unbounded).

    >>> float(tmean(np.arange(10.0), (2, 5)))
    3.5
    """
    _propagate("tmean", nan_policy)
    a, axis, flat, keep, count, mean = _trimmed(a, limits, inclusive, axis)
    return _finish(mean, axis, keepdims, flat)


def _tvar(a, limits, inclusive, axis, ddof):
    a, axis, flat, keep, count, mean = _trimmed(a, limits, inclusive, axis)
    dev = cnp.where(keep, a - mean, 0.0)
    # nan for ddof or fewer values (SciPy's; an empty slice gave −0 as 0/(0 − 1))
    dof = cnp.where(count > ddof, count - ddof, np.nan)
    return cnp.sum(dev * dev, axis=axis, keepdims=True) / dof, axis, flat, count


@export(namespace=STATS)
def tvar(a, limits=None, inclusive=(True, True), axis=0, ddof=1, *, nan_policy="propagate",
         keepdims=False):
    """The variance (``ddof``) of the values within ``limits``.

    >>> float(tvar(np.arange(10.0), (2, 5)))
    1.6666666666666667
    """
    _propagate("tvar", nan_policy)
    v, axis, flat, _ = _tvar(a, limits, inclusive, axis, ddof)
    return _finish(v, axis, keepdims, flat)


@export(namespace=STATS)
def tstd(a, limits=None, inclusive=(True, True), axis=0, ddof=1, *, nan_policy="propagate",
         keepdims=False):
    """The standard deviation of the values within ``limits``.

    >>> round(float(tstd(np.arange(10.0), (2, 5))), 6)
    1.290994
    """
    _propagate("tstd", nan_policy)
    v, axis, flat, _ = _tvar(a, limits, inclusive, axis, ddof)
    return _finish(cnp.sqrt(v), axis, keepdims, flat)


@export(namespace=STATS)
def tsem(a, limits=None, inclusive=(True, True), axis=0, ddof=1, *, nan_policy="propagate",
         keepdims=False):
    """The standard error of the mean of the values within ``limits``.

    >>> round(float(tsem(np.arange(10.0), (2, 5))), 6)
    0.645497
    """
    _propagate("tsem", nan_policy)
    v, axis, flat, count = _tvar(a, limits, inclusive, axis, ddof)
    return _finish(cnp.sqrt(v / count), axis, keepdims, flat)


@export(namespace=STATS)
def tmin(a, lowerlimit=None, axis=0, inclusive=True, nan_policy="propagate", *,
         keepdims=False):
    """The smallest value not below ``lowerlimit``.

    >>> float(tmin(np.array([3.0, 1.0, 2.0]), 1.5))
    2.0
    """
    _propagate("tmin", nan_policy)
    a, axis, flat = _data(cnp.asarray(a), axis)
    keep = _mask(a, (lowerlimit, None), (inclusive, True))
    return _finish(_same_kind(_extreme(cnp.min, a, keep, np.inf, axis), a), axis, keepdims,
                   flat)


@export(namespace=STATS)
def tmax(a, upperlimit=None, axis=0, inclusive=True, nan_policy="propagate", *,
         keepdims=False):
    """The largest value not above ``upperlimit``.

    >>> float(tmax(np.array([3.0, 1.0, 2.0]), 2.5))
    2.0
    """
    _propagate("tmax", nan_policy)
    a, axis, flat = _data(cnp.asarray(a), axis)
    keep = _mask(a, (None, upperlimit), (True, inclusive))
    return _finish(_same_kind(_extreme(cnp.max, a, keep, -np.inf, axis), a), axis, keepdims,
                   flat)


def _same_kind(extreme, a):
    """SciPy's tmin and tmax keep an integer array's dtype (the ±inf fill made it float)."""
    if cnp.result_type(a).kind in "iub":
        return cnp.asarray(extreme, dtype=cnp.result_type(a))
    return extreme


def _extreme(reduce, a, keep, fill, axis):
    """min or max of the kept values along ``axis``; nan where none is kept (SciPy's nan
    for an empty slice, where NumPy's reduction raises)."""
    if shape(a)[axis] == 0:
        return cnp.sum(a, axis=axis, keepdims=True) * np.nan
    out = reduce(cnp.where(keep, a, fill), axis=axis, keepdims=True)
    return cnp.where(cnp.any(keep, axis=axis, keepdims=True), out, np.nan)


@export(namespace=STATS)
def trim_mean(a, proportiontocut, axis=0, *, nan_policy="propagate", keepdims=False):
    """The mean after cutting ``proportiontocut`` of the sorted values off each end.

    >>> float(trim_mean(np.array([1.0, 2.0, 3.0, 100.0]), 0.25))
    2.5
    """
    _propagate("trim_mean", nan_policy)
    a, axis, flat = _data(_float(a), axis)
    n = shape(a)[axis]
    lower = int(proportiontocut * n)
    upper = n - lower
    if lower > upper:
        raise ValueError("trim_mean: proportion too big (proportiontocut must be below 0.5)")
    kept = cnp.take(cnp.sort(a, axis=axis), np.arange(lower, upper), axis=axis)
    return _finish(cnp.mean(kept, axis=axis, keepdims=True), axis, keepdims, flat)


@export(namespace=STATS)
def median_abs_deviation(x, axis=0, center=None, scale=1.0, nan_policy="propagate", *,
                         keepdims=False):
    """median(|x − center(x)|) / scale; ``scale='normal'`` makes it a consistent estimate
    of the standard deviation. ``center`` is a function like ``chainrule.numpy.median``.

    >>> float(median_abs_deviation(np.array([1.0, 2.0, 3.0, 4.0, 100.0])))
    1.0
    """
    _propagate("median_abs_deviation", nan_policy)
    if isinstance(scale, str):
        if scale != "normal":
            raise ValueError(f"median_abs_deviation: scale must be a number or 'normal'")
        scale = _NORMAL_MAD
    x, axis, flat = _data(_float(x), axis)
    center = cnp.median if center is None else center
    med = cnp.expand_dims(center(x, axis=axis), axis)
    mad = cnp.median(cnp.abs(x - med), axis=axis, keepdims=True)
    return _finish(mad / scale, axis, keepdims, flat)


def _no_axis_of_a_number(a, axis):
    """SciPy's AxisError for a 0-d sample along an axis (gstd, zmap: no one-observation
    reading; pass axis=None for it)."""
    if axis is not None and ndim(a) == 0:
        raise np.exceptions.AxisError(int(axis), 0, "a 0-d sample has no axis; pass axis=None")


@export(namespace=STATS)
def gstd(a, axis=0, ddof=1, *, keepdims=False, nan_policy="propagate"):
    """The geometric standard deviation exp(std(log a)).

    >>> round(float(gstd(np.array([1.0, 4.0, 16.0]))), 6)
    4.0
    """
    _propagate("gstd", nan_policy)
    _no_axis_of_a_number(a, axis)
    a, axis, flat = _data(_float(a), axis)
    return _finish(cnp.exp(cnp.std(cnp.log(a), axis=axis, ddof=ddof, keepdims=True)), axis,
                   keepdims, flat)


@export(namespace=STATS)
def zmap(scores, compare, axis=0, ddof=0, nan_policy="propagate"):
    """``scores`` standardised by the mean and standard deviation of ``compare``.

    >>> zmap(np.array([1.0, 3.0]), np.array([0.0, 2.0, 4.0])).round(6)
    array([-0.612372,  0.612372])
    """
    _propagate("zmap", nan_policy)
    _no_axis_of_a_number(compare, axis)
    compare, ax, flat = _data(_float(compare), axis)
    mean = cnp.mean(compare, axis=ax, keepdims=flat is None)
    std = cnp.std(compare, axis=ax, ddof=ddof, keepdims=flat is None)
    return (_float(scores) - mean) / std


@export(namespace=STATS)
def gzscore(a, *, axis=0, ddof=0, nan_policy="propagate"):
    """The geometric z-score: the z-score of log a.

    >>> gzscore(np.array([1.0, 4.0, 16.0])).round(6)
    array([-1.224745,  0.      ,  1.224745])
    """
    return zscore(cnp.log(_float(a)), axis=axis, ddof=ddof, nan_policy=nan_policy)


# ---- circular statistics -------------------------------------------------------------------------
def _resultant(samples, high, low, axis):
    """(mean sin, mean cos) of the samples as angles on [low, high)."""
    samples, axis, flat = _data(_float(samples), axis)
    ang = (samples - low) * (_TWO_PI / (high - low))
    return (cnp.mean(cnp.sin(ang), axis=axis, keepdims=True),
            cnp.mean(cnp.cos(ang), axis=axis, keepdims=True), axis, flat)


@export(namespace=STATS)
def circmean(samples, high=2 * np.pi, low=0, axis=None, nan_policy="propagate", *,
             keepdims=False):
    """The mean direction of angles in [low, high), in [low, high).

    >>> round(float(circmean(np.array([0.1, 2 * np.pi - 0.1]))), 12)
    0.0
    """
    _propagate("circmean", nan_policy)
    s, c, axis, flat = _resultant(samples, high, low, axis)
    angle = cnp.arctan2(s, c)
    angle = cnp.where(angle < 0, angle + _TWO_PI, angle)
    out = angle * ((high - low) / _TWO_PI) + low
    return _finish(cnp.where(out == high, low, out), axis, keepdims, flat)


@export(namespace=STATS)
def circvar(samples, high=2 * np.pi, low=0, axis=None, nan_policy="propagate", *,
            keepdims=False):
    """The circular variance 1 − R, R the mean resultant length.

    >>> round(float(circvar(np.array([0.0, np.pi]))), 12)
    1.0
    """
    _propagate("circvar", nan_policy)
    s, c, axis, flat = _resultant(samples, high, low, axis)
    return _finish(1.0 - cnp.minimum(1.0, cnp.hypot(s, c)), axis, keepdims, flat)


@export(namespace=STATS)
def circstd(samples, high=2 * np.pi, low=0, axis=None, nan_policy="propagate", *,
            normalize=False, keepdims=False):
    """The circular standard deviation √(−2 log R) (in the units of [low, high) unless
    ``normalize``).

    >>> round(float(circstd(np.array([0.1, 0.3]))), 6)
    0.100084
    """
    _propagate("circstd", nan_policy)
    s, c, axis, flat = _resultant(samples, high, low, axis)
    v = -2.0 * cnp.log(cnp.minimum(1.0, cnp.hypot(s, c)))
    # at R = 1 (one sample, or equal ones) the derivative of √v is 0·∞: it is 0 there, as
    # numpy.std's at equal samples (one sample: circstd is 0 whatever its value)
    zero = v == 0   # (nan stays nan)
    out = cnp.where(zero, 0.0, cnp.sqrt(cnp.where(zero, 1.0, v)))
    if not normalize:
        out = out * ((high - low) / _TWO_PI)
    return _finish(out, axis, keepdims, flat)


# ---- Fisher's k-statistics -------------------------------------------------------------------------
def _kstat(data, n, axis):
    if n not in (1, 2, 3, 4):
        raise ValueError("kstat: n must be 1, 2, 3 or 4")
    data, axis, flat = _data(_float(data), axis)
    N = float(shape(data)[axis])
    S = [None] + [cnp.sum(data ** k, axis=axis, keepdims=True) for k in range(1, n + 1)]
    if n == 1:
        out = S[1] / N
    elif n == 2:
        out = (N * S[2] - S[1] ** 2) / (N * (N - 1.0))
    elif n == 3:
        out = (2 * S[1] ** 3 - 3 * N * S[1] * S[2] + N * N * S[3]) / (N * (N - 1.0) * (N - 2.0))
    else:
        out = ((-6 * S[1] ** 4 + 12 * N * S[1] ** 2 * S[2] - 3 * N * (N - 1.0) * S[2] ** 2
                - 4 * N * (N + 1) * S[1] * S[3] + N * N * (N + 1) * S[4])
               / (N * (N - 1.0) * (N - 2.0) * (N - 3.0)))
    return out, axis, flat, N


@export(namespace=STATS)
def kstat(data, n=2, *, axis=None, nan_policy="propagate", keepdims=False):
    """The n-th k-statistic (1 ≤ n ≤ 4), the unbiased estimator of the n-th cumulant.

    >>> float(kstat(np.array([1.0, 2.0, 4.0]), 2))    # the sample variance
    2.3333333333333335
    """
    _propagate("kstat", nan_policy)
    out, axis, flat, _ = _kstat(data, n, axis)
    return _finish(out, axis, keepdims, flat)


@export(namespace=STATS)
def kstatvar(data, n=2, *, axis=None, nan_policy="propagate", keepdims=False):
    """An unbiased estimator of the variance of the k-statistic (n = 1 or 2).

    >>> round(float(kstatvar(np.array([1.0, 2.0, 4.0, 8.0]), 1)), 6)
    2.395833
    """
    _propagate("kstatvar", nan_policy)
    if n == 1:
        k2, axis, flat, N = _kstat(data, 2, axis)
        return _finish(k2 / N, axis, keepdims, flat)
    if n == 2:
        k2, axis, flat, N = _kstat(data, 2, axis)
        k4 = _kstat(data, 4, None if flat is not None else axis)[0]
        return _finish((2 * N * k2 * k2 + (N - 1) * k4) / (N * (N + 1)), axis, keepdims, flat)
    raise ValueError("kstatvar: n must be 1 or 2")
