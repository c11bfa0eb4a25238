"""The core on its own terms: primitives defined here on Python floats (math, not
NumPy), rules registered with defjvp/defvjp, nesting levels, tracer escape, the
tape and the graph object."""

import math

import numpy as np

from chainrule.core.graph import Equation
import pytest

import chainrule as cr
from chainrule.core.primitive import Primitive, Trace, Tracer, bind, new_level
from chainrule.interpreters.forward import defjvp, jvp_rules, JVPTrace
from chainrule.interpreters.reverse import defvjp, vjp_rules, ReverseTrace, backward_pass, equations

# ---- a tiny algebra on Python floats ---------------------------------------------------------
add = Primitive("add2", lambda x, y: x + y)
mul = Primitive("mul2", lambda x, y: x * y)
neg = Primitive("neg2", lambda x: -x)
sin = Primitive("sin2", math.sin)
cos = Primitive("cos2", math.cos)
floor = Primitive("floor2", lambda x: float(math.floor(x)))

defjvp(add, lambda t, ans, x, y: t, lambda t, ans, x, y: t)
defvjp(add, lambda g, ans, x, y: g, lambda g, ans, x, y: g)
defjvp(mul, lambda t, ans, x, y: mul(t, y), lambda t, ans, x, y: mul(x, t))
defvjp(mul, lambda g, ans, x, y: mul(g, y), lambda g, ans, x, y: mul(x, g))
defjvp(neg, lambda t, ans, x: neg(t))
defvjp(neg, lambda g, ans, x: neg(g))
defjvp(sin, lambda t, ans, x: mul(t, cos(x)))
defvjp(sin, lambda g, ans, x: mul(g, cos(x)))
defjvp(cos, lambda t, ans, x: neg(mul(t, sin(x))))
defvjp(cos, lambda g, ans, x: neg(mul(g, sin(x))))
jvp_rules[floor] = None      # zero derivative
vjp_rules[floor] = None


def f(x, y):
    return mul(add(x, y), sin(y))


# a primitive with two results and whole-picture rules: (x, y) -> (x*y, x+y)
def _both_impl(x, y):
    return x * y, x + y


both = Primitive("both", _both_impl, multiple_results=True)


def _both_jvp(primals, tangents):
    (x, y), (tx, ty) = primals, tangents
    tx = 0.0 if tx is None else tx
    ty = 0.0 if ty is None else ty
    return both(x, y), (add(mul(tx, y), mul(x, ty)), add(tx, ty))


def _both_vjp(g, ans, vals, params):
    (gp, gs), (x, y) = g, vals
    return [add(mul(gp, y), gs), add(mul(gp, x), gs)]


jvp_rules[both] = _both_jvp
vjp_rules[both] = _both_vjp


# ---- evaluation and first derivatives ----------------------------------------------------------
def test_primitives_run_their_impl_on_plain_values():
    assert f(1.0, math.pi / 2) == (1.0 + math.pi / 2) * 1.0
    assert type(mul(2.0, 3.0)) is float
    assert bind(add, (1.0, 2.0), {}) == 3.0
    assert repr(sin) == "<primitive sin2>"


def test_first_derivatives_on_floats():
    x, y = 1.0, math.pi / 2
    gx, gy = cr.grad(f, argnums=(0, 1))(x, y)
    assert abs(gx - 1.0) < 1e-15 and abs(gy - 1.0) < 1e-15
    assert abs(cr.jvp(f, (x, y), (1.0, 0.0))[1] - 1.0) < 1e-15
    assert abs(cr.jvp(f, (x, y), (0.0, 1.0))[1] - 1.0) < 1e-15
    out, pull = cr.vjp(f, x, y)
    assert out == f(x, y)
    assert np.allclose(pull(2.0), (2.0, 2.0), atol=1e-15)


def test_higher_order_through_rules_written_with_primitives():
    # d²/dx² sin(x)·x = 2cos x - x sin x, in all four mode combinations
    g = lambda x: mul(sin(x), x)  # noqa: E731
    x = 0.7
    want = 2 * math.cos(x) - x * math.sin(x)
    rr = cr.grad(cr.grad(g))(x)
    fr = cr.jvp(cr.grad(g), (x,), (1.0,))[1]
    rf = cr.grad(lambda x: cr.jvp(g, (x,), (1.0,))[1])(x)
    ff = cr.jvp(lambda x: cr.jvp(g, (x,), (1.0,))[1], (x,), (1.0,))[1]
    for v in (rr, fr, rf, ff):
        assert abs(v - want) < 1e-14
    # third derivative: -3 sin x - x cos x
    d3 = cr.grad(cr.grad(cr.grad(g)))(x)
    assert abs(d3 - (-3 * math.sin(x) - x * math.cos(x))) < 1e-14


def test_zero_derivative_primitive_is_not_traced():
    seen = []

    def h(x):
        k = floor(x)
        seen.append(k)
        return mul(x, k)

    assert cr.grad(h)(2.5) == 2.0
    assert cr.jvp(h, (2.5,), (1.0,))[1] == 2.0
    assert all(not isinstance(k, Tracer) for k in seen)
    assert cr.grad(lambda x: floor(x))(2.5) == 0.0


def test_multiple_results_primitive():
    x, y = 2.0, 5.0

    def h(x, y):
        p, s = both(x, y)
        return add(mul(p, 2.0), mul(s, s))      # 2xy + (x+y)²

    gx, gy = cr.grad(h, argnums=(0, 1))(x, y)
    assert gx == 2 * y + 2 * (x + y) and gy == 2 * x + 2 * (x + y)
    assert cr.jvp(h, (x, y), (1.0, 0.0))[1] == gx
    # only one output used: the other output's cotangent is a zero
    assert cr.grad(lambda x: both(x, y)[1])(x) == 1.0
    assert cr.grad(cr.grad(h))(x, y) == 2.0


def test_missing_rules_are_reported_by_name():
    p = Primitive("unruled", math.exp)
    with pytest.raises(cr.MissingRuleError, match="unruled"):
        cr.grad(p)(1.0)
    with pytest.raises(cr.MissingRuleError, match="unruled"):
        cr.jvp(p, (1.0,), (1.0,))
    q = Primitive("half_ruled", lambda x, n: x ** n)
    defjvp(q, lambda t, ans, x, n: mul(t, n * x ** (n - 1)), None)
    defvjp(q, lambda g, ans, x, n: mul(g, n * x ** (n - 1)), None)
    assert cr.grad(q)(2.0, 3.0) == 12.0
    with pytest.raises(cr.MissingRuleError, match="argument 1 of 'half_ruled'"):
        cr.grad(q, argnums=1)(2.0, 3.0)
    with pytest.raises(cr.MissingRuleError, match="argument 1 of 'half_ruled'"):
        cr.jvp(q, (2.0, 3.0), (0.0, 1.0))


# ---- levels and nesting ---------------------------------------------------------------------------
def test_levels_only_grow_and_nested_traces_are_inner():
    a, b = new_level(), new_level()
    assert b > a
    t1, t2 = Trace("one"), Trace("two")
    assert t2.level > t1.level and t1.active
    t2.finish()
    t1.finish()
    assert not t1.active
    assert "one" in repr(t1)


def test_nested_transformations_have_increasing_levels():
    levels = {}

    def inner(y, x):
        levels["inner"] = y._trace.level
        levels["x_in_inner"] = x._trace.level
        return mul(x, y)

    def outer(x):
        levels["outer"] = x._trace.level
        return cr.grad(inner)(3.0, x)

    assert cr.grad(outer)(2.0) == 1.0          # d/dx d/dy (x y) = 1
    assert levels["inner"] > levels["outer"] == levels["x_in_inner"]
    # forward over reverse and reverse over forward
    kinds = []

    def probe(x):
        kinds.append(type(x._trace))
        return mul(x, x)

    cr.jvp(cr.grad(probe), (1.0,), (1.0,))
    cr.grad(lambda x: cr.jvp(probe, (x,), (1.0,))[1])(1.0)
    assert kinds == [ReverseTrace, JVPTrace]


def test_tracers_carry_their_primal_one_level_down():
    seen = []

    def h(x):
        def g(y):
            seen.append(y)
            return mul(y, x)
        return cr.grad(g)(x)

    cr.jvp(h, (2.0,), (1.0,))
    y = seen[0]
    assert isinstance(y, Tracer) and isinstance(y.primal, Tracer)
    assert y.primal._trace.level < y._trace.level
    assert "level=" in repr(y)


def test_tracer_escape_is_detected_in_the_core():
    leak = []
    cr.grad(lambda x: leak.append(x) or mul(x, 2.0))(1.0)
    with pytest.raises(cr.TracerEscapeError, match="mul2"):
        mul(leak[0], 2.0)
    with pytest.raises(cr.TracerEscapeError):
        cr.jvp(lambda y: mul(y, leak[0]), (1.0,), (1.0,))
    with pytest.raises(cr.TracerEscapeError):
        cr.grad(lambda y: mul(leak[0], y))(1.0)


# ---- the tape -------------------------------------------------------------------------------------
def test_reverse_trace_records_a_tape_and_backward_pass_walks_it():
    trace = ReverseTrace("test")
    x = trace.new_input(1.0)
    y = trace.new_input(math.pi / 2)
    out = f(x, y)
    trace.finish()
    eqns = [Equation(e) for e in equations(trace.tape)]  # a lean tape's records, long form
    assert [e.prim.name for e in eqns] == ["add2", "sin2", "mul2"]
    assert eqns[0].parents[0] == x._id and eqns[0].parents[1] == y._id
    cts = backward_pass(trace.tape, {out._id: 1.0})
    assert abs(cts[x._id] - 1.0) < 1e-15 and abs(cts[y._id] - 1.0) < 1e-15
    assert len(list(equations(trace.tape))) == 3  # not consumed: a second pass may walk it
    backward_pass(trace.tape, {out._id: 1.0}, consume=True)
    assert not any(e is not None for e in trace.tape)  # consumed: nothing kept alive


def test_constants_are_not_recorded():
    trace = ReverseTrace("test")
    x = trace.new_input(2.0)
    c = mul(3.0, 4.0)            # no tracer: computed directly, nothing recorded
    out = mul(x, c)
    trace.finish()
    (eqn,) = [Equation(e) for e in equations(trace.tape)]
    assert eqn.parents[0] == x._id and eqn.parents[1] is None
    assert out._value == 24.0


# ---- the graph ------------------------------------------------------------------------------------
def test_graph_of_the_worked_example():
    g = cr.make_graph(f)(1.0, math.pi / 2)
    assert [n.name for n in g.nodes] == ["x", "y", "w1", "w2", "w3"]
    assert [n.op for n in g.nodes] == ["input", "input", "add2", "sin2", "mul2"]
    assert [n.inputs for n in g.nodes] == [[], [], ["x", "y"], ["y"], ["w1", "w2"]]
    assert [n.name for n in g.inputs] == ["x", "y"]
    assert g.outputs == ["w3"]
    assert g.node("w3").is_output and not g.node("w1").is_output
    assert all(n.shape == () and n.dtype == np.float64 for n in g.nodes)
    assert g.node("w1").value == 1.0 + math.pi / 2
    assert g.node("w2").value == 1.0
    assert g.node("w3").value == (1.0 + math.pi / 2) * 1.0
    assert g.edges == [("x", "w1"), ("y", "w1"), ("y", "w2"), ("w1", "w3"), ("w2", "w3")]
    assert len(g) == 5 and [n.name for n in g] == [n.name for n in g.nodes]
    text = str(g)
    assert "w1 = add2(x, y)" in text and "output: w3" in text
    with pytest.raises(KeyError, match="w9"):
        g.node("w9")


def test_graph_constants_multiple_results_and_arrays():
    import chainrule.numpy as cnp

    def h(a, b):
        p, s = both(a, b)
        return mul(p, 0.5), s

    g = cr.make_graph(h)(2.0, 3.0)
    assert [n.op for n in g.nodes] == ["input", "input", "both", "both", "mul2"]
    assert g.node("w1").params["output"] == 0 and g.node("w2").params["output"] == 1
    assert g.node("w1").value == 6.0 and g.node("w2").value == 5.0
    assert g.node("w3").inputs == ["w1", "0.5"]          # constants by printed value
    assert g.outputs == ["w3", "w2"]
    assert ("w1", "w3") in g.edges and ("a", "w1") in g.edges

    ga = cr.make_graph(lambda x, W: cnp.sum(cnp.tanh(W @ x)))(
        np.ones(3, np.float32), np.ones((2, 3), np.float32))
    assert [n.op for n in ga.nodes[2:]] == ["matmul", "tanh", "sum"]
    assert ga.node("w1").shape == (2,) and ga.node("w1").inputs == ["W", "x"]
    assert ga.node("w3").shape == () and ga.node("w3").dtype == np.float32
    np.testing.assert_allclose(ga.node("w2").value, np.tanh([3.0, 3.0]), rtol=1e-6)


def test_graph_names_pytree_inputs():
    g = cr.make_graph(lambda p, c: mul(p[0], add(p[1], c)))((1.0, 2.0), 3.0)
    assert [n.name for n in g.inputs] == ["p[0]", "p[1]", "c"]
    assert g.node("w1").inputs == ["p[1]", "c"]
