"""scipy.linalg's breadth beyond the rule specs: the value-only functions (SciPy's values, a
refused derivative in both modes, vmap against a loop), SciPy's ``check_finite``, closed-form
derivatives of the matrix equations and functions, and the edge cases a user tries first.
(tests/test_rules.py and tests/test_values.py check every differentiable name's derivatives
and values, generated from its spec.)"""

import numpy as np
import pytest
import scipy.linalg
import scipy.ndimage
import scipy.special as scipy_special
import scipy.stats

import chainrule as cr
import chainrule.numpy as cnp
import chainrule.scipy.linalg as csl
import chainrule.scipy.ndimage as cndi
import chainrule.scipy.special as csp
import chainrule.scipy.stats as cst
from chainrule.core import registry

from test_rules import VALUE_ONLY

RNG = np.random.default_rng(7)
A = 3.0 * np.eye(3) + 0.5 * RNG.standard_normal((3, 3))


def _leaves(x):
    return cr.tree.flatten(x)[0]


_VALUE_ONLY_NAMESPACES = (registry.SCIPY_LINALG, registry.SPECIAL, registry.NDIMAGE,
                          registry.STATS)


def test_every_value_only_name_has_a_case():
    for module in _VALUE_ONLY_NAMESPACES:
        wanted = {f"{module}.{n}" for n, e in registry.entries(module).items()
                  if e.kind == registry.VALUE_ONLY}
        assert wanted <= {name for name, *_ in VALUE_ONLY}
    for module in registry.NAMESPACES:
        if module not in _VALUE_ONLY_NAMESPACES:
            assert not [n for n, e in registry.entries(module).items()
                        if e.kind == registry.VALUE_ONLY]


def _pair(name):
    """chainrule's function and SciPy's of the same name."""
    if name.startswith(registry.STATS + "."):   # (dotted: a distribution's method)
        ours, theirs = cst, scipy.stats
        for part in name[len(registry.STATS) + 1:].split("."):
            ours, theirs = getattr(ours, part), getattr(theirs, part)
        return ours, theirs
    module, short = name.rsplit(".", 1)
    if module == registry.SPECIAL:
        return getattr(csp, short), getattr(scipy_special, short)
    if module == registry.NDIMAGE:
        return getattr(cndi, short), getattr(scipy.ndimage, short)
    return getattr(csl, short), getattr(scipy.linalg, short)


@pytest.mark.parametrize("name,label,call,makers", VALUE_ONLY,
                         ids=[f"{n.rsplit('.', 1)[1]}-{label}" for n, label, *_ in VALUE_ONLY])
def test_value_only_gives_scipys_value_and_refuses_derivatives(name, label, call, makers):
    ours_fn, scipy_fn = _pair(name)
    rng = np.random.default_rng(len(label))
    args = tuple(m(rng) for m in makers)
    for x, y in zip(_leaves(call(ours_fn, *args)), _leaves(call(scipy_fn, *args))):
        assert np.asarray(x).dtype == np.asarray(y).dtype
        np.testing.assert_allclose(x, y, rtol=1e-12, atol=1e-14)

    def scalar(*a):
        return sum(cnp.sum(cnp.real(x)) for x in _leaves(call(ours_fn, *a))
                   if np.asarray(cr.stop_gradient(x)).dtype.kind in "fc")
    # (TypeError for the linear-algebra routines, UnsupportedDerivativeError, a
    # NotImplementedError, for SciPy's values without a closed-form derivative)
    with pytest.raises((TypeError, NotImplementedError), match="no derivative|not supported"):
        cr.grad(scalar)(*args)
    with pytest.raises((TypeError, NotImplementedError), match="no derivative|not supported"):
        cr.jvp(scalar, args, tuple(np.ones_like(a) for a in args))
    # the value under vmap is the loop's (the refusal is for derivatives only)
    batch = [np.stack([a, 2.0 * a]) for a in args]
    got = _leaves(cr.vmap(lambda *x: call(ours_fn, *x))(*batch))
    want = [_leaves(call(ours_fn, *[b[i] for b in batch])) for i in range(2)]
    for i, g in enumerate(got):
        np.testing.assert_allclose(g, np.stack([w[i] for w in want]), rtol=1e-12, atol=1e-14)


def test_lu_of_a_rectangular_matrix_is_scipys_and_differentiable():
    a = RNG.standard_normal((2, 3))
    for got, want in zip(csl.lu(a), scipy.linalg.lu(a)):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-14)
    # u[1, 2] of a 2×3 matrix without pivoting (|a00| ≥ |a10|): a12 − a10·a02/a00
    a = np.array([[3.0, 1.0, 2.0], [1.0, 4.0, 5.0]])
    want = np.array([[1.0 * 2.0 / 9.0, 0.0, -1.0 / 3.0], [-2.0 / 3.0, 0.0, 1.0]])
    np.testing.assert_allclose(cr.grad(lambda a: csl.lu(a)[2][1, 2])(a), want, rtol=1e-12)


# ---- check_finite: SciPy raises ValueError on inf and nan, and so does chainrule ------------
_NAN = np.array([[1.0, np.nan], [0.0, 1.0]])
_INF = np.array([[np.inf, 0.0], [0.0, 1.0]])
_B = np.ones(2)
CHECKED = {
    "solve": lambda f, a: f(a, _B), "inv": lambda f, a: f(a), "det": lambda f, a: f(a),
    "cholesky": lambda f, a: f(a), "cho_factor": lambda f, a: f(a),
    "lu_factor": lambda f, a: f(a), "solve_triangular": lambda f, a: f(a, _B),
    "eigh": lambda f, a: f(a), "eigvalsh": lambda f, a: f(a), "svd": lambda f, a: f(a),
    "qr": lambda f, a: f(a), "eig": lambda f, a: f(a), "eigvals": lambda f, a: f(a),
    "pinv": lambda f, a: f(a), "lstsq": lambda f, a: f(a, _B), "norm": lambda f, a: f(a),
    "svdvals": lambda f, a: f(a), "lu": lambda f, a: f(a), "expm_frechet": lambda f, a: f(a, a),
    "solve_banded": lambda f, a: f((0, 1), a, _B), "solveh_banded": lambda f, a: f(a, _B),
    "cholesky_banded": lambda f, a: f(a), "null_space": lambda f, a: f(a),
    "schur": lambda f, a: f(a), "hessenberg": lambda f, a: f(a), "rq": lambda f, a: f(a),
    "ldl": lambda f, a: f(a), "eigvalsh_tridiagonal": lambda f, a: f(a[0], a[1, :1]),
    "solve_toeplitz": lambda f, a: f(a[0], _B),
}


@pytest.mark.parametrize("name", sorted(CHECKED))
def test_check_finite_raises_as_scipy(name):
    call = CHECKED[name]
    for bad in (_NAN, _INF):
        with pytest.raises(ValueError, match="infs or NaNs"):
            call(getattr(scipy.linalg, name), bad)
        with pytest.raises(ValueError, match="infs or NaNs"):
            call(getattr(csl, name), bad)
    # ... also when traced (the check reads the value under the tracer)
    with pytest.raises(ValueError, match="infs or NaNs"):
        cr.jvp(lambda a: call(getattr(csl, name), a), (_NAN,), (np.ones((2, 2)),))


def test_check_finite_false_lets_nan_through():
    assert np.isnan(csl.solve(_NAN, _B, check_finite=False)).all()
    assert np.isnan(csl.inv(_NAN, check_finite=False)).any()


# ---- closed forms -----------------------------------------------------------------------------
def test_sylvester_and_lyapunov_satisfy_their_equations_and_derivatives():
    b = 2.0 * np.eye(2) + 0.3 * RNG.standard_normal((2, 2))
    q = RNG.standard_normal((3, 2))
    x = csl.solve_sylvester(A, b, q)
    np.testing.assert_allclose(A @ x + x @ b, q, atol=1e-12)
    # d/dQ of <W, X> is the solution of the transposed equation with right-hand side W
    w = RNG.standard_normal((3, 2))
    g = cr.grad(lambda q: cnp.sum(w * csl.solve_sylvester(A, b, q)))(q)
    np.testing.assert_allclose(g, scipy.linalg.solve_sylvester(A.T, b.T, w), atol=1e-12)
    s = RNG.standard_normal((3, 3))
    a = 0.1 * A
    xd = csl.solve_discrete_lyapunov(a, s)
    np.testing.assert_allclose(a @ xd @ a.T - xd + s, 0.0, atol=1e-12)
    xc = csl.solve_continuous_lyapunov(A, s)
    np.testing.assert_allclose(A @ xc + xc @ A.T, s, atol=1e-12)


def test_matrix_functions_of_a_diagonal_matrix_are_elementwise():
    d = np.array([0.3, 0.7])
    for name, f, df in (("logm", np.log, lambda x: 1 / x), ("cosm", np.cos, lambda x: -np.sin(x)),
                        ("sinhm", np.sinh, np.cosh), ("tanm", np.tan, lambda x: 1 / np.cos(x) ** 2)):
        fn = getattr(csl, name)
        np.testing.assert_allclose(np.diag(fn(np.diag(d))), f(d), rtol=1e-13)
        g = cr.grad(lambda a: cnp.trace(fn(a)))(np.diag(d))
        np.testing.assert_allclose(np.diag(g), df(d), rtol=1e-10)
    g = cr.grad(lambda a: csl.fractional_matrix_power(a, 1.5)[1, 1])(np.diag(d))
    np.testing.assert_allclose(g[1, 1], 1.5 * 0.7 ** 0.5, rtol=1e-10)


def test_lu_reconstructs_and_lstsq_rank_deficient_is_minimum_norm():
    p, l, u = csl.lu(A)
    np.testing.assert_allclose(p @ l @ u, A, atol=1e-14)
    pi, l2, u2 = csl.lu(A, p_indices=True)
    np.testing.assert_allclose(l2[pi] @ u2, A, atol=1e-14)
    a = np.array([[1.0, 1.0], [1.0, 1.0], [0.0, 0.0]])
    x, res, rank, s = csl.lstsq(a, np.array([1.0, 3.0, 5.0]))
    np.testing.assert_allclose(x, [1.0, 1.0])
    assert rank == 1 and res.shape == (0,)


def test_size_one_and_float32():
    one = np.array([[2.0]])
    np.testing.assert_allclose(csl.logm(one), [[np.log(2.0)]])
    np.testing.assert_allclose(csl.solve_sylvester(one, one, one), [[0.5]])
    np.testing.assert_allclose(csl.circulant(np.array([5.0])), [[5.0]])
    assert csl.pinv(A.astype(np.float32)).dtype == np.float32
    assert csl.solve_discrete_lyapunov(one.astype(np.float32), one.astype(np.float32) * 0.1,
                                       ).dtype == np.float64   # as SciPy


def test_clear_errors():
    with pytest.raises(NotImplementedError, match="select"):
        csl.eigh_tridiagonal(np.ones(3), np.ones(2), select="v", select_range=(0, 1))
    with pytest.raises(ValueError, match="l\\+u\\+1"):
        csl.solve_banded((1, 1), np.ones((2, 3)), np.ones(3))
    with pytest.raises(TypeError, match="constant"):
        cr.grad(lambda t: csl.fractional_matrix_power(A, t).sum())(0.5)
    with pytest.raises(ValueError, match="hankel"):
        csl.hankel(np.ones((2, 2)))


def test_matrix_functions_of_a_stack_are_per_matrix():
    stack = np.stack([A, A.T + np.eye(3)])
    for name in ("logm", "cosm", "tanhm", "signm"):
        got = getattr(csl, name)(stack)
        np.testing.assert_allclose(got, [getattr(scipy.linalg, name)(m) for m in stack],
                                   rtol=1e-12, atol=1e-13)
    g = cr.grad(lambda s: cnp.sum(csl.logm(s)[1]))(stack)
    np.testing.assert_array_equal(g[0], 0.0)
    np.testing.assert_allclose(g[1], cr.grad(lambda a: cnp.sum(csl.logm(a)))(stack[1]))
