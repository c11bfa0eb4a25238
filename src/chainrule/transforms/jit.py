"""``jit``: trace a function once (with every transform inside it), replay it as
generated NumPy code.

The first call with given argument shapes runs the function on a
:class:`~chainrule.interpreters.staging.StagingTrace`: everything is computed
as eagerly, and every primitive (of the forward pass and, for ``jit(grad(f))``,
of the backward pass too) is recorded. The record is optimised and emitted as
straight-line Python (:mod:`chainrule.interpreters.staged`); later calls with
the same pytree structure, shapes, dtypes and static arguments run that code.

See docs/jit.md for guards, the cache, what is watched between calls, and limits.

>>> import numpy as np, chainrule as cr, chainrule.numpy as cnp
>>> df = cr.jit(cr.grad(lambda x: cnp.sum(cnp.sin(x) ** 2)))
>>> np.allclose(df(np.arange(3.0)), np.sin(2 * np.arange(3.0)))
True
>>> df(np.ones(3)).shape, df.trace_count       # same shapes: replayed, not traced again
((3,), 1)
"""

import collections
import math
import functools
import inspect
import keyword
import warnings
from types import GeneratorType

import numpy as np

from ..core import tree
from ..core.graph import Graph
from ..core.primitive import Tracer, active_trace_count
from .args import check_callable, check_returned, matrix_error
from ..primitives.arrays import is_foreign
from ..interpreters.staging import StagingTrace, StagingTracer, Const, Eqn, NotStageable
from ..interpreters.staged import optimize, emit, GuardFailed, CompiledProgram, peak_bytes
from ..interpreters.staged import operator_forms, may_alias_inputs, fresh_primitives
from ..interpreters.staged import view_primitives
from ..interpreters import nan_checks, fusion
from ..primitives import elementwise
from ..primitives.basic import reduce_sum, reshape, transpose
from .watch import Watch, random_states, random_changed
from .jit_entry import fast_signature, entry_code, ArgumentsChanged, Fast, _static_key
from . import stage_reuse

__all__ = ["jit", "Jitted", "Lowered", "JitFallbackWarning"]


# Written as operators in generated code where the implementations use them (see staged).
operator_forms.update({elementwise.add: "+", elementwise.subtract: "-", elementwise.multiply: "*",
                       elementwise.divide: "/"})
# A sum is a new array (a result of it never needs the aliasing check).
fresh_primitives.add(reduce_sum)
# Their result is a view of their input (or a copy): it shares memory with nothing else.
view_primitives.update({reshape, transpose})
# Fused by numexpr where it is installed (see fusion): what these compute on float64 arrays.
fusion.primitive_forms.update({
    elementwise.add: "({0} + {1})", elementwise.subtract: "({0} - {1})",
    elementwise.multiply: "({0} * {1})", elementwise.divide: "({0} / {1})",
    elementwise.negative: "(-{0})", elementwise.nan_safe_multiply: fusion.ZERO_WINS_PRODUCT})


def refuse_staging(values, message):
    """Raise :class:`NotStageable` (``message``) when one of ``values`` is a value jit is
    staging: for code that runs on NumPy values (an iterative solver), so that jit runs
    the function calling it eagerly."""
    if any(isinstance(v, StagingTracer) for v in values):
        raise NotStageable(message)


class JitFallbackWarning(UserWarning):
    """A jitted function's guards kept failing: it runs eagerly for those arguments."""


def jit(f, static_argnums=(), donate_argnums=(), max_variants=8, cache_size=64, fuse=False):
    """Stage ``f``: trace it once per argument signature, then replay generated code.

    ``f`` may contain any transforms (``jit(grad(f))``, ``jit(hvp)``,
    ``jit(vmap(grad(f)))``); results equal eager chainrule's. A branch or
    conversion on a traced value becomes a guard: a call that would take
    another path traces again (at most ``max_variants`` variants per
    signature, then eager with one :class:`JitFallbackWarning`).
    ``static_argnums`` are hashable arguments baked into the program (one
    program per value). ``donate_argnums`` is accepted as a hint only: NumPy
    cannot reuse a caller's buffer, so nothing is donated. ``fuse=True`` evaluates
    chains of elementwise float64 operations on large arrays with ``numexpr`` where it is
    installed (see :mod:`chainrule.interpreters.fusion`; measured slower than NumPy on one
    thread, so off by default). Called with tracers of an outer transformation
    (``grad(jit(f))``, ``vmap(jit(f))``), ``f`` runs inline, as if not jitted (with plain
    arrays inside one, a replay gives the same values). ``jit`` returns a plain function
    with ``trace_count``, ``clear_cache()``, ``lower(*args)`` and ``jitted`` attributes.

    >>> import chainrule as cr, chainrule.numpy as cnp
    >>> f = cr.jit(lambda x: x * 2 if x > 0 else -x)
    >>> f(3.0), f(-1.0), f.trace_count   # the branch is a guard: -1.0 traces again
    (6.0, 1.0, 2)
    """
    check_callable(f, "jit")
    if isinstance(static_argnums, (int, np.integer)):
        static_argnums = (static_argnums,)
    if isinstance(donate_argnums, (int, np.integer)):
        donate_argnums = (donate_argnums,)
    _check_argnums(f, tuple(static_argnums), "static_argnums")
    static_argnums = tuple(int(i) for i in static_argnums)  # (np.int64: a plain int key)
    return Jitted(f, tuple(static_argnums), tuple(donate_argnums), max_variants,
                  cache_size, fuse=fuse).function


def _check_argnums(f, argnums, name):
    """Refuse an index that names no positional parameter of ``f`` (as JAX does): an
    argument that can never be passed would be silently ignored."""
    try:
        params = inspect.signature(f).parameters.values()
    except (TypeError, ValueError):  # a builtin or callable without a signature
        return
    if any(p.kind is p.VAR_POSITIONAL for p in params):
        return
    n = sum(p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) for p in params)
    for i in argnums:
        if not isinstance(i, (int, np.integer)) or isinstance(i, bool) or not -n <= i < n:
            raise ValueError(
                f"jit: {name}={argnums!r} names argument {i!r}, but the function takes "
                f"{n} positional argument{'s' if n != 1 else ''}; give indices in "
                f"range({n}) (negative ones count from the end)")


class _Unwatched:
    """For functions of chainrule's own whose captured values never change (a recorded
    tape): nothing to compare between calls."""

    generators = ()

    def watches_anything(self):
        return False

    def unchanged(self):
        return True


def staged_after(fn, calls, structure=None):
    """``fn`` run as it is for its first ``calls`` calls, then staged (jit): for functions
    of the library called many times with new values of the same shapes (linearize's J·v
    in a Krylov loop) that read nothing but their arguments and recorded values. Staging
    costs a few calls, so a function called only a few times is never staged. Inside a
    transformation it always runs as it is.

    ``structure`` (``(key, values)`` from :func:`~.stage_reuse.tape_structure`) describes
    the tape ``fn`` replays: a program staged for an equal structure before is reused at
    once with these values (no trace), and this one's program is kept for the next.

    >>> import chainrule as cr, chainrule.numpy as cnp
    >>> double = staged_after(lambda v: 2.0 * cnp.sin(v), 1)
    >>> xs = (0.0, 1.0, 2.0)
    >>> [float(double(x)) for x in xs] == [2.0 * float(cnp.sin(x)) for x in xs]
    True
    >>> double.jitted.trace_count
    1
    """
    jitted = Jitted(fn, (), (), 8, 8, watch=False)
    if structure is not None:
        again = stage_reuse.reuse(structure[0], structure[1], fn,
                                  lambda: staged_after(fn, calls))
        if again is not None:
            again.jitted = jitted
            return again
    count = [0]

    @functools.wraps(fn)
    def run(*args):
        if count[0] < calls:
            count[0] += 1
            return fn(*args)
        if structure is not None and count[0] == calls:
            count[0] += 1
            out = jitted.function(*args)
            if jitted.trace_count == 1 and jitted._fast is not None:
                stage_reuse.remember(structure[0], structure[1], jitted._fast)
            return out
        return jitted.function(*args)
    run.jitted = jitted
    return run


class _Entry:
    """The programs traced for one argument signature."""

    __slots__ = ("variants", "eager")

    def __init__(self):
        self.variants = []
        self.eager = False


def _unaliased(outs, inputs):
    """``outs`` with every array that shares memory with an argument copied: what a jitted
    function returns never aliases its caller's arrays (``jit(lambda x: x)``, ``x[1:]``),
    like every transform's results."""
    arrays = [x for x in inputs if type(x) is np.ndarray]
    if not arrays:
        return outs
    return tuple(o.copy() if type(o) is np.ndarray and any(np.may_share_memory(o, a)
                                                           for a in arrays) else o
                 for o in outs)


class _Variant:
    """One traced program of a signature. ``program.run`` returns the call's result (its
    pytree, outputs un-aliased from the arguments); it takes the call's argument tuple
    (and keyword dict, when ``keywords``) when ``takes_args`` (a fast signature: the
    program checks it), else the input leaves."""

    __slots__ = ("program", "takes_args", "keywords", "watch", "stats", "peak")

    def __init__(self, program, takes_args, keywords, watch, stats, peak):
        self.program, self.takes_args, self.watch = program, takes_args, watch
        self.keywords = keywords
        self.stats, self.peak = stats, peak

    def run(self, args, kwargs):
        if self.keywords:
            return self.program.run(args, kwargs)
        return self.program.run(args)


# Names the entry and result code write as they are: no input may take them.
_RESERVED = frozenset({"_args", "_kwargs", "_ArgumentsChanged", "_ndarray", "_debug_nans",
                       "_unflatten"})


def _entry(args, kwargs, static, idents, new_name, watch):
    """The entry of a program traced at ``args`` (see :func:`entry_code`); it tests first
    that debug_nans is off (else f runs eagerly, where the checks apply) and that what the
    function captured is unchanged."""
    tests, ns = ["_debug_nans[0]"], {"_debug_nans": nan_checks.depth}
    if watch is not None and watch.watches_anything():
        more, watched = watch.check_code(new_name)
        tests += more
        ns.update(watched)
    params, lines, entry_ns = entry_code(args, kwargs, static, idents, new_name, tests)
    ns.update(entry_ns)
    return params, lines, ns


def _result_code(out_tree):
    """``result`` for :func:`emit`: the output leaves built into ``out_tree``'s pytree,
    written out for tuples, lists and dicts (keys read from the namespace), else by
    :func:`tree.unflatten`."""
    def result(rets, new_name):
        ns, it = {}, iter(rets)

        def build(node, depth):
            if node.kind == "leaf":
                return next(it)
            if node.kind == "none":
                return "None"
            if depth > 20 or node.kind not in ("tuple", "list", "dict"):
                raise LookupError  # written by unflatten
            parts = [build(c, depth + 1) for c in node.children]
            if node.kind == "tuple":
                return f"({''.join(p + ', ' for p in parts)})"
            if node.kind == "list":
                return f"[{', '.join(parts)}]"
            keys = []
            for k in node.aux:
                keys.append(new_name("_key"))
                ns[keys[-1]] = k
            return "{" + ", ".join(f"{k}: {p}" for k, p in zip(keys, parts)) + "}"

        try:
            return build(out_tree, 0), ns
        except LookupError:
            name = new_name("_out_tree")
            return (f"_unflatten({name}, ({''.join(r + ', ' for r in rets)}))",
                    {"_unflatten": tree.unflatten, name: out_tree})
    return result


class Jitted:
    """The state of a jitted function (see :func:`jit`), which is its ``function``: a plain
    Python function (the cheapest kind to call) with the attributes ``trace_count`` (the
    traces so far), ``clear_cache()`` (drops every program), ``lower(*args)`` (traces
    without caching and returns a :class:`Lowered`) and ``jitted`` (this object).
    """

    def __init__(self, f, static_argnums, donate_argnums, max_variants, cache_size, watch=True,
                 fuse=False):
        functools.update_wrapper(self, f)
        self.fuse = fuse
        self.fun = f
        self.static_argnums = static_argnums
        self.donate_argnums = donate_argnums
        self.max_variants = max_variants
        self.cache_size = cache_size
        self._cache = collections.OrderedDict()
        # the run of the program last run, when it checks its arguments: of a call
        # without keywords (run(args)), and of one with (run(args, kwargs))
        self._fast = self._fast_kw = None
        self._warned = False
        self._watch = watch
        self.function = self._function()
        self.trace_count = 0

    @property
    def trace_count(self):
        return self._traces

    @trace_count.setter
    def trace_count(self, n):
        self._traces = self.function.trace_count = n

    def clear_cache(self):
        """Forget every staged program (the next call traces again)."""
        self._cache.clear()
        self._fast = self._fast_kw = None

    # ---- calling --------------------------------------------------------------------------
    def _function(self):
        jitted = self

        def call(*args, **kwargs):
            # The fast path: the program last run checks the arguments itself (types,
            # shapes, dtypes, pytree structure, debug_nans off) and raises ArgumentsChanged
            # when they differ. Tracers of an outer transformation never pass its type
            # checks; concrete arguments inside one give the same result replayed as inline.
            if kwargs:
                fast = jitted._fast_kw
                if fast is not None:
                    try:
                        return fast(args, kwargs)
                    except (ArgumentsChanged, GuardFailed):
                        pass
            else:
                fast = jitted._fast
                if fast is not None:
                    try:
                        return fast(args)
                    except (ArgumentsChanged, GuardFailed):
                        pass
            return jitted._call(args, kwargs)

        functools.update_wrapper(call, self.fun)
        call.clear_cache = self.clear_cache
        call.lower = self.lower
        call.jitted = self
        return call

    def __call__(self, *args, **kwargs):
        return self.function(*args, **kwargs)

    def _call(self, args, kwargs):
        if active_trace_count() or nan_checks.active():
            # inside a transformation: run inline; under debug_nans: eagerly, where the
            # checks apply
            return self.fun(*args, **kwargs)
        self._set_fast(None, kwargs)
        sig = fast_signature(args, kwargs, self._static(args))
        if sig is None:
            sig = self._signature(args, kwargs)
            if sig is None:
                return self.fun(*args, **kwargs)
        key, leaves, boxed = sig
        cache = self._cache
        entry = cache.get(key)
        if entry is None:
            entry = cache[key] = _Entry()
            if len(cache) > self.cache_size:
                cache.popitem(last=False)
        elif len(cache) > 1:
            cache.move_to_end(key)
        if entry.eager:
            return self.fun(*args, **kwargs)
        inputs = None
        failed = None
        for v in entry.variants:
            if not v.watch.unchanged():
                entry.variants = [u for u in entry.variants if u is not v]
                continue
            try:
                if v.takes_args:
                    out = v.run(args, kwargs)
                else:
                    if inputs is None:
                        inputs = [x for x, b in zip(leaves, boxed) if b]
                    out = v.program.run(*inputs)
            except GuardFailed as e:
                failed = v.program.guards[e.index]
                continue
            if v.takes_args:
                self._set_fast(v.program.run, kwargs)
            return out
        if len(entry.variants) >= self.max_variants:
            entry.eager = True
            entry.variants = []
            self._fallback_warning(failed)
            return self.fun(*args, **kwargs)
        try:
            variant, result = self._trace(args, kwargs, leaves, boxed)
        except NotStageable as e:
            # (a solver on NumPy values inside f): f runs eagerly for these arguments
            entry.eager = True
            entry.variants = []
            warnings.warn(f"jit({_name(self.fun)}): {e}; it runs eagerly for these arguments",
                          JitFallbackWarning, stacklevel=3)
            return self.fun(*args, **kwargs)
        entry.variants.append(variant)
        if variant.takes_args:
            self._set_fast(variant.program.run, kwargs)
        return result

    def _set_fast(self, run, kwargs):
        if kwargs:
            self._fast_kw = run
        else:
            self._fast = run

    def _fallback_warning(self, guard):
        if self._warned:
            return
        self._warned = True
        where = guard.line if guard is not None and guard.line else "an unknown line"
        warnings.warn(
            f"jit({_name(self.fun)}): {self.max_variants} programs were traced for arguments "
            f"of the same shapes and the guard at {where} keeps failing (a branch or a loop "
            f"count that depends on the values); these arguments now run eagerly. Mark the "
            f"deciding argument static (static_argnums) or keep the decision out of the "
            f"jitted function.", JitFallbackWarning, stacklevel=3)

    def _signature(self, args, kwargs):
        """(key, leaves, boxed) for these arguments, or None when a leaf is a tracer."""
        statics = []
        dynamic = []
        n = len(args)
        static = {i % n for i in self.static_argnums if -n <= i < n} if n else set()
        for i, a in enumerate(args):
            if i in static:
                try:
                    hash(a)
                except TypeError:
                    raise TypeError(
                        f"jit: static argument {i} must be hashable (it becomes part of the "
                        f"cache key), got a {type(a).__name__}; pass it as a tuple, or make "
                        f"it a regular argument") from None
                statics.append((i,) + _static_key(a))
            else:
                dynamic.append(a)
        leaves, tdef = tree.flatten((tuple(dynamic), kwargs))
        kinds = []
        boxed = []
        for k, x in enumerate(leaves):
            t = type(x)
            if t is not np.ndarray and isinstance(x, np.ndarray) and not isinstance(x, Tracer):
                # A subclass (np.memmap, a user's): the program reads it as a plain array
                # (a view of the caller's memory); np.matrix's * is not an array's.
                if isinstance(x, np.matrix):
                    raise matrix_error("jit")
                x = leaves[k] = x.view(np.ndarray)
                t = np.ndarray
            if t is np.ndarray and x.dtype.kind in "biufc":
                kinds.append((x.shape, x.dtype))
                boxed.append(True)
            elif t is np.ndarray:  # strings, objects: passed as they are, watched by value
                kinds.append(("array", id(x), x.shape, x.dtype))
                boxed.append(False)
            elif t is float or t is complex:
                kinds.append(t)
                boxed.append(True)
            elif t is int or t is bool:  # keyed by value: computed as Python computes
                kinds.append((t, x))
                boxed.append(False)
            elif isinstance(x, _NUMERIC_SCALARS):
                kinds.append((t, x.dtype))
                boxed.append(True)
            elif isinstance(x, Tracer):
                return None
            else:  # a str, or another object: part of the key, passed as it is
                if is_foreign(x):
                    raise TypeError(
                        f"jit: an argument is an array of {type(x).__module__.split('.')[0]}; "
                        f"jit compiles programs over NumPy arrays and numbers only. Call the "
                        f"function without jit (grad, vjp, jvp, vmap and the other transforms "
                        f"take such arrays as they are), or pass a NumPy array")
                try:
                    hash(x)
                except TypeError:
                    raise TypeError(
                        f"jit: an argument leaf of type {type(x).__name__} is neither an array "
                        f"nor a number nor hashable (static_argnums needs a hashable value "
                        f"too); close over it (jit(lambda x: f(x, obj))), or pass it as an "
                        f"array") from None
                kinds.append(("static", t, x))
                boxed.append(False)
        return (tdef, tuple(kinds), tuple(statics)), leaves, boxed

    # ---- tracing --------------------------------------------------------------------------
    def _stage(self, args, kwargs, leaves, boxed):
        """Run ``f`` on a staging trace: (trace, output leaves, output tree, watch)."""
        # What f reads besides its numeric inputs: its closure and globals, and the objects
        # passed as they are (static arguments, non-numeric leaves such as a method's self).
        passed = [x for x, b in zip(leaves, boxed) if not b]
        passed += [args[i] for i in self._static(args)]
        # (a tuple: walked, not watched as a list would be, since it is jit's own)
        watch = Watch((self.fun, tuple(passed)), skip=(self,)) if self._watch else _Unwatched()
        before = random_states(watch.generators)
        trace = StagingTrace()
        try:
            tracers = [trace.new_input(x) if b else x for x, b in zip(leaves, boxed)]
            trace.context = ([x for x in leaves if type(x) is np.ndarray], [])
            n = len(args)
            static = {i % n for i in self.static_argnums if -n <= i < n} if n else set()
            dyn_tree = tree.structure((tuple(a for i, a in enumerate(args) if i not in static),
                                       kwargs))
            dyn_args, dyn_kwargs = tree.unflatten(dyn_tree, tracers)
            it = iter(dyn_args)
            call_args = [args[i] if i in static else next(it) for i in range(n)]
            out = self.fun(*call_args, **dyn_kwargs)
        finally:
            trace.finish()
        if type(out) is GeneratorType:  # it would run later, on this trace's dead tracers
            check_returned(out, f"jit({_name(self.fun)})")
        drawn = random_changed(before, watch.generators)
        if drawn is not None:
            raise RuntimeError(
                f"jit({_name(self.fun)}): the function drew random numbers from {drawn} while "
                f"it was traced; a replay would repeat the same numbers. Draw them outside "
                f"and pass them as arguments (e.g. noise = rng.standard_normal(shape); "
                f"f(x, noise)), or do not jit this function.")
        out_leaves, out_tree = tree.flatten(out)
        for const, snap in trace.consts:  # a constant changed while tracing: keep its value
            if not np.array_equal(const, snap, equal_nan=True):
                trace.subst.pop(id(const), None)
                for s in trace.steps:
                    if type(s) is Eqn:
                        for a in s.ins:
                            if type(a) is Const and a.value is const:
                                a.value = snap
        return trace, out_leaves, out_tree, watch

    def _program(self, trace, out_leaves, names, optimise=True, out_tree=None, args=None,
                 kwargs=None, watch=None):
        """The compiled program and what the optimiser did. With ``out_tree``, the program
        returns the call's result (that pytree, outputs un-aliased from the arguments);
        with ``args`` too, it takes the call's argument tuple (and ``kwargs`` dict) and
        checks its signature.
        Without, it returns the tuple of output leaves (the readable form of ``lower``)."""
        outputs = [trace.atom(o) if isinstance(o, StagingTracer) and o._trace is trace
                   else Const(o) for o in out_leaves]
        steps, outputs, stats = optimize(trace.steps, outputs, trace.var_info,
                                         fold=optimise, cse=optimise, dce=optimise)
        stats["fused"] = 0
        if optimise and self.fuse:
            steps, stats["fused"] = fusion.fuse(steps, outputs, trace.var_info)
        nbytes = {v: math.prod(shape) * dt.itemsize if dt.kind != "O" else 0
                  for v, (_, shape, dt) in trace.var_info.items()}
        peak, _ = peak_bytes(steps, trace.inputs, outputs, trace.var_info, nbytes)
        name = _identifier_name(self.fun)
        forms = {}
        if out_tree is not None:
            forms = dict(result=_result_code(out_tree),
                         unalias=may_alias_inputs(steps, trace.inputs, outputs, trace.var_info))
            if args is not None:
                static = self._static(args)
                forms["entry"] = lambda idents, new_name: _entry(args, kwargs, static, idents,
                                                                 new_name, watch)
        source, ns = emit(steps, trace.inputs, outputs, trace.var_info, names, name, nbytes,
                          reserved=_RESERVED, **forms)
        return CompiledProgram(source, ns, name), steps, outputs, stats, peak

    def _trace(self, args, kwargs, leaves, boxed):
        takes_args = type(boxed) is Fast
        self.trace_count += 1
        trace, out_leaves, out_tree, watch = self._stage(args, kwargs, leaves, boxed)
        names = self._leaf_names(args, kwargs, boxed)
        program, _, _, stats, peak = self._program(trace, out_leaves, names, out_tree=out_tree,
                                                   args=args if takes_args else None,
                                                   kwargs=kwargs, watch=watch)
        result = _unaliased([o._value if isinstance(o, StagingTracer) and o._trace is trace
                             else (o.copy() if type(o) is np.ndarray else o)
                             for o in out_leaves], leaves)
        variant = _Variant(program, takes_args, bool(kwargs), watch, stats, peak)
        return variant, tree.unflatten(out_tree, result)

    def lower(self, *args, optimise=True, **kwargs):
        """Trace ``f`` at these arguments (nothing is cached) and return the staged program
        as a :class:`Lowered`: its ``.source``, ``.graph``, ``.stats`` and ``.peak_bytes``.

        >>> import chainrule as cr, chainrule.numpy as cnp
        >>> low = cr.jit(cr.grad(lambda x, y: (x + y) * cnp.sin(y), argnums=(0, 1))).lower(1.0, 2.0)
        >>> [line for line in low.source.splitlines() if line.startswith("def")]
        ['def f(x, y):']
        """
        sig = self._signature(args, kwargs)
        if sig is None:
            raise TypeError("jit.lower takes concrete arguments, not tracers")
        _, leaves, boxed = sig
        trace, out_leaves, out_tree, _ = self._stage(args, kwargs, leaves, boxed)
        names = self._leaf_names(args, kwargs, boxed)
        program, steps, outputs, stats, peak = self._program(trace, out_leaves, names, optimise)
        inputs = [x for x, b in zip(leaves, boxed) if b]
        return Lowered(program.source, steps, trace.inputs, names, inputs, outputs, stats,
                       peak, len(trace.steps))

    def _static(self, args):
        n = len(args)
        return {i % n for i in self.static_argnums if -n <= i < n} if n else set()

    def _leaf_names(self, args, kwargs, boxed):
        """A name for each input of the program: the parameter's name, and for a leaf of a
        pytree its path (``params['W1']`` becomes ``params_W1``)."""
        try:
            params = [p.name for p in inspect.signature(self.fun).parameters.values()
                      if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        except (TypeError, ValueError):
            params = []
        n = len(args)
        static = {i % n for i in self.static_argnums if -n <= i < n} if n else set()
        dynamic = [i for i in range(n) if i not in static]
        paths, _ = tree.flatten_with_path((tuple(args[i] for i in dynamic), kwargs))
        names = []
        for (path, _), b in zip(paths, boxed):
            if not b:
                continue
            if path[0].idx == 0:
                i = dynamic[path[1].idx]
                base = params[i] if i < len(params) else f"a{i}"
            else:
                base = str(path[1].key)
            names.append("_".join([base] + [str(k).strip("[]'.\"") for k in path[2:]]))
        return names

    def __repr__(self):
        return f"<jit {_name(self.fun)}: {self.trace_count} trace(s)>"

    def watched_parts(self):
        """What another jitted function that calls this one watches of it: the function
        (not the cache and counters, which change as it runs)."""
        return (self.fun,)


class Lowered:
    """A staged program, for reading: ``source`` (the generated Python), ``graph`` (a
    :class:`~chainrule.Graph` of its operations), ``stats`` (what the optimiser removed),
    ``peak_bytes`` (the largest total size of temporaries alive at once)."""

    def __init__(self, source, steps, input_ids, names, inputs, outputs, stats, peak, recorded):
        self.source = source
        self.stats = dict(stats, recorded=recorded,
                          operations=sum(type(s) is Eqn for s in steps),
                          guards=sum(type(s) is not Eqn for s in steps))
        self.peak_bytes = peak
        self._graph = (steps, input_ids, names, inputs, outputs)

    @property
    def graph(self):
        steps, input_ids, names, inputs, outputs = self._graph
        tape = []
        for s in steps:
            if type(s) is not Eqn:
                continue
            parents = tuple(a if type(a) is int else None for a in s.ins)
            vals = tuple(a.value if type(a) is Const else v for a, v in zip(s.ins, s.vals))
            out = s.outs if s.prim.multiple_results else s.outs[0]
            tape.append((s.prim, s.params, vals, s.ans, parents, out, None))
        return Graph(input_ids, names, inputs, tape, [a for a in outputs if type(a) is int])

    def __str__(self):
        return self.source

    def __repr__(self):
        return f"<Lowered: {self.stats['operations']} operations, {self.stats['guards']} guards>"


# Python floats and complex numbers are inputs of the program (NumPy's float64 and complex128
# arithmetic is Python's). Python ints and bools are not: Python's ints have no overflow and
# their own division rules, so they are part of the cache key, like static arguments (pass a
# NumPy integer to have one traced).
_NUMERIC_SCALARS = (np.number, np.bool_)  # NumPy scalars that are inputs (not np.str_)


def _name(f):
    return getattr(f, "__name__", type(f).__name__)


def _identifier_name(f):
    name = _name(f)
    return name if name.isidentifier() and not keyword.iskeyword(name) else "f"
