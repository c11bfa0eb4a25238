"""Forward mode: dual numbers <value, tangent> with symbolic zero tangents.

A :class:`JVPTracer` carries a primal value and its tangent. ``None`` as a
tangent is a symbolic zero: no work is done for inputs that are not being
differentiated, and an operation whose inputs all have zero tangents returns
its plain value (no tracer at all).

The rule table :data:`jvp_rules` maps a primitive to

- a tuple of per-argument rules ``rule(t, ans, *args, **params)`` returning
  that argument's contribution to the output tangent (summed over arguments);
  ``None`` in the tuple marks an argument that cannot carry a tangent;
- a callable ``rule(primals, tangents, **params) -> (ans, tangent)`` for
  primitives that need the whole picture (multiple results, call primitives);
- ``None``: the primitive has zero derivative (comparisons, floor, sign...).

Rules are written with chainrule operations, so they are themselves
differentiable: that is what makes higher-order derivatives work.
"""

import numpy as np

from ..core.primitive import Trace, Tracer, bind
from ..core.vspace import constants_into

__all__ = ["JVPTrace", "JVPTracer", "jvp_rules", "defjvp", "MissingRuleError", "TraceRule",
           "not_differentiable_error", "add_tangents"]

jvp_rules = {}


class MissingRuleError(TypeError):
    """A primitive was differentiated but has no rule for this transformation."""


def not_differentiable_error(prim, argnum):
    """The error both modes raise, when the operation is recorded, for a traced argument
    in a position that has no rule (an index, a shape, a condition, integer data)."""
    return MissingRuleError(
        f"argument {argnum} of '{prim.name}' is not differentiable (it is an index, shape, "
        f"condition or integer argument) but a traced value was passed there; wrap it in "
        f"chainrule.stop_gradient or pass a constant")


def defjvp(prim, *rules):
    """Register per-argument JVP rules ``rule(t, ans, *args, **params)``."""
    jvp_rules[prim] = tuple(rules)


class TraceRule:
    """Forward-mode behaviour of a call primitive that runs on the trace itself.

    ``process(trace, vals, tangents, params)`` returns the outputs (tracers of
    ``trace`` or plain values). Used by checkpoint, whose body can simply run
    on the current trace in forward mode, and by custom rules, which must know
    the trace to refuse closures over its tracers. ``full``, when given, is the
    trace-free rule ``full(primals, tangents, **params) -> (outs, tangents)``
    that the tape replay of linearize calls.
    """

    __slots__ = ("process", "full")

    def __init__(self, process, full=None):
        self.process = process
        self.full = full

    def __call__(self, primals, tangents, **params):
        if self.full is None:
            raise MissingRuleError("this call primitive cannot be replayed outside its trace")
        return self.full(primals, tangents, **params)


class JVPTracer(Tracer):
    __slots__ = ("_tangent",)

    def __init__(self, trace, value, tangent):
        self._trace = trace
        self._value = value
        self._tangent = tangent


def add_tangents(a, b):
    """The sum of two tangents, where ``None`` is a symbolic zero (tuples add per entry)."""
    if a is None:
        return b
    if b is None:
        return a
    if type(a) is tuple:
        return tuple(add_tangents(x, y) for x, y in zip(a, b))
    return a + b


class JVPTrace(Trace):
    """The forward-mode transformation at one level."""

    kind = "jvp"

    def process(self, prim, args, params):
        if len(args) == 1:
            a = args[0]  # bind chose this trace, so the only argument is ours
            vals, tans = (a._value,), (a._tangent,)
        else:
            vals, tans = self._unbox(args, prim)
        rule = jvp_rules.get(prim, _missing)
        if type(rule) is tuple:
            # The primal, one level down (written out in both interpreters: it is the hot path,
            # and a shared helper would cost a call per operation). Unnested: plain NumPy.
            if self.nested:
                ans = bind(prim, vals, params)
            elif params:
                ans = prim.impl(*vals, **params)
            else:
                ans = prim.impl(*vals)
            out = None
            for i, t in enumerate(tans):
                if t is None:
                    continue
                r = rule[i] if i < len(rule) else None
                if r is None:
                    raise not_differentiable_error(prim, i)
                c = r(t, ans, *vals, **params)
                out = c if out is None else add_tangents(out, c)
            return self._box(prim, ans, out)
        if rule is None:
            return bind(prim, vals, params)
        if rule is _missing:
            raise MissingRuleError(
                f"no forward-mode (JVP) rule is registered for '{prim.name}'; define one "
                f"with chainrule.interpreters.forward.defjvp or wrap the function in "
                f"cr.custom_jvp")
        if type(rule) is TraceRule:
            return rule.process(self, vals, tans, params)
        ans, out = rule(vals, tans, **params)
        return self._box(prim, ans, out)

    def _unbox(self, args, prim):
        vals = []
        tans = []
        for a in args:
            if isinstance(a, Tracer):
                if a._trace is self:
                    vals.append(a._value)
                    tans.append(a._tangent)
                    continue
                if not a._trace.active:
                    self.check_foreign(a, prim)
            vals.append(a)
            tans.append(None)
        if any(t is None for t in tans) and any(type(v) is np.ndarray for v in vals):
            vals = list(constants_into[0](tuple(vals)))  # a NumPy array next to CuPy's...
        return vals, tans

    def _box(self, prim, ans, out):
        if out is None:
            return ans
        if prim.multiple_results:
            return tuple(a if t is None else JVPTracer(self, a, t) for a, t in zip(ans, out))
        return JVPTracer(self, ans, out)


def _missing():  # sentinel
    pass
