"""``scipy.linalg``'s structured matrices and the solvers that take them in compact form
(needs the ``scipy`` extra): circulant and Hankel matrices, banded systems (LAPACK's band
storage), symmetric tridiagonal eigenproblems, Toeplitz systems.

Every function here is a composite: the compact form is gathered into the dense matrix (an
index operation, whose transpose scatters the cotangent back into the band), and the dense
routines' rules do the rest, so each is differentiable in every array it takes. The dense
route costs O(n³) where LAPACK's banded routines cost O(n·bandwidth²): these are for
programs ported from SciPy, not for very large bands.

>>> import numpy as np, chainrule as cr
>>> circulant(np.array([1.0, 2.0, 3.0]))
array([[1., 3., 2.],
       [2., 1., 3.],
       [3., 2., 1.]])
"""

import numpy as np

from ..core.registry import SCIPY_LINALG
from .declare import export
from .util import shape, ndim, dtype
from . import basic as B
from . import elementwise as E
from . import linalg as L
from .scipy_linalg import require_finite, from_triangle, cho_factor, cho_solve, toeplitz

__all__ = []


def _array(x):
    """x as an array (a list or a number too), traced or not."""
    return B.reshape(x, shape=shape(x))


@export("circulant", namespace=SCIPY_LINALG)
def circulant(c):
    """``scipy.linalg.circulant``: C[i, j] = c[(i − j) mod n]; N-d c is a batch of first
    columns (SciPy ≥ 1.14's meaning); differentiable in c.

    >>> import numpy as np, chainrule as cr
    >>> circulant(np.array([1.0, 2.0]))
    array([[1., 2.],
           [2., 1.]])
    >>> cr.grad(lambda c: circulant(c)[0].sum())(np.array([1.0, 2.0]))
    array([1., 1.])
    """
    c = _array(c)
    c = B.reshape(c, shape=shape(c) or (1,))
    n = shape(c)[-1]
    index = (np.arange(n)[:, None] - np.arange(n)[None, :]) % n
    return c[..., index]


@export("hankel", namespace=SCIPY_LINALG)
def hankel(c, r=None):
    """``scipy.linalg.hankel``: first column c, last row r (r[0] is ignored; r defaults to
    zeros), H[i, j] = c[i + j] for i + j < len(c), else r[i + j − len(c) + 1]; differentiable
    in c and r. One-dimensional c and r only (SciPy's N-d meaning is changing: ravel them).

    >>> import numpy as np
    >>> hankel(np.array([1.0, 2.0, 3.0]), np.array([3.0, 4.0]))
    array([[1., 2.],
           [2., 3.],
           [3., 4.]])
    """
    c = _array(c)
    c = B.reshape(c, shape=shape(c) or (1,))
    if r is None:
        r = np.zeros(shape(c), dtype=dtype(c))
    r = _array(r)
    r = B.reshape(r, shape=shape(r) or (1,))
    if ndim(c) > 1 or ndim(r) > 1:
        raise ValueError("chainrule.scipy.linalg.hankel takes 1-d c and r (SciPy ravels N-d "
                         "ones today and will treat them as batches from 1.19): ravel them")
    m, n = shape(c)[0], shape(r)[0]
    values = B.concatenate(c, r[1:], axis=0)
    return values[np.arange(m)[:, None] + np.arange(n)[None, :]]


# ---- banded storage -----------------------------------------------------------------------
def _band_index(n, above, rows):
    """(row index into ab, column index, mask) for LAPACK's band storage of an n×n matrix:
    a[i, j] = ab[above + i − j, j] where 0 ≤ above + i − j < rows."""
    i, j = np.arange(n)[:, None], np.arange(n)[None, :]
    k = above + i - j
    inside = (k >= 0) & (k < rows)
    return np.where(inside, k, 0), np.broadcast_to(j, (n, n)), inside


def band_to_dense(ab, above):
    rows, n = shape(ab)
    k, j, inside = _band_index(n, above, rows)
    return E.where(inside, ab[k, j], np.zeros((), dtype=dtype(ab)))


def _band_matrix(name, ab):
    ab = _array(ab)
    if ndim(ab) != 2:
        raise ValueError(f"scipy.linalg.{name}: ab must be 2-d (band storage, one row per "
                         f"diagonal), got shape {shape(ab)}. For a diagonal matrix pass "
                         f"ab[None, :]; SciPy 1.17 reads a 1-d ab as one column (a 1×1 "
                         f"matrix whose other entries are left unused), which chainrule "
                         f"refuses")
    return ab


def _rhs(name, b, n):
    b = _array(b)
    if ndim(b) not in (1, 2) or shape(b)[0] != n:
        raise ValueError(f"scipy.linalg.{name}: shapes of ab and b are not compatible "
                         f"(b has shape {shape(b)}, the matrix is {n}×{n})")
    return b


@export("solve_banded", namespace=SCIPY_LINALG)
def solve_banded(l_and_u, ab, b, overwrite_ab=False, overwrite_b=False, check_finite=True):
    """``scipy.linalg.solve_banded``: x with A·x = b, A given in band storage ``ab``
    (``(l, u)`` diagonals below and above; a[i, j] = ab[u + i − j, j]); differentiable in
    ``ab`` (its band) and ``b``.

    >>> import numpy as np, chainrule as cr
    >>> ab = np.array([[0.0, 1.0, 1.0], [4.0, 4.0, 4.0], [1.0, 1.0, 0.0]])
    >>> solve_banded((1, 1), ab, np.array([5.0, 6.0, 5.0]))
    array([1., 1., 1.])
    >>> cr.grad(lambda b: solve_banded((1, 1), ab, b)[0])(np.ones(3)).round(6)
    array([ 0.267857, -0.071429,  0.017857])
    """
    lower_count, upper_count = (int(v) for v in l_and_u)
    ab = _band_matrix("solve_banded", ab)
    if shape(ab)[0] != lower_count + upper_count + 1:
        raise ValueError(f"invalid values for the number of lower and upper diagonals: l+u+1 "
                         f"({lower_count + upper_count + 1}) does not equal ab.shape[0] "
                         f"({shape(ab)[0]})")
    n = shape(ab)[1]
    b = _rhs("solve_banded", b, n)
    if check_finite:
        require_finite(ab, b)
    return L.solve(band_to_dense(ab, upper_count), b)


def hermitian_from_band(ab, lower):
    rows, n = shape(ab)
    triangle = band_to_dense(ab, 0 if lower else rows - 1)
    return from_triangle(triangle, lower)


@export("solveh_banded", namespace=SCIPY_LINALG)
def solveh_banded(ab, b, overwrite_ab=False, overwrite_b=False, lower=False, check_finite=True):
    """``scipy.linalg.solveh_banded``: x with A·x = b for a Hermitian positive-definite A in
    band storage (upper form a[i, j] = ab[u + i − j, j], i ≤ j; ``lower=True``:
    a[i, j] = ab[i − j, j], i ≥ j); solved through Cholesky (which fails, as SciPy's, for a
    matrix that is not positive definite); differentiable in ``ab`` and ``b``.

    >>> import numpy as np
    >>> solveh_banded(np.array([[0.0, 1.0, 1.0], [4.0, 4.0, 4.0]]), np.array([5.0, 6.0, 5.0]))
    array([1., 1., 1.])
    """
    ab = _band_matrix("solveh_banded", ab)
    b = _rhs("solveh_banded", b, shape(ab)[1])
    if check_finite:
        require_finite(ab, b)
    a = hermitian_from_band(ab, lower)
    return cho_solve(cho_factor(a, lower=lower, check_finite=False), b, check_finite=False)


@export("cholesky_banded", namespace=SCIPY_LINALG)
def cholesky_banded(ab, overwrite_ab=False, lower=False, check_finite=True):
    """``scipy.linalg.cholesky_banded``: the Cholesky factor of a Hermitian positive-definite
    band matrix, in the same band storage as ``ab`` (U with A = Uᴴ·U, or L with A = L·Lᴴ for
    ``lower=True``); the unused corner of ``ab`` is passed through, as by LAPACK.
    Differentiable in ``ab``.

    >>> import numpy as np
    >>> cholesky_banded(np.array([[0.0, 2.0], [4.0, 5.0]]))
    array([[0., 1.],
           [2., 2.]])
    """
    ab = _band_matrix("cholesky_banded", ab)
    if check_finite:
        require_finite(ab)
    rows, n = shape(ab)
    factor = cho_factor(hermitian_from_band(ab, lower), lower=lower, check_finite=False)[0]
    # back to band storage: ab_out[k, j] = factor[i, j] with k = above + i − j
    above = 0 if lower else rows - 1
    k, j = np.arange(rows)[:, None], np.arange(n)[None, :]
    i = k - above + j
    inside = (i >= 0) & (i < n)
    return E.where(inside, factor[np.where(inside, i, 0), np.broadcast_to(j, (rows, n))], ab)


# ---- tridiagonal eigenproblems --------------------------------------------------------------
def _tridiagonal(name, d, e):
    d, e = _array(d), _array(e)
    if ndim(d) != 1 or ndim(e) != 1 or shape(e)[0] != max(shape(d)[0] - 1, 0):
        raise ValueError(f"scipy.linalg.{name}: d must be 1-d of length n and e 1-d of length "
                         f"n − 1, got shapes {shape(d)} and {shape(e)}")
    for x in (d, e):
        if dtype(x).kind == "c":
            raise TypeError("Only real arrays currently supported")   # SciPy's refusal
    return d, e


def _tridiagonal_eigh(name, d, e, select, select_range, check_finite):
    d, e = _tridiagonal(name, d, e)
    if check_finite:
        require_finite(d, e)
    n = shape(d)[0]
    wide = np.result_type(dtype(d), dtype(e))
    d, e = (x if dtype(x) == wide else E.astype(x, dtype=wide) for x in (d, e))
    i = np.arange(n)
    dense = (d[:, None] * (i[:, None] == i[None, :])
             + B.concatenate(e, np.zeros(1, dtype=wide), axis=0)[:, None]
             * (i[:, None] == i[None, :] - 1))
    dense = dense + L.mT(dense) - d[:, None] * (i[:, None] == i[None, :])
    w, v = L.eigh(dense)
    if select in ("a", "all", 0):
        return w, v
    if select in ("i", "index", 2):
        lo, hi = (int(x) for x in select_range)
        return w[lo:hi + 1], v[:, lo:hi + 1]
    raise NotImplementedError(f"scipy.linalg.{name}: select={select!r} is not supported by "
                              f"chainrule (the number of eigenvalues in a value range depends "
                              f"on the values); use select='a' or 'i'")


@export("eigh_tridiagonal", namespace=SCIPY_LINALG)
def eigh_tridiagonal(d, e, eigvals_only=False, select="a", select_range=None,
                     check_finite=True, tol=0.0, lapack_driver="auto"):
    """``scipy.linalg.eigh_tridiagonal``: the eigenvalues (ascending) and eigenvectors of the
    real symmetric tridiagonal matrix with diagonal d and off-diagonal e, through the dense
    ``eigh``; differentiable in d and e where the eigenvalues are distinct. ``select`` 'a'
    or 'i' (an index range).

    >>> import numpy as np, chainrule as cr
    >>> eigh_tridiagonal(np.array([2.0, 2.0]), np.array([1.0]), eigvals_only=True)
    array([1., 3.])
    >>> cr.grad(lambda e: eigh_tridiagonal(np.zeros(2), e, eigvals_only=True)[1])(np.ones(1))
    array([1.])
    """
    w, v = _tridiagonal_eigh("eigh_tridiagonal", d, e, select, select_range, check_finite)
    return w if eigvals_only else (w, v)


@export("eigvalsh_tridiagonal", namespace=SCIPY_LINALG)
def eigvalsh_tridiagonal(d, e, select="a", select_range=None, check_finite=True, tol=0.0,
                         lapack_driver="auto"):
    """``scipy.linalg.eigvalsh_tridiagonal``: :func:`eigh_tridiagonal`'s eigenvalues.

    >>> import numpy as np
    >>> eigvalsh_tridiagonal(np.array([0.0, 0.0]), np.array([2.0]))
    array([-2.,  2.])
    """
    return _tridiagonal_eigh("eigvalsh_tridiagonal", d, e, select, select_range,
                             check_finite)[0]


# ---- Toeplitz systems and products ---------------------------------------------------------
def _column_and_row(c_or_cr):
    if isinstance(c_or_cr, tuple):
        return c_or_cr
    return c_or_cr, None


@export("solve_toeplitz", namespace=SCIPY_LINALG)
def solve_toeplitz(c_or_cr, b, check_finite=True):
    """``scipy.linalg.solve_toeplitz``: x with T·x = b for the Toeplitz matrix of ``c`` (or of
    ``(c, r)``); solved densely (SciPy uses Levinson recursion), differentiable in c, r and b.

    >>> import numpy as np
    >>> solve_toeplitz(np.array([2.0, 1.0]), np.array([3.0, 3.0]))
    array([1., 1.])
    """
    c, r = _column_and_row(c_or_cr)
    if check_finite:
        require_finite(*[x for x in (c, r, b) if x is not None])
    out = L.solve(toeplitz(c, r), b)
    wide = np.result_type(dtype(out), np.float64)   # SciPy's Levinson recursion is double
    return out if dtype(out) == wide else E.astype(out, dtype=wide)


@export("matmul_toeplitz", namespace=SCIPY_LINALG)
def matmul_toeplitz(c_or_cr, x, check_finite=False, workers=None):
    """``scipy.linalg.matmul_toeplitz``: T·x for the Toeplitz matrix of ``c`` (or ``(c, r)``),
    as a dense product (SciPy uses FFTs); differentiable in c, r and x.

    >>> import numpy as np
    >>> matmul_toeplitz((np.array([1.0, 2.0, 3.0]), np.array([1.0, 5.0])), np.ones(2))
    array([6., 3., 5.])
    """
    c, r = _column_and_row(c_or_cr)
    if check_finite:
        require_finite(*[v for v in (c, r, x) if v is not None])
    out = L.matmul(toeplitz(c, r), x)
    wide = np.result_type(dtype(out), np.float64)   # SciPy's FFTs compute in double precision
    return out if dtype(out) == wide else E.astype(out, dtype=wide)
