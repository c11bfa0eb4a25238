"""``scipy.ndimage``'s rank filters and grey morphology: each output is one element of its
neighbourhood (plus the structuring element, for grey morphology with ``structure``), so the
derivative flows to the selected element, as max pooling's does in JAX and PyTorch.

A call with nothing traced returns SciPy's result. A traced call stacks the neighbourhood
(the input extended past its edges by the boundary mode, one shifted view per footprint
element, in the footprint's row-major order), selects the element of the wanted rank
(chainrule's ``argmax``/``argmin``/stable ``argsort``: a vmap-able index) and gathers it, so
the value is exactly the selected input element (SciPy's). Ties: the maximum and the
minimum give the whole derivative to the first tied element in footprint order; another
rank, to the element a stable sort puts at that rank. Complex input is refused, as by SciPy.

>>> import numpy as np, chainrule as cr
>>> cr.grad(lambda x: maximum_filter1d(x, 3)[1])(np.array([0.0, 5.0, 2.0]))
array([0., 1., 0.])
"""

import numpy as np

from ..core.registry import NDIMAGE
from ..primitives.declare import export
from .. import numpy as cnp
from .ndimage_support import check_axes, per_axis, constant, scipy_when_plain, MODES

__all__ = []

#: ndimage's filter modes -> NumPy's pad mode of the indices (None: cval)
_PAD = {"reflect": "symmetric", "grid-mirror": "symmetric", "mirror": "reflect",
        "nearest": "edge", "wrap": "wrap", "grid-wrap": "wrap", "constant": None,
        "grid-constant": None}


def _extend(x, axis, before, after, mode, cval):
    if before == 0 and after == 0:
        return x
    if _PAD[mode] is None:
        widths = [(0, 0)] * x.ndim
        widths[axis] = (before, after)
        return cnp.pad(x, widths, mode="constant", constant_values=cval)
    if x.shape[axis] == 0:
        return x
    index = np.pad(np.arange(x.shape[axis]), (before, after), mode=_PAD[mode])
    return x[(slice(None),) * axis + (index,)]


def footprint_of(name, x, size, footprint, axes):
    if footprint is None:
        if size is None:
            raise RuntimeError("no footprint or filter size provided")
        sizes = per_axis(size, len(axes), "size")
        footprint = np.ones([int(s) for s in sizes], dtype=bool)
    else:
        footprint = np.asarray(footprint, dtype=bool)
        if not footprint.any():
            raise ValueError("All-zero footprint is not supported.")
    if footprint.ndim != len(axes):
        raise RuntimeError(f"footprint.ndim ({footprint.ndim}) must match len(axes) "
                           f"({len(axes)})")
    full = [1] * x.ndim
    for ax, k in zip(axes, footprint.shape):
        full[ax] = k
    return footprint.reshape(full)


def neighbourhood(name, x, footprint, structure, sign, mode, cval, origins):
    """The stack (one row per footprint element) of x's shifted views, ± the structure."""
    modes = per_axis(mode, x.ndim, "mode")
    for m in modes:
        if m not in MODES:
            raise RuntimeError(f"scipy.ndimage.{name}: boundary mode not supported: {m!r}")
    ext = x
    for ax in range(x.ndim):
        k = footprint.shape[ax]
        before = k // 2 + int(origins[ax])
        if not 0 <= before < k:
            raise ValueError("invalid origin")
        ext = _extend(ext, ax, before, k - 1 - before, modes[ax], cval)
    views = []
    for j in zip(*np.nonzero(footprint)):
        view = ext[tuple(slice(int(o), int(o) + n) for o, n in zip(j, x.shape))]
        if structure is not None:
            view = view + sign * structure[j] if sign > 0 else view - structure[j]
        views.append(view)
    return cnp.stack(views)


def _select(name, input, size, footprint, structure, mode, cval, origin, axes, which):
    """The element of rank ``which`` ('min', 'max' or an integer rank) of each
    neighbourhood."""
    x = cnp.asarray(input)
    if x.dtype.kind == "c":
        raise TypeError("Complex type not supported")
    constant(name, "cval", cval)
    constant(name, "size", size)
    constant(name, "the footprint", footprint)
    axes = check_axes(axes, x.ndim)
    if structure is not None:
        structure = np.asarray(constant(name, "the structuring element", structure),
                               dtype=np.float64)
        if footprint is None:
            footprint = np.ones(structure.shape, bool)
    fp = footprint_of(name, x, size, footprint, axes)
    origins = [0] * x.ndim
    for ax, o in zip(axes, per_axis(origin, len(axes), "origin")):
        origins[ax] = int(o)
    if structure is not None:
        if structure.ndim != len(axes):
            raise RuntimeError("structure array has incorrect shape")
        structure = structure.reshape(fp.shape)
    count = int(fp.sum())
    if not isinstance(which, str):
        rank = which(count)
        which = "min" if rank == 0 else "max" if rank == count - 1 else rank
    modes = ["reflect"] * x.ndim   # a sequence of modes is one per filtered axis, as SciPy's
    for ax, m in zip(axes, per_axis(mode, len(axes), "mode")):
        modes[ax] = m
    stack = neighbourhood(name, x, fp, structure, 1 if which == "max" else -1, modes, cval,
                          origins)
    if which == "max":
        index = cnp.argmax(stack, axis=0)
    elif which == "min":
        index = cnp.argmin(stack, axis=0)
    else:
        index = cnp.argsort(stack, axis=0, kind="stable")[which]
    out = cnp.take_along_axis(stack, index[None], axis=0)[0]
    return out if out.dtype == x.dtype else out.astype(x.dtype)


def _rank_of(rank):
    def at(count):
        r = int(rank) + count if int(rank) < 0 else int(rank)
        if not 0 <= r < count:
            raise RuntimeError("rank not within filter footprint size")
        return r
    return at


@export("maximum_filter1d", namespace=NDIMAGE)
@scipy_when_plain("maximum_filter1d")
def maximum_filter1d(input, size, axis=-1, output=None, mode="reflect", cval=0.0, origin=0):
    """``scipy.ndimage.maximum_filter1d``: the maximum over ``size`` samples along ``axis``;
    the derivative goes to the selected sample.

    >>> import numpy as np
    >>> maximum_filter1d(np.array([1.0, 3.0, 2.0, 0.0]), 2)
    array([1., 3., 3., 2.])
    """
    return _select("maximum_filter1d", input, None, np.ones(int(size), bool), None, mode, cval,
                   origin, axis, "max")


@export("minimum_filter1d", namespace=NDIMAGE)
@scipy_when_plain("minimum_filter1d")
def minimum_filter1d(input, size, axis=-1, output=None, mode="reflect", cval=0.0, origin=0):
    """``scipy.ndimage.minimum_filter1d``: the minimum over ``size`` samples along ``axis``.

    >>> import numpy as np
    >>> minimum_filter1d(np.array([1.0, 3.0, 2.0, 0.0]), 3)
    array([1., 1., 0., 0.])
    """
    return _select("minimum_filter1d", input, None, np.ones(int(size), bool), None, mode, cval,
                   origin, axis, "min")


@export("maximum_filter", namespace=NDIMAGE)
@scipy_when_plain("maximum_filter")
def maximum_filter(input, size=None, footprint=None, output=None, mode="reflect", cval=0.0,
                   origin=0, *, axes=None):
    """``scipy.ndimage.maximum_filter``: the maximum over a box of ``size`` or the True
    elements of ``footprint``.

    >>> import numpy as np
    >>> maximum_filter(np.array([[1.0, 0.0], [0.0, 2.0]]), 2)
    array([[1., 1.],
           [1., 2.]])
    """
    return _select("maximum_filter", input, size, footprint, None, mode, cval, origin, axes,
                   "max")


@export("minimum_filter", namespace=NDIMAGE)
@scipy_when_plain("minimum_filter")
def minimum_filter(input, size=None, footprint=None, output=None, mode="reflect", cval=0.0,
                   origin=0, *, axes=None):
    """``scipy.ndimage.minimum_filter``: the minimum over the neighbourhood.

    >>> import numpy as np
    >>> minimum_filter(np.array([[1.0, 0.0], [3.0, 2.0]]), 2)
    array([[1., 0.],
           [1., 0.]])
    """
    return _select("minimum_filter", input, size, footprint, None, mode, cval, origin, axes,
                   "min")


@export("rank_filter", namespace=NDIMAGE)
@scipy_when_plain("rank_filter")
def rank_filter(input, rank, size=None, footprint=None, output=None, mode="reflect",
                cval=0.0, origin=0, *, axes=None):
    """``scipy.ndimage.rank_filter``: the element of ``rank`` (negative: from the top) of
    each sorted neighbourhood.

    >>> import numpy as np
    >>> rank_filter(np.array([4.0, 1.0, 3.0, 2.0]), 1, size=3)
    array([4., 3., 2., 2.])
    """
    return _select("rank_filter", input, size, footprint, None, mode, cval, origin, axes,
                   _rank_of(rank))


@export("median_filter", namespace=NDIMAGE)
@scipy_when_plain("median_filter")
def median_filter(input, size=None, footprint=None, output=None, mode="reflect", cval=0.0,
                  origin=0, *, axes=None):
    """``scipy.ndimage.median_filter``: the element of rank count // 2 (the upper median of
    an even count, as SciPy's).

    >>> import numpy as np
    >>> median_filter(np.array([4.0, 1.0, 3.0, 2.0]), 3)
    array([4., 3., 2., 2.])
    """
    return _select("median_filter", input, size, footprint, None, mode, cval, origin, axes,
                   lambda count: count // 2)


@export("percentile_filter", namespace=NDIMAGE)
@scipy_when_plain("percentile_filter")
def percentile_filter(input, percentile, size=None, footprint=None, output=None,
                      mode="reflect", cval=0.0, origin=0, *, axes=None):
    """``scipy.ndimage.percentile_filter``: the element of rank int(count·percentile/100)
    (100: the maximum; negative: from the top), as SciPy's.

    >>> import numpy as np
    >>> percentile_filter(np.array([4.0, 1.0, 3.0, 2.0]), 20, size=3)
    array([1., 1., 1., 2.])
    """
    p = float(percentile)
    p = p + 100.0 if p < 0 else p
    if not 0 <= p <= 100:
        raise RuntimeError("invalid percentile")

    def rank(count):
        return count - 1 if p == 100.0 else int(float(count) * p / 100.0)
    return _select("percentile_filter", input, size, footprint, None, mode, cval, origin, axes,
                   rank)


@export("grey_erosion", namespace=NDIMAGE)
@scipy_when_plain("grey_erosion")
def grey_erosion(input, size=None, footprint=None, structure=None, output=None,
                 mode="reflect", cval=0.0, origin=0, *, axes=None):
    """``scipy.ndimage.grey_erosion``: the minimum of input − structure over the footprint.

    >>> import numpy as np
    >>> grey_erosion(np.array([3.0, 1.0, 4.0, 1.0, 5.0]), size=3)
    array([1., 1., 1., 1., 1.])
    """
    if size is None and footprint is None and structure is None:
        raise ValueError("size, footprint, or structure must be specified")
    return _select("grey_erosion", input, size, footprint, structure, mode, cval, origin, axes,
                   "min")


@export("grey_dilation", namespace=NDIMAGE)
@scipy_when_plain("grey_dilation")
def grey_dilation(input, size=None, footprint=None, structure=None, output=None,
                  mode="reflect", cval=0.0, origin=0, *, axes=None):
    """``scipy.ndimage.grey_dilation``: the maximum of input + structure over the reflected
    footprint (SciPy's flips and origin shifts).

    >>> import numpy as np
    >>> grey_dilation(np.array([0.0, 2.0, 0.0, 0.0]), size=2)
    array([2., 2., 0., 0.])
    """
    if size is None and footprint is None and structure is None:
        raise ValueError("size, footprint, or structure must be specified")
    if structure is not None:
        structure = np.asarray(constant("grey_dilation", "the structuring element", structure))
        structure = structure[(slice(None, None, -1),) * structure.ndim]
    if footprint is not None:
        footprint = np.asarray(constant("grey_dilation", "the footprint", footprint))
        footprint = footprint[(slice(None, None, -1),) * footprint.ndim]
    x = cnp.asarray(input)
    axes = check_axes(axes, x.ndim)
    origins = [-int(o) for o in per_axis(origin, len(axes), "origin")]
    for ii in range(len(origins)):
        if footprint is not None:
            sz = footprint.shape[ii]
        elif structure is not None:
            sz = structure.shape[ii]
        else:
            sz = per_axis(size, len(axes), "size")[ii]
        if not int(sz) & 1:
            origins[ii] -= 1
    return _select("grey_dilation", x, size, footprint, structure, mode, cval, origins, axes,
                   "max")
