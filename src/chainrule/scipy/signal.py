"""Differentiable ``scipy.signal``: convolve and correlate, every mode and dimension.

>>> import numpy as np, chainrule as cr, chainrule.scipy.signal as csig
>>> cr.grad(lambda k: csig.convolve(np.arange(4.0), k, "valid").sum())(np.ones(2))
array([6., 3.])
"""
from .. import namespaces as _namespaces
from ..core import registry as _registry
from . import filters as _filters  # noqa: F401  (lfilter, filtfilt, sosfilt…)
from . import spectral as _spectral  # noqa: F401  (fftconvolve, convolve2d, welch…)
from . import signal_linear as _signal_linear  # noqa: F401  (lsim, resample, upfirdn…)
from . import filter_design as _filter_design  # noqa: F401  (butter, firwin, find_peaks…: SciPy's)

__all__, _not_wrapped = _namespaces.populate(globals(), _registry.SIGNAL)


def __getattr__(name):
    # SciPy's classes (lti, StateSpace…), imported only when asked for: SciPy stays lazy
    if name in _filter_design.CLASSES:
        from ..primitives.scipy_linalg import scipy_module
        return getattr(scipy_module("signal"), name)
    return _not_wrapped(name)
