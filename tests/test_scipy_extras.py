"""chainrule.scipy.linalg, .signal and .integrate against SciPy's values, and the derivatives
that the generated rule tests (tests/test_rules.py) do not reach: odeint's gradient against
finite differences and against differentiating a fixed-step RK4 loop, the refusals."""

import numpy as np
import pytest
import scipy.integrate as si
import scipy.linalg as sl
import scipy.signal as ss

import chainrule as cr
import chainrule.numpy as cnp
import chainrule.scipy as csc
import chainrule.scipy.integrate as cint
import chainrule.scipy.linalg as csl
import chainrule.scipy.signal as csig

RNG = np.random.default_rng(20261204)


def _wellcond(n, complex_=False):
    a = 3.0 * np.eye(n) + 0.5 * RNG.standard_normal((n, n))
    return a + 0.3j * RNG.standard_normal((n, n)) if complex_ else a


def _spd(n):
    a = RNG.standard_normal((n, n))
    return a @ a.T + n * np.eye(n)


# ---- scipy.linalg ------------------------------------------------------------------------------
def test_namespaces_are_importable_from_chainrule_scipy():
    assert csc.linalg is csl and csc.signal is csig and csc.integrate is cint
    assert set(csl.__all__) >= {"solve_triangular", "cho_factor", "cho_solve", "lu_factor",
                                "lu_solve", "expm", "sqrtm", "eig", "eigvals", "cholesky", "solve",
                                "inv", "det", "eigh", "eigvalsh", "svd", "qr", "block_diag",
                                "toeplitz", "pinv", "lstsq", "norm", "lu", "logm", "polar",
                                "solve_sylvester", "solve_banded", "null_space"}
    with pytest.raises(AttributeError, match="chainrule.numpy.linalg.matrix_power"):
        csl.matrix_power
    with pytest.raises(AttributeError, match="not wrapped yet"):
        csl.no_such_decomposition


@pytest.mark.parametrize("complex_", [False, True])
@pytest.mark.parametrize("lower", [False, True])
@pytest.mark.parametrize("trans", [0, 1, 2, "N", "T", "C"])
@pytest.mark.parametrize("unit", [False, True])
def test_solve_triangular_matches_scipy(complex_, lower, trans, unit):
    a = _wellcond(4, complex_)
    for b in (RNG.standard_normal(4), RNG.standard_normal((4, 3))):
        np.testing.assert_allclose(csl.solve_triangular(a, b, trans, lower, unit),
                                   sl.solve_triangular(a, b, trans, lower, unit), rtol=1e-12)


def test_solve_triangular_reads_only_its_triangle():
    a = np.triu(_wellcond(3))
    g = cr.grad(lambda a: cnp.sum(csl.solve_triangular(a, np.ones(3))))(a + np.tril(np.ones((3, 3)), -1))
    assert np.all(np.tril(g, -1) == 0)
    g = cr.grad(lambda a: cnp.sum(csl.solve_triangular(a, np.ones(3), unit_diagonal=True)))(a)
    assert np.all(np.diag(g) == 0)


def test_solve_triangular_bad_arguments():
    with pytest.raises(ValueError, match="trans"):
        csl.solve_triangular(np.eye(2), np.ones(2), trans="X")
    with pytest.raises(ValueError, match="square"):
        csl.solve_triangular(np.ones((2, 3)), np.ones(2))
    with pytest.raises(ValueError, match="does not match"):
        csl.solve_triangular(np.eye(2), np.ones(3))


@pytest.mark.parametrize("lower", [False, True])
def test_cho_factor_and_solve_match_scipy(lower):
    a = _spd(4)
    c, low = csl.cho_factor(a, lower=lower)
    c2, low2 = sl.cho_factor(a, lower=lower)
    assert low == low2
    tri = np.tril if lower else np.triu
    np.testing.assert_allclose(c, tri(c2), rtol=1e-12)
    assert np.all((np.triu(c, 1) if lower else np.tril(c, -1)) == 0)
    b = RNG.standard_normal((4, 2))
    np.testing.assert_allclose(csl.cho_solve((c, low), b), sl.cho_solve((c2, low2), b), rtol=1e-12)


def test_cho_solve_gradient_in_the_matrix_is_solves():
    a, b = _spd(3), RNG.standard_normal(3)
    f = lambda a: cnp.sum(csl.cho_solve(csl.cho_factor(0.5 * (a + a.T)), b))
    g = cr.grad(lambda a: cnp.sum(cnp.linalg.solve(0.5 * (a + a.T), b)))(a)
    np.testing.assert_allclose(cr.grad(f)(a), g, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("lower", [False, True])
def test_cho_factor_and_solve_of_a_hermitian_matrix(lower):
    a = _spd(3) + 0.3j * (lambda m: m - m.T)(RNG.standard_normal((3, 3)))
    c, _ = csl.cho_factor(a, lower=lower)
    np.testing.assert_allclose(c, (np.tril if lower else np.triu)(sl.cho_factor(a, lower)[0]),
                               rtol=1e-12)
    b = RNG.standard_normal(3) + 1j * RNG.standard_normal(3)
    np.testing.assert_allclose(csl.cho_solve((c, lower), b), np.linalg.solve(a, b), rtol=1e-10)
    herm = lambda m: 0.5 * (m + cnp.conj(cnp.swapaxes(m, -1, -2)))
    cr.check_grads(lambda m, b: csl.cho_solve(csl.cho_factor(herm(m), lower), b), (a, b),
                   order=1, modes=("fwd", "rev"))


@pytest.mark.parametrize("complex_", [False, True])
def test_lu_factor_and_solve_match_scipy(complex_):
    a = RNG.standard_normal((5, 5)) + (1j * RNG.standard_normal((5, 5)) if complex_ else 0)
    lu, piv = csl.lu_factor(a)
    lu2, piv2 = sl.lu_factor(a)
    np.testing.assert_allclose(lu, lu2, rtol=1e-12)
    np.testing.assert_array_equal(piv, piv2)
    b = RNG.standard_normal((5, 2))
    for trans in (0, 1, 2):
        np.testing.assert_allclose(csl.lu_solve((lu, piv), b, trans),
                                   sl.lu_solve((lu2, piv2), b, trans), rtol=1e-10)


def test_lu_solve_gradient_matches_numpy_solve():
    a, b = _wellcond(4), RNG.standard_normal(4)
    via_lu = cr.grad(lambda a, b: cnp.sum(csl.lu_solve(csl.lu_factor(a), b) ** 2), argnums=(0, 1))
    via_solve = cr.grad(lambda a, b: cnp.sum(cnp.linalg.solve(a, b) ** 2), argnums=(0, 1))
    for x, y in zip(via_lu(a, b), via_solve(a, b)):
        np.testing.assert_allclose(x, y, rtol=1e-10)


def test_expm_matches_scipy_and_its_frechet_derivative():
    a, e = 0.5 * RNG.standard_normal((4, 4)), RNG.standard_normal((4, 4))
    np.testing.assert_allclose(csl.expm(a), sl.expm(a), rtol=1e-12)
    _, t = cr.jvp(csl.expm, (a,), (e,))
    np.testing.assert_allclose(t, sl.expm_frechet(a, e, compute_expm=False), rtol=1e-10)
    # VJP: the Fréchet derivative at Aᵀ applied to the cotangent
    g = cr.vjp(csl.expm, a)[1](e)[0]
    np.testing.assert_allclose(g, sl.expm_frechet(a.T, e, compute_expm=False), rtol=1e-10)
    stack = 0.3 * RNG.standard_normal((2, 3, 3))
    np.testing.assert_allclose(csl.expm(stack), sl.expm(stack), rtol=1e-12)
    np.testing.assert_allclose(csl.expm(np.zeros((0, 0))), np.zeros((0, 0)))


def test_sqrtm_matches_scipy_and_solves_the_sylvester_equation():
    a = _spd(4)
    s = csl.sqrtm(a)
    np.testing.assert_allclose(s, sl.sqrtm(a), rtol=1e-10)
    e = RNG.standard_normal((4, 4))
    _, ds = cr.jvp(csl.sqrtm, (a,), (e,))
    np.testing.assert_allclose(s @ ds + ds @ s, e, atol=1e-10)
    ac = _wellcond(3, complex_=True)
    np.testing.assert_allclose(csl.sqrtm(ac), sl.sqrtm(ac), rtol=1e-10)


@pytest.mark.parametrize("complex_", [False, True])
def test_generalized_eig_matches_scipy(complex_):
    a, b = _wellcond(4, complex_) - 3.0 * np.eye(4), _wellcond(4, complex_)
    for kw in [{}, {"left": True}, {"homogeneous_eigvals": True}]:
        ours, theirs = csl.eig(a, b, **kw), sl.eig(a, b, **kw)
        for o, t in zip(ours if isinstance(ours, tuple) else (ours,),
                        theirs if isinstance(theirs, tuple) else (theirs,)):
            assert o.dtype.kind == "c"
            np.testing.assert_array_equal(o, t)
    # SciPy 1.17 scales only the first left eigenvector to unit norm when right=False (its loop
    # runs over the absent vr's rows); chainrule's are all unit vectors, as with right=True.
    w, vl = csl.eig(a, b, left=True, right=False)
    np.testing.assert_array_equal(vl, sl.eig(a, b, left=True)[1])
    theirs = sl.eig(a, b, left=True, right=False)[1]
    np.testing.assert_allclose(vl, theirs / np.linalg.norm(theirs, axis=0), atol=1e-13)
    np.testing.assert_array_equal(csl.eigvals(a, b), sl.eigvals(a, b))
    # A singular b: an infinite eigenvalue, as SciPy's.
    b0 = np.diag([1.0, 2.0, 0.0])
    np.testing.assert_array_equal(csl.eigvals(np.eye(3) + np.triu(np.ones((3, 3)), 1), b0),
                                  sl.eigvals(np.eye(3) + np.triu(np.ones((3, 3)), 1), b0))


def test_generalized_eigenvalue_gradient_is_the_perturbation_formula():
    # dλ_j = w_jᴴ (dA − λ_j dB) v_j / (w_jᴴ B v_j): ∂Re λ_j/∂A = Re(conj(w_j) v_jᵀ) / s_j, …
    a, b = RNG.standard_normal((3, 3)), _wellcond(3)
    lam, vl, vr = sl.eig(a, b, left=True)
    for j in range(3):
        s = vl[:, j].conj() @ b @ vr[:, j]
        da = np.outer(vl[:, j].conj(), vr[:, j]) / s
        for part in (np.real, np.imag):
            ga, gb = cr.grad(lambda a, b: part(csl.eigvals(a, b)[j]), argnums=(0, 1))(a, b)
            np.testing.assert_allclose(ga, part(da), atol=1e-12)
            np.testing.assert_allclose(gb, part(-lam[j] * da), atol=1e-12)


def test_generalized_eig_refuses_what_scipy_refuses():
    a = np.ones((3, 3))
    for b, match in [(np.ones((3, 2)), "expected square matrix"),
                     (np.ones((2, 2)), "a and b must have the same shape"),
                     (np.full((3, 3), np.inf), "must not contain infs or NaNs")]:
        with pytest.raises(ValueError, match=match):
            sl.eig(a, b)
        with pytest.raises(ValueError, match=match):
            cr.grad(lambda b: cnp.real(csl.eigvals(a, b)).sum())(b)


def test_matrix_functions_refuse_non_square_input():
    for f in (csl.expm, csl.sqrtm):   # (lu_factor takes rectangular matrices, as SciPy's)
        with pytest.raises(ValueError, match="square"):
            f(np.ones((2, 3)))


# ---- scipy.signal ------------------------------------------------------------------------------
SHAPES = [((6,), (3,)), ((3,), (6,)), ((4,), (4,)), ((1,), (1,)), ((5, 4), (2, 3)),
          ((2, 3), (4, 5)), ((3, 4, 2), (2, 2, 2))]


@pytest.mark.parametrize("complex_", [False, True])
@pytest.mark.parametrize("mode", ["full", "same", "valid"])
@pytest.mark.parametrize("method", ["auto", "direct", "fft"])
@pytest.mark.parametrize("shapes", SHAPES, ids=str)
def test_convolve_and_correlate_match_scipy(complex_, mode, method, shapes):
    a, v = (RNG.standard_normal(s) + (1j * RNG.standard_normal(s) if complex_ else 0)
            for s in shapes)
    for ours, theirs in ((csig.convolve, ss.convolve), (csig.correlate, ss.correlate)):
        np.testing.assert_allclose(ours(a, v, mode, method), theirs(a, v, mode, method),
                                   rtol=1e-10, atol=1e-12)


def test_convolution_cotangent_is_a_correlation():
    a, v, g = RNG.standard_normal(7), RNG.standard_normal(3), RNG.standard_normal(9)
    ga, gv = cr.vjp(csig.convolve, a, v)[1](g)
    np.testing.assert_allclose(ga, ss.correlate(g, v, "valid"), rtol=1e-12)
    np.testing.assert_allclose(gv, ss.correlate(g, a, "valid"), rtol=1e-12)


def test_convolve_bad_arguments():
    with pytest.raises(ValueError, match="mode"):
        csig.convolve(np.ones(3), np.ones(2), "circular")
    with pytest.raises(ValueError, match="dimensionality"):
        csig.convolve(np.ones(3), np.ones((2, 2)))
    with pytest.raises(ValueError, match="valid"):
        csig.correlate(np.ones((3, 1)), np.ones((1, 3)), "valid")


def test_a_convolutional_layer_trains():
    image, target = RNG.standard_normal((6, 6)), RNG.standard_normal((4, 4))
    loss = lambda k: cnp.sum((cnp.tanh(csig.convolve(image, k, "valid")) - target) ** 2)
    k = 0.1 * RNG.standard_normal((3, 3))
    cr.check_grads(loss, (k,), order=2)
    before = loss(k)
    for _ in range(20):
        k = k - 0.01 * cr.grad(loss)(k)
    assert loss(k) < before


# ---- scipy.integrate.odeint --------------------------------------------------------------------
def _lotka_volterra(y, t, a, b):
    return cnp.stack([a * y[0] - b * y[0] * y[1], b * y[0] * y[1] - y[1]])


def _rk4(func, y0, ts, args, steps=400):
    out, y = [y0], y0
    for t0, t1 in zip(ts[:-1], ts[1:]):
        h = (t1 - t0) / steps
        t = t0
        for _ in range(steps):
            k1 = func(y, t, *args)
            k2 = func(y + 0.5 * h * k1, t + 0.5 * h, *args)
            k3 = func(y + 0.5 * h * k2, t + 0.5 * h, *args)
            k4 = func(y + h * k3, t + h, *args)
            y = y + h / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4)
            t = t + h
        out.append(y)
    return cnp.stack(out)


TS = np.array([0.0, 0.5, 1.0, 2.0])
Y0, ARGS = np.array([1.0, 0.5]), (1.2, 0.8)


def _loss(solve):
    w = np.arange(1.0, 1.0 + 2 * len(TS)).reshape(len(TS), 2)
    return lambda y0, a, b: cnp.sum(w * solve(_lotka_volterra, y0, TS, (a, b)))


def test_odeint_matches_scipy():
    ours = cint.odeint(_lotka_volterra, Y0, TS, ARGS)
    theirs = si.odeint(lambda y, t, a, b: [a * y[0] - b * y[0] * y[1], b * y[0] * y[1] - y[1]],
                       Y0, TS, ARGS)
    np.testing.assert_allclose(ours, theirs, rtol=1e-12)
    assert cint.odeint(lambda y, t: -y, np.ones((2, 3)), TS).shape == (4, 2, 3)
    # a number y0: SciPy's shape, (len(t), 1), which programs index as [:, 0]
    for y0 in (1.0, np.float64(1.0), np.array(1.0)):
        ours = cint.odeint(lambda y, t, k: -k * y, y0, TS, (0.5,))
        theirs = si.odeint(lambda y, t, k: -k * y, y0, TS, (0.5,))
        assert ours.shape == theirs.shape == (len(TS), 1)
        np.testing.assert_allclose(ours, theirs, rtol=1e-6)
    g = cr.grad(lambda k: cint.odeint(lambda y, t, k: -k * y, 1.0, TS, (k,))[:, 0][-1])(0.5)
    np.testing.assert_allclose(g, -TS[-1] * np.exp(-0.5 * TS[-1]), rtol=1e-6)


def test_odeint_gradient_matches_an_rk4_loop_and_finite_differences():
    adjoint = cr.grad(_loss(lambda f, y0, ts, args: cint.odeint(f, y0, ts, args, rtol=1e-11,
                                                                atol=1e-11)), argnums=(0, 1, 2))
    rk4 = cr.grad(_loss(_rk4), argnums=(0, 1, 2))
    for x, y in zip(adjoint(Y0, *ARGS), rk4(Y0, *ARGS)):
        np.testing.assert_allclose(x, y, rtol=1e-6)
    f = _loss(lambda f, y0, ts, args: cint.odeint(f, y0, ts, args, rtol=1e-11, atol=1e-11))
    cr.check_grads(f, (Y0,) + ARGS, order=1, modes=("fwd", "rev"))


def test_odeint_forward_mode_matches_reverse_mode():
    f = lambda y0, a: cint.odeint(_lotka_volterra, y0, TS, (a, 0.8), rtol=1e-11, atol=1e-11)
    jac_fwd = cr.jacfwd(f, argnums=(0, 1))(Y0, 1.2)
    jac_rev = cr.jacrev(f, argnums=(0, 1))(Y0, 1.2)
    for x, y in zip(jac_fwd, jac_rev):
        np.testing.assert_allclose(x, y, rtol=1e-6, atol=1e-9)


def test_odeint_gradient_in_the_time_points():
    # y = y0·exp(−k·t): dy(t₁)/dt₁ = −k·y(t₁); dy(t₁)/dt₀ = k·y(t₁)
    k = 0.7
    g = cr.grad(lambda t: cint.odeint(lambda y, s: -k * y, 2.0, t, rtol=1e-12, atol=1e-12)[1, 0])(
        np.array([0.3, 1.3]))
    y1 = 2.0 * np.exp(-k)
    np.testing.assert_allclose(g, [k * y1, -k * y1], rtol=1e-8)


def test_odeint_refuses_second_derivatives_and_complex_values():
    f = lambda k: cint.odeint(lambda y, t, k: -k * y, 1.0, TS, (k,))[-1, 0]
    assert float(cr.grad(f)(0.5)) < 0
    with pytest.raises(TypeError, match="first derivatives only"):
        cr.grad(cr.grad(f))(0.5)
    with pytest.raises(TypeError, match="complex"):
        cint.odeint(lambda y, t: -y, np.array([1.0 + 1j]), TS)
    with pytest.raises(TypeError, match="callable"):
        cint.odeint(3.0, 1.0, TS)


def test_odeint_under_vmap_matches_a_loop():
    f = lambda y0: cint.odeint(_lotka_volterra, y0, TS, ARGS)
    y0s = np.array([[1.0, 0.5], [0.8, 0.6], [1.1, 0.3]])
    np.testing.assert_allclose(cr.vmap(f)(y0s), np.stack([f(y) for y in y0s]), rtol=1e-12)
    g = cr.vmap(cr.grad(lambda y0: cnp.sum(f(y0))))(y0s)
    np.testing.assert_allclose(g, np.stack([cr.grad(lambda y0: cnp.sum(f(y0)))(y) for y in y0s]),
                               rtol=1e-12)


def test_autograd_programs_find_linalg_and_odeint():
    import chainrule.autograd as autograd
    import chainrule.autograd.numpy as anp
    from chainrule.autograd.scipy.integrate import odeint
    from chainrule.autograd.scipy.linalg import solve_triangular
    a = np.array([[2.0, 0.0], [1.0, 3.0]])
    g = autograd.grad(lambda b: anp.sum(solve_triangular(a, b, lower=True)))(np.ones(2))
    np.testing.assert_allclose(g, np.linalg.solve(np.tril(a).T, np.ones(2)))
    k_grad = autograd.grad(lambda k: odeint(lambda y, t, k: -k * y, 1.0, TS, (k,))[-1])(0.5)
    np.testing.assert_allclose(k_grad, -TS[-1] * np.exp(-0.5 * TS[-1]), rtol=1e-6)


def test_odeint_scalar_initial_value_has_scipys_shapes():
    # SciPy integrates np.ravel(y0): func sees shape (1,), the solution is (len(t), 1); programs
    # index it as sol[:, 0] (Kitchin's sensitivity post reads jacobian(...)[:, 0, 0]).
    seen = []
    rhs = lambda y, t, k: (seen.append(np.shape(y)), -k * y)[1]
    ours = cint.odeint(rhs, 1.0, TS, (0.5,))
    assert ours.shape == si.odeint(lambda y, t, k: -k * y, 1.0, TS, (0.5,)).shape == (len(TS), 1)
    assert set(seen) == {(1,)}
    np.testing.assert_allclose(ours[:, 0], np.exp(-0.5 * TS), rtol=1e-6)
    J = cr.jacobian(lambda k: cint.odeint(lambda y, t, k: -k * y, 1.0, TS, (k,)))(0.5)
    np.testing.assert_allclose(J[:, 0], -TS * np.exp(-0.5 * TS), rtol=1e-6)


def test_odeint_accepts_scipys_list_style_func():
    f = lambda y, t, k: [y[1], -k * y[0]]          # as written for scipy.integrate.odeint
    loss = lambda y0, k: cnp.sum(cint.odeint(f, y0, TS, (k,), rtol=1e-11, atol=1e-11) ** 2)
    np.testing.assert_allclose(cint.odeint(f, Y0, TS, (1.5,)), si.odeint(f, Y0, TS, (1.5,)),
                               rtol=1e-12)
    cr.check_grads(loss, (Y0, 1.5), order=1, modes=("fwd", "rev"))


# ---- SciPy's spellings of the dense routines (programs moved from scipy.linalg keep their calls) --
def _same(u, v, tol=1e-10):
    u, v = np.asarray(u), np.asarray(v)
    assert u.shape == v.shape and u.dtype == v.dtype, (u.shape, v.shape, u.dtype, v.dtype)
    np.testing.assert_allclose(u, v, rtol=tol, atol=tol)


@pytest.mark.parametrize("lower", [False, True])
def test_scipy_dense_routines_read_the_triangle_scipy_reads(lower):
    # cholesky defaults to the UPPER factor in SciPy (numpy.linalg's is lower): a port that
    # followed the old hint to chainrule.numpy.linalg.cholesky got the transpose, silently.
    a = RNG.standard_normal((4, 4))
    spd, spd_b = _spd(4), _spd(4)
    z = RNG.standard_normal((4, 4)) + 1j * RNG.standard_normal((4, 4))
    herm = z @ z.conj().T + 4 * np.eye(4)
    y, Y = RNG.standard_normal(4), RNG.standard_normal((4, 2))
    junk = np.triu(RNG.standard_normal((4, 4)), 1) if lower else np.tril(RNG.standard_normal((4, 4)), -1)
    for m in (spd, herm):
        _same(csl.cholesky(m, lower=lower), sl.cholesky(m, lower=lower))
    for assume in ("sym", "her", "pos"):   # the other triangle holds junk SciPy never reads
        _same(csl.solve(spd + junk, Y, assume_a=assume, lower=lower),
              sl.solve(spd + junk, Y, assume_a=assume, lower=lower))
    _same(csl.solve(herm + junk, y, assume_a="her", lower=lower),
          sl.solve(herm + junk, y, assume_a="her", lower=lower))
    _same(csl.solve(a, Y, transposed=True), sl.solve(a, Y, transposed=True))
    w, v = csl.eigh(spd, spd_b, lower=lower)
    w_ref, v_ref = sl.eigh(spd, spd_b, lower=lower)
    _same(w, w_ref)
    _same(np.abs(v), np.abs(v_ref))          # eigenvectors up to sign, Vᵀ·B·V = I
    _same(v.T @ spd_b @ v, np.eye(4))
    _same(csl.eigvalsh(herm, lower=lower), sl.eigvalsh(herm, lower=lower))
    # the derivative of the unread triangle is zero, as SciPy's function does not depend on it
    g = cr.grad(lambda m: csl.solve(m, y, assume_a="pos", lower=lower).sum())(spd + junk)
    assert np.all((np.triu(g, 1) if lower else np.tril(g, -1)) == 0)


def test_scipy_dense_routines_return_what_scipy_returns():
    a = RNG.standard_normal((4, 4))
    _same(csl.inv(a), sl.inv(a))
    _same(csl.det(a), sl.det(a))
    assert type(csl.det(a)) is type(sl.det(a))
    for m in (RNG.standard_normal((5, 3)), RNG.standard_normal((3, 5))):
        for full in (True, False):
            ours, ref = csl.svd(m, full_matrices=full), sl.svd(m, full_matrices=full)
            assert [x.shape for x in ours] == [x.shape for x in ref]
            _same(ours[1], ref[1])
        for mode in ("full", "economic", "r"):   # mode='r' is a 1-tuple holding the m×n R
            ours, ref = csl.qr(m, mode=mode), sl.qr(m, mode=mode)
            assert type(ours) is type(ref) and len(ours) == len(ref)
            for p, q in zip(ours, ref):
                _same(np.abs(p), np.abs(q))
    blocks = (np.eye(2, dtype=int), np.ones(2, dtype=np.float32), 3.0, np.ones((0, 2)))
    _same(csl.block_diag(*blocks), sl.block_diag(*blocks))
    _same(csl.block_diag(), sl.block_diag())
    for c, r in (([1.0, 2.0, 3.0], None), ([1 + 1j, 2.0, 3.0], None), (np.arange(3), np.arange(5.0))):
        _same(csl.toeplitz(c, r), sl.toeplitz(c, r))
    with pytest.raises(ValueError, match="assume_a='banded'"):
        csl.solve(a, a, assume_a="banded")
    with pytest.raises(NotImplementedError, match="subset_by_index"):
        csl.eigh(_spd(3), subset_by_index=[0, 1])
