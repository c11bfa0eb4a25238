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
from ..core.registry import STATS
from ..interpreters.batching import BatchTracer
from .declare import export
from .basic import reduce_sum
from .util import shape, ndim
from . import elementwise as E
from . import linalg as L
from . import composites as C
from .special import gammaln
from .special_functions import (ndtr, ndtri, log_ndtr, xlogy, xlog1py, betaln, betainc,
                                gammainc, gammaincc, stdtr, refuse_derivative)

__all__ = []

_LOG_2PI = float(np.log(2.0 * np.pi))
_LOG_PI = float(np.log(np.pi))
_LN2 = float(np.log(2.0))
_NINF = -np.inf


def _constant(value, fname, argname):
    """Refuse, up front, a traced parameter whose derivative is not supported (vmap's
    batching alone is fine)."""
    x = value
    while isinstance(x, Tracer):
        if not isinstance(x, BatchTracer):
            raise refuse_derivative(fname, argname)
        x = x._value


def _std(x, loc, scale):
    return (x - loc) / scale


def _quietly(fn):
    """Evaluate without NumPy's warnings for the branches ``where`` discards."""
    @functools.wraps(fn)
    def wrapped(*args, **kwargs):
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            return fn(*args, **kwargs)
    return wrapped


def _stat(name):
    def deco(fn):
        return export(name, namespace=STATS)(_quietly(fn))
    return deco


# ---- norm -----------------------------------------------------------------------------------
@_stat("norm.logpdf")
def norm_logpdf(x, loc=0.0, scale=1.0):
    """log density of N(loc, scale²).

    >>> round(float(norm_logpdf(0.0)), 6)
    -0.918939
    """
    z = _std(x, loc, scale)
    return -0.5 * (z * z) - E.log(scale) - 0.5 * _LOG_2PI


@_stat("norm.pdf")
def norm_pdf(x, loc=0.0, scale=1.0):
    """Density of N(loc, scale²).

    >>> round(float(norm_pdf(0.0)), 6)
    0.398942
    """
    return E.exp(norm_logpdf(x, loc, scale))


@_stat("norm.cdf")
def norm_cdf(x, loc=0.0, scale=1.0):
    """Distribution function of N(loc, scale²).

    >>> float(norm_cdf(1.0, 1.0, 3.0))
    0.5
    """
    return ndtr(_std(x, loc, scale))


@_stat("norm.logcdf")
def norm_logcdf(x, loc=0.0, scale=1.0):
    """log of the distribution function, accurate far in the left tail.

    >>> round(float(norm_logcdf(-40.0)), 4)
    -804.6084
    """
    return log_ndtr(_std(x, loc, scale))


@_stat("norm.sf")
def norm_sf(x, loc=0.0, scale=1.0):
    """Survival function 1 − cdf, accurate in the right tail.

    >>> float(norm_sf(0.0))
    0.5
    """
    return ndtr(E.negative(_std(x, loc, scale)))


@_stat("norm.logsf")
def norm_logsf(x, loc=0.0, scale=1.0):
    """log of the survival function.

    >>> round(float(norm_logsf(40.0)), 4)
    -804.6084
    """
    return log_ndtr(E.negative(_std(x, loc, scale)))


@_stat("norm.ppf")
def norm_ppf(q, loc=0.0, scale=1.0):
    """Quantile function (inverse of the cdf).

    >>> float(norm_ppf(0.5, 2.0))
    2.0
    """
    return loc + scale * ndtri(q)


# ---- Student's t -----------------------------------------------------------------------------
@_stat("t.logpdf")
def t_logpdf(x, df, loc=0.0, scale=1.0):
    """log density of Student's t with ``df`` degrees of freedom.

    >>> round(float(t_logpdf(0.0, 1.0)), 6)    # Cauchy: −log π
    -1.14473
    """
    z = _std(x, loc, scale)
    h = 0.5 * (df + 1.0)
    return (gammaln(h) - gammaln(0.5 * df) - 0.5 * (E.log(df) + _LOG_PI) - E.log(scale)
            - h * E.log1p(z * z / df))


@_stat("t.pdf")
def t_pdf(x, df, loc=0.0, scale=1.0):
    """Density of Student's t.

    >>> round(float(t_pdf(0.0, 1.0)), 6)       # 1/π
    0.31831
    """
    return E.exp(t_logpdf(x, df, loc, scale))


@_stat("t.cdf")
def t_cdf(x, df, loc=0.0, scale=1.0):
    """Distribution function of Student's t (differentiable in x, loc and scale; not in df).

    >>> float(t_cdf(0.0, 3.0))
    0.5
    """
    _constant(df, "t.cdf", "df")
    return stdtr(df, _std(x, loc, scale))


# ---- gamma, chi2 and beta --------------------------------------------------------------------
@_stat("gamma.logpdf")
def gamma_logpdf(x, a, loc=0.0, scale=1.0):
    """log density of the gamma distribution with shape ``a``; −inf for x < loc.

    >>> float(gamma_logpdf(1.0, 1.0))          # exponential: −x
    -1.0
    """
    z = _std(x, loc, scale)
    inside = E.greater_equal(z, 0)
    zs = E.where(inside, z, 1.0)
    return E.where(inside, xlogy(a - 1.0, zs) - zs - gammaln(a) - E.log(scale), _NINF)


@_stat("gamma.pdf")
def gamma_pdf(x, a, loc=0.0, scale=1.0):
    """Density of the gamma distribution.

    >>> round(float(gamma_pdf(2.0, 2.0)), 6)   # x e^−x
    0.270671
    """
    return E.exp(gamma_logpdf(x, a, loc, scale))


@_stat("gamma.cdf")
def gamma_cdf(x, a, loc=0.0, scale=1.0):
    """Distribution function of the gamma distribution (not differentiable in ``a``).

    >>> round(float(gamma_cdf(1.0, 1.0)), 6)   # 1 − e^−1
    0.632121
    """
    _constant(a, "gamma.cdf", "a")
    z = _std(x, loc, scale)
    inside = E.greater(z, 0)
    return E.where(inside, gammainc(a, E.where(inside, z, 1.0)), 0.0)


@_stat("chi2.logpdf")
def chi2_logpdf(x, df, loc=0.0, scale=1.0):
    """log density of χ² with ``df`` degrees of freedom (a gamma with a = df/2, scale 2).

    >>> round(float(chi2_logpdf(1.0, 2.0)), 6)  # log(e^(−1/2) / 2)
    -1.193147
    """
    return gamma_logpdf(x, 0.5 * df, loc, 2.0 * scale)


@_stat("chi2.pdf")
def chi2_pdf(x, df, loc=0.0, scale=1.0):
    """Density of χ².

    >>> round(float(chi2_pdf(1.0, 2.0)), 6)
    0.303265
    """
    return E.exp(chi2_logpdf(x, df, loc, scale))


@_stat("chi2.cdf")
def chi2_cdf(x, df, loc=0.0, scale=1.0):
    """Distribution function of χ² (not differentiable in ``df``).

    >>> round(float(chi2_cdf(2.0, 2.0)), 6)    # 1 − e^−1
    0.632121
    """
    _constant(df, "chi2.cdf", "df")
    return gamma_cdf(x, 0.5 * df, loc, 2.0 * scale)


@_stat("beta.logpdf")
def beta_logpdf(x, a, b, loc=0.0, scale=1.0):
    """log density of the beta distribution on [loc, loc + scale]; −inf outside.

    >>> float(beta_logpdf(0.3, 1.0, 1.0))      # uniform
    0.0
    """
    z = _std(x, loc, scale)
    inside = E.logical_and(E.greater_equal(z, 0), E.less_equal(z, 1))
    zs = E.where(inside, z, 0.5)
    out = xlogy(a - 1.0, zs) + xlog1py(b - 1.0, E.negative(zs)) - betaln(a, b) - E.log(scale)
    return E.where(inside, out, _NINF)


@_stat("beta.pdf")
def beta_pdf(x, a, b, loc=0.0, scale=1.0):
    """Density of the beta distribution.

    >>> round(float(beta_pdf(0.5, 2.0, 2.0)), 6)  # 6 x (1 − x)
    1.5
    """
    return E.exp(beta_logpdf(x, a, b, loc, scale))


@_stat("beta.cdf")
def beta_cdf(x, a, b, loc=0.0, scale=1.0):
    """Distribution function of the beta distribution (not differentiable in ``a``, ``b``).

    >>> round(float(beta_cdf(0.5, 2.0, 2.0)), 6)
    0.5
    """
    _constant(a, "beta.cdf", "a")
    _constant(b, "beta.cdf", "b")
    return betainc(a, b, E.clip(_std(x, loc, scale), 0.0, 1.0))


# ---- poisson ---------------------------------------------------------------------------------
def _counts(k, loc):
    k = k - loc
    ok = E.logical_and(E.equal(k, E.floor(k)), E.greater_equal(k, 0))
    return k, ok


@_stat("poisson.logpmf")
def poisson_logpmf(k, mu, loc=0):
    """log probability of ``k`` events at rate ``mu``; −inf for negative or fractional k.

    >>> float(poisson_logpmf(0, 2.0))          # log e^−2
    -2.0
    """
    k, ok = _counts(k, loc)
    ks = E.where(ok, k, 0.0)
    return E.where(ok, xlogy(ks, mu) - gammaln(ks + 1.0) - mu, _NINF)


@_stat("poisson.pmf")
def poisson_pmf(k, mu, loc=0):
    """Probability of ``k`` events at rate ``mu``.

    >>> round(float(poisson_pmf(1, 2.0)), 6)   # 2 e^−2
    0.270671
    """
    return E.exp(poisson_logpmf(k, mu, loc))


@_stat("poisson.cdf")
def poisson_cdf(k, mu, loc=0):
    """P(K ≤ k) = Q(⌊k⌋ + 1, mu), differentiable in ``mu``.

    >>> round(float(poisson_cdf(0, 2.0)), 6)   # e^−2
    0.135335
    """
    k = E.floor(k - loc)
    ok = E.greater_equal(k, 0)
    return E.where(ok, gammaincc(E.where(ok, k, 0.0) + 1.0, mu), 0.0)


# ---- dirichlet -------------------------------------------------------------------------------
def _simplex(x, alpha):
    if ndim(alpha) != 1:
        raise ValueError(f"dirichlet: alpha must be 1-D (one concentration per component), "
                         f"not of shape {shape(alpha)}")
    k = shape(alpha)[0]
    n = shape(x)[0] if ndim(x) else 0
    if n == k - 1:  # SciPy's shorthand: the last component is 1 − the others
        x = C.concatenate([x, 1.0 - reduce_sum(x, axis=0, keepdims=True)], axis=0)
    elif n != k:
        raise ValueError(f"dirichlet: x has {n} components along its first axis; alpha has "
                         f"{k} (give {k} or {k - 1})")
    return x, C.reshape(alpha, shape=(k,) + (1,) * (ndim(x) - 1))


@_stat("dirichlet.logpdf")
def dirichlet_logpdf(x, alpha):
    """log density of Dirichlet(alpha); components along x's first axis, as in SciPy.

    >>> round(float(dirichlet_logpdf(np.array([0.2, 0.3, 0.5]), np.ones(3))), 6)  # log 2
    0.693147
    """
    x, a = _simplex(x, alpha)
    lnb = reduce_sum(gammaln(alpha)) - gammaln(reduce_sum(alpha))
    return reduce_sum(xlogy(a - 1.0, x), axis=0) - lnb


@_stat("dirichlet.pdf")
def dirichlet_pdf(x, alpha):
    """Density of Dirichlet(alpha).

    >>> round(float(dirichlet_pdf(np.array([0.2, 0.8]), np.array([2.0, 1.0]))), 6)  # 2 x₁
    0.4
    """
    return E.exp(dirichlet_logpdf(x, alpha))


# ---- multivariate normal ---------------------------------------------------------------------
def _mvn_args(x, mean, cov):
    """SciPy's conventions (a scalar or 1-D cov is σ²·I or a diagonal; a 1-D x is one point,
    or points of dimension 1), plus broadcasting over leading axes of x, mean and cov."""
    if mean is None:
        dim = shape(cov)[-1] if ndim(cov) else 1
        mean = np.zeros(dim)
    if ndim(mean) == 0:
        mean = C.reshape(mean, shape=(1,))
    dim = shape(mean)[-1]
    if ndim(cov) == 0:
        cov = cov * np.eye(dim)
    elif ndim(cov) == 1:
        cov = C.expand_dims(cov, -1) * np.eye(dim)
    if ndim(x) == 0:
        x = C.reshape(x, shape=(1,))
    if ndim(x) == 1 and dim == 1 and ndim(mean) == 1:
        x = C.expand_dims(x, -1)
    if shape(x)[-1] != dim or shape(cov)[-2:] != (dim, dim):
        raise ValueError(f"multivariate_normal: x {shape(x)}, mean {shape(mean)} and cov "
                         f"{shape(cov)} disagree on the dimension (the last axis)")
    return x, mean, cov, dim


@_stat("multivariate_normal.logpdf")
def multivariate_normal_logpdf(x, mean=None, cov=1, allow_singular=False):
    """log density of N(mean, cov) at the points along x's last axis, through a Cholesky
    factor; x, mean and cov broadcast over their leading axes; size-1 axes are squeezed
    as in SciPy. (``allow_singular`` is accepted for SciPy's signature; cov must be
    positive definite.)

    >>> round(float(multivariate_normal_logpdf(np.zeros(2), np.zeros(2), np.eye(2))), 6)
    -1.837877
    """
    x, mean, cov, dim = _mvn_args(x, mean, cov)
    diff = x - mean
    batch = np.broadcast_shapes(shape(diff)[:-1], shape(cov)[:-2])
    chol = L.cholesky(C.broadcast_to(cov, batch + (dim, dim)))
    z = L.solve(chol, C.expand_dims(C.broadcast_to(diff, batch + (dim,)), -1))
    maha = reduce_sum(z * z, axis=(-2, -1))
    nd = len(batch) + 2
    logdet = reduce_sum(E.log(L.diagonal(chol, axis1=nd - 2, axis2=nd - 1)), axis=-1)
    return C.squeeze(-0.5 * (dim * _LOG_2PI + maha) - logdet)


@_stat("multivariate_normal.pdf")
def multivariate_normal_pdf(x, mean=None, cov=1, allow_singular=False):
    """Density of N(mean, cov).

    >>> round(float(multivariate_normal_pdf(0.0)), 6)
    0.398942
    """
    return E.exp(multivariate_normal_logpdf(x, mean, cov, allow_singular))


# ---- location-scale families with closed forms -----------------------------------------------
@_stat("expon.logpdf")
def expon_logpdf(x, loc=0.0, scale=1.0):
    """log density of the exponential distribution; −inf for x < loc.

    >>> float(expon_logpdf(2.0))
    -2.0
    """
    z = _std(x, loc, scale)
    return E.where(E.greater_equal(z, 0), E.negative(z) - E.log(scale), _NINF)


@_stat("expon.pdf")
def expon_pdf(x, loc=0.0, scale=1.0):
    """Density of the exponential distribution.

    >>> float(expon_pdf(0.0, scale=2.0))
    0.5
    """
    return E.exp(expon_logpdf(x, loc, scale))


@_stat("expon.cdf")
def expon_cdf(x, loc=0.0, scale=1.0):
    """Distribution function 1 − e^(−z) of the exponential distribution.

    >>> float(expon_cdf(-1.0))
    0.0
    """
    z = _std(x, loc, scale)
    return E.where(E.greater_equal(z, 0), E.negative(E.expm1(E.negative(z))), 0.0)


@_stat("laplace.logpdf")
def laplace_logpdf(x, loc=0.0, scale=1.0):
    """log density of the Laplace distribution: −|z| − log 2σ.

    >>> round(float(laplace_logpdf(0.0)), 6)
    -0.693147
    """
    return E.negative(E.absolute(_std(x, loc, scale))) - E.log(scale) - _LN2


@_stat("laplace.pdf")
def laplace_pdf(x, loc=0.0, scale=1.0):
    """Density of the Laplace distribution.

    >>> float(laplace_pdf(0.0))
    0.5
    """
    return E.exp(laplace_logpdf(x, loc, scale))


@_stat("laplace.cdf")
def laplace_cdf(x, loc=0.0, scale=1.0):
    """Distribution function of the Laplace distribution.

    >>> float(laplace_cdf(0.0))
    0.5
    """
    z = _std(x, loc, scale)
    e = 0.5 * E.exp(E.negative(E.absolute(z)))
    return E.where(E.less(z, 0), e, 1.0 - e)


@_stat("logistic.logpdf")
def logistic_logpdf(x, loc=0.0, scale=1.0):
    """log density of the logistic distribution, −|z| − 2 log(1 + e^(−|z|)) − log σ.

    >>> round(float(logistic_logpdf(0.0)), 6)  # log 1/4
    -1.386294
    """
    a = E.absolute(_std(x, loc, scale))
    return E.negative(a) - 2.0 * E.log1p(E.exp(E.negative(a))) - E.log(scale)


@_stat("logistic.pdf")
def logistic_pdf(x, loc=0.0, scale=1.0):
    """Density of the logistic distribution.

    >>> float(logistic_pdf(0.0))
    0.25
    """
    return E.exp(logistic_logpdf(x, loc, scale))


@_stat("logistic.cdf")
def logistic_cdf(x, loc=0.0, scale=1.0):
    """Distribution function of the logistic distribution (the logistic sigmoid).

    >>> float(logistic_cdf(0.0))
    0.5
    """
    return E.expit(_std(x, loc, scale))


@_stat("uniform.logpdf")
def uniform_logpdf(x, loc=0.0, scale=1.0):
    """log density of the uniform distribution on [loc, loc + scale]; −inf outside.

    >>> round(float(uniform_logpdf(0.5, 0.0, 2.0)), 6)
    -0.693147
    """
    z = _std(x, loc, scale)
    inside = E.logical_and(E.greater_equal(z, 0), E.less_equal(z, 1))
    return E.where(inside, E.negative(E.log(scale)) + 0.0 * z, _NINF)


@_stat("uniform.pdf")
def uniform_pdf(x, loc=0.0, scale=1.0):
    """Density of the uniform distribution.

    >>> float(uniform_pdf(0.5, 0.0, 2.0))
    0.5
    """
    return E.exp(uniform_logpdf(x, loc, scale))


@_stat("uniform.cdf")
def uniform_cdf(x, loc=0.0, scale=1.0):
    """Distribution function of the uniform distribution.

    >>> float(uniform_cdf(0.5, 0.0, 2.0))
    0.25
    """
    return E.clip(_std(x, loc, scale), 0.0, 1.0)


@_stat("cauchy.logpdf")
def cauchy_logpdf(x, loc=0.0, scale=1.0):
    """log density of the Cauchy distribution: −log(πσ(1 + z²)).

    >>> round(float(cauchy_logpdf(0.0)), 6)
    -1.14473
    """
    z = _std(x, loc, scale)
    return E.negative(E.log1p(z * z) + E.log(scale)) - _LOG_PI


@_stat("cauchy.pdf")
def cauchy_pdf(x, loc=0.0, scale=1.0):
    """Density of the Cauchy distribution.

    >>> round(float(cauchy_pdf(0.0)), 6)
    0.31831
    """
    return E.exp(cauchy_logpdf(x, loc, scale))


@_stat("cauchy.cdf")
def cauchy_cdf(x, loc=0.0, scale=1.0):
    """Distribution function 1/2 + arctan(z)/π of the Cauchy distribution.

    >>> float(cauchy_cdf(0.0))
    0.5
    """
    return 0.5 + E.arctan(_std(x, loc, scale)) / np.pi
