"""Machine-learning and statistics programs written by others for HIPS autograd, plain NumPy or
JAX, moved to chainrule (tests/ports/ml_*.py; docs/ports.md lists them with their sources and
what happened to each before chainrule's fixes). Each runs with only its import lines changed,
and each test checks a number that could come out wrong: a gradient against a closed form, the
program's own hand-written gradient or central differences in float64; a value against SciPy;
a fit that lowers its loss."""
import contextlib
import io

import numpy as onp
import pytest
import scipy.special
import scipy.stats

import chainrule as cr
import chainrule.autograd as ag

from ports.harness import load, directional  # tests/ports/harness.py


def run(name, entry="main", **kwargs):
    m = load(name)
    with contextlib.redirect_stdout(io.StringIO()):
        return m, getattr(m, entry)(**kwargs)


def flat_directional(f, params, grads, **kw):
    flat, unflatten = cr.flatten(params)
    directional(lambda w: f(unflatten(w)), flat, cr.flatten(grads)[0], **kw)


# ---- lindermanlab/ssm: ssm/stats.py -------------------------------------------------------
def test_ssm_gaussian_and_student_t_log_densities():
    m = load("ml_ssm_stats")
    rs = onp.random.RandomState(0)
    data, mus = rs.randn(5, 3), rs.randn(3)
    A = rs.randn(3, 3)
    S = A @ A.T + 3 * onp.eye(3)
    Ss, nus = onp.stack([S, 2 * S]), onp.array([4.0, 6.0])
    onp.testing.assert_allclose(m.multivariate_normal_logpdf(data, mus, S),
                                scipy.stats.multivariate_normal.logpdf(data, mus, S), rtol=1e-12)
    # the batched path: a list of inverses, einsum('...i,...ij->...j'), the strided diagonal
    lp = m.multivariate_normal_logpdf(data[:, None, :], mus, Ss)
    onp.testing.assert_allclose(lp[:, 1], scipy.stats.multivariate_normal.logpdf(data, mus, 2 * S),
                                rtol=1e-12)
    t = m.multivariate_studentst_logpdf(data[:, None, :], mus, Ss, nus)
    onp.testing.assert_allclose(t[:, 0], scipy.stats.multivariate_t.logpdf(data, mus, S, df=4.0),
                                rtol=1e-12)
    # d/dμ Σ_n log N(x_n; μ, S) = S⁻¹ Σ_n (x_n − μ)
    g = ag.grad(lambda mu: m.multivariate_normal_logpdf(data, mu, S).sum())(mus)
    onp.testing.assert_allclose(g, onp.linalg.solve(S, (data - mus).sum(0)), rtol=1e-12)
    sym = lambda X: 0.5 * (X + onp.swapaxes(X, -1, -2))
    f_sigma = lambda X: m.multivariate_normal_logpdf(data[:, None, :], mus, sym(X)).sum()
    cr.check_grads(f_sigma, (Ss,), order=2, modes=("fwd", "rev"))
    f_nu = lambda nu: m.multivariate_studentst_logpdf(data[:, None, :], mus, Ss, nu).sum()
    cr.check_grads(f_nu, (nus,), order=2, modes=("fwd", "rev"))
    E_xxT = onp.einsum("ni,nj->nij", data, data)
    f_exp = lambda X: m.expected_multivariate_normal_logpdf(
        data, E_xxT, mus, onp.outer(mus, mus), sym(X)).sum()
    onp.testing.assert_allclose(f_exp(S), m.multivariate_normal_logpdf(data, mus, S).sum(),
                                rtol=1e-12)  # with no spread in x or μ, the plain log-density
    directional(f_exp, S, ag.grad(f_exp)(S))
    f_ind = lambda s2: m.independent_studentst_logpdf(data, mus, s2, onp.full(3, 5.0)).sum()
    onp.testing.assert_allclose(f_ind(onp.full(3, 4.0)),
                                scipy.stats.t.logpdf(data, 5.0, mus, 2.0).sum(), rtol=1e-12)
    directional(f_ind, onp.array([1.0, 2.0, 0.5]), ag.grad(f_ind)(onp.array([1.0, 2.0, 0.5])))


def test_ssm_discrete_and_circular_log_densities():
    m = load("ml_ssm_stats")
    rs = onp.random.RandomState(1)
    xb, xp = rs.randint(0, 2, (6, 3)), rs.poisson(2.0, (6, 3))
    xc, xa, xe = rs.randint(0, 4, (6, 3)), rs.uniform(-3, 3, (6, 3)), rs.rand(6, 3)
    logits, lam = rs.randn(6, 3), onp.full((6, 3), 2.0)
    expit = scipy.special.expit
    onp.testing.assert_allclose(m.bernoulli_logpdf(xb, logits),
                                scipy.stats.bernoulli.logpmf(xb, expit(logits)).sum(-1), rtol=1e-12)
    onp.testing.assert_allclose(ag.grad(lambda l: m.bernoulli_logpdf(xb, l).sum())(logits),
                                xb - expit(logits), rtol=1e-12)
    onp.testing.assert_allclose(m.poisson_logpdf(xp, lam),
                                scipy.stats.poisson.logpmf(xp, lam).sum(-1), rtol=1e-12)
    onp.testing.assert_allclose(ag.grad(lambda l: m.poisson_logpdf(xp, l).sum())(lam),
                                xp / lam - 1, rtol=1e-12)
    C = rs.randn(6, 3, 4)
    softmax = scipy.special.softmax(C, axis=-1)
    onp.testing.assert_allclose(ag.grad(lambda l: m.categorical_logpdf(xc, l).sum())(C),
                                onp.eye(4)[xc] - softmax, rtol=1e-12, atol=1e-15)
    kappa = onp.array([0.5, 1.5, 3.0])
    onp.testing.assert_allclose(m.vonmises_logpdf(xa, 0.3, kappa),
                                scipy.stats.vonmises.logpdf(xa, kappa, loc=0.3).sum(-1), rtol=1e-12)
    # d/dκ log vM = cos(x − μ) − I₁(κ)/I₀(κ)
    onp.testing.assert_allclose(ag.grad(lambda k: m.vonmises_logpdf(xa, 0.3, k).sum())(kappa),
                                (onp.cos(xa - 0.3) - scipy.special.i1(kappa) / scipy.special.i0(kappa)).sum(0),
                                rtol=1e-12)
    onp.testing.assert_allclose(ag.grad(lambda l: m.exponential_logpdf(xe, l).sum())(onp.ones(3)),
                                (1.0 - xe).sum(0), rtol=1e-12)


# ---- CamDavidsonPilon/lifelines -------------------------------------------------------------
def test_lifelines_weibull_spline_and_piecewise_exponential_fitters():
    m, (T, E, X, wf, sf, pw) = run("ml_lifelines")
    lam, rho = wf.params_
    # the hazard as lifelines takes it, elementwise_grad of H(t) = (t/λ)^ρ in t
    t = onp.array([0.3, 1.0, 2.5])
    onp.testing.assert_allclose(wf._hazard(wf.params_, t), rho / lam * (t / lam) ** (rho - 1),
                                rtol=1e-12)
    # the right-censored log-likelihood is scipy's: log f at events, log S at censorings
    ll = (scipy.stats.weibull_min.logpdf(T[E], rho, scale=lam).sum()
          + scipy.stats.weibull_min.logsf(T[~E], rho, scale=lam).sum())
    assert abs(wf.log_likelihood_ - ll) < 1e-8 * abs(ll)
    assert onp.linalg.norm(ag.grad(wf._objective)(wf.params_)) < 1e-4     # a stationary point
    H = ag.hessian(wf._objective)(wf.params_)       # the Hessian of an elementwise gradient
    g = ag.grad(wf._objective)
    h = 1e-5
    fd = onp.stack([(g(wf.params_ + h * e) - g(wf.params_ - h * e)) / (2 * h) for e in onp.eye(2)])
    onp.testing.assert_allclose(H, fd, rtol=1e-6)
    assert onp.all(onp.isfinite(wf.standard_errors_)) and onp.all(wf.standard_errors_ > 0)
    # SplineFitter: its hazard against a difference of its cumulative hazard in t
    p = sf.params_
    fd = (sf._cumulative_hazard(p, t + 1e-6) - sf._cumulative_hazard(p, t - 1e-6)) / 2e-6
    onp.testing.assert_allclose(sf._hazard(p, t), fd, rtol=1e-7)
    assert sf._objective(p) < sf._objective(0.1 * onp.ones(3))
    directional(sf._objective, p, ag.grad(sf._objective)(p))
    # the piecewise-exponential regression: the hazard on each interval is exp(−x·β_j)
    names = pw._fitted_parameter_names
    params = {n: onp.array([0.3 * i - 0.2, 0.1 * i]) for i, n in enumerate(names)}
    Tq = onp.array([0.5, 1.5, 3.0])
    hz = pw._hazard(params, Tq, X[:3])
    rates = onp.stack([onp.exp(-X[:3] @ params[n]) for n in names], axis=1)
    onp.testing.assert_allclose(hz, rates[onp.arange(3), [0, 1, 2]], rtol=1e-12)
    nll = lambda prm: pw.negative_log_likelihood(prm, T, E, X)
    flat_directional(nll, params, ag.grad(nll)(params))


# ---- pymanopt's examples --------------------------------------------------------------------
def test_pymanopt_costs():
    m, (X, pack, samples, mog, S, v) = run("ml_pymanopt")
    rs = onp.random.RandomState(0)
    X0 = rs.randn(12, 3)
    X0 /= onp.linalg.norm(X0, axis=1, keepdims=True)
    assert pack(X) < pack(X0)                          # the descent spread the points
    directional(pack, X, ag.grad(pack)(X), h=1e-6)
    # the MoG cost by hand: log q_mk = −(y_nᵀ S_m⁻¹ y_n + log det S_m)/2
    y = onp.vstack([samples.T, onp.ones((1, len(samples)))])
    logq = onp.stack([-0.5 * (onp.sum(y * onp.linalg.solve(Sk, y), 0) + onp.linalg.slogdet(Sk)[1])
                      for Sk in S])
    alpha = onp.exp(onp.append(v, 0)) / onp.exp(onp.append(v, 0)).sum()
    expected = -scipy.special.logsumexp(onp.log(alpha)[:, None] + logq, axis=0).sum()
    assert abs(mog(S, v) - expected) < 1e-10 * abs(expected)
    gS, gv = ag.grad(mog, argnum=[0, 1])(S, v)
    directional(lambda s: mog(s, v), S, gS)
    directional(lambda w: mog(S, w), v, gv)
    # complex: f = −Re tr(Xᴴ A X); chainrule's gradient is conj(∂f/∂x + i∂f/∂y) = −2 conj(A X)
    A = rs.randn(6, 6) + 1j * rs.randn(6, 6)
    A = 0.5 * (A + A.conj().T)
    Xc = rs.randn(6, 2) + 1j * rs.randn(6, 2)
    onp.testing.assert_allclose(ag.grad(m.complex_subspace_cost(A))(Xc), onp.conj(-2 * A @ Xc),
                                rtol=1e-12)
    B = rs.randn(5, 5)
    B = B + B.T
    costs = m.euclidean_costs(B, rs.randn(8, 5), 2)
    x, W = rs.randn(5), rs.randn(2, 5)
    onp.testing.assert_allclose(ag.grad(costs["dominant_eigenvector"])(x), -2 * B @ x, rtol=1e-12)
    onp.testing.assert_allclose(ag.grad(costs["rank_k_correlation"])(W), W @ (W.T @ W - B),
                                rtol=1e-12)
    onp.testing.assert_allclose(ag.grad(costs["closest_unit_norm"])(B + 1.0), onp.ones((5, 5)))
    w = rs.randn(5, 2)
    directional(costs["pca"], w, ag.grad(costs["pca"])(w))
    u, s, vt = rs.randn(5, 2), rs.rand(2), rs.randn(2, 5)
    gu, gs, gvt = ag.grad(costs["low_rank"], argnum=[0, 1, 2])(u, s, vt)
    R = u @ onp.diag(s) @ vt - B                      # d‖u diag(s) vᵀ − A‖² = 2R·(...)
    onp.testing.assert_allclose(gu, 2 * R @ vt.T @ onp.diag(s), rtol=1e-12)
    onp.testing.assert_allclose(gs, 2 * onp.diag(u.T @ R @ vt.T), rtol=1e-12)


# ---- wittawatj/kernel-gof -------------------------------------------------------------------
def test_kgof_fssd_score_and_power_criterion():
    m, (p, X, V0, V, gwidth, opt, obj, x0) = run("ml_kgof")
    onp.testing.assert_allclose(p.grad_log(X), -X, rtol=1e-12)       # score of N(0, I)
    cov = onp.array([[2.0, 0.5], [0.5, 1.0]])
    q = m.Normal(onp.array([1.0, -1.0]), cov)
    onp.testing.assert_allclose(q.grad_log(X), -(X - [1.0, -1.0]) @ onp.linalg.inv(cov), rtol=1e-12)
    directional(obj, x0, ag.grad(obj)(x0))
    assert opt.fun < obj(x0) - 0.05           # the locations and width found more power


# ---- ColCarroll/minimc ----------------------------------------------------------------------
def test_minimc_hamiltonian_monte_carlo():
    m, (samples, mvn, mix, funnel, mu, cov) = run("ml_minimc")
    x = onp.array([0.3, 0.4])
    onp.testing.assert_allclose(ag.grad(mvn)(x), onp.linalg.solve(cov, x - mu), rtol=1e-12)
    assert samples.shape == (300, 2) and onp.linalg.norm(samples.mean(0) - mu) < 0.5
    for f, x in ((mix, onp.array(0.4)), (funnel, onp.array([0.1, 0.2, -0.3]))):
        cr.check_grads(f, (x,), order=2, modes=("fwd", "rev"))


# ---- Karpathy's pg-pong ----------------------------------------------------------------------
def test_policy_gradient_matches_the_programs_own_backward_pass():
    m, (model, rewards) = run("ml_pg_pong")
    rs = onp.random.RandomState(5)
    epx, eph, epdlogp, epy, epr = m.play_episode(model, rs)
    adv = m.discount_rewards(epr)
    adv = (adv - adv.mean()) / adv.std()
    by_hand = m.policy_backward(model, epx, eph, epdlogp * adv[:, None])
    g = ag.grad(m.surrogate)(model, epx, epy, adv)
    for k in ("W1", "W2"):
        onp.testing.assert_allclose(g[k], by_hand[k], rtol=1e-10, atol=1e-12)
    assert onp.mean(rewards[-10:]) > onp.mean(rewards[:10])           # it learns to follow pixel 0


# ---- nlml's t-SNE ---------------------------------------------------------------------------
def test_tsne_gradient_matches_the_hand_written_one():
    m, (X, P, Y) = run("ml_tsne")
    Y0 = onp.random.RandomState(3).randn(*Y.shape)
    Q, inv_distances = m.q_tsne(Y0)
    onp.testing.assert_allclose(ag.grad(m.kl_divergence)(Y0, P), m.tsne_grad(P, Q, Y0, inv_distances),
                                rtol=1e-6, atol=1e-10)
    assert m.kl_divergence(Y, P) < 0.5 * m.kl_divergence(onp.random.RandomState(1).normal(
        0., 1e-4, Y.shape), P)
    # the two clusters of X are apart in the embedding
    assert onp.linalg.norm(Y[:10].mean(0) - Y[10:].mean(0)) > onp.abs(Y[:10] - Y[:10].mean(0)).max()


# ---- krasserm/bayesian-machine-learning -------------------------------------------------------
def test_gp_notebook_with_ndarray_dot_of_a_traced_value_names_the_fix():
    # Y_train.dot(inv(K).dot(Y_train)): NumPy's ndarray.dot converts its traced argument;
    # nothing can route that call, so the error says what to write instead.
    m = load("ml_gp_krasserm")
    with pytest.raises(TypeError, match=r"a\.dot\(x\).*write a @ x"):
        run("ml_gp_krasserm")
    X = onp.arange(-3, 4, 1.0).reshape(-1, 1)
    Y = onp.sin(X)
    nll = m.nll_fn(X, Y, 0.4, naive=False)
    stable, naive = nll([1.0, 1.0]), m.nll_fn(X, Y, 0.4, naive=True)([1.0, 1.0])
    assert abs(stable - naive) < 1e-10 * abs(naive)        # both forms agree untraced


# ---- a NumPy mixture density network ---------------------------------------------------------
def test_mixture_density_network_with_logaddexp_reduce():
    m, (objective, params0, params, x, y) = run("ml_mdn")
    assert objective(params, 0) < objective(params0, 0) - 0.3
    out = m.network(params0, x)
    pi = scipy.special.softmax(out[:, :3], axis=-1)
    sd = onp.exp(0.5 * out[:, 6:])
    dens = (pi * scipy.stats.norm.pdf(y[:, None] / 10.0, out[:, 3:6], sd)).sum(-1)
    assert abs(objective(params0, 0) + onp.mean(onp.log(dens + 1e-12))) < 1e-12
    flat_directional(lambda p: objective(p, 0), params0, ag.grad(objective)(params0, 0))


# ---- rlabbe/filterpy ------------------------------------------------------------------------
def test_kalman_filter_log_likelihood_in_the_noise_variances():
    m, (zs, objective, res) = run("ml_kalman")
    lv = onp.array([-1.0, 0.5])
    directional(objective, lv, ag.grad(objective)(lv))
    assert res.fun < objective(onp.zeros(2)) and onp.linalg.norm(ag.grad(objective)(res.x)) < 1e-3
    # the innovations' likelihood by hand, for a scalar observation: S = HPHᵀ + R
    q, r = onp.exp(lv)
    F, H, x, P = onp.array([[1., 1.], [0., 1.]]), onp.array([[1., 0.]]), onp.array([0., 1.]), 10 * onp.eye(2)
    Q, total = m.Q_discrete_white_noise(1.0, q), 0.0
    for z in zs:
        x, P = F @ x, F @ P @ F.T + Q
        S = (H @ P @ H.T)[0, 0] + r
        K = (P @ H.T)[:, 0] / S
        total += scipy.stats.norm.logpdf(z, (H @ x)[0], onp.sqrt(S))
        x, P = x + K * (z - (H @ x)[0]), (onp.eye(2) - onp.outer(K, H[0])) @ P
    assert abs(objective(lv) + total) < 1e-9 * abs(total)


# ---- jaymody/picoGPT ------------------------------------------------------------------------
def test_picogpt_forward_pass_gradient_and_hessian_vector_product():
    m, (params, inputs, losses) = run("ml_picogpt")
    assert losses[-1] < losses[0] - 0.5
    p0 = m.init_params(onp.random.RandomState(0))
    flat, unflatten = cr.flatten(p0)
    f = lambda w: m.loss(unflatten(w), inputs[:5])
    g = cr.grad(f)
    directional(f, flat, g(flat))
    v = onp.random.RandomState(1).randn(flat.size)
    (hv,) = cr.hvp(f, (flat,), (v,))
    fd = lambda h: (g(flat + h * v) - g(flat - h * v)) / (2 * h)
    richardson = (4 * fd(1e-4) - fd(2e-4)) / 3       # plain differences are too noisy here
    onp.testing.assert_allclose(hv, richardson, rtol=1e-6, atol=1e-8)


# ---- probml/pyprobml's autograd demo ----------------------------------------------------------
def test_pyprobml_autograd_demo_second_derivative():
    m, (x, t, d1, d2) = run("ml_autograd_demo")
    th = onp.tanh(x / 2)                           # (1 − e⁻ˣ)/(1 + e⁻ˣ) is tanh(x/2)
    onp.testing.assert_allclose(t, th, rtol=1e-12, atol=1e-15)
    onp.testing.assert_allclose(d1, (1 - th ** 2) / 2, rtol=1e-12, atol=1e-15)
    onp.testing.assert_allclose(d2, -th * (1 - th ** 2) / 2, rtol=1e-10, atol=1e-15)


# ---- JAX's examples on chainrule's own API ---------------------------------------------------
def test_jax_gaussian_process_kernel_lsq_and_advi_examples():
    m = load("ml_jax_examples")
    x, y, params, first, last, mu, var = m.gp_main()
    assert last < first and mu.shape == (20, 1) and var.shape == (20, 20)
    ml = lambda p: m.gp(p, x, y, compute_marginal_likelihood=True)
    flat_directional(ml, params, cr.grad(ml)(params))
    xs, ys, predict, objective, v = m.kernel_lsq_main()
    G = xs @ xs.T
    onp.testing.assert_allclose(cr.grad(objective)(v), G.T @ (G @ v - ys) + 0.02 * v, rtol=1e-10,
                                atol=1e-10)
    assert objective(v) < 1e-2 * objective(onp.zeros_like(v))
    onp.testing.assert_allclose(predict(xs), G @ v, rtol=1e-10, atol=1e-10)
    objective, fitted, draws = m.advi_main()
    start = (onp.zeros(2), onp.zeros(2))
    assert onp.mean([objective(fitted, d) for d in draws[:10]]) < \
        onp.mean([objective(start, d) for d in draws[:10]])
    p = (onp.array([0.1, -0.2]), onp.array([-0.5, 0.1]))
    flat_directional(lambda q: objective(q, draws[0]), p, cr.grad(objective)(p, draws[0]))


# ---- ddbourgin/numpy-ml ---------------------------------------------------------------------
def test_numpy_ml_activations_against_their_hand_written_derivatives():
    m = load("ml_numpy_ml")
    x = onp.linspace(-3, 3, 13) + 0.05          # off the kinks at 0 and ±2.5
    for act in (m.Sigmoid(), m.Tanh(), m.ELU(), m.Exponential(), m.SELU(), m.SoftPlus(),
                m.ReLU(), m.HardSigmoid()):
        d1, d2 = m.autograd_derivatives(act, x)
        onp.testing.assert_allclose(d1, act.grad(x), rtol=1e-12, atol=1e-15)
        onp.testing.assert_allclose(d2, act.grad2(x), rtol=1e-12, atol=1e-15)
    # GELU's tanh approximation: 0.5(1 + t) + 0.5 x (1 − t²) c (1 + 3·0.044715 x²)
    c = onp.sqrt(2 / onp.pi)
    t = onp.tanh(c * (x + 0.044715 * x ** 3))
    d1, _ = m.autograd_derivatives(m.GELU(), x)
    onp.testing.assert_allclose(d1, 0.5 * (1 + t) + 0.5 * x * (1 - t ** 2) * c * (1 + 3 * 0.044715 * x ** 2),
                                rtol=1e-12)
    # LeakyReLU writes into a copy of its input in place; the error names the functional form
    with pytest.raises(cr.InPlaceError, match=r"at\[idx\]\.set"):
        m.autograd_derivatives(m.LeakyReLU(), x)


def test_numpy_ml_losses_and_convolution_against_their_backward_passes():
    m, (X, W, Z) = run("ml_numpy_ml")
    rs = onp.random.RandomState(1)
    dZ = rs.randn(*Z.shape)
    dX, dW = m.conv2D_backward(dZ, X, W, 1, 1)        # col2im: np.add.at into a plain array
    gX, gW = ag.grad(lambda X, W: onp.sum(m.conv2D(X, W, 1, 1) * dZ), argnum=[0, 1])(X, W)
    onp.testing.assert_allclose(gX, dX, rtol=1e-12, atol=1e-13)
    onp.testing.assert_allclose(gW, dW, rtol=1e-12, atol=1e-13)
    y = onp.eye(4)[rs.randint(0, 4, 6)]
    z = rs.randn(6, 4)
    # CrossEntropy.grad is the gradient in the softmax's input: softmax(z) − y
    g = ag.grad(lambda z: m.cross_entropy(y, m.softmax(z)))(z)
    onp.testing.assert_allclose(g, scipy.special.softmax(z, axis=1) - y, rtol=1e-10, atol=1e-14)
    yp = rs.randn(6, 4)
    onp.testing.assert_allclose(ag.grad(m.squared_error, argnum=1)(y, yp), yp - y, rtol=1e-12)
    yb, ypb = rs.randint(0, 2, (5, 7)).astype(float), rs.uniform(0.05, 0.95, (5, 7))
    mean, logvar = rs.randn(5, 2), rs.randn(5, 2)
    got = ag.grad(m.vae_loss, argnum=[1, 2, 3])(yb, ypb, mean, logvar)
    dY, dLogVar, dMean = m.vae_loss_grad(yb, ypb, mean, logvar)
    for a, b in zip(got, (dY, dMean, dLogVar)):
        onp.testing.assert_allclose(a, b, rtol=1e-12)
    Yf, Yr, G = rs.randn(6), rs.randn(6), rs.randn(6, 3)
    got = ag.grad(m.wgan_gp_critic_loss, argnum=[0, 1, 2])(Yf, Yr, G)
    # numpy-ml's hand-written signs for Y_fake and Y_real are the reverse of its own loss's
    # (Y_fake.mean() − Y_real.mean()); its penalty term agrees
    want = m.wgan_gp_critic_grad(Yf, Yr, G)
    onp.testing.assert_allclose(got[0], -want[0], rtol=1e-12)
    onp.testing.assert_allclose(got[1], -want[1], rtol=1e-12)
    onp.testing.assert_allclose(got[2], want[2], rtol=1e-10)
    # training the critic differentiates the penalty's input gradient: second order
    params = (rs.randn(3, 4), rs.randn(4))
    Xr, Xf, alpha = rs.randn(6, 3), rs.randn(6, 3), rs.rand(6, 1)
    flat, unflatten = cr.flatten(params)
    cr.check_grads(lambda w: m.wgan_gp_objective(unflatten(w), Xr, Xf, alpha), (flat,), order=2,
                   modes=("fwd", "rev"))


# ---- Nipun Batra's NMF with autograd ----------------------------------------------------------
def test_nmf_with_missing_entries():
    m, (A, W, H, costs) = run("ml_nmf")
    assert costs[-1] < 0.05 * costs[0] and W.min() >= 0 and H.min() >= 0
    rs = onp.random.RandomState(3)
    W0, H0 = rs.rand(*W.shape), rs.rand(*H.shape)
    gW, gH = ag.grad(m.cost, argnum=[0, 1])(W0, H0, A)
    # RMSE over the observed entries: d/dW = R Hᵀ / (n·rmse), d/dH = Wᵀ R / (n·rmse)
    mask = ~onp.isnan(A)
    R = onp.where(mask, W0 @ H0 - onp.where(mask, A, 0.0), 0.0)
    n = mask.sum()
    rmse = onp.sqrt((R ** 2).sum() / n)
    onp.testing.assert_allclose(gW, R @ H0.T / (n * rmse), rtol=1e-12)
    onp.testing.assert_allclose(gH, W0.T @ R / (n * rmse), rtol=1e-12)


# ---- the same programs on chainrule's own API ---------------------------------------------
def load_native(name):
    """tests/ports/<name>.py with chainrule.autograd's import lines replaced by chainrule's own
    (chainrule.numpy and chainrule.grad): the program text is otherwise the same."""
    import types
    from ports.harness import PORTS
    src = (PORTS / f"{name}.py").read_text()
    for old, new in (("import chainrule.autograd.numpy as np", "import chainrule.numpy as np"),
                     ("from chainrule.autograd import grad", "from chainrule import grad"),
                     ("from chainrule.autograd import value_and_grad",
                      "from chainrule import value_and_grad")):
        src = src.replace(old, new)
    module = types.ModuleType(f"_chainrule_native_{name}")
    exec(compile(src, str(PORTS / f"{name}.py"), "exec"), module.__dict__)
    return module


@pytest.mark.parametrize("name", ["ml_picogpt", "ml_tsne", "ml_pg_pong", "ml_kalman"])
def test_ports_run_the_same_on_chainrule_numpy(name):
    _, autograd_style = run(name)
    native = load_native(name)
    with contextlib.redirect_stdout(io.StringIO()):
        result = native.main()
    same = [(a, b) for a, b in zip(cr.tree.leaves(autograd_style), cr.tree.leaves(result))
            if isinstance(a, (onp.ndarray, float, onp.floating))]
    assert same
    for a, b in same:
        onp.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)
