"""Continuous ``scipy.stats`` distributions with closed forms in elementary and wrapped
special functions, over :class:`~chainrule.primitives.stats_families.Continuous`: the
trapezoid, truncated Pareto and Weibull, wrapped Cauchy, cosine, R, ARGUS, alpha,
Crystal Ball, generalized exponential and half-logistic, half generalized normal, Mielke,
skew Cauchy, kappa-3, relativistic Breit–Wigner, Jones–Faddy skew-t, von Mises on the line
and Tukey's lambda distributions. Each is SciPy's own ``_logpdf``/``_cdf``/``_sf``/``_ppf``
(the same expm1, log1p, xlogy) so that values agree to rounding; derivatives in x and every
shape but those an incomplete beta or gamma integral carries (``refuse``).

>>> import chainrule as cr, chainrule.scipy.stats as cst
>>> float(cr.grad(lambda c: cst.genhalflogistic.entropy(c))(0.5))   # −2 log 2
-1.3862943611198906
"""

import numpy as np

from . import elementwise as E
from .special import gammaln
from .special_functions import (ndtr, ndtri, log_ndtr, xlogy, xlog1py, betaln, betainc, betaincinv,
                                gammainc, gammaincc, gammaincinv, gammainccinv)
from .special_inverses import betaincc
from .special_elementary import boxcox, boxcox1p, partials, _dbox_dlambda
from .stats_continuous import vonmises_parts, _log1p_over
from .special_inverses import exprel
from .stats_families import Continuous
from .stats_more import _neg, _any

__all__ = []

_INF = np.inf
_PI = float(np.pi)
_LN2 = float(np.log(2.0))
_LOG_PI = float(np.log(np.pi))
_LOG_2PI = float(np.log(2.0 * np.pi))
_HALF_LOG_2PI = 0.5 * _LOG_2PI
_SQRT_2PI = float(np.sqrt(2.0 * np.pi))
_POSITIVE = (0.0, _INF)


def _between(v, lo, hi, closed=True):
    above, below = (E.greater_equal, E.less_equal) if closed else (E.greater, E.less)
    return E.logical_and(above(v, lo), below(v, hi))


# ---- trapezoid: rising on [0, c], flat to d, falling to 1 ---------------------------------------
def _trapezoid_parts(z, c, d):
    low, high = E.less(z, c), E.greater(z, d)
    # (the discarded branches at a point where they are finite: c = 0 or d = 1 divide by 0)
    zl, cl = E.where(low, z, 0.5), E.where(low, c, 1.0)
    zh, dh = E.where(high, z, 0.5), E.where(high, d, 0.0)
    return low, high, zl, cl, zh, dh, d - c + 1.0


def _trapezoid_logpdf(z, c, d):
    low, high, zl, cl, zh, dh, w = _trapezoid_parts(z, c, d)
    u = 2.0 / w
    return E.log(E.where(low, u * zl / cl, E.where(high, u * (1.0 - zh) / (1.0 - dh), u)))


def _trapezoid_cdf(z, c, d):
    low, high, zl, cl, zh, dh, w = _trapezoid_parts(z, c, d)
    return E.where(low, zl * zl / cl / w,
                   E.where(high, 1.0 - (1.0 - zh) ** 2 / w / (1.0 - dh), (c + 2.0 * (z - c)) / w))


def _trapezoid_ppf(q, c, d):
    w = d - c + 1.0
    qc, qd = c / w, (2.0 * d - c) / w
    low, high = E.less(q, qc), E.greater(q, qd)
    ql, qh = E.where(low, q, 0.0), E.where(high, q, 1.0)
    return E.where(low, E.sqrt(ql * c * w),
                   E.where(high, 1.0 - E.sqrt((1.0 - qh) * w * (1.0 - d)), 0.5 * q * w + 0.5 * c))


Continuous("trapezoid", "c d", logpdf=_trapezoid_logpdf, cdf=_trapezoid_cdf, ppf=_trapezoid_ppf,
           support=(0.0, 1.0),
           valid=lambda c, d: E.logical_and(E.logical_and(_between(c, 0.0, 1.0),
                                                          _between(d, 0.0, 1.0)),
                                             E.greater_equal(d, c)),
           example=(0.4, 0.2, 0.7))


# ---- the truncated Pareto and Weibull distributions ----------------------------------------------
def _truncpareto_mass(b, c):
    return _neg(E.expm1(_neg(b) * E.log(c)))   # 1 − c^−b


def _at_one(z, b, end, formula):
    """SciPy's value at the lower end x = 1 for a nan b (which its check lets through):
    ``end``; elsewhere the formula (nan for a nan b)."""
    return E.where(E.logical_and(E.isnan(b), E.equal(z, 1.0)), end, formula)


Continuous("truncpareto", "b c",
           logpdf=lambda z, b, c: E.log(b / _truncpareto_mass(b, c)) - (b + 1.0) * E.log(z),
           cdf=lambda z, b, c: _at_one(z, b, 0.0, (1.0 - z ** _neg(b)) / _truncpareto_mass(b, c)),
           sf=lambda z, b, c: _at_one(z, b, 1.0, (z ** _neg(b) - c ** _neg(b))
                                      / _truncpareto_mass(b, c)),
           ppf=lambda q, b, c: (1.0 - _truncpareto_mass(b, c) * q) ** (-1.0 / b),
           isf=lambda q, b, c: (c ** _neg(b) + _truncpareto_mass(b, c) * q) ** (-1.0 / b),
           support=lambda b, c: (1.0, c),
           # (SciPy's check, which a nan b passes: nan inside the support, −inf outside)
           valid=lambda b, c: E.logical_and(E.not_equal(b, 0), E.greater(c, 1)),
           example=(1.5, 2.0, 3.0))


def _tw_tails(c, a, b):
    return E.exp(_neg(a ** c)), E.exp(_neg(b ** c))


def _tw_mass(c, a, b):
    ea, eb = _tw_tails(c, a, b)
    return ea - eb


Continuous("truncweibull_min", "c a b",
           logpdf=lambda z, c, a, b: (E.log(c) + xlogy(c - 1.0, z) - z ** c
                                      - E.log(_tw_mass(c, a, b))),
           cdf=lambda z, c, a, b: (_tw_tails(c, a, b)[0] - E.exp(_neg(z ** c))) / _tw_mass(c, a, b),
           sf=lambda z, c, a, b: (E.exp(_neg(z ** c)) - _tw_tails(c, a, b)[1]) / _tw_mass(c, a, b),
           logcdf=lambda z, c, a, b: (E.log(_tw_tails(c, a, b)[0] - E.exp(_neg(z ** c)))
                                      - E.log(_tw_mass(c, a, b))),
           logsf=lambda z, c, a, b: (E.log(E.exp(_neg(z ** c)) - _tw_tails(c, a, b)[1])
                                     - E.log(_tw_mass(c, a, b))),
           ppf=lambda q, c, a, b: _neg(E.log((1.0 - q) * _tw_tails(c, a, b)[0]
                                             + q * _tw_tails(c, a, b)[1])) ** (1.0 / c),
           isf=lambda q, c, a, b: _neg(E.log((1.0 - q) * _tw_tails(c, a, b)[1]
                                             + q * _tw_tails(c, a, b)[0])) ** (1.0 / c),
           support=lambda c, a, b: (a, b),
           valid=lambda c, a, b: E.logical_and(E.logical_and(E.greater_equal(a, 0),
                                                             E.greater(b, a)), E.greater(c, 0)),
           example=(1.0, 1.5, 0.5, 2.0))


# ---- circular: the wrapped Cauchy on [0, 2π], the cosine and von Mises on [−π, π] -------------
def _wrapcauchy_cdf(z, c):
    r = (1.0 + c) / (1.0 - c)
    low = E.less(z, _PI)
    zl, zh = E.where(low, z, 1.0), E.where(low, 4.0, z)
    return E.where(low, E.arctan(r * E.tan(0.5 * zl)) / _PI,
                   1.0 - E.arctan(r * E.tan(0.5 * (2.0 * _PI - zh))) / _PI)


def _wrapcauchy_ppf(q, c):
    v = (1.0 - c) / (1.0 + c)
    low = E.less(q, 0.5)
    ql, qh = E.where(low, q, 0.25), E.where(low, 0.75, q)
    return E.where(low, 2.0 * E.arctan(v * E.tan(_PI * ql)),
                   2.0 * _PI - 2.0 * E.arctan(v * E.tan(_PI * (1.0 - qh))))


Continuous("wrapcauchy", "c",
           logpdf=lambda z, c: E.log((1.0 - c * c) / (2.0 * _PI * (1.0 + c * c - 2.0 * c * E.cos(z)))),
           cdf=_wrapcauchy_cdf, ppf=_wrapcauchy_ppf, support=(0.0, 2.0 * _PI),
           valid=lambda c: _between(c, 0.0, 1.0, closed=False), example=(1.0, 0.5))

# y − sin y = Σ (−1)^(k+1) y^(2k+1)/(2k+1)!, k ≥ 1: the cosine cdf near −π without cancellation
_Y_SIN = [float((-1) ** (k + 1) / np.prod(np.arange(1.0, 2 * k + 2))) for k in range(1, 12)]


def _cosine_cdf(z):
    """(π + x + sin x)/2π; for x < −1.6 (SciPy's switch) as (y − sin y)/2π, y = x + π, by
    its series (SciPy's _cosine_cdf, which does the same)."""
    near = E.less(z, -1.6)
    y = E.where(near, z, -2.0) + _PI
    series = 0.0
    for coef in reversed(_Y_SIN):
        series = (series + coef) * (y * y)
    zf = E.where(near, 0.0, z)
    return E.where(near, series * y, _PI + zf + E.sin(zf)) / (2.0 * _PI)


def _scipy_cosine_invcdf(q):
    import scipy.special._ufuncs as scu
    with np.errstate(all="ignore"):
        return scu._cosine_invcdf(q)


# SciPy's inverse (a series and Newton's method); its derivative 1/f(x) = 2π/(1 + cos x)
_cosine_ppf = partials("cosine_ppf", _scipy_cosine_invcdf, ("q",),
                       (lambda ans, q: 2.0 * _PI / (1.0 + E.cos(ans)),), names=())
Continuous("cosine", logpdf=lambda z: E.log1p(E.cos(z)) - _LOG_2PI, cdf=_cosine_cdf,
           sf=lambda z: _cosine_cdf(_neg(z)), ppf=_cosine_ppf,
           isf=lambda q: _neg(_cosine_ppf(q)), support=(-_PI, _PI), example=(0.5,))

_vonmises_logpdf, _vonmises_cdf = vonmises_parts
Continuous("vonmises_line", "kappa", logpdf=_vonmises_logpdf,
           cdf=lambda z, k: _vonmises_cdf(k, z), support=(-_PI, _PI),
           valid=lambda k: E.greater_equal(k, 0), refuse=("kappa",), example=(0.5, 2.0))


# ---- the R distribution: a beta on (x + 1)/2 ------------------------------------------------------
def _beta_logpdf(z, a, b):
    return xlog1py(b - 1.0, _neg(z)) + xlogy(a - 1.0, z) - betaln(a, b)


Continuous("rdist", "c",
           logpdf=lambda z, c: -_LN2 + _beta_logpdf(0.5 * (z + 1.0), 0.5 * c, 0.5 * c),
           cdf=lambda z, c: betainc(0.5 * c, 0.5 * c, 0.5 * (z + 1.0)),
           sf=lambda z, c: betaincc(0.5 * c, 0.5 * c, 0.5 * (z + 1.0)),
           ppf=lambda q, c: 2.0 * betaincinv(0.5 * c, 0.5 * c, q) - 1.0,
           support=(-1.0, 1.0), refuse=("c",), example=(0.3, 3.0))


# ---- ARGUS: through Ψ(χ) = P(3/2, χ²/2)/2 ---------------------------------------------------------
def _argus_phi(chi):
    return 0.5 * gammainc(1.5, 0.5 * chi * chi)


def _argus_sf(z, chi):
    return _argus_phi(chi * E.sqrt((1.0 - z) * (1.0 + z))) / _argus_phi(chi)


Continuous("argus", "chi",
           logpdf=lambda z, chi: (3.0 * E.log(chi) - _HALF_LOG_2PI - E.log(_argus_phi(chi))
                                  + E.log(z) + 0.5 * E.log1p(_neg(z * z))
                                  - 0.5 * chi * chi * (1.0 - z * z)),
           cdf=lambda z, chi: 1.0 - _argus_sf(z, chi), sf=_argus_sf, support=(0.0, 1.0),
           example=(0.6, 1.5))


# ---- alpha: 1/X for X a normal truncated to (0, ∞) about a --------------------------------------
Continuous("alpha", "a",
           logpdf=lambda z, a: (-2.0 * E.log(z) - 0.5 * (a - E.reciprocal(z)) ** 2 - _HALF_LOG_2PI
                                - E.log(ndtr(a))),
           cdf=lambda z, a: ndtr(a - E.reciprocal(z)) / ndtr(a),
           ppf=lambda q, a: E.reciprocal(a - ndtri(q * ndtr(a))),
           support=_POSITIVE, open_support=True, example=(0.5, 1.5))


# ---- Crystal Ball: a normal core with a power-law left tail -------------------------------------
def _cb_parts(beta, m):
    eb2 = E.exp(-0.5 * beta * beta)
    c = (m / beta) * eb2 / (m - 1.0)
    return eb2, c, E.reciprocal(c + _SQRT_2PI * ndtr(beta))


def _cb_split(z, beta):
    core = E.greater(z, _neg(beta))
    return core, E.where(core, z, 0.0), E.where(core, _neg(beta) - 1.0, z)


def _crystalball_logpdf(z, beta, m):
    _, _, n = _cb_parts(beta, m)
    core, zc, zt = _cb_split(z, beta)
    tail = m * E.log(m / beta) - 0.5 * beta * beta - m * E.log(m / beta - beta - zt)
    return E.log(n) + E.where(core, -0.5 * zc * zc, tail)


def _crystalball_cdf(z, beta, m):
    eb2, c, n = _cb_parts(beta, m)
    core, zc, zt = _cb_split(z, beta)
    tail = (m / beta) ** m * eb2 * (m / beta - beta - zt) ** (1.0 - m) / (m - 1.0)
    return n * E.where(core, c + _SQRT_2PI * (ndtr(zc) - ndtr(_neg(beta))), tail)


def _crystalball_sf(z, beta, m):
    _, _, n = _cb_parts(beta, m)
    core, zc, _ = _cb_split(z, beta)
    return E.where(core, _SQRT_2PI * ndtr(_neg(zc)) * n, 1.0 - _crystalball_cdf(z, beta, m))


def _crystalball_ppf(q, beta, m):
    eb2, c, n = _cb_parts(beta, m)
    tail = E.less(q, n * c)
    qt, qc = E.where(tail, q, 0.5 * n * c), E.where(tail, 1.0, q)
    left = m / beta - beta - ((m - 1.0) * (m / beta) ** _neg(m) / eb2 * qt / n) ** (1.0 / (1.0 - m))
    right = ndtri(ndtr(_neg(beta)) + (qc / n - c) / _SQRT_2PI)
    return E.where(tail, left, right)


Continuous("crystalball", "beta m", logpdf=_crystalball_logpdf, cdf=_crystalball_cdf,
           sf=_crystalball_sf, ppf=_crystalball_ppf,
           valid=lambda beta, m: E.logical_and(E.greater(m, 1), E.greater(beta, 0)),
           example=(-1.5, 2.0, 5.0))


# ---- the generalized exponential and half-logistic distributions --------------------------------
def _genexpon_exponent(z, a, b, c):
    return _neg(a + b) * z + b * _neg(E.expm1(_neg(c) * z)) / c


def _scipy_lambertw_real(v):
    import scipy.special
    with np.errstate(all="ignore"):
        return scipy.special.lambertw(v).real


# the principal branch on [−1/e, 0): W' = e^(−W)/(1 + W)
_lambertw_real = partials("genexpon_lambertw", _scipy_lambertw_real, ("z",),
                          (lambda ans, v: E.exp(_neg(ans)) / (1.0 + ans),), names=())


def _genexpon_quantile(log_tail, a, b, c):
    s = a + b
    t = (b - c * log_tail) / s
    return (t + _lambertw_real(_neg(b) / s * E.exp(_neg(t)))) / c


Continuous("genexpon", "a b c",
           logpdf=lambda z, a, b, c: (E.log(a + b * _neg(E.expm1(_neg(c) * z)))
                                      + _genexpon_exponent(z, a, b, c)),
           cdf=lambda z, a, b, c: _neg(E.expm1(_genexpon_exponent(z, a, b, c))),
           sf=lambda z, a, b, c: E.exp(_genexpon_exponent(z, a, b, c)),
           ppf=lambda q, a, b, c: _genexpon_quantile(E.log1p(_neg(q)), a, b, c),
           isf=lambda q, a, b, c: _genexpon_quantile(E.log(q), a, b, c),
           support=_POSITIVE, example=(0.8, 1.5, 2.0, 1.2))


def _ghl_power(z, c):
    return (1.0 - c * z) ** (1.0 / c)


Continuous("genhalflogistic", "c",
           logpdf=lambda z, c: (_LN2 + xlogy(1.0 / c - 1.0, 1.0 - c * z)
                                - 2.0 * E.log1p(_ghl_power(z, c))),
           cdf=lambda z, c: (1.0 - _ghl_power(z, c)) / (1.0 + _ghl_power(z, c)),
           ppf=lambda q, c: (1.0 - ((1.0 - q) / (1.0 + q)) ** c) / c,
           support=lambda c: (0.0, 1.0 / c), example=(0.6, 0.5))


# ---- the half generalized normal: a gamma of x^β -------------------------------------------------
Continuous("halfgennorm", "beta",
           logpdf=lambda z, beta: E.log(beta) - gammaln(1.0 / beta) - z ** beta,
           cdf=lambda z, beta: gammainc(1.0 / beta, z ** beta),
           sf=lambda z, beta: gammaincc(1.0 / beta, z ** beta),
           ppf=lambda q, beta: gammaincinv(1.0 / beta, q) ** (1.0 / beta),
           isf=lambda q, beta: gammainccinv(1.0 / beta, q) ** (1.0 / beta),
           support=_POSITIVE, refuse=("beta",), example=(0.8, 1.5))


# ---- Mielke's beta-kappa, Mielke's kappa-3, the skew Cauchy -------------------------------------
Continuous("mielke", "k s",
           logpdf=lambda z, k, s: E.log(k) + E.log(z) * (k - 1.0) - E.log1p(z ** s) * (1.0 + k / s),
           cdf=lambda z, k, s: z ** k / (1.0 + z ** s) ** (k / s),
           ppf=lambda q, k, s: (lambda qsk: (qsk / (1.0 - qsk)) ** (1.0 / s))(q ** (s / k)),
           support=_POSITIVE, example=(0.8, 1.5, 2.5))


def _kappa3_sf(z, a):
    # SciPy's: 1 − cdf, and in the upper tail (below 0.01) −expm1(log1p(a·x^−a)·(−1/a))
    plain = 1.0 - z * (a + z ** a) ** (-1.0 / a)
    tail = _neg(E.expm1(xlog1py(-1.0 / a, a * z ** _neg(a))))
    use = E.logical_and(E.less(plain, 0.01), E.less_equal(tail, 0.01))
    return E.where(use, tail, plain)


Continuous("kappa3", "a",
           logpdf=lambda z, a: E.log(a) + (-1.0 / a - 1.0) * E.log(a + z ** a),
           cdf=lambda z, a: z * (a + z ** a) ** (-1.0 / a), sf=_kappa3_sf,
           ppf=lambda q, a: (a / (q ** _neg(a) - 1.0)) ** (1.0 / a),
           isf=lambda q, a: (a / E.expm1(xlog1py(_neg(a), _neg(q)))) ** (1.0 / a),
           support=_POSITIVE, example=(0.8, 1.5))


def _skewcauchy_side(z, a):
    return E.where(E.less_equal(z, 0), 1.0 - a, 1.0 + a)


def _skewcauchy_ppf(q, a):
    low = E.less(q, 0.5 * (1.0 - a))
    w = E.where(low, 1.0 - a, 1.0 + a)
    return E.tan(_PI / w * (q - 0.5 * (1.0 - a))) * w


Continuous("skewcauchy", "a",
           logpdf=lambda z, a: (_neg(_LOG_PI)
                                - E.log1p((z / (a * E.sign(z) + 1.0)) ** 2)),
           cdf=lambda z, a: (0.5 * (1.0 - a) + _skewcauchy_side(z, a) / _PI
                             * E.arctan(z / _skewcauchy_side(z, a))),
           ppf=_skewcauchy_ppf, valid=lambda a: E.less(E.absolute(a), 1), example=(0.5, 0.3))


# ---- the relativistic Breit–Wigner --------------------------------------------------------------
def _rbw_root(rho):
    return E.sqrt(1.0 + E.reciprocal(rho * rho))


def _rbw_logpdf(z, rho):
    r = _rbw_root(rho)
    log_c = 0.5 * E.log(2.0 * (r * r) / (1.0 + r)) + float(np.log(2.0 / np.pi))
    return log_c - E.log1p(((z - rho) * (z + rho) / rho) ** 2)


def _rbw_cdf(z, rho):
    """SciPy's 2C·Im(√(−1 + i/ρ)·arctan(x/√(−ρ(ρ + i)))) in real arithmetic: the density is
    Cρ²/(x⁴ + px² + q) with p = −2ρ², q = ρ⁴ + ρ², whose quartic is (x² + αx + β)(x² − αx + β)
    with β = √q, α = √(2β − p); its integral from 0 is a log and two arctans (γ = √(4β − α²))."""
    r = _rbw_root(rho)
    c = E.sqrt(2.0 * (r * r) / (1.0 + r)) * (2.0 / _PI)
    rho2 = rho * rho
    b = E.sqrt(rho2 * rho2 + rho2)
    a = E.sqrt(2.0 * b + 2.0 * rho2)
    g = E.sqrt(4.0 * b - a * a)
    f = (0.5 * E.log1p(2.0 * a * z / (z * z - a * z + b))
         + a / g * (E.arctan((2.0 * z + a) / g) + E.arctan((2.0 * z - a) / g))) / (2.0 * a * b)
    return E.minimum(c * rho2 * f, 1.0)


Continuous("rel_breitwigner", "rho", logpdf=_rbw_logpdf, cdf=_rbw_cdf, support=_POSITIVE,
           example=(1.2, 1.5))


# ---- the Jones–Faddy skew-t: a beta on (1 + x/√(a + b + x²))/2 ----------------------------------
def _jf_u(z, a, b):
    return z / E.sqrt(a + b + z * z)


def _jf_logpdf(z, a, b):
    u = _jf_u(z, a, b)
    log_c = (a + b - 1.0) * _LN2 + betaln(a, b) + 0.5 * E.log(a + b)
    return (a + 0.5) * E.log1p(u) + (b + 0.5) * E.log1p(_neg(u)) - log_c


def _jf_ppf(q, a, b):
    d = betaincinv(a, b, q)
    return (2.0 * d - 1.0) * E.sqrt(a + b) / (2.0 * E.sqrt(d * (1.0 - d)))


Continuous("jf_skew_t", "a b", logpdf=_jf_logpdf,
           cdf=lambda z, a, b: betainc(a, b, 0.5 * (1.0 + _jf_u(z, a, b))),
           sf=lambda z, a, b: betaincc(a, b, 0.5 * (1.0 + _jf_u(z, a, b))),
           ppf=_jf_ppf, refuse=("a", "b"), example=(0.5, 2.0, 3.0))


# ---- Tukey's lambda: its quantile is the closed form, the cdf its inverse -----------------------
def _tukey_density(f, lam):
    """1/Q'(F) = 1/(F^(λ−1) + (1 − F)^(λ−1)) at the probability F."""
    return E.reciprocal(E.exp((lam - 1.0) * E.log(f)) + E.exp((lam - 1.0) * E.log1p(_neg(f))))


def _tukey_dlam(ans, z, lam):
    """∂F/∂λ at fixed x: −∂Q/∂λ(F)·f, Q(F) = boxcox(F, λ) − boxcox1p(−F, λ) (the quantile)."""
    dq = _dbox_dlambda(E.log(ans), lam) - _dbox_dlambda(E.log1p(_neg(ans)), lam)
    return _neg(dq) * _tukey_density(ans, lam)


def _scipy_tklmbda(z, lam):
    import scipy.special
    with np.errstate(all="ignore"):
        return scipy.special.tklmbda(z, lam)


# SciPy's tklmbda (a root-finding), differentiable in x and λ by the implicit function theorem
_tukey_cdf = partials("tukeylambda_cdf", _scipy_tklmbda, ("x", "lam"),
                      (lambda ans, z, lam: _tukey_density(ans, lam), _tukey_dlam), names=())


def _tukey_support(lam):
    pos = E.greater(lam, 0)
    b = E.where(pos, E.reciprocal(E.where(pos, lam, 1.0)), _INF)
    return _neg(b), b


Continuous("tukeylambda", "lam",
           logpdf=lambda z, lam: E.log(_tukey_density(_tukey_cdf(z, lam), lam)),
           cdf=_tukey_cdf, ppf=lambda q, lam: boxcox(q, lam) - boxcox1p(_neg(q), lam),
           support=_tukey_support, open_support=True, valid=lambda lam: E.isfinite(lam),
           example=(0.5, 0.3))


# ---- Pearson type III: a gamma of 2x/skew + 4/skew², the normal at |skew| < 1.6e−5 ----------------
_NORMAL_SKEW = 0.000016   # SciPy's norm2pearson_transition


def _pearson3_parts(z, skew):
    normal = E.less(E.absolute(skew), _NORMAL_SKEW)
    sk = E.where(normal, 1.0, skew)
    beta = 2.0 / sk
    alpha = beta * beta
    t = beta * (z + alpha / beta)
    return normal, sk, beta, alpha, t


def _pearson3_logpdf(z, skew):
    normal, sk, beta, alpha, t = _pearson3_parts(z, skew)
    # (the density is 0 beyond the gamma's end and at ±inf, as SciPy's)
    inside = E.logical_and(E.greater_equal(t, 0), E.isfinite(t))
    ts = E.where(inside, t, 1.0)
    gamma_part = E.where(inside, E.log(E.absolute(beta)) + xlogy(alpha - 1.0, ts) - ts
                         - gammaln(alpha), -_INF)
    zn = E.where(normal, z, 0.0)
    return E.where(normal, -0.5 * zn * zn - _HALF_LOG_2PI, gamma_part)


def _pearson3_tail(z, skew, upper):
    normal, sk, beta, alpha, t = _pearson3_parts(z, skew)
    ts = E.maximum(t, 0.0)   # (below the gamma's end: its cdf 0, survival 1)
    lower_tail = gammaincc(alpha, ts) if upper else gammainc(alpha, ts)
    upper_tail = gammainc(alpha, ts) if upper else gammaincc(alpha, ts)
    zn = E.where(normal, z, 0.0)
    return E.where(normal, ndtr(_neg(zn) if upper else zn),
                   E.where(E.greater(sk, 0), lower_tail, upper_tail))


def _pearson3_ppf(q, skew):
    normal, sk, beta, alpha, _ = _pearson3_parts(q, skew)
    qg = E.where(E.less(beta, 0), 1.0 - q, q)
    return E.where(normal, ndtri(q), gammaincinv(alpha, qg) / beta - alpha / beta)


Continuous("pearson3", "skew", logpdf=_pearson3_logpdf,
           cdf=lambda z, skew: _pearson3_tail(z, skew, False),
           sf=lambda z, skew: _pearson3_tail(z, skew, True), ppf=_pearson3_ppf,
           valid=lambda skew: E.isfinite(skew), refuse=("skew",), example=(0.5, 0.8))


# ---- the double Pareto-lognormal: a normal's log-density with two Mills ratios --------------------
def _norm_logpdf(z):
    return -0.5 * z * z - _HALF_LOG_2PI


def _log_mills(z):
    """log R(z) = log(Φc(z)/φ(z))."""
    return log_ndtr(_neg(z)) - _norm_logpdf(z)


def _dpl_parts(z, u, s, a, b):
    w = (E.log(z) - u) / s
    return w, a * s - w, b * s + w


def _dpl_logpdf(z, u, s, a, b):
    w, x1, x2 = _dpl_parts(z, u, s, a, b)
    return (E.log(a) + E.log(b) - E.log(a + b) - E.log(z) + _norm_logpdf(w)
            + E.logaddexp(_log_mills(x1), _log_mills(x2)))


def _dpl_logcdf(z, u, s, a, b):
    """log(Φ(w) − φ(w)(b·R(x₁) − a·R(x₂))/(a + b)), as SciPy's signed log-sum-exp."""
    w, x1, x2 = _dpl_parts(z, u, s, a, b)
    t3, t4 = E.log(b) + _log_mills(x1), E.log(a) + _log_mills(x2)
    big, small = E.maximum(t3, t4), E.minimum(t3, t4)
    sign = E.where(E.greater_equal(t3, t4), 1.0, -1.0)
    t5 = big + E.log1p(_neg(E.exp(small - big)))   # log|e^t3 − e^t4|
    t1 = log_ndtr(w)
    d = _norm_logpdf(w) + t5 - E.log(a + b)
    return t1 + E.log1p(_neg(sign) * E.exp(d - t1))


def _log1mexp(x):
    near = E.greater(x, -_LN2)
    return E.where(near, E.log(_neg(E.expm1(E.where(near, x, -1.0)))),
                   E.log1p(_neg(E.exp(E.where(near, -1.0, x)))))


Continuous("dpareto_lognorm", "u s a b", logpdf=_dpl_logpdf,
           cdf=lambda *args: E.exp(_dpl_logcdf(*args)), logcdf=_dpl_logcdf,
           sf=lambda *args: E.exp(_log1mexp(_dpl_logcdf(*args))),
           logsf=lambda *args: _log1mexp(_dpl_logcdf(*args)), support=_POSITIVE,
           open_support=True,
           valid=lambda u, s, a, b: E.logical_and(E.logical_and(E.greater(s, 0), E.greater(a, 0)),
                                                  E.greater(b, 0)),
           example=(1.5, 0.2, 0.8, 2.5, 1.5))


# ---- Hosking's kappa-4: one formula through h = 0 and k = 0 ----------------------------------------
def _kappa4_u(z, k):
    """(1 − kx)^(1/k), e^(−x) at k = 0."""
    return E.exp(_log1p_over(k, _neg(z)))


def _kappa4_logcdf(z, h, k):
    # (1/h)·log1p(−h·u), −u at h = 0: SciPy's four branches, with the derivatives in h and k
    # continued through 0 (log1p(c·x)/c by its series near c·x = 0)
    return _log1p_over(h, _neg(_kappa4_u(z, k)))


def _kappa4_power(c, v):
    """(1/c − 1)·log1p(−c·v) = log1p(−cv)/c − log1p(−cv), −v at c = 0; at the support's end
    (cv = 1) SciPy's xlog1py, ±inf."""
    lg = E.log1p(_neg(c * v))
    end = E.isinf(lg)
    cs, vs = E.where(end, c, 0.5), E.where(end, v, 0.0)
    return E.where(end, xlog1py(1.0 / cs - 1.0, _neg(cs * vs)),
                   _log1p_over(c, _neg(E.where(end, 0.0, v))) - E.where(end, 0.0, lg))


def _kappa4_logpdf(z, h, k):
    return _kappa4_power(k, z) + _kappa4_power(h, _kappa4_u(z, k))


def _kappa4_ppf(q, h, k):
    lq = E.log(q)
    w = _neg(lq) * exprel(h * lq)           # (1 − q^h)/h, −log q at h = 0
    lw = E.log(w)
    return _neg(lw) * exprel(k * lw)        # (1 − w^k)/k, −log w at k = 0


def _kappa4_support(h, k):
    hpos, kpos, kneg = E.greater(h, 0), E.greater(k, 0), E.less(k, 0)
    lh = E.log(E.where(hpos, h, 1.0))
    lo = E.where(hpos, lh * exprel(_neg(k) * lh),     # (1 − h^−k)/k, log h at k = 0
                 E.where(kneg, E.reciprocal(E.where(kneg, k, -1.0)), -_INF))
    hi = E.where(kpos, E.reciprocal(E.where(kpos, k, 1.0)), _INF)
    nan = E.logical_or(E.isnan(h), E.isnan(k))
    return E.where(nan, np.nan, lo), E.where(nan, np.nan, hi)


Continuous("kappa4", "h k", logpdf=_kappa4_logpdf,
           cdf=lambda z, h, k: E.exp(_kappa4_logcdf(z, h, k)), logcdf=_kappa4_logcdf,
           ppf=_kappa4_ppf, support=_kappa4_support,
           # (SciPy's check passes a nan h or k too, and answers from a nan support: a
           # log-density −inf and both cdf and sf 0; here nan)
           valid=lambda h, k: E.logical_not(E.logical_or(E.isnan(h), E.isnan(k))),
           example=(0.3, 0.5, 0.3))
