"""What a workload is, how results are compared, and how goals are judged.

A workload owns its input data (NumPy arrays made once, with a fixed seed) and,
for each implementation, a *builder*: ``builder(data) -> {case: fn}``, where each
``fn`` takes no arguments, does one full call (e.g. forward + reverse) and
returns the derivative.  Conversions from NumPy to a library's array type
happen in the builder, outside the timed calls.
"""

from dataclasses import dataclass, field
from typing import Callable, Optional

import numpy as np

# (rtol, atol relative to the reference's largest magnitude) per dtype.
TOLERANCES = {"float64": (1e-7, 1e-9), "float32": (2e-3, 1e-4)}


@dataclass
class Goal:
    """A target for chainrule: ``measure(times) <= limit``.

    ``times`` is ``{impl: {case: seconds per call}}``; ``measure`` raises
    KeyError when an implementation it needs was not measured.
    """

    text: str
    measure: Callable[[dict], float]
    limit: float
    unit: str = "x"

    def evaluate(self, times):
        """Returns (measured value or None, met: bool or None)."""
        try:
            value = self.measure(times)
        except KeyError:
            return None, None
        return value, value <= self.limit


@dataclass
class Workload:
    """One benchmark: data, per-implementation builders, table layout, goals."""

    name: str
    title: str
    make_data: Callable[[], dict]
    builders: dict
    cases: tuple = ("grad",)
    ratio_cases: Optional[tuple] = None  # cases given ×numpy / ×chainrule columns
    dtype: str = "float64"
    per_unit: Optional[tuple] = None  # (column header, count): e.g. ("per op", 1000)
    extras: list = field(default_factory=list)  # (header, fn(times_of_one_impl))
    goals: list = field(default_factory=list)
    note: str = ""

    def __post_init__(self):
        if self.ratio_cases is None:
            self.ratio_cases = self.cases


# ---------------------------------------------------------------- goal helpers

def vs_numpy(case):
    """chainrule time / hand-written NumPy time for ``case``."""
    return lambda t: t["chainrule"][case] / t["numpy"][case]


def chainrule_time(case, scale=1.0):
    """chainrule's own time for ``case``, multiplied by ``scale``."""
    return lambda t: t["chainrule"][case] * scale


def chainrule_ratio(num, den):
    """chainrule time of case ``num`` / chainrule time of case ``den``."""
    return lambda t: t["chainrule"][num] / t["chainrule"][den]


# ------------------------------------------------------------ result checking

def to_numpy(tree):
    """Flatten a result (arrays, scalars, tuples, dicts; any library) to a list
    of NumPy arrays.  Dicts are taken in sorted-key order."""
    if isinstance(tree, dict):
        return [a for k in sorted(tree) for a in to_numpy(tree[k])]
    if isinstance(tree, (tuple, list)):
        return [a for item in tree for a in to_numpy(item)]
    if hasattr(tree, "detach"):  # torch.Tensor
        tree = tree.detach().cpu().numpy()
    return [np.asarray(tree)]


def compare(result, reference, dtype):
    """Check ``result`` against ``reference`` (both raw results).

    Returns an empty string when they agree, else a short description of the
    first disagreement (count, shape, dtype or values).
    """
    rtol, atol = TOLERANCES[dtype]
    got, want = to_numpy(result), to_numpy(reference)
    if len(got) != len(want):
        return f"{len(got)} outputs, expected {len(want)}"
    for i, (a, b) in enumerate(zip(got, want)):
        if a.shape != b.shape:
            return f"output {i}: shape {a.shape}, expected {b.shape}"
        if np.issubdtype(b.dtype, np.floating) and a.dtype != b.dtype:
            return f"output {i}: dtype {a.dtype}, expected {b.dtype}"
        scale = float(np.max(np.abs(b))) if b.size else 0.0
        a64, b64 = a.astype(np.float64), b.astype(np.float64)
        if not np.allclose(a64, b64, rtol=rtol, atol=atol * scale):
            err = float(np.max(np.abs(a64 - b64)))
            shown = f": got {a.ravel()[:4]}, expected {b.ravel()[:4]}" if b.size <= 4 else ""
            return (f"output {i}: max |diff| {err:.3g} (scale {scale:.3g}, "
                    f"rtol {rtol:g}){shown}")
    return ""
