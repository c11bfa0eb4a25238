"""The derivative of functions defined by integrals: a trapezoid rule written with np.diff,
differentiated by autograd, including an integral whose limits (through np.linspace) depend
on x.

Source: J. Kitchin, "Autograd and the derivative of an integral function", Kitchin group
blog, 2018-10-10 (kitchingroup.cheme.cmu.edu). Only the import lines name chainrule."""
import chainrule.autograd.numpy as np
from chainrule.autograd import grad


def trapz(y, x):
    d = np.diff(x)
    return np.sum((y[0:-1] + y[1:]) * d / 2)


def phi(alpha):
    x = np.linspace(0, 1, 1000)
    y = alpha / (x**2 + alpha**2)
    return trapz(y, x)


adphi = grad(phi, 0)


def f(x):
    a = np.sin(x)
    b = np.cos(x)
    t = np.linspace(a, b, 1000)
    y = np.cosh(t**2)
    return trapz(y, t)


adf = grad(f, 0)


def main():
    alpha = np.linspace(0.1, 1, 10)
    dphidalpha = [adphi(a) for a in alpha]
    x = np.linspace(0, 2 * np.pi, 7)
    dfdx = [adf(xi) for xi in x]
    return alpha, np.array(dphidalpha), x, np.array(dfdx)
