"""Pytrees (issue 10, item 5): OrderedDict and defaultdict, registered dataclasses,
key paths, and the check that differentiated arguments hold only numbers."""

import dataclasses
from collections import OrderedDict, defaultdict, namedtuple

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp
from chainrule.core import tree as T
from chainrule.core.tree import (DictKey, FlattenedIndexKey, GetAttrKey, SequenceKey,
                                 check_numeric_leaves, flatten_with_path, keystr)

Pair = namedtuple("Pair", "a b")


# ---- OrderedDict and defaultdict ---------------------------------------------------------------
def test_ordered_dict_keeps_insertion_order():
    od = OrderedDict([("z", 1.0), ("a", 2.0), ("m", 3.0)])
    leaves, tdef = T.flatten(od)
    assert leaves == [1.0, 2.0, 3.0]
    back = T.unflatten(tdef, [10.0, 20.0, 30.0])
    assert type(back) is OrderedDict
    assert list(back.items()) == [("z", 10.0), ("a", 20.0), ("m", 30.0)]


def test_ordered_dict_structure_depends_on_order_and_type():
    a = T.structure(OrderedDict([("x", 1.0), ("y", 2.0)]))
    b = T.structure(OrderedDict([("y", 1.0), ("x", 2.0)]))
    assert a == T.structure(OrderedDict([("x", 5.0), ("y", 6.0)]))
    assert a != b
    assert a != T.structure({"x": 1.0, "y": 2.0})
    assert hash(a) == hash(T.structure(OrderedDict([("x", 0.0), ("y", 0.0)])))


def test_defaultdict_sorts_keys_and_keeps_its_factory():
    d = defaultdict(list, {"b": 1.0, "a": 2.0})
    leaves, tdef = T.flatten(d)
    assert leaves == [2.0, 1.0]
    back = T.unflatten(tdef, [3.0, 4.0])
    assert type(back) is defaultdict and back.default_factory is list
    assert dict(back) == {"a": 3.0, "b": 4.0}
    assert back["missing"] == []
    assert tdef != T.structure({"a": 0.0, "b": 0.0})
    assert tdef != T.structure(defaultdict(float, {"a": 0.0, "b": 0.0}))
    assert tdef == T.structure(defaultdict(list, {"b": 0.0, "a": 0.0}))


def test_plain_dict_still_sorts_and_none_is_still_empty():
    leaves, tdef = T.flatten({"b": 1.0, "a": None, "c": [2.0, None]})
    assert leaves == [1.0, 2.0]
    assert T.unflatten(tdef, [5.0, 6.0]) == {"a": None, "b": 5.0, "c": [6.0, None]}


def test_tree_map_over_the_new_containers():
    od = OrderedDict([("w", 1.0), ("b", 2.0)])
    out = T.tree_map(lambda x: 2 * x, {"od": od, "dd": defaultdict(int, {"k": 3.0})})
    assert type(out["od"]) is OrderedDict and list(out["od"].items()) == [("w", 2.0), ("b", 4.0)]
    assert type(out["dd"]) is defaultdict and out["dd"]["k"] == 6.0 and out["dd"]["new"] == 0


def test_grad_with_ordered_dict_and_defaultdict_arguments():
    od = OrderedDict([("w", np.array([1.0, 2.0])), ("b", 0.5)])
    g = cr.grad(lambda p: cnp.sum(p["w"] ** 2) * p["b"])(od)
    assert type(g) is OrderedDict and list(g) == ["w", "b"]
    np.testing.assert_allclose(g["w"], [1.0, 2.0])
    assert g["b"] == pytest.approx(5.0)

    dd = defaultdict(lambda: 0.0, {"x": 3.0, "y": 2.0})
    g = cr.grad(lambda p: p["x"] * p["y"] ** 2)(dd)
    assert type(g) is defaultdict and g["x"] == pytest.approx(4.0) and g["y"] == pytest.approx(12.0)
    assert g["unset"] == 0.0


# ---- register_dataclass --------------------------------------------------------------------------
@T.register_dataclass
@dataclasses.dataclass
class Dense:
    w: object
    b: object
    act: str = dataclasses.field(default="tanh", metadata={"static": True})


@T.register_dataclass(data_fields=["x"], meta_fields=["name"])
@dataclasses.dataclass(frozen=True)
class Named:
    x: object
    name: str


def test_register_dataclass_is_reachable_from_chainrule_tree():
    assert cr.tree.register_dataclass is T.register_dataclass
    assert cr.tree.flatten_with_path is T.flatten_with_path
    assert cr.tree.check_numeric_leaves is T.check_numeric_leaves


def test_dataclass_data_and_static_fields():
    layer = Dense(np.ones(2), 0.5, act="relu")
    leaves, tdef = T.flatten(layer)
    assert len(leaves) == 2 and leaves[1] == 0.5
    back = T.unflatten(tdef, [np.zeros(2), 1.5])
    assert isinstance(back, Dense) and back.act == "relu" and back.b == 1.5
    assert tdef == T.structure(Dense(np.zeros(2), 9.0, act="relu"))
    assert tdef != T.structure(Dense(np.zeros(2), 9.0, act="tanh"))
    assert hash(tdef) == hash(T.structure(Dense(1.0, 2.0, act="relu")))


def test_dataclass_with_explicit_fields_as_decorator_with_arguments():
    leaves, tdef = T.flatten(Named(2.0, "n"))
    assert leaves == [2.0]
    assert T.unflatten(tdef, [3.0]) == Named(3.0, "n")


def test_grad_through_a_registered_dataclass():
    layer = Dense(np.array([1.0, -2.0]), 0.5)

    def loss(p, x):
        return cnp.sum(cnp.tanh(p.w * x + p.b))

    x = np.array([0.3, 0.7])
    g = cr.grad(loss)(layer, x)
    assert isinstance(g, Dense) and g.act == "tanh"
    s = 1.0 - np.tanh(layer.w * x + layer.b) ** 2
    np.testing.assert_allclose(g.w, s * x, rtol=1e-14)
    assert g.b == pytest.approx(np.sum(s), rel=1e-14)


def test_register_dataclass_on_a_plain_class_with_both_field_lists():
    class Box:
        def __init__(self, v, tag):
            self.v, self.tag = v, tag

    T.register_dataclass(Box, data_fields=("v",), meta_fields=("tag",))
    leaves, tdef = T.flatten(Box(1.0, "t"))
    back = T.unflatten(tdef, [4.0])
    assert leaves == [1.0] and back.v == 4.0 and back.tag == "t"
    assert [keystr(p) for p, _ in flatten_with_path(Box(1.0, "t"))[0]] == [".v"]


def test_register_dataclass_errors():
    class NotADataclass:
        pass

    with pytest.raises(TypeError, match="not a dataclass"):
        T.register_dataclass(NotADataclass)
    with pytest.raises(TypeError, match="both"):
        T.register_dataclass(Dense, data_fields=["w", "b"])

    @dataclasses.dataclass
    class C:
        a: float
        b: float
        c: float = dataclasses.field(default=0.0, init=False)

    with pytest.raises(ValueError, match=r"Missing: \['b'\]"):
        T.register_dataclass(C, data_fields=["a"], meta_fields=[])
    with pytest.raises(ValueError, match=r"Not init fields: \['c'\]"):
        T.register_dataclass(C, data_fields=["a", "b", "c"], meta_fields=[])
    # drop_fields leaves a field out (it is then rebuilt from its default).
    T.register_dataclass(C, data_fields=["a"], meta_fields=[], drop_fields=["b"])
    assert T.flatten(C(1.0, 2.0))[0] == [1.0]


# ---- key paths -------------------------------------------------------------------------------------
class Opaque:
    def __init__(self, p, q):
        self.p, self.q = p, q


T.register_pytree_node(Opaque, lambda o: ((o.p, o.q), None), lambda aux, ch: Opaque(*ch))


def _example():
    return {
        "layers": [Dense(1.0, 2.0), (3.0, None)],
        "od": OrderedDict([("z", 4.0), ("a", 5.0)]),
        "dd": defaultdict(list, {2: 6.0, 1: 7.0}),
        "nt": Pair(8.0, Opaque(9.0, 10.0)),
        "none": None,
    }


def test_flatten_with_path_names_every_leaf_in_flatten_order():
    tree = _example()
    pairs, tdef = flatten_with_path(tree)
    leaves, tdef2 = T.flatten(tree)
    assert tdef == tdef2
    assert [x for _, x in pairs] == leaves
    assert [keystr(p) for p, _ in pairs] == [
        "['dd'][1]", "['dd'][2]",
        "['layers'][0].w", "['layers'][0].b", "['layers'][1][0]",
        "['nt'].a", "['nt'].b[<flat index 0>]", "['nt'].b[<flat index 1>]",
        "['od']['z']", "['od']['a']",
    ]
    assert pairs[0][0] == (DictKey("dd"), DictKey(1))
    assert pairs[2][0] == (DictKey("layers"), SequenceKey(0), GetAttrKey("w"))
    assert pairs[6][0][-1] == FlattenedIndexKey(0)


def test_flatten_with_path_of_a_leaf_and_of_none():
    assert flatten_with_path(1.5)[0] == [((), 1.5)]
    pairs, tdef = flatten_with_path(None)
    assert pairs == [] and tdef.num_leaves == 0


def test_flatten_with_path_respects_is_leaf():
    pairs, _ = flatten_with_path({"a": [1.0, 2.0], "b": 3.0}, is_leaf=lambda x: isinstance(x, list))
    assert [(keystr(p), x) for p, x in pairs] == [("['a']", [1.0, 2.0]), ("['b']", 3.0)]


def test_flatten_with_path_is_iterative():
    deep = 1.0
    for _ in range(5000):
        deep = [deep]
    pairs, _ = flatten_with_path(deep)
    assert len(pairs) == 1 and len(pairs[0][0]) == 5000
    assert keystr(pairs[0][0]) == "[0]" * 5000


def test_keys_compare_hash_and_print():
    assert SequenceKey(0) == SequenceKey(0) and SequenceKey(0) != DictKey(0)
    assert len({DictKey("a"), DictKey("a"), GetAttrKey("a")}) == 2
    assert repr(DictKey("act")) == "DictKey(key='act')"
    assert repr(SequenceKey(3)) == "SequenceKey(idx=3)"
    assert keystr((DictKey(1), DictKey("1"))) == "[1]['1']"


# ---- check_numeric_leaves -------------------------------------------------------------------------
MESSAGE_TAIL = (", not a number: keep it out of the differentiated arguments (pass it as a "
                "separate argument and leave it out of argnums, or close over it)")


def _message(args, argnums=None, fname="grad"):
    with pytest.raises(TypeError) as info:
        check_numeric_leaves(args, argnums, fname)
    return str(info.value)


def test_the_issue_reproducers_name_the_path():
    assert _message(({"x": 1.0, "act": "tanh"},), 0) == \
        "grad: argument 0['act'] is a str" + MESSAGE_TAIL
    assert _message((2.0, {"x": 1.0, "dtype": "f8"}), (0, 1), "value_and_grad") == \
        "value_and_grad: argument 1['dtype'] is a str" + MESSAGE_TAIL


def test_paths_through_every_container():
    assert "argument 0[1][0]" in _message(([1.0, (b"raw", 2.0)],), 0)
    assert "argument 0.w is a str" in _message((Dense("w", 1.0),), 0)
    assert "argument 0.b is an object" in _message((Pair(1.0, object()),), 0)
    assert "argument 0['od']['k']" in _message(({"od": OrderedDict(k="s")},), 0)
    assert "argument 0[<flat index 1>]" in _message((Opaque(1.0, "q"),), 0)
    assert "argument 0 is an array of dtype <U3" in _message((np.array(["abc"]),), 0)
    assert "argument 0 is a str_" in _message((np.str_("s"),), 0)


def test_bare_leaves_and_argnums_forms():
    assert _message((1.0, "s"), -1).startswith("grad: argument 1 is a str, not a number")
    assert _message((1.0, "s")).startswith("grad: argument 1 is a str")  # argnums=None: all
    check_numeric_leaves((1.0, "not differentiated"), 0)
    check_numeric_leaves((1.0, "not differentiated"), [0])
    # The first offending leaf, in flattening order, is named.
    assert "argument 0['a']" in _message(({"b": None, "c": "x", "a": "y"},), 0)


def test_numbers_arrays_none_and_tracers_pass():
    check_numeric_leaves((1.0, 2, True, 1 + 2j, np.float32(1), np.int64(3), np.arange(3),
                          np.zeros((2, 2), np.complex128), np.array(True), None,
                          {"n": None, "v": [1.0, (2.0, None)]}, Dense(1.0, np.ones(2))))

    seen = []

    def f(p):
        check_numeric_leaves((p,), 0, "grad")  # tracers are numbers
        seen.append(True)
        return p["x"] * 2.0

    assert cr.grad(f)({"x": 1.0}) == {"x": 2.0}
    assert seen


def test_other_transformations_accept_the_new_containers():
    od = OrderedDict([("w", np.array([1.0, 2.0, 3.0])), ("b", 2.0)])
    y, t = cr.jvp(lambda p: cnp.sum(p["w"]) * p["b"], (od,), (od,))
    assert y == pytest.approx(12.0) and t == pytest.approx(6.0 * 2.0 + 6.0 * 2.0)
    batched = OrderedDict([("w", np.ones((4, 3))), ("b", np.arange(4.0))])
    out = cr.vmap(lambda p: p["w"] * p["b"])(batched)
    np.testing.assert_allclose(out, np.ones((4, 3)) * np.arange(4.0)[:, None])
    h = cr.hessian(lambda p: p["a"] ** 3)(defaultdict(float, {"a": 2.0}))
    assert type(h) is defaultdict and h["a"]["a"] == pytest.approx(12.0)
    g = cr.grad(lambda p: cnp.sum(p.w * p.b))(Dense(np.ones(2), np.array([3.0, 4.0])))
    np.testing.assert_allclose(g.w, [3.0, 4.0])


def test_is_numeric_leaf_agrees_with_the_check():
    good = [1.0, 3, False, 2j, np.float32(1), np.arange(2), np.array(1.5), np.zeros(2, bool)]
    bad = ["s", b"b", bytearray(b"x"), np.str_("s"), np.array(["a"]), np.array([None]),
           object(), lambda x: x]
    assert all(T.is_numeric_leaf(x) for x in good)
    assert not any(T.is_numeric_leaf(x) for x in bad)
    for x in bad:
        with pytest.raises(TypeError, match=r"argument 0\['k'\] is "):
            check_numeric_leaves(({"k": x},), 0)


@pytest.mark.parametrize("d", [
    {"W2": np.ones(2), "b1": 1.0, "W1": np.zeros((2, 2)), "a": 3, "z": np.float32(2.0)},
    {"b": 1.0, "a": 2.0},
    {"a": (1.0, 2.0), "b": 3.0},          # a nested value: the general walk
    {1: 1.0, "a": 2.0},                   # keys of two types: grouped by type name
    {},
])
def test_flat_dict_shortcut_agrees_with_the_general_walk(d):
    # is_leaf makes flatten take the general walk; the shortcut (and its cache, hit on
    # the second call and by the same keys inserted in another order) must agree.
    general = T.flatten(d, is_leaf=lambda x: False)
    for tree in (d, d, dict(reversed(list(d.items())))):
        leaves, tdef = T.flatten(tree)
        assert tdef == general[1] and list(tdef.aux or []) == list(general[1].aux or [])
        assert all(a is b for a, b in zip(leaves, general[0])) and len(leaves) == len(general[0])
        back = T.unflatten(tdef, leaves)
        assert back == d if not any(isinstance(v, np.ndarray) for v in d.values()) else \
            all(back[k] is d[k] for k in d)
