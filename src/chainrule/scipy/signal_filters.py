"""More of ``scipy.signal``'s filters: the rank filters ``medfilt``, ``medfilt2d``,
``order_filter`` (the derivative flows to the selected element: ``chainrule.scipy.ndimage``'s
``rank_filter``), ``wiener``, and the B-spline filters ``symiirorder1``, ``symiirorder2``,
``cspline1d``, ``qspline1d``, ``cspline1d_eval``, ``qspline1d_eval``, ``cspline2d``,
``qspline2d``, ``spline_filter``, ``sepfir2d``, ``gauss_spline``.

With nothing traced each returns SciPy's own result. A traced call runs a composite after
SciPy's code: the spline filters are IIR filters (``lfilter``/``sosfilt``) with mirror-symmetric
starting states, linear in the signal; their starting states are SciPy's own truncated sums
(the weights read off SciPy's routine, applied to an identity, so the truncation is SciPy's).

>>> import numpy as np, chainrule as cr
>>> medfilt(np.array([2.0, 80.0, 6.0, 3.0]))
array([2., 6., 6., 3.])
>>> cr.grad(lambda x: medfilt(x).sum())(np.array([2.0, 80.0, 6.0, 3.0]))
array([1., 0., 2., 1.])
"""

import math

import numpy as np

from .. import numpy as cnp
from ..core.registry import SIGNAL
from ..primitives.declare import export
from ..primitives.signal import correlate
from ..primitives.ndimage import convolve1d
from ..primitives.scipy_linalg import scipy_module
from ..primitives.util import shape, ndim, dtype, axis_index
from .ndimage_rank import rank_filter
from .filters import lfilter, sosfilt
from .signal_linear import scipy_when_plain, lfiltic

__all__ = []


def _as_array(x):
    return x if hasattr(x, "shape") else np.asarray(x)


# ---- rank filters, wiener ---------------------------------------------------------------------
def _rank_dtype(name, x):
    if not (dtype(x).kind in "iub" or dtype(x) in (np.float32, np.float64)):
        raise ValueError(f"dtype={dtype(x)} is not supported by {name}")


@export("medfilt", namespace=SIGNAL)
@scipy_when_plain("medfilt")
def medfilt(volume, kernel_size=None):
    """The median of each ``kernel_size`` window, zero-padded (``scipy.signal.medfilt``):
    the derivative flows to the selected element.

    >>> import numpy as np
    >>> medfilt(np.array([1.0, 9.0, 2.0, 3.0]), 3)
    array([1., 2., 3., 2.])
    """
    volume = _as_array(volume)
    if ndim(volume) == 0:
        volume = cnp.atleast_1d(volume)
    _rank_dtype("medfilt", volume)
    sizes = [3] * ndim(volume) if kernel_size is None else kernel_size
    sizes = [int(k) for k in np.broadcast_to(np.asarray(sizes), (ndim(volume),))]
    if any(k % 2 != 1 for k in sizes):
        raise ValueError("Each element of kernel_size should be odd.")
    if any(k > n for k, n in zip(sizes, shape(volume))):
        import warnings
        warnings.warn("kernel_size exceeds volume extent: the volume will be zero-padded.",
                      stacklevel=3)
    size = math.prod(sizes)
    return rank_filter(volume, size // 2, size=sizes, mode="constant")


@export("medfilt2d", namespace=SIGNAL)
@scipy_when_plain("medfilt2d")
def medfilt2d(input, kernel_size=3):
    """The 2-D median filter, zero-padded (``scipy.signal.medfilt2d``): the derivative flows
    to the selected element.

    >>> import numpy as np
    >>> medfilt2d(np.eye(3))          # (zero-padded: at most 3 ones in each 3x3 window)
    array([[0., 0., 0.],
           [0., 0., 0.],
           [0., 0., 0.]])
    """
    image = _as_array(input)
    if ndim(image) != 2:
        raise ValueError("medfilt2d: input must be 2-D")
    sizes = [3, 3] if kernel_size is None else kernel_size
    sizes = [int(k) for k in np.broadcast_to(np.asarray(sizes), (2,))]
    if any(k % 2 != 1 for k in sizes):
        raise ValueError("Each element of kernel_size should be odd.")
    return rank_filter(image, math.prod(sizes) // 2, size=sizes, mode="constant")


@export("order_filter", namespace=SIGNAL)
@scipy_when_plain("order_filter")
def order_filter(a, domain, rank):
    """The ``rank``-th smallest of the elements ``domain`` (a mask) selects around each
    element, zero-padded (``scipy.signal.order_filter``): the derivative flows to the
    selected element.

    >>> import numpy as np
    >>> order_filter(np.array([3.0, 1.0, 2.0]), np.ones(3), 2)
    array([3., 3., 2.])
    """
    domain = np.asarray(domain)
    if any(d % 2 != 1 for d in domain.shape):
        raise ValueError("Each dimension of domain argument should have an odd number of "
                         "elements.")
    a = _as_array(a)
    _rank_dtype("order_filter", a)
    return rank_filter(a, rank, footprint=domain, mode="constant")


@export("wiener", namespace=SIGNAL)
@scipy_when_plain("wiener")
def wiener(im, mysize=None, noise=None):
    """The adaptive Wiener filter (``scipy.signal.wiener``): the local mean plus the
    deviation shrunk by 1 − noise/local variance (the local mean where the variance is below
    the noise, estimated as the mean local variance when not given); differentiable in
    ``im`` (and ``noise``).

    >>> import numpy as np
    >>> wiener(np.array([1.0, 2.0, 6.0, 2.0, 1.0])).round(4)
    array([1.    , 2.6095, 3.8667, 2.6095, 1.    ])
    """
    im = _as_array(im)
    sizes = [3] * ndim(im) if mysize is None else mysize
    if np.ndim(sizes) == 0:
        sizes = [sizes] * ndim(im)
    size = math.prod(sizes)
    ones = np.ones(sizes)
    local_mean = correlate(im, ones, "same") / float(size)
    local_var = correlate(im ** 2, ones, "same") / float(size) - local_mean ** 2
    if noise is None:
        noise = cnp.mean(cnp.reshape(local_var, (-1,)), axis=0)
    res = (im - local_mean) * (1 - noise / local_var) + local_mean
    return cnp.where(local_var < noise, local_mean, res)


# ---- the symmetric IIR filters of the B-splines -----------------------------------------------
def _default_precision(dt, precision):
    """cspline2d's and qspline2d's precision (SciPy's defaults)."""
    if 0.0 <= precision < 1.0:
        return precision
    return 1e-3 if dt in (np.float32, np.complex64) else 1e-6


def _ic_weights(routine, n, dt, *args):
    """The weights of SciPy's starting-state sum (``scipy.signal._spline.<routine>``, a
    linear functional of the first or last samples, truncated where SciPy's precision says):
    the routine applied to the rows of an identity, grown until its sum converges inside it
    (SciPy's ValueError where it does not converge within the whole signal)."""
    fn = getattr(scipy_module("signal._spline"), routine)
    size = min(n, 32)
    while True:
        try:
            return np.asarray(fn(np.eye(size, dtype=dt), *args))
        except ValueError:
            if size >= n:
                raise
            size = min(n, 4 * size)


def _float_signal(x):
    if dtype(x).kind in "fc":
        return x
    return cnp.astype(x, np.float64)


def _rows(x):
    if ndim(x) > 2:
        raise ValueError("Input must be 1D or 2D")
    return (cnp.reshape(x, (1, shape(x)[0])), True) if ndim(x) == 1 else (x, False)


@export("symiirorder1", namespace=SIGNAL)
@scipy_when_plain("symiirorder1")
def symiirorder1(signal, c0, z1, precision=-1.0):
    """The first-order IIR filter c0/((1 − z1·z⁻¹)(1 − z1·z)) with mirror-symmetric
    boundaries (``scipy.signal.symiirorder1``), along the last axis of a 1-D or 2-D signal:
    linear in ``signal``, differentiable in it (``c0`` and ``z1`` are constants).

    >>> import numpy as np, chainrule as cr
    >>> bool(np.allclose(symiirorder1(np.ones(40), 0.25, 0.5, 1e-4), 1.0, atol=1e-3))  # DC gain 1
    True
    >>> cr.grad(lambda x: symiirorder1(x, 0.25, 0.5, 1e-4)[20])(np.ones(40)).shape
    (40,)
    """
    x = _float_signal(_as_array(signal))
    if abs(z1) >= 1:
        raise ValueError("|z1| must be less than 1.0")
    x, squeeze = _rows(x)
    dt = dtype(x)
    n = shape(x)[-1]
    weights = _ic_weights("symiirorder1_ic", n, dt, z1, precision)   # (k, 1)
    y0 = cnp.matmul(x[:, :shape(weights)[0]], weights.astype(dt))     # (rows, 1)
    a = np.r_[1, -z1].astype(dt)
    y1, _ = lfilter(np.ones(1, dtype=dt), a, x[:, 1:], zi=y0 * z1)
    y1 = cnp.concatenate([y0, y1], axis=1)
    out_last = -c0 / (z1 - 1.0) * y1[:, -1:]
    out, _ = lfilter(np.asarray([c0], dtype=dt), a, y1[:, -2::-1], zi=out_last * z1)
    out = cnp.concatenate([out[:, ::-1], out_last], axis=1)
    return out[0] if squeeze else out


@export("symiirorder2", namespace=SIGNAL)
@scipy_when_plain("symiirorder2")
def symiirorder2(input, r, omega, precision=-1.0):
    """The second-order IIR filter with poles r·e^(±iω), run forwards and backwards with
    mirror-symmetric boundaries (``scipy.signal.symiirorder2``), along the last axis of a
    1-D or 2-D signal: linear in ``input``, differentiable in it.

    >>> import numpy as np
    >>> symiirorder2(np.ones(30), 0.5, 0.7, 1e-4)[10:14].round(4)       # DC gain 1
    array([1., 1., 1., 1.])
    """
    x = _float_signal(_as_array(input))
    if r >= 1.0:
        raise ValueError("r must be less than 1.0")
    x, squeeze = _rows(x)
    dt = dtype(x)
    n = shape(x)[-1]
    rsq = r * r
    a2 = 2 * r * math.cos(omega)
    a3 = -rsq
    cs = 1 - 2 * r * math.cos(omega) + rsq
    sos = np.asarray([[cs, 0, 0, 1, -a2, -a3]], dtype=dt)
    coef = np.asarray([[a3, a2], [0, a3]], dtype=dt)
    w_fwd = _ic_weights("symiirorder2_ic_fwd", n, dt, r, omega, precision)   # (k, 2)
    ic_fwd = cnp.matmul(x[:, :shape(w_fwd)[0]], w_fwd.astype(dt))            # (rows, 2)
    zi = cnp.matmul(ic_fwd, coef.T)
    y_fwd, _ = sosfilt(sos, x[:, 2:], zi=zi[None])
    y_fwd = cnp.concatenate([ic_fwd, y_fwd], axis=1)
    w_bwd = _ic_weights("symiirorder2_ic_bwd", n, dt, r, omega, precision)   # (k, 2)
    k = shape(w_bwd)[0]
    ic_bwd = cnp.matmul(x[:, n - k:], w_bwd.astype(dt))
    zi = cnp.matmul(ic_bwd, coef.T)
    y, _ = sosfilt(sos, y_fwd[:, -3::-1], zi=zi[None])
    out = cnp.concatenate([y[:, ::-1], ic_bwd[:, ::-1]], axis=1)
    return out[0] if squeeze else out


def _along(func, x, axis, *args, **kwargs):
    """SciPy's ``symiirorder_nd``: ``func`` on the rows of x with ``axis`` moved last."""
    axis = axis_index(axis, ndim(x))
    if ndim(x) == 1:
        return func(x, *args, **kwargs)
    moved = cnp.moveaxis(x, axis, -1)
    rows = cnp.reshape(moved, (-1, shape(moved)[-1]))
    out = func(rows, *args, **kwargs)
    return cnp.moveaxis(cnp.reshape(out, shape(moved)), -1, axis)


def _root_from_lambda(lamb):
    tmp = math.sqrt(3 + 144 * lamb)
    xi = 1 - 96 * lamb + 24 * lamb * tmp
    omega = math.atan(math.sqrt((144 * lamb - 1.0) / xi))
    tmp2 = math.sqrt(xi)
    r = ((24 * lamb - 1 - tmp2) / (24 * lamb) * math.sqrt(48 * lamb + 24 * lamb * tmp) / tmp2)
    return r, omega


@export("cspline2d", namespace=SIGNAL)
@scipy_when_plain("cspline2d")
def cspline2d(signal, lamb=0.0, precision=-1.0):
    """The 2-D cubic B-spline coefficients of an image (``scipy.signal.cspline2d``,
    smoothing with ``lamb``): symmetric IIR filters along both axes, linear in ``signal``.

    >>> import numpy as np
    >>> cspline2d(np.ones((12, 12))).round(3)[0, :3]
    array([1., 1., 1.])
    """
    x = _as_array(signal)
    precision = _default_precision(dtype(x), precision)
    if lamb <= 1 / 144.0:
        r = -2 + math.sqrt(3.0)
        out = _along(symiirorder1, x, -1, -r * 6.0, r, precision=precision)
        return _along(symiirorder1, out, 0, -r * 6.0, r, precision=precision)
    r, omega = _root_from_lambda(lamb)
    out = _along(symiirorder2, x, -1, r, omega, precision=precision)
    return _along(symiirorder2, out, 0, r, omega, precision=precision)


@export("qspline2d", namespace=SIGNAL)
@scipy_when_plain("qspline2d")
def qspline2d(signal, lamb=0.0, precision=-1.0):
    """The 2-D quadratic B-spline coefficients of an image (``scipy.signal.qspline2d``):
    linear in ``signal``.

    >>> import numpy as np
    >>> qspline2d(np.ones((12, 12))).round(3)[0, :3]
    array([1., 1., 1.])
    """
    x = _as_array(signal)
    precision = _default_precision(dtype(x), precision)
    if lamb > 0:
        raise ValueError("lambda must be negative or zero")
    r = -3 + 2 * math.sqrt(2.0)
    out = _along(symiirorder1, x, -1, -r * 8.0, r, precision)
    return _along(symiirorder1, out, 0, -r * 8.0, r, precision)


@export("sepfir2d", namespace=SIGNAL)
@scipy_when_plain("sepfir2d", real=("hrow", "hcol"))
def sepfir2d(input, hrow, hcol):
    """A separable 2-D FIR filter with mirror-symmetric boundaries (``scipy.signal.sepfir2d``):
    ``hrow`` along the rows, then ``hcol`` along the columns; differentiable in the image and
    in both filters.

    >>> import numpy as np
    >>> sepfir2d(np.eye(3), np.array([1.0, 2.0, 1.0]) / 4, np.array([1.0]))
    array([[0.75, 0.25, 0.  ],
           [0.25, 0.5 , 0.25],
           [0.  , 0.25, 0.75]])
    """
    x, hrow, hcol = _as_array(input), _as_array(hrow), _as_array(hcol)
    if shape(hrow)[0] % 2 != 1 or shape(hcol)[0] % 2 != 1:
        raise ValueError("hrow and hcol must be odd length")
    out = convolve1d(x, hrow, axis=1, mode="reflect")
    return convolve1d(out, hcol, axis=0, mode="reflect")


@export("spline_filter", namespace=SIGNAL)
@scipy_when_plain("spline_filter")
def spline_filter(Iin, lmbda=5.0):
    """Smoothing-spline filtering of an image (``scipy.signal.spline_filter``): the cubic
    spline coefficients (``cspline2d``), then the B-spline's samples [1, 4, 1]/6 along both
    axes; linear in ``Iin``.

    >>> import numpy as np
    >>> spline_filter(np.ones((20, 20)), 0.1).round(3)[0, :3]
    array([1., 1., 1.])
    """
    x = _as_array(Iin)
    intype = dtype(x)
    if intype not in (np.float32, np.float64, np.complex64, np.complex128):
        raise TypeError(f"Invalid data type for Iin: Iin.dtype = {intype}")
    hcol = np.array([1.0, 4.0, 1.0], np.float32) / 6.0
    if intype == np.complex128:   # (SciPy works in single precision for complex data)
        x = cnp.astype(x, np.complex64)
    out = sepfir2d(cspline2d(x, lmbda), hcol, hcol)
    return cnp.astype(out, intype)


# ---- 1-D spline coefficients and their evaluation ---------------------------------------------
def _first_order_coeff(signal, zi, gain):
    """SciPy's _cubic_coeff/_quadratic_coeff: causal then anti-causal first-order filters
    from mirror-symmetric starting values."""
    k = shape(signal)[0]
    powers = zi ** np.arange(k)
    start = cnp.sum(powers * signal)
    if k == 1:   # (SciPy leaves out the gain here)
        return cnp.atleast_1d(zi / (zi - 1) * (signal[0] + zi * start))
    a = np.r_[1, -zi]
    state = lfiltic(1, a, cnp.atleast_1d(start))
    yplus, _ = lfilter(np.ones(1), a, signal, zi=state)
    out_last = zi / (zi - 1) * yplus[k - 1]
    state = lfiltic(-zi, a, cnp.atleast_1d(out_last))
    out, _ = lfilter(np.asarray([-zi]), a, yplus[-2::-1], zi=state)
    return cnp.concatenate([out[::-1], cnp.atleast_1d(out_last)]) * gain


def _hc(k, cs, rho, omega):
    return cs / np.sin(omega) * (rho ** k) * np.sin(omega * (k + 1)) * np.greater(k, -1)


def _hs(k, cs, rho, omega):
    c0 = (cs * cs * (1 + rho * rho) / (1 - rho * rho) /
          (1 - 2 * rho * rho * np.cos(2 * omega) + rho ** 4))
    gamma = (1 - rho * rho) / (1 + rho * rho) / np.tan(omega)
    ak = np.abs(k)
    return c0 * rho ** ak * (np.cos(omega * ak) + gamma * np.sin(omega * ak))


def _cubic_smooth_coeff(signal, lamb):
    """SciPy's _cubic_smooth_coeff, with chainrule's filters."""
    xi = 1 - 96 * lamb + 24 * lamb * math.sqrt(3 + 144 * lamb)
    omega = math.atan2(math.sqrt(144 * lamb - 1), math.sqrt(xi))
    rho = (24 * lamb - 1 - math.sqrt(xi)) / (24 * lamb)
    rho = rho * math.sqrt((48 * lamb + 24 * lamb * math.sqrt(3 + 144 * lamb)) / xi)
    cs = 1 - 2 * rho * np.cos(omega) + rho * rho
    k = np.arange(shape(signal)[0])
    zi_2 = _hc(0, cs, rho, omega) * signal[0] + cnp.sum(_hc(k + 1, cs, rho, omega) * signal)
    zi_1 = (_hc(0, cs, rho, omega) * signal[0] + _hc(1, cs, rho, omega) * signal[1] +
            cnp.sum(_hc(k + 2, cs, rho, omega) * signal))
    a = np.r_[1, -2 * rho * np.cos(omega), rho * rho]
    sos = np.r_[cs, 0, 0, 1, -2 * rho * np.cos(omega), rho * rho].reshape(1, -1)
    zi = cnp.reshape(lfiltic(cs, a, cnp.stack([zi_1, zi_2])), (1, -1))
    yp, _ = sosfilt(sos, signal[2:], zi=zi)
    yp = cnp.concatenate([cnp.stack([zi_2, zi_1]), yp])
    rev = signal[::-1]
    zi_2 = cnp.sum((_hs(k, cs, rho, omega) + _hs(k + 1, cs, rho, omega)) * rev)
    zi_1 = cnp.sum((_hs(k - 1, cs, rho, omega) + _hs(k + 2, cs, rho, omega)) * rev)
    zi = cnp.reshape(lfiltic(cs, a, cnp.stack([zi_1, zi_2])), (1, -1))
    y, _ = sosfilt(sos, yp[-3::-1], zi=zi)
    return cnp.concatenate([y[::-1], cnp.stack([zi_1, zi_2])])


@export("cspline1d", namespace=SIGNAL)
@scipy_when_plain("cspline1d")
def cspline1d(signal, lamb=0.0):
    """The cubic B-spline coefficients of a 1-D signal with mirror-symmetric boundaries
    (``scipy.signal.cspline1d``; smoothing with ``lamb``): linear in ``signal``.

    >>> import numpy as np, chainrule as cr
    >>> cspline1d(np.ones(6)).round(2)
    array([1., 1., 1., 1., 1., 1.])
    >>> cr.jacfwd(cspline1d)(np.ones(6)).shape
    (6, 6)
    """
    signal = _as_array(signal)
    if lamb != 0.0:
        return _cubic_smooth_coeff(signal, lamb)
    return _first_order_coeff(signal, -2 + math.sqrt(3), 6.0)


@export("qspline1d", namespace=SIGNAL)
@scipy_when_plain("qspline1d")
def qspline1d(signal, lamb=0.0):
    """The quadratic B-spline coefficients of a 1-D signal with mirror-symmetric boundaries
    (``scipy.signal.qspline1d``): linear in ``signal``.

    >>> import numpy as np
    >>> qspline1d(np.ones(6)).round(2)
    array([1., 1., 1., 1., 1., 1.])
    """
    if lamb != 0.0:
        raise ValueError("Smoothing quadratic splines not supported yet.")
    return _first_order_coeff(_as_array(signal), -3 + 2 * math.sqrt(2.0), 8.0)


def _cubic(t):
    """The cubic B-spline on [−2, 2] (SciPy's BSpline.basis_element, in closed form)."""
    a = cnp.abs(t)
    return cnp.where(a < 1.0, 2.0 / 3.0 - a * a + 0.5 * a ** 3,
                     cnp.where(a < 2.0, (2.0 - a) ** 3 / 6.0, 0.0))


def _quadratic(t):
    """The quadratic B-spline on [−1.5, 1.5]."""
    a = cnp.abs(t)
    return cnp.where(a < 0.5, 0.75 - a * a, cnp.where(a < 1.5, 0.5 * (a - 1.5) ** 2, 0.0))


def _spline_eval(name, cj, newx, dx, x0, basis, reach, out_dtype):
    cj = _as_array(cj)
    newx = (_as_array(newx) - x0) / float(dx)
    if shape(cj)[0] == 0:
        raise ValueError("Spline coefficients 'cj' must not be empty.")
    n = shape(cj)[0]
    if 0 in shape(newx):
        return np.zeros(shape(newx), dtype=out_dtype)
    if n == 1:
        t = newx * 0.0
    else:   # SciPy's mirror symmetry about 0 and N − 1, repeated: a reflection of period 2(N−1)
        period = 2.0 * (n - 1)
        t = cnp.mod(newx, period)
        t = cnp.where(t > n - 1, period - t, t)
    # every sample j near t: SciPy's `reach` terms, clipped to the ends (their coefficient
    # repeated, the basis function taken at the unclipped j)
    j = np.arange(-reach, n + reach)
    weights = basis(cnp.reshape(t, shape(t) + (1,)) - j)
    values = cnp.matmul(weights, cnp.astype(cj[np.clip(j, 0, n - 1)], out_dtype)
                        if dtype(cj) != out_dtype else cj[np.clip(j, 0, n - 1)])
    return cnp.astype(values, out_dtype) if dtype(values) != out_dtype else values


@export("cspline1d_eval", namespace=SIGNAL)
@scipy_when_plain("cspline1d_eval")
def cspline1d_eval(cj, newx, dx=1.0, x0=0):
    """The cubic spline of coefficients ``cj`` (knots x0 + k·dx, mirror-symmetric beyond)
    at ``newx`` (``scipy.signal.cspline1d_eval``): linear in ``cj``, a piecewise cubic of
    ``newx``; differentiable in both.

    >>> import numpy as np, chainrule as cr
    >>> c = cspline1d(np.array([0.0, 1.0, 4.0, 9.0, 16.0]))
    >>> float(cspline1d_eval(c, np.array([2.0]))[0].round(12))
    4.0
    """
    cj = _as_array(cj)
    return _spline_eval("cspline1d_eval", cj, newx, dx, x0, _cubic, 2,
                        np.result_type(dtype(cj), np.float64) if dtype(cj).kind in "iub"
                        else dtype(cj))


@export("qspline1d_eval", namespace=SIGNAL)
@scipy_when_plain("qspline1d_eval", real=("cj",))
def qspline1d_eval(cj, newx, dx=1.0, x0=0):
    """The quadratic spline of coefficients ``cj`` at ``newx`` (``scipy.signal.
    qspline1d_eval``): linear in ``cj``, piecewise quadratic in ``newx``; differentiable in
    both.

    >>> import numpy as np
    >>> c = qspline1d(np.array([0.0, 1.0, 4.0, 9.0]))
    >>> qspline1d_eval(c, np.arange(4.0)).round(4)    # (the mirrored ends bend the first)
    array([1.5e-03, 1.0e+00, 4.0e+00, 9.0e+00])
    """
    newx = _as_array(newx)
    out = dtype(newx) if dtype(newx).kind == "f" else np.dtype(np.float64)
    return _spline_eval("qspline1d_eval", cj, newx, dx, x0, _quadratic, 2, out)


@export("gauss_spline", namespace=SIGNAL)
@scipy_when_plain("gauss_spline")
def gauss_spline(x, n):
    """The Gaussian approximation of the B-spline of order ``n`` (``scipy.signal.
    gauss_spline``): exp(−x²/(2σ²))/√(2πσ²) with σ² = (n + 1)/12; differentiable in
    ``x``.

    >>> import numpy as np
    >>> float(gauss_spline(np.array(0.0), 3).round(6))
    0.690988
    """
    x = _as_array(x)
    signsq = (n + 1) / 12.0
    return 1 / math.sqrt(2 * math.pi * signsq) * cnp.exp(-x ** 2 / 2 / signsq)
