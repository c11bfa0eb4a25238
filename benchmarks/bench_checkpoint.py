"""Peak memory and time of one gradient with and without checkpointing (issue 4).

Usage:
    python benchmarks/bench_checkpoint.py [--L 16,64,256]
        [--batch 2048] [--width 128] [--only chainrule,torch,jax,autograd]
        [--no-transformer] [--json PATH] [--plot PATH]

Workload: a residual network ``x <- x + tanh(x @ W_i)``, float64, gradient of
``sum(x_L ** 2)`` with respect to the input x AND every W_i (so parameter
gradients are included in the measured memory; at width 128 they are 128 KiB
per layer against 2 MiB per stored activation at batch 2048).

Every configuration runs in a fresh subprocess (``python this_file --worker``),
one thread, and reports:

- ``rss``: process RSS high-water mark (ru_maxrss) minus the RSS just before
  the gradient (so imports, the data and the weights are excluded); seen by all
  frameworks. Workers run with ``MALLOC_MMAP_THRESHOLD_=131072`` (see
  ``spawn``; ``--default-malloc`` turns it off) so that freed buffers leave RSS.
- ``traced``: tracemalloc peak during the gradient (NumPy-based frameworks
  only; torch and XLA allocate outside tracemalloc's view).
- ``time``: CPU time of one gradient (best of two when it is short); the
  wall time is in the JSON. CPU time is used because it does not count the
  time other jobs on a shared machine take.
- ``evals``: layer evaluations (chainrule's counter; L = no recomputation).

Then Example 2 of the notes (a deep transformer, there 96 layers and a
claimed 10x saving) is redone at a size this machine holds.
"""

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
os.environ.setdefault("XLA_FLAGS", "--xla_cpu_multi_thread_eigen=false "
                      "intra_op_parallelism_threads=1")
os.environ.setdefault("JAX_PLATFORMS", "cpu")
os.environ.setdefault("JAX_ENABLE_X64", "1")

import argparse  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import resource  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402

DEFAULT_MALLOC = False
HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(os.path.dirname(HERE), "src")
MIB = 2 ** 20


def _rss_now():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def _maxrss():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _timed(run):
    """(CPU seconds, wall seconds) of one call. CPU time of this process is the
    reported time: it is robust to other jobs sharing the machine."""
    c0, w0 = time.process_time(), time.perf_counter()
    run()
    return time.process_time() - c0, time.perf_counter() - w0


def _sqrt_segments(L):
    return math.isqrt(L - 1) + 1 if L > 1 else 1


# ---- workers: each returns (grad_fn, n_evals_fn or None) -----------------------------------------
def _data(L, B, D):
    import numpy as np
    rng = np.random.default_rng(0)
    Ws = [rng.standard_normal((D, D)) / math.sqrt(D) for _ in range(L)]
    x = rng.standard_normal((B, D))
    return Ws, x


def setup_chainrule(mode, L, B, D):
    sys.path.insert(0, SRC)
    import chainrule as cr
    import chainrule.numpy as cnp
    from chainrule.checkpointing import checkpoint_sequential, sequential
    Ws, x = _data(L, B, D)

    def layer(W, h):
        return h + cnp.tanh(h @ W)

    layers = [layer] * L
    if mode == "none":
        f = sequential(layers, with_params=True)
    elif mode == "sqrt":
        f = checkpoint_sequential(layers, with_params=True)
    elif mode.startswith("k="):
        f = checkpoint_sequential(layers, budget=int(mode[2:]), with_params=True)
    else:
        raise ValueError(mode)
    g = cr.grad(lambda Ws, x: cnp.sum(f(Ws, x) ** 2), argnums=(0, 1))

    def run():
        f.reset_counts()
        return g(Ws, x)
    return run, lambda: f.calls


def setup_torch(mode, L, B, D):
    import torch
    from torch.utils.checkpoint import checkpoint_sequential
    torch.set_num_threads(1)
    Ws, x = _data(L, B, D)
    Wt = [torch.tensor(W, requires_grad=True) for W in Ws]

    class Layer(torch.nn.Module):
        def __init__(self, W):
            super().__init__()
            self.W = W

        def forward(self, h):
            return h + torch.tanh(h @ self.W)

    model = torch.nn.Sequential(*[Layer(W) for W in Wt])

    def run():
        xt = torch.tensor(x, requires_grad=True)
        if mode == "none":
            y = model(xt)
        else:
            y = checkpoint_sequential(model, _sqrt_segments(L), xt, use_reentrant=False)
        (y ** 2).sum().backward()
        out = xt.grad
        for W in Wt:
            W.grad = None
        return out
    return run, None


def setup_jax(mode, L, B, D):
    import jax
    import jax.numpy as jnp
    jax.config.update("jax_enable_x64", True)
    Ws, x = _data(L, B, D)
    Ws = [jnp.asarray(W) for W in Ws]
    x = jnp.asarray(x)
    s = _sqrt_segments(L)
    m = -(-L // s)

    def seg(ws, h):
        for W in ws:
            h = h + jnp.tanh(h @ W)
        return h

    def f(Ws, x):
        if mode == "none":
            return jnp.sum(seg(Ws, x) ** 2)
        h = x
        for a in range(0, L, m):
            h = jax.checkpoint(seg)(Ws[a:a + m], h)
        return jnp.sum(h ** 2)

    g = jax.grad(f, argnums=(0, 1))  # eager (no jit): op by op, like the others

    def run():
        out = g(Ws, x)
        jax.block_until_ready(out)
        return out
    return run, None


def setup_autograd(mode, L, B, D):
    import autograd
    import autograd.numpy as anp
    from autograd import checkpoint
    Ws, x = _data(L, B, D)
    s = _sqrt_segments(L)
    m = -(-L // s)

    def seg(ws, h):
        for W in ws:
            h = h + anp.tanh(anp.dot(h, W))
        return h

    def f(Ws, x):
        if mode == "none":
            return anp.sum(seg(Ws, x) ** 2)
        h = x
        ck = checkpoint(seg)
        for a in range(0, L, m):
            h = ck(Ws[a:a + m], h)
        return anp.sum(h ** 2)

    g = autograd.grad(lambda Wx: f(Wx[0], Wx[1]))  # one tuple argument: (Ws, x)

    def run():
        return g((Ws, x))
    return run, None


SETUPS = {"chainrule": setup_chainrule, "torch": setup_torch, "jax": setup_jax,
          "autograd": setup_autograd}


def worker(fw, mode, L, B, D, traced):
    # Warm up on a tiny problem first, so that lazy imports and one-time
    # initialisation are not counted in the RSS delta or the time.
    SETUPS[fw](mode, 2, 8, D)[0]()
    run, evals = SETUPS[fw](mode, L, B, D)
    rss0 = _rss_now()
    t, wall = _timed(run)
    if wall < 20.0:
        t2, wall2 = _timed(run)
        t, wall = min(t, t2), min(wall, wall2)
    rss_peak = _maxrss() - rss0
    tpeak = _traced_peak(run) if traced else None
    return {"fw": fw, "mode": mode, "L": L, "B": B, "D": D, "time": t, "wall": wall,
            "rss": rss_peak,
            "traced": tpeak, "evals": evals() if evals else None}


# ---- Example 2: a deep transformer ---------------------------------------------------------------
def setup_transformer(mode, L, B, T, D, H):
    sys.path.insert(0, SRC)
    import numpy as np
    import chainrule as cr
    import chainrule.numpy as cnp
    from chainrule.checkpointing import checkpoint_sequential, sequential
    rng = np.random.default_rng(0)
    dh = D // H

    def ln(x):
        mu = cnp.mean(x, axis=-1, keepdims=True)
        xc = x - mu
        return xc / cnp.sqrt(cnp.mean(xc * xc, axis=-1, keepdims=True) + 1e-5)

    def block(p, x):
        h = ln(x)
        q = cnp.swapaxes(cnp.reshape(h @ p["q"], (B, T, H, dh)), 1, 2)
        k = cnp.swapaxes(cnp.reshape(h @ p["k"], (B, T, H, dh)), 1, 2)
        v = cnp.swapaxes(cnp.reshape(h @ p["v"], (B, T, H, dh)), 1, 2)
        s = q @ cnp.swapaxes(k, 2, 3) / math.sqrt(dh)
        e = cnp.exp(s - cnp.max(s, axis=-1, keepdims=True))
        a = e / cnp.sum(e, axis=-1, keepdims=True)
        o = cnp.reshape(cnp.swapaxes(a @ v, 1, 2), (B, T, D)) @ p["o"]
        x = x + o
        h = ln(x)
        return x + cnp.maximum(h @ p["w1"], 0.0) @ p["w2"]

    def init(shape):
        return rng.standard_normal(shape) / math.sqrt(shape[0])

    params = [{"q": init((D, D)), "k": init((D, D)), "v": init((D, D)), "o": init((D, D)),
               "w1": init((D, 4 * D)), "w2": init((4 * D, D))} for _ in range(L)]
    x = rng.standard_normal((B, T, D))
    layers = [block] * L
    if mode == "none":
        f = sequential(layers, with_params=True)
    elif mode == "sqrt":
        f = checkpoint_sequential(layers, with_params=True)
    else:
        f = checkpoint_sequential(layers, budget=int(mode[2:]), with_params=True)
    g = cr.grad(lambda P, x: cnp.sum(f(P, x) ** 2), argnums=(0, 1))

    def run():
        f.reset_counts()
        return g(params, x)
    return run, lambda: f.calls


def _traced_peak(run):
    """Peak bytes Python allocated during one ``run()``, above what was held before."""
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    tracemalloc.reset_peak()
    run()
    peak = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    return peak


def transformer_worker(mode, L, B, T, D, H):
    run, evals = setup_transformer(mode, L, B, T, D, H)
    rss0 = _rss_now()
    t, wall = _timed(run)
    rss_peak = _maxrss() - rss0
    tpeak = _traced_peak(run)
    return {"fw": "chainrule", "mode": mode, "L": L, "B": B, "T": T, "D": D, "H": H,
            "time": t, "wall": wall, "rss": rss_peak, "traced": tpeak, "evals": evals(),
            "state_bytes": B * T * D * 8}


# ---- driver ------------------------------------------------------------------------------------
def spawn(args):
    cmd = [sys.executable, os.path.abspath(__file__), "--worker", json.dumps(args)]
    env = dict(os.environ)
    if not DEFAULT_MALLOC:
        # glibc raises its mmap threshold after the first large free, after which
        # freed 2 MiB buffers stay in the heap and RSS stops reflecting live memory
        # (PyTorch's checkpointing then appears to save nothing). A fixed threshold
        # returns them to the OS, so the RSS high-water mark measures what is held.
        env.setdefault("MALLOC_MMAP_THRESHOLD_", "131072")
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if p.returncode != 0:
        tail = (p.stderr or p.stdout).strip().splitlines()[-1:] or ["?"]
        return {"error": tail[0][:200], **args}
    return json.loads(p.stdout.strip().splitlines()[-1])


def available(fw):
    if fw == "chainrule":
        return True
    code = {"torch": "import torch.utils.checkpoint", "jax": "import jax",
            "autograd": "from autograd import checkpoint"}[fw]
    return subprocess.run([sys.executable, "-c", code], capture_output=True).returncode == 0


def fmt_row(r, base):
    if "error" in r:
        return f"| {r['fw']} | {r['mode']} | {r['L']} | error: {r['error']} | | | | | |"
    tr = "-" if r["traced"] is None else f"{r['traced'] / MIB:.0f}"
    ev = "-" if r["evals"] is None else str(r["evals"])
    if base and "error" not in base:
        mr = f"{base['rss'] / max(r['rss'], 1):.1f}x"
        tr_ratio = f"{r['time'] / base['time']:.2f}x"
    else:
        mr = tr_ratio = "-"
    return (f"| {r['fw']} | {r['mode']} | {r['L']} | {r['rss'] / MIB:.0f} | {tr} | "
            f"{r['time']:.2f} | {ev} | {mr} | {tr_ratio} |")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--worker")
    ap.add_argument("--L", default="16,64,256")
    ap.add_argument("--batch", type=int, default=2048)
    ap.add_argument("--width", type=int, default=128)
    ap.add_argument("--only", default="chainrule,torch,jax,autograd")
    ap.add_argument("--no-transformer", action="store_true")
    ap.add_argument("--json", default=None)
    ap.add_argument("--plot", default=None)
    ap.add_argument("--default-malloc", action="store_true",
                    help="keep glibc's dynamic mmap threshold (RSS then overstates memory)")
    a = ap.parse_args()
    global DEFAULT_MALLOC
    DEFAULT_MALLOC = a.default_malloc
    if a.worker:
        w = json.loads(a.worker)
        if w.pop("kind", None) == "transformer":
            out = transformer_worker(**w)
        else:
            out = worker(**w)
        print(json.dumps(out))
        return

    Ls = [int(v) for v in a.L.split(",")]
    fws = [fw for fw in a.only.split(",") if available(fw)]
    print(f"# python {sys.version.split()[0]}, frameworks: {', '.join(fws)}; "
          f"batch {a.batch}, width {a.width}, float64, one thread", flush=True)
    modes = {"chainrule": ["none", "sqrt", "k=4", "k=8"], "torch": ["none", "sqrt"],
             "jax": ["none", "sqrt"], "autograd": ["none", "sqrt"]}
    results = []
    state = a.batch * a.width * 8
    print(f"# one stored state (layer output) = {state / MIB:.1f} MiB\n")
    print("| framework | checkpointing | L | peak RSS MiB | tracemalloc peak MiB | CPU time s | "
          "layer evals | memory saved | time ratio |")
    print("|---|---|---|---|---|---|---|---|---|", flush=True)
    for L in Ls:
        for fw in fws:
            base = None
            for mode in modes[fw]:
                r = spawn({"fw": fw, "mode": mode, "L": L, "B": a.batch, "D": a.width,
                           "traced": fw in ("chainrule", "autograd")})
                if mode == "none":
                    base = r
                results.append(r)
                print(fmt_row(r, base), flush=True)
    # predicted stored activations for chainrule and the ratio measured/predicted
    print("\n# chainrule: measured tracemalloc peak vs the schedule's prediction "
          "(stored states x state bytes + one recorded segment/layer"
          " + parameter gradients + 2 working states)")
    print("| L | mode | predicted MiB | measured MiB | measured/predicted |")
    print("|---|---|---|---|---|")
    for L in Ls:
        rs = {r["mode"]: r for r in results if r.get("fw") == "chainrule" and r["L"] == L
              and "error" not in r}
        if "none" not in rs:
            continue
        # Measured record of one layer: the uncheckpointed peak, less the parameter
        # gradients and two working states (cotangent in, cotangent out), per layer.
        pgrad = L * a.width * a.width * 8
        fixed = pgrad + 2 * state
        per_layer = (rs["none"]["traced"] - fixed) / L
        s = _sqrt_segments(L)
        m = -(-L // s)
        pred = {"none": L * per_layer + fixed, "sqrt": s * state + m * per_layer + fixed}
        for k in (4, 8):
            pred[f"k={k}"] = k * state + per_layer + fixed
        for mode, p in pred.items():
            if mode in rs:
                print(f"| {L} | {mode} | {p / MIB:.0f} | {rs[mode]['traced'] / MIB:.0f} | "
                      f"{rs[mode]['traced'] / p:.2f} |")

    if not a.no_transformer:
        print("\n# Example 2 redone: transformer, 96 layers, batch 2, seq 128, d 64, 4 heads, "
              "float64, grad w.r.t. input and all weights (chainrule)")
        print("| checkpointing | peak RSS MiB | tracemalloc peak MiB | CPU time s | layer evals | "
              "memory saved (tracemalloc) | time ratio |")
        print("|---|---|---|---|---|---|---|")
        tb = None
        for mode in ("none", "sqrt", "k=4"):
            r = spawn({"kind": "transformer", "mode": mode, "L": 96, "B": 2, "T": 128, "D": 64,
                       "H": 4})
            r["fw"] = "transformer"
            results.append(r)
            if "error" in r:
                print(f"| {mode} | error: {r['error']} |")
                continue
            tb = tb or r
            print(f"| {mode} | {r['rss'] / MIB:.0f} | {r['traced'] / MIB:.0f} | {r['time']:.2f} | "
                  f"{r['evals']} | {tb['traced'] / r['traced']:.1f}x | "
                  f"{r['time'] / tb['time']:.2f}x |", flush=True)

    if a.json:
        with open(a.json, "w") as f:
            json.dump(results, f, indent=1)
    if a.plot:
        plot(results, Ls, a.plot)


def plot(results, Ls, path):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print(f"# matplotlib missing: no plot written to {path}")
        return
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.2))
    series = {}
    for r in results:
        if "error" in r or r.get("fw") == "transformer":
            continue
        series.setdefault((r["fw"], r["mode"]), []).append((r["L"], r["rss"] / MIB, r["time"]))
    for (fw, mode), pts in sorted(series.items()):
        pts.sort()
        L_, mem, t = zip(*pts)
        style = "-" if fw == "chainrule" else "--"
        label = f"{fw} {'no checkpointing' if mode == 'none' else mode}"
        ax1.plot(L_, mem, style, marker="o", label=label)
        ax2.plot(L_, t, style, marker="o", label=label)
    for ax, title in ((ax1, "peak RSS of one gradient (MiB)"), (ax2, "CPU time of one gradient (s)")):
        ax.set_xscale("log", base=2)
        ax.set_yscale("log")
        ax.set_xlabel("layers L")
        ax.set_title(title)
        ax.set_xticks(Ls)
        ax.set_xticklabels([str(v) for v in Ls])
        ax.grid(True, which="both", alpha=0.3)
    ax1.legend(fontsize=7)
    fig.suptitle("Residual net x <- x + tanh(x W), width 128, batch 2048, float64; "
                 "gradient w.r.t. x and all W")
    fig.tight_layout()
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    fig.savefig(path, dpi=110)
    print(f"# plot written to {path}")


if __name__ == "__main__":
    main()
