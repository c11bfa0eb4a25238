"""Every batching rule against a Python loop, on the rule-test cases of tests/test_rules.py.

For each case (a function of float arrays and its input makers), three examples are
drawn, stacked along a new leading axis, and ``vmap(f)`` is compared with
``[f(example) for example in batch]``; the same is done for the function's JVP (so
the rules of the tangent computations are batched too) and for its VJP (so the
transposes are). A final test instruments the batching table and fails when a
declared primitive with a batching rule is reached by none of these runs.
"""

import warnings
import zlib

import numpy as np
import pytest

import chainrule as cr
from chainrule.core import registry
from chainrule.interpreters.batching import batch_rules

from test_rules import (SPECS, ZERO, VALUE_ONLY, _cases, _complex_cases, _flat, _random_like,
                        random_like_complex)

B = 3
# The primitives chainrule itself declares (taken before any test declares its own).
BUILTIN = registry.declared_primitives()


def _examples(name, case, what, like=_random_like):
    """B draws of the case's inputs (different seeds), plus matching random tangents."""
    out = []
    for k in range(B):
        rng = np.random.default_rng(zlib.crc32(f"vmap/{what}/{name}/{case.label}/{k}".encode()))
        args = tuple(m(rng) for m in case.makers)
        out.append((args, like(args, rng)))
    return out


def _stack(trees):
    leaves = [_flat(t) for t in trees]
    _, tdef = cr.tree.flatten(trees[0])
    return cr.tree.unflatten(tdef, [np.stack([np.asarray(ls[i]) for ls in leaves])
                                    for i in range(len(leaves[0]))])


def _compare(batched, per_example, what):
    got = _flat(batched)
    want = [_flat(p) for p in per_example]
    assert len(got) == len(want[0]), what
    for i, g in enumerate(got):
        expect = np.stack([np.asarray(w[i]) for w in want])
        np.testing.assert_allclose(np.asarray(g), expect, rtol=1e-10, atol=1e-12, err_msg=what)


def _check_case(name, case, like=_random_like):
    exs = _examples(name, case, "fn", like)
    xs = _stack([a for a, _ in exs])
    ts = _stack([t for _, t in exs])
    fn = case.fn
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        _compare(cr.vmap(fn)(*xs), [fn(*a) for a, _ in exs], f"{name}: vmap(f)")

        def jvp_of(args, tans):
            return cr.jvp(fn, args, tans)[1]
        _compare(cr.vmap(jvp_of)(xs, ts), [jvp_of(a, t) for a, t in exs], f"{name}: vmap(jvp)")

        outs = [fn(*a) for a, _ in exs]
        cts = [like(o, np.random.default_rng(k)) for k, o in enumerate(outs)]

        def vjp_of(args, ct):
            return cr.vjp(fn, *args)[1](ct)
        _compare(cr.vmap(vjp_of)(xs, _stack(cts)), [vjp_of(a, c) for (a, _), c in zip(exs, cts)],
                 f"{name}: vmap(vjp)")


@pytest.mark.parametrize("name,case", list(_cases()))
def test_vmap_matches_loop(name, case):
    _check_case(name, case)


@pytest.mark.parametrize("name,case", list(_complex_cases()))
def test_vmap_matches_loop_complex(name, case):
    """The complex leg: complex inputs, tangents and (for complex outputs) cotangents."""
    _check_case(name, case, random_like_complex)


@pytest.mark.parametrize("name", sorted(n for n in ZERO if n != "chainrule.numpy.nonzero"))
def test_vmap_matches_loop_zero_derivative(name):
    fn, makers = ZERO[name]
    rngs = [np.random.default_rng(zlib.crc32(f"vmap0/{name}/{k}".encode())) for k in range(B)]
    exs = [tuple(m(r) for m in makers) for r in rngs]
    _compare(cr.vmap(fn)(*_stack(exs)), [fn(*a) for a in exs], f"{name}: vmap(f)")


def test_every_batching_rule_is_reached():
    """Instrument the batching table; every declared primitive with a rule must be hit."""
    reached = set()
    saved = dict(batch_rules)

    def counting(prim, rule):
        def wrapped(vals, dims, **params):
            reached.add(prim)
            return rule(vals, dims, **params)
        return wrapped

    try:
        for prim, rule in saved.items():
            batch_rules[prim] = counting(prim, rule)
        for name in sorted(SPECS):
            for case in SPECS[name]:
                _check_case(name, case)
        for name in sorted(ZERO):
            if name.endswith(".nonzero"):
                continue
            fn, makers = ZERO[name]
            exs = [tuple(m(np.random.default_rng(k)) for m in makers) for k in range(B)]
            cr.vmap(fn)(*_stack(exs))
        for name, _, call, makers in VALUE_ONLY:   # (tests/test_scipy_linalg_breadth.py checks them)
            module = next(m for m in registry.NAMESPACES if name.startswith(m + ".")
                          and name[len(m) + 1:] in registry.entries(m))
            fn = registry.entries(module)[name[len(module) + 1:]].obj
            exs = [tuple(m(np.random.default_rng(k)) for m in makers) for k in range(B)]
            cr.vmap(lambda *a: call(fn, *a))(*_stack(exs))
    finally:
        batch_rules.clear()
        batch_rules.update(saved)
    declared = {p for p in BUILTIN if p in saved}
    missing = sorted(p.name for p in declared - reached)
    assert not missing, f"batching rules no rule-test case reaches under vmap: {missing}"
