"""t-SNE after Liam Schoneveld's "In Raw Numpy: t-SNE" (nlml.github.io/in-raw-numpy; the
program as copied into public notebooks, licence not stated): negative squared Euclidean
distances, a binary search for each row's σ to a target perplexity, row-wise softmax with
np.fill_diagonal, symmetrised joint P, the Student-t joint Q and its closed-form gradient
4 Σ_j (p_ij − q_ij)(y_i − y_j)(1 + ‖y_i − y_j‖²)⁻¹. The port keeps that program and asks
chainrule.autograd for the gradient of KL(P‖Q) to set beside the hand-written one.

Written in the style of the public program it names (not a copy); only the import lines are
chainrule's."""
import chainrule.autograd.numpy as np
from chainrule.autograd import grad


def neg_squared_euc_dists(X):
    sum_X = np.sum(np.square(X), 1)
    D = np.add(np.add(-2 * np.dot(X, X.T), sum_X).T, sum_X)
    return -D


def softmax(X, diag_zero=True):
    e_x = np.exp(X - np.max(X, axis=1).reshape([-1, 1]))
    if diag_zero:
        np.fill_diagonal(e_x, 0.)
    e_x = e_x + 1e-8
    return e_x / e_x.sum(axis=1).reshape([-1, 1])


def calc_prob_matrix(distances, sigmas=None):
    if sigmas is not None:
        two_sig_sq = 2. * np.square(sigmas.reshape((-1, 1)))
        return softmax(distances / two_sig_sq)
    return softmax(distances)


def binary_search(eval_fn, target, tol=1e-10, max_iter=10000, lower=1e-20, upper=1000.):
    for i in range(max_iter):
        guess = (lower + upper) / 2.
        val = eval_fn(guess)
        if val > target:
            upper = guess
        else:
            lower = guess
        if np.abs(val - target) <= tol:
            break
    return guess


def calc_perplexity(prob_matrix):
    entropy = -np.sum(prob_matrix * np.log2(prob_matrix), 1)
    return 2 ** entropy


def perplexity(distances, sigmas):
    return calc_perplexity(calc_prob_matrix(distances, sigmas))


def find_optimal_sigmas(distances, target_perplexity):
    sigmas = []
    for i in range(distances.shape[0]):
        eval_fn = lambda sigma: perplexity(distances[i:i + 1, :], np.array(sigma))
        sigmas.append(binary_search(eval_fn, target_perplexity))
    return np.array(sigmas)


def p_conditional_to_joint(P):
    return (P + P.T) / (2. * P.shape[0])


def p_joint(X, target_perplexity):
    distances = neg_squared_euc_dists(X)
    sigmas = find_optimal_sigmas(distances, target_perplexity)
    p_conditional = calc_prob_matrix(distances, sigmas)
    return p_conditional_to_joint(p_conditional)


def q_tsne(Y):
    distances = neg_squared_euc_dists(Y)
    inv_distances = np.power(1. - distances, -1)
    np.fill_diagonal(inv_distances, 0.)
    return inv_distances / np.sum(inv_distances), inv_distances


def tsne_grad(P, Q, Y, inv_distances):
    pq_diff = P - Q
    pq_expanded = np.expand_dims(pq_diff, 2)
    y_diffs = np.expand_dims(Y, 1) - np.expand_dims(Y, 0)
    distances_expanded = np.expand_dims(inv_distances, 2)
    y_diffs_wt = y_diffs * distances_expanded
    return 4. * (pq_expanded * y_diffs_wt).sum(1)


def kl_divergence(Y, P):
    """KL(P‖Q) with Q from the embedding: what tsne_grad differentiates by hand."""
    distances = neg_squared_euc_dists(Y)
    inv_distances = 1. / (1. - distances)
    inv_distances = inv_distances * (1 - np.eye(Y.shape[0]))
    Q = inv_distances / np.sum(inv_distances)
    off = ~np.eye(Y.shape[0], dtype=bool)
    return np.sum(P[off] * np.log(P[off] / Q[off]))


def estimate_sne(X, P, rng, num_iters=60, learning_rate=10., momentum=0.9):
    Y = rng.normal(0., 0.0001, [X.shape[0], 2])
    Y_m1, Y_m2 = Y.copy(), Y.copy()
    kl_grad = grad(kl_divergence)
    for i in range(num_iters):
        grads = kl_grad(Y, P)
        Y = Y - learning_rate * grads
        Y += momentum * (Y_m1 - Y_m2)
        Y_m2 = Y_m1.copy()
        Y_m1 = Y.copy()
    return Y


def main():
    rng = np.random.RandomState(1)
    X = np.concatenate([rng.randn(10, 5) + 4.0, rng.randn(10, 5) - 4.0])
    P = p_joint(X, 5.0)
    Y = estimate_sne(X, P, rng)
    print(kl_divergence(Y, P))
    return X, P, Y
