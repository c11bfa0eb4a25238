"""Points of a distribution that move with its shape parameters: random draws (``rvs``) and
quantiles SciPy computes numerically, differentiated by implicit reparameterization
(Figurnov, Mohamed and Mnih, 2018).

A draw z₀ at the parameters θ₀ is held at its probability u = F(z₀; θ₀); as θ moves, the
draw is the z(θ) with F(z(θ); θ) = u, so that dz/dθ = −∂F/∂θ (z; θ) / f(z; θ). The value is
SciPy's z₀ exactly; the derivatives are:

- where the distribution has a quantile function differentiable in θ, those of
  ppf(u; θ) (isf(1 − u; θ) in the upper half, for accuracy), added to z₀ as
  ``p − stop_gradient(p)`` (zero in value): exact, to every order;
- otherwise those of a custom_jvp rule that is the formula above, written with chainrule
  operations on the traced result, so that it differentiates again (every order). ∂F/∂θ is
  the cdf's derivative where chainrule has it, else ∫ ∂f/∂θ over the support up to z
  (chainrule.scipy.integrate.quad, to its tolerance: about 10 digits).

>>> import numpy as np, chainrule as cr
>>> from chainrule.primitives.stats_families import FAMILIES
>>> z0 = np.array([0.5, 2.0])             # two gamma(2) draws; d/da at a = 2
>>> d = cr.jacfwd(lambda a: moved_point(FAMILIES["gamma"], z0, (a,)))(2.0)
>>> bool(np.all(d > 0))                   # a larger shape moves every draw up
True
"""

import numpy as np

from .. import numpy as cnp
from ..core.primitive import Tracer, full_lower
from ..transforms.custom import custom_jvp
from ..transforms.differentiate import jvp, stop_gradient
from ..transforms.vectorize import vmap
from .quad import quad

__all__ = ["moved_point", "concrete"]

_QUAD_TOL = dict(epsabs=1e-13, epsrel=1e-11, limit=200)


def concrete(x):
    """x's value under every tracer (no derivative), for SciPy to draw or solve with."""
    return full_lower(x)


def _traced(values):
    return any(isinstance(v, Tracer) for v in values)


def moved_point(fam, z0, shapes):
    """The standard-form point z₀ (concrete: SciPy's draw or quantile at the concrete
    shapes) as a function of the shapes, by implicit reparameterization (module doc)."""
    if not shapes or not _traced(shapes):
        return z0
    f = fam.f
    if f.get("ppf") is not None and not fam.refuse:
        cs = [concrete(s) for s in shapes]
        cdf = np.asarray(f["cdf"](z0, *cs), dtype=float) if f.get("cdf") else None
        if cdf is not None:
            sf = np.asarray(f["sf"](z0, *cs), dtype=float)
            lower = cdf <= 0.5
            p = cnp.where(lower, f["ppf"](np.where(lower, cdf, 0.5), *shapes),
                          f["isf"](np.where(lower, 0.5, sf), *shapes))
            return z0 + (p - stop_gradient(p))
    return _implicit(fam)(np.asarray(z0, dtype=float), *shapes)


_RULES = {}


def _implicit(fam):
    """The custom_jvp point for ``fam`` (made once per family)."""
    if fam.name in _RULES:
        return _RULES[fam.name]
    logpdf = fam.f["logpdf"]
    cdf = _cdf_in_shapes(fam)

    @custom_jvp
    def point(z0, *shapes):
        return z0

    @point.defjvp
    def point_jvp(primals, tangents):
        z0, *shapes = primals
        _, *dshapes = tangents
        z = point(z0, *shapes)
        _, dF = jvp(lambda *s: cdf(z, *s), tuple(shapes), tuple(dshapes))
        return z, -dF / cnp.exp(logpdf(z, *shapes))

    _RULES[fam.name] = point
    return point


def _cdf_in_shapes(fam):
    """F(z; θ) as a function chainrule differentiates in θ: the family's cdf when no shape
    is refused, else ∫ f over the support up to z, by quadrature."""
    if fam.f.get("cdf") is not None and not fam.refuse:
        return fam.f["cdf"]
    logpdf = fam.f["logpdf"]
    lo = -np.pi if fam.name == "vonmises" else None   # SciPy's vonmises draws lie in [−π, π]

    def integral(z, *shapes):
        start = lo if lo is not None else _lower_end(fam, shapes)
        # per point (quad integrates a scalar function): vmap over the flattened points
        flat = [cnp.ravel(cnp.broadcast_to(v, cnp.shape(z))) for v in (z,) + tuple(shapes)]
        one = lambda zi, *si: quad(lambda t, *s: cnp.exp(logpdf(t, *s)), start, zi, args=si,
                                   **_QUAD_TOL)[0]
        return cnp.reshape(vmap(one)(*flat), cnp.shape(z))
    return integral


def _lower_end(fam, shapes):
    lo = fam.support(*[concrete(s) for s in shapes])[0] if callable(fam.support) \
        else fam.support[0]
    lo = np.asarray(lo, dtype=float)
    if lo.ndim:
        raise NotImplementedError(f"{fam.name}: a draw's derivative needs one lower end of the "
                                  f"support; draw for one parameter value at a time")
    return float(lo)
