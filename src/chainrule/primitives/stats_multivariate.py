"""``scipy.stats``' multivariate distributions, dirichlet and multivariate_normal, as
composites (see :mod:`chainrule.primitives.stats`).

>>> import chainrule as cr
>>> cr.grad(lambda m: multivariate_normal_logpdf(np.ones(2), m, np.eye(2)))(np.zeros(2))
array([1., 1.])
"""

import numpy as np

from .basic import reduce_sum
from .util import shape, ndim
from . import elementwise as E
from . import linalg as L
from . import composites as C
from .special import gammaln
from .special_functions import xlogy
from .stats import stat

__all__ = []

_LOG_2PI = float(np.log(2.0 * np.pi))


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
def _mvn_args(x, mean, cov):
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
        raise ValueError(f"multivariate_normal: x {shape(x)}, mean {shape(mean)} and cov "
                         f"{shape(cov)} disagree on the dimension (the last axis)")
    return x, mean, cov, dim


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
    diff = x - mean
    batch = np.broadcast_shapes(shape(diff)[:-1], shape(cov)[:-2])
    chol = L.cholesky(C.broadcast_to(cov, batch + (dim, dim)))
    z = L.solve(chol, C.expand_dims(C.broadcast_to(diff, batch + (dim,)), -1))
    maha = reduce_sum(z * z, axis=(-2, -1))
    nd = len(batch) + 2
    logdet = reduce_sum(E.log(L.diagonal(chol, axis1=nd - 2, axis2=nd - 1)), axis=-1)
    return C.squeeze(-0.5 * (dim * _LOG_2PI + maha) - logdet)


@stat("multivariate_normal.pdf")
def multivariate_normal_pdf(x, mean=None, cov=1, allow_singular=False):
    """Density of N(mean, cov).

    >>> round(float(multivariate_normal_pdf(0.0)), 6)
    0.398942
    """
    return E.exp(multivariate_normal_logpdf(x, mean, cov, allow_singular))
