"""timeit-style timing: pick a loop count automatically, report the median.

Each sample runs a callable ``loops`` times back to back, where ``loops`` is
chosen so one sample lasts at least ``min_time`` seconds (as
``timeit.Timer.autorange`` does).  The reported figure is the median over
``repeat`` samples of (sample time / loops).

The implementations of a workload are timed *interleaved*: round after round,
one sample of each.  On a shared cloud machine the speed drifts (phases of
half a second or more run at half speed); interleaving exposes every
implementation to the same phases, so the ratios stay meaningful.

Unlike ``timeit`` the garbage collector stays enabled: a tracing library that
creates reference cycles pays for them in real use, so it pays here too.  A full
collection runs before each sample so one sample does not inherit another's
garbage.
"""

import gc
import math
import statistics
import time
import traceback
from dataclasses import dataclass, field


@dataclass
class Timing:
    """Result of timing one callable: seconds per call."""

    median: float
    best: float
    loops: int
    samples: list = field(default_factory=list)

    def as_dict(self):
        return {"median_s": self.median, "min_s": self.best,
                "loops": self.loops, "samples_s": self.samples}


def _run(fn, loops):
    """Seconds taken by ``loops`` consecutive calls of ``fn``."""
    t0 = time.perf_counter()
    for _ in range(loops):
        fn()
    return time.perf_counter() - t0


def autorange(fn, min_time=0.05):
    """Smallest loop count (1, 2, 5, 10, 20, ...-ish) whose run lasts >= min_time.

    The first run uses a single call; later counts are predicted from the
    measured time so calibration costs about one sample.
    """
    loops = 1
    while True:
        elapsed = _run(fn, loops)
        if elapsed >= min_time:
            return loops
        if elapsed <= 0:
            loops *= 10
            continue
        # Predict the count needed, with 20% headroom, at least doubling.
        loops = max(2 * loops, math.ceil(loops * 1.2 * min_time / elapsed))


def _calibrate(fn, min_time):
    """Warm-up call (caches, compilation, lazy imports), then autorange."""
    fn()
    return autorange(fn, min_time)


def measure_all(fns, repeat=7, min_time=0.05):
    """Time several no-argument callables, interleaved (see module docstring).

    ``fns`` maps any keys to callables.  Returns ``(timings, errors)``:
    ``{key: Timing}`` in seconds per call, and ``{key: (message, traceback)}``
    for callables that raised (they are dropped from later rounds).
    """
    loops, errors = {}, {}

    def attempt(key, action):
        try:
            return action()
        except Exception as exc:  # noqa: BLE001 - a crash is a result
            errors[key] = (f"{type(exc).__name__}: {exc}", traceback.format_exc(limit=-4))
            return None

    for key, fn in fns.items():
        n = attempt(key, lambda: _calibrate(fn, min_time))
        if n is not None:
            loops[key] = n
    samples = {key: [] for key in loops}
    keys = list(loops)
    for r in range(repeat):
        shift = r % len(keys) if keys else 0  # rotate the order every round
        for key in keys[shift:] + keys[:shift]:
            if key in errors:
                continue
            gc.collect()
            t = attempt(key, lambda: _run(fns[key], loops[key]))
            if t is not None:
                samples[key].append(t / loops[key])
    timings = {key: Timing(statistics.median(s), min(s), loops[key], s)
               for key, s in samples.items() if s and key not in errors}
    return timings, errors


def measure(fn, repeat=7, min_time=0.05):
    """Time one callable; returns a :class:`Timing` (seconds per call)."""
    timings, errors = measure_all({0: fn}, repeat, min_time)
    if errors:
        raise RuntimeError(errors[0][0])
    return timings[0]


def fmt_time(seconds):
    """Human-readable duration with 3 significant figures (ns, µs, ms, s)."""
    if seconds is None or not math.isfinite(seconds):
        return "-"
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6), ("ns", 1e-9)):
        if seconds >= scale or unit == "ns":
            return f"{fmt_num(seconds / scale)} {unit}"


def fmt_num(value):
    """3 significant figures without switching to exponent notation."""
    if 0 < value < 0.0995:
        return f"{value:.2g}"
    if value >= 99.95:
        return f"{value:.0f}"
    if value >= 9.995:
        return f"{value:.1f}"
    return f"{value:.2f}"
