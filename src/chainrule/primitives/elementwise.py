"""Elementwise primitives (NumPy ufuncs) with their JVP and VJP rules.

Each primitive is defined on one line with the derivative it needs; the rules
are built from that derivative by two small families:

- ``unary(name, fn, d)``: ``d(ans, x)`` is df/dx; JVP ``t * d``, VJP ``g * d``.
- ``binary(name, fn, dx, dy)``: partial derivatives; broadcasting is undone
  by :func:`~chainrule.primitives.util.unbroadcast` in the VJP and redone by
  :func:`~chainrule.primitives.util.broadcast_like` in the JVP.

Derivatives are written with chainrule operations, so rules differentiate.
"""

import operator

import numpy as np

from ..core.primitive import Primitive
from .util import defrules, nondiff, unbroadcast, broadcast_like, lower

# Python floats, not NumPy scalars: under NumPy 2 a NumPy float64 scalar would
# promote float32 arrays to float64, a Python float does not.
_LN2 = float(np.log(2.0))
_LN10 = float(np.log(10.0))


def unary(name, fn, d):
    p = Primitive(name, fn)
    defrules(p, [lambda t, ans, x: t * d(ans, x)], [lambda g, ans, x: g * d(ans, x)])
    return p



def binary(name, fn, dx, dy):
    p = Primitive(name, fn)
    defrules(
        p,
        [lambda t, ans, x, y: broadcast_like(t * dx(ans, x, y), ans),
         lambda t, ans, x, y: broadcast_like(t * dy(ans, x, y), ans)],
        [lambda g, ans, x, y: unbroadcast(g * dx(ans, x, y), x),
         lambda g, ans, x, y: unbroadcast(g * dy(ans, x, y), y)])
    return p


# NumPy scalars and arrays: Python's operators give the ufunc's result (they call
# it for arrays) but skip its ~0.6 µs dispatch for scalars, which dominates
# scalar programs. Anything else (lists, ints, ...) goes to the ufunc itself,
# so the semantics stay NumPy's.
_FAST = frozenset({float, np.float64, np.float32, np.ndarray})


def _fast_binary(op, ufunc):
    def impl(x, y):
        if type(x) in _FAST and type(y) in _FAST:
            return op(x, y)
        return ufunc(x, y)
    impl.__name__ = ufunc.__name__
    return impl


def _divide_impl(x, y):
    # Two Python floats would raise ZeroDivisionError where NumPy returns inf.
    if type(x) in _FAST and type(y) in _FAST and not (type(x) is float and type(y) is float):
        return x / y
    return np.divide(x, y)


def _negative_impl(x):
    return -x if type(x) in _FAST else np.negative(x)


# ---- linear ones get hand-written rules: no multiplication by one ----------
add = Primitive("add", _fast_binary(operator.add, np.add))
defrules(add,
         [lambda t, ans, x, y: broadcast_like(t, ans), lambda t, ans, x, y: broadcast_like(t, ans)],
         [lambda g, ans, x, y: unbroadcast(g, x), lambda g, ans, x, y: unbroadcast(g, y)])

subtract = Primitive("subtract", _fast_binary(operator.sub, np.subtract))
defrules(subtract,
         [lambda t, ans, x, y: broadcast_like(t, ans),
          lambda t, ans, x, y: broadcast_like(negative(t), ans)],
         [lambda g, ans, x, y: unbroadcast(g, x), lambda g, ans, x, y: unbroadcast(negative(g), y)])

negative = Primitive("negative", _negative_impl)
defrules(negative, [lambda t, ans, x: negative(t)], [lambda g, ans, x: negative(g)])

multiply = Primitive("multiply", _fast_binary(operator.mul, np.multiply))
defrules(multiply,
         [lambda t, ans, x, y: broadcast_like(t * y, ans), lambda t, ans, x, y: broadcast_like(x * t, ans)],
         [lambda g, ans, x, y: unbroadcast(g * y, x), lambda g, ans, x, y: unbroadcast(x * g, y)])

divide = Primitive("divide", _divide_impl)
defrules(divide,
         [lambda t, ans, x, y: broadcast_like(t / y, ans),
          lambda t, ans, x, y: broadcast_like(negative(t * ans) / y, ans)],
         [lambda g, ans, x, y: unbroadcast(g / y, x),
          lambda g, ans, x, y: unbroadcast(negative(g * ans) / y, y)])


def _pow_dx(ans, x, y):
    # y * x**(y-1), written so that x = 0 with y >= 1 gives a finite value.
    if type(y) is int or type(y) is float:
        if y == 2:
            return 2.0 * x  # the most common exponent: one operation instead of two
        if y == 1:
            return 1.0
        if y == 0:
            return 0.0  # d/dx x**0 = 0, also at x = 0 (0 * 0**-1 would be nan)
    return y * power(x, y - 1)


def _pow_dy(ans, x, y):
    # ans * log(x); where x == 0 the contribution is 0 (lim x^y log x = 0 for y > 0).
    safe = where(equal(x, 0), 1.0, x)
    return where(equal(x, 0), 0.0, ans * log(safe))


def _power_impl(x, y):
    # ndarray.__pow__ takes fast paths for y in (2, 0.5, 1, -1); np.power does not.
    return x ** y if isinstance(x, np.ndarray) else np.power(x, y)


power = binary("power", _power_impl, _pow_dx, _pow_dy)
arctan2 = binary("arctan2", np.arctan2,
                 lambda ans, y, x: x / (x * x + y * y),
                 lambda ans, y, x: negative(y) / (x * x + y * y))
hypot = binary("hypot", np.hypot, lambda ans, x, y: x / ans, lambda ans, x, y: y / ans)
logaddexp = binary("logaddexp", np.logaddexp,
                   lambda ans, x, y: exp(x - ans), lambda ans, x, y: exp(y - ans))
logaddexp2 = binary("logaddexp2", np.logaddexp2,
                    lambda ans, x, y: power(2.0, x - ans), lambda ans, x, y: power(2.0, y - ans))


def _max_mask(ans, x, y):
    # Ties split the derivative evenly, as in JAX: the rule stays symmetric. The mask
    # is a constant array in the operands' dtype (float32 stays float32).
    dt = np.result_type(lower(x), lower(y))
    dt = dt if dt.kind == "f" else np.float64
    return greater(x, y).astype(dt) + 0.5 * equal(x, y).astype(dt)


maximum = binary("maximum", np.maximum, _max_mask, lambda ans, x, y: _max_mask(ans, y, x))
minimum = binary("minimum", np.minimum,
                 lambda ans, x, y: _max_mask(ans, y, x), _max_mask)
fmax = binary("fmax", np.fmax, _max_mask, lambda ans, x, y: _max_mask(ans, y, x))
fmin = binary("fmin", np.fmin, lambda ans, x, y: _max_mask(ans, y, x), _max_mask)

# ---- unary --------------------------------------------------------------------
exp = Primitive("exp", np.exp)
defrules(exp, [lambda t, ans, x: t * ans], [lambda g, ans, x: g * ans])
exp2 = unary("exp2", np.exp2, lambda ans, x: ans * _LN2)
expm1 = unary("expm1", np.expm1, lambda ans, x: ans + 1.0)
log = unary("log", np.log, lambda ans, x: reciprocal(x))
log1p = unary("log1p", np.log1p, lambda ans, x: reciprocal(x + 1.0))
log2 = unary("log2", np.log2, lambda ans, x: reciprocal(x * _LN2))
log10 = unary("log10", np.log10, lambda ans, x: reciprocal(x * _LN10))
sqrt = unary("sqrt", np.sqrt, lambda ans, x: 0.5 / ans)
cbrt = unary("cbrt", np.cbrt, lambda ans, x: reciprocal(3.0 * ans * ans))
square = unary("square", np.square, lambda ans, x: 2.0 * x)
reciprocal = unary("reciprocal", np.reciprocal, lambda ans, x: negative(ans * ans))
absolute = unary("absolute", np.absolute, lambda ans, x: sign(x))
# The hottest rules are written out (one Python call less per use than unary()).
sin = Primitive("sin", np.sin)
defrules(sin, [lambda t, ans, x: t * cos(x)], [lambda g, ans, x: g * cos(x)])
cos = Primitive("cos", np.cos)
defrules(cos, [lambda t, ans, x: negative(t * sin(x))], [lambda g, ans, x: negative(g * sin(x))])
tan = unary("tan", np.tan, lambda ans, x: 1.0 + ans * ans)
arcsin = unary("arcsin", np.arcsin, lambda ans, x: reciprocal(sqrt(1.0 - x * x)))
arccos = unary("arccos", np.arccos, lambda ans, x: negative(reciprocal(sqrt(1.0 - x * x))))
arctan = unary("arctan", np.arctan, lambda ans, x: reciprocal(1.0 + x * x))
sinh = unary("sinh", np.sinh, lambda ans, x: cosh(x))
cosh = unary("cosh", np.cosh, lambda ans, x: sinh(x))
tanh = Primitive("tanh", np.tanh)
defrules(tanh, [lambda t, ans, x: t * (1.0 - ans * ans)], [lambda g, ans, x: g * (1.0 - ans * ans)])
arcsinh = unary("arcsinh", np.arcsinh, lambda ans, x: reciprocal(sqrt(x * x + 1.0)))
arccosh = unary("arccosh", np.arccosh, lambda ans, x: reciprocal(sqrt(x * x - 1.0)))
arctanh = unary("arctanh", np.arctanh, lambda ans, x: reciprocal(1.0 - x * x))
deg2rad = unary("deg2rad", np.deg2rad, lambda ans, x: np.pi / 180.0)
rad2deg = unary("rad2deg", np.rad2deg, lambda ans, x: 180.0 / np.pi)
sinc = unary("sinc", np.sinc,
             # At x = 0 the derivative is 0; it is written -(π²/3)·x there (its Taylor
             # expansion) so that the second derivative sinc''(0) = -π²/3 is right too.
             lambda ans, x: where(equal(x, 0), (-np.pi ** 2 / 3.0) * x,
                                  (cos(np.pi * x) - ans) / where(equal(x, 0), 1.0, x)))

# positive and copy are the identity; their rules pass tangents through.
positive = Primitive("positive", np.positive)
defrules(positive, [lambda t, ans, x: t], [lambda g, ans, x: g])

# ---- zero derivative: step functions and tests ----------------------------------
sign = nondiff("sign", np.sign)
floor = nondiff("floor", np.floor)
ceil = nondiff("ceil", np.ceil)
rint = nondiff("rint", np.rint)
trunc = nondiff("trunc", np.trunc)
fix = nondiff("fix", np.fix)
round = nondiff("round", lambda x, decimals=0: np.round(x, decimals))  # noqa: A001
greater = nondiff("greater", np.greater)
greater_equal = nondiff("greater_equal", np.greater_equal)
less = nondiff("less", np.less)
less_equal = nondiff("less_equal", np.less_equal)
equal = nondiff("equal", np.equal)
not_equal = nondiff("not_equal", np.not_equal)
logical_and = nondiff("logical_and", np.logical_and)
logical_or = nondiff("logical_or", np.logical_or)
logical_xor = nondiff("logical_xor", np.logical_xor)
logical_not = nondiff("logical_not", np.logical_not)
isfinite = nondiff("isfinite", np.isfinite)
isinf = nondiff("isinf", np.isinf)
isnan = nondiff("isnan", np.isnan)
signbit = nondiff("signbit", np.signbit)
floor_divide = nondiff("floor_divide", np.floor_divide)


# ---- selection --------------------------------------------------------------------
def _where_impl(cond, x, y):
    return np.where(cond, x, y)


where = Primitive("where", _where_impl)
defrules(where,
         [None,
          lambda t, ans, c, x, y: broadcast_like(where(c, t, 0.0), ans),
          lambda t, ans, c, x, y: broadcast_like(where(c, 0.0, t), ans)],
         [None,
          lambda g, ans, c, x, y: unbroadcast(where(c, g, 0.0), x),
          lambda g, ans, c, x, y: unbroadcast(where(c, 0.0, g), y)])


def _clip_impl(x, lo, hi):
    return np.clip(x, lo, hi)


def _inside(x, lo, hi):
    m = True
    if lo is not None:
        m = logical_and(m, greater_equal(x, lo))
    if hi is not None:
        m = logical_and(m, less_equal(x, hi))
    return m


clip = Primitive("clip", _clip_impl)
defrules(clip,
         [lambda t, ans, x, lo, hi: broadcast_like(where(_inside(x, lo, hi), t, 0.0), ans),
          lambda t, ans, x, lo, hi: broadcast_like(where(less(x, lo), t, 0.0), ans),
          lambda t, ans, x, lo, hi: broadcast_like(where(greater(x, hi), t, 0.0), ans)],
         [lambda g, ans, x, lo, hi: unbroadcast(where(_inside(x, lo, hi), g, 0.0), x),
          lambda g, ans, x, lo, hi: unbroadcast(where(less(x, lo), g, 0.0), lo),
          lambda g, ans, x, lo, hi: unbroadcast(where(greater(x, hi), g, 0.0), hi)])
