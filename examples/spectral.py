"""A spectral method: the periodic Poisson equation −u'' = f − mean(f) on [0, 2π), solved by FFT.

The source f is a sum of three Gaussian bumps with parameters (amplitude, centre, log width). The
solution is û_k = f̂_k / k² for k ≠ 0 (zero mean), evaluated with ``np.fft.rfft``/``irfft``. We
differentiate the misfit ½·mean((u − u_target)²) with respect to the nine source parameters and
take a few gradient steps towards a target solution; then we let the solution diffuse under the
heat equation (û_k(t) = e^{−νk²t} û_k) and differentiate a probe temperature with respect to ν.

    python examples/spectral.py
"""
import chainrule.autograd as autograd
import chainrule.autograd.numpy as np

N = 64
X = 2 * np.pi * np.arange(N) / N
K = np.fft.rfftfreq(N, d=1.0 / N)                   # wavenumbers 0, 1, …, N/2
K2 = np.where(K == 0, 1.0, K ** 2)                   # k = 0 is handled by zeroing the mean


def periodic_bump(centre, width):
    d = np.angle(np.exp(1j * (X - centre)))          # signed periodic distance, in (−π, π]
    return np.exp(-0.5 * (d / width) ** 2)


def source(params):
    p = np.reshape(params, (3, 3))
    return sum(p[j, 0] * periodic_bump(p[j, 1], np.exp(p[j, 2])) for j in range(3))


def solve_poisson(f):
    f_hat = np.fft.rfft(f)
    u_hat = np.where(K == 0, 0.0, f_hat / K2)
    return np.fft.irfft(u_hat, n=N)


def diffuse(u, nu, t):
    return np.fft.irfft(np.exp(-nu * K ** 2 * t) * np.fft.rfft(u), n=N)


TRUE_PARAMS = np.array([1.0, 1.0, np.log(0.3), -0.5, 3.0, np.log(0.5), 0.8, 5.0, np.log(0.4)])
START_PARAMS = np.array([0.6, 1.2, np.log(0.4), -0.2, 2.8, np.log(0.4), 0.5, 4.7, np.log(0.5)])


def make_misfit():
    u_target = solve_poisson(source(TRUE_PARAMS))

    def misfit(params):
        return 0.5 * np.mean((solve_poisson(source(params)) - u_target) ** 2)
    return misfit


def probe_temperature(nu, params=TRUE_PARAMS, t=0.5, where=16):
    return diffuse(solve_poisson(source(params)), nu, t)[where]


def main(verbose=True, num_steps=40, step_size=20.0):
    misfit = make_misfit()
    grad = autograd.grad(misfit)
    params = START_PARAMS
    history = [float(misfit(params))]
    for _ in range(num_steps):
        params = params - step_size * grad(params)
        history.append(float(misfit(params)))
    nu = 0.1
    probe, dprobe = autograd.value_and_grad(probe_temperature)(nu)
    if verbose:
        print(f"Poisson misfit: {history[0]:.3e} -> {history[-1]:.3e} after {num_steps} gradient steps")
        print("amplitudes, centres:", np.round(np.reshape(params, (3, 3))[:, :2], 3).tolist())
        print(f"heat equation, nu = {nu}: probe u(x=π/2, t=0.5) = {float(probe):.5f}, d/dnu = {float(dprobe):.5f}")
    return {"initial": history[0], "final": history[-1], "history": history, "misfit": misfit,
            "start": START_PARAMS, "params": params, "probe": float(probe), "dprobe": float(dprobe)}


if __name__ == "__main__":
    main()
