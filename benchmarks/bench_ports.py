"""The ported autograd example programs (tests/ports/*.py through chainrule.autograd) timed on
chainrule and on HIPS autograd: the same program, its ``chainrule.autograd`` imports served by
``autograd`` in the second case.

    python benchmarks/bench_ports.py                  # every port, 5 runs each
    python benchmarks/bench_ports.py wing hmm_em --repeat 9

Each library runs in its own subprocess (``--one LIB NAME`` is that subprocess), which times
``main()`` ``--repeat`` times after one warm-up call and prints the median CPU time
(``time.process_time``; single-threaded BLAS). A program HIPS autograd cannot run is reported
with its error (custom_rules: autograd has no forward mode for a primitive given only a VJP;
second_order: autograd's grad_and_aux returns boxed activations as its aux).
Nothing is written anywhere.
"""

import os

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_v] = "1"

import argparse  # noqa: E402
import contextlib  # noqa: E402
import importlib  # noqa: E402
import importlib.abc  # noqa: E402
import importlib.util  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

PORTS = Path(__file__).resolve().parent.parent / "tests" / "ports"
#: The ports written on chainrule.autograd (their *_native twins use chainrule's own API).
PROGRAMS = ["gaussian_processes", "variational_inference", "likelihoods", "custom_rules",
            "generative_models", "hmm_em", "optimizers", "second_order", "wing", "print_trace",
            "neural_net"]
#: chainrule.autograd modules whose HIPS autograd counterpart has another name.
RENAMED = {"autograd.scipy.misc": "autograd.scipy.special"}   # removed from autograd 1.9


class _Alias(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """``chainrule.autograd[.x]`` imported as HIPS ``autograd[.x]``."""

    def find_spec(self, name, path, target=None):
        if name == "chainrule.autograd" or name.startswith("chainrule.autograd."):
            return importlib.util.spec_from_loader(name, self)
        return None

    def create_module(self, spec):
        target = spec.name[len("chainrule."):]
        module = importlib.import_module(RENAMED.get(target, target))
        if target == "autograd.extend" and not hasattr(module, "getval"):
            module.getval = importlib.import_module("autograd.tracer").getval   # its home there
        return module

    def exec_module(self, module):
        pass


def run_one(lib, name, repeat):
    if lib == "autograd":
        sys.meta_path.insert(0, _Alias())
    spec = importlib.util.spec_from_file_location(f"port_{name}", PORTS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.dont_write_bytecode = True
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            spec.loader.exec_module(module)
            module.main()                      # warm-up (and the check that it runs)
            times = []
            for _ in range(repeat):
                t = time.process_time()
                module.main()
                times.append(time.process_time() - t)
        return {"median": statistics.median(times)}
    except Exception as e:  # a program the library cannot run
        return {"error": f"{type(e).__name__}: {str(e)[:70]}"}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", default=PROGRAMS)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--one", nargs=2, metavar=("LIB", "NAME"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(*args.one, args.repeat)))
        return
    src = str(Path(__file__).resolve().parent.parent / "src")
    env = dict(os.environ, PYTHONPATH=src + os.pathsep + os.environ.get("PYTHONPATH", ""))
    print(f"{'program':<24}{'chainrule (s)':>14}{'autograd (s)':>14}{'ratio':>8}")
    for name in args.names:
        row = {}
        for lib in ("chainrule", "autograd"):
            out = subprocess.run([sys.executable, __file__, "--one", lib, name,
                                  "--repeat", str(args.repeat)],
                                 capture_output=True, text=True, env=env)
            lines = out.stdout.strip().splitlines()
            row[lib] = json.loads(lines[-1]) if lines else {"error": out.stderr.strip()[-70:]}
        c, a = row["chainrule"], row["autograd"]
        cell = lambda r: f"{r['median']:14.4f}" if "median" in r else f"{'failed':>14}"
        ratio = f"{c['median'] / a['median']:8.2f}" if "median" in c and "median" in a else ""
        print(f"{name:<24}{cell(c)}{cell(a)}{ratio}")
        for lib, r in row.items():
            if "error" in r:
                print(f"    {lib}: {r['error']}")


if __name__ == "__main__":
    main()
