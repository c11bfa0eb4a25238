"""Differentiable ``scipy.fft``: SciPy's names and keywords for the discrete Fourier
transforms of ``chainrule.numpy.fft`` (``workers`` and ``overwrite_x`` accepted and
ignored), the Hermitian ``hfftn``/``ihfftn``, and the discrete cosine and sine transforms
``dct``, ``idct``, ``dst``, ``idst`` (types 1–4) and their N-dimensional forms.

>>> import numpy as np, chainrule as cr, chainrule.scipy.fft as cfft
>>> x = np.array([1.0, 2.0, 0.5, -1.0])
>>> g = cr.grad(lambda x: (cfft.dct(x, norm="ortho") ** 2).sum())(x)   # orthonormal: 2x
>>> bool(np.allclose(g, 2 * x))
True
"""
from .. import namespaces as _namespaces
from ..core import registry as _registry
from . import fourier as _fourier  # noqa: F401  (registers the functions)

__all__, __getattr__ = _namespaces.populate(globals(), _registry.SCIPY_FFT)
