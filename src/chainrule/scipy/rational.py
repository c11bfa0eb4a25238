"""``scipy.interpolate``'s rational and polynomial approximations: the barycentric rational
interpolants (FloaterHormannInterpolator, AAA), ``pade``, ``approximate_taylor_polynomial``,
and ``interp2d`` (removed from SciPy: chainrule raises SciPy's own error).

A barycentric rational r(z) = Σⱼ wⱼfⱼ/(z − zⱼ) / Σⱼ wⱼ/(z − zⱼ) is evaluated with chainrule
operations on SciPy's nodes zⱼ and weights wⱼ: differentiable in z and, where the weights do
not depend on the data (Floater–Hormann: they depend on the nodes only), in the values f,
linearly. At a node exactly r is its value there, and its Taylor expansion to second order
about the node (Schneider–Werner) carries the first and second derivatives there.

>>> import numpy as np, chainrule as cr
>>> x = np.linspace(0.0, 1.0, 8)
>>> r = FloaterHormannInterpolator(x, x ** 2)
>>> round(float(r(0.3)), 6), round(float(cr.grad(lambda z: r(z))(0.3)), 4)
(0.09, 0.6)
"""

import math

import numpy as np

from .. import numpy as cnp
from ..core.primitive import Tracer
from ..core.registry import INTERPOLATE, CREATION, add
from ..primitives.declare import export
from ..primitives.util import shape, ndim, dtype
from .splines import plain_knots, data_array
from .scattered import KroghInterpolator

__all__ = ["barycentric_rational"]


def _si():
    import scipy.interpolate
    return scipy.interpolate


def _traced(*values):
    return any(isinstance(v, Tracer) for v in values)


def barycentric_rational(z, nodes, values, weights):
    """r(z) for nodes (n,), values (n, T) and weights (n,) (nodes and weights constants),
    z flattened (m,): (m, T). SciPy's special cases: r(±inf) = Σ wf / Σ w; at a node, its
    value (with its Taylor expansion to second order, for the derivatives)."""
    nodes = np.asarray(nodes)
    w = np.asarray(weights)
    at_node = z[:, None] == nodes[None, :]                       # (m, n), a constant
    at = cnp.any(at_node, axis=1)
    onehot = cnp.where(at_node, 1.0, 0.0)                        # (a mask: batches under vmap)
    inf = cnp.isinf(z)
    away = (np.max(np.abs(nodes.real)) if nodes.size else 0.0) * 2.0 + 1.0
    zs = cnp.where(at | inf, away, z)
    cc = 1.0 / (zs[:, None] - nodes[None, :])
    r = (cc @ (w[:, None] * values)) / (cc @ w)[:, None]
    # the Taylor expansion about node i: r = fᵢ + ε r₁ + ε² r₂, ε = z − zᵢ
    zi = onehot @ nodes
    d = zi[:, None] - nodes[None, :]
    own = at_node | ~at[:, None]                                 # j = i (or no node: unused)
    inv = cnp.where(own, 0.0, 1.0 / cnp.where(own, 1.0, d))
    wi = cnp.where(at, onehot @ w, 1.0)[:, None]
    fi = onehot @ values
    a0, b0 = (inv * w) @ values, (inv @ w)[:, None]
    a1, b1 = -((inv ** 2) * w) @ values, -((inv ** 2) @ w)[:, None]
    r1 = (a0 - fi * b0) / wi
    r2 = (a1 - b1 * fi - b0 * r1) / wi
    eps = cnp.where(at, z - zi, 0.0)[:, None]
    taylor = fi + eps * r1 + eps ** 2 * r2
    out = cnp.where(at[:, None], taylor, r)
    limit = cnp.sum(w[:, None] * values, axis=0) / np.sum(w)
    return cnp.where(inf[:, None], limit[None, :], out)


class _Rational:
    """The evaluation shared by AAA and FloaterHormannInterpolator."""

    def _setup(self, ref, nodes, values, axis):
        self._ref, self._axis = ref, axis
        self._nodes, self._values = nodes, values
        self.weights = ref.weights

    def __call__(self, z):
        """r at the points z (SciPy's shape: z's axes where the axis was)."""
        if not _traced(z, self._values):
            return self._ref(z)
        if not isinstance(z, Tracer):
            z = np.asarray(z)
        v = data_array(self._values)
        flat_v = cnp.reshape(v, (shape(v)[0], -1))
        zv = cnp.ravel(z)
        if dtype(zv).kind not in "fc":
            zv = cnp.astype(zv, np.float64)
        r = barycentric_rational(zv, self._nodes, flat_v, self.weights)
        res = cnp.reshape(r, shape(z) + shape(v)[1:])
        return cnp.moveaxis(res, 0, self._axis) if ndim(z) > 0 else res

    def _plain_only(self, what):
        if _traced(self._values):
            raise NotImplementedError(f"chainrule.scipy.interpolate: {what}() of traced values "
                                      f"(SciPy's eigenvalue problem, not differentiated)")
        return getattr(self._ref, what)()

    def poles(self):
        """SciPy's poles (plain values only)."""
        return self._plain_only("poles")

    def residues(self):
        """SciPy's residues (plain values only)."""
        return self._plain_only("residues")

    def roots(self):
        """SciPy's zeros (plain values only)."""
        return self._plain_only("roots")


@export("FloaterHormannInterpolator", namespace=INTERPOLATE)
class FloaterHormannInterpolator(_Rational):
    """``scipy.interpolate.FloaterHormannInterpolator``: the rational interpolant of blending
    degree d. Its weights depend on the points only, so it is linear in the values
    (differentiated exactly) and smooth in z. Values must be finite when traced (SciPy drops
    non-finite ones: a traced value cannot be looked at).

    >>> import numpy as np, chainrule as cr
    >>> x = np.linspace(0.0, 1.0, 5)
    >>> g = cr.grad(lambda y: FloaterHormannInterpolator(x, y)(0.5))(np.zeros(5))
    >>> np.round(g, 12) + 0.0
    array([0., 0., 1., 0., 0.])
    """

    def __init__(self, points, values, *, d=3, axis=0):
        points = plain_knots(points, "FloaterHormannInterpolator", "points")
        if not isinstance(values, Tracer):
            values = np.asarray(values)
        stand_in = values if not _traced(values) else np.zeros(shape(values), dtype=dtype(values))
        ref = _si().FloaterHormannInterpolator(points, stand_in, d=d, axis=axis)
        axis = axis % ndim(values)
        nodes, order = np.unique(np.asarray(points), return_index=True)
        moved = cnp.moveaxis(values, axis, 0) if _traced(values) else np.moveaxis(values, axis, 0)
        moved = cnp.take(moved, order, axis=0) if _traced(values) else moved[order]
        self._setup(ref, nodes, moved, axis)


@export("AAA", namespace=INTERPOLATE)
class AAA(_Rational):
    """``scipy.interpolate.AAA``: the adaptive Antoulas–Anderson rational approximation —
    SciPy's fit (support points chosen greedily, weights from an SVD), differentiable in the
    evaluation points z (real or complex). The fit's dependence on the data goes through
    that greedy choice and an SVD: a derivative in y raises.

    >>> import numpy as np, chainrule as cr
    >>> z = np.linspace(-1.0, 1.0, 50)
    >>> r = AAA(z, np.exp(z))
    >>> round(float(r(0.3)), 10), round(float(cr.grad(lambda t: r(t))(0.3)), 8)
    (1.3498588076, 1.34985881)
    """

    def __init__(self, x, y, *, rtol=None, max_terms=100, clean_up=True, clean_up_tol=1e-13):
        if _traced(y):
            raise TypeError("chainrule.scipy.interpolate.AAA: the fit chooses its support "
                            "points from y and takes its weights from an SVD, so chainrule "
                            "refuses its derivative in y (differentiate in the evaluation "
                            "points, or use FloaterHormannInterpolator, linear in y)")
        x = plain_knots(x, "AAA")
        ref = _si().AAA(x, y, rtol=rtol, max_terms=max_terms, clean_up=clean_up,
                        clean_up_tol=clean_up_tol)
        self.support_points, self.support_values = ref.support_points, ref.support_values
        self.errors = ref.errors
        self._setup(ref, ref.support_points, ref.support_values, 0)


@export("pade", namespace=INTERPOLATE)
def pade(an, m, n=None):
    """``scipy.interpolate.pade``: the [n/m] Padé approximant of the Taylor coefficients an,
    as two poly1d (p, q); SciPy's linear solve written with chainrule operations, so p and q
    are differentiable in an.

    >>> import numpy as np, chainrule as cr
    >>> e_exp = np.array([1.0, 1.0, 1.0 / 2.0, 1.0 / 6.0, 1.0 / 24.0, 1.0 / 120.0])
    >>> p, q = pade(e_exp, 2)
    >>> round(float(p(1) / q(1)), 10)
    2.7179487179
    >>> g = cr.grad(lambda a: (lambda pq: pq[0](1) / pq[1](1))(pade(a, 2)))(e_exp)
    >>> g.shape
    (6,)
    """
    if not _traced(an):
        return _si().pade(an, m, n)
    an = data_array(an)
    if n is None:
        n = shape(an)[0] - 1 - m
        if n < 0:
            raise ValueError("Order of q <m> must be smaller than len(an)-1.")
    if n < 0:
        raise ValueError("Order of p <n> must be greater than 0.")
    big = m + n
    if big > shape(an)[0] - 1:
        raise ValueError("Order of q+p <m+n> must be smaller than len(an).")
    an = an[:big + 1]
    rows = []
    for row in range(big + 1):
        a = np.eye(big + 1, n + 1)[row]
        if 1 <= row <= m:
            b = cnp.concatenate([-an[:row][::-1], cnp.zeros(m - row, dtype=dtype(an))])
        elif row > m:
            b = -an[row - m:row][::-1]
        else:
            b = cnp.zeros(m, dtype=dtype(an))
        rows.append(cnp.concatenate([cnp.asarray(a, dtype=dtype(an)), b]))
    pq = cnp.linalg.solve(cnp.stack(rows), an)
    p = pq[:n + 1]
    q = cnp.concatenate([cnp.ones(1, dtype=dtype(pq)), pq[n + 1:]])
    return cnp.poly1d(p[::-1]), cnp.poly1d(q[::-1])


@export("approximate_taylor_polynomial", namespace=INTERPOLATE)
def approximate_taylor_polynomial(f, x, degree, scale, order=None):
    """``scipy.interpolate.approximate_taylor_polynomial``: SciPy's construction (f at
    Chebyshev-like points about x, the Krogh polynomial's derivatives at x), differentiable
    in what f returns (e.g. parameters f closes over); x and scale are constants.

    >>> import numpy as np, chainrule as cr, chainrule.numpy as cnp
    >>> p = approximate_taylor_polynomial(np.sin, 0.0, 3, 1.0, order=5)
    >>> np.round(p.coeffs, 2) + 0.0
    array([-0.17,  0.  ,  1.  ,  0.  ])
    >>> g = cr.grad(lambda a: approximate_taylor_polynomial(
    ...     lambda t: a * cnp.sin(t), 0.0, 3, 1.0, order=5).coeffs[2])(2.0)
    >>> round(float(g), 4)                                 # the x coefficient is a·0.99996
    1.0
    """
    x = float(plain_knots(x, "approximate_taylor_polynomial", "x"))
    scale = float(plain_knots(scale, "approximate_taylor_polynomial", "scale"))
    if order is None:
        order = degree
    n = order + 1
    xs = scale * np.cos(np.linspace(0, np.pi, n, endpoint=n % 1)) + x
    values = f(xs)
    if not _traced(values):
        return _si().approximate_taylor_polynomial(lambda _: np.asarray(values), x, degree,
                                                   scale, order)
    d = KroghInterpolator(xs, values).derivatives(x, der=degree + 1)
    fact = np.array([math.factorial(k) for k in range(degree + 1)], dtype=np.float64)
    return cnp.poly1d((d / fact)[::-1])


class interp2d:
    """``scipy.interpolate.interp2d`` was removed from SciPy (1.14): constructing one raises
    SciPy's own NotImplementedError, which names the replacements (RectBivariateSpline,
    bisplrep/bisplev, RegularGridInterpolator — all differentiable here).

    >>> try:
    ...     interp2d([0, 1], [0, 1], [[0, 1], [1, 2]])
    ... except NotImplementedError as e:
    ...     print(str(e).splitlines()[0])
    `interp2d` has been removed in SciPy 1.14.0.
    """

    def __init__(self, *args, **kwargs):
        _si().interp2d(*args, **kwargs)


add(INTERPOLATE, "interp2d", CREATION, interp2d)
