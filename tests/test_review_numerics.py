"""Regression tests of the numerical review: values and derivatives at the extremes
(huge, tiny and subnormal magnitudes, float32 near its limits, float16), checked against
NumPy/SciPy values and closed-form derivatives."""

import warnings

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp

csp = pytest.importorskip("chainrule.scipy.special")


def _quiet(f, *args):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # the values' own overflow warnings
        return f(*args)


def _close(got, want, rtol=1e-12):
    np.testing.assert_allclose(np.asarray(got, dtype=np.float64), want, rtol=rtol, atol=0)


# ---- hypot and arctan2: partials of scaled operands ---------------------------------------
@pytest.mark.parametrize("x, y, rtol", [
    (1e300, 1e300, 1e-15),          # x² + y² overflows; hypot is fine
    (1e-320, 1e-320, 1e-15),        # hypot is a subnormal with 4 digits left
    (np.float32(3e38), np.float32(3e38), 1e-6),   # hypot itself overflows in float32
    (3.0, 4.0, 1e-15),
])
def test_hypot_partials_are_the_unit_vector(x, y, rtol):
    xs, ys = float(x) / max(abs(float(x)), abs(float(y))), float(y) / max(abs(float(x)), abs(float(y)))
    want = np.array([xs, ys]) / np.hypot(xs, ys)  # the unit vector, from operands near 1
    one, zero = np.ones((), np.asarray(x).dtype)[()], np.zeros((), np.asarray(x).dtype)[()]
    for gx, gy in [_quiet(cr.grad(cnp.hypot, (0, 1)), x, y),
                   _quiet(cr.jit(cr.grad(cnp.hypot, (0, 1))), x, y),
                   (_quiet(lambda: cr.jvp(cnp.hypot, (x, y), (one, zero)))[1], None)]:
        assert np.asarray(gx).dtype == np.asarray(x).dtype
        _close(gx, want[0], rtol)
        if gy is not None:
            _close(gy, want[1], rtol)


def test_hypot_partials_batched_and_second_order():
    x = np.array([1e300, 3.0, 1e-320])
    y = np.array([1e300, 4.0, 1e-320])
    _close(cr.vmap(cr.grad(cnp.hypot))(x, y), [0.5 ** 0.5, 0.6, 0.5 ** 0.5], 1e-15)
    # ∂²/∂x² hypot = y² / h³: 1/(2^1.5 · 1e300) at (1e300, 1e300)
    _close(cr.hessian(cnp.hypot)(1e300, 1e300), 1.0 / (2.0 ** 1.5 * 1e300), 1e-14)


@pytest.mark.parametrize("y, x", [(1e200, 1e200), (1e-200, 1e-200), (2.0, -3.0)])
def test_arctan2_partials_without_overflow(y, x):
    gy, gx = _quiet(cr.grad(cnp.arctan2, (0, 1)), y, x)
    s = 1.0 / max(abs(x), abs(y))
    den = ((x * s) ** 2 + (y * s) ** 2) / s  # (x² + y²)·s, no overflow
    _close(gy, x * s / den, 1e-14)
    _close(gx, -y * s / den, 1e-14)


def test_arctan2_partials_float32_near_its_max():
    gy, gx = _quiet(cr.grad(cnp.arctan2, (0, 1)), np.float32(1e20), np.float32(1e20))
    assert gy.dtype == np.float32
    _close(gy, 5e-21, 1e-6)
    _close(gx, -5e-21, 1e-6)
    gy, _ = _quiet(cr.grad(cnp.arctan2, (0, 1)), np.float32(3e38), np.float32(3e38))
    assert gy > 0  # 1/(6e38), a float32 subnormal; it was 0


# ---- inverse trigonometric and hyperbolic functions -------------------------------------------
@pytest.mark.parametrize("f, x, want", [
    (cnp.arcsinh, 1e200, 1e-200),                     # x² overflowed: derivative was 0
    (cnp.arcsinh, -1e200, 1e-200),
    (cnp.arccosh, 1e200, 1e-200),
    (cnp.arcsinh, np.float32(1e30), 1e-30),
    (cnp.arccosh, 1.0 + 2.0 ** -40, 1.0 / np.sqrt(2.0 ** -40 * (2.0 + 2.0 ** -40))),
    (cnp.arcsin, 1.0 - 2.0 ** -40, 1.0 / np.sqrt(2.0 ** -40 * (2.0 - 2.0 ** -40))),
    (cnp.arccos, 1.0 - 2.0 ** -40, -1.0 / np.sqrt(2.0 ** -40 * (2.0 - 2.0 ** -40))),
    (cnp.arctanh, 1.0 - 2.0 ** -40, 1.0 / (2.0 ** -40 * (2.0 - 2.0 ** -40))),
])
def test_inverse_functions_derivative_at_the_extremes(f, x, want):
    rtol = 1e-6 if np.asarray(x).dtype == np.float32 else 1e-15
    got = cr.grad(f)(x)
    assert got.dtype == np.asarray(x).dtype
    _close(got, want, rtol)
    _close(cr.jvp(f, (x,), (np.ones((), np.asarray(x).dtype)[()],))[1], want, rtol)


def test_arcsinh_complex_derivative_kept():
    z = 0.3 + 0.2j
    np.testing.assert_allclose(cr.grad(cnp.arcsinh, holomorphic=True)(z),
                               1.0 / np.sqrt(z * z + 1.0), rtol=1e-15)


# ---- expit and logit ------------------------------------------------------------------------
@pytest.mark.parametrize("x", [-40.0, -700.0, np.float32(-20.0), 3.0, -3.0, 40.0, 100.0,
                               np.float32(20.0)])
def test_expit_derivative_in_the_tails(x):
    # ans·(1 − ans), as JAX and PyTorch: exact to rounding on the left tail and near 0; on
    # the right tail 1 − ans rounds (docs/nans.md): the error stays below ulp(1)·ans, never
    # a nan, a negative value or a value above the true one by more than that
    e = np.exp(-abs(float(x)))
    want = e / (1.0 + e) ** 2
    dt = np.asarray(x).dtype
    eps = np.finfo(dt).eps
    for got in (cr.grad(csp.expit)(x), cr.jit(cr.grad(csp.expit))(x)):
        assert np.asarray(got).dtype == dt and got >= 0
        if float(x) <= 3.0:
            _close(got, want, 1e-6 if dt == np.float32 else 1e-14)
        else:
            assert abs(float(got) - want) <= eps
    second = cr.grad(cr.grad(csp.expit))(x)
    if float(x) <= 3.0:
        want2 = -np.sign(float(x)) * want * (1.0 - e) / (1.0 + e)
        _close(second, want2, 1e-5 if dt == np.float32 else 1e-13)


def test_logit_second_derivative_near_zero_is_minus_inf_not_nan():
    assert _quiet(cr.grad(cr.grad(csp.logit)), 1e-300) == -np.inf
    _close(cr.grad(csp.logit)(1e-300), 1e300, 1e-15)
    _close(cr.grad(cr.grad(csp.logit))(1e-10), -1e20 + 1.0 / (1 - 1e-10) ** 2, 1e-15)
    _close(cr.hessian(csp.logit)(0.25), -16.0 + 1.0 / 0.5625, 1e-15)


# ---- float16 means: NumPy sums in float32 ---------------------------------------------------
def test_float16_mean_sums_in_float32_as_numpy():
    h = np.full(4, 60000, np.float16)
    got = cnp.mean(h)
    assert got == np.mean(h) == np.float16(60000) and type(got) is type(np.mean(h))
    assert cr.jit(cnp.mean)(h) == np.mean(h)
    np.testing.assert_array_equal(cr.grad(cnp.mean)(h), np.full(4, 0.25, np.float16))
    assert cr.grad(cnp.mean)(h).dtype == np.float16
    a = (np.random.default_rng(0).standard_normal((5, 7)) * 3000).astype(np.float16)
    for axis in (None, 0, 1):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            for ours, theirs in [(cnp.mean, np.mean), (cnp.var, np.var), (cnp.std, np.std)]:
                r, n = ours(a, axis=axis), theirs(a, axis=axis)
                np.testing.assert_array_equal(r, n)
                assert np.asarray(r).dtype == np.asarray(n).dtype


# ---- the Euclidean norm: NumPy's value, derivatives without Σ x²'s over- and underflow -------
def test_norm_of_integers_is_computed_in_float64_as_numpy():
    a = np.array([100000, 100000], np.int32)        # x·x overflowed int32: 53104.9
    assert cnp.linalg.norm(a) == np.linalg.norm(a)
    assert cnp.linalg.norm(np.array([True, True])) == np.linalg.norm(np.array([True, True]))
    assert cnp.linalg.norm(a, 1) == np.linalg.norm(a, 1)


@pytest.mark.parametrize("v", [np.array([3e200, 4e200]), np.array([3e-200, 4e-200]),
                               np.array([3e-320, 4e-320]), np.array([3.0, 4.0]),
                               np.array([3e37, 4e37], np.float32)])
def test_norm_derivatives_at_any_scale(v):
    rtol = 1e-6 if v.dtype == np.float32 else 1e-15
    # 3e-320 and 4e-320 are subnormals that are not exactly 3:4
    exact = np.ldexp(v.astype(np.float64), 1070 if abs(v[0]) < 1e-300 else 0)  # (exact)
    want = exact / np.hypot(*exact)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        assert cnp.linalg.norm(v) == np.linalg.norm(v)       # NumPy's value (inf, 0, 5)
        for g in [cr.grad(cnp.linalg.norm)(v), cr.jit(cr.grad(cnp.linalg.norm))(v),
                  cr.vmap(cr.grad(cnp.linalg.norm))(v[None])[0]]:
            assert g.dtype == v.dtype
            _close(g, want, rtol)
        _close(cr.jvp(cnp.linalg.norm, (v,), (np.ones_like(v),))[1], want.sum(), rtol)
    if abs(v[0]) > 1e-300 and v.dtype == np.float64:
        # ∇² ‖x‖ = (I − u uᵀ)/‖x‖, u = x/‖x‖; ‖x‖ = 5·scale
        n = 5.0 * abs(v[0]) / 3.0
        u = np.array([0.6, 0.8])
        _close(cr.hessian(cnp.linalg.norm)(v), (np.eye(2) - np.outer(u, u)) / n, 1e-14)


def test_norm_along_axes_keeps_the_per_row_scale():
    M = np.array([[3e200, 4e200], [3.0, 4.0], [3e-200, 4e-200]])
    J = cr.jacobian(lambda M: cnp.linalg.norm(M, axis=1))(M)
    for i in range(3):
        _close(J[i, i], [0.6, 0.8], 1e-15)
    _close(cr.grad(lambda M: cnp.linalg.norm(M, "fro"))(M[1:2]), [[0.6, 0.8]], 1e-15)


def test_std_derivative_where_the_sum_of_squares_overflows():
    x = np.array([1e200, -1e200, 0.0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        assert cnp.std(x) == np.std(x) == np.inf   # NumPy's value
        # d std / dx = (x − mean) / (n·std), std = 1e200·√(2/3): it was 0
        want = np.array([1.0, -1.0, 0.0]) / (3.0 * np.sqrt(2.0 / 3.0))
        for g in [cr.grad(cnp.std)(x), cr.jit(cr.grad(cnp.std))(x),
                  cr.vmap(cr.grad(cnp.std))(x[None])[0]]:
            _close(g, want, 1e-15)
    # data of ordinary size: NumPy's values bit for bit, 0 at constant data, ddof
    a = np.random.default_rng(1).standard_normal((4, 5)).astype(np.float32)
    for axis in (None, 0, 1):
        for ddof in (0, 1):
            np.testing.assert_array_equal(cnp.std(a, axis=axis, ddof=ddof),
                                          np.std(a, axis=axis, ddof=ddof))
    np.testing.assert_array_equal(cr.grad(cnp.std)(np.ones(3)), np.zeros(3))
    y = np.array([1.0, 2.0, 4.0])
    d = y - y.mean()
    _close(cr.grad(lambda v: cnp.std(v, ddof=1))(y), d / (2.0 * np.std(y, ddof=1)), 1e-15)


@pytest.mark.parametrize("f", [cnp.arcsinh, lambda v: cnp.hypot(v, 1.0),
                               lambda v: cnp.arctan2(v, 2.0), lambda v: cnp.arctan2(1.0, v)],
                         ids=["arcsinh", "hypot-const", "arctan2-x-const", "arctan2-y-const"])
def test_scaled_rules_keep_float32_to_second_order(f):
    x = np.float32(3.0)
    assert cr.hessian(f)(x).dtype == np.float32
    assert cr.vmap(cr.hessian(f))(np.ones(2, np.float32)).dtype == np.float32


@pytest.mark.parametrize("x", [-40.0, -700.0, -10.0, 1e-10, np.float32(-20.0)])
def test_expm1_derivative_in_the_negative_tail(x):
    # expm1' = eˣ; ans + 1 rounded to 0 from x ≈ −37 on (float32: −17)
    rtol = 1e-6 if np.asarray(x).dtype == np.float32 else 1e-15
    for d in [cr.grad(cnp.expm1)(x), cr.jit(cr.grad(cnp.expm1))(x),
              cr.grad(cr.grad(cnp.expm1))(x)]:
        assert d.dtype == np.asarray(x).dtype
        _close(d, np.exp(float(x)), rtol)


@pytest.mark.parametrize("dt", [np.float64, np.float32])
def test_norm_and_std_gradients_on_numpy_values_are_the_traced_rules_bits(dt):
    # the VJP of the 2-norm writes g into the fresh unit vector on NumPy values (speed: two
    # live arrays of x's size made glibc trim and refault its heap); jit runs the traced
    # rule: the same bits, at extremes, a constant slice (std's 0) and any cotangent
    rng = np.random.default_rng(5)
    m = rng.standard_normal((4, 6)).astype(dt)
    m[1] = 3.0                    # a constant row: std's gradient is +0 there
    m[2] *= dt(1e30) if dt is np.float32 else 1e200   # Σ x² overflows in this row
    cases = [lambda a: cnp.linalg.norm(a), lambda a: cnp.sum(cnp.linalg.norm(a, axis=1)),
             lambda a: cnp.sum(cnp.linalg.norm(a, axis=0, keepdims=True) * 2.0),
             lambda a: cnp.sum(cnp.std(a, axis=1)), lambda a: cnp.sum(cnp.std(a, axis=1, ddof=1))]
    for f in cases:
        with np.errstate(all="ignore"):
            eager = cr.grad(f)(m)
            staged = cr.jit(cr.grad(f))(m)
        assert eager.dtype == dt
        np.testing.assert_array_equal(eager, staged)
        assert np.array_equal(np.signbit(eager), np.signbit(staged))
    for g in (0.0, -2.0, np.inf, np.nan):  # the NaN-safe product where g is not plain
        _, pull = cr.vjp(lambda a: cnp.linalg.norm(a, axis=1), m)
        _, pull_j = cr.vjp(cr.jit(lambda a: cnp.linalg.norm(a, axis=1)), m)
        with np.errstate(all="ignore"):
            a, b = pull(np.full(4, g, dt))[0], pull_j(np.full(4, g, dt))[0]
        np.testing.assert_array_equal(a, b)
