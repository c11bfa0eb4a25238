"""Hostile review of the SciPy layer: each test is a bug found by comparing with SciPy."""
import numpy as np
import pytest

scipy = pytest.importorskip("scipy")
import scipy.linalg as sl  # noqa: E402

import chainrule.scipy.linalg as cl  # noqa: E402


@pytest.mark.parametrize("a", [np.array([[2.0]]), np.array([[1.0, 2.0], [3.0, 4.0]])])
def test_hessenberg_never_returns_the_callers_array(a):
    # SciPy hands back its input itself for n <= 2
    h = cl.hessenberg(a)
    np.testing.assert_array_equal(h, sl.hessenberg(a))
    assert not np.shares_memory(h, a)
    h, q = cl.hessenberg(a, calc_q=True)
    assert not np.shares_memory(h, a)


def test_lstsq_accepts_nested_lists():
    a, b = [[1.0, 2.0], [3.0, 4.0], [5.0, 7.0]], [1.0, 1.0, 2.0]
    for got, want in zip(cl.lstsq(a, b), sl.lstsq(a, b)):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("name", ["cosm", "sinm", "tanm", "coshm", "sinhm", "tanhm"])
def test_matrix_trig_accepts_nested_lists(name):
    a = [[0.1, 0.2], [0.3, 0.4]]
    np.testing.assert_allclose(getattr(cl, name)(a), getattr(sl, name)(a), rtol=1e-12)
