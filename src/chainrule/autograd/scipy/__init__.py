"""autograd.scipy: chainrule.scipy's ``special`` and ``stats`` under autograd's names, and
``misc.logsumexp``.

>>> import chainrule.autograd.scipy.special as special
>>> float(special.expit(0.0))
0.5
"""
from . import special, stats, misc  # noqa: F401
