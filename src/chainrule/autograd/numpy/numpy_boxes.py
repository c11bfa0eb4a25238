"""autograd.numpy.numpy_boxes: ``ArrayBox``, for programs that ask whether a value is being
differentiated (``isinstance(x, ArrayBox)``, as libraries written for autograd do).

chainrule does not box values: ``ArrayBox`` is a class that no value is made of, and
``isinstance(x, ArrayBox)`` is true when ``x`` is a traced array or number (under grad, jvp,
vmap...). ``x._value``, autograd's way into a box, is :func:`getval` here (it drops the
derivative on purpose). Containers are not boxed in chainrule, so there is no ``SequenceBox``.

>>> import chainrule.autograd as autograd
>>> seen = []
>>> autograd.grad(lambda x: seen.append(isinstance(x, ArrayBox)) or x * x)(3.0)
np.float64(6.0)
>>> seen, isinstance(3.0, ArrayBox)
([True], False)
"""
from ..builtins import getval

__all__ = ["ArrayBox", "getval"]


class _Traced(type):
    def __instancecheck__(cls, obj):
        return hasattr(type(obj), "primal")

    def __subclasscheck__(cls, sub):
        return hasattr(sub, "primal")


class ArrayBox(metaclass=_Traced):
    """What ``isinstance(x, ArrayBox)`` asks: is ``x`` a traced value?

    >>> isinstance(1.0, ArrayBox)
    False
    """

    def __new__(cls, *args, **kwargs):
        raise TypeError("chainrule does not box values: ArrayBox is only for isinstance(x, "
                        "ArrayBox), true for a traced value")
