"""SciPy's curve_fit tutorial (a·exp(−b·x) + c) with jac= from forward mode, and least_squares
with jac= from reverse mode.

Written in the style of the public program it names (not a copy); only the import lines are
chainrule's."""
import chainrule.numpy as np
from chainrule import jacobian, jacfwd, jacrev
from scipy.optimize import curve_fit, least_squares

def func(x, a, b, c):
    return a * np.exp(-b * x) + c

def model_jac(x, a, b, c):
    # d func / d (a, b, c), one column per parameter
    return np.stack(jacfwd(func, argnums=(1, 2, 3))(x, a, b, c), axis=-1)

def main():
    rng = np.random.default_rng(0)
    xdata = np.linspace(0, 4, 50)
    y = func(xdata, 2.5, 1.3, 0.5)
    ydata = y + 0.2 * rng.normal(size=xdata.size)
    popt, pcov = curve_fit(func, xdata, ydata, jac=model_jac)
    popt2, _ = curve_fit(func, xdata, ydata)
    print(popt, popt2)
    # least_squares with a jacobian from reverse mode
    def residuals(p):
        return func(xdata, *p) - ydata
    res = least_squares(residuals, np.array([1.0, 1.0, 1.0]), jac=jacrev(residuals))
    res2 = least_squares(residuals, np.array([1.0, 1.0, 1.0]), jac=jacobian(residuals),
                         method='lm')
    print(res.x, res2.x)
    return [model_jac(xdata, 2.5, 1.3, 0.5), popt, res.x, res2.x]
