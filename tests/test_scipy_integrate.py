"""chainrule.scipy.integrate beyond the generated rule tests (tests/test_rules.py, whose values
are compared with SciPy's in tests/test_values.py): closed forms, SciPy's own central
differences, the result object, edge cases and refusals."""

import numpy as np
import pytest
import scipy.integrate as si

import chainrule as cr
import chainrule.numpy as cnp
import chainrule.scipy.integrate as cint

TIGHT = dict(rtol=1e-10, atol=1e-12)


# ---- quadrature on samples ---------------------------------------------------------------------
@pytest.mark.parametrize("name", ["trapezoid", "simpson", "cumulative_trapezoid",
                                  "cumulative_simpson"])
@pytest.mark.parametrize("n", [1, 2, 3, 4, 7])
def test_sample_rules_match_scipy_shapes_axes_and_dtypes(name, n):
    rng = np.random.default_rng(n)
    for shp, axis in (((n,), -1), ((2, n), 1), ((n, 3), 0)):
        for dt in (np.float64, np.float32):
            y = rng.standard_normal(shp).astype(dt)
            x = np.cumsum(rng.uniform(0.1, 1.0, n)).astype(dt)
            for kw in ({}, {"x": x}, {"dx": 0.3}):
                try:
                    want = getattr(si, name)(y, axis=axis, **kw)
                except ValueError:
                    with pytest.raises(ValueError):
                        getattr(cint, name)(y, axis=axis, **kw)
                    continue
                got = getattr(cint, name)(y, axis=axis, **kw)
                assert np.shape(got) == np.shape(want) and np.result_type(got) == np.result_type(want)
                np.testing.assert_allclose(got, want, rtol=1e-5 if dt == np.float32 else 1e-13)


def test_romb_refuses_a_wrong_count_and_keeps_nan_and_inf():
    with pytest.raises(ValueError, match="power of 2"):
        cint.romb(np.ones(4))
    y = np.array([0.0, np.inf, 1.0, 2.0, np.nan])
    np.testing.assert_array_equal(cint.romb(y), si.romb(y))
    assert np.isinf(cint.simpson(np.array([1.0, np.inf, 2.0])))
    assert np.isnan(cint.trapezoid(np.array([np.nan, 1.0])))


def test_simpson_weights_in_x_and_y_are_exact():
    # The rule integrates a parabola exactly, so d/dy of ∫ is the weight vector and
    # d/dx_k at fixed samples of x² is a closed form: ∂/∂b of ∫_a^b x² = b², ∂/∂a = -a².
    x = np.array([0.0, 0.3, 0.7, 1.2, 2.0])
    f = lambda x: cint.simpson(x ** 2, x=x)
    g = cr.grad(f)(x)
    np.testing.assert_allclose(g[[0, -1]], [0.0, 4.0], atol=1e-12)
    np.testing.assert_allclose(g[1:-1], 0.0, atol=1e-12)   # interior points: none
    cr.check_grads(lambda y, x: cint.cumulative_simpson(y, x=x, initial=1.0),
                   (np.sin(x), x), order=2, modes=("fwd", "rev"))


def test_cumulative_simpson_refuses_decreasing_x():
    with pytest.raises(ValueError, match="increasing"):
        cint.cumulative_simpson(np.ones(4), x=np.array([0.0, 1.0, 0.5, 2.0]))


# ---- solve_ivp -------------------------------------------------------------------------------
def test_solve_ivp_exponential_decay_closed_form():
    def end(y0, k, t1):
        return cint.solve_ivp(lambda t, y, k: -k * y, (0.0, 2.0), cnp.reshape(y0, (1,)),
                              t_eval=cnp.stack([t1]), args=(k,), **TIGHT).y[0, 0]
    y0, k, t1 = 1.5, 0.8, 1.3
    exact = [np.exp(-k * t1), -t1 * y0 * np.exp(-k * t1), -k * y0 * np.exp(-k * t1)]
    for mode in (cr.grad(end, argnums=(0, 1, 2))(y0, k, t1),
                 [cr.jvp(end, (y0, k, t1), tuple(np.eye(3)[i]))[1] for i in range(3)]):
        np.testing.assert_allclose(mode, exact, rtol=1e-8)


def test_solve_ivp_harmonic_oscillator_closed_form():
    # y'' = -w² y: y(t) = y0 cos(wt) + v0/w sin(wt)
    def final(p):
        sol = cint.solve_ivp(lambda t, y, w: cnp.stack([y[1], -w ** 2 * y[0]]), (0.0, 1.0),
                             p[:2], method="DOP853", t_eval=[1.0], args=(p[2],), **TIGHT)
        return sol.y[:, 0]

    def exact(p):
        y0, v0, w = p
        return np.array([y0 * np.cos(w) + v0 / w * np.sin(w), -y0 * w * np.sin(w) + v0 * np.cos(w)])
    p = np.array([0.7, -0.2, 1.9])
    eps = 1e-6
    jac = np.stack([(exact(p + eps * e) - exact(p - eps * e)) / (2 * eps) for e in np.eye(3)], 1)
    np.testing.assert_allclose(final(p), exact(p), rtol=1e-9)
    np.testing.assert_allclose(cr.jacrev(final)(p), jac, atol=1e-7)
    np.testing.assert_allclose(cr.jacfwd(final)(p), jac, atol=1e-7)


@pytest.mark.parametrize("method", ["RK45", "LSODA", "Radau"])
def test_solve_ivp_lotka_volterra_against_scipys_central_differences(method):
    def lv(t, y, a, b):
        return cnp.stack([a * y[0] - b * y[0] * y[1], -y[1] + 0.5 * y[0] * y[1]])
    te = np.array([0.5, 1.0])
    tol = dict(rtol=1e-8, atol=1e-10) if method == "Radau" else TIGHT

    def ours(p):
        return cint.solve_ivp(lv, (0.0, 1.0), p[:2], method=method, t_eval=te,
                              args=(p[2], p[3]), **tol).y.ravel()

    def scipy_at(p):
        return si.solve_ivp(lv, (0.0, 1.0), p[:2], method=method, t_eval=te,
                            args=(p[2], p[3]), rtol=1e-12, atol=1e-13).y.ravel()
    p = np.array([1.0, 0.5, 1.1, 0.4])
    eps = 1e-5
    jac = np.stack([(scipy_at(p + eps * e) - scipy_at(p - eps * e)) / (2 * eps)
                    for e in np.eye(4)], 1)
    atol = 1e-5 if method == "Radau" else 1e-7
    np.testing.assert_allclose(cr.jacrev(ours)(p), jac, atol=atol)
    np.testing.assert_allclose(cr.jacfwd(ours)(p), jac, atol=atol)


def test_solve_ivp_own_steps_value_fields_and_end_derivative():
    decay = lambda t, y: -y
    want = si.solve_ivp(decay, (0.0, 2.0), np.array([1.0, 2.0]))
    got = cint.solve_ivp(decay, (0.0, 2.0), np.array([1.0, 2.0]))
    np.testing.assert_array_equal(got.t, want.t)
    np.testing.assert_array_equal(got.y, want.y)
    for k in ("nfev", "njev", "nlu", "status", "message", "success"):
        assert got[k] == want[k] and getattr(got, k) == want[k]
    assert got.sol is None and got.t_events is None
    # y(tf) = exp(-tf): d/dtf = -exp(-tf), the steps before held fixed
    end = lambda tf: cint.solve_ivp(decay, (0.0, tf), np.array([1.0]), **TIGHT).y[0, -1]
    np.testing.assert_allclose(cr.grad(end)(2.0), -np.exp(-2.0), rtol=1e-8)
    np.testing.assert_allclose(cr.jvp(end, (2.0,), (1.0,))[1], -np.exp(-2.0), rtol=1e-8)


def test_solve_ivp_t_eval_result_fields_match_scipy():
    args = (lambda t, y: -2.0 * y, (0.0, 1.0), np.array([1.0]))
    want = si.solve_ivp(*args, t_eval=[0.25, 0.5])
    got = cint.solve_ivp(*args, t_eval=[0.25, 0.5])
    np.testing.assert_array_equal(got.y, want.y)
    np.testing.assert_array_equal(got.t, want.t)
    assert (got.nfev, got.success, got.message) == (want.nfev, want.success, want.message)


def test_solve_ivp_refusals_are_clear():
    f, span, y0 = (lambda t, y: -y), (0.0, 1.0), np.array([1.0])
    with pytest.raises(NotImplementedError, match="events"):
        cint.solve_ivp(f, span, y0, events=lambda t, y: y[0] - 0.5)
    with pytest.raises(NotImplementedError, match="dense_output"):
        cint.solve_ivp(f, span, y0, dense_output=True)
    with pytest.raises(NotImplementedError, match="vectorized"):
        cint.solve_ivp(f, span, y0, vectorized=True)
    with pytest.raises(ValueError, match="method"):
        cint.solve_ivp(f, span, y0, method="Euler")
    with pytest.raises(ValueError, match="1-dimensional"):
        cint.solve_ivp(f, span, np.ones((2, 2)))
    with pytest.raises(TypeError, match="complex"):
        cint.solve_ivp(f, span, np.array([1.0 + 1j]))
    with pytest.raises(ValueError, match="within"):
        cint.solve_ivp(f, span, y0, t_eval=[2.0])
    with pytest.raises(ValueError, match="vmap needs t_eval"):
        cr.vmap(lambda y: cint.solve_ivp(f, span, y).y)(np.ones((2, 1)))
    second = cr.grad(lambda k: cint.solve_ivp(lambda t, y, k: -k * y, span, y0, t_eval=[1.0],
                                              args=(k,)).y[0, 0])
    with pytest.raises(TypeError, match="first derivatives only"):
        cr.grad(second)(1.0)


def test_solve_ivp_under_vmap_and_jit():
    f = lambda y0, k: cint.solve_ivp(lambda t, y, k: -k * y, (0.0, 1.0), y0, t_eval=[0.5, 1.0],
                                     args=(k,), **TIGHT).y
    y0s, ks = np.array([[1.0], [2.0]]), np.array([0.5, 1.5])
    batched = cr.vmap(f)(y0s, ks)
    np.testing.assert_allclose(batched, [f(a, b) for a, b in zip(y0s, ks)], rtol=1e-12)
    np.testing.assert_allclose(batched[:, 0, 1], y0s[:, 0] * np.exp(-ks), rtol=1e-9)
    jf = cr.jit(cr.grad(lambda k: f(np.array([1.0]), k)[0, 1]))
    np.testing.assert_allclose([jf(0.5), jf(0.5)], -np.exp(-0.5), rtol=1e-8)


# ---- quad, quad_vec, fixed_quad ----------------------------------------------------------------
def test_quad_closed_forms_in_limits_args_and_infinite_limits():
    # ∫₀^∞ e^(-s x²) dx = ½√(π/s): d/ds = -¼√π s^(-3/2), second derivative ⅜√π s^(-5/2)
    f = lambda s: cint.quad(lambda x, s: cnp.exp(-s * x * x), 0.0, np.inf, args=(s,))[0]
    s = 1.7
    np.testing.assert_allclose(cr.grad(f)(s), -0.25 * np.sqrt(np.pi) * s ** -1.5, rtol=1e-8)
    np.testing.assert_allclose(cr.grad(cr.grad(f))(s), 0.375 * np.sqrt(np.pi) * s ** -2.5,
                               rtol=1e-7)
    # limits: ∂/∂b ∫_a^b x³ = b³, ∂/∂a = -a³, and an infinite limit contributes 0
    g = cr.grad(lambda a, b: cint.quad(lambda x: x ** 3, a, b)[0], argnums=(0, 1))(0.5, 2.0)
    np.testing.assert_allclose(g, [-0.125, 8.0], rtol=1e-12)
    h = cr.grad(lambda b: cint.quad(lambda x: cnp.exp(-x * x), -np.inf, b)[0])(0.3)
    np.testing.assert_allclose(h, np.exp(-0.09), rtol=1e-12)
    value, err = cint.quad(lambda x: cnp.exp(-x * x), -np.inf, np.inf)
    want = si.quad(lambda x: np.exp(-x * x), -np.inf, np.inf)
    assert (value, err) == want
    with pytest.raises(NotImplementedError, match="weight"):
        cint.quad(lambda x: x, 0.0, 1.0, weight="cos", wvar=1.0)


def test_quad_vec_and_fixed_quad_match_scipy_and_closed_forms():
    v, e = cint.quad_vec(lambda x: cnp.stack([x, x * x]), 0.0, 1.0)
    wv, we = si.quad_vec(lambda x: np.stack([x, x * x]), 0.0, 1.0)
    np.testing.assert_array_equal(v, wv)
    assert e == we
    jac = cr.jacrev(lambda w: cint.quad_vec(lambda x, w: w * x, 0.0, 2.0, args=(w,))[0])(
        np.ones(3))
    np.testing.assert_allclose(jac, 2.0 * np.eye(3), rtol=1e-12)
    # Gauss-Legendre with n points is exact to degree 2n-1, and so is its derivative
    d = cr.grad(lambda b: cint.fixed_quad(lambda x: x ** 5, 0.0, b, n=3)[0])(1.5)
    np.testing.assert_allclose(d, 1.5 ** 5, rtol=1e-13)
    with pytest.raises(ValueError, match="finite"):
        cint.fixed_quad(cnp.exp, 0.0, np.inf)
    assert cint.fixed_quad(cnp.exp, 0.0, 1.0)[1] is None


def test_solve_ivp_failed_run_reports_as_scipy():
    blow_up = lambda t, y: y * y          # y = 1/(1 - t): no solution past t = 1
    want = si.solve_ivp(blow_up, (0.0, 2.0), np.array([1.0]))
    got = cint.solve_ivp(blow_up, (0.0, 2.0), np.array([1.0]))
    assert (got.status, got.success, got.message) == (want.status, want.success, want.message)
    np.testing.assert_array_equal(got.t, want.t)
    np.testing.assert_array_equal(got.y, want.y)
    asked = cint.solve_ivp(blow_up, (0.0, 2.0), np.array([1.0]), t_eval=[0.5, 1.5])
    assert not asked.success and np.isnan(asked.y[0, 1])
    np.testing.assert_allclose(asked.y[0, 0], 2.0, rtol=1e-3)


# ---- right-hand sides that close over the parameters (SciPy programs' usual way) -----------------
_TS = np.linspace(0.0, 1.0, 5)


def _decay_closed_over(k):
    rhs = lambda y, t: -k * y                     # k from the enclosing function's cell
    return cint.odeint(rhs, 1.0, _TS, rtol=1e-11, atol=1e-11)[:, 0], rhs


def test_odeint_closure_over_a_traced_parameter_every_transform():
    exact = lambda k: -_TS * np.exp(-k * _TS)     # d/dk e^{-kt}
    f = lambda k: _decay_closed_over(k)[0]
    np.testing.assert_allclose(cr.jacobian(f)(0.7), exact(0.7), rtol=1e-7, atol=1e-12)  # reverse
    np.testing.assert_allclose(cr.jvp(f, (0.7,), (1.0,))[1], exact(0.7), rtol=1e-7, atol=1e-12)
    np.testing.assert_allclose(cr.vmap(f)(np.array([0.5, 0.7])),
                               np.exp(-np.outer([0.5, 0.7], _TS)), rtol=1e-8)
    np.testing.assert_allclose(cr.jit(cr.grad(lambda k: f(k)[-1]))(0.7), exact(0.7)[-1], rtol=1e-7)

    def check_cell_restored(k):
        ys, rhs = _decay_closed_over(k)
        assert rhs.__closure__[0].cell_contents is k   # the caller's tracer is back in its cell
        return ys[-1]
    cr.grad(check_cell_restored)(0.7)


def test_solve_ivp_and_quad_closures_over_a_tuple_of_parameters():
    def final(p):
        pars = (p[0], p[1])                       # a tuple of traced values in the cell
        sol = cint.solve_ivp(lambda t, y: -pars[0] * y + pars[1], (0.0, 1.0), [1.0],
                             rtol=1e-11, atol=1e-12)
        return sol.y[0, -1]
    a, b = 0.7, 0.3          # y(1) = b/a + (1 − b/a) e^{−a}
    y1 = lambda a, b: b / a + (1 - b / a) * np.exp(-a)
    h = 1e-6
    np.testing.assert_allclose(cr.grad(final)(np.array([a, b])),
                               [(y1(a + h, b) - y1(a - h, b)) / (2 * h),
                                (y1(a, b + h) - y1(a, b - h)) / (2 * h)], rtol=1e-7)
    q = lambda k: cint.quad(lambda x: cnp.exp(-k * x), 0.0, 1.0)[0]
    np.testing.assert_allclose(cr.grad(q)(2.0), (3 * np.exp(-2.0) - 1) / 4, rtol=1e-9)


_GLOBAL_K = None


def test_a_parameter_read_from_a_global_is_still_refused_clearly():
    def f(k):
        global _GLOBAL_K
        _GLOBAL_K = k
        return cint.odeint(lambda y, t: -_GLOBAL_K * y, 1.0, _TS)[-1, 0]
    with pytest.raises(TypeError, match="closes over a variable being differentiated"):
        cr.grad(f)(0.7)
