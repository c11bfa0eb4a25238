"""Differentiable ``scipy.linalg``: solve_triangular, cho_factor, cho_solve, lu_factor,
lu_solve, expm (Fréchet derivative), sqrtm (Sylvester equation).

>>> import numpy as np, chainrule as cr, chainrule.scipy.linalg as csl
>>> float(cr.grad(lambda t: csl.expm(t * np.array([[0.0, 1.0], [0.0, 0.0]]))[0, 1])(2.0))
1.0
"""
from .. import namespaces as _namespaces
from ..core import registry as _registry
from . import linalg_more as _more  # noqa: F401  (fiedler_companion, the QR updates, …)

__all__, _missing = _namespaces.populate(globals(), _registry.SCIPY_LINALG)
__all__ = sorted(__all__ + ["LinAlgWarning"])


def __getattr__(name):
    if name == "LinAlgWarning":  # SciPy's own class, imported on first use (SciPy is optional)
        from scipy.linalg import LinAlgWarning
        return LinAlgWarning
    if name in _more.PASSED_THROUGH:   # SciPy's BLAS/LAPACK lookups and submodules, as they are
        from ..primitives.scipy_linalg import scipy_module
        return getattr(scipy_module("linalg"), name)
    return _missing(name)
