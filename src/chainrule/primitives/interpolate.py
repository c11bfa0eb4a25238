"""``scipy.interpolate.interp1d`` with ``kind='linear'`` (needs the ``scipy`` extra),
differentiable in the values y, in the new points x_new and in the knots x.

The interpolant is composed of chainrule operations: the segment of each new point is found
by ``searchsorted`` (zero derivative), its end points are gathered with ``take_along`` (so
the indices may differ per example under vmap), and the value is SciPy's formula
y_lo + (y_hi − y_lo)/(x_hi − x_lo)·(x_new − x_lo). Bounds are SciPy's: an error by default,
``fill_value`` (one value, or a (below, above) pair) with ``bounds_error=False``, or the end
segments continued with ``fill_value='extrapolate'``.

>>> import numpy as np, chainrule as cr
>>> f = interp1d(np.array([0.0, 1.0, 3.0]), np.array([0.0, 2.0, 3.0]))
>>> f(np.array([0.5, 2.0]))
array([1. , 2.5])
>>> float(cr.grad(lambda t: interp1d(np.array([0.0, 1.0, 3.0]), np.array([0.0, 2.0, 3.0]))(t))(2.0))
0.5
"""

import numpy as np

from ..core.primitive import Primitive
from ..core.registry import INTERPOLATE
from .declare import declare, export
from .util import shape, ndim, dtype
from . import basic as B
from . import elementwise as E
from . import structural as S
from .numpy_extras import searchsorted, interp
from .scipy_linalg import loop_batch

__all__ = []

_OTHER_KINDS = ("nearest", "nearest-up", "zero", "slinear", "quadratic", "cubic", "previous",
                "next")


def _array(x):
    return B.reshape(x, shape=shape(x))


def _take(v, index):
    """v[..., index] for a 1-d index that may be batched under vmap (v's last axis)."""
    lead = shape(v)[:-1]
    wide = B.broadcast_to(B.reshape(index, shape=(1,) * len(lead) + shape(index)),
                          shape=lead + shape(index))
    return S.take_along(v, wide, axis=len(lead))


def _bounds_impl(x_new, x):
    below, above = x_new < x[0], x_new > x[-1]
    if np.any(below):
        raise ValueError(f"A value ({np.asarray(x_new)[below].flat[0]}) in x_new is below the "
                         f"interpolation range's minimum value ({x[0]}).")
    if np.any(above):
        raise ValueError(f"A value ({np.asarray(x_new)[above].flat[0]}) in x_new is above the "
                         f"interpolation range's maximum value ({x[-1]}).")
    return np.array(x_new, copy=True)


_bounds = Primitive("interp1d_bounds_check", _bounds_impl)
#: x_new itself, after SciPy's bounds check (ValueError out of the sorted knots' range): an
#: operation, so that it runs per example under vmap and again when jit replays.
bounds_checked = declare(
    _bounds,
    jvp=[lambda t, ans, x_new, x: t,
         lambda t, ans, x_new, x: np.zeros(shape(ans), dtype=dtype(ans))],
    vjp=[lambda g, ans, x_new, x: g,
         lambda g, ans, x_new, x: np.zeros(shape(x), dtype=dtype(x))],
    batch=loop_batch(_bounds), names=())


class interp1d:
    """``scipy.interpolate.interp1d`` for ``kind='linear'``: ``f = interp1d(x, y)``, then
    ``f(x_new)`` interpolates y (along ``axis``) at x_new; differentiable in y, x_new and x.
    The public ``chainrule.scipy.interpolate.interp1d`` (``chainrule/scipy/kinds.py``) adds
    the other kinds on top of this one.

    >>> import numpy as np, chainrule as cr
    >>> f = interp1d(np.array([0.0, 1.0, 2.0]), np.array([[0.0, 1.0, 4.0], [1.0, 1.0, 1.0]]))
    >>> f(1.5)
    array([2.5, 1. ])
    >>> cr.grad(lambda y: interp1d(np.array([0.0, 1.0, 2.0]), y)(0.25))(np.zeros(3))
    array([0.75, 0.25, 0.  ])
    >>> interp1d(np.array([0.0, 1.0]), np.array([0.0, 1.0]), fill_value="extrapolate")(3.0)
    array(3.)
    """

    def __init__(self, x, y, kind="linear", axis=-1, copy=True, bounds_error=None,
                 fill_value=np.nan, assume_sorted=False):
        if kind != "linear":
            known = kind in _OTHER_KINDS or isinstance(kind, int)
            raise NotImplementedError(
                f"chainrule.scipy.interpolate.interp1d: kind={kind!r} is "
                f"{'not supported' if known else 'unknown'}; only kind='linear' is "
                f"differentiable here (for others write the interpolant with chainrule.numpy)")
        x, y = _array(x), _array(y)
        if ndim(x) != 1:
            raise ValueError("the x array must have exactly one dimension.")
        if ndim(y) == 0:
            raise ValueError("the y array must have at least one dimension.")
        self.axis = axis % ndim(y) if -ndim(y) <= axis < ndim(y) else None
        if self.axis is None:
            raise ValueError(f"axis {axis} is out of bounds for y of {ndim(y)} dimensions")
        if shape(y)[self.axis] != shape(x)[0]:
            raise ValueError(f"x and y arrays must be equal in length along interpolation "
                             f"axis.")
        if shape(x)[0] < 2:
            raise ValueError("x and y arrays must have at least 2 entries")
        if dtype(y).kind not in "fc":
            y = E.astype(y, dtype=np.dtype(np.float64))   # as SciPy
        # y with the interpolation axis last: the gathers run along it
        y = B.moveaxis(y, self.axis, ndim(y) - 1) if self.axis != ndim(y) - 1 else y
        if not assume_sorted:
            order = S.argsort(x, axis=0, kind="mergesort")   # SciPy's: equal knots keep order
            x, y = S.take_along(x, order, axis=0), _take(y, order)
        self.x, self._y_last = x, y
        self.extrapolate = isinstance(fill_value, str) and fill_value == "extrapolate"
        if isinstance(fill_value, str) and not self.extrapolate:
            raise ValueError(f"fill_value must be a number, a (below, above) pair or "
                             f"'extrapolate', not {fill_value!r}")
        self.bounds_error = (not self.extrapolate) if bounds_error is None else bool(bounds_error)
        if self.extrapolate and self.bounds_error:
            raise ValueError("Cannot extrapolate and raise at the same time.")
        pair = isinstance(fill_value, tuple) and len(fill_value) == 2
        self.fill_below, self.fill_above = fill_value if pair else (fill_value, fill_value)
        # SciPy hands float64 (or default-int) knots with one-dimensional float64 values to
        # numpy.interp unless it extrapolates; both agree except at repeated knots, where
        # numpy.interp returns the value of the last copy and SciPy's own formula the first.
        self._numpy_interp = (dtype(x) in (np.dtype(np.float64), np.dtype(int))
                              and dtype(y) == np.float64 and ndim(y) == 1
                              and not self.extrapolate)

    @property
    def y(self):
        """The values, with the interpolation axis where it was given."""
        y = self._y_last
        return B.moveaxis(y, ndim(y) - 1, self.axis) if self.axis != ndim(y) - 1 else y

    def __call__(self, x_new):
        """The interpolant at ``x_new``: shape y.shape[:axis] + x_new.shape +
        y.shape[axis+1:]."""
        x_new = _array(x_new)
        if dtype(x_new).kind == "c":
            raise TypeError("interp1d: x_new must be real")
        if self.bounds_error:
            x_new = bounds_checked(x_new, self.x)
        x, y = self.x, self._y_last
        n = shape(x)[0]
        flat = B.reshape(x_new, shape=(-1,))
        if self._numpy_interp:
            out = interp(flat, x, y)
        else:
            out = self._segments(flat)
        if not self.extrapolate:
            out = E.where(E.less(flat, x[0]), self.fill_below, out)
            out = E.where(E.greater(flat, x[n - 1]), self.fill_above, out)
        # (rest of y) + x_new's shape, then x_new's axes moved to where y's axis was
        rest = shape(y)[:-1]
        out = B.reshape(out, shape=rest + shape(x_new))
        k = len(shape(x_new))
        order = (tuple(range(self.axis)) + tuple(range(len(rest), len(rest) + k))
                 + tuple(range(self.axis, len(rest))))
        return B.transpose(out, axes=order) if order != tuple(range(len(order))) else out

    def _segments(self, flat):
        """SciPy's own formula: the segment whose right end is the first knot ≥ x_new."""
        x, y = self.x, self._y_last
        n = shape(x)[0]
        hi = E.clip(searchsorted(x, flat), 1, n - 1)
        lo = E.subtract(hi, 1)
        x_lo, x_hi = S.take_along(x, lo, axis=0), S.take_along(x, hi, axis=0)
        y_lo, y_hi = _take(y, lo), _take(y, hi)
        slope = (y_hi - y_lo) / (x_hi - x_lo)
        return slope * (flat - x_lo) + y_lo
