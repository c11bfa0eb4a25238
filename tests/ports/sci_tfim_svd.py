"""Ground-state energy of the transverse-field Ising chain from its free-fermion form: a
bidiagonal matrix built as a scipy.sparse COO array, densified, and E₀ = −Σ singular values
(scipy.linalg.svd with compute_uv=False).

Source: eliottrosenberg/qubit_operations, transverse_ising_gs.py; only the import lines
name chainrule (chainrule.numpy, chainrule.scipy.linalg)."""
import chainrule.numpy as np
from scipy import sparse
from scipy.sparse import coo_array
from chainrule.scipy.linalg import svd


def fermion_H(n, g, J=1):
    i = np.append(np.arange(n - 1), np.arange(n))
    j = np.append(np.arange(1, n), np.arange(n))
    data = np.append(J * np.ones(n - 1), -J * g * np.ones(n))
    H = coo_array((data, (i, j)))
    return H


def ising_ground_state_energy(n, g, J=1):
    H = fermion_H(n, g, J).toarray()
    l = svd(H, compute_uv=False)
    return -sum(l)
