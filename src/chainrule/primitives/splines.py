"""The primitives behind ``chainrule.scipy.interpolate``'s splines (needs the ``scipy``
extra). Two facts make every interpolating spline exact to differentiate:

- **Evaluation is linear in the coefficients** c for fixed knots: s(t) = B(t)·c, with
  B(t) the basis (piecewise polynomials or B-splines) at the points t. ``spline_eval`` asks
  SciPy for the value (so it is SciPy's to the bit); its derivative in t is the same
  evaluation one derivative order higher, its JVP in c the evaluation of the tangent, its
  VJP in c ``spline_eval_T``: B(t)ᵀ·g, from SciPy's evaluation of the identity
  coefficients. The pair's rules refer to each other, so every order is exact.
- **Construction is linear (affine, with inhomogeneous boundary conditions) in y** for
  fixed x: c = M·y (+ c₀). ``linear_build`` asks SciPy for c; its JVP is SciPy's build on
  the tangent (boundary values zeroed), its VJP ``linear_build_T``: Mᵀ·g, with M built once
  per spline from the identity (y = eye(n) as trailing axes).

Trailing axes of c (or y) are SciPy's own vector-valued splines, so vmap over the data is a
trailing axis; vmap over the points is more points.

>>> import numpy as np, scipy.interpolate as si, chainrule as cr
>>> form = SplineForm("ppoly", np.array([0.0, 1.0, 2.0]), 1, True)
>>> c = np.array([[1.0, -1.0], [0.0, 1.0]])      # y = 0, 1, 0 as a PPoly
>>> spline_eval(c, np.array([0.5, 1.5]), form=form, nu=0, base=0)
array([0.5, 0.5])
>>> float(cr.grad(lambda t: spline_eval(c, t, form=form, nu=0, base=0))(0.25))
1.0
"""

import numpy as np

from ..core.primitive import Primitive
from .declare import declare
from .util import shape, ndim, dtype
from . import basic as B
from . import elementwise as E
from .scipy_linalg import loop_batch

__all__ = ["SplineForm", "LinearBuild", "spline_eval", "spline_eval_T", "linear_build",
           "linear_build_T", "grid_bounds_checked", "found_index", "NdForm", "nd_spline_eval",
           "nd_spline_eval_T"]


def _interpolate():
    import scipy.interpolate   # the scipy extra, imported when a spline is first used
    return scipy.interpolate


class SplineForm:
    """The fixed part of a SciPy spline: its kind ('ppoly': breakpoints x and local power
    coefficients c of shape (k+1, m, ...); 'bpoly': the same in the Bernstein basis;
    'bspline': knots and B-spline coefficients (n, ...); 'fitpack': FITPACK's splev with
    ``ext``), degree and extrapolation."""

    def __init__(self, kind, knots, k, extrapolate, ext=0):
        self.kind, self.knots, self.k = kind, np.asarray(knots, dtype=np.float64), int(k)
        self.extrapolate, self.ext = extrapolate, ext
        self.lead = 2 if kind in ("ppoly", "bpoly") else 1

    def __repr__(self):
        return f"SplineForm({self.kind}, k={self.k}, {len(self.knots)} knots)"

    def evaluate(self, c, t, nu, base):
        """SciPy's value of the ``nu``-th derivative at t; ``base`` is the order the user
        asked for (FITPACK's ext=3 holds the value constant outside, so its derivatives are
        zero there; the derivatives it is asked for, der ≥ 1, it extrapolates)."""
        si = _interpolate()
        if self.kind == "ppoly":
            return si.PPoly.construct_fast(c, self.knots, self.extrapolate)(t, nu)
        if self.kind == "bpoly":
            return si.BPoly.construct_fast(c, self.knots, self.extrapolate)(t, nu)
        if self.kind == "bspline":
            return si.BSpline.construct_fast(self.knots, c, self.k, self.extrapolate)(t, nu)
        if nu > self.k:
            return np.zeros(np.shape(t) + np.shape(c)[1:], dtype=np.result_type(c, 1.0))
        if np.ndim(c) > 1:     # FITPACK takes one coefficient column at a time (vmap's)
            flat = np.reshape(c, (np.shape(c)[0], -1))
            cols = [self.evaluate(flat[:, j], t, nu, base) for j in range(flat.shape[1])]
            return np.stack(cols, -1).reshape(np.shape(t) + np.shape(c)[1:])
        out = si.splev(t, (self.knots, c, self.k), der=nu, ext=self.ext)
        if self.ext == 3 and base == 0 and nu > 0:
            inside = (t >= self.knots[self.k]) & (t <= self.knots[-self.k - 1])
            out = np.where(inside, out, 0.0)
        return np.asarray(out)

    def basis(self, t, nu, base, n_lead):
        """B(t): shape (points, number of coefficients), rows of points where SciPy gives
        nan (outside without extrapolation, nan t) zero: those values do not depend on c."""
        count = int(np.prod(n_lead))
        eye = np.eye(count).reshape(tuple(n_lead) + (count,))
        if self.kind == "fitpack":
            rows = np.stack([self.evaluate(eye[:, j], t, nu, base) for j in range(count)], -1)
        else:
            rows = self.evaluate(eye, t, nu, base)
        rows = np.asarray(rows).reshape(-1, count)
        return np.where(np.isnan(rows), 0.0, rows)

    def transpose(self, g, t, nu, base, lead):
        """B(t)ᵀ·g: for piecewise polynomials, each point's k+1 local powers scattered into
        its interval (no dense basis); other kinds: the dense basis of SciPy's evaluation of
        the identity coefficients."""
        g = np.asarray(g)
        flat = g if g.ndim == 2 and g.shape[0] == t.size else g.reshape((t.size, -1))
        x = self.knots
        if self.kind == "bspline":
            out = self._bspline_transpose(flat, t, nu, lead[0])
            if out is not None:
                return out
        if self.kind == "fitpack":
            out = self._fitpack_transpose(flat, t, nu, base, lead[0])
            if out is not None:
                return out
        if self.kind != "ppoly" or x[-1] < x[0]:
            return self.basis(t, nu, base, lead).T @ flat
        k1, m = lead
        ext = self.extrapolate
        if ext == "periodic":
            t, ext = x[0] + (t - x[0]) % (x[-1] - x[0]), False
        cell = np.clip(np.searchsorted(x, t, side="right") - 1, 0, m - 1)
        keep = ~np.isnan(t) if ext else (t >= x[0]) & (t <= x[-1])
        cell, s, rows = cell[keep], (t - x[cell])[keep], flat[keep]
        out = np.zeros((k1, m, flat.shape[1]), dtype=np.result_type(flat, 1.0))
        for r in range(k1):
            power = k1 - 1 - r
            if power < nu:
                continue
            weight = float(np.prod(np.arange(power - nu + 1, power + 1))) * s ** (power - nu)
            np.add.at(out[r], cell, weight[:, None] * rows)
        return out.reshape(k1 * m, -1)


    def _fitpack_transpose(self, flat, t, nu, base, count):
        """FITPACK's splev transposed through the B-spline one: its coefficients are
        (t, c, k) padded with zeros to len(t); ext 0 (and 2, whose points are all inside)
        extrapolates, ext 1 is zero outside, ext 3 is the boundary value (the point clamped;
        a derivative the user did not ask for is zero outside)."""
        knots, k = self.knots, self.k
        n = len(knots) - k - 1
        if count < n:
            return None
        lo, hi = knots[k], knots[n]
        ext = self.ext
        if ext == 3 and nu == 0:
            t, ext = np.clip(t, lo, hi), 0
        elif ext == 3:
            ext = 0 if base > 0 else 1
        out = self._bspline_transpose(flat, t, nu, n, extrapolate=ext in (0, 2))
        if out is None:
            return None
        pad = np.zeros((count - n, out.shape[1]), dtype=out.dtype)
        return np.concatenate([out, pad])

    def _bspline_transpose(self, flat, t, nu, count, extrapolate=None):
        """B⁽ⁿᵘ⁾(t)ᵀ·g for a BSpline without a dense basis: SciPy's sparse design matrix of
        the derivative's knots and degree (k+1 nonzeros a point), then the transposed
        derivative recurrence c'ᵢ = (k - j)·(cᵢ₊₁ - cᵢ)/(tᵢ₊ₖ₊₁ - tᵢ₊₁), once per order.
        None (the caller takes the dense basis) where the recurrence divides by zero
        (repeated inner knots), there are fewer coefficients than knots need, or too few
        knots for a design matrix."""
        t_k, k = self.knots, self.k
        if nu > k:
            return np.zeros((count, flat.shape[1]), dtype=np.result_type(flat, 1.0))
        if count != len(t_k) - k - 1 or len(t_k) < 2 * k + 2:
            return None
        lo, hi = t_k[k], t_k[count]
        ext = self.extrapolate if extrapolate is None else extrapolate
        if ext == "periodic":
            with np.errstate(invalid="ignore"):      # nan points: dropped below
                t, ext = lo + (t - lo) % (hi - lo), False
        keep = ~np.isnan(t) if ext else (t >= lo) & (t <= hi)
        knots, deg, steps = t_k, k, []
        for _ in range(nu):
            dt = knots[deg + 1:-1] - knots[1:-deg - 1]
            if np.any(dt == 0):
                return None
            steps.append(deg / dt)
            knots, deg = knots[1:-1], deg - 1
        si = _interpolate()
        if not np.all(keep):
            t, flat = t[keep], flat[keep]
        if t.size == 0:
            return np.zeros((count, flat.shape[1]), dtype=np.result_type(flat, 1.0))
        design = si.BSpline.design_matrix(t, knots, deg, extrapolate=bool(ext))
        out = np.asarray(design.T @ flat)
        for w in reversed(steps):         # c' = w·diff(c): its transpose
            h = w[:, None] * out
            out = np.zeros((len(w) + 1, out.shape[1]), dtype=h.dtype)
            out[1:] += h
            out[:-1] -= h
        return out


def _trail_ones(t, out):
    """t reshaped to broadcast against out (t's axes, then ones for c's trailing axes)."""
    return B.reshape(t, shape=shape(t) + (1,) * (ndim(out) - ndim(t)))


def _sum_trailing(v, t):
    extra = tuple(range(ndim(t), ndim(v)))
    return B.reduce_sum(v, axis=extra) if extra else v


def _real_if(v, like):
    return B.real(v) if dtype(v).kind == "c" and dtype(like).kind != "c" else v


def _eval_impl(c, t, form, nu, base):
    return np.asarray(form.evaluate(np.asarray(c), np.asarray(t, dtype=np.float64), nu, base))


def _eval_jvp_c(tc, ans, c, t, form, nu, base):
    # a value SciPy gives as nan (outside, no extrapolation) does not depend on c
    return E.where(E.isnan(ans), 0.0, spline_eval(tc, t, form=form, nu=nu, base=base))


def _eval_jvp_t(tt, ans, c, t, form, nu, base):
    d = spline_eval(c, t, form=form, nu=nu + 1, base=base)
    return E.nan_safe_multiply(_trail_ones(tt, d), d)


def _eval_vjp_t(g, ans, c, t, form, nu, base):
    d = spline_eval(c, t, form=form, nu=nu + 1, base=base)
    return _real_if(_sum_trailing(E.nan_safe_multiply(g, d), t), t)


def _eval_batch(vals, dims, form, nu, base):
    (c, t), (dc, dt) = vals, dims
    if dc is not None and dt is None:    # the batch is one more trailing axis of c
        out = spline_eval(B.moveaxis(c, dc, ndim(c) - 1), t, form=form, nu=nu, base=base)
        return out, ndim(out) - 1
    if dc is None:                        # the batch is more points
        return spline_eval(c, t, form=form, nu=nu, base=base), dt
    return loop_batch(spline_eval)(vals, dims, form=form, nu=nu, base=base)


spline_eval = Primitive("spline_eval", _eval_impl)
declare(spline_eval, jvp=[_eval_jvp_c, _eval_jvp_t],
        vjp=[lambda g, ans, c, t, form, nu, base:
             spline_eval_T(g, t, form=form, nu=nu, base=base, lead=shape(c)[:form.lead]),
             _eval_vjp_t],
        batch=_eval_batch, names=())


def _eval_T_impl(g, t, form, nu, base, lead):
    t = np.asarray(t, dtype=np.float64)
    g = np.asarray(g)
    trail = g.shape[t.ndim:]
    flat = g.reshape((t.size, int(np.prod(trail))))
    return form.transpose(flat, t.ravel(), nu, base, lead).reshape(tuple(lead) + trail)


def _eval_T_jvp_t(tt, ans, g, t, form, nu, base, lead):
    return spline_eval_T(E.multiply(g, _trail_ones(tt, g)), t, form=form, nu=nu + 1, base=base,
                         lead=lead)


def _eval_T_vjp_g(h, ans, g, t, form, nu, base, lead):
    v = spline_eval(h, t, form=form, nu=nu, base=base)
    return E.where(E.isnan(v), 0.0, v)


def _eval_T_vjp_t(h, ans, g, t, form, nu, base, lead):
    v = spline_eval(h, t, form=form, nu=nu + 1, base=base)
    return _real_if(_sum_trailing(E.multiply(g, E.where(E.isnan(v), 0.0, v)), t), t)


def _eval_T_batch(vals, dims, form, nu, base, lead):
    (g, t), (dg, dt) = vals, dims
    if dt is None:                        # the batch is one more trailing axis of g
        out = spline_eval_T(B.moveaxis(g, dg, ndim(g) - 1), t, form=form, nu=nu, base=base,
                            lead=lead)
        return out, ndim(out) - 1
    return loop_batch(spline_eval_T)(vals, dims, form=form, nu=nu, base=base, lead=lead)


spline_eval_T = Primitive("spline_eval_transpose", _eval_T_impl)
declare(spline_eval_T,
        jvp=[lambda tg, ans, g, t, form, nu, base, lead:
             spline_eval_T(tg, t, form=form, nu=nu, base=base, lead=lead), _eval_T_jvp_t],
        vjp=[_eval_T_vjp_g, _eval_T_vjp_t], batch=_eval_T_batch, names=())


class LinearBuild:
    """SciPy's construction of coefficients from data y (axis 0, trailing axes carried)
    for fixed x: ``build(y)`` with the user's boundary conditions, ``linear(v)`` with
    them zeroed (the derivative), ``matrix()`` M with c = M·y (+ c₀), built once.
    ``transposer``, when given, makes g ↦ Mᵀ·g without M (a transposed banded solve, O(n)
    per cotangent): called once, on the first reverse-mode use; it may return None (no such
    solve for these options), and M is built instead."""

    def __init__(self, build, linear, n, name, transposer=None):
        self.build, self.linear, self.n, self.name = build, linear, n, name
        self._matrix = None
        self._offset = None
        self._transposer, self._transpose = transposer, None

    def __repr__(self):
        return f"LinearBuild({self.name}, n={self.n})"

    def matrix(self):
        if self._matrix is None:
            m = np.asarray(self.linear(np.eye(self.n)))
            # an answer SciPy gives as nan (a point outside, a nan point) does not depend on
            # the data: its row of M is zero, so no nan reaches the other gradients
            self._matrix = np.where(np.isnan(m), 0.0, m)
        return self._matrix

    def transpose(self, g):
        """Mᵀ·g over M's leading axes (c's shape in front of g's trailing axes)."""
        if self._transposer is not None:
            self._transpose, self._transposer = self._transposer(), None
        if self._transpose is not None:
            return np.asarray(self._transpose(np.asarray(g)))
        m = self.matrix()
        lead = m.ndim - 1
        return np.tensordot(m, np.asarray(g), axes=(list(range(lead)), list(range(lead))))

    def offset(self, trail):
        """c₀, the coefficients of y = 0 with the user's boundary values (None: zero)."""
        if self._offset is None:
            c0 = np.asarray(self.build(np.zeros((self.n,) + tuple(trail))))
            self._offset = (c0,) if np.any(c0 != 0) else (None,)
        return self._offset[0]


def _build_impl(v, op, affine):
    v = np.asarray(v)
    return np.array(op.build(v) if affine else op.linear(v), copy=True)


def _build_batch(vals, dims, op, affine):
    (v,), (d,) = vals, dims
    trail = shape(v)[:d] + shape(v)[d + 1:]
    out = linear_build(B.moveaxis(v, d, ndim(v) - 1), op=op, affine=False)
    c0 = op.offset(trail[1:]) if affine else None
    if c0 is not None:
        out = E.add(out, np.asarray(c0)[..., None])
    return out, ndim(out) - 1


linear_build = Primitive("spline_build", _build_impl)
declare(linear_build,
        jvp=[lambda t, ans, v, op, affine: linear_build(t, op=op, affine=False)],
        vjp=[lambda g, ans, v, op, affine: _cast_like(linear_build_T(g, op=op), v)],
        batch=_build_batch, names=())


def _cast_like(g, v):
    g = _real_if(g, v)
    return E.astype(g, dtype=dtype(v)) if dtype(g) != dtype(v) else g


def _build_T_impl(g, op):
    return op.transpose(g)


def _build_T_batch(vals, dims, op):
    (g,), (d,) = vals, dims
    out = linear_build_T(B.moveaxis(g, d, ndim(g) - 1), op=op)
    return out, ndim(out) - 1


linear_build_T = Primitive("spline_build_transpose", _build_T_impl)
declare(linear_build_T,
        jvp=[lambda t, ans, g, op: linear_build_T(t, op=op)],
        vjp=[lambda h, ans, g, op: linear_build(h, op=op, affine=False)],
        batch=_build_T_batch, names=())


def _grid_bounds_impl(xi, lows, highs):
    xi = np.asarray(xi)
    for i in range(xi.shape[-1]):
        p = xi[..., i]
        if not np.logical_and(np.all(lows[i] <= p), np.all(p <= highs[i])):
            raise ValueError(f"One of the requested xi is out of bounds in dimension {i}")
    return np.array(xi, copy=True)


_grid_bounds = Primitive("grid_bounds_check", _grid_bounds_impl)
#: the points xi after RegularGridInterpolator's bounds check (ValueError outside the
#: grid): an operation, so that it runs per example under vmap and again on jit's replay.
grid_bounds_checked = declare(
    _grid_bounds,
    jvp=[lambda t, ans, xi, lows, highs: t, None, None],
    vjp=[lambda g, ans, xi, lows, highs: g, None, None],
    batch=loop_batch(_grid_bounds), names=())


def _found_impl(xi, finder):
    xi = np.asarray(xi, dtype=np.float64)
    return np.asarray(finder(xi.reshape(-1, xi.shape[-1]))).reshape(xi.shape[:-1])


def _found_batch(vals, dims, finder):
    (xi,), (d,) = vals, dims
    return found_index(B.moveaxis(xi, d, 0), finder=finder), 0


#: integer answers SciPy computes from points (the Delaunay simplex holding each point, the
#: nearest data point): zero derivative, run per batch of points under vmap and jit.
found_index = Primitive("scipy_point_index", _found_impl)
declare(found_index, jvp=None, vjp=None, batch=_found_batch, names=())


class NdForm:
    """The fixed part of a tensor-product spline in d dimensions: 'ndbspline' (knots t, a
    tuple per dimension, degrees k; c of shape (n₁, …, n_d, ...)) or 'ndppoly' (breakpoints
    x per dimension; c of shape (k₁+1, …, k_d+1, m₁, …, m_d, ...)), and extrapolation."""

    def __init__(self, kind, knots, k, extrapolate):
        self.kind = kind
        self.knots = tuple(np.asarray(t, dtype=np.float64) for t in knots)
        self.k, self.extrapolate = tuple(int(v) for v in k), extrapolate
        self.d = len(self.knots)
        self.lead = self.d if kind == "ndbspline" else 2 * self.d

    def __repr__(self):
        return f"NdForm({self.kind}, d={self.d})"

    def evaluate(self, c, xi, nu):
        si = _interpolate()
        if self.kind == "ndbspline":
            spl = si.NdBSpline(self.knots, c, self.k, extrapolate=self.extrapolate)
            return spl(xi, nu=nu)
        return si.NdPPoly.construct_fast(c, self.knots, self.extrapolate)(xi, nu=nu)


def _nd_step(nu, j):
    return tuple(v + (i == j) for i, v in enumerate(nu))


def _nd_impl(c, xi, form, nu):
    xi = np.asarray(xi, dtype=np.float64)
    c = np.asarray(c)
    trail = c.shape[form.lead:]
    if xi.size == 0:
        return np.zeros(xi.shape[:-1] + trail, dtype=np.result_type(c, 1.0))
    out = np.asarray(form.evaluate(c, xi.reshape(-1, form.d), nu))
    return out.reshape(xi.shape[:-1] + trail)


def _nd_tangent_x(tx, out, j):
    """tx[..., j] shaped to broadcast against the values (points' axes, then trailing ones)."""
    col = B.getitem(tx, index=(Ellipsis, j))
    return B.reshape(col, shape=shape(col) + (1,) * (ndim(out) - ndim(col)))


def _nd_stack_last(parts, like):
    """The per-dimension parts as the last axis (the points' coordinate axis)."""
    cols = [B.reshape(p, shape=shape(p) + (1,)) for p in parts]
    return cols[0] if len(cols) == 1 else B.concatenate(*cols, axis=ndim(like) - 1)


def _nd_jvp_x(tx, ans, c, xi, form, nu):
    total = None
    for j in range(form.d):
        d = nd_spline_eval(c, xi, form=form, nu=_nd_step(nu, j))
        term = E.nan_safe_multiply(_nd_tangent_x(tx, d, j), d)
        total = term if total is None else E.add(total, term)
    return total


def _nd_vjp_x(g, ans, c, xi, form, nu):
    parts = []
    for j in range(form.d):
        d = nd_spline_eval(c, xi, form=form, nu=_nd_step(nu, j))
        v = E.nan_safe_multiply(g, d)
        extra = tuple(range(ndim(xi) - 1, ndim(v)))
        parts.append(_real_if(B.reduce_sum(v, axis=extra) if extra else v, xi))
    return _nd_stack_last(parts, xi)


def _nd_batch(vals, dims, form, nu):
    (c, xi), (dc, dx) = vals, dims
    if dc is not None and dx is None:    # the batch is one more trailing axis of c
        out = nd_spline_eval(B.moveaxis(c, dc, ndim(c) - 1), xi, form=form, nu=nu)
        return out, ndim(out) - 1
    if dc is None and dx != ndim(xi) - 1:   # the batch is more points
        out = nd_spline_eval(c, B.moveaxis(xi, dx, 0), form=form, nu=nu)
        return out, 0
    return loop_batch(nd_spline_eval)(vals, dims, form=form, nu=nu)


nd_spline_eval = Primitive("nd_spline_eval", _nd_impl)
declare(nd_spline_eval,
        jvp=[lambda tc, ans, c, xi, form, nu:
             E.where(E.isnan(ans), 0.0, nd_spline_eval(tc, xi, form=form, nu=nu)), _nd_jvp_x],
        vjp=[lambda g, ans, c, xi, form, nu:
             nd_spline_eval_T(g, xi, form=form, nu=nu, lead=shape(c)[:form.lead]), _nd_vjp_x],
        batch=_nd_batch, names=())


def _nd_T_impl(g, xi, form, nu, lead):
    """Bᵀ·g: the dense basis from SciPy's evaluation of the identity coefficients."""
    xi = np.asarray(xi, dtype=np.float64)
    g = np.asarray(g)
    pts = xi.shape[:-1]
    trail = g.shape[len(pts):]
    count = int(np.prod(lead))
    flat_g = g.reshape((int(np.prod(pts)), int(np.prod(trail))))
    if flat_g.shape[0] == 0:
        return np.zeros(tuple(lead) + trail, dtype=np.result_type(g, 1.0))
    eye = np.eye(count).reshape(tuple(lead) + (count,))
    basis = np.asarray(form.evaluate(eye, xi.reshape(-1, form.d), nu)).reshape(-1, count)
    basis = np.where(np.isnan(basis), 0.0, basis)
    return (basis.T @ flat_g).reshape(tuple(lead) + trail)


def _nd_T_jvp_x(tx, ans, g, xi, form, nu, lead):
    total = None
    for j in range(form.d):
        term = nd_spline_eval_T(E.multiply(g, _nd_tangent_x(tx, g, j)), xi, form=form,
                                nu=_nd_step(nu, j), lead=lead)
        total = term if total is None else E.add(total, term)
    return total


def _nd_T_vjp_g(h, ans, g, xi, form, nu, lead):
    v = nd_spline_eval(h, xi, form=form, nu=nu)
    return E.where(E.isnan(v), 0.0, v)


def _nd_T_vjp_x(h, ans, g, xi, form, nu, lead):
    parts = []
    for j in range(form.d):
        v = nd_spline_eval(h, xi, form=form, nu=_nd_step(nu, j))
        w = E.multiply(g, E.where(E.isnan(v), 0.0, v))
        extra = tuple(range(ndim(xi) - 1, ndim(w)))
        parts.append(_real_if(B.reduce_sum(w, axis=extra) if extra else w, xi))
    return _nd_stack_last(parts, xi)


def _nd_T_batch(vals, dims, form, nu, lead):
    (g, xi), (dg, dx) = vals, dims
    if dx is None:                        # the batch is one more trailing axis of g
        out = nd_spline_eval_T(B.moveaxis(g, dg, ndim(g) - 1), xi, form=form, nu=nu, lead=lead)
        return out, ndim(out) - 1
    return loop_batch(nd_spline_eval_T)(vals, dims, form=form, nu=nu, lead=lead)


nd_spline_eval_T = Primitive("nd_spline_eval_transpose", _nd_T_impl)
declare(nd_spline_eval_T,
        jvp=[lambda tg, ans, g, xi, form, nu, lead:
             nd_spline_eval_T(tg, xi, form=form, nu=nu, lead=lead), _nd_T_jvp_x],
        vjp=[_nd_T_vjp_g, _nd_T_vjp_x], batch=_nd_T_batch, names=())
