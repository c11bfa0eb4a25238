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


def test_clough_tocher_refuses_traced_points():
    ip = ci.CloughTocher2DInterpolator(P, V[:, 0])
    with pytest.raises(TypeError, match="query points"):
        cr.grad(lambda q: cnp.sum(ip(q)))(Q)
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
