"""Differentiable ``scipy.special``: logsumexp, expit, logit, erf, erfc, gammaln,
digamma, polygamma, softmax, log_softmax.

>>> import chainrule as cr, chainrule.scipy.special as csp
>>> float(cr.grad(csp.expit)(0.0))
0.25
"""
from .. import namespaces as _namespaces
from ..core import registry as _registry

__all__, __getattr__ = _namespaces.populate(globals(), _registry.SPECIAL)
