"""``scipy.linalg``'s decompositions whose values chainrule computes without a derivative
(needs the ``scipy`` extra): null_space, orth, schur, hessenberg, rq, ldl, qz, ordqz, cossin,
rsf2csf, matrix_balance, subspace_angles, expm_cond, cdf2rdf, qr_multiply.

Each is a value-only primitive (``declare.value_only``): SciPy computes the value, vmap loops
over the examples, and differentiating it raises a TypeError that says what to do instead (a
basis of a subspace, a Schur vector… is not unique, and no rule is written), never a silent
zero.

>>> import numpy as np
>>> null_space(np.array([[1.0, 0.0]]))
array([[0.],
       [1.]])
"""

import numpy as np

from ..core.primitive import Primitive
from ..core.registry import SCIPY_LINALG
from .declare import export, value_only
from .util import shape, ndim
from .scipy_linalg import scipy_module, loop_batch, require_finite

__all__ = []


def _matrix(name, a):
    if ndim(a) != 2:
        raise ValueError(f"scipy.linalg.{name}: expected a matrix, got shape {shape(a)}")


# ---- values only ----------------------------------------------------------------------------
def _value_only_decomposition(name, call, why):
    """A SciPy decomposition as a value-only primitive; it returns a tuple always."""
    def impl(*arrays, **params):
        out = call(*arrays, **params)
        # np.array copies: SciPy returns its input itself in places (hessenberg of a 1×1 or
        # 2×2 matrix), and an output never aliases the caller's array.
        return tuple(np.array(v) for v in out) if isinstance(out, (tuple, list)) else \
            (np.array(out),)
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
