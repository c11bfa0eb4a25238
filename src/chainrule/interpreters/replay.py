"""Replay a recorded tape forwards with tangents: the linear map of linearize.

``linearize`` records the computation once (the same tape reverse mode
records); each call of the returned linear function walks the tape in
execution order and applies the JVP rules to the recorded primal values.
No primal operation is recomputed and nothing is traced again, so one J·v
costs about one evaluation of the function's derivative formulas.
"""

from .forward import jvp_rules, MissingRuleError, _add_tangents

__all__ = ["forward_replay"]


def forward_replay(tape, tangents):
    """Propagate ``tangents`` ({input var id: tangent}) through ``tape``.

    Returns {var id: tangent} for every variable reached (None = zero).
    """
    tan = dict(tangents)
    for eqn in tape:
        if eqn is None:
            raise ValueError("this tape was consumed by a backward pass and cannot be replayed")
        prim, params, vals, ans, parents, out_ids, _ = eqn
        ts = [None if p is None else tan.get(p) for p in parents]
        if all(t is None for t in ts):
            continue
        rule = jvp_rules.get(prim)
        if type(rule) is tuple:
            out = None
            for i, t in enumerate(ts):
                if t is None:
                    continue
                r = rule[i] if i < len(rule) else None
                if r is None:
                    raise MissingRuleError(f"argument {i} of '{prim.name}' is not differentiable")
                c = r(t, ans, *vals, **params)
                out = c if out is None else _add_tangents(out, c)
        elif rule is None:
            continue
        else:
            _, out = rule(vals, ts, **params)
        if type(out_ids) is int:
            tan[out_ids] = out
        else:
            for vid, t in zip(out_ids, out):
                tan[vid] = t
    return tan
