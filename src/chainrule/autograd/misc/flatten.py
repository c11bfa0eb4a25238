"""autograd.misc.flatten: :func:`chainrule.flatten` (``tree -> (vector, unflatten)``).

>>> import chainrule.autograd.numpy as np
>>> vec, unflatten = flatten([np.ones(2), (3.0,)])
>>> vec.tolist(), float(unflatten(vec)[1][0])
([1.0, 1.0, 3.0], 3.0)
"""
from chainrule import flatten  # noqa: F401

__all__ = ["flatten"]
