"""Reductions, shape operations and scatters, each declared with its JVP, VJP and batching rule.

Static arguments (axes, shapes, indices) are keyword parameters of the
primitive and are never differentiated; only array arguments are positional.
Where NumPy's signature takes them positionally (``np.cumsum(x, 1)``), the
declaration exports a ``public`` function with NumPy's signature.
The primitives every rule needs (reshape, transpose, broadcast_to, sum,
concatenate, indexing) live in :mod:`chainrule.primitives.basic`.

>>> import chainrule as cr, numpy as np
>>> cr.grad(lambda x: cumsum(x)[-1] * 2.0)(np.ones(3))
array([2., 2., 2.])
"""

import numpy as np

from ..core.primitive import Primitive, bind, read_stand_ins, out_argument_error
from ..interpreters.batching import per_example_shape
from .declare import reads, declare, nondiff, LOOP
from .util import shape, ndim, dtype, dtype_or_float64, lower, result_type
from .arrays import (array_api_only, standard_call, is_foreign, is_lazy, lazy_scatter,
                     namespace_of)
from .basic import (reshape, transpose, reduce_sum, getitem, unbroadcast, broadcast_like,
                    expand_reduced, normalize_axes, is_basic_index, example_ndim, axis_size,
                    batched_axis, moveaxis_to_front, front_padded, broadcast_front, flat_front,
                    batch_position, place_value, reduction_batch, loop_fallback)
from . import elementwise as E

__all__ = ["reduce_max", "reduce_min", "cumsum", "flip", "roll", "tile", "repeat",
           "pad", "triu", "tril", "scatter_add", "scatter_set", "argmax", "argmin", "argsort",
           "nonzero", "reduce_any", "reduce_all", "reverse_cumsum"]


# ---- reductions ------------------------------------------------------------------
def _extremum(name, fn):
    p = Primitive(name, lambda x, axis=None, keepdims=False: standard_call(
        name, x, axis=axis, keepdims=keepdims) if array_api_only(x) else
        fn(x, axis=axis, keepdims=keepdims))

    def mask(ans, x, axis, keepdims):
        # Ties share the derivative evenly, so the rule is the same in both modes.
        hit = E.equal(x, expand_reduced(ans, shape(x), axis, keepdims))
        dt = dtype(x)
        m = E.astype(hit, dtype=dt if dt.kind == "f" else np.dtype(np.float64))
        return m / expand_reduced(reduce_sum(m, axis=axis, keepdims=keepdims), shape(x), axis,
                                  keepdims)

    def public(a, axis=None, out=None, keepdims=False, initial=_NO_VALUE, where=True):
        # numpy.max's signature: ``initial`` joins every slice (an empty one gives it), and
        # ``where`` leaves entries out (NumPy then needs ``initial``).
        if out is not None:
            raise out_argument_error(p)
        if initial is _NO_VALUE:
            if where is not True:
                raise ValueError(f"{name}(..., where=...): a maximum or minimum has no identity, "
                                 f"so a where mask needs initial= as well (as in NumPy)")
            return p(a, axis=axis, keepdims=keepdims)
        dt = result_type(lower(a))
        initial = dt.type(initial)  # NumPy casts it to the array's dtype
        x = a if where is True else E.where(where, a, initial)
        shp = shape(x)
        axes = _reduced_axes(shp, axis)
        if any(shp[i] == 0 for i in axes):  # an empty slice: initial itself
            kept = tuple(1 if i in axes else n for i, n in enumerate(shp)) if keepdims else \
                tuple(n for i, n in enumerate(shp) if i not in axes)
            return np.full(kept, initial, dtype=dt)[()]
        both = E.maximum if name == "max" else E.minimum
        return both(p(x, axis=axis, keepdims=keepdims), initial)

    public.__name__ = name
    public.__doc__ = (f"numpy.{name}: the {'largest' if name == 'max' else 'smallest'} entry "
                      f"along ``axis``, with NumPy's ``initial`` and ``where``; ties share the "
                      f"derivative evenly.\n\n    >>> float({name}(np.array([1.0, 3.0]), "
                      f"initial=2.0))\n    {3.0 if name == 'max' else 1.0}\n    ")
    return declare(
        p,
        jvp=[lambda t, ans, x, axis=None, keepdims=False:
             reduce_sum(t * mask(ans, x, axis, keepdims), axis=axis, keepdims=keepdims)],
        vjp=[lambda g, ans, x, axis=None, keepdims=False:
             expand_reduced(g, shape(x), axis, keepdims) * mask(ans, x, axis, keepdims)],
        batch=reduction_batch(p), family="reduction", public=public)


_NO_VALUE = object()  # (initial= not given: None is not NumPy's "no initial")


def _reduced_axes(shp, axis):
    """The axes of an array of shape ``shp`` that ``axis`` (None, an int or a tuple) reduces."""
    if axis is None:
        return set(range(len(shp)))
    return {a % len(shp) for a in (axis if isinstance(axis, tuple) else (axis,))}


reduce_max = _extremum("max", np.max)
reduce_min = _extremum("min", np.min)


def _scan_batch(prim, default_axis=None):
    """cumsum, argsort: one axis, or the flattened example for axis=None."""
    def rule(vals, dims, axis=default_axis, **params):
        (x,), (d,) = vals, dims
        if axis is None:
            return bind(prim, [flat_front(x, d)], dict(params, axis=1)), 0
        r = example_ndim(x, d)
        return bind(prim, [x], dict(params, axis=batched_axis(int(axis) % r, d))), d
    return rule


def reverse_cumsum(g, axis):
    """Sums from the end: the transpose of cumsum along ``axis``."""
    return flip(cumsum(flip(g, axis=axis), axis=axis), axis=axis)


def _cumsum_impl(x, axis=None):
    if array_api_only(x):  # the standard's (NumPy's would convert x to NumPy)
        if axis is None:  # NumPy's: over the flattened array
            x, axis = standard_call("reshape", x, (-1,)), 0
        return standard_call("cumulative_sum", x, axis=axis)
    return np.cumsum(x, axis=axis)


cumsum = Primitive("cumsum", _cumsum_impl)
declare(cumsum,
        jvp=[lambda t, ans, x, axis=None: cumsum(t, axis=axis)],
        residuals=reads(),
        vjp=[lambda g, ans, x, axis=None: reshape(reverse_cumsum(g, 0 if axis is None else axis),
                                                  shape=shape(x))],
        batch=_scan_batch(cumsum), family="scan",
        public=lambda a, axis=None, dtype=None: cumsum(_in_dtype(a, dtype), axis=axis))


def _in_dtype(a, dt):
    """``a`` in a scan's ``dtype=`` (None: unchanged); complex to real raises."""
    if dt is None:
        return a
    dt = np.dtype(dt)
    if dtype(a).kind == "c" and dt.kind != "c":
        raise TypeError(f"dtype={dt} would discard the imaginary part of complex values; take "
                        f"cnp.real or cnp.abs first")
    return E.astype(a, dtype=dt)


# ---- shapes ----------------------------------------------------------------------
def _flip_batch(vals, dims, axis=None):
    (x,), (d,) = vals, dims
    axes = tuple(batched_axis(a, d) for a in normalize_axes(axis, example_ndim(x, d)))
    return flip(x, axis=axes), d


flip = declare(Primitive("flip", lambda x, axis=None: np.flip(x, axis=axis)),
               jvp=[lambda t, ans, x, axis=None: flip(t, axis=axis)],
               vjp=[lambda g, ans, x, axis=None: flip(g, axis=axis)], residuals=reads(),
               batch=_flip_batch, names=())


def _neg_shift(shift):
    return tuple(-s for s in shift) if isinstance(shift, (tuple, list)) else -shift


def _roll_batch(vals, dims, shift, axis=None):
    (x,), (d,) = vals, dims
    if axis is None:
        s = per_example_shape(x, d)
        rolled = roll(flat_front(x, d), shift=shift, axis=1)
        return reshape(rolled, shape=(shape(rolled)[0],) + s), 0
    r = example_ndim(x, d)
    if isinstance(axis, (tuple, list)):
        ax = tuple(batched_axis(int(a) % r, d) for a in axis)
    else:
        ax = batched_axis(int(axis) % r, d)
    return roll(x, shift=shift, axis=ax), d


roll = declare(Primitive("roll", lambda x, shift, axis=None:
                          standard_call("roll", x, shift=shift, axis=axis) if array_api_only(x)
                          else np.roll(x, shift, axis=axis)),
               jvp=[lambda t, ans, x, shift, axis=None: roll(t, shift=shift, axis=axis)],
               vjp=[lambda g, ans, x, shift, axis=None: roll(g, shift=_neg_shift(shift), axis=axis)],
               residuals=reads(),
               batch=_roll_batch, names=())


def _tile_vjp(g, ans, x, reps):
    xs = shape(x)
    reps = (reps,) if np.ndim(reps) == 0 else tuple(reps)
    nd = max(len(xs), len(reps))
    xs_full = (1,) * (nd - len(xs)) + tuple(xs)
    reps = (1,) * (nd - len(reps)) + reps
    split = []
    for r, n in zip(reps, xs_full):
        split += [r, n]
    g = reshape(g, shape=tuple(split))
    g = reduce_sum(g, axis=tuple(range(0, 2 * nd, 2)))
    return reshape(g, shape=xs)


def _tile_batch(vals, dims, reps):
    (x,), (d,) = vals, dims
    reps = (int(reps),) if np.ndim(reps) == 0 else tuple(int(k) for k in reps)
    n = max(example_ndim(x, d), len(reps))
    x = front_padded(x, d, n)
    return tile(x, reps=(1,) + (1,) * (n - len(reps)) + reps), 0


tile = declare(Primitive("tile", lambda x, reps:
                          standard_call("tile", x, tuple(np.atleast_1d(reps).tolist()))
                          if array_api_only(x) else np.tile(x, reps)),
               jvp=[lambda t, ans, x, reps: tile(t, reps=reps)], vjp=[_tile_vjp],
               batch=_tile_batch, names=(), residuals=reads())


def _repeat_vjp(g, ans, x, repeats, axis=None):
    xs = shape(x)
    if axis is None:
        base_shape, ax = (int(np.prod(xs)),), 0
    else:
        base_shape, ax = xs, axis % len(xs)
    reps = np.broadcast_to(np.asarray(repeats), (base_shape[ax],))
    if is_foreign(lower(g)):  # another library's (Dask's): no indexed add there
        return _repeat_vjp_by_sums(g, xs, base_shape, ax, reps)
    # Segment sums: scatter-add every output position into its source index.
    src = np.repeat(np.arange(base_shape[ax]), reps)
    idx = (slice(None),) * ax + (src,)
    out = scatter_add(np.zeros(base_shape, dtype=dtype_or_float64(g)), g, index=idx)
    return reshape(out, shape=xs)


def _repeat_vjp_by_sums(g, xs, base_shape, ax, reps):
    # Each element repeated r times: the cotangent's axis split into (n, r) and summed
    # over the r copies (a reshape and a sum, which every library has).
    n = base_shape[ax]
    if n == 0 or not np.all(reps == reps[0]):
        raise NotImplementedError(
            f"the derivative of repeat with repeats varying per element needs an indexed "
            f"add, which {type(lower(g)).__module__.split('.')[0]} arrays do not support; "
            f"repeat every element the same number of times, or compute this part with "
            f"NumPy arrays")
    r = int(reps[0])
    if r == 0:
        return reshape(np.zeros(base_shape, dtype=dtype_or_float64(g)), shape=xs)
    if len(base_shape) == 1 and ndim(g) != 1:
        g = reshape(g, shape=(n * r,))  # repeat without an axis repeats the flat array
    split = tuple(base_shape[:ax]) + (n, r) + tuple(base_shape[ax + 1:])
    return reshape(reduce_sum(reshape(g, shape=split), axis=ax + 1), shape=xs)


def _repeat_batch(vals, dims, repeats, axis=None):
    (x,), (d,) = vals, dims
    if axis is None:
        return repeat(flat_front(x, d), repeats=repeats, axis=1), 0
    return repeat(x, repeats=repeats, axis=batched_axis(int(axis) % example_ndim(x, d), d)), d


repeat = declare(
    Primitive("repeat", lambda x, repeats, axis=None: np.repeat(x, repeats, axis=axis)),
    jvp=[lambda t, ans, x, repeats, axis=None: repeat(t, repeats=repeats, axis=axis)],
    vjp=[_repeat_vjp], batch=_repeat_batch, names=(), residuals=reads())


def _pad_impl(x, pad_width, mode="constant", constant_values=0):
    if mode != "constant":
        raise ValueError(
            f"pad(mode={mode!r}) is not differentiable in chainrule; only mode='constant' "
            f"is supported. Build other modes from concatenate and slicing.")
    if type(pad_width) is int and type(x) is np.ndarray and pad_width >= 0 and \
            (type(constant_values) is int and constant_values == 0
             or type(constant_values) is float and constant_values == 0
             and not np.signbit(constant_values)) and \
            x.dtype.kind in "biufc":
        # The stencil's case (pad(u, 1)): zeros and one slice assignment, nothing to parse.
        p = pad_width
        out = np.zeros(tuple(n + 2 * p for n in x.shape), dtype=x.dtype)
        out[tuple(slice(p, p + n) for n in x.shape)] = x
        return out
    if is_foreign(x) and not array_api_only(x):  # Dask's or CuPy's own pad
        return np.pad(x, pad_width, mode="constant", constant_values=constant_values)
    if np.ndim(constant_values) == 0:
        # A filled array and one slice assignment: much faster than np.pad's general path.
        x = np.asarray(x)
        pw = np.broadcast_to(np.asarray(pad_width, dtype=int), (x.ndim, 2))
        out = np.full(tuple(n + a + b for n, (a, b) in zip(x.shape, pw)), constant_values,
                      dtype=np.result_type(x, np.asarray(constant_values).dtype)
                      if not isinstance(constant_values, (int, float)) else x.dtype)
        out[tuple(slice(int(a), int(a) + n) for (a, _), n in zip(pw, x.shape))] = x
        return out
    return np.pad(x, pad_width, mode="constant", constant_values=constant_values)


def _pad_slices(x, pad_width):
    pw = np.broadcast_to(np.asarray(pad_width, dtype=int), (ndim(x), 2))
    return tuple(slice(int(a), int(a) + n) for (a, _), n in zip(pw, shape(x)))


def _pad_batch(vals, dims, pad_width, mode="constant", constant_values=0):
    (x,), (d,) = vals, dims
    pw = np.broadcast_to(np.asarray(pad_width, dtype=int), (example_ndim(x, d), 2))
    pw = np.concatenate([pw[:d], np.zeros((1, 2), dtype=int), pw[d:]])
    return pad(x, pad_width=tuple(map(tuple, pw.tolist())), mode=mode,
               constant_values=constant_values), d


pad = declare(
    Primitive("pad", _pad_impl),
    jvp=[lambda t, ans, x, pad_width, mode="constant", constant_values=0:
         pad(t, pad_width=pad_width, constant_values=0)],
    vjp=[lambda g, ans, x, pad_width, mode="constant", constant_values=0:
         getitem(g, index=_pad_slices(x, pad_width))],
    batch=_pad_batch, names=(), residuals=reads())


def _triangle(name, fn):
    p = Primitive(name, lambda x, k=0: standard_call(name, x, k=k) if array_api_only(x)
                  else fn(x, k))

    def batch(vals, dims, k=0):
        (x,), (d,) = vals, dims
        r = example_ndim(x, d)
        if r < 2:
            return loop_fallback(None, p, vals, dims, dict(k=k))
        if d <= r - 2:
            return p(x, k=k), d
        return p(moveaxis_to_front(x, d), k=k), 0

    return declare(p, jvp=[lambda t, ans, x, k=0: p(t, k=k)], vjp=[lambda g, ans, x, k=0: p(g, k=k)],
                   batch=batch, names=(), residuals=reads())


triu = _triangle("triu", np.triu)
tril = _triangle("tril", np.tril)


# ---- scatter: functional x.at[index].add(v) / .set(v) ----------------------------------
def _scatter_add_impl(x, v, index):
    if is_lazy(x) or is_lazy(v):
        return lazy_scatter(x, v, index, add=True)
    out = np.array(x, dtype=np.result_type(x, v), copy=True)
    if is_basic_index(index):
        out[index] += v
    else:
        np.add.at(out, index, v)
    return out


def _scatter_set_impl(x, v, index):
    if is_lazy(x) or is_lazy(v):
        return lazy_scatter(x, v, index, add=False)
    out = np.array(x, dtype=np.result_type(x, v), copy=True)
    out[index] = v
    return out


def _zeros_of(x, like=None):
    dt = dtype_or_float64(x) if like is None else np.result_type(dtype_or_float64(x),
                                                                  dtype_or_float64(like))
    return np.zeros(shape(x), dtype=dt)


def _last_writes(x_shape, index):
    """Mask over x[index]: True where that write is the last one to its element.

    NumPy assigns repeated indices in order, so only the last write survives and
    only it receives a cotangent."""
    if is_basic_index(index):
        return None
    read_stand_ins((index,))  # under jit: a replay with other repeats must trace again
    positions = np.arange(int(np.prod(x_shape))).reshape(x_shape)[index]
    flat = positions.ravel()
    last = np.zeros(flat.shape, dtype=bool)
    _, first_from_end = np.unique(flat[::-1], return_index=True)
    last[flat.size - 1 - first_from_end] = True
    return None if last.all() else last.reshape(positions.shape)


def _scatter_set_v_vjp(g, ans, x, v, index):
    picked = getitem(g, index=index)
    mask = _last_writes(shape(ans), index)
    if mask is not None:
        picked = picked * mask.astype(dtype_or_float64(g))
    return unbroadcast(picked, v)


def _scatter_batch(prim):
    def rule(vals, dims, index):
        (x, v), (dx, dv) = vals, dims
        index = index if isinstance(index, tuple) else (index,)
        pe = per_example_shape(x, dx)
        pos = batch_position(pe, index)
        if pos is None:
            return loop_fallback(None, prim, vals, dims, dict(index=index))
        xb = broadcast_front(x, dx, axis_size(vals, dims))
        # The target x[index] of one example, and the value broadcast into it.
        target = np.broadcast_to(np.zeros((), dtype=bool), pe)[index].shape
        v = place_value(v, dv, pos, len(target))
        return bind(prim, [xb, v], dict(index=(slice(None),) + index)), 0
    return rule


scatter_add = Primitive("scatter_add", _scatter_add_impl)
declare(scatter_add,
        jvp=[lambda t, ans, x, v, index: broadcast_like(t, ans),
             lambda t, ans, x, v, index: scatter_add(_zeros_of(ans, t), t, index=index)],
        vjp=[lambda g, ans, x, v, index: g,
             lambda g, ans, x, v, index: unbroadcast(getitem(g, index=index), v)],
        batch=_scatter_batch(scatter_add), names=(), residuals=reads())
scatter_set = Primitive("scatter_set", _scatter_set_impl)
declare(scatter_set,
        jvp=[lambda t, ans, x, v, index: scatter_set(t, np.zeros((), dtype_or_float64(t)), index=index),
             lambda t, ans, x, v, index: scatter_set(_zeros_of(ans, t), t, index=index)],
        vjp=[lambda g, ans, x, v, index: scatter_set(g, np.zeros((), dtype_or_float64(g)), index=index),
             _scatter_set_v_vjp],
        batch=_scatter_batch(scatter_set), names=(), residuals=reads())


# ---- gathers along an axis with (possibly batched) integer indices ------------------------
def _along(idx, axis):
    """The full index that np.take_along_axis(x, idx, axis) reads."""
    idx = np.asarray(idx)
    grids = np.ogrid[tuple(slice(n) for n in idx.shape)]
    return tuple(idx if i == axis % idx.ndim else grids[i] for i in range(idx.ndim))


def _take_along_transpose_impl(g, idx, axis, shape):
    if array_api_only(g) or array_api_only(idx):
        return _take_along_transpose_standard(g, idx, axis, shape)
    out = np.zeros(shape, dtype=np.result_type(g))
    np.add.at(out, _along(np.broadcast_to(idx, np.shape(g)), axis), g)
    return out


def _take_along_transpose_standard(g, idx, axis, shape):
    # The standard has no indexed add; where idx permutes each line along the axis (the
    # indices of a sort), the transpose is taking along the inverse permutation.
    xp = namespace_of(g)
    n = shape[axis]
    if tuple(g.shape) != tuple(shape) or tuple(idx.shape) != tuple(shape) or not bool(xp.all(
            xp.sort(idx, axis=axis) == xp.reshape(xp.arange(n, dtype=idx.dtype), (
                n,) + (1,) * (len(shape) - 1 - axis % len(shape))))):
        raise NotImplementedError(
            f"the derivative of take_along_axis with indices that are not a permutation "
            f"needs an indexed add, which {namespace_of(g).__name__} does not provide; "
            f"compute this part with NumPy arrays")
    return xp.take_along_axis(g, xp.argsort(idx, axis=axis), axis=axis)


def _along_batch(prim, with_shape):
    def rule(vals, dims, axis, **params):
        (x, idx), (dx, di) = vals, dims
        size = axis_size(vals, dims)
        nd = example_ndim(x, dx) if dx is not None else ndim(x)
        x, idx = broadcast_front(x, dx, size), broadcast_front(idx, di, size)
        if with_shape:
            params = dict(shape=(size,) + tuple(params["shape"]))
            nd = len(params["shape"]) - 1
        return bind(prim, [x, idx], dict(params, axis=int(axis) % nd + 1)), 0
    return rule


def _take_along_impl(x, idx, axis):
    if array_api_only(x):  # the standard's (NumPy's would convert x to NumPy)
        return standard_call("take_along_axis", x, idx, axis=axis)
    return np.take_along_axis(x, idx, axis)


# take_along(x, idx, axis=a) is np.take_along_axis; the indices are data, never differentiated.
take_along = Primitive("take_along", _take_along_impl)
declare(take_along,
        jvp=[lambda t, ans, x, idx, axis: take_along(t, idx, axis=axis), None],
        vjp=[lambda g, ans, x, idx, axis:
             take_along_transpose(g, idx, axis=axis, shape=shape(x)), None],
        batch=_along_batch(take_along, False), names=(), residuals=(reads(1), reads()))
take_along_transpose = Primitive("take_along_transpose", _take_along_transpose_impl)
declare(take_along_transpose,
        jvp=[lambda t, ans, g, idx, axis, shape: take_along_transpose(t, idx, axis=axis, shape=shape),
             None],
        vjp=[lambda c, ans, g, idx, axis, shape: take_along(c, idx, axis=axis), None],
        batch=_along_batch(take_along_transpose, True), names=(),
        residuals=(reads(1), reads()))


# ---- zero-derivative structural operations -------------------------------------------
def _arg_batch(prim):
    """argmax / argmin: axis=None indexes the flattened example."""
    def rule(vals, dims, axis=None, keepdims=False):
        (x,), (d,) = vals, dims
        r = example_ndim(x, d)
        if axis is None:
            out = bind(prim, [flat_front(x, d)], dict(axis=1, keepdims=False))
            if keepdims:
                out = reshape(out, shape=(shape(out)[0],) + (1,) * r)
            return out, 0
        a = batched_axis(int(axis) % r, d)
        out = bind(prim, [x], dict(axis=a, keepdims=keepdims))
        return out, d if (keepdims or a > d) else d - 1
    return rule


def _nondiff_reduction(name, fn, batch_family):
    p = Primitive(name, lambda x, axis=None, keepdims=False: fn(x, axis=axis, keepdims=keepdims))
    return declare(p, jvp=None, vjp=None, batch=batch_family(p), family="reduction",
                   public=lambda a, axis=None, keepdims=False: p(a, axis=axis, keepdims=keepdims))


argmax = _nondiff_reduction("argmax", np.argmax, _arg_batch)
argmin = _nondiff_reduction("argmin", np.argmin, _arg_batch)
argsort = Primitive("argsort", lambda x, axis=-1, kind=None:
                    standard_call("argsort", x, axis=-1 if axis is None else axis, stable=True)
                    if array_api_only(x) else np.argsort(x, axis=axis, kind=kind))
declare(argsort, jvp=None, vjp=None, batch=_scan_batch(argsort, default_axis=-1), family="scan",
        public=lambda a, axis=-1, kind=None: argsort(a, axis=axis, kind=kind))
# Its output's shape depends on the values: no batching rule can exist. One index array per
# axis (multiple results): under jit a single staged value holding NumPy's tuple became one
# 2-d index, and x[nonzero(m)] silently gathered whole rows.
nonzero = Primitive("nonzero", np.nonzero, multiple_results=True)
declare(nonzero, jvp=None, vjp=None, batch=LOOP, family="unary")
reduce_any = _nondiff_reduction("any", np.any, reduction_batch)
reduce_all = _nondiff_reduction("all", np.all, reduction_batch)
