"""chainrule.scipy.ndimage beyond the rule specs: every boundary mode, kernel length and
origin against SciPy (small inputs, long kernels: the extension wraps more than once), the
adjoint of a filter as the filter of the transposed boundary (closed form for 'wrap'), the
dtypes SciPy keeps, no aliasing, clear errors."""

import numpy as np
import pytest
import scipy.ndimage

import chainrule as cr
import chainrule.numpy as cnp
import chainrule.scipy.ndimage as cndi

MODES = ("reflect", "mirror", "nearest", "wrap", "constant", "grid-mirror", "grid-wrap",
         "grid-constant")


@pytest.mark.parametrize("mode", MODES)
def test_one_d_filters_match_scipy_for_every_length_and_origin(mode):
    rng = np.random.default_rng(len(mode))
    for n in (1, 2, 5):
        for k in (1, 2, 3, 6, 11):
            x, w = rng.standard_normal(n), rng.standard_normal(k)
            for origin in range(-(k // 2), (k - 1) // 2 + 1):
                for name in ("correlate1d", "convolve1d"):
                    ours = getattr(cndi, name)(x, w, mode=mode, cval=0.7, origin=origin)
                    theirs = getattr(scipy.ndimage, name)(x, w, mode=mode, cval=0.7,
                                                          origin=origin)
                    np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-12,
                                               err_msg=f"{name} n={n} k={k} origin={origin}")


@pytest.mark.parametrize("mode", MODES)
def test_n_d_filters_match_scipy(mode):
    rng = np.random.default_rng(3)
    x, w = rng.standard_normal((4, 5)), rng.standard_normal((3, 4))
    for name in ("correlate", "convolve"):
        for origin in ((0, 0), (-1, 1)):
            np.testing.assert_allclose(
                getattr(cndi, name)(x, w, mode=mode, cval=-0.3, origin=origin),
                getattr(scipy.ndimage, name)(x, w, mode=mode, cval=-0.3, origin=origin),
                rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(cndi.gaussian_filter(x, (1.1, 0.6), order=(2, 1), mode=mode),
                               scipy.ndimage.gaussian_filter(x, (1.1, 0.6), order=(2, 1),
                                                             mode=mode), atol=1e-12)
    np.testing.assert_allclose(cndi.uniform_filter(x, (2, 3), mode=mode, origin=(0, 1)),
                               scipy.ndimage.uniform_filter(x, (2, 3), mode=mode,
                                                            origin=(0, 1)), atol=1e-12)


def test_wrap_correlation_gradient_is_the_flipped_wrap_correlation():
    # periodic correlation: its transpose is the periodic correlation with the reversed
    # kernel (origin mirrored), a closed form independent of the composition
    rng = np.random.default_rng(5)
    x, w, g = rng.standard_normal(7), rng.standard_normal(3), rng.standard_normal(7)
    grad = cr.grad(lambda x: cnp.sum(g * cndi.correlate1d(x, w, mode="wrap")))(x)
    np.testing.assert_allclose(grad, scipy.ndimage.correlate1d(g, w[::-1], mode="wrap"),
                               atol=1e-12)
    gw = cr.grad(lambda w: cnp.sum(g * cndi.correlate1d(x, w, mode="wrap")))(w)
    np.testing.assert_allclose(gw, [np.sum(g * np.roll(x, 1 - j)) for j in range(3)],
                               atol=1e-12)


def test_dtypes_as_scipy_and_no_aliasing():
    x = np.arange(12.0).reshape(3, 4)
    for fn, args in ((cndi.gaussian_filter, (1.0,)), (cndi.uniform_filter, (3,)),
                     (cndi.correlate, (np.ones((2, 2)),))):
        for dt in (np.float32, np.int64, np.complex128):
            ours = fn(x.astype(dt), *args)
            theirs = getattr(scipy.ndimage, fn.__name__)(x.astype(dt), *args)
            assert ours.dtype == theirs.dtype
            np.testing.assert_allclose(ours, theirs, rtol=1e-6)
    assert cndi.correlate(np.ones(3, np.float32), np.array([1.0, 2j])).dtype == np.complex64
    out = cndi.gaussian_filter(x, 0.0)   # nothing to filter: a copy, not the caller's array
    assert out is not x and not np.shares_memory(out, x)
    np.testing.assert_array_equal(out, x)


def test_clear_errors():
    with pytest.raises(ValueError, match="mode"):
        cndi.correlate(np.ones(3), np.ones(2), mode="bogus")
    with pytest.raises(TypeError, match="assign the result"):
        cndi.convolve(np.ones(3), np.ones(2), output=np.empty(3))
    with pytest.raises(ValueError, match="origin"):
        cndi.correlate1d(np.ones(3), np.ones(3), origin=2)
    with pytest.raises(TypeError, match="sigma"):
        cr.grad(lambda s: cndi.gaussian_filter(np.ones(3), s).sum())(1.0)
    with pytest.raises(RuntimeError, match="one dimension per"):
        cndi.correlate(np.ones((3, 3)), np.ones(3))
