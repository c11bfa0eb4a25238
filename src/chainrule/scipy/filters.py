"""``scipy.signal``'s filters: ``lfilter`` (the primitive ``iir`` of
``chainrule.primitives.filters``: exact rules, every order), and composites of it —
``lfilter_zi``, ``filtfilt`` (SciPy's padding), ``sosfilt`` — plus ``detrend`` and ``hilbert``,
differentiable in the signal and in the coefficients.

>>> import numpy as np, chainrule as cr
>>> b, a = np.array([0.5, 0.5]), np.array([1.0, -0.2])
>>> lfilter(b, a, np.array([1.0, 2.0, 3.0]))
array([0.5 , 1.6 , 2.82])
"""

import numpy as np

from .. import numpy as cnp
from ..core.primitive import concrete_value
from ..core.registry import SIGNAL
from ..interpreters.batching import BatchedValueError
from ..primitives.declare import export
from ..primitives.filters import iir
from ..primitives.signal import conv
from ..primitives.scipy_linalg import scipy_module, require_finite
from ..primitives.util import shape, ndim, dtype, axis_index

__all__ = ["lfilter", "lfilter_zi", "filtfilt", "sosfilt", "detrend", "hilbert", "savgol_filter"]


def _as_array(x):
    return x if hasattr(x, "shape") else np.asarray(x)


def _coefficients(name, b, a):
    b, a = cnp.atleast_1d(_as_array(b)), cnp.atleast_1d(_as_array(a))
    if ndim(b) != 1 or shape(b)[0] == 0:
        raise ValueError(f"Parameter b is not a non-empty 1d array, since b.shape={shape(b)}!")
    if ndim(a) != 1 or shape(a)[0] == 0:
        raise ValueError(f"Parameter a is not a non-empty 1d array, since a.shape={shape(a)}!")
    try:
        if bool(concrete_value(a[0] == 0, "bool")):
            raise ValueError(f"{name}: a[0] must not be zero (the filter would not be causal)")
    except BatchedValueError:
        pass
    return b, a


def _floating(x):
    return x if dtype(x).kind in "fc" else cnp.astype(x, np.float64)


@export("lfilter", namespace=SIGNAL, prim=iir)
def lfilter(b, a, x, axis=-1, zi=None):
    """Filter ``x`` along ``axis`` with the IIR filter b/a (``scipy.signal.lfilter``; returns
    ``(y, zf)`` when the initial state ``zi`` is given). Differentiable in ``b``, ``a``, ``x``
    and ``zi``, every order: the derivatives are filters again (in reverse mode, the filter
    run backwards in time).

    >>> import numpy as np, chainrule as cr
    >>> x = np.array([1.0, 0.0, 0.0])
    >>> cr.grad(lambda a1: lfilter([1.0], cr.numpy.stack([1.0, a1]), x)[2])(-0.5)   # d/da₁ a₁²
    np.float64(-1.0)
    """
    b, a = _coefficients("lfilter", b, a)
    x = _as_array(x)
    nd = ndim(x)
    if not -nd <= axis < nd:
        raise ValueError(f"lfilter: axis {axis} is out of bounds for x with {nd} dimensions")
    axis = axis_index(axis, nd)
    if dtype(x).kind not in "fc" and dtype(b).kind not in "fc" and dtype(a).kind not in "fc":
        x = _floating(x)
    a0 = a[0]
    b, alpha = b / a0, a[1:] / a0
    if zi is None:
        return iir(b, alpha, x, axis=axis)
    zi = _as_array(zi)
    k = max(shape(a)[0], shape(b)[0]) - 1
    want = tuple(k if i == axis else s for i, s in enumerate(shape(x)))
    if ndim(zi) != nd or any(z not in (w, 1) or (i == axis and z != w)
                             for i, (z, w) in enumerate(zip(shape(zi), want))):
        raise ValueError(f"Unexpected shape for parameter zi: expected {want}, "
                         f"found {shape(zi)}.")
    zi = cnp.broadcast_to(zi, want)
    y = iir(b, alpha, x, zi, axis=axis)
    return y, _final_state(b, alpha, x, y, zi, axis)


def _final_state(b, alpha, x, y, zi, axis):
    """SciPy's zf, from the last samples: zf_i = Σ_m (b_{i+m}·x[N−m] − a_{i+m}·y[N−m])
    (m = 1 … K−i, within the signal) + zi[i+N] (while the initial state still reaches)."""
    k = shape(zi)[axis]
    n = shape(x)[axis]
    if k == 0:
        return cnp.zeros_like(zi)
    bp = cnp.concatenate([b, cnp.zeros(k + 1 - shape(b)[0], dtype=dtype(b))])
    ap = cnp.concatenate([cnp.ones(1, dtype=dtype(alpha)), alpha,
                          cnp.zeros(k - shape(alpha)[0], dtype=dtype(alpha))])
    last = min(k, n)
    idx = np.arange(k)[:, None] + np.arange(1, last + 1)[None, :]      # i + m
    mask = idx <= k
    idx = np.minimum(idx, k)
    bmat = cnp.where(mask, cnp.take(bp, idx), 0.0)
    amat = cnp.where(mask, cnp.take(ap, idx), 0.0)
    xl = cnp.flip(cnp.moveaxis(x, axis, -1)[..., n - last:], axis=-1)   # x[N−1], x[N−2], …
    yl = cnp.flip(cnp.moveaxis(y, axis, -1)[..., n - last:], axis=-1)
    zf = cnp.matmul(xl, cnp.transpose(bmat)) - cnp.matmul(yl, cnp.transpose(amat))
    if n < k:
        rest = cnp.moveaxis(zi, axis, -1)[..., n:]
        zf = zf + cnp.concatenate([rest, cnp.zeros(shape(rest)[:-1] + (n,), dtype=dtype(rest))],
                                  axis=-1)
    return cnp.moveaxis(zf, -1, axis)


@export("lfilter_zi", namespace=SIGNAL)
def lfilter_zi(b, a):
    """The steady state of lfilter's step response (``scipy.signal.lfilter_zi``), solved as
    SciPy does (I − companion(a)ᵀ)·zi = b[1:] − a[1:]·b[0]; differentiable in b and a.

    >>> import numpy as np
    >>> lfilter_zi(np.array([0.5, 0.5]), np.array([1.0, -0.2]))
    array([0.75])
    """
    b, a = cnp.atleast_1d(_as_array(b)), cnp.atleast_1d(_as_array(a))
    if ndim(b) != 1:
        raise ValueError("Numerator b must be 1-D.")
    if ndim(a) != 1:
        raise ValueError("Denominator a must be 1-D.")
    lead = 0
    try:   # SciPy drops leading zeros of a
        while shape(a)[0] - lead > 1 and bool(concrete_value(a[lead] == 0.0, "bool")):
            lead += 1
    except BatchedValueError:   # (under vmap each example's a[0] is taken as nonzero)
        pass
    a = a[lead:]
    if shape(a)[0] < 1:
        raise ValueError("There must be at least one nonzero `a` coefficient.")
    b, a = b / a[0], a / a[0]
    n = max(shape(a)[0], shape(b)[0])
    a = cnp.concatenate([a, cnp.zeros(n - shape(a)[0], dtype=dtype(a))])
    b = cnp.concatenate([b, cnp.zeros(n - shape(b)[0], dtype=dtype(b))])
    if n == 1:   # SciPy's refusal
        raise ValueError("The length of `a` along the last axis must be at least 2.")
    # companion(a)ᵀ has −a[1:]/a[0] in its first column and ones above the diagonal
    work = np.result_type(dtype(a), dtype(b))   # SciPy's: float32 coefficients stay float32
    shift = np.eye(n - 1, k=1, dtype=work)
    first = np.zeros((n - 1, n - 1), dtype=work)
    first[:, 0] = 1.0
    i_minus_a = np.eye(n - 1, dtype=work) - shift + cnp.reshape(a[1:], (n - 1, 1)) * first
    return cnp.linalg.solve(i_minus_a, b[1:] - a[1:] * b[0])


def extension(x, edge, axis, padtype):
    """x extended by ``edge`` samples each side along ``axis``: SciPy's 'odd', 'even' and
    'constant' extensions."""
    n = shape(x)[axis]
    xm = cnp.moveaxis(x, axis, -1)
    left, right = xm[..., 1:edge + 1][..., ::-1], xm[..., n - edge - 1:n - 1][..., ::-1]
    if padtype == "odd":
        left, right = 2 * xm[..., :1] - left, 2 * xm[..., n - 1:] - right
    elif padtype == "constant":
        left = cnp.broadcast_to(xm[..., :1], shape(xm)[:-1] + (edge,))
        right = cnp.broadcast_to(xm[..., n - 1:], shape(xm)[:-1] + (edge,))
    return cnp.moveaxis(cnp.concatenate([left, xm, right], axis=-1), -1, axis)


@export("filtfilt", namespace=SIGNAL)
def filtfilt(b, a, x, axis=-1, padtype="odd", padlen=None, method="pad", irlen=None):
    """Forward-backward filtering (``scipy.signal.filtfilt``, method 'pad'): SciPy's padding
    (``padtype`` 'odd', 'even', 'constant' or None; ``padlen`` 3·max(len(a), len(b)) by
    default) and steady-state initial conditions, differentiable in ``b``, ``a`` and ``x``.

    >>> import numpy as np
    >>> filtfilt(np.array([0.5, 0.5]), np.array([1.0]), np.arange(8.0), padlen=2).round(6)
    array([0., 1., 2., 3., 4., 5., 6., 7.])
    """
    if method != "pad":
        raise NotImplementedError("chainrule.scipy.signal.filtfilt: only method='pad' is "
                                  "supported (Gustafsson's method is not written)")
    b, a = cnp.atleast_1d(_as_array(b)), cnp.atleast_1d(_as_array(a))
    x = _as_array(x)
    axis = axis_index(axis, ndim(x))
    if padtype not in ("even", "odd", "constant", None):
        raise ValueError(f"Unknown value '{padtype}' given to padtype. padtype must be "
                         f"'even', 'odd', 'constant', or None.")
    edge = 0 if padtype is None else (3 * max(shape(a)[0], shape(b)[0]) if padlen is None
                                      else padlen)
    if shape(x)[axis] <= edge:
        raise ValueError(f"The length of the input vector x must be greater than padlen, "
                         f"which is {edge}.")
    ext = extension(x, edge, axis, padtype) if edge > 0 else x
    zi = lfilter_zi(b, a)
    zi = cnp.reshape(zi, tuple(shape(zi)[0] if i == axis else 1 for i in range(ndim(x))))
    first = ext[(slice(None),) * axis + (slice(0, 1),)]
    y, _ = lfilter(b, a, ext, axis=axis, zi=zi * first)
    last = y[(slice(None),) * axis + (slice(-1, None),)]
    y, _ = lfilter(b, a, cnp.flip(y, axis=axis), axis=axis, zi=zi * last)
    y = cnp.flip(y, axis=axis)
    if edge > 0:
        y = y[(slice(None),) * axis + (slice(edge, -edge),)]
    return y


@export("sosfilt", namespace=SIGNAL)
def sosfilt(sos, x, axis=-1, zi=None):
    """Filter with cascaded second-order sections (``scipy.signal.sosfilt``): ``lfilter`` of
    each row (b0, b1, b2, 1, a1, a2) in turn; differentiable in ``sos``, ``x`` and ``zi``
    (shape ``(n_sections, …, 2, …)``; then ``(y, zf)`` is returned).

    >>> import numpy as np
    >>> sosfilt(np.array([[1.0, 0.0, 0.0, 1.0, -0.5, 0.0]]), np.array([1.0, 0.0, 0.0]))
    array([1.  , 0.5 , 0.25])
    """
    sos = cnp.atleast_2d(_as_array(sos))
    if ndim(sos) != 2 or shape(sos)[1] != 6:
        raise ValueError("sos array must be shape (n_sections, 6)")
    try:
        if not bool(concrete_value(cnp.all(sos[:, 3] == 1), "bool")):
            raise ValueError("sos[:, 3] should be all ones")
    except BatchedValueError:
        pass
    x = _floating(_as_array(x))
    y, states = x, []
    for i in range(shape(sos)[0]):
        if zi is None:
            y = lfilter(sos[i, :3], sos[i, 3:], y, axis=axis)
        else:
            y, zf = lfilter(sos[i, :3], sos[i, 3:], y, axis=axis, zi=_as_array(zi)[i])
            states.append(zf)
    return y if zi is None else (y, cnp.stack(states))


@export("detrend", namespace=SIGNAL)
def detrend(data, axis=-1, type="linear", bp=0, overwrite_data=False):
    """Remove the mean ('constant') or the least-squares line ('linear', piecewise between the
    breakpoints ``bp``) along ``axis`` (``scipy.signal.detrend``): a linear map of ``data``.

    >>> import numpy as np
    >>> detrend(np.array([1.0, 2.0, 4.0])).round(6)
    array([ 0.166667, -0.333333,  0.166667])
    """
    if type not in ("linear", "l", "constant", "c"):
        raise ValueError("Trend type must be 'linear' or 'constant'.")
    data = _as_array(data)
    if dtype(data).kind not in "fc":
        data = cnp.astype(data, np.float64)
    if type in ("constant", "c"):
        return data - cnp.mean(data, axis=axis, keepdims=True)
    axis = axis_index(axis, ndim(data))   # (a 0-d data: AxisError, not ZeroDivisionError)
    require_finite(data)   # SciPy's least-squares fit refuses inf and nan
    n = shape(data)[axis]
    bps = np.sort(np.unique(np.concatenate(np.atleast_1d(0, np.asarray(bp), n))))
    if np.any(bps > n):
        raise ValueError("Breakpoints must be less than length of data along given axis.")
    moved = cnp.moveaxis(data, axis, 0)
    pieces = []
    for lo, hi in zip(bps[:-1], bps[1:]):
        m = int(hi - lo)
        design = np.ones((m, 2))
        design[:, 0] = np.arange(1, m + 1) / m
        # the projection onto the design's columns, removed: I − A A⁺ (A⁺: pseudo-inverse)
        residual = np.eye(m) - design @ np.linalg.pinv(design)
        pieces.append(cnp.tensordot(residual.astype(dtype(data)), moved[lo:hi], axes=1))
    return cnp.moveaxis(cnp.concatenate(pieces, axis=0), 0, axis)


@export("hilbert", namespace=SIGNAL)
def hilbert(x, N=None, axis=-1):
    """The analytic signal x + i·H[x] (``scipy.signal.hilbert``), by the FFT as SciPy does:
    a linear map of ``x``, differentiable.

    >>> import numpy as np
    >>> hilbert(np.array([1.0, 0.0, -1.0, 0.0])).round(6)
    array([ 1.+0.j,  0.+1.j, -1.+0.j,  0.-1.j])
    """
    x = _as_array(x)
    if dtype(x).kind == "c":
        raise ValueError("x must be real.")
    n = shape(x)[axis] if N is None else N
    if n <= 0:
        raise ValueError("N must be positive.")
    h = np.zeros(n)
    h[0] = 1.0
    if n % 2 == 0:
        h[n // 2] = 1.0
        h[1:n // 2] = 2.0
    else:
        h[1:(n + 1) // 2] = 2.0
    axis = axis_index(axis, ndim(x))
    h = h.reshape(tuple(n if i == axis else 1 for i in range(ndim(x))))
    out = cnp.fft.ifft(cnp.fft.fft(x, n, axis=axis) * h, axis=axis)
    # scipy.fft keeps single precision (NumPy's FFT computes in double)
    return cnp.astype(out, np.complex64) if dtype(x) == np.float32 else out


def _extension_index(n, half, mode):
    """Indices of x extended by ``half`` samples each side, as scipy.ndimage's modes."""
    idx = np.arange(-half, n + half)
    if mode == "wrap":
        return idx % n
    if mode == "nearest":
        return np.clip(idx, 0, n - 1)
    if n == 1:   # mirror of one sample
        return np.zeros_like(idx)
    period = 2 * (n - 1)   # 'mirror': reflected about the end samples, not repeating them
    idx = idx % period
    return np.where(idx >= n, period - idx, idx)


@export("savgol_filter", namespace=SIGNAL)
def savgol_filter(x, window_length, polyorder, deriv=0, delta=1.0, axis=-1, mode="interp",
                  cval=0.0):
    """Savitzky–Golay smoothing (``scipy.signal.savgol_filter``): linear in ``x``, a
    convolution with SciPy's own ``savgol_coeffs``; the edges as SciPy's ``mode`` says
    ('interp': the polynomial fitted to the first and last windows, a linear map taken from
    SciPy itself; 'mirror', 'nearest', 'wrap', 'constant' with ``cval``). Differentiable in
    ``x`` (and ``cval``). Odd ``window_length`` only. A nan in ``x`` propagates to the outputs
    it reaches (SciPy's least-squares fit of the edges raises ValueError instead).

    >>> import numpy as np
    >>> savgol_filter(np.array([0.0, 1.0, 4.0, 9.0, 16.0]), 3, 2).round(12)   # parabolas kept
    array([ 0.,  1.,  4.,  9., 16.])
    """
    if mode not in ("mirror", "constant", "nearest", "interp", "wrap"):
        raise ValueError("mode must be 'mirror', 'constant', 'nearest' 'wrap' or 'interp'.")
    if window_length % 2 == 0:
        raise NotImplementedError("chainrule.scipy.signal.savgol_filter: an even "
                                  "window_length is not supported; use an odd one")
    x = _as_array(x)
    if dtype(x) not in (np.float32, np.float64):
        if dtype(x).kind == "c":
            raise TypeError("savgol_filter: complex x is not supported; filter the real and "
                            "imaginary parts separately")
        x = cnp.astype(x, np.float64)
    signal = scipy_module("signal")
    coeffs = np.asarray(signal.savgol_coeffs(window_length, polyorder, deriv=deriv,
                                             delta=delta))
    nd = ndim(x)
    axis = axis_index(axis, nd)
    n = shape(x)[axis]
    half = window_length // 2
    xm = cnp.moveaxis(x, axis, -1)
    kernel = coeffs.reshape((1,) * (nd - 1) + (window_length,))
    if mode == "interp":
        if window_length > n:
            raise ValueError("If mode is 'interp', window_length must be less than or equal "
                             "to the size of x.")
        # the edges: SciPy's fit on the first and last windows, a matrix read off SciPy
        # itself (its output on the unit vectors)
        edges = np.asarray(signal.savgol_filter(np.eye(window_length), window_length,
                                                polyorder, deriv=deriv, delta=delta, axis=0))
        first = cnp.matmul(xm[..., :window_length], np.ascontiguousarray(edges[:half].T))
        last = cnp.matmul(xm[..., n - window_length:],
                          np.ascontiguousarray(edges[window_length - half:].T))
        inner = conv(xm, kernel, mode="valid", method="direct")
        out = cnp.concatenate([first, inner, last], axis=-1)
    else:
        if mode == "constant":
            padded = cnp.pad(xm, [(0, 0)] * (nd - 1) + [(half, half)])
            if not (isinstance(cval, (int, float)) and cval == 0):
                outside = 1.0 - np.pad(np.ones(n), (half, half))
                padded = padded + cnp.astype(cval * outside, dtype(padded))
        else:
            padded = cnp.take(xm, _extension_index(n, half, mode), axis=-1)
        out = conv(padded, kernel, mode="valid", method="direct")
    out = cnp.moveaxis(out, -1, axis)
    return cnp.astype(out, dtype(x)) if dtype(out) != dtype(x) else out
