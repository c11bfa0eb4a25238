"""``scipy.ndimage``'s Fourier filters: each multiplies the (already transformed) input by a
fixed array, so it is linear and its derivative is the same multiplication (reverse mode:
by the same array, unconjugated, as the pairing Re Σ c·t asks). The multiplier is SciPy's
own: the filter applied to an array of ones, in float64 (complex128 for the shift), so
``input * multiplier`` reproduces SciPy's arithmetic (double products, then the output's
dtype) bit for bit.

>>> import numpy as np, chainrule as cr
>>> fourier_uniform(np.ones(4), 2).round(8)
array([1.        , 0.63661977, 0.        , 0.63661977])
>>> cr.grad(lambda x: fourier_uniform(x, 2).sum())(np.zeros(4)).round(8)
array([1.        , 0.63661977, 0.        , 0.63661977])
"""

import numpy as np

from ..core.registry import NDIMAGE
from ..primitives.declare import export
from .. import numpy as cnp
from .ndimage_support import no_output, constant, scipy_ndimage

__all__ = []


def _fourier(name, input, parameter, n, axis, output, complex_out):
    no_output(name, output)
    constant(name, "its parameter", parameter)
    x = cnp.asarray(input)
    kind = x.dtype.kind
    if kind not in "biufc":
        raise TypeError(f"scipy.ndimage.{name}: input of dtype {x.dtype} is not numeric")
    single = x.dtype == np.complex64 or (x.dtype == np.float32 and not complex_out)
    if complex_out or kind == "c":
        out_dtype = np.complex64 if single else np.complex128
    else:
        out_dtype = np.float32 if single else np.float64
    ones = np.ones(x.shape, np.complex128 if complex_out else np.float64)
    multiplier = getattr(scipy_ndimage(), name)(ones, parameter, n=n, axis=axis)
    if kind == "c":
        # SciPy's complex product written out: NumPy's own may fuse a multiply-add
        wide = x.astype(np.complex128)
        re, im = cnp.real(wide), cnp.imag(wide)
        if complex_out:
            mr, mi = multiplier.real.copy(), multiplier.imag.copy()
            out = (re * mr - im * mi) + 1j * (re * mi + im * mr)
        else:
            out = re * multiplier + 1j * (im * multiplier)
    else:
        out = x.astype(np.float64) * multiplier
    return out if out.dtype == out_dtype else out.astype(out_dtype)


@export("fourier_gaussian", namespace=NDIMAGE)
def fourier_gaussian(input, sigma, n=-1, axis=-1, output=None):
    """``scipy.ndimage.fourier_gaussian``: the input (a Fourier transform; ``n`` > 0 for a
    real transform's length along ``axis``) times the Gaussian's transform; linear in the
    input.

    >>> import numpy as np
    >>> fourier_gaussian(np.ones(3), 1.0).round(6)
    array([1.      , 0.111554, 0.111554])
    """
    return _fourier("fourier_gaussian", input, sigma, n, axis, output, False)


@export("fourier_uniform", namespace=NDIMAGE)
def fourier_uniform(input, size, n=-1, axis=-1, output=None):
    """``scipy.ndimage.fourier_uniform``: times the box filter's transform (a sinc).

    >>> import numpy as np
    >>> fourier_uniform(np.ones(2), 1.0)
    array([1.        , 0.63661977])
    """
    return _fourier("fourier_uniform", input, size, n, axis, output, False)


@export("fourier_ellipsoid", namespace=NDIMAGE)
def fourier_ellipsoid(input, size, n=-1, axis=-1, output=None):
    """``scipy.ndimage.fourier_ellipsoid``: times the transform of an ellipsoid's indicator
    (SciPy's, for 1 to 3 dimensions).

    >>> import numpy as np
    >>> fourier_ellipsoid(np.ones((2, 2)), 1.0).round(6)
    array([[1.      , 0.721703],
           [0.721703, 0.497717]])
    """
    return _fourier("fourier_ellipsoid", input, size, n, axis, output, False)


@export("fourier_shift", namespace=NDIMAGE)
def fourier_shift(input, shift, n=-1, axis=-1, output=None):
    """``scipy.ndimage.fourier_shift``: times exp(−2πi·k·shift/n), a shift of the signal by
    ``shift`` samples; complex result; linear in the input (the shift is a constant: for a
    derivative in the shift, use :func:`shift` or ``map_coordinates`` with order=1).

    >>> import numpy as np
    >>> np.fft.ifft(fourier_shift(np.fft.fft([1.0, 0.0, 0.0, 0.0]), 1)).real.round(12) + 0.0
    array([0., 1., 0., 0.])
    """
    return _fourier("fourier_shift", input, shift, n, axis, output, True)
