"""autograd.scipy.linalg: chainrule.scipy.linalg under autograd's name (solve_triangular,
sqrtm, expm, cho_factor/cho_solve, lu_factor/lu_solve).

>>> import numpy as np
>>> from chainrule.autograd.scipy.linalg import solve_triangular
>>> solve_triangular(np.array([[2.0, 0.0], [1.0, 1.0]]), np.array([2.0, 2.0]), lower=True)
array([1., 1.])
"""
from chainrule.scipy import linalg as _linalg

globals().update({_n: getattr(_linalg, _n) for _n in _linalg.__all__})
__all__ = list(_linalg.__all__)


def __getattr__(name):
    return getattr(_linalg, name)
