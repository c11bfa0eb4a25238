"""``scipy.integrate``'s classes, warnings and fixed rules, passed through: SciPy's own objects.

``odeint`` and ``solve_ivp`` are differentiable (:mod:`chainrule.scipy.adjoint`,
:mod:`chainrule.scipy.ivp`); the step-by-step solver classes (``RK45``, ``Radau``, ``ode``…)
are SciPy's, for plain values (a traced state is refused when SciPy converts it to an
array: use ``solve_ivp``, whose derivative chainrule knows). The warnings are the same
classes, so ``warnings.filterwarnings(..., category=integrate.IntegrationWarning)`` and
``except`` work; ``newton_cotes`` and ``lebedev_rule`` are tables of weights.

>>> import scipy.integrate, chainrule.scipy.integrate as cint
>>> cint.IntegrationWarning is scipy.integrate.IntegrationWarning
True
"""

from ..core.registry import INTEGRATE, CREATION
from ..primitives.declare import export
from ..primitives.scipy_linalg import scipy_module

__all__ = ["PASSED_THROUGH"]

#: scipy.integrate names chainrule.scipy.integrate passes through unchanged.
PASSED_THROUGH = ("IntegrationWarning", "ODEintWarning", "RK23", "RK45", "DOP853", "Radau",
                  "BDF", "LSODA", "OdeSolver", "OdeSolution", "DenseOutput", "ode",
                  "complex_ode", "newton_cotes", "lebedev_rule")

for _name in PASSED_THROUGH:
    export(_name, namespace=INTEGRATE, kind=CREATION)(getattr(scipy_module("integrate"), _name))
