"""``scipy.ndimage``'s derivative filters (sobel, prewitt, laplace, their Gaussian and generic
forms) as SciPy writes them: a sequence of 1-d correlations (chainrule's ``correlate1d`` and
``gaussian_filter``, differentiable to any order in the input), each pass rounded to the
input's dtype as SciPy's ``output`` array is. The gradient magnitude is the square root of a
sum of squares, differentiated by the chain rule (its derivative is infinite where every
directional derivative is zero, a flat region, as the square root's at 0).

The ``generic_`` forms call the user's ``derivative(input, axis, output, mode, cval,
*extra_arguments, **extra_keywords)`` with ``output=None`` and use what it returns, so a
function written with chainrule's filters (or SciPy's protocol, returning its result) works.

>>> import numpy as np
>>> sobel(np.array([[0.0, 1.0, 3.0], [0.0, 1.0, 3.0]]))
array([[ 4., 12.,  8.],
       [ 4., 12.,  8.]])
"""

import numpy as np

from ..core.registry import NDIMAGE
from ..primitives.declare import export
from ..primitives.ndimage import correlate1d, gaussian_filter
from .. import numpy as cnp
from .ndimage_support import no_output, check_axes, per_axis, constant, scipy_when_plain

__all__ = []


def _axis(axis, ndim):
    if not -ndim <= int(axis) < ndim:
        raise ValueError(f"axis {axis} is out of bounds for array of dimension {ndim}")
    return int(axis) % ndim


def _edge(name, input, axis, output, mode, cval, smooth):
    no_output(name, output)
    x = cnp.asarray(input)
    axis = _axis(axis, x.ndim)
    modes = per_axis(mode, x.ndim, "mode")
    out = correlate1d(x, np.array([-1.0, 0.0, 1.0]), axis, mode=modes[axis], cval=cval)
    for ii in range(x.ndim):
        if ii != axis:
            out = correlate1d(out, smooth, ii, mode=modes[ii], cval=cval)
    return out


@export("sobel", namespace=NDIMAGE)
@scipy_when_plain("sobel")
def sobel(input, axis=-1, output=None, mode="reflect", cval=0.0):
    """``scipy.ndimage.sobel``: the central difference [-1, 0, 1] along ``axis``, smoothed by
    [1, 2, 1] along every other axis; linear, differentiable in the input.

    >>> import numpy as np, chainrule as cr
    >>> cr.grad(lambda x: sobel(x, mode="constant")[1])(np.zeros(3))
    array([-1.,  0.,  1.])
    """
    return _edge("sobel", input, axis, output, mode, cval, np.array([1.0, 2.0, 1.0]))


@export("prewitt", namespace=NDIMAGE)
@scipy_when_plain("prewitt")
def prewitt(input, axis=-1, output=None, mode="reflect", cval=0.0):
    """``scipy.ndimage.prewitt``: as :func:`sobel` with the smoothing [1, 1, 1].

    >>> import numpy as np
    >>> prewitt(np.array([[0.0, 1.0, 3.0]]), axis=1, mode="nearest")
    array([[3., 9., 6.]])
    """
    return _edge("prewitt", input, axis, output, mode, cval, np.array([1.0, 1.0, 1.0]))


@export("generic_laplace", namespace=NDIMAGE)
def generic_laplace(input, derivative2, output=None, mode="reflect", cval=0.0,
                    extra_arguments=(), extra_keywords=None, *, axes=None):
    """``scipy.ndimage.generic_laplace``: the sum over ``axes`` of
    ``derivative2(input, axis, None, mode, cval, *extra_arguments, **extra_keywords)``
    (a chainrule function, differentiated by the chain rule).

    >>> import numpy as np
    >>> d2 = lambda x, axis, output, mode, cval: correlate1d(x, [1.0, -2.0, 1.0], axis,
    ...                                                     output, mode, cval)
    >>> generic_laplace(np.array([0.0, 1.0, 4.0, 9.0]), d2, mode="nearest")
    array([ 1.,  2.,  2., -5.])
    """
    no_output("generic_laplace", output)
    extra_keywords = {} if extra_keywords is None else extra_keywords
    x = cnp.asarray(input)
    axes = check_axes(axes, x.ndim)
    if not axes:
        return cnp.array(x, copy=True)
    modes = per_axis(mode, len(axes), "mode")
    out = None
    for ax, m in zip(axes, modes):
        term = cnp.asarray(derivative2(x, ax, None, m, cval, *extra_arguments,
                                       **extra_keywords))
        out = term if out is None else out + term.astype(out.dtype)
    return out if out.dtype == x.dtype or x.dtype.kind in "fc" else out.astype(x.dtype)


def _second_difference(x, axis, output, mode, cval):
    return correlate1d(x, np.array([1.0, -2.0, 1.0]), axis, output, mode, cval, 0)


@export("laplace", namespace=NDIMAGE)
@scipy_when_plain("laplace")
def laplace(input, output=None, mode="reflect", cval=0.0, *, axes=None):
    """``scipy.ndimage.laplace``: the sum of the second differences [1, -2, 1] over ``axes``;
    linear, differentiable in the input.

    >>> import numpy as np
    >>> laplace(np.array([[0.0, 1.0, 4.0]]), mode="constant")
    array([[  1.,   0., -15.]])
    """
    return generic_laplace(input, _second_difference, output, mode, cval, axes=axes)


@export("gaussian_laplace", namespace=NDIMAGE)
@scipy_when_plain("gaussian_laplace")
def gaussian_laplace(input, sigma, output=None, mode="reflect", cval=0.0, *, axes=None,
                     **kwargs):
    """``scipy.ndimage.gaussian_laplace``: the sum over ``axes`` of the second derivative of
    the Gaussian filter along each (``truncate``/``radius`` pass through); differentiable in
    the input (sigma is a constant).

    >>> import numpy as np
    >>> float(gaussian_laplace(np.arange(5.0) ** 2, 1.0, mode="nearest")[2].round(6))
    1.595198
    """
    constant("gaussian_laplace", "sigma", sigma)
    x = cnp.asarray(input)
    axes = check_axes(axes, x.ndim)
    sigma = per_axis(sigma, len(axes), "sigma")
    if len(axes) < x.ndim:   # SciPy: sigma 0 (no filtering) on the axes not named
        full = [0] * x.ndim
        for s, ax in zip(sigma, axes):
            full[ax] = s
        sigma = full

    def derivative2(x, axis, output, mode, cval, sigma, **kwargs):
        order = [0] * x.ndim
        order[axis] = 2
        return gaussian_filter(x, sigma, order, output, mode, cval, **kwargs)

    return generic_laplace(x, derivative2, output, mode, cval, extra_arguments=(sigma,),
                           extra_keywords=kwargs, axes=axes)


@export("generic_gradient_magnitude", namespace=NDIMAGE)
def generic_gradient_magnitude(input, derivative, output=None, mode="reflect", cval=0.0,
                               extra_arguments=(), extra_keywords=None, *, axes=None):
    """``scipy.ndimage.generic_gradient_magnitude``: sqrt(Σ over ``axes`` of
    ``derivative(input, axis, None, mode, cval, ...)``²), in the input's dtype (an integer
    image is truncated, as SciPy's); differentiated by the chain rule.

    >>> import numpy as np
    >>> generic_gradient_magnitude(np.array([[0.0, 3.0], [4.0, 7.0]]), sobel)
    array([[20., 20.],
           [20., 20.]])
    """
    no_output("generic_gradient_magnitude", output)
    extra_keywords = {} if extra_keywords is None else extra_keywords
    x = cnp.asarray(input)
    axes = check_axes(axes, x.ndim)
    if not axes:
        return cnp.array(x, copy=True)
    modes = per_axis(mode, len(axes), "mode")
    out = None
    for ax, m in zip(axes, modes):
        d = cnp.asarray(derivative(x, ax, None, m, cval, *extra_arguments, **extra_keywords))
        if x.dtype.kind not in "fc":
            d = d.astype(x.dtype)
        out = d * d if out is None else out + d * d
    out = cnp.sqrt(out)
    return out if out.dtype == x.dtype or x.dtype.kind in "fc" else out.astype(x.dtype)


@export("gaussian_gradient_magnitude", namespace=NDIMAGE)
@scipy_when_plain("gaussian_gradient_magnitude")
def gaussian_gradient_magnitude(input, sigma, output=None, mode="reflect", cval=0.0, *,
                                axes=None, **kwargs):
    """``scipy.ndimage.gaussian_gradient_magnitude``: :func:`generic_gradient_magnitude` of
    the first derivatives of the Gaussian filter; differentiable in the input.

    >>> import numpy as np
    >>> gaussian_gradient_magnitude(np.arange(5.0), 1.0, mode="nearest").round(4)
    array([0.5   , 0.8632, 0.9712, 0.8632, 0.5   ])
    """
    constant("gaussian_gradient_magnitude", "sigma", sigma)

    def derivative(x, axis, output, mode, cval, sigma, **kwargs):
        order = [0] * x.ndim
        order[axis] = 1
        return gaussian_filter(x, sigma, order, output, mode, cval, **kwargs)

    return generic_gradient_magnitude(input, derivative, output, mode, cval,
                                      extra_arguments=(sigma,), extra_keywords=kwargs,
                                      axes=axes)
