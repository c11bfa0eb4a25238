"""``scipy.ndimage``'s functions that take the user's function: ``generic_filter`` (a function
of each neighbourhood's values, batched over the image by ``vmap``), ``generic_filter1d`` (a
function of each extended line, writing into an output line) and
``geometric_transform`` (a mapping from each output index to input coordinates, called once
per output point as SciPy calls it, the result interpolated by :func:`map_coordinates`).
Written with chainrule functions (or NumPy's, which dispatch to them), both are
differentiable in the input, and through the user's function in whatever it closes over.

>>> import numpy as np, chainrule as cr
>>> cr.grad(lambda x: generic_filter(x, np.sum, size=3, mode="constant")[0])(np.ones(4))
array([1., 1., 0., 0.])
"""

import numpy as np

from ..core.registry import NDIMAGE
from ..primitives.declare import export
from ..transforms.vectorize import vmap
from .. import numpy as cnp
from .ndimage_support import scipy_when_plain, check_axes, per_axis, constant, traced
from .ndimage_rank import neighbourhood, footprint_of
from .ndimage_interpolation import map_coordinates

__all__ = []


def _closes_over_traced(probe):
    """SciPy's own call is taken when nothing is traced, the user's function included: a
    function closing over a traced value returns a traced result on a probe."""
    def deco(fn):
        plain_or_composite = scipy_when_plain(fn.__name__)(fn)

        def wrapper(*args, **kwargs):
            if traced(probe(*args, **kwargs)):
                return fn(*args, **kwargs)
            return plain_or_composite(*args, **kwargs)
        wrapper.__name__, wrapper.__doc__ = fn.__name__, fn.__doc__
        return wrapper
    return deco


def _probe_filter(input, function, size=None, footprint=None, *args, extra_arguments=(),
                  extra_keywords=None, **kwargs):
    count = int(np.sum(footprint)) if footprint is not None else int(np.prod(
        np.broadcast_to(size, (max(cnp.ndim(input), 1),)))) if size is not None else 1
    return function(np.zeros(count), *extra_arguments, **(extra_keywords or {}))


def _probe_mapping(input, mapping, *args, extra_arguments=(), extra_keywords=None, **kwargs):
    return mapping((0,) * cnp.ndim(input), *extra_arguments, **(extra_keywords or {}))


@export("generic_filter", namespace=NDIMAGE)
@_closes_over_traced(_probe_filter)
def generic_filter(input, function, size=None, footprint=None, output=None, mode="reflect",
                   cval=0.0, origin=0, extra_arguments=(), extra_keywords=None, *, axes=None):
    """``scipy.ndimage.generic_filter``: ``function(values, *extra_arguments,
    **extra_keywords)`` of each neighbourhood's values (float64, the footprint's True
    elements in row-major order), in the input's dtype.

    >>> import numpy as np
    >>> generic_filter(np.array([1.0, 5.0, 2.0, 0.0]), np.ptp, size=3)
    array([4., 4., 5., 2.])
    """
    extra_keywords = {} if extra_keywords is None else extra_keywords
    x = cnp.asarray(input)
    if x.dtype.kind == "c":
        raise TypeError("Complex type not supported")
    constant("generic_filter", "cval", cval)
    axes = check_axes(axes, x.ndim)
    fp = footprint_of("generic_filter", x, size, footprint, axes)
    origins = [0] * x.ndim
    for ax, o in zip(axes, per_axis(origin, len(axes), "origin")):
        origins[ax] = int(o)
    stack = neighbourhood("generic_filter", x.astype(np.float64), fp, None, 1, mode, cval,
                          origins)
    rows = cnp.moveaxis(stack.reshape(stack.shape[0], -1), 0, -1)
    out = vmap(lambda v: cnp.asarray(function(v, *extra_arguments, **extra_keywords),
                                     dtype=np.float64))(rows)
    out = out.reshape(x.shape)
    return out if out.dtype == x.dtype else out.astype(x.dtype)


@export("geometric_transform", namespace=NDIMAGE)
@_closes_over_traced(_probe_mapping)
def geometric_transform(input, mapping, output_shape=None, output=None, order=3,
                        mode="constant", cval=0.0, prefilter=True, extra_arguments=(),
                        extra_keywords=None):
    """``scipy.ndimage.geometric_transform``: out[o] = input(mapping(o, *extra_arguments,
    **extra_keywords)) by spline interpolation; differentiable in the input and in what the
    mapping's coordinates depend on (a traced value it closes over).

    >>> import numpy as np
    >>> geometric_transform(np.array([0.0, 1.0, 4.0, 9.0]), lambda o: (o[0] + 0.5,), order=1)
    array([0.5, 2.5, 6.5, 0. ])
    """
    extra_keywords = {} if extra_keywords is None else extra_keywords
    x = cnp.asarray(input)
    out_shape = tuple(x.shape if output_shape is None else output_shape)
    points = [mapping(o, *extra_arguments, **extra_keywords) for o in np.ndindex(*out_shape)]
    if not points:
        return cnp.zeros(out_shape, x.dtype)
    coords = cnp.stack([cnp.stack([cnp.asarray(c, dtype=np.float64) for c in p])
                        for p in points], axis=1)
    coords = coords.reshape((x.ndim,) + out_shape)
    return map_coordinates(x, coords, output, order, mode, cval, prefilter)


class _OutputLine:
    """The output line ``generic_filter1d`` hands the user's function, which writes into it
    (``oline[...] = ...``, ``oline[i] = ...``): each write is a functional update of the line's
    value, so traced values written keep their derivatives."""

    def __init__(self, n):
        self.value = cnp.zeros(n)
        self.shape, self.ndim, self.dtype = (n,), 1, np.dtype(np.float64)

    def __setitem__(self, key, v):
        self.value = cnp.at(self.value)[key].set(v)

    def __getitem__(self, key):
        return self.value[key]

    def __len__(self):
        return self.shape[0]


_PAD_MODES = {"reflect": "symmetric", "mirror": "reflect", "nearest": "edge", "wrap": "wrap",
              "grid-wrap": "wrap", "grid-mirror": "symmetric", "constant": "constant",
              "grid-constant": "constant"}


def _probe_lines(input, function, filter_size, *args, extra_arguments=(), extra_keywords=None,
                 **kwargs):
    out = _OutputLine(1)
    function(np.zeros(int(filter_size)), out, *extra_arguments, **(extra_keywords or {}))
    return out.value


@export("generic_filter1d", namespace=NDIMAGE)
@_closes_over_traced(_probe_lines)
def generic_filter1d(input, function, filter_size, axis=-1, output=None, mode="reflect",
                     cval=0.0, origin=0, extra_arguments=(), extra_keywords=None):
    """``scipy.ndimage.generic_filter1d``: ``function(input_line, output_line,
    *extra_arguments, **extra_keywords)`` for each line along ``axis``, the input line extended
    by ``filter_size - 1`` values by ``mode`` (float64), the function writing the output line
    (``output_line[...] = ...``); differentiable in the input and in what the function closes
    over.

    >>> import numpy as np, chainrule as cr
    >>> def weighted(iline, oline):
    ...     oline[...] = iline[:-2] + 2 * iline[1:-1] + 3 * iline[2:]
    >>> generic_filter1d(np.arange(4.0), weighted, 3)
    array([ 3.,  8., 14., 17.])
    >>> cr.grad(lambda x: generic_filter1d(x, weighted, 3)[1])(np.arange(4.0))
    array([1., 2., 3., 0.])
    """
    if output is not None:
        raise TypeError("scipy.ndimage.generic_filter1d(output=...) writes in place; chainrule "
                        "returns a new array: assign the result instead")
    extra_keywords = {} if extra_keywords is None else extra_keywords
    x = cnp.asarray(input)
    if x.dtype.kind == "c":
        raise TypeError("Complex type not supported")
    constant("generic_filter1d", "cval", cval)
    filter_size = int(filter_size)
    if filter_size < 1:
        raise RuntimeError("invalid filter size")
    if mode not in _PAD_MODES:
        raise RuntimeError("boundary mode not supported")
    axis = check_axes(axis, x.ndim)[0]
    before = filter_size // 2 + int(origin)
    after = filter_size - 1 - before
    if before < 0 or after < 0:
        raise ValueError("invalid origin")
    lines = cnp.moveaxis(x.astype(np.float64), axis, -1)
    shape = lines.shape
    lines = lines.reshape(-1, shape[-1])
    pad = {"constant_values": cval} if _PAD_MODES[mode] == "constant" else {}
    lines = cnp.pad(lines, ((0, 0), (before, after)), mode=_PAD_MODES[mode], **pad)

    def one(line):
        out = _OutputLine(shape[-1])
        function(line, out, *extra_arguments, **extra_keywords)
        return out.value
    out = vmap(one)(lines).reshape(shape)
    out = cnp.moveaxis(out, -1, axis)
    return out if out.dtype == x.dtype else out.astype(x.dtype)
