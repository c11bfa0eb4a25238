"""Pytrees: nested containers (tuple, list, dict, ``collections.OrderedDict``,
``collections.defaultdict``, namedtuple, None, registered classes and
dataclasses) around leaves (arrays, numbers, tracers).

Transformations flatten their arguments and results with :func:`flatten` and
rebuild them with :func:`unflatten`, so that every transformation accepts any
pytree once, in one place. Flattening is iterative (an explicit stack), so very
deep structures cannot hit Python's recursion limit.

A plain ``dict`` flattens in sorted key order; an ``OrderedDict`` in insertion
order; a ``defaultdict`` in sorted key order and keeps its ``default_factory``.
``None`` is an empty container: it has no leaves.

>>> leaves, tdef = flatten({"b": [1.0, 2.0], "a": (3.0, None)})
>>> leaves
[3.0, 1.0, 2.0]
>>> unflatten(tdef, [10.0, 20.0, 30.0])
{'a': (10.0, None), 'b': [20.0, 30.0]}

:func:`flatten_with_path` also names where each leaf sits, the way
:func:`keystr` writes it (as ``jax.tree_util.keystr`` does):

>>> [(keystr(p), x) for p, x in flatten_with_path({"w": [1.0, 2.0]})[0]]
[("['w'][0]", 1.0), ("['w'][1]", 2.0)]
"""

import collections as _collections
import dataclasses as _dataclasses
import numbers as _numbers
from collections import namedtuple as _namedtuple_factory  # noqa: F401  (doc reference)

import numpy as _np

from .primitive import Tracer as _Tracer
from .vspace import numpy_dtype as _numpy_dtype

__all__ = [
    "flatten", "unflatten", "tree_map", "map", "leaves", "structure",
    "register_pytree_node", "register_dataclass", "TreeDef", "split_node",
    "flatten_with_path", "keystr", "check_numeric_leaves", "is_numeric_leaf",
    "SequenceKey", "DictKey", "GetAttrKey", "FlattenedIndexKey",
]

_OrderedDict = _collections.OrderedDict
_defaultdict = _collections.defaultdict

# type -> (flatten(obj) -> (children, aux), unflatten(aux, children) -> obj)
_registry = {}


def register_pytree_node(cls, flatten_fn, unflatten_fn):
    """Register a container class so that transformations see through it.

    ``flatten_fn(obj)`` returns ``(children, aux)`` where ``aux`` is static
    (hashable, compared for equality); ``unflatten_fn(aux, children)`` rebuilds.

    >>> class Point:
    ...     def __init__(self, x, y): self.x, self.y = x, y
    >>> register_pytree_node(Point, lambda p: ((p.x, p.y), None),
    ...                      lambda aux, ch: Point(*ch))
    >>> flatten(Point(1.0, 2.0))[0]
    [1.0, 2.0]
    """
    _registry[cls] = (flatten_fn, unflatten_fn)
    _attr_keys.pop(cls, None)


# type -> names of the data fields, for classes registered by register_dataclass
# (their leaves' paths read ``.name``; other registered classes get FlattenedIndexKey).
_attr_keys = {}


def register_dataclass(cls=None, data_fields=None, meta_fields=None, drop_fields=()):
    """Register a dataclass as a pytree node; returns ``cls``, so it works as a decorator.

    As ``jax.tree_util.register_dataclass``: ``data_fields`` are children
    (differentiated, mapped over), ``meta_fields`` are static data kept in the
    :class:`TreeDef` (hashable, compared for equality). With neither given,
    ``cls`` must be a dataclass and every field is data except those declared
    with ``dataclasses.field(metadata={"static": True})``. Given one, give
    both; for a dataclass, together they must name exactly its ``init=True``
    fields, apart from ``drop_fields``. Unflattening calls
    ``cls(**fields)``. ``register_dataclass(data_fields=..., meta_fields=...)``
    without ``cls`` returns the decorator.

    >>> import dataclasses
    >>> @register_dataclass
    ... @dataclasses.dataclass
    ... class Layer:
    ...     w: object
    ...     b: object
    ...     act: str = dataclasses.field(default="tanh", metadata={"static": True})
    >>> leaves, tdef = flatten(Layer(1.0, 2.0))
    >>> leaves
    [1.0, 2.0]
    >>> unflatten(tdef, [3.0, 4.0])
    Layer(w=3.0, b=4.0, act='tanh')
    >>> [keystr(p) for p, _ in flatten_with_path(Layer(1.0, 2.0))[0]]
    ['.w', '.b']
    """
    if cls is None:
        def decorate(c):
            return register_dataclass(c, data_fields, meta_fields, drop_fields)
        return decorate
    if data_fields is None or meta_fields is None:
        if (data_fields is None) != (meta_fields is None):
            raise TypeError(
                "register_dataclass: data_fields and meta_fields must both be given when "
                f"either is given; got data_fields={data_fields!r}, "
                f"meta_fields={meta_fields!r}")
        if not _dataclasses.is_dataclass(cls):
            raise TypeError(
                f"register_dataclass: {cls!r} is not a dataclass; decorate it with "
                "@dataclasses.dataclass first, or pass data_fields and meta_fields")
        fields = _dataclasses.fields(cls)
        data_fields = [f.name for f in fields if not f.metadata.get("static", False)]
        meta_fields = [f.name for f in fields if f.metadata.get("static", False)]
    data_fields = tuple(data_fields)
    meta_fields = tuple(meta_fields)
    if _dataclasses.is_dataclass(cls):
        init_fields = {f.name for f in _dataclasses.fields(cls) if f.init}
        init_fields.difference_update(drop_fields)
        given = {*data_fields, *meta_fields}
        if given != init_fields:
            msg = ("register_dataclass: data_fields and meta_fields must name every field "
                   "of the dataclass with init=True, and only those.")
            missing = init_fields - given
            if missing:
                msg += (f" Missing: {sorted(missing)} (add them to drop_fields to leave "
                        "them out).")
            unexpected = given - init_fields
            if unexpected:
                msg += f" Not init fields: {sorted(unexpected)}."
            raise ValueError(msg)

    def flatten_fn(obj):
        return ([getattr(obj, n) for n in data_fields],
                tuple(getattr(obj, n) for n in meta_fields))

    def unflatten_fn(meta, children):
        kwargs = dict(zip(meta_fields, meta))
        kwargs.update(zip(data_fields, children))
        return cls(**kwargs)

    register_pytree_node(cls, flatten_fn, unflatten_fn)
    _attr_keys[cls] = data_fields
    return cls


def _is_namedtuple(obj):
    return isinstance(obj, tuple) and hasattr(type(obj), "_fields")


class TreeDef:
    """The shape of a pytree without its leaves. Compares by structure.

    ``kind`` is one of "leaf", "none", "tuple", "list", "dict", "ordereddict",
    "defaultdict", "namedtuple", "custom"; ``aux`` holds the keys (for a
    defaultdict ``(default_factory, keys)``), the namedtuple class or
    ``(class, registered data)``.
    """

    __slots__ = ("kind", "aux", "children", "num_leaves")

    def __init__(self, kind, aux, children):
        self.kind = kind
        self.aux = aux
        self.children = children
        if kind == "leaf":
            self.num_leaves = 1
        else:
            self.num_leaves = sum(c.num_leaves for c in children)

    def __eq__(self, other):
        return isinstance(other, TreeDef) and self._key() == other._key()

    def __hash__(self):
        return hash(self._key())

    def _key(self):
        # Iterative: deep trees must not recurse.
        out, stack = [], [self]
        while stack:
            node = stack.pop()
            aux = node.aux
            if node.kind == "custom":
                aux = (node.aux[0], node.aux[1])
            out.append((node.kind, aux if node.kind != "dict" else tuple(aux), len(node.children)))
            stack.extend(reversed(node.children))
        return tuple(out)

    def __repr__(self):
        return f"TreeDef({self.kind}, leaves={self.num_leaves})"


_LEAF = TreeDef("leaf", None, ())
_NONE = TreeDef("none", None, ())


def split_node(obj):
    """Return (kind, aux, children) for a container, or None for a leaf.

    >>> split_node({"b": 2.0, "a": 1.0}), split_node(1.0)
    (('dict', ['a', 'b'], [1.0, 2.0]), None)
    """
    t = type(obj)
    if t is tuple:
        return "tuple", None, obj
    if t is list:
        return "list", None, obj
    if t is dict:
        keys = sorted(obj, key=_sort_key)
        return "dict", keys, [obj[k] for k in keys]
    if obj is None:
        return "none", None, ()
    if t in _registry:
        children, aux = _registry[t][0](obj)
        return "custom", (t, aux), list(children)
    if t is _OrderedDict:
        keys = tuple(obj)
        return "ordereddict", keys, [obj[k] for k in keys]
    if t is _defaultdict:
        keys = tuple(sorted(obj, key=_sort_key))
        return "defaultdict", (obj.default_factory, keys), [obj[k] for k in keys]
    if _is_namedtuple(obj):
        return "namedtuple", t, tuple(obj)
    return None


# Leaves of these types need no split_node (unless registered as nodes).
_PLAIN_LEAVES = frozenset({_np.ndarray, float, int, complex, bool, _np.float64, _np.float32})


# The keys in insertion order -> (sorted keys, TreeDef) of a dict of plain leaves: a
# training loop flattens the same parameter dict on every step.
_flat_dicts = {}


def _sort_key(k):
    # Dict keys are ordered like JAX does: sorted, with mixed types grouped by type name.
    return (type(k).__name__, k)


#: Deepest nesting :func:`flatten` takes (its walk is iterative; a cycle is refused).
MAX_DEPTH = 10_000


def flatten(tree, is_leaf=None):
    """Flatten a pytree into ``(leaves, treedef)``.

    ``is_leaf(x)`` may mark containers to be kept whole.

    >>> flatten((1.0, [2.0, {"k": 3.0}]))[0]
    [1.0, 2.0, 3.0]
    """
    # Fast path for the most common call: a tuple of plain leaves.
    if type(tree) is tuple and is_leaf is None:
        for x in tree:
            if split_node(x) is not None:
                break
        else:
            return list(tree), TreeDef("tuple", None, (_LEAF,) * len(tree))
    # ... and a dict of arrays or numbers under string keys (a model's parameters).
    if type(tree) is dict and is_leaf is None:
        for k, x in tree.items():
            if type(k) is not str or type(x) not in _PLAIN_LEAVES or type(x) in _registry:
                break
        else:
            order = tuple(tree)
            known = _flat_dicts.get(order)
            if known is None:
                keys = sorted(tree)  # all keys are str: the order of _sort_key
                known = keys, TreeDef("dict", keys, (_LEAF,) * len(keys))
                if len(_flat_dicts) >= 256:  # bounded: a program may make dicts at will
                    _flat_dicts.clear()
                _flat_dicts[order] = known
            keys, tdef = known
            return [tree[k] for k in keys], tdef
    leaves = []
    # Build the TreeDef bottom-up with an explicit stack of frames.
    root = [None]
    stack = [(tree, root, 0, 0)]
    pending = []  # (holder, index, kind, aux, child_slots)
    while stack:
        obj, holder, idx, depth = stack.pop()
        info = None if (is_leaf is not None and is_leaf(obj)) else split_node(obj)
        if info is None:
            leaves.append(obj)
            holder[idx] = _LEAF
            continue
        kind, aux, children = info
        if kind == "none":
            holder[idx] = _NONE
            continue
        if depth >= MAX_DEPTH:  # a list that contains itself would fill the memory
            raise ValueError(f"the pytree is nested more than {MAX_DEPTH} levels deep: does a "
                             f"list, tuple or dict contain itself? Pass a structure without "
                             f"cycles")
        slots = [None] * len(children)
        pending.append((holder, idx, kind, aux, slots))
        for i in range(len(children) - 1, -1, -1):
            stack.append((children[i], slots, i, depth + 1))
    for holder, idx, kind, aux, slots in reversed(pending):
        holder[idx] = TreeDef(kind, aux, tuple(slots))
    return leaves, root[0]


def unflatten(treedef, leaf_values):
    """Rebuild a pytree of shape ``treedef`` from a flat sequence of leaves.

    >>> leaves, tdef = flatten([1.0, (2.0, 3.0)])
    >>> unflatten(tdef, [4.0, 5.0, 6.0])
    [4.0, (5.0, 6.0)]
    """
    leaf_values = list(leaf_values)
    if len(leaf_values) != treedef.num_leaves:
        raise ValueError(
            f"unflatten: the tree has {treedef.num_leaves} leaves but "
            f"{len(leaf_values)} values were given")
    it = iter(leaf_values)
    kind = treedef.kind
    if kind == "tuple" and all(c is _LEAF for c in treedef.children):
        return tuple(it)
    if kind == "dict" and all(c is _LEAF for c in treedef.children):
        return dict(zip(treedef.aux, leaf_values))
    # Post-order rebuild with an explicit stack.
    result = [None]
    stack = [(treedef, result, 0, False)]
    while stack:
        node, holder, idx, expanded = stack.pop()
        if node.kind == "leaf":
            holder[idx] = next(it)
            continue
        if node.kind == "none":
            holder[idx] = None
            continue
        if expanded is False:
            slots = [None] * len(node.children)
            stack.append((node, holder, idx, slots))
            for i in range(len(node.children) - 1, -1, -1):
                stack.append((node.children[i], slots, i, False))
            continue
        slots = expanded
        holder[idx] = _rebuild(node, slots)
    return result[0]


def _rebuild(node, values):
    kind = node.kind
    if kind == "tuple":
        return tuple(values)
    if kind == "list":
        return list(values)
    if kind == "dict":
        return dict(zip(node.aux, values))
    if kind == "namedtuple":
        return node.aux(*values)
    if kind == "ordereddict":
        return _OrderedDict(zip(node.aux, values))
    if kind == "defaultdict":
        factory, keys = node.aux
        return _defaultdict(factory, zip(keys, values))
    if kind == "custom":
        cls, aux = node.aux
        return _registry[cls][1](aux, values)
    raise ValueError(f"unknown tree node kind {kind!r}")


def leaves(tree):
    """The leaves of ``tree`` in flattening order.

    >>> leaves({"a": 1.0, "b": (2.0, None)})
    [1.0, 2.0]
    """
    return flatten(tree)[0]


def structure(tree):
    """The :class:`TreeDef` of ``tree``.

    >>> structure([1.0, (2.0, 3.0)]).num_leaves
    3
    """
    return flatten(tree)[1]


def tree_map(fn, tree, *rest):
    """Apply ``fn`` leaf-wise to one or more pytrees of the same structure.

    >>> tree_map(lambda a, b: a + b, {"w": 1.0, "b": 2.0}, {"w": 10.0, "b": 20.0})
    {'b': 22.0, 'w': 11.0}
    """
    flat, tdef = flatten(tree)
    others = []
    for r in rest:
        rflat, rdef = flatten(r)
        if rdef != tdef:
            raise ValueError(
                f"tree_map: the trees have different structures ({tdef} and {rdef}); "
                "pass pytrees with the same containers and keys")
        others.append(rflat)
    return unflatten(tdef, [fn(*xs) for xs in zip(flat, *others)])


def map(fn, tree, *rest):  # noqa: A001  (JAX's spelling, jax.tree.map; the builtin is not used here)
    """:func:`tree_map` under JAX's name, so ``cr.tree.map`` reads as ``jax.tree.map``.

    >>> map(lambda w: 2 * w, {"w": [1.0, 2.0], "b": None})
    {'b': None, 'w': [2.0, 4.0]}
    """
    return tree_map(fn, tree, *rest)


# ---- key paths -------------------------------------------------------------------------------
class _Key:
    """One step of a key path. Hashable, compared by value; ``str`` gives its keystr form."""

    __slots__ = ()
    _field = ""

    def _value(self):
        return getattr(self, self._field)

    def __eq__(self, other):
        return type(other) is type(self) and self._value() == other._value()

    def __hash__(self):
        return hash((type(self).__name__, self._value()))

    def __repr__(self):
        return f"{type(self).__name__}({self._field}={self._value()!r})"


class SequenceKey(_Key):
    """Position ``idx`` in a tuple or list: ``[0]``.

    >>> str(SequenceKey(0))
    '[0]'
    """

    __slots__ = ("idx",)
    _field = "idx"

    def __init__(self, idx):
        self.idx = idx

    def __str__(self):
        return f"[{self.idx!r}]"


class DictKey(_Key):
    """Key ``key`` of a dict, OrderedDict or defaultdict: ``['act']``.

    >>> str(DictKey("act"))
    "['act']"
    """

    __slots__ = ("key",)
    _field = "key"

    def __init__(self, key):
        self.key = key

    def __str__(self):
        return f"[{self.key!r}]"


class GetAttrKey(_Key):
    """Attribute ``name`` of a namedtuple or registered dataclass: ``.name``.

    >>> str(GetAttrKey("weight"))
    '.weight'
    """

    __slots__ = ("name",)
    _field = "name"

    def __init__(self, name):
        self.name = name

    def __str__(self):
        return f".{self.name}"


class FlattenedIndexKey(_Key):
    """Child number ``key`` of a class registered with :func:`register_pytree_node`.

    >>> str(FlattenedIndexKey(1))
    '[<flat index 1>]'
    """

    __slots__ = ("key",)
    _field = "key"

    def __init__(self, key):
        self.key = key

    def __str__(self):
        return f"[<flat index {self.key}>]"


def keystr(path):
    """Write a key path (a tuple of keys from :func:`flatten_with_path`) as text.

    >>> keystr((DictKey("layers"), SequenceKey(0), GetAttrKey("w")))
    "['layers'][0].w"
    >>> keystr(())
    ''
    """
    return "".join(str(k) for k in path)


def _child_keys(obj, kind, aux, n):
    """The keys of the ``n`` children of a container, as ``_children`` ordered them."""
    if kind == "tuple" or kind == "list":
        return [SequenceKey(i) for i in range(n)]
    if kind == "dict" or kind == "ordereddict":
        return [DictKey(k) for k in aux]
    if kind == "defaultdict":
        return [DictKey(k) for k in aux[1]]
    if kind == "namedtuple":
        return [GetAttrKey(f) for f in aux._fields]
    names = _attr_keys.get(aux[0])  # custom
    if names is not None and len(names) == n:
        return [GetAttrKey(f) for f in names]
    return [FlattenedIndexKey(i) for i in range(n)]


def flatten_with_path(tree, is_leaf=None):
    """Flatten like :func:`flatten`, naming each leaf: ``([(path, leaf), ...], treedef)``.

    A path is a tuple of keys (:class:`SequenceKey`, :class:`DictKey`,
    :class:`GetAttrKey`, :class:`FlattenedIndexKey`) from the root to the leaf,
    as in ``jax.tree_util.tree_flatten_with_path``; :func:`keystr` writes it.
    Leaves come in the same order as from :func:`flatten`.

    >>> from collections import namedtuple
    >>> P = namedtuple("P", "x y")
    >>> pairs, tdef = flatten_with_path(({"act": "tanh", "w": [1.0]}, P(2.0, None)))
    >>> [(keystr(path), leaf) for path, leaf in pairs]
    [("[0]['act']", 'tanh'), ("[0]['w'][0]", 1.0), ('[1].x', 2.0)]
    >>> tdef == structure(({"act": "tanh", "w": [1.0]}, P(2.0, None)))
    True
    """
    return _paths(tree, is_leaf), flatten(tree, is_leaf)[1]


def _paths(tree, is_leaf=None):
    """The ``(path, leaf)`` pairs of :func:`flatten_with_path`, without the TreeDef."""
    pairs = []
    stack = [((), tree)]
    while stack:
        path, obj = stack.pop()
        info = None if (is_leaf is not None and is_leaf(obj)) else split_node(obj)
        if info is None:
            pairs.append((path, obj))
            continue
        kind, aux, children = info
        if kind == "none":
            continue
        keys = _child_keys(obj, kind, aux, len(children))
        for i in range(len(children) - 1, -1, -1):
            stack.append((path + (keys[i],), children[i]))
    return pairs


def _all_numeric(tree):
    """Whether every leaf of ``tree`` is numeric (a walk that builds nothing)."""
    if type(tree) is float:
        return True
    stack = [tree]
    while stack:
        obj = stack.pop()
        info = split_node(obj)
        if info is None:
            if not is_numeric_leaf(obj):
                return False
        else:
            stack.extend(info[2])
    return True


# ---- checking differentiated arguments ----------------------------------------------------------
def is_numeric_leaf(x):
    """Whether a leaf is a number, an array of numbers (bool, int, float, complex) or a tracer.

    The per-leaf test of :func:`check_numeric_leaves`, for callers that already
    hold the flattened leaves (call :func:`check_numeric_leaves` for the message).

    >>> import numpy as np
    >>> [is_numeric_leaf(x) for x in (1.0, 2, True, np.arange(2), "tanh", b"x", object())]
    [True, True, True, True, False, False, False]
    >>> is_numeric_leaf(np.array(["a"]))
    False
    """
    t = type(x)
    if t is _np.ndarray:  # the common case first
        return x.dtype.kind in "biufc"
    if t is float or t is int or t is bool or t is complex:
        return True
    if isinstance(x, _Tracer):
        return True
    dt = getattr(x, "dtype", None)
    if isinstance(dt, _np.dtype):
        return dt.kind in "biufc"
    if dt is not None and hasattr(x, "__array_namespace__"):  # array-api-strict's dtypes
        return _numpy_dtype(dt).kind in "biufc"
    return isinstance(x, _numbers.Complex)  # int/float subclasses, Fraction; not str


def _describe(x):
    dt = getattr(x, "dtype", None)
    if isinstance(x, _np.ndarray) and isinstance(dt, _np.dtype):
        return f"an array of dtype {dt}"
    name = type(x).__name__
    return f"{'an' if name[:1].lower() in 'aeiou' else 'a'} {name}"


def check_numeric_leaves(args, argnums=None, fname="grad"):
    """Raise TypeError at the first leaf of a differentiated argument that is not a number.

    ``args`` is the tuple of positional arguments; ``argnums`` an int or a
    sequence of ints (negative counts from the end; assumed in range, as the
    caller checks it), or None for every argument. Numbers and arrays of bool,
    int, float or complex pass (whether their dtype can be differentiated is
    the caller's next check); ``None`` is an empty container, not a leaf. The
    message names the leaf's path, as ``argument 0['act']``, and how to keep it
    out. Returns None.

    >>> check_numeric_leaves(({"x": 1.0, "n": None}, "tanh"), argnums=0)
    >>> check_numeric_leaves(({"x": 1.0, "act": "tanh"},), argnums=0)
    Traceback (most recent call last):
        ...
    TypeError: grad: argument 0['act'] is a str, not a number: keep it out of the differentiated arguments (pass it as a separate argument and leave it out of argnums, or close over it)
    """
    n = len(args)
    if argnums is None:
        nums = range(n)
    elif isinstance(argnums, int):
        nums = (argnums,)
    else:
        nums = argnums
    for i in nums:
        a = args[i]
        if _all_numeric(a):  # the common case: no paths are built
            continue
        for path, x in _paths(a):
            if not is_numeric_leaf(x):
                raise TypeError(
                    f"{fname}: argument {i % n}{keystr(path)} is {_describe(x)}, not a number: "
                    f"keep it out of the differentiated arguments (pass it as a separate "
                    f"argument and leave it out of argnums, or close over it)")
