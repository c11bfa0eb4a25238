"""Differentiable ``scipy.linalg``: solve_triangular, cho_factor, cho_solve, lu_factor,
lu_solve, expm (Fréchet derivative), sqrtm (Sylvester equation).

>>> import numpy as np, chainrule as cr, chainrule.scipy.linalg as csl
>>> float(cr.grad(lambda t: csl.expm(t * np.array([[0.0, 1.0], [0.0, 0.0]]))[0, 1])(2.0))
1.0
"""
from ..core import registry as _registry
from .. import primitives as _primitives  # noqa: F401  (fills the registry)

_NS = _registry.SCIPY_LINALG
_ENTRIES = _registry.entries(_NS)
globals().update({_name: _entry.obj for _name, _entry in _ENTRIES.items()})

__all__ = sorted(_ENTRIES)


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    elsewhere = _registry.elsewhere(name, _NS)
    if elsewhere:
        raise AttributeError(f"{_NS}.{name} is not wrapped, but chainrule has "
                             f"{name} as {' and '.join(elsewhere)}")
    raise AttributeError(
        f"{_NS}.{name} is not wrapped yet, so chainrule has no derivative "
        f"for it; define it with chainrule.custom_vjp.")
