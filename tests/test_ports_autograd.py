"""Programs moved from HIPS autograd (tests/ports/): the autograd examples' style, with only the
import lines changed (to chainrule.autograd, or to chainrule.numpy and chainrule's transforms).
Each runs as written, and its gradient agrees with closed forms or central differences."""
import math

import numpy as onp

import chainrule as cr

from ports.harness import load, directional  # tests/ports/harness.py


def flat_check(f, params, grads, **kw):
    """directional() for a function of a pytree of parameters."""
    flat, unflatten = cr.flatten(params)
    directional(lambda w: f(unflatten(w)), flat, cr.flatten(grads)[0], **kw)


def test_neural_net_with_minibatch_adam():
    m = load("neural_net")
    g0, trained = m.main()
    rs = m.npr.RandomState(1)          # main's data again
    centers = rs.randn(4, 10) * 2
    labels = rs.randint(4, size=200)
    X, T = centers[labels] + rs.randn(200, 10), onp.eye(4)[labels]
    params = m.init_random_params(0.1, [10, 16, 16, 4], rs=m.npr.RandomState(0))
    f = lambda p: -m.log_posterior(p, X[:32], T[:32], 1.0)
    flat_check(f, params, cr.grad(f)(params))
    onp.testing.assert_allclose(cr.flatten(g0)[0], cr.flatten(cr.grad(f)(params))[0], rtol=1e-12)
    assert isinstance(g0, list) and all(isinstance(layer, tuple) for layer in g0)  # the params' tree
    assert m.accuracy(trained, X, T) > 0.9 > m.accuracy(params, X, T)


def test_character_rnn():
    m = load("rnn")
    g, trained = m.main()
    inputs = m.build_dataset(m.text[:2], sequence_length=5, alphabet_size=128)
    params = m.create_rnn_params(input_size=128, output_size=128, state_size=4, param_scale=0.3,
                                 rs=m.npr.RandomState(3))
    f = lambda p: -m.rnn_log_likelihood(p, inputs, inputs)
    flat_check(f, params, cr.grad(f)(params))
    assert set(g) == {'init hiddens', 'change', 'predict'}


def test_convnet_with_autograd_convolve():
    m = load("convnet")
    g0, W = m.main()
    rs = onp.random.RandomState(2)
    images, T = rs.randn(6, 1, 10, 10), onp.eye(3)[rs.randint(3, size=6)]
    layers = [m.conv_layer((3, 3), 2), m.maxpool_layer((2, 2)), m.tanh_layer(5), m.softmax_layer(3)]
    n, _, loss, _ = m.make_nn_funs((1, 10, 10), layers, 0.01)
    w = rs.randn(n) * 0.3
    for seed in range(2):
        directional(lambda w: loss(w, images, T), w, cr.grad(loss)(w, images, T), seed=seed)


def test_tanh_derivatives_and_taylor_sine():
    m = load("tanh_taylor")
    out = m.main()
    x = onp.linspace(-7, 7, 50)
    t = onp.tanh(x)
    closed = [t, 1 - t ** 2, -2 * t * (1 - t ** 2), (1 - t ** 2) * (6 * t ** 2 - 2),
              (1 - t ** 2) * (16 * t - 24 * t ** 3)]      # tanh and its first four derivatives
    for got, want in zip(out, closed):
        onp.testing.assert_allclose(got, want, rtol=1e-7, atol=1e-12)
    # the sixth derivative at x = -7 is ~1e-4: HIPS autograd's exp-based chain gives 2e6 there
    # (cancellation in exp(14) terms); chainrule's tanh rule keeps it small
    assert abs(out[5][0]) < 1e-3
    sine_grad, sine_grad2, sine_grad3 = out[6:]
    # exactly the derivatives of the polynomial the loop sums (it stops after a term <= 0.001)
    for x0, order, got in ((math.pi, 1, sine_grad), (1.0, 2, sine_grad2), (0.5, 3, sine_grad3)):
        coefficients, k = [], 0
        while True:
            c = (-1) ** k / math.factorial(2 * k + 1)
            coefficients += [0.0, c]
            if abs(c * x0 ** (2 * k + 1)) <= 0.001:
                break
            k += 1
        series = onp.polynomial.Polynomial(coefficients)
        assert abs(got - series.deriv(order)(x0)) < 1e-12, (order, got)


def test_gaussian_mixture_with_bfgs():
    m = load("gmm")
    g0, x_fit, H = m.main()
    data = m.make_pinwheel(0.3, 0.05, 3, 20, 0.4)
    params = m.init_gmm_params(3, 2, 0.5, rs=m.npr.RandomState(4))
    f = lambda p: -m.gmm_log_likelihood(p, data)
    flat_check(f, params, cr.grad(f)(params))
    onp.testing.assert_allclose(H, H.T, atol=1e-9)
    flat, unflatten = cr.flatten(m.init_gmm_params(4, 2, 0.1))
    # make_pinwheel's default rs=npr.RandomState(0) is one generator for all calls: draw once
    more_data = m.make_pinwheel(0.3, 0.05, 3, 50, 0.4, rs=onp.random.RandomState(0))
    flat_f = lambda w: -m.gmm_log_likelihood(unflatten(w), more_data)
    cr.check_grads(flat_f, (flat,), order=1, modes=("fwd",))


def test_bayesian_neural_net_by_black_box_svi():
    m = load("bayesian_nn_svi")
    g0, trained, lp = m.main()
    n, _, logprob = m.make_nn_funs([1, 4, 1], 0.1, 0.01, nonlinearity=lambda x: onp.exp(-x ** 2)
                                   if isinstance(x, onp.ndarray) else m.np.exp(-x ** 2))
    inputs, targets = m.build_toy_dataset(n_data=10)

    def objective(params):   # a fresh sampler per call: the same draws at x + hv and x − hv
        obj = m.black_box_variational_inference(lambda w, t: logprob(w, inputs, targets), n, 5)[0]
        return obj(params, 0)

    rs = onp.random.RandomState(1)
    params = onp.concatenate([rs.randn(n), -1 + 0.1 * rs.randn(n)])
    directional(objective, params, cr.grad(objective)(params))
    assert abs(lp) < 1e-9        # mvn with a diagonal covariance is the product of the normals


def test_ode_net_natural_gradient_and_fixed_point():
    m = load("ode_net_natural_gradient")
    g_ode, w, H, Hv, F, sqrt_grad = m.main()
    onp.testing.assert_allclose(H, F, rtol=1e-12)      # the logistic NLL's Hessian is the Fisher
    onp.testing.assert_allclose(Hv, H @ onp.ones(3), rtol=1e-12)
    assert abs(sqrt_grad - 0.5 / math.sqrt(2.0)) < 1e-9
    t = onp.linspace(0.0, 1.0, 6)
    y0 = onp.array([1.0, 0.0])
    params = m.init_nn_params(0.3, [3, 5, 2], rs=onp.random.RandomState(2))
    target = m.euler(lambda y, t, p: onp.array([y[1], -y[0]]), y0, t, None)
    f = lambda p: m.np.sum((m.euler(m.func, y0, t, p) - target) ** 2)
    flat_check(f, params, cr.grad(f)(params))
