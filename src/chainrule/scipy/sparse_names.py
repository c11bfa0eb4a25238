"""The names of ``scipy.sparse`` and ``scipy.sparse.linalg`` that chainrule passes through
unchanged: constructors, formats, conversions and the functions of constant matrices.

A sparse matrix is a constant of a differentiated program (its structure and values are
SciPy's plain arrays); what is differentiated is its product with traced arrays (``A @ u``)
and the solves in ``chainrule.scipy.sparse.linalg``. These names are registered as
``creation`` (no derivative to carry) and resolve to SciPy's own objects, imported on first
use: ``chainrule.scipy.sparse.csr_array is scipy.sparse.csr_array``.

>>> import chainrule.scipy.sparse as csp, scipy.sparse
>>> csp.diags is scipy.sparse.diags and csp.csr_matrix is scipy.sparse.csr_matrix
True
"""
from ..core.registry import SPARSE, SPARSE_LINALG, CREATION
from ..primitives.declare import export
from ..primitives.scipy_linalg import scipy_module

__all__ = ["SPARSE_PASSED", "SPARSE_LINALG_PASSED", "passed_through"]

_FORMATS = ("csr", "csc", "coo", "lil", "dok", "dia", "bsr")

#: scipy.sparse names passed through (SciPy's objects, classes included).
SPARSE_PASSED = tuple(f"{f}_{kind}" for f in _FORMATS for kind in ("array", "matrix")) + (
    "sparray", "spmatrix", "issparse", "isspmatrix", "diags", "diags_array", "spdiags", "eye",
    "eye_array", "identity", "kron", "kronsum", "block_diag", "bmat", "block_array", "hstack",
    "vstack", "random", "random_array", "rand", "tril", "triu", "find", "save_npz", "load_npz",
    "SparseEfficiencyWarning")

#: scipy.sparse.linalg names passed through: operators and functions of constant matrices.
SPARSE_LINALG_PASSED = (
    "LinearOperator", "aslinearoperator", "norm", "onenormest", "splu", "spilu", "factorized",
    "inv", "expm", "eigs", "eigsh", "svds", "lobpcg", "MatrixRankWarning")


def passed_through(module, name):
    """SciPy's ``scipy.<module>.<name>`` (imported now: SciPy is an optional extra)."""
    return getattr(scipy_module(module), name)


def _pass_through(module, name):
    def fn(*args, **kwargs):
        return passed_through(module, name)(*args, **kwargs)
    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"``scipy.{module}.{name}``, passed through (a constant)."
    return fn


for _name in SPARSE_PASSED:
    export(_name, namespace=SPARSE, kind=CREATION)(_pass_through("sparse", _name))
for _name in SPARSE_LINALG_PASSED:
    export(_name, namespace=SPARSE_LINALG, kind=CREATION)(_pass_through("sparse.linalg", _name))
