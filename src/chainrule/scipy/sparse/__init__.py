"""Differentiable programs with ``scipy.sparse``: a constant sparse matrix (any format, sparse
arrays and the matrix classes) applied to traced arrays, ``A @ u``, ``A.dot(u)``, ``u @ A``
(and ``A * u`` for the matrix classes), under every transformation; ``matmul(A, u)`` and
``rmatmul(u, A)`` spell the same products. SciPy's constructors pass through unchanged
(``chainrule.scipy.sparse.diags is scipy.sparse.diags``). The solvers are in
:mod:`chainrule.scipy.sparse.linalg`. See docs/sparse.md.

>>> import numpy as np, chainrule as cr, chainrule.scipy.sparse as csp
>>> L = csp.diags([1.0, -2.0, 1.0], [-1, 0, 1], shape=(3, 3))
>>> cr.grad(lambda u: (u * (L @ u)).sum())(np.ones(3))
array([-2.,  0., -2.])
"""
from ... import namespaces as _namespaces
from ...core import registry as _registry
from .. import sparse_names as _names
from . import linalg  # noqa: F401

__all__, _missing = _namespaces.populate(globals(), _registry.SPARSE)
for _name in _names.SPARSE_PASSED:   # served by __getattr__: SciPy's own objects
    del globals()[_name]
__all__ = sorted(__all__ + ["linalg"])


def __getattr__(name):
    if name in _names.SPARSE_PASSED:
        return _names.passed_through("sparse", name)
    return _missing(name)
