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

import functools

import numpy as np

from .core.primitive import Primitive, Tracer
from .core import tree as T
from .interpreters.forward import jvp_rules
from .interpreters.reverse import vjp_rules, RecordRule
from .api import vjp, jvp
from .primitives.util import lower

__all__ = ["custom_vjp", "custom_jvp", "checkpoint"]


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


jvp_rules[custom_vjp_call] = _custom_vjp_jvp
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
    ans = bind(custom_jvp_call, vals, params)
    rule, in_tree, box = params["rule"], params["in_tree"], params["box"]

    def bwd(g):
        def linear(*ts):
            return _user_jvp_flat(rule, in_tree, box, vals, ts)[1]
        _, transpose = vjp(linear, *[_zeros_like(v) for v in vals])
        return transpose(tuple(g))

    return trace.record(custom_jvp_call, params, list(vals), ans, parents, bwd=bwd)


jvp_rules[custom_jvp_call] = _custom_jvp_jvp
vjp_rules[custom_jvp_call] = RecordRule(_custom_jvp_record)


# ---- checkpoint -----------------------------------------------------------------------------
def checkpoint(fun):
    """Rematerialise ``fun`` in reverse mode: store only its inputs and outputs.

    Under differentiation, the forward pass runs ``fun`` without recording its
    internals; the backward pass re-runs it (once, for all inputs) to get
    them. Gradients are identical to the uncheckpointed ones.

    >>> import chainrule as cr, chainrule.numpy as cnp
    >>> layer = cr.checkpoint(lambda x: cnp.tanh(x) * 2.0)
    >>> float(cr.grad(lambda x: cnp.sum(layer(x)))(0.0))
    2.0
    """
    @functools.wraps(fun)
    def checkpointed(*args):
        if not _has_tracer(T.flatten(args)[0]):
            return fun(*args)
        return _call(checkpoint_call, fun, args, fun=fun)

    return checkpointed


def _checkpoint_impl(*flat, in_tree, box, fun):
    return _run_flat(fun, in_tree, flat, box)


checkpoint_call = Primitive("checkpoint", _checkpoint_impl, multiple_results=True)


def _checkpoint_flat_fun(fun, in_tree):
    return lambda *xs: tuple(T.flatten(fun(*T.unflatten(in_tree, list(xs))))[0])


def _checkpoint_jvp(primals, tangents, in_tree, box, fun):
    flat_fun = _checkpoint_flat_fun(fun, in_tree)
    ts = tuple(_zeros_like(p) if t is None else t for p, t in zip(primals, tangents))
    out, tout = jvp(flat_fun, tuple(primals), ts)
    if not box:
        box.append(T.flatten(fun(*T.unflatten(in_tree, list(primals))))[1])
    return tuple(out), tuple(tout)


def _checkpoint_record(trace, vals, parents, params):
    from .core.primitive import bind
    ans = bind(checkpoint_call, vals, params)  # internals are not recorded at this level
    flat_fun = _checkpoint_flat_fun(params["fun"], params["in_tree"])

    def bwd(g):
        # Recompute the block once, recording it, and pull every cotangent back together.
        _, pullback = vjp(flat_fun, *vals)
        return pullback(tuple(g))

    return trace.record(checkpoint_call, params, list(vals), ans, parents, bwd=bwd)


jvp_rules[checkpoint_call] = _checkpoint_jvp
vjp_rules[checkpoint_call] = RecordRule(_checkpoint_record)
