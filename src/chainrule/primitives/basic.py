"""The structural primitives every other rule is written with, and the batching helpers.

``reshape``, ``transpose``, ``broadcast_to``, ``sum`` (here ``reduce_sum``),
``concatenate`` and indexing (``getitem`` and its transpose) come first because
undoing broadcasting (:func:`unbroadcast`), moving a batch axis
(:func:`moveaxis_to_front`) and the vmap fallback loop are built from them, and
every other primitive module uses those. Each primitive is declared once with its
JVP, VJP and batching rule (see :mod:`chainrule.primitives.declare`); the two
batching families shared by other modules, :func:`elementwise_batch` and
:func:`reduction_batch`, are defined here too.

>>> import numpy as np
>>> unbroadcast(np.ones((2, 3)), np.zeros(3))   # the cotangent of a broadcast operand
array([2., 2., 2.])
"""

import warnings

import numpy as np

from ..core.primitive import Primitive, Tracer, bind, out_argument_error
from ..core.vspace import Dropped, dtype_of, numpy_dtype, zeros_like
from ..interpreters.batching import set_fallback, per_example_shape
from ..interpreters.reverse import fresh_vjp_rules, accumulate_rules, DROPPED_F64
from .declare import declare, reads
from .util import shape, ndim, dtype, dtype_or_float64, lower
from .dask_cotangents import uniform_broadcast
from .arrays import (is_numpy, is_foreign, is_lazy, index_transpose, array_api_only,
                     standard_call, standard_concat, unknown_shape, unknown_shape_error,
                     standard_index)

__all__ = ["real", "reshape", "transpose", "broadcast_to", "reduce_sum", "concatenate", "getitem",
           "getitem_transpose", "unbroadcast", "broadcast_like", "normalize_axes",
           "expand_reduced", "kept_shape", "lazy_chunks", "is_basic_index", "example_ndim", "axis_size", "moveaxis_to_front",
           "moveaxis", "front_padded", "broadcast_front", "flat_front", "batched_axis",
           "batch_position", "place_value", "elementwise_batch", "reduction_batch", "loop_fallback"]


# ---- axes ---------------------------------------------------------------------------------
def normalize_axes(axis, nd):
    """``axis`` (None, an int or a sequence; negative allowed) as a sorted tuple of axes."""
    if axis is None:
        return tuple(range(nd))
    if isinstance(axis, (tuple, list)):
        return tuple(sorted(int(a) % nd for a in axis))
    return (int(axis) % nd,)


def kept_shape(x_shape, axis):
    """The shape of a reduction of ``x_shape`` over ``axis`` with the reduced axes kept
    (as size 1)."""
    axes = normalize_axes(axis, len(x_shape))
    return tuple(1 if i in axes else n for i, n in enumerate(x_shape))


# Values on which a rule may call NumPy itself: no tracer, no other library's array.
_NUMPY_VALUES = frozenset({np.ndarray, float, np.float64, np.float32, np.complex128,
                           np.complex64})


def expand_reduced(g, x_shape, axis, keepdims, chunks=None):
    """Broadcast a reduced cotangent back to the input shape (with the input's Dask
    ``chunks`` when given: see :func:`lazy_chunks`)."""
    if not keepdims:
        g = reshape(g, shape=kept_shape(x_shape, axis))
    if chunks is not None:
        return broadcast_to(g, shape=x_shape, chunks=chunks)
    return broadcast_to(g, shape=x_shape)


def lazy_chunks(x):
    """The chunks of ``x`` (under its tracers) when it is a Dask array, else None.

    A rule that expands a cotangent to an input's shape (the transpose of a sum, of a
    slice) gives the result these chunks: Dask would otherwise choose one chunk, or
    chunks offset from the input's, and every operation with the input's other
    cotangents would rechunk, moving data between workers (a broadcast block is sent
    whole: a zero-stride view is pickled at its full size)."""
    if type(x) is np.ndarray or type(x) is Dropped:
        return None
    x = lower(x)
    return x.chunks if is_lazy(x) else None


def is_basic_index(index):
    """True when ``index`` has no integer arrays, boolean masks or lists."""
    items = index if isinstance(index, tuple) else (index,)
    for i in items:
        if i is None or i is Ellipsis or isinstance(i, (slice, int, np.integer)):
            continue
        return False
    return True


# ---- batching helpers: vals are one level down, dims their batch axes (None: unbatched) -----
def example_ndim(v, d):
    """Rank of one example of ``v`` batched along ``d``."""
    return len(per_example_shape(v, d))


def axis_size(vals, dims):
    """The batch size, read from the first batched operand."""
    for v, d in zip(vals, dims):
        if d is not None:
            return shape(v)[d]
    raise ValueError("no batched operand")


def batched_axis(a, d):
    """Per-example axis ``a`` (non-negative) as an axis of the batched value (batch at ``d``)."""
    return a + 1 if a >= d else a


def moveaxis_to_front(x, d):
    """Move axis ``d`` of ``x`` to position 0 (no-op when already there)."""
    if d == 0:
        return x
    nd = ndim(x)
    return transpose(x, axes=(d,) + tuple(i for i in range(nd) if i != d))


def moveaxis(x, src, dst):
    """Move axis ``src`` of ``x`` to position ``dst``."""
    if src == dst:
        return x
    order = [i for i in range(ndim(x)) if i != src]
    order.insert(dst, src)
    return transpose(x, axes=tuple(order))


def front_padded(x, d, rank):
    """Batch axis to the front, then ones after it so that one example has ``rank`` axes."""
    x = moveaxis_to_front(x, d)
    s = shape(x)
    r = len(s) - 1
    if r < rank:
        x = reshape(x, shape=(s[0],) + (1,) * (rank - r) + s[1:])
    return x


def broadcast_front(x, d, size):
    """``x`` with its batch axis at 0; an unbatched value is broadcast to the batch."""
    if d is None:
        return broadcast_to(x, shape=(size,) + shape(x))
    return moveaxis_to_front(x, d)


def flat_front(x, d):
    """(B, n): the examples as rows, each flattened."""
    x = moveaxis_to_front(x, d)
    s = shape(x)
    return reshape(x, shape=(s[0], int(np.prod(s[1:], dtype=np.int64))))


def elementwise_batch(prim):
    """The batching rule of an elementwise primitive (ufuncs, where, clip, casts)."""
    def rule(vals, dims, **params):
        if len(vals) == 2:
            # Fast path: one operand batched at 0, the other unbatched of no higher rank.
            (a, b), (da, db) = vals, dims
            if da == 0 and db is None:
                if ndim(b) < ndim(a):
                    return bind(prim, vals, params), 0
            elif db == 0 and da is None:
                if ndim(a) < ndim(b):
                    return bind(prim, vals, params), 0
            elif da == 0 and db == 0 and ndim(a) == ndim(b):
                return bind(prim, vals, params), 0
        elif len(vals) == 1 and not params:
            return bind(prim, vals, params), dims[0]
        rank = 0
        for v, d in zip(vals, dims):
            if v is not None:
                rank = max(rank, example_ndim(v, d))
        # Keep the batch axis where it is when every batched operand agrees on it and
        # the unbatched ones align (on the right) strictly after it.
        bd = None
        keep = True
        for v, d in zip(vals, dims):
            if d is None:
                continue
            if bd is None:
                bd = d
            if d != bd or example_ndim(v, d) != rank:
                keep = False
                break
        if keep:
            for v, d in zip(vals, dims):
                if d is None and v is not None and ndim(v) > rank - bd:
                    keep = False
                    break
        if keep:
            return bind(prim, vals, params), bd
        args = [v if d is None else front_padded(v, d, rank) for v, d in zip(vals, dims)]
        return bind(prim, args, params), 0
    return rule


def reduction_batch(prim):
    """The batching rule of a reduction with ``axis`` (None/int/tuple) and ``keepdims``."""
    def rule(vals, dims, axis=None, keepdims=False, **params):
        (x,), (d,) = vals, dims
        full = tuple(batched_axis(a, d) for a in normalize_axes(axis, example_ndim(x, d)))
        out = bind(prim, [x], dict(params, axis=full, keepdims=keepdims))
        return out, d if keepdims else d - sum(1 for a in full if a < d)
    return rule


# ---- broadcasting ------------------------------------------------------------------------------
def unbroadcast(g, x):
    """Sum ``g`` over the axes along which ``x`` was broadcast to ``g``'s shape, and keep
    its real part when ``x`` is real and ``g`` complex (the cotangent of a real operand of
    a complex operation: under the pairing Re(g·t) only Re(g) meets a real tangent t)."""
    # Fast exits first: this runs once per argument of almost every backward step.
    tx = type(x)
    if tx is np.ndarray or tx is Dropped:
        if type(g) is np.ndarray and g.dtype is x.dtype:
            if g.shape == x.shape:
                return g
            if g.ndim >= len(x.shape):  # (a bias's cotangent): summed by NumPy directly
                return _sum_to(g, x.shape)
    elif tx is float or tx is np.float64 or x is DROPPED_F64:
        if type(g) is tx or type(g) is float or type(g) is np.float64:
            return g
    if dtype(g).kind == "c" and dtype(x).kind != "c":
        g = real(g)
    xs = shape(x)
    gs = shape(g)
    if _same_shape(xs, gs):
        return g
    lead = len(gs) - len(xs)
    if lead < 0:  # x had extra leading size-1 axes (NumPy allows them in assignments)
        return reshape(g, shape=xs)
    axes = tuple(range(lead)) + tuple(
        lead + i for i, n in enumerate(xs) if n == 1 and gs[lead + i] != 1)
    if axes:
        g = reduce_sum(g, axis=axes)
    if not _same_shape(shape(g), xs):
        g = reshape(g, shape=xs)
    return g


def _same_shape(a, b):
    # Dask's unknown lengths (nan, after a boolean index) are equal to each other, as
    # Dask's own elementwise operations take them to be
    return a == b or len(a) == len(b) and all(m == n or m != m and n != n for m, n in zip(a, b))


def _sum_to(g, xs):
    """:func:`unbroadcast` of the NumPy array ``g`` to the shape ``xs`` (no longer than
    ``g``'s): the sum and reshape the primitives would run, called directly."""
    gs = g.shape
    lead = len(gs) - len(xs)
    axes = tuple(range(lead)) + tuple(
        lead + i for i, n in enumerate(xs) if n == 1 and gs[lead + i] != 1)
    if axes:
        g = _add_reduce(g, axis=axes)
    return g if g.shape == xs else g.reshape(xs)


def broadcast_like(t, ans):
    """Broadcast a tangent to the shape of the output it contributes to."""
    s = shape(ans)
    if shape(t) == s:
        return t
    if unknown_shape(s) and is_lazy(lower(ans)):
        # a Dask output of unknown lengths (rows a boolean index kept): broadcast by a
        # product with ones shaped like it, which Dask can make (t * 1 is t, bit for bit)
        return _like_unknown(t, ans)
    return broadcast_to(t, shape=s)


def _like_unknown(g, x):
    # g broadcast to the shape of the Dask array (under its tracers) x, whose lengths Dask
    # does not know: a product with ones of x's shape
    x = lower(x)
    if _same_shape(shape(g), x.shape):
        return g
    return g * np.ones_like(x, dtype=dtype(g))


# ---- the real part: how a real operand's cotangent leaves complex arithmetic ---------------
def _real_vjp(g, ans, x):
    # Re(c·t) = g·Re(t) for every t: c = g (a real g pairs with the real part of t).
    return g


real = Primitive("real", lambda x: standard_call("real", x) if array_api_only(x) else np.real(x))
declare(real, jvp=[lambda t, ans, x: real(t)], vjp=[_real_vjp], batch=elementwise_batch(real),
        family="unary", residuals=reads())


# ---- reshape, transpose, broadcast_to, sum ------------------------------------------------
def _reshape_batch(vals, dims, shape):
    (x,), (d,) = vals, dims
    x = moveaxis_to_front(x, d)
    return reshape(x, shape=(_shape_of(x)[0],) + _example_target(_shape_of(x)[1:], shape)), 0


def _example_target(example_shape, shape):
    # Resolve a -1 against one example: with zero examples, (0, -1) is ambiguous to NumPy.
    shape = tuple(int(n) for n in (shape if isinstance(shape, (tuple, list)) else (shape,)))
    if -1 not in shape:
        return shape
    known = int(np.prod([n for n in shape if n != -1]))
    size = int(np.prod(example_shape))
    if known == 0 or size % known:
        np.reshape(np.empty(example_shape, dtype=np.int8), shape)  # NumPy's own error
    return tuple(size // known if n == -1 else n for n in shape)


def _shape_of(x):  # ``shape`` is a parameter name of several rules below
    return shape(x)


def _reshape_impl(x, shape):
    if type(x) is np.ndarray:
        return np.reshape(x, shape)
    if array_api_only(x):
        return standard_call("reshape", x, tuple(shape))
    if is_lazy(x) and (unknown_shape(x.shape) or unknown_shape(shape)):
        raise unknown_shape_error("an array reshaped by the derivative", x.shape)
    return np.reshape(x, shape)


reshape = declare(
    Primitive("reshape", _reshape_impl),
    jvp=[lambda t, ans, x, shape: reshape(t, shape=shape)],
    vjp=[lambda g, ans, x, shape: reshape(g, shape=_shape_of(x))],
    batch=_reshape_batch, names=(), residuals=reads())


def _inverse_perm(axes, nd):
    if axes is None:
        return None
    return tuple(int(i) for i in np.argsort([a % nd for a in axes]))


def _transpose_batch(vals, dims, axes=None):
    (x,), (d,) = vals, dims
    r = example_ndim(x, d)
    if axes is None:
        axes = tuple(range(r - 1, -1, -1))
    x = moveaxis_to_front(x, d)
    return transpose(x, axes=(0,) + tuple(int(a) % r + 1 for a in axes)), 0


transpose = declare(
    Primitive("transpose", lambda x, axes=None: standard_call(
        "permute_dims", x, tuple(range(x.ndim))[::-1] if axes is None else tuple(axes))
        if array_api_only(x) else np.transpose(x, axes)),
    jvp=[lambda t, ans, x, axes=None: transpose(t, axes=axes)],
    vjp=[lambda g, ans, x, axes=None: transpose(g, axes=_inverse_perm(axes, ndim(x)))],
    batch=_transpose_batch, names=(), residuals=reads())


def _broadcast_to_batch(vals, dims, shape, chunks=None):
    # (``chunks`` describe the unbatched result: the batched one has Dask's own)
    (x,), (d,) = vals, dims
    shape = tuple(shape)
    x = front_padded(x, d, len(shape))
    return broadcast_to(x, shape=(_shape_of(x)[0],) + shape), 0


def _broadcast_to_impl(x, shape, chunks=None):
    if chunks is not None:  # Dask, with the chunks of the array x is expanded for
        if unknown_shape(shape):  # Dask would build a graph that fails when computed
            raise unknown_shape_error("an array expanded by the derivative", shape)
        if all(n == 1 for n in getattr(x, "shape", ())):  # a sum's cotangent: one value
            # (its arithmetic with numbers computed on it: see dask_cotangents)
            return uniform_broadcast(x, shape, chunks)
        import dask.array as da
        return da.broadcast_to(x, tuple(shape), chunks=chunks)
    if array_api_only(x):
        return standard_call("broadcast_to", x, tuple(shape))
    if type(x) is not np.ndarray and is_lazy(x) and unknown_shape(shape):
        raise unknown_shape_error("an array expanded by the derivative", shape)
    return np.broadcast_to(x, shape)


broadcast_to = declare(
    Primitive("broadcast_to", _broadcast_to_impl),
    jvp=[lambda t, ans, x, shape, **chunks: broadcast_to(t, shape=shape, **chunks)],
    vjp=[lambda g, ans, x, shape, **chunks: unbroadcast(g, x)],
    batch=_broadcast_to_batch, names=(), residuals=reads())


def _sum_impl(x, axis=None, keepdims=False, dtype=None):
    if dtype is not None:
        _refuse_dropping_imaginary(x, dtype)
    if type(x) is np.ndarray and (axis is None or type(axis) is int or type(axis) is tuple):
        # What np.sum runs for a NumPy array, without its Python wrapper.
        return _add_reduce(x, axis=axis, dtype=dtype, keepdims=keepdims)
    if type(x) is not np.ndarray and array_api_only(x):
        return standard_call("sum", x, axis=axis, keepdims=keepdims)
    return np.sum(x, axis=axis, keepdims=keepdims, dtype=dtype)


_add_reduce = np.add.reduce


def _refuse_dropping_imaginary(x, dtype):
    """sum(z, dtype=float) of complex z: NumPy drops the imaginary part with a warning;
    chainrule raises, as prod, cumsum and mean do with their dtype=."""
    dt = numpy_dtype(dtype)
    have = getattr(x, "dtype", None)  # (an array's own: a Dask array stays lazy)
    if dt.kind != "c" and numpy_dtype(have if have is not None else np.asarray(x).dtype).kind == "c":
        raise TypeError(f"dtype={dt} would discard the imaginary part of complex values; take "
                        f"cnp.real or cnp.abs first")


def _sum_vjp(g, ans, x, axis=None, keepdims=False, dtype=None):
    if (type(x) is np.ndarray or type(x) is Dropped) and type(g) in _NUMPY_VALUES:
        # NumPy values, no tracer: the reshape and broadcast_to the primitives would run.
        if not keepdims:
            g = np.reshape(g, kept_shape(x.shape, axis))
        return np.broadcast_to(g, x.shape)
    if type(x) is not np.ndarray and type(x) is not Dropped and unknown_shape(shape(x)):
        # Dask's rows of unknown number (a boolean index): the reduced axes put back as
        # new axes, and the cotangent broadcast by a product with ones shaped like x
        if not keepdims and axis is not None:
            kept = normalize_axes(axis, ndim(x))
            g = getitem(g, index=tuple(None if k in kept else slice(None)
                                       for k in range(ndim(x))))
        return _like_unknown(g, x)
    return expand_reduced(g, shape(x), axis, keepdims, lazy_chunks(x))


def _sum_public(a, axis=None, dtype=None, out=None, keepdims=False, **kwargs):
    """numpy.sum's signature: ``sum(x, 0)`` reduces axis 0 (the primitive takes its static
    arguments by keyword: a positional axis reached vmap as a second operand).

    >>> _sum_public(np.ones((2, 3)), 1)
    array([3., 3.])
    """
    if out is not None:
        raise out_argument_error(reduce_sum)
    params = kwargs
    if axis is not None:
        params["axis"] = axis
    if keepdims:
        params["keepdims"] = keepdims
    if dtype is not None:
        params["dtype"] = dtype
    return reduce_sum(a, **params)


reduce_sum = Primitive("sum", _sum_impl)
declare(reduce_sum,
        jvp=[lambda t, ans, x, axis=None, keepdims=False, dtype=None:
             reduce_sum(t, axis=axis, keepdims=keepdims)],
        vjp=[_sum_vjp],
        batch=reduction_batch(reduce_sum), family="reduction", residuals=reads(),
        public=_sum_public)
_sum_public.__name__ = _sum_public.__qualname__ = "sum"


# ---- concatenate ---------------------------------------------------------------------------
def _concatenate_jvp(primals, tangents, axis=0):
    ans = concatenate(*primals, axis=axis)
    dt = np.result_type(*map(dtype_of, primals))
    ts = [(zeros_like(lower(p), dt) if is_foreign(lower(p)) else np.zeros(shape(p), dtype=dt))
          if t is None else t for p, t in zip(primals, tangents)]
    return ans, concatenate(*ts, axis=axis)


def _concatenate_vjp(g, ans, vals, params):
    axis = params.get("axis", 0)
    if axis is None:
        g = reshape(g, shape=(-1,))
        axis = 0
    out, start = [], 0
    ax = axis % ndim(g)
    rest = (slice(None),) * (ndim(g) - ax - 1)  # every axis named: the Array API's indexing
    for v in vals:
        n = shape(v)[ax] if params.get("axis", 0) is not None else int(np.prod(shape(v)))
        piece = getitem(g, index=(slice(None),) * ax + (slice(start, start + n),) + rest)
        if shape(piece) != shape(v):
            piece = reshape(piece, shape=shape(v))
        if dtype(piece).kind == "c" and dtype(v).kind != "c":
            piece = real(piece)   # a real operand joined to complex ones: as unbroadcast
        out.append(piece)
        start += n
    return out


def _concatenate_batch(vals, dims, axis=0):
    size = axis_size(vals, dims)
    xs = [broadcast_front(v, d, size) for v, d in zip(vals, dims)]
    if axis is None:
        return concatenate(*[reshape(x, shape=(size, -1)) for x in xs], axis=1), 0
    return concatenate(*xs, axis=int(axis) % (ndim(xs[0]) - 1) + 1), 0


def _concatenate_impl(*arrays, axis=0):
    if any(type(a) is not np.ndarray and array_api_only(a) for a in arrays):
        return standard_concat(arrays, axis)
    return np.concatenate(arrays, axis=axis)


concatenate = declare(
    Primitive("concatenate", _concatenate_impl),
    jvp=_concatenate_jvp, vjp=_concatenate_vjp, batch=_concatenate_batch, names=(),
    residuals=reads())


# ---- indexing ------------------------------------------------------------------------------
def _index_tuple(index):
    return index if isinstance(index, tuple) else (index,)


def batch_position(example_shape, index):
    """Where the batch axis lands in x[(slice(None),) + index] (x batched at 0).

    NumPy puts the dimensions of advanced indices in place when they are adjacent
    and first otherwise; a probe with a zero-strided array and a batch size that no
    dimension has tells which. None when the batch axis cannot be followed.
    """
    if is_basic_index(index):
        return 0
    probe_b = max(tuple(example_shape) + (1,)) + 7
    probe = np.broadcast_to(np.zeros((), dtype=bool), (probe_b,) + tuple(example_shape))
    hits = [i for i, n in enumerate(probe[(slice(None),) + index].shape) if n == probe_b]
    return hits[0] if len(hits) == 1 else None


def place_value(v, dv, pos, target_rank):
    """Shape a value written into x[(slice(None),) + index] (the batch landing at ``pos``)."""
    if dv is None:
        vs = shape(v)
        if pos and len(vs) > target_rank - pos:
            v = reshape(v, shape=(1,) * (target_rank - len(vs)) + vs)
            v = reshape(v, shape=shape(v)[:pos] + (1,) + shape(v)[pos:])
        return v
    return moveaxis(front_padded(v, dv, target_rank), 0, pos)


def _getitem_batch(vals, dims, index):
    (x,), (d,) = vals, dims
    index = _index_tuple(index)
    pos = batch_position(per_example_shape(x, d), index)
    if pos is None:
        return loop_fallback(None, getitem, vals, dims, dict(index=index))
    return getitem(moveaxis_to_front(x, d), index=(slice(None),) + index), pos


def _getitem_accumulate(acc, g, ans, x, index):
    # Add g into the slice of an owned cotangent directly: no full-size zeros, no sum, so a
    # loop over the rows of an array stays linear in its size. At the index this is the
    # out-of-place rule's arithmetic (prev + g). Outside it the out-of-place rule adds 0.0,
    # which changes nothing but a -0.0 (into 0.0): not done here, since it would cost a pass
    # over the whole cotangent per step and make such a loop quadratic. Integer-array
    # indices take the out-of-place rule: np.add.at sums repeated entries from 0 before
    # they meet prev (other bits than adding them to prev one by one), and jit's stand-in
    # for a traced index must reach the staging trace.
    if isinstance(g, Tracer) or not is_numpy(g) or np.result_type(acc, g) != acc.dtype \
            or not is_basic_index(index):
        return False
    acc[index] += g
    return True


# A traced Python number is NumPy's 0-d array when indexed (cnp.asarray(x)[mask] under grad)
_PY_SCALARS = frozenset({float, int, complex, bool})


def _getitem_vjp(g, ans, x, index):
    chunks = lazy_chunks(x)
    if chunks is not None:  # Dask: the cotangent chunked like x (see index_transpose)
        return getitem_transpose(g, index=index, shape=shape(x), chunks=chunks)
    return getitem_transpose(g, index=index, shape=shape(x))


getitem = declare(
    Primitive("getitem", lambda x, index: x[standard_index(x, index)] if array_api_only(x)
              else (np.asarray(x) if type(x) in _PY_SCALARS else x)[index]),
    jvp=[lambda t, ans, x, index: getitem(t, index=index)],
    vjp=[_getitem_vjp],
    batch=_getitem_batch, names=(), residuals=reads())
fresh_vjp_rules.add(getitem)
accumulate_rules[getitem] = _getitem_accumulate


def _getitem_transpose_impl(g, index, shape, chunks=None):
    if not is_numpy(g):
        return index_transpose(g, index, shape, chunks)
    out = np.zeros(shape, dtype=np.result_type(g))
    if is_basic_index(index):
        out[index] = g
    else:
        np.add.at(out, index, g)
    return out


def _getitem_transpose_batch(vals, dims, index, shape, chunks=None):
    # (``chunks``, for Dask, describes the unbatched result: the batched one has Dask's)
    (g,), (dg,) = vals, dims
    index = _index_tuple(index)
    shape = tuple(shape)
    pos = batch_position(shape, index)
    if pos is None:
        return loop_fallback(None, getitem_transpose, vals, dims, dict(index=index, shape=shape))
    target = np.broadcast_to(np.zeros((), dtype=bool), shape)[index].shape
    size = _shape_of(g)[dg]
    g = place_value(g, dg, pos, len(target))
    return getitem_transpose(g, index=(slice(None),) + index, shape=(size,) + shape), 0


# The transpose of indexing: zeros of the source shape with ``g`` added at ``index``.
getitem_transpose = declare(
    Primitive("getitem_transpose", _getitem_transpose_impl),
    jvp=[lambda t, ans, g, index, shape, **chunks: getitem_transpose(t, index=index, shape=shape,
                                                                    **chunks)],
    vjp=[lambda c, ans, g, index, shape, **chunks: getitem(c, index=index)],
    batch=_getitem_transpose_batch, names=(), residuals=reads())


# ---- the fallback: a loop over the batch ------------------------------------------------
_warned = set()


def loop_fallback(trace, prim, vals, dims, params):
    """Apply ``prim`` one example at a time and stack the results (batch axis 0)."""
    if prim.name not in _warned:
        _warned.add(prim.name)
        warnings.warn(
            f"vmap: primitive '{prim.name}' has no batching rule; falling back to a Python "
            f"loop over the batch (correct, but one call per example)", stacklevel=4)
    size = axis_size(vals, dims)
    outs = []
    for i in range(size):
        args = [v if d is None else getitem(v, index=(slice(None),) * d + (i,))
                for v, d in zip(vals, dims)]
        out = bind(prim, args, params)
        _refuse_inner_tracers(trace, prim, out if prim.multiple_results else (out,))
        outs.append(out)
    if prim.multiple_results:
        n = len(outs[0])
        return tuple(_stack([o[k] for o in outs], prim.name) for k in range(n)), (0,) * n
    return _stack(outs, prim.name), 0


def _refuse_inner_tracers(trace, prim, outs):
    # A call primitive's body (custom_vjp, custom_jvp, a checkpoint schedule) may close over a
    # value of this vmap or of a transformation inside it (vmap(grad(f))): the example's
    # result would then hold a tracer at or above this level, which stacking here would hide
    # from that transformation (a silently zero derivative, or an escaped tracer).
    for o in outs:
        if isinstance(o, Tracer) and o._trace.level >= trace.level:
            what = ("a value that this vmap maps" if o._trace is trace else
                    f"a value that a transformation inside the vmap ({o._trace.kind}) traces")
            raise TypeError(
                f"vmap: '{prim.name}' has no batching rule, and its function closes over "
                f"{what}, so running it one example at a time cannot be correct. Pass that "
                f"value to the function as an argument instead of closing over it.")


def _stack(xs, name="the primitive"):
    shapes = {shape(x) for x in xs}
    if len(shapes) > 1 and all(type(n) is int for s in shapes for n in s):
        # (NumPy's concatenate would say "dimensions ... must match"; a lazy shape's nan skips)
        raise ValueError(f"vmap: '{name}' gives outputs of different shapes "
                         f"{sorted(shapes)} for different examples (its output shape depends "
                         f"on the values), so they cannot be one batched array; loop over the "
                         f"examples in Python instead")
    return concatenate(*[reshape(x, shape=(1,) + shape(x)) for x in xs], axis=0)


set_fallback(loop_fallback)
