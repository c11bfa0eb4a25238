"""Non-negative matrix factorisation with missing entries, after Nipun Batra's blog post
"Non-negative matrix factorization using Autograd" (nipunbatra.github.io, 2017; licence not
stated): the RMSE over the observed entries, ``(pred - A)[mask].flatten()`` with the mask
``~np.isnan(A)``, gradients in W and H together, and projected gradient descent that clips the
plain arrays in place (``W[W < 0] = 0``). The post's ``multigrad(cost, argnums=[0, 1])`` (an
API HIPS autograd itself has since removed) is written ``grad(cost, argnum=[0, 1])``.

Written in the style of the public program it names (not a copy); only the import lines are
chainrule's."""
import chainrule.autograd.numpy as np
from chainrule.autograd import grad


def make_data(rs, n=8, m=6, k=2, missing=10):
    A = np.dot(rs.rand(n, k), rs.rand(k, m))
    idx = rs.choice(n * m, missing, replace=False)
    A.flat[idx] = np.nan
    return A


def cost(W, H, A):
    pred = np.dot(W, H)
    mask = ~np.isnan(A)
    return np.sqrt(((pred - A)[mask].flatten() ** 2).mean(axis=None))


def factorise(A, rank=2, learning_rate=0.1, num_iter=400, seed=0):
    rs = np.random.RandomState(seed)
    n, m = A.shape
    H = np.abs(rs.randn(rank, m))
    W = np.abs(rs.randn(n, rank))
    grad_cost = grad(cost, argnum=[0, 1])
    costs = [cost(W, H, A)]
    for i in range(num_iter):
        del_W, del_H = grad_cost(W, H, A)
        W = W - del_W * learning_rate
        H = H - del_H * learning_rate
        W[W < 0] = 0     # projected gradient descent, on the plain arrays
        H[H < 0] = 0
        costs.append(cost(W, H, A))
    return W, H, costs


def main():
    A = make_data(np.random.RandomState(1))
    W, H, costs = factorise(A)
    print(costs[0], costs[-1])
    return A, W, H, costs
