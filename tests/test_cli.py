"""The command line, run as a user runs it: a subprocess, good and bad input."""

import json
import os
import subprocess
import sys

import pytest

from chainrule.explain.cli import main

EXPR = "(x + y) * sin(y)"
AT = ["--at", "x=1", "y=pi/2"]


def run(*args, cwd=None, env=None, timeout=60):
    return subprocess.run([sys.executable, "-m", "chainrule", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=timeout, env=env, encoding="utf-8")


def test_demo(tmp_path):
    r = run("demo", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    out = r.stdout
    for piece in ["w1 = x + y", "2.571", "forward: ∂f/∂x = 1", "∂f/∂x = 1, ∂f/∂y = 1",
                  "y\u0304 += w\u03042 · ∂w2/∂y = 2.571 · 0 = 0", "gradient (∂f/∂x, ∂f/∂y) = (1, 1)"]:
        assert piece in out
    # no file unless asked (issue 10, item 12): the last line says how to ask
    assert os.listdir(tmp_path) == [] and "--graph PATH" in out.strip().splitlines()[-1]
    r = run("demo", "--graph", "notes.svg", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    path = r.stdout.strip().splitlines()[-1].split("written to ", 1)[1]
    assert os.path.exists(path) and path == str(tmp_path / "notes.svg")
    assert os.listdir(tmp_path) == ["notes.svg"]


def test_demo_json_and_svg_graph(tmp_path):
    r = run("demo", "--json", "--graph", str(tmp_path / "g.svg"))
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["gradient"] == pytest.approx([1.0, 1.0])
    assert [row["target"] for row in d["reverse"]] == ["w1", "w2", "x", "y", "y"]
    assert open(d["graph_file"]).read().count('class="node"') == 5


def test_demo_without_matplotlib_falls_back_to_svg(tmp_path):
    # a sitecustomize that hides matplotlib, as on a NumPy-only install
    (tmp_path / "sitecustomize.py").write_text(
        "import sys\nsys.modules['matplotlib'] = None\n")
    # keep any PYTHONPATH already set, so the subprocess imports the chainrule under test
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(tmp_path)] + [p for p in [os.environ.get("PYTHONPATH")] if p]))
    r = run("demo", "--graph", "chainrule-demo.png", cwd=tmp_path, env=env)
    assert r.returncode == 0, r.stderr
    assert r.stdout.rstrip().endswith("chainrule-demo.svg")
    r = run("explain", EXPR, *AT, "--graph", "g.png", cwd=tmp_path, env=env)
    assert r.returncode == 0 and "pip install 'chainrule[viz]'" in r.stdout
    assert (tmp_path / "g.svg").exists()


def test_explain_modes(tmp_path):
    r = run("explain", EXPR, *AT, "--mode", "forward", "--seed", "y", "--graph", "g.svg",
            cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "forward: ∂f/∂y = 1" in r.stdout and "Reverse" not in r.stdout
    assert (tmp_path / "g.svg").exists()
    r = run("explain", EXPR, *AT, "--mode", "reverse", "--json")
    d = json.loads(r.stdout)
    assert d["forward"] == [] and d["gradient"] == pytest.approx([1.0, 1.0])


@pytest.mark.parametrize("args, message", [
    (["explain", '__import__("os")', "--at", "x=1"], "unknown function '__import__'"),
    (["fdcheck", "x", "--at", "x=1", "--wrt", "y"], "unknown variable for --wrt 'y'"),
    (["compare", "x", "--at", "x=pi/"], "cannot parse"),
])
def test_bad_input_subprocess(args, message):
    r = run(*args)
    assert r.returncode == 2
    assert message in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert "Traceback" not in r.stderr


# The remaining refusals run in-process (same main() the console script calls): fast.
@pytest.mark.parametrize("args, message", [
    (["explain", "x.real", "--at", "x=1"], "attribute access"),
    (["explain", "(lambda: x)()", "--at", "x=1"], "lambda"),
    (["explain", "foo(x)", "--at", "x=1"], "allowed functions: abs"),
    (["explain", "x + y", "--at", "x=1"], "no value given for y"),
    (["explain", "x", "--at", "x=1", "z=2"], "unknown name(s) z"),
    (["explain", "x", "--at", "x=abc"], "unknown name 'abc'"),
    (["explain", "x", "--at", "x"], "malformed value 'x'"),
    (["explain", "sin(x", "--at", "x=1"], "cannot parse"),
    (["explain", "x", "--at", "x=1", "--seed", "q"], "unknown seed 'q'"),
    (["compare", "x", "--at", "x=1", "--k", "50"], "--k must be between 1 and 8"),
])
def test_bad_input_is_one_line_exit_2(args, message, capsys):
    assert main(args) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1


def test_missing_at_is_usage_error(capsys):
    with pytest.raises(SystemExit) as e:
        main(["explain", "x"])
    assert e.value.code == 2 and "--at" in capsys.readouterr().err


def test_fdcheck_without_matplotlib(tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    monkeypatch.chdir(tmp_path)
    assert main(["fdcheck", "exp(x)", "--at", "x=1", "--plot", "fd.png"]) == 0
    out = capsys.readouterr().out
    assert "1e-14" in out and "pip install 'chainrule[viz]'" in out
    assert os.listdir(tmp_path) == []


def test_fdcheck_writes_no_file_unless_asked(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["fdcheck", "exp(x)", "--at", "x=1"]) == 0
    assert "--plot PATH" in capsys.readouterr().out
    assert os.listdir(tmp_path) == []


def test_fdcheck(tmp_path):
    r = run("fdcheck", EXPR, *AT, "--wrt", "y", "--plot", "fd.png", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "1e-14" in r.stdout and "ε^(1/3)" in r.stdout and "float32" in r.stdout
    pytest.importorskip("matplotlib")
    assert (tmp_path / "fd.png").read_bytes()[:4] == b"\x89PNG"


def test_fdcheck_json(tmp_path, capsys):
    assert main(["fdcheck", "exp(x)", "--at", "x=1", "--json", "--no-plot"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert len(d["steps"]) == 14 and d["steps"][0] == 0.1
    best = d["best"]["float64"]["central"]["h"]
    assert 1e-7 <= best <= 1e-3  # near ε^(1/3) ≈ 6e-6
    assert d["theory"]["float32"]["forward"]["h"] == pytest.approx(2 ** -11.5)


def test_compare(capsys):
    r = run("compare", EXPR, *AT, "--wrt", "y", "--k", "3")
    assert r.returncode == 0, r.stderr
    for piece in ["Symbolic", "Numerical (central FD)", "AD forward", "AD reverse",
                  "Expression swell"]:
        assert piece in r.stdout
    assert main(["compare", "sin(x) * exp(x)", "--at", "x=1", "--k", "3", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    errs = {row["method"]: row["error"] for row in d["rows"]}
    assert errs["AD reverse"] < 1e-14 and 1e-13 < errs["Numerical (central FD)"] < 1e-6
    if d["symbolic_available"]:
        sizes = [row["derivative_size"] for row in d["swell"]]
        assert sizes == sorted(sizes) and sizes[-1] > 3 * sizes[0]
    nodes = [row["graph_nodes"] for row in d["swell"]]
    assert nodes == [3, 6, 9]  # AD: linear in k


@pytest.mark.parametrize("sub", ["demo", "explain", "fdcheck", "compare"])
def test_help_has_example(sub, capsys):
    with pytest.raises(SystemExit) as e:
        main([sub, "--help"])
    out = capsys.readouterr().out
    assert e.value.code == 0 and "example:" in out and "--json" in out


def test_compare_without_sympy(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "sympy", None)
    assert main(["compare", "sin(x)", "--at", "x=1", "--k", "2"]) == 0
    out = capsys.readouterr().out
    assert "pip install 'chainrule[symbolic]'" in out and "AD reverse" in out


# ---- hostile input: bounded size, depth, time and memory (issue 10, item 12) ------------
def _nest(fn, k, inner="x"):
    return f"{fn}(" * k + inner + ")" * k


@pytest.mark.parametrize("expr, at", [
    (_nest("exp", 40), "x=1"),
    ("**".join(["x"] * 9), "x=1.1"),
    (_nest("tanh", 150), "x=0.5"),
    ("+".join(["x"] * 1000), "x=1"),
])
def test_compare_on_hostile_expressions_finishes_with_a_clear_answer(expr, at):
    r = run("compare", expr, "--at", at, timeout=20)   # generous guard: it used to run > 90 s
    assert "Traceback" not in r.stderr and "RecursionError" not in r.stderr
    if r.returncode == 0:
        assert "AD reverse" in r.stdout
    else:
        assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1
        assert "limit" in r.stderr or "within" in r.stderr or "nested too deeply" in r.stderr


def test_size_and_depth_limits_are_named(capsys):
    assert main(["compare", "+".join(["x"] * 1000), "--at", "x=1"]) == 2
    assert "more than 100 levels" in capsys.readouterr().err
    assert main(["explain", _nest("tanh", 150), "--at", "x=1"]) == 2
    assert "nested too deeply" in capsys.readouterr().err
    def balanced(n):  # a wide, shallow sum: n leaves, 2n - 1 nodes, depth log2(n)
        return "x" if n == 1 else f"({balanced(n // 2)}+{balanced(n - n // 2)})"
    assert main(["explain", balanced(300), "--at", "x=1"]) == 2
    assert "more than 500 nodes" in capsys.readouterr().err


def test_swell_stops_at_the_tree_size_bound(capsys):
    assert main(["compare", "**".join(["x"] * 9), "--at", "x=1.1", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert len(d["swell"]) < 5 and "left out" in d["swell_note"]


def test_symbolic_step_time_and_memory_limits(monkeypatch, capsys):
    pytest.importorskip("sympy")
    import importlib
    compare_mod = importlib.import_module("chainrule.explain.compare")
    # SymPy's tanh constructor is exponential in the nesting: 12 levels take minutes
    assert main(["compare", _nest("tanh", 12), "--at", "x=0.5",
                 "--symbolic-timeout", "1"]) == 2
    err = capsys.readouterr().err
    assert "did not finish within 1 s" in err and "--symbolic-timeout" in err
    if not os.path.exists("/proc/self/statm"):
        pytest.skip("the memory cap is set where /proc tells the size used (Linux)")
    # No headroom at all: whether 1 MB suffices depends on the free space the imports left.
    monkeypatch.setattr(compare_mod, "SYMBOLIC_MEMORY_MB", 0)
    assert main(["compare", "**".join(["x"] * 9), "--at", "x=1.1"]) == 2
    assert "memory budget" in capsys.readouterr().err


@pytest.mark.parametrize("args, message", [
    (["compare", "sin(x, x)", "--at", "x=1"], "sin takes one argument, got 2"),
    (["explain", "arctan2(x)", "--at", "x=1"], "arctan2 takes two arguments, got 1"),
    (["explain", "x * y", "--at", "x=1,y=2"], "--at x=1 y=2"),
    (["explain", "x", "--at", "x=1,5"], "write decimals with '.'"),
    (["explain", "x", "--at", "x=arctan2(1, 2)"], None),
])
def test_arity_and_at_syntax_messages(args, message, capsys):
    rc = main(args)
    err = capsys.readouterr().err
    if message is None:
        assert rc == 0, err
        return
    assert rc == 2 and message in err and "Maybe you meant" not in err
    assert "ArrayType" not in err and len(err.strip().splitlines()) == 1
