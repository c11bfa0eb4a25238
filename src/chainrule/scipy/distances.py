"""Differentiable ``scipy.spatial.distance``: ``cdist``, ``pdist``, ``squareform`` and the
distance functions between two vectors (``euclidean``, ``cosine``, ``mahalanobis``…).

``cdist`` and ``pdist`` give SciPy's own values (its C loops: no array of all the pairs'
differences is made to compute them); their derivatives come from the same distances
written with ``chainrule.numpy`` on the pairs' differences, so they are exact to any order.
The two-vector functions are SciPy's NumPy code written with ``chainrule.numpy``.

Where two points coincide the Euclidean distance has no derivative (the norm's kink at 0);
chainrule gives 0 there, the smallest subgradient, as PyTorch's ``cdist`` does, so the
diagonal of ``cdist(X, X)`` (a kernel matrix's) does not turn a gradient into nan.

>>> import numpy as np, chainrule as cr
>>> X = np.array([[0.0, 0.0], [3.0, 4.0]])
>>> cdist(X, X)
array([[0., 5.],
       [5., 0.]])
>>> cr.grad(lambda X: cdist(X, X).sum())(X)      # 2 (x_i − x_j)/|x_i − x_j| per pair
array([[-1.2, -1.6],
       [ 1.2,  1.6]])
"""

import numpy as np

from .. import numpy as cnp
from ..core.primitive import Primitive
from ..interpreters.batching import BatchedValueError
from ..core.registry import SPATIAL_DISTANCE, NONDIFF, CREATION
from ..primitives.declare import declare, export
from ..primitives.scipy_linalg import loop_batch, scipy_module, require_finite
from ..primitives.util import shape, dtype, lower
from ..transforms.differentiate import jvp, vjp
from . import special as csp

__all__ = []

# SciPy's names for its metrics, aliases included (scipy.spatial.distance's table).
_ALIASES = {
    "braycurtis": ("braycurtis",), "canberra": ("canberra",),
    "chebyshev": ("chebyshev", "cheby", "cheb", "ch", "chebychev"),
    "cityblock": ("cityblock", "cblock", "cb", "c"),
    "correlation": ("correlation", "co"), "cosine": ("cosine", "cos"),
    "euclidean": ("euclidean", "euclid", "eu", "e"),
    "jensenshannon": ("jensenshannon", "js"),
    "mahalanobis": ("mahalanobis", "mahal", "mah"),
    "minkowski": ("minkowski", "mi", "m", "pnorm"),
    "seuclidean": ("seuclidean", "se", "s"), "sqeuclidean": ("sqeuclidean", "sqe", "sqeuclid"),
    # counts of (mis)matches: piecewise constant in the data, a zero derivative
    "dice": ("dice",), "hamming": ("matching", "hamming", "hamm", "ha", "h"),
    "jaccard": ("jaccard", "jacc", "ja", "j"), "rogerstanimoto": ("rogerstanimoto",),
    "russellrao": ("russellrao",), "sokalsneath": ("sokalsneath",), "yule": ("yule",),
}
_CANONICAL = {alias: name for name, aliases in _ALIASES.items() for alias in aliases}
_COUNTING = frozenset({"dice", "hamming", "jaccard", "rogerstanimoto", "russellrao",
                       "sokalsneath", "yule"})
# The keyword arguments of cdist/pdist that are arrays (and may carry derivatives).
_ARRAY_KWARGS = ("w", "V", "VI")


def _metric_name(metric):
    name = _CANONICAL.get(metric.lower()) if isinstance(metric, str) else None
    if name is None:
        raise ValueError(f"Unknown Distance Metric: {metric}")
    return name


# ---- the distances on the pairs' differences, written with chainrule.numpy --------------
def _safe_root(s, p=2.0):
    """``s ** (1/p)`` with 0 (and a zero derivative) where ``s`` is 0: the norm's kink."""
    positive = s > 0
    root = cnp.sqrt if p == 2.0 else (lambda x: x ** (1.0 / p))
    # (s * 0: the 0 of s == 0, with a zero derivative, and nan where s is nan)
    return cnp.where(positive, root(cnp.where(positive, s, 1.0)), s * 0.0)


def _weighted(terms, w):
    return terms if w is None else terms * w


def _pair_distances(metric, u, v, w=None, V=None, VI=None, p=2.0):
    """The distance between ``u[..., k, :]`` and ``v[..., k, :]`` (broadcast pairs) for one
    of SciPy's metric names; ``w``, ``V``, ``VI`` as SciPy's keywords."""
    if metric in _COUNTING:
        raise AssertionError("counting metrics have no formula")  # (never differentiated)
    if metric == "seuclidean":
        metric, w = "euclidean", 1.0 / V
    if metric == "minkowski" and p == np.inf:
        metric = "chebyshev"
    d = u - v
    if metric == "sqeuclidean":
        return cnp.sum(_weighted(d * d, w), axis=-1)
    if metric == "euclidean" or (metric == "minkowski" and p == 2.0):
        return _safe_root(cnp.sum(_weighted(d * d, w), axis=-1))
    if metric == "cityblock" or (metric == "minkowski" and p == 1.0):
        return cnp.sum(_weighted(cnp.abs(d), w), axis=-1)
    if metric == "minkowski":
        return _safe_root(cnp.sum(_weighted(cnp.abs(d) ** p, w), axis=-1), p)
    if metric == "chebyshev":
        a = cnp.abs(d)
        return cnp.max(a if w is None else a * (w > 0), axis=-1)
    if metric in ("cosine", "correlation"):
        wn = None if w is None else w / cnp.sum(w)
        if metric == "correlation":
            mean = (lambda x: cnp.mean(x, axis=-1, keepdims=True)) if wn is None else \
                (lambda x: cnp.sum(x * wn, axis=-1, keepdims=True))
            u, v = u - mean(u), v - mean(v)
        uv = cnp.sum(_weighted(u * v, wn), axis=-1)
        uu = cnp.sum(_weighted(u * u, wn), axis=-1)
        vv = cnp.sum(_weighted(v * v, wn), axis=-1)
        return cnp.clip(1.0 - uv / cnp.sqrt(uu * vv), 0.0, 2.0)
    if metric == "braycurtis":
        return cnp.sum(_weighted(cnp.abs(d), w), axis=-1) / \
            cnp.sum(_weighted(cnp.abs(u + v), w), axis=-1)
    if metric == "canberra":
        terms = cnp.abs(d) / (cnp.abs(u) + cnp.abs(v))
        terms = cnp.where(cnp.isnan(terms), 0.0, terms)  # 0/0: SciPy's nansum drops it
        return cnp.sum(_weighted(terms, w), axis=-1)
    if metric == "mahalanobis":
        return _safe_root(cnp.sum(cnp.matmul(d, VI) * d, axis=-1))
    if metric == "jensenshannon":
        pn = u / cnp.sum(u, axis=-1, keepdims=True)
        qn = v / cnp.sum(v, axis=-1, keepdims=True)
        m = (pn + qn) / 2.0
        js = cnp.sum(csp.rel_entr(pn, m), axis=-1) + cnp.sum(csp.rel_entr(qn, m), axis=-1)
        return _safe_root(js / 2.0)
    raise AssertionError(metric)


def _defaults(metric, data, kwargs):
    """SciPy's data-dependent defaults: seuclidean's V (the variances of the stacked rows,
    ddof=1) and mahalanobis' VI (the inverse of their covariance), as functions of the data,
    so that the derivative sees them."""
    kwargs = dict(kwargs)
    if metric == "seuclidean" and kwargs.get("V") is None:
        kwargs["V"] = cnp.var(data, axis=0, ddof=1)
    if metric == "mahalanobis" and kwargs.get("VI") is None:
        kwargs["VI"] = cnp.swapaxes(cnp.linalg.inv(cnp.cov(cnp.swapaxes(data, 0, 1))), 0, 1)
    return kwargs


def _cdist_formula(metric, p, names, XA, XB, *arrays):
    kw = dict(zip(names, arrays))
    kw = _defaults(metric, cnp.concatenate([XA, XB], axis=0), kw)
    return _pair_distances(metric, XA[:, None, :], XB[None, :, :], p=p, **kw)


def _pdist_formula(metric, p, names, X, *arrays):
    kw = _defaults(metric, X, dict(zip(names, arrays)))
    i, j = np.triu_indices(shape(X)[0], 1)
    return _pair_distances(metric, X[i], X[j], p=p, **kw)


_FORMULAS = {"cdist": _cdist_formula, "pdist": _pdist_formula}


# ---- cdist and pdist: SciPy's values, the formulas' derivatives ---------------------------
def _impl(*args, fn, metric, p, names):
    kw = dict(zip(names, args[len(args) - len(names):]))
    if metric == "minkowski":
        kw["p"] = p
    data = args[:len(args) - len(names)]
    return getattr(scipy_module("spatial.distance"), fn)(*data, metric=metric, **kw)


def _as_float64(values):
    # SciPy computes in double precision whatever it is given.
    return [cnp.asarray(v, dtype=np.float64) for v in values]


def _distance_jvp(primals, tangents, fn, metric, p, names):
    out = _distances(*primals, fn=fn, metric=metric, p=p, names=names)
    formula = _FORMULAS[fn]
    ts = [cnp.zeros(shape(x), dtype=np.float64) if t is None else cnp.asarray(t, dtype=np.float64)
          for x, t in zip(primals, tangents)]
    _, dout = jvp(lambda *a: formula(metric, p, names, *a), tuple(_as_float64(primals)),
                  tuple(ts))
    return out, dout


def _distance_vjp(g, ans, vals, params):
    formula = _FORMULAS[params["fn"]]
    metric, p, names = params["metric"], params["p"], params["names"]
    _, pull = vjp(lambda *a: formula(metric, p, names, *a), *_as_float64(vals))
    return [c if dtype(x).kind == "f" else None
            for x, c in zip(vals, pull(cnp.asarray(g, dtype=np.float64)))]


_distances = Primitive("spatial_distances", _impl)
declare(_distances, jvp=_distance_jvp, vjp=_distance_vjp, batch=loop_batch(_distances),
        names=())


def _checked_2d(X, name):
    X = cnp.asarray(X)
    if len(shape(X)) != 2:
        raise ValueError(f"{name} must be a 2-dimensional array.")
    if dtype(X).kind == "c":
        raise ValueError(f"Unsupported dtype {dtype(X)}")  # (SciPy's error)
    return X


def _call(fn, data, metric, kwargs):
    out = kwargs.pop("out", None)
    if callable(metric):
        return None, out
    metric = _metric_name(metric)
    p = float(kwargs.pop("p", 2.0)) if metric == "minkowski" else 2.0
    names, arrays = [], []
    for key in _ARRAY_KWARGS:
        value = kwargs.pop(key, None)
        if value is not None:
            names.append(key)
            arrays.append(cnp.asarray(value))
            _refuse_complex(arrays[-1])
    if kwargs:
        raise TypeError(f"{fn}() got unexpected keyword arguments for metric {metric!r}: "
                        f"{', '.join(sorted(kwargs))}")
    if metric in _COUNTING:  # SciPy's value; no derivative to carry
        if arrays:
            raise TypeError(f"{fn}(..., metric={metric!r}): weights are not supported with a "
                            f"counting metric here; call scipy.spatial.distance.{fn} on the "
                            f"values (its result has a zero derivative)")
        result = _counted(*data, fn=fn, keywords=(("metric", metric),))
    else:
        result = _distances(*data, *arrays, fn=fn, metric=metric, p=p, names=tuple(names))
    return result, out


def _values(x):
    """The values under ``x`` for a check of the input (SciPy's ValueErrors), or None under
    vmap, where a batched value stands for one example's shape only (the convention of
    ``require_finite``)."""
    try:
        return np.asarray(lower(x))
    except BatchedValueError:
        return None


def _into(out, result):
    if out is None:
        return result
    # SciPy's out=: written in place, so only for plain values (a traced result would lose
    # its derivative in the copy).
    if not isinstance(result, np.ndarray):
        raise TypeError("cdist/pdist(..., out=...) writes into an array, which would lose "
                        "the derivative; assign the result instead: d = cdist(XA, XB)")
    out[...] = result
    return out


@export(namespace=SPATIAL_DISTANCE)
def cdist(XA, XB, metric="euclidean", *, out=None, **kwargs):
    """Distances between each row of ``XA`` and each row of ``XB`` (SciPy's
    ``scipy.spatial.distance.cdist``: every metric it names, its keywords ``p``, ``w``,
    ``V``, ``VI``, or a callable ``metric(u, v)``); differentiable in ``XA``, ``XB`` and
    the weights.

    >>> import numpy as np, chainrule as cr
    >>> XA, XB = np.array([[0.0, 0.0]]), np.array([[1.0, 0.0], [0.0, 2.0]])
    >>> cdist(XA, XB, "sqeuclidean")
    array([[1., 4.]])
    >>> cr.grad(lambda b: cdist(XA, b, "cityblock").sum())(XB - 0.5)    # sign(b − 0)
    array([[ 1., -1.],
           [-1.,  1.]])
    """
    XA, XB = _checked_2d(XA, "XA"), _checked_2d(XB, "XB")
    if shape(XA)[1] != shape(XB)[1]:
        raise ValueError("XA and XB must have the same number of columns "
                         "(i.e. feature dimension.)")
    result, out = _call("cdist", (XA, XB), metric, dict(kwargs, out=out))
    if result is None:  # a callable metric, called on each pair as SciPy does
        rows = [cnp.stack([cnp.asarray(metric(a, b, **kwargs), dtype=np.float64)
                           for b in _rows(XB)]) if shape(XB)[0] else
                cnp.zeros((0,), dtype=np.float64) for a in _rows(XA)]
        result = cnp.stack(rows) if rows else cnp.zeros((0, shape(XB)[0]))
    return _into(out, result)


@export(namespace=SPATIAL_DISTANCE)
def pdist(X, metric="euclidean", *, out=None, **kwargs):
    """Distances between the pairs of rows of ``X``, condensed: row i against each row
    j > i, in order (SciPy's ``pdist``; see :func:`cdist` for metrics and keywords).

    >>> import numpy as np, chainrule as cr
    >>> X = np.array([[0.0], [1.0], [3.0]])
    >>> pdist(X)
    array([1., 3., 2.])
    >>> cr.grad(lambda X: pdist(X).sum())(X)[:, 0]      # Σ_pairs |x_i − x_j|
    array([-2.,  0.,  2.])
    """
    X = _checked_2d(X, "X")
    result, out = _call("pdist", (X,), metric, dict(kwargs, out=out))
    if result is None:
        rows = _rows(X)
        pairs = [cnp.asarray(metric(rows[i], rows[j], **kwargs), dtype=np.float64)
                 for i in range(len(rows)) for j in range(i + 1, len(rows))]
        result = cnp.stack(pairs) if pairs else cnp.zeros((0,), dtype=np.float64)
    return _into(out, result)


def _rows(X):
    return [X[i] for i in range(shape(X)[0])]


@export(namespace=SPATIAL_DISTANCE)
def squareform(X, force="no", checks=True):
    """A condensed distance vector as the square symmetric matrix with a zero diagonal, and
    back (SciPy's ``squareform``); linear, so its derivative is itself.

    >>> import numpy as np
    >>> squareform(np.array([1.0, 3.0, 2.0]))
    array([[0., 1., 3.],
           [1., 0., 2.],
           [3., 2., 0.]])
    >>> squareform(squareform(np.array([1.0, 3.0, 2.0])))
    array([1., 3., 2.])
    """
    X = cnp.asarray(X)
    s = shape(X)
    force = force.lower()
    if force == "tomatrix" and len(s) != 1:
        raise ValueError("Forcing 'tomatrix' but input X is not a distance vector.")
    if force == "tovector" and len(s) != 2:
        raise ValueError("Forcing 'tovector' but input X is not a distance matrix.")
    if len(s) == 1:
        if s[0] == 0:
            return cnp.zeros((1, 1), dtype=dtype(X))
        n = int(np.ceil(np.sqrt(s[0] * 2)))
        if n * (n - 1) != s[0] * 2:
            raise ValueError("Incompatible vector size. It must be a binomial coefficient n "
                             "choose 2 for some integer n >= 2.")
        i, j = np.triu_indices(n, 1)
        M = cnp.zeros((n, n), dtype=dtype(X))
        M = cnp.at(M)[i, j].set(X)
        return cnp.at(M)[j, i].set(X)
    if len(s) == 2:
        if s[0] != s[1]:
            raise ValueError("The matrix argument must be square.")
        values = _values(X) if checks else None
        if values is not None:
            is_valid_dm(values, throw=True, name="X")
        n = s[0]
        if n <= 1:
            return cnp.zeros((0,), dtype=dtype(X))
        i, j = np.triu_indices(n, 1)
        return X[i, j]
    raise ValueError(f"The first argument must be one or two dimensional array. A "
                     f"{len(s)}-dimensional array is not permitted")


# ---- between two vectors: SciPy's NumPy code, in chainrule.numpy -------------------------
def _vector(u, dtype_=None):
    u = cnp.asarray(u, dtype=dtype_)
    if len(shape(u)) != 1:
        raise ValueError("Input vector should be 1-D.")
    _refuse_complex(u)
    return u


def _refuse_complex(u):
    # SciPy takes complex vectors in some of these (as |u − v|) and not in others; chainrule
    # refuses them all rather than give a complex formula a real function's meaning.
    if dtype(u).kind == "c":
        raise TypeError("chainrule.scipy.spatial.distance takes real vectors; for complex "
                        "ones write the distance itself, e.g. cnp.linalg.norm(u - v)")


def _weights(w):
    if w is None:
        return None
    w = _vector(w, np.float64)
    values = _values(w)
    if values is not None and np.any(values < 0):
        raise ValueError("Input weights should be all non-negative")
    return w


def _real(u, v, name):
    if dtype(u).kind == "c" or dtype(v).kind == "c":
        raise TypeError(f"{name}: `u` and `v` must be real.")


@export(namespace=SPATIAL_DISTANCE)
def minkowski(u, v, p=2, w=None):
    """The Minkowski p-norm of ``u − v`` (weights ``w``: Σ w|u−v|^p); derivative 0 where
    ``u == v``.

    >>> import numpy as np
    >>> float(minkowski(np.array([0.0, 0.0]), np.array([3.0, 4.0]), 1))
    7.0
    """
    u, v = _vector(u), _vector(v)
    if p <= 0:
        raise ValueError("p must be greater than 0")
    w = _weights(w)
    require_finite(u, v)  # (SciPy's norm checks)
    # SciPy's norm answers a Python float whatever the precision it computed in
    return cnp.asarray(_pair_distances("minkowski", u, v, w=w, p=float(p)), dtype=np.float64)


@export(namespace=SPATIAL_DISTANCE)
def euclidean(u, v, w=None):
    """‖u − v‖₂ (weighted: √Σ w(u−v)²); derivative 0 where ``u == v``.

    >>> import numpy as np, chainrule as cr
    >>> float(euclidean(np.array([0.0, 0.0]), np.array([3.0, 4.0])))
    5.0
    >>> cr.grad(lambda u: euclidean(u, u))(np.array([1.0, 2.0]))
    array([0., 0.])
    """
    return minkowski(u, v, 2, w)


@export(namespace=SPATIAL_DISTANCE)
def sqeuclidean(u, v, w=None):
    """Σ w(u − v)², in the inputs' float precision (others as float64), as SciPy.

    >>> import numpy as np
    >>> float(sqeuclidean(np.array([0.0, 0.0]), np.array([3.0, 4.0])))
    25.0
    """
    to64 = lambda x: None if dtype(x).kind in "fc" else np.float64  # noqa: E731
    u, v = _vector(u, to64(cnp.asarray(u))), _vector(v, to64(cnp.asarray(v)))
    w = _weights(w)
    d = u - v
    return cnp.dot(d, d if w is None else w * d)


@export(namespace=SPATIAL_DISTANCE)
def cityblock(u, v, w=None):
    """Σ w|u − v| (Manhattan).

    >>> import numpy as np
    >>> float(cityblock(np.array([0.0, 0.0]), np.array([3.0, -4.0])))
    7.0
    """
    return _pair_distances("cityblock", _vector(u), _vector(v), w=_weights(w))


@export(namespace=SPATIAL_DISTANCE)
def chebyshev(u, v, w=None):
    """max |u − v| (over entries with w > 0); the derivative goes to the largest entry.

    >>> import numpy as np
    >>> float(chebyshev(np.array([0.0, 0.0]), np.array([3.0, -4.0])))
    4.0
    """
    return _pair_distances("chebyshev", _vector(u), _vector(v), w=_weights(w))


@export(namespace=SPATIAL_DISTANCE)
def correlation(u, v, w=None, centered=True):
    """1 − the (weighted) correlation of ``u`` and ``v`` (``centered=False``: cosine),
    clipped to [0, 2] as SciPy.

    >>> import numpy as np
    >>> float(correlation(np.array([1.0, 2.0, 3.0]), np.array([3.0, 2.0, 1.0])))
    2.0
    """
    u, v = _vector(u), _vector(v)
    _real(u, v, "correlation")
    return _pair_distances("correlation" if centered else "cosine", u, v, w=_weights(w))


@export(namespace=SPATIAL_DISTANCE)
def cosine(u, v, w=None):
    """1 − u·v / (‖u‖‖v‖), clipped to [0, 2].

    >>> import numpy as np
    >>> round(float(cosine(np.array([1.0, 0.0]), np.array([1.0, 1.0]))), 6)
    0.292893
    """
    return correlation(u, v, w=w, centered=False)


@export(namespace=SPATIAL_DISTANCE)
def braycurtis(u, v, w=None):
    """Σ w|u − v| / Σ w|u + v|.

    >>> import numpy as np
    >>> float(braycurtis(np.array([1.0, 0.0]), np.array([0.0, 1.0])))
    1.0
    """
    return _pair_distances("braycurtis", _vector(u), _vector(v, np.float64), w=_weights(w))


@export(namespace=SPATIAL_DISTANCE)
def canberra(u, v, w=None):
    """Σ w|u − v| / (|u| + |v|), a 0/0 term counting 0 (SciPy's nansum).

    >>> import numpy as np
    >>> float(canberra(np.array([1.0, 0.0]), np.array([3.0, 0.0])))
    0.5
    """
    return _pair_distances("canberra", _vector(u), _vector(v, np.float64), w=_weights(w))


@export(namespace=SPATIAL_DISTANCE)
def seuclidean(u, v, V):
    """√Σ (u − v)² / V (standardised Euclidean); differentiable in ``V`` too.

    >>> import numpy as np
    >>> float(seuclidean(np.array([0.0, 0.0]), np.array([2.0, 2.0]), np.array([4.0, 1.0])))
    2.23606797749979
    """
    u, v, V = _vector(u), _vector(v), _vector(V, np.float64)
    if shape(V)[0] != shape(u)[0] or shape(u)[0] != shape(v)[0]:
        raise TypeError("V must be a 1-D array of the same dimension as u and v.")
    return euclidean(u, v, w=1.0 / V)


@export(namespace=SPATIAL_DISTANCE)
def mahalanobis(u, v, VI):
    """√((u − v) VI (u − v)ᵀ); differentiable in ``VI`` too.

    >>> import numpy as np
    >>> float(mahalanobis(np.array([0.0, 0.0]), np.array([1.0, 1.0]), np.eye(2)))
    1.4142135623730951
    """
    u, v = _vector(u), _vector(v)
    VI = cnp.atleast_2d(VI)
    return _pair_distances("mahalanobis", u, v, VI=VI)


@export(namespace=SPATIAL_DISTANCE)
def jensenshannon(p, q, base=None, *, axis=0, keepdims=False):
    """The Jensen–Shannon distance between the distributions ``p`` and ``q`` (each
    normalised to sum 1 along ``axis``).

    >>> import numpy as np
    >>> float(jensenshannon(np.array([1.0, 0.0]), np.array([0.0, 1.0]), base=2))
    1.0
    """
    p, q = cnp.asarray(p), cnp.asarray(q)
    _refuse_complex(p), _refuse_complex(q)
    p = p / cnp.sum(p, axis=axis, keepdims=True)
    q = q / cnp.sum(q, axis=axis, keepdims=True)
    m = (p + q) / 2.0
    js = cnp.sum(csp.rel_entr(p, m), axis=axis, keepdims=keepdims) + \
        cnp.sum(csp.rel_entr(q, m), axis=axis, keepdims=keepdims)
    if base is not None:
        js = js / np.log(base)
    return _safe_root(js / 2.0)  # (0, with a zero derivative, where p and q are equal)


@export(namespace=SPATIAL_DISTANCE)
def directed_hausdorff(u, v, rng=0, *, seed=None):
    """SciPy's directed Hausdorff distance from ``u`` to ``v`` and the pair of rows that
    attain it, ``(d, i, j)``; ``d`` is differentiable (it is ‖u[i] − v[j]‖ for that pair).

    >>> import numpy as np
    >>> d, i, j = directed_hausdorff(np.array([[0.0, 0.0], [4.0, 0.0]]), np.array([[0.0, 1.0]]))
    >>> float(d), int(i), int(j)
    (4.123105625617661, 1, 0)
    """
    u, v = cnp.asarray(u), cnp.asarray(v)
    _refuse_complex(u), _refuse_complex(v)
    keywords = (("rng", rng),) if seed is None else (("rng", rng), ("seed", seed))
    if not (shape(u)[0] and shape(v)[0]):  # nothing to pair: SciPy's answer as it is
        return scipy_module("spatial.distance").directed_hausdorff(
            np.asarray(lower(u)), np.asarray(lower(v)), **dict(keywords))
    found = _counted(u, v, fn="directed_hausdorff_pair", keywords=keywords)
    # The distance of the pair SciPy found is the largest of the smallest distances: written
    # so (with SciPy's values of cdist), it is the same number, and differentiable, also
    # under vmap, where each example finds its own pair.
    d = cnp.max(cnp.min(cdist(u, v), axis=1))
    if isinstance(found, np.ndarray):
        return d, int(found[0]), int(found[1])
    return d, found[0], found[1]


# Counting metrics (boolean data): SciPy's values, a zero derivative.
def _counted_impl(*args, fn, keywords):
    module = scipy_module("spatial.distance")
    if fn == "directed_hausdorff_pair":  # the pair's rows, as an array (one result)
        _, i, j = module.directed_hausdorff(*args, **dict(keywords))
        return np.array([i, j])
    return getattr(module, fn)(*args, **dict(keywords))


_counted = Primitive("spatial_counted", _counted_impl)
declare(_counted, jvp=None, vjp=None, batch=loop_batch(_counted), names=())


def _counting(name):
    def fn(u, v, w=None):
        return _counted(*((u, v) if w is None else (u, v, w)), fn=name, keywords=())
    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = (f"SciPy's ``{name}`` dissimilarity (it counts (mis)matching entries, so "
                  f"its derivative is zero).\n\n    >>> import numpy as np\n    >>> "
                  f"float({name}(np.array([1, 0, 1]), np.array([1, 1, 0]))) >= 0\n    True\n")
    return export(name, namespace=SPATIAL_DISTANCE, kind=NONDIFF)(fn)


for _name in ("dice", "hamming", "jaccard", "rogerstanimoto", "russellrao", "sokalsneath",
              "yule"):
    globals()[_name] = _counting(_name)


# Questions about a distance matrix or vector: SciPy's answers on the values.
def _question(name):
    def fn(*args, **kwargs):
        return getattr(scipy_module("spatial.distance"), name)(
            *[np.asarray(lower(a)) if hasattr(a, "shape") else a for a in args], **kwargs)
    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = (f"SciPy's ``{name}`` of the values (a question about shapes and "
                  f"symmetry, not a differentiable quantity).\n\n    >>> import numpy as np"
                  f"\n    >>> {name}(np.zeros((3, 3)) if 'dm' in {name!r} else np.zeros(3))"
                  f" in (True, 3)\n    True\n")
    return export(name, namespace=SPATIAL_DISTANCE, kind=CREATION)(fn)


for _name in ("is_valid_dm", "is_valid_y", "num_obs_dm", "num_obs_y"):
    globals()[_name] = _question(_name)
is_valid_dm = globals()["is_valid_dm"]
