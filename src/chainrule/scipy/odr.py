"""``scipy.odr``, passed through: SciPy's own module (orthogonal distance regression (ODRPACK),
for plain values). SciPy is imported on the first name asked for, so importing chainrule.scipy
stays lazy.

>>> import chainrule.scipy.odr as m, scipy.odr
>>> m.__all__ == scipy.odr.__all__
True
"""

from .passthrough import module_of as _module_of

__getattr__, __dir__ = _module_of("odr", __name__, globals())
