"""``scipy.interpolate``'s scattered N-D interpolators: griddata and the classes
LinearNDInterpolator and NearestNDInterpolator (differentiable in the values and the query
points), and CloughTocher2DInterpolator (SciPy's values; differentiable in the values).

The triangulation (or the k-d tree) is SciPy's own, built once from the data points, and is
piecewise constant in them: the points are constants. Which simplex (or neighbour) holds a
query point is an integer answer with a zero derivative; the barycentric weights inside the
simplex are written with chainrule operations, so the linear interpolant is differentiable in
the query points (the gradient is that simplex's plane) and, being linear in the values, in
them.

>>> import numpy as np, chainrule as cr
>>> pts = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
>>> ip = LinearNDInterpolator(pts, np.array([0.0, 1.0, 2.0, 3.0]))
>>> float(ip(0.25, 0.5)), cr.grad(lambda p: ip(p)[0])(np.array([[0.25, 0.5]]))
(1.25, array([[1., 2.]]))
"""

import numpy as np

from .. import numpy as cnp
from ..core.primitive import Tracer
from ..core.registry import INTERPOLATE
from ..primitives.declare import export
from ..primitives.splines import LinearBuild, linear_build, found_index
from ..primitives.util import shape, ndim, dtype
from .grid import gather_rows
from .splines import plain_knots, data_array, as_points
from .kinds import interp1d

__all__ = ["linear_on_simplices", "Finder"]


def _si():
    import scipy.interpolate
    return scipy.interpolate


def _traced(*values):
    return any(isinstance(v, Tracer) for v in values)


def _plain_points(points, who):
    if isinstance(points, tuple):
        return np.stack(np.broadcast_arrays(*[plain_knots(p, who, "points") for p in points]),
                        axis=-1)
    if hasattr(points, "simplices"):          # a scipy.spatial.Delaunay
        return points
    return plain_knots(points, who, "points")


def _stand_in(values):
    return np.zeros(shape(values), dtype=dtype(values))


def _query(args, d, ref):
    """SciPy's query points (..., d) from ``args`` (one array, a tuple, or one array per
    coordinate), rescaled as SciPy's interpolator does."""
    if len(args) == 1:
        xi = args[0]
        if isinstance(xi, tuple):
            xi = cnp.stack(cnp.broadcast_arrays(*xi), axis=-1)
    else:
        xi = cnp.stack(cnp.broadcast_arrays(*args), axis=-1)
    xi = as_points(xi, type(ref).__name__)
    if ndim(xi) == 0 or (d > 1 and shape(xi)[-1] != d):
        raise ValueError(f"number of dimensions in xi does not match x")
    if d == 1 and (ndim(xi) == 0 or shape(xi)[-1] != 1):
        xi = cnp.reshape(xi, shape(xi) + (1,))
    if getattr(ref, "scale", None) is not None:
        xi = (xi - ref.offset) / ref.scale
    return xi


class _Base:
    def __init__(self, points, values, who, make):
        self._who = who
        pts = _plain_points(points, who)
        if not isinstance(values, Tracer):
            values = np.asarray(values)
        self.values = values
        self._pts = pts
        self._ref = make(pts, values if not _traced(values) else _stand_in(values))
        self.points = self._ref.points

    def _traced_call(self, args):
        xi = _query(args, self.points.shape[1], self._ref)
        flat = cnp.reshape(xi, (-1, shape(xi)[-1]))
        values = data_array(self.values)
        return flat, values, shape(xi)[:-1] + shape(values)[1:]


@export("LinearNDInterpolator", namespace=INTERPOLATE)
class LinearNDInterpolator(_Base):
    """``scipy.interpolate.LinearNDInterpolator``: SciPy's values on plain arguments;
    differentiable in the values and the query points (SciPy's Delaunay simplex, its
    barycentric coordinates in chainrule operations); ``fill_value`` outside the hull.

    >>> import numpy as np, chainrule as cr
    >>> pts = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    >>> f = lambda v: LinearNDInterpolator(pts, v)([[0.25, 0.25]])[0]
    >>> cr.grad(f)(np.zeros(3))
    array([0.5 , 0.25, 0.25])
    """

    def __init__(self, points, values, fill_value=np.nan, rescale=False):
        self.fill_value = fill_value
        super().__init__(points, values, "LinearNDInterpolator",
                         lambda p, v: _si().LinearNDInterpolator(p, v, fill_value, rescale))
        self.tri = self._ref.tri

    def __call__(self, *args):
        """The interpolant at the points (``xi`` of shape (..., ndim), or one array per
        coordinate)."""
        if not _traced(self.values, *args) and not any(
                isinstance(a, tuple) and _traced(*a) for a in args):
            return self._ref(*args)
        flat, values, out_shape = self._traced_call(args)
        out = linear_on_simplices(self.tri, values, flat, self.fill_value)
        return cnp.reshape(out, out_shape)


@export("NearestNDInterpolator", namespace=INTERPOLATE)
class NearestNDInterpolator(_Base):
    """``scipy.interpolate.NearestNDInterpolator``: the value of the nearest data point
    (SciPy's k-d tree query, a constant index): differentiable in the values (a selection);
    the derivative in the query points is zero (piecewise constant). ``distance_upper_bound``
    and the other query options as SciPy's (nan where no point is near enough).

    >>> import numpy as np, chainrule as cr
    >>> pts = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    >>> cr.grad(lambda v: NearestNDInterpolator(pts, v)([[0.9, 0.2]])[0])(np.zeros(3))
    array([0., 1., 0.])
    """

    def __init__(self, x, y, rescale=False, tree_options=None):
        super().__init__(x, y, "NearestNDInterpolator",
                         lambda p, v: _si().NearestNDInterpolator(p, v, rescale, tree_options))
        self.tree = self._ref.tree

    def __call__(self, *args, **query_options):
        """The nearest data value at the points."""
        if not _traced(self.values, *args) and not any(
                isinstance(a, tuple) and _traced(*a) for a in args):
            return self._ref(*args, **query_options)
        flat, values, out_shape = self._traced_call(args)
        tree, count = self.tree, self.points.shape[0]

        def nearest(q):
            dist, i = tree.query(q, **query_options)
            return np.where(np.isfinite(dist), i, count).astype(np.intp)

        idx = found_index(flat, finder=Finder(nearest))
        padded = cnp.concatenate([values, cnp.full((1,) + shape(values)[1:], np.nan,
                                                   dtype=dtype(values))])
        return cnp.reshape(gather_rows(padded, idx), out_shape)


@export("CloughTocher2DInterpolator", namespace=INTERPOLATE)
class CloughTocher2DInterpolator(_Base):
    """``scipy.interpolate.CloughTocher2DInterpolator``: SciPy's values; differentiable in
    the values (the interpolant, with its gradient estimate, is SciPy's linear map of them:
    the derivative is SciPy's interpolant of the tangent, the gradient its transpose, built
    once from the identity; SciPy's gradient estimate is an iteration stopped at ``tol``, so
    the map is linear to that tolerance) and in the query points (the Clough–Tocher cubic
    patches in chainrule operations on SciPy's triangulation and gradient estimate).

    >>> import numpy as np, chainrule as cr
    >>> pts = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    >>> v = pts[:, 0] + 2 * pts[:, 1]                  # a plane is reproduced
    >>> round(float(CloughTocher2DInterpolator(pts, v)(0.3, 0.4)), 6)   # to SciPy's tol
    1.1
    """

    def __init__(self, points, values, fill_value=np.nan, tol=1e-6, maxiter=400,
                 rescale=False):
        self._options = dict(fill_value=fill_value, tol=tol, maxiter=maxiter, rescale=rescale)
        super().__init__(points, values, "CloughTocher2DInterpolator",
                         lambda p, v: _si().CloughTocher2DInterpolator(p, v, **self._options))
        self.tri = self._ref.tri

    def __call__(self, *args):
        """The interpolant at the points (differentiable in them and in the values)."""
        points_traced = any(_traced(*a) if isinstance(a, tuple) else _traced(a) for a in args)
        if not _traced(self.values) and not points_traced:
            return self._ref(*args)
        if points_traced:
            return self._traced_points(args)
        si, pts, options = _si(), self._pts, self._options

        def build(v):
            return si.CloughTocher2DInterpolator(pts, v, **options)(*args)

        values = data_array(self.values)
        return linear_build(values, op=LinearBuild(build, build, shape(values)[0],
                                                   "CloughTocher2DInterpolator"), affine=False)

    def _gradients(self, values):
        """SciPy's gradient estimate at the data points, (n, T, 2): linear in the values (a
        build of its own when they are traced)."""
        si, pts, options = _si(), self._pts, self._options
        n = shape(values)[0]
        if not _traced(values):
            return np.asarray(si.CloughTocher2DInterpolator(
                pts, np.reshape(values, (n, -1)), **options).grad)

        def build(v):        # (n, 2, ...): the data's trailing axes last, as builds keep them
            v = np.asarray(v)
            grad = si.CloughTocher2DInterpolator(pts, v.reshape(n, -1), **options).grad
            return np.moveaxis(np.asarray(grad), -1, 1).reshape((n, 2) + v.shape[1:])
        grads = linear_build(values, op=LinearBuild(build, build, n, "Clough-Tocher gradients"),
                             affine=False)
        return cnp.moveaxis(grads, 1, 2)

    def _traced_points(self, args):
        flat, values, out_shape = self._traced_call(args)
        n = shape(values)[0]
        flat_values = cnp.reshape(values, (n, -1))
        grads = self._gradients(flat_values)
        out = _clough_tocher(self.tri, _tri_constants(self.tri), flat_values, grads, flat,
                             self._options["fill_value"])
        return cnp.reshape(out, out_shape)


def _tri_constants(tri):
    """Per triangle: the edge vectors e₁₂, e₂₃, e₃₁ (each (nsimplex, 2)) and the directions
    g₁, g₂, g₃ that make the macro-element C¹ across each edge: the neighbour's centroid in
    this triangle's barycentric coordinates (where there is no neighbour, −1/2: the
    direction from the edge's midpoint to the opposite vertex, SciPy's choice)."""
    p = tri.points[tri.simplices]                       # (ns, 3, 2)
    e12, e23, e31 = p[:, 1] - p[:, 0], p[:, 2] - p[:, 1], p[:, 0] - p[:, 2]
    cent = tri.points[tri.simplices].mean(axis=1)       # (ns, 2)
    g = np.full((len(p), 3), -0.5)
    for k in range(3):
        nb = tri.neighbors[:, k]
        has = nb >= 0
        y = cent[nb[has]]
        t = tri.transform[has]
        c01 = np.einsum("sij,sj->si", t[:, :2, :], y - t[:, 2, :])
        c = np.concatenate([c01, 1.0 - c01.sum(axis=1, keepdims=True)], axis=1)
        # the neighbour's direction written as (V₄ − Vₐ) + g·(V_c − V_a), a, c the other two
        i, j = [(2, 1), (0, 2), (1, 0)][k]
        g[has, k] = (2 * c[:, i] + c[:, j] - 1) / (2 - 3 * c[:, i] - 3 * c[:, j])
    return e12, e23, e31, g


def _clough_tocher(tri, constants, values, grads, flat, fill_value):
    """The Clough–Tocher macro-element (the cubic Bézier patch on each of the three
    sub-triangles around the centroid, C¹ by the g directions) at the points ``flat`` (m, 2),
    from the values (n, T) and gradients (n, T, 2) at the vertices, in chainrule operations."""
    e12, e23, e31, g = constants
    simplex = found_index(flat, finder=Finder(tri.find_simplex))
    found = cnp.maximum(simplex, 0)
    b = [cnp.where(simplex == -1, 1.0 / 3.0, v)                   # outside: fill, no nan
         for v in _barycentric_coordinates(tri.transform, found, flat, 2)]
    col = lambda a: cnp.reshape(a, (shape(a)[0], 1))                 # noqa: E731
    edge = lambda e, i: col(gather_rows(e[:, i], found))             # noqa: E731
    vert = [gather_rows(tri.simplices[:, j], found) for j in range(3)]
    f = [gather_rows(values, v) for v in vert]                        # (m, T)
    df = [gather_rows(grads, v) for v in vert]                        # (m, T, 2)
    dot = lambda d, e: d[..., 0] * edge(e, 0) + d[..., 1] * edge(e, 1)   # noqa: E731
    # the Bézier ordinates next to each vertex along its two edges
    c3000, c0300, c0030 = f
    c2100 = (dot(df[0], e12) + 3 * c3000) / 3
    c2010 = (-dot(df[0], e31) + 3 * c3000) / 3
    c1200 = (-dot(df[1], e12) + 3 * c0300) / 3
    c0210 = (dot(df[1], e23) + 3 * c0300) / 3
    c1020 = (dot(df[2], e31) + 3 * c0030) / 3
    c0120 = (-dot(df[2], e23) + 3 * c0030) / 3
    c2001 = (c2100 + c2010 + c3000) / 3
    c0201 = (c1200 + c0300 + c0210) / 3
    c0021 = (c1020 + c0120 + c0030) / 3
    g1, g2, g3 = (col(gather_rows(g[:, k], found)) for k in range(3))
    c0111 = (g1 * (-c0300 + 3 * c0210 - 3 * c0120 + c0030)
             + (-c0300 + 2 * c0210 - c0120 + c0021 + c0201)) / 2
    c1011 = (g2 * (-c0030 + 3 * c1020 - 3 * c2010 + c3000)
             + (-c0030 + 2 * c1020 - c2010 + c2001 + c0021)) / 2
    c1101 = (g3 * (-c3000 + 3 * c2100 - 3 * c1200 + c0300)
             + (-c3000 + 2 * c2100 - c1200 + c2001 + c0201)) / 2
    c1002 = (c1101 + c1011 + c2001) / 3
    c0102 = (c1101 + c0111 + c0201) / 3
    c0012 = (c1011 + c0111 + c0021) / 3
    c0003 = (c1002 + c0102 + c0012) / 3
    # the sub-triangle holding the point: subtract the least barycentric coordinate
    low = cnp.minimum(cnp.minimum(b[0], b[1]), b[2])
    b1, b2, b3, b4 = (col(v) for v in (b[0] - low, b[1] - low, b[2] - low, 3 * low))
    w = (b1 ** 3 * c3000 + 3 * b1 ** 2 * b2 * c2100 + 3 * b1 ** 2 * b3 * c2010
         + 3 * b1 ** 2 * b4 * c2001 + 3 * b1 * b2 ** 2 * c1200 + 6 * b1 * b2 * b4 * c1101
         + 3 * b1 * b3 ** 2 * c1020 + 6 * b1 * b3 * b4 * c1011 + 3 * b1 * b4 ** 2 * c1002
         + b2 ** 3 * c0300 + 3 * b2 ** 2 * b3 * c0210 + 3 * b2 ** 2 * b4 * c0201
         + 3 * b2 * b3 ** 2 * c0120 + 6 * b2 * b3 * b4 * c0111 + 3 * b2 * b4 ** 2 * c0102
         + b3 ** 3 * c0030 + 3 * b3 ** 2 * b4 * c0021 + 3 * b3 * b4 ** 2 * c0012
         + b4 ** 3 * c0003)
    outside = cnp.reshape(simplex == -1, (shape(flat)[0], 1))
    return cnp.where(outside, fill_value, w)


def _coordinates(points):
    if isinstance(points, tuple):
        return np.stack(np.broadcast_arrays(*points), axis=-1)
    points = np.asarray(points)
    return points.reshape(-1, 1) if points.ndim == 1 else points


class Finder:
    """A SciPy search over points: hashable by identity (jit keys on it)."""

    def __init__(self, fn):
        self.fn = fn

    def __call__(self, xi):
        return self.fn(xi)


@export("griddata", namespace=INTERPOLATE)
def griddata(points, values, xi, method="linear", fill_value=np.nan, rescale=False):
    """``scipy.interpolate.griddata`` ('linear', 'nearest'; 'cubic' in 1-D and 2-D): SciPy's
    values, differentiable in the values and in xi ('linear': the barycentric coordinates of
    SciPy's Delaunay simplex; 'nearest': a selection; 'cubic' in 2-D: CloughTocher2DInterpolator,
    in the values only). The data points are constants.

    >>> import numpy as np, chainrule as cr
    >>> pts = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    >>> float(griddata(pts, np.array([0.0, 1.0, 2.0]), np.array([[0.25, 0.25]]))[0])
    0.75
    >>> cr.grad(lambda p: griddata(pts, np.array([0.0, 1.0, 2.0]), p)[0])(np.array([[0.25, 0.25]]))
    array([[1., 2.]])
    """
    points = _coordinates(plain_knots(points, "griddata", "points") if not isinstance(
        points, tuple) else tuple(plain_knots(p, "griddata", "points") for p in points))
    d = points.shape[-1]
    if not isinstance(values, Tracer):
        values = np.asarray(values)
    if d == 1 and method in ("nearest", "linear", "cubic"):
        if isinstance(xi, tuple):
            if len(xi) != 1:
                raise ValueError("invalid number of dimensions in xi")
            xi, = xi
        order = np.argsort(points.ravel())
        ip = interp1d(points.ravel()[order], cnp.take(values, order, axis=0), kind=method,
                      axis=0, bounds_error=False,
                      fill_value="extrapolate" if method == "nearest" else fill_value)
        return ip(xi)
    if rescale or (method == "cubic" and d == 2):      # SciPy's route: the classes
        if method == "nearest":
            return NearestNDInterpolator(points, values, rescale=rescale)(xi)
        cls = LinearNDInterpolator if method == "linear" else CloughTocher2DInterpolator
        return cls(points, values, fill_value=fill_value, rescale=rescale)(xi)
    if method not in ("linear", "nearest"):
        raise ValueError(f"Unknown interpolation method {method!r} for {d} dimensional data")
    si = _si()
    if isinstance(xi, tuple):
        xi = cnp.stack(cnp.broadcast_arrays(*xi), axis=-1)
    xi = as_points(xi, "griddata")
    xi_shape = shape(xi)
    flat = cnp.reshape(xi, (-1, d))
    values = data_array(values)
    trail = shape(values)[1:]
    if method == "nearest":
        tree = si.NearestNDInterpolator(points, np.arange(len(points)))
        idx = found_index(flat, finder=Finder(lambda q: np.asarray(tree(q)).astype(np.intp)))
        return cnp.reshape(gather_rows(values, idx), xi_shape[:-1] + trail)
    out = linear_on_simplices(_delaunay(points), values, flat, fill_value)
    return cnp.reshape(out, xi_shape[:-1] + trail)


def linear_on_simplices(tri, values, flat, fill_value):
    """The piecewise-linear interpolant on SciPy's Delaunay triangulation ``tri`` at the
    points ``flat`` (m, d): the simplex holding each point (a constant), its barycentric
    coordinates in chainrule operations; ``fill_value`` outside the hull."""
    d = shape(flat)[-1]
    trail = shape(values)[1:]
    simplex = found_index(flat, finder=Finder(tri.find_simplex))
    found = cnp.maximum(simplex, 0)
    out = 0.0
    outside_rows = simplex == -1
    # a point outside (or nan) takes the fill value: its weights are zero, not nan, so that
    # no nan reaches the derivatives of the values
    weights = [cnp.where(outside_rows, 0.0, w)
               for w in _barycentric_coordinates(tri.transform, found, flat, d)]
    nd = (1,) * len(trail)
    for j in range(d + 1):
        vertex = gather_rows(tri.simplices[:, j], found)
        out = out + cnp.reshape(weights[j], shape(weights[j]) + nd) * gather_rows(values, vertex)
    outside = cnp.reshape(simplex == -1, (shape(flat)[0],) + nd)
    return cnp.where(outside, fill_value, out)


def _delaunay(points):
    from scipy.spatial import Delaunay
    return Delaunay(points)


def _barycentric_coordinates(transform, simplex, x, d):
    """qhull's _barycentric_coordinates: c_i = Σ_j T_ij (x_j − r_j), c_d = 1 − Σ c_i."""
    t = [[gather_rows(transform[:, i, j], simplex) for j in range(d)] for i in range(d + 1)]
    c_last = 1.0
    cs = []
    for i in range(d):
        c = 0.0
        for j in range(d):
            c = c + t[i][j] * (x[:, j] - t[d][j])
        cs.append(c)
        c_last = c_last - c
    return cs + [c_last]
