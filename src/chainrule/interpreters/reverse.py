"""Reverse mode: record a tape in the forward pass, walk it backwards.

A :class:`ReverseTrace` appends one equation ``(prim, params, vals, ans,
parents, out, bwd)`` (a plain tuple; :class:`~chainrule.core.graph.Equation`
names its fields) per primitive application whose inputs it traces; a lean trace
keeps compact records in a :class:`FlatTape` instead (read them in this long
form with :func:`equations`). The backward pass
(:func:`backward_pass`) is a loop over the tape from the end: execution order
is a topological order, so there is no recursion and no sort; the cotangent
of each variable is popped when its equation is reached, and with
``consume=True`` each equation is dropped as soon as it has been used, which
releases intermediate values as the walk goes.

The rule table :data:`vjp_rules` maps a primitive to

- a tuple of per-argument rules ``rule(g, ans, *args, **params)`` returning
  the cotangent of that argument (``None`` in the tuple: not differentiable);
- a callable ``rule(g, ans, args, params) -> tuple of cotangents``;
- a :class:`RecordRule` for call primitives (custom_vjp, checkpoint), which
  record their own equation with a ``bwd`` closure;
- ``None``: zero derivative; nothing is recorded.

A lean tape. :data:`residual_plans` says, per primitive, which values its VJP
rules read (``declare(..., residuals=...)``): the inputs of ``x * y``, the output
of ``exp``, nothing but shapes for ``x + y``. A trace keeps only those; every
other array on the tape is replaced by a :class:`~chainrule.core.vspace.Dropped`
(its shape and dtype), so the forward pass frees intermediates as NumPy would
without differentiation. Traces whose tape is replayed with the JVP rules
(``linearize``) or drawn (``make_graph``) keep every value (``keep_all=True``).
"""


import numpy as np

from ..core.primitive import Trace, Tracer, bind, full_lower
from ..core.tree import is_numeric_leaf
from ..core.vspace import zeros_like, Dropped, constants_into
from .forward import MissingRuleError, not_differentiable_error

__all__ = ["ReverseTrace", "ReverseTracer", "FlatTape", "vjp_rules", "defvjp", "RecordRule",
           "backward_pass", "fresh_vjp_rules", "accumulate_rules", "Residuals",
           "residual_plans", "selective_vjp_rules", "lean_tape", "equations", "DROPPED_F64",
           "inplace_vjp_rules", "inplace_diagonal_rules"]

vjp_rules = {}
#: prim -> :class:`Residuals`: what its VJP rules read (absent: everything).
residual_plans = {}
#: Full (non-tuple) VJP rules that take a fifth argument, ``parents``, and compute
#: cotangents only where ``parents[i] is not None`` (einsum: no cotangent for a constant).
selective_vjp_rules = set()
#: ``lean_tape["min_bytes"]``: arrays smaller than this stay on the tape even when no rule
#: reads them (a placeholder would save nothing); the test suite sets 0 so that every
#: residual declaration is exercised. ``lean_tape["enabled"]``: False keeps every value.
lean_tape = {"min_bytes": 4096, "enabled": True}


class Residuals:
    """What the VJP rules of one primitive read, and the resulting keep-plans.

    ``reads`` is either one set for every argument (``{"ans"}``: the output only;
    ``set()``: shapes only), or a tuple with one set per argument: the argument
    indexes and/or ``"ans"`` that argument's rule reads. The plan for a call keeps
    the union over the arguments being differentiated.

    >>> r = Residuals(({1}, {0}))          # multiply: d/dx reads y, d/dy reads x
    >>> r.plan((7, None)), r.plan((7, 8))
    (((False, True), False), ((True, True), False))
    """

    __slots__ = ("per_arg", "common", "one", "two", "drop_one", "drop_two", "_cache")

    def __init__(self, reads):
        if isinstance(reads, (set, frozenset)):
            self.common, self.per_arg = frozenset(reads), None
        else:
            self.common, self.per_arg = None, tuple(frozenset(r) for r in reads)
        self._cache = {}
        # The plans of the hot path, precomputed: one traced argument; two arguments
        # indexed by ``(first traced) + 2 * (second traced)``.
        self.one = self.plan((0,))
        self.two = (None, self.plan((0, None)), self.plan((None, 0)), self.plan((0, 0)))
        # ... as what the recording hot path may drop: (x, output) for one argument;
        # (x, y, output) for two, indexed by ``(y constant) + 2 * (x constant)``.
        (keep_x,), keep_ans = self.one
        self.drop_one = (not keep_x, not keep_ans)
        self.drop_two = tuple(None if plan is None else
                              (not plan[0][0], not plan[0][1], not plan[1])
                              for plan in (self.two[3], self.two[1], self.two[2], None))

    def plan(self, parents):
        """``(keep per argument, keep output)`` for a call whose traced arguments are
        those with ``parents[i] is not None``."""
        key = tuple(p is not None for p in parents)
        got = self._cache.get(key)
        if got is None:
            n = len(key)
            if self.common is not None:
                read = self.common
            elif len(self.per_arg) < n:
                read = frozenset(range(n)) | {"ans"}  # more arguments than declared: keep all
            else:
                read = frozenset().union(*(r for r, t in zip(self.per_arg, key) if t))
            got = self._cache[key] = (tuple(i in read for i in range(n)), "ans" in read)
        return got


class FlatTape(list):
    """A lean trace's tape, in compact records. An operation of one or two arguments whose
    output is an array is one flat tuple, ``(prim, params, x, ans, parent, out)`` or
    ``(prim, params, x, y, ans, parent x, parent y, out)``; one whose output is a scalar is
    laid out field by field in the list itself, closed by its length
    (``prim, params, x, ans, parent, out, 6`` or ``..., 8``): a tuple's header and garbage-
    collector link are 40 bytes, a quarter of a scalar operation's record, and a long scalar
    program keeps nothing else. Any other equation is a long-form 7-tuple.

    Walked from its end by :func:`backward_pass`; read in order with :func:`equations`.
    """

    __slots__ = ()


# Read-only by convention: rules receive params as keyword arguments (a copy).
_NO_PARAMS = {}
# The stand-in for a dropped NumPy float64 scalar: shared, so dropping one frees its 32
# bytes at no cost (a long scalar program keeps ~140 bytes per operation instead of ~160).
DROPPED_F64 = Dropped((), np.dtype(np.float64))
_ndarray, _float64 = np.ndarray, np.float64  # the recording hot path's type tests


def _drop(v, min_bytes):
    """``v``, or its :class:`Dropped` stand-in when it is a plain array worth freeing."""
    if type(v) is _ndarray and v.nbytes >= min_bytes:
        return Dropped(v.shape, v.dtype)
    if type(v) is _float64:
        return DROPPED_F64
    return v


def _trim(vals, ans, plan, min_bytes):
    keep, keep_ans = plan
    vals = tuple(v if k else _drop(v, min_bytes) for v, k in zip(vals, keep))
    if not keep_ans:
        ans = tuple(_drop(a, min_bytes) for a in ans) if type(ans) is tuple else \
            _drop(ans, min_bytes)
    return vals, ans


def defvjp(prim, *rules):
    """Register per-argument VJP rules ``rule(g, ans, *args, **params)``."""
    vjp_rules[prim] = tuple(rules)


class RecordRule:
    """Reverse-mode behaviour of a call primitive.

    ``record(trace, vals, parents, params)`` must run the forward computation
    on the lowered ``vals``, append an equation with a ``bwd(g)`` closure via
    :meth:`ReverseTrace.record`, and return the output (tracers).
    """

    __slots__ = ("record",)

    def __init__(self, record):
        self.record = record


class ReverseTracer(Tracer):
    __slots__ = ("_id",)

    def __init__(self, trace, value, vid):
        self._trace = trace
        self._value = value
        self._id = vid


class ReverseTrace(Trace):
    """The reverse-mode transformation at one level: owns a tape."""

    kind = "grad"

    def __init__(self, kind=None, keep_all=False):
        super().__init__(kind)
        self._next_id = 0
        # debug_nans reads every input of an equation when a cotangent turns NaN.
        self.lean = (lean_tape["enabled"] and not keep_all and nan_check[0] is None)
        self.tape = FlatTape() if self.lean else []
        self.min_bytes = lean_tape["min_bytes"]

    def new_var(self):
        vid = self._next_id
        self._next_id = vid + 1
        return vid

    def new_input(self, value):
        """Box ``value`` as an input of this trace; returns the tracer."""
        vid = self._next_id
        self._next_id = vid + 1
        return ReverseTracer(self, value, vid)

    def new_inputs(self, values):
        """:meth:`new_input` of each of ``values`` (a list of tracers, numbered in order)."""
        vid = self._next_id
        self._next_id = vid + len(values)
        return [ReverseTracer(self, v, vid + k) for k, v in enumerate(values)]

    def process(self, prim, args, params):
        rule = vjp_rules.get(prim, _missing)
        if type(rule) is tuple:
            # The common case, unrolled for one and two arguments: it runs once per operation.
            n = len(args)
            if n == 1:
                a = args[0]  # bind chose this trace, so the only argument is ours
                x, pid = a._value, a._id
                if None in rule:  # refuse now, naming the argument
                    _check_differentiable_args(prim, rule, (pid,), (x,))
                # The primal, one level down (written out in both interpreters: it is the hot
                # path, and a shared helper would cost a call per operation). Unnested: NumPy.
                if self.nested:
                    ans = bind(prim, (x,), params)
                elif params:
                    ans = prim.impl(x, **params)
                else:
                    ans = prim.impl(x)
                vid = self._next_id
                self._next_id = vid + 1
                if not self.lean:
                    self.tape.append((prim, params or _NO_PARAMS, (x,), ans, (pid,), vid, None))
                    return ReverseTracer(self, ans, vid)
                kept = ans
                plan = residual_plans.get(prim)
                if plan is not None:
                    # Replace each large array no rule reads by its shape and dtype.
                    drop_x, drop_ans = plan.drop_one
                    if drop_x:
                        if type(x) is _ndarray:
                            if x.nbytes >= self.min_bytes:
                                x = Dropped(x.shape, x.dtype)
                        elif type(x) is _float64:
                            x = DROPPED_F64
                    if drop_ans:
                        if type(ans) is _ndarray:
                            if ans.nbytes >= self.min_bytes:
                                kept = Dropped(ans.shape, ans.dtype)
                        elif type(ans) is _float64:
                            kept = DROPPED_F64
                # The compact record of a lean tape: one flat tuple, no inner tuples
                # (an empty params dict is fresh per call: one shared instance saves ~64 bytes).
                if type(ans) is _ndarray:
                    self.tape.append((prim, params or _NO_PARAMS, x, kept, pid, vid))
                else:
                    self.tape.extend((prim, params or _NO_PARAMS, x, kept, pid, vid, 6))
                return ReverseTracer(self, ans, vid)
            if n == 2:
                a, b = args
                if type(a) is ReverseTracer and a._trace is self:
                    va, pa = a._value, a._id
                elif not isinstance(a, Tracer):  # a constant: the most common other case
                    va, pa = a, None
                else:
                    va, pa = self._lift(a, prim)
                if type(b) is ReverseTracer and b._trace is self:
                    vb, pb = b._value, b._id
                elif not isinstance(b, Tracer):
                    vb, pb = b, None
                else:
                    vb, pb = self._lift(b, prim)
                if None in rule or len(rule) < 2:
                    _check_differentiable_args(prim, rule, (pa, pb), (va, vb))
                if (pa is None and type(va) is _ndarray and type(vb) is not _ndarray) or \
                        (pb is None and type(vb) is _ndarray and type(va) is not _ndarray):
                    va, vb = constants_into[0]((va, vb))  # a NumPy array next to CuPy's...
                if self.nested:
                    ans = bind(prim, (va, vb), params)
                elif params:
                    ans = prim.impl(va, vb, **params)
                else:
                    ans = prim.impl(va, vb)
                vid = self._next_id
                self._next_id = vid + 1
                if not self.lean:
                    self.tape.append((prim, params or _NO_PARAMS, (va, vb), ans, (pa, pb), vid,
                                      None))
                    return ReverseTracer(self, ans, vid)
                kept = ans
                plan = residual_plans.get(prim)
                if plan is not None:
                    drop_a, drop_b, drop_ans = plan.drop_two[
                        (pb is None) + 2 * (pa is None)]
                    if drop_a:
                        if type(va) is _ndarray:
                            if va.nbytes >= self.min_bytes:
                                va = Dropped(va.shape, va.dtype)
                        elif type(va) is _float64:
                            va = DROPPED_F64
                    if drop_b:
                        if type(vb) is _ndarray:
                            if vb.nbytes >= self.min_bytes:
                                vb = Dropped(vb.shape, vb.dtype)
                        elif type(vb) is _float64:
                            vb = DROPPED_F64
                    if drop_ans:
                        if type(ans) is _ndarray:
                            if ans.nbytes >= self.min_bytes:
                                kept = Dropped(ans.shape, ans.dtype)
                        elif type(ans) is _float64:
                            kept = DROPPED_F64
                if type(ans) is _ndarray:
                    self.tape.append((prim, params or _NO_PARAMS, va, vb, kept, pa, pb, vid))
                else:
                    self.tape.extend((prim, params or _NO_PARAMS, va, vb, kept, pa, pb, vid, 8))
                return ReverseTracer(self, ans, vid)
            vals, parents = self._unbox(args, prim)
            if None in rule or len(parents) > len(rule):
                _check_differentiable_args(prim, rule, parents, vals)
            ans = bind(prim, vals, params) if self.nested else prim.impl(*vals, **params)
            vid = self._next_id
            self._next_id = vid + 1
            if self.lean:
                plan = residual_plans.get(prim)
                if plan is not None:
                    vals, ans_kept = _trim(vals, ans, plan.plan(parents), self.min_bytes)
                else:
                    ans_kept = ans
                self.tape.append((prim, params or _NO_PARAMS, vals, ans_kept, parents, vid,
                                  None))
            else:
                self.tape.append((prim, params or _NO_PARAMS, vals, ans, parents, vid, None))
            return ReverseTracer(self, ans, vid)
        vals, parents = self._unbox(args, prim)
        if rule is None:
            return bind(prim, vals, params)
        if rule is _missing:
            raise MissingRuleError(
                f"no reverse-mode (VJP) rule is registered for '{prim.name}'; define one "
                f"with chainrule.interpreters.reverse.defvjp or wrap the function in "
                f"cr.custom_vjp")
        if type(rule) is RecordRule:
            return rule.record(self, vals, parents, params)
        ans = bind(prim, vals, params)
        return self.record(prim, params, vals, ans, parents)

    def _lift(self, a, prim):
        """(value, parent id) of an argument that is not one of this trace's tracers."""
        if isinstance(a, Tracer):
            if self.capture_from is not None:
                c = self.captured_tracer(a)
                if c is not None:
                    return c._value, c._id
            if not a._trace.active:
                self.check_foreign(a, prim)
        return a, None

    def _unbox(self, args, prim):
        vals = []
        parents = []
        for a in args:
            if isinstance(a, Tracer) and a._trace is self:
                vals.append(a._value)
                parents.append(a._id)
            else:
                v, p = self._lift(a, prim)
                vals.append(v)
                parents.append(p)
        if None in parents and any(type(v) is np.ndarray for v in vals):
            return constants_into[0](tuple(vals)), tuple(parents)
        return tuple(vals), tuple(parents)

    # ---- closure capture (used to record a checkpointed block as a closed program) ----
    capture_from = None

    def capture(self, tracer):
        """This trace's input standing for ``tracer`` of the trace it captures from.

        While a block is recorded on its own trace, values of the enclosing trace
        that the block closes over (weights, say) become extra inputs of the block,
        so that the recorded program is closed and can be replayed later.
        """
        c = self.captured.get(tracer._id)
        if c is None:
            c = self.captured[tracer._id] = self.new_input(tracer._value)
            self.captured_outer[tracer._id] = tracer
        return c

    def captured_tracer(self, a):
        """This trace's tracer for ``a`` if ``a`` belongs to a trace being captured from
        (directly, or through the blocks that enclose this one), else None."""
        src = self.capture_from
        if src is None:
            return None
        if a._trace is src:
            return self.capture(a)
        inner = src.captured_tracer(a) if isinstance(src, ReverseTrace) else None
        return None if inner is None else self.capture(inner)

    def start_capture(self, outer):
        """Record ops on ``outer``'s tracers here until :meth:`stop_capture`."""
        self.capture_from = outer
        self.captured = {}
        self.captured_outer = {}

        def redirect(prim, args, params):
            lifted = []
            for a in args:
                c = self.captured_tracer(a) if isinstance(a, Tracer) else None
                lifted.append(a if c is None else c)
            return self.process(prim, tuple(lifted), params)
        # An instance attribute shadows the method for the duration of the block only,
        # so the hot path pays nothing for this feature.
        outer.process = redirect

    def stop_capture(self):
        del self.capture_from.process
        self.capture_from = None

    def record(self, prim, params, vals, ans, parents, bwd=None):
        """Append an equation and return the output tracer(s)."""
        kept_vals, kept = vals, ans
        if self.lean and bwd is None:
            plan = residual_plans.get(prim)
            if plan is not None:
                kept_vals, kept = _trim(tuple(vals), ans, plan.plan(parents), self.min_bytes)
        if prim.multiple_results:
            out = tuple(self.new_var() for _ in ans)
            self.tape.append((prim, params, kept_vals, kept, parents, out, bwd))
            # A non-numeric output (a checkpointed block's label) is handed back as it is:
            # nothing can depend on it differentiably, and it gets no cotangent.
            return tuple(ReverseTracer(self, a, v) if is_numeric_leaf(a) else a
                         for a, v in zip(ans, out))
        vid = self._next_id
        self._next_id = vid + 1
        self.tape.append((prim, params, kept_vals, kept, parents, vid, bwd))
        return ReverseTracer(self, ans, vid)


def _missing():  # sentinel
    pass


def _accumulate(ct, owned, pid, prev, c, c_owned=False):
    """ct[pid] = prev + c, in place when ``prev`` (or, with ``c_owned``, ``c``) is an array
    this pass owns (addition commutes bit for bit, so either order gives the same sum)."""
    if type(c) is np.ndarray and type(prev) is np.ndarray and c.shape == prev.shape \
            and c.dtype == prev.dtype:
        if id(prev) in owned:
            prev += c
            return
        if c_owned:
            c += prev
            ct[pid] = c
            owned.discard(id(prev))
            owned.add(id(c))
            return
    s = prev + c
    ct[pid] = s
    owned.discard(id(prev))  # prev may be freed now; its id must not vouch for another array
    if type(s) is np.ndarray:
        owned.add(id(s))


def _diagonal(prim, params, vals, ans, pid, g, ct, owned):
    """``x * x`` with a cotangent ``g`` this pass does not own (one it may not write into):
    the two contributions ``g*x`` and ``x*g`` are equal for real arrays (a real product
    commutes bit for bit), so one is computed and added twice, in the order the
    per-argument rules would add them: one new array and two passes instead of three.
    False (nothing done) where that does not hold or would not pay."""
    x = vals[0]
    if type(g) is not np.ndarray or type(x) is not np.ndarray or g.dtype.kind != "f" or \
            x.dtype.kind != "f" or g.shape != x.shape or prim not in fresh_vjp_rules:
        return False
    c = vjp_rules[prim][0](g, ans, *vals, **params)
    if type(c) is not np.ndarray or c is g or c.base is not None or c.dtype.kind != "f":
        return False  # (then the general path computes both contributions)
    prev = ct.get(pid)
    if prev is None:
        c += c
        ct[pid] = c
        owned.add(id(c))
    else:
        _accumulate(ct, owned, pid, prev, c)
        _accumulate(ct, owned, pid, ct[pid], c)
    return True


def _inplace_step(prim, params, vals, ans, parents, g, ct, owned):
    """One equation whose cotangent ``g`` the backward pass owns: the per-argument rules,
    the last traced argument's by its in-place form (``g`` becomes its contribution)."""
    rule, inplace = vjp_rules[prim], inplace_vjp_rules[prim]
    if len(parents) == 2 and parents[0] is not None and parents[0] == parents[1] \
            and prim in inplace_diagonal_rules:
        c = inplace_diagonal_rules[prim](g, ans, *vals, **params)
        if c is not None:
            pid = parents[0]
            prev = ct.get(pid)
            if prev is None:
                c += c
                ct[pid] = c
                owned.add(id(c))
            else:
                _accumulate(ct, owned, pid, prev, c)
                _accumulate(ct, owned, pid, ct[pid], c)
            return
    mine = True  # False once a contribution may hold g (x - y passes g itself to x)
    last = max(i for i, p in enumerate(parents) if p is not None)
    for i, pid in enumerate(parents):
        if pid is None or rule[i] is None:
            continue
        prev = ct.get(pid)
        if mine and i == last and i < len(inplace) and inplace[i] is not None:
            c = inplace[i](g, ans, *vals, **params)
            if c is not None:
                if prev is None:
                    ct[pid] = c
                    owned.add(id(c))
                else:
                    _accumulate(ct, owned, pid, prev, c, c_owned=True)
                return
        if prev is not None and id(prev) in owned:
            acc = accumulate_rules.get(prim)
            if acc is not None and acc(prev, g, ans, *vals, **params):
                continue
        c = rule[i](g, ans, *vals, **params)
        if c is g or type(c) is not np.ndarray or (c.base is not None
                                                    and np.may_share_memory(c, g)):
            # g, a view of it (a complex g's real part), or a value that may hold it (a
            # tracer whose operation another trace recorded with g, a lazy graph): kept.
            mine = False
            if prev is None:
                ct[pid] = c
                continue
        elif prev is None:
            ct[pid] = c
            if prim in fresh_vjp_rules:
                owned.add(id(c))
            continue
        _accumulate(ct, owned, pid, prev, c)


def _check_differentiable_args(prim, rule, parents, vals):
    # Integer and boolean values carry no derivative (forward mode gives them no tangent),
    # so only a traced float in a position without a rule is an error, as in forward mode.
    for i, pid in enumerate(parents):
        if pid is not None and (i >= len(rule) or rule[i] is None):
            v = full_lower(vals[i])
            dt = getattr(v, "dtype", None)
            if np.issubdtype(np.result_type(v) if dt is None else dt, np.inexact):
                raise not_differentiable_error(prim, i)


# Rules whose result is always a fresh array when the cotangent is a plain array
# (filled by the primitives layer), and in-place forms of some contributions:
# ``accumulate_rules[prim](acc, g, ans, *vals, **params)`` adds the contribution of
# ``g`` into the array ``acc`` and returns True, or returns False when it cannot.
fresh_vjp_rules = set()
accumulate_rules = {}
# In-place forms of per-argument rules: ``inplace_vjp_rules[prim][i](g, ans, *vals, **params)``
# writes the contribution for argument ``i`` into ``g`` itself and returns ``g``, or returns
# None (leaving ``g`` untouched) when it cannot: the contribution would need another shape or
# dtype. The backward pass uses one only for the last use of a cotangent it owns, so a
# chain of elementwise steps on large arrays runs without allocating (as hand-written
# backprop with ``*=`` would), and with the same arithmetic, so bit for bit the same result.
inplace_vjp_rules = {}
# ``inplace_diagonal_rules[prim](g, ans, x, x, **params)``: for a binary operation applied to
# one value twice (``x * x``) whose two contributions are equal (``g*x`` and ``x*g``), that
# contribution written into ``g`` and returned, or None. The pass then adds it twice, in the
# order the out-of-place rules would (``(prev + g*x) + x*g``, or ``g*x + g*x`` alone).
inplace_diagonal_rules = {}
# ``nan_check[0]``: None, or the debug_nans checker
# ``check(prim, g, vals, contributions, tape, out)`` (see chainrule.interpreters.nan_checks),
# read once per backward pass.
nan_check = [None]


def equations(tape):
    """The records of ``tape`` in the long form ``(prim, params, vals, ans, parents, out,
    bwd)``, in order, whatever form they were recorded in (see :class:`FlatTape`)."""
    if type(tape) is not FlatTape:
        yield from tape
        return
    found = []
    i = len(tape)
    while i:
        rec = tape[i - 1]
        if type(rec) is int:  # a scalar record, laid out field by field
            fields = tape[i - 1 - rec:i - 1]
            i -= rec + 1
        else:
            fields = rec
            i -= 1
        k = len(fields)
        if k == 7:
            found.append(tuple(fields))
        elif k == 6:
            prim, params, x, ans, pid, out = fields
            found.append((prim, params, (x,), ans, (pid,), out, None))
        else:
            prim, params, va, vb, ans, pa, pb, out = fields
            found.append((prim, params, (va, vb), ans, (pa, pb), out, None))
    yield from reversed(found)


def backward_pass(tape, seeds, consume=False):
    """Propagate cotangents from ``seeds`` ({var id: cotangent}) to every variable.

    Returns the dict of cotangents that were not consumed by an equation of the
    tape (the inputs' cotangents). With ``consume=True`` the tape is emptied as
    it is walked, so intermediate values are released during the walk.

    Where several operations feed from one variable, its cotangent is summed.
    A plain array that this loop created itself (a sum, or a fresh rule result)
    is owned by the loop until it is handed on, so later contributions are added
    into it in place (slices of it, for indexing), instead of allocating again.
    """
    ct = dict(seeds)
    get = ct.get
    pop = ct.pop
    owned = set()
    check = nan_check[0]
    min_bytes = lean_tape["min_bytes"]  # in-place contributions: only where they pay
    lo = len(tape)
    for i in range(lo - 1, -1, -1):
        if i >= lo:  # a field of the scalar record just walked
            continue
        rec = tape[i]
        if type(rec) is int:  # the end of a scalar record laid out field by field (FlatTape)
            k = rec
            lo = i - k
            rec = tape[lo:i]
            if consume:
                del tape[lo:]
        else:
            k = len(rec)
            if consume:
                tape[i] = None
        # A compact record (one or two arguments, per-argument rules) whose cotangent this
        # pass does not own and which has one traced argument: the common step, written
        # out without the long form's tuples; everything else takes the general path.
        if k == 6:
            prim, params, x, ans, pid, out = rec
            del rec
            g = pop(out, None)
            if g is None:
                continue
            rule = vjp_rules[prim]
            if type(rule) is tuple and not (owned and id(g) in owned):
                r = rule[0]
                if r is not None:
                    prev = get(pid)
                    if prev is not None and id(prev) in owned:
                        acc = accumulate_rules.get(prim)
                        if acc is not None and acc(prev, g, ans, x, **params):
                            continue
                    c = r(g, ans, x, **params) if params else r(g, ans, x)
                    if check is not None:
                        check(prim, g, (x,), c, tape, out)
                    if prev is None:
                        ct[pid] = c
                        # (owned: written into later; only where that saves real work)
                        if type(c) is _ndarray and c.nbytes >= min_bytes and \
                                prim in fresh_vjp_rules:
                            owned.add(id(c))
                    else:
                        _accumulate(ct, owned, pid, prev, c)
                continue
            vals, parents, bwd = (x,), (pid,), None
        elif k == 8:
            prim, params, va, vb, ans, pa, pb, out = rec
            del rec
            g = pop(out, None)
            if g is None:
                continue
            rule = vjp_rules[prim]
            if (pa is None or pb is None) and type(rule) is tuple and \
                    not (owned and id(g) in owned):
                if pb is None:
                    r, pid = rule[0], pa
                else:
                    r, pid = (rule[1] if len(rule) > 1 else None), pb
                if r is not None:
                    prev = get(pid)
                    if prev is not None and id(prev) in owned:
                        acc = accumulate_rules.get(prim)
                        if acc is not None and acc(prev, g, ans, va, vb, **params):
                            continue
                    c = r(g, ans, va, vb, **params) if params else r(g, ans, va, vb)
                    if check is not None:
                        check(prim, g, (va, vb), c, tape, out)
                    if prev is None:
                        ct[pid] = c
                        if type(c) is _ndarray and c.nbytes >= min_bytes and \
                                prim in fresh_vjp_rules:
                            owned.add(id(c))
                    else:
                        _accumulate(ct, owned, pid, prev, c)
                continue
            if pa != pb and type(rule) is tuple and len(rule) == 2 and check is None and \
                    not (owned and id(g) in owned):
                # Two traced arguments (a layer's x @ W + b): the same step for each in turn.
                for r, pid in zip(rule, (pa, pb)):
                    if r is None:
                        continue
                    prev = get(pid)
                    if prev is not None and id(prev) in owned:
                        acc = accumulate_rules.get(prim)
                        if acc is not None and acc(prev, g, ans, va, vb, **params):
                            continue
                    c = r(g, ans, va, vb, **params) if params else r(g, ans, va, vb)
                    if prev is None:
                        ct[pid] = c
                        if type(c) is _ndarray and c.nbytes >= min_bytes and \
                                prim in fresh_vjp_rules:
                            owned.add(id(c))
                    else:
                        _accumulate(ct, owned, pid, prev, c)
                continue
            vals, parents, bwd = (va, vb), (pa, pb), None
        else:
            prim, params, vals, ans, parents, out, bwd = rec
            del rec
            if type(out) is int:
                g = pop(out, None)
                if g is None:
                    continue
        if type(out) is int:
            if owned and id(g) in owned:
                owned.discard(id(g))  # handed on: rules may return it as it is
                if g.nbytes >= min_bytes and prim in inplace_vjp_rules and check is None:
                    _inplace_step(prim, params, vals, ans, parents, g, ct, owned)
                    continue
            elif len(parents) == 2 and parents[1] is not None and parents[0] == parents[1] \
                    and prim in inplace_diagonal_rules and check is None and \
                    _diagonal(prim, params, vals, ans, parents[0], g, ct, owned):
                continue
        else:
            gs = [pop(o, None) for o in out]
            if all(x is None for x in gs):
                continue
            if owned:
                owned.difference_update(id(x) for x in gs)
            g = tuple(x if x is not None else zeros_like(a) if is_numeric_leaf(a) else None
                      for x, a in zip(gs, ans))
        if bwd is not None:
            cts = bwd(g)
        else:
            rule = vjp_rules[prim]
            if type(rule) is tuple:
                for r, pid in zip(rule, parents):
                    if pid is not None:
                        if r is None:  # an integer value: no derivative (floats are refused
                            continue   # when the operation is recorded)
                        prev = get(pid)
                        if prev is not None and id(prev) in owned:
                            acc = accumulate_rules.get(prim)
                            if acc is not None and acc(prev, g, ans, *vals, **params):
                                continue
                        c = r(g, ans, *vals, **params) if params else r(g, ans, *vals)
                        if check is not None:
                            check(prim, g, vals, c, tape, out)
                        if prev is None:
                            ct[pid] = c
                            if prim in fresh_vjp_rules and type(c) is np.ndarray:
                                owned.add(id(c))
                        else:
                            _accumulate(ct, owned, pid, prev, c)
                continue
            if prim in selective_vjp_rules:
                cts = rule(g, ans, vals, params, parents)
            else:
                cts = rule(g, ans, vals, params)
        if check is not None:
            check(prim, g, vals, cts, tape, out)
        for pid, c in zip(parents, cts):
            if pid is not None and c is not None:
                prev = get(pid)
                if prev is None:
                    ct[pid] = c
                else:
                    _accumulate(ct, owned, pid, prev, c)
    return ct
