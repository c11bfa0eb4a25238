"""The distributions of chainrule.primitives.stats_shapes and stats_numeric beyond what the
generic family tests check (tests/test_stats_families.py: every method against SciPy on a grid
with the edges and shapes outside the family; tests/test_rules.py: derivatives to second
order): SciPy's docstring example for each, size 0 and 1, float32, frozen forms, the branches
the rule tests' random points may miss, the refusals' messages, SciPy's own random-only
objects."""

import warnings

import numpy as np
import pytest

import chainrule as cr
import chainrule.scipy.stats as cst
from chainrule.primitives.special_functions import UnsupportedDerivativeError
from chainrule.primitives.stats_families import FAMILIES

st = pytest.importorskip("scipy.stats")

CONTINUOUS = ["trapezoid", "truncpareto", "truncweibull_min", "wrapcauchy", "cosine",
              "vonmises_line", "rdist", "argus", "alpha", "crystalball", "genexpon",
              "genhalflogistic", "halfgennorm", "mielke", "kappa3", "skewcauchy",
              "rel_breitwigner", "jf_skew_t", "tukeylambda", "pearson3", "dpareto_lognorm",
              "norminvgauss", "geninvgauss", "gausshyper", "kstwobign", "ksone", "kstwo",
              "levy_stable", "landau", "kappa4", "genhyperbolic", "irwinhall"]
DISCRETE = ["zipfian", "nchypergeom_fisher", "nchypergeom_wallenius"]


def _quiet(f, *a, **k):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return f(*a, **k)


@pytest.mark.parametrize("name", CONTINUOUS)
def test_scipys_docstring_example(name):
    """SciPy's example, with its imports changed: the pdf on ppf(0.01)..ppf(0.99), and
    cdf(ppf(q)) = q."""
    shapes = FAMILIES[name].example[1:]
    ours, theirs = getattr(cst, name), getattr(st, name)
    # (no ppf here where SciPy solves cdf(x) = q numerically, as for vonmises: SciPy's)
    ppf = ours.ppf if "ppf" in FAMILIES[name].methods else theirs.ppf
    x = np.linspace(ppf(0.01, *shapes), ppf(0.99, *shapes), 12)
    np.testing.assert_allclose(x, np.linspace(theirs.ppf(0.01, *shapes),
                                              theirs.ppf(0.99, *shapes), 12), rtol=1e-10)
    # (kstwobign: SciPy's density is 2e−9 off near x = 0.87; chainrule's series is exact)
    np.testing.assert_allclose(ours.pdf(x, *shapes), _quiet(theirs.pdf, x, *shapes),
                               rtol=1e-8 if name == "kstwobign" else 1e-10)
    vals = ppf([0.001, 0.5, 0.999], *shapes)
    assert np.allclose([0.001, 0.5, 0.999], ours.cdf(vals, *shapes))
    np.testing.assert_allclose(ours.median(*shapes), theirs.median(*shapes), rtol=1e-10)
    frozen = ours(*shapes, loc=0.3, scale=1.7)
    np.testing.assert_allclose(frozen.cdf(x), _quiet(theirs(*shapes, loc=0.3, scale=1.7).cdf, x),
                               rtol=1e-10)


@pytest.mark.parametrize("name", DISCRETE)
def test_discrete_docstring_example(name):
    shapes = FAMILIES[name].example[1:]
    ours, theirs = getattr(cst, name), getattr(st, name)
    k = np.arange(theirs.ppf(0.01, *shapes), theirs.ppf(0.99, *shapes))
    np.testing.assert_allclose(ours.pmf(k, *shapes), theirs.pmf(k, *shapes), rtol=1e-12)
    np.testing.assert_allclose(ours(*shapes).cdf(k), theirs(*shapes).cdf(k), rtol=1e-12)


@pytest.mark.parametrize("name", ["trapezoid", "crystalball", "norminvgauss", "kstwobign",
                                  "levy_stable", "zipfian", "kappa4", "irwinhall"])
def test_size_0_and_1_and_float32(name):
    fam = FAMILIES[name]
    first, shapes = fam.example[0], fam.example[1:]
    for method, fn in fam.methods.items():
        want = getattr(getattr(st, name), method)
        arg = 0.3 if method in ("ppf", "isf") else first
        assert fn(np.array([]), *shapes).shape == (0,)
        got = fn(np.array([arg]), *shapes)
        assert got.shape == (1,) and got.dtype == np.float64
        np.testing.assert_allclose(got, _quiet(want, np.array([arg]), *shapes), rtol=1e-12)
        got32 = fn(np.float32(arg), *shapes)
        assert np.asarray(got32).dtype == np.float64   # (SciPy's answer is float64 too)
        np.testing.assert_allclose(got32, _quiet(want, np.float32(arg), *shapes), rtol=1e-6)


def test_branches_the_rule_tests_may_miss():
    # crystalball's power-law tail, below −beta (the rule tests' points lie mostly in the core)
    for method in ("logpdf", "cdf", "sf"):
        cr.check_grads(lambda x, b, m: getattr(cst.crystalball, method)(x, b, m),
                       (-3.5, 1.2, 3.0), order=2)
    cr.check_grads(lambda q, b, m: cst.crystalball.ppf(q, b, m), (0.02, 1.2, 3.0), order=2)
    # zipfian with a ≤ 1: SciPy's explicit harmonic sum, and the same jit program crossing a = 1
    cr.check_grads(lambda a: cst.zipfian.logpmf(3.0, a, 8.0), (0.7,), order=2)
    cr.check_grads(lambda a: cst.zipfian.cdf(3.0, a, 8.0), (0.7,), order=2)
    f = cr.jit(lambda a: cst.zipfian.logpmf(3.0, a, 8.0))
    for a in (2.0, 0.5, 0.0):
        np.testing.assert_allclose(f(a), st.zipfian.logpmf(3, a, 8), rtol=1e-13)
    # truncpareto's moment through b = n (exprel's limit, not SciPy's special case's slope)
    cr.check_grads(lambda b: cst.truncpareto.mean(b, 3.0), (1.0,), order=2)
    np.testing.assert_allclose(cst.truncpareto.mean(1.0, 3.0), st.truncpareto.mean(1.0, 3.0),
                               rtol=1e-13)
    # pearson3 with a negative skew, and at skew 0 (the normal)
    cr.check_grads(lambda x, s: cst.pearson3.logpdf(x, s), (0.3, -0.8), order=2)
    np.testing.assert_allclose(cst.pearson3.cdf(0.4, 0.0), st.norm.cdf(0.4), rtol=1e-15)
    # wrapcauchy's cdf on both sides of π, rel_breitwigner's near 1
    cr.check_grads(lambda x: cst.wrapcauchy.cdf(x, 0.4), (np.array([0.5, 3.0, 3.3, 6.0]),),
                   order=2)
    np.testing.assert_allclose(cst.rel_breitwigner.cdf([0.2, 50.0, 1e6], 4.0),
                               st.rel_breitwigner.cdf([0.2, 50.0, 1e6], 4.0), rtol=1e-13)
    # the cosine cdf near −π: the series, no cancellation (x + π itself is the input's
    # rounding, cubed: 1e−12 at x + π = 1e−3)
    x = -np.pi + np.array([1e-3, 0.05, 0.5])
    np.testing.assert_allclose(cst.cosine.cdf(x), st.cosine.cdf(x), rtol=1e-11)
    # kstwobign: Kolmogorov's distribution, to second order
    cr.check_grads(lambda x: cst.kstwobign.logpdf(x), (np.array([0.5, 0.9, 1.5]),), order=2)
    cr.check_grads(lambda q: cst.kstwobign.ppf(q), (np.array([0.2, 0.7]),), order=2)


def test_kappa4_through_h_and_k_zero():
    """SciPy's four branches (h, k zero or not) are one formula here: the derivatives in h and
    k at 0 are those of SciPy's values around it (central differences); the second those of
    the first around it (SciPy's quantile at k = ±1e−4 cancels too much to difference twice)."""
    h = 1e-4
    for method, arg in (("logpdf", 0.7), ("cdf", 0.7), ("ppf", 0.3)):
        ours = getattr(cst.kappa4, method)
        theirs = getattr(st.kappa4, method)
        for at in ((0.0, 0.3), (0.4, 0.0), (0.0, 0.0)):
            for i in (0, 1):
                def moved(d, i=i):
                    p = list(at)
                    p[i] += d
                    return p
                if method == "ppf" and at[1] == 0 and i == 0:
                    continue   # (SciPy's ppf at k = 0 is nan for h < 0: its log(h))
                fd1 = (theirs(arg, *moved(h)) - theirs(arg, *moved(-h))) / (2 * h)
                g = cr.grad(lambda v, i=i: ours(arg, *moved(v - at[i])))
                np.testing.assert_allclose(g(at[i]), fd1, rtol=1e-6, err_msg=f"{method}{at}")
                fd2 = (g(at[i] + h) - g(at[i] - h)) / (2 * h)
                np.testing.assert_allclose(cr.grad(g)(at[i]), fd2, rtol=1e-5, atol=1e-9,
                                           err_msg=f"{method}{at} 2nd")
    cr.check_grads(lambda x, h, k: cst.kappa4.logpdf(x, h, k), (0.7, 0.0, 0.0), order=2)


def test_irwinhall_density_differentiates_through_the_uniforms():
    # f_n' = f_{n−1}(x) − f_{n−1}(x − 1): to second order, the cdf to third
    cr.check_grads(lambda x: cst.irwinhall.logpdf(x, 4.0), (np.array([0.5, 1.7, 3.2]),), order=2)
    cr.check_grads(lambda x: cst.irwinhall.cdf(x, 4.0), (np.array([0.5, 1.7, 3.2]),), order=3)
    np.testing.assert_allclose(cr.grad(lambda x: cst.irwinhall.pdf(x, 1.0))(0.4), 0.0)
    with pytest.raises(UnsupportedDerivativeError, match=r"irwinhall\.cdf.*\bn\b"):
        cr.grad(lambda n: cst.irwinhall.cdf(1.0, n))(3.0)


def test_scipy_valued_methods_differentiate_once_in_x():
    # the cdf's derivative is SciPy's density; a quantile's 1/density at the quantile
    for name, shapes in (("levy_stable", (1.5, 0.3)), ("landau", ()), ("kstwo", (5.0,)),
                         ("ksone", (5.0,)), ("norminvgauss", (2.0, 0.5))):
        np.testing.assert_allclose(cr.grad(lambda x: getattr(cst, name).cdf(x, *shapes))(0.45),
                                   st.__dict__[name].pdf(0.45, *shapes), rtol=1e-12)
    q = 0.4
    x = st.studentized_range.ppf(q, 3.0, 10.0)
    np.testing.assert_allclose(cr.grad(lambda q: cst.studentized_range.ppf(q, 3.0, 10.0))(q),
                               1.0 / st.studentized_range.pdf(x, 3.0, 10.0), rtol=1e-8)
    # no derivative of their densities, nor a second of their cdfs: refused by name
    with pytest.raises(UnsupportedDerivativeError, match="levy_stable_pdf: the derivative with "
                                                         "respect to x is not supported"):
        cr.grad(lambda x: cst.levy_stable.logpdf(x, 1.5, 0.3))(0.5)
    with pytest.raises(UnsupportedDerivativeError, match="landau_pdf"):
        cr.grad(cr.grad(cst.landau.cdf))(0.5)
    with pytest.raises(UnsupportedDerivativeError,
                       match=r"nchypergeom_fisher\.logpmf: the derivative with respect to odds"):
        cr.grad(lambda w: cst.nchypergeom_fisher.logpmf(3, 20, 7, 12, w))(2.5)
    # values stay SciPy's under vmap and jit
    xs = np.array([-0.5, 0.3, 1.2])
    np.testing.assert_allclose(cr.vmap(lambda x: cst.levy_stable.cdf(x, 1.5, 0.3))(xs),
                               st.levy_stable.cdf(xs, 1.5, 0.3), rtol=1e-14)
    np.testing.assert_allclose(cr.jit(cst.landau.sf)(xs), st.landau.sf(xs), rtol=1e-15)


def test_refused_shapes_name_what_to_do():
    # tukeylambda's cdf in lam by the implicit function theorem on its quantile, through
    # lam = 0 (where SciPy's tklmbda is the logistic's, flat in lam: differenced from afar)
    for lam, h in ((0.3, 1e-5), (-0.4, 1e-5), (0.0, 1e-3)):
        for m in ("cdf", "logpdf"):
            fd = (getattr(st.tukeylambda, m)(0.4, lam + h)
                  - getattr(st.tukeylambda, m)(0.4, lam - h)) / (2 * h)
            np.testing.assert_allclose(cr.grad(lambda v: getattr(cst.tukeylambda, m)(0.4, v))(lam),
                                       fd, rtol=2e-6 if h < 1e-4 else 1e-5, err_msg=f"{m} {lam}")
    cr.check_grads(lambda x, lam: cst.tukeylambda.cdf(x, lam), (0.4, 0.2), order=2)
    with pytest.raises(UnsupportedDerivativeError, match=r"geninvgauss\.logpdf.*\bp\b"):
        cr.grad(lambda p: cst.geninvgauss.logpdf(1.0, p, 2.0))(1.5)
    # tukeylambda at lam = 0 is the logistic distribution
    np.testing.assert_allclose(cst.tukeylambda.cdf(0.7, 0.0), st.logistic.cdf(0.7), rtol=1e-14)
    # the densities are differentiable in the shapes the cdf refuses
    np.testing.assert_allclose(cr.grad(lambda c: cst.rdist.logpdf(0.3, c))(3.0),
                               (np.log(st.rdist.pdf(0.3, 3.0 + 1e-6))
                                - np.log(st.rdist.pdf(0.3, 3.0 - 1e-6))) / 2e-6, rtol=1e-7)


def test_random_only_distributions_are_scipys_own():
    for name in ("ortho_group", "special_ortho_group", "unitary_group", "random_correlation",
                 "random_table", "uniform_direction"):
        assert getattr(cst, name) is getattr(st, name)
    assert np.array_equal(cst.ortho_group.rvs(3, random_state=0),
                          st.ortho_group.rvs(3, random_state=0))
    with pytest.raises(AttributeError, match="not wrapped"):
        cst.no_such_distribution


# ---- multivariate (chainrule.scipy.stats_multivariate_more) ------------------------------------
def test_multivariate_densities_match_scipy():
    rng = np.random.default_rng(4)
    a, b = rng.standard_normal((2, 2)), rng.standard_normal((3, 3))
    U, V = a @ a.T + np.eye(2), b @ b.T + np.eye(3)
    M = rng.standard_normal((2, 3))
    for X in (rng.standard_normal((2, 3)), rng.standard_normal((4, 2, 3))):
        for m in ("logpdf", "pdf"):
            for args in ((M, U, V), (None, U, V), (M, 2.0, np.diag(V))):
                np.testing.assert_allclose(getattr(cst.matrix_normal, m)(X, *args),
                                           getattr(st.matrix_normal, m)(X, *args), rtol=1e-12)
                # the traced path (the closed form) gives the same numbers
                np.testing.assert_allclose(
                    cr.jvp(lambda X: getattr(cst.matrix_normal, m)(X, *args), (X,), (X,))[0],
                    getattr(st.matrix_normal, m)(X, *args), rtol=1e-12)
            np.testing.assert_allclose(
                cr.jvp(lambda X: getattr(cst.matrix_t, m)(X, M, U, V, 3.5), (X,), (X,))[0],
                getattr(st.matrix_t, m)(X, M, U, V, 3.5), rtol=1e-12)
    x = np.array([[1.0, 2.0, 0.0], [0.0, 1.0, 2.0], [1.0, 1.0, 0.0]])
    for m in ("logpmf", "pmf"):
        np.testing.assert_allclose(
            cr.jvp(lambda al: getattr(cst.dirichlet_multinomial, m)(x, al, 3), (np.ones(3),),
                   (np.ones(3),))[0],
            getattr(st.dirichlet_multinomial, m)(x, np.ones(3), 3), rtol=1e-13)   # (−inf too)
    mu = np.array([0.0, 0.6, 0.8])
    xs = rng.standard_normal((5, 3))
    xs /= np.linalg.norm(xs, axis=-1, keepdims=True)
    for kappa in (0.3, 2.0, 50.0):
        np.testing.assert_allclose(
            cr.jvp(lambda k: cst.vonmises_fisher.logpdf(xs, mu, k), (kappa,), (1.0,))[0],
            st.vonmises_fisher.logpdf(xs, mu, kappa), rtol=1e-13)
    args = (np.array([0.3, -1.0]), np.array([1.5, 0.0]), 0.1, 2.0, 3.0, 1.2)
    np.testing.assert_allclose(cst.normal_inverse_gamma.logpdf(*args),
                               st.normal_inverse_gamma.logpdf(*args), rtol=1e-14)
    assert np.isnan(cst.normal_inverse_gamma.logpdf(0.3, 1.0, 0.0, -1.0))
    np.testing.assert_allclose(cst.multivariate_hypergeom.pmf([[1, 2], [0, 3]], [4, 6], 3),
                               st.multivariate_hypergeom.pmf([[1, 2], [0, 3]], [4, 6], 3))


def test_multivariate_errors_are_scipys_traced_or_not():
    for f in (lambda v: cst.vonmises_fisher.logpdf([1.0, 0.0], [v, 1.0], 2.0),   # |mu| ≠ 1
              lambda v: cst.matrix_normal.logpdf(np.eye(2), None, v * np.eye(3))):  # shapes
        with pytest.raises(ValueError):
            f(1.0)
        with pytest.raises(ValueError):
            cr.grad(f)(1.0)
    with pytest.raises(ValueError, match="alpha"):
        cr.grad(lambda a: cst.dirichlet_multinomial.logpmf([1, 2], a, 3))(np.array([-1.0, 1.0]))


def test_multivariate_methods_and_their_derivatives():
    U = np.array([[2.0, 0.3], [0.3, 1.0]])
    np.testing.assert_allclose(cst.matrix_normal.entropy(U, np.eye(3)),
                               st.matrix_normal.entropy(U, np.eye(3)), rtol=1e-14)
    cr.check_grads(lambda s: cst.matrix_normal.entropy(U * s, np.eye(3)), (1.3,), order=2)
    cr.check_grads(lambda k: cst.vonmises_fisher.entropy([0.0, 1.0, 0.0], k), (2.0,), order=2)
    np.testing.assert_allclose(
        cr.jvp(lambda k: cst.vonmises_fisher.entropy([0.0, 1.0, 0.0], k), (2.0,), (1.0,))[0],
        st.vonmises_fisher.entropy([0.0, 1.0, 0.0], 2.0), rtol=1e-13)
    alpha = np.array([1.0, 3.0, 0.5])
    for m in ("mean", "var", "cov"):
        np.testing.assert_allclose(getattr(cst.dirichlet_multinomial, m)(alpha, 8),
                                   getattr(st.dirichlet_multinomial, m)(alpha, 8), rtol=1e-14)
        np.testing.assert_allclose(
            cr.jvp(lambda a: getattr(cst.dirichlet_multinomial, m)(a, 8), (alpha,), (alpha,))[0],
            getattr(st.dirichlet_multinomial, m)(alpha, 8), rtol=1e-14)
        cr.check_grads(lambda a: getattr(cst.dirichlet_multinomial, m)(a, 8), (alpha,), order=2)
    for m in ("mean", "var"):
        np.testing.assert_allclose(getattr(cst.normal_inverse_gamma, m)(0.5, 2.0, 3.0, 4.0),
                                   getattr(st.normal_inverse_gamma, m)(0.5, 2.0, 3.0, 4.0))
        cr.check_grads(lambda a, b: cr.numpy.stack(getattr(cst.normal_inverse_gamma, m)(
            0.5, 2.0, a, b)), (3.5, 4.0), order=2)
    assert np.array_equal(cst.matrix_normal.rvs(np.zeros((2, 2)), size=2, random_state=0),
                          st.matrix_normal.rvs(np.zeros((2, 2)), size=2, random_state=0))
    with pytest.raises(NotImplementedError, match="value only"):
        cr.grad(lambda k: cst.vonmises_fisher.rvs([0.0, 1.0], k, random_state=0)[0])(2.0)
    # frozen, as SciPy's
    M = np.zeros((2, 3))
    for frozen in (cst.matrix_normal(M, U, np.eye(3)), cst.matrix_normal(mean=M, rowcov=U)):
        np.testing.assert_allclose(frozen.entropy(), st.matrix_normal(M, U).entropy()
                                   if frozen.kwds else st.matrix_normal(M, U, np.eye(3)).entropy())
    frozen = cst.normal_inverse_gamma(0.1, 2.0, 3.0, 1.2)
    np.testing.assert_allclose(frozen.logpdf(0.3, 1.5),
                               st.normal_inverse_gamma(0.1, 2.0, 3.0, 1.2).logpdf(0.3, 1.5))
    np.testing.assert_allclose(cst.vonmises_fisher([0.0, 1.0], 2.0).pdf([1.0, 0.0]),
                               st.vonmises_fisher([0.0, 1.0], 2.0).pdf([1.0, 0.0]))


def test_poisson_binom_matches_scipy_and_differentiates_in_p():
    p = np.array([0.2, 0.5, 0.7])
    k = np.array([-np.inf, -1.0, 0.0, 0.5, 1.0, 2.0, 3.0, 4.0, np.inf, np.nan])
    for m in ("pmf", "logpmf", "cdf", "sf"):
        for loc in (0, 1):
            np.testing.assert_allclose(getattr(cst.poisson_binom, m)(k, p, loc),
                                       _quiet(getattr(st.poisson_binom, m), k, p, loc=loc),
                                       rtol=1e-13, err_msg=m)
        batch = np.array([[0.2, 0.3], [0.5, 0.6]])   # two distributions, p on the last axis
        np.testing.assert_allclose(getattr(cst.poisson_binom, m)(np.array([[0], [1]]), batch),
                                   getattr(st.poisson_binom, m)(np.array([[0], [1]]), batch),
                                   rtol=1e-13)
    assert np.isnan(cst.poisson_binom.pmf(1, [0.2, 1.5]))
    rng = np.random.default_rng(0)
    many = rng.uniform(size=40)
    np.testing.assert_allclose(cst.poisson_binom.pmf(np.arange(41), many),
                               st.poisson_binom.pmf(np.arange(41), many), rtol=1e-12)
    # d/dpⱼ P(K = k) = P(K₋ⱼ = k − 1) − P(K₋ⱼ = k)
    g = cr.grad(lambda p: cst.poisson_binom.pmf(1, p))(p)
    want = [st.poisson_binom.pmf(0, np.delete(p, j)) - st.poisson_binom.pmf(1, np.delete(p, j))
            for j in range(3)]
    np.testing.assert_allclose(g, want, rtol=1e-14)
    for m in ("mean", "var"):
        np.testing.assert_allclose(getattr(cst.poisson_binom, m)(p), getattr(st.poisson_binom, m)(p))
    np.testing.assert_allclose(cst.poisson_binom(p).cdf(1), st.poisson_binom(p).cdf(1))
    assert np.array_equal(cst.poisson_binom.rvs(p, size=5, random_state=2),
                          st.poisson_binom.rvs(p, size=5, random_state=2))


def test_scipys_multivariate_docstring_examples():
    # matrix_normal's, with its imports changed
    M = np.arange(6).reshape(3, 2)
    U = np.diag([1, 2, 3]); V = 0.3 * np.identity(2)   # noqa: E702
    X = M + 0.1
    np.testing.assert_allclose(cst.matrix_normal.pdf(X, mean=M, rowcov=U, colcov=V),
                               0.023410202050005054, rtol=1e-12)
    vectorised_X = X.T.flatten()
    equiv_mean, equiv_cov = M.T.flatten(), np.kron(V, U)
    np.testing.assert_allclose(cst.multivariate_normal.pdf(vectorised_X, mean=equiv_mean,
                                                           cov=equiv_cov),
                               cst.matrix_normal.pdf(X, mean=M, rowcov=U, colcov=V), rtol=1e-12)
    # dirichlet_multinomial's
    alpha, n = np.array([1.0, 2.0]), 5
    x = np.array([[0, 5], [1, 4], [2, 3]])
    np.testing.assert_allclose(cst.dirichlet_multinomial.pmf(x, alpha, n),
                               st.dirichlet_multinomial.pmf(x, alpha, n), rtol=1e-14)
    np.testing.assert_allclose(cst.dirichlet_multinomial.mean(alpha, n), [5 / 3, 10 / 3])
    # vonmises_fisher's: the density at its mean direction, a frozen one
    mu = np.array([0, 0, 1.0])
    vmf = cst.vonmises_fisher(mu, 1.0)
    np.testing.assert_allclose(vmf.pdf(mu), st.vonmises_fisher(mu, 1.0).pdf(mu), rtol=1e-14)
    # normal_inverse_gamma's
    np.testing.assert_allclose(cst.normal_inverse_gamma.pdf(1.0, 2.0, 0.0, 1.0, 2.0, 1.0),
                               st.normal_inverse_gamma.pdf(1.0, 2.0, 0.0, 1.0, 2.0, 1.0),
                               rtol=1e-14)
    # poisson_binom's
    p = [0.1, 0.6, 0.7, 0.8]
    k = np.arange(5)
    np.testing.assert_allclose(cst.poisson_binom.pmf(k, p), st.poisson_binom.pmf(k, p),
                               rtol=1e-13)
    # size 0 and 1, float32
    assert cst.poisson_binom.pmf(np.array([]), p).shape == (0,)
    assert cst.dirichlet_multinomial.logpmf(np.zeros((0, 2)), alpha, n).shape == (0,)
    x32 = np.full((1, 1), 0.5, dtype=np.float32)
    np.testing.assert_allclose(cst.matrix_normal.logpdf(x32), st.matrix_normal.logpdf(x32),
                               rtol=1e-7)
    np.testing.assert_allclose(cr.grad(lambda x: cst.matrix_normal.logpdf(x))(x32), -x32,
                               rtol=1e-7)


def test_a_quantile_in_a_refused_shape_without_a_finite_end_says_so():
    with pytest.raises(NotImplementedError, match=r"pearson3: .*median.*skew"):
        cr.grad(lambda s: cst.pearson3.median(s))(0.8)
    # loc and scale, and the shapes whose cdf is differentiable, are fine
    np.testing.assert_allclose(cr.grad(lambda s: cst.pearson3.median(0.8, 0.0, s))(2.0),
                               st.pearson3.median(0.8), rtol=1e-12)
