"""Differentiable ``scipy.spatial.distance`` (needs the ``scipy`` extra): ``cdist``,
``pdist``, ``squareform`` and the distances between two vectors, written in
:mod:`chainrule.scipy.distances`.

>>> import numpy as np, chainrule as cr
>>> from chainrule.scipy.spatial.distance import cdist
>>> cr.grad(lambda a: cdist(a, np.zeros((1, 2))).sum())(np.array([[3.0, 4.0]]))
array([[0.6, 0.8]])
"""
from ... import namespaces as _namespaces
from ...core import registry as _registry
from .. import distances as _distances  # noqa: F401  (declares cdist, pdist, …)

__all__, __getattr__ = _namespaces.populate(globals(), _registry.SPATIAL_DISTANCE)
