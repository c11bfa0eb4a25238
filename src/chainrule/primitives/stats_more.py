"""More continuous ``scipy.stats`` distributions over
:class:`~chainrule.primitives.stats_families.Continuous`: the Burr and log-logistic family,
Johnson's, the folded, generalized-gamma and Weibull relatives, and the normal's relatives
(power-normal, fatigue-life, reciprocal inverse Gaussian). Each is its standard form after
SciPy's own ``_logpdf``/``_cdf``/``_sf``/``_ppf``/``_isf`` (the same log1p, expm1, xlogy),
so that values agree to rounding; every method is differentiable in x and in every shape
but those an incomplete gamma or beta integral carries (listed in ``refuse``).

>>> import chainrule as cr, chainrule.scipy.stats as cst
>>> float(cr.grad(lambda c: cst.fisk.logcdf(1.0, c))(2.0))   # −log1p(x^−c)' = 0 at x = 1
0.0
"""

import numpy as np

from . import elementwise as E
from .special import gammaln, erf, erfc
from .special_inverses import betaincc
from .special_functions import (ndtr, ndtri, log_ndtr, xlogy, xlog1py, betaln, betainc, erfcinv,
                                betaincinv, gammainc, gammaincc, gammaincinv, gammainccinv)
from .stats_families import Continuous

__all__ = []

_INF = np.inf
_POSITIVE = (0.0, _INF)
_LN2 = float(np.log(2.0))
_HALF_LOG_2PI = 0.5 * float(np.log(2.0 * np.pi))
_LOG_PI = float(np.log(np.pi))
_SQRT2 = float(np.sqrt(2.0))


def _neg(x):
    return E.negative(x)


def _any(*shapes):
    """SciPy's ``a == a``: every value but nan."""
    ok = True
    for s in shapes:
        ok = E.logical_and(ok, E.logical_not(E.isnan(s)))
    return ok


# ---- Burr (type III), Burr XII and the log-logistic (fisk) --------------------------------------
def _burr_logpdf(z, c, d):
    at0 = E.equal(z, 0.0)
    z0, z1 = E.where(at0, z, 0.0), E.where(at0, 1.0, z)
    base = E.log(c) + E.log(d)
    return E.where(at0, base + xlogy(c * d - 1.0, z0) - (d + 1.0) * E.log1p(z0 ** c),
                   base + xlogy(_neg(c) - 1.0, z1) - xlog1py(d + 1.0, z1 ** _neg(c)))


def _burr_logsf(z, c, d):
    return E.log1p(_neg((1.0 + z ** _neg(c)) ** _neg(d)))


_BURR = dict(
    logpdf=_burr_logpdf, cdf=lambda z, c, d: (1.0 + z ** _neg(c)) ** _neg(d),
    logcdf=lambda z, c, d: E.log1p(z ** _neg(c)) * _neg(d),
    sf=lambda z, c, d: E.exp(_burr_logsf(z, c, d)), logsf=_burr_logsf,
    ppf=lambda q, c, d: (q ** (-1.0 / d) - 1.0) ** (-1.0 / c),
    isf=lambda q, c, d: E.expm1(xlog1py(-1.0 / d, _neg(q))) ** (-1.0 / c))
Continuous("burr", "c d", support=_POSITIVE, example=(1.5, 2.0, 1.5), **_BURR)
Continuous("fisk", "c", support=_POSITIVE, example=(1.5, 2.5),
           **{m: (lambda z, c, f=f: f(z, c, 1.0)) for m, f in _BURR.items()})


def _burr12_logsf(z, c, d):
    return xlog1py(_neg(d), z ** c)


Continuous("burr12", "c d",
           logpdf=lambda z, c, d: (E.log(c) + E.log(d) + xlogy(c - 1.0, z)
                                   + xlog1py(_neg(d) - 1.0, z ** c)),
           cdf=lambda z, c, d: _neg(E.expm1(_burr12_logsf(z, c, d))),
           logcdf=lambda z, c, d: E.log1p(_neg((1.0 + z ** c) ** _neg(d))),
           sf=lambda z, c, d: E.exp(_burr12_logsf(z, c, d)), logsf=_burr12_logsf,
           ppf=lambda q, c, d: E.expm1(-1.0 / d * E.log1p(_neg(q))) ** (1.0 / c),
           isf=lambda q, c, d: E.expm1(-1.0 / d * E.log(q)) ** (1.0 / c),
           support=_POSITIVE, example=(1.5, 2.0, 1.5))


# ---- Johnson's SU and SB: a normal of a + b·asinh(x), a + b·logit(x) -----------------------------
def _johnson(name, g, g_inv, log_dg, support, open_support, x0):
    Continuous(name, "a b",
               logpdf=lambda z, a, b: (E.log(b) + log_dg(z) - 0.5 * (a + b * g(z)) ** 2
                                       - _HALF_LOG_2PI),
               cdf=lambda z, a, b: ndtr(a + b * g(z)), sf=lambda z, a, b: ndtr(_neg(a + b * g(z))),
               logcdf=lambda z, a, b: log_ndtr(a + b * g(z)),
               logsf=lambda z, a, b: log_ndtr(_neg(a + b * g(z))),
               ppf=lambda q, a, b: g_inv((ndtri(q) - a) / b),
               isf=lambda q, a, b: g_inv((_neg(ndtri(q)) - a) / b),
               support=support, open_support=open_support,
               valid=lambda a, b: E.logical_and(E.greater(b, 0), _any(a)), example=(x0, 0.5, 1.5))


# (the density's 1/√(1 + x²) as 1/hypot(1, x): no overflow for |x| > 1e154)
_johnson("johnsonsu", E.arcsinh, E.sinh, lambda z: _neg(E.log(E.hypot(1.0, z))),
         (-_INF, _INF), False, 0.5)
_johnson("johnsonsb", lambda z: E.log(z) - E.log1p(_neg(z)), E.expit,
         lambda z: _neg(E.log(z) + E.log1p(_neg(z))), (0.0, 1.0), True, 0.3)


# ---- beta prime: a beta of x/(1 + x) -------------------------------------------------------------
def _betaprime_cdf(z, a, b):
    big = E.greater(z, 1.0)
    zb, zs = E.where(big, z, 2.0), E.where(big, 0.5, z)
    return E.where(big, betaincc(b, a, 1.0 / (1.0 + zb)), betainc(a, b, zs / (1.0 + zs)))


def _betaprime_sf(z, a, b):
    big = E.greater(z, 1.0)
    zb, zs = E.where(big, z, 2.0), E.where(big, 0.5, z)
    return E.where(big, betainc(b, a, 1.0 / (1.0 + zb)), betaincc(a, b, zs / (1.0 + zs)))


def _betaprime_ppf(q, a, b):
    r = betaincinv(a, b, q)
    near1 = E.greater(r, 0.9999)   # SciPy's: 1/(1 − r) from the other tail, without cancellation
    other = E.reciprocal(betaincinv(b, a, E.where(near1, 1.0 - q, 0.5))) - 1.0
    rs = E.where(near1, 0.5, r)
    return E.where(near1, other, rs / (1.0 - rs))


Continuous("betaprime", "a b",
           logpdf=lambda z, a, b: xlogy(a - 1.0, z) - xlog1py(a + b, z) - betaln(a, b),
           cdf=_betaprime_cdf, sf=_betaprime_sf, ppf=_betaprime_ppf,
           support=_POSITIVE, open_support=True, refuse=("a", "b"), example=(1.5, 2.0, 3.0))


# ---- folded normal and folded Cauchy: |X| for X about ±c ----------------------------------------
def _nonnegative(c):
    return E.greater_equal(c, 0)


Continuous("foldnorm", "c",
           logpdf=lambda z, c: E.logaddexp(-0.5 * (z + c) ** 2, -0.5 * (z - c) ** 2) - _HALF_LOG_2PI,
           cdf=lambda z, c: 0.5 * (erf((z - c) / _SQRT2) + erf((z + c) / _SQRT2)),
           sf=lambda z, c: ndtr(c - z) + ndtr(_neg(z + c)),
           support=_POSITIVE, valid=_nonnegative, example=(0.8, 1.2))
Continuous("foldcauchy", "c",
           logpdf=lambda z, c: (E.log(E.reciprocal(1.0 + (z - c) ** 2)
                                      + E.reciprocal(1.0 + (z + c) ** 2)) - _LOG_PI),
           cdf=lambda z, c: (E.arctan(z - c) + E.arctan(z + c)) / np.pi,
           sf=lambda z, c: (E.arctan2(1.0, z - c) + E.arctan2(1.0, z + c)) / np.pi,
           support=_POSITIVE, valid=_nonnegative, example=(0.8, 1.2))


# ---- the generalized gamma, log-gamma and double gamma: incomplete gamma integrals in a -------
def _gengamma_logpdf(z, a, c):
    ok = E.logical_or(E.not_equal(z, 0.0), E.greater(c, 0))
    zs = E.where(ok, z, 1.0)
    return E.where(ok, E.log(E.absolute(c)) + xlogy(c * a - 1.0, zs) - zs ** c - gammaln(a), -_INF)


def _by_sign(c, pos, neg):
    return E.where(E.greater(c, 0), pos, neg)


Continuous("gengamma", "a c", logpdf=_gengamma_logpdf,
           cdf=lambda z, a, c: _by_sign(c, gammainc(a, z ** c), gammaincc(a, z ** c)),
           sf=lambda z, a, c: _by_sign(c, gammaincc(a, z ** c), gammainc(a, z ** c)),
           ppf=lambda q, a, c: _by_sign(c, gammaincinv(a, q), gammainccinv(a, q)) ** (1.0 / c),
           isf=lambda q, a, c: _by_sign(c, gammainccinv(a, q), gammaincinv(a, q)) ** (1.0 / c),
           support=_POSITIVE, refuse=("a",),
           # (SciPy's check, which a nan c passes: nan inside the support, 0 and 1 outside)
           valid=lambda a, c: E.logical_and(E.greater(a, 0), E.not_equal(c, 0)),
           example=(1.5, 2.0, 1.5))

_LOGXMIN = float(np.log(np.finfo(float).tiny))
_XMIN = float(np.finfo(float).tiny)


def _loggamma_tail(z, c, upper):
    """gammainc(c, eˣ) (or its complement), and below log(tiny), where eˣ underflows, the
    leading term e^(cx)/Γ(c + 1), as SciPy."""
    low = E.less(z, _LOGXMIN)
    zl, zh = E.where(low, z, _LOGXMIN), E.where(low, 0.0, z)
    lead = c * zl - gammaln(c + 1.0)
    if upper:
        return E.where(low, _neg(E.expm1(lead)), gammaincc(c, E.exp(zh)))
    return E.where(low, E.exp(lead), gammainc(c, E.exp(zh)))


def _loggamma_quantile(q, c, upper):
    g = gammainccinv(c, q) if upper else gammaincinv(c, q)
    low = E.less(g, _XMIN)
    lead = ((E.log1p(_neg(q)) if upper else E.log(q)) + gammaln(c + 1.0)) / c
    return E.where(low, lead, E.log(E.where(low, 1.0, g)))


Continuous("loggamma", "c", logpdf=lambda z, c: c * z - E.exp(z) - gammaln(c),
           cdf=lambda z, c: _loggamma_tail(z, c, False), sf=lambda z, c: _loggamma_tail(z, c, True),
           ppf=lambda q, c: _loggamma_quantile(q, c, False),
           isf=lambda q, c: _loggamma_quantile(q, c, True), refuse=("c",), example=(-0.5, 1.5))


def _dgamma_cdf(z, a):
    pos = E.greater(z, 0)
    return E.where(pos, 0.5 + 0.5 * gammainc(a, E.where(pos, z, 1.0)),
                   0.5 * gammaincc(a, _neg(E.where(pos, -1.0, z))))


def _dgamma_sf(z, a):
    pos = E.greater(z, 0)
    return E.where(pos, 0.5 * gammaincc(a, E.where(pos, z, 1.0)),
                   0.5 + 0.5 * gammainc(a, _neg(E.where(pos, -1.0, z))))


def _dgamma_ppf(q, a, sign=1.0):
    up = E.greater(q, 0.5)
    return sign * E.where(up, gammaincinv(a, 2.0 * E.where(up, q, 0.75) - 1.0),
                          _neg(gammainccinv(a, 2.0 * E.where(up, 0.25, q))))


Continuous("dgamma", "a",
           logpdf=lambda z, a: xlogy(a - 1.0, E.absolute(z)) - E.absolute(z) - _LN2 - gammaln(a),
           cdf=_dgamma_cdf, sf=_dgamma_sf, ppf=_dgamma_ppf,
           isf=lambda q, a: _dgamma_ppf(q, a, -1.0), refuse=("a",), example=(0.5, 1.5))


# ---- Weibull's relatives -----------------------------------------------------------------------
def _dweibull_half_sf(z, c):
    return 0.5 * E.exp(_neg(E.absolute(z) ** c))


def _dweibull_ppf(q, c):
    low = E.less_equal(q, 0.5)
    fac = (_neg(E.log(2.0 * E.where(low, q, 1.0 - q)))) ** (1.0 / c)
    return E.where(low, _neg(fac), fac)


Continuous("dweibull", "c",
           logpdf=lambda z, c: (E.log(c) - _LN2 + xlogy(c - 1.0, E.absolute(z))
                                - E.absolute(z) ** c),
           cdf=lambda z, c: E.where(E.greater(z, 0), 1.0 - _dweibull_half_sf(z, c),
                                    _dweibull_half_sf(z, c)),
           sf=lambda z, c: E.where(E.greater(z, 0), _dweibull_half_sf(z, c),
                                   1.0 - _dweibull_half_sf(z, c)),
           ppf=_dweibull_ppf, isf=lambda q, c: _neg(_dweibull_ppf(q, c)), example=(0.5, 1.5))


def _pow1pm1(x, y):
    """(1 + x)^y − 1 without cancellation: expm1(y·log1p(x))."""
    return E.expm1(y * E.log1p(x))


Continuous("exponweib", "a c",
           logpdf=lambda z, a, c: (E.log(a) + E.log(c)
                                   + xlogy(a - 1.0, _neg(E.expm1(_neg(z ** c))))
                                   - z ** c + xlogy(c - 1.0, z)),
           cdf=lambda z, a, c: _neg(E.expm1(_neg(z ** c))) ** a,
           sf=lambda z, a, c: _neg(_pow1pm1(_neg(E.exp(_neg(z ** c))), a)),
           ppf=lambda q, a, c: _neg(E.log1p(_neg(q ** (1.0 / a)))) ** (1.0 / c),
           isf=lambda q, a, c: _neg(E.log(_neg(_pow1pm1(_neg(q), 1.0 / a)))) ** (1.0 / c),
           support=_POSITIVE, example=(1.5, 2.0, 1.5))
Continuous("exponpow", "b",
           logpdf=lambda z, b: 1.0 + E.log(b) + xlogy(b - 1.0, z) + z ** b - E.exp(z ** b),
           cdf=lambda z, b: _neg(E.expm1(_neg(E.expm1(z ** b)))),
           sf=lambda z, b: E.exp(_neg(E.expm1(z ** b))),
           ppf=lambda q, b: E.log1p(_neg(E.log1p(_neg(q)))) ** (1.0 / b),
           isf=lambda q, b: E.log1p(_neg(E.log(q))) ** (1.0 / b),
           support=_POSITIVE, example=(0.8, 2.5))
Continuous("gompertz", "c", logpdf=lambda z, c: E.log(c) + z - c * E.expm1(z),
           cdf=lambda z, c: _neg(E.expm1(_neg(c) * E.expm1(z))),
           sf=lambda z, c: E.exp(_neg(c) * E.expm1(z)),
           ppf=lambda q, c: E.log1p(-1.0 / c * E.log1p(_neg(q))),
           isf=lambda q, c: E.log1p(_neg(E.log(q)) / c), support=_POSITIVE, example=(0.8, 1.5))
Continuous("invweibull", "c",
           logpdf=lambda z, c: E.log(c) - (c + 1.0) * E.log(z) - z ** _neg(c),
           cdf=lambda z, c: E.exp(_neg(z ** _neg(c))), logcdf=lambda z, c: _neg(z ** _neg(c)),
           sf=lambda z, c: _neg(E.expm1(_neg(z ** _neg(c)))),
           ppf=lambda q, c: (_neg(E.log(q))) ** (-1.0 / c),
           isf=lambda q, c: (_neg(E.log1p(_neg(q)))) ** (-1.0 / c),
           support=_POSITIVE, open_support=True, example=(0.8, 1.5))


# ---- the logistic's, Laplace's and Lévy's relatives ----------------------------------------------
def _genlogistic_logpdf(z, c):
    # SciPy's form on each side of 0 (finite at ±inf), without its |x| (whose slope at 0 is 0)
    up = E.greater_equal(z, 0)
    zu, zd = E.where(up, z, 0.0), E.where(up, 0.0, z)
    return E.log(c) + E.where(up, _neg(zu) - (c + 1.0) * E.log1p(E.exp(_neg(zu))),
                              c * zd - (c + 1.0) * E.log1p(E.exp(zd)))


Continuous("genlogistic", "c",
           logpdf=_genlogistic_logpdf,
           cdf=lambda z, c: (1.0 + E.exp(_neg(z))) ** _neg(c),
           logcdf=lambda z, c: _neg(c) * E.log1p(E.exp(_neg(z))),
           sf=lambda z, c: _neg(E.expm1(_neg(c) * E.log1p(E.exp(_neg(z))))),
           ppf=lambda q, c: _neg(E.log(E.expm1(-1.0 / c * E.log(q)))),
           isf=lambda q, c: _neg(E.log(E.expm1(-1.0 / c * E.log1p(_neg(q))))),
           example=(0.5, 1.5))


def _loglaplace_ppf(q, c):
    low = E.less(q, 0.5)
    return E.where(low, (2.0 * E.where(low, q, 0.25)) ** (1.0 / c),
                   (2.0 * (1.0 - E.where(low, 0.75, q))) ** (-1.0 / c))


def _loglaplace_isf(q, c):
    # SciPy's own: ppf(1 − q) loses a small q (isf(1e-300) was inf)
    high = E.greater(q, 0.5)
    return E.where(high, (2.0 * (1.0 - E.where(high, q, 0.75))) ** (1.0 / c),
                   (2.0 * E.where(high, 0.25, q)) ** (-1.0 / c))


def _loglaplace_below(z):
    return E.less(z, 1.0)


Continuous("loglaplace", "c",
           logpdf=lambda z, c: (E.log(c / 2.0)
                                + (E.where(_loglaplace_below(z), c, _neg(c)) - 1.0) * E.log(z)),
           cdf=lambda z, c: E.where(_loglaplace_below(z), 0.5 * z ** c, 1.0 - 0.5 * z ** _neg(c)),
           sf=lambda z, c: E.where(_loglaplace_below(z), 1.0 - 0.5 * z ** c, 0.5 * z ** _neg(c)),
           ppf=_loglaplace_ppf, isf=_loglaplace_isf,
           support=_POSITIVE, example=(0.5, 1.5))
Continuous("levy_l",
           logpdf=lambda z: -_HALF_LOG_2PI - 1.5 * E.log(_neg(z)) + 0.5 * E.reciprocal(z),
           cdf=lambda z: 2.0 * ndtr(E.reciprocal(E.sqrt(_neg(z)))) - 1.0,
           sf=lambda z: 2.0 * ndtr(_neg(E.reciprocal(E.sqrt(_neg(z))))),
           ppf=lambda q: -1.0 / ndtri(0.5 * (q + 1.0)) ** 2,
           isf=lambda q: -1.0 / ndtri(0.5 * q) ** 2,
           support=(-_INF, 0.0), open_support=True, example=(-0.5,))
Continuous("moyal", logpdf=lambda z: -0.5 * (z + E.exp(_neg(z))) - _HALF_LOG_2PI,
           cdf=lambda z: erfc(E.exp(-0.5 * z) / _SQRT2), sf=lambda z: erf(E.exp(-0.5 * z) / _SQRT2),
           ppf=lambda q: _neg(E.log(2.0 * erfcinv(q) ** 2)))


# ---- the normal's relatives ----------------------------------------------------------------------
def _norm_logpdf(z):
    return -0.5 * z * z - _HALF_LOG_2PI


Continuous("powernorm", "c",
           logpdf=lambda z, c: E.log(c) + _norm_logpdf(z) + (c - 1.0) * log_ndtr(_neg(z)),
           cdf=lambda z, c: _neg(E.expm1(c * log_ndtr(_neg(z)))),
           sf=lambda z, c: E.exp(c * log_ndtr(_neg(z))), logsf=lambda z, c: c * log_ndtr(_neg(z)),
           ppf=lambda q, c: _neg(ndtri((1.0 - q) ** (1.0 / c))),
           isf=lambda q, c: _neg(ndtri(E.exp(E.log(q) / c))), example=(0.5, 1.5))


def _powerlognorm_logsf(z, c, s):
    return log_ndtr(_neg(E.log(z)) / s) * c


def _powerlognorm_isf(q, c, s):
    return E.exp(_neg(ndtri(q ** (1.0 / c))) * s)


Continuous("powerlognorm", "c s",
           logpdf=lambda z, c, s: (E.log(c) - E.log(z) - E.log(s) + _norm_logpdf(E.log(z) / s)
                                   + log_ndtr(_neg(E.log(z)) / s) * (c - 1.0)),
           cdf=lambda z, c, s: _neg(E.expm1(_powerlognorm_logsf(z, c, s))),
           sf=lambda z, c, s: E.exp(_powerlognorm_logsf(z, c, s)), logsf=_powerlognorm_logsf,
           ppf=lambda q, c, s: _powerlognorm_isf(1.0 - q, c, s), isf=_powerlognorm_isf,
           support=_POSITIVE, open_support=True, example=(1.2, 1.5, 0.8))


def _recipinvgauss_terms(z, mu):
    isqx = E.reciprocal(E.sqrt(z))
    return isqx * (1.0 / mu - z), E.exp(2.0 / mu) * ndtr(_neg(isqx) * (1.0 / mu + z))


def _recipinvgauss_logpdf(z, mu):
    pos = E.greater(z, 0)
    zs = E.where(pos, z, 1.0)
    return E.where(pos, _neg((1.0 - mu * zs) ** 2) / (2.0 * zs * mu ** 2)
                   - 0.5 * E.log(2.0 * np.pi * zs), -_INF)


Continuous("recipinvgauss", "mu", logpdf=_recipinvgauss_logpdf,
           cdf=lambda z, mu: (lambda t: ndtr(_neg(t[0])) - t[1])(_recipinvgauss_terms(z, mu)),
           sf=lambda z, mu: (lambda t: ndtr(t[0]) + t[1])(_recipinvgauss_terms(z, mu)),
           support=_POSITIVE, example=(0.8, 1.5))


def _fatiguelife_u(z, c):
    return (E.sqrt(z) - E.reciprocal(E.sqrt(z))) / c


def _fatiguelife_isf(q, c):
    t = _neg(c) * ndtri(q)
    return 0.25 * (t + E.sqrt(t * t + 4.0)) ** 2


Continuous("fatiguelife", "c",
           logpdf=lambda z, c: (E.log(z + 1.0) - (z - 1.0) ** 2 / (2.0 * z * c * c)
                                - E.log(2.0 * c) - 0.5 * (2.0 * _HALF_LOG_2PI + 3.0 * E.log(z))),
           cdf=lambda z, c: ndtr(_fatiguelife_u(z, c)), sf=lambda z, c: ndtr(_neg(_fatiguelife_u(z, c))),
           ppf=lambda q, c: 0.25 * (c * ndtri(q) + E.sqrt((c * ndtri(q)) ** 2 + 4.0)) ** 2,
           isf=_fatiguelife_isf, support=_POSITIVE, open_support=True, example=(0.8, 1.5))
