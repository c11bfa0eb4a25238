"""NumPy's random module, whose location and scale parameters carry derivatives.

Every name is NumPy's own, on NumPy's one global generator (``chainrule.numpy.random.seed(0)``
seeds ``numpy.random``). The samplers of location-scale families (``normal``, ``uniform``,
``lognormal``, ``laplace``, ``logistic``, ``gumbel``, ``exponential``, ``rayleigh``,
``gamma``'s scale, ``multivariate_normal``'s mean) differ in one thing: given a traced
parameter, they draw NumPy's standard sample from the same stream and return
``loc + scale * z`` (the reparameterization trick): the numbers NumPy's own call draws,
now differentiable in ``loc`` and ``scale``. ``permutation`` and ``choice`` of a traced
array pick its elements at NumPy's own indices (the same stream), so the derivative follows
the elements. Any other sampler given a traced parameter raises a TypeError saying what to
do instead. ``default_rng(seed)`` makes a :class:`Generator` (a subclass of NumPy's, with
NumPy's stream) whose same samplers reparameterize the same way; NumPy's own
``numpy.random.default_rng`` knows nothing of traced values and refuses them.

>>> import numpy as np, chainrule as cr, chainrule.numpy as cnp
>>> cnp.random.seed(0)
>>> draw, tangent = cr.jvp(lambda m: cnp.random.normal(m, 2.0, size=3), (1.0,), (1.0,))
>>> np.random.seed(0)
>>> bool(np.all(draw == np.random.normal(1.0, 2.0, size=3))), tangent.tolist()
(True, [1.0, 1.0, 1.0])
"""
import functools as _functools

import numpy as _np
from numpy import random as _random

from ..core.primitive import Tracer as _Tracer, concrete_value as _concrete, traced_by as _traced_by
from ..interpreters.batching import BatchTracer as _BatchTracer
from ..primitives import composites as _C, elementwise as _E
from ..primitives.util import shape as _shape

globals().update({_n: getattr(_random, _n) for _n in dir(_random) if not _n.startswith("_")})


def __getattr__(name):
    return getattr(_random, name)


def _holds_tracer(value):
    if isinstance(value, (list, tuple)):
        return any(_holds_tracer(v) for v in value)
    return isinstance(value, _Tracer)


def _under_vmap(values):
    return _traced_by(_BatchTracer, values)


# name -> (parameter names, defaults, standard draw, combine): the samplers that reparameterize
_REPARAMETERIZED = {}


def _reparameterized(name, names, defaults, standard, combine):
    """NumPy's sampler ``name(*names, size=None)``; with a traced parameter, NumPy's standard
    draw ``standard(stream, shape, *other)`` from the same stream, passed through
    ``combine`` (the module's global stream here; a :class:`Generator`'s own in its
    methods)."""
    _REPARAMETERIZED[name] = (names, defaults, standard, combine)
    numpys = getattr(_random, name)

    @_functools.wraps(numpys)
    def sampler(*args, **kwargs):
        return _draw(_random, numpys, _random.RandomState, name, args, kwargs)

    sampler.__doc__ = (f"numpy.random.{name}, differentiable in "
                       f"{' and '.join(n for n in names if n != 'shape')} by "
                       f"reparameterization (see chainrule.numpy.random).")
    return sampler


def _draw(stream, numpys, checker, name, args, kwargs):
    """``numpys(*args, **kwargs)`` (NumPy's sampler on ``stream``), or with a traced
    parameter its reparameterized draw from ``stream``; ``checker(0)`` makes a private
    generator of the same kind for NumPy's checks of the parameters."""
    names, defaults, standard, combine = _REPARAMETERIZED[name]
    accepted = names + ("size",)
    unknown = set(kwargs) - set(accepted)
    if len(args) > len(accepted) or unknown:   # (NumPy's errors; never silently dropped)
        raise TypeError(f"{name}() takes the arguments {', '.join(accepted)}; got "
                        f"{len(args)} positional" + (f" and {sorted(unknown)[0]!r}"
                                                     if unknown else ""))
    given = dict(zip(accepted, args))
    given.update(kwargs)
    values = [given.get(n, d) for n, d in zip(names, defaults)]
    if not any(_holds_tracer(v) for v in values):
        return numpys(*args, **kwargs)
    # (a list holding traced values, normal([m1, m2]), is the array NumPy would make)
    values = [_C.asarray(v) if isinstance(v, (list, tuple)) else v for v in values]
    if _under_vmap(values):
        raise TypeError(
            f"chainrule.numpy.random.{name} under vmap: NumPy's generator draws one "
            f"stream, not one per example; draw the standard values outside vmap and pass "
            f"them in (loc + scale * z)")
    size = given.get("size")
    _check(checker(0), name, names, values, size)
    if size is None:
        shape = _np.broadcast_shapes(*(_shape(v) for v in values))
    else:
        shape = tuple(int(n) for n in _np.atleast_1d(size)) if _np.ndim(size) else (
            int(size),)
    return combine(standard(stream, shape, *values), *values)


def _check(generator, name, names, values, size):
    """NumPy's own checks of the parameters (a negative scale, a bracket overflowing,
    parameters that do not broadcast to ``size``), made by NumPy's sampler on a private
    generator, so that the stream drawn from is untouched and the errors are NumPy's."""
    plain = [None if v is None else _np.asarray(_concrete(v)) for v in values]
    kwargs = {n: v for n, v in zip(names, plain) if v is not None}
    if size is not None:  # the parameters broadcast to size: draw their broadcast shape only
        _np.broadcast_to(_np.empty(_np.broadcast_shapes(*(v.shape for v in kwargs.values()))),
                         tuple(_np.atleast_1d(size)) if _np.ndim(size) else (int(size),))
    getattr(generator, name)(**kwargs)


_REFUSAL = ("a draw is not differentiable in this parameter; stop_gradient it, or draw a "
            "standard sample and transform it (the location-scale samplers normal, uniform, "
            "lognormal, laplace, logistic, gumbel, exponential, rayleigh, gamma's scale and "
            "multivariate_normal's mean do this for you; chainrule.scipy.stats' rvs "
            "reparameterize shape parameters implicitly)")


def _refusing(name):
    """NumPy's sampler ``name``, with a clear error for a traced parameter."""
    numpys = getattr(_random, name)

    @_functools.wraps(numpys)
    def sampler(*args, **kwargs):
        if any(_holds_tracer(v) for v in list(args) + list(kwargs.values())):
            raise TypeError(f"chainrule.numpy.random.{name}: {_REFUSAL}")
        return numpys(*args, **kwargs)
    return sampler


def _location_scale(z, loc, scale):
    return loc + scale * z


def _scale(z, scale):
    return scale * z


def _gamma_standard(stream, shape_, k, scale):
    if isinstance(k, _Tracer):
        raise TypeError("chainrule.numpy.random.gamma: a draw is not differentiable in its "
                        "shape k here; chainrule.scipy.stats.gamma.rvs reparameterizes it "
                        "implicitly")
    return stream.standard_gamma(k, shape_)


normal = _reparameterized("normal", ("loc", "scale"), (0.0, 1.0),
                          lambda r, s, *_: r.standard_normal(s), _location_scale)
lognormal = _reparameterized("lognormal", ("mean", "sigma"), (0.0, 1.0),
                             lambda r, s, *_: r.standard_normal(s),
                             lambda z, m, s: _E.exp(m + s * z))
# NumPy's uniform is low + (high − low) · U
uniform = _reparameterized("uniform", ("low", "high"), (0.0, 1.0),
                           lambda r, s, *_: r.uniform(0.0, 1.0, s),
                           lambda z, lo, hi: lo + (hi - lo) * z)
laplace, logistic, gumbel = (
    _reparameterized(n, ("loc", "scale"), (0.0, 1.0),
                     lambda r, s, *_, n=n: getattr(r, n)(0.0, 1.0, s), _location_scale)
    for n in ("laplace", "logistic", "gumbel"))
exponential = _reparameterized("exponential", ("scale",), (1.0,),
                               lambda r, s, *_: r.standard_exponential(s), _scale)
rayleigh = _reparameterized("rayleigh", ("scale",), (1.0,),
                            lambda r, s, *_: r.rayleigh(1.0, s), _scale)
gamma = _reparameterized("gamma", ("shape", "scale"), (None, 1.0), _gamma_standard,
                         lambda z, k, scale: scale * z)


def multivariate_normal(mean, cov, size=None, check_valid="warn", tol=1e-8):
    """numpy.random.multivariate_normal, differentiable in ``mean`` (NumPy adds the mean
    last to a draw that depends on ``cov`` only: the same numbers, from the same stream).

    >>> import numpy as np, chainrule as cr
    >>> seed(1); draw, tangent = cr.jvp(lambda m: multivariate_normal(m, np.eye(2), 3),
    ...                                 (np.zeros(2),), (np.ones(2),))
    >>> np.random.seed(1); bool(np.all(draw == np.random.multivariate_normal(np.zeros(2),
    ...                                                                  np.eye(2), 3)))
    True
    """
    return _multivariate_normal(_random.multivariate_normal, mean, cov, size,
                                check_valid=check_valid, tol=tol)


def _multivariate_normal(numpys, mean, cov, size, **kwargs):
    if isinstance(cov, _Tracer):
        raise TypeError("chainrule.numpy.random.multivariate_normal: a draw is not "
                        "differentiable in cov here; draw z = standard_normal((..., n)) and "
                        "form mean + z @ L.T with L = cnp.linalg.cholesky(cov)")
    if not isinstance(mean, _Tracer):
        return numpys(mean, cov, size, **kwargs)
    if _under_vmap([mean]):
        raise TypeError("chainrule.numpy.random.multivariate_normal under vmap: NumPy's "
                        "generator draws one stream, not one per example; draw outside vmap")
    return numpys(_np.zeros(_shape(mean)), cov, size, **kwargs) + mean


class Generator(_random.Generator):
    """numpy.random.Generator whose location-scale samplers (normal, uniform, lognormal,
    laplace, logistic, gumbel, exponential, rayleigh, gamma's scale, multivariate_normal's
    mean) reparameterize a traced parameter as the module's functions do: NumPy's numbers
    from this generator's stream, differentiable. :func:`default_rng` makes one.

    >>> import numpy as np, chainrule as cr
    >>> draw, tangent = cr.jvp(lambda m: default_rng(0).normal(m, 2.0, 3), (1.0,), (1.0,))
    >>> bool(np.all(draw == np.random.default_rng(0).normal(1.0, 2.0, 3))), tangent.tolist()
    (True, [1.0, 1.0, 1.0])
    """

    def multivariate_normal(self, mean, cov, size=None, check_valid="warn", tol=1e-8, *,
                            method="svd"):
        return _multivariate_normal(super().multivariate_normal, mean, cov, size,
                                    check_valid=check_valid, tol=tol, method=method)


def _generator_sampler(name):
    numpys = getattr(_random.Generator, name)

    @_functools.wraps(numpys)
    def method(self, *args, **kwargs):
        return _draw(self, numpys.__get__(self), _fresh_generator, name, args, kwargs)
    return method


def _generator_refusing(name):
    numpys = getattr(_random.Generator, name)

    @_functools.wraps(numpys)
    def method(self, *args, **kwargs):
        if any(_holds_tracer(v) for v in list(args) + list(kwargs.values())):
            raise TypeError(f"chainrule.numpy.random.Generator.{name}: {_REFUSAL}")
        return numpys(self, *args, **kwargs)
    return method


def _fresh_generator(seed):
    return _random.Generator(_random.PCG64(seed))


def default_rng(seed=None):
    """numpy.random.default_rng, returning chainrule's :class:`Generator` (the same stream:
    a seed, a BitGenerator, or a NumPy Generator whose bit generator it then shares).

    >>> import numpy as np
    >>> bool(np.all(default_rng(3).normal(size=2) == np.random.default_rng(3).normal(size=2)))
    True
    """
    if isinstance(seed, Generator):
        return seed
    if isinstance(seed, _random.Generator):
        return Generator(seed.bit_generator)
    if isinstance(seed, _random.BitGenerator):
        return Generator(seed)
    return Generator(_random.PCG64(seed))


def permutation(x):
    """numpy.random.permutation; a traced array is reordered along its first axis by NumPy's
    permutation of its indices, which is NumPy's own order from the same stream (so the same
    numbers), and the derivative follows the elements.

    >>> import numpy as np, chainrule as cr
    >>> seed(0); draw, tangent = cr.jvp(permutation, (np.arange(4.0),), (np.arange(4.0) * 10,))
    >>> np.random.seed(0); bool(np.all(draw == np.random.permutation(np.arange(4.0))))
    True
    >>> bool(np.all(tangent == draw * 10))
    True
    """
    if not isinstance(x, _Tracer):
        return _random.permutation(x)
    _refuse_batched("permutation", [x])
    if len(_shape(x)) < 1:
        raise IndexError("x must be an integer or at least 1-dimensional")
    return x[_random.permutation(_shape(x)[0])]


def choice(a, size=None, replace=True, p=None):
    """numpy.random.choice; from a traced 1-d array, its elements at NumPy's chosen indices
    (NumPy's own choice, from the same stream), differentiable in ``a`` (not in ``p``).

    >>> import numpy as np, chainrule as cr
    >>> seed(1); g = cr.grad(lambda a: choice(a, 5).sum())(np.zeros(3))
    >>> np.random.seed(1); g.tolist() == np.bincount(np.random.choice(3, 5), minlength=3).tolist()
    True
    """
    if _holds_tracer(p):
        raise TypeError("chainrule.numpy.random.choice: a draw is not differentiable in its "
                        "probabilities p; weight by p instead (an expectation Σ p_i f(a_i)), "
                        "or stop_gradient p")
    if not isinstance(a, _Tracer):
        return _random.choice(a, size, replace, p)
    _refuse_batched("choice", [a])
    if len(_shape(a)) != 1:
        raise ValueError("a must be 1-dimensional or an integer")
    return a[_random.choice(_shape(a)[0], size, replace, p)]


def shuffle(x):
    """numpy.random.shuffle, in place: a traced array cannot change in place, so it raises,
    naming :func:`permutation` (the same order, from the same stream, as a new array).

    >>> import numpy as np
    >>> a = np.arange(3); seed(0); shuffle(a); a.tolist()
    [2, 1, 0]
    """
    if isinstance(x, _Tracer):
        raise TypeError("chainrule.numpy.random.shuffle permutes an array in place, which a "
                        "traced value cannot be; write x = chainrule.numpy.random.permutation(x) "
                        "(NumPy's same order from the same stream)")
    return _random.shuffle(x)


def _refuse_batched(name, values):
    if _under_vmap(values):
        raise TypeError(f"chainrule.numpy.random.{name} under vmap: NumPy's generator draws "
                        f"one stream, not one per example; draw outside vmap")


for _name in ("beta", "binomial", "chisquare", "dirichlet", "f", "geometric", "hypergeometric",
              "logseries", "multinomial", "negative_binomial",
              "noncentral_chisquare", "noncentral_f", "pareto", "poisson", "power",
              "standard_gamma", "standard_t", "triangular", "vonmises", "wald", "weibull",
              "zipf"):
    if hasattr(_random, _name):
        globals()[_name] = _refusing(_name)
    if hasattr(_random.Generator, _name):
        setattr(Generator, _name, _generator_refusing(_name))
for _name in _REPARAMETERIZED:
    setattr(Generator, _name, _generator_sampler(_name))
