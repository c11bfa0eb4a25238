"""Closed forms of the ``scipy.stats`` distributions' moments and entropies, in their standard
form (loc 0, scale 1), written with ``chainrule.numpy`` and ``chainrule.scipy.special`` after
SciPy's own ``_stats``, ``_munp`` and ``_entropy``, so that the values agree with SciPy's and
every derivative follows from the formula.

``STANDARD[name]`` holds, as functions of the shape parameters:

- ``mvsk``: mean, variance, skewness and excess kurtosis (SciPy's ``_stats``); or
- ``munp``: the raw moment E[Zⁿ] as ``munp(n, *shapes)`` (SciPy's ``_munp``), from which the
  four are derived when ``mvsk`` is absent;
- ``entropy``: the differential (or, for a discrete distribution, Shannon) entropy.

A missing entry has no closed form: :mod:`chainrule.scipy.stats_methods` then says so.

>>> import chainrule as cr
>>> float(cr.grad(lambda a: STANDARD["gamma"]["entropy"](a))(1.0))   # (1 − a)ψ'(a) + 1 at 1
1.0
"""

import numpy as np

from .. import numpy as cnp
from ..primitives.stats_numeric import harmonic
from . import special as csp

__all__ = ["STANDARD", "raw_to_mvsk"]

_EULER = float(np.euler_gamma)
_ZETA3 = 1.2020569031595942
_PI = float(np.pi)
_INF, _NAN = np.inf, np.nan
_LN2 = float(np.log(2.0))
_NORM_H = 0.5 * (float(np.log(2 * np.pi)) + 1.0)


def _at(cond, x, safe):
    """x where cond holds, else a safe point: the branch ``where`` discards then has finite
    derivatives (their product with where's zero would otherwise be nan)."""
    return cnp.where(cond, x, safe)


def raw_to_mvsk(m1, m2, m3, m4):
    """Mean, variance, skewness, excess kurtosis from the raw moments E[Z], …, E[Z⁴] (SciPy's
    generic ``_stats`` for a distribution with only ``_munp``)."""
    mu2 = m2 - m1 * m1
    mu3 = m3 - 3.0 * m1 * m2 + 2.0 * m1 ** 3
    mu4 = m4 - 4.0 * m1 * m3 + 6.0 * m1 * m1 * m2 - 3.0 * m1 ** 4
    return m1, mu2, mu3 / mu2 ** 1.5, mu4 / mu2 ** 2 - 3.0


def _const(*values):
    return lambda: values


# ---- continuous ------------------------------------------------------------------------------
def _t_mvsk(df):
    inf_df = cnp.isposinf(df)
    mean = cnp.where(df > 1, 0.0, _INF)
    dv = _at(df > 2, df, 3.0)
    var = cnp.where(inf_df, 1.0, cnp.where(df > 2, dv / (dv - 2.0),
                                           cnp.where(df > 1, _INF, _NAN)))
    skew = cnp.where(df > 3, 0.0, _NAN)
    dk = _at(df > 4, df, 5.0)
    kurt = cnp.where(df > 4, 6.0 / (dk - 4.0), cnp.where(df > 2, _INF, _NAN))
    return mean, var, skew, kurt


def _t_entropy(df):
    big = df >= 100
    ds = _at(big, 100.0, df)
    half, half1 = 0.5 * ds, 0.5 * (ds + 1.0)
    regular = (half1 * (csp.digamma(half1) - csp.digamma(half))
               + 0.5 * cnp.log(ds) + csp.betaln(half, 0.5))
    d = _at(big, df, 100.0)
    asym = (_NORM_H + 1 / d + d ** -2. / 4 - d ** -3. / 6 - d ** -4. / 8 + 0.3 * d ** -5.
            + d ** -6. / 4)
    return cnp.where(big, asym, regular)


def _gamma_entropy(a):
    big = a >= 250
    s = _at(big, 1.0, a)
    regular = csp.digamma(s) * (1.0 - s) + s + csp.gammaln(s)
    b = _at(big, a, 250.0)
    asym = (0.5 * (1. + np.log(2 * np.pi) + cnp.log(b)) - 1 / (3 * b) - b ** -2. / 12
            - b ** -3. / 90 + b ** -4. / 120)
    return cnp.where(big, asym, regular)


def _beta_mvsk(a, b):
    s = a + b
    kn = 6.0 * ((a - b) ** 2 * (s + 1.0) - a * b * (s + 2.0))
    return (a / s, a * b / (s * s * (s + 1.0)),
            2.0 * (b - a) * cnp.sqrt(s + 1.0) / ((s + 2.0) * cnp.sqrt(a * b)),
            kn / (a * b * (s + 2.0) * (s + 3.0)))


def _lognorm_mvsk(s):
    p = cnp.exp(s * s)
    return cnp.sqrt(p), p * (p - 1.0), cnp.sqrt(p - 1.0) * (2.0 + p), \
        (((p + 2.0) * p + 3.0) * p) * p - 6.0


def _genextreme_mvsk(c):
    g1, g2, g3, g4 = (csp.gamma(n * c + 1.0) for n in (1.0, 2.0, 3.0, 4.0))
    tiny = cnp.abs(c) < 1e-7
    cs = _at(tiny, 1.0, c)
    g2mg12 = cnp.where(tiny, (c * _PI) ** 2 / 6.0, g2 - g1 * g1)
    gam2k = cnp.where(tiny, _PI ** 2 / 6.0,
                      cnp.expm1(csp.gammaln(2 * cs + 1) - 2 * csp.gammaln(cs + 1)) / cs ** 2)
    # −γ + c(γ²/2 + π²/12) near 0: the limit and its slope (SciPy's constant has slope 0)
    small = cnp.abs(c) < 1e-14
    ce = _at(small, 1.0, c)
    gamk = cnp.where(small, -_EULER + c * (0.5 * _EULER ** 2 + _PI ** 2 / 12),
                     cnp.expm1(csp.gammaln(ce + 1)) / ce)
    mean = cnp.where(c < -1.0, _NAN, -gamk)
    var = cnp.where(c < -0.5, _NAN, g1 * g1 * gam2k)
    sk_on = cnp.abs(c) > 1e-14 ** 0.29
    d = _at(sk_on, g2mg12, 1.0)
    sk = cnp.where(sk_on, cnp.where(c >= -1. / 3, cnp.sign(c) * (-g3 + (g2 + 2 * d) * g1)
                                    / d ** 1.5, _NAN), 12 * np.sqrt(6) * _ZETA3 / _PI ** 3)
    ku_on = cnp.abs(c) > 1e-14 ** 0.23
    d = _at(ku_on, g2mg12, 1.0)
    ku = cnp.where(ku_on, cnp.where(c >= -0.25, (g4 + (-4 * g3 + 3 * (g2 + d) * g1) * g1)
                                    / d ** 2 - 3, _NAN), 12.0 / 5.0)
    return mean, var, sk, ku


def _genpareto_mvsk(c):
    m = cnp.where(c < 1, 1.0 / (1.0 - _at(c < 1, c, 0.0)), _INF)
    cv = _at(c < 0.5, c, 0.0)
    v = cnp.where(c < 0.5, 1.0 / (1.0 - cv) ** 2 / (1.0 - 2.0 * cv), _NAN)
    cs = _at(c < 1 / 3, c, 0.0)
    s = cnp.where(c < 1 / 3, 2 * (1 + cs) * cnp.sqrt(1 - 2 * cs) / (1 - 3 * cs), _NAN)
    ck = _at(c < 0.25, c, 0.0)
    k = cnp.where(c < 0.25, 3 * (1 - 2 * ck) * (2 * ck ** 2 + ck + 3) / (1 - 3 * ck)
                  / (1 - 4 * ck) - 3, _NAN)
    return m, v, s, k


def _pareto_mvsk(b):
    b1, b2, b3, b4 = (_at(b > k, b, k + 1.0) for k in (1.0, 2.0, 3.0, 4.0))
    return (cnp.where(b > 1, b1 / (b1 - 1.0), _INF),
            cnp.where(b > 2, b2 / (b2 - 2.0) / (b2 - 1.0) ** 2, _INF),
            cnp.where(b > 3, 2 * (b3 + 1.0) * cnp.sqrt(b3 - 2.0) / ((b3 - 3.0) * cnp.sqrt(b3)),
                      _NAN),
            cnp.where(b > 4, 6.0 * (((b4 + 1.0) * b4 - 6.0) * b4 - 2.0)
                      / (((b4 - 7.0) * b4 + 12.0) * b4), _NAN))


def _pareto_munp(n, b):
    ok = b > n
    return cnp.where(ok, b / (_at(ok, b, n + 1.0) - n), _INF)


def _genpareto_munp(n, c):
    """(−1/c)ⁿ Σₖ C(n, k)(−1)ᵏ/(1 − ck) for cn < 1 (inf beyond), n! at c = 0."""
    ok = c * n < 1
    small = cnp.abs(c) < 1e-8
    cs = _at(cnp.logical_and(ok, ~small), c, -1.0)
    total = 0.0
    for k in range(n + 1):
        total = total + _comb(n, k) * (-1.0) ** k / (1.0 - cs * k)
    general = total * (-1.0 / cs) ** n
    return cnp.where(ok, cnp.where(small, _factorial(n) + 0.0 * c, general), _INF)


def _comb(n, k):
    return _factorial(n) / (_factorial(k) * _factorial(n - k))


def _lomax_mvsk(c):
    m, v, s, k = _pareto_mvsk(c)
    return m - 1.0, v, s, k


def _powerlaw_mvsk(a):
    return (a / (a + 1.0), a / (a + 2.0) / (a + 1.0) ** 2,
            -2.0 * ((a - 1.0) / (a + 3.0)) * cnp.sqrt((a + 2.0) / a),
            6 * (((a - 1.0) * a - 6.0) * a + 2.0) / (a * (a + 3.0) * (a + 4)))


def _loguniform_munp(n, a, b):
    lb, la = cnp.log(b), cnp.log(a)
    return (cnp.exp(n * lb) - cnp.exp(n * la)) / ((lb - la) * n)


def _truncexpon_munp(n, b):
    # E[Zⁿ] = n!·P(n + 1, b)/(1 − e^(−b)), P(n + 1, b) = 1 − e^(−b) Σₖ≤ₙ bᵏ/k!
    return _factorial(n) * (1.0 - cnp.exp(-b) * _exp_partial(b, n)) / (-cnp.expm1(-b))


def _factorial(n):
    return float(np.prod(np.arange(1, n + 1)))


def _exp_partial(b, n):
    out, term = 1.0, 1.0
    for k in range(1, n + 1):
        term = term * b / k
        out = out + term
    return out


def _truncexpon_entropy(b):
    eb = cnp.exp(b)
    return cnp.log(eb - 1.0) + (1.0 + eb * (b - 1.0)) / (1.0 - eb)


def _triang_mvsk(c):
    q = 1.0 - c + c * c
    return ((c + 1.0) / 3.0, q / 18, np.sqrt(2) * (2 * c - 1) * (c + 1) * (c - 2) / (5 * q ** 1.5),
            -0.6 + 0.0 * c)


def _truncnorm_ends(a, b):
    """SciPy's pdf at the ends a and b (0 at an infinite end) and the ends with an infinite
    one replaced by 0 (SciPy's 'inf·0 is 0' there)."""
    mass = csp.ndtr(b) - csp.ndtr(a)   # (the logs of SciPy's are not needed for moments)
    pa = cnp.where(cnp.isfinite(a), cnp.exp(-0.5 * _at(cnp.isfinite(a), a, 0.0) ** 2), 0.0)
    pb = cnp.where(cnp.isfinite(b), cnp.exp(-0.5 * _at(cnp.isfinite(b), b, 0.0) ** 2), 0.0)
    norm = 1.0 / (np.sqrt(2 * np.pi) * mass)
    return pa * norm, pb * norm, _at(cnp.isfinite(a), a, 0.0), _at(cnp.isfinite(b), b, 0.0)


def _truncnorm_munp(n, a, b):
    pa, pb, fa, fb = _truncnorm_ends(a, b)
    moments = [1.0, pa - pb]
    if n == 0:
        return 1.0 + 0.0 * a
    for k in range(2, n + 1):
        moments.append(pa * fa ** (k - 1) - pb * fb ** (k - 1) + (k - 1) * moments[-2])
    return moments[n]


def _truncnorm_mvsk(a, b):
    pa, pb, fa, fb = _truncnorm_ends(a, b)
    m1 = pa - pb
    m2 = 1.0 + pa * fa - pb * fb
    mu2 = 1.0 + pa * (fa - m1) - pb * (fb - m1)
    m3 = 2.0 * m1 + pa * fa ** 2 - pb * fb ** 2
    m4 = 3.0 * m2 + pa * fa ** 3 - pb * fb ** 3
    mu3 = m3 + m1 * (-3.0 * m2 + 2.0 * m1 ** 2)
    mu4 = m4 + m1 * (-4.0 * m3 + 3.0 * m1 * (2.0 * m2 - m1 ** 2))
    return m1, mu2, mu3 / mu2 ** 1.5, mu4 / mu2 ** 2 - 3.0


def _truncnorm_entropy(a, b):
    pa, pb, fa, fb = _truncnorm_ends(a, b)
    z = csp.ndtr(b) - csp.ndtr(a)
    return cnp.log(np.sqrt(2 * np.pi * np.e) * z) + 0.5 * (fa * pa - fb * pb)


def _skewnorm_mvsk(a):
    c = np.sqrt(2 / np.pi) * a / cnp.sqrt(1 + a * a)
    return (c, 1 - c * c, ((4 - _PI) / 2) * (c / cnp.sqrt(1 - c * c)) ** 3,
            (2 * (_PI - 3)) * (c ** 4 / (1 - c * c) ** 2))


def _exponnorm_mvsk(k):
    k2 = k * k
    o = 1.0 + k2
    return k, o, 2 * k ** 3 * o ** -1.5, 6.0 * k2 * k2 * o ** -2


def _invgauss_entropy(mu):
    r = 2.0 / mu
    return 0.5 * (1. + np.log(2 * np.pi) + 3 * cnp.log(mu)) - 1.5 * cnp.exp(r) * csp.exp1(r)


def _invgamma_mvsk(a):
    a1, a2, a3, a4 = (_at(a > k, a, k + 1.0) for k in (1.0, 2.0, 3.0, 4.0))
    return (cnp.where(a > 1, 1. / (a1 - 1.), _INF),
            cnp.where(a > 2, 1. / (a2 - 1.) ** 2 / (a2 - 2.), _INF),
            cnp.where(a > 3, 4. * cnp.sqrt(a3 - 2.) / (a3 - 3.), _NAN),
            cnp.where(a > 4, 6. * (5. * a4 - 11.) / (a4 - 3.) / (a4 - 4.), _NAN))


def _invgamma_entropy(a):
    big = a >= 200
    s = _at(big, 1.0, a)
    regular = s - (s + 1.0) * csp.digamma(s) + csp.gammaln(s)
    b = _at(big, a, 200.0)
    asym = ((1 - 3 * cnp.log(b) + np.log(2) + np.log(np.pi)) / 2 + 2 / 3 * b ** -1.
            + b ** -2. / 12 - b ** -3. / 90 - b ** -4. / 120)
    return cnp.where(big, asym, regular)


def _chi_mvsk(df):
    mu = np.sqrt(2) * cnp.exp(csp.gammaln(0.5 * (df + 1.0)) - csp.gammaln(0.5 * df))
    mu2 = df - mu * mu
    g1 = (2 * mu ** 3.0 + mu * (1 - 2 * df)) / mu2 ** 1.5
    g2 = (2 * df * (1.0 - df) - 6 * mu ** 4 + 4 * mu ** 2 * (2 * df - 1)) / mu2 ** 2
    return mu, mu2, g1, g2


def _chi_entropy(df):
    big = df >= 300
    s = _at(big, 1.0, df)
    regular = csp.gammaln(.5 * s) + 0.5 * (s - np.log(2) - (s - 1) * csp.digamma(0.5 * s))
    d = _at(big, df, 300.0)
    asym = 0.5 + np.log(np.pi) / 2 - d ** -1 / 6 - d ** -2 / 6 - 4 / 45 * d ** -3 + d ** -4 / 15
    return cnp.where(big, asym, regular)


def _nakagami_mvsk(nu):
    mu = cnp.exp(csp.gammaln(nu + 0.5) - csp.gammaln(nu)) / cnp.sqrt(nu)
    mu2 = 1.0 - mu * mu
    g1 = mu * (1 - 4 * nu * mu2) / 2.0 / nu / mu2 ** 1.5
    g2 = (-6 * mu ** 4 * nu + (8 * nu - 2) * mu ** 2 - 2 * nu + 1) / (nu * mu2 ** 2)
    return mu, mu2, g1, g2


def _nakagami_entropy(nu):
    big = nu > 5e4
    s = _at(big, 1.0, nu)
    c = -0.5 * cnp.log(nu) - np.log(2)
    regular = csp.gammaln(s) + s - (s - 0.5) * csp.digamma(s)
    return c + cnp.where(big, _NORM_H - 1 / (12 * _at(big, nu, 5e4)), regular)


def _gennorm_mvsk(beta):
    c1, c3, c5 = (csp.gammaln(k / beta) for k in (1.0, 3.0, 5.0))
    return 0.0 * beta, cnp.exp(c3 - c1), 0.0 * beta, cnp.exp(c5 + c1 - 2.0 * c3) - 3.


def _gennorm_munp(n, beta):
    if n % 2:
        return 0.0 * beta
    return cnp.exp(csp.gammaln((n + 1.0) / beta) - csp.gammaln(1.0 / beta))


def _f_mvsk(v1, v2):
    w2, w4, w6, w8 = (_at(v2 > k, v2, k + 1.0) for k in (2.0, 4.0, 6.0, 8.0))
    mu = cnp.where(v2 > 2, w2 / (w2 - 2.), _INF)
    mu2 = cnp.where(v2 > 4, 2 * w4 * w4 * (v1 + w4 - 2.) / (v1 * (w4 - 2.) ** 2 * (w4 - 4.)),
                    _INF)

    def skew(w):
        return (np.sqrt(8.) * (2 * v1 + w - 2.) / (w - 6.)
                * cnp.sqrt((w - 4.) / (v1 * (v1 + w - 2.))))
    g1 = cnp.where(v2 > 6, skew(w6), _NAN)
    g8 = skew(w8)
    g2 = cnp.where(v2 > 8, 1.5 * (8 + g8 * g8 * (w8 - 6.)) / (w8 - 8.), _NAN)
    return mu, mu2, g1, g2


def _f_entropy(dfn, dfd):
    hn, hd, hs = 0.5 * dfn, 0.5 * dfd, 0.5 * (dfn + dfd)
    return (cnp.log(dfd) - cnp.log(dfn) + csp.betaln(hn, hd) + (1 - hn) * csp.digamma(hn)
            - (1 + hd) * csp.digamma(hd) + hs * csp.digamma(hs))


def _vonmises_entropy(kappa):
    return (-kappa * csp.i1e(kappa) / csp.i0e(kappa) + cnp.log(2 * np.pi * csp.i0e(kappa))
            + kappa)


def _weibull_munp(sign):
    def munp(n, c):
        return (sign ** n) * csp.gamma(1.0 + n / c)
    return munp


def _weibull_entropy(c):
    return -_EULER / c - cnp.log(c) + _EULER + 1


def _halflogistic_munp(n):
    table = {1: 2 * _LN2, 2: _PI ** 2 / 3.0, 3: 9 * _ZETA3, 4: 7 * _PI ** 4 / 15.0}
    if n in table:
        return table[n]
    return 2 * (1 - 2.0 ** (1 - n)) * _factorial(n) * float(csp.zeta(float(n), 1.0))


def _norm_munp(n):
    return 0.0 if n % 2 else float(np.prod(np.arange(n - 1, 0, -2)))


STANDARD = {
    "norm": dict(mvsk=_const(0.0, 1.0, 0.0, 0.0), entropy=lambda: _NORM_H, munp=_norm_munp),
    "t": dict(mvsk=_t_mvsk, entropy=_t_entropy),
    "gamma": dict(mvsk=lambda a: (a, a, 2.0 / cnp.sqrt(a), 6.0 / a), entropy=_gamma_entropy,
                  munp=lambda n, a: csp.poch(a, float(n))),
    "chi2": dict(mvsk=lambda df: (df, 2 * df, 2 * cnp.sqrt(2.0 / df), 12.0 / df),
                 entropy=lambda df: _gamma_entropy(0.5 * df) + _LN2,
                 munp=lambda n, df: 2.0 ** n * csp.poch(0.5 * df, float(n))),
    "beta": dict(mvsk=_beta_mvsk,
                 entropy=lambda a, b: (csp.betaln(a, b) - (a - 1) * csp.digamma(a)
                                       - (b - 1) * csp.digamma(b)
                                       + (a + b - 2) * csp.digamma(a + b))),
    "expon": dict(mvsk=_const(1.0, 1.0, 2.0, 6.0), entropy=lambda: 1.0,
                  munp=_factorial),
    "lognorm": dict(mvsk=_lognorm_mvsk,
                    entropy=lambda s: 0.5 * (1 + np.log(2 * np.pi) + 2 * cnp.log(s)),
                    munp=lambda n, s: cnp.exp(0.5 * n * n * s * s)),
    "laplace": dict(mvsk=_const(0.0, 2.0, 0.0, 3.0), entropy=lambda: _LN2 + 1,
                    munp=lambda n: 0.0 if n % 2 else _factorial(n)),
    "logistic": dict(mvsk=_const(0.0, _PI ** 2 / 3.0, 0.0, 1.2), entropy=lambda: 2.0),
    "cauchy": dict(mvsk=_const(_NAN, _NAN, _NAN, _NAN), entropy=lambda: float(np.log(4 * np.pi))),
    "uniform": dict(mvsk=_const(0.5, 1.0 / 12, 0.0, -1.2), entropy=lambda: 0.0,
                    munp=lambda n: 1.0 / (n + 1)),
    "halfnorm": dict(mvsk=_const(np.sqrt(2.0 / np.pi), 1 - 2.0 / np.pi,
                                 np.sqrt(2) * (4 - np.pi) / (np.pi - 2) ** 1.5,
                                 8 * (np.pi - 3) / (np.pi - 2) ** 2),
                     entropy=lambda: 0.5 * float(np.log(np.pi / 2.0)) + 0.5),
    "halfcauchy": dict(mvsk=_const(_INF, _INF, _NAN, _NAN),
                       entropy=lambda: float(np.log(2 * np.pi))),
    "halflogistic": dict(munp=_halflogistic_munp, entropy=lambda: 2 - _LN2),
    "gumbel_r": dict(mvsk=_const(_EULER, _PI ** 2 / 6, 12 * np.sqrt(6) / _PI ** 3 * _ZETA3, 2.4),
                     entropy=lambda: _EULER + 1.0),
    "gumbel_l": dict(mvsk=_const(-_EULER, _PI ** 2 / 6, -12 * np.sqrt(6) / _PI ** 3 * _ZETA3,
                                 2.4), entropy=lambda: _EULER + 1.0),
    "genextreme": dict(mvsk=_genextreme_mvsk, entropy=lambda c: _EULER * (1 - c) + 1),
    "genpareto": dict(mvsk=_genpareto_mvsk, munp=_genpareto_munp, entropy=lambda c: 1.0 + c),
    "weibull_min": dict(munp=_weibull_munp(1.0), entropy=_weibull_entropy),
    "weibull_max": dict(munp=_weibull_munp(-1.0), entropy=_weibull_entropy),
    "pareto": dict(mvsk=_pareto_mvsk, munp=_pareto_munp,
                   entropy=lambda b: 1 + 1.0 / b - cnp.log(b)),
    "lomax": dict(mvsk=_lomax_mvsk, entropy=lambda c: 1 + 1.0 / c - cnp.log(c)),
    "powerlaw": dict(mvsk=_powerlaw_mvsk, munp=lambda n, a: a / (a + n),
                     entropy=lambda a: 1 - 1.0 / a - cnp.log(a)),
    "loguniform": dict(munp=_loguniform_munp,
                       entropy=lambda a, b: (0.5 * (cnp.log(a) + cnp.log(b))
                                             + cnp.log(cnp.log(b) - cnp.log(a)))),
    "truncexpon": dict(munp=_truncexpon_munp, entropy=_truncexpon_entropy),
    "triang": dict(mvsk=_triang_mvsk, entropy=lambda c: 0.5 - _LN2 + 0.0 * c),
    "truncnorm": dict(mvsk=_truncnorm_mvsk, munp=_truncnorm_munp, entropy=_truncnorm_entropy),
    "skewnorm": dict(mvsk=_skewnorm_mvsk),
    "exponnorm": dict(mvsk=_exponnorm_mvsk),
    "vonmises": dict(entropy=_vonmises_entropy, mean=lambda kappa: 0.0 * kappa),
    "levy": dict(mvsk=_const(_INF, _INF, _NAN, _NAN),
                 entropy=lambda: 0.5 * (1 + 3 * _EULER + float(np.log(16 * np.pi)))),
    "invgauss": dict(mvsk=lambda mu: (mu, mu ** 3.0, 3 * cnp.sqrt(mu), 15 * mu),
                     entropy=_invgauss_entropy),
    "wald": dict(mvsk=_const(1.0, 1.0, 3.0, 15.0), entropy=lambda: _invgauss_entropy(1.0)),
    "invgamma": dict(mvsk=_invgamma_mvsk, entropy=_invgamma_entropy),
    "rayleigh": dict(mvsk=_const(np.sqrt(np.pi / 2), (4 - np.pi) / 2,
                                 2 * (np.pi - 3) * np.sqrt(np.pi) / (4 - np.pi) ** 1.5,
                                 6 * np.pi / (4 - np.pi) - 16 / (4 - np.pi) ** 2),
                     entropy=lambda: _EULER / 2.0 + 1 - 0.5 * _LN2),
    "maxwell": dict(mvsk=_const(2 * np.sqrt(2.0 / np.pi), 3 - 8 / np.pi,
                                np.sqrt(2) * (32 - 10 * np.pi) / (3 * np.pi - 8) ** 1.5,
                                (-12 * np.pi ** 2 + 160 * np.pi - 384) / (3 * np.pi - 8) ** 2),
                    entropy=lambda: _EULER + 0.5 * float(np.log(2 * np.pi)) - 0.5),
    "chi": dict(mvsk=_chi_mvsk, entropy=_chi_entropy),
    "nakagami": dict(mvsk=_nakagami_mvsk, entropy=_nakagami_entropy),
    "gennorm": dict(mvsk=_gennorm_mvsk, munp=_gennorm_munp,
                    entropy=lambda b: 1. / b - cnp.log(.5 * b) + csp.gammaln(1. / b)),
    "f": dict(mvsk=_f_mvsk, entropy=_f_entropy),
}
STANDARD["erlang"] = STANDARD["gamma"]
STANDARD["reciprocal"] = STANDARD["loguniform"]


# ---- discrete --------------------------------------------------------------------------------
def _poisson_mvsk(mu):
    pos = mu > 0
    ms = _at(pos, mu, 1.0)
    return mu, mu, cnp.where(pos, 1.0 / cnp.sqrt(ms), _INF), cnp.where(pos, 1.0 / ms, _INF)


def _binom_mvsk(n, p):
    npq = n * (p - p * p)
    return n * p, n * p - n * p * p, (1.0 - 2.0 * p) / cnp.sqrt(npq), 1.0 / npq - 6.0 / n


def _nbinom_mvsk(n, p):
    q = 1.0 - p
    return n * q / p, n * q / (p * p), (2.0 - p) / cnp.sqrt(n * q), 6.0 / n + p * p / (n * q)


def _geom_mvsk(p):
    q = 1.0 - p
    return 1.0 / p, q / p / p, (2.0 - p) / cnp.sqrt(q), ((p - 6.0) * p + 6.0) / q


def _logser_mvsk(p):
    r = cnp.log1p(-p)
    mu = p / (p - 1.0) / r
    mu2p = -p / r / (p - 1.0) ** 2
    var = mu2p - mu * mu
    mu3p = -p / r * (1.0 + p) / (1.0 - p) ** 3
    mu3 = mu3p - 3 * mu * mu2p + 2 * mu ** 3
    mu4p = -p / r * (1.0 / (p - 1) ** 2 - 6 * p / (p - 1) ** 3 + 6 * p * p / (p - 1) ** 4)
    mu4 = mu4p - 4 * mu3p * mu + 6 * mu2p * mu * mu - 3 * mu ** 4
    return mu, var, mu3 / var ** 1.5, mu4 / var ** 2 - 3.0


def _dlaplace_mvsk(a):
    ea = cnp.exp(a)
    mu2 = 2. * ea / (ea - 1.) ** 2
    mu4 = 2. * ea * (ea ** 2 + 10. * ea + 1.) / (ea - 1.) ** 4
    return 0.0 * a, mu2, 0.0 * a, mu4 / mu2 ** 2 - 3.


def _betabinom_mvsk(n, a, b):
    s = a + b
    ep = a / s
    eq = 1 - ep
    var = n * (s + n) * ep * eq / (s + 1)
    g1 = (s + 2 * n) * (b - a) / ((s + 2) * s) / cnp.sqrt(var)
    g2 = (s * (s - 1 + 6 * n) + 3 * a * b * (n - 2) + 6 * n ** 2 - 3 * ep * b * n * (6 - n)
          - 18 * ep * eq * n ** 2)
    g2 = g2 * s ** 2 * (1 + s) / (n * a * b * (s + 2) * (s + 3) * (s + n)) - 3
    return n * ep, var, g1, g2


def _randint_mvsk(low, high):
    d = high - low
    return (high + low - 1.0) / 2, (d * d - 1) / 12.0, 0.0 * d, -1.2 * (d * d + 1.0) / (d * d - 1.0)


def _zipf_munp(n, a):
    ok = a > n + 1
    s = _at(ok, a, n + 2.0)
    return cnp.where(ok, csp.zeta(s - n, 1.0) / csp.zeta(s, 1.0), _INF)


STANDARD.update({
    "poisson": dict(mvsk=_poisson_mvsk),
    "binom": dict(mvsk=_binom_mvsk),
    "bernoulli": dict(mvsk=lambda p: _binom_mvsk(1.0, p),
                      entropy=lambda p: csp.entr(p) + csp.entr(1.0 - p)),
    "nbinom": dict(mvsk=_nbinom_mvsk),
    "geom": dict(mvsk=_geom_mvsk,
                 entropy=lambda p: -cnp.log(p) - cnp.log1p(-p) * (1.0 - p) / p),
    "zipf": dict(munp=_zipf_munp),
    "logser": dict(mvsk=_logser_mvsk),
    "dlaplace": dict(mvsk=_dlaplace_mvsk,
                     entropy=lambda a: a / cnp.sinh(a) - cnp.log(cnp.tanh(a / 2.0))),
    "betabinom": dict(mvsk=_betabinom_mvsk),
    "randint": dict(mvsk=_randint_mvsk, entropy=lambda low, high: cnp.log(high - low)),
})


# ---- dists2: the families of chainrule.primitives.stats_shapes -------------------------------
def _trapezoid_munp(n, c, d):
    inner = (d > 0) & (d < 1)
    ds = _at(inner, d, 0.5)
    dc = cnp.where(d == 0, 1.0, cnp.where(d == 1, n + 2.0,
                                          cnp.expm1((n + 2) * cnp.log(ds)) / (ds - 1.0)))
    return 2.0 / (1.0 + d - c) * (dc - c ** (n + 1)) / ((n + 1) * (n + 2))


def _truncpareto_munp(n, b, c):
    """b/(b − n)·(cᵇ − cⁿ)/(cᵇ − 1), with (cᵇ − cⁿ)/(b − n) = cⁿ log c · exprel((b − n) log c):
    SciPy's b log c/(1 − c^−b) at b = n is its value there, and the derivatives through b = n
    are the formula's."""
    lc = cnp.log(c)
    return b * c ** n * lc * csp.exprel((b - n) * lc) / (c ** b - 1.0)


def _mielke_munp(n, k, s):
    ok = n < s
    ss = _at(ok, s, n + 1.0)
    return cnp.where(ok, csp.gamma((k + n) / ss) * csp.gamma(1.0 - n / ss) / csp.gamma(k / ss),
                     _INF)


def _jf_skew_t_munp(n, a, b):
    ok = (a > 0.5 * n) & (b > 0.5 * n)
    a_, b_ = _at(ok, a, n + 1.0), _at(ok, b, n + 1.0)
    total = 0.0
    for k in range(n + 1):
        comb = float(np.prod(np.arange(n - k + 1, n + 1)) / np.prod(np.arange(1, k + 1)))
        total = total + comb * (-1.0) ** k * csp.beta(a_ + 0.5 * n - k, b_ - 0.5 * n + k)
    return cnp.where(ok, (a_ + b_) ** (0.5 * n) / (2.0 ** n * csp.beta(a_, b_)) * total, _NAN)


def _crystalball_munp(n, beta, m):
    big_n = 1.0 / (m / beta / (m - 1.0) * cnp.exp(-beta ** 2 / 2.0)
                   + np.sqrt(2 * np.pi) * csp.ndtr(beta))
    ok = n + 1 < m
    ms = _at(ok, m, n + 2.0)
    a = (ms / beta) ** ms * cnp.exp(-beta ** 2 / 2.0)
    b = ms / beta - beta
    rhs = (2.0 ** ((n - 1) / 2.0) * _gamma_half(n + 1)
           * (1.0 + (-1.0) ** n * csp.gammainc((n + 1) / 2.0, beta ** 2 / 2.0)))
    lhs = 0.0
    for k in range(n + 1):
        comb = float(np.prod(np.arange(n - k + 1, n + 1)) / np.prod(np.arange(1, k + 1)))
        lhs = lhs + comb * b ** (n - k) * (-1.0) ** k / (ms - k - 1.0) * (ms / beta) ** (-ms + k + 1.0)
    return big_n * cnp.where(ok, a * lhs + rhs, _INF)


def _gamma_half(k):
    """Γ(k/2) for an integer k ≥ 1."""
    import math
    return math.gamma(k / 2.0)


def _argus_mean(chi):
    phi = 0.5 * csp.gammainc(1.5, chi * chi / 2.0)
    return np.sqrt(np.pi / 8) * chi * csp.ive(1.0, chi * chi / 4.0) / phi


STANDARD.update({
    "trapezoid": dict(munp=_trapezoid_munp,
                      entropy=lambda c, d: (0.5 * (1.0 - d + c) / (1.0 + d - c)
                                            + cnp.log(0.5 * (1.0 + d - c)))),
    "truncpareto": dict(munp=_truncpareto_munp,
                        entropy=lambda b, c: -(cnp.log(b / (1.0 - c ** (-b)))
                                               + (b + 1.0) * (cnp.log(c) / (c ** b - 1.0) - 1.0 / b))),
    "wrapcauchy": dict(entropy=lambda c: cnp.log(2 * _PI * (1.0 - c * c))),
    "cosine": dict(mvsk=_const(0.0, _PI * _PI / 3.0 - 2.0, 0.0,
                               -6.0 * (_PI ** 4 - 90) / (5.0 * (_PI * _PI - 6) ** 2)),
                   entropy=lambda: float(np.log(4 * np.pi)) - 1.0),
    "genhalflogistic": dict(entropy=lambda c: 2.0 - (2.0 * c + 1.0) * _LN2),
    "halfgennorm": dict(entropy=lambda beta: 1.0 / beta - cnp.log(beta) + csp.gammaln(1.0 / beta)),
    "rdist": dict(munp=lambda n, c: ((1 - n % 2) * csp.beta((n + 1.0) / 2, c / 2.0)
                                     / csp.beta(0.5, c / 2.0))),
    "mielke": dict(munp=_mielke_munp),
    "jf_skew_t": dict(munp=_jf_skew_t_munp),
    "crystalball": dict(munp=_crystalball_munp),
    "argus": dict(mean=_argus_mean),   # (SciPy integrates the rest)
})
STANDARD["vonmises_line"] = STANDARD["vonmises"]


def _zipfian_mvsk(a, n):
    """SciPy's, from the harmonic numbers H(n, a − j), j = 0…4."""
    n = cnp.floor(n)
    h0, h1, h2, h3, h4 = (harmonic(n, a - j, n) for j in range(5))
    mu2n = h2 * h0 - h1 ** 2
    mu2 = mu2n / h0 ** 2
    g1 = (h3 / h0 - 3 * h1 * h2 / h0 ** 2 + 2 * h1 ** 3 / h0 ** 3) / mu2 ** 1.5
    g2 = (h0 ** 3 * h4 - 4 * h0 ** 2 * h1 * h3 + 6 * h0 * h1 ** 2 * h2 - 3 * h1 ** 4) / mu2n ** 2
    return h1 / h0, mu2, g1, g2 - 3.0


def _rel_breitwigner_mvsk(rho):
    """SciPy's first two raw moments (its skewness and kurtosis are nan: the third and fourth
    moments diverge); E[X²]'s 2C·Re((1 − iρ)/√(−1 − i/ρ)) in real arithmetic."""
    r = cnp.sqrt(1.0 + 1.0 / rho ** 2)
    m1 = cnp.sqrt(2.0 * r * r / (1.0 + r)) / _PI * rho * (_PI / 2.0 + cnp.arctan(rho))
    c2 = cnp.sqrt(r * r / (2.0 * (1.0 + r))) * rho
    m2 = 2.0 * c2 * (cnp.sqrt((r - 1.0) / 2.0) + rho * cnp.sqrt((r + 1.0) / 2.0)) / r
    return m1, m2 - m1 * m1, _NAN + 0.0 * rho, _NAN + 0.0 * rho


def _rel_breitwigner_munp(n, rho):
    if n > 2:   # (diverges)
        return _INF + 0.0 * rho
    m1, var, _, _ = _rel_breitwigner_mvsk(rho)
    return {0: 1.0 + 0.0 * rho, 1: m1, 2: var + m1 * m1}[n]


# SciPy's [4, 4] Padé approximants of Tukey lambda's variance and kurtosis near λ = 0, where
# the closed forms have a removable singularity (scipy/stats/_tukeylambda_stats.py)
_TL_VAR_P = [3.289868133696453, 0.7306125098871127, -0.5370742306855439, 0.17292046290190008,
             -0.02371146284628187]
_TL_VAR_Q = [1.0, 3.683605511659861, 4.184152498888124, 1.7660926747377275, 0.2643989311168465]
_TL_KURT_P = [1.2, -5.853465139719495, -22.653447381131077, 0.20601184383406815,
              4.59796302262789]
_TL_KURT_Q = [1.0, 7.171149192233599, 12.96663094361842, 0.43075235247853005,
              -2.789746758009912]


def _poly(coeffs, x):
    out = 0.0
    for c in reversed(coeffs):
        out = out * x + c
    return out


def _tukeylambda_mvsk(lam):
    """SciPy's: the variance 2/λ²·(1/(1 + 2λ) − B(λ + 1, λ + 1)) (nan below −½, inf at −½),
    the excess kurtosis from B(3λ + 1, λ + 1) and B(2λ + 1, 2λ + 1) (nan below −¼, inf at
    −¼), each by SciPy's Padé approximant near 0."""
    small_v, small_k = cnp.abs(lam) < 0.075, cnp.abs(lam) < 0.055
    lv = _at(small_v | (lam <= -0.5), 1.0, lam)
    var = cnp.where(small_v, _poly(_TL_VAR_P, lam) / _poly(_TL_VAR_Q, lam),
                    (2.0 / lv ** 2) * (1.0 / (1.0 + 2 * lv) - csp.beta(lv + 1, lv + 1)))
    var = cnp.where(lam < -0.5, _NAN, cnp.where(lam == -0.5, _INF, var))
    lk = _at(small_k | (lam <= -0.25), 1.0, lam)
    numer = (1.0 / (4 * lk + 1) - 4 * csp.beta(3 * lk + 1, lk + 1)
             + 3 * csp.beta(2 * lk + 1, 2 * lk + 1))
    denom = 2 * (1.0 / (2 * lk + 1) - csp.beta(lk + 1, lk + 1)) ** 2
    kurt = cnp.where(small_k, _poly(_TL_KURT_P, lam) / _poly(_TL_KURT_Q, lam), numer / denom - 3)
    kurt = cnp.where(lam < -0.25, _NAN, cnp.where(lam == -0.25, _INF, kurt))
    return 0.0 * lam, var, 0.0 * lam, kurt


def _kstwobign_munp(n):
    """E[Kⁿ] = n·Γ(n/2)·η(n)/2^(n/2) with η Dirichlet's eta, η(1) = log 2 (mean √(π/2)·log 2,
    E[K²] = π²/12)."""
    if n == 0:
        return 1.0
    eta = _LN2 if n == 1 else (1.0 - 2.0 ** (1 - n)) * csp.zeta(float(n), 1.0)
    return n * csp.gamma(n / 2.0) * eta / 2.0 ** (n / 2.0)


def _norminvgauss_mvsk(a, b):
    g = cnp.sqrt(a * a - b * b)
    return (b / g, a * a / g ** 3, 3.0 * b / (a * cnp.sqrt(g)),
            3.0 * (1.0 + 4.0 * b * b / (a * a)) / g)


def _dpareto_lognorm_munp(n, u, s, a, b):
    k = float(n)
    ok = a > k
    a_ = _at(ok, a, k + 1.0)
    return cnp.where(ok, a_ * b / ((a_ - k) * (b + k)) * cnp.exp(k * u + k * k * s * s / 2.0), _NAN)


STANDARD.update({
    "pearson3": dict(mvsk=lambda skew: (0.0 * skew, 1.0 + 0.0 * skew, skew, 1.5 * skew * skew)),
    "dpareto_lognorm": dict(munp=_dpareto_lognorm_munp),
    "norminvgauss": dict(mvsk=_norminvgauss_mvsk),
    "irwinhall": dict(mvsk=lambda n: (n / 2.0, n / 12.0, 0.0 * n, -6.0 / (5.0 * n))),
    "zipfian": dict(mvsk=_zipfian_mvsk),
    "rel_breitwigner": dict(mvsk=_rel_breitwigner_mvsk, munp=_rel_breitwigner_munp),
    "tukeylambda": dict(mvsk=_tukeylambda_mvsk),
    "kstwobign": dict(munp=_kstwobign_munp),
    # (p is a Bessel order: a traced p is refused by kve)
    "geninvgauss": dict(munp=lambda n, p, b: csp.kve(p + n, b) / csp.kve(p, b)),
})
