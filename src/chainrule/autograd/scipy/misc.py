"""autograd.scipy.misc: ``logsumexp`` (SciPy moved it to ``scipy.special``).

>>> float(logsumexp([0.0]))
0.0
"""
from chainrule.scipy.special import logsumexp  # noqa: F401

__all__ = ["logsumexp"]
