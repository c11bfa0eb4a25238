"""Small things users reach for: --version, help texts, SVG plots, progress, cr.tree.map, cnp.at."""

import pathlib
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp
from chainrule.explain.cli import main, build_parser

ROOT = pathlib.Path(__file__).resolve().parents[1]


def test_version_flag_matches_the_package_metadata(capsys):
    declared = re.search(r'^version = "([^"]+)"', (ROOT / "pyproject.toml").read_text(), re.M)
    assert declared and cr.__version__ == declared.group(1)
    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out.strip() == f"chainrule {cr.__version__}"
    r = subprocess.run([sys.executable, "-m", "chainrule", "--version"], capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 0 and r.stdout.strip() == f"chainrule {cr.__version__}"


def test_every_option_of_every_command_says_what_it_does():
    parser = build_parser()
    commands = next(a for a in parser._actions if a.dest == "command").choices
    for name, sub in commands.items():
        for action in sub._actions:
            assert action.help, f"chainrule {name} {action.option_strings or action.dest}: no help"
    explain_help = commands["explain"].format_help()
    assert "adjoints, all inputs at once" in explain_help and "--mode" in explain_help


def test_fdcheck_plot_as_svg(tmp_path, monkeypatch, capsys):
    pytest.importorskip("matplotlib")
    monkeypatch.chdir(tmp_path)
    assert main(["fdcheck", "exp(x)", "--at", "x=1", "--plot", "fd.svg"]) == 0
    root = ET.parse(tmp_path / "fd.svg").getroot()
    assert root.tag.endswith("svg") and len(list(root.iter())) > 50   # a drawing, not a stub
    assert f"plot written to {tmp_path / 'fd.svg'}" in capsys.readouterr().out


def test_fdcheck_plot_refuses_other_formats(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["fdcheck", "exp(x)", "--at", "x=1", "--plot", "fd.pdf"]) == 2
    assert ".png or .svg" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_fdcheck_verbose_reports_progress_on_stderr(capsys):
    assert main(["fdcheck", "exp(x)", "--at", "x=1", "--json", "--verbose"]) == 0
    out, err = capsys.readouterr()
    progress = [ln for ln in err.splitlines() if ln.startswith("fdcheck: ")]
    assert [ln.split(":")[1].strip() for ln in progress] == ["float64", "float32"]
    assert out.lstrip().startswith("{")            # stdout stays JSON
    assert main(["fdcheck", "exp(x)", "--at", "x=1", "--json"]) == 0
    assert capsys.readouterr().err == ""           # quiet by default


def test_tree_map_has_jax_spelling():
    a, b = {"w": np.ones(2), "b": [1.0, None]}, {"w": np.full(2, 3.0), "b": [2.0, None]}
    got = cr.tree.map(lambda u, v: u * v, a, b)
    assert got["b"] == [2.0, None] and np.array_equal(got["w"], [3.0, 3.0])
    assert cr.tree.map(lambda u: u + 1, [1.0, (2.0,)]) == cr.tree.tree_map(lambda u: u + 1, [1.0, (2.0,)])
    with pytest.raises(ValueError, match="different structures"):
        cr.tree.map(lambda u, v: u, {"w": 1.0}, {"v": 1.0})


def bump(x):
    """The idiom the docs teach: cnp.at works on plain and on traced arrays."""
    return cnp.at(x)[1].add(2.0 * x[0])


def test_cnp_at_works_on_plain_and_traced_arrays():
    x = np.array([3.0, 1.0, 0.0])
    before = x.copy()
    np.testing.assert_array_equal(bump(x), [3.0, 7.0, 0.0])
    np.testing.assert_array_equal(x, before)                       # a copy, not in place
    loss = lambda x: cnp.sum(bump(x) ** 2)                         # noqa: E731
    g_closed = np.array([2 * 3.0 + 2 * 7.0 * 2.0, 2 * 7.0, 0.0])   # d/dx of x0² + (x1+2x0)² + x2²
    np.testing.assert_allclose(cr.grad(loss)(x), g_closed, rtol=1e-15)
    np.testing.assert_allclose(cr.jacfwd(loss)(x), g_closed, rtol=1e-15)
    cr.check_grads(loss, (x,), order=2, modes=("fwd", "rev"))
    # x.at is the spelling of traced arrays: under a transform it is the same update
    np.testing.assert_allclose(cr.grad(lambda x: cnp.sum(x.at[1].add(2.0 * x[0]) ** 2))(x),
                               g_closed, rtol=1e-15)
