"""The lean tape (issue 13): reverse mode keeps only what each VJP rule reads."""

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp
from chainrule.core.primitive import Primitive
from chainrule.core.vspace import Dropped, DroppedValueError
from chainrule.interpreters import reverse
from chainrule.interpreters.reverse import ReverseTrace, lean_tape, equations
from chainrule.primitives.basic import elementwise_batch
from chainrule.primitives.declare import declare, reads
from chainrule.primitives import linalg as L


def _record(f, x, keep_all=False):
    trace = ReverseTrace("grad", keep_all=keep_all)
    try:
        out = f(trace.new_input(x))
    finally:
        trace.finish()
    return list(equations(trace.tape)), out


def _kept(eqn):
    """('input i' / 'output') entries of an equation that are real values."""
    held = [f"input {i}" for i, v in enumerate(eqn[2]) if not isinstance(v, Dropped)]
    if not isinstance(eqn[3], Dropped):
        held.append("output")
    return held


def test_each_rule_keeps_only_what_it_reads():
    x = np.linspace(0.1, 1.0, 1000)
    tape, _ = _record(lambda x: cnp.sum(cnp.exp(x) + cnp.sin(x) * x), x)
    kept = {e[0].name: _kept(e) for e in tape}
    assert kept["exp"] == ["output"]            # d exp = exp
    assert kept["sin"] == ["input 0"]           # d sin = cos(x)
    assert kept["multiply"] == ["input 0", "input 1"]
    assert kept["add"] == []                    # shapes only
    assert kept["sum"] == []                    # its NumPy scalar output: a shared stand-in


def test_a_constant_operand_decides_what_is_kept():
    # x * c with c constant: d/dx reads c, and nothing reads x.
    x = np.ones(1000)
    c = np.full(1000, 2.0)
    tape, _ = _record(lambda x: cnp.tanh(x) * c, x)
    mul = [e for e in tape if e[0].name == "multiply"][0]
    assert _kept(mul) == ["input 1"]
    assert isinstance(mul[2][0], Dropped) and mul[2][0].shape == (1000,)


def test_keep_all_traces_and_disabled_lean_tape_keep_everything():
    x = np.ones(100)
    tape, _ = _record(lambda x: cnp.sum(x + 1.0), x, keep_all=True)
    assert all(not isinstance(v, Dropped) for e in tape for v in e[2] + (e[3],))
    lean_tape["enabled"] = False
    try:
        tape, _ = _record(lambda x: cnp.sum(x + 1.0), x)
    finally:
        lean_tape["enabled"] = True
    assert all(not isinstance(v, Dropped) for e in tape for v in e[2] + (e[3],))


def test_a_dropped_float64_scalar_is_one_shared_stand_in():
    tape, _ = _record(lambda x: cnp.sin(x) * 2.0, 0.5)
    sin, mul = tape
    assert sin[3] is reverse.DROPPED_F64          # sin reads x, not its output
    assert mul[2][0] is reverse.DROPPED_F64       # x * 2.0 reads only the constant
    assert cr.grad(lambda x: cnp.sin(x) * 2.0)(0.5) == 2.0 * np.cos(0.5)


def test_small_arrays_stay_under_the_default_threshold(monkeypatch):
    monkeypatch.setitem(lean_tape, "min_bytes", 4096)
    small, big = np.ones(10), np.ones(10_000)
    tape, _ = _record(lambda x: x + 1.0, small)
    assert not isinstance(tape[0][2][0], Dropped)
    tape, _ = _record(lambda x: x + 1.0, big)
    assert isinstance(tape[0][2][0], Dropped)


def _programs():
    rng = np.random.default_rng(0)
    W1, W2 = rng.standard_normal((8, 16)), rng.standard_normal((16, 3))
    K = rng.standard_normal((4, 3, 3))
    imgs = rng.standard_normal((5, 10, 10))

    def mlp(p):
        h = cnp.tanh(p["x"] @ p["W1"])
        z = h @ p["W2"]
        return cnp.sum(cr.numpy.exp(z - cnp.max(z, axis=1, keepdims=True)) / 3.0)

    def conv(k):
        out = 0.0
        for i in range(3):
            for j in range(3):
                out = out + cnp.einsum("bhw,o->bohw", imgs[:, i:i + 8, j:j + 8], k[:, i, j])
        return cnp.sum(cnp.tanh(out) ** 2)

    def fluid(u):
        for _ in range(10):
            lap = cnp.roll(u, 1, 0) + cnp.roll(u, -1, 1) - 2.0 * u
            u = u + 0.1 * (lap + u - u * u * u)
        return cnp.sum(cnp.sqrt(u * u + 1.0) * cnp.log1p(u * u))

    return [(mlp, {"x": rng.standard_normal((4, 8)), "W1": W1, "W2": W2}), (conv, K),
            (fluid, 0.5 * rng.standard_normal((12, 12)))]


@pytest.mark.parametrize("k", range(3), ids=["mlp", "conv-einsum", "fluid"])
def test_gradients_are_bit_identical_to_a_tape_that_keeps_everything(k):
    f, x = _programs()[k]
    lean = cr.grad(f)(x)
    lean_tape["enabled"] = False
    try:
        full = cr.grad(f)(x)
    finally:
        lean_tape["enabled"] = True
    for a, b in zip(cr.tree.flatten(lean)[0], cr.tree.flatten(full)[0]):
        assert np.array_equal(a, b)
    cr.check_grads(f, (x,), order=2, modes=("rev",))


def test_no_cotangent_is_computed_for_a_constant_einsum_operand(monkeypatch):
    calls = []
    real = L._einsum_operand_ct
    monkeypatch.setattr(L, "_einsum_operand_ct",
                        lambda g, vals, i, subscripts: calls.append(i) or real(g, vals, i, subscripts))
    X = np.ones((4, 3))
    g = cr.grad(lambda K: cnp.sum(cnp.einsum("ij,jk->ik", X, K)))(np.ones((3, 2)))
    assert calls == [1]                                  # only K's cotangent
    assert np.allclose(g, X.sum(0)[:, None] * np.ones((3, 2)))


def test_a_rule_reading_an_undeclared_residual_fails_loudly():
    # A primitive whose VJP reads x but declares that it reads nothing.
    p = Primitive("bad_square_demo", np.square)
    declare(p, jvp=[lambda t, ans, x: 2.0 * x * t], vjp=[lambda g, ans, x: 2.0 * x * g],
            batch=elementwise_batch(p), names=(), residuals=reads())
    try:
        with pytest.raises(DroppedValueError, match="residual declaration"):
            cr.grad(lambda x: cnp.sum(p(x)))(np.ones(3))
        # forward mode and linearize do not use the lean tape
        assert np.allclose(cr.jvp(lambda x: p(x), (np.ones(3),), (np.ones(3),))[1], 2.0)
    finally:
        reverse.residual_plans.pop(p, None)


def test_debug_nans_keeps_every_value():
    with cr.debug_nans():
        tape, _ = _record(lambda x: x + 1.0, np.ones(100))
    assert not isinstance(tape[0][2][0], Dropped)


def test_tape_residuals_reports_what_is_kept_and_why():
    x = np.ones((50, 50))
    r = cr.tape_residuals(lambda x: cnp.sum(cnp.exp(x) * cnp.sin(x) + x))(x)
    # exp keeps its output; sin keeps x (the caller's, not counted); * keeps exp(x), sin(x)
    assert r.total_bytes == 2 * x.nbytes
    assert r.by_primitive["exp"] == (1, x.nbytes, "output")
    assert r.by_primitive["multiply"][1] == x.nbytes
    assert "total" in r.table()
    chain = cr.tape_residuals(lambda x: cnp.sum(x + 1.0 - 2.0))(x)
    assert chain.total_bytes == 0 and chain.equations == 3


def test_memory_report_carries_the_tape_report():
    r = cr.memory_report(lambda x: cnp.sum(cnp.tanh(x)), np.ones(1000))
    assert r.tape.by_primitive["tanh"] == (1, 8000, "output")


def test_a_long_chain_frees_its_intermediates():
    # 200 additions and subtractions on a 1 MB array: nothing to keep but shapes.
    x = np.ones(125_000)

    def f(x):
        for _ in range(100):
            x = x + 1.0
            x = x - 0.5
        return cnp.sum(x)
    assert cr.tape_residuals(f)(x).total_bytes == 0
    r = cr.memory_report(f, x)
    assert r.peak_bytes < 8 * x.nbytes    # was ~200 arrays before the lean tape
