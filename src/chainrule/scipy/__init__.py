"""Differentiable SciPy functions (needs the ``scipy`` extra)."""
from . import special, stats  # noqa: F401
