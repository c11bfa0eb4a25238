"""``scipy.stats`` distributions as composites of primitives, with SciPy's signatures.

Each function is registered in ``chainrule.scipy.stats`` under a dotted name
(``norm.logpdf``), which :mod:`chainrule.scipy.stats` turns into SciPy's attribute
style: ``stats.norm.logpdf(x, loc, scale)``. Derivatives follow from the
primitives, in x and in every continuous parameter, to any order; a cdf whose
derivative in a shape parameter would need the derivative of an incomplete integral
in its parameters (``gamma.cdf`` in ``a``, ``t.cdf`` in ``df``…) raises
:class:`~chainrule.primitives.special_functions.UnsupportedDerivativeError` when that
derivative is asked for, never a silent zero. Outside the support, densities are 0 and
log-densities −inf, as in SciPy (argument checks such as scale > 0 are not made).

>>> import chainrule as cr
>>> float(cr.grad(lambda mu: norm_logpdf(1.0, mu, 2.0))(0.0))  # (x − μ)/σ²
0.25
"""

import functools

import numpy as np

from ..core.primitive import Tracer
from ..core.registry import STATS, COMPOSITE
from ..interpreters.batching import BatchTracer
from .declare import export
from .util import numpy_scalar, dtype
from . import elementwise as E
from .composites import asarray
from .special import gammaln
from .special_functions import (ndtr, ndtri, log_ndtr, xlogy, xlog1py, betaln, betainc,
                                gammainc, gammaincc, stdtr, refuse_derivative)

__all__ = ["constant_parameter", "stat"]

_LOG_2PI = float(np.log(2.0 * np.pi))
_LOG_PI = float(np.log(np.pi))
_LN2 = float(np.log(2.0))
_NINF = -np.inf


def constant_parameter(value, fname, argname):
    """Refuse, up front, a traced parameter whose derivative is not supported (vmap's
    batching alone is fine)."""
    x = value
    while isinstance(x, Tracer):
        if not isinstance(x, BatchTracer) and not x._trace.concrete_ok:
            raise refuse_derivative(fname, argname)
        x = x._value


def _std(x, loc, scale):
    """(x − loc)/scale; nan for a scale ≤ 0 (outside every location-scale family: SciPy's
    nan), and NumPy's division for Python numbers (never ZeroDivisionError). The check is
    on scale, usually one number, not on x."""
    return E.divide(E.subtract(x, loc), E.where(E.greater(scale, 0), scale, np.nan))


def _nan_if_nan(z, result):
    """``result`` with nan where ``z`` is nan: a formula that masks its support
    (``where(z >= 0, …, -inf)``) would turn a nan input or an invalid scale into a number."""
    return E.where(E.isnan(z), np.nan, result)


def _float64(v):
    """A float16/float32, integer or boolean argument in float64, a list as an array:
    SciPy's distributions compute and return float64 for them (a float32 x gave a float32
    cdf but a float64 logpdf; integer arrays met integer powers and divisions; a list met
    ``-``)."""
    if isinstance(v, (list, tuple)):
        v = np.asarray(v)
    if isinstance(v, (np.ndarray, np.generic, Tracer)):
        dt = dtype(v)
        if (dt.kind == "f" and dt.itemsize < 8) or dt.kind in "biu":
            return E.astype(v, dtype=np.float64)
    return v


def _array_if_list(v):
    """A list or tuple argument as an array, as SciPy's ``np.asarray`` (``x - mean`` of two
    lists raised TypeError); traced entries are stacked differentiably."""
    return asarray(v) if isinstance(v, (list, tuple)) else v


def _quietly(fn, float64=True):
    """Evaluate without NumPy's warnings for the branches ``where`` discards, in float64 as
    SciPy (unless ``float64=False``); list arguments as arrays; a 0-d result is a NumPy
    scalar, as SciPy's."""
    @functools.wraps(fn)
    def wrapped(*args, **kwargs):
        args = [_array_if_list(a) for a in args]
        kwargs = {k: _array_if_list(v) for k, v in kwargs.items()}
        if float64:
            args = [_float64(a) for a in args]
            kwargs = {k: _float64(v) for k, v in kwargs.items()}
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            return numpy_scalar(fn(*args, **kwargs))  # SciPy's np.float64, not a 0-d array
    return wrapped


def stat(name, float64=True, kind=COMPOSITE, family=None):
    """Decorator: export a distribution's method as ``name`` in chainrule.scipy.stats
    (``float64=False``: NumPy's dtype promotion, as SciPy's dirichlet keeps float32;
    ``kind=NONDIFF``: no argument has a derivative, as randint's integers;
    ``family=FIRST_ORDER``: first derivatives only)."""
    def deco(fn):
        return export(name, namespace=STATS, kind=kind, family=family)(_quietly(fn, float64))
    return deco


# ---- norm -----------------------------------------------------------------------------------
@stat("norm.logpdf")
def norm_logpdf(x, loc=0.0, scale=1.0):
    """log density of N(loc, scale²).

    >>> round(float(norm_logpdf(0.0)), 6)
    -0.918939
    """
    z = _std(x, loc, scale)
    return -0.5 * (z * z) - E.log(scale) - 0.5 * _LOG_2PI


@stat("norm.pdf")
def norm_pdf(x, loc=0.0, scale=1.0):
    """Density of N(loc, scale²).

    >>> round(float(norm_pdf(0.0)), 6)
    0.398942
    """
    return E.exp(norm_logpdf(x, loc, scale))


@stat("norm.cdf")
def norm_cdf(x, loc=0.0, scale=1.0):
    """Distribution function of N(loc, scale²).

    >>> float(norm_cdf(1.0, 1.0, 3.0))
    0.5
    """
    return ndtr(_std(x, loc, scale))


@stat("norm.logcdf")
def norm_logcdf(x, loc=0.0, scale=1.0):
    """log of the distribution function, accurate far in the left tail.

    >>> round(float(norm_logcdf(-40.0)), 4)
    -804.6084
    """
    return log_ndtr(_std(x, loc, scale))


@stat("norm.sf")
def norm_sf(x, loc=0.0, scale=1.0):
    """Survival function 1 − cdf, accurate in the right tail.

    >>> float(norm_sf(0.0))
    0.5
    """
    return ndtr(E.negative(_std(x, loc, scale)))


@stat("norm.logsf")
def norm_logsf(x, loc=0.0, scale=1.0):
    """log of the survival function.

    >>> round(float(norm_logsf(40.0)), 4)
    -804.6084
    """
    return log_ndtr(E.negative(_std(x, loc, scale)))


@stat("norm.ppf")
def norm_ppf(q, loc=0.0, scale=1.0):
    """Quantile function (inverse of the cdf).

    >>> float(norm_ppf(0.5, 2.0))
    2.0
    """
    return loc + scale * ndtri(q)


# ---- Student's t -----------------------------------------------------------------------------
@stat("t.logpdf")
def t_logpdf(x, df, loc=0.0, scale=1.0):
    """log density of Student's t with ``df`` degrees of freedom.

    >>> round(float(t_logpdf(0.0, 1.0)), 6)    # Cauchy: −log π
    -1.14473
    """
    z = _std(x, loc, scale)
    h = 0.5 * (df + 1.0)
    return (gammaln(h) - gammaln(0.5 * df) - 0.5 * (E.log(df) + _LOG_PI) - E.log(scale)
            - h * E.log1p(z * z / df))


@stat("t.pdf")
def t_pdf(x, df, loc=0.0, scale=1.0):
    """Density of Student's t.

    >>> round(float(t_pdf(0.0, 1.0)), 6)       # 1/π
    0.31831
    """
    return E.exp(t_logpdf(x, df, loc, scale))


@stat("t.cdf")
def t_cdf(x, df, loc=0.0, scale=1.0):
    """Distribution function of Student's t (differentiable in x, loc and scale; not in df).

    >>> float(t_cdf(0.0, 3.0))
    0.5
    """
    constant_parameter(df, "t.cdf", "df")
    return stdtr(df, _std(x, loc, scale))


# ---- gamma, chi2 and beta --------------------------------------------------------------------
@stat("gamma.logpdf")
def gamma_logpdf(x, a, loc=0.0, scale=1.0):
    """log density of the gamma distribution with shape ``a``; −inf for x < loc.

    >>> float(gamma_logpdf(1.0, 1.0))          # exponential: −x
    -1.0
    """
    z = _std(x, loc, scale)
    inside = E.greater_equal(z, 0)
    zs = E.where(inside, z, 1.0)
    out = E.where(inside, xlogy(a - 1.0, zs) - zs - gammaln(a) - E.log(scale), _NINF)
    return _nan_outside(_nan_if_nan(z, out), E.greater(a, 0))


@stat("gamma.pdf")
def gamma_pdf(x, a, loc=0.0, scale=1.0):
    """Density of the gamma distribution.

    >>> round(float(gamma_pdf(2.0, 2.0)), 6)   # x e^−x
    0.270671
    """
    return E.exp(gamma_logpdf(x, a, loc, scale))


@stat("gamma.cdf")
def gamma_cdf(x, a, loc=0.0, scale=1.0):
    """Distribution function of the gamma distribution (not differentiable in ``a``).

    >>> round(float(gamma_cdf(1.0, 1.0)), 6)   # 1 − e^−1
    0.632121
    """
    constant_parameter(a, "gamma.cdf", "a")
    z = _std(x, loc, scale)
    inside = E.greater(z, 0)
    return _nan_if_nan(z, E.where(inside, gammainc(a, E.where(inside, z, 1.0)), 0.0))


@stat("chi2.logpdf")
def chi2_logpdf(x, df, loc=0.0, scale=1.0):
    """log density of χ² with ``df`` degrees of freedom (a gamma with a = df/2, scale 2).

    >>> round(float(chi2_logpdf(1.0, 2.0)), 6)  # log(e^(−1/2) / 2)
    -1.193147
    """
    return gamma_logpdf(x, 0.5 * df, loc, 2.0 * scale)


@stat("chi2.pdf")
def chi2_pdf(x, df, loc=0.0, scale=1.0):
    """Density of χ².

    >>> round(float(chi2_pdf(1.0, 2.0)), 6)
    0.303265
    """
    return E.exp(chi2_logpdf(x, df, loc, scale))


@stat("chi2.cdf")
def chi2_cdf(x, df, loc=0.0, scale=1.0):
    """Distribution function of χ² (not differentiable in ``df``).

    >>> round(float(chi2_cdf(2.0, 2.0)), 6)    # 1 − e^−1
    0.632121
    """
    constant_parameter(df, "chi2.cdf", "df")
    return gamma_cdf(x, 0.5 * df, loc, 2.0 * scale)


@stat("beta.logpdf")
def beta_logpdf(x, a, b, loc=0.0, scale=1.0):
    """log density of the beta distribution on [loc, loc + scale]; −inf outside.

    >>> float(beta_logpdf(0.3, 1.0, 1.0))      # uniform
    0.0
    """
    z = _std(x, loc, scale)
    inside = E.logical_and(E.greater_equal(z, 0), E.less_equal(z, 1))
    zs = E.where(inside, z, 0.5)
    out = xlogy(a - 1.0, zs) + xlog1py(b - 1.0, E.negative(zs)) - betaln(a, b) - E.log(scale)
    return _nan_outside(_nan_if_nan(z, E.where(inside, out, _NINF)),
                        E.logical_and(E.greater(a, 0), E.greater(b, 0)))


@stat("beta.pdf")
def beta_pdf(x, a, b, loc=0.0, scale=1.0):
    """Density of the beta distribution.

    >>> round(float(beta_pdf(0.5, 2.0, 2.0)), 6)  # 6 x (1 − x)
    1.5
    """
    return E.exp(beta_logpdf(x, a, b, loc, scale))


@stat("beta.cdf")
def beta_cdf(x, a, b, loc=0.0, scale=1.0):
    """Distribution function of the beta distribution (not differentiable in ``a``, ``b``).

    >>> round(float(beta_cdf(0.5, 2.0, 2.0)), 6)
    0.5
    """
    constant_parameter(a, "beta.cdf", "a")
    constant_parameter(b, "beta.cdf", "b")
    return betainc(a, b, E.clip(_std(x, loc, scale), 0.0, 1.0))


# ---- poisson ---------------------------------------------------------------------------------
def _counts(k, loc):
    k = k - loc
    ok = E.logical_and(E.equal(k, E.floor(k)), E.greater_equal(k, 0))
    return k, ok


@stat("poisson.logpmf")
def poisson_logpmf(k, mu, loc=0):
    """log probability of ``k`` events at rate ``mu``; −inf for negative or fractional k.

    >>> float(poisson_logpmf(0, 2.0))          # log e^−2
    -2.0
    """
    k, ok = _counts(k, loc)
    ks = E.where(ok, k, 0.0)
    out = E.where(ok, xlogy(ks, mu) - gammaln(ks + 1.0) - mu, _NINF)
    return _nan_outside(out, E.greater_equal(mu, 0), k)


@stat("poisson.pmf")
def poisson_pmf(k, mu, loc=0):
    """Probability of ``k`` events at rate ``mu``.

    >>> round(float(poisson_pmf(1, 2.0)), 6)   # 2 e^−2
    0.270671
    """
    return E.exp(poisson_logpmf(k, mu, loc))


@stat("poisson.cdf")
def poisson_cdf(k, mu, loc=0):
    """P(K ≤ k) = Q(⌊k⌋ + 1, mu), differentiable in ``mu``.

    >>> round(float(poisson_cdf(0, 2.0)), 6)   # e^−2
    0.135335
    """
    k = E.floor(k - loc)
    ok = E.greater_equal(k, 0)
    out = E.where(ok, gammaincc(E.where(ok, k, 0.0) + 1.0, mu), 0.0)
    return _nan_outside(out, E.greater_equal(mu, 0), k)


def _nan_outside(result, valid, *inputs):
    """SciPy's nan where an input is nan or a parameter lies outside the distribution's domain
    (``valid`` False): without it a nan k gave pmf 0, a p of 1.2 a 'probability' of 2.5."""
    bad = E.logical_not(valid)
    for v in inputs:
        bad = E.logical_or(bad, E.isnan(v))
    return E.where(bad, np.nan, result)


def _probability(p):
    return E.logical_and(E.greater_equal(p, 0), E.less_equal(p, 1))


# ---- binom, bernoulli, nbinom ----------------------------------------------------------------
@stat("binom.logpmf")
def binom_logpmf(k, n, p, loc=0):
    """log probability of ``k`` successes in ``n`` trials of probability ``p``; −inf outside
    0 ≤ k ≤ n or for fractional k. Differentiable in ``p`` (and in a real ``n``).

    >>> round(float(binom_logpmf(1, 2, 0.5)), 6)   # log 2·¼
    -0.693147
    """
    k0, loc0 = k, loc
    k, ok = _counts(k, loc)
    ok = E.logical_and(ok, E.less_equal(k, n))
    ks = E.where(ok, k, 0.0)
    log_comb = gammaln(n + 1.0) - gammaln(ks + 1.0) - gammaln(n - ks + 1.0)
    out = E.where(ok, log_comb + xlogy(ks, p) + xlog1py(n - ks, E.negative(p)), _NINF)
    # (a fractional n is kept: differentiable in n; SciPy's nan there is for integer-only n)
    return _nan_outside(out, E.logical_and(E.greater_equal(n, 0), _probability(p)),
                        k0, n, p, loc0)


@stat("binom.pmf")
def binom_pmf(k, n, p, loc=0):
    """Probability of ``k`` successes in ``n`` trials.

    >>> float(binom_pmf(1, 2, 0.5))
    0.5
    """
    return E.exp(binom_logpmf(k, n, p, loc))


@stat("bernoulli.logpmf")
def bernoulli_logpmf(k, p, loc=0):
    """log p for k = 1, log(1 − p) for k = 0, −inf otherwise.

    >>> round(float(bernoulli_logpmf(0, 0.25)), 6)   # log ¾
    -0.287682
    """
    return binom_logpmf(k, 1.0, p, loc)


@stat("bernoulli.pmf")
def bernoulli_pmf(k, p, loc=0):
    """p for k = 1, 1 − p for k = 0, 0 otherwise.

    >>> float(bernoulli_pmf(1, 0.25))
    0.25
    """
    return E.exp(bernoulli_logpmf(k, p, loc))


@stat("nbinom.logpmf")
def nbinom_logpmf(k, n, p, loc=0):
    """log probability of ``k`` failures before the ``n``-th success (success probability
    ``p``); differentiable in ``p`` and in a real ``n``.

    >>> round(float(nbinom_logpmf(0, 2, 0.5)), 6)    # log ¼
    -1.386294
    """
    k0, loc0 = k, loc
    k, ok = _counts(k, loc)
    ks = E.where(ok, k, 0.0)
    log_comb = gammaln(n + ks) - gammaln(n) - gammaln(ks + 1.0)
    out = E.where(ok, log_comb + xlogy(n, p) + xlog1py(ks, E.negative(p)), _NINF)
    valid = E.logical_and(E.greater(n, 0), E.logical_and(E.greater(p, 0), E.less_equal(p, 1)))
    return _nan_outside(out, valid, k0, n, p, loc0)


@stat("nbinom.pmf")
def nbinom_pmf(k, n, p, loc=0):
    """Probability of ``k`` failures before the ``n``-th success.

    >>> float(nbinom_pmf(1, 1, 0.5))
    0.25
    """
    return E.exp(nbinom_logpmf(k, n, p, loc))


# ---- lognorm ---------------------------------------------------------------------------------
@stat("lognorm.logpdf")
def lognorm_logpdf(x, s, loc=0.0, scale=1.0):
    """log density of exp(s·N(0, 1))·scale + loc; −inf for x ≤ loc.

    >>> round(float(lognorm_logpdf(1.0, 1.0)), 6)    # the standard normal's at 0
    -0.918939
    """
    z = _std(x, loc, scale)
    inside = E.greater(z, 0)
    log_z = E.log(E.where(inside, z, 1.0))
    out = E.where(inside, -0.5 * (log_z / s) ** 2 - log_z - E.log(s) - E.log(scale)
                  - 0.5 * _LOG_2PI, _NINF)
    return _nan_outside(out, E.logical_and(E.greater(s, 0), E.greater(scale, 0)), x, s, loc, scale)


@stat("lognorm.pdf")
def lognorm_pdf(x, s, loc=0.0, scale=1.0):
    """Density of the log-normal distribution.

    >>> round(float(lognorm_pdf(1.0, 1.0)), 6)
    0.398942
    """
    return E.exp(lognorm_logpdf(x, s, loc, scale))


@stat("lognorm.cdf")
def lognorm_cdf(x, s, loc=0.0, scale=1.0):
    """Φ(log((x − loc)/scale)/s) for x > loc, 0 below; differentiable in every argument.

    >>> float(lognorm_cdf(1.0, 2.0))
    0.5
    """
    z = _std(x, loc, scale)
    inside = E.greater(z, 0)
    out = E.where(inside, ndtr(E.log(E.where(inside, z, 1.0)) / s), 0.0)
    return _nan_outside(out, E.logical_and(E.greater(s, 0), E.greater(scale, 0)), x, s, loc, scale)


# ---- location-scale families with closed forms -----------------------------------------------
@stat("expon.logpdf")
def expon_logpdf(x, loc=0.0, scale=1.0):
    """log density of the exponential distribution; −inf for x < loc.

    >>> float(expon_logpdf(2.0))
    -2.0
    """
    z = _std(x, loc, scale)
    return _nan_if_nan(z, E.where(E.greater_equal(z, 0), E.negative(z) - E.log(scale), _NINF))


@stat("expon.pdf")
def expon_pdf(x, loc=0.0, scale=1.0):
    """Density of the exponential distribution.

    >>> float(expon_pdf(0.0, scale=2.0))
    0.5
    """
    return E.exp(expon_logpdf(x, loc, scale))


@stat("expon.cdf")
def expon_cdf(x, loc=0.0, scale=1.0):
    """Distribution function 1 − e^(−z) of the exponential distribution.

    >>> float(expon_cdf(-1.0))
    0.0
    """
    z = _std(x, loc, scale)
    return _nan_if_nan(z, E.where(E.greater_equal(z, 0), E.negative(E.expm1(E.negative(z))),
                                  0.0))


@stat("laplace.logpdf")
def laplace_logpdf(x, loc=0.0, scale=1.0):
    """log density of the Laplace distribution: −|z| − log 2σ.

    >>> round(float(laplace_logpdf(0.0)), 6)
    -0.693147
    """
    return E.negative(E.absolute(_std(x, loc, scale))) - E.log(scale) - _LN2


@stat("laplace.pdf")
def laplace_pdf(x, loc=0.0, scale=1.0):
    """Density of the Laplace distribution.

    >>> float(laplace_pdf(0.0))
    0.5
    """
    return E.exp(laplace_logpdf(x, loc, scale))


@stat("laplace.cdf")
def laplace_cdf(x, loc=0.0, scale=1.0):
    """Distribution function of the Laplace distribution.

    >>> float(laplace_cdf(0.0))
    0.5
    """
    z = _std(x, loc, scale)
    below = E.less(z, 0)
    # −|z| as a where, not abs: at z = 0 its slope is then −1 (the right side), and the cdf's
    # derivative there is the density 1/2; abs's slope 0 made it 0.
    e = 0.5 * E.exp(E.where(below, z, E.negative(z)))
    return E.where(below, e, 1.0 - e)


@stat("logistic.logpdf")
def logistic_logpdf(x, loc=0.0, scale=1.0):
    """log density of the logistic distribution, −2 log(e^(z/2) + e^(−z/2)) − log σ.

    >>> round(float(logistic_logpdf(0.0)), 6)  # log 1/4
    -1.386294
    """
    # logaddexp is smooth at z = 0, where −|z| − 2 log(1 + e^(−|z|)) had abs's zero second
    # derivative (the Hessian at the mode came out 0, not −1/2σ²), and cannot overflow.
    h = 0.5 * _std(x, loc, scale)
    return -2.0 * E.logaddexp(h, E.negative(h)) - E.log(scale)


@stat("logistic.pdf")
def logistic_pdf(x, loc=0.0, scale=1.0):
    """Density of the logistic distribution.

    >>> float(logistic_pdf(0.0))
    0.25
    """
    return E.exp(logistic_logpdf(x, loc, scale))


@stat("logistic.cdf")
def logistic_cdf(x, loc=0.0, scale=1.0):
    """Distribution function of the logistic distribution (the logistic sigmoid).

    >>> float(logistic_cdf(0.0))
    0.5
    """
    return E.expit(_std(x, loc, scale))


@stat("uniform.logpdf")
def uniform_logpdf(x, loc=0.0, scale=1.0):
    """log density of the uniform distribution on [loc, loc + scale]; −inf outside.

    >>> round(float(uniform_logpdf(0.5, 0.0, 2.0)), 6)
    -0.693147
    """
    z = _std(x, loc, scale)
    inside = E.logical_and(E.greater_equal(z, 0), E.less_equal(z, 1))
    return _nan_if_nan(z, E.where(inside, E.negative(E.log(scale)) + 0.0 * z, _NINF))


@stat("uniform.pdf")
def uniform_pdf(x, loc=0.0, scale=1.0):
    """Density of the uniform distribution.

    >>> float(uniform_pdf(0.5, 0.0, 2.0))
    0.5
    """
    return E.exp(uniform_logpdf(x, loc, scale))


@stat("uniform.cdf")
def uniform_cdf(x, loc=0.0, scale=1.0):
    """Distribution function of the uniform distribution.

    >>> float(uniform_cdf(0.5, 0.0, 2.0))
    0.25
    """
    return E.clip(_std(x, loc, scale), 0.0, 1.0)


@stat("cauchy.logpdf")
def cauchy_logpdf(x, loc=0.0, scale=1.0):
    """log density of the Cauchy distribution: −log(πσ(1 + z²)).

    >>> round(float(cauchy_logpdf(0.0)), 6)
    -1.14473
    """
    # log(1 + z²) as 2 log hypot(1, z): z² overflows for |z| > 1e154 (logpdf −inf, not
    # −2 log|z| − log πσ).
    z = _std(x, loc, scale)
    return E.negative(2.0 * E.log(E.hypot(1.0, z)) + E.log(scale)) - _LOG_PI


@stat("cauchy.pdf")
def cauchy_pdf(x, loc=0.0, scale=1.0):
    """Density of the Cauchy distribution.

    >>> round(float(cauchy_pdf(0.0)), 6)
    0.31831
    """
    return E.exp(cauchy_logpdf(x, loc, scale))


@stat("cauchy.cdf")
def cauchy_cdf(x, loc=0.0, scale=1.0):
    """Distribution function 1/2 + arctan(z)/π of the Cauchy distribution.

    >>> float(cauchy_cdf(0.0))
    0.5
    """
    # arctan2(1, −z)/π is 1/2 + arctan(z)/π without the cancellation in the left tail
    # (cdf(−1e10) was off in the 7th digit, cdf(−1e300) 0), as SciPy computes it.
    return E.arctan2(1.0, E.negative(_std(x, loc, scale))) / np.pi
