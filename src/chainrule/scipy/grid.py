"""``scipy.interpolate.RegularGridInterpolator`` and ``interpn`` (methods 'linear' and
'nearest'), written with chainrule operations in SciPy's order of arithmetic: linear in the
values (the gradient scatters the corner weights), piecewise multilinear in the points (the
derivative on a cell edge is the right cell's, SciPy's cell choice). The grid is constant.

>>> import numpy as np, chainrule as cr
>>> g = (np.array([0.0, 1.0]), np.array([0.0, 2.0]))
>>> v = np.array([[0.0, 2.0], [1.0, 3.0]])
>>> float(interpn(g, v, np.array([0.5, 1.0]))[0])
1.5
>>> cr.grad(lambda p: interpn(g, v, p)[0])(np.array([0.5, 1.0]))
array([1., 1.])
"""

import itertools

import numpy as np

from .. import numpy as cnp
from ..core.primitive import Tracer
from ..core.registry import INTERPOLATE
from ..primitives.declare import export
from ..primitives.splines import grid_bounds_checked
from ..primitives.util import shape, ndim, dtype
from .splines import plain_knots, as_points

__all__ = ["gather_rows"]

_OTHER_METHODS = ("slinear", "cubic", "quintic", "pchip")


def _si():
    import scipy.interpolate
    return scipy.interpolate


def _cells(grid, x):
    """SciPy's find_indices for one axis: the cell (−1 for nan; size-one axes: cell 0 and
    distance 0) and the normalised distance in it."""
    n = len(grid)
    if n == 1:
        return cnp.zeros(shape(x), dtype=int), cnp.zeros_like(x)
    i = cnp.clip(cnp.searchsorted(grid, x, side="right") - 1, 0, n - 2)
    lo, hi = gather_rows(grid, i), gather_rows(grid, i + 1)
    return i, (x - lo) / (hi - lo)


def gather_rows(flat, index):
    """flat[index] along axis 0 (flat: (cells, ...)), index possibly batched under vmap."""
    trail = shape(flat)[1:]
    moved = cnp.moveaxis(flat, 0, -1) if trail else flat
    wide = cnp.broadcast_to(cnp.reshape(index, (1,) * len(trail) + shape(index)),
                            trail + shape(index))
    out = cnp.take_along_axis(moved, wide, axis=len(trail))
    return cnp.moveaxis(out, -1, 0) if trail else out


@export("RegularGridInterpolator", namespace=INTERPOLATE)
class RegularGridInterpolator:
    """``scipy.interpolate.RegularGridInterpolator`` with method 'linear' or 'nearest':
    differentiable in the values (linear) and in the points xi; the grid is constant. The
    spline methods give SciPy's values when nothing is traced, else NotImplementedError.

    >>> import numpy as np, chainrule as cr
    >>> g = (np.arange(3.0), np.arange(2.0))
    >>> f = RegularGridInterpolator(g, np.arange(6.0).reshape(3, 2))
    >>> float(f(np.array([1.5, 0.5]))[0])
    3.5
    >>> cr.grad(lambda v: RegularGridInterpolator(g, v)(np.array([1.5, 0.5]))[0])(np.zeros((3, 2)))
    array([[0.  , 0.  ],
           [0.25, 0.25],
           [0.25, 0.25]])
    """

    def __init__(self, points, values, method="linear", bounds_error=True,
                 fill_value=np.nan, *, solver=None, solver_args=None):
        plain = not isinstance(values, Tracer)
        if not (plain and method in _OTHER_METHODS):   # (plain values: SciPy's spline)
            self._check_method(method)
        grid = tuple(plain_knots(p, "RegularGridInterpolator", "points") for p in points)
        if plain:
            values = np.asarray(values)
        stand_in = np.zeros(shape(values), dtype=dtype(values))
        ref = _si().RegularGridInterpolator(grid, stand_in, method, bounds_error, fill_value,
                                            solver=solver, solver_args=solver_args)
        # SciPy's own interpolant (made when first needed), for a spline method on plain
        # values at plain points
        self._plain, self._plain_args = None, None
        if plain:
            self._plain_args = ((grid, values, method, bounds_error, fill_value),
                                dict(solver=solver, solver_args=solver_args))
        if dtype(values).kind not in "fc":
            values = cnp.astype(values, np.float64)
        flip = getattr(ref, "_descending_dimensions", ())
        if flip:
            values = cnp.flip(values, axis=flip)
        self.grid = tuple(np.asarray(g) for g in ref.grid)
        self.values, self.method = values, method
        self.bounds_error, self.fill_value = bounds_error, fill_value

    @staticmethod
    def _check_method(method):
        if method in _OTHER_METHODS:
            raise NotImplementedError(
                f"chainrule.scipy.interpolate.RegularGridInterpolator: method={method!r} is "
                f"not differentiable here yet (it gives SciPy's values when nothing is "
                f"traced); use 'linear' or 'nearest' (or a tensor product of "
                f"make_interp_spline along each axis)")
        if method not in ("linear", "nearest"):
            raise ValueError(f"Method '{method}' is not defined")

    def __call__(self, xi, method=None, *, nu=None):
        """The interpolant at xi (shape (..., ndim), or a tuple of coordinate arrays)."""
        method = self.method if method is None else method
        if method in _OTHER_METHODS and self._plain_args is not None and not _traced(xi):
            if self._plain is None:
                args, kwargs = self._plain_args
                self._plain = _si().RegularGridInterpolator(*args, **kwargs)
            return self._plain(xi, method=method, nu=nu)
        self._check_method(method)
        if nu is not None:
            raise ValueError(f"Can only compute derivatives for methods "
                             f"('slinear', 'cubic', 'quintic'), got method = {method!r}.")
        d = len(self.grid)
        xi = _coordinates(xi, d)
        if shape(xi)[-1] != d:
            raise ValueError(f"The requested sample points xi have dimension "
                             f"{shape(xi)[-1]} but this RegularGridInterpolator has "
                             f"dimension {d}")
        xi_shape = shape(xi)
        xi = cnp.reshape(as_points(xi, "RegularGridInterpolator"), (-1, d))
        if self.bounds_error:
            xi = grid_bounds_checked(xi, tuple(g[0] for g in self.grid),
                                     tuple(g[-1] for g in self.grid))
        cols = [xi[:, i] for i in range(d)]
        cells = [_cells(g, c) for g, c in zip(self.grid, cols)]
        gshape = tuple(len(g) for g in self.grid)
        trail = shape(self.values)[d:]
        flat = cnp.reshape(self.values, (int(np.prod(gshape)),) + trail)
        if method == "nearest":
            idx = [cnp.where(y <= .5, i, i + 1) for i, y in cells]
            out = gather_rows(flat, _linear_index(idx, gshape))
        elif d == 2 and not trail and dtype(flat) in (np.float64, np.complex128):
            out = _bilinear(flat, cells, gshape)
        else:
            out = _multilinear(flat, cells, gshape, trail)
        out = self._masked(out, cols, trail)
        return cnp.reshape(out, xi_shape[:-1] + trail)

    def _masked(self, out, cols, trail):
        nd = (1,) * len(trail)
        if not self.bounds_error and self.fill_value is not None:
            outside = cnp.zeros(shape(cols[0]), dtype=bool)
            for g, c in zip(self.grid, cols):
                outside = outside | (c < g[0]) | (c > g[-1])
            out = cnp.where(cnp.reshape(outside, shape(outside) + nd), self.fill_value, out)
        nans = cnp.zeros(shape(cols[0]), dtype=bool)
        for c in cols:
            nans = nans | cnp.isnan(c)
        return cnp.where(cnp.reshape(nans, shape(nans) + nd), np.nan, out)


def _traced(xi):
    return isinstance(xi, Tracer) or (isinstance(xi, (tuple, list))
                                      and any(_traced(x) for x in xi))


def _coordinates(xi, d):
    """SciPy's _ndim_coords_from_arrays: a tuple of coordinate arrays stacked last."""
    if isinstance(xi, tuple) and len(xi) == 1:
        xi = xi[0]
    if isinstance(xi, tuple):
        return cnp.stack(cnp.broadcast_arrays(*xi), axis=-1)
    if not isinstance(xi, Tracer):
        xi = np.asarray(xi)
    return cnp.reshape(xi, (-1, d)) if ndim(xi) == 1 else xi


def _linear_index(idx, gshape):
    lin = 0
    for i, n in zip(idx, gshape):
        lin = lin * n + (i if n > 1 else 0 * i)
    return lin


def _upper(i, n):
    return i + 1 if n > 1 else i


def _bilinear(flat, cells, gshape):
    """SciPy's evaluate_linear_2d, in its order of arithmetic."""
    (i0, y0), (i1, y1) = cells
    n0, n1 = gshape
    v = lambda a, b: gather_rows(flat, _linear_index([a, b], gshape))
    if n1 == 1:
        return v(i0, i1) * (1 - y0) + v(_upper(i0, n0), i1) * y0
    if n0 == 1:
        return v(i0, i1) * (1 - y1) + v(i0, _upper(i1, n1)) * y1
    j0, j1 = i0 + 1, i1 + 1
    out = 0.0 + v(i0, i1) * (1 - y0) * (1 - y1)
    out = out + v(i0, j1) * (1 - y0) * y1
    out = out + v(j0, i1) * y0 * (1 - y1)
    return out + v(j0, j1) * y0 * y1


def _multilinear(flat, cells, gshape, trail):
    """SciPy's _evaluate_linear: the hypercube's corners in itertools.product's order."""
    nd = (1,) * len(trail)
    lower = [(i, 1 - y) for i, y in cells]
    upper = [(_upper(i, n), y) for (i, y), n in zip(cells, gshape)]
    value = np.array([0.])
    for corner in itertools.product(*zip(lower, upper)):
        idx, weights = zip(*corner)
        weight = np.array([1.])
        for w in weights:
            weight = weight * w
        value = value + gather_rows(flat, _linear_index(idx, gshape)) * cnp.reshape(
            weight, shape(weight) + nd)
    return value


@export("interpn", namespace=INTERPOLATE)
def interpn(points, values, xi, method="linear", bounds_error=True, fill_value=np.nan):
    """``scipy.interpolate.interpn`` with method 'linear' or 'nearest', differentiable in
    the values and in xi.

    >>> import numpy as np
    >>> interpn((np.arange(3.0),), np.array([0.0, 10.0, 20.0]), np.array([[0.25]]))
    array([2.5])
    """
    return RegularGridInterpolator(points, values, method, bounds_error, fill_value)(xi)
