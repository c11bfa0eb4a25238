"""``expect(func, args, loc, scale, lb, ub, conditional)``: E[func(X)] for every univariate
distribution, with SciPy's signature, differentiable in the parameters (and in lb, ub): a
continuous one by ``chainrule.scipy.integrate.quad`` of func·pdf (the parameters as quad's
``args``, so their derivatives are integrals again: every order, to quad's tolerance), a
discrete one by the finite sum of func·pmf over the support (to 40 standard deviations past
the mean for an infinite one).

``func`` is written with ``chainrule.numpy`` and takes x alone (SciPy's convention).

>>> import chainrule as cr, chainrule.scipy.stats as cst
>>> round(float(cst.norm.expect(lambda x: x * x, loc=1.0, scale=2.0)), 8)   # μ² + σ²
5.0
>>> round(float(cr.grad(lambda s: cst.norm.expect(lambda x: x * x, scale=s))(2.0)), 6)
4.0
"""

import numpy as np

from .. import numpy as cnp
from ..primitives.scipy_linalg import scipy_module
from .quad import quad
from .stats_methods import SPECS, METHODS, registered
from .stats_sampling import concrete

__all__ = []


def _split(spec, args, loc, scale):
    """SciPy's ``args``: the shapes, then (as a frozen distribution passes them) loc, scale."""
    args = tuple(args) if isinstance(args, (tuple, list)) else (args,)
    n = len(spec.shapes)
    if len(args) < n:
        raise TypeError(f"{spec.name}.expect: args must hold the shapes {spec.shapes}, "
                        f"got {len(args)} value(s)")
    extra = args[n:]
    if extra:
        loc = extra[0]
    if len(extra) > 1 and not spec.discrete:
        scale = extra[1]
    return [np.float64(a) if isinstance(a, (int, float)) else a for a in args[:n]], loc, scale


def _continuous(spec):
    def expect(func=None, args=(), loc=0.0, scale=1.0, lb=None, ub=None, conditional=False,
               **kwds):
        shapes, loc, scale = _split(spec, args, loc, scale)
        lo, hi = spec.bounds([concrete(s) for s in shapes])
        if spec.name in ("vonmises", "vonmises_line"):   # SciPy's: the period of width 2π centred at loc
            lb = loc - np.pi if lb is None else lb
            ub = loc + np.pi if ub is None else ub
        # (an infinite end stays a constant: its "derivative" ±inf times the vanishing
        # integrand would be nan)
        lb = (lo * scale + loc if np.all(np.isfinite(lo)) else lo) if lb is None else lb
        ub = (hi * scale + loc if np.all(np.isfinite(hi)) else hi) if ub is None else ub
        pdf = registered(spec.name, "pdf")
        g = (lambda x: x) if func is None else func
        # (SciPy passes **kwds to quad: epsabs, epsrel, limit, points…; ours are tighter
        # than quad's defaults, for derivatives that are integrals too)
        options = dict(dict(epsabs=1e-13, epsrel=1e-10, limit=200), **kwds)
        value = quad(lambda x, *p: g(x) * pdf(x, *p), lb, ub, args=(*shapes, loc, scale),
                     **options)[0]
        if conditional:
            cdf = registered(spec.name, "cdf")
            value = value / (cdf(ub, *shapes, loc, scale) - cdf(lb, *shapes, loc, scale))
        return value
    return expect


def _discrete(spec):
    def expect(func=None, args=(), loc=0, lb=None, ub=None, conditional=False, maxcount=1000,
               tolerance=1e-10, chunksize=32):
        shapes, loc, _ = _split(spec, args, loc, None)
        cs = [np.asarray(concrete(s), dtype=float) for s in shapes]
        lo, hi = spec.bounds(cs)
        if not (np.all(np.isfinite(lo)) and np.all(np.isfinite(hi))):
            with np.errstate(all="ignore"):
                mean, var = getattr(scipy_module("stats"), spec.name).stats(*cs, moments="mv")
            reach = 40.0 * np.sqrt(var) + 40.0   # the exponential tails hold nothing beyond
            lo = np.where(np.isfinite(lo), lo, np.floor(mean - reach))
            hi = np.where(np.isfinite(hi), hi, np.ceil(mean + reach))
        first = float(np.min(lo)) + float(concrete(loc))
        last = float(np.max(hi)) + float(concrete(loc))
        if lb is not None:
            first = max(first, float(np.ceil(concrete(lb))))
        if ub is not None:
            last = min(last, float(np.floor(concrete(ub))))
        if not np.isfinite(last) or last - first > 1e7:
            raise NotImplementedError(f"{spec.name}.expect: the support is too long to sum; "
                                      f"pass ub")
        k = np.arange(first, last + 1.0)
        pmf = registered(spec.name, "pmf")(k, *shapes, loc)
        g = k if func is None else func(k)
        value = cnp.sum(g * pmf)
        return value / cnp.sum(pmf) if conditional else value
    return expect


for _spec in SPECS.values():
    _fn = _discrete(_spec) if _spec.discrete else _continuous(_spec)
    _fn.__name__ = _fn.__qualname__ = f"{_spec.name}_expect"
    _fn.__doc__ = (f"E[func(X)] under scipy.stats.{_spec.name} (``{_spec.name}.expect``, "
                   f"SciPy's signature), differentiable in the parameters; see "
                   f":mod:`chainrule.scipy.stats_expect`.")
    METHODS[_spec.name]["expect"] = _fn
