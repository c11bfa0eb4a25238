"""What every transform does with its arguments, written once: ``argnums``,
the checks on differentiated inputs, and the zeros and casts of results.

>>> import numpy as np
>>> argnums_tuple((0, -1), 3, "grad")
(0, -1)
>>> check_differentiable(np.arange(3), 0, None, "grad")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
TypeError: grad: argument 0 has dtype int64, and only floating-point inputs can be ...
"""

import functools
import operator
import sys
from types import GeneratorType

import numpy as np

from ..core import tree
from ..core.primitive import InPlaceError, Tracer
from ..primitives.tracer_methods import CONVERSION
from ..core.vspace import dtype_of, numpy_dtype
from ..primitives import composites
from ..primitives.basic import real
from ..primitives.sparse import is_sparse
from ..primitives.arrays import (array_api_only, route_to_standard, is_foreign, may_alias,
                                 copy_array, plain_lazy, is_lazy, unknown_shape,
                                 unknown_shape_error)
from .lazy import lazy_values_in, refuse_compute, refusing

_modules = sys.modules


def autograd_keywords(transform):
    """Refuse HIPS autograd's ``argnum=`` with the name chainrule uses for it (``argnums=``):
    a program moved from autograd with its imports changed raised Python's bare
    "unexpected keyword argument 'argnum'".

    >>> def grad(f, argnums=0):
    ...     return argnums
    >>> autograd_keywords(grad)(abs, argnum=1)
    Traceback (most recent call last):
    ...
    TypeError: grad: autograd's argnum=1 is argnums=1 in chainrule (chainrule.autograd keeps autograd's signatures)
    """
    @functools.wraps(transform)
    def transform_with_autograd_check(*args, **kwargs):
        if "argnum" in kwargs:
            raise TypeError(f"{transform.__name__}: autograd's argnum={kwargs['argnum']!r} is "
                            f"argnums={kwargs['argnum']!r} in chainrule (chainrule.autograd keeps "
                            f"autograd's signatures)")
        return transform(*args, **kwargs)
    return transform_with_autograd_check


__all__ = ["autograd_keywords", "check_callable", "check_differentiable", "check_holomorphic_input", "matrix_error", "argnums_tuple", "diff_args", "strip", "cast_like",
           "check_leaves", "check_returned", "call_user", "raise_store_error", "own", "own_tree", "arrays_in",
           "ArraySet",
           "tree_difference"]


_F64, _F32 = np.dtype(np.float64), np.dtype(np.float32)


def check_callable(f, fname):
    """Refuse, when the transformation is made, a function that is not callable: most
    often ``cr.grad(f(x))``, the value of ``f`` passed instead of ``f``.

    >>> check_callable(3.0, "grad")
    Traceback (most recent call last):
    ...
    TypeError: grad expects a function, got 3.0 (a float): pass the function itself, cr.grad(f), not its value cr.grad(f(x))
    """
    if not callable(f):
        text = repr(f)
        text = text if len(text) <= 40 else text[:37] + "..."
        raise TypeError(f"{fname} expects a function, got {text} (a {type(f).__name__}): pass "
                        f"the function itself, cr.{fname}(f), not its value cr.{fname}(f(x))")


# Transforms without argnums: an integer argument is kept constant by closing over it.
_NO_ARGNUMS = frozenset({"vjp", "jvp", "linearize", "make_graph", "hvp"})


def check_differentiable(x, arg, leaf, fname, output=False):
    """The dtype of a differentiated input (or, with ``output``, of an output a Jacobian
    is taken of); a clear TypeError unless it is floating-point, real or complex
    (docs/complex.md: JAX's convention)."""
    if type(x) is np.ndarray:
        dt = x.dtype
        if dt is _F64 or dt is _F32:  # the common cases: what dtype_of returns for them
            return dt
    if isinstance(x, np.matrix):
        raise matrix_error(fname)
    if is_sparse(x):
        raise TypeError(
            f"{fname}: {_argument(arg, leaf)} is a SciPy sparse matrix, whose entries "
            f"chainrule cannot trace. Pass it as a constant (close over it, or leave it out "
            f"of argnums); to differentiate in its nonzeros, use "
            f"chainrule.scipy.sparse.csr_matmul(data, A.indices, A.indptr, x, A.shape) with "
            f"data = A.data of A.tocsr() (canonical: A.sum_duplicates()).")
    dt = dtype_of(x)
    if type(x) is not np.ndarray:
        if array_api_only(x):
            route_to_standard(x)  # an Array API library's array: no NumPy function may see it
        elif is_lazy(x) and unknown_shape(x.shape):
            raise unknown_shape_error(f"{fname}: {_argument(arg, leaf)}, a Dask array,",
                                      x.shape)
    if dt.kind == "f" or dt.kind == "c":
        return dt
    if output:
        aux = (", or return it as auxiliary data (has_aux=True) instead of differentiating it"
               if fname in ("jacrev", "jacfwd") else "")
        raise TypeError(
            f"{fname}: output {arg} has dtype {dt}, and an integer or boolean output has no "
            f"derivative. Compute it in floating point{aux}.")
    keep = ("close over it instead of passing it (lambda x: f(x, n))" if fname in _NO_ARGNUMS
            else "leave it out of argnums")
    raise TypeError(
        f"{fname}: {_argument(arg, leaf)} has dtype {dt}, and only floating-point inputs can "
        f"be differentiated. "
        f"Pass a float (e.g. 1.0 instead of 1) or convert with x.astype(float); to keep an "
        f"integer argument, {keep}.")


def _argument(arg, leaf):
    return f"argument {arg}" if leaf is None else f"argument {arg} (leaf {leaf})"


def matrix_error(fname):
    """A numpy.matrix cannot be traced: its ``*`` is a matrix product, a traced array's is
    elementwise, so the function would silently compute something else."""
    return TypeError(
        f"{fname}: numpy.matrix inputs are not supported (chainrule traces arrays, whose `*` is "
        f"elementwise, where a matrix's is a matrix product); pass np.asarray(x) and write "
        f"matrix products with `@`")


def check_holomorphic_input(dt, fname):
    """With ``holomorphic=True`` every differentiated input must be complex (JAX's rule).

    >>> check_holomorphic_input(np.dtype(np.float64), "grad")
    Traceback (most recent call last):
    ...
    TypeError: grad with holomorphic=True requires complex inputs, but got float64; pass a complex value (x + 0j) or drop holomorphic=True
    """
    if dt.kind != "c":
        raise TypeError(f"{fname} with holomorphic=True requires complex inputs, but got "
                        f"{dt}; pass a complex value (x + 0j) or drop holomorphic=True")


def argnums_tuple(argnums, nargs, fname):
    """``argnums`` as a tuple, after checking it against the number of arguments.

    >>> argnums_tuple(1.0, 2, "grad")
    Traceback (most recent call last):
    ...
    TypeError: grad: argnums takes an int or a tuple of ints, got 1.0 (float)
    """
    if isinstance(argnums, bool) or (isinstance(argnums, (tuple, list))
                                     and any(isinstance(i, bool) for i in argnums)):
        raise TypeError(f"{fname}: argnums takes argument positions (ints), got {argnums!r}; "
                        f"True would silently mean argument 1")
    if isinstance(argnums, int):
        nums = (argnums,)
    else:
        try:
            nums = tuple(operator.index(i) for i in argnums)
        except TypeError:
            nums = None
        if nums is None or isinstance(argnums, (str, bytes, dict, set)):
            raise TypeError(f"{fname}: argnums takes an int or a tuple of ints, got "
                            f"{argnums!r} ({type(argnums).__name__})") from None
    if len({i % nargs for i in nums if -nargs <= i < nargs}) != len(nums) and \
            all(-nargs <= i < nargs for i in nums):
        raise ValueError(f"{fname}: argnums={argnums} repeats an argument; list each "
                         f"argument once")
    for i in nums:
        if not -nargs <= i < nargs:
            raise ValueError(f"{fname}: argnums={argnums} but the function got {nargs} "
                             f"positional argument(s); argnums counts positional arguments "
                             f"only (keyword arguments are not differentiated): pass the "
                             f"argument by position, or give argnums in range({nargs})")
    return nums


def diff_args(args, argnums, fname="jacobian"):
    """The differentiated arguments, and ``substitute(new)``: the arguments with them replaced.

    For an int ``argnums`` the selection is that argument; for a tuple, a tuple.

    >>> sel, substitute = diff_args((1.0, 2.0, 3.0), (0, 2))
    >>> sel, substitute((10.0, 30.0))
    ((1.0, 3.0), [10.0, 2.0, 30.0])
    """
    nums = argnums_tuple(argnums, len(args), fname)
    sel = args[argnums] if isinstance(argnums, int) else tuple(args[i] for i in nums)

    def substitute(new):
        a = list(args)
        if isinstance(argnums, int):
            a[argnums] = new
        else:
            for i, v in zip(nums, new):
                a[i] = v
        return a
    return sel, substitute


def strip(trace, values, inputs=()):
    """Replace ``trace``'s tracers in the pytree ``values`` by their values (aux outputs).

    Every leaf stays what ``f`` returned (a Python float stays a float), except that an
    array sharing memory with ``inputs`` (the caller's arrays) is copied: ``return loss, x``
    hands back the caller's ``x`` through its tracer, and a write into that aux must not
    change the caller's argument (the rule :func:`own` applies to every other result).

    >>> x = np.ones(2)
    >>> a = strip(None, {"x": x, "n": 3}, [x])
    >>> a["x"] is x, a["n"]
    (False, 3)
    """
    def one(x):
        if isinstance(x, Tracer) and x._trace is trace:
            x = x._value
        if inputs:
            if isinstance(x, np.ndarray):
                if _shared(x, inputs, None):
                    return x.copy()
            elif is_foreign(x) and may_alias(x, list(inputs)):
                return copy_array(x)
        return x
    return tree.tree_map(one, values)


def cast_like(ct, dt):
    """``ct`` converted to dtype ``dt`` when it has another dtype; a complex cotangent of a
    real input is its real part (under the pairing Re Σ c·t only Re(c) meets a real t),
    never a cast that would warn.

    >>> cast_like(np.complex128(2 + 3j), np.dtype(np.float64))
    np.float64(2.0)
    """
    cdt = getattr(ct, "dtype", None)
    if cdt is not None and not isinstance(cdt, np.dtype):
        cdt = numpy_dtype(cdt)  # an Array API library's dtype
    if cdt is None and type(ct) is complex:
        cdt = np.dtype(np.complex128)
    if cdt is not None and cdt != dt:
        if cdt.kind == "c" and dt.kind != "c":
            ct = real(ct)
            if dtype_of(ct) == dt:
                return ct
        return composites.astype(ct, dt)
    return ct


# ---- what every transform checks on its inputs and on what the function returned --------
def check_leaves(leaves, args, argnums, fname):
    """Refuse a differentiated leaf that is not a number (a str in a parameter dict, say),
    naming its path. ``leaves`` are the flattened differentiated leaves: the hot path
    looks at them once and builds nothing; the paths are built only for the message.

    >>> check_leaves([1.0, "tanh"], ({"x": 1.0, "act": "tanh"},), 0, "grad")
    Traceback (most recent call last):
    ...
    TypeError: grad: argument 0['act'] is a str, not a number: keep it out of the differentiated arguments (pass it as a separate argument and leave it out of argnums, or close over it)
    """
    if not all(map(tree.is_numeric_leaf, leaves)):
        tree.check_numeric_leaves(args, argnums, fname)


def check_returned(out, fname):
    """A function that returned None (a missing ``return``) is an error, not a zero.

    >>> check_returned(None, "grad")
    Traceback (most recent call last):
    ...
    TypeError: grad: the function returned None; is a `return` statement missing? (e.g. `return cnp.sum(x ** 2)` rather than `cnp.sum(x ** 2)`)
    """
    if out is None:
        raise TypeError(f"{fname}: the function returned None; is a `return` statement "
                        f"missing? (e.g. `return cnp.sum(x ** 2)` rather than "
                        f"`cnp.sum(x ** 2)`)")
    if type(out) is GeneratorType:
        raise TypeError(f"{fname}: the function returned a generator (it has a `yield`); "
                        f"return the values themselves: a tuple or list of them, or "
                        f"cnp.stack([...]) for one array")


_strict_routed = [False]


def _route_strict():
    # Once array-api-strict is imported, its arrays' operators let tracers answer (they
    # raise TypeError otherwise: a strict constant on the left of a traced value, S + x,
    # failed with "Expected Array or Python scalar" until a strict array had been an input
    # of a transform), and the ufunc primitives route its arrays to the standard.
    _strict_routed[0] = True
    route_to_standard(_modules["array_api_strict"].asarray(0.0))


def call_user(f, args, kwargs, fname, user_args):
    """``f(*args, **kwargs)``; a TypeError about a list or tuple, when a differentiated
    argument (in ``user_args``) is one, says that it became a pytree of separate leaves.
    With Dask values among the arguments, nothing is computed while ``f`` runs."""
    if not _strict_routed[0] and "array_api_strict" in _modules:
        _route_strict()
    if "dask" in _modules and not refusing() and lazy_values_in(args, f):
        with refuse_compute(fname):  # then this call again, inside the guard
            return call_user(f, args, kwargs, fname, user_args)
    try:
        return f(*args, **kwargs)
    except TypeError as e:
        hint = list_hint(e, user_args, fname)
        if hint is e:
            raise
        raise hint from e
    except ValueError as e:
        raise_store_error(e)
        raise


def raise_store_error(e):
    """Raise the tracer's InPlaceError where ``e`` is NumPy's ValueError replacing it.

    For ``out[i] = x`` with one element, NumPy turns the tracer's refusal into its own
    "setting an array element with a sequence" (with ours as the cause): the user should
    read ours, with the traceback at their line."""
    if isinstance(e.__cause__, InPlaceError):
        raise e.__cause__.with_traceback(e.__traceback__) from None


def list_hint(e, user_args, fname):
    """``e``, or a TypeError explaining that a list argument is a pytree, not an array."""
    msg = str(e)
    kinds = {type(a).__name__ for a in user_args if type(a) in (list, tuple)}
    # (NumPy converting the list of traced entries, cnp.sum(x), meets a tracer's refusal)
    if not kinds or not (any(f"'{k}'" in msg for k in kinds) or msg.startswith(CONVERSION)):
        return e
    what = " or ".join(sorted(kinds))
    return TypeError(
        f"{msg}\n{fname}: a {what} argument is a pytree: its entries are differentiated as "
        f"separate leaves, and the function receives a {what} of them, not an array. To "
        f"differentiate it as one array, pass np.array(...) instead.")


# ---- results the caller owns -----------------------------------------------------------
def arrays_in(values, out=None):
    """The arrays (NumPy's, or another library's) among ``values`` and, one level down,
    in their pytrees (appended to ``out``): the arrays a result must not share memory
    with."""
    out = [] if out is None else out
    for v in values:
        # (isinstance: a subclass, np.memmap or a user's, holds the caller's memory too)
        if type(v) is np.ndarray or isinstance(v, np.ndarray):
            out.append(v)
        elif isinstance(v, (tuple, list, dict)) or tree.split_node(v) is not None:
            out.extend(x for x in tree.leaves(v) if isinstance(x, np.ndarray) or is_foreign(x))
        elif type(v) is not float and is_foreign(v):
            out.append(v)
    return out


_TooHard = getattr(np, "exceptions", np).TooHardError  # NumPy < 1.25 has it at the top


def _owner(a):
    """The NumPy array that owns ``a``'s memory (``a`` itself, or the end of its chain of
    bases), or None when the memory came from elsewhere (a buffer, ``as_strided``'s
    stand-in, a C library's pointer). Two different owners never share memory: each frees
    its own allocation."""
    while True:
        b = a.base
        if b is None:
            return a if a.flags.owndata else None
        if not isinstance(b, np.ndarray):
            return None
        a = b


def _shares(a, b):
    if b is a:
        return True
    if np.may_share_memory(a, b):
        try:
            return bool(np.shares_memory(a, b, max_work=10_000))
        except _TooHard:
            return True
    return False


class ArraySet:
    """Arrays (the caller's, or the results handed out so far) filed by the NumPy array
    that owns their memory, so that asking whether a new result shares memory with any of
    them looks at the few filed under its owner (and at those whose owner is unknown),
    not at every one: a gradient of many leaves is then linear in their number, not
    quadratic. Iterating yields them all in the order added (another library's arrays
    too, which only :func:`~chainrule.primitives.arrays.may_alias` looks at).

    >>> x = np.ones(4)
    >>> s = ArraySet([x, 2.0])
    >>> s.overlaps(x[1:]), s.overlaps(np.ones(4)), len(s)
    (True, False, 1)
    """

    __slots__ = ("arrays", "by_owner", "unowned")

    def __init__(self, values=()):
        self.arrays = []
        self.by_owner = {}  # id of the owning array -> the arrays it holds (which keep it alive)
        self.unowned = []   # NumPy arrays over memory no NumPy array owns
        for v in values:
            self.append(v)

    def append(self, x):
        """File ``x`` (a NumPy array or another library's; anything else is ignored)."""
        if type(x) is np.ndarray or isinstance(x, np.ndarray):  # (a memmap: the caller's)
            owner = x if x.base is None and x.flags.owndata else _owner(x)
            if owner is None:
                self.unowned.append(x)
            else:
                self.by_owner.setdefault(id(owner), []).append(x)
        elif not is_foreign(x):
            return
        self.arrays.append(x)

    def overlaps(self, a, owner=False):
        """Whether the NumPy array ``a`` shares memory with one of the arrays filed
        (``owner``: ``_owner(a)`` when the caller knows it)."""
        if owner is False:
            owner = _owner(a)
        if owner is None:  # memory from elsewhere: compare with every NumPy array
            return any(_shares(a, b) for b in self.arrays if isinstance(b, np.ndarray))
        same = self.by_owner.get(id(owner))
        if same is not None and any(_shares(a, b) for b in same):
            return True
        return bool(self.unowned) and any(_shares(a, b) for b in self.unowned)

    def claim(self, x, inputs):
        """:func:`own` for a NumPy array ``x`` of at least one dimension: ``x``, or a copy
        when it is read-only or shares memory with ``inputs`` (an ArraySet) or with the
        arrays filed here; filed here."""
        owner = x if x.base is None and x.flags.owndata else _owner(x)
        if not x.flags.writeable or inputs.overlaps(x, owner) or self.overlaps(x, owner):
            x = owner = x.copy()
        if owner is None:
            self.unowned.append(x)
        else:
            self.by_owner.setdefault(id(owner), []).append(x)
        self.arrays.append(x)
        return x

    def __iter__(self):
        return iter(self.arrays)

    def __len__(self):
        return len(self.arrays)


def _overlaps(a, others):
    if isinstance(others, ArraySet):
        return others.overlaps(a)
    for b in others:
        if b is a:
            return True
        if isinstance(b, np.ndarray) and np.may_share_memory(a, b):
            try:
                if np.shares_memory(a, b, max_work=10_000):
                    return True
            except _TooHard:
                return True
    return False


def _shared(x, inputs, given):
    """Whether the NumPy array ``x`` shares memory with ``inputs`` or ``given``."""
    if isinstance(inputs, ArraySet) and (given is None or type(given) is ArraySet):
        owner = x if x.base is None and x.flags.owndata else _owner(x)  # once for both
        return inputs.overlaps(x, owner) or (given is not None and given.overlaps(x, owner))
    return bool(inputs and _overlaps(x, inputs)) or bool(given and _overlaps(x, given))


def own(x, inputs, given=None, dtype=None):
    """A result leaf as the caller gets it (one rule for every transform):

    - a 0-d value is a NumPy scalar (``np.float64`` for a Python float), of ``dtype``
      when given (the dtype of the input leaf it is the derivative for);
    - an array is writable and shares no memory with ``inputs`` (the caller's arrays) or
      ``given`` (the results handed out before it): otherwise it is copied;
    - tracers (a transformation nested inside another) pass unchanged.

    >>> x = np.ones(2)
    >>> own(x, [x]) is x, own(3.0, []), own(np.array(2.0, np.float32), [])
    (False, np.float64(3.0), np.float32(2.0))
    """
    t = type(x)
    if t is not np.ndarray and isinstance(x, Tracer) and x._trace.concrete_ok:
        # jit: a staged value becomes the caller's on every replay, so the same rule runs
        # then, in the staged program, with that call's arrays.
        return x._trace.host_call(own_staged, x, dtype=dtype)
    # An ndarray subclass (np.memmap, a user's) takes the same rule: returned as it was,
    # a vjp of the identity handed back the caller's memmap, whose file a write changed.
    if t is np.ndarray or isinstance(x, np.ndarray):
        if x.ndim == 0:
            x = x[()]
            return x if dtype is None or x.dtype == dtype else x.astype(dtype)
        if type(given) is ArraySet and isinstance(inputs, ArraySet):
            return given.claim(x, inputs)
        if not x.flags.writeable or _shared(x, inputs, given):
            x = x.copy()
        if given is not None:
            given.append(x)
        return x
    if t is float:
        return np.float64(x) if dtype is None else dtype.type(x)
    if isinstance(x, np.generic):
        return x if dtype is None or x.dtype == dtype else x.astype(dtype)
    if t is int or t is bool:
        return x if dtype is None else dtype.type(x)
    if is_foreign(x):  # another library's array: the same rule, in that library
        x = plain_lazy(x)  # (a sum of slices' cotangents: Dask's own class, its own +)
        if (inputs or given) and may_alias(x, [*(inputs or ()), *(given or ())]):
            x = copy_array(x)
        if given is not None:
            given.append(x)
    return x


def own_staged(x, inputs, given, dtype=None):
    """:func:`own` as a staged program runs it (the call's input arrays as ``inputs``)."""
    return own(x, inputs, given, dtype)


# For the optimiser of staged programs: values on which own_staged returns its argument.
own_staged.identity_when = lambda v, dtype=None: (
    isinstance(v, np.generic) and (dtype is None or v.dtype == dtype))
# ... and it returns a new array of at least one dimension as it is, when it shares memory
# with no input and no other result (the optimiser proves that for all of a program's).
own_staged.identity_when_fresh = True


def own_tree(values, inputs):
    """:func:`own` on every leaf of the pytree ``values``.

    >>> x = np.ones(2)
    >>> r = own_tree((x, [x, 1.0]), [x])
    >>> r[0] is x or r[1][0] is x or r[0] is r[1][0], r[1][1]
    (False, np.float64(1.0))
    """
    if type(values) is np.ndarray or type(values) is float:
        return own(values, inputs)
    leaves, tdef = tree.flatten(values)
    given = []
    return tree.unflatten(tdef, [own(v, inputs, given) for v in leaves])


# ---- where two pytrees differ ------------------------------------------------------------
def _node(x):
    info = tree.split_node(x)
    if info is None:
        return "a leaf", None, ()
    kind, aux, children = info
    if kind == "none":
        return "None", None, ()
    if kind in ("tuple", "list"):
        return f"a {kind} of {len(children)}", [f"[{i}]" for i in range(len(children))], \
            children
    if kind in ("dict", "ordereddict"):
        return f"a {kind} with keys {list(aux)}", [f"[{k!r}]" for k in aux], children
    if kind == "defaultdict":
        return f"a defaultdict with keys {list(aux[1])}", [f"[{k!r}]" for k in aux[1]], \
            children
    if kind == "namedtuple":
        return f"a {aux.__name__}", [f".{f}" for f in aux._fields], children
    return f"a {aux[0].__name__}", [f"[{i}]" for i in range(len(children))], children


def tree_difference(a, b, name_a, name_b):
    """Where the pytrees ``a`` and ``b`` first differ in structure, as text (None if
    they do not).

    >>> tree_difference(({"w": 1.0, "b": 2.0},), ({"w": 1.0},), "primals", "tangents")
    "primals[0] is a dict with keys ['b', 'w'] but tangents[0] is a dict with keys ['w']"
    >>> tree_difference(([1.0, 2.0],), ((1.0, 2.0),), "primals", "tangents")
    'primals[0] is a list of 2 but tangents[0] is a tuple of 2'
    """
    stack = [("", a, b)]
    while stack:
        path, x, y = stack.pop()
        dx, kx, cx = _node(x)
        dy, ky, cy = _node(y)
        if dx != dy:
            return f"{name_a}{path} is {dx} but {name_b}{path} is {dy}"
        for k, u, v in reversed(list(zip(kx or (), cx, cy))):
            stack.append((path + k, u, v))
    return None
