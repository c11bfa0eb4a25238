"""The Kabsch algorithm: the rotation that best superposes two centred point sets, from the
SVD of their covariance with scipy.linalg (svd, det) and a sign correction against
reflections; and the RMSD after superposition.

Source: a public GitHub experiment with Kabsch implementations ("kabsch2": np.mean with
keepdims, scipy.linalg.svd, np.sign(det(U@Vh)), E = np.diag([1, 1, d])); the search index
did not name its repository. Only the import lines name chainrule."""
import chainrule.numpy as np
from chainrule.scipy.linalg import svd, det


def kabsch2(P, Q):
    P = P - np.mean(P, axis=0, keepdims=True)
    Q = Q - np.mean(Q, axis=0, keepdims=True)
    H = P.T @ Q
    U, svals, Vh = svd(H)
    d = np.sign(det(U @ Vh))
    E = np.diag([1.0, 1.0, d])
    R = Vh.T @ E @ U.T
    return R


def rmsd(P, Q):
    R = kabsch2(P, Q)
    Pc = P - np.mean(P, axis=0, keepdims=True)
    Qc = Q - np.mean(Q, axis=0, keepdims=True)
    return np.sqrt(np.mean(np.sum((Pc @ R.T - Qc)**2, axis=1)))
