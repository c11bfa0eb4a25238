"""More of ``scipy.special``: elementary and exponential-integral functions, the gamma
family's remainders, Box-Cox transforms, Huber losses, complete elliptic integrals,
Lambert's W and the Faddeeva function.

The values are SciPy's own (its ufuncs, called when first evaluated), so dtypes and
edge cases are SciPy's. Each partial derivative is written with chainrule operations,
so second derivatives follow. Arguments with no closed-form derivative raise :class:`~chainrule.primitives.special_functions.UnsupportedDerivativeError`
when their derivative is asked for, never a silent zero.

>>> import chainrule as cr
>>> round(float(cr.grad(softplus)(0.0)), 6)      # expit(0)
0.5
"""

import numpy as np

from ..core.primitive import Primitive
from ..core.registry import SPECIAL, Interval
from .declare import declare, export
from .util import dtype
from .basic import unbroadcast, broadcast_like, elementwise_batch
from . import elementwise as E
from .special import _lazy, _sp, digamma, erf
from .special_functions import refuse_derivative, gamma

__all__ = ["partials"]

_LN2, _LN10 = float(np.log(2.0)), float(np.log(10.0))
_TWO_OVER_SQRT_PI = float(2.0 / np.sqrt(np.pi))
_INV_SQRT_2PI = float(1.0 / np.sqrt(2.0 * np.pi))
_POS = Interval(0.5, 3.0)


def _refuse(fname, argname):
    def rule(*args, **params):
        raise refuse_derivative(fname, argname)
    return rule


def partials(name, fn, argnames, ds, *, public=None, names=None, domain=None, fname=None):
    """An elementwise SciPy function of ``len(argnames)`` positional arrays with one partial
    derivative ``d(ans, *args)`` per argument (None: refused, no closed form), applied
    NaN-safely (a zero tangent or cotangent contributes zero)."""
    mul = E.nan_safe_multiply
    jvps, vjps = [], []
    for i, (arg, d) in enumerate(zip(argnames, ds)):
        if d is None:
            jvps.append(_refuse(fname or name, arg))
            vjps.append(_refuse(fname or name, arg))
            continue
        jvps.append(lambda t, ans, *a, d=d, **p: broadcast_like(mul(t, d(ans, *a, **p)), ans))
        vjps.append(lambda g, ans, *a, d=d, i=i, **p: unbroadcast(mul(g, d(ans, *a, **p)), a[i]))
    family = "unary" if len(ds) == 1 and ds[0] is not None and domain is not None else "special"
    return E.elementwise(Primitive(name, fn), jvps, vjps, family=family, domain=domain,
                         namespace=SPECIAL, names=names, public=public)


def _unary(name, fn, d, *, domain=None, names=None):
    """A real-or-complex function of one argument, its rule tests generated from ``domain``."""
    return E.unary(name, fn, d, domain=domain, names=names, namespace=SPECIAL, nan_safe=True)


# ---- elementary -------------------------------------------------------------------------------
softplus = _unary("softplus", _lazy("softplus"), lambda ans, x: E.expit(x))
log_expit = _unary("log_expit", _lazy("log_expit"), lambda ans, x: E.expit(E.negative(x)))
exp2 = _unary("special_exp2", _lazy("exp2"), lambda ans, x: ans * _LN2, names=("exp2",))
exp10 = _unary("exp10", _lazy("exp10"), lambda ans, x: ans * _LN10)
expm1 = _unary("special_expm1", _lazy("expm1"), lambda ans, x: ans + 1.0, names=("expm1",))
log1p = _unary("special_log1p", _lazy("log1p"), lambda ans, x: E.reciprocal(1.0 + x),
               domain=Interval(-0.5, 2.0), names=("log1p",))
# cbrt' = 1/(3·cbrt(x)²): inf at 0, as the cube root's slope is
cbrt = _unary("special_cbrt", _lazy("cbrt"), lambda ans, x: E.reciprocal(3.0 * ans * ans),
              domain=Interval(0.5, 3.0), names=("cbrt",))
_round = Primitive("special_round", _lazy("round"))
declare(_round, jvp=None, vjp=None, batch=elementwise_batch(_round), family="unary",
        names=("round",), namespace=SPECIAL)


@export(namespace=SPECIAL)
def sinc(x):
    """sin(πx)/(πx), 1 at 0 (``scipy.special.sinc`` is NumPy's ``sinc``).

    >>> import chainrule as cr
    >>> float(cr.grad(sinc)(0.5)).__round__(6)     # (πx cos πx − sin πx)/(πx²)
    -1.27324
    """
    return E.sinc(x)


# ---- error-function relatives and exponential integrals ---------------------------------------
erfcx = _unary("erfcx", _lazy("erfcx"), lambda ans, x: 2.0 * x * ans - _TWO_OVER_SQRT_PI)
dawsn = _unary("dawsn", _lazy("dawsn"), lambda ans, x: 1.0 - 2.0 * x * ans)
erfi = _unary("erfi", _lazy("erfi"), lambda ans, x: _TWO_OVER_SQRT_PI * E.exp(x * x))
exp1 = _unary("exp1", _lazy("exp1"), lambda ans, x: E.negative(E.exp(E.negative(x)) / x),
              domain=_POS)
expi = _unary("expi", _lazy("expi"), lambda ans, x: E.exp(x) / x, domain=_POS)


def _dexpn(ans, n, x):
    # E_n' = −E_{n−1}; E_0 = e^(−x)/x (SciPy's expn(−1, x) is nan), so E_0' = −E_0·(1 + 1/x)
    above = E.greater_equal(n, 1)
    return E.where(above, E.negative(expn(E.maximum(n - 1, 0), x)),
                   E.negative(ans) * (1.0 + E.reciprocal(x)))


expn = partials("expn", _lazy("expn"), ("n", "x"), (None, _dexpn))



def _dspence(z):
    # spence(z) = ∫₁ᶻ log t/(1 − t) dt: its derivative log z/(1 − z) has the limit −1 at z = 1
    one = E.equal(z, 1.0)
    zs = E.where(one, 2.0, z)
    return E.where(one, -1.0, E.log(zs) / (1.0 - zs))


spence = _unary("spence", _lazy("spence"), lambda ans, z: _dspence(z), domain=_POS)

# ---- the gamma family -------------------------------------------------------------------------
loggamma = _unary("loggamma", _lazy("loggamma"), lambda ans, x: digamma(x), domain=_POS)
rgamma = _unary("rgamma", _lazy("rgamma"), lambda ans, x: E.negative(ans) * digamma(x),
                domain=_POS)
poch = partials("poch", _lazy("poch"), ("z", "m"),
                (lambda ans, z, m: ans * (digamma(z + m) - digamma(z)),
                 lambda ans, z, m: ans * digamma(z + m)))
binom = partials("binom", _lazy("binom"), ("n", "k"),
                 (lambda ans, n, k: ans * (digamma(n + 1.0) - digamma(n - k + 1.0)),
                  lambda ans, n, k: ans * (digamma(n - k + 1.0) - digamma(k + 1.0))))


def _exact(fname, args):
    for a in args:
        if not isinstance(a, (int, float, np.integer, np.floating, np.ndarray, list, tuple)):
            raise TypeError(f"{fname}(..., exact=True) gives Python integers, which have no "
                            f"derivative; use exact=False (floating point) to differentiate")


@export(namespace=SPECIAL)
def factorial(n, exact=False, extend="zero"):
    """n! as Γ(n + 1), 0 for negative n (SciPy's ``exact=False``); differentiable in n
    through the gamma function. ``exact=True`` gives SciPy's integers for plain input.

    >>> import chainrule as cr
    >>> float(factorial(4.0)), round(float(cr.grad(factorial)(1.0)), 6)   # 1 − γ
    (24.0, 0.422784)
    """
    if exact:
        _exact("factorial", (n,))
        return _sp().factorial(n, exact=True, extend=extend)
    if dtype(n).kind == "c":
        raise TypeError("factorial: complex input is not supported (SciPy asks for "
                        "extend='complex'; chainrule has only extend='zero')")
    if extend != "zero":
        raise ValueError("factorial: only extend='zero' is supported with a derivative "
                         "(SciPy's 'complex' extension takes complex input)")
    n = E.astype(n, dtype=np.float64)   # SciPy's factorial is float64 whatever the input
    ok = E.greater_equal(n, 0)
    out = E.where(ok, gamma(E.where(ok, n, 0.0) + 1.0), 0.0)
    return E.where(E.isnan(n), np.nan, out)   # SciPy's nan (n ≥ 0 is False for nan)


@export(namespace=SPECIAL)
def comb(N, k, *, exact=False, repetition=False):
    """The number of combinations C(N, k) as SciPy computes it with ``exact=False``:
    ``binom(N, k)`` where 0 ≤ k ≤ N, else 0; ``repetition=True`` gives C(N + k − 1, k).
    Differentiable in N and k through :func:`binom`.

    >>> round(float(comb(5.0, 2.0)), 9)
    10.0
    """
    if exact:
        _exact("comb", (N, k))
        return _sp().comb(N, k, exact=True, repetition=repetition)
    if repetition:
        N = N + k - 1.0
    ok = E.logical_and(E.logical_and(E.greater_equal(k, 0), E.greater_equal(N, 0)),
                       E.greater_equal(N, k))
    return E.where(ok, binom(N, k), 0.0)


# ---- Box-Cox: the power λ is differentiable too -----------------------------------------------
def _series(u, coeffs):
    """Σ cⱼ uʲ by Horner's rule (a polynomial in chainrule operations: differentiable)."""
    out = coeffs[-1]
    for c in coeffs[-2::-1]:
        out = out * u + c
    return out


_SMALL = 0.1
# ∂λ of (e^(λL) − 1)/λ is L²·Σ (j+1) uʲ/(j+2)!, u = λL: the closed form cancels for small u
_DBOX = [(j + 1) / float(np.prod(np.arange(1, j + 3))) for j in range(14)]
# h(v) = log1p(v)/v has h'(v) = Σ_{j≥1} (−1)ʲ j v^(j−1)/(j+1)
_DH = [(-1) ** j * j / (j + 1.0) for j in range(1, 16)]


def _dbox_dlambda(L, lmbda):
    u = lmbda * L
    small = E.less(E.absolute(u), _SMALL)
    us = E.where(small, u, 0.0)
    ub, lb = E.where(small, 1.0, u), E.where(small, 1.0, lmbda)
    direct = (ub * E.exp(ub) - E.expm1(ub)) / (lb * lb)
    return E.where(small, L * L * _series(us, _DBOX), direct)


def _dinv_dlambda(ans, y, lmbda):
    v = lmbda * y
    small = E.less(E.absolute(v), _SMALL)
    vs, vb = E.where(small, v, 0.0), E.where(small, 1.0, v)
    direct = (vb / (1.0 + vb) - E.log1p(vb)) / (vb * vb)
    return ans * y * y * E.where(small, _series(vs, _DH), direct)


boxcox = partials("boxcox", _lazy("boxcox"), ("x", "lmbda"),
                  (lambda ans, x, l: E.exp((l - 1.0) * E.log(x)),
                   lambda ans, x, l: _dbox_dlambda(E.log(x), l)))
boxcox1p = partials("boxcox1p", _lazy("boxcox1p"), ("x", "lmbda"),
                    (lambda ans, x, l: E.exp((l - 1.0) * E.log1p(x)),
                     lambda ans, x, l: _dbox_dlambda(E.log1p(x), l)))
inv_boxcox = partials("inv_boxcox", _lazy("inv_boxcox"), ("y", "lmbda"),
                      (lambda ans, y, l: ans / (1.0 + l * y),
                       lambda ans, y, l: _dinv_dlambda(ans, y, l)))
inv_boxcox1p = partials("inv_boxcox1p", _lazy("inv_boxcox1p"), ("y", "lmbda"),
                        (lambda ans, y, l: (ans + 1.0) / (1.0 + l * y),
                         lambda ans, y, l: _dinv_dlambda(ans + 1.0, y, l)))


# ---- Huber losses -----------------------------------------------------------------------------
def _inside(delta, r):
    return E.less_equal(E.absolute(r), delta)


huber = partials("huber", _lazy("huber"), ("delta", "r"),
                 (lambda ans, d, r: E.where(_inside(d, r), 0.0, E.absolute(r) - d),
                  lambda ans, d, r: E.where(_inside(d, r), r, d * E.sign(r))))


def _ph_root(d, r):
    return E.sqrt(1.0 + (r / d) * (r / d))


pseudo_huber = partials(
    "pseudo_huber", _lazy("pseudo_huber"), ("delta", "r"),
    (lambda ans, d, r: 2.0 * ans / d - r * r / (d * _ph_root(d, r)),
     lambda ans, d, r: r / _ph_root(d, r)))

# (Owen's T and the zeta function are declared in special_functions, with the distributions
# that use them: skewnorm's cdf, zipf)


# ---- complete elliptic integrals (parameter m) -----------------------------------------------
# K'(m) = (E − (1−m)K) / (2m(1−m)),  E'(m) = (E − K)/(2m); both have the limit ±π/8 at m = 0
_PI_8 = float(np.pi / 8.0)


def _dellipk(m):
    zero = E.equal(m, 0.0)
    ms = E.where(zero, 0.5, m)
    return E.where(zero, _PI_8, (ellipe(ms) - (1.0 - ms) * ellipk(ms)) / (2.0 * ms * (1.0 - ms)))


def _dellipe(ans, m):
    zero = E.equal(m, 0.0)
    ms = E.where(zero, 0.5, m)
    return E.where(zero, -_PI_8, (ellipe(ms) - ellipk(ms)) / (2.0 * ms))


ellipk = _unary("ellipk", _lazy("ellipk"), lambda ans, m: _dellipk(m), domain=Interval(0.1, 0.9))
ellipe = _unary("ellipe", _lazy("ellipe"), _dellipe, domain=Interval(0.1, 0.9))
ellipkm1 = _unary("ellipkm1", _lazy("ellipkm1"), lambda ans, p: E.negative(_dellipk(1.0 - p)),
                  domain=Interval(0.1, 0.9))


# ---- Lambert's W and the Faddeeva function: complex outputs -----------------------------------
def _lambertw_impl(z, k=0, tol=1e-8):
    return _sp().lambertw(z, k, tol)


# W' = W/(z(1 + W)) = e^(−W)/(1 + W): the second form is finite at z = 0 (W' = 1)
_lambertw = partials("lambertw", _lambertw_impl, ("z",),
                     (lambda ans, z, k=0, tol=1e-8: E.exp(E.negative(ans)) / (1.0 + ans),),
                     names=())


@export(namespace=SPECIAL, prim=_lambertw)
def lambertw(z, k=0, tol=1e-8):
    """Branch ``k`` of Lambert's W, the inverse of w·eʷ (complex, as SciPy's), with
    W' = e^(−W)/(1 + W). For real z the derivative of the real part is the real part of
    the derivative.

    >>> import chainrule as cr, chainrule.numpy as cnp
    >>> complex(lambertw(1.0)).real.__round__(6)                       # the omega constant
    0.567143
    >>> round(float(cr.grad(lambda z: cnp.real(lambertw(z)))(0.0)), 6)
    1.0
    """
    return _lambertw(z, k=int(k), tol=float(tol))


wofz = _unary("wofz", _lazy("wofz"),
              lambda ans, z: -2.0 * z * ans + 1j * _TWO_OVER_SQRT_PI)
