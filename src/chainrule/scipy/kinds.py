"""``scipy.interpolate.interp1d`` in all its kinds: 'linear' (differentiable in y, x_new
and the knots x; ``chainrule.primitives.interpolate``), the spline kinds 'zero', 'slinear',
'quadratic', 'cubic' and an integer order (SciPy's make_interp_spline: linear in y, smooth
in x_new between knots), and the step kinds 'nearest', 'nearest-up', 'previous', 'next'
(y's selected entry: derivative one in that entry, zero in x_new). Outside 'linear' the
knots x are constants.

>>> import numpy as np, chainrule as cr
>>> x = np.arange(4.0)
>>> float(interp1d(x, x ** 3, kind="cubic")(1.5))
3.375
>>> cr.grad(lambda y: interp1d(x, y, kind="previous")(1.5))(np.zeros(4))
array([0., 1., 0., 0.])
"""

import numpy as np

from .. import numpy as cnp
from ..core.primitive import Tracer
from ..core.registry import INTERPOLATE
from ..primitives.declare import export
from ..primitives.interpolate import interp1d as linear_interp1d, bounds_checked
from ..primitives.util import shape, ndim, dtype
from .bsplines import make_interp_spline
from .grid import gather_rows
from .splines import plain_knots, as_points, axis_moved

__all__ = []

_ORDERS = {"zero": 0, "slinear": 1, "quadratic": 2, "cubic": 3}
_STEPS = ("nearest", "nearest-up", "previous", "next")


def _si():
    import scipy.interpolate
    return scipy.interpolate


@export("interp1d", namespace=INTERPOLATE)
class interp1d(linear_interp1d):
    """``scipy.interpolate.interp1d``: SciPy's values for every kind; differentiable in y
    and x_new (and, for kind='linear', in the knots x).

    >>> import numpy as np, chainrule as cr
    >>> f = interp1d(np.array([0.0, 1.0, 2.0]), np.array([0.0, 1.0, 4.0]), kind="quadratic")
    >>> float(f(1.5)), float(cr.grad(lambda t: f(t))(1.5))
    (2.25, 3.0)
    """

    def __init__(self, x, y, kind="linear", axis=-1, copy=True, bounds_error=None,
                 fill_value=np.nan, assume_sorted=False):
        self.kind = kind
        if kind == "linear":
            super().__init__(x, y, kind, axis, copy, bounds_error, fill_value, assume_sorted)
            return
        order = _ORDERS.get(kind, kind if isinstance(kind, int) else None)
        if order is None and kind not in _STEPS:
            raise NotImplementedError(f"{kind} is unsupported: Use fitpack routines for "
                                      f"other types.")
        x = plain_knots(x, "interp1d")
        if not isinstance(y, Tracer):
            y = np.asarray(y)
        # SciPy's checks, sorting and fill handling, on a stand-in of y
        ref = _si().interp1d(x, np.zeros(shape(y), dtype=dtype(y)), kind, axis, True,
                             bounds_error, fill_value, assume_sorted)
        if dtype(y).kind not in "fc":
            y = cnp.astype(y, np.float64)
        self.axis = ref.axis
        if not assume_sorted:
            y = cnp.take(y, np.argsort(x, kind="mergesort"), axis=self.axis)
        self.x = ref.x.copy()
        self._y_first = cnp.moveaxis(y, self.axis, 0)
        self.bounds_error, self.extrapolate = ref.bounds_error, _extrapolates(fill_value)
        self._fills(kind, fill_value)
        if order is not None:
            data = self._y_first
            if not isinstance(data, Tracer) and np.isnan(data).any():
                raise NotImplementedError("interp1d: a spline kind with nan in y (SciPy "
                                          "returns nan everywhere); drop the nan points")
            self._spline = make_interp_spline(self.x, data, k=order, check_finite=False)

    def _fills(self, kind, fill_value):
        y = self._y_first
        if kind == "previous" and self.extrapolate:
            self.fill_below, self.fill_above, self.extrapolate = np.nan, y[-1], False
        elif kind == "next" and self.extrapolate:
            self.fill_below, self.fill_above, self.extrapolate = y[0], np.nan, False
        elif not self.extrapolate:
            pair = isinstance(fill_value, tuple) and len(fill_value) == 2
            below, above = fill_value if pair else (fill_value, fill_value)
            self.fill_below, self.fill_above = np.asarray(below), np.asarray(above)

    @property
    def y(self):
        """The values, with the interpolation axis where it was given."""
        if self.kind == "linear":
            return super().y
        return cnp.moveaxis(self._y_first, 0, self.axis)

    def __call__(self, x_new):
        """The interpolant at ``x_new``: shape y.shape[:axis] + x_new.shape +
        y.shape[axis+1:]."""
        if self.kind == "linear":
            return super().__call__(x_new)
        x_new = as_points(x_new, "interp1d")
        flat = cnp.reshape(x_new, (-1,))
        if self.bounds_error:
            flat = bounds_checked(flat, self.x)
        trail = shape(self._y_first)[1:]
        if self.kind in _STEPS:
            out = gather_rows(self._y_first, self._step_index(flat))
        else:
            out = self._spline(flat)
        if not self.extrapolate:
            nd = (1,) * len(trail)
            below = cnp.reshape(flat < self.x[0], shape(flat) + nd)
            above = cnp.reshape(flat > self.x[-1], shape(flat) + nd)
            out = cnp.where(below, self.fill_below, out)
            out = cnp.where(above, self.fill_above, out)
        out = cnp.reshape(out, shape(x_new) + trail)
        return axis_moved(out, ndim(x_new), self.axis) if ndim(x_new) else out

    def _step_index(self, flat):
        x, n = self.x, len(self.x)
        if self.kind in ("nearest", "nearest-up"):
            half = x / 2.0
            bounds = half[1:] + half[:-1]
            side = "left" if self.kind == "nearest" else "right"
            return cnp.clip(cnp.searchsorted(bounds, flat, side=side), 0, n - 1)
        shift = 0 if self.kind == "previous" else 1
        edges = np.nextafter(x, -np.inf if shift == 0 else np.inf)
        side = "left" if shift == 0 else "right"
        index = cnp.clip(cnp.searchsorted(edges, flat, side=side), 1 - shift, n - shift)
        return index + shift - 1


def _extrapolates(fill_value):
    return isinstance(fill_value, str) and fill_value == "extrapolate"
