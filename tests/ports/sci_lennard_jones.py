"""A periodic Lennard-Jones potential written for HIPS autograd: energy from a neighbour
distance table over periodic images, forces and stress by `elementwise_grad`.

Source: google/differentiable-atomistic-potentials, dap/ag/lennardjones.py and
dap/ag/neighborlist.py (Apache-2.0), rewritten here with the same operations; only the
import lines name chainrule.autograd. Sizes cut to a 4-atom fcc cell."""
import chainrule.autograd.numpy as np
from chainrule.autograd import elementwise_grad


def get_distances(positions, cell, cutoff_radius, skin=0.01, strain=np.zeros((3, 3))):
    strain_tensor = np.eye(3) + strain
    cell = np.dot(strain_tensor, cell.T).T
    positions = np.dot(strain_tensor, positions.T).T
    inverse_cell = np.linalg.inv(cell)
    num_repeats = cutoff_radius * np.linalg.norm(inverse_cell, axis=0)
    fractional_coords = np.dot(positions, inverse_cell) % 1
    mins = np.min(np.floor(fractional_coords - num_repeats), axis=0)
    maxs = np.max(np.ceil(fractional_coords + num_repeats), axis=0)
    v0_range = np.arange(mins[0], maxs[0])
    v1_range = np.arange(mins[1], maxs[1])
    v2_range = np.arange(mins[2], maxs[2])
    xhat, yhat, zhat = np.array([1, 0, 0]), np.array([0, 1, 0]), np.array([0, 0, 1])
    v0_range = v0_range[:, None] * xhat[None, :]
    v1_range = v1_range[:, None] * yhat[None, :]
    v2_range = v2_range[:, None] * zhat[None, :]
    offsets = (v0_range[:, None, None] + v1_range[None, :, None] + v2_range[None, None, :])
    offsets = offsets.reshape(-1, 3)
    cart_offsets = np.dot(offsets, cell)
    shifted_cart_coords = positions[:, None] + cart_offsets[None, :]
    pv = shifted_cart_coords - positions[:, None, None]
    d2 = np.sum(pv**2, axis=3)
    zeros = np.equal(d2, 0.0)          # the gradient of sqrt is nan at 0: avoid it
    adjusted = np.where(zeros, np.ones_like(d2), d2)
    d = np.where(zeros, np.zeros_like(d2), np.sqrt(adjusted))
    return np.where(d <= cutoff_radius + skin, d, np.zeros_like(d))


def energy(params, positions, cell, strain=np.zeros((3, 3))):
    sigma = params.get('sigma', 1.0)
    epsilon = params.get('epsilon', 1.0)
    rc = 3 * sigma
    e0 = 4 * epsilon * ((sigma / rc)**12 - (sigma / rc)**6)
    strain_tensor = np.eye(3) + strain
    cell = np.dot(strain_tensor, cell.T).T
    positions = np.dot(strain_tensor, positions.T).T
    r2 = get_distances(positions, cell, rc, 0.01)[0]**2
    zeros = np.equal(r2, 0.0)
    adjusted = np.where(zeros, np.ones_like(r2), r2)
    c6 = np.where((r2 <= rc**2) & (r2 > 0.0), (sigma**2 / adjusted)**3, np.zeros_like(r2))
    c6 = np.where(zeros, np.zeros_like(r2), c6)
    energy = -e0 * (c6 != 0.0).sum()
    c12 = c6**2
    energy += np.sum(4 * epsilon * (c12 - c6))
    return energy / 2          # get_distances counts each pair twice


def forces(params, positions, cell):
    dEdR = elementwise_grad(energy, 1)
    return -dEdR(params, positions, cell)


def stress(params, positions, cell, strain=np.zeros((3, 3))):
    dEdst = elementwise_grad(energy, 3)
    volume = np.abs(np.linalg.det(cell))
    der = dEdst(params, positions, cell, strain)
    result = (der + der.T) / 2 / volume
    return np.take(result, [0, 4, 8, 5, 2, 1])


def fcc_cell(a=1.6):
    cell = a * np.eye(3)
    positions = a * np.array([[0, 0, 0], [0.5, 0.5, 0], [0.5, 0, 0.5], [0, 0.5, 0.5]])
    return positions, cell


def main():
    positions, cell = fcc_cell()
    positions = positions + 0.03 * np.array([[0.1, -0.2, 0.3], [0.0, 0.4, -0.1],
                                            [-0.3, 0.1, 0.2], [0.2, -0.1, -0.4]])
    params = {'sigma': 1.0, 'epsilon': 1.0}
    return params, positions, cell, energy(params, positions, cell), \
        forces(params, positions, cell), stress(params, positions, cell)
