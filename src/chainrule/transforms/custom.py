"""User-defined derivative rules, as call primitives: ``custom_vjp`` and ``custom_jvp``.

A call primitive is a primitive whose body is a Python function; its rules
replace that body's derivative. The core needs no special support: each is one
primitive with a JVP rule, a reverse-mode
:class:`~chainrule.interpreters.reverse.RecordRule` and an implementation.

Every custom rule works in both modes:

- a ``custom_vjp`` function stays forward-differentiable: its JVP is derived
  from the VJP rule. ``u -> bwd(res, u)`` is linear in ``u`` (it is Jᵀu), so
  reverse-differentiating it gives back J·v. (JAX cannot do this; see its
  issue #16049.) The rule ``bwd`` must therefore use chainrule operations.
- a ``custom_jvp`` function is reverse-differentiable: its VJP is the
  transpose of the (linear) JVP rule, obtained by reverse mode over it.

>>> import chainrule as cr, chainrule.numpy as cnp
>>> clip_grad = cr.custom_vjp(lambda x: x)
>>> clip_grad.defvjp(lambda x: (x, None), lambda res, g: (cnp.clip(g, -1.0, 1.0),))
>>> float(cr.grad(lambda x: 5.0 * clip_grad(x))(2.0))
1.0
"""

import contextlib
import functools

from ..core import tree
from ..core.primitive import Primitive, Tracer, bind
from ..core.vspace import shape_of, dtype_of, zeros_like
from ..interpreters.forward import jvp_rules, TraceRule
from ..interpreters.reverse import vjp_rules, RecordRule
from ..interpreters.staging import inline_primitives
from .calls import has_tracer, bind_call, run_flat
from .args import cast_like
from .differentiate import vjp

__all__ = ["custom_vjp", "custom_jvp"]


@contextlib.contextmanager
def _sealed(trace, who):
    """Refuse, with a clear message, any use of ``trace``'s own tracers in the block.

    A custom rule sees only its explicit arguments: a value being differentiated
    that the function closes over would get no cotangent from the user's rule,
    so the derivative would be silently incomplete.
    """
    def refuse(prim, args, params):
        raise TypeError(
            f"{who} closes over a value that the enclosing {trace.kind} is differentiating "
            f"(it reached '{prim.name}'). A custom rule only sees the function's explicit "
            f"arguments: pass that value as an argument (and return its cotangent from the "
            f"rule), or close over cr.stop_gradient(value), computed outside the function, if it "
            f"should be constant.")
    previous = trace.__dict__.get("process")
    trace.process = refuse  # an instance attribute shadows the method for the block only
    try:
        yield
    finally:
        if previous is None:
            del trace.process
        else:
            trace.process = previous


def _refuse_inner(trace, outs, who):
    """A result holding a tracer at ``trace``'s level or above means the function closes over
    a value that ``trace`` or a transformation inside it differentiates (grad over grad);
    the rule would hide it from that transformation (a silently zero derivative)."""
    for o in outs:
        if isinstance(o, Tracer) and o._trace.level >= trace.level:
            raise TypeError(
                f"{who} closes over a value that a transformation inside the enclosing "
                f"{trace.kind} ({o._trace.kind}) is differentiating. A custom rule only sees "
                f"the function's explicit arguments: pass that value as an argument (and return "
                f"its cotangent from the rule).")


def _flat_cts(cts, in_tree, vals, who):
    """Flatten a rule's per-argument cotangents; None means zero."""
    if not isinstance(cts, (tuple, list)):
        raise TypeError(f"{who}: the backward rule must return a tuple with one cotangent per "
                        f"argument (use None for zero)")
    leaves = []
    args_tree = in_tree.children
    if len(cts) != len(args_tree):
        raise TypeError(f"{who}: the backward rule returned {len(cts)} cotangent(s) for "
                        f"{len(args_tree)} argument(s)")
    for c, sub in zip(cts, args_tree):
        if c is None:
            leaves.extend([None] * sub.num_leaves)
        else:
            cl, ctree = tree.flatten(c)
            if ctree != sub:
                raise TypeError(f"{who}: a cotangent's structure {ctree} differs from its "
                                f"argument's {sub}")
            leaves.extend(cl)
    for k, (c, v) in enumerate(zip(leaves, vals)):
        if c is not None and shape_of(c) != shape_of(v):
            raise TypeError(
                f"{who}: the backward rule returned a cotangent of shape {shape_of(c)} "
                f"for an argument of shape {shape_of(v)} (leaf {k}); each cotangent "
                f"must have its argument's shape")
        if c is not None and dtype_of(c).kind == "c" and dtype_of(v).kind != "c":
            # casting it to the argument's real dtype would drop its imaginary part silently
            raise TypeError(
                f"{who}: the backward rule returned a complex cotangent ({dtype_of(c)}) for a "
                f"real argument ({dtype_of(v)}, leaf {k}); return the cotangent of the real "
                f"argument, cnp.real(...) of this one under JAX's convention")
    return leaves


def _cast_to(x, like):
    """``x`` in the dtype of ``like`` (a cotangent handed to a pullback must match it)."""
    dt = dtype_of(like)
    return x if dtype_of(x) == dt or dt.kind != "f" else cast_like(x, dt) \
        if hasattr(x, "dtype") else dt.type(x)


# ---- custom_vjp -----------------------------------------------------------------------
class custom_vjp:
    """Give a function a hand-written reverse-mode rule.

    >>> import chainrule as cr, chainrule.numpy as cnp
    >>> @cr.custom_vjp
    ... def safe_log(x):
    ...     return cnp.log(x)
    >>> def safe_log_fwd(x):
    ...     return cnp.log(x), x
    >>> def safe_log_bwd(x, g):
    ...     return (g / x,)
    >>> safe_log.defvjp(safe_log_fwd, safe_log_bwd)
    >>> float(cr.grad(safe_log)(2.0)), float(cr.hessian(safe_log)(2.0))
    (0.5, -0.25)

    ``fwd(*args) -> (out, residuals)``; ``bwd(residuals, g) -> tuple`` of one
    cotangent per argument (None for zero). Forward mode (jvp, jacfwd,
    hessian) is derived from ``bwd``.
    """

    def __init__(self, fun):
        functools.update_wrapper(self, fun)
        self.fun = fun
        self.fwd = None
        self.bwd = None

    def defvjp(self, fwd, bwd):
        """Set the forward (``fwd``) and backward (``bwd``) rules."""
        self.fwd, self.bwd = fwd, bwd

    def __call__(self, *args):
        if self.fwd is None:
            raise TypeError(f"custom_vjp function {self.fun.__name__} has no rules: call "
                            f".defvjp(fwd, bwd) before using it")
        if not has_tracer(tree.flatten(args)[0]):
            return self.fun(*args)
        return bind_call(custom_vjp_call, args, rule=self)


def _custom_vjp_impl(*flat, in_tree, box, rule):
    return run_flat(rule.fun, in_tree, flat, box)


custom_vjp_call = Primitive("custom_vjp_call", _custom_vjp_impl, multiple_results=True)
inline_primitives.add(custom_vjp_call)  # jit stages the function's operations themselves


def _custom_vjp_fwd_flat(rule, in_tree, vals, box):
    pair = rule.fwd(*tree.unflatten(in_tree, vals))
    if not (isinstance(pair, (tuple, list)) and len(pair) == 2):
        raise TypeError(f"custom_vjp {rule.fun.__name__}: the forward rule must return a pair "
                        f"(output, residuals), e.g. return f(x), x; it returned "
                        f"{type(pair).__name__} {pair!r:.40}")
    out, res = pair
    out_flat, out_tree = tree.flatten(out)
    if not box:
        box.append(out_tree)
    return tuple(out_flat), res


def _custom_vjp_record(trace, vals, parents, params):
    rule, in_tree, box = params["rule"], params["in_tree"], params["box"]
    with _sealed(trace, f"cr.custom_vjp function {rule.fun.__name__}"):
        out_flat, res = _custom_vjp_fwd_flat(rule, in_tree, vals, box)
    _refuse_inner(trace, out_flat, f"cr.custom_vjp function {rule.fun.__name__}")

    def bwd(g):
        cts = rule.bwd(res, tree.unflatten(box[0], list(g)))
        return _flat_cts(cts, in_tree, vals, f"custom_vjp {rule.fun.__name__}")

    return trace.record(custom_vjp_call, params, list(vals), out_flat, parents, bwd=bwd)


def _custom_vjp_jvp(primals, tangents, in_tree, box, rule):
    out_flat, res = _custom_vjp_fwd_flat(rule, in_tree, primals, box)

    def pullback(*u):
        cts = rule.bwd(res, tree.unflatten(box[0], list(u)))
        flat = _flat_cts(cts, in_tree, primals, f"custom_vjp {rule.fun.__name__}")
        return tuple(zeros_like(p) if c is None else c for c, p in zip(flat, primals))

    # pullback is u -> Jᵀu, linear in u; its own VJP, evaluated at t, is J t.
    cts, transpose = vjp(pullback, *[zeros_like(o) for o in out_flat])
    # The rule's cotangents may have another dtype than the primals (float64 for float32):
    # the tangents are cast to theirs, as the pullback's cotangent must match its output.
    ts = tuple(zeros_like(c) if t is None else _cast_to(t, c) for c, t in zip(cts, tangents))
    return out_flat, tuple(transpose(ts))


def _custom_vjp_jvp_on_trace(trace, vals, tans, params):
    with _sealed(trace, f"cr.custom_vjp function {params['rule'].fun.__name__}"):
        outs, touts = _custom_vjp_jvp(vals, tans, **params)
    _refuse_inner(trace, tuple(outs) + tuple(touts),
                  f"cr.custom_vjp function {params['rule'].fun.__name__}")
    return trace._box(custom_vjp_call, outs, touts)


jvp_rules[custom_vjp_call] = TraceRule(_custom_vjp_jvp_on_trace, full=_custom_vjp_jvp)
vjp_rules[custom_vjp_call] = RecordRule(_custom_vjp_record)


# ---- custom_jvp ------------------------------------------------------------------------
class custom_jvp:
    """Give a function a hand-written forward-mode rule.

    >>> import chainrule as cr, chainrule.numpy as cnp
    >>> @cr.custom_jvp
    ... def f(x):
    ...     return cnp.sin(x)
    >>> @f.defjvp
    ... def f_jvp(primals, tangents):
    ...     (x,), (t,) = primals, tangents
    ...     return cnp.sin(x), cnp.cos(x) * t
    >>> float(cr.grad(f)(0.0))
    1.0

    ``jvp_rule(primals, tangents) -> (out, tangent_out)`` must be linear in the
    tangents (it is used transposed for reverse mode).
    """

    def __init__(self, fun):
        functools.update_wrapper(self, fun)
        self.fun = fun
        self.jvp = None

    def defjvp(self, jvp_rule):
        """Set the JVP rule; returns it, so that it can be used as a decorator."""
        self.jvp = jvp_rule
        return jvp_rule

    def __call__(self, *args):
        if self.jvp is None:
            raise TypeError(f"custom_jvp function {self.fun.__name__} has no rule: call "
                            f".defjvp(rule) before using it")
        if not has_tracer(tree.flatten(args)[0]):
            return self.fun(*args)
        return bind_call(custom_jvp_call, args, rule=self)


def _custom_jvp_impl(*flat, in_tree, box, rule):
    return run_flat(rule.fun, in_tree, flat, box)


custom_jvp_call = Primitive("custom_jvp_call", _custom_jvp_impl, multiple_results=True)
inline_primitives.add(custom_jvp_call)


def _user_jvp_flat(rule, in_tree, box, primals, tangents):
    ps = tree.unflatten(in_tree, list(primals))
    ts = tree.unflatten(in_tree, [zeros_like(p) if t is None else t
                               for p, t in zip(primals, tangents)])
    out, tout = rule.jvp(tuple(ps), tuple(ts))
    out_flat, out_tree = tree.flatten(out)
    if not box:
        box.append(out_tree)
    return tuple(out_flat), tuple(tree.flatten(tout)[0])


def _custom_jvp_jvp(primals, tangents, in_tree, box, rule):
    return _user_jvp_flat(rule, in_tree, box, primals, tangents)


def _custom_jvp_record(trace, vals, parents, params):
    rule, in_tree, box = params["rule"], params["in_tree"], params["box"]
    with _sealed(trace, f"cr.custom_jvp function {rule.fun.__name__}"):
        ans = bind(custom_jvp_call, vals, params)
    _refuse_inner(trace, ans, f"cr.custom_jvp function {rule.fun.__name__}")

    def bwd(g):
        # Transpose the (linear) JVP rule with respect to the float arguments only;
        # integer arguments carry no tangent.
        floats = [i for i, v in enumerate(vals) if dtype_of(v).kind == "f"]

        def linear(*ts):
            full = [None] * len(vals)
            for i, t in zip(floats, ts):
                full[i] = t
            return _user_jvp_flat(rule, in_tree, box, vals, full)[1]
        outs, transpose = vjp(linear, *[zeros_like(vals[i]) for i in floats])
        cts = [None] * len(vals)
        for i, c in zip(floats, transpose(tuple(_cast_to(x, o) for x, o in zip(g, outs)))):
            cts[i] = c
        return cts

    return trace.record(custom_jvp_call, params, list(vals), ans, parents, bwd=bwd)


def _custom_jvp_jvp_on_trace(trace, vals, tans, params):
    with _sealed(trace, f"cr.custom_jvp function {params['rule'].fun.__name__}"):
        outs, touts = _custom_jvp_jvp(vals, tans, **params)
    _refuse_inner(trace, tuple(outs) + tuple(touts),
                  f"cr.custom_jvp function {params['rule'].fun.__name__}")
    return trace._box(custom_jvp_call, outs, touts)


jvp_rules[custom_jvp_call] = TraceRule(_custom_jvp_jvp_on_trace, full=_custom_jvp_jvp)
vjp_rules[custom_jvp_call] = RecordRule(_custom_jvp_record)
