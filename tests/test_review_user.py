"""A demanding new user's review: jit against eager, compositions against closed forms
and central differences, aliasing, edge inputs. Each test names the bug it caught."""

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp


def same(a, b):
    """Equal leaf by leaf, bit for bit (nan equal to nan), with the same types and dtypes."""
    la, ta = cr.tree.flatten(a)
    lb, tb = cr.tree.flatten(b)
    assert ta == tb
    for x, y in zip(la, lb):
        assert type(x) is type(y), (type(x), type(y))
        assert np.result_type(x) == np.result_type(y)
        np.testing.assert_array_equal(x, y)


# ---- jit: an integer index computed from the values (argmax, argsort) -----------------------
# The index stays a variable of the staged program; operations that read it with only
# constants as operands (the transpose of x[i] applied to a constant cotangent, take of a
# constant, a jvp's constant tangent) were computed once at trace time and replayed as
# constants: later calls returned the gradient at the first call's index.
X0 = np.array([0.0, 0.0, 5.0, 0.0])
X1 = np.array([5.0, 0.0, 0.0, 0.0])
W = np.array([10.0, 20.0, 30.0, 40.0])


def onehot(i, n=4, scale=1.0):
    e = np.zeros(n)
    e[i] = scale
    return e


@pytest.mark.parametrize("fun, expected", [
    (cr.grad(lambda x: x[cnp.argmax(x)] * 2), onehot(0, scale=2.0)),
    (cr.grad(lambda x: cnp.take(x, cnp.argmax(x)) * 2), onehot(0, scale=2.0)),
    (cr.grad(lambda x: cnp.sum(cnp.at(x)[cnp.argmax(x)].set(0.0))), 1 - onehot(0)),
    (cr.jacrev(lambda x: x[cnp.argmax(x)]), onehot(0)),
    (cr.jacfwd(lambda x: x[cnp.argmax(x)]), onehot(0)),
    (cr.hessian(lambda x: x[cnp.argmax(x)] ** 2), np.diag(onehot(0, scale=2.0))),
    # sum of the two smallest: x1 = [5, 0, 0, 0] -> elements 1 and 2 (argsort is stable)
    (cr.grad(lambda x: cnp.sum(x[cnp.argsort(x)][:2])), np.array([0.0, 1.0, 1.0, 0.0])),
    # forward values: a constant indexed by a traced index, a constant tangent
    (lambda x: cnp.take(W, cnp.argmax(x)) * x[0], 50.0),
    (lambda x: cnp.sum(cnp.at(cnp.zeros(4))[cnp.argmax(x)].set(1.0) * x), 5.0),
    (lambda x: cr.jvp(lambda x: x[cnp.argmax(x)], (x,), (np.arange(4.0),))[1], 0.0),
])
def test_jit_traced_index_is_read_on_every_call(fun, expected):
    jf = cr.jit(fun)
    jf(X0)                                   # traced where argmax is 2
    np.testing.assert_array_equal(jf(X1), expected)   # replayed where argmax is 0
    same(jf(X1), fun(X1))


def test_jit_traced_index_cotangent_accumulated_in_place():
    # the in-place accumulation of x[i]'s cotangent into an owned one (sum(2x) first)
    f = lambda x: cnp.sum(x * 2.0) + x[cnp.argmax(x)] * 3.0
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=1000), rng.normal(size=1000)
    jg = cr.jit(cr.grad(f))
    jg(a)
    expected = np.full(1000, 2.0)
    expected[np.argmax(b)] += 3.0
    np.testing.assert_array_equal(jg(b), expected)


def test_jit_scatter_set_repeated_index_argument():
    # x.at[i].set(v): only the last of repeated writes survives, so only it gets a
    # cotangent. The mask of last writes was computed from the first call's index and
    # replayed: i = [3, 3] after [0, 1] gave v's gradient 2 instead of 1.
    f = cr.grad(lambda x, i: cnp.sum(cnp.at(cnp.zeros(4))[i].set(x[0] * x[:2])))
    jf = cr.jit(f)
    x = np.arange(1.0, 5.0)
    for i, expected in [([0, 1], [4.0, 1.0, 0, 0]), ([3, 3], [2.0, 1.0, 0, 0]),
                        ([1, 1], [2.0, 1.0, 0, 0]), ([0, 2], [4.0, 1.0, 0, 0])]:
        np.testing.assert_array_equal(jf(x, np.array(i)), expected)
        same(jf(x, np.array(i)), f(x, np.array(i)))
