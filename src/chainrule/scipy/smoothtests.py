"""More of ``scipy.stats``, differentiable in the data: tests of equal variances
(``bartlett``, ``levene``, ``alexandergovern``), ``obrientransform``, trimming (``trimboth``,
``trim1``, ``sigmaclip``), ``scoreatpercentile``, ``expectile``, ``directional_stats``,
``chi2_contingency``, ``false_discovery_control``, the one-sample Kolmogorov-Smirnov test
(``ks_1samp``, ``kstest``), ``cramervonmises``, ``epps_singleton_2samp``, ``tukey_hsd``,
``anderson`` and ``shapiro``.

On plain inputs each function is SciPy's own (same values, same result objects). When an
input is traced the function is computed with ``chainrule.numpy`` (so its values agree with
SciPy's to rounding), in a named tuple with SciPy's class name and fields. Selections (the
values kept by a trim, the order of sorted data, which side of the expectile a value is on)
are piecewise constant and carry no derivative; the selected values do.

The Kolmogorov-Smirnov p-values are differentiable once (their derivative is SciPy's density
of the statistic, which has no derivative here); the Cramér-von Mises p-value, SciPy's series
written with chainrule, to every order.

>>> import numpy as np, chainrule as cr
>>> a, b = np.array([1.0, 2.0, 4.0, 7.0]), np.array([3.0, 5.0, 6.5, 8.0, 9.0])
>>> round(float(bartlett(a, b).statistic), 6)
0.031801
>>> g = cr.grad(lambda a: bartlett(a, b).statistic)(a)
>>> g.shape
(4,)
"""

import warnings

import numpy as np

from ..core.primitive import Primitive
from ..core.registry import STATS, FIRST_ORDER
from ..primitives.declare import export, declare as _declare
from ..primitives.scipy_linalg import loop_batch
from ..primitives.util import numpy_scalar, shape, ndim
from ..primitives.basic import moveaxis_to_front
from ..transforms.differentiate import stop_gradient
from .. import numpy as cnp
from . import special as csp
from ..primitives.special_elementary import partials
from .summary import _propagate, _data, _float
from .normality import power_divergence
from .robust import trim_mean
from .stattests import traced, result_type, DISTRIBUTIONS, stand_in, nan_where_nan

__all__ = []

_SP = ("statistic", "pvalue")


def _scipy_stats():
    import scipy.stats
    return scipy.stats


def _samples(fname, samples, axis):
    if len(samples) < 2:
        raise ValueError(f"{fname}: at least two samples are required")
    return [_data(_float(s), axis)[:2] for s in samples]


# ---- tests of equal variances ------------------------------------------------------------------
@export(namespace=STATS)
def bartlett(*samples, axis=0, nan_policy="propagate", keepdims=False):
    """Bartlett's test that the samples have equal variances: the statistic
    ((N − k)·log s²ₚ − Σ (nᵢ − 1)·log s²ᵢ)/C and its χ²(k − 1) p-value, differentiable in
    the data.

    >>> res = bartlett([1.0, 2.0, 4.0, 7.0], [3.0, 5.0, 6.5, 8.0, 9.0])
    >>> round(float(res.pvalue), 6)
    0.858464
    """
    if not traced(*samples):
        return _scipy_stats().bartlett(*samples, axis=axis, nan_policy=nan_policy,
                                       keepdims=keepdims)
    _propagate("bartlett", nan_policy)
    groups = _samples("bartlett", samples, axis)
    k = len(groups)
    ns = [np.float64(shape(g)[ax]) for g, ax in groups]   # (NumPy's division: n = 1 gives nan)
    ssq = [cnp.var(g, axis=ax, ddof=1) for g, ax in groups]
    ntot = sum(ns)
    spsq = sum((n - 1) * s for n, s in zip(ns, ssq)) / (ntot - k)
    numer = (ntot - k) * cnp.log(spsq) - sum((n - 1) * cnp.log(s) for n, s in zip(ns, ssq))
    denom = 1 + 1.0 / (3 * (k - 1)) * (sum(1.0 / (n - 1) for n in ns) - 1.0 / (ntot - k))
    stat = numer / denom
    return result_type("BartlettResult", _SP)(numpy_scalar(stat),
                                              numpy_scalar(csp.chdtrc(k - 1.0, stat)))


@export(namespace=STATS)
def levene(*samples, center="median", proportiontocut=0.05, axis=0, nan_policy="propagate",
           keepdims=False):
    """Levene's test (Brown and Forsythe's with the default ``center='median'``) that the
    samples have equal variances: an F statistic of the deviations |x − centre| and its
    p-value, differentiable in the data.

    >>> res = levene([1.0, 2.0, 4.0, 7.0], [3.0, 5.0, 6.5, 8.0, 9.0])
    >>> round(float(res.statistic), 6)
    0.048611
    """
    if not traced(*samples):
        return _scipy_stats().levene(*samples, center=center, proportiontocut=proportiontocut,
                                     axis=axis, nan_policy=nan_policy, keepdims=keepdims)
    _propagate("levene", nan_policy)
    if center not in ("mean", "median", "trimmed"):
        raise ValueError("center must be 'mean', 'median' or 'trimmed'.")
    groups = _samples("levene", samples, axis)
    func = cnp.median if center == "median" else cnp.mean
    if center == "trimmed":
        func = lambda g, axis, keepdims: cnp.expand_dims(  # noqa: E731
            trim_mean(g, proportiontocut, axis=axis), axis)
    k = len(groups)
    ns = [float(shape(g)[ax]) for g, ax in groups]
    ntot = sum(ns)
    zs = [cnp.abs(g - func(g, axis=ax, keepdims=True)) for g, ax in groups]
    zbars = [cnp.mean(z, axis=ax) for z, (_, ax) in zip(zs, groups)]
    zbar = sum(z * n for z, n in zip(zbars, ns)) / ntot
    numer = (ntot - k) * sum(n * (zb - zbar) ** 2 for n, zb in zip(ns, zbars))
    dvar = sum(cnp.sum((z - cnp.mean(z, axis=ax, keepdims=True)) ** 2, axis=ax)
               for z, (_, ax) in zip(zs, groups))
    stat = numer / ((k - 1.0) * dvar)
    p = csp.fdtrc(k - 1.0, ntot - k, stat)
    return result_type("LeveneResult", _SP)(numpy_scalar(stat), numpy_scalar(p))


@export(namespace=STATS)
def alexandergovern(*samples, nan_policy="propagate", axis=0):
    """Alexander and Govern's test that samples of unequal variances share a mean: the
    statistic A (normalised t statistics of the group means) and its χ²(k − 1) p-value,
    differentiable in the data.

    >>> res = alexandergovern([1.0, 2.0, 4.0, 7.0], [3.0, 5.0, 6.5, 8.0, 9.0])
    >>> round(float(res.statistic), 6)
    1.959688
    """
    if not traced(*samples):
        return _scipy_stats().alexandergovern(*samples, nan_policy=nan_policy, axis=axis)
    _propagate("alexandergovern", nan_policy)
    groups = _samples("alexandergovern", samples, axis)
    means = [cnp.mean(g, axis=ax) for g, ax in groups]
    ns = [float(shape(g)[ax]) for g, ax in groups]
    se2 = [cnp.var(g, axis=ax, ddof=1) / n for (g, ax), n in zip(groups, ns)]
    se = [cnp.sqrt(s) for s in se2]
    inv = [1.0 / s for s in se2]
    total = sum(inv)
    var_w = sum((w / total) * m for w, m in zip(inv, means))
    stat = 0.0
    for m, s, n in zip(means, se, ns):
        t = (m - var_w) / s
        v = n - 1.0
        a = v - 0.5
        b = 48.0 * a ** 2
        c = cnp.sqrt(a * cnp.log1p(t ** 2 / v))
        z = (c + (c ** 3 + 3 * c) / b
             - (4 * c ** 7 + 33 * c ** 5 + 240 * c ** 3 + 855 * c)
             / (b ** 2 * 10 + 8 * b * c ** 4 + 1000 * b))
        stat = stat + z * z
    p = csp.chdtrc(len(groups) - 1.0, stat)
    return result_type("AlexanderGovernResult", _SP)(numpy_scalar(stat), numpy_scalar(p))


@export(namespace=STATS)
def obrientransform(*samples):
    """O'Brien's transform of each sample (its mean is the sample's variance), stacked as
    SciPy's; differentiable in the data.

    >>> obrientransform([1.0, 2.0, 4.0]).round(6)
    array([[ 2.833333, -0.916667,  5.083333]])
    """
    if not traced(*samples):
        return _scipy_stats().obrientransform(*samples)
    out = []
    for s in samples:
        a = _float(s)
        n = float(shape(a)[0])
        sq = (a - cnp.mean(a, axis=0)) ** 2
        sumsq = cnp.sum(sq, axis=0)
        out.append(((n - 1.5) * n * sq - 0.5 * sumsq) / ((n - 1) * (n - 2)))
    if len({shape(o) for o in out}) != 1:
        raise NotImplementedError("obrientransform: traced samples must have the same shape "
                                  "(SciPy's result is then one array)")
    return cnp.stack(out)


# ---- trimming ------------------------------------------------------------------------------------
def _partitioned(a, low, high, axis):
    """SciPy's ``np.partition(a, (low, high - 1), axis)[low:high]``: the order of NumPy's
    partition (argpartition orders alike) carries no derivative, the kept values do."""
    idx = cnp.argpartition(stop_gradient(a), (low, high - 1), axis=axis)
    kept = cnp.take_along_axis(a, idx, axis=axis)
    sl = [slice(None)] * ndim(a)
    sl[axis] = slice(low, high)
    return kept[tuple(sl)]


@export(namespace=STATS)
def trimboth(a, proportiontocut, axis=0):
    """The data without its ``proportiontocut`` smallest and largest values along ``axis``
    (in the order of NumPy's partition, as SciPy's); differentiable in the kept values.

    >>> trimboth(np.array([4.0, 9.0, 1.0, 3.0, 7.0]), 0.2)
    array([3., 4., 7.])
    """
    if not traced(a):
        return _scipy_stats().trimboth(a, proportiontocut, axis=axis)
    a = _float(a)
    if axis is None:
        a, axis = cnp.ravel(a), 0
    axis = int(axis) % max(ndim(a), 1)
    nobs = shape(a)[axis]
    if nobs == 0:
        return a
    low = int(proportiontocut * nobs)
    if low >= nobs - low:
        raise ValueError("Proportion too big.")
    return _partitioned(a, low, nobs - low, axis)


@export(namespace=STATS)
def trim1(a, proportiontocut, tail="right", axis=0):
    """The data without its ``proportiontocut`` largest (``tail='right'``) or smallest
    values along ``axis``; differentiable in the kept values.

    >>> trim1(np.array([4.0, 9.0, 1.0, 3.0, 7.0]), 0.2)
    array([1., 3., 4., 7.])
    """
    if not traced(a):
        return _scipy_stats().trim1(a, proportiontocut, tail=tail, axis=axis)
    a = _float(a)
    if axis is None:
        a, axis = cnp.ravel(a), 0
    axis = int(axis) % max(ndim(a), 1)
    nobs = shape(a)[axis]
    if proportiontocut >= 1:
        return []
    cut = int(proportiontocut * nobs)
    low, high = (0, nobs - cut) if tail.lower() == "right" else (cut, nobs)
    return _partitioned(a, low, high, axis)


def _sigmaclip_kept_impl(a, low, high):
    c, lo, hi = _scipy_stats().sigmaclip(np.asarray(a), low, high)
    return np.flatnonzero((a >= lo) & (a <= hi))


def _sigmaclip_kept_batch(vals, dims, **params):
    a = moveaxis_to_front(vals[0], dims[0])
    kept = [_sigmaclip_kept(a[i], **params) for i in range(shape(a)[0])]
    if len({shape(k) for k in kept}) > 1:
        raise ValueError("sigmaclip under vmap: the examples keep different numbers of values "
                         "(SciPy's clipped arrays would be ragged); call it per example")
    return cnp.stack(kept), 0


# (which values SciPy keeps: indices, a zero derivative)
_sigmaclip_kept = Primitive("sigmaclip_kept", _sigmaclip_kept_impl)
_declare(_sigmaclip_kept, jvp=None, vjp=None, batch=_sigmaclip_kept_batch, names=())


@export(namespace=STATS)
def sigmaclip(a, low=4.0, high=4.0):
    """SciPy's iterative σ-clipping: the values within [mean − low·std, mean + high·std] of
    the kept values, and those bounds. SciPy chooses the kept values (no derivative in the
    choice); they and the bounds (their mean and standard deviation) are differentiable.

    >>> res = sigmaclip(np.array([1.0, 2.0, 3.0, 2.0, 1.5, 40.0]), 2.0, 2.0)
    >>> res.clipped, round(float(res.lower), 6)
    (array([1. , 2. , 3. , 2. , 1.5]), 0.57335)
    """
    if not traced(a):
        return _scipy_stats().sigmaclip(a, low, high)
    a = cnp.ravel(_float(a))
    kept = cnp.take_along_axis(a, _sigmaclip_kept(a, low=low, high=high), axis=0)
    mean, std = cnp.mean(kept), cnp.std(kept)
    return result_type("SigmaclipResult", ("clipped", "lower", "upper"))(
        kept, numpy_scalar(mean - std * low), numpy_scalar(mean + std * high))


# ---- quantiles -----------------------------------------------------------------------------------
@export(namespace=STATS)
def scoreatpercentile(a, per, limit=(), interpolation_method="fraction", axis=None):
    """The score at percentile ``per`` of the data (SciPy's interpolation: 'fraction',
    'lower' or 'higher'); differentiable in the data and, with 'fraction', in ``per``.

    >>> float(scoreatpercentile(np.arange(1.0, 11.0), 35))
    4.15
    """
    if not traced(a, per):
        return _scipy_stats().scoreatpercentile(a, per, limit=limit,
                                                interpolation_method=interpolation_method,
                                                axis=axis)
    if limit:
        raise NotImplementedError("scoreatpercentile: limit= selects a data-dependent number "
                                  "of values; select them yourself on traced data")
    if interpolation_method not in ("fraction", "lower", "higher"):
        raise ValueError("interpolation_method can only be 'fraction', 'lower' or 'higher'")
    a = _float(a)
    if axis is None:
        a, axis = cnp.ravel(a), 0
    if 0 in shape(a):   # SciPy's nan (one per percentile)
        return np.nan if np.ndim(per) == 0 else np.full(np.shape(per), np.nan)
    s = cnp.moveaxis(cnp.sort(a, axis=axis), axis, 0)
    n = shape(s)[0]
    idx = cnp.asarray(per) / 100.0 * (n - 1)
    i = cnp.floor(stop_gradient(idx))
    # (each percentile's weight along the sorted axis, broadcast over the other axes)
    frac = cnp.reshape(idx - i, shape(idx) + (1,) * (ndim(s) - 1))
    i = cnp.astype(i, np.int64)
    j = cnp.minimum(i + 1, n - 1)
    rest = (1,) * (ndim(s) - 1)
    wide = shape(i) + shape(s)[1:]
    lo = cnp.take_along_axis(s, cnp.broadcast_to(cnp.reshape(cnp.ravel(i), (-1,) + rest),
                                                 (int(np.prod(shape(i))),) + shape(s)[1:]), 0)
    hi = cnp.take_along_axis(s, cnp.broadcast_to(cnp.reshape(cnp.ravel(j), (-1,) + rest),
                                                 (int(np.prod(shape(i))),) + shape(s)[1:]), 0)
    lo, hi = cnp.reshape(lo, wide), cnp.reshape(hi, wide)
    if interpolation_method == "lower":
        return numpy_scalar(lo)
    exact = stop_gradient(frac) == 0
    if interpolation_method == "higher":
        return numpy_scalar(cnp.where(exact, lo, hi))
    return numpy_scalar(cnp.where(exact, lo, lo * (1.0 - frac) + hi * frac))


@export(namespace=STATS)
def expectile(a, alpha=0.5, *, weights=None):
    """The α-expectile of the data: the t with α·Σ w(x − t)₊ = (1 − α)·Σ w(t − x)₊. SciPy
    finds it; its derivative in the data, the weights and α is that of the weighted mean
    (α·Σ₊ w x + (1 − α)·Σ₋ w x)/(α·Σ₊ w + (1 − α)·Σ₋ w) it equals, the sides fixed.

    >>> round(float(expectile(np.array([1.0, 2.0, 4.0, 7.0]), 0.8)), 6)
    5.0
    """
    if not traced(a, alpha, weights):
        return _scipy_stats().expectile(a, alpha, weights=weights)
    if not traced(alpha) and not 0 <= alpha <= 1:
        raise ValueError("The expectile level alpha must be in the range [0, 1].")
    a = _float(a)
    if shape(a) == (0,) or 0 in shape(a):
        raise ValueError("zero-size array to reduction operation maximum which has no identity")
    w = cnp.ones_like(a) if weights is None else cnp.broadcast_to(_float(weights), shape(a))
    # SciPy's root, on values only: it decides which side of t each value is on
    t0 = _expectile_value(a, w, cnp.asarray(stop_gradient(alpha), dtype=np.float64))
    wa = cnp.where(a > t0, alpha * w, (1.0 - alpha) * w)
    return numpy_scalar(cnp.sum(wa * a) / cnp.sum(wa))


def _expectile_impl(a, w, alpha):
    return np.array(_scipy_stats().expectile(np.asarray(a), float(alpha), weights=np.asarray(w)),
                    dtype=np.float64)


_expectile_value = Primitive("expectile_value", _expectile_impl)
_declare(_expectile_value, jvp=None, vjp=None, batch=loop_batch(_expectile_value), names=())


# ---- directional statistics ----------------------------------------------------------------------
@export(namespace=STATS)
def directional_stats(samples, *, axis=0, normalize=True):
    """The mean direction and mean resultant length of unit vectors (the last axis holds
    each vector's components); differentiable in the samples.

    >>> res = directional_stats(np.array([[1.0, 0.0], [0.0, 1.0]]))
    >>> res.mean_direction.round(6), round(float(res.mean_resultant_length), 6)
    (array([0.707107, 0.707107]), 0.707107)
    """
    if not traced(samples):
        return _scipy_stats().directional_stats(samples, axis=axis, normalize=normalize)
    s = _float(samples)
    if ndim(s) < 2:
        raise ValueError("samples must at least be two-dimensional. Instead samples has "
                         f"shape: {shape(s)}")
    s = cnp.moveaxis(s, axis, 0)
    if normalize:
        s = s / cnp.linalg.norm(s, axis=-1, keepdims=True)
    mean = cnp.mean(s, axis=0)
    length = cnp.linalg.norm(mean, axis=-1, keepdims=True)
    return result_type("DirectionalStats", ("mean_direction", "mean_resultant_length"))(
        mean / length, numpy_scalar(cnp.squeeze(length, axis=-1)))


# ---- contingency tables and p-values -------------------------------------------------------------
@export(namespace=STATS)
def chi2_contingency(observed, correction=True, lambda_=None, *, method=None):
    """The χ² test of independence of a contingency table: the statistic (Yates's continuity
    correction for one degree of freedom), p-value, degrees of freedom and expected
    frequencies; differentiable in the observed frequencies.

    >>> res = chi2_contingency(np.array([[10.0, 20.0, 30.0], [6.0, 9.0, 17.0]]))
    >>> round(float(res.statistic), 6), res.dof
    (0.271575, 2)
    """
    if not traced(observed):
        return _scipy_stats().chi2_contingency(observed, correction, lambda_, method=method)
    if method is not None:
        raise NotImplementedError("chi2_contingency: method= (permutations, Monte Carlo) is "
                                  "not supported on traced tables")
    obs = _float(observed)
    d = ndim(obs)
    margins = [cnp.sum(obs, axis=tuple(i for i in range(d) if i != k), keepdims=True)
               for k in range(d)]
    expected = margins[0]
    for m in margins[1:]:
        expected = expected * m
    expected = expected / cnp.sum(obs) ** (d - 1)
    dof = int(np.prod(shape(obs))) - sum(shape(obs)) + d - 1
    rtype = result_type("Chi2ContingencyResult", ("statistic", "pvalue", "dof",
                                                  "expected_freq"))
    if dof == 0:
        return rtype(0.0, 1.0, dof, expected)
    if dof == 1 and correction:
        diff = expected - obs
        obs = obs + cnp.minimum(0.5, cnp.abs(diff)) * cnp.sign(diff)
    stat, p = power_divergence(obs, expected, ddof=int(np.prod(shape(obs))) - 1 - dof,
                               axis=None, lambda_=lambda_)
    return rtype(stat, p, dof, expected)


@export(namespace=STATS)
def false_discovery_control(ps, *, axis=0, method="bh"):
    """Benjamini-Hochberg ('bh') or Benjamini-Yekutieli ('by') adjusted p-values,
    differentiable in the p-values (piecewise: a running minimum of m·p₍ᵢ₎/i).

    >>> false_discovery_control(np.array([0.01, 0.04, 0.03, 0.2]))
    array([0.04      , 0.05333333, 0.05333333, 0.2       ])
    """
    if not traced(ps):
        return _scipy_stats().false_discovery_control(ps, axis=axis, method=method)
    ps = _float(ps)
    if method.lower() not in ("bh", "by"):
        raise ValueError("Unrecognized `method` '{method}'.Method must be one of "
                         "{'bh', 'by'}.")
    if axis is None:
        ps, axis = cnp.ravel(ps), -1
    ps = cnp.moveaxis(ps, axis, -1)
    m = shape(ps)[-1]
    order = cnp.argsort(stop_gradient(ps), axis=-1)
    sorted_ps = cnp.take_along_axis(ps, order, axis=-1)
    i = np.arange(1, m + 1, dtype=np.float64)
    adj = sorted_ps * (m / i)
    if method.lower() == "by":
        adj = adj * float(np.sum(1.0 / i))
    adj = cnp.flip(cnp.minimum.accumulate(cnp.flip(adj, axis=-1), axis=-1), axis=-1)
    out = cnp.take_along_axis(adj, cnp.argsort(order, axis=-1), axis=-1)
    return cnp.moveaxis(cnp.clip(out, 0.0, 1.0), -1, axis)


# ---- one-sample Kolmogorov-Smirnov ---------------------------------------------------------------
def _kstwo_sf_impl(d, n):
    return _scipy_stats().kstwo.sf(d, n)


def _kstwo_pdf_impl(d, n):
    return _scipy_stats().kstwo.pdf(d, n)


# kstwo.sf(D, n), the exact two-sided p-value: its derivative in D is −kstwo.pdf (SciPy's
# density, itself not differentiable here: first order only)
_kstwo_pdf = partials("kstwo_pdf", _kstwo_pdf_impl, ("d", "n"), (None, None), names=(),
                      fname="ks_1samp's p-value (a second derivative)")
_kstwo_sf = partials("kstwo_sf", _kstwo_sf_impl, ("d", "n"),
                     (lambda ans, d, n: -_kstwo_pdf(d, n), None), names=(),
                     fname="ks_1samp's p-value")


def _ks_d(cdfvals, x, sign):
    n = shape(cdfvals)[-1]
    if sign > 0:
        d = np.arange(1.0, n + 1) / n - cdfvals
    else:
        d = cdfvals - np.arange(0.0, n) / n
    at = cnp.reshape(cnp.argmax(stop_gradient(d)), (1,))
    return cnp.take_along_axis(d, at, axis=0)[0], cnp.take_along_axis(x, at, axis=0)[0]


def _cdf_function(cdf, fname):
    if callable(cdf):
        return cdf
    dist = DISTRIBUTIONS.get(cdf)
    if dist is None or not hasattr(dist, "cdf"):
        raise NotImplementedError(f"{fname}: chainrule has no distribution {cdf!r} with a cdf; "
                                  f"pass a callable written with chainrule")
    return dist.cdf


@export(namespace=STATS, family=FIRST_ORDER)
def ks_1samp(x, cdf, args=(), alternative="two-sided", method="auto", *, axis=0,
             nan_policy="propagate", keepdims=False):
    """The one-sample Kolmogorov-Smirnov test of the data against ``cdf``: the statistic
    (the largest difference between the empirical and given distribution functions),
    differentiable in the data and in ``args`` (with a callable written with chainrule, such
    as ``norm.cdf`` of ``chainrule.scipy.stats``); its p-value (SciPy's ``kstwo``,
    ``kstwobign`` or ``ksone``) differentiable once.

    >>> from chainrule.scipy.stats import norm
    >>> res = ks_1samp(np.array([-0.3, 0.1, 0.8, 1.5]), norm.cdf)
    >>> round(float(res.statistic), 6), round(float(res.pvalue), 6)
    (0.382089, 0.495767)
    """
    if not traced(x, args):
        return _scipy_stats().ks_1samp(x, cdf, args, alternative=alternative, method=method,
                                       axis=axis, nan_policy=nan_policy, keepdims=keepdims)
    _propagate("ks_1samp", nan_policy)
    alternative = {"t": "two-sided", "g": "greater", "l": "less"}.get(
        alternative.lower()[0], alternative)
    if alternative not in ("two-sided", "greater", "less"):
        raise ValueError(f"Unexpected value {alternative=}")
    x = _float(x)
    if ndim(x) != 1 or keepdims:
        raise NotImplementedError("ks_1samp: chainrule differentiates one-dimensional data "
                                  "(vmap it over a batch)")
    n = shape(x)[0]
    if n == 0:   # SciPy's nan
        nan = np.float64(np.nan)
        return result_type("KstestResult", _SP, ("statistic_location", "statistic_sign"))(
            nan, nan, statistic_location=nan, statistic_sign=np.int8(1))
    x = cnp.sort(x)
    cdfvals = _cdf_function(cdf, "ks_1samp")(x, *args)
    rtype = result_type("KstestResult", _SP, ("statistic_location", "statistic_sign"))
    if alternative != "two-sided":
        sign = 1 if alternative == "greater" else -1
        d, loc = _ks_d(cdfvals, x, sign)
        return rtype(numpy_scalar(d), numpy_scalar(csp.smirnov(n, d)),
                     statistic_location=numpy_scalar(loc), statistic_sign=np.int8(sign))
    dplus, lplus = _ks_d(cdfvals, x, 1)
    dminus, lminus = _ks_d(cdfvals, x, -1)
    plus = dplus > dminus
    d, loc = cnp.where(plus, dplus, dminus), cnp.where(plus, lplus, lminus)
    if method in ("auto", "exact"):
        p = _kstwo_sf(d, float(n))
    elif method == "asymp":
        p = csp.kolmogorov(d * float(np.sqrt(n)))
    else:
        p = 2.0 * csp.smirnov(n, d)
    return rtype(numpy_scalar(d), numpy_scalar(cnp.clip(p, 0.0, 1.0)),
                 statistic_location=numpy_scalar(loc),
                 statistic_sign=numpy_scalar(cnp.where(plus, np.int8(1), np.int8(-1))))


@export(namespace=STATS, family=FIRST_ORDER)
def kstest(rvs, cdf, args=(), N=20, alternative="two-sided", method="auto", *, axis=0,
           nan_policy="propagate", keepdims=False):
    """The Kolmogorov-Smirnov test: :func:`ks_1samp` when ``cdf`` is a distribution's name
    or a callable, ``ks_2samp`` when it is a second sample (SciPy's values; there the
    statistic is a function of the order of the data, a zero derivative).

    >>> round(float(kstest(np.array([-0.3, 0.1, 0.8, 1.5]), "norm").statistic), 6)
    0.382089
    """
    if not traced(rvs, cdf, args):
        return _scipy_stats().kstest(rvs, cdf, args, N, alternative, method, axis=axis,
                                     nan_policy=nan_policy, keepdims=keepdims)
    if isinstance(rvs, str):
        raise NotImplementedError("kstest: random samples (rvs given by name) have no "
                                  "derivative; draw the sample and pass it")
    if isinstance(cdf, str) or callable(cdf):
        return ks_1samp(rvs, cdf, args, alternative, method, axis=axis, nan_policy=nan_policy,
                        keepdims=keepdims)
    from .stattests import ks_2samp
    return ks_2samp(rvs, cdf, alternative, method, axis=axis, nan_policy=nan_policy,
                    keepdims=keepdims)


# ---- one-sample Cramér-von Mises ---------------------------------------------------------------
# SciPy's series for the statistic's cdf (Csörgő and Faraway), written with chainrule.numpy:
# SciPy sums terms until one falls below 1e-7 (that one included); here a fixed number of terms
# enough for any statistic below n/3 (where the cdf is 1), each kept where SciPy would have
# reached it, so that the value is SciPy's and the derivative follows.
def _cvm_terms(n):
    return int(np.ceil((np.sqrt(16.0 * n / 3.0 * 20.0) - 1.0) / 4.0)) + 4


def _running(terms):
    """Σ of the terms SciPy adds: each while every earlier one was at least 1e-7."""
    total, going = 0.0, True
    for z in terms:
        total = total + cnp.where(going, z, 0.0)
        going = going & (cnp.abs(z) >= 1e-7)
    return total


def _cdf_cvm_inf(x, kmax):
    gammaln = _scipy_special().gammaln

    def term(k):
        u = float(np.exp(gammaln(k + 0.5) - gammaln(k + 1))) / (np.pi ** 1.5 * cnp.sqrt(x))
        y = 4 * k + 1
        q = y ** 2 / (16 * x)
        return u * float(np.sqrt(y)) * cnp.exp(-q) * csp.kv(0.25, q)
    return _running(term(k) for k in range(kmax))


def _psi1_mod(x, kmax):
    gamma = _scipy_special().gamma

    def ed2(y):
        z = y ** 2 / 4
        return cnp.exp(-z) * (y / 2) ** 1.5 * (csp.kv(0.25, z) + csp.kv(0.75, z)) / np.sqrt(np.pi)

    def ed3(y):
        z = y ** 2 / 4
        return (cnp.exp(-z) / np.sqrt(np.pi) * (y / 2) ** 2.5
                * (2 * csp.kv(0.25, z) + 3 * csp.kv(0.75, z) - csp.kv(1.25, z)))

    def term(k):
        m = 2 * k + 1
        sx = 2 * cnp.sqrt(x)
        y1, y2 = x ** 0.75, x ** 1.25
        g1, g3 = float(gamma(k + 0.5)), float(gamma(k + 1.5))
        ak = (m * g1 * ed2((4 * k + 3) / sx) / (9 * y1)
              + g1 * ed3((4 * k + 1) / sx) / (72 * y2)
              + 2 * (m + 2) * g3 * ed3((4 * k + 5) / sx) / (12 * y2)
              + 7 * m * g1 * ed2((4 * k + 1) / sx) / (144 * y1)
              + 7 * m * g1 * ed2((4 * k + 5) / sx) / (144 * y1))
        return -ak / (np.pi * float(gamma(k + 1)))
    return _running(term(k) for k in range(kmax))


def _cdf_cvm(w, n):
    inside = (1.0 / (12 * n) < w) & (w < n / 3.0)
    x = cnp.where(inside, w, 1.0)   # (outside the support the series is not evaluated)
    kmax = _cvm_terms(n)
    y = _cdf_cvm_inf(x, kmax) * (1 + 1.0 / (12 * n)) + _psi1_mod(x, kmax) / n
    return cnp.where(inside, y, cnp.where(w >= n / 3.0, 1.0, 0.0))


def _scipy_special():
    import scipy.special
    return scipy.special


@export(namespace=STATS)
def cramervonmises(rvs, cdf, args=(), *, axis=0, nan_policy="propagate", keepdims=False):
    """The one-sample Cramér-von Mises test of the data against ``cdf`` (a distribution's
    name or a callable written with chainrule): the statistic 1/(12n) + Σ (uᵢ − F(x₍ᵢ₎))²
    and its p-value (Csörgő and Faraway's series, as SciPy's), differentiable in the data and
    ``args``.

    >>> res = cramervonmises(np.array([-0.3, 0.1, 0.8, 1.5, 0.4]), "norm")
    >>> round(float(res.statistic), 6), round(float(res.pvalue), 6)
    (0.186785, 0.300416)
    """
    if not traced(rvs, args):
        return _scipy_stats().cramervonmises(rvs, cdf, args, axis=axis, nan_policy=nan_policy,
                                             keepdims=keepdims)
    _propagate("cramervonmises", nan_policy)
    if keepdims:
        raise NotImplementedError("cramervonmises: keepdims=True is not supported on traced "
                                  "data")
    x = cnp.moveaxis(_float(rvs), int(axis), -1)
    n = shape(x)[-1]
    if n <= 1:   # (SciPy's nan)
        return stand_in("cramervonmises", np.zeros(shape(x)), "norm", axis=-1)
    cdfvals = _cdf_function(cdf, "cramervonmises")(cnp.sort(x, axis=-1), *args)
    u = (2 * np.arange(1, n + 1, dtype=np.float64) - 1) / (2 * n)
    w = 1 / (12 * n) + cnp.sum((u - cdfvals) ** 2, axis=-1)
    p = cnp.maximum(1.0 - _cdf_cvm(w, float(n)), 0.0)
    w, p = nan_where_nan(w, x), nan_where_nan(p, x)
    return result_type("CramerVonMisesResult", _SP)(numpy_scalar(w), numpy_scalar(p))


# ---- Epps and Singleton's test -------------------------------------------------------------------
@export(namespace=STATS)
def epps_singleton_2samp(x, y, t=(0.4, 0.8), *, axis=0, nan_policy="propagate",
                         keepdims=False):
    """Epps and Singleton's test that two samples share a distribution, comparing their
    empirical characteristic functions at ``t`` (scaled by the pooled semi-interquartile
    range): the statistic and its χ² p-value, differentiable in the data.

    >>> res = epps_singleton_2samp(np.array([1.0, 2.0, 4.0, 7.0, 3.0, 5.5]),
    ...                            np.array([3.0, 5.0, 6.5, 8.0, 9.0, 4.5]))
    >>> round(float(res.statistic), 6)
    2.083057
    """
    if not traced(x, y):
        return _scipy_stats().epps_singleton_2samp(x, y, t, axis=axis, nan_policy=nan_policy,
                                                   keepdims=keepdims)
    _propagate("epps_singleton_2samp", nan_policy)
    x, y = _float(x), _float(y)
    if ndim(x) != 1 or ndim(y) != 1 or keepdims:
        raise NotImplementedError("epps_singleton_2samp: chainrule differentiates "
                                  "one-dimensional samples (vmap it over a batch)")
    from .summary import iqr
    t = np.asarray(t, dtype=np.float64)
    nx, ny = shape(x)[0], shape(y)[0]
    if nx < 5 or ny < 5:   # (SciPy's nan)
        return stand_in("epps_singleton_2samp", np.zeros(nx), np.zeros(ny), tuple(t))
    if t.ndim > 1:
        raise ValueError(f"t must be 1d, but t.ndim equals {t.ndim}.")
    if np.any(t <= 0):
        raise ValueError("t must contain positive elements only.")
    n = nx + ny
    # (SciPy's: non-finite values replaced by a harmless one, the result nan)
    invalid = cnp.any(~cnp.isfinite(x)) | cnp.any(~cnp.isfinite(y))
    x, y = cnp.where(cnp.isfinite(x), x, 1.0), cnp.where(cnp.isfinite(y), y, 1.0)
    sigma = iqr(cnp.concatenate([x, y])) / 2
    ts = t[:, None] / sigma

    def features(s, m):
        g = cnp.concatenate([cnp.cos(ts * s), cnp.sin(ts * s)], axis=0)     # (2k, m)
        centred = g - cnp.mean(g, axis=1, keepdims=True)
        return g, cnp.matmul(centred, centred.T) / m   # (the biased covariance, SciPy's)
    gx, cov_x = features(x, nx)
    gy, cov_y = features(y, ny)
    est_cov = (n / nx) * cov_x + (n / ny) * cov_y
    pinv = cnp.linalg.pinv(est_cov)
    r = cnp.linalg.matrix_rank(pinv)
    # (of full rank, SciPy's pseudo-inverse is the inverse: the same values, and a derivative
    # with fewer rounding errors on an ill-conditioned covariance)
    inv = cnp.where(r == 2 * t.size, cnp.linalg.inv(est_cov), pinv)
    if not traced(r) and r < 2 * t.size:
        warnings.warn("Estimated covariance matrix does not have full rank. This indicates a "
                      "bad choice of the input t and the test might not be consistent.",
                      stacklevel=2)
    diff = cnp.mean(gx, axis=1) - cnp.mean(gy, axis=1)
    w = n * cnp.sum(diff * cnp.matmul(inv, diff))
    if max(nx, ny) < 25:   # SciPy's small-sample correction
        w = w / (1.0 + n ** (-0.45) + 10.1 * (nx ** (-1.7) + ny ** (-1.7)))
    p = csp.chdtrc(cnp.astype(r, np.float64), w)
    w, p = cnp.where(invalid, np.nan, w), cnp.where(invalid, np.nan, p)
    return result_type("Epps_Singleton_2sampResult", _SP)(numpy_scalar(w), numpy_scalar(p))


# ---- Tukey's honestly significant differences ----------------------------------------------------
def _srange_sf_impl(q, k, df):
    return _scipy_stats().studentized_range.sf(q, k, df)


def _srange_pdf_impl(q, k, df):
    return _scipy_stats().studentized_range.pdf(q, k, df)


# the studentized range's survival function: its derivative in q is −pdf (SciPy's density,
# itself not differentiable here: first order only); none in k and the degrees of freedom
_srange_pdf = partials("studentized_range_pdf", _srange_pdf_impl, ("q", "k", "df"),
                       (None, None, None), names=(),
                       fname="tukey_hsd's p-value (a second derivative)")
_srange_sf = partials("studentized_range_sf", _srange_sf_impl, ("q", "k", "df"),
                      (lambda ans, q, k, df: -_srange_pdf(q, k, df), None, None), names=(),
                      fname="tukey_hsd's p-value")


@export(namespace=STATS, family=FIRST_ORDER)
def tukey_hsd(*args, equal_var=True):
    """Tukey's honestly significant difference test of all pairs of samples: the matrix of
    mean differences (differentiable in the data) and its p-values from the studentized
    range distribution (differentiable once; with ``equal_var=False`` not in Welch's
    data-dependent degrees of freedom). Traced data give the statistic and p-value without
    SciPy's ``confidence_interval`` method.

    >>> res = tukey_hsd([24.5, 23.5, 26.4, 27.1, 29.9], [28.4, 34.2, 29.5, 32.2, 30.1],
    ...                 [26.1, 28.3, 24.3, 26.2, 27.8])
    >>> round(float(res.pvalue[0, 1]), 6)
    0.014448
    """
    if not traced(*args):
        return _scipy_stats().tukey_hsd(*args, equal_var=equal_var)
    groups = [cnp.ravel(_float(a)) for a in args]
    if len(groups) < 2:
        raise ValueError("There must be more than 1 treatment.")
    k = len(groups)
    sizes = np.array([shape(g)[0] for g in groups], dtype=np.float64)
    if np.any(sizes <= 1):
        raise ValueError("Input sample size must be greater than one.")
    means = cnp.stack([cnp.mean(g) for g in groups])
    vars_ = cnp.stack([cnp.var(g, ddof=1) for g in groups])
    nobs = float(sizes.sum())
    if equal_var:
        mse = cnp.sum(vars_ * (sizes - 1)) / (nobs - k)
        normalize = (2 / sizes[0] if np.unique(sizes).size == 1
                     else 1 / sizes + 1 / sizes[None].T)
        stand_err = cnp.sqrt(normalize * mse / 2)
        df = nobs - k
    else:
        sj = vars_ / sizes
        si = sj[:, None]
        stand_err = cnp.sqrt(si + sj) / 2 ** 0.5
        df = (si + sj) ** 2 / (si ** 2 / (sizes - 1)[:, None] + sj ** 2 / (sizes - 1))
    diffs = means[:, None] - means
    pvalues = _srange_sf(cnp.abs(diffs) / stand_err, float(k), df)
    return result_type("TukeyHSDResult", _SP)(diffs, pvalues)


# ---- Anderson-Darling ----------------------------------------------------------------------------
@export(namespace=STATS)
def anderson(x, dist="norm", *, method=None):
    """The Anderson-Darling test that the data come from ``dist`` (on traced data 'norm' or
    'expon', whose fits are closed forms): the statistic
    −n − Σ (2i − 1)/n·(log F(wᵢ) + log S(wₙ₊₁₋ᵢ)) of the standardised sorted data,
    differentiable in the data; SciPy's critical values (constants); with
    ``method='interpolate'`` the p-value interpolated in SciPy's table (piecewise linear in
    the statistic).

    >>> res = anderson(np.array([0.3, 1.2, 2.0, 2.9, 4.4, 7.0, 1.1]), method="interpolate")
    >>> round(float(res.statistic), 6), round(float(res.pvalue), 6)
    (0.356797, 0.15)
    """
    if not traced(x):
        return _scipy_stats().anderson(x, dist, method=method)
    name = dist.lower()
    if name not in ("norm", "expon"):
        raise NotImplementedError(f"anderson: on traced data chainrule differentiates 'norm' and "
                                  f"'expon' (closed-form fits), not {dist!r}; pass plain data "
                                  f"for SciPy's values")
    if method not in (None, "interpolate"):
        raise NotImplementedError("anderson: on traced data method must be None or "
                                  "'interpolate'")
    x = cnp.ravel(_float(x))
    n = shape(x)[0]
    y = cnp.sort(x)
    xbar = cnp.mean(x)
    if name == "norm":
        s = cnp.std(x, ddof=1)
        w = (y - xbar) / s
        params, d = (xbar, s), DISTRIBUTIONS["norm"]
    else:
        w = y / xbar
        params, d = (np.float64(0.0), xbar), DISTRIBUTIONS["expon"]
    i = np.arange(1, n + 1)
    a2 = -n - cnp.sum((2 * i - 1.0) / n * (d.logcdf(w) + cnp.flip(d.logsf(w))))
    with warnings.catch_warnings():   # (the critical values depend on n only)
        warnings.simplefilter("ignore")
        table = _scipy_stats().anderson(np.arange(1.0, n + 1), name)
    critical, sig = table.critical_values, table.significance_level
    if method == "interpolate":
        p = cnp.interp(a2, critical, sig / 100)
        return result_type("SignificanceResult", _SP)(numpy_scalar(a2), numpy_scalar(p))
    warnings.warn("As of SciPy 1.17, users must choose a p-value calculation method by "
                  "providing the `method` parameter (see scipy.stats.anderson)", FutureWarning,
                  stacklevel=2)
    fit = result_type("FitResult", ("params",))(
        result_type("FitParams", ("loc", "scale"))(numpy_scalar(params[0]),
                                                   numpy_scalar(params[1])))
    return result_type("AndersonResult", ("statistic", "critical_values", "significance_level"),
                       ("fit_result",))(numpy_scalar(a2), critical, sig, fit_result=fit)


# ---- Shapiro-Wilk --------------------------------------------------------------------------------
# SciPy's swilk (Royston's algorithm AS R94), written with chainrule.numpy: the coefficients
# depend on n only (NumPy, as SciPy computes them); W and its p-value (Royston's normalising
# polynomials and the algorithm's own normal tail, alnorm) are differentiable in the data.
_SW_C1 = [0.0, 0.221157, -0.147981, -0.207119e1, 0.4434685e1, -0.2706056e1]
_SW_C2 = [0.0, 0.42981e-1, -0.293762, -0.1752461e1, 0.5682633e1, -0.3582633e1]
_SW_C3 = [0.5440, -0.39978, 0.25054e-1, -0.6714e-3]
_SW_C4 = [0.13822e1, -0.77857, 0.62767e-1, -0.20322e-2]
_SW_C5 = [-0.15861e1, -0.31082, -0.83751e-1, 0.38915e-2]
_SW_C6 = [-0.4803, -0.82676e-1, 0.30302e-2]
_SW_G = [-0.2273e1, 0.459]


def _sw_poly(c, x):
    """swilk's polynomial c[0] + c[1]·x + … (its coefficients stored as c0, cn, …, c1)."""
    nord = len(c)
    if nord == 1:
        return c[0]
    p = x * c[nord - 1]
    if nord == 2:
        return c[0] + p
    for ind in range(nord - 2, 0, -1):
        p = (p + c[ind]) * x
    return c[0] + p


def _sw_ppnd(p):
    q = p - 0.5
    if abs(q) <= 0.42:
        r = q * q
        return (q * (((-25.44106049637 * r + 41.39119773534) * r - 18.61500062529) * r
                     + 2.50662823884)
                / ((((3.13082909833 * r - 21.06224101826) * r + 23.08336743743) * r
                    - 8.47351093090) * r + 1.0))
    r = 1 - p if q > 0 else p
    if r <= 0:
        return 0.0
    r = np.sqrt(-np.log(r))
    t = (((2.32121276858 * r + 4.85014127135) * r - 2.29796479134) * r - 2.78718931138)
    t /= (1.63706781897 * r + 3.54388924762) * r + 1.0
    return -t if q < 0 else t


def _sw_coefficients(n):
    nn2 = n // 2
    a = np.zeros(nn2)
    if n == 3:
        a[0] = np.sqrt(2) / 2
        return a
    an25 = n + 0.25
    a[:] = [_sw_ppnd((i + 1 - 0.375) / an25) for i in range(nn2)]
    summ2 = 2.0 * np.sum(a ** 2)
    ssumm2 = np.sqrt(summ2)
    rsn = 1 / np.sqrt(n)
    a1 = _sw_poly(_SW_C1, rsn) - a[0] / ssumm2
    if n > 5:
        i1 = 2
        a2 = -a[1] / ssumm2 + _sw_poly(_SW_C2, rsn)
        fac = np.sqrt((summ2 - 2 * a[0] ** 2 - 2 * a[1] ** 2) / (1 - 2 * a1 ** 2 - 2 * a2 ** 2))
        a[1] = a2
    else:
        i1 = 1
        fac = np.sqrt((summ2 - 2 * a[0] ** 2) / (1 - 2 * a1 ** 2))
    a[0] = a1
    a[i1:] *= -1.0 / fac
    return a


def _sw_alnorm_upper(x):
    """swilk's upper normal tail (AS 66, alnorm), elementwise with chainrule."""
    lower = ~(x > 0)
    z = cnp.abs(x)
    y = 0.5 * z * z
    near = 0.5 - z * (0.398942280444 - 0.399903438504 * y
                      / (y + 5.75885480458 - 29.8213557808
                         / (y + 2.62433121679 + 48.6959930692 / (y + 5.92885724438))))
    zf = cnp.where(z <= 1.28, 2.0, z)   # (the far branch, kept finite where unused)
    far = 0.398942280385 * cnp.exp(-0.5 * zf * zf) / (
        zf - 3.8052e-8 + 1.00000615302 / (zf + 3.98064794e-4 + 1.98615381364 / (
            zf - 0.151679116635 + 5.29330324926 / (zf + 4.8385912808 - 15.1508972451 / (
                zf + 0.742380924027 + 30.789933034 / (zf + 3.99019417011))))))
    temp = cnp.where(z <= 1.28, near, far)
    out = cnp.where(lower, 1 - temp, temp)
    beyond = cnp.where(lower, z > 7.0, z > 38.0)
    return cnp.where(beyond, cnp.where(lower, 1.0, 0.0), out)


@export(namespace=STATS)
def shapiro(x):
    """The Shapiro-Wilk test of normality: W and its p-value (SciPy's algorithm, Royston's AS
    R94), differentiable in the data.

    >>> res = shapiro(np.array([0.3, 1.2, 2.0, 2.9, 4.4, 7.0, 1.1]))
    >>> round(float(res.statistic), 6), round(float(res.pvalue), 6)
    (0.902677, 0.347501)
    """
    if not traced(x):
        return _scipy_stats().shapiro(x)
    x = cnp.ravel(_float(x))
    n = shape(x)[0]
    if n < 3:   # (SciPy's nan)
        return stand_in("shapiro", np.zeros(n))
    rtype = result_type("ShapiroResult", _SP)
    a = _sw_coefficients(n)
    coef = np.zeros(n)
    half = n // 2
    coef[:half] = -a
    coef[n - half:] = a[::-1]
    y = cnp.sort(x) - x[n // 2]
    rng_ = y[-1] - y[0]
    flat = rng_ < 1e-19   # (SciPy's W = 1, p = 1 for data of no range)
    if not traced(flat) and flat:
        warnings.warn("scipy.stats.shapiro: Input data has range zero. The results may not be "
                      "accurate.", stacklevel=2)
        return rtype(np.float64(1.0), np.float64(1.0))
    xs = y / cnp.where(flat, 1.0, rng_)
    asa = coef - np.mean(coef)
    xsx = xs - cnp.mean(xs)
    ssa, ssx, sax = float(np.sum(asa * asa)), cnp.sum(xsx * xsx), cnp.sum(asa * xsx)
    root = cnp.sqrt(ssa * ssx)
    w1 = (root - sax) * (root + sax) / (ssa * ssx)
    w = 1 - w1
    if n == 3:
        small = w < 0.75
        pw = cnp.where(small, 0.0, 1.0 - 6 / np.pi * cnp.arccos(cnp.sqrt(cnp.maximum(w, 0.75))))
        return rtype(numpy_scalar(cnp.where(small, 0.75, w)), numpy_scalar(pw))
    yl = cnp.log(w1)
    if n <= 11:
        gamma = _sw_poly(_SW_G, float(n))
        beyond = yl >= gamma
        yl = -cnp.log(gamma - cnp.where(beyond, gamma - 1.0, yl))
        m, s = _sw_poly(_SW_C3, float(n)), np.exp(_sw_poly(_SW_C4, float(n)))
    else:
        beyond = False
        m, s = _sw_poly(_SW_C5, np.log(n)), np.exp(_sw_poly(_SW_C6, np.log(n)))
    pw = cnp.where(beyond, 1e-19, _sw_alnorm_upper((yl - m) / s))
    if n > 5000:
        warnings.warn("scipy.stats.shapiro: For N > 5000, computed p-value may not be "
                      f"accurate. Current N is {n}.", stacklevel=2)
    w, pw = cnp.where(flat, 1.0, w), cnp.where(flat, 1.0, pw)
    return rtype(numpy_scalar(nan_where_nan(w, x)), numpy_scalar(nan_where_nan(pw, x)))


# ---- the binomial test --------------------------------------------------------------------------
def _binom_search(a, d, lo, hi):
    """SciPy's binary search for the two-sided binomial test: the i in [lo, hi] with
    a(i) ≤ d < a(i + 1)."""
    while lo < hi:
        mid = lo + (hi - lo) // 2
        midval = a(mid)
        if midval < d:
            lo = mid + 1
        elif midval > d:
            hi = mid - 1
        else:
            return mid
    return lo if a(lo) <= d else lo - 1


def _binom_tails_impl(p, k, n):
    """The two-sided p-value's tails cdf(lo) + sf(hi), as SciPy finds them for p (which
    outcomes are as unlikely as k: no derivative); lo = −2 marks SciPy's p-value 1."""
    binom = _scipy_stats().binom
    p = float(p)
    d = binom.pmf(k, n, p)
    rerr = 1 + 1e-7
    if k == p * n:
        return np.array([-2.0, 0.0])
    if k < p * n:
        ix = _binom_search(lambda x1: -binom.pmf(x1, n, p), -d * rerr, np.ceil(p * n), n)
        y = n - ix + int(d * rerr == binom.pmf(ix, n, p))
        return np.array([k, n - y], dtype=np.float64)
    ix = _binom_search(lambda x1: binom.pmf(x1, n, p), d * rerr, 0, np.floor(p * n))
    return np.array([ix, k - 1], dtype=np.float64)


_binom_tails = Primitive("binomtest_tails", _binom_tails_impl)
_declare(_binom_tails, jvp=None, vjp=None, batch=loop_batch(_binom_tails), names=())


@export(namespace=STATS)
def binomtest(k, n, p=0.5, alternative="two-sided"):
    """The test that the probability of success is ``p``, given k successes in n trials:
    SciPy's result on plain arguments; with a traced ``p`` its p-value (sums of binomial
    probabilities, ``bdtr`` and ``bdtrc``) is differentiable in p (which outcomes count as
    extreme has no derivative). ``k`` and ``n`` are counts.

    >>> import chainrule as cr
    >>> round(float(cr.grad(lambda p: binomtest(3, 15, p, "greater").pvalue)(0.1)), 6)
    3.855163
    """
    if not traced(k, n, p):
        return _scipy_stats().binomtest(k, n, p, alternative)
    if traced(k, n):
        raise TypeError("chainrule.scipy.stats.binomtest: k and n are counts; pass plain "
                        "integers (the derivative is in p)")
    k, n = int(k), int(n)
    if k > n:
        raise ValueError(f"k ({k}) must not be greater than n ({n}).")
    if alternative not in ("two-sided", "less", "greater"):
        raise ValueError(f"alternative ('{alternative}') not recognized; \n"
                         "must be 'two-sided', 'less' or 'greater'")
    p = cnp.asarray(p, dtype=np.float64)

    def sf(j):   # (the binomial survival function; 1 below the support)
        return cnp.where(j < 0, 1.0, csp.bdtrc(cnp.maximum(j, 0.0), float(n), p))
    if alternative == "less":
        pval = csp.bdtr(float(k), float(n), p)
    elif alternative == "greater":
        pval = sf(np.float64(k - 1))
    else:
        tails = _binom_tails(p, k=k, n=n)
        lo, hi = tails[0], tails[1]
        cdf = cnp.where(lo < 0, 0.0, csp.bdtr(cnp.maximum(lo, 0.0), float(n), p))
        pval = cnp.where(lo == -2.0, 1.0, cdf + sf(hi))
        pval = cnp.minimum(1.0, pval)
    return result_type("BinomTestResult", ("k", "n", "alternative", "statistic", "pvalue"))(
        k, n, alternative, k / n, numpy_scalar(pval))
