"""User-defined derivative rules and rematerialisation, as call primitives.

A call primitive is a primitive whose body is a Python function; its rules
either replace that body's derivative (custom_jvp, custom_vjp) or recompute it
(checkpoint). The core needs no special support: each is one primitive with
a JVP rule, a reverse-mode :class:`~chainrule.interpreters.reverse.RecordRule`
and an implementation.

Every custom rule works in both modes:

- a ``custom_vjp`` function stays forward-differentiable: its JVP is derived
  from the VJP rule. ``u -> bwd(res, u)`` is linear in ``u`` (it is Jᵀu), so
  reverse-differentiating it gives back J·v. (JAX cannot do this; see its
  issue #16049.) The rule ``bwd`` must therefore use chainrule operations.
- a ``custom_jvp`` function is reverse-differentiable: its VJP is the
  transpose of the (linear) JVP rule, obtained by reverse mode over it.
"""

import contextlib
import functools

import numpy as np

from .core.primitive import Primitive, Tracer
from .core import tree as T
from .interpreters.forward import jvp_rules, JVPTrace, JVPTracer, TraceRule
from .interpreters.reverse import (vjp_rules, RecordRule, ReverseTrace, ReverseTracer,
                                   backward_pass)
from .api import vjp, jvp
from .primitives.util import lower

__all__ = ["custom_vjp", "custom_jvp", "checkpoint"]


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


def _has_tracer(leaves):
    for x in leaves:
        if isinstance(x, Tracer):
            return True
    return False


def _zeros_like(x):
    z = np.zeros(np.shape(lower(x)), dtype=np.result_type(lower(x)))
    return z[()] if z.ndim == 0 else z


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
            cl, ctree = T.flatten(c)
            if ctree != sub:
                raise TypeError(f"{who}: a cotangent's structure {ctree} differs from its "
                                f"argument's {sub}")
            leaves.extend(cl)
    for k, (c, v) in enumerate(zip(leaves, vals)):
        if c is not None and np.shape(lower(c)) != np.shape(lower(v)):
            raise TypeError(
                f"{who}: the backward rule returned a cotangent of shape {np.shape(lower(c))} "
                f"for an argument of shape {np.shape(lower(v))} (leaf {k}); each cotangent "
                f"must have its argument's shape")
    return leaves


def _call(prim, fn, args, **extra):
    """Apply a call primitive to pytree ``args``; returns the output pytree."""
    flat, in_tree = T.flatten(tuple(args))
    box = []
    outs = prim(*flat, in_tree=in_tree, box=box, **extra)
    return T.unflatten(box[0], outs)


def _run_flat(fn, in_tree, vals, box):
    out = fn(*T.unflatten(in_tree, vals))
    out_flat, out_tree = T.flatten(out)
    if box:
        if box[0] != out_tree:
            raise TypeError("a custom rule's output structure differs from the function's")
    else:
        box.append(out_tree)
    return tuple(out_flat)


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
        if not _has_tracer(T.flatten(args)[0]):
            return self.fun(*args)
        return _call(custom_vjp_call, self.fun, args, rule=self)


def _custom_vjp_impl(*flat, in_tree, box, rule):
    return _run_flat(rule.fun, in_tree, flat, box)


custom_vjp_call = Primitive("custom_vjp_call", _custom_vjp_impl, multiple_results=True)


def _custom_vjp_fwd_flat(rule, in_tree, vals, box):
    out, res = rule.fwd(*T.unflatten(in_tree, vals))
    out_flat, out_tree = T.flatten(out)
    if not box:
        box.append(out_tree)
    return tuple(out_flat), res


def _custom_vjp_record(trace, vals, parents, params):
    rule, in_tree, box = params["rule"], params["in_tree"], params["box"]
    with _sealed(trace, f"cr.custom_vjp function {rule.fun.__name__}"):
        out_flat, res = _custom_vjp_fwd_flat(rule, in_tree, vals, box)

    def bwd(g):
        cts = rule.bwd(res, T.unflatten(box[0], list(g)))
        return _flat_cts(cts, in_tree, vals, f"custom_vjp {rule.fun.__name__}")

    return trace.record(custom_vjp_call, params, list(vals), out_flat, parents, bwd=bwd)


def _custom_vjp_jvp(primals, tangents, in_tree, box, rule):
    out_flat, res = _custom_vjp_fwd_flat(rule, in_tree, primals, box)

    def pullback(*u):
        cts = rule.bwd(res, T.unflatten(box[0], list(u)))
        flat = _flat_cts(cts, in_tree, primals, f"custom_vjp {rule.fun.__name__}")
        return tuple(_zeros_like(p) if c is None else c for c, p in zip(flat, primals))

    # pullback is u -> Jᵀu, linear in u; its own VJP, evaluated at t, is J t.
    _, transpose = vjp(pullback, *[_zeros_like(o) for o in out_flat])
    ts = tuple(_zeros_like(p) if t is None else t for p, t in zip(primals, tangents))
    return out_flat, tuple(transpose(ts))


def _custom_vjp_jvp_on_trace(trace, vals, tans, params):
    with _sealed(trace, f"cr.custom_vjp function {params['rule'].fun.__name__}"):
        outs, touts = _custom_vjp_jvp(vals, tans, **params)
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
        if not _has_tracer(T.flatten(args)[0]):
            return self.fun(*args)
        return _call(custom_jvp_call, self.fun, args, rule=self)


def _custom_jvp_impl(*flat, in_tree, box, rule):
    return _run_flat(rule.fun, in_tree, flat, box)


custom_jvp_call = Primitive("custom_jvp_call", _custom_jvp_impl, multiple_results=True)


def _user_jvp_flat(rule, in_tree, box, primals, tangents):
    ps = T.unflatten(in_tree, list(primals))
    ts = T.unflatten(in_tree, [_zeros_like(p) if t is None else t
                               for p, t in zip(primals, tangents)])
    out, tout = rule.jvp(tuple(ps), tuple(ts))
    out_flat, out_tree = T.flatten(out)
    if not box:
        box.append(out_tree)
    return tuple(out_flat), tuple(T.flatten(tout)[0])


def _custom_jvp_jvp(primals, tangents, in_tree, box, rule):
    return _user_jvp_flat(rule, in_tree, box, primals, tangents)


def _custom_jvp_record(trace, vals, parents, params):
    from .core.primitive import bind
    rule, in_tree, box = params["rule"], params["in_tree"], params["box"]
    with _sealed(trace, f"cr.custom_jvp function {rule.fun.__name__}"):
        ans = bind(custom_jvp_call, vals, params)

    def bwd(g):
        # Transpose the (linear) JVP rule with respect to the float arguments only;
        # integer arguments carry no tangent.
        floats = [i for i, v in enumerate(vals) if np.result_type(lower(v)).kind == "f"]

        def linear(*ts):
            full = [None] * len(vals)
            for i, t in zip(floats, ts):
                full[i] = t
            return _user_jvp_flat(rule, in_tree, box, vals, full)[1]
        _, transpose = vjp(linear, *[_zeros_like(vals[i]) for i in floats])
        cts = [None] * len(vals)
        for i, c in zip(floats, transpose(tuple(g))):
            cts[i] = c
        return cts

    return trace.record(custom_jvp_call, params, list(vals), ans, parents, bwd=bwd)


def _custom_jvp_jvp_on_trace(trace, vals, tans, params):
    with _sealed(trace, f"cr.custom_jvp function {params['rule'].fun.__name__}"):
        outs, touts = _custom_jvp_jvp(vals, tans, **params)
    return trace._box(custom_jvp_call, outs, touts)


jvp_rules[custom_jvp_call] = TraceRule(_custom_jvp_jvp_on_trace, full=_custom_jvp_jvp)
vjp_rules[custom_jvp_call] = RecordRule(_custom_jvp_record)


# ---- checkpoint -----------------------------------------------------------------------------
def checkpoint(fun):
    """Rematerialise ``fun`` in reverse mode: store only its inputs and outputs.

    Under reverse mode the block is recorded once as a closed program (the
    values it closes over, such as weights, become extra inputs), its
    intermediate values are dropped, and the backward pass replays the program
    once, for all inputs together, to get them back. Forward mode needs no
    storage and runs ``fun`` as it is. Gradients are the same as without
    checkpointing.

    >>> import chainrule as cr, chainrule.numpy as cnp
    >>> W = cnp.array([[0.5, 0.0], [0.0, 2.0]])
    >>> def loss(W):
    ...     block = cr.checkpoint(lambda h: cnp.tanh(h @ W))   # closes over W
    ...     return cnp.sum(block(block(cnp.ones(2))))
    >>> cr.grad(loss)(W).shape
    (2, 2)
    """
    @functools.wraps(fun)
    def checkpointed(*args):
        if not _has_tracer(T.flatten(args)[0]):
            return fun(*args)
        return _call(checkpoint_call, fun, args, fun=fun)

    return checkpointed


def _checkpoint_impl(*flat, in_tree, box, fun):
    return _run_flat(fun, in_tree, flat, box)


checkpoint_call = Primitive("checkpoint_call", _checkpoint_impl, multiple_results=True)


def _checkpoint_jvp(trace, vals, tans, params):
    # Forward mode stores nothing, so the block simply runs on this trace's tracers
    # (values it closes over are this trace's tracers too, and mix correctly).
    fun, in_tree, box = params["fun"], params["in_tree"], params["box"]
    boxed = [v if t is None else JVPTracer(trace, v, t) for v, t in zip(vals, tans)]
    return _run_flat(fun, in_tree, boxed, box)


def _checkpoint_record(trace, vals, parents, params):
    """Record the block as a closed program on a private trace; keep only the program."""
    fun, in_tree, box = params["fun"], params["in_tree"], params["box"]
    block = ReverseTrace("checkpoint")
    inputs = [block.new_input(v) for v in vals]
    block.start_capture(trace)
    try:
        out_flat = _run_flat(fun, in_tree, inputs, box)
    finally:
        block.stop_capture()
        block.finish()
    # A closed-over tracer returned as it is is an output of the block too.
    out_flat = [block.capture(o) if isinstance(o, Tracer) and o._trace is trace else o
                for o in out_flat]
    captured_ids = list(block.captured_outer)
    input_ids = [x._id for x in inputs] + [block.captured[i]._id for i in captured_ids]
    ops = [(prim, prm, tuple((False, v) if p is None else (True, p) for p, v in zip(par, vs)), out)
           for prim, prm, vs, ans, par, out, _ in block.tape]
    outputs = tuple((True, o._id) if isinstance(o, ReverseTracer) and o._trace is block
                    else (False, o) for o in out_flat)
    program = Program(ops, input_ids, outputs)
    ans = tuple(o._value if isinstance(o, ReverseTracer) and o._trace is block else o
                for o in out_flat)
    all_vals = list(vals) + [block.captured_outer[i]._value for i in captured_ids]
    all_parents = list(parents) + captured_ids
    del block  # its tape, which held every intermediate value, goes with it
    if captured_ids:
        replay = program
    else:
        # Nothing closed over: re-run the Python function itself, as users of PyTorch
        # expect (side effects such as counters see the recomputation).
        def replay(*xs):
            return tuple(T.flatten(fun(*T.unflatten(in_tree, list(xs))))[0])
    return trace.record(run_program, {"program": program}, all_vals, ans, all_parents,
                        bwd=lambda g: _replay_vjp(replay, all_vals, g))


jvp_rules[checkpoint_call] = TraceRule(_checkpoint_jvp)
vjp_rules[checkpoint_call] = RecordRule(_checkpoint_record)


class Program:
    """A recorded, closed sequence of primitive applications (what a checkpoint replays).

    ``ops`` holds ``(prim, params, args, out)`` where each argument is
    ``(True, var id)`` or ``(False, constant)``; ``inputs`` and ``outputs``
    name the variables at the boundary.
    """

    __slots__ = ("ops", "inputs", "outputs")

    def __init__(self, ops, inputs, outputs):
        self.ops, self.inputs, self.outputs = ops, inputs, outputs

    def __call__(self, *xs):
        """Evaluate the program on ``xs`` (plain values or tracers of any transformation)."""
        env = dict(zip(self.inputs, xs))
        for prim, params, args, out in self.ops:
            res = prim(*[env[x] if is_var else x for is_var, x in args], **params)
            if type(out) is int:
                env[out] = res
            else:
                env.update(zip(out, res))
        return tuple(env[x] if is_var else x for is_var, x in self.outputs)

    def __repr__(self):
        return f"<Program: {len(self.ops)} operations, {len(self.inputs)} inputs>"


def _run_program_impl(*xs, program):
    return program(*xs)


def _run_program_jvp(primals, tangents, program):
    trace = JVPTrace("checkpoint")
    xs = [v if t is None else JVPTracer(trace, v, t) for v, t in zip(primals, tangents)]
    try:
        outs = program(*xs)
    finally:
        trace.finish()
    own = [isinstance(o, JVPTracer) and o._trace is trace for o in outs]
    return (tuple(o._value if m else o for o, m in zip(outs, own)),
            tuple(o._tangent if m else None for o, m in zip(outs, own)))


def _replay_vjp(run, vals, g):
    """Re-run the block once (``run(*xs)`` gives its flat outputs), recording it, and
    pull every cotangent back together."""
    trace = ReverseTrace("checkpoint")
    xs = [trace.new_input(v) for v in vals]
    try:
        outs = run(*xs)
    finally:
        trace.finish()
    seeds = {}
    for o, c in zip(outs, g):
        if isinstance(o, ReverseTracer) and o._trace is trace:
            seeds[o._id] = c if o._id not in seeds else seeds[o._id] + c
    cts = backward_pass(trace.tape, seeds, consume=True)
    return [cts.get(x._id) for x in xs]


def _run_program_record(trace, vals, parents, params):
    from .core.primitive import bind
    program = params["program"]
    ans = bind(run_program, vals, params)
    return trace.record(run_program, params, list(vals), ans, parents,
                        bwd=lambda g: _replay_vjp(program, vals, g))


# The recorded form of a checkpointed block: a closed primitive (no Python closures),
# so that the tape can be replayed by linearize and nested transformations.
run_program = Primitive("checkpoint", _run_program_impl, multiple_results=True)
jvp_rules[run_program] = _run_program_jvp
vjp_rules[run_program] = RecordRule(_run_program_record)
