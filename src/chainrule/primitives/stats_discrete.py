"""More discrete ``scipy.stats`` distributions, each its log-pmf (and cdf where SciPy has a
closed form) over :class:`~chainrule.primitives.stats_families.Discrete`; differentiable
in their continuous parameters (k is a count and has no derivative).

>>> import chainrule as cr, chainrule.scipy.stats as cst
>>> float(cr.grad(lambda p: cst.geom.logpmf(3, p))(0.5))   # 1/p − (k − 1)/(1 − p)
-2.0
"""

import numpy as np

from ..core import registry
from . import elementwise as E
from .special_functions import xlog1py, betaln, zeta
from .stats_families import Discrete

__all__ = []


def _integral(v):
    return E.equal(v, E.floor(v))


Discrete("geom", "p", logpmf=lambda k, p: xlog1py(k - 1.0, E.negative(p)) + E.log(p),
         cdf=lambda k, p: E.negative(E.expm1(E.log1p(E.negative(p)) * k)),
         sf=lambda k, p: E.exp(k * E.log1p(E.negative(p))), support=(1.0, np.inf),
         valid=lambda p: E.logical_and(E.greater(p, 0), E.less_equal(p, 1)), example=(3.0, 0.3))
Discrete("zipf", "a", logpmf=lambda k, a: E.negative(a) * E.log(k) - E.log(zeta(a, 1.0)),
         support=(1.0, np.inf), valid=lambda a: E.greater(a, 1), example=(2.0, 2.5))
Discrete("logser", "p",
         logpmf=lambda k, p: k * E.log(p) - E.log(k) - E.log(E.negative(E.log1p(E.negative(p)))),
         support=(1.0, np.inf), valid=lambda p: E.logical_and(E.greater(p, 0), E.less(p, 1)),
         example=(2.0, 0.4))


def _dlaplace_cdf(k, a):
    up = E.greater_equal(k, 0)
    ku, kd = E.where(up, k, 0.0), E.where(up, -1.0, k)
    norm = E.exp(a) + 1.0
    return E.where(up, 1.0 - E.exp(E.negative(a) * ku) / norm, E.exp(a * (kd + 1.0)) / norm)


Discrete("dlaplace", "a", logpmf=lambda k, a: E.log(E.tanh(0.5 * a)) - a * E.absolute(k),
         cdf=_dlaplace_cdf, support=(-np.inf, np.inf), example=(-1.0, 0.8))


def _betabinom_logpmf(k, n, a, b):
    return (E.negative(E.log(n + 1.0)) - betaln(n - k + 1.0, k + 1.0)
            + betaln(k + a, n - k + b) - betaln(a, b))


def _betabinom_valid(n, a, b):
    return E.logical_and(E.logical_and(E.greater_equal(n, 0), _integral(n)),
                         E.logical_and(E.greater(a, 0), E.greater(b, 0)))


Discrete("betabinom", "n a b", logpmf=_betabinom_logpmf, support=lambda n, a, b: (0.0, n),
         valid=_betabinom_valid, example=(2.0, 5.0, 2.0, 3.0))


def _randint_valid(low, high):
    return E.logical_and(E.greater(high, low), E.logical_and(_integral(low), _integral(high)))


# low and high are integers (SciPy's nan otherwise): nothing here has a derivative.
Discrete("randint", "low high",
         logpmf=lambda k, low, high: E.negative(E.log(high - low)) + 0.0 * k,  # k's shape
         cdf=lambda k, low, high: (k - low + 1.0) / (high - low),
         support=lambda low, high: (low, high - 1.0), valid=_randint_valid,
         example=(2.0, 0.0, 5.0), kind=registry.NONDIFF)
