"""A few more continuous ``scipy.stats`` distributions with elementary closed forms, over
:class:`~chainrule.primitives.stats_families.Continuous`, after SciPy's own formulas (the log
of SciPy's pdf where it has no logpdf): the semicircle, anglit, arcsine, hyperbolic secant,
Gibrat (log-normal with s = 1), Bradford and asymmetric Laplace distributions.

>>> import chainrule as cr, chainrule.scipy.stats as cst
>>> float(cr.grad(cst.hypsecant.logpdf)(0.0))    # −tanh(0)
-0.0
"""

import numpy as np

from . import elementwise as E
from .special_functions import ndtr, ndtri
from .stats_families import Continuous

__all__ = []

_INF = np.inf
_LOG_PI = float(np.log(np.pi))
_HALF_LOG_2PI = 0.5 * float(np.log(2.0 * np.pi))
_QUARTER_PI = 0.25 * np.pi


def _neg(x):
    return E.negative(x)


Continuous("semicircular",
           logpdf=lambda z: float(np.log(2.0 / np.pi)) + 0.5 * E.log1p(_neg(z * z)),
           cdf=lambda z: 0.5 + (z * E.sqrt(1.0 - z * z) + E.arcsin(z)) / np.pi,
           support=(-1.0, 1.0), example=(0.3,))
Continuous("anglit", logpdf=lambda z: E.log(E.cos(2.0 * z)),
           cdf=lambda z: E.sin(z + _QUARTER_PI) ** 2,
           # (0 at the upper end, as SciPy's, where cos(π/2)² is 4e−33)
           sf=lambda z: E.where(E.less(z, _QUARTER_PI), E.cos(z + _QUARTER_PI) ** 2, 0.0),
           ppf=lambda q: E.arcsin(E.sqrt(q)) - _QUARTER_PI,
           support=(-_QUARTER_PI, _QUARTER_PI), example=(0.3,))
Continuous("arcsine", logpdf=lambda z: -_LOG_PI - 0.5 * E.log(z * (1.0 - z)),
           cdf=lambda z: (2.0 / np.pi) * E.arcsin(E.sqrt(z)),
           ppf=lambda q: E.sin(0.5 * np.pi * q) ** 2, support=(0.0, 1.0), example=(0.3,))
Continuous("hypsecant", logpdf=lambda z: -_LOG_PI - E.log(E.cosh(z)),
           cdf=lambda z: (2.0 / np.pi) * E.arctan(E.exp(z)),
           sf=lambda z: (2.0 / np.pi) * E.arctan(E.exp(_neg(z))),
           ppf=lambda q: E.log(E.tan(0.5 * np.pi * q)),
           isf=lambda q: _neg(E.log(E.tan(0.5 * np.pi * q))), example=(0.3,))
Continuous("gibrat", logpdf=lambda z: -0.5 * E.log(z) ** 2 - E.log(z) - _HALF_LOG_2PI,
           cdf=lambda z: ndtr(E.log(z)), sf=lambda z: ndtr(_neg(E.log(z))),
           ppf=lambda q: E.exp(ndtri(q)), isf=lambda q: E.exp(_neg(ndtri(q))),
           support=(0.0, _INF), open_support=True, example=(1.5,))
Continuous("bradford", "c", logpdf=lambda z, c: E.log(c / (c * z + 1.0) / E.log1p(c)),
           cdf=lambda z, c: E.log1p(c * z) / E.log1p(c),
           ppf=lambda q, c: E.expm1(q * E.log1p(c)) / c, support=(0.0, 1.0), example=(0.3, 1.5))


def _laplace_asymmetric_logpdf(z, k):
    up = E.greater_equal(z, 0)
    return z * E.where(up, _neg(k), E.reciprocal(k)) - E.log(k + E.reciprocal(k))


def _laplace_asymmetric_tails(z, k):
    """The smaller tail on each side: e^(−κx)/(κ(κ + 1/κ)) above 0, e^(x/κ)κ/(κ + 1/κ) below."""
    up = E.greater_equal(z, 0)
    zu, zd = E.where(up, z, 0.0), E.where(up, 0.0, z)
    total = k + E.reciprocal(k)
    return up, E.exp(_neg(zu) * k) / (k * total), E.exp(zd / k) * (k / total)


def _laplace_asymmetric_cdf(z, k):
    up, upper, lower = _laplace_asymmetric_tails(z, k)
    return E.where(up, 1.0 - upper, lower)


def _laplace_asymmetric_sf(z, k):
    up, upper, lower = _laplace_asymmetric_tails(z, k)
    return E.where(up, upper, 1.0 - lower)


def _laplace_asymmetric_ppf(q, k):
    total = k + E.reciprocal(k)
    high = E.greater_equal(q, k / total)
    qh, ql = E.where(high, q, 0.99), E.where(high, 0.01, q)
    return E.where(high, _neg(E.log((1.0 - qh) * total * k)) / k, E.log(ql * total / k) * k)


def _laplace_asymmetric_isf(q, k):
    total = k + E.reciprocal(k)
    low = E.less_equal(q, E.reciprocal(k) / total)
    ql, qh = E.where(low, q, 0.01), E.where(low, 0.99, q)
    return E.where(low, _neg(E.log(ql * total * k)) / k, E.log((1.0 - qh) * total / k) * k)


Continuous("laplace_asymmetric", "kappa", logpdf=_laplace_asymmetric_logpdf,
           cdf=_laplace_asymmetric_cdf, sf=_laplace_asymmetric_sf, ppf=_laplace_asymmetric_ppf,
           isf=_laplace_asymmetric_isf, example=(0.5, 1.5))
