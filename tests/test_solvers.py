"""chainrule.solvers: GMRES, Newton-Krylov with exact JVPs, implicit differentiation."""

import warnings

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp
from chainrule import solvers
from chainrule.solvers import gmres, newton_krylov, root, fixed_point, NoConvergence
from chainrule.transforms.jit import JitFallbackWarning


# ---- GMRES ---------------------------------------------------------------------------
def _rng(seed=0):
    return np.random.default_rng(seed)


def test_gmres_random_well_conditioned():
    rng = _rng(0)
    n = 60
    A = np.eye(n) * 4 + rng.standard_normal((n, n)) / np.sqrt(n)
    b = rng.standard_normal(n)
    x, info = gmres(lambda v: A @ v, b, tol=1e-12)
    assert info.converged and info.iterations <= n
    np.testing.assert_allclose(x, np.linalg.solve(A, b), rtol=1e-10, atol=1e-11)
    assert np.linalg.norm(A @ x - b) <= 1e-12 * np.linalg.norm(b) * 1.0001
    assert info.residuals[0] == pytest.approx(np.linalg.norm(b))
    assert info.residual == pytest.approx(np.linalg.norm(A @ x - b))


def test_gmres_ill_conditioned():
    rng = _rng(1)
    n = 40
    Q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    Q2, _ = np.linalg.qr(rng.standard_normal((n, n)))
    A = Q @ np.diag(np.logspace(0, -8, n)) @ Q2.T  # condition number 1e8, nonsymmetric
    x_true = rng.standard_normal(n)
    b = A @ x_true
    x, info = gmres(A, b, tol=1e-14, restart=n, maxiter=4 * n)
    x_ref = np.linalg.solve(A, b)
    # both are backward stable: forward errors within cond * eps
    assert np.linalg.norm(x - x_ref) / np.linalg.norm(x_ref) < 1e-5
    assert np.linalg.norm(A @ x - b) / np.linalg.norm(b) < 1e-12


def test_gmres_restarted_nonsymmetric_matches_scipy():
    sla = pytest.importorskip("scipy.sparse.linalg")
    n = 200
    h = 1.0 / (n + 1)

    def conv_diff(v):  # -u'' + 20 u' (upwind), Dirichlet zero, matrix-free
        vp = np.concatenate([[0.0], v, [0.0]])
        return (2 * vp[1:-1] - vp[:-2] - vp[2:]) / h ** 2 + 20 * (vp[1:-1] - vp[:-2]) / h
    b = np.sin(np.linspace(0, 3, n))
    x, info = gmres(conv_diff, b, tol=1e-10, restart=20, maxiter=20000)
    op = sla.LinearOperator((n, n), matvec=conv_diff)
    xs, code = sla.gmres(op, b, rtol=1e-10, restart=20, maxiter=2000)
    assert info.converged and code == 0
    assert info.restarts >= 2
    np.testing.assert_allclose(x, xs, rtol=1e-6, atol=1e-9 * np.abs(xs).max())


def test_gmres_preconditioner_pytree_callback_and_x0():
    rng = _rng(2)
    n = 30
    d = np.logspace(0, 6, n)
    A = np.diag(d) + np.diag(rng.standard_normal(n - 1) * 0.1, 1)
    b = {"u": rng.standard_normal(n - 10), "w": rng.standard_normal(10)}

    def matvec(t):
        v = np.concatenate([t["u"], t["w"]])
        r = A @ v
        return {"u": r[:n - 10], "w": r[n - 10:]}
    seen = []
    x_plain, info_plain = gmres(matvec, b, tol=1e-10, restart=n)
    x, info = gmres(matvec, b, tol=1e-10,
                    M=lambda t: {"u": t["u"] / d[:n - 10], "w": t["w"] / d[n - 10:]},
                    callback=lambda k, r: seen.append((k, r)))
    assert info.converged and info.iterations < info_plain.iterations
    assert [k for k, _ in seen] == list(range(1, info.iterations + 1))
    bv = np.concatenate([b["u"], b["w"]])
    np.testing.assert_allclose(np.concatenate([x["u"], x["w"]]), np.linalg.solve(A, bv),
                               rtol=1e-8)
    # a starting guess that is already the solution: no iterations
    x2, info2 = gmres(matvec, b, x0=x, tol=1e-6)
    assert info2.converged and info2.iterations == 0


def test_gmres_cgs2_and_recycling():
    rng = _rng(7)
    n = 120
    A = np.diag(np.linspace(1, 50, n)) + rng.standard_normal((n, n)) * 0.05
    b = rng.standard_normal(n)
    x1, i1 = gmres(A, b, tol=1e-11, restart=10)
    x2, i2 = gmres(A, b, tol=1e-11, restart=10, orthogonalization="cgs2")
    assert i1.converged and i2.converged
    np.testing.assert_allclose(x1, np.linalg.solve(A, b), rtol=1e-9, atol=1e-10)
    np.testing.assert_allclose(x2, x1, rtol=1e-9, atol=1e-10)
    # recycled corrections (LGMRES-style) are kept and reused on a nearby system
    pool = []
    x3, i3 = gmres(A, b, tol=1e-11, restart=10, recycle=pool, recycle_k=4)
    assert i3.converged and 0 < len(pool) <= 4
    np.testing.assert_allclose(x3, x1, rtol=1e-9, atol=1e-10)
    A2 = A + np.diag(rng.standard_normal(n) * 0.01)
    _, i4 = gmres(A2, b, tol=1e-11, restart=10)
    x5, i5 = gmres(A2, b, tol=1e-11, restart=10, recycle=pool, recycle_k=4)
    np.testing.assert_allclose(x5, np.linalg.solve(A2, b), rtol=1e-9, atol=1e-10)
    assert i5.converged and i4.converged and len(pool) <= 4
    with pytest.raises(ValueError):
        gmres(A, b, orthogonalization="householder")


def test_gmres_reports_non_convergence():
    rng = _rng(3)
    n = 100
    A = np.diag(np.linspace(1, 1e4, n)) + rng.standard_normal((n, n)) * 0.01
    x, info = gmres(A, np.ones(n), tol=1e-12, restart=5, maxiter=20)
    assert not info.converged and info.iterations == 20
    assert info.residual > info.target
    assert "converged=False" in repr(info)


# ---- Newton-Krylov ---------------------------------------------------------------------
def bratu(lam):
    def F(u):
        n = u.shape[0]
        h2 = 1.0 / (n + 1) ** 2
        up = cnp.pad(u, 1)
        return (4 * u - up[:-2, 1:-1] - up[2:, 1:-1] - up[1:-1, :-2] - up[1:-1, 2:]
                - (h2 * lam) * cnp.exp(u))
    return F


def dense_newton(F, x0, steps=30):
    x = x0.copy()
    n = x.size
    for _ in range(steps):
        J = cr.jacobian(F)(x).reshape(n, n)
        fx = np.asarray(F(x))
        if np.abs(fx).max() < 1e-14:
            break
        x = x - np.linalg.solve(J, fx.reshape(-1)).reshape(x.shape)
    return x


def test_newton_krylov_bratu_matches_dense_newton():
    N = 10
    F = bratu(6.0)
    x, info = newton_krylov(F, np.zeros((N, N)), tol=1e-12)
    x_ref = dense_newton(F, np.zeros((N, N)))
    assert info.converged and np.abs(F(x)).max() <= 1e-12
    np.testing.assert_allclose(x, x_ref, rtol=1e-10, atol=1e-12)
    assert info.residual == info.residuals[-1] == pytest.approx(np.abs(F(x)).max())
    assert info.newton_steps == len(info.residuals) - 1 < 12
    # one linearization per Newton step (plus the final point), one replay per Krylov step
    assert info.linearizations <= info.newton_steps + 1
    assert info.krylov_iterations <= info.jvp_evals <= 2 * info.krylov_iterations + 2
    assert info.f_evals >= info.linearizations


def test_newton_krylov_pytree_unknowns_and_verbose(capsys):
    target = np.array([1.0, 2.0, 3.0])

    def F(z):
        return {"a": z["a"] ** 3 - target + 0.1 * z["b"],
                "b": cnp.exp(z["b"]) - 2.0 + 0 * z["a"][0]}
    z0 = {"a": np.ones(3), "b": 0.0}
    z, info = newton_krylov(F, z0, tol=1e-13, verbose=True)
    assert set(z) == {"a", "b"} and np.shape(z["b"]) == ()
    np.testing.assert_allclose(z["b"], np.log(2.0), rtol=1e-13)
    np.testing.assert_allclose(z["a"], np.cbrt(target - 0.1 * np.log(2.0)), rtol=1e-12)
    out = capsys.readouterr().out
    assert out.count("newton_krylov: step") == info.newton_steps + 1
    assert "krylov" in out and "step =" in out


def test_newton_krylov_line_search_needed():
    # arctan: the full Newton step from x = 2 overshoots and diverges
    F = lambda x: cnp.arctan(x)  # noqa: E731
    x, info = newton_krylov(F, np.array([2.0]), tol=1e-12)
    assert abs(x[0]) < 1e-12 and min(info.step_lengths) < 1
    with pytest.raises(NoConvergence):
        newton_krylov(F, np.array([2.0]), tol=1e-12, line_search=False, maxiter=20)


@pytest.mark.parametrize("scale", [1e-150, 1.0, 1e160, 1e300])
def test_newton_krylov_line_search_at_any_scale(scale):
    # arctan from x0 = 4 overshoots, so the line search backtracks; its quadratic model
    # squared ||F|| (an OverflowError or inf above 1e154) and ||F|| itself overflowed:
    # a scaled F has the same iterates and no warning
    F = lambda x: cnp.arctan(x - 1.0) * scale  # noqa: E731
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        x, info = newton_krylov(F, np.full(3, 4.0), tol=1e-12 * scale)
    assert info.converged and 5 <= info.newton_steps <= 8
    np.testing.assert_allclose(x, 1.0, rtol=0, atol=1e-12)


def test_newton_krylov_non_convergence_reported():
    F = lambda x: x ** 2 + 1.0  # noqa: E731   (no real root)
    with pytest.raises(NoConvergence) as e:
        newton_krylov(F, np.array([0.5, -1.0]), tol=1e-10, maxiter=30)
    assert "max|F|" in str(e.value) and e.value.info.converged is False
    assert e.value.info.residual >= 1.0 - 1e-12 and e.value.x is not None
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        x, info = newton_krylov(F, np.array([0.5]), tol=1e-10, maxiter=5, on_failure="warn")
    assert not info.converged and any("did not converge" in str(m.message) for m in w)


def test_newton_krylov_reaches_below_finite_difference_accuracy():
    F = bratu(6.0)
    x, info = newton_krylov(F, np.zeros((16, 16)), tol=1e-14)
    assert info.converged and np.abs(F(x)).max() <= 1e-14


def test_newton_krylov_square_check():
    with pytest.raises(ValueError, match="square"):
        newton_krylov(lambda x: cnp.sum(x), np.ones(3))


# ---- implicit differentiation ----------------------------------------------------------
def F_sys(x, a, B):
    return cnp.tanh(B @ x) + x ** 3 + x - a


def _params(n=5, seed=4):
    rng = _rng(seed)
    return rng.standard_normal(n) * 0.5, rng.standard_normal((n, n)) * 0.3


def _solve_np(a, B):
    x, _ = newton_krylov(lambda x: F_sys(x, a, B), np.zeros(a.size), tol=1e-14)
    return x


def test_root_solves():
    a, B = _params()
    x = root(F_sys, np.zeros(5), a, B, tol=1e-13)
    assert np.abs(F_sys(x, a, B)).max() <= 1e-13


def test_root_grad_matches_finite_differences():
    a, B = _params()
    w = np.arange(1.0, 6.0)

    def loss(a, B):
        x = root(F_sys, np.zeros(5), a, B, tol=1e-14)
        return cnp.sum(w * x ** 2)
    ga, gB = cr.grad(loss, argnums=(0, 1))(a, B)
    eps = 1e-6
    for k in range(5):
        e = np.zeros(5)
        e[k] = eps
        fd = (loss(a + e, B) - loss(a - e, B)) / (2 * eps)
        assert abs(ga[k] - fd) < 1e-7 * max(1, abs(fd))
    E = np.zeros((5, 5))
    E[1, 3] = eps
    fd = (loss(a, B + E) - loss(a, B - E)) / (2 * eps)
    assert abs(gB[1, 3] - fd) < 1e-7 * max(1, abs(fd))


def test_root_forward_mode_matches_finite_differences():
    a, B = _params()
    f = lambda a: root(F_sys, np.zeros(5), a, B, tol=1e-14)  # noqa: E731
    t = np.linspace(-1, 1, 5)
    x, tx = cr.jvp(f, (a,), (t,))
    eps = 1e-6
    fd = (_solve_np(a + eps * t, B) - _solve_np(a - eps * t, B)) / (2 * eps)
    np.testing.assert_allclose(tx, fd, rtol=1e-6, atol=1e-8)
    Jf = cr.jacfwd(f)(a)
    Jr = cr.jacrev(f)(a)
    np.testing.assert_allclose(Jf, Jr, rtol=1e-9, atol=1e-11)
    # dx/da = (∂F/∂x)⁻¹ exactly
    Jx = cr.jacobian(lambda x: F_sys(x, a, B))(x)
    np.testing.assert_allclose(Jr, np.linalg.inv(Jx), rtol=1e-9, atol=1e-11)


def test_root_hessian_matches_finite_difference_of_gradient():
    a, B = _params(3, seed=5)
    loss = lambda a: cnp.sum(cnp.sin(root(F_sys, np.zeros(3), a, B, tol=1e-14)))  # noqa: E731
    H = cr.hessian(loss)(a)
    g = cr.grad(loss)
    eps = 1e-5
    fd = np.stack([(g(a + eps * e) - g(a - eps * e)) / (2 * eps) for e in np.eye(3)], axis=1)
    np.testing.assert_allclose(H, fd, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(H, H.T, rtol=1e-8, atol=1e-10)


def test_fixed_point_matches_unrolled_iteration():
    rng = _rng(6)
    W = rng.standard_normal((4, 4)) * 0.2
    b0 = rng.standard_normal(4)

    def T(x, W, b):
        return cnp.tanh(W @ x + b)

    def unrolled(W, b):
        x = np.zeros(4)
        for _ in range(80):  # a contraction: 80 steps reach rounding level
            x = T(x, W, b)
        return cnp.sum(x * cnp.arange(1.0, 5.0))

    def implicit(W, b, method):
        x = fixed_point(T, np.zeros(4), W, b, tol=1e-14, method=method)
        return cnp.sum(x * cnp.arange(1.0, 5.0))
    gW_u, gb_u = cr.grad(unrolled, argnums=(0, 1))(W, b0)
    for method in ("newton", "iterate"):
        gW, gb = cr.grad(implicit, argnums=(0, 1))(W, b0, method)
        np.testing.assert_allclose(gW, gW_u, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(gb, gb_u, rtol=1e-10, atol=1e-12)
    # forward mode through the fixed point too
    _, t_imp = cr.jvp(lambda b: implicit(W, b, "iterate"), (b0,), (np.ones(4),))
    _, t_unr = cr.jvp(lambda b: unrolled(W, b), (b0,), (np.ones(4),))
    assert abs(t_imp - t_unr) < 1e-10


def test_fixed_point_iterate_non_convergence():
    with pytest.raises(NoConvergence, match="contraction"):
        fixed_point(lambda x, a: 2.0 * x + a, 1.0, 1.0, method="iterate", maxiter=50)


def test_root_bratu_parameter_gradient():
    N = 8

    def F(u, lam):
        h2 = 1.0 / (N + 1) ** 2
        up = cnp.pad(u, 1)
        return (4 * u - up[:-2, 1:-1] - up[2:, 1:-1] - up[1:-1, :-2] - up[1:-1, 2:]
                - h2 * lam * cnp.exp(u))

    def peak(lam):
        return cnp.max(root(F, np.zeros((N, N)), lam, tol=1e-14))
    g = cr.grad(peak)(5.0)
    eps = 1e-6
    fd = (peak(5.0 + eps) - peak(5.0 - eps)) / (2 * eps)
    assert abs(g - fd) < 1e-7 * abs(fd)


def test_root_with_integer_parameter():
    def F(x, a, power):
        return x ** power - a
    g = cr.grad(lambda a: root(F, 1.0, a, 3))(8.0)
    assert abs(g - 1.0 / 12.0) < 1e-12  # x = a^(1/3), dx/da = 1/(3 x^2)


def test_public_names():
    assert set(solvers.__all__) >= {"gmres", "newton_krylov", "root", "fixed_point"}


def test_gmres_on_a_singular_system_returns_the_least_squares_iterate():
    x, info = solvers.gmres(np.diag([1.0, 2.0, 0.0]), np.array([1.0, 1.0, 1.0]))
    assert not info.converged
    np.testing.assert_allclose(x, [1.0, 0.5, 0.0], atol=1e-12)
    assert info.residual <= 1.0 + 1e-12  # never worse than the best possible


def test_root_closing_over_a_differentiated_value_says_to_pass_it_as_parameter():
    import chainrule as cr
    with pytest.raises(TypeError, match="Pass it as a parameter"):
        cr.grad(lambda a: solvers.root(lambda x: x ** 3 - a, 1.0))(8.0)
    assert abs(cr.grad(lambda a: solvers.root(lambda x, a: x ** 3 - a, 1.0, a))(8.0)
               - 1.0 / 12.0) < 1e-10


# ---- trivial problems, caller's arrays untouched, non-finite input (issue 10, items 1, 11) ----
def _frozen(*arrays):
    """Copies to compare against, and the originals made read-only: a write raises."""
    saved = [np.array(a, copy=True) for a in arrays]
    for a in arrays:
        a.flags.writeable = False
    return saved


def _unchanged(arrays, saved):
    for a, s in zip(arrays, saved):
        np.testing.assert_array_equal(a, s)


def test_gmres_identity_returning_its_input():
    b = np.array([1.0, 2.0, 3.0])
    saved = [b.copy()]
    x, info = cr.solvers.gmres(lambda v: v, b)
    assert info.converged and x.tolist() == [1.0, 2.0, 3.0]
    _unchanged([b], saved)
    assert not np.shares_memory(x, b)


def test_gmres_matvec_returning_a_kept_array_and_read_only_inputs():
    # the operator returns the same buffer each time (a cache): gmres must copy it
    d = np.array([2.0, 3.0, 5.0, 7.0])
    buf = np.empty(4)

    def matvec(v):
        np.multiply(d, v, out=buf)
        return buf
    b, x0 = np.array([1.0, 1.0, 1.0, 1.0]), np.array([0.5, 0.0, 0.0, 0.0])
    saved = _frozen(b, x0)
    x, info = cr.solvers.gmres(matvec, b, x0=x0)
    assert info.converged
    np.testing.assert_allclose(x, 1.0 / d, rtol=1e-12)
    _unchanged([b, x0], saved)


def test_gmres_with_linearize_and_jvp_tangents():
    A = np.array([[3.0, 1.0, 0.0], [0.0, 2.0, 1.0], [1.0, 0.0, 4.0]])
    b = np.array([1.0, -2.0, 0.5])
    saved = _frozen(b)
    _, jv = cr.linearize(lambda u: u, np.zeros(3))                     # J = identity
    x, info = cr.solvers.gmres(jv, b)
    assert info.converged and np.allclose(x, b)
    x, info = cr.solvers.gmres(lambda v: cr.jvp(lambda u: 2.0 * u[::-1], (np.ones(3),), (v,))[1], b)
    assert info.converged and np.allclose(x, b[::-1] / 2)
    x, info = cr.solvers.gmres(lambda v: cr.numpy.matmul(A, v), b)
    assert info.converged and np.allclose(x, np.linalg.solve(A, b))
    _unchanged([b], saved)


@pytest.mark.parametrize("F, x0, expect", [
    (lambda x: x - 1.0, np.zeros(2), [1.0, 1.0]),                              # identity Jacobian
    (lambda u: u[::-1] - np.array([1.0, 2.0, 3.0]), np.zeros(3), [3.0, 2.0, 1.0]),  # permutation
    (lambda u: np.array([1.0, 2.0, 4.0]) * u - 4.0, np.ones(3), [4.0, 2.0, 1.0]),   # diagonal
    (lambda x: x - 1.0, np.zeros(1), [1.0]),                                   # size 1
])
def test_newton_krylov_trivial_problems(F, x0, expect):
    saved = _frozen(x0)
    x, info = cr.solvers.newton_krylov(F, x0)
    assert info.converged and info.newton_steps <= 2
    np.testing.assert_allclose(x, expect, rtol=0, atol=1e-12)
    _unchanged([x0], saved)


def test_root_trivial_value_and_implicit_gradient():
    a = np.array([3.0, -2.0, 0.5])
    x0 = np.zeros(3)
    saved = _frozen(a, x0)
    x = cr.solvers.root(lambda x, a: x - a * a, x0, a)
    np.testing.assert_allclose(x, a * a, atol=1e-12)
    g = cr.grad(lambda a: cnp.sum(cr.solvers.root(lambda x, a: x - a * a, x0, a)))(a)
    np.testing.assert_allclose(g, 2 * a, rtol=1e-10)                          # d(a²)/da
    jac = cr.jacfwd(lambda a: cr.solvers.root(lambda x, a: x - a * a, x0, a))(a)
    np.testing.assert_allclose(jac, np.diag(2 * a), atol=1e-10)
    # scalar form, against the closed form
    assert cr.grad(lambda a: cr.solvers.root(lambda x, a: x - a * a, 0.0, a))(1.5) == \
        pytest.approx(3.0, rel=1e-12)
    _unchanged([a, x0], saved)


def test_fixed_point_trivial_leaves_x0_alone():
    x0 = np.zeros(2)
    saved = _frozen(x0)
    for method in ("newton", "iterate"):
        x = cr.solvers.fixed_point(lambda x, a: 0.5 * x + a, x0, np.array([1.0, 2.0]),
                                   method=method)
        np.testing.assert_allclose(x, [2.0, 4.0], atol=1e-9)
    _unchanged([x0], saved)


def test_size_zero_problems_are_solved_at_once():
    x, info = cr.solvers.gmres(lambda v: v, np.zeros(0))
    assert x.shape == (0,) and info.converged and info.iterations == 0
    x, info = cr.solvers.newton_krylov(lambda x: x - 1.0, np.zeros(0))
    assert x.shape == (0,) and info.converged and info.newton_steps == 0


def test_zero_right_hand_side_is_zero_without_a_matvec():
    calls = []
    b = np.zeros(3)
    x, info = cr.solvers.gmres(lambda v: calls.append(1) or 2.0 * v, b)
    assert info.converged and x.tolist() == [0.0, 0.0, 0.0] and not calls
    assert not np.shares_memory(x, b)
    x, info = cr.solvers.newton_krylov(lambda x: 3.0 * x, np.zeros(2))
    assert info.converged and info.newton_steps == 0 and x.tolist() == [0.0, 0.0]


def test_float32_inputs():
    b = np.array([1.0, 2.0, 3.0], np.float32)
    x, info = cr.solvers.gmres(lambda v: v, b)
    assert info.converged and np.allclose(x, b)
    x, info = cr.solvers.gmres(lambda v: np.float32(2.0) * v.astype(np.float32), b)
    assert info.converged and np.allclose(x, b / 2)
    x0 = np.zeros(2, np.float32)
    x, info = cr.solvers.newton_krylov(lambda x: x - 1.0, x0, tol=1e-6)
    assert info.converged and np.allclose(x, 1.0)
    assert x0.tolist() == [0.0, 0.0]


@pytest.mark.parametrize("kwargs, what", [
    (dict(matvec=lambda v: v, b=np.array([1.0, np.inf, 3.0])), "right-hand side b"),
    (dict(matvec=lambda v: v, b=np.array([1.0, np.nan])), "right-hand side b"),
    (dict(matvec=lambda v: v, b=np.ones(2), x0=np.array([np.nan, 0.0])), "initial guess x0"),
    (dict(matvec=lambda v: v * np.nan, b=np.ones(3)), "operator's output"),
    (dict(matvec=lambda v: np.where(v > 0.5, np.inf, v), b=np.ones(3)), "operator's output"),
    (dict(matvec=lambda v: v, b=np.ones(3), M=lambda v: v * np.nan), "preconditioner"),
])
def test_gmres_non_finite_is_a_clear_error_and_lapack_stays_silent(kwargs, what, capfd):
    with pytest.raises(ValueError, match=what) as e:
        cr.solvers.gmres(**kwargs)
    assert "not finite" in str(e.value)
    out, err = capfd.readouterr()
    assert out == "" and err == ""


def test_newton_krylov_non_finite_is_a_clear_error(capfd):
    with pytest.raises(ValueError, match="initial guess x0 is not finite"):
        cr.solvers.newton_krylov(lambda x: x - 1.0, np.array([np.nan, 1.0]))
    with np.errstate(all="ignore"):
        with pytest.raises(ValueError, match=r"F\(x0\) is not finite"):
            cr.solvers.newton_krylov(lambda x: cnp.log(x), np.array([-1.0, 1.0]))
        with pytest.raises(ValueError, match="Jacobian-vector product"):
            cr.solvers.newton_krylov(lambda x: cnp.sqrt(x) - 1.0, np.array([0.0, 1.0]))
    out, err = capfd.readouterr()
    assert "DLASCL" not in out + err and "SVD" not in out + err


def test_newton_krylov_inner_solves_are_one_augmented_cycle_by_default():
    F = bratu(6.0)
    steps = []
    cb = lambda x, r: steps.append(r)  # noqa: E731
    x, info = newton_krylov(F, np.zeros((24, 24)), tol=1e-10, restart=8, recycle_k=3,
                            callback=cb)
    assert info.converged and np.abs(F(x)).max() <= 1e-10
    assert info.krylov_iterations <= info.newton_steps * (8 + 3)
    x_ref = dense_newton(F, np.zeros((24, 24)))
    np.testing.assert_allclose(x, x_ref, rtol=1e-8, atol=1e-10)
    # without recycling, GMRES(restart) restarts within a step (the cap is 300)
    x2, info2 = newton_krylov(F, np.zeros((24, 24)), tol=1e-10, restart=8, recycle_k=0)
    assert info2.converged and info2.krylov_iterations > info2.newton_steps * 8
    np.testing.assert_allclose(x2, x_ref, rtol=1e-8, atol=1e-10)


def test_newton_krylov_truncated_steps_are_not_stagnation_while_the_norm_falls():
    # one short cycle per step (restart 5 + 2): for a few steps max|F| grows while ||F||,
    # what the line search decreases, falls; it goes on and converges
    F = bratu(6.0)
    x, info = newton_krylov(F, np.zeros((48, 48)), tol=1e-8, restart=5, recycle_k=2,
                            maxiter=60)
    r = info.residuals
    assert any(min(r[k - 5:k]) >= 0.999 * r[k - 6] for k in range(6, len(r)))
    assert info.converged and np.abs(F(x)).max() <= 1e-8



def test_newton_krylov_ill_conditioned_steps_are_not_left_to_one_cycle():
    # 1-D Poisson with n = 600 (condition ~1e5): one cycle of 20 + 10 barely moves the
    # linear residual, and 50 Newton steps of it did not converge (it did in 4 before the
    # one-cycle default); after a step that barely helps, the solves may restart
    n = 600

    def F(u):
        up = cnp.pad(u, 1)
        return (up[2:] - 2.0 * up[1:-1] + up[:-2]) * (n + 1) ** 2 - u ** 3 + 1.0

    x, info = newton_krylov(F, np.zeros(n))
    assert info.converged and np.abs(F(x)).max() <= 1e-10
    assert info.newton_steps < 30


def test_gmres_norms_of_large_and_tiny_finite_vectors(capfd):
    # ||b|| of [1e308, 1e308] overflowed: the target was inf and x = 0 "converged"; a huge
    # operator reached LAPACK with inf in the Hessenberg matrix (DLASCL, LinAlgError)
    x, info = gmres(lambda v: v, np.array([1e308, 1e308]))
    assert info.converged and x.tolist() == [1e308, 1e308]
    x, info = gmres(lambda v: v * 1e308, np.full(2, 10.0))
    assert info.converged and np.allclose(x, 1e-307, rtol=1e-12, atol=0)
    x, info = gmres(lambda v: v, np.array([1e-320, -1e-320]))
    assert info.converged and x.tolist() == [1e-320, -1e-320]
    out, err = capfd.readouterr()
    assert "DLASCL" not in out + err


def test_newton_krylov_custom_inner_solver_needs_only_iterations():
    # the documented contract: info.iterations (no info.converged), even on slow steps
    from types import SimpleNamespace
    slow = lambda matvec, b, tol: (0.05 * b, SimpleNamespace(iterations=1))  # noqa: E731
    x, info = newton_krylov(lambda x: x - 1.0, np.zeros(3), inner=slow, maxiter=3,
                            line_search=False, on_failure="warn")
    assert not info.converged and info.newton_steps == 3
    np.testing.assert_allclose(x, 1.0 - 0.95 ** 3)


def test_solvers_inside_jit_run_eagerly_and_under_vmap_say_why_not():
    # root/fixed_point/gmres run on NumPy values: given jit's tracers they said "the
    # function closes over a value that is being differentiated" (root) or refused
    # tracers (gmres); jit now runs such a function eagerly, with one warning
    p0 = np.array([1.0, 2.0, 3.0])
    loss = lambda p: cnp.sum(root(lambda x, p: x ** 3 - p, np.ones(3), p) ** 2)  # noqa: E731
    for f in [lambda p: root(lambda x, p: x ** 3 - p, np.ones(3), p),
              lambda p: gmres(lambda v: 2.0 * v, p)[0], cr.grad(loss)]:
        jf = cr.jit(f)
        with pytest.warns(JitFallbackWarning, match="cannot be staged"):
            first = jf(p0)
        np.testing.assert_array_equal(first, f(p0))
        np.testing.assert_array_equal(jf(p0), f(p0))
    with pytest.raises(TypeError, match="cannot run under vmap"):
        cr.vmap(lambda p: root(lambda x, p: x ** 3 - p, np.ones(1), p))(np.ones((2, 1)))


def test_float32_guesses_give_float32_solutions_and_gradients():
    # the solve runs in float64 (tol=1e-10 is out of float32's reach), and the result comes
    # back in the guess's dtype: root, its derivatives, fixed_point and newton_krylov agree
    a = np.array([1.0, 8.0, 27.0], np.float32)
    x0 = np.ones(3, np.float32)
    F = lambda x, a: x ** 3 - a  # noqa: E731
    x = cr.solvers.root(F, x0, a)
    assert x.dtype == np.float32 and np.allclose(x, [1.0, 2.0, 3.0], rtol=1e-7)
    want = np.diag(1.0 / (3.0 * np.array([1.0, 2.0, 3.0]) ** 2))
    for jac in (cr.jacrev, cr.jacfwd):
        j = jac(lambda a: cr.solvers.root(F, x0, a))(a)
        assert j.dtype == np.float32
        np.testing.assert_allclose(j, want, rtol=1e-6, atol=1e-7)
    # float64 unchanged: float64 results, to float64 accuracy
    j64 = cr.jacrev(lambda a: cr.solvers.root(F, x0.astype(float), a))(a.astype(float))
    assert j64.dtype == np.float64
    np.testing.assert_allclose(j64, want, rtol=1e-10)
    T = lambda x, c: 0.5 * (x + c / x)  # noqa: E731  (Heron: x = sqrt(c))
    for method in ("newton", "iterate"):
        r = cr.solvers.fixed_point(T, x0, np.float32(2.0), method=method, tol=1e-6)
        assert r.dtype == np.float32 and np.allclose(r, np.sqrt(2.0), rtol=1e-6)
        g = cr.grad(lambda c: cnp.sum(cr.solvers.fixed_point(T, x0, c, method=method,
                                                             tol=1e-6)))(np.float32(2.0))
        assert np.asarray(g).dtype == np.float32 and np.isclose(g, 3 * 0.5 / np.sqrt(2.0))
    r, info = cr.solvers.newton_krylov(lambda d: {"u": d["u"] ** 3 - 8.0, "v": d["v"] - 1.0},
                                       {"u": np.ones(2, np.float32), "v": np.zeros(1)})
    assert r["u"].dtype == np.float32 and r["v"].dtype == np.float64
    r, info = cr.solvers.newton_krylov(lambda x: x ** 3 - 8.0, 1)  # an int guess: float64
    assert type(r) is np.float64 and np.isclose(r, 2.0)
    x, info = cr.solvers.gmres(lambda v: 2.0 * v, np.array([2.0, 4.0], np.float32))
    assert x.dtype == np.float32 and x.tolist() == [1.0, 2.0]
