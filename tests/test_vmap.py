"""vmap: every primitive against a Python loop, pytrees, composition with grad/jvp/jac."""

import warnings

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp
import chainrule.scipy.special as csp
from chainrule.interpreters.batching import BatchedValueError
from chainrule.core.primitive import Primitive
from chainrule.primitives import special as SP

vmap = cr.vmap

B = 3


def _take(x, ax, i):
    return np.take(x, i, axis=ax)


def loop_ref(f, args, in_axes):
    axes = in_axes if isinstance(in_axes, tuple) else (in_axes,) * len(args)
    size = next(np.shape(a)[ax] for a, ax in zip(args, axes) if ax is not None)
    outs = [f(*[a if ax is None else _take(a, ax, i) for a, ax in zip(args, axes)])
            for i in range(size)]
    if isinstance(outs[0], tuple):
        return tuple(np.stack([np.asarray(o[k]) for o in outs]) for k in range(len(outs[0])))
    return np.stack([np.asarray(o) for o in outs])


def check(f, args, in_axes=0, rtol=1e-10, atol=1e-12):
    got = vmap(f, in_axes=in_axes)(*args)
    want = loop_ref(f, args, in_axes)
    if isinstance(want, tuple):
        for g, w in zip(got, want):
            np.testing.assert_allclose(np.asarray(g), w, rtol=rtol, atol=atol)
    else:
        assert np.shape(got) == want.shape, (np.shape(got), want.shape)
        np.testing.assert_allclose(np.asarray(got), want, rtol=rtol, atol=atol)


def batched(rng, shape, axis, lo=-1.0, hi=1.0):
    """Random array of one-example ``shape`` with a batch of B inserted at ``axis``."""
    full = list(shape)
    full.insert(axis % (len(shape) + 1), B)
    return rng.uniform(lo, hi, size=full)


@pytest.fixture
def rng():
    return np.random.default_rng(0)


# ---- elementwise -------------------------------------------------------------------
UNARY = {
    "negative": None, "positive": None, "absolute": None, "exp": None, "exp2": None,
    "expm1": None, "log": (0.1, 2.0), "log1p": (0.1, 2.0), "log2": (0.1, 2.0),
    "log10": (0.1, 2.0), "sqrt": (0.1, 2.0), "cbrt": None, "square": None,
    "reciprocal": (0.5, 2.0), "sin": None, "cos": None, "tan": None, "arcsin": (-0.9, 0.9),
    "arccos": (-0.9, 0.9), "arctan": None, "sinh": None, "cosh": None, "tanh": None,
    "arcsinh": None, "arccosh": (1.1, 3.0), "arctanh": (-0.9, 0.9), "deg2rad": None,
    "rad2deg": None, "sinc": None, "sign": None, "floor": None, "ceil": None, "rint": None,
    "trunc": None, "fix": None, "round": None, "logical_not": None, "isfinite": None,
    "isinf": None, "isnan": None, "signbit": None,
}
BINARY = ["add", "subtract", "multiply", "divide", "power", "arctan2", "hypot", "logaddexp",
          "logaddexp2", "maximum", "minimum", "fmax", "fmin", "greater", "greater_equal", "less",
          "less_equal", "equal", "not_equal", "logical_and", "logical_or", "logical_xor",
          "floor_divide", "isclose"]


@pytest.mark.parametrize("name", sorted(UNARY))
@pytest.mark.parametrize("axis", [0, 1, -1])
def test_unary(rng, name, axis):
    lo, hi = UNARY[name] or (-1.5, 1.5)
    fn = getattr(cnp, name)
    check(fn, (batched(rng, (2, 4), axis, lo, hi),), in_axes=axis)


@pytest.mark.parametrize("name", BINARY)
def test_binary(rng, name):
    fn = getattr(cnp, name)
    lo = 0.5 if name in ("power", "floor_divide") else -1.0
    # both batched on different axes; one unbatched with lower rank (right-aligned)
    x = batched(rng, (2, 4), 1, lo, 2.0)
    y = batched(rng, (2, 4), -1, 0.5, 2.0)
    check(fn, (x, y), in_axes=(1, -1))
    check(fn, (x, rng.uniform(0.5, 2.0, size=(4,))), in_axes=(1, None))
    check(fn, (rng.uniform(0.5, 2.0, size=(4,)), batched(rng, (2, 1), 0, 0.5, 2.0)),
          in_axes=(None, 0))
    # batched operand of lower rank than the unbatched one
    check(fn, (batched(rng, (4,), 0, lo, 2.0), rng.uniform(0.5, 2.0, size=(2, 4))),
          in_axes=(0, None))


def test_where_clip(rng):
    c = rng.uniform(size=(B, 2, 3)) > 0.5
    x = batched(rng, (2, 3), 2)
    check(cnp.where, (c, x, np.zeros(3)), in_axes=(0, 2, None))
    check(lambda x: cnp.where(x > 0, x, 0.0), (x,), in_axes=2)
    check(lambda x: cnp.clip(x, -0.5, 0.5), (x,), in_axes=-1)
    check(lambda x, lo: cnp.clip(x, lo, None), (x, batched(rng, (3,), 0)), in_axes=(2, 0))


def test_special(rng):
    x = batched(rng, (2, 3), 1, 0.1, 0.9)
    for fn in (csp.expit, csp.logit, csp.erf, csp.erfc, csp.gammaln, csp.digamma,
               lambda x: SP.polygamma_p(x, n=1)):
        check(fn, (x,), in_axes=1)
    for axis in (None, 0, -1, (0, 1)):
        check(lambda x: csp.logsumexp(x, axis=axis), (x,), in_axes=1)
    check(lambda x: csp.softmax(x, axis=-1), (x,), in_axes=1)
    check(lambda x: x.astype(np.float32), (x,), in_axes=1, rtol=1e-6)


# ---- reductions and scans ------------------------------------------------------------
@pytest.mark.parametrize("name", ["sum", "max", "min", "any", "all", "argmax", "argmin",
                                  "mean", "var", "std", "prod", "amax", "amin"])
@pytest.mark.parametrize("axis", [None, 0, -1, (0, 2)])
@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("bdim", [0, 2, -1])
def test_reductions(rng, name, axis, keepdims, bdim):
    if name in ("argmax", "argmin") and isinstance(axis, tuple):
        return
    fn = getattr(cnp, name)
    x = batched(rng, (2, 3, 4), bdim)
    if name in ("any", "all"):
        x = x > 0.3
    check(lambda x: fn(x, axis=axis, keepdims=keepdims), (x,), in_axes=bdim)


@pytest.mark.parametrize("name", ["cumsum", "cumprod", "argsort", "sort"])
@pytest.mark.parametrize("axis", [None, 0, -1])
def test_scans(rng, name, axis):
    if name in ("argsort", "sort") and axis is None:
        axis = 1
    x = batched(rng, (3, 4), 1)
    # sort gathers with argsort's (batched) indices: take_along has its own batching rule.
    check(lambda x: getattr(cnp, name)(x, axis=axis), (x,), in_axes=1)


# ---- shapes ----------------------------------------------------------------------------
SHAPE_CASES = [
    lambda x: cnp.reshape(x, (4, 3)),
    lambda x: cnp.reshape(x, (-1,)),
    lambda x: cnp.transpose(x),
    lambda x: cnp.transpose(x, (1, 0)),
    lambda x: x.T,
    lambda x: cnp.broadcast_to(x, (2, 3, 4)),
    lambda x: cnp.flip(x),
    lambda x: cnp.flip(x, axis=-1),
    lambda x: cnp.roll(x, 2),
    lambda x: cnp.roll(x, 1, axis=0),
    lambda x: cnp.roll(x, (1, 2), axis=(0, 1)),
    lambda x: cnp.tile(x, 2),
    lambda x: cnp.tile(x, (2, 1, 2)),
    lambda x: cnp.repeat(x, 2),
    lambda x: cnp.repeat(x, [1, 2, 0, 1], axis=1),
    lambda x: cnp.pad(x, ((1, 0), (0, 2))),
    lambda x: cnp.pad(x, 1),
    lambda x: cnp.triu(x),
    lambda x: cnp.tril(x, k=-1),
    lambda x: cnp.expand_dims(x, 1),
    lambda x: cnp.squeeze(cnp.expand_dims(x, 0)),
    lambda x: cnp.swapaxes(x, 0, 1),
    lambda x: cnp.moveaxis(x, 0, -1),
    lambda x: cnp.ravel(x),
    lambda x: cnp.concatenate([x, x * 2], axis=0),
    lambda x: cnp.concatenate([x, np.ones((3, 1))], axis=-1),
    lambda x: cnp.concatenate([x, np.ones((3, 4))], axis=None),
    lambda x: cnp.stack([x, np.ones((3, 4))], axis=1),
    lambda x: cnp.hstack([x, x]),
    lambda x: cnp.vstack([x, x]),
    lambda x: cnp.split(x, 2, axis=1)[1],
    lambda x: cnp.diagonal(x),
    lambda x: cnp.diagonal(x, offset=1, axis1=1, axis2=0),
    lambda x: cnp.trace(x),
    lambda x: cnp.diag(x[0]),
    lambda x: cnp.diag(x, k=1),
    lambda x: cnp.kron(x, np.ones((2, 1))),
    lambda x: cnp.outer(x[0], x[1]),
    lambda x: cnp.atleast_2d(x[0]),
]


@pytest.mark.parametrize("k", range(len(SHAPE_CASES)))
@pytest.mark.parametrize("bdim", [0, 1, -1])
def test_shape_ops(rng, k, bdim):
    check(SHAPE_CASES[k], (batched(rng, (3, 4), bdim),), in_axes=bdim)


def test_triangle_of_a_vector_falls_back(rng):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check(lambda v: cnp.triu(v), (batched(rng, (3,), 0),), in_axes=0)


# ---- indexing -----------------------------------------------------------------------------
INDEX_CASES = [
    1, -1, slice(1, 3), (Ellipsis, 0), (slice(None), None, 1), (0, slice(None, None, -1)),
    np.array([0, 2, 2]), (np.array([0, 1]), np.array([1, 3])),
    (slice(None), np.array([3, 0])), (np.array([[0], [1]]), slice(None), np.array([1, 0])),
    (np.array([True, False, True]),), (0, slice(None), np.array([1, 1])),
]


@pytest.mark.parametrize("k", range(len(INDEX_CASES)))
@pytest.mark.parametrize("bdim", [0, 2])
def test_getitem(rng, k, bdim):
    idx = INDEX_CASES[k]
    check(lambda x: x[idx], (batched(rng, (3, 4, 2), bdim),), in_axes=bdim)


@pytest.mark.parametrize("k", [0, 2, 3, 6, 7, 8, 9, 11])
@pytest.mark.parametrize("op", ["set", "add"])
def test_scatter(rng, k, op):
    idx = INDEX_CASES[k]
    x = batched(rng, (3, 4, 2), 1)
    tgt = np.zeros((3, 4, 2))[idx].shape
    v = batched(rng, tgt, 0)
    upd = (lambda x, v: cnp.at(x)[idx].set(v)) if op == "set" else \
        (lambda x, v: cnp.at(x)[idx].add(v))
    check(upd, (x, v), in_axes=(1, 0))          # both batched
    check(upd, (x, v[0]), in_axes=(1, None))    # only x batched
    check(upd, (x[:, 0], v), in_axes=(None, 0))  # only v batched
    if tgt:
        check(upd, (x, v[..., :1][0]), in_axes=(1, None))  # broadcast value


def test_take_along_axis_constant_indices(rng):
    x = batched(rng, (3, 4), 0)
    idx = np.array([[0, 3], [1, 1], [2, 0]])
    check(lambda x: cnp.take_along_axis(x, idx, axis=1), (x,), in_axes=0)
    check(lambda x: cnp.take(x, [0, 2], axis=1), (x,), in_axes=0)


def test_batched_index_is_refused(rng):
    x = rng.normal(size=(B, 4))
    i = np.array([0, 1, 2])
    with pytest.raises(BatchedValueError):
        vmap(lambda x, i: x[i])(x, i)
    with pytest.raises(BatchedValueError):
        vmap(lambda x: x if x[0] > 0 else -x)(x)


# ---- linear algebra -------------------------------------------------------------------------
MATMUL_SHAPES = [((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 4)), ((2, 3), (3, 4)),
                 ((5, 2, 3), (3, 4)), ((2, 3), (5, 3, 4)), ((3,), (5, 3, 4)), ((5, 2, 3), (3,)),
                 ((1, 2, 3), (5, 3, 4))]


@pytest.mark.parametrize("sa,sb", MATMUL_SHAPES)
@pytest.mark.parametrize("axes", [(0, 0), (0, None), (None, 0), (-1, 1)])
def test_matmul(rng, sa, sb, axes):
    a = batched(rng, sa, axes[0]) if axes[0] is not None else rng.normal(size=sa)
    b = batched(rng, sb, axes[1]) if axes[1] is not None else rng.normal(size=sb)
    check(cnp.matmul, (a, b), in_axes=axes)
    check(lambda a, b: a @ b, (a, b), in_axes=axes)


def test_dot_tensordot_einsum(rng):
    a, b = batched(rng, (2, 3), 1), batched(rng, (3, 4), 0)
    check(cnp.dot, (a, b), in_axes=(1, 0))
    check(cnp.inner, (a, b[:, :, 0]), in_axes=(1, 0))
    check(lambda a, b: cnp.tensordot(a, b, axes=1), (a, b), in_axes=(1, 0))
    check(lambda a, b: cnp.einsum("ij,jk->ki", a, b), (a, b), in_axes=(1, 0))
    check(lambda a, b: cnp.einsum("ij,jk", a, b), (a, rng.normal(size=(3, 4))), in_axes=(1, None))
    check(lambda a: cnp.einsum("...j,j->...", a, np.ones(3)), (a,), in_axes=1)
    check(lambda a, b, c: cnp.einsum("ij,jk,k->i", a, b, c),
          (a, b, batched(rng, (4,), 0)), in_axes=(1, 0, 0))
    check(cnp.vdot, (a, a), in_axes=(1, 1))


def _spd(rng, n, batch):
    m = rng.normal(size=(batch, n, n))
    return m @ np.swapaxes(m, -1, -2) + n * np.eye(n)


def test_linalg(rng):
    a = _spd(rng, 3, B)
    at = np.moveaxis(a, 0, 2)
    for fn in (cnp.linalg.inv, cnp.linalg.det,
               cnp.linalg.cholesky, lambda x: cnp.linalg.matrix_power(x, 3),
               lambda x: cnp.linalg.norm(x), lambda x: cnp.linalg.norm(x, ord=1)):
        check(fn, (at,), in_axes=2, rtol=1e-9)
    w = vmap(cnp.linalg.eigh, in_axes=2)(at)
    ref = np.linalg.eigh(a)
    np.testing.assert_allclose(w[0], ref[0], rtol=1e-10)
    np.testing.assert_allclose(np.abs(w[1]), np.abs(ref[1]), rtol=1e-8, atol=1e-10)
    bv = batched(rng, (3,), 0)
    bm = batched(rng, (3, 2), 0)
    check(cnp.linalg.solve, (at, bv), in_axes=(2, 0), rtol=1e-9)
    check(cnp.linalg.solve, (at, bm), in_axes=(2, 0), rtol=1e-9)
    check(cnp.linalg.solve, (a[0], bv), in_axes=(None, 0), rtol=1e-9)
    check(cnp.linalg.solve, (at, bm[0]), in_axes=(2, None), rtol=1e-9)
    check(cnp.linalg.solve, (np.stack([a] * 2, 1), bv), in_axes=(0, None), rtol=1e-9)


# ---- the loop fallback (every declared primitive's rule: tests/test_rules.py) -----------------
def test_fallback_warns_once_and_is_correct(rng):
    double = Primitive("double_for_vmap_test", lambda x: 2 * x)
    x = rng.normal(size=(B, 2))
    with pytest.warns(UserWarning, match="double_for_vmap_test"):
        out = vmap(double)(x)
    np.testing.assert_allclose(out, 2 * x)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        vmap(double)(x)  # second time: no warning


def test_custom_rules_through_fallback(rng):
    @cr.custom_vjp
    def f(x):
        return cnp.sin(x)
    f.defvjp(lambda x: (cnp.sin(x), x), lambda x, g: (g * cnp.cos(x),))
    x = rng.normal(size=(B, 2))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        g = vmap(cr.grad(lambda x: cnp.sum(f(x))))(x)
        np.testing.assert_allclose(g, np.cos(x))
        layer = cr.checkpoint(lambda x: cnp.tanh(x) * 2.0)
        g = vmap(cr.grad(lambda x: cnp.sum(layer(x))))(x)
        np.testing.assert_allclose(g, 2 * (1 - np.tanh(x) ** 2))


# ---- pytrees and axes ---------------------------------------------------------------------------
def test_pytrees_in_and_out(rng):
    params = {"w": rng.normal(size=(3, 2)), "b": rng.normal(size=(B, 2))}
    xs = rng.normal(size=(3, B))

    def f(p, x):
        y = x @ p["w"] + p["b"]
        return {"y": y, "s": cnp.sum(y), "c": p["w"]}

    out = vmap(f, in_axes=({"w": None, "b": 0}, 1), out_axes={"y": 1, "s": 0, "c": None})(
        params, xs)
    for i in range(B):
        ref = f({"w": params["w"], "b": params["b"][i]}, xs[:, i])
        np.testing.assert_allclose(out["y"][:, i], ref["y"])
        np.testing.assert_allclose(out["s"][i], ref["s"])
    np.testing.assert_allclose(out["c"], params["w"])


def test_unbatched_output_is_broadcast_and_out_axes_negative(rng):
    x = rng.normal(size=(B, 2))
    out = vmap(lambda x: (x * 2, np.ones(4)), out_axes=-1)(x)
    assert out[0].shape == (2, B) and out[1].shape == (4, B)


def test_errors(rng):
    with pytest.raises(ValueError, match="different sizes"):
        vmap(lambda a, b: a + b)(np.ones((2, 3)), np.ones((3, 3)))
    with pytest.raises(ValueError, match="maps no argument"):
        vmap(lambda a: a, in_axes=None)(np.ones(2))
    with pytest.raises(ValueError, match="out_axes=None"):
        vmap(lambda a: a, out_axes=None)(np.ones(2))
    with pytest.raises(ValueError, match="out of range"):
        vmap(lambda a: a, in_axes=2)(np.ones((2, 2)))


# ---- composition --------------------------------------------------------------------------------
def _mlp(params, x):
    (w1, b1), (w2, b2) = params
    return cnp.tanh(x @ w1 + b1) @ w2 + b2


def _xent(params, x, y):
    logits = _mlp(params, x)
    return -cnp.sum(y * csp.log_softmax(logits, axis=-1))


def _params(rng):
    return [(rng.normal(size=(4, 5)), rng.normal(size=5)), (rng.normal(size=(5, 3)),
                                                            rng.normal(size=3))]


def test_per_sample_gradients(rng):
    params = _params(rng)
    xs = rng.normal(size=(6, 4))
    ys = np.eye(3)[rng.integers(0, 3, size=6)]
    g = vmap(cr.grad(_xent), in_axes=(None, 0, 0))(params, xs, ys)
    for i in range(6):
        gi = cr.grad(_xent)(params, xs[i], ys[i])
        for (a, b), (c, d) in zip(g, gi):
            np.testing.assert_allclose(a[i], c, rtol=1e-12)
            np.testing.assert_allclose(b[i], d, rtol=1e-12)


def test_grad_of_vmap_and_vmap_of_grad(rng):
    params = _params(rng)
    xs = rng.normal(size=(6, 4))
    ys = np.eye(3)[rng.integers(0, 3, size=6)]
    g1 = cr.grad(lambda p: cnp.sum(vmap(_xent, in_axes=(None, 0, 0))(p, xs, ys)))(params)
    g2 = vmap(cr.grad(_xent), in_axes=(None, 0, 0))(params, xs, ys)
    for (a, b), (c, d) in zip(g1, g2):
        np.testing.assert_allclose(a, c.sum(0), rtol=1e-10)
        np.testing.assert_allclose(b, d.sum(0), rtol=1e-10)


def test_vmap_jvp_vjp_and_nested(rng):
    f = lambda x: cnp.sin(x) * cnp.sum(x ** 2)
    xs = rng.normal(size=(B, 4))
    ts = rng.normal(size=(B, 4))
    out, tan = vmap(lambda x, t: cr.jvp(f, (x,), (t,)))(xs, ts)
    for i in range(B):
        o, t = cr.jvp(f, (xs[i],), (ts[i],))
        np.testing.assert_allclose(out[i], o)
        np.testing.assert_allclose(tan[i], t)
    ct = vmap(lambda x, u: cr.vjp(f, x)[1](u)[0])(xs, ts)
    for i in range(B):
        np.testing.assert_allclose(ct[i], cr.vjp(f, xs[i])[1](ts[i])[0])
    # vmap of vmap, both axes mapped
    X = rng.normal(size=(B, 5, 4))
    got = vmap(vmap(f, in_axes=1), in_axes=0)(np.swapaxes(X, 1, 2))
    np.testing.assert_allclose(got, np.stack([[np.asarray(f(X[i, j])) for j in range(5)]
                                              for i in range(B)]))


def test_jacobians_and_hessian_through_vmap(rng):
    f = lambda x: cnp.tanh(x[:2] * x[1:])
    xs = rng.normal(size=(B, 3))
    for jac in (cr.jacfwd, cr.jacrev):
        got = vmap(jac(f))(xs)
        for i in range(B):
            np.testing.assert_allclose(got[i], jac(f)(xs[i]), rtol=1e-12)
    h = vmap(cr.hessian(lambda x: cnp.sum(cnp.sin(x) * x[0])))(xs)
    for i in range(B):
        np.testing.assert_allclose(h[i], cr.hessian(lambda x: cnp.sum(cnp.sin(x) * x[0]))(xs[i]))
    # Jacobian of a vmapped function is block diagonal
    J = cr.jacfwd(vmap(cnp.sin))(xs[:, 0])
    np.testing.assert_allclose(J, np.diag(np.cos(xs[:, 0])))
    J = cr.jacrev(vmap(cnp.sin))(xs[:, 0])
    np.testing.assert_allclose(J, np.diag(np.cos(xs[:, 0])))


def test_grad_of_vmap_of_grad(rng):
    # second order through a batched per-example gradient: d/dw sum_i |grad_x f(w, x_i)|^2
    f = lambda w, x: cnp.sum(cnp.tanh(w * x))
    w = rng.normal(size=3)
    xs = rng.normal(size=(B, 3))
    def obj(w):
        g = vmap(cr.grad(f, argnums=1), in_axes=(None, 0))(w, xs)
        return cnp.sum(g ** 2)
    def obj_loop(w):
        return sum(cnp.sum(cr.grad(f, argnums=1)(w, xs[i]) ** 2) for i in range(B))
    np.testing.assert_allclose(cr.grad(obj)(w), cr.grad(obj_loop)(w), rtol=1e-10)


def test_dp_sgd_clipping_example(rng):
    params = _params(rng)
    xs = rng.normal(size=(8, 4))
    ys = np.eye(3)[rng.integers(0, 3, size=8)]
    g = vmap(cr.grad(_xent), in_axes=(None, 0, 0))(params, xs, ys)
    leaves = cr.tree.leaves(g)
    norms = np.sqrt(sum(np.sum(l.reshape(8, -1) ** 2, axis=1) for l in leaves))
    scale = np.minimum(1.0, 0.5 / norms)
    clipped = [l * scale.reshape((-1,) + (1,) * (l.ndim - 1)) for l in leaves]
    new_norms = np.sqrt(sum(np.sum(l.reshape(8, -1) ** 2, axis=1) for l in clipped))
    assert np.all(new_norms <= 0.5 + 1e-12)


def test_getitem_transpose_via_grad(rng):
    # the VJP of indexing is getitem_transpose; batched cotangents exercise its rule
    for idx in (1, (slice(None), np.array([0, 2, 2])), (np.array([0, 1]), 0, np.array([1, 0]))):
        f = lambda x: cnp.sum(cnp.sin(x[idx]))
        xs = rng.normal(size=(B, 3, 4, 2))
        got = vmap(cr.grad(f))(xs)
        for i in range(B):
            np.testing.assert_allclose(got[i], cr.grad(f)(xs[i]))


# ---- the Jacobian engine: one batched pass equals one pass per basis vector ------------------
def _jacobian_by_columns(f, x):
    """Reference: one cr.jvp per input basis vector."""
    cols = [cr.jvp(f, (x,), (np.eye(x.size)[k],))[1] for k in range(x.size)]
    return np.stack(cols, axis=-1)


def _jacobian_by_rows(f, x):
    """Reference: one pullback of cr.vjp per output basis vector."""
    out, pullback = cr.vjp(f, x)
    return np.stack([pullback(np.eye(out.size)[k])[0] for k in range(out.size)])


def test_batched_jacobians_match_one_pass_per_basis_vector(rng):
    W = rng.normal(size=(4, 3))
    f = lambda x, y: {"a": cnp.tanh(W @ x) * y[0], "b": cnp.sum(x * y[1:])}
    x, y = rng.normal(size=3), rng.normal(size=4)
    g = lambda x: cnp.tanh(W @ x) * x[0]
    for jac in (cr.jacfwd, cr.jacrev, cr.jacobian):
        for ref in (_jacobian_by_columns, _jacobian_by_rows):
            np.testing.assert_allclose(jac(g)(x), ref(g, x), rtol=1e-12, atol=1e-14)
        for argnums in (0, 1, (0, 1)):
            got, want = jac(f, argnums)(x, y), cr.jacfwd(f, argnums)(x, y)
            for a, b in zip(cr.tree.leaves(got), cr.tree.leaves(want)):
                np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)
                assert np.shape(a) == np.shape(b)
    h = cr.jacfwd(cr.jacrev(lambda x: cnp.sum(cnp.sin(x) * x[0])))(x)
    np.testing.assert_allclose(h, cr.hessian(lambda x: cnp.sum(cnp.sin(x) * x[0]))(x),
                               rtol=1e-12)
    J, aux = cr.jacrev(lambda x: (cnp.sin(x), x[0] * 2), has_aux=True)(x)
    np.testing.assert_allclose(J, np.diag(np.cos(x)))
    assert float(aux) == 2 * x[0]


def test_jacobians_fall_back_to_one_basis_vector_at_a_time():
    # A custom JVP rule that reads its tangent as data cannot be batched: the engine then
    # maps the same JVP over the basis vectors one by one.
    @cr.custom_jvp
    def f(x):
        return cnp.sin(x)

    @f.defjvp
    def f_jvp(primals, tangents):
        (x,), (t,) = primals, tangents
        scale = 1.0 if bool(cnp.all(t == 0)) else 2.0
        return cnp.sin(x), scale * cnp.cos(x) * t

    x = np.array([1.0, 2.0])
    with pytest.raises(BatchedValueError):
        vmap(lambda t: cr.jvp(f, (x,), (t,))[1])(np.eye(2))
    want = 2 * np.diag(np.cos(x))
    np.testing.assert_allclose(cr.jacfwd(f)(x), want)
    np.testing.assert_allclose(cr.jacobian(f, mode="forward")(x), want)
    J, aux = cr.jacfwd(lambda x: (f(x), x[0]), has_aux=True)(x)
    np.testing.assert_allclose(J, want)
    assert float(aux) == 1.0


def test_jacobians_of_empty_inputs():
    for jac in (cr.jacfwd, cr.jacrev, cr.jacobian):
        assert jac(lambda x: x ** 2)(np.zeros(0)).shape == (0, 0)
        assert jac(lambda x: cnp.sum(x) + 1.0)(np.zeros(0)).shape == (0,)
