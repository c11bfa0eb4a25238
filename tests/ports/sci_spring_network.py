"""A network of Hooke's-law springs: accelerations on the nodes accumulated with
`np.add.at` over the spring list, plus gravity; kick-drift-kick time steps.

Source: pmocz/springnetwork-python, springnetwork.py (Philip Mocz, "Create Your Own Spring
Network Simulation", GPL-3.0): getAcc as written there but for the import line and its
in-place updates: `np.add.at(acc[:, 0], ci, ax)` became `acc = np.at(acc)[ci, 0].add(ax)` (the
fix chainrule's InPlaceError names; repeated indices add up as with add.at). A 3×3 lattice, the box boundary left out."""
import chainrule.numpy as np


def sub2ind(array_shape, i, j):
    return i * array_shape[1] + j


def getAcc(pos, vel, ci, cj, springL, spring_coeff, gravity):
    acc = np.zeros(pos.shape)
    sep_vec = pos[ci, :] - pos[cj, :]
    sep = np.linalg.norm(sep_vec, axis=1)
    dL = sep - springL
    ax = - spring_coeff * dL * sep_vec[:, 0] / sep
    ay = - spring_coeff * dL * sep_vec[:, 1] / sep
    acc = np.at(acc)[ci, 0].add(ax)
    acc = np.at(acc)[ci, 1].add(ay)
    acc = np.at(acc)[cj, 0].add(-ax)
    acc = np.at(acc)[cj, 1].add(-ay)
    acc = np.at(acc)[:, 1].add(gravity)
    return acc


def lattice(Nlin=3):
    xlin = np.linspace(1, 2, Nlin)
    x, y = np.meshgrid(xlin, xlin)
    pos = np.vstack((x.flatten(), y.flatten())).T
    ci, cj = [], []
    for r in range(0, Nlin):
        for c in range(0, Nlin - 1):
            ci.append(sub2ind([Nlin, Nlin], r, c)); cj.append(sub2ind([Nlin, Nlin], r, c + 1))
    for r in range(0, Nlin - 1):
        for c in range(0, Nlin):
            ci.append(sub2ind([Nlin, Nlin], r, c)); cj.append(sub2ind([Nlin, Nlin], r + 1, c))
    for r in range(0, Nlin - 1):
        for c in range(0, Nlin - 1):
            ci.append(sub2ind([Nlin, Nlin], r, c)); cj.append(sub2ind([Nlin, Nlin], r + 1, c + 1))
    for r in range(0, Nlin - 1):
        for c in range(0, Nlin - 1):
            ci.append(sub2ind([Nlin, Nlin], r + 1, c)); cj.append(sub2ind([Nlin, Nlin], r, c + 1))
    springL = np.linalg.norm(pos[ci, :] - pos[cj, :], axis=1)
    return pos, ci, cj, springL


def spring_energy(pos, ci, cj, springL, spring_coeff, gravity):
    """The potential whose negative gradient getAcc should be (unit masses)."""
    sep = np.linalg.norm(pos[ci, :] - pos[cj, :], axis=1)
    return 0.5 * spring_coeff * np.sum((sep - springL)**2) - gravity * np.sum(pos[:, 1])
