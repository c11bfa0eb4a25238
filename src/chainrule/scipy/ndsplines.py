"""``scipy.interpolate``'s tensor-product splines in d dimensions: NdBSpline and NdPPoly —
SciPy's evaluation (linear in the coefficients), differentiable in the coefficients and in the
points xi (the derivative along dimension j is SciPy's evaluation with one more order there),
to every order; the knots / breakpoints are constants.

>>> import numpy as np, chainrule as cr
>>> t = (np.array([0.0, 0.0, 1.0, 1.0]),) * 2            # bilinear on the unit square
>>> s = NdBSpline(t, np.array([[0.0, 1.0], [2.0, 3.0]]), 1)
>>> float(s([0.5, 0.25])), cr.grad(lambda p: s(p))(np.array([0.5, 0.25]))
(1.25, array([2., 1.]))
"""

import numpy as np

from .. import numpy as cnp
from ..core.primitive import Tracer
from ..core.registry import INTERPOLATE
from ..primitives.declare import export
from ..primitives.splines import NdForm, nd_spline_eval
from ..primitives.util import shape, dtype
from .splines import plain_knots, data_array, as_points

__all__ = []


def _si():
    import scipy.interpolate
    return scipy.interpolate


def _traced(*values):
    return any(isinstance(v, Tracer) for v in values)


def _nu(nu, d):
    if nu is None:
        return (0,) * d
    nu = tuple(int(v) for v in np.atleast_1d(nu))
    if len(nu) != d:
        raise ValueError(f"invalid number of derivative orders {nu = } for ndim = {d}.")
    return nu


def _points(xi, d, who):
    if isinstance(xi, tuple):
        xi = cnp.stack(cnp.broadcast_arrays(*xi), axis=-1)
    xi = as_points(xi if isinstance(xi, Tracer) else np.asarray(xi), who)
    if shape(xi)[-1:] != (d,):
        raise ValueError(f"Shapes: xi.shape={shape(xi)} and ndim={d}")
    return xi


def _plain_only(obj, what):
    if _traced(obj.c):
        raise NotImplementedError(f"chainrule.scipy.interpolate.{type(obj).__name__}.{what} "
                                  f"of traced coefficients (evaluate the spline instead)")


@export("NdBSpline", namespace=INTERPOLATE)
class NdBSpline:
    """``scipy.interpolate.NdBSpline``: the tensor-product B-spline (knots t, one array per
    dimension; coefficients c (n₁, …, n_d, ...)), differentiable in c and the points.

    >>> import numpy as np, chainrule as cr
    >>> t = (np.array([0.0, 0.0, 1.0, 1.0]),) * 2
    >>> cr.grad(lambda c: NdBSpline(t, c, 1)([0.5, 0.25]))(np.zeros((2, 2)))
    array([[0.375, 0.125],
           [0.375, 0.125]])
    """

    def __init__(self, t, c, k, *, extrapolate=None):
        t = tuple(plain_knots(v, "NdBSpline", "t") for v in t)
        c = c if isinstance(c, Tracer) else np.asarray(c)
        ref = _si().NdBSpline(t, np.zeros(shape(c), dtype=dtype(c)), k, extrapolate=extrapolate)
        self.t, self.k, self.extrapolate = ref.t, ref.k, ref.extrapolate
        self.c = data_array(c) if _traced(c) else np.array(c, dtype=ref.c.dtype)
        self._d = len(self.t)

    def __call__(self, xi, *, nu=None, extrapolate=None):
        """The spline (or its partial derivative of orders nu) at the points xi (..., d)."""
        ext = self.extrapolate if extrapolate is None else extrapolate
        if not _traced(self.c, xi) and not (isinstance(xi, tuple) and _traced(*xi)):
            return _si().NdBSpline(self.t, self.c, self.k, extrapolate=ext)(
                xi, nu=nu, extrapolate=ext)
        xi = _points(xi, self._d, "NdBSpline")
        form = NdForm("ndbspline", self.t, self.k, bool(ext))
        return nd_spline_eval(self.c, xi, form=form, nu=_nu(nu, self._d))

    @classmethod
    def design_matrix(cls, xvals, t, k, extrapolate=True):
        """SciPy's sparse design matrix (plain arguments)."""
        return _si().NdBSpline.design_matrix(xvals, t, k, extrapolate)

    def derivative(self, nu):
        """SciPy's derivative spline (plain coefficients)."""
        _plain_only(self, "derivative")
        ref = _si().NdBSpline(self.t, self.c, self.k, extrapolate=self.extrapolate)
        out = ref.derivative(nu)
        return NdBSpline(out.t, out.c, out.k, extrapolate=out.extrapolate)


@export("NdPPoly", namespace=INTERPOLATE)
class NdPPoly:
    """``scipy.interpolate.NdPPoly``: the piecewise tensor-product polynomial (coefficients
    (k₁+1, …, k_d+1, m₁, …, m_d, ...) on breakpoints x, one array per dimension),
    differentiable in c and the points.

    >>> import numpy as np, chainrule as cr
    >>> x = (np.array([0.0, 1.0]),) * 2
    >>> p = NdPPoly(np.array([[1.0, 0.0], [0.0, 0.0]]).reshape(2, 2, 1, 1), x)   # s·u
    >>> float(p([[0.5, 0.25]])[0]), cr.grad(lambda q: p(q)[0])(np.array([[0.5, 0.25]]))
    (0.125, array([[0.25, 0.5 ]]))
    """

    def __init__(self, c, x, extrapolate=None):
        x = tuple(plain_knots(v, "NdPPoly") for v in x)
        c = c if isinstance(c, Tracer) else np.asarray(c)
        ref = _si().NdPPoly(np.zeros(shape(c), dtype=dtype(c)), x, extrapolate)
        self.x, self.extrapolate = ref.x, ref.extrapolate
        self.c = data_array(c)
        self._d = len(self.x)

    @classmethod
    def construct_fast(cls, c, x, extrapolate=None):
        """SciPy's constructor without checks."""
        self = object.__new__(cls)
        self.c, self.x = c, tuple(np.asarray(v, dtype=np.float64) for v in x)
        self.extrapolate = True if extrapolate is None else bool(extrapolate)
        self._d = len(self.x)
        return self

    def _scipy(self):
        return _si().NdPPoly.construct_fast(np.asarray(self.c), self.x, self.extrapolate)

    def __call__(self, x, nu=None, extrapolate=None):
        """The polynomial (or its partial derivative of orders nu) at the points x (..., d)."""
        ext = self.extrapolate if extrapolate is None else extrapolate
        if not _traced(self.c, x) and not (isinstance(x, tuple) and _traced(*x)):
            return self._scipy()(x, nu, ext)
        xi = _points(x, self._d, "NdPPoly")
        ks = tuple(shape(self.c)[:self._d])
        form = NdForm("ndppoly", self.x, tuple(k - 1 for k in ks), bool(ext))
        return nd_spline_eval(self.c, xi, form=form, nu=_nu(nu, self._d))

    def derivative(self, nu):
        """SciPy's derivative (plain coefficients)."""
        _plain_only(self, "derivative")
        out = self._scipy().derivative(nu)
        return NdPPoly.construct_fast(out.c, out.x, out.extrapolate)

    def antiderivative(self, nu):
        """SciPy's antiderivative (plain coefficients)."""
        _plain_only(self, "antiderivative")
        out = self._scipy().antiderivative(nu)
        return NdPPoly.construct_fast(out.c, out.x, out.extrapolate)

    def integrate_1d(self, a, b, axis, extrapolate=None):
        """SciPy's integral along one axis (plain arguments)."""
        _plain_only(self, "integrate_1d")
        out = self._scipy().integrate_1d(a, b, axis, extrapolate)
        return out if np.ndim(out) == 0 or not hasattr(out, "c") else NdPPoly.construct_fast(
            out.c, out.x, out.extrapolate)

    def integrate(self, ranges, extrapolate=None):
        """SciPy's definite integral over the ranges (plain arguments)."""
        _plain_only(self, "integrate")
        return self._scipy().integrate(ranges, extrapolate)
