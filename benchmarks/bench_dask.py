"""Gradients over Dask arrays on a cluster, against NumPy eager on one process.

Two workloads at sizes from 10^6 elements up:

* ``lstsq``: the least-squares loss mean((X w - y)^2) of a design matrix X with 16
  columns (n elements in all), gradient with respect to the 16 NumPy parameters w:
  data-parallel training, a small gradient from large chunked data;
* ``rosen``: Rosenbrock's function of a vector of n elements, gradient with respect
  to the vector (a Dask array of n elements, chunked like the input).

For each (timed in turn, round after round, medians): the forward time (the loss
alone), the gradient time (value and gradient in one ``dask.compute``, the gradient
fetched into this process), their ratio, the time
with the gradient kept where it was computed ("kept": ``dask.persist``, as an optimiser
on the cluster would use it; for Rosenbrock the fetch moves n floats into one process,
which the scalar forward does not), the same two ratios for the gradient written by hand
in Dask ("hand": what Dask itself can do, the reference for chainrule's graph), the
time chainrule takes to build the graph, and
the peak memory of each process (each worker's for Dask, in a fresh cluster per
run). The data are generated on the workers and persisted when they fit in half of
the cluster's memory, otherwise generated again in each run (then the times include
the random numbers); NumPy eager runs in a child process of its own, up to --numpy-max
elements.

    python benchmarks/bench_dask.py                        # 10^6 .. 10^8, 2 workers
    python benchmarks/bench_dask.py --sizes 1e6,1e7 --workers 4 --memory 2GiB
    python benchmarks/bench_dask.py --scheduler tcp://host:8786   # an existing cluster
    python benchmarks/bench_dask.py --sync --sizes 1e6,1e7        # one process, CPU time
    python benchmarks/bench_dask.py --graph --sizes 1e8 --workloads rosen  # tasks, passes

``--graph`` times nothing: it prints the tasks of the forward, chainrule's and the
hand-written value-and-gradient graphs after Dask's optimisation (blockwise fusion), and
the passes over the data each makes (the arrays of the data's size its tasks write, by
function, computed in this process).

Needs the ``dask`` extra (``pip install 'chainrule[dask]'``) and psutil-free Linux
(peak memory from ``getrusage``).
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import numpy as np  # noqa: E402

import chainrule as cr  # noqa: E402
import chainrule.numpy as cnp  # noqa: E402

D = 16


def lstsq_loss(w, X, y):
    r = X @ w - y
    return cnp.sum(r * r) / X.shape[0]


def rosen(x):
    return cnp.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)


# ---- the same gradients written by hand in Dask: what Dask itself can do ------------------
def lstsq_hand(w, X, y):
    """Value and gradient (with respect to w) of lstsq_loss, as a Dask user writes them."""
    r = X @ w - y
    return (r * r).sum() / X.shape[0], (2.0 / X.shape[0]) * (X.T @ r)


def rosen_hand(x):
    """Value and gradient of rosen, as a Dask user writes them: the slices' terms once,
    each slice's part of the gradient padded back to x's length and added."""
    import dask.array as da
    lo, hi = x[:-1], x[1:]
    t = hi - lo ** 2
    value = (100.0 * t ** 2 + (1.0 - lo) ** 2).sum()
    zero = da.zeros(1, dtype=x.dtype)
    grad = (da.concatenate([-400.0 * t * lo - 2.0 * (1.0 - lo), zero])
            + da.concatenate([zero, 200.0 * t]))
    return value, grad


def _peak_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _timed(fn, repeat, clock=time.perf_counter):
    times = []
    for _ in range(repeat):
        t = clock()
        fn()
        times.append(clock() - t)
    return statistics.median(times), min(times), max(times)


def _timed_in_turn(fns, repeat, clock=time.perf_counter):
    # Each of ``fns`` (name -> function) once per round, in turn, for ``repeat`` rounds:
    # a busy machine's load then weighs on all of them alike.
    times = {name: [] for name in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            t = clock()
            fn()
            times[name].append(clock() - t)
    return {name: (statistics.median(ts), min(ts), max(ts)) for name, ts in times.items()}


# ---- NumPy eager, in a child process (its own peak memory) --------------------------------
def numpy_child(workload, n, repeat, clock=time.perf_counter):
    rng = np.random.default_rng(0)
    if workload == "lstsq":
        X = rng.standard_normal((n // D, D))
        y = X @ np.linspace(-1, 1, D) + 0.1 * rng.standard_normal(n // D)
        w = np.zeros(D)
        fwd = lambda: lstsq_loss(w, X, y)  # noqa: E731
        vg = lambda: cr.value_and_grad(lstsq_loss)(w, X, y)  # noqa: E731
    else:
        x = rng.uniform(-1.5, 1.5, n)
        fwd = lambda: rosen(x)  # noqa: E731
        vg = lambda: cr.value_and_grad(rosen)(x)  # noqa: E731
    f = _timed(fwd, repeat, clock)
    g = _timed(vg, repeat, clock)
    print(json.dumps({"forward": f, "grad": g, "peak_mib": _peak_mib()}))


def run_numpy(workload, n, repeat, sync=False):
    out = subprocess.run([sys.executable, __file__, "--numpy-child", workload, str(n),
                          "--repeat", str(repeat)] + (["--sync"] if sync else []),
                         capture_output=True, text=True)
    if out.returncode:
        return {"error": (out.stderr.strip().splitlines() or ["killed"])[-1][:80]}
    return json.loads(out.stdout.strip().splitlines()[-1])


# ---- Dask on a cluster --------------------------------------------------------------------
def _dask_data(workload, n, chunk):
    import dask.array as da
    rng = da.random.default_rng(0)
    if workload == "lstsq":
        rows = n // D
        X = rng.standard_normal((rows, D), chunks=(max(chunk // D, 1), D))
        y = X @ np.linspace(-1, 1, D) + 0.1 * rng.standard_normal(rows, chunks=X.chunks[0])
        return (np.zeros(D), X, y)
    return (rng.uniform(-1.5, 1.5, n, chunks=chunk),)


def run_dask_sync(workload, n, args):
    # One process, Dask's synchronous scheduler, process CPU time: the work in the graph
    # without the cluster's scheduling and transfers (steadier on a busy machine).
    import dask
    fn = lstsq_loss if workload == "lstsq" else rosen
    hand = lstsq_hand if workload == "lstsq" else rosen_hand
    with dask.config.set(scheduler="sync"):
        data = tuple(dask.persist(*_dask_data(workload, n, args.chunk)))
        t = time.perf_counter()
        cr.value_and_grad(fn)(*data)
        trace_s = time.perf_counter() - t
        dask.compute(fn(*data))  # (untimed: the first computation's one-time costs)
        r = _timed_in_turn({
            "forward": lambda: dask.compute(fn(*data)),
            "grad": lambda: dask.compute(*cr.value_and_grad(fn)(*data)),
            "kept": lambda: _kept(*cr.value_and_grad(fn)(*data)),
            "hand_grad": lambda: dask.compute(*hand(*data)),
            "hand_kept": lambda: _kept(*hand(*data))}, args.repeat, time.process_time)
    return {**r, "trace_s": trace_s, "peak_mib": None}  # (one process)


def _kept(value, grad, wait=None):
    # Value and gradient computed in one graph, the gradient's blocks left where they were
    # computed (on the workers; in this process's memory for the synchronous scheduler).
    import dask
    value, grad = dask.persist(value, grad)
    if wait is not None:
        wait(grad)
    return float(value.compute()), grad


def run_dask(workload, n, args):
    import dask
    import distributed
    if args.sync:
        return run_dask_sync(workload, n, args)
    fn = lstsq_loss if workload == "lstsq" else rosen
    hand = lstsq_hand if workload == "lstsq" else rosen_hand
    cluster = None
    if args.scheduler:
        client = distributed.Client(args.scheduler)
    else:
        cluster = distributed.LocalCluster(n_workers=args.workers, threads_per_worker=1,
                                           memory_limit=args.memory, dashboard_address=":0",
                                           silence_logs=40)
        client = distributed.Client(cluster)
    try:
        data = _dask_data(workload, n, args.chunk)
        total = sum(w["memory_limit"] for w in client.scheduler_info()["workers"].values())
        persisted = n * 8 * (1.1 if workload == "lstsq" else 1) < total / 2
        if persisted:
            data = tuple(dask.persist(*data))
            distributed.wait([d for d in data if hasattr(d, "dask")])
        t = time.perf_counter()
        value, grad = cr.value_and_grad(fn)(*data)
        trace_s = time.perf_counter() - t
        dask.compute(fn(*data))  # (untimed: the first computation's one-time costs)
        r = _timed_in_turn({
            "forward": lambda: dask.compute(fn(*data)),
            "grad": lambda: dask.compute(*cr.value_and_grad(fn)(*data)),
            "kept": lambda: _kept(*cr.value_and_grad(fn)(*data), wait=distributed.wait),
            "hand_grad": lambda: dask.compute(*hand(*data)),
            "hand_kept": lambda: _kept(*hand(*data), wait=distributed.wait)}, args.repeat)
        peaks = client.run(_peak_mib)
        return {**r, "trace_s": trace_s, "persisted": persisted,
                "peak_mib": sorted(peaks.values()), "grad_shape": list(grad.shape)}
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


# ---- the graphs themselves: tasks, and passes over the data ---------------------------------
def _passes(collections, n, min_size):
    """Run ``collections`` (Dask) in this process, counting the arrays its tasks write:
    {function name: elements written / n}, for the new arrays of at least ``min_size``
    elements (views, such as slices and broadcasts, write nothing; a result written into
    an array the task made itself is not counted again, nor is the array a fused task
    returns from its inner tasks). A pass over the data is then n elements written."""
    import dask
    from dask import _task_spec
    written = {}
    call = _task_spec.Task.__call__

    def counting(task, values=()):
        out = call(task, values)
        name = getattr(task.func, "__name__", str(task.func))
        if name == "_enforce_dtype":  # Dask's wrapper of a map_blocks/elemwise function
            fn = task.kwargs.get("enforce_dtype_function")
            name = getattr(getattr(fn, "data", fn), "__name__", name)
        if type(out) is np.ndarray and out.base is None and out.size >= min_size and \
                name not in ("_execute_subgraph", "Compose"):
            written[name] = written.get(name, 0) + out.size
        return out
    _task_spec.Task.__call__ = counting
    try:
        with dask.config.set(scheduler="sync"):
            dask.compute(*collections)
    finally:
        _task_spec.Task.__call__ = call
    return {k: round(v / n, 2) for k, v in sorted(written.items())}


def graph_stats(workload, n, chunk):
    """Tasks of the forward, chainrule's value-and-gradient and the hand-written
    value-and-gradient graphs after Dask's optimisation (blockwise fusion), and the
    elements each writes per element of the data (``_passes``)."""
    import dask
    fn = lstsq_loss if workload == "lstsq" else rosen
    hand = lstsq_hand if workload == "lstsq" else rosen_hand
    with dask.config.set(scheduler="sync"):
        data = tuple(dask.persist(*_dask_data(workload, n, chunk)))
    out = {}
    for name, make in (("forward", lambda: (fn(*data),)),
                       ("chainrule", lambda: tuple(cr.value_and_grad(fn)(*data))),
                       ("hand", lambda: tuple(hand(*data)))):
        graph = {}
        for a in dask.optimize(*make()):
            graph.update(dict(a.__dask_graph__()))
        tasks = len(graph)
        passes = _passes(make(), n, max(chunk // 160, 1))
        out[name] = {"tasks": tasks, "passes": round(sum(passes.values()), 2),
                     "by_function": passes}
    return out


def _fmt(r):
    if "error" in r:
        return f"{'failed: ' + r['error']:>44}"
    f, g = r["forward"][0], r["grad"][0]
    kept = f"{r['kept'][0]:8.3f} s {r['kept'][0] / f:6.2f}x" if "kept" in r else " " * 18
    hand = (f"{r['hand_grad'][0] / f:6.2f}x {r['hand_kept'][0] / f:6.2f}x"
            if "hand_grad" in r else " " * 15)
    return f"{f:8.3f} s {g:8.3f} s {g / f:6.2f}x {kept} {hand}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1e6,1e7,1e8", help="elements, comma-separated")
    ap.add_argument("--workloads", default="lstsq,rosen")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--memory", default="4GiB", help="memory limit per worker")
    ap.add_argument("--chunk", type=float, default=2**22, help="elements per chunk")
    ap.add_argument("--numpy-max", type=float, default=1e8)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--scheduler", help="address of a running Dask scheduler")
    ap.add_argument("--sync", action="store_true",
                    help="Dask in this process (synchronous scheduler), CPU time; NumPy too")
    ap.add_argument("--graph", action="store_true",
                    help="print the graphs' tasks and passes over the data instead of timing")
    ap.add_argument("--json", help="also write the results here")
    ap.add_argument("--numpy-child", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.numpy_child:
        return numpy_child(args.numpy_child[0], int(args.numpy_child[1]), args.repeat,
                           time.process_time if args.sync else time.perf_counter)
    args.chunk = int(args.chunk)
    if args.graph:
        return print_graphs(args)
    results = []
    print(f"{'workload':8} {'n':>7}  {'impl':5} {'forward':>10} {'grad+value':>10} "
          f"{'ratio':>7} {'kept':>10} {'ratio':>7} {'hand':>7} {'kept':>7}  {'build':>7}  "
          f"peak memory per process")
    for workload in args.workloads.split(","):
        for n in (int(float(s)) for s in args.sizes.split(",")):
            rows = []
            if n <= args.numpy_max:
                rows.append(("numpy", run_numpy(workload, n, args.repeat, args.sync)))
            rows.append(("dask", run_dask(workload, n, args)))
            for impl, r in rows:
                results.append({"workload": workload, "n": n, "impl": impl, **r})
                build = f"{r['trace_s']:6.2f}s" if "trace_s" in r else " " * 7
                peak = r.get("peak_mib")
                peak = (" / ".join(f"{p:.0f}" for p in peak) if isinstance(peak, list)
                        else f"{peak:.0f}" if peak else "")
                note = "" if impl == "numpy" or r.get("persisted", True) else \
                    "  (data generated in each run)"
                print(f"{workload:8} {n:7.0e}  {impl:5} {_fmt(r)}  {build}  {peak} MiB{note}",
                      flush=True)
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(results, fh, indent=1)


def print_graphs(args):
    results = []
    for workload in args.workloads.split(","):
        for n in (int(float(s)) for s in args.sizes.split(",")):
            stats = graph_stats(workload, n, args.chunk)
            for impl, r in stats.items():
                results.append({"workload": workload, "n": n, "impl": impl, **r})
                detail = ", ".join(f"{k} {v:g}" for k, v in r["by_function"].items())
                print(f"{workload:8} {n:7.0e}  {impl:9} {r['tasks']:6d} tasks  "
                      f"{r['passes']:5.2f} passes  ({detail})", flush=True)
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(results, fh, indent=1)


if __name__ == "__main__":
    main()
