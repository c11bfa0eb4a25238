"""The distributions built on chainrule.primitives.stats_families (and the new multivariate
ones) against SciPy: every method on a grid with the support's ends, points outside it, ±inf
and nan, with and without loc/scale; parameters outside the family and scale <= 0 (SciPy's
nan); float32 input; refused derivatives; vmap over a shape. Derivatives of every method in
x/q and every parameter are checked in tests/test_rules.py (order 2, both modes, jit)."""

import warnings

import numpy as np
import pytest

import chainrule as cr
import chainrule.scipy.stats as cst
from chainrule.primitives.stats_families import FAMILIES, Continuous
from chainrule.primitives.special_functions import UnsupportedDerivativeError

st = pytest.importorskip("scipy.stats")

CONTINUOUS = sorted(n for n, f in FAMILIES.items() if isinstance(f, Continuous))
DISCRETE = sorted(n for n, f in FAMILIES.items() if not isinstance(f, Continuous))
Z = np.array([-np.inf, -3.0, -1.0, -0.5, 0.0, 0.2, 0.5, 1.0, 1.5, 2.0, 3.0, 10.0, np.inf, np.nan])
Q = np.array([0.0, 0.01, 0.3, 0.5, 0.9, 1.0, -0.1, 1.1, np.nan])
K = np.array([-np.inf, -3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0, 3.0, 5.0, 6.0, 2.5, np.inf, np.nan])
#: shapes SciPy takes any finite value of: inf is outside (elsewhere SciPy's inf is its own mix)
FINITE_SHAPES = {"genextreme", "genpareto", "skewnorm"}


#: skewnorm's cdf is Φ(z) − 2·T(z, a) (Owen's T, whose derivatives are closed forms); in the far
#: left tail for a > 0 the difference cancels (cdf(−3, 2) = 5.6e−13 to 6 digits), where SciPy
#: integrates the density numerically instead.
RTOL = {("skewnorm", "cdf"): 1e-5, ("skewnorm", "logcdf"): 1e-6, ("skewnorm", "logsf"): 1e-5}
#: kstwobign's density is chainrule's series, exact to rounding (against mpmath); SciPy's
#: _kolmogp is 2e−9 off near x = 0.87 and 5e−12 at x = 1
RTOL.update({("kstwobign", "pdf"): 1e-8, ("kstwobign", "logpdf"): 1e-8})


def _scipy_corrected(name, method, want_fn, arg, *params):
    """SciPy's value, where chainrule's differs on purpose: noncentral F at nc = 0 is the
    central F (Boost's noncentral survival function is negative there, and SciPy's logcdf
    above the median positive); the noncentral χ² density at +inf is 0 (SciPy's pdf is nan
    there where its logpdf is −inf); the Pearson III log-density at ±inf is −inf (SciPy's
    pdf is 0 there where its logpdf is nan); kappa4 at a nan shape is nan (SciPy answers
    from a nan support: cdf and sf both 0)."""
    want = np.array(want_fn(arg, *params), dtype=float)
    if name == "ncf" and np.any(np.asarray(params[2]) == 0):
        central = getattr(st.f, method)(arg, params[0], params[1], *params[3:])
        want = np.where(np.asarray(params[2]) == 0, central, want)
    if name in ("yulesimon", "hypergeom") and method in ("cdf", "sf"):
        # SciPy evaluates these two at a fractional k itself (a number between the steps,
        # or nan), not at ⌊k⌋ as rv_discrete defines the cdf: chainrule's is at ⌊k⌋
        want = np.array(want_fn(np.floor(np.asarray(arg) - params[-1]) + params[-1], *params),
                        dtype=float)
    if (name, method) == ("ncx2", "pdf"):
        want = np.where(np.isposinf(arg) & (params[1] > 0), 0.0, want)
    if name == "norminvgauss" and method in ("sf", "logsf", "isf"):
        # SciPy's array answer can be its first point's, repeated (its _sf and _isf zip the
        # points with parameters its argument reduction left of length 1): point by point
        want = np.vectorize(want_fn, otypes=[float])(arg, *params)
    if name == "kappa4" and np.isnan(params[:2]).any():   # (SciPy: cdf = sf = 0, logpdf −inf)
        want = np.full_like(want, np.nan)
    if (name, method) == ("pearson3", "logpdf"):   # (SciPy's pdf is 0 there, its logpdf nan)
        want = np.where(np.isinf(arg) & np.isfinite(params[0]), -np.inf, want)
    return want


def _compare(name, method, got_fn, want_fn, arg, *params):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        want = _scipy_corrected(name, method, want_fn, arg, *params)
        got = got_fn(arg, *params)
    np.testing.assert_allclose(got, want, rtol=RTOL.get((name, method), 1e-12), atol=0,
                               equal_nan=True, err_msg=f"{name}.{method}{params}")


def _variants(shapes, name):
    """The example's shapes, then each shape in turn outside (or at the edge of) the family."""
    yield tuple(shapes)
    bad = (-1.0, 0.0, np.nan) + ((np.inf,) if name in FINITE_SHAPES else ())
    for i in range(len(shapes)):
        for v in bad:
            yield tuple(shapes[:i]) + (v,) + tuple(shapes[i + 1:])


#: SciPy's values cost a second a point (a double integral, quantiles by root-finding on
#: quadratures): every point of the grid and the shapes outside the family, but only one loc
#: and scale
SLOW = {"studentized_range", "gausshyper", "genhyperbolic"}


@pytest.mark.parametrize("name", CONTINUOUS)
def test_continuous_methods_match_scipy(name):
    fam = FAMILIES[name]
    shapes = fam.example[1:]
    ends = np.asarray(getattr(st, name).support(*shapes), dtype=float)
    z = np.r_[Z, ends]
    for method, fn in fam.methods.items():
        want = getattr(getattr(st, name), method)
        for loc, scale in ((0.0, 1.0), (0.3, 1.7))[name in SLOW:]:
            arg = Q if method in ("ppf", "isf") else loc + scale * z
            _compare(name, method, fn, want, arg, *shapes, loc, scale)
        for sh in list(_variants(shapes, name))[name in SLOW:]:
            for loc, scale in ((0.3, 1.7), (0.3, 0.0), (0.3, -1.0)):
                arg = Q if method in ("ppf", "isf") else np.array([-1.0, 0.0, 0.5, 1.0, 2.0])
                _compare(name, method, fn, want, arg, *sh, loc, scale)


@pytest.mark.parametrize("name", DISCRETE)
def test_discrete_methods_match_scipy(name):
    fam = FAMILIES[name]
    for method, fn in fam.methods.items():
        want = getattr(getattr(st, name), method)
        for sh in _variants(fam.example[1:], name):
            for loc in (0.0, 1.0):
                _compare(name, method, fn, want, K, *sh, loc)


@pytest.mark.parametrize("name", ["halfnorm", "weibull_min", "truncnorm", "genpareto", "geom"])
def test_float32_data_give_scipys_float64(name):
    fam = FAMILIES[name]
    x = np.array([0.5, 1.0, 2.0], dtype=np.float32)
    for method, fn in fam.methods.items():
        got, want = fn(x, *fam.example[1:]), getattr(getattr(st, name), method)(x, *fam.example[1:])
        assert got.dtype == want.dtype == np.float64, (method, got.dtype, want.dtype)


def test_the_python_number_answers_are_numpy_scalars():
    for name in ("gumbel_r", "triang", "betabinom"):
        fam = FAMILIES[name]
        out = fam.methods[next(iter(fam.methods))](*fam.example)
        assert type(out) is np.float64, (name, type(out))
    # NumPy's division by zero, never Python's ZeroDivisionError
    assert np.isnan(cst.invgauss.cdf(1.0, 0.0))
    # SciPy's signatures, keywords included; a missing shape names the function
    assert cst.weibull_min.logpdf(x=1.0, c=2.0, scale=2.0) == st.weibull_min.logpdf(1.0, 2.0, 0, 2.0)
    with pytest.raises(TypeError, match=r"weibull_min.logpdf\(x, c, loc=0.0, scale=1.0\): "
                                        r"missing a required argument: 'c'"):
        cst.weibull_min.logpdf(1.0)


REFUSED = [(n, m, s) for n, f in sorted(FAMILIES.items()) for s in f.refuse
           for m in f.methods if m not in ("logpdf", "pdf", "logpmf", "pmf")]
REFUSED += [(n, m, s) for n, f in sorted(FAMILIES.items()) for s in f.refuse_density
            for m in f.methods if m in ("logpdf", "pdf", "logpmf", "pmf")]
# (the same refusal as their cdf's, SciPy's quantiles of these a second each)
REFUSED = [r for r in REFUSED if not (r[0] in SLOW and r[1] in ("ppf", "isf"))]


@pytest.mark.parametrize("name,method,shape", REFUSED)
def test_a_derivative_without_a_closed_form_is_refused_by_name(name, method, shape):
    fam = FAMILIES[name]
    i = fam.shapes.index(shape)
    example = list(fam.example)

    def f(v):
        args = example[:1 + i] + [v] + example[2 + i:]
        return fam.methods[method](*args)
    msg = rf"{name}\.{method}: the derivative with respect to {shape} is not supported"
    with pytest.raises(UnsupportedDerivativeError, match=msg):
        cr.grad(f)(example[1 + i])
    with pytest.raises(UnsupportedDerivativeError, match=msg):
        cr.jvp(f, (example[1 + i],), (1.0,))
    # batching alone is fine, and the density stays differentiable in it
    vals = np.array([1.0, 1.5, 2.5]) * example[1 + i]
    np.testing.assert_allclose(cr.vmap(f)(vals), [f(v) for v in vals], rtol=1e-14)
    if "logpdf" in fam.methods and shape not in fam.refuse_density:
        g = cr.grad(lambda v: fam.methods["logpdf"](*example[:1 + i], v, *example[2 + i:]))
        assert np.isfinite(g(example[1 + i]))


def test_the_series_at_c_zero_is_the_formula_continued():
    # genextreme and genpareto at c = 0 are Gumbel and exponential; their derivatives in c
    # there (both modes, second order) against central differences of SciPy's own values
    h = 1e-4
    for name, x in (("genextreme", 0.7), ("genpareto", 0.7)):
        for method in ("logpdf", "cdf", "ppf"):
            arg = 0.3 if method == "ppf" else x
            ours = getattr(getattr(cst, name), method)
            theirs = getattr(getattr(st, name), method)
            fd1 = (theirs(arg, h) - theirs(arg, -h)) / (2 * h)
            fd2 = (theirs(arg, h) - 2 * theirs(arg, 0.0) + theirs(arg, -h)) / h ** 2
            g = cr.grad(lambda c: ours(arg, c))
            np.testing.assert_allclose(g(0.0), fd1, rtol=1e-7, err_msg=f"{name}.{method}")
            np.testing.assert_allclose(cr.jvp(lambda c: ours(arg, c), (0.0,), (1.0,))[1], fd1,
                                       rtol=1e-7)
            np.testing.assert_allclose(cr.grad(g)(0.0), fd2, rtol=1e-4, err_msg=f"{name}.{method}")
    cr.check_grads(lambda c: cst.genextreme.logpdf(0.7, c), (0.0,), order=2)


def test_closed_form_derivatives():
    # weibull_min: ∂/∂c log f = 1/c + log x − x^c log x
    x, c = 1.7, 2.3
    np.testing.assert_allclose(cr.grad(lambda c: cst.weibull_min.logpdf(x, c))(c),
                               1 / c + np.log(x) - x ** c * np.log(x), rtol=1e-14)
    # truncnorm: ∂/∂x log f = −x (the normaliser does not depend on x)
    np.testing.assert_allclose(cr.grad(lambda x: cst.truncnorm.logpdf(x, -1.0, 2.0))(0.4), -0.4)
    # the cdf's derivative is the density, in every family with both
    for name in ("gumbel_l", "lomax", "truncnorm", "invgauss", "exponnorm", "levy", "triang"):
        fam = FAMILIES[name]
        x0, *shapes = fam.example
        d = cr.grad(lambda x: fam.methods["cdf"](x, *shapes, 0.1, 1.3))(x0)
        np.testing.assert_allclose(d, fam.methods["pdf"](x0, *shapes, 0.1, 1.3), rtol=1e-12,
                                   err_msg=name)
    # at the support's closed end the cdf's derivative is the one from inside: the density
    for name in ("halfnorm", "pareto", "lomax", "truncexpon"):   # (truncnorm's is exp(log 0)·∞)
        fam = FAMILIES[name]
        shapes = fam.example[1:]
        lo = float(getattr(st, name).support(*shapes)[0])
        for mode in (cr.grad(lambda x: fam.methods["cdf"](x, *shapes)),
                     lambda x: cr.jvp(lambda x: fam.methods["cdf"](x, *shapes), (x,), (1.0,))[1]):
            np.testing.assert_allclose(mode(lo), getattr(st, name).pdf(lo, *shapes), rtol=1e-14,
                                       err_msg=name)
    # zeta in x by Euler–Maclaurin: ζ'(2) to rounding, and zipf's ∂/∂a = −log k − ζ'(a)/ζ(a)
    import chainrule.scipy.special as csp
    np.testing.assert_allclose(cr.grad(csp.zeta)(2.0), -0.93754825431584375370, rtol=1e-15)
    for a in (1.2, 2.5, 8.0):
        h = 1e-5
        fd = (np.log(st.zipf.pmf(3, a + h)) - np.log(st.zipf.pmf(3, a - h))) / (2 * h)
        np.testing.assert_allclose(cr.grad(lambda a: cst.zipf.logpmf(3, a))(a), fd, rtol=1e-8)
    # geom: ∂/∂p log pmf = 1/p − (k − 1)/(1 − p)
    np.testing.assert_allclose(cr.grad(lambda p: cst.geom.logpmf(4, p))(0.3), 1 / 0.3 - 3 / 0.7)


def test_vmap_and_jit_over_a_shape_parameter():
    c = np.array([0.8, 1.5, 3.0])
    want = st.weibull_min.logpdf(1.2, c, 0.1, 2.0)
    f = lambda c: cst.weibull_min.logpdf(1.2, c, 0.1, 2.0)
    np.testing.assert_allclose(cr.vmap(f)(c), want, rtol=1e-14)
    np.testing.assert_allclose(cr.jit(cr.vmap(cr.grad(f)))(c), [cr.grad(f)(v) for v in c],
                               rtol=1e-14)


# ---- multivariate ----------------------------------------------------------------------------
def test_multivariate_t_matches_scipy():
    rng = np.random.default_rng(1)
    a = rng.standard_normal((3, 3))
    shape, loc = a @ a.T + 3 * np.eye(3), rng.standard_normal(3)
    for x in (rng.standard_normal(3), rng.standard_normal((4, 3))):
        for m in ("logpdf", "pdf"):
            np.testing.assert_allclose(getattr(cst.multivariate_t, m)(x, loc, shape, 3.5),
                                       getattr(st.multivariate_t, m)(x, loc, shape, 3.5),
                                       rtol=1e-12)
    np.testing.assert_allclose(cst.multivariate_t.logpdf(0.5, 0.1, 2.0, 3.0),
                               st.multivariate_t.logpdf(0.5, 0.1, 2.0, 3.0), rtol=1e-14)
    # large df: the normal's density
    np.testing.assert_allclose(cst.multivariate_t.logpdf(loc + 0.3, loc, shape, 1e8),
                               st.multivariate_normal.logpdf(loc + 0.3, loc, shape), rtol=1e-7)


@pytest.mark.filterwarnings("ignore::FutureWarning")
def test_multinomial_matches_scipy_including_impossible_counts():
    x = np.array([[1.0, 2.0, 0.0], [0.0, 0.0, 3.0], [1.0, 1.0, 1.0], [1.0, 2.0, 0.5],
                  [-1.0, 4.0, 0.0], [1.0, 1.0, 0.0]])
    p = np.array([0.2, 0.3, 0.5])
    for m in ("logpmf", "pmf"):
        for n, pp in ((3, p), (3.5, p), (-1, p), (3, np.array([0.2, -0.3, 1.1])),
                      (3, np.array([[0.2, 0.3, 0.5], [0.1, 0.1, 0.8]])[:, None])):
            np.testing.assert_allclose(getattr(cst.multinomial, m)(x, n, pp),
                                       getattr(st.multinomial, m)(x, n, pp), rtol=1e-13,
                                       err_msg=f"{m} n={n}")
    # the derivative in p: x/p (p used as given)
    np.testing.assert_allclose(cr.grad(lambda p: cst.multinomial.logpmf(x[0], 3, p))(p),
                               x[0] / p, rtol=1e-14)


@pytest.mark.parametrize("name", ["wishart", "invwishart"])
def test_wishart_family_matches_scipy(name):
    rng = np.random.default_rng(2)
    a = rng.standard_normal((3, 3))
    scale = a @ a.T + 3 * np.eye(3)
    stack = np.stack([scale, scale + np.eye(3), 2 * scale], axis=-1)   # SciPy's (dim, dim, n)
    for m in ("logpdf", "pdf"):
        for x in (scale / 2, stack):
            np.testing.assert_allclose(getattr(getattr(cst, name), m)(x, 5.5, scale),
                                       getattr(getattr(st, name), m)(x, 5.5, scale), rtol=1e-12)
        np.testing.assert_allclose(getattr(getattr(cst, name), m)(0.7, 3.0, 1.5),
                                   getattr(getattr(st, name), m)(0.7, 3.0, 1.5), rtol=1e-13)
    with pytest.raises(ValueError, match="disagree on the dimension"):
        getattr(cst, name).logpdf(np.eye(2), 5.0, scale)
