"""Hostile review of the SciPy layer: each test is a bug found by comparing with SciPy."""
import numpy as np
import pytest

scipy = pytest.importorskip("scipy")
import scipy.linalg as sl  # noqa: E402

import chainrule.scipy.linalg as cl  # noqa: E402


@pytest.mark.parametrize("a", [np.array([[2.0]]), np.array([[1.0, 2.0], [3.0, 4.0]])])
def test_hessenberg_never_returns_the_callers_array(a):
    # SciPy hands back its input itself for n <= 2
    h = cl.hessenberg(a)
    np.testing.assert_array_equal(h, sl.hessenberg(a))
    assert not np.shares_memory(h, a)
    h, q = cl.hessenberg(a, calc_q=True)
    assert not np.shares_memory(h, a)


def test_lstsq_accepts_nested_lists():
    a, b = [[1.0, 2.0], [3.0, 4.0], [5.0, 7.0]], [1.0, 1.0, 2.0]
    for got, want in zip(cl.lstsq(a, b), sl.lstsq(a, b)):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("name", ["cosm", "sinm", "tanm", "coshm", "sinhm", "tanhm"])
def test_matrix_trig_accepts_nested_lists(name):
    a = [[0.1, 0.2], [0.3, 0.4]]
    np.testing.assert_allclose(getattr(cl, name)(a), getattr(sl, name)(a), rtol=1e-12)


import scipy.stats as st  # noqa: E402
import chainrule as cr  # noqa: E402
import chainrule.scipy.stats as cst  # noqa: E402


@pytest.mark.parametrize("name", ["skew", "kurtosis", "variation", "sem", "gmean", "hmean",
                                  "moment", "kstat"])
def test_summary_statistics_of_a_scalar(name):
    # SciPy takes a scalar as one observation; chainrule raised IndexError
    want = getattr(st, name)(2.0)
    got = getattr(cst, name)(2.0)
    assert np.shape(got) == np.shape(want)
    np.testing.assert_allclose(got, want, equal_nan=True)


@pytest.mark.parametrize("a", [[1.0, np.nan], [], [1.0, np.inf], [1.0, 2.0]])
@pytest.mark.parametrize("order", [0, 1])
def test_moment_of_order_0_and_1_keeps_scipys_nan(a, order):
    # moment(·, 1) was 0 whatever the data, where SciPy gives nan for a nan or an empty slice
    with np.errstate(all="ignore"):
        np.testing.assert_allclose(cst.moment(np.array(a), order), st.moment(np.array(a), order),
                                   equal_nan=True)


def test_linregress_of_a_constant_y_has_scipys_nan_rvalue():
    x, y = np.array([1.0, 2.0, 3.0]), np.ones(3)
    got, want = cst.linregress(x, y), st.linregress(x, y)
    np.testing.assert_allclose(tuple(got), tuple(want), equal_nan=True)
    # and still differentiable in y where the data is not constant
    cr.check_grads(lambda y: cst.linregress(x, y).slope, (np.array([1.0, 3.0, 2.0]),))


@pytest.mark.parametrize("name", ["norm", "expon", "gamma", "t", "uniform"])
def test_location_scale_families_take_a_list_with_loc(name):
    # (x − loc) on a Python list raised TypeError
    args = {"gamma": (2.0,), "t": (4.0,)}.get(name, ())
    x = [0.3, 0.5, 1.7]
    np.testing.assert_allclose(getattr(cst, name).pdf(x, *args, loc=0.2, scale=1.5),
                               getattr(st, name).pdf(x, *args, loc=0.2, scale=1.5), rtol=1e-12)


def test_logit_takes_a_python_list():
    import scipy.special as sp
    import chainrule.scipy.special as csp
    np.testing.assert_allclose(csp.logit([0.5, 0.2]), sp.logit([0.5, 0.2]), rtol=1e-14)


def _fd(f, x, h=1e-6):
    return (f(x + h) - f(x - h)) / (2 * h)


@pytest.mark.parametrize("name, params", [
    ("eval_legendre", (0.7,)), ("eval_chebyt", (0.5,)), ("eval_chebyu", (-0.3,)),
    ("eval_gegenbauer", (0.7, 1.5)), ("eval_genlaguerre", (0.4, 1.5)),
    ("eval_laguerre", (0.5,)), ("eval_jacobi", (0.6, 1.5, 0.5)),
    ("kn", (1.7,)), ("yn", (-1.7,)),
    ("bdtr", (1.0, 2.5)), ("bdtrc", (1.0, 2.5)), ("nbdtr", (1.0, 2.5)),
    ("bdtri", (1.0, 2.5)), ("nbdtri", (1.0, 2.5)),
])
def test_derivative_in_x_at_a_non_integer_degree_matches_scipys_value(name, params):
    # SciPy continues a non-integer degree (eval_*), or truncates it (kn, yn, bdtr's n):
    # the derivative was that of another function (0 for a degree below 1, the unrounded n)
    import scipy.special as sp
    import chainrule.scipy.special as csp
    x = 0.4 if name.startswith(("eval", "bdtr", "nbdtr")) else 1.3
    want = _fd(lambda t: getattr(sp, name)(*params, t), x)
    got = cr.grad(lambda t: getattr(csp, name)(*params, t))(x)
    np.testing.assert_allclose(got, want, rtol=1e-6)


@pytest.mark.parametrize("mode", ["reflect", "constant", "nearest", "mirror", "wrap"])
@pytest.mark.parametrize("x", [np.zeros(0), np.zeros((0, 3)), np.zeros((2, 0), np.float32)])
def test_ndimage_filters_of_an_empty_input(x, mode):
    # 'constant' returned the padding itself (shape (2,) for an empty input); the other modes
    # raised NumPy's "can't extend empty axis"
    import scipy.ndimage as nd
    import chainrule.scipy.ndimage as cnd
    for name, arg in [("gaussian_filter", 1.0), ("uniform_filter", 3),
                      ("gaussian_filter1d", 1.0)]:
        got, want = getattr(cnd, name)(x, arg, mode=mode), getattr(nd, name)(x, arg, mode=mode)
        assert got.shape == want.shape and got.dtype == want.dtype


@pytest.mark.parametrize("name", ["skewtest", "kurtosistest", "normaltest"])
@pytest.mark.parametrize("n", [12, 6, 3, 1])
def test_normality_tests_keep_float32_and_give_nan_for_small_samples(name, n):
    # float32 data gave float64 results; a sample below 8 (5) raised where SciPy gives nan
    a = np.random.default_rng(0).standard_normal(n).astype(np.float32)
    least = 5 if name == "kurtosistest" else 8
    with np.errstate(all="ignore"), pytest.warns(RuntimeWarning) if n < least else _nothing():
        got = getattr(cst, name)(a)
    want = getattr(st, name)(a)
    np.testing.assert_allclose(tuple(got), tuple(want), rtol=1e-5, equal_nan=True)
    assert [np.asarray(v).dtype for v in got] == [np.asarray(v).dtype for v in want]


def _nothing():
    import contextlib
    return contextlib.nullcontext()


def test_ttest_rel_takes_lists():
    a, b = [1.0, 2.0, 4.0, 3.0], [0.5, 1.0, 1.0, 2.5]
    np.testing.assert_allclose(tuple(cst.ttest_rel(a, b)), tuple(st.ttest_rel(a, b)), rtol=1e-12)


@pytest.mark.parametrize("name, args", [
    ("ttest_1samp", ([1.0, 2.0, 4.0, 3.0], 0.0)), ("ttest_rel", ([1.0, 2.0, 4.0], [0.5, 1.0, 1.5])),
    ("ttest_ind", ([1.0, 2.0, 4.0], [3.0, 5.0, 6.0, 8.0])),
    ("ttest_ind_from_stats", (1.0, 1.0, 4, 2.0, 1.0, 5))])
def test_ttest_results_unpack_to_statistic_and_pvalue(name, args):
    # `t, p = ttest_ind(a, b)` raised "too many values to unpack": df was a third field
    args = tuple(np.array(a) if isinstance(a, list) else a for a in args)
    t, p = getattr(cst, name)(*args)
    want = getattr(st, name)(*args)
    np.testing.assert_allclose((t, p), tuple(want), rtol=1e-10)
    if getattr(want, "df", None) is not None:   # ttest_ind_from_stats has none in SciPy
        assert float(getattr(cst, name)(*args).df) == float(want.df)


def test_extra_result_fields_survive_jit_and_vmap():
    a, b = np.array([1.0, 2.0, 4.0, 3.0]), np.array([0.5, 1.0, 1.0, 2.5])
    assert float(cr.jit(lambda a: cst.ttest_ind(a, b))(a).df) == 6.0
    np.testing.assert_array_equal(cr.vmap(lambda a: cst.ttest_ind(a, b))(np.stack([a, b])).df,
                                  [6.0, 6.0])
    got = cr.jit(lambda a: cst.linregress(a, b))(a).intercept_stderr
    np.testing.assert_allclose(got, st.linregress(a, b).intercept_stderr, rtol=1e-12)


def test_integrators_differentiate_a_closed_over_variable_or_name_args():
    # the generic "traced value cannot be converted" error did not say that the parameter
    # must go through args=; now a parameter the function closes over is lifted into the
    # solver's arguments (chainrule.scipy.adjoint.closure_tracers), and one it reads from a
    # global is refused naming args=
    import chainrule.numpy as cnp
    import chainrule.scipy.integrate as ci
    closed = lambda k: ci.quad(lambda x: cnp.exp(-k * x), 0.0, 1.0)[0]
    passed = lambda k: ci.quad(lambda x, k: cnp.exp(-k * x), 0.0, 1.0, args=(k,))[0]
    exact = -(1 - 1.7 * np.exp(-0.7)) / 0.49
    np.testing.assert_allclose(cr.grad(closed)(0.7), exact, rtol=1e-8)
    np.testing.assert_allclose(cr.grad(passed)(0.7), exact, rtol=1e-8)
    ivp = lambda k: ci.solve_ivp(lambda t, y: -k * y, (0.0, 1.0), np.array([1.0]),
                                 rtol=1e-10, atol=1e-12).y[0, -1]
    np.testing.assert_allclose(cr.grad(ivp)(0.7), -np.exp(-0.7), rtol=1e-6)

    def through_a_global(k):
        global _GLOBAL_K
        _GLOBAL_K = k                   # a global: not in any closure cell
        return ci.solve_ivp(lambda t, y: -_GLOBAL_K * y, (0.0, 1.0), np.array([1.0])).y[0, -1]
    with pytest.raises(TypeError, match="args="):
        cr.grad(through_a_global)(0.7)


_GLOBAL_K = None


@pytest.mark.parametrize("name", ["tvar", "tstd", "tsem", "tmin", "tmax"])
def test_trimmed_statistics_of_an_empty_sample_are_nan(name):
    # tvar/tstd gave −0 (0/(0 − 1)); tmin/tmax raised NumPy's zero-size reduction error
    with np.errstate(all="ignore"):
        assert np.isnan(getattr(cst, name)(np.array([])))
        assert np.isnan(getattr(st, name)(np.array([])))


def test_tmin_of_a_slice_with_nothing_kept_is_nan():
    a = np.array([[1.0, 2.0], [3.0, 4.0]])
    np.testing.assert_array_equal(cst.tmin(a, 3.5), st.tmin(a, 3.5))   # [nan, 4]
    np.testing.assert_array_equal(cst.tmax(a, 1.5), st.tmax(a, 1.5))   # [1, nan]


@pytest.mark.parametrize("name", ["gamma", "loggamma", "rgamma"])
def test_complex_gamma_family_has_its_derivative(name):
    # digamma of a complex argument raised (SciPy's polygamma(0, z) calls a real-only zeta),
    # so gamma, loggamma and rgamma had no derivative at a complex z
    import scipy.special as sp
    import chainrule.scipy.special as csp
    z = np.array([0.3 + 0.4j, -1.2 + 0.1j, 2.0 - 0.5j])
    np.testing.assert_allclose(csp.digamma(z), sp.digamma(z), rtol=1e-14)
    h = 1e-6
    want = (getattr(sp, name)(z + h) - getattr(sp, name)(z - h)) / (2 * h)
    got = cr.jvp(getattr(csp, name), (z,), (np.ones_like(z),))[1]
    np.testing.assert_allclose(got, want, rtol=1e-6)


@pytest.mark.parametrize("data", [np.array([0.0, 1.0, 3.0, 2.5]),
                                  np.array([[0.0, 1.0, 3.0, 2.5], [1.0, -1.0, 0.5, 0.0]])])
def test_gaussian_kde_log_det_and_inv_cov_are_scipys(data):
    # log_det was log det(Σ), SciPy's is log det(2πΣ); inv_cov was missing
    k, s = cst.gaussian_kde(data), st.gaussian_kde(data)
    np.testing.assert_allclose(k.log_det, s.log_det, rtol=1e-12)
    np.testing.assert_allclose(k.inv_cov, s.inv_cov, rtol=1e-12)
    np.testing.assert_allclose(k.logpdf(data), s.logpdf(data), rtol=1e-12)


@pytest.mark.parametrize("driver", ["gelsd", "gelss", "gelsy"])
def test_lstsq_residues_per_driver(driver):
    # gelsy gave residues; SciPy's gelsy computes none (an empty array)
    a = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    got, want = cl.lstsq(a, np.ones(3), lapack_driver=driver), sl.lstsq(a, np.ones(3),
                                                                        lapack_driver=driver)
    assert np.shape(got[1]) == np.shape(want[1])
    np.testing.assert_allclose(got[1], want[1], rtol=1e-12)


def test_frozen_distributions():
    # stats.norm(loc, scale).pdf(x), SciPy's first spelling, raised "'Distribution' object is
    # not callable"
    x = np.array([0.3, 1.2, 2.5])
    np.testing.assert_allclose(cst.norm(1.0, 2.0).pdf(x), st.norm(1.0, 2.0).pdf(x), rtol=1e-14)
    np.testing.assert_allclose(cst.gamma(2.0, scale=1.3).cdf(x), st.gamma(2.0, scale=1.3).cdf(x),
                               rtol=1e-12)
    mu, cov = np.zeros(2), np.eye(2)
    np.testing.assert_allclose(cst.multivariate_normal(mu, cov).logpdf(np.ones(2)),
                               st.multivariate_normal(mu, cov).logpdf(np.ones(2)), rtol=1e-14)
    # differentiable in the frozen parameters: d/dσ Σ log N(x; 0, σ) = −n/σ + Σx²/σ³
    g = cr.grad(lambda s: cst.norm(0.0, s).logpdf(x).sum())(1.5)
    np.testing.assert_allclose(g, -3 / 1.5 + np.sum(x * x) / 1.5 ** 3, rtol=1e-12)


def test_solve_assume_pos_refuses_a_matrix_that_is_not_positive_definite():
    """scipy.linalg.solve(assume_a='pos') factors A by Cholesky and raises LinAlgError for an
    indefinite A; chainrule's solved it as a general system, silently."""
    sl = pytest.importorskip("scipy.linalg")
    import chainrule.scipy.linalg as csl
    indefinite, b = np.array([[1.0, 2.0], [2.0, 1.0]]), np.array([1.0, 2.0])
    with pytest.raises(np.linalg.LinAlgError):
        sl.solve(indefinite, b, assume_a="pos")
    with pytest.raises(np.linalg.LinAlgError):
        csl.solve(indefinite, b, assume_a="pos")
    with pytest.raises(np.linalg.LinAlgError):
        cr.grad(lambda a: csl.solve(a, b, assume_a="pos").sum())(indefinite)
    p = np.array([[4.0, 1.0], [1.0, 3.0]])
    for lower in (False, True):
        np.testing.assert_allclose(csl.solve(p, b, assume_a="pos", lower=lower),
                                   sl.solve(p, b, assume_a="pos", lower=lower), rtol=1e-13)
    # the gradient in the upper triangle SciPy reads, against central differences
    g = cr.grad(lambda a: csl.solve(a, b, assume_a="pos") @ np.array([1.0, -2.0]))(p)
    h, fd = 1e-6, np.zeros_like(p)
    for i, j in [(0, 0), (0, 1), (1, 1)]:
        e = np.zeros_like(p)
        e[i, j] = h
        fd[i, j] = (sl.solve(p + e, b, assume_a="pos") - sl.solve(p - e, b, assume_a="pos")) \
            @ np.array([1.0, -2.0]) / (2 * h)
    np.testing.assert_allclose(g, fd, rtol=1e-6, atol=1e-9)
    # SciPy divides a 1×1 system whatever assume_a: so does chainrule
    np.testing.assert_allclose(csl.solve(np.array([[-2.0]]), np.array([1.0]), assume_a="pos"),
                               [-0.5])


def test_genextreme_density_at_the_infinite_ends_of_its_support():
    """genextreme.pdf/logpdf at −inf (c ≥ 0) and +inf (c = 0) gave nan (−inf + inf in the
    formula); SciPy gives 0 and −inf."""
    import scipy.stats as ss
    import chainrule.scipy.stats as cs
    x = np.array([-np.inf, -1.0, 0.0, 1.0, np.inf])
    for c in (0.5, 0.0, -0.5):
        np.testing.assert_array_equal(cs.genextreme.pdf(x, c), ss.genextreme.pdf(x, c))
        np.testing.assert_array_equal(cs.genextreme.logpdf(x, c), ss.genextreme.logpdf(x, c))
