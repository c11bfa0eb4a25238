"""Compressibility of a van der Waals gas along an isotherm: dV/dPr from the implicit
equation of state by autograd (dV/dPr = -(∂f/∂Pr)/(∂f/∂V)), integrated with SciPy's odeint
from a starting volume found by fsolve.

Source: J. Kitchin, "Compressibility variation from an implicit equation of state",
Kitchin group blog, 2018-10-09 (kitchingroup.cheme.cmu.edu). Only the import lines name
chainrule; scipy's odeint and fsolve are called as in the post."""
import chainrule.autograd.numpy as np
from chainrule.autograd import grad
from scipy.optimize import fsolve
from scipy.integrate import odeint

R = 0.08206
Pc = 72.9
Tc = 304.2

a = 27 * R**2 * Tc**2 / (Pc * 64)
b = R * Tc / (8 * Pc)

Tr = 1.1  # Constant for this example


def f(V, Pr, Tr):
    return R * Tr * Tc / (V - b) - a / V**2 - Pr * Pc


dfdPr = grad(f, 1)
dfdV = grad(f, 0)


def dVdPr(V, Pr):
    return -dfdPr(V, Pr, Tr) / dfdV(V, Pr, Tr)


def main():
    Pr0 = 0.1
    V0, = fsolve(f, 3.5, args=(Pr0, Tr))
    Pr = np.linspace(Pr0, 4)
    V = odeint(dVdPr, V0, Pr)
    P = Pr * Pc
    T = Tr * Tc
    Z = P * V.flatten() / (R * T)
    return Pr, V.flatten(), Z
