"""HIPS autograd's other example programs moved to chainrule (tests/ports/): each runs through
chainrule.autograd with only its import lines changed (<name>.py) and on chainrule's own API
(<name>_native.py); both give the same numbers, their derivatives agree with closed forms or
central differences in float64, and training lowers the loss as the original does."""
import contextlib
import io
import math

import numpy as onp
import pytest
import scipy.special
import scipy.stats

import chainrule as cr

from ports.harness import load, directional  # tests/ports/harness.py


def run(name):
    """(module, main()'s result) with the program's printing kept out of the test log."""
    m = load(name)
    with contextlib.redirect_stdout(io.StringIO()):
        return m, m.main()


def same_numbers(a, b, rtol=1e-12):
    fa, fb = cr.tree.leaves(a), cr.tree.leaves(b)
    assert len(fa) == len(fb)
    for x, y in zip(fa, fb):
        onp.testing.assert_allclose(onp.asarray(x, dtype=float), onp.asarray(y, dtype=float),
                                    rtol=rtol, atol=1e-12)


def test_gaussian_processes():
    m, (gp, deep, lvm, bo) = run("gaussian_processes")
    _, native = run("gaussian_processes_native")
    objective, init, result = gp
    X, y = m.build_toy_dataset()
    p = onp.array([0.3, -1.0, 0.2, -0.4])
    mean, noise = p[0], onp.exp(p[1]) + 1e-4
    d = (X / onp.exp(p[3]))[:, None, 0] - (X / onp.exp(p[3]))[None, :, 0]
    K = onp.exp(p[2]) * onp.exp(-0.5 * d ** 2) + noise * onp.eye(len(y))
    assert abs(objective(p) + scipy.stats.multivariate_normal.logpdf(y, mean * onp.ones(20), K)) < 1e-10
    g = cr.grad(objective)(p)
    # d/dmean of -log N(y; mean·1, K) = -1ᵀK⁻¹(y - mean·1)
    assert abs(g[0] + onp.ones(20) @ onp.linalg.solve(K, y - mean)) < 1e-10
    directional(objective, p, g)
    assert result.fun < objective(init) - 30 and onp.linalg.norm(cr.grad(objective)(result.x)) < 1e-3
    assert native[0][2].fun <= result.fun + 1e-9          # trust-exact with chainrule.hessian
    d_obj, d_init, d_result, pred_mean = deep
    directional(d_obj, d_init + 0.2, cr.grad(d_obj)(d_init + 0.2))
    assert d_result.fun < d_obj(d_init) - 30 and pred_mean.shape == (7,)
    l_obj, l_init, l_result = lvm
    directional(l_obj, l_init, cr.grad(l_obj)(l_init), seed=1)
    assert l_result.fun < l_obj(l_init) - 50
    best_x, best_y, Xs, ys = bo
    f = lambda x: onp.sum(x * onp.sin(10.0 * x) + x) - 1
    onp.testing.assert_allclose(ys, [f(x) for x in Xs], rtol=1e-14)   # each query evaluated
    assert best_y == ys.max() and 0.0 <= Xs.min() and Xs.max() <= 1.1
    same_numbers([deep[2].x, lvm[2].x, bo[2]], [native[1][2].x, native[2][2].x, native[3][2]])


def test_gaussian_process_acquisition_gradient():
    m = load("gaussian_processes")
    # expected_new_max = M − (μ − M)Φ(z) + s·pdf(μ; M, s) = M − (μ − M)Φ(z) + φ(z), z = (μ − M)/s,
    # so d/dμ = −Φ(z) − zφ(z) − zφ(z)/s
    mu, s, best = 0.5, 0.7, 0.2
    z = (mu - best) / s
    g = cr.grad(lambda mu: m.expected_new_max(mu, s, best))(mu)
    phi = scipy.stats.norm.pdf(z)
    assert abs(g - (-scipy.stats.norm.cdf(z) - z * phi * (1 + 1 / s))) < 1e-12


def fresh_bbsvi_objective(m, logprob, D, n):
    def objective(params):   # a new sampler per call: the same draws at x ± hv
        return m.black_box_variational_inference(logprob, D, n)[0](params, 0)
    return objective


def test_variational_inference():
    m, (bbsvi, natural, mixture) = run("variational_inference")
    _, native = run("variational_inference_native")
    same_numbers([bbsvi, natural[:2], mixture[:3]], [native[0], native[1][:2], native[2][:3]])
    params, bounds = bbsvi
    assert onp.mean(bounds[-10:]) > onp.mean(bounds[:10]) + 5
    objective = fresh_bbsvi_objective(m, m.log_posterior, 2, 50)
    x = onp.array([0.1, -0.5, -1.0, 0.3])
    directional(objective, x, cr.grad(objective)(x))
    # the ELBO's gradient in the mean of a Gaussian target at fixed draws: the entropy does
    # not depend on the mean, so only E[∇ log p] remains
    eps = onp.random.RandomState(0).randn(50, 2)
    samples = eps * onp.exp(x[2:]) + x[:2]
    mu, ls = samples[:, 0], samples[:, 1]
    d_mu = -mu / onp.exp(2 * ls)
    assert abs(cr.grad(objective)(x)[0] + d_mu.mean()) < 1e-12
    standard, nat, fisher_diag, unpack = natural
    assert nat[-1] > nat[0] and standard[-1] > standard[0]
    # the natural gradient's metric is the Fisher of q: the Hessian of KL(q_λ0 ‖ q_λ) at λ0
    lam0 = onp.concatenate([0.3 * onp.arange(10.0) - 1.0, 0.1 * onp.arange(10.0) - 0.5])
    def kl(lam):
        (m0, s0), (m1, s1) = unpack(lam0), unpack(lam)
        return onp.sum(s1 - s0) + 0.5 * cr.numpy.sum(
            (cr.numpy.exp(2 * s0) + (m0 - m1) ** 2) / cr.numpy.exp(2 * s1) - 1)
    onp.testing.assert_allclose(onp.diag(cr.hessian(kl)(lam0)), fisher_diag(lam0), rtol=1e-12)
    var_params, mbounds, samples, build = mixture
    assert onp.mean(mbounds[-10:]) > onp.mean(mbounds[:10]) + 3 and samples.shape == (7, 2)
    def mixture_objective(p):
        elbo = build(m.bimodal_log_density, num_samples=5, k=3, rs=onp.random.RandomState(3))[1]
        return -elbo(p, 0)
    p = build(m.bimodal_log_density, 5, k=3)[0](2, rs=onp.random.RandomState(1),
                                                log_std_mean=-1)
    directional(mixture_objective, p, cr.grad(mixture_objective)(p))


def test_negative_binomial_newton_and_ica():
    m, ((data, r, p, stationary, fit), ica) = run("likelihoods")
    _, native = run("likelihoods_native")
    same_numbers([r, p, ica[2].x], [native[0][1], native[0][2], native[1][2].x])
    n, xbar = len(data), data.mean()
    # the maximum-likelihood r solves Σψ(r + x) − nψ(r) + n·log(r / (r + x̄)) = 0, p = x̄ / (r + x̄)
    assert abs(scipy.special.digamma(r + data).sum() - n * scipy.special.digamma(r)
               + n * math.log(r / (r + xbar))) < 1e-8
    assert abs(p - xbar / (r + xbar)) < 1e-14 and max(abs(s) for s in stationary) < 1e-8
    # grad(grad(...)) of a function that is itself a gradient, through p(r)
    loglike = lambda r, p: m.np.sum(m.negbin_loglike(r, p, data))
    rprime = lambda r: m.grad(loglike)(r, m.np.sum(data) / m.np.sum(r + data))
    h = 1e-4
    fd = (rprime(3.0 + h) - 2 * rprime(3.0) + rprime(3.0 - h)) / h ** 2
    assert abs(m.grad(m.grad(rprime))(3.0) - fd) < 1e-4 * abs(fd)
    objective, init, result, unpack, obs = ica
    w, lat, sd = unpack(init)
    want = -scipy.stats.t.logpdf(lat.T @ w.T, 2.4, obs, sd).sum() / obs.shape[0]
    assert abs(objective(init) - want) < 1e-10
    directional(objective, init, cr.grad(objective)(init))
    assert result.fun < objective(init) / 1.5


def taylor_terms(x0):
    """How many terms the port's loop sums at x0 (it stops after one below 0.2 in size)."""
    term, k = x0, 0
    while True:
        term = -term * x0 ** 2 / ((2 * k + 3) * (2 * k + 2))
        k += 1
        if abs(term) < 0.2:
            return k


def test_custom_rules_fixed_points_and_sinusoid():
    m, (define, fixed, sinus) = run("custom_rules")
    _, native = run("custom_rules_native")
    y, g = define
    p = onp.exp(y ** 2 - onp.log(onp.sum(onp.exp(y ** 2))))
    onp.testing.assert_allclose(g, 2 * y * p, rtol=1e-12)      # d lse(y²)/dy = 2y·softmax(y²)
    onp.testing.assert_allclose(native[0][1], g, rtol=1e-13)
    a = 2.0
    for out, tol in ((fixed, 1e-3), (native[1], 1e-9)):   # autograd's loop stops at 1e-4
        assert abs(out[1] - math.sqrt(a)) < tol and abs(out[3] - 0.5 / math.sqrt(a)) < tol
        assert abs(out[5] + 0.25 * a ** -1.5) < tol
        assert abs(out[7] - 0.5 / math.sqrt(a)) < 1e-12 and abs(out[8] + 0.25 * a ** -1.5) < 1e-10
    # the second derivative of the loop's solution is that of x(a) solving x = T(x, a)
    x = fixed[1]
    assert abs(fixed[5] + 0.25 * x ** -3) < 1e-12
    xs, curves, taylor, whole = sinus
    onp.testing.assert_allclose(curves[1], onp.cos(xs), rtol=1e-13, atol=1e-15)
    onp.testing.assert_allclose(curves[2], -onp.sin(xs), rtol=1e-13, atol=1e-15)
    onp.testing.assert_allclose(whole[1], -onp.sin(xs), rtol=1e-13, atol=1e-15)
    for i, x0 in enumerate(xs):
        series = onp.polynomial.Polynomial([0.0 if j % 2 == 0 else
                                            (-1) ** (j // 2) / math.factorial(j)
                                            for j in range(2 * taylor_terms(x0) + 2)])
        for order in (0, 1, 2):
            want = series.deriv(order)(x0)
            assert abs(taylor[order][i] - want) <= 1e-9 * max(1.0, abs(want)), (x0, order)
            assert abs(native[2][2][order][i] - want) <= 1e-9 * max(1.0, abs(want))
    onp.testing.assert_allclose(native[2][1][2], -onp.sin(xs), rtol=1e-13, atol=1e-15)


def test_lstm_gan_and_vae():
    m, (lstm, gan, vae) = run("generative_models")
    _, native = run("generative_models_native")
    same_numbers([lstm[1], gan[2], vae[1]], [native[0][1], native[1][2], native[2][1]])
    init, trained, losses, inputs = lstm
    assert losses[-1] < losses[0] / 2
    f = lambda p: -m.lstm_log_likelihood(p, inputs[:4, :2], inputs[:4, :2])
    flat, unflatten = cr.flatten(trained)
    directional(lambda w: f(unflatten(w)), flat, cr.flatten(cr.grad(f)(trained))[0])
    gen, dsc, (gen_opt, dsc_opt), abilities, images = gan
    def objective(g, d):
        return m.gan_objective(g, d, images[:10], 10, 3, onp.random.RandomState(7))
    g_gen, g_dsc = m.grad(objective, argnum=(0, 1))(gen, dsc)
    assert isinstance(g_gen, list) and all(isinstance(layer, tuple) for layer in g_dsc)
    for params, grads, which in ((gen, g_gen, 0), (dsc, g_dsc, 1)):
        flat, unflatten = cr.flatten(params)
        f = (lambda w: objective(unflatten(w), dsc)) if which == 0 else \
            (lambda w: objective(gen, unflatten(w)))
        directional(f, flat, cr.flatten(grads)[0])
    assert abilities[-1] < abilities[0] - 0.1     # the discriminator tells real from fake
    init, trained, bounds, images, fake = vae
    assert onp.mean(bounds[-8:]) < onp.mean(bounds[:8]) - 0.1
    assert fake.shape == (5, 8) and onp.all((0 < fake) & (fake < 1))
    def lower_bound(params):
        return m.vae_lower_bound(params[0], params[1], images[:6], onp.random.RandomState(2))
    flat, unflatten = cr.flatten(trained)
    directional(lambda w: lower_bound(unflatten(w)), flat,
                cr.flatten(cr.grad(lower_bound)(trained))[0])


def test_hmm_expectation_maximisation():
    m, (init, fitted, loglikes, seqs) = run("hmm_em")
    _, native = run("hmm_em_native")
    same_numbers([fitted, loglikes], [native[1], native[2]])
    assert onp.all(onp.diff(loglikes) > -1e-9)     # EM never lowers the likelihood
    assert loglikes[-1] > loglikes[0] + 50
    for a in fitted:
        onp.testing.assert_allclose(a.sum(-1), 1.0, rtol=1e-12)
    # the E step: d log Z / d log π is the posterior of the first state, summed over sequences
    natural = [onp.log(a) for a in init]
    g = cr.grad(m.log_partition_function)(natural, seqs)
    # and d/d log A counts the transitions (one into each observation, the first included)
    assert abs(g[0].sum() - len(seqs)) < 1e-12 and abs(g[1].sum() - sum(map(len, seqs))) < 1e-10
    flat, unflatten = cr.flatten(natural)
    directional(lambda w: m.log_partition_function(unflatten(w), seqs), flat, cr.flatten(g)[0])


def test_optimizers_and_meta_optimisation():
    m, (trained, hyper) = run("optimizers")
    _, native = run("optimizers_native")
    same_numbers([trained, hyper], [native[0], native[1]])
    start = m.training_loss(onp.zeros(3))
    assert all(loss < start - 0.02 for loss in trained.values())
    assert trained["sgd"] == trained["misc sgd"] and trained["rmsprop"] == trained["misc rmsprop"]
    h = 1e-6
    cases = {"d/d step (misc sgd)": (lambda s: m.train_with(m.optimizers.sgd, onp.zeros(3), num_iters=20, step_size=s), 0.5),
             "d/d mass (misc sgd)": (lambda s: m.train_with(m.optimizers.sgd, onp.zeros(3), num_iters=20, mass=s), 0.5),
             "d/d step (misc adam)": (lambda s: m.train_with(m.optimizers.adam, onp.zeros(3), num_iters=10, step_size=s), 0.05)}
    for key, (f, x0) in cases.items():
        fd = (f(x0 + h) - f(x0 - h)) / (2 * h)
        assert abs(hyper[key] - fd) < 1e-6 * max(1.0, abs(fd)), key
    for name in ("sgd", "rmsprop", "adam"):
        f = lambda w: m.training_loss(getattr(m, name)(m.training_grad, w, num_iters=10))
        directional(f, onp.ones(3), hyper[f"d/d w0 ({name})"])


def test_trust_constr_and_kfac():
    m, (result, (losses, params, F, inputs)) = run("second_order")
    _, native = run("second_order_native")
    same_numbers([result.x, losses, F], [native[0].x, native[1][0], native[1][2]])
    # min x0² + x1² subject to x0² − (x1 − 1)² ≥ 2: x = (1.5, 0.5), f = 2.5
    onp.testing.assert_allclose(result.x, [1.5, 0.5], atol=1e-3)
    combo = m.linear_combination_of_hessians(m.constraint_fun)(onp.array([0.3, 0.7]), onp.array([2.0]))
    onp.testing.assert_allclose(combo, [[4.0, 0.0], [0.0, -4.0]], rtol=1e-14)
    assert losses[-1] < 0.7 * losses[0]
    # the exact Fisher of the last layer: mean of Jᵀ (diag p − p pᵀ) J, p = softmax(z)
    W, b = params[-1]
    hidden = onp.tanh(inputs @ params[0][0] + params[0][1])
    z = hidden @ W + b
    P = onp.exp(z - scipy.special.logsumexp(z, axis=1, keepdims=True))
    want = onp.zeros_like(F)
    for h, pn in zip(hidden, P):
        J = cr.jacobian(lambda w: h @ w[:15].reshape(5, 3) + w[15:])(onp.zeros(18))
        want += J.T @ (onp.diag(pn) - onp.outer(pn, pn)) @ J
    onp.testing.assert_allclose(F, want / len(inputs), rtol=1e-10, atol=1e-14)
    # K-FAC's gradient samples at the output are (sampled one-hot − softmax), row by row
    a_samples, g_samples = m.collect_activations_and_grad_samples(params, inputs, onp.random.RandomState(5))
    targets = m.sample_discrete_from_log(onp.log(P), onp.random.RandomState(5))
    onp.testing.assert_allclose(g_samples[-1], targets - P, rtol=1e-10, atol=1e-12)
    onp.testing.assert_allclose(a_samples[1], hidden, rtol=1e-14)


def test_wing_shape_optimisation():
    m, (init, result, values) = run("wing")
    _, native = run("wing_native")
    same_numbers(result.x, native[1].x)
    assert result.fun < m.objective(init) - 0.1
    x = init + 0.1 * onp.random.RandomState(0).randn(init.size)
    directional(m.objective, x, cr.grad(m.objective)(x), rtol=1e-5)


def test_print_trace_and_dot_graph():
    m, (out, lines, dot) = run("print_trace")
    t = math.sin(2.46)
    assert lines[:5] == ["A = 1.23", "B = add(A,A) = 2.46", f"C = sin(B) = {t}",
                         f"D = add(C,C) = {t + t}", f"E = divide(D,2) = {(t + t) / 2}"]
    assert [line.split(" = ")[1].split("(")[0] for line in lines[7:-1]] == \
        ["add", "sin", "add", "divide", "cos", "multiply", "add"]
    assert lines[-2] == f"H = add(G,G) = {math.cos(2.0) + math.cos(2.0)}"   # d sin(2x)/dx at 1
    (value, node), (gvalue, gnode) = out
    assert value == (t + t) / 2 and gnode.varname == "H" and gvalue == 2 * math.cos(2.0)
    _, (native, native_dot) = run("print_trace_native")
    assert [line.split(" = ")[-1] for line in native[0][1]] == \
        [line.split(" = ")[-1] for line in lines[:5]]
    # (sin(x) + exp(x) − 0.5)·sin(x): five operations, sin feeding two of them, 0.5 a constant
    labels = [part.split('"')[1] for part in dot.split("label=")[1:]]
    assert sorted(labels) == sorted(["multiply", "subtract", "add", "sin", "exp", "input", "0.5",
                                     "output"])
    assert dot.count(" -> ") == 9 and dot.startswith("digraph G {")
    assert native_dot.count(" -> ") == 7 and "sin" in native_dot and "exp" in native_dot


def test_rkhs_on_pytrees():
    m, (f, fitted, rkhs_gradient) = run("rkhs_native")
    xs, ys = onp.arange(5.0), onp.array([1.0, 2, 3, 2, 1])
    K = onp.exp(-(xs[:, None] - xs[None, :]) ** 2)
    alpha = onp.zeros(5)
    for _ in range(100):                      # α ← α − 0.02 (Kα − y): the same ascent by hand
        alpha = alpha - 0.02 * (K @ alpha - ys)
    onp.testing.assert_allclose(fitted, K @ alpha, rtol=1e-12)
    g = rkhs_gradient(m.logprob, f, range(5), list(ys))
    onp.testing.assert_allclose([g.alphas[x] for x in xs], -2 * (K @ alpha - ys), rtol=1e-9)
