"""Differentiable ``scipy.signal``: convolve and correlate, every mode and dimension.

>>> import numpy as np, chainrule as cr, chainrule.scipy.signal as csig
>>> cr.grad(lambda k: csig.convolve(np.arange(4.0), k, "valid").sum())(np.ones(2))
array([6., 3.])
"""
import sys as _sys
import types as _types

from .. import namespaces as _namespaces
from ..core import registry as _registry
from . import filters as _filters  # noqa: F401  (lfilter, filtfilt, sosfilt…)
from . import spectral as _spectral  # noqa: F401  (fftconvolve, convolve2d, welch…)
from . import signal_linear as _signal_linear  # noqa: F401  (lsim, resample, upfirdn…)
from . import signal_spectral as _signal_spectral  # noqa: F401  (csd, istft, czt…)
from . import signal_filters as _signal_filters  # noqa: F401  (medfilt, wiener, splines…)
from . import filter_design as _filter_design  # noqa: F401  (butter, firwin, find_peaks…: SciPy's)

__all__, _not_wrapped = _namespaces.populate(globals(), _registry.SIGNAL)


class _Windows(_types.ModuleType):
    """``scipy.signal.windows``, passed through: SciPy's window functions return constants
    (their values, no derivative to carry). SciPy is imported on the first attribute asked
    for, so importing chainrule.scipy.signal stays lazy."""

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        from ..primitives.scipy_linalg import scipy_module
        return getattr(scipy_module("signal.windows"), name)

    def __dir__(self):
        from ..primitives.scipy_linalg import scipy_module
        return dir(scipy_module("signal.windows"))


#: ``chainrule.scipy.signal.windows`` (also importable: ``from chainrule.scipy.signal.windows
#: import hann``, as SciPy's examples write it)
windows = _sys.modules.setdefault(__name__ + ".windows", _Windows(__name__ + ".windows",
                                                                   _Windows.__doc__))


def __getattr__(name):
    # SciPy's classes (lti, StateSpace…), imported only when asked for: SciPy stays lazy
    if name in ("CZT", "ZoomFFT"):   # SciPy's classes, whose call takes a traced signal
        return _signal_spectral.spectral_classes()[name]
    if name == "ShortTimeFFT":   # SciPy's class; stft and istft take a traced signal
        return _signal_spectral.stft_class()
    if name in _filter_design.CLASSES:
        from ..primitives.scipy_linalg import scipy_module
        return getattr(scipy_module("signal"), name)
    return _not_wrapped(name)
