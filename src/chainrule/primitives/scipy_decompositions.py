"""``scipy.linalg``'s pseudo-inverse, least squares, norm, LU with explicit factors and the
decompositions whose values chainrule computes without a derivative (needs the ``scipy``
extra).

- ``pinv``, ``lstsq``, ``norm`` and ``svdvals`` are SciPy's signatures over the rules of
  ``chainrule.numpy.linalg`` (pinv's Golub–Pereyra derivative, exact where the rank is
  locally constant).
- ``lu`` unpacks the packed LU factor of ``lu_factor`` (whose rule is dLU from
  L⁻¹·P·dA·U⁻¹), so L and U are differentiable for a square matrix; a rectangular one gets
  SciPy's values and a refused derivative.
- ``null_space``, ``orth``, ``schur``, ``hessenberg``, ``rq`` and ``ldl`` are value-only:
  differentiating them raises (a basis of a subspace, a Schur vector… is not unique, and no
  rule is written), never a silent zero.

>>> import numpy as np, chainrule as cr
>>> p, l, u = lu(np.array([[1.0, 2.0], [3.0, 4.0]]))
>>> l
array([[1.        , 0.        ],
       [0.33333333, 1.        ]])
"""

import numpy as np

from ..core.primitive import Primitive
from ..core.registry import SCIPY_LINALG
from ..interpreters.batching import BatchedValueError
from .declare import declare, export, value_only
from .util import shape, ndim, dtype, lower
from . import basic as B
from . import elementwise as E
from . import composites as C
from . import structural as S
from . import linalg as L
from . import decompositions as D
from .scipy_linalg import scipy_module, loop_batch, require_finite, lu_packed, perm_matrix

__all__ = []


def _matrix(name, a):
    if ndim(a) != 2:
        raise ValueError(f"scipy.linalg.{name}: expected a matrix, got shape {shape(a)}")


def _eps(a):
    wide = np.result_type(dtype(a), np.float32)
    return float(np.finfo(wide).eps)


def _singular_values(a):
    """The singular values of a's value, or None under vmap (one example's are unknown)."""
    try:
        v = lower(a)
        return np.linalg.svd(np.asarray(v), compute_uv=False) if v.size else np.zeros(0)
    except (BatchedValueError, TypeError):
        return None


@export("pinv", namespace=SCIPY_LINALG)
def pinv(a, *, atol=None, rtol=None, return_rank=False, check_finite=True):
    """``scipy.linalg.pinv``: the Moore–Penrose pseudo-inverse, singular values below
    ``atol + rtol·σ_max`` treated as zero (default ``atol`` 0, ``rtol`` max(m, n)·eps);
    ``(pinv, rank)`` with ``return_rank``. Differentiable (Golub–Pereyra) where the rank is
    locally constant.

    >>> import numpy as np, chainrule as cr
    >>> pinv(np.array([[2.0, 0.0], [0.0, 0.0]]))
    array([[0.5, 0. ],
           [0. , 0. ]])
    >>> cr.grad(lambda a: pinv(a)[0, 0])(np.array([[2.0], [0.0]]))
    array([[-0.25],
           [ 0.  ]])
    """
    _matrix("pinv", a)
    if check_finite:
        require_finite(a)
    m, n = shape(a)
    rtol = max(m, n) * _eps(a) if rtol is None else float(rtol)
    atol = 0.0 if atol is None else float(atol)
    if atol < 0 or rtol < 0:
        raise ValueError("atol and rtol values must be positive.")
    out = D.pinv_prim(a, rcond=rtol, atol=atol) if atol else D.pinv_prim(a, rcond=rtol)
    if not return_rank:
        return out
    s = _singular_values(a)
    if s is None:
        raise NotImplementedError("scipy.linalg.pinv(return_rank=True) under vmap: the rank "
                                  "of each example is not known here")
    return out, int(np.sum(s > atol + rtol * (s.max() if s.size else 0.0)))


@export("lstsq", namespace=SCIPY_LINALG)
def lstsq(a, b, cond=None, overwrite_a=False, overwrite_b=False, check_finite=True,
          lapack_driver=None):
    """``scipy.linalg.lstsq``: ``(x, residues, rank, s)``, x minimising ‖b − a·x‖ (the
    minimum-norm one), SciPy's residues (squared column norms of b − a·x when m > n and a
    has full rank; a number for a 1-d b; else an empty array), rank and singular values
    (None with ``lapack_driver='gelsy'``). ``x`` = pinv(a)·b is differentiable in a and b;
    for a rank-deficient a the derivative holds where the rank does not change (singular
    values below ``cond``·σ_max are zero, ``cond`` defaulting to eps). Under vmap the rank is
    not known per example: full rank is assumed.

    >>> import numpy as np, chainrule as cr
    >>> a = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    >>> x, res, rank, s = lstsq(a, np.ones(3))
    >>> x.round(6), round(float(res), 6), rank
    (array([0.666667, 0.666667]), 0.333333, 2)
    >>> cr.grad(lambda b: lstsq(a, b)[0].sum())(np.ones(3)).round(6)
    array([0.333333, 0.333333, 0.666667])
    """
    if lapack_driver not in (None, "gelsd", "gelsy", "gelss"):
        raise ValueError(f'LAPACK driver "{lapack_driver}" is not found')
    _matrix("lstsq", a)
    if ndim(b) not in (1, 2):
        raise ValueError(f"scipy.linalg.lstsq: b must be 1-d or 2-d, got shape {shape(b)}")
    m, n = shape(a)
    if shape(b)[0] != m:
        raise ValueError(f"Shape mismatch: a and b should have the same number of rows "
                         f"({m} != {shape(b)[0]}).")
    if check_finite:
        require_finite(a, b)
    rcond = _eps(a) if cond is None or cond < 0 else float(cond)
    x = L.matmul(D.pinv_prim(a, rcond=rcond), b)
    s_val = _singular_values(a)
    rank = min(m, n) if s_val is None else int(np.sum(s_val > rcond * (s_val.max() if
                                                                       s_val.size else 0)))
    real = np.result_type(dtype(a), dtype(b), np.float32)
    real = np.finfo(real).dtype
    if m > n and rank == n:
        r = b - L.matmul(a, x)
        residues = B.reduce_sum(E.real(r * E.conj(r)), axis=0)
    else:
        residues = np.empty((0,), dtype=real)
    s = None if lapack_driver == "gelsy" else D.svdvals(a)
    return x, residues, rank, s


@export("norm", namespace=SCIPY_LINALG)
def norm(a, ord=None, axis=None, keepdims=False, check_finite=True):
    """``scipy.linalg.norm``: ``chainrule.numpy.linalg.norm`` (every ``ord``), after SciPy's
    check for inf and nan.

    >>> import numpy as np, chainrule as cr
    >>> float(norm(np.array([3.0, 4.0])))
    5.0
    >>> cr.grad(norm)(np.array([3.0, 4.0]))
    array([0.6, 0.8])
    """
    if check_finite:
        require_finite(a)
    return C.norm(a, ord=ord, axis=axis, keepdims=keepdims)


@export("svdvals", namespace=SCIPY_LINALG)
def svdvals(a, overwrite_a=False, check_finite=True):
    """``scipy.linalg.svdvals``: the singular values, descending; differentiable where they
    are distinct and nonzero.

    >>> import numpy as np, chainrule as cr
    >>> svdvals(np.diag([1.0, -3.0]))
    array([3., 1.])
    >>> cr.grad(lambda a: svdvals(a)[0])(np.diag([1.0, -3.0]))
    array([[ 0.,  0.],
           [ 0., -1.]])
    """
    if ndim(a) < 2:
        raise ValueError(f"scipy.linalg.svdvals: expected a matrix, got shape {shape(a)}")
    if check_finite:
        require_finite(a)
    return D.svdvals(a)


# ---- LU with explicit factors --------------------------------------------------------------
def _lapack_perm(piv):
    perm = np.arange(len(piv))
    for i, p in enumerate(piv):
        perm[i], perm[p] = perm[p], perm[i]
    return perm


_pidx = Primitive("lu_perm_indices",   # int32, as SciPy's
                  lambda piv: np.argsort(_lapack_perm(np.asarray(piv))).astype(np.int32))
#: The row indices P with A = L[P]·U, from LAPACK's pivots (integers: no derivative).
perm_indices = declare(_pidx, jvp=None, vjp=None, batch=loop_batch(_pidx), names=())


def _lu_rect_impl(a, permute_l=False, p_indices=False):
    return tuple(scipy_module("linalg").lu(a, permute_l=permute_l, p_indices=p_indices))


_lu_rect = Primitive("lu_rectangular", _lu_rect_impl, multiple_results=True)
value_only(_lu_rect, why="the LU factors of a rectangular matrix have no rule here (a square "
                         "matrix's do)", batch=loop_batch(_lu_rect), names=())


@export("lu", namespace=SCIPY_LINALG)
def lu(a, permute_l=False, overwrite_a=False, check_finite=True, p_indices=False):
    """``scipy.linalg.lu``: ``(p, l, u)`` with a = p·l·u (``p_indices=True``: p as row
    indices, a = l[p]·u; ``permute_l=True``: ``(p·l, u)``). For a square matrix L and U are
    differentiable (away from a change of pivots and for a nonsingular a); a rectangular
    matrix gets SciPy's values, and differentiating them raises.

    >>> import numpy as np, chainrule as cr
    >>> a = np.array([[1.0, 2.0], [3.0, 4.0]])
    >>> p, l, u = lu(a)
    >>> p
    array([[0., 1.],
           [1., 0.]])
    >>> cr.grad(lambda a: lu(a)[2][1, 1])(a).round(6)  # u11 = a01 − a00·a11/a10
    array([[-1.333333,  1.      ],
           [ 0.444444, -0.333333]])
    """
    _matrix("lu", a)
    if check_finite:
        require_finite(a)
    m, n = shape(a)
    if m != n or m == 0:
        return _lu_rect(a, permute_l=bool(permute_l), p_indices=bool(p_indices))
    packed, piv = lu_packed(a)
    low = S.tril(packed, k=-1) + np.eye(n, dtype=dtype(packed))
    up = S.triu(packed)
    if permute_l:
        return L.matmul(L.mT(E.astype(perm_matrix(piv), dtype=dtype(packed))), low), up
    real = np.finfo(dtype(packed)).dtype   # SciPy's p is real for a complex a
    p = perm_indices(piv) if p_indices else L.mT(E.astype(perm_matrix(piv), dtype=real))
    return p, low, up


# ---- values only ----------------------------------------------------------------------------
def _value_only_decomposition(name, call, why):
    """A SciPy decomposition as a value-only primitive; it returns a tuple always."""
    def impl(*arrays, **params):
        out = call(*arrays, **params)
        return tuple(np.asarray(v) for v in out) if isinstance(out, (tuple, list)) else \
            (np.asarray(out),)
    prim = Primitive(name, impl, multiple_results=True)
    value_only(prim, why=why, batch=loop_batch(prim), names=())
    return prim


_NOT_UNIQUE = ("{} is not unique (a basis of a subspace, a Schur vector, a Householder sign), "
               "and no derivative is written; differentiate a quantity that does not depend on "
               "the choice (a projector, eigenvalues) written with svd/eigh/qr")
_null = _value_only_decomposition(
    "null_space", lambda a, rcond=None: scipy_module("linalg").null_space(a, rcond=rcond),
    _NOT_UNIQUE.format("the null space's basis"))
_orth = _value_only_decomposition(
    "orth", lambda a, rcond=None: scipy_module("linalg").orth(a, rcond=rcond),
    _NOT_UNIQUE.format("the range's basis"))
_schur = _value_only_decomposition(
    "schur", lambda a, output="real", sort=None: scipy_module("linalg").schur(
        a, output=output, sort=sort), _NOT_UNIQUE.format("the Schur form"))
_hess = _value_only_decomposition(
    "hessenberg", lambda a, calc_q=False: scipy_module("linalg").hessenberg(a, calc_q=calc_q),
    _NOT_UNIQUE.format("the Hessenberg form"))
_rq = _value_only_decomposition(
    "rq", lambda a, mode="full": scipy_module("linalg").rq(a, mode=mode),
    "no rule is written for RQ; chainrule.scipy.linalg.qr of the flipped transpose is "
    "differentiable (R·Q = a ⇔ flip(aᵀ) = flip(Qᵀ)·flip(Rᵀ), a QR)")
_ldl = _value_only_decomposition(
    "ldl", lambda a, lower=True, hermitian=True: scipy_module("linalg").ldl(
        a, lower=lower, hermitian=hermitian),
    "no rule is written for the pivoted LDLᵀ; use cholesky for a positive-definite matrix")


@export("null_space", namespace=SCIPY_LINALG, kind="value-only")
def null_space(A, rcond=None, *, overwrite_a=False, check_finite=True, lapack_driver="gesdd"):
    """``scipy.linalg.null_space``: an orthonormal basis of A's null space, SciPy's value;
    differentiating it raises (the basis is not unique).

    >>> import numpy as np
    >>> null_space(np.array([[1.0, 1.0]])).shape
    (2, 1)
    """
    _matrix("null_space", A)
    if check_finite:
        require_finite(A)
    return _null(A, rcond=rcond)[0]


@export("orth", namespace=SCIPY_LINALG, kind="value-only")
def orth(A, rcond=None):
    """``scipy.linalg.orth``: an orthonormal basis of A's range, SciPy's value;
    differentiating it raises (the basis is not unique).

    >>> import numpy as np
    >>> orth(np.array([[2.0, 0.0], [0.0, 0.0]]))
    array([[1.],
           [0.]])
    """
    _matrix("orth", A)
    return _orth(A, rcond=rcond)[0]


@export("schur", namespace=SCIPY_LINALG, kind="value-only")
def schur(a, output="real", lwork=None, overwrite_a=False, sort=None, check_finite=True):
    """``scipy.linalg.schur``: ``(T, Z)`` (and ``sdim`` with ``sort``), SciPy's values;
    differentiating them raises.

    >>> import numpy as np
    >>> t, z = schur(np.array([[1.0, 2.0], [0.0, 3.0]]))
    >>> t
    array([[1., 2.],
           [0., 3.]])
    """
    _matrix("schur", a)
    if check_finite:
        require_finite(a)
    return _schur(a, output=output, sort=sort)


@export("hessenberg", namespace=SCIPY_LINALG, kind="value-only")
def hessenberg(a, calc_q=False, overwrite_a=False, check_finite=True):
    """``scipy.linalg.hessenberg``: H (and Q with ``calc_q``), SciPy's values; differentiating
    them raises.

    >>> import numpy as np
    >>> hessenberg(np.array([[1.0, 2.0], [3.0, 4.0]]))
    array([[1., 2.],
           [3., 4.]])
    """
    _matrix("hessenberg", a)
    if check_finite:
        require_finite(a)
    out = _hess(a, calc_q=bool(calc_q))
    return out if calc_q else out[0]


@export("rq", namespace=SCIPY_LINALG, kind="value-only")
def rq(a, overwrite_a=False, lwork=None, mode="full", check_finite=True):
    """``scipy.linalg.rq``: ``(R, Q)`` (R alone with ``mode='r'``), SciPy's values;
    differentiating them raises.

    >>> import numpy as np
    >>> r, q = rq(np.eye(2))
    >>> bool(np.allclose(r @ q, np.eye(2)))
    True
    """
    _matrix("rq", a)
    if check_finite:
        require_finite(a)
    out = _rq(a, mode=mode)
    return out[0] if mode == "r" else out


@export("ldl", namespace=SCIPY_LINALG, kind="value-only")
def ldl(A, lower=True, hermitian=True, overwrite_a=False, check_finite=True):
    """``scipy.linalg.ldl``: ``(lu, d, perm)``, SciPy's values; differentiating them raises.

    >>> import numpy as np
    >>> lu_, d, perm = ldl(np.array([[4.0, 2.0], [2.0, 3.0]]))
    >>> d
    array([[4., 0.],
           [0., 2.]])
    """
    _matrix("ldl", A)
    if check_finite:
        require_finite(A)
    return _ldl(A, lower=bool(lower), hermitian=bool(hermitian))


# ---- more value-only routines: generalized Schur, CS decomposition, balancing, angles -------
def _scipy(name):
    return lambda *arrays, **params: getattr(scipy_module("linalg"), name)(*arrays, **params)


_VALUE_ONLY_MORE = {
    "qz": "the generalized Schur form (A, B) = (Q·AA·Zᴴ, Q·BB·Zᴴ)",
    "ordqz": "the reordered generalized Schur form",
    "cossin": "the cosine-sine decomposition of a unitary matrix",
    "rsf2csf": "the complex Schur form from the real one",
    "matrix_balance": "the balancing of a matrix (a permutation and powers of two)",
    "subspace_angles": "the principal angles between subspaces (write them with svd of "
                       "orthonormal bases to differentiate)",
    "expm_cond": "the relative condition number of expm",
    "cdf2rdf": "the real block-diagonal form of a complex eigendecomposition",
    "qr_multiply": "the product with Q of a QR decomposition (chainrule.scipy.linalg.qr then "
                   "@ is differentiable)",
}
def _matrix_balance(a, separate=False, **params):
    b, t = scipy_module("linalg").matrix_balance(a, separate=separate, **params)
    return (b,) + tuple(t) if separate else (b, t)   # flat: a primitive's results are arrays


_more = {name: _value_only_decomposition(
    name, _matrix_balance if name == "matrix_balance" else _scipy(name),
    f"{what} is computed by SciPy without a derivative rule in chainrule")
    for name, what in _VALUE_ONLY_MORE.items()}


def _value_only_call(name, arrays, params, single=False):
    out = _more[name](*arrays, **params)
    return out[0] if single else out


@export("qz", namespace=SCIPY_LINALG, kind="value-only")
def qz(A, B, output="real", lwork=None, sort=None, overwrite_a=False, overwrite_b=False,
       check_finite=True):
    """``scipy.linalg.qz``: ``(AA, BB, Q, Z)``, SciPy's values; differentiating them raises.

    >>> import numpy as np
    >>> aa, bb, q, z = qz(np.diag([1.0, 2.0]), np.eye(2))
    >>> bool(np.allclose(q @ aa @ z.T, np.diag([1.0, 2.0])))
    True
    """
    if check_finite:
        require_finite(A, B)
    return _value_only_call("qz", (A, B), dict(output=output, sort=sort))


@export("ordqz", namespace=SCIPY_LINALG, kind="value-only")
def ordqz(A, B, sort="lhp", output="real", overwrite_a=False, overwrite_b=False,
          check_finite=True):
    """``scipy.linalg.ordqz``: ``(AA, BB, alpha, beta, Q, Z)``, SciPy's values;
    differentiating them raises.

    >>> import numpy as np
    >>> out = ordqz(np.diag([1.0, -2.0]), np.eye(2))
    >>> out[0].diagonal()
    array([-2.,  1.])
    """
    if check_finite:
        require_finite(A, B)
    return _value_only_call("ordqz", (A, B), dict(sort=sort, output=output))


@export("cossin", namespace=SCIPY_LINALG, kind="value-only")
def cossin(X, p=None, q=None, separate=False, swap_sign=False, compute_u=True,
           compute_vh=True):
    """``scipy.linalg.cossin``: the cosine-sine decomposition of a unitary X, SciPy's values
    (an array X only, not the blocks); differentiating them raises.

    >>> import numpy as np
    >>> u, cs, vh = cossin(np.eye(2), p=1, q=1)
    >>> bool(np.allclose(u @ cs @ vh, np.eye(2)))
    True
    """
    if separate or not (compute_u and compute_vh):
        raise NotImplementedError("chainrule.scipy.linalg.cossin returns (u, cs, vh) only")
    return _value_only_call("cossin", (X,), dict(p=p, q=q, swap_sign=swap_sign))


@export("rsf2csf", namespace=SCIPY_LINALG, kind="value-only")
def rsf2csf(T, Z, check_finite=True):
    """``scipy.linalg.rsf2csf``: the complex Schur form ``(T, Z)`` from the real one, SciPy's
    values; differentiating them raises.

    >>> import numpy as np
    >>> t, z = rsf2csf(np.array([[0.0, 1.0], [-1.0, 0.0]]), np.eye(2))
    >>> np.round(np.sort_complex(t.diagonal()), 12) + 0.0
    array([0.-1.j, 0.+1.j])
    """
    if check_finite:
        require_finite(T, Z)
    return _value_only_call("rsf2csf", (T, Z), {})


@export("matrix_balance", namespace=SCIPY_LINALG, kind="value-only")
def matrix_balance(A, permute=True, scale=True, separate=False, overwrite_a=False):
    """``scipy.linalg.matrix_balance``: ``(B, T)`` (or ``(B, (scale, perm))`` with
    ``separate``), SciPy's values; differentiating them raises.

    >>> import numpy as np
    >>> b, t = matrix_balance(np.array([[1.0, 100.0], [0.01, 1.0]]))
    >>> t
    array([[16.  ,  0.  ],
           [ 0.  ,  0.25]])
    """
    out = _value_only_call("matrix_balance", (A,), dict(permute=permute, scale=scale,
                                                        separate=bool(separate)))
    return (out[0], (out[1], out[2])) if separate else tuple(out)


@export("subspace_angles", namespace=SCIPY_LINALG, kind="value-only")
def subspace_angles(A, B):
    """``scipy.linalg.subspace_angles``: the principal angles (radians, descending) between
    the column spaces of A and B, SciPy's values; differentiating them raises.

    >>> import numpy as np
    >>> subspace_angles(np.array([[1.0], [0.0]]), np.array([[1.0], [1.0]])).round(6)
    array([0.785398])
    """
    return _value_only_call("subspace_angles", (A, B), {}, single=True)


@export("expm_cond", namespace=SCIPY_LINALG, kind="value-only")
def expm_cond(A, check_finite=True):
    """``scipy.linalg.expm_cond``: the relative condition number of expm at A in the
    Frobenius norm, SciPy's value; differentiating it raises.

    >>> import numpy as np
    >>> float(expm_cond(np.zeros((2, 2))))
    0.0
    """
    if check_finite:
        require_finite(A)
    return _value_only_call("expm_cond", (A,), {}, single=True)


@export("cdf2rdf", namespace=SCIPY_LINALG, kind="value-only")
def cdf2rdf(w, v):
    """``scipy.linalg.cdf2rdf``: ``(wr, vr)``, the real block-diagonal form of a complex
    eigendecomposition, SciPy's values; differentiating them raises.

    >>> import numpy as np
    >>> wr, vr = cdf2rdf(*np.linalg.eig(np.array([[0.0, 1.0], [-1.0, 0.0]])))
    >>> wr
    array([[ 0.,  1.],
           [-1.,  0.]])
    """
    return _value_only_call("cdf2rdf", (w, v), {})


@export("qr_multiply", namespace=SCIPY_LINALG, kind="value-only")
def qr_multiply(a, c, mode="right", pivoting=False, conjugate=False, overwrite_a=False,
                overwrite_c=False):
    """``scipy.linalg.qr_multiply``: ``(CQ, R)`` (and the pivots with ``pivoting``), SciPy's
    values; differentiating them raises (``qr`` then ``@`` is differentiable).

    >>> import numpy as np
    >>> cq, r = qr_multiply(np.eye(2), np.eye(2))
    >>> bool(np.allclose(np.abs(cq), np.eye(2)))
    True
    """
    return _value_only_call("qr_multiply", (a, c), dict(mode=mode, pivoting=pivoting,
                                                        conjugate=conjugate))
