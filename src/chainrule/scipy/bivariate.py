"""``scipy.interpolate``'s bivariate FITPACK splines: bisplrep/bisplev, RectBivariateSpline,
LSQBivariateSpline, SmoothBivariateSpline and the sphere splines (LSQ, Smooth, Rect).

A bivariate spline is a tensor product, s(x, y) = Σᵢⱼ cᵢⱼ Bᵢ(x) Bⱼ(y). On plain arguments the
values are SciPy's (FITPACK's bispev/parder). With anything traced chainrule evaluates the
same sum as two one-dimensional B-spline evaluations (the x-direction with the coefficient
matrix as a vector-valued spline, then the y-direction), equal to FITPACK's to rounding and
differentiable in the coefficients and the points to every order; as FITPACK, points outside
the knot rectangle take the boundary's value (a zero derivative there).

The fits are linear in the data z for fixed knots: RectBivariateSpline and
RectSphereBivariateSpline with s=0 (interpolation on the grid), LSQBivariateSpline and
LSQSphereBivariateSpline (given knots), bisplrep with task=-1 (given knots). The smoothing
fits choose their knots and smoothing from z: their values are SciPy's, a derivative in z
raises (fix the knots: the LSQ class with the smoothing fit's knots).

>>> import numpy as np, chainrule as cr
>>> x, y = np.linspace(0.0, 1.0, 5), np.linspace(0.0, 2.0, 6)
>>> s = RectBivariateSpline(x, y, np.add.outer(x, 2 * y), kx=1, ky=1)
>>> float(s(0.3, 0.5)[0, 0]), cr.grad(lambda p: s.ev(p[0], p[1]))(np.array([0.3, 0.5]))
(1.3, array([1., 2.]))
"""

import numpy as np

from .. import numpy as cnp
from ..core.primitive import Tracer
from ..core.registry import INTERPOLATE
from ..primitives.declare import export
from ..primitives.splines import SplineForm, spline_eval
from ..primitives.util import shape, ndim, dtype
from .splines import plain_knots, data_array, as_points, from_build
from .bsplines import BSpline, _columns
from .spline_transpose import interp_spline_transpose

__all__ = ["tensor_spline"]


def _si():
    import scipy.interpolate
    return scipy.interpolate


def _traced(*values):
    return any(isinstance(v, Tracer) for v in values)


def tensor_spline(tx, ty, c, kx, ky, x, y, dx=0, dy=0, grid=True):
    """Σᵢⱼ cᵢⱼ Bᵢ⁽ᵈˣ⁾(x) Bⱼ⁽ᵈʸ⁾(y), FITPACK's bivariate spline, in chainrule operations: on
    the grid x × y (shape (len(x), len(y))), or at the pairs (x[k], y[k]) (grid=False, x and
    y broadcast). Points are clipped to the knot rectangle, as FITPACK does."""
    nx, ny = len(tx) - kx - 1, len(ty) - ky - 1
    c = cnp.reshape(data_array(c)[:nx * ny], (nx, ny))
    x, y = as_points(x, "bisplev"), as_points(y, "bisplev")
    x = cnp.clip(x, tx[kx], tx[nx])
    y = cnp.clip(y, ty[ky], ty[ny])
    fx = SplineForm("bspline", tx, kx, True)
    fy = SplineForm("bspline", ty, ky, True)
    if grid:
        along_x = spline_eval(c, cnp.ravel(x), form=fx, nu=int(dx), base=int(dx))   # (mx, ny)
        both = spline_eval(cnp.transpose(along_x), cnp.ravel(y), form=fy, nu=int(dy),
                           base=int(dy))                                           # (my, mx)
        return cnp.transpose(both)
    x, y = cnp.broadcast_arrays(x, y)
    out_shape = shape(x)
    x, y = cnp.ravel(x), cnp.ravel(y)
    along_x = spline_eval(c, x, form=fx, nu=int(dx), base=int(dx))                 # (m, ny)
    # each point its own y-coefficients: the pairs are the diagonal of the (m, m) grid
    both = spline_eval(cnp.transpose(along_x), y, form=fy, nu=int(dy), base=int(dy))
    return cnp.reshape(cnp.diagonal(both), out_shape)


def _checked_knots(ref_knots, got):
    for a, b in zip(ref_knots, got):
        if not np.array_equal(a, b):
            raise RuntimeError("the knots changed with the data; fix them (the LSQ fit)")


class _Bivariate:
    """The shared evaluation: ``tck`` (tx, ty, c), ``degrees`` (kx, ky); SciPy's object
    ``_ref`` answers plain calls."""

    _x_name, _y_name = "x", "y"

    def _set(self, ref, c):
        self._ref = ref
        tx, ty = ref.tck[:2]
        self.tck = (np.asarray(tx).copy(), np.asarray(ty).copy(), c)
        self.degrees = tuple(ref.degrees)
        return self

    def _plain(self):
        return not _traced(self.tck[2])

    def __call__(self, x, y, dx=0, dy=0, grid=True):
        """The spline (or its partial derivative of orders dx, dy) on the grid x × y, or at
        the pairs (x[k], y[k]) with grid=False, as SciPy's."""
        if self._plain() and not _traced(x, y):
            return self._ref(x, y, dx, dy, grid=grid)
        tx, ty, c = self.tck
        kx, ky = self.degrees
        if grid:
            for v, name in ((x, self._x_name), (y, self._y_name)):
                if not isinstance(v, Tracer) and np.size(v) >= 2 and not np.all(
                        np.diff(np.ravel(v)) >= 0.0):
                    raise ValueError(f"{name} must be strictly increasing when `grid` is True")
            x, y = cnp.ravel(x), cnp.ravel(y)
        return tensor_spline(tx, ty, c, kx, ky, x, y, dx, dy, grid)

    def ev(self, xi, yi, dx=0, dy=0):
        """The spline at the points (xi[k], yi[k]) (``__call__`` with grid=False)."""
        return self(xi, yi, dx, dy, grid=False)

    def integral(self, xa, xb, ya, yb):
        """∫∫ over [xa, xb] × [ya, yb] ∩ the knot rectangle (FITPACK's dblint for plain
        arguments; traced: the tensor product of the one-dimensional integrals)."""
        if self._plain() and not _traced(xa, xb, ya, yb):
            return self._ref.integral(xa, xb, ya, yb)
        tx, ty, c = self.tck
        kx, ky = self.degrees
        nx, ny = len(tx) - kx - 1, len(ty) - ky - 1
        cm = cnp.reshape(data_array(c)[:nx * ny], (nx, ny))
        along_x = BSpline.construct_fast(tx, cm, kx, False).integrate(xa, xb)      # (ny,)
        return BSpline.construct_fast(ty, along_x, ky, False).integrate(ya, yb)

    def get_knots(self):
        """The knots in x and in y, without the repeated ends (SciPy's)."""
        return self._ref.get_knots()

    def get_coeffs(self):
        """The coefficients (traced where the data are)."""
        return self.tck[2]

    def get_residual(self):
        """SciPy's weighted sum of squared residuals (plain data only)."""
        if not self._plain():
            raise NotImplementedError("chainrule.scipy.interpolate: get_residual() of traced "
                                      "data")
        return self._ref.get_residual()


@export("BivariateSpline", namespace=INTERPOLATE)
class BivariateSpline(_Bivariate):
    """``scipy.interpolate.BivariateSpline``: the base of the bivariate splines (Rect, LSQ,
    Smooth); ``BivariateSpline._from_tck([tx, ty, c, kx, ky])`` makes one from its knots and
    coefficients, as SciPy's, differentiable in c and the points.

    >>> import numpy as np, chainrule as cr
    >>> t = np.array([0.0, 0.0, 1.0, 1.0])
    >>> s = BivariateSpline._from_tck([t, t, np.array([0.0, 1.0, 2.0, 3.0]), 1, 1])
    >>> float(s.ev(0.5, 0.25)), cr.grad(lambda c: s._from_tck([t, t, c, 1, 1]).ev(0.5, 0.25))(
    ...     np.zeros(4))
    (1.25, array([0.375, 0.125, 0.375, 0.125]))
    """

    @classmethod
    def _from_tck(cls, tck):
        tx, ty, c, kx, ky = tck
        tx, ty = plain_knots(tx, "BivariateSpline", "tx"), plain_knots(ty, "BivariateSpline",
                                                                        "ty")
        plain = np.asarray(c) if not _traced(c) else np.zeros(shape(c))
        ref = _si().BivariateSpline._from_tck([tx, ty, plain, kx, ky])
        self = object.__new__(cls)
        return self._set(ref, c if _traced(c) else plain)


def _linear_fit(who, data, fit, transposer=None):
    """Coefficients of a fit linear in the data (1-D, or flattened): SciPy's, its
    derivative SciPy's fit of the tangent; knots checked unchanged. ``transposer`` (given the
    fit of zeros) makes g ↦ Mᵀ·g without M."""
    ref = fit(np.zeros(shape(data)))
    if dtype(data).kind == "c":
        raise TypeError(f"{who}: the data must be real (FITPACK)")
    knots = ref.tck[:2]
    flat_shape = shape(data)

    def build(v):
        def one(col):
            got = fit(np.reshape(col, flat_shape))
            _checked_knots(knots, got.tck[:2])
            return got.tck[2]
        return _columns(one, v)

    flat = cnp.ravel(data_array(data))
    n = int(np.prod(flat_shape))

    def build_flat(v):
        v = np.asarray(v)
        return build(v.reshape((n,) + v.shape[1:]))
    make = None if transposer is None else (lambda: transposer(ref))
    return ref, from_build(flat, build_flat, build_flat, who, make)


def _grid_transposer(x, y, kx, ky):
    """Mᵀ for the interpolating spline on a grid (s=0): the coefficients are the 1-D
    interpolations along x then y (C = Mx·Z·Myᵀ, the tensor product is unique), so Mᵀ is the
    two transposed collocation solves; None where the knots are not the interpolating ones."""
    def make(ref):
        tx, ty = ref.tck[:2]
        nx, ny = len(x), len(y)
        if len(tx) - kx - 1 != nx or len(ty) - ky - 1 != ny:
            return None
        sx = interp_spline_transpose(x, tx, kx, None)
        sy = interp_spline_transpose(y, ty, ky, None)
        if sx is None or sy is None:
            return None

        def transpose(g):
            g = np.asarray(g)
            extra = g.shape[1:]
            grid = g[:nx * ny].reshape((nx, ny, -1))
            along_x = sx(grid.reshape(nx, -1)).reshape(nx, ny, -1)
            along_y = sy(np.moveaxis(along_x, 1, 0).reshape(ny, -1)).reshape(ny, nx, -1)
            return np.moveaxis(along_y, 0, 1).reshape((nx * ny,) + extra)
        return transpose
    return make


def _refuse_smoothing(who, fix):
    raise TypeError(f"chainrule.scipy.interpolate.{who}: the smoothing fit chooses its knots "
                    f"and smoothing from the data, so it is not a linear map of them and "
                    f"chainrule refuses its derivative in them; {fix}")


@export("RectBivariateSpline", namespace=INTERPOLATE)
class RectBivariateSpline(BivariateSpline):
    """``scipy.interpolate.RectBivariateSpline``: the spline on a rectangular grid. With s=0
    (interpolation) it is linear in z, differentiated exactly; in the points always.

    >>> import numpy as np, chainrule as cr
    >>> x, y = np.linspace(0.0, 1.0, 5), np.linspace(0.0, 1.0, 5)
    >>> f = lambda z: RectBivariateSpline(x, y, z).ev(0.5, 0.75)
    >>> np.round(cr.grad(f)(np.zeros((5, 5))), 12)[2] + 0.0
    array([0., 0., 0., 1., 0.])
    """

    def __init__(self, x, y, z, bbox=[None] * 4, kx=3, ky=3, s=0, maxit=20):
        si = _si()
        x = plain_knots(x, "RectBivariateSpline")
        y = plain_knots(y, "RectBivariateSpline", "y")

        def fit(v):
            return si.RectBivariateSpline(x, y, v, bbox, kx, ky, s, maxit)
        if not _traced(z):
            ref = fit(z)
            self._set(ref, ref.tck[2])
            return
        if s:
            _refuse_smoothing("RectBivariateSpline", "use s=0 or LSQBivariateSpline on fixed "
                                                     "knots")
        self._set(*_linear_fit("RectBivariateSpline", z, fit, _grid_transposer(x, y, kx, ky)))


@export("LSQBivariateSpline", namespace=INTERPOLATE)
class LSQBivariateSpline(BivariateSpline):
    """``scipy.interpolate.LSQBivariateSpline``: the least-squares surface on the interior
    knots tx, ty — linear in z (SciPy's fit, differentiated as one) and in the points.

    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> x, y = rng.uniform(0, 1, 60), rng.uniform(0, 1, 60)
    >>> s = LSQBivariateSpline(x, y, x + y, [0.5], [0.5], kx=1, ky=1)
    >>> round(float(s.ev(0.3, 0.4)), 10)
    0.7
    """

    def __init__(self, x, y, z, tx, ty, w=None, bbox=[None] * 4, kx=3, ky=3, eps=None):
        si = _si()
        x = plain_knots(x, "LSQBivariateSpline")
        y = plain_knots(y, "LSQBivariateSpline", "y")

        def fit(v):
            return si.LSQBivariateSpline(x, y, v, tx, ty, w, bbox, kx, ky, eps)
        if not _traced(z):
            ref = fit(z)
            self._set(ref, ref.tck[2])
            return
        self._set(*_linear_fit("LSQBivariateSpline", z, fit))


@export("SmoothBivariateSpline", namespace=INTERPOLATE)
class SmoothBivariateSpline(BivariateSpline):
    """``scipy.interpolate.SmoothBivariateSpline``: FITPACK's smoothing surface of scattered
    data — SciPy's values and derivatives in the points; a derivative in z raises (the knots
    and smoothing depend on z: use LSQBivariateSpline with these knots).

    >>> import numpy as np, chainrule as cr
    >>> rng = np.random.default_rng(0)
    >>> x, y = rng.uniform(0, 1, 60), rng.uniform(0, 1, 60)
    >>> s = SmoothBivariateSpline(x, y, x + 2 * y, kx=1, ky=1)
    >>> np.round(cr.grad(lambda p: s.ev(p[0], p[1]))(np.array([0.3, 0.4])), 6)
    array([1., 2.])
    """

    def __init__(self, x, y, z, w=None, bbox=[None] * 4, kx=3, ky=3, s=None, eps=1e-16):
        if _traced(z):
            _refuse_smoothing("SmoothBivariateSpline",
                              "use LSQBivariateSpline(x, y, z, *smooth.get_knots()-interior) "
                              "on the knots of a plain fit")
        x = plain_knots(x, "SmoothBivariateSpline")
        y = plain_knots(y, "SmoothBivariateSpline", "y")
        ref = _si().SmoothBivariateSpline(x, y, z, w, bbox, kx, ky, s, eps)
        self._set(ref, ref.tck[2])


class _Sphere(_Bivariate):
    _x_name, _y_name = "theta", "phi"

    def __call__(self, theta, phi, dtheta=0, dphi=0, grid=True):
        """The spline (or its partial derivative) at (theta, phi), as SciPy's."""
        if self._plain() and not _traced(theta, phi):
            return self._ref(theta, phi, dtheta, dphi, grid=grid)
        if not isinstance(theta, Tracer):
            t = np.asarray(theta)
            if t.size > 0 and (t.min() < 0.0 or t.max() > np.pi):
                raise ValueError("requested theta out of bounds.")
        return _Bivariate.__call__(self, theta, phi, dtheta, dphi, grid)

    def ev(self, theta, phi, dtheta=0, dphi=0):
        """The spline at the points (theta[k], phi[k])."""
        return self(theta, phi, dtheta, dphi, grid=False)


@export("LSQSphereBivariateSpline", namespace=INTERPOLATE)
class LSQSphereBivariateSpline(_Sphere):
    """``scipy.interpolate.LSQSphereBivariateSpline``: the least-squares spline on the sphere
    with given knots tt, tp — linear in r, differentiated exactly; and in the points.

    >>> import numpy as np
    >>> theta = np.linspace(0.1, 3.0, 9)
    >>> phi = np.linspace(0.1, 6.1, 11)
    >>> th, ph = [a.ravel() for a in np.meshgrid(theta, phi, indexing="ij")]
    >>> s = LSQSphereBivariateSpline(th, ph, np.ones(th.size), [1.0, 2.0], [2.0, 4.0])
    >>> round(float(s.ev(1.2, 3.0)), 8)
    1.0
    """

    def __init__(self, theta, phi, r, tt, tp, w=None, eps=1e-16):
        si = _si()
        theta = plain_knots(theta, "LSQSphereBivariateSpline", "theta")
        phi = plain_knots(phi, "LSQSphereBivariateSpline", "phi")

        def fit(v):
            return si.LSQSphereBivariateSpline(theta, phi, v, tt, tp, w, eps)
        if not _traced(r):
            ref = fit(r)
            self._set(ref, ref.tck[2])
            return
        self._set(*_linear_fit("LSQSphereBivariateSpline", r, fit))


@export("SmoothSphereBivariateSpline", namespace=INTERPOLATE)
class SmoothSphereBivariateSpline(_Sphere):
    """``scipy.interpolate.SmoothSphereBivariateSpline``: FITPACK's smoothing spline on the
    sphere — SciPy's values, differentiable in the points; a derivative in r raises (use
    LSQSphereBivariateSpline on fixed knots).

    >>> import numpy as np
    >>> theta = np.linspace(0.1, 3.0, 9)
    >>> phi = np.linspace(0.1, 6.1, 11)
    >>> th, ph = [a.ravel() for a in np.meshgrid(theta, phi, indexing="ij")]
    >>> s = SmoothSphereBivariateSpline(th, ph, np.ones(th.size), s=1.0)
    >>> round(float(s.ev(1.2, 3.0)), 6)
    1.0
    """

    def __init__(self, theta, phi, r, w=None, s=0.0, eps=1e-16):
        if _traced(r):
            _refuse_smoothing("SmoothSphereBivariateSpline",
                              "use LSQSphereBivariateSpline on the knots of a plain fit")
        theta = plain_knots(theta, "SmoothSphereBivariateSpline", "theta")
        phi = plain_knots(phi, "SmoothSphereBivariateSpline", "phi")
        ref = _si().SmoothSphereBivariateSpline(theta, phi, r, w, s, eps)
        self._set(ref, ref.tck[2])


@export("RectSphereBivariateSpline", namespace=INTERPOLATE)
class RectSphereBivariateSpline(_Sphere):
    """``scipy.interpolate.RectSphereBivariateSpline``: the spline on a latitude-longitude
    grid. With s=0 and no pole_values given it is linear in r (differentiated exactly);
    otherwise a derivative in r raises. Differentiable in the points.

    >>> import numpy as np
    >>> lats = np.linspace(10, 170, 9) * np.pi / 180
    >>> lons = np.linspace(0, 350, 18) * np.pi / 180
    >>> s = RectSphereBivariateSpline(lats, lons, np.full((9, 18), 2.0))
    >>> round(float(s.ev(1.0, 2.0)), 8)
    2.0
    """

    def __init__(self, u, v, r, s=0.0, pole_continuity=False, pole_values=None,
                 pole_exact=False, pole_flat=False):
        si = _si()
        u = plain_knots(u, "RectSphereBivariateSpline", "u")
        v = plain_knots(v, "RectSphereBivariateSpline", "v")

        def fit(values):
            return si.RectSphereBivariateSpline(u, v, values, s, pole_continuity, pole_values,
                                                pole_exact, pole_flat)
        if not _traced(r):
            ref = fit(r)
            self._set(ref, ref.tck[2])
            return
        if s or pole_values is not None:
            _refuse_smoothing("RectSphereBivariateSpline",
                              "use s=0 without pole_values (then the fit is linear in r)")
        self._set(*_linear_fit("RectSphereBivariateSpline", r, fit))

    def __call__(self, theta, phi, dtheta=0, dphi=0, grid=True):
        """The spline at (theta, phi); phi in [0, 2π] as SciPy's."""
        if not isinstance(phi, Tracer):
            p = np.asarray(phi)
            if p.size > 0 and (p.min() < 0.0 or p.max() > 2.0 * np.pi):
                raise ValueError("requested phi out of bounds.")
        return _Sphere.__call__(self, theta, phi, dtheta, dphi, grid)


@export("bisplev", namespace=INTERPOLATE)
def bisplev(x, y, tck, dx=0, dy=0):
    """``scipy.interpolate.bisplev``: the bivariate spline tck = [tx, ty, c, kx, ky] (or its
    partial derivative) on the grid x × y, squeezed as SciPy's; differentiable in c, x, y.

    >>> import numpy as np, chainrule as cr
    >>> x, y = np.repeat(np.arange(4.0), 4), np.tile(np.arange(4.0), 4)
    >>> tck = bisplrep(x, y, x * y, kx=1, ky=1, s=0)
    >>> round(float(bisplev(1.5, 2.5, tck)), 12)
    3.75
    >>> round(float(cr.grad(lambda p: bisplev(p, 2.5, tck))(1.5)), 12)
    2.5
    """
    tx, ty, c, kx, ky = tck
    if not (0 <= dx < kx):
        raise ValueError(f"0 <= dx = {dx} < kx = {kx} must hold")
    if not (0 <= dy < ky):
        raise ValueError(f"0 <= dy = {dy} < ky = {ky} must hold")
    if not _traced(x, y, c):
        return _si().bisplev(x, y, tck, dx, dy)
    tx = plain_knots(tx, "bisplev", "tx")
    ty = plain_knots(ty, "bisplev", "ty")
    x = cnp.atleast_1d(x) if isinstance(x, Tracer) else np.atleast_1d(x)
    y = cnp.atleast_1d(y) if isinstance(y, Tracer) else np.atleast_1d(y)
    if ndim(x) != 1 or ndim(y) != 1:
        raise ValueError("First two entries should be rank-1 arrays.")
    z = tensor_spline(tx, ty, c, int(kx), int(ky), x, y, dx, dy, grid=True)
    if shape(z)[0] > 1:
        return z
    if shape(z)[1] > 1:
        return z[0]
    return z[0, 0]


@export("bisplrep", namespace=INTERPOLATE)
def bisplrep(x, y, z, w=None, xb=None, xe=None, yb=None, ye=None, kx=3, ky=3, task=0,
             s=None, eps=1e-16, tx=None, ty=None, full_output=0, nxest=None, nyest=None,
             quiet=1):
    """``scipy.interpolate.bisplrep``: FITPACK's surface fit [tx, ty, c, kx, ky]. With
    task=-1 (given knots tx, ty: least squares) c is linear in z, differentiated exactly;
    otherwise FITPACK chooses the knots from z: values SciPy's, a derivative in z raises.

    >>> import numpy as np, chainrule as cr
    >>> x, y = np.repeat(np.arange(4.0), 4), np.tile(np.arange(4.0), 4)
    >>> knots = [0.0, 0.0, 1.5, 3.0, 3.0]
    >>> f = lambda z: bisplev(1.0, 1.0, bisplrep(x, y, z, kx=1, ky=1, task=-1, tx=knots,
    ...                                          ty=knots))
    >>> round(float(f(x + y)), 12)
    2.0
    """
    si = _si()
    args = dict(w=w, xb=xb, xe=xe, yb=yb, ye=ye, kx=kx, ky=ky, task=task, s=s, eps=eps, tx=tx,
                ty=ty, nxest=nxest, nyest=nyest, quiet=quiet)
    if not _traced(x, y, z):
        return si.bisplrep(x, y, z, full_output=full_output, **args)
    x = plain_knots(x, "bisplrep")
    y = plain_knots(y, "bisplrep", "y")
    if task != -1:
        _refuse_smoothing("bisplrep", "pass task=-1 with the knots tx, ty (e.g. a plain fit's)")
    if full_output:
        raise NotImplementedError("chainrule.scipy.interpolate.bisplrep: full_output with "
                                  "traced z")

    class _Fit:
        def __init__(self, v):
            out = si.bisplrep(x, y, v, **args)
            self.tck = (out[0], out[1], out[2])

    ref, c = _linear_fit("bisplrep", z, _Fit)
    return [ref.tck[0].copy(), ref.tck[1].copy(), c, kx, ky]
