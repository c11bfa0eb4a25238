"""Estimators of ``scipy.stats`` from data, differentiable in it: L-moments (``lmoment``),
``differential_entropy``, the probability plot (``probplot``), the Box-Cox and Yeo-Johnson
parameters that best normalise the data (``boxcox_normmax``, ``yeojohnson_normmax``, by the
implicit function theorem at SciPy's optimum; ``ppcc_max`` alike, and the plots
``boxcox_normplot``, ``yeojohnson_normplot``, ``ppcc_plot``), Theil and Sen's and Siegel's
slopes (``theilslopes``, ``siegelslopes``), histograms of cumulative and relative
frequencies (``cumfreq``, ``relfreq``: their counts are piecewise constant, their limits and
bin width follow the data's extremes), binned statistics (``binned_statistic``, ``_2d``,
``_dd``), ``quantile``, ``bayes_mvs`` and ``mvsdist``, and SciPy's resampling with a
statistic written with chainrule (``bootstrap``, ``permutation_test``, ``monte_carlo_test``:
SciPy's draws, the statistic's derivative through them).

As elsewhere in ``chainrule.scipy.stats``, plain inputs give SciPy's own results; traced ones
are computed with ``chainrule.numpy`` (SciPy's values to rounding) in named tuples with
SciPy's class names and fields.

>>> import numpy as np, chainrule as cr
>>> x = np.array([0.3, 1.2, 2.0, 2.9, 4.4, 7.0])
>>> [round(float(v), 6) for v in lmoment(x)]
[2.966667, 1.466667, 0.256818, 0.170455]
>>> cr.grad(lambda x: lmoment(x, 1))(x).round(6)   # the mean's gradient
array([0.166667, 0.166667, 0.166667, 0.166667, 0.166667, 0.166667])
"""

import math
import warnings

import numpy as np

from ..core.primitive import Primitive
from ..core.registry import STATS
from ..primitives.declare import export, declare
from ..primitives.scipy_linalg import loop_batch
from ..primitives.util import numpy_scalar, shape, ndim
from ..transforms.differentiate import stop_gradient, grad
from .. import numpy as cnp
from . import special as csp
from .implicit import solution_p
from .summary import _propagate, _float, linregress
from .normality import boxcox_llf, yeojohnson_llf
from .stattests import (traced, result_type, scipy_fields, DISTRIBUTIONS, stand_in,
                        nan_where_nan)

__all__ = ["EmpiricalDistributionFunction"]


def _scipy_stats():
    import scipy.stats
    return scipy.stats


def _scipy_special():
    import scipy.special
    return scipy.special


# ---- L-moments and entropy ----------------------------------------------------------------------
@export(namespace=STATS)
def lmoment(sample, order=None, *, axis=0, sorted=False, standardize=True,
            nan_policy="propagate", keepdims=False):
    """The sample L-moments of the given orders (1 to 4 by default; the third and later
    divided by the second with ``standardize``): linear in the sorted data (probability
    weighted moments), differentiable in it.

    >>> round(float(lmoment(np.array([1.0, 2.0, 4.0]), 2)), 6)
    1.0
    """
    if not traced(sample):
        return _scipy_stats().lmoment(sample, order, axis=axis, sorted=sorted,
                                      standardize=standardize, nan_policy=nan_policy,
                                      keepdims=keepdims)
    _propagate("lmoment", nan_policy)
    if keepdims:
        raise NotImplementedError("lmoment: keepdims=True is not supported on traced data")
    orders = np.arange(1, 5) if order is None else np.asarray(order)
    if (orders.dtype.kind not in "iu" or np.any(orders <= 0) or orders.size == 0
            or orders.ndim > 1):
        raise ValueError("`order` must be a scalar or a non-empty array of positive integers.")
    x = cnp.moveaxis(_float(sample), int(axis), -1)
    if not sorted:
        x = cnp.sort(x, axis=-1)
    n = shape(x)[-1]
    binom = _scipy_special().binom
    k = np.arange(int(orders.max()), dtype=np.float64)
    prk = (-1.0) ** (k[:, None] - k) * binom(k[:, None], k) * binom(k[:, None] + k, k)
    j = np.arange(n, dtype=np.float64)
    weights = binom(j, k[:, None]) / binom(n - 1.0, k)[:, None] / n   # (moments, n)
    if n < k.size:   # SciPy's zeros past the sample size (then its nan)
        weights[n:] = 0.0
    bk = cnp.matmul(x, weights.T)                                        # (..., moments)
    lmoms = cnp.matmul(bk, prk.T)                                       # (..., moments)
    if standardize and k.size > 2:
        lmoms = cnp.concatenate([lmoms[..., :2], lmoms[..., 2:] / lmoms[..., 1:2]], axis=-1)
    if n < k.size:
        lmoms = cnp.where(np.arange(k.size) >= n, np.nan, lmoms)
    out = cnp.moveaxis(lmoms, -1, 0)
    return numpy_scalar(out[orders - 1] if orders.ndim else out[int(orders) - 1])


def _pad(x, m):
    edge = shape(x)[:-1] + (m,)
    return cnp.concatenate([cnp.broadcast_to(x[..., :1], edge), x,
                            cnp.broadcast_to(x[..., -1:], edge)], axis=-1)


def _entropy_vasicek(x, m):
    n = shape(x)[-1]
    p = _pad(x, m)
    return cnp.mean(cnp.log(n / (2 * m) * (p[..., 2 * m:] - p[..., :-2 * m])), axis=-1)


def _entropy_van_es(x, m):
    n = shape(x)[-1]
    term1 = 1 / (n - m) * cnp.sum(cnp.log((n + 1) / m * (x[..., m:] - x[..., :-m])), axis=-1)
    return term1 + float(np.sum(1.0 / np.arange(m, n + 1))) + np.log(m) - np.log(n + 1)


def _entropy_ebrahimi(x, m):
    n = shape(x)[-1]
    p = _pad(x, m)
    i = np.arange(1, n + 1, dtype=np.float64)
    ci = np.where(i <= m, 1 + (i - 1) / m, 2.0)
    ci = np.where(i >= n - m + 1, 1 + (n - i) / m, ci)
    return cnp.mean(cnp.log(n * (p[..., 2 * m:] - p[..., :-2 * m]) / (ci * m)), axis=-1)


def _entropy_correa(x, m):
    n = shape(x)[-1]
    p = _pad(x, m)
    dj = np.arange(-m, m + 1)[:, None]
    j0 = np.arange(1, n + 1) + dj + m - 1
    window = cnp.take(p, j0, axis=-1)                                 # (..., 2m + 1, n)
    diff = window - cnp.mean(window, axis=-2, keepdims=True)
    num = cnp.sum(diff * dj, axis=-2)
    den = n * cnp.sum(diff ** 2, axis=-2)
    return -cnp.mean(cnp.log(num / den), axis=-1)


_ENTROPY = {"vasicek": _entropy_vasicek, "van es": _entropy_van_es,
            "ebrahimi": _entropy_ebrahimi, "correa": _entropy_correa}


@export(namespace=STATS)
def differential_entropy(values, *, window_length=None, base=None, axis=0, method="auto",
                         nan_policy="propagate", keepdims=False):
    """The differential entropy of a continuous distribution estimated from a sample
    (Vasicek's, van Es's, Ebrahimi's or Correa's spacings of the sorted data),
    differentiable in the sample.

    >>> round(float(differential_entropy(np.array([0.3, 1.2, 2.0, 2.9, 4.4, 7.0]))), 6)
    2.286928
    """
    if not traced(values):
        return _scipy_stats().differential_entropy(
            values, window_length=window_length, base=base, axis=axis, method=method,
            nan_policy=nan_policy, keepdims=keepdims)
    _propagate("differential_entropy", nan_policy)
    if keepdims:
        raise NotImplementedError("differential_entropy: keepdims=True is not supported on "
                                  "traced data")
    x = cnp.moveaxis(_float(values), int(axis), -1)
    n = shape(x)[-1]
    m = int(np.floor(np.sqrt(n) + 0.5)) if window_length is None else window_length
    if not 2 <= 2 * m < n:   # (SciPy's nan for a too small sample, or its error)
        return stand_in("differential_entropy", np.zeros(shape(x)), window_length=window_length,
                        base=base, axis=-1, method=method)
    if base is not None and base <= 0:
        raise ValueError("`base` must be a positive number or `None`.")
    method = method.lower()
    if method not in (*_ENTROPY, "auto"):
        raise ValueError(f"`method` must be one of {set((*_ENTROPY, 'auto'))}")
    if method == "auto":
        method = "van es" if n <= 10 else "ebrahimi" if n <= 1000 else "vasicek"
    res = _ENTROPY[method](cnp.sort(x, axis=-1), m)
    if base is not None:
        res = res / float(np.log(base))
    return numpy_scalar(cnp.astype(res, cnp.result_type(x)))


# ---- probability plots and the parameters that normalise -----------------------------------------
def _order_statistic_medians(n):
    """Filliben's estimate of the uniform order statistic medians (SciPy's)."""
    v = np.empty(n, dtype=np.float64)
    v[-1] = 0.5 ** (1.0 / n)
    v[0] = 1 - v[-1]
    i = np.arange(2, n)
    v[1:-1] = (i - 0.3175) / (n + 0.365)
    return v


def _theoretical_quantiles(n, dist, sparams, fname):
    u = _order_statistic_medians(n)
    if isinstance(dist, str):
        d = DISTRIBUTIONS.get(dist)
        if d is None or not hasattr(d, "ppf"):
            if traced(sparams):
                raise NotImplementedError(f"{fname}: chainrule has no {dist!r}.ppf, so no "
                                          f"derivative in sparams; pass plain sparams")
            return getattr(_scipy_stats(), dist).ppf(u, *sparams)
        return d.ppf(u, *sparams)
    if traced(sparams):
        raise NotImplementedError(f"{fname}: a distribution object's ppf has no derivative "
                                  f"in sparams; pass dist by name")
    return dist.ppf(u, *sparams)


@export(namespace=STATS)
def probplot(x, sparams=(), dist="norm", fit=True, plot=None, rvalue=False):
    """The probability plot: the theoretical quantiles of ``dist`` (at Filliben's order
    statistic medians) against the sorted data, and the least-squares line and correlation
    through them; differentiable in the data and (for a distribution of
    ``chainrule.scipy.stats`` given by name) in ``sparams``.

    >>> (osm, osr), (slope, intercept, r) = probplot(np.array([0.3, 1.2, 2.0, 2.9, 4.4]))
    >>> round(float(slope), 6), round(float(r), 6)
    (1.805535, 0.993778)
    """
    if not traced(x, sparams):
        return _scipy_stats().probplot(x, sparams, dist, fit, plot, rvalue)
    if plot is not None:
        raise NotImplementedError("probplot: plot= draws on a figure; plot the values it "
                                  "returns")
    x = cnp.ravel(_float(x))
    n = shape(x)[0]
    if n == 0:
        return ((x, x), (np.nan, np.nan, 0.0)) if fit else (x, x)
    if sparams is None:
        sparams = ()
    if not isinstance(sparams, (tuple, list)):
        sparams = (sparams,)
    osm = _theoretical_quantiles(n, dist, tuple(sparams), "probplot")
    osr = cnp.sort(x)
    if not fit:
        return osm, osr
    res = linregress(osm, osr)
    return (osm, osr), (res.slope, res.intercept, res.rvalue)


def _pearson(a, b):
    a = a - cnp.mean(a)
    b = b - cnp.mean(b)
    return cnp.sum(a * b) / cnp.sqrt(cnp.sum(a * a) * cnp.sum(b * b))


def _boxcox_r_slope(lmbda, xvals, data):
    """d/dλ of the probability plot's correlation of boxcox(data, λ): zero at its maximum."""
    return grad(lambda l: _pearson(xvals, cnp.sort(csp.boxcox(data, l))))(lmbda)


def _normmax_solve(fname, kw, residual):
    """SciPy's optimum, polished by Newton's method on the exact first-order condition
    ``residual`` (Brent's method locates it to about √ε only: the derivative returned is
    that of the optimum, so the value is too)."""
    def solve(lmbda0, data):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            lam = np.float64(getattr(_scipy_stats(), fname)(np.asarray(data), **kw))
        for w in caught:
            if "constrained optimum" in str(w.message):
                raise NotImplementedError(
                    f"{fname}: SciPy returned the λ constrained by ymax (the transformed data "
                    f"would overflow), which is no optimum; chainrule differentiates the "
                    f"optimum only")
            warnings.warn(w.message, w.category, stacklevel=2)
        return _newton(lam, np.asarray(data), residual)
    return solve


def _newton(lam, data, residual):
    """A few Newton steps on ``residual`` from SciPy's optimum ``lam`` (Brent's method locates
    it to about √ε): the derivative returned is the optimum's, so the value is too."""
    for _ in range(4):
        if not np.isfinite(lam):
            break
        r = float(residual(lam, lam, data))
        dr = float(grad(lambda m: residual(m, m, data))(lam))
        step = r / dr if dr != 0 else 0.0
        if not np.isfinite(step) or abs(step) > 1e-4 * max(1.0, abs(lam)):
            break   # (not near an optimum after all: keep SciPy's value)
        lam = lam - step
        if abs(step) <= 4 * np.finfo(float).eps * max(1.0, abs(lam)):
            break
    return lam


def _polished(solve, residual):
    return lambda s0, data: _newton(solve(s0, data), np.asarray(data), residual)


@export(namespace=STATS)
def boxcox_normmax(x, brack=None, method="pearsonr", optimizer=None, *, ymax=None):
    """The Box-Cox λ that makes the data most normal: SciPy's optimum ('pearsonr': of the
    probability plot's correlation; 'mle': of :func:`boxcox_llf`), differentiable in the
    data by the implicit function theorem (the objective's λ-derivative is zero there). On
    traced data SciPy's optimum is polished by Newton's method on that condition (it moves
    within SciPy's tolerance, about √ε), so that the derivative is the value's.

    >>> round(float(boxcox_normmax(np.array([0.3, 1.2, 2.0, 2.9, 4.4, 7.0]), method="mle")), 4)
    0.3756
    """
    kw = dict(brack=brack, method=method, optimizer=optimizer)
    if ymax is not None:
        kw["ymax"] = ymax
    if not traced(x):
        return _scipy_stats().boxcox_normmax(x, **kw)
    if method not in ("pearsonr", "mle", "all"):
        raise ValueError(f"Method {method} not recognized.")
    data = cnp.ravel(_float(x))
    if method == "all":
        return cnp.stack([boxcox_normmax(data, brack, "pearsonr", optimizer, ymax=ymax),
                          boxcox_normmax(data, brack, "mle", optimizer, ymax=ymax)])
    if method == "mle":
        residual = lambda l, l0, d: grad(lambda m: boxcox_llf(m, d))(l)  # noqa: E731
    else:
        xvals = _scipy_stats().norm.ppf(_order_statistic_medians(shape(data)[0]))
        residual = lambda l, l0, d: _boxcox_r_slope(l, xvals, d)  # noqa: E731
    return numpy_scalar(solution_p(np.float64(0.0), data,
                                   solve=_normmax_solve("boxcox_normmax", kw, residual),
                                   residual=residual))


@export(namespace=STATS)
def yeojohnson_normmax(x, brack=None):
    """The Yeo-Johnson λ that maximises :func:`yeojohnson_llf`: SciPy's optimum,
    differentiable in the data by the implicit function theorem (on traced data polished
    as :func:`boxcox_normmax`'s).

    >>> round(float(yeojohnson_normmax(np.array([-1.0, 0.3, 1.2, 2.0, 2.9, 7.0]))), 4)
    0.4905
    """
    if not traced(x):
        return _scipy_stats().yeojohnson_normmax(x, brack)
    data = cnp.ravel(_float(x))
    residual = lambda l, l0, d: grad(lambda m: yeojohnson_llf(m, d))(l)  # noqa: E731
    return numpy_scalar(solution_p(
        np.float64(0.0), data,
        solve=_normmax_solve("yeojohnson_normmax", dict(brack=brack), residual),
        residual=residual))


# ---- Theil-Sen slope -----------------------------------------------------------------------------
def _theil_ranks_impl(x, y, alpha):
    """SciPy's indices of the median and confidence limits among the sorted slopes (counts of
    pairs and ties: no derivative)."""
    res = _scipy_stats().theilslopes(np.asarray(y), np.asarray(x), alpha)
    deltax = np.asarray(x)[:, None] - np.asarray(x)
    deltay = np.asarray(y)[:, None] - np.asarray(y)
    slopes = np.sort(deltay[deltax > 0] / deltax[deltax > 0])
    nt = slopes.size
    low = np.flatnonzero(slopes == res.low_slope)
    high = np.flatnonzero(slopes == res.high_slope)
    return np.array([nt, low[0] if low.size else -1, high[-1] if high.size else -1],
                    dtype=np.int64)


_theil_ranks = Primitive("theilslopes_ranks", _theil_ranks_impl)
declare(_theil_ranks, jvp=None, vjp=None, batch=loop_batch(_theil_ranks), names=())


def _at(v, i):
    return cnp.take_along_axis(v, cnp.reshape(i, (1,)), axis=0)[0]


@export(namespace=STATS)
def theilslopes(y, x=None, alpha=0.95, method="separate"):
    """Theil and Sen's robust line: the median of the pairwise slopes, an intercept, and
    the slopes' confidence limits (order statistics of the slopes, as SciPy chooses them);
    differentiable in y and x (the order of the slopes carries no derivative).

    >>> res = theilslopes(np.array([0.1, 0.9, 2.2, 2.8, 4.1]))
    >>> round(float(res.slope), 6), round(float(res.intercept), 6)
    (0.975, 0.25)
    """
    if not traced(y, x):
        return _scipy_stats().theilslopes(y, x, alpha, method)
    if method not in ("joint", "separate"):
        raise ValueError(f"method must be either 'joint' or 'separate'.'{method}' is invalid.")
    y = cnp.ravel(_float(y))
    x = np.arange(shape(y)[0], dtype=float) if x is None else cnp.ravel(_float(x))
    if shape(x) != shape(y):
        raise ValueError("Array shapes are incompatible for broadcasting.")
    if shape(y)[0] < 2:   # (SciPy's nan)
        return stand_in("theilslopes", np.zeros(shape(y)), None, alpha, method)
    dx = x[:, None] - x
    dy = y[:, None] - y
    valid = dx > 0
    slopes = cnp.ravel(cnp.where(valid, dy / cnp.where(valid, dx, 1.0), np.inf))
    slopes = cnp.take_along_axis(slopes, cnp.argsort(stop_gradient(slopes)), axis=0)
    ranks = _theil_ranks(x, y, alpha=alpha)
    nt = ranks[0]
    med = 0.5 * (_at(slopes, (nt - 1) // 2) + _at(slopes, nt // 2))
    if method == "joint":
        inter = cnp.median(y - med * x)
    else:
        inter = cnp.median(y) - med * cnp.median(x)
    low = cnp.where(ranks[1] >= 0, _at(slopes, cnp.maximum(ranks[1], 0)), np.nan)
    high = cnp.where(ranks[2] >= 0, _at(slopes, cnp.maximum(ranks[2], 0)), np.nan)
    med, inter, low, high = (nan_where_nan(v, x, y) for v in (med, inter, low, high))
    return result_type("TheilslopesResult", ("slope", "intercept", "low_slope", "high_slope"))(
        numpy_scalar(med), numpy_scalar(inter), numpy_scalar(low), numpy_scalar(high))


# ---- cumulative and relative frequencies ---------------------------------------------------------
def _histogram_fields(fname, a, numbins, defaultreallimits, weights, count_field):
    a = cnp.ravel(_float(a))
    kw = dict(numbins=numbins, defaultreallimits=defaultreallimits)
    args = (a,) if weights is None else (a, weights)
    if weights is not None and traced(weights):
        raise NotImplementedError(f"{fname}: traced weights are not supported (the counts' "
                                  f"derivative in them); pass plain weights")
    if weights is not None:
        kw["weights"] = np.asarray(weights)
        args = (a,)
    counts, extra = scipy_fields(fname, args, (count_field, "extrapoints"), kw)
    if defaultreallimits is None and shape(a)[0] == 0:   # (SciPy's range for no data)
        defaultreallimits = (0, 1)
    if defaultreallimits is None:
        lo, hi = cnp.min(a), cnp.max(a)
        s = (hi - lo) / (2.0 * (numbins - 1.0))
        # (NumPy's histogram widens an empty range to one unit: constant data)
        lower, size = lo - s, cnp.where(hi == lo, 1.0 / numbins, (hi - lo + 2.0 * s) / numbins)
    else:
        lower = np.float64(defaultreallimits[0])
        size = np.float64((defaultreallimits[1] - defaultreallimits[0]) / numbins)
    return counts, numpy_scalar(lower), numpy_scalar(size), int(np.asarray(extra)) \
        if not traced(extra) else extra


@export(namespace=STATS)
def cumfreq(a, numbins=10, defaultreallimits=None, weights=None):
    """The cumulative histogram: SciPy's counts (a zero derivative), the lower limit and bin
    width (which follow the data's smallest and largest values).

    >>> res = cumfreq(np.array([1.0, 4.0, 2.0, 1.0, 3.0, 1.0]), numbins=4)
    >>> res.cumcount, round(float(res.lowerlimit), 6), round(float(res.binsize), 6)
    (array([3., 4., 5., 6.]), 0.5, 1.0)
    """
    if not traced(a):
        return _scipy_stats().cumfreq(a, numbins, defaultreallimits, weights)
    return result_type("CumfreqResult", ("cumcount", "lowerlimit", "binsize", "extrapoints"))(
        *_histogram_fields("cumfreq", a, numbins, defaultreallimits, weights, "cumcount"))


@export(namespace=STATS)
def relfreq(a, numbins=10, defaultreallimits=None, weights=None):
    """The relative frequency histogram: SciPy's frequencies (a zero derivative), the lower
    limit and bin width (which follow the data's smallest and largest values).

    >>> res = relfreq(np.array([2.0, 4.0, 1.0, 2.0, 3.0, 2.0]), numbins=4)
    >>> res.frequency.round(6), round(float(res.binsize), 6)
    (array([0.166667, 0.5     , 0.166667, 0.166667]), 1.0)
    """
    if not traced(a):
        return _scipy_stats().relfreq(a, numbins, defaultreallimits, weights)
    return result_type("RelfreqResult", ("frequency", "lowerlimit", "binsize", "extrapoints"))(
        *_histogram_fields("relfreq", a, numbins, defaultreallimits, weights, "frequency"))


# ---- binned statistics ---------------------------------------------------------------------------
def _binnumber_impl(sample, bins, range, expand):
    res = _scipy_stats().binned_statistic_dd(np.asarray(sample), None, "count", bins=bins,
                                             range=range, expand_binnumbers=expand)
    return np.asarray(res.binnumber)


_binnumber = Primitive("binned_statistic_binnumber", _binnumber_impl)
declare(_binnumber, jvp=None, vjp=None, batch=loop_batch(_binnumber), names=())


def _linspace(start, stop, num):
    """NumPy's linspace, written out: its values, differentiable in the ends."""
    step = (stop - start) / (num - 1)
    body = np.arange(num - 1, dtype=np.float64) * step + start
    return cnp.concatenate([body, cnp.reshape(stop, (1,))])


def _hashable(v):
    if v is None or isinstance(v, (int, float, np.integer, np.floating)):
        return v
    return tuple(_hashable(u) for u in v)


def _edges(sample, bins, range):
    ndim_ = shape(sample)[1]
    edges = []
    for i in builtins_range(ndim_):
        b = bins[i]
        if np.ndim(b) == 0:
            if range is not None and range[i] is not None:
                lo, hi = np.float64(range[i][0]), np.float64(range[i][1])
            else:
                lo, hi = cnp.min(sample[:, i]), cnp.max(sample[:, i])
            same = stop_gradient(lo) == stop_gradient(hi)
            lo, hi = cnp.where(same, lo - 0.5, lo), cnp.where(same, hi + 0.5, hi)
            edges.append(_linspace(lo, hi, int(b) + 1))
        else:
            edges.append(np.asarray(b, dtype=np.float64))
    return edges


builtins_range = range


def _stat_per_bin(statistic, vals, binnumber, total):
    """(Vdim, total) statistics of vals (Vdim, N) in each of ``total`` bins."""
    onehot = binnumber[:, None] == np.arange(total)                      # (N, total)
    counts = cnp.sum(cnp.astype(onehot, np.float64), axis=0)
    if statistic == "count":
        return cnp.broadcast_to(counts, (shape(vals)[0], total))
    # (a value's nan stays in its own bin, as SciPy's bincount keeps it)
    sums = cnp.sum(cnp.where(onehot[None], vals[:, :, None], 0.0), axis=1)
    if statistic == "sum":
        return sums
    safe = cnp.where(counts > 0, counts, 1.0)
    empty = counts == 0
    if statistic == "mean":
        return cnp.where(empty, np.nan, sums / safe)
    if statistic == "std":
        mean_of = cnp.take_along_axis(sums / safe, cnp.broadcast_to(binnumber, shape(vals)),
                                      axis=1)
        delta = vals - mean_of
        var = cnp.sum(cnp.where(onehot[None], (delta * delta)[:, :, None], 0.0), axis=1) / safe
        return cnp.where(empty, np.nan, cnp.sqrt(cnp.where(empty, 0.0, var)))
    # min, max, median: each bin's values sorted (the others pushed past them by inf)
    fill = -np.inf if statistic == "max" else np.inf
    masked = cnp.where(onehot[None], vals[:, :, None], fill)                # (V, N, total)
    if statistic == "min":
        return cnp.where(empty, np.nan, cnp.min(masked, axis=1))
    if statistic == "max":
        return cnp.where(empty, np.nan, cnp.max(masked, axis=1))
    ordered = cnp.sort(masked, axis=1)
    c = cnp.astype(cnp.where(empty, 1.0, counts), np.int64)
    lo_i = cnp.broadcast_to(((c - 1) // 2)[None, None, :], (shape(vals)[0], 1, total))
    hi_i = cnp.broadcast_to((c // 2)[None, None, :], (shape(vals)[0], 1, total))
    med = 0.5 * (cnp.take_along_axis(ordered, lo_i, axis=1)
                 + cnp.take_along_axis(ordered, hi_i, axis=1))[:, 0, :]
    return cnp.where(empty, np.nan, med)


def _callable_per_bin(statistic, vals, binnumber, total):
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        try:
            null = statistic([])
        except Exception:
            null = np.nan
    rows = []
    for v in builtins_range(shape(vals)[0]):
        row = []
        for b in builtins_range(total):
            inside = binnumber == b
            row.append(statistic(vals[v][inside]) if bool(cnp.any(inside)) else null)
        rows.append(cnp.stack([cnp.asarray(r, dtype=np.float64) for r in row]))
    return cnp.stack(rows)


def _binned_dd(sample, values, statistic, bins, range, expand_binnumbers):
    known = ("mean", "median", "count", "sum", "std", "min", "max")
    if not callable(statistic) and statistic not in known:
        raise ValueError(f"invalid statistic {statistic!r}")
    if isinstance(sample, (list, tuple)):
        sample = cnp.stack([cnp.ravel(_float(s)) for s in sample], axis=1)
    else:
        sample = _float(sample)
        if ndim(sample) == 1:
            sample = sample[:, None]
    n, d = shape(sample)
    values = _float(values) if values is not None else cnp.zeros(n)
    vshape = shape(values)
    vals = cnp.reshape(values, (-1, vshape[-1])) if len(vshape) > 1 else values[None]
    if np.ndim(bins) == 0 or (not isinstance(bins, np.ndarray) and len(bins) != d):
        bins = d * [bins]
    if len(bins) != d:
        raise AttributeError("The dimension of bins must be equal to the dimension of the "
                             "sample x.")
    bins, range = _hashable(bins), _hashable(range)
    edges = _edges(sample, bins, range)
    nbin = np.array([shape(e)[0] + 1 for e in edges])
    total = int(nbin.prod())
    binnumber = _binnumber(sample, bins=bins, range=range, expand=False)
    if callable(statistic):
        stat = _callable_per_bin(statistic, vals, binnumber, total)
    else:
        stat = _stat_per_bin(statistic, vals, binnumber, total)
    stat = cnp.reshape(stat, (shape(vals)[0], *nbin.tolist()))
    stat = stat[(slice(None),) + d * (slice(1, -1),)]
    stat = cnp.reshape(stat, tuple(vshape[:-1]) + tuple((nbin - 2).tolist()))
    if expand_binnumbers and d > 1:
        binnumber = _binnumber(sample, bins=bins, range=range, expand=True)
    return stat, edges, binnumber


@export(namespace=STATS)
def binned_statistic_dd(sample, values, statistic="mean", bins=10, range=None,
                        expand_binnumbers=False, binned_statistic_result=None):
    """A statistic ('mean', 'sum', 'std', 'median', 'min', 'max', 'count' or a function of
    a bin's values written with chainrule) of the values in each bin of a D-dimensional
    histogram of ``sample``: differentiable in the values; the bin numbers are SciPy's
    (no derivative), the edges follow the sample's extremes when ``bins`` counts bins.

    >>> res = binned_statistic_dd(np.array([[0.1, 0.2], [0.8, 0.9], [0.7, 0.1]]),
    ...                           np.array([1.0, 2.0, 4.0]), "sum", bins=2)
    >>> res.statistic
    array([[1., 0.],
           [4., 2.]])
    """
    if not traced(sample, values):
        return _scipy_stats().binned_statistic_dd(sample, values, statistic, bins, range,
                                                  expand_binnumbers, binned_statistic_result)
    if binned_statistic_result is not None:
        raise NotImplementedError("binned_statistic_dd: binned_statistic_result= is not "
                                  "supported on traced data")
    stat, edges, binnumber = _binned_dd(sample, values, statistic, bins, range,
                                        expand_binnumbers)
    return result_type("BinnedStatisticddResult", ("statistic", "bin_edges", "binnumber"))(
        stat, edges, binnumber)


@export(namespace=STATS)
def binned_statistic(x, values, statistic="mean", bins=10, range=None):
    """A statistic of the values in each bin of x (see :func:`binned_statistic_dd`):
    differentiable in the values, and the edges in x's extremes.

    >>> res = binned_statistic(np.array([0.1, 0.4, 0.5, 0.9]), np.array([1.0, 2.0, 3.0, 5.0]),
    ...                        bins=2)
    >>> res.statistic, res.bin_edges
    (array([1.5, 4. ]), array([0.1, 0.5, 0.9]))
    """
    if not traced(x, values):
        return _scipy_stats().binned_statistic(x, values, statistic, bins, range)
    if np.ndim(bins) != 0:
        bins = [np.asarray(bins, float)]
    if range is not None and len(range) == 2:
        range = [range]
    stat, edges, binnumber = _binned_dd([x], values, statistic, bins, range, False)
    return result_type("BinnedStatisticResult", ("statistic", "bin_edges", "binnumber"))(
        stat, edges[0], binnumber)


@export(namespace=STATS)
def binned_statistic_2d(x, y, values, statistic="mean", bins=10, range=None,
                        expand_binnumbers=False):
    """A statistic of the values in each bin of a two-dimensional histogram of (x, y) (see
    :func:`binned_statistic_dd`): differentiable in the values, and the edges in the
    coordinates' extremes.

    >>> res = binned_statistic_2d(np.array([0.1, 0.9, 0.8]), np.array([0.2, 0.9, 0.1]),
    ...                           np.array([1.0, 2.0, 4.0]), "max", bins=2)
    >>> res.statistic
    array([[ 1., nan],
           [ 4.,  2.]])
    """
    if not traced(x, y, values):
        return _scipy_stats().binned_statistic_2d(x, y, values, statistic, bins, range,
                                                  expand_binnumbers)
    if np.ndim(bins) != 0 and len(bins) not in (1, 2):
        edges = np.asarray(bins, float)
        bins = [edges, edges]
    stat, edges, binnumber = _binned_dd([x, y], values, statistic, bins, range,
                                        expand_binnumbers)
    return result_type("BinnedStatistic2dResult",
                       ("statistic", "x_edge", "y_edge", "binnumber"))(
        stat, edges[0], edges[1], binnumber)


# ---- Siegel's repeated medians -------------------------------------------------------------------
def _row_medians(values, valid):
    """NumPy's median of each row's valid entries (nan for none): the others sorted past
    them, the middle one or two picked by their count."""
    ordered = cnp.sort(cnp.where(valid, values, np.inf), axis=-1)
    count = cnp.sum(cnp.astype(valid, np.int64), axis=-1)
    c = cnp.maximum(count, 1)
    lo = cnp.take_along_axis(ordered, ((c - 1) // 2)[:, None], axis=-1)[:, 0]
    hi = cnp.take_along_axis(ordered, (c // 2)[:, None], axis=-1)[:, 0]
    return cnp.where(count > 0, (lo + hi) / 2, np.nan)


@export(namespace=STATS)
def siegelslopes(y, x=None, method="hierarchical"):
    """Siegel's repeated-medians line: the median over points of the median slope to the
    others, and an intercept; differentiable in y and x (which slopes are the medians
    carries no derivative).

    >>> res = siegelslopes(np.array([0.1, 0.9, 2.2, 2.8, 4.1]))
    >>> round(float(res.slope), 6), round(float(res.intercept), 6)
    (1.0, 0.1)
    """
    if not traced(y, x):
        return _scipy_stats().siegelslopes(y, x, method)
    if method not in ("hierarchical", "separate"):
        raise ValueError("method can only be 'hierarchical' or 'separate'")
    y = cnp.ravel(_float(y))
    x = np.arange(shape(y)[0], dtype=float) if x is None else cnp.ravel(_float(x))
    if shape(x) != shape(y):
        raise ValueError("Array shapes are incompatible for broadcasting.")
    if shape(y)[0] < 2:   # (SciPy's nan)
        return stand_in("siegelslopes", np.zeros(shape(y)), None, method)
    dx = x[:, None] - x
    dy = y[:, None] - y
    valid = dx != 0
    safe = cnp.where(valid, dx, 1.0)
    medslope = cnp.median(_row_medians(dy / safe, valid))
    if method == "separate":
        z = y[None, :] * x[:, None] - y[:, None] * x[None, :]
        medinter = cnp.median(_row_medians(z / safe, valid))
    else:
        medinter = cnp.median(y - medslope * x)
    return result_type("SiegelslopesResult", ("slope", "intercept"))(
        numpy_scalar(nan_where_nan(medslope, x, y)), numpy_scalar(nan_where_nan(medinter, x, y)))


# ---- scipy.stats.quantile ------------------------------------------------------------------------
_HF_METHODS = ("inverted_cdf", "averaged_inverted_cdf", "closest_observation",
               "interpolated_inverted_cdf", "hazen", "weibull", "linear", "median_unbiased",
               "normal_unbiased")


def _take(y, j):
    return cnp.take_along_axis(y, cnp.astype(stop_gradient(j), np.int64), axis=-1)


def _quantile_hf(y, p, n, method):
    m = dict(inverted_cdf=0.0, averaged_inverted_cdf=0.0, closest_observation=-0.5,
             interpolated_inverted_cdf=0.0, hazen=0.5, weibull=p, linear=1 - p,
             median_unbiased=p / 3 + 1 / 3, normal_unbiased=p / 4 + 3 / 8)[method]
    jg = p * n + m
    jp1 = cnp.floor(stop_gradient(jg))
    j = jp1 - 1
    g = jg - jp1   # (SciPy's jg % 1: its derivative in p is jg's)
    if method == "inverted_cdf":
        g = cnp.astype(stop_gradient(g) > 0, np.float64)
    elif method == "averaged_inverted_cdf":
        g = (1 + cnp.astype(stop_gradient(g) > 0, np.float64)) / 2
    elif method == "closest_observation":
        g = 1 - cnp.astype((stop_gradient(g) == 0) & (j % 2 == 1), np.float64)
    if method in ("inverted_cdf", "averaged_inverted_cdf", "closest_observation"):
        g = cnp.where(stop_gradient(jg) < 0, 0.0, g)
    g = cnp.where(j < 0, 0.0, g)
    j, jp1 = cnp.clip(j, 0.0, n - 1), cnp.clip(jp1, 0.0, n - 1)
    return (1 - g) * _take(y, j) + g * _take(y, jp1)


def _quantile_hd(y, p, n):
    pf = cnp.moveaxis(p, -1, 0)[..., None]
    i = np.arange(shape(y)[-1] + 1, dtype=np.float64)
    w = csp.betainc(pf * (n + 1), (1 - pf) * (n + 1), i / n)
    w = w[..., 1:] - w[..., :-1]
    w = cnp.where(cnp.isnan(w), 0.0, w)
    return cnp.moveaxis(cnp.sum(w * y, axis=-1), 0, -1)


@export(namespace=STATS)
def quantile(x, p, *, method="linear", axis=0, nan_policy="propagate", keepdims=None,
             weights=None):
    """The ``p``-th quantiles of the data along ``axis`` (SciPy's nine Hyndman-Fan methods,
    'harrell-davis', 'round_*' and its backward-compatible ones); differentiable in the data
    (the sorted values chosen) and, where a Hyndman-Fan method interpolates, in ``p``
    ('harrell-davis' in the data only: its weights' derivative in p, through betainc's
    parameters, has no closed form).

    >>> float(quantile(np.array([1.0, 2.0, 4.0, 7.0]), 0.5))
    3.0
    """
    if not traced(x, p, weights):
        return _scipy_stats().quantile(x, p, method=method, axis=axis, nan_policy=nan_policy,
                                       keepdims=keepdims, weights=weights)
    _propagate("quantile", nan_policy)
    if weights is not None:
        raise NotImplementedError("quantile: weights= is not supported on traced data")
    methods = set(_HF_METHODS) | {"harrell-davis", "round_outward", "round_inward",
                                  "round_nearest", "_lower", "_midpoint", "_higher",
                                  "_nearest"}
    if method not in methods:
        raise ValueError(f"`method` must be one of {methods}")
    x, p = _float(x), _float(p)
    axis_none = axis is None
    ndim_x = ndim(x)
    if axis_none:
        x, p, axis = cnp.ravel(x), cnp.ravel(p), -1
    d = max(ndim(x), ndim(p), 1)
    x = cnp.reshape(x, (1,) * (d - ndim(x)) + shape(x))
    p = cnp.reshape(p, (1,) * (d - ndim(p)) + shape(p))
    x, p = cnp.moveaxis(x, axis, -1), cnp.moveaxis(p, axis, -1)
    if shape(x)[-1] == 0:   # SciPy's nan for no data
        x = cnp.full(shape(x)[:-1] + (1,), np.nan)
    batch = np.broadcast_shapes(shape(x)[:-1], shape(p)[:-1])
    y = cnp.sort(cnp.broadcast_to(x, batch + shape(x)[-1:]), axis=-1)
    p = cnp.broadcast_to(p, batch + shape(p)[-1:])
    if keepdims is False and shape(p)[-1] != 1:
        raise ValueError("`keepdims` may be False only if the length of `p` along `axis` is 1.")
    keepdims = (shape(p)[-1] != 1) if keepdims is None else keepdims
    y = cnp.where(cnp.any(cnp.isnan(y), axis=-1, keepdims=True), np.nan, y)
    n = np.float64(shape(y)[-1])
    bad = (p > 1) | (p < 0) | cnp.isnan(p)
    p = cnp.where(bad, 0.5, p)
    if method in _HF_METHODS:
        res = _quantile_hf(y, p, n, method)
    elif method == "harrell-davis":
        res = _quantile_hd(y, p, n)
    elif method.startswith("round"):
        left, right = {"round_outward": (cnp.floor, cnp.ceil),
                       "round_inward": (cnp.ceil, cnp.floor),
                       "round_nearest": (cnp.round, cnp.round)}[method]
        ps = stop_gradient(p)
        res = _take(y, cnp.where(ps < 0.5, left(ps * n), right(n * ps - 1)))
    else:
        ij = stop_gradient(p) * (n - 1)
        if method == "_midpoint":
            res = (_take(y, cnp.floor(ij)) + _take(y, cnp.ceil(ij))) / 2
        else:
            res = _take(y, {"_lower": cnp.floor, "_higher": cnp.ceil,
                            "_nearest": cnp.round}[method](ij))
    res = cnp.where(bad, np.nan, res)
    if axis_none and keepdims:
        res = cnp.reshape(res, (1,) * (ndim_x - 1) + shape(res))
        axis = -1
    res = cnp.moveaxis(res, -1, axis)
    if not keepdims:
        res = cnp.squeeze(res, axis=axis)
    return numpy_scalar(res)


# ---- Bayesian confidence intervals of the mean, variance and standard deviation ------------------
class _Namespace:
    def __init__(self, table):
        self.__dict__.update(table)


def _mvs_parts(data):
    x = cnp.ravel(_float(data))
    n = shape(x)[0]
    if n < 2:
        raise ValueError("Need at least 2 data-points.")
    return x, n, cnp.mean(x), cnp.var(x)


@export(namespace=STATS)
def mvsdist(data):
    """The frozen distributions of the mean, variance and standard deviation given the data
    (Jeffreys' prior, as SciPy's): ``chainrule.scipy.stats`` distributions whose location
    and scale follow the data's mean and variance.

    >>> m, v, s = mvsdist(np.array([6.0, 9.0, 12.0, 7.0, 8.0, 8.0, 13.0]))
    >>> round(float(m.mean()), 6), round(float(v.mean()), 6)
    (9.0, 10.0)
    """
    if not traced(data):
        return _scipy_stats().mvsdist(data)
    dist = _Namespace(DISTRIBUTIONS)
    x, n, xbar, c = _mvs_parts(data)
    if n > 1000:   # SciPy's normal approximations for large samples
        return (dist.norm(loc=xbar, scale=cnp.sqrt(c / n)),
                dist.norm(loc=c, scale=float(np.sqrt(2.0 / n)) * c),
                dist.norm(loc=cnp.sqrt(c), scale=cnp.sqrt(c / (2.0 * n))))
    nm1 = n - 1
    fac = n * c / 2.0
    return (dist.t(nm1, loc=xbar, scale=cnp.sqrt(c / nm1)), dist.invgamma(nm1 / 2.0, scale=fac),
            dist.gengamma(nm1 / 2.0, -2, scale=cnp.sqrt(fac)))


@export(namespace=STATS)
def bayes_mvs(data, alpha=0.90):
    """Bayesian estimates and ``alpha`` credible intervals of the mean, variance and
    standard deviation (SciPy's, from :func:`mvsdist`): each a location and scale family,
    so differentiable in the data (the standardised quantiles are constants).

    >>> mean, var, std = bayes_mvs(np.array([6.0, 9.0, 12.0, 7.0, 8.0, 8.0, 13.0]))
    >>> round(float(mean.statistic), 6), [round(float(v), 6) for v in mean.minmax]
    (9.0, [7.10365, 10.89635])
    """
    if not traced(data):
        return _scipy_stats().bayes_mvs(data, alpha)
    if alpha >= 1 or alpha <= 0:
        raise ValueError(f"0 < alpha < 1 is required, but {alpha=} was given.")
    st = _scipy_stats()
    x, n, xbar, c = _mvs_parts(data)
    # each distribution is loc + scale·(a standard one): its mean and interval are too
    if n > 1000:
        parts = [(xbar, cnp.sqrt(c / n), st.norm()), (c, float(np.sqrt(2.0 / n)) * c, st.norm()),
                 (cnp.sqrt(c), cnp.sqrt(c / (2.0 * n)), st.norm())]
    else:
        nm1 = n - 1
        fac = n * c / 2.0
        parts = [(xbar, cnp.sqrt(c / nm1), st.t(nm1)), (0.0, fac, st.invgamma(nm1 / 2.0)),
                 (0.0, cnp.sqrt(fac), st.gengamma(nm1 / 2.0, -2))]
    out = []
    for name, (loc, scale, std) in zip(("Mean", "Variance", "Std_dev"), parts):
        lo, hi = std.interval(alpha)
        # (no spread, no distribution: SciPy's nan)
        fix = lambda v, scale=scale: numpy_scalar(cnp.where(scale > 0, v, np.nan))  # noqa: E731
        out.append(result_type(name, ("statistic", "minmax"))(
            fix(loc + scale * float(std.mean())),
            (fix(loc + scale * float(lo)), fix(loc + scale * float(hi)))))
    return tuple(out)


# ---- the bootstrap -------------------------------------------------------------------------------
def _resample_indices(sizes, paired, n_resamples, batch, rng, random_state):
    """The indices SciPy's bootstrap draws, batch by batch: SciPy's bootstrap run on the
    observations' indices, its statistic recording them (the draws depend on the sizes
    only, so they are those of the call with the data)."""
    recorded = []

    def record(*idx, axis=-1):
        recorded.append([np.asarray(i, dtype=np.int64) for i in idx])
        return np.zeros(np.shape(idx[0])[:-1])
    samples = [np.arange(n, dtype=np.float64) for n in sizes]
    kw = dict(n_resamples=n_resamples, batch=batch, vectorized=True, paired=paired,
              method="percentile")
    if random_state is not None:
        kw["random_state"] = random_state
    else:
        kw["rng"] = rng
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _scipy_stats().bootstrap(samples, record, **kw)
    return recorded


def _apply(statistic, vectorized, samples):
    """statistic over the last axis of the (resamples, n) samples."""
    if vectorized:
        return statistic(*samples, axis=-1)
    return cnp.stack([statistic(*[s[r] for s in samples]) for r in range(shape(samples[0])[0])])


@export(namespace=STATS)
def bootstrap(data, statistic, *, n_resamples=9999, batch=None, vectorized=None, paired=False,
              axis=0, confidence_level=0.95, alternative="two-sided", method="BCa",
              bootstrap_result=None, rng=None, random_state=None):
    """SciPy's bootstrap of a statistic written with ``chainrule.numpy`` (the same ``rng``,
    the same resamples and numbers). On traced data each resample's statistic is
    differentiable in the data (the resampling indices, SciPy's draws, are constants), and
    so are the standard error and the 'percentile', 'basic' and 'BCa' intervals (quantiles
    of the bootstrap distribution; BCa's levels move with its acceleration). Under ``jit``
    the resamples are drawn when tracing and replayed as constants.

    >>> x = np.array([1.0, 2.0, 4.0, 7.0, 3.0, 5.0])
    >>> res = bootstrap((x,), np.mean, n_resamples=200, rng=np.random.default_rng(0))
    >>> round(float(res.standard_error), 6)
    0.867024
    """
    kw = dict(n_resamples=n_resamples, batch=batch, vectorized=vectorized, paired=paired,
              axis=axis, confidence_level=confidence_level, alternative=alternative,
              method=method, bootstrap_result=bootstrap_result)
    if random_state is not None:
        kw["random_state"] = random_state
    else:
        kw["rng"] = rng
    if not traced(*data):
        return _scipy_stats().bootstrap(data, statistic, **kw)
    import inspect
    if bootstrap_result is not None:
        raise NotImplementedError("bootstrap: bootstrap_result= is not supported on traced "
                                  "data")
    samples = [cnp.moveaxis(_float(s), axis, -1) for s in data]
    if any(ndim(s) != 1 for s in samples):
        raise NotImplementedError("bootstrap: chainrule differentiates one-dimensional samples "
                                  "(vmap it over a batch)")
    if vectorized is None:
        vectorized = "axis" in inspect.signature(statistic).parameters
    method = method.lower()
    if method not in ("percentile", "basic", "bca"):
        raise ValueError("`method` must be in {'percentile', 'basic', 'bca'}")
    alternative = alternative.lower()
    sizes = [shape(s)[0] for s in samples]
    if any(n <= 1 for n in sizes):
        raise ValueError("each sample in `data` must contain two or more observations along "
                         "`axis`.")
    if paired and len(set(sizes)) > 1:
        raise ValueError("When `paired is True`, all samples must have the same length along "
                         "`axis`")
    batches = _resample_indices(sizes[:1] if paired else sizes, paired, n_resamples, batch, rng,
                                random_state)
    theta_b = cnp.concatenate([
        _apply(statistic, vectorized,
               [cnp.take(s, idx[0] if paired else idx[j], axis=0) for j, s in enumerate(samples)])
        for idx in batches])
    alpha = (1 - confidence_level) / 2 if alternative == "two-sided" else 1 - confidence_level
    theta_hat = _apply(statistic, vectorized, [s[None] for s in samples])[0]
    if method == "bca":
        levels = _bca_levels(statistic, vectorized, samples, paired, theta_hat, theta_b, alpha)
    else:
        levels = cnp.asarray([alpha, 1 - alpha])
    ci = quantile(theta_b, levels, axis=-1)
    low, high = ci[0], ci[1]
    if method == "basic":
        low, high = 2 * theta_hat - high, 2 * theta_hat - low
    if alternative == "less":
        low = np.float64(-np.inf)
    elif alternative == "greater":
        high = np.float64(np.inf)
    interval = result_type("ConfidenceInterval", ("low", "high"))(numpy_scalar(low),
                                                                  numpy_scalar(high))
    return result_type("BootstrapResult", ("confidence_interval", "bootstrap_distribution",
                                           "standard_error"))(
        interval, theta_b, numpy_scalar(cnp.std(theta_b, ddof=1)))


def _bca_levels(statistic, vectorized, samples, paired, theta_hat, theta_b, alpha):
    """SciPy's bias-corrected and accelerated quantile levels (Efron and Tibshirani 14.3):
    the bias correction counts (no derivative), the jackknife acceleration is
    differentiable."""
    b = shape(theta_b)[0]
    below = cnp.sum(cnp.astype(theta_b < theta_hat, np.float64))
    at_or_below = cnp.sum(cnp.astype(theta_b <= theta_hat, np.float64))
    z0 = csp.ndtri(stop_gradient((below + at_or_below) / (2 * b)))
    groups = [list(range(len(samples)))] if paired else [[j] for j in range(len(samples))]
    nums, dens = 0.0, 0.0
    for group in groups:
        n = shape(samples[group[0]])[0]
        keep = np.array([[i for i in range(n) if i != k] for k in range(n)])   # (n, n − 1)
        jack = [cnp.take(s, keep, axis=0) if j in group
                else cnp.broadcast_to(s[None], (n,) + shape(s)) for j, s in enumerate(samples)]
        theta_i = _apply(statistic, vectorized, jack)
        u = (n - 1) * (cnp.mean(theta_i) - theta_i)
        nums = nums + cnp.sum(u ** 3) / n ** 3
        dens = dens + cnp.sum(u ** 2) / n ** 2
    a_hat = nums / dens ** 1.5 / 6
    z_alpha = float(_scipy_special().ndtri(alpha))
    num1, num2 = z0 + z_alpha, z0 - z_alpha
    return cnp.stack([csp.ndtr(z0 + num1 / (1 - a_hat * num1)),
                      csp.ndtr(z0 + num2 / (1 - a_hat * num2))])


# ---- permutation tests ---------------------------------------------------------------------------
def _permutation_indices(sizes, n_resamples, batch, rng, random_state):
    """The permutations SciPy's permutation_test uses ('independent'), batch by batch, and
    whether it enumerated them all: SciPy's test run on the observations' indices (its draws
    depend on the sizes only)."""
    recorded = []

    def record(*parts, axis=-1):
        if np.ndim(parts[0]) > 1:   # (the first call is the observed statistic's)
            recorded.append(np.concatenate([np.asarray(p, dtype=np.int64) for p in parts],
                                           axis=-1))
        return np.zeros(np.shape(parts[0])[:-1])
    start = np.cumsum([0] + list(sizes))
    samples = [np.arange(a, b, dtype=np.float64) for a, b in zip(start[:-1], start[1:])]
    kw = dict(n_resamples=n_resamples, batch=batch, vectorized=True)
    if random_state is not None:
        kw["random_state"] = random_state
    else:
        kw["rng"] = rng
    _scipy_stats().permutation_test(samples, record, **kw)
    n_max = int(np.prod([math.comb(int(n), int(k)) for n, k in zip(start[1:], start[:-1])]))
    return recorded, n_resamples >= n_max


@export(namespace=STATS)
def permutation_test(data, statistic, *, permutation_type="independent", vectorized=None,
                     n_resamples=9999, batch=None, alternative="two-sided", axis=0, rng=None,
                     random_state=None):
    """SciPy's permutation test of a statistic written with ``chainrule.numpy`` (the same
    ``rng``, the same permutations and numbers). On traced data ('independent' permutations)
    the observed statistic and the null distribution are differentiable in the data; the
    p-value counts null values beyond the observed one, a zero derivative. Under ``jit`` the
    permutations are drawn when tracing and replayed as constants.

    >>> x, y = np.array([1.0, 2.0, 4.0, 7.0]), np.array([3.0, 5.0, 6.0, 8.0, 9.0])
    >>> diff = lambda a, b, axis: np.mean(a, axis) - np.mean(b, axis)
    >>> round(float(permutation_test((x, y), diff).pvalue), 6)
    0.190476
    """
    kw = dict(permutation_type=permutation_type, vectorized=vectorized,
              n_resamples=n_resamples, batch=batch, alternative=alternative, axis=axis)
    if random_state is not None:
        kw["random_state"] = random_state
    else:
        kw["rng"] = rng
    if not traced(*data):
        return _scipy_stats().permutation_test(data, statistic, **kw)
    import inspect
    if permutation_type != "independent":
        raise NotImplementedError("permutation_test: on traced data chainrule differentiates "
                                  "permutation_type='independent'; pass plain data for the "
                                  "others' values")
    samples = [cnp.moveaxis(_float(s), axis, -1) for s in data]
    if any(ndim(s) != 1 for s in samples):
        raise NotImplementedError("permutation_test: chainrule differentiates one-dimensional "
                                  "samples (vmap it over a batch)")
    if alternative not in ("two-sided", "less", "greater"):
        raise ValueError("`alternative` must be in {'two-sided', 'less', 'greater'}")
    if vectorized is None:
        vectorized = "axis" in inspect.signature(statistic).parameters
    sizes = [shape(s)[0] for s in samples]
    batches, exact = _permutation_indices(sizes, n_resamples, batch, rng, random_state)
    pooled = cnp.concatenate(samples)
    cuts = np.cumsum([0] + sizes)
    observed = _apply(statistic, vectorized, [s[None] for s in samples])[0]
    null = cnp.concatenate([
        _apply(statistic, vectorized, [cnp.take(pooled, idx[:, a:b], axis=0)
                                       for a, b in zip(cuts[:-1], cuts[1:])])
        for idx in batches])
    # SciPy's p-value: counts, with its tolerance for ties (no derivative)
    count = shape(null)[0]
    adjustment = 0 if exact else 1
    obs, nul = stop_gradient(observed), stop_gradient(null)
    gamma = cnp.abs(np.finfo(np.float64).eps * 100 * obs)

    def tail(cmps):
        return (cnp.sum(cnp.astype(cmps, np.float64)) + adjustment) / (count + adjustment)
    less, greater = tail(nul <= obs + gamma), tail(nul >= obs - gamma)
    p = {"less": less, "greater": greater,
         "two-sided": cnp.minimum(less, greater) * 2}[alternative]
    return result_type("PermutationTestResult", ("statistic", "pvalue", "null_distribution"))(
        numpy_scalar(observed), numpy_scalar(cnp.clip(p, 0.0, 1.0)), null)


@export(namespace=STATS)
def monte_carlo_test(data, rvs, statistic, *, vectorized=None, n_resamples=9999, batch=None,
                     alternative="two-sided", axis=0):
    """SciPy's Monte Carlo test of a statistic written with ``chainrule.numpy``. On traced
    data the observed statistic is differentiable; the null distribution (drawn from
    ``rvs``, not from the data) and the p-value (a count) have a zero derivative, and are
    SciPy's numbers for the same ``rvs`` state.

    >>> rvs = np.random.default_rng(0).normal
    >>> res = monte_carlo_test(np.array([0.3, 1.2, -0.4, 2.0]), rvs, np.mean, n_resamples=99)
    >>> round(float(res.statistic), 6), float(res.pvalue)
    (0.775, 0.12)
    """
    kw = dict(vectorized=vectorized, n_resamples=n_resamples, batch=batch,
              alternative=alternative, axis=axis)
    several = isinstance(data, (list, tuple))
    if not traced(data):
        return _scipy_stats().monte_carlo_test(data, rvs, statistic, **kw)
    import inspect
    samples = [_float(s) for s in (data if several else [data])]
    p, null = scipy_fields("monte_carlo_test", (list(samples),) if several else (samples[0],),
                           ("pvalue", "null_distribution"),
                           dict(kw, rvs=rvs, statistic=statistic), grouped=several)
    if vectorized is None:
        vectorized = "axis" in inspect.signature(statistic).parameters
    moved = [cnp.moveaxis(s, axis, -1) for s in samples]
    observed = statistic(*moved, axis=-1) if vectorized else statistic(*moved)
    return result_type("MonteCarloTestResult", ("statistic", "pvalue", "null_distribution"))(
        numpy_scalar(observed), numpy_scalar(p), null)


# ---- probability plot correlation coefficients ---------------------------------------------------
def _rows_pearson(xvals, rows):
    """Pearson's r of xvals with each row (SciPy's probplot fit's rvalue)."""
    a = xvals - cnp.mean(xvals, axis=-1, keepdims=True)
    b = rows - cnp.mean(rows, axis=-1, keepdims=True)
    r = cnp.sum(a * b, axis=-1) / cnp.sqrt(cnp.sum(a * a, axis=-1) * cnp.sum(b * b, axis=-1))
    return cnp.clip(r, -1.0, 1.0)


def _normplot(method, x, la, lb, plot, N):
    fname = f"{method}_normplot"
    if not traced(x):
        return getattr(_scipy_stats(), fname)(x, la, lb, plot=plot, N=N)
    if plot is not None:
        raise NotImplementedError(f"{fname}: plot= draws on a figure; plot the values it "
                                  f"returns")
    x = cnp.ravel(_float(x))
    if shape(x)[0] == 0:
        return x
    if lb <= la:
        raise ValueError("`lb` has to be larger than `la`.")
    lmbdas = np.linspace(la, lb, num=N)
    if method == "boxcox":
        z = csp.boxcox(x[None, :], lmbdas[:, None])
    else:
        from .normality import _yeojohnson
        z = _yeojohnson(x[None, :], lmbdas[:, None])
    osm = _scipy_stats().norm.ppf(_order_statistic_medians(shape(x)[0]))
    return lmbdas, _rows_pearson(osm, cnp.sort(z, axis=-1))


@export(namespace=STATS)
def boxcox_normplot(x, la, lb, plot=None, *, N=80):
    """The probability plot correlation of the Box-Cox transformed data against the normal
    distribution for ``N`` values of λ from ``la`` to ``lb``: SciPy's λs and correlations,
    differentiable in the data.

    >>> lmbdas, ppcc = boxcox_normplot(np.array([0.3, 1.2, 2.0, 2.9, 4.4, 7.0]), -1, 1, N=3)
    >>> ppcc.round(6)
    array([0.806518, 0.970454, 0.973245])
    """
    return _normplot("boxcox", x, la, lb, plot, N)


@export(namespace=STATS)
def yeojohnson_normplot(x, la, lb, plot=None, *, N=80):
    """The probability plot correlation of the Yeo-Johnson transformed data against the
    normal distribution for ``N`` values of λ from ``la`` to ``lb``: differentiable in the
    data.

    >>> lmbdas, ppcc = yeojohnson_normplot(np.array([-1.0, 0.3, 1.2, 2.0, 2.9, 7.0]), 0, 2, N=3)
    >>> ppcc.round(6)
    array([0.951424, 0.952249, 0.825588])
    """
    return _normplot("yeojohnson", x, la, lb, plot, N)


def _shape_ppf(dist):
    """The quantile function of ``dist`` (by name) in its shape, with chainrule: Tukey's
    lambda in closed form (q^λ − (1 − q)^λ)/λ, logit(q) at λ = 0; the others chainrule's."""
    if dist == "tukeylambda":
        def ppf(q, lam):
            zero = lam == 0
            safe = cnp.where(zero, 1.0, lam)
            return cnp.where(zero, cnp.log(q) - cnp.log1p(-q),
                             (q ** safe - (1 - q) ** safe) / safe)
        return ppf
    d = DISTRIBUTIONS.get(dist)
    if d is None or not hasattr(d, "ppf"):
        raise NotImplementedError(f"ppcc_max: chainrule has no {dist!r}.ppf to differentiate "
                                  f"in the shape; pass plain data")
    return d.ppf


@export(namespace=STATS)
def ppcc_plot(x, a, b, dist="tukeylambda", plot=None, N=80):
    """The probability plot correlation of the data against ``dist`` for ``N`` shapes from
    ``a`` to ``b``: SciPy's shapes and correlations, differentiable in the data.

    >>> svals, ppcc = ppcc_plot(np.array([0.3, 1.2, 2.0, 2.9, 4.4, 7.0]), -0.5, 0.5, N=3)
    >>> ppcc.round(6)
    array([0.971469, 0.973704, 0.971174])
    """
    if not traced(x):
        return _scipy_stats().ppcc_plot(x, a, b, dist=dist, plot=plot, N=N)
    if plot is not None:
        raise NotImplementedError("ppcc_plot: plot= draws on a figure; plot the values it "
                                  "returns")
    if b <= a:
        raise ValueError("`b` has to be larger than `a`.")
    x = cnp.ravel(_float(x))
    if shape(x)[0] == 0:
        return stand_in("ppcc_plot", np.zeros(0), a=a, b=b, dist=dist, N=N)
    svals = np.linspace(a, b, num=N)
    u = _order_statistic_medians(shape(x)[0])
    d = getattr(_scipy_stats(), dist) if isinstance(dist, str) else dist
    osm = np.stack([d.ppf(u, s) for s in svals])      # (the shapes are constants)
    return svals, _rows_pearson(osm, cnp.sort(x)[None, :])


@export(namespace=STATS)
def ppcc_max(x, brack=(0.0, 1.0), dist="tukeylambda"):
    """The shape of ``dist`` (by name) whose probability plot correlation with the data is
    largest: SciPy's optimum, differentiable in the data by the implicit function theorem
    (polished on traced data as :func:`boxcox_normmax`'s).

    >>> round(float(ppcc_max(np.array([0.3, 1.2, 2.0, 2.9, 4.4, 7.0, 1.1]))), 4)
    -0.1417
    """
    if not traced(x):
        return _scipy_stats().ppcc_max(x, brack, dist)
    if not isinstance(dist, str):
        raise NotImplementedError("ppcc_max: pass dist by name to differentiate on traced data")
    x = cnp.ravel(_float(x))
    u = _order_statistic_medians(shape(x)[0])
    ppf = _shape_ppf(dist)

    def residual(s, s0, data):
        return grad(lambda t: _pearson(ppf(u, t), cnp.sort(data)))(s)

    def solve(s0, data):
        return np.float64(_scipy_stats().ppcc_max(np.asarray(data), brack, dist))
    return numpy_scalar(solution_p(np.float64(0.0), x,
                                   solve=_polished(solve, residual), residual=residual))


# ---- the empirical distribution function ---------------------------------------------------------
class EmpiricalDistributionFunction:
    """The empirical cdf or sf of traced data, as SciPy's: ``quantiles`` (the sorted distinct
    values: differentiable), ``probabilities``, ``n`` (at risk) and ``d`` (events), counts
    with a zero derivative; ``evaluate(x)``, a step function (no derivative in x)."""

    def __init__(self, q, p, n, d, kind):
        self.quantiles, self.probabilities, self._n, self._d, self._kind = q, p, n, d, kind

    def evaluate(self, x):
        """The function at x (its value below the smallest quantile: 0 for the cdf, 1 for
        the sf)."""
        x = cnp.asarray(x)
        i = cnp.searchsorted(self.quantiles, x, side="right")
        below = 0.0 if self._kind == "cdf" else 1.0
        p = cnp.concatenate([cnp.asarray([below]), self.probabilities])
        # (nan sorts last: SciPy's last probability)
        return cnp.reshape(cnp.take_along_axis(p, cnp.reshape(i, (-1,)), axis=0), shape(i))

    def __repr__(self):
        return (f"EmpiricalDistributionFunction(quantiles={self.quantiles!r}, "
                f"probabilities={self.probabilities!r})")


from ..core import tree as _tree  # noqa: E402
_tree.register_pytree_node(
    EmpiricalDistributionFunction,
    lambda e: ((e.quantiles, e.probabilities, e._n, e._d), e._kind),
    lambda kind, children: EmpiricalDistributionFunction(*children, kind))


@export(namespace=STATS)
def ecdf(sample):
    """The empirical cumulative distribution and survival functions of uncensored data:
    SciPy's on plain data; on traced data the quantiles (the sorted distinct values) are
    differentiable, the probabilities (counts) have a zero derivative.

    >>> res = ecdf(np.array([1.0, 3.0, 3.0, 2.0]))
    >>> res.cdf.quantiles, res.cdf.probabilities
    (array([1., 2., 3.]), array([0.25, 0.5 , 1.  ]))
    """
    if not traced(sample):
        return _scipy_stats().ecdf(sample)
    x = _float(sample)
    if ndim(x) != 1:
        raise ValueError("`sample` must be a one-dimensional sequence.")
    q, counts = cnp.unique(x, return_counts=True)
    events = cnp.cumsum(counts)
    n = shape(x)[0]
    cdf = events / n
    at_risk = cnp.concatenate([cnp.asarray([n]), n - events[:-1]])
    return result_type("ECDFResult", ("cdf", "sf"))(
        EmpiricalDistributionFunction(q, cdf, at_risk, counts, "cdf"),
        EmpiricalDistributionFunction(q, 1 - cdf, at_risk, counts, "sf"))
