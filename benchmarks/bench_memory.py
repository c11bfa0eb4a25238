"""Peak memory and time of a gradient against the forward pass alone (issue 13).

Usage:
    python benchmarks/bench_memory.py [--only mlp,conv,fluid,chain,resnet]
        [--impl numpy,chainrule,autograd,torch] [--repeat 5] [--json PATH]

Workloads (float64, one thread):

- ``mlp``: W3's 784-256-256-10 tanh MLP, batch 128, softmax cross-entropy;
  gradient for the six parameters.
- ``conv``: two convolution layers written with ``einsum`` over the 25 kernel
  offsets (as HIPS autograd's convnet example does with its own convolve):
  batch 64, 28x28 images, 1 -> 8 -> 16 channels, 5x5 kernels, tanh, a linear
  read-out; gradient for the kernels and the read-out, not for the images.
- ``fluid``: 100 steps of an explicit reaction-diffusion stencil on a 128x128
  grid (``np.roll`` Laplacian, a cubic term), gradient of the final energy with
  respect to the initial field (the shape of autograd's fluid-simulation example).
- ``chain``: 10^6 scalar operations ``x = sin(x) * 1.0001`` (5 * 10^5 of each).
- ``resnet``: 64 residual layers ``x + tanh(x @ W)``, width 512, batch 256;
  gradient for the input (the weights are constants).

Implementations: ``numpy`` is the forward pass alone (what the program costs
without derivatives; for ``resnet`` and ``mlp`` also a hand-written backward
pass, ``numpy-bwd``), then chainrule's ``grad`` and the peers that are
installed (HIPS autograd, PyTorch eager). Each (workload, implementation) runs
in a fresh subprocess: warm-up on the real data, then

- ``rss``: the process's RSS high-water mark (VmHWM, reset just before the
  call) minus its RSS just before the measured call (imports and data excluded). Workers run with
  ``MALLOC_MMAP_THRESHOLD_=131072`` so freed buffers leave RSS (glibc's
  adaptive threshold otherwise keeps them and RSS stops tracking live memory).
- ``traced``: tracemalloc's peak during one call (NumPy-based code only;
  torch allocates outside tracemalloc's view).
- ``time``: median CPU time of ``--repeat`` calls (spread min..max shown).
"""

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402

import numpy as np  # noqa: E402

MIB = 2 ** 20
WORKLOADS = ("mlp", "conv", "fluid", "chain", "resnet")
IMPLS = ("numpy", "numpy-bwd", "chainrule", "autograd", "torch")


# ---- the programs, written once for any NumPy-like module ------------------------------------
def mlp_loss(np_, lse):
    def loss(p, x, y):
        h1 = np_.tanh(x @ p["W1"] + p["b1"])
        h2 = np_.tanh(h1 @ p["W2"] + p["b2"])
        z = h2 @ p["W3"] + p["b3"]
        return np_.sum(lse(z) - np_.sum(y * z, axis=1)) / x.shape[0]
    return loss


def conv_loss(np_, einsum):
    def conv(x, k):  # x: (b, c, h, w), k: (o, c, 5, 5) -> (b, o, h-4, w-4)
        h, w = x.shape[2] - 4, x.shape[3] - 4
        out = 0.0
        for i in range(5):
            for j in range(5):
                out = out + einsum("bchw,oc->bohw", x[:, :, i:i + h, j:j + w], k[:, :, i, j])
        return out

    def loss(p, images, y):
        h1 = np_.tanh(conv(images, p["K1"]))
        h2 = np_.tanh(conv(h1, p["K2"]))
        z = einsum("bohw,ohwk->bk", h2, p["R"])
        return np_.sum((z - y) ** 2) / images.shape[0]
    return loss


def fluid_loss(np_, roll):
    def loss(u):
        for _ in range(100):
            lap = (roll(u, 1, 0) + roll(u, -1, 0) + roll(u, 1, 1) + roll(u, -1, 1) - 4.0 * u)
            u = u + 0.1 * (lap + u - u * u * u)
        return np_.sum(u * u)
    return loss


def chain_loss(np_):
    def loss(x):
        for _ in range(500_000):
            x = np_.sin(x) * 1.0001
        return x
    return loss


def resnet_loss(np_):
    def loss(ws, x):
        for w in ws:
            x = x + np_.tanh(x @ w)
        return np_.sum(x * x)
    return loss


def make_data(name):
    rng = np.random.default_rng(0)
    if name == "mlp":
        sizes = (784, 256, 256, 10)
        p = {}
        for i, (m, n) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
            p[f"W{i}"] = rng.standard_normal((m, n)) / np.sqrt(m)
            p[f"b{i}"] = 0.1 * rng.standard_normal(n)
        return p, rng.standard_normal((128, 784)), np.eye(10)[rng.integers(0, 10, 128)]
    if name == "conv":
        p = {"K1": rng.standard_normal((8, 1, 5, 5)) * 0.2,
             "K2": rng.standard_normal((16, 8, 5, 5)) * 0.05,
             "R": rng.standard_normal((16, 20, 20, 10)) * 0.01}
        return p, rng.standard_normal((64, 1, 28, 28)), rng.standard_normal((64, 10))
    if name == "fluid":
        return (0.5 * rng.standard_normal((128, 128)),)
    if name == "chain":
        return (0.5,)
    if name == "resnet":
        return ([rng.standard_normal((512, 512)) / np.sqrt(512) * 0.5 for _ in range(64)],
                rng.standard_normal((256, 512)))
    raise ValueError(name)


def _lse_np(np_):
    def lse(z):
        m = np_.max(z, axis=1, keepdims=True)
        return np_.log(np_.sum(np_.exp(z - m), axis=1)) + m[:, 0]
    return lse


def build(name, impl):
    """A no-argument function doing one call of ``impl`` on workload ``name``."""
    data = make_data(name)
    if impl in ("numpy", "numpy-bwd"):
        if impl == "numpy-bwd":
            return _handwritten(name, data)
        f = _program(name, np, np.einsum, np.roll, _lse_np(np))
        return lambda: f(*data)
    if impl == "chainrule":
        import chainrule as cr
        import chainrule.numpy as cnp
        from chainrule.scipy.special import logsumexp
        f = _program(name, cnp, cnp.einsum, cnp.roll, lambda z: logsumexp(z, axis=1))
        g = cr.grad(f, argnums=_argnums(name, data))
        return lambda: g(*data)
    if impl == "autograd":
        import autograd
        import autograd.numpy as anp
        from autograd.scipy.special import logsumexp
        f = _program(name, anp, anp.einsum, anp.roll, lambda z: logsumexp(z, axis=1))
        g = autograd.grad(f, argnum=_argnums(name, data))
        return lambda: g(*data)
    if impl == "torch":
        import torch
        torch.set_num_threads(1)
        f = _program(name, _TorchNP(torch), torch.einsum,
                     lambda u, s, a: torch.roll(u, s, a), lambda z: torch.logsumexp(z, 1))
        return _torch_grad(torch, f, name, data)
    raise ValueError(impl)


def _argnums(name, data):
    return 1 if name == "resnet" else 0


def _program(name, np_, einsum, roll, lse):
    return {"mlp": lambda: mlp_loss(np_, lse), "conv": lambda: conv_loss(np_, einsum),
            "fluid": lambda: fluid_loss(np_, roll), "chain": lambda: chain_loss(np_),
            "resnet": lambda: resnet_loss(np_)}[name]()


class _TorchNP:
    """The few NumPy names the programs use, on torch tensors."""

    def __init__(self, torch):
        self.t = torch
        self.tanh, self.exp, self.log = torch.tanh, torch.exp, torch.log

    def sin(self, x):
        return self.t.sin(x) if isinstance(x, self.t.Tensor) else np.sin(x)

    def sum(self, x, axis=None):
        return x.sum() if axis is None else x.sum(dim=axis)


def _torch_grad(torch, f, name, data):
    def to_t(v):
        if isinstance(v, dict):
            return {k: to_t(a) for k, a in v.items()}
        if isinstance(v, list):
            return [to_t(a) for a in v]
        return torch.tensor(v, dtype=torch.float64)

    args = [to_t(v) for v in data]
    diff = (1,) if name == "resnet" else (0,)

    def leaves(v):
        return list(v.values()) if isinstance(v, dict) else v if isinstance(v, list) else [v]

    def run():
        params = []
        for i in diff:
            for t in leaves(args[i]):
                t.requires_grad_(True)
                params.append(t)
        out = f(*args)
        return torch.autograd.grad(out, params)
    return run


def _handwritten(name, data):
    """Hand-written backpropagation (the floor), where it is short to write."""
    if name == "resnet":
        ws, x0 = data

        def run():  # keeps one state per layer: tanh's output
            hs = []
            x = x0
            for w in ws:
                h = np.tanh(x @ w)
                hs.append(h)
                x = x + h
            g = 2.0 * x
            for i in range(len(ws) - 1, -1, -1):
                d = g * (1.0 - hs[i] * hs[i])
                hs[i] = None
                g = g + d @ ws[i].T
            return g
        return run
    if name == "mlp":
        p, x, y = data

        def run():
            h1 = np.tanh(x @ p["W1"] + p["b1"])
            h2 = np.tanh(h1 @ p["W2"] + p["b2"])
            z = h2 @ p["W3"] + p["b3"]
            e = np.exp(z - z.max(axis=1, keepdims=True))
            dz = (e / e.sum(axis=1, keepdims=True) - y) / x.shape[0]
            da2 = (dz @ p["W3"].T) * (1 - h2 * h2)
            da1 = (da2 @ p["W2"].T) * (1 - h1 * h1)
            return (h2.T @ dz, dz.sum(0), h1.T @ da2, da2.sum(0), x.T @ da1, da1.sum(0))
        return run
    return None


# ---- measuring, one subprocess per (workload, implementation) --------------------------------
def _status(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field):
                return int(line.split()[1]) * 1024
    return 0


def _reset_rss_peak():
    """Reset the kernel's RSS high-water mark (VmHWM) of this process (Linux >= 4.0)."""
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")


def worker(name, impl, repeat):
    run = build(name, impl)
    if run is None:
        return {"skip": "not written"}
    run()  # warm-up: lazy imports, one-time initialisation, allocator state
    rss0 = _status("VmRSS:")
    _reset_rss_peak()
    run()
    rss = _status("VmHWM:") - rss0
    traced = None
    if impl != "torch":
        tracemalloc.start()
        run()
        traced = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    times = []
    for _ in range(repeat):
        t0 = time.process_time()
        run()
        times.append(time.process_time() - t0)
    return {"rss": rss, "traced": traced, "time": statistics.median(times),
            "tmin": min(times), "tmax": max(times)}


def spawn(name, impl, repeat):
    env = dict(os.environ, MALLOC_MMAP_THRESHOLD_="131072")
    cmd = [sys.executable, os.path.abspath(__file__), "--worker", name, impl, str(repeat)]
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if p.returncode != 0:
        tail = (p.stderr or p.stdout).strip().splitlines()[-1:] or ["?"]
        return {"error": tail[0][:160]}
    return json.loads(p.stdout.strip().splitlines()[-1])


def available(impl):
    mod = {"autograd": "autograd", "torch": "torch"}.get(impl)
    if mod is None:
        return True
    return subprocess.run([sys.executable, "-c", f"import {mod}"],
                          capture_output=True).returncode == 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--worker", nargs=3)
    ap.add_argument("--only", default=",".join(WORKLOADS))
    ap.add_argument("--impl", default=",".join(IMPLS))
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--json")
    a = ap.parse_args()
    if a.worker:
        name, impl, repeat = a.worker
        print(json.dumps(worker(name, impl, int(repeat))))
        return
    unknown = [n for n in a.only.split(",") if n not in WORKLOADS]
    if unknown:
        ap.error(f"unknown workload(s) {', '.join(unknown)} in --only; choose from "
                 f"{', '.join(WORKLOADS)}")
    impls = [i for i in a.impl.split(",") if available(i)]
    results = {}
    print("| workload | implementation | peak RSS MiB | traced MiB | x forward | "
          "time s (median) | spread |")
    print("|---|---|---|---|---|---|---|")
    for name in a.only.split(","):
        repeat = 1 if name == "chain" else a.repeat
        base = None
        for impl in impls:
            r = results[name, impl] = spawn(name, impl, repeat)
            if "skip" in r:
                continue
            if "error" in r:
                print(f"| {name} | {impl} | error: {r['error']} | | | | |")
                continue
            if impl == "numpy":
                base = r
            tr = "-" if r["traced"] is None else f"{r['traced'] / MIB:.1f}"
            ratio = f"{r['rss'] / base['rss']:.1f}x" if base and base["rss"] > 0 else "-"
            print(f"| {name} | {impl if impl != 'numpy' else 'numpy (forward only)'} | "
                  f"{r['rss'] / MIB:.1f} | {tr} | {ratio} | {r['time']:.4f} | "
                  f"{r['tmin']:.4f}..{r['tmax']:.4f} |", flush=True)
    if a.json:
        with open(a.json, "w") as f:
            json.dump({f"{k[0]}/{k[1]}": v for k, v in results.items()}, f, indent=1)


if __name__ == "__main__":
    main()
