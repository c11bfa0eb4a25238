"""Differentiable ``scipy.integrate``: odeint, by the adjoint method in reverse mode and the
sensitivity equations in forward mode.

>>> import numpy as np, chainrule as cr, chainrule.scipy.integrate as cint
>>> ts = np.array([0.0, 2.0])
>>> round(float(cr.grad(lambda y0: cint.odeint(lambda y, t: -y, y0, ts)[1])(1.0)), 5)
0.13534
"""
from ..core import registry as _registry
from .. import primitives as _primitives  # noqa: F401  (fills the registry)
from ..primitives import odeint as _odeint
from ..transforms.differentiate import vjp as _vjp, jvp as _jvp

_odeint.install_transforms(_vjp, _jvp)

_NS = _registry.INTEGRATE
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
