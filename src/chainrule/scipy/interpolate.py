"""Differentiable ``scipy.interpolate``: interp1d (kind='linear'), in the values, the new
points and the knots.

>>> import numpy as np, chainrule as cr, chainrule.scipy.interpolate as cinterp
>>> f = cinterp.interp1d(np.array([0.0, 2.0]), np.array([1.0, 5.0]))
>>> float(f(0.5)), float(cr.grad(lambda t: f(t))(0.5))
(2.0, 2.0)
"""
from .. import namespaces as _namespaces
from ..core import registry as _registry
from . import splines as _splines  # noqa: F401  (PPoly)
from . import cubic as _cubic  # noqa: F401  (CubicSpline, Pchip, Akima)
from . import bsplines as _bsplines  # noqa: F401  (BSpline, splrep, splev…)
from . import grid as _grid  # noqa: F401  (RegularGridInterpolator, interpn)
from . import kinds as _kinds  # noqa: F401  (interp1d, all kinds)
from . import scattered as _scattered  # noqa: F401  (lagrange, Barycentric, griddata, RBF)
from . import fitpack as _fitpack  # noqa: F401  (splder, splint, sproot, LSQ and smoothing fits)
from . import bpoly as _bpoly  # noqa: F401  (BPoly)
from . import scattered_nd as _scattered_nd  # noqa: F401  (LinearND, NearestND, CloughTocher2D)
from . import bivariate as _bivariate  # noqa: F401  (bisplrep, RectBivariateSpline, sphere)
from . import rational as _rational  # noqa: F401  (AAA, FloaterHormann, pade, interp2d)
from . import ndsplines as _ndsplines  # noqa: F401  (NdBSpline, NdPPoly)
from . import rbf_legacy as _rbf_legacy  # noqa: F401  (Rbf)

__all__, __getattr__ = _namespaces.populate(globals(), _registry.INTERPOLATE)
