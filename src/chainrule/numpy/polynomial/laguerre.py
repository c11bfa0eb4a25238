"""Differentiable ``numpy.polynomial.laguerre`` (see :mod:`chainrule.numpy.polynomial`)."""
from ... import namespaces as _namespaces
from ...core import registry as _registry

__all__, __getattr__ = _namespaces.populate(globals(), _registry.NUMPY_POLYNOMIAL, "laguerre.")
