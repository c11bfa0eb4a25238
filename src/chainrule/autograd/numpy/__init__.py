"""autograd.numpy: chainrule.numpy under autograd's name (``import chainrule.autograd.numpy as np``).

Every name is chainrule.numpy's; ``random`` is NumPy's own (random draws carry no
derivative), as in autograd.

>>> import chainrule.autograd as autograd, chainrule.autograd.numpy as np
>>> float(autograd.grad(lambda x: np.sum(np.exp(x)))(0.0))
1.0
"""
import chainrule.numpy as _cnp

from . import linalg, fft, random, numpy_boxes  # noqa: F401

globals().update({_name: getattr(_cnp, _name) for _name in _cnp.__all__
                  if _name not in ("linalg", "fft", "random")})

__all__ = list(_cnp.__all__)


def __getattr__(name):
    return getattr(_cnp, name)
