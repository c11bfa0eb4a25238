"""The transposed constructions of ``scipy.interpolate``'s interpolating splines: Mᵀ·g in
O(n) per cotangent, for c = M·y the coefficients SciPy builds from the data y.

An interpolating spline's construction is a banded linear solve: c = A⁻¹·R·y (A the
collocation or slope matrix, R the right-hand side's dependence on y). Its transpose is the
solve with Aᵀ: Rᵀ·A⁻ᵀ·g. Aᵀ is filled here in LAPACK's banded storage from the same
formulas SciPy fills A with, and solved with ``scipy.linalg.solve_banded`` (cyclic systems by
Sherman–Morrison on two banded solves), so a gradient costs O(n) per cotangent instead of the
dense n×n map that SciPy's build of the identity gives.

The values are never computed here: SciPy's own build gives them (so they are SciPy's to the
bit); these maps serve the reverse mode only, and tests check them against the dense map.

>>> import numpy as np, scipy.interpolate as si
>>> x = np.array([0.0, 1.0, 2.5, 3.0, 4.5])
>>> T = cubic_spline_transpose(x, "not-a-knot")
>>> g = np.arange(16.0).reshape(4, 4)
>>> dense = si.CubicSpline(x, np.eye(5)).c              # (4, 4, 5): c as a map of y
>>> bool(np.allclose(T(g), np.tensordot(dense, g, axes=([0, 1], [0, 1]))))
True
"""

import numpy as np

__all__ = ["cubic_spline_transpose", "interp_spline_transpose", "lsq_spline_transpose"]


def _solve_banded_T(l_and_u, ab, g):
    """solve_banded on real or complex right-hand sides (float64 matrix)."""
    from scipy.linalg import solve_banded
    if g.size == 0:
        return np.zeros(g.shape, dtype=np.result_type(g, 1.0))
    return solve_banded(l_and_u, ab, g, check_finite=False)


def _flat(g, lead):
    g = np.asarray(g)
    return g.reshape(g.shape[:lead] + (int(np.prod(g.shape[lead:])),)), g.shape[lead:]


def _cubic_end(bc):
    """One end of CubicSpline's bc_type, its values dropped (the derivative's are zero):
    'not-a-knot', 'periodic', 1 (a slope) or 2 (a second derivative)."""
    if isinstance(bc, str):
        return {"clamped": 1, "natural": 2}.get(bc, bc)
    return int(bc[0])


def cubic_spline_transpose(x, bc_type):
    """g ↦ Mᵀ·g for CubicSpline(x, ·, bc_type) with zero boundary values (and, for 'periodic',
    y[0] and y[-1] taken at their mean first, as the derivative build does): g has the
    coefficients' shape (4, n-1, ...), the answer y's (n, ...)."""
    x = np.asarray(x, dtype=np.float64)
    n = len(x)
    dx = np.diff(x)
    ends = ("periodic",) * 2 if bc_type == "periodic" else (
        (bc_type,) * 2 if isinstance(bc_type, str) else tuple(bc_type))
    start, end = _cubic_end(ends[0]), _cubic_end(ends[1])
    periodic = start == "periodic"
    slopes_T = _cubic_slopes_T(x, dx, start, end)

    def transpose(g):
        flat, trail = _flat(g, 2)
        d = dx[:, None]
        g0, g1, g2, g3 = flat
        # CubicHermiteSpline's c from y and the slopes s, transposed: t = (s0 + s1 -
        # 2·slope)/dx, c = (t/dx, (slope - s0)/dx - t, s0, y0), slope = diff(y)/dx
        gt = g0 / d - g1
        g_slope = g1 / d - 2 * gt / d
        g_s = np.zeros((n,) + flat.shape[2:], dtype=np.result_type(flat, 1.0))
        g_s[:-1] += g2 - g1 / d + gt / d
        g_s[1:] += gt / d
        g_y = np.zeros_like(g_s)
        g_y[:-1] += g3
        gs_slope, gs_y = slopes_T(g_s)
        g_slope = g_slope + gs_slope
        g_y += gs_y
        g_y[1:] += g_slope / d
        g_y[:-1] -= g_slope / d
        if periodic:           # the derivative build takes y[0], y[-1] at their mean
            mean = (g_y[0] + g_y[-1]) / 2
            g_y[0] = g_y[-1] = mean
        return g_y.reshape((n,) + trail)
    return transpose


def _cubic_slopes_T(x, dx, start, end):
    """g_s ↦ (g_slope, g_y): the transpose of SciPy's slopes s from the secant slopes and y
    (A·s = R·(slope, y), A tridiagonal or, periodic, cyclic)."""
    n = len(x)
    # SciPy with two points: 'not-a-knot' and 'periodic' ends become a slope condition whose
    # value is the one piece's slope
    slope_l = n == 2 and start in ("not-a-knot", "periodic")
    slope_r = n == 2 and end in ("not-a-knot", "periodic")
    start, end = (1 if slope_l else start), (1 if slope_r else end)
    if start == "periodic" and n == 3:     # SciPy: one slope, (Σ slope/dx) / (Σ 1/dx)
        w = (1 / dx) / np.sum(1 / dx)

        def periodic3(gs):
            total = np.sum(gs, axis=0)
            return w[:, None] * total[None], np.zeros_like(gs)
        return periodic3
    if start == "periodic":
        return _cyclic_slopes_T(dx)
    if n == 3 and start == end == "not-a-knot":
        a = np.array([[1.0, 1.0, 0.0], [dx[1], 2 * (dx[0] + dx[1]), dx[0]], [0.0, 1.0, 1.0]])
        r = np.array([[2.0, 0.0], [3 * dx[1], 3 * dx[0]], [0.0, 2.0]])

        def parabola(gs):
            z = np.linalg.solve(a.T, gs)
            return r.T @ z, np.zeros_like(gs)
        return parabola
    ab = np.zeros((3, n))                  # A as SciPy fills it: upper, diagonal, lower
    ab[1, 1:-1] = 2 * (dx[:-1] + dx[1:])
    ab[0, 2:] = dx[:-1]
    ab[-1, :-2] = dx[1:]
    rs = {}                                # boundary rows of R: {(row, slope index): w}
    ry = {}                                # and on y directly
    if start == "not-a-knot":
        d = x[2] - x[0]
        ab[1, 0], ab[0, 1] = dx[1], d
        rs[0, 0], rs[0, 1] = (dx[0] + 2 * d) * dx[1] / d, dx[0] ** 2 / d
    elif start == 1:
        ab[1, 0], ab[0, 1] = 1.0, 0.0
        if slope_l:
            rs[0, 0] = 1.0
    else:
        ab[1, 0], ab[0, 1] = 2 * dx[0], dx[0]
        ry[0, 0], ry[0, 1] = -3.0, 3.0
    if end == "not-a-knot":
        d = x[-1] - x[-3]
        ab[1, -1], ab[-1, -2] = dx[-2], d
        rs[n - 1, n - 3], rs[n - 1, n - 2] = dx[-1] ** 2 / d, (2 * d + dx[-1]) * dx[-2] / d
    elif end == 1:
        ab[1, -1], ab[-1, -2] = 1.0, 0.0
        if slope_r:
            rs[n - 1, n - 2] = rs.get((n - 1, n - 2), 0.0) + 1.0
    else:
        ab[1, -1], ab[-1, -2] = 2 * dx[-1], dx[-1]
        ry[n - 1, n - 2], ry[n - 1, n - 1] = -3.0, 3.0
    abt = np.zeros_like(ab)                # Aᵀ: the upper and lower diagonals swap
    abt[1] = ab[1]
    abt[0, 1:] = ab[2, :-1]
    abt[2, :-1] = ab[0, 1:]
    w_prev, w_next = 3 * dx[1:, None], 3 * dx[:-1, None]

    def banded(gs):
        z = _solve_banded_T((1, 1), abt, gs)
        g_slope = np.zeros((n - 1,) + gs.shape[1:], dtype=z.dtype)
        g_slope[:-1] += w_prev * z[1:-1]
        g_slope[1:] += w_next * z[1:-1]
        g_y = np.zeros_like(z)
        for (row, col), w in rs.items():
            g_slope[col] += w * z[row]
        for (row, col), w in ry.items():
            g_y[col] += w * z[row]
        return g_slope, g_y
    return banded


def _cyclic_slopes_T(dx):
    """SciPy's periodic system, transposed: unknowns s[0..n-2] (s[n-1] = s[0]), row i:
    dx[i]·s[i-1] + 2(dx[i-1] + dx[i])·s[i] + dx[i-1]·s[i+1] = 3(dx[i]·slope[i-1] +
    dx[i-1]·slope[i]), indices modulo n-1."""
    m = len(dx)
    prev = np.roll(dx, 1)                  # dx[i-1]
    lower, diag, upper = dx, 2 * (prev + dx), prev   # A[i, i-1], A[i, i], A[i, i+1]
    # Aᵀ[i, i-1] = A[i-1, i] = upper[i-1]; Aᵀ[i, i+1] = A[i+1, i] = lower[i+1]
    t_lower, t_upper = np.roll(upper, 1), np.roll(lower, -1)
    corner_hi, corner_lo = t_lower[0], t_upper[-1]   # Aᵀ[0, m-1], Aᵀ[m-1, 0]
    gamma = -diag[0]
    ab = np.zeros((3, m))
    ab[0, 1:] = t_upper[:-1]
    ab[1] = diag
    ab[2, :-1] = t_lower[1:]
    ab[1, 0] -= gamma
    ab[1, -1] -= corner_hi * corner_lo / gamma
    u = np.zeros(m)
    u[0], u[-1] = gamma, corner_lo
    v_last = corner_hi / gamma
    zu = _solve_banded_T((1, 1), ab, u)

    def cyclic(gs):
        f = np.array(gs[:-1], copy=True)
        f[0] += gs[-1]                     # s[n-1] is s[0]
        yv = _solve_banded_T((1, 1), ab, f)
        z = yv - np.multiply.outer(zu, (yv[0] + v_last * yv[-1]) / (1 + zu[0] + v_last * zu[-1]))
        z = z.reshape(f.shape)
        col = (m,) + (1,) * (z.ndim - 1)
        # row i reads slope[i-1] (weight 3·dx[i]) and slope[i] (weight 3·dx[i-1])
        g_slope = np.roll(3 * dx.reshape(col) * z, -1, axis=0) + 3 * prev.reshape(col) * z
        return g_slope, np.zeros((m + 1,) + z.shape[1:], dtype=z.dtype)
    return cyclic


def _interp_ends(bc_type):
    if bc_type is None or bc_type in ("not-a-knot", "periodic"):
        return None, None
    if isinstance(bc_type, str):
        return bc_type, bc_type
    return tuple(bc_type)


def _orders(deriv):
    if deriv is None:
        return []
    if isinstance(deriv, str):
        return [{"clamped": 1, "natural": 2}[deriv]]
    return [int(o) for o, _ in deriv]


def interp_spline_transpose(x, t, k, bc_type):
    """g ↦ Mᵀ·g for make_interp_spline(x, ·, k, t, bc_type) (t SciPy's knots, as built):
    the banded collocation matrix of SciPy's gbsv — the boundary derivative rows, then the
    B-splines at x — solved transposed; None where there is no such system (periodic: the
    caller keeps the dense map)."""
    if isinstance(bc_type, str) and bc_type == "periodic":
        return None
    si = _interp()
    x = np.asarray(x, dtype=np.float64)
    t = np.asarray(t, dtype=np.float64)
    n, nt = len(x), len(t) - k - 1
    deriv_l, deriv_r = _interp_ends(bc_type)
    lo, hi = _orders(deriv_l), _orders(deriv_r)
    if nt == n and not lo and not hi and k <= 1 and np.array_equal(
            t, np.r_[x[:1], x, x[-1:]] if k == 1 else np.r_[x, x[-1:]]):
        return lambda g: np.array(g, copy=True)      # c = y
    design = si.BSpline.design_matrix(x, t, k).tocsr()
    rows = np.repeat(np.arange(n), np.diff(design.indptr)) + len(lo)
    cols, vals = design.indices, design.data
    basis = si.BSpline.construct_fast(t, np.eye(nt), k)
    ends = [(i, x[0], nu) for i, nu in enumerate(lo)] + [
        (nt - len(hi) + i, x[-1], nu) for i, nu in enumerate(hi)]
    extra = [(np.full(nt, r), np.arange(nt), np.asarray(basis(p, nu))) for r, p, nu in ends]
    rows = np.concatenate([rows] + [e[0] for e in extra])
    cols = np.concatenate([cols] + [e[1] for e in extra])
    vals = np.concatenate([vals] + [e[2] for e in extra])
    keep = vals != 0
    rows, cols, vals = rows[keep], cols[keep], vals[keep]
    if np.any(np.abs(cols - rows) > k):
        return None                        # not SciPy's banded layout: the dense map
    abt = np.zeros((2 * k + 1, nt))        # Aᵀ[c, r] = A[r, c] at [k + c - r, r]
    np.add.at(abt, (k + cols - rows, rows), vals)
    nleft = len(lo)

    def transpose(g):
        flat, trail = _flat(g, 1)
        return _solve_banded_T((k, k), abt, flat)[nleft:nleft + n].reshape((n,) + trail)
    return transpose


def _interp():
    import scipy.interpolate
    return scipy.interpolate


def lsq_spline_transpose(x, t, k, w=None):
    """g ↦ Mᵀ·g for the weighted least-squares spline on the knots t (make_lsq_spline,
    LSQUnivariateSpline, splrep with given knots): c = (BᵀW²B)⁻¹BᵀW²y, so Mᵀ·g = W²B·N⁻¹·g
    with N = BᵀW²B, banded (k+1 nonzeros a row of B), factored once; g has the coefficients'
    shape (n, ...), the answer y's (m, ...)."""
    from scipy.linalg import cho_factor, cho_solve
    si = _interp()
    x = np.asarray(x, dtype=np.float64)
    t = np.asarray(t, dtype=np.float64)
    w2 = np.ones(len(x)) if w is None else np.asarray(w, dtype=np.float64) ** 2
    design = si.BSpline.design_matrix(x, t, k).tocsr()
    weighted = design.multiply(w2[:, None]).tocsr()
    normal = (design.T @ weighted).toarray()
    factor = cho_factor(normal)
    n = normal.shape[0]

    def transpose(g):
        flat, trail = _flat(g, 1)
        flat = flat[:n]
        if np.iscomplexobj(flat):
            z = cho_solve(factor, flat.real) + 1j * cho_solve(factor, flat.imag)
        else:
            z = cho_solve(factor, flat)
        return np.asarray(weighted @ z).reshape((len(x),) + trail)
    return transpose
