"""Rematerialisation: ``checkpoint`` stores a block's inputs and outputs only, and
the backward pass recomputes the rest.

``checkpoint_call`` is a call primitive: in forward mode its body simply runs
on the current trace; in reverse mode it is recorded once as a closed
:class:`Program` (the values it closes over become extra inputs) and the tape
keeps only that program, as one ``run_program`` equation. The backward pass
replays the program once, for all inputs together.

>>> import chainrule as cr, chainrule.numpy as cnp
>>> g = cr.make_graph(lambda x: cr.checkpoint(lambda h: cnp.sin(h) * h)(x))(1.0)
>>> [n.op for n in g.nodes]
['input', 'checkpoint']
"""

import contextlib
import functools
import sys
import threading

from ..core import tree
from ..core.primitive import Primitive, Tracer, bind
from ..interpreters.forward import jvp_rules, JVPTrace, JVPTracer, TraceRule
from ..interpreters.reverse import (vjp_rules, RecordRule, ReverseTrace, ReverseTracer,
                                    backward_pass)
from ..interpreters.staging import inline_primitives, recomputing
from ..interpreters.batching import BatchTrace
from .calls import has_tracer, bind_call, run_flat
from .args import check_callable

__all__ = ["checkpoint", "Program", "run_program"]


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
    check_callable(fun, "checkpoint")
    if getattr(fun, "_chainrule_checkpointed", None) is fun:
        return fun  # checkpoint(checkpoint(f)) stores and recomputes exactly what checkpoint(f) does

    @functools.wraps(fun)
    def checkpointed(*args, **kwargs):
        if kwargs:  # keyword values travel as a closure, which the recording captures
            return checkpoint(functools.partial(fun, **kwargs))(*args)
        flat = tree.flatten(args)[0]
        top, level = None, 0
        for x in flat:
            if isinstance(x, Tracer) and x._trace.level > level:
                top, level = x._trace, x._trace.level
        if top is None:
            return fun(*args)
        with _nesting():
            if isinstance(top, ReverseTrace):
                try:
                    return bind_call(checkpoint_call, args, fun=fun)
                except _ClosesOverInnerTracer:
                    return fun(*args)  # not stored separately: the enclosing tape records it
            if isinstance(top, (JVPTrace, BatchTrace)):
                # Forward mode and vmap store nothing: the block runs as it is. (Under vmap the
                # body may close over a differentiated value of a higher level, which a
                # per-example loop over the call would drop: a zero gradient.)
                return fun(*args)
            return bind_call(checkpoint_call, args, fun=fun)

    checkpointed._chainrule_checkpointed = checkpointed
    return checkpointed


class _Nesting(threading.local):
    def __init__(self):
        self.depth = 0
        self.saved = None


_nest = _Nesting()
# Python frames one level of nesting may take (the user's own, checkpoint's, and those of
# the nested backward pass); a generous bound, since only the limit grows with it.
_FRAMES_PER_LEVEL = 40


@contextlib.contextmanager
def _nesting():
    """Nested checkpoints recurse in Python (each block's body calls the next one, and
    each backward replay runs a backward pass): Python's recursion limit, not memory,
    would bound the depth. Raise the limit as the nesting deepens, and restore it when
    the outermost block returns. Only Python frames are added (no C recursion per level),
    so the C stack is not at risk."""
    st = _nest
    if st.depth == 0:
        st.saved = sys.getrecursionlimit()
    st.depth += 1
    need = st.saved + _FRAMES_PER_LEVEL * st.depth
    if sys.getrecursionlimit() < need:
        sys.setrecursionlimit(need)
    try:
        yield
    finally:
        st.depth -= 1
        if st.depth == 0 and sys.getrecursionlimit() > st.saved:
            sys.setrecursionlimit(st.saved)


class _ClosesOverInnerTracer(Exception):
    """Raised by the recording, caught by ``checkpoint``: run the block unrecorded."""


def _checkpoint_impl(*flat, in_tree, box, fun):
    return run_flat(fun, in_tree, flat, box)


checkpoint_call = Primitive("checkpoint_call", _checkpoint_impl, multiple_results=True)


def _checkpoint_jvp(trace, vals, tans, params):
    # Forward mode stores nothing, so the block simply runs on this trace's tracers
    # (values it closes over are this trace's tracers too, and mix correctly).
    fun, in_tree, box = params["fun"], params["in_tree"], params["box"]
    boxed = [v if t is None else JVPTracer(trace, v, t) for v, t in zip(vals, tans)]
    return run_flat(fun, in_tree, boxed, box)


def _checkpoint_record(trace, vals, parents, params):
    """Record the block as a closed program on a private trace; keep only the program."""
    fun, in_tree, box = params["fun"], params["in_tree"], params["box"]
    block = ReverseTrace("checkpoint", keep_all=True)  # its ops are replayed with their constants
    inputs = [block.new_input(v) for v in vals]
    block.start_capture(trace)
    try:
        out_flat = run_flat(fun, in_tree, inputs, box)
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
    if any(isinstance(v, Tracer) for _, _, args, _ in ops for is_var, v in args if not is_var) \
            or any(isinstance(o, Tracer) for is_var, o in outputs if not is_var):
        # The body closes over a value that a transformation inside this one differentiates
        # (grad over grad): the program would freeze it as a constant and drop its derivative.
        raise _ClosesOverInnerTracer
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
            return tuple(tree.flatten(fun(*tree.unflatten(in_tree, list(xs))))[0])
    return trace.record(run_program, {"program": program}, all_vals, ans, all_parents,
                        bwd=lambda g: _replay_vjp(replay, all_vals, g))


inline_primitives.add(checkpoint_call)  # jit stages the block's operations themselves
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
    with _nesting(), recomputing():  # under jit: staged as a recomputation, not merged away
        trace = ReverseTrace("checkpoint")
        try:
            xs = [trace.new_input(v) for v in vals]
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
    program = params["program"]
    ans = bind(run_program, vals, params)
    return trace.record(run_program, params, list(vals), ans, parents,
                        bwd=lambda g: _replay_vjp(program, vals, g))


# The recorded form of a checkpointed block: a closed primitive (no Python closures),
# so that the tape can be replayed by linearize and nested transformations.
run_program = Primitive("checkpoint", _run_program_impl, multiple_results=True)
inline_primitives.add(run_program)
jvp_rules[run_program] = _run_program_jvp
vjp_rules[run_program] = RecordRule(_run_program_record)
