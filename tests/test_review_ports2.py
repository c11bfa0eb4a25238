"""What porting HIPS autograd's other examples (tests/ports/, tests/test_ports_examples.py)
turned up in chainrule and its autograd layer: each test failed before its fix."""
import warnings

import numpy as onp
import pytest
import scipy.optimize

import chainrule as cr
import chainrule.numpy as cnp


@pytest.mark.parametrize("op, spelled", [("+=", "x = x + v"), ("-=", "x = x - v"),
                                         ("*=", "x = x * v"), ("/=", "x = x / v")])
def test_augmented_assignment_into_a_plain_array_says_what_to_write(op, spelled):
    # autograd's optimizers.py writes x -= step_size * g; with a traced step size the error
    # named numpy.subtract(..., out=...), which the program never calls
    def train(step):
        x = onp.ones(3)
        v = step * cnp.arange(1.0, 4.0)
        if op == "+=":
            x += v
        elif op == "-=":
            x -= v
        elif op == "*=":
            x *= v
        else:
            x /= v
        return cnp.sum(x)
    for transform in (lambda: cr.grad(train)(0.5), lambda: cr.jvp(train, (0.5,), (1.0,))):
        with pytest.raises(cr.InPlaceError) as info:
            transform()
        assert f"x {op} v" in str(info.value) and spelled in str(info.value)


def test_the_written_fix_differentiates():
    def train(step):
        x = onp.ones(3)
        x = x - step * cnp.arange(1.0, 4.0)
        return cnp.sum(x ** 2)
    x = onp.ones(3) - 0.5 * onp.arange(1.0, 4.0)
    assert abs(cr.grad(train)(0.5) - onp.sum(2 * x * -onp.arange(1.0, 4.0))) < 1e-14


def test_an_explicit_out_argument_keeps_its_message():
    def f(s):
        out = onp.zeros(2)
        onp.sin(s * onp.ones(2), out=out)
        return out.sum()
    with pytest.raises(cr.InPlaceError, match=r"numpy.sin\(\.\.\., out=\.\.\.\)"):
        cr.grad(f)(1.0)


def test_autograd_vector_products_take_any_numeric_vector():
    # SciPy's trust-constr probes hessp with np.zeros(n, dtype=np.int8): autograd's
    # hessian_vector_product took it, chainrule.autograd raised "tangent 0 has dtype int8"
    import chainrule.autograd as autograd
    import chainrule.autograd.numpy as np
    f = lambda x: np.sum(x ** 3)
    x = onp.array([1.0, 2.0])
    for v in (onp.array([1, 0], dtype=onp.int8), onp.array([True, False]), [1, 0], (1.0, 0.0)):
        onp.testing.assert_array_equal(autograd.hessian_vector_product(f)(x, v), [6.0, 0.0])
        onp.testing.assert_array_equal(autograd.make_hvp(f)(x)[0](v), [6.0, 0.0])
        onp.testing.assert_array_equal(autograd.make_vjp(lambda x: x ** 2)(x)[0](v), [2.0, 0.0])
        onp.testing.assert_array_equal(autograd.make_jvp(lambda x: x ** 2)(x)(v)[1], [2.0, 0.0])
        onp.testing.assert_array_equal(
            autograd.vector_jacobian_product(lambda x: x ** 2)(x, v), [2.0, 0.0])
        onp.testing.assert_array_equal(autograd.make_ggnvp(lambda x: x ** 2)(x)(v), [4.0, 0.0])
    assert autograd.hessian_vector_product(lambda x: x ** 3)(2.0, 1) == 12.0
    g = autograd.hessian_vector_product(lambda d: d["a"] ** 3 * d["b"])({"a": 2.0, "b": 1.0},
                                                                      {"a": 1, "b": 0})
    assert g == {"a": 12.0, "b": 12.0}
    r = scipy.optimize.minimize(lambda x: np.sum((x - 1.0) ** 2), onp.zeros(2),
                                jac=autograd.grad(lambda x: np.sum((x - 1.0) ** 2)),
                                hessp=autograd.hessian_vector_product(lambda x: np.sum((x - 1.0) ** 2)),
                                method="trust-constr")
    onp.testing.assert_allclose(r.x, [1.0, 1.0], atol=1e-6)


def test_a_complex_vector_for_a_real_input_is_still_refused():
    import chainrule.autograd as autograd
    with pytest.raises(ValueError, match="complex128"):   # never its real part, silently
        autograd.make_jvp(lambda x: x ** 2)(onp.ones(2))(onp.array([1j, 0]))


def test_make_jvp_reversemode():
    import chainrule.autograd as autograd
    import chainrule.autograd.numpy as np
    A = onp.arange(6.0).reshape(2, 3)
    x = onp.array([0.1, 0.2, 0.3])
    f = lambda x: np.tanh(A @ x)
    v = onp.array([1.0, -1.0, 2.0])
    onp.testing.assert_allclose(autograd.make_jvp_reversemode(f)(x)(v),
                                cr.jacobian(f)(x) @ v, rtol=1e-14)


def test_chainrule_tree_is_importable_as_a_module():
    # `cr.tree.register_pytree_node` worked, `from chainrule.tree import ...` raised
    # ModuleNotFoundError (chainrule.tree was only an attribute)
    from chainrule.tree import register_pytree_node, tree_map
    import chainrule.tree
    assert chainrule.tree is cr.tree and register_pytree_node is cr.tree.register_pytree_node

    class Pair:
        def __init__(self, a, b):
            self.a, self.b = a, b
    register_pytree_node(Pair, lambda p: ((p.a, p.b), None), lambda aux, ch: Pair(*ch))
    g = cr.grad(lambda p: p.a * cnp.sin(p.b))(Pair(2.0, 0.5))
    assert isinstance(g, Pair) and abs(g.b - 2.0 * onp.cos(0.5)) < 1e-15
    assert tree_map(lambda x: 2 * x, Pair(1.0, 3.0)).b == 6.0


def _names_node():
    from chainrule.autograd.tracer import Node

    class NamesNode(Node):
        def __init__(self, value, fun, args, kwargs, parent_argnums, parents):
            shown = [str(a) for a in args]
            for i, p in zip(parent_argnums, parents):
                shown[i] = p.text
            self.text = f"{fun.__name__}({', '.join(shown)})"
            self.value = value
            self.kwargs = kwargs

        def initialize_root(self, name="x"):
            self.text = name
    return NamesNode


def test_autograd_tracer_walks_the_operations():
    # `from autograd.tracer import trace, Node` (autograd's print_trace example) raised
    # ModuleNotFoundError
    import chainrule.autograd.numpy as np
    from chainrule.autograd import grad
    from chainrule.autograd.tracer import trace
    N = _names_node()
    value, node = trace(N.new_root(), lambda x: np.sum(np.sin(x) * 2.0, axis=0), onp.ones((2, 2)))
    assert node.text == "sum(multiply(sin(x), 2.0))" and node.kwargs == {"axis": 0}
    onp.testing.assert_allclose(value, 2 * 2 * onp.sin(1.0) * onp.ones(2), rtol=1e-15)
    # a function of grad(f) is traced through the derivative: forward and backward operations
    value, node = trace(N.new_root(), grad(lambda x: np.exp(x * x)), 0.5)
    assert abs(value - 2 * 0.5 * onp.exp(0.25)) < 1e-15 and "exp" in node.text
    # several outputs: each one's value and node
    values, nodes = trace(N.new_root(), lambda x: (np.cos(x), x * 3.0), 0.0)
    assert values == (1.0, 0.0) and [n.text for n in nodes] == ["cos(x)", "multiply(x, 3.0)"]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert trace(N.new_root(), lambda x: 3.0, 1.0) == (3.0, None)
    assert "independent" in str(caught[0].message)


def test_a_node_class_without_its_methods_says_so():
    from chainrule.autograd.tracer import trace, Node
    with pytest.raises(NotImplementedError, match="subclass Node"):
        Node.new_root()


LIST_PROGRAMS = {
    # np.dot(w, [1.0, 2.0]) (a weight vector against a list of coefficients): the reverse
    # rules received the list and failed with "can't multiply sequence by non-int"
    "dot": (lambda w: cnp.dot(w, [1.0, 2.0]), lambda w: w @ onp.array([1.0, 2.0])),
    "dot, list first": (lambda w: cnp.dot([1.0, 2.0], w), lambda w: onp.array([1.0, 2.0]) @ w),
    "matmul": (lambda w: cnp.sum(cnp.matmul([[1.0, 2.0]], w)), lambda w: onp.sum([[1.0, 2.0]] @ w)),
    "operator @": (lambda w: w @ (1.0, 2.0), lambda w: w @ onp.array([1.0, 2.0])),
    # maximum/minimum and composites asked np.result_type of the list, which NumPy reads
    # as a structured dtype: "Field elements must be 2- or 3-tuples, got '0.0'"
    "maximum": (lambda w: cnp.sum(cnp.maximum(w, [0.0, 2.0])),
                lambda w: onp.sum(onp.maximum(w, [0.0, 2.0]))),
    "minimum": (lambda w: cnp.sum(cnp.minimum([0.0, 2.0], w)),
                lambda w: onp.sum(onp.minimum([0.0, 2.0], w))),
    "convolve": (lambda w: cnp.sum(cnp.convolve(w, [1.0, 2.0]) ** 2),
                 lambda w: onp.sum(onp.convolve(w, [1.0, 2.0]) ** 2)),
    "correlate": (lambda w: cnp.sum(cnp.correlate([1.0, 2.0], w, "full") ** 2),
                  lambda w: onp.sum(onp.correlate([1.0, 2.0], w, "full") ** 2)),
    # trapezoid indexed its x as an array even untraced
    "trapezoid": (lambda w: cnp.trapezoid(w ** 2, [0.5, 2.0]),
                  lambda w: onp.trapezoid(w ** 2, [0.5, 2.0])),
}


@pytest.mark.parametrize("name", sorted(LIST_PROGRAMS))
def test_a_python_list_next_to_a_traced_value_is_an_array(name):
    f, numpy_f = LIST_PROGRAMS[name]
    w = onp.array([0.7, 1.3])
    assert abs(f(w) - numpy_f(w)) < 1e-14
    cr.check_grads(f, (w,), order=2, modes=("fwd", "rev"))
    onp.testing.assert_allclose(cr.vmap(f)(onp.stack([w, 2 * w])), [numpy_f(w), numpy_f(2 * w)],
                                rtol=1e-14)
    onp.testing.assert_allclose(cr.jit(cr.grad(f))(w), cr.grad(f)(w), rtol=1e-14)


def test_a_list_holding_traced_values():
    # a composite that takes lists (trapezoid) makes one array of them, traced parts and all
    f = lambda w: cnp.trapezoid([w[0], 2.0], [0.5, w[1]])
    w = onp.array([0.7, 1.3])
    cr.check_grads(f, (w,), order=1, modes=("fwd", "rev"))
    # a primitive says to make the array first, as before
    with pytest.raises(TypeError, match=r"cnp.stack\(\[x, y\]\)"):
        cr.grad(lambda w: cnp.dot(w, [w[0], 2.0]))(w)


def test_autograd_primitive_defined_in_a_class_is_a_method():
    # autograd's rkhs example decorates a method with @primitive; chainrule.autograd's
    # primitive was a plain callable object, so obj.method(x) lost obj: "missing 1 required
    # positional argument: 'x'"
    import chainrule.autograd as autograd
    from chainrule.autograd.extend import primitive, defvjp

    class Quadratic:
        def __init__(self, c):
            self.c = c

        @primitive
        def __call__(self, x):
            return self.c * x ** 2

        @primitive
        def scaled(self, x, k=1.0):
            return k * self.c * x

    defvjp(Quadratic.__call__, None, lambda ans, self, x: lambda g: g * 2 * self.c * x)
    defvjp(Quadratic.scaled, None, lambda ans, self, x, k=1.0: lambda g: g * k * self.c)
    q = Quadratic(3.0)
    assert q(2.0) == 12.0 and autograd.grad(q)(2.0) == 12.0
    assert autograd.grad(lambda x: q.scaled(x, k=2.0))(1.0) == 6.0
    assert autograd.deriv(lambda x: q(x))(2.0) == 12.0          # forward mode from the VJP
    assert Quadratic.__call__.__name__ == "__call__"


def test_arraybox_answers_whether_a_value_is_being_differentiated():
    # `from autograd.numpy.numpy_boxes import ArrayBox` and `isinstance(x, ArrayBox)` (how
    # libraries written for autograd detect backprop) raised ModuleNotFoundError
    from chainrule.autograd.numpy.numpy_boxes import ArrayBox
    from chainrule.autograd.tracer import isbox, getval
    import chainrule.autograd as autograd
    seen = []

    def f(x):
        seen.append((isinstance(x, ArrayBox), isbox(x), isinstance(getval(x), ArrayBox)))
        return cnp.sum(x ** 2)
    f(onp.ones(2))
    autograd.grad(f)(onp.ones(2))
    cr.jvp(f, (onp.ones(2),), (onp.ones(2),))
    assert seen == [(False, False, False), (True, True, False), (True, True, False)]
    with pytest.raises(TypeError, match="does not box"):
        ArrayBox(onp.ones(2))


def test_autograd_optimizers_move_an_integer_starting_point():
    # adam(grad, np.zeros(2, dtype=int)) returned array([0, 0]): every step was unflattened
    # into the integer dtype and truncated (HIPS autograd returns the float iterate)
    from chainrule.autograd.misc.optimizers import adam, sgd
    g = lambda x, i: 2 * (x - 1.0)
    want = adam(g, onp.zeros(2), num_iters=3)
    onp.testing.assert_array_equal(adam(g, onp.zeros(2, dtype=int), num_iters=3), want)
    step = lambda p, i: {"n": 2 * (p["n"] - 1.0), "w": 2 * p["w"]}
    out = sgd(step, {"n": 0, "w": onp.ones(2)}, num_iters=5, step_size=0.5)
    assert out["n"] == sgd(step, {"n": 0.0, "w": onp.ones(2)}, num_iters=5, step_size=0.5)["n"]
    assert out["n"].dtype == onp.float64 and out["n"] != round(float(out["n"]))


def test_unflatten_never_truncates_into_an_integer_leaf():
    v, unflatten = cr.flatten({"count": onp.array([1, 2]), "w": 2.0, "on": True})
    assert unflatten(v + onp.array([1.0, 0.0, 0.0, 0.5]))["count"].tolist() == [2, 2]
    for bad, shown in ((v + 0.5, "whole numbers"), (onp.array([1.0, 1, 2, 2]), "0 or 1"),
                       (onp.array([1.0, onp.nan, 1, 2]), "whole numbers")):
        with pytest.raises(ValueError, match=shown):
            unflatten(bad)
    # traced, an integer leaf is a constant (no derivative), as before
    assert cr.grad(lambda w: unflatten(w)["w"] * 3.0)(v).tolist() == [0.0, 0.0, 0.0, 3.0]


def test_autograd_elementwise_grad_refuses_a_complex_output():
    # it returned zeros (the derivative of the real part, silently); autograd refuses too
    import chainrule.autograd as autograd
    with pytest.raises(TypeError, match="real-output functions"):
        autograd.elementwise_grad(lambda x: x * 1j)(onp.ones(2))
    onp.testing.assert_array_equal(autograd.elementwise_grad(lambda x: x * 2.0)(onp.ones(2)), [2, 2])


@pytest.mark.parametrize("out, said", [(lambda x: x * 2.0, "returned a float"),
                                       (lambda x: (x, 1, 2), "a tuple of 3"),
                                       (lambda x: None, "returned None")])
def test_autograd_grad_and_aux_says_it_wants_a_pair(out, said):
    # "object of type 'float' has no len()"
    import chainrule.autograd as autograd
    with pytest.raises(TypeError, match=r"must return a pair \(value, aux\).*" + said):
        autograd.grad_and_aux(out)(1.0)


def test_autograd_older_rule_api_on_primitives():
    # f.defvjp(lambda g, ans, vs, gvs, *args: ...), f.defgrad, f.defvjp_is_zero and
    # `from autograd.core import primitive` (still in autograd 1.9, and in programs written
    # for autograd before 1.2) raised AttributeError / ModuleNotFoundError
    import chainrule.autograd as autograd
    from chainrule.autograd.core import primitive, make_vjp

    @primitive
    def func(x, y, z):
        return x * y ** 2

    with pytest.warns(DeprecationWarning, match="older API"):
        func.defvjp(lambda g, ans, vs, gvs, x, y, z: g * y ** 2 + vs.zeros())
        func.defvjp(lambda g, ans, vs, gvs, x, y, z: 2 * g * x * y, argnum=1)
        func.defvjp_is_zero(argnums=[2])
    assert autograd.grad(func, (0, 1, 2))(2.0, 3.0, 1.0) == (9.0, 12.0, 0.0)
    assert autograd.hessian(lambda x: func(x, x, 1.0))(2.0) == 12.0    # d²x³/dx² = 6x

    @primitive
    def square(x):
        return x ** 2

    with pytest.warns(DeprecationWarning):
        square.defgrad(lambda ans, x: lambda g: 2 * g * x)
    assert autograd.grad(square)(3.0) == 6.0 and autograd.deriv(square)(3.0) == 6.0
    vjp, ans = make_vjp(square, 3.0)
    assert ans == 9.0 and vjp(1.0) == 6.0
