"""Random programs (hypothesis): every mode agrees with finite differences and with
every other mode, on straight-line code with fan-out, broadcasting and reductions."""

import numpy as np
from hypothesis import given, settings, strategies as st, HealthCheck

import chainrule as cr
import chainrule.numpy as cnp

# Smooth everywhere, so that finite differences are a fair reference at any point.
UNARY = {
    "sin": cnp.sin, "cos": cnp.cos, "tanh": cnp.tanh,
    "softplus": lambda a: cnp.logaddexp(a, 0.0),
    "sq": lambda a: a * a, "bump": lambda a: cnp.exp(-a * a),
    "log1p_sq": lambda a: cnp.log1p(a * a), "recip": lambda a: 1.0 / (1.0 + a * a),
}
BINARY = {
    "add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b,
    "hypot": lambda a, b: cnp.sqrt(1.0 + a * a + b * b),
    "ratio": lambda a, b: a / (2.0 + cnp.sin(b)),
}
REDUCE = {
    "sum": cnp.sum, "mean": cnp.mean, "lse": lambda a: cnp.log(cnp.sum(cnp.exp(a))),
    "max_soft": lambda a: cnp.sum(a * cnp.exp(a)) / cnp.sum(cnp.exp(a)),
}

step = st.one_of(
    st.tuples(st.just("u"), st.sampled_from(sorted(UNARY)), st.integers(0, 100)),
    st.tuples(st.just("b"), st.sampled_from(sorted(BINARY)), st.integers(0, 100),
              st.integers(0, 100)),
)
program = st.tuples(st.lists(step, min_size=1, max_size=8), st.sampled_from(sorted(REDUCE)))
point = st.lists(st.floats(-1.5, 1.5, allow_nan=False), min_size=4, max_size=4)


def build(prog):
    steps, red = prog

    def f(x, s):
        vals = [x, s, x[::-1], x[1:2]]  # vector, scalar, a reversal, a size-1 slice
        for st_ in steps:
            if st_[0] == "u":
                vals.append(UNARY[st_[1]](vals[st_[2] % len(vals)]))
            else:
                vals.append(BINARY[st_[1]](vals[st_[2] % len(vals)], vals[st_[3] % len(vals)]))
        out = vals[-1] + 0.0 * x  # broadcast to a vector so that every input matters
        return REDUCE[red](out) + 0.1 * cnp.sum(vals[-2] * 1.0)

    return f


SETTINGS = settings(max_examples=40, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(program, point)
def test_random_program_gradients_match_finite_differences(prog, p):
    f = build(prog)
    x, s = np.array(p[:3]), float(p[3])
    cr.check_grads(f, (x, s), order=2, modes=("fwd", "rev"), rtol=1e-5, atol=1e-6)


@SETTINGS
@given(program, point)
def test_random_program_modes_agree(prog, p):
    f = build(prog)
    x, s = np.array(p[:3]), float(p[3])
    gx = cr.grad(f)(x, s)
    jf = cr.jacfwd(f)(x, s)
    jr = cr.jacobian(f, mode="forward")(x, s)
    np.testing.assert_allclose(jf, gx, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(jr, gx, rtol=1e-10, atol=1e-12)
    v = np.array([0.3, -0.2, 0.5])
    hv = cr.hvp(lambda x: f(x, s), (x,), (v,))[0]
    np.testing.assert_allclose(hv, cr.hessian(f)(x, s) @ v, rtol=1e-9, atol=1e-10)
    np.testing.assert_allclose(cr.linearize(f, x, s)[1](v, 0.0), gx @ v, rtol=1e-10, atol=1e-12)


def _same_bits(a, b):
    for x, y in zip(cr.tree.flatten(a)[0], cr.tree.flatten(b)[0]):
        assert np.result_type(x) == np.result_type(y)
        np.testing.assert_array_equal(x, y)


@settings(max_examples=15, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(program, point)
def test_random_program_jit_matches_eager(prog, p):
    """cr.jit of both modes and of second order: the trace, a replay at the same point and a
    replay at another point all return, bit for bit, what eager chainrule returns."""
    f = build(prog)
    x, s = np.array(p[:3]), float(p[3])
    v = np.array([0.3, -0.2, 0.5])
    programs = [cr.grad(f, argnums=(0, 1)), cr.jacfwd(f),
                lambda x, s: cr.hvp(lambda y: f(y, s), (x,), (v,))]
    for fn in programs:
        jf = cr.jit(fn)
        for args in [(x, s), (x, s), (x[::-1] * 0.7, s + 0.25)]:
            _same_bits(jf(*args), fn(*args))
        assert jf.trace_count == 1
