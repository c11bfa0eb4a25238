"""Tests for chainrule.checkpointing and cr.checkpoint (issue 4)."""

import functools
import math
import tracemalloc

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp
from chainrule.checkpointing import (checkpoint_sequential, sequential, checkpoint_schedule,
                                     memory_report, gnvp)


def _net(L, D=6, seed=0):
    rng = np.random.default_rng(seed)
    Ws = [rng.standard_normal((D, D)) / math.sqrt(D) for _ in range(L)]
    layers = [lambda x, W=W: x + cnp.tanh(x @ W) for W in Ws]
    return Ws, layers


def _player(W, x):
    return x + cnp.tanh(x @ W)


def _loss(f):
    return lambda x: cnp.sum(cnp.sin(f(x)) ** 2)


def _variants(layers, **kw):
    L = len(layers)
    out = [checkpoint_sequential(layers, **kw),  # ceil(sqrt(L)) segments
           checkpoint_sequential(layers, 1, **kw),
           checkpoint_sequential(layers, L, **kw)]
    for s in (2, 3):
        out.append(checkpoint_sequential(layers, s, **kw))
    for k in (1, 2, 3, L, L + 5):
        out.append(checkpoint_sequential(layers, budget=k, **kw))
    return out


# ---- cr.checkpoint (the core call primitive) -------------------------------------------------
def test_checkpoint_bitwise_and_composes():
    Ws, layers = _net(4)
    x = np.random.default_rng(1).standard_normal((3, 6))
    block = lambda x: layers[3](layers[2](layers[1](layers[0](x))))
    ck = cr.checkpoint(block)
    g0 = cr.grad(_loss(block))(x)
    assert np.array_equal(cr.grad(_loss(ck))(x), g0)
    # vjp, jvp
    u = np.ones((3, 6))
    assert np.array_equal(cr.vjp(ck, x)[1](u)[0], cr.vjp(block, x)[1](u)[0])
    t = np.random.default_rng(2).standard_normal((3, 6))
    assert np.array_equal(cr.jvp(ck, (x,), (t,))[1], cr.jvp(block, (x,), (t,))[1])
    # hessian, and nesting checkpoint inside checkpoint
    x1 = x[0]
    H0 = cr.hessian(_loss(block))(x1)
    np.testing.assert_allclose(cr.hessian(_loss(ck))(x1), H0, rtol=1e-12, atol=1e-13)
    inner = cr.checkpoint(lambda y: layers[1](layers[0](y)))
    nested = cr.checkpoint(lambda x: layers[3](layers[2](inner(x))))
    assert np.array_equal(cr.grad(_loss(nested))(x), g0)
    np.testing.assert_allclose(cr.hessian(_loss(nested))(x1), H0, rtol=1e-12, atol=1e-13)


def test_checkpoint_recomputes_once_for_all_arguments_and_not_eagerly():
    calls = []

    def block(W, x):
        calls.append(1)
        return _player(W, _player(W, x))

    ck = cr.checkpoint(block)
    W, x = np.eye(4) * 0.3, np.ones((2, 4))
    out, pb = cr.vjp(lambda W, x: cnp.sum(ck(W, x)), W, x)
    assert len(calls) == 1  # the forward pass runs it once, no eager recomputation
    gW, gx = pb(1.0)
    assert len(calls) == 2  # one recomputation for both arguments
    gW0, gx0 = cr.grad(lambda W, x: cnp.sum(block(W, x)), argnums=(0, 1))(W, x)
    assert np.array_equal(gW, gW0) and np.array_equal(gx, gx0)


# ---- checkpoint_sequential: gradients ---------------------------------------------------------
@pytest.mark.parametrize("L", [1, 2, 7, 10])
def test_sequential_gradients_bitwise_equal(L):
    Ws, layers = _net(L)
    x = np.random.default_rng(3).standard_normal((4, 6))
    g0 = cr.grad(_loss(sequential(layers)))(x)
    v0 = _loss(sequential(layers))(x)
    for f in _variants(layers):
        v, g = cr.value_and_grad(_loss(f))(x)
        assert v == v0, f
        assert np.array_equal(g, g0), f


@pytest.mark.parametrize("L", [1, 5, 9])
def test_parameter_gradients_bitwise_equal(L):
    Ws, _ = _net(L)
    x = np.random.default_rng(4).standard_normal((4, 6))
    lossp = lambda f: (lambda P, x: cnp.sum(cnp.sin(f(P, x)) ** 2))
    ref = sequential([_player] * L, with_params=True)
    gP0, gx0 = cr.grad(lossp(ref), argnums=(0, 1))(Ws, x)
    for f in _variants([_player] * L, with_params=True):
        gP, gx = cr.grad(lossp(f), argnums=(0, 1))(Ws, x)
        assert np.array_equal(gx, gx0), f
        assert all(np.array_equal(a, b) for a, b in zip(gP, gP0)), f


def test_pytree_params_and_state():
    L = 5
    rng = np.random.default_rng(5)
    params = [{"W": rng.standard_normal((3, 3)) / 2, "b": rng.standard_normal(3)} for _ in range(L)]

    def layer(p, s):
        h, c = s
        return (h + cnp.tanh(h @ p["W"] + p["b"]), c + cnp.sum(h))

    state = (rng.standard_normal(3), 0.0)
    def loss(f):
        def l(P, s):
            h, c = f(P, s)
            return cnp.sum(h ** 2) + c
        return l
    g0 = cr.grad(loss(sequential([layer] * L, with_params=True)), argnums=(0, 1))(params, state)
    for f in (checkpoint_sequential([layer] * L, with_params=True),
              checkpoint_sequential([layer] * L, budget=2, with_params=True)):
        g = cr.grad(loss(f), argnums=(0, 1))(params, state)
        for a, b in zip(cr.tree.flatten(g)[0], cr.tree.flatten(g0)[0]):
            assert np.array_equal(a, b)


def test_higher_order_and_forward_mode():
    Ws, layers = _net(6, D=3)
    x = np.random.default_rng(6).standard_normal(3)
    t = np.random.default_rng(7).standard_normal(3)
    ref = sequential(layers)
    H0 = cr.hessian(_loss(ref))(x)
    J0 = cr.jvp(ref, (x,), (t,))[1]
    for f in (checkpoint_sequential(layers), checkpoint_sequential(layers, budget=2),
              checkpoint_sequential(layers, budget=3)):
        np.testing.assert_allclose(cr.hessian(_loss(f))(x), H0, rtol=1e-12, atol=1e-13)
        np.testing.assert_allclose(cr.hvp(_loss(f), (x,), (t,))[0], H0 @ t, rtol=1e-12,
                                   atol=1e-13)
        assert np.array_equal(cr.jvp(f, (x,), (t,))[1], J0)
        # nesting: a checkpointed sequence inside cr.checkpoint, inside grad
        assert np.array_equal(cr.grad(_loss(cr.checkpoint(f)))(x), cr.grad(_loss(ref))(x))
        # the pullback can be called twice
        _, pb = cr.vjp(f, x)
        assert np.array_equal(pb(t)[0], pb(t)[0])


def test_hessian_wrt_parameters_through_budget_schedule():
    L = 4
    rng = np.random.default_rng(8)
    Ps = [rng.standard_normal((2, 2)) / 2 for _ in range(L)]
    x = rng.standard_normal(2)

    def loss(f):
        return lambda P0: cnp.sum(f([P0] + Ps[1:], x) ** 3)

    H0 = cr.hessian(loss(sequential([_player] * L, with_params=True)))(Ps[0])
    H = cr.hessian(loss(checkpoint_sequential([_player] * L, budget=2, with_params=True)))(Ps[0])
    np.testing.assert_allclose(H, H0, rtol=1e-12, atol=1e-13)


# ---- evaluation counts ---------------------------------------------------------------------
@functools.lru_cache(maxsize=None)
def _dp(l, c):
    """Griewank's minimal recomputation t(l, c) by brute-force dynamic programming."""
    if l == 1:
        return 0
    if c == 1:
        return l * (l - 1) // 2
    return min(j + _dp(l - j, c - 1) + _dp(j, c) for j in range(1, l))


def _formula(L, k):
    """Closed form t(l, c) = r l - C(c + r, c + 1), l = L + 1, c = k (see schedule.py)."""
    l, c = L + 1, k
    r = 0
    while math.comb(c + r, c) < l:
        r += 1
    return r * l - math.comb(c + r, c + 1)


@pytest.mark.parametrize("L", range(1, 13))
def test_budget_evaluation_counts(L):
    x = np.ones(2)
    for k in range(1, L + 2):
        plan = checkpoint_schedule(L, budget=k)
        assert plan.evaluations == _formula(L, k) == _dp(L + 1, k)
        f = checkpoint_sequential([cnp.sin] * L, budget=k)
        cr.grad(lambda x: cnp.sum(f(x)))(x)
        # measured: the plan's standalone evaluations plus one inside each layer's VJP
        assert f.calls == plan.evaluations + L


@pytest.mark.parametrize("L,s", [(1, 1), (9, 3), (10, None), (16, 4), (7, 7)])
def test_segment_evaluation_counts(L, s):
    f = checkpoint_sequential([cnp.sin] * L, s)
    out, pb = cr.vjp(f, np.ones(2))
    assert f.calls == L  # no recomputation in the forward pass
    pb(np.ones(2))
    s = s or (math.isqrt(L - 1) + 1 if L > 1 else 1)
    assert f.segments == s
    last = L - (s - 1) * -(-L // s)  # the last segment is recorded, not recomputed
    assert f.calls == 2 * L - last  # one recomputation of every other layer


# ---- memory, measured with tracemalloc ---------------------------------------------------------
def _resnet(L, B=128, D=64, seed=0):
    rng = np.random.default_rng(seed)
    Ws = [rng.standard_normal((D, D)) / math.sqrt(D) for _ in range(L)]
    return [lambda x, W=W: x + cnp.tanh(x @ W) for W in Ws], rng.standard_normal((B, D))


def test_memory_falls_as_predicted():
    reports = {}
    for L in (16, 64):
        layers, x = _resnet(L)
        state = x.nbytes
        r0 = memory_report(sequential(layers), x)
        per_layer = r0.residual_bytes / L  # measured record of one layer
        assert r0.residual_bytes >= L * state  # reverse mode stores O(L)
        s = math.isqrt(L - 1) + 1
        rs = memory_report(checkpoint_sequential(layers), x)
        m = -(-L // s)
        # the forward pass stores the s-1 boundaries after the input and the record of
        # the last segment (reversed first, so not recomputed)
        assert rs.residual_bytes <= 1.1 * ((s - 1) * state + m * per_layer) + 4096
        # peak: boundaries + one segment's record (+ a few working arrays: the lean tape
        # keeps one state per layer, so the forward pass's temporaries are not in per_layer)
        assert rs.peak_bytes <= 1.3 * (s * state + s * per_layer) + 12 * state
        assert rs.layer_evaluations == 2 * L - (L - (s - 1) * -(-L // s))
        for k in (4, 8):
            rk = memory_report(checkpoint_sequential(layers, budget=k), x)
            assert rk.residual_bytes <= (k - 1) * state * 1.1 + 4096
            assert rk.peak_bytes <= 1.3 * (k * state + per_layer) + 8 * state
            assert rk.layer_evaluations == checkpoint_schedule(L, budget=k).evaluations + L
            reports[L, k] = rk.peak_bytes
        reports[L] = (r0.peak_bytes, rs.peak_bytes)
    # O(L) vs O(sqrt L): 4x the depth is ~4x the memory without, ~2x with segments
    assert reports[64][0] > 3.5 * reports[16][0]
    assert reports[64][1] < 2.5 * reports[16][1]
    # (the lean tape keeps one state per layer, so segments save ~2x here, not the ~5x they
    # saved when every intermediate stayed on the tape)
    assert reports[64][0] > 2 * reports[64][1]
    # with a budget, memory does not grow with L
    assert reports[64, 4] < 1.2 * reports[16, 4]


def test_rosenbrock_hvp_memory_is_linear():
    def rosen(x):
        return cnp.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2)

    peaks = []
    for n in (50_000, 200_000):
        x, v = np.linspace(-1, 1, n), np.ones(n)
        tracemalloc.start()
        hv = cr.hvp(rosen, (x,), (v,))[0]
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        assert peaks[-1] < 40 * 8 * n  # a few dozen n-vectors, never n^2
    assert peaks[1] < 4.4 * peaks[0]
    # check against the exact tridiagonal Hessian on the last n
    xm, xp = x[:-1], x[1:]
    d = np.zeros(n)
    d[:-1] += 1200 * xm ** 2 - 400 * xp + 2
    d[1:] += 200
    off = -400 * xm
    expect = d * v
    expect[:-1] += off * v[1:]
    expect[1:] += off * v[:-1]
    np.testing.assert_allclose(hv, expect, rtol=1e-10, atol=1e-8)


# ---- Gauss-Newton ------------------------------------------------------------------------------
def test_gnvp_least_squares_and_general_loss():
    rng = np.random.default_rng(9)
    A = rng.standard_normal((5, 3))
    y = rng.standard_normal(5)
    f = lambda p: cnp.tanh(A @ p) - y
    p, v = rng.standard_normal(3), rng.standard_normal(3)
    J = cr.jacobian(f)(p)
    ls = lambda r: 0.5 * cnp.sum(r ** 2)
    np.testing.assert_allclose(gnvp(f, ls, p, v), J.T @ (J @ v), rtol=1e-12)
    soft = lambda r: cnp.sum(cnp.log(1 + cnp.exp(r)))
    Hl = cr.hessian(soft)(f(p))
    np.testing.assert_allclose(gnvp(f, soft, p, v), J.T @ Hl @ J @ v, rtol=1e-12)
    # pytree params
    fp = lambda P: cnp.tanh(A @ P["w"] + P["b"]) - y
    P = {"w": p, "b": 0.3}
    V = {"w": v, "b": 1.0}
    out = gnvp(fp, ls, P, V)
    Jw = cr.jacobian(lambda w: fp({"w": w, "b": 0.3}))(p)
    Jb = cr.jacobian(lambda b: fp({"w": p, "b": b}))(0.3)
    Jv = Jw @ v + Jb * 1.0
    np.testing.assert_allclose(out["w"], Jw.T @ Jv, rtol=1e-12)
    np.testing.assert_allclose(out["b"], Jb @ Jv, rtol=1e-12)


# ---- errors ---------------------------------------------------------------------------------------
def test_errors():
    with pytest.raises(ValueError, match="not both"):
        checkpoint_sequential([cnp.sin], 1, budget=1)
    with pytest.raises(ValueError, match="non-empty"):
        checkpoint_sequential([])
    with pytest.raises(TypeError, match="not a function"):
        checkpoint_sequential([cnp.sin, 3])
    with pytest.raises(ValueError, match="segments"):
        checkpoint_sequential([cnp.sin], 0)
    with pytest.raises(ValueError, match="budget"):
        checkpoint_sequential([cnp.sin], budget=0)
    f = checkpoint_sequential([_player] * 3, with_params=True)
    with pytest.raises(ValueError, match="one entry per layer"):
        f([np.eye(2)] * 2, np.ones(2))
    with pytest.raises(TypeError, match=r"f\(params, x\)"):
        f(np.ones(2))
