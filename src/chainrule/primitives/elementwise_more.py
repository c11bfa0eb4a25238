"""More of NumPy's elementwise functions: ``copysign``, ``i0``, ``modf``, ``frexp``,
``ldexp``, ``spacing``, ``nextafter``, and the integer functions (``gcd``, ``lcm``, the
bitwise operations and shifts, ``isnat``), which pass through with a zero derivative.

``i0``'s derivative is I₁, and I₁'s is (I₀ + I₂)/2: the modified Bessel functions of
integer order n ≥ 1 are computed here by their power series
Iₙ(x) = Σₖ (x/2)^(2k+n) / (k! (k+n)!), whose terms are all of one sign (no cancellation:
the sum is accurate to a few ulps up to the overflow near |x| = 713, in about |x|/2 + 30
terms). Every derivative is again such a series, so ``i0`` is exact to any order with
NumPy alone (no SciPy).

>>> import chainrule as cr
>>> round(float(cr.grad(i0)(1.0)), 12)   # I₁(1)
0.565159103992
"""

import math

import numpy as np

from ..core.primitive import Primitive
from ..core.registry import NonZero
from .declare import declare, reads
from .basic import elementwise_batch, broadcast_like, unbroadcast
from .util import dtype
from . import elementwise as E

# ---- copysign -------------------------------------------------------------------------------


def _copysign_dx(ans, x, y):
    # ±1: +1 where x already has y's sign (signbit, so that ±0 and nan count too)
    one = np.ones((), dtype=dtype(ans))
    return E.where(E.equal(E.signbit(x), E.signbit(y)), one, -one)


copysign = E.binary("copysign", np.copysign, _copysign_dx,
                    lambda ans, x, y: np.zeros((), dtype=dtype(ans)),
                    domain=(NonZero(0.2, 2.0), NonZero(0.2, 2.0)), uses=(reads(0, 1), reads()))


# ---- i0 and the Bessel series -----------------------------------------------------------------
def _bessel_i_series_impl(x, order):
    """Iₙ(x) for an integer order n ≥ 0 by its power series, in x's floating dtype."""
    x = np.asarray(x)
    dt = x.dtype if x.dtype.kind == "f" else np.dtype(np.float64)
    h = x.astype(np.float64) / 2.0
    q = h * h
    with np.errstate(over="ignore", invalid="ignore"):
        term = h ** order / math.factorial(order)
        total = term.copy()
        for k in range(1, 5000):
            term = term * q / (k * (k + order))
            total = total + term
            # stops also on nan (no comparison holds) and on an overflow to inf
            if not np.any(np.abs(term) > 1e-17 * np.abs(total)):
                break
    return total.astype(dt)[()] if np.ndim(total) == 0 else total.astype(dt)


def _bessel_i_tangent(x, order):
    # Iₙ' = (Iₙ₋₁ + Iₙ₊₁)/2, with I₋₁ = I₁
    return 0.5 * (bessel_i(x, order=abs(order - 1)) + bessel_i(x, order=order + 1))


bessel_i = Primitive("bessel_i_series", _bessel_i_series_impl)
declare(bessel_i,
        jvp=[lambda t, ans, x, order: t * _bessel_i_tangent(x, order)],
        vjp=[lambda g, ans, x, order: g * _bessel_i_tangent(x, order)],
        batch=elementwise_batch(bessel_i), names=(), residuals=reads(0))


def _i0_impl(x):
    if np.iscomplexobj(x):
        raise TypeError("i0 not supported for complex values")  # NumPy's refusal, as a TypeError
    return np.i0(x)


def _i0_public(x):
    """The modified Bessel function of the first kind of order 0 (numpy.i0, its values); its
    derivative is I₁, summed by its series (no SciPy needed).

    >>> float(i0(0.0))
    1.0
    """
    return _i0(x)


_i0 = Primitive("numpy_i0", _i0_impl)
i0 = _i0_public
declare(_i0, jvp=[lambda t, ans, x: t * bessel_i(x, order=1)],
        vjp=[lambda g, ans, x: g * bessel_i(x, order=1)], batch=elementwise_batch(_i0),
        names=("i0",), public=_i0_public, family="unary", residuals=reads(0))


# ---- modf, frexp, ldexp ---------------------------------------------------------------------------
def _ldexp_public(x1, x2, /, out=None, **kwargs):
    """x1 · 2**x2 (numpy.ldexp), linear in x1 (its derivative is 2**x2); x2 is an integer
    exponent (not differentiable).

    >>> float(ldexp(1.5, 3))
    12.0
    """
    _no_ufunc_keywords("ldexp", out, kwargs)
    return ldexp(x1, x2)


ldexp = Primitive("ldexp", np.ldexp)
declare(ldexp, jvp=[lambda t, ans, x, n: broadcast_like(ldexp(t, n), ans), None],
        vjp=[lambda g, ans, x, n: unbroadcast(ldexp(g, n), x), None],
        batch=elementwise_batch(ldexp), public=_ldexp_public, residuals=(reads(1), reads()))

_frexp_exponent = E.step("frexp_exponent", lambda x: np.frexp(x)[1], 1, names=())


def frexp(x, /, out=None, **kwargs):
    """Mantissa and exponent, x = m · 2**e with 0.5 ≤ |m| < 1 (numpy.frexp); dm/dx = 2**(−e),
    e an integer (zero derivative).

    >>> frexp(np.array([8.0, -3.0]))
    (array([ 0.5 , -0.75]), array([4, 2], dtype=int32))
    """
    _no_ufunc_keywords("frexp", out, kwargs)
    return _mantissa(x), _frexp_exponent(x)


# m = x·2**(−e) with e piecewise constant: linear in x between powers of two
_mantissa = Primitive("frexp_mantissa", lambda x: np.frexp(x)[0])
declare(_mantissa, jvp=[lambda t, ans, x: ldexp(t, -_frexp_exponent(x))],
        vjp=[lambda g, ans, x: ldexp(g, -_frexp_exponent(x))],
        batch=elementwise_batch(_mantissa), names=("frexp",), public=frexp, residuals=reads(0))


def modf(x, /, out=None, **kwargs):
    """The fractional and integral parts (numpy.modf); the fraction has derivative 1 (except
    at the integers, where it jumps), the integral part 0.

    >>> modf(np.array([2.5, -0.25]))
    (array([ 0.5 , -0.25]), array([ 2., -0.]))
    """
    _no_ufunc_keywords("modf", out, kwargs)
    fraction = _modf_fraction(x)
    # integers and booleans: both parts in the fraction's float dtype, as NumPy's loop
    whole = x if dtype(x) == dtype(fraction) else E.astype(x, dtype=dtype(fraction))
    return fraction, E.trunc(whole)


_modf_fraction = Primitive("modf_fraction", lambda x: np.modf(x)[0])
declare(_modf_fraction, jvp=[lambda t, ans, x: t], vjp=[lambda g, ans, x: g],
        batch=elementwise_batch(_modf_fraction), names=("modf",), public=modf,
        residuals=reads())


def _no_ufunc_keywords(name, out, kwargs):
    if out is not None or kwargs:
        raise TypeError(f"{name}: out= and the ufunc keywords {sorted(kwargs)} are not "
                        f"supported; assign the results instead")


# ---- floating-point neighbours ---------------------------------------------------------------------
spacing = E.step("spacing", np.spacing, 1)
# nextafter(x1, x2) is x1 moved by one ulp: x1 plus a piecewise-constant step, so its
# derivative is 1 in x1 (0 in x2), not 0
nextafter = E.binary("nextafter", np.nextafter, lambda ans, x, y: np.ones((), dtype=dtype(ans)),
                     lambda ans, x, y: np.zeros((), dtype=dtype(ans)),
                     uses=(reads(), reads()))


# ---- integers: zero derivative, values as NumPy's ---------------------------------------------------
def _integer(name, fn, names=None):
    p = Primitive(name, fn)
    return declare(p, jvp=None, vjp=None, batch=elementwise_batch(p), names=names,
                   family="integer")


gcd = _integer("gcd", np.gcd)
lcm = _integer("lcm", np.lcm)
bitwise_and = _integer("bitwise_and", np.bitwise_and)
bitwise_or = _integer("bitwise_or", np.bitwise_or)
bitwise_xor = _integer("bitwise_xor", np.bitwise_xor)
invert = _integer("invert", np.invert, names=("invert", "bitwise_not", "bitwise_invert"))
left_shift = _integer("left_shift", np.left_shift, names=("left_shift", "bitwise_left_shift"))
right_shift = _integer("right_shift", np.right_shift,
                       names=("right_shift", "bitwise_right_shift"))
bitwise_count = _integer("bitwise_count", np.bitwise_count)
isnat = _integer("isnat", np.isnat)
