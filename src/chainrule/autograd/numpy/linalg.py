"""autograd.numpy.linalg: chainrule.numpy.linalg under autograd's name.

>>> import chainrule.autograd.numpy as np
>>> float(np.linalg.det(np.eye(2)))
1.0
"""
from chainrule.numpy import linalg as _linalg

globals().update({_n: getattr(_linalg, _n) for _n in dir(_linalg) if not _n.startswith("_")})


def __getattr__(name):
    return getattr(_linalg, name)
