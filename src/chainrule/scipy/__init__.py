"""Differentiable SciPy functions (needs the ``scipy`` extra)."""
from . import special  # noqa: F401
