"""``scipy.linalg.eig`` and ``eigvals`` (needs the ``scipy`` extra): the standard eigenproblem
A v = λ v with left and right eigenvectors (LAPACK's geev), and the generalized one
A v = λ B v (ggev), differentiable in A and in B.

For the pencil (A, B) with B invertible and distinct eigenvalues, Y = (B V)⁻¹ holds the left
eigenvectors scaled so that Y B V = I, and with P = Y (dA V − dB V diag(λ)):
dλ_j = P_jj = w_jᴴ (dA − λ_j dB) v_j / (w_jᴴ B v_j), and dV = V (F ∘ P) + V diag(c) with
F_ij = 1/(λ_j − λ_i). SciPy scales each eigenvector of the pencil to unit norm and leaves its
complex phase to the algorithm; chainrule's c keeps the unit norm and takes vᴴ dv = 0, which is
the derivative of SciPy's vectors when they are real (a real pencil with real eigenvalues) and,
otherwise, right for functions that do not depend on the phase (|v|², v vᴴ, Rayleigh
quotients).

>>> import numpy as np, chainrule as cr
>>> a, b = np.array([[2.0, 1.0], [0.0, 3.0]]), np.array([[2.0, 0.0], [0.0, 1.0]])
>>> eigvals(a, b)
array([1.+0.j, 3.+0.j])
>>> cr.grad(lambda a: cr.numpy.real(eigvals(a, b)[0]))(a)   # w vᵀ / (wᴴ B v), w = (2, −1)
array([[ 0.5 ,  0.  ],
       [-0.25,  0.  ]])
"""

import numpy as np

from ..core.primitive import Primitive, full_lower
from ..core.registry import SCIPY_LINALG
from ..interpreters.batching import BatchedValueError
from .declare import declare, export
from .util import shape, ndim, dtype
from . import basic as B
from . import elementwise as E
from . import linalg as L
from . import decompositions as D
from . import composites as C
from .scipy_linalg import scipy_module, loop_batch

__all__ = []


# ---- the standard problem, with left eigenvectors ---------------------------------------------
# SciPy's geev call gives w, the left eigenvectors vl (vlᴴ A = w vlᴴ) and the right ones vr
# together. vl are the right eigenvectors of Aᴴ (eigenvalues conj(w)), normalised by geev as
# vr are (unit norm, largest component real): the eig rule applied to Aᴴ differentiates them.
def _eig_impl(a):
    w, vl, vr = scipy_module("linalg").eig(a, left=True, right=True)
    ct = np.result_type(np.asarray(a).dtype, np.complex64)
    return w.astype(ct), vl.astype(ct), vr.astype(ct)


def _eig_jvp(primals, tangents):
    (a,), (da,) = primals, tangents
    w, vl, vr = eig_left_right(a)
    dw, dvr = D.eig_tangents(da, w, vr)
    _, dvl = D.eig_tangents(L.mH(da), E.conj(w), vl)
    return (w, vl, vr), (dw, dvl, dvr)


def _eig_vjp(g, ans, vals, params):
    (a,) = vals
    gw, gvl, gvr = g
    w, vl, vr = ans
    ga = D.eig_cotangent((gw, gvr), (w, vr), a)
    # dA ↦ dAᴴ is its own transpose (c ↦ cᴴ) under Re Σ c·t.
    gb = D.eig_cotangent((E.multiply(gw, 0.0), gvl), (E.conj(w), vl), L.mH(a))
    return [ga + L.mH(gb)]


_eig = Primitive("scipy_eig", _eig_impl, multiple_results=True)
eig_left_right = declare(_eig, jvp=_eig_jvp, vjp=_eig_vjp, batch=loop_batch(_eig), names=())


# ---- the generalized problem A v = λ B v ------------------------------------------------------
def _pencil_values(alpha, beta):
    """SciPy's λ = α/β: inf where only β is 0, nan where both are (scipy.linalg._decomp)."""
    w = np.empty_like(alpha)
    nonzero = beta != 0
    w[nonzero] = alpha[nonzero] / beta[nonzero]
    w[(alpha != 0) & ~nonzero] = np.inf
    w[(alpha == 0) & ~nonzero] = np.nan if np.all(alpha.imag == 0) else complex(np.nan, np.nan)
    return w


def _geneig_impl(a, b):
    # One ggev call: the homogeneous pair (α, β) and both sets of unit-norm eigenvectors.
    ab, vl, vr = scipy_module("linalg").eig(a, b, left=True, right=True,
                                            homogeneous_eigvals=True)
    ct = np.result_type(np.asarray(a).dtype, np.asarray(b).dtype, np.complex64)
    alpha, beta = ab[0].astype(ct), ab[1].astype(ct)
    return _pencil_values(alpha, beta), vl.astype(ct), vr.astype(ct), alpha, beta


def _pencil_tangents(da, db, b, w, v):
    """(dλ, dV) of the pencil's A V = B V diag(λ) moved by (dA, dB) (None: not moved); the
    columns of V keep unit norm and vᴴ dv = 0."""
    x = None if da is None else L.matmul(da, v)
    if db is not None:
        x2 = L.matmul(db, v) * D._row(w)
        x = E.negative(x2) if x is None else x - x2
    p = L.solve(L.matmul(b, v), x)
    F = _gaps(w)
    u = L.matmul(v, F * p)
    c = E.negative(B.reduce_sum(E.conj(v) * u, axis=-2))
    return L.diagonal(p, axis1=-2, axis2=-1), u + v * D._row(c)


def _gaps(w):
    """F_ij = 1/(λ_j − λ_i) off the diagonal, 0 on it (distinct eigenvalues assumed)."""
    k = shape(w)[-1]
    eye = np.eye(k, dtype=bool)
    d = D._row(w) - D._col(w)
    return E.where(eye, 0.0, E.reciprocal(E.where(eye, 1.0, d)))


def _pencil_cotangents(gw, gv, b, w, v):
    """The cotangents of (A, B) from those (ḡλ, ḡV) of the pencil's eigendecomposition: the
    transpose of :func:`_pencil_tangents` under Re Σ c·t."""
    s = B.reduce_sum(gv * v, axis=-2)
    gu = gv - E.conj(v) * D._row(s)          # the term V diag(c), c = −Σ conj(V) ∘ U
    k = shape(w)[-1]
    gp = E.nan_safe_multiply(_gaps(w), L.matmul(L.mT(v), gu)) + L.diag_embed(gw, shape=shape(w) + (k,),
                                                         axis1=-2, axis2=-1)
    gx = L.solve(L.mT(L.matmul(b, v)), gp)   # P = (B V)⁻¹ X
    return L.matmul(gx, L.mT(v)), E.negative(L.matmul(gx * D._row(w), L.mT(v)))


def _geneig_jvp(primals, tangents):
    (a, b), (da, db) = primals, tangents
    w, vl, vr, alpha, beta = geneig(a, b)
    dw, dvr = _pencil_tangents(da, db, b, w, vr)
    # vl are the right eigenvectors of the pencil (Aᴴ, Bᴴ), eigenvalues conj(λ).
    _, dvl = _pencil_tangents(None if da is None else L.mH(da), None if db is None else L.mH(db),
                              L.mH(b), E.conj(w), vl)
    # (α, β) is defined up to a common factor: β is held fixed, so dα = β dλ.
    return (w, vl, vr, alpha, beta), (dw, dvl, dvr, beta * dw, E.multiply(beta, 0.0))


def _geneig_vjp(g, ans, vals, params):
    a, b = vals
    gw, gvl, gvr, galpha, _ = g
    w, vl, vr, alpha, beta = ans
    gw = gw + galpha * beta
    ga, gb = _pencil_cotangents(gw, gvr, b, w, vr)
    ga_l, gb_l = _pencil_cotangents(E.multiply(gw, 0.0), gvl, L.mH(b), E.conj(w), vl)
    ga, gb = ga + L.mH(ga_l), gb + L.mH(gb_l)
    return [ga if D._is_complex(a) else B.real(ga), gb if D._is_complex(b) else B.real(gb)]


_geneig = Primitive("scipy_geneig", _geneig_impl, multiple_results=True)
geneig = declare(_geneig, jvp=_geneig_jvp, vjp=_geneig_vjp, batch=loop_batch(_geneig),
                 names=())


# ---- the public functions ---------------------------------------------------------------------
def _square(x):
    if ndim(x) != 2 or shape(x)[0] != shape(x)[1]:
        raise ValueError("expected square matrix")


def _finite(x, check_finite):
    try:
        finite = not check_finite or bool(np.all(np.isfinite(np.asarray(full_lower(x)))))
    except BatchedValueError:   # under vmap each example's values are not known here
        finite = True
    if not finite:
        raise ValueError("array must not contain infs or NaNs")


@export("eig", namespace=SCIPY_LINALG)
def eig(a, b=None, left=False, right=True, overwrite_a=False, overwrite_b=False,
        check_finite=True, homogeneous_eigvals=False):
    """scipy.linalg.eig: ``w``, then ``vl`` if ``left``, then ``vr`` if ``right`` (a tuple
    when there is more than ``w``), SciPy's values, always complex (as
    chainrule.numpy.linalg.eig; SciPy returns real eigenvectors when every eigenvalue of a real
    matrix is real). With ``b``, the generalized problem A v = λ B v, differentiable in ``a``
    and ``b`` where ``b`` is invertible (so every λ is finite).

    Differentiable where the eigenvalues are distinct; an eigenvector is defined only up to a
    complex scale. For the standard problem chainrule differentiates LAPACK's choice (unit
    norm, largest component real); for the generalized one SciPy leaves the phase to the
    algorithm and chainrule keeps vᴴ dv = 0 (exact for real eigenvectors). Only functions
    that do not depend on the scale (w, |v_i|², V diag(f(w)) V⁻¹,
    vl_iᴴ A vr_i / vl_iᴴ B vr_i) are meaningful in general. With ``homogeneous_eigvals`` and
    ``b``, the pair (α, β) is defined up to a common factor: chainrule holds β fixed, so
    differentiate α/β. (SciPy 1.17 leaves the pencil's left eigenvectors but the first
    unnormalised when ``right=False``; chainrule's are unit vectors in every case.)

    >>> import numpy as np, chainrule as cr
    >>> a = np.array([[2.0, 1.0], [0.0, 3.0]])
    >>> w, vl, vr = eig(a, left=True)
    >>> bool(np.allclose(vl.conj().T @ a, np.diag(w) @ vl.conj().T))
    True
    >>> cr.grad(lambda a: cr.numpy.real(eig(a, right=False)[1]))(a)
    array([[0., 0.],
           [1., 1.]])
    >>> b = np.diag([2.0, 1.0])
    >>> w, vr = eig(a, b)
    >>> bool(np.allclose(a @ vr, b @ vr @ np.diag(w)))
    True
    """
    _square(a)
    _finite(a, check_finite)
    if b is None:
        w, vl, vr = eig_left_right(a)
        out = [C.stack([w, E.multiply(w, 0.0) + 1.0], axis=0) if homogeneous_eigvals else w]
    else:
        _square(b)
        if shape(b) != shape(a):
            raise ValueError("a and b must have the same shape")
        _finite(b, check_finite)
        w, vl, vr, alpha, beta = geneig(a, b)
        out = [C.stack([alpha, beta], axis=0) if homogeneous_eigvals else w]
    if left:
        out.append(vl)
    if right:
        out.append(vr)
    return out[0] if len(out) == 1 else tuple(out)


@export("eigvals", namespace=SCIPY_LINALG)
def eigvals(a, b=None, overwrite_a=False, check_finite=True, homogeneous_eigvals=False):
    """scipy.linalg.eigvals: the eigenvalues of a general square matrix (or of the pencil
    (a, b): A v = λ B v), complex; differentiable where they are distinct (and ``b``
    invertible).

    >>> eigvals(np.array([[0.0, -1.0], [1.0, 0.0]]))
    array([0.+1.j, 0.-1.j])
    """
    return eig(a, b, left=False, right=False, check_finite=check_finite,
               homogeneous_eigvals=homogeneous_eigvals)
