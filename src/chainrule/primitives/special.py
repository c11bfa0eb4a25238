"""Special functions (SciPy's ``scipy.special``) as primitives with rules.

logsumexp, softmax, log_softmax, expit and logit are computed with NumPy alone.
erf, erfc, gammaln, digamma and polygamma need SciPy, an optional dependency
(extra ``scipy``): it is imported when one of them is first evaluated, with a
message naming the extra if it is absent.

The softmax family is written with the maximum shifted out *and held constant*
(``stop_gradient``): the derivative of logsumexp is softmax(x) computed as
exp(x − m) / Σ exp(x − m), exact at any scale, never exp(x − logsumexp(x)),
which loses every digit once |x| dwarfs log n (logits of 1e16 in float64, 1e7
in float32).

>>> import chainrule as cr, numpy as np
>>> cr.grad(logsumexp)(np.array([1e16, 1e16]))
array([0.5, 0.5])
"""

import numpy as np

from ..core.primitive import Primitive, concrete_value
from ..core.registry import SPECIAL, Interval
from .declare import declare, export, reads
from .arrays import is_numpy, is_lazy
from .basic import reduce_sum, expand_reduced, reduction_batch, normalize_axes, _NUMPY_VALUES
from .util import shape, dtype, numpy_scalar
from . import basic as B
from . import elementwise as E
from . import structural as S

_SQRT_PI = float(np.sqrt(np.pi))


def _sp():
    try:
        import scipy.special as sp
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "chainrule.scipy.special needs SciPy: pip install 'chainrule[scipy]'") from exc
    return sp


def _lazy(name):
    return lambda *a, **k: getattr(_sp(), name)(*a, **k)


def _logit_impl(x):
    if np.iscomplexobj(x):  # as SciPy's logit, which has no complex loop
        raise TypeError("logit: complex input is not supported (scipy.special.logit rejects it "
                        "too); for complex z use cnp.log(z) - cnp.log1p(-z)")
    x = np.asarray(x) if is_numpy(x) or isinstance(x, (list, tuple)) else x
    if is_numpy(x) and x.dtype.char not in "fdg":
        x = x.astype(np.float64)  # SciPy's loops: float16, integers and booleans give float64
    return np.log(x) - np.log1p(-x)


expit = E.expit  # declared with logaddexp, whose derivative it is
# logit' = 1/x + 1/(1 − x), not 1/(x(1 − x)): the product's reciprocal overflows for x below
# 1e−308 (its own derivative then met inf − inf: logit''(1e−300) was nan, not −inf).
logit = E.unary("logit", _logit_impl, lambda ans, x: E.reciprocal(x) + E.reciprocal(1.0 - x),
                domain=Interval(0.1, 0.9), namespace=SPECIAL, nan_safe=True, uses=reads(0))
erf = E.unary("erf", _lazy("erf"), lambda ans, x: (2.0 / _SQRT_PI) * E.exp(E.negative(x * x)),
              namespace=SPECIAL, uses=reads(0))
erfc = E.unary("erfc", _lazy("erfc"),
               lambda ans, x: (-2.0 / _SQRT_PI) * E.exp(E.negative(x * x)), namespace=SPECIAL,
               uses=reads(0))
gammaln = E.unary("gammaln", _lazy("gammaln"), lambda ans, x: digamma(x),
                  domain=Interval(0.5, 3.0), namespace=SPECIAL, nan_safe=True, uses=reads(0))

def polygamma(n, x):
    """ψ⁽ⁿ⁾(x), the n-th derivative of the digamma function (SciPy's argument order).

    >>> round(float(polygamma(1, 1.0)), 6)    # π²/6
    1.644934
    >>> polygamma(np.array([0.0, 1.0, 0.5]), 1.0).round(6)   # an order per element; nan if not whole
    array([-0.577216,  1.644934,       nan])
    """
    order = np.asarray(concrete_value(n, "value"))
    # SciPy's dtype: its formula (−1.0)**(n+1)·Γ(n+1.0)·ζ(n+1, x) in n's and x's dtypes
    out_dtype = np.result_type(order.dtype, dtype(x), 1.0)
    if order.ndim == 0 and np.isfinite(order) and float(order) == int(order):
        out = polygamma_p(x, n=int(order))
    else:
        # orders per element (SciPy broadcasts n against x): each whole order by its rule,
        # the others by SciPy's formula (nan for a fractional order; int(n) took 0.6 for 0)
        whole = np.isfinite(order) & (order == np.round(np.where(np.isfinite(order), order, 0)))
        out = _polygamma_formula(order, x)
        for k in np.unique(order[whole]):
            out = E.where(order == k, polygamma_p(x, n=int(k)), out)
    return out if dtype(out) == out_dtype else E.astype(out, dtype=out_dtype)


def _polygamma_formula(order, x):
    from ..core import registry   # (gamma and zeta are declared in later modules)
    gamma, zeta = (registry.lookup(SPECIAL, name).obj for name in ("gamma", "zeta"))
    with np.errstate(invalid="ignore", divide="ignore"):
        return (-1.0) ** (order + 1) * gamma(order + 1.0) * zeta(order + 1, x)


# ψ⁽ⁿ⁾(x); the order n is a static parameter, and d/dx ψ⁽ⁿ⁾ = ψ⁽ⁿ⁺¹⁾.
def _polygamma_impl(x, n):
    if type(x) is not np.ndarray and is_lazy(x):
        # SciPy's polygamma is a Python function that converts its argument (a Dask array
        # would be computed): applied to each block instead, one task per block
        dt = _polygamma_block(np.ones(1, x.dtype), n).dtype
        return x.map_blocks(_polygamma_block, n=n, dtype=dt)
    if np.iscomplexobj(x):
        # SciPy's polygamma evaluates zeta(n + 1, x), real only, even for n = 0; psi takes
        # complex input (so complex gamma, loggamma and rgamma have a first derivative)
        if n == 0:
            return _sp().psi(x)
        raise TypeError(f"polygamma({n}, z) of a complex z is not available (SciPy's is real "
                        f"only), so neither is the derivative of a complex digamma")
    return _sp().polygamma(n, x)


def _polygamma_block(block, n):
    # (module-level: Dask names the task by it)
    return _sp().polygamma(n, block)


polygamma_p = E.elementwise(
    Primitive("polygamma", _polygamma_impl),
    [lambda t, ans, x, n: E.nan_safe_multiply(t, polygamma_p(x, n=n + 1))],
    [lambda g, ans, x, n: E.nan_safe_multiply(g, polygamma_p(x, n=n + 1))],
    family="polygamma", namespace=SPECIAL, public=polygamma)


@export(namespace=SPECIAL, prim=polygamma_p)
def digamma(x):
    """ψ(x) = d/dx log Γ(x); differentiable to any order through polygamma.

    >>> round(float(digamma(1.0)), 6)         # −γ
    -0.577216
    """
    out = polygamma_p(x, n=0)
    # SciPy's polygamma computes in float64; its digamma keeps float32 input float32.
    dt = dtype(x)
    # SciPy's digamma of a scalar is a NumPy scalar (its polygamma's a 0-d array); float16
    # has no loop of its own there and gives float64
    return numpy_scalar(E.astype(out, dtype=dt) if dt == np.float32 else out)


# ---- the softmax family -----------------------------------------------------------------
def _logsumexp_impl(x, axis=None, keepdims=False):
    # Plain NumPy (no SciPy needed): shift by the maximum so that exp cannot overflow.
    if type(x) is np.ndarray and (axis is None or type(axis) is int):
        return _logsumexp_numpy(x, axis, keepdims)
    x = np.asarray(x) if is_numpy(x) else x  # Dask, CuPy: their own max, exp, log
    m = np.max(x, axis=axis, keepdims=True)
    m = np.where(np.isfinite(m), m, 0.0)
    with np.errstate(divide="ignore"):  # log 0 = -inf is the right answer here
        out = np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True)) + m
    return out if keepdims else np.squeeze(out, axis=axis) if axis is not None else out.reshape(())


def _finite_max(x, axis):
    """(m, True) with m the maximum of the NumPy array ``x`` along ``axis`` (kept), when
    ``x`` is real floating-point and every maximum is finite; else (m with its non-finite
    entries 0, False). The first is what np.where(np.isfinite(m), m, 0.0) returns then,
    without its call."""
    # An empty slice has maximum −inf (logsumexp of nothing is log 0 = −inf, as SciPy's)
    m = np.maximum.reduce(x, axis=axis, keepdims=True, **({} if x.size else {"initial": -np.inf}))
    finite = np.isfinite(m)
    if x.dtype.kind == "f" and np.logical_and.reduce(finite, axis=None):
        return m, True
    return np.where(finite, m, 0.0), False


def _exp_of_difference(x, m):
    """np.exp(x - m), into the difference (which nothing else holds) unless it is 0-d
    (a NumPy scalar then)."""
    d = x - m
    return np.exp(d, out=d) if type(d) is np.ndarray else np.exp(d)


def _logsumexp_numpy(x, axis, keepdims):
    # The same NumPy operations as the general path, called without np.max's and np.sum's
    # Python wrappers.
    m, finite = _finite_max(x, axis)
    s = np.add.reduce(_exp_of_difference(x, m), axis=axis, keepdims=True)
    if finite:  # the maximum's own term exp(0) = 1 makes s >= 1 (real x): log s is finite
        out = np.log(s) + m
    else:
        with np.errstate(divide="ignore"):  # log 0 = -inf is the right answer here
            out = np.log(s) + m
    return out if keepdims else out.squeeze(axis=axis) if axis is not None else out.reshape(())


def _softmax_numpy(x, axis):
    """:func:`_softmax` computed by NumPy itself, for a NumPy array and no tracer."""
    e = _exp_of_difference(x, _finite_max(x, axis)[0])
    s = np.add.reduce(e, axis=axis, keepdims=True)
    return np.divide(e, s, out=e) if type(e) is np.ndarray else e / s


def _logsumexp_vjp(g, ans, x, axis=None, keepdims=False):
    if type(x) is np.ndarray and type(g) in _NUMPY_VALUES and (axis is None or type(axis) is int):
        # No tracer: the operations of the rule below, run by NumPy directly (g reshaped
        # to keep the reduced axes broadcasts in the product as broadcast_to would).
        if not keepdims:
            g = np.reshape(g, tuple(1 if i in normalize_axes(axis, x.ndim) else n
                                    for i, n in enumerate(x.shape)))
        return g * _softmax_numpy(x, axis)
    return expand_reduced(g, shape(x), axis, keepdims) * _softmax(x, axis)


def _shifted_exp(x, axis):
    """exp(x − m) with m the (finite) maximum along ``axis``, held constant."""
    m = E.stop_gradient(S.reduce_max(x, axis=axis, keepdims=True))
    m = E.where(E.isfinite(m), m, 0.0)
    return x - m, E.exp(x - m)


def _softmax(x, axis):
    _, e = _shifted_exp(x, axis)
    return e / reduce_sum(e, axis=axis, keepdims=True)


def logsumexp(a, axis=None, b=None, keepdims=False, return_sign=False):
    """log(sum(b * exp(a))) along ``axis``, computed stably (SciPy's signature).

    With ``b`` (weights, traced or not, broadcast against ``a``) entries where b = 0 are
    left out, also when their ``a`` is huge; a negative sum is nan unless
    ``return_sign=True``, which returns ``(log|sum|, sign(sum))``.

    >>> import chainrule.scipy.special as csp
    >>> float(csp.logsumexp(np.zeros(4)))  # log 4
    1.3862943611198906
    >>> out, sign = csp.logsumexp(np.array([1.0, 2.0]), b=np.array([1.0, -1.0]), return_sign=True)
    >>> round(float(out), 6), float(sign)     # log|e − e²|, negative
    (1.541325, -1.0)
    """
    if b is None and not return_sign:
        return numpy_scalar(logsumexp_p(a, axis=axis, keepdims=keepdims))
    if b is None:
        b = 1.0
    # The shift m is the maximum of the a that count (b != 0), held constant; a dropped
    # entry's exp may overflow, and its product with b = 0 is then 0, not nan.
    # For complex a the shift is real (the largest real part): |e^(a−m)| stays ≤ 1, and the
    # log of |sum| and the phase come out as SciPy's (log|Σ b·eᵃ|, Σ b·eᵃ / |Σ b·eᵃ|).
    complex_a = dtype(a).kind == "c"
    masked = E.where(E.not_equal(b, 0), B.real(a) if complex_a else a, -np.inf)
    m = E.stop_gradient(S.reduce_max(masked, axis=axis, keepdims=True))
    m = E.where(E.isfinite(m), m, 0.0)
    s = reduce_sum(E.nan_safe_multiply(b, E.exp(a - m)), axis=axis, keepdims=keepdims)
    if not keepdims:
        m = S.reduce_max(m, axis=axis)  # drop the reduced axes of a constant
    if not return_sign:
        return numpy_scalar(E.log(s) + m)
    if dtype(s).kind == "c":  # the phase is differentiable; sign's step rule is not it
        size = E.absolute(s)
        return numpy_scalar(E.log(size) + m), numpy_scalar(s / size)
    return numpy_scalar(E.log(E.absolute(s)) + m), numpy_scalar(E.sign(s))


logsumexp_p = Primitive("logsumexp", _logsumexp_impl)
declare(logsumexp_p,
        jvp=[lambda t, ans, x, axis=None, keepdims=False:
             reduce_sum(t * _softmax(x, axis), axis=axis, keepdims=keepdims)],
        vjp=[_logsumexp_vjp],
        batch=reduction_batch(logsumexp_p), namespace=SPECIAL, family="reduction",
        public=logsumexp, residuals=reads(0))


@export(namespace=SPECIAL)
def softmax(x, axis=None):
    """exp(x) / sum(exp(x)) along ``axis``, exact at any scale.

    >>> softmax(np.array([1e16, 1e16]))
    array([0.5, 0.5])
    """
    return _softmax(x, axis)


@export(namespace=SPECIAL)
def log_softmax(x, axis=None):
    """x − logsumexp(x) along ``axis``, written as (x − m) − log Σ exp(x − m).

    >>> log_softmax(np.array([1e16, 1e16]))
    array([-0.69314718, -0.69314718])
    """
    shifted, e = _shifted_exp(x, axis)
    return shifted - E.log(reduce_sum(e, axis=axis, keepdims=True))
