"""autograd.scipy: chainrule.scipy's ``special``, ``stats``, ``linalg`` and ``integrate`` under
autograd's names, ``misc.logsumexp``, and ``signal.convolve`` with autograd's own signature
(``axes``, ``dot_axes``).

>>> import chainrule.autograd.scipy.special as special
>>> float(special.expit(0.0))
0.5
"""
from . import special, stats, misc, linalg, integrate, signal  # noqa: F401
