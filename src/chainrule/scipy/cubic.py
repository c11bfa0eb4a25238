"""``scipy.interpolate``'s cubic interpolators: CubicSpline (SciPy's build, linear in y),
CubicHermiteSpline, PchipInterpolator and Akima1DInterpolator (SciPy's slope formulas written
with chainrule operations, so their nonlinear dependence on y is differentiated too).

>>> import numpy as np, chainrule as cr
>>> x = np.arange(5.0)
>>> float(PchipInterpolator(x, 2 * x)(2.5))          # a line stays a line
5.0
>>> cr.grad(lambda y: CubicSpline(x, y)(2.0))(np.zeros(5))
array([0., 0., 1., 0., 0.])
"""

import numpy as np

from .. import numpy as cnp
from ..core.primitive import Tracer
from ..core.registry import INTERPOLATE
from ..primitives.declare import export
from ..primitives.util import shape, ndim, dtype
from .splines import PPoly, plain_knots, data_array, from_build
from .spline_transpose import cubic_spline_transpose

__all__ = []


def _si():
    import scipy.interpolate
    return scipy.interpolate


def _stand_in(y, dt=None):
    return np.zeros(shape(y), dtype=dtype(y) if dt is None else dt)


def _prepared(x, y, axis, who, real_only=False):
    """SciPy's prepare_input (its checks run on a stand-in of y's shape): x as float64,
    y as float64/complex128 with the interpolation axis first."""
    x = plain_knots(x, who)
    if not isinstance(y, Tracer):
        y = np.asarray(y)
    _si().CubicHermiteSpline(x, _stand_in(y), _stand_in(y), axis=axis)
    if real_only and dtype(y).kind == "c":
        raise ValueError(f"`{who}` only works with real values for `y`. If you are trying to "
                         f"use the real components of the passed array, use `np.real` on the "
                         f"array before passing to `{who}`.")
    axis = axis % ndim(y)
    y = data_array(y)
    return np.asarray(x, dtype=np.float64), cnp.moveaxis(y, axis, 0), axis


def hermite_coefficients(x, y, dydx):
    """CubicHermiteSpline's c, in SciPy's arithmetic (y and dydx with the axis first)."""
    dx = np.diff(x)
    dxr = np.reshape(dx, (dx.shape[0],) + (1,) * (ndim(y) - 1))
    slope = cnp.diff(y, axis=0) / dxr
    t = (dydx[:-1] + dydx[1:] - 2 * slope) / dxr
    return cnp.stack((t / dxr, (slope - dydx[:-1]) / dxr - t, dydx[:-1], y[:-1]))


def _hermite(self, x, y, dydx, axis, extrapolate):
    c = hermite_coefficients(x, y, dydx)
    self._set(c, x, True if extrapolate is None else extrapolate, axis)


@export("CubicHermiteSpline", namespace=INTERPOLATE)
class CubicHermiteSpline(PPoly):
    """``scipy.interpolate.CubicHermiteSpline``: values y and slopes dydx at x,
    differentiable in both and in the evaluation points.

    >>> import numpy as np, chainrule as cr
    >>> x = np.array([0.0, 1.0])
    >>> float(CubicHermiteSpline(x, np.array([0.0, 1.0]), np.array([0.0, 0.0]))(0.5))
    0.5
    >>> cr.grad(lambda d: CubicHermiteSpline(x, np.zeros(2), d)(0.5))(np.zeros(2))
    array([ 0.125, -0.125])
    """

    def __init__(self, x, y, dydx, axis=0, extrapolate=None):
        if shape(y) != shape(dydx):
            raise ValueError("The shapes of `y` and `dydx` must be identical.")
        complex_data = dtype(y).kind == "c" or dtype(dydx).kind == "c"
        x, y, axis = _prepared(x, y, axis, "CubicHermiteSpline")
        dydx = cnp.moveaxis(data_array(dydx, complex_data), axis, 0)
        y = data_array(y, complex_data)
        _hermite(self, x, y, dydx, axis, extrapolate)


def _homogeneous(bc_type, trail):
    """The boundary conditions with zero values: those of a derivative (tangent) build."""
    if isinstance(bc_type, str):
        return bc_type
    return tuple(bc if isinstance(bc, str) else (bc[0], np.zeros(trail)) for bc in bc_type)


@export("CubicSpline", namespace=INTERPOLATE)
class CubicSpline(PPoly):
    """``scipy.interpolate.CubicSpline``: SciPy's spline, differentiable in y (it is linear
    in y: the derivative is the spline of the tangent, the gradient the transposed build)
    and in the evaluation points, to any order; x is a constant. bc_type values (clamped
    slopes) are constants. With bc_type='periodic' y[0] and y[-1] are one value: a
    derivative direction moving them apart is taken at their mean.

    >>> import numpy as np, chainrule as cr
    >>> x = np.linspace(0.0, 2.0, 5)
    >>> cs = CubicSpline(x, np.sin(x))
    >>> round(float(cs(1.0, 1)), 4), round(float(cr.grad(lambda t: cs(t))(1.0)), 4)
    (0.5392, 0.5392)
    """

    def __init__(self, x, y, axis=0, bc_type="not-a-knot", extrapolate=None):
        x = plain_knots(x, "CubicSpline")
        si = _si()
        if not isinstance(y, Tracer):
            ref = si.CubicSpline(x, y, axis=axis, bc_type=bc_type, extrapolate=extrapolate)
            self._set(ref.c.copy(), ref.x.copy(), ref.extrapolate, ref.axis)
            return
        ref = si.CubicSpline(x, _stand_in(y), axis=axis, bc_type=bc_type,
                             extrapolate=extrapolate)
        y = cnp.moveaxis(data_array(y, ref.c.dtype.kind == "c"), ref.axis, 0)
        x, ext, periodic = ref.x.copy(), ref.extrapolate, bc_type == "periodic"

        def build(v):
            return si.CubicSpline(x, v, axis=0, bc_type=bc_type, extrapolate=ext).c

        def linear(v):
            if periodic:   # the tangent keeps y[0] == y[-1]: their mean
                v = np.array(v, copy=True)
                v[0] = v[-1] = (v[0] + v[-1]) / 2
            bc = _homogeneous(bc_type, v.shape[1:])
            return si.CubicSpline(x, v, axis=0, bc_type=bc, extrapolate=ext).c

        self._set(from_build(y, build, linear, "CubicSpline",
                             lambda: cubic_spline_transpose(x, bc_type)), x, ext, ref.axis)


def _edge_case(h0, h1, m0, m1):
    d = ((2 * h0 + h1) * m0 - h0 * m1) / (h0 + h1)
    mask = cnp.sign(d) != cnp.sign(m0)
    mask2 = (cnp.sign(m0) != cnp.sign(m1)) & (cnp.abs(d) > 3. * cnp.abs(m0))
    mmm = (~mask) & mask2
    return cnp.where(mask, 0., cnp.where(mmm, 3. * m0, d))


def pchip_slopes(x, y):
    """PchipInterpolator's slopes (SciPy's _find_derivatives), y with the axis first."""
    xv = np.reshape(x, (x.shape[0],) + (1,) * (ndim(y) - 1))
    hk = xv[1:] - xv[:-1]
    mk = (y[1:] - y[:-1]) / hk
    if shape(y)[0] == 2:
        return cnp.concatenate([mk, mk])
    smk = cnp.sign(mk)
    condition = (smk[1:] != smk[:-1]) | (mk[1:] == 0) | (mk[:-1] == 0)
    w1 = 2 * hk[1:] + hk[:-1]
    w2 = hk[1:] + 2 * hk[:-1]
    safe = cnp.where(mk == 0, 1.0, mk)     # masked by condition: no inf in the rules
    whmean = (w1 / safe[:-1] + w2 / safe[1:]) / (w1 + w2)
    inner = cnp.where(condition, 0.0, 1.0 / cnp.where(condition, 1.0, whmean))
    first = _edge_case(hk[0], hk[1], mk[0], mk[1])
    last = _edge_case(hk[-1], hk[-2], mk[-1], mk[-2])
    return cnp.concatenate([first[None], inner, last[None]])


@export("PchipInterpolator", namespace=INTERPOLATE)
class PchipInterpolator(PPoly):
    """``scipy.interpolate.PchipInterpolator``: the monotone cubic, differentiable in y
    through SciPy's slope formulas (piecewise smooth in y: where a slope switches branch —
    a sign change, a zero secant — the derivative is one-sided) and in the points.

    >>> import numpy as np, chainrule as cr
    >>> x = np.arange(4.0)
    >>> cr.grad(lambda y: PchipInterpolator(x, y)(1.5))(np.array([0.0, 1.0, 3.0, 4.0]))
    array([-0.11111111,  0.61111111,  0.61111111, -0.11111111])
    """

    def __init__(self, x, y, axis=0, extrapolate=None):
        x, y, axis = _prepared(x, y, axis, "PchipInterpolator", real_only=True)
        _hermite(self, x, y, pchip_slopes(x, y), axis, extrapolate)


@export("pchip_interpolate", namespace=INTERPOLATE)
def pchip_interpolate(xi, yi, x, der=0, axis=0):
    """``scipy.interpolate.pchip_interpolate``: PchipInterpolator(xi, yi, axis) at x
    (``der`` an order or a list of orders).

    >>> import numpy as np
    >>> float(pchip_interpolate(np.arange(3.0), np.array([0.0, 1.0, 4.0]), 1.0, der=0))
    1.0
    """
    p = PchipInterpolator(xi, yi, axis=axis)
    if np.ndim(der) == 0:
        return p(x) if der == 0 else p.derivative(der)(x)   # SciPy's route, SciPy's bits
    return [p.derivative(nu)(x) for nu in der]


def akima_slopes(x, y, method):
    """Akima1DInterpolator's slopes (SciPy's formulas), y with the axis first."""
    dx = np.diff(x)
    dx = np.reshape(dx, (dx.shape[0],) + (1,) * (ndim(y) - 1))
    mid = cnp.diff(y, axis=0) / dx
    if shape(y)[0] == 2:
        return cnp.concatenate([mid, mid])
    m1 = 2. * mid[0] - mid[1]
    m0 = 2. * m1 - mid[0]
    mr = 2. * mid[-1] - mid[-2]
    mrr = 2. * mr - mid[-1]
    m = cnp.concatenate([m0[None], m1[None], mid, mr[None], mrr[None]])
    t = .5 * (m[3:] + m[:-3])
    dm = cnp.abs(cnp.diff(m, axis=0))
    if method == "makima":
        pm = cnp.abs(m[1:] + m[:-1])
        f1, f2 = dm[2:] + 0.5 * pm[2:], dm[:-2] + 0.5 * pm[:-2]
    else:
        f1, f2 = dm[2:], dm[:-2]
    f12 = f1 + f2
    mmax = cnp.max(f12) if np.prod(shape(f12)) > 0 else -np.inf
    ind = f12 > 1.e-9 * mmax
    safe = cnp.where(ind, f12, 1.0)
    return cnp.where(ind, m[1:-2] + ((f2 / safe) * (m[2:-1] - m[1:-2])), t)


@export("Akima1DInterpolator", namespace=INTERPOLATE)
class Akima1DInterpolator(PPoly):
    """``scipy.interpolate.Akima1DInterpolator`` (method 'akima' or 'makima'),
    differentiable in y through SciPy's slope formulas (piecewise smooth in y) and in the
    points. As SciPy, it does not extrapolate unless asked.

    >>> import numpy as np
    >>> a = Akima1DInterpolator(np.arange(5.0), np.arange(5.0) ** 2)
    >>> float(a(2.5)), bool(np.isnan(a(5.5)))
    (6.25, True)
    """

    def __init__(self, x, y, axis=0, *, method="akima", extrapolate=None):
        if method not in {"akima", "makima"}:
            raise NotImplementedError(f"`method`={method} is unsupported.")
        x, y, axis = _prepared(x, y, axis, "Akima1DInterpolator", real_only=True)
        extrapolate = False if extrapolate is None else extrapolate
        _hermite(self, x, y, akima_slopes(x, y, method), axis, extrapolate)
