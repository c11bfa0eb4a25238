"""Review of the docs, the command line and the errors, as a new user meets them.

Each test below failed before its fix: an expression starting with '-' on the command line,
options `--code` silently ignored, Python float arithmetic in expressions (1/0 raised, (-8)**0.5
went complex), `--at` names not read as Python reads names, rounded constants in the header of
`jit(...).lower(...).source`, errors that did not say what to do (a value passed instead of
a function, a generator, a list of traced values, bool argnums), and public functions whose
docstring had no example.
"""

import ast
import importlib
import inspect
import math
import re

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp
from chainrule.explain.cli import main
from chainrule.explain.expr import ExprError, parse, parse_assignments, parse_value


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)   # whatever a command would write lands here


def _json(capsys):
    import json
    return json.loads(capsys.readouterr().out)


# ---- the command line ---------------------------------------------------------------------
def test_an_expression_starting_with_a_minus_is_an_expression(capsys):
    # argparse took "-x" for an unknown option: "the following arguments are required"
    assert main(["explain", "-x * y", "--at", "x=1", "y=2", "--json"]) == 0
    assert _json(capsys)["gradient"] == [-2.0, -1.0]
    assert main(["explain", "-sin(x)", "--at", "x=0", "--code", "--json"]) == 0
    out = _json(capsys)
    assert out["gradient"] == [-1.0] and out["expression"] == "-sin(x)"
    assert main(["compare", "-x", "--at", "x=1", "--k", "1", "--json"]) == 0
    assert _json(capsys)["expression"] == "-x"
    # negative numbers and -h keep their meaning
    assert main(["explain", "x", "--at", "x=-1", "--json"]) == 0
    assert _json(capsys)["at"] == {"x": -1.0}
    assert main(["compare", "x", "--at", "x=1", "--k", "-1"]) == 2
    assert "--k must be between 1 and 8" in capsys.readouterr().err


@pytest.mark.parametrize("extra", [["--graph", "g.svg"], ["--html", "p.html"],
                                   ["--mode", "forward"], ["--seed", "x"]])
def test_code_refuses_the_options_it_would_ignore(extra, capsys, tmp_path):
    assert main(["explain", "x * y", "--at", "x=1", "y=2", "--code"] + extra) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and extra[0] in err and "without --code" in err
    assert list(tmp_path.iterdir()) == []


def test_an_output_path_in_a_missing_folder_is_a_usage_error(capsys, tmp_path):
    assert main(["explain", "x", "--at", "x=1", "--graph", "no/such/g.svg"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot write 'no/such/g.svg'" in err
    assert "folder that exists" in err and "Traceback" not in err


def test_constant_arithmetic_follows_numpy_not_python_floats(capsys):
    # Python floats raised ZeroDivisionError / OverflowError and made (-8)**0.5 complex,
    # where x/0 with a traced x was already inf
    assert parse_value("1/0") == math.inf
    assert parse_value("10**400") == math.inf
    assert parse_value("1" + "0" * 400) == math.inf      # an integer literal past float64
    assert math.isnan(parse_value("(-8)**0.5"))
    value = parse("x + (-8)**0.5")(1.0)
    assert np.isrealobj(value) and np.isnan(value)
    assert main(["explain", "x + 1/0", "--at", "x=1", "--json"]) == 0
    assert _json(capsys)["gradient"] == [1.0]
    assert main(["fdcheck", "x * 10**400", "--at", "x=1", "--json"]) == 0
    capsys.readouterr()
    assert parse_assignments(["x=(-8)**0.5"])["x"] != parse_assignments(["x=(-8)**0.5"])["x"]


def test_at_names_are_read_as_python_reads_the_expression(capsys):
    # Python reads 'ｙ' (fullwidth) in the expression as y; --at ｙ=2 was "no value for y"
    assert parse_assignments(["ｙ=2"]) == {"y": 2.0}
    assert main(["explain", "x + ｙ", "--at", "x=1", "ｙ=2", "--json"]) == 0
    assert _json(capsys)["gradient"] == [1.0, 1.0]


@pytest.mark.parametrize("text, hint", [("x·y", "write * for a product, e.g. x * y"),
                                        ("π * x", "write pi for π")])
def test_a_unicode_look_alike_gets_a_hint(text, hint):
    with pytest.raises(ExprError, match=re.escape(hint)):
        parse(text)


@pytest.mark.parametrize("text", [
    "x.__class__", "__import__('os').system('true')", "(lambda: (lambda: x))()()",
    "x if x else x", "[x for x in y]", "sin(*x)", "x @ x", "x + 1j", "x + 'a'", "not x",
    "f'{x}'", "(yield x)", "x; x", "x := 1", "x\x00", "+" * 1000 + "x", "(" * 300 + "x" + ")" * 300,
    "+".join(["x"] * 150), "x + " + "9" * 2000])
def test_hostile_expressions_are_one_line_errors(text, capsys):
    assert main(["explain", text, "--at", "x=1"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("chainrule explain: error: ")


# ---- jit(...).lower(...).source ----------------------------------------------------------
def _header_arrays(source):
    """{name: array} of the header's ``# cN = array([...], dtype=...)`` lines (literal_eval:
    the header is data to read, never code to run)."""
    out = {}
    for name, values, dtype in re.findall(r"^# (c\d+) = array\((.*)\s*, dtype=(\w+)\)$",
                                          source, re.M):
        out[name] = np.array(ast.literal_eval(values), dtype=dtype)
    return out


def test_lower_header_shows_constants_with_every_digit():
    # the header printed 1/3 as 0.33333333 (NumPy's default 8 digits): not the program's value
    f = cr.grad(lambda x: cnp.sum(x / 3.0 + 0.1 * x ** 2))
    low = cr.jit(f).lower(np.array([1.0, 2.0]))
    consts = _header_arrays(low.source)
    assert any(np.array_equal(v, np.full(2, 1 / 3)) for v in consts.values()), low.source


# ---- errors that say what to do ----------------------------------------------------------
MAKERS = ["grad", "value_and_grad", "jacfwd", "jacrev", "jacobian", "hessian", "vmap", "jit",
          "checkpoint", "make_graph", "tape_residuals"]


@pytest.mark.parametrize("name", MAKERS)
def test_a_value_instead_of_a_function_is_refused_when_the_transform_is_made(name):
    with pytest.raises(TypeError, match=rf"{name} expects a function, got 3\.0 .*"
                                        rf"cr\.{name}\(f\), not its value"):
        getattr(cr, name)(3.0)


@pytest.mark.parametrize("call", [lambda: cr.jvp(1.0, (1.0,), (1.0,)),
                                  lambda: cr.vjp(1.0, 1.0),
                                  lambda: cr.linearize(1.0, 1.0),
                                  lambda: cr.hvp(1.0, (1.0,), (1.0,))])
def test_a_value_instead_of_a_function_is_refused_by_the_direct_transforms(call):
    with pytest.raises(TypeError, match="pass the function itself"):
        call()


def _gen(x):
    yield x * 2.0


@pytest.mark.parametrize("call", [
    lambda: cr.grad(_gen)(1.0), lambda: cr.jacrev(_gen)(1.0), lambda: cr.jacfwd(_gen)(1.0),
    lambda: cr.jvp(_gen, (1.0,), (1.0,)), lambda: cr.vjp(_gen, 1.0),
    lambda: cr.vmap(_gen)(np.ones(2)), lambda: cr.jit(_gen)(1.0),
    lambda: cr.jit(_gen).lower(1.0), lambda: cr.make_graph(_gen)(1.0),
    lambda: cr.explain(_gen, 1.0, quiet=True)])
def test_a_generator_result_is_refused_with_what_to_return(call):
    # jacrev: "'generator' object has no attribute 'dtype'"; jit returned a generator whose
    # tracers had escaped; explain said the output "does not depend on its inputs"
    with pytest.raises(TypeError, match=r"returned a generator .*return the values themselves"):
        call()


def test_a_list_of_traced_values_names_cnp_stack():
    with pytest.raises(TypeError, match=re.escape("make it one array first, cnp.stack([x, y])")):
        cr.grad(lambda x: cnp.sum([x, 2 * x]))(1.0)
    assert cr.grad(lambda x: cnp.sum(cnp.stack([x, 2 * x])))(1.0) == 3.0   # as it says


def test_grad_of_a_list_argument_says_it_is_a_pytree():
    with pytest.raises(TypeError, match=r"a list argument is a pytree.*pass np\.array"):
        cr.grad(lambda x: cnp.sum(x))([1.0, 2.0])


@pytest.mark.parametrize("argnums", [True, (0, True)])
def test_bool_argnums_are_refused(argnums):
    # True was argument 1, silently
    with pytest.raises(TypeError, match="argnums takes argument positions"):
        cr.grad(lambda x, y: x * y, argnums=argnums)(1.0, 2.0)


def test_a_keyword_argument_is_not_differentiated_and_the_error_says_so():
    with pytest.raises(ValueError, match="pass the argument by position"):
        cr.grad(lambda x: x * x)(x=1.0)


@pytest.mark.parametrize("out", ["a", 3])
def test_grad_of_a_non_float_output_says_what_to_return(out):
    with pytest.raises(TypeError, match=r"requires a real floating-point output.*(return one "
                                        r"float|compute the output in floating point)"):
        cr.grad(lambda x: out)(1.0)


# ---- every public function has a runnable example ----------------------------------------
PUBLIC_MODULES = ["chainrule", "chainrule.solvers", "chainrule.explain", "chainrule.sweeps",
                  "chainrule.testing", "chainrule.ntk", "chainrule.checkpointing",
                  "chainrule.flatten", "chainrule.schedule", "chainrule.autograd",
                  "chainrule.autograd.extend", "chainrule.autograd.misc",
                  "chainrule.autograd.misc.optimizers", "chainrule.autograd.test_util",
                  "chainrule.autograd.tracer", "chainrule.autograd.core",
                  "chainrule.autograd.numpy.numpy_boxes",
                  "chainrule.explain.expr", "chainrule.explain.cli"]


def _public_functions():
    found = {}
    for modname in PUBLIC_MODULES:
        mod = importlib.import_module(modname)
        names = getattr(mod, "__all__", None) or [n for n in vars(mod) if not n.startswith("_")]
        for n in names:
            obj = getattr(mod, n)
            if inspect.isfunction(obj) and obj.__module__.startswith("chainrule"):
                found[f"{modname}.{n}"] = obj
    for n in dir(cr.tree):
        obj = getattr(cr.tree, n)
        if not n.startswith("_") and inspect.isfunction(obj) and obj.__module__.startswith(
                "chainrule"):
            found[f"chainrule.tree.{n}"] = obj
    return found


def test_every_public_function_has_a_docstring_example():
    functions = _public_functions()
    # the transforms themselves must be among them, or the walk above has gone wrong
    assert {"chainrule.grad", "chainrule.jit", "chainrule.flatten", "chainrule.tree.map",
            "chainrule.sweeps.forward_sweep", "chainrule.solvers.gmres"} <= set(functions)
    missing = [name for name, f in functions.items() if ">>>" not in (f.__doc__ or "")]
    assert missing == [], f"public functions without a >>> example: {missing}"


# ---- the HTML page ----------------------------------------------------------------------
def test_the_page_data_block_holds_no_markup_whatever_the_names():
    # "</" was escaped, but "<!--<script>" in a name put the HTML parser in a state where the
    # block's own </script> no longer closed it, swallowing the page's script
    import json
    name = "<!--<script>a</b>"
    f = lambda p: cnp.sin(p[name]) * p["w"]
    html = cr.explain(f, {name: 1.0, "w": 2.0}, quiet=True).to_html()
    block = re.search(r'<script type="application/json" class="cr-steps">(.*?)</script>',
                      html, re.S).group(1)
    assert "<" not in block
    assert any(name in step["node"] for step in json.loads(block))


def test_the_readme_names_a_numpy_function_that_really_is_not_wrapped():
    # it named numpy.fft.hfft, which chainrule has wrapped since
    import pathlib
    readme = (pathlib.Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8")
    module, name = re.search(r"`numpy\.([\w.]*?)(\w+) is not wrapped by chainrule yet",
                             readme).groups()
    func = getattr(importlib.import_module("numpy." + module.rstrip(".") if module else "numpy"),
                   name)
    # (the window of sliding_window_view, named since chainrule wraps every numpy.* function
    # of one array)
    extra = {"sliding_window_view": (2,)}.get(name, ())
    with pytest.raises(TypeError, match=rf"numpy\.{module}{name} is not wrapped by chainrule yet"):
        cr.grad(lambda x: cnp.sum(func(x, *extra)))(np.ones(3))


# ---- pytrees ------------------------------------------------------------------------------
@pytest.mark.parametrize("call", [lambda t: cr.tree.flatten(t), lambda t: cr.grad(lambda z: 1.0)(t),
                                  lambda t: cr.jit(lambda z: 1.0)(t)])
def test_a_list_that_contains_itself_is_refused_not_a_memory_exhaustion(call):
    # the iterative flatten walked the cycle until the machine ran out of memory
    cyclic = [1.0]
    cyclic.append(cyclic)
    with pytest.raises(ValueError, match="does a list, tuple or dict contain itself"):
        call(cyclic)


def test_deep_but_finite_pytrees_still_flatten():
    deep = 1.0
    for _ in range(5000):
        deep = [deep]
    leaves, tdef = cr.tree.flatten(deep)
    assert leaves == [1.0] and cr.tree.unflatten(tdef, [2.0]) is not None


# ---- claims of the docs that were not so --------------------------------------------------
@pytest.mark.parametrize("call", [
    lambda: cnp.sum(np.array([1 + 2j, 3 - 1j]), dtype=float),
    lambda: cr.grad(lambda x: cnp.sum(x * 1j, dtype=float))(1.0),
    lambda: cr.grad(lambda x: cnp.sum(cnp.sum(x * (1 + 1j), axis=0, dtype=float)))(np.ones((2, 2))),
    lambda: cr.vmap(lambda x: cnp.sum(x, dtype=float))(np.ones((2, 2)) * 1j),
    lambda: cnp.sum([1 + 1j, 2.0], dtype=float)])
def test_sum_with_a_real_dtype_refuses_complex_values(call):
    # docs/complex.md: a reduction's real dtype= raises; sum dropped the imaginary part (grad 0)
    with pytest.raises(TypeError, match="would discard the imaginary part"):
        call()


def test_sum_dtype_still_casts_what_it_may():
    assert cnp.sum(np.array([1 + 2j, 3 - 1j]), dtype=complex) == 4 + 1j
    assert cnp.sum([1.0, 2.0], dtype=np.float32) == 3.0  # a list (no dtype of its own)
    assert cnp.sum(np.ones(3), dtype=np.float32).dtype == np.float32
    assert np.array_equal(cr.grad(lambda x: cnp.sum(x, dtype=np.float64))(np.ones(2)), np.ones(2))


@pytest.mark.parametrize("convert", [float, lambda x: x.item(), int])
def test_vmap_of_a_python_number_conversion_is_a_batched_value_error(convert):
    # docs/vmap_ntk.md: float(x) raises BatchedValueError; float and .item() said the
    # derivative would be lost (there is none under vmap)
    from chainrule.interpreters.batching import BatchedValueError
    with pytest.raises(BatchedValueError, match="differs from example to example"):
        cr.vmap(lambda x: convert(x))(np.ones(2))


def test_a_custom_vjp_forward_rule_that_returns_no_pair_says_so():
    @cr.custom_vjp
    def f(x):
        return cnp.sin(x)
    f.defvjp(lambda x: cnp.sin(x), lambda res, g: (g,))   # forgot the residuals
    with pytest.raises(TypeError, match=r"forward rule must return a pair \(output, residuals\)"):
        cr.grad(f)(1.0)        # was "cannot unpack non-iterable numpy.float64 object"


@pytest.mark.parametrize("call", [
    lambda: cr.hvp(lambda x: cnp.sum(x ** 2), (np.ones(2),), np.ones(2)),   # said "jvp: ... tuple of 2"
    lambda: cr.check_grads(lambda x: cnp.sum(x ** 2), np.ones(2))])        # "<lambda>() takes 1 ..."
def test_an_array_where_a_tuple_of_arguments_belongs_is_named(call):
    with pytest.raises(TypeError, match=r"must be tuples|is the tuple of f's arguments"):
        call()


#: Functions of the NumPy namespaces whose docstring has no example yet (NumPy's own
#: documentation describes them; chainrule's is still owed). The list may only shrink.
KNOWN_WITHOUT_EXAMPLE = set("""
all amax amin any argmax argmin argpartition argsort argwhere array asarray
 broadcast_to count_nonzero cumsum diagonal expand_dims
flatnonzero flip full full_like hstack kron matmul mean moveaxis ones_like outer
ravel reshape searchsorted sort squeeze stack swapaxes take_along_axis
tensordot tile trace tril triu vstack zeros_like linalg.matrix_power linalg.slogdet
""".split())


def test_namespace_functions_without_an_example_are_only_the_known_ones():
    namespaces = {"": "chainrule.numpy", "linalg.": "chainrule.numpy.linalg",
                  "fft.": "chainrule.numpy.fft", "special.": "chainrule.scipy.special",
                  "stats.": "chainrule.scipy.stats", "scipy.linalg.": "chainrule.scipy.linalg",
                  "signal.": "chainrule.scipy.signal", "integrate.": "chainrule.scipy.integrate",
                  "scipy.fft.": "chainrule.scipy.fft"}
    without = set()
    for prefix, modname in namespaces.items():
        mod = importlib.import_module(modname)
        for n in mod.__all__:
            obj = getattr(mod, n)
            if inspect.isfunction(obj) and ">>>" not in (obj.__doc__ or ""):
                without.add(prefix + n)
    assert without - KNOWN_WITHOUT_EXAMPLE == set(), "a new public function needs a >>> example"
    assert KNOWN_WITHOUT_EXAMPLE - without == set(), "has an example now: drop it from the list"


def test_a_scientific_negative_literal_is_an_expression_too(capsys):
    # argparse's negative-number test does not know "-1e3": it was taken for an option
    assert main(["explain", "-1e3 * x", "--at", "x=1", "--json"]) == 0
    assert _json(capsys)["gradient"] == [-1000.0]


@pytest.mark.parametrize("name", ["jacrev", "hessian"])
def test_an_integer_output_is_named_as_an_output(name):
    # it said "argument 0 has dtype int64, and only floating-point inputs can be
    # differentiated" of a float input
    with pytest.raises(TypeError, match=r"output 0 has dtype int64, and an integer or boolean "
                                        r"output has no derivative"):
        getattr(cr, name)(lambda x: cnp.argmax(x))(np.ones(3))


def test_an_integer_argument_of_a_transform_without_argnums_gets_a_hint_it_can_follow():
    with pytest.raises(TypeError, match=r"close over it instead of passing it"):
        cr.linearize(lambda x: x * 2, 1)     # linearize has no argnums to leave it out of


# ---- cr.explain's seeds ------------------------------------------------------------------
@pytest.mark.parametrize("kwargs, error", [
    (dict(seed=5), r"seed 5 is out of range: the function has 1 input"),          # IndexError
    (dict(seed=1.5), r"seed is an input's name"),                                   # TypeError
    (dict(cotangent=np.ones(2)), r"cotangent for w2 has shape \(2,\) but the output has shape"),
    (dict(cotangent=1j * np.ones(3)), r"cotangent for w2 is complex but the output is real")])
def test_explain_names_a_wrong_seed_or_cotangent(kwargs, error):
    # were "list index out of range" and NumPy's "cannot reshape array of size 2 into shape
    # (3,)"; a complex cotangent lost its imaginary part
    with pytest.raises((ValueError, TypeError), match=error):
        cr.explain(lambda x: cnp.sin(x) * 2, np.ones(3), quiet=True, **kwargs)


def test_explain_cotangents_still_seed_the_reverse_table():
    e = cr.explain(lambda x: cnp.sin(x) * 2, np.zeros(3), cotangent=[1.0, 0.0, 2.0], quiet=True)
    assert np.array_equal(e.gradient[0], [2.0, 0.0, 4.0])
    e = cr.explain(lambda x: (x * 2, x * 3), 1.0, cotangent=(1.0, 1.0), quiet=True)
    assert e.gradient == [5.0]
