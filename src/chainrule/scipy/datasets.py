"""``scipy.datasets``, passed through: SciPy's own module (example data sets). SciPy is imported
on the first name asked for, so importing chainrule.scipy stays lazy.

>>> import chainrule.scipy.datasets as m, scipy.datasets
>>> m.__all__ == scipy.datasets.__all__
True
"""

from .passthrough import module_of as _module_of

__getattr__, __dir__ = _module_of("datasets", __name__, globals())
