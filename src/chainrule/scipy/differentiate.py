"""``scipy.differentiate``, passed through: SciPy's own module (numerical differentiation (finite
differences with Richardson extrapolation), for plain values: chainrule's exact derivatives are
cr.grad, cr.jacfwd, cr.hessian). SciPy is imported on the first name asked for, so importing
chainrule.scipy stays lazy.

>>> import chainrule.scipy.differentiate as m, scipy.differentiate
>>> m.__all__ == scipy.differentiate.__all__
True
"""

from .passthrough import module_of as _module_of

__getattr__, __dir__ = _module_of("differentiate", __name__, globals())
