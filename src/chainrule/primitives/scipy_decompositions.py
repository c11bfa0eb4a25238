"""``scipy.linalg``'s pseudo-inverse, least squares, norm and LU with explicit factors (needs
the ``scipy`` extra).

- ``pinv``, ``lstsq``, ``norm`` and ``svdvals`` are SciPy's signatures over the rules of
  ``chainrule.numpy.linalg`` (pinv's Golub–Pereyra derivative, exact where the rank is
  locally constant).
- ``lu`` unpacks the packed LU factor of ``lu_factor`` (whose rule is dLU from
  L⁻¹·P·dA·U⁻¹), so L and U are differentiable for a square matrix; a rectangular one gets
  SciPy's values and a refused derivative.
(The value-only decompositions, schur, null_space, qz…, are in ``scipy_value_only``.)

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
from .declare import declare, export
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
        v = np.asarray(lower(a))
        return np.linalg.svd(v, compute_uv=False) if v.size else np.zeros(0)
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
    if m > n and rank == n and lapack_driver != "gelsy":   # gelsy computes no residues
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
    out = C.norm(a, ord=ord, axis=axis, keepdims=keepdims)
    if (ndim(a) == 1 and 0 not in shape(a) and dtype(a).char in "fF" and axis is None
            and not keepdims and ord in (None, 2)):
        return E.astype(out, dtype=np.float64)   # SciPy's BLAS nrm2 answers a float64
    return out


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
def _lapack_perm(piv, size=None):
    perm = np.arange(len(piv) if size is None else size)
    for i, p in enumerate(piv):
        perm[i], perm[p] = perm[p], perm[i]
    return perm


_pidx = Primitive("lu_perm_indices",   # int32, as SciPy's
                  lambda piv, size=None: np.argsort(_lapack_perm(np.asarray(piv), size))
                  .astype(np.int32))
#: The row indices P with A = L[P]·U, from LAPACK's pivots (integers: no derivative).
perm_indices = declare(_pidx, jvp=None, vjp=None, batch=loop_batch(_pidx), names=())


def _lu_of_empty(a, permute_l, p_indices):
    """SciPy's factors of an empty matrix: nothing to differentiate, constants shaped and
    typed as SciPy's."""
    return tuple(scipy_module("linalg").lu(np.zeros(shape(a), dtype=dtype(a)),
                                           permute_l=permute_l, p_indices=p_indices))


@export("lu", namespace=SCIPY_LINALG)
def lu(a, permute_l=False, overwrite_a=False, check_finite=True, p_indices=False):
    """``scipy.linalg.lu``: ``(p, l, u)`` with a = p·l·u (``p_indices=True``: p as row
    indices, a = l[p]·u; ``permute_l=True``: ``(p·l, u)``). For a square matrix L and U are
    differentiable (away from a change of pivots and for a nonsingular a), and for a
    rectangular matrix where its first min(m, n) columns are independent.

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
    if m == 0 or n == 0:
        return _lu_of_empty(a, bool(permute_l), bool(p_indices))
    k = min(m, n)
    packed, piv = lu_packed(a)
    low = S.tril(packed[:, :k], k=-1) + np.eye(m, k, dtype=dtype(packed))
    up = S.triu(packed[:k, :])
    perm = perm_matrix(piv, size=m)
    if permute_l:
        return L.matmul(L.mT(E.astype(perm, dtype=dtype(packed))), low), up
    real = np.finfo(dtype(packed)).dtype   # SciPy's p is real for a complex a
    p = perm_indices(piv, size=m) if p_indices else L.mT(E.astype(perm, dtype=real))
    return p, low, up
