"""Differentiable ``numpy.emath`` (``numpy.lib.scimath``): square roots, logarithms, powers
and inverse trigonometric functions whose results turn complex where the real ones are
undefined, as NumPy's: ``emath.sqrt(-4.0)`` is ``2j``, not nan.

NumPy decides from the values whether the input becomes complex (any negative entry for
``sqrt``, ``log``, ``power``; any entry outside [-1, 1] for ``arccos``, ``arcsin``,
``arctanh``); chainrule decides the same from the concrete values (under ``vmap``, from the
whole batch's), then differentiates the complex function (JAX's convention, docs/complex.md).

>>> import chainrule as cr
>>> sqrt(-4.0)
np.complex128(2j)
>>> cr.grad(lambda x: cr.numpy.real(sqrt(x)) + cr.numpy.imag(sqrt(x)))(-4.0)   # d(2i)/dx...
np.float64(-0.25)
"""
import numpy as np

from ..core.registry import NUMPY, COMPOSITE, add
from ..primitives.elementwise import stop_gradient
from ..primitives.util import dtype, values_or_none
from .registered import cnp

__all__ = ["sqrt", "log", "log2", "log10", "logn", "power", "arccos", "arcsin", "arctanh"]

_SINGLE = frozenset(np.dtype(t) for t in (np.single, np.byte, np.short, np.ubyte, np.ushort,
                                          np.csingle))


def _any(test, x):
    """Whether one of ``x``'s values passes ``test``; under vmap, where NumPy's choice would
    differ from example to example, True (the result is then complex for every example,
    with the same values)."""
    values = values_or_none(x)
    return True if values is None else bool(np.any(test(values)))


def _to_complex(x, test):
    """NumPy's ``_fix_real_lt_zero`` and ``_fix_real_abs_gt_1``: ``x`` as complex when one
    of its (real) values passes ``test``."""
    x = cnp.asarray(x)
    dt = dtype(x)
    if dt.kind == "c" or not _any(test, x):
        return x
    return cnp.astype(x, np.csingle if dt in _SINGLE else np.cdouble)


def _along_the_real_line(x, value, outside, inside):
    """``value`` (NumPy's complex result for the real ``x`` made complex), with the
    derivative of ``outside(|x|, sign)`` where |x| > 1 and of ``inside(x)`` elsewhere: on the
    branch cut the complex function's derivative is not the one along the real line that
    NumPy's values follow (arcsin(x + 0j) for x > 1 is π/2 + i·arccosh(x), whose derivative
    is +i/sqrt(x² - 1); the complex rule 1/sqrt(1 - z²) gives -i/sqrt(x² - 1))."""
    out = cnp.abs(x) > 1
    f = cnp.where(out, outside(cnp.where(out, cnp.abs(x), 2.0), cnp.sign(x)),
                  inside(cnp.where(out, 0.0, x)))
    return stop_gradient(value) + (f - stop_gradient(f))


def _negative(v):
    return v < 0


def _outside_unit(v):
    return np.abs(v) > 1


def sqrt(x):
    """``numpy.emath.sqrt``: the principal square root, complex for negative inputs.

    >>> sqrt([4.0, -1.0])
    array([2.+0.j, 0.+1.j])
    """
    return cnp.sqrt(_to_complex(x, _negative))


def log(x):
    """``numpy.emath.log``: the natural logarithm, complex for negative inputs.

    >>> log(-np.e)
    np.complex128(1+3.141592653589793j)
    """
    return cnp.log(_to_complex(x, _negative))


def log2(x):
    """``numpy.emath.log2``.

    >>> log2(-8.0)
    np.complex128(2.9999999999999996+4.532360141827193j)
    """
    return cnp.log2(_to_complex(x, _negative))


def log10(x):
    """``numpy.emath.log10``.

    >>> log10(-100.0)
    np.complex128(2+1.3643763538418412j)
    """
    return cnp.log10(_to_complex(x, _negative))


def logn(n, x):
    """``numpy.emath.logn``: the logarithm of ``x`` in base ``n``, differentiable in both.

    >>> logn(2, [4.0, 8.0])
    array([2., 3.])
    """
    return cnp.log(_to_complex(x, _negative)) / cnp.log(_to_complex(n, _negative))


def power(x, p):
    """``numpy.emath.power``: ``x ** p``, complex for a negative ``x``; a negative integer
    exponent is taken as a float.

    >>> power([2.0, -4.0], 0.5)
    array([1.41421356e+00+0.j, 1.22464680e-16+2.j])
    """
    p = cnp.asarray(p)
    if dtype(p).kind in "iu" and _any(_negative, p):
        p = p * 1.0
    return cnp.power(_to_complex(x, _negative), p)


def arccos(x):
    """``numpy.emath.arccos``: complex outside [-1, 1].

    >>> arccos(2.0)
    np.complex128(-1.3169578969248166j)
    """
    z = _to_complex(x, _outside_unit)
    if dtype(cnp.asarray(x)).kind == "c" or dtype(z).kind != "c":
        return cnp.arccos(z)
    return _along_the_real_line(x, cnp.arccos(z), lambda a, s: -1j * cnp.arccosh(a),
                                cnp.arccos)


def arcsin(x):
    """``numpy.emath.arcsin``: complex outside [-1, 1].

    >>> arcsin(0.5)
    np.float64(0.5235987755982989)
    """
    z = _to_complex(x, _outside_unit)
    if dtype(cnp.asarray(x)).kind == "c" or dtype(z).kind != "c":
        return cnp.arcsin(z)
    return _along_the_real_line(x, cnp.arcsin(z), lambda a, s: 1j * cnp.arccosh(a),
                                cnp.arcsin)


def arctanh(x):
    """``numpy.emath.arctanh``: complex outside [-1, 1].

    >>> arctanh(0.5)
    np.float64(0.5493061443340549)
    """
    return cnp.arctanh(_to_complex(x, _outside_unit))


for _name in __all__:
    add(NUMPY, "emath." + _name, COMPOSITE, globals()[_name])
