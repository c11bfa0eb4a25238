"""probml/pyprobml's autograd demo (Old/examples/autograd/autograd_demo.py, MIT licence), after
autograd's README: tanh written as (1 − e⁻ˣ)/(1 + e⁻ˣ), its derivative checked against a
finite difference with np.allclose, and a home-made ``elementwise_grad`` (grad of the sum)
applied twice to get the second derivative on np.linspace(-7, 7, 200).

Written in the style of the public program it names (not a copy; the plot is left out); only
the import lines are chainrule's."""
import chainrule.autograd as autograd
import chainrule.autograd.numpy as np


def tanh(x):
    y = np.exp(-x)
    return (1.0 - y) / (1.0 + y)


def elementwise_grad(fun):
    return autograd.grad(lambda x: np.sum(fun(x)))


def main():
    grad_tanh = autograd.grad(tanh)
    g_auto = grad_tanh(1.0)
    g_finite = (tanh(1.0001) - tanh(0.9999)) / 0.0002
    assert np.allclose(g_auto, g_finite)
    grad_tanh = elementwise_grad(tanh)
    grad_tanh_2 = elementwise_grad(grad_tanh)
    x = np.linspace(-7, 7, 200)
    return x, tanh(x), grad_tanh(x), grad_tanh_2(x)
