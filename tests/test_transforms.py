"""The transformations and how they compose: exact values on the worked example,
nesting, Jacobians, pytrees, custom rules, checkpointing, dtypes, and a very
deep chain."""

import collections
import gc
import math
import time
import weakref

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp
from chainrule.core.primitive import Tracer

PI2 = np.pi / 2


def f(x, y):
    return (x + y) * cnp.sin(y)


def fv(v):
    """The worked example on one vector argument."""
    return (v[0] + v[1]) * cnp.sin(v[1])


def hess_analytic(x, y):
    return np.array([[0.0, np.cos(y)],
                     [np.cos(y), 2 * np.cos(y) - (x + y) * np.sin(y)]])


# ---- the worked example -------------------------------------------------------------------
def test_worked_example_value_grad_jvp():
    assert abs(float(f(1.0, PI2)) - 2.5707963267948966) < 1e-12
    gx, gy = cr.grad(f, argnums=(0, 1))(1.0, PI2)
    assert abs(gx - 1.0) < 1e-12 and abs(gy - 1.0) < 1e-12
    v, g = cr.value_and_grad(f, argnums=(0, 1))(1.0, PI2)
    assert abs(v - 2.5707963) < 1e-7 and np.allclose(g, (1.0, 1.0), atol=1e-12, rtol=0)
    out, dx = cr.jvp(f, (1.0, PI2), (1.0, 0.0))
    assert abs(out - 2.5707963267948966) < 1e-12 and abs(dx - 1.0) < 1e-12
    _, dy = cr.jvp(f, (1.0, PI2), (0.0, 1.0))
    assert abs(dy - 1.0) < 1e-12
    # vjp: one backward pass gives both partials
    out, pull = cr.vjp(f, 1.0, PI2)
    assert np.allclose(pull(1.0), (1.0, 1.0), atol=1e-12, rtol=0)


def test_grad_of_grad_and_jvp_of_grad():
    x, y = 1.0, PI2
    H = hess_analytic(x, y)
    d2y = cr.grad(cr.grad(f, argnums=1), argnums=1)(x, y)
    assert abs(d2y - H[1, 1]) < 1e-12
    dxy = cr.grad(cr.grad(f, argnums=0), argnums=1)(x, y)
    assert abs(dxy - H[0, 1]) < 1e-12
    # forward-over-reverse: the jvp of the gradient is a Hessian column
    _, col = cr.jvp(cr.grad(f, argnums=(0, 1)), (x, y), (0.0, 1.0))
    assert np.allclose(col, H[:, 1], atol=1e-12, rtol=0)
    # reverse-over-forward
    g = cr.grad(lambda x, y: cr.jvp(f, (x, y), (0.0, 1.0))[1], argnums=(0, 1))(x, y)
    assert np.allclose(g, H[1], atol=1e-12, rtol=0)
    # forward-over-forward
    d2 = cr.jvp(lambda y: cr.jvp(lambda y: f(x, y), (y,), (1.0,))[1], (y,), (1.0,))[1]
    assert abs(d2 - H[1, 1]) < 1e-12


@pytest.mark.parametrize("point", [(1.0, PI2), (0.3, -0.7), (-2.0, 2.5)])
def test_all_hessians_agree_with_the_analytic_one(point):
    v = np.array(point)
    H = hess_analytic(*point)
    for Hc in (cr.jacfwd(cr.jacrev(fv))(v), cr.hessian(fv)(v), cr.jacrev(cr.jacfwd(fv))(v),
               cr.jacfwd(cr.jacfwd(fv))(v), cr.jacrev(cr.jacrev(fv))(v),
               cr.jacobian(cr.grad(fv))(v)):
        np.testing.assert_allclose(Hc, H, atol=1e-12, rtol=1e-12)


def test_hvp_is_hessian_times_v():
    def g(x):
        return cnp.sum(cnp.sin(x) * x ** 2) + cnp.prod(x)
    x = np.array([0.3, -1.1, 0.8])
    v = np.array([1.0, -2.0, 0.5])
    (hv,) = cr.hvp(g, (x,), (v,))
    np.testing.assert_allclose(hv, cr.hessian(g)(x) @ v, rtol=1e-12, atol=1e-12)
    hx, hy = cr.hvp(f, (1.0, PI2), (1.0, 2.0))
    np.testing.assert_allclose([hx, hy], hess_analytic(1.0, PI2) @ [1.0, 2.0], atol=1e-12)


def test_linearize_equals_jvp():
    def g(x, y):
        return cnp.tanh(x) * y + cnp.sum(x) ** 2
    x, y = np.array([0.1, 0.4, -0.3]), np.array([2.0, 1.0, 0.5])
    out, lin = cr.linearize(g, x, y)
    np.testing.assert_array_equal(out, g(x, y))
    rng = np.random.default_rng(0)
    for _ in range(3):
        tx, ty = rng.standard_normal(3), rng.standard_normal(3)
        np.testing.assert_allclose(lin(tx, ty), cr.jvp(g, (x, y), (tx, ty))[1],
                                   rtol=1e-13, atol=1e-14)
    out, lin = cr.linearize(f, 1.0, PI2)
    assert abs(lin(1.0, 0.0) - 1.0) < 1e-12 and abs(lin(0.0, 1.0) - 1.0) < 1e-12


# ---- Jacobians --------------------------------------------------------------------------------------
def wide(x):   # R^2 -> R^5: forward mode is cheaper
    return cnp.concatenate([cnp.sin(x), x * x[::-1], cnp.sum(x)[None]])


def tall(x):   # R^5 -> R^2: reverse mode is cheaper
    return cnp.stack([cnp.sum(x ** 2), cnp.prod(x)])


@pytest.mark.parametrize("fn,n,mode", [(wide, 2, "forward"), (tall, 5, "reverse"),
                                       (lambda x: cnp.exp(x), 3, "reverse")])
def test_jacobian_picks_the_cheaper_mode(fn, n, mode):
    x = np.linspace(0.5, 1.5, n)
    J = cr.jacobian(fn)
    out = J(x)
    assert J.choice.mode == mode
    assert isinstance(J.choice, cr.JacobianChoice)
    assert J.choice.reason.startswith(f"{mode} mode")
    assert str(J.choice.n_inputs) in J.choice.reason and str(J.choice.n_outputs) in J.choice.reason
    np.testing.assert_allclose(out, cr.jacfwd(fn)(x), rtol=1e-13, atol=1e-14)
    np.testing.assert_allclose(out, cr.jacrev(fn)(x), rtol=1e-13, atol=1e-14)
    for forced in ("forward", "reverse"):
        Jf = cr.jacobian(fn, mode=forced)
        np.testing.assert_allclose(Jf(x), out, rtol=1e-13, atol=1e-14)
        assert Jf.choice.mode == forced


def test_jacobian_shapes_and_argnums():
    def g(a, b):
        return a[:, None] * b[None, :] + cnp.sum(a)
    a, b = np.array([1.0, 2.0]), np.array([3.0, 4.0, 5.0])
    for jac in (cr.jacfwd, cr.jacrev, cr.jacobian):
        Ja, Jb = jac(g, argnums=(0, 1))(a, b)
        assert Ja.shape == (2, 3, 2) and Jb.shape == (2, 3, 3)
        Jb1 = jac(g, argnums=1)(a, b)
        np.testing.assert_allclose(Jb1, Jb)
        np.testing.assert_allclose(Jb[1, 2], [0, 0, 2.0])


# ---- perturbation confusion (Siskind & Pearlmutter) -----------------------------------------------
def _inner_grad(x):
    return cr.grad(lambda y: x + y)(2.0)


def _inner_jvp(x):
    return cr.jvp(lambda y: x + y, (2.0,), (1.0,))[1]


def _outer_grad(fn, x):
    return cr.grad(fn)(x)


def _outer_jvp(fn, x):
    return cr.jvp(fn, (x,), (1.0,))[1]


@pytest.mark.parametrize("outer", [_outer_grad, _outer_jvp])
@pytest.mark.parametrize("inner", [_inner_grad, _inner_jvp])
@pytest.mark.parametrize("x", [1.0, -3.5, 0.0, 7.25])
def test_no_perturbation_confusion(outer, inner, x):
    """d/dx [x · d/dy (x + y)] = 1: the inner derivative must not see x's perturbation."""
    assert outer(lambda x: x * inner(x), x) == 1.0


def test_nested_perturbations_with_products():
    # d/dx [x · d/dy (x·y)] = d/dx [x · x] = 2x
    for outer in (_outer_grad, _outer_jvp):
        for inner in (lambda x: cr.grad(lambda y: x * y)(3.0),
                      lambda x: cr.jvp(lambda y: x * y, (3.0,), (1.0,))[1]):
            assert abs(outer(lambda x: x * inner(x), 1.5) - 3.0) < 1e-15


# ---- control flow on traced values -----------------------------------------------------------------
def branchy(x):
    if x > 0:
        return x ** 2
    return -(x ** 3)


def loopy(x):
    y = x
    n = 0
    while y < 10.0:
        y = y * 2.0
        n += 1
    return y + n


def test_if_on_traced_values():
    assert cr.grad(branchy)(2.0) == 4.0
    assert cr.grad(branchy)(-1.0) == -3.0
    assert cr.jvp(branchy, (2.0,), (1.0,))[1] == 4.0
    assert cr.jvp(branchy, (-1.0,), (1.0,))[1] == -3.0
    assert cr.grad(cr.grad(branchy))(-1.0) == 6.0


def test_while_on_traced_values():
    assert cr.grad(loopy)(1.5) == 8.0       # 1.5 -> 3 -> 6 -> 12
    assert cr.grad(loopy)(20.0) == 1.0      # no iteration
    assert cr.jvp(loopy, (0.7,), (1.0,))[1] == 16.0
    assert cr.hessian(loopy)(1.5) == 0.0


def test_comparisons_and_where_inside_differentiated_functions():
    def relu_sum(x):
        return cnp.sum(cnp.where(x > 0, x, 0.1 * x))
    x = np.array([-1.0, 2.0, 3.0])
    np.testing.assert_allclose(cr.grad(relu_sum)(x), [0.1, 1.0, 1.0])
    np.testing.assert_allclose(cr.jvp(relu_sum, (x,), (np.ones(3),))[1], 2.1)


# ---- a very deep chain -----------------------------------------------------------------------------
@pytest.mark.slow
def test_deep_chain_of_a_million_multiplications():
    """10^6 recorded operations: no RecursionError, and the graph is freed afterwards."""
    refs = []
    n = 10 ** 6
    c = 1.0000001

    def chain(x):
        refs.append(weakref.ref(x._trace))
        y = x
        for _ in range(n):
            y = y * c
        return y

    t0 = time.process_time()
    g = cr.grad(chain)(1.0)
    elapsed = time.process_time() - t0
    assert abs(g - c ** n) < 1e-9 * c ** n
    assert refs[0]() is None, "the reverse trace (and its tape) is still alive after grad"
    assert elapsed < 20.0, f"10^6 multiplications took {elapsed:.1f}s of CPU (limit 20s)"


def test_trace_and_intermediates_are_released():
    refs = []

    def g(x):
        y = cnp.sin(x) * 2.0
        refs.append(weakref.ref(x._trace))
        refs.append(weakref.ref(y._value))      # an intermediate ndarray held by the tape
        return cnp.sum(y)

    cr.grad(g)(np.ones(4))
    gc.collect()
    assert all(r() is None for r in refs)
    refs.clear()
    out, pull = cr.vjp(g, np.ones(4))
    pull(1.0)
    del pull
    gc.collect()
    assert all(r() is None for r in refs)


# ---- pytrees ----------------------------------------------------------------------------------------
Pair = collections.namedtuple("Pair", "a b")


class Box:
    """A user class registered as a pytree node."""

    def __init__(self, w, scale):
        self.w, self.scale = w, scale      # scale is static metadata


cr.tree.register_pytree_node(Box, lambda b: ((b.w,), b.scale), lambda scale, ch: Box(ch[0], scale))


def _params():
    return {"w": [np.array([1.0, 2.0]), (0.5, None)],
            "nt": Pair(a=np.array([[1.0, -1.0]]), b=3.0),
            "box": Box(np.array([0.1, 0.2, 0.3]), 2.0)}


def loss(p):
    w0, (w1, nothing) = p["w"]
    assert nothing is None
    return (cnp.sum(w0 ** 2) * w1 + cnp.sum(p["nt"].a * 3.0) * p["nt"].b
            + p["box"].scale * cnp.sum(cnp.sin(p["box"].w)))


def test_tree_flatten_unflatten_map():
    p = _params()
    leaves, tdef = cr.tree.flatten(p)
    assert len(leaves) == 5
    q = cr.tree.unflatten(tdef, leaves)
    assert isinstance(q["nt"], Pair) and isinstance(q["box"], Box) and q["w"][1][1] is None
    assert q["box"].scale == 2.0
    doubled = cr.tree.tree_map(lambda x: x * 2, p)
    np.testing.assert_array_equal(doubled["w"][0], [2.0, 4.0])
    assert doubled["nt"].b == 6.0 and doubled["box"].w[2] == 0.6 and doubled["w"][1][1] is None
    s = cr.tree.tree_map(lambda x, y: x + y, p, p)
    assert s["w"][1][0] == 1.0
    assert cr.tree.flatten(p)[1] == cr.tree.flatten(doubled)[1]
    assert cr.tree.flatten(p)[1] != cr.tree.flatten({"w": 1.0})[1]


def test_grad_with_pytree_arguments():
    p = _params()
    g = cr.grad(loss)(p)
    assert set(g) == {"w", "nt", "box"} and isinstance(g["nt"], Pair) and isinstance(g["box"], Box)
    np.testing.assert_allclose(g["w"][0], 2 * np.array([1.0, 2.0]) * 0.5)
    assert abs(g["w"][1][0] - 5.0) < 1e-14 and g["w"][1][1] is None
    np.testing.assert_allclose(g["nt"].a, [[9.0, 9.0]])
    assert abs(g["nt"].b - 0.0) < 1e-14
    np.testing.assert_allclose(g["box"].w, 2.0 * np.cos([0.1, 0.2, 0.3]))
    assert g["box"].scale == 2.0


def test_jvp_vjp_jacrev_with_pytrees_in_and_out():
    def fn(p):
        return {"s": loss(p), "v": [p["box"].w * 2.0, None], "t": (p["nt"].a[0, 0],)}
    p = _params()
    tan = cr.tree.tree_map(lambda x: np.ones_like(x) if np.ndim(x) else 1.0, p)
    out, t = cr.jvp(fn, (p,), (tan,))
    assert t["v"][1] is None and isinstance(t["t"], tuple)
    np.testing.assert_allclose(t["v"][0], [2.0, 2.0, 2.0])
    out, pull = cr.vjp(fn, p)
    ct = {"s": 1.0, "v": [np.zeros(3), None], "t": (0.0,)}
    (gp,) = pull(ct)
    ref = cr.grad(loss)(p)
    for a, b in zip(cr.tree.flatten(gp)[0], cr.tree.flatten(ref)[0]):
        np.testing.assert_allclose(a, b, atol=1e-14)
    # directional derivative consistency: <ct, J tan> == <J^T ct, tan>
    lhs = float(t["s"])
    rhs = sum(float(np.sum(np.asarray(a) * np.asarray(b)))
              for a, b in zip(cr.tree.flatten(gp)[0], cr.tree.flatten(tan)[0]))
    assert abs(lhs - rhs) < 1e-12
    J = cr.jacrev(lambda w: {"sq": w ** 2, "pair": Pair(a=cnp.sum(w), b=w[0])})(np.array([1.0, 3.0]))
    np.testing.assert_allclose(J["sq"], np.diag([2.0, 6.0]))
    np.testing.assert_allclose(J["pair"].a, [1.0, 1.0])
    np.testing.assert_allclose(J["pair"].b, [1.0, 0.0])
    Jf = cr.jacfwd(lambda w: {"sq": w ** 2})(np.array([1.0, 3.0]))
    np.testing.assert_allclose(Jf["sq"], J["sq"])


def test_has_aux():
    def fn(x):
        y = cnp.sin(x)
        return cnp.sum(y), {"y": y, "n": 3}
    x = np.array([0.1, 0.2])
    g, aux = cr.grad(fn, has_aux=True)(x)
    np.testing.assert_allclose(g, np.cos(x))
    assert not isinstance(aux["y"], Tracer) and aux["n"] == 3
    np.testing.assert_allclose(aux["y"], np.sin(x))
    (v, aux2), g2 = cr.value_and_grad(fn, has_aux=True)(x)
    assert abs(v - np.sum(np.sin(x))) < 1e-15 and not isinstance(aux2["y"], Tracer)
    out, t, aux3 = cr.jvp(fn, (x,), (np.ones(2),), has_aux=True)
    assert not isinstance(aux3["y"], Tracer) and abs(t - np.sum(np.cos(x))) < 1e-15
    out, pull, aux4 = cr.vjp(fn, x, has_aux=True)
    np.testing.assert_allclose(pull(1.0)[0], np.cos(x))
    assert not isinstance(aux4["y"], Tracer)
    J, aux5 = cr.jacrev(lambda x: (cnp.sin(x), x[0]), has_aux=True)(x)
    np.testing.assert_allclose(J, np.diag(np.cos(x)))
    J, aux6 = cr.jacfwd(lambda x: (cnp.sin(x), x[0]), has_aux=True)(x)
    np.testing.assert_allclose(J, np.diag(np.cos(x)))


# ---- custom rules ----------------------------------------------------------------------------------
@cr.custom_vjp
def softplus(x):
    return cnp.log1p(cnp.exp(x))


def _softplus_fwd(x):
    return softplus(x), x


def _softplus_bwd(x, g):
    return (g * (1.0 / (1.0 + cnp.exp(-x))),)


softplus.defvjp(_softplus_fwd, _softplus_bwd)


def test_custom_vjp_in_every_mode():
    x = np.array([-1.0, 0.5, 2.0])
    sig = 1 / (1 + np.exp(-x))
    np.testing.assert_allclose(cr.grad(lambda x: cnp.sum(softplus(x)))(x), sig, rtol=1e-14)
    # forward mode is derived from bwd
    np.testing.assert_allclose(cr.jvp(softplus, (x,), (np.ones(3),))[1], sig, rtol=1e-14)
    np.testing.assert_allclose(cr.jacfwd(softplus)(x), np.diag(sig), rtol=1e-14)
    np.testing.assert_allclose(cr.hessian(lambda x: cnp.sum(softplus(x)))(x),
                               np.diag(sig * (1 - sig)), rtol=1e-12)
    cr.check_grads(softplus, (x,), order=2)


def test_custom_vjp_bwd_is_really_used():
    @cr.custom_vjp
    def clipped_identity(x):
        return x

    clipped_identity.defvjp(lambda x: (x, None), lambda res, g: (cnp.clip(g, -1.0, 1.0),))
    assert cr.grad(lambda x: 5.0 * clipped_identity(x))(2.0) == 1.0
    assert cr.jvp(lambda x: 5.0 * clipped_identity(x), (2.0,), (1.0,))[1] == 5.0


def test_custom_jvp_under_grad():
    @cr.custom_jvp
    def logexp(x):
        return cnp.log(1.0 + cnp.exp(x))

    @logexp.defjvp
    def _(primals, tangents):
        (x,), (t,) = primals, tangents
        return logexp(x), t * (1.0 - 1.0 / (1.0 + cnp.exp(x)))

    # the rule stays finite where the naive derivative would overflow
    assert cr.grad(logexp)(1000.0) == 1.0
    assert abs(cr.grad(logexp)(0.0) - 0.5) < 1e-15
    assert abs(cr.jvp(logexp, (0.0,), (2.0,))[1] - 1.0) < 1e-15
    assert abs(cr.grad(cr.grad(logexp))(0.0) - 0.25) < 1e-14
    x = np.array([-0.5, 0.3])
    np.testing.assert_allclose(cr.jacrev(logexp)(x), np.diag(1 / (1 + np.exp(-x))), rtol=1e-14)


# ---- stop_gradient and functional updates ------------------------------------------------------------
def test_stop_gradient_in_both_modes():
    fn = lambda x: x * cr.stop_gradient(x) + cr.stop_gradient(cnp.sin(x))  # noqa: E731
    assert cr.grad(fn)(3.0) == 3.0
    assert cr.jvp(fn, (3.0,), (1.0,))[1] == 3.0
    g = cr.grad(lambda x: cnp.sum(cr.stop_gradient(x) ** 2))(np.ones(3))
    np.testing.assert_array_equal(g, np.zeros(3))
    _, t = cr.jvp(lambda x: cr.stop_gradient(x) * 2.0, (np.ones(2),), (np.ones(2),))
    np.testing.assert_array_equal(t, np.zeros(2))
    tree = cr.stop_gradient({"a": 1.0, "b": [np.ones(2)]})
    assert tree["a"] == 1.0


def test_at_set_and_add_in_both_modes():
    x = np.array([1.0, 2.0, 3.0])

    def set_fn(x, v):
        return cnp.sum(x.at[1].set(v) * np.array([1.0, 10.0, 100.0]))

    gx, gv = cr.grad(set_fn, argnums=(0, 1))(x, 5.0)
    np.testing.assert_array_equal(gx, [1.0, 0.0, 100.0])
    assert gv == 10.0
    assert cr.jvp(set_fn, (x, 5.0), (np.ones(3), 0.0))[1] == 101.0
    assert cr.jvp(set_fn, (x, 5.0), (np.zeros(3), 1.0))[1] == 10.0

    def add_fn(x, v):
        return cnp.sum(x.at[np.array([0, 0, 2])].add(v) ** 2)

    v = np.array([1.0, 1.0, 1.0])
    gx, gv = cr.grad(add_fn, argnums=(0, 1))(x, v)
    np.testing.assert_array_equal(gx, [6.0, 4.0, 8.0])
    np.testing.assert_array_equal(gv, [6.0, 6.0, 8.0])
    cr.check_grads(lambda x, v: cnp.at(x)[np.array([0, 0, 2])].add(v) ** 2, (x, v), order=2)
    # on plain arrays, through cnp.at: only the written value is traced
    base = np.zeros(3)
    assert cr.grad(lambda v: cnp.sum(cnp.at(base)[2].set(v) ** 2))(3.0) == 6.0
    assert cr.jvp(lambda v: cnp.sum(cnp.at(base)[:2].set(v)), (3.0,), (1.0,))[1] == 2.0
    np.testing.assert_array_equal(cnp.at(base)[1].set(5.0), [0.0, 5.0, 0.0])
    np.testing.assert_array_equal(base, np.zeros(3))      # the plain array is not modified
    assert cr.grad(lambda x: x.at[1:].get().sum())(x).tolist() == [0.0, 1.0, 1.0]


def test_tracer_methods_and_numpy_dispatch():
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    g = cr.grad(lambda x: x.T.dot(x).sum() + x.mean() + x.reshape(4)[0] + np.sum(np.sin(x)))(x)
    ref = cr.grad(lambda x: cnp.sum(cnp.dot(x.T, x)) + cnp.mean(x) + x[0, 0]
                  + cnp.sum(cnp.sin(x)))(x)
    np.testing.assert_allclose(g, ref)
    # x += y rebinds instead of mutating
    def inc(x):
        y = x
        y += 1.0
        y *= x
        return cnp.sum(y)
    np.testing.assert_allclose(cr.grad(inc)(x), 2 * x + 1)


# ---- dtypes ----------------------------------------------------------------------------------------
def test_float32_in_float32_gradient_out():
    x = np.array([1.0, 2.0], dtype=np.float32)
    g = cr.grad(lambda x: cnp.sum(cnp.sin(x) * 2.0))(x)
    assert g.dtype == np.float32
    assert cr.jvp(lambda x: x * 2.0, (x,), (np.ones(2, np.float32),))[1].dtype == np.float32
    assert cr.jacrev(lambda x: x * x)(x).dtype == np.float32
    assert np.result_type(cr.grad(lambda x: x * x)(np.float32(3.0))) == np.float32
    (ct,) = cr.vjp(lambda x: x * 3.0, x)[1](np.ones(2, np.float32))
    assert ct.dtype == np.float32


def test_python_floats_give_float64():
    g = cr.grad(lambda x: x * x * 0.1)(3.0)
    assert np.result_type(g) == np.float64
    assert abs(g - 0.6) < 1e-15
    assert np.result_type(cr.jvp(lambda x: cnp.sin(x), (1.0,), (1.0,))[1]) == np.float64
    gs = cr.grad(f, argnums=(0, 1))(1.0, 2.0)
    assert all(np.result_type(v) == np.float64 for v in gs)


# ---- checkpointing ----------------------------------------------------------------------------------
def _block(x, w):
    return cnp.tanh(x @ w) * cnp.sin(x @ w)


def _layer(x, w):
    return cnp.tanh(x @ w) + x


def _compare_checkpointed(block, n_blocks, x, w):
    ck = cr.checkpoint(block)

    def plain_loss(x, w):
        for _ in range(n_blocks):
            x = block(x, w)
        return cnp.sum(x ** 2)

    def ck_loss(x, w):
        for _ in range(n_blocks):
            x = ck(x, w)
        return cnp.sum(x ** 2)

    assert np.array_equal(plain_loss(x, w), ck_loss(x, w))
    g0 = cr.grad(plain_loss, argnums=(0, 1))(x, w)
    g1 = cr.grad(ck_loss, argnums=(0, 1))(x, w)
    for a, b in zip(g0, g1):
        assert np.array_equal(a, b), np.abs(a - b).max()
    t0 = cr.jvp(plain_loss, (x, w), (x, w))[1]
    t1 = cr.jvp(ck_loss, (x, w), (x, w))[1]
    assert np.array_equal(t0, t1)


@pytest.mark.parametrize("block,n_blocks", [(_layer, 3), (_block, 1)])
def test_checkpoint_gives_bitwise_identical_gradients(block, n_blocks):
    rng = np.random.default_rng(3)
    x, w = rng.standard_normal((2, 3)), rng.standard_normal((3, 3))
    _compare_checkpointed(block, n_blocks, x, w)


def test_checkpoint_weight_reused_inside_and_across_blocks_agrees_to_an_ulp():
    # A weight used twice inside each of two blocks: the block sums its own two
    # cotangents before they join the outer total, (c4+c3)+(c2+c1) instead of
    # ((c4+c3)+c2)+c1. The operations differ in order, so agreement is to rounding,
    # not to the bit (JAX and PyTorch behave the same way).
    rng = np.random.default_rng(3)
    x, w = rng.standard_normal((2, 3)), rng.standard_normal((3, 3))
    plain_loss = lambda x, w: cnp.sum(_block(_block(x, w), w))  # noqa: E731
    ck = cr.checkpoint(_block)
    ck_loss = lambda x, w: cnp.sum(ck(ck(x, w), w))  # noqa: E731
    g0 = cr.grad(plain_loss, argnums=(0, 1))(x, w)
    g1 = cr.grad(ck_loss, argnums=(0, 1))(x, w)
    for a, b in zip(g0, g1):
        np.testing.assert_array_max_ulp(a, b, maxulp=4)


def test_checkpoint_under_hessian():
    ck = cr.checkpoint(lambda v: cnp.sin(v) * v ** 2)
    x = np.array([0.3, -0.8])
    H0 = cr.hessian(lambda v: cnp.sum(cnp.sin(v) * v ** 2))(x)
    H1 = cr.hessian(lambda v: cnp.sum(ck(v)))(x)
    np.testing.assert_allclose(H1, H0, rtol=1e-14, atol=1e-15)
    H2 = cr.jacrev(cr.grad(lambda v: cnp.sum(ck(v))))(x)
    np.testing.assert_allclose(H2, H0, rtol=1e-14, atol=1e-15)
    cr.check_grads(ck, (x,), order=2)


def test_math_module_on_tracers_is_caught_or_correct():
    # float(tracer) must not silently drop the derivative
    with pytest.raises(TypeError):
        cr.grad(lambda x: math.sin(x))(1.0)
