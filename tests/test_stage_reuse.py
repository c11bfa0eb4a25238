"""linearize: a staged J·v program reused for a later linearization of the same structure."""

import numpy as np

import chainrule as cr
import chainrule.numpy as cnp


def _check(f, x, calls=12, seed=0):
    """J·v of cr.linearize(f, x) equals cr.jvp's bit for bit on every call; returns jvp_fn."""
    _, j = cr.linearize(f, x)
    rng = np.random.default_rng(seed)
    for _ in range(calls):
        v = rng.standard_normal(np.shape(x)).astype(np.result_type(x))
        np.testing.assert_array_equal(j(v), cr.jvp(f, (x,), (v,))[1])
    return j


def test_a_second_linearization_reuses_the_program_and_is_exact():
    # the stencil's kind of program: its J·v reads recorded values as they are (exp's
    # result, the factors of products)
    f = lambda u: cnp.exp(u) * u[::-1] + 0.25 * cnp.pad(u, 1)[1:-1] - u * u  # noqa: E731
    j1 = _check(f, np.linspace(0.1, 1.0, 7))
    assert j1.jitted.trace_count == 1
    for x in (np.linspace(-2.0, 3.0, 7), np.full(7, 0.5)):
        j = _check(f, x)
        assert j.jitted.trace_count == 0  # no trace: the program of j1 with x's values


def test_a_rule_that_derives_an_array_is_staged_per_linearization():
    # sin's J·v multiplies by cos(x), an array computed while staging: not reusable
    f = lambda u: cnp.sin(u) * u  # noqa: E731
    for x in (np.linspace(0.1, 1.0, 4), np.linspace(-1.0, 2.0, 4)):
        assert _check(f, x).jitted.trace_count == 1


def test_a_product_with_ones_dropped_while_staging_is_not_reused_for_other_values():
    # at x = 0, exp(x) is all ones and the optimiser drops the product with it
    f = lambda u: cnp.exp(u) * 3.0 - u  # noqa: E731
    _check(f, np.zeros(5))
    _check(f, np.linspace(0.5, 1.5, 5))
    _check(f, np.zeros(5))


def test_other_structures_are_staged_on_their_own():
    def make(c):
        return lambda u: c * cnp.exp(u) + u * u
    _check(make(2.0), np.arange(4.0))
    _check(make(3.0), np.arange(4.0))             # another constant in the source
    _check(make(2.0), np.arange(6.0))             # another shape
    _check(make(2.0), np.arange(4.0, dtype=np.float32))  # another dtype
    j = _check(make(2.0), np.arange(4.0) + 1.0)
    assert j.jitted.trace_count == 0


def test_custom_rules_and_outer_transformations_stay_exact():
    @cr.custom_jvp
    def cube(x):
        return x ** 3

    cube.defjvp(lambda primals, tangents: (primals[0] ** 3, 3.0 * primals[0] ** 2 * tangents[0]))
    f = lambda u: cube(u) + u  # noqa: E731
    for x in (np.array([1.0, 2.0]), np.array([-1.0, 0.5])):
        _check(f, x)
    g = lambda u: cnp.cos(u) * u  # noqa: E731
    _check(g, np.array([0.3, 0.7]))
    x = np.array([1.5, -0.5])
    _, j = cr.linearize(g, x)
    # inside grad the J·v runs as it is (differentiated in v)
    grad_v = cr.grad(lambda v: cnp.sum(j(v) ** 2))(np.ones(2))
    jv = j(np.ones(2))
    np.testing.assert_allclose(grad_v, 2.0 * jv * (cnp.cos(x) - x * np.sin(x)), rtol=1e-14)


def test_newton_steps_share_one_program():
    F = lambda u: u ** 3 + cnp.sinh(u) - np.linspace(1.0, 2.0, 6)  # noqa: E731
    x, info = cr.solvers.newton_krylov(F, np.zeros(6), tol=1e-12)
    assert info.converged and np.abs(np.asarray(F(x))).max() <= 1e-12


def test_a_kept_program_does_not_keep_the_recorded_arrays_alive():
    import gc
    import weakref
    f = lambda u: cnp.exp(u) * u + u  # noqa: E731
    x = np.linspace(0.2, 0.8, 1000)
    _, j = cr.linearize(f, x)
    for _ in range(10):
        j(np.ones(1000))
    held = weakref.ref(x)
    del j, x
    gc.collect()
    assert held() is None
    _check(f, np.linspace(-1.0, 1.0, 1000))  # the kept program still serves


def test_ones_the_program_also_reads_elsewhere_must_stay_ones():
    # c of ones: t * c is dropped while t @ c is kept (c is read by the program); a later
    # tape whose c differs only where the first tangent is zero passed the first-call check
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    first = np.array([[1.0, 1.0], [1.0, 0.0]])
    for c in (np.ones((2, 2)), np.array([[1.0, 1.0], [1.0, 3.0]])):
        f = lambda u: u * c + u @ c  # noqa: E731
        _, j = cr.linearize(f, x)
        for v in [first] + [np.ones((2, 2))] * 10:
            np.testing.assert_array_equal(j(v), cr.jvp(f, (x,), (v,))[1])


def test_broadcast_ones_dropped_while_staging_must_stay_ones():
    # a zero-stride array of ones is dropped whatever its size (the optimiser reads one value)
    x = np.linspace(0.5, 1.5, 70000)
    v0 = np.zeros(70000)
    for k in (1.0, 2.0):
        c = np.broadcast_to(k, (70000,))
        f = lambda u: u * c + cnp.exp(u)  # noqa: E731
        _, j = cr.linearize(f, x)
        for v in [v0] + [np.ones(70000)] * 10:
            np.testing.assert_array_equal(j(v), cr.jvp(f, (x,), (v,))[1])


def test_a_decision_on_a_recorded_value_is_not_reused_unseen():
    # abs's J·v is t * sign(x): all ones for x > 0, dropped while staging, so the kept
    # program is `return t`; a first tangent of zeros (or one-hot where sign is 1) passed
    # the first-call check, and every later call returned t for x with negative entries
    f = cnp.abs
    _check(f, np.linspace(0.2, 0.9, 6))
    x = np.array([0.0, 1.0, -0.5, 3.0, 0.0, 1.0])
    _, j = cr.linearize(f, x)
    for v in [np.zeros(6), np.eye(6)[1]] + [np.ones(6)] * 10:
        np.testing.assert_array_equal(j(v), cr.jvp(f, (x,), (v,))[1])
