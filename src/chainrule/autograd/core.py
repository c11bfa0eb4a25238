"""autograd.core: where older autograd programs import ``primitive``, ``getval`` and the
unary ``make_vjp(fun, x)`` / ``make_jvp(fun, x)`` from (``from autograd.core import
primitive``); the same functions as :mod:`chainrule.autograd.extend` and the differential
operators.

>>> vjp, ans = make_vjp(lambda x: x ** 3, 2.0)
>>> float(ans), float(vjp(1.0))
(8.0, 12.0)
>>> [float(v) for v in make_jvp(lambda x: x ** 3, 2.0)(1.0)]
[8.0, 12.0]
"""
from . import differential_operators as _ops
from .builtins import getval  # noqa: F401
from .extend import (primitive, notrace_primitive, defvjp, defvjp_argnum, defvjp_argnums,  # noqa: F401
                     defjvp, defjvp_argnum, def_linear)

__all__ = ["primitive", "notrace_primitive", "getval", "defvjp", "defvjp_argnum",
           "defvjp_argnums", "defjvp", "defjvp_argnum", "def_linear", "make_vjp", "make_jvp"]


def make_vjp(fun, x):
    """``(vjp, fun(x))`` for a function of one argument (autograd.core's unary form).

    >>> vjp, ans = make_vjp(lambda x: 2.0 * x, 1.0)
    >>> float(vjp(3.0))
    6.0
    """
    return _ops.make_vjp(fun)(x)


def make_jvp(fun, x):
    """``v -> (fun(x), J·v)`` for a function of one argument (autograd.core's unary form).

    >>> [float(v) for v in make_jvp(lambda x: 2.0 * x, 1.0)(3.0)]
    [2.0, 6.0]
    """
    return _ops.make_jvp(fun)(x)
