"""chainrule.numpy.emath, .lib (stride_tricks) and NumPy's pass-through modules: NumPy's
results, derivatives along the real line, and NumPy's own functions dispatching to them on
traced values (np.emath.sqrt of a tracer once ran numpy.sqrt's rule: nan, not 2j)."""

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp

X = np.array([-2.0, -0.5, 0.25, 3.0])


@pytest.mark.parametrize("name", ["sqrt", "log", "log2", "log10", "arccos", "arcsin", "arctanh"])
def test_emath_is_numpys_and_differentiates_along_the_real_line(name):
    ours, theirs = getattr(cnp.emath, name), getattr(np.emath, name)
    for x in (X, np.abs(X) / 4.0, X.astype(np.float32), X + 0.5j):
        want = theirs(x)
        got = ours(x)
        assert got.dtype == want.dtype
        np.testing.assert_array_equal(got, want)
        value, tangent = cr.jvp(ours, (x,), (np.ones_like(x),))
        np.testing.assert_array_equal(value, want)
        if x.dtype == np.float64:
            h = 1e-6
            np.testing.assert_allclose(tangent, (theirs(x + h) - theirs(x - h)) / (2 * h),
                                       rtol=1e-6)
    # NumPy's own function, given a traced value, is chainrule's emath (not numpy.sqrt)
    assert cr.jvp(lambda x: getattr(np.emath, name)(x), (X,), (X,))[0].dtype.kind == "c"


def test_emath_logn_and_power():
    np.testing.assert_array_equal(cnp.emath.logn(2.0, X), np.emath.logn(2.0, X))
    np.testing.assert_array_equal(cnp.emath.power(X, 0.5), np.emath.power(X, 0.5))
    np.testing.assert_array_equal(cnp.emath.power(2.0, -2), np.emath.power(2.0, -2))  # 0.25
    cr.check_grads(lambda b, x: cnp.emath.logn(b, x), (3.0, X), order=2, modes=("fwd", "rev"))
    g = cr.grad(lambda x: cnp.real(cnp.emath.sqrt(x)).sum() + cnp.imag(cnp.emath.sqrt(x)).sum())
    np.testing.assert_allclose(g(X), np.where(X < 0, -0.5, 0.5) / np.sqrt(np.abs(X)))


def test_sliding_window_view_is_numpys_a_copy_and_differentiable():
    x = np.arange(12.0).reshape(3, 4)
    for args in [((2, 2),), ((3,), 0), ((2,), 1), ((2,), -1)]:
        want = np.lib.stride_tricks.sliding_window_view(x, *args)
        got = cr.jvp(lambda x: cnp.lib.stride_tricks.sliding_window_view(x, *args), (x,), (x,))[0]
        np.testing.assert_array_equal(got, want)
        assert not np.shares_memory(got, x)
    # a moving average's gradient counts the windows each entry is in
    g = cr.grad(lambda x: np.lib.stride_tricks.sliding_window_view(x, 3).mean(axis=-1).sum())
    np.testing.assert_allclose(g(np.zeros(6)), np.array([1, 2, 3, 3, 2, 1]) / 3)
    # plain input: NumPy's own (read-only view)
    assert cnp.lib.stride_tricks.sliding_window_view(x, (2, 2)).base is not None


def test_as_strided_gathers_what_the_strides_select():
    x = np.arange(6.0)
    want = np.lib.stride_tricks.as_strided(x, (4, 3), (8, 8))
    got = cr.jvp(lambda x: cnp.lib.stride_tricks.as_strided(x, (4, 3), (8, 8)), (x,), (x,))[0]
    np.testing.assert_array_equal(got, want)
    g = cr.grad(lambda x: cnp.sum(cnp.lib.stride_tricks.as_strided(x, (4, 3), (8, 8))))(x)
    np.testing.assert_array_equal(g, [1, 2, 3, 3, 2, 1])
    with pytest.raises(ValueError, match="not C-contiguous"):
        cr.grad(lambda y: cnp.sum(cnp.lib.stride_tricks.as_strided(y.T, (2,), (8,))))(
            np.ones((2, 3)))
    with pytest.raises(ValueError, match="item size"):
        cr.grad(lambda x: cnp.sum(cnp.lib.stride_tricks.as_strided(x, (2,), (4,))))(x)


def test_numpys_modules_and_constants_pass_through():
    assert cnp.testing is np.testing and cnp.ma is np.ma and cnp.exceptions is np.exceptions
    assert cnp.lib.NumpyVersion is np.lib.NumpyVersion and cnp.lib.scimath is cnp.emath
    assert cnp.True_ is np.True_ and cnp.typecodes is np.typecodes
    cnp.testing.assert_allclose(cr.grad(cnp.sin)(0.0), 1.0)   # a ported script's checks
    with pytest.raises(AttributeError, match="not wrapped"):
        cnp.lib.stride_tricks.no_such_function


def test_eigh_second_derivative_through_degenerate_excited_states():
    """d²E₀/dh² of a 5-site Ising ring, whose excited levels are degenerate (equal to rounding):
    1/(w_j - w_i) of a tied pair once made it nan (or garbage), though E₀ depends on no
    choice of basis within a degenerate subspace."""
    sx, sz, one = np.array([[0.0, 1], [1, 0]]), np.diag([1.0, -1]), np.eye(2)

    def op(m, i, n=5):
        out = np.ones((1, 1))
        for k in range(n):
            out = np.kron(out, m if k == i else one)
        return out
    X = sum(op(sx, i) for i in range(5))
    ZZ = sum(op(sz, i) @ op(sz, (i + 1) % 5) for i in range(5))

    def e0(h):
        return cnp.linalg.eigh(-h * X - ZZ)[0][0]
    d2 = cr.grad(cr.grad(e0))(0.8)
    assert np.isfinite(d2)
    h = 1e-5
    np.testing.assert_allclose(d2, (cr.grad(e0)(0.8 + h) - cr.grad(e0)(0.8 - h)) / (2 * h),
                               rtol=1e-5)
