"""chainrule.autograd: programs written the way HIPS autograd users write them, with only
the import lines changed, checked against closed forms and central differences.

Where HIPS autograd itself is installed (the ``bench`` extra), a few programs are also run
with it and the results compared.
"""
import collections

import numpy as onp
import pytest

import chainrule.autograd as autograd
import chainrule.autograd.numpy as np
import chainrule.autograd.numpy.random as npr
from chainrule.autograd.extend import primitive, defvjp, defjvp, defvjp_argnum, def_linear
from chainrule.autograd.misc import flatten
from chainrule.autograd.misc.optimizers import adam, sgd, rmsprop
from chainrule.autograd.misc.fixed_points import fixed_point
from chainrule.autograd.test_util import check_grads
from chainrule.autograd.scipy.special import logsumexp, expit
import chainrule.autograd.scipy.stats.norm as norm
from chainrule.autograd.builtins import isinstance as ag_isinstance


def central(f, x, h=1e-6):
    """Central differences of scalar ``f`` at the float64 array ``x``."""
    x = onp.array(x, dtype=float)
    g = onp.zeros_like(x)
    for i in onp.ndindex(*x.shape):
        e = onp.zeros_like(x)
        e[i] = h
        g[i] = (f(x + e) - f(x - e)) / (2 * h)
    return g


# ---- programs ------------------------------------------------------------------------------
def test_logistic_regression_trained_with_adam():
    rs = npr.RandomState(0)
    inputs = rs.randn(40, 3)
    true_w = onp.array([1.5, -2.0, 0.5])
    targets = (inputs @ true_w + 0.3 * rs.randn(40) > 0).astype(float)

    def training_loss(weights, it=0):
        preds = expit(np.dot(inputs, weights["w"]) + weights["b"])
        probs = preds * targets + (1 - preds) * (1 - targets)
        return -np.sum(np.log(probs))

    params = {"w": onp.zeros(3), "b": 0.0}
    g = autograd.grad(training_loss)(params)
    p = expit(inputs @ params["w"] + params["b"])
    onp.testing.assert_allclose(g["w"], inputs.T @ (p - targets), rtol=1e-12)   # closed form
    onp.testing.assert_allclose(g["b"], onp.sum(p - targets), rtol=1e-12)

    seen = []

    def callback(params, it, gradient):
        seen.append((it, sorted(params), sorted(gradient)))

    trained = adam(autograd.grad(training_loss), params, callback=callback,
                   num_iters=200, step_size=0.1)
    assert [s[0] for s in seen] == list(range(200))
    assert seen[0][1] == seen[0][2] == ["b", "w"]
    assert training_loss(trained) < 0.5 * training_loss(params)
    assert onp.sign(trained["w"]).tolist() == onp.sign(true_w).tolist()


def test_two_layer_network_gradient_over_a_list_of_tuples():
    rs = npr.RandomState(1)
    params = [(0.5 * rs.randn(2, 4), 0.1 * rs.randn(4)), (0.5 * rs.randn(4, 1), 0.1 * rs.randn(1))]
    X, y = rs.randn(6, 2), rs.randn(6, 1)

    def predict(params, inputs):
        for W, b in params[:-1]:
            inputs = np.tanh(np.dot(inputs, W) + b)
        W, b = params[-1]
        return np.dot(inputs, W) + b

    def loss(params):
        return 0.5 * np.mean((predict(params, X) - y) ** 2)

    g = autograd.grad(loss)(params)
    assert isinstance(g, list) and isinstance(g[0], tuple)
    assert [tuple(a.shape for a in layer) for layer in g] == [((2, 4), (4,)), ((4, 1), (1,))]
    vec, unflatten = flatten(params)
    flat_g, _ = flatten(g)
    onp.testing.assert_allclose(flat_g, central(lambda v: loss(unflatten(v)), vec),
                                rtol=1e-6, atol=1e-9)
    # sgd over the same structure, with autograd's (params, i) gradient signature.
    trained = sgd(lambda p, i: autograd.grad(loss)(p), params, num_iters=100, step_size=0.5)
    assert loss(trained) < loss(params)
    assert isinstance(trained, list) and isinstance(trained[1], tuple)


def test_custom_primitive_with_defvjp_both_modes_and_second_order():
    calls = []

    @primitive
    def logsumexp_rows(x):
        calls.append(1)
        m = np.max(x, axis=1, keepdims=True)
        return (m + np.log(np.sum(np.exp(x - m), axis=1, keepdims=True)))[:, 0]

    def logsumexp_vjp(ans, x):
        return lambda g: g[:, None] * np.exp(x - ans[:, None])

    defvjp(logsumexp_rows, logsumexp_vjp)
    x = npr.RandomState(2).randn(3, 4)
    softmax = onp.exp(x) / onp.exp(x).sum(axis=1, keepdims=True)
    f = lambda x: np.sum(logsumexp_rows(x) ** 2)
    expected = 2 * logsumexp(x, axis=1)[:, None] * softmax
    onp.testing.assert_allclose(autograd.grad(f)(x), expected, rtol=1e-12)
    onp.testing.assert_allclose(autograd.elementwise_grad(logsumexp_rows)(x), softmax, rtol=1e-12)
    v = onp.ones_like(x)
    _, tangent = autograd.make_jvp(logsumexp_rows)(x)(v)   # forward mode from the VJP
    onp.testing.assert_allclose(tangent, onp.ones(3), rtol=1e-12)
    check_grads(f, modes=["fwd", "rev"], order=2)(x)
    assert calls   # the primitive's own body ran (it is not inlined away)


def test_primitive_with_static_arguments_and_keywords():
    @primitive
    def power(x, n, scale=1.0):
        return scale * x ** n

    defvjp(power, lambda ans, x, n, scale=1.0: lambda g: g * scale * n * x ** (n - 1), None)
    d = autograd.grad(lambda x: power(x, 3, scale=2.0))(2.0)
    assert float(d) == pytest.approx(24.0)
    # None: a zero derivative for the exponent, as autograd has it.
    assert float(autograd.grad(power, 1)(2.0, 3.0)) == 0.0


def test_primitive_with_defjvp_only_runs_in_reverse_mode_too():
    @primitive
    def shifted_sin(x, c):
        return np.sin(x) + c

    defjvp(shifted_sin, lambda t, ans, x, c: np.cos(x) * t, lambda t, ans, x, c: t)
    x = onp.array([0.1, 0.7])
    onp.testing.assert_allclose(autograd.elementwise_grad(shifted_sin)(x, 1.0), onp.cos(x))
    assert float(autograd.grad(lambda c: np.sum(shifted_sin(x, c)))(1.0)) == pytest.approx(2.0)

    @primitive
    def scale(x, a):
        return a * x

    def_linear(scale)
    onp.testing.assert_allclose(autograd.grad(lambda a: np.sum(scale(x, a)))(2.0), x.sum())


def test_defvjp_argnum_and_missing_rule():
    @primitive
    def hypot(x, y):
        return np.sqrt(x ** 2 + y ** 2)

    defvjp_argnum(hypot, lambda i, ans, args, kwargs: lambda g: g * args[i] / ans)
    gx, gy = autograd.grad(hypot, (0, 1))(3.0, 4.0)
    assert (float(gx), float(gy)) == pytest.approx((0.6, 0.8))

    @primitive
    def bare(x):
        return x

    with pytest.raises(NotImplementedError, match="defvjp"):
        autograd.grad(bare)(1.0)
    assert bare(2.0) == 2.0   # no tracing: the plain function runs


def test_make_vjp_and_make_jvp_against_the_jacobian():
    A = npr.RandomState(3).randn(3, 2)
    f = lambda x: np.tanh(np.dot(A, x))
    x = onp.array([0.3, -0.2])
    J = (1 - onp.tanh(A @ x) ** 2)[:, None] * A
    vjp, ans = autograd.make_vjp(f)(x)
    onp.testing.assert_allclose(ans, onp.tanh(A @ x))
    u = onp.array([1.0, -2.0, 0.5])
    onp.testing.assert_allclose(vjp(u), u @ J, rtol=1e-12)
    ans2, jv = autograd.make_jvp(f)(x)(onp.array([1.0, 0.0]))
    onp.testing.assert_allclose(jv, J[:, 0], rtol=1e-12)
    onp.testing.assert_allclose(autograd.jacobian(f)(x), J, rtol=1e-12)
    # tensor_jacobian_product is the VJP with the tensor last.
    onp.testing.assert_allclose(autograd.vector_jacobian_product(f)(x, u), u @ J, rtol=1e-12)


def test_jacobian_and_hessian_shapes_are_out_then_in():
    x = onp.arange(6.0).reshape(2, 3) / 10
    J = autograd.jacobian(lambda x: np.sin(x).T)(x)
    assert J.shape == (3, 2, 2, 3)
    assert J[2, 1, 1, 2] == pytest.approx(onp.cos(x[1, 2]))
    H = autograd.hessian(lambda x: np.sum(x ** 3))(x)
    assert H.shape == (2, 3, 2, 3)
    onp.testing.assert_allclose(H.reshape(6, 6), onp.diag(6 * x.ravel()))


def test_hessian_vector_product_and_make_hvp():
    Q = onp.array([[2.0, 1.0], [1.0, 3.0]])
    f = lambda x: 0.5 * np.dot(x, np.dot(Q, x)) + np.sum(x ** 4)
    x, v = onp.array([0.5, -1.0]), onp.array([1.0, 2.0])
    H = Q + onp.diag(12 * x ** 2)
    onp.testing.assert_allclose(autograd.hessian_vector_product(f)(x, v), H @ v, rtol=1e-12)
    onp.testing.assert_allclose(autograd.hessian_tensor_product(f)(x, v), H @ v, rtol=1e-12)
    hvp, g = autograd.make_hvp(f)(x)
    onp.testing.assert_allclose(hvp(v), H @ v, rtol=1e-12)
    onp.testing.assert_allclose(g, Q @ x + 4 * x ** 3, rtol=1e-12)
    onp.testing.assert_allclose(autograd.hessian(f)(x), H, rtol=1e-12)
    # in another argument than the first
    f2 = lambda c, x: c * f(x)
    onp.testing.assert_allclose(autograd.hessian_vector_product(f2, 1)(2.0, x, v), 2 * H @ v)


def test_ggnvp_is_jtj_for_least_squares():
    A = npr.RandomState(4).randn(4, 3)
    ggnvp = autograd.make_ggnvp(lambda w: np.dot(A, w))(onp.zeros(3))
    v = onp.array([1.0, 0.0, -1.0])
    onp.testing.assert_allclose(ggnvp(v), A.T @ A @ v, rtol=1e-12)


def test_fixed_point_of_a_contraction():
    # x = cos(a x): the fixed point x*(a) has dx/da = -x sin(a x) / (1 + a sin(a x)).
    def update(a):
        return lambda x: np.cos(a * x)

    distance = lambda x, y: np.abs(x - y)
    solve = lambda a: fixed_point(update, a, 0.0, distance, 1e-12)
    a = 0.8
    x = float(solve(a))
    assert x == pytest.approx(onp.cos(a * x), abs=1e-10)
    expected = -x * onp.sin(a * x) / (1 + a * onp.sin(a * x))
    assert float(autograd.grad(solve)(a)) == pytest.approx(expected, rel=1e-7)
    assert float(autograd.grad(solve)(a)) == pytest.approx(
        (float(solve(a + 1e-6)) - float(solve(a - 1e-6))) / 2e-6, rel=1e-5)


def test_fixed_point_returns_the_loops_own_value():
    # autograd's fixed_point returns the iterate at which the loop stops (a loose tol leaves it
    # off the exact fixed point): the same float, and the derivative of the fixed point there.
    update = lambda a: lambda x: x - 0.05 * (x ** 2 - a)
    solve = lambda a: fixed_point(update, a, 10.0, lambda x, y: np.abs(x - y), 1e-4)
    x, previous = update(2.0)(10.0), 10.0
    while abs(x - previous) > 1e-4:
        x, previous = update(2.0)(x), x
    assert float(solve(2.0)) == x != onp.sqrt(2.0)
    # The fixed point of the step at x is sqrt(a): d/da = 1 / (2 x) there.
    assert float(autograd.grad(solve)(2.0)) == pytest.approx(0.5 / x, rel=1e-12)


def test_the_smaller_operators():
    v, g = autograd.value_and_grad(lambda x: np.sum(x ** 2))(onp.array([1.0, 2.0]))
    assert float(v) == 5.0 and g.tolist() == [2.0, 4.0]
    g, aux = autograd.grad_and_aux(lambda x: (np.sin(x), {"note": 1}))(0.0)
    assert float(g) == 1.0 and aux == {"note": 1}
    assert float(autograd.deriv(np.exp)(1.0)) == pytest.approx(onp.e)
    assert complex(autograd.holomorphic_grad(lambda z: z ** 3)(1 + 1j)) == pytest.approx(3 * (1 + 1j) ** 2)

    def energy(mass, velocity, height=2.0):
        return 0.5 * mass * velocity ** 2 + 9.8 * mass * height

    d = autograd.multigrad_dict(energy)(3.0, 4.0)
    assert isinstance(d, collections.OrderedDict) and list(d) == ["mass", "velocity", "height"]
    assert [float(x) for x in d.values()] == pytest.approx([8.0 + 19.6, 12.0, 29.4])
    assert float(autograd.grad_named(energy, "velocity")(3.0, 4.0)) == pytest.approx(12.0)

    block = autograd.checkpoint(lambda x, k=2.0: np.tanh(k * x))
    g = autograd.grad(lambda x: np.sum(block(block(x, k=3.0))))(onp.array([0.1, 0.2]))
    onp.testing.assert_allclose(g, central(lambda x: onp.sum(onp.tanh(2 * onp.tanh(3 * x))),
                                           [0.1, 0.2]), rtol=1e-7)


def test_builtins_and_namespaces():
    def f(x):
        assert ag_isinstance(x, onp.ndarray) and autograd.type(x) is onp.ndarray
        return np.sum(x)

    assert autograd.grad(f)(onp.ones(2)).tolist() == [1.0, 1.0]
    assert autograd.tuple is tuple and autograd.dict is dict
    assert np.random is onp.random or np.random.randn is onp.random.randn
    d = autograd.grad(lambda mu: np.sum(norm.logpdf(onp.array([0.5, 1.5]), mu, 1.0)))(0.0)
    assert float(d) == pytest.approx(2.0)   # Σ (x − μ)
    assert float(autograd.grad(lambda x: np.linalg.det(x))(onp.eye(2))[0, 0]) == 1.0


def test_check_grads_catches_a_wrong_rule():
    @primitive
    def wrong_sin(x):
        return np.sin(x)

    defvjp(wrong_sin, lambda ans, x: lambda g: g * 1.001 * np.cos(x))
    check_grads(np.sin, modes=["rev"])(0.4)
    with pytest.raises(Exception, match="(?i)grad|check|derivative"):
        check_grads(wrong_sin, modes=["rev"], order=1)(0.4)
    with pytest.raises(ValueError):
        check_grads(np.sin, modes=["backward"])(0.4)


def test_rmsprop_descends_a_quadratic_over_a_dict():
    target = {"a": onp.array([1.0, -2.0]), "b": 3.0}
    loss = lambda p: np.sum((p["a"] - target["a"]) ** 2) + (p["b"] - target["b"]) ** 2
    out = rmsprop(lambda p, i: autograd.grad(loss)(p), {"a": onp.zeros(2), "b": 0.0},
                  num_iters=300, step_size=0.05)
    assert loss(out) < 1e-2


def test_the_guide_runs_as_written():
    import pathlib
    import re
    guide = (pathlib.Path(__file__).resolve().parents[1] / "docs" / "autograd.md").read_text()
    (block,) = re.findall(r"```python\n(.*?)```", guide, flags=re.S)
    scope = {}
    exec(compile(block, "docs/autograd.md", "exec"), scope)
    onp.testing.assert_allclose(scope["trained"]["w"], [3.0, 3.0], atol=1e-2)
    assert abs(float(scope["trained"]["b"])) < 1e-2


def test_autograd_signal_convolve_against_a_direct_sum():
    import chainrule as cr
    import chainrule.autograd.scipy.signal as asig
    rng = onp.random.default_rng(3)
    A, B = rng.standard_normal((2, 7, 3)), rng.standard_normal((3, 4, 5))
    for mode, n in (("valid", 4), ("full", 10)):
        want = onp.zeros((2, 5, n))
        for i in range(2):
            for j in range(5):
                want[i, j] = sum(onp.convolve(A[i, :, c], B[c, :, j], mode=mode) for c in range(3))
        got = asig.convolve(A, B, axes=[[1], [1]], dot_axes=[[2], [0]], mode=mode)
        onp.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)
        # the arguments swapped: B's other axes first
        got = asig.convolve(B, A, axes=[[1], [1]], dot_axes=[[0], [2]], mode=mode)
        onp.testing.assert_allclose(got, onp.transpose(want, (1, 0, 2)), rtol=1e-12, atol=1e-12)
        cr.check_grads(lambda a, b, m=mode: asig.convolve(a, b, axes=[[1], [1]],
                                                          dot_axes=[[2], [0]], mode=m),
                       (A, B), order=2, modes=("fwd", "rev"))
    x, k = rng.standard_normal((4, 5)), rng.standard_normal((2, 3))
    onp.testing.assert_allclose(asig.convolve(x, k), onp.real(onp.fft.ifft2(
        onp.fft.fft2(x, (5, 7)) * onp.fft.fft2(k, (5, 7)))), atol=1e-12)
    with pytest.raises(ValueError):
        asig.convolve(onp.ones((3, 2)), onp.ones((2, 3)), mode="valid")


# ---- what HIPS autograd's own example programs use (found running them with only the imports
# changed: gmm.py, hmm_em.py, ode_net.py, convnet.py) ------------------------------------------
def test_flatten_func_and_grad_of_a_size_one_output():
    """gmm.py: ``flatten_func`` turns a scalar objective into one returning shape (1,), and
    autograd's grad, value_and_grad and hessian_vector_product take any output of size one."""
    from chainrule.autograd.misc.flatten import flatten_func
    params = {"a": np.array([1.0, 2.0]), "b": (3.0,)}

    def objective(p):
        return np.sum(p["a"] ** 2) * p["b"][0]
    flat_obj, unflatten, x = flatten_func(objective, params)
    assert flat_obj(x).shape == (1,)
    g = autograd.grad(flat_obj)(x)
    onp.testing.assert_allclose(g, central(lambda v: flat_obj(v)[0], x), rtol=1e-6)
    value, g2 = autograd.value_and_grad(flat_obj)(x)
    assert value.shape == (1,) and onp.allclose(g2, g)
    hvp = autograd.hessian_vector_product(flat_obj)(x, onp.array([1.0, 0.0, 0.0]))
    onp.testing.assert_allclose(hvp, [6.0, 0.0, 2.0], rtol=1e-12)
    with pytest.raises(TypeError, match="scalar"):
        autograd.grad(lambda v: v * 2.0)(x)


def test_error_state_and_dtype_helpers_pass_through():
    """hmm_em.py calls np.seterr; convnet.py np.prod(shape, dtype=int)."""
    old = np.seterr(divide="ignore")
    try:
        assert np.geterr()["divide"] == "ignore"
    finally:
        np.seterr(**old)
    with np.errstate(invalid="ignore"):
        assert np.finfo(np.float64).eps > 0
    assert np.prod((1, 28, 28), dtype=int) == 784
    assert np.issubdtype(np.mean(onp.ones(3), dtype=np.float32).dtype, np.float32)
    with pytest.raises(TypeError, match="imaginary"):
        np.prod(onp.array([1.0 + 1.0j]), dtype=float)


def test_odeint_with_pytree_args():
    """ode_net.py passes the network's list of (W, b) pairs as odeint's extra argument."""
    from chainrule.autograd.scipy.integrate import odeint
    t = onp.array([0.0, 0.5, 1.0])

    def loss(params):
        def rhs(y, s, p):
            (w, b), = p
            return np.tanh(np.dot(y, w) + b)
        return np.sum(odeint(rhs, onp.array([1.0, -0.5]), t, ([params],), rtol=1e-10,
                             atol=1e-10) ** 2)
    w0 = onp.array([[-0.3, 0.2], [0.1, -0.4]])
    g = autograd.grad(lambda w: loss((w, onp.zeros(2))))(w0)
    onp.testing.assert_allclose(g, central(lambda w: loss((w, onp.zeros(2))), w0, h=1e-5),
                                rtol=1e-5, atol=1e-8)
