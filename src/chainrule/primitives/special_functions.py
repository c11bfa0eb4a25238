"""More of ``scipy.special`` as primitives: gamma and beta functions, incomplete
integrals, error-function inverses, the normal distribution function, Bessel
functions, and the entropy family. The values are SciPy's (an optional extra,
imported when first evaluated); every derivative is written with chainrule
operations, so second derivatives follow.

Incomplete integrals (betainc, gammainc, gammaincc) and Bessel functions are
differentiable in their last argument ``x`` only: their derivatives in the shape
parameters or the order have no closed form in SciPy, and asking for one raises
:class:`UnsupportedDerivativeError` instead of giving a silent zero.

>>> import chainrule as cr
>>> round(float(cr.grad(log_ndtr)(-40.0)), 5)   # ≈ −x for very negative x, not nan
40.02497
"""

import numpy as np

from ..core.primitive import Primitive
from ..core.registry import SPECIAL, Interval, NonZero
from .declare import declare, export, reads
from .basic import unbroadcast, broadcast_like, elementwise_batch
from .util import lower, result_type
from . import elementwise as E
from .special import _lazy, gammaln, digamma

__all__ = ["UnsupportedDerivativeError", "refuse_derivative", "in_last"]

_LOG_2PI = float(np.log(2.0 * np.pi))
_SQRT_2PI = float(np.sqrt(2.0 * np.pi))
_SQRT_PI_2 = float(np.sqrt(np.pi) / 2.0)
_LOG_PI = float(np.log(np.pi))
_POS = Interval(0.5, 3.0)


class UnsupportedDerivativeError(NotImplementedError):
    """A derivative chainrule does not provide (no closed form): never a silent zero."""


def refuse_derivative(fname, argname):
    """The error for a derivative that is not supported (raised, never a silent zero)."""
    return UnsupportedDerivativeError(
        f"{fname}: the derivative with respect to {argname} is not supported (it has no "
        f"closed form in SciPy); pass a constant {argname}, or wrap it in "
        f"chainrule.stop_gradient if its derivative is not needed")


def _refuse(fname, argname):
    def rule(*args, **params):
        raise refuse_derivative(fname, argname)
    return rule


def _binary(name, fn, dx, dy, *, domain=_POS, public=None):
    """f(x, y) in chainrule.scipy.special with partials ``dx(ans, x, y)``, ``dy(ans, x, y)``
    applied NaN-safely (a zero tangent or cotangent contributes zero)."""
    mul = E.nan_safe_multiply
    return E.elementwise(
        Primitive(name, fn),
        [lambda t, ans, x, y: broadcast_like(mul(t, dx(ans, x, y)), ans),
         lambda t, ans, x, y: broadcast_like(mul(t, dy(ans, x, y)), ans)],
        [lambda g, ans, x, y: unbroadcast(mul(g, dx(ans, x, y)), x),
         lambda g, ans, x, y: unbroadcast(mul(g, dy(ans, x, y)), y)],
        family="binary", domain=domain, namespace=SPECIAL, public=public)


def in_last(name, fn, d, params, *, names=None, public=None):
    """Declare f(p₁, …, pₖ, x), differentiable in x only (``d(ans, *args)`` is ∂f/∂x); a
    traced parameter raises when its derivative is asked for.

    >>> halved = in_last("halved_demo", lambda a, x: a * x / 2, lambda ans, a, x: a / 2,
    ...                  ("a",), names=())
    >>> import chainrule as cr; float(cr.grad(lambda x: halved(3.0, x))(1.0))
    1.5
    """
    mul = E.nan_safe_multiply
    refuse = [_refuse(name, p) for p in params]
    return E.elementwise(
        Primitive(name, fn),
        refuse + [lambda t, ans, *a: broadcast_like(mul(t, d(ans, *a)), ans)],
        refuse + [lambda g, ans, *a: unbroadcast(mul(g, d(ans, *a)), a[-1])],
        family="special", namespace=SPECIAL, names=names, public=public)


# ---- gamma and beta ------------------------------------------------------------------------
gamma = E.unary("gamma", _lazy("gamma"), lambda ans, x: ans * digamma(x), domain=_POS,
                namespace=SPECIAL, nan_safe=True)
_gammasgn = Primitive("gammasgn", _lazy("gammasgn"))
gammasgn = declare(_gammasgn, jvp=None, vjp=None, batch=elementwise_batch(_gammasgn),
                   family="unary", namespace=SPECIAL)


def _dbetaln(a, b):
    return digamma(a) - digamma(a + b)


betaln = _binary("betaln", _lazy("betaln"), lambda ans, a, b: _dbetaln(a, b),
                 lambda ans, a, b: _dbetaln(b, a))
beta = _binary("beta", _lazy("beta"), lambda ans, a, b: ans * _dbetaln(a, b),
               lambda ans, a, b: ans * _dbetaln(b, a))


@export(namespace=SPECIAL)
def multigammaln(a, d):
    """log Γ_d(a), the log of the multivariate gamma function (d is a static integer).

    >>> import scipy.special as ss
    >>> bool(np.isclose(multigammaln(3.5, 3), ss.multigammaln(3.5, 3)))
    True
    """
    d = int(d)
    if result_type(lower(a)) != np.float64:   # SciPy's is float64
        a = E.astype(a, dtype=result_type(lower(a), np.float64))
    out = 0.25 * d * (d - 1) * _LOG_PI
    for j in range(d):
        out = out + gammaln(a - 0.5 * j)
    return out


# ---- incomplete integrals: derivative in x only ----------------------------------------------
# I_x(a, b)' = x^(a−1) (1−x)^(b−1) / B(a, b);  P(a, x)' = x^(a−1) e^(−x) / Γ(a) = −Q(a, x)'
def _dbetainc(ans, a, b, x):
    return E.exp(xlogy(a - 1.0, x) + xlog1py(b - 1.0, E.negative(x)) - betaln(a, b))


def _dgammainc(ans, a, x):
    return E.exp(xlogy(a - 1.0, x) - x - gammaln(a))


# ---- error function inverses and the normal distribution function ---------------------------
erfinv = E.unary("erfinv", _lazy("erfinv"), lambda ans, x: _SQRT_PI_2 * E.exp(ans * ans),
                 domain=Interval(-0.8, 0.8), namespace=SPECIAL, nan_safe=True, uses=reads("ans"))
erfcinv = E.unary("erfcinv", _lazy("erfcinv"),
                  lambda ans, x: -_SQRT_PI_2 * E.exp(ans * ans), domain=Interval(0.2, 1.8),
                  namespace=SPECIAL, nan_safe=True, uses=reads("ans"))
ndtr = E.unary("ndtr", _lazy("ndtr"), lambda ans, x: E.exp(-0.5 * x * x) / _SQRT_2PI,
               namespace=SPECIAL, uses=reads(0))
ndtri = E.unary("ndtri", _lazy("ndtri"), lambda ans, x: _SQRT_2PI * E.exp(0.5 * ans * ans),
                domain=Interval(0.05, 0.95), namespace=SPECIAL, nan_safe=True, uses=reads("ans"))
def _dlog_ndtr(ans, x):
    """φ(x)/Φ(x). As one exponential it is finite where φ and Φ both underflow (x = −40:
    4e−349), but −x²/2 − log Φ(x) cancels as x → −∞ (off in the 7th digit at −1e5, inf at
    −1e10); below −30 the ratio is Mills' asymptotic series t/(1 − 1/t² + 3/t⁴ − …),
    t = −x, to double precision."""
    far = E.less(x, -30.0)
    # Each branch is fed values that keep it finite where the other is selected, so that
    # where's zero cotangent meets no inf (nor the series a division by zero).
    xn = E.where(far, -1.0, x)
    an = E.where(far, -0.5 - 0.5 * _LOG_2PI, ans)
    near = E.exp(-0.5 * xn * xn - 0.5 * _LOG_2PI - an)
    t = E.negative(E.where(far, x, -100.0))
    u = E.reciprocal(t * t)
    series = t * (1.0 + u * (1.0 + u * (-2.0 + u * (10.0 + u * (-74.0 + u * (706.0 - 8162.0 * u))))))
    return E.where(far, series, near)


log_ndtr = E.unary("log_ndtr", _lazy("log_ndtr"), _dlog_ndtr, domain=Interval(-5.0, 3.0),
                   namespace=SPECIAL)

# ---- Bessel functions: the order is a parameter, the derivative is in x -----------------------
# I_v' = (I_{v−1} + I_{v+1})/2,  J_v' = (J_{v−1} − J_{v+1})/2 (likewise Y_v); the exponentially
# scaled ive(v, x) = iv(v, x)·e^(−|x|) subtracts sign(x)·ive(v, x).
iv = in_last("iv", _lazy("iv"), lambda ans, v, x: 0.5 * (iv(v - 1.0, x) + iv(v + 1.0, x)),
              ("v",))
def _dive(ans, v, x):
    if result_type(lower(x)).kind == "c":
        # ive(v, z) = iv(v, z)·e^(−|Re z|) is not holomorphic: its derivative is not one
        # complex factor, which this elementwise rule is. Refuse, never a wrong answer.
        raise TypeError("the derivative of ive at a complex argument is not implemented in "
                        "chainrule; differentiate iv(v, z) * exp(-abs(real(z))) instead")
    return 0.5 * (ive(v - 1.0, x) + ive(v + 1.0, x)) - E.sign(x) * ans


ive = in_last("ive", _lazy("ive"), _dive, ("v",))
jv = in_last("jv", _lazy("jv"), lambda ans, v, x: 0.5 * (jv(v - 1.0, x) - jv(v + 1.0, x)),
              ("v",))
yv = in_last("yv", _lazy("yv"), lambda ans, v, x: 0.5 * (yv(v - 1.0, x) - yv(v + 1.0, x)),
              ("v",))
i0 = E.unary("i0", _lazy("i0"), lambda ans, x: i1(x), namespace=SPECIAL, uses=reads(0))
i1 = E.unary("i1", _lazy("i1"), lambda ans, x: 0.5 * (i0(x) + iv(2.0, x)), namespace=SPECIAL,
             uses=reads(0))
i0e = E.unary("i0e", _lazy("i0e"), lambda ans, x: i1e(x) - E.sign(x) * ans, namespace=SPECIAL)
def _di1e(ans, x):
    # I₁' = (I₀ + I₂)/2, and I₂ = I₀ − 2 I₁/x for |x| > 1: SciPy's ive(2, x) is nan from
    # x ≈ 1e10 on, where i0e and i1e are still finite (the derivative was nan there).
    big = E.greater(E.absolute(x), 1.0)
    xb = E.where(big, x, 1.0)
    xs = E.where(big, 0.0, x)
    return E.where(big, i0e(x) - ans / xb, 0.5 * (i0e(x) + ive(2.0, xs))) - E.sign(x) * ans


i1e = E.unary("i1e", _lazy("i1e"), _di1e, namespace=SPECIAL)

# ---- x log y and the entropy family ----------------------------------------------------------
# ∂/∂y is x / y with 0/0 = 0: exactly 0 where x = 0 (SciPy's convention xlogy(0, y) = 0), and
# its own derivative in x is still 1/y, so the mixed second derivative is right at x = 0.
xlogy = _binary("xlogy", _lazy("xlogy"), lambda ans, x, y: E.log(y),
                lambda ans, x, y: E.nan_safe_divide(x, y), domain=(Interval(0.0, 2.0), _POS))
xlog1py = _binary("xlog1py", _lazy("xlog1py"), lambda ans, x, y: E.log1p(y),
                  lambda ans, x, y: E.nan_safe_divide(x, 1.0 + y),
                  domain=(Interval(0.0, 2.0), Interval(-0.5, 2.0)))
entr = E.unary("entr", _lazy("entr"), lambda ans, x: -1.0 - E.log(x), domain=_POS,
               namespace=SPECIAL, nan_safe=True, uses=reads(0))
rel_entr = _binary("rel_entr", _lazy("rel_entr"), lambda ans, x, y: E.log(x) - E.log(y) + 1.0,
                   lambda ans, x, y: E.negative(E.nan_safe_divide(x, y)))
kl_div = _binary("kl_div", _lazy("kl_div"), lambda ans, x, y: E.log(x) - E.log(y),
                 lambda ans, x, y: 1.0 - E.nan_safe_divide(x, y))

betainc = in_last("betainc", _lazy("betainc"), _dbetainc, ("a", "b"))
gammainc = in_last("gammainc", _lazy("gammainc"), _dgammainc, ("a",))
gammaincc = in_last("gammaincc", _lazy("gammaincc"),
                     lambda ans, a, x: E.negative(_dgammainc(ans, a, x)), ("a",))


# Owen's T(h, a) = (1/2π) ∫₀^a exp(−h²(1 + x²)/2)/(1 + x²) dx: both partials are closed forms,
# ∂T/∂h = −φ(h)·(Φ(a h) − 1/2) and ∂T/∂a = exp(−h²(1 + a²)/2)/(2π(1 + a²)).
owens_t = _binary("owens_t", _lazy("owens_t"),
                  lambda ans, h, a: E.negative(E.exp(-0.5 * h * h) / _SQRT_2PI) * (ndtr(a * h) - 0.5),
                  lambda ans, h, a: E.exp(-0.5 * h * h * (1.0 + a * a)) / (2.0 * np.pi * (1.0 + a * a)),
                  domain=(Interval(-2.0, 2.0), Interval(-2.0, 2.0)))

# Their inverses in the last argument: the derivative is the reciprocal of the function's
# derivative at the answer (which the rule reads), so the second derivative follows too.
gammaincinv = in_last("gammaincinv", _lazy("gammaincinv"),
                       lambda ans, a, y: E.reciprocal(_dgammainc(None, a, ans)), ("a",))
gammainccinv = in_last("gammainccinv", _lazy("gammainccinv"),
                        lambda ans, a, y: E.negative(E.reciprocal(_dgammainc(None, a, ans))),
                        ("a",))
betaincinv = in_last("betaincinv", _lazy("betaincinv"),
                      lambda ans, a, b, y: E.reciprocal(_dbetainc(None, a, b, ans)), ("a", "b"))


def _t_logpdf(df, t):
    """log of Student's t density with ``df`` degrees of freedom at ``t``."""
    h = 0.5 * (df + 1.0)
    return (gammaln(h) - gammaln(0.5 * df) - 0.5 * (E.log(df) + _LOG_PI)
            - h * E.log1p(t * t / df))


# Student's t distribution function; its derivative in t is the density.
stdtr = in_last("stdtr", _lazy("stdtr"), lambda ans, df, t: E.exp(_t_logpdf(df, t)), ("df",))


def _zeta_public(x, q=None):
    """Riemann ζ(x) (``q`` None) or Hurwitz ζ(x, q) = Σₖ (k + q)^(−x), as SciPy's;
    differentiable in both (∂/∂q = −x ζ(x + 1, q); ∂/∂x by Euler–Maclaurin, to rounding).

    >>> import chainrule as cr, chainrule.scipy.special as csp
    >>> round(float(csp.zeta(2.0)), 12), round(float(cr.grad(lambda q: csp.zeta(3.0, q))(1.0)), 12)
    (1.644934066848, -3.246969701133)
    >>> round(float(cr.grad(csp.zeta)(2.0)), 12)    # ζ'(2)
    -0.937548254316
    """
    return riemann_zeta(x) if q is None else zeta(x, q)


#: B₂ⱼ/(2j)! for j = 1…8, the Euler–Maclaurin corrections
_EM = (1 / 12, -1 / 720, 1 / 30240, -1 / 1209600, 1 / 47900160, -691 / 1307674368000,
       1 / 74724249600, -3617 / 10670622842880000)


def _dzeta_dx(ans, x, q):
    """∂ζ(x, q)/∂x: Euler–Maclaurin's ζ = Σ_{k<N} (k+q)^(−x) + w^(1−x)/(x−1) + w^(−x)/2
    + Σⱼ B₂ⱼ/(2j)! · x(x+1)…(x+2j−2) · w^(−x−2j+1), w = N + q, differentiated term by term.
    With N = 12 the remainder is below rounding for x > 1 and q > 0; written in chainrule
    operations, so that its own derivatives follow."""
    n = 12
    out = 0.0
    for k in range(n):
        lt = E.log(q + float(k))
        out = out - lt * E.exp(E.negative(x) * lt)
    lw = E.log(q + float(n))
    xm1 = x - 1.0
    wp = E.exp(E.negative(xm1) * lw)
    out = out - lw * wp / xm1 - wp / (xm1 * xm1) - 0.5 * lw * E.exp(E.negative(x) * lw)
    poly, dpoly = x, 1.0                      # x(x+1)…(x+2j−2) and its derivative
    for j, c in enumerate(_EM, start=1):
        if j > 1:
            a, b = x + (2 * j - 3), x + (2 * j - 2)
            dpoly = dpoly * a * b + poly * (a + b)
            poly = poly * a * b
        out = out + c * (dpoly - lw * poly) * E.exp((E.negative(x) - (2 * j - 1)) * lw)
    return out


zeta = _binary("zeta", _lazy("zeta"), lambda ans, x, q: _dzeta_dx(ans, x, q),
               lambda ans, x, q: E.negative(x) * zeta(x + 1.0, q),
               domain=(Interval(1.5, 4.0), Interval(0.5, 3.0)), public=_zeta_public)
# Riemann's ζ(x) is SciPy's one-argument zeta, its continuation below x = 1 included (the
# Hurwitz form ζ(x, 1) is nan there); the same Euler–Maclaurin derivative, at q = 1.
riemann_zeta = E.unary("riemann_zeta", _lazy("zeta"), lambda ans, x: _dzeta_dx(ans, x, 1.0),
                       domain=Interval(-0.9, 4.0), names=(), namespace=SPECIAL)
# its inverse in t: the derivative is 1/density at the answer
stdtrit = in_last("stdtrit", _lazy("stdtrit"),
                   lambda ans, df, p: E.exp(E.negative(_t_logpdf(df, ans))), ("df",))
