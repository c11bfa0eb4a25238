"""Elementwise primitives (NumPy ufuncs) with their JVP, VJP and batching rules.

Each primitive is declared on one line with the derivative it needs; the rules
are built from that derivative by small families, which also give every member
its batching rule, its public name and the domain its rule tests draw from:

- ``unary(name, fn, d)``: ``d(ans, x)`` is df/dx; JVP ``t * d``, VJP ``g * d``.
- ``binary(name, fn, dx, dy)``: partial derivatives; broadcasting is undone
  by :func:`~chainrule.primitives.basic.unbroadcast` in the VJP and redone by
  :func:`~chainrule.primitives.basic.broadcast_like` in the JVP.
- ``step(name, fn, arity)``: zero derivative (comparisons, rounding, tests).

Derivatives are written with chainrule operations, so rules differentiate.
Adding an elementwise function is one line here, e.g.::

    exp2 = unary("exp2", np.exp2, lambda ans, x: ans * _LN2, domain=Interval(-2.0, 2.0), uses=reads("ans"))

>>> import chainrule as cr
>>> float(cr.grad(exp2)(3.0))      # 2**3 * ln 2
5.545177444479562
"""

import math
import operator

import numpy as np

from ..core.primitive import Primitive
from ..core import registry
from ..core.registry import Interval, NonZero, SPECIAL
from .declare import declare, reads
from ..interpreters.reverse import fresh_vjp_rules, inplace_vjp_rules, inplace_diagonal_rules
from .basic import unbroadcast, broadcast_like, elementwise_batch, real
from .util import lower, dtype, numpy_scalar
from .arrays import (is_numpy, is_foreign, is_lazy, by_blocks, zero_wins, foreign_binary,
                     ufunc_primitive, standard_call, standard_dtype, array_api_only,
                     namespace_of)
from .dask_cotangents import nan_safe_product

# Python floats, not NumPy scalars: under NumPy 2 a NumPy float64 scalar would
# promote float32 arrays to float64, a Python float does not.
_LN2 = float(np.log(2.0))
_LN10 = float(np.log(10.0))


def elementwise(prim, jvp, vjp, *, family, domain=None, names=None, namespace=None, public=None,
                residuals=None):
    """Declare an elementwise primitive with hand-written rules (batching by the family)."""
    extra = {} if namespace is None else {"namespace": namespace}
    ufunc_primitive(prim)  # array-api-strict arrays: the standard's function, once one is seen
    return declare(prim, jvp=jvp, vjp=vjp, batch=elementwise_batch(prim), family=family,
                   domain=domain, names=names, public=public, residuals=residuals, **extra)


def _fresh(prim):
    """Mark ``prim``'s VJP contributions as new arrays (a product, or a sum over broadcast
    axes) that nothing else holds, so that the backward pass may add later contributions
    into them in place instead of allocating a sum (``x * x`` adds two)."""
    fresh_vjp_rules.add(prim)
    return prim


def _fits(g, x):
    """Whether ``x``'s cotangent contribution may be written into the array ``g``: it has
    ``x``'s shape (no broadcast axes to sum) and no real part is to be taken of it."""
    return np.shape(x) == g.shape and (g.dtype.kind != "c" or dtype(x).kind == "c")


def _times_into(g, f):
    """``g *= f`` when ``g * f`` has ``g``'s shape and dtype (the same arithmetic, so the
    same bits); None, with ``g`` untouched, otherwise. Never for a complex ``g``: NumPy's
    complex product is not bit for bit the same in place (size 1) nor with its operands
    swapped (fused multiply-adds), so only a real product is sure to match its rule."""
    if g.dtype.kind == "c":
        return None
    if type(f) is np.ndarray:
        if f.shape != g.shape and np.broadcast_shapes(f.shape, g.shape) != g.shape:
            return None
        if f.dtype != g.dtype and np.result_type(g, f) != g.dtype:
            return None
    elif type(f) is not float or g.dtype.kind not in "fc":
        if not is_numpy(f) or np.ndim(f) > g.ndim or np.result_type(g, f) != g.dtype:
            return None
    np.multiply(g, f, out=g)
    return g


def _times_into_nan_safe(g, f):
    """``nan_safe_multiply(g, f)`` into ``g`` (see :func:`_times_into`), when ``f`` is
    finite: then a NaN of the product comes from ``g`` alone, and where ``f`` is 0 the
    zero wins as in :func:`_zero_wins`, which needs ``f`` only."""
    if type(f) is np.ndarray:
        with np.errstate(over="ignore", invalid="ignore"):  # a test, not the program's sum
            if not np.isfinite(np.add.reduce(f, axis=None)):
                return None
    elif type(f) is not float or f - f != 0.0:
        return None
    if _times_into(g, f) is None:
        return None
    if g.dtype.kind == "f" and g.size:
        s = np.add.reduce(g, axis=None)
        if s != s:
            np.copyto(g, 0, where=np.logical_and(np.isnan(g), np.equal(f, 0)))
    return g


def _negate_into(g):
    np.negative(g, out=g)
    return g


def _inplace(prim, *rules):
    """Register in-place forms of ``prim``'s per-argument VJP rules (see
    :data:`~chainrule.interpreters.reverse.inplace_vjp_rules`); each returns ``g``
    holding the contribution, or None."""
    inplace_vjp_rules[prim] = rules
    return prim


def unary(name, fn, d, *, domain=None, names=None, namespace=None, nan_safe=False, uses=None):
    """f(x) with derivative ``d(ans, x)``.

    ``nan_safe=True`` for a function whose derivative can be inf or nan where a
    program may still use it (a pole, the edge of the domain, overflow): a zero
    tangent or cotangent then contributes exactly zero (see :data:`nan_safe_multiply`).
    ``uses``: what ``d`` reads, :func:`~chainrule.primitives.declare.reads` of ``0``
    (x) and/or ``"ans"``, so that reverse mode keeps only that (default: both).
    """
    if nan_safe:
        prim = _fresh(elementwise(Primitive(name, fn),
                                  [lambda t, ans, x: nan_safe_multiply(t, d(ans, x))],
                                  [lambda g, ans, x: nan_safe_multiply(g, d(ans, x))],
                                  family="unary", domain=domain, names=names,
                                  namespace=namespace, residuals=uses))
        return _inplace(prim, lambda g, ans, x: _times_into_nan_safe(g, d(ans, x))
                        if _fits(g, x) else None)
    prim = _fresh(elementwise(Primitive(name, fn), [lambda t, ans, x: t * d(ans, x)],
                              [lambda g, ans, x: g * d(ans, x)], family="unary", domain=domain,
                              names=names, namespace=namespace, residuals=uses))
    return _inplace(prim, lambda g, ans, x: _times_into(g, d(ans, x)) if _fits(g, x) else None)


def binary(name, fn, dx, dy, *, domain=None, names=None, nan_safe=False, uses=None):
    """f(x, y) with partial derivatives ``dx(ans, x, y)`` and ``dy(ans, x, y)``
    (``nan_safe`` as for :func:`unary`; ``uses``: a pair, what ``dx`` and ``dy`` read)."""
    mul = nan_safe_multiply if nan_safe else operator.mul
    return _fresh(elementwise(
        Primitive(name, fn),
        [lambda t, ans, x, y: broadcast_like(mul(t, dx(ans, x, y)), ans),
         lambda t, ans, x, y: broadcast_like(mul(t, dy(ans, x, y)), ans)],
        [lambda g, ans, x, y: unbroadcast(mul(g, dx(ans, x, y)), x),
         lambda g, ans, x, y: unbroadcast(mul(g, dy(ans, x, y)), y)],
        family="binary", domain=domain, names=names, residuals=uses))


def step(name, fn, arity, *, names=None, public=None):
    """A piecewise-constant function or a test: zero derivative, output never traced."""
    p = ufunc_primitive(Primitive(name, fn))
    return declare(p, jvp=None, vjp=None, batch=elementwise_batch(p), names=names,
                   family="unary" if arity == 1 else "binary", public=public)


# NumPy scalars and arrays: Python's operators give the ufunc's result (they call
# it for arrays) but skip its ~0.6 µs dispatch for scalars, which dominates
# scalar programs. Anything else (lists, ints, ...) goes to the ufunc itself,
# so the semantics stay NumPy's.
_FAST = frozenset({float, np.float64, np.float32, np.ndarray})


# A Python float with a Python int (or bool): what Python's operator gives, a Python float.
# jit traces a Python float argument, so ``y - 1`` reaches the primitive there (eagerly Python
# computes it); NumPy's np.float64 would not be weak next to a float32 as Python's float is
# (x32 * (y - 1) would become float64 under jit only).
# Python complex numbers likewise (a weak complex next to a float32 gives complex64).
_PY_NUMBERS = frozenset({float, int, bool, complex})


def _python_floats(x, y):
    tx, ty = type(x), type(y)
    return (tx is float or ty is float or tx is complex or ty is complex) \
        and tx in _PY_NUMBERS and ty in _PY_NUMBERS


def _as_python(r):
    """NumPy's result on two Python numbers, as the Python number of its value."""
    t = type(r)
    return float(r) if t is np.float64 else complex(r) if t is np.complex128 else r


def _fast_binary(op, ufunc):
    def impl(x, y):
        if type(x) in _FAST and type(y) in _FAST:
            return op(x, y)
        if _python_floats(x, y):
            # NumPy's arithmetic (its complex products), as a Python number: stays weak
            return _as_python(ufunc(x, y))
        if is_foreign(x) or is_foreign(y):  # Dask, CuPy, ...: one library, its operator
            return foreign_binary(op, ufunc, x, y)
        return ufunc(x, y)  # NumPy's values, lists and tuples included
    impl.__name__ = ufunc.__name__
    return impl


def _divide_impl(x, y):
    # Two Python floats would raise ZeroDivisionError where NumPy returns inf.
    if type(x) in _FAST and type(y) in _FAST and not (type(x) is float and type(y) is float):
        return x / y
    if _python_floats(x, y):  # NumPy's inf or nan, as a Python number (see _fast_binary)
        return _as_python(np.divide(x, y))
    if is_foreign(x) or is_foreign(y):
        return foreign_binary(operator.truediv, np.divide, x, y)
    return np.divide(x, y)


def _negative_impl(x):
    return -x if type(x) in _FAST or array_api_only(x) else np.negative(x)


# ---- NaN-safe products: an exact zero factor gives an exact zero --------------------------
def _zero_wins(r, a, b=None):
    """``r`` (a fresh result of ``a * b`` or ``a / b``) with 0 where it is NaN and ``a``
    (or ``b``, when given) is exactly zero. The NaN test is one reduction, so arrays
    without NaN (almost all) pay a sum, not a mask."""
    if type(r) is np.ndarray:
        if r.dtype.kind not in "fc" or r.size == 0:  # complex too: 0·(nan+nanj) is 0
            return r
        if r.size >= _UNIFORM_MIN and (_finite_nonzero_broadcast(a) or
                                       (b is not None and _finite_nonzero_broadcast(b))):
            return r  # no zero factor where r is NaN: nothing to fix, and no pass to look
        s = np.add.reduce(r, axis=None)
        if s == s:  # no NaN (a NaN, or +inf and -inf, make the sum NaN)
            return r
        zero = np.equal(a, 0) if b is None else np.logical_or(np.equal(a, 0), np.equal(b, 0))
        np.copyto(r, 0, where=np.logical_and(np.isnan(r), zero))
        return r
    if not is_numpy(r):  # another library's array (Dask, CuPy): no branch on values
        return zero_wins(r, a, b)
    if r != r and (a == 0 or (b is not None and b == 0)):
        # (a complex NaN times 0 is NaN: the zero is made, not multiplied)
        return type(r)(0) if isinstance(r, (float, complex, np.inexact)) else r * 0
    return r


# A cotangent that is one value broadcast (a sum's, a mean's: the first rule after the
# reduction) times a partial derivative: where that value is finite and nonzero, a NaN of
# the product comes from a NaN partial, never from 0·inf, so the NaN test (a pass over the
# product) is skipped. Only for arrays this large: the test costs more than it saves below.
_UNIFORM_MIN = 4096


def _finite_nonzero_broadcast(x):
    """True for a NumPy array that is one finite nonzero value broadcast (all strides 0)."""
    if type(x) is not np.ndarray or not x.ndim or any(x.strides):
        return False
    v = x.flat[0]
    return bool(v != 0 and np.isfinite(v))


# Types that are never a Dask array (tested before the slower is_lazy)
_PLAIN = _FAST | {int, bool, complex}


def _nan_safe_multiply_impl(a, b):
    if type(a) in _FAST and type(b) in _FAST:
        return _zero_wins(a * b, a, b)
    if not (type(a) in _PLAIN and type(b) in _PLAIN) and (is_lazy(a) or is_lazy(b)):
        # Dask: one task per block (a factor c * u or a cotangent -g folded into it)
        return nan_safe_product(a, b, _nan_safe_multiply_impl, _nan_safe_scaled_block)
    return _zero_wins(_multiply(a, b), a, b)


def _nan_safe_scaled_block(g, u, c):
    # nan_safe_multiply(g, u * c) of NumPy blocks (Dask's, see dask_cotangents), the product
    # written into the new array u * c: one array where the rules' graph writes two. A real
    # product is exactly rounded and commutes, so the bits are those of g * (u * c).
    r = np.multiply(u, c)
    if type(r) is not np.ndarray or type(g) is not np.ndarray or r.dtype.kind != "f" or \
            np.result_type(g, r) != r.dtype or np.broadcast_shapes(g.shape, r.shape) != r.shape:
        return _nan_safe_multiply_impl(g, r)
    one = g.size == 1 or (g.size and not any(g.strides))  # one value (a sum's cotangent)
    if not (one and g.flat[0] == 1):  # (times 1: r itself)
        np.multiply(r, g, out=r)
    if r.size and not (r.size >= _UNIFORM_MIN and one and np.isfinite(g.flat[0]) and
                       g.flat[0] != 0):  # (then a NaN is the factor's: see _zero_wins)
        s = np.add.reduce(r, axis=None)
        if s != s:  # zero wins, as in _zero_wins (u * c again: the factor, overwritten)
            zero = np.logical_or(np.equal(g, 0), np.equal(np.multiply(u, c), 0))
            np.copyto(r, 0, where=np.logical_and(np.isnan(r), zero))
    return r


_multiply = _fast_binary(operator.mul, np.multiply)  # NumPy's, or another library's


def _nan_safe_divide_impl(a, b):
    if not (type(a) in _PLAIN and type(b) in _PLAIN) and (is_lazy(a) or is_lazy(b)):
        return by_blocks(_nan_safe_divide_impl, a, b)
    return _zero_wins(_divide_impl(a, b), a)


# ``nan_safe_multiply(a, b)`` is a * b except that an exact zero on either side wins
# (0 · inf = 0 · nan = 0), and ``nan_safe_divide(a, b)`` is a / b with a zero numerator
# winning (0 / 0 = 0): a tangent or cotangent that is exactly zero contributes exactly
# zero, as ForwardDiff.jl's NaN-safe mode does for partials. The rules of functions whose
# derivative can be inf or nan at a point a program still reaches (sqrt at 0, log at 0,
# the masked branch of a ``where``) multiply by their derivative with these, so that the
# branch ``where`` did not select contributes 0 in reverse mode as in forward mode.
def _quotient_dy(c, ans, y):
    # d(x/y)/dy · c = -c · (x/y) / y
    return negative(nan_safe_divide(nan_safe_multiply(c, ans), y))


def _quotient_rules():
    """JVP and VJP rules of x / y, written with the NaN-safe product and quotient."""
    return ([lambda t, ans, x, y: broadcast_like(nan_safe_divide(t, y), ans),
             lambda t, ans, x, y: broadcast_like(_quotient_dy(t, ans, y), ans)],
            [lambda g, ans, x, y: unbroadcast(nan_safe_divide(g, y), x),
             lambda g, ans, x, y: unbroadcast(_quotient_dy(g, ans, y), y)])


nan_safe_multiply = elementwise(
    Primitive("nan_safe_multiply", _nan_safe_multiply_impl),
    [lambda t, ans, x, y: broadcast_like(nan_safe_multiply(t, y), ans),
     lambda t, ans, x, y: broadcast_like(nan_safe_multiply(x, t), ans)],
    [lambda g, ans, x, y: unbroadcast(nan_safe_multiply(g, y), x),
     lambda g, ans, x, y: unbroadcast(nan_safe_multiply(x, g), y)],
    family="binary", names=(), residuals=(reads(1), reads(0)))
# d(x/y)/dx reads y; d(x/y)/dy reads y and x/y.
_QUOTIENT_READS = (reads(1), reads(1, "ans"))
nan_safe_divide = elementwise(Primitive("nan_safe_divide", _nan_safe_divide_impl),
                              *_quotient_rules(), family="binary", names=(),
                              residuals=_QUOTIENT_READS)

_DENOMINATOR = (None, NonZero(0.5, 2.0))

# ---- linear ones get hand-written rules: no multiplication by one ----------
add = elementwise(
    Primitive("add", _fast_binary(operator.add, np.add)),
    [lambda t, ans, x, y: broadcast_like(t, ans), lambda t, ans, x, y: broadcast_like(t, ans)],
    [lambda g, ans, x, y: unbroadcast(g, x), lambda g, ans, x, y: unbroadcast(g, y)],
    family="binary", residuals=reads())
subtract = elementwise(
    Primitive("subtract", _fast_binary(operator.sub, np.subtract)),
    [lambda t, ans, x, y: broadcast_like(t, ans),
     lambda t, ans, x, y: broadcast_like(negative(t), ans)],
    [lambda g, ans, x, y: unbroadcast(g, x), lambda g, ans, x, y: unbroadcast(negative(g), y)],
    family="binary", residuals=reads())
negative = elementwise(Primitive("negative", _negative_impl),
                       [lambda t, ans, x: negative(t)], [lambda g, ans, x: negative(g)],
                       family="unary", residuals=reads())
multiply = elementwise(
    Primitive("multiply", _fast_binary(operator.mul, np.multiply)),
    [lambda t, ans, x, y: broadcast_like(t * y, ans), lambda t, ans, x, y: broadcast_like(x * t, ans)],
    [lambda g, ans, x, y: unbroadcast(g * y, x), lambda g, ans, x, y: unbroadcast(x * g, y)],
    family="binary", residuals=(reads(1), reads(0)))
# The same rules as nan_safe_divide: a zero (co)tangent contributes zero, also where
# y = 0, and two Python floats divide with NumPy's semantics (inf/nan, not an exception).
divide = elementwise(Primitive("divide", _divide_impl), *_quotient_rules(), family="binary",
                     domain=_DENOMINATOR, names=("divide", "true_divide"),
                     residuals=_QUOTIENT_READS)


def _pow_dx(ans, x, y):
    # y * x**(y-1), written so that x = 0 with y >= 1 gives a finite value.
    # Only a Python int is branched on: jit traces a Python float (and an array is one
    # value among many), so a float's branch gave other results under jit than eagerly
    # (0 for nan at x = y = 0, +0 for -0 in a Hessian at y = 1)
    if type(y) is int:
        if y == 2:
            return 2.0 * x  # the most common exponent: one operation instead of two
        if y == 1:
            return 1.0
        if y == 0:
            return 0.0  # d/dx x**0 = 0, also at x = 0 (0 * 0**-1 would be nan)
    # d/dx x**0 = 0 also at x = 0 for every other y: a zero y wins
    return nan_safe_multiply(y, power(x, y - 1))


def _log_as(x, ans):
    """log(x) in the precision of the real result ``ans`` (a float16 base of a float64
    power: its log in float16 would be off in the 4th digit)."""
    da, dx = dtype(ans), dtype(x)
    if da.kind == "f" and dx.kind == "f" and dx.itemsize < da.itemsize:
        x = astype(x, dtype=da)
    return log(x)


def _pow_dy(ans, x, y):
    # ans * log(x); where x == 0 the contribution is 0 (lim x^y log x = 0 for y > 0).
    safe = where(equal(x, 0), 1.0, x)
    return where(equal(x, 0), 0.0, ans * _log_as(safe, ans))


def _power_impl(x, y):
    # ndarray.__pow__ takes fast paths for y in (2, 0.5, 1, -1); np.power does not.
    if isinstance(x, np.ndarray):
        return x ** y
    if _python_floats(x, y):  # NumPy's inf or nan, as a Python number (see _fast_binary)
        return _as_python(np.power(x, y))
    return standard_call("pow", x, y) if array_api_only(x) or array_api_only(y) else \
        np.power(x, y)


# Derivatives that can be inf or nan where the function is still used (x**0.5 at 0, a
# pole, overflow) are applied NaN-safely (see nan_safe_multiply). Quotients in rules are
# the divide primitive, not Python's operator: two Python floats then divide with NumPy's
# semantics (inf or nan and a RuntimeWarning) instead of raising ZeroDivisionError.
power = binary("power", _power_impl, _pow_dx, _pow_dy, names=("power", "pow"),
               domain=(Interval(0.5, 2.0), Interval(-2.0, 2.0)), nan_safe=True,
               uses=(reads(0, 1), reads("ans", 0)))
float_power = binary("float_power", np.float_power,
                     lambda ans, x, y: nan_safe_multiply(y, float_power(x, y - 1.0)),
                     lambda ans, x, y: _pow_dy(ans, astype(x, dtype=dtype(ans)), y),
                     domain=(Interval(0.5, 2.0), Interval(-2.0, 2.0)), nan_safe=True,
                     uses=(reads(0, 1), reads("ans", 0)))
def _unit_part(x, y, over_norm=False):
    """x / hypot(x, y) (``over_norm``: x / hypot(x, y)², arctan2's partial), computed on x
    and y scaled by a power of two near 1 / max(|x|, |y|) (exact): hypot's own value
    overflows (float32 near 3e38) or is a subnormal that has lost digits (1e-320), and
    x² + y² over- or underflows far earlier, where these ratios are finite. The scale is a
    constant and the ratios are exact functions of x and y, so derivatives of every order
    are theirs."""
    scale = power_of_two_scale(maximum(_magnitude(x), _magnitude(y)))
    xs, ys = x * scale, y * scale
    h = hypot(xs, ys)
    unit = divide(xs, h)
    return divide(unit, h) * scale if over_norm else unit


def _magnitude(v):
    # |v|; a Python number stays one (NumPy's absolute would make it a float64 scalar, which
    # is not weak: a float32 x of hypot(x, 1.0) had float64 second derivatives)
    return abs(v) if type(v) in (float, int) else absolute(v)


def _power_of_two_scale_impl(big):
    # 2**-e with e the binary exponent of big (0 where big is 0, inf or nan: a scale of 1),
    # clipped so that the scale is a normal number of big's float dtype
    if array_api_only(big):  # the standard has no frexp: ⌊log2⌋ (a power of two as well)
        xp = namespace_of(big)
        limit = math.floor(math.log2(float(xp.finfo(big.dtype).max))) - 1
        e = xp.floor(xp.log2(big))
        e = xp.clip(xp.where(xp.isfinite(e), e, xp.zeros_like(e)), -limit, limit)
        return 2.0 ** (-e)
    big = big if is_foreign(big) else np.asarray(big)
    dt = big.dtype if big.dtype.kind == "f" else np.dtype(np.float64)
    limit = np.finfo(dt).maxexp - 2
    e = np.clip(np.frexp(big)[1], -limit, limit)
    out = np.ldexp(np.ones((), dt), -e).astype(dt, copy=False)
    return out[()] if out.ndim == 0 else out


# A constant (zero derivative) power of two near 1 / big: x · scale is exact, and lands
# near 1 whatever big's magnitude (for ratios that x's own square would over- or underflow).
power_of_two_scale = step("power_of_two_scale", _power_of_two_scale_impl, 1, names=())


# ∂/∂y arctan2(y, x) = x / (x² + y²), scaled (see _unit_part): x² + y² overflowed (the
# gradient was 0 at 1e200, or in float32 at 1e20) or underflowed (inf at 1e-200).
arctan2 = binary("arctan2", np.arctan2,
                 lambda ans, y, x: _unit_part(x, y, over_norm=True),
                 lambda ans, y, x: negative(_unit_part(y, x, over_norm=True)),
                 domain=(NonZero(0.5, 2.0), NonZero(0.5, 2.0)), nan_safe=True,
                 names=("arctan2", "atan2"), uses=(reads(0, 1), reads(0, 1)))
# (the scaled ratio always, also where x / hypot(x, y) would do: jit's program is the rule
# traced, and must give eager's bits)
hypot = binary("hypot", np.hypot, lambda ans, x, y: _unit_part(x, y),
               lambda ans, x, y: _unit_part(y, x),
               domain=(NonZero(0.5, 2.0), NonZero(0.5, 2.0)), nan_safe=True,
               uses=(reads(0, 1), reads(0, 1)))


def _expit_impl(x):
    # 1 / (1 + e^-x) written so that neither branch overflows.
    x = x if is_foreign(x) else np.asarray(x)
    if dtype(x).kind == "c":  # as SciPy's expit: the branches above are for real x only
        raise TypeError("expit: complex input is not supported (scipy.special.expit "
                        "rejects it too); for complex z use 1 / (1 + cnp.exp(-z))")
    if is_numpy(x) and x.dtype.char not in "fdg":
        x = x.astype(np.float64)  # SciPy's loops: float16, integers and booleans give float64
    if array_api_only(x):  # NumPy's functions would convert it: the standard's
        xp = namespace_of(x)
        e = xp.exp(-xp.abs(x))
        return xp.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    e = np.exp(-np.abs(x))
    out = np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    return out[()] if out.ndim == 0 else out


# The logistic function (scipy.special.expit); here because logaddexp's partials use it.
# expit' = ans·(1 − ans), from the output alone (what JAX and PyTorch compute): for large
# positive x, 1 − ans keeps only the digits above ulp(1), so the derivative's relative accuracy
# falls (1e-7 at x = 20) and it is 0 from x ≈ 37 (float32: 17), an absolute error below
# ulp(1)·ans. expit(x)·expit(−x) is exact there but costs a second expit pass and keeps x on
# the tape: twice the gradient's time for the most used activation after tanh, whose rule
# 1 − ans² has the same limit (docs/nans.md).
expit = elementwise(Primitive("expit", _expit_impl),
                    [lambda t, ans, x: t * (ans * (1.0 - ans))],
                    [lambda g, ans, x: g * (ans * (1.0 - ans))],
                    family="unary", namespace=SPECIAL, residuals=reads("ans"))
# ∂/∂x log(eˣ + eʸ) = expit(x − y): finite at x = ±inf, where exp(x − ans) is inf − inf = nan.
logaddexp = binary("logaddexp", np.logaddexp,
                   lambda ans, x, y: expit(x - y), lambda ans, x, y: expit(y - x),
                   uses=(reads(0, 1), reads(0, 1)))
logaddexp2 = binary("logaddexp2", np.logaddexp2,
                    lambda ans, x, y: expit((x - y) * _LN2),
                    lambda ans, x, y: expit((y - x) * _LN2), uses=(reads(0, 1), reads(0, 1)))


def _weak_dtype(v):
    # NumPy's values as they are (a Python number does not widen float32); another
    # library's array by its NumPy dtype (NumPy cannot read array-api-strict's)
    v = lower(v)
    return v if is_numpy(v) else dtype(v)


def _max_mask(ans, x, y):
    # Ties split the derivative evenly, as in JAX: the rule stays symmetric. The mask
    # is a constant array in the operands' dtype (float32 stays float32).
    dt = np.result_type(_weak_dtype(x), _weak_dtype(y))
    dt = dt if dt.kind == "f" else np.float64
    above, tie = greater(x, y), equal(x, y)
    if array_api_only(lower(above)):  # the standard has xp.astype, no method
        return astype(above, dtype=dt) + 0.5 * astype(tie, dtype=dt)
    return above.astype(dt) + 0.5 * tie.astype(dt)


_XY = (reads(0, 1), reads(0, 1))
maximum = binary("maximum", np.maximum, _max_mask, lambda ans, x, y: _max_mask(ans, y, x),
                 uses=_XY)
minimum = binary("minimum", np.minimum, lambda ans, x, y: _max_mask(ans, y, x), _max_mask,
                 uses=_XY)


def _plus_nan_pick(mask, x, y):
    # fmax/fmin return the number where the other operand is nan: x carries the derivative
    # there too (x > nan is False, which gave it 0 where fmax had picked x).
    return mask + astype(logical_and(isnan(y), logical_not(isnan(x))), dtype=dtype(mask))


fmax = binary("fmax", np.fmax, lambda ans, x, y: _plus_nan_pick(_max_mask(ans, x, y), x, y),
              lambda ans, x, y: _plus_nan_pick(_max_mask(ans, y, x), y, x), uses=_XY)
fmin = binary("fmin", np.fmin, lambda ans, x, y: _plus_nan_pick(_max_mask(ans, y, x), x, y),
              lambda ans, x, y: _plus_nan_pick(_max_mask(ans, x, y), y, x), uses=_XY)

# ---- unary --------------------------------------------------------------------
_MODERATE = Interval(-2.0, 2.0)
_POSITIVE = Interval(0.3, 3.0)
_UNIT = Interval(-0.8, 0.8)
# The hottest rules are written out (one Python call less per use than unary()).
# nan_safe=True: derivatives that are inf or nan at finite points (poles, the edges of the
# domain, overflow of exp) contribute 0 where the tangent or cotangent is exactly 0.
exp = elementwise(Primitive("exp", np.exp), [lambda t, ans, x: nan_safe_multiply(t, ans)],
                  [lambda g, ans, x: nan_safe_multiply(g, ans)], family="unary",
                  domain=_MODERATE, residuals=reads("ans"))
exp2 = unary("exp2", np.exp2, lambda ans, x: ans * _LN2, domain=_MODERATE, nan_safe=True)
# expm1' = eˣ, not ans + 1: that rounds to 0 once eˣ is below half an ulp of 1 (x < −37), where
# eˣ is 4e−17 (the derivative was 0, and all digits of it lost before)
expm1 = unary("expm1", np.expm1, lambda ans, x: exp(x), domain=_MODERATE, nan_safe=True, uses=reads(0))
log = unary("log", np.log, lambda ans, x: reciprocal(x), domain=_POSITIVE, nan_safe=True, uses=reads(0))
log1p = unary("log1p", np.log1p, lambda ans, x: reciprocal(x + 1.0), domain=Interval(-0.5, 2.0),
              nan_safe=True, uses=reads(0))
log2 = unary("log2", np.log2, lambda ans, x: reciprocal(x * _LN2), domain=_POSITIVE,
             nan_safe=True, uses=reads(0))
log10 = unary("log10", np.log10, lambda ans, x: reciprocal(x * _LN10), domain=_POSITIVE,
              nan_safe=True, uses=reads(0))
sqrt = unary("sqrt", np.sqrt, lambda ans, x: divide(0.5, ans), domain=_POSITIVE, nan_safe=True, uses=reads("ans"))


def _sqrt_flat_dx(ans, x):
    zero = equal(ans, 0)
    return where(zero, 0.0, divide(0.5, where(zero, 1.0, ans)))


# √x with derivative 0 at x = 0 (internal): std is √var, and at an all-equal input (size 1,
# or a constant) var and its gradient are 0, where √'s inf would make 0 · inf = nan; 0 is
# std's derivative for size 1 and its minimum-norm subgradient otherwise (autograd's answer).
sqrt_flat_at_zero = unary("sqrt_flat_at_zero", np.sqrt, _sqrt_flat_dx, names=(), uses=reads("ans"))
cbrt = unary("cbrt", np.cbrt, lambda ans, x: reciprocal(3.0 * ans * ans), domain=NonZero(0.3, 2.0),
             nan_safe=True, uses=reads("ans"))
square = unary("square", np.square, lambda ans, x: 2.0 * x, uses=reads(0))
reciprocal = unary("reciprocal", np.reciprocal, lambda ans, x: negative(ans * ans),
                   domain=NonZero(0.5, 2.0), nan_safe=True, uses=reads("ans"))
def _is_complex(x):
    return dtype(x).kind == "c"


def _abs_jvp(t, ans, x):
    if _is_complex(x):  # d|z| = Re(conj(z)·dz)/|z|
        return nan_safe_divide(real(conj(x) * t), ans)
    return t * sign(x)


def _abs_vjp(g, ans, x):
    if _is_complex(x):  # Re(c·dz) = g·Re(conj(z)·dz)/|z|  =>  c = g·conj(z)/|z|
        return nan_safe_divide(g * conj(x), ans)
    return g * sign(x)


absolute = elementwise(Primitive("absolute", np.absolute), [_abs_jvp], [_abs_vjp],
                       family="unary", names=("absolute", "abs"), domain=NonZero(0.3, 2.0),
                       residuals=reads(0, "ans"))
sin = elementwise(Primitive("sin", np.sin), [lambda t, ans, x: t * cos(x)],
                  [lambda g, ans, x: g * cos(x)], family="unary", residuals=reads(0))
cos = elementwise(Primitive("cos", np.cos), [lambda t, ans, x: negative(t * sin(x))],
                  [lambda g, ans, x: negative(g * sin(x))], family="unary",
                  residuals=reads(0))
tan = unary("tan", np.tan, lambda ans, x: 1.0 + ans * ans, domain=Interval(-1.0, 1.0), uses=reads("ans"))
# 1 − x² as (1 − x)(1 + x), exact to rounding: 1 − x·x cancels the rounding of x·x near |x| = 1.
arcsin = unary("arcsin", np.arcsin, lambda ans, x: reciprocal(sqrt((1.0 - x) * (1.0 + x))), domain=_UNIT,
               nan_safe=True, names=("arcsin", "asin"), uses=reads(0))
arccos = unary("arccos", np.arccos, lambda ans, x: negative(reciprocal(sqrt((1.0 - x) * (1.0 + x)))),
               domain=_UNIT, nan_safe=True, names=("arccos", "acos"), uses=reads(0))
arctan = unary("arctan", np.arctan, lambda ans, x: reciprocal(1.0 + x * x),
               names=("arctan", "atan"), uses=reads(0))
sinh = unary("sinh", np.sinh, lambda ans, x: cosh(x), domain=_MODERATE, nan_safe=True, uses=reads(0))
cosh = unary("cosh", np.cosh, lambda ans, x: sinh(x), domain=_MODERATE, nan_safe=True, uses=reads(0))
tanh = elementwise(Primitive("tanh", np.tanh), [lambda t, ans, x: t * (1.0 - ans * ans)],
                   [lambda g, ans, x: g * (1.0 - ans * ans)], family="unary", domain=_MODERATE,
                   residuals=reads("ans"))
# 1/√(x² + 1) as 1/hypot(x, 1) and 1/√(x² − 1) as 1/(√(x − 1)·√(x + 1)): x² overflowed from
# |x| = 1e154 on (the derivative was 0 where it is 1/|x|), and x·x − 1 cancels near x = 1.
def _darcsinh(ans, x):
    return reciprocal(sqrt(x * x + 1.0) if _is_complex(x) else hypot(x, 1.0))  # (no complex hypot)


arcsinh = unary("arcsinh", np.arcsinh, _darcsinh, names=("arcsinh", "asinh"), uses=reads(0))
arccosh = unary("arccosh", np.arccosh, lambda ans, x: reciprocal(sqrt(x - 1.0) * sqrt(x + 1.0)),
                domain=Interval(1.3, 3.0), nan_safe=True, names=("arccosh", "acosh"), uses=reads(0))
arctanh = unary("arctanh", np.arctanh, lambda ans, x: reciprocal((1.0 - x) * (1.0 + x)), domain=_UNIT,
                nan_safe=True, names=("arctanh", "atanh"), uses=reads(0))
deg2rad = unary("deg2rad", np.deg2rad, lambda ans, x: np.pi / 180.0, uses=reads())
rad2deg = unary("rad2deg", np.rad2deg, lambda ans, x: 180.0 / np.pi, uses=reads())
sinc = unary("sinc", np.sinc,
             # At x = 0 the derivative is 0; it is written -(π²/3)·x there (its Taylor
             # expansion) so that the second derivative sinc''(0) = -π²/3 is right too.
             lambda ans, x: where(equal(x, 0), (-np.pi ** 2 / 3.0) * x,
                                  (cos(np.pi * x) - ans) / where(equal(x, 0), 1.0, x)),
             domain=NonZero(0.2, 2.0))

# positive (and ndarray.copy) is the identity; its rules pass tangents through.
positive = elementwise(Primitive("positive", np.positive), [lambda t, ans, x: t],
                       [lambda g, ans, x: g], family="unary", residuals=reads())

# ---- complex parts (JAX's convention: cotangents pair with tangents by Re(c·t)) -------------
def _imag_vjp(g, ans, x):
    # Re(c·t) = g·Im(t) for every t: c = -i·g (zero for a real x, whose Im is constant 0).
    return g * -1j if _is_complex(x) else g * 0.0


imag = elementwise(Primitive("imag", lambda x: standard_call("imag", x) if array_api_only(x)
                             else np.imag(x)), [lambda t, ans, x: imag(t)], [_imag_vjp],
                   family="unary", residuals=reads())
conj = elementwise(Primitive("conjugate", np.conjugate), [lambda t, ans, x: conj(t)],
                   [lambda g, ans, x: conj(g)], family="unary", names=("conjugate", "conj"),
                   residuals=reads())


def _angle_jvp(t, ans, x, deg=False):
    if not _is_complex(x):
        return t * 0.0
    d = nan_safe_divide(imag(conj(x) * t), real(x * conj(x)))
    return d * (180.0 / np.pi) if deg else d   # deg=True: the angle in degrees


def _angle_vjp(g, ans, x, deg=False):
    if not _is_complex(x):
        return g * 0.0
    # d angle = Im(conj(z)·dz)/|z|² = Re(-i·conj(z)·dz)/|z|²  =>  c = -i·g·conj(z)/|z|²
    c = nan_safe_divide(g * conj(x) * -1j, real(x * conj(x)))
    return c * (180.0 / np.pi) if deg else c


angle = elementwise(Primitive("angle", lambda z, deg=False: np.angle(z, deg)),
                    [_angle_jvp], [_angle_vjp], family="unary", residuals=reads(0))
iscomplex = step("iscomplex", np.iscomplex, 1)
isreal = step("isreal", np.isreal, 1)


# ---- zero derivative: step functions and tests ----------------------------------
def _sign_public(x):
    """numpy.sign: a step of real x (zero derivative); of complex z NumPy's z/|z| (0 at 0),
    which is differentiable away from 0: computed so, not as the step primitive (whose zero
    derivative was silently wrong for complex input).

    >>> _sign_public(np.array([3 + 4j, 0j, -2.0 + 0j]))
    array([ 0.6+0.8j,  0. +0.j , -1. +0.j ])
    """
    if not _is_complex(x):
        return sign(x)
    size = absolute(x)
    # z/|z| of z scaled by a constant power of two where |z| is subnormal or near overflow:
    # NumPy's complex division by such a real computes 1/|z| first (inf, or a subnormal that
    # loses digits: sign(1e-320+0j) came out inf+nanj). The scaling is exact and sign(c·z)
    # = sign(z), so the derivative is unchanged.
    info = np.finfo(dtype(size))
    real_t = info.dtype.type  # (NumPy scalars of |z|'s dtype: complex64 stays complex64)
    up = 2.0 ** (info.nmant + 2)
    scale = where(less(size, info.tiny), real_t(up),
                  where(greater(size, 1.0 / info.tiny), real_t(1.0 / up), real_t(1.0)))
    scaled = x * scale
    zero = equal(size, 0)
    # an infinite part: NumPy's value alone (±1 or ±1j along it; nan for two)
    inf = isinf(size)
    special = logical_or(zero, inf)
    q = scaled / where(special, 1.0, absolute(scaled))
    # The value is NumPy's own sign(z) (its part-by-part division: 3/5 = 0.6, where the
    # complex division gave 0.6000000000000001); q - q adds zero and q's derivative.
    return numpy_scalar(sign(x) + where(special, 0.0, q - stop_gradient(q)))


sign = step("sign", np.sign, 1, public=_sign_public)
floor = step("floor", np.floor, 1)
ceil = step("ceil", np.ceil, 1)
rint = step("rint", np.rint, 1)
trunc = step("trunc", np.trunc, 1)
fix = step("fix", np.fix, 1)
round_ = step("round", lambda x, decimals=0: np.round(x, decimals), 1, names=("round", "around"))
greater = step("greater", np.greater, 2)
greater_equal = step("greater_equal", np.greater_equal, 2)
less = step("less", np.less, 2)
less_equal = step("less_equal", np.less_equal, 2)
equal = step("equal", np.equal, 2)
not_equal = step("not_equal", np.not_equal, 2)
logical_and = step("logical_and", np.logical_and, 2)
logical_or = step("logical_or", np.logical_or, 2)
logical_xor = step("logical_xor", np.logical_xor, 2)
logical_not = step("logical_not", np.logical_not, 1)
isfinite = step("isfinite", np.isfinite, 1)
isinf = step("isinf", np.isinf, 1)
isnan = step("isnan", np.isnan, 1)
signbit = step("signbit", np.signbit, 1)
floor_divide = step("floor_divide", np.floor_divide, 2)
def isclose_signature(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    """numpy.isclose, with ``equal_nan`` (booleans: zero derivative).

    >>> isclose_signature(np.array([1.0, np.nan]), np.array([1.0 + 1e-9, np.nan]), equal_nan=True)
    array([ True,  True])
    """
    close = isclose(a, b, rtol=rtol, atol=atol)
    if equal_nan:
        close = logical_or(close, logical_and(isnan(a), isnan(b)))
    return close


isclose = step("isclose", lambda a, b, rtol=1e-5, atol=1e-8: np.isclose(a, b, rtol=rtol, atol=atol),
               2, public=isclose_signature)
# The identity with a zero derivative (exported as chainrule.stop_gradient).
stop_gradient = step("stop_gradient", lambda x: x, 1, names=())


# In-place forms of the written-out rules: the same arithmetic, into a cotangent the
# backward pass owns (an add passes it on as it is).
_inplace(add, lambda g, ans, x, y: g if _fits(g, x) else None,
         lambda g, ans, x, y: g if _fits(g, y) else None)
_inplace(subtract, lambda g, ans, x, y: g if _fits(g, x) else None,
         lambda g, ans, x, y: _negate_into(g) if _fits(g, y) else None)
_inplace(negative, lambda g, ans, x: _negate_into(g) if _fits(g, x) else None)
_inplace(multiply, lambda g, ans, x, y: _times_into(g, y) if _fits(g, x) else None,
         lambda g, ans, x, y: _times_into(g, x) if _fits(g, y) else None)
# g*x + x*g is 2·(g*x): real products commute bit for bit (complex ones are never in place).
inplace_diagonal_rules[multiply] = lambda g, ans, x, y: _times_into(g, x) if _fits(g, x) else None
_inplace(sin, lambda g, ans, x: _times_into(g, cos(x)) if _fits(g, x) else None)
_inplace(cos, lambda g, ans, x: None if not _fits(g, x) or _times_into(g, sin(x)) is None
         else _negate_into(g))
_inplace(exp, lambda g, ans, x: _times_into_nan_safe(g, ans) if _fits(g, x) else None)
_inplace(tanh, lambda g, ans, x: _times_into(g, 1.0 - ans * ans) if _fits(g, x) else None)

# Written-out rules whose contributions are products too (see _fresh).
fresh_vjp_rules.update([nan_safe_multiply, nan_safe_divide, multiply, divide, exp, sin, cos,
                        tanh, expit])

# ---- selection --------------------------------------------------------------------
def _public_where(condition, x=np._NoValue, y=np._NoValue):
    """numpy.where: ``where(c, x, y)`` picks elementwise; ``where(c)`` alone is
    ``nonzero(c)``, the indices where c holds (a tuple of integer arrays), as NumPy's.

    >>> import numpy as np
    >>> _public_where(np.array([0.0, 2.0, 3.0]) > 1.0)
    (array([1, 2]),)
    """
    if x is np._NoValue and y is np._NoValue:
        return registry.lookup(registry.NUMPY, "nonzero").obj(condition)
    if x is np._NoValue or y is np._NoValue:
        raise ValueError("either both or neither of x and y should be given")
    return where(condition, x, y)


where = elementwise(
    Primitive("where", lambda cond, x, y: standard_call("where", cond, x, y)
              if array_api_only(x) or array_api_only(y) or array_api_only(cond)
              else np.where(cond, x, y)),
    [None,
     lambda t, ans, c, x, y: broadcast_like(where(c, t, 0.0), ans),
     lambda t, ans, c, x, y: broadcast_like(where(c, 0.0, t), ans)],
    [None,
     lambda g, ans, c, x, y: unbroadcast(where(c, g, 0.0), x),
     lambda g, ans, c, x, y: unbroadcast(where(c, 0.0, g), y)],
    family="where", residuals=(reads(), reads(0), reads(0)), public=_public_where)


def _inside(x, lo, hi):
    m = True
    if lo is not None:
        m = logical_and(m, greater_equal(x, lo))
    if hi is not None:
        m = logical_and(m, less_equal(x, hi))
    return m


def clip_signature(a, a_min=np._NoValue, a_max=np._NoValue, out=None, *,
                   min=np._NoValue, max=np._NoValue, **kwargs):  # noqa: A002
    """numpy.clip with the bounds positional or as ``a_min=``/``a_max=``/``min=``/``max=``.

    >>> clip_signature(np.array([-2.0, 0.5, 3.0]), min=0.0, max=1.0)
    array([0. , 0.5, 1. ])
    """
    if out is not None:
        raise TypeError("clip(out=...) writes in place; assign the result instead")
    lo = a_min if a_min is not np._NoValue else (None if min is np._NoValue else min)
    hi = a_max if a_max is not np._NoValue else (None if max is np._NoValue else max)
    return clip(a, lo, hi)


clip = elementwise(
    # np.clip would convert an Array API library's array to NumPy (or fail on its device)
    Primitive("clip", lambda x, lo, hi: standard_call("clip", x, lo, hi)
              if array_api_only(x) or array_api_only(lo) or array_api_only(hi)
              else np.clip(x, lo, hi)),
    [lambda t, ans, x, lo, hi: broadcast_like(where(_inside(x, lo, hi), t, 0.0), ans),
     lambda t, ans, x, lo, hi: broadcast_like(where(less(x, lo), t, 0.0), ans),
     lambda t, ans, x, lo, hi: broadcast_like(where(greater(x, hi), t, 0.0), ans)],
    [lambda g, ans, x, lo, hi: unbroadcast(where(_inside(x, lo, hi), g, 0.0), x),
     lambda g, ans, x, lo, hi: unbroadcast(where(less(x, lo), g, 0.0), lo),
     lambda g, ans, x, lo, hi: unbroadcast(where(greater(x, hi), g, 0.0), hi)],
    family="clip", public=clip_signature)


# ---- casts -------------------------------------------------------------------------
def _astype_jvp(primals, tangents, dtype):
    (x,), (t,) = primals, tangents
    ans = astype(x, dtype=dtype)
    if not np.issubdtype(dtype, np.inexact):
        return ans, None
    return ans, astype(t, dtype=dtype)


def _astype_vjp(g, x):
    dt = dtype(x)
    if dtype(g).kind == "c" and dt.kind != "c":
        g = real(g)  # a real input's cotangent is the real part (no ComplexWarning)
    return astype(g, dtype=dt)


astype = elementwise(
    Primitive("astype", lambda x, dtype: standard_call("astype", x, standard_dtype(
        namespace_of(x), dtype)) if array_api_only(x) else
        (x if is_foreign(x) else np.asarray(x)).astype(dtype)),
    _astype_jvp, lambda g, ans, vals, params: [_astype_vjp(g, vals[0])],
    family="cast", names=(), residuals=reads())
