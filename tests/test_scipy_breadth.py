"""More of chainrule.scipy.special, scipy.stats's summary functions and chainrule.scipy.fft:
values against SciPy's (grids, size 0 and 1, float32, inf and nan), derivatives against
closed forms at the points the generic rule tests do not draw (λ = 0 of Box-Cox, m = 0 of
the elliptic integrals, z = 1 of spence, degree 0 of the polynomials), and the refusals.
The generic derivative checks (order 2, both modes, dot product, vmap, jit) are the specs in
tests/test_rules.py."""

import warnings

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp
import chainrule.scipy.special as csp
import chainrule.scipy.stats as cst
import chainrule.scipy.fft as cfft
from chainrule.primitives.special_functions import UnsupportedDerivativeError

ss = pytest.importorskip("scipy.special")
st = pytest.importorskip("scipy.stats")
sf = pytest.importorskip("scipy.fft")

X = np.r_[np.linspace(0.1, 4.0, 9), 0.0, np.inf, np.nan, -np.inf, 1e-300]
UNARY = ("softplus", "log_expit", "exp2", "exp10", "expm1", "log1p", "cbrt", "round", "sinc",
         "erfcx", "dawsn", "erfi", "exp1", "expi", "spence", "loggamma", "rgamma", "ellipk",
         "ellipe", "ellipkm1", "wofz", "j0", "j1", "y0", "y1", "k0", "k1", "k0e", "k1e")


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("name", UNARY)
def test_unary_values_dtypes_and_edges_are_scipys(name):
    ours, theirs = getattr(csp, name), getattr(ss, name)
    for x in (X, -X, np.float32(X[:5]), np.zeros(0), np.array([0.7]), 0.7):
        a, b = ours(x), theirs(x)
        assert np.asarray(a).dtype == np.asarray(b).dtype and np.shape(a) == np.shape(b)
        np.testing.assert_allclose(a, b, rtol=1e-14)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_parameterised_values_are_scipys():
    x = np.linspace(0.2, 3.0, 5)
    cases = {"kv": (1.5, x), "kve": (0.5, x), "jve": (2.0, x), "yve": (1.0, x), "kn": (2, x),
             "yn": (1, x), "jn": (3, x), "expn": (np.array([[0], [3]]), x),
             "struve": (1.5, x), "modstruve": (0.5, x), "hyp0f1": (1.5, x),
             "hyp1f1": (0.5, 1.5, x), "hyp2f1": (0.5, 1.0, 2.0, x / 4), "hyperu": (1.0, 2.0, x),
             "eval_legendre": (np.arange(4)[:, None], x / 4), "eval_jacobi": (3, 0.5, 1.5, x / 4),
             "eval_gegenbauer": (3, 0.7, x), "eval_genlaguerre": (2, 0.5, x),
             "bdtr": (2, 7, x / 4), "pdtr": (2.5, x), "chdtr": (3.0, x), "gdtr": (1.5, 2.5, x),
             "fdtr": (3.0, 5.0, x), "nbdtr": (2, 3, x / 4), "poch": (x, 1.5), "binom": (5.0, x),
             "boxcox": (x, np.array([[0.0], [0.5], [-1e-12]])), "inv_boxcox": (x, 0.3),
             "boxcox1p": (x, 0.0), "inv_boxcox1p": (x, -0.2), "huber": (1.0, x - 1.5),
             "pseudo_huber": (0.5, x), "owens_t": (x, 0.7), "zeta": (x + 1.0, 2.0)}
    for name, args in cases.items():
        a, b = getattr(csp, name)(*args), getattr(ss, name)(*args)
        assert np.shape(a) == np.shape(b), name
        np.testing.assert_allclose(a, b, rtol=1e-13, err_msg=name)
    np.testing.assert_allclose(csp.zeta(np.array([-1.0, 0.5, 3.0])),
                               ss.zeta(np.array([-1.0, 0.5, 3.0])))
    np.testing.assert_allclose(csp.lambertw(x, -1), ss.lambertw(x, -1))
    for n, k in ((5, 2), (4.5, 7.0), (-1, 2)):
        assert float(csp.comb(n, k)) == pytest.approx(float(ss.comb(n, k)), rel=1e-13)
    assert csp.comb(50, 20, exact=True) == ss.comb(50, 20, exact=True)
    np.testing.assert_allclose(csp.factorial(np.array([-1.0, 0.0, 2.5, 5])),
                               ss.factorial(np.array([-1.0, 0.0, 2.5, 5])))


def _both_modes(f, x):
    rev = cr.grad(f)(x)
    fwd = cr.jvp(f, (x,), (1.0,))[1]
    assert float(rev) == pytest.approx(float(fwd), rel=1e-13, abs=1e-15)
    return float(rev)


def test_derivatives_at_the_special_points():
    # Box-Cox at λ = 0: ∂λ (x^λ − 1)/λ = (log x)²/2, and ∂²λ = (log x)³/3
    x = 2.5
    lx = np.log(x)
    assert _both_modes(lambda l: csp.boxcox(x, l), 0.0) == pytest.approx(lx ** 2 / 2, rel=1e-14)
    assert cr.grad(cr.grad(lambda l: csp.boxcox(x, l)))(0.0) == pytest.approx(lx ** 3 / 3,
                                                                             rel=1e-12)
    # inv_boxcox at λ = 0: ∂λ exp(log1p(λy)/λ) = −y² e^y / 2
    y = 0.7
    assert _both_modes(lambda l: csp.inv_boxcox(y, l), 0.0) == pytest.approx(
        -y * y * np.exp(y) / 2, rel=1e-14)
    # near λ = 0 the series and the closed form agree (no cancellation at the switch)
    for l in (0.0999, 0.1001):
        h = 1e-6
        fd = (ss.boxcox(x, l + h) - ss.boxcox(x, l - h)) / (2 * h)
        assert _both_modes(lambda t: csp.boxcox(x, t), l) == pytest.approx(fd, rel=1e-8)
    assert _both_modes(csp.ellipk, 0.0) == pytest.approx(np.pi / 8, rel=1e-14)
    assert _both_modes(csp.ellipe, 0.0) == pytest.approx(-np.pi / 8, rel=1e-14)
    assert _both_modes(csp.spence, 1.0) == -1.0
    assert _both_modes(lambda z: cnp.real(csp.lambertw(z)), 0.0) == 1.0
    assert _both_modes(lambda x: csp.expn(0, x), 1.5) == pytest.approx(
        -np.exp(-1.5) / 1.5 * (1 + 1 / 1.5), rel=1e-14)
    assert _both_modes(lambda x: csp.expn(3, x), 1.5) == pytest.approx(-ss.expn(2, 1.5),
                                                                       rel=1e-14)
    assert _both_modes(lambda x: csp.kv(2.5, x), 1.2) == pytest.approx(ss.kvp(2.5, 1.2),
                                                                      rel=1e-13)
    assert _both_modes(lambda x: csp.struve(1.5, x), 1.2) == pytest.approx(
        (ss.struve(0.5, 1.2) - ss.struve(2.5, 1.2)) / 2 + 0.6 ** 1.5 / (2 * np.sqrt(np.pi)
                                                                       * ss.gamma(3.0)),
        rel=1e-12)
    assert _both_modes(lambda r: csp.huber(1.0, r), 3.0) == 1.0
    assert _both_modes(lambda d: csp.huber(d, 3.0), 1.0) == 2.0
    assert _both_modes(lambda x: csp.pdtr(2.0, x), 1.5) == pytest.approx(
        -st.poisson.pmf(2, 1.5), rel=1e-13)


def test_polynomial_derivatives_against_numpy_polynomials():
    from numpy.polynomial import legendre, hermite, chebyshev, laguerre
    x = np.array([-0.8, 0.1, 0.6])
    for n in range(5):
        e = np.eye(n + 1)[n]
        for f, val, der in ((csp.eval_legendre, legendre.legval, legendre.legder),
                            (csp.eval_hermite, hermite.hermval, hermite.hermder),
                            (csp.eval_chebyt, chebyshev.chebval, chebyshev.chebder),
                            (csp.eval_laguerre, laguerre.lagval, laguerre.lagder)):
            g = cr.grad(lambda x: cnp.sum(f(n, x)))(x)
            np.testing.assert_allclose(g, val(x, der(e)), atol=1e-12)


def test_derivatives_without_a_closed_form_are_refused():
    with pytest.raises(UnsupportedDerivativeError, match="kv.*v"):
        cr.grad(lambda v: csp.kv(v, 1.0))(1.5)
    # (zeta is differentiable in x: an Euler–Maclaurin series, checked in test_special_stats)
    h = 1e-6
    for x in (-1.5, 0.5, 3.0):   # Riemann's, its continuation below 1 included
        fd = (float(csp.zeta(x + h)) - float(csp.zeta(x - h))) / (2 * h)
        np.testing.assert_allclose(float(cr.grad(csp.zeta)(x)), fd, rtol=1e-7)
    with pytest.raises(UnsupportedDerivativeError, match="hyp1f1.*a"):
        cr.grad(lambda a: csp.hyp1f1(a, 1.0, 0.5))(1.0)
    with pytest.raises(UnsupportedDerivativeError, match="gdtr.*b"):
        cr.grad(lambda b: csp.gdtr(1.0, b, 0.5))(2.0)
    with pytest.raises(TypeError, match="holomorphic"):
        cr.jvp(lambda z: csp.jve(1.0, z), (1.0 + 0.5j,), (1.0 + 0j,))
    with pytest.raises(TypeError, match="complex"):
        csp.factorial(np.array([1.0 + 1j]))


# ---- scipy.stats summary functions -----------------------------------------------------------
RNG = np.random.default_rng(7)
A = RNG.standard_normal((5, 4)) + 3.0
B = RNG.standard_normal((5, 4)) + 3.0


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("name,kwargs", [
    ("zscore", {}), ("zscore", {"axis": None, "ddof": 1}), ("skew", {}),
    ("skew", {"axis": 1, "bias": False, "keepdims": True}), ("kurtosis", {}),
    ("kurtosis", {"axis": None, "fisher": False, "bias": False}), ("gmean", {"axis": 1}),
    ("hmean", {"axis": None}), ("sem", {"ddof": 0}), ("variation", {"axis": 1, "ddof": 1}),
    ("entropy", {"base": 3.0}), ("iqr", {"axis": 0, "rng": (10, 60), "scale": "normal"}),
    ("moment", {"order": 3, "axis": 1}), ("moment", {"order": [0, 1, 2]}),
    ("moment", {"order": 2, "center": 1.0, "keepdims": True}),
    ("rankdata", {"axis": 0}), ("rankdata", {"method": "dense"})])
def test_summary_values_are_scipys(name, kwargs):
    for a in (A, A.astype(np.float32), A[:1], np.round(A)):
        ours, theirs = getattr(cst, name)(a, **kwargs), getattr(st, name)(a, **kwargs)
        assert np.shape(ours) == np.shape(theirs), (name, a.dtype)
        assert np.asarray(ours).dtype == np.asarray(theirs).dtype, (name, a.dtype)
        np.testing.assert_allclose(ours, theirs, rtol=1e-5 if a.dtype == np.float32 else 1e-12,
                                   atol=1e-12)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_summary_values_with_two_samples_and_edges():
    x, y = A[:, 0], B[:, 0]
    for f, kw in (("linregress", {}), ("pearsonr", {}), ("pearsonr", {"alternative": "greater"}),
                  ("spearmanr", {}), ("wasserstein_distance", {}), ("energy_distance", {})):
        np.testing.assert_allclose(np.asarray(tuple(np.atleast_1d(getattr(cst, f)(x, y, **kw)))),
                                   np.asarray(tuple(np.atleast_1d(getattr(st, f)(x, y, **kw)))),
                                   rtol=1e-12, err_msg=f)
    assert cst.linregress(x, y).intercept_stderr == pytest.approx(
        st.linregress(x, y).intercept_stderr, rel=1e-12)
    w = np.abs(y)
    assert float(cst.wasserstein_distance(x, y[:3], w, w[:3])) == pytest.approx(
        st.wasserstein_distance(x, y[:3], w, w[:3]), rel=1e-13)
    d, e = cst.describe(A), st.describe(A)
    for a, b in zip((d.nobs, *d.minmax, *d[2:]), (e.nobs, *e.minmax, *e[2:])):
        np.testing.assert_allclose(a, b, rtol=1e-12)
    m, n = cst.mode(np.round(A), axis=1), st.mode(np.round(A), axis=1)
    np.testing.assert_array_equal(m.mode, n.mode)
    np.testing.assert_array_equal(m.count, n.count)
    # nan propagates through its slice only; an empty slice gives SciPy's nan
    a = A.copy()
    a[1, 2] = np.nan
    np.testing.assert_array_equal(np.isnan(cst.skew(a)), np.isnan(st.skew(a)))
    assert np.isnan(cst.skew(np.zeros(0))) and np.isnan(cst.gmean(np.zeros(0)))
    assert np.isnan(cst.skew(np.ones(4)))      # zero variance: nan, as SciPy's
    np.testing.assert_allclose(cst.hmean(np.array([1.0, -1.0, 2.0])),
                               st.hmean(np.array([1.0, -1.0, 2.0])))


def test_summary_gradients_match_closed_forms():
    x = A[:, 0]
    n = x.size
    g = cst.gmean(x)
    np.testing.assert_allclose(cr.grad(cst.gmean)(x), g / (n * x), rtol=1e-13)
    h = cst.hmean(x)
    np.testing.assert_allclose(cr.grad(cst.hmean)(x), h * h / (n * x * x), rtol=1e-13)
    np.testing.assert_allclose(cr.grad(lambda x: cst.moment(x, 2))(x), 2 * (x - x.mean()) / n,
                               rtol=1e-12)
    # W1 between samples of equal size is the mean |sorted difference|
    y = B[:, 0]
    pair = np.sign(np.sort(x) - np.sort(y)) / n
    np.testing.assert_allclose(cr.grad(lambda x: cst.wasserstein_distance(x, y))(x),
                               pair[np.argsort(np.argsort(x))], rtol=1e-13)
    # slope = cov(x, y)/var(x): ∂/∂y = (x − x̄)/Σ(x − x̄)²
    dx = x - x.mean()
    np.testing.assert_allclose(cr.grad(lambda y: cst.linregress(x, y).slope)(y),
                               dx / np.sum(dx * dx), rtol=1e-12)
    assert np.all(cr.grad(lambda y: cst.spearmanr(x, y).statistic * cnp.sum(y * 0.0))(y) == 0)


def test_summary_functions_under_jit_and_vmap():
    f = lambda a: cst.skew(a, bias=False) + cst.kurtosis(a) + cst.iqr(a)
    jf = cr.jit(f)
    for _ in range(2):
        np.testing.assert_array_equal(jf(A[:, 0]), f(A[:, 0]))
    np.testing.assert_allclose(cr.vmap(f)(A.T), [f(c) for c in A.T], rtol=1e-13)
    np.testing.assert_allclose(cr.vmap(cst.rankdata)(A.T), st.rankdata(A.T, axis=1))


def test_unsupported_options_say_what_to_do():
    with pytest.raises(NotImplementedError, match="nan_policy='omit'.*propagate"):
        cst.skew(A, nan_policy="omit")
    with pytest.raises(NotImplementedError, match="method"):
        cst.pearsonr(A[:, 0], B[:, 0], method=object())
    with pytest.raises(ValueError, match="one dimension"):
        cst.linregress(A, B)
    with pytest.raises(ValueError, match="integer"):
        cst.moment(A, 1.5)


# ---- scipy.fft -------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["dct", "idct", "dst", "idst"])
def test_trigonometric_transforms_are_scipys(name):
    ours, theirs = getattr(cfft, name), getattr(sf, name)
    for n in (2, 3, 4, 7):
        x = RNG.standard_normal((2, n))
        for t in (1, 2, 3, 4):
            for norm in (None, "backward", "ortho", "forward"):
                for orth in (None, False, True):
                    np.testing.assert_allclose(
                        ours(x, t, norm=norm, orthogonalize=orth),
                        theirs(x, t, norm=norm, orthogonalize=orth), rtol=1e-12, atol=1e-12,
                        err_msg=f"{name} n={n} type {t} norm={norm} orthogonalize={orth}")
    x32 = RNG.standard_normal((3, 5)).astype(np.float32)
    assert ours(x32).dtype == theirs(x32).dtype == np.float32
    assert ours(np.arange(4)).dtype == theirs(np.arange(4)).dtype
    z = x32.astype(np.float64) + 1j * RNG.standard_normal((3, 5))
    np.testing.assert_allclose(ours(z, 3, n=7, axis=0), theirs(z, 3, n=7, axis=0), atol=1e-12)
    np.testing.assert_allclose(ours(np.array([2.5]), 2), theirs(np.array([2.5]), 2))


def test_trigonometric_transforms_invert_and_have_their_transposes_as_gradients():
    x, w = RNG.standard_normal(6), RNG.standard_normal(6)
    for t in (1, 2, 3, 4):
        np.testing.assert_allclose(cfft.idct(cfft.dct(x, t), t), x, atol=1e-13)
        np.testing.assert_allclose(cfft.idst(cfft.dst(x, t), t), x, atol=1e-13)
        # orthonormal: the transpose is the inverse, so ∇⟨w, dct(x)⟩ = idct(w)
        g = cr.grad(lambda x: cnp.sum(w * cfft.dct(x, t, norm="ortho")))(x)
        np.testing.assert_allclose(g, sf.idct(w, t, norm="ortho"), atol=1e-13)
        g = cr.grad(lambda x: cnp.sum(w * cfft.dst(x, t, norm="ortho")))(x)
        np.testing.assert_allclose(g, sf.idst(w, t, norm="ortho"), atol=1e-13)
    a = RNG.standard_normal((3, 4, 5))
    np.testing.assert_allclose(cfft.dctn(a, 2, s=(4, 6), axes=(0, 2), norm="ortho"),
                               sf.dctn(a, 2, s=(4, 6), axes=(0, 2), norm="ortho"), atol=1e-12)
    np.testing.assert_allclose(cfft.idstn(a, 3), sf.idstn(a, 3), atol=1e-12)


def test_fft_names_and_helpers_are_scipys():
    x = RNG.standard_normal((4, 6))
    for name in ("fft", "ifft", "rfft", "irfft", "hfft", "ihfft", "fft2", "ifftn", "rfftn",
                 "irfft2", "hfftn", "ihfft2"):
        np.testing.assert_allclose(getattr(cfft, name)(x, workers=4),
                                   getattr(sf, name)(x, workers=4), atol=1e-12, err_msg=name)
    assert cfft.next_fast_len(1021) == sf.next_fast_len(1021)
    assert cfft.next_fast_len(1021, True) == sf.next_fast_len(1021, True)
    np.testing.assert_array_equal(cfft.fftfreq(5, 0.1), sf.fftfreq(5, 0.1))
    np.testing.assert_array_equal(cfft.fftshift(x, axes=1), sf.fftshift(x, axes=1))
    with pytest.raises(NotImplementedError, match="plan"):
        cfft.fft(x, plan=object())
    with pytest.raises(ValueError, match="type"):
        cfft.dct(x, 5)
    with pytest.raises(AttributeError, match="chainrule.scipy.fft.fht is not wrapped"):
        cfft.fht


def test_gaussian_kde_is_scipys():
    d, p, w = RNG.standard_normal((2, 30)), RNG.standard_normal((2, 5)), RNG.uniform(0.5, 2, 30)
    for kw in ({}, {"bw_method": "silverman"}, {"bw_method": 0.3}, {"weights": w},
               {"bw_method": lambda k: k.scotts_factor() / 2}):
        ours, theirs = cst.gaussian_kde(d, **kw), st.gaussian_kde(d, **kw)
        np.testing.assert_allclose(ours(p), theirs(p), rtol=1e-12)
        np.testing.assert_allclose(ours.logpdf(p), theirs.logpdf(p), rtol=1e-12)
        np.testing.assert_allclose(ours.covariance, theirs.covariance, rtol=1e-12)
    # far in the tail: the density underflows, its log stays finite (a logsumexp)
    assert np.isfinite(cst.gaussian_kde(d).logpdf(np.array([[40.0], [40.0]]))).all()
    with pytest.raises(ValueError, match="bw_method"):
        cst.gaussian_kde(d, bw_method="wide")


def test_pairs_and_inverses_at_their_special_points():
    # Si' = sin x/x and Shi' = sinh x/x are 1 at 0 (not 0/0), with second derivative 0
    for f in (lambda x: csp.sici(x)[0], lambda x: csp.shichi(x)[0]):
        assert _both_modes(f, 0.0) == 1.0
        assert abs(float(cr.grad(cr.grad(f))(0.0))) < 1e-12
    assert _both_modes(lambda x: csp.airy(x)[1], 0.7) == pytest.approx(0.7 * ss.airy(0.7)[0],
                                                                       rel=1e-14)
    # an inverse's derivative is the reciprocal of the function's: d/dp chdtri = −1/density
    x = ss.chdtri(3.0, 0.4)
    assert _both_modes(lambda p: csp.chdtri(3.0, p), 0.4) == pytest.approx(
        -1.0 / st.chi2.pdf(x, 3.0), rel=1e-12)
    assert _both_modes(lambda p: csp.stdtrit(4.0, p), 0.3) == pytest.approx(
        1.0 / st.t.pdf(ss.stdtrit(4.0, 0.3), 4.0), rel=1e-12)
    assert float(csp.perm(5, 2)) == 20.0 and csp.perm(5, 2, exact=True) == 20
    assert float(csp.perm(2.0, 5.0)) == 0.0


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_more_summary_values_are_scipys():
    a, b = A.astype(np.float32), B[:4]
    for x in (A, a):
        for name, args, kw in (
                ("tmean", ((1.5, 3.0),), {}), ("tvar", ((1.0, 3.0),), {}),
                ("tstd", ((1.0, None),), {}), ("tsem", (None,), {"axis": None}),
                ("tmin", (1.8,), {}), ("tmax", (2.5,), {"axis": None, "inclusive": False}),
                ("trim_mean", (0.2,), {}), ("median_abs_deviation", (), {"scale": "normal"}),
                ("gstd", (), {}), ("zmap", (A,), {}), ("gzscore", (), {}),
                ("circmean", (), {"high": 3, "low": -1, "axis": 0}), ("circvar", (), {}),
                ("circstd", (), {"normalize": True, "axis": 1}), ("kstat", (3,), {}),
                ("kstatvar", (2,), {"axis": 0})):
            ours, theirs = getattr(cst, name)(x, *args, **kw), getattr(st, name)(x, *args, **kw)
            assert np.asarray(ours).dtype == np.asarray(theirs).dtype, name
            np.testing.assert_allclose(ours, theirs, rtol=2e-6 if x is a else 1e-12, err_msg=name)
    for name, args, kw in (("ttest_1samp", (A, 2.9), {}), ("ttest_rel", (A, B), {}),
                           ("ttest_ind", (A, b), {}),
                           ("ttest_ind", (A, b), {"equal_var": False, "alternative": "less"}),
                           ("chisquare", (np.abs(A),), {}),
                           ("kendalltau", (A[:, 0], B[:, 0]), {})):
        ours, theirs = getattr(cst, name)(*args, **kw), getattr(st, name)(*args, **kw)
        for o, t in zip(ours, theirs):
            np.testing.assert_allclose(o, t, rtol=1e-12, err_msg=name)


def test_welch_statistic_has_a_gradient_and_its_pvalue_refuses():
    a, b = A[:, 0], B[:4, 0]
    stat = lambda a: cst.ttest_ind(a, b, equal_var=False).statistic
    h = 1e-6
    fd = [(stat(a + h * e) - stat(a - h * e)) / (2 * h) for e in np.eye(a.size)]
    np.testing.assert_allclose(cr.grad(stat)(a), fd, rtol=1e-7)
    with pytest.raises(UnsupportedDerivativeError, match="equal_var=False"):
        cr.grad(lambda a: cst.ttest_ind(a, b, equal_var=False).pvalue)(a)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_normality_tests_and_transforms_are_scipys():
    a, b = A ** 2 + 0.5, B - 3.0
    p = np.array([0.01, 0.2, 0.3, 0.04])
    for name, args, kw in (
            ("skewtest", (np.r_[a, a],), {"alternative": "less"}), ("kurtosistest", (a,), {}),
            ("normaltest", (np.r_[a, a],), {}), ("jarque_bera", (a,), {"axis": 0}),
            ("power_divergence", (a,), {"lambda_": "cressie-read"}),
            ("power_divergence", (a[:, 0], a[::-1, 0]), {"ddof": 1, "lambda_": 0}),
            ("f_oneway", (a, b, a[:3]), {}),
            ("ttest_ind_from_stats", (1.0, 0.5, 10, 1.5, 0.6, 12), {"equal_var": False}),
            ("pointbiserialr", ((a[:, 0] > 1).astype(float), a[:, 1]), {}),
            ("combine_pvalues", (p,), {"method": "stouffer", "weights": np.arange(1.0, 5.0)}),
            ("combine_pvalues", (p,), {"method": "pearson"}),
            ("boxcox", (a[:, 0], 0.3), {}), ("boxcox_llf", (0.0, a), {}),
            ("yeojohnson", (b[:, 0], 2.0), {}), ("yeojohnson_llf", (0.7, b), {})):
        ours, theirs = getattr(cst, name)(*args, **kw), getattr(st, name)(*args, **kw)
        for o, t in zip(np.atleast_1d(ours) if not isinstance(ours, tuple) else ours,
                        np.atleast_1d(theirs) if not isinstance(theirs, tuple) else theirs):
            np.testing.assert_allclose(o, t, rtol=1e-11, err_msg=name)
    # the log-likelihoods are smooth through λ = 0 (the series of boxcox's λ-derivative)
    g = cr.grad(lambda l: cst.boxcox_llf(l, a[:, 0]))(0.0)
    fd = (st.boxcox_llf(1e-6, a[:, 0]) - st.boxcox_llf(-1e-6, a[:, 0])) / 2e-6
    assert g == pytest.approx(fd, rel=1e-6)
    with pytest.raises(NotImplementedError, match="boxcox_llf"):
        cst.boxcox(a[:, 0])
