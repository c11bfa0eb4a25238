"""What reverse mode keeps: the residuals on a lean tape, by primitive.

Reverse mode records one equation per operation, but keeps only the values its
VJP rules read (``declare(..., residuals=...)``): the inputs of ``x * y``, the
output of ``tanh``, nothing but a shape for ``x + y``. :func:`tape_residuals`
records ``f`` as :func:`~chainrule.vjp` does and reports the bytes of the arrays
its tape holds, attributed to the first operation that holds each one, and which
values each primitive kept.

>>> import chainrule as cr, chainrule.numpy as cnp
>>> x = cnp.ones((100, 100))
>>> r = cr.tape_residuals(lambda x: cnp.sum(cnp.tanh(x @ x) + x))(x)
>>> r.total_bytes, sorted(r.by_primitive)     # x @ x keeps x, which is the caller's
(80000, ['tanh'])
>>> r.by_primitive["tanh"]
(1, 80000, 'output')
"""

import numpy as np

from ..interpreters.reverse import equations
from .recording import Recording
from .args import check_callable

__all__ = ["tape_residuals", "TapeReport"]


class TapeReport:
    """The residuals of one recorded run.

    ``total_bytes``: bytes of the distinct arrays the tape holds (views counted
    by their base; the caller's own arguments are not counted); ``equations``: operations recorded; ``by_primitive``:
    ``{name: (operations, bytes, what is kept)}`` where what is kept is e.g.
    ``"inputs 0"``, ``"output"``, ``"inputs 0, 1 and output"``.
    """

    def __init__(self, total_bytes, equations, by_primitive):
        self.total_bytes = total_bytes
        self.equations = equations
        self.by_primitive = by_primitive

    def table(self):
        """The report as aligned text, largest first."""
        rows = sorted(self.by_primitive.items(), key=lambda kv: -kv[1][1])
        lines = [f"{'primitive':<18}{'ops':>8}{'bytes':>14}  kept"]
        lines += [f"{name:<18}{n:>8}{b:>14,}  {what}" for name, (n, b, what) in rows]
        lines.append(f"{'total':<18}{self.equations:>8}{self.total_bytes:>14,}")
        return "\n".join(lines)

    def __repr__(self):
        return (f"TapeReport({self.equations} operations, {self.total_bytes:,} bytes of "
                f"residuals)")


def tape_residuals(f):
    """A function of ``f``'s arguments that records ``f`` for reverse mode (all arguments
    differentiated, as :func:`~chainrule.vjp`) and returns a :class:`TapeReport`.

    >>> import chainrule as cr, chainrule.numpy as cnp
    >>> r = cr.tape_residuals(lambda x: cnp.sum(x * 2.0 + 1.0))(cnp.ones(1000))
    >>> r.total_bytes, r.equations      # + and sum read only shapes; * reads the constant
    (0, 3)
    """
    check_callable(f, "tape_residuals")
    def report(*args):
        rec = Recording(f, args, "vjp")
        tape = list(equations(rec.trace.tape))
        # The caller's own arrays cost nothing extra: they are not counted.
        seen = {id(_base(a)) for a in _arrays(list(rec.inputs))}
        by = {}
        total = 0
        for eqn in tape:
            name = eqn[0].name
            new = _new_bytes(eqn, seen)
            total += new
            n, b, kinds = by.get(name, (0, 0, set()))
            if new:
                kinds.update(_kept(eqn))
            by[name] = (n + 1, b + new, kinds)
        shown = {name: (n, b, _describe(kinds)) for name, (n, b, kinds) in by.items() if b}
        return TapeReport(total, len(tape), shown)
    return report


def _base(a):
    return a if a.base is None or not isinstance(a.base, np.ndarray) else a.base


def _arrays(v):
    if type(v) is tuple or type(v) is list:
        for e in v:
            yield from _arrays(e)
    elif isinstance(v, np.ndarray):
        yield v


def _new_bytes(eqn, seen):
    """Bytes of the arrays ``eqn`` holds that no earlier equation held (marked seen)."""
    new = 0
    for a in _arrays((eqn[2], eqn[3])):
        base = _base(a)
        if id(base) not in seen:
            seen.add(id(base))
            new += base.nbytes
    return new


def _kept(eqn):
    out = {f"input {i}" for i, v in enumerate(eqn[2]) if isinstance(v, np.ndarray)}
    if any(True for _ in _arrays(eqn[3])):
        out.add("output")
    return out


def _describe(kinds):
    ins = sorted(k.split()[1] for k in kinds if k.startswith("input"))
    parts = [("inputs " if len(ins) > 1 else "input ") + ", ".join(ins)] if ins else []
    if "output" in kinds:
        parts.append("output")
    return " and ".join(parts)
