"""A European call priced by Monte Carlo under geometric Brownian motion, vectorised: one
draw of standard normals from NumPy's global generator, terminal prices, discounted mean
payoff. Differentiated, it gives the pathwise Greeks (delta, vega) through np.maximum.

Source: qinkevin/python-for-finance, bsm_mcs_euro.py (the classic "Python for Finance"
listing); only the import line names chainrule.numpy (whose random is NumPy's own). The
script's globals became the arguments of a function; I cut to 20 000 paths, and the
volatility is the annual 0.2 of the book (the script's 0.2/250 is a typo for a daily
figure)."""
import chainrule.numpy as np


def call_value(S0, sigma, K=105, T=1.0, r=0.05, I=20000, seed=0):
    np.random.seed(seed)
    z = np.random.standard_normal(I)
    ST = S0 * np.exp((r - 0.5 * sigma**2) * T + sigma * np.sqrt(T) * z)
    hT = np.maximum(ST - K, 0)
    C0 = np.exp(-r * T) * np.sum(hT) / I
    return C0
