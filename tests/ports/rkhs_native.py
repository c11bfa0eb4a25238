"""Fitting a function in a reproducing kernel Hilbert space by gradient ascent on the function
itself (autograd's rkhs style). autograd's program makes the function a vector space of its
own (extend.VSpace and Box, which chainrule does not provide); on chainrule's API the
function is a pytree (chainrule.tree.register_pytree_node) whose leaves are the weights of
its kernel representers, and the RKHS gradient is the Euclidean gradient of those weights
mapped through the inverse kernel matrix (the Riesz representer).

Written in the style of the public program it names (not a copy)."""
import chainrule.numpy as np
from chainrule import grad
from chainrule.tree import register_pytree_node

class RKHSFun:
    def __init__(self, kernel, alphas):
        self.kernel = kernel
        self.alphas = dict(alphas)   # representer point -> weight

    def __call__(self, x):
        return sum([a * self.kernel(x, x_repr) for x_repr, a in self.alphas.items()], 0.0)

    def __add__(self, f):
        return RKHSFun(self.kernel, {x: a + f.alphas[x] for x, a in self.alphas.items()})

    def __mul__(self, c):
        return RKHSFun(self.kernel, {x: c * a for x, a in self.alphas.items()})

register_pytree_node(RKHSFun,
                     lambda f: (tuple(f.alphas.values()), (f.kernel, tuple(f.alphas))),
                     lambda aux, alphas: RKHSFun(aux[0], dict(zip(aux[1], alphas))))

def sq_exp_kernel(x1, x2):
    return np.exp(-(x1 - x2) ** 2)

def rkhs_gradient(logprob, f, *args):
    """The gradient in the RKHS: K^-1 times the gradient in the weights."""
    g = grad(logprob)(f, *args)
    points = list(f.alphas)
    K = np.array([[f.kernel(a, b) for b in points] for a in points])
    weights = np.linalg.solve(K, np.array([g.alphas[x] for x in points]))
    return RKHSFun(f.kernel, dict(zip(points, weights)))

xs = range(5)
ys = [1, 2, 3, 2, 1]

def logprob(f, xs, ys):
    return -sum((f(x) - y) ** 2 for x, y in zip(xs, ys))

def main(num_iters=100):
    # the gradient of an evaluation lies in the span of the kernels at the data points
    f = RKHSFun(sq_exp_kernel, {float(x): 0.0 for x in xs})
    for i in range(num_iters):
        f = f + rkhs_gradient(logprob, f, xs, ys) * 0.01
    fitted = [f(x) for x in xs]
    for x, y, fx in zip(xs, ys, fitted):
        print(f"{x}\t{y}\t{fx}")
    return f, fitted, rkhs_gradient

if __name__ == "__main__":
    main()
