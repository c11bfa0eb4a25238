"""``scipy.cluster``, passed through: SciPy's own module (k-means and hierarchical clustering:
assignments piecewise constant in the data, so values only). SciPy is imported on the first
name asked for, so importing chainrule.scipy stays lazy.

>>> import chainrule.scipy.cluster as m, scipy.cluster
>>> m.__all__ == scipy.cluster.__all__
True
"""

from .passthrough import module_of as _module_of

__getattr__, __dir__ = _module_of("cluster", __name__, globals(), ('vq', 'hierarchy'))
