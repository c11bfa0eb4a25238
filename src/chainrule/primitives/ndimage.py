"""``scipy.ndimage``'s linear filters (needs the ``scipy`` extra): correlate, convolve, their
1-d versions, gaussian_filter and uniform_filter, differentiable in the input and in the
weights.

A filter is linear in its input. Instead of a primitive with a hand-written transpose (the
correlation with the flipped kernel under the transposed boundary handling), each filter is
composed: the input is extended past its edges by the boundary ``mode`` (an index gather
built with NumPy's ``pad`` of the indices, or a constant pad), then correlated with the
kernel in 'valid' mode by ``scipy.signal``'s primitive. The gather's transpose folds the
cotangent of the extension back onto the edges, so both modes and every order of
derivative follow from the existing rules.

ndimage's modes and NumPy's pad modes: 'reflect' (d c b a | a b c d) is NumPy's
'symmetric', 'mirror' (d c b | a b c d) NumPy's 'reflect', 'nearest' is 'edge', 'wrap' is
'wrap'; the 'grid-' spellings are the same for filters.

>>> import numpy as np, chainrule as cr
>>> correlate1d(np.array([1.0, 2.0, 3.0]), np.array([1.0, 1.0, 1.0]))
array([4., 6., 8.])
>>> cr.grad(lambda x: correlate1d(x, np.array([1.0, 1.0, 1.0]))[0])(np.ones(3))
array([2., 1., 0.])
"""

import numpy as np

from ..core.primitive import Tracer
from ..core.registry import NDIMAGE
from .declare import export
from .util import shape, ndim, dtype
from . import basic as B
from . import elementwise as E
from . import structural as S
from .signal import conv

__all__ = []

#: ndimage's boundary modes -> NumPy's pad mode for the indices (None: a constant pad).
_PAD_MODES = {"reflect": "symmetric", "grid-mirror": "symmetric", "mirror": "reflect",
              "nearest": "edge", "wrap": "wrap", "grid-wrap": "wrap", "constant": None,
              "grid-constant": None}


def _array(x):
    return B.reshape(x, shape=shape(x))


def _check_mode(name, mode):
    if mode not in _PAD_MODES:
        raise ValueError(f"scipy.ndimage.{name}: mode {mode!r} is not supported; use one of "
                         f"{', '.join(_PAD_MODES)}")
    return mode


def _modes(name, mode, count):
    if isinstance(mode, str):
        return [_check_mode(name, mode)] * count
    mode = list(mode)
    if len(mode) != count:
        raise RuntimeError("sequence argument must have length equal to input rank")
    return [_check_mode(name, m) for m in mode]


def _per_axis(value, count, what):
    if np.ndim(value) == 0:
        return [value] * count
    value = list(value)
    if len(value) != count:
        raise RuntimeError(f"sequence argument must have length equal to input rank ({what})")
    return value


def _axes(x, axes):
    if axes is None:
        return list(range(ndim(x)))
    axes = [axes] if np.ndim(axes) == 0 else list(axes)
    out = [int(a) % ndim(x) if -ndim(x) <= int(a) < ndim(x) else None for a in axes]
    if None in out:
        raise ValueError(f"axes {axes} out of range for an input of {ndim(x)} dimensions")
    if len(set(out)) != len(out):
        raise ValueError("axes must be unique")
    return out


def _extend(x, axis, before, after, mode, cval):
    """x extended by ``before``/``after`` samples along ``axis``, as ndimage's mode says."""
    if before == 0 and after == 0:
        return x
    pad_mode = _PAD_MODES[mode]
    if pad_mode is None:
        widths = [(0, 0)] * ndim(x)
        widths[axis] = (before, after)
        return S.pad(x, pad_width=tuple(widths), constant_values=cval)
    index = np.pad(np.arange(shape(x)[axis]), (before, after), mode=pad_mode)
    return x[(slice(None),) * axis + (index,)]


def _output_dtype(x, w):
    """ndimage's: the input's dtype, complex when the weights are."""
    out = dtype(x)
    if dtype(w).kind == "c" and out.kind != "c":
        out = np.promote_types(out, np.complex64)
    return out


def _line_filter(name, x, w, axes, modes, cval, origins, conjugate):
    """A 1-d pass (correlate1d, convolve1d, the separable filters): SciPy's own summation
    order for an integer image (its result is truncated, so a different rounding of the
    same sum moves it by one), the 'valid' correlation otherwise."""
    if (dtype(x).kind in "iub" and type(w) is np.ndarray and w.dtype.kind in "biuf"
            and w.ndim == 1 and w.size and 0 not in shape(x)):
        return _integer_line(x, w.astype(np.float64), axes[0], modes[0], cval, int(origins[0]))
    return _filter(name, x, w, axes, modes, cval, origins, conjugate)


def _integer_line(x, w, axis, mode, cval, origin):
    """ndimage's NI_Correlate1D on an integer image: out[i] = Σ_j w[j]·x[i + j − size1]
    summed in float64 in its order (the middle tap, then pairs from the outside in for a
    symmetric or antisymmetric kernel; else the last tap, then the others in order), then
    truncated to the image's dtype."""
    size = w.size
    size1 = size // 2
    size2 = size - size1 - 1
    before = size1 + origin
    if not 0 <= before < size:
        raise ValueError("Invalid origin; origin must satisfy -(weights.shape[k] // 2) <= "
                         "origin[k] <= (weights.shape[k]-1) // 2")
    n = shape(x)[axis]
    xw = _extend(E.astype(x, dtype=np.float64), axis, before, size - 1 - before, mode, cval)

    def tap(j):   # x[i + j] for every output i, j from −size1 to size2
        start = size1 + j
        return xw[(slice(None),) * axis + (slice(start, start + n),)]

    if size % 2 and np.array_equal(w[:size1], w[size1 + 1:][::-1]):
        out = tap(0) * w[size1]
        for j in range(-size1, 0):
            out = out + (tap(j) + tap(-j)) * w[size1 + j]
    elif size % 2 and np.array_equal(w[:size1], -w[size1 + 1:][::-1]):
        out = tap(0) * w[size1]
        for j in range(-size1, 0):
            out = out + (tap(j) - tap(-j)) * w[size1 + j]
    else:
        out = tap(size2) * w[size1 + size2]
        for j in range(-size1, size2):
            out = out + tap(j) * w[size1 + j]
    if dtype(x).kind == "b":
        return E.astype(E.astype(out, dtype=np.int64), dtype=np.bool_)
    return E.astype(out, dtype=dtype(x))


def _filter(name, x, w, axes, modes, cval, origins, conjugate):
    """ndimage's correlation of x with w along ``axes`` (w has one axis per listed axis):
    out[i] = Σ_j w[j]·x[i + j − (len(w)//2 + origin)], x extended by the modes; with
    ``conjugate`` (correlate) a complex w is conjugated, as by ndimage."""
    x, w = _array(x), _array(w)
    if ndim(w) != len(axes):
        raise RuntimeError(f"scipy.ndimage.{name}: the weights must have one dimension per "
                           f"filtered axis of the input ({len(axes)}), got shape {shape(w)}")
    if 0 in shape(w):
        raise ValueError("no filter weights given")
    out_dtype = _output_dtype(x, w)
    if 0 in shape(x):   # SciPy's empty result: no extension of an empty axis is asked for
        return E.astype(x, dtype=out_dtype)
    work = np.result_type(out_dtype, dtype(w), np.float64)
    xw = x if dtype(x) == work else E.astype(x, dtype=work)
    kernel_shape = [1] * ndim(x)
    for axis, size, mode, origin in zip(axes, shape(w), modes, origins):
        before = size // 2 + int(origin)
        if not 0 <= before < size:
            raise ValueError("Invalid origin; origin must satisfy -(weights.shape[k] // 2) <= "
                             "origin[k] <= (weights.shape[k]-1) // 2")
        xw = _extend(xw, axis, before, size - 1 - before, mode, cval)
        kernel_shape[axis] = size
    w = B.reshape(w, shape=tuple(kernel_shape))
    if conjugate and dtype(w).kind == "c":
        w = E.conj(w)
    # 'valid' convolution with the flipped kernel: out[i] = Σ_j w[j]·xw[i + j]
    out = conv(xw, S.flip(w, axis=tuple(range(ndim(w)))), mode="valid", method="auto")
    return out if dtype(out) == out_dtype else E.astype(out, dtype=out_dtype)


def _no_output(name, output):
    if isinstance(output, (type, np.dtype, str)):   # a dtype: nothing written in place
        raise TypeError(f"scipy.ndimage.{name}(output=<dtype>) is not supported: chainrule "
                        f"returns SciPy's default dtype (the input's); cast the result "
                        f"instead, {name}(...).astype(dtype)")
    if output is not None:
        raise TypeError(f"scipy.ndimage.{name}(output=...) writes in place; chainrule returns "
                        f"a new array: assign the result instead")


def _convolve_origins(w_shape, origins):
    """ndimage's convolve is its correlate with the kernel flipped and the origin mirrored
    (one further left on an axis of even length)."""
    return [-int(o) - (1 - size % 2) for o, size in zip(origins, w_shape)]


@export("correlate", namespace=NDIMAGE)
def correlate(input, weights, output=None, mode="reflect", cval=0.0, origin=0, *, axes=None):
    """``scipy.ndimage.correlate``: the N-d correlation of ``input`` with ``weights`` (a
    complex kernel is conjugated, as by ndimage), the input extended past its edges by
    ``mode`` ('reflect', 'constant' with ``cval``, 'nearest', 'mirror', 'wrap' and the 'grid-'
    spellings); differentiable in both. The result has the input's dtype (complex if the
    weights are), as SciPy's. Where a kernel reaches more than twice the input's length past
    an edge, SciPy's N-d filters read memory outside the extension in 'reflect' mode (a SciPy
    bug); chainrule extends the input periodically there, as SciPy's 1-d filters do.

    >>> import numpy as np, chainrule as cr
    >>> correlate(np.array([[1.0, 2.0], [3.0, 4.0]]), np.ones((2, 2)))
    array([[ 4.,  6.],
           [ 8., 10.]])
    >>> cr.grad(lambda w: correlate(np.arange(3.0), w, mode="constant")[1])(np.ones(3))
    array([0., 1., 2.])
    """
    _no_output("correlate", output)
    x = _array(input)
    axes = _axes(x, axes)
    return _filter("correlate", x, weights, axes, _modes("correlate", mode, 1) * len(axes),
                   cval, _per_axis(origin, len(axes), "origin"), conjugate=True)


@export("convolve", namespace=NDIMAGE)
def convolve(input, weights, output=None, mode="reflect", cval=0.0, origin=0, *, axes=None):
    """``scipy.ndimage.convolve``: the N-d convolution of ``input`` with ``weights`` (the
    kernel flipped, not conjugated), boundary modes as :func:`correlate`'s; differentiable in
    both.

    >>> import numpy as np
    >>> convolve(np.array([0.0, 1.0, 0.0]), np.array([1.0, 2.0, 3.0]), mode="constant")
    array([1., 2., 3.])
    """
    _no_output("convolve", output)
    x, w = _array(input), _array(weights)
    axes = _axes(x, axes)
    origins = _convolve_origins(shape(w), _per_axis(origin, len(axes), "origin"))
    return _filter("convolve", x, S.flip(w, axis=tuple(range(ndim(w)))), axes,
                   _modes("convolve", mode, 1) * len(axes), cval, origins, conjugate=False)


def _flipped(w):
    return w[::-1].copy() if type(w) is np.ndarray else S.flip(w, axis=0)


def _one_axis(name, x, w, axis):
    x, w = _array(x), _array(w)
    if ndim(w) != 1:
        raise RuntimeError("no filter weights given" if ndim(w) == 0 else
                           f"scipy.ndimage.{name}: weights must be 1-d, got shape {shape(w)}")
    return x, w, _axes(x, axis)


@export("correlate1d", namespace=NDIMAGE)
def correlate1d(input, weights, axis=-1, output=None, mode="reflect", cval=0.0, origin=0):
    """``scipy.ndimage.correlate1d``: :func:`correlate` along one axis with a 1-d kernel.

    >>> import numpy as np
    >>> correlate1d(np.array([1.0, 2.0, 4.0]), np.array([0.0, 1.0, 1.0]), mode="nearest")
    array([3., 6., 8.])
    """
    _no_output("correlate1d", output)
    x, w, axes = _one_axis("correlate1d", input, weights, axis)
    return _line_filter("correlate1d", x, w, axes, _modes("correlate1d", mode, 1), cval, [origin],
                   conjugate=True)


@export("convolve1d", namespace=NDIMAGE)
def convolve1d(input, weights, axis=-1, output=None, mode="reflect", cval=0.0, origin=0):
    """``scipy.ndimage.convolve1d``: :func:`convolve` along one axis with a 1-d kernel.

    >>> import numpy as np
    >>> convolve1d(np.array([0.0, 1.0, 0.0]), np.array([1.0, 2.0, 3.0]), mode="wrap")
    array([1., 2., 3.])
    """
    _no_output("convolve1d", output)
    x, w, axes = _one_axis("convolve1d", input, weights, axis)
    origins = _convolve_origins(shape(w), [origin])
    return _line_filter("convolve1d", x, _flipped(w), axes, _modes("convolve1d", mode, 1),
                   cval, origins, conjugate=False)


# ---- separable filters --------------------------------------------------------------------
def gaussian_kernel1d(sigma, order, radius):
    """The sampled Gaussian of standard deviation ``sigma`` on [−radius, radius], normalised
    to sum 1, or its ``order``-th derivative (the polynomial factor q with
    d/dx (q·φ) = (q' − x·q/σ²)·φ applied ``order`` times), as ndimage builds it."""
    x = np.arange(-radius, radius + 1, dtype=np.float64)
    phi = np.exp(-0.5 / (sigma * sigma) * x ** 2)
    phi /= phi.sum()
    if order == 0:
        return phi
    powers = np.arange(order + 1)
    q = np.zeros(order + 1)
    q[0] = 1.0
    step = np.diag(powers[1:].astype(float), 1) + np.diag(np.full(order, -1.0 / sigma ** 2), -1)
    for _ in range(order):
        q = step @ q
    return (x[:, None] ** powers) @ q * phi


def _separable(name, x, kernels, axes, modes, cval, origins):
    """One 1-d correlation per axis, each pass rounded to the input's dtype as ndimage's
    (an integer image is truncated after every pass)."""
    for axis, w, mode, origin in zip(axes, kernels, modes, origins):
        if w is not None:
            x = _line_filter(name, x, w, [axis], [mode], cval, [origin], conjugate=False)
    return x if not isinstance(x, np.ndarray) else x.copy()


@export("gaussian_filter1d", namespace=NDIMAGE)
def gaussian_filter1d(input, sigma, axis=-1, order=0, output=None, mode="reflect", cval=0.0,
                      truncate=4.0, *, radius=None):
    """``scipy.ndimage.gaussian_filter1d``: correlation with the sampled Gaussian (or its
    ``order``-th derivative) of standard deviation ``sigma`` along one axis, truncated at
    ``truncate``·sigma (or ``radius``); differentiable in the input (sigma is a constant).

    >>> import numpy as np
    >>> gaussian_filter1d(np.array([0.0, 0.0, 1.0, 0.0, 0.0]), 1.0, radius=1).round(4)
    array([0.    , 0.2741, 0.4519, 0.2741, 0.    ])
    """
    _no_output("gaussian_filter1d", output)
    _constant_sigma(sigma)
    x = _array(input)
    axes = _axes(x, axis)
    return _separable("gaussian_filter1d", x, [_gaussian_weights(sigma, order, truncate,
                                                                 radius)],
                      axes, _modes("gaussian_filter1d", mode, 1), cval, [0])


def _constant_sigma(sigma):
    if isinstance(sigma, Tracer) or (not np.isscalar(sigma) and any(
            isinstance(s, Tracer) for s in np.ravel(np.asarray(sigma, dtype=object)))):
        raise TypeError("gaussian_filter: sigma must be a constant (chainrule does not "
                        "differentiate in sigma); write the kernel with chainrule.numpy and "
                        "use correlate1d to differentiate in it")


def _gaussian_weights(sigma, order, truncate, radius):
    if np.ndim(sigma) != 0 or not np.isfinite(float(sigma)):
        raise TypeError("gaussian_filter: sigma must be a constant number per axis (chainrule "
                        "does not differentiate in sigma)")
    if int(order) != order or order < 0:
        raise ValueError("order must be non-negative")
    sigma = float(sigma)
    lw = int(truncate * sigma + 0.5) if radius is None else int(radius)
    if lw < 0:
        raise ValueError("Radius must be a nonnegative integer.")
    # ndimage correlates with the reversed kernel (odd orders are antisymmetric)
    return gaussian_kernel1d(sigma, int(order), lw)[::-1].copy()


@export("gaussian_filter", namespace=NDIMAGE)
def gaussian_filter(input, sigma, order=0, output=None, mode="reflect", cval=0.0, truncate=4.0,
                    *, radius=None, axes=None):
    """``scipy.ndimage.gaussian_filter``: the N-d Gaussian filter as a sequence of 1-d
    :func:`gaussian_filter1d` passes (``sigma``, ``order``, ``mode`` and ``radius`` per axis
    or one for all; an axis with sigma ≤ 1e-15 is skipped, as SciPy); differentiable in the
    input.

    >>> import numpy as np, chainrule as cr
    >>> round(float(gaussian_filter(np.ones((3, 3)), 1.0).sum()), 12)
    9.0
    >>> cr.grad(lambda x: gaussian_filter(x, 0.7)[1, 1])(np.zeros((3, 3))).round(3)
    array([[0.046, 0.123, 0.046],
           [0.123, 0.325, 0.123],
           [0.046, 0.123, 0.046]])
    """
    _no_output("gaussian_filter", output)
    _constant_sigma(sigma)
    x = _array(input)
    axes = _axes(x, axes)
    n = len(axes)
    sigmas, orders = _per_axis(sigma, n, "sigma"), _per_axis(order, n, "order")
    radii, modes = _per_axis(radius, n, "radius"), _modes("gaussian_filter", mode, n)
    kernels = [_gaussian_weights(s, o, truncate, r) if float(s) > 1e-15 else None
               for s, o, r in zip(sigmas, orders, radii)]
    return _separable("gaussian_filter", x, kernels, axes, modes, cval, [0] * n)


@export("uniform_filter1d", namespace=NDIMAGE)
def uniform_filter1d(input, size, axis=-1, output=None, mode="reflect", cval=0.0, origin=0):
    """``scipy.ndimage.uniform_filter1d``: the mean over a window of ``size`` samples along one
    axis; differentiable in the input.

    >>> import numpy as np
    >>> uniform_filter1d(np.array([0.0, 3.0, 6.0]), 3, mode="nearest")
    array([1., 3., 5.])
    """
    _no_output("uniform_filter1d", output)
    x = _array(input)
    return _uniform_passes("uniform_filter1d", x, [size], _axes(x, axis),
                           _modes("uniform_filter1d", mode, 1), cval, [origin])


def _uniform_passes(name, x, sizes, axes, modes, cval, origins):
    """The box filters: SciPy's running mean for integer images, 'valid' correlations
    (differentiable) otherwise."""
    if dtype(x).kind not in "iub":
        kernels = [_box(s) if int(s) > 1 else None for s in sizes]
        return _separable(name, x, kernels, axes, modes, cval, origins)
    for axis, size, mode, origin in zip(axes, sizes, modes, origins):
        if int(_box(size).size) > 1:
            x = _running_mean(x, int(size), axis, mode, cval, int(origin))
    return x if not isinstance(x, np.ndarray) else x.copy()


def _running_mean(x, size, axis, mode, cval, origin):
    """ndimage's uniform filter of an integer image along one axis, rounded as SciPy's C loop:
    a running window sum (first window, then + x[i + size − 1] − x[i − 1]) in float64, each
    divided by ``size`` and truncated to the input's dtype after the pass. (A 'valid'
    correlation with weights 1/size rounds differently: 3·(1/3) is below 1, so an integer
    mean of 3, 4, 5 came out 3 where SciPy's is 4.)"""
    n = shape(x)[axis]
    if n == 0:
        return x
    before = size // 2 + origin
    if not 0 <= before < size:
        raise ValueError("Invalid origin; origin must satisfy -(weights.shape[k] // 2) <= "
                         "origin[k] <= (weights.shape[k]-1) // 2")
    xw = _extend(E.astype(x, dtype=np.float64), axis, before, size - 1 - before, mode, cval)

    def window(start, stop):
        return xw[(slice(None),) * axis + (slice(start, stop),)]

    first = B.reduce_sum(window(0, size), axis=axis, keepdims=True)
    steps = window(size, size + n - 1) - window(0, n - 1)
    mean = S.cumsum(B.concatenate(first, steps, axis=axis), axis=axis) / float(size)
    if dtype(x).kind == "b":   # SciPy's bool result: the truncated mean is nonzero
        return E.astype(E.astype(mean, dtype=np.int64), dtype=np.bool_)
    return E.astype(mean, dtype=dtype(x))


def _box(size):
    if int(size) != size or size < 1:
        raise RuntimeError("incorrect filter size")
    return np.full(int(size), 1.0 / int(size))


@export("uniform_filter", namespace=NDIMAGE)
def uniform_filter(input, size=3, output=None, mode="reflect", cval=0.0, origin=0, *,
                   axes=None):
    """``scipy.ndimage.uniform_filter``: the mean over a box of ``size`` (per axis or one for
    all), as a sequence of 1-d passes; differentiable in the input.

    >>> import numpy as np
    >>> uniform_filter(np.array([[0.0, 3.0], [6.0, 9.0]]), 2)
    array([[0. , 1.5],
           [3. , 4.5]])
    """
    _no_output("uniform_filter", output)
    x = _array(input)
    axes = _axes(x, axes)
    n = len(axes)
    sizes, origins = _per_axis(size, n, "size"), _per_axis(origin, n, "origin")
    return _uniform_passes("uniform_filter", x, sizes, axes, _modes("uniform_filter", mode, n),
                           cval, origins)
