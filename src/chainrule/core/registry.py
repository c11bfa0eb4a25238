"""The registry of public names: what each namespace exports and what stands behind it.

A primitive is declared once, next to its NumPy implementation and its rules
(:func:`chainrule.primitives.declare.declare`); the declaration records here the
public names it is exported under. Composites, zero-derivative functions and the
NumPy constructors and constants that pass through unchanged are recorded the
same way. Everything else is generated from this registry: the namespaces
``chainrule.numpy``, ``chainrule.numpy.linalg``, ``chainrule.scipy.special`` and
``chainrule.scipy.stats``, ``chainrule.scipy.linalg``, ``chainrule.scipy.signal``,
``chainrule.scipy.integrate``, ``chainrule.scipy.fft``, ``chainrule.scipy.ndimage`` and
``chainrule.scipy.interpolate``, ``chainrule.scipy.sparse`` and ``.sparse.linalg``, NumPy's
dispatch protocols on tracers, the coverage document
and the rule tests.

An entry also says which *family* a primitive belongs to (``"unary"``,
``"binary"``, ...) and on which *domain* its rule tests draw inputs, so that the
test of an elementwise primitive needs no line of its own.

>>> entry = lookup(NUMPY, "sin")
>>> entry.kind, entry.family, entry.domain is None
('primitive', 'unary', True)

The registry is filled when :mod:`chainrule.primitives` is imported; this module
itself knows no primitive and imports nothing but the standard library.
"""

from collections import namedtuple

__all__ = ["NUMPY", "LINALG", "FFT", "SPECIAL", "STATS", "SCIPY_LINALG", "SIGNAL", "INTEGRATE",
           "SCIPY_FFT", "NDIMAGE", "INTERPOLATE", "OPTIMIZE", "SPATIAL_DISTANCE", "SPARSE",
           "SPARSE_LINALG", "NUMPY_POLYNOMIAL", "SCIPY_FFTPACK", "SPATIAL_TRANSFORM",
           "NAMESPACES", "FIRST_ORDER", "PRIMITIVE", "COMPOSITE", "NONDIFF",
           "CREATION", "CONSTANT", "VALUE_ONLY", "KINDS", "Entry", "Interval", "NonZero", "add", "lookup",
           "entries", "elsewhere", "declared_primitives", "note_primitive"]

NUMPY = "chainrule.numpy"
LINALG = "chainrule.numpy.linalg"
FFT = "chainrule.numpy.fft"
SPECIAL = "chainrule.scipy.special"
#: Names may be dotted here (``norm.logpdf``): SciPy's distribution objects.
STATS = "chainrule.scipy.stats"
SCIPY_LINALG = "chainrule.scipy.linalg"
SIGNAL = "chainrule.scipy.signal"
INTEGRATE = "chainrule.scipy.integrate"
SCIPY_FFT = "chainrule.scipy.fft"
SCIPY_FFTPACK = "chainrule.scipy.fftpack"
NDIMAGE = "chainrule.scipy.ndimage"
INTERPOLATE = "chainrule.scipy.interpolate"
OPTIMIZE = "chainrule.scipy.optimize"
SPATIAL_DISTANCE = "chainrule.scipy.spatial.distance"
SPATIAL_TRANSFORM = "chainrule.scipy.spatial.transform"
SPARSE = "chainrule.scipy.sparse"
SPARSE_LINALG = "chainrule.scipy.sparse.linalg"
#: Names are dotted by module here (``chebyshev.chebval``), the classes at the top
#: (``Chebyshev``): ``numpy.polynomial``'s package and its six modules.
NUMPY_POLYNOMIAL = "chainrule.numpy.polynomial"
#: Every namespace generated from the registry, in the order the docs list them.
NAMESPACES = (NUMPY, LINALG, FFT, NUMPY_POLYNOMIAL, SPECIAL, STATS, SCIPY_LINALG, SIGNAL, INTEGRATE,
              SCIPY_FFT, SCIPY_FFTPACK,
              NDIMAGE, INTERPOLATE, OPTIMIZE, SPATIAL_DISTANCE, SPATIAL_TRANSFORM, SPARSE,
              SPARSE_LINALG)

#: The family of a primitive whose rules are first derivatives only (coverage says "order 1").
FIRST_ORDER = "first-order"

PRIMITIVE, COMPOSITE, NONDIFF, CREATION, CONSTANT = (
    "primitive", "composite", "zero-derivative", "creation", "constant")
#: A function whose value chainrule computes but whose derivative it refuses (raises, naming
#: the function), because no correct rule is written: never a silent zero.
VALUE_ONLY = "value-only"
KINDS = (PRIMITIVE, COMPOSITE, NONDIFF, VALUE_ONLY, CREATION, CONSTANT)

#: One public name: its kind, the object behind it (the primitive itself, or a function with
#: NumPy's signature), the primitive it calls (None for composites and pass-throughs), its
#: rule family and test domain.
Entry = namedtuple("Entry", "kind obj prim family domain")

#: Inputs drawn uniformly from [lo, hi].
Interval = namedtuple("Interval", "lo hi")
#: Inputs with |x| uniform in [lo, hi] and a random sign (away from a pole or kink at 0).
NonZero = namedtuple("NonZero", "lo hi")

_tables = {ns: {} for ns in NAMESPACES}
_primitives = []


def add(namespace, name, kind, obj, prim=None, family=None, domain=None):
    """Record ``name`` in ``namespace``; a name is registered once.

    ``domain`` is None (standard normal inputs), an :class:`Interval`, a
    :class:`NonZero`, or a tuple of those with one per argument.
    """
    if namespace not in _tables:
        raise ValueError(f"unknown namespace {namespace!r}; known: {', '.join(NAMESPACES)}")
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; known: {', '.join(KINDS)}")
    table = _tables[namespace]
    if name in table:
        raise ValueError(f"{namespace}.{name} is registered twice")
    table[name] = Entry(kind, obj, prim, family, domain)
    return obj


def lookup(namespace, name):
    """The :class:`Entry` for ``namespace.name``, or None."""
    return _tables[namespace].get(name)


def entries(namespace):
    """A copy of ``{name: Entry}`` for one namespace."""
    return dict(_tables[namespace])


def note_primitive(prim):
    """Remember a declared primitive (exported or internal) for the rule tests."""
    _primitives.append(prim)


def declared_primitives():
    """Every primitive declared so far, in declaration order."""
    return list(_primitives)


def elsewhere(name, namespace):
    """Where else ``name`` is registered (qualified names), for "not wrapped" errors.

    >>> elsewhere("no_such_name", NUMPY)
    []
    """
    return [f"{ns}.{name}" for ns in NAMESPACES if ns != namespace and name in _tables[ns]]
