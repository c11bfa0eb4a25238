"""Small programs on derivatives themselves (autograd's define_gradient, fixed_points and
sinusoid style) on chainrule's own API: logsumexp with a hand-written rule
(chainrule.custom_vjp) checked by chainrule.check_grads, square roots as fixed points
(chainrule.solvers.fixed_point) differentiated twice, and derivatives of sin and of its
Taylor series that stops on a traced comparison (chainrule.grad, chainrule.vmap).

Written in the style of the public programs it names (not a copy)."""
import chainrule.numpy as np
import chainrule.numpy.random as npr
from chainrule import grad, vmap, custom_vjp, check_grads
from chainrule.solvers import fixed_point

@custom_vjp
def logsumexp(x):
    max_x = np.max(x)
    return max_x + np.log(np.sum(np.exp(x - max_x)))

def logsumexp_fwd(x):
    ans = logsumexp(x)
    return ans, (ans, x)

def logsumexp_bwd(residuals, g):
    ans, x = residuals
    return (np.full(x.shape, g) * np.exp(x - np.full(x.shape, ans)),)

logsumexp.defvjp(logsumexp_fwd, logsumexp_bwd)

def example_func(y):
    return np.sum(logsumexp(y**2))

def define_gradient():
    y = npr.RandomState(0).randn(10)
    g = grad(example_func)(y)
    check_grads(example_func, (npr.RandomState(1).randn(10),), order=1, modes=("rev",))
    check_grads(example_func, (npr.RandomState(2).randn(4),), order=2)
    print("define_gradient", g[:3])
    return y, g

def sqrt(a, guess=10.0):
    # x = x - 0.05 (x^2 - a) converges to sqrt(a); chainrule's test is max|T(x) - x| <= tol
    return fixed_point(lambda x, a: x - 0.05 * (x**2 - a), guess, a, tol=1e-12, method="iterate")

def newton_sqrt(a, guess=10.0):
    return fixed_point(lambda x, a: 0.5 * (x + a / x), guess, a)

def fixed_points():
    out = [np.sqrt(2.0), sqrt(2.0), grad(np.sqrt)(2.0), grad(sqrt)(2.0),
           grad(grad(np.sqrt))(2.0), grad(grad(sqrt))(2.0),
           newton_sqrt(2.0), grad(newton_sqrt)(2.0), grad(grad(newton_sqrt))(2.0)]
    print("fixed_points", out)
    return out

def taylor_sine(x):
    currterm = x
    ans = currterm
    for i in range(1000):
        currterm = - currterm * x ** 2 / ((2 * i + 3) * (2 * i + 2))
        ans = ans + currterm
        if np.abs(currterm) < 0.2:
            break
    return ans

def sinusoid():
    x = np.linspace(-10, 10, 25)
    curves = [vmap(f)(x) for f in (np.sin, grad(np.sin), grad(grad(np.sin)))]
    # the series stops at a different term for each x: a Python loop, not vmap
    taylor = [np.array([f(xi) for xi in x]) for f in (taylor_sine, grad(taylor_sine),
                                                     grad(grad(taylor_sine)))]
    print("sinusoid", curves[1][:2], taylor[1][:2])
    return x, curves, taylor

def main():
    return [define_gradient(), fixed_points(), sinusoid()]

if __name__ == "__main__":
    main()
