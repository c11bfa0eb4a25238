"""Review of the NumPy names merged on day 5: each test failed before its fix."""
import warnings

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp
from chainrule.testing import check_grads


@pytest.mark.parametrize("call", [
    lambda a: cnp.moveaxis(a, 3, 0),
    lambda a: cnp.unstack(a, axis=3),
    lambda a: cnp.cumulative_sum(a, axis=2),
    lambda a: cnp.cumulative_prod(a, axis=-3),
    lambda a: cnp.linalg.vector_norm(a, axis=2),
])
def test_an_axis_out_of_range_is_numpys_axis_error(call):
    # (axis % ndim picked another axis: a value where NumPy raises)
    a = np.arange(1.0, 13.0).reshape(3, 4)
    with pytest.raises(np.exceptions.AxisError):
        call(a)
    with pytest.raises(np.exceptions.AxisError):
        cr.grad(lambda b: cnp.sum(call(b)))(a)


def _pieces(lib):
    return lambda a: lib.piecewise(a, [a < 0, a >= 0], [lambda t: -t, lambda t: t ** 2])


@pytest.mark.parametrize("x", [-1.5, 2.0, np.float64(2.0)])
def test_piecewise_of_a_python_number(x):
    # (x[cond] on a float: TypeError, eager and under grad)
    assert cnp.piecewise(x, [True], [lambda v: v * 2]) == np.piecewise(x, [True], [lambda v: v * 2])
    assert _pieces(cnp)(x) == _pieces(np)(x)
    assert cr.grad(_pieces(cnp))(x) == (-1.0 if x < 0 else 2 * x)
    check_grads(_pieces(cnp), (x,), order=2)


def test_a_traced_python_number_indexed_as_numpys_0d_array():
    assert cr.grad(lambda a: cnp.sum(cnp.asarray(a)[np.array(True)] * 3.0))(1.5) == 3.0


@pytest.mark.parametrize("condlist", [
    np.array([[True, False], [False, True]]),       # a 2-D array: one condition per row
    [np.array([True, False])],                       # a mask of the leading axis
])
def test_piecewise_conditions_of_fewer_axes_mask_leading_axes_as_numpy(condlist):
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    funcs = [lambda t: -t, lambda t: t * 10]
    want = np.piecewise(x, condlist, funcs)
    np.testing.assert_array_equal(cnp.piecewise(x, condlist, funcs), want)
    np.testing.assert_array_equal(cr.jit(lambda a: cnp.piecewise(a, condlist, funcs))(x), want)
    g = cr.grad(lambda a: cnp.sum(cnp.piecewise(a, condlist, funcs)))(x)
    np.testing.assert_array_equal(g, cr.grad(lambda a: cnp.sum(cnp.where(want == -x, -a, a * 10)))(x))


def test_vectorize_of_a_function_without_return_is_a_clear_error_when_traced():
    # (eager: NumPy's object array of None; jit and grad gave an array of nan)
    f = cnp.vectorize(lambda t: None)
    assert f(np.ones(2)).dtype == object
    for transform in (cr.jit, cr.grad):
        with pytest.raises(TypeError, match="returned None"):
            transform(lambda a: cnp.sum(f(a)))(np.ones(2))


def test_setdiff1d_keeps_ar1s_dtype_when_traced():
    a, b = np.array([1, 2, 3]), np.array([1.5, 2.0])
    want = np.setdiff1d(a, b)
    got = cr.jit(lambda x: cnp.setdiff1d(x, b))(a)
    assert got.dtype == want.dtype and np.array_equal(got, want)
    x = np.array([3.0, 1.0, 2.0])
    g = cr.grad(lambda v: cnp.sum(cnp.setdiff1d(v, np.array([1], np.int32)) * np.array([2.0, 5.0])))(x)
    np.testing.assert_array_equal(g, [5.0, 0.0, 2.0])


def test_histogramdd_of_a_1d_traced_sample_is_n_points_in_one_dimension():
    # (it was taken for one point in N dimensions: 3**20 bins, MemoryError)
    x = np.random.default_rng(0).normal(size=20)
    want, (edges,) = np.histogramdd(x, bins=3)
    got, (gedges,) = cr.jit(lambda s: cnp.histogramdd(s, bins=3))(x)
    np.testing.assert_array_equal(got, want)
    np.testing.assert_allclose(gedges, edges)
    w = np.linspace(0.5, 1.5, 20)
    check_grads(lambda ww: cnp.histogramdd(x, bins=3, weights=ww)[0], (w,), order=2)


@pytest.mark.parametrize("name", ["ascontiguousarray", "asfortranarray"])
def test_contiguous_conversions_of_a_traced_0d_value_are_1d_as_numpys(name):
    f = getattr(cnp, name)
    assert f(2.0).shape == getattr(np, name)(2.0).shape == (1,)
    assert cr.jit(f)(2.0).shape == (1,)
    assert cr.grad(lambda a: cnp.sum(f(a) * 3.0))(2.0) == 3.0


@pytest.mark.parametrize("uplo", ["l", "u"])
def test_eigh_takes_a_lower_case_uplo_as_numpy(uplo):
    a = np.array([[2.0, 1.0], [0.5, 3.0]])
    np.testing.assert_allclose(cnp.linalg.eigh(a, UPLO=uplo)[0], np.linalg.eigh(a, UPLO=uplo)[0])
    np.testing.assert_allclose(cnp.linalg.eigvalsh(a, UPLO=uplo), np.linalg.eigvalsh(a, UPLO=uplo))
    sym = np.array([[2.0, 0.5], [0.5, 3.0]])
    check_grads(lambda m: cnp.linalg.eigvalsh((m + m.T) / 2, UPLO=uplo), (sym,), order=2)


@pytest.mark.parametrize("transform", [cr.jit, cr.vmap, cr.grad])
def test_masks_combine_with_bitwise_operators_on_traced_values(transform):
    # ((a > 1) & (a < 4) under jit and vmap: TypeError, no __and__ on a tracer)
    a = np.arange(1.0, 7.0)
    bits = [True, False, True, False, True, False]
    programs = [
        (lambda v, lib: lib.sum(lib.where((v > 1) & (v < 4), v, 0.0)), 5.0),
        (lambda v, lib: lib.sum(lib.where(~(v > 1), v, 0.0)), 1.0),
        (lambda v, lib: lib.sum(lib.where((v > 3) | bits, v, 0.0)), 1.0 + 3 + 4 + 5 + 6),
        (lambda v, lib: lib.sum(lib.where(bits ^ (v < 4), v, 0.0)), 2.0 + 5),
        (lambda v, lib: lib.sum((v.astype(int) << [1, 1, 1, 2, 2, 2]) >> 1), 36.0),
    ]
    for f, want in programs:
        assert f(a, np) == want
        if transform is cr.grad:
            got = cr.value_and_grad(lambda v: f(v, cnp) * 1.0)(a)[0]
        elif transform is cr.vmap:
            got = cr.vmap(lambda v: f(v, cnp))(np.stack([a, a]))[1]
        else:
            got = cr.jit(lambda v: f(v, cnp))(a)
        assert got == want


def test_cov_takes_python_lists_of_weights():
    # (aweights=[...]: "can't multiply sequence by non-int of type 'list'")
    m = np.array([[1.0, 2.0, 4.0], [0.0, 1.0, 3.0]])
    for kw in ({"aweights": [1.0, 2.0, 3.0]}, {"fweights": [1, 2, 3], "aweights": [1.0, 0.5, 2.0]}):
        np.testing.assert_allclose(cnp.cov(m, **kw), np.cov(m, **kw))
        np.testing.assert_allclose(cr.jit(lambda x: cnp.cov(x, **kw))(m), np.cov(m, **kw))
    check_grads(lambda x: cnp.cov(x, aweights=[1.0, 2.0, 3.0]), (m,), order=2)


def test_nanmedian_of_infinities_is_numpys_mean_of_the_middle():
    # (interpolating between two infs at weight 0 gave nan where NumPy gives inf)
    x = np.array([[np.inf, np.nan, 1.0, np.inf], [-np.inf, 2.0, np.nan, 3.0]])
    for axis in (None, 1):
        want = np.nanmedian(x, axis=axis)
        np.testing.assert_array_equal(cnp.nanmedian(x, axis=axis), want)
        np.testing.assert_array_equal(cr.jit(lambda a: cnp.nanmedian(a, axis=axis))(x), want)
    y = np.array([3.0, np.nan, 1.0, 2.0, 7.0])
    np.testing.assert_array_equal(cr.grad(cnp.nanmedian)(y), [0.5, 0.0, 0.0, 0.5, 0.0])
    check_grads(lambda a: cnp.nanmedian(a, axis=0), (np.array([[3.0, 1.0], [np.nan, 2.0], [1.5, 5.0]]),), order=2)


@pytest.mark.parametrize("make", [np.poly1d, cnp.poly1d])
def test_polyval_of_a_poly1d_reads_its_coefficients_in_order(make):
    # (p[k] of a poly1d is the coefficient of x**k: the polynomial was evaluated reversed)
    c = np.array([1.0, 2.0, 3.0])
    want = np.polyval(np.poly1d(c), 2.0)   # 11
    assert cnp.polyval(make(c), 2.0) == want
    assert cr.jit(lambda x: cnp.polyval(make(c), x))(2.0) == want
    if make is cnp.poly1d:
        np.testing.assert_allclose(cr.grad(lambda a: cnp.polyval(cnp.poly1d(a), 2.0))(c), [4.0, 2.0, 1.0])


def test_vecdot_and_vector_norm_edge_cases_as_numpy():
    a, b = np.array([True, False]), np.array([True, True])
    want = np.vecdot(a, b)
    for got in (cnp.vecdot(a, b), cr.jit(cnp.vecdot)(a, b)):
        assert got.dtype == want.dtype == bool and got == want
    with pytest.raises(ValueError, match="0-d"):   # (IndexError: tuple index out of range)
        cnp.vecdot(2.0, 3.0)
    with pytest.raises(ValueError, match="Invalid norm order"):  # (was the 2-norm)
        cnp.linalg.vector_norm(np.ones(3), ord="fro")


def test_piecewise_with_a_traced_0d_condition():
    # (jit and vmap of a scalar program: a < 0 is a traced 0-d value, and condlist[0] failed)
    f = lambda a: cnp.piecewise(a, a < 0, [lambda t: -t, lambda t: t * 3])
    assert cr.jit(f)(-1.0) == 1.0 and cr.jit(f)(2.0) == 6.0
    np.testing.assert_array_equal(cr.vmap(f)(np.array([-1.0, 2.0])), [1.0, 6.0])
    np.testing.assert_array_equal(cr.vmap(cr.grad(f))(np.array([-1.0, 2.0])), [-1.0, 3.0])


@pytest.mark.parametrize("f", [lambda a: cnp.extract(a > 0, a), lambda a: cnp.trim_zeros(a - 1.0),
                               lambda a: cnp.setdiff1d(a, np.array([1.0]))])
def test_vmap_of_a_value_dependent_shape_says_so(f):
    # (the loop fallback stacked them: NumPy's "all the input array dimensions except for the
    # concatenation axis must match exactly")
    with warnings.catch_warnings(), pytest.raises(ValueError, match="different shapes"):
        warnings.simplefilter("ignore")   # (the loop fallback's own warning)
        cr.vmap(f)(np.array([[1.0, -1.0], [2.0, 3.0]]))


@pytest.mark.parametrize("obj", [range(3), np.poly1d([1.0, 2.0]), cnp.poly1d([1.0, 2.0]), "ab"])
def test_array_of_a_python_object_is_numpys(obj):
    # ("cannot combine arrays of different libraries (builtins)": only arrays of another
    # library, with a shape and a dtype, stay in their library)
    want = np.asarray(obj)
    for got in (cnp.asarray(obj), cnp.array(obj)):
        assert type(got) is np.ndarray and got.dtype == want.dtype
        np.testing.assert_array_equal(got, want)
