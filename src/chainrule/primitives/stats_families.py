"""The shape every ``scipy.stats`` distribution shares, written once: a distribution is
its standard form (functions of z = (x − loc)/scale and the shape parameters), its support
and its parameter domain; :class:`Continuous` and :class:`Discrete` turn that into
SciPy's methods with SciPy's signatures and SciPy's answers at the edges — the density
outside the support is 0 (log-density −inf), the cdf below it 0 and above it 1, the ppf
of 0 and 1 the support's ends, and nan for a nan input, a scale ≤ 0 or a shape outside
the family (SciPy's ``_argcheck``). Every method is differentiable in x and in every
continuous parameter through its formula, except the parameters a family lists in
``refuse`` (an incomplete integral's shape), which raise
:class:`~chainrule.primitives.special_functions.UnsupportedDerivativeError`.

The branches ``where`` discards are fed an interior point, so that their derivative
(multiplied by where's zero) meets no inf.

>>> import chainrule as cr
>>> demo = Continuous("demo_expon", logpdf=lambda z: -z, cdf=lambda z: -E.expm1(-z),
...                   support=(0.0, np.inf), example=(1.0,), register=False)
>>> float(demo.methods["cdf"](0.0)), float(cr.grad(demo.methods["logpdf"], 2)(1.0, 0.0, 2.0))
(0.0, -0.25)
"""

import inspect

import numpy as np

from . import elementwise as E
from ..core.registry import COMPOSITE, NONDIFF, VALUE_ONLY, FIRST_ORDER
from .stats import stat, constant_parameter, _std

__all__ = ["Continuous", "Discrete", "FAMILIES"]

#: name -> the Continuous or Discrete built (read by the rule tests).
FAMILIES = {}
#: the generated methods, so that ``--doctest-modules`` runs their examples (doctest reads
#: a module's ``__test__``; the functions are made here but run elsewhere).
__test__ = {}

_TITLES = {
    "logpdf": "log of the density", "pdf": "density", "logpmf": "log of the probability",
    "pmf": "probability", "cdf": "distribution function", "logcdf": "log of the cdf",
    "sf": "survival function 1 − cdf", "logsf": "log of the survival function",
    "ppf": "quantile function (inverse cdf)", "isf": "inverse survival function",
}
_CDF_LIKE = ("cdf", "logcdf", "sf", "logsf", "ppf", "isf")


def _all_positive(*shapes):
    ok = True
    for s in shapes:
        ok = E.logical_and(ok, E.greater(s, 0))
    return ok


def _constant(v):
    return isinstance(v, (int, float, np.floating))


def _interior(lo, hi):
    """A point inside [lo, hi] (no derivative: only discarded branches read it); in Python
    for a fixed support (most), as few operations as possible in the rule tests' loops."""
    if _constant(lo) and _constant(hi):
        lo_f, hi_f = np.isfinite(lo), np.isfinite(hi)
        return (0.5 * (lo + hi) if lo_f and hi_f else lo + 1.0 if lo_f else
                hi - 1.0 if hi_f else 0.0)
    lo, hi = E.stop_gradient(lo), E.stop_gradient(hi)
    both = E.logical_and(E.isfinite(lo), E.isfinite(hi))
    lo_f = E.where(E.isfinite(lo), lo, 0.0)
    hi_f = E.where(E.isfinite(hi), hi, 0.0)
    one_side = E.where(E.isfinite(lo), lo_f + 1.0, E.where(E.isfinite(hi), hi_f - 1.0, 0.0))
    return E.where(both, 0.5 * (lo_f + hi_f), one_side)


def _log_smaller(p, other):
    """log p, as log1p(−other) where p > 1/2 (p = 1 − other): accurate where p is near 1."""
    low = E.less(p, 0.5)
    return E.where(low, E.log(E.where(low, p, 0.5)), E.log1p(E.negative(E.where(low, 0.5, other))))


class _Family:
    """What Continuous and Discrete share: the signature, the checks, the registration."""
    first = "x"
    methods_order = ()

    def __init__(self, name, shapes, support, valid, refuse, example, register, kind=COMPOSITE,
                 refuse_density=(), value_only=(), first_order=()):
        self.kind = kind
        # methods whose every argument is refused (SciPy's value, no derivative at all), and
        # those differentiable once (SciPy's value, whose derivative is a value-only density)
        self.value_only = tuple(value_only)
        self.first_order = tuple(first_order)
        self.refuse_density = tuple(refuse_density)
        self.name, self.shapes = name, tuple(shapes.split()) if isinstance(shapes, str) else shapes
        self.support = support
        self.valid = valid or _all_positive
        self.refuse, self.example = tuple(refuse), example
        self.methods = {}
        for method in self.methods_order:
            impl = getattr(self, "_" + method, None)
            if impl is not None and self._has(method) and method not in self.existing:
                self.methods[method] = self._export(method, impl, register)
        if register:
            FAMILIES[name] = self

    def _bounds(self, shapes):
        return self.support(*shapes) if callable(self.support) else self.support

    def _checked(self, out, z, shapes):
        """nan for a nan input (or scale ≤ 0, which made z nan) and for shapes outside the
        family (every ``valid`` is False at a nan shape)."""
        bad = E.isnan(z)
        if shapes:
            bad = E.logical_or(bad, E.logical_not(self.valid(*shapes)))
        return E.where(bad, np.nan, out)

    def _signature(self, method):
        first = "q" if method in ("ppf", "isf") else self.first
        params = [inspect.Parameter(n, inspect.Parameter.POSITIONAL_OR_KEYWORD)
                  for n in (first,) + self.shapes]
        params += [inspect.Parameter(n, inspect.Parameter.POSITIONAL_OR_KEYWORD, default=d)
                   for n, d in self.defaults]
        return inspect.Signature(params)

    def _export(self, method, impl, register):
        sig = self._signature(method)
        name, shapes, refused = self.name, self.shapes, self.refuse

        def fn(*args, **kwargs):
            try:
                bound = sig.bind(*args, **kwargs)
            except TypeError as e:   # say which function, and its signature, as SciPy does
                raise TypeError(f"{name}.{method}{sig}: {e}") from None
            bound.apply_defaults()
            # Python numbers as NumPy's: float semantics (x/0 is inf, never ZeroDivisionError)
            a = {k: np.float64(v) if isinstance(v, (int, float)) else v
                 for k, v in bound.arguments.items()}
            if self.kind == NONDIFF:   # an untraced answer, as every zero-derivative function
                a = {k: E.stop_gradient(v) for k, v in a.items()}
            for s in (refused if method in _CDF_LIKE else self.refuse_density):
                constant_parameter(a[s], f"{name}.{method}", s)
            rest = [a[n] for n, _ in self.defaults]
            return impl(a[next(iter(a))], [a[s] for s in shapes], *rest)

        fn.__name__ = fn.__qualname__ = f"{name}_{method}"
        fn.__signature__ = sig
        fn.__doc__ = self._doc(method, sig)
        if not register:
            return fn
        fn = stat(f"{name}.{method}",
                  kind=VALUE_ONLY if method in self.value_only else self.kind,
                  family=FIRST_ORDER if method in self.first_order else None)(fn)
        __test__[fn.__name__] = fn
        return fn

    def _doc(self, method, sig):
        first = 0.3 if method in ("ppf", "isf") else self.example[0]
        args = ", ".join(repr(v) for v in (first,) + tuple(self.example[1:]))
        refused = [s for s in self.refuse if method in _CDF_LIKE] or list(self.refuse_density)
        how = ("no argument has a derivative" if self.kind == NONDIFF else
               f"differentiable in every argument but {', '.join(refused)} (its derivative "
               f"has no closed form: a traced {refused[0]} raises)" if refused else
               "differentiable in every continuous argument")
        return (f"{_TITLES[method].capitalize()} of scipy.stats.{self.name}: "
                f"``{self.name}.{method}{sig}``, SciPy's values; {how}.\n\n"
                f"    >>> import chainrule.scipy.stats as cst, scipy.stats\n"
                f"    >>> args = ({args},)\n"
                f"    >>> bool(np.isclose(cst.{self.name}.{method}(*args), "
                f"scipy.stats.{self.name}.{method}(*args), rtol=1e-12, atol=0))\n"
                f"    True\n")


class Continuous(_Family):
    """A continuous distribution with loc and scale, from its standard form.

    ``logpdf(z, *shapes)`` is required; ``cdf``, ``sf``, ``logcdf``, ``logsf``, ``ppf``
    and ``isf`` are optional (SciPy's generic fallbacks fill the gaps: sf = 1 − cdf,
    logcdf = log cdf, isf(q) = ppf(1 − q)…; a method with no formula is not exported).
    ``support``: (lo, hi) or a function of the shapes; ``open_support``: the density is 0
    at the ends too (SciPy's ``_open_support_mask``); ``valid``: the shapes' domain
    (default: all > 0); ``refuse``: shapes whose derivative the cdf-like methods lack
    (``refuse_density``: the density too, as a noncentral distribution's degrees of freedom);
    ``existing``: methods written elsewhere (chainrule.primitives.stats), not exported again.

    >>> sorted(FAMILIES["gumbel_r"].methods)
    ['cdf', 'isf', 'logcdf', 'logpdf', 'logsf', 'pdf', 'ppf', 'sf']
    """
    methods_order = ("logpdf", "pdf", "cdf", "logcdf", "sf", "logsf", "ppf", "isf")
    defaults = (("loc", 0.0), ("scale", 1.0))

    def __init__(self, name, shapes=(), *, logpdf, cdf=None, sf=None, logcdf=None, logsf=None,
                 ppf=None, isf=None, support=(-np.inf, np.inf), open_support=False, valid=None,
                 refuse=(), example=(0.5,), register=True, existing=(), refuse_density=(),
                 value_only=(), first_order=()):
        self.existing = tuple(existing)
        self.f = dict(logpdf=logpdf, cdf=cdf, sf=sf, logcdf=logcdf, logsf=logsf, ppf=ppf,
                      isf=isf)
        if sf is None and cdf is not None:
            self.f["sf"] = lambda z, *s: 1.0 - cdf(z, *s)
        if cdf is not None:   # SciPy's generic logs: of the smaller of cdf and sf
            if logcdf is None:
                self.f["logcdf"] = lambda z, *s: _log_smaller(cdf(z, *s), self.f["sf"](z, *s))
            if logsf is None:
                self.f["logsf"] = lambda z, *s: _log_smaller(self.f["sf"](z, *s), cdf(z, *s))
        if isf is None and ppf is not None:
            self.f["isf"] = lambda q, *s: ppf(1.0 - q, *s)
        self.open_support = open_support
        super().__init__(name, shapes, support, valid, refuse, example, register,
                         refuse_density=refuse_density, value_only=value_only,
                         first_order=first_order)

    def _has(self, method):
        return self.f["logpdf" if method == "pdf" else method] is not None

    def _inside(self, z, lo, hi, finite=False):
        """z within the support, open or closed as the density's (None: everywhere, a
        fixed support of all the reals closed at ±inf); an end at ±inf is not compared.
        ``finite``: and z finite, so that the cdf-like methods give ±inf their limits."""
        open_ = self.open_support
        above, below = (E.greater, E.less) if open_ else (E.greater_equal, E.less_equal)
        tests = [E.isfinite(z)] if finite else []
        tests += [cmp(z, end) for cmp, end in ((above, lo), (below, hi))
                  if not (_constant(end) and np.isinf(end) and (finite or not open_))]
        if not tests:
            return None
        inside = tests[0]
        for t in tests[1:]:
            inside = E.logical_and(inside, t)
        return inside

    def _logpdf(self, x, shapes, loc, scale):
        z = _std(x, loc, scale)
        lo, hi = self._bounds(shapes)
        inside = self._inside(z, lo, hi)
        if inside is None:
            return self._checked(self.f["logpdf"](z, *shapes) - E.log(scale), z, shapes)
        zs = E.where(inside, z, _interior(lo, hi))
        out = E.where(inside, self.f["logpdf"](zs, *shapes) - E.log(scale), -np.inf)
        return self._checked(out, z, shapes)

    def _pdf(self, x, shapes, loc, scale):
        return E.exp(self._logpdf(x, shapes, loc, scale))

    def _tail(self, method, below, above, x, shapes, loc, scale):
        """A cdf-like method: its formula on the support (closed ends as the density's: the
        derivative at an end is the one from inside, the density there), ``below``/``above``
        beyond the ends and at ±inf."""
        z = _std(x, loc, scale)
        lo, hi = self._bounds(shapes)
        inside = self._inside(z, lo, hi, finite=True)
        zs = E.where(inside, z, _interior(lo, hi))
        edge = E.where(E.less_equal(z, lo), below, above)
        return self._checked(E.where(inside, self.f[method](zs, *shapes), edge), z, shapes)

    def _cdf(self, x, shapes, loc, scale):
        return self._tail("cdf", 0.0, 1.0, x, shapes, loc, scale)

    def _logcdf(self, x, shapes, loc, scale):
        return self._tail("logcdf", -np.inf, 0.0, x, shapes, loc, scale)

    def _sf(self, x, shapes, loc, scale):
        return self._tail("sf", 1.0, 0.0, x, shapes, loc, scale)

    def _logsf(self, x, shapes, loc, scale):
        return self._tail("logsf", 0.0, -np.inf, x, shapes, loc, scale)

    def _quantile(self, method, q, shapes, loc, scale):
        lo, hi = self._bounds(shapes)
        at0, at1 = (lo, hi) if method == "ppf" else (hi, lo)
        inside = E.logical_and(E.greater(q, 0), E.less(q, 1))
        qs = E.where(inside, q, 0.5)
        edge = E.where(E.equal(q, 0), at0, E.where(E.equal(q, 1), at1, np.nan))
        out = loc + scale * E.where(inside, self.f[method](qs, *shapes), edge)
        return self._checked(out, E.where(E.greater(scale, 0), q, np.nan), shapes)

    def _ppf(self, q, shapes, loc, scale):
        return self._quantile("ppf", q, shapes, loc, scale)

    def _isf(self, q, shapes, loc, scale):
        return self._quantile("isf", q, shapes, loc, scale)


class Discrete(_Family):
    """A discrete distribution with loc, from its ``logpmf(k, *shapes)`` (and optionally
    ``cdf``/``sf`` at integer k), as SciPy's rv_discrete: the pmf is 0 at a fractional k
    or outside the support, the cdf is taken at ⌊k − loc⌋.

    >>> sorted(FAMILIES["geom"].methods)
    ['cdf', 'logpmf', 'pmf', 'sf']
    """
    first = "k"
    methods_order = ("logpmf", "pmf", "cdf", "sf")
    defaults = (("loc", 0.0),)

    def __init__(self, name, shapes=(), *, logpmf, cdf=None, sf=None, support=(0.0, np.inf),
                 valid=None, refuse=(), example=(1.0,), register=True, kind=COMPOSITE,
                 refuse_density=(), value_only=(), first_order=()):
        self.existing = ()
        self.f = dict(logpmf=logpmf, cdf=cdf,
                      sf=sf if sf is not None or cdf is None else (lambda k, *s: 1.0 - cdf(k, *s)))
        super().__init__(name, shapes, support, valid, refuse, example, register, kind,
                         refuse_density, value_only, first_order)

    def _has(self, method):
        return self.f["logpmf" if method == "pmf" else method] is not None

    def _logpmf(self, k, shapes, loc):
        k = k - loc
        lo, hi = self._bounds(shapes)
        ok = E.logical_and(E.equal(k, E.floor(k)),
                           E.logical_and(E.greater_equal(k, lo), E.less_equal(k, hi)))
        ks = E.where(ok, k, E.floor(_interior(lo, hi)))
        return self._checked(E.where(ok, self.f["logpmf"](ks, *shapes), -np.inf), k, shapes)

    def _pmf(self, k, shapes, loc):
        return E.exp(self._logpmf(k, shapes, loc))

    def _tail(self, method, below, above, k, shapes, loc):
        k = E.floor(k - loc)
        lo, hi = self._bounds(shapes)
        # (±inf: the limits, also where the support is all the integers)
        inside = E.logical_and(E.logical_and(E.greater_equal(k, lo), E.less(k, hi)),
                               E.isfinite(k))
        ks = E.where(inside, k, E.floor(_interior(lo, hi)))
        edge = E.where(E.logical_or(E.less(k, lo), E.equal(k, -np.inf)), below, above)
        return self._checked(E.where(inside, self.f[method](ks, *shapes), edge), k, shapes)

    def _cdf(self, k, shapes, loc):
        return self._tail("cdf", 0.0, 1.0, k, shapes, loc)

    def _sf(self, k, shapes, loc):
        return self._tail("sf", 1.0, 0.0, k, shapes, loc)
