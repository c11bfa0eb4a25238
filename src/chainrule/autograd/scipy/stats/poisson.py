"""autograd.scipy.stats.poisson: the methods of chainrule.scipy.stats.poisson as module functions.

>>> import chainrule.autograd.scipy.stats.poisson as dist
>>> callable(dist.logpdf if hasattr(dist, "logpdf") else dist.logpmf)
True
"""
from chainrule.scipy import stats as _stats

_dist = _stats.poisson
globals().update({_n: _v for _n, _v in vars(_dist).items() if not _n.startswith("_")})


def __getattr__(name):
    return getattr(_dist, name)
