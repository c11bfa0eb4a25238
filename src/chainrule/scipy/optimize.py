"""Differentiable ``scipy.optimize`` (needs the ``scipy`` extra): the solvers given
chainrule's exact derivatives, their solutions differentiable by the implicit function
theorem (:mod:`chainrule.scipy.optimizers`), and Rosenbrock's test function written with
``chainrule.numpy``. Every other name is SciPy's own (``Bounds``, ``OptimizeResult``,
``linprog``, ``linear_sum_assignment``…), for plain values.

>>> import numpy as np, chainrule as cr, chainrule.scipy.optimize as optimize
>>> res = optimize.minimize(optimize.rosen, np.zeros(3), method="Newton-CG")
>>> np.round(res.x, 5), res.success
(array([1., 1., 1.]), True)
>>> optimize.Bounds is __import__("scipy.optimize").optimize.Bounds
True
"""
from .. import namespaces as _namespaces
from ..core import registry as _registry
from ..primitives.scipy_linalg import scipy_module as _scipy_module
from . import optimizers as _optimizers  # noqa: F401  (declares minimize, root, …)
from . import rosenbrock as _rosenbrock  # noqa: F401  (rosen, rosen_der, …)

__all__, _not_wrapped = _namespaces.populate(globals(), _registry.OPTIMIZE)


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    try:
        return getattr(_scipy_module("optimize"), name)
    except AttributeError:
        raise AttributeError(f"module 'chainrule.scipy.optimize' (and scipy.optimize) has no "
                             f"attribute {name!r}") from None
