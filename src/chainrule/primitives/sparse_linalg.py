"""``chainrule.scipy.sparse.linalg``: solves and exponentials with a constant sparse matrix,
differentiable in the right-hand side.

- ``spsolve(A, b)``: x = A⁻¹b. JVP: A⁻¹ḃ; VJP: A⁻ᵀg. One SuperLU factorisation (``splu``)
  of each matrix serves the value, every tangent and every cotangent (``trans='T'``), and is
  kept for the next call with an equal matrix (an implicit Euler loop factorises once).
- ``expm_multiply(A, v)``: e^A·v (and SciPy's time grid). JVP: e^A·v̇; VJP: e^(Aᵀ)·g.
- ``cg``, ``gmres``, ``bicgstab``, ``minres``, ``bicg``, ``cgs``, ``lgmres``, ``gcrotmk``,
  ``tfqmr``: SciPy's ``(x, info)``. The rules differentiate
  the exact solution x = A⁻¹b: the tangent and the cotangent are solved with the same method,
  the same tolerances and preconditioner, the cotangent with Aᵀ (cg and minres assume A
  Hermitian, as their methods do, so Aᵀ = conj(A)). Their accuracy is the solver's.

The matrix (a SciPy sparse matrix, a NumPy array or a ``LinearOperator``) is a constant;
chainrule refuses a traced one, naming the dense routine that differentiates in it.

>>> import numpy as np, scipy.sparse as sp, chainrule as cr
>>> A = sp.diags([2.0, 4.0]).tocsc()
>>> cr.grad(lambda b: spsolve(A, b).sum())(np.ones(2))
array([0.5 , 0.25])
"""
import weakref

import numpy as np

from ..core.primitive import Primitive, Tracer
from ..core.registry import SPARSE_LINALG
from .declare import declare, export, reads
from .util import shape, ndim, dtype
from . import basic as B
from . import elementwise as E
from .basic import unbroadcast
from .scipy_linalg import scipy_module, loop_batch
from .sparse import is_sparse

__all__ = ["spsolve", "expm_multiply", "cg", "gmres", "bicgstab", "minres", "bicg", "cgs",
           "lgmres", "gcrotmk", "tfqmr", "spsolve_triangular"]


def _ssl():
    return scipy_module("sparse.linalg")


def _constant_matrix(a, where, dense_alternative, lists=True):
    if isinstance(a, Tracer):
        raise TypeError(
            f"{where}: the matrix is traced, but chainrule differentiates {where} in its "
            f"right-hand side only (the matrix must be a constant SciPy sparse matrix, array or "
            f"LinearOperator). To differentiate in the matrix, use {dense_alternative} on a "
            f"dense matrix.")
    if not lists or is_sparse(a) or isinstance(a, np.ndarray) or hasattr(a, "matvec"):
        return a     # (a LinearOperator has matvec; SciPy's expm_multiply takes no lists)
    return np.asarray(a)    # a nested list, as SciPy takes it


# ---- spsolve ----------------------------------------------------------------------------------
class SparseSystem:
    """A constant square sparse matrix and its SuperLU factors (one per dtype, made on first
    use); ``.T`` shares them and solves with the transpose."""

    def __init__(self, csc, permc_spec=None, transposed=None):
        self.csc, self.permc_spec = csc, permc_spec
        self._factors = {} if transposed is None else transposed._factors
        self._t = transposed
        self.trans = "N" if transposed is None else "T"

    def __repr__(self):
        return f"SparseSystem(shape={self.csc.shape}, nnz={self.csc.nnz}, trans={self.trans!r})"

    @property
    def T(self):
        if self._t is None:
            self._t = SparseSystem(self.csc, self.permc_spec, transposed=self)
        return self._t

    def solve(self, b):
        kind = np.promote_types(self.csc.dtype, np.asarray(b).dtype)   # SciPy's result type
        if kind.kind not in "fc":
            kind = np.dtype(np.float64)
        if kind not in self._factors:
            try:
                self._factors[kind] = _ssl().splu(self.csc.astype(kind),
                                                  permc_spec=self.permc_spec)
            except RuntimeError:   # singular: SciPy's spsolve (its warning, its nan) each time
                self._factors[kind] = None
        lu = self._factors[kind]
        b = np.asarray(b, dtype=kind)
        if lu is None or 0 in b.shape:
            matrix = self.csc.T if self.trans == "T" else self.csc
            out = _ssl().spsolve(matrix.tocsc(), b)
            return np.reshape(out, b.shape).astype(kind, copy=False)
        return lu.solve(b, trans=self.trans)


_systems = {}   # id(matrix) -> (weak reference, SparseSystem)


def system_of(a, permc_spec=None):
    """The :class:`SparseSystem` of ``a``: the one made for an equal matrix object before,
    when ``a`` has not changed since (so its factors are reused), else a new one."""
    sparse = scipy_module("sparse")
    csc = sparse.csc_array(a, copy=True)
    csc.sum_duplicates()
    hit = _systems.get(id(a))
    if hit is not None and hit[0]() is a and hit[1].permc_spec == permc_spec:
        old = hit[1].csc
        if (old.shape == csc.shape and old.dtype == csc.dtype
                and np.array_equal(old.indptr, csc.indptr)
                and np.array_equal(old.indices, csc.indices)
                and np.array_equal(old.data, csc.data, equal_nan=True)):
            return hit[1]
    system = SparseSystem(csc, permc_spec)
    try:
        key = id(a)
        ref = weakref.ref(a, lambda _, key=key: _systems.pop(key, None))
    except TypeError:   # (an object without weak references: no reuse)
        return system
    _systems[key] = (ref, system)
    return system


def _columns_batch(prim, lead=0):
    """Batching for a primitive linear in its one array argument, applied column-wise: the
    examples become more columns (``lead``: the output's axes before the rows)."""
    def rule(vals, dims, **params):
        (x,), (d,) = vals, dims
        x = B.moveaxis(x, d, 1)         # (n, B) or (n, B, k)
        s = shape(x)
        cols = B.reshape(x, shape=(s[0], s[1] * s[2])) if len(s) == 3 else x
        out = prim(cols, **params)
        so = shape(out)
        return B.reshape(out, shape=so[:lead + 1] + s[1:]), lead + 1
    return rule


def _solve_impl(b, system):
    return system.solve(b)


_solve = Primitive("sparse_solve", _solve_impl)
sparse_solve = declare(
    _solve, jvp=[lambda t, ans, b, system: sparse_solve(t, system=system)],
    vjp=[lambda g, ans, b, system: unbroadcast(sparse_solve(g, system=system.T), b)],
    batch=_columns_batch(_solve), names=(), residuals=(reads(),))


@export("spsolve", namespace=SPARSE_LINALG, prim=sparse_solve)
def spsolve(A, b, permc_spec=None, use_umfpack=True):
    """Solve A·x = b for a constant sparse square A (``scipy.sparse.linalg.spsolve``),
    differentiable in ``b`` (a vector, or a matrix of right-hand sides). SuperLU factorises A
    once (``splu``; UMFPACK is not used) for the value and all derivatives; a singular A gives
    SciPy's warning and nan.

    >>> import numpy as np, scipy.sparse as sp
    >>> spsolve(sp.csc_array(np.array([[2.0, 1.0], [0.0, 4.0]])), np.array([3.0, 4.0]))
    array([1., 1.])
    """
    A = _constant_matrix(A, "spsolve", "chainrule.numpy.linalg.solve")
    if is_sparse(b):    # a sparse right-hand side: a constant, SciPy's own answer
        return _ssl().spsolve(A, b, permc_spec=permc_spec, use_umfpack=use_umfpack)
    b = b if isinstance(b, Tracer) else np.asarray(b)
    m, n = A.shape
    if m != n:
        raise ValueError(f"matrix must be square (has shape {(m, n)})")
    if ndim(b) not in (1, 2) or shape(b)[0] != n:
        raise ValueError(f"matrix - rhs dimension mismatch ({(m, n)} - {shape(b)})")
    system = system_of(A, permc_spec)
    if ndim(b) == 2 and shape(b)[1] == 1:   # SciPy returns a vector for one column
        return sparse_solve(B.reshape(b, shape=(n,)), system=system)
    return sparse_solve(b, system=system)


# ---- expm_multiply ----------------------------------------------------------------------------
class Exponent:
    """The constant matrix of ``expm_multiply`` (sparse, dense or a LinearOperator), with
    SciPy's keyword arguments; ``.T`` its transpose, ``scaled(t)`` t·A."""

    def __init__(self, a, trace_a=None):
        self.a, self.trace_a = a, trace_a

    def __repr__(self):
        return f"Exponent({type(self.a).__name__}, shape={self.a.shape})"

    @property
    def T(self):
        return Exponent(self.a.T, self.trace_a)

    def scaled(self, t):
        return Exponent(t * self.a, None if self.trace_a is None else t * self.trace_a)


def _expm_impl(v, op, grid):
    kw = {} if grid is None else dict(zip(("start", "stop", "num", "endpoint"), grid))
    if op.trace_a is not None:
        kw["traceA"] = op.trace_a
    return _ssl().expm_multiply(op.a, v, **kw)


def _expm_vjp(g, ans, v, op, grid):
    if grid is None:
        return unbroadcast(expm_mul(g, op=op.T, grid=None), v)
    start, stop, num, endpoint = grid
    total = np.zeros(shape(v), dtype=np.result_type(dtype(g), dtype(v)))
    for i, t in enumerate(np.linspace(start, stop, num, endpoint=endpoint)):
        # out[i] = e^(tᵢA)·v: the cotangent is Σᵢ e^(tᵢAᵀ)·g[i]
        total = E.add(total, expm_mul(B.getitem(g, index=(i,)), op=op.T.scaled(float(t)),
                                      grid=None))
    return unbroadcast(total, v)


def _expm_batch(vals, dims, op, grid):
    return _columns_batch(_expm, lead=0 if grid is None else 1)(vals, dims, op=op, grid=grid)


_expm = Primitive("expm_multiply", _expm_impl)
expm_mul = declare(
    _expm, jvp=[lambda t, ans, v, op, grid: expm_mul(t, op=op, grid=grid)],
    vjp=[_expm_vjp], batch=_expm_batch, names=(), residuals=(reads(),))


@export("expm_multiply", namespace=SPARSE_LINALG, prim=expm_mul)
def expm_multiply(A, B, start=None, stop=None, num=None, endpoint=None, traceA=None):
    """e^A·B for a constant matrix A (sparse, dense or a LinearOperator), differentiable in
    ``B`` (``scipy.sparse.linalg.expm_multiply``, its time grid ``start``/``stop``/``num``
    included).

    >>> import numpy as np, scipy.sparse as sp, chainrule as cr
    >>> A = sp.diags([0.0, 1.0]).tocsr()
    >>> cr.grad(lambda v: expm_multiply(A, v)[1])(np.ones(2))
    array([0.        , 2.71828183])
    """
    A = _constant_matrix(A, "expm_multiply", "chainrule.scipy.linalg.expm", lists=False)
    v = B if isinstance(B, Tracer) else np.asarray(B)
    if ndim(v) not in (1, 2) or shape(v)[0] != A.shape[1]:
        raise ValueError(f"expm_multiply: the matrix {A.shape} and the operand {shape(v)} do "
                         f"not match")
    grid = None
    if not (start is None and stop is None and num is None and endpoint is None):
        grid = (0.0 if start is None else float(start), 1.0 if stop is None else float(stop),
                50 if num is None else int(num), True if endpoint is None else bool(endpoint))
    return expm_mul(v, op=Exponent(A, traceA), grid=grid)


# ---- cg, gmres, bicgstab, minres --------------------------------------------------------------
#: Methods that assume a Hermitian matrix (and preconditioner): their transpose is conj(A).
_HERMITIAN = frozenset({"cg", "minres"})


def _transpose(a, method, what):
    """Aᵀ as the solver takes it: for cg and minres (A Hermitian) conj(A·conj(v)), which
    needs no ``rmatvec``; for the others ``A.T``."""
    if a is None:
        return None
    if method in _HERMITIAN:
        kind = getattr(a, "dtype", None)
        if kind is not None and np.dtype(kind).kind != "c":
            return a        # real symmetric: Aᵀ = A
        op = _ssl().aslinearoperator(a)
        return _ssl().LinearOperator(op.shape, matvec=lambda v: np.conj(op.matvec(np.conj(v))),
                                     dtype=op.dtype)
    if isinstance(a, _ssl().LinearOperator):
        op = a

        def matvec(v):
            try:
                return op.rmatvec(np.conj(v)).conj()
            except NotImplementedError:
                raise TypeError(
                    f"the reverse-mode derivative of {method} solves with the transpose of "
                    f"{what}, a LinearOperator without rmatvec: give it rmatvec (or use "
                    f"forward mode, which solves with the operator itself)") from None
        return _ssl().LinearOperator(op.shape[::-1], matvec=matvec, dtype=op.dtype)
    return a.T


class Krylov:
    """An iterative method of SciPy with its constant matrix, preconditioner and options;
    ``.T`` solves with the transposes."""

    def __init__(self, method, a, m, options):
        self.method, self.a, self.m, self.options = method, a, m, options

    def __repr__(self):
        return f"Krylov({self.method}, shape={self.a.shape})"

    @property
    def T(self):
        return Krylov(self.method, _transpose(self.a, self.method, "the matrix"),
                      _transpose(self.m, self.method, "the preconditioner M"), self.options)

    def for_rules(self):
        """The same solve without the starting guess and the callback (they belong to the
        value's solve, not to the derivative's)."""
        opts = tuple((k, v) for k, v in self.options if k not in ("x0", "callback"))
        return Krylov(self.method, self.a, self.m, opts)


def _krylov_impl(b, solver):
    x, info = getattr(_ssl(), solver.method)(solver.a, b, M=solver.m, **dict(solver.options))
    if np.may_share_memory(x, b):   # SciPy returns b itself when b = 0: the user's array
        x = np.array(x, copy=True)
    return x, info


def _krylov_jvp(primals, tangents, solver):
    (b,), (t,) = primals, tangents
    ans = krylov_solve(b, solver=solver)
    dx = krylov_solve(B.reshape(t, shape=(shape(t)[0],)), solver=solver.for_rules())[0]
    return ans, (dx, None)


def _krylov_vjp(g, ans, vals, params):
    (b,), solver = vals, params["solver"]
    gx = g[0]
    xt = krylov_solve(gx, solver=solver.for_rules().T)[0]
    return (unbroadcast(B.reshape(xt, shape=shape(b)), b),)


_krylov = Primitive("krylov_solve", _krylov_impl, multiple_results=True)
krylov_solve = declare(_krylov, jvp=_krylov_jvp, vjp=_krylov_vjp, batch=loop_batch(_krylov),
                       names=(), residuals=reads())


def _krylov_function(method, doc):
    def solve(A, b, x0=None, *, M=None, **options):
        A = _constant_matrix(A, method, "chainrule.numpy.linalg.solve")
        if isinstance(x0, Tracer) or isinstance(M, Tracer):
            raise TypeError(f"{method}: x0 and M must be constants (the exact solution does "
                            f"not depend on the starting guess); chainrule differentiates in b")
        b = b if isinstance(b, Tracer) else np.asarray(b)
        if x0 is not None:
            options["x0"] = x0
        return krylov_solve(b, solver=Krylov(method, A, M, tuple(sorted(options.items()))))
    solve.__name__ = solve.__qualname__ = method
    solve.__doc__ = doc
    return export(method, namespace=SPARSE_LINALG, prim=krylov_solve)(solve)


_EXAMPLE = """

    ``(x, info)`` as SciPy returns them; differentiable in ``b`` (the exact solution's
    derivative, solved with the same method and options; see this module's docstring).

    >>> import numpy as np, scipy.sparse as sp, chainrule as cr
    >>> A = sp.csr_array(np.array([[4.0, 1.0], [1.0, 3.0]]))
    >>> g = cr.grad(lambda b: {name}(A, b, rtol=1e-12)[0].sum())(np.ones(2))
    >>> bool(np.allclose(g, np.linalg.solve(A.toarray().T, np.ones(2))))
    True
"""
cg = _krylov_function("cg", "Conjugate gradients for a Hermitian positive definite A "
                      "(``scipy.sparse.linalg.cg``)." + _EXAMPLE.format(name="cg"))
gmres = _krylov_function("gmres", "Restarted GMRES (``scipy.sparse.linalg.gmres``)."
                         + _EXAMPLE.format(name="gmres"))
bicgstab = _krylov_function("bicgstab", "BiCGSTAB (``scipy.sparse.linalg.bicgstab``)."
                            + _EXAMPLE.format(name="bicgstab"))
minres = _krylov_function("minres", "MINRES for a Hermitian A, definite or not "
                          "(``scipy.sparse.linalg.minres``)." + _EXAMPLE.format(name="minres"))
bicg = _krylov_function("bicg", "BiConjugate gradients (``scipy.sparse.linalg.bicg``)."
                        + _EXAMPLE.format(name="bicg"))
cgs = _krylov_function("cgs", "Conjugate gradients squared (``scipy.sparse.linalg.cgs``)."
                       + _EXAMPLE.format(name="cgs"))
lgmres = _krylov_function("lgmres", "LGMRES, GMRES with augmented restarts "
                          "(``scipy.sparse.linalg.lgmres``)." + _EXAMPLE.format(name="lgmres"))
gcrotmk = _krylov_function("gcrotmk", "GCROT(m, k) (``scipy.sparse.linalg.gcrotmk``)."
                           + _EXAMPLE.format(name="gcrotmk"))
tfqmr = _krylov_function("tfqmr", "Transpose-free QMR (``scipy.sparse.linalg.tfqmr``)."
                         + _EXAMPLE.format(name="tfqmr"))


# ---- spsolve_triangular ------------------------------------------------------------------------
class Triangular:
    """A constant sparse triangular matrix and SciPy's options; ``.T`` its transpose (the other
    triangle)."""

    def __init__(self, a, lower, unit_diagonal):
        self.a, self.lower, self.unit_diagonal = a, lower, unit_diagonal

    def __repr__(self):
        return f"Triangular(shape={self.a.shape}, lower={self.lower})"

    @property
    def T(self):
        return Triangular(self.a.T.tocsr(), not self.lower, self.unit_diagonal)


def _triangular_impl(b, system):
    return np.asarray(_ssl().spsolve_triangular(system.a, b, lower=system.lower,
                                                unit_diagonal=system.unit_diagonal))


def _triangular_jvp(primals, tangents, system):
    (b,), (t,) = primals, tangents
    return triangular_solve(b, system=system), triangular_solve(t, system=system)


def _triangular_vjp(g, ans, b, system):
    return triangular_solve(g, system=system.T)


triangular_solve = Primitive("sparse_triangular_solve", _triangular_impl)
declare(triangular_solve, jvp=_triangular_jvp, vjp=[_triangular_vjp],
        batch=loop_batch(triangular_solve), names=(), residuals=(reads(),))


@export("spsolve_triangular", namespace=SPARSE_LINALG, prim=triangular_solve)
def spsolve_triangular(A, b, lower=True, overwrite_A=False, overwrite_b=False,
                       unit_diagonal=False):
    """Solve A·x = b for a constant sparse triangular A (``scipy.sparse.linalg.
    spsolve_triangular``), differentiable in ``b``: the tangent is solved with A, the
    cotangent with Aᵀ (the other triangle). ``overwrite_*`` are ignored (nothing is written
    in place).

    >>> import numpy as np, scipy.sparse as sp, chainrule as cr
    >>> A = sp.csr_array(np.array([[2.0, 0.0], [1.0, 4.0]]))
    >>> spsolve_triangular(A, np.array([2.0, 5.0]))
    array([1., 1.])
    >>> cr.grad(lambda b: spsolve_triangular(A, b).sum())(np.array([2.0, 5.0]))
    array([0.375, 0.25 ])
    """
    A = _constant_matrix(A, "spsolve_triangular", "chainrule.scipy.linalg.solve_triangular")
    if not isinstance(b, Tracer):
        return _ssl().spsolve_triangular(A, b, lower=lower, unit_diagonal=unit_diagonal)
    if not is_sparse(A):
        A = scipy_module("sparse").csr_array(np.asarray(A))
    return triangular_solve(b, system=Triangular(A.tocsr(), bool(lower), bool(unit_diagonal)))
