"""Differentiable ``numpy.polynomial``: the power, Chebyshev, Legendre, Hermite, HermiteE and
Laguerre series (``chebval``, ``legfit``, ``hermgauss``...) and their classes.

NumPy's own results on plain inputs; with traced coefficients, points or data the values
are NumPy's (the same operations, or NumPy's function for maps linear in the coefficients)
and the derivatives exact (docs/polynomial.md).

>>> import numpy as np, chainrule as cr
>>> x = np.linspace(-1.0, 1.0, 5)
>>> y = x ** 3
>>> p = Chebyshev.fit(x, y, 3)                    # NumPy's class, NumPy's fit
>>> float(round(p(0.5), 12))
0.125
>>> cr.grad(lambda y: Chebyshev.fit(x, y, 3)(0.5))(y).round(6) + 0.0   # d p(0.5) / d y
array([ 0.057143, -0.228571,  0.342857,  0.771429,  0.057143])
"""
from ... import namespaces as _namespaces
from ...core import registry as _registry
from . import series as _series
from . import classes as _classes

_classes.classes(lambda name: _registry.lookup(
    _registry.NUMPY_POLYNOMIAL, f"{_series.module_of(name)}.{name}").obj)


def set_default_printstyle(style):
    """NumPy's ``numpy.polynomial.set_default_printstyle`` (printing only).

    >>> set_default_printstyle("ascii")
    """
    import numpy.polynomial
    numpy.polynomial.set_default_printstyle(style)


_registry.add(_registry.NUMPY_POLYNOMIAL, "set_default_printstyle", _registry.CONSTANT,
              set_default_printstyle)
_registry.add(_registry.NUMPY_POLYNOMIAL, "polyutils.mapparms", _registry.COMPOSITE,
              _classes.mapparms)
_registry.add(_registry.NUMPY_POLYNOMIAL, "polyutils.mapdomain", _registry.COMPOSITE,
              _classes.mapdomain)

from . import (polynomial, chebyshev, legendre, hermite, hermite_e, laguerre,  # noqa: E402
               polyutils)

__all__, __getattr__ = _namespaces.populate(globals(), _registry.NUMPY_POLYNOMIAL, "")
__all__ = __all__ + ["polynomial", "chebyshev", "legendre", "hermite", "hermite_e",
                     "laguerre", "polyutils"]
