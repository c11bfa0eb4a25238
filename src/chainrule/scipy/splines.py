"""``scipy.interpolate``'s piecewise polynomials and splines, differentiable in the
evaluation points and in the data (y or the coefficients), to any order, in both modes,
under vmap and jit (docs/interpolate.md).

Values are SciPy's own: evaluation is SciPy's call (``spline_eval``), construction SciPy's
build (``linear_build``), so a spline of plain arrays gives SciPy's numbers to the bit.
Derivative, antiderivative and the B-spline/FITPACK coefficient formulas are written with
chainrule operations in SciPy's order of arithmetic. The knots (x, t) are constants:
differentiating in them raises.

>>> import numpy as np, chainrule as cr
>>> p = PPoly(np.array([[1.0, 1.0], [0.0, 2.0], [0.0, 1.0]]), np.array([0.0, 1.0, 2.0]))
>>> float(p(1.5)), float(cr.grad(lambda t: p(t))(1.5))
(2.25, 3.0)
"""

import numpy as np

from .. import numpy as cnp
from ..core.primitive import Tracer, concrete_value
from ..core.registry import INTERPOLATE
from ..primitives.declare import export
from ..primitives.splines import SplineForm, LinearBuild, spline_eval, linear_build
from ..primitives.util import shape, ndim, dtype

__all__ = ["PPoly", "plain_knots", "data_array", "as_points", "axis_moved", "from_build",
           "evaluate_poly1", "convert_basis"]


def _si():
    import scipy.interpolate
    return scipy.interpolate


def plain_knots(x, who, what="x", why=None):
    """x as a constant float array: a traced x (differentiated, or batched by vmap) raises
    (``why``: what the function is differentiable in, when not its data and points)."""
    v = x
    while isinstance(v, Tracer):
        if not v._trace.concrete_ok:
            why = why or ("the knots", "the spline is differentiable in its data and its "
                          "evaluation points")
            raise TypeError(
                f"chainrule.scipy.interpolate.{who}: derivatives in {why[0]} {what} are not "
                f"supported ({why[1]}); pass {what} as a constant array")
        v = concrete_value(v, "array")
    return np.asarray(v)


def data_array(y, complex_too=False):
    """y as float64 (complex128 when complex), as SciPy stores spline data."""
    if not isinstance(y, Tracer):
        y = np.asarray(y)
    want = np.complex128 if dtype(y).kind == "c" or complex_too else np.float64
    return y if dtype(y) == want else cnp.astype(y, want)


def as_points(t, who):
    """Evaluation points as float64 (SciPy's conversion); complex points raise instead of
    losing their imaginary part."""
    if not isinstance(t, Tracer):
        t = np.asarray(t)
    if dtype(t).kind == "c":
        raise TypeError(f"chainrule.scipy.interpolate.{who}: evaluation points must be real, "
                        f"not {dtype(t)}")
    return t if dtype(t) == np.float64 else cnp.astype(t, np.float64)


def axis_moved(out, t_ndim, axis):
    """SciPy's output axes: the points' axes where the interpolation axis was."""
    if axis == 0:
        return out
    order = list(range(ndim(out)))
    order = order[t_ndim:t_ndim + axis] + order[:t_ndim] + order[t_ndim + axis:]
    return cnp.transpose(out, order)


def from_build(y, build, linear, name, transposer=None):
    """Coefficients from data y (axis 0 first): SciPy's own for plain y, the linear-build
    primitive (derivatives M·ẏ, Mᵀ·ḡ) for traced y; ``transposer`` makes g ↦ Mᵀ·g without M
    (LinearBuild)."""
    if not isinstance(y, Tracer):
        return np.array(build(np.asarray(y)), copy=True)
    op = LinearBuild(build, linear, shape(y)[0], name, transposer)
    return linear_build(y, op=op, affine=True)


def evaluate_poly1(s, rows, dx):
    """SciPy's ``evaluate_poly1`` (``_ppoly.pyx``) on a list of coefficient rows (highest
    power first), in its order of arithmetic: derivative (dx > 0) or antiderivative
    (dx < 0) of one local polynomial at s."""
    res, z = 0.0, 1.0
    if dx < 0:
        for _ in range(-dx):
            z = z * s
    n = len(rows)
    for kp in range(n):
        if dx > 0 and kp < dx:
            continue
        prefactor = 1.0
        if dx > 0:
            for k in range(kp, kp - dx, -1):
                prefactor *= k
        elif dx < 0:
            for k in range(kp, kp - dx):
                prefactor /= k + 1
        res = res + rows[n - kp - 1] * z * prefactor
        if kp < n - 1 and kp >= dx:
            z = z * s
    return res


def _poch_factor(count, nu):
    from scipy.special import poch
    return poch(np.arange(count, 0, -1), nu)


def _column(v, nd):
    return np.reshape(v, np.shape(v) + (1,) * nd)


@export("PPoly", namespace=INTERPOLATE)
class PPoly:
    """``scipy.interpolate.PPoly``: a piecewise polynomial in the local power basis,
    differentiable in its coefficients c and its evaluation points (breakpoints x are
    constants).

    >>> import numpy as np, chainrule as cr
    >>> p = PPoly(np.array([[1.0, 1.0], [0.0, 1.0], [0.0, 1.0]]), np.array([0.0, 1.0, 2.0]))
    >>> p(np.array([0.5, 1.5]))
    array([0.25, 1.75])
    >>> cr.grad(lambda c: PPoly(c, np.array([0.0, 1.0, 2.0]))(0.5))(np.ones((3, 2)))
    array([[0.25, 0.  ],
           [0.5 , 0.  ],
           [1.  , 0.  ]])
    """

    _kind = "ppoly"

    def __init__(self, c, x, extrapolate=None, axis=0):
        x = plain_knots(x, type(self).__name__)
        c = data_array(c)
        # SciPy checks the shapes on a stand-in of c's shape and dtype
        ref = _si().PPoly(np.zeros(shape(c), dtype=dtype(c)), x, extrapolate, axis)
        if axis != 0:
            c = cnp.moveaxis(cnp.moveaxis(c, axis + 1, 0), axis + 1, 0)
        self._set(c, ref.x.copy(), ref.extrapolate, axis)

    def _set(self, c, x, extrapolate, axis):
        self.c, self.x, self.extrapolate, self.axis = c, x, extrapolate, axis
        return self

    @classmethod
    def construct_fast(cls, c, x, extrapolate=None, axis=0):
        """SciPy's constructor without checks (c already float64/complex128, axis first)."""
        self = object.__new__(PPoly)
        return self._set(c, np.asarray(x, dtype=np.float64),
                         True if extrapolate is None else extrapolate, axis)

    def _form(self, extrapolate):
        ext = self.extrapolate if extrapolate is None else extrapolate
        ext = ext if ext == "periodic" else bool(ext)
        return SplineForm("ppoly", self.x, shape(self.c)[0] - 1, ext)

    def __call__(self, x, nu=0, extrapolate=None):
        """The ``nu``-th derivative at the points x (SciPy's shape and axis order)."""
        t = as_points(x, type(self).__name__)
        out = spline_eval(self.c, t, form=self._form(extrapolate), nu=int(nu), base=int(nu))
        return axis_moved(out, ndim(t), self.axis)

    def derivative(self, nu=1):
        """The ``nu``-th derivative, a PPoly (SciPy's coefficient formula)."""
        if nu < 0:
            return self.antiderivative(-nu)
        c = self.c if nu == 0 else self.c[:-nu]
        if shape(c)[0] == 0:
            c = cnp.zeros((1,) + shape(c)[1:], dtype=dtype(c))
        factor = _column(_poch_factor(shape(c)[0], nu), ndim(c) - 1)
        return PPoly.construct_fast(c * factor, self.x, self.extrapolate, self.axis)

    def antiderivative(self, nu=1):
        """The ``nu``-th antiderivative, a PPoly that is zero at x[0] (SciPy's
        ``fix_continuity`` in its order of arithmetic)."""
        if nu <= 0:
            return self.derivative(-nu)
        k1 = shape(self.c)[0]
        top = self.c / _column(_poch_factor(k1, nu), ndim(self.c) - 1)
        h = np.diff(self.x)
        rows = [top[i] for i in range(k1)] + [cnp.zeros_like(top[0])] * nu
        if nu == 1:
            rows[-1] = _constants(rows[:-1], h)
        else:
            rows = _fix_continuity(rows, h, nu - 1)
        return PPoly.construct_fast(cnp.stack(rows), self.x, self.extrapolate, self.axis)

    @classmethod
    def from_spline(cls, tck, extrapolate=None):
        """SciPy's PPoly.from_spline of a BSpline or (t, c, k): linear in c (SciPy's
        conversion, differentiated as one)."""
        si = _si()
        t, c, k = (tck.t, tck.c, tck.k) if hasattr(tck, "t") and hasattr(tck, "k") else tck
        t = plain_knots(t, "PPoly.from_spline", "t")
        if not isinstance(c, Tracer):
            c = np.asarray(c)
            if c.dtype.kind == "c":    # SciPy would drop the imaginary part (ComplexWarning)
                re, im = (PPoly.from_spline((t, part, k), extrapolate) for part in (c.real,
                                                                                      c.imag))
                return PPoly.construct_fast(re.c + 1j * im.c, re.x, re.extrapolate)
            ref = si.PPoly.from_spline((t, c, k), extrapolate)
            return PPoly.construct_fast(ref.c.copy(), ref.x.copy(), ref.extrapolate)
        c = data_array(c)
        ref = si.PPoly.from_spline((t, np.zeros(shape(c)[:1]), k), extrapolate)

        def build(v):
            v = np.asarray(v)
            if v.dtype.kind == "c":     # FITPACK's evaluation is real: the parts in turn
                return build(v.real) + 1j * build(v.imag)
            flat = v.reshape(v.shape[0], -1)
            cols = [si.PPoly.from_spline((t, flat[:, j], k), extrapolate).c
                    for j in range(flat.shape[1])]
            return np.stack(cols, -1).reshape(ref.c.shape + v.shape[1:])
        return PPoly.construct_fast(from_build(c, build, build, "PPoly.from_spline"),
                                    ref.x.copy(), ref.extrapolate)

    @classmethod
    def from_bernstein_basis(cls, bp, extrapolate=None):
        """SciPy's PPoly.from_bernstein_basis of a BPoly: linear in its coefficients."""
        return PPoly.construct_fast(*_convert_basis(bp, "PPoly", "from_bernstein_basis",
                                                    "BPoly", extrapolate))

    def solve(self, y=0.0, discontinuity=True, extrapolate=None):
        """SciPy's real solutions of p(x) = y (1-D c only); with traced c or y they move by
        the implicit function theorem, ∂x/∂θ = −∂p/∂θ / p′(x), to every order (a double
        root, p′ = 0, is not differentiable: its derivative raises)."""
        from .implicit import solution_p
        si = _si()
        x, ext = self.x, self.extrapolate

        def plain_roots(c, yv):
            return si.PPoly.construct_fast(np.asarray(c), x, ext).solve(
                float(yv), discontinuity, extrapolate)
        if not any(isinstance(v, Tracer) for v in (self.c, y)):
            return plain_roots(self.c, y)
        if ndim(self.c) != 2:
            raise NotImplementedError("chainrule.scipy.interpolate.PPoly.solve: vector-valued "
                                      "coefficients (solve each component)")
        form = self._form(True)

        def solve(x0, c, yv):
            r = np.asarray(plain_roots(c, yv), dtype=np.float64)
            return r[np.isfinite(r)]

        def residual(r, x0, c, yv):
            return spline_eval(c, r, form=form, nu=0, base=0) - yv

        return solution_p(np.float64(0.0), self.c, cnp.asarray(y) + 0.0, solve=solve,
                          residual=residual)

    def roots(self, discontinuity=True, extrapolate=None):
        """SciPy's real roots (``solve(0)``), differentiable in c as ``solve``."""
        return self.solve(0.0, discontinuity, extrapolate)

    def integrate(self, a, b, extrapolate=None):
        """The definite integral from a to b (SciPy's value; differentiable in c, a, b)."""
        ext = self.extrapolate if extrapolate is None else extrapolate
        if not any(isinstance(v, Tracer) for v in (self.c, a, b)):
            return _si().PPoly.construct_fast(np.asarray(self.c), self.x, self.extrapolate,
                                              0).integrate(a, b, extrapolate)
        if ext == "periodic" or self.x[-1] < self.x[0]:
            raise NotImplementedError(
                "chainrule.scipy.interpolate: integrate() of traced data or bounds needs "
                "ascending breakpoints and extrapolate other than 'periodic'")
        a, b = as_points(a, "integrate"), as_points(b, "integrate")
        sign = cnp.where(b < a, -1.0, 1.0)
        lo, hi = cnp.minimum(a, b), cnp.maximum(a, b)
        return _integral(self.c, self.x, lo, hi, bool(ext)) * _column(sign, ndim(self.c) - 2)


def convert_basis(poly, target, method, source, extrapolate):
    """(c, x, extrapolate) of SciPy's ``target.method(poly)`` (PPoly ↔ BPoly): a linear map
    of poly.c, SciPy's conversion on plain coefficients, differentiated as one when traced."""
    return _convert_basis(poly, target, method, source, extrapolate)


def _convert_basis(poly, target, method, source, extrapolate):
    si = _si()
    convert = getattr(getattr(si, target), method)
    make = getattr(si, source).construct_fast
    x = np.asarray(poly.x)
    ext = poly.extrapolate if extrapolate is None else extrapolate
    if not isinstance(poly.c, Tracer):
        ref = convert(make(np.asarray(poly.c), x, poly.extrapolate), extrapolate)
        return ref.c.copy(), ref.x.copy(), ref.extrapolate
    c = poly.c
    lead = shape(c)[:2]
    ref = convert(make(np.zeros(lead), x, poly.extrapolate), extrapolate)
    flat = cnp.reshape(c, (lead[0] * lead[1],) + shape(c)[2:])

    def build(v):
        v = np.asarray(v)
        out = convert(make(v.reshape(lead + v.shape[1:]), x, poly.extrapolate), extrapolate).c
        return out
    out = from_build(flat, build, build, f"{target}.{method}")
    return out, ref.x.copy(), ext if ref.extrapolate is None else ref.extrapolate


def _constants(rows, h):
    """The constant row of the first antiderivative: C_i = C_{i-1} + (the rest of piece
    i−1 at its end), summed left to right as fix_continuity does: one cumulative sum over
    the interleaved terms is that same sequence of additions."""
    n = len(rows)
    m = len(h)
    if m == 1:
        return cnp.zeros_like(rows[0])
    s = _column(h[:-1], ndim(rows[0]) - 1)
    terms, z = [], 1.0
    for j in range(1, n + 1):
        z = z * s
        terms.append(rows[n - j][:-1] * z)
    inter = cnp.stack(terms, axis=1)                  # (m-1, n, ...)
    flat = cnp.reshape(inter, ((m - 1) * n,) + shape(rows[0])[1:])
    zero = cnp.zeros((1,) + shape(rows[0])[1:], dtype=dtype(flat))
    sums = cnp.cumsum(cnp.concatenate([zero, flat]), axis=0)
    return cnp.concatenate([zero, sums[n::n]])


def _fix_continuity(rows, h, order):
    """SciPy's fix_continuity, interval by interval (antiderivatives of order ≥ 2)."""
    n = len(rows)
    pieces = [[r[0] for r in rows]]
    for ip in range(1, len(h)):
        prev, cur = pieces[-1], [r[ip] for r in rows]
        for dx in range(order, -1, -1):
            res = evaluate_poly1(h[ip - 1], prev, dx)
            for kp in range(dx):
                res = res / (kp + 1)
            cur[n - dx - 1] = res
        pieces.append(cur)
    return [cnp.stack([p[i] for p in pieces]) for i in range(n)]


def _integral(c, x, a, b, extrapolate):
    """SciPy's ``_ppoly.integrate`` for a ≤ b, written for all intervals at once: each
    interval's share (vb − va) where it lies in [a, b], summed left to right."""
    m = len(x) - 1
    idx = np.arange(m)
    ia = cnp.clip(cnp.searchsorted(x, a, side="right") - 1, 0, m - 1)
    ib = cnp.clip(cnp.searchsorted(x, b, side="right") - 1, 0, m - 1)
    nd = ndim(c) - 2
    rows = [c[i] for i in range(shape(c)[0])]
    ia_, ib_ = cnp.reshape(ia, shape(ia) + (1,)), cnp.reshape(ib, shape(ib) + (1,))
    a_, b_ = cnp.reshape(a, shape(a) + (1,)), cnp.reshape(b, shape(b) + (1,))
    s_hi = cnp.where(idx == ib_, b_ - x[:-1], x[1:] - x[:-1])
    s_lo = cnp.where(idx == ia_, a_ - x[:-1], 0.0)
    share = evaluate_poly1(_column(s_hi, nd), rows, -1) - evaluate_poly1(_column(s_lo, nd), rows, -1)
    inside = _column((idx >= ia_) & (idx <= ib_), nd)
    share = cnp.where(inside, share, 0.0)
    total = cnp.cumsum(share, axis=ndim(share) - nd - 1)
    total = cnp.take(total, m - 1, axis=ndim(share) - nd - 1)
    bad = (a < x[0]) | (b > x[-1]) if not extrapolate else cnp.zeros(shape(a), dtype=bool)
    bad = bad | cnp.isnan(a) | cnp.isnan(b)
    return cnp.where(_column(bad, nd), np.nan, total)
