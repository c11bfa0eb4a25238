"""Review of the functions added today, under the transformations (norm's empty max, isposinf's
complex refusal) — regressions found by checking them beyond the eager spec cases."""

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp


# (shape, ord, axis): NumPy's norm takes the max with initial=0, so an empty axis gives 0.0
EMPTY_MAX_NORMS = [((0,), np.inf, None), ((0, 3), np.inf, None), ((0, 3), 2, None),
                   ((3, 0), 1, None), ((3, 0), np.inf, 1), ((2, 0, 3), 2, (0, 1)),
                   ((2, 3, 0), 1, (1, 2))]


@pytest.mark.parametrize("shape,ord,axis", EMPTY_MAX_NORMS)
def test_norm_max_over_an_empty_axis_is_zero_as_numpys(shape, ord, axis):
    x = np.zeros(shape)
    want = np.linalg.norm(x, ord, axis=axis)

    def f(v):
        return cnp.linalg.norm(v, ord, axis=axis)

    got = f(x)
    assert np.shape(got) == np.shape(want) and np.asarray(got).dtype == want.dtype
    np.testing.assert_array_equal(got, want)
    jf = cr.jit(f)
    for _ in ("trace", "replay"):
        np.testing.assert_array_equal(jf(x), want)
    g = cr.grad(lambda v: cnp.sum(f(v)))(x)
    assert g.shape == shape
    np.testing.assert_array_equal(cr.vmap(f)(np.zeros((2,) + shape)), np.stack([want, want]))


def test_norm_max_keeps_its_derivative_on_nonempty_input():
    x = np.array([[1.0, -4.0], [2.0, 0.5]])
    # the largest row sum of |x| is row 0's: its signs
    np.testing.assert_array_equal(cr.grad(lambda v: cnp.linalg.norm(v, np.inf))(x),
                                  [[1.0, -1.0], [0.0, 0.0]])
    cr.check_grads(lambda v: cnp.linalg.norm(v, 1), (x,), order=2, modes=("fwd", "rev"))


@pytest.mark.parametrize("name", ["isposinf", "isneginf"])
def test_isposinf_refuses_complex_by_its_own_name(name):
    f = getattr(cnp, name)
    with pytest.raises(TypeError):
        getattr(np, name)(np.array([1j]))
    for call in (lambda: f(np.array([1j])), lambda: cr.jit(f)(np.array([1j, 2.0]))):
        with pytest.raises(TypeError, match=f"{name}: complex input is not supported"):
            call()
    np.testing.assert_array_equal(f([-np.inf, np.inf, 1.0]), getattr(np, name)([-np.inf, np.inf, 1.0]))


@pytest.mark.parametrize("lower", [True, False])
@pytest.mark.parametrize("dtype", [np.float64, np.complex128])
def test_scipy_eigh_reads_one_triangle_as_scipys(lower, dtype):
    """scipy.linalg.eigh of a non-symmetric a: SciPy reads the lower (upper) triangle; the
    composite symmetrised all of a, other eigenvalues."""
    sl = pytest.importorskip("scipy.linalg")
    import chainrule.scipy.linalg as csl
    rng = np.random.default_rng(5)
    a = 3.0 * np.eye(3) + rng.standard_normal((3, 3))
    if dtype is np.complex128:
        a = a + 1j * rng.standard_normal((3, 3))
    want_w, want_v = sl.eigh(a, lower=lower)
    w, v = csl.eigh(a, lower=lower)
    np.testing.assert_allclose(w, want_w, rtol=1e-12)
    np.testing.assert_allclose(np.abs(v), np.abs(want_v), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(csl.eigvalsh(a, lower=lower), want_w, rtol=1e-12)
    np.testing.assert_array_equal(cr.jit(lambda x: csl.eigvalsh(x, lower=lower))(a),
                                  csl.eigvalsh(a, lower=lower))
    if dtype is np.float64:
        g = cr.grad(lambda x: csl.eigvalsh(x, lower=lower)[0])(a)
        # differentiated along symmetric directions, as cholesky (and autograd, JAX,
        # PyTorch): d w_0 = v_0ᵀ·sym(dA)·v_0, so the gradient is v_0·v_0ᵀ
        v0 = sl.eigh(a, lower=lower)[1][:, 0]
        np.testing.assert_allclose(g, np.outer(v0, v0), rtol=1e-10, atol=1e-12)
        batch = np.stack([a, a.T, a + np.eye(3)])
        np.testing.assert_allclose(cr.vmap(lambda x: csl.eigvalsh(x, lower=lower))(batch),
                                   [sl.eigvalsh(x, lower=lower) for x in batch], rtol=1e-12)


@pytest.mark.parametrize("UPLO", ["L", "U"])
@pytest.mark.parametrize("dtype", [np.float64, np.complex128])
def test_numpy_eigh_reads_one_triangle_as_numpys(UPLO, dtype):
    """numpy.linalg.eigh of a non-symmetric a: NumPy reads the lower (upper) triangle;
    chainrule symmetrised all of a (as JAX does), silently other eigenvalues than NumPy's."""
    rng = np.random.default_rng(6)
    a = 3.0 * np.eye(3) + rng.standard_normal((3, 3))
    if dtype is np.complex128:
        a = a + 1j * rng.standard_normal((3, 3))
    want_w, want_v = np.linalg.eigh(a, UPLO=UPLO)
    for f in (lambda x: cnp.linalg.eigh(x, UPLO=UPLO), cr.jit(lambda x: cnp.linalg.eigh(x, UPLO)),
              lambda x: cr.vmap(lambda y: cnp.linalg.eigh(y, UPLO=UPLO))(x[None])):
        w, v = f(a)
        np.testing.assert_allclose(np.squeeze(w), want_w, rtol=1e-12)
        np.testing.assert_allclose(np.abs(np.squeeze(v)), np.abs(want_v), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(cnp.linalg.eigvalsh(a, UPLO=UPLO), want_w, rtol=1e-12)
    if dtype is np.float64:   # differentiated along symmetric directions: v·vᵀ
        g = cr.grad(lambda x: cnp.linalg.eigvalsh(x, UPLO=UPLO)[2])(a)
        np.testing.assert_allclose(g, np.outer(want_v[:, 2], want_v[:, 2]), rtol=1e-10,
                                   atol=1e-12)
    with pytest.raises(ValueError, match="UPLO"):
        cnp.linalg.eigh(a, UPLO="X")


def test_scipy_toeplitz_of_nd_input_is_a_batch():
    """SciPy ≥ 1.17 builds one matrix per row of an N-d c (r); the composite raveled c into one
    large matrix (the pre-1.14 behaviour), silently another shape than the installed SciPy's."""
    sl = pytest.importorskip("scipy.linalg")
    import chainrule.scipy.linalg as csl
    rng = np.random.default_rng(2)
    c, r, rb = rng.standard_normal((2, 3)), rng.standard_normal(4), rng.standard_normal((3, 1, 2))
    # per-matrix references from SciPy's 1-D calls (their meaning is the same in every version)
    np.testing.assert_array_equal(csl.toeplitz(c), np.stack([sl.toeplitz(x) for x in c]))
    np.testing.assert_array_equal(csl.toeplitz(c, r), np.stack([sl.toeplitz(x, r) for x in c]))
    got = cr.jit(lambda c, r: csl.toeplitz(c, r))(c[None], rb)          # batches broadcast
    assert got.shape == (3, 2, 3, 2)
    np.testing.assert_array_equal(got[2, 1], sl.toeplitz(c[1], rb[2, 0]))
    np.testing.assert_array_equal(csl.toeplitz(c + 1j)[1], sl.toeplitz(c[1] + 1j))
    cr.check_grads(lambda c, r: csl.toeplitz(c, r), (c, r), order=2, modes=("fwd", "rev"))
    np.testing.assert_array_equal(csl.toeplitz(3.0), [[3.0]])


_K = np.array([-1.0, 0.0, 1.0, 2.5, 3.0, 6.0, np.nan, np.inf])[:, None]
STAT_DOMAIN_CASES = [("binom", "pmf", (5, 1.2)), ("binom", "logpmf", (5, -0.1)),
                     ("binom", "pmf", (-1, 0.3)), ("binom", "logpmf", (5, 0.3)),
                     ("nbinom", "pmf", (2, 0.0)), ("nbinom", "logpmf", (0, 0.3)),
                     ("nbinom", "pmf", (2, 1.5)), ("nbinom", "logpmf", (2.5, 0.3)),
                     ("bernoulli", "pmf", (1.5,)), ("bernoulli", "logpmf", (0.3,))]


@pytest.mark.parametrize("dist,method,params", STAT_DOMAIN_CASES)
def test_discrete_stats_are_nan_for_nan_k_and_invalid_parameters_as_scipys(dist, method, params):
    """A nan k gave pmf 0 (log −inf) and p outside [0, 1], n < 0 (n ≤ 0, p = 0 for nbinom)
    gave numbers ('probabilities' above 1), where SciPy gives nan."""
    ss = pytest.importorskip("scipy.stats")
    import chainrule.scipy.stats as cst
    want = getattr(getattr(ss, dist), method)(_K, *params)
    f = getattr(getattr(cst, dist), method)
    np.testing.assert_allclose(f(_K, *params), want, rtol=1e-12, equal_nan=True)
    np.testing.assert_allclose(cr.jit(lambda k: f(k, *params))(_K), want, rtol=1e-12,
                               equal_nan=True)


@pytest.mark.parametrize("method", ["pdf", "logpdf", "cdf"])
@pytest.mark.parametrize("s,kw", [(0.7, {}), (0.0, {}), (-1.0, {}), (0.7, {"scale": 0.0}),
                                  (0.7, {"scale": -1.0}), (np.nan, {}), (0.7, {"loc": np.nan})])
def test_lognorm_is_nan_for_nan_x_and_invalid_parameters_as_scipys(method, s, kw):
    ss = pytest.importorskip("scipy.stats")
    import chainrule.scipy.stats as cst
    x = np.array([-1.0, 0.0, 0.5, 3.0, np.inf, np.nan])
    want = getattr(ss.lognorm, method)(x, s, **kw)
    np.testing.assert_allclose(getattr(cst.lognorm, method)(x, s, **kw), want, rtol=1e-12,
                               equal_nan=True)


def test_stats_domain_checks_keep_the_derivatives():
    import chainrule.scipy.stats as cst
    k = np.array([0.0, 2.0, 3.0])
    cr.check_grads(lambda p: cst.binom.logpmf(k, 6, p), (np.array([0.2, 0.5, 0.7]),), order=2,
                   modes=("fwd", "rev"))
    cr.check_grads(lambda n, p: cst.nbinom.pmf(k, n, p), (np.array([1.5, 2.0, 3.0]), 0.4),
                   order=2, modes=("fwd", "rev"))
    cr.check_grads(lambda x, s: cst.lognorm.cdf(x, s, scale=1.5), (np.array([0.5, 2.0]), 0.8),
                   order=2, modes=("fwd", "rev"))
    p = np.array([0.2, 0.9])
    np.testing.assert_allclose(cr.vmap(lambda q: cst.bernoulli.logpmf(1.0, q))(p), np.log(p),
                               rtol=1e-14)


def test_vmap_over_an_empty_batch_of_loop_batched_scipy_primitives():
    """The per-example loop of SciPy's primitives (solve_triangular under the generalized
    eigh, lu, sqrtm, eig, convolve) stacked no results for a batch of 0: NumPy's 'need at least
    one array to concatenate'. Empty results shaped as one example's now."""
    import chainrule.scipy.linalg as csl
    import chainrule.scipy.signal as csig
    mats, vecs = np.zeros((0, 3, 3)), np.zeros((0, 3))
    assert cr.vmap(lambda a, b: csl.eigvalsh(a, b))(mats, mats).shape == (0, 3)
    assert cr.vmap(lambda a, b: csl.eigh(a, b)[1])(mats, mats).shape == (0, 3, 3)
    assert cr.vmap(lambda b: csl.solve_triangular(2.0 * np.eye(3), b))(vecs).shape == (0, 3)
    grads = cr.vmap(cr.grad(lambda a: cnp.sum(csl.solve_triangular(a, np.ones(3)))))(mats)
    assert grads.shape == (0, 3, 3)
    assert cr.jit(cr.vmap(lambda a: csl.lu_factor(a)[0]))(mats).shape == (0, 3, 3)
    assert cr.vmap(lambda a: csl.eig(a)[0])(mats).dtype == np.complex128
    assert cr.vmap(lambda x: csig.convolve(x, np.ones(2)))(vecs).shape == (0, 4)
    # a batch of one still runs the example itself
    a = np.array([[[4.0, 1.0], [1.0, 3.0]]])
    np.testing.assert_allclose(cr.vmap(lambda m: csl.eigvalsh(m, np.eye(2)))(a),
                               [np.linalg.eigvalsh(a[0])], rtol=1e-12)


def test_norm_under_jit_with_a_float_ord_says_what_to_do():
    """cr.jit traces a float argument: norm's ord then reached a comparison with 'fro' and
    NumPy's UFuncTypeError ('equal' did not contain a loop …)."""
    a = 3.0 * np.eye(3) + 0.1
    with pytest.raises(TypeError, match="ord must be a constant"):
        cr.jit(cnp.linalg.norm)(a, 2.0)
    for ord in (2.0, np.inf, "fro"):
        np.testing.assert_array_equal(cr.jit(cnp.linalg.norm, static_argnums=(1,))(a, ord),
                                      cnp.linalg.norm(a, ord))


def test_scipy_toeplitz_of_lists():
    sl = pytest.importorskip("scipy.linalg")
    import chainrule.scipy.linalg as csl
    np.testing.assert_array_equal(csl.toeplitz([1.0, 2.0, 3.0], [9.0, 5.0]),
                                  sl.toeplitz([1.0, 2.0, 3.0], [9.0, 5.0]))
    np.testing.assert_array_equal(csl.toeplitz([[1.0, 2.0]]), [sl.toeplitz([1.0, 2.0])])
