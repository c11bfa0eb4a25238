"""chainrule.scipy.signal beyond the generated rule tests (tests/test_rules.py, whose values are
compared with SciPy's in tests/test_values.py): closed forms, the transpose of lfilter, SciPy's
defaults, refusals."""

import warnings

import numpy as np
import pytest
import scipy.signal as ss

import chainrule as cr
import chainrule.numpy as cnp
import chainrule.scipy.signal as csig


def test_one_pole_filter_and_its_derivative_in_the_pole():
    # y = x / (1 - p z⁻¹): the impulse response is pⁿ, its derivative n·pⁿ⁻¹ (second n(n-1)pⁿ⁻²)
    n = np.arange(6.0)
    impulse = np.eye(6)[0]
    f = lambda p: csig.lfilter([1.0], cnp.stack([1.0, -p]), impulse)
    p = 0.7
    np.testing.assert_allclose(f(p), p ** n, rtol=1e-14)
    np.testing.assert_allclose(cr.jacfwd(f)(p), n * p ** (n - 1), rtol=1e-13)
    np.testing.assert_allclose(cr.jacrev(f)(p), n * p ** (n - 1), rtol=1e-13)
    np.testing.assert_allclose(cr.jacfwd(cr.jacrev(f))(p), n * (n - 1) * p ** np.maximum(n - 2, 0),
                               rtol=1e-12)


def test_lfilter_transpose_is_the_filter_run_backwards():
    """⟨u, J v⟩ = ⟨Jᵀ u, v⟩ in every input (b, a, x, zi), and Jᵀ in x is the reversed filter."""
    rng = np.random.default_rng(3)
    b, a = np.array([0.4, 0.3, 0.2]), np.array([1.0, -0.5, 0.1])
    x, zi = rng.standard_normal(8), rng.standard_normal(2)
    f = lambda b, a, x, zi: csig.lfilter(b, a, x, zi=zi)[0]
    args = (b, a, x, zi)
    v = tuple(rng.standard_normal(np.shape(t)) for t in args)
    u = rng.standard_normal(8)
    jv = cr.jvp(f, args, v)[1]
    jtu = cr.vjp(f, *args)[1](u)
    np.testing.assert_allclose(np.dot(u, jv), sum(np.dot(c, t) for c, t in zip(jtu, v)),
                               rtol=1e-12)
    np.testing.assert_allclose(jtu[2], ss.lfilter(b, a, u[::-1])[::-1], rtol=1e-12)


def test_lfilter_values_final_state_and_refusals():
    rng = np.random.default_rng(4)
    b, a, x = [0.2, 0.3], [2.0, -0.4, 0.1], rng.standard_normal((3, 5))
    zi = rng.standard_normal((3, 2))
    for got, want in zip(csig.lfilter(b, a, x, zi=zi), ss.lfilter(b, a, x, zi=zi)):
        np.testing.assert_allclose(got, want, rtol=1e-13, atol=1e-15)
    zi_col = rng.standard_normal((1, 2))     # SciPy's singleton expansion of zi
    for got, want in zip(csig.lfilter(b, a, x, zi=zi_col), ss.lfilter(b, a, x, zi=zi_col)):
        np.testing.assert_allclose(got, want, rtol=1e-13, atol=1e-15)
    y = csig.lfilter(b, a, x)
    assert y is not x and np.result_type(y) == np.float64
    assert np.isnan(csig.lfilter(b, a, np.array([1.0, np.nan, 1.0]))[1:]).all()
    with pytest.raises(ValueError, match="zero"):
        csig.lfilter(b, [0.0, 1.0], x)
    with pytest.raises(ValueError, match="zi"):
        csig.lfilter(b, a, x, zi=np.ones((3, 3)))
    with pytest.raises(NotImplementedError, match="pad"):
        csig.filtfilt(b, a, x, method="gust")


def test_filtfilt_default_padding_and_steady_state_match_scipy():
    b, a = ss.butter(3, 0.25)
    x = np.sin(np.linspace(0.0, 6.0, 40)) + 0.1 * np.cos(np.arange(40.0) * 2.1)
    np.testing.assert_allclose(csig.filtfilt(b, a, x), ss.filtfilt(b, a, x), rtol=1e-11,
                               atol=1e-13)
    cr.check_grads(lambda b, a, x: csig.filtfilt(b, a, x)[::7], (b, a, x), order=1,
                   modes=("fwd", "rev"), rtol=1e-5)
    sos = ss.butter(4, 0.3, output="sos")
    np.testing.assert_allclose(csig.sosfilt(sos, x), ss.sosfilt(sos, x), rtol=1e-11, atol=1e-13)


def test_welch_and_periodogram_defaults_and_parseval():
    rng = np.random.default_rng(5)
    x = rng.standard_normal(300)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for ours, theirs in ((csig.welch(x), ss.welch(x)),
                             (csig.periodogram(x), ss.periodogram(x))):
            for got, want in zip(ours, theirs):
                np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-14)
    # Parseval: the two-sided density times df = 1/N sums to the mean square of the
    # (detrended) signal; its gradient is then 2(x - mean)/N
    x = x - x.mean()
    total = lambda x: cnp.sum(csig.periodogram(x, return_onesided=False)[1]) / len(x)
    np.testing.assert_allclose(total(x), np.mean(x * x), rtol=1e-12)
    g = cr.grad(total)(x)
    np.testing.assert_allclose(g, 2 * (x - x.mean()) / len(x), atol=1e-14)
    with pytest.raises(NotImplementedError, match="median"):
        csig.welch(x, average="median")
    np.testing.assert_array_equal(csig.get_window("hamming", 5), ss.get_window("hamming", 5))


def test_convolutions_along_axes_and_boundaries_differentiate():
    rng = np.random.default_rng(6)
    a, v = rng.standard_normal((3, 6)), rng.standard_normal((3, 2))
    want = np.stack([np.convolve(a[i], v[i]) for i in range(3)])
    np.testing.assert_allclose(csig.fftconvolve(a, v, axes=1), want, rtol=1e-12, atol=1e-14)
    g = cr.grad(lambda v: cnp.sum(csig.fftconvolve(a, v, axes=-1)))(v)
    np.testing.assert_allclose(g, np.repeat(a.sum(axis=1, keepdims=True), 2, axis=1), rtol=1e-12)
    for boundary in ("wrap", "symm"):
        # a 1x1 kernel: any boundary gives in1·k, derivative in k = sum(in1)
        d = cr.grad(lambda k: cnp.sum(csig.convolve2d(a, k, "same", boundary=boundary)))(
            np.ones((1, 1)))
        np.testing.assert_allclose(d, [[a.sum()]], rtol=1e-12)


def test_savgol_keeps_polynomials_and_is_linear():
    t = np.arange(11.0)
    cubic = 0.1 * t ** 3 - t
    np.testing.assert_allclose(csig.savgol_filter(cubic, 5, 3), cubic, rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(csig.savgol_filter(cubic, 5, 3, deriv=1), 0.3 * t ** 2 - 1,
                               atol=1e-9)
    x = np.random.default_rng(7).standard_normal(11)
    jac = cr.jacrev(lambda x: csig.savgol_filter(x, 7, 2))(x)
    np.testing.assert_allclose(jac, ss.savgol_filter(np.eye(11), 7, 2, axis=0), atol=1e-13)
