"""scipy.linalg's leftovers: fiedler_companion, the QR updates, clarkson_woodruff_transform and the
names passed through (BLAS/LAPACK lookups, submodules)."""
import numpy as np
import pytest
import scipy.linalg as sl

import chainrule as cr
import chainrule.scipy.linalg as csl

RNG = np.random.default_rng(11)


def _traced_value(f, *args):
    """f's value when its first argument is traced (the derivative path)."""
    return cr.jvp(lambda x: f(x, *args[1:]), (args[0],), (np.ones_like(args[0]),))[0]


@pytest.mark.parametrize("a", [np.array([]), np.array([2.0]), np.array([2.0, 3.0]),
                               np.array([1., -16., 86., -176., 105.]),
                               np.arange(1.0, 8.0), np.arange(1.0, 9.0).reshape(2, 4)])
def test_fiedler_companion_is_scipys(a):
    want = sl.fiedler_companion(a)
    got = _traced_value(csl.fiedler_companion, a)
    assert got.shape == want.shape and got.dtype == want.dtype
    np.testing.assert_array_equal(got, want)
    assert csl.fiedler_companion(a) is not a


def test_fiedler_companion_inputs():
    np.testing.assert_array_equal(csl.fiedler_companion([1, 2, 3]), sl.fiedler_companion([1, 2, 3]))
    got = _traced_value(csl.fiedler_companion, np.array([1.0, 2.0, 3.0], np.float32))
    assert got.dtype == np.float32
    with pytest.raises(ValueError, match="Leading coefficient is zero"):
        cr.grad(lambda a: csl.fiedler_companion(a)[0, 0])(np.array([0.0, 1.0, 2.0]))
    # the eigenvalues are the roots: d(root)/d(coefficient) through eigvals, closed form
    roots = lambda c: cr.numpy.sort(cr.numpy.real(csl.eigvals(csl.fiedler_companion(  # noqa
        cr.numpy.concatenate([np.array([1.0, -10.0, 35.0, -50.0]), cr.numpy.reshape(c, (1,))])))))
    # p(x) = (x-1)(x-2)(x-3)(x-4) = x⁴ − 10x³ + 35x² − 50x + 24: dr/dc = −1/p'(r)
    dp = np.array([-6.0, 2.0, -2.0, 6.0])
    np.testing.assert_allclose(cr.jacfwd(roots)(24.0), -1.0 / dp, rtol=1e-8)


def _fd(f, x, dx, eps=1e-6):
    return [(a - b) / (2 * eps) for a, b in zip(f(x + eps * dx), f(x - eps * dx))]


@pytest.mark.parametrize("shape,mode", [((4, 4), "full"), ((5, 3), "economic"),
                                        ((3, 5), "full")])
def test_qr_update_against_central_differences_of_scipy(shape, mode):
    q, r = sl.qr(RNG.standard_normal(shape), mode=mode)
    u, v = RNG.standard_normal(shape[0]), RNG.standard_normal(shape[1])
    du = RNG.standard_normal(shape[0])
    ours = lambda u: csl.qr_update(q, r, u, v)   # noqa: E731
    value, tangent = cr.jvp(ours, (u,), (du,))
    for a, b in zip(value, sl.qr_update(q, r, u, v)):
        np.testing.assert_array_equal(a, b)
    for a, b in zip(tangent, _fd(lambda u: sl.qr_update(q, r, u, v), u, du)):
        np.testing.assert_allclose(a, b, atol=1e-7)


def test_qr_insert_and_delete_values_and_derivatives():
    a = RNG.standard_normal((4, 3))
    q, r = sl.qr(a)
    u = RNG.standard_normal(3)
    du = RNG.standard_normal(3)
    value, tangent = cr.jvp(lambda u: csl.qr_insert(q, r, u, 2), (u,), (du,))
    for x, y in zip(value, sl.qr_insert(q, r, u, 2)):
        np.testing.assert_array_equal(x, y)
    # R (and Q's first three columns) are determined by the matrix: SciPy's differences agree
    fd = _fd(lambda u: sl.qr_insert(q, r, u, 2), u, du)
    np.testing.assert_allclose(tangent[1], fd[1], atol=1e-7)
    np.testing.assert_allclose(tangent[0][:, :3], fd[0][:, :3], atol=1e-7)
    # deleting from factors of a traced matrix: the factors of the matrix without the row
    f = lambda a: csl.qr_delete(*csl.qr(a), 1, 2)   # noqa: E731
    b = RNG.standard_normal((5, 5))
    for x, y in zip(f(b), sl.qr_delete(*sl.qr(b), 1, 2)):
        np.testing.assert_allclose(x, y, atol=1e-14)
    cr.check_grads(lambda a: [x * x for x in f(a)], (b,), order=1, modes=("fwd", "rev"))


def test_qr_updates_plain_are_scipys_and_errors_are_scipys():
    q, r = sl.qr(RNG.standard_normal((3, 3)))
    got, want = csl.qr_delete(q, r, 0, which="col"), sl.qr_delete(q, r, 0, which="col")
    for x, y in zip(got, want):
        np.testing.assert_array_equal(x, y)
    with pytest.raises(ValueError):
        cr.grad(lambda s: csl.qr_insert(q, r, s * np.ones(3), 7)[1][0, 0])(1.0)


def test_clarkson_woodruff_transform_draws_as_scipy():
    a = RNG.standard_normal((6, 3))
    for args, kwargs in [((), {"rng": 3}), ((), {"seed": 4}), ((5,), {})]:
        want = sl.clarkson_woodruff_transform(a, 3, *args, **kwargs)
        got = cr.jvp(lambda a: csl.clarkson_woodruff_transform(a, 3, *args, **kwargs), (a,),
                     (a,))
        np.testing.assert_allclose(got[0], want, rtol=1e-14)
        np.testing.assert_allclose(got[1], want, rtol=1e-14)    # linear in a
    # a Generator is drawn from once, as SciPy draws from it
    g1, g2 = np.random.default_rng(9), np.random.default_rng(9)
    got = cr.jvp(lambda a: csl.clarkson_woodruff_transform(a, 2, g1), (a,), (a,))[0]
    np.testing.assert_allclose(got, sl.clarkson_woodruff_transform(a, 2, g2), rtol=1e-14)
    assert g1.random() == g2.random()
    with pytest.raises(ValueError, match="matrix"):
        cr.grad(lambda v: csl.clarkson_woodruff_transform(v, 2, rng=0)[0])(np.ones(3))


@pytest.mark.parametrize("name", ["get_blas_funcs", "get_lapack_funcs", "find_best_blas_type",
                                  "blas", "lapack", "cython_blas", "cython_lapack", "basic",
                                  "decomp", "decomp_cholesky", "decomp_lu", "decomp_qr",
                                  "decomp_schur", "decomp_svd", "matfuncs", "misc",
                                  "special_matrices"])
def test_passed_through_names_are_scipys(name):
    assert getattr(csl, name) is getattr(sl, name)


def test_nothing_of_scipy_linalg_is_missing():
    assert [n for n in sl.__all__ if not hasattr(csl, n)] == []
