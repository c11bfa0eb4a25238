"""Checkpointing schedules for reverse-mode AD through long sequential programs.

The program is a chain of ``L`` steps ``x_{i+1} = F_i(x_i)``, ``i = 0 .. L-1``.
Reverse mode needs ``x_i`` again when it reverses step ``i`` (the executor
calls the VJP of ``F_i`` at ``x_i``), and it reverses the steps in the order
``L-1, L-2, ..., 0``.  Storing every ``x_i`` costs ``L`` states of memory; a
checkpointing schedule stores at most ``budget`` of them and recomputes the
others from the nearest stored one.  :func:`checkpoint_schedule` builds the
provably optimal *binomial* schedule (Revolve; Griewank & Walther, ACM TOMS
Algorithm 799, 2000) or, for comparison, the simple uniform-segment schedule.

Machine model and conventions
-----------------------------
The executor has one *register* (the working state it is advancing) and
``budget`` numbered *slots*, ``0 .. budget-1``, that hold stored states.

* ``budget`` counts every stored state, **including the input** ``x_0`` (the
  schedule stores it in slot 0 because nothing can be recomputed without it).
  Not counted: the register, and the program output ``x_L``.
* The forward sweep runs to the end and produces the output ``x_L`` *before*
  any step is reversed (a ``vjp`` must return the primal output before the
  cotangent is known).
* ``evaluations`` counts standalone calls ``forward_step(i, x_i)``: the ``L`` of
  the forward sweep plus every recomputation.  It does **not** count the
  evaluation of ``F_i`` that happens inside the VJP of step ``i`` during
  reversal (that one is unavoidable and always exactly ``L``).

Griewank's "repetition" convention differs by one step: it leaves the
computation of ``x_L`` to the reversal of the last step.  Hence our minimum for
``L`` steps equals Griewank-Walther's minimum ``t(l, c)`` for ``l = L + 1``
steps (the extra one being a virtual "produce the output" step) and
``c = budget``; see :func:`binomial_evaluations`.

Action vocabulary (tuples, run in order by :func:`run_schedule`)
---------------------------------------------------------------
``("advance", i, j)``
    The register holds ``x_i``; apply ``F_i, ..., F_{j-1}`` so it holds ``x_j``
    (``j - i`` evaluations).  The single advance that reaches ``j == L``
    produces the output; it comes before every ``reverse``.
``("snapshot", i, slot)``
    Store the register (which holds ``x_i``) in ``slot``, replacing its content.
``("restore", slot, i)``
    Load the register from ``slot`` (which holds ``x_i``); the slot keeps it.
``("reverse", i)``
    The register holds ``x_i``; reverse step ``i`` (call the VJP of ``F_i`` at
    ``x_i``).  Afterwards every stored ``x_j`` with ``j >= i`` is dead (no
    remaining reversal can use it); executors may drop it, and the peak counts
    assume they do.

Every plan starts with ``("snapshot", 0, 0)``.  The actions up to and
including the advance that reaches ``x_L`` are the forward sweep (run them
inside ``vjp``); the rest is the pullback, which starts with a ``restore`` and
so needs only the slots, not the register, from the forward sweep.

States are treated as immutable values: a snapshot keeps a reference, so
``forward_step`` must return new arrays rather than update ``x`` in place.
"""

import collections
import operator
from math import comb

__all__ = [
    "Schedule",
    "RunResult",
    "binomial_evaluations",
    "checkpoint_schedule",
    "run_schedule",
]


def _as_count(value, name, fn, hint):
    """Return ``value`` as an int >= 1, or raise ValueError naming the fix."""
    if isinstance(value, bool):
        raise ValueError(f"{fn}: {name} must be an integer >= 1, got {value!r}; {hint}")
    try:
        n = operator.index(value)
    except TypeError:
        raise ValueError(
            f"{fn}: {name} must be an integer >= 1, got {value!r}; {hint}") from None
    if n < 1:
        raise ValueError(f"{fn}: {name} must be an integer >= 1, got {n}; {hint}")
    return n


_L_HINT = "pass the number of steps F_0..F_{L-1} of the chain"
_BUDGET_HINT = ("pass budget=1 for the least memory (only x_0 is stored) or "
                "budget=L to store every state")


def _repetitions(l, c):
    """Smallest r with C(c + r, c) >= l: steps are re-run at most r times."""
    r, beta = 0, 1
    while beta < l:
        r += 1
        beta = beta * (c + r) // r  # C(c+r, c) from C(c+r-1, c)
    return r


def _griewank_cost(l, c):
    """Griewank-Walther minimum t(l, c) = r*l - C(c + r, c + 1) (0 when l == 1)."""
    if c == 1:
        return l * (l - 1) // 2  # r = l - 1; avoids an O(l) loop for huge l
    r = _repetitions(l, c)
    return r * l - comb(c + r, c + 1) if r else 0


def _split(l, c):
    """An optimal first checkpoint 1 <= j < l for t(l, c), c >= 2.

    With r = _repetitions(l, c) the optimal j form the interval
    [max(C(c+r-2, c), l - C(c-1+r, c-1)), min(C(c+r-1, c), l - C(c+r-2, c-1))];
    we take its upper end.  (Checked against the brute-force DP in the tests.)
    """
    r = _repetitions(l, c)
    return min(comb(c + r - 1, c), l - comb(c + r - 2, c - 1))


def binomial_evaluations(L, k):
    """Minimal number of forward evaluations to differentiate ``L`` steps with ``k`` stored states.

    Counts the ``L`` evaluations of the forward sweep plus all recomputation,
    never the evaluation inside a step's VJP (see the module docstring).  It
    equals Griewank-Walther's closed form ``t(l, c) = r*l - beta(c+1, r-1)``
    with ``beta(c, r) = C(c+r, c)``, ``c = k``, ``l = L + 1`` and ``r`` the
    integer with ``beta(c, r-1) < l <= beta(c, r)``.  The shift ``l = L + 1``
    is because Griewank's count leaves the computation of ``x_L`` to the
    reversal of the last step, while here the forward sweep must deliver
    ``x_L`` first.  Consequences: ``k >= L`` gives ``L`` (store every
    state, no recomputation); ``k == 1`` gives ``L*(L+1)/2``.

    >>> binomial_evaluations(10, 10), binomial_evaluations(10, 3), binomial_evaluations(3, 1)
    (10, 18, 6)
    """
    L = _as_count(L, "L", "binomial_evaluations", _L_HINT)
    k = _as_count(k, "k", "binomial_evaluations", _BUDGET_HINT)
    return _griewank_cost(L + 1, k)


def _binomial_actions(L, k):
    """Optimal schedule: Griewank's recursion on L + 1 steps, run with an explicit stack.

    A task ``(a, b, c)`` reverses steps ``a .. b-1`` given ``x_a`` in slot
    ``k - c`` and ``c`` slots to use (its own included).  It advances to the
    optimal split ``j``, stores ``x_j`` in slot ``k - c + 1``, then runs the tail
    task ``(j, b, c-1)`` before the head ``(a, j, c)``.  Step ``L`` is virtual:
    "reversing" it just means the forward sweep has produced ``x_L``.  Live
    tasks on the stack have distinct ``c``, so the stack is at most ``k`` deep
    and slot numbers never collide.
    """
    yield ("snapshot", 0, 0)
    reg = 0  # index of the state in the register; None when it holds nothing useful
    stack = [(0, L + 1, k)]
    while stack:
        a, b, c = stack.pop()
        if reg != a:
            yield ("restore", k - c, a)
            reg = a
        if b - a == 1:
            yield ("reverse", a)  # a < L: x_L is never stored
            reg = None
            continue
        j = b - 1 if c == 1 else a + _split(b - a, c)
        yield ("advance", a, j)
        reg = j
        if j == b - 1:
            # x_{b-1} is in the register: reverse it now instead of spending a slot.
            if j < L:
                yield ("reverse", j)
            reg = None
            stack.append((a, j, c))
        else:
            yield ("snapshot", j, k - c + 1)
            stack.append((a, j, c))
            stack.append((j, b, c - 1))


def _segment_bounds(L, s):
    """Starts of the uniform segments of length ceil(L / s) (the last may be shorter)."""
    m = -(-L // s)
    return list(range(0, L, m)) + [L]


def _segments_actions(L, s):
    """Store each segment start; in reverse, re-run one segment storing its states."""
    bounds = _segment_bounds(L, s)
    n = len(bounds) - 1
    for q in range(n):
        if q:
            yield ("advance", bounds[q - 1], bounds[q])
        yield ("snapshot", bounds[q], q)
    yield ("advance", bounds[n - 1], L)
    for q in reversed(range(n)):
        a, b = bounds[q], bounds[q + 1]
        # Slots above q held starts of segments already reversed (dead), so reuse them.
        yield ("restore", q, a)
        for i in range(a + 1, b):
            yield ("advance", i - 1, i)
            if i < b - 1:
                yield ("snapshot", i, q + i - a)
        for i in reversed(range(a, b)):
            if i < b - 1:
                yield ("restore", q + i - a, i)
            yield ("reverse", i)


class Schedule:
    """A checkpointing plan for ``L`` chained steps; build it with :func:`checkpoint_schedule`.

    Attributes: ``L``, ``budget`` (slots the plan may use; for a segments plan
    the slots it needs), ``kind`` (``"binomial"`` or ``"segments"``),
    ``segments`` (``s`` or None), ``evaluations`` (forward evaluations, see the
    module docstring), ``peak_snapshots`` (most live stored states at once,
    ``<= budget``), ``actions`` (list of action tuples).  Counts are computed
    in closed form, and actions are generated lazily, so plans for huge ``L``
    are cheap until you ask for ``actions``; :meth:`iter_actions` streams them.

    >>> plan = checkpoint_schedule(3, budget=2)
    >>> plan.evaluations, plan.peak_snapshots
    (4, 2)
    >>> print(plan.describe())
    binomial schedule: L=3 steps, budget=2 stored states (x_0 included)
      4 forward evaluations (3 forward sweep + 1 recomputation), peak 2 stored states
      snapshot  x0 -> slot 0
      advance   x0 -> x2
      snapshot  x2 -> slot 1
      advance   x2 -> x3   (output x_3)
      restore   slot 1 -> x2
      reverse   step 2
      restore   slot 0 -> x0
      advance   x0 -> x1
      reverse   step 1
      restore   slot 0 -> x0
      reverse   step 0
    """

    def __init__(self, L, budget, kind, evaluations, peak_snapshots, segments=None):
        self.L = L
        self.budget = budget
        self.kind = kind
        self.segments = segments
        self.evaluations = evaluations
        self.peak_snapshots = peak_snapshots
        self._actions = None

    def iter_actions(self):
        """Yield the actions one by one without building the whole list.

        >>> next(checkpoint_schedule(5, budget=2).iter_actions())
        ('snapshot', 0, 0)
        """
        if self._actions is not None:
            return iter(self._actions)
        if self.kind == "binomial":
            return _binomial_actions(self.L, self.budget)
        return _segments_actions(self.L, self.segments)

    @property
    def actions(self):
        """All actions as a list (built on first access, then cached)."""
        if self._actions is None:
            self._actions = list(self.iter_actions())
        return self._actions

    def describe(self, max_actions=60):
        """Human-readable summary followed by the first ``max_actions`` actions.

        >>> print(checkpoint_schedule(1, budget=1).describe())
        binomial schedule: L=1 steps, budget=1 stored states (x_0 included)
          1 forward evaluations (1 forward sweep + 0 recomputation), peak 1 stored states
          snapshot  x0 -> slot 0
          advance   x0 -> x1   (output x_1)
          restore   slot 0 -> x0
          reverse   step 0
        """
        what = "binomial" if self.kind == "binomial" else f"{self.segments}-segment"
        lines = [
            f"{what} schedule: L={self.L} steps, budget={self.budget} stored states (x_0 included)",
            f"  {self.evaluations} forward evaluations ({self.L} forward sweep + "
            f"{self.evaluations - self.L} recomputation), peak {self.peak_snapshots} stored states",
        ]
        for n, act in enumerate(self.iter_actions()):
            if n == max_actions:
                lines.append("  ...")
                break
            lines.append("  " + _format_action(act, self.L))
        return "\n".join(lines)

    def __str__(self):
        return self.describe()

    def __repr__(self):
        extra = f", segments={self.segments}" if self.kind == "segments" else ""
        return (f"Schedule(L={self.L}, budget={self.budget}{extra}, "
                f"evaluations={self.evaluations}, peak_snapshots={self.peak_snapshots})")


def _format_action(act, L):
    op = act[0]
    if op == "advance":
        note = f"   (output x_{L})" if act[2] == L else ""
        return f"advance   x{act[1]} -> x{act[2]}{note}"
    if op == "snapshot":
        return f"snapshot  x{act[1]} -> slot {act[2]}"
    if op == "restore":
        return f"restore   slot {act[1]} -> x{act[2]}"
    return f"reverse   step {act[1]}"


def checkpoint_schedule(L, budget=None, *, segments=None):
    """Plan forward + reverse sweeps over ``L`` chained steps.

    ``budget=k``: the optimal (binomial / Revolve) schedule storing at most
    ``k`` states, ``x_0`` included; its ``evaluations`` equals
    :func:`binomial_evaluations` ``(L, k)``, the minimum over all schedules.
    ``k >= L`` stores every state and costs exactly the ``L`` forward-sweep
    evaluations.

    ``segments=s``: the uniform schedule.  The forward sweep stores the start
    of every segment of ``m = ceil(L/s)`` steps; the reverse sweep re-runs one
    segment at a time, storing its states, and reverses it.  It costs
    ``2L - n`` evaluations for ``n = ceil(L/m)`` segments and needs up to about
    ``s + m`` slots, which becomes its ``budget``.

    >>> checkpoint_schedule(100, budget=10)
    Schedule(L=100, budget=10, evaluations=225, peak_snapshots=10)
    >>> checkpoint_schedule(100, segments=10)
    Schedule(L=100, budget=18, segments=10, evaluations=190, peak_snapshots=18)
    >>> checkpoint_schedule(100, budget=18).evaluations   # same memory, optimal
    182
    """
    fn = "checkpoint_schedule"
    L = _as_count(L, "L", fn, _L_HINT)
    if budget is not None and segments is not None:
        raise ValueError(f"{fn}: pass either budget=k (optimal binomial schedule) or "
                         "segments=s (uniform segments), not both")
    if budget is None and segments is None:
        raise ValueError(f"{fn}: pass budget=k (at most k stored states, x_0 included) "
                         "for the optimal schedule, or segments=s for uniform segments")
    if budget is not None:
        k = _as_count(budget, "budget", fn, _BUDGET_HINT)
        # More slots than L never help; the optimal plan then fills L of them.
        return Schedule(L, k, "binomial", _griewank_cost(L + 1, k), min(k, L))
    s = _as_count(segments, "segments", fn,
                  "pass the number of segments, e.g. segments=round(L ** 0.5)")
    bounds = _segment_bounds(L, s)
    n = len(bounds) - 1
    # Reversing segment q holds starts 0..q plus the segment's inner states
    # a+1..b-2 (x_{b-1} stays in the register).
    peak = max(q + 1 + max(bounds[q + 1] - bounds[q] - 2, 0) for q in range(n))
    return Schedule(L, peak, "segments", 2 * L - n, peak, segments=s)


RunResult = collections.namedtuple("RunResult", "output evaluations peak_snapshots")
RunResult.__doc__ = """What :func:`run_schedule` observed: the output x_L, the number of
forward_step calls, and the most live stored states at once."""


def run_schedule(plan, forward_step, reverse_step, x0):
    """Execute ``plan``: ``forward_step(i, x_i) -> x_{i+1}``, ``reverse_step(i, x_i)``.

    ``reverse_step`` is called exactly once per step, for ``i = L-1`` down to
    ``0``, after the forward sweep has produced ``x_L``.  The plan is checked
    as it runs (register contents, slot range, reversal order) and a
    ``RuntimeError`` is raised on any inconsistency.  Returns a
    :class:`RunResult`.

    >>> seen = []
    >>> res = run_schedule(checkpoint_schedule(4, budget=2),
    ...                    lambda i, x: x * 2, lambda i, x: seen.append((i, x)), 1)
    >>> res
    RunResult(output=16, evaluations=6, peak_snapshots=2)
    >>> seen
    [(3, 8), (2, 4), (1, 2), (0, 1)]
    """
    L = plan.L
    slots = {}  # slot -> (step index, state)
    reg_i, reg_x = 0, x0
    next_rev = L - 1  # the next step to reverse; reversal starts once x_L exists
    output_ready = False
    output = None
    evals = peak = 0

    def fail(msg, act):
        raise RuntimeError(f"run_schedule: invalid plan at {act!r}: {msg}")

    for act in plan.iter_actions():
        op = act[0]
        if op == "advance":
            i, j = act[1], act[2]
            if reg_i != i or not i < j <= L:
                fail(f"register holds x{reg_i}", act)
            x = reg_x
            for step in range(i, j):
                x = forward_step(step, x)
            evals += j - i
            reg_i, reg_x = j, x
            if j == L:
                output_ready, output = True, x
        elif op == "snapshot":
            i, slot = act[1], act[2]
            if reg_i != i or not 0 <= slot < plan.budget:
                fail(f"register holds x{reg_i}, slots are 0..{plan.budget - 1}", act)
            slots[slot] = (i, reg_x)
            peak = max(peak, len(slots))
        elif op == "restore":
            slot, i = act[1], act[2]
            if slots.get(slot, (None,))[0] != i:
                fail(f"slot {slot} does not hold x{i}", act)
            reg_i, reg_x = slots[slot]
        elif op == "reverse":
            i = act[1]
            if not output_ready or i != next_rev or reg_i != i:
                fail(f"expected reverse of step {next_rev} with x{next_rev} in the "
                     f"register after the output, register holds x{reg_i}", act)
            reverse_step(i, reg_x)
            next_rev -= 1
            reg_i, reg_x = None, None
            # Stored states x_j, j >= i, can no longer be used: drop them.
            slots = {s: v for s, v in slots.items() if v[0] < i}
        else:
            fail("unknown action", act)
    if next_rev != -1:
        raise RuntimeError(f"run_schedule: plan ended before step {next_rev} was reversed")
    return RunResult(output, evals, peak)
