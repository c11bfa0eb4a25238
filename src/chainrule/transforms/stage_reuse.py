"""Staged J·v programs reused across linearizations of the same structure.

A Newton-Krylov solve linearizes ``F`` once per Newton step, and each
linearization's J·v is staged (:func:`~chainrule.transforms.jit.staged_after`):
traced, optimised and compiled, which costs about as much as thirty J·v
products of a small stencil. Every Newton step records the same operations on
arrays of the same shapes; only the recorded values differ. So a staged
program is kept here under the *structure* of the tape it was staged from
(primitives, parameters, shapes, dtypes, Python numbers, which value feeds
which, which arrays are one object), with, for each array the program
captured, where on the tape it was found. A later tape with an equal
structure gets the same compiled code with its own arrays in those places:
no trace, no compile, staged from the first call.

Whatever cannot be located on the tape (an array a rule computed while the
program was traced, a custom rule's closure, a guard) makes the program not
reusable: it is then staged per linearization, as before.

>>> import numpy as np, chainrule as cr, chainrule.numpy as cnp
>>> f = lambda x: cnp.sin(x) * x
>>> _, j1 = cr.linearize(f, np.array([0.5, 1.0]))
>>> _, j2 = cr.linearize(f, np.array([2.0, 3.0]))
>>> v = np.array([1.0, -1.0])
>>> [np.array_equal(j(v), cr.jvp(f, (x,), (v,))[1]) for j, x in
...  ((j1, np.array([0.5, 1.0])), (j2, np.array([2.0, 3.0]))) for _ in range(10)][-1]
True
"""

import collections
import types

import numpy as np

from ..core import tree
from ..core.primitive import Primitive, active_trace_count
from ..interpreters import nan_checks
from ..interpreters.basis import basis_rows
from ..interpreters.reverse import equations
from ..interpreters.staged import GuardFailed
from .jit_entry import ArgumentsChanged

__all__ = ["tape_structure", "remember", "reuse"]

# structure -> ((code, name, defaults, closure), namespace without the arrays, the names of
# the function itself, {name: value index}, indices of the values that were all ones)
_TEMPLATES = collections.OrderedDict()
_LIMIT = 64


class _Unstructured(Exception):
    """The tape holds something whose structure is not described (never reused)."""


def tape_structure(tape, in_ids, inputs, out_ids, out_values, in_tree, out_tree):
    """``(key, values)`` for a recorded tape, or None when it cannot be described.

    ``values`` are the arrays (and NumPy scalars) of the tape in a fixed order;
    ``key`` is hashable and equal for two tapes exactly when they record the
    same operations, with equal parameters and Python numbers, on values of the
    same shapes and dtypes, fed in the same way, with the same arrays shared.
    """
    values, first = [], {}

    def value(v):
        t = type(v)
        if t is np.ndarray or isinstance(v, np.generic):
            i = first.get(id(v))
            if i is None:
                i = first[id(v)] = len(values)
                values.append(v)
            if t is np.ndarray:
                return ("a", i, v.shape, v.dtype.str)
            return ("g", i, v.dtype.str, v.tobytes())
        if v is None or t is bool or t is int or t is str:
            return (t, v)
        if t is float or t is complex:
            return (t, repr(v))  # repr: -0.0 and 0.0 are two literals
        if t is tuple or t is list:
            return (t,) + tuple(value(x) for x in v)
        if t is slice:
            return (t, value(v.start), value(v.stop), value(v.step))
        if t is dict and all(type(k) is str for k in v):
            return (t,) + tuple((k, value(x)) for k, x in v.items())
        if v is Ellipsis:
            return ("...",)
        if isinstance(v, np.dtype):
            return ("dtype", v.str)
        raise _Unstructured

    try:
        var = {vid: ("in", k) for k, vid in enumerate(in_ids)}
        key = [in_tree, out_tree, tuple(value(x) for x in inputs)]
        for n, (prim, params, vals, ans, parents, out, bwd) in enumerate(equations(tape)):
            if bwd is not None or type(prim) is not Primitive:
                raise _Unstructured  # a custom rule: its closure is not described
            src = []
            for p in parents:
                if p is not None and p not in var:
                    raise _Unstructured
                src.append(None if p is None else var[p])
            if type(out) is int:
                var[out] = ("eq", n)
            else:
                for j, o in enumerate(out):
                    var[o] = ("eq", n, j)
            key.append((prim, value(params), tuple(value(v) for v in vals), value(ans),
                        tuple(src)))
        for oid, o in zip(out_ids, out_values):
            if oid is None or oid not in var:
                raise _Unstructured  # an output that is a constant: staged as one
            key.append((var[oid], value(o)))
        key = tuple(key)
        hash(key)
    except (_Unstructured, TypeError):
        return None
    return key, values


def _plain(v):
    """True for what a program's namespace may share between tapes: code and immutable
    literals (anything else is either located on the tape or makes it not reusable)."""
    if v is None or v is Ellipsis or type(v) in (bool, int, float, complex, str, slice):
        return True
    if type(v) is tuple:
        return all(_plain(x) for x in v)
    return isinstance(v, (type, types.ModuleType, types.FunctionType, types.BuiltinFunctionType,
                          np.ufunc, np.dtype)) or type(v).__name__ == "_ArrayFunctionDispatcher"


def remember(key, values, run):
    """Keep ``run`` (a staged program's compiled function, staged from the tape that
    ``key, values`` describe) when every array it captured is found in ``values``."""
    if key in _TEMPLATES:
        return
    ns = run.__globals__
    where = {id(v): i for i, v in enumerate(values)}
    slots = {}
    literals = ns.get("__literal_arrays__", ())  # read-only 0-d arrays of the code's floats
    for name, v in ns.items():
        if name == "__builtins__" or v is run or name in literals:
            continue
        if type(v) is np.ndarray or isinstance(v, np.generic):
            i = where.get(id(v))
            if i is None:
                return  # computed while tracing: not a value of the tape
            slots[name] = i
        elif name == "__guards__":
            if v:
                return  # a guarded program depends on more than the structure
        elif name == "_debug_nans":
            if v is not nan_checks.depth:
                return
        elif v is basis_rows:
            return  # chosen because a value of the tape was an identity matrix
        elif type(v) is types.FunctionType and v.__globals__ is ns:
            return  # a second function reading these globals: not rebound below
        elif not _plain(v):
            return
    # a product with one of these was dropped (or may have been): they must stay ones,
    # also those the code reads elsewhere (x * c dropped, x @ c kept)
    ones = [i for i, v in enumerate(values) if _all_ones(v)]
    # Only the code and a namespace without the tape's arrays (and without the function,
    # whose globals hold them) are kept: a kept program never keeps a solve's data alive.
    skeleton = {name: (None if name in slots or v is run else v) for name, v in ns.items()}
    selves = [name for name, v in ns.items() if v is run]
    _TEMPLATES[key] = ((run.__code__, run.__name__, run.__defaults__, run.__closure__),
                       skeleton, selves, slots, ones)
    while len(_TEMPLATES) > _LIMIT:
        try:
            _TEMPLATES.popitem(last=False)
        except KeyError:
            break


def _all_ones(v):
    """The test the optimiser makes before it drops a product with a constant (x * 1)."""
    if type(v) is np.ndarray and v.dtype.kind == "f" and v.size:
        if not any(v.strides):  # a broadcast value: the optimiser reads its one value
            return bool(v.flat[0] == 1)
        return v.size <= 1 << 16 and bool(np.all(v == 1))
    return isinstance(v, np.floating) and v == 1


def _same(a, b):
    la, lb = tree.leaves(a), tree.leaves(b)
    return len(la) == len(lb) and all(
        type(x) is type(y) and np.shape(x) == np.shape(y) and np.array_equal(x, y, equal_nan=True)
        for x, y in zip(la, lb))


def _identical(a, b):
    la, lb = tree.leaves(a), tree.leaves(b)
    return len(la) == len(lb) and all(
        type(x) is type(y) and np.result_type(x) == np.result_type(y)
        and np.shape(x) == np.shape(y) and np.asarray(x).tobytes() == np.asarray(y).tobytes()
        for x, y in zip(la, lb))


def _probe(args):
    """Tangents shaped like ``args`` with random, dense, nonzero entries, or None when a
    leaf is not a float or complex number or array. Two linear maps that agree on such
    a tangent are one map (but for a null set); a call's own tangent proves less (a zero
    or one-hot tangent hides most of the map)."""
    leaves, struct = tree.flatten(args)
    rng = np.random.default_rng(0)
    out = []
    for x in leaves:
        dt = np.result_type(x)
        if dt.kind not in "fc" or type(x) not in (np.ndarray, float, complex) and \
                not isinstance(x, np.inexact):
            return None
        r = rng.uniform(0.5, 2.0, np.shape(x)) * rng.choice((-1.0, 1.0), np.shape(x))
        if dt.kind == "c":
            r = r + 1j * rng.uniform(0.5, 2.0, np.shape(x))
        r = np.asarray(r, dtype=dt)
        out.append(r if type(x) is np.ndarray else type(x)(r[()]))
    return tree.unflatten(struct, out)


def reuse(key, values, fn, restage):
    """A staged version of ``fn`` (whose tape ``key, values`` describe) built from a
    program remembered for an equal structure, or None. It runs ``fn`` itself inside
    other transformations, under debug_nans, and for arguments the program does not
    take (it checks them: shapes, dtypes, structure).

    Its first call also runs ``fn`` and compares, on the call's tangent and on a dense
    random one: the optimiser may have used a value of the tape the program was staged
    from (a product with an array of ones is dropped, or with a rule's ``sign(x)``), so a
    result that differs drops the remembered program, and this function is staged on
    its own (``restage()``), as without reuse."""
    found = _TEMPLATES.get(key)
    if found is None:
        return None
    (code, name, defaults, closure), skeleton, selves, slots, ones = found
    if not all(_all_ones(values[i]) for i in ones):
        _TEMPLATES.pop(key, None)  # (pop, move_to_end: another thread may have dropped it)
        return None
    try:
        _TEMPLATES.move_to_end(key)
    except KeyError:
        pass
    ns = dict(skeleton)
    for slot, i in slots.items():
        ns[slot] = values[i]
    run = types.FunctionType(code, ns, name, defaults, closure)
    for slot in selves:
        ns[slot] = run
    state = [None]  # None: not checked yet; then the function to call

    def staged(*args):
        if active_trace_count() or nan_checks.active():
            return fn(*args)
        use = state[0]
        if use is not None:
            return use(*args)
        want = fn(*args)
        try:
            got = run(args)
        except (ArgumentsChanged, GuardFailed):
            return want  # arguments the program does not take: checked on the next call
        # and on a dense random tangent: a rule may have decided on a recorded value while
        # the program was staged (abs's sign(x), all ones and dropped), which a zero or
        # one-hot first tangent does not show
        probe = _probe(args)
        same = probe is not None and _same(got, want)
        if same:
            try:
                same = _identical(run(probe), fn(*probe))
            except (ArgumentsChanged, GuardFailed):
                same = False
        if same:
            state[0] = lambda *a: _call(run, fn, a)
        else:
            _TEMPLATES.pop(key, None)
            state[0] = restage()
        return want
    return staged


def _call(run, fn, args):
    try:
        return run(args)
    except (ArgumentsChanged, GuardFailed):
        return fn(*args)
