"""Differentiable SciPy functions (needs the ``scipy`` extra)."""
from . import special, stats, linalg, signal, integrate, fft, ndimage, interpolate  # noqa: F401
from . import optimize, sparse  # noqa: F401
from . import spatial  # noqa: F401
