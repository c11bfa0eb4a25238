"""autograd.numpy.fft: chainrule.numpy.fft under autograd's name.

>>> import chainrule.autograd.numpy as np
>>> np.fft.fft(np.ones(2)).real.tolist()
[2.0, 0.0]
"""
from chainrule.numpy import fft as _fft

globals().update({_n: getattr(_fft, _n) for _n in dir(_fft) if not _n.startswith("_")})


def __getattr__(name):
    return getattr(_fft, name)
