"""Incompressible 2-D Navier-Stokes by the spectral method: gradients, divergence and curl by
FFT, 2/3-rule dealiasing, a pressure Poisson solve for the projection, an implicit diffusion
step; the velocities updated with `+=`.

Source: pmocz/navier-stokes-spectral-python, navier-stokes-spectral.py (Philip Mocz,
"Create Your Own Navier-Stokes Spectral Method Simulation", GPL-3.0); the helpers as written
there, only the import line names chainrule.numpy. The main loop is a function of the
viscosity nu; 32², 10 steps, plotting left out."""
import chainrule.numpy as np


def poisson_solve(rho, kSq_inv):
    V_hat = -(np.fft.fftn(rho)) * kSq_inv
    V = np.real(np.fft.ifftn(V_hat))
    return V


def diffusion_solve(v, dt, nu, kSq):
    v_hat = (np.fft.fftn(v)) / (1.0 + dt * nu * kSq)
    v = np.real(np.fft.ifftn(v_hat))
    return v


def grad(v, kx, ky):
    v_hat = np.fft.fftn(v)
    dvx = np.real(np.fft.ifftn(1j * kx * v_hat))
    dvy = np.real(np.fft.ifftn(1j * ky * v_hat))
    return dvx, dvy


def div(vx, vy, kx, ky):
    dvx_x = np.real(np.fft.ifftn(1j * kx * np.fft.fftn(vx)))
    dvy_y = np.real(np.fft.ifftn(1j * ky * np.fft.fftn(vy)))
    return dvx_x + dvy_y


def curl(vx, vy, kx, ky):
    dvx_y = np.real(np.fft.ifftn(1j * ky * np.fft.fftn(vx)))
    dvy_x = np.real(np.fft.ifftn(1j * kx * np.fft.fftn(vy)))
    return dvy_x - dvx_y


def apply_dealias(f, dealias):
    f_hat = dealias * np.fft.fftn(f)
    return np.real(np.fft.ifftn(f_hat))


def simulate(nu, N=32, dt=0.001, Nt=10):
    L = 1
    xlin = np.linspace(0, L, num=N + 1)
    xlin = xlin[0:N]
    xx, yy = np.meshgrid(xlin, xlin)
    vx = -np.sin(2 * np.pi * yy)
    vy = np.sin(2 * np.pi * xx * 2)
    klin = 2.0 * np.pi / L * np.arange(-N / 2, N / 2)
    kmax = np.max(klin)
    kx, ky = np.meshgrid(klin, klin)
    kx = np.fft.ifftshift(kx)
    ky = np.fft.ifftshift(ky)
    kSq = kx**2 + ky**2
    with np.errstate(divide="ignore"):
        kSq_inv = 1.0 / kSq
    kSq_inv[kSq == 0] = 1
    dealias = (np.abs(kx) < (2.0 / 3.0) * kmax) & (np.abs(ky) < (2.0 / 3.0) * kmax)
    for i in range(Nt):
        dvx_x, dvx_y = grad(vx, kx, ky)
        dvy_x, dvy_y = grad(vy, kx, ky)
        rhs_x = -(vx * dvx_x + vy * dvx_y)
        rhs_y = -(vx * dvy_x + vy * dvy_y)
        rhs_x = apply_dealias(rhs_x, dealias)
        rhs_y = apply_dealias(rhs_y, dealias)
        vx += dt * rhs_x
        vy += dt * rhs_y
        div_rhs = div(rhs_x, rhs_y, kx, ky)
        P = poisson_solve(div_rhs, kSq_inv)
        dPx, dPy = grad(P, kx, ky)
        vx += -dt * dPx
        vy += -dt * dPy
        vx = diffusion_solve(vx, dt, nu, kSq)
        vy = diffusion_solve(vy, dt, nu, kSq)
    return vx, vy, kx, ky


def enstrophy(nu):
    vx, vy, kx, ky = simulate(nu)
    return np.mean(curl(vx, vy, kx, ky)**2)
