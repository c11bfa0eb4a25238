"""Differentiable ``scipy.sparse.linalg``: ``spsolve``, ``expm_multiply``, ``cg``, ``gmres``,
``bicgstab`` and ``minres`` with a constant matrix, differentiable in the right-hand side
(their rules: ``chainrule/primitives/sparse_linalg.py``); ``LinearOperator``,
``aslinearoperator``, ``norm``, ``splu``… passed through unchanged. See docs/sparse.md.

>>> import numpy as np, scipy.sparse as sp, chainrule as cr
>>> import chainrule.scipy.sparse.linalg as cspl
>>> A = sp.csc_array(np.array([[4.0, 1.0], [1.0, 3.0]]))
>>> cr.grad(lambda b: cspl.spsolve(A, b)[0])(np.ones(2)).round(6)
array([ 0.272727, -0.090909])
"""
from ... import namespaces as _namespaces
from ...core import registry as _registry
from .. import sparse_names as _names

__all__, _missing = _namespaces.populate(globals(), _registry.SPARSE_LINALG)
for _name in _names.SPARSE_LINALG_PASSED:   # served by __getattr__: SciPy's own objects
    del globals()[_name]


def __getattr__(name):
    if name in _names.SPARSE_LINALG_PASSED:
        return _names.passed_through("sparse.linalg", name)
    return _missing(name)
