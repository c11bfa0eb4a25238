"""docs/optimize.md runs as written, and its fits succeed."""

import pathlib
import re

import numpy as np
import pytest

scipy = pytest.importorskip("scipy")

GUIDE = pathlib.Path(__file__).resolve().parents[1] / "docs" / "optimize.md"


def test_the_guide_runs(capsys):
    blocks = re.findall(r"```python\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)
    assert len(blocks) == 2
    env = {}
    for block in blocks:
        exec(compile(block, str(GUIDE), "exec"), env)  # noqa: S102  (our own documentation)
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
    assert capsys.readouterr().out.startswith("True")
