"""autograd.misc: ``flatten``, and the modules ``optimizers``, ``fixed_points``.

>>> vec, unflatten = flatten({"w": [1.0, 2.0], "b": 3.0})
>>> vec.tolist()
[3.0, 1.0, 2.0]
"""
from .flatten import flatten  # noqa: F401
from . import optimizers, fixed_points  # noqa: F401

__all__ = ["flatten", "optimizers", "fixed_points"]
