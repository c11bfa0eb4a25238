"""The documentation runs: every code block of README.md, CONTRIBUTING.md and docs/*.md.

The convention (CONTRIBUTING.md, "Docs that stay true"):

* Every fenced block names its language. A ```python block runs; the blocks of one file share
  one namespace, in order, like a notebook. Where a block shows results, it is written in
  doctest style (``>>> expr`` followed by what Python prints) and the printed text is compared,
  with numbers matched to 1e-12 relative (:class:`NumbersChecker`), so a last-bit difference of a
  platform's libm does not fail a doc that shows the value that really comes out.
* A ```text block right after ``<!-- output of: chainrule ARGS -->`` is the output of that
  command, run here in-process and compared line by line; ``<!-- lines of: chainrule ARGS -->``
  marks a trimmed copy (each shown line appears in the real output, in order);
  ``<!-- table of: chainrule ARGS -->`` compares the table with every number masked (for output
  whose digits are rounding errors, which differ between machines).
* ```bash blocks are not run, except their ``chainrule``/``python -m chainrule`` commands, which
  are run in-process in a temporary directory and must exit with status 0.
* ```text blocks without a marker are illustrations (diagrams, formulas, a warning's wording).
* ``<!-- skip: reason -->`` right before a block: not run; the skips are listed and counted.

Everything runs in a temporary working directory, so a doc that writes a file never writes into
the checkout.
"""

import contextlib
import doctest
import io
import pathlib
import re
import shlex

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", ROOT / "CONTRIBUTING.md"] + sorted((ROOT / "docs").glob("*.md"))
RELATIVE = 1e-12
MAX_SKIPS = 6
LANGUAGES = {"python", "text", "bash"}

FENCE = re.compile(r"^```(\S*)\s*$")
MARKER = re.compile(r"^<!--\s*(skip|output of|lines of|table of):\s*(.*?)\s*-->\s*$")
NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?")


class Block:
    def __init__(self, path, line, lang, text, marker):
        self.path, self.line, self.lang, self.text = path, line, lang, text
        self.kind, self.arg = marker or (None, None)

    def __repr__(self):
        name = self.path.relative_to(ROOT) if ROOT in self.path.parents else self.path.name
        return f"{name}:{self.line} ({self.lang})"


def blocks_of(path):
    """The fenced blocks of a Markdown file, each with the marker comment just above it."""
    lines = path.read_text(encoding="utf-8").split("\n")
    out, i = [], 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        start, lang = i, m.group(1)
        j = i + 1
        while j < len(lines) and lines[j] != "```":
            j += 1
        assert j < len(lines), f"{path.name}:{start + 1}: unclosed code block"
        k = start - 1
        while k >= 0 and not lines[k].strip():
            k -= 1
        marker = MARKER.match(lines[k]) if k >= 0 else None
        out.append(Block(path, start + 1, lang, "\n".join(lines[start + 1:j]) + "\n",
                         marker.groups() if marker else None))
        i = j + 1
    return out


def _same_numbers(want, got):
    a, b = NUMBER.split(want), NUMBER.split(got)
    if len(a) != len(b) or any(x.split() != y.split() for x, y in zip(a, b)):
        return False
    for x, y in zip(NUMBER.findall(want), NUMBER.findall(got)):
        x, y = float(x), float(y)
        if abs(x - y) > RELATIVE * max(abs(x), abs(y)):
            return False
    return True


class NumbersChecker(doctest.OutputChecker):
    """doctest's comparison, then the same text with numbers equal to 1e-12 relative."""

    def check_output(self, want, got, optionflags):
        return (super().check_output(want, got, optionflags)
                or (not want.startswith("Traceback") and _same_numbers(want, got)))


def run_python(block, namespace):
    if ">>> " in block.text:
        test = doctest.DocTestParser().get_doctest(
            block.text, namespace, str(block), str(block.path), block.line)
        test.globs = namespace          # DocTest copies its globals; the file shares one
        runner = doctest.DocTestRunner(
            checker=NumbersChecker(),
            optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
        report = io.StringIO()
        result = runner.run(test, out=report.write, clear_globs=False)
        assert result.failed == 0, f"{block}: shown output differs\n{report.getvalue()}"
    else:
        code = compile(block.text, f"{block.path.name}:{block.line}", "exec")
        exec(code, namespace)  # noqa: S102  (our own documentation)


_RUNS = {}


def cli_output(command):
    """(exit status, stdout) of ``chainrule ARGS``, run in-process (once per command)."""
    if command not in _RUNS:
        _RUNS[command] = _run_cli(command)
    return _RUNS[command]


def _run_cli(command):
    from chainrule.explain.cli import main
    words = shlex.split(command)
    if words[:3] == ["python", "-m", "chainrule"]:
        words = words[3:]
    elif words[:1] == ["chainrule"]:
        words = words[1:]
    else:
        raise AssertionError(f"not a chainrule command: {command!r}")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = main(words)
    return status, out.getvalue()


def check_output_block(block):
    status, real = cli_output(block.arg)
    assert status == 0, f"{block}: {block.arg!r} exited with {status}"
    shown = [ln.rstrip() for ln in block.text.rstrip("\n").split("\n")]
    lines = [ln.rstrip() for ln in real.rstrip("\n").split("\n")]
    if block.kind == "output of":
        assert shown == lines, f"{block}: shown output of {block.arg!r} differs:\n{real}"
    elif block.kind == "table of":
        mask = [NUMBER.sub("#", ln) for ln in lines]
        assert [NUMBER.sub("#", ln) for ln in shown] == mask, f"{block}: differs:\n{real}"
    else:
        rest = iter(lines)
        for ln in shown:   # each shown line appears, in order
            assert any(ln == r for r in rest), f"{block}: {ln!r} is not in the output:\n{real}"


def shell_commands(block):
    """The ``chainrule`` commands of a bash block (a ``pip … &&`` prefix and comments dropped)."""
    for raw in block.text.splitlines():
        for part in raw.split("#")[0].split("&&"):
            part = part.strip()
            if part.startswith(("chainrule ", "python -m chainrule ")) or part == "python -m chainrule":
                yield part


def all_blocks():
    return [b for path in DOCS for b in blocks_of(path)]


def run_doc(path):
    """Run one Markdown file as the tests do (in the current directory); returns its namespace."""
    namespace = {"__name__": "__doc__"}
    for block in blocks_of(path):
        if block.kind == "skip":
            continue
        if block.lang == "python":
            run_python(block, namespace)
        elif block.kind in ("output of", "lines of", "table of"):
            check_output_block(block)
        elif block.lang == "bash":
            for command in shell_commands(block):
                status, _ = cli_output(command)
                assert status == 0, f"{block}: {command!r} exited with {status}"
    return namespace


#: Docs whose own test runs them through :func:`run_doc` and checks more (they run once).
RUN_ELSEWHERE = {"optimize.md": "test_optimize_guide.py"}


@pytest.mark.parametrize("path", [p for p in DOCS if p.name not in RUN_ELSEWHERE],
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_doc_runs_as_shown(path, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)      # whatever a doc writes lands here, never in the checkout
    monkeypatch.setenv("MPLBACKEND", "Agg")
    run_doc(path)


def test_docs_run_elsewhere_do_so():
    for doc, test in RUN_ELSEWHERE.items():
        assert f"run_doc(" in (ROOT / "tests" / test).read_text(encoding="utf-8"), (doc, test)


def test_every_block_says_what_it_is():
    for block in all_blocks():
        assert block.lang in LANGUAGES, (
            f"{block}: a code block names its language ({', '.join(sorted(LANGUAGES))})")
        if block.kind in ("output of", "lines of", "table of"):
            assert block.lang == "text", f"{block}: command output goes in a ```text block"


def test_skipped_blocks_are_few_and_say_why(capsys):
    skipped = [b for b in all_blocks() if b.kind == "skip"]
    for b in skipped:
        assert len(b.arg) > 10, f"{b}: a skip says why"
    with capsys.disabled():
        print(f"\ndocs: {len(skipped)} code block(s) not run: "
              + "; ".join(f"{b} ({b.arg})" for b in skipped))
    assert len(skipped) <= MAX_SKIPS


def test_docs_name_no_path_of_this_machine():
    for path in DOCS + [ROOT / "examples" / "README.md"]:
        text = path.read_text(encoding="utf-8")
        for bad in ("/work/", "/tmp/", "/root/", "/home/", "venv/bin"):
            assert bad not in text, f"{path.name} names {bad!r}: use a path a reader has"


def test_the_checker_compares_numbers_to_1e12_only():
    checker, flags = NumbersChecker(), doctest.NORMALIZE_WHITESPACE
    assert checker.check_output("(1.0, 1.0)\n", "(1.0, 1.0000000000000002)\n", flags)
    assert not checker.check_output("(1.0, 1.0)\n", "(1.0, 1.0000001)\n", flags)
    assert not checker.check_output("(1.0, 1.0)\n", "[1.0, 1.0]\n", flags)
    assert not checker.check_output("1.0\n", "np.float64(1.0)\n", flags)


def test_the_parser_sees_markers_and_languages(tmp_path):
    doc = tmp_path / "d.md"
    doc.write_text("x\n\n<!-- skip: needs a cluster of GPUs -->\n```python\nboom()\n```\n\n"
                   "<!-- output of: chainrule demo -->\n```text\nhi\n```\n```bash\n"
                   "pip install -e . && python -m chainrule demo   # see\n```\n")
    a, b, c = blocks_of(doc)
    assert (a.kind, a.arg, a.lang, a.line) == ("skip", "needs a cluster of GPUs", "python", 4)
    assert (b.kind, b.arg, b.text) == ("output of", "chainrule demo", "hi\n")
    assert list(shell_commands(c)) == ["python -m chainrule demo"]


PATH_IN_DOC = re.compile(r"(?<![\w/.])((?:src/)?chainrule/[\w/]+\.py|tests/\w+\.py|"
                         r"docs/[\w/.-]+\.(?:md|py|png|svg|ipynb)|benchmarks/\w+\.(?:py|md)|"
                         r"examples/\w+\.(?:py|md))")


def test_files_the_docs_name_exist():
    for path in DOCS:
        for name in set(PATH_IN_DOC.findall(path.read_text(encoding="utf-8"))):
            where = ROOT / "src" / name if name.startswith("chainrule/") else ROOT / name
            assert where.exists(), f"{path.name} names {name}, which does not exist"


def indented_code(path):
    """Line numbers of indented code blocks (outside fences, not continuing a list item)."""
    lines, fenced, found = path.read_text(encoding="utf-8").split("\n"), False, []
    for i, line in enumerate(lines):
        if FENCE.match(line):
            fenced = not fenced
        elif (not fenced and i and not lines[i - 1].strip() and line.startswith("    ")
              and line.strip() and not re.match(r"\s*([*-]|\d+\.)\s", _paragraph_start(lines, i))):
            found.append(i + 1)
    return found


def _paragraph_start(lines, i):
    """The first line of the block of text above line i (to tell list continuations)."""
    k = i - 1
    while k >= 0 and not lines[k].strip():
        k -= 1
    while k > 0 and lines[k - 1].strip():
        k -= 1
    return lines[k] if k >= 0 else ""


def test_code_is_fenced_not_indented(tmp_path):
    """An indented code block would escape the runner: code goes in fenced, labelled blocks."""
    for path in DOCS:
        assert indented_code(path) == [], f"{path.name}: indented code block(s); fence them"
    doc = tmp_path / "d.md"
    doc.write_text("Text\n\n    python run.py\n\n* item\n\n    more of the item\n\n"
                   "```python\n\n    x = 1\n```\n")
    assert indented_code(doc) == [3]


def test_the_three_output_markers_compare_what_they_say(tmp_path, monkeypatch):
    real = "title\n\nrow  1.25e-03\nrow  2.50e-03\nlast line\n"
    monkeypatch.setitem(_RUNS, "chainrule fake", (0, real))

    def check(kind, shown):
        doc = tmp_path / "d.md"
        doc.write_text(f"<!-- {kind}: chainrule fake -->\n```text\n{shown}```\n")
        check_output_block(blocks_of(doc)[0])

    check("output of", real)
    check("lines of", "row  1.25e-03\nlast line\n")          # trimmed, in order
    check("table of", real.replace("1.25e-03", "9.99e-09"))  # digits masked, layout not
    for kind, shown in [("output of", real.replace("last", "final")),
                        ("lines of", "last line\nrow  1.25e-03\n"),   # out of order
                        ("lines of", "a line that is not there\n"),
                        ("table of", real.replace("row  1", "row 1"))]:
        with pytest.raises(AssertionError):
            check(kind, shown)


def test_a_doc_showing_a_wrong_result_fails(tmp_path):
    doc = tmp_path / "d.md"
    doc.write_text("```python\nx = 0.1\n```\n\n```python\n>>> x + 0.2\n0.3\n```\n")
    assert run_doc(doc)["x"] == 0.1          # 0.30000000000000004 shown as 0.3: within 1e-12
    doc.write_text("```python\nx = 0.1\n```\n\n```python\n>>> x + 0.2\n0.31\n```\n")
    with pytest.raises(AssertionError, match="shown output differs"):
        run_doc(doc)
