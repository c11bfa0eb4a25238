"""Replay a recorded tape with the rule tables, one equation at a time.

``linearize`` records the computation once (the same tape reverse mode
records); each call of the returned linear function walks the tape in
execution order and applies the JVP rules to the recorded primal values
(:func:`forward_replay`). No primal operation is recomputed and nothing is
traced again, so one J·v costs about one evaluation of the function's
derivative formulas.

The node-by-node sweeps of the explain tables (:mod:`chainrule.sweeps`) apply
the same rules to single equations: :func:`equation_jvp` and
:func:`equation_vjp`.
"""

from .forward import jvp_rules, MissingRuleError, add_tangents
from .reverse import vjp_rules, selective_vjp_rules

__all__ = ["forward_replay", "equation_jvp", "equation_vjp"]


def equation_jvp(eqn, tangents):
    """The output tangent of one recorded equation (a tuple for multiple results).

    ``tangents`` holds one tangent per argument (None: zero). Returns None when
    the output tangent is zero (no argument carries a tangent, or the
    primitive has zero derivative).
    """
    prim, params, vals, ans = eqn[0], eqn[1], eqn[2], eqn[3]
    rule = jvp_rules.get(prim)
    if type(rule) is tuple:
        out = None
        for i, t in enumerate(tangents):
            if t is None:
                continue
            r = rule[i] if i < len(rule) else None
            if r is None:
                raise MissingRuleError(f"argument {i} of '{prim.name}' is not differentiable")
            c = r(t, ans, *vals, **params)
            out = c if out is None else add_tangents(out, c)
        return out
    if rule is None:
        return None
    return rule(vals, tangents, **params)[1]


def equation_vjp(eqn, cotangent):
    """Cotangents of every argument of one recorded equation (None: zero or untraced)."""
    if eqn.bwd is not None:
        return list(eqn.bwd(cotangent))
    rule = vjp_rules[eqn.prim]
    if type(rule) is tuple:
        return [None if p is None else rule[i](cotangent, eqn.ans, *eqn.vals, **eqn.params)
                for i, p in enumerate(eqn.parents)]
    if eqn.prim in selective_vjp_rules:
        return list(rule(cotangent, eqn.ans, eqn.vals, eqn.params, eqn.parents))
    return list(rule(cotangent, eqn.ans, eqn.vals, eqn.params))


def forward_replay(tape, tangents):
    """Propagate ``tangents`` ({input var id: tangent}) through ``tape``.

    Returns {var id: tangent} for every variable reached (None = zero).
    """
    tan = dict(tangents)
    for eqn in tape:
        if eqn is None:
            raise ValueError("this tape was consumed by a backward pass and cannot be replayed")
        parents, out_ids = eqn[4], eqn[5]
        ts = [None if p is None else tan.get(p) for p in parents]
        if all(t is None for t in ts):
            continue
        out = equation_jvp(eqn, ts)
        if out is None:
            continue
        if type(out_ids) is int:
            tan[out_ids] = out
        else:
            for vid, t in zip(out_ids, out):
                tan[vid] = t
    return tan
