"""Differentiable ``scipy.signal``: convolve and correlate, every mode and dimension.

>>> import numpy as np, chainrule as cr, chainrule.scipy.signal as csig
>>> cr.grad(lambda k: csig.convolve(np.arange(4.0), k, "valid").sum())(np.ones(2))
array([6., 3.])
"""
from ..core import registry as _registry
from .. import primitives as _primitives  # noqa: F401  (fills the registry)

_NS = _registry.SIGNAL
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
