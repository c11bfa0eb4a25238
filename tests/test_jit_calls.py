"""jit's fast call path for keyword arguments, static arguments, Python ints and strings
(the staged program checks them itself), and the array arithmetic it emits as ufunc calls:
every call returns eager chainrule's result, bit for bit, and a changed static argument,
int or string traces again instead of replaying."""

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp

from test_jit import same


def no_general_path(jitted, monkeypatch):
    """Make the general path (cache, other variants, tracing) fail: what still works is
    served by the program's own entry."""
    def refuse(args, kwargs):
        raise AssertionError("took the general path")
    monkeypatch.setattr(jitted.jitted, "_call", refuse)


def power_sum(x, n, how="sum", *, scale=1.0, shift=0.0):
    y = x
    for _ in range(n):  # a Python int decides the program
        y = cnp.sin(y) * scale + shift
    return cnp.sum(y) if how == "sum" else cnp.max(y)


def test_keyword_arguments_replay_in_any_order(monkeypatch):
    g = cr.grad(power_sum)
    jg = cr.jit(g)
    x = np.linspace(0.1, 1.0, 4)
    same(jg(x, 2, scale=2.0, shift=0.5), g(x, 2, scale=2.0, shift=0.5))
    with monkeypatch.context() as m:
        no_general_path(jg, m)
        for scale, shift in [(3.0, -1.0), (0.5, 2.0)]:
            same(jg(x, 2, shift=shift, scale=scale), g(x, 2, scale=scale, shift=shift))
            same(jg(x, 2, scale=scale, shift=shift), g(x, 2, scale=scale, shift=shift))
        with pytest.raises(AssertionError, match="general path"):
            jg(x, 2, scale=2.0)  # another set of keywords
        with pytest.raises(AssertionError, match="general path"):
            jg(x, 2, scale=2.0, shift=np.float32(0.5))  # another type
    assert jg.trace_count == 1
    for kwargs in [dict(scale=2.0), dict(scale=2.0, shift=np.float32(0.5)),
                   dict(scale=x, shift=0.5), dict(scale=2.0, shift=0.5)]:
        same(jg(x, 2, **kwargs), g(x, 2, **kwargs))
    assert jg.trace_count == 4
    with pytest.raises(TypeError):
        jg(x, 2, scale=2.0, size=1.0)  # the function's own error, as eager


def test_keywords_alone_and_positional_calls_keep_their_programs(monkeypatch):
    jf = cr.jit(lambda x, y: cnp.sin(x) * y)
    x = np.arange(3.0)
    same(jf(x=x, y=2.0), cnp.sin(x) * 2.0)
    same(jf(x, 2.0), cnp.sin(x) * 2.0)
    with monkeypatch.context() as m:
        no_general_path(jf, m)
        same(jf(y=3.0, x=x), cnp.sin(x) * 3.0)  # the keyword program
        same(jf(x, 4.0), cnp.sin(x) * 4.0)      # the positional one
        with pytest.raises(AssertionError, match="general path"):
            jf(x, y=4.0)
    assert jf.trace_count == 2


def test_a_changed_static_argument_traces_again(monkeypatch):
    g = cr.grad(power_sum)
    jg = cr.jit(g, static_argnums=(2,))
    x = np.linspace(0.1, 1.0, 4)
    same(jg(x, 2, ("sum")), g(x, 2, "sum"))
    with monkeypatch.context() as m:
        no_general_path(jg, m)
        same(jg(x, 2, "".join(["s", "um"])), g(x, 2, "sum"))  # equal, another object
        with pytest.raises(AssertionError, match="general path"):
            jg(x, 2, "max")
    same(jg(x, 2, "max"), g(x, 2, "max"))
    assert jg.trace_count == 2
    # 1, 1.0 and True are equal but of other types: three programs, as the cache keys them
    jk = cr.jit(lambda x, k: x * k if isinstance(k, int) else x - k, static_argnums=1)
    for k in (1, 1.0, True, 1, 1.0, True):
        same(jk(x, k), x * k if isinstance(k, int) else x - k)
    assert jk.trace_count == 3
    with pytest.raises(TypeError, match="hashable"):
        jk(x, [1])


def test_a_changed_python_int_or_string_traces_again(monkeypatch):
    g = cr.grad(power_sum)
    jg = cr.jit(g)
    x = np.linspace(0.1, 1.0, 4)
    same(jg(x, 3), g(x, 3))
    same(jg(x, 3, "max"), g(x, 3, "max"))
    with monkeypatch.context() as m:
        no_general_path(jg, m)
        same(jg(x, 3, "".join(["m", "ax"])), g(x, 3, "max"))
        for n, how in [(2, "max"), (3, "sum"), (True, "max"), (3, "min")]:
            with pytest.raises(AssertionError, match="general path"):
                jg(x, n, how)
    for n, how in [(2, "max"), (3, "sum"), (True, "max"), (1, "max"), (3, "max")]:
        same(jg(x, n, how), g(x, n, how))
    assert jg.trace_count == 6  # (x, 3), and a program per (n, how) but (3, "max")
    # Python's ints, not NumPy's: no overflow, as eager (a NumPy int is traced instead)
    jp = cr.jit(lambda x, n: x * (n ** 30))
    for n in (10, 10, 3):
        assert jp(1.0, n) == 1.0 * n ** 30
    assert jp.trace_count == 2


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # inf - inf, as eager
def test_array_arithmetic_with_python_floats_is_eager_bit_for_bit():
    constants = (1.0001, 0.1, -0.0, 0.0, np.inf, -np.inf, np.nan, 1e308, 5e-324)

    def f(x):
        y = x
        for c in constants:
            y = (y * c + c) / (c - 3.0) - c
            y = c - y
        return y
    rng = np.random.default_rng(0)
    for x in (rng.standard_normal(5), rng.standard_normal(5).astype(np.float32),
              np.array(0.5), np.array([-0.0, 0.0, np.nan, 1.0])):
        jf = cr.jit(f)
        source = jf.lower(x).source
        if x.ndim == 0:  # the first product is a np.float64: scalar arithmetic from there
            assert "t2 = t1 + 1.0001" in source
        else:
            assert "multiply(" in source and " * " not in source
        if x.dtype == np.float64:
            assert "(a 0-d float64 array)" in source
        else:  # NumPy's Python floats take float32: kept as Python floats
            assert "0-d" not in source and "1.0001" in source
        for _ in range(2):
            got, want = jf(x), f(x)
            same(got, want)
            assert np.asarray(got).tobytes() == np.asarray(want).tobytes()
    jg = cr.jit(cr.grad(lambda x: cnp.sum(f(x))))
    x = rng.standard_normal(5)
    same(jg(x), cr.grad(lambda x: cnp.sum(f(x)))(x))


def test_scalar_arithmetic_keeps_python_operators():
    jf = cr.jit(lambda x, y: (x * y + 1.0) / y)
    source = jf.lower(2.0, 3.0).source
    assert " * " in source and "multiply(" not in source
    assert jf(2.0, 3.0) == (2.0 * 3.0 + 1.0) / 3.0


@pytest.mark.parametrize("n", [6, 10_000, 40_000])  # compared as bytes, and as arrays
def test_a_captured_array_changed_in_place_is_seen(n):
    W = np.arange(float(n))
    jf = cr.jit(lambda x: cnp.sum(W, axis=0) * x)  # the sum of a constant is folded
    assert jf(2.0) == np.sum(W) * 2.0
    W.shape = (2, n // 2)  # the same bytes, another array
    same(jf(2.0), np.sum(W, axis=0) * 2.0)
    W[1, -1] = -1.0
    same(jf(2.0), np.sum(W, axis=0) * 2.0)
    assert jf.trace_count == 3


def test_a_static_zero_of_the_other_sign_traces_again():
    # 0.0 == -0.0 (one cache entry), but 1/x tells them apart: a static float's sign of
    # zero is part of its key, on the fast path and on the general one (a nested dict)
    x, d = np.array([1.0, 2.0]), {"a": [0.0, {"z": 1}]}
    fast = lambda x, c: x / c  # noqa: E731
    general = lambda x, c, d: x / c + d["a"][0]  # noqa: E731
    for f, extra in ((fast, ()), (general, (d,))):
        jf = cr.jit(f, static_argnums=(1,))
        for c in (0.0, -0.0, 0.0, np.float32(-0.0), np.float32(0.0), -0.0):
            assert jf(x, c, *extra).tobytes() == f(x, c, *extra).tobytes()


def test_a_static_tuple_with_a_zero_of_the_other_sign_traces_again():
    # (0.0,) == (-0.0,) and 0j == -0j: the signs of the floats inside a static tuple (and
    # of a complex number's parts) are part of the key too, else -0.0 replayed 0.0's program
    x, d = np.array([1.0, -2.0]), {"a": [0.0, {"z": 1}]}
    fast = lambda x, s: x / s[1][0] + x / s[0]  # noqa: E731
    general = lambda x, s, d: x / s[1][0] + x / s[0] + d["a"][0]  # noqa: E731
    for f, extra in ((fast, ()), (general, (d,))):
        jf = cr.jit(f, static_argnums=(1,))
        for s in ((1.0, (0.0,)), (1.0, (-0.0,)), (1.0, (0.0,)), (-0.0, (0.0,)),
                  (1.0, (-0j,)), (1.0, (complex(0.0, -0.0),)), (1.0, (0j,))):
            with np.errstate(divide="ignore", invalid="ignore"):
                assert jf(x, s, *extra).tobytes() == f(x, s, *extra).tobytes(), s
