"""chainrule.scipy.interpolate's scattered N-D classes and BPoly (interp2): SciPy's values on
plain inputs, the derivatives' closed forms, the edges and SciPy's docstring examples."""

import numpy as np
import pytest
import scipy.interpolate as si

import chainrule as cr
import chainrule.numpy as cnp
import chainrule.scipy.interpolate as ci

RNG = np.random.default_rng(0)
P = RNG.random((15, 2))
V = RNG.standard_normal((15, 2))
Q = RNG.random((6, 2))


@pytest.mark.parametrize("rescale", [False, True])
def test_plain_values_are_scipys(rescale):
    for ours, theirs in [(ci.LinearNDInterpolator, si.LinearNDInterpolator),
                         (ci.NearestNDInterpolator, si.NearestNDInterpolator),
                         (ci.CloughTocher2DInterpolator, si.CloughTocher2DInterpolator)]:
        np.testing.assert_array_equal(ours(P, V, rescale=rescale)(Q),
                                      theirs(P, V, rescale=rescale)(Q))
        np.testing.assert_array_equal(ours(P, V[:, 0], rescale=rescale)(Q[:, 0], Q[:, 1]),
                                      theirs(P, V[:, 0], rescale=rescale)(Q[:, 0], Q[:, 1]))
    for method in ("linear", "nearest", "cubic"):
        np.testing.assert_array_equal(ci.griddata(P, V, Q, method=method, rescale=rescale),
                                      si.griddata(P, V, Q, method=method, rescale=rescale))


def test_traced_values_equal_plain_and_derivatives_are_the_plane():
    ip = si.LinearNDInterpolator(P, V[:, 0])
    Q = 0.4 + 0.2 * RNG.random((6, 2))                 # inside the hull
    val, jac = cr.value_and_grad(lambda q: cnp.sum(ci.LinearNDInterpolator(P, V[:, 0])(q)))(Q)
    np.testing.assert_allclose(val, np.nansum(ip(Q)), rtol=1e-13)
    # the gradient in a query point is its simplex's plane: finite differences inside it
    h = 1e-6
    for i in range(len(Q)):
        for j in range(2):
            e = np.zeros(2)
            e[j] = h
            fd = (ip(Q[i] + e) - ip(Q[i] - e))[0] / (2 * h)
            assert jac[i, j] == pytest.approx(fd, rel=1e-6, abs=1e-8)
    # linear in the values: the gradient is the barycentric weights (rows of the identity's)
    g = cr.grad(lambda v: ci.LinearNDInterpolator(P, v)(Q[:1])[0])(V[:, 0])
    np.testing.assert_allclose(g, si.LinearNDInterpolator(P, np.eye(15))(Q[:1])[0], atol=1e-14)


def test_outside_the_hull_and_nearest():
    outside = np.array([[5.0, 5.0], [0.5, 0.5]])
    f = lambda v: ci.LinearNDInterpolator(P, v)(outside)          # noqa: E731
    out = f(V[:, 0])
    assert np.isnan(out[0]) and np.isfinite(out[1])
    g = cr.grad(lambda v: cnp.nansum(f(v)))(V[:, 0])
    assert np.all(np.isfinite(g))
    filled = ci.LinearNDInterpolator(P, V[:, 0], fill_value=-1.0)(outside)
    assert filled[0] == -1.0
    # nearest: a selection; zero derivative in the points
    g = cr.grad(lambda q: cnp.sum(ci.NearestNDInterpolator(P, V[:, 0])(q)))(Q)
    np.testing.assert_array_equal(g, np.zeros_like(Q))


def test_clough_tocher_in_the_points_and_values():
    ip = si.CloughTocher2DInterpolator(P, V)
    q = np.r_[0.3 + 0.4 * RNG.random((6, 2)), RNG.random((20, 2))]   # some outside the hull
    val, tan = cr.jvp(lambda p: ci.CloughTocher2DInterpolator(P, V)(p), (q,), (np.ones_like(q),))
    np.testing.assert_allclose(val, ip(q), rtol=1e-13, atol=1e-14)
    h = 1e-6
    fd = (ip(q + h) - ip(q - h)) / (2 * h)
    np.testing.assert_allclose(tan[np.isfinite(fd)], fd[np.isfinite(fd)], rtol=1e-6, atol=1e-6)
    g = cr.grad(lambda v: ci.CloughTocher2DInterpolator(P, v, tol=1e-14)(Q[:1])[0])(V[:, 0])
    np.testing.assert_allclose(
        g, si.CloughTocher2DInterpolator(P, np.eye(15), tol=1e-14)(Q[:1])[0], atol=1e-10)


def test_scipy_docstring_examples():
    rng = np.random.default_rng()
    x = rng.random(10) - 0.5
    y = rng.random(10) - 0.5
    z = np.hypot(x, y)
    X = np.linspace(min(x), max(x))
    Y = np.linspace(min(y), max(y))
    X, Y = np.meshgrid(X, Y)
    for ours, theirs in [(ci.LinearNDInterpolator, si.LinearNDInterpolator),
                         (ci.NearestNDInterpolator, si.NearestNDInterpolator),
                         (ci.CloughTocher2DInterpolator, si.CloughTocher2DInterpolator)]:
        interp = ours(list(zip(x, y)), z)
        Z = interp(X, Y)
        np.testing.assert_array_equal(Z, theirs(list(zip(x, y)), z)(X, Y))


def test_bpoly_values_and_scipy_examples():
    x = [0, 1]
    c = [[1], [2], [3]]
    bp = ci.BPoly(c, x)
    assert bp(0.5) == si.BPoly(c, x)(0.5)
    b = ci.BPoly.from_derivatives([0, 1], [[1, 2], [3, 4]])
    assert float(b(0.5)) == float(si.BPoly.from_derivatives([0, 1], [[1, 2], [3, 4]])(0.5))
    b = ci.BPoly.from_derivatives([0, 1, 2], [[0, 1], [0], [2]])
    np.testing.assert_array_equal(b(np.array([0.3, 1.5])), si.BPoly.from_derivatives(
        [0, 1, 2], [[0, 1], [0], [2]])(np.array([0.3, 1.5])))
    # the Bernstein basis sums to one: a constant polynomial, zero derivative
    flat = ci.BPoly(np.full((4, 2), 3.0), np.array([0.0, 1.0, 2.0]))
    assert float(flat(1.3)) == pytest.approx(3.0)
    assert float(cr.grad(lambda t: flat(t))(1.3)) == pytest.approx(0.0, abs=1e-14)
    # integrate: SciPy's value, differentiable in the bounds (the integrand there)
    p = ci.BPoly(np.array([[1.0], [2.0], [0.5]]), np.array([0.0, 2.0]))
    assert p.integrate(0.2, 1.7) == si.BPoly(np.array([[1.0], [2.0], [0.5]]),
                                             np.array([0.0, 2.0])).integrate(0.2, 1.7)
    assert float(cr.grad(lambda b: p.integrate(0.2, b))(1.7)) == pytest.approx(float(p(1.7)))


def test_bivariate_plain_values_are_scipys_and_traced_agree():
    x, y = np.linspace(0.0, 1.0, 7), np.linspace(0.0, 2.0, 8)
    z = RNG.standard_normal((7, 8))
    xs, ys = np.sort(RNG.uniform(-0.1, 1.1, 5)), np.sort(RNG.uniform(0.0, 2.0, 4))
    ours, theirs = ci.RectBivariateSpline(x, y, z), si.RectBivariateSpline(x, y, z)
    np.testing.assert_array_equal(ours(xs, ys), theirs(xs, ys))
    np.testing.assert_array_equal(ours.ev(xs[:4], ys, dy=1), theirs.ev(xs[:4], ys, dy=1))
    assert ours.integral(0.1, 0.8, 0.2, 1.9) == theirs.integral(0.1, 0.8, 0.2, 1.9)
    for dx, dy in [(0, 0), (1, 0), (1, 2)]:
        f = lambda v: ci.RectBivariateSpline(x, y, v)(xs, ys, dx=dx, dy=dy)   # noqa: E731
        np.testing.assert_allclose(cr.jvp(f, (z,), (z,))[1], theirs(xs, ys, dx=dx, dy=dy),
                                   rtol=1e-12, atol=1e-12)
    tck = si.bisplrep(np.repeat(x, 8), np.tile(y, 7), z.ravel(), s=0)
    np.testing.assert_array_equal(ci.bisplev(xs, ys, tck), si.bisplev(xs, ys, tck))
    got = cr.jvp(lambda c: ci.bisplev(xs, ys, [tck[0], tck[1], c, 3, 3]), (tck[2],),
                 (tck[2],))[1]
    np.testing.assert_allclose(got, si.bisplev(xs, ys, tck), rtol=1e-12, atol=1e-12)


def test_bivariate_refusals_and_smoothing_values():
    x, y = RNG.uniform(0, 1, 60), RNG.uniform(0, 1, 60)
    z = np.sin(3 * x) + y ** 2
    ours, theirs = ci.SmoothBivariateSpline(x, y, z), si.SmoothBivariateSpline(x, y, z)
    np.testing.assert_array_equal(ours.ev(x[:5], y[:5]), theirs.ev(x[:5], y[:5]))
    with pytest.raises(TypeError, match="LSQBivariateSpline"):
        cr.grad(lambda v: ci.SmoothBivariateSpline(x, y, v).ev(0.5, 0.5))(z)
    with pytest.raises(TypeError, match="task=-1"):
        cr.grad(lambda v: ci.bisplrep(x, y, v)[2][0])(z)
    with pytest.raises(TypeError, match="s=0"):
        cr.grad(lambda v: ci.RectBivariateSpline(np.arange(5.0), np.arange(5.0), v, s=0.5)(
            1.0, 1.0)[0, 0])(np.ones((5, 5)))


def test_sphere_splines_scipy_examples():
    # scipy.interpolate.RectSphereBivariateSpline's example
    lats = np.linspace(10, 170, 9) * np.pi / 180.
    lons = np.linspace(0, 350, 18) * np.pi / 180.
    data = np.dot(np.atleast_2d(90. - np.linspace(-80., 80., 18)).T,
                  np.atleast_2d(180. - np.abs(np.linspace(0., 350., 9)))).T
    new_lats = np.linspace(1, 180, 180) * np.pi / 180
    new_lons = np.linspace(1, 360, 360) * np.pi / 180
    lut = ci.RectSphereBivariateSpline(lats, lons, data)
    np.testing.assert_array_equal(lut(new_lats[:20], new_lons[:30]),
                                  si.RectSphereBivariateSpline(lats, lons, data)(
                                      new_lats[:20], new_lons[:30]))
    # scipy.interpolate.LSQSphereBivariateSpline's example
    theta = np.linspace(0.5 / (6 + 1) * np.pi, 6 / (6 + 1) * np.pi, 6)
    phi = np.linspace(0.5 / (6 + 1) * 2 * np.pi, 6 / (6 + 1) * 2 * np.pi, 6)
    data = np.ones((theta.shape[0], phi.shape[0]))
    data[0, 0] = 2.0
    lats, lons = np.meshgrid(theta, phi)
    knotst, knotsp = theta.copy(), phi.copy()
    knotst[0] += .0001
    knotst[-1] -= .0001
    knotsp[0] += .0001
    knotsp[-1] -= .0001
    lut = ci.LSQSphereBivariateSpline(lats.ravel(), lons.ravel(), data.T.ravel(), knotst, knotsp)
    ref = si.LSQSphereBivariateSpline(lats.ravel(), lons.ravel(), data.T.ravel(), knotst, knotsp)
    np.testing.assert_array_equal(lut(theta, phi), ref(theta, phi))
    # traced r: the same numbers, and the derivative in r is the fit of the tangent
    f = lambda r: ci.LSQSphereBivariateSpline(lats.ravel(), lons.ravel(), r, knotst,  # noqa
                                              knotsp)(theta, phi)
    r = data.T.ravel()
    np.testing.assert_allclose(cr.jvp(f, (r,), (r,))[1], ref(theta, phi), rtol=1e-10)


def test_rational_interpolants():
    x = np.linspace(0.0, 1.0, 9)
    y = np.cos(3 * x)
    z = np.r_[np.linspace(-0.2, 1.2, 7), x[3], np.inf, np.nan]
    fh, ref = ci.FloaterHormannInterpolator(x, y), si.FloaterHormannInterpolator(x, y)
    np.testing.assert_array_equal(fh(z), ref(z))
    traced = cr.jvp(lambda v: ci.FloaterHormannInterpolator(x, v)(z), (y,), (y,))[1]
    np.testing.assert_allclose(traced, ref(z), rtol=1e-13)
    # at a node: the value, and the first and second derivatives of the rational function
    f = lambda t: ci.FloaterHormannInterpolator(x, y)(t)              # noqa: E731
    h = 1e-4
    assert float(f(x[3])) == y[3]
    assert float(cr.grad(f)(x[3])) == pytest.approx(
        float((ref(x[3] + h) - ref(x[3] - h)) / (2 * h)), rel=1e-7)
    assert float(cr.grad(cr.grad(f))(x[3])) == pytest.approx(
        float((ref(x[3] + h) - 2 * ref(x[3]) + ref(x[3] - h)) / h ** 2), rel=1e-5)
    np.testing.assert_array_equal(fh.poles(), ref.poles())
    # AAA: SciPy's values, differentiable in the points, refused in the data
    aaa = ci.AAA(x, np.exp(x))
    np.testing.assert_array_equal(aaa(z), si.AAA(x, np.exp(x))(z))
    assert float(cr.grad(lambda t: aaa(t))(0.37)) == pytest.approx(np.exp(0.37), rel=1e-9)
    with pytest.raises(TypeError, match="FloaterHormannInterpolator"):
        cr.grad(lambda v: ci.AAA(x, v)(0.3))(y)
    # complex points through AAA
    zc = np.exp(1j * np.linspace(0, 2 * np.pi, 40))
    ac = ci.AAA(zc, np.exp(zc))
    np.testing.assert_array_equal(ac(0.3 + 0.1j), si.AAA(zc, np.exp(zc))(0.3 + 0.1j))


def test_pade_taylor_and_interp2d():
    e_exp = [1.0, 1.0, 1.0 / 2.0, 1.0 / 6.0, 1.0 / 24.0, 1.0 / 120.0]
    p, q = ci.pade(e_exp, 2)
    P, Q = si.pade(e_exp, 2)
    np.testing.assert_array_equal(p.coeffs, P.coeffs)
    # scaling an scales p and leaves q: the derivatives along an itself
    a = np.array(e_exp)
    tp = cr.jvp(lambda a: ci.pade(a, 2)[0].coeffs, (a,), (a,))[1]
    tq = cr.jvp(lambda a: ci.pade(a, 2)[1].coeffs, (a,), (a,))[1]
    np.testing.assert_allclose(tp, P.coeffs, rtol=1e-12)
    np.testing.assert_allclose(tq, 0.0, atol=1e-12)
    s = ci.approximate_taylor_polynomial(np.sin, 0, 3, 1, order=5)
    np.testing.assert_array_equal(s.coeffs,
                                  si.approximate_taylor_polynomial(np.sin, 0, 3, 1, order=5).coeffs)
    with pytest.raises(NotImplementedError, match="removed"):
        ci.interp2d([0, 1], [0, 1], [[0, 1], [1, 2]])


def test_nd_splines():
    t = (np.r_[[0.0] * 3, 0.5, [1.0] * 3], np.r_[[0.0] * 4, [2.0] * 4])
    c = RNG.standard_normal((4, 4, 2))
    xi = RNG.uniform(0, 1, (5, 2)) * [1.0, 2.0]
    ours, theirs = ci.NdBSpline(t, c, (2, 3)), si.NdBSpline(t, c, (2, 3))
    np.testing.assert_array_equal(ours(xi), theirs(xi))
    np.testing.assert_array_equal(ours(xi, nu=(1, 2)), theirs(xi, nu=(1, 2)))
    jac = cr.jacfwd(lambda p: ci.NdBSpline(t, c[..., 0], (2, 3))(p))(xi[0])
    np.testing.assert_allclose(jac, [theirs(xi[0], nu=(1, 0))[0], theirs(xi[0], nu=(0, 1))[0]],
                               rtol=1e-12)
    # SciPy's NdBSpline example: a bivariate spline from the 1-D ones
    x = np.linspace(0, 1, 5)
    p = ci.NdPPoly(RNG.standard_normal((3, 2, 4, 1)), (x, np.array([0.0, 2.0])))
    q = si.NdPPoly(np.asarray(p.c), (x, np.array([0.0, 2.0])))
    np.testing.assert_array_equal(p(xi), q(xi))
    np.testing.assert_array_equal(p(xi, nu=(1, 1)), q(xi, nu=(1, 1)))
    assert p.integrate([(0.0, 1.0), (0.0, 2.0)]) == q.integrate([(0.0, 1.0), (0.0, 2.0)])
    with pytest.raises(NotImplementedError, match="evaluate"):
        cr.grad(lambda v: ci.NdPPoly(v, (x, np.array([0.0, 2.0]))).integrate(
            [(0.0, 1.0), (0.0, 2.0)]))(np.asarray(p.c))


@pytest.mark.parametrize("function", ["multiquadric", "inverse", "gaussian", "linear", "cubic",
                                      "quintic", "thin_plate"])
def test_rbf_legacy(function):
    x, y = RNG.random(10), RNG.random(10)
    d = np.sin(3 * x) + y
    q = (RNG.random(4), RNG.random(4))
    ours, theirs = ci.Rbf(x, y, d, function=function), si.Rbf(x, y, d, function=function)
    np.testing.assert_array_equal(ours(*q), theirs(*q))
    tangent = cr.jvp(lambda v: ci.Rbf(x, y, v, function=function)(*q), (d,), (d,))[1]
    np.testing.assert_allclose(tangent, theirs(*q), rtol=1e-10, atol=1e-12)
    val, dq = cr.jvp(lambda p: ci.Rbf(x, y, d, function=function)(p, q[1]), (q[0],),
                     (np.ones(4),))
    np.testing.assert_allclose(val, theirs(*q), rtol=1e-12, atol=1e-13)
    h = 1e-6
    fd = (theirs(q[0] + h, q[1]) - theirs(q[0] - h, q[1])) / (2 * h)
    np.testing.assert_allclose(dq, fd, rtol=1e-5, atol=1e-6)
    with pytest.raises(TypeError, match="named basis function"):
        cr.grad(lambda p: ci.Rbf(x, y, d, function=lambda r: r)(p, q[1])[0])(q[0])


def test_nan_and_outside_points_keep_the_gradients_finite():
    pts = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    q = np.array([[np.nan, 0.5], [0.2, 0.3], [3.0, 3.0]])
    v = np.arange(4.0)
    for cls in (ci.LinearNDInterpolator, ci.CloughTocher2DInterpolator):
        gv = cr.grad(lambda v: cnp.nansum(cls(pts, v)(q)))(v)
        gq = cr.grad(lambda q: cnp.nansum(cls(pts, v)(q)))(q)
        assert np.all(np.isfinite(gv)) and np.all(np.isfinite(gq))
        np.testing.assert_array_equal(gq[[0, 2]], 0.0)
    gv = cr.grad(lambda v: cnp.nansum(ci.griddata(pts, v, q)))(v)
    assert np.all(np.isfinite(gv))
