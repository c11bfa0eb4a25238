"""``scipy.linalg``'s special matrices and small utilities (needs the ``scipy`` extra):
companion, fiedler, leslie, khatri_rao, diagsvd and orthogonal_procrustes as composites
(differentiable in their arrays); the band-storage eigenproblem and Cholesky solve through
the dense routines; issymmetric, ishermitian and bandwidth (zero derivative); the constant
matrices (hilbert, pascal, …) and SciPy's exception classes passed through.

>>> import numpy as np, chainrule as cr
>>> companion(np.array([1.0, -3.0, 2.0]))
array([[ 3., -2.],
       [ 1.,  0.]])
"""

import numpy as np

from ..core import registry
from ..core.primitive import Primitive
from ..core.registry import SCIPY_LINALG
from .declare import declare, export
from ..interpreters.batching import BatchedValueError
from .util import shape, ndim, dtype, lower
from . import basic as B
from . import elementwise as E
from . import linalg as L
from . import full_decompositions as FD
from .scipy_linalg import (scipy_module, loop_batch, require_finite, cho_solve, eigh, toeplitz,
                           from_triangle)
from .scipy_structured import band_to_dense, hermitian_from_band, circulant
from .scipy_decompositions import pinv

__all__ = []


def _array(x):
    return B.reshape(x, shape=shape(x))


def _vector(name, x):
    x = _array(x)
    if ndim(x) != 1:
        raise ValueError(f"scipy.linalg.{name}: expected a 1-d array, got shape {shape(x)} "
                         f"(chainrule takes one, not a batch)")
    return x


@export("companion", namespace=SCIPY_LINALG)
def companion(a):
    """``scipy.linalg.companion``: the companion matrix of the polynomial with coefficients
    ``a`` (highest first): first row −a[1:]/a[0], ones below the diagonal; differentiable in a.

    >>> import numpy as np, chainrule as cr
    >>> cr.grad(lambda a: companion(a)[0, 0])(np.array([2.0, 3.0, 4.0]))
    array([ 0.75, -0.5 ,  0.  ])
    """
    a = _vector("companion", a)
    n = shape(a)[0]
    if n < 2:
        raise ValueError("The length of `a` must be at least 2.")
    if np.result_type(dtype(a), np.float16).kind not in "fc":
        a = E.astype(a, dtype=np.dtype(np.float64))
    first = E.negative(a[1:]) / a[0]
    below = np.eye(n - 2, n - 1, dtype=np.result_type(dtype(first)))
    return B.concatenate(B.reshape(first, shape=(1, n - 1)), below, axis=0)


@export("fiedler", namespace=SCIPY_LINALG)
def fiedler(a):
    """``scipy.linalg.fiedler``: F[i, j] = |a[i] − a[j]|; differentiable in a (where the
    entries differ).

    >>> import numpy as np
    >>> fiedler(np.array([1.0, 4.0, 2.0]))
    array([[0., 3., 1.],
           [3., 0., 2.],
           [1., 2., 0.]])
    """
    a = _array(a)
    a = _vector("fiedler", B.reshape(a, shape=(1,)) if ndim(a) == 0 else a)
    if shape(a)[0] < 2:   # SciPy's constants: [] (float64, not 0×0) and [[0.]]
        return np.array([], dtype=np.float64) if shape(a)[0] == 0 else np.array([[0.0]])
    return E.absolute(a[:, None] - a[None, :])


@export("leslie", namespace=SCIPY_LINALG)
def leslie(f, s):
    """``scipy.linalg.leslie``: the Leslie matrix with fecundities f (first row) and
    survival rates s (below the diagonal); differentiable in both.

    >>> import numpy as np
    >>> leslie(np.array([0.5, 2.0]), np.array([0.25]))
    array([[0.5 , 2.  ],
           [0.25, 0.  ]])
    """
    f, s = _vector("leslie", f), _vector("leslie", s)
    n = shape(f)[0]
    if n < 2 or shape(s)[0] != n - 1:
        raise ValueError("Incorrect lengths for f and s. The length of s along the last axis "
                         "must be one less than the length of f.")
    wide = np.result_type(dtype(f), dtype(s))
    f, s = (x if dtype(x) == wide else E.astype(x, dtype=wide) for x in (f, s))
    below = B.concatenate(s[:, None] * np.eye(n - 1, dtype=wide), np.zeros((n - 1, 1), wide),
                          axis=1)
    return B.concatenate(B.reshape(f, shape=(1, n)), below, axis=0)


@export("khatri_rao", namespace=SCIPY_LINALG)
def khatri_rao(a, b):
    """``scipy.linalg.khatri_rao``: the column-wise Kronecker product; differentiable in both.

    >>> import numpy as np
    >>> khatri_rao(np.array([[1.0, 2.0]]), np.array([[3.0, 4.0], [5.0, 6.0]]))
    array([[ 3.,  8.],
           [ 5., 12.]])
    """
    a, b = _array(a), _array(b)
    if ndim(a) != 2 or ndim(b) != 2:
        raise ValueError("The both arrays should be 2-dimensional.")
    if shape(a)[1] != shape(b)[1]:
        raise ValueError("The number of columns for both arrays should be equal.")
    k = shape(a)[1]
    # (the rows spelled out: -1 is ambiguous when k = 0)
    return B.reshape(a[:, None, :] * b[None, :, :], shape=(shape(a)[0] * shape(b)[0], k))


@export("diagsvd", namespace=SCIPY_LINALG)
def diagsvd(s, M, N):
    """``scipy.linalg.diagsvd``: the M×N matrix with s on its diagonal (Σ of an SVD);
    differentiable in s.

    >>> import numpy as np
    >>> diagsvd(np.array([1.0, 2.0]), 3, 2)
    array([[1., 0.],
           [0., 2.],
           [0., 0.]])
    """
    s = _vector("diagsvd", s)
    k = shape(s)[0]
    if k not in (M, N):
        raise ValueError("Length of s must be M or N.")
    square = s[:, None] * np.eye(k, dtype=dtype(s))
    return B.concatenate(square, np.zeros((M - k, k), dtype(s)), axis=0) if k == N else \
        B.concatenate(square, np.zeros((k, N - k), dtype(s)), axis=1)


@export("orthogonal_procrustes", namespace=SCIPY_LINALG)
def orthogonal_procrustes(A, B_, check_finite=True):
    """``scipy.linalg.orthogonal_procrustes``: ``(R, scale)``, the orthogonal R minimising
    ‖A·R − B‖ (R = U·Vᴴ from the SVD of Aᴴ·B) and the sum of its singular values;
    differentiable where those singular values are distinct and nonzero.

    >>> import numpy as np
    >>> r, scale = orthogonal_procrustes(np.eye(2), np.array([[0.0, 1.0], [-1.0, 0.0]]))
    >>> r
    array([[ 0.,  1.],
           [-1.,  0.]])
    """
    a, b = _array(A), _array(B_)
    if ndim(a) != 2:
        raise ValueError(f"expected ndim to be 2, but observed {ndim(a)}")
    if shape(a) != shape(b):
        raise ValueError(f"the shapes of A and B differ ({shape(a)} vs {shape(b)})")
    if check_finite:
        require_finite(a, b)
    u, w, vt = FD.svd(L.matmul(L.mH(a), b), full_matrices=False)
    return L.matmul(u, vt), B.reduce_sum(w)


# ---- band storage -----------------------------------------------------------------------------
@export("cho_solve_banded", namespace=SCIPY_LINALG)
def cho_solve_banded(cb_and_lower, b, overwrite_b=False, check_finite=True):
    """``scipy.linalg.cho_solve_banded``: x with A·x = b given ``(cb, lower)``, A's banded
    Cholesky factor from ``cholesky_banded``; differentiable in cb and b.

    >>> import numpy as np
    >>> from chainrule.scipy.linalg import cholesky_banded
    >>> cb = cholesky_banded(np.array([[0.0, 1.0], [4.0, 4.0]]))
    >>> cho_solve_banded((cb, False), np.array([5.0, 5.0]))
    array([1., 1.])
    """
    cb, lower = cb_and_lower
    cb = _array(cb)
    if check_finite:
        require_finite(cb, b)
    rows = shape(cb)[0]
    factor = band_to_dense(cb, 0 if lower else rows - 1)
    return cho_solve((factor, bool(lower)), b, check_finite=False)


@export("eig_banded", namespace=SCIPY_LINALG)
def eig_banded(a_band, lower=False, eigvals_only=False, overwrite_a_band=False,
               select="a", select_range=None, max_ev=0, check_finite=True):
    """``scipy.linalg.eig_banded``: the eigenvalues (ascending) and eigenvectors of a
    Hermitian band matrix in band storage (upper form by default), through the dense
    ``eigh``; differentiable where the eigenvalues are distinct. ``select='a'`` only.

    >>> import numpy as np
    >>> eig_banded(np.array([[0.0, 1.0], [2.0, 2.0]]), eigvals_only=True)
    array([1., 3.])
    """
    if select not in ("a", "all", 0):
        raise NotImplementedError("scipy.linalg.eig_banded: only select='a' is supported by "
                                  "chainrule; select from all eigenpairs")
    a_band = _array(a_band)
    if check_finite:
        require_finite(a_band)
    if ndim(a_band) == 1:
        a_band = B.reshape(a_band, shape=(1, -1))
    # computed as SciPy computes it (LAPACK's sbevd on the band), so that each eigenvector's
    # sign is SciPy's; the rules are eigh's, on the dense Hermitian matrix
    w, v = L.eigh(hermitian_from_band(a_band, lower), UPLO="L",
                  lapack=("band", shape(a_band)[0] - 1, bool(lower)))
    return w if eigvals_only else (w, v)


@export("eigvals_banded", namespace=SCIPY_LINALG)
def eigvals_banded(a_band, lower=False, overwrite_a_band=False, select="a", select_range=None,
                   check_finite=True):
    """``scipy.linalg.eigvals_banded``: :func:`eig_banded`'s eigenvalues.

    >>> import numpy as np
    >>> eigvals_banded(np.array([[2.0, 2.0], [1.0, 0.0]]), lower=True)
    array([1., 3.])
    """
    return eig_banded(a_band, lower=lower, eigvals_only=True, select=select,
                      check_finite=check_finite)


# ---- zero derivative: properties of a matrix ---------------------------------------------------
def _property(name, call, results=1):
    if results == 1:
        prim = Primitive(name, lambda a, **params: np.asarray(call(a, **params)))
    else:
        prim = Primitive(name, lambda a, **params: tuple(np.asarray(v) for v in call(a, **params)),
                         multiple_results=True)
    declare(prim, jvp=None, vjp=None, batch=loop_batch(prim), names=())
    return prim


_issym = _property("issymmetric", lambda a, atol=None, rtol=None: scipy_module(
    "linalg").issymmetric(a, atol=atol, rtol=rtol))
_isherm = _property("ishermitian", lambda a, atol=None, rtol=None: scipy_module(
    "linalg").ishermitian(a, atol=atol, rtol=rtol))
_band = _property("bandwidth", lambda a: scipy_module("linalg").bandwidth(a), results=2)


@export("issymmetric", namespace=SCIPY_LINALG, kind=registry.NONDIFF)
def issymmetric(a, atol=None, rtol=None):
    """``scipy.linalg.issymmetric`` (a boolean: zero derivative).

    >>> import numpy as np
    >>> bool(issymmetric(np.array([[1.0, 2.0], [2.0, 1.0]])))
    True
    """
    return _issym(a, atol=atol, rtol=rtol)


@export("ishermitian", namespace=SCIPY_LINALG, kind=registry.NONDIFF)
def ishermitian(a, atol=None, rtol=None):
    """``scipy.linalg.ishermitian`` (a boolean: zero derivative).

    >>> import numpy as np
    >>> bool(ishermitian(np.array([[1.0, 2j], [-2j, 1.0]])))
    True
    """
    return _isherm(a, atol=atol, rtol=rtol)


@export("bandwidth", namespace=SCIPY_LINALG, kind=registry.NONDIFF)
def bandwidth(a):
    """``scipy.linalg.bandwidth``: (lower, upper) bandwidths (integers: zero derivative).

    >>> import numpy as np
    >>> [int(v) for v in bandwidth(np.array([[1.0, 2.0, 0.0], [3.0, 1.0, 2.0], [0.0, 0.0, 1.0]]))]
    [1, 1]
    """
    # SciPy's Python ints where the values are plain (traced or batched ones stay arrays)
    return tuple(int(v) if isinstance(v, np.ndarray) and v.ndim == 0 else v for v in _band(a))


# ---- constants: built from integers, nothing to differentiate ---------------------------------
# SciPy's own functions, called on first use: importing chainrule must not import SciPy (an
# optional extra; half a second when installed, an ImportError when not).
def _scipy_constructor(name):
    def constructor(*args, **kwargs):
        return getattr(scipy_module("linalg"), name)(*args, **kwargs)
    constructor.__name__ = constructor.__qualname__ = name
    constructor.__doc__ = (f"``scipy.linalg.{name}``, SciPy's own (a matrix built from integers: "
                           f"nothing to differentiate).\n\n"
                           f"    >>> import chainrule.scipy.linalg as csl\n"
                           f"    >>> csl.{name}(4).shape[-1]\n    4\n")
    return constructor


for _name in ("hilbert", "invhilbert", "pascal", "invpascal", "hadamard", "helmert", "dft"):
    registry.add(SCIPY_LINALG, _name, registry.CREATION, _scipy_constructor(_name))
# (scipy.linalg.LinAlgError is NumPy's; LinAlgWarning is SciPy's, answered by the namespace
# module on first use)
registry.add(SCIPY_LINALG, "LinAlgError", registry.CONSTANT, np.linalg.LinAlgError)


# ---- more SciPy spellings over the dense routines ------------------------------------------
@export("convolution_matrix", namespace=SCIPY_LINALG)
def convolution_matrix(a, n, mode="full"):
    """``scipy.linalg.convolution_matrix``: the Toeplitz matrix A with A @ v equal to
    ``np.convolve(a, v, mode)`` for a v of length n; differentiable in a.

    >>> import numpy as np
    >>> convolution_matrix(np.array([1.0, 2.0]), 2)
    array([[1., 0.],
           [2., 1.],
           [0., 2.]])
    """
    a = _vector("convolution_matrix", a)
    m = shape(a)[0]
    if m == 0:
        raise ValueError("len(a) must be at least 1.")
    if n <= 0:
        raise ValueError("n must be a positive integer.")
    if mode not in ("full", "same", "valid"):
        raise ValueError(f"'mode' argument must be one of ('full', 'same', 'valid'), "
                         f"not {mode!r}")
    zeros = np.zeros(n - 1, dtype=dtype(a))
    full = toeplitz(B.concatenate(a, zeros, axis=0), B.concatenate(a[:1], zeros, axis=0))
    rows = {"full": m + n - 1, "same": max(m, n), "valid": max(m, n) - min(m, n) + 1}[mode]
    start = {"full": 0, "same": (m + n - 1 - rows) // 2, "valid": min(m, n) - 1}[mode]
    return full[start:start + rows]


@export("pinvh", namespace=SCIPY_LINALG)
def pinvh(a, atol=None, rtol=None, lower=True, return_rank=False, check_finite=True):
    """``scipy.linalg.pinvh``: the pseudo-inverse of a Hermitian matrix, reading its lower
    (``lower=True``) or upper triangle, as SciPy; the cutoffs of :func:`pinv` (its singular
    values are the eigenvalues' moduli). Differentiable where the rank is locally constant.

    >>> import numpy as np
    >>> pinvh(np.array([[2.0, 0.0], [99.0, 4.0]]), lower=False)   # reads the upper triangle
    array([[0.5 , 0.  ],
           [0.  , 0.25]])
    """
    a = _array(a)
    if ndim(a) != 2 or shape(a)[0] != shape(a)[1]:
        raise ValueError(f"scipy.linalg.pinvh: expected a square matrix, got shape {shape(a)}")
    if check_finite:   # SciPy's check reads the whole matrix, the unread triangle too
        require_finite(a)
    return pinv(from_triangle(a, lower), atol=atol, rtol=rtol, return_rank=return_rank,
                check_finite=check_finite)


@export("solve_circulant", namespace=SCIPY_LINALG)
def solve_circulant(c, b, singular="raise", tol=None, caxis=-1, baxis=0, outaxis=0):
    """``scipy.linalg.solve_circulant``: x with C·x = b for the circulant matrix C of c
    (1-d c, b of 1 or 2 dimensions), solved densely; a near-singular C (a Fourier coefficient
    of c at most ``tol``) raises LinAlgError, or gives the least-squares solution with
    ``singular='lstsq'``, as SciPy. Differentiable in c and b.

    >>> import numpy as np
    >>> solve_circulant(np.array([2.0, 1.0, 0.0]), np.array([3.0, 3.0, 3.0]))
    array([1., 1., 1.])
    """
    c, b = _array(c), _array(b)
    # SciPy's reading of numbers: a circulant of one entry, a right-hand side of one
    c = _vector("solve_circulant", B.reshape(c, shape=(1,)) if ndim(c) == 0 else c)
    b = B.reshape(b, shape=(1,)) if ndim(b) == 0 else b
    if (caxis, baxis, outaxis) != (-1, 0, 0) or ndim(b) not in (1, 2):
        raise NotImplementedError("solve_circulant: chainrule takes a 1-d c and a b of 1 or 2 "
                                  "dimensions (caxis=-1, baxis=0, outaxis=0)")
    if singular not in ("raise", "lstsq"):
        raise ValueError("singular must be 'raise' or 'lstsq'")
    if shape(c)[0] == 0:   # SciPy's answer: an empty solution (no Fourier coefficient to test)
        return np.zeros(shape(b), dtype=np.float64)
    matrix = circulant(c)
    try:
        modulus = np.abs(np.fft.fft(np.asarray(lower(c))))
    except BatchedValueError:   # under vmap: no one c to inspect; a singular C then gives nan
        return L.solve(matrix, b)
    cutoff = modulus.max() * shape(c)[0] * np.finfo(np.float64).eps if tol is None else tol
    if np.any(modulus <= cutoff):
        if singular == "raise":
            raise np.linalg.LinAlgError("near singular circulant matrix.")
        return L.matmul(pinv(matrix, atol=float(cutoff), rtol=0.0, check_finite=False), b)
    return L.solve(matrix, b)
