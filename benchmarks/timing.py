"""timeit-style timing: pick a loop count automatically, report the median.

Each sample runs a callable ``loops`` times back to back, where ``loops`` is
chosen so one sample lasts at least ``min_time`` seconds (as
``timeit.Timer.autorange`` does).  The reported figure is the median over
``repeat`` samples of (sample time / loops).

The implementations of a workload are timed *interleaved*: round after round,
one sample of each.  On a shared cloud machine the speed drifts (phases of
half a second or more run at half speed); interleaving exposes every
implementation to the same phases, so the ratios stay meaningful.

The clock is the process's CPU time by default (``time.process_time``, all
threads of the process): everything runs single-threaded, so for the code
under test it equals the wall time of a quiet machine, but it does not count
the time other jobs on a shared machine take the core away (there, wall times
of the same code were seen to vary 2-3x; CPU times by ~10%).  ``clock="wall"``
uses ``time.perf_counter`` like ``timeit``.

Unlike ``timeit`` the garbage collector stays enabled: a tracing library that
creates reference cycles pays for them in real use, so it pays here too.  A full
collection runs before each sample so one sample does not inherit another's
garbage.  (run.py calls ``gc.freeze()`` first, so collections do not rescan the
hundreds of thousands of objects that importing torch and jax creates: every
implementation pays for its own garbage, not for the peers' imports.)
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
    runs: list = field(default_factory=list)  # per-process medians, when timed in several

    @property
    def spread(self):
        """Half the range of the per-process medians, relative to the median (None for one process)."""
        if len(self.runs) < 2 or not self.median:
            return None
        return (max(self.runs) - min(self.runs)) / 2 / self.median

    def as_dict(self):
        d = {"median_s": self.median, "min_s": self.best,
             "loops": self.loops, "samples_s": self.samples}
        if self.runs:
            d["process_medians_s"] = self.runs
        return d


CLOCKS = {"cpu": time.process_time, "wall": time.perf_counter}


def _run(fn, loops, clock=time.process_time):
    """Seconds taken by ``loops`` consecutive calls of ``fn``."""
    t0 = clock()
    for _ in range(loops):
        fn()
    return clock() - t0


def autorange(fn, min_time=0.05, clock=time.process_time):
    """Smallest loop count (1, 2, 5, 10, 20, ...-ish) whose run lasts >= min_time.

    The first run uses a single call; later counts are predicted from the
    measured time so calibration costs about one sample.
    """
    loops = 1
    while True:
        elapsed = _run(fn, loops, clock)
        if elapsed >= min_time:
            return loops
        if elapsed <= 0:
            loops *= 10
            continue
        # Predict the count needed, with 20% headroom, at least doubling.
        loops = max(2 * loops, math.ceil(loops * 1.2 * min_time / elapsed))


def _calibrate(fn, min_time, clock):
    """Warm-up call (caches, compilation, lazy imports), then autorange."""
    fn()
    return autorange(fn, min_time, clock)


def measure_all(fns, repeat=7, min_time=0.05, clock="cpu"):
    """Time several no-argument callables, interleaved (see module docstring).

    ``clock`` is "cpu" or "wall".  ``fns`` maps any keys to callables.  Returns ``(timings, errors)``:
    ``{key: Timing}`` in seconds per call, and ``{key: (message, traceback)}``
    for callables that raised (they are dropped from later rounds).
    """
    loops, errors, clock = {}, {}, CLOCKS[clock]

    def attempt(key, action):
        try:
            return action()
        except Exception as exc:  # noqa: BLE001 - a crash is a result
            errors[key] = (f"{type(exc).__name__}: {exc}", traceback.format_exc(limit=-4))
            return None

    for key, fn in fns.items():
        n = attempt(key, lambda: _calibrate(fn, min_time, clock))
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
            t = attempt(key, lambda: _run(fns[key], loops[key], clock))
            if t is not None:
                samples[key].append(t / loops[key])
    timings = {key: Timing(statistics.median(s), min(s), loops[key], s)
               for key, s in samples.items() if s and key not in errors}
    return timings, errors


def measure(fn, repeat=7, min_time=0.05, clock="cpu"):
    """Time one callable; returns a :class:`Timing` (seconds per call)."""
    timings, errors = measure_all({0: fn}, repeat, min_time, clock)
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
