"""Staging: run a function once on concrete values and record it as a program.

A :class:`StagingTrace` is the outermost transformation of ``cr.jit``. Its
tracers carry a concrete value and a variable id. Every primitive applied to
them is computed (its NumPy implementation) *and* appended to the trace's
``steps`` as an :class:`Eqn` (primitive, parameters, input atoms, output
variables). Transformations nested inside (grad, vmap, jvp) re-bind their
rules one level down, so the forward and backward passes of ``jit(grad(f))``
all land in the staged program.

Whenever a traced value decides something in Python (a branch ``if x > 0``, a
conversion ``float(x)``, ``int(n)``, ``np.asarray(x)``, an index), every level
of tracer is lowered through :meth:`Trace.concrete`; here that appends a
:class:`Guard` that the generated code checks on every replay, so a call that
would take another path re-traces instead of replaying the wrong one.

>>> import numpy as np
>>> from chainrule.primitives.elementwise import sin
>>> t = StagingTrace()
>>> x = t.new_input(np.float64(1.0))
>>> y = sin(x)
>>> t.finish()
>>> [type(s).__name__ for s in t.steps], t.steps[0].prim.name
(['Eqn'], 'sin')
"""

import contextlib
import os
import sys

import numpy as np

from ..core.primitive import Primitive, Trace, Tracer, bind, stand_in, drop_stand_ins

__all__ = ["StagingTrace", "StagingTracer", "Eqn", "Guard", "Const", "inline_primitives",
           "value_shaped_primitives", "user_line", "recomputing", "NotStageable"]


class NotStageable(TypeError):
    """Raised by a computation that cannot be staged (an iterative solver that runs on
    NumPy values, given jit's tracers): jit then runs the function eagerly."""

# Call primitives whose body runs on the staging trace itself (filled by the layers that
# define them: checkpoint, custom_vjp, custom_jvp), so that their operations are staged.
inline_primitives = set()
# Primitives whose output shape depends on the input values: their shape is guarded.
value_shaped_primitives = {"unique", "argwhere", "flatnonzero", "histogram", "nonzero",
                           "bincount"}

_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep


def user_line(depth=2):
    """``"file.py:12 (function)"`` of the first frame outside chainrule (the user's line
    that caused the current operation), or ``""``."""
    frame = sys._getframe(depth)
    while frame is not None:
        code = frame.f_code
        if not code.co_filename.startswith(_PACKAGE):
            return f"{os.path.basename(code.co_filename)}:{frame.f_lineno} ({code.co_name})"
        frame = frame.f_back
    return ""


class Const:
    """A constant argument of a staged equation (a value captured at trace time)."""

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value

    def __repr__(self):
        return f"Const({self.value!r})"


class Eqn:
    """One staged primitive application: ``outs = prim(*ins, **params)``.

    ``ins`` holds variable ids (int) and :class:`Const`; ``outs`` a tuple of variable ids
    (one unless the primitive has multiple results); ``line`` the user's source line.
    ``vals`` and ``ans`` (the trace-time values) serve constant folding and graphs.
    ``host`` marks a Python function applied to values with the call's context (see
    :meth:`StagingTrace.host_call`).
    """

    __slots__ = ("prim", "params", "ins", "outs", "line", "vals", "ans", "host", "pvars",
                 "epoch")

    def __init__(self, prim, params, ins, outs, line, vals, ans, host=False, pvars=None,
                 epoch=0):
        self.prim, self.params, self.ins, self.outs = prim, params, ins, outs
        self.line, self.vals, self.ans, self.host = line, vals, ans, host
        # id(array) -> var id, for index arrays in ``params`` that stand for a variable
        self.pvars = pvars or {}
        # which recomputation recorded it (0: none): a checkpoint's replay is not merged
        # with the values it recomputes (see :func:`recomputing`)
        self.epoch = epoch

    def __repr__(self):
        return f"Eqn({self.prim.name}, ins={self.ins}, outs={self.outs})"


_epochs = [0, 0]  # [the recomputation being recorded (0: none), the last one numbered]


@contextlib.contextmanager
def recomputing():
    """Operations staged inside are a recomputation (a checkpoint's backward replay): the
    optimiser keeps them apart from the equal operations of the forward pass, so the
    staged program recomputes as eager chainrule does instead of keeping the values."""
    outer = _epochs[0]
    _epochs[1] += 1
    _epochs[0] = _epochs[1]
    try:
        yield
    finally:
        _epochs[0] = outer


class Guard:
    """A decision the trace took on a value: ``kind`` is "bool" (``expected`` is the
    truth value), "shape" (the shape) or "value" (the whole value, a copy)."""

    __slots__ = ("var", "kind", "expected", "line")

    def __init__(self, var, kind, expected, line):
        self.var, self.kind, self.expected, self.line = var, kind, expected, line

    def __repr__(self):
        return f"Guard({self.kind} of v{self.var} at {self.line or '?'})"


class StagingTracer(Tracer):
    __slots__ = ("_id",)

    def __init__(self, trace, value, vid):
        self._trace = trace
        self._value = value
        self._id = vid

    def __repr__(self):  # printing never creates a guard
        return f"StagingTracer({self._value!r})"

    def __format__(self, spec):
        return format(self._value, spec)


class StagingTrace(Trace):
    """The staging transformation: computes every primitive and records it.

    ``context`` is what host calls (:meth:`host_call`) receive besides their value:
    set by jit to the call's input arrays and a list of results handed out.
    """

    kind = "jit"
    concrete_ok = True

    def __init__(self):
        super().__init__()
        self.steps = []
        self.inputs = []
        self.var_info = {}   # var id -> (type, shape, dtype) of its trace-time value
        self.consts = []     # (array, snapshot): arrays captured as constants
        self.subst = {}      # id(array) -> (array, var id): an index array standing for a var
        self.context = ((), [])
        self._next = 0

    def _new_var(self, value):
        vid = self._next
        self._next = vid + 1
        self.var_info[vid] = (type(value), np.shape(value), _dtype(value))
        return vid

    def new_input(self, value):
        """Box ``value`` as an input of the program; returns its tracer."""
        vid = self._new_var(value)
        self.inputs.append(vid)
        return StagingTracer(self, value, vid)

    def atom(self, a):
        """The atom (var id or Const) standing for argument ``a``."""
        if isinstance(a, Tracer) and a._trace is self:
            return a._id
        s = self.subst.get(id(a))
        if s is not None and s[0] is a:
            return s[1]
        if type(a) is np.ndarray:
            self.consts.append((a, a.copy()))
        return Const(a)

    def process(self, prim, args, params):
        if prim in inline_primitives:
            return prim.impl(*args, **params)
        vals = []
        outer = False
        for a in args:
            if isinstance(a, Tracer):
                if a._trace is self:
                    vals.append(a._value)
                    continue
                if not a._trace.active:
                    self.check_foreign(a, prim)
                outer = True
            vals.append(a)
        vals = tuple(vals)
        # (no tracer of an outer trace: computed here; bind would hand a stand-in's
        # operation back to this trace)
        if self.nested and outer:
            ans = bind(prim, vals, params)
        else:
            ans = prim.impl(*vals, **params)
        return self._record(prim, params, args, vals, ans)

    def _record(self, prim, params, args, vals, ans, host=False):
        ins = tuple(self.atom(a) for a in args)
        line = user_line(3)
        pvars = _param_vars(params, self.subst) if self.subst and params else None
        if prim.multiple_results:
            ans = tuple(ans)
            outs = tuple(self._new_var(a) for a in ans)
            self.steps.append(Eqn(prim, params, ins, outs, line, vals, ans, host, pvars,
                                  _epochs[0]))
            boxed = tuple(StagingTracer(self, a, v) for a, v in zip(ans, outs))
            if prim.name in value_shaped_primitives:
                for v, a in zip(outs, ans):
                    self.steps.append(Guard(v, "shape", np.shape(a), line))
            return boxed
        vid = self._new_var(ans)
        self.steps.append(Eqn(prim, params, ins, (vid,), line, vals, ans, host, pvars,
                              _epochs[0]))
        if prim.name in value_shaped_primitives:
            self.steps.append(Guard(vid, "shape", np.shape(ans), line))
        return StagingTracer(self, ans, vid)

    def host_call(self, fn, tracer, **params):
        """Apply the Python function ``fn(value, arrays, given, **params)`` to ``tracer``'s
        value now and on every replay, with the call's context (its input arrays and the
        results handed out so far): how transforms hand out results the caller owns."""
        arrays, given = self.context
        ans = fn(tracer._value, arrays, given, **params)
        prim = _host_primitive(fn)
        return self._record(prim, params, (tracer,), (tracer._value,), ans, host=True)

    def concrete(self, tracer, how):
        value = tracer._value
        if tracer._trace is not self:  # pragma: no cover - bind never hands us others
            return value
        line = user_line(3)
        if how == "bool":
            self.steps.append(Guard(tracer._id, "bool", bool(value), line))
            return value
        if how == "subscript" and _dtype(value).kind in "iu":
            # An integer index stays a variable of the program: the array handed out is
            # recognised by identity where it comes back (as a parameter) and replaced by
            # the variable. Only its shape is a decision.
            arr = np.asarray(value)
            self.subst[id(arr)] = (arr, tracer._id)
            stand_in(arr, self)
            self.steps.append(Guard(tracer._id, "shape", arr.shape, line))
            return arr
        self.steps.append(Guard(tracer._id, "value", _snapshot(value), line))
        return value

    def stand_in_read(self, array):
        s = self.subst.get(id(array))
        if s is not None and s[0] is array:
            self.steps.append(Guard(s[1], "value", array.copy(), user_line(3)))

    def finish(self):
        drop_stand_ins(self)
        super().finish()

    def guard_count(self):
        return sum(type(s) is Guard for s in self.steps)


_hosts = {}


def _host_primitive(fn):
    p = _hosts.get(fn)
    if p is None:
        p = _hosts[fn] = Primitive(fn.__name__, fn)
    return p


def _param_vars(params, subst):
    """{id(array): var id} for the index arrays standing for variables inside ``params``."""
    found = {}
    stack = list(params.values())
    while stack:
        v = stack.pop()
        if type(v) is np.ndarray:
            s = subst.get(id(v))
            if s is not None and s[0] is v:
                found[id(v)] = s[1]
        elif type(v) in (tuple, list):
            stack.extend(v)
    return found


def _dtype(v):
    dt = getattr(v, "dtype", None)
    if isinstance(dt, np.dtype):
        return dt
    try:
        return np.result_type(v)
    except TypeError:
        return np.dtype(object)


def _snapshot(v):
    """A copy of ``v`` that later changes to ``v`` cannot reach (for a value guard)."""
    if type(v) is np.ndarray:
        return v.copy()
    return v
