"""Differentiable SciPy functions (needs the ``scipy`` extra)."""
from . import special, stats, linalg, signal, integrate, fft, ndimage, interpolate  # noqa: F401
from . import optimize, sparse  # noqa: F401
from . import spatial  # noqa: F401
from . import fftpack  # noqa: F401  (SciPy's legacy FFT module)
from . import constants, io, cluster, datasets, odr, differentiate  # noqa: F401  (SciPy's own)
