"""autograd.numpy.random: NumPy's random module as it is (draws carry no derivative).

>>> import chainrule.autograd.numpy.random as npr
>>> npr.RandomState(0).randn(2).shape
(2,)
"""
from numpy import random as _random

globals().update({_n: getattr(_random, _n) for _n in dir(_random) if not _n.startswith("_")})


def __getattr__(name):
    return getattr(_random, name)
