"""More of ``scipy.signal``, as composites of chainrule operations (so every order, vmap and
jit come from their parts): ``fftconvolve`` and ``oaconvolve`` (FFTs along ``axes``),
``convolve2d`` and ``correlate2d`` (with SciPy's boundaries), ``periodogram`` and ``welch``
(averaged periodograms of windowed, detrended segments), and ``get_window`` (constants).

>>> import numpy as np, chainrule as cr
>>> fftconvolve(np.array([1.0, 2.0, 3.0]), np.array([1.0, 1.0, 0.5])).round(12)
array([1. , 3. , 5.5, 4. , 1.5])
"""

import warnings

import numpy as np

from .. import numpy as cnp
from ..core.registry import SIGNAL, CREATION
from ..primitives.declare import export
from ..primitives.util import shape, ndim, dtype, axis_index
from ..primitives.scipy_linalg import scipy_module
from ..primitives.signal import conv
from .filters import detrend as _detrend_data, extension as _extension

__all__ = ["fftconvolve", "oaconvolve", "convolve2d", "correlate2d", "get_window",
           "periodogram", "welch", "stft"]


def _as_array(x):
    return x if hasattr(x, "shape") else np.asarray(x)


def _centered(x, new_shape):
    start = [(c - n) // 2 for c, n in zip(shape(x), new_shape)]
    return x[tuple(slice(s, s + n) for s, n in zip(start, new_shape))]


def _swap_needed(mode, s1, s2, axes):
    if mode != "valid":
        return False
    if all(s1[a] >= s2[a] for a in axes):
        return False
    if all(s2[a] >= s1[a] for a in axes):
        return True
    raise ValueError("For 'valid' mode, one must be at least as large as the other in every "
                     "dimension")


def _fft_conv(name, in1, in2, mode, axes):
    in1, in2 = _as_array(in1), _as_array(in2)
    if mode not in ("full", "same", "valid"):
        raise ValueError("acceptable mode flags are 'valid', 'same', or 'full'")
    if ndim(in1) == ndim(in2) == 0:
        return in1 * in2
    if ndim(in1) != ndim(in2):
        raise ValueError("in1 and in2 should have the same dimensionality")
    if 0 in shape(in1) or 0 in shape(in2):
        return np.asarray([])
    nd = ndim(in1)
    explicit = axes is not None
    axes = (list(range(nd)) if axes is None else
            [axis_index(a, nd) for a in np.atleast_1d(axes).tolist()])
    if explicit and not axes:
        raise ValueError("when provided, axes cannot be empty")
    s1, s2 = shape(in1), shape(in2)
    axes = [a for a in axes if s1[a] != 1 and s2[a] != 1]
    if not all(s1[a] == s2[a] or s1[a] == 1 or s2[a] == 1 for a in range(nd) if a not in axes):
        raise ValueError(f"incompatible shapes for in1 and in2: {s1} and {s2}")
    if _swap_needed(mode, s1, s2, axes):
        in1, in2, s1, s2 = in2, in1, s2, s1
    out_dtype = np.result_type(dtype(in1), dtype(in2))
    if out_dtype.kind not in "fc":
        out_dtype = np.dtype(np.float64)
    full = [max(s1[i], s2[i]) if i not in axes else s1[i] + s2[i] - 1 for i in range(nd)]
    if not axes:
        ret = in1 * in2
    else:
        cplx = out_dtype.kind == "c"
        fast = [scipy_module("fft").next_fast_len(full[a], not cplx) for a in axes]
        if cplx:
            ret = cnp.fft.ifftn(cnp.fft.fftn(in1, fast, axes=axes) *
                                cnp.fft.fftn(in2, fast, axes=axes), fast, axes=axes)
        else:
            ret = cnp.fft.irfftn(cnp.fft.rfftn(in1, fast, axes=axes) *
                                 cnp.fft.rfftn(in2, fast, axes=axes), fast, axes=axes)
        ret = ret[tuple(slice(n) for n in full)]
    # scipy.fft keeps single precision; NumPy's FFT works in double
    ret = cnp.astype(ret, out_dtype) if dtype(ret) != out_dtype else ret
    if mode == "same":
        return _centered(ret, s1)
    if mode == "valid":
        return _centered(ret, [shape(ret)[a] if a not in axes else s1[a] - s2[a] + 1
                               for a in range(nd)])
    return ret


@export("fftconvolve", namespace=SIGNAL)
def fftconvolve(in1, in2, mode="full", axes=None):
    """Convolution by FFTs along ``axes`` (``scipy.signal.fftconvolve``; the other axes
    broadcast), modes 'full', 'same', 'valid'; differentiable in both inputs.

    >>> import numpy as np
    >>> fftconvolve(np.ones((2, 3)), np.array([[1.0, -1.0]]), axes=1).round(12)
    array([[ 1.,  0.,  0., -1.],
           [ 1.,  0.,  0., -1.]])
    """
    return _fft_conv("fftconvolve", in1, in2, mode, axes)


@export("oaconvolve", namespace=SIGNAL)
def oaconvolve(in1, in2, mode="full", axes=None):
    """Convolution along ``axes`` (``scipy.signal.oaconvolve``). SciPy adds overlapping FFT
    blocks; chainrule computes the same convolution with one FFT (as ``fftconvolve``: equal
    up to rounding). Differentiable in both inputs.

    >>> import numpy as np
    >>> oaconvolve(np.array([1.0, 2.0, 3.0]), np.array([1.0, 1.0]), "valid").round(12)
    array([3., 5.])
    """
    return _fft_conv("oaconvolve", in1, in2, mode, axes)


def _conv2d(name, in1, in2, mode, boundary, fillvalue, correlate):
    in1, in2 = _as_array(in1), _as_array(in2)
    if ndim(in1) != 2 or ndim(in2) != 2:
        raise ValueError(f"{name} inputs must both be 2-D arrays")
    if mode not in ("full", "same", "valid"):
        raise ValueError("Acceptable mode flags are 'valid', 'same', or 'full'.")
    if boundary not in ("fill", "wrap", "symm"):
        raise ValueError("Acceptable boundary flags are 'fill', 'circular' (or 'wrap'), and "
                         "'symmetric' (or 'symm').")
    swapped = _swap_needed(mode, shape(in1), shape(in2), (0, 1))
    if swapped:   # (SciPy swaps, and reverses a swapped correlation's output)
        in1, in2 = in2, in1
    if correlate:
        in2 = cnp.flip(cnp.conj(in2) if dtype(in2).kind == "c" else in2, axis=(0, 1))
    k0, k1 = shape(in2)
    n0, n1 = shape(in1)
    pads = ((k0 - 1, k0 - 1), (k1 - 1, k1 - 1))
    if boundary == "fill":
        padded = cnp.pad(in1, pads)
        if not (isinstance(fillvalue, (int, float)) and fillvalue == 0):
            outside = 1.0 - np.pad(np.ones((n0, n1)), pads)   # (fillvalue may be traced)
            padded = padded + cnp.astype(fillvalue * outside, dtype(padded))
    else:   # periodic or mirrored (edge repeated) extension, as an index on each axis
        padded = in1
        for ax, (n, k) in enumerate(((n0, k0), (n1, k1))):
            idx = np.arange(-(k - 1), n + k - 1)
            if boundary == "wrap":
                idx = idx % n
            else:
                idx = idx % (2 * n)
                idx = np.where(idx >= n, 2 * n - 1 - idx, idx)
            padded = cnp.take(padded, idx, axis=ax)
    # the full output: the padded input's 'valid' convolution with the kernel
    out = conv(padded, in2, mode="valid", method="direct")
    if mode == "same":   # (a correlation's window is centred the other way for even sizes)
        s0, s1 = (k0 // 2, k1 // 2) if correlate else ((k0 - 1) // 2, (k1 - 1) // 2)
        out = out[s0:s0 + n0, s1:s1 + n1]
    elif mode == "valid":
        out = out[k0 - 1:n0, k1 - 1:n1]
    if swapped and correlate:
        out = out[::-1, ::-1]
    return out


@export("convolve2d", namespace=SIGNAL)
def convolve2d(in1, in2, mode="full", boundary="fill", fillvalue=0):
    """2-D convolution (``scipy.signal.convolve2d``) with SciPy's boundaries: 'fill' (with
    ``fillvalue``), 'wrap' (periodic), 'symm' (mirrored, the edge repeated); differentiable
    in both inputs (and ``fillvalue``).

    >>> import numpy as np
    >>> convolve2d(np.array([[1.0, 2.0, 3.0]]), np.array([[1.0, -1.0]]), boundary="wrap")
    array([[-2.,  1.,  1., -2.]])
    """
    return _conv2d("convolve2d", in1, in2, mode, _boundary(boundary), fillvalue, False)


def _boundary(b):
    return {"circular": "wrap", "symmetric": "symm"}.get(b, b)


@export("correlate2d", namespace=SIGNAL)
def correlate2d(in1, in2, mode="full", boundary="fill", fillvalue=0):
    """2-D cross-correlation (``scipy.signal.correlate2d``): ``convolve2d`` with ``in2``
    flipped and conjugated; SciPy's boundaries; differentiable in both inputs.

    >>> import numpy as np
    >>> correlate2d(np.arange(4.0).reshape(2, 2), np.array([[1.0, 0.0]]), "valid")
    array([[0.],
           [2.]])
    """
    return _conv2d("correlate2d", in1, in2, mode, _boundary(boundary), fillvalue, True)


def _get_window(window, Nx, fftbins=True):
    return np.asarray(scipy_module("signal").get_window(window, Nx, fftbins=fftbins))


def get_window(window, Nx, fftbins=True):
    """A window of length ``Nx`` by name (``scipy.signal.get_window``): constants, SciPy's own
    values, returned as a NumPy array.

    >>> get_window("hann", 4)
    array([0. , 0.5, 1. , 0.5])
    """
    return _get_window(window, Nx, fftbins)


export("get_window", namespace=SIGNAL, kind=CREATION)(get_window)


def _segments_psd(x, fs, win, nperseg, noverlap, nfft, detrend, onesided, scaling, axis):
    n = shape(x)[axis]
    xm = cnp.moveaxis(x, axis, -1)
    hop = nperseg - noverlap
    count = (n - noverlap) // hop
    segs = cnp.stack([xm[..., p * hop:p * hop + nperseg] for p in range(count)], axis=-2)
    if detrend is not False and detrend is not None:
        segs = detrend(segs) if callable(detrend) else _detrend_data(segs, axis=-1,
                                                                     type=detrend)
    segs = segs * win
    if onesided:
        spec = cnp.fft.rfft(cnp.real(segs) if dtype(segs).kind == "c" else segs, n=nfft)
    else:
        spec = cnp.fft.fft(segs, n=nfft)
    power = cnp.real(spec * cnp.conj(spec))
    scale = 1.0 / (fs * float(np.sum(win * win))) if scaling == "density" else \
        1.0 / float(np.sum(win)) ** 2
    power = power * scale
    if onesided:
        last = nfft // 2 if nfft % 2 == 0 else nfft // 2 + 1
        double = np.ones(shape(power)[-1])
        double[1:last] = 2.0
        power = power * double
    pxx = cnp.mean(power, axis=-2)
    return cnp.moveaxis(pxx, -1, axis if axis >= 0 else ndim(x) + axis)


def _psd(name, x, fs, window, nperseg, noverlap, nfft, detrend, return_onesided, scaling, axis,
         average):
    x = _as_array(x)
    if scaling not in ("density", "spectrum"):
        raise ValueError(f"Parameter scaling={scaling!r} not in {{'spectrum', 'density'}}!")
    if average != "mean":
        raise NotImplementedError(f"chainrule.scipy.signal.{name}: average={average!r} is not "
                                  f"supported (the median's derivative is not written); use "
                                  f"'mean'")
    if 0 in shape(x):
        return np.empty(shape(x)), np.empty(shape(x))
    axis = axis_index(axis, ndim(x))
    n = shape(x)[axis]
    if isinstance(window, (str, tuple)):
        nperseg = int(nperseg) if nperseg is not None else 256
        if nperseg < 1:
            raise ValueError(f"Parameter nperseg={nperseg} is not a positive integer!")
        nperseg = min(nperseg, n)
        win = _get_window(window, nperseg)
    else:
        win = np.asarray(window)
        nperseg = len(win) if nperseg is None else nperseg
    if nperseg != len(win):
        raise ValueError(f"nperseg={nperseg} does not equal len(win)={len(win)}")
    nfft = int(nfft) if nfft is not None else nperseg
    if nfft < nperseg:
        raise ValueError(f"nfft={nfft} must be greater than or equal to nperseg={nperseg}!")
    noverlap = int(noverlap) if noverlap is not None else nperseg // 2
    if noverlap >= nperseg:
        raise ValueError(f"noverlap={noverlap} must be less than nperseg={nperseg}!")
    onesided = return_onesided and dtype(x).kind != "c"
    pxx = _segments_psd(x, fs, win, nperseg, noverlap, nfft, detrend, onesided, scaling, axis)
    out_dtype = np.result_type(dtype(x), np.complex64)
    real_dtype = np.float32 if out_dtype == np.complex64 else np.float64
    freqs = (np.fft.rfftfreq if onesided else np.fft.fftfreq)(nfft, 1.0 / fs)
    return freqs, cnp.astype(pxx, real_dtype) if dtype(pxx) != real_dtype else pxx


@export("welch", namespace=SIGNAL)
def welch(x, fs=1.0, window="hann", nperseg=None, noverlap=None, nfft=None, detrend="constant",
          return_onesided=True, scaling="density", axis=-1, average="mean"):
    """Welch's power spectral density (``scipy.signal.welch``): the mean periodogram of
    windowed (periodic Hann by default), detrended segments of ``nperseg`` samples overlapping
    by ``noverlap``; returns ``(f, Pxx)``, differentiable in ``x``. ``average='median'`` is
    refused.

    >>> import numpy as np, chainrule as cr
    >>> x = np.sin(np.arange(16.0))
    >>> f, p = welch(x, nperseg=8)
    >>> f.shape, p.shape
    ((5,), (5,))
    >>> cr.grad(lambda x: welch(x, nperseg=8)[1].sum())(x).shape
    (16,)
    """
    return _psd("welch", x, fs, window, nperseg, noverlap, nfft, detrend, return_onesided,
                scaling, axis, average)


@export("periodogram", namespace=SIGNAL)
def periodogram(x, fs=1.0, window="boxcar", nfft=None, detrend="constant",
                return_onesided=True, scaling="density", axis=-1):
    """The periodogram (``scipy.signal.periodogram``): one segment, the whole signal;
    returns ``(f, Pxx)``, differentiable in ``x``.

    >>> import numpy as np
    >>> periodogram(np.array([1.0, -1.0, 1.0, -1.0]))[1]
    array([0., 0., 4.])
    """
    x = _as_array(x)
    if 0 in shape(x):
        return np.empty(shape(x)), np.empty(shape(x))
    window = "boxcar" if window is None else window
    n = shape(x)[axis]
    nperseg = n
    if nfft is not None and nfft < n:
        x = cnp.moveaxis(cnp.moveaxis(x, axis, -1)[..., :nfft], -1, axis_index(axis, ndim(x)))
        nperseg, nfft = nfft, None
    if hasattr(window, "size") and window.size != nperseg:
        raise ValueError("the size of the window must be the same size of the input on the "
                         "specified axis")
    return _psd("periodogram", x, fs, window, nperseg, 0, nfft, detrend, return_onesided,
                scaling, axis, "mean")


def _stft_window(window, nperseg, n):
    if isinstance(window, (str, tuple)):
        if nperseg > n:
            warnings.warn(f"nperseg = {nperseg:d} is greater than input length  = {n:d}, "
                          f"using nperseg = {n:d}", stacklevel=3)
            nperseg = n
        return _get_window(window, nperseg), nperseg
    win = np.asarray(window)
    if win.ndim != 1:
        raise ValueError("window must be 1-D")
    if n < win.shape[-1]:
        raise ValueError("window is longer than input signal")
    if nperseg is not None and nperseg != win.shape[0]:
        raise ValueError("value specified for nperseg is different from length of window")
    return win, win.shape[0]


@export("stft", namespace=SIGNAL)
def stft(x, fs=1.0, window="hann", nperseg=256, noverlap=None, nfft=None, detrend=False,
         return_onesided=True, boundary="zeros", padded=True, axis=-1, scaling="spectrum"):
    """The short-time Fourier transform (``scipy.signal.stft``, the legacy function): windowed
    FFTs of overlapping segments, SciPy's boundary extension and padding; returns
    ``(f, t, Zxx)``, ``Zxx`` differentiable in ``x``.

    >>> import numpy as np
    >>> f, t, z = stft(np.ones(8), nperseg=4)
    >>> z.shape, t.tolist()
    ((3, 5), [0.0, 2.0, 4.0, 6.0, 8.0])
    """
    if scaling == "psd":
        scaling = "density"
    elif scaling != "spectrum":
        raise ValueError(f"Parameter scaling={scaling!r} not in ['spectrum', 'psd']!")
    if boundary not in ("even", "odd", "constant", "zeros", None):
        raise ValueError(f"Unknown boundary option '{boundary}', must be one of: "
                         f"['even', 'odd', 'constant', 'zeros', None]")
    x = _as_array(x)
    if 0 in shape(x):
        return np.empty(shape(x)), np.empty(shape(x)), np.empty(shape(x))
    out_axis = axis - 1 if axis < 0 else axis
    xm = cnp.moveaxis(x, axis, -1)
    nperseg = int(nperseg) if nperseg is not None else None
    if nperseg is not None and nperseg < 1:
        raise ValueError("nperseg must be a positive integer")
    win, nperseg = _stft_window(window, nperseg, shape(xm)[-1])
    nfft = nperseg if nfft is None else int(nfft)
    if nfft < nperseg:
        raise ValueError("nfft must be greater than or equal to nperseg.")
    noverlap = nperseg // 2 if noverlap is None else int(noverlap)
    if noverlap >= nperseg:
        raise ValueError("noverlap must be less than nperseg.")
    step = nperseg - noverlap
    half = nperseg // 2
    if boundary == "zeros":
        xm = cnp.pad(xm, [(0, 0)] * (ndim(xm) - 1) + [(half, half)])
    elif boundary is not None:
        xm = _extension(xm, half, ndim(xm) - 1, boundary)
    if padded:
        extra = (-(shape(xm)[-1] - nperseg) % step) % nperseg
        xm = cnp.pad(xm, [(0, 0)] * (ndim(xm) - 1) + [(0, extra)])
    length = shape(xm)[-1]
    count = (length - nperseg) // step + 1
    segs = cnp.stack([xm[..., p * step:p * step + nperseg] for p in range(count)], axis=-2)
    if detrend:
        segs = detrend(segs) if callable(detrend) else _detrend_data(segs, axis=-1,
                                                                     type=detrend)
    out_dtype = np.result_type(dtype(x), np.complex64)
    onesided = return_onesided and dtype(x).kind != "c"
    if return_onesided and not onesided:
        warnings.warn("Input data is complex, switching to return_onesided=False",
                      stacklevel=2)
    segs = segs * win
    spec = cnp.fft.rfft(segs, n=nfft) if onesided else cnp.fft.fft(segs, n=nfft)
    scale = np.sqrt(1.0 / (fs * float(np.sum(win * win))) if scaling == "density" else
                    1.0 / float(np.sum(win)) ** 2)
    spec = cnp.astype(spec * scale, out_dtype)
    freqs = (np.fft.rfftfreq if onesided else np.fft.fftfreq)(nfft, 1.0 / fs)
    time = np.arange(nperseg / 2, length - nperseg / 2 + 1, step) / float(fs)
    if boundary is not None:
        time -= (nperseg / 2) / fs
    return freqs, time, cnp.moveaxis(spec, -1, out_axis)
