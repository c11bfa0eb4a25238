"""autograd.scipy.stats: chainrule.scipy.stats's distributions, each also a module
(``import chainrule.autograd.scipy.stats.norm as norm``), as in autograd.

>>> import chainrule.autograd.scipy.stats.norm as norm
>>> round(float(norm.pdf(0.0)), 6)
0.398942
"""
from . import (beta, cauchy, chi2, dirichlet, expon, gamma, laplace, logistic,  # noqa: F401
               multivariate_normal, norm, poisson, t, uniform)

__all__ = ["beta", "cauchy", "chi2", "dirichlet", "expon", "gamma", "laplace", "logistic",
           "multivariate_normal", "norm", "poisson", "t", "uniform"]
