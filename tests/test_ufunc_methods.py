"""NumPy's ufunc methods on traced values (``logaddexp.reduce``, ``add.outer``,
``maximum.accumulate``, ``add.reduceat``; ``add.at`` refuses), ``numpy.where(cond)`` alone,
NumPy functions given a Python list, and the error for ``a.dot(traced)``: what the ML ports
(tests/test_ports_ml.py) met. Values against NumPy; derivatives to second order in both modes
against central differences; vmap against a loop."""
import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp

RS = np.random.RandomState(0)
X = RS.randn(3, 4)
POS = np.abs(X) + 0.5
UFUNCS = ["add", "subtract", "multiply", "divide", "maximum", "minimum", "fmax", "fmin",
          "logaddexp", "logaddexp2", "hypot", "arctan2", "power", "copysign", "float_power"]
REDUCE_ARGS = [dict(axis=0), dict(axis=1), dict(axis=None), dict(axis=1, keepdims=True),
               dict(axis=0, initial=0.7), dict(axis=(0, 1)), dict(axis=-1, dtype=np.float64)]


def _input(name):
    return POS if name in ("power", "float_power") else X


def _folded(ufunc, x, axis, initial=None, keepdims=False, dtype=None):
    """reduce's definition, ((x0 op x1) op x2) ..., along one axis. NumPy 2.4.6 returns
    other values for arctan2.reduce and power.reduce along a contiguous axis (its vectorised
    loop reorders a reduction that is not associative); chainrule computes the definition."""
    x = np.moveaxis(x, axis, -1)
    out = x[..., 0] if initial is None else ufunc(initial, x[..., 0])
    for j in range(1, x.shape[-1]):
        out = ufunc(out, x[..., j])
    return np.expand_dims(out, axis) if keepdims else out


def _reduced(ufunc, x, **kw):
    want = ufunc.reduce(x, **kw)
    axis = kw.get("axis", 0)
    if ufunc in (np.arctan2, np.power) and isinstance(axis, int):
        return _folded(ufunc, x, axis, kw.get("initial"), kw.get("keepdims", False))
    return want


@pytest.mark.parametrize("name", UFUNCS)
def test_reduce_accumulate_outer_reduceat_give_numpys_values(name):
    ufunc, ours = getattr(np, name), getattr(cnp, name)
    x = _input(name)
    for kw in REDUCE_ARGS:
        try:
            want = _reduced(ufunc, x, **kw)
        except ValueError:       # subtract over two axes is not reorderable: NumPy's error
            with pytest.raises(ValueError):
                cr.grad(lambda a: cnp.sum(ours.reduce(a, **kw)))(x)
            continue
        for got in (cr.jvp(lambda a: ours.reduce(a, **kw), (x,), (x,))[0],
                    cr.jvp(lambda a: ufunc.reduce(a, **kw), (x,), (x,))[0]):  # NumPy's, traced
            assert np.shape(got) == np.shape(want)
            np.testing.assert_allclose(got, want, rtol=1e-13)
    for axis in (0, 1):
        got = cr.jvp(lambda a: ours.accumulate(a, axis=axis), (x,), (x,))[0]
        np.testing.assert_allclose(got, ufunc.accumulate(x, axis=axis), rtol=1e-13)
    got = cr.jvp(lambda a, b: ufunc.outer(a, b), (x[0], x[1:]), (x[0], x[1:]))[0]
    np.testing.assert_allclose(got, ufunc.outer(x[0], x[1:]), rtol=1e-13)
    got = cr.jvp(lambda a: ours.reduceat(a, [0, 2, 1, 3], axis=1), (x,), (x,))[0]
    np.testing.assert_allclose(got, ufunc.reduceat(x, [0, 2, 1, 3], axis=1), rtol=1e-13)


@pytest.mark.parametrize("f", [
    lambda a: cnp.logaddexp.reduce(a, axis=1),
    lambda a: np.logaddexp2.reduce(a, axis=0, keepdims=True),
    lambda a: cnp.subtract.reduce(a, axis=1),
    lambda a: cnp.hypot.reduce(a, axis=None),
    lambda a: cnp.divide.reduce(a, axis=0, initial=2.0),
    lambda a: np.maximum.accumulate(a, axis=1),
    lambda a: cnp.subtract.accumulate(a, axis=0),
    lambda a: np.multiply.outer(a[0], a[1:]),
    lambda a: np.subtract.outer(a[:, 0], a[:, 1]),
    lambda a: cnp.add.reduceat(a, [0, 2, 3], axis=1),
    lambda a: cnp.maximum.reduceat(a, [1, 0], axis=0),
], ids=["logaddexp.reduce", "logaddexp2.reduce", "subtract.reduce", "hypot.reduce",
        "divide.reduce-initial", "maximum.accumulate", "subtract.accumulate",
        "multiply.outer", "subtract.outer", "add.reduceat", "maximum.reduceat"])
def test_derivatives_to_second_order(f):
    cr.check_grads(f, (X,), order=2, modes=("fwd", "rev"))


def test_vmap_against_a_loop():
    for f in (lambda r: cnp.logaddexp.reduce(r), lambda r: np.subtract.accumulate(r),
              lambda r: cnp.multiply.outer(r, r[:2]), lambda r: cnp.add.reduceat(r, [0, 2])):
        want = np.stack([f(r) for r in X])
        np.testing.assert_allclose(cr.vmap(f)(X), want, rtol=1e-13)
        np.testing.assert_allclose(cr.vmap(cr.grad(lambda r: cnp.sum(f(r) ** 2)))(X),
                                   np.stack([cr.grad(lambda r: cnp.sum(f(r) ** 2))(r) for r in X]),
                                   rtol=1e-12)


def test_logaddexp_reduce_at_infinities_is_numpys():
    x = np.array([[-np.inf, -np.inf], [np.inf, 1.0], [0.0, -np.inf]])
    got, tangent = cr.jvp(lambda a: cnp.logaddexp.reduce(a, axis=1), (x,), (np.ones_like(x),))
    np.testing.assert_array_equal(got, np.logaddexp.reduce(x, axis=1))


def test_untraced_arguments_get_numpys_own_methods():
    a = np.zeros(4)
    cnp.add.at(a, [0, 0, 2], 1.0)          # in place into a plain array, repeated indices add
    np.testing.assert_array_equal(a, [2.0, 0.0, 1.0, 0.0])
    assert cnp.add.outer([1.0, 2.0], [10.0]).tolist() == [[11.0], [12.0]]
    assert cnp.logaddexp.reduce(np.zeros(2)) == np.log(2.0)


def test_errors_say_what_to_write():
    with pytest.raises(cr.InPlaceError, match=r"chainrule\.numpy\.at\(a\)\[indices\]\.add\(b\)"):
        cr.grad(lambda v: cnp.sum(np.add.at(np.zeros(3), [0, 1], v)))(np.ones(2))
    with pytest.raises(cr.InPlaceError, match="at"):
        cr.grad(lambda v: cnp.add.at(v, [0], 1.0))(np.ones(2))
    with pytest.raises(cr.InPlaceError, match="out="):
        cr.grad(lambda v: cnp.logaddexp.reduce(v, out=np.zeros(())))(np.ones(2))
    with pytest.raises(TypeError, match="where"):
        cr.grad(lambda v: cnp.logaddexp.reduce(v, where=np.array([True, False])))(np.ones(2))
    with pytest.raises(np.exceptions.AxisError):
        cr.grad(lambda v: cnp.sum(cnp.subtract.reduce(v, axis=3)))(np.ones(2))


def test_where_with_the_condition_alone_is_nonzero():
    x = np.array([0.5, -1.0, 2.0])
    (idx,) = cnp.where(x > 0)
    assert idx.tolist() == [0, 2]
    # ssm's `this_inds = np.where(mask_index == i)[0]`, then a gather from a traced array
    g = cr.grad(lambda v: cnp.sum(v[np.where(v > 0)[0]] ** 2))(x)
    np.testing.assert_allclose(g, [1.0, 0.0, 4.0])
    with pytest.raises(ValueError, match="both or neither"):
        cnp.where(x > 0, x)


@pytest.mark.parametrize("name, args, kwargs", [
    ("sort", ([3.0, 1.0, 2.0],), {}), ("diff", ([1.0, 4.0, 9.0],), {}),
    ("diag", ([1.0, 2.0],), {}), ("split", ([1.0, 2.0, 3.0], 3), {}),
    ("array_split", ([1.0, 2.0, 3.0], 2), {}), ("partition", ([3.0, 1.0, 2.0], 1), {})])
def test_functions_given_a_python_list(name, args, kwargs):
    # lifelines: breakpoints = np.sort(breakpoints), with breakpoints a list
    got = getattr(cnp, name)(*args, **kwargs)
    want = getattr(np, name)(np.asarray(args[0]), *args[1:], **kwargs)
    for g, w in zip(np.atleast_1d(got) if name not in ("split", "array_split") else got,
                    np.atleast_1d(want) if name not in ("split", "array_split") else want):
        np.testing.assert_array_equal(g, w)


def test_ndarray_dot_of_a_traced_value_names_the_fix():
    y = np.arange(3.0)
    with pytest.raises(TypeError, match=r"a\.dot\(x\) with a a plain NumPy array.*a @ x"):
        cr.grad(lambda v: y.dot(v))(np.ones(3))
    assert cr.grad(lambda v: y @ v)(np.ones(3)).tolist() == [0.0, 1.0, 2.0]


def test_broadcast_gives_the_shape_of_traced_arguments():
    # lindermanlab/ssm: shp1 = np.broadcast(data, mus).shape[:-1]
    def f(mu):
        b = cnp.broadcast(np.ones((5, 3)), mu)
        assert (b.shape, b.ndim, b.nd, b.size, b.numiter) == ((5, 3), 2, 2, 15, 2)
        return cnp.sum(cnp.broadcast_to(mu, b.shape))
    np.testing.assert_allclose(cr.grad(f)(np.ones(3)), [5.0, 5.0, 5.0])
    with pytest.raises(TypeError, match="broadcast_arrays"):
        cr.grad(lambda mu: cnp.sum(cnp.stack(list(cnp.broadcast(mu, mu)))))(np.ones(2))


def test_a_primitive_without_its_fields_raises_attribute_error_not_recursion():
    # Primitive.__getattr__ (for the attached ufunc methods) read self.name in its error: an
    # instance made without __init__ (copy, pickle) asked __getattr__ for 'name' again
    from chainrule.core.primitive import Primitive
    bare = Primitive.__new__(Primitive)
    with pytest.raises(AttributeError, match="'name'"):
        bare.name
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        cnp.add.nothing
