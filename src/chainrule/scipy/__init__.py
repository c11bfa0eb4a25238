"""Differentiable SciPy functions (needs the ``scipy`` extra)."""
from . import special, stats, linalg  # noqa: F401
