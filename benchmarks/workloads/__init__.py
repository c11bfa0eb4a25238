"""Registry of the benchmark workloads, in run order (see each module's docstring)."""

from . import w1_scalar, w2_overhead, w3_mlp, w4_elementwise, w5_jacobian, w6_rosenbrock
from .base import Goal, Workload, compare, to_numpy  # noqa: F401

ALL = [w1_scalar.WORKLOAD, w2_overhead.WORKLOAD, *w3_mlp.WORKLOADS,
       w4_elementwise.WORKLOAD, w4_elementwise.WORKLOAD_ARITH, *w5_jacobian.WORKLOADS, w6_rosenbrock.WORKLOAD]


def _matches(workload, name):
    name, own = name.lower(), workload.name.lower()
    return own == name or own.startswith(name + "-")


def select(names):
    """Workloads whose name equals, or starts with ``NAME-``, one of ``names``
    (case-insensitive); all of them when ``names`` is empty.  ``W3`` selects
    W3-f64 and W3-f32."""
    unknown = [n for n in names if not any(_matches(w, n) for w in ALL)]
    if unknown:
        raise SystemExit(f"unknown workload(s): {', '.join(unknown)}; "
                         f"known: {', '.join(w.name for w in ALL)}")
    return [w for w in ALL if not names or any(_matches(w, n) for n in names)]
