"""A constant SciPy sparse matrix times a traced array: ``A @ u``, ``A.dot(u)``, ``u @ A``.

Every SciPy format (``csr``, ``csc``, ``coo``, ``lil``, ``dok``, ``dia``, ``bsr``; the sparse
arrays and the older matrix classes) is read once into canonical CSR: its nonzeros ``data``
and its structure, a :class:`SparsePattern` (indices, row pointers, shape) that is never
traced. The primitive ``sparse_matmul(data, x, pattern=P)`` is linear in each of ``data``
and ``x``:

- JVP: ``A·ẋ`` and ``Ȧ·x`` (the same primitive on the tangent);
- VJP in x: ``Aᵀ·g`` (chainrule's bilinear pairing: a transpose, no conjugate), the same
  primitive on the transposed pattern with the nonzeros permuted;
- VJP in data: ``g[row_k]·x[col_k]`` at each nonzero (gathers and a product);
- batching: examples of x become more columns; examples of ``data`` a block-diagonal matrix.

SciPy's ``A @ u`` asks NumPy for an array of ``u`` and returns NotImplemented when it gets a
0-d object array; ``tracer_methods`` answers so there, and Python then calls the tracer's
``__rmatmul__``, which comes here. SciPy is imported only by a program that has sparse
matrices already.

>>> import numpy as np, scipy.sparse as sp, chainrule as cr
>>> A = sp.csr_array(np.array([[2.0, 0.0], [1.0, 3.0]]))
>>> cr.grad(lambda u: (A @ u).sum())(np.ones(2))
array([3., 3.])
"""
import sys
import weakref

import numpy as np

from ..core.primitive import Primitive, Tracer
from ..core.registry import SPARSE
from .declare import declare, export, reads
from .util import shape, ndim
from .util import shape as shape_of
from . import basic as B
from . import elementwise as E
from .basic import moveaxis_to_front, broadcast_front, axis_size, unbroadcast

__all__ = ["SparsePattern", "is_sparse", "sparse_matrix", "as_data_and_pattern",
           "sparse_matmul", "matmul", "rmatmul", "csr_matmul"]


def is_sparse(x):
    """Whether ``x`` is a SciPy sparse matrix or array (False, without importing SciPy, when
    the program has not imported ``scipy.sparse``)."""
    mod = sys.modules.get("scipy.sparse")
    return mod is not None and mod.issparse(x)


def _scipy_sparse():
    import scipy.sparse as sparse  # SciPy is optional: only programs with sparse matrices get here
    return sparse


class SparsePattern:
    """Where a constant sparse matrix has its nonzeros (canonical CSR: sorted column indices,
    no duplicates). Never traced: a static parameter of ``sparse_matmul``."""

    def __init__(self, shape, indices, indptr):
        self.shape = tuple(int(n) for n in shape)
        self.indices, self.indptr = indices, indptr
        self.nnz = int(indices.shape[0])
        self._rows = self._transposed = None
        self._last_matrix = self._last_permuted = None
        self._blocks = {}

    def __repr__(self):
        return f"SparsePattern(shape={self.shape}, nnz={self.nnz})"

    @property
    def rows(self):
        """The row of each nonzero."""
        if self._rows is None:
            self._rows = np.repeat(np.arange(self.shape[0]), np.diff(self.indptr))
        return self._rows

    def matrix(self, data):
        last = self._last_matrix
        if last is not None and last[0] is data:   # the same constant data: the same matrix
            return last[1]
        m = _scipy_sparse().csr_array((data, self.indices, self.indptr), shape=self.shape)
        if type(data) is np.ndarray:
            self._last_matrix = (data, m)
        return m

    def permuted(self, data, perm):
        """``data[perm]`` (Aᵀ's nonzeros), kept for the last constant ``data``."""
        last = self._last_permuted
        if last is not None and last[0] is data:
            return last[1]
        out = B.getitem(data, index=perm)
        if type(data) is np.ndarray:
            self._last_permuted = (data, out)
        return out

    def transposed(self):
        """``(pattern of Aᵀ, perm)``: Aᵀ's nonzeros are ``data[perm]``."""
        if self._transposed is None:
            order = self.matrix(np.arange(self.nnz, dtype=np.int64)).T.tocsr()
            order.sort_indices()
            pt = SparsePattern(order.shape, order.indices, order.indptr)
            perm = np.asarray(order.data, dtype=np.intp)
            inverse = np.empty_like(perm)
            inverse[perm] = np.arange(self.nnz, dtype=np.intp)
            pt._transposed = (self, inverse)
            self._transposed = (pt, perm)
        return self._transposed

    def block_diagonal(self, count):
        """The pattern of ``count`` copies of this matrix on a diagonal (a batch of matrices
        with this structure, their ``data`` concatenated)."""
        if count not in self._blocks:
            m, n = self.shape
            indices = (self.indices[None, :] + n * np.arange(count)[:, None]).ravel()
            starts = (self.indptr[:-1][None, :] + self.nnz * np.arange(count)[:, None]).ravel()
            indptr = np.concatenate([starts, [count * self.nnz]]).astype(self.indptr.dtype)
            self._blocks[count] = SparsePattern((count * m, count * n), indices, indptr)
        return self._blocks[count]


_FORMAT_ARRAYS = {"csr": ("data", "indices", "indptr"), "csc": ("data", "indices", "indptr"),
                  "bsr": ("data", "indices", "indptr"), "coo": ("data", "coords"),
                  "dia": ("data", "offsets")}
_read = {}   # id(matrix) -> (weak reference, copies of its arrays, data, pattern)


def _arrays_of(a):
    out = []
    for name in _FORMAT_ARRAYS[a.format]:
        v = getattr(a, name) if name != "coords" or hasattr(a, "coords") else (a.row, a.col)
        out.extend(v if type(v) is tuple else (v,))
    return out


def _unchanged(arrays, copies):
    if len(arrays) != len(copies):
        return False
    for x, c in zip(arrays, copies):
        if x.shape != c.shape or x.dtype != c.dtype:
            return False
        if not np.equal(x, c).all() and not np.array_equal(x, c, equal_nan=True):
            return False   # (the second test: nan entries equal in the copy)
    return True


def as_data_and_pattern(a):
    """``(data, pattern)`` of a SciPy sparse matrix, read into canonical CSR (a copy: later
    writes into ``a`` do not reach a recorded program). The same matrix object, unchanged,
    gives the same pattern again, so that a loop applying it pays the conversion (and the
    transpose its reverse mode needs) once."""
    if a.ndim != 2:
        raise ValueError(f"chainrule differentiates products with 2-d sparse matrices; this "
                         f"one has shape {a.shape}")
    cacheable = a.format in _FORMAT_ARRAYS
    if cacheable:
        hit = _read.get(id(a))
        if hit is not None and hit[0]() is a and a.shape == hit[3].shape \
                and _unchanged(_arrays_of(a), hit[1]):
            return hit[2], hit[3]
    csr = _scipy_sparse().csr_array(a, copy=True)
    csr.sum_duplicates()   # canonical: sorted indices, one entry per position
    data, pattern = csr.data, SparsePattern(csr.shape, csr.indices, csr.indptr)
    if cacheable:
        try:
            key = id(a)
            ref = weakref.ref(a, lambda _, key=key: _read.pop(key, None))
        except TypeError:
            return data, pattern
        _read[key] = (ref, [np.array(x, copy=True) for x in _arrays_of(a)], data, pattern)
    return data, pattern


def sparse_matrix(data, pattern):
    """The SciPy CSR array with ``pattern``'s structure and the values ``data`` (plain)."""
    return pattern.matrix(data)


def _matmul_impl(data, x, pattern):
    return pattern.matrix(data) @ x


def _matmul_t(data, g, pattern):
    """Aᵀ·g."""
    pt, perm = pattern.transposed()
    return sparse_matmul(pattern.permuted(data, perm), g, pattern=pt)


def _vjp_data(g, ans, data, x, pattern):
    cols = pattern.indices
    prod = E.multiply(B.getitem(g, index=pattern.rows), B.getitem(x, index=cols))
    if ndim(prod) == 2:
        prod = B.reduce_sum(prod, axis=1)
    return unbroadcast(prod, data)


def _as_columns(x, d):
    """x batched along ``d`` with the examples as extra columns: ``(n, B·k)``, and how to
    put the product back (the examples' shape after the first axis)."""
    x = B.moveaxis(x, d, 1)        # (n, B) or (n, B, k)
    s = shape(x)
    if len(s) == 3:
        x = B.reshape(x, shape=(s[0], s[1] * s[2]))
    return x, s[1:]


def _matmul_batch(vals, dims, pattern):
    (data, x), (dd, dx) = vals, dims
    if dd is None:   # one matrix: the examples are more columns
        cols, rest = _as_columns(x, dx)
        out = sparse_matmul(data, cols, pattern=pattern)
        return B.reshape(out, shape=(pattern.shape[0],) + rest), 1
    count = axis_size(vals, dims)
    data = B.reshape(moveaxis_to_front(data, dd), shape=(count * pattern.nnz,))
    x = broadcast_front(x, dx, count)
    rest = shape(x)[2:]
    x = B.reshape(x, shape=(count * pattern.shape[1],) + rest)
    out = sparse_matmul(data, x, pattern=pattern.block_diagonal(count))
    return B.reshape(out, shape=(count, pattern.shape[0]) + rest), 0


_sparse_matmul = Primitive("sparse_matmul", _matmul_impl)
sparse_matmul = declare(
    _sparse_matmul,
    jvp=[lambda t, ans, data, x, pattern: sparse_matmul(t, x, pattern=pattern),
         lambda t, ans, data, x, pattern: sparse_matmul(data, t, pattern=pattern)],
    vjp=[_vjp_data, lambda g, ans, data, x, pattern: unbroadcast(_matmul_t(data, g, pattern), x)],
    batch=_matmul_batch, names=(), residuals=(reads(1), reads(0)))


def _check_operand(x, n, where):
    if ndim(x) not in (1, 2):
        raise ValueError(f"{where}: the dense operand must be a vector or a matrix, as SciPy's "
                         f"sparse products require; got shape {shape(x)}")
    if shape(x)[0] != n:
        raise ValueError(f"{where}: dimension mismatch, the sparse matrix has {n} "
                         f"{'columns' if where == 'A @ x' else 'rows'}, the dense operand "
                         f"shape {shape(x)}")


def _dense(x):
    if isinstance(x, Tracer) or type(x) is np.ndarray:
        return x
    return np.asarray(x)


@export("matmul", namespace=SPARSE, prim=sparse_matmul)
def matmul(a, x):
    """``a @ x`` for a constant SciPy sparse matrix ``a`` (any format) and a traced or plain
    dense ``x`` (a vector or a matrix): what ``A @ u``, ``A.dot(u)`` and, for the matrix
    classes, ``A * u`` do on a traced ``u``. Differentiable in ``x``.

    >>> import numpy as np, scipy.sparse as sp, chainrule as cr
    >>> A = sp.diags([1.0, 2.0, 3.0])
    >>> cr.jvp(lambda u: matmul(A, u), (np.ones(3),), (np.array([1.0, 0.0, 1.0]),))[1]
    array([1., 0., 3.])
    """
    if not is_sparse(a):
        raise TypeError(f"chainrule.scipy.sparse.matmul takes a SciPy sparse matrix first, not "
                        f"{type(a).__name__}; for dense matrices use chainrule.numpy.matmul")
    x = _dense(x)
    if a.ndim == 1:   # a 1-d sparse array (SciPy's coo_array…): a row, its result a vector
        return B.getitem(matmul(a.reshape((1, a.shape[0])), x), index=0)
    data, pattern = as_data_and_pattern(a)
    _check_operand(x, pattern.shape[1], "A @ x")
    return sparse_matmul(data, x, pattern=pattern)


@export("rmatmul", namespace=SPARSE, prim=sparse_matmul)
def rmatmul(x, a):
    """``x @ a`` for a dense ``x`` (a vector or a matrix, traced or plain) and a constant
    SciPy sparse matrix ``a``; differentiable in ``x``.

    >>> import numpy as np, scipy.sparse as sp
    >>> rmatmul(np.array([1.0, 1.0]), sp.csr_array(np.array([[1.0, 2.0], [0.0, 3.0]])))
    array([1., 5.])
    """
    if not is_sparse(a):
        raise TypeError(f"chainrule.scipy.sparse.rmatmul takes a SciPy sparse matrix second, "
                        f"not {type(a).__name__}; for dense matrices use chainrule.numpy.matmul")
    x = _dense(x)
    if a.ndim == 1:   # a 1-d sparse array: a column
        return B.getitem(rmatmul(x, a.reshape((a.shape[0], 1))), index=(Ellipsis, 0))
    data, pattern = as_data_and_pattern(a)
    _check_operand(B.transpose(x) if ndim(x) == 2 else x, pattern.shape[0], "x @ A")
    pt, perm = pattern.transposed()
    at = pattern.permuted(data, perm)
    if ndim(x) == 1:
        return sparse_matmul(at, x, pattern=pt)
    return B.transpose(sparse_matmul(at, B.transpose(x), pattern=pt))


@export("csr_matmul", namespace=SPARSE, prim=sparse_matmul)
def csr_matmul(data, indices, indptr, x, shape):
    """``csr_array((data, indices, indptr), shape) @ x``, differentiable in the nonzeros
    ``data`` as well as in ``x`` (a vector or a matrix): a sparse matrix with traced entries,
    which SciPy's classes cannot hold. The derivative in ``data`` is ``g[row]·x[col]`` at
    each nonzero. ``indices`` must be sorted within each row, without duplicates (SciPy's
    canonical format).

    >>> import numpy as np, chainrule as cr
    >>> data, indices, indptr = np.array([2.0, 3.0]), np.array([0, 1]), np.array([0, 1, 2])
    >>> cr.grad(lambda d: csr_matmul(d, indices, indptr, np.array([5.0, 7.0]), (2, 2)).sum())(data)
    array([5., 7.])
    """
    indices, indptr = np.asarray(indices), np.asarray(indptr)
    probe = _scipy_sparse().csr_array((np.ones(indices.shape[0]), indices, indptr),
                                      shape=shape)
    if not probe.has_canonical_format:
        raise ValueError("csr_matmul: the column indices must be sorted within each row and "
                         "without duplicates (call sum_duplicates() on the SciPy matrix first)")
    data = data if isinstance(data, Tracer) else np.asarray(data)
    if shape_of(data) != (indices.shape[0],):
        raise ValueError(f"csr_matmul: data has shape {shape_of(data)}, the pattern "
                         f"{indices.shape[0]} nonzeros")
    x = _dense(x)
    pattern = SparsePattern(probe.shape, probe.indices, probe.indptr)
    _check_operand(x, pattern.shape[1], "A @ x")
    return sparse_matmul(data, x, pattern=pattern)


def is_sparse_array(a):
    """A sparse *array* (``csr_array``...: ``*`` is elementwise), not a matrix class
    (``csr_matrix``...: ``*`` is the matrix product)."""
    mod = sys.modules.get("scipy.sparse")
    if mod is None:
        return False
    kind = getattr(mod, "sparray", None)   # (SciPy 1.11 on; before, the class names say it)
    return isinstance(a, kind) if kind is not None else type(a).__name__.endswith("_array")


def refuse_elementwise(a):
    """The error for ``A * u`` (elementwise) of a sparse array and a traced value."""
    return TypeError(
        f"A * x with A a SciPy sparse array ({type(a).__name__}) is an elementwise product "
        f"whose result is sparse, which chainrule cannot trace. Write the dense product "
        f"A.toarray() * x, or A @ x for the matrix product.")


def refuse_traced_entries():
    return TypeError(
        "chainrule differentiates products of a constant SciPy sparse matrix with traced "
        "arrays, not sparse matrices whose entries are traced (SciPy stores them as plain "
        "arrays). Multiply the dense operand instead (A @ (s * x) for (s * A) @ x), or build "
        "the matrix dense with chainrule.numpy (cnp.zeros((m, n)).at[rows, cols].set(values)), "
        "or use chainrule.scipy.sparse.csr_matmul(data, indices, indptr, x, shape), which "
        "differentiates in the nonzeros data.")
