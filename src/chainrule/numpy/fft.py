"""Differentiable ``numpy.fft``: fft, ifft, fft2, ifft2, fftn, ifftn, rfft, irfft, rfft2,
irfft2, rfftn, irfftn, fftshift, ifftshift, fftfreq, rfftfreq (NumPy's signatures; complex
values with JAX's convention, docs/complex.md).

>>> import numpy as np, chainrule as cr, chainrule.numpy as cnp
>>> x = np.array([1.0, 0.0, -1.0, 0.5])
>>> cr.grad(lambda x: cnp.sum(cnp.abs(cnp.fft.rfft(x))))(x).round(4).tolist()
[0.9701, 1.7575, -0.9701, 2.2425]
"""
from .. import namespaces as _namespaces
from ..core import registry as _registry

__all__, __getattr__ = _namespaces.populate(globals(), _registry.FFT)
