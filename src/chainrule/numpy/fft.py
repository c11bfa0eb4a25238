"""Differentiable ``numpy.fft``: fft, ifft, fft2, ifft2, fftn, ifftn, rfft, irfft, rfft2,
irfft2, rfftn, irfftn, fftshift, ifftshift, fftfreq, rfftfreq (NumPy's signatures; complex
values with JAX's convention, docs/complex.md).

>>> import numpy as np, chainrule as cr, chainrule.numpy as cnp
>>> x = np.array([1.0, 0.0, -1.0, 0.5])
>>> cr.grad(lambda x: cnp.sum(cnp.abs(cnp.fft.rfft(x))))(x).round(4).tolist()
[0.9701, 1.7575, -0.9701, 2.2425]
"""
from ..core import registry as _registry
from .. import primitives as _primitives  # noqa: F401  (fills the registry)

_ENTRIES = _registry.entries(_registry.FFT)
globals().update({_name: _entry.obj for _name, _entry in _ENTRIES.items()})

__all__ = sorted(_ENTRIES)


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    raise AttributeError(
        f"chainrule.numpy.fft.{name} is not wrapped yet, so chainrule has no derivative for "
        f"it; see docs/coverage.md for what is, or define it with chainrule.custom_vjp.")
