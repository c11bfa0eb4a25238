"""NumPy is the only runtime requirement: ``import chainrule`` and every namespace import with
SciPy, Dask, array-api-compat, matplotlib, numexpr and CuPy unimportable, and never imports
SciPy itself (half a second of import time). A module that called SciPy while being imported
(scipy.linalg's constructors, registered at import) made ``import chainrule`` fail without it."""

import os
import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent("""
    import sys, importlib.abc
    BLOCK = ("scipy", "dask", "distributed", "array_api_compat", "array_api_strict",
             "matplotlib", "numexpr", "cupy")

    class Block(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path, target=None):
            if name.split(".")[0] in BLOCK:
                raise ImportError(f"{name} is not installed (blocked by the test)")

    sys.meta_path.insert(0, Block())
    import chainrule as cr, chainrule.numpy as cnp
    import chainrule.scipy.special, chainrule.scipy.stats, chainrule.scipy.linalg
    import chainrule.scipy.fft, chainrule.scipy.integrate, chainrule.scipy.signal
    import chainrule.scipy.ndimage, chainrule.scipy.interpolate, chainrule.scipy.sparse.linalg
    g = cr.grad(lambda x, y: (x + y) * cnp.sin(y), argnums=(0, 1))(1.0, cnp.pi / 2)
    print(round(float(g[0]), 12), round(float(g[1]), 12))
    print(float(cr.grad(cnp.i0)(1.0)))
    try:
        chainrule.scipy.special.gammaln(2.0)
    except ImportError as e:
        print("clear:", e)
""")


def _run(script):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [os.path.join(os.path.dirname(__file__), "..", "src"), os.environ.get("PYTHONPATH", "")]))
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env=env, timeout=120)


def test_chainrule_imports_and_differentiates_with_numpy_alone():
    out = _run(SCRIPT)
    assert out.returncode == 0, out.stderr[-2000:]
    lines = out.stdout.splitlines()
    assert lines[0] == "1.0 1.0"
    assert abs(float(lines[1]) - 0.565159103992485) < 1e-12          # I1(1)
    assert lines[2].startswith("clear:") and "pip install" in lines[2]


def test_import_chainrule_does_not_import_scipy():
    out = _run("import sys, chainrule, chainrule.numpy, chainrule.scipy.linalg\n"
               "print('scipy' in sys.modules)")
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "False"
