"""Small programs on derivatives themselves (autograd's define_gradient, fixed_points and
sinusoid style): a primitive with its own VJP (extend.primitive/defvjp) checked by
test_util.check_grads, square roots as fixed points differentiated twice
(misc.fixed_points), and first and second derivatives of sin and of its Taylor series that
stops on a traced comparison; through chainrule.autograd.

Written in the style of the public programs it names (not a copy); only the import lines are
chainrule's."""
import chainrule.autograd.numpy as np
import chainrule.autograd.numpy.random as npr
from chainrule.autograd import grad, elementwise_grad
from chainrule.autograd.extend import primitive, defvjp
from chainrule.autograd.test_util import check_grads
from chainrule.autograd.misc.fixed_points import fixed_point

@primitive
def logsumexp(x):
    """Numerically stable log(sum(exp(x)))."""
    max_x = np.max(x)
    return max_x + np.log(np.sum(np.exp(x - max_x)))

def logsumexp_vjp(ans, x):
    x_shape = x.shape
    return lambda g: np.full(x_shape, g) * np.exp(x - np.full(x_shape, ans))

defvjp(logsumexp, logsumexp_vjp)

def example_func(y):
    z = y**2
    lse = logsumexp(z)
    return np.sum(lse)

def define_gradient():
    y = npr.RandomState(0).randn(10)
    g = grad(example_func)(y)
    check_grads(example_func, modes=["rev"])(npr.RandomState(1).randn(10))
    check_grads(example_func, modes=["rev", "fwd"], order=2)(npr.RandomState(2).randn(4))
    print("define_gradient", g[:3])
    return y, g

def newton_sqrt_iter(a):
    return lambda x: 0.5 * (x + a / x)

def grad_descent_sqrt_iter(a):
    return lambda x: x - 0.05 * (x**2 - a)

def distance(x, y):
    return np.abs(x - y)

def sqrt(a, guess=10.0):
    return fixed_point(grad_descent_sqrt_iter, a, guess, distance, 1e-4)

def newton_sqrt(a, guess=10.0):
    return fixed_point(newton_sqrt_iter, a, guess, distance, 1e-10)

def fixed_points():
    out = [np.sqrt(2.0), sqrt(2.0), grad(np.sqrt)(2.0), grad(sqrt)(2.0),
           grad(grad(np.sqrt))(2.0), grad(grad(sqrt))(2.0),
           newton_sqrt(2.0), grad(newton_sqrt)(2.0), grad(grad(newton_sqrt))(2.0)]
    print("fixed_points", out)
    return out

def fun(x):
    return np.sin(x)

def taylor_sine(x):
    currterm = x
    ans = currterm
    for i in range(1000):
        currterm = - currterm * x ** 2 / ((2 * i + 3) * (2 * i + 2))
        ans = ans + currterm
        if np.abs(currterm) < 0.2:   # a very generous tolerance
            break
    return ans

def sinusoid():
    x = np.linspace(-10, 10, 25)
    d_fun, dd_fun = grad(fun), grad(grad(fun))
    curves = [list(map(f, x)) for f in (fun, d_fun, dd_fun)]
    d_taylor, dd_taylor = grad(taylor_sine), grad(grad(taylor_sine))
    taylor = [list(map(f, x)) for f in (taylor_sine, d_taylor, dd_taylor)]
    # elementwise_grad does the whole grid at once
    whole = [elementwise_grad(fun)(x), elementwise_grad(elementwise_grad(fun))(x)]
    print("sinusoid", curves[1][:2], taylor[1][:2])
    return x, curves, taylor, whole

def main():
    return [define_gradient(), fixed_points(), sinusoid()]

if __name__ == "__main__":
    main()
