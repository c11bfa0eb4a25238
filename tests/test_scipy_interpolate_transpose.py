"""The O(n) transposed constructions of the interpolating splines (benchmarks/
bench_interpolate.py): each equals the dense map SciPy's build of the identity gives, for every
boundary condition, and a gradient in y is that map's transpose applied to the basis."""

import numpy as np
import pytest
import scipy.interpolate as si

import chainrule as cr
import chainrule.numpy as cnp
import chainrule.scipy.interpolate as ci
from chainrule.primitives.splines import SplineForm
from chainrule.scipy.spline_transpose import cubic_spline_transpose, interp_spline_transpose

CUBIC_BCS = ["not-a-knot", "natural", "clamped", "periodic", ((1, 2.0), (2, 1.0)),
             ("not-a-knot", (2, 3.0)), ((2, 1.0), "not-a-knot"), ("clamped", "not-a-knot")]


def _dense_cubic(x, bc):
    e = np.eye(len(x))
    if bc == "periodic":
        e[0] = e[-1] = (e[0] + e[-1]) / 2
    zero = bc if isinstance(bc, str) else tuple(b if isinstance(b, str) else (b[0], np.zeros(len(x)))
                                                for b in bc)
    return si.CubicSpline(x, e, bc_type=zero).c


@pytest.mark.parametrize("bc", CUBIC_BCS, ids=str)
def test_cubic_transpose_is_the_dense_map(bc):
    rng = np.random.default_rng(0)
    checked = 0
    for n in (2, 3, 4, 5, 9):     # SciPy's special cases: two points, three, the cyclic system
        x = np.sort(rng.uniform(0, 5, n))
        try:
            m = _dense_cubic(x, bc)
        except ValueError:
            continue                                   # SciPy needs more points for this bc
        g = rng.standard_normal((4, n - 1, 2)) + 1j * rng.standard_normal((4, n - 1, 2))
        want = np.tensordot(m, g, axes=([0, 1], [0, 1]))
        got = cubic_spline_transpose(x, bc)(g)
        np.testing.assert_allclose(got, want, rtol=1e-11, atol=1e-11 * np.abs(want).max())
        checked += 1
    assert checked >= 3


def _zero_values(bc, n):
    if bc is None or isinstance(bc, str):
        return bc
    return tuple(None if e is None else [(o, np.zeros(n)) for o, _ in e] for e in bc)


@pytest.mark.parametrize("k, bc", [(0, None), (1, None), (2, None), (3, None), (5, None),
                                   (3, "natural"), (3, "clamped"), (3, ([(1, 1.0)], [(2, 2.0)])),
                                   (2, ([(1, 1.0)], None)),
                                   (5, ([(1, 1.0), (2, 0.0)], [(1, 0.0), (2, 2.0)]))], ids=str)
def test_interp_spline_transpose_is_the_dense_map(k, bc):
    rng = np.random.default_rng(k)
    for n in (k + 1, k + 3, 9):
        x = np.sort(rng.uniform(0, 5, n))
        ref = si.make_interp_spline(x, np.zeros(n), k=k, bc_type=bc)
        m = si.make_interp_spline(x, np.eye(n), k=k, bc_type=_zero_values(bc, n)).c
        g = rng.standard_normal(m.shape[0])
        got = interp_spline_transpose(x, ref.t, k, bc)(g)
        np.testing.assert_allclose(got, m.T @ g, rtol=1e-11, atol=1e-11)


@pytest.mark.parametrize("k", [0, 1, 2, 3, 5])
@pytest.mark.parametrize("ext", [True, False, "periodic"])
def test_bspline_basis_transpose_is_the_dense_basis(k, ext):
    rng = np.random.default_rng(k)
    x = np.sort(rng.uniform(0, 5, 8))
    t = si.make_interp_spline(x, x, k=k).t
    form = SplineForm("bspline", t, k, ext)
    pts = np.r_[rng.uniform(-1, 6, 20), t, np.nan]   # outside, at every knot, nan
    count = len(t) - k - 1
    with np.errstate(invalid="ignore"):
        for nu in range(k + 2):
            g = rng.standard_normal((pts.size, 3))
            want = form.basis(pts, nu, nu, (count,)).T @ g
            np.testing.assert_allclose(form.transpose(g, pts, nu, nu, (count,)), want,
                                       rtol=1e-12, atol=1e-12 * max(1, np.abs(want).max()))


def test_gradients_in_y_are_the_basis_through_the_build():
    rng = np.random.default_rng(0)
    x = np.sort(rng.uniform(0, 10, 40))
    t = rng.uniform(x[0], x[-1], 30)
    g = rng.standard_normal(30)
    y = rng.standard_normal(40)
    for ours, theirs in [(ci.CubicSpline, si.CubicSpline),
                         (lambda a, b: ci.CubicSpline(a, b, bc_type="natural"),
                          lambda a, b: si.CubicSpline(a, b, bc_type="natural")),
                         (ci.make_interp_spline, si.make_interp_spline)]:
        got = cr.grad(lambda v: cnp.sum(g * ours(x, v)(t)))(y)
        np.testing.assert_allclose(got, g @ theirs(x, np.eye(40))(t), rtol=1e-10, atol=1e-12)
        # and the derivative in the points alongside
        dt = cr.grad(lambda s: cnp.sum(g * ours(x, y)(s)))(t)
        np.testing.assert_allclose(dt, g * theirs(x, y)(t, 1), rtol=1e-12)


@pytest.mark.parametrize("ext", [0, 1, 3])
def test_fitpack_gradients_through_the_banded_transposes(ext):
    rng = np.random.default_rng(ext)
    x = np.sort(rng.uniform(0, 10, 25))
    y = rng.standard_normal(25)
    t = np.r_[rng.uniform(x[0] - 1, x[-1] + 1, 30), x[0], x[-1]]     # outside and at the ends
    g = rng.standard_normal(t.size)
    for der in (0, 1, 2):
        got = cr.grad(lambda v: cnp.sum(g * ci.splev(t, ci.splrep(x, v), der=der, ext=ext)))(y)
        want = [np.sum(g * si.splev(t, si.splrep(x, e), der=der, ext=ext)) for e in np.eye(25)]
        np.testing.assert_allclose(got, want, rtol=1e-11, atol=1e-11 * np.abs(want).max())


@pytest.mark.parametrize("kx, ky", [(3, 3), (1, 2), (5, 1)])
def test_grid_spline_gradient_is_the_two_transposed_solves(kx, ky):
    rng = np.random.default_rng(kx + ky)
    x, y = np.linspace(0, 1, 7), np.linspace(0, 2, 8)
    z = rng.standard_normal((7, 8))
    xs, ys = np.sort(rng.uniform(0, 1, 5)), np.sort(rng.uniform(0, 2, 4))
    w = rng.standard_normal((5, 4))
    got = cr.grad(lambda v: cnp.sum(w * ci.RectBivariateSpline(x, y, v, kx=kx, ky=ky)(xs, ys)))(z)
    want = [np.sum(w * si.RectBivariateSpline(x, y, e.reshape(7, 8), kx=kx, ky=ky)(xs, ys))
            for e in np.eye(56)]
    np.testing.assert_allclose(got.ravel(), want, rtol=1e-11, atol=1e-12)


def test_least_squares_gradients_are_the_normal_equations_transposed():
    rng = np.random.default_rng(3)
    x = np.sort(rng.uniform(0, 4, 30))
    w = rng.uniform(0.5, 2.0, 30)
    y = rng.standard_normal(30)
    interior = [1.0, 2.0, 3.0]
    knots = np.r_[[x[0]] * 4, interior, [x[-1]] * 4]
    pts = rng.uniform(0, 4, 9)
    g = rng.standard_normal(9)
    cases = [(lambda v: ci.make_lsq_spline(x, v, knots, w=w)(pts),
              lambda v: si.make_lsq_spline(x, v, knots, w=w)(pts)),
             (lambda v: ci.LSQUnivariateSpline(x, v, interior, w=w)(pts),
              lambda v: si.LSQUnivariateSpline(x, v, interior, w=w)(pts)),
             (lambda v: ci.splev(pts, ci.splrep(x, v, w=w, t=interior, task=-1)),
              lambda v: si.splev(pts, si.splrep(x, v, w=w, t=interior, task=-1)))]
    for ours, theirs in cases:
        got = cr.grad(lambda v: cnp.sum(g * ours(v)))(y)
        want = [np.sum(g * theirs(e)) for e in np.eye(30)]
        np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12)
