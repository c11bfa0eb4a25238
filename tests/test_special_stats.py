"""chainrule.scipy.special and chainrule.scipy.stats against SciPy's values on grids, the edge
cases users hit (log_ndtr at −40, xlogy at 0, logsumexp with zero or negative weights,
poisson at k = 0, multivariate_normal over a batch), and the errors for derivatives that
are not supported. The derivatives themselves are checked in tests/test_rules.py."""

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp
import chainrule.scipy.special as csp
import chainrule.scipy.stats as cst
from chainrule.core import registry
from chainrule.primitives.special_functions import UnsupportedDerivativeError

ss = pytest.importorskip("scipy.special")
st = pytest.importorskip("scipy.stats")

X = np.linspace(-3.0, 3.0, 13)
P = np.linspace(0.05, 2.95, 11)
U = np.linspace(0.02, 0.98, 9)

UNARY = {"gamma": P, "gammasgn": X, "erfinv": 2 * U - 1, "erfcinv": 2 * U, "ndtr": X,
         "ndtri": U, "log_ndtr": np.r_[X, -40.0, -1e3, 40.0], "i0": X, "i1": X, "i0e": X,
         "i1e": X, "entr": np.r_[0.0, P, -1.0]}
BINARY = {"beta": (P, P[::-1]), "betaln": (P, P[::-1]), "xlogy": (np.r_[0.0, P], np.r_[0.0, P]),
          "xlog1py": (np.r_[0.0, P], np.r_[-1.0, P]), "rel_entr": (np.r_[0.0, P], np.r_[0.0, P]),
          "kl_div": (np.r_[0.0, P], np.r_[0.0, P]), "gammainc": (P, P[::-1]),
          "gammaincc": (P, P[::-1]), "gammaincinv": (P, np.linspace(0.02, 0.98, 11)),
          "gammainccinv": (P, np.linspace(0.02, 0.98, 11)), "zeta": (P + 1.5, P),
          "owens_t": (X[:11], P), "stdtr": (P, X[:11]), "iv": (np.r_[0.0, 0.5, 2.0][:, None], P),
          "ive": (np.r_[0.0, 0.5, 2.0][:, None], X), "jv": (np.r_[0.0, 1.5][:, None], P),
          "yv": (np.r_[0.0, 1.5][:, None], P)}


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_values_match_scipy(name):
    x = UNARY[name]
    np.testing.assert_allclose(getattr(csp, name)(x), getattr(ss, name)(x), rtol=1e-13)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary_values_match_scipy(name):
    a, b = BINARY[name]
    np.testing.assert_allclose(getattr(csp, name)(a, b), getattr(ss, name)(a, b), rtol=1e-13)


def test_betainc_and_multigammaln_match_scipy():
    a, b = np.meshgrid(P, P[::-1])
    np.testing.assert_allclose(csp.betainc(a, b, 0.3), ss.betainc(a, b, 0.3), rtol=1e-13)
    np.testing.assert_allclose(csp.betaincinv(a, b, 0.3), ss.betaincinv(a, b, 0.3), rtol=1e-13)
    np.testing.assert_allclose(csp.zeta(P + 1.5), ss.zeta(P + 1.5), rtol=1e-13)
    for d in (1, 2, 4):
        np.testing.assert_allclose(csp.multigammaln(P + 2.0, d), ss.multigammaln(P + 2.0, d))


def test_log_ndtr_is_stable_far_in_the_left_tail():
    g = cr.grad(csp.log_ndtr)(-40.0)
    assert np.isfinite(g) and abs(g - 40.02496885) < 1e-6   # φ/Φ ≈ −x − 1/x
    assert abs(cr.grad(cr.grad(csp.log_ndtr))(-40.0) + 1.0) < 1e-3
    assert cr.grad(csp.log_ndtr)(40.0) == 0.0


def test_xlogy_at_zero():
    assert csp.xlogy(0.0, 0.0) == 0.0 and csp.xlog1py(0.0, -1.0) == 0.0
    assert cr.grad(lambda y: csp.xlogy(0.0, y))(0.0) == 0.0         # ∂/∂y: x/y = 0 at x = 0
    assert cr.grad(lambda y: csp.xlog1py(0.0, y))(-1.0) == 0.0
    assert cr.grad(lambda x: csp.xlogy(x, 2.0))(0.0) == np.log(2.0)  # ∂/∂x: log y
    # the mixed second derivative ∂²/∂x∂y = 1/y, also at x = 0
    assert cr.grad(lambda x: cr.grad(lambda y: csp.xlogy(x, y))(2.0))(0.0) == 0.5


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_logsumexp_weights_and_sign_match_scipy():
    a = np.array([[1000.0, 1.0, 2.0], [0.5, -1.0, 3.0]])
    for b in (np.array([0.0, 1.0, 1.0]), np.array([1.0, -1.0, 0.5]), np.array([1.0, -2.0, 0.0]),
              np.zeros(3)):
        for axis in (None, 1, 0):
            want = ss.logsumexp(a, axis=axis, b=b, return_sign=True)
            got = csp.logsumexp(a, axis=axis, b=b, return_sign=True)
            # SciPy 1.17 gives nan where every weight is 0 and an a overflows exp (else −inf):
            # the sum of no terms is 0, so chainrule answers log 0 = −inf with sign 0.
            lost = np.isnan(want[0])
            assert np.all(np.asarray(got[0])[lost] == -np.inf)
            assert np.all(np.asarray(got[1])[lost] == 0)
            np.testing.assert_allclose(np.asarray(got[0])[~lost], np.asarray(want[0])[~lost])
            np.testing.assert_array_equal(np.asarray(got[1])[~lost], np.asarray(want[1])[~lost])
            plain, ref = csp.logsumexp(a, axis=axis, b=b), ss.logsumexp(a, axis=axis, b=b)
            np.testing.assert_allclose(np.asarray(plain)[~lost], np.asarray(ref)[~lost])
    # a zero weight drops the entry (its huge a does not overflow), and its derivative in b is finite
    b = np.array([0.0, 1.0])
    assert csp.logsumexp(np.array([1000.0, 1.0]), b=b) == 1.0
    g = cr.grad(lambda b: csp.logsumexp(np.array([0.0, 1.0]), b=b))(b)
    np.testing.assert_allclose(g, np.exp([0.0, 1.0]) / np.e)
    # a negative sum: nan without return_sign (SciPy's answer), log|s| and sign −1 with it
    assert np.isnan(csp.logsumexp(np.array([1.0, 2.0]), b=np.array([1.0, -1.0])))
    assert csp.logsumexp(np.zeros(2), keepdims=True, return_sign=True)[1].shape == (1,)


@pytest.mark.parametrize("call", [
    lambda a: csp.betainc(a, 2.0, 0.3), lambda b: csp.betainc(2.0, b, 0.3),
    lambda a: csp.gammainc(a, 0.3), lambda a: csp.gammaincc(a, 0.3), lambda v: csp.iv(v, 1.0),
    lambda a: csp.gammaincinv(a, 0.3), lambda a: csp.gammainccinv(a, 0.3),
    lambda a: csp.betaincinv(a, 2.0, 0.3), lambda b: csp.betaincinv(2.0, b, 0.3),
    lambda df: csp.stdtrit(df, 0.3),
    lambda v: csp.jv(v, 1.0), lambda df: csp.stdtr(df, 0.3),
    lambda df: cst.t.cdf(0.3, df), lambda a: cst.gamma.cdf(0.3, a),
    lambda a: cst.beta.cdf(0.3, a, 2.0), lambda df: cst.chi2.cdf(0.3, df)])
def test_unsupported_derivatives_raise_in_both_modes(call):
    with pytest.raises(UnsupportedDerivativeError, match="not supported"):
        cr.grad(call)(1.5)
    with pytest.raises(UnsupportedDerivativeError, match="not supported"):
        cr.jvp(call, (1.5,), (1.0,))


def test_unsupported_parameters_still_batch():
    a = np.array([0.5, 1.5, 2.5])
    np.testing.assert_allclose(cr.vmap(lambda a: cst.gamma.cdf(1.0, a))(a), st.gamma.cdf(1.0, a))


# ---- scipy.stats -----------------------------------------------------------------------------------
XS = np.linspace(-4.0, 4.0, 17)
LOC, SCALE = 0.3, 1.7
CONTINUOUS = {  # name: (shape parameters, grid, methods)
    "norm": ((), XS, ("pdf", "logpdf", "cdf", "logcdf", "sf", "logsf")),
    "t": ((2.5,), XS, ("pdf", "logpdf", "cdf")),
    "gamma": ((1.7,), XS, ("pdf", "logpdf", "cdf")),
    "chi2": ((3.0,), XS, ("pdf", "logpdf", "cdf")),
    "beta": ((2.0, 0.7), np.linspace(-0.5, 2.5, 13), ("pdf", "logpdf", "cdf")),
    "expon": ((), XS, ("pdf", "logpdf", "cdf")),
    "laplace": ((), XS, ("pdf", "logpdf", "cdf")),
    "logistic": ((), np.r_[XS, -800.0, 800.0], ("pdf", "logpdf", "cdf")),
    "uniform": ((), XS, ("pdf", "logpdf", "cdf")),
    "cauchy": ((), XS, ("pdf", "logpdf", "cdf")),
    "lognorm": ((0.7,), XS, ("pdf", "logpdf", "cdf")),
}


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("name", sorted(CONTINUOUS))
def test_continuous_distributions_match_scipy(name):
    params, x, methods = CONTINUOUS[name]
    for m in methods:
        for args in ((), (LOC, SCALE)):
            got = getattr(getattr(cst, name), m)(x, *params, *args)
            want = getattr(getattr(st, name), m)(x, *params, *args)
            np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-300, err_msg=f"{name}.{m}")


def test_norm_tails_and_ppf():
    np.testing.assert_allclose(cst.norm.logcdf(-40.0), st.norm.logcdf(-40.0), rtol=1e-14)
    np.testing.assert_allclose(cst.norm.logsf(40.0, 1.0, 2.0), st.norm.logsf(40.0, 1.0, 2.0))
    np.testing.assert_allclose(cst.norm.ppf(U, LOC, SCALE), st.norm.ppf(U, LOC, SCALE), rtol=1e-13)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_poisson_matches_scipy_including_zero_and_bad_counts():
    k = np.array([0.0, 1.0, 3.0, 7.0, 2.5, -1.0])
    for mu in (0.5, 4.0):
        for m in ("pmf", "logpmf", "cdf"):
            np.testing.assert_allclose(getattr(cst.poisson, m)(k, mu), getattr(st.poisson, m)(k, mu),
                                       rtol=1e-13, err_msg=m)
        np.testing.assert_allclose(cst.poisson.logpmf(k, mu, 1), st.poisson.logpmf(k, mu, 1))
    assert cst.poisson.logpmf(0, 2.0) == -2.0
    assert cr.grad(lambda mu: cst.poisson.logpmf(0, mu))(2.0) == -1.0   # d/dμ (−μ)
    np.testing.assert_allclose(cr.grad(lambda mu: cst.poisson.cdf(0, mu))(2.0), -np.exp(-2.0))


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_binomial_family_matches_scipy_at_the_edges():
    # k outside 0..n, fractional k, p at 0 and 1 (nbinom: SciPy's p is in (0, 1])
    k = np.array([-1.0, 0.0, 1.0, 2.0, 3.0, 5.0, 6.0, 2.5])
    for p in (0.0, 0.3, 1.0):
        for name, args in (("binom", (5, p)), ("bernoulli", (p,)), ("nbinom", (2.5, p))):
            if name == "nbinom" and p == 0.0:
                continue
            for m in ("pmf", "logpmf"):
                for loc in (0, 1):
                    np.testing.assert_allclose(getattr(getattr(cst, name), m)(k, *args, loc),
                                               getattr(getattr(st, name), m)(k, *args, loc),
                                               rtol=1e-12, err_msg=f"{name}.{m} p={p}")
    np.testing.assert_allclose(cr.grad(lambda p: cst.binom.logpmf(3, 10, p))(0.4), 3 / 0.4 - 7 / 0.6)
    np.testing.assert_allclose(cr.grad(lambda n: cst.nbinom.logpmf(2, n, 0.5))(3.0),
                               ss.digamma(5.0) - ss.digamma(3.0) + np.log(0.5))


def test_dirichlet_matches_scipy():
    alpha = np.array([0.7, 2.0, 3.5])
    x = np.array([[0.2, 0.5], [0.3, 0.1], [0.5, 0.4]])
    for m in ("pdf", "logpdf"):
        np.testing.assert_allclose(getattr(cst.dirichlet, m)(x, alpha),
                                   getattr(st.dirichlet, m)(x, alpha), rtol=1e-13)
        np.testing.assert_allclose(getattr(cst.dirichlet, m)(x[:2], alpha),   # K − 1 components
                                   getattr(st.dirichlet, m)(x[:2], alpha), rtol=1e-13)
    with pytest.raises(ValueError, match="components"):
        cst.dirichlet.logpdf(np.ones(5) / 5, alpha)


def test_multivariate_normal_matches_scipy_with_a_batch_of_x():
    rng = np.random.default_rng(0)
    a = rng.standard_normal((3, 3))
    cov, mean = a @ a.T + 3 * np.eye(3), rng.standard_normal(3)
    for x in (rng.standard_normal(3), rng.standard_normal((5, 3)), rng.standard_normal((2, 4, 3))):
        for m in ("pdf", "logpdf"):
            np.testing.assert_allclose(getattr(cst.multivariate_normal, m)(x, mean, cov),
                                       getattr(st.multivariate_normal, m)(x, mean, cov), rtol=1e-12)
    # SciPy's shorthands: no mean, a scalar or diagonal cov, points of dimension 1
    x = rng.standard_normal((4, 3))
    np.testing.assert_allclose(cst.multivariate_normal.logpdf(x, np.zeros(3), 2.0),
                               st.multivariate_normal.logpdf(x, np.zeros(3), 2.0))
    np.testing.assert_allclose(cst.multivariate_normal.logpdf(x, mean, np.diag(cov)),
                               st.multivariate_normal.logpdf(x, mean, np.diag(cov)))
    np.testing.assert_allclose(cst.multivariate_normal.logpdf(x[:, 0], 0.5, 2.0),
                               st.multivariate_normal.logpdf(x[:, 0], 0.5, 2.0))
    np.testing.assert_allclose(cst.multivariate_normal.pdf(0.3), st.multivariate_normal.pdf(0.3))
    # broadcasting over mean and cov too: one row per (mean, cov) pair
    means, covs = rng.standard_normal((2, 3)), np.stack([cov, 2 * cov])
    got = cst.multivariate_normal.logpdf(x[:, None, :], means, covs)
    want = [[st.multivariate_normal.logpdf(xi, mu, c) for mu, c in zip(means, covs)] for xi in x]
    np.testing.assert_allclose(got, want, rtol=1e-12)


def test_stats_namespace_is_generated_from_the_registry():
    entries = registry.entries(registry.STATS)
    for name, e in entries.items():
        if "." not in name:     # a summary function (skew, linregress): a module attribute
            assert getattr(cst, name) is e.obj and name in cst.__all__
            continue
        dist, method = name.split(".")
        assert getattr(getattr(cst, dist), method) is e.obj
    assert "norm" in cst.__all__ and "norm" in dir(cst)
    with pytest.raises(AttributeError, match="not wrapped"):
        cst.norm.nnlf
    with pytest.raises(AttributeError, match="not wrapped"):
        cst.no_such_distribution   # (every SciPy distribution is wrapped now)


def test_a_log_likelihood_fit():
    """The README's example: the gradient of a Gaussian log-likelihood vanishes at the MLE."""
    data = np.array([0.5, 1.5, 2.5, 4.0])
    nll = lambda p: -cnp.sum(cst.norm.logpdf(data, p[0], cnp.exp(p[1])))
    mle = np.array([data.mean(), np.log(data.std())])
    np.testing.assert_allclose(cr.grad(nll)(mle), 0.0, atol=1e-12)
