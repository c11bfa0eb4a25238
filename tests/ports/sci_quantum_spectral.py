"""The Schrödinger-Poisson system on a periodic square by the spectral (kick-drift-kick)
method: complex wavefunction, 2-D FFTs, the potential from Poisson's equation in Fourier
space.

Source: pmocz/quantumspectral-python, quantumspectral.py (Philip Mocz, "Create Your Own
Quantum Mechanics Simulation", GPL-3.0); only the import line names chainrule.numpy. The
main loop is a function of G; sizes cut (32², 10 steps), plotting left out."""
import chainrule.numpy as np


def initial(N=32):
    L = 1
    xlin = np.linspace(0, L, num=N + 1)
    xlin = xlin[0:N]
    xx, yy = np.meshgrid(xlin, xlin)
    amp = 0.01
    sigma = 0.08
    rho = 0.9
    rho += 2 * amp * np.exp(-((xx - 0.5)**2 + (yy - 0.5)**2) / 2 / sigma**2) / (sigma**3 * np.sqrt(2 * np.pi)**2)
    rho += 1.5 * amp * np.exp(-((xx - 0.2)**2 + (yy - 0.7)**2) / 2 / sigma**2) / (sigma**3 * np.sqrt(2 * np.pi)**2)
    rhobar = np.mean(rho)
    rho /= rhobar
    psi = np.sqrt(rho)
    klin = 2.0 * np.pi / L * np.arange(-N / 2, N / 2)
    kx, ky = np.meshgrid(klin, klin)
    kx = np.fft.ifftshift(kx)
    ky = np.fft.ifftshift(ky)
    kSq = kx**2 + ky**2
    return psi, kSq


def evolve(G, psi, kSq, dt=0.0001, Nt=10):
    Vhat = -np.fft.fftn(4.0 * np.pi * G * (np.abs(psi)**2 - 1.0)) / (kSq + (kSq == 0))
    V = np.real(np.fft.ifftn(Vhat))
    for i in range(Nt):
        psi = np.exp(-1.j * dt / 2.0 * V) * psi
        psihat = np.fft.fftn(psi)
        psihat = np.exp(dt * (-1.j * kSq / 2.)) * psihat
        psi = np.fft.ifftn(psihat)
        Vhat = -np.fft.fftn(4.0 * np.pi * G * (np.abs(psi)**2 - 1.0)) / (kSq + (kSq == 0))
        V = np.real(np.fft.ifftn(Vhat))
        psi = np.exp(-1.j * dt / 2.0 * V) * psi
    return psi


def peak_density(G):
    psi, kSq = initial()
    return np.max(np.abs(evolve(G, psi, kSq))**2)


def contrast(G):
    psi, kSq = initial()
    return np.mean(np.abs(evolve(G, psi, kSq))**4)
