"""Every misuse gives a clear exception type and a message that says what to do."""

import sys

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp


def _raises(exc, fn, *fragments):
    with pytest.raises(exc) as info:
        fn()
    msg = str(info.value)
    for frag in fragments:
        assert frag in msg, f"{frag!r} not in message: {msg}"
    assert not isinstance(info.value, RecursionError)
    return msg


# ---- grad of a non-scalar --------------------------------------------------------------------
@pytest.mark.parametrize("out", [lambda x: x * 2.0, lambda x: (cnp.sum(x), x[0]),
                                 lambda x: [cnp.sum(x)]])
def test_grad_of_non_scalar_output(out):
    _raises(TypeError, lambda: cr.grad(out)(np.ones(3)), "scalar", "jacrev", "vjp")


def test_grad_of_integer_output():
    _raises(TypeError, lambda: cr.grad(lambda x: cnp.argmax(x))(np.ones(3)), "floating-point")


# ---- non-float inputs ---------------------------------------------------------------------------
@pytest.mark.parametrize("x", [3, np.int32(3), np.arange(3), np.array([True, False]), True])
def test_grad_of_integer_or_boolean_input(x):
    msg = _raises(TypeError, lambda: cr.grad(lambda x: cnp.sum(x * 2.0))(x), "float")
    assert "1.0" in msg or "astype(float)" in msg


def test_integer_inputs_in_other_transforms():
    _raises(TypeError, lambda: cr.jvp(lambda x: x, (np.arange(2),), (np.arange(2),)), "float")
    _raises(TypeError, lambda: cr.vjp(lambda x: x, np.arange(2)), "float")
    _raises(TypeError, lambda: cr.jacfwd(lambda x: x)(np.arange(2)), "float")
    _raises(TypeError, lambda: cr.jacrev(lambda x: x)(np.arange(2)), "float")
    _raises(TypeError, lambda: cr.hessian(lambda x: cnp.sum(x))(np.arange(2)), "float")


def test_integer_argument_outside_argnums_is_fine():
    assert cr.grad(lambda x, n: x ** n)(2.0, 3) == 12.0


@pytest.mark.parametrize("x", [1 + 2j, np.ones(2, dtype=complex)])
def test_complex_input_accepted_complex_output_needs_holomorphic(x):
    # complex inputs are differentiated (docs/complex.md); a complex output of grad is not
    # a real scalar: the error names holomorphic=True, as JAX's does
    assert np.allclose(cr.grad(lambda x: cnp.sum(cnp.abs(x) ** 2))(x), 2 * np.conj(x))
    _raises(TypeError, lambda: cr.grad(lambda x: cnp.sum(x * x))(x), "holomorphic=True",
            "complex128", "cr.vjp")
    assert np.allclose(cr.jvp(lambda x: x * x, (x,), (x,))[1], 2 * x * x)
    assert np.allclose(cr.vjp(lambda x: x * x, x)[1](x)[0], 2 * x * x)


def test_holomorphic_rules():
    _raises(TypeError, lambda: cr.grad(cnp.sin, holomorphic=True)(1.0), "holomorphic=True",
            "complex inputs", "float64")
    _raises(TypeError, lambda: cr.grad(lambda z: cnp.abs(z), holomorphic=True)(1j),
            "holomorphic=True", "complex output")
    z = np.array([1j, 2.0 + 0j])
    _raises(TypeError, lambda: cr.jacfwd(lambda z: z * z)(z), "jacfwd", "real-valued input",
            "holomorphic=True", "cr.jvp")
    _raises(TypeError, lambda: cr.jacrev(lambda x: x * 1j)(np.ones(2)), "jacrev",
            "real-valued output", "holomorphic=True", "cr.vjp")
    _raises(TypeError, lambda: cr.jacrev(lambda x: x * 1j, holomorphic=True)(np.ones(2)),
            "complex inputs")
    _raises(TypeError, lambda: cr.jacfwd(lambda x: x, holomorphic=True)(np.ones(2)),
            "complex inputs")
    _raises(TypeError, lambda: cr.hessian(lambda z: cnp.abs(z) ** 2)(1j), "real-valued")
    _raises(TypeError, lambda: cr.jacobian(lambda z: z * z)(z), "real-valued")
    # jacfwd of a real input with a complex output, jacrev of a complex input with a real
    # output: each mode where it sees the whole Jacobian
    assert np.allclose(cr.jacfwd(lambda x: x * 1j)(np.ones(2)), 1j * np.eye(2))
    assert np.allclose(cr.jacrev(lambda z: cnp.abs(z) ** 2)(z), np.diag(2 * np.conj(z)))
    J = cr.jacobian(lambda z: cnp.abs(z) ** 2)
    assert np.allclose(J(np.array([1j])), [[-2j]]) and J.choice.mode == "reverse"
    J = cr.jacobian(lambda x: cnp.concatenate([x, x, x]) * 1j)
    assert np.allclose(J(np.ones(4))[:4], 1j * np.eye(4)) and J.choice.mode == "forward"
    assert np.allclose(cr.jacobian(lambda z: z * z, holomorphic=True)(z), np.diag(2 * z))


@pytest.mark.parametrize("x", [np.arange(2), True, 3])
def test_integer_and_bool_inputs_still_rejected(x):
    _raises(TypeError, lambda: cr.grad(lambda x: cnp.sum(x * 1.0))(x), "floating-point")
    _raises(TypeError, lambda: cr.grad(lambda x: cnp.sum(x * 1.0), holomorphic=True)(x),
            "floating-point")


# ---- tangents and cotangents ----------------------------------------------------------------------
def test_tangent_of_wrong_shape():
    msg = _raises(ValueError, lambda: cr.jvp(lambda x, y: x * y, (np.ones(3), np.ones(3)),
                                             (np.ones(3), np.ones(2))),
                  "tangent 1", "shape (2,)", "(3,)")
    assert "primal 1" in msg


def test_tangent_of_wrong_dtype():
    _raises(ValueError, lambda: cr.jvp(lambda x: x * 2.0, (np.ones(3),), (np.ones(3, np.float32),)),
            "tangent 0", "float32", "float64", "astype")
    _raises(ValueError, lambda: cr.jvp(lambda x: x * 2.0, (np.ones(3),), (np.ones(3, int),)),
            "tangent 0", "dtype")


def test_tangent_of_wrong_structure_and_not_tuples():
    _raises(ValueError, lambda: cr.jvp(lambda x, y: x * y, (np.ones(3), 1.0), (np.ones(3),)),
            "structure")
    _raises(TypeError, lambda: cr.jvp(lambda x: x, 1.0, 1.0), "tuples", "(x,)")
    _raises(TypeError, lambda: cr.hvp(lambda x: x, 1.0, 1.0), "tuples")


def test_linearize_tangent_checks():
    _, lin = cr.linearize(lambda x: x * 2.0, np.ones(3))
    _raises(ValueError, lambda: lin(np.ones(2)), "tangent 0", "shape")


def test_cotangent_of_wrong_shape_or_structure():
    _, pull = cr.vjp(lambda x: x * 2.0, np.ones(3))
    _raises(ValueError, lambda: pull(np.ones(2)), "cotangent 0", "shape (2,)", "(3,)")
    _raises(ValueError, lambda: pull((np.ones(3), 1.0)), "structure")


# ---- in-place writes into traced arrays ---------------------------------------------------------
def _setitem(x):
    x[0] = 1.0
    return cnp.sum(x)


def _ufunc_out(x):
    buf = np.empty(3)
    np.sin(x, out=buf)
    return cnp.sum(buf)


def _sort_method(x):
    x.sort()
    return cnp.sum(x)


def _fill(x):
    x.fill(0.0)
    return cnp.sum(x)


@pytest.mark.parametrize("transform", [
    lambda fn: cr.grad(fn)(np.ones(3)),
    lambda fn: cr.jvp(fn, (np.ones(3),), (np.ones(3),)),
    lambda fn: cr.vjp(fn, np.ones(3)),
], ids=["grad", "jvp", "vjp"])
def test_in_place_writes(transform):
    _raises(cr.InPlaceError, lambda: transform(_setitem), ".at[", ".set(")
    _raises(cr.InPlaceError, lambda: transform(_ufunc_out), "out=", "chainrule.numpy.sin")
    _raises(cr.InPlaceError, lambda: transform(_sort_method), "chainrule.numpy.sort")
    _raises(cr.InPlaceError, lambda: transform(_fill), "full_like")
    assert issubclass(cr.InPlaceError, TypeError)


# ---- NumPy functions with no derivative -----------------------------------------------------------
_PY_ADD = np.frompyfunc(lambda a, b: a + b, 2, 1)   # an object ufunc: NumPy's, unknown to chainrule


@pytest.mark.parametrize("fn,name", [
    # (a NumPy module's function with a top-level namesake is not routed to it: numpy.strings'
    # functions are not numpy's)
    (lambda x: cnp.sum(np.strings.upper(x)), "numpy.strings.upper"),
    (lambda x: cnp.sum(np.einsum_path("i->", x)[0]), "numpy.einsum_path"),
    # a ufunc chainrule does not know (np.add.outer and the other methods of its own ufuncs
    # are differentiable: tests/test_ufunc_methods.py)
    (lambda x: cnp.sum(_PY_ADD.outer(x, x)), "numpy.<lambda> (vectorized).outer"),
])
def test_unwrapped_numpy_function_on_a_traced_value(fn, name):
    x = np.eye(2) if "linalg" in name else np.ones(4)
    _raises(TypeError, lambda: cr.grad(fn)(x), name, "custom_vjp")
    _raises(TypeError, lambda: cr.jvp(fn, (x,), (x,)), name)


@pytest.mark.parametrize("get,name", [(lambda: cnp.fft.no_such_transform, "chainrule.numpy.fft.no_such_transform"),
                                      (lambda: cnp.frompyfunc, "chainrule.numpy.frompyfunc"),
                                      (lambda: cnp.linalg.no_such_function,
                                       "chainrule.numpy.linalg.no_such_function")])
def test_unwrapped_name_in_the_namespace(get, name):
    _raises(AttributeError, get, name, "not wrapped", "custom_vjp")


def test_converting_a_tracer_to_a_plain_value():
    _raises(TypeError, lambda: cr.grad(lambda x: float(x))(1.0), "stop_gradient")
    _raises(TypeError, lambda: cr.grad(lambda x: np.asarray(x).sum())(np.ones(2)),
            "chainrule.numpy", "stop_gradient")
    _raises(TypeError, lambda: cr.grad(lambda x: sum(x.tolist()))(np.ones(2)), "stop_gradient")


def test_unsupported_variants_say_what_to_use():
    _raises(ValueError, lambda: cr.grad(lambda x: cnp.sum(cnp.pad(x, 1, mode=np.pad)))(np.ones(3)),
            "'constant'", "'edge'")
    _raises(NotImplementedError,
            lambda: cr.grad(lambda x: cnp.sum(cnp.linalg.qr(x, mode="raw")[0]))(np.ones((3, 2))),
            "mode='reduced'")


# ---- escaped tracers -----------------------------------------------------------------------------
def _leak(transform):
    store = []

    def fn(x):
        store.append(x * 2.0)
        return x * 3.0

    transform(fn)
    return store[0]


@pytest.mark.parametrize("transform,kind", [
    (lambda fn: cr.grad(fn)(1.0), "grad"),
    (lambda fn: cr.jvp(fn, (1.0,), (1.0,)), "jvp"),
    (lambda fn: cr.vjp(fn, 1.0), "vjp"),
])
def test_escaped_tracer(transform, kind):
    leaked = _leak(transform)
    _raises(cr.TracerEscapeError, lambda: leaked + 1.0, "escaped", kind, "has_aux")
    _raises(cr.TracerEscapeError, lambda: cnp.sin(leaked), "escaped", "'sin'")
    # ... also when used inside another transformation
    _raises(cr.TracerEscapeError, lambda: cr.grad(lambda y: y * leaked)(2.0), "escaped")
    _raises(cr.TracerEscapeError, lambda: cr.jvp(lambda y: y * leaked, (2.0,), (1.0,)), "escaped")


# ---- misuse of the transforms themselves -----------------------------------------------------------
def test_has_aux_without_a_pair():
    _raises(TypeError, lambda: cr.grad(lambda x: x, has_aux=True)(1.0), "(value, aux)")


def test_custom_rules_not_defined():
    _raises(TypeError, lambda: cr.grad(cr.custom_vjp(lambda x: x))(1.0), "defvjp")
    _raises(TypeError, lambda: cr.grad(cr.custom_jvp(lambda x: x))(1.0), "defjvp")


def test_check_grads_and_jacobian_bad_modes():
    _raises(ValueError, lambda: cr.jacobian(lambda x: x, mode="fast"), "'forward'", "'reverse'")
    _raises(ValueError, lambda: cr.check_grads(cnp.sin, (1.0,), modes=("back",)), "'fwd'")


def test_argnums_out_of_range():
    _raises(ValueError, lambda: cr.grad(lambda x, y: x * y, argnums=(0, 2))(1.0, 2.0), "argnums")
    _raises(ValueError, lambda: cr.jacrev(lambda x: x, argnums=(1,))(np.ones(2)), "argnums")


def test_int_argnums_out_of_range():
    _raises(ValueError, lambda: cr.grad(lambda x: x, argnums=2)(1.0), "argnums")


def test_missing_rule_is_named():
    from chainrule.core.primitive import Primitive
    p = Primitive("no_rules_here", np.sin)
    _raises(cr.MissingRuleError, lambda: cr.grad(p)(1.0), "no_rules_here", "defvjp", "custom_vjp")
    _raises(cr.MissingRuleError, lambda: cr.jvp(p, (1.0,), (1.0,)), "no_rules_here", "defjvp")


# ---- nothing recurses ----------------------------------------------------------------------------
def test_deep_pytrees_do_not_recurse():
    depth = sys.getrecursionlimit() * 3
    tree = 1.0
    for _ in range(depth):
        tree = [tree]
    leaves, tdef = cr.tree.flatten(tree)
    assert leaves == [1.0]
    back = cr.tree.unflatten(tdef, [2.0])
    assert tdef == cr.tree.flatten(back)[1]
    mapped = cr.tree.tree_map(lambda v: v * 3.0, tree)
    assert cr.tree.flatten(mapped)[0] == [3.0]

    def unwrap(t):
        while isinstance(t, list):
            t = t[0]
        return t
    g = cr.grad(lambda t: unwrap(t) ** 2)(tree)
    assert cr.tree.flatten(g)[0] == [2.0]


def test_deep_nesting_of_transformations_does_not_recurse_unboundedly():
    # 8 nested derivatives of exp: each level adds a bounded amount of stack.
    fn = cnp.exp
    for _ in range(8):
        fn = cr.grad(fn)
    assert abs(fn(0.0) - 1.0) < 1e-12


def test_long_chain_in_forward_mode_and_graph():
    def chain(x):
        for _ in range(5000):
            x = x * 1.0 + 0.0
        return x
    assert cr.jvp(chain, (1.0,), (1.0,))[1] == 1.0
    g = cr.make_graph(chain)(1.0)
    assert len(g.nodes) == 10001
    assert cr.linearize(chain, 1.0)[1](2.0) == 2.0
    assert cr.jacobian(chain)(np.ones(1)).shape == (1, 1)
