"""Differentiable ``scipy.special``: the softmax family, error and gamma functions and their
relatives, exponential integrals, Bessel, Struve and hypergeometric functions, orthogonal
polynomials, distribution functions, Box-Cox, Huber, zeta, Lambert W (docs/coverage.md lists
them all). Derivatives in arguments with no closed form (Bessel orders, polynomial degrees)
raise ``UnsupportedDerivativeError`` instead of a silent zero.

>>> import chainrule as cr, chainrule.scipy.special as csp
>>> float(cr.grad(csp.expit)(0.0))
0.25
"""
from .. import namespaces as _namespaces
from ..core import registry as _registry

__all__, __getattr__ = _namespaces.populate(globals(), _registry.SPECIAL)
