"""The 2-D wave equation by finite differences: the Laplacian from np.roll, a leapfrog
update, Dirichlet walls imposed by boolean-mask writes and a driven boundary row.

Source: pmocz/finitedifference-python, finitedifference.py (Philip Mocz, "Create Your Own
Finite Difference Wave Equation Simulation", GPL-3.0); the import line and the two
in-place writes in the loop (`U[mask] = 0` → `U = np.at(U)[mask].set(0)`) are the changes. The main loop is a function of the wave speed c; 32² cells, 30 steps,
plotting left out."""
import chainrule.numpy as np


def simulate(c, N=32, boxsize=1., steps=30):
    dx = boxsize / N
    dt = (np.sqrt(2) / 2) * dx / 1.0       # the time step of c = 1 (stable for c <= 1)
    aX, aY, R, L = 0, 1, -1, 1
    fac = dt**2 * c**2 / dx**2
    xlin = np.linspace(0.5 * dx, boxsize - 0.5 * dx, N)
    U = np.zeros((N, N))
    mask = np.zeros((N, N), dtype=bool)
    mask[0, :] = True
    mask[-1, :] = True
    mask[:, 0] = True
    mask[:, -1] = True
    mask[int(N / 4):int(N * 9 / 32), :N - 1] = True
    mask[1:N - 1, int(N * 5 / 16):int(N * 3 / 8)] = False
    mask[1:N - 1, int(N * 5 / 8):int(N * 11 / 16)] = False
    U[mask] = 0
    Uprev = 1. * U
    t = 0
    for _ in range(steps):
        ULX = np.roll(U, L, axis=aX)
        URX = np.roll(U, R, axis=aX)
        ULY = np.roll(U, L, axis=aY)
        URY = np.roll(U, R, axis=aY)
        laplacian = (ULX + ULY - 4 * U + URX + URY)
        Unew = 2 * U - Uprev + fac * laplacian
        Uprev = 1. * U
        U = 1. * Unew
        U = np.at(U)[mask].set(0)
        U = np.at(U)[0, :].set(np.sin(20 * np.pi * t) * np.sin(np.pi * xlin)**2)
        t += dt
    return U


def field_energy(c):
    return np.sum(simulate(c)**2)
