"""Values of the newer chainrule.numpy functions against NumPy's, edge cases included
(size 0 and 1, float32, ties); the derivatives are checked in tests/test_rules.py."""

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp

rng = np.random.default_rng(7)
X = rng.standard_normal((3, 4))
Y3 = rng.standard_normal((2, 2, 4))


def same(a, b):
    a = list(a) if isinstance(a, (list, tuple)) else [a]
    b = list(b) if isinstance(b, (list, tuple)) else [b]
    assert len(a) == len(b)
    for p, q in zip(a, b):
        assert np.shape(p) == np.shape(q), (np.shape(p), np.shape(q))
        np.testing.assert_allclose(p, q, rtol=1e-12, atol=1e-12, equal_nan=True)


# ---- linalg ---------------------------------------------------------------------------------
@pytest.mark.parametrize("shp", [(3, 3), (4, 2), (2, 4), (2, 3, 2), (1, 1)])
def test_svd_values_and_reconstruction(shp):
    a = rng.standard_normal(shp)
    u, s, vt = cnp.linalg.svd(a, full_matrices=False)
    same(s, np.linalg.svd(a, compute_uv=False))
    same(cnp.linalg.svd(a, compute_uv=False), np.linalg.svd(a, compute_uv=False))
    np.testing.assert_allclose((u * s[..., None, :]) @ vt, a, atol=1e-12)
    full = cnp.linalg.svd(a)
    same([np.abs(full[1])], [np.linalg.svd(a)[1]])
    assert full[0].shape == np.linalg.svd(a)[0].shape


def test_svd_of_a_full_rectangular_matrix_is_numpys_and_differentiable():
    a = rng.standard_normal((4, 2))
    same(list(cnp.linalg.svd(a)), list(np.linalg.svd(a)))
    # d/dA Σ s = U₁ Vh (the rule tests check the complement columns' rotation-free derivative)
    u, s, vt = np.linalg.svd(a, full_matrices=False)
    same(cr.grad(lambda a: cnp.sum(cnp.linalg.svd(a)[1]))(a), u @ vt)


def test_qr_raw_is_numpys_value_without_a_derivative():
    a = rng.standard_normal((4, 3))
    same(list(cnp.linalg.qr(a, mode="raw")), list(np.linalg.qr(a, mode="raw")))
    with pytest.raises(NotImplementedError, match="mode='reduced'"):
        cr.grad(lambda a: cnp.sum(cnp.linalg.qr(a, mode="raw")[0]))(a)
    with pytest.raises(ValueError, match="unrecognized mode"):
        cnp.linalg.qr(a, mode="economic")


@pytest.mark.parametrize("ord_", [None, "fro", "nuc", 2, -2, 1, -1, np.inf, -np.inf])
def test_matrix_norms(ord_):
    same(cnp.linalg.norm(X, ord_), np.linalg.norm(X, ord_))
    same(cnp.linalg.norm(Y3, ord_, axis=(2, 0), keepdims=True),
         np.linalg.norm(Y3, ord_, axis=(2, 0), keepdims=True))


@pytest.mark.parametrize("ord_", [None, 2, 1, -1, np.inf, -np.inf, 0, 3, 0.5, -2])
def test_vector_norms(ord_):
    v = X[0]
    same(cnp.linalg.norm(v, ord_), np.linalg.norm(v, ord_))
    same(cnp.linalg.norm(X, ord_, axis=1), np.linalg.norm(X, ord_, axis=1))


def test_nuclear_norm_gradient_is_u_vt():
    u, s, vt = np.linalg.svd(X, full_matrices=False)
    np.testing.assert_allclose(cr.grad(lambda a: cnp.linalg.norm(a, "nuc"))(X), u @ vt)


def test_pinv_lstsq_qr_cond_rank_eigvalsh():
    a = rng.standard_normal((5, 3))
    b = rng.standard_normal(5)
    same(cnp.linalg.pinv(a), np.linalg.pinv(a))
    x, res, rank, s = cnp.linalg.lstsq(a, b)
    ex, eres, erank, es = np.linalg.lstsq(a, b, rcond=None)
    same([x, res, s], [ex, eres, es])
    assert rank == erank
    q, r = cnp.linalg.qr(a)
    same([q, r], list(np.linalg.qr(a)))
    same(cnp.linalg.qr(a, mode="r"), np.linalg.qr(a, mode="r"))
    for p in (None, 2, -2, "fro", "nuc", 1, -1, np.inf, -np.inf):
        same(cnp.linalg.cond(X[:, :3], p), np.linalg.cond(X[:, :3], p))
    assert int(cnp.linalg.matrix_rank(np.outer(b, b))) == 1
    m = a.T @ a
    same(cnp.linalg.eigvalsh(m), np.linalg.eigvalsh(m))
    same(cnp.linalg.multi_dot([a.T, a, b[:3]]), np.linalg.multi_dot([a.T, a, b[:3]]))
    t = 3 * np.eye(6).reshape(2, 3, 6) + 0.1 * rng.standard_normal((2, 3, 6))
    t = t.reshape(2, 3, 2, 3)
    same(cnp.linalg.tensorsolve(t, X[:2, :3]), np.linalg.tensorsolve(t, X[:2, :3]))


def test_pinv_gradient_at_repeated_singular_values_is_finite():
    # The pseudo-inverse's rule needs no distinct singular values (the identity has one, twice).
    g = cr.grad(lambda a: cnp.sum(cnp.linalg.pinv(a)))(np.eye(2))
    np.testing.assert_allclose(g, -np.ones((2, 2)))


# ---- remainders, casts ---------------------------------------------------------------------------
def test_mod_family_and_operators():
    x, y = 3 * X, np.array([1.5, -1.5, 0.7, 2.0])
    same(cnp.mod(x, y), np.mod(x, y))
    same(cnp.remainder(x, y), np.remainder(x, y))
    same(cnp.fmod(x, y), np.fmod(x, y))
    same(list(cnp.divmod(x, y)), list(np.divmod(x, y)))
    g = cr.grad(lambda y: cnp.sum(x % y))(y)
    np.testing.assert_allclose(g, -np.sum(np.floor(x / y), axis=0))
    g = cr.grad(lambda y: cnp.sum(cnp.fmod(x, y)))(y)
    np.testing.assert_allclose(g, -np.sum(np.trunc(x / y), axis=0))
    assert cr.grad(lambda x: 7.0 % x + divmod(x, 2.0)[1])(2.5) == -2.0 + 1.0
    assert cr.grad(lambda x: round(x) * x)(2.6) == 3.0
    assert cr.grad(lambda x: int(x) * x + np.int64(x))(2.6) == 2.0
    same([cnp.degrees(1.0), cnp.radians(180.0), cnp.fabs(-2.0)], [np.degrees(1.0), np.pi, 2.0])


# ---- einsum ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("spec,shapes", [
    ("ii->", [(3, 3)]), ("ii->i", [(3, 3)]), ("iij->j", [(2, 2, 3)]), ("ii", [(3, 3)]),
    ("ij,jk,kl,l->i", [(2, 3), (3, 2), (2, 2), (2,)]), ("...ii->...i", [(2, 3, 3)]),
    ("iji->j", [(2, 3, 2)])])
def test_einsum_full(spec, shapes):
    ops = [rng.standard_normal(s) for s in shapes]
    same(cnp.einsum(spec, *ops, optimize=True), np.einsum(spec, *ops))
    cr.check_grads(lambda *o: cnp.einsum(spec, *o), tuple(ops), order=1)


def test_einsum_sublist_form():
    a, b, c = X, rng.standard_normal((4, 2)), rng.standard_normal(2)
    same(cnp.einsum(a, [0, 1], b, [1, 2]), np.einsum(a, [0, 1], b, [1, 2]))
    same(cnp.einsum(a, [0, 1], b, [1, 2], c, [2], [0]), np.einsum(a, [0, 1], b, [1, 2], c, [2], [0]))


# ---- differences and order statistics -----------------------------------------------------------
def test_differences():
    same(cnp.diff(X), np.diff(X))
    same(cnp.diff(X, n=2, axis=0, prepend=0.0, append=X[:1]),
         np.diff(X, n=2, axis=0, prepend=0.0, append=X[:1]))
    same(cnp.diff(np.ones(1)), np.diff(np.ones(1)))
    same(cnp.gradient(X), np.gradient(X))
    same(cnp.gradient(X, 0.5, edge_order=2, axis=1), np.gradient(X, 0.5, edge_order=2, axis=1))
    same(cnp.ediff1d(X, to_end=[1.0, 2.0], to_begin=0.0), np.ediff1d(X, to_end=[1.0, 2.0], to_begin=0.0))


@pytest.mark.parametrize("axis", [None, 0, 1, (0, 1)])
@pytest.mark.parametrize("keepdims", [False, True])
def test_median_quantile(axis, keepdims):
    same(cnp.median(X, axis=axis, keepdims=keepdims), np.median(X, axis=axis, keepdims=keepdims))
    for q in (0.3, [0.0, 0.5, 1.0]):
        for method in ("linear", "lower", "higher", "nearest", "midpoint"):
            same(cnp.quantile(X, q, axis=axis, keepdims=keepdims, method=method),
                 np.quantile(X, q, axis=axis, keepdims=keepdims, method=method))
    same(cnp.percentile(X, [10, 90], axis=axis), np.percentile(X, [10, 90], axis=axis))


_WQ = np.array([[0.3, np.nan, -1.2, 2.0, 0.7, 0.1], [np.nan] * 6, [1.5, -0.4, 0.9, np.nan, 3.1, 0.2]])
_WW = np.array([[0.0, 4.0, 1.0, 2.0, 0.0, 1.0], [1.0] * 6, [0.5, 0.0, 2.0, 9.0, 1.0, 1.0]])


@pytest.mark.parametrize("axis", [None, 1, (0, 1), -1])
def test_nanquantile_weights_as_numpy(axis):
    # Weighted nan-aware quantiles: the nan entries leave with their weights; a slice of nans
    # only gives nan. (NumPy 2.4 raises IndexError for 1-d weights along one axis of a 2-d
    # array, so the weights here have a's shape.)
    import warnings
    for q in (0.0, 0.45, 1.0, [0.2, 1.0], np.float32(0.3)):
        for keepdims in (False, True):
            kw = dict(axis=axis, keepdims=keepdims, method="inverted_cdf", weights=_WW)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)   # NumPy's all-nan slice
                want = np.nanquantile(_WQ, q, **kw)
                p = np.multiply(q, 100)
                want_p = np.nanpercentile(_WQ, p, **kw)
            same(cnp.nanquantile(_WQ, q, **kw), want)
            same(cnp.nanpercentile(_WQ, p, **kw), want_p)
    same(cnp.nanquantile(_WQ[0], 0.5, method="inverted_cdf", weights=_WW[0]),
         np.nanquantile(_WQ[0], 0.5, method="inverted_cdf", weights=_WW[0]))
    assert cnp.nanquantile(_WQ.astype(np.float32), 0.5, axis=1, method="inverted_cdf",
                           weights=_WW).dtype == np.float32


def test_weighted_quantile_refuses_what_numpy_refuses():
    x = np.array([3.0, np.nan, 1.0, 2.0])
    for name, kw, error, match in [
            ("nanquantile", dict(weights=[1, 1, 1, 0]), ValueError, "Only method 'inverted_cdf'"),
            ("nanquantile", dict(weights=[0, 5, 0, 0], method="inverted_cdf"), ValueError,
             "all zero"),
            ("nanquantile", dict(weights=[1, 1, np.inf, 0], method="inverted_cdf"), ValueError,
             "NaN, inf"),
            ("nanquantile", dict(weights=[1, -1, 1, 0], method="inverted_cdf"), ValueError,
             "non-negative"),
            ("quantile", dict(weights=[0.0, 0.0, 0.0, 0.0], method="inverted_cdf"), ValueError,
             "all zero"),
            ("nanquantile", dict(weights=[1, 1, 1], method="inverted_cdf"), TypeError,
             "Axis must be specified"),
            ("nanquantile", dict(weights=[1, 1, 1], method="inverted_cdf", axis=0), ValueError,
             "Shape of weights")]:
        import warnings
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            with pytest.raises(error, match=match):
                getattr(np, name)(x, 0.5, **kw)
        with pytest.raises(error, match=match):
            getattr(cnp, name)(x, 0.5, **kw)


def test_quantiles_of_empty_arrays_as_numpy():
    # A length-0 axis that is not reduced gives an empty result; the nan-aware versions answer
    # any empty array with nan shaped as nanmean's (whatever q's shape), weighted or not.
    import warnings
    cases = [("quantile", np.zeros((3, 0)), 0), ("quantile", np.zeros((0, 3)), -1),
             ("percentile", np.zeros((3, 0)), 0), ("nanquantile", np.zeros(0), None),
             ("nanquantile", np.zeros((3, 0)), 1), ("nanquantile", np.zeros((0, 3)), 1),
             ("nanpercentile", np.zeros(0, np.float32), 0),
             ("nanquantile", np.zeros((2, 0)), (0, 1))]
    for name, a, axis in cases:
        for q in (0.5, [0.2, 0.6]):
            if "percentile" in name:
                q = np.multiply(q, 100)
            for keepdims in (False, True):
                for weights in (None, np.ones(a.shape)):
                    kw = dict(axis=axis, keepdims=keepdims)
                    if weights is not None:
                        kw.update(weights=weights, method="inverted_cdf")
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore", RuntimeWarning)
                        want = getattr(np, name)(a, q, **kw)
                        got = getattr(cnp, name)(a, q, **kw)
                        traced = cr.jvp(lambda x: getattr(cnp, name)(x, q, **kw), (a,), (a,))
                    for out in (got, traced[0]):
                        same(out, want)
                        assert np.shape(out) == np.shape(want) and out.dtype == want.dtype
                    assert np.shape(traced[1]) == np.shape(want)


def test_median_ties_size1_float32():
    ties = np.array([1.0, 2.0, 2.0, 2.0, 5.0])
    same(cnp.median(ties), 2.0)
    g = cr.grad(cnp.median)(ties)
    assert g.sum() == 1.0 and np.all(g[[0, 4]] == 0)
    same(cnp.median(np.array([4.0])), 4.0)
    same(cnp.quantile(np.array([[1.0, 1.0, 3.0]]), 0.5, axis=1), np.array([1.0]))
    f = cnp.median(X.astype(np.float32))
    assert f.dtype == np.float32


def test_nan_reductions():
    w = np.array([[1.0, np.nan, 3.0], [np.nan, 2.0, 5.0]])
    for name in ("nansum", "nanmean", "nanmax", "nanmin", "nanprod", "nanstd", "nanvar"):
        same(getattr(cnp, name)(w), getattr(np, name)(w))
        same(getattr(cnp, name)(w, axis=1), getattr(np, name)(w, axis=1))
    same(cr.grad(cnp.nansum)(w), np.where(np.isnan(w), 0.0, 1.0))
    v = np.array([np.nan, np.inf, -np.inf, 1.0])
    same(cnp.nan_to_num(v), np.nan_to_num(v))
    same(cnp.nan_to_num(v, nan=1.0, posinf=2.0, neginf=-2.0), np.nan_to_num(v, nan=1.0, posinf=2.0, neginf=-2.0))


# ---- signals, polynomials, statistics ----------------------------------------------------------------
@pytest.mark.parametrize("n,m", [(5, 3), (5, 4), (3, 5), (4, 6), (6, 2), (1, 1), (1, 3)])
@pytest.mark.parametrize("mode", ["full", "same", "valid"])
def test_convolve_correlate(n, m, mode):
    a, v = rng.random(n), rng.random(m)
    same(cnp.convolve(a, v, mode), np.convolve(a, v, mode))
    same(cnp.correlate(a, v, mode), np.correlate(a, v, mode))


def test_polyval_interp_trapezoid():
    same(cnp.polyval(np.array([1.0, 2.0, 3.0]), X), np.polyval([1.0, 2.0, 3.0], X))
    xp, fp = np.array([0.0, 1.0, 2.5, 4.0]), np.array([1.0, 3.0, 2.0, 0.0])
    q = np.array([-1.0, 0.0, 0.5, 1.0, 2.0, 4.0, 5.0])
    same(cnp.interp(q, xp, fp), np.interp(q, xp, fp))
    same(cnp.interp(q, xp, fp, left=-9.0, right=9.0), np.interp(q, xp, fp, left=-9.0, right=9.0))
    same(cr.grad(lambda x: cnp.interp(x, xp, fp))(0.5), 2.0)
    same(cnp.trapezoid(X), np.trapezoid(X))
    same(cnp.trapezoid(X, x=np.array([0.0, 1.0, 3.0, 4.0])), np.trapezoid(X, x=np.array([0.0, 1.0, 3.0, 4.0])))
    same(cnp.trapezoid(X, dx=0.5, axis=0), np.trapezoid(X, dx=0.5, axis=0))


def test_statistics():
    w = np.array([1.0, 2.0, 3.0, 4.0])
    same(cnp.average(X, axis=1, weights=w), np.average(X, axis=1, weights=w))
    same(list(cnp.average(X, weights=X * X, returned=True)), list(np.average(X, weights=X * X, returned=True)))
    same(cnp.cov(X), np.cov(X))
    same(cnp.cov(X, rowvar=False, bias=True), np.cov(X, rowvar=False, bias=True))
    same(cnp.cov(X[0], X[1]), np.cov(X[0], X[1]))
    same(cnp.cov(X[0]), np.cov(X[0]))
    # weights (frequency, analytic, both; every ddof branch) and complex values, as NumPy
    fw, aw = np.arange(1, X.shape[1] + 1), np.linspace(0.5, 2.0, X.shape[1])
    for kw in (dict(fweights=fw), dict(aweights=aw), dict(fweights=fw, aweights=aw),
               dict(fweights=fw, aweights=aw, ddof=0), dict(aweights=aw, bias=True)):
        same(cnp.cov(X, **kw), np.cov(X, **kw))
    Z = X + 1j * X[::-1]
    same(cnp.cov(Z), np.cov(Z))
    same(cnp.corrcoef(Z), np.corrcoef(Z))
    same(cnp.corrcoef(X), np.corrcoef(X))
    same(cnp.corrcoef(X[0], X[1]), np.corrcoef(X[0], X[1]))
    same(cr.grad(lambda x: cnp.mean([x, 2 * x, 3.0]) + cnp.std([x, x * x]))(1.5), 2.0)


def test_spaces_with_traced_endpoints():
    same(cr.jacfwd(lambda ab: cnp.linspace(ab[0], ab[1], 3))(np.array([1.0, 2.0])),
         np.array([[1.0, 0.0], [0.5, 0.5], [0.0, 1.0]]))
    same(cr.grad(lambda b: cnp.sum(cnp.logspace(0.0, b, 3)))(2.0),
         np.log(10) * (0.5 * 10.0 + 100.0))
    same(cnp.geomspace(1.0, 8.0, 4), np.geomspace(1.0, 8.0, 4))
    same(cr.vjp(lambda a: cnp.geomspace(a, 8.0, 4), 1.0)[0], np.geomspace(1.0, 8.0, 4))
    same(cr.vjp(lambda a: cnp.linspace(a, np.array([2.0, 3.0]), 3, axis=1), np.array([0.0, 1.0]))[0],
         np.linspace(np.array([0.0, 1.0]), np.array([2.0, 3.0]), 3, axis=1))
    same(cr.vjp(lambda a: cnp.linspace(a, 1.0, 4, endpoint=False, retstep=True), 0.0)[0][0],
         np.linspace(0.0, 1.0, 4, endpoint=False))


def test_clip_keywords_and_isclose_equal_nan():
    same(cnp.clip(X, a_min=-0.5, a_max=0.5), np.clip(X, -0.5, 0.5))
    same(cnp.clip(X, min=0.0), np.clip(X, 0.0, None))
    same(cr.grad(lambda x: cnp.sum(np.clip(x, a_min=0.0, a_max=None)))(X), (X > 0).astype(float))
    a, b = np.array([np.nan, 1.0]), np.array([np.nan, 1.0 + 1e-9])
    same(cnp.isclose(a, b, equal_nan=True), np.isclose(a, b, equal_nan=True))
    assert cnp.allclose(a, b, equal_nan=True) and not cnp.allclose(a, b)


# ---- array manipulation ---------------------------------------------------------------------------
def test_insert_delete_append_put():
    same(cnp.insert(X, 1, 9.0, axis=1), np.insert(X, 1, 9.0, axis=1))
    same(cnp.insert(X, [0, 2], np.array([7.0, 8.0])), np.insert(X, [0, 2], np.array([7.0, 8.0])))
    same(cnp.insert(X, 2, np.array([1.0, 2.0, 3.0]), axis=1), np.insert(X, 2, np.array([1.0, 2.0, 3.0]), axis=1))
    same(cnp.delete(X, [0, 2], axis=1), np.delete(X, [0, 2], axis=1))
    same(cnp.delete(X, 1), np.delete(X, 1))
    same(cnp.append(X, X, axis=0), np.append(X, X, axis=0))
    same(cnp.append(X, 1.0), np.append(X, 1.0))
    idx = np.array([[0], [2], [1]])
    expected = X.copy()
    np.put_along_axis(expected, idx, 99.0, axis=1)
    same(cnp.put_along_axis(X, idx, 99.0, axis=1), expected)
    assert not np.any(X == 99.0)  # functional: the input is untouched


def test_compress_and_choose_are_numpys():
    for cond, axis in (([True, False, True], None), ([False, True], 0), ([1, 0, 1], 1),
                       ([], None), (np.ones(12, bool), None)):
        same(cnp.compress(cond, X, axis=axis), np.compress(cond, X, axis=axis))
    assert cnp.compress([True], X.astype(np.float32)).dtype == np.float32
    with pytest.raises(IndexError):
        cnp.compress([True] * 13, X)  # longer than X: NumPy's error
    a = np.array([[0, 1, 2, 1], [2, 2, 0, 0], [1, 0, 0, 2]])
    choices = [X, np.arange(4.0), -1.5]
    same(cnp.choose(a, choices), np.choose(a, choices))
    for mode in ("wrap", "clip"):
        same(cnp.choose(a + 2, choices, mode=mode), np.choose(a + 2, choices, mode=mode))
    with pytest.raises(ValueError):
        cnp.choose(a + 2, choices)  # mode="raise": NumPy's error
    same(cr.grad(lambda x: cnp.sum(x.compress([True, False, True], axis=1)))(X),
         np.tile([1.0, 0.0, 1.0, 0.0], (3, 1)))  # ndarray's method on a traced value
    g = cr.grad(lambda x: cnp.sum(cnp.choose(a, [x, 2.0 * x, x * x])))(X)
    same(g, np.choose(a, [np.ones_like(X), 2.0 * np.ones_like(X), 2.0 * X]))


def test_splits_stacks_rotations():
    same(cnp.array_split(np.arange(7.0), 3), np.array_split(np.arange(7.0), 3))
    same(cnp.array_split(X, [1, 3], axis=1), np.array_split(X, [1, 3], axis=1))
    same(cnp.hsplit(X, 2), np.hsplit(X, 2))
    same(cnp.vsplit(X[:2], 2), np.vsplit(X[:2], 2))
    same(cnp.dsplit(Y3, 2), np.dsplit(Y3, 2))
    same(cnp.column_stack([X[0], X[1]]), np.column_stack([X[0], X[1]]))
    same(cnp.row_stack([X[0], X[1]]), np.vstack([X[0], X[1]]))
    for v in (1.0, np.ones(2), np.ones((2, 3)), np.ones((2, 3, 4))):
        same(cnp.atleast_3d(v), np.atleast_3d(v))
    same(cnp.fliplr(X), np.fliplr(X))
    same(cnp.flipud(X), np.flipud(X))
    for k in range(-1, 5):
        same(cnp.rot90(Y3, k), np.rot90(Y3, k))
        same(cnp.rot90(Y3, k, axes=(2, 0)), np.rot90(Y3, k, axes=(2, 0)))
    for ax in range(3):
        for start in range(4):
            same(cnp.rollaxis(Y3, ax, start), np.rollaxis(Y3, ax, start))
    same(cnp.select([X > 0.5, X < -0.5], [X, 2 * X], default=-1.0),
         np.select([X > 0.5, X < -0.5], [X, 2 * X], default=-1.0))
    same(cnp.partition(X, 2, axis=1), np.partition(X, 2, axis=1))
    a, b = rng.standard_normal((4, 3)), rng.standard_normal((4, 3))
    same(cnp.cross(a, b), np.cross(a, b))
    same(cnp.cross(a.T, b.T, axis=0), np.cross(a.T, b.T, axis=0))
    same(cnp.cross(a[0, :2], b[0, :2]), a[0, 0] * b[0, 1] - a[0, 1] * b[0, 0])
    assert cnp.copy(X) is not X
    same(cnp.empty_like(X).shape, X.shape)


# ---- helpers that pass through with NumPy's result --------------------------------------------
def test_non_differentiable_helpers_pass_through():
    def f(x):
        # (unique's values are elements of x and carry its derivative; its counts pass through)
        parts = [cnp.unique(x, return_counts=True)[1], cnp.argwhere(x > 0), cnp.flatnonzero(x > 0),
                 cnp.count_nonzero(x > 0), cnp.bincount((x > 0).ravel()), cnp.histogram(x)[0],
                 cnp.searchsorted(np.array([-1.0, 0.0, 1.0]), x), cnp.tril_indices_from(x),
                 cnp.argpartition(x, 1)]
        for p, q in zip(parts, [np.unique(X, return_counts=True)[1], np.argwhere(X > 0), np.flatnonzero(X > 0),
                                np.count_nonzero(X > 0), np.bincount((X > 0).ravel()),
                                np.histogram(X)[0], np.searchsorted([-1.0, 0.0, 1.0], X),
                                np.tril_indices_from(X), np.argpartition(X, 1)]):
            same(p, q)
        return cnp.sum(x) * 0.0 + float(len(parts))
    assert cr.grad(f)(X).shape == X.shape
    same(cr.grad(lambda w: cnp.sum(cnp.bincount(np.array([0, 2, 2]), weights=w) ** 2))(
        np.array([1.0, 2.0, 3.0])), np.array([2.0, 10.0, 10.0]))
    assert cnp.random is np.random
    same(cnp.tril_indices(3), np.tril_indices(3))


def test_names_that_live_elsewhere_say_where():
    with pytest.raises(AttributeError, match="chainrule.scipy.special.logsumexp"):
        cnp.logsumexp
    with pytest.raises(AttributeError, match="chainrule.scipy.special.softmax"):
        cnp.softmax
    with pytest.raises(AttributeError, match="chainrule.numpy.sin"):
        cnp.linalg.sin


def test_flatten_round_trip_and_derivatives():
    tree = {"w": np.ones((2, 3)), "b": (np.float32(2.0), 3), "c": [1.5]}
    v, unflatten = cr.flatten(tree)
    assert v.dtype == np.float64 and v.shape == (9,)
    back = unflatten(v)
    assert back["b"][0].dtype == np.float32 and back["b"][1].dtype == np.asarray(3).dtype
    same(back["w"], tree["w"])
    g = cr.grad(lambda v: cnp.sum(unflatten(v)["w"] ** 2) * unflatten(v)["c"][0])(v)
    same(g, np.array([0.0, 0.0, 6.0] + [3.0] * 6))
    gt = cr.grad(lambda t: cnp.sum(cr.flatten(t)[0] ** 2))({"a": np.ones(2), "b": 2.0})
    same([gt["a"], gt["b"]], [np.array([2.0, 2.0]), 4.0])
    assert cr.flatten({})[0].shape == (0,)
    with pytest.raises(ValueError, match="vector of shape"):
        unflatten(np.ones(3))


def test_eig_values_match_numpy():
    rng = np.random.default_rng(7)
    for a in (rng.standard_normal((4, 4)), rng.standard_normal((2, 3, 3))
              + 1j * rng.standard_normal((2, 3, 3)), np.zeros((0, 0)),
              np.diag([1.0, 2.0, 3.0])):
        w, v = cnp.linalg.eig(a)
        w0, v0 = np.linalg.eig(a)
        assert w.dtype.kind == "c" and v.dtype.kind == "c"   # always complex, as JAX's
        np.testing.assert_allclose(w, w0, rtol=1e-13, atol=1e-13)
        np.testing.assert_allclose(v, v0, rtol=1e-13, atol=1e-13)
        np.testing.assert_allclose(cnp.linalg.eigvals(a), np.linalg.eigvals(a), atol=1e-12)
    a32 = rng.standard_normal((3, 3)).astype(np.float32)
    assert cnp.linalg.eig(a32)[0].dtype == np.complex64


def test_eig_eigenvalue_gradient_closed_form():
    # dw_j = (V⁻¹ dA V)_jj, so the gradient of Re w_j is Re(V⁻¹[j, k] V[l, j]).
    a = np.array([[1.0, 2.0, 0.0], [0.5, -1.0, 0.3], [0.0, 0.2, 2.0]])
    w, v = np.linalg.eig(a)
    vinv = np.linalg.inv(v)
    for j in range(3):
        want = np.real(np.outer(vinv[j], v[:, j]))
        got = cr.grad(lambda x: cnp.real(cnp.linalg.eigvals(x)[j]))(a)
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("make", [
    lambda m, x, y: m.r_[x, 0.5, y, 0:2], lambda m, x, y: m.r_["0,2,1", x, y],
    lambda m, x, y: m.c_[x, y, 2.0 * y], lambda m, x, y: m.r_[x, 0:1:4j]])
def test_r_c_match_numpy_traced_and_not(make):
    x, y = np.array([1.0, 2.0, 3.0]), np.array([-1.0, 0.5, 4.0])
    want = make(np, x, y)
    np.testing.assert_array_equal(make(cnp, x, y), want)
    out, t = cr.jvp(lambda x: make(cnp, x, y), (x,), (np.ones(3),))
    np.testing.assert_array_equal(out, want)
    assert t.shape == want.shape


@pytest.mark.parametrize("edge_order", [1, 2])
def test_gradient_spacings_as_numpy(edge_order):
    f = rng.standard_normal((5, 4))
    x, y = np.cumsum(rng.uniform(0.2, 1, 5)), np.cumsum(rng.uniform(0.2, 1, 4))
    for args, kw in [((), {}), ((0.3,), {}), ((x, y), {}), ((x, 0.5), {}),
                     ((np.array([0, 1, 3, 4, 7]), y), {}), ((np.arange(5) * 0.5, y), {}),
                     ((y,), {"axis": 1}), ((y, x), {"axis": (1, 0)}), ((2.0,), {"axis": -1})]:
        ours = cnp.gradient(f, *args, edge_order=edge_order, **kw)
        theirs = np.gradient(f, *args, edge_order=edge_order, **kw)
        same(list(ours) if isinstance(ours, tuple) else ours,
             list(theirs) if isinstance(theirs, tuple) else theirs)
    same(cnp.gradient(np.arange(5)), np.gradient(np.arange(5)))
    same(cnp.gradient([1.0, 2.0, 4.0], [0.0, 1.0, 3.0], edge_order=edge_order),
         np.gradient([1.0, 2.0, 4.0], [0.0, 1.0, 3.0], edge_order=edge_order))
    same(cnp.quantile([1.0, 2.0, 3.0], [0.3]), np.quantile([1.0, 2.0, 3.0], [0.3]))


def test_gradient_rejects_what_numpy_rejects():
    f, x = np.ones((5, 4)), np.arange(5.0)
    for args, error in [((x,), TypeError), ((x[:3], x[:4]), ValueError), ((f, x[:4]), ValueError)]:
        with pytest.raises(error):
            np.gradient(f, *args)
        with pytest.raises(error):
            cnp.gradient(f, *args)


_INDEX_TRICKS = [
    lambda m, x, a, s: m.r_[x, 0:1:5j, s], lambda m, x, a, s: m.r_["0,2,1", x, x],
    lambda m, x, a, s: m.r_["0,2,0", x, x], lambda m, x, a, s: m.r_["1,2,0", x, x],
    lambda m, x, a, s: m.r_["-1", a, a], lambda m, x, a, s: m.r_["0,3,-1", x, 1:4],
    lambda m, x, a, s: m.r_["1,3", a, a], lambda m, x, a, s: m.c_[x, x, 0:3, 3:0:-1],
    lambda m, x, a, s: m.c_[a.T, x], lambda m, x, a, s: m.r_[s, x, [4.0, 5.0]],
    lambda m, x, a, s: m.r_[x, [s, 1.0]], lambda m, x, a, s: m.c_[s, s],
    lambda m, x, a, s: m.r_[np.float32(1.0), x], lambda m, x, a, s: m.r_["0,2", s, x[:1]],
    lambda m, x, a, s: m.r_[x, 3]]


@pytest.mark.parametrize("build", _INDEX_TRICKS)
def test_index_tricks_with_traced_entries_are_numpys(build):
    x, a, s = np.array([1.0, 2.0, 3.0]), np.arange(6.0).reshape(2, 3), 2.5
    out = cr.jvp(lambda x, a, s: build(cnp, x, a, s), (x, a, s), (x, a, 1.0))[0]
    ref = build(np, x, a, s)
    same(out, ref)
    assert out.dtype == ref.dtype


_VEC, _MAT = np.array([1.0, 2.0, 3.0]), np.arange(9.0, 18.0).reshape(3, 3)
_MATRIX_TRICKS = [
    (lambda m, x, a: m.r_["r", x, x], _VEC), (lambda m, x, a: m.r_["c", x, 1.0, x], _VEC),
    (lambda m, x, a: m.c_["r", x, x], _VEC), (lambda m, x, a: m.c_["c", x, a.T], _VEC),
    (lambda m, x, a: m.r_["c", a, a], _VEC), (lambda m, x, a: m.r_["x, a; a, x"], _MAT),
    (lambda m, x, a: m.r_["x a"], _MAT), (lambda m, x, a: m.r_["x; x"], _VEC),
    # numpy.matrix drops length-1 axes of a result with more than two (an error only if more
    # than two axes remain); 'c' transposes only a 1-d result
    (lambda m, x, a: m.r_["r", x[None, None], x[None, None]], _VEC),
    (lambda m, x, a: m.r_["c", x[None, None], x[None, None]], _VEC),
    (lambda m, x, a: m.r_["c", x[:1, None, None]], _VEC),
    (lambda m, x, a: m.r_["r", a[None]], _VEC)]


@pytest.mark.parametrize("build, x", _MATRIX_TRICKS)
def test_matrix_directives_give_the_matrix_values(build, x):
    # NumPy builds a numpy.matrix; with traced entries chainrule gives its values as a 2-d array.
    a = np.arange(9.0).reshape(3, 3)
    ref = build(np, x, a)
    assert isinstance(ref, np.matrix)
    out, t = cr.jvp(lambda x, a: build(cnp, x, a), (x, a), (x, a))
    assert type(out) is np.ndarray
    same(out, np.asarray(ref))
    # affine in (x, a): the tangent along (x, a) is f(2x, 2a) - f(x, a)
    same(t, np.asarray(build(np, 2 * x, 2 * a)) - np.asarray(ref))
    assert isinstance(build(cnp, x, a), np.matrix)   # no traced entry: NumPy's own object


def test_string_form_reads_a_list_of_traced_blocks_as_an_array():
    # r_['y'] with y = [x, 2x]: NumPy's concatenate makes the list an array (2 rows)
    def build(m, x):
        y = [x, 2.0 * x]
        return m.r_["y, y"]
    x = np.array([1.0, 2.0])
    out, t = cr.jvp(lambda x: build(cnp, x), (x,), (x,))
    same(out, np.asarray(build(np, x)))
    same(t, np.asarray(build(np, x)))   # linear in x


def test_index_tricks_refuse_what_numpy_refuses():
    x = np.ones(2)
    for key, error, match in [(("0,x", x), ValueError, "unknown special directive '0,x'"),
                              (("q", x), ValueError, "unknown special directive"),
                              ((x, "1"), ValueError, "special directives must be the first"),
                              (("c", np.ones((2, 2, 2)), x[:, None, None] * np.ones((2, 2, 2))),
                               ValueError, "shape too large to be a matrix")]:
        with pytest.raises(error, match=match):
            np.r_[key]
        with pytest.raises(error, match=match):
            cr.jvp(lambda x: cnp.r_[tuple(x if k is x else k for k in key)], (x,), (x,))




def test_block_dstack_broadcast_arrays_ptp_vander_heaviside_are_numpys_bits():
    # functions programs moved from NumPy used and chainrule did not wrap (AttributeError)
    def same(a, b):
        a, b = np.asarray(a), np.asarray(b)
        assert a.shape == b.shape and a.dtype == b.dtype, (a.shape, b.shape, a.dtype, b.dtype)
        assert np.array_equal(a, b, equal_nan=True)
    r = np.random.RandomState(0)
    A, B, c = r.randn(2, 2), r.randn(2, 3), r.randn(1, 5)
    for blocks in ([[A, B], [c]], [A, np.eye(2, dtype=np.float32)], [[1, 2], [3, 4]], A,
                   [[[A]], [[A]]]):
        same(cnp.block(blocks), np.block(blocks))
    same(cnp.dstack([np.ones(2), np.zeros(2)]), np.dstack([np.ones(2), np.zeros(2)]))
    same(cnp.dstack([A, A]), np.dstack([A, A]))
    args = (np.ones((2, 1)), np.arange(3), 5.0)
    assert len(cnp.broadcast_arrays(*args)) == 3
    for p, q in zip(cnp.broadcast_arrays(*args), np.broadcast_arrays(*args)):
        same(p, q)
    for axis in (None, 0, 1):
        same(cnp.ptp(A, axis=axis, keepdims=True), np.ptp(A, axis=axis, keepdims=True))
    same(cnp.ptp(np.arange(5)), np.ptp(np.arange(5)))
    x = np.array([0.0, 1.5, -2.0, 0.3])
    for n in (None, 0, 1, 2, 6):
        for increasing in (False, True):
            same(cnp.vander(x, n, increasing), np.vander(x, n, increasing))
    same(cnp.vander(np.arange(3)), np.vander(np.arange(3)))
    same(cnp.vander(np.arange(3, dtype=np.float32)), np.vander(np.arange(3, dtype=np.float32)))
    steps = np.array([-1.0, 0.0, 2.0, np.nan, -0.0])
    for h in (0.5, np.arange(5.0)):
        same(cnp.heaviside(steps, h), np.heaviside(steps, h))
    same(cnp.heaviside(steps.astype(np.float32), np.float32(0.5)),
         np.heaviside(steps.astype(np.float32), np.float32(0.5)))
    same(cnp.heaviside(np.array([-1, 0, 3]), 0.5), np.heaviside(np.array([-1, 0, 3]), 0.5))
    # derivatives: d/dx Σ vander(x, 3) = 2x + 1 (also at x = 0, no 0·x⁻¹); heaviside's in x2
    # counts the zeros of x1
    np.testing.assert_allclose(cr.grad(lambda x: cnp.vander(x, 3).sum())(x), 2 * x + 1, rtol=1e-15)
    assert cr.grad(lambda h: cnp.heaviside(steps, h).sum())(0.5) == 2.0
    np.testing.assert_allclose(cr.grad(lambda b: cnp.block([[b, b], [b, 2 * b]]).sum())(A),
                               5 * np.ones((2, 2)))


def test_numpy2_names_tests_and_pass_throughs_a_moved_program_calls():
    # AttributeError before: NumPy 2's array-API names, integer/boolean tests, scalar types and
    # the I/O a script reads its data with
    x = np.array([0.3, -0.5])
    for name, ref in (("acos", np.arccos), ("asin", np.arcsin), ("atan", np.arctan),
                      ("asinh", np.arcsinh), ("atanh", np.arctanh)):
        np.testing.assert_array_equal(getattr(cnp, name)(x), ref(x))
        np.testing.assert_allclose(cr.grad(lambda v: getattr(cnp, name)(v).sum())(x),
                                   cr.grad(lambda v: ref(v).sum())(x), rtol=0)
    assert cnp.acosh(2.0) == np.arccosh(2.0) and cnp.atan2(1.0, 2.0) == np.arctan2(1.0, 2.0)
    np.testing.assert_array_equal(cnp.concat([x, x]), np.concatenate([x, x]))
    assert cnp.permute_dims(np.ones((2, 3, 4)), (2, 0, 1)).shape == (4, 2, 3)
    special = np.array([[-np.inf, 0.0, np.inf], [np.nan, -0.0, 2.0]])
    np.testing.assert_array_equal(cnp.isneginf(special), np.isneginf(special))
    np.testing.assert_array_equal(cnp.isposinf(special), np.isposinf(special))
    e = np.array([[1.0, 2.0, np.nan], [3.0, 1.0, 0.0]])
    for tests in ([2.0, np.nan, 1.0], np.array([[3.0]]), [], 1.0):
        for invert in (False, True):
            got, want = cnp.isin(e, tests, invert=invert), np.isin(e, tests, invert=invert)
            assert got.dtype == want.dtype and np.array_equal(got, want)
    v = np.array([-1.0, 0.0, 0.5, 1.0, 2.0, 2.5, np.nan])
    for bins in ([0.0, 1.0, 2.0], [2.0, 1.0, 0.0], [0.0, 1.0, 1.0, 3.0]):
        for right in (False, True):
            got, want = cnp.digitize(v, bins, right), np.digitize(v, bins, right)
            assert got.dtype == want.dtype and np.array_equal(got, want)
    with pytest.raises(ValueError, match="monotonically"):
        cnp.digitize(v, [0.0, 2.0, 1.0])
    f = lambda x: cnp.sum(x * cnp.isin(x, [1.0]) + x * cnp.digitize(x, [0.0, 1.5]))
    np.testing.assert_array_equal(cr.grad(f)(np.array([1.0, 2.0])), [2.0, 2.0])   # zero derivative
    for name in ("double", "single", "int_", "intc", "longdouble", "loadtxt", "genfromtxt", "load",
                 "save", "savez", "hanning", "tri", "ix_", "array2string"):
        assert getattr(cnp, name) is getattr(np, name)


# ---- numpy.pad's other modes -------------------------------------------------------------------
_PAD_CASES = [("edge", {}), ("reflect", {}), ("symmetric", {}), ("wrap", {}), ("linear_ramp", {}),
              ("linear_ramp", {"end_values": ((1.0, 2.0), (-1.0, 0.5))}), ("maximum", {}),
              ("minimum", {"stat_length": 2}), ("mean", {"stat_length": ((1, 2), (3, 1))}),
              ("median", {}), ("constant", {"constant_values": 2.0})]


@pytest.mark.parametrize("widths", [1, (2, 1), ((1, 2), (5, 0)), ((0, 0), (9, 7))])
@pytest.mark.parametrize("mode,kwargs", _PAD_CASES)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_pad_modes_traced_give_numpys_values(mode, kwargs, widths, dtype):
    # only mode='constant' was differentiable (reflect/edge/wrap raised); a traced pad must
    # give np.pad's values bit for bit, axis by axis as NumPy pads, in x's dtype
    x = np.random.default_rng(1).standard_normal((3, 4)).astype(dtype)
    f = lambda x: cnp.pad(x, widths, mode=mode, **kwargs)  # noqa: E731
    want = np.pad(x, widths, mode=mode, **kwargs)
    value, tangent = cr.jvp(f, (x,), (np.ones_like(x),))
    assert value.dtype == want.dtype
    np.testing.assert_array_equal(value, want)
    assert np.array_equal(cnp.pad(x, widths, mode=mode, **kwargs), want)   # not traced
    if mode not in ("maximum", "minimum", "median"):   # linear in x: exact differences
        np.testing.assert_allclose(tangent, np.pad(x + 1, widths, mode=mode, **kwargs) - want,
                                   rtol=1e-5 if dtype == np.float32 else 1e-12, atol=1e-5)
