"""More continuous ``scipy.stats`` distributions, each its standard form in a few lines
(:class:`~chainrule.primitives.stats_families.Continuous` adds loc, scale, the support and
SciPy's edge values). Formulas follow SciPy's (log1p, expm1, log_ndtr where it uses them),
so that the values agree to rounding and the derivatives are the formulas'.

>>> import chainrule as cr, chainrule.scipy.stats as cst
>>> float(cr.grad(lambda c: cst.weibull_min.logpdf(1.0, c))(2.0))  # 1/c + log x − x^c log x
0.5
"""

import numpy as np

from . import elementwise as E
from .special import gammaln, erf, erfc
from .special_functions import (erfinv, ndtr, ndtri, log_ndtr, xlogy, xlog1py, betaln, betainc,
                                gammainc, gammaincc, gammaincinv, gammainccinv,
                                betaincinv, i0e, owens_t, stdtr, stdtrit, in_last)
from .stats_families import Continuous

__all__ = []

_INF = np.inf
_HALF_LOG_2PI = 0.5 * float(np.log(2.0 * np.pi))
_HALF_LOG_2_PI = 0.5 * float(np.log(2.0 / np.pi))
_LN2 = float(np.log(2.0))
_SQRT2 = float(np.sqrt(2.0))
_TINY = float(np.nextafter(0.0, 1.0))
_POSITIVE = (0.0, _INF)


def _finite(*shapes):
    ok = True
    for s in shapes:
        ok = E.logical_and(ok, E.isfinite(s))
    return ok


def _log1p_over(c, x):
    """log1p(c·x)/c, and its limit x at c = 0: the series x(1 − u/2 + u²/3 − …), u = c·x,
    for |u| < 1e−3 keeps the value and every derivative in c exact through c = 0."""
    u = c * x
    small = E.less(E.absolute(u), 1e-3)
    us = E.where(small, u, 0.0)
    series = x * (1.0 + us * (-1 / 2 + us * (1 / 3 + us * (-1 / 4 + us * (1 / 5 - us / 6)))))
    cs = E.where(small, 1.0, c)
    return E.where(small, series, E.log1p(E.where(small, 0.0, u)) / cs)


def _expm1_over(c, x):
    """expm1(c·x)/c, and its limit x at c = 0 (the series x(1 + u/2 + u²/6 + …) near it)."""
    u = c * x
    small = E.less(E.absolute(u), 1e-3)
    us = E.where(small, u, 0.0)
    series = x * (1.0 + us * (1 / 2 + us * (1 / 6 + us * (1 / 24 + us * (1 / 120 + us / 720)))))
    cs = E.where(small, 1.0, c)
    return E.where(small, series, E.expm1(E.where(small, 0.0, u)) / cs)


# ---- half distributions and extreme values -------------------------------------------------
Continuous("halfnorm", logpdf=lambda z: _HALF_LOG_2_PI - 0.5 * z * z,
           cdf=lambda z: erf(z / _SQRT2), sf=lambda z: erfc(z / _SQRT2),
           ppf=lambda q: ndtri(0.5 * (1.0 + q)), isf=lambda q: E.negative(ndtri(0.5 * q)),
           support=_POSITIVE)
Continuous("halfcauchy", logpdf=lambda z: _LN2 - float(np.log(np.pi)) - E.log1p(z * z),
           cdf=lambda z: (2.0 / np.pi) * E.arctan(z),
           sf=lambda z: (2.0 / np.pi) * E.arctan2(1.0, z),
           ppf=lambda q: E.tan(0.5 * np.pi * q), isf=lambda q: E.reciprocal(E.tan(0.5 * np.pi * q)),
           support=_POSITIVE)
Continuous("halflogistic", logpdf=lambda z: _LN2 - z - 2.0 * E.log1p(E.exp(E.negative(z))),
           cdf=lambda z: E.tanh(0.5 * z), sf=lambda z: 2.0 * E.expit(E.negative(z)),
           ppf=lambda q: 2.0 * E.arctanh(q), isf=lambda q: 2.0 * E.arctanh(1.0 - q),
           support=_POSITIVE)
Continuous("gumbel_r", logpdf=lambda z: E.negative(z) - E.exp(E.negative(z)),
           cdf=lambda z: E.exp(E.negative(E.exp(E.negative(z)))),
           logcdf=lambda z: E.negative(E.exp(E.negative(z))),
           sf=lambda z: E.negative(E.expm1(E.negative(E.exp(E.negative(z))))),
           ppf=lambda q: E.negative(E.log(E.negative(E.log(q)))),
           isf=lambda q: E.negative(E.log(E.negative(E.log1p(E.negative(q))))))
Continuous("gumbel_l", logpdf=lambda z: z - E.exp(z),
           cdf=lambda z: E.negative(E.expm1(E.negative(E.exp(z)))),
           sf=lambda z: E.exp(E.negative(E.exp(z))), logsf=lambda z: E.negative(E.exp(z)),
           ppf=lambda q: E.log(E.negative(E.log1p(E.negative(q)))),
           isf=lambda q: E.log(E.negative(E.log(q))))


def _genextreme_loglogcdf(z, c):
    return E.negative(_log1p_over(E.negative(c), z))     # log1p(−c z)/c


def _genextreme_logpdf(z, c):
    ll = _genextreme_loglogcdf(z, c)
    at_end = E.equal(c * z, 1.0)                         # the density's end: 0, or 1 at c = 1
    out = E.negative(E.exp(ll)) + ll - E.log1p(E.negative(E.where(at_end, 0.0, c * z)))
    out = E.where(at_end, E.where(E.equal(c, 1.0), 0.0, -_INF), out)
    # an infinite end of the support (−inf for c ≥ 0, +inf for c ≤ 0): density 0, as SciPy's
    # (the formula is −inf + inf there)
    return E.where(E.isinf(z), -_INF, out)


def _genextreme_support(c):
    cs = E.stop_gradient(c)
    return (E.where(E.less(cs, 0), 1.0 / E.where(E.less(cs, 0), cs, -1.0), -_INF),
            E.where(E.greater(cs, 0), 1.0 / E.where(E.greater(cs, 0), cs, 1.0), _INF))


Continuous("genextreme", "c", logpdf=_genextreme_logpdf,
           cdf=lambda z, c: E.exp(E.negative(E.exp(_genextreme_loglogcdf(z, c)))),
           logcdf=lambda z, c: E.negative(E.exp(_genextreme_loglogcdf(z, c))),
           sf=lambda z, c: E.negative(E.expm1(E.negative(E.exp(_genextreme_loglogcdf(z, c))))),
           ppf=lambda q, c: _expm1_over(E.negative(c), E.negative(E.log(E.negative(E.log(q))))),
           isf=lambda q, c: _expm1_over(E.negative(c),
                                        E.negative(E.log(E.negative(E.log1p(E.negative(q)))))),
           support=_genextreme_support, valid=_finite, example=(0.5, -0.3))


def _genpareto_logpdf(z, c):
    # −(1 + c)·log1p(c z)/c; xlog1py keeps 0·log 0 = 0 at c = −1's end, as SciPy's
    u = c * z
    small = E.less(E.absolute(u), 1e-3)
    general = E.negative(xlog1py(c + 1.0, E.where(small, 0.0, u))) / E.where(small, 1.0, c)
    return E.where(small, E.negative(c + 1.0) * _log1p_over(c, z), general)


def _genpareto_support(c):
    cs = E.stop_gradient(c)
    return 0.0, E.where(E.less(cs, 0), -1.0 / E.where(E.less(cs, 0), cs, -1.0), _INF)


Continuous("genpareto", "c", logpdf=_genpareto_logpdf,
           cdf=lambda z, c: E.negative(E.expm1(E.negative(_log1p_over(c, z)))),
           sf=lambda z, c: E.exp(E.negative(_log1p_over(c, z))),
           logsf=lambda z, c: E.negative(_log1p_over(c, z)),
           ppf=lambda q, c: _expm1_over(c, E.negative(E.log1p(E.negative(q)))),
           isf=lambda q, c: _expm1_over(c, E.negative(E.log(q))),
           support=_genpareto_support, valid=_finite, example=(0.5, 0.4))


# ---- power laws and their relatives ----------------------------------------------------------
def _weibull(z, c):
    return xlogy(c - 1.0, z) + E.log(c) - z ** c


Continuous("weibull_min", "c", logpdf=_weibull,
           cdf=lambda z, c: E.negative(E.expm1(E.negative(z ** c))),
           sf=lambda z, c: E.exp(E.negative(z ** c)), logsf=lambda z, c: E.negative(z ** c),
           ppf=lambda q, c: E.negative(E.log1p(E.negative(q))) ** E.reciprocal(c),
           isf=lambda q, c: E.negative(E.log(q)) ** E.reciprocal(c),
           support=_POSITIVE, example=(0.5, 1.5))
Continuous("weibull_max", "c", logpdf=lambda z, c: _weibull(E.negative(z), c),
           cdf=lambda z, c: E.exp(E.negative(E.negative(z) ** c)),
           logcdf=lambda z, c: E.negative(E.negative(z) ** c),
           sf=lambda z, c: E.negative(E.expm1(E.negative(E.negative(z) ** c))),
           ppf=lambda q, c: E.negative(E.negative(E.log(q)) ** E.reciprocal(c)),
           isf=lambda q, c: E.negative(E.negative(E.log1p(E.negative(q))) ** E.reciprocal(c)),
           support=(-_INF, 0.0), example=(-0.5, 1.5))
Continuous("pareto", "b", logpdf=lambda z, b: E.log(b) - (b + 1.0) * E.log(z),
           cdf=lambda z, b: E.negative(E.expm1(E.negative(b) * E.log(z))),
           sf=lambda z, b: E.exp(E.negative(b) * E.log(z)),
           logsf=lambda z, b: E.negative(b) * E.log(z),
           ppf=lambda q, b: E.exp(E.negative(E.log1p(E.negative(q))) / b),
           isf=lambda q, b: q ** E.negative(E.reciprocal(b)),
           support=(1.0, _INF), example=(1.5, 2.5))
Continuous("lomax", "c", logpdf=lambda z, c: E.log(c) - (c + 1.0) * E.log1p(z),
           cdf=lambda z, c: E.negative(E.expm1(E.negative(c) * E.log1p(z))),
           sf=lambda z, c: E.exp(E.negative(c) * E.log1p(z)),
           logsf=lambda z, c: E.negative(c) * E.log1p(z),
           ppf=lambda q, c: E.expm1(E.negative(E.log1p(E.negative(q))) / c),
           isf=lambda q, c: E.expm1(E.negative(E.log(q)) / c),
           support=_POSITIVE, example=(0.5, 2.5))
Continuous("powerlaw", "a", logpdf=lambda z, a: E.log(a) + xlogy(a - 1.0, z),
           cdf=lambda z, a: z ** a, logcdf=lambda z, a: a * E.log(z),
           sf=lambda z, a: E.negative(E.expm1(a * E.log(z))),
           ppf=lambda q, a: q ** E.reciprocal(a), example=(0.5, 1.5),
           # SciPy's density is 0 at x = 0 when a < 1 (where it is infinite), a^x at a >= 1
           support=lambda a: (E.where(E.less(a, 1), _TINY, 0.0), 1.0))


def _log_range(a, b):
    return E.log(b) - E.log(a)


for _name in ("loguniform", "reciprocal"):
    Continuous(_name, "a b", logpdf=lambda z, a, b: E.negative(E.log(z)) - E.log(_log_range(a, b)),
               cdf=lambda z, a, b: (E.log(z) - E.log(a)) / _log_range(a, b),
               ppf=lambda q, a, b: E.exp(E.log(a) + q * _log_range(a, b)),
               support=lambda a, b: (a, b),
               valid=lambda a, b: E.logical_and(E.greater(a, 0), E.greater(b, a)),
               example=(2.0, 1.0, 5.0))
Continuous("truncexpon", "b", logpdf=lambda z, b: E.negative(z) - E.log(E.negative(E.expm1(E.negative(b)))),
           cdf=lambda z, b: E.expm1(E.negative(z)) / E.expm1(E.negative(b)),
           sf=lambda z, b: (E.exp(E.negative(b)) - E.exp(E.negative(z))) / E.expm1(E.negative(b)),
           ppf=lambda q, b: E.negative(E.log1p(q * E.expm1(E.negative(b)))),
           isf=lambda q, b: E.negative(E.log(E.exp(E.negative(b)) - q * E.expm1(E.negative(b)))),
           support=lambda b: (0.0, b), example=(0.5, 2.0))


def _triang_left(z, c):
    # x < c, and all of [0, 1] when c = 1 (the right-hand formula divides by 1 − c)
    return E.logical_or(E.less(z, c), E.equal(c, 1.0))


def _triang_logpdf(z, c):
    left = _triang_left(z, c)   # log of SciPy's pdf, as SciPy (no logpdf of its own)
    lz = 2.0 * E.where(left, z, 1.0) / E.where(left, c, 1.0)
    rz = 2.0 * (1.0 - E.where(left, 0.0, z)) / (1.0 - E.where(left, 0.0, c))
    return E.log(E.where(left, lz, rz))


def _triang_cdf(z, c):
    left = _triang_left(z, c)
    cl, cr_ = E.where(left, c, 1.0), E.where(left, 0.0, c)
    return E.where(left, z * z / cl, 1.0 - (1.0 - z) ** 2 / (1.0 - cr_))


def _triang_ppf(q, c):
    left = E.less(q, c)
    return E.where(left, E.sqrt(c * E.where(left, q, 1.0)),
                   1.0 - E.sqrt((1.0 - c) * (1.0 - E.where(left, 0.0, q))))


Continuous("triang", "c", logpdf=_triang_logpdf, cdf=_triang_cdf, ppf=_triang_ppf,
           support=(0.0, 1.0),
           valid=lambda c: E.logical_and(E.greater_equal(c, 0), E.less_equal(c, 1)),
           example=(0.3, 0.6))


# ---- the normal and gamma families ---------------------------------------------------------
def _norm_logpdf(z):
    return -0.5 * z * z - _HALF_LOG_2PI


def _log_gauss_mass(a, b):
    """log(Φ(b) − Φ(a)) for a < b, SciPy's way: in the left tail as a difference of
    log_ndtr's, in the right tail by symmetry, in between as 1 − Φ(a) − Φ(−b)."""
    left, right = E.less_equal(b, 0), E.greater(a, 0)
    mid = E.logical_not(E.logical_or(left, right))
    al, bl = E.where(left, a, -2.0), E.where(left, b, -1.0)
    ar, br = E.where(right, a, 1.0), E.where(right, b, 2.0)
    in_left = log_ndtr(bl) + E.log1p(E.negative(E.exp(log_ndtr(al) - log_ndtr(bl))))
    in_right = log_ndtr(E.negative(ar)) + E.log1p(E.negative(
        E.exp(log_ndtr(E.negative(br)) - log_ndtr(E.negative(ar)))))
    am, bm = E.where(mid, a, -1.0), E.where(mid, b, 1.0)
    in_mid = E.log1p(E.negative(ndtr(am)) - ndtr(E.negative(bm)))
    return E.where(left, in_left, E.where(right, in_right, in_mid))


def _truncnorm_ppf(q, a, b):
    mass = E.exp(_log_gauss_mass(a, b))
    left = E.less(a, 0)
    return E.where(left, ndtri(ndtr(a) + q * mass),
                   E.negative(ndtri(ndtr(E.negative(b)) + (1.0 - q) * mass)))


Continuous("truncnorm", "a b",
           logpdf=lambda z, a, b: _norm_logpdf(z) - _log_gauss_mass(a, b),
           cdf=lambda z, a, b: E.exp(_log_gauss_mass(a, z) - _log_gauss_mass(a, b)),
           logcdf=lambda z, a, b: _log_gauss_mass(a, z) - _log_gauss_mass(a, b),
           sf=lambda z, a, b: E.exp(_log_gauss_mass(z, b) - _log_gauss_mass(a, b)),
           logsf=lambda z, a, b: _log_gauss_mass(z, b) - _log_gauss_mass(a, b),
           ppf=_truncnorm_ppf, support=lambda a, b: (a, b), valid=lambda a, b: E.less(a, b),
           example=(0.3, -1.0, 2.0))
Continuous("skewnorm", "a",
           logpdf=lambda z, a: _LN2 + _norm_logpdf(z) + log_ndtr(a * z), valid=_finite,
           cdf=lambda z, a: ndtr(z) - 2.0 * owens_t(z, a),
           sf=lambda z, a: ndtr(E.negative(z)) + 2.0 * owens_t(z, a), example=(0.5, 2.0))


def _exponnorm_logprod(z, k):
    inv = E.reciprocal(k)
    return inv * (0.5 * inv - z) + log_ndtr(z - inv)


Continuous("exponnorm", "K", logpdf=lambda z, k: _exponnorm_logprod(z, k) - E.log(k),
           cdf=lambda z, k: ndtr(z) - E.exp(_exponnorm_logprod(z, k)),
           sf=lambda z, k: ndtr(E.negative(z)) + E.exp(_exponnorm_logprod(z, k)),
           example=(0.5, 1.5))
def _vonmises_logpdf(z, k):
    return -2.0 * k * E.sin(0.5 * z) ** 2 - 2.0 * _HALF_LOG_2PI - E.log(i0e(k))


def _scipy_vonmises_cdf(kappa, x):
    import scipy.stats   # SciPy's series (an optional extra, loaded when first evaluated)
    return scipy.stats.vonmises.cdf(x, kappa)


# SciPy's cdf (a series, cumulative beyond ±π), differentiable in x: its derivative is the
# density; in kappa it has no closed form and is refused.
_vonmises_cdf = in_last("vonmises_cdf", _scipy_vonmises_cdf,
                        lambda ans, k, z: E.exp(_vonmises_logpdf(z, k)), ("kappa",), names=())
#: for vonmises_line (chainrule.primitives.stats_shapes): the same density on [−π, π]
vonmises_parts = (_vonmises_logpdf, _vonmises_cdf)
Continuous("vonmises", "kappa", logpdf=_vonmises_logpdf, cdf=lambda z, k: _vonmises_cdf(k, z),
           valid=lambda k: E.greater_equal(k, 0), refuse=("kappa",), example=(0.5, 2.0))
Continuous("levy", logpdf=lambda z: -_HALF_LOG_2PI - 1.5 * E.log(z) - 0.5 * E.reciprocal(z),
           cdf=lambda z: erfc(E.reciprocal(E.sqrt(2.0 * z))),
           sf=lambda z: erf(E.reciprocal(E.sqrt(2.0 * z))),
           ppf=lambda q: E.reciprocal(ndtri(0.5 * q) ** 2),
           isf=lambda q: 0.5 * E.reciprocal(erfinv(q) ** 2),
           support=_POSITIVE, open_support=True)


def _invgauss_parts(z, mu, upper):
    fac = E.reciprocal(E.sqrt(z))
    a = log_ndtr(fac * (z / mu - 1.0) * (-1.0 if upper else 1.0))
    b = 2.0 / mu + log_ndtr(E.negative(fac) * (z / mu + 1.0))
    return a, b


def _invgauss_logcdf(z, mu):
    a, b = _invgauss_parts(z, mu, False)
    return a + E.log1p(E.exp(b - a))


def _invgauss_logsf(z, mu):
    a, b = _invgauss_parts(z, mu, True)
    return a + E.log1p(E.negative(E.exp(b - a)))


def _invgauss_logpdf(z, mu):
    return -_HALF_LOG_2PI - 1.5 * E.log(z) - (z / mu - 1.0) ** 2 / (2.0 * z)


_INVGAUSS = dict(cdf=lambda z, mu: E.exp(_invgauss_logcdf(z, mu)), logcdf=_invgauss_logcdf,
                 sf=lambda z, mu: E.exp(_invgauss_logsf(z, mu)), logsf=_invgauss_logsf)
Continuous("invgauss", "mu", logpdf=_invgauss_logpdf, support=_POSITIVE, open_support=True,
           example=(0.5, 1.5), **_INVGAUSS)
Continuous("wald", logpdf=lambda z: _invgauss_logpdf(z, 1.0), support=_POSITIVE,
           open_support=True, **{m: (lambda z, f=f: f(z, 1.0)) for m, f in _INVGAUSS.items()})


def _gammaincinv_q(q, a):
    return gammaincinv(a, q)


def _gammainccinv_q(q, a):
    return gammainccinv(a, q)


def _gamma_logpdf(z, a):
    return xlogy(a - 1.0, z) - z - gammaln(a)


Continuous("erlang", "a", logpdf=_gamma_logpdf, cdf=lambda z, a: gammainc(a, z),
           sf=lambda z, a: gammaincc(a, z), ppf=_gammaincinv_q, isf=_gammainccinv_q,
           support=_POSITIVE,
           refuse=("a",), example=(1.5, 2.0))
Continuous("invgamma", "a",
           logpdf=lambda z, a: E.negative(a + 1.0) * E.log(z) - gammaln(a) - E.reciprocal(z),
           cdf=lambda z, a: gammaincc(a, E.reciprocal(z)),
           sf=lambda z, a: gammainc(a, E.reciprocal(z)),
           ppf=lambda q, a: E.reciprocal(gammainccinv(a, q)),
           isf=lambda q, a: E.reciprocal(gammaincinv(a, q)),
           support=_POSITIVE, open_support=True, refuse=("a",), example=(0.5, 2.5))
Continuous("rayleigh", logpdf=lambda z: E.log(z) - 0.5 * z * z,
           cdf=lambda z: E.negative(E.expm1(-0.5 * z * z)), sf=lambda z: E.exp(-0.5 * z * z),
           logsf=lambda z: -0.5 * z * z,
           ppf=lambda q: E.sqrt(-2.0 * E.log1p(E.negative(q))),
           isf=lambda q: E.sqrt(-2.0 * E.log(q)), support=_POSITIVE, open_support=True)
Continuous("maxwell", logpdf=lambda z: _HALF_LOG_2_PI + xlogy(2.0, z) - 0.5 * z * z,
           cdf=lambda z: gammainc(1.5, 0.5 * z * z), sf=lambda z: gammaincc(1.5, 0.5 * z * z),
           ppf=lambda q: E.sqrt(2.0 * gammaincinv(1.5, q)),
           isf=lambda q: E.sqrt(2.0 * gammainccinv(1.5, q)), support=_POSITIVE)
Continuous("chi", "df",
           logpdf=lambda z, df: ((1.0 - 0.5 * df) * _LN2 - gammaln(0.5 * df)
                                 + xlogy(df - 1.0, z) - 0.5 * z * z),
           cdf=lambda z, df: gammainc(0.5 * df, 0.5 * z * z),
           sf=lambda z, df: gammaincc(0.5 * df, 0.5 * z * z),
           ppf=lambda q, df: E.sqrt(2.0 * gammaincinv(0.5 * df, q)),
           isf=lambda q, df: E.sqrt(2.0 * gammainccinv(0.5 * df, q)),
           support=_POSITIVE, refuse=("df",), example=(1.5, 3.0))
Continuous("nakagami", "nu",
           logpdf=lambda z, nu: (_LN2 + xlogy(nu, nu) - gammaln(nu) + xlogy(2.0 * nu - 1.0, z)
                                 - nu * z * z),
           cdf=lambda z, nu: gammainc(nu, nu * z * z), sf=lambda z, nu: gammaincc(nu, nu * z * z),
           ppf=lambda q, nu: E.sqrt(gammaincinv(nu, q) / nu),
           isf=lambda q, nu: E.sqrt(gammainccinv(nu, q) / nu),
           support=_POSITIVE, refuse=("nu",), example=(0.8, 1.5))
def _gennorm_ppf(q, b):
    c = E.sign(q - 0.5)   # SciPy's: (1 + c) first, against cancellation
    return c * gammainccinv(E.reciprocal(b), (1.0 + c) - 2.0 * c * q) ** E.reciprocal(b)


Continuous("gennorm", "beta",
           logpdf=lambda z, b: E.log(b) - _LN2 - gammaln(E.reciprocal(b)) - E.absolute(z) ** b,
           cdf=lambda z, b: (0.5 + 0.5 * E.sign(z)
                             - 0.5 * E.sign(z) * gammaincc(E.reciprocal(b), E.absolute(z) ** b)),
           sf=lambda z, b: (0.5 - 0.5 * E.sign(z)
                            + 0.5 * E.sign(z) * gammaincc(E.reciprocal(b), E.absolute(z) ** b)),
           ppf=lambda q, b: _gennorm_ppf(q, b), isf=lambda q, b: E.negative(_gennorm_ppf(q, b)),
           refuse=("beta",), example=(0.5, 1.5))


def _f_from_beta(x, m, n):
    """The F quantile from the Beta(m/2, n/2) one: n x / (m (1 − x))."""
    return n * x / (m * (1.0 - x))


def _f_logpdf(z, m, n):
    return (0.5 * xlogy(m, m) + 0.5 * xlogy(n, n) + xlogy(0.5 * m - 1.0, z)
            - 0.5 * (m + n) * E.log(n + m * z) - betaln(0.5 * m, 0.5 * n))


Continuous("f", "dfn dfd", logpdf=_f_logpdf,
           cdf=lambda z, m, n: betainc(0.5 * m, 0.5 * n, m * z / (m * z + n)),
           sf=lambda z, m, n: betainc(0.5 * n, 0.5 * m, n / (n + m * z)),
           ppf=lambda q, m, n: _f_from_beta(betaincinv(0.5 * m, 0.5 * n, q), m, n),
           isf=lambda q, m, n: _f_from_beta(1.0 - betaincinv(0.5 * n, 0.5 * m, q), m, n),
           support=_POSITIVE, refuse=("dfn", "dfd"), example=(1.5, 4.0, 6.0))


# ---- the older distributions' remaining methods (their densities and cdfs are in
# chainrule.primitives.stats): survival functions, log-cdfs and quantiles -------------------
_OLD = ("logpdf", "pdf", "cdf")
Continuous("gamma", "a", logpdf=_gamma_logpdf, cdf=lambda z, a: gammainc(a, z),
           sf=lambda z, a: gammaincc(a, z), ppf=_gammaincinv_q, isf=_gammainccinv_q,
           support=_POSITIVE, refuse=("a",), example=(1.5, 2.0), existing=_OLD)
Continuous("chi2", "df", logpdf=lambda z, df: _gamma_logpdf(0.5 * z, 0.5 * df) - _LN2,
           cdf=lambda z, df: gammainc(0.5 * df, 0.5 * z), sf=lambda z, df: gammaincc(0.5 * df, 0.5 * z),
           ppf=lambda q, df: 2.0 * gammaincinv(0.5 * df, q),
           isf=lambda q, df: 2.0 * gammainccinv(0.5 * df, q),
           support=_POSITIVE, refuse=("df",), example=(1.5, 3.0), existing=_OLD)
Continuous("beta", "a b",
           logpdf=lambda z, a, b: xlogy(a - 1.0, z) + xlog1py(b - 1.0, E.negative(z)) - betaln(a, b),
           cdf=lambda z, a, b: betainc(a, b, z), sf=lambda z, a, b: betainc(b, a, 1.0 - z),
           ppf=lambda q, a, b: betaincinv(a, b, q),
           isf=lambda q, a, b: 1.0 - betaincinv(b, a, q),
           support=(0.0, 1.0), refuse=("a", "b"), example=(0.3, 2.0, 3.0), existing=_OLD)
Continuous("expon", logpdf=E.negative, cdf=lambda z: E.negative(E.expm1(E.negative(z))),
           sf=lambda z: E.exp(E.negative(z)), logsf=E.negative,
           ppf=lambda q: E.negative(E.log1p(E.negative(q))), isf=lambda q: E.negative(E.log(q)),
           support=_POSITIVE, existing=_OLD)
Continuous("lognorm", "s",
           logpdf=lambda z, s: -0.5 * (E.log(z) / s) ** 2 - E.log(z) - E.log(s) - _HALF_LOG_2PI,
           cdf=lambda z, s: ndtr(E.log(z) / s), sf=lambda z, s: ndtr(E.negative(E.log(z)) / s),
           logcdf=lambda z, s: log_ndtr(E.log(z) / s),
           logsf=lambda z, s: log_ndtr(E.negative(E.log(z)) / s),
           ppf=lambda q, s: E.exp(s * ndtri(q)), isf=lambda q, s: E.exp(E.negative(s * ndtri(q))),
           support=_POSITIVE, open_support=True, example=(1.5, 0.7), existing=_OLD)


def _laplace_ppf(q):
    low = E.less(q, 0.5)
    return E.where(low, E.log(2.0 * E.where(low, q, 0.25)),
                   E.negative(E.log(2.0 - 2.0 * E.where(low, 0.75, q))))


Continuous("laplace", logpdf=lambda z: E.negative(E.absolute(z)) - _LN2,
           cdf=lambda z: E.where(E.less(z, 0), 0.5 * E.exp(E.minimum(z, 0.0)),
                                 1.0 - 0.5 * E.exp(E.negative(E.maximum(z, 0.0)))),
           sf=lambda z: E.where(E.greater(z, 0), 0.5 * E.exp(E.negative(E.maximum(z, 0.0))),
                                1.0 - 0.5 * E.exp(E.minimum(z, 0.0))),
           ppf=_laplace_ppf, isf=lambda q: E.negative(_laplace_ppf(q)), existing=_OLD)
Continuous("logistic", logpdf=lambda z: -2.0 * E.logaddexp(0.5 * z, -0.5 * z),
           cdf=E.expit, sf=lambda z: E.expit(E.negative(z)),
           logcdf=lambda z: E.negative(E.logaddexp(0.0, E.negative(z))),
           logsf=lambda z: E.negative(E.logaddexp(0.0, z)),
           ppf=lambda q: E.log(q) - E.log1p(E.negative(q)),
           isf=lambda q: E.log1p(E.negative(q)) - E.log(q), existing=_OLD)
Continuous("cauchy", logpdf=lambda z: -2.0 * E.log(E.hypot(1.0, z)) - float(np.log(np.pi)),
           cdf=lambda z: E.arctan2(1.0, E.negative(z)) / np.pi,
           sf=lambda z: E.arctan2(1.0, z) / np.pi,
           ppf=lambda q: E.tan(np.pi * q - 0.5 * np.pi), isf=lambda q: E.tan(0.5 * np.pi - np.pi * q),
           existing=_OLD)
Continuous("uniform", logpdf=lambda z: 0.0 * z, cdf=lambda z: z, sf=lambda z: 1.0 - z,
           ppf=lambda q: q, isf=lambda q: 1.0 - q, support=(0.0, 1.0), existing=_OLD)
Continuous("norm", logpdf=_norm_logpdf, ppf=ndtri, isf=lambda q: E.negative(ndtri(q)),
           existing=("logpdf", "pdf", "ppf"))
Continuous("t", "df",
           logpdf=lambda z, df: (gammaln(0.5 * (df + 1.0)) - gammaln(0.5 * df)
                                 - 0.5 * (E.log(df) + float(np.log(np.pi)))
                                 - 0.5 * (df + 1.0) * E.log1p(z * z / df)),
           cdf=lambda z, df: stdtr(df, z), sf=lambda z, df: stdtr(df, E.negative(z)),
           ppf=lambda q, df: stdtrit(df, q), isf=lambda q, df: E.negative(stdtrit(df, q)),
           refuse=("df",), example=(0.5, 3.0), existing=_OLD)
