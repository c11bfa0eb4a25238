"""Hostile review (session 4) of scipy.sparse, scipy.interpolate, scipy.ndimage, the new
scipy.stats distributions, scipy.spatial.distance and nquad: each test failed before its fix."""
import numpy as np
import pytest
import scipy.sparse as sp
import scipy.sparse.linalg as spla

import chainrule as cr
import chainrule.scipy.sparse.linalg as cspl


# ---- scipy.sparse -------------------------------------------------------------------------
def test_sparse_multiply_method_with_a_traced_value_is_refused_not_notimplemented():
    # A.multiply(u) returned the NotImplemented object to the user (meant for A * u only)
    A = sp.csr_array(np.eye(2))
    for a in (A, sp.csr_matrix(np.eye(2))):
        with pytest.raises(TypeError, match=r"A\.toarray\(\) \* x"):
            cr.grad(lambda u: a.multiply(u).sum())(np.ones(2))


def test_linear_operator_times_traced_value_is_a_clear_error():
    # LinearOperator @ u gave SciPy's "dimension mismatch" (a 1-element object array)
    op = spla.aslinearoperator(sp.csr_array(np.eye(3)))
    with pytest.raises(TypeError, match="chainrule.scipy.sparse"):
        cr.grad(lambda u: (op @ u).sum())(np.ones(3))
    A = sp.coo_array(np.array([[1.0, 2.0], [0.0, 3.0]]))   # coo's own dot still hands over
    assert np.allclose(cr.grad(lambda u: A.dot(u).sum())(np.ones(2)), [1.0, 5.0])


def test_one_dimensional_sparse_arrays_times_traced_values():
    # SciPy's 1-d sparse arrays: ValueError "products with 2-d sparse matrices"
    a = sp.coo_array(np.array([1.0, 0.0, 2.0]))
    x = np.arange(6.0).reshape(3, 2)
    assert cr.jvp(lambda u: a @ u, (x,), (x,))[0].tolist() == (a @ x).tolist()
    assert cr.jvp(lambda u: u @ a, (x.T,), (x.T,))[0].tolist() == (x.T @ a).tolist()
    np.testing.assert_array_equal(cr.grad(lambda u: a @ u)(np.ones(3)), [1.0, 0.0, 2.0])


@pytest.mark.parametrize("name", ["cg", "gmres", "bicgstab"])
def test_krylov_solution_of_zero_rhs_does_not_alias_b(name):
    b = np.zeros(2)     # SciPy returns b itself for b = 0
    x = getattr(cspl, name)(sp.csr_array(np.eye(2) * 2.0), b)[0]
    assert not np.shares_memory(x, b) and np.all(x == 0)


# ---- scipy.ndimage ------------------------------------------------------------------------
@pytest.mark.parametrize("order", [0, 1, 3])
@pytest.mark.parametrize("mode", ["constant", "mirror", "wrap"])
def test_map_coordinates_at_nan_and_inf_coordinates_reads_cval_as_scipy(order, mode):
    # the traced path gave the input's values (order 0) or nan there
    import scipy.ndimage as nd
    import chainrule.scipy.ndimage as cn
    img = np.arange(1.0, 43.0).reshape(6, 7)
    co = np.array([[np.nan, 1.0, -np.inf, 2.5], [1.0, np.nan, 1.0, 3.5]])
    got = cr.jvp(lambda x: cn.map_coordinates(x, co, order=order, mode=mode, cval=-5.0),
                 (img,), (img,))[0]
    np.testing.assert_allclose(
        got, nd.map_coordinates(img, co, order=order, mode=mode, cval=-5.0), rtol=1e-13)


def test_ndimage_on_an_empty_input_as_scipy():
    # traced: IndexError from a gather into the empty input (rotate, affine_transform...);
    # median: IndexError where SciPy gives nan
    import scipy.ndimage as nd
    import chainrule.scipy.ndimage as cn
    a = np.zeros((0, 4))
    for f in (lambda m, x: m.rotate(x, 30, order=1),
              lambda m, x: m.affine_transform(x, np.eye(2), output_shape=(2, 3), cval=1.5),
              lambda m, x: m.map_coordinates(x, np.ones((2, 3)))):
        np.testing.assert_array_equal(cr.jvp(lambda x: f(cn, x), (a,), (a,))[0], f(nd, a))
    with pytest.warns(RuntimeWarning):
        assert np.isnan(nd.median(a))
    assert np.isnan(cr.jvp(lambda x: cn.median(x), (a,), (a,))[0])


def test_labelled_sum_over_an_index_sequence_is_float64_as_scipy():
    import scipy.ndimage as nd
    import chainrule.scipy.ndimage as cn
    a, lab = np.arange(6, dtype=np.float32), np.array([0, 1, 1, 2, 2, 2])
    got = cr.jvp(lambda x: cn.sum(x, lab, [1, 2]), (a,), (a,))[0]
    want = nd.sum(a, lab, [1, 2])
    assert got.dtype == want.dtype == np.float64 and np.array_equal(got, want)


# ---- scipy.stats --------------------------------------------------------------------------
def test_nct_density_where_its_two_terms_cancel_is_scipys():
    # the 1F1 closed form lost every digit for x * nc < 0: 18% wrong at df = 2, nc = 8,
    # nan at df = 16, nc = 4.8, x = -50
    import scipy.stats as ss
    import chainrule.scipy.stats as cst
    from chainrule.testing import check_grads
    x = np.array([-50.0, -6.2, -1.74, 0.0, 0.5, 3.0])
    for df, nc in ((2.0, 8.0), (16.0, 4.8), (30.0, 3.0), (4.0, 1.2)):
        np.testing.assert_allclose(cst.nct.logpdf(x, df, nc), ss.nct.logpdf(x, df, nc),
                                   rtol=1e-12)
    for z, df, nc in ((-1.74, 2.0, 8.0), (-50.0, 16.0, 4.8), (0.0, 5.0, 2.0)):
        check_grads(lambda z, nc: cst.nct.logpdf(z, df, nc), (z, nc), order=2)
    # df = inf (SciPy's normal about nc): the derivatives were nan
    assert cr.grad(lambda z: cst.nct.logpdf(z, np.inf, 1.2))(-2.0) == pytest.approx(3.2)
    assert cr.grad(lambda m: cst.nct.logpdf(-2.0, np.inf, m))(1.2) == pytest.approx(-3.2)


def test_loglaplace_isf_of_a_tiny_probability_is_finite_as_scipys():
    import scipy.stats as ss
    import chainrule.scipy.stats as cst
    q = np.array([1e-300, 1e-10, 0.3, 0.5, 0.9])     # ppf(1 - q) gave inf at 1e-300
    np.testing.assert_allclose(cst.loglaplace.isf(q, 1.5), ss.loglaplace.isf(q, 1.5),
                               rtol=1e-14)


def test_skellam_logpmf_at_huge_counts_is_not_nan():
    # SciPy's ive is nan for orders past ~1e9: the log-density was nan at |k| >= 1e9
    import chainrule.scipy.stats as cst
    k = np.array([-1e300, -1e10, 1e10, 1e300])
    out = cst.skellam.logpmf(k, 1.5, 2.5)
    assert np.all(out < -1e10) and not np.isnan(out).any()
    mid = cst.skellam.logpmf(1e10, 1.5, 2.5)    # k·log(μ/2…) − lnΓ(k+1) dominates
    assert mid == pytest.approx(-2.16203858e11, rel=1e-8)


# ---- quad / dblquad -----------------------------------------------------------------------
def test_quad_with_an_integer_in_args_differentiates_in_the_closed_over_value():
    # vjp of the integrand over all args refused the integer one (TypeError)
    import scipy.integrate as si
    import chainrule.numpy as cnp
    import chainrule.scipy.integrate as ci
    q = lambda s: ci.quad(lambda x, n: cnp.exp(-s * x * x * n), 0.0, 1.0, args=(2,))[0]  # noqa
    want = -si.quad(lambda x: 2 * x * x * np.exp(-2 * x * x), 0.0, 1.0)[0]
    assert cr.grad(q)(1.0) == pytest.approx(want, rel=1e-10)
    assert cr.jvp(q, (1.0,), (1.0,))[1] == pytest.approx(want, rel=1e-10)


def test_dblquad_with_integer_limits_to_second_order():
    import scipy.integrate as si
    import chainrule.numpy as cnp
    import chainrule.scipy.integrate as ci
    f = lambda s: ci.dblquad(lambda y, x, s: s * s * x * y, 0, 1, 0, 1, args=(s,))[0]  # noqa
    assert cr.grad(cr.grad(f))(1.0) == pytest.approx(0.5, rel=1e-10)   # (s²/4)'' = 1/2


# ---- scipy.interpolate --------------------------------------------------------------------
def test_barycentric_derivatives_near_a_node_are_the_polynomials():
    # the formula's derivatives cancel near a node: p'' was 25 off at 1e-9 from one
    import scipy.interpolate as si
    import chainrule.scipy.interpolate as ci
    xs = np.linspace(0.0, 1.0, 6)
    ys = np.cos(3 * xs)
    ref = si.BarycentricInterpolator(xs, ys, rng=0)    # (SciPy's weights: a random order)
    f = lambda t: ci.BarycentricInterpolator(xs, ys, rng=0)(t)   # noqa: E731
    for t in (0.2 + 1e-9, 0.2 - 1e-13, 0.2, 0.55):
        assert f(t) == ref(t)
        assert cr.grad(f)(t) == pytest.approx(ref.derivative(t, 1), rel=1e-12)
        assert cr.grad(cr.grad(f))(t) == pytest.approx(ref.derivative(t, 2), rel=1e-11)
        assert cr.jvp(cr.grad(f), (t,), (1.0,))[1] == pytest.approx(ref.derivative(t, 2),
                                                                   rel=1e-11)


def test_regular_grid_spline_methods_give_scipys_values_on_plain_inputs():
    # NotImplementedError even with nothing traced
    import scipy.interpolate as si
    import chainrule.scipy.interpolate as ci
    g = (np.linspace(0, 1, 5), np.linspace(0, 2, 6))
    v = np.arange(30.0).reshape(5, 6) ** 1.5
    p = np.array([[0.1, 0.3], [0.5, 1.9]])
    for method in ("cubic", "pchip", "slinear"):
        np.testing.assert_array_equal(ci.RegularGridInterpolator(g, v, method=method)(p),
                                      si.RegularGridInterpolator(g, v, method=method)(p))
        np.testing.assert_array_equal(ci.interpn(g, v, p, method=method),
                                      si.interpn(g, v, p, method=method))
    np.testing.assert_array_equal(ci.RegularGridInterpolator(g, v)(p, method="cubic"),
                                  si.RegularGridInterpolator(g, v)(p, method="cubic"))
    with pytest.raises(NotImplementedError, match="not differentiable here yet"):
        cr.grad(lambda w: ci.RegularGridInterpolator(g, w, method="cubic")(p).sum())(v)


def test_rbf_refusal_of_traced_evaluation_points_says_what_is_differentiable():
    import chainrule.scipy.interpolate as ci
    y = np.array([[0.0], [1.0], [2.0], [3.0]])
    with pytest.raises(TypeError, match="differentiable in its data d only"):
        cr.grad(lambda x: ci.RBFInterpolator(y, np.arange(4.0))(x).sum())(np.array([[1.5]]))


def test_refused_moment_of_a_discrete_family_suggests_a_sum_not_quad():
    # the advice was "integrate it with quad over pdf(x)" for a pmf
    import chainrule.scipy.stats as cst
    from chainrule.primitives.special_functions import UnsupportedDerivativeError
    with pytest.raises(UnsupportedDerivativeError, match=r"sum pmf\(k\)"):
        cr.grad(lambda m: cst.skellam.mean(m, 2.0))(1.0)


def test_cubic_spline_roots_and_solve_as_scipys():
    # AttributeError: the PPoly splines had no roots() or solve()
    import scipy.interpolate as si
    import chainrule.scipy.interpolate as ci
    x = np.linspace(0, 6, 9)
    y = np.sin(x)
    for name in ("CubicSpline", "PchipInterpolator", "Akima1DInterpolator"):
        ours, theirs = getattr(ci, name)(x, y), getattr(si, name)(x, y)
        np.testing.assert_array_equal(ours.roots(), theirs.roots())
        np.testing.assert_array_equal(ours.solve(0.5, extrapolate=False),
                                      theirs.solve(0.5, extrapolate=False))
    # (traced, the roots move by the implicit function theorem: dr/dy = -(dp/dy)(r) / p'(r))
    g = cr.grad(lambda v: ci.CubicSpline(x, v).roots()[1])(y)
    h = 1e-6
    fd = [(si.CubicSpline(x, y + h * e).roots()[1] - si.CubicSpline(x, y - h * e).roots()[1])
          / (2 * h) for e in np.eye(len(y))]
    np.testing.assert_allclose(g, fd, rtol=1e-6, atol=1e-9)


def test_differentiating_in_a_sparse_matrix_is_refused_clearly():
    # the sparse matrix was traced as a 0-d object: "matmul: Input operand 0 does not have
    # enough dimensions"
    A = sp.csr_array(np.array([[2.0, 1.0], [0.0, 4.0]]))
    u = np.array([1.0, 2.0])
    with pytest.raises(TypeError, match="SciPy sparse matrix.*csr_matmul"):
        cr.grad(lambda a: (a @ u).sum())(A)
    with pytest.raises(TypeError, match="SciPy sparse matrix"):
        cr.jvp(lambda a: a @ u, (A,), (A,))


def test_univariate_spline_derivatives_and_roots_as_scipys():
    # AttributeError: no derivatives() or roots()
    import scipy.interpolate as si
    import chainrule.scipy.interpolate as ci
    x = np.linspace(0, 6, 9)
    y = np.sin(x)
    for name, kw in (("InterpolatedUnivariateSpline", {}), ("UnivariateSpline", {"s": 0.1})):
        ours, theirs = getattr(ci, name)(x, y, **kw), getattr(si, name)(x, y, **kw)
        np.testing.assert_array_equal(ours.derivatives(1.0), theirs.derivatives(1.0))
        np.testing.assert_array_equal(ours.roots(), theirs.roots())
        np.testing.assert_allclose(cr.jvp(ours.derivatives, (1.0,), (1.0,))[1],
                                   np.r_[theirs.derivatives(1.0)[1:], 0.0], atol=1e-12)


def test_ncx2_logpdf_far_in_the_tail_is_finite():
    # SciPy's ive is nan past t ≈ 2e9: the log-density was nan for x ≥ 1e20
    import scipy.stats as ss
    import chainrule.scipy.stats as cst
    x = np.array([1e3, 1e10, 1e16, 1e20, 1e300])
    out = cst.ncx2.logpdf(x, 3.0, 1.5)
    np.testing.assert_allclose(out[:3], ss.ncx2.logpdf(x[:3], 3.0, 1.5), rtol=1e-14)
    np.testing.assert_allclose(out[3:], -0.5 * x[3:], rtol=1e-8)


def test_ndimage_filter_output_dtype_refusal_says_to_cast():
    # output=np.float32 (a dtype, SciPy's documented form) was refused as "writes in place"
    import chainrule.scipy.ndimage as cn
    with pytest.raises(TypeError, match=r"astype\(dtype\)"):
        cn.gaussian_filter(np.ones((3, 3)), 1.0, output=np.float32)


def test_griddata_rescale_and_plain_cubic_as_scipy():
    # rescale=True raised NotImplementedError, and so did 'cubic' in 2-d on plain inputs
    import scipy.interpolate as si
    import chainrule.scipy.interpolate as ci
    rng = np.random.default_rng(0)
    pts = rng.random((15, 2)) * [1.0, 100.0]
    vals = np.sin(pts[:, 0] * 3) + pts[:, 1] / 100
    xi = np.array([[0.5, 50.0], [0.3, 70.0], [2.0, 2.0]])
    for method in ("linear", "nearest", "cubic"):
        np.testing.assert_array_equal(ci.griddata(pts, vals, xi, method, rescale=True),
                                      si.griddata(pts, vals, xi, method, rescale=True))
    for method in ("linear", "nearest"):
        want = si.griddata(pts, vals, xi, method, rescale=True)
        np.testing.assert_array_equal(
            cr.jvp(lambda v: ci.griddata(pts, v, xi, method, rescale=True), (vals,),
                   (vals,))[0], want)
        np.testing.assert_array_equal(
            cr.jvp(lambda p: ci.griddata(pts, vals, p, method, rescale=True), (xi,),
                   (xi,))[0], want)


def test_rotate_by_multiples_of_90_degrees_and_under_jit_as_scipy():
    # cos(π/2) = 6e-17 moved the samples across cell edges (traced: O(1) wrong at 90°, 180°,
    # 270°); under jit the reshaped output kept the first call's shape for every angle
    import scipy.ndimage as nd
    import chainrule.scipy.ndimage as cn
    img = np.random.default_rng(0).standard_normal((6, 9))
    for angle in (90.0, 180.0, 270.0):
        for order in (1, 3):
            got = cr.jvp(lambda x: cn.rotate(x, angle, order=order), (img,), (img,))[0]
            np.testing.assert_allclose(got, nd.rotate(img, angle, order=order), atol=1e-12)
    j = cr.jit(lambda a: cn.rotate(img, a, order=1))
    for angle in (30.0, 60.0, 90.0):
        np.testing.assert_allclose(j(angle), nd.rotate(img, angle, order=1), atol=1e-12)


def test_vmap_over_a_sparse_matrix_is_refused_clearly():
    # vmap mapped the matrix as one object: a sparse result, silently wrong
    A = sp.csr_array(np.array([[2.0, 1.0], [0.0, 4.0]]))
    with pytest.raises(TypeError, match="in_axes=None"):
        cr.vmap(lambda a: a @ np.ones(2))(A)
    np.testing.assert_array_equal(
        cr.vmap(lambda v, a: a @ v, in_axes=(0, None))(np.eye(2), A), A.toarray().T)


def test_jit_refusal_of_an_unhashable_argument_does_not_advise_static_argnums():
    # it advised static_argnums, which refuses unhashable values too
    A = sp.csr_array(np.eye(2))
    with pytest.raises(TypeError, match="close over it"):
        cr.jit(lambda a, u: a @ u)(A, np.ones(2))
