"""SciPy's summary statistics (``scipy.stats.skew``, ``linregress``, ``wasserstein_distance``…)
written with ``chainrule.numpy``, so their derivatives are exact and follow by the chain
rule, to any order.

(Rank-based results and distances between distributions are in ``ranked.py``.) The
functions take
SciPy's ``axis=`` (``None``: the flattened data) and ``keepdims=``; ``nan_policy`` other
than ``'propagate'`` (the default: a nan in a slice gives nan) raises, as a derivative of
"drop the nans" is the derivative of the kept values, which the program should select
itself (``x[~cnp.isnan(x)]``).

>>> import numpy as np, chainrule as cr
>>> float(skew(np.array([1.0, 2.0, 4.0]))).__round__(6)
0.381802
"""

from collections import namedtuple

import numpy as np

from ..core import tree
from ..core.registry import STATS
from ..primitives.declare import export
from ..primitives.util import numpy_scalar, shape, ndim
from .. import numpy as cnp
from . import special as csp

__all__ = ["DescribeResult", "LinregressResult", "PearsonRResult", "SignificanceResult"]

DescribeResult = namedtuple("DescribeResult",
                            ("nobs", "minmax", "mean", "variance", "skewness", "kurtosis"))
PearsonRResult = namedtuple("PearsonRResult", ("statistic", "pvalue"))
SignificanceResult = namedtuple("SignificanceResult", ("statistic", "pvalue"))
_LinregressBase = namedtuple("LinregressResult",
                             ("slope", "intercept", "rvalue", "pvalue", "stderr"))


class LinregressResult(_LinregressBase):
    """SciPy's result: five fields to unpack, and ``intercept_stderr`` as an attribute."""

    def __new__(cls, slope, intercept, rvalue, pvalue, stderr, intercept_stderr=None):
        out = super().__new__(cls, slope, intercept, rvalue, pvalue, stderr)
        out.intercept_stderr = intercept_stderr
        return out


def _register_extra_field_result(cls, extra):
    """Make jit and vmap carry a result's extra attribute (as a namedtuple they dropped it)."""
    tree.register_pytree_node(cls, lambda r: ((*r, getattr(r, extra)), None),
                              lambda aux, children: cls(*children))


_register_extra_field_result(LinregressResult, "intercept_stderr")


def _propagate(fname, nan_policy):
    if nan_policy != "propagate":
        raise NotImplementedError(
            f"chainrule.scipy.stats.{fname}: nan_policy={nan_policy!r} is not supported; use "
            f"the default 'propagate' and select the values to keep yourself "
            f"(x[~chainrule.numpy.isnan(x)]), whose derivative is then exact")


def _data(a, axis):
    """``a`` as an array (lists accepted), flattened when ``axis`` is None; and the axis."""
    a = cnp.asarray(a)
    if axis is None or ndim(a) == 0:  # SciPy takes a scalar as one observation
        return cnp.reshape(a, (-1,)), 0, ndim(a)
    return a, int(axis) % max(ndim(a), 1), None


def _finish(x, axis, keepdims, flat_ndim):
    """A reduction computed with its axis kept: drop it, or keep SciPy's shape."""
    if not keepdims:
        x = cnp.squeeze(x, axis=axis)
    elif flat_ndim is not None:
        x = cnp.reshape(x, (1,) * flat_ndim)
    return numpy_scalar(x)


def _float(a):
    a = cnp.asarray(a)   # a list too: callers subtract and index it
    return a if a.dtype.kind in "fc" else cnp.asarray(a, dtype=np.float64)


@export(namespace=STATS)
def zscore(a, axis=0, ddof=0, nan_policy="propagate"):
    """(a − mean)/std along ``axis`` (nan where the standard deviation is 0, as SciPy's).

    >>> zscore(np.array([1.0, 2.0, 3.0])).round(6)
    array([-1.224745,  0.      ,  1.224745])
    """
    _propagate("zscore", nan_policy)
    a = _float(cnp.asarray(a))
    if axis is None:
        flat = cnp.reshape(a, (-1,))
        return cnp.reshape(zscore(flat, 0, ddof), shape(a))
    mean = cnp.mean(a, axis=axis, keepdims=True)
    return (a - mean) / cnp.std(a, axis=axis, ddof=ddof, keepdims=True)


@export(namespace=STATS)
def entropy(pk, qk=None, base=None, axis=0, *, nan_policy="propagate", keepdims=False):
    """Shannon entropy −Σ p log p of the normalised ``pk``, or with ``qk`` the relative
    entropy (Kullback-Leibler divergence) Σ p log(p/q); in units of log(``base``).

    >>> round(float(entropy(np.array([0.5, 0.5]), base=2)), 6)
    1.0
    """
    _propagate("entropy", nan_policy)
    pk = _float(cnp.asarray(pk))
    if qk is not None:
        pk, qk = cnp.broadcast_arrays(pk, _float(cnp.asarray(qk)))
    pk, axis, flat = _data(pk, axis)
    pk = pk / cnp.sum(pk, axis=axis, keepdims=True)
    if qk is None:
        terms = csp.entr(pk)
    else:
        qk = cnp.reshape(qk, (-1,)) if flat is not None else qk
        terms = csp.rel_entr(pk, qk / cnp.sum(qk, axis=axis, keepdims=True))
    s = cnp.sum(terms, axis=axis, keepdims=True)
    if base is not None:
        s = s / float(np.log(base))
    return _finish(s, axis, keepdims, flat)


def _central(a, axis, order, mean=None):
    mean = cnp.mean(a, axis=axis, keepdims=True) if mean is None else mean
    return cnp.mean((a - mean) ** order, axis=axis, keepdims=True)


def _standardised(a, axis, order):
    """(m_order / m2^(order/2), zero-variance mask, n) along ``axis`` (kept), nan where the
    variance is below SciPy's threshold (eps·mean)²."""
    n = shape(a)[axis]
    mean = cnp.mean(a, axis=axis, keepdims=True)
    m2 = _central(a, axis, 2, mean)
    mk = _central(a, axis, order, mean)
    eps = np.finfo(cnp.asarray(m2).dtype).eps
    zero = m2 <= (eps * mean) ** 2
    safe = cnp.where(zero, 1.0, m2)
    return cnp.where(zero, np.nan, mk / safe ** (order / 2.0)), zero, n


@export(namespace=STATS)
def skew(a, axis=0, bias=True, nan_policy="propagate", *, keepdims=False):
    """The sample skewness m₃/m₂^(3/2) (``bias=False``: the adjusted Fisher-Pearson
    coefficient).

    >>> round(float(skew(np.array([1.0, 2.0, 4.0]), bias=False)), 6)
    0.93522
    """
    _propagate("skew", nan_policy)
    a, axis, flat = _data(_float(a), axis)
    vals, zero, n = _standardised(a, axis, 3)
    if not bias and n > 2:
        vals = cnp.where(zero, vals, ((n - 1.0) * n) ** 0.5 / (n - 2.0) * vals)
    return _finish(vals, axis, keepdims, flat)


@export(namespace=STATS)
def kurtosis(a, axis=0, fisher=True, bias=True, nan_policy="propagate", *, keepdims=False):
    """The sample kurtosis m₄/m₂² (minus 3 with ``fisher=True``; ``bias=False`` corrects
    for the sample size).

    >>> round(float(kurtosis(np.array([1.0, 2.0, 4.0, 8.0]))), 6)
    -1.098979
    """
    _propagate("kurtosis", nan_policy)
    a, axis, flat = _data(_float(a), axis)
    vals, zero, n = _standardised(a, axis, 4)
    if not bias and n > 3:
        adjusted = 1.0 / (n - 2) / (n - 3) * ((n * n - 1.0) * vals - 3 * (n - 1) ** 2.0) + 3.0
        vals = cnp.where(zero, vals, adjusted)
    if fisher:
        vals = vals - 3.0
    return _finish(vals, axis, keepdims, flat)


def _weighted_mean(x, axis, weights):
    if weights is None:
        return cnp.mean(x, axis=axis, keepdims=True)
    w = cnp.broadcast_to(cnp.asarray(weights), shape(x))
    return cnp.sum(x * w, axis=axis, keepdims=True) / cnp.sum(w, axis=axis, keepdims=True)


def _prepare_mean(fname, a, axis, dtype, weights, nan_policy):
    _propagate(fname, nan_policy)
    a = cnp.asarray(a) if dtype is None else cnp.asarray(a, dtype=dtype)
    a = _float(a)
    if weights is not None and axis is None:
        weights = cnp.reshape(cnp.broadcast_to(cnp.asarray(weights), shape(a)), (-1,))
    a, axis, flat = _data(a, axis)
    return a, axis, flat, weights


@export(namespace=STATS)
def gmean(a, axis=0, dtype=None, weights=None, *, nan_policy="propagate", keepdims=False):
    """The (weighted) geometric mean exp(mean(log a)).

    >>> round(float(gmean(np.array([1.0, 4.0]))), 6)
    2.0
    """
    a, axis, flat, weights = _prepare_mean("gmean", a, axis, dtype, weights, nan_policy)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = cnp.exp(_weighted_mean(cnp.log(a), axis, weights))
    return _finish(out, axis, keepdims, flat)


@export(namespace=STATS)
def hmean(a, axis=0, dtype=None, *, weights=None, nan_policy="propagate", keepdims=False):
    """The (weighted) harmonic mean 1/mean(1/a); nan for negative data, 0 where a value is 0.

    >>> round(float(hmean(np.array([1.0, 4.0]))), 6)
    1.6
    """
    a, axis, flat, weights = _prepare_mean("hmean", a, axis, dtype, weights, nan_policy)
    a = cnp.where(a < 0, np.nan, a)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = 1.0 / _weighted_mean(1.0 / a, axis, weights)
    return _finish(out, axis, keepdims, flat)


@export(namespace=STATS)
def pmean(a, p, *, axis=0, dtype=None, weights=None, nan_policy="propagate", keepdims=False):
    """The power mean (mean(a^p))^(1/p) (p = 0: the geometric mean); nan for negative data.

    >>> round(float(pmean(np.array([1.0, 4.0]), 2.0)), 6)    # √((1 + 16)/2)
    2.915476
    """
    if not np.isscalar(p) or not np.isreal(p):
        raise ValueError("pmean: the power p must be a real number (a constant)")
    if p == 0:
        return gmean(a, axis=axis, dtype=dtype, weights=weights, nan_policy=nan_policy,
                     keepdims=keepdims)
    a, axis, flat, weights = _prepare_mean("pmean", a, axis, dtype, weights, nan_policy)
    a = cnp.where(a < 0, np.nan, a)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = _weighted_mean(a ** p, axis, weights) ** (1.0 / p)
    return _finish(out, axis, keepdims, flat)


@export(namespace=STATS)
def sem(a, axis=0, ddof=1, nan_policy="propagate", *, keepdims=False):
    """The standard error of the mean, std(ddof)/√n.

    >>> round(float(sem(np.array([1.0, 2.0, 3.0, 4.0]))), 6)
    0.645497
    """
    _propagate("sem", nan_policy)
    a, axis, flat = _data(_float(a), axis)
    n = shape(a)[axis]
    out = cnp.std(a, axis=axis, ddof=ddof, keepdims=True) / float(np.sqrt(n))
    return _finish(out, axis, keepdims, flat)


@export(namespace=STATS)
def moment(a, order=1, axis=0, nan_policy="propagate", *, center=None, keepdims=False):
    """The ``order``-th central moment mean((a − mean)^order) (about ``center`` if given);
    ``order`` may be a list, giving one moment each.

    >>> float(moment(np.array([1.0, 2.0, 3.0, 4.0]), 2))
    1.25
    """
    _propagate("moment", nan_policy)
    a, axis, flat = _data(_float(a), axis)
    orders = np.asarray(order)
    if orders.size == 0 or np.any(orders != np.round(orders)):
        raise ValueError("moment: order must be an integer or a non-empty list of integers")
    if orders.ndim:
        return cnp.stack([moment(a, int(k), axis, center=center, keepdims=keepdims)
                          for k in orders])
    k = int(orders)
    if k == 0 or (k == 1 and center is None):  # 1 and 0 by definition for finite data
        # 0·mean keeps SciPy's nan for an empty slice or a nan in it (an inf mean counts as
        # finite: SciPy gives 1 and 0 there)
        mean = cnp.mean(a, axis=axis, keepdims=True)
        mean = cnp.where(cnp.isinf(mean), 0.0, mean)
        out = 0.0 * mean + (1.0 if k == 0 else 0.0)
        out = cnp.astype(out, cnp.asarray(a).dtype)
    else:
        out = _central(a, axis, k, None if center is None else center)
    return _finish(out, axis, keepdims, flat)


@export(namespace=STATS)
def variation(a, axis=0, nan_policy="propagate", ddof=0, *, keepdims=False):
    """The coefficient of variation std(ddof)/mean.

    >>> round(float(variation(np.array([1.0, 2.0, 3.0]))), 6)
    0.408248
    """
    _propagate("variation", nan_policy)
    a, axis, flat = _data(_float(a), axis)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = cnp.std(a, axis=axis, ddof=ddof, keepdims=True) / cnp.mean(a, axis=axis,
                                                                         keepdims=True)
    return _finish(out, axis, keepdims, flat)


@export(namespace=STATS)
def describe(a, axis=0, ddof=1, bias=True, nan_policy="propagate"):
    """nobs, (min, max), mean, variance (``ddof``), skewness and kurtosis (Fisher's) in a
    :class:`DescribeResult`, as SciPy's.

    >>> d = describe(np.array([1.0, 2.0, 4.0]))
    >>> d.nobs, float(d.mean).__round__(6), float(d.variance).__round__(6)
    (3, 2.333333, 2.333333)
    """
    _propagate("describe", nan_policy)
    given, axis, _ = _data(cnp.asarray(a), axis)   # min and max in its dtype, as SciPy's
    a = _float(given)
    return DescribeResult(shape(a)[axis], (numpy_scalar(cnp.min(given, axis=axis)),
                                           numpy_scalar(cnp.max(given, axis=axis))),
                          numpy_scalar(cnp.mean(a, axis=axis)),
                          numpy_scalar(cnp.var(a, axis=axis, ddof=ddof)),
                          skew(a, axis, bias=bias), kurtosis(a, axis, bias=bias))


_NORMAL_IQR = 1.3489795003921634    # 2·√2·erfinv(1/2): the iqr of the standard normal


@export(namespace=STATS)
def iqr(x, axis=None, rng=(25, 75), scale=1.0, nan_policy="propagate",
        interpolation="linear", keepdims=False):
    """The interquartile range (or the range between the percentiles ``rng``), divided by
    ``scale`` ('normal' makes it an estimate of the standard deviation).

    >>> float(iqr(np.array([1.0, 2.0, 3.0, 4.0, 5.0])))
    2.0
    """
    _propagate("iqr", nan_policy)
    if isinstance(scale, str):
        if scale != "normal":
            raise ValueError(f"iqr: scale must be a number or 'normal', not {scale!r}")
        scale = _NORMAL_IQR
    x = _float(x)
    if 0 in shape(x):   # SciPy's nan per reduced slice (NumPy's percentile raises)
        return numpy_scalar(cnp.sum(x, axis=axis, keepdims=keepdims) * np.nan)
    # one percentile at a time: a list of q would be a float64 array, promoting float32 data
    lo, hi = (cnp.percentile(x, float(q), axis=axis, method=interpolation, keepdims=keepdims)
              for q in rng)
    return numpy_scalar((hi - lo) / scale)


def _too_short(x, y):
    """Whether x and y are one-dimensional, of one length, and shorter than 2: SciPy's
    linregress, spearmanr, kendalltau and pointbiserialr answer nan there (pearsonr
    raises)."""
    sx, sy = cnp.shape(x), cnp.shape(y)
    return (len(sx) == 1 and sx == sy and sx[0] < 2) or (sx == sy == ())   # (0-d: one point)


def _vectors(fname, x, y):
    x, y = _float(cnp.asarray(x)), _float(cnp.asarray(y))
    if ndim(x) != 1 or shape(x) != shape(y):
        raise ValueError(f"{fname}: chainrule takes x and y of one dimension and the same "
                         f"length (got shapes {shape(x)} and {shape(y)})")
    if shape(x)[0] < 2:
        raise ValueError(f"{fname}: x and y must have length at least 2")
    return x, y


@export(namespace=STATS)
def linregress(x, y, alternative="two-sided"):
    """Least-squares line y ≈ slope·x + intercept with SciPy's rvalue, pvalue (Student's t
    with n − 2 degrees of freedom), stderr and ``intercept_stderr``; all differentiable in
    x and y.

    >>> r = linregress(np.array([1.0, 2.0, 3.0]), np.array([2.0, 4.0, 7.0]))
    >>> round(float(r.slope), 6), round(float(r.intercept), 6), round(float(r.pvalue), 6)
    (2.5, -0.666667, 0.073186)
    """
    if _too_short(x, y):
        nan = np.float64(np.nan)
        return LinregressResult(nan, nan, nan, nan, nan, intercept_stderr=nan)
    x, y = _vectors("linregress", x, y)
    # SciPy's linregress computes in float64 (its pearsonr keeps float32)
    x, y = (v if cnp.result_type(v) == np.float64 or cnp.result_type(v).kind == "c"
            else cnp.asarray(v, dtype=np.float64) for v in (x, y))
    n = shape(x)[0]
    dx, dy = x - cnp.mean(x), y - cnp.mean(y)
    ssxm, ssym, ssxym = cnp.mean(dx * dx), cnp.mean(dy * dy), cnp.mean(dx * dy)
    den = cnp.sqrt(ssxm * ssym)
    # a constant x or y: SciPy's r is nan (0/0), and so are its pvalue and stderrs
    r = cnp.where(den == 0, cnp.where(ssxym == 0, np.nan, 0.0),
                  ssxym / cnp.where(den == 0, 1.0, den))
    r = cnp.clip(r, -1.0, 1.0)
    slope = ssxym / ssxm
    intercept = cnp.mean(y) - slope * cnp.mean(x)
    if n == 2:
        p = cnp.where(y[0] == y[1], 1.0, 0.0)
        return LinregressResult(*map(numpy_scalar, (slope, intercept, r, p, 0.0 * slope)),
                                intercept_stderr=numpy_scalar(0.0 * slope))
    df = n - 2.0
    t = r * cnp.sqrt(df / ((1.0 - r) * (1.0 + r) + 1e-20))
    p = _t_pvalue(t, df, alternative)
    stderr = cnp.sqrt((1.0 - r * r) * ssym / ssxm / df)
    return LinregressResult(*map(numpy_scalar, (slope, intercept, r, p, stderr)),
                            intercept_stderr=numpy_scalar(stderr * cnp.sqrt(ssxm + cnp.mean(x) ** 2)))


def _t_pvalue(t, df, alternative):
    if alternative == "two-sided":
        return 2.0 * csp.stdtr(df, -cnp.abs(t))
    if alternative == "less":
        return csp.stdtr(df, t)
    if alternative == "greater":
        return csp.stdtr(df, -t)
    raise ValueError("alternative must be 'two-sided', 'less' or 'greater'")


def _pearson(x, y):
    dx, dy = x - cnp.mean(x), y - cnp.mean(y)
    r = cnp.sum(dx * dy) / cnp.sqrt(cnp.sum(dx * dx) * cnp.sum(dy * dy))
    return cnp.clip(r, -1.0, 1.0)


@export(namespace=STATS)
def pearsonr(x, y, *, alternative="two-sided", method=None, axis=0):
    """Pearson's correlation coefficient and its p-value (exact, from the beta distribution
    of r under independent normal data), differentiable in x and y.

    >>> res = pearsonr(np.array([1.0, 2.0, 3.0, 4.0]), np.array([1.0, 3.0, 2.0, 5.0]))
    >>> round(float(res.statistic), 6), round(float(res.pvalue), 6)
    (0.831522, 0.168478)
    """
    if method is not None:
        raise NotImplementedError("pearsonr: method= (permutation or Monte Carlo tests) is not "
                                  "supported; leave it None for the exact p-value")
    if axis not in (0, -1, None):
        raise NotImplementedError("pearsonr: chainrule takes one-dimensional x and y")
    x, y = _vectors("pearsonr", x, y)
    n = shape(x)[0]
    r = _pearson(x, y)
    if n == 2:   # p = 1, or nan for a constant x or y (r is nan), as SciPy's
        return PearsonRResult(numpy_scalar(r), numpy_scalar(cnp.where(cnp.isnan(r), np.nan,
                                                                      cnp.ones_like(r))))
    ab = n / 2.0 - 1.0
    # r is Beta(ab, ab) on [−1, 1]: its tails are incomplete beta functions of (1 ∓ r)/2
    if alternative == "two-sided":
        p = 2.0 * csp.betainc(ab, ab, 0.5 * (1.0 - cnp.abs(r)))
    elif alternative == "less":
        p = csp.betainc(ab, ab, 0.5 * (1.0 + r))
    elif alternative == "greater":
        p = csp.betainc(ab, ab, 0.5 * (1.0 - r))
    else:
        raise ValueError("alternative must be 'two-sided', 'less' or 'greater'")
    return PearsonRResult(numpy_scalar(r), numpy_scalar(p))
