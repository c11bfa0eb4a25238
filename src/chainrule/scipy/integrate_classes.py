"""``scipy.integrate``'s classes, warnings and fixed rules, passed through: SciPy's own objects.

``odeint`` and ``solve_ivp`` are differentiable (:mod:`chainrule.scipy.adjoint`,
:mod:`chainrule.scipy.ivp`); the step-by-step solver classes (``RK45``, ``Radau``, ``ode``…)
are SciPy's, for plain values (a traced state is refused when SciPy converts it to an
array: use ``solve_ivp``, whose derivative chainrule knows). The warnings are the same
classes, so ``warnings.filterwarnings(..., category=integrate.IntegrationWarning)`` and
``except`` work; ``newton_cotes`` and ``lebedev_rule`` are tables of weights; ``dop``,
``lsoda``, ``odepack``, ``quadpack`` and ``vode`` are SciPy's submodules. They are looked
up in SciPy when first asked for (``chainrule.scipy.integrate``'s module ``__getattr__``),
so that importing chainrule.scipy does not import SciPy.

>>> import scipy.integrate, chainrule.scipy.integrate as cint
>>> cint.IntegrationWarning is scipy.integrate.IntegrationWarning
True
"""

__all__ = ["PASSED_THROUGH"]

#: scipy.integrate names chainrule.scipy.integrate passes through unchanged.
PASSED_THROUGH = ("IntegrationWarning", "ODEintWarning", "RK23", "RK45", "DOP853", "Radau",
                  "BDF", "LSODA", "OdeSolver", "OdeSolution", "DenseOutput", "ode",
                  "complex_ode", "newton_cotes", "lebedev_rule",
                  # SciPy's (deprecated) submodules, as SciPy exposes them
                  "dop", "lsoda", "odepack", "quadpack", "vode")
