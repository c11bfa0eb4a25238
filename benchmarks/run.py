"""Benchmark chainrule against hand-written NumPy and the installed peers.

Usage:  python benchmarks/run.py [WORKLOAD ...] [--repeat N] [--json PATH] [--clock cpu|wall]
                                 [--impl chainrule,numpy,...] [--min-time S]
                                 [--rounds R | --same-process]

WORKLOAD is W1, W2, W3 (= W3-f64 and W3-f32), W3-f32, W4, W5, W6, ...; none
means all.  For each workload every implementation is first checked against
the hand-written NumPy derivative (a disagreement is reported loudly and makes
the exit status 1), then timed: median of N samples, each sample long enough
(>= --min-time seconds) to average out the clock, process CPU time by default
(see timing.py).  Everything runs on one thread.

Each implementation is timed in a fresh process of its own, after warm-up, and
that R times (--rounds, default 3), the implementations taking turns: the C
allocator's state (which arrays another library left behind, which modules were
imported after the data was made) moves NumPy timings by up to 30% within one
process, so no implementation runs in another's process.  The figure is the
median of the R per-process medians; the ± after it is half their range.
``--same-process`` times all implementations interleaved in this one process
instead (quicker, for development; no spreads).
"""

import os

# Single-threaded everywhere; must happen before NumPy (or any BLAS) loads.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
os.environ.setdefault("XLA_FLAGS", "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1")
os.environ.setdefault("JAX_PLATFORMS", "cpu")

import argparse  # noqa: E402
import copy  # noqa: E402
import gc  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import traceback  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402

import numpy as np  # noqa: E402

import backends  # noqa: E402
import report  # noqa: E402
import timing  # noqa: E402
import workloads  # noqa: E402


@dataclass
class Result:
    """One implementation on one workload."""

    times: dict = field(default_factory=dict)  # case -> timing.Timing
    check: str = ""       # "" when it agrees with the hand-written reference
    error: str = ""       # set when building or calling it raised
    traceback: str = ""


def run_workload(w, impls, repeat, min_time, clock):
    """Build and check each implementation of ``w`` in this process, then time
    them all, interleaved (``--same-process``); returns {impl: Result}."""
    keys = ["numpy"] + [k for k in impls if k != "numpy" and k in w.builders]
    results, to_time = _checked_builds(w, keys)
    gc.collect()
    gc.freeze()  # the libraries' own objects: not rescanned by every collection
    timings, errors = timing.measure_all(to_time, repeat, min_time, clock)
    for (key, case), t in timings.items():
        results[key].times[case] = t
    for (key, case), (message, tb) in errors.items():
        results[key].error, results[key].traceback = f"{case}: {message}", tb
        results[key].times.clear()
    return results


def _checked_builds(w, keys):
    """Build and check the implementations ``keys`` of ``w``; returns
    ({key: Result}, {(key, case): fn}) with the callables to time."""
    data = w.make_data()
    reference = {c: fn() for c, fn in w.builders["numpy"](data).items()}
    results, to_time = {}, {}
    for key in keys:
        r = results[key] = Result()
        try:
            fns = w.builders[key](copy.deepcopy(data))  # no sharing of mutable inputs
            outs = {c: fns[c]() for c in w.cases}
        except Exception as exc:  # noqa: BLE001 - a crash is a result
            r.error = f"{type(exc).__name__}: {exc}"
            r.traceback = traceback.format_exc(limit=-4)
            continue
        r.check = "; ".join(f"{c}: {msg}" for c in w.cases
                            if (msg := workloads.compare(outs[c], reference[c], w.dtype)))
        to_time.update({(key, c): fns[c] for c in w.cases})
    return results, to_time


def worker(name, key, repeat, min_time, clock):
    """One implementation of one workload in this (fresh) process; prints its
    Result as one JSON line (the parent reads the last line)."""
    backends.load(key)  # the library first, then the data, as a user's script would
    (w,) = [w for w in workloads.ALL if w.name == name]
    results, to_time = _checked_builds(w, [key])
    gc.collect()
    gc.freeze()
    timings, errors = timing.measure_all(to_time, repeat, min_time, clock)
    r = results[key]
    for (_, case), (message, tb) in errors.items():
        r.error, r.traceback = f"{case}: {message}", tb
    times = {} if errors else {case: t.as_dict() for (_, case), t in timings.items()}
    print(json.dumps({"times": times, "check": r.check, "error": r.error,
                      "traceback": r.traceback}))


def run_isolated(w, impls, repeat, min_time, clock, rounds):
    """Time each implementation of ``w`` in fresh processes, ``rounds`` times
    with the order rotated; returns {impl: Result} whose Timing per case has
    the median of the per-process medians and those medians as ``runs``."""
    keys = ["numpy"] + [k for k in impls if k != "numpy" and k in w.builders]
    runs = {k: [] for k in keys}
    for r in range(rounds):
        shift = r % len(keys)
        for key in keys[shift:] + keys[:shift]:
            cmd = [sys.executable, os.path.abspath(__file__), "--worker", w.name, key,
                   "--repeat", str(repeat), "--min-time", str(min_time), "--clock", clock]
            proc = subprocess.run(cmd, capture_output=True, text=True)
            lines = proc.stdout.strip().splitlines()
            try:
                if proc.returncode:  # a crash after its line (at exit) is still a crash
                    raise ValueError(f"exit status {proc.returncode}")
                runs[key].append(json.loads(lines[-1]))
            except (IndexError, ValueError) as exc:  # (JSONDecodeError is a ValueError)
                tail = (proc.stderr.strip().splitlines() or [str(exc)])[-1]
                runs[key].append({"times": {}, "check": "",
                                  "error": f"worker failed ({exc}): {tail}",
                                  "traceback": proc.stderr[-2000:]})
    results = {}
    for key, outs in runs.items():
        res = results[key] = Result()
        res.check = next((o["check"] for o in outs if o["check"]), "")
        failed = next((o for o in outs if o["error"]), None)
        if failed:
            res.error, res.traceback = failed["error"], failed["traceback"]
            continue
        for case in w.cases:
            medians = [o["times"][case]["median_s"] for o in outs]
            res.times[case] = timing.Timing(
                statistics.median(medians), min(o["times"][case]["min_s"] for o in outs),
                outs[0]["times"][case]["loops"], runs=medians)
    return results


def to_json(w, results):
    goals = [{"goal": g.text, "limit": g.limit, "unit": g.unit, "value": v, "met": m}
             for g, v, m in report.evaluate_goals(w, results)]
    impls = {k: {"times": {c: t.as_dict() for c, t in r.times.items()},
                 "check": r.check, "error": r.error} for k, r in results.items()}
    return {"title": w.title, "dtype": w.dtype, "implementations": impls, "goals": goals}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("workloads", nargs="*", help="e.g. W1 W3 W6 (default: all)")
    ap.add_argument("--repeat", type=int, default=7, help="samples per timing (median taken)")
    ap.add_argument("--min-time", type=float, default=0.05, help="seconds per sample, at least")
    ap.add_argument("--clock", choices=("cpu", "wall"), default="cpu",
                    help="process CPU time (default; robust on a shared machine) or wall time")
    ap.add_argument("--impl", default=",".join(backends.IMPLS),
                    help="comma-separated implementations (hand-written numpy always runs)")
    ap.add_argument("--json", metavar="PATH", help="also write all results as JSON")
    ap.add_argument("--rounds", type=int, default=3,
                    help="fresh processes per implementation (default 3; the ± is their spread)")
    ap.add_argument("--same-process", action="store_true",
                    help="time all implementations interleaved in this process (quick, no spreads)")
    ap.add_argument("--worker", nargs=2, metavar=("WORKLOAD", "IMPL"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.rounds < 1 or args.repeat < 1:
        ap.error("--rounds and --repeat must be at least 1 (--same-process for one process)")
    if args.worker:
        return worker(*args.worker, args.repeat, args.min_time, args.clock)

    chosen = workloads.select(args.workloads)
    wanted = [k for k in args.impl.split(",") if k]
    bad = [k for k in wanted if k not in backends.IMPLS]
    if bad:
        ap.error(f"unknown implementation(s) {bad}; known: {list(backends.IMPLS)}")
    available, missing = backends.load_all(wanted)

    machine = backends.machine_info()
    print(f"machine: {machine['cpu']}, {machine['cores']} cores; python {machine['python']}; "
          f"single-threaded (OMP/OPENBLAS/MKL/NUMEXPR_NUM_THREADS=1, torch 1 thread, XLA no eigen threads)")
    print("versions: " + ", ".join(f"{k} {v}" for k, v in available.items()))
    for key, why in missing.items():
        print(f"{key}: not available ({why})")
    clock = "process CPU time" if args.clock == "cpu" else "wall time"
    where = ("all in this process, interleaved" if args.same_process else
             f"each implementation in {args.rounds} fresh processes: median of their medians ± half their range")
    print(f"timing: {clock}, {where}; per process median of {args.repeat} samples, each >= {args.min_time} s; "
          f"ratios: time / time of hand-written numpy (×np) or of chainrule (×cr); * = informational")

    impls = [k for k in backends.IMPLS if k in available]
    out = {"machine": machine, "versions": available, "missing": missing,
           "settings": {"repeat": args.repeat, "min_time_s": args.min_time,
                        "clock": args.clock, "rounds": None if args.same_process else args.rounds},
           "workloads": {}}
    problems, start = [], time.perf_counter()
    for w in chosen:
        t0 = time.perf_counter()
        if args.same_process:
            results = run_workload(w, impls, args.repeat, args.min_time, args.clock)
        else:
            results = run_isolated(w, impls, args.repeat, args.min_time, args.clock, args.rounds)
        print(f"\n{w.name}: {w.title}  [{time.perf_counter() - t0:.0f} s]")
        print(report.table(w, results))
        for line in report.goal_lines(w, results):
            print(line)
        if w.note:
            print(f"  note: {w.note}")
        lines = report.problem_lines(w, results)
        for line in lines:
            print(line)
        problems += lines
        out["workloads"][w.name] = to_json(w, results)
        sys.stdout.flush()

    print(f"\ntotal {time.perf_counter() - start:.0f} s")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(out, fh, indent=1)
        print(f"results written to {args.json}")
    if problems:
        print(f"\n{sum(p.startswith('!!!') for p in problems)} PROBLEM(S) - see the '!!!' lines above")
    return 1 if problems else 0


if __name__ == "__main__":
    np.seterr(all="ignore")  # peers' warnings are noise here; wrong values are checked
    sys.exit(main())
