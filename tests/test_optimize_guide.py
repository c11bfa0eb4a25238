"""docs/optimize.md runs as written, and its fits succeed."""

import pathlib

import numpy as np
import pytest

scipy = pytest.importorskip("scipy")

GUIDE = pathlib.Path(__file__).resolve().parents[1] / "docs" / "optimize.md"


def test_the_guide_runs(tmp_path, monkeypatch):
    from test_docs import run_doc   # the docs' runner: every block, shown output compared
    monkeypatch.chdir(tmp_path)
    env = run_doc(GUIDE)
    assert env["result"].fun < 0.01
    assert set(env["trained"]) == {"W1", "b1", "W2", "b2"}
    assert env["fit"].success
    w, true_w = env["mode"]["w"], env["true_w"]
    assert w @ true_w / np.linalg.norm(w) / np.linalg.norm(true_w) > 0.95
    assert np.linalg.norm(env["fun_post"](env["fit"].x)[1]) < 1e-4   # a stationary point
    # The gradient SciPy was fed agrees with finite differences at the mode's start.
    from scipy.optimize import check_grad
    err = check_grad(lambda v: env["fun_post"](v)[0], lambda v: env["fun_post"](v)[1],
                     env["z0"] + 0.1)
    assert err < 1e-4
