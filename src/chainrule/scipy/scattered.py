"""``scipy.interpolate``'s polynomial and scattered-data interpolators: ``lagrange``,
``BarycentricInterpolator`` (``barycentric_interpolate``), ``KroghInterpolator`` and
``RBFInterpolator`` (griddata is with the N-D classes, scattered_nd.py) — SciPy's values, differentiable in the data (all are linear in it) and,
but for RBFInterpolator, in the evaluation points (docs/interpolate.md).

>>> import numpy as np, chainrule as cr
>>> cr.grad(lambda w: lagrange(np.array([0.0, 1.0, 2.0]), w)(0.5))(np.array([0.0, 1.0, 4.0]))
array([ 0.375,  0.75 , -0.125])
"""

import math

import numpy as np

from .. import numpy as cnp
from ..core.primitive import Tracer, concrete_value
from ..interpreters.batching import BatchedValueError
from ..core.registry import INTERPOLATE
from ..primitives.declare import export
from ..transforms.differentiate import stop_gradient
from ..primitives.splines import LinearBuild, linear_build, found_index
from ..primitives.util import shape, ndim, dtype
from .grid import gather_rows
from .splines import plain_knots, data_array, as_points

__all__ = []


def _si():
    import scipy.interpolate
    return scipy.interpolate


@export("lagrange", namespace=INTERPOLATE)
def lagrange(x, w):
    """``scipy.interpolate.lagrange``: the interpolating polynomial (a ``poly1d``), in
    SciPy's arithmetic, differentiable in the values w and the nodes x. Where the leading
    coefficient is exactly zero (data of a lower degree) poly1d drops it, as NumPy does, and
    its derivative with it: differentiating there raises.

    >>> import numpy as np
    >>> lagrange(np.array([0.0, 1.0, 2.0]), np.array([0.0, 1.0, 4.0])).coeffs
    array([1., 0., 0.])
    """
    # SciPy's poly1d arithmetic on coefficient arrays (poly1d would drop leading zeros,
    # and a zero w_j would lose its derivative): division of the factor by fac, polymul as
    # convolve, polyadd zero-padded on the left
    m = len(x)
    p = cnp.zeros(1)
    for j in range(m):
        pt = cnp.reshape(w[j], (1,)) + 0.0
        for k in range(m):
            if k == j:
                continue
            fac = x[j] - x[k]
            pt = cnp.convolve(pt, cnp.stack([1.0 / fac, -x[k] / fac]))
        pad = shape(pt)[0] - shape(p)[0]
        p = (cnp.concatenate([cnp.zeros(pad), p]) if pad > 0 else p) + pt
    if isinstance(p, Tracer) and shape(p)[0] > 1 and _leading_zero(p):
        raise NotImplementedError(
            "chainrule.scipy.interpolate.lagrange: the polynomial's leading coefficient is "
            "exactly zero here, and poly1d drops it (NumPy's rule) with its derivative; "
            "differentiate at data where the degree is full, or use BarycentricInterpolator")
    return cnp.poly1d(p)


def _leading_zero(p):
    try:
        return float(np.real(concrete_value(p[0], "bool"))) == 0.0
    except BatchedValueError:   # under vmap the examples differ: poly1d keeps them all
        return False


def _differentiation_matrix(xi, wi):
    """SciPy's c[i, j] = l_j'(x_i) (Berrut and Trefethen, eq. 9.4-9.5), in its arithmetic."""
    c = xi[:, np.newaxis] - xi
    np.fill_diagonal(c, 1)
    c = wi / (c * wi[..., np.newaxis])
    np.fill_diagonal(c, 0)
    np.fill_diagonal(c, -c.sum(axis=1))
    return c


def _barycentric(xi, wi, x, y):
    """p(x) = Σ w_j y_j/(x − x_j) / Σ w_j/(x − x_j), SciPy's arithmetic. At a node x_k SciPy
    returns y_k; there the value is written as p's Taylor polynomial around x_k,
    y_k + Σ_m (x − x_k)^m/m!·(Dᵐy)_k (D the differentiation matrix), equal to y_k to the bit
    at x = x_k and carrying every derivative of the polynomial, exactly."""
    c = x[:, None] - xi
    z = c == 0
    gap = cnp.abs(c)
    node = cnp.argmin(gap, axis=-1)
    # near a node (within 1e-2 of the nodes' spacing) the formula's derivatives cancel
    # catastrophically (terms in 1/(x − x_k)²: p'' was 25 off at 1e-9 from a node): there
    # the derivatives are the Taylor polynomial's and the value stays the formula's
    spacing = float(np.min(np.diff(np.sort(xi)))) if len(xi) > 1 else np.inf
    near = cnp.min(gap, axis=-1) <= 1e-2 * spacing
    c = wi / cnp.where(z, 1.0, c)
    p = cnp.dot(c, y) / cnp.sum(c, axis=-1)[:, None]
    s = (x - cnp.take_along_axis(xi, node, axis=0))[:, None]
    taylor, dy, term = gather_rows(y, node), y, 1.0
    d = _differentiation_matrix(xi, wi)
    for m in range(1, len(xi)):
        dy, term = d @ dy, term * s / m
        taylor = taylor + term * gather_rows(dy, node)
    close = stop_gradient(p) + (taylor - stop_gradient(taylor))
    return cnp.where(cnp.any(z, axis=-1)[:, None], taylor,
                     cnp.where(near[:, None], close, p))


class _PolynomialShape:
    """SciPy's _Interpolator1D output shape: the points' axes where the data axis was."""

    def _finish(self, out, x_shape):
        out = cnp.reshape(out, x_shape + self._trail)
        if self.axis == 0 or not x_shape:
            return out
        nx, ny = len(x_shape), len(self._trail)
        order = list(range(nx, nx + self.axis)) + list(range(nx)) + list(range(nx + self.axis, nx + ny))
        return cnp.transpose(out, order)


@export("BarycentricInterpolator", namespace=INTERPOLATE)
class BarycentricInterpolator(_PolynomialShape):
    """``scipy.interpolate.BarycentricInterpolator``: SciPy's values, differentiable in yi
    and in the points (also at the nodes); ``derivative(x, der)`` as SciPy's. The nodes xi
    (and weights) are constants.

    >>> import numpy as np, chainrule as cr
    >>> p = BarycentricInterpolator(np.array([0.0, 1.0, 2.0]), np.array([0.0, 1.0, 4.0]))
    >>> round(float(p(1.5)), 12), float(cr.grad(lambda t: p(t))(1.0))
    (2.25, 2.0)
    """

    def __init__(self, xi, yi=None, axis=0, *, wi=None, rng=None):
        xi = plain_knots(xi, "BarycentricInterpolator", "xi")
        if yi is None:
            raise NotImplementedError("BarycentricInterpolator: give yi at construction")
        if not isinstance(yi, Tracer):
            yi = np.asarray(yi)
        ref = _si().BarycentricInterpolator(xi, np.zeros(shape(yi), dtype=dtype(yi)), axis,
                                            wi=wi, rng=rng)
        self.xi, self.wi, self.axis = ref.xi.copy(), np.asarray(ref.wi, dtype=np.float64), axis % ndim(yi)
        y = cnp.moveaxis(data_array(yi), self.axis, 0)
        self._trail = shape(y)[1:]
        self._y = cnp.reshape(y, (shape(y)[0], -1))

    def __call__(self, x):
        """The interpolating polynomial at x."""
        x = as_points(x, "BarycentricInterpolator")
        return self._finish(_barycentric(self.xi, self.wi, cnp.reshape(x, (-1,)), self._y),
                            shape(x))

    def derivative(self, x, der=1):
        """The ``der``-th derivative at x (SciPy's differentiation matrix, applied der times)."""
        x = as_points(x, "BarycentricInterpolator")
        y, d = self._y, _differentiation_matrix(self.xi, self.wi)
        if der >= len(self.xi):
            return self._finish(cnp.zeros((int(np.prod(shape(x))),) + shape(y)[1:]), shape(x))
        for _ in range(der):
            y = d @ y
        return self._finish(_barycentric(self.xi, self.wi, cnp.reshape(x, (-1,)), y), shape(x))


@export("barycentric_interpolate", namespace=INTERPOLATE)
def barycentric_interpolate(xi, yi, x, axis=0, *, der=0, rng=None):
    """``scipy.interpolate.barycentric_interpolate``.

    >>> import numpy as np
    >>> round(float(barycentric_interpolate(np.array([0.0, 1.0, 2.0]), np.array([0.0, 1.0, 4.0]),
    ...                                     1.5)), 12)
    2.25
    """
    p = BarycentricInterpolator(xi, yi, axis=axis, rng=rng)
    if np.ndim(der) == 0:
        return p(x) if der == 0 else p.derivative(x, der)
    return cnp.stack([p(x) if d == 0 else p.derivative(x, d) for d in der])


@export("RBFInterpolator", namespace=INTERPOLATE)
class RBFInterpolator:
    """``scipy.interpolate.RBFInterpolator``: SciPy's values, differentiable in the data d
    (the interpolant is linear in d: its derivative is the interpolant of the tangent). The
    data points y and the evaluation points are constants: a traced evaluation point raises.

    >>> import numpy as np, chainrule as cr
    >>> y = np.array([[0.0], [1.0], [2.0], [3.0]])
    >>> g = cr.grad(lambda d: RBFInterpolator(y, d)(np.array([[1.0]]))[0])(np.zeros(4))
    >>> np.round(g, 12) + 0.0
    array([0., 1., 0., 0.])
    """

    def __init__(self, y, d, neighbors=None, smoothing=0.0, kernel="thin_plate_spline",
                 epsilon=None, degree=None):
        self.y = plain_knots(y, "RBFInterpolator", "y",
                             why=("the data points", "the interpolant is differentiable in "
                                  "its data d only"))
        self.d = d if isinstance(d, Tracer) else np.asarray(d)
        self._options = dict(neighbors=neighbors, smoothing=smoothing, kernel=kernel,
                             epsilon=epsilon, degree=degree)
        _si().RBFInterpolator(self.y, np.zeros(shape(self.d), dtype=dtype(self.d)),
                              **self._options)   # SciPy's checks

    def __call__(self, x):
        """The interpolant at the points x (shape (m, ndim))."""
        x = plain_knots(x, "RBFInterpolator.__call__", "x",
                        why=("the evaluation points", "the interpolant is differentiable "
                             "in its data d only"))
        si, y, options = _si(), self.y, self._options

        def build(v):
            return si.RBFInterpolator(y, v, **options)(x)

        if not isinstance(self.d, Tracer):
            return build(self.d)
        d = data_array(self.d)
        return linear_build(d, op=LinearBuild(build, build, shape(d)[0], "RBFInterpolator"),
                            affine=True)


def _krogh_coefficients(xi, y):
    """KroghInterpolator's divided differences (repeated nodes: derivatives), in SciPy's
    arithmetic, on rows of y (n, r)."""
    n = shape(y)[0]
    zero = cnp.zeros_like(y[0])
    c = [y[0]] + [zero] * n
    vk = [zero] * n
    for k in range(1, n):
        s = 0
        while s <= k and xi[k - s] == xi[k]:
            s += 1
        s -= 1
        vk[0] = y[k] / float(math.factorial(s))
        for i in range(k - s):
            if xi[i] == xi[k]:
                raise ValueError("Elements of `xi` can't be equal.")
            if s == 0:
                vk[i + 1] = (c[i] - vk[i]) / (xi[i] - xi[k])
            else:
                vk[i + 1] = (vk[i + 1] - vk[i]) / (xi[i] - xi[k])
        c[k] = vk[k - s]
    return c


@export("KroghInterpolator", namespace=INTERPOLATE)
class KroghInterpolator(_PolynomialShape):
    """``scipy.interpolate.KroghInterpolator``: the interpolating polynomial (repeated nodes
    give derivatives) in Newton form, SciPy's arithmetic; differentiable in yi and in the
    points, ``derivative(x, der)`` and ``derivatives(x, der)`` as SciPy's. xi are constants.

    >>> import numpy as np, chainrule as cr
    >>> k = KroghInterpolator(np.array([0.0, 0.0, 1.0]), np.array([0.0, 1.0, 2.0]))
    >>> float(k(0.5)), float(cr.grad(lambda t: k(t))(0.0))
    (0.75, 1.0)
    """

    def __init__(self, xi, yi, axis=0):
        xi = plain_knots(xi, "KroghInterpolator", "xi")
        if not isinstance(yi, Tracer):
            yi = np.asarray(yi)
        _si().KroghInterpolator(xi, np.zeros(shape(yi), dtype=dtype(yi)), axis)  # SciPy's checks
        self.xi, self.axis = np.asarray(xi), axis % ndim(yi)
        y = cnp.moveaxis(data_array(yi), self.axis, 0)
        self._trail = shape(y)[1:]
        self._y = cnp.reshape(y, (shape(y)[0], -1))
        self.c = _krogh_coefficients(self.xi, self._y)

    def _newton(self, x):
        p = cnp.zeros((shape(x)[0],) + shape(self._y)[1:], dtype=dtype(self._y)) + self.c[0]
        pi = 1
        for k in range(1, shape(self._y)[0]):
            pi = (x - self.xi[k - 1]) * pi
            p = p + pi[:, None] * self.c[k]
        return p

    def __call__(self, x):
        """The polynomial at x."""
        pts = as_points(x, "KroghInterpolator")
        return self._finish(self._newton(cnp.reshape(pts, (-1,))), shape(pts))

    def _derivatives(self, x, der):
        """SciPy's _evaluate_derivatives: the Taylor rows at x, der of them."""
        n = shape(self._y)[0]
        w, pi = [cnp.zeros_like(x)] * n, [cnp.ones_like(x)] + [cnp.zeros_like(x)] * (n - 1)
        p = cnp.zeros((shape(x)[0],) + shape(self._y)[1:], dtype=dtype(self._y)) + self.c[0]
        for k in range(1, n):
            w[k - 1] = x - self.xi[k - 1]
            pi[k] = w[k - 1] * pi[k - 1]
            p = p + pi[k][:, None] * self.c[k]
        zero = cnp.zeros_like(p)
        cn = [zero + self.c[k] for k in range(n + 1)] + [zero] * max(der - n - 1, 0)
        cn[0] = p
        for k in range(1, n):
            for i in range(1, n - k + 1):
                pi[i] = w[k + i - 1] * pi[i - 1] + pi[i]
                cn[k] = cn[k] + pi[i][:, None] * cn[k + i]
            cn[k] = cn[k] * float(math.factorial(k))
        cn[n] = zero
        return cn[:der]

    def derivatives(self, x, der=None):
        """The value and the derivatives at x, orders 0 … der−1 (SciPy's shape)."""
        pts = as_points(x, "KroghInterpolator")
        rows = self._derivatives(cnp.reshape(pts, (-1,)), shape(self._y)[0] if der is None else der)
        return cnp.stack([self._finish(r, shape(pts)) for r in rows])

    def derivative(self, x, der=1):
        """The ``der``-th derivative at x."""
        pts = as_points(x, "KroghInterpolator")
        return self._finish(self._derivatives(cnp.reshape(pts, (-1,)), der + 1)[der], shape(pts))


@export("krogh_interpolate", namespace=INTERPOLATE)
def krogh_interpolate(xi, yi, x, der=0, axis=0):
    """``scipy.interpolate.krogh_interpolate``.

    >>> import numpy as np
    >>> float(krogh_interpolate(np.array([0.0, 1.0, 2.0]), np.array([0.0, 1.0, 4.0]), 1.5))
    2.25
    """
    p = KroghInterpolator(xi, yi, axis=axis)
    if der == 0:
        return p(x)
    if np.ndim(der) == 0:
        return p.derivative(x, der=der)
    return p.derivatives(x, der=np.amax(der) + 1)[der]
