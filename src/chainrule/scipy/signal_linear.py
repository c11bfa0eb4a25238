"""More of ``scipy.signal``'s linear operations on signals: ``lfiltic``, ``sosfiltfilt``,
``deconvolve``, ``upfirdn``, ``resample``, ``resample_poly``, ``decimate``, and the simulations
of linear systems ``lsim`` and ``dlsim``.

With nothing traced each returns SciPy's own result (its exact bits, its errors). A traced
call runs a composite written after SciPy's code with ``chainrule.numpy`` (FFTs, ``lfilter``,
the N-D ``convolve`` primitive, ``expm``), so every order, ``vmap`` and ``jit`` come from
the parts; the values agree with SciPy's to rounding. Each is linear in the signal; the
filters, the system's matrices and the initial state are differentiable too.

>>> import numpy as np, chainrule as cr
>>> upfirdn([1.0, 1.0], np.array([1.0, 2.0, 3.0]), up=2)
array([1., 1., 2., 2., 3., 3.])
>>> cr.grad(lambda x: upfirdn(np.array([1.0, 1.0]), x, up=2).sum())(np.ones(3))
array([2., 2., 2.])
"""

import functools
import inspect
import math
import operator

import numpy as np

from .. import numpy as cnp
from ..core import tree
from ..core.primitive import concrete_value, full_lower, Tracer
from ..core.registry import SIGNAL
from ..interpreters.batching import BatchedValueError
from ..primitives.declare import export
from ..primitives.signal import conv
from ..primitives.scipy_linalg import scipy_module
from ..primitives.util import shape, ndim, dtype, axis_index
from .ndimage_support import traced
from .filters import lfilter, lfilter_zi, filtfilt, sosfilt, extension
from ..primitives.signal import convolve
from . import linalg as _csl

__all__ = ["scipy_when_plain"]


def scipy_when_plain(name, complex_composite=False, real=()):
    """Decorator: with no traced argument, ``scipy.signal.<name>`` itself; else the
    decorated composite (also for complex data when ``complex_composite``: where SciPy would
    drop the imaginary part). A complex value for an argument named in ``real`` raises
    TypeError (SciPy would discard its imaginary part)."""
    def deco(fn):
        signature = inspect.signature(fn)

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            if real:
                bound = signature.bind(*args, **kwargs).arguments
                for arg in real:
                    if arg in bound and _any_complex(bound[arg]):
                        raise TypeError(f"scipy.signal.{name}: {arg} must be real, got a "
                                        f"complex value (SciPy would discard its imaginary "
                                        f"part)")
            leaves = (args, tuple(kwargs.values()))
            if not traced(leaves) and not (complex_composite and _any_complex(leaves)):
                return getattr(scipy_module("signal"), name)(*args, **kwargs)
            if _empty_traced(leaves):
                # an empty signal: nothing to differentiate; SciPy's result (its errors)
                return getattr(scipy_module("signal"), name)(*tree.map(_plain, args),
                                                             **tree.map(_plain, kwargs))
            return fn(*args, **kwargs)
        return wrapper
    return deco


def _empty_traced(leaves):
    return any(isinstance(v, Tracer) and 0 in shape(v) for v in tree.flatten(leaves)[0])


def _plain(v):
    """A traced value's stand-in where the result does not depend on it: zeros of its
    (per-example) shape and dtype."""
    if not isinstance(v, Tracer):
        return v
    return full_lower(v) if ndim(v) == 0 else np.zeros(shape(v), dtype=dtype(v))


def _any_complex(leaves):
    return any(np.iscomplexobj(full_lower(v)) for v in tree.flatten(leaves)[0]
               if isinstance(v, (complex, np.ndarray, np.generic, list, Tracer)))


def _as_array(x):
    return x if hasattr(x, "shape") else np.asarray(x)


def _constant(name, what, value):
    if traced(value):
        raise TypeError(f"scipy.signal.{name}: {what} must be a constant (chainrule does not "
                        f"differentiate in it); pass a plain value")
    return value


def _known(test, default):
    """A check on values (True/False), or ``default`` under vmap (one example's value is
    not known there)."""
    try:
        return bool(concrete_value(test, "bool"))
    except BatchedValueError:
        return default


def _inexact(*arrays):
    t = np.result_type(*[dtype(a) for a in arrays])
    return np.dtype(np.float64) if t.kind in "biu" else t


# ---- lfiltic, deconvolve ----------------------------------------------------------------------
@export("lfiltic", namespace=SIGNAL)
@scipy_when_plain("lfiltic")
def lfiltic(b, a, y, x=None):
    """The initial state of ``lfilter`` from past outputs ``y`` (and inputs ``x``)
    (``scipy.signal.lfiltic``): linear in ``y`` and ``x``, differentiable in ``b`` and ``a``
    too.

    >>> import numpy as np, chainrule as cr
    >>> lfiltic([1.0], [1.0, -0.5], [2.0])
    array([1.])
    >>> cr.grad(lambda p: lfiltic([1.0], cr.numpy.stack([1.0, p]), [2.0])[0])(-0.5)
    np.float64(-2.0)
    """
    a, b = cnp.atleast_1d(_as_array(a)), cnp.atleast_1d(_as_array(b))
    if ndim(a) > 1:
        raise ValueError("Filter coefficients `a` must be 1-D.")
    if ndim(b) > 1:
        raise ValueError("Filter coefficients `b` must be 1-D.")
    n, m = shape(a)[0] - 1, shape(b)[0] - 1
    if n < 0:
        raise ValueError("There must be at least one `a` coefficient.")
    y = cnp.ravel(_as_array(y))
    x = cnp.zeros(m) if x is None else cnp.ravel(_as_array(x))
    work = _inexact(a, b, y, x)
    x, y = cnp.astype(x, work), cnp.astype(y, work)
    if shape(x)[0] < m:
        x = cnp.concatenate([x, cnp.zeros(m - shape(x)[0], dtype=work)])
    if shape(y)[0] < n:
        y = cnp.concatenate([y, cnp.zeros(n - shape(y)[0], dtype=work)])
    terms = []
    for i in range(max(m, n)):
        t = cnp.zeros((), dtype=work)
        if i < m:
            t = t + cnp.sum(b[i + 1:] * x[:m - i])
        if i < n:
            t = t - cnp.sum(a[i + 1:] * y[:n - i])
        terms.append(cnp.astype(t, work))
    zi = cnp.stack(terms) if terms else cnp.zeros(0, dtype=work)
    if _known(a[0] == 0.0, False):
        raise ValueError("First `a` filter coefficient must be non-zero.")
    return zi / a[0]


@export("deconvolve", namespace=SIGNAL)
@scipy_when_plain("deconvolve")
def deconvolve(signal, divisor):
    """Polynomial division: ``signal = convolve(divisor, quotient) + remainder``
    (``scipy.signal.deconvolve``), the quotient as SciPy computes it (``lfilter`` of an
    impulse); returns ``(quotient, remainder)``, differentiable in both arguments.

    >>> import numpy as np
    >>> deconvolve(np.array([0.0, 1.0, 0.5, 0.0, 0.0, 0.0]), np.array([2.0, 1.0]))[0]
    array([0. , 0.5, 0. , 0. , 0. ])
    """
    num, den = cnp.atleast_1d(_as_array(signal)), cnp.atleast_1d(_as_array(divisor))
    if ndim(num) != 1 or shape(num)[0] == 0:
        raise ValueError(f"Parameter signal must be non-empty 1d array, but its shape is "
                         f"{shape(num)}!")
    if ndim(den) != 1 or shape(den)[0] == 0:
        raise ValueError(f"Parameter divisor must be non-empty 1d array, but its shape is "
                         f"{shape(den)}!")
    n, d = shape(num)[0], shape(den)[0]
    if d > n:
        return [], cnp.copy(num)
    impulse = np.zeros(n - d + 1)
    impulse[0] = 1.0
    quot = lfilter(num, den, impulse)
    return quot, num - convolve(den, quot, mode="full")


# ---- sosfiltfilt --------------------------------------------------------------------------------
def sosfilt_zi_traced(sos):
    """``scipy.signal.sosfilt_zi`` of traced sections: each section's ``lfilter_zi`` scaled by
    the DC gains of the sections before it."""
    rows, scale = [], 1.0
    for i in range(shape(sos)[0]):
        b, a = sos[i, :3], sos[i, 3:]
        rows.append(scale * lfilter_zi(b, a))
        scale = scale * cnp.sum(b) / cnp.sum(a)
    return cnp.stack(rows)


@export("sosfiltfilt", namespace=SIGNAL)
@scipy_when_plain("sosfiltfilt")
def sosfiltfilt(sos, x, axis=-1, padtype="odd", padlen=None):
    """Forward-backward filtering with second-order sections (``scipy.signal.sosfiltfilt``):
    SciPy's padding and steady-state initial conditions; differentiable in ``sos`` and ``x``.

    >>> import numpy as np, chainrule as cr
    >>> sos = np.array([[0.5, 0.5, 0.0, 1.0, -0.2, 0.0]])
    >>> g = cr.grad(lambda x: sosfiltfilt(sos, x).sum())(np.ones(12))
    >>> g.shape
    (12,)
    """
    sos = cnp.atleast_2d(_as_array(sos))
    if ndim(sos) != 2 or shape(sos)[1] != 6:
        raise ValueError("sos array must be shape (n_sections, 6)")
    x = _as_array(x)
    if ndim(x) == 0:
        raise ValueError("x must be at least 1-D")
    axis = axis_index(axis, ndim(x))
    sections = shape(sos)[0]
    ntaps = 2 * sections + 1
    ntaps -= min(_count(sos[:, 2] == 0), _count(sos[:, 5] == 0))
    if padtype not in ("even", "odd", "constant", None):
        raise ValueError(f"Unknown value '{padtype}' given to padtype. padtype must be "
                         f"'even', 'odd', 'constant', or None.")
    edge = 0 if padtype is None else (ntaps * 3 if padlen is None else padlen)
    if shape(x)[axis] <= edge:
        raise ValueError(f"The length of the input vector x must be greater than padlen, "
                         f"which is {edge}.")
    ext = extension(x, edge, axis, padtype) if edge > 0 else x
    zi = sosfilt_zi_traced(sos)
    zi = cnp.reshape(zi, (sections,) + tuple(2 if i == axis else 1 for i in range(ndim(x))))
    first = ext[(slice(None),) * axis + (slice(0, 1),)]
    y, _ = sosfilt(sos, ext, axis=axis, zi=zi * first)
    last = y[(slice(None),) * axis + (slice(-1, None),)]
    y, _ = sosfilt(sos, cnp.flip(y, axis=axis), axis=axis, zi=zi * last)
    y = cnp.flip(y, axis=axis)
    if edge > 0:
        y = y[(slice(None),) * axis + (slice(edge, -edge),)]
    return y


def _count(mask):
    try:
        return int(concrete_value(cnp.sum(mask), "int"))
    except BatchedValueError:   # (under vmap: no zero coefficient assumed)
        return 0


# ---- upfirdn, resample_poly, resample, decimate ------------------------------------------------
def _upfirdn(h, x, up, down, axis):
    """The composite: x upsampled (up − 1 zeros after each sample), convolved with h, every
    ``down``-th sample kept; h and x already of the output dtype."""
    nd = ndim(x)
    xm = cnp.moveaxis(x, axis, -1)
    n = shape(xm)[-1]
    if up > 1:
        zero = cnp.zeros_like(xm)
        xm = cnp.reshape(cnp.stack([xm] + [zero] * (up - 1), axis=-1),
                         shape(xm)[:-1] + (n * up,))[..., :(n - 1) * up + 1]
    kernel = cnp.reshape(h, (1,) * (nd - 1) + (shape(h)[0],))
    y = conv(xm, kernel, mode="full", method="auto")[..., ::down]
    return cnp.moveaxis(y, -1, axis)


@export("upfirdn", namespace=SIGNAL)
@scipy_when_plain("upfirdn")
def upfirdn(h, x, up=1, down=1, axis=-1, mode="constant", cval=0):
    """Upsample, FIR filter, downsample (``scipy.signal.upfirdn``): linear in ``x`` and in
    ``h`` (bilinear), differentiable in both (and in ``cval``); every extension ``mode``.

    >>> import numpy as np
    >>> upfirdn([1.0, 2.0, 3.0], np.array([1.0, 1.0]))
    array([1., 3., 5., 3.])
    """
    h, x = _as_array(h), _as_array(x)
    if ndim(h) != 1 or shape(h)[0] == 0:
        raise ValueError("h must be 1-D with non-zero length")
    up, down = int(up), int(down)
    if up < 1 or down < 1:
        raise ValueError("Both up and down must be >= 1")
    if mode not in _UPFIRDN_MODES:
        raise ValueError(f"Unknown mode: {mode}")
    if ndim(x) == 0:
        raise ValueError("x must be at least 1-D")
    axis = axis_index(axis, ndim(x))
    out = np.result_type(dtype(h), dtype(x), np.float32)
    if shape(x)[axis] == 0:
        return scipy_module("signal").upfirdn(np.zeros(shape(h), out), np.zeros(shape(x), out),
                                              up, down, axis)
    h, x = cnp.astype(h, out), cnp.astype(x, out)
    if mode != "constant":
        return _upfirdn_extended(h, x, up, down, axis, mode)
    y = _upfirdn(h, x, up, down, axis)
    return y if _is_zero(cval) else y + _cval_part(h, shape(x), out, up, down, axis, cval)


def _upfirdn_extended(h, x, up, down, axis, mode):
    """upfirdn with SciPy's extension ``mode``: x extended by the K samples each side the
    filter reaches, then convolved (nothing outside), the output cut where SciPy's starts.
    Every mode extends linearly (np.pad's modes, 'smooth', 'line', the antisymmetric ones),
    so the extension is a constant matrix, read off SciPy's own upfirdn: a delayed impulse
    as the filter reproduces the extended columns of the identity. Only the samples near
    each end (and the last, for 'line' and 'wrap') are probed."""
    n, taps = shape(x)[axis], shape(h)[0]
    k = -(-(taps - 1) // up) + 1
    probe = np.unique(np.concatenate([np.arange(min(n, k + 2)), np.arange(max(0, n - k - 2), n)]))
    delta = np.zeros(2 * k + 1)
    delta[k] = 1.0
    cols = np.zeros((n, probe.size), dtype=dtype(x))
    cols[probe, np.arange(probe.size)] = 1.0
    ext = scipy_module("signal").upfirdn(delta, cols, 1, 1, axis=0, mode=mode)
    xm = cnp.moveaxis(x, axis, -1)
    near = xm[..., probe]
    left = cnp.matmul(near, np.ascontiguousarray(ext[:k].T))
    right = cnp.matmul(near, np.ascontiguousarray(ext[k + n:].T))
    xe = cnp.concatenate([left, xm, right], axis=-1)
    length = _output_len(taps, n, up, down)
    nd = ndim(xe)
    if up > 1:
        m = shape(xe)[-1]
        xe = cnp.reshape(cnp.stack([xe] + [cnp.zeros_like(xe)] * (up - 1), axis=-1),
                         shape(xe)[:-1] + (m * up,))[..., :(m - 1) * up + 1]
    full = conv(xe, cnp.reshape(h, (1,) * (nd - 1) + (taps,)), mode="full", method="auto")
    y = full[..., k * up:][..., ::down][..., :length]
    return cnp.moveaxis(y, -1, axis)


def _is_zero(cval):
    return isinstance(cval, (int, float)) and cval == 0


def _cval_part(h, xshape, out, up, down, axis, cval):
    """What the extension by ``cval`` adds (affine in ``cval``, linear in ``h``): ``cval``
    times (every tap of output j that meets an input sample if the signal were all ones
    forever, Σ h[k] over k ≡ j·down mod up) minus (the taps that meet the real samples)."""
    h = cnp.astype(h, out)
    n = xshape[axis]
    length = _output_len(shape(h)[0], n, up, down)
    taps = np.arange(shape(h)[0])
    phase = ((np.arange(length)[:, None] * down - taps[None, :]) % up == 0).astype(out)
    inside = _upfirdn(h, np.ones(n, out), up, down, 0)
    extended = cnp.matmul(phase, h) - inside
    return cval * cnp.reshape(extended, tuple(length if i == axis else 1
                                              for i in range(len(xshape))))


def _output_len(len_h, in_len, up, down):
    return ((in_len - 1) * up + len_h - 1) // down + 1


_UPFIRDN_MODES = ("constant", "wrap", "edge", "smooth", "symmetric", "reflect",
                  "antisymmetric", "antireflect", "line")


@export("resample_poly", namespace=SIGNAL)
@scipy_when_plain("resample_poly")
def resample_poly(x, up, down, axis=0, window=("kaiser", 5.0), padtype="constant", cval=None):
    """Resample by the rational factor up/down with a polyphase FIR filter
    (``scipy.signal.resample_poly``): SciPy's filter design, then ``upfirdn``; linear in
    ``x`` (and in ``window`` given as an array); every ``padtype``.

    >>> import numpy as np, chainrule as cr
    >>> resample_poly(np.ones(4), 2, 1).shape
    (8,)
    >>> cr.jacfwd(lambda x: resample_poly(x, 3, 2))(np.ones(4)).shape
    (6, 4)
    """
    x = _as_array(x)
    if up != int(up):
        raise ValueError("up must be an integer")
    if down != int(down):
        raise ValueError("down must be an integer")
    up, down = int(up), int(down)
    if up < 1 or down < 1:
        raise ValueError("up and down must be >= 1")
    if cval is not None and padtype != "constant":
        raise ValueError("cval has no effect when padtype is ", padtype)
    g = math.gcd(up, down)
    up, down = up // g, down // g
    if up == down == 1:
        return cnp.copy(x)
    axis = axis_index(axis, ndim(x))
    n_in = shape(x)[axis]
    n_out = n_in * up
    n_out = n_out // down + bool(n_out % down)
    if isinstance(window, list) or hasattr(window, "shape"):
        h = _as_array(window)
        if ndim(h) > 1:
            raise ValueError("window must be 1-D")
        half_len = (shape(h)[0] - 1) // 2
    else:
        max_rate = max(up, down)
        half_len = 10 * max_rate
        h = scipy_module("signal").firwin(2 * half_len + 1, 1.0 / max_rate, window=window)
        if dtype(x).kind in "fc":
            h = h.astype(dtype(x))
    h = h * up
    n_pre_pad = down - half_len % down
    n_post_pad = 0
    n_pre_remove = (half_len + n_pre_pad) // down
    while _output_len(shape(h)[0] + n_pre_pad + n_post_pad, n_in, up, down) \
            < n_out + n_pre_remove:
        n_post_pad += 1
    h = cnp.concatenate([cnp.zeros(n_pre_pad, dtype=dtype(h)), h,
                         cnp.zeros(n_post_pad, dtype=dtype(h))])
    funcs = {"mean": cnp.mean, "median": cnp.median, "minimum": cnp.min, "maximum": cnp.max}
    if padtype in funcs:
        background = funcs[padtype](x, axis=axis, keepdims=True)
        x = x - background
    elif padtype in _UPFIRDN_MODES:
        background = None
    else:
        raise ValueError("padtype must be one of: maximum, mean, median, minimum, "
                         + ", ".join(_UPFIRDN_MODES))
    xf = x if dtype(x).kind in "fc" else cnp.astype(x, np.float64)
    out = np.result_type(dtype(h), dtype(xf), np.float32)
    if padtype in funcs or padtype == "constant":
        y = _upfirdn(cnp.astype(h, out), cnp.astype(xf, out), up, down, axis)
    else:
        y = _upfirdn_extended(cnp.astype(h, out), cnp.astype(xf, out), up, down, axis, padtype)
    if padtype == "constant" and cval is not None and not _is_zero(cval):
        y = y + _cval_part(h, shape(xf), out, up, down, axis, cval)
    y = y[(slice(None),) * axis + (slice(n_pre_remove, n_pre_remove + n_out),)]
    if padtype in funcs:
        y = y + background
    return y


def _fft(x, n=None, inverse=False, real=False):
    f = cnp.fft
    if real:
        return f.irfft(x, n=n) if inverse else f.rfft(x)
    return f.ifft(x, n=n) if inverse else f.fft(x)


def _onehot(size, index, dt):
    v = np.zeros(size, dtype=dt)
    v[index] = 1.0
    return v


@export("resample", namespace=SIGNAL)
@scipy_when_plain("resample")
def resample(x, num, t=None, axis=0, window=None, domain="time"):
    """Resample ``x`` to ``num`` samples by the Fourier method (``scipy.signal.resample``):
    SciPy's treatment of the unpaired Nyquist bin and of ``window``; linear in ``x``. With
    ``t``, returns ``(resampled, new_t)``.

    >>> import numpy as np
    >>> resample(np.array([1.0, 0.0, -1.0, 0.0]), 8).round(3)
    array([ 1.   ,  0.707,  0.   , -0.707, -1.   , -0.707,  0.   ,  0.707])
    """
    if domain not in ("time", "freq"):
        raise ValueError(f"Parameter domain={domain!r} not in ('time', 'freq')!")
    x = _as_array(x)
    num = operator.index(num)
    if ndim(x) > 1:
        x = cnp.moveaxis(x, axis, -1)
    n_x = shape(x)[-1]
    s_fac = n_x / num
    m = min(num, n_x)
    m2 = m // 2 + 1
    fft = scipy_module("fft")
    if window is None:
        w = None
    elif callable(window):
        w = np.asarray(window(fft.fftfreq(n_x)))
    elif hasattr(window, "shape"):
        _constant("resample", "window", window)
        if window.shape != (n_x,):
            raise ValueError(f"window.shape={window.shape} != ({n_x},), i.e., window length "
                             f"is not equal to number of frequency bins!")
        w = np.array(window, copy=True)
    else:
        w = fft.fftshift(scipy_module("signal").get_window(window, n_x)).astype(np.float64)
    cplx = dtype(x).kind == "c"
    single = dtype(x) in (np.float32, np.complex64)
    if domain == "time" and not cplx:
        xx = x if dtype(x).kind == "f" else cnp.astype(x, np.float64)
        big = _fft(xx, real=True)
        if w is not None:
            n_big = shape(big)[-1]
            w = w.astype(np.result_type(w.dtype, np.float64))
            w[1:n_big] += w[-n_big + 1:][::-1] if n_big > 1 else 0.0
            w[1:n_big] /= 2
            big = big * w[:n_big]
        big = big[..., :m2]
        if m % 2 == 0 and num != n_x:
            f = np.ones(m2)
            f[m // 2] = 2.0 if num < n_x else 0.5
            big = big * f
        out = _fft(big / s_fac, n=num, inverse=True, real=True)
        out = cnp.astype(out, np.float32) if single else out
    else:
        big = _fft(x) if domain == "time" else x
        if w is not None:
            big = big * w
        lead = shape(big)[:-1]
        parts = [big[..., :m2]]
        neg = m - m2 if m2 < m else 0
        zeros = num - min(m2, num) - neg
        if zeros > 0:
            parts.append(cnp.zeros(lead + (zeros,), dtype=dtype(big)))
        if neg:
            parts.append(big[..., m2 - m:])
        y = cnp.concatenate(parts, axis=-1)[..., :num]
        if m % 2 == 0:
            if num < n_x:
                k = -m // 2
                y = y + _onehot(num, k, np.float64) * big[..., n_x + k:n_x + k + 1]
            elif n_x < num:
                scale = np.ones(num)
                scale[m // 2] = 0.5
                y = y * scale
                y = y + _onehot(num, num - m // 2, np.float64) * y[..., m // 2:m // 2 + 1]
        out = _fft(y / s_fac, n=num, inverse=True)
        if single or dtype(x) == np.complex64:
            out = cnp.astype(out, np.complex64)
    if ndim(out) > 1:
        out = cnp.moveaxis(out, -1, axis)
    if t is not None:
        t = np.asarray(_constant("resample", "t", t))
        return out, t[0] + (t[1] - t[0]) * s_fac * np.arange(num)
    return out


@export("decimate", namespace=SIGNAL)
@scipy_when_plain("decimate")
def decimate(x, q, n=None, ftype="iir", axis=-1, zero_phase=True):
    """Downsample by ``q`` after an anti-aliasing filter (``scipy.signal.decimate``): SciPy's
    Chebyshev I (``ftype='iir'``, ``sosfiltfilt``) or FIR (``'fir'``, ``resample_poly``)
    design, or a ``dlti`` of yours; linear in ``x``.

    >>> import numpy as np, chainrule as cr
    >>> decimate(np.ones(30), 3).shape
    (10,)
    >>> cr.grad(lambda x: decimate(x, 3, ftype="fir").sum())(np.ones(30)).shape
    (30,)
    """
    x = _as_array(x)
    q = operator.index(q)
    if n is not None:
        n = operator.index(n)
    work = dtype(x)
    if work.kind not in "fc" or work == np.float16:
        work = np.dtype(np.float64)
    x = cnp.astype(x, work) if dtype(x) != work else x
    signal = scipy_module("signal")
    use_sos = True
    if ftype == "fir":
        if n is None:
            n = 2 * 10 * q
        b, a = np.asarray(signal.firwin(n + 1, 1.0 / q, window="hamming"), dtype=work), 1.0
    elif ftype == "iir":
        sos = np.asarray(signal.cheby1(8 if n is None else n, 0.05, 0.8 / q, output="sos"),
                         dtype=work)
    elif isinstance(ftype, signal.dlti):
        zpk = ftype.to_zpk()
        if zpk.poles.shape[0] == 0:
            tf = ftype.to_tf()
            b, a = tf.num, tf.den
            ftype = "fir"
        elif np.any(np.iscomplex(zpk.poles)) or np.iscomplex(zpk.gain):
            use_sos = False
            tf = ftype.to_tf()
            b, a = tf.num, tf.den
        else:
            sos = np.asarray(signal.zpk2sos(zpk.zeros, zpk.poles, zpk.gain), dtype=work)
    else:
        raise ValueError("invalid ftype")
    axis = axis_index(axis, ndim(x))
    sl = [slice(None)] * ndim(x)
    if ftype == "fir":
        b = b / a
        if zero_phase:
            y = resample_poly(x, 1, q, axis=axis, window=b)
        else:
            n_out = shape(x)[axis] // q + bool(shape(x)[axis] % q)
            y = upfirdn(b, x, up=1, down=q, axis=axis)
            sl[axis] = slice(None, n_out, None)
    else:
        if zero_phase:
            y = sosfiltfilt(sos, x, axis=axis) if use_sos else filtfilt(b, a, x, axis=axis)
        else:
            y = sosfilt(sos, x, axis=axis) if use_sos else lfilter(b, a, x, axis=axis)
        sl[axis] = slice(None, None, q)
    return y[tuple(sl)]


# ---- lsim, dlsim -------------------------------------------------------------------------------
def tf2ss_traced(num, den):
    """``scipy.signal.tf2ss`` of a traced single-input transfer function (controller
    canonical form, SciPy's)."""
    num, den = cnp.atleast_1d(_as_array(num)), cnp.atleast_1d(_as_array(den))
    if ndim(num) > 1:
        raise NotImplementedError("chainrule: a traced transfer function has one output "
                                  "(a 1-D numerator); pass (A, B, C, D) for more")
    k = shape(den)[0]
    if shape(num)[0] > k:
        raise ValueError("Improper transfer function. `num` is longer than `den`.")
    num, den = num / den[0], den / den[0]
    num = cnp.concatenate([cnp.zeros(k - shape(num)[0], dtype=dtype(num)), num])
    if k == 1:
        return (np.zeros((0, 0)), np.zeros((0, 1)), np.zeros((1, 0)),
                cnp.reshape(num, (1, 1)))
    top = cnp.reshape(-den[1:], (1, k - 1))
    a = cnp.concatenate([top, np.eye(k - 2, k - 1)], axis=0)
    b = np.eye(k - 1, 1)
    c = cnp.reshape(num[1:] - num[0] * den[1:], (1, k - 1))
    return a, b, c, cnp.reshape(num[:1], (1, 1))


def _state_space(name, system, discrete):
    """(A, B, C, D[, dt]) of ``system``: traced matrices or a traced (num, den) kept as
    chainrule values, anything else converted by SciPy."""
    signal = scipy_module("signal")
    if isinstance(system, signal.lti if discrete else signal.dlti):
        raise AttributeError(f"{name} can only be used with discrete-time dlti systems."
                             if discrete else
                             f"{name} can only be used with continuous-time systems.")
    if isinstance(system, (signal.lti, signal.dlti)):
        ss = system.to_ss()
        return (ss.A, ss.B, ss.C, ss.D), isinstance(system, signal.StateSpace), \
            getattr(system, "dt", None)
    parts = tuple(system)
    dt = None
    if discrete:
        parts, dt = parts[:-1], _constant(name, "dt", parts[-1])
    if len(parts) == 4:
        return tuple(cnp.atleast_2d(_as_array(p)) for p in parts), True, dt
    if len(parts) == 2 and traced(parts):
        return tf2ss_traced(*parts), False, dt
    if traced(parts):
        raise NotImplementedError(f"chainrule.scipy.signal.{name}: a traced system is given "
                                  f"as (A, B, C, D) or (num, den); convert zeros, poles and "
                                  f"gain with scipy.signal.zpk2ss first")
    sys = (signal.dlti(*parts, dt=dt) if discrete else signal.lti(*parts))
    ss = sys.to_ss()
    return (ss.A, ss.B, ss.C, ss.D), False, dt


def _float(*arrays):
    return np.result_type(np.float64, *[dtype(a) for a in arrays])


@export("lsim", namespace=SIGNAL)
@scipy_when_plain("lsim", complex_composite=True)
def lsim(system, U, T, X0=None, interp=True):
    """Simulate a continuous-time linear system (``scipy.signal.lsim``): SciPy's exact
    discretisation by the matrix exponential of a block matrix (``interp=True``: the input
    linear between samples; False: held). Returns ``(T, yout, xout)``; differentiable in
    ``U``, ``X0`` and the system: ``(A, B, C, D)`` or ``(num, den)`` (traced), through
    ``chainrule.scipy.linalg.expm``. ``T`` is a constant.

    >>> import numpy as np, chainrule as cr
    >>> t = np.linspace(0.0, 1.0, 11)
    >>> decay = lambda k: lsim(([1.0], cr.numpy.stack([1.0, k])), np.zeros(11), t,
    ...                        X0=[1.0])[1][-1]
    >>> bool(abs(cr.grad(decay)(2.0) + np.exp(-2.0)) < 1e-9)     # d/dk e^(−k·1)
    True
    """
    (a, b, c, d), _, _ = _state_space("lsim", system, False)
    T = np.atleast_1d(_constant("lsim", "T", T))
    if T.ndim != 1:
        raise ValueError("T must be a rank-1 array.")
    work = _float(a, b, c, d, *(() if U is None else (_as_array(U),)),
                  *(() if X0 is None else (_as_array(X0),)))
    a, b, c, d = (cnp.astype(m, work) for m in (a, b, c, d))
    n_states, n_inputs = shape(a)[0], shape(b)[1]
    steps = T.size
    x0 = cnp.zeros(n_states, dtype=work) if X0 is None else \
        cnp.astype(cnp.reshape(_as_array(X0), (n_states,)), work)
    if T[0] > 0:
        x0 = cnp.matmul(x0, _csl.expm(cnp.transpose(a) * T[0]))
    elif T[0] < 0:
        raise ValueError("Initial time must be nonnegative")
    if U is not None and not traced(U) and not np.any(U):   # SciPy's "no input"
        U = None
    if U is not None:
        U = cnp.atleast_1d(_as_array(U))
        if ndim(U) == 1:
            U = cnp.reshape(U, (shape(U)[0], 1))
    if steps == 1:
        xout = cnp.reshape(x0, (1, n_states))
        yout = cnp.squeeze(cnp.matmul(xout, cnp.transpose(c)))
        if U is not None:
            yout = yout + cnp.squeeze(cnp.matmul(U, cnp.transpose(d)))
        return T, yout, cnp.squeeze(xout)
    dt = T[1] - T[0]
    if not np.allclose(np.diff(T), dt):
        raise ValueError("Time steps are not equally spaced.")
    if U is None:
        ad = _csl.expm(cnp.transpose(a) * dt)
        drive = None
    else:
        if shape(U)[0] != steps:
            raise ValueError("U must have the same number of rows as elements in T.")
        if shape(U)[1] != n_inputs:
            raise ValueError("System does not define that many inputs.")
        U = cnp.astype(U, work)
        if not interp:
            m = cnp.concatenate([cnp.concatenate([a * dt, b * dt], axis=1),
                                 cnp.zeros((n_inputs, n_states + n_inputs), dtype=work)])
            emt = _csl.expm(cnp.transpose(m))
            ad, bd = emt[:n_states, :n_states], emt[n_states:, :n_states]
            drive = cnp.matmul(U[:-1], bd)
        else:
            m = cnp.concatenate([
                cnp.concatenate([a * dt, b * dt, cnp.zeros((n_states, n_inputs), dtype=work)],
                                axis=1),
                cnp.concatenate([cnp.zeros((n_inputs, n_states + n_inputs), dtype=work),
                                 cnp.eye(n_inputs, dtype=work)], axis=1),
                cnp.zeros((n_inputs, n_states + 2 * n_inputs), dtype=work)])
            emt = _csl.expm(cnp.transpose(m))
            ad = emt[:n_states, :n_states]
            bd1 = emt[n_states + n_inputs:, :n_states]
            bd0 = emt[n_states:n_states + n_inputs, :n_states] - bd1
            drive = cnp.matmul(U[:-1], bd0) + cnp.matmul(U[1:], bd1)
    states = [x0]
    for i in range(1, steps):
        nxt = cnp.matmul(states[-1], ad)
        states.append(nxt if drive is None else nxt + drive[i - 1])
    xout = cnp.stack(states)
    yout = cnp.squeeze(cnp.matmul(xout, cnp.transpose(c)))
    if U is not None:
        yout = yout + cnp.squeeze(cnp.matmul(U, cnp.transpose(d)))
    return T, yout, cnp.squeeze(xout)


@export("dlsim", namespace=SIGNAL)
@scipy_when_plain("dlsim", complex_composite=True)
def dlsim(system, u, t=None, x0=None):
    """Simulate a discrete-time linear system (``scipy.signal.dlsim``): x[k+1] = A x[k] +
    B u[k], y[k] = C x[k] + D u[k]. Returns ``(tout, yout, xout)`` for a state-space system,
    ``(tout, yout)`` otherwise; differentiable in ``u``, ``x0`` and the system, given as
    ``(A, B, C, D, dt)`` or ``(num, den, dt)`` (traced). With ``t``, ``u`` is interpolated
    linearly at the steps, as SciPy does.

    >>> import numpy as np, chainrule as cr
    >>> dlsim(([1.0], [1.0, -0.5], 1.0), np.array([1.0, 0.0, 0.0]))[1].ravel()
    array([0. , 1. , 0.5])
    >>> cr.grad(lambda u: dlsim(([1.0], [1.0, -0.5], 1.0), u)[1].sum())(np.zeros(3))
    array([1.5, 1. , 0. ])
    """
    (a, b, c, d), is_ss, dt = _state_space("dlsim", system, True)
    u = cnp.atleast_1d(_as_array(u))
    if ndim(u) == 1:
        u = cnp.reshape(u, (shape(u)[0], 1))
    if t is None:
        samples = shape(u)[0]
        stop = (samples - 1) * dt
        u_dt = u
    else:
        t = np.asarray(_constant("dlsim", "t", t))
        stop = t[-1]
        samples = int(np.floor(stop / dt)) + 1
    tout = np.linspace(0.0, stop, num=samples)
    if t is not None:
        # linear interpolation at tout: a constant matrix (SciPy's make_interp_spline, k=1)
        weights = scipy_module("interpolate").make_interp_spline(
            t, np.eye(len(t)), k=1)(tout)
        u_dt = cnp.matmul(weights, u)
    work = _float(a, b, c, d, u, *(() if x0 is None else (_as_array(x0),)))
    a, b, c, d, u_dt = (cnp.astype(m, work) for m in (a, b, c, d, u_dt))
    n_states = shape(a)[0]
    x = cnp.zeros(n_states, dtype=work) if x0 is None else \
        cnp.astype(cnp.reshape(_as_array(x0), (n_states,)), work)
    drive = cnp.matmul(u_dt[:samples], cnp.transpose(b))
    states = [x]
    for i in range(samples - 1):
        states.append(cnp.matmul(a, states[-1]) + drive[i])
    xout = cnp.stack(states) if n_states else cnp.zeros((samples, 0), dtype=work)
    yout = cnp.matmul(xout, cnp.transpose(c)) + cnp.matmul(u_dt[:samples], cnp.transpose(d))
    return (tout, yout, xout) if is_ss else (tout, yout)
