"""``scipy.ndimage``'s measurements over labelled regions, differentiable in the input: sums,
means, variances, standard deviations, centres of mass (ratios of sums), the extrema (their
derivative goes to the extreme element; tied elements share it equally, as with
``chainrule.numpy.max``), their positions and histograms (integers: no derivative), and
``labeled_comprehension`` (the user's function on each region's traced values).

``labels`` and ``index`` are constants (integers). A call with nothing traced returns SciPy's
result; a traced call gathers each region's elements (constant indices, so ``vmap`` batches
it) and reduces them with chainrule.numpy, returning arrays where SciPy returns arrays and
tuples where it returns tuples.

>>> import numpy as np, chainrule as cr
>>> labels = np.array([1, 1, 2, 0])
>>> cr.grad(lambda x: mean(x, labels, [1, 2]).sum())(np.array([1.0, 3.0, 5.0, 7.0]))
array([0.5, 0.5, 1. , 0. ])
"""

import numpy as np

from ..core.registry import NDIMAGE, NONDIFF
from ..primitives.declare import export
from .. import numpy as cnp
from .ndimage_support import constant, scipy_when_plain

__all__ = []


def _groups(name, input, labels, index):
    """The flat input, the flat indices of each requested region, and whether one region
    (a scalar result) was asked for."""
    constant(name, "labels", labels)
    constant(name, "index", index)
    x = cnp.asarray(input)
    if labels is None:
        return x.reshape(-1), [np.arange(int(np.prod(x.shape)))], None
    labels = np.asarray(labels)
    shape = np.broadcast_shapes(x.shape, labels.shape)
    x = cnp.broadcast_to(x, shape).reshape(-1)
    labels = np.broadcast_to(labels, shape).reshape(-1)
    if index is None:
        return x, [np.flatnonzero(labels > 0)], None
    if np.isscalar(index):
        return x, [np.flatnonzero(labels == index)], None
    index = np.asarray(index)
    if x.dtype.kind == "c" and name in ("sum_labels", "sum", "mean", "variance",
                                        "standard_deviation"):
        # SciPy sums the regions with bincount, which refuses complex weights
        raise TypeError(f"scipy.ndimage.{name}: complex input with a sequence index is not "
                        f"supported by SciPy (bincount); call it on the real and imaginary "
                        f"parts")
    return x, [np.flatnonzero(labels == k) for k in index.ravel()], index.shape


def _per_group(x, groups, out_shape, fn, empty):
    values = [fn(x[g]) if g.size else empty for g in groups]
    if out_shape is None:
        return values[0]
    return cnp.stack([cnp.asarray(v) for v in values]).reshape(out_shape) if values else \
        np.zeros(out_shape)


def _sums(name, input, labels, index):
    x, groups, shape = _groups(name, input, labels, index)
    if shape is not None and x.dtype != np.float64:   # SciPy's bincount: float64 sums
        x = x.astype(np.float64)
    zero = np.zeros((), x.dtype)
    return _per_group(x, groups, shape, cnp.sum, zero), groups, shape


@export("sum_labels", namespace=NDIMAGE)
@scipy_when_plain("sum_labels")
def sum_labels(input, labels=None, index=None):
    """``scipy.ndimage.sum_labels``: the sum of the input over each labelled region
    (``labels`` > 0 with no ``index``; one region per ``index`` value).

    >>> import numpy as np
    >>> sum_labels(np.array([1.0, 2.0, 3.0]), np.array([1, 2, 1]), [1, 2])
    array([4., 2.])
    """
    return _sums("sum_labels", input, labels, index)[0]


@export("sum", namespace=NDIMAGE)
@scipy_when_plain("sum")
def sum(input, labels=None, index=None):   # noqa: A001 (SciPy's name)
    """``scipy.ndimage.sum``: SciPy's other name for :func:`sum_labels`.

    >>> import numpy as np
    >>> float(sum(np.array([1.0, 2.0, 3.0]), np.array([1, 0, 1])))
    4.0
    """
    return _sums("sum", input, labels, index)[0]


def _mean(name, input, labels, index):
    x, groups, shape = _groups(name, input, labels, index)
    nan = np.float64(np.nan)
    return _per_group(x, groups, shape, lambda v: cnp.sum(v) / np.float64(v.shape[0]), nan)


@export("mean", namespace=NDIMAGE)
@scipy_when_plain("mean")
def mean(input, labels=None, index=None):
    """``scipy.ndimage.mean``: the mean over each region (nan for an empty one).

    >>> import numpy as np
    >>> mean(np.array([1.0, 2.0, 4.0]), np.array([1, 2, 1]), [1, 2])
    array([2.5, 2. ])
    """
    return _mean("mean", input, labels, index)


def _variance(name, input, labels, index):
    x, groups, shape = _groups(name, input, labels, index)

    def var(v):
        c = v - cnp.sum(v) / np.float64(v.shape[0])
        return cnp.sum(c * cnp.conjugate(c)) / np.float64(v.shape[0])
    return _per_group(x, groups, shape, var, np.float64(np.nan))


@export("variance", namespace=NDIMAGE)
@scipy_when_plain("variance")
def variance(input, labels=None, index=None):
    """``scipy.ndimage.variance``: the (population) variance over each region.

    >>> import numpy as np
    >>> variance(np.array([1.0, 3.0, 4.0]), np.array([1, 1, 2]), [1, 2])
    array([1., 0.])
    """
    return _variance("variance", input, labels, index)


@export("standard_deviation", namespace=NDIMAGE)
@scipy_when_plain("standard_deviation")
def standard_deviation(input, labels=None, index=None):
    """``scipy.ndimage.standard_deviation``: the square root of :func:`variance` (derivative
    0 where the variance is 0).

    >>> import numpy as np
    >>> standard_deviation(np.array([1.0, 3.0, 4.0]), np.array([1, 1, 2]), [1, 2])
    array([1., 0.])
    """
    var = _variance("standard_deviation", input, labels, index)
    # sqrt'(0) is infinite; where the variance is 0 (a one-element region, equal values) the
    # derivative is taken as 0, exact for one element (its deviation is 0 whatever the value)
    positive = var > 0
    return cnp.where(positive, cnp.sqrt(cnp.where(positive, var, 1.0)), var * 0.0)  # nan stays


@export("center_of_mass", namespace=NDIMAGE)
@scipy_when_plain("center_of_mass")
def center_of_mass(input, labels=None, index=None):
    """``scipy.ndimage.center_of_mass``: Σ x·position / Σ x over each region: a tuple of
    coordinates (a list of them for a sequence ``index``).

    >>> import numpy as np
    >>> center_of_mass(np.array([[0.0, 1.0], [0.0, 3.0]]))
    (np.float64(0.75), np.float64(1.0))
    """
    x = cnp.asarray(input)
    total = sum_labels(x, labels, index)
    grids = np.ogrid[tuple(slice(0, n) for n in x.shape)]
    results = [sum_labels(x * grids[d].astype(float), labels, index) / total
               for d in range(x.ndim)]
    if cnp.ndim(results[0]) == 0:
        return tuple(results)
    stacked = cnp.transpose(cnp.stack(results))   # SciPy: np.array(results).T, row by row
    return [tuple(v[j] for j in range(cnp.shape(v)[0])) if cnp.ndim(v) else v
            for v in (stacked[i] for i in range(cnp.shape(stacked)[0]))]


@export("median", namespace=NDIMAGE)
@scipy_when_plain("median")
def median(input, labels=None, index=None):
    """``scipy.ndimage.median``: the median of each region (the mean of the two middle values
    of an even count), differentiable as ``chainrule.numpy.median``.

    >>> import numpy as np
    >>> median(np.array([1.0, 5.0, 2.0, 4.0]), np.array([1, 1, 1, 2]), [1, 2])
    array([2., 4.])
    """
    x, groups, shape = _groups("median", input, labels, index)
    if shape is None and not groups[0].size:   # an empty region: SciPy's nan
        return np.float64(np.nan)
    # an absent label in a sequence index reads SciPy's first sorted element: the smallest
    # value of the smallest label
    labels_flat = None if labels is None else np.broadcast_to(
        np.asarray(labels), np.broadcast_shapes(np.shape(labels), cnp.shape(input))).reshape(-1)
    first = None if labels_flat is None or not labels_flat.size else cnp.min(
        x[np.flatnonzero(labels_flat == labels_flat.min())])
    return _per_group(x, groups, shape, cnp.median, first)


def _extreme(name, input, labels, index, which):
    x, groups, shape = _groups(name, input, labels, index)
    if shape is None and not groups[0].size:
        raise ValueError("zero-size array to reduction operation which has no identity")
    return _per_group(x, groups, shape, cnp.max if which == "max" else cnp.min,
                      np.zeros((), x.dtype))


@export("maximum", namespace=NDIMAGE)
@scipy_when_plain("maximum")
def maximum(input, labels=None, index=None):
    """``scipy.ndimage.maximum``: the largest value of each region (0 for an empty one in a
    sequence ``index``).

    >>> import numpy as np
    >>> maximum(np.array([1.0, 5.0, 2.0]), np.array([1, 2, 1]), [1, 2])
    array([2., 5.])
    """
    return _extreme("maximum", input, labels, index, "max")


@export("minimum", namespace=NDIMAGE)
@scipy_when_plain("minimum")
def minimum(input, labels=None, index=None):
    """``scipy.ndimage.minimum``: the smallest value of each region.

    >>> import numpy as np
    >>> minimum(np.array([1.0, 5.0, 2.0]), np.array([1, 2, 1]), [1, 2])
    array([1., 5.])
    """
    return _extreme("minimum", input, labels, index, "min")


def _position(name, input, labels, index, which):
    x, groups, shape = _groups(name, input, labels, index)
    dims = np.array(cnp.shape(input), dtype=np.int64)
    dim_prod = np.cumprod([1] + list(dims[:0:-1]))[::-1]

    def pos(v, g):
        at = cnp.argmax(v) if which == "max" else cnp.argmin(v)
        return cnp.take_along_axis(g, cnp.reshape(at, (1,)), axis=0)[0]
    flat = [pos(x[g], g) if g.size else np.int64(0) for g in groups]
    as_tuple = lambda p: tuple((p // int(d)) % int(n) for d, n in zip(dim_prod, dims))
    if shape is None:
        return as_tuple(flat[0])
    return [as_tuple(p) for p in flat]


@export("maximum_position", namespace=NDIMAGE, kind=NONDIFF)
@scipy_when_plain("maximum_position")
def maximum_position(input, labels=None, index=None):
    """``scipy.ndimage.maximum_position``: the index tuple of each region's maximum (the
    first in flat order; integers, no derivative).

    >>> import numpy as np
    >>> maximum_position(np.array([[1.0, 5.0], [2.0, 0.0]]))
    (np.int64(0), np.int64(1))
    """
    return _position("maximum_position", input, labels, index, "max")


@export("minimum_position", namespace=NDIMAGE, kind=NONDIFF)
@scipy_when_plain("minimum_position")
def minimum_position(input, labels=None, index=None):
    """``scipy.ndimage.minimum_position``: the index tuple of each region's minimum.

    >>> import numpy as np
    >>> minimum_position(np.array([[1.0, 5.0], [2.0, 0.0]]))
    (np.int64(1), np.int64(1))
    """
    return _position("minimum_position", input, labels, index, "min")


@export("extrema", namespace=NDIMAGE)
@scipy_when_plain("extrema")
def extrema(input, labels=None, index=None):
    """``scipy.ndimage.extrema``: (minimums, maximums, their positions).

    >>> import numpy as np
    >>> extrema(np.array([3.0, 1.0, 4.0]))
    (np.float64(1.0), np.float64(4.0), (np.int64(1),), (np.int64(2),))
    """
    return (minimum(input, labels, index), maximum(input, labels, index),
            minimum_position(input, labels, index), maximum_position(input, labels, index))


def _real_results(x, out_dtype):
    if (x.dtype.kind == "c" and np.dtype(out_dtype) != object
            and np.dtype(out_dtype).kind != "c"):
        raise TypeError("scipy.ndimage.labeled_comprehension: complex input with a real "
                        "out_dtype would discard the imaginary parts (SciPy's ComplexWarning); "
                        "pass a complex out_dtype")


def _checked(fn):
    """SciPy's labeled_comprehension, after chainrule's complex → real check."""
    def wrapper(input, labels, index, func, out_dtype, default, pass_positions=False):
        _real_results(cnp.asarray(input), out_dtype)
        return fn(input, labels, index, func, out_dtype, default, pass_positions)
    wrapper.__name__, wrapper.__doc__ = fn.__name__, fn.__doc__
    return wrapper


@export("labeled_comprehension", namespace=NDIMAGE)
@_checked
@scipy_when_plain("labeled_comprehension")
def labeled_comprehension(input, labels, index, func, out_dtype, default,
                          pass_positions=False):
    """``scipy.ndimage.labeled_comprehension``: ``func`` applied to each region's values
    (and flat positions), ``default`` for an empty region; with a chainrule (or NumPy)
    ``func``, differentiable in the input.

    >>> import numpy as np, chainrule as cr
    >>> f = lambda x: labeled_comprehension(x, np.array([1, 1, 2]), [1, 2], np.prod, float, 0)
    >>> cr.grad(lambda x: f(x).sum())(np.array([2.0, 3.0, 4.0]))
    array([3., 2., 1.])
    """
    constant("labeled_comprehension", "labels", labels)
    x = cnp.asarray(input)
    _real_results(x, out_dtype)
    positions = np.arange(int(np.prod(x.shape)))
    if labels is None:
        if index is not None:
            raise ValueError("index without defined labels")
        flat = x.reshape(-1)
        return func(flat, positions) if pass_positions else func(flat)
    flat, groups, shape = _groups("labeled_comprehension", x, labels, index)
    as_scalar = shape is None and index is not None
    if index is None:
        g = groups[0]
        return func(flat[g], positions[g]) if pass_positions else func(flat[g])
    values = [(func(flat[g], positions[g]) if pass_positions else func(flat[g])) if g.size
              else default for g in groups]
    if np.dtype(out_dtype) == object:
        if as_scalar:
            return values[0]
        out = np.empty(len(values), object)
        for i, v in enumerate(values):   # one by one: NumPy would convert a list of arrays
            out[i] = v
        return out.reshape(shape)
    out = cnp.stack([cnp.asarray(v, dtype=out_dtype) for v in values])
    return out[0] if as_scalar else out.reshape(shape)


@export("histogram", namespace=NDIMAGE, kind=NONDIFF)
@scipy_when_plain("histogram")
def histogram(input, min, max, bins, labels=None, index=None):   # noqa: A002
    """``scipy.ndimage.histogram``: the counts of each region's values in ``bins`` equal
    bins over [min, max] (integers: no derivative).

    >>> import numpy as np
    >>> histogram(np.array([0.1, 0.6, 0.7]), 0.0, 1.0, 2)
    array([1, 2])
    """
    edges = np.linspace(min, max, bins + 1)
    return labeled_comprehension(input, labels, index,
                                 lambda v: cnp.histogram(v, edges)[0], object, None)
