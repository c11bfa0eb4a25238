"""More of chainrule.scipy.signal (the signal2 piece): the values of the traced composites against
SciPy's (a plain call returns SciPy's own result), SciPy's docstring examples, the cases a user
tries first (size 1, float32, nan, complex), refusals. The derivatives are checked by the specs
in tests/test_rules.py (block "signal2")."""

import numpy as np
import pytest
import scipy.signal as ss

import chainrule as cr
import chainrule.numpy as cnp
import chainrule.scipy.signal as csig


def traced(f, *args):
    """f's value on the traced path (under jvp), where the composite runs."""
    return cr.jvp(f, args, tuple(np.zeros_like(a) for a in args))[0]


def same(got, want, rtol=1e-9, atol=1e-11):
    got, want = np.asarray(got), np.asarray(want)
    assert got.shape == want.shape and got.dtype == want.dtype, (got.shape, want.shape,
                                                                 got.dtype, want.dtype)
    np.testing.assert_allclose(got, want, rtol=rtol, atol=atol)


_RNG = np.random.default_rng(7)
_X = _RNG.standard_normal(13)
_X2 = _RNG.standard_normal((13, 3))
_H = _RNG.standard_normal(4)
_A = np.array([[-1.0, 0.5], [-0.3, -2.0]])
_B, _C, _D = np.array([[1.0], [0.5]]), np.array([[1.0, 2.0]]), np.array([[0.3]])
_T = np.linspace(0.0, 2.0, 21)
_U = _RNG.standard_normal(21)
_SOS = ss.butter(4, 0.2, output="sos")

_CASES = {
    "upfirdn-3-2": (lambda x: csig.upfirdn(_H, x, 3, 2), lambda x: ss.upfirdn(_H, x, 3, 2), _X),
    "upfirdn-axis0": (lambda x: csig.upfirdn(_H, x, 2, 3, axis=0),
                      lambda x: ss.upfirdn(_H, x, 2, 3, axis=0), _X2),
    "upfirdn-cval": (lambda x: csig.upfirdn(_H, x, 3, 2, cval=0.7),
                     lambda x: ss.upfirdn(_H, x, 3, 2, cval=0.7), _X),
    "upfirdn-float32": (lambda x: csig.upfirdn(_H.astype(np.float32), x, 2, 3),
                        lambda x: ss.upfirdn(_H.astype(np.float32), x, 2, 3),
                        _X.astype(np.float32)),
    "upfirdn-complex": (lambda x: csig.upfirdn(_H, x, 2), lambda x: ss.upfirdn(_H, x, 2),
                        _X + 1j * _X[::-1]),
    **{f"upfirdn-{m}": (lambda x, m=m: csig.upfirdn(_H, x, 3, 2, mode=m),
                        lambda x, m=m: ss.upfirdn(_H, x, 3, 2, mode=m), _X)
       for m in ("wrap", "edge", "smooth", "symmetric", "reflect", "antisymmetric",
                 "antireflect", "line")},
    "upfirdn-long-filter-wrap": (lambda x: csig.upfirdn(np.arange(12.0), x, 2, 3, mode="wrap"),
                                 lambda x: ss.upfirdn(np.arange(12.0), x, 2, 3, mode="wrap"),
                                 _X[:3]),
    **{f"resample-{n}-{w}": (lambda x, n=n, w=w: csig.resample(x, n, window=w),
                             lambda x, n=n, w=w: ss.resample(x, n, window=w), _X)
       for n in (1, 2, 6, 13, 26, 27) for w in (None, "hann")},
    "resample-even-up": (lambda x: csig.resample(x, 20), lambda x: ss.resample(x, 20), _X[:12]),
    "resample-complex": (lambda x: csig.resample(x, 8), lambda x: ss.resample(x, 8),
                         _X + 1j * _X[::-1]),
    "resample-float32": (lambda x: csig.resample(x, 8), lambda x: ss.resample(x, 8),
                         _X.astype(np.float32)),
    "resample-freq": (lambda x: csig.resample(x, 7, domain="freq"),
                      lambda x: ss.resample(x, 7, domain="freq"), _X + 0j),
    **{f"resample_poly-{p}": (lambda x, p=p: csig.resample_poly(x, 3, 2, padtype=p),
                              lambda x, p=p: ss.resample_poly(x, 3, 2, padtype=p), _X)
       for p in ("constant", "mean", "median", "minimum", "maximum", "line", "wrap")},
    "resample_poly-cval-axis1": (lambda x: csig.resample_poly(x, 1, 3, axis=1, cval=1.5),
                                 lambda x: ss.resample_poly(x, 1, 3, axis=1, cval=1.5), _X2.T),
    "resample_poly-window": (lambda x: csig.resample_poly(x, 2, 3, window=_H),
                             lambda x: ss.resample_poly(x, 2, 3, window=_H), _X),
    **{f"decimate-{f}-{z}": (lambda x, f=f, z=z: csig.decimate(x, 3, ftype=f, zero_phase=z),
                             lambda x, f=f, z=z: ss.decimate(x, 3, ftype=f, zero_phase=z),
                             np.tile(_X, 3))
       for f in ("iir", "fir") for z in (True, False)},
    "decimate-dlti": (lambda x: csig.decimate(x, 2, ftype=ss.dlti(*ss.butter(3, 0.4))),
                      lambda x: ss.decimate(x, 2, ftype=ss.dlti(*ss.butter(3, 0.4))),
                      np.tile(_X, 3)),
    "lfiltic": (lambda y, x: csig.lfiltic([1.0, 0.5, 0.2], [2.0, -0.3, 0.1], y, x),
                lambda y, x: ss.lfiltic([1.0, 0.5, 0.2], [2.0, -0.3, 0.1], y, x),
                _X[:2], _X[2:3]),
    "sosfiltfilt": (lambda x: csig.sosfiltfilt(_SOS, x), lambda x: ss.sosfiltfilt(_SOS, x),
                    np.tile(_X, 3)),
    "sosfiltfilt-even-axis0": (lambda x: csig.sosfiltfilt(_SOS, x, axis=0, padtype="even"),
                               lambda x: ss.sosfiltfilt(_SOS, x, axis=0, padtype="even"),
                               np.tile(_X2, (3, 1))),
    "deconvolve": (lambda n: csig.deconvolve(n, [2.0, 1.0, 0.3]),
                   lambda n: ss.deconvolve(n, [2.0, 1.0, 0.3]), _X),
    **{f"lsim-{i}": (lambda u, x0, i=i: csig.lsim((_A, _B, _C, _D), u, _T + 0.5, X0=x0,
                                                  interp=i)[1:],
                     lambda u, x0, i=i: ss.lsim((_A, _B, _C, _D), u, _T + 0.5, X0=x0,
                                                interp=i)[1:], _U, np.array([1.0, -1.0]))
       for i in (True, False)},
    "lsim-tf": (lambda u: csig.lsim(([1.0, 2.0], [1.0, 3.0, 2.0]), u, _T)[1],
                lambda u: ss.lsim(([1.0, 2.0], [1.0, 3.0, 2.0]), u, _T)[1], _U),
    "lsim-zero-input": (lambda x0: csig.lsim((_A, _B, _C, _D), 0.0, _T, X0=x0)[1:],
                        lambda x0: ss.lsim((_A, _B, _C, _D), 0.0, _T, X0=x0)[1:],
                        np.array([1.0, -1.0])),
    "lsim-no-input": (lambda x0: csig.lsim((_A, _B, _C, _D), None, _T, X0=x0)[1],
                      lambda x0: ss.lsim((_A, _B, _C, _D), None, _T, X0=x0)[1],
                      np.array([1.0, -1.0])),
    "dlsim-ss": (lambda u, x0: csig.dlsim((0.3 * _A, _B, _C, _D, 0.1), u, x0=x0)[1:],
                 lambda u, x0: ss.dlsim((0.3 * _A, _B, _C, _D, 0.1), u, x0=x0)[1:], _U,
                 np.array([1.0, 2.0])),
    "dlsim-tf-t": (lambda u: csig.dlsim(([1.0, 0.5], [1.0, -0.5], 0.1), u,
                                        t=np.linspace(0, 1, 21))[1],
                   lambda u: ss.dlsim(([1.0, 0.5], [1.0, -0.5], 0.1), u,
                                      t=np.linspace(0, 1, 21))[1], _U),
}


@pytest.mark.parametrize("label", sorted(_CASES))
def test_traced_values_are_scipys(label):
    ours, scipys, *args = _CASES[label]
    got, want = traced(ours, *args), scipys(*args)
    for g, w in zip(cr.tree.flatten(got)[0], cr.tree.flatten(want)[0]):
        same(g, w, rtol=2e-5 if np.asarray(w).dtype in (np.float32, np.complex64) else 1e-9)


def test_plain_calls_are_scipys_own():
    assert np.array_equal(csig.resample(_X, 7), ss.resample(_X, 7))
    got, want = csig.lsim((_A, _B, _C, _D), _U, _T), ss.lsim((_A, _B, _C, _D), _U, _T)
    assert all(np.array_equal(g, w) for g, w in zip(got, want))
    with pytest.raises(ValueError, match="equally spaced"):
        csig.lsim((_A, _B, _C, _D), _U, _T ** 2)


def test_scipys_examples_unchanged_but_for_imports():
    from chainrule.scipy.signal import upfirdn, deconvolve, dlsim, lsim, resample_poly, decimate
    from scipy.signal import bessel, lti, convolve
    assert np.array_equal(upfirdn([1, 1, 1], [1, 2, 3], 3), [1, 1, 1, 2, 2, 2, 3, 3, 3])
    assert np.allclose(upfirdn([.5, 1, .5], np.arange(10), 2, 3),
                       [0., 1., 2.5, 4., 5.5, 7., 8.5])
    x = np.reshape(np.arange(8), (4, 2))
    same(traced(lambda x: upfirdn([1.0, 1.0], x, 2, axis=0), x * 1.0),
         ss.upfirdn([1, 1], x * 1.0, 2, axis=0))
    original = [0, 1, 0, 0, 1, 1, 0, 0]
    impulse_response = [2, 1]
    recorded = convolve(impulse_response, original)
    recovered, remainder = deconvolve(recorded, impulse_response)
    assert np.array_equal(recovered, [0., 1., 0., 0., 1., 1., 0., 0.])
    tf = ([1.0,], [1.0, -1.0], 1.0)
    t_out, y = dlsim(tf, np.asarray([0.0, 0.0, 1.0, 1.0]), t=[0.0, 1.0, 2.0, 3.0])
    assert np.array_equal(y.T, [[0., 0., 0., 1.]])
    b, a = bessel(N=5, Wn=2 * np.pi * 12, btype='lowpass', analog=True)
    t = np.linspace(0, 1.25, 500, endpoint=False)
    u = (np.cos(2 * np.pi * 4 * t) + 0.6 * np.sin(2 * np.pi * 40 * t) +
         0.5 * np.cos(2 * np.pi * 80 * t))
    tout, yout, xout = lsim((b, a), U=u, T=t)
    assert yout.shape == (500,)
    system = lti(np.array([[0.0, 1.0], [0.0, 0.0]]), np.array([[0.0], [1.0]]),
                 np.array([[1.0, 0.0]]), 0.0)
    t = np.linspace(0, 5, num=50)
    tout, y, x = lsim(system, np.ones_like(t), t)
    np.testing.assert_allclose(y, t ** 2 / 2, atol=1e-12)
    # ...and differentiated: d/du of the double integrator's final position
    g = cr.grad(lambda u: lsim(system, u, t)[1][-1])(np.ones_like(t))
    np.testing.assert_allclose(g.sum(), t[-1] ** 2 / 2, rtol=1e-10)
    y = np.cos(-np.linspace(0, 10, 20, endpoint=False) ** 2 / 6.0)
    assert resample_poly(y, 100, 20).shape == (100,)
    Y = np.stack([y[:5], y[5:10]], axis=-1)
    for pad in ("constant", "mean", "line"):
        same(traced(lambda Y: resample_poly(Y, 4, 1, padtype=pad), Y),
             ss.resample_poly(Y, 4, 1, padtype=pad))
    wave = np.cos(np.linspace(0, 3, 300, endpoint=False) * np.pi * 2 * 2)
    assert decimate(wave, 5).shape == (60,)


def test_what_users_try_first():
    # one sample, a constant, nan
    same(traced(lambda x: csig.upfirdn([1.0, 2.0], x, 2), np.array([3.0])),
         ss.upfirdn([1.0, 2.0], [3.0], 2))
    same(traced(lambda x: csig.resample(x, 3), np.array([2.0])), ss.resample(np.array([2.0]), 3))
    same(traced(lambda x: csig.resample(x, 9), np.full(6, 2.0)), np.full(9, 2.0))
    y = traced(lambda x: csig.resample_poly(x, 2, 1), np.array([1.0, np.nan, 1.0, 1.0]))
    assert np.isnan(y).any() and y.shape == (8,)
    # float32 kept, as SciPy keeps it
    assert traced(lambda x: csig.decimate(x, 2, ftype="fir"),
                  np.ones(20, np.float32)).dtype == np.float32
    # complex is never cast to real: dlsim computes in complex (SciPy would drop the imaginary part)
    t, y = csig.dlsim(([1.0], [1.0, -0.5], 1.0), np.array([1.0j, 0.0, 0.0]))
    np.testing.assert_allclose(y.ravel(), [0.0, 1.0j, 0.5j])


def test_refusals_say_what_to_do():
    with pytest.raises(TypeError, match="T must be a constant"):
        cr.grad(lambda s: csig.lsim((_A, _B, _C, _D), _U, s * _T)[1].sum())(1.0)
    with pytest.raises(NotImplementedError, match="zpk2ss"):
        cr.grad(lambda k: csig.lsim(([], [-1.0], k), _U, _T)[1].sum())(1.0)
    with pytest.raises(ValueError, match="Unknown mode"):
        cr.grad(lambda x: csig.upfirdn([1.0], x, mode="nope").sum())(np.ones(3))


def test_derivatives_in_the_system():
    """d/dk of e^(−k t) (lsim of 1/(s + k) from x0 = 1) and of a discrete pole's response."""
    t = np.linspace(0.0, 1.0, 11)
    f = lambda k: csig.lsim(([1.0], cnp.stack([1.0, k])), np.zeros(11), t, X0=[1.0])[1]
    np.testing.assert_allclose(cr.jacfwd(f)(2.0), -t * np.exp(-2.0 * t), atol=1e-12)
    np.testing.assert_allclose(cr.jacrev(f)(2.0), -t * np.exp(-2.0 * t), atol=1e-12)
    n = np.arange(5.0)
    g = lambda p: csig.dlsim(([1.0], cnp.stack([1.0, -p]), 1.0), np.eye(5)[0])[1].ravel()
    np.testing.assert_allclose(cr.jacfwd(g)(0.5), np.r_[0.0, 0.0, (n[2:] - 1) * 0.5 ** (n[2:] - 2)],
                               atol=1e-14)


# ---- spectral analysis ------------------------------------------------------------------------
_S = _RNG.standard_normal(64)
_S2 = _RNG.standard_normal(64)
_M = _RNG.standard_normal((3, 64))
_SPECTRAL = {
    **{f"spectrogram-{m}": (lambda x, m=m: csig.spectrogram(x, nperseg=16, mode=m, axis=0)[2],
                            lambda x, m=m: ss.spectrogram(x, nperseg=16, mode=m, axis=0)[2], _M.T)
       for m in ("psd", "complex", "magnitude", "angle", "phase")},
    "spectrogram-complex-linear": (lambda x: csig.spectrogram(x, nperseg=16, detrend="linear")[2],
                                   lambda x: ss.spectrogram(x, nperseg=16, detrend="linear")[2],
                                   _S + 1j * _S2),
    "spectrogram-nfft-spectrum": (
        lambda x: csig.spectrogram(x, nperseg=10, nfft=15, scaling="spectrum", noverlap=3)[2],
        lambda x: ss.spectrogram(x, nperseg=10, nfft=15, scaling="spectrum", noverlap=3)[2], _S),
    "csd": (lambda x, y: csig.csd(x, y, nperseg=16)[1], lambda x, y: ss.csd(x, y, nperseg=16)[1],
            _S, _S2),
    "csd-median": (lambda x, y: csig.csd(x, y, nperseg=16, average="median")[1],
                   lambda x, y: ss.csd(x, y, nperseg=16, average="median")[1], _S, _S2),
    "csd-axis0-unequal": (lambda x, y: csig.csd(x, y, nperseg=8, axis=0, nfft=11)[1],
                          lambda x, y: ss.csd(x, y, nperseg=8, axis=0, nfft=11)[1], _M.T,
                          _M.T[:50]),
    "csd-complex": (lambda x, y: csig.csd(x, y, nperseg=16, return_onesided=False)[1],
                    lambda x, y: ss.csd(x, y, nperseg=16, return_onesided=False)[1],
                    _S + 1j * _S2, _S2),
    "coherence": (lambda x, y: csig.coherence(x, y, nperseg=16)[1],
                  lambda x, y: ss.coherence(x, y, nperseg=16)[1], _S, _S2),
    "istft": (lambda z: csig.istft(z, nperseg=16)[1], lambda z: ss.istft(z, nperseg=16)[1],
              ss.stft(_S, nperseg=16)[2]),
    "istft-axes": (lambda z: csig.istft(z, nperseg=16, time_axis=0, freq_axis=2)[1],
                   lambda z: ss.istft(z, nperseg=16, time_axis=0, freq_axis=2)[1],
                   np.moveaxis(ss.stft(_M, nperseg=16)[2], -1, 0)),
    "istft-twosided-psd": (
        lambda z: csig.istft(z, nperseg=16, input_onesided=False, scaling="psd")[1],
        lambda z: ss.istft(z, nperseg=16, input_onesided=False, scaling="psd")[1],
        ss.stft(_S + 1j * _S2, nperseg=16, return_onesided=False)[2]),
    "czt": (csig.czt, ss.czt, _S[:13]),
    "czt-spiral-axis0": (lambda x: csig.czt(x, 7, np.exp(-0.2j), 0.9 * np.exp(0.3j), axis=0),
                         lambda x: ss.czt(x, 7, np.exp(-0.2j), 0.9 * np.exp(0.3j), axis=0), _M.T),
    "zoom_fft": (lambda x: csig.zoom_fft(x, [0.1, 0.4], m=9, fs=1.0, endpoint=True),
                 lambda x: ss.zoom_fft(x, [0.1, 0.4], m=9, fs=1.0, endpoint=True), _S + 1j * _S2),
    "CZT": (lambda x: csig.CZT(13, 5)(x), lambda x: ss.CZT(13, 5)(x), _S[:13]),
    "ZoomFFT": (lambda x: csig.ZoomFFT(13, 0.5, 7)(x), lambda x: ss.ZoomFFT(13, 0.5, 7)(x),
                _S[:13]),
    **{f"hilbert2-{n}": (lambda x, n=n: csig.hilbert2(x, n), lambda x, n=n: ss.hilbert2(x, n),
                         _M[:, :8]) for n in (None, 9, (5, 7))},
    "hilbert2-float32": (csig.hilbert2, ss.hilbert2, _M[:, :8].astype(np.float32)),
    **{f"envelope-{bp}-{n}-{r}-{k}": (
        lambda z, bp=bp, n=n, r=r: csig.envelope(z, bp, n_out=n, residual=r),
        lambda z, bp=bp, n=n, r=r: ss.envelope(z, bp, n_out=n, residual=r), z)
       for bp in ((1, None), (None, None), (-10, -2)) for n in (None, 40, 90)
       for r in ("lowpass", "all", None)
       for k, z in (("real", _S[:63]), ("complex", _S + 1j * _S2))},
    "envelope-squared-axis0": (lambda z: csig.envelope(z, squared=True, axis=0),
                               lambda z: ss.envelope(z, squared=True, axis=0), _M.T),
    "vectorstrength": (csig.vectorstrength, ss.vectorstrength, np.sort(_S ** 2),
                       np.array([1.3, 2.0])),
    **{f"lombscargle-{n}-{f}": (
        lambda x, y, w, n=n, f=f: csig.lombscargle(x, y, w, normalize=n, floating_mean=f),
        lambda x, y, w, n=n, f=f: ss.lombscargle(x, y, w, normalize=n, floating_mean=f),
        np.sort(_S[:30] ** 2), _S2[:30], np.linspace(0.5, 3.0, 7))
       for n in (False, True, "amplitude") for f in (False, True)},
}


@pytest.mark.parametrize("label", sorted(_SPECTRAL))
def test_traced_spectral_values_are_scipys(label):
    ours, scipys, *args = _SPECTRAL[label]
    got, want = traced(ours, *args), scipys(*args)
    for g, w in zip(cr.tree.flatten(got)[0], cr.tree.flatten(want)[0]):
        same(g, w, rtol=2e-5 if np.asarray(w).dtype in (np.float32, np.complex64) else 1e-9)


def test_scipys_spectral_examples_unchanged_but_for_imports():
    from chainrule.scipy.signal import (czt, zoom_fft, hilbert2, envelope, istft, stft, CZT,
                                        ZoomFFT, coherence, lombscargle)
    from chainrule.scipy.signal.windows import gaussian
    from scipy.signal import czt_points
    import scipy.signal
    fs, f1, f2 = 200, 8, 10
    t = np.linspace(0, 1, fs, endpoint=False)
    x = np.exp(-t * f1) * np.sin(2 * np.pi * t * f2)
    M = fs // 2
    a, w = np.exp(-f1 / fs), np.exp(-1j * np.pi / M)
    z_vals = czt(x, M + 1, w, a)
    same(traced(lambda x: czt(x, M + 1, w, a), x), z_vals)
    assert czt_points(M + 1, w, a).shape == (M + 1,)
    t = np.linspace(0, 1, 1021)
    x = np.cos(2 * np.pi * 15 * t) + np.sin(2 * np.pi * 17 * t)
    X = zoom_fft(x, [5, 27], len(x), fs=1021)
    transform = ZoomFFT(len(x), [5, 27], len(x), fs=1021)
    assert isinstance(transform, scipy.signal.ZoomFFT)
    same(traced(transform, x), X, rtol=1e-8, atol=1e-9)
    czt_7 = CZT(n=7)
    assert czt_7.points().shape == (7,)
    x = np.ones((5, 5)) / 5
    x[0, 0] += 1
    same(traced(hilbert2, x), ss.hilbert2(x))
    Z = np.array([[0, 0, 0, 0, 0], [0, 0, 0, 1, 0], [0, 0, 0, 0, 0], [0, 1, 0, 0, 0],
                  [0, 0, 0, 0, 0]]) * 25
    z = np.fft.ifft2(np.fft.ifftshift(Z))
    assert np.allclose(traced(hilbert2, z.real), 0)
    n, n_out = 500, 40
    T = 2 / n
    t = np.arange(n) * T
    x = gaussian(len(t), 0.4 / T) * np.cos(30 * np.pi * t + 35 * np.cos(2 * np.pi * 0.25 * t)) \
        + 0.3 * gaussian(len(t), 0.4 / T)
    bp_in = (int(4 * (n * T)), None)
    x_env, x_res = traced(lambda x: envelope(x, bp_in, n_out=n_out), x)
    want_env, want_res = ss.envelope(x, bp_in, n_out=n_out)
    same(x_env, want_env)
    same(x_res, want_res)
    fs = 1024
    time = np.arange(4 * fs) / float(fs)
    carrier = 2 * np.sqrt(2) * np.sin(2 * np.pi * 50 * time)
    f, t, Zxx = stft(carrier, fs=fs, nperseg=512)
    _, xrec = istft(Zxx, fs)
    np.testing.assert_allclose(xrec[:len(carrier)], carrier, atol=1e-10)
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 10 * np.pi, 150)
    y = 2.0 * np.cos(x) + 2.0
    wgrid = np.linspace(0.25, 10, 101)
    same(traced(lambda y: lombscargle(x, y, wgrid, normalize="amplitude", floating_mean=True), y),
         ss.lombscargle(x, y, wgrid, normalize="amplitude", floating_mean=True))
    g = cr.grad(lambda y: coherence(y, y[::-1] + 0.1, nperseg=32)[1].sum())(y)
    assert g.shape == (150,) and np.all(np.isfinite(g))


def test_windows_are_scipys_module():
    import scipy.signal.windows as sw
    from chainrule.scipy.signal.windows import hann
    assert hann is sw.hann and csig.windows.kaiser is sw.kaiser
    assert np.array_equal(csig.windows.hann(8), sw.hann(8))
    assert "tukey" in dir(csig.windows)


def test_spectral_refusals():
    with pytest.raises(TypeError, match="must be real"):
        csig.lombscargle(np.arange(3.0), np.ones(3) + 1j, np.ones(2))
    with pytest.raises(TypeError, match="must be a constant"):
        cr.grad(lambda a: csig.czt(np.ones(4), a=a).real.sum())(1.0)
    with pytest.raises(ValueError, match="x must be real"):
        cr.jacfwd(lambda x: csig.hilbert2(x * 1j).real)(np.ones((2, 2)))


# ---- rank, Wiener and B-spline filters ---------------------------------------------------------
_IMG = _RNG.standard_normal((6, 7))
_LONG = _RNG.standard_normal(60)
_BIG = _RNG.standard_normal((30, 40))
_R = -2 + np.sqrt(3.0)
_FILTERS = {
    "medfilt": (csig.medfilt, ss.medfilt, _LONG[:20]),
    "medfilt-5x3": (lambda x: csig.medfilt(x, [5, 3]), lambda x: ss.medfilt(x, [5, 3]), _IMG),
    "medfilt2d": (lambda x: csig.medfilt2d(x, 5), lambda x: ss.medfilt2d(x, 5), _IMG),
    "order_filter": (lambda x: csig.order_filter(x, np.identity(3), 2),
                     lambda x: ss.order_filter(x, np.identity(3), 2), _IMG),
    "wiener": (csig.wiener, ss.wiener, _IMG),
    "wiener-noise": (lambda x: csig.wiener(x, [3, 5], 0.1), lambda x: ss.wiener(x, [3, 5], 0.1),
                     _IMG),
    "symiirorder1": (lambda x: csig.symiirorder1(x, -6 * _R, _R), lambda x: ss.symiirorder1(
        x, -6 * _R, _R), _LONG),
    "symiirorder1-2d-complex": (lambda x: csig.symiirorder1(x, 1.0, -0.3, 1e-4),
                                lambda x: ss.symiirorder1(x, 1.0, -0.3, 1e-4),
                                _BIG[:3] + 1j * _BIG[3:6]),
    "symiirorder2": (lambda x: csig.symiirorder2(x, 0.5, 0.7), lambda x: ss.symiirorder2(
        x, 0.5, 0.7), _LONG),
    "symiirorder2-2d": (lambda x: csig.symiirorder2(x, 0.3, 1.2, 1e-4),
                        lambda x: ss.symiirorder2(x, 0.3, 1.2, 1e-4), _BIG[:3]),
    "cspline1d": (csig.cspline1d, ss.cspline1d, _LONG),
    "cspline1d-smoothing": (lambda x: csig.cspline1d(x, 0.5), lambda x: ss.cspline1d(x, 0.5),
                            _LONG),
    "cspline1d-one": (csig.cspline1d, ss.cspline1d, _LONG[:1]),
    "qspline1d": (csig.qspline1d, ss.qspline1d, _LONG),
    "cspline2d": (csig.cspline2d, ss.cspline2d, _BIG),
    "cspline2d-smoothing": (lambda x: csig.cspline2d(x, 0.5), lambda x: ss.cspline2d(x, 0.5),
                            _BIG),
    "qspline2d": (csig.qspline2d, ss.qspline2d, _BIG),
    "spline_filter": (csig.spline_filter, ss.spline_filter, _BIG),
    "spline_filter-float32": (csig.spline_filter, ss.spline_filter, _BIG.astype(np.float32)),
    "sepfir2d": (csig.sepfir2d, ss.sepfir2d, _IMG, _LONG[:3], _LONG[3:8]),
    "cspline1d_eval": (csig.cspline1d_eval, ss.cspline1d_eval, _LONG[:20],
                       np.linspace(-25, 45, 101)),
    "cspline1d_eval-dx": (lambda c, x: csig.cspline1d_eval(c, x, dx=0.5, x0=2.0),
                          lambda c, x: ss.cspline1d_eval(c, x, dx=0.5, x0=2.0), _LONG[:20],
                          np.linspace(-25, 45, 101)),
    "qspline1d_eval": (csig.qspline1d_eval, ss.qspline1d_eval, _LONG[:20],
                       np.linspace(-25, 45, 101)),
    "gauss_spline": (lambda x: csig.gauss_spline(x, 3), lambda x: ss.gauss_spline(x, 3), _LONG),
}


@pytest.mark.parametrize("label", sorted(_FILTERS))
def test_traced_filter_values_are_scipys(label):
    ours, scipys, *args = _FILTERS[label]
    got, want = traced(ours, *args), scipys(*args)
    same(got, want, rtol=1e-5 if np.asarray(want).dtype == np.float32 else 1e-9,
         atol=1e-6 if np.asarray(want).dtype == np.float32 else 1e-11)


def test_scipys_filter_examples_unchanged_but_for_imports():
    from chainrule.scipy.signal import (medfilt2d, order_filter, wiener, cspline1d,
                                        cspline1d_eval, qspline1d, qspline1d_eval, spline_filter,
                                        gauss_spline)
    x = np.arange(25).reshape(5, 5)
    assert np.array_equal(medfilt2d(x, kernel_size=[5, 3]), ss.medfilt2d(x, kernel_size=[5, 3]))
    same(traced(lambda x: medfilt2d(x, kernel_size=[3, 5]), x * 1.0),
         ss.medfilt2d(x * 1.0, kernel_size=[3, 5]))
    same(traced(lambda x: order_filter(x, np.identity(3), 0), x * 1.0),
         ss.order_filter(x * 1.0, np.identity(3), 0))
    rng = np.random.default_rng(0)
    img = rng.random((40, 40))
    same(traced(lambda im: wiener(im, (5, 5)), img), ss.wiener(img, (5, 5)))
    sig = np.repeat([0., 1., 0.], 100)
    sig += rng.standard_normal(len(sig)) * 0.05
    time = np.linspace(0, len(sig))
    same(traced(lambda s: cspline1d_eval(cspline1d(s), time), sig),
         ss.cspline1d_eval(ss.cspline1d(sig), time))
    same(traced(lambda s: qspline1d_eval(qspline1d(s), time), sig),
         ss.qspline1d_eval(ss.qspline1d(sig), time))
    orig_img = np.eye(20)
    orig_img[10, :] = 1.0
    same(traced(lambda im: spline_filter(im, lmbda=0.1), orig_img),
         ss.spline_filter(orig_img, lmbda=0.1))
    np.testing.assert_allclose(gauss_spline(np.array([-1.0, 0.0, -1.0]), 3),
                               [0.15418033, 0.6909883, 0.15418033], rtol=1e-7)


def test_rank_filters_send_the_derivative_to_the_selected_element():
    x = np.array([[5.0, 1.0, 3.0], [2.0, 9.0, 4.0], [7.0, 6.0, 8.0]])
    g = cr.grad(lambda x: csig.medfilt2d(x)[1, 1])(x)
    assert g[0, 0] == 1.0 and g.sum() == 1.0          # the median of the 3x3 window is 5
    g = cr.grad(lambda x: csig.order_filter(x, np.ones((3, 3)), 8)[1, 1])(x)
    assert g[1, 1] == 1.0 and g.sum() == 1.0          # the largest is 9


def test_spline_derivatives_in_the_points():
    """d/dx of the spline's value at x is the spline's slope: against SciPy's own values'
    central differences (a test, not the library)."""
    c = ss.cspline1d(np.arange(12.0) ** 2)
    x = np.array([4.3, 5.5, 6.1, -1.2, 13.7])
    h = 1e-6
    slope = (ss.cspline1d_eval(c, x + h) - ss.cspline1d_eval(c, x - h)) / (2 * h)
    np.testing.assert_allclose(cr.grad(lambda x: csig.cspline1d_eval(c, x).sum())(x), slope,
                               rtol=1e-7)
    np.testing.assert_allclose(cr.jacfwd(lambda x: csig.cspline1d_eval(c, x))(x), np.diag(slope),
                               rtol=1e-7, atol=1e-12)
    q = ss.qspline1d(np.arange(12.0) ** 2)
    slope = (ss.qspline1d_eval(q, x + h) - ss.qspline1d_eval(q, x - h)) / (2 * h)
    np.testing.assert_allclose(cr.grad(lambda x: csig.qspline1d_eval(q, x).sum())(x), slope,
                               rtol=1e-7)


def test_filter_refusals():
    with pytest.raises(ValueError, match="did not converge"):
        cr.grad(lambda x: csig.symiirorder1(x, 1.0, 0.5).sum())(np.ones(10))
    with pytest.raises(TypeError, match="must be real"):
        csig.sepfir2d(np.ones((3, 3)), np.ones(3) * 1j, np.ones(3))
    with pytest.raises(ValueError, match="odd"):
        cr.grad(lambda x: csig.medfilt(x, 2).sum())(np.ones(4))


# ---- the classes: ShortTimeFFT, CZT, ZoomFFT ----------------------------------------------------
def _stft_pair(mode="onesided"):
    kw = dict(fft_mode=mode, scale_to="magnitude" if mode == "onesided2X" else None)
    return csig.ShortTimeFFT(np.hanning(8), 3, 2.0, **kw), ss.ShortTimeFFT(np.hanning(8), 3, 2.0,
                                                                          **kw)


@pytest.mark.parametrize("mode", ["onesided", "onesided2X", "twosided", "centered"])
@pytest.mark.parametrize("padding", ["zeros", "edge", "even", "odd"])
def test_short_time_fft_traced_values_are_scipys(mode, padding):
    ours, theirs = _stft_pair(mode)
    assert isinstance(ours, ss.ShortTimeFFT)
    x = _S[:30] if mode.startswith("one") else _S[:30] + 1j * _S2[:30]
    same(traced(lambda x: ours.stft(x, padding=padding), x), theirs.stft(x, padding=padding))
    same(traced(lambda x: ours.stft(x, 2, 7, k_offset=3, padding=padding, axis=0),
                np.stack([x, x[::-1]], axis=1)),
         theirs.stft(np.stack([x, x[::-1]], axis=1), 2, 7, k_offset=3, padding=padding, axis=0))
    sx = theirs.stft(x)
    same(traced(lambda s: ours.istft(s, k1=30), sx), theirs.istft(sx, k1=30))
    same(traced(lambda s: ours.istft(s, 3, 25), sx), theirs.istft(sx, 3, 25))
    same(traced(lambda x: ours.spectrogram(x, detr="linear"), x),
         theirs.spectrogram(x, detr="linear"))


@pytest.mark.parametrize("mode", ["onesided", "twosided"])
def test_short_time_fft_derivatives(mode):
    ours, _ = _stft_pair(mode)
    x = _S[:14] if mode == "onesided" else _S[:14] + 0.3j * _S2[:14]
    cr.check_grads(lambda x: ours.stft(x, padding="odd"), (x,), order=2, modes=("fwd", "rev"))
    cr.check_grads(lambda x: ours.spectrogram(x), (x,), order=2, modes=("fwd", "rev"))
    s = ours.stft(x)
    cr.check_grads(lambda s: ours.istft(s, k1=14), (s,), order=2, modes=("fwd", "rev"))
    # the round trip is the identity, and so is its derivative
    np.testing.assert_allclose(cr.jacfwd(lambda x: ours.istft(ours.stft(x), k1=14))(_S[:14]),
                               np.eye(14), atol=1e-12)
    batch = np.stack([x, 2 * x, x[::-1]])
    same(cr.vmap(ours.stft)(batch), np.stack([ours.stft(b) for b in batch]))


def test_chirp_classes_derivatives():
    x = _S[:9]
    for transform in (csig.CZT(9, 5, np.exp(-0.4j), 0.9), csig.ZoomFFT(9, [0.1, 0.7], 6)):
        cr.check_grads(transform, (x,), order=2, modes=("fwd", "rev"))
        cr.check_grads(transform, (x + 0.3j * _S2[:9],), order=2, modes=("fwd", "rev"))
        same(cr.vmap(transform)(np.stack([x, -x])), np.stack([transform(x), transform(-x)]))


def test_closest_stft_dual_window_is_scipys():
    win = np.hanning(8)
    got, want = csig.closest_STFT_dual_window(win, 3), ss.closest_STFT_dual_window(win, 3)
    assert all(np.array_equal(g, w) for g, w in zip(got, want))


def test_empty_signals_give_scipys_result_traced_too():
    assert cr.grad(lambda x: csig.resample_poly(x, 3, 2).sum())(np.zeros(0)).shape == (0,)
    assert cr.vmap(lambda x: csig.upfirdn([1.0, 2.0], x, 2))(np.zeros((3, 0))).shape == (3, 0)
    f, p = traced(lambda x: csig.csd(x, x, nperseg=4), np.zeros(0))
    assert p.shape == ss.csd(np.zeros(0), np.zeros(0), nperseg=4)[1].shape


def test_real_operand_of_a_complex_concatenation_gets_a_real_cotangent():
    """(Found by envelope's complex leg: it stacks the real envelope with the complex residual.)
    The cotangent of a real operand of concatenate/stack is the real part of its slice, as for
    every other operation (unbroadcast); a complex one flowing on into abs was wrong."""
    z = np.array([1 + 1j, 2 - 1j])
    x = np.array([1.0 + 0.5j, 2.0])
    for join in (lambda a, b: cnp.stack([a, b])[0], lambda a, b: cnp.concatenate([a, b])[:2]):
        cr.check_grads(lambda x: join(cnp.abs(x), z * x), (x,), order=2, modes=("fwd", "rev"))


def test_scipys_spectral_density_examples_traced():
    """SciPy's spectrogram, csd and coherence examples (10⁵ samples), the spectra computed on
    the traced path and compared with SciPy's."""
    from chainrule.scipy.signal import spectrogram, csd, coherence, lfilter
    from scipy import signal
    rng = np.random.default_rng(1)
    fs, N = 10e3, 1e5
    time = np.arange(N) / float(fs)
    mod = 500 * np.cos(2 * np.pi * 0.25 * time)
    carrier = 2 * np.sqrt(2) * np.sin(2 * np.pi * 3e3 * time + mod)
    noise = rng.normal(scale=np.sqrt(0.01 * fs / 2), size=time.shape) * np.exp(-time / 5)
    x = carrier + noise
    for kw in ({}, dict(return_onesided=False)):
        f, t, sxx = traced(lambda x: spectrogram(x, fs, **kw), x)
        want = signal.spectrogram(x, fs, **kw)
        same(f, want[0])
        same(sxx, want[2], rtol=1e-8, atol=1e-12)
    b, a = signal.butter(2, 0.25, 'low')
    x = rng.normal(scale=np.sqrt(0.001 * fs / 2), size=time.shape)
    y = lfilter(b, a, x) + rng.normal(scale=0.1 * np.sqrt(0.001 * fs / 2), size=time.shape)
    x += 20 * np.sin(2 * np.pi * 1234.0 * time)
    same(traced(lambda x, y: csd(x, y, fs, 'hann', 1024, 512)[1], x, y),
         signal.csd(x, y, fs, 'hann', 1024, 512)[1], rtol=1e-8, atol=1e-14)
    same(traced(lambda x, y: coherence(x, y, fs, nperseg=1024)[1], x, y),
         signal.coherence(x, y, fs, nperseg=1024)[1], rtol=1e-8)
