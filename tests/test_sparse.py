"""scipy.sparse in differentiated programs: a constant sparse matrix (every format, sparse
arrays and matrix classes) times traced arrays, and chainrule.scipy.sparse.linalg's solves,
against the dense computation, closed forms and central differences (float64, both modes,
second order), vmap against a loop, jit's first call and replay."""
import warnings

import numpy as np
import pytest
import scipy.linalg
import scipy.sparse as sp
import scipy.sparse.linalg as ssl

import chainrule as cr
import chainrule.numpy as cnp
import chainrule.scipy.sparse as csp
import chainrule.scipy.sparse.linalg as cspl
from chainrule.primitives import sparse_linalg

RNG = np.random.default_rng(7)
DENSE = np.array([[2.0, 0.0, -1.0, 0.5], [0.0, 0.0, 0.0, 0.0], [0.3, 1.5, 0.0, 2.0]])
FORMATS = [f"{f}_{k}" for f in ("csr", "csc", "coo", "lil", "dok", "dia", "bsr")
           for k in ("array", "matrix")]
SQUARE = sp.diags([-1.0, 3.0, -0.5], [-1, 0, 1], shape=(5, 5), format="csc")
SPD = (SQUARE @ SQUARE.T + sp.eye(5)).tocsr()


def both_modes(f, x, expected, rtol=1e-13):
    """grad (reverse) and the Jacobian by forward mode agree with the closed form."""
    np.testing.assert_allclose(cr.grad(f)(x), expected, rtol=rtol, atol=1e-14)
    np.testing.assert_allclose(cr.jacfwd(f)(x), expected, rtol=rtol, atol=1e-14)


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_and_spelling_is_the_dense_product(fmt):
    A = getattr(sp, fmt)(DENSE)
    u, w = RNG.standard_normal(4), RNG.standard_normal(3)
    # d/du Σ w·(A u) = Aᵀw, d/dw Σ (w A)·u = A u, whatever the spelling
    both_modes(lambda u: (w * (A @ u)).sum(), u, DENSE.T @ w)
    both_modes(lambda u: (w * A.dot(u)).sum(), u, DENSE.T @ w)
    both_modes(lambda w: ((w @ A) * u).sum(), w, DENSE @ u)
    both_modes(lambda w: ((A.T @ w) * u).sum(), w, DENSE @ u)
    both_modes(lambda u: (w[:, None] * (A + u[:3, None])).sum(), u, np.r_[w * 4, 0.0])
    if fmt.endswith("_matrix"):   # the matrix classes: * is the matrix product
        both_modes(lambda u: (w * (A * u)).sum(), u, DENSE.T @ w)
        both_modes(lambda w: ((w * A) * u).sum(), w, DENSE @ u)
    else:                         # sparse arrays: elementwise, refused with the way out
        with pytest.raises(TypeError, match=r"A.toarray\(\) \* x"):
            cr.grad(lambda u: (A * u).sum())(u)
    assert type(cr.jvp(lambda u: A @ u, (u,), (u,))[1]) is np.ndarray


def test_matrices_both_sides_second_order_and_dot_product():
    A = sp.csr_array(DENSE)
    U, W = RNG.standard_normal((4, 2)), RNG.standard_normal((2, 3))
    f = lambda U: cnp.sin(A @ U)
    g = lambda W: cnp.tanh(W @ A)
    cr.check_grads(f, (U,), order=2, modes=("fwd", "rev"))
    cr.check_grads(g, (W,), order=2, modes=("fwd", "rev"))
    np.testing.assert_allclose(cr.jacrev(f)(U), cr.jacrev(lambda U: cnp.sin(DENSE @ U))(U),
                               rtol=1e-13)
    loss = lambda u: cnp.sum(cnp.sin(A @ u) ** 2)
    np.testing.assert_allclose(cr.hessian(loss)(U[:, 0]),
                               cr.hessian(lambda u: cnp.sum(cnp.sin(DENSE @ u) ** 2))(U[:, 0]),
                               rtol=1e-12, atol=1e-14)
    # ⟨v, J t⟩ = ⟨Jᵀ v, t⟩
    t, v = RNG.standard_normal((4, 2)), RNG.standard_normal((3, 2))
    jt = cr.jvp(f, (U,), (t,))[1]
    (jtv,) = cr.vjp(f, U)[1](v)
    np.testing.assert_allclose(np.sum(v * jt), np.sum(jtv * t), rtol=1e-12)


def test_vmap_is_the_loop_and_jit_replays():
    A = sp.csc_matrix(DENSE)
    X = RNG.standard_normal((6, 4))
    np.testing.assert_allclose(cr.vmap(lambda u: A @ u)(X), np.stack([DENSE @ x for x in X]),
                               rtol=1e-14)
    np.testing.assert_allclose(cr.vmap(lambda u: u @ A.T, in_axes=1, out_axes=1)(X.T),
                               DENSE @ X.T, rtol=1e-14)
    per_example = cr.vmap(cr.grad(lambda u: cnp.sum(cnp.sin(A @ u))))(X)
    np.testing.assert_allclose(per_example, [DENSE.T @ np.cos(DENSE @ x) for x in X],
                               rtol=1e-13)
    step = cr.jit(cr.grad(lambda u: cnp.sum(cnp.exp(A @ u))))
    for x in (X[0], X[1]):    # the first call traces, the second replays the program
        np.testing.assert_allclose(step(x), DENSE.T @ np.exp(DENSE @ x), rtol=1e-13)


def test_traced_nonzeros_csr_matmul():
    A = sp.random_array((5, 4), density=0.5, random_state=3, format="csr")
    d, x = A.data.copy(), RNG.standard_normal(4)
    f = lambda d, x: csp.csr_matmul(d, A.indices, A.indptr, x, A.shape)
    np.testing.assert_allclose(f(d, x), A @ x, rtol=1e-14)
    g = cr.grad(lambda d: (f(d, x) ** 2).sum())(d)   # 2·(Ax)[row]·x[col] at each nonzero
    rows = np.repeat(np.arange(5), np.diff(A.indptr))
    np.testing.assert_allclose(g, 2 * (A @ x)[rows] * x[A.indices], rtol=1e-13)
    cr.check_grads(lambda d, x: cnp.sin(f(d, x)), (d, x), order=2, modes=("fwd", "rev"))
    batch = np.stack([d, -2 * d, d ** 2])   # a batch of matrices: a block-diagonal product
    np.testing.assert_allclose(cr.vmap(lambda d: f(d, x))(batch),
                               [sp.csr_array((b, A.indices, A.indptr), A.shape) @ x for b in batch],
                               rtol=1e-14)
    with pytest.raises(ValueError, match="sorted"):
        csp.csr_matmul(np.ones(2), [1, 0], [0, 2], x[:2], (1, 2))


@pytest.mark.parametrize("fmt", ["csr_array", "coo_matrix", "dia_array"])
def test_a_matrix_changed_in_place_is_read_again(fmt):
    A = getattr(sp, fmt)(SQUARE.toarray())
    D = 2.0 * A.toarray()
    u = RNG.standard_normal(5)
    grad = cr.grad(lambda u: cnp.sum(cnp.sin(A @ u)))
    first = grad(u)
    np.testing.assert_allclose(grad(u), first, rtol=0)   # (read once, kept)
    A.data *= 2.0                                         # the user's in-place write
    np.testing.assert_allclose(grad(u), D.T @ np.cos(D @ u), rtol=1e-13)
    np.testing.assert_allclose(A @ u, D @ u, rtol=1e-14)


def test_complex_matrix_real_vector_stays_complex():
    Ac = sp.csr_array(DENSE + 1j * (DENSE != 0) * np.arange(4))
    u = RNG.standard_normal(4)
    tangent = cr.jvp(lambda u: Ac @ u, (u,), (np.ones(4),))[1]
    assert tangent.dtype == np.complex128
    np.testing.assert_allclose(tangent, Ac.toarray() @ np.ones(4), rtol=1e-14)
    # a real loss of a complex product: the real input's gradient is real (Re of Aᵀ·ḡ paired)
    Dc = Ac.toarray()
    g = cr.grad(lambda u: cnp.sum(cnp.abs(Ac @ u) ** 2))(u)
    assert g.dtype == np.float64
    np.testing.assert_allclose(g, 2 * np.real(Dc.conj().T @ (Dc @ u)), rtol=1e-13)
    with pytest.raises(TypeError, match="complex"):   # no silent complex→real cast
        cr.grad(lambda u: (Ac @ u).sum())(u)


def test_size_one_empty_and_refusals():
    both_modes(lambda u: (sp.csr_array([[2.0]]) @ u).sum(), np.ones(1), [2.0])
    assert cr.grad(lambda u: (sp.csr_array((0, 0)) @ u).sum())(np.zeros(0)).shape == (0,)
    np.testing.assert_array_equal(cr.grad(lambda u: (sp.csr_array((3, 2)) @ u).sum())(np.ones(2)),
                                  [0.0, 0.0])
    A = sp.csr_matrix(DENSE)
    for M in (A, sp.csr_array(DENSE)):                          # traced entries
        with pytest.raises(TypeError, match="csr_matmul"):
            cr.grad(lambda s: ((s * M) @ np.ones(4)).sum())(2.0)
    with pytest.raises(TypeError, match="chainrule.scipy.sparse.linalg"):
        cr.grad(lambda b: ssl.spsolve(SQUARE, b).sum())(np.ones(5))
    with pytest.raises(TypeError, match="csr_matmul"):   # SciPy's constructor, traced data
        cr.grad(lambda d: (sp.csr_array((d, [0, 1], [0, 1, 2])) @ np.ones(2)).sum())(np.ones(2))
    with pytest.raises(TypeError, match="chainrule.numpy.linalg.solve"):
        cr.grad(lambda a: cspl.spsolve(a, np.ones(2)).sum())(np.eye(2))
    with pytest.raises(ValueError, match="mismatch"):
        cr.grad(lambda u: (A @ u).sum())(np.ones(3))


def test_spsolve_closed_form_second_order_vmap_jit():
    D = SQUARE.toarray()
    b = RNG.standard_normal(5)
    np.testing.assert_allclose(cspl.spsolve(SQUARE, b), ssl.spsolve(SQUARE, b), rtol=1e-13)
    w = RNG.standard_normal(5)
    both_modes(lambda b: (w * cspl.spsolve(SQUARE, b)).sum(), b, np.linalg.solve(D.T, w))
    cr.check_grads(lambda b: cnp.sin(cspl.spsolve(SQUARE, b)), (b,), order=2,
                   modes=("fwd", "rev"))
    Bm = RNG.standard_normal((5, 3))
    np.testing.assert_allclose(cspl.spsolve(SQUARE, Bm), np.linalg.solve(D, Bm), rtol=1e-12)
    assert cspl.spsolve(SQUARE, Bm[:, :1]).shape == (5,)   # SciPy's vector for one column
    np.testing.assert_allclose(cr.vmap(lambda b: cspl.spsolve(SQUARE, b))(Bm.T),
                               np.linalg.solve(D, Bm).T, rtol=1e-12)
    jg = cr.jit(cr.grad(lambda b: cnp.sum(cspl.spsolve(SQUARE, b) ** 2)))
    for v in (b, w):
        np.testing.assert_allclose(jg(v), 2 * np.linalg.solve(D.T, np.linalg.solve(D, v)),
                                   rtol=1e-12)
    A32, b32 = SQUARE.astype(np.float32), b.astype(np.float32)   # SciPy's result types
    assert cspl.spsolve(A32, b32).dtype == ssl.spsolve(A32, b32).dtype == np.float32
    assert cr.grad(lambda b: cspl.spsolve(A32, b).sum())(b32).dtype == np.float32
    Ac = sp.csc_array(D + 0.5j * np.eye(5))   # complex matrix, real b: complex solution
    x = cspl.spsolve(Ac, b)
    assert x.dtype == np.complex128
    np.testing.assert_allclose(cr.jvp(lambda b: cspl.spsolve(Ac, b), (b,), (w,))[1],
                               np.linalg.solve(Ac.toarray(), w), rtol=1e-12)


def test_spsolve_singular_matches_scipy():
    A = sp.csc_array(np.array([[1.0, 2.0], [2.0, 4.0]]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = ssl.spsolve(A, np.ones(2))
        got = cspl.spsolve(A, np.ones(2))
    np.testing.assert_array_equal(np.isnan(got), np.isnan(expected))


def heat_implicit_euler(u0, steps=40, nu=0.4):
    """1-d heat equation u_t = u_xx, Dirichlet ends, implicit Euler: (I - ν·L) u⁺ = u."""
    n = u0.shape[0]
    L = csp.diags([1.0, -2.0, 1.0], [-1, 0, 1], shape=(n, n))
    M = (csp.identity(n) - nu * L).tocsc()
    u = u0
    for _ in range(steps):
        u = cspl.spsolve(M, u)
    return u


def test_pde_program_gradient_against_the_dense_computation(monkeypatch):
    n, steps, nu = 30, 40, 0.4
    x = np.linspace(0.0, 1.0, n)
    u0 = np.sin(np.pi * x) + 0.3 * np.sin(3 * np.pi * x)
    w = np.exp(-((x - 0.3) / 0.1) ** 2)              # the observation: a smooth window
    L = np.diag(-2.0 * np.ones(n)) + np.diag(np.ones(n - 1), 1) + np.diag(np.ones(n - 1), -1)
    Minv = np.linalg.inv(np.eye(n) - nu * L)
    # closed form: u_T = M⁻ᵏ u0, so d(w·u_T)/du0 = (M⁻ᵀ)ᵏ w
    expected = np.linalg.matrix_power(Minv.T, steps) @ w
    np.testing.assert_allclose(heat_implicit_euler(u0), np.linalg.matrix_power(Minv, steps) @ u0,
                               rtol=1e-10)
    factorisations = []
    splu = ssl.splu
    monkeypatch.setattr(ssl, "splu", lambda *a, **k: factorisations.append(1) or splu(*a, **k))
    loss = lambda u0: cnp.sum(w * heat_implicit_euler(u0, steps, nu))
    np.testing.assert_allclose(cr.grad(loss)(u0), expected, rtol=1e-9)
    assert len(factorisations) == 1   # one SuperLU factorisation for 40 solves and 40 rules
    np.testing.assert_allclose(cr.jvp(loss, (u0,), (w,))[1], expected @ w, rtol=1e-9)
    assert len(factorisations) == 2   # (the program builds a new matrix on each run)
    cr.check_grads(lambda u: heat_implicit_euler(u, 5, nu), (u0,), order=2, modes=("fwd", "rev"))
    # the matrix changed in place: a fresh factorisation, never stale factors
    M = (sp.identity(n) - nu * sp.diags([1.0, -2.0, 1.0], [-1, 0, 1], shape=(n, n))).tocsc()
    first = cspl.spsolve(M, u0)
    M.data *= 2.0
    np.testing.assert_allclose(cspl.spsolve(M, u0), first / 2.0, rtol=1e-12)


def test_expm_multiply_closed_form_and_grid():
    A = 0.3 * SQUARE
    E = scipy.linalg.expm(A.toarray())
    v, w = RNG.standard_normal(5), RNG.standard_normal(5)
    both_modes(lambda v: (w * cspl.expm_multiply(A, v)).sum(), v, E.T @ w, rtol=1e-10)
    cr.check_grads(lambda v: cnp.sin(cspl.expm_multiply(A, v)), (v,), order=2,
                   modes=("fwd", "rev"))
    ts = np.linspace(0.0, 2.0, 4)
    W = RNG.standard_normal((4, 5))
    grid = lambda v: cspl.expm_multiply(A, v, start=0.0, stop=2.0, num=4)
    np.testing.assert_allclose(grid(v), ssl.expm_multiply(A, v, start=0.0, stop=2.0, num=4))
    expected = sum(scipy.linalg.expm(t * A.toarray()).T @ W[i] for i, t in enumerate(ts))
    both_modes(lambda v: (W * grid(v)).sum(), v, expected, rtol=1e-10)
    V = RNG.standard_normal((3, 5))
    np.testing.assert_allclose(cr.vmap(grid)(V), np.stack([grid(x) for x in V]), rtol=1e-12)


@pytest.mark.parametrize("method", ["cg", "gmres", "bicgstab", "minres"])
def test_krylov_solvers_differentiate_the_solution(method):
    A = SPD if method in ("cg", "minres") else SQUARE
    D = A.toarray()
    solve = getattr(cspl, method)
    b, w = RNG.standard_normal(5), RNG.standard_normal(5)
    x, info = solve(A, b, rtol=1e-13)
    assert info == 0 and isinstance(info, int)
    np.testing.assert_allclose(x, np.linalg.solve(D, b), rtol=1e-10)
    both_grad = cr.grad(lambda b: (w * solve(A, b, rtol=1e-13)[0]).sum())(b)
    np.testing.assert_allclose(both_grad, np.linalg.solve(D.T, w), rtol=1e-9)
    np.testing.assert_allclose(cr.jvp(lambda b: solve(A, b, rtol=1e-13)[0], (b,), (w,))[1],
                               np.linalg.solve(D, w), rtol=1e-9)
    x0 = np.ones(5)   # the starting guess is the value's, not the derivative's
    np.testing.assert_allclose(cr.grad(lambda b: (w * solve(A, b, x0, rtol=1e-13)[0]).sum())(b),
                               np.linalg.solve(D.T, w), rtol=1e-9)


def test_krylov_with_a_linear_operator():
    op = cspl.aslinearoperator(SPD)
    plain = cspl.LinearOperator(SQUARE.shape, matvec=lambda v: SQUARE @ v, dtype=float)
    b, w = RNG.standard_normal(5), RNG.standard_normal(5)
    g = cr.grad(lambda b: (w * cspl.cg(op, b, rtol=1e-13)[0]).sum())(b)
    np.testing.assert_allclose(g, np.linalg.solve(SPD.toarray(), w), rtol=1e-9)
    t = cr.jvp(lambda b: cspl.gmres(plain, b, rtol=1e-13)[0], (b,), (w,))[1]
    np.testing.assert_allclose(t, np.linalg.solve(SQUARE.toarray(), w), rtol=1e-9)
    with pytest.raises(TypeError, match="rmatvec"):
        cr.grad(lambda b: cspl.gmres(plain, b, rtol=1e-13)[0].sum())(b)


def test_pass_through_names_are_scipys_objects():
    assert csp.csr_matrix is sp.csr_matrix and csp.kron is sp.kron
    assert cspl.LinearOperator is ssl.LinearOperator and cspl.norm is ssl.norm
    assert cspl.norm(SQUARE) == ssl.norm(SQUARE)
    with pytest.raises(AttributeError, match="not wrapped"):
        csp.no_such_function
