"""Review of vmap, solvers, checkpointing and custom rules against loops, closed forms and
central differences (review4)."""
import warnings

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


# ---- checkpoint closing over a differentiated value, under vmap and grad-over-grad ----------
def _block_loss(w, r, ck):
    blk = lambda h: cnp.sin(h * w) * r          # closes over the differentiated w and over r
    blk = cr.checkpoint(blk) if ck else blk
    return cnp.sum(blk(r))


def test_checkpoint_closure_under_vmap_of_grad_matches_closed_form():
    # d/dw sum(sin(r w) r) = sum(r^2 cos(r w)); it gave 0 (the per-example loop over the
    # checkpoint call hid grad's tracer of w)
    x = np.array([[0.5, 1.0], [2.0, -1.0]])
    w = 0.7
    expected = np.sum(x ** 2 * np.cos(x * w), axis=1)
    got = cr.vmap(cr.grad(_block_loss), in_axes=(None, 0, None))(w, x, True)
    assert np.allclose(got, expected, rtol=1e-13)
    # grad outside vmap raised TracerEscapeError
    got = cr.grad(lambda w: cnp.sum(cr.vmap(_block_loss, in_axes=(None, 0, None))(w, x, True)))(w)
    assert np.isclose(got, np.sum(expected), rtol=1e-13)
    h = cr.hessian(lambda w: cnp.sum(cr.vmap(_block_loss, in_axes=(None, 0, None))(w, x, True)))(w)
    assert np.isclose(h, -np.sum(x ** 3 * np.sin(x * w)), rtol=1e-12)


def test_checkpoint_closing_over_inner_grads_value_under_outer_grad():
    # the block takes x (outer grad) and closes over w (inner grad): d/dx of
    # d/dw sum(sin(x w) x) = 2x cos(xw) - x^2 w sin(xw); it gave 0
    x, w = np.array([0.5, 1.2]), 0.7

    def inner(x, ck):
        def h(w):
            blk = lambda t: cnp.sin(t * w) * t
            return cnp.sum((cr.checkpoint(blk) if ck else blk)(x))
        return cr.grad(h)(w)
    expected = 2 * x * np.cos(x * w) - x ** 2 * w * np.sin(x * w)
    assert np.allclose(cr.grad(lambda x: inner(x, True))(x), expected, rtol=1e-13)
    assert np.allclose(cr.jacfwd(lambda x: inner(x, True))(x), expected, rtol=1e-13)
    assert np.array_equal(cr.grad(lambda x: inner(x, True))(x), cr.grad(lambda x: inner(x, False))(x))


def test_vmap_loop_fallback_refuses_custom_rule_closing_over_inner_tracer():
    # vmap(grad(f)) where f's custom_vjp closes over the differentiated w returned zeros
    def per(w, r):
        f = cr.custom_vjp(lambda t: cnp.sin(t * w))
        f.defvjp(lambda t: (cnp.sin(t * w), t), lambda t, g: (g * cnp.cos(t * w) * w,))
        return f(r)
    x = np.array([0.5, 1.2])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)   # the loop fallback's one-time notice
        with pytest.raises(TypeError, match="closes over a value that a transformation inside"):
            cr.vmap(cr.grad(per), in_axes=(None, 0))(0.7, x)
    # the same rule with w passed as an argument is batched correctly
    f = cr.custom_vjp(lambda t, w: cnp.sin(t * w))
    f.defvjp(lambda t, w: (cnp.sin(t * w), (t, w)),
             lambda res, g: (g * cnp.cos(res[0] * res[1]) * res[1],
                             g * cnp.cos(res[0] * res[1]) * res[0]))
    got = cr.vmap(cr.grad(lambda w, r: f(r, w)), in_axes=(None, 0))(0.7, x)
    assert np.allclose(got, x * np.cos(0.7 * x), rtol=1e-14)


@pytest.mark.parametrize("kind", ["vjp", "jvp"])
@pytest.mark.parametrize("outer", [cr.grad, cr.jacfwd])
def test_custom_rule_closing_over_inner_grads_value_is_refused_not_zero(kind, outer):
    # outer derivative in x of the inner grad in w, through a custom rule that takes x and
    # closes over w: it returned 0.0 (the rule hid the inner tracer); now a clear TypeError
    def inner(x):
        def h(w):
            body = lambda t: cnp.sin(t * w) * t
            if kind == "vjp":
                f = cr.custom_vjp(body)
                f.defvjp(lambda t: (body(t), t),
                         lambda t, g: (g * (cnp.cos(t * w) * w * t + cnp.sin(t * w)),))
            else:
                f = cr.custom_jvp(body)
                f.defjvp(lambda p, tt: (body(p[0]), (cnp.cos(p[0] * w) * w * p[0]
                                                     + cnp.sin(p[0] * w)) * tt[0]))
            return f(x)
        return cr.grad(h)(0.7)
    with pytest.raises(TypeError, match="closes over a value that a transformation inside"):
        outer(inner)(0.5)


@pytest.mark.parametrize("name", ["max", "min", "amax", "amin"])
def test_max_with_initial_and_where_matches_numpy(name):
    # (they raised a TypeError naming '_extremum.<locals>.<lambda>')
    x = np.array([[1.0, -2.0], [-3.0, -4.0]])
    mask = np.array([[True, False], [False, False]])
    ours, theirs = getattr(cnp, name), getattr(np, name)
    for kw in (dict(axis=1, initial=0.0), dict(initial=5.0), dict(initial=-5.0),
               dict(axis=0, initial=-10.0, where=mask), dict(axis=1, initial=0.0, keepdims=True)):
        got, expected = ours(x, **kw), theirs(x, **kw)
        assert type(got) is type(expected) and np.array_equal(got, expected), kw
    assert np.array_equal(ours(np.empty((0, 3)), axis=0, initial=1.5),
                          theirs(np.empty((0, 3)), axis=0, initial=1.5))
    assert ours(x.astype(np.float32), initial=np.float64(9.0)).dtype == np.float32
    with pytest.raises(ValueError, match="initial"):
        ours(x, where=mask)
    g = cr.grad(lambda x: cnp.sum(ours(x, axis=1, initial=0.0)))(x)
    np.testing.assert_array_equal(g, [[1.0, 0.0], [0.0, 0.0]] if "max" in name
                                  else [[0.0, 1.0], [0.0, 1.0]])


@pytest.mark.parametrize("tol", [-1.0, float("nan")])
def test_newton_krylov_and_root_reject_a_negative_or_nan_tol(tol):
    # it raised ZeroDivisionError from inside the forcing-term computation
    from chainrule import solvers
    with pytest.raises(ValueError, match="tol must be a number >= 0"):
        solvers.newton_krylov(lambda x: x - 1.0, np.zeros(2), tol=tol)
    with pytest.raises(ValueError, match="tol must be a number >= 0"):
        solvers.root(lambda x, a: x - a, np.zeros(2), 1.0, tol=tol)
    x, info = solvers.newton_krylov(lambda x: x - 1.0, np.zeros(2), tol=0.0)
    assert info.converged and np.array_equal(x, np.ones(2))
