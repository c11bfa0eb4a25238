"""A hostile review of the function namespaces: each test is a silent wrong answer that was
found (a NaN, a wrong value, a wrong dtype or derivative), compared against NumPy/SciPy and
against central differences in float64."""

import warnings

import numpy as np
import pytest
import scipy.special
import scipy.stats

import chainrule as cr
import chainrule.numpy as cnp
import chainrule.scipy.linalg as csl
import chainrule.scipy.special as csp
import chainrule.scipy.stats as cst

la = cnp.linalg


def _both_modes(f, x, direction):
    """(⟨grad f(x), direction⟩, jvp of f at x along direction) for a real scalar f."""
    g = cr.grad(f)(x)
    _, t = cr.jvp(f, (x,), (direction,))
    return float(np.sum(g * direction)), float(t)


def _central(f, x, direction, h):
    return (f(x + h * direction) - f(x - h * direction)) / (2 * h)


# ---- decompositions at repeated eigenvalues / singular values --------------------------------
@pytest.mark.parametrize("fn", [
    lambda a: cnp.sum(la.eigvalsh(a)),
    lambda a: cnp.sum(la.eigh(a)[0]),
    lambda a: cnp.sum(la.svd(a)[1]),
    lambda a: cnp.sum(cnp.real(la.eigvals(a))),
    lambda a: cnp.sum(cnp.real(csl.eigvals(a, np.eye(3)))),
], ids=["eigvalsh", "eigh-w", "svd-s", "eigvals", "scipy-eigvals-pencil"])
def test_eigenvalue_sums_at_the_identity_have_the_identity_as_gradient(fn):
    # The trace (sum of eigenvalues) is linear: its gradient is I everywhere, also at I where
    # every eigenvalue is repeated. The unused eigenvectors' cotangent is zero and used to
    # meet F = 1/(w_j - w_i) = inf as 0 * inf = nan.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        g = cr.grad(fn)(np.eye(3))
        _, t = cr.jvp(fn, (np.eye(3),), (np.arange(9.0).reshape(3, 3),))
    np.testing.assert_allclose(g, np.eye(3), atol=1e-14)
    np.testing.assert_allclose(t, 12.0, rtol=1e-14)   # trace of the direction


def test_complex_masked_branch_contributes_zero_in_reverse_mode():
    # where(z == 0, 0, sqrt(z)): the branch not taken must contribute exactly 0, for complex
    # values as for real ones (the NaN-safe product skipped complex results).
    g = lambda z: cnp.sum(cnp.real(cnp.where(z == 0, 0.0 * z, cnp.sqrt(z))))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        out = cr.grad(g)(np.array([0j, 4 + 0j]))
    np.testing.assert_array_equal(out, np.array([0.0, 0.25]))
    np.testing.assert_array_equal(cr.grad(g)(np.array([0.0, 4.0])), np.array([0.0, 0.25]))
