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
  the cdf's derivative where chainrule has it, else that of ∫ f over the support up to z,
  by tanh-sinh quadrature vectorized over the draws (about 12 digits).

>>> import numpy as np, chainrule as cr
>>> from chainrule.primitives.stats_families import FAMILIES
>>> z0 = np.array([0.5, 2.0])             # two gamma(2) draws; d/da at a = 2
>>> d = cr.jacfwd(lambda a: moved_point(FAMILIES["gamma"], z0, (a,)))(2.0)
>>> bool(np.all(d > 0))                   # a larger shape moves every draw up
True
"""

import numpy as np

from .. import numpy as cnp
from ..core.primitive import Tracer, concrete_value, full_lower, traced_by
from ..interpreters.batching import BatchTracer, BatchedValueError
from ..interpreters.staging import StagingTracer
from ..transforms.custom import custom_jvp
from ..transforms.differentiate import jvp, stop_gradient

__all__ = ["moved_point", "concrete", "refuse_batched"]

def concrete(x):
    """x's value under every tracer (no derivative), for SciPy to draw or solve with. Under
    jit it is a value the staged program guards: what SciPy drew or solved for at the
    trace holds for these values only, and a call with others is traced again (the first
    call's draw, median or support was replayed for any parameters)."""
    if traced_by(StagingTracer, [x]):
        try:
            return concrete_value(x, "value")
        except BatchedValueError:   # (jit of vmap: the batch's values, unguarded)
            pass
    return full_lower(x)


def refuse_batched(fname, *values):
    """A draw under vmap would draw the whole batch at once, in an order of its own: refuse
    it, saying what to do instead."""
    for v in values:
        while isinstance(v, Tracer):
            if isinstance(v, BatchTracer):
                raise NotImplementedError(
                    f"{fname} under vmap: SciPy's random stream would be consumed for the whole "
                    f"batch at once; draw outside vmap, with the parameters as arrays (SciPy "
                    f"broadcasts them) or size=")
            v = v._value


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
    # (only the traced shapes are the rule's arguments: a constant one, as geninvgauss's
    # Bessel order p, stays a constant, whose derivative nothing asks for)
    moving = [i for i, s in enumerate(shapes) if isinstance(s, Tracer)]
    return _implicit(fam, shapes, moving)(np.asarray(z0, dtype=float),
                                          *[shapes[i] for i in moving])


def _implicit(fam, shapes, moving):
    """The custom_jvp point for ``fam``, a function of the shapes at positions ``moving``
    (the others fixed at their values in ``shapes``)."""
    logpdf = fam.f["logpdf"]
    cdf = _cdf_in_shapes(fam)

    def full(traced):
        out = list(shapes)
        for i, v in zip(moving, traced):
            out[i] = v
        return out

    @custom_jvp
    def point(z0, *traced):
        return z0

    @point.defjvp
    def point_jvp(primals, tangents):
        z0, *traced = primals
        _, *dtraced = tangents
        z = point(z0, *traced)
        _, dF = jvp(lambda *t: cdf(z, *full(t)), tuple(traced), tuple(dtraced))
        # (where the density vanishes, as dgamma's at its centre 0, where F does not move
        # with the shape, the point stays: 0, not 0/0)
        dens = cnp.exp(logpdf(z, *full(traced)))
        positive = dens > 0
        return z, cnp.where(positive, -dF / cnp.where(positive, dens, 1.0), 0.0)

    return point


def _cdf_in_shapes(fam):
    """F(z; θ) as a function chainrule differentiates in θ: the family's cdf when no shape
    is refused, else F(a) + ∫ₐᶻ f(t; θ) dt from a point a where F does not move with θ (the
    support's lower end, or the centre ½ of a symmetric distribution), by tanh-sinh
    quadrature: its nodes crowd double-exponentially into both ends, so the integrable
    singularity of a gamma density with a < 1 at 0 costs nothing, and it is vectorized over
    every draw at once (about 12 digits)."""
    if fam.f.get("cdf") is not None and not fam.refuse:
        return fam.f["cdf"]
    logpdf = fam.f["logpdf"]

    def integral(z, *shapes):
        start = _fixed_point(fam, shapes)
        z = cnp.asarray(z)
        width = z - start
        t = start + width * cnp.reshape(_LEFT, (-1,) + (1,) * z.ndim)
        dens = cnp.exp(logpdf(t, *shapes))
        return 0.5 * width * cnp.sum(cnp.reshape(_WEIGHTS, (-1,) + (1,) * z.ndim) * dens,
                                     axis=0)
    return integral


def _tanh_sinh(h=1.0 / 32, n=172):
    """Nodes (as (1 + s)/2 in (0, 1), computed without cancellation at either end) and
    weights of tanh-sinh quadrature on [−1, 1]."""
    k = np.arange(-n, n + 1) * h
    y = 0.5 * np.pi * np.sinh(k)
    left = 1.0 / (1.0 + np.exp(-2.0 * y))          # (1 + tanh y)/2
    weights = h * 0.5 * np.pi * np.cosh(k) / np.cosh(y) ** 2
    keep = (left > 0) & (left < 1) & (weights > 0)
    return left[keep], weights[keep]


_LEFT, _WEIGHTS = _tanh_sinh()
_SYMMETRIC = {"t", "gennorm", "vonmises", "dgamma"}   # F(0) = ½ whatever the shape


def _fixed_point(fam, shapes):
    if fam.name in _SYMMETRIC:
        return 0.0
    lo = fam.support(*[concrete(s) for s in shapes])[0] if callable(fam.support) \
        else fam.support[0]
    lo = np.asarray(lo, dtype=float)
    if lo.ndim:
        raise NotImplementedError(f"{fam.name}: a draw's derivative needs one finite lower end "
                                  f"of the support; draw for one parameter value at a time")
    if not np.isfinite(lo):
        raise NotImplementedError(
            f"{fam.name}: a draw's, median's or interval's derivative in {', '.join(fam.refuse)} "
            f"is F(x; θ) = u solved for x, and chainrule has neither ∂F/∂θ nor a finite end of "
            f"the support to integrate the density from; differentiate in loc and scale only, "
            f"or hold those shapes constant (chainrule.stop_gradient)")
    return float(lo)
