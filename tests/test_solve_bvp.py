"""chainrule.scipy.integrate.solve_bvp: SciPy's result, and derivatives by the implicit function
theorem checked against closed forms and central differences of SciPy's own solve_bvp."""
import warnings

import numpy as np
import pytest
import scipy.integrate as si

import chainrule as cr
import chainrule.numpy as cnp
import chainrule.scipy.integrate as ci


# ---- SciPy's docstring examples, unchanged but for the imports -----------------------------------
def _bratu(mod, lam=1.0, tol=0.001):
    def fun(x, y):
        return np.vstack((y[1], -lam * np.exp(y[0])))

    def bc(ya, yb):
        return np.array([ya[0], yb[0]])
    x = np.linspace(0, 1, 5)
    y_a = np.zeros((2, x.size))
    return mod.solve_bvp(fun, bc, x, y_a, tol=tol)


def test_plain_call_is_scipys_own():
    ours, theirs = _bratu(ci), _bratu(si)
    assert type(ours) is type(theirs) and type(ours.sol) is type(theirs.sol)
    for key in ("x", "y", "yp", "rms_residuals"):
        np.testing.assert_array_equal(ours[key], theirs[key])
    assert (ours.status, ours.niter, ours.message, ours.p) == \
        (theirs.status, theirs.niter, theirs.message, None)


def test_scipys_sturm_liouville_example_value_and_derivative():
    def solve(k, mod):
        def fun(x, y, p):
            return np.vstack((y[1], -p[0] ** 2 * y[0]))

        def bc(ya, yb, p):
            return (cnp if mod is ci else np).stack([ya[0], yb[0], ya[1] - k])
        x = np.linspace(0, 1, 5)
        y = np.zeros((2, x.size))
        y[0, 1] = 1
        y[0, 3] = -1
        return mod.solve_bvp(fun, bc, x, y, p=[6], tol=1e-6)
    res = solve(cr.stop_gradient(1.0) + 0.0, ci)
    ref = solve(1.0, si)
    np.testing.assert_allclose(res.p, ref.p, rtol=1e-13)
    np.testing.assert_allclose(res.y, ref.y, rtol=1e-12, atol=1e-14)
    # the eigenvalue does not depend on the slope k; the eigenfunction is proportional to it
    assert abs(float(cr.grad(lambda k: solve(k, ci).p[0])(1.0))) < 1e-10
    np.testing.assert_allclose(cr.jacfwd(lambda k: solve(k, ci).y)(1.0), ref.y, rtol=1e-8,
                               atol=1e-10)


# ---- closed forms -------------------------------------------------------------------------------
def _tip(k, a=0.0, b=1.0, m=30, tol=1e-8):
    """y'' = -k² y, y(a) = 0, y'(a) = 1: y(b) = sin(k (b − a))/k."""
    res = ci.solve_bvp(lambda x, y: cnp.vstack((y[1], -k * k * y[0])),
                       lambda ya, yb: cnp.stack([ya[0], ya[1] - 1.0]),
                       a + (b - a) * np.linspace(0.0, 1.0, m), np.zeros((2, m)), tol=tol)
    return res.y[0, -1]


def test_closed_form_first_and_second_order_both_modes():
    k = 1.5
    dk = np.cos(k) / k - np.sin(k) / k ** 2
    d2k = -np.sin(k) / k - 2 * np.cos(k) / k ** 2 + 2 * np.sin(k) / k ** 3
    assert abs(cr.grad(_tip)(k) - dk) < 1e-7
    assert abs(cr.jvp(_tip, (k,), (1.0,))[1] - dk) < 1e-7
    assert abs(cr.grad(cr.grad(_tip))(k) - d2k) < 1e-6
    assert abs(cr.jacfwd(cr.grad(_tip))(k) - d2k) < 1e-6


def test_the_ends_of_the_interval():
    k, a, b = 1.2, 0.1, 1.3
    ga, gb = cr.grad(lambda a, b: _tip(k, a, b), argnums=(0, 1))(a, b)
    assert abs(gb - np.cos(k * (b - a))) < 1e-7 and abs(ga + np.cos(k * (b - a))) < 1e-7
    # x itself: its ends move every node of the final mesh, its inside does not count
    xs = lambda b: ci.solve_bvp(lambda x, y: cnp.vstack((y[1], -y[0])),   # noqa: E731
                                lambda ya, yb: cnp.stack([ya[0], yb[0] - 1.0]),
                                b * np.linspace(0.0, 1.0, 6), np.zeros((2, 6))).x
    x1 = xs(1.0)
    np.testing.assert_allclose(cr.jacfwd(xs)(1.0), x1, rtol=1e-14)
    np.testing.assert_allclose(cr.jacrev(xs)(1.0), x1, rtol=1e-14)


def test_sol_is_differentiable_in_the_solution_and_the_point():
    def f(k, t):
        res = ci.solve_bvp(lambda x, y: cnp.vstack((y[1], -k * k * y[0])),
                           lambda ya, yb: cnp.stack([ya[0], ya[1] - 1.0]),
                           np.linspace(0.0, 1.0, 30), np.zeros((2, 30)), tol=1e-8)
        return res.sol(t)[0]
    k, t = 1.5, 0.37
    assert abs(f(k, t) - np.sin(k * t) / k) < 1e-7
    gk, gt = cr.grad(f, argnums=(0, 1))(k, t)
    assert abs(gt - np.cos(k * t)) < 1e-6
    assert abs(gk - (t * np.cos(k * t) / k - np.sin(k * t) / k ** 2)) < 1e-6
    # the same interpolant as SciPy's sol, derivatives and extrapolation included
    ref = si.solve_bvp(lambda x, y: np.vstack((y[1], -k * k * y[0])),
                       lambda ya, yb: np.array([ya[0], ya[1] - 1.0]),
                       np.linspace(0.0, 1.0, 30), np.zeros((2, 30)), tol=1e-8)
    ours = ci.solve_bvp(lambda x, y: cnp.vstack((y[1], -cr.stop_gradient(k) * k * y[0])),
                        lambda ya, yb: cnp.stack([ya[0], ya[1] - 1.0]),
                        np.linspace(0.0, 1.0, 30), np.zeros((2, 30)), tol=1e-8)
    pts = np.array([[-0.2, 0.0, 0.5], [ref.x[7], 1.0, 1.4]])
    for nu in range(5):
        np.testing.assert_allclose(ours.sol(pts, nu), ref.sol(pts, nu), rtol=1e-10, atol=1e-12)
    assert ours.sol(0.5).shape == (2,)


# ---- central differences of SciPy's solve_bvp ---------------------------------------------------
def test_bratu_against_central_differences():
    def ours(lam):
        return _bratu_traced(lam).sol(np.array([0.3, 0.5]))[0]
    eps = 1e-5
    fd = (_bratu(si, 1.0 + eps, 1e-8).sol(np.array([0.3, 0.5]))[0] -
          _bratu(si, 1.0 - eps, 1e-8).sol(np.array([0.3, 0.5]))[0]) / (2 * eps)
    np.testing.assert_allclose(cr.jacfwd(ours)(1.0), fd, rtol=1e-6)
    np.testing.assert_allclose(cr.jacrev(ours)(1.0), fd, rtol=1e-6)


def _bratu_traced(lam):
    def fun(x, y):
        return np.vstack((y[1], -lam * np.exp(y[0])))
    x = np.linspace(0, 1, 5)
    return ci.solve_bvp(fun, lambda ya, yb: cnp.stack([ya[0], yb[0]]), x, np.zeros((2, 5)),
                        tol=1e-8)


def test_singular_term_and_unknown_parameter_against_central_differences():
    # Emden's equation y'' + (2/x) y' = -y⁵ (S = [[0, 0], [0, -2]]), y'(0) = 0, y(1) = c
    S = np.array([[0.0, 0.0], [0.0, -2.0]])

    def solve(c, mod):
        stack = cnp.stack if mod is ci else np.array
        return mod.solve_bvp(lambda x, y: (cnp if mod is ci else np).vstack(
            (y[1], -y[0] ** 5)), lambda ya, yb: stack([ya[1], yb[0] - c]),
            np.linspace(0.0, 1.0, 10), np.vstack([np.ones(10), np.zeros(10)]), S=S, tol=1e-8)
    c = np.sqrt(3.0 / 4.0)
    res = solve(c + 0.0 * cr.stop_gradient(1.0), ci)
    np.testing.assert_allclose(res.y[0], (1 + res.x ** 2 / 3) ** -0.5, rtol=1e-6)
    eps = 1e-6
    fd = (solve(c + eps, si).y[0, 0] - solve(c - eps, si).y[0, 0]) / (2 * eps)
    assert abs(cr.grad(lambda c: solve(c, ci).y[0, 0])(c) - fd) < 1e-6 * abs(fd)
    assert abs(cr.jvp(lambda c: solve(c, ci).y[0, 0], (c,), (1.0,))[1] - fd) < 1e-6 * abs(fd)


# ---- transforms, inputs and refusals ------------------------------------------------------------
def _fixed_mesh(k):
    res = ci.solve_bvp(lambda x, y: [y[1], -k * y[0]],    # (a list of rows, as SciPy allows)
                       lambda ya, yb: cnp.stack([ya[0], yb[0] - 1.0]),
                       np.linspace(0.0, 1.0, 6), np.zeros((2, 6)), tol=1e-12, max_nodes=6)
    return res.y[0]


def test_vmap_and_jit_on_a_fixed_mesh():
    ks = np.array([1.0, 1.5, 2.0])
    np.testing.assert_allclose(cr.vmap(_fixed_mesh)(ks), np.stack([_fixed_mesh(k) for k in ks]),
                               rtol=1e-12)
    g = cr.vmap(cr.grad(lambda k: _fixed_mesh(k)[2]))(ks)
    np.testing.assert_allclose(g, [cr.grad(lambda k: _fixed_mesh(k)[2])(k) for k in ks],
                               rtol=1e-12)
    jf = cr.jit(cr.grad(lambda k: _fixed_mesh(k)[2]))
    assert jf(1.5) == jf(1.5) == cr.grad(lambda k: _fixed_mesh(k)[2])(1.5)


def test_vmap_with_meshes_of_different_sizes_says_so():
    with pytest.raises(ValueError, match="final meshes differ in size"):
        cr.vmap(lambda k: _tip(k, m=5, tol=1e-6))(np.array([0.5, 8.0]))


def test_float32_size_one_and_the_guess():
    g = cr.grad(lambda k: _tip(k, m=30))(np.float32(1.5))
    assert abs(g - (np.cos(1.5) / 1.5 - np.sin(1.5) / 1.5 ** 2)) < 1e-6
    # the guess does not change the solution: its derivative is zero
    guess = lambda s: ci.solve_bvp(lambda x, y: cnp.vstack((y[1], -y[0])),   # noqa: E731
                                   lambda ya, yb: cnp.stack([ya[0], yb[0] - 1.0]),
                                   np.linspace(0.0, 1.0, 8), s * np.ones((2, 8))).y
    assert np.all(cr.jacfwd(guess)(0.5) == 0) and np.all(cr.jacrev(guess)(0.5) == 0)
    assert not np.shares_memory(guess(0.5), np.ones(1))


_HOLDER = {}


def reads_a_global(x, y):
    return cnp.vstack((y[1], -_HOLDER["k"] * y[0]))


def test_refusals_say_what_to_do():
    with pytest.raises(TypeError, match="tolerances go to SciPy"):
        cr.grad(lambda t: _tip(1.0, tol=t))(1e-6)
    with pytest.raises(TypeError, match="complex"):
        cr.grad(lambda k: cnp.real(ci.solve_bvp(
            lambda x, y: cnp.vstack((y[1], -k * y[0])), lambda ya, yb: cnp.stack([ya[0], yb[0]]),
            np.linspace(0, 1, 4), np.zeros((2, 4), complex)).y[0, 1]))(1.0 + 0j)
    def f(k):
        _HOLDER["k"] = k
        return ci.solve_bvp(reads_a_global, lambda ya, yb: cnp.stack([ya[0], yb[0] - 1.0]),
                            np.linspace(0, 1, 4) + 0.0 * k, np.zeros((2, 4))).y[0, 1]
    with pytest.raises(TypeError, match="global"):
        cr.grad(f)(1.0)
    with pytest.raises(ValueError, match="cannot be negative"):
        cr.grad(lambda lam: _bratu_traced(lam).sol(0.5, nu=-1)[0])(1.0)


def test_a_singular_collocation_system_is_refused():
    # one boundary condition given twice: a family of solutions, no derivative
    def f(c):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = ci.solve_bvp(lambda x, y: cnp.vstack((y[1], -c * y[0])),
                               lambda ya, yb: cnp.stack([ya[0] - 1.0, ya[0] - 1.0]),
                               np.linspace(0, 1, 3), np.ones((2, 3)), max_nodes=3)
        assert res.status == 2
        return res.y[0, 1]
    with pytest.raises(np.linalg.LinAlgError, match="singular"):
        cr.grad(f)(1.0)


def test_a_nan_parameter_gives_nan():
    def f(k):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ci.solve_bvp(lambda x, y: cnp.vstack((y[1], -k * y[0])),
                                lambda ya, yb: cnp.stack([ya[0], yb[0] - 1.0]),
                                np.linspace(0, 1, 5), np.zeros((2, 5))).y[0, 2]
    assert np.isnan(cr.grad(f)(np.nan))


def test_scipys_examples_with_chainrule_numpy_as_np():
    # SciPy's docstring examples, `import chainrule.numpy as np` and chainrule's solve_bvp,
    # then differentiated in a value the boundary condition closes over
    np_ = cnp

    def fun(x, y, p):
        k = p[0]
        return np_.vstack((y[1], -k**2 * y[0]))

    x = np_.linspace(0, 1, 5)
    y = np_.zeros((2, x.size))
    y[0, 1] = 1
    y[0, 3] = -1

    def eigenvalue(c):
        def bc(ya, yb, p):
            k = p[0]
            return np_.array([ya[0], yb[0], ya[1] - c * k])
        return ci.solve_bvp(fun, bc, x, y, p=[6], tol=1e-8).p[0]
    assert abs(eigenvalue(1.0) - 2 * np.pi) < 1e-6
    assert abs(cr.grad(eigenvalue)(1.0)) < 1e-10

    def bratu_fun(x, y):
        return np_.vstack((y[1], -np_.exp(y[0])))

    def bratu_bc(ya, yb):
        return np_.array([ya[0], yb[0]])
    ours = ci.solve_bvp(bratu_fun, bratu_bc, x, np_.zeros((2, x.size)))
    theirs = _bratu(si)
    np.testing.assert_array_equal(ours.sol(np.linspace(0, 1, 7)), theirs.sol(np.linspace(0, 1, 7)))
