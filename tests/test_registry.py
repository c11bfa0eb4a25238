"""The registry: one declaration per primitive generates the namespaces, docs and tests.

Also the contributor's guide (its recipes are the code's), and the errors a declaration
or a misuse of a non-differentiable argument gives.
"""

import pathlib
import re

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp
import chainrule.scipy.special as csp
from chainrule.core import registry
from chainrule.core.primitive import Primitive
from chainrule.primitives.declare import declare, LOOP
from chainrule.primitives.basic import elementwise_batch

ROOT = pathlib.Path(__file__).resolve().parents[1]


# ---- the contributor's guide is what the code needs -------------------------------------------
def _python_blocks(text):
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


def test_contributing_examples_are_the_code():
    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    blocks = _python_blocks(guide)
    assert len(blocks) == 2
    elementwise = (ROOT / "src/chainrule/primitives/elementwise.py").read_text(encoding="utf-8")
    structural = (ROOT / "src/chainrule/primitives/structural.py").read_text(encoding="utf-8")
    assert blocks[0] in elementwise, "CONTRIBUTING.md's float_power line is not in elementwise.py"
    assert blocks[1] in structural, "CONTRIBUTING.md's take_along example is not in structural.py"


def test_the_worked_example_is_generated_everywhere():
    from test_rules import SPECS
    from chainrule import coverage
    entry = registry.lookup(registry.NUMPY, "float_power")
    assert entry.kind == registry.PRIMITIVE and entry.family == "binary"
    assert len(SPECS["chainrule.numpy.float_power"]) == 5       # generated shapes, no hand spec
    row = next(r for r in coverage.rows() if r[0] == "chainrule.numpy.float_power")
    assert row[1:] == ("primitive", "yes", "yes", "rule", "order 2")
    x, y = np.array([0.5, 2.0]), np.array([3.0, -1.5])
    np.testing.assert_allclose(cnp.float_power(x, y), np.float_power(x, y))
    # NumPy's own function dispatches to it on a traced value, in both modes.
    g = cr.grad(lambda x: np.sum(np.float_power(x, 3.0)))(x)
    np.testing.assert_allclose(g, 3 * x ** 2)
    _, t = cr.jvp(lambda y: cnp.float_power(2.0, y), (y,), (np.ones(2),))
    np.testing.assert_allclose(t, 2.0 ** y * np.log(2.0))


# ---- the registry and the declaration ---------------------------------------------------------
def test_namespaces_are_generated_from_the_registry():
    for module, ns in ((registry.NUMPY, cnp), (registry.LINALG, cnp.linalg),
                       (registry.SPECIAL, csp)):
        entries = registry.entries(module)
        assert {n for n in entries if "." not in n} <= set(dir(ns))
        for name, e in entries.items():
            obj = ns
            for part in name.split("."):   # (dotted: a submodule's, cnp.emath.sqrt)
                obj = getattr(obj, part)
            assert obj is e.obj
    with pytest.raises(AttributeError, match="not wrapped"):
        cnp.no_such_function


def test_a_name_is_registered_once():
    with pytest.raises(ValueError, match="registered twice"):
        registry.add(registry.NUMPY, "sin", registry.PRIMITIVE, object())
    with pytest.raises(ValueError, match="unknown namespace"):
        registry.add("chainrule.nowhere", "f", registry.PRIMITIVE, object())


def test_declare_refuses_half_a_rule_set_and_a_missing_batching_rule():
    p = Primitive("half_rules_test", np.sin)
    with pytest.raises(ValueError, match="both a JVP and a VJP"):
        declare(p, jvp=[lambda t, ans, x: t], vjp=None, batch=LOOP, names=())
    with pytest.raises(TypeError, match="batch must be"):
        declare(p, jvp=None, vjp=None, batch=None, names=())


def test_a_declared_primitive_works_in_every_transformation():
    cube = Primitive("cube_registry_test", lambda x: x ** 3)
    declare(cube, jvp=[lambda t, ans, x: t * 3.0 * x * x], vjp=[lambda g, ans, x: g * 3.0 * x * x],
            batch=elementwise_batch(cube), names=())
    assert cube in registry.declared_primitives()
    x = np.array([1.0, -2.0])
    np.testing.assert_allclose(cr.grad(lambda x: cnp.sum(cube(x)))(x), 3 * x ** 2)
    np.testing.assert_allclose(cr.jvp(cube, (x,), (np.ones(2),))[1], 3 * x ** 2)
    np.testing.assert_allclose(cr.hessian(lambda x: cnp.sum(cube(x)))(x), np.diag(6 * x))
    np.testing.assert_allclose(cr.vmap(cube)(np.stack([x, 2 * x])), np.stack([x, 2 * x]) ** 3)
    assert registry.lookup(registry.NUMPY, "cube_registry_test") is None   # names=() is internal


# ---- a traced value in a non-differentiable position: both modes, at record time ------------
def test_non_differentiable_argument_is_named_the_same_in_both_modes():
    fn = lambda x: cnp.where(x, 1.0, x)  # noqa: E731  (a float used as the condition)
    x = np.array([0.0, 1.0, 2.0])
    msg = "argument 0 of 'where' is not differentiable"
    with pytest.raises(cr.MissingRuleError, match=msg):
        cr.jvp(fn, (x,), (np.ones(3),))
    with pytest.raises(cr.MissingRuleError, match=msg):
        cr.vjp(fn, x)          # raised while recording, before any backward pass


def test_integer_indices_computed_from_a_traced_value_are_fine_in_both_modes():
    a = np.array([10.0, 20.0, 30.0])

    def f(x):
        idx = (x * 0.0 + np.array([2.0, 0.0])).astype(np.int64)
        return cnp.sum(cnp.take_along_axis(a * x[0], idx, 0))

    x = np.array([1.0, 5.0])
    assert float(f(x)) == 40.0
    np.testing.assert_allclose(cr.grad(f)(x), [40.0, 0.0])
    np.testing.assert_allclose(cr.jvp(f, (x,), (np.array([1.0, 0.0]),))[1], 40.0)


# ---- the softmax family at large inputs (issue: trust, item 3) -----------------------------------
@pytest.mark.parametrize("dtype,big", [(np.float64, 1e16), (np.float32, 1e7), (np.float32, 1e4)])
def test_logsumexp_gradient_is_exact_at_large_inputs(dtype, big):
    x = np.array([big, big], dtype=dtype)
    g = cr.grad(csp.logsumexp)(x)
    assert g.dtype == dtype
    np.testing.assert_array_equal(g, np.array([0.5, 0.5], dtype=dtype))
    _, t = cr.jvp(csp.logsumexp, (x,), (np.array([1.0, 0.0], dtype=dtype),))
    assert float(t) == 0.5
    np.testing.assert_array_equal(csp.softmax(x), np.array([0.5, 0.5], dtype=dtype))
    np.testing.assert_allclose(csp.log_softmax(x), -np.log(2.0), rtol=1e-6)
    J = cr.jacrev(csp.log_softmax)(x)
    np.testing.assert_allclose(J, np.eye(2) - 0.5, rtol=1e-6)


def test_logsumexp_with_infinite_entries():
    x = np.array([-np.inf, 0.0, 0.0])
    np.testing.assert_allclose(cr.grad(csp.logsumexp)(x), [0.0, 0.5, 0.5])
