"""benchmarks/bench_gpu.py on a machine without a GPU: it imports, and running it ends with
a message that says what is missing and what to do, not a traceback. The GPU is hidden
from the child process (``CUDA_VISIBLE_DEVICES=""``), so this runs the same everywhere.
"""

import importlib.util
import os
import pathlib
import subprocess
import sys

BENCH = pathlib.Path(__file__).resolve().parent.parent / "benchmarks" / "bench_gpu.py"


def test_bench_gpu_imports_without_cupy_or_a_gpu():
    spec = importlib.util.spec_from_file_location("bench_gpu_under_test", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # the timing runs only under __main__
    assert callable(module.main)


def test_bench_gpu_without_a_gpu_says_so_and_exits_nonzero():
    env = dict(os.environ, CUDA_VISIBLE_DEVICES="")
    out = subprocess.run([sys.executable, str(BENCH), "--repeat", "1"], capture_output=True,
                         text=True, env=env, timeout=120)
    assert out.returncode == 1, out.stdout + out.stderr
    assert "Traceback" not in out.stderr and "Traceback" not in out.stdout
    assert "no GPU to measure on" in out.stderr
    assert "chainrule + CuPy: not available" in out.stderr
    assert "torch CUDA: not available" in out.stderr
    assert "pip install 'chainrule[cupy]'" in out.stderr
    assert "benchmarks/run.py W3 W4" in out.stderr
    assert out.stdout == ""  # nothing was timed
