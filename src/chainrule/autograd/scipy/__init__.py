"""autograd.scipy: chainrule.scipy's ``special``, ``stats``, ``linalg`` and ``integrate`` under
autograd's names, and ``misc.logsumexp``. (autograd's ``signal.convolve`` has its own signature,
axes and dot_axes; it is not adapted: use chainrule.scipy.signal.convolve.)

>>> import chainrule.autograd.scipy.special as special
>>> float(special.expit(0.0))
0.5
"""
from . import special, stats, misc, linalg, integrate  # noqa: F401
