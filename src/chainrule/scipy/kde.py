"""``scipy.stats.gaussian_kde`` written with ``chainrule.numpy``: a Gaussian kernel density
estimate whose ``evaluate``/``pdf``/``logpdf`` are differentiable in the points, in the data
set, in the weights and in a scalar bandwidth (the bandwidth matrix follows the data's
covariance, as SciPy's does).
"""

import numpy as np

from ..core.registry import STATS
from ..primitives.declare import export
from ..primitives.util import shape, ndim
from .. import numpy as cnp
from . import special as csp

__all__ = ["gaussian_kde"]

_LOG_2PI = float(np.log(2.0 * np.pi))


@export(namespace=STATS)
class gaussian_kde:
    """A Gaussian kernel density estimate of ``dataset`` (shape (d, n), or (n,) for d = 1),
    with SciPy's bandwidths ('scott', 'silverman', a number, or a callable of the estimate)
    and optional ``weights``.

    >>> import numpy as np, chainrule as cr
    >>> data = np.array([0.0, 1.0, 3.0])
    >>> round(float(gaussian_kde(data).pdf(1.0)[0]), 6)
    0.214895
    >>> cr.grad(lambda d: gaussian_kde(d).logpdf(1.0)[0])(data).round(4).tolist()
    [0.3562, 0.0289, -0.3219]
    """

    def __init__(self, dataset, bw_method=None, weights=None):
        self.dataset = cnp.atleast_2d(cnp.asarray(dataset))
        self.d, self.n = shape(self.dataset)
        if self.n < 2:
            raise ValueError("gaussian_kde: dataset input should have multiple elements")
        if weights is None:
            self.weights = cnp.full((self.n,), 1.0 / self.n)
        else:
            w = cnp.asarray(weights)
            if ndim(w) != 1 or shape(w)[0] != self.n:
                raise ValueError("gaussian_kde: weights must be one-dimensional, one per point")
            self.weights = w / cnp.sum(w)
        self.neff = 1.0 / cnp.sum(self.weights ** 2)
        if self.d > self.n:
            raise ValueError(f"gaussian_kde: the data have more dimensions ({self.d}) than "
                             f"points ({self.n}); pass them as an array of shape (d, n)")
        self.set_bandwidth(bw_method)

    def scotts_factor(self):
        """n_eff^(−1/(d+4)).

        >>> round(float(gaussian_kde(np.arange(4.0)).scotts_factor()), 6)
        0.757858
        """
        return self.neff ** (-1.0 / (self.d + 4))

    def silverman_factor(self):
        """(n_eff (d + 2)/4)^(−1/(d+4)).

        >>> round(float(gaussian_kde(np.arange(4.0)).silverman_factor()), 6)
        0.802742
        """
        return (self.neff * (self.d + 2.0) / 4.0) ** (-1.0 / (self.d + 4))

    covariance_factor = scotts_factor

    def set_bandwidth(self, bw_method=None):
        """Set the bandwidth: 'scott' (default), 'silverman', a number, or a callable.

        >>> k = gaussian_kde(np.arange(4.0)); k.set_bandwidth(0.5); float(k.factor)
        0.5
        """
        if bw_method is None or isinstance(bw_method, str) and bw_method == "scott":
            self.covariance_factor = self.scotts_factor
        elif isinstance(bw_method, str) and bw_method == "silverman":
            self.covariance_factor = self.silverman_factor
        elif isinstance(bw_method, str):
            raise ValueError("gaussian_kde: bw_method must be 'scott', 'silverman', a scalar "
                             "or a callable")
        elif callable(bw_method):
            self.covariance_factor = lambda: bw_method(self)
        else:   # a number (traced or not): the bandwidth factor itself
            self.covariance_factor = lambda: bw_method
        self.factor = self.covariance_factor()
        data_cov = cnp.atleast_2d(cnp.cov(self.dataset, rowvar=True, bias=False,
                                          aweights=self.weights))
        self.covariance = data_cov * self.factor ** 2
        self.cho_cov = cnp.linalg.cholesky(self.covariance)
        # SciPy's attribute: log det(2π·covariance), the Gaussian's normalisation
        self.log_det = 2.0 * cnp.sum(cnp.log(cnp.diagonal(self.cho_cov))) + self.d * _LOG_2PI

    @property
    def inv_cov(self):
        """The inverse of the kernel covariance (SciPy's attribute)."""
        return cnp.linalg.inv(self.covariance)

    def _points(self, points):
        points = cnp.atleast_2d(cnp.asarray(points))
        d, m = shape(points)
        if d != self.d:
            if d == 1 and m == self.d:
                return cnp.reshape(points, (self.d, 1))
            raise ValueError(f"gaussian_kde: points have dimension {d}, the data {self.d}")
        return points

    def _log_terms(self, points):
        """log(wᵢ · N(x_j; dataᵢ, Σ)) with shape (n, m)."""
        x = self._points(points)
        diff = x[:, None, :] - self.dataset[:, :, None]                # (d, n, m)
        z = cnp.linalg.solve(self.cho_cov, cnp.reshape(diff, (self.d, -1)))
        quad = cnp.reshape(cnp.sum(z * z, axis=0), (self.n, shape(x)[1]))
        return cnp.log(self.weights)[:, None] - 0.5 * quad - 0.5 * self.log_det

    def evaluate(self, points):
        """The estimated density at ``points`` (shape (d, m), or (m,) for d = 1).

        >>> round(float(gaussian_kde(np.array([0.0, 1.0, 3.0])).evaluate([1.0])[0]), 6)
        0.214895
        """
        return cnp.sum(cnp.exp(self._log_terms(points)), axis=0)

    __call__ = pdf = evaluate

    def logpdf(self, x):
        """The log of the estimated density, computed as a logsumexp (no underflow far out).

        >>> float(gaussian_kde(np.array([0.0, 1.0])).logpdf(60.0)[0]) < -1000
        True
        """
        return csp.logsumexp(self._log_terms(x), axis=0)
