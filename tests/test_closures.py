"""Functions that close over values being differentiated: checkpoint captures them,
custom rules refuse them with a clear message (never a silently partial derivative)."""

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp


def _two_blocks(W, x, checkpointed):
    block = (lambda h: h + cnp.tanh(h @ W))
    if checkpointed:
        block = cr.checkpoint(block)
    return cnp.sum(block(block(x * 1.0 + 0.0 * W[0, 0])) ** 2)


W0 = np.array([[0.4, -0.2, 0.1], [0.3, 0.5, -0.4], [-0.1, 0.2, 0.6]])
X0 = np.array([[1.0, -0.5, 0.25], [0.5, 0.75, -1.0]])


def test_checkpoint_closing_over_weights_matches_plain_gradient_bitwise():
    g0 = cr.grad(lambda W: _two_blocks(W, X0, False))(W0)
    g1 = cr.grad(lambda W: _two_blocks(W, X0, True))(W0)
    assert np.array_equal(g0, g1)


@pytest.mark.parametrize("transform", ["hessian", "jvp", "linearize", "jacfwd", "jacrev"])
def test_checkpoint_closing_over_weights_under_other_transforms(transform):
    plain = lambda W: _two_blocks(W, X0, False)  # noqa: E731
    ck = lambda W: _two_blocks(W, X0, True)  # noqa: E731
    v = np.ones_like(W0)
    if transform == "hessian":
        a, b = cr.hessian(plain)(W0), cr.hessian(ck)(W0)
    elif transform == "jvp":
        a, b = cr.jvp(plain, (W0,), (v,))[1], cr.jvp(ck, (W0,), (v,))[1]
    elif transform == "linearize":
        a, b = cr.linearize(plain, W0)[1](v), cr.linearize(ck, W0)[1](v)
    else:
        jac = getattr(cr, transform)
        a, b = jac(cr.grad(plain))(W0), jac(cr.grad(ck))(W0)
    np.testing.assert_allclose(b, a, rtol=1e-12, atol=1e-12)


def test_checkpoint_records_a_closed_program_not_the_internals():
    g = cr.make_graph(lambda W: _two_blocks(W, X0, True))(W0)
    ops = [n.op for n in g.nodes]
    assert ops.count("checkpoint") == 2
    assert "tanh" not in ops and "matmul" not in ops  # the blocks' internals are not stored
    for node in g.nodes:
        if node.op == "checkpoint":
            assert "W" in node.inputs  # the closed-over weight became an explicit input


@pytest.mark.parametrize("mode", ["grad", "jvp"])
def test_custom_vjp_closing_over_traced_value_is_refused(mode):
    def loss(W):
        @cr.custom_vjp
        def f(x):
            return cnp.sin(x * W)
        f.defvjp(lambda x: (f(x), x), lambda x, g: (g * cnp.cos(x * W) * W,))
        return cnp.sum(f(cnp.ones(3) * 2.0 + 0.0 * W))  # a traced argument: the rule is used
    run = (lambda: cr.grad(loss)(1.5)) if mode == "grad" else (
        lambda: cr.jvp(loss, (1.5,), (1.0,)))
    with pytest.raises(TypeError, match="closes over a value .* pass that value as an argument"):
        run()


def test_custom_jvp_closing_over_traced_value_is_refused():
    def loss(W):
        @cr.custom_jvp
        def f(x):
            return x * W
        f.defjvp(lambda p, t: (p[0] * W, t[0] * W))
        return cnp.sum(f(cnp.ones(2) + 0.0 * W))
    with pytest.raises(TypeError, match="custom_jvp function f closes over"):
        cr.grad(loss)(2.0)


def test_custom_vjp_closing_over_a_constant_is_fine():
    W = 1.5

    def loss(x):
        @cr.custom_vjp
        def f(x):
            return cnp.sin(x * W)
        f.defvjp(lambda x: (f(x), x), lambda x, g: (g * cnp.cos(x * W) * W,))
        return cnp.sum(f(x))
    x = np.array([0.1, 0.2])
    np.testing.assert_allclose(cr.grad(loss)(x), 1.5 * np.cos(1.5 * x), rtol=1e-14)
    np.testing.assert_allclose(cr.hessian(loss)(x), np.diag(-2.25 * np.sin(1.5 * x)), rtol=1e-13)
