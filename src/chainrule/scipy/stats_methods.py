"""The ``scipy.stats`` distributions' methods beyond densities and cdfs — ``mean``, ``var``,
``std``, ``median``, ``entropy``, ``stats``, ``moment``, ``interval``, ``support``, ``rvs``
and ``fit`` — with SciPy's signatures and values, registered as ``<name>.<method>`` in
``chainrule.scipy.stats`` (and so on every frozen distribution).

- Moments and entropies are the closed forms of :mod:`chainrule.scipy.stats_moments`, moved
  by loc and scale; differentiable in every continuous parameter, to every order. Without a
  closed form, SciPy's value for untraced arguments; a traced one raises
  UnsupportedDerivativeError saying what to do.
- ``median`` and ``interval`` are the ppf at ½ and at (1 ∓ confidence)/2 (SciPy's own
  definitions); where chainrule has no ppf, SciPy's numerical quantile, differentiated
  implicitly (:mod:`chainrule.scipy.stats_sampling`).
- ``rvs`` is SciPy's draw, bit for bit (the same ``random_state``), differentiable in the
  continuous parameters by implicit reparameterization: z·scale + loc with z the standard
  draw, moved with the shapes so that its probability F(z; θ) stays fixed. A discrete draw
  is piecewise constant in its parameters: its derivative is zero.
- Discrete ``median``/``interval`` are SciPy's (integers: zero derivative).
- ``fit`` is SciPy's, value only.

>>> import chainrule as cr, chainrule.scipy.stats as cst
>>> float(cst.gamma.mean(3.0, scale=2.0)), float(cr.grad(cst.norm.entropy, 1)(0.0, 2.0))
(6.0, 0.5)
"""

import inspect

import numpy as np

from .. import numpy as cnp
from ..core.primitive import Tracer, concrete_value
from ..core import registry
from ..core.registry import STATS, COMPOSITE, NONDIFF
from ..primitives.util import numpy_scalar
from ..primitives.stats_families import FAMILIES, Continuous
from ..primitives.special_functions import UnsupportedDerivativeError
from ..primitives.scipy_linalg import scipy_module
from .stats_moments import STANDARD, raw_to_mvsk
from .stats_sampling import moved_point, concrete, refuse_batched

__all__ = ["SPECS", "METHODS", "registered", "closed_form"]


class _Spec:
    """What the methods need of a distribution: its shapes, domain, support, ppf."""

    def __init__(self, name, shapes, discrete, valid, support, ppf=None, family=None,
                 kind=COMPOSITE):
        self.name, self.shapes, self.discrete = name, tuple(shapes), discrete
        self.valid, self.support, self.ppf, self.family, self.kind = valid, support, ppf, \
            family, kind

    def bounds(self, shapes):
        return self.support(*shapes) if callable(self.support) else self.support


def _from_family(fam):
    return _Spec(fam.name, fam.shapes, not isinstance(fam, Continuous), fam.valid, fam.support,
                 registered(fam.name, "ppf"), fam, fam.kind)


def registered(name, method):
    """The registered ``name.method`` (norm.ppf, poisson.logpmf… are written in
    primitives/stats.py, not as families), or None."""
    entry = registry.entries(STATS).get(f"{name}.{method}")
    return entry.obj if entry is not None else None


def _probability(p):
    return cnp.logical_and(p >= 0, p <= 1)


SPECS = {name: _from_family(fam) for name, fam in FAMILIES.items()}
SPECS.update({   # the discrete distributions written by hand in primitives/stats.py
    "poisson": _Spec("poisson", ("mu",), True, lambda mu: mu >= 0, (0.0, np.inf)),
    "binom": _Spec("binom", ("n", "p"), True,
                   lambda n, p: cnp.logical_and(n >= 0, _probability(p)), lambda n, p: (0.0, n)),
    "bernoulli": _Spec("bernoulli", ("p",), True, _probability, (0.0, 1.0)),
    "nbinom": _Spec("nbinom", ("n", "p"), True,
                    lambda n, p: cnp.logical_and(n > 0, cnp.logical_and(p > 0, p <= 1)),
                    (0.0, np.inf)),
})


# ---- the values ------------------------------------------------------------------------------
class _NoClosedForm(Exception):
    """Raised inside a method that has no closed form here; :func:`_make` answers with SciPy's
    value for untraced arguments and :func:`_refused` for traced ones."""

    def __init__(self, spec, what):
        super().__init__(what)
        self.spec, self.what = spec, what


def _no_closed_form(spec, what):
    return _NoClosedForm(spec, what)


def _refused(spec, what):
    how = ("sum entr(pmf(k)) over the support yourself" if spec.discrete and what == "entropy"
           else "sum pmf(k)·(…) over the support with chainrule.numpy"
           if spec.discrete else "integrate it with chainrule.scipy.integrate.quad over "
                                 "pdf(x)·(…) — differentiable in the parameters —")
    return UnsupportedDerivativeError(
        f"chainrule.scipy.stats.{spec.name}.{what}: no closed form here (untraced arguments "
        f"give SciPy's value, computed by SciPy's own formula, series or quadrature), so "
        f"no derivative; to differentiate, {how} or wrap the arguments in "
        f"chainrule.stop_gradient")


def _traced(values):
    return any(isinstance(v, Tracer) or (isinstance(v, (list, tuple)) and _traced(v))
               for v in values)


def _scipy_value(spec, method, bound):
    """SciPy's own answer, for a method chainrule has no closed form of (values only)."""
    a = dict(bound.arguments)
    first = [a.pop(_FIRST[method])] if method in _FIRST else []
    shapes = [a.pop(n) for n in spec.shapes]
    with np.errstate(all="ignore"):
        out = getattr(getattr(scipy_module("stats"), spec.name), method)(*first, *shapes, **a)
    return _scalars(tuple(out)) if isinstance(out, tuple) else _scalars(out)


def _standard_mvsk(spec, shapes):
    table = STANDARD.get(spec.name, {})
    if "mvsk" in table:
        return table["mvsk"](*shapes)
    if "munp" in table:
        return raw_to_mvsk(*(table["munp"](n, *shapes) for n in (1, 2, 3, 4)))
    raise _no_closed_form(spec, "stats")


def _standard_moment(spec, n, shapes):
    """E[Zⁿ] of the standard form: SciPy's order of preference (its _stats for n ≤ 4, then
    its _munp), but the raw moment itself for n = 3, 4 where there is one (an infinite
    moment, not the nan of an undefined skewness)."""
    table = STANDARD.get(spec.name, {})
    if n == 0:
        return 1.0
    if n == 1 and "mean" in table:
        return table["mean"](*shapes)
    if n <= 4 and "mvsk" in table and not (n >= 3 and "munp" in table):
        mu, mu2, g1, g2 = table["mvsk"](*shapes)
        mu3 = g1 * mu2 ** 1.5
        return {1: mu, 2: mu2 + mu * mu, 3: mu3 + 3 * mu * mu2 + mu ** 3,
                4: (g2 + 3.0) * mu2 ** 2 + 4 * mu * mu3 + 6 * mu * mu * mu2 + mu ** 4}[n]
    if "munp" in table:
        return table["munp"](n, *shapes)
    raise _no_closed_form(spec, f"moment({n})")


def _nan_unless(ok, value):
    return cnp.where(ok, value, np.nan)


def _ok(spec, shapes, scale):
    ok = spec.valid(*shapes) if shapes else True
    return cnp.logical_and(ok, scale > 0) if scale is not None else ok


def _stats(spec, shapes, loc, scale, moments="mv"):
    if not set(moments) <= set("mvsk"):
        raise ValueError(f"{spec.name}.stats: moments={moments!r}: use letters of 'mvsk'")
    ok = _ok(spec, shapes, scale)
    scale_ = 1.0 if scale is None else scale
    if moments == "m" and "mean" in STANDARD.get(spec.name, {}):
        m = STANDARD[spec.name]["mean"](*shapes)
        return _nan_unless(ok, loc + scale_ * m)
    mu, mu2, g1, g2 = _standard_mvsk(spec, shapes)
    out = {"m": loc + scale_ * mu, "v": scale_ * scale_ * mu2, "s": g1, "k": g2}
    values = tuple(_nan_unless(ok, out[c] + 0.0 * loc) for c in "mvsk" if c in moments)
    return values[0] if len(values) == 1 else values


def _mean(spec, shapes, loc, scale):
    return _stats(spec, shapes, loc, scale, "m")


def _var(spec, shapes, loc, scale):
    return _stats(spec, shapes, loc, scale, "v")


def _std(spec, shapes, loc, scale):
    return cnp.sqrt(_var(spec, shapes, loc, scale))


def _entropy(spec, shapes, loc, scale):
    table = STANDARD.get(spec.name, {})
    if "entropy" in table:
        h = table["entropy"](*shapes)
    elif spec.discrete and spec.name not in _HEAVY_TAILED:
        h = _discrete_entropy(spec, shapes)
    else:
        raise _no_closed_form(spec, "entropy")
    if scale is not None:
        h = h + cnp.log(scale)
    return _nan_unless(_ok(spec, shapes, scale), h + 0.0 * loc)


def _discrete_entropy(spec, shapes):
    """Σ −p log p over the support, to its end or, for an infinite one, to 40 standard
    deviations past the mean (the exponential tails of poisson, nbinom, logser hold nothing
    measurable beyond): a finite sum, differentiable in the shapes."""
    st = getattr(scipy_module("stats"), spec.name)
    cs = [np.asarray(concrete(s), dtype=float) for s in shapes]
    with np.errstate(all="ignore"):
        mean, var = st.stats(*cs, moments="mv")
        ends = np.asarray(mean + 40.0 * np.sqrt(var) + 40.0, dtype=float)
        if spec.bounds(cs)[1] is not np.inf:   # a finite support: all of it
            ends = np.asarray(spec.bounds(cs)[1], dtype=float)
        valid = np.asarray(spec.valid(*cs), dtype=bool) & ~np.isnan(ends)
        # (parameters outside the family: nan in the end, whatever the sum)
        top = float(np.max(np.where(valid, ends, 0.0))) if np.any(valid) else 0.0
        bottom = 0.0
        if np.isneginf(spec.bounds(cs)[0]):   # (skellam: as far below the mean)
            starts = np.asarray(mean - 40.0 * np.sqrt(var) - 40.0, dtype=float)
            bottom = float(np.floor(np.min(np.where(valid, starts, 0.0)))) if np.any(valid) \
                else 0.0
    if not np.isfinite(top) or not np.isfinite(bottom) or top - bottom > 1e7:
        raise _no_closed_form(spec, "entropy")
    k = np.arange(bottom, top + 1.0).reshape((-1,) + (1,) * np.broadcast(*cs).ndim)
    lp = registered(spec.name, "logpmf")(k, *shapes)
    # (terms below e^−300 add nothing; their second derivatives, through the square of an
    # underflowing Bessel function in skellam's, would be inf)
    inside = lp > -300.0
    p = cnp.exp(lp)
    return cnp.sum(cnp.where(inside, -p * cnp.where(inside, lp, 0.0), 0.0), axis=0)


def _moment(spec, order, shapes, loc, scale):
    n = int(concrete(order))
    if n != concrete(order) or n < 0:
        raise ValueError(f"{spec.name}.moment: order must be a non-negative integer, "
                         f"not {order!r}")
    scale_ = 1.0 if scale is None else scale
    out = 0.0
    for k in range(n + 1):   # E[(loc + scale Z)ⁿ] = Σ C(n, k) locⁿ⁻ᵏ scaleᵏ E[Zᵏ]
        term = float(np.prod(np.arange(n - k + 1, n + 1)) / np.prod(np.arange(1, k + 1)))
        out = out + term * loc ** (n - k) * scale_ ** k * _standard_moment(spec, k, shapes)
    return _nan_unless(_ok(spec, shapes, scale), out)


def _quantile(spec, q, shapes, loc, scale):
    """The ppf at q: chainrule's where it has one (with a traced shape whose derivative
    the ppf refuses, its value at the concrete shapes, differentiated implicitly), else
    SciPy's value differentiated implicitly (continuous), or SciPy's (discrete: an
    integer, zero derivative)."""
    refuse = spec.family.refuse if spec.family is not None else ()
    if spec.ppf is not None and any(isinstance(v, Tracer) for v, n in zip(shapes, spec.shapes)
                                    if n in refuse):
        if isinstance(q, Tracer):
            raise NotImplementedError(
                f"{spec.name}: a quantile traced in both the probability and {refuse} is not "
                f"supported; pass a constant probability")
        z0 = np.asarray(spec.ppf(q, *[concrete(v) for v in shapes], 0.0, 1.0))
        return moved_point(spec.family, z0, tuple(shapes)) * scale + loc
    if spec.ppf is not None:
        return spec.ppf(q, *shapes, loc, scale) if not spec.discrete else \
            spec.ppf(q, *shapes, loc)
    st = getattr(scipy_module("stats"), spec.name)
    cs = [concrete(s) for s in shapes]
    with np.errstate(all="ignore"):
        if spec.discrete:
            return st.ppf(concrete(q), *cs, loc=concrete(loc))
        if isinstance(q, Tracer):
            raise NotImplementedError(
                f"{spec.name}: the quantile's derivative in the probability is 1/pdf; chainrule "
                f"has no ppf for {spec.name}, so pass a constant probability")
        z0 = st.ppf(q, *cs)
    z = moved_point(spec.family, z0, tuple(shapes))
    return z * scale + loc


def _median(spec, shapes, loc, scale):
    return _quantile(spec, 0.5, shapes, loc, scale)


def _interval(spec, confidence, shapes, loc, scale):
    q1, q2 = (1.0 - confidence) / 2, (1.0 + confidence) / 2
    return _quantile(spec, q1, shapes, loc, scale), _quantile(spec, q2, shapes, loc, scale)


def _support(spec, shapes, loc, scale):
    lo, hi = spec.bounds(shapes)
    ok = _ok(spec, shapes, scale)
    if scale is None:
        return _nan_unless(ok, lo + loc), _nan_unless(ok, hi + loc)
    return _nan_unless(ok, lo * scale + loc), _nan_unless(ok, hi * scale + loc)


def _rvs(spec, shapes, loc, scale, size=None, random_state=None):
    refuse_batched(f"{spec.name}.rvs", *shapes, loc, scale)
    st = getattr(scipy_module("stats"), spec.name)
    cs = [concrete(v) for v in shapes]   # (the draw depends on them: jit guards them)
    if size is None:   # SciPy's: the parameters' broadcast shape
        size = np.broadcast_shapes(*(np.shape(v) for v in cs), cnp.shape(loc),
                                   *([] if scale is None else [cnp.shape(scale)]))
    if spec.discrete:   # integers, piecewise constant in the parameters: derivative 0
        return st.rvs(*cs, loc=concrete(loc), size=size, random_state=random_state)
    # SciPy's check, which the standard draw below does not see (under jit a decision
    # guarded as such, not a value: loc and scale only move the draw)
    if not concrete_value(cnp.all(cnp.asarray(scale) >= 0), "bool"):
        raise ValueError(
            f"Domain error in arguments. The `scale` parameter must be positive for all "
            f"distributions, and many distributions have restrictions on shape parameters. "
            f"Please see the `scipy.stats.{spec.name}` documentation for details.")
    z0 = st.rvs(*cs, size=size, random_state=random_state)   # SciPy's standard draw
    z = moved_point(spec.family, z0, tuple(shapes))
    out = z * scale + loc    # SciPy's own last step, vals * scale + loc: the same bits
    if spec.name in ("vonmises", "vonmises_line"):   # SciPy wraps its draws into [−π, π)
        out = cnp.mod(out + np.pi, 2 * np.pi) - np.pi
    elif spec.name == "wrapcauchy":   # and these into [0, 2π)
        out = cnp.mod(out, 2 * np.pi)
    return out


def _fit(spec, data, *args, **kwds):
    values = [data, *args, *kwds.values()]
    if any(isinstance(v, Tracer) for v in values) or any(
            isinstance(v, (list, tuple)) and any(isinstance(e, Tracer) for e in v)
            for v in values):
        raise TypeError(
            f"chainrule.scipy.stats.{spec.name}.fit is SciPy's fit, values only: it has no "
            f"derivative. To differentiate a fit, maximise the log-likelihood "
            f"cst.{spec.name}.{'logpmf' if spec.discrete else 'logpdf'}(data, ...).sum() with "
            f"chainrule's gradients (or differentiate its optimality condition implicitly), "
            f"or call fit on cr.stop_gradient(...) values.")
    return getattr(scipy_module("stats"), spec.name).fit(data, *args, **kwds)


# ---- SciPy's signatures, and the registration ------------------------------------------------
_P = inspect.Parameter
_FIRST = {"moment": "order", "interval": "confidence"}
_EXTRA = {"stats": (("moments", "mv"),), "rvs": (("size", None), ("random_state", None))}
_IMPL = dict(mean=_mean, var=_var, std=_std, median=_median, entropy=_entropy, stats=_stats,
             moment=_moment, interval=_interval, support=_support, rvs=_rvs)
_TITLES = dict(mean="mean", var="variance", std="standard deviation", median="median",
               entropy="entropy", stats="mean, variance, skewness, kurtosis (``moments``)",
               moment="non-central moment of order ``order``",
               interval="equal-tailed interval holding ``confidence`` of the mass",
               support="support's ends", rvs="random draws (SciPy's, the same bits)")
_EXAMPLE_METHODS = ("mean", "var", "std", "median", "entropy", "support")


def _signature(spec, method):
    params = [_P(_FIRST[method], _P.POSITIONAL_OR_KEYWORD)] if method in _FIRST else []
    params += [_P(n, _P.POSITIONAL_OR_KEYWORD) for n in spec.shapes]
    params += [_P("loc", _P.POSITIONAL_OR_KEYWORD, default=0.0)]
    if not spec.discrete:
        params += [_P("scale", _P.POSITIONAL_OR_KEYWORD, default=1.0)]
    # (SciPy's parsers take size and moments positionally after the scale; random_state
    # by keyword only)
    params += [_P(n, _P.KEYWORD_ONLY if n == "random_state" else _P.POSITIONAL_OR_KEYWORD,
                  default=d) for n, d in _EXTRA.get(method, ())]
    return inspect.Signature(params)


def _as_float(v):
    if isinstance(v, (list, tuple)):
        v = cnp.asarray(v)
    return np.float64(v) if isinstance(v, (int, float)) else v


def _scalars(out):
    return tuple(numpy_scalar(o) for o in out) if isinstance(out, tuple) else numpy_scalar(out)


def _make(spec, method):
    sig, impl = _signature(spec, method), _IMPL[method]
    extra = [n for n, _ in _EXTRA.get(method, ())]

    def fn(*args, **kwargs):
        try:
            bound = sig.bind(*args, **kwargs)
        except TypeError as e:
            raise TypeError(f"{spec.name}.{method}{sig}: {e}") from None
        bound.apply_defaults()
        a = bound.arguments
        # (rvs passes the shapes as given: NumPy's binomial wants an integer n)
        shapes = [a[n] if method == "rvs" and spec.discrete else _as_float(a[n])
                  for n in spec.shapes]
        loc = _as_float(a["loc"])
        scale = None if spec.discrete else _as_float(a["scale"])
        if spec.kind == NONDIFF:
            shapes = [concrete(v) for v in shapes]
        first = [_as_float(a[_FIRST[method]])] if method in _FIRST else []
        try:
            with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
                return _scalars(impl(spec, *first, shapes, loc, scale,
                                     **{n: a[n] for n in extra}))
        except _NoClosedForm as e:
            if _traced(list(a.values())):
                raise _refused(spec, e.what if method == "moment" else method) from None
            return _scipy_value(spec, method, bound)

    fn.__name__ = fn.__qualname__ = f"{spec.name}_{method}"
    fn.__signature__ = sig
    fn.__doc__ = _doc(spec, method, sig)
    return fn


#: discrete distributions whose tails are too heavy to sum the entropy over (SciPy's value)
_HEAVY_TAILED = {"zipf", "yulesimon", "betanbinom"}


def closed_form(spec, method):
    """Whether ``method`` of ``spec`` has a closed form here (and so derivatives); without one
    it gives SciPy's value for untraced arguments and refuses traced ones."""
    table = STANDARD.get(spec.name, {})
    moments = "mvsk" in table or "munp" in table
    return {"mean": moments or "mean" in table, "var": moments, "std": moments,
            "stats": moments, "moment": moments,
            "entropy": "entropy" in table or (spec.discrete and spec.name not in _HEAVY_TAILED)
            }.get(method, True)


def _doc(spec, method, sig):
    ex = spec.family.example[1:] if spec.family is not None else _HAND_EXAMPLES[spec.name]
    args = ", ".join(repr(v) for v in ex)
    lead = (f"The {_TITLES[method]} of scipy.stats.{spec.name}: "
            f"``{spec.name}.{method}{sig}``, SciPy's values; ")
    how = ("derivative zero (integer draws)" if spec.discrete and method == "rvs" else
           "no derivative" if spec.kind == NONDIFF else
           "differentiable in every continuous parameter")
    if not closed_form(spec, method):
        how = ("SciPy's value: no closed form here, so a traced argument raises "
               "UnsupportedDerivativeError")
    call = method if method in _EXAMPLE_METHODS and (spec.name, method) not in _SCIPY_FAILS \
        else "mean"
    return (lead + how + ".\n\n"
            f"    >>> import numpy as np, chainrule.scipy.stats as cst, scipy.stats\n"
            f"    >>> bool(np.allclose(cst.{spec.name}.{call}({args}), "
            f"scipy.stats.{spec.name}.{call}({args}), rtol=1e-9, equal_nan=True))\n"
            f"    True\n")


#: Methods SciPy 1.17 itself cannot compute at the family's example (the example then shows
#: the mean): levy_stable's numerical entropy hands quad an array
_SCIPY_FAILS = {("levy_stable", "entropy")}
_HAND_EXAMPLES = {"poisson": (2.5,), "binom": (5.0, 0.3), "bernoulli": (0.3,),
                  "nbinom": (3.0, 0.4)}
#: so that ``--doctest-modules`` runs the generated methods' examples
__test__ = {}


def _fit_for(spec):
    def fit(data, *args, **kwds):
        return _fit(spec, data, *args, **kwds)
    fit.__name__ = fit.__qualname__ = f"{spec.name}_fit"
    fit.__doc__ = (f"SciPy's ``scipy.stats.{spec.name}.fit(data, *args, **kwds)``, values "
                   f"only: traced data or parameters raise TypeError (maximise the "
                   f"log-likelihood with chainrule's gradients instead).\n\n"
                   f"    >>> import numpy as np, chainrule.scipy.stats as cst\n"
                   f"    >>> callable(cst.{spec.name}.fit)\n    True\n")
    return fit


#: name -> {method: function}: chainrule.scipy.stats adds them to its distributions. (They
#: are compositions of registered functions, not registry entries of their own: their
#: derivatives are those of the closed forms, tested on a representative set in
#: tests/test_stats_methods.py.)
METHODS = {}
for _spec in SPECS.values():
    _table = METHODS.setdefault(_spec.name, {})
    for _method in _IMPL:
        _table[_method] = __test__[f"{_spec.name}_{_method}"] = _make(_spec, _method)
    _table["fit"] = _fit_for(_spec)
