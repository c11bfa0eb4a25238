"""Batching rules for the primitives: how each one runs on a stack of examples.

Every rule has the form ``rule(vals, dims, **params) -> (out, out_dim)`` (see
:mod:`chainrule.interpreters.batching`). The rules fall into a few families:

- elementwise (ufuncs, where, clip, casts, special functions): batched
  operands get their batch axis moved to the front and are padded to a common
  rank; unbatched operands are left alone (NumPy aligns them on the right);
- reductions and shape operations: the axis parameters are shifted past the
  batch axis; ``axis=None`` (all axes of one example) becomes the tuple of the
  example's axes;
- linear algebra: NumPy's stacked-matrix conventions (matmul, solve, inv,
  det, cholesky, eigh) take the batch as one more leading axis; einsum gets a
  new index letter;
- indexing and scatter: the index gains a leading ``slice(None)``; where the
  batch axis lands follows NumPy's advanced-indexing rules.

Primitives with no rule (nonzero, the call primitives custom_vjp_call,
custom_jvp_call and checkpoint, and any primitive defined later without one)
go through :func:`loop_fallback`: one ``bind`` per example, then a stack,
with a one-time warning naming the primitive.

Rules are written with chainrule primitives, so they re-bind: a batched value
that is itself a tracer of an outer transformation is handled by that
transformation, which is what makes vmap compose with grad, jvp and itself.
"""

import string
import warnings

import numpy as np

from ..core.primitive import bind
from ..interpreters.batching import batch_rules, set_fallback, per_example_shape
from . import elementwise as E
from . import structural as S
from . import linalg as L
from . import special as SP
from . import composites as C

__all__ = ["loop_fallback", "FALLBACK_PRIMITIVES", "RULE_FAMILIES", "moveaxis_to_front"]


# ---- helpers -----------------------------------------------------------------------
def _shape(v):
    if type(v) is np.ndarray:
        return v.shape
    s = getattr(v, "shape", None)
    return tuple(s) if s is not None else np.shape(v)


def _pe_ndim(v, d):
    return len(per_example_shape(v, d))


def _axis_size(vals, dims):
    for v, d in zip(vals, dims):
        if d is not None:
            return _shape(v)[d]
    raise ValueError("no batched operand")


def moveaxis_to_front(x, d):
    """Move axis ``d`` of ``x`` to position 0 (no-op when already there)."""
    if d == 0:
        return x
    nd = len(_shape(x))
    axes = (d,) + tuple(i for i in range(nd) if i != d)
    return S.transpose(x, axes=axes)


def _moveaxis(x, src, dst):
    if src == dst:
        return x
    nd = len(_shape(x))
    order = [i for i in range(nd) if i != src]
    order.insert(dst, src)
    return S.transpose(x, axes=tuple(order))


def _front_padded(x, d, rank):
    """Batch axis to the front, then ones after it so that one example has ``rank`` axes."""
    x = moveaxis_to_front(x, d)
    s = _shape(x)
    r = len(s) - 1
    if r < rank:
        x = S.reshape(x, shape=(s[0],) + (1,) * (rank - r) + s[1:])
    return x


def _bcast_front(x, d, size):
    """``x`` with its batch axis at 0; unbatched values are broadcast to the batch."""
    if d is None:
        return S.broadcast_to(x, shape=(size,) + _shape(x))
    return moveaxis_to_front(x, d)


def _norm_axes(axis, nd):
    if axis is None:
        return tuple(range(nd))
    if isinstance(axis, (tuple, list)):
        return tuple(int(a) % nd for a in axis)
    return (int(axis) % nd,)


def _full_axis(a, d):
    """Per-example axis ``a`` (non-negative) -> axis of the batched value (batch at ``d``)."""
    return a + 1 if a >= d else a


# ---- elementwise ------------------------------------------------------------------------
def _elementwise_rule(prim):
    def rule(vals, dims, **params):
        if len(vals) == 2:
            # Fast path: one operand batched at 0, the other unbatched of no higher rank.
            (a, b), (da, db) = vals, dims
            if da == 0 and db is None:
                if len(_shape(b)) < len(_shape(a)):
                    return bind(prim, vals, params), 0
            elif db == 0 and da is None:
                if len(_shape(a)) < len(_shape(b)):
                    return bind(prim, vals, params), 0
            elif da == 0 and db == 0 and len(_shape(a)) == len(_shape(b)):
                return bind(prim, vals, params), 0
        elif len(vals) == 1 and not params:
            return bind(prim, vals, params), dims[0]
        rank = 0
        for v, d in zip(vals, dims):
            if v is not None:
                r = _pe_ndim(v, d)
                if r > rank:
                    rank = r
        # Keep the batch axis where it is when every batched operand agrees on it and
        # the unbatched ones align (on the right) strictly after it.
        bd = None
        keep = True
        for v, d in zip(vals, dims):
            if d is None:
                continue
            if bd is None:
                bd = d
            if d != bd or _pe_ndim(v, d) != rank:
                keep = False
                break
        if keep:
            for v, d in zip(vals, dims):
                if d is None and v is not None and len(_shape(v)) > rank - bd:
                    keep = False
                    break
        if keep:
            return bind(prim, vals, params), bd
        args = [v if d is None else _front_padded(v, d, rank) for v, d in zip(vals, dims)]
        return bind(prim, args, params), 0
    return rule


_ELEMENTWISE = [
    E.add, E.subtract, E.multiply, E.divide, E.power, E.negative, E.positive, E.absolute,
    E.exp, E.exp2, E.expm1, E.log, E.log1p, E.log2, E.log10, E.sqrt, E.cbrt, E.square,
    E.reciprocal, E.sin, E.cos, E.tan, E.arcsin, E.arccos, E.arctan, E.arctan2, E.sinh, E.cosh,
    E.tanh, E.arcsinh, E.arccosh, E.arctanh, E.hypot, E.logaddexp, E.logaddexp2, E.maximum,
    E.minimum, E.fmax, E.fmin, E.clip, E.where, E.deg2rad, E.rad2deg, E.sinc,
    E.sign, E.floor, E.ceil, E.rint, E.trunc, E.fix, E.round, E.greater, E.greater_equal,
    E.less, E.less_equal, E.equal, E.not_equal, E.logical_and, E.logical_or, E.logical_xor,
    E.logical_not, E.isfinite, E.isinf, E.isnan, E.signbit, E.floor_divide,
    S.isclose, SP.expit, SP.logit, SP.erf, SP.erfc, SP.gammaln, SP.polygamma_p,
    C._astype_p,
]

for _p in _ELEMENTWISE:
    batch_rules[_p] = _elementwise_rule(_p)


def register_elementwise(prim):
    """Give an elementwise primitive (defined elsewhere) its batching rule."""
    batch_rules[prim] = _elementwise_rule(prim)
    return prim


# ---- reductions -------------------------------------------------------------------------
def _reduction_rule(prim):
    """sum, max, min, any, all, logsumexp: ``axis`` (None/int/tuple) and ``keepdims``."""
    def rule(vals, dims, axis=None, keepdims=False, **params):
        (x,), (d,) = vals, dims
        r = _pe_ndim(x, d)
        axes = _norm_axes(axis, r)
        full = tuple(_full_axis(a, d) for a in axes)
        out = bind(prim, [x], dict(params, axis=full, keepdims=keepdims))
        od = d if keepdims else d - builtin_sum(1 for a in full if a < d)
        return out, od
    return rule


builtin_sum = sum
for _p in (S.sum, S.max, S.min, S.any, S.all, SP.logsumexp_p):
    batch_rules[_p] = _reduction_rule(_p)


def _flat_front(x, d):
    """(B, n): the examples as rows, each flattened."""
    x = moveaxis_to_front(x, d)
    s = _shape(x)
    return S.reshape(x, shape=(s[0], int(np.prod(s[1:], dtype=np.int64))))


def _arg_rule(prim):
    """argmax / argmin: axis=None indexes the flattened example."""
    def rule(vals, dims, axis=None, keepdims=False):
        (x,), (d,) = vals, dims
        r = _pe_ndim(x, d)
        if axis is None:
            out = bind(prim, [_flat_front(x, d)], dict(axis=1, keepdims=False))
            if keepdims:
                out = S.reshape(out, shape=(_shape(out)[0],) + (1,) * r)
            return out, 0
        a = _full_axis(int(axis) % r, d)
        out = bind(prim, [x], dict(axis=a, keepdims=keepdims))
        return out, d if (keepdims or a > d) else d - 1
    return rule


batch_rules[S.argmax] = _arg_rule(S.argmax)
batch_rules[S.argmin] = _arg_rule(S.argmin)


def _scan_rule(prim, default_axis=None, extra=()):
    """cumsum, cumprod, argsort: one axis, or the flattened example for axis=None."""
    def rule(vals, dims, axis=default_axis, **params):
        (x,), (d,) = vals, dims
        if axis is None:
            return bind(prim, [_flat_front(x, d)], dict(params, axis=1)), 0
        r = _pe_ndim(x, d)
        return bind(prim, [x], dict(params, axis=_full_axis(int(axis) % r, d))), d
    return rule


batch_rules[S.cumsum] = _scan_rule(S.cumsum)
batch_rules[C._cumprod_p] = _scan_rule(C._cumprod_p)
batch_rules[S.argsort] = _scan_rule(S.argsort, default_axis=-1)


# ---- shapes -----------------------------------------------------------------------------
def _reshape_rule(vals, dims, shape):
    (x,), (d,) = vals, dims
    x = moveaxis_to_front(x, d)
    return S.reshape(x, shape=(_shape(x)[0],) + tuple(shape)), 0


def _transpose_rule(vals, dims, axes=None):
    (x,), (d,) = vals, dims
    r = _pe_ndim(x, d)
    if axes is None:
        axes = tuple(range(r - 1, -1, -1))
    x = moveaxis_to_front(x, d)
    return S.transpose(x, axes=(0,) + tuple(int(a) % r + 1 for a in axes)), 0


def _broadcast_to_rule(vals, dims, shape):
    (x,), (d,) = vals, dims
    shape = tuple(shape)
    x = _front_padded(x, d, len(shape))
    return S.broadcast_to(x, shape=(_shape(x)[0],) + shape), 0


def _flip_rule(vals, dims, axis=None):
    (x,), (d,) = vals, dims
    r = _pe_ndim(x, d)
    axes = tuple(_full_axis(a, d) for a in _norm_axes(axis, r))
    return S.flip(x, axis=axes), d


def _roll_rule(vals, dims, shift, axis=None):
    (x,), (d,) = vals, dims
    if axis is None:
        s = per_example_shape(x, d)
        flat = S.roll(_flat_front(x, d), shift=shift, axis=1)
        return S.reshape(flat, shape=(_shape(flat)[0],) + s), 0
    r = _pe_ndim(x, d)
    if isinstance(axis, (tuple, list)):
        ax = tuple(_full_axis(int(a) % r, d) for a in axis)
    else:
        ax = _full_axis(int(axis) % r, d)
    return S.roll(x, shift=shift, axis=ax), d


def _tile_rule(vals, dims, reps):
    (x,), (d,) = vals, dims
    reps = (int(reps),) if np.ndim(reps) == 0 else tuple(int(k) for k in reps)
    r = _pe_ndim(x, d)
    n = max(r, len(reps))
    x = _front_padded(x, d, n)
    return S.tile(x, reps=(1,) + (1,) * (n - len(reps)) + reps), 0


def _repeat_rule(vals, dims, repeats, axis=None):
    (x,), (d,) = vals, dims
    if axis is None:
        return S.repeat(_flat_front(x, d), repeats=repeats, axis=1), 0
    r = _pe_ndim(x, d)
    return S.repeat(x, repeats=repeats, axis=_full_axis(int(axis) % r, d)), d


def _pad_rule(vals, dims, pad_width, mode="constant", constant_values=0):
    (x,), (d,) = vals, dims
    r = _pe_ndim(x, d)
    pw = np.broadcast_to(np.asarray(pad_width, dtype=int), (r, 2))
    pw = np.concatenate([pw[:d], np.zeros((1, 2), dtype=int), pw[d:]])
    return S.pad(x, pad_width=tuple(map(tuple, pw.tolist())), mode=mode,
                 constant_values=constant_values), d


def _triangle_rule(prim):
    def rule(vals, dims, k=0):
        (x,), (d,) = vals, dims
        r = _pe_ndim(x, d)
        if r < 2:
            return loop_fallback(None, prim, vals, dims, dict(k=k))
        if d <= r - 2:
            return prim(x, k=k), d
        return prim(moveaxis_to_front(x, d), k=k), 0
    return rule


def _concatenate_rule(vals, dims, axis=0):
    size = _axis_size(vals, dims)
    xs = [_bcast_front(v, d, size) for v, d in zip(vals, dims)]
    if axis is None:
        xs = [S.reshape(x, shape=(size, -1)) for x in xs]
        return S.concatenate(*xs, axis=1), 0
    r = len(_shape(xs[0])) - 1
    return S.concatenate(*xs, axis=int(axis) % r + 1), 0


batch_rules[S.reshape] = _reshape_rule
batch_rules[S.transpose] = _transpose_rule
batch_rules[S.broadcast_to] = _broadcast_to_rule
batch_rules[S.flip] = _flip_rule
batch_rules[S.roll] = _roll_rule
batch_rules[S.tile] = _tile_rule
batch_rules[S.repeat] = _repeat_rule
batch_rules[S.pad] = _pad_rule
batch_rules[S.triu] = _triangle_rule(S.triu)
batch_rules[S.tril] = _triangle_rule(S.tril)
batch_rules[S.concatenate] = _concatenate_rule


# ---- indexing and scatter ------------------------------------------------------------
def _index_tuple(index):
    return index if isinstance(index, tuple) else (index,)


def _batch_position(pe_shape, index):
    """Where the batch axis lands in x[(slice(None),) + index] (x batched at 0).

    NumPy puts the dimensions of advanced indices in place when they are adjacent
    and first otherwise; a probe with a zero-strided array and a batch size that no
    dimension has tells which.
    """
    if S._is_basic(index):
        return 0
    probe_b = max(pe_shape + (1,)) + 7
    probe = np.broadcast_to(np.zeros((), dtype=bool), (probe_b,) + tuple(pe_shape))
    out_shape = probe[(slice(None),) + index].shape
    hits = [i for i, n in enumerate(out_shape) if n == probe_b]
    if len(hits) != 1:
        return None
    return hits[0]


def _getitem_rule(vals, dims, index):
    (x,), (d,) = vals, dims
    index = _index_tuple(index)
    pe = per_example_shape(x, d)
    pos = _batch_position(pe, index)
    if pos is None:
        return loop_fallback(None, S.getitem, vals, dims, dict(index=index))
    x = moveaxis_to_front(x, d)
    return S.getitem(x, index=(slice(None),) + index), pos


def _scatter_rule(prim):
    def rule(vals, dims, index):
        (x, v), (dx, dv) = vals, dims
        index = _index_tuple(index)
        pe = per_example_shape(x, dx)
        pos = _batch_position(pe, index)
        if pos is None:
            return loop_fallback(None, prim, vals, dims, dict(index=index))
        size = _axis_size(vals, dims)
        xb = _bcast_front(x, dx, size)
        # The target x[index] of one example, and the value broadcast into it.
        target = np.broadcast_to(np.zeros((), dtype=bool), pe)[index].shape
        v = _place_value(v, dv, pos, len(target))
        return bind(prim, [xb, v], dict(index=(slice(None),) + index)), 0
    return rule


def _place_value(v, dv, pos, target_rank):
    """Shape a value written into x[(slice(None),) + index] (batch landing at ``pos``)."""
    if dv is None:
        vs = _shape(v)
        if pos and len(vs) > target_rank - pos:
            v = S.reshape(v, shape=(1,) * (target_rank - len(vs)) + vs)
            v = S.reshape(v, shape=_shape(v)[:pos] + (1,) + _shape(v)[pos:])
        return v
    v = _front_padded(v, dv, target_rank)
    return _moveaxis(v, 0, pos)


def _getitem_transpose_rule(vals, dims, index, shape):
    (g,), (dg,) = vals, dims
    index = _index_tuple(index)
    shape = tuple(shape)
    pos = _batch_position(shape, index)
    if pos is None:
        return loop_fallback(None, S.getitem_transpose, vals, dims,
                             dict(index=index, shape=shape))
    target = np.broadcast_to(np.zeros((), dtype=bool), shape)[index].shape
    g = _place_value(g, dg, pos, len(target))
    size = _shape(vals[0])[dg]
    return S.getitem_transpose(g, index=(slice(None),) + index, shape=(size,) + shape), 0


batch_rules[S.getitem] = _getitem_rule
if hasattr(S, "getitem_transpose"):
    batch_rules[S.getitem_transpose] = _getitem_transpose_rule
batch_rules[S.scatter_add] = _scatter_rule(S.scatter_add)
batch_rules[S.scatter_set] = _scatter_rule(S.scatter_set)


# ---- linear algebra ---------------------------------------------------------------------
def _matmul_rule(vals, dims):
    (a, b), (da, db) = vals, dims
    ra, rb = _pe_ndim(a, da), _pe_ndim(b, db)
    # Fast paths: a batched stack against one unbatched matrix, and the reverse.
    if db is None and rb == 2:
        return L.matmul(moveaxis_to_front(a, da), b), 0
    if da is None and ra == 2 and rb >= 2:
        return L.matmul(a, moveaxis_to_front(b, db)), 0
    if ra == 1 and rb == 1:
        size = _axis_size(vals, dims)
        prod = E.multiply(_bcast_front(a, da, size) if da is not None else a,
                          _bcast_front(b, db, size) if db is not None else b)
        return S.sum(prod, axis=-1), 0
    # General case: vectors become 1-row / 1-column matrices, stacks are padded.
    if ra == 1:
        a = _as_row(a, da)
        da = None if da is None else 0
    if rb == 1:
        b = _as_col(b, db)
        db = None if db is None else 0
    ra2, rb2 = max(ra, 2), max(rb, 2)
    n = max(ra2, rb2)
    if da is not None:
        a = _front_padded(a, da, n)
    if db is not None:
        b = _front_padded(b, db, n)
    out = L.matmul(a, b)
    s = _shape(out)
    if ra == 1 and rb == 1:  # pragma: no cover - handled above
        return S.reshape(out, shape=s[:-2]), 0
    if ra == 1:
        return S.reshape(out, shape=s[:-2] + s[-1:]), 0
    if rb == 1:
        return S.reshape(out, shape=s[:-1]), 0
    return out, 0


def _as_row(a, d):
    s = _shape(a)
    if d is None:
        return S.reshape(a, shape=(1,) + s)
    a = moveaxis_to_front(a, d)
    s = _shape(a)
    return S.reshape(a, shape=(s[0], 1) + s[1:])


def _as_col(b, d):
    if d is None:
        return S.reshape(b, shape=_shape(b) + (1,))
    b = moveaxis_to_front(b, d)
    return S.reshape(b, shape=_shape(b) + (1,))


batch_rules[L.matmul] = _matmul_rule


def _einsum_rule(vals, dims, subscripts):
    shapes = [per_example_shape(v, d) for v, d in zip(vals, dims)]
    ins, out = L._explicit(subscripts, shapes)
    used = set("".join(ins) + out)
    letter = next(c for c in string.ascii_letters if c not in used)
    terms, ops = [], []
    for term, v, d in zip(ins, vals, dims):
        if d is None:
            terms.append(term)
            ops.append(v)
        else:
            terms.append(letter + term)
            ops.append(moveaxis_to_front(v, d))
    spec = ",".join(terms) + "->" + letter + out
    return L.einsum(*ops, subscripts=spec), 0


batch_rules[L.einsum] = _einsum_rule


def _stack_rule(prim, multiple=False):
    """inv, det, logabsdet, cholesky, eigh: NumPy already maps over leading axes."""
    def rule(vals, dims, **params):
        (x,), (d,) = vals, dims
        out = bind(prim, [moveaxis_to_front(x, d)], params)
        return (out, (0,) * len(out)) if multiple else (out, 0)
    return rule


for _p in (L.inv, L.det, L.logabsdet, L.cholesky):
    batch_rules[_p] = _stack_rule(_p)
batch_rules[L.eigh] = _stack_rule(L.eigh, multiple=True)


def _solve_rule(vals, dims):
    (a, b), (da, db) = vals, dims
    ra, rb = _pe_ndim(a, da), _pe_ndim(b, db)
    vec = rb == 1
    if vec:
        b = _as_col(b, db)
        if db is not None:
            db = 0
        rb = 2
    n = max(ra, rb)
    if da is not None:
        a = _front_padded(a, da, n)
    if db is not None:
        b = _front_padded(b, db, n)
    if da is None:  # broadcast the unbatched matrix stack to the batch's rank
        a = S.reshape(a, shape=(1,) * (n + 1 - ra) + _shape(a))
    if db is None:
        b = S.reshape(b, shape=(1,) * (n + 1 - rb) + _shape(b))
    out = L.solve(a, b)
    if vec:
        out = S.reshape(out, shape=_shape(out)[:-1])
    return out, 0


batch_rules[L.solve] = _solve_rule


def _diagonal_rule(vals, dims, offset=0, axis1=0, axis2=1):
    (x,), (d,) = vals, dims
    r = _pe_ndim(x, d)
    x = moveaxis_to_front(x, d)
    return L.diagonal(x, offset=offset, axis1=int(axis1) % r + 1, axis2=int(axis2) % r + 1), 0


def _diag_embed_rule(vals, dims, shape, offset=0, axis1=0, axis2=1):
    (x,), (d,) = vals, dims
    r = len(shape)
    x = moveaxis_to_front(x, d)
    return L.diag_embed(x, shape=(_shape(x)[0],) + tuple(shape), offset=offset,
                        axis1=int(axis1) % r + 1, axis2=int(axis2) % r + 1), 0


batch_rules[L.diagonal] = _diagonal_rule
batch_rules[L.diag_embed] = _diag_embed_rule


# ---- the fallback: a loop over the batch ------------------------------------------------
_warned = set()


def loop_fallback(trace, prim, vals, dims, params):
    """Apply ``prim`` one example at a time and stack the results (batch axis 0)."""
    if prim.name not in _warned:
        _warned.add(prim.name)
        warnings.warn(
            f"vmap: primitive '{prim.name}' has no batching rule; falling back to a Python "
            f"loop over the batch (correct, but one call per example)", stacklevel=4)
    size = _axis_size(vals, dims)
    outs = []
    for i in range(size):
        args = [v if d is None else S.getitem(v, index=(slice(None),) * d + (i,))
                for v, d in zip(vals, dims)]
        outs.append(bind(prim, args, params))
    if prim.multiple_results:
        n = len(outs[0])
        return tuple(_stack([o[k] for o in outs]) for k in range(n)), (0,) * n
    return _stack(outs), 0


def _stack(xs):
    return S.concatenate(*[S.reshape(x, shape=(1,) + _shape(x)) for x in xs], axis=0)


set_fallback(loop_fallback)

#: The primitive families, for documentation and tests.
RULE_FAMILIES = {
    "elementwise": [p.name for p in _ELEMENTWISE],
    "reduction": ["sum", "max", "min", "any", "all", "logsumexp", "argmax", "argmin", "cumsum",
                  "cumprod", "argsort"],
    "shape": ["reshape", "transpose", "broadcast_to", "flip", "roll", "tile", "repeat", "pad",
              "triu", "tril", "concatenate"],
    "indexing": ["getitem", "getitem_transpose", "scatter_add", "scatter_set"],
    "linalg": ["matmul", "einsum", "inv", "det", "logabsdet", "cholesky", "eigh", "solve",
               "diagonal", "diag_embed"],
}
FALLBACK_PRIMITIVES = ["nonzero", "custom_vjp_call", "custom_jvp_call", "checkpoint"]
