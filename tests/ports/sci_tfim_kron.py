"""The transverse-field Ising chain by exact diagonalisation: σx and σz on each site as
Kronecker products over the chain (functools.reduce(np.kron, ...)) stacked into arrays, the
Hamiltonian summed from them, the ground state by np.linalg.eigh; the magnetisation from
the derivative of the ground-state energy in h (Hellmann-Feynman).

Source: a public GitHub TFIM exact-diagonalisation module ("hamiltonian_1d(num_spins, h)",
S_x_arr/S_z_arr filled per site; the search index did not name its repository). The
per-site arrays are filled by assignment into np.zeros, plain NumPy arrays (h enters only
afterwards), which chainrule allows. Only the import line names chainrule.numpy."""
import functools

import chainrule.numpy as np


def hamiltonian_1d(num_spins, h):
    iden = [[1, 0], [0, 1]]
    S_x = [[0, 1], [1, 0]]
    S_z = [[1, 0], [0, -1]]
    S_x_arr = np.zeros((num_spins, 2**num_spins, 2**num_spins))
    S_z_arr = np.zeros((num_spins, 2**num_spins, 2**num_spins))
    for i in range(num_spins):
        op1, op2 = [iden] * num_spins, [iden] * num_spins
        op1[i], op2[i] = S_x, S_z
        S_x_arr[i], S_z_arr[i] = functools.reduce(np.kron, op1), functools.reduce(np.kron, op2)
    H = -h * np.sum(S_x_arr, axis=0)
    for i in range(num_spins):
        H = H - S_z_arr[i] @ S_z_arr[(i + 1) % num_spins]
    return H


def ground_energy(num_spins, h):
    return np.linalg.eigh(hamiltonian_1d(num_spins, h))[0][0]
