"""Differentiable ``scipy.special``: logsumexp, expit, logit, erf, erfc, gammaln,
digamma, polygamma, softmax, log_softmax.

>>> import chainrule as cr, chainrule.scipy.special as csp
>>> float(cr.grad(csp.expit)(0.0))
0.25
"""
from ..numpy import table as _table

for _name, (_kind, _obj) in _table.SPECIAL_TABLE.items():
    globals()[_name] = _obj

__all__ = sorted(_table.SPECIAL_TABLE)


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    raise AttributeError(
        f"chainrule.scipy.special.{name} is not wrapped yet, so chainrule has no derivative "
        f"for it; define it with chainrule.custom_vjp.")
