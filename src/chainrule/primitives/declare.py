"""One declaration per primitive: its rules for every transformation and its public names.

:func:`declare` is the single registration point. It fills the JVP table of
forward mode, the VJP table of reverse mode and the batching table of ``vmap``,
and records the primitive's public names in :mod:`chainrule.core.registry`, from
which the namespaces, the coverage document and the rule tests are generated.

>>> import numpy as np, chainrule as cr
>>> from chainrule.core.primitive import Primitive
>>> from chainrule.primitives.basic import elementwise_batch
>>> cube = Primitive("cube_demo", lambda x: x ** 3)
>>> cube = declare(cube, jvp=[lambda t, ans, x: t * 3.0 * x * x],
...                vjp=[lambda g, ans, x: g * 3.0 * x * x],
...                batch=elementwise_batch(cube), names=())
>>> cube(np.array([1.0, 2.0])), float(cr.grad(cube)(2.0))
(array([1., 8.]), 12.0)
"""

from ..core import registry
from ..core.primitive import Primitive
from ..interpreters.forward import jvp_rules
from ..interpreters.reverse import vjp_rules, residual_plans, Residuals
from ..interpreters.batching import batch_rules

__all__ = ["declare", "nondiff", "value_only", "export", "LOOP", "reads"]

#: ``batch=LOOP``: no batching rule; vmap loops over the examples (with a warning).
LOOP = "loop"


def _as_rules(rules):
    # A list of per-argument rules becomes a tuple; a single function is a "full"
    # rule that sees all primals and tangents (or all values) at once.
    return tuple(rules) if isinstance(rules, (list, tuple)) else rules


def reads(*what):
    """A residual declaration: the argument indexes (and ``"ans"``, the output) a VJP
    rule reads. ``reads()`` reads only shapes and dtypes.

    >>> sorted(reads(0, "ans"), key=str)
    [0, 'ans']
    """
    for w in what:
        if w != "ans" and not isinstance(w, int):
            raise TypeError(f"reads() takes argument indexes and 'ans', not {w!r}")
    return frozenset(what)


def declare(prim, *, jvp, vjp, batch, names=None, namespace=registry.NUMPY, family=None,
            domain=None, public=None, residuals=None):
    """Register ``prim``'s rules and export it; return ``prim``.

    - ``jvp``/``vjp``: a list with one rule per positional argument
      (``rule(t, ans, *args, **params)``, ``rule(g, ans, *args, **params)``;
      ``None`` for an argument that is not differentiable), or one function for
      all arguments, or ``None`` for a primitive whose derivative is zero.
    - ``batch``: ``rule(vals, dims, **params) -> (out, out_dim)``, or :data:`LOOP`.
    - ``names``: public names (default: the primitive's own name; ``()`` keeps it
      internal), exported in ``namespace`` with ``family`` and the test ``domain``
      (see :func:`chainrule.core.registry.add`).
    - ``public``: the function exported under ``names`` when NumPy's signature
      differs from the primitive's (static arguments are keyword parameters of a
      primitive, e.g. ``cumprod(x, axis=1)``); default: the primitive itself.
    - ``residuals``: what the VJP rules read, so that reverse mode keeps only that on
      its tape: :func:`reads` for every argument's rule alike (``reads("ans")``: the
      output only; ``reads()``: shapes and dtypes only), or a tuple with one
      :func:`reads` per argument (``multiply``: ``(reads(1), reads(0))``). Default: the
      rules may read every input and the output, and all are kept. A rule that reads a
      value it did not declare raises :class:`~chainrule.core.vspace.DroppedValueError`
      in the rule tests, which run with every droppable value dropped.
    """
    if not isinstance(prim, Primitive):
        raise TypeError(f"declare() takes a Primitive, not {type(prim).__name__}")
    if (jvp is None) != (vjp is None):
        raise ValueError(f"{prim.name}: give both a JVP and a VJP rule, or neither (zero derivative)")
    jvp_rules[prim] = None if jvp is None else _as_rules(jvp)
    vjp_rules[prim] = None if vjp is None else _as_rules(vjp)
    if batch is LOOP:
        batch_rules.pop(prim, None)
    elif callable(batch):
        batch_rules[prim] = batch
    else:
        raise TypeError(f"{prim.name}: batch must be a batching rule or LOOP, not {batch!r}")
    if residuals is None or vjp is None:
        residual_plans.pop(prim, None)
    else:
        residual_plans[prim] = Residuals(residuals)
    registry.note_primitive(prim)
    kind = registry.NONDIFF if jvp is None else registry.PRIMITIVE
    for name in (prim.name,) if names is None else names:
        registry.add(namespace, name, kind, prim if public is None else public, prim=prim,
                     family=family, domain=domain)
    return prim


def nondiff(name, impl, *, batch, names=None, namespace=registry.NUMPY, family=None,
            public=None):
    """A primitive with zero derivative: its outputs are never traced."""
    return declare(Primitive(name, impl), jvp=None, vjp=None, batch=batch, names=names,
                   namespace=namespace, family=family, public=public)


class DerivativeRefusedError(TypeError):
    """A value-only function (:func:`value_only`) was differentiated."""


def value_only(prim, *, why, batch, names=None, namespace=registry.NUMPY, public=None):
    """Declare ``prim`` as computing a value whose derivative chainrule refuses: both modes
    raise :class:`DerivativeRefusedError` with ``why`` (what to do instead) when a traced
    argument reaches it, never a silent zero. It batches with ``batch`` like any primitive.

    >>> import numpy as np, chainrule as cr
    >>> halve = value_only(Primitive("halve_demo", lambda x: x / 2), why="demo", batch=LOOP,
    ...                    names=())
    >>> halve(np.array([2.0]))
    array([1.])
    >>> try:
    ...     cr.grad(lambda x: halve(x).sum())(np.array([2.0]))
    ... except TypeError as e:
    ...     print(e)
    chainrule has no derivative of halve_demo: demo
    """
    message = f"chainrule has no derivative of {prim.name}: {why}"

    def refuse(*args, **kwargs):
        raise DerivativeRefusedError(message)

    declare(prim, jvp=refuse, vjp=refuse, batch=batch, names=())
    for name in (prim.name,) if names is None else names:
        registry.add(namespace, name, registry.VALUE_ONLY, prim if public is None else public,
                     prim=prim)
    return prim


def export(*names, namespace=registry.NUMPY, kind=registry.COMPOSITE, family=None, prim=None):
    """Decorator: export a function built from primitives under ``names``.

    With ``prim``, the function is another public signature of that primitive
    (``digamma(x)`` is ``polygamma`` of order 0) and is listed as a primitive.

    ``chainrule.numpy.mean`` is declared with ``@export()`` in ``composites.py``:

    >>> registry.lookup(registry.NUMPY, "mean").kind
    'composite'
    """
    def deco(fn):
        for name in names or (fn.__name__,):
            registry.add(namespace, name, registry.PRIMITIVE if prim is not None else kind, fn,
                         prim=prim, family=family)
        return fn
    return deco
