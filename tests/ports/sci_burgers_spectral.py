"""Viscous Burgers' equation by the pseudo-spectral method of lines: spatial derivatives by
FFT (complex, 1j·k·û), the ODE system integrated with scipy.integrate.odeint with its
parameters passed through `args`.

Source: sachabinder/Burgers_equation_simulation, Burgers_solver_SP.py (© Sacha Binder 2021),
burg_system and the odeint call as written there; only the import lines name chainrule.
Grid cut to 64 points and t ≤ 1; plotting left out."""
import chainrule.numpy as np
from chainrule.scipy.integrate import odeint

mu = 1
nu = 0.01
L_x = 10
N_x = 64
dx = L_x / N_x
X = np.linspace(0, L_x, N_x)
L_t = 1.0
N_t = 11
T = np.linspace(0, L_t, N_t)
k = 2 * np.pi * np.fft.fftfreq(N_x, d=dx)
u0 = np.exp(-(X - 3)**2 / 2)


def burg_system(u, t, k, mu, nu):
    u_hat = np.fft.fft(u)
    u_hat_x = 1j * k * u_hat
    u_hat_xx = -k**2 * u_hat
    u_x = np.fft.ifft(u_hat_x)
    u_xx = np.fft.ifft(u_hat_xx)
    u_t = -mu * u * u_x + nu * u_xx
    return u_t.real


def solve(nu, u0=u0):
    return odeint(burg_system, u0, T, args=(k, mu, nu,), mxstep=5000).T


def final_energy(nu):
    U = solve(nu)
    return np.sum(U[:, -1]**2) * dx
