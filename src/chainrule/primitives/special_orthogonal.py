"""More of ``scipy.special``: Bessel functions of the second kind and of integer order,
Struve functions, hypergeometric functions, orthogonal polynomials and the distribution
functions (``bdtr``, ``pdtr``, ``chdtr``, ``gdtr``, ``fdtr``, ``nbdtr`` and complements).

All are differentiable in their last argument (and ``gdtr`` in its rate ``a``): the
derivatives are recurrences in the same family (K_v' = −(K_{v−1} + K_{v+1})/2,
P_n' = C^{(3/2)}_{n−1}, d/dz ₁F₁(a; b; z) = (a/b)·₁F₁(a+1; b+1; z)) or densities. The
orders, degrees and shape parameters have no closed-form derivative in SciPy: asking for one
raises :class:`~chainrule.primitives.special_functions.UnsupportedDerivativeError`.

>>> import chainrule as cr
>>> round(float(cr.grad(lambda x: eval_legendre(2, x))(0.5)), 6)   # d/dx (3x² − 1)/2 = 3x
1.5
"""

from ..core.registry import SPECIAL, Interval
from .declare import export
from .util import lower, result_type
from . import elementwise as E
from .special import _lazy, gammaln
from .special_functions import jv, yv, xlogy, xlog1py, betaln
from .special_elementary import partials

__all__ = []


def _in_x(name, params, d):
    """f(*params, x) differentiable in x only, ∂f/∂x = ``d(ans, *params, x)``."""
    return partials(name, _lazy(name), params + ("x",), (None,) * len(params) + (d,))


def _no_complex(fname):
    def check(x):
        if result_type(lower(x)).kind == "c":
            raise TypeError(f"the derivative of {fname} at a complex argument is not implemented "
                            f"in chainrule: its exponential scaling exp(−|Im z|) is not "
                            f"holomorphic; differentiate the unscaled function instead")
    return check


# ---- Bessel functions -------------------------------------------------------------------------
kv = _in_x("kv", ("v",), lambda ans, v, x: -0.5 * (kv(v - 1.0, x) + kv(v + 1.0, x)))
# kve(v, z) = kv(v, z)·e^z, holomorphic: the product rule adds kve itself
kve = _in_x("kve", ("v",), lambda ans, v, x: ans - 0.5 * (kve(v - 1.0, x) + kve(v + 1.0, x)))
# kn and yn truncate a non-integer order (kn(1.7, x) is kn(1, x)); so do their derivatives
kn = partials("kn", _lazy("kn"), ("n", "x"),
              (None, lambda ans, n, x: -0.5 * (kv(E.trunc(n) - 1.0, x)
                                               + kv(E.trunc(n) + 1.0, x))))
yn = partials("yn", _lazy("yn"), ("n", "x"),
              (None, lambda ans, n, x: 0.5 * (yv(E.trunc(n) - 1.0, x)
                                              - yv(E.trunc(n) + 1.0, x))))


def _djve(ans, v, x):
    _no_complex("jve")(x)
    return 0.5 * (jve(v - 1.0, x) - jve(v + 1.0, x))


def _dyve(ans, v, x):
    _no_complex("yve")(x)
    return 0.5 * (yve(v - 1.0, x) - yve(v + 1.0, x))


jve = _in_x("jve", ("v",), _djve)
yve = _in_x("yve", ("v",), _dyve)


def _unary(name, d):
    return partials(name, _lazy(name), ("x",), (d,), domain=Interval(0.5, 3.0))


j0 = _unary("j0", lambda ans, x: E.negative(j1(x)))
j1 = _unary("j1", lambda ans, x: 0.5 * (j0(x) - jv(2.0, x)))
y0 = _unary("y0", lambda ans, x: E.negative(y1(x)))
y1 = _unary("y1", lambda ans, x: 0.5 * (y0(x) - yv(2.0, x)))
k0 = _unary("k0", lambda ans, x: E.negative(k1(x)))
k1 = _unary("k1", lambda ans, x: -0.5 * (k0(x) + kv(2.0, x)))
k0e = _unary("k0e", lambda ans, x: ans - k1e(x))
k1e = _unary("k1e", lambda ans, x: ans - 0.5 * (k0e(x) + kve(2.0, x)))


@export(namespace=SPECIAL)
def jn(n, x):
    """J_n(x), SciPy's other name for :func:`jv` (differentiable in x).

    >>> import scipy.special as ss
    >>> abs(float(jn(2, 1.5)) - float(ss.jn(2, 1.5))) < 1e-15
    True
    """
    return jv(n, x)


# ---- Struve functions: H_v' = H_{v−1} − (v/x) H_v, likewise L_v ---------------------------------
struve = _in_x("struve", ("v",), lambda ans, v, x: struve(v - 1.0, x) - v * ans / x)
modstruve = _in_x("modstruve", ("v",), lambda ans, v, x: modstruve(v - 1.0, x) - v * ans / x)

# ---- hypergeometric functions, differentiable in z ----------------------------------------------
hyp0f1 = _in_x("hyp0f1", ("v",), lambda ans, v, z: hyp0f1(v + 1.0, z) / v)
hyp1f1 = _in_x("hyp1f1", ("a", "b"), lambda ans, a, b, z: a / b * hyp1f1(a + 1.0, b + 1.0, z))
hyp2f1 = _in_x("hyp2f1", ("a", "b", "c"),
               lambda ans, a, b, c, z: a * b / c * hyp2f1(a + 1.0, b + 1.0, c + 1.0, z))
hyperu = _in_x("hyperu", ("a", "b"), lambda ans, a, b, x: -a * hyperu(a + 1.0, b + 1.0, x))


# ---- orthogonal polynomials: derivatives in x, as polynomials of one degree less ---------------
def _lower(n, d):
    """``d(n − 1)``, and 0 for the constant polynomial (an integer degree n < 1). SciPy
    continues a non-integer degree through ₂F₁/₁F₁, where the same relation holds (for a
    degree in (0, 1) too: masking all n < 1 made those derivatives 0)."""
    constant = E.logical_and(E.less(n, 1), E.equal(n, E.floor(n)))
    return E.where(constant, 0.0, d(E.where(constant, 1, n) - 1))


eval_gegenbauer = _in_x(
    "eval_gegenbauer", ("n", "alpha"),
    lambda ans, n, a, x: _lower(n, lambda m: 2.0 * a * eval_gegenbauer(m, a + 1.0, x)))
eval_legendre = _in_x("eval_legendre", ("n",),
                      lambda ans, n, x: _lower(n, lambda m: eval_gegenbauer(m, 1.5, x)))
eval_chebyu = _in_x("eval_chebyu", ("n",),
                    lambda ans, n, x: _lower(n, lambda m: 2.0 * eval_gegenbauer(m, 2.0, x)))
eval_chebyt = _in_x("eval_chebyt", ("n",),
                    lambda ans, n, x: _lower(n, lambda m: n * eval_chebyu(m, x)))
eval_hermite = _in_x("eval_hermite", ("n",),
                     lambda ans, n, x: _lower(n, lambda m: 2.0 * n * eval_hermite(m, x)))
eval_hermitenorm = _in_x("eval_hermitenorm", ("n",),
                         lambda ans, n, x: _lower(n, lambda m: n * eval_hermitenorm(m, x)))
eval_genlaguerre = _in_x(
    "eval_genlaguerre", ("n", "alpha"),
    lambda ans, n, a, x: _lower(n, lambda m: E.negative(eval_genlaguerre(m, a + 1.0, x))))
eval_laguerre = _in_x(
    "eval_laguerre", ("n",),
    lambda ans, n, x: _lower(n, lambda m: E.negative(eval_genlaguerre(m, 1.0, x))))
eval_jacobi = _in_x(
    "eval_jacobi", ("n", "alpha", "beta"),
    lambda ans, n, a, b, x: _lower(n, lambda m: 0.5 * (n + a + b + 1.0)
                                   * eval_jacobi(m, a + 1.0, b + 1.0, x)))


# ---- distribution functions: their derivatives are densities ------------------------------------
def _dbdtr(ans, k, n, p):
    # bdtr = I_{1−p}(n − k, k + 1) with k and n rounded down: −p^k (1−p)^(n−k−1) / B(k+1, n−k)
    k, n = E.floor(k), E.floor(n)
    return E.negative(E.exp(xlogy(k, p) + xlog1py(n - k - 1.0, E.negative(p))
                            - betaln(k + 1.0, n - k)))


def _dpdtr(ans, k, m):
    # pdtr = Q(k + 1, m): −m^k e^(−m) / k!
    k = E.floor(k)
    return E.negative(E.exp(xlogy(k, m) - m - gammaln(k + 1.0)))


def _dchdtr(ans, v, x):
    h = 0.5 * v
    return 0.5 * E.exp(xlogy(h - 1.0, 0.5 * x) - 0.5 * x - gammaln(h))


def _gamma_density(a, b, x):
    ax = a * x
    return E.exp(xlogy(b - 1.0, ax) - ax - gammaln(b))


def _dfdtr(ans, dfn, dfd, x):
    a, b = 0.5 * dfn, 0.5 * dfd
    s = dfd + dfn * x
    w = dfn * x / s
    return E.exp(xlogy(a - 1.0, w) + xlog1py(b - 1.0, E.negative(w)) - betaln(a, b)) \
        * dfn * dfd / (s * s)


def _dnbdtr(ans, k, n, p):
    k, n = E.floor(k), E.floor(n)   # as SciPy, which rounds both down
    return E.exp(xlogy(n - 1.0, p) + xlog1py(k, E.negative(p)) - betaln(n, k + 1.0))


def _negated(d):
    return lambda *a: E.negative(d(*a))


bdtr = _in_x("bdtr", ("k", "n"), _dbdtr)
bdtrc = _in_x("bdtrc", ("k", "n"), _negated(_dbdtr))
pdtr = _in_x("pdtr", ("k",), _dpdtr)
pdtrc = _in_x("pdtrc", ("k",), _negated(_dpdtr))
chdtr = _in_x("chdtr", ("v",), _dchdtr)
chdtrc = _in_x("chdtrc", ("v",), _negated(_dchdtr))
nbdtr = _in_x("nbdtr", ("k", "n"), _dnbdtr)
nbdtrc = _in_x("nbdtrc", ("k", "n"), _negated(_dnbdtr))
fdtr = _in_x("fdtr", ("dfn", "dfd"), _dfdtr)
fdtrc = _in_x("fdtrc", ("dfn", "dfd"), _negated(_dfdtr))
# gdtr(a, b, x) = P(b, a·x): differentiable in the rate a and in x, not in the shape b
gdtr = partials("gdtr", _lazy("gdtr"), ("a", "b", "x"),
                (lambda ans, a, b, x: x * _gamma_density(a, b, x), None,
                 lambda ans, a, b, x: a * _gamma_density(a, b, x)))
gdtrc = partials("gdtrc", _lazy("gdtrc"), ("a", "b", "x"),
                 (lambda ans, a, b, x: -x * _gamma_density(a, b, x), None,
                  lambda ans, a, b, x: -a * _gamma_density(a, b, x)))
