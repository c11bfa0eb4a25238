"""jit's row scaling of a Jacobian's one-hot seed ((E * d) @ A as d[i] * A[i]) and the
hand-outs it no longer copies: the results are eager chainrule's byte for byte (the sign
of every zero, where the NaNs are), including the inputs where the rewrite gives way to
the matrix product."""

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp
from chainrule.interpreters.basis import basis_rows


def bytes_equal(a, b):
    a, b = np.asarray(a), np.asarray(b)
    assert (a.dtype, a.shape) == (b.dtype, b.shape)
    assert a.tobytes() == b.tobytes(), (a, b)


def awkward_vectors(k, rng, dtype=np.float64):
    """Vectors with the values where the row scaling and the product could differ."""
    base = rng.standard_normal(k).astype(dtype)
    yield base
    for value in (0.0, -0.0, np.inf, -np.inf, np.nan, 1e-300, -1e-310):
        v = base.copy()
        v[k // 2] = value
        yield v


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_basis_rows_is_the_product_byte_for_byte(dtype):
    rng = np.random.default_rng(0)
    k, n = 4, 5
    eye = np.eye(k, dtype=dtype)
    tiny = float(np.finfo(dtype).tiny)
    for a in awkward_vectors(k * n, rng, dtype):
        a = a.reshape(k, n)
        clean = np.isfinite(a).all() and a.all()
        a_low = float(np.abs(a).min()) if clean else None
        for d in awkward_vectors(k, rng, dtype):
            expected = (eye * d) @ a
            bytes_equal(basis_rows(d, a, eye), expected)
            if clean:
                bytes_equal(basis_rows(d, a, eye, a_low, tiny), expected)
            bytes_equal(basis_rows(d, a[:, 0].copy(), eye), (eye * d) @ a[:, 0])


def test_jit_jacrev_scales_rows_and_matches_eager():
    rng = np.random.default_rng(1)
    W = rng.standard_normal((3, 6))

    def f(v):
        return cnp.tanh(W @ v)
    jac = cr.jacrev(f)
    jj = cr.jit(jac)
    x = rng.standard_normal(6)
    source = jj.lower(x).source
    assert "basis_rows" in source and "matmul(t" not in source
    assert "own_staged" not in source  # the rows are new arrays: no copy, no check
    results = []
    for v in [x, 2 * x, 1e3 * x, np.full(6, np.nan), np.r_[np.inf, x[1:]], np.zeros(6)]:
        got = jj(v)
        bytes_equal(got, jac(v))
        assert got.flags.writeable and not np.shares_memory(got, W)
        results.append(got)
    assert not np.shares_memory(results[0], results[1])
    assert jj.trace_count == 1
    W[0, 0] = 0.0  # a zero in the constant: the products are checked instead
    bytes_equal(jj(x), jac(x))
    W[0, 0] = np.inf
    bytes_equal(jj(x), jac(x))
    assert jj.trace_count == 3


def test_a_matrix_argument_is_checked_at_every_call():
    jac = cr.jacrev(lambda v, M: cnp.sin(M @ v))
    jj = cr.jit(jac)
    rng = np.random.default_rng(2)
    x, M = rng.standard_normal(4), rng.standard_normal((3, 4))
    assert "basis_rows" in jj.lower(x, M).source
    for m in awkward_vectors(12, rng):
        bytes_equal(jj(x, m.reshape(3, 4)), jac(x, m.reshape(3, 4)))
    assert jj.trace_count == 1


def test_jacrev_of_a_pytree_of_outputs_hands_out_unshared_arrays():
    rng = np.random.default_rng(3)
    W = rng.standard_normal((2, 3))
    jac = cr.jacrev(lambda v: (cnp.tanh(W @ v), cnp.exp(W @ v)))
    jj = cr.jit(jac)
    x = rng.standard_normal(3)
    for _ in range(2):
        got = jj(x)
        for g, e in zip(got, jac(x)):
            bytes_equal(g, e)
        assert not np.shares_memory(got[0], got[1])


def test_a_seed_that_is_not_the_identity_is_left_as_a_product():
    rng = np.random.default_rng(4)
    W = rng.standard_normal((3, 5))
    E = np.eye(3)
    E[0, 1] = 1.0

    def f(v):
        return (E * cnp.tanh(v[:3])) @ W
    assert "basis_rows" not in cr.jit(f).lower(rng.standard_normal(5)).source


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # log of 0 and of negatives, as eager
def test_the_rules_nan_safe_product_keeps_its_zeros():
    # log's rule multiplies the seed NaN-safely: 0 * inf is 0 there, not NaN
    W = np.abs(np.random.default_rng(5).standard_normal((3, 4)))
    jac = cr.jacrev(lambda v: cnp.log(W @ v))
    jj = cr.jit(jac)
    assert "basis_rows" in jj.lower(np.ones(4)).source
    for v in (np.ones(4), -np.ones(4), np.zeros(4), np.array([1.0, np.nan, 0.0, 2.0])):
        bytes_equal(jj(v), jac(v))
    assert jj.trace_count == 1
