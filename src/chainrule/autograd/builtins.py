"""autograd.builtins: ``tuple``, ``list``, ``dict``, ``isinstance`` and ``type``.

chainrule differentiates through Python containers as they are (they are pytrees), so the
containers are Python's own; ``isinstance`` and ``type`` look through a traced value to
the value it stands for, as autograd's do through its boxes.

>>> import chainrule.autograd as autograd, numpy as onp
>>> autograd.grad(lambda x: float(autograd.isinstance(x, onp.ndarray)) + onp.sum(x))(onp.ones(2)).tolist()
[1.0, 1.0]
"""
import builtins as _builtins

tuple = _builtins.tuple  # noqa: A001
list = _builtins.list  # noqa: A001
dict = _builtins.dict  # noqa: A001

__all__ = ["tuple", "list", "dict", "isinstance", "type", "getval"]


def getval(x):
    """The plain value under every level of tracing (no derivative flows through it).

    >>> float(getval(2.0))
    2.0
    """
    while _builtins.hasattr(_builtins.type(x), "primal"):
        x = x.primal
    return x


def isinstance(obj, classinfo):  # noqa: A001
    """Python's ``isinstance`` of the value a traced ``obj`` stands for.

    >>> isinstance(1.0, float)
    True
    """
    return _builtins.isinstance(getval(obj), classinfo)


def type(obj):  # noqa: A001
    """Python's ``type`` of the value a traced ``obj`` stands for.

    >>> type(1.0).__name__
    'float'
    """
    return _builtins.type(getval(obj))
