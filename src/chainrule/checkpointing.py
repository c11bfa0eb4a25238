"""Checkpointing for long chains of layers, a memory report, and Gauss-Newton products.

An application layer on the public API (``chainrule``, ``chainrule.numpy``,
``chainrule.tree``, ``chainrule.schedule``); it adds no primitive.

Reverse mode keeps every intermediate of the forward pass until the backward
pass uses it: memory grows like the depth ``L``. Three ways to trade memory
for recomputation, from the finest to the most global:

- :func:`chainrule.checkpoint` (``f``): one block stores only its inputs and
  outputs; its internals are recomputed, once, in the backward pass.
- :func:`checkpoint_sequential` ``(layers, segments=s)``: PyTorch-style uniform
  segments; stores the ``s`` segment boundaries, re-runs one segment at a time
  (recording it) in the backward pass. ``segments=None`` means ``ceil(sqrt(L))``.
- :func:`checkpoint_sequential` ``(layers, budget=k)``: the binomial (Revolve)
  schedule of :func:`checkpoint_schedule`, optimal for at most ``k`` stored
  states; the backward pass holds ``k`` states plus one layer's record.

Parameters. ``layers`` are one-argument functions ``x -> y``. In segment mode
they may close over weights being differentiated (``cr.checkpoint`` captures
them as extra inputs of each block); the budget mode, a ``cr.custom_vjp``,
refuses such closures with a clear error. To differentiate per-layer weights in
either mode, pass ``with_params=True``: each layer is then ``layer(p, x)`` and
the returned function is ``f(params, x)`` with ``params`` a list of ``L``
pytrees (one per layer); ``cr.grad(f, argnums=(0, 1))`` gives both gradients,
recomputing each layer once for all its arguments.

>>> import chainrule as cr, chainrule.numpy as cnp
>>> layers = [lambda x: cnp.tanh(x) * 1.5] * 9
>>> f = checkpoint_sequential(layers, budget=3)
>>> g = cr.grad(lambda x: cnp.sum(f(x)))(cnp.ones(4))
>>> g0 = cr.grad(lambda x: cnp.sum(sequential(layers)(x)))(cnp.ones(4))
>>> bool((g == g0).all())
True
"""

import math
import time
import tracemalloc

import chainrule as cr
import chainrule.numpy as cnp  # noqa: F401  (part of the allowed public API)
from chainrule.schedule import checkpoint_schedule, binomial_evaluations

__all__ = ["checkpoint_sequential", "sequential", "checkpoint_schedule", "binomial_evaluations",
           "memory_report", "MemoryReport", "gnvp"]


# ---- composition helpers ---------------------------------------------------------------------
class _Counted:
    """Sequence of layers that counts standalone layer evaluations (``calls``)."""

    def __init__(self, layers, with_params):
        self.layers = list(layers)
        self.with_params = with_params
        self.calls = 0

    def __len__(self):
        return len(self.layers)

    def apply(self, i, p, x):
        self.calls += 1
        return self.layers[i](p, x) if self.with_params else self.layers[i](x)

    def run(self, a, b, ps, x):
        """Apply layers a .. b-1 (``ps`` holds their params, or None)."""
        for i in range(a, b):
            x = self.apply(i, None if ps is None else ps[i - a], x)
        return x


def _check_layers(layers, fn):
    layers = list(layers)
    if not layers:
        raise ValueError(f"{fn}: layers must be a non-empty list of functions")
    for i, f in enumerate(layers):
        if not callable(f):
            raise TypeError(f"{fn}: layers[{i}] is {type(f).__name__}, not a function")
    return layers


def _check_params(params, L, name):
    if not isinstance(params, (list, tuple)) or len(params) != L:
        got = len(params) if isinstance(params, (list, tuple)) else type(params).__name__
        raise ValueError(f"{name}: with_params=True takes params as a list with one entry per "
                         f"layer ({L}); got {got}")
    return list(params)


class _SequentialFn:
    """The function returned by :func:`sequential` / :func:`checkpoint_sequential`.

    ``calls`` counts standalone layer evaluations (forward sweep plus
    recomputation, and the evaluations inside backward-pass VJPs); reset it
    with ``reset_counts()``. ``plan`` is the schedule (budget mode) or None.
    """

    def __init__(self, counted, impl, name, plan=None, segments=None):
        self._counted = counted
        self._impl = impl
        self.__name__ = name
        self.plan = plan
        self.segments = segments
        self.with_params = counted.with_params

    @property
    def calls(self):
        return self._counted.calls

    def reset_counts(self):
        self._counted.calls = 0

    def __call__(self, *args):
        if self.with_params:
            if len(args) != 2:
                raise TypeError(f"{self.__name__}: with_params=True; call it as f(params, x)")
            params = _check_params(args[0], len(self._counted), self.__name__)
            return self._impl(params, args[1])
        if len(args) != 1:
            raise TypeError(f"{self.__name__}: call it as f(x) (pass with_params=True to get "
                            f"f(params, x))")
        return self._impl(None, args[0])

    def __repr__(self):
        return f"<{self.__name__}: {len(self._counted)} layers>"


def sequential(layers, *, with_params=False):
    """The plain composition ``x -> layers[L-1](... layers[0](x))`` (no checkpointing).

    Same calling convention and ``calls`` counter as :func:`checkpoint_sequential`,
    so that the two can be compared.

    >>> import chainrule.numpy as cnp
    >>> float(sequential([cnp.sin, cnp.cos])(0.0))
    1.0
    """
    counted = _Counted(_check_layers(layers, "sequential"), with_params)
    L = len(counted)

    def impl(params, x):
        return counted.run(0, L, params, x)

    return _SequentialFn(counted, impl, "sequential")


# ---- segments: one cr.checkpoint per segment -------------------------------------------------
def _segments_impl(counted, s):
    L = len(counted)
    m = -(-L // s)
    bounds = list(range(0, L, m)) + [L]
    blocks = []
    for a, b in zip(bounds[:-1], bounds[1:]):
        if b == L:
            # The last segment is reversed first, right after the forward pass: record it
            # directly (as PyTorch does). The peak is the same (boundaries + one
            # segment's record) and it saves recomputing it.
            if counted.with_params:
                blk = lambda ps, x, a=a, b=b: counted.run(a, b, ps, x)
            else:
                blk = lambda x, a=a, b=b: counted.run(a, b, None, x)
        elif counted.with_params:
            blk = cr.checkpoint(lambda ps, x, a=a, b=b: counted.run(a, b, ps, x))
        else:
            blk = cr.checkpoint(lambda x, a=a, b=b: counted.run(a, b, None, x))
        blocks.append((a, b, blk))

    def impl(params, x):
        for a, b, blk in blocks:
            x = blk(list(params[a:b]), x) if params is not None else blk(x)
        return x

    return impl, len(blocks)


# ---- budget: the binomial schedule as one custom_vjp ------------------------------------------
def _budget_impl(counted, plan):
    L = len(counted)
    wp = counted.with_params

    def forward_sweep(params, x0):
        """Run the plan up to the output; returns (x_L, slots, rest of the plan)."""
        slots, reg_i, reg = {}, 0, x0
        it = plan.iter_actions()
        for act in it:
            op = act[0]
            if op == "snapshot":
                slots[act[2]] = (act[1], reg)
            elif op == "advance":
                i, j = act[1], act[2]
                reg = counted.run(i, j, None if params is None else params[i:j], reg)
                reg_i = j
                if j == L:
                    return reg, slots, it
            else:
                raise RuntimeError(f"checkpoint_sequential: unexpected {act!r} in forward sweep")
        raise RuntimeError("checkpoint_sequential: the plan never reaches the output")

    def run_all(params, x):
        return counted.run(0, L, params, x)

    seq = cr.custom_vjp(run_all)

    def fwd(params, x):
        out, slots, _ = forward_sweep(params, x)
        # The slots are consumed (and freed) by the first backward pass; a second
        # backward pass re-runs the forward sweep from x_0 and the params.
        return out, {"params": params, "x0": x, "slots": slots}

    def bwd(res, g):
        params, x0 = res["params"], res["x0"]
        slots = res.pop("slots", None)
        if slots is None:
            _, slots, it = forward_sweep(params, x0)
        else:
            it = plan.iter_actions()
            for act in it:  # skip the forward sweep
                if act[0] == "advance" and act[2] == L:
                    break
        gps = [None] * L
        reg_i, reg = None, None
        for act in it:
            op = act[0]
            if op == "restore":
                reg_i, reg = slots[act[1]]
            elif op == "advance":
                i, j = act[1], act[2]
                reg = counted.run(i, j, None if params is None else params[i:j], reg)
                reg_i = j
            elif op == "snapshot":
                slots[act[2]] = (act[1], reg)
            elif op == "reverse":
                i = act[1]
                reg_i, x_i, reg = None, reg, None
                # Stored states x_j, j >= i, are dead: drop them before the VJP.
                for s in [s for s, v in slots.items() if v[0] >= i]:
                    del slots[s]
                counted.calls += 1
                if wp:
                    _, pb = cr.vjp(counted.layers[i], params[i], x_i)
                    gps[i], g = pb(g)
                else:
                    _, pb = cr.vjp(counted.layers[i], x_i)
                    (g,) = pb(g)
                del pb, x_i
        return (gps if wp else None, g)

    seq.defvjp(fwd, bwd)

    def impl(params, x):
        return seq(params, x)

    return impl


def checkpoint_sequential(layers, segments=None, *, budget=None, with_params=False):
    """Compose ``layers`` (``x -> layers[L-1](...layers[0](x))``) with checkpointing.

    - ``segments=s`` (default ``ceil(sqrt(L))``): uniform segments, as PyTorch's
      ``checkpoint_sequential``. The forward pass stores only the segment
      boundaries; the backward pass re-runs one segment at a time, recording
      it, and pulls back through it. The last segment, reversed first, is
      recorded in the forward pass instead of being recomputed. Extra cost:
      one forward pass less the last segment (``2L`` minus the last segment's
      length in layer evaluations).
      Peak held by the reverse pass: ``s`` states plus one segment's record.
    - ``budget=k``: the optimal binomial (Revolve) schedule
      ``checkpoint_schedule(L, budget=k)`` storing at most ``k`` states (``x_0``
      included). Layer evaluations: ``plan.evaluations`` standalone ones plus
      ``L`` inside the per-layer VJPs of the backward pass. Peak: ``k`` states
      plus one layer's record. Choose ``k`` by looking at
      ``checkpoint_schedule(L, budget=k).evaluations``.

    ``with_params=True``: layers are ``layer(p, x)`` and the result is
    ``f(params, x)``, differentiable in both (see the module docstring).
    Otherwise layers are ``layer(x)``; closures over differentiated values work in
    segment mode and are refused, with a message, in budget mode.
    Gradients equal the uncheckpointed ones bit for bit (same operations).
    Both modes compose with grad, vjp, jvp, hessian and nesting.

    >>> import chainrule as cr, chainrule.numpy as cnp
    >>> f = checkpoint_sequential([cnp.sin] * 16)          # 4 segments
    >>> f.segments
    4
    >>> checkpoint_schedule(16, budget=3).evaluations
    36
    """
    fn = "checkpoint_sequential"
    counted = _Counted(_check_layers(layers, fn), with_params)
    L = len(counted)
    if budget is not None:
        if segments is not None:
            raise ValueError(f"{fn}: pass either segments=s (uniform segments) or budget=k "
                             "(optimal binomial schedule), not both")
        plan = checkpoint_schedule(L, budget=budget)
        return _SequentialFn(counted, _budget_impl(counted, plan), f"{fn}(budget={budget})",
                             plan=plan)
    if segments is None:
        segments = math.isqrt(L - 1) + 1 if L > 1 else 1  # ceil(sqrt(L))
    if isinstance(segments, bool) or not isinstance(segments, int) or segments < 1:
        raise ValueError(f"{fn}: segments must be an integer >= 1, got {segments!r}")
    impl, n = _segments_impl(counted, min(segments, L))
    return _SequentialFn(counted, impl, f"{fn}(segments={n})", segments=n)


# ---- memory report ---------------------------------------------------------------------------
class MemoryReport:
    """Measured memory and time of one ``vjp`` + backward pass (see :func:`memory_report`).

    Attributes (bytes from tracemalloc, relative to the moment before the call):
    ``residual_bytes`` held between the forward and the backward pass (what the
    reverse pass stores), ``peak_bytes`` over forward + backward,
    ``forward_peak_bytes``, ``output_bytes``, ``tape`` (a
    :class:`~chainrule.transforms.TapeReport`: the residuals the tape keeps, by
    primitive, counted from the tape itself), ``layer_evaluations`` (standalone
    layer calls when ``f`` came from :func:`checkpoint_sequential` or
    :func:`sequential`, else None), ``forward_seconds`` (of the vjp) and
    ``gradient_seconds`` (of the whole gradient).
    """

    def __init__(self, **kw):
        self.__dict__.update(kw)

    def __repr__(self):
        mib = 2 ** 20
        ev = "" if self.layer_evaluations is None else f", layer_evaluations={self.layer_evaluations}"
        return (f"MemoryReport(peak={self.peak_bytes / mib:.2f} MiB, "
                f"residuals={self.residual_bytes / mib:.2f} MiB "
                f"(tape: {self.tape.total_bytes / mib:.2f} MiB), "
                f"forward_peak={self.forward_peak_bytes / mib:.2f} MiB{ev}, "
                f"gradient time={self.gradient_seconds:.4f} s)")


def _nbytes(tree):
    total = 0
    for leaf in cr.tree.flatten(tree)[0]:
        total += getattr(leaf, "nbytes", 8)
    return total


def memory_report(f, *args, argnums=None):
    """Measure what reverse mode holds for ``f(*args)``, with :mod:`tracemalloc`.

    NumPy reports its buffers to tracemalloc, so the numbers are measured, not
    estimated. Two runs: ``cr.vjp(f, ...)`` alone gives what the forward pass
    leaves for the backward pass (``residual_bytes``, ``forward_peak_bytes``);
    then one ``cr.grad`` of the sum of the outputs (cotangent ones) gives
    ``peak_bytes`` over forward + backward and ``layer_evaluations``. (``cr.grad``
    frees the record as the backward pass consumes it; a ``cr.vjp`` pullback,
    which may be called again, keeps it whole.) ``argnums`` (default: all
    arguments) chooses the differentiated arguments; the others are constants.
    Returns a :class:`MemoryReport`.

    >>> import chainrule.numpy as cnp
    >>> r = memory_report(checkpoint_sequential([cnp.tanh] * 16, budget=2), cnp.ones(1000))
    >>> r.layer_evaluations, r.residual_bytes < 4 * 8000
    (66, True)

    ``tape`` says what an unsegmented record would keep, and why (tanh keeps its output):

    >>> print(memory_report(sequential([cnp.tanh] * 16), cnp.ones(1000)).tape.table())
    primitive              ops         bytes  kept
    tanh                    16       128,000  output
    total                   16       128,000
    """
    nums = tuple(range(len(args))) if argnums is None else (
        (argnums,) if isinstance(argnums, int) else tuple(argnums))

    def g(*diff):
        full = list(args)
        for i, v in zip(nums, diff):
            full[i] = v
        return f(*full)

    def total(*diff):
        acc = 0.0
        for leaf in cr.tree.flatten(g(*diff))[0]:
            acc = acc + cnp.sum(leaf)
        return acc

    diff = [args[i] for i in nums]
    counter = f if isinstance(f, _SequentialFn) else None
    was_tracing = tracemalloc.is_tracing()
    if not was_tracing:
        tracemalloc.start()
    try:
        base0 = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        t0 = time.perf_counter()
        out, pb = cr.vjp(g, *diff)
        t1 = time.perf_counter()
        held, fpeak = tracemalloc.get_traced_memory()
        out_bytes = _nbytes(out)
        del out, pb
        tape = cr.tape_residuals(g)(*diff)
        if counter is not None:
            counter.reset_counts()
        base = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        t2 = time.perf_counter()
        grads = cr.grad(total, argnums=tuple(range(len(diff))))(*diff)
        t3 = time.perf_counter()
        peak = tracemalloc.get_traced_memory()[1]
        del grads
    finally:
        if not was_tracing:
            tracemalloc.stop()
    return MemoryReport(
        tape=tape,
        residual_bytes=max(held - base0 - out_bytes, 0),
        peak_bytes=peak - base,
        forward_peak_bytes=fpeak - base0,
        output_bytes=out_bytes,
        layer_evaluations=None if counter is None else counter.calls,
        forward_seconds=t1 - t0,
        gradient_seconds=t3 - t2,
    )


# ---- Gauss-Newton-vector product ------------------------------------------------------------
def gnvp(f, loss, params, v):
    """Gauss-Newton-vector product ``Jᵀ H_loss J v`` for ``loss(f(params))``.

    ``J`` is the Jacobian of the model ``f`` at ``params`` and ``H_loss`` the
    Hessian of ``loss`` at ``f(params)``; for least squares
    (``loss = 0.5 * sum(r ** 2)``) ``H_loss = I`` and this is ``JᵀJv``. Costs
    one JVP, one HVP of the loss (on the output only) and one VJP; the matrix
    is never formed, and the result is positive semi-definite whenever the loss
    is convex. ``params`` and ``v`` are pytrees of the same structure; the
    result has that structure too.

    >>> import chainrule.numpy as cnp
    >>> A = cnp.array([[1.0, 2.0], [3.0, 4.0]])
    >>> f = lambda p: A @ p
    >>> loss = lambda r: 0.5 * cnp.sum(r ** 2)
    >>> gnvp(f, loss, cnp.zeros(2), cnp.array([1.0, 0.0])).tolist()   # AᵀA e_0
    [10.0, 14.0]
    """
    y, jv = cr.jvp(f, (params,), (v,))
    (hjv,) = cr.hvp(loss, (y,), (jv,))
    _, pb = cr.vjp(f, params)
    (out,) = pb(hjv)
    return out
