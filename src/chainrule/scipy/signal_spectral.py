"""More of ``scipy.signal``'s spectral analysis: ``spectrogram``, ``csd``, ``coherence``,
``istft``, ``czt``, ``zoom_fft``, ``hilbert2``, ``envelope``, ``vectorstrength``,
``lombscargle``; and the callable classes ``CZT`` and ``ZoomFFT`` (:func:`spectral_classes`).

With nothing traced each returns SciPy's own result. A traced call runs a composite written
after SciPy's code (its segments, detrending, windows, scalings and FFT lengths) with
``chainrule.numpy``: every order, ``vmap`` and ``jit`` come from the parts, the values agree
with SciPy's to rounding. The transforms are linear in the signal (``istft``, ``czt``,
``zoom_fft``, ``hilbert2``); the spectra are sesquilinear (``csd``) or quadratic
(``spectrogram``); ``lombscargle`` is differentiable in the samples, their times and the
frequencies; ``vectorstrength`` in the events and the period.

>>> import numpy as np, chainrule as cr
>>> f, pxy = csd(np.arange(8.0), np.ones(8), nperseg=4)
>>> pxy.shape
(3,)
>>> cr.grad(lambda x: csd(x, x, nperseg=4)[1].real.sum())(np.arange(8.0)).shape
(8,)
"""

import numpy as np

from .. import numpy as cnp
from ..core.registry import SIGNAL
from ..primitives.declare import export
from ..primitives.scipy_linalg import scipy_module
from ..primitives.util import shape, ndim, dtype, axis_index
from .filters import detrend as _detrend, extension
from .ndimage_support import traced
from .signal_linear import scipy_when_plain, resample

__all__ = ["spectral_classes"]


def _as_array(x):
    return x if hasattr(x, "shape") else np.asarray(x)


def _const(name, what, value):
    if traced(value):
        raise TypeError(f"scipy.signal.{name}: {what} must be a constant (chainrule "
                        f"differentiates in the signal); pass a plain value")
    return value


def _window(window, nperseg, n):
    """SciPy's ``_triage_segments``: the window array and nperseg."""
    if isinstance(window, (str, tuple)):
        nperseg = 256 if nperseg is None else nperseg
        if nperseg > n:
            import warnings
            warnings.warn(f"nperseg = {nperseg:d} is greater than input length  = {n:d}, "
                          f"using nperseg = {n:d}", stacklevel=4)
            nperseg = n
        return np.asarray(scipy_module("signal").get_window(window, nperseg)), nperseg
    win = np.asarray(_const("spectral", "window", window))
    if win.ndim != 1:
        raise ValueError("window must be 1-D")
    if n < win.shape[-1]:
        raise ValueError("window is longer than input signal")
    if nperseg is not None and nperseg != win.shape[0]:
        raise ValueError("value specified for nperseg is different from length of window")
    return win, win.shape[0]


def _segments_fft(x, win, detrend, nperseg, noverlap, nfft, sides, axis):
    """SciPy's ``_fft_helper``: the windowed FFTs of the segments, shape (…, nseg, nfreq)."""
    step = nperseg - noverlap
    count = (shape(x)[-1] - nperseg) // step + 1
    segs = cnp.stack([x[..., p * step:p * step + nperseg] for p in range(count)], axis=-2)
    if detrend is not False and detrend is not None:
        if callable(detrend):
            if axis != -1:
                segs = cnp.moveaxis(detrend(cnp.moveaxis(segs, -1, axis)), axis, -1)
            else:
                segs = detrend(segs)
        else:
            segs = _detrend(segs, axis=-1, type=detrend)
    segs = segs * win
    if sides == "twosided":
        return cnp.fft.fft(segs, n=nfft)
    return cnp.fft.rfft(cnp.real(segs) if dtype(segs).kind == "c" else segs, n=nfft)


def _spectral_helper(x, y, fs, window, nperseg, noverlap, nfft, detrend, return_onesided,
                     scaling, axis, mode, boundary=None, padded=False):
    """SciPy's legacy ``_spectral_helper`` (the same steps, chainrule's operations):
    (freqs, times, result) with the frequency axis at ``axis`` and the segments last."""
    same = y is x
    x = _as_array(x)
    y = x if same else _as_array(y)
    out_dtype = np.result_type(dtype(x), np.complex64) if same else \
        np.result_type(dtype(x), dtype(y), np.complex64)
    if ndim(x) > 1 and axis != -1:
        x = cnp.moveaxis(x, axis, -1)
        if not same and ndim(y) > 1:
            y = cnp.moveaxis(y, axis, -1)
    if not same and shape(x)[-1] != shape(y)[-1]:
        if shape(x)[-1] < shape(y)[-1]:
            x = cnp.concatenate([x, cnp.zeros(shape(x)[:-1] + (shape(y)[-1] - shape(x)[-1],),
                                              dtype=dtype(x))], axis=-1)
        else:
            y = cnp.concatenate([y, cnp.zeros(shape(y)[:-1] + (shape(x)[-1] - shape(y)[-1],),
                                              dtype=dtype(y))], axis=-1)
    if nperseg is not None:
        nperseg = int(nperseg)
        if nperseg < 1:
            raise ValueError("nperseg must be a positive integer")
    win, nperseg = _window(window, nperseg, shape(x)[-1])
    if nfft is None:
        nfft = nperseg
    elif nfft < nperseg:
        raise ValueError("nfft must be greater than or equal to nperseg.")
    nfft = int(nfft)
    noverlap = nperseg // 2 if noverlap is None else int(noverlap)
    if noverlap >= nperseg:
        raise ValueError("noverlap must be less than nperseg.")
    step = nperseg - noverlap
    if boundary is not None:
        x = _boundary(x, nperseg // 2, boundary)
        if not same:
            y = _boundary(y, nperseg // 2, boundary)
    if padded:
        add = (-(shape(x)[-1] - nperseg) % step) % nperseg
        x = cnp.concatenate([x, cnp.zeros(shape(x)[:-1] + (add,), dtype=dtype(x))], axis=-1)
        if not same:
            y = cnp.concatenate([y, cnp.zeros(shape(y)[:-1] + (add,), dtype=dtype(y))],
                                axis=-1)
    if np.result_type(win.dtype, np.complex64) != out_dtype:
        win = win.astype(out_dtype)
    if scaling == "density":
        scale = 1.0 / (fs * (win * win).sum())
    elif scaling == "spectrum":
        scale = 1.0 / win.sum() ** 2
    else:
        raise ValueError(f"Unknown scaling: {scaling!r}")
    if mode == "stft":
        scale = np.sqrt(scale)
    sides = "onesided" if return_onesided and dtype(x).kind != "c" and \
        (same or dtype(y).kind != "c") else "twosided"
    fft = scipy_module("fft")
    freqs = fft.fftfreq(nfft, 1 / fs) if sides == "twosided" else fft.rfftfreq(nfft, 1 / fs)
    result = _segments_fft(x, win, detrend, nperseg, noverlap, nfft, sides, axis)
    if not same:
        result = cnp.conj(result) * _segments_fft(y, win, detrend, nperseg, noverlap, nfft,
                                                  sides, axis)
    elif mode == "psd":
        result = cnp.conj(result) * result
    result = result * scale
    if sides == "onesided" and mode == "psd":
        double = np.ones(shape(result)[-1])
        double[1:] = 2.0
        if nfft % 2 == 0:
            double[-1] = 1.0
        result = result * double
    times = np.arange(nperseg / 2, shape(x)[-1] - nperseg / 2 + 1, nperseg - noverlap) / \
        float(fs)
    if boundary is not None:
        times -= (nperseg / 2) / fs
    result = cnp.astype(result, out_dtype)
    if same and mode != "stft":
        result = cnp.real(result)
    result = cnp.moveaxis(result, -1, axis - 1 if axis < 0 else axis)
    return freqs, times, result


def _boundary(x, width, kind):
    if kind == "zeros":
        return cnp.pad(x, [(0, 0)] * (ndim(x) - 1) + [(width, width)])
    return extension(x, width, ndim(x) - 1, kind)


@export("spectrogram", namespace=SIGNAL)
@scipy_when_plain("spectrogram")
def spectrogram(x, fs=1.0, window=("tukey_periodic", .25), nperseg=None, noverlap=None,
                nfft=None, detrend="constant", return_onesided=True, scaling="density",
                axis=-1, mode="psd"):
    """A spectrogram (``scipy.signal.spectrogram``): the power (or the complex STFT,
    'magnitude', 'angle', 'phase') of consecutive windowed segments; returns
    ``(f, t, Sxx)``, ``Sxx`` differentiable in ``x``.

    >>> import numpy as np, chainrule as cr
    >>> f, t, sxx = spectrogram(np.sin(np.arange(64.0)), nperseg=16)
    >>> sxx.shape
    (9, 4)
    >>> cr.grad(lambda x: spectrogram(x, nperseg=16)[2].sum())(np.ones(64)).shape
    (64,)
    """
    modes = ["psd", "complex", "magnitude", "angle", "phase"]
    if mode not in modes:
        raise ValueError(f"unknown value for mode {mode}, must be one of {modes}")
    x = _as_array(x)
    win, nperseg = _window(window, nperseg, shape(x)[axis])
    if noverlap is None:
        noverlap = nperseg // 8
    if mode == "psd":
        return _spectral_helper(x, x, fs, win, nperseg, noverlap, nfft, detrend,
                                return_onesided, scaling, axis, "psd")
    freqs, times, sxx = _spectral_helper(x, x, fs, win, nperseg, noverlap, nfft, detrend,
                                         return_onesided, scaling, axis, "stft")
    if mode == "magnitude":
        sxx = cnp.abs(sxx)
    elif mode in ("angle", "phase"):
        sxx = cnp.angle(sxx)
        if mode == "phase":
            sxx = cnp.unwrap(sxx, axis=axis - 1 if axis < 0 else axis)
    return freqs, times, sxx


def _median_bias(n):
    """SciPy's bias of the median of n χ²₂ periodograms."""
    ii_2 = 2 * np.arange(1.0, (n - 1) // 2 + 1)
    return 1 + np.sum(1.0 / (ii_2 + 1) - 1.0 / ii_2)


def _csd(x, y, fs, window, nperseg, noverlap, nfft, detrend, return_onesided, scaling, axis,
         average):
    if scaling not in ("spectrum", "density"):
        raise ValueError(f"Parameter scaling={scaling!r} not in {{'spectrum', 'density'}}!")
    same = y is x
    x = _as_array(x)
    y = x if same else _as_array(y)
    axis = int(axis)
    n = shape(x)[axis] if same else max(shape(x)[axis], shape(y)[axis])
    if isinstance(window, (str, tuple)):
        nperseg = int(nperseg) if nperseg is not None else 256
        if nperseg < 1:
            raise ValueError(f"Parameter nperseg={nperseg} is not a positive integer!")
        nperseg = min(nperseg, n)
        win = np.asarray(scipy_module("signal").get_window(window, nperseg))
    else:
        win = np.asarray(_const("csd", "window", window))
        nperseg = len(win) if nperseg is None else nperseg
    if nperseg != len(win):
        raise ValueError(f"nperseg={nperseg} does not equal len(win)={len(win)}")
    noverlap = int(noverlap) if noverlap is not None else nperseg // 2
    if noverlap >= nperseg:
        raise ValueError(f"noverlap={noverlap} must be less than nperseg={nperseg}!")
    if nfft is not None and int(nfft) < nperseg:
        raise ValueError(f"nfft={nfft} must be greater than or equal to nperseg={nperseg}!")
    freqs, _, pxy = _spectral_helper(x, y, fs, win, nperseg, noverlap, nfft, detrend,
                                     return_onesided, scaling, axis, "psd")
    if shape(pxy)[-1] > 1:
        if average == "median":
            bias = _median_bias(shape(pxy)[-1])
            if dtype(pxy).kind == "c":
                pxy = cnp.median(cnp.real(pxy), axis=-1) + \
                    1j * cnp.median(cnp.imag(pxy), axis=-1)
            else:
                pxy = cnp.median(pxy, axis=-1)
            pxy = pxy / bias
        elif average == "mean":
            pxy = cnp.mean(pxy, axis=-1)
        else:
            raise ValueError(f"Parameter average={average!r} must be 'median' or 'mean'!")
    else:
        pxy = cnp.reshape(pxy, shape(pxy)[:-1])
    return freqs, pxy


@export("csd", namespace=SIGNAL)
@scipy_when_plain("csd")
def csd(x, y, fs=1.0, window="hann_periodic", nperseg=None, noverlap=None, nfft=None,
        detrend="constant", return_onesided=True, scaling="density", axis=-1,
        average="mean"):
    """The cross spectral density by Welch's method (``scipy.signal.csd``): the mean (or
    median) of conj(X)·Y over windowed, detrended segments; returns ``(f, Pxy)``,
    differentiable in ``x`` and ``y``.

    >>> import numpy as np
    >>> f, p = csd(np.sin(np.arange(32.0)), np.cos(np.arange(32.0)), nperseg=8)
    >>> f.shape, p.dtype
    ((5,), dtype('complex128'))
    """
    return _csd(x, y, fs, window, nperseg, noverlap, nfft, detrend, return_onesided, scaling,
                axis, average)


@export("coherence", namespace=SIGNAL)
@scipy_when_plain("coherence")
def coherence(x, y, fs=1.0, window="hann_periodic", nperseg=None, noverlap=None, nfft=None,
              detrend="constant", axis=-1):
    """The magnitude-squared coherence |Pxy|²/(Pxx·Pyy) (``scipy.signal.coherence``), from
    Welch's spectra; returns ``(f, Cxy)``, differentiable in ``x`` and ``y``.

    >>> import numpy as np
    >>> x = np.sin(np.arange(64.0))
    >>> f, c = coherence(x, 2.0 * x, nperseg=16)
    >>> bool(np.allclose(c, 1.0))
    True
    """
    args = (fs, window, nperseg, noverlap, nfft, detrend, True, "density", axis, "mean")
    freqs, pxx = _csd(x, x, *args)
    _, pyy = _csd(y, y, *args)
    _, pxy = _csd(x, y, *args)
    return freqs, cnp.abs(pxy) ** 2 / pxx / pyy


@export("istft", namespace=SIGNAL)
@scipy_when_plain("istft")
def istft(Zxx, fs=1.0, window="hann_periodic", nperseg=None, noverlap=None, nfft=None,
          input_onesided=True, boundary=True, time_axis=-1, freq_axis=-2, scaling="spectrum"):
    """The inverse of ``stft`` by weighted overlap-add (``scipy.signal.istft``): linear in
    ``Zxx``; returns ``(t, x)``.

    >>> import numpy as np, chainrule as cr, chainrule.scipy.signal as csig
    >>> x = np.sin(np.arange(32.0))
    >>> t, back = istft(csig.stft(x, nperseg=8)[2], nperseg=8)
    >>> bool(np.allclose(back, x))
    True
    """
    zxx = _as_array(Zxx)
    if dtype(zxx).kind != "c":
        zxx = cnp.astype(zxx, np.result_type(dtype(zxx), np.complex64)
                         if dtype(zxx).kind == "f" else np.complex128)
    freq_axis, time_axis = int(freq_axis), int(time_axis)
    nd = ndim(zxx)
    if nd < 2:
        raise ValueError("Input stft must be at least 2d!")
    if freq_axis == time_axis:
        raise ValueError("Must specify differing time and frequency axes!")
    nseg = shape(zxx)[time_axis]
    n_default = 2 * (shape(zxx)[freq_axis] - 1) if input_onesided else shape(zxx)[freq_axis]
    if nperseg is None:
        nperseg = n_default
    else:
        nperseg = int(nperseg)
        if nperseg < 1:
            raise ValueError("nperseg must be a positive integer")
    if nfft is None:
        nfft = nperseg if input_onesided and nperseg == n_default + 1 else n_default
    elif nfft < nperseg:
        raise ValueError("nfft must be greater than or equal to nperseg.")
    else:
        nfft = int(nfft)
    noverlap = nperseg // 2 if noverlap is None else int(noverlap)
    if noverlap >= nperseg:
        raise ValueError("noverlap must be less than nperseg.")
    step = nperseg - noverlap
    freq_axis, time_axis = freq_axis % nd, time_axis % nd
    if time_axis != nd - 1 or freq_axis != nd - 2:
        outer = [i for i in range(nd) if i not in (freq_axis, time_axis)]
        zxx = cnp.transpose(zxx, outer + [freq_axis, time_axis])
    if isinstance(window, (str, tuple)) and (isinstance(window, str) or type(window) is tuple):
        win = np.asarray(scipy_module("signal").get_window(window, nperseg))
    else:
        win = np.asarray(_const("istft", "window", window))
        if win.ndim != 1:
            raise ValueError("window must be 1-D")
        if win.shape[0] != nperseg:
            raise ValueError(f"window must have length of {nperseg}")
    if input_onesided:
        subs = cnp.fft.irfft(zxx, n=nfft, axis=-2)
        real = np.float32 if dtype(zxx) == np.complex64 else np.float64
        subs = cnp.astype(subs, real) if dtype(subs) != real else subs
    else:
        subs = cnp.fft.ifft(zxx, n=nfft, axis=-2)
        subs = cnp.astype(subs, dtype(zxx)) if dtype(subs) != dtype(zxx) else subs
    subs = subs[..., :nperseg, :]
    if np.result_type(win.dtype, dtype(subs)) != dtype(subs):
        win = win.astype(dtype(subs))
    if scaling == "spectrum":
        subs = subs * win.sum()
    elif scaling == "psd":
        subs = subs * np.sqrt(fs * sum(win ** 2))
    else:
        raise ValueError(f"Parameter scaling={scaling!r} not in ['spectrum', 'psd']!")
    length = nperseg + (nseg - 1) * step
    lead = shape(subs)[:-2]
    norm = np.zeros(length, dtype=win.dtype)
    pieces = []
    for i in range(nseg):
        seg = subs[..., i] * win
        pieces.append(cnp.pad(seg, [(0, 0)] * len(lead) + [(i * step,
                                                            length - i * step - nperseg)]))
        norm[i * step:i * step + nperseg] += win ** 2
    x = pieces[0]
    for p in pieces[1:]:
        x = x + p
    if boundary:
        x = x[..., nperseg // 2:-(nperseg // 2)]
        norm = norm[nperseg // 2:-(nperseg // 2)]
    if np.sum(norm > 1e-10) != len(norm):
        import warnings
        warnings.warn("NOLA condition failed, STFT may not be invertible."
                      + (" Possibly due to missing boundary" if not boundary else ""),
                      stacklevel=3)
    x = x / np.where(norm > 1e-10, norm, 1.0).astype(win.dtype)
    if ndim(x) > 1 and time_axis != nd - 1:
        if freq_axis < time_axis:
            time_axis -= 1
        x = cnp.moveaxis(x, -1, time_axis)
    return np.arange(shape(x)[0]) / float(fs), x


# ---- the chirp z-transform -------------------------------------------------------------------
def _chirp_parts(n, m, wk2, awk2):
    fft = scipy_module("fft")
    nfft = fft.next_fast_len(n + m - 1)
    fwk2 = fft.fft(1 / np.hstack((wk2[n - 1:0:-1], wk2[:m])), nfft)
    return awk2, fwk2, wk2[:m], nfft, slice(n - 1, n + m - 1)


def czt_parts(n, m=None, w=None, a=1 + 0j):
    """Bluestein's constants of ``scipy.signal.CZT(n, m, w, a)`` (SciPy's formulas)."""
    m = n if m is None else m
    k = np.arange(max(m, n))
    if w is None:
        w = np.exp(-2j * np.pi / m)
        wk2 = np.exp(-(1j * np.pi * ((k ** 2) % (2 * m))) / m)
    else:
        wk2 = w ** (k ** 2 / 2.0)
    a = 1.0 * a
    return _chirp_parts(n, m, wk2, a ** -k[:n] * wk2[:n])


def zoom_parts(n, fn, m=None, fs=2, endpoint=False):
    """Bluestein's constants of ``scipy.signal.ZoomFFT`` (SciPy's formulas)."""
    m = n if m is None else m
    k = np.arange(max(m, n))
    f1, f2 = (fn if np.size(fn) == 2 else (0.0, fn))
    scale = ((f2 - f1) * m) / (fs * (m - 1)) if endpoint else (f2 - f1) / fs
    wk2 = np.exp(-(1j * np.pi * scale * k ** 2) / m)
    ak = np.exp(-2j * np.pi * f1 / fs * k[:n])
    return _chirp_parts(n, m, wk2, ak * wk2[:n])


def apply_chirp(parts, x, axis):
    """SciPy's ``CZT.__call__``: ifft(F·fft(x·A, nfft))[n−1 : n+m−1]·W."""
    awk2, fwk2, wk2, nfft, idx = parts
    xm = cnp.moveaxis(_as_array(x), axis, -1)
    y = cnp.fft.ifft(fwk2 * cnp.fft.fft(xm * awk2, nfft))
    y = y[..., idx] * wk2
    return cnp.moveaxis(y, -1, axis)


@export("czt", namespace=SIGNAL)
@scipy_when_plain("czt")
def czt(x, m=None, w=None, a=1 + 0j, *, axis=-1):
    """The chirp z-transform on the spiral a·w⁻ᵏ (``scipy.signal.czt``), by Bluestein's FFTs
    as SciPy computes it: linear in ``x`` (``m``, ``w``, ``a`` constants).

    >>> import numpy as np
    >>> bool(np.allclose(czt(np.arange(4.0)), np.fft.fft(np.arange(4.0))))
    True
    """
    x = _as_array(x)
    _const("czt", "w and a", (w, a))
    n = shape(x)[axis]
    if n < 1:
        raise ValueError("Invalid number of CZT data points (0) specified. n must be "
                         "positive and integer type.")
    return apply_chirp(czt_parts(n, m, w, a), x, axis)


@export("zoom_fft", namespace=SIGNAL)
@scipy_when_plain("zoom_fft")
def zoom_fft(x, fn, m=None, *, fs=2, endpoint=False, axis=-1):
    """The DFT of ``x`` on the frequencies of ``fn`` only (``scipy.signal.zoom_fft``): a chirp
    z-transform, linear in ``x``.

    >>> import numpy as np
    >>> bool(np.allclose(zoom_fft(np.arange(4.0), 2.0), np.fft.fft(np.arange(4.0))))
    True
    """
    x = _as_array(x)
    _const("zoom_fft", "fn and fs", (fn, fs))
    return apply_chirp(zoom_parts(shape(x)[axis], fn, m, fs, endpoint), x, axis)


def spectral_classes():
    """``CZT`` and ``ZoomFFT``: SciPy's classes (``isinstance`` holds), whose call takes a
    traced signal too. Made on first use (SciPy is imported then)."""
    global _CLASSES
    if _CLASSES is None:
        signal = scipy_module("signal")

        class CZT(signal.CZT):
            __doc__ = signal.CZT.__doc__

            def __call__(self, x, *, axis=-1):
                if not traced(x):
                    return super().__call__(x, axis=axis)
                if shape(x)[axis] != self.n:
                    raise ValueError(f"CZT defined for length {self.n}, not {shape(x)[axis]}")
                return apply_chirp(czt_parts(self.n, self.m, self.w, self.a), x, axis)

        class ZoomFFT(signal.ZoomFFT):
            __doc__ = signal.ZoomFFT.__doc__

            def __init__(self, n, fn, m=None, *, fs=2, endpoint=False):
                super().__init__(n, fn, m, fs=fs, endpoint=endpoint)
                self._chainrule_args = (fn, fs, endpoint)

            def __call__(self, x, *, axis=-1):
                if not traced(x):
                    return super().__call__(x, axis=axis)
                if shape(x)[axis] != self.n:
                    raise ValueError(f"CZT defined for length {self.n}, not {shape(x)[axis]}")
                fn, fs, endpoint = self._chainrule_args
                return apply_chirp(zoom_parts(self.n, fn, self.m, fs, endpoint), x, axis)

        CZT.__module__ = ZoomFFT.__module__ = "chainrule.scipy.signal"
        _CLASSES = {"CZT": CZT, "ZoomFFT": ZoomFFT}
    return _CLASSES


_CLASSES = None


# ---- analytic signals and envelopes -----------------------------------------------------------
@export("hilbert2", namespace=SIGNAL)
@scipy_when_plain("hilbert2")
def hilbert2(x, N=None, axes=(-2, -1)):
    """The 2-D analytic signal (``scipy.signal.hilbert2``): the 2-D FFT with the negative
    frequencies of both axes removed; linear in ``x``.

    >>> import numpy as np
    >>> hilbert2(np.ones((2, 2))).real
    array([[1., 1.],
           [1., 1.]])
    """
    x = cnp.atleast_2d(_as_array(x))
    if dtype(x).kind == "c":
        raise ValueError("x must be real.")
    if len(axes) != 2:
        raise ValueError("axes must be a tuple of length 2")
    if axes[0] == axes[1]:
        raise ValueError("axes must contain 2 distinct axes")
    axes = tuple(axis_index(a, ndim(x)) for a in axes)
    if N is None:
        N = (shape(x)[axes[0]], shape(x)[axes[1]])
    elif isinstance(N, int):
        if N <= 0:
            raise ValueError("N must be positive.")
        N = (N, N)
    elif len(N) != 2 or np.any(np.asarray(N) <= 0):
        raise ValueError("When given as a tuple, N must hold exactly two positive integers")
    k0, k1 = (N[0] + 1) // 2, (N[1] + 1) // 2
    h0, h1 = np.zeros(N[0]), np.zeros(N[1])
    h0[0], h1[0] = 1.0, 1.0
    h0[1:k0], h1[1:k1] = 2.0, 2.0
    mask = np.multiply.outer(h0, h1)
    mask = np.moveaxis(mask.reshape(N + (1,) * (ndim(x) - 2)), (0, 1), axes)
    out = cnp.fft.ifft2(cnp.fft.fft2(x, N, axes=axes) * mask, axes=axes)
    return cnp.astype(out, np.complex64) if dtype(x) == np.float32 else out


@export("envelope", namespace=SIGNAL)
@scipy_when_plain("envelope")
def envelope(z, bp_in=(1, None), *, n_out=None, squared=False, residual="lowpass", axis=-1):
    """The envelope of a signal (``scipy.signal.envelope``): the magnitude of the band-passed
    analytic signal, resampled to ``n_out`` (with the residual stacked first, as SciPy's);
    differentiable in ``z`` (the magnitude's derivative is undefined where it is 0).

    >>> import numpy as np
    >>> t = np.arange(64) / 64
    >>> env = envelope((1 + 0.5 * np.cos(2 * np.pi * t)) * np.cos(2 * np.pi * 16 * t),
    ...                residual=None)
    >>> bool(np.allclose(env, 1 + 0.5 * np.cos(2 * np.pi * t)))
    True
    """
    z = _as_array(z)
    nd = ndim(z)
    if not -nd <= axis < nd:
        raise ValueError(f"Invalid parameter axis={axis} for z.shape={shape(z)}!")
    if not shape(z)[axis] > 0:
        raise ValueError(f"z.shape[axis] not > 0 for z.shape={shape(z)}, axis={axis}!")
    if len(bp_in) != 2 or not all(isinstance(b, int) or b is None for b in bp_in):
        raise ValueError(f"bp_in={bp_in} isn't a 2-tuple of type (int | None, int | None)!")
    if not ((isinstance(n_out, int) and 0 < n_out) or n_out is None):
        raise ValueError(f"n_out={n_out} is not a positive integer or None!")
    if residual not in ("lowpass", "all", None):
        raise ValueError(f"residual={residual!r} not in ['lowpass', 'all', None]!")
    n = shape(z)[axis]
    n_out = n if n_out is None else n_out
    fak = n_out / n
    start = bp_in[0] if bp_in[0] is not None else -(n // 2)
    stop = bp_in[1] if bp_in[1] is not None else (n + 1) // 2
    if not (-n // 2 <= start < stop <= (n + 1) // 2):
        raise ValueError("`-n//2 <= bp_in[0] < bp_in[1] <= (n+1)//2` does not hold for "
                         f"n={n} and bp_in={bp_in}!")
    z = cnp.moveaxis(z, axis, -1)
    cplx = dtype(z).kind == "c"
    single = dtype(z) in (np.float32, np.complex64)
    gain = np.ones(n)
    if cplx:
        big = cnp.fft.fft(z)
    else:
        half = cnp.fft.rfft(z)
        big = cnp.concatenate([half, cnp.zeros(shape(half)[:-1] + (n - shape(half)[-1],),
                                               dtype=dtype(half))], axis=-1)
        if start > 0:
            gain[np.arange(n)[start:stop]] *= 2.0
        elif stop > 0:
            gain[1:stop] *= 2.0
        big = big * gain
    band = np.arange(n)[start:stop] if not (start <= 0 < stop) else \
        np.fft.fftshift(np.arange(n))[start + n // 2:stop + n // 2]
    z_bb = cnp.fft.ifft(big[..., band], n=n_out) * fak
    if single:
        z_bb = cnp.astype(z_bb, np.complex64)
    z_env = cnp.abs(z_bb) if not squared else cnp.real(z_bb) ** 2 + cnp.imag(z_bb) ** 2
    z_env = cnp.moveaxis(z_env, -1, axis)
    if residual is None:
        return z_env
    keep = np.ones(n)
    if not (start <= 0 < stop):
        keep[np.arange(n)[start:stop]] = 0.0
    else:
        keep[:stop], keep[start:] = 0.0, 0.0
    if residual == "lowpass":
        if stop > 0:
            keep[stop:(n + 1) // 2] = 0.0
        else:
            keep[start:], keep[0:(n + 1) // 2] = 0.0, 0.0
    big = big * keep
    if cplx:
        z_res = resample(big, n_out, axis=-1, domain="freq")
    else:
        if n_out != n and (m := min(n, n_out)) % 2 == 0:
            f = np.ones(n)
            f[m // 2] = 2.0 if n_out < n else 0.5
            big = big * f
        z_res = fak * cnp.fft.irfft(big, n=n_out)
        if single:
            z_res = cnp.astype(z_res, np.float32)
    z_res = cnp.moveaxis(z_res, -1, axis)
    if dtype(z_res).kind == "c":   # (cast first: the real envelope's cotangent stays real)
        z_env = cnp.astype(z_env, dtype(z_res))
    return cnp.stack([z_env, z_res], axis=0)


# ---- periodicity of events and of unevenly sampled data ---------------------------------------
@export("vectorstrength", namespace=SIGNAL)
@scipy_when_plain("vectorstrength", real=("events", "period"))
def vectorstrength(events, period):
    """The vector strength and phase of ``events`` at ``period`` (``scipy.signal.
    vectorstrength``): the modulus and angle of the mean of exp(2πi·events/period);
    differentiable in both.

    >>> import numpy as np, chainrule as cr
    >>> s, phase = vectorstrength(np.array([0.0, 1.0, 2.0]), 1.0)
    >>> round(float(s), 12)
    1.0
    >>> g = cr.grad(lambda e: vectorstrength(e, 1.0)[0])(np.array([0.0, 0.25, 0.5]))
    >>> g.shape
    (3,)
    """
    events, period = _as_array(events), _as_array(period)
    if dtype(period).kind in "biu":
        period = cnp.astype(period, np.float64)
    if ndim(events) > 1:
        raise ValueError("events cannot have dimensions more than 1")
    if ndim(period) > 1:
        raise ValueError("period cannot have dimensions more than 1")
    scalar = ndim(period) == 0
    events = cnp.reshape(events, (1, -1))
    period = cnp.reshape(period, (1, -1))
    vectors = cnp.exp(2j * cnp.matmul(np.pi / cnp.transpose(period),
                                      cnp.astype(events, dtype(period))))
    mean = cnp.mean(vectors, axis=1)
    strength, phase = cnp.abs(mean), cnp.angle(mean)
    return (strength[0], phase[0]) if scalar else (strength, phase)


@export("lombscargle", namespace=SIGNAL)
@scipy_when_plain("lombscargle", real=("x", "y", "freqs", "weights"))
def lombscargle(x, y, freqs, *, normalize=False, weights=None, floating_mean=False, **kw):
    """The Lomb-Scargle periodogram of unevenly sampled data (``scipy.signal.lombscargle``,
    SciPy's weighted, floating-mean formulation): differentiable in the samples ``y``, their
    times ``x``, the angular frequencies ``freqs`` and the ``weights``.

    >>> import numpy as np, chainrule as cr
    >>> x = np.linspace(0.0, 10.0, 40)
    >>> p = lombscargle(x, np.sin(2.0 * x), np.array([1.0, 2.0, 3.0]))
    >>> int(np.argmax(p))
    1
    >>> cr.grad(lambda y: lombscargle(x, y, np.array([2.0]))[()])(np.sin(2.0 * x)).shape
    (40,)
    """
    if kw:
        raise TypeError("chainrule.scipy.signal.lombscargle: precenter is deprecated by "
                        "SciPy; pass y - y.mean() instead")
    f64 = np.float64
    x, y, freqs = (cnp.astype(_as_array(v), f64) for v in (x, y, freqs))
    weights = cnp.ones(shape(y), dtype=f64) if weights is None else \
        cnp.astype(_as_array(weights), f64)
    if not (ndim(x) == 1 and shape(x)[0] > 0 and shape(x) == shape(y) == shape(weights)):
        raise ValueError("Parameters x, y, weights must be 1-D arrays of equal non-zero "
                         "length!")
    if not (ndim(freqs) == 1 and shape(freqs)[0] > 0):
        raise ValueError("Parameter freqs must be a 1-D array of non-zero length!")
    if isinstance(normalize, bool):
        normalize = "normalize" if normalize else "power"
    if normalize not in ("power", "normalize", "amplitude"):
        raise ValueError("Normalize must be: False (or 'power'), True (or 'normalize'), or "
                         "'amplitude'.")
    weights = weights * (1.0 / cnp.sum(weights))
    freqs = cnp.reshape(freqs, (1, -1))
    x, y, weights = (cnp.reshape(v, (-1, 1)) for v in (x, y, weights))
    wy = weights * y
    wt = freqs * x
    cos, sin = cnp.cos(wt), cnp.sin(wt)
    wT = cnp.transpose(weights)
    big_y = cnp.matmul(wT, y)
    cc = cnp.matmul(wT, cos * cos)
    ss = 1.0 - cc
    cs = cnp.matmul(wT, cos * sin)
    if floating_mean:
        c, s = cnp.matmul(wT, cos), cnp.matmul(wT, sin)
        cc, ss, cs = cc - c * c, ss - s * s, cs - c * s
    tau = 0.5 * cnp.arctan2(2.0 * cs, cc - ss)
    shifted = wt - tau
    cos_t, sin_t = cnp.cos(shifted), cnp.sin(shifted)
    yc = cnp.matmul(cnp.transpose(wy), cos_t)
    ys = cnp.matmul(cnp.transpose(wy), sin_t)
    cc = cnp.matmul(wT, cos_t * cos_t)
    ss = 1.0 - cc
    if floating_mean:
        c, s = cnp.matmul(wT, cos_t), cnp.matmul(wT, sin_t)
        yc, ys, cc, ss = yc - big_y * c, ys - big_y * s, cc - c * c, ss - s * s
    eps = np.finfo(f64).epsneg
    cc = cnp.where(cc < eps, eps, cc)
    ss = cnp.where(ss < eps, eps, ss)
    a, b = yc / cc, ys / ss
    pgram = cnp.squeeze(2.0 * (a * yc + b * ys))
    if normalize == "power":
        return pgram * (float(shape(x)[0]) / 4.0)
    if normalize == "normalize":
        yy = cnp.matmul(cnp.transpose(wy), y)
        if floating_mean:
            yy = yy - big_y * big_y
        return pgram * (0.5 / cnp.squeeze(yy))
    return (cnp.squeeze(a) + 1j * cnp.squeeze(b)) * cnp.exp(1j * cnp.squeeze(tau))


# ---- ShortTimeFFT -----------------------------------------------------------------------------
_CHUNK = 256   # unit vectors per call when a linear map is read off SciPy
_PADS = {"zeros": dict(mode="constant"), "edge": dict(mode="edge"),
         "even": dict(mode="reflect", reflect_type="even"),
         "odd": dict(mode="reflect", reflect_type="odd")}


def _stft_traced(sft, x, detr, p0, p1, k_offset, padding, axis):
    """ShortTimeFFT.stft_detrend on a traced signal: SciPy's slices (its padding), detrended,
    then the windowed FFT of each slice as a matrix read off SciPy's own stft of the unit
    vectors (the transform is linear in the slice), so the scaling, phase shift and FFT mode
    are SciPy's."""
    if sft.onesided_fft and dtype(x).kind == "c":
        raise ValueError(f"Complex-valued `x` not allowed for fft_mode={sft.fft_mode!r}'! "
                         f"Set property `fft_mode` to 'twosided' or 'centered'.")
    if isinstance(detr, str):
        kind = detr
        detr = lambda d: _detrend(d, type=kind, axis=-1)   # noqa: E731
    elif not (detr is None or callable(detr)):
        raise ValueError(f"Parameter detr={detr!r} is not a str, function or None!")
    if padding not in _PADS:
        raise ValueError(f"Parameter padding={padding!r} not in {tuple(_PADS)}!")
    n = shape(x)[axis]
    if not n >= sft.m_num - sft.m_num_mid:
        raise ValueError(f"len(x)={n} must be >= ceil(m_num/2) = {sft.m_num - sft.m_num_mid}!")
    nd = ndim(x)
    if nd > 1:
        x = cnp.moveaxis(x, axis, -1)
    p0, p1 = sft.p_range(n, p0, p1)
    m, hop = sft.m_num, sft.hop
    n1 = (p1 - p0) * hop
    k0 = p0 * hop - sft.m_num_mid + k_offset
    k1 = k0 + n1 + m
    i0, i1 = max(k0, 0), min(k1, n)
    widths = [(0, 0)] * (ndim(x) - 1) + [(-min(k0, 0), max(k1 - n, 0))]
    x1 = cnp.pad(x[..., i0:i1], widths, **_PADS[padding])
    slices = cnp.stack([x1[..., k:k + m] for k in range(0, n1, hop)], axis=-2)
    if detr is not None:
        slices = detr(slices)
    base = scipy_module("signal").ShortTimeFFT
    fwd = np.concatenate([   # (m, f_pts); unit vectors in chunks (bounded memory)
        np.asarray(base.stft(sft, np.eye(m)[i:i + _CHUNK], 0, 1, k_offset=sft.m_num_mid))[..., 0]
        for i in range(0, m, _CHUNK)])
    s = cnp.swapaxes(cnp.matmul(cnp.astype(slices, np.result_type(dtype(slices),
                                                                   np.complex128)), fwd), -1, -2)
    if nd > 1:
        return cnp.moveaxis(s, -2, axis if axis >= 0 else axis - 1)
    return s


def _istft_traced(sft, S, k0, k1, f_axis, t_axis):
    """ShortTimeFFT.istft of a traced S: each slice's inverse FFT times the dual window, as two
    real matrices (the map is real-linear: one for the real parts, one for the imaginary
    parts) read off SciPy's own istft of unit slices, overlapped and added, then cut to
    [k0, k1) as SciPy does."""
    base = scipy_module("signal").ShortTimeFFT
    if f_axis == t_axis:
        raise ValueError(f"f_axis={f_axis} may not be equal to t_axis={t_axis}!")
    if shape(S)[f_axis] != sft.f_pts:
        raise ValueError(f"S.shape[f_axis]={shape(S)[f_axis]} must be equal to "
                         f"self.f_pts={sft.f_pts} (S.shape={shape(S)})!")
    n_min = sft.m_num - sft.m_num_mid
    if not shape(S)[t_axis] >= (q_num := sft.p_num(n_min)):
        raise ValueError(f"S.shape[t_axis]={shape(S)[t_axis]} needs to have at least {q_num} "
                         f"slices (S.shape={shape(S)})!")
    nd = ndim(S)
    if t_axis != nd - 1 or f_axis != nd - 2:
        S = cnp.moveaxis(S, (f_axis % nd, t_axis % nd), (-2, -1))
    cols = shape(S)[-1]
    hop, m, mid = sft.hop, sft.m_num, sft.m_num_mid
    q_max = cols + sft.p_min
    k_max = (q_max - 1) * hop + m - mid
    k1 = k_max if k1 is None else k1
    if not (sft.k_min <= k0 < k1 <= k_max):
        raise ValueError(f"(self.k_min={sft.k_min}) <= (k0={k0}) < (k1={k1}) <= "
                         f"(k_max={k_max}) is false!")
    if not k1 - k0 >= n_min:
        raise ValueError(f"(k1={k1}) - (k0={k0}) = {k1 - k0} has to be at least the half the "
                         f"window length {n_min}!")
    # unit slices in column 0, read back where its window lies (from k_min)
    probe_cols = max(q_num, -(-(m + mid) // hop) + 1)
    k_probe = (probe_cols + sft.p_min - 1) * hop + m - mid
    rows = []
    for i in range(0, sft.f_pts, _CHUNK):   # unit slices in chunks (bounded memory)
        idx = np.arange(i, min(i + _CHUNK, sft.f_pts))
        probe = np.zeros((2 * idx.size, sft.f_pts, probe_cols), dtype=complex)
        probe[np.arange(idx.size), idx, 0] = 1.0
        probe[idx.size + np.arange(idx.size), idx, 0] = 1.0j
        back = np.asarray(base.istft(sft, probe, sft.k_min, k_probe))[..., :m]
        rows.append((back[:idx.size], back[idx.size:]))
    real = np.concatenate([r for r, _ in rows])                            # (f_pts, m)
    imag = np.concatenate([i for _, i in rows])
    s_re = cnp.real(S) if dtype(S).kind == "c" else S
    parts = cnp.matmul(cnp.swapaxes(s_re, -1, -2), real)
    if dtype(S).kind == "c":
        parts = parts + cnp.matmul(cnp.swapaxes(cnp.imag(S), -1, -2), imag)
    out_dtype = np.float64 if sft.onesided_fft else np.complex128
    parts = cnp.astype(parts, out_dtype) if dtype(parts) != out_dtype else parts   # (…, cols, m)
    length = (cols - 1) * hop + m
    lead = shape(parts)[:-2]
    total = None
    for c in range(cols):
        piece = cnp.pad(parts[..., c, :], [(0, 0)] * len(lead) + [(c * hop, length - c * hop - m)])
        total = piece if total is None else total + piece
    # total[j] is the sample at k_min + j
    lo = k0 - sft.k_min
    x = total[..., lo:lo + (k1 - k0)]
    if ndim(x) > 1:
        x = cnp.moveaxis(x, -1, f_axis if f_axis < ndim(x) else t_axis)
    return x


def stft_class():
    """``ShortTimeFFT``: SciPy's class (``isinstance`` holds, every method and property is
    SciPy's), whose ``stft``, ``stft_detrend``, ``spectrogram`` and ``istft`` take a traced
    signal (or STFT) too. Made on first use."""
    global _STFT
    if _STFT is None:
        base = scipy_module("signal").ShortTimeFFT

        class ShortTimeFFT(base):
            __doc__ = base.__doc__

            def stft_detrend(self, x, detr, p0=None, p1=None, *, k_offset=0,
                             padding="zeros", axis=-1):
                if not traced(x):
                    return super().stft_detrend(x, detr, p0, p1, k_offset=k_offset,
                                                padding=padding, axis=axis)
                return _stft_traced(self, x, detr, p0, p1, k_offset, padding, axis)

            def istft(self, S, k0=0, k1=None, *, f_axis=-2, t_axis=-1):
                if not traced(S):
                    return super().istft(S, k0, k1, f_axis=f_axis, t_axis=t_axis)
                return _istft_traced(self, S, k0, k1, f_axis, t_axis)

        ShortTimeFFT.__module__ = "chainrule.scipy.signal"
        _STFT = ShortTimeFFT
    return _STFT


_STFT = None
