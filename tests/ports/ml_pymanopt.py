"""Cost functions of pymanopt's examples (pymanopt/pymanopt, BSD-3-Clause licence), written for
its autograd backend: packing_on_the_sphere.py (np.triu(Y, 1).max(), ``expY -= np.diag(np.diag(
expY))`` on a traced array), examples/notebooks/mixture_of_gaussians.py (np.append of a traced
vector, batched slogdet, np.linalg.solve broadcasting (K, D+1, D+1) against (1, D+1, N),
logsumexp), dominant_invariant_complex_subspace.py (a complex Hermitian matrix:
-Re tr(Xᴴ A X)), and the Euclidean costs of dominant_eigenvector.py, pca.py,
low_rank_matrix_approximation.py, rank_k_correlation_matrix_approximation.py and
closest_unit_norm_column_approximation.py. pymanopt's manifolds and solvers are replaced by
plain gradient steps (its Euclidean gradient is what autograd gives it).

Written in the style of the public programs it names (not a copy); only the import lines are
chainrule's."""
import chainrule.autograd.numpy as np
from chainrule.autograd import grad
from chainrule.autograd.scipy.special import logsumexp


def packing_cost(epsilon):
    def cost(X):
        Y = X @ X.T
        s = np.triu(Y, 1).max()
        expY = np.exp((Y - s) / epsilon)
        expY -= np.diag(np.diag(expY))
        u = np.triu(expY, 1).sum()
        return s + epsilon * np.log(u)
    return cost


def mog_cost(samples):
    N = samples.shape[0]

    def cost(S, v):
        nu = np.append(v, 0)
        logdetS = np.expand_dims(np.linalg.slogdet(S)[1], 1)
        y = np.concatenate([samples.T, np.ones((1, N))], axis=0)
        y = np.expand_dims(y, 0)
        log_q = -0.5 * (np.sum(y * np.linalg.solve(S, y), axis=1) + logdetS)
        alpha = np.exp(nu)
        alpha = alpha / np.sum(alpha)
        alpha = np.expand_dims(alpha, 1)
        loglikvec = logsumexp(np.log(alpha) + log_q, axis=0)
        return -np.sum(loglikvec)
    return cost


def complex_subspace_cost(matrix):
    def cost(X):
        return -np.real(np.trace(np.conj(X.T) @ matrix @ X))
    return cost


def euclidean_costs(A, samples, k):
    return {
        "dominant_eigenvector": lambda x: -x.T @ A @ x,
        "pca": lambda w: np.linalg.norm(samples - samples @ w @ w.T) ** 2,
        "low_rank": lambda u, s, vt: np.linalg.norm(u @ np.diag(s) @ vt - A) ** 2,
        "rank_k_correlation": lambda X: 0.25 * np.sum((X.T @ X - A) ** 2),
        "closest_unit_norm": lambda X: 0.5 * np.sum((X - A) ** 2),
    }


def main():
    rs = np.random.RandomState(0)
    X = rs.randn(12, 3)
    X = X / np.linalg.norm(X, axis=1, keepdims=True)
    pack = packing_cost(0.05)
    g = grad(pack)
    for _ in range(30):   # a projected gradient step on the sphere
        X = X - 0.01 * g(X)
        X = X / np.linalg.norm(X, axis=1, keepdims=True)
    samples = np.concatenate([rs.randn(40, 2) + [-2, 1], 0.5 * rs.randn(60, 2) + [2, -1]])
    S = np.stack([np.eye(3)] * 2) + 0.1
    v = np.array([0.2])
    print(pack(X))
    return X, pack, samples, mog_cost(samples), S, v
