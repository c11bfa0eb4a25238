"""chainrule.scipy.interpolate's FITPACK functions, least-squares and smoothing fits (interp2):
SciPy's values on plain inputs, the same numbers traced (to rounding), the refusals where the
fit is not linear in y, the edges a user tries first and SciPy's docstring examples."""

import numpy as np
import pytest
import scipy.interpolate as si

import chainrule as cr
import chainrule.numpy as cnp
import chainrule.scipy.interpolate as ci

X = np.linspace(0.0, 6.0, 13)
Y = np.sin(X)


def test_plain_values_are_scipys():
    tck = si.splrep(X, Y)
    for ours, theirs in [(ci.splder(tck), si.splder(tck)), (ci.splantider(tck, 2),
                                                            si.splantider(tck, 2)),
                         (ci.insert(2.3, tck, m=2), si.insert(2.3, tck, m=2))]:
        for a, b in zip(ours, theirs):
            np.testing.assert_array_equal(a, b)
    assert ci.splint(0.5, 4.0, tck) == si.splint(0.5, 4.0, tck)
    np.testing.assert_array_equal(ci.sproot(tck), si.sproot(tck))
    np.testing.assert_array_equal(ci.spalde(2.5, tck), si.spalde(2.5, tck))
    t = [1.5, 3.0, 4.5]
    np.testing.assert_array_equal(ci.LSQUnivariateSpline(X, Y, t)(X + 0.1),
                                  si.LSQUnivariateSpline(X, Y, t)(X + 0.1))
    knots = np.r_[[0.0] * 4, t, [6.0] * 4]
    np.testing.assert_array_equal(ci.make_lsq_spline(X, Y, knots)(X), si.make_lsq_spline(X, Y, knots)(X))
    np.testing.assert_array_equal(ci.make_smoothing_spline(X, Y)(X),
                                  si.make_smoothing_spline(X, Y)(X))
    np.testing.assert_array_equal(ci.make_splrep(X, Y, s=0.1)(X), si.make_splrep(X, Y, s=0.1)(X))
    assert [list(k) for k in ci.generate_knots(X, Y, s=0.1)] == [
        list(k) for k in si.generate_knots(X, Y, s=0.1)]


def test_traced_values_match_and_gradients_are_the_linear_maps():
    tck = si.splrep(X, Y)
    f = lambda y: ci.splint(0.5, 4.0, ci.splrep(X, y))            # noqa: E731
    val, g = cr.value_and_grad(f)(Y)
    assert val == pytest.approx(si.splint(0.5, 4.0, tck), rel=1e-13)
    # linear in y: the gradient is the integral of each cardinal spline
    want = [si.splint(0.5, 4.0, si.splrep(X, e)) for e in np.eye(len(X))]
    np.testing.assert_allclose(g, want, rtol=1e-11, atol=1e-14)
    t = [1.5, 3.0, 4.5]
    g = cr.grad(lambda y: ci.LSQUnivariateSpline(X, y, t)(2.2))(Y)
    np.testing.assert_allclose(g, [si.LSQUnivariateSpline(X, e, t)(2.2) for e in np.eye(13)],
                               atol=1e-13)
    g = cr.grad(lambda y: ci.make_smoothing_spline(X, y, lam=0.3)(2.2))(Y)
    np.testing.assert_allclose(g, si.make_smoothing_spline(X, np.eye(13), lam=0.3)(2.2),
                               atol=1e-12)


def test_sproot_moves_by_the_implicit_function_theorem():
    # y = x - a: the root is a, dr/da = 1, d²r/da² = 0
    f = lambda a: ci.sproot(ci.splrep(X, X - a))[0]               # noqa: E731
    assert float(f(2.3)) == pytest.approx(2.3)
    assert float(cr.grad(f)(2.3)) == pytest.approx(1.0)
    assert abs(float(cr.grad(cr.grad(f))(2.3))) < 1e-9
    # a parabola's roots ±√a: dr/da = ±1/(2√a)
    x = np.linspace(-3.0, 3.0, 41)
    roots = lambda a: ci.sproot(ci.splrep(x, x ** 2 - a))          # noqa: E731
    r = roots(2.0)
    np.testing.assert_allclose(r, [-np.sqrt(2.0), np.sqrt(2.0)], atol=1e-4)
    jac = cr.jacfwd(roots)(2.0)
    np.testing.assert_allclose(jac, 1 / (2 * r), rtol=1e-3)


def test_refusals_say_what_to_fix():
    with pytest.raises(TypeError, match="lam="):
        cr.grad(lambda y: ci.make_smoothing_spline(X, y)(1.0))(Y)
    with pytest.raises(TypeError, match="make_lsq_spline"):
        cr.grad(lambda y: ci.make_splrep(X, y, s=0.1)(1.0))(Y)
    with pytest.raises(TypeError, match="plain"):
        cr.grad(lambda y: cnp.sum(next(iter(ci.generate_knots(X, y, s=0.1)))))(Y)
    with pytest.raises(TypeError, match="knots"):
        cr.grad(lambda x: ci.splint(0.0, 1.0, (x, si.splrep(X, Y)[1], 3)))(si.splrep(X, Y)[0])


def test_edges():
    # a constant: every derivative zero, the integral exact
    tck = si.splrep(X, np.full(13, 2.0))
    assert float(ci.splint(0.0, 6.0, tck)) == pytest.approx(12.0)
    g = cr.grad(lambda b: ci.splint(0.0, b, tck))(3.0)
    assert float(g) == pytest.approx(2.0)
    # float32 data: float64 values (SciPy's), float32 gradient
    g = cr.grad(lambda y: ci.splint(0.0, 3.0, ci.splrep(X, y)))(Y.astype(np.float32))
    assert g.dtype == np.float32
    # bounds reversed: the negative; outside the base interval: zero there
    f = lambda b: ci.splint(b, 1.0, ci.splrep(X, Y))              # noqa: E731
    assert float(f(3.0)) == pytest.approx(si.splint(3.0, 1.0, si.splrep(X, Y)), rel=1e-13)
    assert float(cr.grad(lambda b: ci.splint(0.0, b, si.splrep(X, Y)))(7.0)) == 0.0
    # several points in spalde: a list, as SciPy's
    out = ci.spalde(np.array([1.0, 2.0]), tuple(si.splrep(X, Y)))
    assert isinstance(out, list) and len(out) == 2


def test_scipy_docstring_examples():
    # scipy.interpolate.splder
    x = np.linspace(0, 3, 11)
    y = x ** 2
    spl = ci.splrep(x, y)
    dspl = ci.splder(spl)
    assert ci.splev(2.5, dspl) == pytest.approx(5.0, rel=1e-12)
    spl = ci.splrep(x, np.sin(x), k=4)                 # splder of a quartic: sproot's cubic
    assert np.allclose(ci.sproot(ci.splder(spl)), si.sproot(si.splder(si.splrep(x, np.sin(x),
                                                                                 k=4))))
    # scipy.interpolate.splantider
    x = np.linspace(0, np.pi / 2, 70)
    y = 1 / np.sqrt(1 - 0.8 * np.sin(x) ** 2)
    spl = ci.splrep(x, y)
    ispl = ci.splantider(spl)
    assert ci.splev(np.pi / 2, ispl) - ci.splev(0, ispl) == pytest.approx(2.2572053268208538)
    # scipy.interpolate.LSQUnivariateSpline
    rng = np.random.default_rng()
    x = np.linspace(-3, 3, 50)
    y = np.exp(-x ** 2) + 0.1 * rng.standard_normal(50)
    t = [-1, 0, 1]
    spl = ci.LSQUnivariateSpline(x, y, t)
    xs = np.linspace(-3, 3, 1000)
    assert spl(xs).shape == (1000,)
    np.testing.assert_allclose(spl.get_knots(), [-3, -1, 0, 1, 3])
    # scipy.interpolate.make_lsq_spline
    k = 3
    t = [-1, 0, 1]
    t = np.r_[(x[0],) * (k + 1), t, (x[-1],) * (k + 1)]
    spl = ci.make_lsq_spline(x, y, t, k)
    assert spl(xs).shape == (1000,)
    # scipy.interpolate.make_smoothing_spline
    x = np.arange(0, 2 * np.pi + np.pi / 4, 2 * np.pi / 16)
    noisy = np.sin(x) + 0.1 * rng.standard_normal(x.shape)
    spl = ci.make_smoothing_spline(x, noisy, lam=0.1)
    assert spl(x).shape == x.shape


def test_parametric_curves():
    u = np.linspace(0.0, 1.0, 10)
    x = [np.cos(3 * u), np.sin(3 * u)]
    tck, uu = ci.splprep(x, u=u, s=0)
    ref, ref_u = si.splprep(x, u=u, s=0)
    np.testing.assert_array_equal(tck[0], ref[0])
    for a, b in zip(tck[1], ref[1]):
        np.testing.assert_array_equal(a, b)
    for a, b in zip(ci.splev([0.3, 0.55], tck), si.splev([0.3, 0.55], ref)):
        np.testing.assert_array_equal(a, b)
    # linear in each coordinate for the given u: the tangent is the curve of the tangent
    f = lambda a: ci.splev(np.array([0.3, 0.55]), ci.splprep([a, x[1]], u=u, s=0)[0])[0]  # noqa
    np.testing.assert_allclose(cr.jvp(f, (x[0],), (x[0],))[1], si.splev([0.3, 0.55], ref)[0],
                               rtol=1e-12)
    spl, _ = ci.make_splprep(x, u=u)
    np.testing.assert_array_equal(spl(0.4), si.make_splprep(x, u=u)[0](0.4))
    g = lambda b: ci.make_splprep([x[0], b], u=u)[0](np.array([0.3, 0.55]))[1]   # noqa: E731
    np.testing.assert_allclose(cr.jvp(g, (x[1],), (x[1],))[1],
                               si.make_splprep(x, u=u)[0]([0.3, 0.55])[1], rtol=1e-12)
    with pytest.raises(TypeError, match="u="):
        cr.grad(lambda a: ci.splprep([a, x[1]], s=0)[0][1][0][0])(x[0])
    with pytest.raises(TypeError, match="u="):
        cr.grad(lambda a: ci.make_splprep([a, x[1]])[0](0.5)[0])(x[0])


def test_more_scipy_docstring_examples():
    # scipy.interpolate.sproot
    x = [1.96, 1.97, 1.98, 1.99, 2.00, 2.01, 2.02, 2.03, 2.04, 2.05]
    y = [-6.365470e-03, -4.790580e-03, -3.204320e-03, -1.607270e-03,
         4.440892e-16, 1.616930e-03, 3.243000e-03, 4.877670e-03,
         6.520430e-03, 8.170770e-03]
    tck = ci.splrep(x, y, s=0)
    np.testing.assert_array_equal(ci.sproot(tck), si.sproot(si.splrep(x, y, s=0)))
    ppoly = ci.PPoly.from_spline(tck)
    np.testing.assert_array_equal(ppoly.roots(extrapolate=False),
                                  si.PPoly.from_spline(tck).roots(extrapolate=False))
    # scipy.interpolate.insert
    x = np.linspace(0, 10, 5)
    y = np.sin(x)
    tck = ci.splrep(x, y)
    tck_inserted = ci.insert(3, tck)
    np.testing.assert_array_equal(tck_inserted[0], si.insert(3, si.splrep(x, y))[0])
    tck_inserted2 = ci.insert(8, tck, m=3)
    np.testing.assert_array_equal(tck_inserted2[0], si.insert(8, si.splrep(x, y), m=3)[0])
    # scipy.interpolate.spalde
    tck = ((-2, -2, -2, -2, -1, 0, 1, 2, 2, 2, 2), (0, 0, 0, 6, 0, 0, 0), 3)
    bspl = ci.BSpline(tck[0], tck[1], tck[2])
    x = np.linspace(min(tck[0]), max(tck[0]), 100)
    f1_y_deriv3 = [ci.spalde(i, tck)[3] for i in x]
    f2_y_deriv3 = ci.splev(x, bspl, der=3)
    f3_y_deriv3 = ci.splder(bspl, n=3)(x)
    np.testing.assert_allclose(f2_y_deriv3, f3_y_deriv3, atol=1e-12)
    np.testing.assert_allclose(f1_y_deriv3[5:-5], f2_y_deriv3[5:-5], atol=1e-9)
    # the roots move with the data: PPoly.solve by the implicit function theorem
    x = np.linspace(0.0, 6.0, 61)
    g = lambda v: ci.PPoly.from_spline(ci.splrep(x, np.sin(x))).solve(v, extrapolate=False)[0]  # noqa
    r = float(g(0.5))
    assert float(cr.grad(g)(0.5)) == pytest.approx(1 / np.cos(r), rel=1e-3)


def test_univariate_methods_are_scipys():
    x = np.linspace(0, 6, 20)
    y = np.sin(x)
    for ours, theirs in [(ci.UnivariateSpline(x, y, s=0.1), si.UnivariateSpline(x, y, s=0.1)),
                         (ci.InterpolatedUnivariateSpline(x, y),
                          si.InterpolatedUnivariateSpline(x, y)),
                         (ci.LSQUnivariateSpline(x, y, [2.0, 4.0]),
                          si.LSQUnivariateSpline(x, y, [2.0, 4.0]))]:
        np.testing.assert_array_equal(ours.roots(), theirs.roots())
        np.testing.assert_array_equal(ours.derivatives(2.0), theirs.derivatives(2.0))
        assert ours.get_residual() == theirs.get_residual()
    u, v = ci.UnivariateSpline(x, y, s=0.1), si.UnivariateSpline(x, y, s=0.1)
    u.set_smoothing_factor(0.5)
    v.set_smoothing_factor(0.5)
    np.testing.assert_array_equal(u(x), v(x))
    # the residual of a least-squares fit is differentiable in y: 2·W²·(y − fit)
    f = lambda d: ci.LSQUnivariateSpline(x, d, [2.0, 4.0]).get_residual()    # noqa: E731
    fit = si.LSQUnivariateSpline(x, y, [2.0, 4.0])
    np.testing.assert_allclose(cr.grad(f)(y), 2 * (y - fit(x)), atol=1e-12)
