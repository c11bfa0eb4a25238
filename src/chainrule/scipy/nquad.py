"""``scipy.integrate.nquad``, ``dblquad`` and ``tplquad`` (needs the ``scipy`` extra):
multiple integrals as SciPy computes them, one :func:`~chainrule.scipy.quad.quad` inside
another, so they are differentiable wherever ``quad`` is: in the limits (constants or
functions of the outer variables), in ``args``, and in values the integrand closes over.

The nesting, the order of the variables and the error estimate (the largest of the nested
quads' estimates, on plain values) are SciPy's own (``scipy.integrate.nquad``'s recursion), so on plain
values the results are SciPy's.

>>> import numpy as np, chainrule as cr
>>> area = lambda r: dblquad(lambda y, x: 1.0, 0.0, r, 0.0, lambda x: x * x / r)[0]
>>> round(float(area(2.0)), 8), round(float(cr.grad(area)(2.0)), 8)   # r²/3 and 2r/3
(1.33333333, 1.33333333)
"""

from ..core.primitive import Tracer
from ..core.registry import INTEGRATE, FIRST_ORDER
from ..primitives.declare import export
from .quad import quad

__all__ = ["nquad", "dblquad", "tplquad"]


def _as_range(r):
    return r if callable(r) else (lambda *args: r)


def _as_options(o):
    return o if callable(o) else (lambda *args: o)


@export(namespace=INTEGRATE, family=FIRST_ORDER)  # (tested to first order: see the rule tests)
def nquad(func, ranges, args=None, opts=None, full_output=False):
    """∫…∫ func(x0, …, xn, *args) over ``ranges`` (``ranges[0]`` the innermost, for x0: a
    pair, or a function of the outer variables and ``args`` giving one), SciPy's
    ``nquad``; returns ``(value, abserr)``. ``abserr`` is SciPy's (the largest estimate of all
    the nested quadratures) on plain values; under a transformation (grad, jit, vmap) it is
    the outer quadrature's estimate, which jit replays exactly.

    >>> import numpy as np, chainrule as cr
    >>> f = lambda s: nquad(lambda x, y, s: np.exp(-s * (x * x + y * y)), [(0, 1), (0, 1)],
    ...                     args=(s,))[0]
    >>> round(float(f(1.0)), 8), round(float(cr.grad(f)(1.0)), 8)
    (0.55774629, -0.28300504)
    """
    if full_output:
        raise NotImplementedError("chainrule.scipy.integrate.nquad: full_output (SciPy's "
                                  "count of evaluations) is not supported; call "
                                  "scipy.integrate.nquad on plain values for it")
    depth = len(ranges)
    ranges = [_as_range(r) for r in ranges]
    args = () if args is None else tuple(args)
    if opts is None:
        opts = [{}] * depth
    opts = [_as_options(opts)] * depth if isinstance(opts, dict) else \
        [_as_options(o) for o in opts]
    inner_errors = []  # the nested quads' estimates, on plain values

    def level(index):
        """The function integrating at nesting ``index`` (0: outermost) over its range.

        Each level closes over the callables it needs directly (not through a list), so
        that quad's closure lifting finds values being differentiated that a range or the
        integrand closes over."""
        rng, opt = ranges[-(index + 1)], opts[-(index + 1)]
        if index + 1 == depth:
            inner = func
        else:
            deeper = level(index + 1)

            def inner(x, *rest):
                return deeper(x, *rest)

        def integrate(*outer):
            # SciPy's _NQuad.integrate: the range and options of this level
            low, high = rng(*outer)
            options = dict(opt(*outer))
            if "points" in options:
                options["points"] = [x for x in options["points"] if low <= x <= high]
            value, abserr = quad(inner, low, high, args=outer, **options)
            if index and not isinstance(abserr, Tracer):
                inner_errors.append(float(abserr))
            return value, abserr
        return integrate if index == 0 else (lambda *outer: integrate(*outer)[0])

    value, abserr = level(0)(*args)
    if isinstance(value, Tracer) or isinstance(abserr, Tracer):
        # Under a transformation the estimate is the outer quadrature's: the nested ones are
        # computed inside SciPy's calls, where jit could not replay them (see the docstring).
        return value, abserr
    return value, max([float(abserr)] + inner_errors)  # SciPy's: the largest of them all


@export(namespace=INTEGRATE, family=FIRST_ORDER)  # (tested to first order: see the rule tests)
def dblquad(func, a, b, gfun, hfun, args=(), epsabs=1.49e-8, epsrel=1.49e-8):
    """∫ₐᵇ ∫_{g(x)}^{h(x)} func(y, x) dy dx (SciPy's ``dblquad``: the inner variable first;
    ``gfun``/``hfun`` numbers or functions of x); returns ``(value, abserr)``.

    >>> import numpy as np, chainrule as cr
    >>> g = cr.grad(lambda c: dblquad(lambda y, x: c * x * y, 0, 1, 0, 2)[0])(3.0)
    >>> round(float(g), 10)       # ∫₀¹∫₀² xy dy dx
    1.0
    """
    def inner(*outer):
        x = outer[0]
        return [gfun(x) if callable(gfun) else gfun, hfun(x) if callable(hfun) else hfun]

    return nquad(func, [inner, [a, b]], args=args,
                 opts={"epsabs": epsabs, "epsrel": epsrel})


@export(namespace=INTEGRATE, family=FIRST_ORDER)  # (tested to first order: see the rule tests)
def tplquad(func, a, b, gfun, hfun, qfun, rfun, args=(), epsabs=1.49e-8, epsrel=1.49e-8):
    """∫ₐᵇ ∫_{g(x)}^{h(x)} ∫_{q(x,y)}^{r(x,y)} func(z, y, x) dz dy dx (SciPy's
    ``tplquad``); returns ``(value, abserr)``.

    >>> import numpy as np, chainrule as cr
    >>> vol = lambda s: tplquad(lambda z, y, x: 1.0, 0, s, 0, s, 0, s)[0]
    >>> round(float(vol(2.0)), 10), round(float(cr.grad(vol)(2.0)), 8)     # s³, 3s²
    (8.0, 12.0)
    """
    def innermost(*outer):
        y, x = outer[0], outer[1]
        return [qfun(x, y) if callable(qfun) else qfun, rfun(x, y) if callable(rfun) else rfun]

    def middle(*outer):
        x = outer[0]
        return [gfun(x) if callable(gfun) else gfun, hfun(x) if callable(hfun) else hfun]

    return nquad(func, [innermost, middle, [a, b]], args=args,
                 opts={"epsabs": epsabs, "epsrel": epsrel})
