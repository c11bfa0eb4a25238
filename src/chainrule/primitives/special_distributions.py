"""The rest of ``scipy.special``'s distribution functions and a few more: noncentral χ², t and
F distribution functions and their inverses in the probability (derivatives: the densities),
Kolmogorov's distribution, Tukey's lambda, the normal distribution's parameters from a
quantile, Wright's generalized Bessel function, ``besselpoly``, the Dirichlet kernel ``diric``
and the Riccati–Bessel functions.

The inverses in a shape parameter (``bdtrik``, ``chdtriv``, ``stdtridf``…) are SciPy's values
with their derivative refused: it would need the distribution function's derivative in that
shape parameter, which has no closed form.

>>> import chainrule as cr
>>> import scipy.stats as st
>>> d = float(cr.grad(lambda x: chndtr(x, 3.0, 1.5))(0.4))
>>> bool(abs(d - st.ncx2.pdf(0.4, 3.0, 1.5)) < 1e-14)
True
"""

import numpy as np

from ..core.primitive import Tracer
from ..core.registry import SPECIAL
from .declare import export
from .util import dtype
from . import elementwise as E
from .special import _lazy, _sp, gammaln
from .special_functions import xlogy, betaln, ndtri, ive, gamma
from .special_elementary import partials
from .special_orthogonal import hyp1f1, eval_genlaguerre, _gamma_density, _dchdtr
from .special_inverses import spherical_jn, spherical_yn
from .special_extra import value_only_ufunc

__all__ = []

_LN2 = float(np.log(2.0))
_SQRT2 = float(np.sqrt(2.0))
_SQRT_2PI = float(np.sqrt(2.0 * np.pi))


def _in_last(name, params, d):
    return partials(name, _lazy(name), params + ("x",), (None,) * len(params) + (d,))


# ---- noncentral χ²: the density 1/2·e^(−(x+λ)/2)·(x/λ)^(k/4−1/2)·I_{k/2−1}(√(λx)) ----------------
def _ncx2_pdf(x, df, nc):
    central = E.equal(nc, 0.0)
    ncs = E.where(central, 1.0, nc)
    zs = E.sqrt(ncs * x)
    general = 0.5 * E.exp(-0.5 * (x + ncs) + zs + (0.25 * df - 0.5) * (E.log(x) - E.log(ncs))) \
        * ive(0.5 * df - 1.0, zs)
    return E.where(central, _dchdtr(None, df, x), general)


chndtr = partials("chndtr", _lazy("chndtr"), ("x", "df", "nc"),
                  (lambda ans, x, df, nc: _ncx2_pdf(x, df, nc), None, None))
chndtrix = partials("chndtrix", _lazy("chndtrix"), ("p", "df", "nc"),
                    (lambda ans, p, df, nc: E.reciprocal(_ncx2_pdf(ans, df, nc)), None, None))


# ---- noncentral t: its density through ₁F₁ (the series SciPy's stats used) -----------------------
def _nct_pdf(df, nc, x):
    n, x2 = df, x * x
    s = n + x2
    log_front = 0.5 * n * E.log(n) + gammaln(n + 1.0) - (
        n * _LN2 + 0.5 * nc * nc + 0.5 * n * E.log(s) + gammaln(0.5 * n))
    z = nc * nc * x2 / (2.0 * s)
    odd = _SQRT2 * nc * x * hyp1f1(0.5 * n + 1.0, 1.5, z) / (s * gamma(0.5 * (n + 1.0)))
    even = hyp1f1(0.5 * (n + 1.0), 0.5, z) / (E.sqrt(s) * gamma(0.5 * n + 1.0))
    return E.exp(log_front) * (odd + even)


nctdtr = partials("nctdtr", _lazy("nctdtr"), ("df", "nc", "t"),
                  (None, None, lambda ans, df, nc, t: _nct_pdf(df, nc, t)))
nctdtrit = partials("nctdtrit", _lazy("nctdtrit"), ("df", "nc", "p"),
                    (None, None, lambda ans, df, nc, p: E.reciprocal(_nct_pdf(df, nc, ans))))


# ---- noncentral F: its density through the generalized Laguerre function -------------------------
def _ncf_pdf(dfn, dfd, nc, x):
    s = dfd + dfn * x
    log_pdf = (-0.5 * nc + 0.5 * nc * dfn * x / s + xlogy(0.5 * dfn, dfn)
               + xlogy(0.5 * dfd, dfd) + xlogy(0.5 * dfn - 1.0, x) - 0.5 * (dfn + dfd) * E.log(s)
               + gammaln(0.5 * dfn) + gammaln(1.0 + 0.5 * dfd) - gammaln(0.5 * (dfn + dfd))
               - betaln(0.5 * dfn, 0.5 * dfd))
    return E.exp(log_pdf) * eval_genlaguerre(0.5 * dfd, 0.5 * dfn - 1.0,
                                             -0.5 * nc * dfn * x / s)


ncfdtr = partials("ncfdtr", _lazy("ncfdtr"), ("dfn", "dfd", "nc", "f"),
                  (None, None, None, lambda ans, a, b, nc, f: _ncf_pdf(a, b, nc, f)))
ncfdtri = partials("ncfdtri", _lazy("ncfdtri"), ("dfn", "dfd", "nc", "p"),
                   (None, None, None,
                    lambda ans, a, b, nc, p: E.reciprocal(_ncf_pdf(a, b, nc, ans))))


# ---- Kolmogorov's distribution: its survival function and the inverse ----------------------------
_THETA = [float((2 * k - 1) ** 2 * np.pi ** 2 / 8.0) for k in range(1, 7)]


def _kolmogorov_pdf(y):
    """The density of Kolmogorov's limiting distribution: for y ≥ 1 the alternating series
    8y Σ (−1)^(k−1) k² e^(−2k²y²), below it the theta-function form √(2π) Σ e^(−a_k/y²)
    (2a_k/y⁴ − 1/y²) with a_k = (2k − 1)²π²/8 (each converging in six terms)."""
    positive = E.greater(y, 0.0)
    ys = E.where(positive, y, 1.0)
    big = E.maximum(ys, 1.0)
    alternating = sum(((-1.0) ** (k - 1) * k * k) * E.exp(-2.0 * k * k * big * big)
                      for k in range(1, 7)) * 8.0 * big
    small = E.minimum(ys, 1.0)
    inv2 = E.reciprocal(small * small)
    theta = sum(E.exp(-a * inv2) * (2.0 * a * inv2 - 1.0) for a in _THETA) * inv2 * _SQRT_2PI
    return E.where(positive, E.where(E.greater_equal(y, 1.0), alternating, theta), 0.0)


#: the density (chainrule.primitives.stats_numeric's kstwobign)
kolmogorov_pdf = _kolmogorov_pdf
kolmogorov = partials("kolmogorov", _lazy("kolmogorov"), ("y",),
                      (lambda ans, y: E.negative(_kolmogorov_pdf(y)),))
kolmogi = partials("kolmogi", _lazy("kolmogi"), ("p",),
                   (lambda ans, p: E.negative(E.reciprocal(_kolmogorov_pdf(ans))),))


# ---- Tukey's lambda: x = (F^λ − (1 − F)^λ)/λ, so dF/dx = 1/(F^(λ−1) + (1 − F)^(λ−1)) -------------
tklmbda = partials("tklmbda", _lazy("tklmbda"), ("x", "lmbda"),
                   (lambda ans, x, lam: E.reciprocal(E.exp((lam - 1.0) * E.log(ans))
                                                     + E.exp((lam - 1.0) * E.log1p(-ans))),
                    None))


# ---- the normal distribution's mean and deviation from a quantile: x = mn + sd·ndtri(p) ----------
def _dndtri(p):
    z = ndtri(p)
    return _SQRT_2PI * E.exp(0.5 * z * z)


nrdtrimn = partials("nrdtrimn", _lazy("nrdtrimn"), ("p", "std", "x"),
                    (lambda ans, p, sd, x: E.negative(sd * _dndtri(p)),
                     lambda ans, p, sd, x: E.negative(ndtri(p)),
                     lambda ans, p, sd, x: 1.0 + 0.0 * ans))
nrdtrisd = partials("nrdtrisd", _lazy("nrdtrisd"), ("mn", "p", "x"),
                    (lambda ans, mn, p, x: E.negative(E.reciprocal(ndtri(p))),
                     lambda ans, mn, p, x: E.negative(ans / ndtri(p) * _dndtri(p)),
                     lambda ans, mn, p, x: E.reciprocal(ndtri(p))))
# gdtria(p, b, x): the rate a with gdtr(a, b, x) = p; ∂gdtr/∂a = x·g and ∂gdtr/∂x = a·g
gdtria = partials("gdtria", _lazy("gdtria"), ("p", "b", "x"),
                  (lambda ans, p, b, x: E.reciprocal(x * _gamma_density(ans, b, x)), None,
                   lambda ans, p, b, x: E.negative(ans / x)))

# ---- inverses in a shape parameter: values only --------------------------------------------------
_SHAPE = ("its derivative needs the distribution function's derivative in a shape parameter, "
          "which has no closed form")
for _name in ("bdtrik", "bdtrin", "btdtria", "btdtrib", "chdtriv", "chndtridf", "chndtrinc",
              "fdtridfd", "gdtrib", "nbdtrik", "nbdtrin", "ncfdtridfd", "ncfdtridfn", "ncfdtrinc",
              "nctdtridf", "nctdtrinc", "pdtrik", "stdtridf"):
    globals()[_name] = value_only_ufunc(_name, _SHAPE)


# ---- Wright's generalized Bessel function: Φ(a, b; x) = Σ x^k/(k! Γ(ak + b)), Φ' = Φ(a, a + b) ---
wright_bessel = _in_last("wright_bessel", ("a", "b"),
                         lambda ans, a, b, x: wright_bessel(a, a + b, x))
log_wright_bessel = _in_last(
    "log_wright_bessel", ("a", "b"), lambda ans, a, b, x: E.exp(log_wright_bessel(a, a + b, x)
                                                                  - ans))

# ∫₀¹ x^λ J_ν(2ax) dx: ∂/∂a = ∫ x^(λ+1) (J_{ν−1} − J_{ν+1})(2ax) dx
besselpoly = partials("besselpoly", _lazy("besselpoly"), ("a", "lmb", "nu"),
                      (lambda ans, a, lmb, nu: besselpoly(a, lmb + 1.0, nu - 1.0)
                       - besselpoly(a, lmb + 1.0, nu + 1.0), None, None))


@export(namespace=SPECIAL)
def diric(x, n):
    """The Dirichlet kernel sin(nx/2)/(n sin(x/2)), ±1 where sin(x/2) vanishes and nan for an n
    that is not a positive integer (SciPy's ``diric``, with its tolerances); differentiable in x.

    >>> import chainrule as cr, scipy.special as ss
    >>> bool(abs(float(diric(1.0, 4)) - ss.diric(1.0, 4)) < 1e-15)
    True
    >>> float(cr.grad(lambda x: diric(x, 3))(0.0))
    0.0
    """
    if isinstance(n, Tracer):
        raise TypeError("diric: n is an integer (the period), with no derivative; pass a plain "
                        "number")
    n = np.asarray(n)
    x = x if isinstance(x, Tracer) else np.asarray(x)
    x = x + (n - n)          # SciPy's broadcasting and promotion, step by step
    if dtype(x).kind not in "fc":
        x = E.astype(x, dtype=np.float64)
    eps = np.finfo(dtype(x)).eps
    minval = 1e-11 if eps < 1e-18 else 1e-7 if eps < 1e-15 else 1e-3
    n = n + np.zeros(np.shape(x), dtype=n.dtype) if np.ndim(n) < np.ndim(x) else n
    invalid = (n <= 0) | (n != np.floor(n))
    half = x / 2
    denom = E.sin(half)
    at_zero = E.less(E.absolute(denom), minval)
    turns = E.rint(half / np.pi) * (n - 1)            # (−1)^turns where sin(x/2) vanishes
    sign = 1.0 - 2.0 * (turns - 2.0 * E.floor(turns / 2.0))
    n = np.where(invalid, 1, n)
    kernel = E.sin(n * half) / (n * E.where(at_zero, 1.0, denom))
    return E.astype(E.where(invalid, np.nan, E.where(at_zero, sign, kernel)), dtype=dtype(x))


def _riccati(name, spherical):
    def public(n, x):
        if not (isinstance(n, (int, np.integer)) or (np.ndim(n) == 0 and float(n) == int(n))):
            raise ValueError("n must be a non-negative integer")
        if int(n) < 0:
            raise ValueError("n must be a non-negative integer")
        if np.ndim(x) != 0:
            raise ValueError("arg must be scalar.")
        if dtype(x).kind == "c":
            raise TypeError(f"{name}: x must be real (SciPy's {name} has no complex loop)")
        order = np.arange(max(int(n), 1) + 1)
        f = spherical(order, x)
        value = x * f
        slope = f + x * spherical(order, x, True)
        keep = int(n) + 1
        return value[:keep], slope[:keep]
    public.__name__ = public.__qualname__ = name
    public.__doc__ = (f"SciPy's ``{name}(n, x)``: x times the spherical Bessel functions of orders "
                      f"0…n and their derivatives; differentiable in x.\n\n"
                      f"    >>> import numpy as np, scipy.special as ss\n"
                      f"    >>> all(np.allclose(a, b, rtol=1e-13) for a, b in "
                      f"zip({name}(3, 1.5), ss.{name}(3, 1.5)))\n    True\n    ")
    return export(name, namespace=SPECIAL)(public)


riccati_jn = _riccati("riccati_jn", spherical_jn)
riccati_yn = _riccati("riccati_yn", spherical_yn)
