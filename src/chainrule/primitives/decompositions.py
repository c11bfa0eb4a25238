"""Decompositions of real and complex matrices with their rules: the singular value
decomposition, the singular values alone, the pseudo-inverse and the reduced QR decomposition.

Stacks of matrices (leading axes) are mapped over as NumPy does. The rules follow
JAX's ``svd_jvp_rule`` and ``qr_jvp_rule`` (forward mode) and their transposes,
written with chainrule operations so that they differentiate themselves. For complex
matrices the reverse rules are the transposes under the bilinear pairing Re Σ c·t
(docs/complex.md).

Caveats, as in every autodiff system: the derivative of the singular *vectors* needs
distinct nonzero singular values (equal ones make it infinite — the vectors are not
unique there); the singular values alone are differentiable wherever they are
distinct. The reduced ``qr`` is differentiable where the matrix has full column rank
(m ≥ n); the public ``svd`` and ``qr`` in all their modes (full matrices, wide QR) are in
:mod:`chainrule.primitives.full_decompositions`. The pseudo-inverse is differentiable where its rank is locally constant (full rank).
"""

import numpy as np

from ..core.primitive import Primitive, full_lower
from ..core.registry import LINALG
from .declare import declare, export
from ..interpreters.batching import BatchedValueError
from .util import shape, ndim, lower, dtype, linalg_result, result_type
from .arrays import is_lazy, array_api_only, standard_linalg
from .dask_ops import lazy_linalg
from . import basic as B
from . import elementwise as E
from . import structural as S
from . import linalg as L
from .linalg import matmul, mT, mH, diagonal, diag_embed

__all__ = ["svd_reduced", "svdvals", "pinv_prim", "qr_reduced", "eig_prim", "eig_tangents",
           "eig_cotangent"]


def _eye_like(s, k):
    return np.eye(k, dtype=np.result_type(full_lower(s)))


def _row(s):  # (..., k) -> (..., 1, k)
    return B.reshape(s, shape=shape(s)[:-1] + (1, shape(s)[-1]))


def _col(s):  # (..., k) -> (..., k, 1)
    return B.reshape(s, shape=shape(s) + (1,))


def _F(s):
    """F_ij = 1 / (s_j² − s_i²) off the diagonal, 0 on it (distinct values assumed)."""
    k = shape(s)[-1]
    eye = np.eye(k, dtype=bool)
    d = _row(s) * _row(s) - _col(s) * _col(s)
    return E.where(eye, 0.0, E.reciprocal(E.where(eye, 1.0, d)))


def _safe_inv(s):
    """1/s, with 0 where s is 0 (a zero singular value has no direction to move)."""
    zero = E.equal(s, 0.0)
    return E.where(zero, 0.0, E.reciprocal(E.where(zero, 1.0, s)))


def _svd_impl(a):
    if type(a) is not np.ndarray and is_lazy(a):  # Dask's svd is the reduced one
        return lazy_linalg("svd", a)
    if array_api_only(a):  # the standard's linalg extension: the result stays in a's library
        u, s, vt = standard_linalg("svd", a, full_matrices=False)
        return u, s, vt
    u, s, vt = np.linalg.svd(a, full_matrices=False)
    return u, s, vt


def _is_complex(x):
    return dtype(x).kind == "c"


def _re(x):
    return B.real(x) if _is_complex(x) else x


def _cj(x):
    return E.conj(x) if _is_complex(x) else x


def _svd_jvp(primals, tangents):
    (a,), (da,) = primals, tangents
    u, s, vt = svd_reduced(a)
    return (u, s, vt), _svd_tangents(a, da, u, s, vt)


def _svd_tangents(a, da, u, s, vt):
    # JAX's svd_jvp_rule. For a complex matrix each pair (u_i, v_i) has a free joint phase;
    # JAX's gauge puts the imaginary part of diag(Uᴴ dA V) into dU alone (the term ``dd``).
    v, uh = mH(vt), mH(u)
    m, n = shape(a)[-2:]
    ds_mat = matmul(matmul(uh, da), v)
    ds = _re(diagonal(ds_mat, axis1=-2, axis2=-1))
    F = _F(s)
    dss = ds_mat * _row(s)              # dS · diag(s)
    sds = _col(s) * ds_mat              # diag(s) · dS
    du = matmul(u, F * (dss + mH(dss)))
    dv = matmul(v, F * (sds + mH(sds)))
    if _is_complex(ds_mat):
        k = shape(s)[-1]
        dd = diag_embed(1j * E.imag(diagonal(ds_mat, axis1=-2, axis2=-1)) * _safe_inv(s),
                        shape=shape(s) + (k,), axis1=-2, axis2=-1)
        du = du + matmul(u, dd)
    if m > n:
        dav = matmul(da, v)
        du = du + (dav - matmul(u, matmul(uh, dav))) * _row(_safe_inv(s))
    if n > m:
        dau = matmul(mH(da), u)
        dv = dv + (dau - matmul(v, matmul(vt, dau))) * _row(_safe_inv(s))
    return du, ds, mH(dv)


def _svd_vjp(g, ans, vals, params):
    # The transpose of the JVP above, term by term, under the bilinear pairing Re Σ c·t:
    # t ↦ X t Y gives c ↦ Xᵀ c Yᵀ, t ↦ tᴴ gives c ↦ cᴴ, t ↦ i·Im(t) gives c ↦ i·Im(c).
    (a,) = vals
    gu, gs, gvt = g
    u, s, vt = ans
    v, gv = mH(vt), mH(gvt)
    m, n = shape(a)[-2:]
    F = _F(s)
    k = shape(s)[-1]
    gs_mat = diag_embed(_re(gs), shape=shape(s) + (k,), axis1=-2, axis2=-1)
    ugu = matmul(mT(u), gu)
    # F is inf between repeated singular values: zero cotangents (only s used) give 0 there.
    y = E.nan_safe_multiply(F, ugu)
    z = y + mH(y)
    w = E.nan_safe_multiply(F, matmul(mT(v), gv))
    p = w + mH(w)
    gds = gs_mat + z * _row(s) + _col(s) * p
    if _is_complex(ugu):
        gds = gds + diag_embed(1j * E.imag(diagonal(ugu, axis1=-2, axis2=-1)) * _safe_inv(s),
                               shape=shape(s) + (k,), axis1=-2, axis2=-1)
    cu, cvt = _cj(u), _cj(vt)
    ga = matmul(matmul(cu, gds), cvt)
    if m > n:
        gu_s = gu * _row(_safe_inv(s))
        ga = ga + matmul(gu_s - matmul(cu, matmul(mT(u), gu_s)), cvt)
    if n > m:
        gv_s = gv * _row(_safe_inv(s))
        ga = ga + matmul(cu, mH(gv_s - matmul(_cj(v), matmul(mT(v), gv_s))))
    return [ga]


#: (u, s, vt) = svd(a, full_matrices=False), for (stacks of) real or complex matrices.
svd_reduced = L._matrix_function("svd_reduced", _svd_impl, _svd_jvp, _svd_vjp, names=(),
                                 multiple_results=True)


def _svdvals_jvp(t, s, a):
    u, _, vt = svd_reduced(a)
    return _re(diagonal(matmul(matmul(mH(u), t), mH(vt)), axis1=-2, axis2=-1))


def _svdvals_vjp(g, s, a):
    u, _, vt = svd_reduced(a)
    return _cj(matmul(u * _row(_re(g)), vt))


#: The singular values alone (numpy.linalg.svd(a, compute_uv=False)).
def _svdvals_impl(a):
    if type(a) is not np.ndarray and is_lazy(a):  # Dask's svd has no compute_uv=
        return lazy_linalg("svdvals", a)
    if array_api_only(a):
        return standard_linalg("svdvals", a)
    return np.linalg.svd(a, compute_uv=False)


svdvals = L._matrix_function("svdvals", _svdvals_impl,
                             [_svdvals_jvp], [_svdvals_vjp], names=())


# ---- the pseudo-inverse: Golub and Pereyra's derivative (constant rank) ----------------
def _pinv_impl(a, rcond=1e-15, atol=0.0):
    if array_api_only(a):  # NumPy's rcond is relative to the largest singular value: rtol
        if atol:
            raise NotImplementedError("pinv(atol=) on Array API arrays: the standard has a "
                                      "relative rtol only; convert to NumPy first")
        return standard_linalg("pinv", a, rtol=rcond)
    if atol:   # SciPy's cutoff atol + rcond·σ_max, as a relative one per matrix of the stack
        s = np.linalg.svd(a, compute_uv=False)
        smax = s.max(axis=-1) if s.shape[-1] else np.zeros(s.shape[:-1])
        with np.errstate(divide="ignore", invalid="ignore"):
            rcond = np.where(smax > 0, rcond + atol / smax, 1.0)
    return np.linalg.pinv(a, rcond=rcond)


def _eye_n(x, n):
    return np.eye(n, dtype=dtype(x))  # (moved into x's library where it meets x's arrays)


def _pinv_jvp(t, p, a, rcond=1e-15, atol=0.0):
    # dP = −P dA P + P Pᴴ dAᴴ (I − A P) + (I − P A) dAᴴ Pᴴ P
    m, n = shape(a)[-2:]
    q = E.subtract(_eye_n(a, m), matmul(a, p))
    r = E.subtract(_eye_n(a, n), matmul(p, a))
    th, ph = mH(t), mH(p)
    return (E.negative(matmul(matmul(p, t), p)) + matmul(matmul(matmul(p, ph), th), q)
            + matmul(matmul(r, th), matmul(ph, p)))


def _pinv_vjp(g, p, a, rcond=1e-15, atol=0.0):
    # The transpose: t ↦ X tᴴ Y transposes to c ↦ conj(Y) cᴴ conj(X).
    m, n = shape(a)[-2:]
    q = E.subtract(_eye_n(a, m), matmul(a, p))
    r = E.subtract(_eye_n(a, n), matmul(p, a))
    gh, pt = mH(g), mT(p)
    return (E.negative(matmul(matmul(pt, g), pt))
            + matmul(matmul(_cj(q), gh), _cj(matmul(p, mH(p))))
            + matmul(matmul(_cj(matmul(mH(p), p)), gh), _cj(r)))


pinv_prim = L._matrix_function("pinv", _pinv_impl, [_pinv_jvp], [_pinv_vjp], names=())


# ---- QR, reduced (full column rank, m ≥ n) ------------------------------------------------
def _qr_impl(a):
    if type(a) is not np.ndarray and is_lazy(a):  # Dask's qr is the reduced one, no mode=
        return lazy_linalg("qr", a)
    if array_api_only(a):
        q, r = standard_linalg("qr", a, mode="reduced")
        return q, r
    q, r = np.linalg.qr(a, mode="reduced")
    return q, r


def _right_solve(x, r):
    """x r⁻¹."""
    return mT(L.solve(mT(r), mT(x)))


def _qr_needs_tall(a):
    m, n = shape(a)[-2:]
    if m < n:
        raise NotImplementedError(
            f"the derivative of qr of a wide {m}x{n} matrix is not unique (R's extra columns); "
            f"chainrule differentiates qr where the matrix has full column rank (m >= n). "
            f"Differentiate qr of the transpose, or use the SVD.")


def _plus_imag_diag(x, c):
    """x + diag(i·Im diag(c)): JAX's correction for complex input, which keeps diag(R) real
    (as LAPACK's is); x itself for a real c. The map c ↦ diag(i·Im diag(c)) is its own
    transpose under Re Σ c·t."""
    if not _is_complex(c):
        return x
    d = diagonal(c, axis1=-2, axis2=-1)
    return x + diag_embed(1j * E.imag(d), shape=shape(c), axis1=-2, axis2=-1)


def _qr_jvp(primals, tangents):
    (a,), (da,) = primals, tangents
    _qr_needs_tall(a)
    q, r = qr_reduced(a)
    return (q, r), _qr_tangents(da, q, r)


def _qr_tangents(da, q, r):
    x = _right_solve(da, r)
    c = matmul(mH(q), x)
    low = S.tril(c, k=-1)
    om = _plus_imag_diag(low - mH(low), c)
    return matmul(q, om - c) + x, matmul(c - om, r)


def _qr_vjp(g, ans, vals, params):
    (a,) = vals
    _qr_needs_tall(a)
    gq, gr = g
    q, r = ans
    mq = matmul(mT(q), gq)
    nr = matmul(gr, mT(r))
    gom = mq - nr
    gc = _plus_imag_diag(nr - mq + S.tril(gom - mH(gom), k=-1), gom)
    gx = gq + matmul(_cj(q), gc)
    return [mT(L.solve(r, mT(gx)))]


qr_reduced = L._matrix_function("qr_reduced", _qr_impl, _qr_jvp, _qr_vjp, names=(),
                                multiple_results=True)


# ---- the general eigendecomposition (complex eigenvalues and right eigenvectors) ----------
def _eig_impl(a):
    # Always complex (as JAX's): NumPy returns a real dtype when every eigenvalue of a real matrix
    # happens to be real, and an output dtype that depends on the values has no derivative.
    if array_api_only(a):  # (NumPy's would convert the arrays to NumPy's, silently)
        raise NotImplementedError("linalg.eig is not in the Array API standard, so chainrule "
                                  "cannot compute it on these arrays; convert to NumPy first")
    a = np.asarray(a)
    w, v = np.linalg.eig(a)
    ct = np.result_type(a.dtype, np.complex64)
    return w.astype(ct), v.astype(ct)


def _eig_gauge(w, v):
    """F_ij = 1/(w_j − w_i) off the diagonal (0 on it); LAPACK's gauge: the mask of each
    eigenvector's largest-modulus component (made real by geev) and that component."""
    k = shape(w)[-1]
    eye = np.eye(k, dtype=bool)
    d = _row(w) - _col(w)
    F = E.where(eye, 0.0, E.reciprocal(E.where(eye, 1.0, d)))
    # The first component of largest modulus (as LAPACK's i*amax picks it): at a tie (|v| =
    # [1, 1]/√2) a mask of all maxima would sum components to r = 0.
    av = E.stop_gradient(E.absolute(v))
    first = B.reshape(S.argmax(av, axis=-2), shape=shape(w)[:-1] + (1, k))
    mask = E.where(E.equal(np.arange(k).reshape(k, 1), first), 1.0, 0.0)
    r = B.reduce_sum(mask * B.real(v), axis=-2)
    return F, mask, r


def _eig_jvp(primals, tangents):
    # JAX's eig_jvp_rule (_eig_vec_jvp): with P = V⁻¹ dA V, dw = diag(P) and dV = U + V diag(c),
    # U = V (F ∘ P). The eigenvalue equation leaves c_j free; geev normalises each v_j to unit
    # norm with its largest-modulus component real, and c_j = −Re(v_jᴴ u_j) − i Im(u_kj)/v_kj
    # keeps both.
    (a,), (da,) = primals, tangents
    w, v = eig_prim(a)
    return (w, v), eig_tangents(da, w, v)


def eig_tangents(da, w, v):
    """(dw, dV) of the eigendecomposition (w, V) of a matrix moved by dA (LAPACK's gauge)."""
    p = matmul(L.solve(v, da), v)
    F, mask, r = _eig_gauge(w, v)
    u = matmul(v, F * p)
    c = (E.negative(B.real(B.reduce_sum(_cj(v) * u, axis=-2)))
         - 1j * (E.imag(B.reduce_sum(mask * u, axis=-2)) / r))
    return diagonal(p, axis1=-2, axis2=-1), u + v * _row(c)


def _eig_vjp(g, ans, vals, params):
    return [eig_cotangent(g, ans, vals[0])]


def eig_cotangent(g, ans, a):
    """The cotangent of A from those (ḡw, ḡV) of its eigendecomposition ``ans`` = (w, V)."""
    # The transpose of the JVP under Re Σ c·t. With s_j = Σ_i ḡV_ij V_ij, the term V diag(c)
    # sends −conj(V) diag(Re s) − i M diag(Im s / r) to U's cotangent; t ↦ V (F ∘ t) sends
    # ḡU to F ∘ (Vᵀ ḡU), and P = V⁻¹ dA V sends ḡP to V⁻ᵀ ḡP Vᵀ.
    gw, gv = g
    w, v = ans
    F, mask, r = _eig_gauge(w, v)
    s = B.reduce_sum(gv * v, axis=-2)
    gu = gv - _cj(v) * _row(B.real(s)) - 1j * (mask * _row(E.imag(s) / r))
    k = shape(w)[-1]
    # F is inf between repeated eigenvalues: a zero V̄ (eigvals alone) gives 0 there, not nan.
    gp = E.nan_safe_multiply(F, matmul(mT(v), gu)) + diag_embed(gw, shape=shape(w) + (k,),
                                                                 axis1=-2, axis2=-1)
    ga = L.solve(mT(v), matmul(gp, mT(v)))
    return ga if _is_complex(a) else B.real(ga)


#: (w, v) = eig(a), complex, for (stacks of) real or complex square matrices.
eig_prim = L._matrix_function("eig", _eig_impl, _eig_jvp, _eig_vjp, names=(),
                              multiple_results=True)


# ---- matrix rank: an integer, zero derivative ---------------------------------------------
def _matrix_rank_impl(a, tol=None, hermitian=False):
    if array_api_only(a):
        if tol is not None:  # NumPy's tol is absolute; the standard's rtol is relative
            raise NotImplementedError("matrix_rank(tol=) on Array API arrays: the standard "
                                      "has a relative rtol only; convert to NumPy first")
        return standard_linalg("matrix_rank", a)
    return np.linalg.matrix_rank(a, tol=tol, hermitian=hermitian)


_matrix_rank = Primitive("matrix_rank", _matrix_rank_impl)


def _matrix_rank_public(A, tol=None, hermitian=False):
    """numpy.linalg.matrix_rank: an integer, so its derivative is zero.

    >>> int(matrix_rank(np.eye(3)))
    3
    """
    return _matrix_rank(A, tol=tol, hermitian=hermitian)


matrix_rank = _matrix_rank_public
declare(_matrix_rank, jvp=None, vjp=None, batch=L._stack_batch(_matrix_rank),
        names=("matrix_rank",), namespace=LINALG, public=_matrix_rank_public)


# ---- the public functions of numpy.linalg built on these ---------------------------------
@export(namespace=LINALG)
def pinv(a, rcond=None, hermitian=False, *, rtol=None):
    """Moore–Penrose pseudo-inverse; differentiable where the rank is locally constant.

    >>> pinv(np.array([[2.0, 0.0], [0.0, 4.0], [0.0, 0.0]]))
    array([[0.5 , 0.  , 0.  ],
           [0.  , 0.25, 0.  ]])
    """
    if rcond is None:
        rcond = rtol if rtol is not None else 1e-15
    return pinv_prim(a, rcond=rcond)


@export(namespace=LINALG)
def lstsq(a, b, rcond=None):
    """numpy.linalg.lstsq: ``(x, residuals, rank, s)``; exact derivatives where ``a`` has full
    rank (x = pinv(a) b).

    >>> x, res, rank, s = lstsq(np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]), np.ones(3))
    >>> x.round(6), int(rank)
    (array([0.666667, 0.666667]), 2)
    """
    m, n = shape(a)[-2:]
    dtype = result_type(lower(a), np.float64)
    # NumPy's result dtype: integers count as float64, float32/complex64 stay single; the
    # residuals and singular values are its real counterpart (float64 for float32 a and
    # float64 b, so svdvals(a) alone would be float32).
    real = np.finfo(_lstsq_result_type(a, b)).dtype
    if rcond is None:
        rcond = np.finfo(dtype).eps * max(m, n)
    try:
        s_val = np.linalg.svd(np.asarray(full_lower(a)), compute_uv=False)
        rank = int(np.sum(s_val > rcond * s_val.max())) if s_val.size else 0
    except BatchedValueError:
        # Under vmap the rank of each example is not known here: full rank is assumed.
        rank = min(m, n)
    x = matmul(pinv_prim(a, rcond=rcond), b)
    if rank == n and m > n:
        r = matmul(a, x) - b
        residuals = B.reduce_sum(_re(r * _cj(r)), axis=0)   # |r|², real as NumPy's
        if ndim(b) == 1:
            residuals = B.reshape(residuals, shape=(1,))
    else:
        residuals = np.zeros((0,), dtype=real)
    s = svdvals(a)
    return x, residuals, np.int32(rank), s if _value_dtype(s) == real else E.astype(s, real)


def _lstsq_result_type(*arrays):
    kinds = [result_type(lower(v)) for v in arrays]
    return np.result_type(*[k if k.kind in "fc" else np.float64 for k in kinds])


def _value_dtype(v):
    return result_type(lower(v))


@export(namespace=LINALG, prim=eig_prim)
def eig(a):
    """numpy.linalg.eig: ``(w, v)``, the eigenvalues and right eigenvectors of a general square
    matrix (or stack), always complex (as JAX's; NumPy returns a real dtype when the eigenvalues
    of a real matrix happen to be real).

    Differentiable where the eigenvalues are distinct (JAX's rule). An eigenvector is defined
    only up to a complex scale: chainrule differentiates LAPACK's choice (unit norm, largest
    component real), as JAX does, but only functions that do not depend on the scale
    (eigenvalues, V diag(f(w)) V⁻¹, |v_i|²/‖v_i‖²) are meaningful. Near repeated eigenvalues the
    derivative of the eigenvectors blows up (1/(w_j − w_i)).

    >>> import chainrule as cr
    >>> w, v = eig(np.array([[2.0, 1.0], [0.0, 3.0]]))
    >>> w
    array([2.+0.j, 3.+0.j])
    >>> cr.grad(lambda a: cr.numpy.real(eig(a)[0][1]))(np.array([[2.0, 1.0], [0.0, 3.0]]))
    array([[0., 0.],
           [1., 1.]])
    """
    return linalg_result("eig", eig_prim(a))


@export(namespace=LINALG, prim=eig_prim)
def eigvals(a):
    """numpy.linalg.eigvals: the eigenvalues of a general square matrix, complex; differentiable
    where they are distinct (dw = diag(V⁻¹ dA V)).

    >>> eigvals(np.array([[0.0, -1.0], [1.0, 0.0]]))
    array([0.+1.j, 0.-1.j])
    """
    return eig_prim(a)[0]


@export(namespace=LINALG)
def eigvalsh(a, UPLO="L"):
    """Eigenvalues of a symmetric matrix, ascending (differentiable where distinct).

    >>> eigvalsh(np.array([[2.0, 1.0], [1.0, 2.0]]))
    array([1., 3.])
    """
    return L.eigh(a, UPLO=UPLO)[0]


@export(namespace=LINALG)
def multi_dot(arrays, *, out=None):
    """a @ b @ c … (the first and last may be vectors, as in NumPy).

    >>> float(multi_dot([np.ones(2), np.eye(2), np.ones(2)]))
    2.0
    """
    if out is not None:
        raise TypeError("multi_dot(out=...) writes in place; assign the result instead")
    arrays = list(arrays)
    if len(arrays) < 2:
        raise ValueError("multi_dot needs at least two arrays")
    result = arrays[0]
    for x in arrays[1:]:
        result = matmul(result, x)
    return result


@export(namespace=LINALG)
def tensorsolve(a, b, axes=None):
    """Solve tensordot(a, x, b.ndim) = b for x (numpy.linalg.tensorsolve).

    >>> tensorsolve(2.0 * np.eye(4).reshape(2, 2, 2, 2), np.ones((2, 2)))
    array([[0.5, 0.5],
           [0.5, 0.5]])
    """
    if axes is not None:
        nd = ndim(a)
        allaxes = [i for i in range(nd) if i not in [ax % nd for ax in axes]]
        a = B.transpose(a, axes=tuple(allaxes + [ax % nd for ax in axes]))
    sb = shape(b)
    xshape = shape(a)[ndim(b):]
    prod_b = int(np.prod(sb))
    prod_x = int(np.prod(xshape))
    if prod_b != prod_x:
        raise ValueError("tensorsolve: the system is not square (prod(b.shape) != prod(x.shape))")
    x = L.solve(B.reshape(a, shape=(prod_b, prod_x)), B.reshape(b, shape=(prod_b,)))
    return B.reshape(x, shape=tuple(xshape))
