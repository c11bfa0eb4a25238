"""autograd.scipy.stats.beta: the methods of chainrule.scipy.stats.beta as module functions.

>>> import chainrule.autograd.scipy.stats.beta as dist
>>> callable(dist.logpdf if hasattr(dist, "logpdf") else dist.logpmf)
True
"""
from chainrule.scipy import stats as _stats

_dist = _stats.beta
globals().update({_n: _v for _n, _v in vars(_dist).items() if not _n.startswith("_")})


def __getattr__(name):
    return getattr(_dist, name)
