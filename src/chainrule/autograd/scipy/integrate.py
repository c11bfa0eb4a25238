"""autograd.scipy.integrate: ``odeint(func, y0, t, args=(), rtol=…, atol=…)``, differentiable
by the adjoint method (chainrule.scipy.integrate.odeint).

>>> import numpy as np
>>> from chainrule.autograd.scipy.integrate import odeint
>>> float(odeint(lambda y, t: -y, 1.0, np.array([0.0, 1.0]))[1, 0].round(6))   # SciPy's shape: (2, 1)
0.367879
"""
from chainrule.scipy.integrate import odeint

__all__ = ["odeint"]
