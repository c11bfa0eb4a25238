"""``scipy.constants``, passed through: SciPy's own module (physical constants and units: numbers,
nothing to differentiate). SciPy is imported on the first name asked for, so importing
chainrule.scipy stays lazy.

>>> import chainrule.scipy.constants as m, scipy.constants
>>> m.__all__ == scipy.constants.__all__
True
"""

from .passthrough import module_of as _module_of

__getattr__, __dir__ = _module_of("constants", __name__, globals())
