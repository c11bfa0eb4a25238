"""W3 and W4 on a GPU: chainrule over CuPy against PyTorch on CUDA, and NumPy on the CPU.

W3 is value_and_grad of the 784-256-256-10 tanh MLP (batch 128, float32 and float64),
W4 the gradient of a 20-operation elementwise chain (benchmarks/workloads), here at 10^6
and 10^7 elements. Every implementation is checked against the hand-written NumPy
derivative before it is timed; GPU times synchronise the device after each call.
Implementations that are not installed (CuPy, a CUDA build of torch, a device) are
reported as such and skipped; with neither on a GPU the script says so and exits with
status 1 (nothing to measure).

    pip install -e '.[cupy]' torch        # a CUDA machine
    python benchmarks/bench_gpu.py [--repeat 7] [--json out.json]
"""

import argparse
import json
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402

from workloads import w3_mlp, w4_elementwise  # noqa: E402


def _cupy():
    try:
        import cupy as cp
        if cp.cuda.runtime.getDeviceCount() < 1:
            return None, "no CUDA device"
        return cp, None
    except Exception as e:  # noqa: BLE001 - missing module, driver or device
        return None, f"{type(e).__name__}: {e}"


def _torch_cuda():
    try:
        import torch
        if not torch.cuda.is_available():
            return None, "torch has no CUDA device"
        return torch, None
    except Exception as e:  # noqa: BLE001
        return None, f"{type(e).__name__}: {e}"


def _timed(fn, sync, repeat, min_time=0.05):
    fn()
    sync()  # warm up: kernels compiled, memory pool filled
    samples = []
    for _ in range(repeat):
        n, t0 = 0, time.perf_counter()
        while True:
            fn()
            sync()
            n += 1
            if time.perf_counter() - t0 >= min_time:
                break
        samples.append((time.perf_counter() - t0) / n)
    return statistics.median(samples), min(samples), max(samples)


# ---- W3 --------------------------------------------------------------------------------
def w3_impls(dtype, cp, torch):
    d = w3_mlp.make_data(dtype)
    ref = w3_mlp.numpy_impl(d)["value_and_grad"]
    impls = {"numpy CPU (hand-written)": (ref, lambda: None, lambda r: r),
             "chainrule CPU": (w3_mlp.chainrule_impl(d)["value_and_grad"], lambda: None,
                               lambda r: r)}
    if cp is not None:
        import chainrule as cr
        import chainrule.numpy as cnp
        import chainrule.scipy.special as csp
        loss = w3_mlp.loss_fn(cnp.tanh, lambda z: csp.logsumexp(z, axis=1), cnp.sum)
        vg = cr.value_and_grad(loss)
        p = {k: cp.asarray(v) for k, v in d["params"].items()}
        x, y = cp.asarray(d["x"]), cp.asarray(d["onehot"])
        sync = cp.cuda.Device().synchronize
        impls["chainrule + CuPy GPU"] = (
            lambda: vg(p, x, y), sync,
            lambda r: (cp.asnumpy(r[0]), {k: cp.asnumpy(v) for k, v in r[1].items()}))
    if torch is not None:
        dev = torch.device("cuda")
        tp = {k: torch.tensor(v, device=dev, requires_grad=True) for k, v in d["params"].items()}
        tx, ty = torch.tensor(d["x"], device=dev), torch.tensor(d["onehot"], device=dev)
        tloss = w3_mlp.loss_fn(torch.tanh, lambda z: torch.logsumexp(z, dim=1),
                               lambda a, axis=None: a.sum() if axis is None else a.sum(dim=axis))
        keys = list(tp)

        def tvg():
            val = tloss(tp, tx, ty)
            return val, dict(zip(keys, torch.autograd.grad(val, [tp[k] for k in keys])))
        impls["torch CUDA"] = (tvg, torch.cuda.synchronize,
                               lambda r: (r[0].item(), {k: v.cpu().numpy()
                                                        for k, v in r[1].items()}))
    return ref, impls


def _w3_close(r, ref, dtype):
    rtol = 1e-7 if dtype == np.float64 else 2e-3
    v, g = r
    ev, eg = ref
    return np.allclose(v, ev, rtol=rtol) and all(
        np.allclose(g[k], eg[k], rtol=rtol, atol=rtol * np.abs(eg[k]).max()) for k in eg)


# ---- W4 --------------------------------------------------------------------------------
def w4_impls(size, cp, torch):
    x_np = np.random.default_rng(0).uniform(-1.0, 1.0, size)
    d = {"x": x_np}
    ref = w4_elementwise.numpy_impl(d)["grad"]
    import chainrule as cr
    import chainrule.numpy as cnp
    grad = cr.grad(lambda x: cnp.sum(w4_elementwise.chain(x, cnp)))
    impls = {"numpy CPU (hand-written)": (ref, lambda: None, lambda r: r),
             "chainrule CPU": (lambda: grad(x_np), lambda: None, lambda r: r)}
    if cp is not None:
        x = cp.asarray(x_np)
        impls["chainrule + CuPy GPU"] = (lambda: grad(x), cp.cuda.Device().synchronize,
                                         cp.asnumpy)
    if torch is not None:
        tx = torch.tensor(x_np, device="cuda", requires_grad=True)

        def tgrad():
            return torch.autograd.grad(w4_elementwise.chain(tx, torch).sum(), tx)[0]
        impls["torch CUDA"] = (tgrad, torch.cuda.synchronize, lambda r: r.cpu().numpy())
    return ref, impls


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--json")
    args = ap.parse_args()
    cp, why_cp = _cupy()
    torch, why_torch = _torch_cuda()
    if cp is None and torch is None:
        # Nothing here runs on a GPU: the CPU rows alone are benchmarks/run.py's (W3, W4).
        sys.exit(f"bench_gpu: no GPU to measure on.\n"
                 f"  chainrule + CuPy: not available ({why_cp})\n"
                 f"  torch CUDA: not available ({why_torch})\n"
                 f"Run it on a machine with an NVIDIA GPU after "
                 f"`pip install 'chainrule[cupy]' torch`; for the CPU timings of W3 and W4 "
                 f"use `python benchmarks/run.py W3 W4`.")
    if cp is None:
        print(f"chainrule + CuPy GPU: not available ({why_cp})")
    if torch is None:
        print(f"torch CUDA: not available ({why_torch})")
    results = []
    cases = [(f"W3-f{np.dtype(dt).itemsize * 8}", "w3", dt)
             for dt in (np.float64, np.float32)] + \
            [(f"W4 n={n:.0e}", "w4", n) for n in (10**6, 10**7)]
    for title, kind, arg in cases:
        if kind == "w3":
            ref_fn, impls = w3_impls(arg, cp, torch)
            ref = ref_fn()
            close = lambda r, ref=ref, dt=arg: _w3_close(r, ref, dt)  # noqa: E731
        else:
            ref_fn, impls = w4_impls(arg, cp, torch)
            ref = ref_fn()
            close = lambda r, ref=ref: np.allclose(r, ref, rtol=1e-7)  # noqa: E731
        print(f"\n{title}")
        base = None
        for name, (fn, sync, to_host) in impls.items():
            ok = close(to_host(fn()))
            med, lo, hi = _timed(fn, sync, args.repeat)
            base = base or med
            print(f"  {name:26} {med * 1e3:9.3f} ms  ({lo * 1e3:.3f}-{hi * 1e3:.3f})  "
                  f"{med / base:6.3f}x numpy CPU  {'ok' if ok else 'WRONG'}", flush=True)
            results.append({"workload": title, "impl": name, "median_s": med, "min_s": lo,
                            "max_s": hi, "ok": bool(ok)})
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(results, fh, indent=1)


if __name__ == "__main__":
    main()
