"""Differentiable ``numpy.linalg``: inv, det, slogdet, solve, cholesky, eigh, norm,
matrix_power (stacks of matrices broadcast as in NumPy).

>>> import chainrule as cr, chainrule.numpy as cnp
>>> A = cnp.array([[2.0, 1.0], [1.0, 3.0]])
>>> cr.grad(lambda a: cnp.linalg.det(a))(A)     # d det/dA = det(A) A^-T
array([[ 3., -1.],
       [-1.,  2.]])
"""
from ..core import registry as _registry
from .. import primitives as _primitives  # noqa: F401  (fills the registry)

_ENTRIES = _registry.entries(_registry.LINALG)
globals().update({_name: _entry.obj for _name, _entry in _ENTRIES.items()})

__all__ = sorted(_ENTRIES)


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    elsewhere = _registry.elsewhere(name, _registry.LINALG)
    if elsewhere:
        raise AttributeError(f"chainrule.numpy.linalg.{name} is not wrapped, but chainrule has "
                             f"{name} as {' and '.join(elsewhere)}")
    raise AttributeError(
        f"chainrule.numpy.linalg.{name} is not wrapped yet, so chainrule has no derivative for "
        f"it; see docs/coverage.md for what is, or define it with chainrule.custom_vjp.")
