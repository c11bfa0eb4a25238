"""Tests for chainrule.schedule: optimality, executability, edge cases, scale."""

import doctest
import heapq
import itertools
import sys
import time
from functools import lru_cache

import numpy as np
import pytest

import chainrule.schedule as schedule_module
from chainrule.schedule import (
    Schedule,
    binomial_evaluations,
    checkpoint_schedule,
    run_schedule,
)


# ---------------------------------------------------------------- references

@lru_cache(maxsize=None)
def _rev(l, c):
    """Brute-force DP: min evaluations to reverse l steps, x_a stored, c slots (x_a's included).

    Options from x_a: advance to the last step and reverse it right away, or
    advance j steps, store x_j (needs a free slot), finish the tail with one
    slot fewer, then the head.
    """
    if l == 1:
        return 0
    best = (l - 1) + _rev(l - 1, c)
    if c >= 2:
        best = min([best] + [j + _rev(l - j, c - 1) + _rev(j, c) for j in range(1, l - 1)])
    return best


@lru_cache(maxsize=None)
def _fwd(l, c):
    """Brute-force DP for the whole job: forward sweep to x_L (storing some states), then reverse."""
    best = l + _rev(l, c)
    if c >= 2:
        best = min([best] + [j + _fwd(l - j, c - 1) + _rev(j, c) for j in range(1, l)])
    return best


def _exhaustive_min(L, k):
    """Shortest path over *every* action sequence of the machine model (tiny L only).

    State: (reversing?, next step to reverse, register index or None, stored
    indices).  Unlike the DP this assumes nothing about schedule structure.
    """
    start = (False, L - 1, 0, frozenset([0]))
    dist = {start: 0}
    heap = [(0, 0, start)]
    tie = itertools.count(1)
    while heap:
        d, _, state = heapq.heappop(heap)
        if d > dist[state]:
            continue
        reversing, nxt, reg, stored = state
        if reversing and nxt < 0:
            return d
        moves = []
        limit = nxt if reversing else L  # states beyond the next reversal are useless
        if reg is not None and reg < limit:
            if not reversing and reg + 1 == L:
                moves.append((1, (True, L - 1, None, stored)))  # output produced
            else:
                moves.append((1, (reversing, nxt, reg + 1, stored)))
        if reg is not None and reg not in stored and len(stored) < k:
            moves.append((0, (reversing, nxt, reg, stored | {reg})))
        for p in stored:
            moves.append((0, (reversing, nxt, p, stored)))  # restore
            moves.append((0, (reversing, nxt, reg, stored - {p})))  # drop
        if reversing and reg == nxt:
            alive = frozenset(p for p in stored if p < nxt)
            moves.append((0, (True, nxt - 1, None, alive)))
        for cost, new in moves:
            if d + cost < dist.get(new, 1 << 60):
                dist[new] = d + cost
                heapq.heappush(heap, (d + cost, next(tie), new))
    raise AssertionError("no schedule found")


def _run_and_check(plan, x0=None):
    """Run plan with counting numpy layers; check reversal order and every x_i."""
    rng = np.random.default_rng(plan.L)
    shifts = rng.standard_normal((plan.L, 3))
    x0 = np.arange(3.0) if x0 is None else x0

    def forward_step(i, x):
        return np.tanh(x) + shifts[i]  # a new array; distinct per step

    direct = [x0]
    for i in range(plan.L):
        direct.append(forward_step(i, direct[-1]))

    reversed_steps = []

    def reverse_step(i, x):
        np.testing.assert_array_equal(x, direct[i])
        reversed_steps.append(i)

    res = run_schedule(plan, forward_step, reverse_step, x0)
    assert reversed_steps == list(range(plan.L - 1, -1, -1))
    np.testing.assert_array_equal(res.output, direct[plan.L])
    assert res.evaluations == plan.evaluations
    assert res.peak_snapshots == plan.peak_snapshots <= plan.budget
    return res


# ---------------------------------------------------------------- optimality

def test_closed_form_matches_brute_force_dp():
    for L in range(1, 21):
        for k in range(1, 6):
            assert binomial_evaluations(L, k) == _fwd(L, k), (L, k)


@pytest.mark.parametrize("L,k", [(L, k) for L in range(1, 8) for k in range(1, 4)]
                         + [(8, 2), (8, 3), (5, 5), (6, 6)])
def test_closed_form_matches_exhaustive_search(L, k):
    # Validates the DP's structural assumption on tiny cases.
    assert binomial_evaluations(L, k) == _exhaustive_min(L, k)


def test_known_values():
    assert binomial_evaluations(3, 1) == 6  # 3 + 2 + 1: restart from x_0 for each step
    for L in range(1, 30):
        assert binomial_evaluations(L, 1) == L * (L + 1) // 2
        assert binomial_evaluations(L, L) == L
        assert binomial_evaluations(L, L + 5) == L
        if L >= 2:
            assert binomial_evaluations(L, L - 1) == L + 1
    # L = beta(k, r) - 1 steps: r-fold repetition is exactly enough.
    assert binomial_evaluations(9, 2) == 3 * 10 - 10  # l=10=C(5,2), r=3
    # More memory never costs more evaluations.
    for L in range(1, 40):
        counts = [binomial_evaluations(L, k) for k in range(1, L + 2)]
        assert counts == sorted(counts, reverse=True)


# ---------------------------------------------------------------- execution

@pytest.mark.parametrize("L", range(1, 21))
def test_binomial_plans_execute_optimally(L):
    for k in range(1, 7):
        plan = checkpoint_schedule(L, budget=k)
        assert plan.L == L and plan.budget == k and plan.kind == "binomial"
        assert plan.evaluations == binomial_evaluations(L, k) == _fwd(L, k)
        _run_and_check(plan)


@pytest.mark.parametrize("L,k", [(57, 3), (100, 4), (200, 7), (300, 2), (129, 1)])
def test_binomial_plans_execute_larger(L, k):
    plan = checkpoint_schedule(L, budget=k)
    _run_and_check(plan)
    assert plan.evaluations == binomial_evaluations(L, k)


def test_store_everything_when_budget_covers_L():
    for L in (1, 2, 5, 9):
        for k in (L, L + 3):
            plan = checkpoint_schedule(L, budget=k)
            assert plan.evaluations == L
            assert plan.peak_snapshots == L
            assert [a for a in plan.actions if a[0] == "advance"] == [
                ("advance", i, i + 1) for i in range(L)]
            _run_and_check(plan)


def test_action_vocabulary_and_forward_sweep_first():
    plan = checkpoint_schedule(12, budget=3)
    ops = {a[0] for a in plan.actions}
    assert ops == {"advance", "snapshot", "restore", "reverse"}
    first_reverse = next(n for n, a in enumerate(plan.actions) if a[0] == "reverse")
    reaches_L = [n for n, a in enumerate(plan.actions) if a[0] == "advance" and a[2] == 12]
    assert len(reaches_L) == 1 and reaches_L[0] < first_reverse
    assert plan.actions[0] == ("snapshot", 0, 0)
    assert all(0 <= a[2] < 3 for a in plan.actions if a[0] == "snapshot")
    assert list(plan.iter_actions()) == plan.actions


def test_forward_sweep_prefix_then_pullback_starting_with_restore():
    # Documented split point for vjp: forward sweep = actions through the advance to x_L.
    for L in range(1, 40):
        for k in range(1, 7):
            for plan in (checkpoint_schedule(L, budget=k), checkpoint_schedule(L, segments=k)):
                acts = plan.actions
                m = next(n for n, a in enumerate(acts) if a[0] == "advance" and a[2] == L)
                assert all(a[0] != "reverse" for a in acts[:m])
                assert acts[m + 1][0] == "restore"


@pytest.mark.parametrize("L", [1, 2, 7, 10, 16, 33])
def test_segment_plans(L):
    for s in range(1, L + 2):
        plan = checkpoint_schedule(L, segments=s)
        assert plan.kind == "segments" and plan.segments == s
        m = -(-L // s)
        n = -(-L // m)
        assert plan.evaluations == 2 * L - n
        _run_and_check(plan)
        # Never better than optimal with the same memory.
        assert plan.evaluations >= binomial_evaluations(L, plan.budget)
    assert checkpoint_schedule(L, segments=L).evaluations == L


def test_binomial_beats_segments_at_equal_memory():
    seg = checkpoint_schedule(100, segments=10)
    assert (seg.evaluations, seg.budget) == (190, 18)
    assert checkpoint_schedule(100, budget=18).evaluations < 190


def test_run_schedule_rejects_bad_plans():
    plan = checkpoint_schedule(3, budget=2)
    bad = Schedule(3, 2, "binomial", plan.evaluations, plan.peak_snapshots)
    bad._actions = [a for a in plan.actions if a != ("reverse", 1)]
    with pytest.raises(RuntimeError, match="expected reverse of step 1"):
        run_schedule(bad, lambda i, x: x + 1, lambda i, x: None, 0)
    bad._actions = [("snapshot", 0, 5)] + plan.actions[1:]
    with pytest.raises(RuntimeError, match="slots are 0..1"):
        run_schedule(bad, lambda i, x: x + 1, lambda i, x: None, 0)
    bad._actions = plan.actions[:-1]
    with pytest.raises(RuntimeError, match="before step 0 was reversed"):
        run_schedule(bad, lambda i, x: x + 1, lambda i, x: None, 0)


# ---------------------------------------------------------------- edge cases / errors

def test_single_step_single_slot():
    plan = checkpoint_schedule(1, budget=1)
    assert plan.evaluations == 1 and plan.peak_snapshots == 1
    assert plan.actions == [("snapshot", 0, 0), ("advance", 0, 1),
                            ("restore", 0, 0), ("reverse", 0)]
    _run_and_check(plan)
    assert checkpoint_schedule(1, segments=1).evaluations == 1


@pytest.mark.parametrize("kwargs,match", [
    (dict(L=0, budget=2), "L must be an integer >= 1.*number of steps"),
    (dict(L=-3, segments=2), "L must be an integer >= 1"),
    (dict(L=2.5, budget=2), "L must be an integer >= 1"),
    (dict(L=5, budget=0), "budget must be an integer >= 1.*budget=1"),
    (dict(L=5, budget=True), "budget must be an integer >= 1"),
    (dict(L=5, segments=0), "segments must be an integer >= 1.*segments="),
    (dict(L=5, budget=2, segments=2), "either budget=k.*or segments=s.*not both"),
    (dict(L=5), "pass budget=k"),
])
def test_invalid_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        checkpoint_schedule(**kwargs)


def test_binomial_evaluations_invalid():
    with pytest.raises(ValueError, match="L must be"):
        binomial_evaluations(0, 3)
    with pytest.raises(ValueError, match="k must be"):
        binomial_evaluations(3, 0)


def test_numpy_integers_accepted():
    plan = checkpoint_schedule(np.int64(10), budget=np.int32(3))
    assert plan.evaluations == binomial_evaluations(10, 3)


# ---------------------------------------------------------------- scale

def test_large_L_is_fast_and_iterative():
    t0 = time.perf_counter()
    plan = checkpoint_schedule(10_000, budget=10)
    res = run_schedule(plan, lambda i, x: x + 1, lambda i, x: None, 0)
    assert res.output == 10_000
    assert res.evaluations == plan.evaluations == binomial_evaluations(10_000, 10)
    assert res.peak_snapshots == 10
    assert time.perf_counter() - t0 < 10


def test_huge_L_does_not_recurse():
    # Planning is O(1); streaming actions keeps a stack of at most `budget` tasks.
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(200)
    try:
        plan = checkpoint_schedule(10**6, budget=10)
        assert plan.evaluations == binomial_evaluations(10**6, 10)
        head = list(itertools.islice(plan.iter_actions(), 5000))
        assert head[0] == ("snapshot", 0, 0)
        assert checkpoint_schedule(10**6, budget=1).evaluations == 10**6 * (10**6 + 1) // 2
        assert checkpoint_schedule(10**6, budget=2).evaluations == binomial_evaluations(10**6, 2)
    finally:
        sys.setrecursionlimit(limit)


def test_docstring_examples():
    result = doctest.testmod(schedule_module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
