"""Review of vmap, solvers, checkpointing and custom rules against loops, closed forms and
central differences (review4)."""
import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp


def _central(f, x, h=1e-6):
    x = np.asarray(x, dtype=float)
    out = []
    for i in range(x.size):
        e = np.zeros_like(x)
        e.flat[i] = h
        out.append((np.asarray(f(x + e)) - np.asarray(f(x - e))) / (2 * h))
    return np.stack(out, axis=-1).reshape(np.shape(f(x)) + x.shape)


# ---- vmap over zero examples: a reshape with -1 (ravel, prod's rule) is ambiguous to NumPy ----
@pytest.mark.parametrize("f", [lambda a: a.reshape(-1), lambda a: cnp.ravel(a),
                               lambda a: a.reshape(2, -1)])
def test_vmap_reshape_minus_one_with_zero_examples(f):
    x = np.zeros((0, 4))
    expected = np.asarray(f(np.zeros(4))).shape
    assert cr.vmap(f)(x).shape == (0,) + expected
    assert np.array_equal(cr.vmap(f)(np.arange(8.0).reshape(2, 4)),
                          np.stack([f(r) for r in np.arange(8.0).reshape(2, 4)]))


def test_vmap_grad_of_prod_with_zero_and_one_examples():
    g = lambda v: cnp.sum(cnp.sin(v) ** 3) * cnp.prod(v)
    assert cr.vmap(cr.grad(g))(np.zeros((0, 4))).shape == (0, 4)
    assert cr.vmap(cr.hessian(g))(np.zeros((0, 4))).shape == (0, 4, 4)
    x = np.array([[0.3, -0.7, 1.1, 0.5]])
    closed = lambda v: (3 * np.sin(v) ** 2 * np.cos(v) * np.prod(v)
                        + np.sum(np.sin(v) ** 3) * np.prod(v) / v)
    assert np.allclose(cr.vmap(cr.grad(g))(x), closed(x[0])[None], rtol=1e-12)


def test_vmap_reshape_bad_minus_one_still_raises():
    with pytest.raises(ValueError):
        cr.vmap(lambda a: a.reshape(3, -1))(np.zeros((2, 4)))


# ---- checkpoint with keyword arguments (raised "<lambda>() got an unexpected keyword 'k'") ----
def test_checkpoint_passes_keyword_arguments_and_differentiates_them():
    W = np.array([0.3, 0.7])
    f = lambda W, k=2, s=1.0: s * W ** k
    assert np.array_equal(cr.checkpoint(f)(W, k=3), W ** 3)
    assert np.allclose(cr.grad(lambda W: cnp.sum(cr.checkpoint(f)(W, k=3)))(W), 3 * W ** 2,
                       rtol=1e-14)
    # a differentiated keyword value: d/ds sum(s W^3) and d2/ds2 of sum(s^2 W^3)
    assert np.isclose(cr.grad(lambda s: cnp.sum(cr.checkpoint(f)(W, k=3, s=s)))(2.0),
                      np.sum(W ** 3), rtol=1e-14)
    assert np.isclose(cr.hessian(lambda s: cnp.sum(cr.checkpoint(f)(W, k=3, s=s ** 2)))(2.0),
                      2 * np.sum(W ** 3), rtol=1e-14)
    assert np.allclose(cr.jacfwd(lambda W: cnp.sum(cr.checkpoint(f)(W, k=3)))(W), 3 * W ** 2,
                       rtol=1e-14)
