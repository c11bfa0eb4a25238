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
