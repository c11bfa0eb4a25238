"""Regressions found reviewing the ports merge (scipy.linalg composites, stats, NumPy names,
error messages): each test failed before its fix."""

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp


@pytest.mark.parametrize("x1, x2", [
    (np.array([-1, 0, 2]), 0.5),                                # integer x1: float64
    (np.array([-1, 0, 2]), np.array([3, 3, 3])),                # integers only: float64
    (np.array([-1.0, 0.0, 2.0], dtype=np.float32), 0.5),        # weak Python scalar
    (np.array([-1, 0, 2], dtype=np.int8), np.int8(1)),          # small integers: float16
])
def test_heaviside_dtype_is_numpys(x1, x2):
    got, want = cnp.heaviside(x1, x2), np.heaviside(x1, x2)
    assert np.asarray(got).dtype == want.dtype
    np.testing.assert_array_equal(got, want)


def test_heaviside_complex_is_refused_and_derivative_kept():
    with pytest.raises(TypeError):
        cnp.heaviside(np.array([1j]), 0.5)
    grad = cr.grad(lambda h: cnp.sum(cnp.heaviside(np.array([-1.0, 0.0, 2.0]), h)))(0.3)
    assert float(grad) == 1.0


def test_compute_guard_sees_dask_past_a_long_list_of_plain_arrays():
    # A data set kept as a list of NumPy arrays spent the guard's item budget (4096) one
    # item at a time (and ~0.1 µs per item on every call): a Dask value next to it was
    # then not seen. A list of plain values now counts as one item.
    da = pytest.importorskip("dask.array")
    from chainrule.transforms.lazy import lazy_values_in
    data = [np.ones(2) for _ in range(5000)]
    lazy = da.ones(3, chunks=3)

    def f(x, inputs=(lazy, data)):
        return x

    assert lazy_values_in((1.0,), f)
    assert not lazy_values_in((1.0,), lambda x, inputs=(data,): x)


@pytest.mark.parametrize("x0_dtype, want", [(np.float64, np.complex128),
                                            (np.float32, np.complex64)])
def test_gmres_real_guess_complex_system_keeps_the_imaginary_part(x0_dtype, want):
    # the result was cast to x0's real dtype: the imaginary part was dropped (a warning only)
    from chainrule.solvers import gmres
    a = np.array([[3.0, 1.0], [1.0, 2.0]])
    b = np.array([1.0 + 1.0j, 2.0])
    x, info = gmres(lambda v: a @ v, b, x0=np.zeros(2, dtype=x0_dtype))
    assert x.dtype == want
    np.testing.assert_allclose(x, np.linalg.solve(a, b), atol=1e-6)


def test_store_with_a_batched_index_is_vmaps_refusal():
    # a[i] = 1.0 with i batched by vmap was refused as a store of a traced value, with
    # advice (at(a)[i].set) that fails under vmap too; it is vmap's BatchedValueError
    from chainrule.interpreters.batching import BatchedValueError

    def f(x):
        a = np.zeros(3)
        a[cnp.argmax(x)] = 1.0
        return cnp.sum(a * x)

    with pytest.raises(BatchedValueError):
        cr.vmap(f)(np.array([[1.0, 3.0, 2.0], [5.0, 1.0, 0.0]]))
    assert float(cr.grad(f)(np.array([1.0, 3.0, 2.0]))[1]) == 1.0   # not batched: fine


def test_store_of_a_batched_value_still_points_to_at():
    from chainrule.core.primitive import InPlaceError

    def f(x):
        out = np.zeros((2, 3))
        out[0] = x
        return cnp.sum(out)

    with pytest.raises(InPlaceError, match="at\\(out\\)"):
        cr.vmap(f)(np.ones((2, 3)))
