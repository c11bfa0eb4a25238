"""``numpy.linalg.svd`` and ``numpy.linalg.qr`` in all their modes, on the reduced
decompositions' rules (:mod:`chainrule.primitives.decompositions`).

``svd(full_matrices=True)`` of a non-square matrix and ``qr(mode='complete')`` of a tall one
add columns (U₂, the rows of Vh₂, Q₂) that span the orthogonal complement of the leading ones
and are unique only up to a unitary rotation within it. Their values are NumPy's; their
derivative is the one that does not rotate them within the complement, dU₂ = −U₁ (dU₁ᴴ U₂):
Uᴴ dU stays skew-Hermitian and U₂ᴴ dU₂ = 0. That is the true derivative of every function that
does not depend on the rotation (U₂ U₂ᴴ = I − U₁ U₁ᴴ, |U|² summed over columns, the
reconstruction U₁ diag(s) Vh₁), and the derivative of this gauge for the others (JAX raises
there). A wide QR (m < n) is differentiated through A = [X | Y]: Q, R_X = qr(X), R = [R_X | Qᴴ Y].

>>> import chainrule as cr
>>> a = np.array([[3.0, 0.0], [4.0, 0.0], [0.0, 2.0]])
>>> cr.grad(lambda a: svd(a)[1].sum())(a)      # d Σ s / dA = U₁ Vh
array([[0.6, 0. ],
       [0.8, 0. ],
       [0. , 1. ]])
"""

import numpy as np

from ..core.registry import LINALG
from .declare import export
from .util import shape, linalg_result
from .arrays import is_lazy
from .dask_ops import lazy_linalg
from . import basic as B
from . import elementwise as E
from . import linalg as L
from .linalg import matmul, mH
from .decompositions import (svd_reduced, svdvals, qr_reduced, _svd_tangents, _svd_vjp,
                             _qr_tangents, _qr_vjp, _cj)

__all__ = ["svd_full", "qr_complete"]


# ---- svd(full_matrices=True) of a non-square matrix ---------------------------------------
# The k = min(m, n) leading columns of U (rows of Vh) are the reduced SVD's, with its rules. The
# others, U₂, span the orthogonal complement of U₁ and are unique only up to a unitary rotation
# Q of that complement (U₂ → U₂ Q). chainrule moves them as little as orthonormality allows:
# dU₂ = −U₁ (dU₁ᴴ U₂), so Uᴴ dU stays skew-Hermitian and U₂ᴴ dU₂ = 0 (no rotation inside the
# complement). Functions that do not depend on the choice of Q (U₂ U₂ᴴ = I − U₁ U₁ᴴ, |U|² summed
# over the columns, U₁ diag(s) Vh₁) get their true derivative; others get that of this gauge.
def _svd_full_impl(a):
    if type(a) is not np.ndarray and is_lazy(a):
        lazy_linalg("svd(full_matrices=True)", a)  # Dask has none: the clear error
    u, s, vt = np.linalg.svd(a, full_matrices=True)
    return u, s, vt


def _complement_tangent(x1, dx1, x2):
    """dX₂ = −X₁ (dX₁ᴴ X₂): the complement follows X₁ without rotating within itself."""
    return E.negative(matmul(x1, matmul(mH(dx1), x2)))


def _complement_cotangent(x1, x2, g2):
    """The transpose of dX₁ ↦ −X₁ dX₁ᴴ X₂ under Re Σ c·t: g₂ ↦ −conj(X₂) g₂ᴴ conj(X₁)."""
    return E.negative(matmul(matmul(_cj(x2), mH(g2)), _cj(x1)))


def _svd_full_jvp(primals, tangents):
    (a,), (da,) = primals, tangents
    u, s, vt = svd_full(a)
    m, n = shape(a)[-2:]
    k = min(m, n)
    u1, vt1 = u[..., :, :k], vt[..., :k, :]
    du1, ds, dvt1 = _svd_tangents(a, da, u1, s, vt1)
    if m > n:
        du = B.concatenate(du1, _complement_tangent(u1, du1, u[..., :, k:]), axis=-1)
        return (u, s, vt), (du, ds, dvt1)
    v1, dv1, v2 = mH(vt1), mH(dvt1), mH(vt[..., k:, :])
    dvt = B.concatenate(dvt1, mH(_complement_tangent(v1, dv1, v2)), axis=-2)
    return (u, s, vt), (du1, ds, dvt)


def _svd_full_vjp(g, ans, vals, params):
    (a,) = vals
    gu, gs, gvt = g
    u, s, vt = ans
    m, n = shape(a)[-2:]
    k = min(m, n)
    u1, vt1 = u[..., :, :k], vt[..., :k, :]
    if m > n:
        gu1 = gu[..., :, :k] + _complement_cotangent(u1, u[..., :, k:], gu[..., :, k:])
        return _svd_vjp((gu1, gs, gvt), (u1, s, vt1), vals, params)
    # dVh₂ = (dV₂)ᴴ, and t ↦ tᴴ is its own transpose: work with V and its cotangent.
    gv = mH(gvt)
    gv1 = gv[..., :, :k] + _complement_cotangent(mH(vt1), mH(vt[..., k:, :]), gv[..., :, k:])
    return _svd_vjp((gu, gs, mH(gv1)), (u1, s, vt1), vals, params)


#: (u, s, vt) = svd(a, full_matrices=True) of (stacks of) non-square matrices.
svd_full = L._matrix_function("svd_full", _svd_full_impl, _svd_full_jvp, _svd_full_vjp,
                              names=(), multiple_results=True)


# ---- qr(mode='complete') of a tall matrix ----------------------------------------------------
# Q's n leading columns and R's n leading rows are the reduced QR's, with its rules; R's other
# rows are zero. Q's other columns span the orthogonal complement and, as svd's with
# full_matrices=True, are unique only up to a rotation within it: they move by
# dQ₂ = −Q₁ (dQ₁ᴴ Q₂), right for every function that does not depend on that rotation.
def _qr_complete_impl(a):
    if type(a) is not np.ndarray and is_lazy(a):
        lazy_linalg("qr(mode='complete')", a)  # Dask has none: the clear error
    q, r = np.linalg.qr(a, mode="complete")
    return q, r


def _qr_complete_jvp(primals, tangents):
    (a,), (da,) = primals, tangents
    q, r = qr_complete(a)
    n = shape(a)[-1]
    q1, q2 = q[..., :, :n], q[..., :, n:]
    dq1, dr1 = _qr_tangents(da, q1, r[..., :n, :])
    dq = B.concatenate(dq1, _complement_tangent(q1, dq1, q2), axis=-1)
    dr = B.concatenate(dr1, E.multiply(r[..., n:, :], 0.0), axis=-2)
    return (q, r), (dq, dr)


def _qr_complete_vjp(g, ans, vals, params):
    (a,) = vals
    gq, gr = g
    q, r = ans
    n = shape(a)[-1]
    q1, q2 = q[..., :, :n], q[..., :, n:]
    gq1 = gq[..., :, :n] + _complement_cotangent(q1, q2, gq[..., :, n:])
    return _qr_vjp((gq1, gr[..., :n, :]), (q1, r[..., :n, :]), vals, params)


#: (q, r) = qr(a, mode='complete') of (stacks of) tall matrices.
qr_complete = L._matrix_function("qr_complete", _qr_complete_impl, _qr_complete_jvp,
                                 _qr_complete_vjp, names=(), multiple_results=True)


@export(namespace=LINALG)
def svd(a, full_matrices=True, compute_uv=True, hermitian=False):
    """numpy.linalg.svd: ``(U, S, Vh)``, or the singular values with ``compute_uv=False``.

    Differentiable for real and complex matrices with distinct nonzero singular values (the
    vectors are unique only there, up to a joint sign, or a joint phase for complex ones); the
    values alone wherever they are distinct. ``full_matrices=True`` on a non-square matrix adds
    columns of U (rows of Vh) that span the orthogonal complement and are unique only up to a
    rotation within it: their value is NumPy's, and their derivative is the one that does not
    rotate them within the complement (dU₂ = −U₁ dU₁ᴴ U₂), right for every function that does
    not depend on that rotation (U₂ U₂ᴴ, |U|² summed over columns, the reconstruction).

    >>> import chainrule as cr
    >>> cr.grad(lambda a: svd(a, compute_uv=False)[0])(np.diag([3.0, 1.0]))
    array([[1., 0.],
           [0., 0.]])
    """
    if not compute_uv:
        return svdvals(a)
    m, n = shape(a)[-2:]
    if full_matrices and m != n:
        return linalg_result("svd", svd_full(a))
    return linalg_result("svd", svd_reduced(a))


def _traced(a):
    from ..core.primitive import Tracer
    return isinstance(a, Tracer)


@export(namespace=LINALG)
def qr(a, mode="reduced"):
    """numpy.linalg.qr in modes 'reduced' (Q, R), 'complete' and 'r' (R); differentiable where
    the leading min(m, n) columns have full rank. A wide matrix A = [X | Y] (m < n) is
    differentiated as Q, R_X = qr(X), R = [R_X | Qᴴ Y]. mode='complete' on a tall matrix adds
    columns of Q that span the orthogonal complement and are unique only up to a rotation
    within it: they move by dQ₂ = −Q₁ dQ₁ᴴ Q₂ (no rotation within the complement), right for
    every function that does not depend on that rotation (Q₂ Q₂ᴴ = I − Q₁ Q₁ᴴ). mode='raw'
    (LAPACK's Householder reflectors) is NumPy's value, without a derivative.

    >>> import chainrule as cr
    >>> q, r = qr(np.array([[3.0, 0.0], [4.0, 1.0]]))
    >>> float(abs(r[0, 0]))
    5.0
    """
    if mode not in ("reduced", "complete", "r", "raw"):
        raise ValueError(f"qr: unrecognized mode {mode!r}; use 'reduced', 'complete', 'r' or "
                         f"'raw'")
    if mode == "raw":
        if _traced(a):
            raise NotImplementedError(
                "qr(mode='raw') returns LAPACK's Householder reflectors, which have no "
                "derivative in chainrule; use mode='reduced' (or 'r')")
        return np.linalg.qr(a, mode="raw")
    m, n = shape(a)[-2:]
    if mode == "complete" and m > n:
        return linalg_result("qr", qr_complete(a))
    if m < n:
        q, rx = qr_reduced(a[..., :, :m])
        r = B.concatenate(rx, matmul(mH(q), a[..., :, m:]), axis=-1)
    else:
        q, r = qr_reduced(a)
    return r if mode == "r" else linalg_result("qr", (q, r))
