"""Differentiable ``scipy.signal``: convolve and correlate, every mode and dimension.

>>> import numpy as np, chainrule as cr, chainrule.scipy.signal as csig
>>> cr.grad(lambda k: csig.convolve(np.arange(4.0), k, "valid").sum())(np.ones(2))
array([6., 3.])
"""
from .. import namespaces as _namespaces
from ..core import registry as _registry
from . import filters as _filters  # noqa: F401  (lfilter, filtfilt, sosfilt…)
from . import spectral as _spectral  # noqa: F401  (fftconvolve, convolve2d, welch…)
from . import filter_design as _filter_design  # noqa: F401  (butter, firwin, find_peaks…: SciPy's)

__all__, __getattr__ = _namespaces.populate(globals(), _registry.SIGNAL)
