"""``scipy.special`` functions that return several arrays: ``sici``, ``shichi``, ``fresnel``
and ``airy``. Each component is a primitive of its own (its derivative is a closed form in x:
Si' = sin x/x, Ci' = cos x/x, S' = sin(πx²/2), Ai'' = x·Ai), and the public function returns
SciPy's tuple of them. Also ``perm``, the number of permutations, through ``poch``.

>>> import chainrule as cr
>>> round(float(cr.grad(lambda x: sici(x)[0])(1.0)), 6)    # sin(1)/1
0.841471
"""

import numpy as np

from ..core.registry import SPECIAL
from .declare import export
from . import elementwise as E
from .special import _sp
from .special_elementary import partials, poch

__all__ = []

_HALF_PI = float(np.pi / 2.0)


def _part(fname, index, d):
    """Component ``index`` of SciPy's ``fname`` as an internal primitive of x."""
    def impl(x):
        return getattr(_sp(), fname)(x)[index]
    return partials(f"{fname}_{index}", impl, ("x",), (d,), names=(), fname=fname)


def _over_x(f):
    return lambda ans, x: f(x) / x


def _dshi(ans, x):
    # sinh x / x with its limit 1 at 0 (an even function: its slope there is 0, as where's)
    zero = E.equal(x, 0.0)
    xs = E.where(zero, 1.0, x)
    return E.where(zero, 1.0, E.sinh(xs) / xs)


# Si' = sin x / x = sinc(x/π), finite and smooth at 0; Ci' and Chi' have a pole there
_si = _part("sici", 0, lambda ans, x: E.sinc(x * float(1.0 / np.pi)))
_ci = _part("sici", 1, _over_x(E.cos))
_shi = _part("shichi", 0, _dshi)
_chi = _part("shichi", 1, _over_x(E.cosh))
_fresnel_s = _part("fresnel", 0, lambda ans, x: E.sin(_HALF_PI * x * x))
_fresnel_c = _part("fresnel", 1, lambda ans, x: E.cos(_HALF_PI * x * x))
# Ai'' = x·Ai and Bi'' = x·Bi: each function's derivative is its partner in the tuple
_ai = _part("airy", 0, lambda ans, x: _aip(x))
_aip = _part("airy", 1, lambda ans, x: x * _ai(x))
_bi = _part("airy", 2, lambda ans, x: _bip(x))
_bip = _part("airy", 3, lambda ans, x: x * _bi(x))


@export(namespace=SPECIAL)
def sici(x):
    """The sine and cosine integrals (Si(x), Ci(x)), differentiable in x.

    >>> import scipy.special as ss
    >>> all(abs(a - b) < 1e-15 for a, b in zip(sici(1.5), ss.sici(1.5)))
    True
    """
    return _si(x), _ci(x)


@export(namespace=SPECIAL)
def shichi(x):
    """The hyperbolic sine and cosine integrals (Shi(x), Chi(x)), differentiable in x.

    >>> import scipy.special as ss
    >>> all(abs(a - b) < 1e-15 for a, b in zip(shichi(1.5), ss.shichi(1.5)))
    True
    """
    return _shi(x), _chi(x)


@export(namespace=SPECIAL)
def fresnel(z):
    """The Fresnel integrals (S(z), C(z)), differentiable in z.

    >>> import scipy.special as ss
    >>> all(abs(a - b) < 1e-15 for a, b in zip(fresnel(0.7), ss.fresnel(0.7)))
    True
    """
    return _fresnel_s(z), _fresnel_c(z)


@export(namespace=SPECIAL)
def airy(z):
    """The Airy functions and their derivatives (Ai, Ai', Bi, Bi'), differentiable in z to
    any order (Ai'' = z·Ai).

    >>> import scipy.special as ss
    >>> all(abs(a - b) < 1e-15 for a, b in zip(airy(0.5), ss.airy(0.5)))
    True
    """
    return _ai(z), _aip(z), _bi(z), _bip(z)


@export(namespace=SPECIAL)
def perm(N, k, exact=False):
    """Permutations of k things out of N, N!/(N − k)! = poch(N − k + 1, k) where 0 ≤ k ≤ N,
    else 0 (SciPy's ``exact=False``); differentiable in N and k. ``exact=True`` gives
    SciPy's integers for plain input.

    >>> float(perm(5.0, 2.0))
    20.0
    """
    if exact:
        return _sp().perm(N, k, exact=True)
    ok = E.logical_and(E.logical_and(E.greater_equal(k, 0), E.greater_equal(N, 0)),
                       E.greater_equal(N, k))
    ks = E.where(ok, k, 0.0)
    return E.where(ok, poch(E.where(ok, N, 1.0) - ks + 1.0, ks), 0.0)
