"""Still more of ``scipy.stats``, written with ``chainrule.numpy``: tests of normality
(``skewtest``, ``kurtosistest``, ``normaltest``, ``jarque_bera``), ``power_divergence``,
``f_oneway``, ``ttest_ind_from_stats``, ``pointbiserialr``, ``combine_pvalues``, and the
Box-Cox and Yeo-Johnson transforms with a given λ and their log-likelihoods (differentiable
in λ too). Statistics and p-values are differentiable in the data.

>>> import numpy as np, chainrule as cr
>>> round(float(boxcox_llf(0.5, np.array([1.0, 2.0, 4.0, 7.0]))), 6)
-2.875233
"""

import warnings
from collections import namedtuple

import numpy as np

from ..core.registry import STATS
from ..primitives.declare import export
from ..primitives.util import shape, numpy_scalar
from .. import numpy as cnp
from . import special as csp
from .summary import (_propagate, _data, _float, skew, kurtosis, pearsonr, SignificanceResult,
                      _too_short)
from .hypothesis import (ttest_ind, TtestResult, Power_divergenceResult, _result,  # noqa: F401
                         _welch_p)

__all__ = ["SkewtestResult", "KurtosistestResult", "NormaltestResult", "F_onewayResult"]

SkewtestResult = namedtuple("SkewtestResult", ("statistic", "pvalue"))
KurtosistestResult = namedtuple("KurtosistestResult", ("statistic", "pvalue"))
NormaltestResult = namedtuple("NormaltestResult", ("statistic", "pvalue"))
F_onewayResult = namedtuple("F_onewayResult", ("statistic", "pvalue"))


def _normal_p(z, alternative):
    if alternative == "two-sided":
        return 2.0 * csp.ndtr(-cnp.abs(z))
    if alternative == "less":
        return csp.ndtr(z)
    if alternative == "greater":
        return csp.ndtr(-z)
    raise ValueError("alternative must be 'two-sided', 'less' or 'greater'")


def _too_small(fname, least, n):
    warnings.warn(f"{fname} needs at least {least} observations ({int(n)} given): the result "
                  f"is nan", RuntimeWarning, stacklevel=4)


def _skew_z(a, axis):
    n = float(shape(a)[axis])
    b2 = skew(a, axis)
    if n < 8:   # SciPy's nan (and a warning), as for any too-small sample
        _too_small("skewtest", 8, n)
        return b2 * np.nan
    y = b2 * float(np.sqrt(((n + 1) * (n + 3)) / (6.0 * (n - 2))))
    beta2 = (3.0 * (n ** 2 + 27 * n - 70) * (n + 1) * (n + 3)
             / ((n - 2.0) * (n + 5) * (n + 7) * (n + 9)))
    # Python floats (NumPy's would promote a float32 sample's statistic to float64)
    w2 = -1 + float(np.sqrt(2 * (beta2 - 1)))
    delta = 1 / float(np.sqrt(0.5 * np.log(w2)))
    alpha = float(np.sqrt(2.0 / (w2 - 1)))
    y = cnp.where(y == 0, 1.0, y)
    return delta * cnp.arcsinh(y / alpha)


def _kurtosis_z(a, axis):
    n = float(shape(a)[axis])
    b2 = kurtosis(a, axis, fisher=False)
    if n < 5:
        _too_small("kurtosistest", 5, n)
        return b2 * np.nan
    e = 3.0 * (n - 1) / (n + 1)
    varb2 = 24.0 * n * (n - 2) * (n - 3) / ((n + 1) * (n + 1.0) * (n + 3) * (n + 5))
    x = (b2 - e) / varb2 ** 0.5
    sqrtbeta1 = 6.0 * (n * n - 5 * n + 2) / ((n + 7) * (n + 9)) * (
        (6.0 * (n + 3) * (n + 5)) / (n * (n - 2) * (n - 3))) ** 0.5
    big_a = 6.0 + 8.0 / sqrtbeta1 * (2.0 / sqrtbeta1 + (1 + 4.0 / sqrtbeta1 ** 2) ** 0.5)
    term1 = 1 - 2 / (9.0 * big_a)
    denom = 1 + x * (2 / (big_a - 4.0)) ** 0.5
    safe = cnp.where(denom == 0.0, 1.0, denom)
    term2 = cnp.where(denom == 0.0, np.nan,
                      cnp.sign(denom) * ((1 - 2.0 / big_a) / cnp.abs(safe)) ** (1 / 3))
    return (term1 - term2) / (2 / (9.0 * big_a)) ** 0.5


@export(namespace=STATS)
def skewtest(a, axis=0, nan_policy="propagate", alternative="two-sided", *, keepdims=False):
    """D'Agostino's test that the skewness is that of a normal distribution (n ≥ 8).

    >>> res = skewtest(np.array([1.0, 2.0, 2.5, 3.0, 4.0, 4.5, 9.0, 12.0]))
    >>> round(float(res.statistic), 6)
    1.697762
    """
    _propagate("skewtest", nan_policy)
    a, axis, _ = _data(_float(a), axis)
    z = _skew_z(a, axis)
    return SkewtestResult(numpy_scalar(z), numpy_scalar(_normal_p(z, alternative)))


@export(namespace=STATS)
def kurtosistest(a, axis=0, nan_policy="propagate", alternative="two-sided", *, keepdims=False):
    """Anscombe and Glynn's test that the kurtosis is that of a normal distribution.

    >>> res = kurtosistest(np.array([1.0, 2.0, 2.5, 3.0, 4.0, 4.5, 9.0, 12.0]))
    >>> round(float(res.statistic), 6)
    0.608449
    """
    _propagate("kurtosistest", nan_policy)
    a, axis, _ = _data(_float(a), axis)
    z = _kurtosis_z(a, axis)
    return KurtosistestResult(numpy_scalar(z), numpy_scalar(_normal_p(z, alternative)))


@export(namespace=STATS)
def normaltest(a, axis=0, nan_policy="propagate", *, keepdims=False):
    """D'Agostino and Pearson's omnibus test: s² + k² of the two tests above, χ² with 2
    degrees of freedom.

    >>> res = normaltest(np.array([1.0, 2.0, 2.5, 3.0, 4.0, 4.5, 9.0, 12.0]))
    >>> round(float(res.statistic), 6)
    3.252607
    """
    _propagate("normaltest", nan_policy)
    a, axis, _ = _data(_float(a), axis)
    k2 = _skew_z(a, axis) ** 2 + _kurtosis_z(a, axis) ** 2
    return NormaltestResult(numpy_scalar(k2), numpy_scalar(cnp.exp(-0.5 * k2)))


@export(namespace=STATS)
def jarque_bera(x, *, axis=None, nan_policy="propagate", keepdims=False):
    """The Jarque-Bera statistic n/6·(S² + K²/4) and its χ²(2) p-value.

    >>> res = jarque_bera(np.array([1.0, 2.0, 2.5, 3.0, 4.0, 4.5, 9.0, 12.0]))
    >>> round(float(res.statistic), 6)
    1.436165
    """
    _propagate("jarque_bera", nan_policy)
    x, axis, _ = _data(_float(x), axis)
    n = float(shape(x)[axis])
    s, k = skew(x, axis), kurtosis(x, axis)
    stat = n / 6 * (s ** 2 + k ** 2 / 4)
    return SignificanceResult(numpy_scalar(stat), numpy_scalar(cnp.exp(-0.5 * stat)))


_LAMBDAS = {"pearson": 1.0, "log-likelihood": 0.0, "freeman-tukey": -0.5,
            "mod-log-likelihood": -1.0, "neyman": -2.0, "cressie-read": 2.0 / 3.0}


@export(namespace=STATS)
def power_divergence(f_obs, f_exp=None, ddof=0, axis=0, lambda_=None, *,
                     nan_policy="propagate", keepdims=False):
    """Cressie and Read's power-divergence statistic (``lambda_``: a number or one of
    'pearson', 'log-likelihood', 'freeman-tukey', 'mod-log-likelihood', 'neyman',
    'cressie-read') and its χ² p-value.

    >>> res = power_divergence(np.array([16.0, 18.0, 16.0, 14.0, 12.0, 12.0]), lambda_=0)
    >>> round(float(res.statistic), 6)
    2.006573
    """
    _propagate("power_divergence", nan_policy)
    lam = _LAMBDAS["pearson" if lambda_ is None else lambda_] if isinstance(lambda_, str) \
        or lambda_ is None else float(lambda_)
    f_obs, axis, flat = _data(_float(f_obs), axis)
    k = shape(f_obs)[axis]
    if f_exp is None:
        f_exp = cnp.sum(f_obs, axis=axis, keepdims=True) / k
    else:
        f_exp = _float(f_exp)
        f_exp = cnp.reshape(f_exp, (-1,)) if flat is not None else f_exp
    if lam == 1:
        terms = (f_obs - f_exp) ** 2 / f_exp
    elif lam == 0:
        terms = 2.0 * csp.xlogy(f_obs, f_obs / f_exp)
    elif lam == -1:
        terms = 2.0 * csp.xlogy(f_exp, f_exp / f_obs)
    else:
        terms = f_obs * ((f_obs / f_exp) ** lam - 1) * (2.0 / (lam * (lam + 1)))
    stat = cnp.sum(terms, axis=axis)
    return Power_divergenceResult(numpy_scalar(stat),
                                  numpy_scalar(csp.chdtrc(k - 1.0 - ddof, stat)))


@export(namespace=STATS)
def f_oneway(*samples, axis=0, equal_var=True, nan_policy="propagate", keepdims=False):
    """One-way ANOVA: the F statistic of between- to within-group variance and its p-value.

    >>> res = f_oneway(np.array([1.0, 2.0, 3.0]), np.array([2.0, 4.0, 6.0, 8.0]))
    >>> round(float(res.statistic), 6)
    3.506494
    """
    _propagate("f_oneway", nan_policy)
    if not equal_var:
        raise NotImplementedError("f_oneway: Welch's ANOVA (equal_var=False) is not supported")
    if len(samples) < 2:
        raise TypeError("f_oneway: at least two samples are required")
    groups = [_data(_float(s), axis)[:2] for s in samples]
    sizes = [shape(g)[ax] for g, ax in groups]
    total_n, k = float(sum(sizes)), len(groups)
    means = [cnp.mean(g, axis=ax) for g, ax in groups]
    grand = sum(m * n for m, n in zip(means, sizes)) / total_n
    ssb = sum(n * (m - grand) ** 2 for m, n in zip(means, sizes))
    ssw = sum(cnp.sum((g - cnp.mean(g, axis=ax, keepdims=True)) ** 2, axis=ax)
              for g, ax in groups)
    dfb, dfw = k - 1.0, total_n - k
    f = (ssb / dfb) / (ssw / dfw)
    return F_onewayResult(numpy_scalar(f), numpy_scalar(csp.fdtrc(dfb, dfw, f)))


@export(namespace=STATS)
def ttest_ind_from_stats(mean1, std1, nobs1, mean2, std2, nobs2, equal_var=True,
                         alternative="two-sided"):
    """The two-sample t test from the means, sample standard deviations (ddof = 1) and
    sizes; differentiable in the means and standard deviations.

    >>> res = ttest_ind_from_stats(1.0, 0.5, 10, 1.5, 0.6, 12)
    >>> round(float(res.statistic), 6)
    -2.095649
    """
    v1, v2 = std1 ** 2, std2 ** 2
    if equal_var:
        df = nobs1 + nobs2 - 2.0
        denom = cnp.sqrt(((nobs1 - 1) * v1 + (nobs2 - 1) * v2) / df * (1.0 / nobs1 + 1.0 / nobs2))
        return _result((mean1 - mean2) / denom, df, alternative)
    vn1, vn2 = v1 / nobs1, v2 / nobs2
    df = (vn1 + vn2) ** 2 / (vn1 ** 2 / (nobs1 - 1) + vn2 ** 2 / (nobs2 - 1))
    t = (mean1 - mean2) / cnp.sqrt(vn1 + vn2)
    return TtestResult(numpy_scalar(t), numpy_scalar(_welch_p(t, df, alternative=alternative)),
                       numpy_scalar(df))


@export(namespace=STATS)
def pointbiserialr(x, y):
    """The point-biserial correlation (Pearson's r with a binary x) and its p-value.

    >>> res = pointbiserialr(np.array([0.0, 0.0, 1.0, 1.0]), np.array([1.0, 2.0, 2.5, 4.0]))
    >>> round(float(res.statistic), 6)
    0.80829
    """
    if _too_short(x, y):   # SciPy's nan (its pearsonr raises there)
        return SignificanceResult(np.float64(np.nan), np.float64(np.nan))
    r = pearsonr(x, y)
    return SignificanceResult(r.statistic, r.pvalue)


@export(namespace=STATS)
def combine_pvalues(pvalues, method="fisher", weights=None, *, axis=0, nan_policy="propagate",
                    keepdims=False):
    """One p-value from independent tests: 'fisher', 'pearson', 'tippett' or 'stouffer'
    (with ``weights``).

    >>> res = combine_pvalues(np.array([0.01, 0.2, 0.3]))
    >>> round(float(res.statistic), 6), round(float(res.pvalue), 6)
    (14.837162, 0.021562)
    """
    _propagate("combine_pvalues", nan_policy)
    p, axis, _ = _data(_float(pvalues), axis)
    k = float(shape(p)[axis])
    if k == 0:   # SciPy's nan for no p-values (the sums would be 0)
        nan = np.full(shape(p)[:axis] + shape(p)[axis + 1:], np.nan)[()]
        return SignificanceResult(nan, nan)
    if method == "fisher":
        stat = -2.0 * cnp.sum(cnp.log(p), axis=axis)
        pval = csp.chdtrc(2 * k, stat)
    elif method == "pearson":
        stat = 2.0 * cnp.sum(cnp.log1p(-p), axis=axis)
        pval = csp.chdtr(2 * k, -stat)
    elif method == "tippett":
        stat = cnp.min(p, axis=axis)
        pval = -cnp.expm1(k * cnp.log1p(-stat))
    elif method == "stouffer":
        z = -csp.ndtri(p)
        w = cnp.ones_like(z) if weights is None else _float(weights)
        stat = cnp.sum(w * z, axis=axis) / cnp.sqrt(cnp.sum(w * w, axis=axis))
        pval = csp.ndtr(-stat)
    else:
        raise NotImplementedError(f"combine_pvalues: method {method!r} is not supported "
                                  f"('fisher', 'pearson', 'tippett', 'stouffer')")
    return SignificanceResult(numpy_scalar(stat), numpy_scalar(pval))


# ---- Box-Cox and Yeo-Johnson with a given λ ---------------------------------------------------------
@export(namespace=STATS)
def boxcox(x, lmbda=None, alpha=None, optimizer=None):
    """The Box-Cox transform of positive data with the given ``lmbda`` (differentiable in x
    and λ). SciPy's fit of λ (``lmbda=None``) is not supported: maximise
    :func:`boxcox_llf` yourself, e.g. with chainrule's gradients.

    >>> boxcox(np.array([1.0, 4.0]), 0.5)
    array([0., 2.])
    """
    if lmbda is None:
        raise NotImplementedError("boxcox: fitting lmbda is not supported; pass lmbda, or "
                                  "maximise chainrule.scipy.stats.boxcox_llf over it")
    return csp.boxcox(_float(x), lmbda)


@export(namespace=STATS)
def boxcox_llf(lmb, data, *, axis=0, keepdims=False, nan_policy="propagate"):
    """The Box-Cox log-likelihood (λ − 1)·Σ log x − n/2·log var(boxcox(x, λ)),
    differentiable in λ and the data.

    >>> round(float(boxcox_llf(1.0, np.array([1.0, 2.0, 4.0, 7.0]))), 6)
    -3.316456
    """
    _propagate("boxcox_llf", nan_policy)
    data, axis, _ = _data(_float(data), axis)
    n = float(shape(data)[axis])
    logdata = cnp.log(data)
    var = cnp.var(csp.boxcox(data, lmb), axis=axis)
    return numpy_scalar((lmb - 1.0) * cnp.sum(logdata, axis=axis) - 0.5 * n * cnp.log(var))


def _yeojohnson(x, lmbda):
    pos = x >= 0
    up = csp.boxcox1p(cnp.where(pos, x, 0.0), lmbda)
    down = -csp.boxcox1p(cnp.where(pos, 0.0, -x), 2.0 - lmbda)
    return cnp.where(pos, up, down)


@export(namespace=STATS)
def yeojohnson(x, lmbda=None):
    """The Yeo-Johnson transform with the given ``lmbda`` (Box-Cox of 1 + x for x ≥ 0, of
    1 − x with 2 − λ below), differentiable in x and λ; fitting λ is not supported.

    >>> yeojohnson(np.array([-1.0, 0.0, 3.0]), 0.5).round(6)
    array([-1.218951,  0.      ,  2.      ])
    """
    if lmbda is None:
        raise NotImplementedError("yeojohnson: fitting lmbda is not supported; pass lmbda, or "
                                  "maximise chainrule.scipy.stats.yeojohnson_llf over it")
    return _yeojohnson(_float(x), lmbda)


@export(namespace=STATS)
def yeojohnson_llf(lmb, data, *, axis=0, keepdims=False, nan_policy="propagate"):
    """The Yeo-Johnson log-likelihood −n/2·log var(T(x)) + (λ − 1)·Σ sign(x)·log(1 + |x|).

    >>> round(float(yeojohnson_llf(1.0, np.array([-1.0, 0.5, 2.0, 4.0]))), 6)
    -2.460377
    """
    _propagate("yeojohnson_llf", nan_policy)
    data, axis, _ = _data(_float(data), axis)
    n = float(shape(data)[axis])
    var = cnp.var(_yeojohnson(data, lmb), axis=axis)
    logs = cnp.sum(cnp.sign(data) * cnp.log1p(cnp.abs(data)), axis=axis)
    return numpy_scalar(-0.5 * n * cnp.log(var) + (lmb - 1.0) * logs)
