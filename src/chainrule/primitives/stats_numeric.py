"""The ``scipy.stats`` distributions SciPy computes numerically, over
:class:`~chainrule.primitives.stats_families.Continuous`: their values are SciPy's own, and
their derivatives those the calculus gives without a closed form of the function itself.

- ``norminvgauss``, ``geninvgauss``, ``genhyperbolic`` and ``gausshyper`` have closed-form
  densities (Bessel functions, ₂F₁), differentiable in x and in every shape but a Bessel
  order or a ₂F₁ parameter (``geninvgauss``'s and ``genhyperbolic``'s p, ``gausshyper``'s
  a, b, c: refused by name); their cdf, sf, ppf and isf are SciPy's quadratures and
  root-finding, differentiable in x (the density, or 1/density for a quantile: to every
  order) and refused in the shapes.
- ``irwinhall``'s density is SciPy's B-spline, differentiable in x to every order through
  f_n' = f_(n−1)(x) − f_(n−1)(x − 1); n is an integer.
- ``kstwobign`` is Kolmogorov's limiting distribution: ``kolmogorov``, ``kolmogi`` and the
  density's series, differentiable to every order.
- ``ksone``, ``kstwo``, ``levy_stable``, ``studentized_range`` and ``landau`` have no closed
  form at all: SciPy's values; the cdf-like methods are differentiable in x to first order
  (their derivative is SciPy's density, whose own derivative SciPy lacks), the density is
  not differentiable, and the shapes are refused (``ksone``'s and ``kstwo``'s n is an
  integer). Each refusal is an UnsupportedDerivativeError naming the argument.
- Discrete: ``zipfian`` (closed forms through ζ, or SciPy's explicit harmonic sum for
  a ≤ 1, differentiable in a) and the noncentral hypergeometric pair (SciPy's values, every
  argument refused).

>>> import chainrule as cr, chainrule.scipy.stats as cst, scipy.stats as st
>>> d = float(cr.grad(lambda x: cst.levy_stable.cdf(x, 1.5, 0.3))(0.5))
>>> bool(abs(d - st.levy_stable.pdf(0.5, 1.5, 0.3)) < 1e-12)
True
"""

import warnings

import numpy as np

from . import elementwise as E
from .special_functions import xlogy, xlog1py, betaln
from .special_orthogonal import k1e, kve, hyp2f1
from .special_distributions import kolmogorov, kolmogi, kolmogorov_pdf
from .special_elementary import partials
from .special_functions import zeta
from .stats_families import Continuous, Discrete
from ..core.primitive import concrete_value, full_lower
from ..interpreters.batching import BatchedValueError, PerExample

__all__ = []

_INF = np.inf
_LN2 = float(np.log(2.0))
_LOG_PI = float(np.log(np.pi))
_POSITIVE = (0.0, _INF)


#: SciPy's methods that are right for one point only: norminvgauss's _sf and _isf zip the
#: points with the parameters, which SciPy's argument reduction may leave of length 1 (its
#: array answer is then the first point's, repeated)
_PER_POINT = {("norminvgauss", "sf"), ("norminvgauss", "isf")}


def _scipy(dist, method):
    """SciPy's public ``scipy.stats.<dist>.<method>`` on broadcast float arrays (its checks
    first: a private method given parameters outside the family can loop without end)."""
    def fn(*args):
        import scipy.stats
        arrays = np.broadcast_arrays(*[np.asarray(a, dtype=float) for a in args])
        call = getattr(getattr(scipy.stats, dist), method)
        if (dist, method) in _PER_POINT:
            call = np.vectorize(call, otypes=[float])
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return np.asarray(call(*arrays), dtype=float)
    return fn


def _numeric(dist, shapes, pdf, methods=("cdf", "sf", "ppf", "isf")):
    """SciPy's ``methods`` of ``dist`` in standard form, f(x, *shapes): differentiable in x
    through ``pdf(z, *shapes)`` (∂F/∂x = f, ∂ppf/∂q = 1/f at the quantile), the shapes
    refused."""
    ds = {"cdf": lambda ans, z, *s: pdf(z, *s), "sf": lambda ans, z, *s: E.negative(pdf(z, *s)),
          "ppf": lambda ans, q, *s: E.reciprocal(pdf(ans, *s)),
          "isf": lambda ans, q, *s: E.negative(E.reciprocal(pdf(ans, *s)))}
    names = ("x",) + tuple(shapes)
    return {m: partials(f"{dist}_{m}", _scipy(dist, m), ("q",) + names[1:] if m in ("ppf", "isf")
                        else names, (ds[m],) + (None,) * len(shapes), names=())
            for m in methods}


def _value_only(dist, shapes, method):
    """SciPy's ``method`` with no derivative in any argument (each refused by name)."""
    names = ("x",) + tuple(shapes)
    return partials(f"{dist}_{method}", _scipy(dist, method), names, (None,) * len(names),
                    names=())


def _with_density(name, shapes, logpdf, **kw):
    """A family with a closed-form log-density and SciPy's cdf, sf, ppf and isf."""
    shapes = tuple(shapes.split())
    pdf = lambda z, *s: E.exp(logpdf(z, *s))   # noqa: E731
    Continuous(name, " ".join(shapes), logpdf=logpdf, **_numeric(name, shapes, pdf),
               refuse=shapes, **kw)


def _without_density(name, shapes, **kw):
    """A family whose density too is SciPy's value: not differentiable; its cdf-like methods
    differentiable in x once (their derivative is that density)."""
    shapes = tuple(shapes.split())
    pdf = _value_only(name, shapes, "pdf")
    Continuous(name, " ".join(shapes), logpdf=lambda z, *s: E.log(pdf(z, *s)),
               **_numeric(name, shapes, pdf), refuse=shapes, refuse_density=shapes,
               value_only=("logpdf", "pdf"),
               first_order=("cdf", "logcdf", "sf", "logsf", "ppf", "isf"), **kw)


# ---- the normal-inverse Gaussian: a Bessel K₁ density ---------------------------------------------
def _norminvgauss_logpdf(z, a, b):
    sq = E.hypot(1.0, z)
    return (E.log(a / np.pi * k1e(a * sq)) + b * z - a * sq + E.sqrt(a * a - b * b)
            - E.log(sq))


_with_density("norminvgauss", "a b", _norminvgauss_logpdf, open_support=True,
              valid=lambda a, b: E.logical_and(E.greater(a, 0), E.less(E.absolute(b), a)),
              example=(0.5, 2.0, 0.5))


# ---- the generalized inverse Gaussian: K_p(b) normalises it (p: a Bessel order, refused) -------
def _geninvgauss_logpdf(z, p, b):
    zs = E.where(E.greater(z, 0), z, 1.0)
    out = (-_LN2 - E.log(kve(p, b)) + b + (p - 1.0) * E.log(zs)
           - b * (zs + E.reciprocal(zs)) / 2.0)
    return E.where(E.greater(z, 0), out, -_INF)


_numeric_gig = _numeric("geninvgauss", ("p", "b"),
                        lambda z, p, b: E.exp(_geninvgauss_logpdf(z, p, b)))
Continuous("geninvgauss", "p b", logpdf=_geninvgauss_logpdf, **_numeric_gig, support=_POSITIVE,
           valid=lambda p, b: E.logical_and(E.logical_not(E.isnan(p)), E.greater(b, 0)),
           refuse=("p", "b"), refuse_density=("p",), example=(1.5, 1.5, 2.0))


# ---- the Gauss hypergeometric distribution (a, b, c: ₂F₁ parameters, refused) ------------------
def _gausshyper_logpdf(z, a, b, c, w):
    return (xlogy(a - 1.0, z) + xlog1py(b - 1.0, E.negative(z)) - c * E.log1p(w * z)
            - betaln(a, b) - E.log(hyp2f1(c, a, a + b, E.negative(w))))


Continuous("gausshyper", "a b c z", logpdf=_gausshyper_logpdf,
           **_numeric("gausshyper", ("a", "b", "c", "z"),
                      lambda x, a, b, c, w: E.exp(_gausshyper_logpdf(x, a, b, c, w))),
           support=(0.0, 1.0),
           valid=lambda a, b, c, w: E.logical_and(
               E.logical_and(E.greater(a, 0), E.greater(b, 0)),
               E.logical_and(E.logical_not(E.isnan(c)), E.greater(w, -1))),
           refuse=("a", "b", "c", "z"), refuse_density=("a", "b", "c"),
           example=(0.4, 1.5, 2.0, 1.0, 0.5))


# ---- Kolmogorov's limiting distribution, to every order ------------------------------------------
def _scipy_special(name):
    def fn(*args):
        import scipy.special._ufuncs as scu
        with np.errstate(all="ignore"):
            return getattr(scu, name)(*args)
    return fn


_kolmogc = partials("kstwobign_cdf", _scipy_special("_kolmogc"), ("x",),
                    (lambda ans, x: kolmogorov_pdf(x),), names=())
_kolmogci = partials("kstwobign_ppf", _scipy_special("_kolmogci"), ("q",),
                     (lambda ans, q: E.reciprocal(kolmogorov_pdf(ans)),), names=())
def _kstwobign_logpdf(z):
    finite = E.isfinite(z)   # (the series at +inf is inf·0: the density there is 0)
    return E.where(finite, E.log(kolmogorov_pdf(E.where(finite, z, 1.0))), -_INF)


Continuous("kstwobign", logpdf=_kstwobign_logpdf, cdf=_kolmogc, sf=kolmogorov,
           ppf=_kolmogci, isf=kolmogi, support=_POSITIVE, example=(0.8,))


# ---- no closed form: SciPy's values, the cdf-like methods differentiable once in x ------------
def _integer_at_least_one(n):
    return E.logical_and(E.greater_equal(n, 1), E.equal(n, E.floor(n)))


_without_density("ksone", "n", support=(0.0, 1.0), valid=_integer_at_least_one,
                 example=(0.3, 5.0))
_without_density("kstwo", "n", support=lambda n: (0.5 / n, 1.0), valid=_integer_at_least_one,
                 example=(0.4, 5.0))
_without_density("levy_stable", "alpha beta",
                 valid=lambda al, be: E.logical_and(
                     E.logical_and(E.greater(al, 0), E.less_equal(al, 2)),
                     E.logical_and(E.greater_equal(be, -1), E.less_equal(be, 1))),
                 example=(0.5, 1.5, 0.3))
_without_density("studentized_range", "k df", support=_POSITIVE,
                 valid=lambda k, df: E.logical_and(E.greater(k, 1), E.greater(df, 0)),
                 example=(2.0, 3.0, 10.0))
_without_density("landau", "", example=(0.5,))


# ---- discrete: the Zipfian (closed forms), the noncentral hypergeometric pair (SciPy's) --------
def _integral(v):
    return E.equal(v, E.floor(v))


def _concrete(v, how):
    """v's value (guarded under jit); None for a value batched by vmap (no data there)."""
    try:
        v = concrete_value(v, how)
    except BatchedValueError:
        return None
    v = full_lower(v)
    return None if isinstance(v, PerExample) else v


def _largest(n):
    """The largest finite n, as a Python integer: the length of the sum for a ≤ 1 (n is an
    integer with no derivative)."""
    value = _concrete(n, "value")
    if value is None:
        raise NotImplementedError(
            "zipfian with a ≤ 1 under vmap over n: the harmonic sum's length is n; vmap over "
            "the other arguments, or loop over n")
    value = np.asarray(value, dtype=float)
    value = value[np.isfinite(value)]
    return int(value.max()) if value.size else 0


def _harmonic(m, a, n):
    """The generalized harmonic number H(m, a) = Σ_{i ≤ m} i^−a (m ≤ n): for a > 1
    ζ(a, 1) − ζ(a, m + 1), else the sum itself from its smallest term (SciPy's two ways)."""
    big = E.greater(a, 1)
    ab = E.where(big, a, 2.0)
    out = zeta(ab, 1.0) - zeta(ab, m + 1.0)
    all_big = _concrete(big, "bool")
    if all_big is None or not np.all(np.asarray(all_big, dtype=bool)):
        total = 0.0
        for i in range(_largest(n), 0, -1):
            total = total + E.where(E.less_equal(float(i), m), float(i) ** E.negative(a), 0.0)
        out = E.where(big, out, total)
    return out


#: for zipfian's moments (chainrule.scipy.stats_moments)
harmonic = _harmonic


def _zipfian_sf(k, a, n):
    k1 = k + 1.0
    hn = _harmonic(n, a, n)
    return (k1 ** a * (hn - _harmonic(k1, a, n)) + 1.0) / (k1 ** a * hn)


Discrete("zipfian", "a n",
         logpmf=lambda k, a, n: E.negative(a) * E.log(k) - E.log(_harmonic(n, a, n)),
         cdf=lambda k, a, n: _harmonic(k, a, n) / _harmonic(n, a, n), sf=_zipfian_sf,
         support=lambda a, n: (1.0, n),
         valid=lambda a, n: E.logical_and(E.logical_and(E.greater_equal(a, 0), E.greater(n, 0)),
                                          _integral(n)),
         example=(2.0, 1.5, 6.0))


def _nchypergeom(name):
    """SciPy's values (its urn-model algorithms): M, n, N are integers and odds enters a sum
    over the support without a closed-form derivative here, so every argument is refused."""
    shapes = ("M", "n", "N", "odds")
    Discrete(name, " ".join(shapes), logpmf=_value_only(name, shapes, "logpmf"),
             cdf=_value_only(name, shapes, "cdf"), sf=_value_only(name, shapes, "sf"),
             support=lambda tot, good, draw, odds: (E.maximum(draw - (tot - good), 0.0),
                                                   E.minimum(good, draw)),
             valid=lambda tot, good, draw, odds: E.logical_and(
                 E.logical_and(E.logical_and(_whole(tot), _whole(good)), _whole(draw)),
                 E.logical_and(E.greater(odds, 0), E.logical_and(E.less_equal(draw, tot),
                                                                 E.less_equal(good, tot)))),
             refuse=shapes, refuse_density=shapes, example=(2.0, 20.0, 7.0, 12.0, 2.5),
             value_only=("logpmf", "pmf", "cdf", "sf"))


def _whole(v):
    return E.logical_and(E.greater_equal(v, 0), _integral(v))


_nchypergeom("nchypergeom_fisher")
_nchypergeom("nchypergeom_wallenius")


# ---- the generalized hyperbolic (p: a Bessel order, refused) ------------------------------------
def _genhyperbolic_logpdf(z, p, a, b):
    g2 = (a + b) * (a - b)
    g = E.sqrt(g2)
    r = E.hypot(1.0, z)
    return (0.5 * p * E.log(g2) - 0.5 * float(np.log(2.0 * np.pi)) - E.log(kve(p, g)) + g
            + (p - 0.5) * (E.log(r) - E.log(a)) + E.log(kve(p - 0.5, a * r)) - a * r + b * z)


Continuous("genhyperbolic", "p a b", logpdf=_genhyperbolic_logpdf,
           **_numeric("genhyperbolic", ("p", "a", "b"),
                      lambda z, p, a, b: E.exp(_genhyperbolic_logpdf(z, p, a, b))),
           valid=lambda p, a, b: E.logical_or(
               E.logical_and(E.less(E.absolute(b), a), E.greater_equal(p, 0)),
               E.logical_and(E.less_equal(E.absolute(b), a), E.less(p, 0))),
           refuse=("p", "a", "b"), refuse_density=("p",), example=(0.5, 0.5, 1.5, 0.5))


# ---- Irwin–Hall: the sum of n uniforms; n an integer ----------------------------------------------
def _irwinhall_dpdf(ans, z, n):
    """f_n'(x) = f_{n−1}(x) − f_{n−1}(x − 1) (the density is a convolution with the uniform's);
    0 for n = 1 (the uniform's density is flat inside its support)."""
    more = E.greater(n, 1)
    m = E.where(more, n - 1.0, 1.0)
    return E.where(more, _irwinhall_pdf(z, m) - _irwinhall_pdf(z - 1.0, m), 0.0)


# SciPy's cardinal B-spline of order n, differentiable in x to every order
_irwinhall_pdf = partials("irwinhall_pdf", _scipy("irwinhall", "pdf"), ("x", "n"),
                          (_irwinhall_dpdf, None), names=())
Continuous("irwinhall", "n", logpdf=lambda z, n: E.log(_irwinhall_pdf(z, n)),
           **_numeric("irwinhall", ("n",), _irwinhall_pdf), support=lambda n: (0.0, n),
           valid=lambda n: E.logical_and(E.greater(n, 0), _integral(n)), refuse=("n",),
           refuse_density=("n",), example=(1.2, 3.0))
