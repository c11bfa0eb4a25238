"""More discrete ``scipy.stats`` distributions over
:class:`~chainrule.primitives.stats_families.Discrete`: Planck, Boltzmann, Yule–Simon,
Skellam (through the noncentral χ² density and distribution functions, differentiable in
both means), the beta negative binomial, and the hypergeometric pair, whose parameters are
integers (no derivative: their values are SciPy's).

>>> import chainrule as cr, chainrule.numpy as cnp, chainrule.scipy.stats as cst
>>> float(cr.grad(lambda lam: cnp.log(cst.planck.sf(2, lam)))(0.5))    # −(k + 1)
-3.0
"""

import numpy as np

from ..core import registry
from ..core.primitive import Primitive
from .declare import declare
from .basic import elementwise_batch
from . import elementwise as E
from .special_functions import betaln
from .stats_noncentral import ncx2_logpdf, ncx2_cdf, ncx2_sf
from .stats_families import Discrete

__all__ = []

_LN2 = float(np.log(2.0))


def _integral(v):
    return E.equal(v, E.floor(v))


def _positive(v):
    return E.greater(v, 0)


# ---- Planck and Boltzmann: geometric, the latter truncated at N ---------------------------------
def _planck_logsf(k, lam):
    return E.negative(lam) * (k + 1.0)


Discrete("planck", "lambda_", logpmf=lambda k, lam: E.log(E.negative(E.expm1(E.negative(lam))))
         - lam * k,
         cdf=lambda k, lam: E.negative(E.expm1(_planck_logsf(k, lam))),
         sf=lambda k, lam: E.exp(_planck_logsf(k, lam)), valid=_positive, example=(2.0, 0.5))


def _boltzmann_norm(lam, n):
    return 1.0 - E.exp(E.negative(lam) * n)


Discrete("boltzmann", "lambda_ N",
         logpmf=lambda k, lam, n: (E.log((1.0 - E.exp(E.negative(lam))) / _boltzmann_norm(lam, n))
                                   - lam * k),
         cdf=lambda k, lam, n: (1.0 - E.exp(E.negative(lam) * (k + 1.0))) / _boltzmann_norm(lam, n),
         support=lambda lam, n: (0.0, n - 1.0),
         valid=lambda lam, n: E.logical_and(E.logical_and(_positive(lam), _positive(n)),
                                            _integral(n)),
         example=(2.0, 0.5, 6.0))


# ---- Yule–Simon: α·B(k, α + 1) -------------------------------------------------------------------
def _yulesimon_logsf(k, alpha):
    return E.log(k) + betaln(k, alpha + 1.0)


Discrete("yulesimon", "alpha", logpmf=lambda k, a: E.log(a) + betaln(k, a + 1.0),
         cdf=lambda k, a: 1.0 - E.exp(_yulesimon_logsf(k, a)),
         sf=lambda k, a: E.exp(_yulesimon_logsf(k, a)), support=(1.0, np.inf), valid=_positive,
         example=(2.0, 1.5))


# ---- Skellam: the difference of two Poisson counts, through the noncentral χ² ------------------
def _skellam_logpmf(k, mu1, mu2):
    neg = E.less(k, 0)
    kn, kp = E.where(neg, k, -1.0), E.where(neg, 0.0, k)
    return _LN2 + E.where(neg, ncx2_logpdf(2.0 * mu2, 2.0 * (1.0 - kn), 2.0 * mu1),
                          ncx2_logpdf(2.0 * mu1, 2.0 * (1.0 + kp), 2.0 * mu2))


def _skellam_cdf(k, mu1, mu2):
    neg = E.less(k, 0)
    kn, kp = E.where(neg, k, -1.0), E.where(neg, 0.0, k)
    return E.where(neg, ncx2_cdf(2.0 * mu2, -2.0 * kn, 2.0 * mu1),
                   ncx2_sf(2.0 * mu1, 2.0 * (kp + 1.0), 2.0 * mu2))


Discrete("skellam", "mu1 mu2", logpmf=_skellam_logpmf, cdf=_skellam_cdf,
         support=(-np.inf, np.inf),
         valid=lambda a, b: E.logical_and(_positive(a), _positive(b)),
         example=(1.0, 1.5, 2.5))


# ---- the beta negative binomial (n: an integer) -------------------------------------------------
Discrete("betanbinom", "n a b",
         logpmf=lambda k, n, a, b: (E.negative(E.log(n + k)) - betaln(n, k + 1.0)
                                    + betaln(a + n, b + k) - betaln(a, b)),
         valid=lambda n, a, b: E.logical_and(
             E.logical_and(E.greater_equal(n, 0), _integral(n)),
             E.logical_and(_positive(a), _positive(b))),
         example=(2.0, 5.0, 2.0, 3.0))


# ---- hypergeometric: integers throughout, SciPy's values -----------------------------------------
def _scipy_step(name, dist, method):
    """SciPy's ``dist.method`` as a primitive of zero derivative (integer arguments)."""
    def fn(*args):
        import scipy.stats
        arrays = np.broadcast_arrays(*[np.asarray(a, dtype=float) for a in args])
        with np.errstate(all="ignore"):
            return np.asarray(getattr(getattr(scipy.stats, dist), method)(*arrays), dtype=float)
    prim = Primitive(name, fn)
    declare(prim, jvp=None, vjp=None, batch=elementwise_batch(prim), names=())
    return prim


def _hypergeom_logpmf(k, tot, good, draw):
    bad = tot - good
    return (betaln(good + 1.0, 1.0) + betaln(bad + 1.0, 1.0) + betaln(tot - draw + 1.0, draw + 1.0)
            - betaln(k + 1.0, good - k + 1.0) - betaln(draw - k + 1.0, bad - draw + k + 1.0)
            - betaln(tot + 1.0, 1.0))


def _hypergeom_valid(tot, good, draw):
    ok = E.logical_and(E.logical_and(_positive(tot), E.greater_equal(good, 0)),
                       E.greater_equal(draw, 0))
    ok = E.logical_and(ok, E.logical_and(E.less_equal(good, tot), E.less_equal(draw, tot)))
    return E.logical_and(ok, E.logical_and(_integral(tot), E.logical_and(_integral(good),
                                                                       _integral(draw))))


# (SciPy's public methods, which check the parameters first: its private _cdf, given
# M = inf or nan, loops without end)
_hypergeom_cdf = _scipy_step("hypergeom_cdf", "hypergeom", "cdf")
_hypergeom_sf = _scipy_step("hypergeom_sf", "hypergeom", "sf")
Discrete("hypergeom", "M n N", logpmf=_hypergeom_logpmf, cdf=_hypergeom_cdf, sf=_hypergeom_sf,
         support=lambda tot, good, draw: (E.maximum(draw - (tot - good), 0.0),
                                          E.minimum(good, draw)),
         valid=_hypergeom_valid, example=(2.0, 20.0, 7.0, 12.0), kind=registry.NONDIFF)


def _nhypergeom_logpmf(k, tot, good, r):
    ok = E.logical_or(E.not_equal(r, 0), E.not_equal(k, 0))
    rs = E.where(ok, r, 1.0)
    out = (E.negative(betaln(k + 1.0, rs)) + betaln(k + rs, 1.0)
           - betaln(good - k + 1.0, tot - rs - good + 1.0) + betaln(tot - rs - k + 1.0, 1.0)
           + betaln(good + 1.0, tot - good + 1.0) - betaln(tot + 1.0, 1.0))
    return E.where(ok, out, 0.0)


def _nhypergeom_valid(tot, good, r):
    ok = E.logical_and(E.logical_and(E.greater_equal(good, 0), E.less_equal(good, tot)),
                       E.logical_and(E.greater_equal(r, 0), E.less_equal(r, tot - good)))
    return E.logical_and(ok, E.logical_and(_integral(tot), E.logical_and(_integral(good),
                                                                       _integral(r))))


Discrete("nhypergeom", "M n r", logpmf=_nhypergeom_logpmf,
         support=lambda tot, good, r: (0.0, good), valid=_nhypergeom_valid,
         example=(2.0, 20.0, 7.0, 12.0), kind=registry.NONDIFF)
