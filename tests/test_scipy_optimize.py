"""chainrule.scipy.optimize: SciPy's solvers given exact derivatives, their solutions
differentiated by the implicit function theorem (to second order, under vmap and jit), and
SciPy's optimisation tutorial run unchanged but for its import."""
import warnings

import numpy as np
import pytest
import scipy.optimize as so

import chainrule as cr
import chainrule.numpy as cnp
import chainrule.scipy.optimize as copt


def test_scipys_tutorial_runs_unchanged():
    # docs.scipy.org/doc/scipy/tutorial/optimize.html, "Unconstrained minimization of
    # multivariate scalar functions", with `from scipy.optimize import ...` changed
    from chainrule.scipy.optimize import minimize, rosen, rosen_der, rosen_hess, rosen_hess_prod
    x0 = np.array([1.3, 0.7, 0.8, 1.9, 1.2])
    res = minimize(rosen, x0, method="nelder-mead", options={"xatol": 1e-8, "disp": False})
    np.testing.assert_allclose(res.x, np.ones(5), atol=1e-6)
    res = minimize(rosen, x0, method="BFGS", jac=rosen_der, options={"disp": False})
    np.testing.assert_allclose(res.x, np.ones(5), atol=1e-5)
    res = minimize(rosen, x0, method="Newton-CG", jac=rosen_der, hess=rosen_hess,
                   options={"xtol": 1e-8, "disp": False})
    np.testing.assert_allclose(res.x, np.ones(5), atol=1e-7)
    res = minimize(rosen, x0, method="Newton-CG", jac=rosen_der, hessp=rosen_hess_prod,
                   options={"xtol": 1e-8, "disp": False})
    np.testing.assert_allclose(res.x, np.ones(5), atol=1e-7)
    # the derivatives given by hand there are chainrule's own
    np.testing.assert_allclose(cr.grad(rosen)(x0), so.rosen_der(x0), rtol=1e-13)
    np.testing.assert_allclose(cr.hessian(rosen)(x0), so.rosen_hess(x0), rtol=1e-13)


def test_untraced_calls_are_scipys_with_exact_derivatives():
    x0 = np.array([-1.2, 1.0, 0.5])
    ours = copt.minimize(copt.rosen, x0, method="BFGS")          # jac=None: exact gradient
    theirs = so.minimize(so.rosen, x0, method="BFGS", jac=so.rosen_der)
    np.testing.assert_allclose(ours.x, theirs.x, rtol=1e-10)
    assert ours.nfev == theirs.nfev and type(ours) is type(theirs)
    # a function chainrule cannot trace (SciPy's rosen converts its argument with asarray):
    # SciPy's own finite differences, and a warning saying why
    with pytest.warns(RuntimeWarning, match="not written with chainrule.numpy"):
        fd = copt.minimize(so.rosen, x0, method="BFGS")
    plain = so.minimize(so.rosen, x0, method="BFGS")
    np.testing.assert_array_equal(fd.x, plain.x)
    # Newton-CG needs a Jacobian in SciPy; here it gets the gradient and Hessian products
    res = copt.minimize(copt.rosen, x0, method="Newton-CG")
    np.testing.assert_allclose(res.x, np.ones(3), atol=1e-6)
    with pytest.raises(ValueError, match="Jacobian is required"):
        so.minimize(so.rosen, x0, method="Newton-CG")
    r = copt.root(lambda x: cnp.tanh(x) + x - 1.0, np.zeros(2), method="lm")
    np.testing.assert_allclose(r.x, so.root(lambda x: np.tanh(x) + x - 1.0, np.zeros(2),
                                            method="lm").x, rtol=1e-10)
    assert copt.brentq(lambda x: x * x - 2.0, 0.0, 2.0) == so.brentq(lambda x: x * x - 2.0,
                                                                    0.0, 2.0)


def test_other_names_are_scipys():
    assert copt.Bounds is so.Bounds and copt.linear_sum_assignment is so.linear_sum_assignment
    assert copt.OptimizeResult is so.OptimizeResult
    with pytest.raises(AttributeError, match="no attribute 'nonexistent'"):
        copt.nonexistent


def _x_star(a):
    """argmin (x − a)² + x⁴, by Brent's method: x* solves 2(x − a) + 4x³ = 0."""
    return copt.minimize_scalar(lambda x, a: (x - a) ** 2 + x ** 4, args=(a,), tol=1e-12).x


def test_minimum_location_against_its_closed_form_to_second_order():
    a = 0.8
    x = float(_x_star(a))
    # implicit differentiation of 2(x − a) + 4x³ = 0: x' = 1/(1 + 6x²), x'' = −12 x x'/(1 + 6x²)²
    d1 = 1.0 / (1.0 + 6.0 * x * x)
    d2 = -12.0 * x * d1 / (1.0 + 6.0 * x * x) ** 2
    np.testing.assert_allclose(cr.grad(_x_star)(a), d1, rtol=1e-7)
    np.testing.assert_allclose(cr.jvp(_x_star, (a,), (1.0,))[1], d1, rtol=1e-7)
    np.testing.assert_allclose(cr.grad(cr.grad(_x_star))(a), d2, rtol=1e-6)
    np.testing.assert_allclose(cr.hessian(_x_star)(a), d2, rtol=1e-6)


def test_the_value_of_a_minimum_follows_the_envelope_theorem():
    # min_x (x − a)² + b x⁴: d/da = −2(x* − a), d/db = x*⁴ (x* held fixed)
    f = lambda a, b: copt.minimize(lambda x, a, b: cnp.sum((x - a) ** 2 + b * x ** 4),  # noqa
                                   np.zeros(1), args=(a, b), method="trust-exact",
                                   tol=1e-14).fun
    x = float(copt.minimize(lambda x: cnp.sum((x - 0.7) ** 2 + 0.5 * x ** 4), np.zeros(1),
                            method="trust-exact", tol=1e-14).x[0])
    ga, gb = cr.grad(f, argnums=(0, 1))(0.7, 0.5)
    np.testing.assert_allclose([ga, gb], [-2 * (x - 0.7), x ** 4], rtol=1e-9)


def test_roots_and_fits_against_closed_forms():
    # F(x, a) = x³ + x − a: dx/da = 1/(3x² + 1), for every root finder
    for finder in (lambda a: copt.brentq(lambda x, a: x ** 3 + x - a, -2.0, 2.0, args=(a,)),
                   lambda a: copt.newton(lambda x, a: x ** 3 + x - a, 0.0, args=(a,)),
                   lambda a: copt.fsolve(lambda x, a: x ** 3 + x - a, 0.0, args=(a,))[0],
                   lambda a: copt.root(lambda x, a: x ** 3 + x - a, 0.0, args=(a,)).x[0],
                   lambda a: copt.root_scalar(lambda x, a: x ** 3 + x - a, args=(a,),
                                              method="halley", x0=0.0).root):
        x = float(finder(1.5))
        np.testing.assert_allclose(cr.grad(finder)(1.5), 1.0 / (3 * x * x + 1), rtol=1e-9)
    # a linear least-squares fit is linear in y: its Jacobian is the pseudo-inverse
    t = np.linspace(0.0, 2.0, 6)
    A = np.stack([np.ones_like(t), t, t * t], axis=1)
    fit = lambda y: copt.curve_fit(lambda t, a, b, c: a + b * t + c * t * t, t, y)[0]  # noqa
    y = 1.0 + 0.5 * t - 0.2 * t * t + 0.01 * np.sin(7 * t)
    np.testing.assert_allclose(cr.jacobian(fit)(y), np.linalg.pinv(A), atol=1e-10)
    popt, pcov = fit(y), copt.curve_fit(lambda t, a, b, c: a + b * t + c * t * t, t, y)[1]
    traced_pcov = cr.jvp(lambda y: copt.curve_fit(lambda t, a, b, c: a + b * t + c * t * t,
                                                  t, y)[1], (y,), (np.zeros(6),))[0]
    np.testing.assert_allclose(traced_pcov, pcov, rtol=1e-9)   # SciPy's covariance, traced
    np.testing.assert_allclose(popt, np.linalg.lstsq(A, y, rcond=None)[0], rtol=1e-9)


def test_vmap_solves_each_example_and_jit_solves_each_call():
    a = np.array([0.2, 0.8, 1.5])
    batched = cr.vmap(cr.grad(_x_star))(a)
    np.testing.assert_allclose(batched, [cr.grad(_x_star)(v) for v in a], rtol=1e-12)
    g = cr.jit(cr.grad(_x_star))
    for v in (0.3, 1.1, 0.3):
        assert g(v) == cr.grad(_x_star)(v)
    assert g.trace_count == 1
    x = cr.vmap(lambda a: copt.minimize(lambda x, a: cnp.sum((x - a) ** 4), np.zeros(1),
                                        args=(a,)).x)(a)
    loop = [copt.minimize(lambda x, a: cnp.sum((x - a) ** 4), np.zeros(1), args=(v,)).x
            for v in a]
    np.testing.assert_array_equal(x, np.stack(loop))


def test_what_it_refuses_says_what_to_do():
    f = lambda x, a: cnp.sum((x - a) ** 2)  # noqa: E731
    cons = {"type": "eq", "fun": lambda x: x[0] - 1.0}
    with pytest.raises(NotImplementedError, match="constrained minimum"):
        cr.grad(lambda a: copt.minimize(f, np.zeros(2), args=(a,), constraints=cons).fun)(1.0)
    with pytest.raises(NotImplementedError, match="on a bound"):   # the minimum at x = 0.5
        cr.grad(lambda a: copt.minimize(f, np.zeros(1), args=(a,),
                                        bounds=[(-1.0, 0.5)]).x[0])(2.0)
    inside = cr.grad(lambda a: copt.minimize(f, np.zeros(1), args=(a,),
                                             bounds=[(-1.0, 5.0)]).x[0])(2.0)
    np.testing.assert_allclose(inside, 1.0, rtol=1e-6)
    with pytest.raises(TypeError, match="real values"):
        cr.grad(lambda a: cnp.real(copt.newton(lambda x, a: x - a, 0.0, args=(a,))),
                holomorphic=True)(1.0 + 1.0j)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(RuntimeWarning, match="did not converge"):
            cr.grad(lambda a: copt.minimize(lambda x, a: cnp.sum((x - a) ** 4), np.zeros(2),
                                            args=(a,), options={"maxiter": 1}).fun)(1.0)


def test_a_function_closing_over_the_differentiated_value_is_differentiated():
    # brentq(lambda x: x ** 3 - a, ...) inside a function of a: the traced values a solver's
    # function closes over become arguments of the solve (as the integrators do); it was a
    # TypeError asking for args=(...), and before that a SystemError inside SciPy
    a = 8.0
    by_closure = cr.grad(lambda a: copt.brentq(lambda x: x ** 3 - a, 0.0, 5.0))(a)
    by_args = cr.grad(lambda a: copt.brentq(lambda x, a: x ** 3 - a, 0.0, 5.0, args=(a,)))(a)
    assert by_closure == by_args
    np.testing.assert_allclose(by_closure, a ** (-2.0 / 3.0) / 3.0, rtol=1e-10)

    def loss(x):   # a jac written in the same scope shares the closure
        return cnp.sum((x - c) ** 2 + x ** 4)

    def value_at_minimum(c_):
        nonlocal c
        c = c_
        return copt.minimize(loss, np.zeros(2), method="trust-exact", tol=1e-14).fun
    c = None
    x = float(copt.minimize(lambda x: cnp.sum((x - 0.7) ** 2 + x ** 4), np.zeros(1),
                            method="trust-exact", tol=1e-14).x[0])
    np.testing.assert_allclose(cr.grad(value_at_minimum)(0.7), -4 * (x - 0.7), rtol=1e-8)
    g = cr.jit(cr.grad(lambda a: copt.brentq(lambda x: x ** 3 - a, 0.0, 5.0)))
    np.testing.assert_allclose([g(8.0), g(27.0)], [1 / 12, 1 / 27], rtol=1e-10)
    np.testing.assert_allclose(
        cr.vmap(cr.grad(lambda a: copt.newton(lambda x: x * x - a, 1.0)))(np.array([4.0, 9.0])),
        [0.25, 1 / 6], rtol=1e-9)


def test_dask_arguments_are_refused_with_the_conversion_to_make():
    da = pytest.importorskip("dask.array")   # (the test extra installs Dask)
    a = da.from_array(np.array([1.0, 2.0]), chunks=1)
    with pytest.raises(TypeError, match=r"not on dask arrays.*compute\(\)"):
        cr.grad(lambda a: copt.minimize(lambda x, a: cnp.sum((x - a) ** 2), np.zeros(2),
                                        args=(a,)).fun)(a)
    with pytest.raises(TypeError, match="not on dask arrays"):
        copt.brentq(lambda x, a: x - a[0], 0.0, 5.0, args=(a,))
