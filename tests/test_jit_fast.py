"""cr.jit's fast call path: the staged program checks its own argument signature, what the
function captured and debug_nans, so that every change of those still takes the general
path; results stay eager chainrule's, bit for bit, and never alias the arguments."""

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp
from chainrule.interpreters.staging import StagingTrace
from chainrule.interpreters.staged import may_alias_inputs, optimize

from test_jit import same


def test_every_change_of_signature_after_a_replay_is_seen():
    def f(a, b):
        leaves = cr.tree.flatten(b)[0]
        return cnp.sum(cnp.sin(a)) * sum(cnp.sum(cnp.asarray(v) * 1.5) for v in leaves)
    g = cr.grad(f)
    jg = cr.jit(g)
    x = np.linspace(0.1, 1.0, 3)
    calls = [(x, 2.0), (x, 2.0), (x.astype(np.float32), 2.0), (x[:2], 2.0), (0.5, 2.0),
             (np.float64(0.5), 2.0), (np.float32(0.5), 2.0), (x, np.float64(2.0)),
             (x, {"a": x, "b": 1.0}), (x, {"a": x, "b": 1.0}), (x, {"a": x, "c": 1.0}),
             (x, {"a": x, "b": x}), (x, {"a": x, "b": x, "c": 1.0}), (x, [1.0, 2.0]),
             (x, (1.0, 2.0)), (x, [1.0, 2.0, 3.0]), (x, [x]), (x, np.int64(2)), (x, 2),
             (x, 2.0)]
    for a, b in calls:
        same(jg(a, b), g(a, b))
    # a trace per distinct signature, none for the repeats (the last call is the first's)
    assert jg.trace_count == len(calls) - 3


def test_an_equal_dtype_that_is_another_object_replays():
    meta = np.dtype(np.float64, metadata={"unit": "m"})
    assert meta is not np.dtype(np.float64) and meta == np.dtype(np.float64)
    jf = cr.jit(lambda x: cnp.tanh(x) * 2.0)
    x = np.linspace(-1, 1, 4)
    for a in (x, x.astype(meta), x, x.astype(meta)):
        same(jf(a), cnp.tanh(a) * 2.0)
    assert jf.trace_count == 1


def test_calls_of_another_arity_and_zero_arguments():
    jf = cr.jit(lambda x, y: x * y)
    assert jf(2.0, 3.0) == 6.0 and jf(2.0, 3.0) == 6.0
    with pytest.raises(TypeError):
        jf(2.0)
    with pytest.raises(TypeError):
        jf(2.0, 3.0, 4.0)
    ones = cr.jit(lambda: np.ones(2))
    a = ones()
    a[0] = 7.0
    np.testing.assert_array_equal(ones(), [1.0, 1.0])
    with pytest.raises(TypeError):
        ones(1.0)


def test_views_of_the_arguments_are_copied_on_replay_and_new_arrays_are_not_checked():
    t = StagingTrace()
    x = t.new_input(np.arange(6.0).reshape(2, 3))
    outs = [x, x.T, x[0], cnp.reshape(x * 2.0, (3, 2)), x @ x.T, cnp.sum(x, axis=0),
            cnp.sin(x)]
    t.finish()
    steps, atoms, _ = optimize(t.steps, [o._id for o in outs], t.var_info)
    # the argument and its views may alias it; a view of a new array, products, sums and
    # elementwise results cannot
    assert may_alias_inputs(steps, t.inputs, atoms, t.var_info) == {0, 1, 2}
    jf = cr.jit(lambda x: (x, x.T, x[0], cnp.reshape(x * 2.0, (3, 2)), x @ x.T))
    a = np.arange(6.0).reshape(2, 3)
    for _ in range(3):
        results = jf(a)
        assert not any(np.shares_memory(r, a) for r in results)
        np.testing.assert_array_equal(results[1], a.T)
    assert jf.trace_count == 1


def test_concrete_arguments_inside_a_transformation_give_what_inline_gives():
    c = np.array([0.3, 0.7])
    inner = cr.jit(lambda v: cnp.sin(v) * 2.0)
    plain = lambda v: cnp.sin(v) * 2.0  # noqa: E731
    inner(c)  # staged: a later inner(c) takes the fast path

    def outer(f):  # f(c): concrete arguments; f(w * c): tracers (inline)
        return lambda w: w * cnp.sum(f(c)) + cnp.sum(f(w * c))
    same(cr.grad(outer(inner))(1.5), cr.grad(outer(plain))(1.5))
    same(cr.vmap(outer(inner))(np.array([1.0, 2.0])), cr.vmap(outer(plain))(np.array([1.0, 2.0])))


def test_a_jitted_function_called_by_another_is_not_watched_for_its_cache():
    inner = cr.jit(lambda v: cnp.sin(v) * 2.0)
    outer = cr.jit(lambda x: inner(x) + 1.0)
    x = np.ones(3)
    outer(x), outer(x)
    inner(np.ones(5)), inner(2.0)  # the inner function's cache and counters change
    same(outer(x), cnp.sin(x) * 2.0 + 1.0)
    assert outer.trace_count == 1


def test_an_emptied_closure_cell_is_seen():
    def make():
        def f(x):
            return x * w
        w = 2.0
        jf = cr.jit(f)
        assert jf(1.0) == 2.0 and jf(3.0) == 6.0
        del w
        return jf
    jf = make()
    with pytest.raises(NameError):
        jf(1.0)


def test_rebound_defaults_are_seen():
    # A function's defaults rebound between calls change what a call reads (as a closure
    # cell rebound): the fast path and the general one both trace again.
    def f(x, w=np.ones(3), *, s=1.0):
        return x * w * s
    x = np.arange(3.0)
    for jf in (cr.jit(f), cr.jit(cr.grad(lambda x: cnp.sum(f(x) ** 2)))):
        eager = jf.jitted.fun
        same(jf(x), eager(x))
        f.__defaults__ = (np.full(3, 7.0),)
        same(jf(x), eager(x))
        f.__kwdefaults__ = {"s": 2.0}
        same(jf(x), eager(x))
        same(jf(x), eager(x))
        f.__defaults__, f.__kwdefaults__ = (np.ones(3),), {"s": 1.0}


@pytest.mark.parametrize("name", ["sin", "multiply", "_ndarray", "_dtype", "_key", "_held",
                                  "_debug_nans", "_values_unchanged"])
def test_a_function_named_as_a_name_its_program_reads(name):
    # The program is a def named after f (an identifier): that name must not rebind one the
    # generated body reads (a primitive's function, the entry's checks, the watch's values).
    w = np.ones(3)

    def f(x, d):
        return {"r": cnp.sin(x) * d["a"] * w}
    f.__name__ = name
    jf = cr.jit(f)
    x = np.arange(3.0)
    for i in range(3):
        same(jf(x + i, {"a": 2.0}), f(x + i, {"a": 2.0}))
    assert jf.trace_count == 1


@pytest.mark.parametrize("keys", [("fi", "\ufb01"), ("H", "\u210c"), ("x\u00b2", "y"),
                                  ("\u2460", "b"), ("__debug__", "b")])
def test_dict_keys_that_python_reads_otherwise_as_names(keys):
    # Dict keys and keyword names become the inputs' identifiers: 'ﬁ' and 'ℌ' are read
    # NFKC-normalised ('fi', 'H': one variable for two inputs, a silently wrong result),
    # 'x²' and '①' are no identifier, __debug__ cannot be assigned.
    def f(d):
        return d[keys[0]] * 2.0 + d[keys[1]] * 3.0
    jf = cr.jit(f)
    x = np.arange(3.0)
    for d in ({keys[0]: x, keys[1]: x + 10.0}, {keys[0]: x, keys[1]: x + 10.0},
              {keys[0]: 1.0, keys[1]: 2.0}):
        same(jf(d), f(d))
    jk = cr.jit(lambda **kw: kw[keys[0]] * 2.0 - kw[keys[1]])
    same(jk(**{keys[0]: x, keys[1]: 1.0}), x * 2.0 - 1.0)


def test_a_dict_with_keys_that_do_not_sort_takes_the_general_path():
    # {1: x, 'a': y} is a pytree as any (grad takes it); the fast signature sorted its keys
    # before testing their types and raised TypeError
    def f(d):
        return d[1] * 2.0 + d["a"]
    jf = cr.jit(f)
    x = np.arange(3.0)
    for d in ({1: x, "a": x}, {1: x, "a": x + 1.0}):
        same(jf(d), f(d))
    assert jf.trace_count == 1


def test_the_seed_of_a_scalar_gradient_is_dropped_only_where_nothing_tells():
    # x * np.float64(1) turns a Python float into a np.float64: dropped when only float64
    # arithmetic reads it, kept where the type shows (an output, float32 neighbours)
    cases = [(lambda x, y: (x + y) * cnp.sin(y), (1.0, 0.5)),
             (lambda x, y: x * y, (2.0, np.float32(3.0))),
             (lambda x, y: x * x * y, (2.0, 3.0)),
             (lambda x, y: x + y, (2.0, 3.0)),
             (lambda x, y: x / y, (2.0, np.float64(0.0)))]
    for f, args in cases:
        g = cr.grad(f, argnums=(0, 1))
        jg = cr.jit(g)
        with np.errstate(divide="ignore", invalid="ignore"):
            for _ in range(2):
                same(jg(*args), g(*args))
    source = cr.jit(cr.grad(cases[0][0], argnums=(0, 1))).lower(1.0, 0.5).source
    assert "c1" not in source and source.count(" = ") == 5


def test_two_widened_seeds_read_by_one_sum_stay_float64():
    # grad(x * x) at a Python float is g*x + x*g: each product's seed alone may be
    # dropped, not both (the sum would be a Python float where eager gives a np.float64)
    for f in [lambda x: x * x, lambda x: cnp.sin(x) * cnp.sin(x)]:
        g = cr.grad(f)
        jg = cr.jit(g)
        for x in (1.5, -0.0, float("nan")):
            for _ in range(2):
                got = jg(x)
                assert type(got) is type(g(x)) is np.float64
                same(got, g(x))


def test_jit_returns_a_function_with_its_attributes():
    jf = cr.jit(lambda x: x * 2.0)
    assert jf(1.0) == 2.0 and jf.trace_count == 1 and jf.jitted.trace_count == 1
    jf.clear_cache()
    assert jf(1.0) == 2.0 and jf.trace_count == 2
    assert "def " in jf.lower(1.0).source


def test_a_jacobian_row_loop_replays_one_staged_program():
    # A rule that reads its cotangent as data cannot be vmapped: the rows are computed one
    # at a time, and the pullback (a replay of one recording) is staged after two rows.
    calls = []

    @cr.custom_vjp
    def f(x):
        return cnp.sin(x)

    def bwd(x, g):
        calls.append(1)
        return ((1.0 if bool(cnp.all(g == 0)) else 2.0) * cnp.cos(x) * g,)

    f.defvjp(lambda x: (cnp.sin(x), x), bwd)

    @cr.custom_jvp
    def h(x):
        return cnp.sin(x)

    @h.defjvp
    def h_jvp(primals, tangents):
        calls.append(1)
        (x,), (t,) = primals, tangents
        return cnp.sin(x), (1.0 if bool(cnp.all(t == 0)) else 2.0) * cnp.cos(x) * t

    x = np.linspace(0.1, 1.0, 20)
    want = 2.0 * np.diag(np.cos(x))
    for jac in (cr.jacrev(f), cr.jacobian(f, mode="reverse"), cr.jacobian(h, mode="forward")):
        calls.clear()
        np.testing.assert_allclose(jac(x), want, rtol=1e-15)
        assert len(calls) < 8  # the vmap attempt, two rows, one trace: not twenty rows


def test_results_of_every_pytree_kind_and_parameters_named_like_the_generated_code():
    import collections
    Pair = collections.namedtuple("Pair", "a b")
    f = cr.jit(lambda _args, _unflatten, _key: (
        {"w": _args * _unflatten, 3: [_key, None]}, Pair(_args, (_key * 2.0,)), _args))
    x = np.arange(3.0)
    first = f(x, 2.0, np.float64(5.0))  # the trace: its keys in the pytree's order
    for _ in range(3):
        got = f(x, 2.0, np.float64(5.0))
        same(got, ({"w": x * 2.0, 3: [np.float64(5.0), None]}, Pair(x, (np.float64(10.0),)),
                   x))
        assert type(got[1]) is Pair and list(got[0]) == list(first[0])
        assert not np.shares_memory(got[2], x) and not np.shares_memory(got[1].a, got[2])
    assert f.trace_count == 1


def test_results_handed_out_are_copied_only_when_they_could_share_memory():
    vg = cr.value_and_grad(lambda p: cnp.sum(cnp.tanh(p["a"]) * p["b"]))
    jvg = cr.jit(vg)
    p = {"a": np.linspace(0.0, 1.0, 4), "b": np.ones(4)}
    assert "own_staged" not in jvg.lower(p).source  # new arrays: handed out as they are
    for _ in range(2):
        got = jvg(p)
        same(got, vg(p))
        grads = list(got[1].values())
        assert not np.shares_memory(grads[0], grads[1])
        assert not any(np.shares_memory(g, v) for g in grads for v in p.values())
    # d(x·y)/dx is y itself (x * 1 is x): an argument, so the program copies it
    jg = cr.jit(cr.grad(lambda x, y: cnp.sum(x * y)))
    x, y = np.ones(3), np.arange(3.0)
    assert "own_staged" in jg.lower(x, y).source
    for _ in range(2):
        gx = jg(x, y)
        assert np.array_equal(gx, y) and not np.shares_memory(gx, y)
