"""Pytrees: nested containers (tuple, list, dict, namedtuple, None, registered
classes) around leaves (arrays, numbers, tracers).

Transformations flatten their arguments and results with :func:`flatten` and
rebuild them with :func:`unflatten`, so that every transformation accepts any
pytree once, in one place. Flattening is iterative (an explicit stack), so very
deep structures cannot hit Python's recursion limit.

>>> leaves, tdef = flatten({"b": [1.0, 2.0], "a": (3.0, None)})
>>> leaves
[3.0, 1.0, 2.0]
>>> unflatten(tdef, [10.0, 20.0, 30.0])
{'a': (10.0, None), 'b': [20.0, 30.0]}
"""

from collections import namedtuple as _namedtuple_factory  # noqa: F401  (doc reference)

__all__ = [
    "flatten", "unflatten", "tree_map", "leaves", "structure",
    "register_pytree_node", "TreeDef", "split_node",
]

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


def _is_namedtuple(obj):
    return isinstance(obj, tuple) and hasattr(type(obj), "_fields")


class TreeDef:
    """The shape of a pytree without its leaves. Compares by structure.

    ``kind`` is one of "leaf", "none", "tuple", "list", "dict", "namedtuple",
    "custom"; ``aux`` holds keys, the namedtuple class or registered data.
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
    if _is_namedtuple(obj):
        return "namedtuple", t, tuple(obj)
    return None


def _sort_key(k):
    # Dict keys are ordered like JAX does: sorted, with mixed types grouped by type name.
    return (type(k).__name__, k)


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
    leaves = []
    # Build the TreeDef bottom-up with an explicit stack of frames.
    root = [None]
    stack = [(tree, root, 0)]
    pending = []  # (holder, index, kind, aux, child_slots)
    while stack:
        obj, holder, idx = stack.pop()
        info = None if (is_leaf is not None and is_leaf(obj)) else split_node(obj)
        if info is None:
            leaves.append(obj)
            holder[idx] = _LEAF
            continue
        kind, aux, children = info
        if kind == "none":
            holder[idx] = _NONE
            continue
        slots = [None] * len(children)
        pending.append((holder, idx, kind, aux, slots))
        for i in range(len(children) - 1, -1, -1):
            stack.append((children[i], slots, i))
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
    if treedef.kind == "tuple" and all(c is _LEAF for c in treedef.children):
        return tuple(it)
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
