"""Differentiable ``scipy.integrate``: odeint, by the adjoint method in reverse mode and the
sensitivity equations in forward mode.

>>> import numpy as np, chainrule as cr, chainrule.scipy.integrate as cint
>>> ts = np.array([0.0, 2.0])
>>> round(float(cr.grad(lambda y0: cint.odeint(lambda y, t: -y, y0, ts)[1, 0])(1.0)), 5)
0.13534
"""
from .. import namespaces as _namespaces
from ..core import registry as _registry
from . import adjoint as _adjoint  # noqa: F401  (declares odeint)
from . import quadrature as _quadrature  # noqa: F401  (trapezoid, simpson, romb…)
from . import ivp as _ivp  # noqa: F401  (solve_ivp)
from . import quad as _quad  # noqa: F401  (quad, quad_vec, fixed_quad)
from . import nquad as _nquad  # noqa: F401  (nquad, dblquad, tplquad)
from . import integrate_classes as _classes  # noqa: F401  (RK45, IntegrationWarning, …)
from . import bvp as _bvp  # noqa: F401  (solve_bvp)
from . import elementwise_integrals as _elementwise  # noqa: F401  (tanhsinh, nsum)
from . import cubature as _cubature  # noqa: F401  (cubature, qmc_quad)

__all__, _not_wrapped = _namespaces.populate(globals(), _registry.INTEGRATE)


def __getattr__(name):
    # SciPy's classes and warnings (RK45, IntegrationWarning…), imported only when asked for
    if name in _classes.PASSED_THROUGH:
        from ..primitives.scipy_linalg import scipy_module
        return getattr(scipy_module("integrate"), name)
    return _not_wrapped(name)
