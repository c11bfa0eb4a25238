"""Issue 10, the transforms' part: results the caller owns, None returns, non-numeric
leaves, traces always finished, empty inputs, deep checkpoints, messages, return types."""

import sys

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp
from chainrule.core.primitive import active_trace_count

# ---- 1. no result shares memory with an input; results are writable --------------------------
FUNCS = {
    "identity": lambda v: v,
    "x-1": lambda v: v - 1.0,
    "permutation": lambda v: v[::-1],
    "reshape": lambda v: cnp.reshape(v, (2, 2)),
    "slice": lambda v: v[1:3],
}


def _fresh(results, inputs):
    """No result leaf shares memory with an input or with another result, and each can
    be written into without touching the inputs."""
    leaves = [r for r in cr.tree.leaves(results) if isinstance(r, np.ndarray)]
    before = [x.copy() for x in inputs]
    for k, r in enumerate(leaves):
        for x in inputs:
            assert not np.shares_memory(r, x)
        for other in leaves[k + 1:]:
            assert not np.shares_memory(r, other)
        r *= 0.5
        r += 7.0
    for x, b in zip(inputs, before):
        np.testing.assert_array_equal(x, b)


@pytest.mark.parametrize("name", list(FUNCS))
def test_forward_and_reverse_results_never_alias_inputs(name):
    f = FUNCS[name]
    x, t = np.arange(1.0, 5.0), np.arange(5.0, 9.0)
    out, tan = cr.jvp(f, (x,), (t,))
    _fresh((out, tan), [x, t])
    out, f_jvp = cr.linearize(f, x)
    _fresh(out, [x])
    _fresh(f_jvp(t), [x, t])
    out, f_vjp = cr.vjp(f, x)
    u = np.ones_like(np.asarray(out)) * 2.0
    _fresh(out, [x])
    _fresh(f_vjp(u), [x, u])
    for jac in (cr.jacfwd, cr.jacrev, cr.jacobian):
        _fresh(jac(f)(x), [x])
    _fresh(cr.vmap(f)(np.stack([x, x])), [x])
    loss = lambda v: cnp.sum(f(v) * f(v))  # noqa: E731
    _fresh(cr.grad(loss)(x), [x])
    _fresh(cr.hessian(loss)(x), [x])
    _fresh(cr.hvp(loss, (x,), (t,)), [x, t])


def test_identity_pullback_and_tangent_are_copies():
    x, t = np.ones(3), np.full(3, 2.0)
    assert cr.jvp(lambda v: v, (x,), (t,))[1] is not t
    assert cr.vjp(lambda v: v, x)[1](t)[0] is not t
    g = cr.grad(lambda a, b: cnp.sum(a + b), argnums=(0, 1))(x, x)
    assert not np.shares_memory(g[0], g[1])


def test_gradients_are_writable():
    x = np.arange(3.0)
    g = cr.grad(cnp.sum)(x)
    g *= 0.1
    np.testing.assert_allclose(g, 0.1)
    p = {"w": np.ones((2, 2)), "b": np.zeros(2)}
    gp = cr.grad(lambda p: cnp.sum(p["w"]) + cnp.sum(p["b"]))(p)
    gp["w"] -= 1.0
    gp["b"] -= 1.0


# ---- 2. a function without return --------------------------------------------------------
def _no_return(x):
    cnp.sum(x ** 2)


@pytest.mark.parametrize("call", [
    lambda: cr.grad(_no_return)(np.ones(2)),
    lambda: cr.value_and_grad(_no_return)(np.ones(2)),
    lambda: cr.grad(_no_return, has_aux=True)(np.ones(2)),
    lambda: cr.jvp(_no_return, (np.ones(2),), (np.ones(2),)),
    lambda: cr.vjp(_no_return, np.ones(2)),
    lambda: cr.linearize(_no_return, np.ones(2)),
    lambda: cr.jacfwd(_no_return)(np.ones(2)),
    lambda: cr.jacrev(_no_return)(np.ones(2)),
    lambda: cr.jacobian(_no_return)(np.ones(2)),
    lambda: cr.hessian(_no_return)(np.ones(2)),
    lambda: cr.vmap(_no_return)(np.ones((3, 2))),
])
def test_a_function_returning_none_is_an_error(call):
    n = active_trace_count()
    with pytest.raises(TypeError, match="returned None.*return"):
        call()
    assert active_trace_count() == n


# ---- 3. non-numeric leaves ----------------------------------------------------------------
@pytest.mark.parametrize("params, key", [({"x": 1.0, "dtype": "f8"}, "dtype"),
                                         ({"x": 1.0, "act": "tanh"}, "act")])
@pytest.mark.parametrize("call", [
    lambda f, p: cr.grad(f)(p),
    lambda f, p: cr.value_and_grad(f)(p),
    lambda f, p: cr.jvp(f, (p,), (p,)),
    lambda f, p: cr.vjp(f, p),
    lambda f, p: cr.linearize(f, p),
    lambda f, p: cr.jacfwd(f)(p),
    lambda f, p: cr.jacrev(f)(p),
    lambda f, p: cr.jacobian(f)(p),
    lambda f, p: cr.hessian(f)(p),
])
def test_a_string_leaf_is_refused_with_its_path(params, key, call):
    n = active_trace_count()
    with pytest.raises(TypeError, match=rf"argument 0\['{key}'\] is a str"):
        call(lambda p: p["x"] ** 2, params)
    assert active_trace_count() == n


# ---- 4. every trace is finished, on every error path ------------------------------------------
@pytest.mark.parametrize("call", [
    lambda: cr.grad(lambda x: x * x)(3),
    lambda: cr.grad(lambda x: x * x)(1 + 2j),
    lambda: cr.grad(lambda x: x * x)({"a": np.arange(3)}),
    lambda: cr.grad(lambda x: x)(np.ones(2)),
    lambda: cr.grad(lambda x: 1 / 0)(1.0),
    lambda: cr.jvp(lambda x: x, (1,), (1,)),
    lambda: cr.jvp(lambda x: 1 / 0, (1.0,), (1.0,)),
    lambda: cr.vjp(lambda x: 1 / 0, 1.0),
    lambda: cr.jacfwd(lambda x: 1 / 0)(np.ones(2)),
    lambda: cr.jacrev(lambda x: 1 / 0)(np.ones(2)),
    lambda: cr.vmap(lambda x: 1 / 0)(np.ones(2)),
    lambda: cr.checkpoint(lambda x: 1 / 0)(cr.grad(lambda x: x)),
])
def test_error_paths_leave_no_trace_open(call):
    n = active_trace_count()
    with pytest.raises(Exception):
        call()
    assert active_trace_count() == n


def test_errors_inside_checkpoints_leave_no_trace_open():
    n = active_trace_count()

    def f(x):
        return cr.checkpoint(lambda h: h / cnp.array("a"))(x)
    for call in (lambda: cr.grad(f)(1.0), lambda: cr.jvp(f, (1.0,), (1.0,))):
        with pytest.raises(Exception):
            call()
        assert active_trace_count() == n


# ---- 5. empty and size-1 inputs -------------------------------------------------------------
@pytest.mark.parametrize("jac", [cr.jacfwd, cr.jacrev, cr.jacobian])
@pytest.mark.parametrize("shape", [(0,), (2, 0), (1,), (1, 1)])
def test_jacobians_of_empty_and_size_one_inputs(jac, shape):
    x = np.ones(shape)
    assert jac(lambda v: 2.0 * v)(x).shape == shape + shape
    assert jac(lambda v: cnp.sum(v))(x).shape == shape
    assert jac(lambda v: cnp.reshape(v, (-1,))[:0])(x).shape == (0,) + shape


@pytest.mark.parametrize("shape", [(0,), (1,), (2, 0)])
def test_hessian_of_empty_and_size_one_inputs(shape):
    h = cr.hessian(lambda v: cnp.sum(v ** 3))(np.ones(shape))
    assert h.shape == shape + shape
    np.testing.assert_allclose(h.reshape(h.size), 6.0 * np.eye(int(np.prod(shape))).ravel())


def test_jacobian_of_an_empty_output_and_a_pytree():
    p = {"a": np.ones(0), "b": np.ones(2)}
    J = cr.jacfwd(lambda p: p["b"][:0])(p)
    assert J["a"].shape == (0, 0) and J["b"].shape == (0, 2)
    J = cr.jacrev(lambda p: p["b"] * 2.0)(p)
    assert J["a"].shape == (2, 0) and J["b"].shape == (2, 2)


# ---- 6. deep checkpoints ---------------------------------------------------------------------
def _nested(depth):
    f = cnp.sin
    for _ in range(depth):
        f = cr.checkpoint(lambda x, f=f: cnp.sin(f(x)))
    return f


def _plain(depth):
    y, d = 0.5, 1.0
    for _ in range(depth + 1):
        y, d = np.sin(y), np.cos(y) * d
    return y, d


def test_checkpoints_nested_300_deep_in_both_modes():
    limit = sys.getrecursionlimit()
    f = _nested(300)
    y, d = _plain(300)
    np.testing.assert_allclose(cr.grad(f)(0.5), d, rtol=1e-12)
    out, t = cr.jvp(f, (0.5,), (1.0,))
    np.testing.assert_allclose([out, t], [y, d], rtol=1e-12)
    assert sys.getrecursionlimit() == limit


def test_checkpoint_of_a_checkpoint_1000_deep():
    f = cnp.sin
    for _ in range(1000):
        f = cr.checkpoint(f)
    assert cr.grad(f)(0.5) == np.cos(0.5)
    assert cr.jvp(f, (0.5,), (1.0,))[1] == np.cos(0.5)


# ---- 7. messages ----------------------------------------------------------------------------
def test_jvp_tree_mismatch_says_where():
    with pytest.raises(ValueError, match=r"primals\[0\] is a dict with keys \['a', 'b'\] but "
                                         r"tangents\[0\] is a dict with keys \['a'\]"):
        cr.jvp(lambda p: p["a"], ({"a": 1.0, "b": 2.0},), ({"a": 1.0},))
    with pytest.raises(ValueError, match=r"primals\[0\] is a list of 2 but tangents\[0\] is a "
                                         r"tuple of 2"):
        cr.jvp(lambda p: p[0], ([1.0, 2.0],), ((1.0, 2.0),))


@pytest.mark.parametrize("transform", [cr.grad, cr.value_and_grad, cr.jacfwd, cr.jacrev])
def test_argnums_must_be_ints(transform):
    with pytest.raises(TypeError, match="argnums takes an int or a tuple of ints"):
        transform(lambda x, y: x * y, argnums=1.0)(1.0, 2.0)


def test_vjp_cotangent_dtype_is_checked_like_jvp_tangent():
    x = np.ones(2, np.float32)
    _, f_vjp = cr.vjp(lambda v: v * 2.0, x)
    with pytest.raises(ValueError, match="dtype float64 but output 0 has dtype float32"):
        f_vjp(np.ones(2))
    with pytest.raises(ValueError, match="dtype float64 but primal 0 has dtype float32"):
        cr.jvp(lambda v: v * 2.0, (x,), (np.ones(2),))
    assert f_vjp(np.ones(2, np.float32))[0].dtype == np.float32


def test_grad_of_a_tuple_mentions_has_aux():
    with pytest.raises(TypeError, match="has_aux=True.*jacrev.*vjp"):
        cr.grad(lambda x: (x * x, x))(1.0)


@pytest.mark.parametrize("call", [
    lambda f: cr.grad(f)([1.0, 2.0]),
    lambda f: cr.jvp(f, ([1.0, 2.0],), ([1.0, 2.0],)),
    lambda f: cr.vjp(f, [1.0, 2.0]),
])
def test_a_list_argument_that_fails_in_arithmetic_says_it_is_a_pytree(call):
    with pytest.raises(TypeError, match=r"list argument is a pytree.*np\.array"):
        call(lambda x: cnp.sum(x ** 2))


# ---- 8. return types ------------------------------------------------------------------------
def test_scalar_results_are_numpy_scalars_of_the_input_dtype():
    assert type(cr.grad(lambda x: x * x)(3.0)) is np.float64
    v, g = cr.value_and_grad(lambda x: x * x)(3.0)
    assert type(v) is np.float64 and type(g) is np.float64
    assert type(cr.grad(lambda x: x * x)(np.float32(3.0))) is np.float32
    assert type(cr.grad(lambda x: x * x)(np.array(3.0))) is np.float64
    p = {"a": np.float32(2.0), "b": 3.0, "w": np.ones(2, np.float32)}
    g = cr.grad(lambda p: p["a"] * p["b"] * cnp.sum(p["w"]))(p)
    assert type(g["a"]) is np.float32 and type(g["b"]) is np.float64
    assert g["w"].dtype == np.float32
    out, t = cr.jvp(lambda x: x * x, (3.0,), (1.0,))
    assert type(out) is np.float64 and type(t) is np.float64
    assert type(cr.jvp(lambda x: x, (3.0,), (1.0,))[1]) is np.float64
    assert type(cr.vjp(lambda x: x * x, 3.0)[1](1.0)[0]) is np.float64
    assert type(cr.linearize(lambda x: x * x, 3.0)[1](1.0)) is np.float64
    for jac in (cr.jacfwd, cr.jacrev, cr.jacobian, cr.hessian):
        assert type(jac(lambda x: x * x * x)(3.0)) is np.float64
    assert type(cr.hvp(lambda x: x * x * x, (3.0,), (1.0,))[0]) is np.float64
    assert type(cr.vmap(lambda x: cnp.sum(x), out_axes=0)(np.ones((2, 2)))) is np.ndarray
