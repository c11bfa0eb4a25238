"""``scipy.interpolate``'s B-splines: BSpline, make_interp_spline, splrep/splev (FITPACK),
InterpolatedUnivariateSpline and UnivariateSpline — differentiable in the coefficients or the
data y (an interpolating spline is linear in y) and in the evaluation points; knots are
constants (docs/interpolate.md).

>>> import numpy as np, chainrule as cr
>>> x = np.arange(6.0)
>>> b = make_interp_spline(x, x ** 3)
>>> round(float(b(2.5)), 12), round(float(cr.grad(lambda t: b(t))(2.5)), 12)
(15.625, 18.75)
"""

import numpy as np

from .. import numpy as cnp
from ..core.primitive import Tracer
from ..core.registry import INTERPOLATE
from ..primitives.declare import export
from ..primitives.splines import SplineForm, spline_eval, grid_bounds_checked
from ..primitives.util import shape, ndim, dtype
from .splines import plain_knots, data_array, as_points, axis_moved, from_build
from .spline_transpose import interp_spline_transpose, lsq_spline_transpose
from .implicit import solution_p

__all__ = ["splder_tck", "splantider_tck", "sproot_tck", "spalde_tck"]


def _si():
    import scipy.interpolate
    return scipy.interpolate


def _column(v, nd):
    return np.reshape(v, np.shape(v) + (1,) * nd)


def _padded(t, c):
    extra = len(t) - shape(c)[0]
    if extra > 0:
        c = cnp.concatenate([c, cnp.zeros((extra,) + shape(c)[1:], dtype=dtype(c))])
    return c


def splder_tck(t, c, k, n):
    """SciPy's splder on (t, c, k) with c traced: the coefficient recurrence in its
    arithmetic."""
    if n < 0:
        return splantider_tck(t, c, k, -n)
    if n > k:
        raise ValueError(f"Order of derivative (n = {n!r}) must be <= order of spline "
                         f"(k = {k!r})")
    for _ in range(n):
        dt = t[k + 1:-1] - t[1:-k - 1]
        if np.any(dt == 0):
            raise ValueError(f"The spline has internal repeated knots and is not "
                             f"differentiable {n} times")
        c = (c[1:-1 - k] - c[:-2 - k]) * k / _column(dt, ndim(c) - 1)
        c = cnp.concatenate([c, cnp.zeros((k,) + shape(c)[1:], dtype=dtype(c))])
        t, k = t[1:-1], k - 1
    return t, c, k


def splantider_tck(t, c, k, n):
    """SciPy's splantider on (t, c, k) with c traced."""
    if n < 0:
        return splder_tck(t, c, k, -n)
    for _ in range(n):
        dt = t[k + 1:] - t[:-k - 1]
        c = cnp.cumsum(c[:-k - 1] * _column(dt, ndim(c) - 1), axis=0) / (k + 1)
        c = cnp.concatenate([cnp.zeros((1,) + shape(c)[1:], dtype=dtype(c)), c,
                             cnp.stack([c[-1]] * (k + 2))])
        t, k = np.concatenate([t[:1], t, t[-1:]]), k + 1
    return t, c, k


@export("BSpline", namespace=INTERPOLATE)
class BSpline:
    """``scipy.interpolate.BSpline``: differentiable in the coefficients c and the
    evaluation points (the knots t are constants); ``derivative``, ``antiderivative`` and
    ``integrate`` as SciPy's.

    >>> import numpy as np, chainrule as cr
    >>> t = np.array([0.0, 0.0, 1.0, 2.0, 2.0])
    >>> float(BSpline(t, np.array([0.0, 1.0, 0.0]), 1)(0.5))
    0.5
    >>> cr.grad(lambda c: BSpline(t, c, 1)(0.5))(np.zeros(3))
    array([0.5, 0.5, 0. ])
    """

    def __init__(self, t, c, k, extrapolate=True, axis=0):
        t = plain_knots(t, "BSpline", "t")
        c = data_array(c)
        ref = _si().BSpline(t, np.zeros(shape(c), dtype=dtype(c)), k, extrapolate, axis)
        self._set(ref.t.copy(), cnp.moveaxis(c, ref.axis, 0), ref.k, ref.extrapolate, ref.axis)

    def _set(self, t, c, k, extrapolate, axis):
        self.t, self.c, self.k, self.extrapolate, self.axis = t, c, k, extrapolate, axis
        return self

    @classmethod
    def construct_fast(cls, t, c, k, extrapolate=True, axis=0):
        """SciPy's constructor without checks (c float64/complex128, axis first)."""
        return object.__new__(cls)._set(np.asarray(t, dtype=np.float64), c, int(k),
                                        extrapolate, axis)

    @property
    def tck(self):
        """(t, c, k), as SciPy's ``tck``."""
        return self.t, self.c, self.k

    def _form(self, extrapolate):
        ext = self.extrapolate if extrapolate is None else extrapolate
        return SplineForm("bspline", self.t, self.k, ext if ext == "periodic" else bool(ext))

    def __call__(self, x, nu=0, extrapolate=None):
        """The ``nu``-th derivative at the points x (SciPy's shape and axis order)."""
        pts = as_points(x, "BSpline")
        out = spline_eval(self.c, pts, form=self._form(extrapolate), nu=int(nu), base=int(nu))
        return axis_moved(out, ndim(pts), self.axis)

    def derivative(self, nu=1):
        """The ``nu``-th derivative, a BSpline (SciPy's splder)."""
        t, c, k = splder_tck(self.t, _padded(self.t, self.c), self.k, nu)
        return BSpline.construct_fast(t, c, k, self.extrapolate, self.axis)

    def antiderivative(self, nu=1):
        """The ``nu``-th antiderivative, a BSpline (SciPy's splantider)."""
        t, c, k = splantider_tck(self.t, _padded(self.t, self.c), self.k, nu)
        ext = False if self.extrapolate == "periodic" else self.extrapolate
        return BSpline.construct_fast(t, c, k, ext, self.axis)

    def integrate(self, a, b, extrapolate=None):
        """The definite integral from a to b (SciPy's value; differentiable in c, a, b)."""
        ext = self.extrapolate if extrapolate is None else extrapolate
        if not any(isinstance(v, Tracer) for v in (self.c, a, b)):
            return _si().BSpline.construct_fast(self.t, np.asarray(self.c), self.k,
                                                self.extrapolate).integrate(a, b, ext)
        if ext == "periodic":
            raise NotImplementedError("chainrule.scipy.interpolate.BSpline.integrate with "
                                      "extrapolate='periodic' of traced data or bounds")
        a, b = as_points(a, "integrate"), as_points(b, "integrate")
        sign = cnp.where(b < a, -1.0, 1.0)
        lo, hi = cnp.minimum(a, b), cnp.maximum(a, b)
        n = len(self.t) - self.k - 1
        if not ext:
            lo, hi = cnp.maximum(lo, self.t[self.k]), cnp.minimum(hi, self.t[n])
        anti = self.antiderivative()
        form = SplineForm("bspline", anti.t, anti.k, bool(ext))
        ends = spline_eval(anti.c, cnp.stack([lo, hi]), form=form, nu=0, base=0)
        return (ends[1] - ends[0]) * _column(sign, ndim(self.c) - 1)


@export("make_interp_spline", namespace=INTERPOLATE)
def make_interp_spline(x, y, k=3, t=None, bc_type=None, axis=0, check_finite=True):
    """``scipy.interpolate.make_interp_spline``: SciPy's interpolating BSpline of y,
    differentiable in y (linear: the derivative is the spline of the tangent) and, through
    the BSpline, in the points. x and t are constants.

    >>> import numpy as np, chainrule as cr
    >>> x = np.arange(5.0)
    >>> cr.grad(lambda y: make_interp_spline(x, y, k=1)(1.5))(np.zeros(5))
    array([0. , 0.5, 0.5, 0. , 0. ])
    """
    x = plain_knots(x, "make_interp_spline")
    si = _si()
    if not isinstance(y, Tracer):
        ref = si.make_interp_spline(x, y, k, t, bc_type, axis, check_finite)
        return BSpline.construct_fast(ref.t.copy(), ref.c.copy(), ref.k, ref.extrapolate,
                                      ref.axis)
    ref = si.make_interp_spline(x, np.zeros(shape(y), dtype=dtype(y)), k, t, bc_type, axis)
    knots = ref.t.copy()
    y = cnp.moveaxis(data_array(y, ref.c.dtype.kind == "c"), ref.axis, 0)

    def build(v):
        return si.make_interp_spline(x, v, k, t, bc_type, 0, False).c

    def linear(v):
        return si.make_interp_spline(x, v, k, t, _homogeneous(bc_type, v), 0, False).c

    c = from_build(y, build, linear, "make_interp_spline",
                   lambda: interp_spline_transpose(x, knots, ref.k, bc_type))
    return BSpline.construct_fast(knots, c, ref.k, ref.extrapolate, ref.axis)


def _homogeneous(bc_type, v):
    """bc_type with zero derivative values; a periodic tangent takes y[0], y[-1] at their
    mean (the data must keep them equal)."""
    if bc_type is None or isinstance(bc_type, str):
        if bc_type == "periodic":
            v[0] = v[-1] = (v[0] + v[-1]) / 2
        return bc_type
    return tuple(None if bc is None else [(o, np.zeros(v.shape[1:])) for o, _ in bc]
                 for bc in bc_type)


def _columns(fn, v):
    """FITPACK takes one column at a time: fn on each trailing column of v, stacked."""
    v = np.asarray(v)
    if v.ndim == 1:
        return np.asarray(fn(v))
    flat = v.reshape(v.shape[0], -1)
    outs = [np.asarray(fn(flat[:, j])) for j in range(flat.shape[1])]
    return np.stack(outs, -1).reshape(outs[0].shape + v.shape[1:])


@export("splrep", namespace=INTERPOLATE)
def splrep(x, y, w=None, xb=None, xe=None, k=3, task=0, s=None, t=None, full_output=0,
           per=0, quiet=1):
    """``scipy.interpolate.splrep``: (t, c, k), c differentiable in y when the knots do not
    depend on y: an interpolating fit (s=0, SciPy's default without weights) or given knots
    ``t`` (a least-squares fit, linear in y). With s > 0 and no t FITPACK chooses the knots
    from y: derivatives in y are refused (fix the knots: ``t=`` from a plain splrep).

    >>> import numpy as np, chainrule as cr
    >>> x = np.arange(6.0)
    >>> float(cr.grad(lambda y: splev(2.0, splrep(x, y)))(np.zeros(6))[2])
    1.0
    """
    x = plain_knots(x, "splrep")
    si = _si()
    if not isinstance(y, Tracer):
        return si.splrep(x, y, w, xb, xe, k, task, s, t, full_output, per, quiet)
    if full_output:
        raise NotImplementedError("chainrule.scipy.interpolate.splrep: full_output with "
                                  "traced y")
    smooth = 0.0 if s is None and w is None else s
    if t is None and (smooth is None or smooth > 0):
        raise TypeError("chainrule.scipy.interpolate.splrep: with s > 0 FITPACK chooses the "
                        "knots from y, so the fit is not a linear map of y and chainrule "
                        "refuses its derivative in y. Fix the knots: pass t= (e.g. the "
                        "interior knots of a plain splrep, tck[0][k+1:-k-1]).")
    ref = si.splrep(x, np.zeros(shape(y)), w, xb, xe, k, task, s, t, 0, per, quiet)
    knots = ref[0].copy()

    def build(v):
        return _columns(lambda col: _checked(si.splrep(x, col, w, xb, xe, k, task, s, t, 0,
                                                       per, quiet), knots)[1], v)

    y = data_array(y)
    if dtype(y).kind == "c":
        raise TypeError("splrep: y must be real (FITPACK); fit the real and imaginary "
                        "parts separately")
    transposer = None
    if t is not None and not per:
        # least squares on the given knots: the normal equations, transposed
        def transposer():
            return lsq_spline_transpose(x, knots, ref[2], w)
    elif t is None and smooth == 0 and not per:
        # interpolation: FITPACK's c is the collocation solve on its knots (then k+1 zeros)
        def transposer():
            inner = interp_spline_transpose(x, knots, ref[2], None)
            if inner is None:
                return None
            m = len(x)
            return lambda g: inner(np.asarray(g)[:m])
    return knots, from_build(y, build, build, "splrep", transposer), ref[2]


def _checked(tck, knots):
    if not np.array_equal(tck[0], knots):   # FITPACK's s=0 knots depend on x only
        raise RuntimeError("splrep: the knots changed with y; pass t= to fix them")
    return tck


def _tck_parts(tck):
    if isinstance(tck, BSpline):
        return tck.t, tck.c, tck.k
    t, c, k = tck
    return plain_knots(t, "splev", "t"), data_array(c), int(k)


@export("splev", namespace=INTERPOLATE)
def splev(x, tck, der=0, ext=0):
    """``scipy.interpolate.splev``: FITPACK's value of the spline (t, c, k) — or of a
    BSpline — at x, differentiable in c and x. ``ext`` as SciPy's: 0 extrapolate, 1 zero,
    2 raise, 3 the boundary value (derivative zero outside).

    >>> import numpy as np, chainrule as cr
    >>> tck = splrep(np.arange(5.0), np.arange(5.0) ** 2)
    >>> round(float(splev(2.5, tck)), 12), round(float(cr.grad(lambda t: splev(t, tck))(2.5)), 12)
    (6.25, 5.0)
    """
    if isinstance(tck, BSpline):
        return tck(x, der)
    if isinstance(tck[1], (list, tuple)):      # a parametric curve: one array per coordinate
        return [splev(x, (tck[0], ci, tck[2]), der, ext) for ci in tck[1]]
    t, c, k = _tck_parts(tck)
    if ndim(c) != 1:
        raise NotImplementedError("chainrule.scipy.interpolate.splev: c with more than one "
                                  "axis (SciPy's FITPACK takes 1-D c or a list of them)")
    pts = as_points(x, "splev")
    return spline_eval(c, pts, form=SplineForm("fitpack", t, k, True, ext), nu=int(der),
                       base=int(der))


def sproot_tck(t, c, k, mest=10):
    """FITPACK's roots of the cubic (t, c, k) with c traced: SciPy's roots of the plain
    values, moved by the implicit function theorem (s(r; c) = 0)."""
    if ndim(c) != 1:
        raise NotImplementedError("chainrule.scipy.interpolate.sproot: parametric splines "
                                  "(evaluate each coefficient array separately)")
    si = _si()

    def solve(x0, c):
        return np.asarray(si.sproot((t, np.asarray(c), k), mest), dtype=np.float64)

    def residual(r, x0, c):
        return splev(r, (t, c, k))

    return solution_p(np.float64(0.0), c, solve=solve, residual=residual)


def spalde_tck(x, t, c, k):
    """FITPACK's spalde with c or x traced: the value and the derivatives of orders 0..k
    (splev's), an array for one point, a list of them for several."""
    if ndim(c) != 1:
        raise NotImplementedError("chainrule.scipy.interpolate.spalde: parametric splines "
                                  "(evaluate each coefficient array separately)")
    pts = as_points(x, "spalde")
    lo, hi = t[k], t[len(t) - k - 1]
    if not isinstance(pts, Tracer) and not np.all((pts >= lo) & (pts <= hi)):
        _si().spalde(np.asarray(pts), (t, np.zeros(shape(c)), k))   # SciPy's error
    ders = cnp.stack([splev(pts, (t, c, k), der=d) for d in range(k + 1)], axis=-1)
    if ndim(pts) == 0:
        return ders
    return [ders[i] for i in range(shape(ders)[0])]


@export("InterpolatedUnivariateSpline", namespace=INTERPOLATE)
class InterpolatedUnivariateSpline:
    """``scipy.interpolate.InterpolatedUnivariateSpline``: FITPACK's interpolating spline
    (SciPy's values), differentiable in y (linear) and the evaluation points.

    >>> import numpy as np, chainrule as cr
    >>> x = np.arange(6.0)
    >>> s = InterpolatedUnivariateSpline(x, x ** 2)
    >>> round(float(s(2.5)), 12), round(float(cr.grad(lambda t: s(t))(2.5)), 12)
    (6.25, 5.0)
    """

    def __init__(self, x, y, w=None, bbox=[None] * 2, k=3, ext=0, check_finite=False):
        self._fit(x, y, w, bbox, k, ext, 0.0, check_finite)

    def _fit(self, x, y, w, bbox, k, ext, s, check_finite):
        si = _si()
        x = plain_knots(x, type(self).__name__)
        ext = {"extrapolate": 0, "zeros": 1, "raise": 2, "const": 3}.get(ext, ext)
        if ext not in (0, 1, 2, 3):
            raise ValueError(f"Unknown extrapolation mode {ext}.")
        self._data = (x, y, w)
        if not isinstance(y, Tracer):
            ref = si.UnivariateSpline(x, y, w, bbox, k, s, ext, check_finite)
            self._ref = ref
            knots, c = _full_tck(ref, k)
        else:
            if s is None or s > 0:
                raise TypeError(
                    "chainrule.scipy.interpolate.UnivariateSpline: with s > 0 FITPACK "
                    "chooses the knots from y, so the fit is not a linear map of y and "
                    "chainrule refuses its derivative in y (use s=0, "
                    "InterpolatedUnivariateSpline, or LSQUnivariateSpline-like splrep(t=))")
            knots, c, _ = splrep(x, y, w, bbox[0], bbox[1], k, s=0)
        self._set(knots, c, k, ext)

    def _set(self, t, c, k, ext):
        self._t, self._c, self._k, self.ext = t, c, k, ext
        return self

    def __call__(self, x, nu=0, ext=None):
        """The ``nu``-th derivative at x, FITPACK's splev with ``ext``."""
        ext = self.ext if ext is None else {"extrapolate": 0, "zeros": 1, "raise": 2,
                                            "const": 3}.get(ext, ext)
        return splev(x, (self._t, self._c, self._k), nu, ext)

    def derivatives(self, x):
        """All derivatives (orders 0 to k) at the point x, SciPy's ``spalde``; differentiable
        in the data and in x."""
        if not any(isinstance(v, Tracer) for v in (self._c, x)):
            return _si().spalde(x, (self._t, np.asarray(self._c), self._k))
        lo, hi = self._t[self._k], self._t[len(self._t) - self._k - 1]
        if isinstance(x, Tracer):   # spalde's check, an operation (jit replays it, vmap maps it)
            x = cnp.reshape(grid_bounds_checked(cnp.reshape(x, (-1, 1)), (lo,), (hi,)),
                            shape(x))
        elif not np.all((lo <= np.asarray(x)) & (np.asarray(x) <= hi)):
            raise ValueError("Invalid input data. t(k)<=x<=t(n-k+1) must hold.")
        return cnp.stack([splev(x, (self._t, self._c, self._k), nu, 0)
                          for nu in range(self._k + 1)])

    def roots(self):
        """SciPy's zeros of a cubic spline (``sproot``), values only."""
        if isinstance(self._c, Tracer):
            raise NotImplementedError(
                f"chainrule.scipy.interpolate.{type(self).__name__}.roots: derivatives of the "
                f"roots are not implemented; compute them on plain values "
                f"(chainrule.stop_gradient)")
        if self._k != 3:
            raise NotImplementedError("finding roots unsupported for non-cubic splines")
        return _si().sproot((self._t, np.asarray(self._c), self._k),
                            mest=3 * (len(self._t) - 7))

    def get_knots(self):
        """The interior knots and the ends, as SciPy's."""
        return self._t[self._k:len(self._t) - self._k].copy()

    def get_coeffs(self):
        """The B-spline coefficients (SciPy's, without FITPACK's padding)."""
        return self._c[:len(self._t) - self._k - 1]

    def derivative(self, n=1):
        """The ``n``-th derivative spline (SciPy's splder; ext 3 becomes 1)."""
        t, c, k = splder_tck(self._t, self._c, self._k, n)
        return object.__new__(InterpolatedUnivariateSpline)._set(t, c, k,
                                                                 1 if self.ext == 3 else self.ext)

    def antiderivative(self, n=1):
        """The ``n``-th antiderivative spline (SciPy's splantider)."""
        t, c, k = splantider_tck(self._t, self._c, self._k, n)
        return object.__new__(InterpolatedUnivariateSpline)._set(t, c, k, self.ext)

    def roots(self):
        """The zeros of a cubic spline (FITPACK's sproot; differentiable in the data by the
        implicit function theorem)."""
        if self._k != 3:
            raise NotImplementedError("finding roots unsupported for non-cubic splines")
        if not isinstance(self._c, Tracer):
            return _si().sproot((self._t, np.asarray(self._c), self._k))
        return sproot_tck(self._t, self._c, self._k)

    def derivatives(self, x):
        """The value and all derivatives at the point x (FITPACK's spalde)."""
        if not isinstance(self._c, Tracer) and not isinstance(x, Tracer):
            return _si().spalde(x, (self._t, np.asarray(self._c), self._k))
        return spalde_tck(x, self._t, self._c, self._k)

    def get_residual(self):
        """Σ (w·(y − s(x)))², the weighted sum of squared residuals (SciPy's for plain data;
        for traced data written out, differentiable)."""
        data = getattr(self, "_data", None)
        if data is None:
            raise AttributeError("this spline was not fitted to data (a derivative or an "
                                 "antiderivative has no residual)")
        x, y, w = data
        if not isinstance(y, Tracer) and getattr(self, "_ref", None) is not None:
            return self._ref.get_residual()
        r = y - splev(x, (self._t, self._c, self._k))
        if w is not None:
            r = r * w
        return cnp.sum(r * r)

    def set_smoothing_factor(self, s):
        """SciPy's refit with a new smoothing factor (plain data only: the knots follow y)."""
        ref = getattr(self, "_ref", None)
        if ref is None:
            raise TypeError("chainrule.scipy.interpolate: set_smoothing_factor refits with "
                            "knots chosen from y; call it on a spline of plain data")
        ref.set_smoothing_factor(s)
        self._t, self._c = _full_tck(ref, self._k)

    @staticmethod
    def validate_input(x, y, w, bbox, k, s, ext, check_finite):
        """SciPy's input checks."""
        return _si().UnivariateSpline.validate_input(x, y, w, bbox, k, s, ext, check_finite)

    def integral(self, a, b):
        """The integral from a to b (FITPACK's splint for plain values; for traced data or
        bounds the antiderivative's difference, equal to rounding)."""
        if not any(isinstance(v, Tracer) for v in (self._c, a, b)):
            return _si().splint(a, b, (self._t, np.asarray(self._c), self._k))
        lo_knot, hi_knot = self._t[self._k], self._t[len(self._t) - self._k - 1]
        a, b = as_points(a, "integral"), as_points(b, "integral")
        # splint integrates over [a, b] ∩ the base interval
        ca, cb = cnp.clip(a, lo_knot, hi_knot), cnp.clip(b, lo_knot, hi_knot)
        t, c, k = splantider_tck(self._t, self._c, self._k, 1)
        ends = spline_eval(c, cnp.stack([ca, cb]), form=SplineForm("bspline", t, k, True),
                           nu=0, base=0)
        return ends[1] - ends[0]


def _full_tck(ref, k):
    """The full (t, c) of a plain UnivariateSpline: its knots with the ends repeated k+1
    times and its coefficients padded with k+1 zeros, FITPACK's layout."""
    knots = ref.get_knots()
    t = np.concatenate([[knots[0]] * (k + 1), knots[1:-1], [knots[-1]] * (k + 1)])
    return t, np.concatenate([ref.get_coeffs(), np.zeros(k + 1)])


@export("UnivariateSpline", namespace=INTERPOLATE)
class UnivariateSpline(InterpolatedUnivariateSpline):
    """``scipy.interpolate.UnivariateSpline``: the smoothing spline. Its values and its
    derivative in the evaluation points are SciPy's; in y only s=0 (interpolation) is
    differentiable — with s > 0 the knots depend on y and derivatives in y are refused.

    >>> import numpy as np, chainrule as cr
    >>> x = np.linspace(0.0, 3.0, 12)
    >>> s = UnivariateSpline(x, x ** 2, s=0)
    >>> round(float(cr.grad(lambda t: s(t))(1.0)), 6)
    2.0
    """

    def __init__(self, x, y, w=None, bbox=[None] * 2, k=3, s=None, ext=0,
                 check_finite=False):
        self._fit(x, y, w, bbox, k, ext, s, check_finite)
