"""Rules that call NumPy directly on NumPy values (issue 14) give, bit for bit, what the
primitives' own path gives: values, dtypes and warnings, at NumPy's edges (huge values,
-inf rows, nan, complex, float32). The primitives' path is reached with an axis given as
a tuple, which the shortcuts leave to it, or under a tracer."""

import warnings

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp
import chainrule.scipy.special as csp
from chainrule.primitives import basic, linalg, special


def _cases():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((4, 5))
    edge = x.copy()
    edge[0] = -np.inf            # a row of -inf: log 0
    edge[1, 2] = np.nan          # nan propagates
    edge[2, 1] = np.inf          # +inf
    edge[3] = [1e300, 1e300, -1e300, 0.0, 5.0]  # huge: the shift keeps exp finite
    return {"f64": x, "f32": x.astype(np.float32), "edge": edge,
            "edge-f32": edge.astype(np.float32),
            "complex": x + 1j * rng.standard_normal((4, 5)),
            "cancel": np.array([[0.0, 1j * np.pi], [1.0, 2.0]]),
            "0-d": np.array(2.5), "1-d-f32": np.array([1.0, -np.inf, 3.0], np.float32),
            "all -inf": np.full((2, 3), -np.inf), "int": np.arange(6).reshape(2, 3)}


def _same(a, b):
    assert type(a) is type(b) and np.asarray(a).dtype == np.asarray(b).dtype
    np.testing.assert_array_equal(a, b)  # nan matches nan, -inf matches -inf
    assert np.shape(a) == np.shape(b)


def _run(f):
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        out = f()
    return out, sorted(str(x.message) for x in w)


@pytest.mark.parametrize("name", list(_cases()))
@pytest.mark.parametrize("axis, keepdims", [(1, False), (0, True), (-1, True), (None, False)])
def test_logsumexp_and_its_vjp_match_the_primitives(name, axis, keepdims):
    x = _cases()[name]
    if axis is not None and x.ndim <= (axis if axis >= 0 else -axis - 1):
        axis = None  # the 0-d and 1-d cases: over everything
    as_tuple = tuple(range(x.ndim)) if axis is None else (axis % x.ndim,)
    fast, fast_w = _run(lambda: special._logsumexp_impl(x, axis=axis, keepdims=keepdims))
    slow, slow_w = _run(lambda: special._logsumexp_impl(x, axis=as_tuple, keepdims=keepdims))
    _same(fast, slow)
    assert fast_w == slow_w
    g = np.linspace(0.5, 1.5, np.size(fast)).reshape(np.shape(fast)).astype(fast.dtype)
    for gi in (g, 1.0) if np.ndim(fast) == 0 else (g,):
        fast, fast_w = _run(lambda: special._logsumexp_vjp(gi, None, x, axis, keepdims))
        slow, slow_w = _run(lambda: special._logsumexp_vjp(gi, None, x, as_tuple, keepdims))
        _same(fast, slow)
        assert fast_w == slow_w


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.complex128])
@pytest.mark.parametrize("axis, keepdims", [(1, False), (0, True), (None, False), ((0, 1), True)])
def test_sum_and_its_vjp_match_numpy_and_the_primitives(dtype, axis, keepdims):
    x = (np.arange(12.0).reshape(3, 4) / 7).astype(dtype)
    _same(basic._sum_impl(x, axis=axis, keepdims=keepdims),
          np.sum(x, axis=axis, keepdims=keepdims))
    g = np.asarray(np.sum(x, axis=axis, keepdims=keepdims)) + 1
    g = g[()] if g.ndim == 0 else g
    fast = basic._sum_vjp(g, None, x, axis=axis, keepdims=keepdims)
    slow = basic.expand_reduced(g, x.shape, axis, keepdims)
    _same(fast, slow)
    assert not fast.flags.writeable  # a broadcast view, as broadcast_to's
    dropped = cr.core.vspace.Dropped(x.shape, x.dtype)  # a tape that kept only the shape
    _same(basic._sum_vjp(g, None, dropped, axis=axis, keepdims=keepdims), slow)


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.complex128])
def test_matmul_rules_match_the_general_path(dtype):
    rng = np.random.default_rng(0)
    a = rng.standard_normal((3, 4)).astype(dtype)
    b = rng.standard_normal((4, 2)).astype(dtype)
    g = rng.standard_normal((3, 2)).astype(dtype)
    _same(linalg._matmul_vjp_a(g, None, a, b), np.matmul(g, np.transpose(b)))
    _same(linalg._matmul_vjp_b(g, None, a, b), np.matmul(np.transpose(a), g))
    _same(linalg.mT(b), np.transpose(b))
    # A real operand of a complex product gets the real part of its cotangent.
    gc = g + 1j
    _same(linalg._matmul_vjp_a(gc, None, a.real, b), np.matmul(gc, b.T).real)


def test_second_order_through_the_rules_still_traces():
    # Under an outer transform the rules see tracers and record primitives, as before.
    x = np.array([[0.3, -1.2, 2.0], [1.0, 1.0, -np.inf]])
    w = np.array([[0.5, -0.25], [1.5, 0.75], [-1.0, 0.5]])

    def f(w):
        z = cnp.tanh(np.nan_to_num(x, neginf=-3.0) @ w)
        return cnp.sum(csp.logsumexp(z, axis=1)) + cnp.sum(z * z, axis=0)[1]

    h = cr.hessian(f)(w)
    eps = 1e-6
    num = np.zeros((3, 2, 3, 2))
    for i in np.ndindex(3, 2):
        d = np.zeros_like(w)
        d[i] = eps
        num[i] = (cr.grad(f)(w + d) - cr.grad(f)(w - d)) / (2 * eps)
    np.testing.assert_allclose(h, num.transpose(2, 3, 0, 1), rtol=1e-6, atol=1e-8)
