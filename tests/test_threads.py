"""Trace state is per thread (issue 10, item 14).

A trace decides once, at creation, whether it is ``nested`` (another
transformation was active) and, when it is not, runs primitives' NumPy code
directly. That count must be the calling thread's own: a transformation held
open in one thread must never change what another thread computes or how.
"""

import threading

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp
from chainrule.core.primitive import Trace, active_trace_count

N_THREADS = 8
TIMEOUT = 30.0


def _run_threads(targets):
    """Start one thread per callable, all released together; re-raise the first failure."""
    barrier = threading.Barrier(len(targets))
    errors = []

    def wrap(fn):
        def run():
            try:
                barrier.wait(TIMEOUT)
                fn()
            except BaseException as e:  # noqa: BLE001 - reported below
                errors.append(e)
        return run

    threads = [threading.Thread(target=wrap(fn)) for fn in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join(TIMEOUT)
        assert not t.is_alive(), "a worker thread hung"
    if errors:
        raise errors[0]


def _worker(k, calls):
    """Many grad / jvp / grad-of-grad / hessian calls, each checked against a closed form."""
    def run():
        rng = np.random.default_rng(k)
        a = 1.0 + k  # each thread differentiates its own function
        for _ in range(calls):
            x = float(rng.uniform(-2.0, 2.0))
            # d/dx a*sin(x)*x = a*(cos(x)*x + sin(x))
            g = cr.grad(lambda x: a * cnp.sin(x) * x)(x)
            assert g == pytest.approx(a * (np.cos(x) * x + np.sin(x)), rel=1e-12, abs=1e-12)
            # jvp of exp(a*x): (exp(a x), a exp(a x) * t)
            y, t = cr.jvp(lambda x: cnp.exp(a * x), (x,), (2.0,))
            assert y == pytest.approx(np.exp(a * x), rel=1e-12)
            assert t == pytest.approx(2.0 * a * np.exp(a * x), rel=1e-12)
            # grad of grad of x**3 * a: 6 a x
            gg = cr.grad(cr.grad(lambda x: a * x ** 3))(x)
            assert gg == pytest.approx(6.0 * a * x, rel=1e-12, abs=1e-12)
            # Hessian of a * sum(v**2 * v[0]) on a vector; closed form below
            v = rng.uniform(-1.0, 1.0, size=3)
            h = cr.hessian(lambda v: a * cnp.sum(v ** 2) * v[0])(v)
            expected = a * (2.0 * v[0] * np.eye(3))
            expected[0, :] += a * 2.0 * v
            expected[:, 0] += a * 2.0 * v
            np.testing.assert_allclose(h, expected, rtol=1e-12, atol=1e-12)
        assert active_trace_count() == 0
    return run


def test_many_threads_get_exact_derivatives():
    before = active_trace_count()
    _run_threads([_worker(k, calls=60) for k in range(N_THREADS)])
    assert active_trace_count() == before


def test_a_trace_open_in_another_thread_does_not_nest_this_one():
    """Thread A holds a grad open (blocked inside the function); thread B's traces are
    not nested, and B's derivatives, and then A's, are right. A process-wide counter
    of active traces fails this test."""
    entered, release = threading.Event(), threading.Event()
    seen = {}

    def f_a(x):
        seen["a_nested"] = x._trace.nested
        seen["a_count"] = active_trace_count()
        entered.set()
        assert release.wait(TIMEOUT)
        # Nesting inside A still counts A's own trace.
        def inner(y):
            seen["a_inner_nested"] = y._trace.nested
            return y * y
        return x ** 3 + 0.0 * cr.grad(inner)(x)

    def thread_a():
        seen["a_grad"] = cr.grad(f_a)(2.0)
        seen["a_count_after"] = active_trace_count()

    def thread_b():
        assert entered.wait(TIMEOUT)
        try:
            seen["b_count"] = active_trace_count()
            probe = Trace("probe")
            seen["b_probe_nested"] = probe.nested
            probe.finish()

            def f_b(x):
                seen["b_nested"] = x._trace.nested
                return cnp.sin(x) * x
            seen["b_grad"] = cr.grad(f_b)(0.5)
            seen["b_gg"] = cr.grad(cr.grad(lambda x: x ** 4))(1.5)
            seen["b_jvp"] = cr.jvp(lambda x: x * x, (3.0,), (1.0,))
            seen["b_count_after"] = active_trace_count()
        finally:
            release.set()

    _run_threads([thread_a, thread_b])
    assert seen["a_nested"] is False and seen["a_count"] == 1
    assert seen["a_inner_nested"] is True
    assert seen["b_count"] == 0
    assert seen["b_probe_nested"] is False
    assert seen["b_nested"] is False
    assert seen["b_grad"] == pytest.approx(np.cos(0.5) * 0.5 + np.sin(0.5), rel=1e-14)
    assert seen["b_gg"] == pytest.approx(12.0 * 1.5 ** 2, rel=1e-14)
    assert seen["b_jvp"] == (9.0, 6.0)
    assert seen["a_grad"] == pytest.approx(12.0, rel=1e-14)
    assert seen["a_count_after"] == 0 and seen["b_count_after"] == 0


def test_nested_flag_inside_one_thread_is_unchanged():
    # In a fresh thread, so that a trace left open by another test in the main thread
    # cannot make the outer trace nested.
    _run_threads([_check_nesting_flags])


def _check_nesting_flags():
    flags = []

    def inner(y):
        flags.append(("inner", y._trace.nested))
        return y * y

    def outer(x):
        flags.append(("outer", x._trace.nested))
        return cr.grad(inner)(x) * x

    assert cr.grad(outer)(3.0) == pytest.approx(12.0)
    assert flags == [("outer", False), ("inner", True)]
    assert active_trace_count() == 0


def test_an_exception_inside_a_transformation_leaves_the_count_at_zero():
    def boom(x):
        raise RuntimeError("boom")

    def run():
        for _ in range(5):
            with pytest.raises(RuntimeError, match="boom"):
                cr.grad(boom)(1.0)
            with pytest.raises(RuntimeError, match="boom"):
                cr.grad(cr.grad(boom))(1.0)
        assert active_trace_count() == 0

    _run_threads([run for _ in range(4)])


def test_a_rejected_input_leaves_no_trace_open():
    def run():
        for bad in (3, np.arange(3), 1 + 2j):
            with pytest.raises(TypeError):
                cr.grad(lambda x: x * x)(bad)
        assert active_trace_count() == 0
    _run_threads([run])


def test_finish_decrements_the_creating_threads_count():
    """A trace finished from another thread still releases its own thread's count."""
    box = {}
    here = active_trace_count()

    def make():
        box["trace"] = Trace("made-elsewhere")
        box["count_made"] = active_trace_count()

    t = threading.Thread(target=make)
    t.start()
    t.join(TIMEOUT)
    assert box["count_made"] == 1
    assert active_trace_count() == here   # this thread never saw it
    box["trace"].finish()                 # finished here: this thread's count is untouched
    assert active_trace_count() == here
    assert box["trace"]._depth[0] == 0   # and the creating thread's count went back to 0
