"""numexpr fusion of a staged program's elementwise chains (``jit(f, fuse=True)``): the
same results as eager chainrule (bit for bit here: fused functions are those whose numexpr
spelling computes NumPy's bits), with numexpr installed and without it."""

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp
from chainrule.interpreters import fusion

from test_jit import same

SIZE = fusion.MIN_SIZE + 7


def chain(x):
    """W4's twenty operations, backward pass included under grad."""
    x = cnp.sin(x) * 1.0001 + 0.1
    x = cnp.exp(cnp.tanh(x)) * 0.5
    x = cnp.log(cnp.cos(x) + 0.5)
    x = cnp.tanh(cnp.sin(x * x)) * 2.0
    x = cnp.sqrt(cnp.exp(x)) + -0.3
    return cnp.tanh(cnp.sin(x) * 1.0001) + 0.1


def arith(x):
    for _ in range(3):
        x = (x * 0.5 + 0.1) * (x * 0.5 + 0.1) / (x * x + 1.5) - 0.2
    return x


@pytest.fixture
def data():
    return np.random.default_rng(0).uniform(-1.0, 1.0, SIZE)


def fused_count(f, *args):
    return f.lower(*args).stats["fused"]


@pytest.mark.parametrize("fn", [chain, arith])
def test_fused_programs_give_eager_results_both_modes_and_second_order(fn, data):
    pytest.importorskip("numexpr")
    v = np.cos(data)
    cases = [
        (cr.grad(lambda x: cnp.sum(fn(x))), (data,)),
        (lambda x, v: cr.jvp(fn, (x,), (v,)), (data, v)),
        (lambda x, v: cr.hvp(lambda y: cnp.sum(fn(y)), (x,), (v,)), (data, v)),
    ]
    for eager, args in cases:
        jitted = cr.jit(eager, fuse=True)
        assert fused_count(jitted, *args) > 0
        for _ in range(2):  # the trace, then a replay
            got, want = jitted(*args), eager(*args)
            for g, w in zip(cr.tree.flatten(got)[0], cr.tree.flatten(want)[0]):
                np.testing.assert_allclose(g, w, rtol=1e-14, atol=0)
                assert g.dtype == w.dtype and g.shape == w.shape
            same(got, want)  # and here bit for bit: the fused functions compute NumPy's bits


def test_without_numexpr_the_program_is_numpy_only(data, monkeypatch):
    monkeypatch.setattr(fusion, "numexpr", None)
    g = cr.grad(lambda x: cnp.sum(chain(x)))
    jg = cr.jit(g, fuse=True)
    source = jg.lower(data).source
    assert "= numexpr" not in source and fused_count(jg, data) == 0
    for _ in range(2):
        same(jg(data), g(data))


def test_the_generated_code_shows_each_fused_expression(data):
    pytest.importorskip("numexpr")
    source = cr.jit(lambda x: cnp.exp(x * 2.0 + 1.0), fuse=True).lower(data).source
    # exp joins the fused expression only where numexpr's exp gives NumPy's bits on this
    # machine (NumPy's AVX-512 exp does not): then it is left to NumPy, after the fusion
    fused = "exp(((x * 2.0) + 1.0))" if np.exp in fusion._agreeing() else "((x * 2.0) + 1.0)"
    assert "= numexpr(x, 2.0, 1.0)" in source and f"# {fused} <-" in source


def test_small_arrays_float32_and_broadcasting_are_not_fused(data):
    pytest.importorskip("numexpr")
    f = lambda x: cnp.sum(cnp.sin(x) * 2.0 + 1.0)  # noqa: E731
    small = data[:fusion.MIN_SIZE - 1]
    assert fused_count(cr.jit(cr.grad(f), fuse=True), data) > 0
    assert fused_count(cr.jit(cr.grad(f)), data) == 0  # off by default
    assert fused_count(cr.jit(cr.grad(f), fuse=True), small) == 0
    assert fused_count(cr.jit(cr.grad(f), fuse=True), data.astype(np.float32)) == 0
    rows, column = data[:SIZE - SIZE % 2].reshape(2, -1), np.array([[1.0], [2.0]])
    broadcast = cr.jit(lambda x, c: (x * c + 1.0) * 2.0, fuse=True)
    source = broadcast.lower(rows, column).source
    assert "t1 = multiply(x, c)" in source and "numexpr(t1, 1.0, 2.0)" in source  # the rest is fused
    same(broadcast(rows, column), (rows * column + 1.0) * 2.0)


def test_zeros_win_over_inf_and_nan_as_eagerly(data):
    pytest.importorskip("numexpr")
    # d sqrt(x)/dx is inf at 0: the cotangent 0 there must stay an exact 0 (nan_safe).
    x = np.abs(data)
    x[::7] = 0.0
    x[1] = np.inf
    x[2] = np.nan
    w = np.where(np.arange(SIZE) % 3 == 0, 0.0, 1.0)
    g = cr.grad(lambda x, w: cnp.sum(cnp.sqrt(x * 2.0 + 0.0) * w * 3.0))
    jg = cr.jit(g, fuse=True)
    assert "where(" in jg.lower(x, w).source
    with np.errstate(all="ignore"):
        for _ in range(2):
            same(jg(x, w), g(x, w))
            assert np.all(jg(x, w)[::21] == 0.0)  # x = 0 and w = 0 there: 0 · inf = 0


def test_functions_numexpr_computes_differently_are_left_to_numpy(data, monkeypatch):
    pytest.importorskip("numexpr")
    monkeypatch.setattr(fusion, "_AGREEING", [frozenset()])  # as if no function agreed
    f = cr.jit(lambda x: cnp.sin(x * 2.0 + 1.0) * 3.0, fuse=True)
    source = f.lower(data).source
    assert "numexpr(x, 2.0, 1.0)" in source and "sin(t1)" in source
    same(f(data), np.sin(data * 2.0 + 1.0) * 3.0)
