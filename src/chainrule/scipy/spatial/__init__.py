"""Differentiable ``scipy.spatial``: its ``distance`` module (:mod:`.distance`) and
``transform``'s ``Rotation`` and ``Slerp`` (:mod:`.transform`). Every other
name is SciPy's own (``KDTree``, ``ConvexHull``, ``Delaunay``…), for plain values: their
results (neighbours, hulls) are piecewise constant in the points, so a program selects the
points with them and differentiates the distances it computes from the selection.

>>> import numpy as np, chainrule.scipy.spatial as spatial
>>> spatial.distance.pdist(np.array([[0.0, 0.0], [3.0, 4.0]]))
array([5.])
>>> spatial.KDTree is __import__("scipy.spatial").spatial.KDTree
True
"""
from ...primitives.scipy_linalg import scipy_module as _scipy_module
from . import distance  # noqa: F401
from . import transform  # noqa: F401  (Rotation, Slerp)


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    try:
        return getattr(_scipy_module("spatial"), name)
    except AttributeError:
        raise AttributeError(f"module 'chainrule.scipy.spatial' (and scipy.spatial) has no "
                             f"attribute {name!r}") from None
