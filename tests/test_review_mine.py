"""Hostile review of today's chainrule.scipy.optimize, chainrule.numpy.random and numpy.pad
modes: each test failed before its fix (tools/edge_sweep.py sweeps every name the same way)."""
import warnings

import numpy as np
import pytest
import scipy.optimize as so

import chainrule as cr
import chainrule.numpy as cnp
import chainrule.numpy.random as npr
import chainrule.scipy.optimize as copt
from chainrule.core.primitive import Tracer


def _no_tracers(res):
    return not any(isinstance(v, Tracer) for v in dict(res).values())


# ---- optimize ----------------------------------------------------------------------------
def test_jit_and_vmap_return_results_holding_arrays_not_tracers():
    loss = lambda x, a: cnp.sum((x - a) ** 2) + cnp.sum(x ** 4)  # noqa: E731
    solve = cr.jit(lambda a: copt.minimize(loss, np.zeros(2), args=(a,)))
    for a in (np.array([0.5, 1.0]), np.array([2.0, -1.0])):   # a new solve on each call
        res = solve(a)
        assert type(res) is so.OptimizeResult and _no_tracers(res)
        np.testing.assert_allclose(res.x, so.minimize(
            lambda x: np.sum((x - a) ** 2) + np.sum(x ** 4), np.zeros(2)).x, atol=1e-5)
    batch = np.array([[0.5, 1.0], [2.0, -1.0], [0.0, 3.0]])
    res = cr.vmap(lambda a: copt.minimize(loss, np.zeros(2), args=(a,)))(batch)
    assert _no_tracers(res) and res.x.shape == (3, 2) and res.nit.shape == (3,)
    assert res.jac.shape == (3, 2)      # each example's gradient, not the last one's
    r = cr.jit(lambda c: copt.root_scalar(lambda x, c: x * x - c, args=(c,),
                                          bracket=[0.0, 5.0]))(4.0)
    assert type(r) is so.RootResults and not isinstance(r.root, Tracer)
    np.testing.assert_allclose(r.root, 2.0, rtol=1e-12)


def test_vmap_reports_each_scalar_root_solve():
    r = cr.vmap(lambda c: copt.root_scalar(lambda x, c: x * x - c, args=(c,),
                                           bracket=[0.0, 5.0]))(np.array([4.0, 9.0, 0.25]))
    want = [so.root_scalar(lambda x, c: x * x - c, args=(c,), bracket=[0.0, 5.0])
            for c in (4.0, 9.0, 0.25)]
    # (it reported the last example's counts for all)
    assert r.iterations.tolist() == [w.iterations for w in want] and r.converged
    np.testing.assert_allclose(r.root, [2.0, 3.0, 0.5], rtol=1e-12)
    # fsolve's report is a tuple, broadcast by vmap: the last example's for all, refused
    with pytest.raises(NotImplementedError, match="one per example"):
        cr.vmap(lambda c: copt.fsolve(lambda x, c: x ** 2 - c, 1.0, args=(c,),
                                      full_output=True))(np.array([4.0, 9.0]))


def test_trust_constr_and_integer_guesses_run_as_in_scipy():
    f = lambda x: cnp.sum((x - 1.0) ** 2) + cnp.sum(x ** 4)  # noqa: E731
    # trust-constr probes hessp with an int8 vector (it raised a tangent dtype error)
    res = copt.minimize(f, np.array([0.3, -0.2]), method="trust-constr")
    np.testing.assert_allclose(res.x, [0.58975451] * 2, atol=1e-6)
    # MINPACK calls the Jacobian first at the guess as given: integers (they raised)
    np.testing.assert_allclose(copt.root(lambda x: x ** 3 - 8, [1, 1]).x, [2.0, 2.0])
    np.testing.assert_allclose(copt.fsolve(lambda x: x ** 3 - 8, 1), so.fsolve(
        lambda x: x ** 3 - 8, 1))
    line = lambda x, a, b: a * x + b  # noqa: E731
    x = np.arange(5)
    np.testing.assert_allclose(copt.curve_fit(line, x, 2.0 * x + 1, p0=[1, 1])[0], [2.0, 1.0])
    # integer data beside a traced one; an integer guess of a traced root
    g = cr.grad(lambda y: copt.curve_fit(line, x, y)[0][0])(2.0 * x + 1)
    np.testing.assert_allclose(g, (x - 2.0) / 10.0, atol=1e-12)
    g = cr.grad(lambda c: copt.root_scalar(lambda x, c: x ** 3 - c, args=(c,),
                                           method="newton", x0=1).root)(8.0)
    np.testing.assert_allclose(g, 1.0 / 12.0, rtol=1e-12)


@pytest.mark.parametrize("solution", [
    lambda a: copt.minimize_scalar(lambda x, a: (x - a) ** 4, args=(a,)).x,    # f'' = 0
    lambda c: copt.root(lambda x, c: cnp.array([x[0] + x[1] - c, 2 * x[0] + 2 * x[1] - 2 * c]),
                        np.array([0.5, 0.5]), args=(c,)).x[0],                  # a line of roots
    lambda c: copt.least_squares(lambda p, c: p[0] + p[1] - c * np.ones(3), np.zeros(2),
                                 args=(c,)).x[0],                               # rank deficient
])
def test_a_singular_jacobian_at_the_solution_is_a_clear_error(solution):
    with pytest.raises(np.linalg.LinAlgError, match="not a differentiable function"):
        cr.grad(solution)(0.0)
    with pytest.raises(np.linalg.LinAlgError, match="not a differentiable function"):
        cr.jvp(solution, (0.0,), (1.0,))


def test_curve_fit_omits_nans_and_lm_fits_more_equations_than_unknowns():
    f = lambda x, a, b: a * cnp.exp(-b * x)  # noqa: E731
    x = np.linspace(0, 2, 8)
    y = 2.0 * np.exp(-1.3 * x) + 0.05 * np.sin(7 * x)
    gappy, keep = np.where(np.arange(8) == 3, np.nan, y), np.arange(8) != 3
    # (it raised 'SVD did not converge' from the nan residual)
    J = cr.jacobian(lambda y: copt.curve_fit(f, x, y, nan_policy="omit")[0])(gappy)
    want = cr.jacobian(lambda y: copt.curve_fit(f, x[keep], y)[0])(y[keep])
    assert np.array_equal(J[:, 3], [0.0, 0.0])
    np.testing.assert_allclose(J[:, keep], want, rtol=1e-10)
    # three equations, two unknowns: the least-squares x0 = (2c + 1.5)/3 (it raised a
    # reshape error)
    F = lambda x, c: cnp.array([x[0] - c, x[1] - 2.0, x[0] + x[1] - 3.5])  # noqa: E731
    g = cr.grad(lambda c: copt.root(F, np.zeros(2), args=(c,), method="lm").x[0])(1.0)
    np.testing.assert_allclose(g, 2.0 / 3.0, rtol=1e-10)


def test_args_may_hold_strings_and_functions_beside_traced_values():
    def f(x, a, kind):
        return cnp.sum((x - a) ** 2) + (cnp.sum(x ** 4) if kind == "quartic" else 0.0)
    g = cr.grad(lambda a: copt.minimize(f, np.zeros(2), args=(a, "quartic")).x[0])(np.ones(2))
    x = copt.minimize(f, np.zeros(2), args=(np.ones(2), "quartic")).x[0]
    np.testing.assert_allclose(g, [1 / (1 + 6 * x * x), 0.0], rtol=1e-6)
    # (both raised 'args must hold arrays or numbers')
    log = cr.vmap(lambda a: copt.brentq(lambda x, a, g: g(x) - a, 0.0, 3.0, args=(a, np.exp)))
    np.testing.assert_allclose(log(np.array([2.0, 3.0])), np.log([2.0, 3.0]), rtol=1e-12)


def test_errors_say_what_to_do():
    with pytest.raises(TypeError, match="optimize.minimize: .*write it with chainrule.numpy"):
        cr.grad(lambda a: copt.minimize(lambda x, a: np.sum((np.asarray(x) - a) ** 2),
                                        np.zeros(2), args=(a,)).x[0])(1.0)
    with pytest.raises(TypeError, match="kwargs are passed .* through args"):
        cr.grad(lambda s: copt.least_squares(lambda p, s=1.0: p - s, np.zeros(1),
                                             kwargs={"s": s}).x[0])(2.0)


def test_a_traced_setting_is_named_not_blamed_on_the_function():
    f = lambda x, a: cnp.sum((x - a) ** 2)  # noqa: E731
    # (it said the function converts a traced value to NumPy)
    with pytest.raises(TypeError, match="minimize: bounds goes to SciPy as a plain value"):
        cr.grad(lambda b: copt.minimize(f, np.zeros(2), args=(np.ones(2),),
                                        bounds=[(b, 2.0)] * 2).x[0])(-1.0)
    with pytest.raises(TypeError, match="brentq: xtol goes to SciPy"):
        cr.grad(lambda t: copt.brentq(lambda x: x * x - 2.0, 0.0, 2.0, xtol=t))(1e-12)


def test_the_guess_gets_a_plain_zero_derivative():
    g = cr.grad(lambda x0: copt.minimize(lambda x: cnp.sum((x - 1.0) ** 2), x0).x[0])(
        np.zeros(2))
    assert g.tolist() == [0.0, 0.0] and not np.signbit(g).any()


def test_rosenbrock_family_as_scipys_for_lists_ints_and_float32():
    x32 = np.array([0.5, -1.0, 2.0, 0.3], dtype=np.float32)
    for fn, args in ((copt.rosen_hess, ([0.5, 1.5, -1.0],)),        # a list (it raised)
                     (copt.rosen_der, (np.array([1, 2, 3]),)),      # ints: float64, not int64
                     (copt.rosen_hess, (x32,)),                    # float32 kept (not float64)
                     (copt.rosen_hess_prod, (x32, np.ones(4)))):
        ours, theirs = fn(*args), getattr(so, fn.__name__)(*args)
        assert ours.dtype == theirs.dtype
        np.testing.assert_allclose(ours, theirs, rtol=1e-6)
    with pytest.raises(IndexError):     # SciPy's error: it gave [[200.]], the Hessian is 0
        copt.rosen_hess(np.array([0.5]))


# ---- random ------------------------------------------------------------------------------
def test_random_size_as_a_numpy_integer_and_numpys_parameter_checks():
    np.random.seed(5)
    ours = cr.jvp(lambda m: npr.normal(m, 2.0, size=np.int64(3)), (1.0,), (1.0,))[0]
    np.random.seed(5)
    assert ours.tolist() == np.random.normal(1.0, 2.0, size=3).tolist()
    for draw, message in ((lambda s: npr.normal(0.0, s, 2), "scale < 0"),
                          (lambda s: npr.exponential(s, 2), "scale < 0"),
                          (lambda s: npr.lognormal(0.0, s), "sigma < 0")):
        np.random.seed(5)
        with pytest.raises(ValueError, match=message):     # NumPy's error, no silent draw
            cr.jvp(draw, (-1.0,), (1.0,))
        assert np.random.randn() == (np.random.seed(5), np.random.randn())[1]  # stream kept
    with pytest.raises(ValueError):
        cr.jvp(lambda m: npr.normal(m, 1.0, size=2), (np.zeros(3),), (np.ones(3),))


def test_multivariate_normal_differentiable_in_its_mean_with_numpys_numbers():
    cov = np.array([[2.0, 0.3], [0.3, 1.0]])
    mean = np.array([1.0, -2.0])
    for size in (None, 4, (2, 3)):
        np.random.seed(3)
        want = np.random.multivariate_normal(mean, cov, size)
        np.random.seed(3)   # (it raised: 'a draw is not differentiable in this parameter')
        draw, tangent = cr.jvp(lambda m: npr.multivariate_normal(m, cov, size), (mean,),
                               (np.array([1.0, 2.0]),))
        assert np.array_equal(draw, want) and np.all(tangent == [1.0, 2.0])
    with pytest.raises(TypeError, match="cholesky"):
        cr.jvp(lambda c: npr.multivariate_normal(mean, c), (cov,), (cov,))


# ---- pad ---------------------------------------------------------------------------------
def test_linear_ramp_is_numpys_under_vmap_and_jit():
    x = np.random.default_rng(1).normal(size=(2, 3, 4)) * np.array([1.0, 2.0])[:, None, None]
    kw = dict(pad_width=((1, 2), (3, 0)), mode="linear_ramp", end_values=(1.0, -2.0))
    want = np.stack([np.pad(e, **kw) for e in x])
    # NumPy's linspace picks its formula per call (a zero step anywhere): per example
    assert np.array_equal(cr.vmap(lambda e: cnp.pad(e, **kw))(x), want)
    padded = cr.jit(lambda e: cnp.pad(e, **kw))
    assert np.array_equal(padded(x[0]), want[0]) and np.array_equal(padded(x[1]), want[1])


def test_pad_checks_its_arguments_as_numpy():
    x = np.arange(5.0)
    pad = lambda x, *a, **k: cr.jvp(lambda x: cnp.pad(x, *a, **k), (x,), (x,))[0]  # noqa
    with pytest.raises(ValueError, match="stat_length of 0"):
        pad(x, 2, mode="maximum", stat_length=0)
    with pytest.raises(TypeError, match="integral type"):
        pad(x, 1.5, mode="edge")
    with pytest.raises(ValueError, match="unsupported keyword"):
        pad(x, 1, mode="edge", stat_length=2)
    with pytest.raises(ValueError, match="can't extend empty axis"):
        pad(np.zeros((0, 3)), 1, mode="linear_ramp")
    with pytest.raises(ValueError):   # end_values for three axes of a 1-D array
        pad(x, 0, mode="linear_ramp", end_values=((1, 2), (3, 4), (5, 6)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        want = np.pad(x, 2, mode="mean", stat_length=0)       # NumPy's nan, not a clamp to 1
        assert np.array_equal(pad(x, 2, mode="mean", stat_length=0), want, equal_nan=True)


def test_pad_differentiates_a_traced_constant_and_traced_ramp_ends():
    x = np.random.default_rng(1).normal(size=(3, 4))
    # (both raised 'A traced value cannot be converted to a NumPy array')
    value, tangent = cr.jvp(lambda c: cnp.pad(x, ((1, 0), (2, 1)), constant_values=c),
                            (1.5,), (1.0,))
    assert np.array_equal(value, np.pad(x, ((1, 0), (2, 1)), constant_values=1.5))
    assert tangent.sum() == 16.0 and np.all(tangent[1:, 2:6] == 0.0)
    for ends in (lambda e: (e, 2.0), lambda e: ((e, 2.0), (1.0, e))):
        value = cr.jvp(lambda e: cnp.pad(x, 2, mode="linear_ramp", end_values=ends(e)),
                       (1.5,), (1.0,))[0]
        assert np.array_equal(value, np.pad(x, 2, mode="linear_ramp", end_values=ends(1.5)))
    cr.check_grads(lambda e: cnp.sum(cnp.pad(x, 2, mode="linear_ramp",
                                             end_values=(e, 2 * e)) ** 2), (1.5,), order=2)
    ends = np.array([[1.0, 2.0], [3.0, 4.0]])   # one pair per axis, traced (a broadcast error)
    value = cr.jvp(lambda e: cnp.pad(x, 2, mode="linear_ramp", end_values=e),
                   (ends,), (np.ones((2, 2)),))[0]
    assert np.array_equal(value, np.pad(x, 2, mode="linear_ramp", end_values=ends))
    ramps = cr.vmap(lambda e: cnp.pad(x, 1, mode="linear_ramp", end_values=e))(
        np.array([1.0, 2.0]))          # (it raised BatchedValueError reading e's dtype)
    assert np.array_equal(ramps[1], np.pad(x, 1, mode="linear_ramp", end_values=2.0))


@pytest.mark.parametrize("mode", ["reflect", "symmetric"])
def test_odd_reflection_is_numpys_bit_for_bit_and_differentiates(mode):
    x = np.random.default_rng(2).normal(size=(3, 4))
    for width in (((1, 2), (3, 0)), 9, ((0, 0), (7, 13))):   # also wider than the axis
        pad = lambda x: cnp.pad(x, width, mode=mode, reflect_type="odd")  # noqa: E731
        value = cr.jvp(pad, (x,), (x,))[0]          # (it raised: 'not differentiable')
        assert np.array_equal(value, np.pad(x, width, mode=mode, reflect_type="odd"))
        assert np.array_equal(cr.vmap(pad)(np.stack([x, 2 * x]))[1],
                              np.pad(2 * x, width, mode=mode, reflect_type="odd"))
    cr.check_grads(lambda x: cnp.sum(pad(x) ** 3), (x,), order=2, modes=("fwd", "rev"))
