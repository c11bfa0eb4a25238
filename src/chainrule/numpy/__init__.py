"""Differentiable NumPy: the same names, signatures, broadcasting and dtype rules.

>>> import chainrule as cr, chainrule.numpy as cnp
>>> cr.grad(lambda x: cnp.sum(cnp.sin(x) ** 2))(cnp.array([0.0, 1.0]))
array([0.        , 0.90929743])

The namespace is generated from :mod:`chainrule.numpy.table`; a NumPy name that
is not in the table raises an AttributeError naming it, so no derivative is
ever dropped silently.
"""

import sys as _sys

from ..primitives import tracer_methods as _methods
from . import table as _table
from . import linalg  # noqa: F401

for _name, (_kind, _obj) in _table.TABLE.items():
    globals()[_name] = _obj

__all__ = sorted(_table.TABLE) + ["linalg"]


def lookup(name):
    """The chainrule.numpy function called ``name``, or None."""
    entry = _table.TABLE.get(name)
    return entry[1] if entry else None


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    raise AttributeError(
        f"chainrule.numpy.{name} is not wrapped yet, so chainrule has no derivative for it. "
        f"Write it with the wrapped functions (see docs/coverage.md), or define it with "
        f"chainrule.custom_vjp / chainrule.custom_jvp.")


_methods.set_namespace(_sys.modules[__name__])
