"""vmap, per-sample gradients, Jacobians through vmap and the NTK (issue 6).

Usage:
    python benchmarks/bench_vmap.py [--quick] [--dtype float32]
        [--ntk-params 1e5,1e6] [--memory-limit-gib 2] [--json PATH]

Three parts, single-threaded, peers timed in the same run (skipped when not
installed):

1. Per-sample gradients of a 64-128-10 tanh MLP with softmax cross-entropy
   (one-hot labels), batch 256: chainrule ``vmap(grad)``, a Python loop of
   chainrule ``grad``, a hand-written NumPy version, ``torch.func.vmap(grad)``,
   ``jax.vmap(jax.grad)`` (eager, no jit). Timed interleaved (benchmarks/timing.py).
2. Jacobians of tanh(W x): jacfwd with n=10, m=1000 and jacrev with n=1000,
   m=10, as one ``cr.jvp``/``cr.vjp`` pass per basis vector (a Python loop),
   ``cr.jacfwd``/``cr.jacrev`` (all basis vectors in one vmapped pass), and
   the closed form diag(1 - tanh²) W.
3. Empirical NTK, 64 x 64 inputs, MLPs with ~1e5 and ~1e6 parameters, float64,
   traced kernel: time and peak memory of "jacobian" and "ntk_vp", each in a
   fresh subprocess (time of one run; peak memory by tracemalloc in a second run,
   and the growth of the RSS high-water mark); "jacobian" is not run where
   its predicted memory exceeds the limit, which is what "auto" avoids.
"""

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
os.environ.setdefault("XLA_FLAGS", "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1")
os.environ.setdefault("JAX_PLATFORMS", "cpu")

import argparse  # noqa: E402
import json  # noqa: E402
import resource  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from timing import measure_all, fmt_time  # noqa: E402

import chainrule as cr  # noqa: E402
import chainrule.numpy as cnp  # noqa: E402
import chainrule.scipy.special as csp  # noqa: E402
vmap = cr.vmap


# ---- 1. per-sample gradients ---------------------------------------------------------------
def mlp_data(dtype, batch=256, sizes=(64, 128, 10), seed=0):
    rng = np.random.default_rng(seed)
    w1 = (rng.normal(size=sizes[:2]) / np.sqrt(sizes[0])).astype(dtype)
    b1 = np.zeros(sizes[1], dtype)
    w2 = (rng.normal(size=sizes[1:]) / np.sqrt(sizes[1])).astype(dtype)
    b2 = np.zeros(sizes[2], dtype)
    x = rng.normal(size=(batch, sizes[0])).astype(dtype)
    y = np.eye(sizes[2], dtype=dtype)[rng.integers(0, sizes[2], size=batch)]
    return (w1, b1, w2, b2), x, y


def cr_loss(params, x, y):
    w1, b1, w2, b2 = params
    h = cnp.tanh(x @ w1 + b1)
    logits = h @ w2 + b2
    return -cnp.sum(y * csp.log_softmax(logits, axis=-1))


def numpy_per_sample(params, x, y):
    w1, b1, w2, b2 = params
    h = np.tanh(x @ w1 + b1)
    z = h @ w2 + b2
    z = z - z.max(axis=1, keepdims=True)
    p = np.exp(z)
    p /= p.sum(axis=1, keepdims=True)
    d = p * y.sum(axis=1, keepdims=True) - y
    gw2 = h[:, :, None] * d[:, None, :]
    dh = (d @ w2.T) * (1 - h * h)
    gw1 = x[:, :, None] * dh[:, None, :]
    return gw1, dh, gw2, d


def per_sample_impls(dtype):
    params, x, y = mlp_data(dtype)
    impls = {}
    ps = vmap(cr.grad(cr_loss), in_axes=(None, 0, 0))
    impls["chainrule vmap(grad)"] = lambda: ps(params, x, y)
    jps = cr.jit(ps)
    impls["chainrule jit(vmap(grad))"] = lambda: jps(params, x, y)
    g1 = cr.grad(cr_loss)
    impls["chainrule loop of grad"] = lambda: [g1(params, x[i], y[i]) for i in range(len(x))]
    impls["hand-written NumPy"] = lambda: numpy_per_sample(params, x, y)
    ref = numpy_per_sample(params, x, y)
    got = ps(params, x, y)
    tol = 1e-4 if dtype == np.float32 else 1e-10
    for a, b in zip(got, ref):
        assert np.allclose(a, b, rtol=tol, atol=tol), "chainrule per-sample gradients differ"
    try:
        import torch
        from torch.func import vmap as tvmap, grad as tgrad
        torch.set_num_threads(1)
        tparams = tuple(torch.tensor(p) for p in params)
        tx, ty = torch.tensor(x), torch.tensor(y)

        def tloss(p, xi, yi):
            w1, b1, w2, b2 = p
            h = torch.tanh(xi @ w1 + b1)
            return -(yi * torch.log_softmax(h @ w2 + b2, dim=-1)).sum()

        tps = tvmap(tgrad(tloss), in_dims=(None, 0, 0))
        impls[f"torch.func.vmap(grad) {torch.__version__}"] = lambda: tps(tparams, tx, ty)
    except ImportError:
        pass
    try:
        import jax
        import jax.numpy as jnp
        jparams = tuple(jnp.asarray(p) for p in params)
        jx, jy = jnp.asarray(x), jnp.asarray(y)

        def jloss(p, xi, yi):
            w1, b1, w2, b2 = p
            h = jnp.tanh(xi @ w1 + b1)
            return -(yi * jax.nn.log_softmax(h @ w2 + b2, axis=-1)).sum()

        jps = jax.vmap(jax.grad(jloss), in_axes=(None, 0, 0))

        def run_jax():
            out = jps(jparams, jx, jy)
            jax.block_until_ready(out)
            return out
        with jax.disable_jit():
            run_jax()
        impls[f"jax.vmap(grad) eager {jax.__version__}"] = \
            lambda: _no_jit(jax, run_jax)
    except ImportError:
        pass
    return impls


def _no_jit(jax, fn):
    with jax.disable_jit():
        return fn()


# ---- 2. Jacobians ---------------------------------------------------------------------------
def jacobian_impls(n, m, mode):
    rng = np.random.default_rng(1)
    W = rng.normal(size=(m, n)) / np.sqrt(n)
    x = rng.normal(size=n)
    f = lambda x: cnp.tanh(W @ x)
    closed = lambda: (1 - np.tanh(W @ x) ** 2)[:, None] * W
    def loop_jac(x):
        if mode == "fwd":
            return np.stack([cr.jvp(f, (x,), (e,))[1] for e in np.eye(n)], axis=-1)
        _, pullback = cr.vjp(f, x)
        return np.stack([pullback(e)[0] for e in np.eye(m)])

    vm_jac = cr.jacfwd(f) if mode == "fwd" else cr.jacrev(f)
    ref = closed()
    assert np.allclose(vm_jac(x), ref) and np.allclose(loop_jac(x), ref)
    return {"closed form": closed, f"one pass per basis vector (loop)": lambda: loop_jac(x),
            f"cr.jac{mode} (one vmapped pass)": lambda: vm_jac(x)}


# ---- 3. NTK ----------------------------------------------------------------------------------
def ntk_sizes(p_target):
    # three-layer tanh MLP 64 -> h -> h -> 10 with ~p_target parameters
    h = int((-(64 + 10 + 2) + np.sqrt((64 + 12) ** 2 + 4 * p_target)) / 2)
    return (64, h, h, 10)


def ntk_setup(p_target):
    sizes = ntk_sizes(p_target)
    rng = np.random.default_rng(2)
    params = [(rng.normal(size=(a, b)) / np.sqrt(a), np.zeros(b)) for a, b in zip(sizes, sizes[1:])]
    x1, x2 = rng.normal(size=(64, 64)), rng.normal(size=(64, 64))

    def f(p, x):
        for w, b in p[:-1]:
            x = cnp.tanh(x @ w + b)
        w, b = p[-1]
        return x @ w + b
    return f, params, x1, x2, sizes


def ntk_worker(p_target, method, limit):
    from chainrule.ntk import empirical_ntk, choose_method, param_count
    f, params, x1, x2, sizes = ntk_setup(p_target)
    choice = choose_method(f, params, x1, x2, memory_limit=limit)
    empirical_ntk(f, params, x1[:2], x2[:2], method=method, memory_limit=limit)  # warm-up
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    t0 = time.perf_counter()
    K = empirical_ntk(f, params, x1, x2, method=method, memory_limit=limit)
    dt = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - base
    del K
    # a second, warm run: the first one also pays for faulting fresh pages in
    t0 = time.perf_counter()
    K = empirical_ntk(f, params, x1, x2, method=method, memory_limit=limit)
    warm = time.perf_counter() - t0
    del K
    # second run under tracemalloc (NumPy reports its allocations to it): the peak
    tracemalloc.start()
    K = empirical_ntk(f, params, x1, x2, method=method, memory_limit=limit)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(json.dumps({"P": param_count(params), "sizes": sizes, "method": method,
                      "seconds": dt, "warm_seconds": warm, "peak_bytes": peak, "rss_bytes": rss, "checksum": float(np.sum(K)),
                      "auto": choice.method, "reason": choice.reason,
                      "predicted_bytes": choice.predicted[method]["bytes"]}))


def run_ntk(p_targets, limit):
    from chainrule.ntk import choose_method, param_count
    rows = []
    for pt in p_targets:
        f, params, x1, x2, sizes = ntk_setup(pt)
        choice = choose_method(f, params, x1, x2, memory_limit=limit)
        for method in ("jacobian", "ntk_vp"):
            pred = choice.predicted[method]["bytes"]
            if pred > limit:
                rows.append({"P": param_count(params), "method": method, "skipped":
                             f"predicted {pred / 2**30:.1f} GiB > limit {limit / 2**30:.1f} GiB",
                             "auto": choice.method, "reason": choice.reason})
                continue
            out = subprocess.run([sys.executable, __file__, "--ntk-worker", str(pt), method,
                                  str(limit)], capture_output=True, text=True)
            if out.returncode:
                rows.append({"P": param_count(params), "method": method,
                             "skipped": "failed: " + out.stderr.strip().splitlines()[-1]})
                continue
            rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return rows


# ---- driver ---------------------------------------------------------------------------------
def table(title, timings, errors, base_key=None):
    print(f"\n### {title}\n")
    base = timings.get(base_key).median if base_key in timings else None
    print("| implementation | median | vs " + (base_key or "-") + " |")
    print("|---|---:|---:|")
    for k, t in timings.items():
        ratio = f"{t.median / base:.2f}x" if base else ""
        print(f"| {k} | {fmt_time(t.median)} | {ratio} |")
    for k, (msg, _) in errors.items():
        print(f"| {k} | error: {msg} | |")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="fewer repeats, NTK at 1e5 only")
    ap.add_argument("--dtype", default="float32")
    ap.add_argument("--ntk-params", default="1e5,1e6")
    ap.add_argument("--memory-limit-gib", type=float, default=2.0)
    ap.add_argument("--skip-ntk", action="store_true")
    ap.add_argument("--json")
    ap.add_argument("--ntk-worker", nargs=3)
    args = ap.parse_args()
    if args.ntk_worker:
        ntk_worker(float(args.ntk_worker[0]), args.ntk_worker[1], int(args.ntk_worker[2]))
        return
    import gc
    repeat = 3 if args.quick else 7
    report = {}
    print(f"single-threaded; numpy {np.__version__}; python {sys.version.split()[0]}")
    impls = per_sample_impls(np.dtype(args.dtype).type)
    gc.freeze()
    t, e = measure_all(impls, repeat=repeat, min_time=0.2)
    table(f"Per-sample gradients, 64-128-10 tanh MLP + cross-entropy, batch 256, {args.dtype}",
          t, e, "chainrule vmap(grad)")
    report["per_sample"] = {k: v.as_dict() for k, v in t.items()}
    for n, m, mode in ((10, 1000, "fwd"), (1000, 10, "rev")):
        t, e = measure_all(jacobian_impls(n, m, mode), repeat=repeat, min_time=0.2)
        table(f"jac{mode} of tanh(W x), n={n}, m={m}, float64", t, e, "closed form")
        report[f"jac{mode}"] = {k: v.as_dict() for k, v in t.items()}
    if not args.skip_ntk:
        targets = [float(s) for s in args.ntk_params.split(",")]
        if args.quick:
            targets = targets[:1]
        rows = run_ntk(targets, int(args.memory_limit_gib * 2**30))
        print(f"\n### Empirical NTK, 64 x 64 inputs, traced, float64 "
              f"(memory limit {args.memory_limit_gib} GiB)\n")
        print("| P | method | time (first call) | time (second call) | peak traced memory | "
              "RSS growth | predicted memory | auto picks |")
        print("|---:|---|---:|---:|---:|---:|---:|---|")
        for r in rows:
            if "skipped" in r:
                print(f"| {r['P']} | {r['method']} | not run: {r['skipped']} | | | | | "
                      f"{r.get('auto', '')} |")
            else:
                print(f"| {r['P']} | {r['method']} | {r['seconds']:.2f} s | "
                      f"{r['warm_seconds']:.2f} s | "
                      f"{r['peak_bytes'] / 2**20:.0f} MiB | {r['rss_bytes'] / 2**20:.0f} MiB | "
                      f"{r['predicted_bytes'] / 2**20:.0f} MiB | {r['auto']} |")
        for r in rows:
            if r.get("reason"):
                print(f"\nauto at P={r['P']}: {r['reason']}")
                break
        report["ntk"] = rows
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(report, fh, indent=1)


if __name__ == "__main__":
    main()
