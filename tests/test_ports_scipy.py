"""Programs moved from plain NumPy + SciPy (tests/ports/): only their import lines are chainrule's
(heat_and_thomas.py also spells its in-place writes functionally). Each runs as written, and its
derivatives agree with closed forms or with central differences in float64."""

import numpy as onp
import pytest
import scipy.optimize

import chainrule as cr

from ports.harness import load, directional  # tests/ports/harness.py


def test_logistic_regression():
    m = load("logistic_regression")
    g0, weights, loss = m.main()
    w = onp.array([0.3, -0.2, 0.5])
    p = 1 / (1 + onp.exp(-m.inputs @ w))
    onp.testing.assert_allclose(cr.grad(m.training_loss)(w), m.inputs.T @ (p - m.targets),
                                rtol=1e-12)   # Xᵀ(σ(Xw) − t)
    assert loss < m.training_loss(onp.zeros(3)) and not onp.shares_memory(g0, weights)
    cr.check_grads(m.training_loss, (w,), order=2)


def test_rosenbrock_with_scipy_minimize():
    m = load("rosenbrock")
    g, H, *solutions = m.main()
    x0 = onp.array([1.3, 0.7, 0.8, 1.9, 1.2])
    onp.testing.assert_allclose(g, scipy.optimize.rosen_der(x0), rtol=1e-13)
    onp.testing.assert_allclose(H, scipy.optimize.rosen_hess(x0), rtol=1e-13)
    for x in solutions:
        onp.testing.assert_allclose(x, onp.ones(5), atol=1e-6)


def test_curve_fit_and_least_squares_with_chainrule_jacobians():
    m = load("curve_fit")
    J, popt, x_trf, x_lm = m.main()
    x = onp.linspace(0, 4, 50)
    e = onp.exp(-1.3 * x)
    onp.testing.assert_allclose(J, onp.stack([e, -2.5 * x * e, onp.ones(50)], axis=-1), rtol=1e-13)
    onp.testing.assert_allclose(x_lm, popt, rtol=1e-7)   # the same fit by two routes
    onp.testing.assert_allclose(x_trf, popt, rtol=1e-4)


@pytest.mark.parametrize("name", ["nll_t", "nll_gamma", "nll_poisson", "nll_probit", "nll_logit"])
def test_maximum_likelihood_gradients_and_hessians(name):
    m = load("maximum_likelihood")
    f = getattr(m, name)
    x = onp.array([0.2, -0.3, 0.4])[:2 if name == "nll_gamma" else 3]
    directional(f, x, cr.grad(f)(x))
    H = cr.hessian(f)(x)
    for i in range(len(x)):       # each column of the Hessian against differences of the gradient
        e = onp.eye(len(x))[i] * 1e-5
        onp.testing.assert_allclose(H[:, i], (cr.grad(f)(x + e) - cr.grad(f)(x - e)) / 2e-5,
                                    rtol=1e-5, atol=1e-5)


def test_maximum_likelihood_fits():
    out = load("maximum_likelihood").main()
    gamma_fit = out[4]
    onp.testing.assert_allclose(onp.exp(gamma_fit), [2.0, 1.5], rtol=0.25)   # shape, scale drawn
    poisson_fit = out[7]
    onp.testing.assert_allclose(poisson_fit, [0.5, -1.0, 2.0], atol=0.5)


def test_heat_equation_and_thomas_algorithm_with_functional_updates():
    m = load("heat_and_thomas")
    g, J, Jd, gb = m.main()          # main also asserts the caller's u0 is untouched
    x = onp.linspace(0, 1, 21)
    u0 = onp.sin(onp.pi * x) + 0.1 * onp.sin(3 * onp.pi * x)
    loss = lambda kappa: onp.sum(m.heat_explicit(u0, kappa) ** 2)
    directional(lambda k: loss(k[0]), onp.array([0.3]), onp.array([g]))
    n = 8
    a, b, c = onp.full(n, -1.0), onp.full(n, 2.5), onp.full(n, -1.0)
    A = onp.diag(b) + onp.diag(a[1:], -1) + onp.diag(c[:-1], 1)
    onp.testing.assert_allclose(Jd, onp.linalg.inv(A), atol=1e-14)   # d x / d d = A⁻¹
    d = onp.arange(n) * 1.0
    xs = onp.linalg.solve(A, d)
    onp.testing.assert_allclose(gb, -onp.linalg.solve(A.T, 2 * xs) * xs, rtol=1e-12)
    # the heat step is linear in u0: its Jacobian applied to u0 is the solution
    onp.testing.assert_allclose(J @ u0, m.heat_explicit(u0, 0.3), rtol=1e-12)


def test_kalman_filter_and_hmm():
    m = load("kalman_hmm")
    g, fitted, gh = m.main()
    rs = onp.random.RandomState(0)
    level = onp.cumsum(0.3 * rs.randn(40))
    ys = (level + 0.5 * rs.randn(40)).reshape(40, 1)
    p0 = onp.array([onp.log(0.1), onp.log(0.2), 0.3])
    directional(lambda p: m.kalman_loglik(p, ys), p0, g)
    assert onp.linalg.norm(cr.grad(m.kalman_loglik)(fitted, ys)) < 1e-4   # BFGS found a stationary point
    rs = onp.random.RandomState(5)
    obs = rs.randn(30)
    params = {'pi': rs.randn(3), 'A': rs.randn(3, 3), 'means': rs.randn(3), 'log_sd': 0.1 * rs.randn(3)}
    flat, unflatten = cr.flatten(params)
    f = lambda w: m.hmm_loglik(unflatten(w), obs)
    directional(f, flat, cr.flatten(cr.grad(m.hmm_loglik)(params, obs))[0])
    cr.check_grads(f, (flat,), order=1, modes=("fwd",))


def test_fluid_simulation():
    m = load("fluidsim")
    rows = cols = 8
    x = onp.linspace(-1, 1, rows)
    X, Y = onp.meshgrid(x, x)
    smoke0, target = onp.exp(-4 * (X ** 2 + Y ** 2)), onp.exp(-4 * ((X - 0.3) ** 2 + Y ** 2))

    def objective(params):
        vx, vy = params[:rows * cols].reshape(rows, cols), params[rows * cols:].reshape(rows, cols)
        return m.distance_from_target_image(m.simulate(vx, vy, smoke0, 3), target)

    # no velocity an exact integer: there a cell's source point lies on a grid line, floor() has a
    # kink, and the central difference averages the two one-sided derivatives (sin(0) = 0 did)
    p = 0.1 * onp.sin(onp.arange(2 * rows * cols) * 0.37 + 0.5)
    value, g = cr.value_and_grad(objective)(p)
    assert value == objective(p)
    for seed in range(3):
        directional(objective, p, g, h=1e-6, seed=seed, rtol=1e-5)
    v, gv = cr.jvp(objective, (p,), (g,))
    onp.testing.assert_allclose(gv, g @ g, rtol=1e-10)       # forward mode agrees with reverse
    smoke = m.main(rows=8, cols=8, num_time_steps=3, maxiter=3)
    assert smoke[0] > 0


def test_constraint_root_and_stiff_ode_jacobians():
    m = load("scipy_jacobians")
    slsqp, trust_constr, root, rober_end = m.main()
    onp.testing.assert_allclose(slsqp, [1.4, 1.7], atol=1e-6)           # SciPy tutorial answers
    onp.testing.assert_allclose(trust_constr, [0.4149, 0.1701], atol=1e-3)
    onp.testing.assert_allclose(root, [0.8411639, 0.1588361], atol=1e-7)
    assert abs(rober_end.sum() - 1.0) < 1e-6                             # mass is conserved
    J = cr.jacobian(lambda x: m.np.array([x[0] ** 2 + x[1], x[0] ** 2 - x[1]]))(onp.array([0.3, 0.2]))
    onp.testing.assert_allclose(J, [[0.6, 1.0], [0.6, -1.0]], rtol=1e-15)
    y = onp.array([0.7, 1e-5, 0.3])
    k1, k2, k3 = 0.04, 3e7, 1e4
    want = [[-k1, k3 * y[2], k3 * y[1]],
            [k1, -2 * k2 * y[1] - k3 * y[2], -k3 * y[1]],
            [0.0, 2 * k2 * y[1], 0.0]]
    rober = lambda t, y: m.np.array([-k1 * y[0] + k3 * y[1] * y[2],
                                     k1 * y[0] - k2 * y[1] ** 2 - k3 * y[1] * y[2],
                                     k2 * y[1] ** 2])
    onp.testing.assert_allclose(cr.jacobian(rober, argnums=1)(0.0, y), want, rtol=1e-14)
