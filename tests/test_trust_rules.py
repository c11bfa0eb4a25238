"""Issue 10, items 6–9: rules exact where the derivative exists, masked branches NaN-safe in
both modes, debug_nans, NumPy float semantics in rules (never ZeroDivisionError), empty
inputs. Each reproducer of the issue is a test here; it failed before the fix."""

import itertools
import warnings

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp
from chainrule.interpreters import forward, nan_checks, reverse

DTYPES = [np.float64, np.float32]


def _modes(f):
    """The Jacobian of f by forward and by reverse mode."""
    return {"fwd": cr.jacfwd(f), "rev": cr.jacrev(f)}


def _second(f):
    """The four ways of composing the modes to get a second derivative."""
    return {f"{a}-{b}": getattr(cr, a)(getattr(cr, b)(f))
            for a, b in itertools.product(("jacfwd", "jacrev"), repeat=2)}


@pytest.fixture
def quiet():
    # The masked branches evaluate sqrt(-1), 1/0, ... : NumPy warns, as it does for NumPy code.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        yield


# ---- item 6: prod and cumprod exact at zeros ------------------------------------------------
def _prod_grad(x):
    return np.array([np.prod(np.delete(x, i)) for i in range(len(x))])


def _prod_hess(x):
    n = len(x)
    return np.array([[0.0 if i == j else np.prod(np.delete(x, [i, j])) for j in range(n)]
                     for i in range(n)])


@pytest.mark.parametrize("dtype", DTYPES)
def test_grad_prod_at_a_zero_is_exact(dtype):
    x = np.array([2.0, 0.0, 1.5], dtype)
    g = cr.grad(cnp.prod)(x)
    assert g.dtype == dtype
    np.testing.assert_array_equal(g, [0.0, 3.0, 0.0])
    for mode, jac in _modes(cnp.prod).items():
        np.testing.assert_array_equal(jac(x), [0.0, 3.0, 0.0], err_msg=mode)


@pytest.mark.parametrize("x", [[2.0, 0.0, 0.0], [0.0, 0.0, 0.0], [2.0, 0.0, 1.5, 0.0, -3.0]])
def test_prod_with_zeros_first_and_second_order_both_modes(x):
    x = np.array(x)
    _, t = cr.jvp(cnp.prod, (x,), (np.ones_like(x),))
    assert t == _prod_grad(x).sum()
    np.testing.assert_array_equal(cr.grad(cnp.prod)(x), _prod_grad(x))
    for name, h in _second(cnp.prod).items():
        np.testing.assert_allclose(h(x), _prod_hess(x), rtol=1e-15, atol=0, err_msg=name)
    np.testing.assert_array_equal(cr.hessian(cnp.prod)(x), _prod_hess(x))


def test_prod_along_axes_with_zeros():
    x = np.array([[2.0, 0.0, 1.5], [1.0, 4.0, 0.5]])
    g = cr.grad(lambda a: cnp.sum(cnp.prod(a, axis=1)))(x)
    np.testing.assert_array_equal(g, [[0.0, 3.0, 0.0], [2.0, 0.5, 4.0]])
    np.testing.assert_allclose(cnp.prod(x, axis=0), np.prod(x, axis=0))
    assert cnp.prod(np.zeros((0, 2)), axis=0).tolist() == [1.0, 1.0]


def _cumprod_jac(x):
    n = len(x)
    return np.array([[np.prod(np.delete(x[:i + 1], j)) if j <= i else 0.0 for j in range(n)]
                     for i in range(n)])


def _cumprod_second(x):
    n = len(x)
    out = np.zeros((n, n, n))
    for i in range(n):
        for j in range(i + 1):
            for k in range(i + 1):
                if j != k:
                    out[i, j, k] = np.prod(np.delete(x[:i + 1], [j, k]))
    return out


@pytest.mark.parametrize("dtype", DTYPES)
def test_cumprod_at_zeros_is_exact_in_both_modes_to_second_order(dtype):
    x = np.array([2.0, 0.0, 1.5, 0.0, -3.0], dtype)
    np.testing.assert_allclose(cnp.cumprod(x), np.cumprod(x))
    for mode, jac in _modes(cnp.cumprod).items():
        j = jac(x)
        assert j.dtype == dtype, mode
        np.testing.assert_array_equal(j, _cumprod_jac(x.astype(np.float64)), err_msg=mode)
    for name, h in _second(cnp.cumprod).items():
        np.testing.assert_array_equal(h(x), _cumprod_second(x.astype(np.float64)), err_msg=name)


def test_cumprod_matches_numpy_on_axes_and_ints():
    x = np.random.default_rng(0).uniform(0.5, 1.5, (3, 5))
    for axis in (None, 0, 1, -1):
        np.testing.assert_allclose(cnp.cumprod(x, axis=axis), np.cumprod(x, axis=axis),
                                   rtol=1e-14)
    np.testing.assert_array_equal(cnp.cumprod(np.arange(1, 6)), np.cumprod(np.arange(1, 6)))
    assert cnp.cumprod(np.zeros((2, 0)), axis=1).shape == (2, 0)
    g = cr.grad(lambda a: cnp.sum(a.cumprod(axis=1)))(np.array([[1.0, 0.0, 2.0]]))
    np.testing.assert_array_equal(g, [[1.0, 3.0, 0.0]])


# ---- item 6: det at a singular matrix -------------------------------------------------------
def _adjugate(a):
    n = a.shape[0]
    cof = np.empty_like(a)
    for i in range(n):
        for j in range(n):
            minor = np.delete(np.delete(a, i, 0), j, 1)
            cof[i, j] = (-1) ** (i + j) * np.linalg.det(minor)
    return cof.T


SINGULAR = [np.array([[1.0, 2.0], [2.0, 4.0]]),
            np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]]),   # rank 2
            np.array([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [1.0, 1.0, 1.0]]),   # rank 2
            np.ones((3, 3)),                                                 # rank 1: adj = 0
            np.zeros((2, 2))]


@pytest.mark.parametrize("a", SINGULAR, ids=range(len(SINGULAR)))
@pytest.mark.parametrize("dtype", DTYPES)
def test_grad_det_of_a_singular_matrix_is_the_adjugate(a, dtype):
    a = a.astype(dtype)
    want = _adjugate(a.astype(np.float64)).T
    tol = dict(rtol=1e-5, atol=1e-5) if dtype == np.float32 else dict(rtol=1e-12, atol=1e-12)
    g = cr.grad(cnp.linalg.det)(a)
    assert g.dtype == dtype
    np.testing.assert_allclose(g, want, **tol)
    np.testing.assert_allclose(cr.jacfwd(cnp.linalg.det)(a), want, **tol)
    t = np.arange(a.size, dtype=dtype).reshape(a.shape)
    _, dt = cr.jvp(cnp.linalg.det, (a,), (t,))
    np.testing.assert_allclose(dt, np.sum(want * t), **tol)


def test_det_stack_with_a_singular_member_and_second_order_where_invertible():
    a = np.stack([SINGULAR[0], np.array([[2.0, 1.0], [0.5, 3.0]])])
    g = cr.grad(lambda m: cnp.sum(cnp.linalg.det(m)))(a)
    np.testing.assert_allclose(g[0], _adjugate(a[0]).T)
    np.testing.assert_allclose(g[1], _adjugate(a[1]).T)
    # det(a) = ad − bc: its Hessian is constant, exact through the adjugate's rules.
    b = np.array([[2.0, 1.0], [0.5, 3.0]])
    want = np.zeros((2, 2, 2, 2))
    want[0, 0, 1, 1] = want[1, 1, 0, 0] = 1.0
    want[0, 1, 1, 0] = want[1, 0, 0, 1] = -1.0
    for name, h in _second(cnp.linalg.det).items():
        np.testing.assert_allclose(h(b), want, atol=1e-13, err_msg=name)


# ---- item 6: softplus at inf, std of all-equal values -----------------------------------------
@pytest.mark.parametrize("dtype", DTYPES)
def test_softplus_derivative_at_infinities(dtype):
    f = lambda x: cnp.logaddexp(dtype(0.0), x)   # noqa: E731
    with warnings.catch_warnings():
        warnings.simplefilter("error")   # no overflow or invalid-value warning either
        for x, want in [(np.inf, 1.0), (-np.inf, 0.0), (800.0, 1.0), (-800.0, 0.0), (0.0, 0.5)]:
            x = dtype(x)
            assert cr.grad(f)(x) == want
            assert cr.jvp(f, (x,), (dtype(1.0),))[1] == want
            assert cr.grad(lambda y: cnp.logaddexp(y, dtype(0.0)))(x) == want
            if abs(x) != 800.0:   # 2**-800 / (1 + 2**-800) is a normal float64
                assert cr.grad(lambda y: cnp.logaddexp2(dtype(0.0), y))(x) == want
        assert cr.grad(cr.grad(f))(dtype(np.inf)) == 0.0


@pytest.mark.parametrize("dtype", DTYPES)
def test_std_of_all_equal_values_has_derivative_zero(dtype):
    for x in (np.array([3.0], dtype), np.full(4, 2.5, dtype)):
        g = cr.grad(cnp.std)(x)
        assert g.dtype == dtype
        np.testing.assert_array_equal(g, np.zeros_like(x))
        np.testing.assert_array_equal(cr.jacfwd(cnp.std)(x), np.zeros_like(x))
    x = np.array([[1.0, 1.0], [1.0, 3.0]], dtype)
    g = cr.grad(lambda a: cnp.sum(cnp.std(a, axis=1)))(x)
    np.testing.assert_allclose(g, [[0.0, 0.0], [-0.5, 0.5]])
    assert cnp.std(np.array([1.0, 3.0])) == 1.0


# ---- item 7: masked branches ---------------------------------------------------------------
MASKED = {
    "sqrt": (lambda x: cnp.where(x > 0, cnp.sqrt(x), 0.0), [0.0, 0.0, 0.25]),
    "log": (lambda x: cnp.where(x > 0, cnp.log(x), 0.0), [0.0, 0.0, 0.25]),
    "reciprocal": (lambda x: cnp.where(x != 0, 1.0 / x, 0.0), [-1.0, 0.0, -1.0 / 16]),
    "power": (lambda x: cnp.where(x > 0, x ** 0.5, 0.0), [0.0, 0.0, 0.25]),
    "arcsin": (lambda x: cnp.where(cnp.abs(x) < 1, cnp.arcsin(x), 0.0), [0.0, 1.0, 0.0]),
    "exp-overflow": (lambda x: cnp.where(x < 100, cnp.exp(x), 0.0), [np.exp(-1.0), 1.0, 0.0]),
}
MASKED_AT = {"arcsin": [-1.0, 0.0, 4.0], "exp-overflow": [-1.0, 0.0, 1000.0]}


@pytest.mark.parametrize("name", sorted(MASKED))
@pytest.mark.parametrize("dtype", DTYPES)
def test_masked_branch_same_jacobian_in_both_modes(name, dtype, quiet):
    f, diag = MASKED[name]
    x = np.array(MASKED_AT.get(name, [-1.0, 0.0, 4.0]), dtype)
    want = np.diag(np.array(diag, dtype))
    for mode, jac in _modes(f).items():
        j = jac(x)
        assert j.dtype == dtype, mode
        np.testing.assert_allclose(j, want, rtol=1e-6, err_msg=f"{name} {mode}")
    np.testing.assert_allclose(cr.jacobian(f)(x), want, rtol=1e-6)


def test_grad_of_the_masked_function_at_zero_is_zero(quiet):
    f = lambda x: cnp.where(x > 0, cnp.sqrt(x), 0.0)   # noqa: E731
    assert cr.grad(f)(0.0) == 0.0
    assert cr.grad(f)(np.float32(0.0)) == 0.0
    assert cr.jvp(f, (0.0,), (1.0,))[1] == 0.0
    # second order, every composition of the modes: diag(0, 0, −1/32)
    x = np.array([-1.0, 0.0, 4.0])
    for name, h in _second(lambda x: cnp.sum(f(x))).items():
        np.testing.assert_allclose(h(x), np.diag([0.0, 0.0, -1.0 / 32]), err_msg=name)


def test_zero_tangent_and_zero_cotangent_contribute_zero(quiet):
    # jacfwd and jacrev of sqrt at [0, 1]: the zero entries of the basis vectors stay zero.
    x = np.array([0.0, 1.0])
    want = np.array([[np.inf, 0.0], [0.0, 0.5]])
    for mode, jac in _modes(cnp.sqrt).items():
        np.testing.assert_array_equal(jac(x), want, err_msg=mode)
    # divide: 0/0 in the rule of a zero cotangent is 0
    f = lambda x, y: cnp.where(y != 0, x / y, 0.0)   # noqa: E731
    gx, gy = cr.grad(f, argnums=(0, 1))(0.0, 0.0)
    assert (gx, gy) == (0.0, 0.0)
    # a genuine infinite derivative with a nonzero seed stays inf
    assert cr.grad(cnp.sqrt)(0.0) == np.inf
    assert np.isnan(cr.grad(cnp.sqrt)(-1.0))


def test_masked_branch_batched_under_vmap(quiet):
    f = lambda x: cnp.where(x > 0, cnp.sqrt(x), 0.0)   # noqa: E731
    xs = np.array([[-1.0, 0.0, 4.0], [0.0, 1.0, 0.0]])
    g = cr.vmap(cr.grad(lambda x: cnp.sum(f(x))))(xs)
    np.testing.assert_array_equal(g, [[0.0, 0.0, 0.25], [0.0, 0.5, 0.0]])


# ---- item 7: debug_nans ---------------------------------------------------------------------
def _line_of(marker):
    import inspect
    src, start = inspect.getsourcelines(inspect.currentframe().f_back.f_code)
    return next(start + i for i, s in enumerate(src) if marker in s)


def test_debug_nans_names_the_primitive_and_the_user_line(quiet):
    def f(x):
        y = x - 1.0
        return cnp.sum(cnp.log(y))   # the NaN is made here

    line = _line_of("the NaN is made here")
    assert np.isnan(cr.value_and_grad(f)(np.array([0.5, 2.0]))[0])   # off: NaN propagates
    with cr.debug_nans():
        with pytest.raises(FloatingPointError, match=r"value of 'log'") as err:
            cr.grad(f)(np.array([0.5, 2.0]))
        assert f"test_trust_rules.py:{line}" in str(err.value)
        with pytest.raises(FloatingPointError, match=r"value of 'log'"):
            cr.jvp(f, (np.array([0.5, 2.0]),), (np.ones(2),))
    # off again
    assert np.isnan(cr.value_and_grad(f)(np.array([0.5, 2.0]))[0])


def test_debug_nans_tangent_and_cotangent(quiet):
    def g(x):
        return cnp.sqrt(x * 0.0)   # cotangent: inf · 0

    line = _line_of("cotangent: inf")
    assert np.isnan(cr.grad(g)(1.0))
    with cr.debug_nans():
        with pytest.raises(FloatingPointError, match=r"cotangent of 'multiply'") as err:
            cr.grad(g)(1.0)
        assert f"test_trust_rules.py:{line}" in str(err.value)
        with pytest.raises(FloatingPointError, match=r"tangent of 'subtract'"):
            cr.jvp(lambda x: cnp.sqrt(x) - cnp.sqrt(x), (0.0,), (1.0,))
        # the masked branch is NaN-safe: nothing to report in the derivatives ...
        f = lambda x: cnp.where(x > 0, cnp.sqrt(x * x), 0.0)   # noqa: E731
        assert cr.grad(f)(0.0) == 0.0
        # ... and a NaN that came in with the input is passed on, not reported
        assert np.isnan(cr.grad(cnp.sin)(np.nan))


def test_debug_nans_is_free_when_off_and_a_config_flag():
    assert forward.JVPTrace.process is nan_checks._jvp_process
    assert reverse.ReverseTrace.process is nan_checks._reverse_process
    assert reverse.nan_check[0] is None
    assert cr.config.debug_nans is False
    cr.config.debug_nans = True
    try:
        assert reverse.nan_check[0] is not None
        with cr.debug_nans():   # nests
            pass
        with pytest.raises(FloatingPointError):
            cr.grad(lambda x: cnp.log(x))(-1.0)
    finally:
        cr.config.debug_nans = False
    assert reverse.nan_check[0] is None
    assert forward.JVPTrace.process is nan_checks._jvp_process
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        assert np.isnan(cr.value_and_grad(cnp.log)(-1.0)[0])


# ---- item 8: NumPy float semantics in rules ------------------------------------------------
def test_division_by_python_float_zero_follows_numpy():
    with pytest.warns(RuntimeWarning):
        assert cr.grad(lambda x: x / 0.0)(1.0) == np.inf
    with pytest.warns(RuntimeWarning):
        assert cr.jacfwd(lambda x: x / 0.0)(1.0) == np.inf
    with pytest.warns(RuntimeWarning):
        out, t = cr.jvp(lambda x, y: x / y, (1.0, 0.0), (1.0, 0.0))
    assert out == np.inf and t == np.inf
    with pytest.warns(RuntimeWarning):
        out, t = cr.jvp(lambda x, y: x / y, (1.0, 0.0), (1.0, 1.0))
    assert np.isnan(t)   # inf − inf, as NumPy gives
    with pytest.warns(RuntimeWarning):
        assert cr.grad(lambda y: 1.0 / y)(0.0) == -np.inf
    with pytest.warns(RuntimeWarning):
        assert cr.grad(lambda x: 1.0 / x)(np.float32(0.0)) == -np.inf


def test_arctan2_hypot_sqrt_at_zero_give_numpy_values():
    with pytest.warns(RuntimeWarning):
        assert np.isnan(cr.grad(lambda x: cnp.arctan2(x, 0.0))(0.0))
    with pytest.warns(RuntimeWarning):
        assert np.isnan(cr.grad(lambda x: cnp.arctan2(0.0, x))(0.0))
    with pytest.warns(RuntimeWarning):
        assert np.isnan(cr.grad(lambda x: cnp.hypot(x, 0.0))(0.0))
    with pytest.warns(RuntimeWarning):
        assert cr.grad(cnp.sqrt)(0.0) == np.inf
    with pytest.warns(RuntimeWarning):
        assert np.isnan(cr.jvp(lambda x: cnp.arctan2(x, 0.0), (0.0,), (1.0,))[1])


# ---- item 9: empty inputs -----------------------------------------------------------------
@pytest.mark.parametrize("dtype", DTYPES)
def test_grad_mean_of_empty_is_empty(dtype):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        g = cr.grad(cnp.mean)(np.zeros(0, dtype))
        assert g.shape == (0,) and g.dtype == dtype
        g = cr.grad(lambda x: cnp.sum(cnp.mean(x, axis=0)))(np.zeros((0, 3), dtype))
        assert g.shape == (0, 3) and g.dtype == dtype
        g = cr.grad(lambda x: cnp.sum(cnp.var(x, axis=1)))(np.zeros((2, 0), dtype))
        assert g.shape == (2, 0)
        assert np.isnan(cnp.mean(np.zeros(0)))


def test_lists_and_tuples_combine_with_arrays_in_arithmetic():
    # NumPy accepts sequences in its arithmetic; so must the fast operator paths.
    assert np.array_equal(cnp.multiply([1.0, 2.0], 3), [3.0, 6.0])
    assert np.array_equal(cnp.add((1.0, 2.0), 1.0), [2.0, 3.0])
    assert np.array_equal(cnp.true_divide([1.0, 2.0], 2.0), [0.5, 1.0])
    assert np.array_equal(cr.grad(lambda x: cnp.sum(x * [1.0, 2.0]))(np.ones(2)), [1.0, 2.0])
    assert np.array_equal(cr.grad(lambda x: cnp.sum([1.0, 2.0] - x))(np.ones(2)), [-1.0, -1.0])
