"""Differentiable ``numpy.linalg``: inv, det, slogdet, solve, cholesky, eigh, norm,
matrix_power (stacks of matrices broadcast as in NumPy).

>>> import chainrule as cr, chainrule.numpy as cnp
>>> A = cnp.array([[2.0, 1.0], [1.0, 3.0]])
>>> cr.grad(lambda a: cnp.linalg.det(a))(A)     # d det/dA = det(A) A^-T
array([[ 3., -1.],
       [-1.,  2.]])
"""
from .. import namespaces as _namespaces
from ..core import registry as _registry

__all__, __getattr__ = _namespaces.populate(globals(), _registry.LINALG)
