"""Rosenbrock's function and its derivatives as ``scipy.optimize`` defines them (rosen,
rosen_der, rosen_hess, rosen_hess_prod), written with ``chainrule.numpy`` so that they
differentiate (SciPy's call NumPy, which refuses traced values).

>>> import numpy as np
>>> float(rosen(np.array([1.0, 1.0, 1.0]))), rosen_der(np.array([0.0, 0.0]))
(0.0, array([-2.,  0.]))
"""
import numpy as np

from .. import numpy as cnp
from ..core.registry import OPTIMIZE
from ..primitives.declare import export

__all__ = ["rosen", "rosen_der", "rosen_hess", "rosen_hess_prod"]


def _floating(x):
    """x as an array, integers promoted to float64 (SciPy's xp_promote(force_floating=True))."""
    x = cnp.asarray(x)
    return cnp.astype(x, np.float64) if cnp.asarray(x).dtype.kind in "biu" else x


def _one(v):
    return cnp.reshape(v, (1,) + cnp.shape(v))


@export(namespace=OPTIMIZE)
def rosen(x):
    """Σ 100 (x[i+1] − x[i]²)² + (1 − x[i])² over the first axis (scipy.optimize.rosen).

    >>> float(rosen(np.array([0.0, 0.0])))
    1.0
    """
    x = _floating(x)
    return cnp.sum(100.0 * (x[1:] - x[:-1] ** 2.0) ** 2.0 + (1 - x[:-1]) ** 2.0, axis=0)


@export(namespace=OPTIMIZE)
def rosen_der(x):
    """The gradient of :func:`rosen` (scipy.optimize.rosen_der's formula).

    >>> rosen_der(np.array([2.0, 1.0]))
    array([2402., -600.])
    """
    x = _floating(x)
    xm, xm_m1, xm_p1 = x[1:-1], x[:-2], x[2:]
    middle = (200 * (xm - xm_m1 ** 2) - 400 * (xm_p1 - xm ** 2) * xm - 2 * (1 - xm))
    first = -400 * x[0] * (x[1] - x[0] ** 2) - 2 * (1 - x[0])
    last = 200 * (x[-1] - x[-2] ** 2)
    return cnp.concatenate([_one(first), middle, _one(last)])


@export(namespace=OPTIMIZE)
def rosen_hess(x):
    """The Hessian of :func:`rosen` for a 1-D x (scipy.optimize.rosen_hess's formula, in
    x's floating type; fewer than two elements raise IndexError, as SciPy's).

    >>> rosen_hess(np.array([1.0, 1.0]))
    array([[ 802., -400.],
           [-400.,  200.]])
    """
    x = _floating(x)
    off = -400 * x[:-1]
    first = 1200 * x[0] ** 2 - 400 * x[1] + 2
    last = 200 + cnp.zeros((1,), dtype=cnp.asarray(x).dtype)
    diagonal = cnp.concatenate([_one(first), 202 + 1200 * x[1:-1] ** 2 - 400 * x[2:], last])
    return cnp.diag(off, 1) + cnp.diag(off, -1) + cnp.diag(diagonal)


@export(namespace=OPTIMIZE)
def rosen_hess_prod(x, p):
    """The Hessian of :func:`rosen` times a vector p (scipy.optimize.rosen_hess_prod's
    formula; p in x's floating type).

    >>> rosen_hess_prod(np.array([1.0, 1.0]), np.array([1.0, 0.0]))
    array([ 802., -400.])
    """
    x = cnp.atleast_1d(_floating(x))
    p = cnp.astype(cnp.asarray(p), cnp.asarray(x).dtype)
    first = (1200 * x[0] ** 2 - 400 * x[1] + 2) * p[0] - 400 * x[0] * p[1]
    middle = (-400 * x[:-2] * p[:-2] + (202 + 1200 * x[1:-1] ** 2 - 400 * x[2:]) * p[1:-1]
              - 400 * x[1:-1] * p[2:])
    last = -400 * x[-2] * p[-2] + 200 * p[-1]
    return cnp.concatenate([_one(first), middle, _one(last)])
