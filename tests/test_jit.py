"""cr.jit: staged programs return what eager chainrule returns, on the first call (the
trace) and on every replay; guards re-trace instead of replaying a wrong path; what the
function captured is read at call time."""

import warnings

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp
from chainrule.transforms.jit import JitFallbackWarning


def same(a, b):
    """Equal leaf by leaf, bit for bit (nan equal to nan), with the same types and dtypes."""
    la, ta = cr.tree.flatten(a)
    lb, tb = cr.tree.flatten(b)
    assert ta == tb
    for x, y in zip(la, lb):
        assert type(x) is type(y), (type(x), type(y))
        assert np.result_type(x) == np.result_type(y)
        np.testing.assert_array_equal(x, y)


def check_eager(jitted, eager, *args):
    same(jitted(*args), eager(*args))


# ---- eager equivalence, first call and replay -----------------------------------------------
def notes(x, y):
    return (x + y) * cnp.sin(y)


def test_jit_grad_matches_eager_and_replays():
    g = cr.grad(notes, argnums=(0, 1))
    jg = cr.jit(g)
    for x, y in [(1.0, np.pi / 2), (2.0, 0.3), (-1.5, 4.0)]:
        check_eager(jg, g, x, y)
    assert jg.trace_count == 1


def test_jit_of_arrays_dtypes_and_shapes_retrace():
    f = cr.grad(lambda x: cnp.sum(cnp.tanh(x) ** 2 + x[::-1] * x))
    jf = cr.jit(f)
    rng = np.random.default_rng(0)
    for shape in [(3,), (3,), (5,), (2, 3), (0,), (1,)]:
        check_eager(jf, f, rng.standard_normal(shape))
    x32 = rng.standard_normal(4).astype(np.float32)
    check_eager(jf, f, x32)
    assert jf(x32).dtype == np.float32
    assert jf.trace_count == 6  # (3,) once, then (5,), (2, 3), (0,), (1,), float32


def test_new_pytree_structures_retrace():
    f = cr.grad(lambda p: cnp.sum(p["w"] * p["b"]) + sum(cnp.sum(v) for v in p.get("extra", [])))
    jf = cr.jit(f)
    p = {"w": np.arange(3.0), "b": np.ones(3)}
    check_eager(jf, f, p)
    q = dict(p, extra=[np.ones(2)])
    check_eager(jf, f, q)
    check_eager(jf, f, p)
    assert jf.trace_count == 2


def test_branch_flip_retraces_instead_of_replaying_the_wrong_branch():
    def f(x):
        if x > 0:
            return x * x
        return -3.0 * x
    g = cr.grad(f)
    jg = cr.jit(g)
    assert jg(2.0) == 4.0
    assert jg(-1.0) == -3.0     # a replay of the first branch would give -2.0
    assert jg.trace_count == 2
    assert jg(5.0) == 10.0 and jg(-7.0) == -3.0
    assert jg.trace_count == 2  # both variants cached


def test_data_dependent_loop_falls_back_to_eager_with_one_warning():
    def halve_until_small(x):
        while x > 1.0:
            x = x / 2.0
        return x * x
    g = cr.grad(halve_until_small)
    jg = cr.jit(g, max_variants=4)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for k in range(12):
            check_eager(jg, g, 2.0 ** k + 0.5)
    fallbacks = [w for w in caught if issubclass(w.category, JitFallbackWarning)]
    assert len(fallbacks) == 1
    assert "test_jit.py" in str(fallbacks[0].message)  # names the line of the guard
    assert jg.trace_count == 4


def test_python_ints_are_inputs_and_their_uses_are_guarded():
    def f(x, n):
        return cnp.sum(x ** n) + sum(cnp.sin(x[i]) for i in range(n))
    g = cr.grad(f)
    jg = cr.jit(g)
    x = np.linspace(0.1, 1.0, 4)
    for n in [2, 3, 2, 4]:
        check_eager(jg, g, x, n)
    assert jg.trace_count == 3  # range(n) is a guard: one variant per count


def test_traced_integer_index_is_a_variable_not_a_constant():
    f = cr.grad(lambda x, i: x[i] * x[i])
    jf = cr.jit(f)
    x = np.arange(1.0, 5.0)
    for i in [0, 3, 1, np.int64(2), np.int64(0), np.int64(3)]:
        check_eager(jf, f, x, i)
    # Python ints are keyed by value (three traces); a NumPy integer is a variable of the
    # program: one trace for every value
    assert jf.trace_count == 4


def test_float_of_a_stopped_value_is_guarded():
    def f(x):
        scale = float(cr.stop_gradient(x))  # a Python number: baked into the trace
        return x * scale
    g = cr.grad(f)
    jg = cr.jit(g)
    for x in [1.0, 2.0, 2.0, -0.5]:
        check_eager(jg, g, x)
    assert jg.trace_count == 3


def test_closure_array_mutated_in_place_and_rebound_is_read_at_call_time():
    w = np.array([1.0, 2.0, 3.0])

    def loss(x):
        return cnp.sum(cnp.sin(x * w))
    g = cr.grad(loss)
    jg = cr.jit(g)
    x = np.array([0.1, 0.2, 0.3])
    check_eager(jg, g, x)
    w[1] = -4.0                 # in place
    check_eager(jg, g, x)
    w = np.array([0.5, 0.5, 0.5])  # noqa: F841 - rebinding the closure cell
    check_eager(jg, g, x)
    assert jg.trace_count == 3


SCALE = np.array([2.0, 3.0])


def test_global_array_rebound_is_read_at_call_time():
    global SCALE
    g = cr.grad(lambda x: cnp.sum(cnp.exp(np.sin(SCALE) * x)))  # np.sin: a constant
    jg = cr.jit(g)
    x = np.array([0.1, -0.2])
    check_eager(jg, g, x)
    SCALE = np.array([-1.0, 0.5])
    check_eager(jg, g, x)
    SCALE[0] = 7.0
    check_eager(jg, g, x)


def test_inputs_mutated_in_place_between_calls_are_read_afresh():
    g = cr.grad(lambda x: cnp.sum(x ** 3))
    jg = cr.jit(g)
    x = np.array([1.0, 2.0])
    first = jg(x)
    x[0] = 10.0
    check_eager(jg, g, x)
    assert first[0] == 3.0


def test_results_never_alias_inputs_or_each_other_or_the_program():
    jg = cr.jit(cr.grad(lambda x, y: cnp.sum(x * y)))
    x, y = np.ones(3), np.arange(3.0)
    for _ in range(2):
        gx = jg(x, y)
        assert not np.shares_memory(gx, y)
    zeros = cr.jit(lambda x: np.zeros(2))
    a = zeros(1.0)
    a[0] = 5.0
    np.testing.assert_array_equal(zeros(1.0), [0.0, 0.0])  # the constant stays pristine


def test_outputs_merged_by_cse_are_separate_arrays():
    # (x + 1, x + 1) is two arrays eagerly; the optimiser merges them into one variable,
    # and a replay returned it twice (or two views of it): writing into one result
    # changed the other
    x = np.ones(4)
    for f in [lambda x, y: (x + 1, x + 1), lambda x, y: ((x + 1)[:2], (x + 1)[1:]),
              lambda x, y: (cnp.reshape(cnp.sin(x), (2, 2)), cnp.sin(x)),
              cr.grad(lambda x, y: cnp.sum(x * y), argnums=(0, 1))]:
        jf = cr.jit(f)
        for _ in range(2):
            a, b = jf(x, x)
            assert not np.shares_memory(a, b)
            np.testing.assert_array_equal(a, f(x, x)[0])


def test_the_derivative_of_x_to_a_zero_power_is_zero_also_at_zero_under_jit():
    # d/dx x**y = y * x**(y-1) is 0 where y = 0, also at x = 0: eagerly a branch on a
    # Python float y gave 0, while jit (which traces y) and an array y gave 0 * inf = nan
    g = cr.grad(lambda x, y: x ** y, argnums=(0, 1))
    jg = cr.jit(g)
    for x, y in [(0.0, 0.0), (-0.0, -0.0), (2.0, -0.0), (0.0, 1.5)]:
        for _ in range(2):
            same(jg(x, y), g(x, y))
    assert g(0.0, 0.0)[0] == 0.0
    # nor a branch on y = 1.0: the Hessian's zeros kept their signs under jit only
    h = cr.hessian(lambda x, y: cnp.sum(x ** y))
    x = np.array([0.5, -1.0])
    jh = cr.jit(h)
    for _ in range(2):
        assert jh(x, 1.0).tobytes() == h(x, 1.0).tobytes()  # (== would take -0 for 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        d = cr.jacrev(lambda x: x ** np.zeros(2))(np.zeros(2))
    np.testing.assert_array_equal(d, np.zeros((2, 2)))


def test_python_float_arguments_stay_weak_next_to_float32():
    # jit traces a Python float y, so y - 1 reaches the subtract primitive (eagerly Python
    # computes it): NumPy's np.float64 result then made x32 * (y - 1) a float64
    x = np.float32(2.0)
    cases = [(f, y) for f in [lambda x, y: x * (y - 1), lambda x, y: x * (2 * y),
                              lambda x, y: x / (y / 2), lambda x, y: x * y ** 2,
                              lambda x, y: x ** (y - 1)]
             for y in (1.5, 0.0, 1.5 + 1j)]  # (a complex one: complex64, not complex128)
    cases += [(cr.grad(lambda x, y: x ** y), y) for y in (1.5, 0.0)]
    for f, y in cases:
        jf = cr.jit(f)
        with np.errstate(divide="ignore", invalid="ignore"):
            for _ in range(2):
                same(jf(x, y), f(x, y))


def test_random_numbers_drawn_while_tracing_are_refused():
    with pytest.raises(RuntimeError, match="numpy.random.*pass them as arguments"):
        cr.jit(lambda x: x * np.random.normal())(1.0)
    rng = np.random.default_rng(0)
    with pytest.raises(RuntimeError, match="Generator"):
        cr.jit(lambda x: x + rng.standard_normal())(1.0)
    noisy = cr.jit(lambda x, noise: x + noise)          # the way that works
    assert noisy(1.0, 0.5) == 1.5 and noisy(1.0, 0.25) == 1.25


def test_static_argnums_and_clear_cache():
    def f(x, act):
        return cnp.sum(cnp.tanh(x) if act == "tanh" else cnp.sin(x))
    g = cr.grad(f)
    jg = cr.jit(g, static_argnums=1)
    x = np.array([0.3, 0.4])
    for act in ["tanh", "sin", "tanh"]:
        check_eager(jg, g, x, act)
    assert jg.trace_count == 2
    jg.clear_cache()
    check_eager(jg, g, x, "sin")
    assert jg.trace_count == 3
    with pytest.raises(TypeError, match="static argument 1 must be hashable"):
        cr.jit(lambda x, cfg: x, static_argnums=1)(1.0, {"a": 1})


def test_function_without_return_and_constant_results():
    calls = []
    nothing = cr.jit(lambda x: calls.append(1))
    assert nothing(1.0) is None and nothing(2.0) is None
    with pytest.raises(TypeError, match="returned None"):
        cr.jit(cr.grad(lambda x: None))(1.0)
    assert cr.jit(lambda x: (x, 2.0, "tag"))(1.0)[1:] == (2.0, "tag")


# ---- composition, both orders -----------------------------------------------------------------
def rosen(x):
    return cnp.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)


X = np.array([0.5, -0.3, 1.2, 0.8])
V = np.array([1.0, 0.5, -0.5, 2.0])


@pytest.mark.parametrize("name,fn,args", [
    ("hvp", lambda x, v: cr.hvp(rosen, (x,), (v,)), (X, V)),
    ("hessian", cr.hessian(rosen), (X,)),
    ("jacrev", cr.jacrev(lambda x: cnp.tanh(x) * x[0]), (X,)),
    ("jacfwd", cr.jacfwd(lambda x: cnp.tanh(x) * x[0]), (X,)),
    ("vmap-grad", cr.vmap(cr.grad(rosen)), (np.stack([X, V, X * 2]),)),
    ("value_and_grad", cr.value_and_grad(rosen), (X,)),
    ("jvp", lambda x, v: cr.jvp(rosen, (x,), (v,)), (X, V)),
    ("checkpoint", cr.grad(lambda x: cnp.sum(cr.checkpoint(lambda y: cnp.sin(y) * y)(x))), (X,)),
    ("linearize", lambda x, v: cr.linearize(rosen, x)[1](v), (X, V)),
])
def test_jit_of_transforms_matches_eager(name, fn, args):
    jf = cr.jit(fn)
    check_eager(jf, fn, *args)
    moved = tuple(a * 0.9 + 0.05 for a in args)
    check_eager(jf, fn, *moved)
    assert jf.trace_count == 1


def test_transforms_of_jit_run_inline():
    jf = cr.jit(rosen)
    same(cr.grad(jf)(X), cr.grad(rosen)(X))
    same(cr.vmap(jf)(np.stack([X, V])), cr.vmap(rosen)(np.stack([X, V])))
    same(cr.jvp(jf, (X,), (V,)), cr.jvp(rosen, (X,), (V,)))
    same(cr.grad(cr.checkpoint(jf))(X), cr.grad(rosen)(X))
    same(cr.jit(cr.grad(jf))(X), cr.grad(rosen)(X))
    assert jf.trace_count == 0  # always called with tracers: never staged


def test_custom_vjp_inside_jit():
    @cr.custom_vjp
    def clip_grad(x):
        return x

    clip_grad.defvjp(lambda x: (x, None), lambda res, g: (cnp.clip(g, -1.0, 1.0),))
    g = cr.grad(lambda x: cnp.sum(clip_grad(x) * 5.0))
    check_eager(cr.jit(g), g, np.array([1.0, 2.0]))
    assert np.all(cr.jit(g)(np.ones(2)) == 1.0)


# ---- the staged program ----------------------------------------------------------------------
def test_lower_shows_the_adjoint_program():
    low = cr.jit(cr.grad(notes, argnums=(0, 1))).lower(1.0, np.pi / 2)
    src = low.source
    assert "def notes(x, y):" in src and "cos(y)" in src and "test_jit.py" in src
    assert low.stats["guards"] == 0
    ops = [n.op for n in low.graph.nodes]
    assert ops[:2] == ["input", "input"] and "cos" in ops


def test_optimisations_cse_dce_and_identities_keep_results_bit_identical():
    def f(x):
        unused = cnp.exp(x) * 3.0  # noqa: F841 - dead code
        return cnp.sum(cnp.sin(x) * cnp.sin(x)) * 1.0
    g = cr.grad(f)
    x = np.linspace(-1, 1, 7)
    low = cr.jit(g).lower(x)
    raw = cr.jit(g).lower(x, optimise=False)
    assert low.stats["cse"] >= 1 and low.stats["dead"] >= 1 and low.stats["identities"] >= 1
    assert "exp(" not in low.source and "exp(" in raw.source
    assert low.stats["operations"] < raw.stats["operations"]
    check_eager(cr.jit(g), g, x)


def test_branches_appear_as_guards_in_the_source():
    low = cr.jit(lambda x: x * 2.0 if x > 0 else x).lower(1.0)
    assert "raise _GuardFailed(0)" in low.source and low.stats["guards"] == 1


def test_explain_code_prints_the_adjoint_program(capsys):
    from chainrule.explain.cli import main
    assert main(["explain", "--code", "(x + y) * sin(y)", "--at", "x=1", "y=pi/2"]) in (0, None)
    out = capsys.readouterr().out
    assert "def f(x, y):" in out and "cos(y)" in out


def test_large_temporaries_are_reused_in_place_with_identical_results():
    def loss(p, x):
        h = cnp.tanh(x @ p["W"] + p["b"])
        return cnp.sum((1.0 - h * h) * h)
    rng = np.random.default_rng(1)
    p = {"W": rng.standard_normal((64, 64)) / 8, "b": rng.standard_normal(64)}
    x = rng.standard_normal((64, 64))
    g = cr.value_and_grad(loss)
    low = cr.jit(g).lower(p, x)
    assert "out=" in low.source and "def loss(p_W, p_b, x):" in low.source
    assert low.peak_bytes > 0
    jg = cr.jit(g)
    for _ in range(2):
        check_eager(jg, g, p, x)
    x2 = x.copy()
    check_eager(jg, g, p, x2)
    np.testing.assert_array_equal(x, x2)  # inputs never written into


def test_linearize_stages_its_jvp_after_a_few_calls():
    f = lambda x: cnp.sin(x) * x[::-1] + cnp.sum(x ** 2)  # noqa: E731
    x = np.linspace(0.0, 1.0, 5)
    _, f_jvp = cr.linearize(f, x)
    rng = np.random.default_rng(3)
    for _ in range(12):
        v = rng.standard_normal(5)
        same(f_jvp(v), cr.jvp(f, (x,), (v,))[1])
    assert f_jvp.jitted.trace_count == 1
    _, ident = cr.linearize(lambda x: x, x)
    v = np.ones(5)
    for _ in range(12):
        r = ident(v)
        assert not np.shares_memory(r, v) and not np.shares_memory(r, x)
    sol, info = cr.solvers.newton_krylov(lambda y: y ** 3 - 8.0, np.ones(3))
    np.testing.assert_allclose(sol, 2.0)  # its Krylov steps replay the staged J·v
    assert info.jvp_evals > info.linearizations


def test_method_reads_attributes_of_self_at_call_time():
    class Model:
        def __init__(self):
            self.w = np.array([1.0, 2.0])

        @cr.jit
        def predict(self, x):
            return cnp.sum(cnp.tanh(self.w * x))

    m = Model()
    x = np.array([0.5, 0.25])
    first = m.predict(x)
    m.w[0] = -3.0
    assert m.predict(x) == np.sum(np.tanh(m.w * x)) != first
    m.w = np.array([0.1, 0.2])
    assert m.predict(x) == np.sum(np.tanh(m.w * x))


def test_debug_nans_runs_eagerly_where_the_checks_apply():
    jg = cr.jit(cr.grad(lambda x: cnp.sqrt(x * 0.0)))
    assert np.isnan(jg(1.0))
    with cr.debug_nans():
        with pytest.raises(FloatingPointError):
            jg(1.0)


def test_cse_keeps_signed_zeros_apart():
    f = cr.jit(lambda x: (1.0 / (x * 0.0), 1.0 / (x * -0.0)))
    for _ in range(2):
        with np.errstate(divide="ignore"):
            a, b = f(np.ones(2))
        assert np.all(a == np.inf) and np.all(b == -np.inf)


def test_non_numeric_arguments_are_passed_as_they_are():
    labels = np.array(["a", "b"])
    f = cr.jit(lambda x, names, tag: (x * 2.0, str(names[1]) + tag))
    assert f(1.0, labels, np.str_("!")) == (2.0, "b!")
    labels[1] = "z"
    assert f(3.0, labels, np.str_("!")) == (6.0, "z!")


_PY_ADD = np.frompyfunc(lambda a, b: a + b, 2, 1)   # an object ufunc: NumPy's, unknown to chainrule


def test_numpy_functions_chainrule_does_not_wrap_run_as_eagerly():
    def f(x):
        return x * np.busday_count("2024-01-01", "2024-01-10") + float(_PY_ADD.outer(x, x))
    jf = cr.jit(f)
    for x in [1.0, 2.0, 1.0]:
        assert np.array_equal(jf(x), f(x))
    assert jf.trace_count == 2  # the unwrapped functions' inputs are value guards
    with pytest.raises(TypeError, match="not differentiable"):
        cr.jit(cr.grad(lambda x: float(_PY_ADD.outer(x, x))))(1.0)  # refused, as eagerly


def test_results_never_alias_the_callers_arrays():
    # jit(f) of a function returning its argument or a view of it: a copy, on the first
    # call and on replay (every transform's results are the caller's own new arrays).
    x = np.arange(4.0)
    f = cr.jit(lambda x: (x, x[1:], x.reshape(2, 2)))
    for _ in range(2):
        outs = f(x)
        assert all(not np.shares_memory(o, x) for o in outs)
        assert np.array_equal(outs[1], x[1:])
    assert f.trace_count == 1


def test_a_file_name_with_a_newline_stays_inside_its_comment():
    # The generated code names the user's line in a comment; a hostile file name must not
    # add a statement to the compiled program.
    src = "def f(x):\n    return x * 2.0\n"
    ns = {}
    exec(compile(src, "evil\nraise SystemExit('injected')\n#", "exec"), ns)  # noqa: S102,S307
    f = cr.jit(lambda x: ns["f"](x))
    for _ in range(2):
        assert np.array_equal(f(np.ones(3)), 2.0 * np.ones(3))
    source = f.lower(np.ones(3)).source
    assert "evil raise SystemExit" in source and "\nraise SystemExit" not in source


def test_python_ints_are_computed_as_python_computes_them():
    # Ints are keyed by value, not staged as int64: no overflow, Python's division rules.
    assert cr.jit(lambda n: n ** 30)(10) == 10 ** 30
    assert cr.jit(lambda n: n * 2)(2 ** 70) == 2 ** 71
    assert cr.jit(lambda x, n: x ** n)(2.0, -2) == 0.25
    x = np.ones(2)
    j = cr.jit(lambda x, n: x * len(str(n)))
    assert np.array_equal(j(x, 5), x) and np.array_equal(j(x, 12345), 5 * x)
    f = cr.jit(lambda x, n: x * n)
    f(x, 1), f(x, 2), f(x, 1)
    assert f.trace_count == 2


def test_a_value_guard_tells_minus_zero_from_zero():
    f = cr.jit(lambda x: x + np.float64(1.0) / float(x))
    with np.errstate(divide="ignore"):
        assert f(np.float64(0.0)) == np.inf
        assert f(np.float64(-0.0)) == -np.inf


def test_checkpoint_inside_jit_recomputes_as_eagerly():
    # The backward replay of each checkpointed block is staged as a recomputation (not
    # merged with the forward values), so only one block's intermediates live at a time.
    def block(h):
        for _ in range(3):
            h = cnp.tanh(h * 1.5 + 0.1)
        return h

    def loss(x, ck):
        b = cr.checkpoint(block) if ck else block
        for _ in range(4):
            x = b(x)
        return cnp.sum(x ** 2)

    x = np.linspace(-1.0, 1.0, 20000)
    kept = cr.jit(cr.grad(lambda x: loss(x, False))).lower(x)
    redone = cr.jit(cr.grad(lambda x: loss(x, True))).lower(x)
    assert redone.source.count("tanh(") == 2 * kept.source.count("tanh(") == 24
    assert redone.peak_bytes < 0.6 * kept.peak_bytes
    g = cr.grad(lambda x: loss(x, True))
    jg = cr.jit(g)
    for _ in range(2):
        same(jg(x), g(x))


def test_a_complex_product_with_one_is_not_dropped():
    # NumPy's complex product is no identity: (inf+0j) * 1.0 is inf+nanj, (-0-0j) / 1.0 is 0-0j
    x = np.array([1 + 2j, -0.0 - 0.0j, np.inf + 0j])
    for f in (lambda u: u * 1.0, lambda u: u / 1.0, lambda u: cnp.reshape(u, (3,)) * np.ones(3)):
        jf = cr.jit(f)
        with np.errstate(invalid="ignore"):
            for _ in range(3):  # the first call traces; the later ones replay
                assert jf(x).tobytes() == f(x).tobytes()


def test_static_argnums_naming_no_parameter_is_refused():
    # (it was silently ignored: the argument was then traced like any other)
    with pytest.raises(ValueError, match=r"static_argnums=\(5,\).*takes 2 positional"):
        cr.jit(lambda x, n: x * n, static_argnums=(5,))
    with pytest.raises(ValueError, match="static_argnums"):
        cr.jit(lambda x, n: x * n, static_argnums=-3)
    assert cr.jit(lambda x, n: x * n, static_argnums=-1)(np.ones(2), 3.0).tolist() == [3.0, 3.0]
    f = cr.jit(lambda x, n: x * n, static_argnums=np.int64(1))  # a NumPy integer index
    assert f(np.ones(2), 3.0).tolist() == [3.0, 3.0] and f.trace_count == 1
    assert cr.jit(lambda *a: a[0] * a[2], static_argnums=2)(np.ones(2), 0, 2.0).tolist() == [2, 2]


def test_a_memmap_argument_is_read_as_an_array(tmp_path):
    m = np.memmap(tmp_path / "x.bin", dtype=np.float64, mode="w+", shape=(3,))
    m[:] = [1.0, 2.0, 3.0]
    f = cr.jit(lambda x: x * 1.0)
    g = cr.jit(cr.grad(lambda x: cnp.sum(x * x)))
    for _ in range(2):  # first call and replay; a write into the file between them is read
        y = f(m)
        np.testing.assert_array_equal(y, np.asarray(m))
        np.testing.assert_array_equal(g(m), cr.grad(lambda x: cnp.sum(x * x))(m))
        assert type(y) is np.ndarray and not np.shares_memory(y, m)
        m[:] = [4.0, 5.0, 6.0]
    with pytest.raises(TypeError, match="np.asarray"):
        f(np.matrix([[1.0, 2.0]]))
