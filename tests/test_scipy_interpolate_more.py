"""chainrule.scipy.interpolate beyond interp1d: SciPy's values to the bit, derivatives in the
data and the points against closed forms (the rule specs in tests/test_rules.py add central
differences to second order, the dot-product test, vmap and jit for every name), and the
edges a user meets first."""

import numpy as np
import pytest
import scipy.interpolate as si

import chainrule as cr
import chainrule.numpy as cnp
import chainrule.scipy.interpolate as ci

RNG = np.random.default_rng(7)
X = np.array([0.0, 0.6, 1.5, 2.1, 3.0, 4.2])
Y = RNG.standard_normal(6)
YV = RNG.standard_normal((6, 2))
T = np.linspace(-0.7, 4.9, 37)
FD = dict(order=2, modes=("fwd", "rev"))


def same(a, b):
    a, b = np.asarray(a), np.asarray(b)
    assert a.shape == b.shape and a.dtype == b.dtype, (a.shape, b.shape, a.dtype, b.dtype)
    np.testing.assert_array_equal(a, b)


# ---- values: SciPy's, to the bit -------------------------------------------------------------
@pytest.mark.parametrize("bc", ["not-a-knot", "natural", "clamped", ((1, 0.3), (2, -1.0))])
def test_cubic_spline_values_and_methods_are_scipys(bc):
    for y, axis in ((Y, 0), (YV.T, 1), (YV.astype(np.float32), 0)):
        bcv = bc if isinstance(bc, str) or y.ndim == 1 else ((1, np.full(2, 0.3)),
                                                             (2, np.full(2, -1.0)))
        ours, theirs = ci.CubicSpline(X, y, axis, bcv), si.CubicSpline(X, y, axis, bcv)
        same(ours.c, theirs.c)
        for nu in range(4):
            same(ours(T, nu), theirs(T, nu))
        same(ours.derivative(2)(T), theirs.derivative(2)(T))
        same(ours.antiderivative()(T), theirs.antiderivative()(T))
        same(ours.antiderivative(2).c, theirs.antiderivative(2).c)
        same(ours.integrate(3.7, 0.2), theirs.integrate(3.7, 0.2))
        # traced data, same numbers: the build and the evaluation are SciPy's own calls
        same(cr.jit(lambda v: ci.CubicSpline(X, v, axis, bcv)(T))(y), theirs(T))
        np.testing.assert_allclose(cr.jit(lambda v: ci.CubicSpline(X, v, axis, bcv).integrate(
            3.7, 0.2))(y), theirs.integrate(3.7, 0.2), rtol=1e-14, atol=1e-14)


def test_bspline_family_values_are_scipys():
    for k in (0, 1, 2, 3, 5):
        ours, theirs = ci.make_interp_spline(X, YV, k=k), si.make_interp_spline(X, YV, k=k)
        same(ours.c, theirs.c)
        for nu in range(k + 1):
            same(ours(T, nu), theirs(T, nu))
        if k:
            same(ours.derivative().c, theirs.derivative().c)
        same(ours.antiderivative(2).c, theirs.antiderivative(2).c)
        same(ours.integrate(-0.5, 3.3), theirs.integrate(-0.5, 3.3))
    tck = si.splrep(X, Y)
    assert all(np.array_equal(a, b) for a, b in zip(ci.splrep(X, Y)[:2], tck[:2]))
    for ext in (0, 1, 3):
        for der in (0, 1, 2):
            same(ci.splev(T, tck, der, ext), si.splev(T, tck, der, ext))
    for cls in ("InterpolatedUnivariateSpline", "UnivariateSpline"):
        ours, theirs = getattr(ci, cls)(X, Y), getattr(si, cls)(X, Y)
        same(ours(T), theirs(T))
        same(ours.derivative()(T), theirs.derivative()(T))
        same(ours.get_coeffs(), theirs.get_coeffs())
        assert ours.integral(0.5, 3.0) == theirs.integral(0.5, 3.0)


def test_local_interpolators_values_are_scipys():
    for cls in ("PchipInterpolator", "Akima1DInterpolator"):
        for y in (Y, YV):
            same(getattr(ci, cls)(X, y)(T), getattr(si, cls)(X, y)(T))
    same(ci.Akima1DInterpolator(X, Y, method="makima")(T),
         si.Akima1DInterpolator(X, Y, method="makima")(T))
    same(ci.pchip_interpolate(X, Y, T, der=1), si.pchip_interpolate(X, Y, T, der=1))
    same(ci.CubicHermiteSpline(X, Y, YV[:, 0])(T), si.CubicHermiteSpline(X, Y, YV[:, 0])(T))
    c = RNG.standard_normal((4, 5, 2))
    same(ci.PPoly(c, X)(T, 1), si.PPoly(c, X)(T, 1))


@pytest.mark.parametrize("kind", ["nearest", "nearest-up", "previous", "next", "zero",
                                  "slinear", "quadratic", "cubic"])
def test_interp1d_kinds_are_scipys(kind):
    xs = X[::-1]   # unsorted knots: sorted as SciPy sorts them
    for kw in (dict(bounds_error=False), dict(fill_value="extrapolate"),
               dict(bounds_error=False, fill_value=(-1.0, 2.0))):
        same(ci.interp1d(xs, YV.T, kind=kind, **kw)(T), si.interp1d(xs, YV.T, kind=kind, **kw)(T))
    with pytest.raises(ValueError, match="above the interpolation range"):
        ci.interp1d(X, Y, kind=kind)(5.0)


def test_regular_grid_values_are_scipys():
    grid = (np.array([0.0, 1.0, 2.5]), np.array([2.0, 0.5, 0.0, -1.0]))   # one descending axis
    for values in (RNG.standard_normal((3, 4)), RNG.standard_normal((3, 4, 2)),
                   RNG.standard_normal((3, 4)) + 1j):
        pts = np.stack([RNG.uniform(-0.3, 2.8, 20), RNG.uniform(-1.2, 2.2, 20)], -1)
        for method in ("linear", "nearest"):
            for fill in (np.nan, None):
                same(ci.RegularGridInterpolator(grid, values, method, False, fill)(pts),
                     si.RegularGridInterpolator(grid, values, method, False, fill)(pts))
    with pytest.raises(ValueError, match="out of bounds in dimension 1"):
        ci.interpn(grid, values, np.array([[0.5, 3.0]]))
    with pytest.raises(NotImplementedError, match="method='cubic'"):   # (traced values)
        cr.jvp(lambda v: ci.RegularGridInterpolator(grid, v, method="cubic"), (values.real,),
               (values.real,))


# ---- derivatives: closed forms --------------------------------------------------------------
def test_cubic_reproduced_exactly_so_derivatives_are_the_cubics():
    # a clamped spline with the cubic's end slopes is the cubic: s'(t) = 3t² − 2, s''(t) = 6t
    f = lambda t: t ** 3 - 2 * t
    cs = ci.CubicSpline(X, f(X), bc_type=((1, 3 * X[0] ** 2 - 2), (1, 3 * X[-1] ** 2 - 2)))
    for t in (0.3, 1.9, 3.4):
        assert float(cr.grad(cs)(t)) == pytest.approx(3 * t * t - 2, rel=1e-12)
        assert float(cr.hessian(cs)(t)) == pytest.approx(6 * t, rel=1e-12)
        assert float(cr.jacfwd(cr.jacfwd(cs))(t)) == pytest.approx(6 * t, rel=1e-12)


def test_gradient_in_y_is_the_spline_of_the_unit_vectors():
    # s(t) = Σ_j y_j B_j(t): the gradient in y is B(t), SciPy's spline of the identity
    basis = si.CubicSpline(X, np.eye(6))(2.7)
    np.testing.assert_allclose(cr.grad(lambda y: ci.CubicSpline(X, y)(2.7))(Y), basis,
                               rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(cr.jacfwd(lambda y: ci.CubicSpline(X, y)(2.7))(Y), basis,
                               rtol=1e-13, atol=1e-15)
    basis = si.make_interp_spline(X, np.eye(6), k=5)(np.array([0.2, 3.3]), 1)
    np.testing.assert_allclose(cr.jacrev(lambda y: ci.make_interp_spline(X, y, k=5)(
        np.array([0.2, 3.3]), 1))(Y), basis, rtol=1e-12, atol=1e-14)
    # the integral's gradient: the integrals of the basis
    np.testing.assert_allclose(cr.grad(lambda y: ci.CubicSpline(X, y).integrate(0.1, 3.9))(Y),
                               si.CubicSpline(X, np.eye(6)).integrate(0.1, 3.9), rtol=1e-13)
    # the integral's derivative in its bounds: the values there
    cs = ci.CubicSpline(X, Y)
    da, db = cr.grad(lambda a, b: cs.integrate(a, b), argnums=(0, 1))(0.4, 3.2)
    assert (float(da), float(db)) == pytest.approx((-float(cs(0.4)), float(cs(3.2))), rel=1e-13)


def test_mixed_second_order_and_dot_product_vector_valued():
    f = lambda y, t: ci.CubicSpline(X, y, axis=1, bc_type="natural")(t, 1)
    cr.check_grads(lambda y, t: (f(y, t) ** 2).sum(), (YV.T, np.array([0.4, 2.5])), **FD)
    args = (YV.T, np.array([0.4, 2.5]))
    v = (RNG.standard_normal(YV.T.shape), RNG.standard_normal(2))
    out, jv = cr.jvp(f, args, v)
    u = RNG.standard_normal(out.shape)
    jtu = cr.vjp(f, *args)[1](u)
    lhs, rhs = np.sum(u * jv), sum(np.sum(a * b) for a, b in zip(jtu, v))
    assert lhs == pytest.approx(rhs, rel=1e-12)


# ---- vmap and jit ----------------------------------------------------------------------------
def test_vmap_over_data_points_and_both_matches_a_loop():
    ys = RNG.standard_normal((3, 6))
    ts = RNG.uniform(0.0, 4.0, (3, 4))
    f = lambda y, t: ci.CubicSpline(X, y)(t)
    loop = np.stack([si.CubicSpline(X, y)(t) for y, t in zip(ys, ts)])
    np.testing.assert_allclose(cr.vmap(f)(ys, ts), loop, rtol=1e-14)
    np.testing.assert_allclose(cr.vmap(f, in_axes=(0, None))(ys, ts[0]),
                               np.stack([si.CubicSpline(X, y)(ts[0]) for y in ys]), rtol=1e-14)
    np.testing.assert_allclose(cr.vmap(f, in_axes=(None, 0))(ys[0], ts),
                               si.CubicSpline(X, ys[0])(ts), rtol=1e-14)
    g = cr.vmap(cr.grad(lambda y, t: ci.make_interp_spline(X, y)(t).sum()))(ys, ts)
    np.testing.assert_allclose(g, [si.make_interp_spline(X, np.eye(6))(t).sum(0) for t in ts],
                               rtol=1e-12, atol=1e-14)


def test_jit_replays_with_new_data():
    jf = cr.jit(lambda y: cr.grad(lambda y: ci.PchipInterpolator(X, y)(T).sum())(y))
    for y in (Y, Y[::-1].copy()):
        np.testing.assert_array_equal(jf(y), cr.grad(lambda y: ci.PchipInterpolator(X, y)(T).sum())(y))
    assert jf.trace_count == 1


# ---- edges -----------------------------------------------------------------------------------
def test_two_and_three_points():
    for n in (2, 3):
        x, y = X[:n], Y[:n]
        for ours, theirs in ((ci.CubicSpline(x, y), si.CubicSpline(x, y)),
                             (ci.PchipInterpolator(x, y), si.PchipInterpolator(x, y)),
                             (ci.Akima1DInterpolator(x, y), si.Akima1DInterpolator(x, y)),
                             (ci.make_interp_spline(x, y, k=1), si.make_interp_spline(x, y, k=1))):
            same(ours(T), theirs(T))
    # two points: the straight line, whose derivative in t is the slope
    slope = (Y[1] - Y[0]) / (X[1] - X[0])
    for cls in (ci.CubicSpline, ci.PchipInterpolator):
        assert float(cr.grad(cls(X[:2], Y[:2]))(0.2)) == pytest.approx(slope, rel=1e-13)


def test_at_a_knot_the_right_piece_as_scipy():
    cs = ci.CubicSpline(X, Y, bc_type="natural")
    knot = X[2]
    same(cs(knot), si.CubicSpline(X, Y, bc_type="natural")(knot))
    # C² spline: the third derivative jumps at the knot; SciPy's (and ours) is the right piece's
    assert float(cr.grad(lambda t: cs(t, 2))(knot)) == float(cs(knot, 3))
    assert float(cs(knot, 3)) == float(si.PPoly(cs.c[:, 2:], X[2:])(knot, 3))


def test_outside_without_extrapolation_is_nan_with_zero_data_gradient():
    for ours, theirs in ((ci.CubicSpline(X, Y, extrapolate=False),
                          si.CubicSpline(X, Y, extrapolate=False)),
                         (ci.Akima1DInterpolator(X, Y), si.Akima1DInterpolator(X, Y))):
        same(ours(T), theirs(T))
        assert np.isnan(ours(T)).any()
    f = lambda y: cnp.nansum(ci.CubicSpline(X, y, extrapolate=False)(np.array([-1.0, 1.0, 9.0])))
    g_rev, g_fwd = cr.grad(f)(Y), cr.jacfwd(f)(Y)
    np.testing.assert_allclose(g_rev, si.CubicSpline(X, np.eye(6))(1.0), rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(g_fwd, g_rev, rtol=1e-13, atol=1e-15)


def test_extrapolation_and_periodic():
    cr.check_grads(lambda y: ci.CubicSpline(X, y)(np.array([-1.0, 5.5])), (Y,), **FD)
    yp = np.append(Y[:-1], Y[0])
    ours, theirs = ci.CubicSpline(X, yp, bc_type="periodic"), si.CubicSpline(X, yp, bc_type="periodic")
    same(ours(T + 7.3), theirs(T + 7.3))
    assert ours.extrapolate == "periodic"
    # periodic in t: the derivative one period on is the same
    assert float(cr.grad(ours)(1.0 + 4.2)) == pytest.approx(float(cr.grad(ours)(1.0)), rel=1e-12)
    # in y, along directions that keep y[0] == y[-1], the derivative is the spline's
    d = RNG.standard_normal(6)
    d[-1] = d[0]
    _, jv = cr.jvp(lambda y: ci.CubicSpline(X, y, bc_type="periodic")(T), (yp,), (d,))
    np.testing.assert_allclose(jv, si.CubicSpline(X, d, bc_type="periodic")(T), rtol=1e-12,
                               atol=1e-14)


def test_float32_and_complex_as_scipy_no_silent_cast():
    y32 = Y.astype(np.float32)
    assert ci.CubicSpline(X, y32)(1.0).dtype == np.float64        # SciPy computes in float64
    assert cr.grad(lambda y: ci.CubicSpline(X, y)(1.0))(y32).dtype == np.float32
    yc = Y + 1j * Y[::-1]
    for make in (lambda y: ci.CubicSpline(X, y), lambda y: ci.make_interp_spline(X, y)):
        out = make(yc)(T)
        assert out.dtype == np.complex128 and np.abs(out.imag).max() > 0
    same(ci.CubicSpline(X, yc)(T), si.CubicSpline(X, yc)(T))
    with pytest.raises(TypeError, match="must be real"):
        ci.CubicSpline(X, Y)(1.0 + 0.5j)
    with pytest.raises(ValueError, match="real values"):
        ci.PchipInterpolator(X, yc)
    # the derivative of a complex spline in a real point is complex; its gradient real
    assert cr.jacfwd(lambda t: ci.CubicSpline(X, yc)(t))(1.0).dtype == np.complex128
    assert cr.grad(lambda t: ci.CubicSpline(X, yc)(t).real)(1.0).dtype == np.float64


def test_knots_are_constants_and_smoothing_fits_refused_in_y():
    with pytest.raises(TypeError, match="derivatives in the knots x are not supported"):
        cr.grad(lambda x: ci.CubicSpline(x, Y)(1.0))(X)
    with pytest.raises(TypeError, match="knots t are not supported"):
        cr.grad(lambda t: ci.BSpline(t, Y, 3)(1.0))(np.r_[[0.0] * 3, X[:1], X[1:-1], [4.2] * 4])
    for fit in (lambda y: ci.splrep(X, y, s=0.5)[1], lambda y: ci.UnivariateSpline(X, y)(1.0)):
        with pytest.raises(TypeError, match="not a linear map of y"):
            cr.grad(lambda y: cnp.sum(fit(y)))(Y)
    # with the knots fixed the fit is linear in y: refused no more
    knots = si.splrep(X, Y, s=0.5)[0][4:-4]
    cr.check_grads(lambda y: ci.splrep(X, y, t=knots)[1], (Y,), **FD)
    # values of the smoothing fit, and its derivative in the points, stay SciPy's
    u = ci.UnivariateSpline(X, Y)
    same(u(T), si.UnivariateSpline(X, Y)(T))
    cr.check_grads(u, (np.array([0.7, 2.6]),), **FD)


def test_results_do_not_alias_the_callers_arrays():
    x, y = X.copy(), Y.copy()
    cs = ci.CubicSpline(x, y)
    b = ci.make_interp_spline(x, y)
    for arr in (cs.c, cs.x, b.c, b.t):
        assert not np.shares_memory(arr, x) and not np.shares_memory(arr, y)


# ---- SciPy's tutorial, unchanged but for the imports ------------------------------------------
def test_scipy_tutorial_cubic_spline_and_regular_grid():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from chainrule.scipy.interpolate import CubicSpline, RegularGridInterpolator

    # "Cubic splines" (scipy.interpolate tutorial, 1-D interpolation)
    x = np.linspace(0, 10, num=11)
    y = np.cos(-x**2 / 9.)
    spl = CubicSpline(x, y)
    fig, ax = plt.subplots(4, 1, figsize=(5, 7))
    xnew = np.linspace(0, 10, num=1001)
    ax[0].plot(xnew, spl(xnew))
    ax[0].plot(x, y, 'o', label='data')
    ax[1].plot(xnew, spl(xnew, nu=1), '--', label='1st derivative')
    ax[2].plot(xnew, spl(xnew, nu=2), '--', label='2nd derivative')
    ax[3].plot(xnew, spl(xnew, nu=3), '--', label='3rd derivative')
    for j in range(4):
        ax[j].legend(loc='best')
    plt.tight_layout()
    plt.close(fig)
    for nu in range(4):
        same(spl(xnew, nu=nu), si.CubicSpline(x, y)(xnew, nu=nu))

    # RegularGridInterpolator (its SciPy docstring example)
    def f(x, y, z):
        return 2 * x**3 + 3 * y**2 - z
    x = np.linspace(1, 4, 11)
    y = np.linspace(4, 7, 22)
    z = np.linspace(7, 9, 33)
    xg, yg, zg = np.meshgrid(x, y, z, indexing='ij', sparse=True)
    data = f(xg, yg, zg)
    interp = RegularGridInterpolator((x, y, z), data)
    pts = np.array([[2.1, 6.2, 8.3],
                    [3.3, 5.2, 7.1]])
    np.testing.assert_allclose(interp(pts), [125.80469388, 146.30069388])
    same(interp(pts), si.RegularGridInterpolator((x, y, z), data)(pts))
    # and now its derivative in the points: on each cell, the secant slopes of f (additive)
    g = cr.jacfwd(lambda p: interp(p))(pts)
    xl, yl = x[x <= 2.1][-1], y[y <= 6.2][-1]
    xh, yh = x[x > 2.1][0], y[y > 6.2][0]
    np.testing.assert_allclose(g[0, 0], [2 * (xh ** 3 - xl ** 3) / (xh - xl), 3 * (yh + yl), -1.0],
                               rtol=1e-12)


# ---- polynomial and scattered-data interpolators -----------------------------------------------
def test_barycentric_lagrange_values_and_derivatives_at_the_nodes():
    for y in (Y, YV):
        ours = ci.BarycentricInterpolator(X, y, rng=0)
        theirs = si.BarycentricInterpolator(X, y, rng=0)
        same(ours(T), theirs(T))
        same(ours(X), theirs(X))                            # SciPy's node fix-up
        same(ours.derivative(T, 2), theirs.derivative(T, 2))
    p, q = ci.BarycentricInterpolator(X, Y, rng=0), si.BarycentricInterpolator(X, Y, rng=0)
    for t in (X[2], X[2] + 1e-3):                           # at a node and beside it
        assert float(cr.grad(p)(t)) == pytest.approx(q.derivative(t), rel=1e-10)
        assert float(cr.hessian(p)(t)) == pytest.approx(q.derivative(t, 2), rel=1e-9)
    same(ci.lagrange(X[:4], Y[:4]).coeffs, si.lagrange(X[:4], Y[:4]).coeffs)
    for xs in (X, np.array([0.0, 0.0, 1.0, 2.0, 2.0, 2.0])):     # repeated nodes: Hermite data
        ours, theirs = ci.KroghInterpolator(xs, YV), si.KroghInterpolator(xs, YV)
        same(ours(T), theirs(T))
        same(ours.derivatives(T, 4), theirs.derivatives(T, 4))
        for t in (0.3, xs[2]):
            np.testing.assert_allclose(cr.jacfwd(cr.jacrev(ours))(t), theirs.derivative(t, 2),
                                       rtol=1e-10)
    # data of a lower degree: poly1d drops the zero leading coefficient and its derivative,
    # so differentiating there raises instead of answering wrong
    with pytest.raises(NotImplementedError, match="leading coefficient is exactly zero"):
        cr.grad(lambda w: ci.lagrange(np.array([0.0, 1.0, 2.0]), w)(0.5))(np.array([1.0, 2.0, 3.0]))
    # lagrange's coefficients are linear in w: the Jacobian is lagrange of the unit vectors
    jac = cr.jacfwd(lambda w: ci.lagrange(X[:4], w).coeffs)(Y[:4])
    np.testing.assert_allclose(jac, np.stack([si.lagrange(X[:4], e).coeffs for e in np.eye(4)], 1),
                               rtol=1e-12, atol=1e-12)


def test_griddata_and_rbf_are_scipys_and_linear_in_the_values():
    pts = RNG.uniform(0.0, 1.0, (12, 2))
    q = RNG.uniform(-0.1, 1.1, (30, 2))
    for values in (RNG.standard_normal(12), RNG.standard_normal((12, 2))):
        for method in ("linear", "nearest"):
            same(ci.griddata(pts, values, q, method=method),
                 si.griddata(pts, values, q, method=method))
        same(ci.RBFInterpolator(pts, values)(q), si.RBFInterpolator(pts, values)(q))
    same(ci.griddata(X, Y, T, method="cubic"), si.griddata(X, Y, T, method="cubic"))
    # in the values: the interpolant of the unit vectors; in the points: the simplex's plane
    inside = q[~np.isnan(si.griddata(pts, np.ones(12), q))][:3]
    jac = cr.jacrev(lambda v: ci.griddata(pts, v, inside))(np.zeros(12))
    np.testing.assert_allclose(jac, si.griddata(pts, np.eye(12), inside), rtol=1e-13, atol=1e-15)
    plane = lambda p: 2.0 * p[..., 0] - 3.0 * p[..., 1] + 0.5
    g = cr.grad(lambda p: ci.griddata(pts, plane(pts), p).sum())(inside)
    np.testing.assert_allclose(g, np.tile([2.0, -3.0], (3, 1)), rtol=1e-10)
    jac = cr.jacfwd(lambda d: ci.RBFInterpolator(pts, d)(q[:2]))(np.zeros(12))
    np.testing.assert_allclose(jac, si.RBFInterpolator(pts, np.eye(12))(q[:2]), rtol=1e-10,
                               atol=1e-12)
    with pytest.raises(TypeError, match="evaluation points x are not supported"):
        cr.grad(lambda p: ci.RBFInterpolator(pts, np.ones(12))(p).sum())(q[:2])
