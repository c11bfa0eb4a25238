"""Differentiable ``scipy.special``: logsumexp, expit, logit, erf, erfc, gammaln,
digamma, polygamma, softmax, log_softmax.

>>> import chainrule as cr, chainrule.scipy.special as csp
>>> float(cr.grad(csp.expit)(0.0))
0.25
"""
from ..core import registry as _registry
from .. import primitives as _primitives  # noqa: F401  (fills the registry)

_ENTRIES = _registry.entries(_registry.SPECIAL)
globals().update({_name: _entry.obj for _name, _entry in _ENTRIES.items()})

__all__ = sorted(_ENTRIES)


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    elsewhere = _registry.elsewhere(name, _registry.SPECIAL)
    if elsewhere:
        raise AttributeError(f"chainrule.scipy.special.{name} is not wrapped, but chainrule has "
                             f"{name} as {' and '.join(elsewhere)}")
    raise AttributeError(
        f"chainrule.scipy.special.{name} is not wrapped yet, so chainrule has no derivative "
        f"for it; define it with chainrule.custom_vjp.")
