"""Differentiable ``scipy.ndimage``: the linear filters (correlate, convolve, gaussian,
uniform, sobel, laplace, Fourier filters), the interpolation (map_coordinates, shift, zoom,
affine_transform, rotate: in the input and the coordinates), rank filters and grey
morphology, measurements over labels, and SciPy's functions of masks and labels passed
through with their derivatives refused; every boundary mode (docs/ndimage.md).

>>> import numpy as np, chainrule as cr, chainrule.scipy.ndimage as cndi
>>> cr.grad(lambda x: cndi.uniform_filter1d(x, 3)[0])(np.zeros(4)).round(6)
array([0.666667, 0.333333, 0.      , 0.      ])
"""
from .. import namespaces as _namespaces
from ..core import registry as _registry
from . import ndimage_derivatives as _derivatives, ndimage_fourier as _fourier  # noqa: F401
from . import ndimage_interpolation as _interpolation  # noqa: F401
from . import ndimage_rank as _rank, ndimage_morphology as _morphology  # noqa: F401
from . import ndimage_measurements as _measurements  # noqa: F401
from . import ndimage_value_only as _value_only, ndimage_generic as _generic  # noqa: F401

__all__, __getattr__ = _namespaces.populate(globals(), _registry.NDIMAGE)
