"""``numpy.lib`` with its differentiable parts: ``stride_tricks`` (``sliding_window_view``,
``as_strided``) and ``scimath`` (``chainrule.numpy.emath``); everything else is NumPy's own.

>>> from chainrule.numpy import lib
>>> lib.stride_tricks.sliding_window_view.__module__
'chainrule.numpy.lib.stride_tricks'
>>> lib.NumpyVersion is np.lib.NumpyVersion
True
"""
import numpy as np

from . import stride_tricks
from .. import emath as scimath

__all__ = sorted(set(n for n in dir(np.lib) if not n.startswith("_")) |
                 {"stride_tricks", "scimath"})


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    return getattr(np.lib, name)   # NumPy's own (array_utils, npyio, mixins, NumpyVersion...)
