"""Run HIPS autograd's own example programs on chainrule.autograd, with only the imports changed.

Fetches autograd's source distribution from PyPI with pip (its ``examples/`` folder), unpacks it
into a temporary directory, rewrites the import lines (``import autograd.numpy as np`` becomes
``import chainrule.autograd.numpy as np``; nothing else changes) and runs each example there in a
subprocess, with ``MPLBACKEND=Agg`` (``plt.pause`` does not sleep), NumPy's global generator
seeded (0) and a time limit.
Prints one row per example: ran, failed (with the last line of the error), timed out, or needs
data (examples that download MNIST are not run unless ``--with-data`` is given).

With ``--compare`` it also runs the unmodified example with HIPS autograd (install the ``bench``
extra, or give ``--original-python``) and compares the numbers the two print, token by token,
within ``--rtol``.

    python tools/autograd_examples.py                    # the table
    python tools/autograd_examples.py --compare          # and the numbers against HIPS autograd
    python tools/autograd_examples.py --only rosenbrock tanh --timeout 60
    python tools/autograd_examples.py --alias --compare --only rnn   # unmodified files

Nothing is written outside the temporary directory, which is removed at the end (``--keep``
keeps it and prints where it is). Needs network access to PyPI unless ``--sdist`` names an
already downloaded ``autograd-<version>.tar.gz``.
"""

import argparse
import ast
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

#: Local helper modules, imported by the examples, not examples themselves.
HELPERS = {"__init__.py", "data.py", "data_mnist.py"}
#: Source text that means the example downloads a data set (MNIST) when it runs.
NEEDS_DATA = ("load_mnist", "data_mnist")
#: Runs the example as a script after seeding NumPy's global generator, so that examples that
#: draw from ``npr.randn`` without a seed print the same numbers on both libraries, and with
#: ``plt.pause`` not sleeping (the animations of the examples pause at every iteration; under
#: the Agg backend nothing is shown).
SEEDED_RUN = """import sys, runpy, numpy
numpy.random.seed(0)
try:
    import matplotlib.pyplot
    matplotlib.pyplot.pause = lambda interval: None
except ImportError:
    pass
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name='__main__')
"""
#: With ``--alias``: the unmodified file runs, ``autograd`` and its submodules being
#: chainrule.autograd's (for the examples that train on their own source text, which the
#: rewrite of the imports changes: rnn, lstm, hmm_em).
ALIAS = """import importlib, importlib.abc, importlib.util, sys
class _Alias(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, name, path, target=None):
        if name == "autograd" or name.startswith("autograd."):
            return importlib.util.spec_from_loader(name, self)
    def create_module(self, spec):
        return importlib.import_module("chainrule." + spec.name)
    def exec_module(self, module):
        pass
sys.meta_path.insert(0, _Alias())
"""
NUMBER = re.compile(r"(?<![\w.])[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?|[-+]?(?:nan|inf)\b")


def fetch_sdist(version, dest):
    """Download autograd's sdist with pip into ``dest``; the archive's path."""
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
           f"autograd=={version}", "-d", str(dest)]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    found = sorted(Path(dest).glob(f"autograd-{version}.tar.gz"))
    if not found:
        raise SystemExit(f"pip did not leave autograd-{version}.tar.gz in {dest}")
    return found[0]


def unpack_examples(sdist, dest):
    """Extract the sdist's examples/ folder under ``dest``; its path."""
    with tarfile.open(sdist) as tar:
        members = [m for m in tar.getmembers() if "/examples/" in m.name]
        if hasattr(tarfile, "data_filter"):   # refuse links and absolute paths
            tar.extractall(dest, members=members, filter="data")
        else:
            tar.extractall(dest, members=[m for m in members if m.isfile() or m.isdir()])
    found = sorted(Path(dest).glob("*/examples"))
    if not found:
        raise SystemExit(f"{sdist} has no examples/ folder")
    return found[0]


def _rewrite_import(node, indent):
    """The chainrule version of one ``import autograd...`` statement, on one line."""
    parts, plain = [], []
    for alias in node.names:
        if alias.name != "autograd" and not alias.name.startswith("autograd."):
            plain.append(alias.name + (f" as {alias.asname}" if alias.asname else ""))
        elif alias.asname:
            parts.append(f"import chainrule.{alias.name} as {alias.asname}")
        else:   # `import autograd.numpy` binds the name `autograd`
            if alias.name != "autograd":
                parts.append(f"import chainrule.{alias.name}")
            parts.append("import chainrule.autograd as autograd")
    if plain:
        parts.insert(0, "import " + ", ".join(plain))
    return indent + "; ".join(parts)


def rewrite_imports(source):
    """``source`` with every import of autograd turned into one of chainrule.autograd; the
    other lines unchanged. Returns (text, number of statements rewritten)."""
    lines = source.splitlines(keepends=True)
    count = 0
    for node in sorted(ast.walk(ast.parse(source)), key=lambda n: -getattr(n, "lineno", 0)):
        first = getattr(node, "lineno", 0) - 1
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 and (
                node.module == "autograd" or node.module.startswith("autograd.")):
            line = lines[first]
            at = line.index("autograd", line.index("from") + 4)
            lines[first] = line[:at] + "chainrule." + line[at:]
            count += 1
        elif isinstance(node, ast.Import) and any(
                a.name == "autograd" or a.name.startswith("autograd.") for a in node.names):
            last = node.end_lineno - 1
            indent = lines[first][:len(lines[first]) - len(lines[first].lstrip())]
            ending = lines[last][len(lines[last].rstrip("\r\n")):]
            tail = lines[last].rstrip("\r\n")[node.end_col_offset:]   # a comment, a `; x = 1`
            lines[first:last + 1] = [_rewrite_import(node, indent) + tail + ending]
            count += 1
    return "".join(lines), count


def rewrite_tree(folder):
    """Rewrite the imports of every .py file under ``folder`` in place."""
    for path in folder.rglob("*.py"):
        text, _ = rewrite_imports(path.read_text())
        path.write_text(text)


def list_examples(folder):
    return sorted(p for p in folder.rglob("*.py") if p.name not in HELPERS)


def needs_data(path):
    text = path.read_text()
    return any(marker in text for marker in NEEDS_DATA)


def run_one(python, path, timeout, extra_path=(), alias=False):
    """Run one example; (status, detail, stdout, seconds)."""
    # Unbuffered: what an example printed before its time ran out is compared too.
    env = dict(os.environ, MPLBACKEND="Agg", PYTHONHASHSEED="0", PYTHONUNBUFFERED="1")
    if extra_path:
        env["PYTHONPATH"] = os.pathsep.join([*extra_path, env.get("PYTHONPATH", "")])
    start = time.perf_counter()
    try:
        code = ALIAS + SEEDED_RUN if alias else SEEDED_RUN
        done = subprocess.run([python, "-c", code, path.name], cwd=path.parent, env=env,
                              timeout=timeout,
                              stdin=subprocess.DEVNULL, capture_output=True, text=True)
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode(errors="replace") if isinstance(e.stdout, bytes) else e.stdout
        return "timed out", f"after {timeout:g} s", out or "", time.perf_counter() - start
    seconds = time.perf_counter() - start
    if done.returncode == 0:
        return "ran", "", done.stdout, seconds
    errors = [line for line in done.stderr.splitlines() if line and not line.startswith(" ")]
    detail = errors[-1] if errors else f"exit status {done.returncode}"
    return "failed", detail, done.stdout, seconds


def compare_numbers(ours, theirs, rtol, atol=1e-9):
    """'same N numbers', or where the printed numbers first differ and by how much at most."""
    a, b = NUMBER.findall(ours), NUMBER.findall(theirs)
    n = min(len(a), len(b))
    first, worst = None, 0.0
    for i in range(n):
        x, y = float(a[i]), float(b[i])
        if x == y or (x != x and y != y) or abs(x - y) <= atol:   # equal, both nan, near 0
            continue
        scale = max(abs(x), abs(y))
        # one side nan (max(0.0, nan) is 0.0: the division raised ZeroDivisionError)
        gap = abs(x - y) / scale if scale > 0 and x == x and y == y else float("inf")
        worst = max(worst, gap)
        if first is None and not abs(x - y) <= atol + rtol * max(abs(x), abs(y)):
            first = i
    if first is not None:
        return (f"differ from number {first + 1} of {n} ({a[first]} vs {b[first]}); "
                f"largest relative gap {worst:.1e}")
    if len(a) != len(b):
        return f"first {n} numbers agree; {len(a)} printed vs {len(b)}"
    return f"same {n} numbers" + (f" (within {worst:.0e})" if worst else "") if n else \
        "no numbers printed"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--version", default="1.9.1", help="autograd's version (1.9.1)")
    parser.add_argument("--sdist", help="an autograd-<version>.tar.gz already downloaded")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per example")
    parser.add_argument("--only", nargs="*", help="example names (without .py) to run")
    parser.add_argument("--with-data", action="store_true",
                        help="also run the examples that download MNIST")
    parser.add_argument("--compare", action="store_true",
                        help="also run the originals with HIPS autograd and compare numbers")
    parser.add_argument("--original-python", default=sys.executable,
                        help="the interpreter that has HIPS autograd (this one)")
    parser.add_argument("--rtol", type=float, default=1e-6,
                        help="relative tolerance for --compare")
    parser.add_argument("--atol", type=float, default=1e-9,
                        help="absolute tolerance for --compare (printed residuals near 0)")
    parser.add_argument("--alias", action="store_true",
                        help="run the unmodified files with autograd aliased to "
                             "chainrule.autograd instead of rewriting the imports")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args(argv)

    here = Path(__file__).resolve().parent.parent / "src"
    extra = [str(here)] if (here / "chainrule").is_dir() else []
    tmp = Path(tempfile.mkdtemp(prefix="chainrule-autograd-examples-"))
    try:
        sdist = Path(args.sdist) if args.sdist else fetch_sdist(args.version, tmp / "sdist")
        original = unpack_examples(sdist, tmp / "original")
        ported = tmp / "chainrule" / "examples"
        shutil.copytree(original, ported)
        rewrite_tree(ported)
        if args.compare:
            check = subprocess.run([args.original_python, "-c", "import autograd"],
                                   capture_output=True)
            if check.returncode:
                raise SystemExit("--compare needs HIPS autograd: pip install -e '.[bench]' "
                                 "or --original-python")
        rows = []
        for path in list_examples(ported):
            name = str(path.relative_to(ported))[:-3]
            if args.only and name not in args.only and path.stem not in args.only:
                continue
            if needs_data(path) and not args.with_data:
                rows.append((name, "needs data", "downloads MNIST (--with-data runs it)", ""))
                print(f"{name}: needs data", file=sys.stderr)
                continue
            if args.alias:   # the unmodified file, autograd's names being chainrule's
                status, detail, out, sec = run_one(sys.executable,
                                                   original / path.relative_to(ported),
                                                   args.timeout, extra, alias=True)
            else:
                status, detail, out, sec = run_one(sys.executable, path, args.timeout, extra)
            numbers = ""
            if args.compare:
                o_status, o_detail, o_out, o_sec = run_one(
                    args.original_python, original / path.relative_to(ported), args.timeout)
                if status == o_status == "ran":
                    numbers = compare_numbers(out, o_out, args.rtol, args.atol)
                elif status == o_status == "timed out":   # what both printed in the time
                    numbers = "autograd timed out too; " + compare_numbers(
                        out, o_out, args.rtol, args.atol)
                else:
                    numbers = f"autograd: {o_status} {o_detail}".rstrip()
                numbers += f" ({sec:.1f} s vs {o_sec:.1f} s)"
            elif status == "ran":
                detail = f"{sec:.1f} s"
            rows.append((name, status, detail, numbers))
            print(f"{name}: {status} {detail} {numbers}", file=sys.stderr)
        print(f"\nautograd {args.version} examples on chainrule.autograd "
              f"({'autograd aliased to it' if args.alias else 'only the imports changed'})\n")
        head = ["example", "result", "detail"] + (["numbers vs HIPS autograd"] if args.compare
                                                  else [])
        print("| " + " | ".join(head) + " |")
        print("|" + "---|" * len(head))
        for name, status, detail, numbers in rows:
            cells = [f"`{name}`", status, detail.replace("|", "\\|")]
            if args.compare:
                cells.append(numbers)
            print("| " + " | ".join(cells) + " |")
        counts = {s: sum(r[1] == s for r in rows) for s in dict.fromkeys(r[1] for r in rows)}
        print("\n" + ", ".join(f"{v} {k}" for k, v in counts.items()))
        return 0
    finally:
        if args.keep:
            print(f"kept {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
