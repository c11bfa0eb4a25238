"""Science and engineering programs nobody on the project wrote (tests/ports/sci_*.py, each
naming its source): physics simulations, PDEs, ODE sensitivities, quantum mechanics,
optics, finance, geometry, robotics. Each runs with only its import lines changed (the
exceptions are named in its docstring), and its numbers are checked: derivatives against
central differences in float64 or closed forms, conserved quantities, optimisations that
converge, values equal to the plain NumPy/SciPy run. docs/ports_science.md lists them."""
import importlib.util
import sys

import numpy as onp
import pytest
import scipy.integrate
import scipy.optimize
import scipy.linalg
import scipy.special

import chainrule as cr
import chainrule.numpy as cnp

from ports.harness import PORTS, load, directional  # tests/ports/harness.py


def load_plain(name):
    """tests/ports/<name>.py run on plain NumPy: its chainrule import lines pointed back at
    NumPy/SciPy (the reference run for 'numbers matching the plain-NumPy run')."""
    text = (PORTS / f"{name}.py").read_text()
    text = text.replace("import chainrule.numpy as np", "import numpy as np")
    text = text.replace("from chainrule.scipy.integrate import", "from scipy.integrate import")
    text = text.replace("from chainrule.scipy.linalg import", "from scipy.linalg import")
    text = text.replace("from chainrule.numpy import *", "from numpy import *")
    text = text.replace("import chainrule.numpy.fft as fft", "import numpy.fft as fft")
    assert "chainrule" not in text.split('"""', 2)[2].split("\ndef ")[0], name
    module = type(sys)(f"_plain_{name}")
    exec(compile(text, str(PORTS / f"{name}.py"), "exec"), module.__dict__)  # our own test file
    return module


def central(f, x, h=1e-6):
    return (f(x + h) - f(x - h)) / (2 * h)


# ---- autograd programs (chainrule.autograd) ---------------------------------------------------
def test_lennard_jones_forces_and_stress_are_energy_derivatives():
    m = load("sci_lennard_jones")
    params, pos, cell, e, F, S = m.main()
    E = lambda p: float(m.energy(params, p.reshape(4, 3), cell))
    directional(E, pos.ravel(), -onp.asarray(F).ravel(), h=1e-6, rtol=1e-7)
    onp.testing.assert_allclose(onp.sum(F, axis=0), 0.0, atol=1e-12)     # Newton's third law
    vol = abs(onp.linalg.det(cell))
    Es = lambda s: float(m.energy(params, pos, cell, s.reshape(3, 3)))
    dEds = onp.array([central(lambda t: Es(t * onp.eye(3).ravel()[:] * 0 + t * e_), 0.0)
                      for e_ in onp.eye(9)])
    onp.testing.assert_allclose(S[:3], dEds.reshape(3, 3).diagonal() / vol, rtol=1e-6)


def test_derivative_of_integral_functions():
    m = load("sci_integral_derivative")
    alpha, dphi, x, dfdx = m.main()
    onp.testing.assert_allclose(dphi, -1 / (1 + alpha**2), rtol=2e-3)   # the post's closed form
    exact = -onp.cosh(onp.cos(x)**2) * onp.sin(x) - onp.cosh(onp.sin(x)**2) * onp.cos(x)
    onp.testing.assert_allclose(dfdx, exact, rtol=1e-5, atol=1e-6)       # limits through linspace


def test_odeint_sensitivities_match_the_closed_form():
    m = load("sci_odeint_sensitivity")
    C, s1, s2 = m.main()
    t, k, kr = m.tspan, 3.0, 3.0
    K = k + kr            # C = Ca0(kr + k e^{-Kt})/K
    dC_dk = (onp.exp(-K * t) * (1 - k * t) - (kr + k * onp.exp(-K * t)) / K) / K
    dC_dkr = (1 - (kr + k * onp.exp(-K * t)) / K - k * t * onp.exp(-K * t)) / K
    assert C.shape == (50, 1)                                           # SciPy's shape
    onp.testing.assert_allclose(s1, dC_dk, atol=1e-7)
    onp.testing.assert_allclose(s2, dC_dkr, atol=1e-7)


def test_van_der_waals_compressibility_stays_on_the_equation_of_state():
    m = load("sci_vdw_compressibility")
    Pr, V, Z = m.main()
    onp.testing.assert_allclose([m.f(v, p, m.Tr) for v, p in zip(V, Pr)], 0.0, atol=1e-3)
    assert Z[0] > 0.95 and Z.min() < 0.6                               # near-ideal, then a dip


def test_lagrange_multipliers_agree_with_scipy_minimize():
    m = load("sci_lagrange_multipliers")
    x_min, x_lagrange, lam = m.main()
    onp.testing.assert_allclose(x_lagrange, [1.0, -0.5, 0.5], atol=1e-10)
    onp.testing.assert_allclose(x_min, x_lagrange, atol=1e-6)
    assert abs(lam - 1.0) < 1e-10


def test_pendulum_world_from_its_lagrangian():
    m = load("sci_pendulum_world")
    world, states, canvases = m.main(40)
    single = m.PendulumWorld([1.3], [2.0], g=9.8)            # θ'' = −(g/l) sin θ, θ from the top
    a = single.acceleration(onp.array([0.4]), onp.array([0.2]))
    onp.testing.assert_allclose(a, [9.8 / 1.3 * onp.sin(0.4)], rtol=1e-12)

    def energy(angles, omegas):   # T + V of the double pendulum
        y = onp.cumsum(world.lengths * onp.cos(angles))
        xd = onp.cumsum(world.lengths * onp.cos(angles) * omegas)
        yd = onp.cumsum(-world.lengths * onp.sin(angles) * omegas)
        return 0.5 * onp.sum(world.masses * (xd**2 + yd**2)) + onp.sum(y * world.masses) * world.g
    E = [energy(*s) for s in states]
    assert max(E) - min(E) < 1e-3 * (abs(E[0]) + 1)                       # leapfrog keeps energy
    assert canvases[-1].shape == (20, 20) and canvases[-1].max() > 0.5


def test_black_scholes_greeks_against_closed_forms():
    m = load("sci_black_scholes")
    price, delta, gamma, vega, theta = m.main()
    S, K, T, r = onp.linspace(80.0, 120.0, 9), 100.0, 30.0, 0.0001
    sig = 25.0 / onp.sqrt(365.25) / 100
    d1 = (onp.log(S / K) + (r + sig**2 / 2) * T) / (sig * onp.sqrt(T))
    pdf = onp.exp(-d1**2 / 2) / onp.sqrt(2 * onp.pi)
    onp.testing.assert_allclose(delta, scipy.special.ndtr(d1), rtol=1e-12)
    onp.testing.assert_allclose(gamma, pdf / (S * sig * onp.sqrt(T)), rtol=1e-10)
    onp.testing.assert_allclose(vega, S * pdf * onp.sqrt(T) / onp.sqrt(365.25) / 100, rtol=1e-10)
    # elementwise_grad in a scalar argument: autograd's vjp with ones, the sum over the outputs
    onp.testing.assert_allclose(theta, onp.sum(central(lambda t: m.call_price(K, t, S, r, 25.0),
                                                       T)), rtol=1e-6)


# ---- plain NumPy / SciPy programs (chainrule.numpy, chainrule.scipy) --------------------------
def test_nbody_forces_energy_and_a_gradient_through_leapfrog():
    m = plain = load("sci_nbody")       # np.at takes plain arrays: the same code is the reference
    pos, vel, mass = m.initial()
    onp.testing.assert_allclose(m.getAcc(pos, mass, 1.0, 0.0)[0], sum(
        mass[j, 0] * (pos[j] - pos[0]) / onp.linalg.norm(pos[j] - pos[0])**3 for j in range(1, 8)),
        rtol=1e-12)
    pe = lambda p: m.getEnergy(p, vel, mass, 1.0)[1]
    g = cr.grad(pe)(pos)
    onp.testing.assert_allclose(g, -mass * plain.getAcc(pos, mass, 1.0, 0.0), rtol=1e-10)
    E = lambda p, v: sum(plain.getEnergy(p, v, mass, 1.0))
    p1, v1 = plain.simulate(pos.copy(), vel.copy(), mass, softening=0.0, dt=0.001)
    assert abs(E(p1, v1) - E(pos, vel)) < 1e-3 * abs(E(pos, vel))
    ke = lambda p, v: m.getEnergy(*m.simulate(p, v, mass), mass, 1.0)[0]
    gp, gv = cr.grad(ke, argnums=(0, 1))(pos, vel)
    # simulate's `vel += ...` updates plain arrays in place, as the script's loop does: copies
    directional(lambda p: ke(p.reshape(8, 3).copy(), vel.copy()), pos.ravel(), gp.ravel(),
                rtol=1e-6)
    directional(lambda v: ke(pos.copy(), v.reshape(8, 3).copy()), vel.ravel(), gv.ravel(),
                rtol=1e-6)


def test_schrodinger_poisson_spectral_conserves_norm_and_differentiates_in_G():
    m, plain = load("sci_quantum_spectral"), load_plain("sci_quantum_spectral")
    psi, kSq = plain.initial()
    out = plain.evolve(4000.0, psi, kSq)
    onp.testing.assert_allclose(onp.mean(onp.abs(out)**2), 1.0, rtol=1e-12)  # unitary steps
    assert float(m.contrast(4000.0)) == pytest.approx(float(plain.contrast(4000.0)), rel=1e-13)
    g = cr.grad(m.contrast)(4000.0)
    onp.testing.assert_allclose(g, central(plain.contrast, 4000.0, h=1.0), rtol=1e-6)


def test_spring_network_accelerations_are_minus_the_energy_gradient():
    m = load("sci_spring_network")
    pos, ci, cj, L = m.lattice()
    p = pos * 1.05 + onp.random.RandomState(1).randn(*pos.shape) * 0.02
    acc = m.getAcc(p, None, ci, cj, L, 40.0, -0.1)
    grad_U = cr.grad(lambda q: m.spring_energy(q, ci, cj, L, 40.0, -0.1))(p)
    onp.testing.assert_allclose(acc, -grad_U, rtol=1e-12, atol=1e-12)
    J = cr.jacobian(lambda q: m.getAcc(q, None, ci, cj, L, 40.0, -0.1))(p).reshape(18, 18)
    onp.testing.assert_allclose(J, J.T, atol=1e-10)                      # −Hessian: symmetric
    with pytest.raises(cr.InPlaceError if hasattr(cr, "InPlaceError") else TypeError,
                       match=r"at\(a\)\[indices\]\.add\(b\)"):
        cr.grad(lambda q: (onp.add.at(onp.zeros(9), ci, q[ci, 0]), cnp.sum(q))[1])(p)


def test_wave_equation_finite_differences_gradient_in_the_wave_speed():
    m = load("sci_wave_fd")
    g = cr.grad(m.field_energy)(0.8)
    onp.testing.assert_allclose(g, central(m.field_energy, 0.8), rtol=1e-6)
    assert float(m.field_energy(0.8)) > 0


def test_burgers_pseudo_spectral_odeint_matches_scipy_and_differentiates_in_nu():
    m = load("sci_burgers_spectral")
    U = m.solve(0.05)
    ref = scipy.integrate.odeint(m.burg_system, m.u0, m.T, args=(m.k, m.mu, 0.05)).T
    onp.testing.assert_allclose(U, ref, rtol=1e-6, atol=1e-8)
    g = cr.grad(m.final_energy)(0.05)
    onp.testing.assert_allclose(g, central(m.final_energy, 0.05, h=1e-4), rtol=1e-4)
    assert g < 0                                                      # viscosity dissipates


def test_tfim_free_fermion_program_refuses_scipy_sparse_clearly():
    m = load("sci_tfim_svd")
    assert m.ising_ground_state_energy(6, 0.7) < 0                    # runs untraced
    with pytest.raises(TypeError, match="cannot be converted to a NumPy array"):
        cr.grad(lambda g: m.ising_ground_state_energy(6, g))(0.7)    # scipy.sparse: not fixed


def test_split_step_wavepacket_gradient_in_the_initial_width():
    m, plain = load("sci_split_step"), load_plain("sci_split_step")
    onp.testing.assert_allclose(m.run(1.0), plain.run(1.0), rtol=1e-13, atol=1e-15)
    g = cr.grad(m.mean_square_position)(1.0)
    onp.testing.assert_allclose(g, central(plain.mean_square_position, 1.0), rtol=1e-6)


def test_angular_spectrum_phase_design_focuses_light():
    m, plain = load("sci_angular_spectrum"), load_plain("sci_angular_spectrum")
    phase = onp.random.RandomState(3).uniform(-1, 1, (16, 16))
    g = cr.grad(m.focus)(phase)
    directional(plain.focus, phase, g, h=1e-6, rtol=1e-6)
    before = float(m.focus(phase))
    for _ in range(10):
        g = cr.grad(m.focus)(phase)
        phase = phase + 0.3 * g / onp.max(onp.abs(g))
    assert float(m.focus(phase)) > 1.5 * before
    # the optimum is phase conjugation of the impulse responses h_j: there the gradient is 0
    c = 16 // 2
    h = onp.array([plain.propagate(onp.eye(256)[j].reshape(16, 16).astype(complex), m.pixel,
                                   m.wl, m.z)[c, c] for j in range(256)]).reshape(16, 16)
    best = -onp.angle(h)
    onp.testing.assert_allclose(float(m.focus(best)), onp.sum(onp.abs(h))**2, rtol=1e-12)
    onp.testing.assert_allclose(cr.grad(m.focus)(best), 0.0, atol=1e-10)


def test_navier_stokes_spectral_gradient_in_viscosity_and_divergence_free():
    m = load("sci_navier_stokes_spectral")
    vx, vy, kx, ky = m.simulate(0.01)
    assert onp.max(onp.abs(m.div(vx, vy, kx, ky))) < 1e-3
    g = cr.grad(m.enstrophy)(0.01)
    onp.testing.assert_allclose(g, central(m.enstrophy, 0.01, h=1e-5), rtol=1e-5)
    assert g < 0


def test_monte_carlo_pathwise_greeks_random_pass_through():
    m = load("sci_mc_option")
    dS, dsig = cr.grad(m.call_value, argnums=(0, 1))(100.0, 0.2)
    # the same seed, the same paths: exact central differences of the estimator
    onp.testing.assert_allclose(dS, central(lambda s: m.call_value(s, 0.2), 100.0, 1e-6), rtol=1e-4)
    onp.testing.assert_allclose(dsig, central(lambda s: m.call_value(100.0, s), 0.2, 1e-8),
                                rtol=1e-5)
    d1 = (onp.log(100 / 105) + (0.05 + 0.02)) / 0.2                    # Black-Scholes
    assert abs(dS - scipy.special.ndtr(d1)) < 0.02
    assert abs(dsig - 100 * onp.exp(-d1**2 / 2) / onp.sqrt(2 * onp.pi)) < 1.5


def test_kabsch_recovers_a_rotation_and_differentiates_rmsd():
    m = load("sci_kabsch")
    rng = onp.random.RandomState(0)
    P = rng.randn(6, 3)
    R0 = scipy.linalg.expm(onp.array([[0, -0.3, 0.2], [0.3, 0, -0.5], [-0.2, 0.5, 0]]))
    Q = P @ R0.T + 1.5
    onp.testing.assert_allclose(m.kabsch2(P, Q), R0, atol=1e-12)
    Qn = Q + 0.05 * rng.randn(6, 3)
    g = cr.grad(m.rmsd)(P, Qn)
    directional(lambda p: m.rmsd(p.reshape(6, 3), Qn), P.ravel(), g.ravel(), rtol=1e-6)


def test_two_link_arm_inverse_kinematics_converges():
    m = load("sci_two_link_arm")
    l, target = onp.array([1.0, 0.8]), onp.array([0.9, 0.9])
    q = m.inverse_kinematics(l, target, [0.3, 0.5])
    onp.testing.assert_allclose(m.end_effector(l, q), target, atol=1e-8)
    q0 = onp.array([0.3, 0.5])
    J = cr.jacobian(lambda q: m.end_effector(l, q))(q0)
    s1, s12 = onp.sin(q0[0]), onp.sin(q0.sum())
    c1, c12 = onp.cos(q0[0]), onp.cos(q0.sum())
    onp.testing.assert_allclose(J, [[-l[0] * s1 - l[1] * s12, -l[1] * s12],
                                    [l[0] * c1 + l[1] * c12, l[1] * c12]], rtol=1e-13)


def test_tfim_exact_diagonalisation_hellmann_feynman():
    m = load("sci_tfim_kron")
    n, h = 5, 0.8
    H = m.hamiltonian_1d(n, h)
    w, v = onp.linalg.eigh(H)
    g = cr.grad(lambda h: m.ground_energy(n, h))(h)
    Sx = -(m.hamiltonian_1d(n, 1.0) - m.hamiltonian_1d(n, 0.0))      # Σ σx
    onp.testing.assert_allclose(g, -v[:, 0] @ Sx @ v[:, 0], rtol=1e-10)  # dE/dh = −⟨Σσx⟩
    onp.testing.assert_allclose(cr.grad(cr.grad(lambda h: m.ground_energy(n, h)))(h),
                                central(lambda h: float(cr.grad(
                                    lambda s: m.ground_energy(n, s))(h)), h, 1e-5), rtol=1e-5)


def test_finite_volume_euler_conserves_mass_and_energy_and_differentiates():
    m = load("sci_finite_volume")
    M0 = m.simulate(0.1, tEnd=1e-9)          # after the first step
    M1 = m.simulate(0.1)
    for q0, q1 in zip(M0, M1):                # a conservative scheme on a periodic box
        assert abs(float(onp.sum(q1)) - float(onp.sum(q0))) < 1e-12 * max(1.0, abs(float(onp.sum(q0))))
    g = cr.grad(m.kinetic_y)(0.1)             # through the CFL step (np.min) as well
    onp.testing.assert_allclose(g, central(m.kinetic_y, 0.1, h=1e-6), rtol=1e-6)


def test_butterworth_filtfilt_welch_match_scipy_and_differentiate():
    import scipy.signal as ss
    m = load("sci_signal_filter")
    f, P, y = m.spectrum(1.3)
    x = 1.3 * onp.sin(2 * onp.pi * m.t) + m.noise
    b, a = ss.butter(4, 0.2, 'lowpass')
    y_ref = ss.filtfilt(b, a, x)
    onp.testing.assert_allclose(y, y_ref, rtol=1e-12, atol=1e-13)
    onp.testing.assert_allclose(P, ss.welch(y_ref, fs=100)[1], rtol=1e-10, atol=1e-16)
    g = cr.grad(m.power_at_1hz)(1.3)
    onp.testing.assert_allclose(g, central(m.power_at_1hz, 1.3, h=1e-5), rtol=1e-7)
    with pytest.raises(TypeError, match="cannot be converted"):   # a traced cut-off: refused
        cr.grad(lambda w: cnp.sum(m.signal.butter(2, w)[0]))(0.25)


def test_kitchin_ode_fit_reproduces_the_post_and_differentiates_through_its_closure():
    m = load("sci_ode_fit")
    k_fit, kcov, tfit, fit = m.main()
    onp.testing.assert_allclose(k_fit, [2.58893455], rtol=1e-7)      # the post's printed value
    onp.testing.assert_allclose(fit, m.Ca_data[0] * onp.exp(-k_fit[0] * tfit), rtol=1e-6)
    # its model closes over k (myode reads fitfunc's k): odeint lifts the traced k out of the
    # closure, so the model's Jacobian is exact, and curve_fit can be given it
    t = onp.array(m.tspan)
    J = cr.jacobian(lambda k: m.fitfunc(t, k))(2.5)
    onp.testing.assert_allclose(J, -t * m.Ca_data[0] * onp.exp(-2.5 * t), rtol=1e-6, atol=1e-12)
    k_jac, _ = scipy.optimize.curve_fit(m.fitfunc, m.tspan, m.Ca_data, p0=1.3,
                                        jac=lambda t, k: cr.jacobian(
                                            lambda k: m.fitfunc(t, k))(k).reshape(-1, 1))
    onp.testing.assert_allclose(k_jac, k_fit, rtol=1e-6)
