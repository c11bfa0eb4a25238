"""The notebooks in docs/notebooks/ run, cell by cell, and show what they really print.

Jupyter is not needed: the code cells run in order in one namespace, as a kernel would run them
(the value of a cell's last expression is its result), and each cell's stored outputs are
compared with what it produces now: printed text and ``text/plain`` results with numbers to
1e-12 relative (the docs' rule, ``test_docs.NumbersChecker``); an ``image/svg+xml`` result (an
object with ``_repr_svg_``, the way Jupyter draws it) must be a well-formed SVG picture.

After changing a notebook, refresh its stored outputs with
``python tests/test_notebooks.py docs/notebooks/tour.ipynb``.
"""

import ast
import contextlib
import io
import json
import pathlib
import sys
import xml.etree.ElementTree as ET

import pytest

from test_docs import ROOT, _same_numbers

NOTEBOOKS = sorted((ROOT / "docs" / "notebooks").glob("*.ipynb"))


def run_cell(source, namespace, name):
    """Outputs of one code cell, in nbformat's shape (stream, then execute_result)."""
    tree = ast.parse(source, name)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(tree, name, "exec"), namespace)  # noqa: S102  (our own notebook)
        value = eval(compile(ast.Expression(last.value), name, "eval"), namespace) if last else None
    outputs = []
    if out.getvalue():
        outputs.append({"output_type": "stream", "name": "stdout", "text": out.getvalue()})
    if value is not None:
        data = {"text/plain": repr(value)}
        if hasattr(value, "_repr_svg_"):
            data["image/svg+xml"] = value._repr_svg_()
        outputs.append({"output_type": "execute_result", "data": data, "metadata": {}})
    return outputs


def run_notebook(path):
    """Run every code cell of a notebook; yields (cell, fresh outputs)."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    namespace = {"__name__": "__main__"}
    for k, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "code":
            yield cell, run_cell("".join(cell["source"]), namespace, f"{path.name}[{k}]")


def _text(x):
    return "".join(x) if isinstance(x, list) else x


def assert_same_outputs(stored, fresh, where):
    assert [o["output_type"] for o in stored] == [o["output_type"] for o in fresh], where
    for s, f in zip(stored, fresh):
        if s["output_type"] == "stream":
            got, want = f["text"], _text(s["text"])
        else:
            assert set(s["data"]) == set(f["data"]), where
            got, want = f["data"]["text/plain"], _text(s["data"]["text/plain"])
            if "image/svg+xml" in f["data"]:
                for svg in (f["data"]["image/svg+xml"], _text(s["data"]["image/svg+xml"])):
                    root = ET.fromstring(svg)
                    assert root.tag.endswith("svg") and len(list(root.iter())) > 5, where
                continue   # the picture's layout may change; its being a picture may not
        assert got == want or _same_numbers(want, got), f"{where}: shown\n{want}\nnow\n{got}"


def test_there_is_a_tour():
    assert ROOT / "docs" / "notebooks" / "tour.ipynb" in NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_as_shown(path, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    cells = 0
    for cell, fresh in run_notebook(path):
        cells += 1
        where = f"{path.name}, code cell {cells}: {''.join(cell['source'])[:60]!r}"
        assert all(o["output_type"] != "error" for o in cell["outputs"]), where
        assert_same_outputs(cell["outputs"], fresh, where)
    assert cells >= 5


def write_outputs(path):
    """Store fresh outputs in the notebook (the maintainers' refresh)."""
    path = pathlib.Path(path).resolve()
    nb = json.loads(path.read_text(encoding="utf-8"))
    fresh = iter(out for _, out in run_notebook(path))
    count = 0
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            count += 1
            cell["outputs"] = next(fresh)
            cell["execution_count"] = count
            for o in cell["outputs"]:
                if o["output_type"] == "execute_result":
                    o["execution_count"] = count
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    for name in sys.argv[1:]:
        write_outputs(name)
