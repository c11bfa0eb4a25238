"""Differentiable NumPy: the same names, signatures, broadcasting and dtype rules.

>>> import chainrule as cr, chainrule.numpy as cnp
>>> cr.grad(lambda x: cnp.sum(cnp.sin(x) ** 2))(cnp.array([0.0, 1.0]))
array([0.        , 0.90929743])

The namespace is generated from the registry (:mod:`chainrule.core.registry`),
which each primitive's declaration fills; a NumPy name that is not registered
raises an AttributeError naming it, so no derivative is ever dropped silently.
"""
from .. import namespaces as _namespaces
from ..core import registry as _registry
from . import table as _table  # noqa: F401  (registers NumPy's pass-through names)
from . import linalg  # noqa: F401
from . import fft  # noqa: F401
from . import random  # noqa: F401  (NumPy's, on its global generator; loc/scale differentiable)
from . import polynomial  # noqa: F401  (numpy.polynomial's six bases and their classes)
from . import emath  # noqa: F401  (numpy.emath: complex where the real result is undefined)
from . import lib  # noqa: F401  (numpy.lib, stride_tricks differentiable)

__all__, __getattr__ = _namespaces.populate(globals(), _registry.NUMPY, "")
__all__ = __all__ + ['linalg', 'fft', 'random', 'polynomial', 'emath', 'lib']


def lookup(name):
    """The chainrule.numpy function called ``name``, or None.

    >>> lookup("sin").name, lookup("no_such_function")
    ('sin', None)
    """
    entry = _registry.lookup(_registry.NUMPY, name)
    return entry.obj if entry else None
