"""Review of the NumPy names merged on day 5: each test failed before its fix."""
import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp
from chainrule.testing import check_grads


@pytest.mark.parametrize("call", [
    lambda a: cnp.moveaxis(a, 3, 0),
    lambda a: cnp.unstack(a, axis=3),
    lambda a: cnp.cumulative_sum(a, axis=2),
    lambda a: cnp.cumulative_prod(a, axis=-3),
    lambda a: cnp.linalg.vector_norm(a, axis=2),
])
def test_an_axis_out_of_range_is_numpys_axis_error(call):
    # (axis % ndim picked another axis: a value where NumPy raises)
    a = np.arange(1.0, 13.0).reshape(3, 4)
    with pytest.raises(np.exceptions.AxisError):
        call(a)
    with pytest.raises(np.exceptions.AxisError):
        cr.grad(lambda b: cnp.sum(call(b)))(a)


def _pieces(lib):
    return lambda a: lib.piecewise(a, [a < 0, a >= 0], [lambda t: -t, lambda t: t ** 2])


@pytest.mark.parametrize("x", [-1.5, 2.0, np.float64(2.0)])
def test_piecewise_of_a_python_number(x):
    # (x[cond] on a float: TypeError, eager and under grad)
    assert cnp.piecewise(x, [True], [lambda v: v * 2]) == np.piecewise(x, [True], [lambda v: v * 2])
    assert _pieces(cnp)(x) == _pieces(np)(x)
    assert cr.grad(_pieces(cnp))(x) == (-1.0 if x < 0 else 2 * x)
    check_grads(_pieces(cnp), (x,), order=2)


def test_a_traced_python_number_indexed_as_numpys_0d_array():
    assert cr.grad(lambda a: cnp.sum(cnp.asarray(a)[np.array(True)] * 3.0))(1.5) == 3.0


@pytest.mark.parametrize("condlist", [
    np.array([[True, False], [False, True]]),       # a 2-D array: one condition per row
    [np.array([True, False])],                       # a mask of the leading axis
])
def test_piecewise_conditions_of_fewer_axes_mask_leading_axes_as_numpy(condlist):
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    funcs = [lambda t: -t, lambda t: t * 10]
    want = np.piecewise(x, condlist, funcs)
    np.testing.assert_array_equal(cnp.piecewise(x, condlist, funcs), want)
    np.testing.assert_array_equal(cr.jit(lambda a: cnp.piecewise(a, condlist, funcs))(x), want)
    g = cr.grad(lambda a: cnp.sum(cnp.piecewise(a, condlist, funcs)))(x)
    np.testing.assert_array_equal(g, cr.grad(lambda a: cnp.sum(cnp.where(want == -x, -a, a * 10)))(x))
