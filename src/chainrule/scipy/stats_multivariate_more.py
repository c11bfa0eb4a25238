"""More of ``scipy.stats``' multivariate distributions: ``matrix_normal``, ``matrix_t``,
``dirichlet_multinomial``, ``vonmises_fisher`` and ``normal_inverse_gamma`` (densities
differentiable in the data and every continuous parameter), ``multivariate_hypergeom``
(integers only: SciPy's values, no derivative), with their ``entropy``/``mean``/``var``/
``cov`` where SciPy has closed forms, and SciPy's ``rvs``.

With nothing traced, every function returns SciPy's own value; traced, the closed form
(SciPy's own formula in chainrule operations), after SciPy's checks on the concrete
arguments, so that an invalid argument raises SciPy's error either way.

>>> import numpy as np, chainrule as cr, chainrule.scipy.stats as cst
>>> g = cr.grad(lambda m: cst.matrix_normal.logpdf(np.ones((2, 2)), m))(np.zeros((2, 2)))
>>> g.tolist()                                   # U⁻¹ (X − M) V⁻¹ with U = V = I
[[1.0, 1.0], [1.0, 1.0]]
"""

import warnings

import numpy as np

from .. import numpy as cnp
from ..core.primitive import Primitive, Tracer, full_lower
from ..core.registry import NONDIFF
from ..interpreters.batching import PerExample
from ..primitives.stats import stat
from ..primitives.util import numpy_scalar
from ..primitives.scipy_linalg import scipy_module, loop_batch
from ..primitives.declare import declare
from . import special as csp

__all__ = ["METHODS"]

_LOG_2PI = float(np.log(2 * np.pi))
_LOG_PI = float(np.log(np.pi))

#: name -> {method: function}, added to the distributions by chainrule.scipy.stats
METHODS = {}


def _register(name):
    dist, method = name.split(".")

    def deco(fn):
        METHODS.setdefault(dist, {})[method] = fn
        return fn
    return deco


def _stats(name):
    return getattr(scipy_module("stats"), name)


def _traced(*values):
    return any(isinstance(v, Tracer) or (isinstance(v, (list, tuple)) and _traced(*v))
               for v in values)


def _plain(v):
    """v's value under the tracers; None under vmap (its examples' values are not at hand)."""
    if isinstance(v, (list, tuple)):
        out = [_plain(e) for e in v]
        return None if any(e is None and o is not None for e, o in zip(out, v)) else out
    v = full_lower(v)
    if isinstance(v, np.ndarray) and v.ndim == 0:   # (SciPy wants some as scalars: kappa)
        return v[()]
    return None if isinstance(v, PerExample) else v


def _scipy(dist, method, *args, **kwds):
    """SciPy's value on the plain arguments (which raises SciPy's errors); None where a value
    is batched by vmap (its checks are then skipped)."""
    plain = [_plain(a) for a in args]
    plain_kw = {k: _plain(v) for k, v in kwds.items()}
    if any(p is None and a is not None for p, a in zip(plain, args)) or any(
            plain_kw[k] is None and kwds[k] is not None for k in kwds):
        return None
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return getattr(_stats(dist), method)(*plain, **plain_kw)


def _arr(v):
    return cnp.asarray(v, dtype=float) if isinstance(v, (list, tuple, int, float)) else v


def _square(c, size):
    """SciPy's covariance conventions: a scalar times I, a vector as a diagonal."""
    c = _arr(c)
    if cnp.ndim(c) == 0:
        return c * np.eye(size)
    if cnp.ndim(c) == 1:
        return cnp.diag(c)
    return c


def _dims(mean, rowcov, colcov):
    mean = None if mean is None else _arr(mean)
    rows = cnp.shape(mean)[0] if mean is not None else (
        cnp.shape(rowcov)[0] if cnp.ndim(rowcov) else 1)
    cols = cnp.shape(mean)[1] if mean is not None else (
        cnp.shape(colcov)[0] if cnp.ndim(colcov) else 1)
    rowcov, colcov = _square(rowcov, rows), _square(colcov, cols)
    rows, cols = cnp.shape(rowcov)[0], cnp.shape(colcov)[0]
    if mean is None:
        mean = np.zeros((rows, cols))
    return mean, rowcov, colcov, rows, cols


def _logdet(a):
    return 2.0 * cnp.sum(cnp.log(cnp.diagonal(cnp.linalg.cholesky(a), axis1=-2, axis2=-1)),
                         axis=-1)


def _squeeze(out):
    return numpy_scalar(out[0]) if cnp.ndim(out) == 1 and cnp.shape(out)[0] == 1 else out


# ---- matrix normal -----------------------------------------------------------------------------
@stat("matrix_normal.logpdf")
def matrix_normal_logpdf(X, mean=None, rowcov=1, colcov=1):
    """Log density of the matrix normal MN(mean, rowcov, colcov) at X (m×n, or a stack
    (…, m, n)): −½(mn log 2π + n log det U + m log det V + tr(V⁻¹(X − M)ᵀU⁻¹(X − M))), SciPy's
    values; differentiable in X, mean, rowcov and colcov.

    >>> import scipy.stats
    >>> X, U, V = np.eye(2), np.array([[2.0, 0.3], [0.3, 1.0]]), np.diag([1.0, 3.0])
    >>> bool(np.isclose(matrix_normal_logpdf(X, None, U, V),
    ...                 scipy.stats.matrix_normal.logpdf(X, None, U, V), rtol=1e-14))
    True
    """
    if not _traced(X, mean, rowcov, colcov):
        return _scipy("matrix_normal", "logpdf", X, mean, rowcov, colcov)
    _scipy("matrix_normal", "logpdf", X, mean, rowcov, colcov)   # (SciPy's checks)
    mean, u, v, m, n = _dims(mean, rowcov, colcov)
    X = _arr(X)
    d = (X if cnp.ndim(X) > 2 else cnp.reshape(X, (1, m, n))) - mean
    maha = cnp.sum(cnp.matmul(cnp.linalg.inv(u), d) * cnp.matmul(d, cnp.linalg.inv(v)),
                   axis=(-2, -1))
    out = -0.5 * (m * n * _LOG_2PI + n * _logdet(u) + m * _logdet(v) + maha)
    return _squeeze(out)


@stat("matrix_normal.pdf")
def matrix_normal_pdf(X, mean=None, rowcov=1, colcov=1):
    """Density of the matrix normal: exp of :func:`matrix_normal_logpdf`.

    >>> float(matrix_normal_pdf(np.zeros((1, 1))))           # 1/√(2π)
    0.3989422804014327
    """
    return cnp.exp(matrix_normal_logpdf(X, mean, rowcov, colcov))


@_register("matrix_normal.entropy")
def matrix_normal_entropy(rowcov=1, colcov=1, *frozen, mean=None):
    """½mn(1 + log 2π) + ½n log det U + ½m log det V, differentiable in both covariances.
    (A frozen matrix normal passes its parameters (mean, rowcov, colcov): the mean, which
    the entropy does not depend on, is dropped, as SciPy's frozen entropy does.)

    >>> import scipy.stats
    >>> U = np.array([[2.0, 0.3], [0.3, 1.0]])
    >>> bool(np.isclose(matrix_normal_entropy(U, np.eye(3)),
    ...                 scipy.stats.matrix_normal.entropy(U, np.eye(3))))
    True
    """
    if frozen:   # (mean, rowcov, colcov), positionally
        mean, rowcov, colcov = rowcov, colcov, frozen[0]
    if mean is not None:   # (the mean's shape gives a scalar covariance its size)
        _, rowcov, colcov, _, _ = _dims(mean, rowcov, colcov)
    if not _traced(rowcov, colcov):
        return _scipy("matrix_normal", "entropy", np.asarray(rowcov, float),
                      np.asarray(colcov, float))
    u, v = _arr(rowcov), _arr(colcov)
    m, n = cnp.shape(u)[0], cnp.shape(v)[0]
    return numpy_scalar(0.5 * m * n * (1.0 + _LOG_2PI) + 0.5 * n * _logdet(u)
                        + 0.5 * m * _logdet(v))


# ---- matrix t ----------------------------------------------------------------------------------
@stat("matrix_t.logpdf")
def matrix_t_logpdf(X, mean=None, row_spread=1, col_spread=1, df=1):
    """Log density of the matrix t: log Γₙ((ν + m + n − 1)/2) − log Γₙ((ν + n − 1)/2)
    − (mn/2) log π − (n/2) log det R − (m/2) log det C − ((ν + m + n − 1)/2)·
    log det(Iₙ + (X − M)ᵀR⁻¹(X − M)C⁻¹), SciPy's values; differentiable in X, mean, both
    spreads and df.

    >>> import scipy.stats
    >>> X = np.array([[0.5, -0.2], [0.1, 0.3]])
    >>> bool(np.isclose(matrix_t_logpdf(X, None, np.eye(2), np.eye(2), 3.0),
    ...                 scipy.stats.matrix_t.logpdf(X, None, np.eye(2), np.eye(2), 3.0)))
    True
    """
    if not _traced(X, mean, row_spread, col_spread, df):
        return _scipy("matrix_t", "logpdf", X, mean, row_spread, col_spread, df)
    _scipy("matrix_t", "logpdf", X, mean, row_spread, col_spread, df)
    mean, r, c, m, n = _dims(mean, row_spread, col_spread)
    X = _arr(X)
    d = (X if cnp.ndim(X) > 2 else cnp.reshape(X, (1, m, n))) - mean
    inner = np.eye(n) + cnp.matmul(cnp.matmul(cnp.swapaxes(d, -1, -2), cnp.linalg.inv(r)),
                                   cnp.matmul(d, cnp.linalg.inv(c)))
    _, logdet = cnp.linalg.slogdet(inner)
    a = (df + m + n - 1.0) / 2.0
    out = (-a * logdet + csp.multigammaln(a, n) - csp.multigammaln((df + n - 1.0) / 2.0, n)
           - (m * n / 2.0) * _LOG_PI - (n / 2.0) * _logdet(r) - (m / 2.0) * _logdet(c))
    return _squeeze(out)


@stat("matrix_t.pdf")
def matrix_t_pdf(X, mean=None, row_spread=1, col_spread=1, df=1):
    """Density of the matrix t: exp of :func:`matrix_t_logpdf`.

    >>> round(float(matrix_t_pdf(np.zeros((1, 1)))), 6)       # the Cauchy's 1/π
    0.31831
    """
    return cnp.exp(matrix_t_logpdf(X, mean, row_spread, col_spread, df))


# ---- Dirichlet-multinomial -----------------------------------------------------------------------
@stat("dirichlet_multinomial.logpmf")
def dirichlet_multinomial_logpmf(x, alpha, n):
    """Log probability of the counts x (last axis) under the Dirichlet-multinomial: log Γ(Σα)
    + log Γ(n + 1) − log Γ(n + Σα) + Σ(log Γ(x + α) − log Γ(α) − log Γ(x + 1)); −inf where
    Σx ≠ n. SciPy's values; differentiable in alpha (x and n are counts).

    >>> import scipy.stats
    >>> bool(np.isclose(dirichlet_multinomial_logpmf([1, 2, 0], [0.5, 1.5, 2.0], 3),
    ...                 scipy.stats.dirichlet_multinomial.logpmf([1, 2, 0], [0.5, 1.5, 2.0], 3)))
    True
    """
    if not _traced(x, alpha, n):
        return _scipy("dirichlet_multinomial", "logpmf", x, alpha, n)
    _scipy("dirichlet_multinomial", "logpmf", x, alpha, n)
    x, a, n = cnp.floor(_arr(x)), _arr(alpha), cnp.floor(_arr(n))
    x, a = cnp.broadcast_arrays(x, a)
    sa = cnp.sum(a, axis=-1)
    out = (csp.gammaln(sa) + csp.gammaln(n + 1.0) - csp.gammaln(n + sa)
           + cnp.sum(csp.gammaln(x + a) - csp.gammaln(a) - csp.gammaln(x + 1.0), axis=-1))
    return numpy_scalar(cnp.where(cnp.sum(x, axis=-1) != n, -np.inf, out))


@stat("dirichlet_multinomial.pmf")
def dirichlet_multinomial_pmf(x, alpha, n):
    """Probability of the counts x: exp of :func:`dirichlet_multinomial_logpmf`.

    >>> round(float(dirichlet_multinomial_pmf([2, 0], [1.0, 1.0], 2)), 12)   # 3 splits alike
    0.333333333333
    """
    return cnp.exp(dirichlet_multinomial_logpmf(x, alpha, n))


def _dm_parts(alpha, n):
    a, n = _arr(alpha), _arr(n)
    sa = cnp.sum(a, axis=-1)
    return a, cnp.expand_dims(sa, -1), cnp.expand_dims(n, -1)


@_register("dirichlet_multinomial.mean")
def dirichlet_multinomial_mean(alpha, n):
    """n·α/Σα, differentiable in alpha.

    >>> dirichlet_multinomial_mean([1.0, 3.0], 8).tolist()
    [2.0, 6.0]
    """
    if not _traced(alpha, n):
        return _scipy("dirichlet_multinomial", "mean", alpha, n)
    a, sa, n = _dm_parts(alpha, n)
    return n * a / sa


@_register("dirichlet_multinomial.var")
def dirichlet_multinomial_var(alpha, n):
    """n·(α/Σα)(1 − α/Σα)(n + Σα)/(1 + Σα), differentiable in alpha.

    >>> import scipy.stats
    >>> bool(np.allclose(dirichlet_multinomial_var([1.0, 3.0], 8),
    ...                  scipy.stats.dirichlet_multinomial.var([1.0, 3.0], 8)))
    True
    """
    if not _traced(alpha, n):
        return _scipy("dirichlet_multinomial", "var", alpha, n)
    a, sa, n = _dm_parts(alpha, n)
    return n * a / sa * (1.0 - a / sa) * (n + sa) / (1.0 + sa)


@_register("dirichlet_multinomial.cov")
def dirichlet_multinomial_cov(alpha, n):
    """−n·αᵢαⱼ/(Σα)²·(n + Σα)/(1 + Σα) off the diagonal, the variances on it.

    >>> import scipy.stats
    >>> bool(np.allclose(dirichlet_multinomial_cov([1.0, 3.0, 0.5], 8),
    ...                  scipy.stats.dirichlet_multinomial.cov([1.0, 3.0, 0.5], 8)))
    True
    """
    if not _traced(alpha, n):
        return _scipy("dirichlet_multinomial", "cov", alpha, n)
    a, sa, n = _dm_parts(alpha, n)
    var = n * a / sa * (1.0 - a / sa) * (n + sa) / (1.0 + sa)
    k = cnp.shape(a)[-1]
    outer = cnp.expand_dims(a, -1) * cnp.expand_dims(a, -2)
    off = -cnp.expand_dims(n, -1) * outer / cnp.expand_dims(sa, -1) ** 2 * cnp.expand_dims(
        (n + sa) / (1.0 + sa), -1)
    eye = np.eye(k, dtype=bool)
    return cnp.where(eye, cnp.expand_dims(var, -1) * np.eye(k), off)


# ---- von Mises–Fisher --------------------------------------------------------------------------
def _vmf_log_norm(dim, kappa):
    half = 0.5 * dim
    return (0.5 * (dim - 2) * cnp.log(kappa) - half * _LOG_2PI - cnp.log(csp.ive(half - 1.0, kappa))
            - kappa)


@stat("vonmises_fisher.logpdf")
def vonmises_fisher_logpdf(x, mu=None, kappa=1):
    """Log density of the von Mises–Fisher distribution on the unit sphere: log Cₚ(κ) + κ μ·x,
    Cₚ through ive, SciPy's values; differentiable in x, mu and kappa (mu as given: SciPy
    requires a unit vector).

    >>> import scipy.stats
    >>> mu, x = np.array([0.0, 0.6, 0.8]), np.array([1.0, 0.0, 0.0])
    >>> bool(np.isclose(vonmises_fisher_logpdf(x, mu, 2.0),
    ...                 scipy.stats.vonmises_fisher.logpdf(x, mu, 2.0), rtol=1e-14))
    True
    """
    if not _traced(x, mu, kappa):
        return _scipy("vonmises_fisher", "logpdf", x, mu, kappa)
    _scipy("vonmises_fisher", "logpdf", x, mu, kappa)
    x, mu = _arr(x), _arr(mu)
    dim = cnp.shape(mu)[-1]
    return numpy_scalar(_vmf_log_norm(dim, kappa) + kappa * cnp.sum(mu * x, axis=-1))


@stat("vonmises_fisher.pdf")
def vonmises_fisher_pdf(x, mu=None, kappa=1):
    """Density of the von Mises–Fisher distribution: exp of :func:`vonmises_fisher_logpdf`.

    >>> import scipy.stats
    >>> bool(np.isclose(vonmises_fisher_pdf([0.0, 1.0], [1.0, 0.0], 1.5),
    ...                 scipy.stats.vonmises_fisher.pdf([0.0, 1.0], [1.0, 0.0], 1.5)))
    True
    """
    return cnp.exp(vonmises_fisher_logpdf(x, mu, kappa))


@_register("vonmises_fisher.entropy")
def vonmises_fisher_entropy(mu=None, kappa=1):
    """−log Cₚ(κ) − κ I_{p/2}(κ)/I_{p/2−1}(κ), differentiable in kappa.

    >>> import scipy.stats
    >>> bool(np.isclose(vonmises_fisher_entropy([0.0, 1.0, 0.0], 2.0),
    ...                 scipy.stats.vonmises_fisher.entropy([0.0, 1.0, 0.0], 2.0)))
    True
    """
    if not _traced(mu, kappa):
        return _scipy("vonmises_fisher", "entropy", mu, kappa)
    _scipy("vonmises_fisher", "entropy", mu, kappa)
    dim = cnp.shape(_arr(mu))[-1]
    half = 0.5 * dim
    return numpy_scalar(-_vmf_log_norm(dim, kappa)
                        - kappa * csp.ive(half, kappa) / csp.ive(half - 1.0, kappa))


# ---- normal-inverse-gamma ---------------------------------------------------------------------
@stat("normal_inverse_gamma.logpdf")
def normal_inverse_gamma_logpdf(x, s2, mu=0, lmbda=1, a=1, b=1):
    """Log density of (x, s2) under the normal-inverse-gamma: N(x; mu, s2/lmbda) times
    InvGamma(s2; a, b); −inf at s2 ≤ 0, nan outside the parameters' domain, as SciPy's.
    Differentiable in every argument.

    >>> import scipy.stats
    >>> bool(np.isclose(normal_inverse_gamma_logpdf(0.3, 1.5, 0.1, 2.0, 3.0, 1.2),
    ...                 scipy.stats.normal_inverse_gamma.logpdf(0.3, 1.5, 0.1, 2.0, 3.0, 1.2)))
    True
    """
    x, s2, mu, lmbda, a, b = (_arr(v) for v in (x, s2, mu, lmbda, a, b))
    bad = cnp.logical_not((lmbda > 0) & (a > 0) & (b > 0))
    pos = s2 > 0
    s2s = cnp.where(pos, s2, 1.0)
    out = (0.5 * (cnp.log(lmbda) - cnp.log(2 * np.pi * s2s)) + a * cnp.log(b) - csp.gammaln(a)
           - (a + 1.0) * cnp.log(s2s) - (2.0 * b + lmbda * (x - mu) ** 2) / (2.0 * s2s))
    return numpy_scalar(cnp.where(bad, np.nan, cnp.where(pos, out, -np.inf)))


@stat("normal_inverse_gamma.pdf")
def normal_inverse_gamma_pdf(x, s2, mu=0, lmbda=1, a=1, b=1):
    """Density of the normal-inverse-gamma: exp of :func:`normal_inverse_gamma_logpdf`.

    >>> import scipy.stats
    >>> bool(np.isclose(normal_inverse_gamma_pdf(0.3, 1.5), scipy.stats.normal_inverse_gamma.pdf(0.3, 1.5)))
    True
    """
    return cnp.exp(normal_inverse_gamma_logpdf(x, s2, mu, lmbda, a, b))


@_register("normal_inverse_gamma.mean")
def normal_inverse_gamma_mean(mu=0, lmbda=1, a=1, b=1):
    """(mu, b/(a − 1)), nan for a ≤ 1 or outside the domain; differentiable.

    >>> [float(v) for v in normal_inverse_gamma_mean(0.5, 1.0, 3.0, 4.0)]
    [0.5, 2.0]
    """
    mu, lmbda, a, b = (_arr(v) for v in (mu, lmbda, a, b))
    bad = cnp.logical_not((lmbda > 0) & (a > 0) & (b > 0) & (a > 1))
    a_ = cnp.where(bad, 2.0, a)
    return (numpy_scalar(cnp.where(bad, np.nan, mu + 0.0 * a)),
            numpy_scalar(cnp.where(bad, np.nan, b / (a_ - 1.0))))


@_register("normal_inverse_gamma.var")
def normal_inverse_gamma_var(mu=0, lmbda=1, a=1, b=1):
    """(b/((a − 1)·lmbda), b²/((a − 1)²(a − 2))), nan where a ≤ 1 (a ≤ 2 for the second).

    >>> [float(v) for v in normal_inverse_gamma_var(0.5, 2.0, 3.0, 4.0)]
    [1.0, 4.0]
    """
    mu, lmbda, a, b = (_arr(v) for v in (mu, lmbda, a, b))
    bad = cnp.logical_not((lmbda > 0) & (a > 0) & (b > 0))
    bad_x, bad_s2 = bad | cnp.logical_not(a > 1), bad | cnp.logical_not(a > 2)
    a1, a2 = cnp.where(bad_x, 2.0, a), cnp.where(bad_s2, 3.0, a)
    var_x = b / ((a1 - 1.0) * cnp.where(bad_x, 1.0, lmbda))
    var_s2 = b ** 2 / ((a2 - 1.0) ** 2 * (a2 - 2.0))
    return (numpy_scalar(cnp.where(bad_x, np.nan, var_x + 0.0 * mu)),
            numpy_scalar(cnp.where(bad_s2, np.nan, var_s2 + 0.0 * mu)))


# ---- multivariate hypergeometric: integers, SciPy's values -----------------------------------
def _hypergeom_impl(x, m, n, *, method):
    with np.errstate(all="ignore"):
        return np.asarray(getattr(_stats("multivariate_hypergeom"), method)(x, m, n))


# SciPy's values of integers: a zero derivative; under vmap one SciPy call per example
_hypergeom = Primitive("multivariate_hypergeom", _hypergeom_impl)
declare(_hypergeom, jvp=None, vjp=None, batch=loop_batch(_hypergeom), names=())


@stat("multivariate_hypergeom.logpmf", float64=False, kind=NONDIFF)
def multivariate_hypergeom_logpmf(x, m, n):
    """SciPy's log probability of drawing x (last axis) in n draws from an urn of m objects
    per type: integers throughout, no derivative.

    >>> import scipy.stats
    >>> bool(np.isclose(multivariate_hypergeom_logpmf([1, 2], [4, 6], 3),
    ...                 scipy.stats.multivariate_hypergeom.logpmf([1, 2], [4, 6], 3)))
    True
    """
    return _hypergeom(x, m, n, method="logpmf")


@stat("multivariate_hypergeom.pmf", float64=False, kind=NONDIFF)
def multivariate_hypergeom_pmf(x, m, n):
    """SciPy's probability of drawing x in n draws from an urn of m objects per type.

    >>> round(float(multivariate_hypergeom_pmf([1, 1], [1, 1], 2)), 12)
    1.0
    """
    return _hypergeom(x, m, n, method="pmf")


def _value_only(dist, method, doc_args):
    def fn(*args, **kwds):
        if _traced(*args, *kwds.values()):
            raise NotImplementedError(
                f"chainrule.scipy.stats.{dist}.{method} is SciPy's value only: its arguments "
                f"are integers (or SciPy's draw exposes no reparameterization); pass plain "
                f"values, or wrap them in chainrule.stop_gradient")
        return _scipy(dist, method, *args, **kwds)
    fn.__name__ = fn.__qualname__ = f"{dist}_{method}"
    fn.__doc__ = (f"SciPy's ``{dist}.{method}``, values only (a traced argument raises).\n\n"
                  f"    >>> import scipy.stats, chainrule.scipy.stats as cst\n"
                  f"    >>> bool(np.array_equal(cst.{dist}.{method}({doc_args}), "
                  f"scipy.stats.{dist}.{method}({doc_args})))\n    True\n")
    return fn


for _method in ("mean", "var", "cov"):
    METHODS.setdefault("multivariate_hypergeom", {})[_method] = _value_only(
        "multivariate_hypergeom", _method, "[4, 6], 3")
for _dist, _args in (("multivariate_hypergeom", "[4, 6], 3, size=2, random_state=0"),
                     ("matrix_normal", "np.zeros((2, 2)), size=2, random_state=0"),
                     ("matrix_t", "np.zeros((2, 2)), size=2, random_state=0"),
                     ("vonmises_fisher", "[0.0, 1.0], 2.0, size=2, random_state=0"),
                     ("normal_inverse_gamma", "size=2, random_state=0")):
    METHODS.setdefault(_dist, {})["rvs"] = _value_only(_dist, "rvs", _args)
#: so that ``--doctest-modules`` runs the generated functions' examples
__test__ = {f"{d}_{m}": f for d, t in METHODS.items() for m, f in t.items()
            if f.__name__ == f"{d}_{m}" and f.__module__ == __name__}


# ---- the Poisson binomial: a sum of Bernoulli(pᵢ), p along the last axis ------------------------
def _poisson_binom_table(p):
    """P[i] = P(K = i), i = 0…n, stacked on a first axis over p's leading (batch) axes: the
    product Π(1 − pⱼ + pⱼz) one factor at a time (all terms positive: no cancellation, and
    differentiable in every pⱼ)."""
    p = _arr(p)
    n = cnp.shape(p)[-1]
    batch = cnp.shape(p)[:-1]
    table = cnp.concatenate([cnp.ones((1,) + batch), cnp.zeros((n,) + batch)], axis=0)
    zero = cnp.zeros((1,) + batch)
    for j in range(n):
        pj = p[..., j]
        table = table * (1.0 - pj) + cnp.concatenate([zero, table[:-1]], axis=0) * pj
    bad = cnp.logical_not(cnp.all((p >= 0) & (p <= 1), axis=-1))
    return table, n, bad


def _poisson_binom_sum(k, p, loc, keep):
    """Σ over i of keep(i, k − loc)·P[i], nan for a nan k or p outside [0, 1]."""
    table, n, bad = _poisson_binom_table(p)
    k = _arr(k) - loc
    batch = cnp.shape(table)[1:]
    nd = max(len(batch), cnp.ndim(k))   # (k broadcasts with the batch, from the right)
    table = cnp.reshape(table, (n + 1,) + (1,) * (nd - len(batch)) + batch)
    i = np.arange(n + 1.0).reshape((n + 1,) + (1,) * nd)
    out = cnp.sum(cnp.where(keep(i, k), table, 0.0), axis=0)
    return numpy_scalar(cnp.where(cnp.logical_or(bad, cnp.isnan(k)), np.nan, out))


@stat("poisson_binom.pmf")
def poisson_binom_pmf(k, p, loc=0):
    """P(K = k) for K the number of successes of independent Bernoulli(pᵢ) trials (p along
    its last axis, leading axes a batch of distributions), SciPy's values; differentiable in
    every pᵢ.

    >>> import scipy.stats
    >>> bool(np.allclose(poisson_binom_pmf([0, 1, 2, 3], [0.2, 0.5, 0.7]),
    ...                  scipy.stats.poisson_binom.pmf([0, 1, 2, 3], [0.2, 0.5, 0.7])))
    True
    """
    return _poisson_binom_sum(k, p, loc, lambda i, k: i == k)


@stat("poisson_binom.logpmf")
def poisson_binom_logpmf(k, p, loc=0):
    """log P(K = k) of the Poisson binomial: the log of :func:`poisson_binom_pmf`.

    >>> round(float(poisson_binom_logpmf(1, [0.5, 0.5])), 12)     # log ½
    -0.69314718056
    """
    return cnp.log(poisson_binom_pmf(k, p, loc))


@stat("poisson_binom.cdf")
def poisson_binom_cdf(k, p, loc=0):
    """P(K ≤ k) of the Poisson binomial, differentiable in every pᵢ.

    >>> import scipy.stats
    >>> bool(np.allclose(poisson_binom_cdf([0, 1.5, 3], [0.2, 0.5, 0.7]),
    ...                  scipy.stats.poisson_binom.cdf([0, 1.5, 3], [0.2, 0.5, 0.7])))
    True
    """
    return _poisson_binom_sum(k, p, loc, lambda i, k: i <= k)


@stat("poisson_binom.sf")
def poisson_binom_sf(k, p, loc=0):
    """P(K > k) of the Poisson binomial, summed over the upper tail (no cancellation).

    >>> import scipy.stats
    >>> bool(np.allclose(poisson_binom_sf([0, 1.5, 3], [0.2, 0.5, 0.7]),
    ...                  scipy.stats.poisson_binom.sf([0, 1.5, 3], [0.2, 0.5, 0.7])))
    True
    """
    return _poisson_binom_sum(k, p, loc, lambda i, k: i > k)


@_register("poisson_binom.mean")
def poisson_binom_mean(p, loc=0):
    """Σpᵢ (+ loc), differentiable in p.

    >>> round(float(poisson_binom_mean([0.2, 0.5, 0.7])), 12)
    1.4
    """
    return numpy_scalar(cnp.sum(_arr(p), axis=-1) + loc)


@_register("poisson_binom.var")
def poisson_binom_var(p, loc=0):
    """Σpᵢ(1 − pᵢ), differentiable in p.

    >>> round(float(poisson_binom_var([0.2, 0.5, 0.7])), 12)
    0.62
    """
    p = _arr(p)
    return numpy_scalar(cnp.sum(p * (1.0 - p), axis=-1) + 0.0 * loc)


@_register("poisson_binom.rvs")
def poisson_binom_rvs(p, loc=0, size=None, random_state=None):
    """SciPy's draws (counts: piecewise constant in p, so no derivative is given).

    >>> import scipy.stats
    >>> bool(np.array_equal(poisson_binom_rvs([0.2, 0.5], size=4, random_state=0),
    ...                     scipy.stats.poisson_binom.rvs([0.2, 0.5], size=4, random_state=0)))
    True
    """
    return _scipy("poisson_binom", "rvs", p, loc=loc, size=size, random_state=random_state)


__test__.update({f"poisson_binom_{m}": METHODS["poisson_binom"][m] for m in ("mean", "var", "rvs")})
