"""Arrays of other libraries (Dask, CuPy, array-api-strict): the array-namespace seam.

The rules are written with NumPy's functions, and Dask and CuPy arrays route those to
their own (``np.sin(dask_array)`` is a Dask array), so most of chainrule runs on them
unchanged. What NumPy's dispatch cannot route is here: finding the namespace of the
operands (:func:`namespace_of`), creating arrays in it, and the few implementations
that branch on values or write in place on NumPy arrays, written once more without
either. Arrays that offer only the Array API standard (array-api-strict) take no NumPy
function at all: for them the ufunc families and a handful of structural primitives call
the standard's function of the namespace (:func:`standard_ufunc`, :func:`standard_call`).
Every caller tests for NumPy values first, so NumPy's path gains a type check at most.

>>> namespace_of(np.ones(2), 2.0) is np
True
"""

import itertools
import math
import operator

import numpy as np

from ..core.primitive import Tracer, full_lower, active_trace_count
from ..core.vspace import constants_into
from .dask_ops import taken_axis, take_transpose

__all__ = ["namespace_of", "is_numpy", "is_foreign", "is_lazy", "foreign_binary", "in_library_of",
           "array_api_only", "standard_call", "standard_concat", "standard_ufunc",
           "standard_dtype", "guard_lazy", "ufunc_primitive", "route_to_standard",
           "defer_to_tracers", "zero_wins", "by_blocks", "index_transpose", "may_alias",
           "copy_array", "value_error", "plain_lazy", "numpy_constants_into", "diag_embed_in",
           "unknown_shape", "unknown_shape_error", "standard_index",
           "lazy_scatter", "negation_of", "lazy_subclass"]

# Values NumPy computes with: they combine with any namespace.
_NUMPY_KINDS = (np.ndarray, np.generic, float, int, complex, bool)
_NOT_FOREIGN = _NUMPY_KINDS + (Tracer,)  # a tracer answers NumPy's protocol itself


def is_numpy(x):
    """True for NumPy arrays and scalars and Python numbers."""
    return isinstance(x, _NUMPY_KINDS)


def is_foreign(x):
    """True for an array of another library (Dask, CuPy, an Array API library): not NumPy,
    and speaking NumPy's dispatch protocol or the Array API's."""
    return not isinstance(x, _NOT_FOREIGN) and (hasattr(x, "__array_function__")
                                               or hasattr(x, "__array_namespace__"))


def namespace_of(*xs):
    """The array namespace of plain (untraced) operands: ``numpy`` itself for NumPy arrays,
    NumPy scalars and Python numbers (checked first, with no import), otherwise the
    library's standard namespace from ``array-api-compat``. Numbers and NumPy values
    combine with any namespace; arrays of two libraries do not.

    >>> namespace_of(np.ones(2), 2.0, None) is np
    True
    """
    others = [x for x in xs if x is not None and not isinstance(x, _NUMPY_KINDS)]
    if not others:
        return np
    try:
        import array_api_compat
    except ImportError:  # pragma: no cover - depends on what is installed
        raise TypeError(
            f"chainrule computes on {_library(others[0])} arrays through array-api-compat: "
            f"pip install 'chainrule[dask]' (or 'chainrule[cupy]')") from None
    try:
        return array_api_compat.array_namespace(*others)
    except TypeError as e:  # array-api-compat's own message lists the modules
        libs = sorted({_library(x) for x in others})
        raise TypeError(
            f"cannot combine arrays of different libraries ({' and '.join(libs)}) in one "
            f"operation: convert them to one library first (e.g. dask.array.from_array(x) "
            f"or cupy.asarray(x)); NumPy arrays and Python numbers combine with any") from e


def foreign_binary(op, ufunc, x, y):
    """``ufunc(x, y)`` where an operand is another library's array: after checking that
    the arrays share one library, through NumPy's dispatch where that library takes it
    (Dask, CuPy), else through the operator its standard defines (array-api-strict)."""
    xp = namespace_of(x, y)
    if is_lazy(x) or is_lazy(y):  # Dask takes NumPy operands itself
        return ufunc(x, y) if hasattr(x, "__array_ufunc__") and hasattr(y, "__array_ufunc__") \
            else op(x, y)
    # CuPy refuses NumPy arrays (a host-to-device copy it will not make implicitly) and
    # array-api-strict NumPy scalars too: a NumPy constant is moved to the device first.
    return op(*_numpy_into(xp, (x, y)))


def numpy_constants_into(vals):
    """``vals`` with its NumPy arrays moved into the library and onto the device of the
    array of another library among them (not Dask's, which takes NumPy operands itself):
    the form in which an interpreter records an operation's constants, so that the
    derivative rules' ``g * c`` meets two arrays of one library. ``vals`` itself when
    nothing is moved.

    >>> import numpy as np
    >>> numpy_constants_into((np.ones(2), 3.0))[0] is not None
    True
    """
    other = None
    for v in vals:
        low = full_lower(v) if isinstance(v, Tracer) else v
        if type(low) is not np.ndarray and is_foreign(low) and not is_lazy(low):
            other = low
            break
    if other is None:
        return vals
    xp = namespace_of(other)
    kw = _on_device_of(other)
    return tuple(xp.asarray(v, **kw) if type(v) is np.ndarray else v for v in vals)


constants_into[0] = numpy_constants_into


def _numpy_into(xp, args):
    # NumPy arrays and scalars other than Python's own, as arrays of ``xp`` (an Array API
    # library that refuses them as operands) on the device of the other operands (a second
    # GPU, not the default one); everything else as it is.
    device = next((d for a in args if (d := getattr(a, "device", None)) is not None
                   and not isinstance(a, (np.ndarray, np.generic))), None)
    kw = {} if device is None else {"device": device}
    return [xp.asarray(a, **kw) if isinstance(a, (np.ndarray, np.generic)) and type(a) is not float
            else a for a in args]


def _on_device_of(x):
    # ``device=`` for creating an array where ``x`` lives (its GPU for CuPy, not the current
    # one); nothing for libraries without devices (Dask).
    device = getattr(x, "device", None)
    return {} if device is None or isinstance(x, (np.ndarray, np.generic)) else {"device": device}


def in_library_of(c, x):
    """The derivative ``c`` for the input ``x``, in ``x``'s library: a derivative that no
    operation of that library touched (the cotangent of ``sum(x)`` is NumPy's ones) is
    moved there, chunked like ``x`` for Dask. NumPy inputs and traced values pass."""
    if not is_foreign(x):
        return c
    if isinstance(c, (np.ndarray, np.generic)):
        xp = namespace_of(x)
        out = xp.asarray(np.asarray(c), dtype=standard_dtype(xp, c.dtype), **_on_device_of(x))
    else:
        out = c
    chunks = getattr(x, "chunks", None)
    if chunks is not None and getattr(out, "chunks", chunks) != chunks:
        out = out.rechunk(chunks)
    return plain_lazy(out)


# ---- results the caller owns: another library's arrays, un-aliased in that library ----
def may_alias(x, others):
    """True when ``x``, another library's array, is one of ``others`` or may share memory
    with one of them (those of ``x``'s library; the rest are skipped). A Dask array is
    a graph, with no views: only the same object is shared (and ``x[0] = v`` would
    rebind it for its other holders). CuPy answers through NumPy's dispatch; an Array API
    library on the CPU through a DLPack view; where neither can tell, True (copy)."""
    same = [a for a in others if isinstance(a, type(x)) or isinstance(x, type(a))]
    if any(a is x for a in same):
        return True
    if not same or is_lazy(x):
        return False
    if hasattr(x, "__array_function__"):
        try:
            return any(bool(np.may_share_memory(x, a)) for a in same)
        except (TypeError, NotImplementedError):  # pragma: no cover - a library without it
            return True
    view = _host_view(x)
    views = [_host_view(a) for a in same]
    return view is None or any(v is None or np.may_share_memory(view, v) for v in views)


def _host_view(x):
    # A NumPy view of an array in host memory (DLPack, no copy), for comparing addresses;
    # None where there is none (another device, no DLPack).
    try:
        if x.__dlpack_device__()[0] != 1:  # 1: DLPack's CPU
            return None
        return np.from_dlpack(x)
    except (AttributeError, TypeError, ValueError, RuntimeError, BufferError):
        return None


def copy_array(x):
    """A copy of another library's array ``x``, in that library (a new Dask array object
    over the same graph: nothing is computed)."""
    if is_lazy(x):
        return x.copy()
    return namespace_of(x).asarray(x, copy=True)


# ---- arrays that speak only the Array API (array-api-strict): NumPy cannot route them ----
# NumPy's names that the standard spells differently.
_STANDARD_NAMES = {"arcsin": "asin", "arccos": "acos", "arctan": "atan", "arcsinh": "asinh",
                   "arccosh": "acosh", "arctanh": "atanh", "arctan2": "atan2", "power": "pow",
                   "absolute": "abs", "conjugate": "conj", "true_divide": "divide",
                   "transpose": "permute_dims", "concatenate": "concat"}
_FAST = frozenset({float, np.float64, np.float32, np.ndarray})


def array_api_only(x):
    """True for an array that NumPy's functions would silently convert to a NumPy array:
    one with the Array API's namespace and neither of NumPy's dispatch protocols."""
    return not isinstance(x, _NUMPY_KINDS) and not hasattr(x, "__array_function__") \
        and hasattr(x, "__array_namespace__")


def standard_call(name, *args, **kwargs):
    """The standard function ``name`` (NumPy's spelling accepted) of the arguments'
    namespace; a clear error when that namespace lacks it."""
    route_to_standard()
    xp = namespace_of(*[a for a in args if hasattr(a, "shape")])
    fn = getattr(xp, _STANDARD_NAMES.get(name, name), None)
    if fn is None:
        raise NotImplementedError(
            f"{name} is not provided by the array namespace {xp.__name__}, so chainrule "
            f"cannot compute it on "
            f"{_library(next((a for a in args if hasattr(a, 'shape')), args[0]))} arrays; "
            f"convert to NumPy first")
    return fn(*_numpy_into(xp, args), **kwargs)


def standard_linalg(name, *args, **kwargs):
    """``numpy.linalg``'s ``name`` for arrays that only the Array API describes: the
    function of the standard's ``linalg`` extension (``xp.linalg.name``), so that the
    result stays in the arrays' library (NumPy's function would convert them to NumPy
    arrays, silently); a clear error where the namespace has no such function.

    >>> standard_linalg("det", np.eye(2))
    np.float64(1.0)
    """
    xp = namespace_of(*[a for a in args if hasattr(a, "shape")])
    fn = getattr(getattr(xp, "linalg", None), name, None)
    if fn is None:
        lib = _library(next((a for a in args if hasattr(a, "shape")), args[0]))
        raise NotImplementedError(
            f"linalg.{name} is not provided by the array namespace {xp.__name__} (its "
            f"linalg extension), so chainrule cannot compute it on {lib} arrays; convert "
            f"to NumPy first")
    return fn(*_numpy_into(xp, args), **kwargs)


def standard_concat(arrays, axis=0):
    """The standard's ``concat`` of ``arrays`` (NumPy values among them moved into the
    arrays' namespace first)."""
    xp = namespace_of(*arrays)
    return xp.concat(_numpy_into(xp, arrays), axis=axis)


def standard_ufunc(fn):
    """``fn`` when it is not a NumPy ufunc; else the ufunc for NumPy values and the
    libraries NumPy dispatches to (Dask, CuPy), and the standard function of the same
    name for arrays that only the Array API describes."""
    if not isinstance(fn, np.ufunc):
        return fn
    name = fn.__name__
    # No **kwargs: elementwise primitives take none, and an empty dict per call would
    # cost NumPy's path more than the type test.
    if fn.nin == 1:
        def impl(x):
            if type(x) in _FAST or not array_api_only(x):
                return fn(x)
            return standard_call(name, x)
    else:
        def impl(x, y):
            if type(x) in _FAST and type(y) in _FAST or not (array_api_only(x)
                                                             or array_api_only(y)):
                return fn(x, y)
            return standard_call(name, x, y)
    impl.__name__ = impl.__qualname__ = name
    impl.__doc__ = fn.__doc__
    impl.ufunc = fn  # what it computes on NumPy's values (jit's generated code calls it)
    return impl


# Primitives whose implementation is a NumPy ufunc. Their implementation stays the ufunc
# itself, NumPy's path untouched, until the first array that only the Array API describes
# is differentiated; from then on it is :func:`standard_ufunc`'s wrapper.
_ufunc_primitives = []
_routed = [False]


def ufunc_primitive(prim):
    """Register ``prim`` (returned) for :func:`route_to_standard` if its implementation
    is a NumPy ufunc."""
    if isinstance(prim.impl, np.ufunc):
        _ufunc_primitives.append(prim)
        if _routed[0]:
            prim.impl = standard_ufunc(prim.impl)
    return prim


def route_to_standard(x=None):
    """From now on, ufunc primitives route array-API-only arrays to the standard functions
    (called when the first such array enters a transform), and the operators of ``x``'s
    class let chainrule's tracers answer (:func:`defer_to_tracers`)."""
    if not _routed[0]:
        _routed[0] = True
        for p in _ufunc_primitives:
            p.impl = standard_ufunc(p.impl)
    if x is not None and type(x) not in _deferring:
        defer_to_tracers(type(x))


# The binary operators whose right operand may be a tracer: arithmetic, comparisons and
# their in-place forms (an in-place form that answers NotImplemented falls back to the
# plain operator, then to the tracer's reflected one, as for any Python class).
_OPERATORS = tuple(f"__{p}{name}__" for name in (
    "add", "sub", "mul", "matmul", "truediv", "floordiv", "mod", "pow", "and", "or", "xor",
    "lshift", "rshift") for p in ("", "i")) + tuple(
    f"__{name}__" for name in ("lt", "le", "gt", "ge", "eq", "ne"))
_deferring = set()


def defer_to_tracers(cls):
    """Make ``cls``'s binary operators return ``NotImplemented`` when the other operand is
    a chainrule tracer, so that Python asks the tracer (``tracer.__rmul__``), as the data
    model expects of an operator that does not know its operand.

    array-api-strict raises ``TypeError`` there instead, so ``strict_array * tracer`` (a
    rule's cotangent times a primal under a second transform, or a closed-over constant
    times a traced value) would fail. Every other operand reaches the class's own operator
    unchanged. NumPy, Dask and CuPy already return ``NotImplemented``; their classes are
    never changed (only array-API-only classes reach this).
    """
    _deferring.add(cls)
    for name in _OPERATORS:
        op = getattr(cls, name, None)  # its own or inherited (then shadowed on cls)
        if op is None or op is getattr(object, name, None) or \
                getattr(op, "_defers_to_tracers", False):
            continue
        setattr(cls, name, _deferring_operator(op))


def _deferring_operator(op):
    def deferring(self, other):
        if isinstance(other, Tracer):
            return NotImplemented
        return op(self, other)
    deferring.__name__ = deferring.__qualname__ = op.__name__
    deferring.__doc__ = op.__doc__
    deferring._defers_to_tracers = True
    return deferring


def standard_dtype(xp, dt):
    """The dtype of namespace ``xp`` named like the NumPy dtype ``dt``."""
    return dt if xp is np or dt is None else getattr(xp, np.dtype(dt).name)


def _library(x):
    return type(x).__module__.split(".")[0]


def zero_wins(r, a, b=None):
    """``r`` with 0 where it is NaN and ``a`` (or ``b``) is exactly zero, as one lazy
    ``where`` (NaN-safe products, :mod:`chainrule.primitives.elementwise`)."""
    xp = namespace_of(r)
    if array_api_only(r):  # its operators refuse NumPy arrays (a rule's NumPy constant),
        a, b, _ = _numpy_into(xp, (a, b, r))  # moved to r's device (a, b may both be NumPy)
    zero = a == 0 if b is None else (a == 0) | (b == 0)
    return xp.where((r != r) & zero, 0, r)


def index_transpose(g, index, shape, chunks=None):
    """Zeros of ``shape`` with ``g`` written at ``index`` (the transpose of indexing), in
    ``g``'s namespace; for Dask, chunked as ``chunks`` (those of the indexed array) when
    given.

    For a slice of a Dask array, the result is chunked like the input, and each of its
    blocks is one task that writes the pieces of ``g``'s blocks falling into it into
    zeros (:func:`_placed_sum`): no rechunking of ``g``, whose chunks the forward pass
    has usually refined (``x[1:] - x[:-1]`` splits every block where the two slices'
    boundaries differ). The cotangents of several slices of one array (``x[1:]`` and
    ``x[:-1]``) then add up as one such task per block, the pieces of all of them added
    into one new block, where padding each and adding would write every block once per
    slice and once per sum."""
    if type(g) is not np.ndarray and _is_basic(index) and any(
            i is None for i in (index if isinstance(index, tuple) else (index,))):
        # x[None, 2:]: Dask cannot write at a new axis; the same write without it
        g, index = _without_new_axes(g, index, len(shape))
    if is_lazy(g) and _is_basic(index) and any(
            type(i) is int or isinstance(i, np.integer)
            for i in (index if isinstance(index, tuple) else (index,))):
        # x[1, ::-1]: Dask's item assignment fails at an integer next to a reversed
        # slice; an integer is the slice of length 1 with g's axis kept (then a slice of
        # step 1 takes the block-by-block sum below, as x[1:2] would)
        g, index = _integers_as_slices(g, index, shape)
    widths = _pad_widths(index, shape)
    if widths is not None and chunks is not None and is_lazy(g):
        g, negated = negation_of(g)
        return _placed_sum([(g, tuple(before for before, _ in widths), negated)], chunks)
    if widths is not None and hasattr(g, "__array_function__"):
        out = np.pad(g, widths)  # Dask's or CuPy's pad: Dask keeps g's chunks
        return out if chunks is None or out.chunks == chunks else out.rechunk(chunks)
    taken = taken_axis(index, len(shape)) if chunks is not None and is_lazy(g) else None
    if taken is not None:  # x[idx], x[:, idx]: scatter-added block by block
        return take_transpose(g, *taken, shape, chunks)
    xp = namespace_of(g)
    out = xp.zeros(tuple(shape), dtype=g.dtype, **_on_device_of(g))
    try:
        if _is_basic(index):
            out[standard_index(out, index) if array_api_only(out) else index] = g
        elif hasattr(out, "__array_ufunc__") and not is_lazy(out):
            np.add.at(out, index, g)  # CuPy's: repeated indices add up
        else:
            raise NotImplementedError("no unbuffered add at an integer-array index")
    except (NotImplementedError, TypeError, IndexError) as e:
        raise NotImplementedError(
            f"the derivative of x[{index!r}] needs an indexed write, which "
            f"{_library(g)} arrays do not support ({e}); index with slices, or compute "
            f"this part with NumPy arrays") from None
    if chunks is not None and getattr(out, "chunks", chunks) != chunks:
        out = out.rechunk(chunks)
    return out


def standard_index(x, index):
    """``index`` as the Array API standard spells NumPy's meaning for an array ``x`` that
    only the standard describes: a trailing ``...`` where the index names fewer axes than
    ``x`` has (``x[0]`` of a matrix, which array-api-strict refuses), NumPy index arrays
    as ``x``'s library's."""
    items = index if isinstance(index, tuple) else (index,)
    if any(type(i) is np.ndarray for i in items):  # (the standard allows no "..." with them)
        xp = namespace_of(x)
        return tuple(xp.asarray(i, **_on_device_of(x)) if type(i) is np.ndarray else i
                     for i in items)
    named = sum(1 for i in items if i is not None and i is not Ellipsis)
    if named < len(x.shape) and not any(i is Ellipsis for i in items):
        items = items + (Ellipsis,)
    return items


def lazy_scatter(x, v, index, add):
    """``x`` with ``v`` written (or, with ``add``, added) at the basic ``index``, where
    ``x`` or ``v`` is a Dask array: a new Dask array (Dask's item assignment on a copy;
    NumPy's version copies ``x`` into a NumPy array, which computes it)."""
    import dask.array as da
    dt = np.result_type(x.dtype if hasattr(x, "dtype") else x,
                        v.dtype if hasattr(v, "dtype") else v)
    out = da.asarray(x)
    out = out.astype(dt) if out.dtype != dt else out.copy()
    if not _is_basic(index) or any(i is None for i in (
            index if isinstance(index, tuple) else (index,))):
        raise NotImplementedError(
            f"x.at[{index!r}] on a Dask array needs an indexed write, which Dask has for "
            f"slices and integers only; index with those, or compute this part with NumPy "
            f"arrays")
    value = out[index] + v if add else da.broadcast_to(da.asarray(v), out[index].shape)
    if any(type(i) is int or isinstance(i, np.integer)
           for i in (index if isinstance(index, tuple) else (index,))):
        # Dask's item assignment fails at an integer next to a reversed slice (as in
        # index_transpose): integers as slices of length 1
        value, index = _integers_as_slices(value, index, out.shape)
    out[index] = value
    return out


def diag_embed_in(d, shape, offset=0, axis1=0, axis2=1):
    """Zeros of ``shape`` with ``d`` on the diagonal ``np.diagonal(out, offset, axis1,
    axis2)`` would read, for ``d`` of another library: built in ``d``'s library (a take and
    a where; NumPy's version writes into a view of a NumPy array, which would convert a
    Dask array, computing it, and make the result a NumPy array)."""
    xp = namespace_of(d)
    nd = len(shape)
    a1, a2 = axis1 % nd, axis2 % nd
    n1, n2 = shape[a1], shape[a2]
    dt = d.dtype  # the library's own
    kw = _on_device_of(d)
    length = d.shape[-1]
    if length == 0 or n1 == 0 or n2 == 0:
        return xp.zeros(tuple(shape), dtype=dt, **kw)
    # row r of the diagonal holds d[..., r - max(-offset, 0)]; rows off it read any element
    rows = np.clip(np.arange(n1) - max(-offset, 0), 0, length - 1)
    on = np.arange(n2)[None, :] - np.arange(n1)[:, None] == offset
    by_row = xp.take(d, xp.asarray(rows, **kw), axis=d.ndim - 1)
    core = xp.where(xp.asarray(on, **kw), by_row[..., :, None], xp.zeros((), dtype=dt, **kw))
    order = [k for k in range(nd) if k not in (a1, a2)] + [a1, a2]  # core's axes, in out's
    return xp.permute_dims(core, tuple(int(k) for k in np.argsort(order)))


def by_blocks(fn, *args):
    """``fn``, an elementwise implementation written for NumPy values, applied block by
    block to Dask operands (one task per block, ``fn``'s NumPy fast paths inside it)
    instead of as a graph of Dask operations: a NaN-safe product is then one pass over
    each block, where ``where(isnan(r) & (a == 0), 0, r)`` would be six."""
    namespace_of(*args)  # one library, or the clear error
    from dask.array.core import elemwise
    dt = np.result_type(*[a.dtype if is_lazy(a) else a for a in args])
    return elemwise(fn, *args, dtype=dt)


def is_lazy(x):
    """True for a Dask collection (anything with a task graph: computing it is a choice)."""
    return not isinstance(x, _NUMPY_KINDS) and hasattr(x, "__dask_graph__")


_guarded = {}  # Dask's Array class -> its subclass that refuses bool()


def guard_lazy(r):
    """``r`` (a comparison's result), as a Dask array whose ``bool()`` raises, when it is
    one: the same graph, so ``cnp.where(x > 0, a, b)`` and ``.compute()`` work as before."""
    if not is_lazy(r) or getattr(r, "ndim", None) is None:
        return r
    cls = type(r)
    sub = _guarded.get(cls)
    if sub is None:
        def refusing(name):
            plain = getattr(cls, name)

            def refuse(self):
                # Refused while a transformation runs; a comparison handed out of one
                # (in an aux output) is Dask's again afterwards.
                if active_trace_count():
                    raise value_error(self, "if/while/bool() on a comparison of traced values")
                return plain(self)
            return refuse
        sub = _guarded[cls] = type("LazyCondition", (cls,), dict(
            {name: refusing(name) for name in ("__bool__", "__float__", "__int__", "__index__")},
            __module__=cls.__module__))
    return sub(r.dask, r.name, r.chunks, meta=r._meta)


# ---- slices' cotangents of a Dask array, added into the array's blocks ------------------
_placed = {}  # Dask's Array class -> its subclass that remembers the pieces it sums


def _placed_sum(parts, chunks):
    """The sum of ``parts``, triples (``g``, ``starts``, ``negated``) of a Dask array,
    where its element 0 lies in the result and whether it is added negated, each padded
    with zeros to a result chunked as ``chunks``: one task per block, which adds the
    pieces of the ``g``'s blocks that fall into it into a new block (views of those
    blocks: no copy of them first)."""
    import dask.array as da
    from dask.highlevelgraph import HighLevelGraph
    dt = np.result_type(*[g.dtype for g, _, _ in parts])
    bounds = [np.cumsum((0,) + c).tolist() for c in chunks]
    per_part = [[_places(bounds[a], g.chunks[a], s[a]) for a in range(len(chunks))]
                for g, s, _ in parts]
    name = "slice_cotangents-" + _token(parts, chunks)
    meta = np.zeros_like(parts[0][0]._meta, shape=(0,) * len(chunks), dtype=dt)
    dsk = {}
    for block in np.ndindex(*[len(c) for c in chunks]):
        places, keys = [], []
        for i, ((g, _, negated), axes) in enumerate(zip(parts, per_part)):
            for combo in np.ndindex(*[len(axes[a][b]) for a, b in enumerate(block)]):
                hits = [axes[a][b][k] for a, (b, k) in enumerate(zip(block, combo))]
                keys.append((g.name,) + tuple(j for j, _, _ in hits))
                places.append((tuple(p for _, p, _ in hits), tuple(o for _, _, o in hits),
                               i == 0, negated))
        shape_ = tuple(c[b] for c, b in zip(chunks, block))
        dsk[(name,) + block] = (_add_pieces, meta, shape_, places) + tuple(keys)
    graph = HighLevelGraph.from_collections(name, dsk, dependencies=[g for g, _, _ in parts])
    base = _plain_type(type(parts[0][0]))
    cls = _placed.get(base)
    if cls is None:
        cls = _placed[base] = lazy_subclass(base, "SliceCotangents", {
            "__add__": _add_placed, "__radd__": _add_placed})
    out = cls(graph, name, chunks, meta=meta)
    out._placed_parts = parts
    out._placed_name = name  # a write into it (g[0] = 0 in a custom_vjp rule) renames it
    return out


# Beyond this many slices in one sum, sums are Dask's own (each sum rebuilds the graph of
# all the pieces: many slices of one array, x[i:i+3] in a loop, would cost quadratic time).
_MAX_PLACED = 16


def _add_placed(self, other):
    # The sum of two slices' cotangents of one array (chunked alike) is one _placed_sum of
    # all their pieces; anything else is Dask's own sum, and so is a sum where either was
    # written into since (its pieces are then no longer its value).
    if isinstance(other, type(self)) and other.chunks == self.chunks and \
            self.name == self._placed_name and other.name == other._placed_name and \
            len(self._placed_parts) + len(other._placed_parts) <= _MAX_PLACED:
        return _placed_sum(self._placed_parts + other._placed_parts, self.chunks)
    return super(type(self), self).__add__(other)


def plain_lazy(x):
    """``x`` as Dask's own Array class when it is a cotangent of slices (the subclass of
    :func:`index_transpose`, whose sums only the backward pass should see: the caller's
    ``+`` on it must be Dask's, after a ``h[0] = v`` too) or one value broadcast (see
    :mod:`chainrule.primitives.dask_cotangents`); the same graph. Anything else is
    returned as it is.

    >>> plain_lazy(2.0)
    2.0
    """
    if type(x) in _subclasses:
        return _plain_type(type(x))(x.dask, x.name, x.chunks, meta=x._meta)
    return x


_subclasses = set()  # the subclasses of Dask's Array that only the backward pass sees


def lazy_subclass(base, name, namespace):
    """A subclass ``name`` of Dask's Array class ``base`` with the methods of
    ``namespace``, for cotangents that know how they were made (a sum of slices', one
    value broadcast): :func:`plain_lazy` turns its arrays back into ``base``'s."""
    cls = type(name, (base,), dict(namespace, __module__=base.__module__,
                                   __array_function__=_plain_function))
    _subclasses.add(cls)
    return cls


def _plain_function(self, func, types, args, kwargs):
    # NumPy's functions see Dask's own class: Dask's dispatch refuses two sibling classes
    # (np.where of a guarded condition and such a cotangent) as types it does not know
    def plain(a):
        return type(a)(plain_lazy(i) for i in a) if type(a) in (list, tuple) else plain_lazy(a)
    return func(*[plain(a) for a in args], **{k: plain(v) for k, v in kwargs.items()})


def _plain_type(cls):
    return cls.__mro__[1] if cls in _subclasses else cls


def _places(bounds, g_chunks, start):
    # Per block of the result along one axis: the blocks j of g that overlap it, as
    # (j, the slice of block j, the slice of the result's block it lands in).
    out = [[] for _ in range(len(bounds) - 1)]
    lo_g = start
    b = 0
    for j, size in enumerate(g_chunks):
        hi_g = lo_g + size
        while b < len(out) and bounds[b + 1] <= lo_g:
            b += 1
        k = b
        while k < len(out) and bounds[k] < hi_g:
            lo, hi = max(bounds[k], lo_g), min(bounds[k + 1], hi_g)
            if hi > lo:
                out[k].append((j, slice(lo - lo_g, hi - lo_g),
                               slice(lo - bounds[k], hi - bounds[k])))
            k += 1
        lo_g = hi_g
    return out


def _token(parts, chunks):
    from dask.base import tokenize
    return tokenize([(g.name, s, negated) for g, s, negated in parts], chunks)


def negation_of(g):
    """(``u``, True) when the Dask array ``g`` is ``-u`` computed block by block (the
    cotangent of ``a - x`` for ``x``), else (``g``, False): the sum of slices' cotangents
    then subtracts ``u``'s pieces, and the negation, a pass over the data, is not run.
    Read from the last layer of ``g``'s graph; any other form of layer is left as it is."""
    try:
        from dask.blockwise import Blockwise
        layer = g.dask.layers[g.name]
        task = layer.task
        if not (isinstance(layer, Blockwise) and task.func in (np.negative, operator.neg)
                and len(task.args) == 1 and not task.kwargs and len(layer.indices) == 1
                and not layer.new_axes and not layer.concatenate):
            return g, False
        ((source, index),) = layer.indices
        if index is None or tuple(index) != tuple(layer.output_indices) or \
                tuple(layer.numblocks[source]) != tuple(g.numblocks):
            return g, False
        u = _plain_type(type(g))(g.dask, source, g.chunks, meta=g._meta)
    except (AttributeError, KeyError, TypeError, ValueError):
        return g, False
    return (u, True) if u.dtype == g.dtype else (g, False)


def _add_pieces(meta, shape, places, *pieces):
    # (a module-level function: Dask names the task by it instead of pickling a closure)
    # One block of the sum: the block is cut into cells where some piece begins or ends,
    # and each cell is written once, with the sum of the pieces covering it (one pass over
    # the output for two slices, where zeros, a copy and an add are three). The sum is
    # NumPy eager's, bit for bit: the first slice's piece written (a -0.0 stays -0.0), the
    # others added in the order of the sum, onto +0.0 where the first slice has no piece;
    # a negated piece subtracted (b - u is b + (-u) exactly, in IEEE arithmetic).
    cuts = [sorted({0, n} | {at[a].start for _, at, _, _ in places} |
                   {at[a].stop for _, at, _, _ in places}) for a, n in enumerate(shape)]
    if math.prod(len(c) - 1 for c in cuts) > _MAX_CELLS:
        return _add_pieces_whole(meta, shape, places, *pieces)
    cover = {}  # cell (its index along each axis) -> the pieces covering it, in order
    for (piece_at, out_at, first, negated), piece in zip(places, pieces):
        spans = [range(c.index(at.start), c.index(at.stop)) for c, at in zip(cuts, out_at)]
        for cell in itertools.product(*spans):
            cover.setdefault(cell, []).append((piece[piece_at], out_at, first, negated))
    out = np.empty_like(meta, shape=shape)
    dt = out.dtype
    for cell in itertools.product(*[range(len(c) - 1) for c in cuts]):
        at = tuple(slice(c[i], c[i + 1]) for c, i in zip(cuts, cell))
        terms = [(v[tuple(slice(o.start - w.start, o.stop - w.start)
                          for o, w in zip(at, wat))], negated)
                 for v, wat, _, negated in cover.get(cell, ())]
        target = out[at]
        if not terms:
            target[...] = 0
            continue
        if not cover[cell][0][2]:  # no piece of the first slice here: onto zeros
            terms.insert(0, (0.0, False))
        (a, minus_a), rest = terms[0], terms[1:]
        if rest and not (minus_a and rest[0][1]):  # a + b, a - b, or b - a: one pass
            (b, minus_b), rest = rest[0], rest[1:]
            if minus_a:
                np.subtract(b, a, out=target, dtype=dt)
            else:
                (np.subtract if minus_b else np.add)(a, b, out=target, dtype=dt)
        elif minus_a:
            np.negative(a, out=target, dtype=dt)
        else:
            target[...] = a
        for b, minus_b in rest:
            (np.subtract if minus_b else np.add)(target, b, out=target, dtype=dt)
    return out


# Beyond this many cells in one block (many slices cutting a block of many axes), the
# pieces are added into a block of zeros one by one instead (fewer, larger operations).
_MAX_CELLS = 256


def _add_pieces_whole(meta, shape, places, *pieces):
    # Zeros of the blocks' library (meta: NumPy's, or CuPy's for blocks on a GPU); the first
    # slice's pieces are written (they do not overlap, and a -0.0 stays -0.0, as in NumPy's
    # zeros-then-write), the others' added (or subtracted), in the order of the sum.
    out = np.zeros_like(meta, shape=shape)
    for (piece_at, out_at, first, negated), piece in zip(places, pieces):
        if first:
            if negated:
                np.negative(piece[piece_at], out=out[out_at], dtype=out.dtype)
            else:
                out[out_at] = piece[piece_at]
        elif negated:
            out[out_at] -= piece[piece_at]
        else:
            out[out_at] += piece[piece_at]
    return out


def _is_basic(index):
    # NumPy's integer scalars too (x[np.int64(1)], an index computed with NumPy); never a
    # bool (x[True] is a mask)
    return all(i is None or i is Ellipsis or type(i) in (slice, int) or isinstance(i, np.integer)
               for i in (index if isinstance(index, tuple) else (index,)))


def _without_new_axes(g, index, ndim):
    # (g without the length-1 axes that the index's Nones made, the index without them)
    items = index if isinstance(index, tuple) else (index,)
    taking = sum(1 for i in items if i is not None and i is not Ellipsis)  # x's axes named
    new, k = set(), 0
    for i in items:
        if i is None:
            new.add(k)
            k += 1
        elif i is Ellipsis:
            k += ndim - taking
        elif type(i) is slice:
            k += 1
    kept = tuple(n for j, n in enumerate(g.shape) if j not in new)
    return namespace_of(g).reshape(g, kept), tuple(i for i in items if i is not None)


def _integers_as_slices(g, index, shape):
    # (g with a length-1 axis where the index takes an integer, the index with the slice
    # of length 1 there): the same write. The index has no None (see _without_new_axes).
    items = index if isinstance(index, tuple) else (index,)
    named = sum(1 for i in items if i is not Ellipsis)
    out_items, g_shape, k = [], [], 0  # k: the axis of x; g's axes are consumed in order
    g_axes = iter(g.shape)
    for i in items:
        if i is Ellipsis:
            for _ in range(len(shape) - named):
                out_items.append(slice(None))
                g_shape.append(next(g_axes))
                k += 1
            continue
        if type(i) is slice:
            out_items.append(i)
            g_shape.append(next(g_axes))
        else:
            at = int(i) % shape[k]
            out_items.append(slice(at, at + 1))
            g_shape.append(1)
        k += 1
    g_shape.extend(g_axes)  # the axes after the index
    return namespace_of(g).reshape(g, tuple(g_shape)), tuple(out_items)


def _pad_widths(index, shape):
    # x[a:b] (step 1 on every axis) as the zeros before and after it, per axis; else None.
    index = index if isinstance(index, tuple) else (index,)
    if len(index) > len(shape) or not all(type(i) is slice and i.step in (None, 1)
                                           for i in index):
        return None
    widths = []
    for i, n in zip(index + (slice(None),) * (len(shape) - len(index)), shape):
        start, stop, _ = i.indices(n)
        widths.append((start, n - max(stop, start)))
    return widths


def unknown_shape(shape):
    """True when ``shape`` has a length Dask does not know (nan: after a boolean index)."""
    return any(n != n for n in shape)


def unknown_shape_error(what, shape):
    """The error for a Dask array of unknown chunk sizes where chainrule needs the shape
    (to expand a cotangent to it, to seed a derivative): building the graph there would
    fail, or give a graph that fails only when computed."""
    return ValueError(
        f"{what} has unknown chunk sizes (shape {tuple(shape)}: a boolean index, or another "
        f"operation whose lengths Dask learns only by computing), and chainrule needs the "
        f"shape to build the derivative. Call x.compute_chunk_sizes() on that array before "
        f"the transform (it computes the mask), or keep every element and weight them with "
        f"cnp.where(mask, x, 0) instead of x[mask]")


def value_error(x, what):
    """The error for Python control flow (``if``, ``float()``, ...) on a lazy value."""
    return TypeError(
        f"{what} needs the value of a traced {_library(x)} array, which is lazy: "
        f"chainrule does not compute it silently. Write the branch as data, "
        f"cnp.where(cond, a, b), or compute the value first (.compute()) outside the "
        f"differentiated function")
