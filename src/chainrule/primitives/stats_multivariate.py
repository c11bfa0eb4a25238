"""``scipy.stats``' multivariate distributions, dirichlet and multivariate_normal, as
composites (see :mod:`chainrule.primitives.stats`).

>>> import chainrule as cr
>>> cr.grad(lambda m: multivariate_normal_logpdf(np.ones(2), m, np.eye(2)))(np.zeros(2))
array([1., 1.])
"""

import numpy as np

from ..core.primitive import full_lower
from ..interpreters.batching import BatchedValueError

from .basic import reduce_sum
from .structural import reduce_all, reduce_any
from .util import shape, ndim
from . import elementwise as E
from . import structural as S
from . import linalg as L
from . import composites as C
from .special import gammaln
from .special_functions import xlogy, multigammaln
from .stats import stat

__all__ = []

_LOG_2PI = float(np.log(2.0 * np.pi))
_LOG_PI = float(np.log(np.pi))
_LN2 = float(np.log(2.0))


# ---- dirichlet -------------------------------------------------------------------------------
def _simplex(x, alpha):
    if ndim(alpha) != 1:
        raise ValueError(f"dirichlet: alpha must be 1-D (one concentration per component), "
                         f"not of shape {shape(alpha)}")
    k = shape(alpha)[0]
    n = shape(x)[0] if ndim(x) else 0
    if n == k - 1:  # SciPy's shorthand: the last component is 1 − the others
        x = C.concatenate([x, 1.0 - reduce_sum(x, axis=0, keepdims=True)], axis=0)
    elif n != k:
        raise ValueError(f"dirichlet: x has {n} components along its first axis; alpha has "
                         f"{k} (give {k} or {k - 1})")
    return x, C.reshape(alpha, shape=(k,) + (1,) * (ndim(x) - 1))


@stat("dirichlet.logpdf", float64=False)
def dirichlet_logpdf(x, alpha):
    """log density of Dirichlet(alpha); components along x's first axis, as in SciPy.

    >>> round(float(dirichlet_logpdf(np.array([0.2, 0.3, 0.5]), np.ones(3))), 6)  # log 2
    0.693147
    """
    x, a = _simplex(x, alpha)
    lnb = reduce_sum(gammaln(alpha)) - gammaln(reduce_sum(alpha))
    return reduce_sum(xlogy(a - 1.0, x), axis=0) - lnb


@stat("dirichlet.pdf", float64=False)
def dirichlet_pdf(x, alpha):
    """Density of Dirichlet(alpha).

    >>> round(float(dirichlet_pdf(np.array([0.2, 0.8]), np.array([2.0, 1.0]))), 6)  # 2 x₁
    0.4
    """
    return E.exp(dirichlet_logpdf(x, alpha))


# ---- multivariate normal ---------------------------------------------------------------------
def _mvn_args(x, mean, cov, name="multivariate_normal"):
    """SciPy's conventions (a scalar or 1-D cov is σ²·I or a diagonal; a 1-D x is one point,
    or points of dimension 1), plus broadcasting over leading axes of x, mean and cov."""
    if mean is None:
        dim = shape(cov)[-1] if ndim(cov) else 1
        mean = np.zeros(dim)
    if ndim(mean) == 0:
        mean = C.reshape(mean, shape=(1,))
    dim = shape(mean)[-1]
    if ndim(cov) == 0:
        cov = cov * np.eye(dim)
    elif ndim(cov) == 1:
        cov = C.expand_dims(cov, -1) * np.eye(dim)
    if ndim(x) == 0:
        x = C.reshape(x, shape=(1,))
    if ndim(x) == 1 and dim == 1 and ndim(mean) == 1:
        x = C.expand_dims(x, -1)
    if shape(x)[-1] != dim or shape(cov)[-2:] != (dim, dim):
        raise ValueError(f"{name}: x {shape(x)}, mean {shape(mean)} and cov "
                         f"{shape(cov)} disagree on the dimension (the last axis)")
    return x, mean, cov, dim


def _mahalanobis(x, mean, cov, dim):
    """(x − mean)ᵀ cov⁻¹ (x − mean) and log √det cov, through one Cholesky factor, broadcast
    over the leading axes of x, mean and cov."""
    diff = x - mean
    batch = np.broadcast_shapes(shape(diff)[:-1], shape(cov)[:-2])
    chol = L.cholesky(C.broadcast_to(cov, batch + (dim, dim)))
    z = L.solve(chol, C.expand_dims(C.broadcast_to(diff, batch + (dim,)), -1))
    nd = len(batch) + 2
    return (reduce_sum(z * z, axis=(-2, -1)),
            reduce_sum(E.log(L.diagonal(chol, axis1=nd - 2, axis2=nd - 1)), axis=-1))


@stat("multivariate_normal.logpdf")
def multivariate_normal_logpdf(x, mean=None, cov=1, allow_singular=False):
    """log density of N(mean, cov) at the points along x's last axis, through a Cholesky
    factor; x, mean and cov broadcast over their leading axes; size-1 axes are squeezed
    as in SciPy. (``allow_singular`` is accepted for SciPy's signature; cov must be
    positive definite.)

    >>> round(float(multivariate_normal_logpdf(np.zeros(2), np.zeros(2), np.eye(2))), 6)
    -1.837877
    """
    x, mean, cov, dim = _mvn_args(x, mean, cov)
    maha, logdet = _mahalanobis(x, mean, cov, dim)
    return C.squeeze(-0.5 * (dim * _LOG_2PI + maha) - logdet)


@stat("multivariate_normal.pdf")
def multivariate_normal_pdf(x, mean=None, cov=1, allow_singular=False):
    """Density of N(mean, cov).

    >>> round(float(multivariate_normal_pdf(0.0)), 6)
    0.398942
    """
    return E.exp(multivariate_normal_logpdf(x, mean, cov, allow_singular))


# ---- multivariate t --------------------------------------------------------------------------
def _infinite(df):
    """Whether df is +inf (read under tracers); None where it cannot be read (a df batched
    under vmap: each example may be either)."""
    try:
        v = np.asarray(full_lower(df))
    except BatchedValueError:
        return None
    return v.ndim == 0 and v.dtype.kind in "fc" and bool(np.isposinf(v.real))


@stat("multivariate_t.logpdf")
def multivariate_t_logpdf(x, loc=None, shape=1, df=1):
    """log density of the multivariate t with location ``loc``, shape matrix ``shape`` and
    ``df`` degrees of freedom, at the points along x's last axis (SciPy's conventions, as
    :func:`multivariate_normal_logpdf`); differentiable in x, loc, shape and df. With
    ``df=np.inf`` it is the multivariate normal's, as SciPy's.

    >>> import scipy.stats
    >>> x, m, s = np.array([0.5, 0.2]), np.zeros(2), np.eye(2)
    >>> bool(np.isclose(multivariate_t_logpdf(x, m, s, 3.0),
    ...                 scipy.stats.multivariate_t.logpdf(x, m, s, 3.0)))
    True
    """
    infinite = _infinite(df)
    if infinite:   # SciPy's: the multivariate normal (the formula below is nan there)
        return multivariate_normal_logpdf(x, loc, shape)
    given = df
    if infinite is None:   # per example: the formula on a finite stand-in where df is inf
        df = E.where(E.equal(given, np.inf), 1.0, given)
    x, loc, shape_, dim = _mvn_args(x, loc, shape, "multivariate_t")
    maha, logdet = _mahalanobis(x, loc, shape_, dim)
    h = 0.5 * (df + dim)
    out = (gammaln(h) - gammaln(0.5 * df) - 0.5 * dim * (E.log(df) + _LOG_PI) - logdet
           - h * E.log1p(maha / df))
    if infinite is None:
        out = E.where(E.equal(given, np.inf), -0.5 * (dim * _LOG_2PI + maha) - logdet, out)
    return C.squeeze(out)


@stat("multivariate_t.pdf")
def multivariate_t_pdf(x, loc=None, shape=1, df=1):
    """Density of the multivariate t.

    >>> round(float(multivariate_t_pdf(0.0, 0.0, 1.0, 1.0)), 6)   # Cauchy: 1/π
    0.31831
    """
    return E.exp(multivariate_t_logpdf(x, loc, shape, df))


# ---- multinomial -----------------------------------------------------------------------------
@stat("multinomial.logpmf")
def multinomial_logpmf(x, n, p):
    """log probability of the counts along x's last axis in ``n`` trials with
    probabilities ``p`` (last axis); −inf where the counts are not non-negative integers
    summing to n, nan for p outside [0, 1] or n < 0. Differentiable in p, used as given:
    pass p on the simplex (a softmax, say) — SciPy replaces the last component of a p
    that does not sum to 1 by 1 minus the others (and from SciPy 1.18 answers nan).

    >>> round(float(multinomial_logpmf(np.array([1.0, 2.0, 0.0]), 3, np.array([0.2, 0.3, 0.5]))), 6)
    -2.918771
    """
    n = E.trunc(n)                      # SciPy reads n as an integer
    terms = xlogy(x, p) - gammaln(x + 1.0)
    out = gammaln(n + 1.0) + reduce_sum(terms, axis=-1)
    counts = E.logical_and(E.greater_equal(x, 0), E.equal(x, E.floor(x)))
    ok = E.logical_and(reduce_all(counts, axis=-1), E.equal(reduce_sum(x, axis=-1), n))
    bad = E.logical_or(reduce_any(E.logical_or(E.less(p, 0), E.greater(p, 1)), axis=-1), E.less(n, 0))
    return E.where(bad, np.nan, E.where(ok, out, -np.inf))


@stat("multinomial.pmf")
def multinomial_pmf(x, n, p):
    """Probability of the counts along x's last axis.

    >>> float(multinomial_pmf(np.array([1.0, 1.0]), 2, np.array([0.5, 0.5])))
    0.5
    """
    return E.exp(multinomial_logpmf(x, n, p))


# ---- Wishart and inverse Wishart -------------------------------------------------------------
def _wishart_args(x, scale, name):
    """SciPy's layout: a scalar scale is 1×1; a stack of x has its draws along the LAST axis
    (dim, dim, n), moved to the front here."""
    if ndim(scale) == 0:
        scale = C.reshape(scale, shape=(1, 1))
    dim = shape(scale)[-1]
    if ndim(x) == 0 or (ndim(x) == 1 and dim == 1):
        x = C.reshape(x, shape=(-1, 1, 1) if ndim(x) else (1, 1))
    elif ndim(x) == 3:
        x = C.moveaxis(x, -1, 0)
    if shape(x)[-2:] != (dim, dim):
        raise ValueError(f"{name}: x {shape(x)} and scale {shape(scale)} disagree on the "
                         f"dimension (x is (dim, dim) or (dim, dim, n), as in SciPy)")
    return x, scale, dim


def _from_lower(a):
    return S.tril(a) + L.mT(S.tril(a, k=-1))


def _logdet(a):
    """log det of positive-definite a (a stack), through its Cholesky factor."""
    nd = ndim(a)
    return 2.0 * reduce_sum(E.log(L.diagonal(L.cholesky(a), axis1=nd - 2, axis2=nd - 1)), axis=-1)


def _trace_solve(a, b):
    """tr(a⁻¹ b), a broadcast over b's stack."""
    a = C.broadcast_to(a, shape(b)[:-2] + shape(a)[-2:]) if ndim(b) > ndim(a) else a
    return C.trace(L.solve(a, b), axis1=-2, axis2=-1)


def _wishart_family(x, df, scale, name):
    """The Wishart (or, for ``name`` invwishart, inverse Wishart) log density."""
    x, scale, dim = _wishart_args(x, scale, name)
    # SciPy reads the lower triangle of scale (its Cholesky factor), and of x for the inverse
    # Wishart (Cholesky again); a non-symmetric matrix is taken as that triangle mirrored.
    scale = _from_lower(scale)
    if name == "invwishart":
        x = _from_lower(x)
    ldx, lds = _logdet(x), _logdet(scale)
    if name == "invwishart":
        out = 0.5 * df * lds - 0.5 * _trace_solve(x, scale) - 0.5 * (df + dim + 1.0) * ldx
    else:
        out = 0.5 * (df - dim - 1.0) * ldx - 0.5 * _trace_solve(scale, x) - 0.5 * df * lds
    return C.squeeze(out - 0.5 * df * dim * _LN2 - multigammaln(0.5 * df, dim))


@stat("wishart.logpdf")
def wishart_logpdf(x, df, scale):
    """log density of Wishart(df, scale) at the positive-definite x (one (dim, dim) matrix,
    or SciPy's stack (dim, dim, n)); differentiable in x, df and scale.

    >>> import scipy.stats
    >>> x, s = np.array([[2.0, 0.3], [0.3, 1.0]]), np.eye(2)
    >>> bool(np.isclose(wishart_logpdf(x, 4.0, s), scipy.stats.wishart.logpdf(x, 4.0, s)))
    True
    """
    return _wishart_family(x, df, scale, "wishart")


@stat("wishart.pdf")
def wishart_pdf(x, df, scale):
    """Density of Wishart(df, scale).

    >>> round(float(wishart_pdf(1.0, 1.0, 1.0)), 6)   # χ²₁ at 1
    0.241971
    """
    return E.exp(wishart_logpdf(x, df, scale))


@stat("invwishart.logpdf")
def invwishart_logpdf(x, df, scale):
    """log density of the inverse Wishart(df, scale), in x, df and scale (x as in
    :func:`wishart_logpdf`).

    >>> round(float(invwishart_logpdf(1.0, 1.0, 1.0)), 6)   # 1/χ²₁: x^(−3/2) e^(−1/2x)/√(2π)
    -1.418939
    """
    return _wishart_family(x, df, scale, "invwishart")


@stat("invwishart.pdf")
def invwishart_pdf(x, df, scale):
    """Density of the inverse Wishart(df, scale).

    >>> import scipy.stats
    >>> bool(np.isclose(invwishart_pdf(0.5, 3.0, 1.0), scipy.stats.invwishart.pdf(0.5, 3.0, 1.0)))
    True
    """
    return E.exp(invwishart_logpdf(x, df, scale))
