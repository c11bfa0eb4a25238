"""Differentiable ``scipy.special``: the softmax family, error and gamma functions and their
relatives, exponential integrals, Bessel, Struve, Kelvin and hypergeometric functions,
orthogonal polynomials and Legendre functions, elliptic integrals (Carlson's included) and
Jacobi's elliptic functions, parabolic cylinder, Mathieu and spheroidal functions,
distribution functions, Box-Cox, Huber, zeta, Lambert W (docs/coverage.md lists them all).
Derivatives in arguments with no closed form (Bessel orders, polynomial degrees) raise
``UnsupportedDerivativeError`` instead of a silent zero. The functions of integers
(``roots_legendre``, ``legendre(n)``, ``jn_zeros``…) are SciPy's, and SciPy's own ufuncs
and polynomial objects differentiate when called on traced values.

>>> import chainrule as cr, chainrule.scipy.special as csp
>>> float(cr.grad(csp.expit)(0.0))
0.25
"""
from .. import namespaces as _namespaces
from ..core import registry as _registry

__all__, _missing = _namespaces.populate(globals(), _registry.SPECIAL)
_SCIPY_CLASSES = ("SpecialFunctionError", "SpecialFunctionWarning")
__all__ = sorted(__all__ + list(_SCIPY_CLASSES))


def __getattr__(name):
    if name in _SCIPY_CLASSES:  # SciPy's own classes, imported on first use (SciPy is optional)
        import scipy.special
        return getattr(scipy.special, name)
    return _missing(name)
