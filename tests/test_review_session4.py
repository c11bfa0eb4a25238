"""Hostile review (session 4) of scipy.sparse, scipy.interpolate, scipy.ndimage, the new
scipy.stats distributions, scipy.spatial.distance and nquad: each test failed before its fix."""
import numpy as np
import pytest
import scipy.sparse as sp
import scipy.sparse.linalg as spla

import chainrule as cr
import chainrule.scipy.sparse.linalg as cspl


# ---- scipy.sparse -------------------------------------------------------------------------
def test_sparse_multiply_method_with_a_traced_value_is_refused_not_notimplemented():
    # A.multiply(u) returned the NotImplemented object to the user (meant for A * u only)
    A = sp.csr_array(np.eye(2))
    for a in (A, sp.csr_matrix(np.eye(2))):
        with pytest.raises(TypeError, match=r"A\.toarray\(\) \* x"):
            cr.grad(lambda u: a.multiply(u).sum())(np.ones(2))


def test_linear_operator_times_traced_value_is_a_clear_error():
    # LinearOperator @ u gave SciPy's "dimension mismatch" (a 1-element object array)
    op = spla.aslinearoperator(sp.csr_array(np.eye(3)))
    with pytest.raises(TypeError, match="chainrule.scipy.sparse"):
        cr.grad(lambda u: (op @ u).sum())(np.ones(3))
    A = sp.coo_array(np.array([[1.0, 2.0], [0.0, 3.0]]))   # coo's own dot still hands over
    assert np.allclose(cr.grad(lambda u: A.dot(u).sum())(np.ones(2)), [1.0, 5.0])


@pytest.mark.parametrize("name", ["cg", "gmres", "bicgstab"])
def test_krylov_solution_of_zero_rhs_does_not_alias_b(name):
    b = np.zeros(2)     # SciPy returns b itself for b = 0
    x = getattr(cspl, name)(sp.csr_array(np.eye(2) * 2.0), b)[0]
    assert not np.shares_memory(x, b) and np.all(x == 0)
