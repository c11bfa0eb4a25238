"""Still more of ``scipy.special``: inverses of distribution functions (their derivative is
the reciprocal of the density at the answer), incomplete elliptic integrals, trigonometric
functions in degrees, ``cosm1``/``exprel``/``powm1``, Hankel functions, SciPy's derivative
functions of the Bessel family (``jvp``, ``ivp``, ``kvp``, ``yvp``, ``h1vp``, ``h2vp``) and
spherical Bessel functions.

Derivatives in shape parameters and orders (no closed form in SciPy) raise
:class:`~chainrule.primitives.special_functions.UnsupportedDerivativeError`.

>>> import chainrule as cr
>>> x = float(gdtrix(1.0, 2.0, 0.5))      # the gamma cdf's inverse in x: d/dp = 1/density
>>> bool(abs(float(cr.grad(lambda p: gdtrix(1.0, 2.0, p))(0.5)) - 1.0 / (x * np.exp(-x))) < 1e-12)
True
"""

import numpy as np

from ..core.registry import SPECIAL, Interval
from .declare import export
from . import elementwise as E
from .special import _lazy, _sp, gammaln, digamma, polygamma_p
from .special_functions import xlogy, xlog1py, betaln, _t_logpdf
from .special_elementary import partials, _series, wofz
from .special_orthogonal import _gamma_density, _dpdtr, _dchdtr, _dbdtr, _dnbdtr, _dfdtr

__all__ = []

_DEG = float(np.pi / 180.0)
_LOG_SQRT_2PI = float(0.5 * np.log(2.0 * np.pi))
_SQRT2, _SQRT_2PI = float(np.sqrt(2.0)), float(np.sqrt(2.0 * np.pi))
_TWO_OVER_SQRT_PI = float(2.0 / np.sqrt(np.pi))


def _unary(name, d, domain=Interval(0.5, 3.0)):
    return partials(name, _lazy(name), ("x",), (d,), domain=domain)


# ---- elementary --------------------------------------------------------------------------------
sindg = _unary("sindg", lambda ans, x: _DEG * cosdg(x), domain=Interval(-100.0, 100.0))
cosdg = _unary("cosdg", lambda ans, x: -_DEG * sindg(x), domain=Interval(-100.0, 100.0))
tandg = _unary("tandg", lambda ans, x: _DEG * (1.0 + ans * ans), domain=Interval(-60.0, 60.0))
cotdg = _unary("cotdg", lambda ans, x: -_DEG * (1.0 + ans * ans), domain=Interval(20.0, 160.0))
cosm1 = _unary("cosm1", lambda ans, x: E.negative(E.sin(x)), domain=Interval(-3.0, 3.0))
radian = partials("radian", _lazy("radian"), ("d", "m", "s"),
                  (lambda ans, d, m, s: _DEG + 0.0 * ans, lambda ans, d, m, s: _DEG / 60.0 + 0.0 * ans,
                   lambda ans, d, m, s: _DEG / 3600.0 + 0.0 * ans))
# exprel' = ((x − 1)eˣ + 1)/x² cancels near 0: there it is Σ_{k≥1} k x^(k−1)/(k+1)!
_DEXPREL = [k / float(np.prod(np.arange(1, k + 2))) for k in range(1, 16)]


def _dexprel(ans, x):
    small = E.less(E.absolute(x), 0.1)
    xs, xb = E.where(small, x, 0.0), E.where(small, 1.0, x)
    return E.where(small, _series(xs, _DEXPREL), ((xb - 1.0) * E.exp(xb) + 1.0) / (xb * xb))


exprel = _unary("exprel", _dexprel, domain=Interval(-3.0, 3.0))
powm1 = partials("powm1", _lazy("powm1"), ("x", "y"),
                 (lambda ans, x, y: y * E.exp((y - 1.0) * E.log(x)),
                  lambda ans, x, y: (ans + 1.0) * E.log(x)))


@export(namespace=SPECIAL, prim=polygamma_p)
def psi(z):
    """The digamma function ψ(z) (SciPy's other name for :func:`digamma`).

    >>> round(float(psi(1.0)), 6)
    -0.577216
    """
    return digamma(z)


# Wright's omega, ω + log ω = z: ω' = ω/(1 + ω) (holomorphic)
wrightomega = _unary("wrightomega", lambda ans, z: ans / (1.0 + ans), domain=Interval(-2.0, 2.0))
# ζ(x) − 1: its derivative in x is refused here (zeta's is a series: special_functions)
zetac = partials("zetac", _lazy("zetac"), ("x",), (None,))


def _dvoigt(ans, x, sigma, gamma, which):
    # V = Re w(z)/(σ√(2π)), z = (x + iγ)/(σ√2), w' = −2z·w + 2i/√π
    z = (x + 1j * gamma) / (sigma * _SQRT2)
    dw = -2.0 * z * wofz(z) + 1j * _TWO_OVER_SQRT_PI
    scale = 1.0 / (sigma * sigma * _SQRT2 * _SQRT_2PI)
    if which == "x":
        return E.real(dw) * scale
    if which == "gamma":
        return -E.imag(dw) * scale
    return -ans / sigma - E.real(dw * z) * scale * _SQRT2


voigt_profile = partials(
    "voigt_profile", _lazy("voigt_profile"), ("x", "sigma", "gamma"),
    tuple(lambda ans, x, s, g, w=w: _dvoigt(ans, x, s, g, w) for w in ("x", "sigma", "gamma")))

# ---- inverses: d/dy f⁻¹(y) = 1/f'(f⁻¹(y)) -----------------------------------------------------
def _dbetaincinv(ans, a, b, y):
    return E.exp(betaln(a, b) - xlogy(a - 1.0, ans) - xlog1py(b - 1.0, E.negative(ans)))


# (gammaincinv, gammainccinv and betaincinv are declared in special_functions)
betainccinv = partials("betainccinv", _lazy("betainccinv"), ("a", "b", "y"),
                       (None, None, lambda ans, a, b, y: E.negative(_dbetaincinv(ans, a, b, y))))
betaincc = partials("betaincc", _lazy("betaincc"), ("a", "b", "x"),
                    (None, None, lambda ans, a, b, x: E.negative(E.exp(
                        xlogy(a - 1.0, x) + xlog1py(b - 1.0, E.negative(x)) - betaln(a, b)))))
# x = ndtri(eʸ): dx/dy = eʸ/φ(x), as one exponential (finite far in the tail)
ndtri_exp = _unary("ndtri_exp", lambda ans, y: E.exp(y + 0.5 * ans * ans + _LOG_SQRT_2PI),
                   domain=Interval(-3.0, -0.1))


# the inverses of the distribution functions in special_orthogonal, in their probability
gdtrix = partials("gdtrix", _lazy("gdtrix"), ("a", "b", "p"),
                  (None, None, lambda ans, a, b, p: E.reciprocal(a * _gamma_density(a, b, ans))))
pdtri = partials("pdtri", _lazy("pdtri"), ("k", "y"),
                 (None, lambda ans, k, y: E.reciprocal(_dpdtr(None, k, ans))))
# chdtri inverts the survival function chdtrc
chdtri = partials("chdtri", _lazy("chdtri"), ("v", "p"),
                  (None, lambda ans, v, p: E.negative(E.reciprocal(_dchdtr(None, v, ans)))))
bdtri = partials("bdtri", _lazy("bdtri"), ("k", "n", "y"),
                 (None, None, lambda ans, k, n, y: E.reciprocal(_dbdtr(None, k, n, ans))))
nbdtri = partials("nbdtri", _lazy("nbdtri"), ("k", "n", "y"),
                  (None, None, lambda ans, k, n, y: E.reciprocal(_dnbdtr(None, k, n, ans))))
fdtri = partials("fdtri", _lazy("fdtri"), ("dfn", "dfd", "p"),
                 (None, None, lambda ans, a, b, p: E.reciprocal(_dfdtr(None, a, b, ans))))


# ---- incomplete elliptic integrals F(φ|m), E(φ|m) ------------------------------------------------
def _delta(phi, m):
    s = E.sin(phi)
    return E.sqrt(1.0 - m * s * s)


def _dm_kinc(ans, phi, m):
    # (E − (1−m)F)/(2m(1−m)) − sin 2φ/(4(1−m)Δ); at m = 0 the limit (2φ − sin 2φ)/8
    zero = E.equal(m, 0.0)
    ms = E.where(zero, 0.5, m)
    general = (ellipeinc(phi, ms) - (1.0 - ms) * ellipkinc(phi, ms)) / (2.0 * ms * (1.0 - ms)) \
        - E.sin(2.0 * phi) / (4.0 * (1.0 - ms) * _delta(phi, ms))
    return E.where(zero, (2.0 * phi - E.sin(2.0 * phi)) / 8.0, general)


def _dm_einc(ans, phi, m):
    zero = E.equal(m, 0.0)
    ms = E.where(zero, 0.5, m)
    general = (ellipeinc(phi, ms) - ellipkinc(phi, ms)) / (2.0 * ms)
    return E.where(zero, (E.sin(2.0 * phi) - 2.0 * phi) / 8.0, general)


ellipkinc = partials("ellipkinc", _lazy("ellipkinc"), ("phi", "m"),
                     (lambda ans, phi, m: E.reciprocal(_delta(phi, m)), _dm_kinc))
ellipeinc = partials("ellipeinc", _lazy("ellipeinc"), ("phi", "m"),
                     (lambda ans, phi, m: _delta(phi, m), _dm_einc))

# ---- Hankel functions: complex outputs; the scaled ones carry e^(∓iz) ----------------------------
hankel1 = partials("hankel1", _lazy("hankel1"), ("v", "z"),
                   (None, lambda ans, v, z: 0.5 * (hankel1(v - 1.0, z) - hankel1(v + 1.0, z))))
hankel2 = partials("hankel2", _lazy("hankel2"), ("v", "z"),
                   (None, lambda ans, v, z: 0.5 * (hankel2(v - 1.0, z) - hankel2(v + 1.0, z))))
hankel1e = partials("hankel1e", _lazy("hankel1e"), ("v", "z"),
                    (None, lambda ans, v, z: 0.5 * (hankel1e(v - 1.0, z) - hankel1e(v + 1.0, z))
                     - 1j * ans))
hankel2e = partials("hankel2e", _lazy("hankel2e"), ("v", "z"),
                    (None, lambda ans, v, z: 0.5 * (hankel2e(v - 1.0, z) - hankel2e(v + 1.0, z))
                     + 1j * ans))


# ---- SciPy's derivative functions: d/dz of the n-th derivative is the (n+1)-th -------------------
def _derivative_function(name, doc):
    def impl(v, z, n=1):
        return getattr(_sp(), name)(v, z, n)

    prim = partials("bessel_" + name, impl, ("v", "z"),
                    (None, lambda ans, v, z, n=1: prim(v, z, n=n + 1)), names=(), fname=name)

    def public(v, z, n=1):
        if int(n) != n or n < 0:
            raise ValueError(f"{name}: the order of the derivative n must be a non-negative "
                             f"integer, not {n!r}")
        return prim(v, z, n=int(n))
    public.__name__ = public.__qualname__ = name
    public.__doc__ = doc
    return export(name, namespace=SPECIAL, prim=prim)(public)


_DEX = """

    >>> import scipy.special as ss
    >>> bool(abs({name}(1.5, 2.0, 2) - ss.{name}(1.5, 2.0, 2)) < 1e-12)
    True
    """
for _name, _of in (("jvp", "J_v"), ("yvp", "Y_v"), ("ivp", "I_v"), ("kvp", "K_v"),
                   ("h1vp", "the Hankel function H⁽¹⁾_v"), ("h2vp", "the Hankel function H⁽²⁾_v")):
    globals()[_name] = _derivative_function(
        _name, f"The n-th derivative of {_of} in z (SciPy's), differentiable in z: its derivative "
               f"is the (n + 1)-th." + _DEX.format(name=_name))


# ---- spherical Bessel functions: the second derivative from their differential equation -----------
def _spherical(name, sign):
    """z² f'' + 2z f' + (sign·z² − n(n+1)) f = 0 gives f'' from f' (``derivative=True``)."""
    def impl(n, z, derivative=False):
        return getattr(_sp(), name)(n, z, derivative)

    def d(ans, n, z, derivative=False):
        if not derivative:
            return prim(n, z, derivative=True)
        nn = n * (n + 1.0)
        return -2.0 * ans / z - (sign - nn / (z * z)) * prim(n, z, derivative=False)

    prim = partials(name, impl, ("n", "z"), (None, d), names=())

    def public(n, z, derivative=False):
        return prim(n, z, derivative=bool(derivative))
    public.__name__ = public.__qualname__ = name
    public.__doc__ = (f"SciPy's {name}(n, z, derivative), differentiable in z to any order."
                      f"\n\n    >>> import scipy.special as ss\n    >>> bool(abs({name}(2, 1.5) "
                      f"- ss.{name}(2, 1.5)) < 1e-14)\n    True\n    ")
    return export(name, namespace=SPECIAL, prim=prim)(public)


spherical_jn = _spherical("spherical_jn", 1.0)
spherical_yn = _spherical("spherical_yn", 1.0)
spherical_in = _spherical("spherical_in", -1.0)
spherical_kn = _spherical("spherical_kn", -1.0)
