"""SciPy's newer Legendre interface (``legendre_p``, ``assoc_legendre_p``, ``sph_legendre_p``,
``sph_harm_y`` and their ``_all`` tables), the scaled Airy functions ``airye``,
``assoc_laguerre`` and the one-sided Kolmogorov–Smirnov distribution ``smirnov``.

SciPy computes the Legendre functions with their first two derivatives (``diff_n``); chainrule
declares the k-th derivative as a primitive whose derivative is the (k + 1)-th, so first and
second derivatives are SciPy's own values; the third and higher follow from the functions'
differential equations (Legendre's, in z or in the polar angle), or for ``legendre_p`` from
Gegenbauer polynomials, so every order is exact. The degree and the order are integers, never
differentiated.

>>> import chainrule as cr, scipy.special as ss
>>> d = float(cr.grad(lambda z: legendre_p(3, z)[0])(0.3))
>>> bool(abs(d - ss.legendre_p(3, 0.3, diff_n=1)[1]) < 1e-15)
True
"""

import numpy as np

from ..core.primitive import Primitive, Tracer
from ..core.registry import SPECIAL, FIRST_ORDER
from .declare import export
from . import elementwise as E
from .composites import stack
from .util import dtype
from .special import _lazy, _sp
from .special_functions import UnsupportedDerivativeError
from .special_elementary import partials, _refuse
from .basic import broadcast_like, unbroadcast
from .special_orthogonal import eval_genlaguerre, eval_gegenbauer, _no_complex

__all__ = []

_SCIPY_DERIVATIVES = 2     # diff_n: SciPy gives the value and two derivatives


def _derivatives(fname, argnames, third):
    """The k-th derivative (k = 0, 1, 2) of SciPy's ``fname`` in its last argument, as
    elementwise primitives of all its arguments (the integers refused); the derivative of
    the last is ``third(ans, *args, **opts)``."""
    prims = []
    for k in range(_SCIPY_DERIVATIVES + 1):
        def impl(*args, k=k, **opts):
            return getattr(_sp(), fname)(*args, diff_n=k, **opts)[k]
        d = (lambda ans, *a, k=k, **opts: prims[k + 1](*a, **opts)) \
            if k < _SCIPY_DERIVATIVES else third
        prims.append(partials(f"{fname}_d{k}", impl, argnames,
                              (None,) * (len(argnames) - 1) + (d,), names=(), fname=fname))
    return prims


def _diff_n(fname, diff_n):
    if diff_n not in (0, 1, 2):
        raise ValueError(f"{fname}: diff_n must be 0, 1 or 2, as SciPy's, not {diff_n!r}")
    return int(diff_n)


def _integers(fname, *values):
    for v in values:
        if isinstance(v, Tracer):
            raise TypeError(f"{fname}: the degree and the order are integers, with no "
                            f"derivative; pass plain numbers")


def _legendre_third(ans, n, z):
    # P_n''' = 5!!·C^(7/2)_{n−3}: Gegenbauer polynomials, differentiable to any order
    low = E.less(n, 3)
    return E.where(low, 0.0, 15.0 * eval_gegenbauer(E.where(low, 3, n) - 3, 3.5, z))


_legendre = _derivatives("legendre_p", ("n", "z"), third=_legendre_third)
def _assoc_third(ans, n, m, z, **opts):
    # Legendre's equation (1 − z²)P'' = 2zP' − (n(n + 1) − m²/(1 − z²))P, differentiated once
    p0, p1 = _assoc[0](n, m, z, **opts), _assoc[1](n, m, z, **opts)
    w = 1.0 - z * z
    q = n * (n + 1.0) - m * m / w
    dq = -2.0 * m * m * z / (w * w)
    return ((2.0 - q) * p1 + 4.0 * z * ans - dq * p0) / w


def _sph_third(ans, n, m, theta, **opts):
    # y'' = −cot θ·y' − (n(n + 1) − m²/sin²θ)·y, differentiated once
    y0, y1 = _sph[0](n, m, theta), _sph[1](n, m, theta)
    s2 = E.sin(theta) ** 2
    cot = E.cos(theta) / E.sin(theta)
    q = n * (n + 1.0) - m * m / s2
    return y1 / s2 - cot * ans - 2.0 * m * m * cot * y0 / s2 - q * y1


_assoc = _derivatives("assoc_legendre_p", ("n", "m", "z"), third=_assoc_third)
_sph = _derivatives("sph_legendre_p", ("n", "m", "theta"), third=_sph_third)


def _stacked(prims, diff_n, args, opts):
    return stack([prims[k](*args, **opts) for k in range(diff_n + 1)])


def _in_dtype_of(out, z):
    """SciPy's ``legendre_p_all`` and ``sph_legendre_p_all`` come in z's precision (the integer
    grid of degrees and orders chainrule passes would promote float32 to float64)."""
    kind = dtype(z).kind
    return out if kind not in "fc" or dtype(out) == dtype(z) else E.astype(out, dtype=dtype(z))


def _as_static(value):
    return int(value) if np.ndim(value) == 0 else value


@export(namespace=SPECIAL)
def legendre_p(n, z, *, diff_n=0):
    """The Legendre polynomial P_n(z) and its first ``diff_n`` derivatives, stacked on a leading
    axis as SciPy's; differentiable in z (twice).

    >>> import scipy.special as ss
    >>> bool(np.allclose(legendre_p(3, 0.3, diff_n=2), ss.legendre_p(3, 0.3, diff_n=2), rtol=1e-15))
    True
    """
    _integers("legendre_p", n)
    return _stacked(_legendre, _diff_n("legendre_p", diff_n), (n, z), {})


@export(namespace=SPECIAL)
def assoc_legendre_p(n, m, z, *, branch_cut=2, norm=False, diff_n=0):
    """The associated Legendre function P_n^m(z) and its first ``diff_n`` derivatives, stacked
    as SciPy's; differentiable in z (twice).

    >>> import scipy.special as ss
    >>> bool(np.allclose(assoc_legendre_p(3, 1, 0.3, norm=True),
    ...                  ss.assoc_legendre_p(3, 1, 0.3, norm=True), rtol=1e-15))
    True
    """
    _integers("assoc_legendre_p", n, m)
    opts = {"branch_cut": _as_static(branch_cut), "norm": bool(norm)}
    return _stacked(_assoc, _diff_n("assoc_legendre_p", diff_n), (n, m, z), opts)


@export(namespace=SPECIAL)
def sph_legendre_p(n, m, theta, *, diff_n=0):
    """The spherical Legendre function of the polar angle theta and its first ``diff_n``
    derivatives, stacked as SciPy's; differentiable in theta (twice).

    >>> import scipy.special as ss
    >>> bool(np.allclose(sph_legendre_p(3, 1, 0.3), ss.sph_legendre_p(3, 1, 0.3), rtol=1e-15))
    True
    """
    _integers("sph_legendre_p", n, m)
    return _stacked(_sph, _diff_n("sph_legendre_p", diff_n), (n, m, theta), {})


def _orders(m, extra_dims):
    """SciPy's order axis of the ``_all`` tables: 0, 1, …, |m|, −|m|, …, −1."""
    m = abs(int(m))
    orders = np.r_[np.arange(m + 1), np.arange(-m, 0)]
    return orders.reshape((1, 2 * m + 1) + (1,) * extra_dims)


def _degrees(n, extra_dims, axes=2):
    return np.arange(int(n) + 1).reshape((int(n) + 1,) + (1,) * (axes - 1 + extra_dims))


@export(namespace=SPECIAL)
def legendre_p_all(n, z, *, diff_n=0):
    """P_0 … P_n at z (and derivatives), SciPy's table of shape (diff_n + 1, n + 1, …);
    differentiable in z (twice).

    >>> import scipy.special as ss
    >>> bool(np.allclose(legendre_p_all(3, 0.3), ss.legendre_p_all(3, 0.3), rtol=1e-15))
    True
    """
    _integers("legendre_p_all", n)
    degrees = _degrees(n, np.ndim(z), axes=1)
    return _in_dtype_of(_stacked(_legendre, _diff_n("legendre_p_all", diff_n), (degrees, z), {}),
                        z)


@export(namespace=SPECIAL)
def assoc_legendre_p_all(n, m, z, *, branch_cut=2, norm=False, diff_n=0):
    """P_j^i(z) for degrees 0 … n and orders 0 … |m|, −|m| … −1, SciPy's table; differentiable
    in z (twice).

    >>> import scipy.special as ss
    >>> bool(np.allclose(assoc_legendre_p_all(3, 2, 0.3), ss.assoc_legendre_p_all(3, 2, 0.3),
    ...                  rtol=1e-14, atol=1e-15))
    True
    """
    _integers("assoc_legendre_p_all", n, m)
    extra = np.ndim(z)
    opts = {"branch_cut": _as_static(branch_cut), "norm": bool(norm)}
    # (SciPy's own table is float64 for float32 z, unlike legendre_p_all's)
    return _stacked(_assoc, _diff_n("assoc_legendre_p_all", diff_n),
                    (_degrees(n, extra), _orders(m, extra), z), opts)


@export(namespace=SPECIAL)
def sph_legendre_p_all(n, m, theta, *, diff_n=0):
    """The spherical Legendre functions for degrees 0 … n and orders 0 … |m|, −|m| … −1,
    SciPy's table; differentiable in theta (twice).

    >>> import scipy.special as ss
    >>> bool(np.allclose(sph_legendre_p_all(3, 2, 0.3), ss.sph_legendre_p_all(3, 2, 0.3),
    ...                  rtol=1e-14, atol=1e-15))
    True
    """
    _integers("sph_legendre_p_all", n, m)
    extra = np.ndim(theta)
    return _in_dtype_of(_stacked(_sph, _diff_n("sph_legendre_p_all", diff_n),
                                 (_degrees(n, extra), _orders(m, extra), theta), {}), theta)


def _harmonic(n, m, theta, phi, diff_n):
    """Y = P(θ)·e^(imφ) with its gradient and Hessian in (θ, φ) on trailing axes, as SciPy's."""
    phase = E.exp(1j * m * phi)
    p = [_sph[k](n, m, theta) for k in range(diff_n + 1)]
    value = p[0] * phase
    if diff_n == 0:
        return value
    im = 1j * m
    grad = stack([p[1] * phase, im * value], axis=-1)
    if diff_n == 1:
        return value, grad
    cross = im * p[1] * phase
    hess = stack([stack([p[2] * phase, cross], axis=-1),
                  stack([cross, -(m * m) * value], axis=-1)], axis=-1)
    return value, grad, hess


@export(namespace=SPECIAL)
def sph_harm_y(n, m, theta, phi, *, diff_n=0):
    """The spherical harmonic Y_n^m(θ, φ) (θ polar, φ azimuthal), with its gradient and
    Hessian in (θ, φ) for ``diff_n`` 1 and 2 as SciPy's; differentiable in θ and φ.

    >>> import scipy.special as ss
    >>> abs(complex(sph_harm_y(3, 1, 0.3, 0.4)) - complex(ss.sph_harm_y(3, 1, 0.3, 0.4))) < 1e-15
    True
    """
    _integers("sph_harm_y", n, m)
    return _harmonic(n, m, theta, phi, _diff_n("sph_harm_y", diff_n))


@export(namespace=SPECIAL)
def sph_harm_y_all(n, m, theta, phi, *, diff_n=0):
    """The spherical harmonics for degrees 0 … n and orders 0 … |m|, −|m| … −1, SciPy's table
    (gradient and Hessian on trailing axes for ``diff_n`` 1 and 2); differentiable in θ and φ.

    >>> import scipy.special as ss
    >>> bool(np.allclose(sph_harm_y_all(2, 1, 0.3, 0.4), ss.sph_harm_y_all(2, 1, 0.3, 0.4),
    ...                  rtol=1e-14, atol=1e-15))
    True
    """
    _integers("sph_harm_y_all", n, m)
    extra = max(np.ndim(theta), np.ndim(phi))
    out = _harmonic(_degrees(n, extra), _orders(m, extra), theta, phi,
                    _diff_n("sph_harm_y_all", diff_n))
    if not dtype(theta) == dtype(phi) == np.float32:
        return out
    # SciPy's table is complex64 for float32 angles
    cast = [E.astype(o, dtype=np.complex64) for o in (out if isinstance(out, tuple) else (out,))]
    return tuple(cast) if isinstance(out, tuple) else cast[0]


# ---- airye: Ai·e^ζ, Ai'·e^ζ, Bi·e^(−|Re ζ|), Bi'·e^(−|Re ζ|) with ζ = (2/3) z^(3/2) --------------
def _root(x):
    _no_complex("airye")(x)
    return E.sqrt(E.maximum(x, 0.0))


def _airye_part(index, d):
    def impl(z):
        return _sp().airye(z)[index]
    return partials(f"airye_{index}", impl, ("z",), (d,), names=(), fname="airye")


# (e^ζ Ai)' = e^ζ(Ai' + √z Ai) and (e^ζ Ai')' = e^ζ(z Ai + √z Ai'); the Bi scaling is e^(−ζ) for
# z > 0 and 1 below 0, where ζ is imaginary
_eai = _airye_part(0, lambda ans, z: _eaip(z) + _root(z) * ans)
_eaip = _airye_part(1, lambda ans, z: z * _eai(z) + _root(z) * ans)
_ebi = _airye_part(2, lambda ans, z: _ebip(z) - _root(z) * ans)
_ebip = _airye_part(3, lambda ans, z: z * _ebi(z) - _root(z) * ans)


@export(namespace=SPECIAL)
def airye(z):
    """The exponentially scaled Airy functions (eAi, eAi', eBi, eBi'), SciPy's ``airye``;
    differentiable in real z (the scaling is not holomorphic: complex z raises).

    >>> import scipy.special as ss
    >>> all(abs(a - b) < 1e-15 for a, b in zip(airye(0.7), ss.airye(0.7)))
    True
    """
    return _eai(z), _eaip(z), _ebi(z), _ebip(z)


@export(namespace=SPECIAL)
def assoc_laguerre(x, n, k=0.0):
    """SciPy's ``assoc_laguerre(x, n, k)``: the generalized Laguerre polynomial L_n^(k)(x),
    ``eval_genlaguerre(n, k, x)``; differentiable in x.

    >>> import scipy.special as ss
    >>> bool(abs(float(assoc_laguerre(0.7, 3, 0.5)) - ss.assoc_laguerre(0.7, 3, 0.5)) < 1e-15)
    True
    """
    return eval_genlaguerre(n, k, x)


# ---- the one-sided Kolmogorov–Smirnov distribution: SciPy's own density, first order only -------
def _first_order(name, fn, d):
    """f(n, x) differentiable once in x, ∂f/∂x = ``d(ans, n, x)`` (itself not differentiable)."""
    mul = E.nan_safe_multiply
    refuse = _refuse(name, "n")
    return E.elementwise(
        Primitive(name, fn),
        [refuse, lambda t, ans, n, x: broadcast_like(mul(t, d(ans, n, x)), ans)],
        [refuse, lambda g, ans, n, x: unbroadcast(mul(g, d(ans, n, x)), x)],
        family=FIRST_ORDER, namespace=SPECIAL)


def _refuse_density(*args, **params):
    raise UnsupportedDerivativeError(
        "smirnov: the second derivative is not supported (the derivative of the one-sided "
        "Kolmogorov-Smirnov density has no closed form in SciPy); differentiate once")


_smirnovp = E.elementwise(
    Primitive("smirnov_density", lambda n, d: _sp()._ufuncs._smirnovp(n, d)),
    [_refuse_density, _refuse_density], [_refuse_density, _refuse_density],
    family=FIRST_ORDER, namespace=SPECIAL, names=())
# smirnov is the survival function of D⁺_n: its derivative is SciPy's _smirnovp (−density)
smirnov = _first_order("smirnov", _lazy("smirnov"), lambda ans, n, d: _smirnovp(n, d))
smirnovi = _first_order("smirnovi", _lazy("smirnovi"),
                        lambda ans, n, p: E.reciprocal(_smirnovp(n, ans)))
