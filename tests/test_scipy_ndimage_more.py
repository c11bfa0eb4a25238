"""chainrule.scipy.ndimage's breadth beyond the rule specs: the derivative and Fourier filters,
the interpolation, the rank filters and grey morphology, the measurements and the pass-throughs
against SciPy, plain (SciPy's bits) and traced (the composite whose derivatives chainrule
knows) in every boundary mode; size-1 and empty inputs, float32 and complex as SciPy treats
them; the transpose of an interpolation against its explicit matrix; ties; clear errors; and
a registration program ported from the SciPy tutorial's use of ``shift``."""

import warnings

import numpy as np
import pytest
import scipy.ndimage as snd

import chainrule as cr
import chainrule.numpy as cnp
import chainrule.scipy.ndimage as cndi

MODES = ("reflect", "constant", "nearest", "mirror", "wrap", "grid-mirror", "grid-constant",
         "grid-wrap")
RNG = np.random.default_rng(11)
X = RNG.standard_normal((5, 6))
FP = np.array([[1, 0, 1], [0, 1, 1]], bool)


def traced(fn, *args):
    """fn's value computed under forward-mode tracing (the composite, not SciPy's call)."""
    return cr.jvp(fn, args, tuple(np.zeros_like(a) for a in args))[0]


def _calls(mode):
    c = RNG.uniform(-8, 9, (2, 7))
    return {
        "sobel": lambda f, x: f.sobel(x, 0, mode=mode, cval=0.4),
        "prewitt": lambda f, x: f.prewitt(x, mode=mode, cval=0.4),
        "laplace": lambda f, x: f.laplace(x, mode=mode, cval=0.4),
        "gaussian_laplace": lambda f, x: f.gaussian_laplace(x, 0.9, mode=mode, cval=0.4),
        "gaussian_gradient_magnitude": lambda f, x: f.gaussian_gradient_magnitude(
            x, (0.6, 1.1), mode=mode, cval=0.4),
        "map_coordinates1": lambda f, x: f.map_coordinates(x, c, order=1, mode=mode, cval=0.4),
        "map_coordinates3": lambda f, x: f.map_coordinates(x, c, order=3, mode=mode, cval=0.4),
        "map_coordinates4-raw": lambda f, x: f.map_coordinates(x, c, order=4, mode=mode,
                                                               cval=0.4, prefilter=False),
        "shift": lambda f, x: f.shift(x, (0.7, -1.3), order=2, mode=mode, cval=0.4),
        "zoom": lambda f, x: f.zoom(x, (1.5, 0.7), order=5, mode=mode, cval=0.4),
        "affine": lambda f, x: f.affine_transform(x, [[0.93, 0.21], [-0.31, 1.07]], [0.5, -1.0],
                                                  output_shape=(4, 7), order=3, mode=mode,
                                                  cval=0.4),
        "rotate": lambda f, x: f.rotate(x, 33.0, order=1, mode=mode, cval=0.4),
        "spline_filter": lambda f, x: f.spline_filter(x, 4, mode=mode),
        "maximum_filter": lambda f, x: f.maximum_filter(x, (2, 3), mode=mode, cval=0.4),
        "rank_filter": lambda f, x: f.rank_filter(x, 2, footprint=FP, mode=mode, cval=0.4),
        "percentile_filter": lambda f, x: f.percentile_filter(x, 37, size=3, mode=mode,
                                                              cval=0.4),
        "grey_erosion": lambda f, x: f.grey_erosion(x, footprint=FP, structure=0.1 * FP,
                                                    mode=mode, cval=0.4, origin=(0, -1)),
        "morphological_laplace": lambda f, x: f.morphological_laplace(x, size=(2, 3),
                                                                      mode=mode),
    }


@pytest.mark.parametrize("mode", MODES)
def test_values_are_scipys_bits_plain_and_its_values_traced(mode):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)   # SciPy's grid_mode suggestions
        for name, call in _calls(mode).items():
            want = call(snd, X)
            got = call(cndi, X)
            assert got.dtype == want.dtype and np.array_equal(got, want), name
            under_trace = traced(lambda x: call(cndi, x), X)
            assert under_trace.dtype == want.dtype, name
            np.testing.assert_allclose(under_trace, want, rtol=1e-11, atol=1e-11, err_msg=name)


def test_fourier_filters_are_scipys_bits_for_every_dtype():
    for x in (X, X.astype(np.float32), X + 1j * X[::-1], (X + 1j * X).astype(np.complex64),
              (10 * X).astype(np.int32)):
        for name, arg in (("fourier_gaussian", (1.2, 0.7)), ("fourier_uniform", 2.0),
                          ("fourier_ellipsoid", (2.0, 3.0)), ("fourier_shift", (0.3, 1.5))):
            for kw in ({}, {"n": 9, "axis": 0}):
                want = getattr(snd, name)(x, arg, **kw)
                got = getattr(cndi, name)(x, arg, **kw)
                assert got.dtype == want.dtype and np.array_equal(got, want), (name, x.dtype)


def test_generic_filters_with_a_scipy_protocol_function():
    # SciPy's protocol: derivative(input, axis, output, mode, cval) returning its result
    def d2(x, axis, output, mode, cval):
        return snd.correlate1d(x, [1.0, -2.0, 1.0], axis, output, mode, cval)

    def d1(x, axis, output, mode, cval):
        return snd.correlate1d(x, [-1.0, 0.0, 1.0], axis, output, mode, cval)
    for mode in ("reflect", ("wrap", "constant")):
        np.testing.assert_array_equal(cndi.generic_laplace(X, d2, mode=mode),
                                      snd.generic_laplace(X, d2, mode=mode))
        np.testing.assert_allclose(cndi.generic_gradient_magnitude(X, d1, mode=mode),
                                   snd.generic_gradient_magnitude(X, d1, mode=mode), rtol=1e-15)


def test_user_function_filters_match_scipy_traced():
    fp = np.array([[1, 0, 1], [1, 1, 0]], bool)
    for mode in ("reflect", "constant", "mirror", "grid-wrap"):
        want = snd.generic_filter(X, np.ptp, footprint=fp, mode=mode, cval=0.3, origin=(0, 1))
        got = traced(lambda v: cndi.generic_filter(v, np.ptp, footprint=fp, mode=mode,
                                                   cval=0.3, origin=(0, 1)), X)
        np.testing.assert_allclose(got, want, rtol=1e-13, atol=1e-13)
        mapping = lambda o, a: (o[0] * a + 0.3, o[1] - o[0] * 0.2)   # noqa: E731
        want = snd.geometric_transform(X, mapping, (4, 3), order=2, mode=mode,
                                       extra_arguments=(0.9,))
        got = traced(lambda v: cndi.geometric_transform(v, mapping, (4, 3), order=2, mode=mode,
                                                        extra_arguments=(0.9,)), X)
        np.testing.assert_allclose(got, want, rtol=1e-11, atol=1e-11)
    # the gradient in a value the mapping closes over: a shift along axis 0, order 1
    x = np.array([[0.0], [1.0], [4.0], [9.0]])
    g = cr.grad(lambda s: cndi.geometric_transform(x, lambda o: (o[0] + s, o[1]),
                                                   order=1)[1, 0])(0.5)
    assert g == 3.0


def test_measurements_match_scipy_traced():
    labels = RNG.integers(0, 4, X.shape)
    for name in ("sum_labels", "mean", "variance", "standard_deviation", "median", "maximum",
                 "minimum", "center_of_mass", "extrema", "maximum_position"):
        for args in ((), (labels,), (labels, 2), (labels, [0, 1, 3, 7])):
            want = getattr(snd, name)(X, *args)
            got = traced(lambda x: getattr(cndi, name)(x, *args), X)
            for a, b in zip(cr.tree.flatten(got)[0], cr.tree.flatten(want)[0]):
                np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12, equal_nan=True)


def test_size_one_and_empty_inputs():
    one, empty = np.array([[2.5]]), np.zeros((0, 3))
    for x in (one, empty):
        for name, call in _calls("reflect").items():
            if x.size == 0 and name in ("rotate", "zoom", "affine", "map_coordinates1",
                                        "map_coordinates3", "map_coordinates4-raw"):
                continue   # SciPy's own behaviour there is an error or a shape of its choosing
            want = call(snd, x)
            got = traced(lambda v: call(cndi, v), x)
            assert got.shape == want.shape, name
            np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12, err_msg=name)
    # the derivative of a size-1 shift is the constant extension's: zero in the shift
    g = cr.grad(lambda s: cndi.shift(one[0], s, order=1, mode="nearest")[0])(0.3)
    assert g == 0.0


def test_float32_keeps_scipys_output_dtype():
    x = X.astype(np.float32)
    for call, name in ((lambda f, v: f.shift(v, 0.5, order=3), "shift"),
                       (lambda f, v: f.median_filter(v, 3), "median"),
                       (lambda f, v: f.sobel(v), "sobel"),
                       (lambda f, v: f.spline_filter1d(v, 3), "spline_filter1d")):
        want = call(snd, x)
        got = traced(lambda v: call(cndi, v), x)
        assert got.dtype == want.dtype, name
        np.testing.assert_allclose(got, want, rtol=2e-6, atol=2e-6, err_msg=name)
    # an integer image: rounded half away from zero, as SciPy's C loop stores it
    xi = (10 * X).astype(np.int16)
    c = RNG.uniform(0, 4, (2, 6))
    want = snd.map_coordinates(xi, c, order=1)
    got = traced(lambda c: cndi.map_coordinates(xi, c, order=1), c)
    assert got.dtype == np.int16 and np.array_equal(got, want)


def test_complex_where_scipy_accepts_it_and_no_silent_cast():
    z = X + 1j * X[::-1]
    c = RNG.uniform(-1, 5, (2, 4))
    for call in (lambda f, v: f.map_coordinates(v, c, order=3, mode="grid-wrap", cval=1 + 2j),
                 lambda f, v: f.rotate(v, 20.0, order=1), lambda f, v: f.sobel(v),
                 lambda f, v: f.mean(v, X > 0)):
        want = call(snd, z)
        got = traced(lambda v: call(cndi, v), z)
        assert np.asarray(got).dtype == np.asarray(want).dtype
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)
    cr.check_grads(lambda v: cndi.shift(v, 0.4, order=3), (z,), order=1, modes=("fwd", "rev"))
    for bad in (lambda: cndi.shift(X, 0.5 + 1j), lambda: cndi.affine_transform(X, np.eye(2) * 1j),
                lambda: cndi.map_coordinates(X, c + 0j), lambda: cndi.median_filter(z, 3),
                lambda: cndi.labeled_comprehension(z, X > 0, [1], np.sum, float, 0.0),
                lambda: traced(lambda v: cndi.sum_labels(v, X > 0, [1]), z)):
        with pytest.raises(TypeError):
            bad()


def test_interpolation_transpose_is_the_explicit_matrix_transpose():
    # M[:, j] = SciPy's map_coordinates of the j-th unit image (prefilter included): the
    # gradient of <g, map_coordinates(x)> must be Mᵀg, independently of the composite
    coords = RNG.uniform(-2, 7, (2, 9))
    for order, mode in ((3, "mirror"), (2, "nearest"), (5, "grid-constant"), (1, "wrap")):
        unit = np.eye(X.size).reshape(X.size, *X.shape)
        m = np.stack([snd.map_coordinates(e, coords, order=order, mode=mode) for e in unit], 1)
        g = RNG.standard_normal(9)
        grad = cr.grad(lambda x: cnp.sum(g * cndi.map_coordinates(x, coords, order=order,
                                                                  mode=mode)))(X)
        np.testing.assert_allclose(grad.ravel(), m.T @ g, rtol=1e-10, atol=1e-12)


def test_order1_coordinate_derivative_is_the_slope_of_the_cell():
    x = np.array([0.0, 1.0, 4.0, 9.0])
    for c, slope in ((0.3, 1.0), (1.5, 3.0), (2.99, 5.0), (-0.5, -1.0)):   # -0.5: mirrored
        g = cr.grad(lambda c: cndi.map_coordinates(x, c[None], order=1, mode="mirror")[0])(
            np.array([c]))
        assert g[0] == slope, c
    # a bilinear interpolant's mixed second derivative is the cell's twist
    img = np.array([[0.0, 1.0], [2.0, 7.0]])
    h = cr.hessian(lambda c: cndi.map_coordinates(img, c[:, None], order=1)[0])(
        np.array([0.4, 0.6]))
    np.testing.assert_allclose(h, [[0.0, 4.0], [4.0, 0.0]])


def test_rank_filter_ties_and_selection():
    x = np.array([1.0, 3.0, 3.0, 0.0])
    # the maximum gives the derivative to the first tied element in footprint order
    np.testing.assert_array_equal(cr.grad(lambda v: cndi.maximum_filter1d(v, 3)[1])(x),
                                  [0.0, 1.0, 0.0, 0.0])
    # a median with distinct values: the selected element
    y = np.array([4.0, 1.0, 3.0, 2.0])
    np.testing.assert_array_equal(cr.grad(lambda v: cndi.median_filter(v, 3)[2])(y),
                                  [0.0, 0.0, 0.0, 1.0])   # median of 1, 3, 2
    # grey dilation with size 2 (SciPy's reflected footprint: x[i] and x[i + 1])
    np.testing.assert_array_equal(cr.jacobian(lambda v: cndi.grey_dilation(v, size=2))(y),
                                  [[1, 0, 0, 0], [0, 0, 1, 0], [0, 0, 1, 0], [0, 0, 0, 1]])


def test_pass_throughs_give_scipys_values_and_refuse_derivatives():
    mask = X > 0.2
    lab, n = cndi.label(mask)
    want_lab, want_n = snd.label(mask)
    assert n == want_n and np.array_equal(lab, want_lab)
    assert cndi.find_objects(lab) == snd.find_objects(lab)
    assert cndi.value_indices(lab).keys() == snd.value_indices(lab).keys()
    assert np.array_equal(cndi.generate_binary_structure(2, 2),
                          snd.generate_binary_structure(2, 2))
    np.testing.assert_array_equal(cndi.distance_transform_edt(X * mask),
                                  snd.distance_transform_edt(X * mask))
    # label of a mask computed from the traced image is a constant: fine inside grad
    g = cr.grad(lambda x: cnp.sum(x * (cndi.label(x > 0.2)[0] == 1)))(X)
    np.testing.assert_array_equal(g, (want_lab == 1).astype(float))
    with pytest.raises(TypeError, match="no derivative"):
        cr.grad(lambda x: cnp.sum(cndi.distance_transform_edt(x)))(X)
    with pytest.raises(TypeError, match="neither differentiates nor vmaps"):
        cr.vmap(cndi.find_objects)(np.stack([lab, lab]))


def test_clear_errors():
    with pytest.raises(TypeError, match="assign the result"):
        cndi.sobel(X, 0, np.empty_like(X))
    with pytest.raises(TypeError, match="assign the result"):
        cndi.map_coordinates(X, np.zeros((2, 3)), output=np.empty(3))
    with pytest.raises(TypeError, match="zoom factors"):
        cr.grad(lambda z: cnp.sum(cndi.zoom(X, z)))(1.5)
    with pytest.raises(TypeError, match="sigma"):
        cr.grad(lambda s: cnp.sum(cndi.gaussian_laplace(X, s)))(1.0)
    with pytest.raises(RuntimeError, match="boundary mode"):
        traced(lambda x: cndi.shift(x, 0.5, mode="bogus"), X)
    with pytest.raises(RuntimeError, match="rank not within"):
        traced(lambda x: cndi.rank_filter(x, 9, size=2), X)


def test_results_do_not_alias_the_input():
    for fn in (lambda x: cndi.shift(x, 0.0, order=0), lambda x: cndi.zoom(x, 1.0),
               lambda x: cndi.maximum_filter(x, 1), lambda x: cndi.generic_laplace(x, None,
                                                                                   axes=())):
        out = fn(X)
        assert not np.shares_memory(out, X)


# ---- a program from the SciPy tutorial's registration idea, ported unchanged but for imports --
def test_image_registration_by_shift_recovers_the_offset():
    import numpy as np
    import chainrule as cr
    from chainrule.scipy import ndimage     # was: from scipy import ndimage

    yy, xx = np.mgrid[0:24, 0:24]
    reference = np.exp(-((yy - 11.0) ** 2 + (xx - 12.5) ** 2) / 18.0)
    true_shift = np.array([1.3, -0.8])
    moving = ndimage.shift(reference, true_shift, order=1, mode="nearest")

    def loss(s):
        return ((ndimage.shift(moving, s, order=1, mode="nearest") - reference) ** 2).sum()

    s = np.zeros(2)
    for _ in range(50):   # gradient descent on the shift
        s = s - 0.2 * cr.grad(loss)(s)
    np.testing.assert_allclose(s, -true_shift, atol=0.05)
    # the gradient at a point is the central difference of the loss (order 1: piecewise
    # quadratic, so the difference is exact away from the cell edges)
    at, h = np.array([-0.43, 0.21]), 1e-6
    fd = [(loss(at + h * e) - loss(at - h * e)) / (2 * h) for e in np.eye(2)]
    np.testing.assert_allclose(cr.grad(loss)(at), fd, rtol=1e-6)
