"""A sum's (a mean's) cotangent is one value broadcast: the NaN-safe product of the first rule
after it skips its NaN test (a pass over the result) where that value is finite and nonzero.
The gradients must be those of the NaN-safe path, bit for bit, also with nan, inf and 0 in x."""

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp
import chainrule.primitives.elementwise as E

FUNCTIONS = {
    "sqrt-abs": lambda x: cnp.sum(cnp.sqrt(cnp.abs(x))),
    "where-sqrt": lambda x: cnp.sum(cnp.where(x > 0, cnp.sqrt(x), 0.0)),
    "square": lambda x: cnp.sum(x ** 2),
    "mean-log": lambda x: cnp.mean(cnp.log(x)),
    "scaled-quotient": lambda x: 3.0 * cnp.sum(cnp.exp(x) / x),
    "half-power": lambda x: cnp.sum(x ** 0.5),
    "zero-seed": lambda x: 0.0 * cnp.sum(cnp.log(x)),      # a zero cotangent: zero wins
    "inf-seed": lambda x: cnp.sum(cnp.sqrt(x)) * np.inf,    # an infinite one: not skipped
}


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_skipped_nan_test_gives_the_checked_gradient(name, dtype, monkeypatch):
    x = np.linspace(-2.0, 2.0, 2 * E._UNIFORM_MIN, dtype=dtype)
    x[[3, 4, 5, 6]] = [np.nan, np.inf, 0.0, -np.inf]
    f = FUNCTIONS[name]
    with np.errstate(all="ignore"):
        got = cr.grad(f)(x)
        monkeypatch.setattr(E, "_UNIFORM_MIN", 10 ** 12)   # always the NaN test
        want = cr.grad(f)(x)
    assert got.dtype == want.dtype == dtype
    np.testing.assert_array_equal(got, want)
    assert got.flags.writeable and got.base is None          # the caller's own array


def test_the_broadcast_test_itself():
    big = np.broadcast_to(np.float64(2.5), (3, 4))
    assert E._finite_nonzero_broadcast(big)
    assert not E._finite_nonzero_broadcast(np.broadcast_to(np.float64(0.0), (3,)))
    assert not E._finite_nonzero_broadcast(np.broadcast_to(np.float64(np.nan), (3,)))
    assert not E._finite_nonzero_broadcast(np.broadcast_to(np.float64(-np.inf), (3,)))
    assert not E._finite_nonzero_broadcast(np.ones(3))           # strides, not values
    assert not E._finite_nonzero_broadcast(np.float64(2.0))      # a scalar: nothing to skip
    assert not E._finite_nonzero_broadcast(2.0)
