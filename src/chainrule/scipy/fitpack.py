"""``scipy.interpolate``'s FITPACK functions and least-squares splines: splder, splantider,
splint, sproot, spalde, insert, LSQUnivariateSpline, make_lsq_spline, make_smoothing_spline,
make_splrep — differentiable in the coefficients (or the data y, for fixed knots: each fit is
linear in y) and in the points; values are SciPy's own on plain arrays.

What is held fixed: the knots. A least-squares fit with given knots, an interpolating fit
(s=0) and a smoothing spline with a given ``lam`` are linear maps of y, differentiated
exactly. Where SciPy chooses something from y — FITPACK's smoothing parameter (and knots)
for s > 0, make_smoothing_spline's ``lam`` by generalized cross-validation — the fit is not linear
in y and chainrule refuses the derivative in y (TypeError, saying which argument to fix).

>>> import numpy as np, chainrule as cr
>>> x = np.arange(6.0)
>>> tck = splrep(x, x ** 2)
>>> round(float(splint(0.0, 3.0, tck)), 12)
9.0
>>> round(float(cr.grad(lambda y: splint(0.0, 3.0, splrep(x, y)))(x ** 2)[0]), 12)
0.341666666667
"""

import numpy as np

from .. import numpy as cnp
from ..core.primitive import Tracer
from ..core.registry import INTERPOLATE, CREATION, add
from ..primitives.declare import export
from ..primitives.splines import SplineForm, spline_eval
from ..primitives.util import shape, ndim, dtype
from .splines import plain_knots, data_array, as_points, from_build
from .bsplines import (BSpline, InterpolatedUnivariateSpline, splev, splder_tck,  # noqa: F401
                       splantider_tck, _full_tck, _columns, _padded,
                       sproot_tck, spalde_tck)
from .spline_transpose import lsq_spline_transpose
from .bsplines import splrep  # noqa: F401  (the examples' fits)

__all__ = []


def _si():
    import scipy.interpolate
    return scipy.interpolate


def _traced(*values):
    return any(isinstance(v, Tracer) for v in values)


def _tck(tck, who):
    t, c, k = tck
    return plain_knots(t, who, "t"), data_array(c), int(k)


@export("splder", namespace=INTERPOLATE)
def splder(tck, n=1):
    """``scipy.interpolate.splder``: the (t, c, k) — or BSpline — of the ``n``-th derivative,
    its coefficients differentiable in c (SciPy's recurrence, a linear map).

    >>> import numpy as np
    >>> tck = splder(splrep(np.arange(5.0), np.arange(5.0) ** 2))
    >>> round(float(splev(2.5, tck)), 12)
    5.0
    """
    if isinstance(tck, BSpline):
        return tck.derivative(n)
    if not _traced(*tck):
        return _si().splder(tck, n)
    return splder_tck(*_tck(tck, "splder"), n)


@export("splantider", namespace=INTERPOLATE)
def splantider(tck, n=1):
    """``scipy.interpolate.splantider``: the ``n``-th antiderivative (t, c, k) — or BSpline.

    >>> import numpy as np
    >>> tck = splantider(splrep(np.arange(5.0), np.arange(5.0)))
    >>> round(float(splev(2.0, tck)), 12)
    2.0
    """
    if isinstance(tck, BSpline):
        return tck.antiderivative(n)
    if not _traced(*tck):
        return _si().splantider(tck, n)
    return splantider_tck(*_tck(tck, "splantider"), n)


def fitpack_integral(t, c, k, a, b):
    """FITPACK's splint for traced c, a or b: the integral over [a, b] ∩ [t[k], t[n]] (the
    spline is taken as zero outside its base interval), the antiderivative's difference."""
    n = len(t) - k - 1
    a, b = as_points(a, "splint"), as_points(b, "splint")
    ca, cb = cnp.clip(a, t[k], t[n]), cnp.clip(b, t[k], t[n])
    ta, ca_c, ka = splantider_tck(t, c, k, 1)
    ends = spline_eval(ca_c, cnp.stack([ca, cb]), form=SplineForm("bspline", ta, ka, True),
                       nu=0, base=0)
    return ends[1] - ends[0]


@export("splint", namespace=INTERPOLATE)
def splint(a, b, tck, full_output=0):
    """``scipy.interpolate.splint``: the integral of the spline from a to b, differentiable in
    c and the bounds. As FITPACK, the spline counts as zero outside its base interval (a
    BSpline integrates with ``extrapolate=False``, as SciPy's splint does).

    >>> import numpy as np, chainrule as cr
    >>> tck = splrep(np.arange(5.0), np.arange(5.0))
    >>> round(float(splint(0.0, 2.0, tck)), 12), float(cr.grad(lambda b: splint(0.0, b, tck))(2.0))
    (2.0, 2.0)
    """
    if isinstance(tck, BSpline):
        return tck.integrate(a, b, extrapolate=False)
    if not _traced(a, b, *tck):
        return _si().splint(a, b, tck, full_output)
    if full_output:
        raise NotImplementedError("chainrule.scipy.interpolate.splint: full_output with traced "
                                  "arguments")
    t, c, k = _tck(tck, "splint")
    return fitpack_integral(t, _padded(t, c), k, a, b)


@export("sproot", namespace=INTERPOLATE)
def sproot(tck, mest=10):
    """``scipy.interpolate.sproot``: the zeros of a cubic spline (FITPACK's), differentiable
    in c by the implicit function theorem: s(r; c) = 0 gives ∂r/∂c = −B(r)/s′(r), to every
    order. A double root (s′(r) = 0) is not a differentiable function of c: its derivative
    raises.

    >>> import numpy as np, chainrule as cr
    >>> x = np.linspace(0.0, 4.0, 9)
    >>> float(sproot(splrep(x, x - 1.5))[0])
    1.5
    >>> float(cr.grad(lambda s: sproot(splrep(x, x - s))[0])(1.5))     # the root moves with s
    1.0
    """
    if isinstance(tck, BSpline):
        if ndim(tck.c) != 1:
            raise ValueError("Calling sproot() with BSpline objects with c.ndim > 1 is not "
                             "allowed.")
        tck = tck.tck
    if not _traced(*tck):
        return _si().sproot(tck, mest)
    t, c, k = _tck(tck, "sproot")
    return sproot_tck(t, c, k, mest)


@export("spalde", namespace=INTERPOLATE)
def spalde(x, tck):
    """``scipy.interpolate.spalde``: the value and every derivative (orders 0..k) at x, an
    array of k+1 for one point, a list of them for several; differentiable in c and x.

    >>> import numpy as np
    >>> tck = splrep(np.arange(6.0), np.arange(6.0) ** 2)
    >>> np.round(spalde(2.0, tck), 10)
    array([4., 4., 2., 0.])
    """
    if isinstance(tck, BSpline):
        tck = tck.tck
    if not _traced(x, *tck):
        return _si().spalde(x, tck)
    t, c, k = _tck(tck, "spalde")
    return spalde_tck(x, t, c, k)


@export("insert", namespace=INTERPOLATE)
def insert(x, tck, m=1, per=0):
    """``scipy.interpolate.insert``: the same spline with the knot x inserted m times; the new
    coefficients are a linear map of c (SciPy's), differentiated as one.

    >>> import numpy as np
    >>> tck = splrep(np.arange(6.0), np.arange(6.0) ** 2)
    >>> t, c, k = insert(2.5, tck)
    >>> len(t) - len(tck[0]), round(float(splev(3.3, (t, c, k))), 12)
    (1, 10.89)
    """
    si = _si()
    if isinstance(tck, BSpline):
        if not _traced(tck.c):
            ref = si.insert(x, si.BSpline.construct_fast(tck.t, np.asarray(tck.c), tck.k,
                                                         tck.extrapolate, 0), m, per)
            return BSpline.construct_fast(ref.t.copy(), ref.c.copy(), ref.k, tck.extrapolate,
                                          tck.axis)
        t, c, k = tck.t, tck.c, tck.k
        knots, cc = _inserted(si, x, t, c, k, m, per)
        return BSpline.construct_fast(knots, cc, k, tck.extrapolate, tck.axis)
    if not _traced(*tck):
        return si.insert(x, tck, m, per)
    t, c, k = _tck(tck, "insert")
    knots, cc = _inserted(si, x, t, c, k, m, per)
    return knots, cc, k


def _inserted(si, x, t, c, k, m, per):
    x = float(plain_knots(x, "insert", "x"))
    ref = si.insert(x, (t, np.zeros(shape(c)[0]), k), m, per)
    knots = np.asarray(ref[0]).copy()

    def build(v):
        return _columns(lambda col: si.insert(x, (t, col, k), m, per)[1], v)
    return knots, from_build(c, build, build, "insert")


@export("LSQUnivariateSpline", namespace=INTERPOLATE)
class LSQUnivariateSpline(InterpolatedUnivariateSpline):
    """``scipy.interpolate.LSQUnivariateSpline``: FITPACK's least-squares spline with the
    interior knots t given — a linear map of y, differentiated exactly (and in the points).

    >>> import numpy as np, chainrule as cr
    >>> x = np.linspace(0.0, 4.0, 9)
    >>> s = LSQUnivariateSpline(x, 2 * x + 1, [1.5, 2.5])
    >>> round(float(s(1.2)), 12), round(float(cr.grad(lambda t: s(t))(1.2)), 12)
    (3.4, 2.0)
    """

    def __init__(self, x, y, t, w=None, bbox=[None] * 2, k=3, ext=0, check_finite=False):
        si = _si()
        x = plain_knots(x, "LSQUnivariateSpline")
        t = plain_knots(t, "LSQUnivariateSpline", "t")
        ext = {"extrapolate": 0, "zeros": 1, "raise": 2, "const": 3}.get(ext, ext)
        if ext not in (0, 1, 2, 3):
            raise ValueError(f"Unknown extrapolation mode {ext}.")
        self._data = (x, y, w)
        if not isinstance(y, Tracer):
            ref = si.LSQUnivariateSpline(x, y, t, w, bbox, k, ext, check_finite)
            self._ref = ref
            knots, c = _full_tck(ref, k)
        else:
            if dtype(y).kind == "c":
                raise TypeError("LSQUnivariateSpline: y must be real (FITPACK)")
            ref = si.LSQUnivariateSpline(x, np.zeros(shape(y)), t, w, bbox, k, ext)
            knots = _full_tck(ref, k)[0]

            def build(v):
                return _columns(lambda col: _full_tck(si.LSQUnivariateSpline(
                    x, col, t, w, bbox, k, ext), k)[1], v)
            c = from_build(data_array(y), build, build, "LSQUnivariateSpline",
                           lambda: lsq_spline_transpose(x, knots, k, w))
        self._set(knots, c, k, ext)


@export("make_lsq_spline", namespace=INTERPOLATE)
def make_lsq_spline(x, y, t, k=3, w=None, axis=0, check_finite=True, *, method="qr"):
    """``scipy.interpolate.make_lsq_spline``: the least-squares BSpline on the knots t — a
    linear map of y (SciPy's solve, differentiated as one), and in the points through the
    BSpline.

    >>> import numpy as np, chainrule as cr
    >>> x = np.linspace(0.0, 3.0, 10)
    >>> t = np.r_[[0.0] * 4, 1.5, [3.0] * 4]
    >>> b = make_lsq_spline(x, x ** 2, t)
    >>> round(float(b(1.0)), 12), round(float(cr.grad(lambda s: b(s))(1.0)), 12)
    (1.0, 2.0)
    """
    si = _si()
    x = plain_knots(x, "make_lsq_spline")
    t = plain_knots(t, "make_lsq_spline", "t")
    if not isinstance(y, Tracer):
        ref = si.make_lsq_spline(x, y, t, k, w, axis, check_finite, method=method)
        return BSpline.construct_fast(ref.t.copy(), ref.c.copy(), ref.k, ref.extrapolate,
                                      ref.axis)
    ref = si.make_lsq_spline(x, np.zeros(shape(y), dtype=dtype(y)), t, k, w, axis,
                             method=method)
    y = cnp.moveaxis(data_array(y, ref.c.dtype.kind == "c"), ref.axis, 0)

    def build(v):
        return si.make_lsq_spline(x, v, t, k, w, 0, False, method=method).c
    c = from_build(y, build, build, "make_lsq_spline",
                   lambda: lsq_spline_transpose(x, ref.t, ref.k, w))
    return BSpline.construct_fast(ref.t.copy(), c, ref.k, ref.extrapolate, ref.axis)


@export("make_smoothing_spline", namespace=INTERPOLATE)
def make_smoothing_spline(x, y, w=None, lam=None, *, axis=0):
    """``scipy.interpolate.make_smoothing_spline``: the penalized smoothing spline. With
    ``lam`` given it is a linear map of y, differentiated exactly; with lam=None SciPy picks
    lam from y by generalized cross-validation, so the fit is not linear in y: its value is
    SciPy's, a derivative in y raises (pass lam=).

    >>> import numpy as np, chainrule as cr
    >>> x = np.linspace(0.0, 3.0, 8)
    >>> b = make_smoothing_spline(x, 2 * x, lam=0.1)     # a line is its own smoothing spline
    >>> round(float(b(1.3)), 10)
    2.6
    """
    si = _si()
    x = plain_knots(x, "make_smoothing_spline")
    if not isinstance(y, Tracer):
        ref = si.make_smoothing_spline(x, y, w, lam, axis=axis)
        return BSpline.construct_fast(ref.t.copy(), ref.c.copy(), ref.k, ref.extrapolate,
                                      ref.axis)
    if lam is None:
        raise TypeError("chainrule.scipy.interpolate.make_smoothing_spline: with lam=None SciPy "
                        "chooses lam from y (generalized cross-validation), so the fit is not a "
                        "linear map of y and chainrule refuses its derivative in y; pass lam= "
                        "to differentiate the smoothing spline of that lam")
    if dtype(y).kind == "c":
        raise TypeError("make_smoothing_spline: y must be real (SciPy casts complex y to real, "
                        "dropping the imaginary part); fit the real and imaginary parts "
                        "separately")
    ref = si.make_smoothing_spline(x, np.zeros(shape(y)), w, lam, axis=axis)
    y = cnp.moveaxis(data_array(y), axis % ndim(y), 0)

    def build(v):
        return si.make_smoothing_spline(x, v, w, lam, axis=0).c
    c = from_build(y, build, build, "make_smoothing_spline")
    return BSpline.construct_fast(ref.t.copy(), c, ref.k, ref.extrapolate, ref.axis)


@export("make_splrep", namespace=INTERPOLATE)
def make_splrep(x, y, *, w=None, xb=None, xe=None, k=3, s=0, t=None, nest=None,
                bc_type=None):
    """``scipy.interpolate.make_splrep``: FITPACK's spline as a BSpline. Interpolating (s=0)
    it is a linear map of y, differentiated exactly; with s > 0 FITPACK chooses the smoothing
    parameter (and, without t, the knots) from y: value SciPy's, a derivative in y raises
    (make_lsq_spline(x, y, t) is the linear fit on fixed knots).

    >>> import numpy as np, chainrule as cr
    >>> x = np.arange(6.0)
    >>> np.round(cr.grad(lambda y: make_splrep(x, y)(2.0))(np.zeros(6)), 12) + 0.0
    array([0., 0., 1., 0., 0., 0.])
    """
    si = _si()
    x = plain_knots(x, "make_splrep")
    args = dict(w=w, xb=xb, xe=xe, k=k, s=s, t=t, nest=nest, bc_type=bc_type)
    if not isinstance(y, Tracer):
        ref = si.make_splrep(x, y, **args)
        return BSpline.construct_fast(ref.t.copy(), ref.c.copy(), ref.k, ref.extrapolate,
                                      ref.axis)
    if s > 0:
        raise TypeError("chainrule.scipy.interpolate.make_splrep: with s > 0 FITPACK chooses "
                        "the smoothing parameter (and, without t, the knots) from y, so the fit "
                        "is not a linear map of y and chainrule refuses its derivative in y. "
                        "Use s=0 (interpolation), or make_lsq_spline(x, y, t) for the "
                        "least-squares fit on fixed knots t (e.g. make_splrep(x, plain_y, s=s).t)")
    if dtype(y).kind == "c":
        raise TypeError("make_splrep: y must be real (FITPACK)")
    ref = si.make_splrep(x, np.zeros(shape(y)), **args)
    knots = ref.t.copy()

    def build(v):
        def one(col):
            b = si.make_splrep(x, col, **args)
            if not np.array_equal(b.t, knots):
                raise RuntimeError("make_splrep: the knots changed with y; pass t= to fix them")
            return b.c
        return _columns(one, v)
    c = from_build(data_array(y), build, build, "make_splrep")
    return BSpline.construct_fast(knots, c, ref.k, ref.extrapolate, ref.axis)


def generate_knots(x, y, *, w=None, xb=None, xe=None, k=3, s=0, nest=None):
    """``scipy.interpolate.generate_knots``: SciPy's sequence of knot vectors (a generator),
    for plain x and y. Knots are chosen among the data sites: a step function of y, so there
    is nothing to differentiate; traced arguments raise (pass plain arrays).

    >>> import numpy as np
    >>> x = np.arange(8.0)
    >>> len(list(generate_knots(x, np.sin(x), s=1e-3))) > 0
    True
    """
    if _traced(x, y, w):
        raise TypeError("chainrule.scipy.interpolate.generate_knots: the knots are a step "
                        "function of the data (chosen among the sites x); call it on plain "
                        "arrays")
    return _si().generate_knots(x, y, w=w, xb=xb, xe=xe, k=k, s=s, nest=nest)


add(INTERPOLATE, "generate_knots", CREATION, generate_knots)


def _coordinates_traced(x):
    return _traced(*x) if isinstance(x, (list, tuple)) else _traced(x)


def _parametric_refusal(who, u, s, t):
    if u is None:
        raise TypeError(f"chainrule.scipy.interpolate.{who}: without u SciPy takes the parameter "
                        f"values from the points (chord lengths) and the knots from those, so the "
                        f"curve is not a linear map of x; pass u= (e.g. the u of a plain fit) to "
                        f"differentiate in x")
    if s and t is None:
        raise TypeError(f"chainrule.scipy.interpolate.{who}: with s > 0 FITPACK chooses the "
                        f"smoothing (and the knots) from x; use s=0 (interpolation) with u=")


def _stacked_columns(x):
    """The coordinates as the columns of an (m, ndim) array (traced where any is)."""
    cols = [cnp.asarray(v) if isinstance(v, Tracer) else np.asarray(v, dtype=np.float64)
            for v in x]
    return data_array(cnp.stack(cols, axis=1))


@export("splprep", namespace=INTERPOLATE)
def splprep(x, w=None, u=None, ub=None, ue=None, k=3, task=0, s=None, t=None, full_output=0,
            nest=None, per=0, quiet=1):
    """``scipy.interpolate.splprep``: the parametric spline ([t, [c₁, …], k], u) through the
    points x (a list of coordinate arrays). With u given and s=0 (or given knots, task=-1)
    each coordinate's coefficients are a linear map of it, differentiated exactly; otherwise
    the parameterisation and knots come from x: values SciPy's, a derivative in x raises.

    >>> import numpy as np, chainrule as cr
    >>> u = np.linspace(0.0, 1.0, 8)
    >>> tck, _ = splprep([np.cos(u), np.sin(u)], u=u, s=0)
    >>> [round(float(v), 4) for v in splev(0.5, tck)]       # (cos 0.5, sin 0.5)
    [0.8776, 0.4794]
    >>> f = lambda y: splev(0.5, splprep([np.cos(u), y], u=u, s=0)[0])[1]
    >>> round(float(f(np.sin(u))), 4), cr.grad(f)(np.sin(u)).shape
    (0.4794, (8,))
    """
    si = _si()
    args = dict(w=w, u=u, ub=ub, ue=ue, k=k, task=task, s=s, t=t, nest=nest, per=per,
                quiet=quiet)
    if not _coordinates_traced(x):
        return si.splprep(x, full_output=full_output, **args)
    _parametric_refusal("splprep", u, 0.0 if task == -1 else (s or 0.0), t)
    if full_output:
        raise NotImplementedError("chainrule.scipy.interpolate.splprep: full_output with "
                                  "traced x")
    u = plain_knots(u, "splprep", "u")
    args["u"] = u
    data = _stacked_columns(x)
    m = shape(data)[0]
    (knots, _, kk), _ = si.splprep([np.zeros(m)], **args)

    def one(col):
        (tt, cc, _), _ = si.splprep([col], **args)
        if not np.array_equal(tt, knots):
            raise RuntimeError("splprep: the knots changed with x; pass t= (task=-1)")
        return cc[0]

    def build(v):
        return _columns(one, v)
    c = from_build(data, build, build, "splprep")
    return [knots.copy(), [c[:, j] for j in range(shape(c)[1])], kk], u.copy()


@export("make_splprep", namespace=INTERPOLATE)
def make_splprep(x, *, w=None, u=None, ub=None, ue=None, k=3, s=0, t=None, nest=None):
    """``scipy.interpolate.make_splprep``: the parametric spline as a BSpline with
    coefficients (n, ndim), and u. With u given and s=0 it is linear in the points x,
    differentiated exactly; otherwise a derivative in x raises (pass u=).

    >>> import numpy as np, chainrule as cr
    >>> u = np.linspace(0.0, 1.0, 8)
    >>> spl, _ = make_splprep([np.cos(u), np.sin(u)], u=u)
    >>> np.round(spl(0.5), 4)                                # (cos 0.5, sin 0.5)
    array([0.8776, 0.4794])
    """
    si = _si()
    args = dict(w=w, u=u, ub=ub, ue=ue, k=k, s=s, t=t, nest=nest)
    if not _coordinates_traced(x):
        ref, uu = si.make_splprep(x, **args)
        return BSpline.construct_fast(ref.t.copy(), ref.c.copy(), ref.k, ref.extrapolate,
                                      ref.axis), uu
    _parametric_refusal("make_splprep", u, s, None)
    u = plain_knots(u, "make_splprep", "u")
    args["u"] = u
    data = _stacked_columns(x)
    m = shape(data)[0]
    ref, _ = si.make_splprep([np.zeros(m)], **args)

    def one(col):
        b, _ = si.make_splprep([col], **args)
        if not np.array_equal(b.t, ref.t):
            raise RuntimeError("make_splprep: the knots changed with x; pass u=")
        return b.c[:, 0]

    def build(v):
        return _columns(one, v)
    c = from_build(data, build, build, "make_splprep")
    return BSpline.construct_fast(ref.t.copy(), c, ref.k, ref.extrapolate, ref.axis), u.copy()
