"""Reductions, shape operations, indexing and scatter, with their rules.

Static arguments (axes, shapes, indices) are keyword parameters of the
primitive and are never differentiated; only array arguments are positional.
"""

import builtins

import numpy as np

from ..core.primitive import Primitive, Tracer
from ..interpreters.forward import jvp_rules
from ..interpreters.reverse import vjp_rules, fresh_vjp_rules, accumulate_rules
from .util import defrules, nondiff, shape, ndim, unbroadcast, broadcast_like, lower
from . import elementwise as E


def _norm_axes(axis, nd):
    if axis is None:
        return tuple(range(nd))
    if isinstance(axis, (tuple, list)):
        return tuple(sorted(a % nd for a in axis))
    return (axis % nd,)


def _expand_reduced(g, x_shape, axis, keepdims):
    """Broadcast a reduced cotangent back to the input shape."""
    if not keepdims:
        axes = _norm_axes(axis, len(x_shape))
        kept = tuple(1 if i in axes else n for i, n in enumerate(x_shape))
        g = reshape(g, shape=kept)
    return broadcast_to(g, shape=x_shape)


# ---- reductions ------------------------------------------------------------------
def _sum_impl(x, axis=None, keepdims=False, dtype=None):
    return np.sum(x, axis=axis, keepdims=keepdims, dtype=dtype)


sum = Primitive("sum", _sum_impl)  # noqa: A001
defrules(sum,
         [lambda t, ans, x, axis=None, keepdims=False, dtype=None: sum(t, axis=axis, keepdims=keepdims)],
         [lambda g, ans, x, axis=None, keepdims=False, dtype=None:
          _expand_reduced(g, shape(x), axis, keepdims)])


def _extremum(name, fn):
    p = Primitive(name, lambda x, axis=None, keepdims=False: fn(x, axis=axis, keepdims=keepdims))

    def mask(ans, x, axis, keepdims):
        # Ties share the derivative evenly, so the rule is the same in both modes.
        hit = E.equal(x, _expand_reduced(ans, shape(x), axis, keepdims))
        dt = np.result_type(lower(x))
        m = np.asarray(hit).astype(dt if dt.kind == "f" else np.float64)
        return m / _expand_reduced(sum(m, axis=axis, keepdims=keepdims), shape(x), axis, keepdims)

    defrules(p,
             [lambda t, ans, x, axis=None, keepdims=False:
              sum(t * mask(ans, x, axis, keepdims), axis=axis, keepdims=keepdims)],
             [lambda g, ans, x, axis=None, keepdims=False:
              _expand_reduced(g, shape(x), axis, keepdims) * mask(ans, x, axis, keepdims)])
    return p


max = _extremum("max", np.max)  # noqa: A001
min = _extremum("min", np.min)  # noqa: A001


def _cumsum_impl(x, axis=None):
    return np.cumsum(x, axis=axis)


def _reverse_cumsum(g, axis):
    return flip(cumsum(flip(g, axis=axis), axis=axis), axis=axis)


cumsum = Primitive("cumsum", _cumsum_impl)
defrules(cumsum,
         [lambda t, ans, x, axis=None: cumsum(t, axis=axis)],
         [lambda g, ans, x, axis=None: reshape(_reverse_cumsum(g, 0 if axis is None else axis),
                                               shape=shape(x))])


# ---- shapes ----------------------------------------------------------------------
def _reshape_impl(x, shape):
    return np.reshape(x, shape)


reshape = Primitive("reshape", _reshape_impl)
defrules(reshape,
         [lambda t, ans, x, shape: reshape(t, shape=shape)],
         [lambda g, ans, x, shape: reshape(g, shape=_shape_of(x))])


def _shape_of(x):
    return shape(x)


def _transpose_impl(x, axes=None):
    return np.transpose(x, axes)


def _inverse_perm(axes, nd):
    if axes is None:
        return None
    axes = [a % nd for a in axes]
    return tuple(int(i) for i in np.argsort(axes))


transpose = Primitive("transpose", _transpose_impl)
defrules(transpose,
         [lambda t, ans, x, axes=None: transpose(t, axes=axes)],
         [lambda g, ans, x, axes=None: transpose(g, axes=_inverse_perm(axes, ndim(x)))])


def _broadcast_to_impl(x, shape):
    return np.broadcast_to(x, shape)


broadcast_to = Primitive("broadcast_to", _broadcast_to_impl)
defrules(broadcast_to,
         [lambda t, ans, x, shape: broadcast_to(t, shape=shape)],
         [lambda g, ans, x, shape: unbroadcast(g, x)])


def _flip_impl(x, axis=None):
    return np.flip(x, axis=axis)


flip = Primitive("flip", _flip_impl)
defrules(flip, [lambda t, ans, x, axis=None: flip(t, axis=axis)],
         [lambda g, ans, x, axis=None: flip(g, axis=axis)])


def _roll_impl(x, shift, axis=None):
    return np.roll(x, shift, axis=axis)


def _neg_shift(shift):
    return tuple(-s for s in shift) if isinstance(shift, (tuple, list)) else -shift


roll = Primitive("roll", _roll_impl)
defrules(roll, [lambda t, ans, x, shift, axis=None: roll(t, shift=shift, axis=axis)],
         [lambda g, ans, x, shift, axis=None: roll(g, shift=_neg_shift(shift), axis=axis)])


def _tile_impl(x, reps):
    return np.tile(x, reps)


def _tile_vjp(g, ans, x, reps):
    xs = shape(x)
    reps = (reps,) if np.ndim(reps) == 0 else tuple(reps)
    nd = builtins.max(len(xs), len(reps))  # this module's max is the primitive
    xs_full = (1,) * (nd - len(xs)) + tuple(xs)
    reps = (1,) * (nd - len(reps)) + reps
    split = []
    for r, n in zip(reps, xs_full):
        split += [r, n]
    g = reshape(g, shape=tuple(split))
    g = sum(g, axis=tuple(range(0, 2 * nd, 2)))
    return reshape(g, shape=xs)


tile = Primitive("tile", _tile_impl)
defrules(tile, [lambda t, ans, x, reps: tile(t, reps=reps)], [_tile_vjp])


def _repeat_impl(x, repeats, axis=None):
    return np.repeat(x, repeats, axis=axis)


def _repeat_vjp(g, ans, x, repeats, axis=None):
    xs = shape(x)
    if axis is None:
        n = int(np.prod(xs))
        base_shape, ax = (n,), 0
    else:
        base_shape, ax = xs, axis % len(xs)
    reps = np.broadcast_to(np.asarray(repeats), (base_shape[ax],))
    # Segment sums: scatter-add every output position into its source index.
    src = np.repeat(np.arange(base_shape[ax]), reps)
    idx = (slice(None),) * ax + (src,)
    out = scatter_add(np.zeros(base_shape, dtype=_dt(g)), g, index=idx)
    return reshape(out, shape=xs)


repeat = Primitive("repeat", _repeat_impl)
defrules(repeat, [lambda t, ans, x, repeats, axis=None: repeat(t, repeats=repeats, axis=axis)],
         [_repeat_vjp])


def _pad_impl(x, pad_width, mode="constant", constant_values=0):
    if mode != "constant":
        raise ValueError(
            f"pad(mode={mode!r}) is not differentiable in chainrule; only mode='constant' "
            f"is supported. Build other modes from concatenate and slicing.")
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


pad = Primitive("pad", _pad_impl)
defrules(pad,
         [lambda t, ans, x, pad_width, mode="constant", constant_values=0:
          pad(t, pad_width=pad_width, constant_values=0)],
         [lambda g, ans, x, pad_width, mode="constant", constant_values=0:
          getitem(g, index=_pad_slices(x, pad_width))])


def _triangle(name, fn):
    p = Primitive(name, lambda x, k=0: fn(x, k))
    defrules(p, [lambda t, ans, x, k=0: p(t, k=k)], [lambda g, ans, x, k=0: p(g, k=k)])
    return p


triu = _triangle("triu", np.triu)
tril = _triangle("tril", np.tril)


def _concatenate_impl(*arrays, axis=0):
    return np.concatenate(arrays, axis=axis)


def _concatenate_jvp(primals, tangents, axis=0):
    ans = concatenate(*primals, axis=axis)
    ts = [np.zeros(shape(p), dtype=np.result_type(*map(_dt, primals))) if t is None else t
          for p, t in zip(primals, tangents)]
    return ans, concatenate(*ts, axis=axis)


def _dt(x):
    return getattr(x, "dtype", np.float64)


def _concatenate_vjp(g, ans, vals, params):
    axis = params.get("axis", 0)
    if axis is None:
        g = reshape(g, shape=(-1,))
        axis = 0
    out, start = [], 0
    nd = ndim(g)
    ax = axis % nd
    for v in vals:
        n = shape(v)[ax] if axis is not None else int(np.prod(shape(v)))
        idx = (slice(None),) * ax + (slice(start, start + n),)
        piece = getitem(g, index=idx)
        if shape(piece) != shape(v):
            piece = reshape(piece, shape=shape(v))
        out.append(piece)
        start += n
    return out


concatenate = Primitive("concatenate", _concatenate_impl)
jvp_rules[concatenate] = _concatenate_jvp
vjp_rules[concatenate] = _concatenate_vjp


# ---- indexing and scatter ------------------------------------------------------------
def _is_basic(index):
    """True when ``index`` has no integer arrays, boolean masks or lists."""
    items = index if isinstance(index, tuple) else (index,)
    for i in items:
        if i is None or i is Ellipsis or isinstance(i, (slice, int, np.integer)):
            continue
        return False
    return True


def _getitem_impl(x, index):
    return x[index]


def _scatter_add_impl(x, v, index):
    out = np.array(x, dtype=np.result_type(x, v), copy=True)
    if _is_basic(index):
        out[index] += v
    else:
        np.add.at(out, index, v)
    return out


def _scatter_set_impl(x, v, index):
    out = np.array(x, dtype=np.result_type(x, v), copy=True)
    out[index] = v
    return out


def _zeros_of(x, like=None):
    dt = np.result_type(_dt(x), _dt(like)) if like is not None else _dt(x)
    return np.zeros(shape(x), dtype=dt)


def _getitem_transpose_impl(g, index, shape):
    out = np.zeros(shape, dtype=np.result_type(g))
    if _is_basic(index):
        out[index] = g
    else:
        np.add.at(out, index, g)
    return out


getitem = Primitive("getitem", _getitem_impl)
# The transpose of indexing: zeros of the source shape with ``g`` added at ``index``.
getitem_transpose = Primitive("getitem_transpose", _getitem_transpose_impl)
scatter_add = Primitive("scatter_add", _scatter_add_impl)
scatter_set = Primitive("scatter_set", _scatter_set_impl)

defrules(getitem,
         [lambda t, ans, x, index: getitem(t, index=index)],
         [lambda g, ans, x, index: getitem_transpose(g, index=index, shape=shape(x))])
def _getitem_accumulate(acc, g, ans, x, index):
    # Add g into the slice of an owned cotangent directly: no full-size zeros, no sum.
    if isinstance(g, Tracer) or np.result_type(acc, g) != acc.dtype:
        return False
    if _is_basic(index):
        acc[index] += g
    else:
        np.add.at(acc, index, g)
    return True


fresh_vjp_rules.add(getitem)
accumulate_rules[getitem] = _getitem_accumulate

defrules(getitem_transpose,
         [lambda t, ans, g, index, shape: getitem_transpose(t, index=index, shape=shape)],
         [lambda c, ans, g, index, shape: getitem(c, index=index)])
defrules(scatter_add,
         [lambda t, ans, x, v, index: broadcast_like(t, ans),
          lambda t, ans, x, v, index: scatter_add(_zeros_of(ans, t), t, index=index)],
         [lambda g, ans, x, v, index: g,
          lambda g, ans, x, v, index: unbroadcast(getitem(g, index=index), v)])
def _last_writes(x_shape, index):
    """Mask over x[index]: True where that write is the last one to its element.

    NumPy assigns repeated indices in order, so only the last write survives and
    only it receives a cotangent."""
    if _is_basic(index):
        return None
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
        picked = picked * mask.astype(_dt(g))
    return unbroadcast(picked, v)


defrules(scatter_set,
         [lambda t, ans, x, v, index: scatter_set(t, np.zeros((), _dt(t)), index=index),
          lambda t, ans, x, v, index: scatter_set(_zeros_of(ans, t), t, index=index)],
         [lambda g, ans, x, v, index: scatter_set(g, np.zeros((), _dt(g)), index=index),
          _scatter_set_v_vjp])

# ---- zero-derivative structural operations -------------------------------------------
argmax = nondiff("argmax", lambda x, axis=None, keepdims=False: np.argmax(x, axis=axis, keepdims=keepdims))
argmin = nondiff("argmin", lambda x, axis=None, keepdims=False: np.argmin(x, axis=axis, keepdims=keepdims))
argsort = nondiff("argsort", lambda x, axis=-1, kind=None: np.argsort(x, axis=axis, kind=kind))
nonzero = nondiff("nonzero", np.nonzero)
any = nondiff("any", lambda x, axis=None, keepdims=False: np.any(x, axis=axis, keepdims=keepdims))  # noqa: A001
all = nondiff("all", lambda x, axis=None, keepdims=False: np.all(x, axis=axis, keepdims=keepdims))  # noqa: A001
isclose = nondiff("isclose", lambda a, b, rtol=1e-5, atol=1e-8: np.isclose(a, b, rtol=rtol, atol=atol))
