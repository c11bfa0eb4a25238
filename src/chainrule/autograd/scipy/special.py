"""autograd.scipy.special: chainrule.scipy.special under autograd's name.

>>> from chainrule.autograd.scipy.special import logsumexp
>>> float(logsumexp([0.0, 0.0]))  # log 2
0.6931471805599453
"""
from chainrule.scipy import special as _special

globals().update({_n: getattr(_special, _n) for _n in _special.__all__})
__all__ = list(_special.__all__)


def __getattr__(name):
    return getattr(_special, name)
