"""``scipy.linalg`` (needs the ``scipy`` extra): triangular solves, the Cholesky and LU
factor/solve pairs, the matrix exponential and the matrix square root, with their rules.

- ``solve_triangular`` is a primitive whose rules are triangular solves again.
- ``cho_factor``/``cho_solve`` and ``lu_solve`` are composites of ``solve_triangular``
  (and of ``cholesky``), so they differentiate in the factor and in ``b``.
- ``lu_factor``'s packed factor has its own rule (dLU from L⁻¹·P·dA·U⁻¹).
- ``expm``'s JVP is the Fréchet derivative, read off expm([[A, E], [0, A]]); its VJP is the
  Fréchet derivative at Aᵀ applied to the cotangent.
- ``sqrtm``'s JVP solves the Sylvester equation S·X + X·S = dA (``solve_sylvester``).

>>> import numpy as np, chainrule as cr
>>> a = np.array([[2.0, 0.0], [1.0, 4.0]])
>>> cr.grad(lambda b: solve_triangular(a, b, lower=True).sum())(np.ones(2))
array([0.375, 0.25 ])
"""

import numpy as np

from ..core.primitive import Primitive, Tracer
from ..core.registry import SCIPY_LINALG
from ..interpreters.batching import BatchedValueError
from .declare import declare, export
from .util import shape, ndim, dtype, lower
from .basic import moveaxis_to_front, axis_size
from . import basic as B
from . import elementwise as E
from . import structural as S
from . import linalg as L
from . import full_decompositions as FD

__all__ = []


def scipy_module(name):
    """``scipy.<name>``, imported on first use (SciPy is an optional extra)."""
    try:
        import importlib
        return importlib.import_module(f"scipy.{name}")
    except ImportError as exc:  # pragma: no cover - SciPy is installed with the extra
        raise ImportError(f"chainrule.scipy.{name} needs SciPy: pip install 'chainrule[scipy]'") \
            from exc


def require_finite(*arrays):
    """SciPy's ``check_finite=True``: ValueError (SciPy's message) when an array holds inf or
    nan. Reads the values under any tracer (a check, not an operation: jit replays the
    program without repeating it). Not read: the examples under vmap (a batched value stands
    for one example's shape only) and arrays that are not NumPy's (Dask's are lazy); there
    inf and nan propagate to the result as in NumPy."""
    for x in arrays:
        try:
            v = lower(x)
        except BatchedValueError:
            continue
        if isinstance(v, (list, tuple)):
            v = np.asarray(v)
        if isinstance(v, (np.ndarray, np.generic, float, complex, int)) and \
                np.result_type(v).kind in "fc" and not np.isfinite(v).all():
            raise ValueError("array must not contain infs or NaNs")


def _stack(xs):
    return B.concatenate(*[B.reshape(x, shape=(1,) + shape(x)) for x in xs], axis=0)


def loop_batch(prim):
    """A batching rule that applies ``prim`` to each example (for SciPy functions that take
    one matrix or one signal at a time); the loop runs in the rule, the result is stacked."""
    def rule(vals, dims, **params):
        n = axis_size(vals, dims)
        vals = [v if d is None else moveaxis_to_front(v, d) for v, d in zip(vals, dims)]
        if n == 0:
            return _empty_batch(prim, vals, dims, params)
        outs = [prim(*[v if d is None else B.getitem(v, index=(i,)) for v, d in zip(vals, dims)],
                     **params) for i in range(n)]
        if prim.multiple_results:
            return tuple(_stack([o[k] for o in outs]) for k in range(len(outs[0]))), \
                (0,) * len(outs[0])
        return _stack(outs), 0
    return rule


def _example_like(v, batched):
    """A well-posed stand-in for one example of v (zeros, identity in square trailing
    matrices): the loop of an empty batch has no example to call prim on for its shapes."""
    one = np.zeros(shape(v)[1:] if batched else shape(v), dtype=dtype(v))
    if one.ndim >= 2 and one.shape[-1] == one.shape[-2]:
        one[...] = np.eye(one.shape[-1], dtype=one.dtype)
    return one


def _empty_batch(prim, vals, dims, params):
    """prim over a batch of size 0: empty results shaped as prim's for one example
    (stacking no results failed with NumPy's 'need at least one array to concatenate')."""
    with np.errstate(all="ignore"):
        one = prim.impl(*[v if d is None and not isinstance(v, Tracer) else
                          _example_like(v, d is not None) for v, d in zip(vals, dims)], **params)
    outs = one if prim.multiple_results else (one,)
    empty = tuple(np.zeros((0,) + np.shape(o), dtype=np.result_type(o)) for o in outs)
    return (empty, (0,) * len(empty)) if prim.multiple_results else (empty[0], 0)


def per_matrix(fn):
    """``fn`` of one matrix, mapped over the leading axes of a stack."""
    def impl(*xs):
        lead = np.broadcast_shapes(*[np.shape(x)[:-2] for x in xs])
        if not lead:
            return fn(*xs)
        xs = [np.broadcast_to(x, lead + np.shape(x)[-2:]) for x in xs]
        if 0 in lead:  # an empty stack: the result is shaped like the last operand
            return np.zeros(lead + np.shape(xs[-1])[-2:], dtype=np.result_type(*xs, np.float64))
        outs = [fn(*[x[i] for x in xs]) for i in np.ndindex(*lead)]
        return np.stack(outs).reshape(lead + np.shape(outs[0]))
    return impl


def _outer(u, v):
    """u vᵀ for vectors, u @ vᵀ for matrices (the solution's columns)."""
    if ndim(u) == 1:
        return L.matmul(B.reshape(u, shape=shape(u) + (1,)), B.reshape(v, shape=(1,) + shape(v)))
    return L.matmul(u, L.mT(v))


# ---- solve_triangular ------------------------------------------------------------------------
def _tri_impl(a, b, lower=False, trans=0, unit=False):
    sl = scipy_module("linalg")
    return sl.solve_triangular(a, b, trans=trans, lower=lower, unit_diagonal=unit)


def _mask(t, lower, unit):
    k = -1 if unit else 0
    return S.tril(t, k=k) if lower else S.triu(t, k=-k)


def _tri_jvp_a(t, x, a, b, lower=False, trans=0, unit=False):
    dm = _mask(t, lower, unit)
    dm = L.mT(dm) if trans else dm
    return E.negative(tri_solve(a, L.matmul(dm, x), lower=lower, trans=trans, unit=unit))


def _tri_vjp_a(g, x, a, b, lower=False, trans=0, unit=False):
    gb = tri_solve(a, g, lower=lower, trans=1 - trans, unit=unit)
    c = E.negative(_outer(gb, x) if not trans else _outer(x, gb))
    return _mask(c, lower, unit)


_tri = Primitive("solve_triangular", _tri_impl)
tri_solve = declare(
    _tri,
    jvp=[_tri_jvp_a,
         lambda t, x, a, b, lower=False, trans=0, unit=False:
         tri_solve(a, t, lower=lower, trans=trans, unit=unit)],
    vjp=[_tri_vjp_a,
         lambda g, x, a, b, lower=False, trans=0, unit=False:
         tri_solve(a, g, lower=lower, trans=1 - trans, unit=unit)],
    batch=loop_batch(_tri), names=())

_TRANS = {0: 0, 1: 1, 2: 2, "N": 0, "T": 1, "C": 2, "n": 0, "t": 1, "c": 2}


@export("solve_triangular", namespace=SCIPY_LINALG, prim=tri_solve)
def solve_triangular(a, b, trans=0, lower=False, unit_diagonal=False, overwrite_b=False,
                     check_finite=True):
    """Solve op(A)·x = b for a triangular matrix A (``scipy.linalg.solve_triangular``),
    differentiable in A (its triangle only) and in b. ``trans``: 0/'N' (A), 1/'T' (Aᵀ),
    2/'C' (Aᴴ).

    >>> import numpy as np
    >>> a = np.array([[2.0, 1.0], [0.0, 4.0]])
    >>> solve_triangular(a, np.array([3.0, 4.0]))
    array([1., 1.])
    >>> solve_triangular(a, np.array([2.0, 5.0]), trans="T")
    array([1., 1.])
    """
    if trans not in _TRANS:
        raise ValueError(f"solve_triangular: trans must be 0, 1, 2, 'N', 'T' or 'C', not {trans!r}")
    if ndim(a) != 2 or shape(a)[0] != shape(a)[1]:
        raise ValueError(f"solve_triangular: expected a square matrix, got shape {shape(a)}")
    if ndim(b) not in (1, 2) or shape(b)[0] != shape(a)[0]:
        raise ValueError(f"solve_triangular: b of shape {shape(b)} does not match a of shape "
                         f"{shape(a)}")
    if check_finite:
        require_finite(a, b)
    t = _TRANS[trans]
    if t == 2:
        if dtype(a).kind == "c":
            a = E.conj(a)
        t = 1
    return tri_solve(a, b, lower=bool(lower), trans=t, unit=bool(unit_diagonal))


# ---- Cholesky: factor and solve, as composites -------------------------------------------------
@export("cho_factor", namespace=SCIPY_LINALG)
def cho_factor(a, lower=False, overwrite_a=False, check_finite=True):
    """The Cholesky factor of a symmetric (Hermitian) positive-definite matrix, as
    ``scipy.linalg.cho_factor``: ``(c, lower)``, for :func:`cho_solve`. Differentiable (the
    rule of ``cholesky``). Unlike SciPy, whose unused triangle holds arbitrary values, the
    unused triangle of ``c`` is zero.

    >>> import numpy as np
    >>> c, low = cho_factor(np.array([[4.0, 2.0], [2.0, 5.0]]))
    >>> c, low
    (array([[2., 1.],
           [0., 2.]]), False)
    """
    if check_finite:
        require_finite(a)
    if lower:
        return L.cholesky(a), True
    return L.mT(L.cholesky(L.mT(a))), False


@export("cho_solve", namespace=SCIPY_LINALG)
def cho_solve(c_and_lower, b, overwrite_b=False, check_finite=True):
    """Solve A·x = b given ``(c, lower) = cho_factor(A)`` (``scipy.linalg.cho_solve``);
    differentiable in b and in the factor c (two triangular solves).

    >>> import numpy as np, chainrule as cr
    >>> a = np.array([[4.0, 2.0], [2.0, 5.0]])
    >>> cho_solve(cho_factor(a), np.array([6.0, 7.0]))
    array([1., 1.])
    >>> cr.grad(lambda b: cho_solve(cho_factor(a), b).sum())(np.zeros(2))  # A⁻¹·1
    array([0.1875, 0.125 ])
    """
    c, low = c_and_lower
    if check_finite:
        require_finite(c, b)
    if low:
        return solve_triangular(c, solve_triangular(c, b, lower=True), lower=True, trans="C")
    return solve_triangular(c, solve_triangular(c, b, lower=False, trans="C"), lower=False)


# ---- LU: the packed factor has a rule; lu_solve is a composite ---------------------------------
def _perm(piv, size=None):
    """LAPACK's row interchanges as a permutation of ``size`` rows (the matrix's, which
    exceeds len(piv) for a tall one): A[perm] = L·U."""
    perm = np.arange(len(piv) if size is None else size)
    for i, p in enumerate(piv):
        perm[i], perm[p] = perm[p], perm[i]
    return perm


def _perm_matrix_impl(piv, size=None):
    piv = np.asarray(piv)
    n = piv.shape[-1] if size is None else size
    return np.eye(n)[_perm(piv, n)]


#: P with P·A = L·U, from SciPy's pivots (a float matrix, so the rules stay traced operations
#: that vmap batches; no derivative).
_pm = Primitive("lu_perm_matrix", _perm_matrix_impl)
perm_matrix = declare(_pm, jvp=None, vjp=None, batch=loop_batch(_pm), names=())


def _lu_impl(a):
    lu, piv = scipy_module("linalg").lu_factor(a)
    return lu, piv


def lu_squares(lu):
    """The square factors of a packed m×n LU (k = min(m, n)), as JAX's rule builds them:
    L (m×m, unit lower; the columns past k are the identity's) and U (n×n, upper; the rows
    past k are the identity's), so that the rules solve with square triangles."""
    m, n = shape(lu)[-2:]
    k = min(m, n)
    low, up = S.tril(lu[..., :, :k], k=-1), S.triu(lu[..., :k, :])
    if m > k:
        low = B.concatenate(low, np.zeros(shape(lu)[:-2] + (m, m - k), dtype=dtype(lu)), axis=-1)
    if n > k:
        up = B.concatenate(up, np.zeros(shape(lu)[:-2] + (n - k, n), dtype=dtype(lu)), axis=-2)
    tail = np.diag((np.arange(n) >= k).astype(dtype(lu)))
    return low + np.eye(m, dtype=dtype(lu)), up + tail


def _lu_jvp(primals, tangents):
    # Full rules (a primitive with two results): ``piv`` has no tangent. JAX's rule, which
    # holds for rectangular matrices: F = L⁻¹·P·dA·U⁻¹, dLU = L·tril(F, −1) + triu(F)·U.
    (a,), (t,) = primals, tangents
    lu, piv = ans = lu_packed(a)
    low, up = lu_squares(lu)
    x = tri_solve(low, L.matmul(perm_matrix(piv, size=shape(a)[-2]), t), lower=True, unit=True)
    f = L.mT(tri_solve(up, L.mT(x), lower=False, trans=1))
    return ans, (L.matmul(low, S.tril(f, k=-1)) + L.matmul(S.triu(f), up), None)


def _lu_vjp(g, ans, vals, params):
    lu, piv = ans
    g = g[0]
    low, up = lu_squares(lu)
    fbar = S.tril(L.matmul(L.mT(low), g), k=-1) + S.triu(L.matmul(g, L.mT(up)))
    z = tri_solve(low, fbar, lower=True, unit=True, trans=1)                  # L⁻ᵀ·F̄
    y = L.mT(tri_solve(up, L.mT(z), lower=False))                             # … ·U⁻ᵀ
    return (L.matmul(L.mT(perm_matrix(piv, size=shape(lu)[-2])), y),)


_lu = Primitive("lu_factor", _lu_impl, multiple_results=True)
lu_packed = declare(_lu, jvp=_lu_jvp, vjp=_lu_vjp, batch=loop_batch(_lu), names=())


@export("lu_factor", namespace=SCIPY_LINALG, prim=lu_packed)
def lu_factor(a, overwrite_a=False, check_finite=True):
    """The pivoted LU factorisation (``scipy.linalg.lu_factor``) of a matrix, square or
    rectangular, or of a stack of them (leading axes): ``(lu, piv)``, L (unit diagonal, below)
    and U packed in ``lu``; for :func:`lu_solve`. ``lu`` is differentiable in ``a`` (away from
    a change of pivots, where its first min(m, n) columns are independent); ``piv`` is an
    integer array. A solve differentiates in the matrix through :func:`lu_solve` on this
    factor, or with ``chainrule.numpy.linalg.solve``.

    >>> import numpy as np
    >>> lu, piv = lu_factor(np.array([[1.0, 2.0], [3.0, 4.0]]))
    >>> lu, piv
    (array([[3.        , 4.        ],
           [0.33333333, 0.66666667]]), array([1, 1], dtype=int32))
    >>> lu_factor(np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]))[0].round(2)
    array([[4.  , 5.  , 6.  ],
           [0.25, 0.75, 1.5 ]])
    """
    if ndim(a) < 2:
        raise ValueError(f"lu_factor: expected a matrix (or a stack), got shape {shape(a)}. "
                         f"Pass a[:, None] for a column or a[None, :] for a row; SciPy 1.17 "
                         f"reads a 1-d array as a column and returns its factor flattened, "
                         f"which chainrule refuses as ambiguous")
    if check_finite:
        require_finite(a)
    if ndim(a) > 2:   # one factorisation per matrix of the stack, as SciPy's
        lead = shape(a)[:-2]
        count = int(np.prod(lead))
        if count == 0 or 0 in shape(a):   # SciPy's empty factors, in its dtypes
            lu, piv = _lu_impl(np.zeros(shape(a), dtype=dtype(a)))
            return E.astype(a, dtype=lu.dtype), piv
        flat = B.reshape(a, shape=(count,) + shape(a)[-2:])
        parts = [lu_packed(B.getitem(flat, index=(i,))) for i in range(shape(flat)[0])]
        return tuple(B.reshape(_stack([p[j] for p in parts]), shape=lead + shape(parts[0][j]))
                     for j in range(2))
    return tuple(lu_packed(a))


@export("lu_solve", namespace=SCIPY_LINALG)
def lu_solve(lu_and_piv, b, trans=0, overwrite_b=False, check_finite=True):
    """Solve A·x = b (``trans`` 0), Aᵀ·x = b (1) or Aᴴ·x = b (2) given
    ``(lu, piv) = lu_factor(A)`` (``scipy.linalg.lu_solve``); differentiable in b and in
    ``lu`` (triangular solves).

    >>> import numpy as np
    >>> a = np.array([[1.0, 2.0], [3.0, 4.0]])
    >>> lu_solve(lu_factor(a), np.array([3.0, 7.0]))
    array([1., 1.])
    """
    lu, piv = lu_and_piv
    if ndim(lu) != 2 or shape(lu)[0] != shape(lu)[1]:
        raise ValueError(f"lu_solve: expected the factor of a square matrix, got shape "
                         f"{shape(lu)}")
    if trans not in _TRANS:
        raise ValueError(f"lu_solve: trans must be 0, 1, 2, 'N', 'T' or 'C', not {trans!r}")
    if check_finite:
        require_finite(lu, b)
    # The permutation in the operands' dtype: float32 systems stay float32, as SciPy's.
    p = E.astype(perm_matrix(piv), dtype=np.result_type(dtype(lu), dtype(b), np.float16))
    t = _TRANS[trans]
    if t == 0:
        y = solve_triangular(lu, L.matmul(p, b), lower=True, unit_diagonal=True)
        return solve_triangular(lu, y, lower=False)
    w = solve_triangular(lu, b, lower=False, trans=t)
    v = solve_triangular(lu, w, lower=True, unit_diagonal=True, trans=t)
    return L.matmul(L.mT(p), v)


# ---- expm: the Fréchet derivative by the block-triangular identity ---------------------------
def _front_batch(prim):
    """SciPy's expm maps over leading axes: move the batch axis to the front."""
    def rule(vals, dims):
        (x,), (d,) = vals, dims
        return prim(moveaxis_to_front(x, d)), 0
    return rule


def _frechet(a, e):
    """L(A, E) = the upper-right block of expm([[A, E], [0, A]])."""
    n = shape(a)[-1]
    zero = np.zeros(shape(a), dtype=np.result_type(dtype(a), dtype(e)))
    top = B.concatenate(a, e, axis=-1)
    bottom = B.concatenate(zero, a, axis=-1)
    big = expm_p(B.concatenate(top, bottom, axis=-2))
    return B.getitem(big, index=(Ellipsis, slice(0, n), slice(n, 2 * n)))


_expm = Primitive("expm", lambda a: scipy_module("linalg").expm(a))
expm_p = declare(_expm, jvp=[lambda t, ans, a: _frechet(a, t)],
                 vjp=[lambda g, ans, a: _frechet(L.mT(a), g)],
                 batch=_front_batch(_expm), names=())


@export("expm", namespace=SCIPY_LINALG, prim=expm_p)
def expm(A):
    """The matrix exponential (``scipy.linalg.expm``, stacks too), differentiable: its
    derivative is the Fréchet derivative, expm([[A, E], [0, A]])'s upper-right block.

    >>> import numpy as np, chainrule as cr
    >>> expm(np.zeros((2, 2)))
    array([[1., 0.],
           [0., 1.]])
    >>> float(cr.grad(lambda a: expm(a)[0, 0])(np.zeros((2, 2)))[0, 0])
    1.0
    """
    if ndim(A) < 2 or shape(A)[-1] != shape(A)[-2]:
        raise ValueError(f"expm: expected a square matrix (or a stack), got shape {shape(A)}")
    return expm_p(A)


# ---- sqrtm: its derivative solves a Sylvester equation ----------------------------------------
def _sylv_impl(s, q):
    return scipy_module("linalg").solve_sylvester(s, s, q)


def _sylv_jvp_s(t, x, s, q):
    return sylvester(s, E.negative(L.matmul(t, x) + L.matmul(x, t)))


def _sylv_vjp_s(g, x, s, q):
    qbar = sylvester(L.mT(s), g)
    return E.negative(L.matmul(qbar, L.mT(x)) + L.matmul(L.mT(x), qbar))


_sylv = Primitive("sylvester_sym", per_matrix(_sylv_impl))
#: X with S·X + X·S = Q (SciPy's solve_sylvester), differentiable in S and Q.
sylvester = declare(_sylv, jvp=[_sylv_jvp_s, lambda t, x, s, q: sylvester(s, t)],
                    vjp=[_sylv_vjp_s, lambda g, x, s, q: sylvester(L.mT(s), g)],
                    batch=loop_batch(_sylv), names=())


def _sqrtm_impl(a):
    s = scipy_module("linalg").sqrtm(a)
    return s[0] if isinstance(s, tuple) else s


_sqrtm = Primitive("sqrtm", per_matrix(_sqrtm_impl))
sqrtm_p = declare(_sqrtm, jvp=[lambda t, s, a: sylvester(s, t)],
                  vjp=[lambda g, s, a: sylvester(L.mT(s), g)],
                  batch=loop_batch(_sqrtm), names=())


@export("sqrtm", namespace=SCIPY_LINALG, prim=sqrtm_p)
def sqrtm(A, disp=True, blocksize=64):
    """The principal matrix square root (``scipy.linalg.sqrtm``), differentiable: dS solves
    S·dS + dS·S = dA.

    >>> import numpy as np, chainrule as cr
    >>> sqrtm(np.array([[4.0, 0.0], [0.0, 9.0]]))
    array([[2., 0.],
           [0., 3.]])
    >>> float(cr.grad(lambda a: sqrtm(a)[0, 0])(np.array([[4.0, 0.0], [0.0, 9.0]]))[0, 0])
    0.25
    """
    if ndim(A) < 2 or shape(A)[-1] != shape(A)[-2]:
        raise ValueError(f"sqrtm: expected a square matrix (or a stack), got shape {shape(A)}")
    return sqrtm_p(A)


# ---- SciPy's spellings of the dense routines, as composites of numpy.linalg's primitives ------
# A program moved from SciPy (``from scipy.linalg import cholesky, solve``) keeps its calls:
# SciPy's keywords (lower=, assume_a=, eigvals_only=, mode='economic') are mapped here, and
# where SciPy reads one triangle of its input only, so does the composite (its derivative in
# the other triangle is zero, as SciPy's function does not depend on it).
def from_triangle(a, lower, conjugate=True):
    """The symmetric (Hermitian) matrix SciPy sees when it reads the lower or upper triangle;
    LAPACK's Hermitian routines read the real part of the diagonal only."""
    flip = L.mH if conjugate else L.mT
    strict = S.tril(a, k=-1) if lower else S.triu(a, k=1)
    diagonal = S.triu(S.tril(a))
    if conjugate and dtype(a).kind == "c":
        diagonal = 0.5 * (diagonal + L.mH(diagonal))
    return diagonal + strict + flip(strict)


def _square(name, a):
    if ndim(a) != 2 or shape(a)[0] != shape(a)[1]:
        raise ValueError(f"scipy.linalg.{name}: expected a square matrix, got shape {shape(a)}")


@export("cholesky", namespace=SCIPY_LINALG)
def cholesky(a, lower=False, overwrite_a=False, check_finite=True):
    """``scipy.linalg.cholesky``: the upper factor U with A = Uᴴ·U (SciPy's default), or the
    lower one with ``lower=True``. The value reads that triangle of A, as SciPy's; the
    derivative is ``chainrule.numpy.linalg.cholesky``'s, for perturbations that keep A
    symmetric (split evenly between A[i, j] and A[j, i], as in autograd and JAX).

    >>> import numpy as np, chainrule as cr
    >>> a = np.array([[4.0, 2.0], [2.0, 5.0]])
    >>> cholesky(a)
    array([[2., 1.],
           [0., 2.]])
    >>> cr.grad(lambda a: cholesky(a, lower=True)[1, 1])(a)  # d sqrt(a11 - a10²/a00)
    array([[ 0.0625, -0.125 ],
           [-0.125 ,  0.25  ]])
    """
    return cho_factor(a, lower=lower, check_finite=check_finite)[0]


_GENERAL = (None, "gen", "general")
_SYMMETRIC = {"sym": False, "symmetric": False, "her": True, "hermitian": True, "pos": True,
              "positive definite": True}


@export("solve", namespace=SCIPY_LINALG)
def solve(a, b, lower=False, overwrite_a=False, overwrite_b=False, check_finite=True,
          assume_a=None, transposed=False):
    """``scipy.linalg.solve``: x with A·x = b (Aᵀ·x = b with ``transposed=True``). With
    ``assume_a`` 'sym', 'her' or 'pos', only the upper triangle of A is read (the lower one
    with ``lower=True``), as by SciPy.

    >>> import numpy as np, chainrule as cr
    >>> a = np.array([[3.0, 1.0], [1.0, 2.0]])
    >>> solve(a, np.array([9.0, 8.0]))
    array([2., 3.])
    >>> cr.grad(lambda b: solve(a, b, assume_a="pos").sum())(np.ones(2))  # A⁻ᵀ·1
    array([0.2, 0.4])
    """
    _square("solve", a)
    if check_finite:
        require_finite(a, b)
    if assume_a in _SYMMETRIC:
        a = from_triangle(a, lower, conjugate=_SYMMETRIC[assume_a])
    elif assume_a not in _GENERAL:
        raise ValueError(f"scipy.linalg.solve: assume_a={assume_a!r} is not supported by "
                         f"chainrule; use 'gen', 'sym', 'her' or 'pos'")
    if transposed:
        if dtype(a).kind == "c":
            raise NotImplementedError("scipy.linalg.solve can currently not solve a^T x = b or "
                                      "a^H x = b for complex matrices.")   # SciPy's refusal
        a = L.mT(a)
    if assume_a in ("pos", "positive definite") and shape(a)[0] > 1:
        # SciPy factors A by Cholesky and raises LinAlgError where A is not positive definite
        # (a general solve answered silently); the 1×1 system SciPy divides, whatever assume_a
        return cho_solve((L.cholesky(a), True), b, check_finite=False)
    return L.solve(a, b)


_INV_TRIANGLES = {"upper triangular": S.triu, "lower triangular": S.tril}


@export("inv", namespace=SCIPY_LINALG)
def inv(a, overwrite_a=False, check_finite=True, *, assume_a=None, lower=False):
    """``scipy.linalg.inv`` of a matrix or a stack of them (leading axes), differentiable
    (dA⁻¹ = −A⁻¹·dA·A⁻¹). ``assume_a`` as SciPy's: 'sym', 'her' and 'pos' read one triangle
    (the upper, or the lower with ``lower=True``; 'pos' factors by Cholesky and raises
    LinAlgError where A is not positive definite), 'upper triangular' and 'lower triangular'
    read that triangle.

    >>> import numpy as np
    >>> inv(np.array([[2.0, 0.0], [0.0, 4.0]]))
    array([[0.5 , 0.  ],
           [0.  , 0.25]])
    >>> inv(np.array([[[2.0]], [[4.0]]]))
    array([[[0.5 ]],
    <BLANKLINE>
           [[0.25]]])
    """
    if ndim(a) < 2:
        raise ValueError(f"scipy.linalg.inv: expected at least ndim=2, got shape {shape(a)}")
    if shape(a)[-1] != shape(a)[-2]:
        raise ValueError(f"scipy.linalg.inv: expected square matrices, got shape {shape(a)}")
    if check_finite:
        require_finite(a)
    kind = dtype(a).kind
    if kind in "biu" or dtype(a) == np.float16:   # SciPy's LAPACK dtypes
        a = E.astype(a, dtype=np.float64 if kind in "iu" else np.float32)   # bool: float32
    if assume_a in _SYMMETRIC:
        a = from_triangle(a, lower, conjugate=_SYMMETRIC[assume_a])
        if assume_a in ("pos", "positive definite") and 0 not in shape(a):
            L.cholesky(a)   # SciPy's Cholesky: LinAlgError where A is not positive definite
    elif assume_a in _INV_TRIANGLES:   # the inverse is that triangle again, zeros exact
        triangle = _INV_TRIANGLES[assume_a]
        return triangle(L.inv(triangle(a)))
    elif assume_a not in _GENERAL:
        raise ValueError(f"scipy.linalg.inv: assume_a={assume_a!r} is not supported by "
                         f"chainrule; use None, 'gen', 'sym', 'her', 'pos', 'upper "
                         f"triangular' or 'lower triangular' (for a diagonal matrix, 1/diag)")
    return L.inv(a)


@export("det", namespace=SCIPY_LINALG)
def det(a, overwrite_a=False, check_finite=True):
    """``scipy.linalg.det``, differentiable (d det A = det A · tr(A⁻¹·dA)).

    >>> import numpy as np, chainrule as cr
    >>> round(float(det(np.array([[2.0, 1.0], [1.0, 3.0]]))), 12)
    5.0
    >>> cr.grad(det)(np.array([[2.0, 1.0], [1.0, 3.0]]))  # the cofactor matrix
    array([[ 3., -1.],
           [-1.,  2.]])
    """
    if check_finite:
        require_finite(a)
    kind, size = dtype(a).kind, dtype(a).itemsize
    if kind in "biu" or (kind == "f" and size < 8) or (kind == "c" and size < 16):
        # SciPy's det computes and returns float64 (complex128) for narrower inputs
        a = E.astype(a, dtype=np.complex128 if kind == "c" else np.float64)
    return L.det(a)


def _generalized(a, b, lower):
    """A·v = λ·B·v (type 1) reduced to a standard problem with B = C·Cᴴ (LAPACK's sygvd does the
    same): eigh(C⁻¹·A·C⁻ᴴ) = (λ, u), v = C⁻ᴴ·u, so that Vᴴ·B·V = I."""
    c = cholesky(b, lower=True) if lower else L.mH(cholesky(b, lower=False))
    left = solve_triangular(c, from_triangle(a, lower), lower=True)
    reduced = L.mH(solve_triangular(c, L.mH(left), lower=True))
    w, u = L.eigh(reduced, UPLO="L" if lower else "U")
    return w, solve_triangular(c, u, lower=True, trans="C")


@export("eigh", namespace=SCIPY_LINALG)
def eigh(a, b=None, *, lower=True, eigvals_only=False, overwrite_a=False, overwrite_b=False,
         type=1, check_finite=True, subset_by_index=None, subset_by_value=None, driver=None):
    """``scipy.linalg.eigh``: ascending eigenvalues and orthonormal eigenvectors of a symmetric
    (Hermitian) A, or of the pencil A·v = λ·B·v with B positive definite (``type=1``;
    eigenvectors normalised to Vᴴ·B·V = I, as SciPy's). Differentiable where the eigenvalues
    are distinct.

    >>> import numpy as np, chainrule as cr
    >>> eigh(np.diag([2.0, 1.0]), eigvals_only=True)
    array([1., 2.])
    >>> w, v = eigh(np.diag([2.0, 1.0]), np.diag([4.0, 1.0]))
    >>> w
    array([0.5, 1. ])
    >>> cr.grad(lambda b: eigh(np.diag([2.0, 1.0]), b, eigvals_only=True)[0])(np.diag([4.0, 1.0]))
    array([[-0.125,  0.   ],
           [ 0.   ,  0.   ]])
    """
    _square("eigh", a)
    if check_finite:
        require_finite(a) if b is None else require_finite(a, b)
    unsupported = {"subset_by_index": subset_by_index, "subset_by_value": subset_by_value}
    for name, value in unsupported.items():
        if value is not None:
            raise NotImplementedError(f"scipy.linalg.eigh: {name} is not supported by chainrule; "
                                      f"compute all eigenpairs and select them")
    if type != 1:
        raise NotImplementedError(f"scipy.linalg.eigh: type={type} is not supported by "
                                  f"chainrule (only type=1, A·v = λ·B·v)")
    if b is None:
        # numpy.linalg.eigh's primitive reads the triangle SciPy reads, and is differentiated
        # along Hermitian directions, as cholesky is
        # by the LAPACK routine SciPy calls (syevr unless ``driver`` names another), so that
        # each eigenvector's sign is SciPy's
        w, v = L.eigh(a, UPLO="L" if lower else "U", lapack=(driver or "evr",))
    else:
        _square("eigh", b)
        w, v = _generalized(a, b, lower)
    return w if eigvals_only else (w, v)


@export("eigvalsh", namespace=SCIPY_LINALG)
def eigvalsh(a, b=None, *, lower=True, overwrite_a=False, overwrite_b=False, type=1,
             check_finite=True, subset_by_index=None, subset_by_value=None, driver=None):
    """``scipy.linalg.eigvalsh``: :func:`eigh` with ``eigvals_only=True``.

    >>> import numpy as np
    >>> eigvalsh(np.array([[2.0, 1.0], [1.0, 2.0]]))
    array([1., 3.])
    """
    return eigh(a, b, lower=lower, eigvals_only=True, type=type, check_finite=check_finite,
                subset_by_index=subset_by_index, subset_by_value=subset_by_value)


@export("svd", namespace=SCIPY_LINALG)
def svd(a, full_matrices=True, compute_uv=True, overwrite_a=False, check_finite=True,
        lapack_driver="gesdd"):
    """``scipy.linalg.svd``: ``(U, s, Vh)``, or s with ``compute_uv=False``; the rules of
    ``chainrule.numpy.linalg.svd``.

    >>> import numpy as np
    >>> svd(np.diag([1.0, 3.0]), compute_uv=False)
    array([3., 1.])
    """
    if ndim(a) != 2:
        raise ValueError(f"scipy.linalg.svd: expected a matrix, got shape {shape(a)}")
    if check_finite:
        require_finite(a)
    out = FD.svd(a, full_matrices=full_matrices, compute_uv=compute_uv)
    return out if not compute_uv else tuple(out)


_QR_MODES = {"full": "complete", "economic": "reduced", "r": "r"}


@export("qr", namespace=SCIPY_LINALG)
def qr(a, overwrite_a=False, lwork=None, mode="full", pivoting=False, check_finite=True):
    """``scipy.linalg.qr`` in modes 'full' (Q is m×m), 'economic' (m×k) and 'r' (``(R,)``, a
    tuple as SciPy returns, R m×n); the rules of ``chainrule.numpy.linalg.qr``.

    >>> import numpy as np
    >>> q, r = qr(np.array([[3.0, 0.0], [4.0, 1.0]]))
    >>> float(abs(r[0, 0]))
    5.0
    """
    if pivoting:
        raise NotImplementedError("scipy.linalg.qr: pivoting=True is not supported by chainrule")
    if mode not in _QR_MODES:
        raise ValueError(f"scipy.linalg.qr: mode {mode!r} is not supported by chainrule; use "
                         f"'full', 'economic' or 'r'")
    if ndim(a) != 2:
        raise ValueError(f"scipy.linalg.qr: expected a matrix, got shape {shape(a)}")
    if check_finite:
        require_finite(a)
    out = FD.qr(a, mode=_QR_MODES[mode])
    if mode == "r":   # SciPy's R is the full decomposition's: m×n, zero rows below the k-th
        m, n = shape(a)
        return (S.pad(out, pad_width=((0, m - shape(out)[0]), (0, 0))),)
    return tuple(out)


@export("block_diag", namespace=SCIPY_LINALG)
def block_diag(*arrs):
    """``scipy.linalg.block_diag``: the blocks on the diagonal, zeros elsewhere (a 1-d block is
    one row, a scalar a 1×1 block); differentiable in every block.

    >>> import numpy as np
    >>> block_diag(np.array([[1.0, 2.0]]), 3.0)
    array([[1., 2., 0.],
           [0., 0., 3.]])
    """
    if not arrs:
        return np.zeros((1, 0))
    blocks = []
    for x in arrs:
        if ndim(x) > 2:
            raise ValueError(f"scipy.linalg.block_diag: arguments must have dimension <= 2, "
                             f"got shape {shape(x)}")
        blocks.append(B.reshape(x, shape=(1, -1)) if ndim(x) < 2 else x)
    widths = [shape(x)[1] for x in blocks]
    total = sum(widths)
    rows, before = [], 0
    for x, width in zip(blocks, widths):
        rows.append(S.pad(x, pad_width=((0, 0), (before, total - before - width))))
        before += width
    return B.concatenate(*rows, axis=0)


@export("toeplitz", namespace=SCIPY_LINALG)
def toeplitz(c, r=None):
    """``scipy.linalg.toeplitz``: first column c, first row r (r[0] is ignored; r defaults to
    conj(c)); differentiable in both. N-d c and r are batches along their leading axes, as in
    SciPy ≥ 1.17.

    >>> import numpy as np
    >>> toeplitz(np.array([1.0, 2.0, 3.0]), np.array([1.0, 5.0]))
    array([[1., 5.],
           [2., 1.],
           [3., 2.]])
    """
    # N-d c and r are batches of first columns and rows (their leading axes broadcast), as
    # SciPy ≥ 1.17 treats them; older SciPy raveled them (deprecated since 1.14)
    # (the reshape also makes an array of a list, and a 0-d c one column of length 1)
    c = B.reshape(c, shape=shape(c) or (1,))
    r = E.conj(c) if r is None else B.reshape(r, shape=shape(r) or (1,))
    m, n = shape(c)[-1], shape(r)[-1]
    batch = np.broadcast_shapes(shape(c)[:-1], shape(r)[:-1])
    if shape(c)[:-1] != batch:
        c = B.broadcast_to(c, shape=batch + (m,))
    if shape(r)[:-1] != batch:
        r = B.broadcast_to(r, shape=batch + (n,))
    values = B.concatenate(c[..., ::-1], r[..., 1:], axis=-1)
    index = (m - 1) - np.arange(m)[:, None] + np.arange(n)[None, :]
    return values[..., index]
