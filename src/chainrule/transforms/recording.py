"""One recorded run of a function, and the two linear maps read off its tape.

:class:`Recording` runs ``f`` once under a reverse trace. Its tape then gives
``pullback`` (u ↦ uᵀJ, a backward pass: what :func:`~chainrule.vjp` returns)
and ``pushforward`` (v ↦ J·v, a forward replay: what
:func:`~chainrule.linearize` returns); :func:`~chainrule.jacobian` uses
either, :func:`~chainrule.make_graph` draws the tape.

>>> import chainrule.numpy as cnp
>>> rec = Recording(lambda x: x ** 3, (2.0,), "linearize")
>>> float(rec.out), float(rec.pushforward()(1.0)), float(rec.pullback()(1.0)[0])
(8.0, 12.0, 12.0)
"""

import numpy as np

from ..core import tree
from ..core.primitive import Tracer
from ..core.vspace import shape_of, dtype_of, zeros_like
from ..interpreters.reverse import ReverseTrace, backward_pass
from ..interpreters.replay import forward_replay
from ..primitives.arrays import in_library_of, is_foreign, is_lazy
from .lazy import needs_guard, refuse_compute
from .args import (check_differentiable, strip, cast_like, check_leaves, check_returned,
                   call_user, own, arrays_in, tree_difference)

__all__ = ["Recording", "check_tangents", "in_output_dtype"]

# Recordings whose tape is only ever pulled back (a lean tape suffices).
_PULLBACK_ONLY = frozenset({"vjp", "jacrev"})


class Recording:
    """``f(*primals)`` run once under a reverse trace named ``kind``.

    ``inputs`` are the flat input leaves (``in_tree`` their structure, ``dtypes``
    theirs, ``in_ids`` their variables on the tape); ``out_ids``, ``out_values``
    and ``out_tree`` describe the outputs (an output id is None when the output
    does not depend on the inputs). With ``has_aux``, ``f`` returns
    ``(out, aux)`` and ``aux`` holds the second entry, without tracers.
    """

    def __init__(self, f, primals, kind, has_aux=False, tape=None):
        flat, self.in_tree = tree.flatten(tuple(primals))
        self.inputs = flat
        check_leaves(flat, tuple(primals), None, kind)
        self.dtypes = [check_differentiable(x, i, None, kind) for i, x in enumerate(flat)]
        # Only a pullback reads this tape: keep just the residuals of the VJP rules.
        # linearize replays it with the JVP rules and make_graph shows every value.
        trace = self.trace = ReverseTrace(kind, keep_all=kind not in _PULLBACK_ONLY)
        if tape is not None:  # make_graph's tape also notes where each operation was called
            trace.tape = tape
        try:
            boxed = trace.new_inputs(flat)
            out = call_user(f, tree.unflatten(self.in_tree, boxed), {}, kind, primals)
        finally:
            trace.finish()
        check_returned(out, kind)
        self.in_ids = [b._id for b in boxed]
        self.aux = None
        if has_aux:
            out, aux = out
            check_returned(out, kind)
            self.aux = strip(trace, aux, flat)
        out_flat, self.out_tree = tree.flatten(out)
        self.out_ids, self.out_values = [], []
        for o in out_flat:
            if isinstance(o, Tracer) and o._trace is trace:
                self.out_ids.append(o._id)
                self.out_values.append(o._value)
            else:
                self.out_ids.append(None)
                self.out_values.append(o)

    @property
    def out(self):
        """The output pytree, without tracers."""
        return tree.unflatten(self.out_tree, self.out_values)

    def pullback(self):
        """``vjp_fn(ct)``: the cotangents of the inputs (structured like the primals)
        for a cotangent ``ct`` structured like the output; one backward pass per call."""
        tape, out_tree, out_ids, out_vals = self.trace.tape, self.out_tree, self.out_ids, \
            self.out_values
        inputs, dtypes, in_ids, in_tree = self.inputs, self.dtypes, self.in_ids, self.in_tree
        out = self.out

        def vjp_fn(ct):
            ct_flat, ct_tree = tree.flatten(ct)
            if ct_tree != out_tree:
                where = tree_difference(out, ct, "the output", "the cotangent")
                raise ValueError(
                    f"vjp_fn: the cotangent must have the structure of the output: {where}")
            seeds = {}
            for k, (oid, c, o) in enumerate(zip(out_ids, ct_flat, out_vals)):
                if shape_of(c) != shape_of(o):
                    raise ValueError(
                        f"vjp_fn: cotangent {k} has shape {shape_of(c)} but output {k} has "
                        f"shape {shape_of(o)}; pass a cotangent shaped like the output")
                if oid is not None:
                    od, cd = dtype_of(o), dtype_of(c)
                    if cd != od and od.kind == "f":
                        raise ValueError(
                            f"vjp_fn: cotangent {k} has dtype {cd} but output {k} has dtype "
                            f"{od}; pass cotangent.astype({od}) (cotangents live in the same "
                            f"space as the outputs)")
                    c = in_primal_library(c, o)
                    seeds[oid] = c if oid not in seeds else seeds[oid] + c
            if needs_guard(ct_flat) or needs_guard(out_vals):
                with refuse_compute("vjp"):  # the rules run on Dask values: none computed
                    cts = backward_pass(tape, seeds)
            else:
                cts = backward_pass(tape, seeds)
            given = arrays_in(inputs)
            arrays_in(ct_flat, given)
            results = []
            res = [own(zeros_like(x, dt), None, None, dt) if cts.get(i) is None
                   else own(cast_like(in_library_of(cts[i], x), dt), given, results, dt)
                   for x, dt, i in zip(inputs, dtypes, in_ids)]
            return tree.unflatten(in_tree, res)

        return vjp_fn

    def pushforward(self):
        """``jvp_fn(*tangents)``: J·tangents (structured like the output) for tangents
        structured like the primals; one forward replay of the tape per call."""
        tape, out_tree, out_ids, out_vals = self.trace.tape, self.out_tree, self.out_ids, \
            self.out_values
        inputs, in_ids, in_tree = self.inputs, self.in_ids, self.in_tree

        def jvp_fn(*tangents):
            flat_t, tree_t = tree.flatten(tuple(tangents))
            if tree_t != in_tree:
                where = tree_difference(tree.unflatten(in_tree, inputs), tuple(tangents),
                                        "primals", "tangents")
                raise ValueError(f"linearize: jvp_fn takes tangents shaped like the primals: "
                                 f"{where}")
            check_tangents(inputs, flat_t, "linearize")
            flat_t = [in_primal_library(t, p) for t, p in zip(flat_t, inputs)]
            if needs_guard(flat_t) or needs_guard(out_vals):
                with refuse_compute("linearize"):  # the rules run on Dask values
                    tan = forward_replay(tape, dict(zip(in_ids, flat_t)))
            else:
                tan = forward_replay(tape, dict(zip(in_ids, flat_t)))
            given = arrays_in(inputs)
            arrays_in(flat_t, given)
            results = []
            res = [own(zeros_like(o) if oid is None or tan.get(oid) is None
                       else in_library_of(in_output_dtype(tan[oid], o), o), given, results)
                   for oid, o in zip(out_ids, out_vals)]  # (in the output's library, chunks)
            return tree.unflatten(out_tree, res)

        return jvp_fn


def in_output_dtype(t, out):
    """Tangent ``t`` in the dtype of its output ``out``, as a cotangent comes back in its
    input's: a float32 tangent of a float64 output (``x + c`` with a float64 constant ``c``:
    the constant has no tangent to promote it) is widened; never narrowed.

    >>> in_output_dtype(np.ones(2, np.float32), np.zeros(2)).dtype
    dtype('float64')
    """
    td, od = dtype_of(t), dtype_of(out)
    if td == od or od.kind not in "fc" or not np.can_cast(td, od, "safe"):
        return t
    return cast_like(t, od)


def in_primal_library(t, p):
    """A NumPy tangent (or cotangent) ``t`` of a primal ``p`` of a library that refuses
    NumPy operands or converts them (CuPy, array-api-strict) moved into ``p``'s library:
    the rules compute ``t * cos(x)`` with it. Anything else (NumPy primals, Dask's, which
    take NumPy operands) as it is.

    >>> in_primal_library(np.ones(2), np.zeros(2)) is not None
    True
    """
    if type(p) is np.ndarray or type(t) is not np.ndarray or not is_foreign(p) or is_lazy(p):
        return t
    return in_library_of(t, p)


def check_tangents(flat_p, flat_t, fname):
    """Each tangent must have its primal's shape and dtype (the primal must be float)."""
    for k, (p, t) in enumerate(zip(flat_p, flat_t)):
        pd = check_differentiable(p, k, None, fname)
        ps, ts = shape_of(p), shape_of(t)
        if ps != ts:
            raise ValueError(
                f"{fname}: tangent {k} has shape {ts} but primal {k} has shape {ps}; a tangent "
                f"must have exactly the shape of its primal")
        td = dtype_of(t)
        if td != pd:
            raise ValueError(
                f"{fname}: tangent {k} has dtype {td} but primal {k} has dtype {pd}; pass "
                f"tangent.astype({pd}) (tangents live in the same space as their primals)")
