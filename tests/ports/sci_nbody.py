"""Direct-summation N-body gravity with a kick-drift-kick leapfrog: accelerations and
energies from pairwise separation matrices (x.T - x), 1/r³ written by a masked in-place
update.

Source: pmocz/nbody-python, nbody.py (Philip Mocz, "Create Your Own N-body Simulation",
GPL-3.0), getAcc/getEnergy as written there but for the import line and the masked in-place writes
`a[m] = v`, spelled `a = np.at(a)[m].set(v)` (chainrule's traced arrays are immutable).
Sizes cut (8 bodies, 20 steps) and the plotting loop left out."""
import chainrule.numpy as np


def getAcc(pos, mass, G, softening):
    x = pos[:, 0:1]
    y = pos[:, 1:2]
    z = pos[:, 2:3]
    dx = x.T - x
    dy = y.T - y
    dz = z.T - z
    inv_r3 = (dx**2 + dy**2 + dz**2 + softening**2)
    inv_r3 = np.at(inv_r3)[inv_r3 > 0].set(inv_r3[inv_r3 > 0]**(-1.5))
    ax = G * (dx * inv_r3) @ mass
    ay = G * (dy * inv_r3) @ mass
    az = G * (dz * inv_r3) @ mass
    a = np.hstack((ax, ay, az))
    return a


def getEnergy(pos, vel, mass, G):
    KE = 0.5 * np.sum(np.sum(mass * vel**2))
    x = pos[:, 0:1]
    y = pos[:, 1:2]
    z = pos[:, 2:3]
    dx = x.T - x
    dy = y.T - y
    dz = z.T - z
    inv_r = np.sqrt(dx**2 + dy**2 + dz**2)
    inv_r = np.at(inv_r)[inv_r > 0].set(1.0 / inv_r[inv_r > 0])
    PE = G * np.sum(np.sum(np.triu(-(mass * mass.T) * inv_r, 1)))
    return KE, PE


def simulate(pos, vel, mass, G=1.0, softening=0.1, dt=0.01, Nt=20):
    acc = getAcc(pos, mass, G, softening)
    for i in range(Nt):
        vel += acc * dt / 2.0      # (1/2) kick
        pos += vel * dt            # drift
        acc = getAcc(pos, mass, G, softening)
        vel += acc * dt / 2.0      # (1/2) kick
    return pos, vel


def initial(N=8):
    rng = np.random.RandomState(17)
    mass = 20.0 * np.ones((N, 1)) / N
    pos = rng.randn(N, 3)
    vel = rng.randn(N, 3)
    vel -= np.mean(mass * vel, 0) / np.mean(mass)
    return pos, vel, mass
