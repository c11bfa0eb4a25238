"""Special functions (SciPy's ``scipy.special``) as primitives with rules.

logsumexp, softmax, log_softmax, expit and logit are computed with NumPy alone.
erf, erfc, gammaln, digamma and polygamma need SciPy, an optional dependency
(extra ``scipy``): it is imported when one of them is first evaluated, with a
message naming the extra if it is absent.
"""

import numpy as np

from ..core.primitive import Primitive
from .util import defrules
from . import elementwise as E
from . import structural as S

_SQRT_PI = np.sqrt(np.pi)


def _sp():
    try:
        import scipy.special as sp
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "chainrule.scipy.special needs SciPy: pip install 'chainrule[scipy]'") from exc
    return sp


def _lazy(name):
    return lambda *a, **k: getattr(_sp(), name)(*a, **k)


def _unary(name, d):
    p = Primitive(name, _lazy(name))
    defrules(p, [lambda t, ans, x: t * d(ans, x)], [lambda g, ans, x: g * d(ans, x)])
    return p


def _expit_impl(x):
    # 1 / (1 + e^-x) written so that neither branch overflows.
    x = np.asarray(x)
    e = np.exp(-np.abs(x))
    out = np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    return out[()] if out.ndim == 0 else out


def _logit_impl(x):
    return np.log(x) - np.log1p(-np.asarray(x))


expit = Primitive("expit", _expit_impl)
defrules(expit, [lambda t, ans, x: t * (ans * (1.0 - ans))],
         [lambda g, ans, x: g * (ans * (1.0 - ans))])
logit = Primitive("logit", _logit_impl)
defrules(logit, [lambda t, ans, x: t * E.reciprocal(x * (1.0 - x))],
         [lambda g, ans, x: g * E.reciprocal(x * (1.0 - x))])
erf = _unary("erf", lambda ans, x: (2.0 / _SQRT_PI) * E.exp(E.negative(x * x)))
erfc = _unary("erfc", lambda ans, x: (-2.0 / _SQRT_PI) * E.exp(E.negative(x * x)))
gammaln = _unary("gammaln", lambda ans, x: digamma(x))


def _polygamma_impl(x, n):
    return _sp().polygamma(n, x)


polygamma_p = Primitive("polygamma", _polygamma_impl)
defrules(polygamma_p,
         [lambda t, ans, x, n: t * polygamma_p(x, n=n + 1)],
         [lambda g, ans, x, n: g * polygamma_p(x, n=n + 1)])


def polygamma(n, x):
    """ψ⁽ⁿ⁾(x), the n-th derivative of the digamma function (SciPy's argument order)."""
    return polygamma_p(x, n=int(n))


def digamma(x):
    """ψ(x) = d/dx log Γ(x); differentiable to any order through polygamma."""
    return polygamma_p(x, n=0)


def _logsumexp_impl(x, axis=None, keepdims=False):
    # Plain NumPy (no SciPy needed): shift by the maximum so that exp cannot overflow.
    x = np.asarray(x)
    m = np.max(x, axis=axis, keepdims=True)
    m = np.where(np.isfinite(m), m, 0.0)
    with np.errstate(divide="ignore"):  # log 0 = -inf is the right answer here
        out = np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True)) + m
    return out if keepdims else np.squeeze(out, axis=axis) if axis is not None else out.reshape(())


def _lse_grad(ans, x, axis, keepdims):
    return E.exp(x - S._expand_reduced(ans, S.shape(x), axis, keepdims))


logsumexp_p = Primitive("logsumexp", _logsumexp_impl)
defrules(logsumexp_p,
         [lambda t, ans, x, axis=None, keepdims=False:
          S.sum(t * _lse_grad(ans, x, axis, keepdims), axis=axis, keepdims=keepdims)],
         [lambda g, ans, x, axis=None, keepdims=False:
          S._expand_reduced(g, S.shape(x), axis, keepdims) * _lse_grad(ans, x, axis, keepdims)])


def logsumexp(a, axis=None, keepdims=False, b=None):
    """log(sum(b * exp(a))) along ``axis``, computed stably.

    >>> import chainrule.scipy.special as csp
    >>> float(csp.logsumexp(np.zeros(4)))  # log 4
    1.3862943611198906
    """
    if b is not None:
        a = a + E.log(b)
    return logsumexp_p(a, axis=axis, keepdims=keepdims)


def softmax(x, axis=None):
    """exp(x) / sum(exp(x)) along ``axis``."""
    return E.exp(x - logsumexp_p(x, axis=axis, keepdims=True))


def log_softmax(x, axis=None):
    """x - logsumexp(x) along ``axis``."""
    return x - logsumexp_p(x, axis=axis, keepdims=True)



