"""Some of ``scipy.stats``'s tests, written with ``chainrule.numpy``: Student's t tests
(``ttest_1samp``, ``ttest_rel``, ``ttest_ind``) and Pearson's ``chisquare``, whose
statistics and p-values are differentiable in the data; and Kendall's ``kendalltau``,
rank-based (SciPy's values, a zero derivative).

Welch's test (``ttest_ind(equal_var=False)``) has degrees of freedom that depend on the
data; the t distribution's derivative in its degrees of freedom has no closed form, so
differentiating through its p-value raises ``UnsupportedDerivativeError`` (its statistic is
differentiable).

>>> import numpy as np, chainrule as cr
>>> res = ttest_1samp(np.array([1.0, 2.0, 4.0]), 0.0)
>>> round(float(res.statistic), 6), round(float(res.pvalue), 6), res.df
(2.645751, 0.118083, 2.0)
"""

from collections import namedtuple

import numpy as np

from ..core.primitive import Primitive, Tracer
from ..core.registry import STATS, NONDIFF
from ..primitives.declare import export, declare
from ..primitives.special_elementary import partials
from ..primitives.basic import moveaxis_to_front
from ..primitives.util import shape, numpy_scalar
from .. import numpy as cnp
from . import special as csp
from .summary import (_propagate, _data, _float, _t_pvalue, _vectors, SignificanceResult,
                      _too_short, _register_extra_field_result)

__all__ = ["TtestResult", "Power_divergenceResult"]

_TtestBase = namedtuple("TtestResult", ("statistic", "pvalue"))


class TtestResult(_TtestBase):
    """SciPy's result: ``statistic, pvalue = ttest_ind(a, b)`` unpacks two fields, and ``df``
    is an attribute (SciPy's extra field)."""

    def __new__(cls, statistic, pvalue, df=None):
        out = super().__new__(cls, statistic, pvalue)
        out.df = df
        return out


_register_extra_field_result(TtestResult, "df")
Power_divergenceResult = namedtuple("Power_divergenceResult", ("statistic", "pvalue"))


def _moments(a, axis):
    n = np.float64(shape(a)[axis])   # NumPy's division: an empty sample gives nan, not an error
    return n, cnp.mean(a, axis=axis), cnp.var(a, axis=axis, ddof=1)


def _result(t, df, alternative, data_dtype=None):
    return TtestResult(_as_data(t, data_dtype),
                       _as_data(_t_pvalue(t, df, alternative), data_dtype),
                       numpy_scalar(df) if not np.isscalar(df) else float(df))


def _as_data(value, data_dtype):
    """SciPy's t tests answer in the data's precision: float32 samples, float32 results."""
    if data_dtype == np.float32 and cnp.result_type(value) == np.float64:
        value = cnp.asarray(value, dtype=np.float32)
    return numpy_scalar(value)


@export(namespace=STATS)
def ttest_1samp(a, popmean, axis=0, nan_policy="propagate", alternative="two-sided", *,
                keepdims=False):
    """The t test of the mean of ``a`` against ``popmean``: (mean − popmean)/(s/√n) with
    n − 1 degrees of freedom, differentiable in the data and in ``popmean``.

    >>> round(float(ttest_1samp(np.array([1.0, 2.0, 4.0]), 1.0).pvalue), 6)
    0.269703
    """
    _propagate("ttest_1samp", nan_policy)
    if keepdims:
        raise NotImplementedError("ttest_1samp: keepdims=True is not supported")
    a, axis, _ = _data(_float(a), axis)
    n, mean, var = _moments(a, axis)
    t = (mean - popmean) / cnp.sqrt(var / n)
    return _result(t, n - 1.0, alternative, cnp.result_type(a))


@export(namespace=STATS)
def ttest_rel(a, b, axis=0, nan_policy="propagate", alternative="two-sided", *, keepdims=False):
    """The paired t test: :func:`ttest_1samp` of a − b against 0.

    >>> round(float(ttest_rel(np.array([1.0, 2.0, 4.0]), np.array([0.5, 1.0, 1.0])).statistic), 6)
    1.963961
    """
    return ttest_1samp(_float(a) - _float(b), 0.0, axis, nan_policy, alternative,
                       keepdims=keepdims)


@export(namespace=STATS)
def ttest_ind(a, b, *, axis=0, equal_var=True, nan_policy="propagate", alternative="two-sided",
              trim=0, method=None, keepdims=False):
    """The t test of two independent samples (pooled variance, or Welch's with
    ``equal_var=False``).

    >>> res = ttest_ind(np.array([1.0, 2.0, 4.0]), np.array([3.0, 5.0, 6.0, 8.0]))
    >>> round(float(res.statistic), 6), round(float(res.pvalue), 6)
    (-2.205726, 0.078526)
    """
    _propagate("ttest_ind", nan_policy)
    if trim or method is not None or keepdims:
        raise NotImplementedError("ttest_ind: trim, method (permutations, Monte Carlo) and "
                                  "keepdims are not supported")
    a, axis_a, _ = _data(_float(a), axis)
    b, axis_b, _ = _data(_float(b), axis)
    n1, m1, v1 = _moments(a, axis_a)
    n2, m2, v2 = _moments(b, axis_b)
    if equal_var:
        df = n1 + n2 - 2.0
        pooled = ((n1 - 1) * v1 + (n2 - 1) * v2) / df
        denom = cnp.sqrt(pooled * (1.0 / n1 + 1.0 / n2))
    else:
        vn1, vn2 = v1 / n1, v2 / n2
        df = (vn1 + vn2) ** 2 / (vn1 ** 2 / (n1 - 1) + vn2 ** 2 / (n2 - 1))
        denom = cnp.sqrt(vn1 + vn2)
    t = (m1 - m2) / denom
    if equal_var:
        return _result(t, df, alternative, cnp.result_type(a, b))
    dt = cnp.result_type(a, b)
    return TtestResult(_as_data(t, dt), _as_data(_welch_p(t, df, alternative=alternative), dt),
                       numpy_scalar(df))


def _welch_impl(t, df, alternative="two-sided"):
    import scipy.special
    return _t_tail(scipy.special.stdtr, np.abs, t, df, alternative)


def _t_tail(stdtr, absolute, t, df, alternative):
    if alternative == "two-sided":
        return 2.0 * stdtr(df, -absolute(t))
    if alternative == "less":
        return stdtr(df, t)
    if alternative == "greater":
        return stdtr(df, -t)
    raise ValueError("alternative must be 'two-sided', 'less' or 'greater'")


def _dwelch_dt(ans, t, df, alternative="two-sided"):
    density = cnp.exp(csp.gammaln(0.5 * (df + 1.0)) - csp.gammaln(0.5 * df)
                      - 0.5 * cnp.log(df * np.pi) - 0.5 * (df + 1.0) * cnp.log1p(t * t / df))
    sign = {"two-sided": -2.0 * cnp.sign(t), "less": 1.0, "greater": -1.0}[alternative]
    return sign * density


# Welch's p-value as one primitive: differentiable in t; in its (data-dependent) degrees of
# freedom the t distribution has no closed-form derivative, and the refusal names ttest_ind.
_welch_p = partials("welch_pvalue", _welch_impl, ("t", "df"), (_dwelch_dt, None), names=(),
                    fname="ttest_ind(equal_var=False).pvalue")


@export(namespace=STATS)
def chisquare(f_obs, f_exp=None, ddof=0, axis=0, *, sum_check=True, nan_policy="propagate",
              keepdims=False):
    """Pearson's χ² statistic Σ (obs − exp)²/exp and its p-value (k − 1 − ddof degrees of
    freedom); differentiable in the observed and expected frequencies.

    >>> res = chisquare(np.array([16.0, 18.0, 16.0, 14.0, 12.0, 12.0]))
    >>> float(res.statistic), round(float(res.pvalue), 6)
    (2.0, 0.849145)
    """
    _propagate("chisquare", nan_policy)
    if keepdims:
        raise NotImplementedError("chisquare: keepdims=True is not supported")
    f_obs, axis, flat = _data(_float(f_obs), axis)
    k = shape(f_obs)[axis]
    total = cnp.sum(f_obs, axis=axis, keepdims=True)
    if f_exp is None:
        f_exp = total / k
    else:
        f_exp = _float(f_exp)
        f_exp = cnp.reshape(f_exp, (-1,)) if flat is not None else f_exp
        if sum_check and not isinstance(f_exp, Tracer) and not isinstance(total, Tracer):
            # (SciPy's check, on plain data only: under a transformation the sums are traced)
            exp_total = np.sum(np.asarray(f_exp), axis=axis, keepdims=True)
            rel = np.abs(np.asarray(total) - exp_total) / np.minimum(np.asarray(total), exp_total)
            if np.any(rel > np.sqrt(np.finfo(np.float64).eps)):
                raise ValueError("chisquare: the sums of f_obs and f_exp differ by more than "
                                 "1.5e-8 relative; rescale f_exp or pass sum_check=False")
    stat = cnp.sum((f_obs - f_exp) ** 2 / f_exp, axis=axis)
    p = csp.chdtrc(k - 1.0 - ddof, stat)
    return Power_divergenceResult(numpy_scalar(stat), numpy_scalar(p))


# ---- Kendall's tau: SciPy's values, a zero derivative ---------------------------------------------
def _kendall_impl(x, y, part=0, variant="b", alternative="two-sided", method="auto"):
    import scipy.stats
    res = scipy.stats.kendalltau(np.asarray(x), np.asarray(y), variant=variant,
                                 alternative=alternative, method=method)
    return np.asarray(res[part], dtype=np.float64)


def _kendall_batch(vals, dims, **params):
    # one SciPy call per example (its exact and asymptotic p-values have no batched form)
    size = next(shape(v)[d] for v, d in zip(vals, dims) if d is not None)
    xs = [moveaxis_to_front(v, d) if d is not None else None for v, d in zip(vals, dims)]
    out = [_kendall(*[x[i] if x is not None else v for x, v in zip(xs, vals)], **params)
           for i in range(size)]
    return cnp.stack(out), 0


_kendall = Primitive("kendalltau", _kendall_impl)
declare(_kendall, jvp=None, vjp=None, batch=_kendall_batch, names=())


@export(namespace=STATS, kind=NONDIFF)
def kendalltau(x, y, *, nan_policy="propagate", method="auto", variant="b",
               alternative="two-sided", axis=None, keepdims=False):
    """Kendall's τ of one-dimensional x and y and its p-value (SciPy's values); rank-based,
    so its derivative is zero.

    >>> float(kendalltau(np.array([1.0, 2.0, 3.0, 4.0]), np.array([1.0, 3.0, 2.0, 4.0])).statistic)
    0.6666666666666669
    """
    _propagate("kendalltau", nan_policy)
    if axis is not None or keepdims:
        raise NotImplementedError("kendalltau: chainrule takes one-dimensional x and y "
                                  "(axis=None)")
    if _too_short(x, y):   # SciPy's nan
        return SignificanceResult(np.float64(np.nan), np.float64(np.nan))
    x, y = _vectors("kendalltau", x, y)
    params = dict(variant=variant, alternative=alternative, method=method)
    return SignificanceResult(numpy_scalar(_kendall(x, y, part=0, **params)),
                              numpy_scalar(_kendall(x, y, part=1, **params)))
