"""Higher derivatives of tanh by nested elementwise_grad, and the Taylor-series sine with a
while loop on a traced value (autograd's tanh.py and sinusoid examples' style).

Written in the style of the public program it names (not a copy); only the import lines are
chainrule's."""
import chainrule.autograd.numpy as np
from chainrule.autograd import elementwise_grad as egrad, grad
import math

def tanh(x):
    y = np.exp(-2.0 * x)
    return (1.0 - y) / (1.0 + y)

def taylor_sine(x):  # Taylor approximation to sine function
    ans = currterm = x
    i = 0
    while np.abs(currterm) > 0.001:
        currterm = -currterm * x**2 / ((2 * i + 3) * (2 * i + 2))
        ans = ans + currterm
        i += 1
    return ans

def main():
    x = np.linspace(-7, 7, 50)
    d = [tanh(x), egrad(tanh)(x), egrad(egrad(tanh))(x), egrad(egrad(egrad(tanh)))(x),
         egrad(egrad(egrad(egrad(tanh))))(x), egrad(egrad(egrad(egrad(egrad(egrad(tanh))))))(x)]
    grad_sine = grad(taylor_sine)
    s = [grad_sine(np.pi), grad(grad(taylor_sine))(1.0), grad(grad(grad(taylor_sine)))(0.5)]
    print("Gradient of sin(pi) is", grad_sine(np.pi), s)
    return d + s
