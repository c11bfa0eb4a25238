"""NumPy's ufunc methods on chainrule.numpy's ufuncs (primitives/ufunc_methods.py): NumPy's
values and errors on plain arrays, the same values on traced ones, in-place methods refused
with the functional fix. Derivatives (order 2, both modes), vmap and jit are checked by the
rule tables (tests/test_rules.py: the outer/reduce/accumulate cases)."""
import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp
from chainrule.core.primitive import InPlaceError

X = np.array([[0.5, -1.25, 2.0], [1.5, 0.75, -0.5]])
Y = np.array([0.3, -0.7])

CALLS = [("add", "outer", (X[0], Y), {}), ("subtract", "outer", (Y, X), {}),
         ("hypot", "outer", (Y, Y), {}), ("heaviside", "outer", (X[0], Y), {}),
         ("add", "reduce", (X,), {"axis": 1}), ("multiply", "reduce", (X,), {"axis": None}),
         ("maximum", "reduce", (X,), {"axis": 0, "keepdims": True}),
         ("hypot", "reduce", (X,), {"axis": (0, 1)}), ("logaddexp", "reduce", (X,), {"axis": -1}),
         ("arctan2", "reduce", (X,), {"axis": 0}), ("minimum", "reduce", (X,), {"initial": 0.0}),
         ("logaddexp", "reduce", (X,), {"initial": 1.0, "axis": 1}),
         ("add", "accumulate", (X,), {"axis": 1}), ("multiply", "accumulate", (X[0],), {}),
         ("maximum", "accumulate", (X,), {"axis": 1}), ("fmin", "accumulate", (X[1],), {}),
         ("logaddexp2", "accumulate", (X,), {"axis": 0})]


@pytest.mark.parametrize("name,method,args,kwargs", CALLS,
                         ids=[f"{c[0]}.{c[1]}-{i}" for i, c in enumerate(CALLS)])
def test_values_match_numpy_plain_and_traced(name, method, args, kwargs):
    want = getattr(getattr(np, name), method)(*args, **kwargs)
    ours = getattr(getattr(cnp, name), method)
    np.testing.assert_array_equal(ours(*args, **kwargs), want)      # plain: NumPy's own
    traced = cr.jvp(lambda a: ours(a, *args[1:], **kwargs), (args[0],), (np.ones_like(args[0]),))[0]
    np.testing.assert_allclose(traced, want, rtol=1e-14)            # traced: the composite
    via_numpy = cr.jvp(lambda a: getattr(getattr(np, name), method)(a, *args[1:], **kwargs),
                       (args[0],), (np.ones_like(args[0]),))[0]     # NumPy dispatching to it
    np.testing.assert_allclose(via_numpy, want, rtol=1e-14)


def test_aliases_share_the_methods_and_numpys_errors_stay():
    assert cnp.abs is cnp.absolute and cnp.pow.outer(np.abs(Y), Y).shape == (2, 2)
    with pytest.raises(ValueError, match="binary"):
        cnp.sin.reduce(X)
    with pytest.raises(ValueError, match="binary"):
        cr.grad(lambda x: cnp.sum(cnp.sin.outer(x, x)))(Y)
    with pytest.raises(ValueError, match="no identity"):
        cr.grad(lambda x: cnp.sum(cnp.arctan2.reduce(x[:0])))(Y)


def test_at_updates_plain_arrays_in_place_as_numpy_does():
    a, b = np.zeros(4), np.zeros(4)
    assert cnp.add.at(a, [0, 0, 3], [1.0, 2.0, 5.0]) is None
    np.add.at(b, [0, 0, 3], [1.0, 2.0, 5.0])
    np.testing.assert_array_equal(a, b)
    c = np.array([1.0, -2.0, 3.0])
    cnp.negative.at(c, [1, 2])                                         # a unary ufunc's at
    np.testing.assert_array_equal(c, [1.0, 2.0, -3.0])
    np.testing.assert_array_equal(cnp.add.reduceat(np.arange(6.0), [0, 4]), [6.0, 9.0])


def test_in_place_methods_refuse_traced_values_with_the_fix():
    with pytest.raises(InPlaceError, match=r"at\(a\)\[indices\]\.add\(-b\)"):
        cr.grad(lambda v: (cnp.subtract.at(np.zeros(3), [0, 0], v), cnp.sum(v))[1])(Y)
    with pytest.raises(InPlaceError, match="maximum.at"):
        cr.grad(lambda v: (np.maximum.at(np.zeros(3), [0, 1], v), cnp.sum(v))[1])(Y)
    with pytest.raises(InPlaceError, match="out="):
        cr.grad(lambda v: cnp.sum(cnp.add.reduce(v, out=np.zeros(()))))(Y)
    with pytest.raises(TypeError, match="reduceat has no derivative"):
        cr.grad(lambda v: cnp.sum(cnp.add.reduceat(v, [0, 1])))(Y)
    # the functional spelling the message gives accumulates repeated indices as add.at does
    g = cr.grad(lambda v: cnp.sum(cnp.at(np.zeros(3))[[0, 0, 2]].add(v * v) ** 2))(
        np.array([1.0, 2.0, 3.0]))
    np.testing.assert_allclose(g, [4 * 5.0 * 1.0, 4 * 5.0 * 2.0, 4 * 9.0 * 3.0])


def test_list_inputs_are_array_like():
    # found by sweeping chainrule.numpy against NumPy on plain lists: dot([..], 2) repeated the
    # list (Python's list * int), silently; the others raised
    np.testing.assert_array_equal(cnp.dot([0.5, 1.5, 2.5], 2), [1.0, 3.0, 5.0])
    np.testing.assert_array_equal(cnp.inner([1.0, 2.0], 3), [3.0, 6.0])
    assert [p.tolist() for p in cnp.split([1.0, 2.0, 3.0, 4.0], [1])] == [[1.0], [2.0, 3.0, 4.0]]
    assert [p.tolist() for p in cnp.array_split((1.0, 2.0, 3.0), 2)] == [[1.0, 2.0], [3.0]]
    np.testing.assert_array_equal(cnp.partition([3.0, 1.0, 2.0], 1), np.partition([3.0, 1, 2], 1))
    a, b = cnp.atleast_1d(1.0, [2.0, 3.0])
    assert type(a) is np.ndarray and b.tolist() == [2.0, 3.0]
    assert type(cnp.atleast_1d([1.0])) is np.ndarray and cnp.atleast_3d(1.0, 2.0)[1].shape == (1, 1, 1)
    for cond in ([0.0, 1.0, 2.0], np.array([[True, False], [False, True]])):
        assert all(np.array_equal(u, v) for u, v in zip(cnp.where(cond), np.where(cond)))
    g = cr.grad(lambda x: cnp.sum(x[cnp.where(x > 0.5)] ** 2))(np.array([0.1, 1.0, 2.0]))
    np.testing.assert_array_equal(g, [0.0, 2.0, 4.0])
    np.testing.assert_array_equal(cnp.diag([1.0, 2.0]), np.diag([1.0, 2.0]))
    np.testing.assert_array_equal(cnp.sort([3.0, 1.0, 2.0]), [1.0, 2.0, 3.0])
    np.testing.assert_array_equal(cnp.diff((1.0, 4.0, 9.0), 2), [2.0])
    np.testing.assert_array_equal(cnp.diff([[1.0, 4.0], [2.0, 9.0]], axis=0), [[1.0, 5.0]])
