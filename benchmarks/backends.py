"""The implementations compared, and lazy, single-threaded loading of each.

Every implementation is optional except the hand-written NumPy one: a library
that fails to import is reported as "not available" and skipped.  The
thread-count environment variables are set by run.py before NumPy is imported;
this module applies the settings that need the library itself.
"""

import importlib
import importlib.metadata
import platform
import sys

# key -> label printed in the tables.  Order is the row order.
IMPLS = {
    "chainrule": "chainrule",
    "chainrule-jit": "chainrule (jit)",
    "numpy": "numpy (hand-written)",
    "autograd": "autograd",
    "torch": "torch (eager)",
    "jax": "jax (eager)",
    "jax-jit": "jax (jit, info only)",
}

# Implementations whose timings are informational: never the goal's reference.
INFORMATIONAL = {"jax-jit"}

_MODULE = {"chainrule": "chainrule", "chainrule-jit": "chainrule", "numpy": "numpy", "autograd": "autograd",
           "torch": "torch", "jax": "jax", "jax-jit": "jax"}


def _setup(key, module):
    """Library-specific settings: one thread, float64 allowed in JAX."""
    if key == "torch":
        module.set_num_threads(1)
        try:
            module.set_num_interop_threads(1)
        except RuntimeError:  # only allowed once, before any parallel work
            pass
    elif key in ("jax", "jax-jit"):
        module.config.update("jax_enable_x64", True)
        module.config.update("jax_platforms", "cpu")
    elif key in ("chainrule", "chainrule-jit"):
        # The submodules the workloads use must import too.
        importlib.import_module("chainrule.numpy")
        importlib.import_module("chainrule.scipy.special")


def load(key):
    """Import the library behind ``key``; returns its version string.

    Raises whatever the import raises (not only ImportError: a library under
    construction may fail in other ways).
    """
    module = importlib.import_module(_MODULE[key])
    _setup(key, module)
    try:
        return importlib.metadata.version(_MODULE[key])
    except importlib.metadata.PackageNotFoundError:
        return str(getattr(module, "__version__", "?"))


def load_all(keys):
    """Load each implementation; returns (available: {key: version}, missing: {key: reason})."""
    available, missing = {}, {}
    for key in keys:
        try:
            available[key] = load(key)
        except Exception as exc:  # noqa: BLE001 - report any failure, keep going
            missing[key] = f"{type(exc).__name__}: {exc}"
    return available, missing


def machine_info():
    """A short description of the machine and the thread settings in force."""
    import os

    cpu = platform.processor() or "?"
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    env = {k: os.environ.get(k) for k in
           ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "XLA_FLAGS")}
    return {"python": sys.version.split()[0], "platform": platform.platform(),
            "cpu": cpu, "cores": os.cpu_count(), "threads_env": env}
