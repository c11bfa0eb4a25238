"""The distributions' methods beyond densities (chainrule.scipy.stats_methods,
stats_multivariate, stats_sampling) against SciPy: every distribution x mean, var, std, median,
entropy, support, stats('mvsk'), moment(0..5), interval; their derivatives in every
continuous parameter against central differences (order 2, both modes); rvs bit for bit, and
its derivative by implicit reparameterization against the closed form −∂F/∂θ / f (SciPy's cdf
differenced), against finite differences of SciPy's own draws with the same random_state where
SciPy draws by inversion, and against d/dθ E[X] on average; fit; frozen forms; vmap; the
list-argument bug of the multivariate densities."""

import warnings

import numpy as np
import pytest

import chainrule as cr
import chainrule.scipy.stats as cst
from chainrule.core import registry
from chainrule.scipy.stats_methods import SPECS, closed_form
from chainrule.primitives.special_functions import UnsupportedDerivativeError

st = pytest.importorskip("scipy.stats")

_HAND = {"poisson": (2.5,), "binom": (5.0, 0.3), "bernoulli": (0.3,), "nbinom": (3.0, 0.4)}
NAMES = sorted(SPECS)


def _example(name):
    spec = SPECS[name]
    return tuple(spec.family.example[1:]) if spec.family is not None else _HAND[name]


def _where(name):
    return dict(loc=1.0) if SPECS[name].discrete else dict(loc=0.3, scale=1.7)


#: no closed form (SciPy integrates numerically): SciPy's value, a traced argument refused
NO_CLOSED_FORM = {(n, m) for n in SPECS for m in ("mean", "var", "std", "entropy", "stats")
                  if not closed_form(SPECS[n], m)}
#: SciPy integrates the 5th moment numerically (or has no _munp): no closed form here
MOMENT5 = {"norm", "gamma", "expon", "lognorm", "laplace", "uniform", "halflogistic",
           "weibull_min", "weibull_max", "powerlaw", "loguniform", "reciprocal", "truncexpon",
           "truncnorm", "gennorm", "pareto", "genpareto", "zipf", "chi2", "erlang"}


#: SciPy's numerical median moved with a shape by quadrature of the density from the
#: support's lower end: a family with neither a cdf differentiable in it nor such an end
#: a shape that takes integers only (its derivative is not defined)
_INTEGER_SHAPE = {"binom": 0, "betabinom": 0, "betanbinom": 0, "boltzmann": 1, "zipfian": 1}
NO_IMPLICIT_MEDIAN = {("loggamma", "median"), ("nct", "median"), ("jf_skew_t", "median"),
                      ("pearson3", "median"), ("norminvgauss", "median"),
                      ("genhyperbolic", "median")}


def _call(obj, *a, **k):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return obj(*a, **k)


#: closed forms where SciPy integrates numerically: kstwobign's moments n·Γ(n/2)·η(n)/2^(n/2)
#: (SciPy's variance is 1.5e−9 off, its kurtosis 6e−9)
_SCIPY_INTEGRATES = {"kstwobign": 1e-7}


@pytest.mark.parametrize("name", NAMES)
def test_methods_match_scipy(name):
    ex, kw = _example(name), _where(name)
    ours, theirs = getattr(cst, name), getattr(st, name)
    calls = [(m, ()) for m in ("mean", "var", "std", "median", "entropy", "support")]
    calls += [("moment", (n,)) for n in range(5)] + [("interval", (0.9,)), ("stats", ())]
    for method, first in calls:
        extra = dict(moments="mvsk") if method == "stats" else {}
        if not closed_form(SPECS[name], method):
            continue   # SciPy's own value (test_without_a_closed_form_…): nothing to compare
        got = _call(getattr(ours, method), *first, *ex, **kw, **extra)
        want = _call(getattr(theirs, method), *first, *ex, **kw, **extra)
        if (name in ("pareto", "genpareto")) and method == "moment" and first[0] >= 3:
            assert np.isinf(got)   # the moment diverges: SciPy's integral gives a finite number
            continue
        np.testing.assert_allclose(np.asarray(got, float), np.asarray(want, float),
                                   rtol=_SCIPY_INTEGRATES.get(name, 1e-9), atol=1e-300,
                                   equal_nan=True, err_msg=f"{name}.{method}{first}")
    if not closed_form(SPECS[name], "moment"):
        return
    if name in ("pareto", "genpareto", "zipf"):   # diverges at these shapes
        assert np.isinf(ours.moment(5, *ex, **kw))
    elif name in MOMENT5:   # where SciPy integrates, it agrees to its quadrature's tolerance
        np.testing.assert_allclose(_call(ours.moment, 5, *ex, **kw),
                                   _call(theirs.moment, 5, *ex, **kw), rtol=1e-6)
    # (else: no closed form of the 5th moment, SciPy's own value)


#: (SciPy integrates these slowly: a second each, or minutes for recipinvgauss)
_SLOW_INTEGRALS = {"recipinvgauss", "vonmises", "foldcauchy", "foldnorm", "exponnorm",
                   "studentized_range", "levy_stable", "kstwo", "ksone"}


@pytest.mark.parametrize("name,method", [p for p in sorted(NO_CLOSED_FORM)
                                         if p[0] not in _SLOW_INTEGRALS][::4])
def test_without_a_closed_form_a_traced_argument_is_refused(name, method):
    """SciPy's value for constant arguments (its numerical integral), a traced one refused."""
    ex, kw = _example(name), _where(name)
    if method != "stats":   # (SciPy's integrals of some are slow: one value each)
        want = _call(getattr(getattr(st, name), method), *ex, **kw)
        np.testing.assert_allclose(_call(getattr(getattr(cst, name), method), *ex, **kw), want,
                                   rtol=1e-14, equal_nan=True)
    if ex:
        f = lambda v: getattr(getattr(cst, name), method)(v, *ex[1:], **kw)
        v0 = ex[0]
    else:   # (no shape: loc)
        f = lambda v: getattr(getattr(cst, name), method)(loc=v, scale=1.7)
        v0 = 0.3
    for differentiate in (cr.grad, cr.jacfwd):
        with pytest.raises(UnsupportedDerivativeError, match=rf"{name}\.{method}: no closed form"):
            differentiate(lambda v: cr.numpy.sum(cr.numpy.stack(f(v))) if method == "stats"
                          else f(v))(v0)


def test_parameters_outside_the_family_give_nan_as_scipy():
    for name, args in (("gamma", (-1.0,)), ("beta", (2.0, 0.0)), ("poisson", (-1.0,)),
                       ("binom", (5.0, 1.5)), ("norm", (0.0, -1.0))):
        for method in ("mean", "var", "entropy"):
            assert np.isnan(_call(getattr(getattr(cst, name), method), *args)), (name, method)
            assert np.isnan(_call(getattr(getattr(st, name), method), *args))


def test_broadcast_parameters_and_python_lists():
    a = [1.5, 2.0, 3.5]
    np.testing.assert_allclose(cst.gamma.var(a, scale=[1.0, 2.0, 3.0]),
                               st.gamma.var(a, scale=[1.0, 2.0, 3.0]), rtol=1e-12)
    np.testing.assert_allclose(cst.beta.entropy(a, 2.0), st.beta.entropy(a, 2.0), rtol=1e-12)
    np.testing.assert_allclose(cst.poisson.entropy(np.array([0.5, 3.0, 20.0])),
                               st.poisson.entropy(np.array([0.5, 3.0, 20.0])), rtol=1e-9)


# ---- derivatives -------------------------------------------------------------------------------
def _fd(f, x, h=1e-5):
    return (f(x + h) - f(x - h)) / (2 * h)


@pytest.mark.parametrize("name", [n for n in NAMES if SPECS[n].kind != registry.NONDIFF])
def test_derivatives_in_every_continuous_parameter(name):
    """First derivatives (forward and reverse) and the second (Hessian, forward over reverse)
    against central differences, for mean, var, entropy, median; n of binom/betabinom is an
    integer and held."""
    spec, ex = SPECS[name], list(_example(name))
    for method in ("mean", "var", "entropy", "median"):
        if (name, method) in NO_CLOSED_FORM or (name, method) == ("zipf", "var") or \
                (name, method) in NO_IMPLICIT_MEDIAN:
            continue   # (zipf's variance at a = 2.5 is infinite)
        for i in range(len(ex)):
            if i == _INTEGER_SHAPE.get(name):
                continue
            if spec.family is not None and spec.shapes[i] in spec.family.refuse_density:
                continue   # (refused: tests/test_stats_families.py)

            def f(v, i=i):
                a = list(ex)
                a[i] = v
                return _call(getattr(getattr(cst, name), method), *a, **_where(name))
            want = _fd(lambda v: float(f(v)), ex[i])
            for got in (cr.grad(f)(ex[i]), cr.jacfwd(f)(ex[i])):
                np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-7,
                                           err_msg=f"{name}.{method} d/d{spec.shapes[i]}")
            np.testing.assert_allclose(cr.hessian(f)(ex[i]),
                                       _fd(lambda v: float(cr.grad(f)(v)), ex[i]),
                                       rtol=1e-4, atol=1e-6, err_msg=f"{name}.{method} 2nd")


@pytest.mark.parametrize("name, method, args", [
    ("norm", "entropy", (0.3, 1.7)), ("t", "stats", (5.0, 0.3, 1.7)),
    ("gamma", "moment", (3, 2.0, 0.3, 1.7)), ("beta", "interval", (0.8, 2.0, 3.0, 0.3, 1.7)),
    ("truncnorm", "std", (-1.0, 2.0, 0.3, 1.7)), ("genextreme", "stats", (-0.2, 0.3, 1.7)),
    ("skewnorm", "median", (2.0, 0.3, 1.7)), ("invgauss", "interval", (0.5, 1.5, 0.3, 1.7)),
    ("nbinom", "stats", (3.0, 0.4, 1.0)), ("geom", "entropy", (0.3,)),
    ("poisson", "entropy", (2.5,)), ("lognorm", "moment", (5, 0.7, 0.3, 1.7)),
])
def test_check_grads_order2(name, method, args):
    """chainrule's own checker (forward and reverse, order 2) on every traced argument."""
    first = args[:1] if method in ("moment", "interval") else ()
    rest = args[len(first):]
    moments = dict(moments="mvsk") if method == "stats" else {}
    f = lambda *p: getattr(getattr(cst, name), method)(*first, *p, **moments)
    if method in ("stats", "interval"):
        f = (lambda g: lambda *p: cr.numpy.stack(g(*p)))(f)
    cr.check_grads(f, rest, order=2, rtol=1e-5)


def test_frozen_distributions_take_scipys_frozen_signatures():
    frozen, theirs = cst.norm(1.0, 2.0), st.norm(1.0, 2.0)
    for method in ("mean", "var", "std", "median", "entropy", "support"):
        np.testing.assert_allclose(getattr(frozen, method)(), getattr(theirs, method)())
    np.testing.assert_allclose(frozen.stats(moments="mvsk"), theirs.stats(moments="mvsk"))
    np.testing.assert_allclose(frozen.moment(3), theirs.moment(3))
    np.testing.assert_allclose(frozen.interval(0.95), theirs.interval(0.95))
    assert np.array_equal(cst.gamma(2.0).rvs(3, random_state=0),
                          st.gamma(2.0).rvs(3, random_state=0))
    assert float(cr.grad(lambda s: cst.norm(0.0, s).entropy())(2.0)) == 0.5
    assert float(cr.grad(lambda a: cst.gamma(a, scale=2.0).mean())(3.0)) == 2.0


def test_vmap_over_parameters():
    a = np.array([1.5, 2.0, 4.0])
    np.testing.assert_allclose(cr.vmap(cst.gamma.entropy)(a), st.gamma.entropy(a), rtol=1e-12)
    np.testing.assert_allclose(cr.vmap(lambda s: cst.lognorm.median(s, scale=2.0))(a),
                               st.lognorm.median(a, scale=2.0), rtol=1e-12)
    np.testing.assert_allclose(cr.vmap(cr.grad(cst.beta.mean))(a, a), 0.25 / a, rtol=1e-12)


def test_fit_is_scipys_and_refuses_a_traced_argument():
    data = np.array([0.5, 1.5, 2.5, 4.0])
    np.testing.assert_allclose(cst.norm.fit(data), st.norm.fit(data))
    np.testing.assert_allclose(cst.gamma.fit(data, floc=0), st.gamma.fit(data, floc=0))
    with pytest.raises(TypeError, match="maximise the log-likelihood"):
        cr.grad(lambda d: cst.norm.fit(d)[0])(data)


# ---- rvs ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", NAMES)
def test_rvs_are_scipys_draws(name):
    ex, kw = _example(name), _where(name)
    if SPECS[name].discrete:   # SciPy (NumPy) draws binomials for an integer n only
        ex = tuple(int(v) if float(v).is_integer() else v for v in ex)
    ours = _call(getattr(cst, name).rvs, *ex, **kw, size=(2, 3), random_state=7)
    theirs = _call(getattr(st, name).rvs, *ex, **kw, size=(2, 3), random_state=7)
    assert np.array_equal(ours, theirs) and ours.dtype == theirs.dtype
    one = _call(getattr(cst, name).rvs, *ex, **kw, random_state=np.random.default_rng(3))
    assert one == _call(getattr(st, name).rvs, *ex, **kw, random_state=np.random.default_rng(3))


def _implicit_reference(name, ex, i, x, loc, scale, h=1e-6):
    """dx/dθ = −∂F/∂θ / f at the draws x, from SciPy's cdf and pdf."""
    S = getattr(st, name)

    def at(v):
        a = list(ex)
        a[i] = v
        return a
    dF = (S.cdf(x, *at(ex[i] + h), loc, scale) - S.cdf(x, *at(ex[i] - h), loc, scale)) / (2 * h)
    return -dF / S.pdf(x, *ex, loc, scale)


@pytest.mark.parametrize("name, ex", [
    ("gamma", (0.3,)), ("gamma", (2.0,)), ("beta", (2.0, 3.0)), ("t", (3.0,)),
    ("skewnorm", (2.0,)), ("invgauss", (1.5,)), ("vonmises", (2.0,)), ("gennorm", (1.5,)),
    ("f", (8.0, 12.0)), ("exponnorm", (1.5,)), ("nakagami", (1.5,)), ("lognorm", (0.7,)),
])
def test_rvs_derivative_is_the_implicit_reparameterization(name, ex):
    loc, scale = (0.0, 1.0) if name == "vonmises" else (0.3, 1.7)
    draw = lambda *a: getattr(cst, name).rvs(*a, loc=loc, scale=scale, size=20, random_state=1)
    x = draw(*ex)
    for i in range(len(ex)):
        def g(v, i=i):
            a = list(ex)
            a[i] = v
            return draw(*a)
        J = cr.jacfwd(g)(ex[i])
        np.testing.assert_allclose(J, _implicit_reference(name, ex, i, x, loc, scale),
                                   rtol=1e-6, atol=1e-7)
        np.testing.assert_allclose(cr.jacrev(g)(ex[i]), J, rtol=1e-9, atol=1e-12)
        # second order: d/dθ of dx/dθ along the draw's own path x + J·h
        h = 1e-4
        a_hi, a_lo = list(ex), list(ex)
        a_hi[i] += h
        a_lo[i] -= h
        want = (_implicit_reference(name, a_hi, i, x + J * h, loc, scale)
                - _implicit_reference(name, a_lo, i, x - J * h, loc, scale)) / (2 * h)
        H = cr.jacfwd(cr.jacrev(g))(ex[i])
        np.testing.assert_allclose(H, want, rtol=1e-3, atol=1e-4)
        np.testing.assert_allclose(cr.jacrev(cr.jacfwd(g))(ex[i]), H, rtol=1e-9, atol=1e-12)
    # loc and scale: x = z·scale + loc
    np.testing.assert_allclose(cr.jacfwd(lambda s: getattr(cst, name).rvs(
        *ex, loc=loc, scale=s, size=20, random_state=1))(scale), (x - loc) / scale, rtol=1e-12,
        atol=1e-15)   # (x − loc cancels for a draw next to loc)


@pytest.mark.parametrize("name, ex", [("weibull_min", (1.5,)), ("genextreme", (-0.3,)),
                                      ("pareto", (2.5,)), ("truncnorm", (-1.0, 2.0))])
def test_rvs_derivative_matches_scipys_draws_with_common_random_numbers(name, ex):
    """SciPy draws these by inversion, ppf(U): with the same random_state, its draws at θ ± h
    differ only through θ, and their difference is our derivative."""
    for i in range(len(ex)):
        def ours(v, i=i):
            a = list(ex)
            a[i] = v
            return getattr(cst, name).rvs(*a, 0.3, 1.7, size=10, random_state=4)
        theirs = lambda v: np.asarray(ours(v))   # SciPy's values, bit for bit
        cr.check_grads(ours, (ex[i],), order=2, rtol=1e-5)
        np.testing.assert_allclose(cr.jacfwd(ours)(ex[i]), _fd(theirs, ex[i], 1e-6), rtol=1e-6)


def test_pathwise_derivative_of_the_sample_mean_is_that_of_the_mean():
    """E[dX/dθ] = dE[X]/dθ: gamma's d mean/da = scale, beta's d mean/da = b/(a + b)²."""
    g = cr.grad(lambda a: cr.numpy.mean(cst.gamma.rvs(a, scale=2.0, size=20000,
                                                        random_state=0)))(1.5)
    assert abs(g - 2.0) < 0.05
    g = cr.grad(lambda a: cr.numpy.mean(cst.beta.rvs(a, 3.0, size=20000, random_state=0)))(2.0)
    assert abs(g - 3.0 / 25.0) < 0.005


def test_draws_under_vmap_are_refused_with_what_to_do():
    with pytest.raises(NotImplementedError, match="draw outside vmap"):
        cr.vmap(lambda a: cst.gamma.rvs(a, random_state=0))(np.array([1.0, 2.0]))
    with pytest.raises(NotImplementedError, match="draw outside vmap"):
        cr.vmap(lambda m: cst.multivariate_normal.rvs(m, np.eye(2), random_state=0))(
            np.ones((3, 2)))


def test_discrete_draws_have_zero_derivative():
    """d/dμ Σ k(μ)·μ = Σ k: the counts themselves do not move with μ."""
    k = st.poisson.rvs(3.0, size=5, random_state=0)
    got = cr.grad(lambda mu: cr.numpy.sum(cst.poisson.rvs(mu, size=5, random_state=0) * mu))(3.0)
    assert got == k.sum()


# ---- multivariate ------------------------------------------------------------------------------
def test_list_arguments_of_the_multivariate_densities():
    """multivariate_normal.logpdf([0, 0], [0, 0], eye) raised 'unsupported operand type(s)
    for -: list and list' (as did multivariate_t, multinomial and the hand-written ones)."""
    eye = np.eye(2)
    want = st.multivariate_normal.logpdf([0, 0], [0, 0], eye)
    assert np.isclose(cst.multivariate_normal.logpdf([0, 0], [0, 0], eye), want)
    assert np.isclose(cst.multivariate_normal([0, 0], [[1, 0], [0, 1]]).logpdf([0, 0]), want)
    assert np.isclose(cst.multivariate_t.logpdf([0, 0], [0, 0], [[1, 0], [0, 1]], 3),
                      st.multivariate_t.logpdf([0, 0], [0, 0], [[1, 0], [0, 1]], 3))
    assert np.isclose(cst.multinomial.logpmf([1, 1], 2, [0.5, 0.5]),
                      st.multinomial.logpmf([1, 1], 2, [0.5, 0.5]))
    np.testing.assert_allclose(cst.gamma.logpdf([1, 2], [1, 2]), st.gamma.logpdf([1, 2], [1, 2]))
    np.testing.assert_allclose(cst.binom.logpmf([1, 2], [3, 4], [.5, .5]),
                               st.binom.logpmf([1, 2], [3, 4], [.5, .5]))


def test_multivariate_methods_match_scipy():
    c = np.array([[2.0, 0.3], [0.3, 1.0]])
    alpha = np.array([2.0, 3.0, 0.5])
    for got, want in [
        (cst.multivariate_normal.entropy([1.0, 2.0], c), st.multivariate_normal.entropy([1, 2], c)),
        (cst.dirichlet.mean(alpha), st.dirichlet.mean(alpha)),
        (cst.dirichlet.var(alpha), st.dirichlet.var(alpha)),
        (cst.dirichlet.cov(alpha), st.dirichlet.cov(alpha)),
        (cst.dirichlet.entropy(alpha), st.dirichlet.entropy(alpha)),
        (cst.multinomial.mean(5, [0.2, 0.8]), st.multinomial.mean(5, [0.2, 0.8])),
        (cst.multinomial.cov(5, [0.2, 0.8]), st.multinomial.cov(5, [0.2, 0.8])),
        (cst.wishart.mean(4.0, c), st.wishart.mean(4.0, c)),
        (cst.wishart.mode(4.0, c), st.wishart.mode(4.0, c)),
        (cst.wishart.var(4.0, c), st.wishart.var(4.0, c)),
        (cst.invwishart.mean(5.0, c), st.invwishart.mean(5.0, c)),
        (cst.invwishart.mode(5.0, c), st.invwishart.mode(5.0, c)),
        (cst.invwishart.var(8.0, c), st.invwishart.var(8.0, c)),
        (cst.wishart.entropy(4.0, c), st.wishart.entropy(4.0, c)),
        (cst.invwishart.entropy(4.0, c), st.invwishart.entropy(4.0, c)),
        (cst.multivariate_t.entropy([0, 0], c, 3.0), st.multivariate_t.entropy([0, 0], c, 3.0)),
        (cst.multivariate_t.entropy(None, c, 1e4), st.multivariate_t.entropy(None, c, 1e4)),
        (cst.multinomial.entropy(4, [0.2, 0.3, 0.5]), st.multinomial.entropy(4, [0.2, 0.3, 0.5])),
        (cst.multivariate_normal.fit(np.array([[0.0, 1.0], [2.0, 5.0], [1.0, 1.0]]))[1],
         st.multivariate_normal.fit(np.array([[0.0, 1.0], [2.0, 5.0], [1.0, 1.0]]))[1]),
    ]:
        np.testing.assert_allclose(got, want, rtol=1e-12)
    for name, args in (("multinomial", (5, [0.2, 0.8])), ("wishart", (4.0, c)),
                       ("invwishart", (4.0, c)), ("dirichlet", (alpha,))):
        assert np.array_equal(getattr(cst, name).rvs(*args, size=3, random_state=2),
                              getattr(st, name).rvs(*args, size=3, random_state=2))
    with pytest.raises(NotImplementedError, match="cst.gamma.rvs"):
        cr.grad(lambda a: cr.numpy.sum(cst.dirichlet.rvs(a, random_state=0)))(alpha)
    # the entropy's derivative in cov is ½ cov⁻¹; in alpha, SciPy's formula's
    np.testing.assert_allclose(cr.grad(lambda s: cst.multivariate_normal.entropy(None, s))(c),
                               0.5 * np.linalg.inv(c), rtol=1e-12)
    cr.check_grads(cst.dirichlet.entropy, (alpha,), order=2)
    cr.check_grads(cst.dirichlet.cov, (alpha,), order=2)
    cr.check_grads(lambda df, s: cst.wishart.entropy(df, s @ s.T), (4.0, c), order=2)
    cr.check_grads(lambda df, s: cst.multivariate_t.entropy(None, s @ s.T, df), (3.0, c), order=2)
    cr.check_grads(lambda p: cst.multinomial.entropy(4, p / cr.numpy.sum(p)),
                   (np.array([0.2, 0.3, 0.5]),), order=2)


def test_multivariate_normal_draws():
    m, c = np.array([1.0, -1.0]), np.array([[2.0, 0.3], [0.3, 1.0]])
    x = cst.multivariate_normal.rvs(m, c, size=4, random_state=5)
    assert np.array_equal(x, st.multivariate_normal.rvs(m, c, size=4, random_state=5))
    assert np.array_equal(cst.multivariate_normal(m, c).rvs(4, random_state=5), x)
    # d x / d mean is the identity; in cov, that of mean + L(cov) w with w the whitened draw
    jm = cr.jacfwd(lambda mm: cst.multivariate_normal.rvs(mm, c, size=4, random_state=5))(m)
    np.testing.assert_allclose(jm, np.broadcast_to(np.eye(2), (4, 2, 2)), atol=1e-15)
    w = np.linalg.solve(np.linalg.cholesky(c), (x - m).T).T
    path = lambda cc: m + w @ np.linalg.cholesky(cc).T
    draws = lambda cc: cst.multivariate_normal.rvs(m, cc, size=4, random_state=5)
    e = np.array([[0.0, 1.0], [1.0, 0.0]])
    np.testing.assert_allclose(cr.jvp(draws, (c,), (e,))[1],
                               (path(c + 1e-6 * e) - path(c - 1e-6 * e)) / 2e-6, atol=1e-8)
    # on average the draws' covariance moves with cov: d/ds E[(x − m)(x − m)ᵀ] at cov s·c is c
    g = cr.jacfwd(lambda s: cr.numpy.mean(
        (cst.multivariate_normal.rvs(m, s * c, size=20000, random_state=0) - m) ** 2, axis=0))(1.0)
    np.testing.assert_allclose(g, np.diag(c), rtol=0.05)


# ---- expect ------------------------------------------------------------------------------------
#: SciPy's own numerical densities: ksone's has kinks (quad's answers differ at its
#: tolerance); studentized_range's, kstwo's and levy_stable's cost seconds per expectation
#: (the same quad over SciPy's pdf as every other: tests/test_stats_dists2.py)
_EXPECT_ELSEWHERE = {"ksone", "studentized_range", "kstwo", "levy_stable"}


@pytest.mark.parametrize("name", [n for n in NAMES if n not in _EXPECT_ELSEWHERE])
def test_expect_matches_scipy(name):
    ex, kw = _example(name), _where(name)
    ours, theirs = getattr(cst, name), getattr(st, name)
    func = lambda x: 1.0 / (1.0 + x * x)   # bounded and decaying: quick for every quadrature
    if name in ("zipf", "yulesimon", "betanbinom"):   # a power-law tail: the sum needs an end
        kw = dict(kw, ub=10000.0)
    np.testing.assert_allclose(_call(ours.expect, func, ex, **kw),
                               _call(theirs.expect, func, ex, **kw), rtol=1e-7, atol=1e-9)
    kw.pop("ub", None)
    frozen = _call(ours(*ex, **kw).expect, func, lb=2.0, ub=4.0, conditional=True)
    np.testing.assert_equal(frozen, _call(ours.expect, func, ex, **kw, lb=2.0, ub=4.0,
                                          conditional=True))   # (nan: no mass in the window)
    if SPECS[name].discrete:   # SciPy's conditional discrete expect is nan at some windows
        k = np.arange(2.0, 5.0)
        p = theirs.pmf(k, *ex, **kw)
        want = np.sum(func(k) * p) / np.sum(p)
    else:
        want = _call(theirs.expect, func, ex, **kw, lb=2.0, ub=4.0, conditional=True)
    np.testing.assert_allclose(frozen, want, rtol=1e-7, atol=1e-9, equal_nan=True)


def test_expect_derivatives():
    cr.check_grads(lambda a, s: cst.gamma.expect(lambda x: x * x, (a,), 0.0, s), (2.0, 1.5),
                   order=2, rtol=1e-5)
    cr.check_grads(lambda p: cst.binom.expect(lambda k: k ** 3, (5, p), conditional=True,
                                              lb=1), (0.3,), order=2)
    assert np.isclose(cr.grad(lambda m: cst.norm.expect(lambda x: x * x, loc=m))(0.7), 1.4)
    assert np.isclose(cr.grad(lambda s: cst.norm.expect(lambda x: x * x, scale=s))(2.0), 4.0)
