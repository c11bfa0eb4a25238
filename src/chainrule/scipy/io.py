"""``scipy.io``, passed through: SciPy's own module (reading and writing files (MATLAB, WAV,
Matrix Market...): data, not functions of traced values). SciPy is imported on the first name
asked for, so importing chainrule.scipy stays lazy.

>>> import chainrule.scipy.io as m, scipy.io
>>> m.__all__ == scipy.io.__all__
True
"""

from .passthrough import module_of as _module_of

__getattr__, __dir__ = _module_of("io", __name__, globals(), ('wavfile', 'matlab', 'arff', 'netcdf'))
