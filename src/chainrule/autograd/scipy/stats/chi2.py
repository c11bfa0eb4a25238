"""autograd.scipy.stats.chi2: the methods of chainrule.scipy.stats.chi2 as module functions.

>>> import chainrule.autograd.scipy.stats.chi2 as dist
>>> callable(dist.logpdf if hasattr(dist, "logpdf") else dist.logpmf)
True
"""
from chainrule.scipy import stats as _stats

_dist = _stats.chi2
globals().update({_n: _v for _n, _v in vars(_dist).items() if not _n.startswith("_")})


def __getattr__(name):
    return getattr(_dist, name)
