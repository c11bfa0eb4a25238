"""Yet more of ``scipy.special``, each differentiable where its derivative has a closed form:
the shifted and the C/S Chebyshev polynomials, the associated Legendre function ``lpmv``,
Carlson's symmetric elliptic integrals (DLMF 19.18), the Jacobi elliptic functions ``ellipj``,
the arithmetic-geometric mean, Kelvin functions, the integrals of Airy, Bessel and Struve
functions (their derivatives are the integrands), parabolic cylinder functions, Mathieu
functions and the modified Fresnel integrals.

SciPy gives several of them with their derivative (``pbdv`` returns D_v and D_v'); the second
derivative then comes from the function's differential equation, so every order is exact.
Orders, degrees and characteristic parameters have no closed-form derivative: asking for one
raises :class:`~chainrule.primitives.special_functions.UnsupportedDerivativeError`.

>>> import chainrule as cr
>>> round(float(cr.grad(lambda x: elliprf(x, 1.0, 2.0))(1.0)), 12) == round(
...     float(-elliprd(1.0, 2.0, 1.0) / 6.0), 12)
True
"""

import numpy as np

from ..core.primitive import Primitive
from ..core.registry import SPECIAL
from .declare import export, value_only
from .basic import elementwise_batch
from . import elementwise as E
from .special import _lazy, _sp
from .special_functions import i0
from .special_elementary import partials, ellipk, ellipe
from .special_orthogonal import (eval_gegenbauer, eval_chebyu, eval_jacobi, j0, y0, k0, struve,
                                 modstruve)
from .special_elementary import binom
from .special_inverses import ellipeinc
from .special_pairs import airy

__all__ = ["value_only_ufunc", "float64_loop"]

_RAD = float(np.pi / 180.0)
_INV_SQRT_PI = float(1.0 / np.sqrt(np.pi))


def _in_x(name, params, d):
    """f(*params, x) differentiable in x only, ∂f/∂x = ``d(ans, *params, x)``."""
    return partials(name, _lazy(name), params + ("x",), (None,) * len(params) + (d,))


def float64_loop(fn):
    """``fn`` run in float64 when an argument is float32 or float16, the results cast back to
    float32: SciPy's float32 loops of the spheroidal functions never return (SciPy 1.17)."""
    def run(*args):
        low = [np.asarray(a).dtype in (np.float32, np.float16) for a in args]
        if not any(low):
            return fn(*args)
        out = fn(*[np.asarray(a, dtype=np.float64) if np.asarray(a).dtype.kind == "f" else a
                   for a in args])
        if isinstance(out, tuple):
            return tuple(np.asarray(o).astype(np.float32)[()] for o in out)
        return np.asarray(out).astype(np.float32)[()]
    return run


def _part(fname, index, argnames, ds, upcast=False, guard=None):
    """Component ``index`` of SciPy's ``fname`` (a tuple of arrays) as an internal primitive;
    ``guard(*args)``, where given, marks the points SciPy must not see (their answer is nan)."""
    def impl(*args):
        if guard is not None:
            return _guarded(getattr(_sp(), fname), guard, args)[index]
        return getattr(_sp(), fname)(*args)[index]
    return partials(f"{fname}_{index}", float64_loop(impl) if upcast else impl, argnames, ds,
                    names=(), fname=fname)


def _guarded(f, guard, args):
    """``f(*args)`` with nan at the points ``guard`` marks, where f itself is never called."""
    bad = guard(*args)
    if not np.any(bad):
        return f(*args)
    arrays = np.broadcast_arrays(*[np.asarray(a) for a in args])
    safe = [np.where(bad, np.zeros((), a.dtype), a) for a in arrays]
    return tuple(np.where(bad, np.nan, out)[()] for out in f(*safe))


def value_only_ufunc(name, why, upcast=False):
    """SciPy's ufunc ``name`` with its values and batching, its derivative refused with ``why``
    (a function of shape parameters or characteristic values: no closed form)."""
    prim = Primitive(name, float64_loop(_lazy(name)) if upcast else _lazy(name))
    return value_only(prim, why=why, batch=elementwise_batch(prim), namespace=SPECIAL)


def _lower(n, d):
    """``d(n − 1)``, and 0 for the constant polynomial (an integer degree below 1)."""
    constant = E.logical_and(E.less(n, 1), E.equal(n, E.floor(n)))
    return E.where(constant, 0.0, d(E.where(constant, 1, n) - 1))


def _over_x(f, at_zero):
    """f(x)/x, with its limit ``at_zero`` at x = 0 (where f(0) = 0)."""
    def d(x):
        zero = E.equal(x, 0.0)
        xs = E.where(zero, 1.0, x)
        return E.where(zero, at_zero, f(xs) / xs)
    return d


# ---- orthogonal polynomials: shifted (x → 2x − 1) and the C/S Chebyshev (x → x/2) -------------
eval_sh_legendre = _in_x(
    "eval_sh_legendre", ("n",),
    lambda ans, n, x: _lower(n, lambda m: 2.0 * eval_gegenbauer(m, 1.5, 2.0 * x - 1.0)))
eval_sh_chebyt = _in_x(
    "eval_sh_chebyt", ("n",),
    lambda ans, n, x: _lower(n, lambda m: 2.0 * n * eval_chebyu(m, 2.0 * x - 1.0)))
eval_sh_chebyu = _in_x(
    "eval_sh_chebyu", ("n",),
    lambda ans, n, x: _lower(n, lambda m: 4.0 * eval_gegenbauer(m, 2.0, 2.0 * x - 1.0)))
eval_chebyc = _in_x("eval_chebyc", ("n",),
                    lambda ans, n, x: _lower(n, lambda m: n * eval_chebyu(m, 0.5 * x)))
eval_chebys = _in_x("eval_chebys", ("n",),
                    lambda ans, n, x: _lower(n, lambda m: eval_gegenbauer(m, 2.0, 0.5 * x)))
# G_n^(p,q)(x) = P_n^(p−q, q−1)(2x − 1)/binom(2n + p − 1, n)
eval_sh_jacobi = _in_x(
    "eval_sh_jacobi", ("n", "p", "q"),
    lambda ans, n, p, q, x: _lower(n, lambda m: (n + p) * eval_jacobi(
        m, p - q + 1.0, q, 2.0 * x - 1.0) / binom(2.0 * n + p - 1.0, n)))


# ---- the associated Legendre function: (1 − x²) P' = (m − v − 1) P_{v+1} + (v + 1) x P_v ---------
lpmv = _in_x("lpmv", ("m", "v"),
             lambda ans, m, v, x: ((m - v - 1.0) * lpmv(m, v + 1.0, x) + (v + 1.0) * x * ans)
             / (1.0 - x * x))


# ---- Carlson's symmetric elliptic integrals: ∂_z R_{−a}(b; z) = −(a b_j/c) R_{−a−1}(b + e_j; z) --
def _drd_first(ans, x, y, z):
    # ∂x R_D(x, y, z) by partial fractions of its integral (x ≠ z)
    return (ans - elliprd(y, z, x)) / (2.0 * (z - x))


def _drd_last(ans, x, y, z):
    # R_D is homogeneous of degree −3/2: x∂x + y∂y + z∂z = −(3/2) R_D
    return (-1.5 * ans - x * _drd_first(ans, x, y, z) - y * _drd_first(ans, y, x, z)) / z


def _drc_y(ans, x, y):
    # −R_D(x, y, y)/3, written to hold for the Cauchy principal value at y < 0 too
    return (ans - E.sqrt(x) / y) / (2.0 * (x - y))


elliprf = partials("elliprf", _lazy("elliprf"), ("x", "y", "z"),
                   (lambda ans, x, y, z: elliprd(y, z, x) / -6.0,
                    lambda ans, x, y, z: elliprd(z, x, y) / -6.0,
                    lambda ans, x, y, z: elliprd(x, y, z) / -6.0))
elliprc = partials("elliprc", _lazy("elliprc"), ("x", "y"),
                   (lambda ans, x, y: (-0.5 * ans - y * _drc_y(ans, x, y)) / x, _drc_y))
elliprd = partials("elliprd", _lazy("elliprd"), ("x", "y", "z"),
                   (_drd_first, lambda ans, x, y, z: _drd_first(ans, y, x, z), _drd_last))


def _drj(ans, x, y, z, p):
    # ∂x R_J(x, y, z, p) by partial fractions (x ≠ p)
    return (ans - elliprd(y, z, x)) / (2.0 * (p - x))


elliprj = partials(
    "elliprj", _lazy("elliprj"), ("x", "y", "z", "p"),
    (_drj, lambda ans, x, y, z, p: _drj(ans, y, x, z, p),
     lambda ans, x, y, z, p: _drj(ans, z, y, x, p),
     lambda ans, x, y, z, p: (-1.5 * ans - x * _drj(ans, x, y, z, p) - y * _drj(ans, y, x, z, p)
                              - z * _drj(ans, z, y, x, p)) / p))
# ∂z R_G(x, y, z) = R_F(x, y, z)/4 − z R_D(x, y, z)/12
elliprg = partials("elliprg", _lazy("elliprg"), ("x", "y", "z"),
                   (lambda ans, x, y, z: elliprf(x, y, z) / 4.0 - x * elliprd(y, z, x) / 12.0,
                    lambda ans, x, y, z: elliprf(x, y, z) / 4.0 - y * elliprd(z, x, y) / 12.0,
                    lambda ans, x, y, z: elliprf(x, y, z) / 4.0 - z * elliprd(x, y, z) / 12.0))


# ---- Jacobi elliptic functions: u = F(φ|m), sn = sin φ, cn = cos φ, dn = √(1 − m sn²) ----------
def _dph_dm(u, m):
    # ∂φ/∂m at fixed u = −dn·∂F/∂m; at m = 0 its limit sin(2u)/8 − u/4
    zero = E.equal(m, 0.0)
    ms = E.where(zero, 0.5, m)
    sn, cn, dn, ph = _sn(u, ms), _cn(u, ms), _dn(u, ms), _ph(u, ms)
    general = -dn * (ellipeinc(ph, ms) - (1.0 - ms) * u) / (2.0 * ms * (1.0 - ms)) \
        + sn * cn / (2.0 * (1.0 - ms))
    return E.where(zero, E.sin(2.0 * u) / 8.0 - u / 4.0, general)


_UM = ("u", "m")
_sn = _part("ellipj", 0, _UM, (lambda ans, u, m: _cn(u, m) * _dn(u, m),
                               lambda ans, u, m: _cn(u, m) * _dph_dm(u, m)))
_cn = _part("ellipj", 1, _UM, (lambda ans, u, m: -_sn(u, m) * _dn(u, m),
                               lambda ans, u, m: -_sn(u, m) * _dph_dm(u, m)))
_dn = _part("ellipj", 2, _UM, (
    lambda ans, u, m: -m * _sn(u, m) * _cn(u, m),
    lambda ans, u, m: -(_sn(u, m) ** 2 + 2.0 * m * _sn(u, m) * _cn(u, m) * _dph_dm(u, m))
    / (2.0 * ans)))
_ph = _part("ellipj", 3, _UM, (lambda ans, u, m: _dn(u, m), lambda ans, u, m: _dph_dm(u, m)))


@export(namespace=SPECIAL)
def ellipj(u, m):
    """The Jacobi elliptic functions (sn, cn, dn, ph) of u and the parameter m, differentiable
    in both (∂/∂u sn = cn·dn; ∂/∂m through the amplitude, ∂φ/∂m = −dn·∂F(φ|m)/∂m).

    >>> import chainrule as cr, scipy.special as ss
    >>> all(abs(a - b) < 1e-15 for a, b in zip(ellipj(0.8, 0.3), ss.ellipj(0.8, 0.3)))
    True
    >>> sn, cn, dn, ph = ss.ellipj(0.8, 0.3)
    >>> bool(abs(float(cr.grad(lambda u: ellipj(u, 0.3)[0])(0.8)) - cn * dn) < 1e-15)
    True
    """
    return _sn(u, m), _cn(u, m), _dn(u, m), _ph(u, m)


# ---- the arithmetic-geometric mean: agm(a, b) = π(a + b)/(4K(k²)), k = (a − b)/(a + b) -----------
def _dagm(ans, a, b, which):
    s = a + b
    k = (a - b) / s
    zero = E.equal(k, 0.0)
    ks = E.where(zero, 0.5, k)
    ms = ks * ks
    # 2k·dK/dm, which tends to 0 with k
    g = E.where(zero, 0.0, (ellipe(ms) - (1.0 - ms) * ellipk(ms)) / (ks * (1.0 - ms)))
    other = b if which == "a" else E.negative(a)
    return ans / s - ans / ellipk(k * k) * g * 2.0 * other / (s * s)


agm = partials("agm", _lazy("agm"), ("a", "b"),
               (lambda ans, a, b: _dagm(ans, a, b, "a"), lambda ans, a, b: _dagm(ans, a, b, "b")))


# ---- Kelvin functions: ber + i·bei solves x²w'' + xw' − ix²w = 0, so ber'' = −ber'/x − bei -------
def _kelvin(name, d):
    return partials(name, _lazy(name), ("x",), (d,))


ber = _kelvin("ber", lambda ans, x: berp(x))
bei = _kelvin("bei", lambda ans, x: beip(x))
ker = _kelvin("ker", lambda ans, x: kerp(x))
kei = _kelvin("kei", lambda ans, x: keip(x))
# berp(x)/x → 0 and beip(x)/x → 1/2 at 0 (ber = 1 − x⁴/64 + …, bei = x²/4 − …)
berp = _kelvin("berp", lambda ans, x: E.negative(_over_x(berp, 0.0)(x)) - bei(x))
beip = _kelvin("beip", lambda ans, x: ber(x) - _over_x(beip, 0.5)(x))
kerp = _kelvin("kerp", lambda ans, x: E.negative(ans / x) - kei(x))
keip = _kelvin("keip", lambda ans, x: ker(x) - ans / x)


@export(namespace=SPECIAL)
def kelvin(x):
    """The Kelvin functions as complex numbers (Be, Ke, Be', Ke') with Be = ber + i·bei and
    Ke = ker + i·kei, SciPy's ``kelvin``; differentiable in x.

    >>> import scipy.special as ss
    >>> all(abs(a - b) < 1e-14 for a, b in zip(kelvin(1.5), ss.kelvin(1.5)))
    True
    """
    return (ber(x) + 1j * bei(x), ker(x) + 1j * kei(x), berp(x) + 1j * beip(x),
            kerp(x) + 1j * keip(x))


# ---- integrals of Airy, Bessel and Struve functions: their derivatives are the integrands --------
_X = ("x",)
_itairy = (_part("itairy", 0, _X, (lambda ans, x: airy(x)[0],)),
           _part("itairy", 1, _X, (lambda ans, x: airy(x)[2],)),
           _part("itairy", 2, _X, (lambda ans, x: airy(E.negative(x))[0],)),
           _part("itairy", 3, _X, (lambda ans, x: airy(E.negative(x))[2],)))
_iti0k0 = (_part("iti0k0", 0, _X, (lambda ans, x: i0(x),)),
           _part("iti0k0", 1, _X, (lambda ans, x: k0(x),)))
_itj0y0 = (_part("itj0y0", 0, _X, (lambda ans, x: j0(x),)),
           _part("itj0y0", 1, _X, (lambda ans, x: y0(x),)))
# ∫₀ˣ (I₀(t) − 1)/t dt and ∫ₓ^∞ K₀(t)/t dt
_it2i0k0 = (_part("it2i0k0", 0, _X, (lambda ans, x: _over_x(lambda t: i0(t) - 1.0, 0.0)(x),)),
            _part("it2i0k0", 1, _X, (lambda ans, x: E.negative(k0(x) / x),)))
_it2j0y0 = (_part("it2j0y0", 0, _X, (lambda ans, x: _over_x(lambda t: 1.0 - j0(t), 0.0)(x),)),
            _part("it2j0y0", 1, _X, (lambda ans, x: E.negative(y0(x) / x),)))
itstruve0 = _in_x("itstruve0", (), lambda ans, x: struve(0.0, x))
# ∫ₓ^∞ H₀(t)/t dt: H₀(x)/x → 2/π at 0
it2struve0 = _in_x("it2struve0", (),
                   lambda ans, x: E.negative(_over_x(lambda t: struve(0.0, t),
                                                     float(2.0 / np.pi))(x)))
itmodstruve0 = _in_x("itmodstruve0", (), lambda ans, x: modstruve(0.0, x))


def _tuple_function(name, parts, doc):
    def public(x):
        return tuple(p(x) for p in parts)
    public.__name__ = public.__qualname__ = name
    public.__doc__ = doc + (f"\n\n    >>> import scipy.special as ss\n    >>> all(abs(a - b) < "
                            f"1e-15 for a, b in zip({name}(0.7), ss.{name}(0.7)))\n    True\n    ")
    return export(name, namespace=SPECIAL)(public)


itairy = _tuple_function("itairy", _itairy, "The integrals of Ai(t), Bi(t), Ai(−t), Bi(−t) "
                         "from 0 to x; differentiable in x (the derivatives are the integrands).")
iti0k0 = _tuple_function("iti0k0", _iti0k0, "The integrals of I₀ and K₀ from 0 to x; "
                         "differentiable in x.")
itj0y0 = _tuple_function("itj0y0", _itj0y0, "The integrals of J₀ and Y₀ from 0 to x; "
                         "differentiable in x.")
it2i0k0 = _tuple_function("it2i0k0", _it2i0k0, "∫₀ˣ (I₀(t) − 1)/t dt and ∫ₓ^∞ K₀(t)/t dt; "
                          "differentiable in x.")
it2j0y0 = _tuple_function("it2j0y0", _it2j0y0, "∫₀ˣ (1 − J₀(t))/t dt and ∫ₓ^∞ Y₀(t)/t dt; "
                          "differentiable in x.")


# ---- SciPy's pairs (f, f'): the second derivative from the function's differential equation ------
def _value_and_derivative(fname, params, second, doc, example, guard=None):
    """SciPy's ``fname(*params, x) -> (f, f')`` as two primitives, f'' = second(f, *params, x)."""
    argnames = params + ("x",)
    none = (None,) * len(params)
    value = _part(fname, 0, argnames, none + (lambda ans, *a: slope(*a),), guard=guard)
    slope = _part(fname, 1, argnames, none + (lambda ans, *a: second(value(*a), *a),),
                  guard=guard)

    def public(*args):
        return value(*args), slope(*args)
    public.__name__ = public.__qualname__ = fname
    public.__doc__ = doc + (f"\n\n    >>> import scipy.special as ss\n    >>> all(abs(a - b) < "
                            f"1e-14 for a, b in zip({fname}({example}), ss.{fname}({example})))"
                            f"\n    True\n    ")
    return export(fname, namespace=SPECIAL)(public)


# D_v'' = (x²/4 − v − 1/2) D_v, and V_v solves the same equation; W'' = (a − x²/4) W
pbdv = _value_and_derivative("pbdv", ("v",), lambda f, v, x: (0.25 * x * x - v - 0.5) * f,
                             "The parabolic cylinder function D_v(x) and its derivative; "
                             "differentiable in x.", "1.3, 0.4")
pbvv = _value_and_derivative("pbvv", ("v",), lambda f, v, x: (0.25 * x * x - v - 0.5) * f,
                             "The parabolic cylinder function V_v(x) and its derivative; "
                             "differentiable in x.", "1.3, 0.4")
pbwa = _value_and_derivative("pbwa", ("a",), lambda f, a, x: (a - 0.25 * x * x) * f,
                             "The parabolic cylinder function W(a, x) and its derivative; "
                             "differentiable in x.", "1.3, 0.4")


# ---- Mathieu functions: y'' = −(a − 2q cos 2x) y; SciPy's angle x is in degrees, y' in radians ---
def _mathieu_crashes(m, q, x):
    """The points where SciPy 1.17's Mathieu functions end the process (a segmentation fault):
    an order m = +inf, or an infinite or nan q. Their answer is nan (SciPy's at m = −inf)."""
    m, q = np.asarray(m), np.asarray(q)
    return np.broadcast_to(np.isposinf(m) | ~np.isfinite(q), np.broadcast_shapes(
        m.shape, q.shape, np.shape(x)))


def _mathieu(fname, characteristic):
    def second(f, m, q, x):
        return E.negative(characteristic(m, q) - 2.0 * q * E.cos(2.0 * _RAD * x)) * f

    argnames = ("m", "q", "x")
    value = _part(fname, 0, argnames, (None, None, lambda ans, m, q, x: _RAD * slope(m, q, x)),
                  guard=_mathieu_crashes)
    slope = _part(fname, 1, argnames,
                  (None, None, lambda ans, m, q, x: _RAD * second(value(m, q, x), m, q, x)),
                  guard=_mathieu_crashes)

    def public(m, q, x):
        return value(m, q, x), slope(m, q, x)
    public.__name__ = public.__qualname__ = fname
    public.__doc__ = (f"SciPy's ``{fname}(m, q, x)`` (x in degrees) and its derivative (per "
                      f"radian); differentiable in x.\n\n    >>> import scipy.special as ss\n"
                      f"    >>> all(abs(a - b) < 1e-14 for a, b in zip({fname}(2, 1.5, 30.0), "
                      f"ss.{fname}(2, 1.5, 30.0)))\n    True\n    ")
    return export(fname, namespace=SPECIAL)(public)


def _modified_mathieu(fname, characteristic):
    # the radial equation y'' = (a − 2q cosh 2x) y, x in ordinary units
    return _value_and_derivative(
        fname, ("m", "q"), lambda f, m, q, x: (characteristic(m, q) - 2.0 * q * E.cosh(2.0 * x))
        * f, f"SciPy's modified Mathieu function ``{fname}(m, q, x)`` and its derivative; "
             f"differentiable in x.", "2, 1.5, 0.7", guard=_mathieu_crashes)


def _mathieu_a(m, q):
    return mathieu_a(m, q)


def _mathieu_b(m, q):
    return mathieu_b(m, q)


# the characteristic values a_m(q), b_m(q): their derivative in q has no closed form
_NO_Q = "the characteristic values of Mathieu's equation have no closed-form derivative in q"
mathieu_a = value_only_ufunc("mathieu_a", _NO_Q)
mathieu_b = value_only_ufunc("mathieu_b", _NO_Q)
mathieu_cem = _mathieu("mathieu_cem", _mathieu_a)
mathieu_sem = _mathieu("mathieu_sem", _mathieu_b)
mathieu_modcem1 = _modified_mathieu("mathieu_modcem1", _mathieu_a)
mathieu_modcem2 = _modified_mathieu("mathieu_modcem2", _mathieu_a)
mathieu_modsem1 = _modified_mathieu("mathieu_modsem1", _mathieu_b)
mathieu_modsem2 = _modified_mathieu("mathieu_modsem2", _mathieu_b)


# ---- modified Fresnel integrals: F±(x) = ∫ₓ^∞ exp(±it²) dt, K±(x) = exp(∓i(x² + π/4)) F±/√π ------
_E_MINUS, _E_PLUS = complex(np.exp(-0.25j * np.pi)), complex(np.exp(0.25j * np.pi))
_fp = _part("modfresnelp", 0, _X, (lambda ans, x: E.negative(E.exp(1j * x * x)),))
_kp = _part("modfresnelp", 1, _X,
            (lambda ans, x: -2j * x * ans - _E_MINUS * _INV_SQRT_PI,))
_fm = _part("modfresnelm", 0, _X, (lambda ans, x: E.negative(E.exp(-1j * x * x)),))
_km = _part("modfresnelm", 1, _X,
            (lambda ans, x: 2j * x * ans - _E_PLUS * _INV_SQRT_PI,))
modfresnelp = _tuple_function("modfresnelp", (_fp, _kp), "The modified Fresnel integrals "
                              "F₊(x) = ∫ₓ^∞ exp(it²) dt and K₊(x); differentiable in x.")
modfresnelm = _tuple_function("modfresnelm", (_fm, _km), "The modified Fresnel integrals "
                              "F₋(x) = ∫ₓ^∞ exp(−it²) dt and K₋(x); differentiable in x.")


# ---- spheroidal wave functions: y'' from the spheroidal equation, λ the characteristic value -----
_NO_C = "the characteristic values of the spheroidal equation have no closed-form derivative in c"
pro_cv = value_only_ufunc("pro_cv", _NO_C, upcast=True)
obl_cv = value_only_ufunc("obl_cv", _NO_C, upcast=True)


def _prolate(f, lam, m, c, x):
    # (1 − x²) y'' = 2x y' − (λ − c²x² − m²/(1 − x²)) y
    w = 1.0 - x * x
    return (2.0 * x * f[1] - (lam - c * c * x * x - m * m / w) * f[0]) / w


def _oblate_angular(f, lam, m, c, x):
    w = 1.0 - x * x
    return (2.0 * x * f[1] - (lam + c * c * x * x - m * m / w) * f[0]) / w


def _oblate_radial(f, lam, m, c, x):
    # (x² + 1) y'' = −2x y' + (λ − c²x² − m²/(x² + 1)) y
    w = 1.0 + x * x
    return (-2.0 * x * f[1] + (lam - c * c * x * x - m * m / w) * f[0]) / w


def _spheroidal(fname, equation, characteristic, given_cv):
    params = ("m", "n", "c", "cv") if given_cv else ("m", "n", "c")
    argnames = params + ("x",)
    none = (None,) * len(params)

    def lam(args):
        return args[3] if given_cv else characteristic(*args[:3])

    value = _part(fname, 0, argnames, none + (lambda ans, *a: slope(*a),), upcast=True)
    slope = _part(fname, 1, argnames, none + (
        lambda ans, *a: equation((value(*a), ans), lam(a), a[0], a[2], a[-1]),), upcast=True)
    example = "1, 2, 1.5, " + ("ss.{}(1, 2, 1.5), ".format(
        "pro_cv" if fname.startswith("pro") else "obl_cv") if given_cv else "") + (
        "0.4" if "ang" in fname else "1.5")

    def public(*args):
        return value(*args), slope(*args)
    public.__name__ = public.__qualname__ = fname
    public.__doc__ = (f"SciPy's ``{fname}`` and its derivative in x; differentiable in x (the "
                      f"second derivative from the spheroidal equation). Float32 input is "
                      f"computed in float64 (SciPy's float32 loop never returns).\n\n"
                      f"    >>> import scipy.special as ss\n    >>> all(abs(a - b) < 1e-14 for "
                      f"a, b in zip({fname}({example}), ss.{fname}({example})))\n    True\n    ")
    return export(fname, namespace=SPECIAL)(public)


for _cv in (False, True):
    _suffix = "_cv" if _cv else ""
    for _fname, _eq, _char in (("pro_ang1", _prolate, pro_cv), ("pro_rad1", _prolate, pro_cv),
                               ("obl_ang1", _oblate_angular, obl_cv),
                               ("obl_rad1", _oblate_radial, obl_cv)):
        globals()[_fname + _suffix] = _spheroidal(_fname + _suffix, _eq, _char, _cv)
