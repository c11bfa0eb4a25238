"""Every derivative rule, generated from the registry behind ``chainrule.numpy``.

For each registered name of kind "primitive" or "composite" (``chainrule.core.registry``)
there is a spec: a list of cases (a function of float arrays only, and how to draw
valid random inputs at fixed seeds). Elementwise primitives (families "unary" and
"binary") get theirs generated from the domain their declaration names; the others
are written below, with extra cases for the elementwise ones where needed. Each case is

- checked against central finite differences to order 2 in forward and reverse
  mode (``cr.check_grads(..., order=2, modes=("fwd", "rev"))``, float64);
- checked with the dot-product test ⟨u, J v⟩ == ⟨Jᵀu, v⟩ (jvp against vjp);
- checked under vmap against a Python loop over a batch of inputs, for the function
  and for its JVP; every declared primitive with a batching rule must be reached.

Zero-derivative entries are checked to have an exactly zero derivative in both
modes and an untraced output. A table entry of those kinds without a spec
fails :func:`test_every_table_entry_has_a_spec`, so docs/coverage.md's "tested"
column (``chainrule.coverage``) holds by construction.
"""

import warnings
import zlib

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp
import chainrule.scipy.special as csp
import chainrule.scipy.stats as cst
import chainrule.scipy.linalg as csl
import chainrule.scipy.signal as csig
import chainrule.scipy.integrate as cint
import chainrule.scipy.fft as csfft
import chainrule.scipy.ndimage as cndi
import chainrule.scipy.interpolate as cinterp
import chainrule.scipy.optimize as copt
import chainrule.scipy.spatial.distance as cdis
import chainrule.scipy.sparse as csparse
import chainrule.scipy.sparse.linalg as cspl
import chainrule.numpy.polynomial as cpoly
import chainrule.scipy.fftpack as cfp
import chainrule.scipy.spatial.transform as ctr
import scipy.sparse as sps
from chainrule import coverage
from chainrule.core import registry
from chainrule.core.primitive import Tracer

N, LA, SP = "chainrule.numpy.", "chainrule.numpy.linalg.", "chainrule.scipy.special."
FT = "chainrule.numpy.fft."
ST = "chainrule.scipy.stats."
SL, SG, IN = "chainrule.scipy.linalg.", "chainrule.scipy.signal.", "chainrule.scipy.integrate."
SFT = "chainrule.scipy.fft."
ND, IP = "chainrule.scipy.ndimage.", "chainrule.scipy.interpolate."
OP = "chainrule.scipy.optimize."
SD = "chainrule.scipy.spatial.distance."
SPS, SPL = "chainrule.scipy.sparse.", "chainrule.scipy.sparse.linalg."
PL = "chainrule.numpy.polynomial."
FP = "chainrule.scipy.fftpack."
TR = "chainrule.scipy.spatial.transform."


# ---- input makers: rng -> value ---------------------------------------------------------
def _out(shape, a):
    return float(a) if shape == () else a


def normal(*shape, scale=1.0):
    return lambda rng: _out(shape, scale * rng.standard_normal(shape))


def unif(lo, hi, *shape):
    return lambda rng: _out(shape, rng.uniform(lo, hi, shape))


def nonzero(lo, hi, *shape):
    """|x| in [lo, hi] with a random sign: away from a kink or pole at 0."""
    return lambda rng: _out(shape, rng.uniform(lo, hi, shape) * rng.choice([-1.0, 1.0], shape))


def separated(*shape):
    """Distinct values at least 0.1 apart (no ties for max/min/sort)."""
    def make(rng):
        n = int(np.prod(shape))
        return _out(shape, (rng.permutation(n) * 0.37 + rng.uniform(0, 0.1, n) - n / 5.0)
                    .reshape(shape))
    return make


def wellcond(*shape):
    """Square matrices (or stacks) close to 3·I: invertible, well conditioned."""
    def make(rng):
        n = shape[-1]
        return 3.0 * np.eye(n) + 0.5 * rng.standard_normal(shape)
    return make


def spd(*shape):
    """(Stacks of) symmetric positive-definite matrices A Aᵀ/n + n·I (distinct eigenvalues)."""
    def make(rng):
        n = shape[-1]
        a = rng.standard_normal(shape)
        return a @ np.swapaxes(a, -1, -2) + n * np.eye(n)
    return make


def sym(a):
    """Symmetrise (the Hermitian part 0.5·(a + aᴴ) of a complex a): numpy's cholesky and eigh
    read only the lower triangle."""
    return 0.5 * (a + cnp.conj(cnp.swapaxes(a, -1, -2)))


class Case:
    def __init__(self, label, fn, *makers):
        self.label, self.fn, self.makers = label, fn, makers

    def args(self, name):
        rng = np.random.default_rng(zlib.crc32(f"{name}/{self.label}".encode()))
        return tuple(m(rng) for m in self.makers)


SHAPES1 = [(), (3,), (2, 3)]
PAIRS = [((), ()), ((3,), (3,)), ((2, 3), (3,)), ((2, 1), (1, 3)), ((), (2, 3))]


def unary(fn, maker):
    return [Case(f"shape{s}", fn, maker(*s)) for s in SHAPES1]


def binary(fn, mx, my=None):
    my = my or mx
    return [Case(f"shapes{a}{b}", fn, mx(*a), my(*b)) for a, b in PAIRS]


def pos(lo, hi):
    return lambda *s: unif(lo, hi, *s)


def nz(lo, hi):
    return lambda *s: nonzero(lo, hi, *s)


SPECS = {}


def spec(name, *cases):
    assert name not in SPECS, name
    SPECS[name] = list(cases)


# ---- elementwise: generated from each declaration's family and domain -------------------------
def _maker(domain):
    if domain is None:
        return normal
    if isinstance(domain, registry.Interval):
        return pos(domain.lo, domain.hi)
    if isinstance(domain, registry.NonZero):
        return nz(domain.lo, domain.hi)
    raise TypeError(f"unknown test domain {domain!r}")


def _generated_specs():
    for module in registry.NAMESPACES:
        for name, e in registry.entries(module).items():
            if e.kind != registry.PRIMITIVE or e.family not in ("unary", "binary"):
                continue
            if e.family == "unary":
                spec(f"{module}.{name}", *unary(e.obj, _maker(e.domain)))
            else:
                dx, dy = e.domain if isinstance(e.domain, tuple) and not hasattr(
                    e.domain, "lo") else (e.domain, e.domain)
                spec(f"{module}.{name}", *binary(e.obj, _maker(dx), _maker(dy)))


_generated_specs()
SPECS[N + "power"] += [
    Case("integer-exponent-negative-base", lambda x: cnp.power(x, 3.0), normal(3)),
    Case("constant-base", lambda y: cnp.power(2.0, y), normal(3))]
for _n in ("maximum", "minimum", "fmax", "fmin"):
    SPECS[N + _n].append(
        Case("vs-constant", lambda x, f=getattr(cnp, _n): f(x, 0.0), nonzero(0.2, 2.0, 4)))
SPECS[N + "sinc"].append(Case("at-zero", lambda x: cnp.sinc(x * 0.0 + 0.0) + cnp.sinc(x),
                              unif(0.2, 0.5, 2)))

spec(N + "clip",
     Case("constant-bounds", lambda x: cnp.clip(x, -0.5, 0.5), nonzero(0.1, 1.0, 2, 3)),
     Case("lower-only", lambda x: cnp.clip(x, 0.0, None), nonzero(0.1, 1.0, 4)),
     Case("traced-bounds", lambda x, lo, hi: cnp.clip(x, lo, hi),
          lambda rng: np.array([-2.0, -0.3, 0.2, 0.4, 3.0]), unif(-1.0, -0.5), unif(0.5, 1.0)))
_COND = np.array([[True, False, True], [False, False, True]])
spec(N + "where",
     Case("same-shape", lambda x, y: cnp.where(_COND, x, y), normal(2, 3), normal(2, 3)),
     Case("broadcast", lambda x, y: cnp.where(_COND, x, y), normal(3), normal()),
     Case("constant-branch", lambda x: cnp.where(_COND, x, 0.0), normal(2, 3)))

# ---- reductions -------------------------------------------------------------------------------
spec(N + "sum",
     Case("all", cnp.sum, normal(2, 3)),
     Case("axis0", lambda x: cnp.sum(x, axis=0), normal(2, 3)),
     Case("axis-1-keepdims", lambda x: cnp.sum(x, axis=-1, keepdims=True), normal(2, 3)),
     Case("axes-tuple", lambda x: cnp.sum(x, axis=(0, 2)), normal(2, 3, 2)),
     Case("scalar", cnp.sum, normal()))
spec(N + "cumsum",
     Case("flat", cnp.cumsum, normal(2, 3)),
     Case("axis1", lambda x: cnp.cumsum(x, axis=1), normal(2, 3)),
     Case("axis0", lambda x: cnp.cumsum(x, axis=0), normal(3, 2)))
for _n in ("max", "min", "amax", "amin"):
    _f = getattr(cnp, _n)
    spec(N + _n,
         Case("all", _f, separated(2, 3)),
         Case("axis1", lambda x, f=_f: f(x, axis=1), separated(2, 3)),
         Case("axis0-keepdims", lambda x, f=_f: f(x, axis=0, keepdims=True), separated(2, 3)),
         Case("vector", _f, separated(4)))
spec(N + "mean",
     Case("all", cnp.mean, normal(2, 3)),
     Case("axis0", lambda x: cnp.mean(x, axis=0), normal(2, 3)),
     Case("keepdims", lambda x: cnp.mean(x, axis=1, keepdims=True), normal(2, 3)))
spec(N + "var",
     Case("all", cnp.var, normal(2, 3)),
     Case("axis1-ddof1", lambda x: cnp.var(x, axis=1, ddof=1), normal(2, 3)))
spec(N + "std",
     Case("all", cnp.std, normal(2, 3)),
     Case("axis0-keepdims", lambda x: cnp.std(x, axis=0, keepdims=True), normal(3, 2)))
spec(N + "prod",
     Case("all", cnp.prod, nonzero(0.5, 1.5, 2, 3)),
     Case("axis1", lambda x: cnp.prod(x, axis=1), nonzero(0.5, 1.5, 2, 3)),
     Case("axis0-keepdims", lambda x: cnp.prod(x, axis=0, keepdims=True), nonzero(0.5, 1.5, 3, 2)),
     Case("vector", cnp.prod, nonzero(0.5, 1.5, 4)))
spec(N + "cumprod",
     Case("flat", cnp.cumprod, nonzero(0.5, 1.5, 2, 3)),
     Case("axis1", lambda x: cnp.cumprod(x, axis=1), nonzero(0.5, 1.5, 2, 3)),
     Case("vector", cnp.cumprod, nonzero(0.5, 1.5, 4)))

# ---- shapes and indexing ------------------------------------------------------------------------
spec(N + "ravel", Case("matrix", cnp.ravel, normal(2, 3)), Case("scalar", cnp.ravel, normal()))
spec(N + "expand_dims", Case("axis1", lambda x: cnp.expand_dims(x, 1), normal(2, 3)),
     Case("axis-neg", lambda x: cnp.expand_dims(x, -1), normal(3)))
spec(N + "squeeze", Case("axis", lambda x: cnp.squeeze(x, axis=1), normal(2, 1, 3)),
     Case("all", cnp.squeeze, normal(1, 3, 1)))
spec(N + "swapaxes", Case("3d", lambda x: cnp.swapaxes(x, 0, 2), normal(2, 3, 2)))
spec(N + "moveaxis", Case("3d", lambda x: cnp.moveaxis(x, 0, -1), normal(2, 3, 2)))
spec(N + "transpose", Case("default", cnp.transpose, normal(2, 3)),
     Case("axes", lambda x: cnp.transpose(x, (1, 0, 2)), normal(2, 3, 2)))
spec(N + "reshape", Case("shape", lambda x: cnp.reshape(x, (3, 2)), normal(2, 3)),
     Case("minus-one", lambda x: cnp.reshape(x, (-1,)), normal(2, 3)),
     Case("int", lambda x: cnp.reshape(x, 6), normal(2, 3)))
spec(N + "atleast_1d", Case("scalar", cnp.atleast_1d, normal()),
     Case("vector", cnp.atleast_1d, normal(3)))
spec(N + "atleast_2d", Case("scalar", cnp.atleast_2d, normal()),
     Case("vector", cnp.atleast_2d, normal(3)))
spec(N + "concatenate",
     Case("axis0", lambda x, y: cnp.concatenate([x, y]), normal(2, 3), normal(1, 3)),
     Case("axis1", lambda x, y: cnp.concatenate([x, y], axis=1), normal(2, 3), normal(2, 1)),
     Case("axis-none", lambda x, y: cnp.concatenate([x, y], axis=None), normal(2, 3), normal(3)),
     Case("with-constant", lambda x: cnp.concatenate([x, np.ones(2)]), normal(3)))
spec(N + "stack", Case("axis0", lambda x, y: cnp.stack([x, y]), normal(3), normal(3)),
     Case("axis-1", lambda x, y: cnp.stack([x, y], axis=-1), normal(2, 3), normal(2, 3)))
spec(N + "hstack", Case("vectors", lambda x, y: cnp.hstack([x, y]), normal(2), normal(3)),
     Case("matrices", lambda x, y: cnp.hstack([x, y]), normal(2, 1), normal(2, 3)))
spec(N + "vstack", Case("vectors", lambda x, y: cnp.vstack([x, y]), normal(3), normal(3)),
     Case("matrices", lambda x, y: cnp.vstack([x, y]), normal(1, 3), normal(2, 3)))
spec(N + "split",
     Case("sections", lambda x: cnp.split(x, 2, axis=1), normal(2, 4)),
     Case("indices", lambda x: cnp.split(x, [1, 3]), normal(5)))
spec(N + "flip", Case("all", cnp.flip, normal(2, 3)),
     Case("axis1", lambda x: cnp.flip(x, axis=1), normal(2, 3)))
spec(N + "roll", Case("flat", lambda x: cnp.roll(x, 2), normal(2, 3)),
     Case("axis", lambda x: cnp.roll(x, -1, axis=1), normal(2, 3)),
     Case("tuple", lambda x: cnp.roll(x, (1, 2), axis=(0, 1)), normal(2, 3)))
spec(N + "tile", Case("int", lambda x: cnp.tile(x, 2), normal(3)),
     Case("tuple", lambda x: cnp.tile(x, (2, 1)), normal(2, 3)),
     Case("more-reps-than-dims", lambda x: cnp.tile(x, (2, 1, 2)), normal(2, 3)))
spec(N + "repeat", Case("flat", lambda x: cnp.repeat(x, 2), normal(2, 3)),
     Case("axis0", lambda x: cnp.repeat(x, 3, axis=0), normal(2, 3)),
     Case("counts", lambda x: cnp.repeat(x, [1, 0, 2], axis=1), normal(2, 3)))
spec(N + "broadcast_to", Case("vector", lambda x: cnp.broadcast_to(x, (2, 3)), normal(3)),
     Case("column", lambda x: cnp.broadcast_to(x, (2, 2, 3)), normal(2, 1)),
     Case("scalar", lambda x: cnp.broadcast_to(x, 4), normal()))
spec(N + "pad", Case("2d", lambda x: cnp.pad(x, ((1, 0), (0, 2))), normal(2, 3)),
     Case("int", lambda x: cnp.pad(x, 1), normal(3)),
     Case("constant-value", lambda x: cnp.pad(x, 1, constant_values=2.0), normal(3)),
     # the other modes, axis by axis on the array padded so far, as NumPy pads
     Case("edge", lambda x: cnp.pad(x, ((1, 2), (2, 0)), mode="edge"), normal(2, 3)),
     Case("reflect-wide", lambda x: cnp.pad(x, ((3, 1), (1, 4)), mode="reflect"), normal(2, 3)),
     Case("symmetric", lambda x: cnp.pad(x, 2, mode="symmetric"), normal(3, 2)),
     Case("wrap", lambda x: cnp.pad(x, ((0, 2), (5, 1)), mode="wrap"), normal(2, 3)),
     Case("linear-ramp", lambda x, e: cnp.pad(x, ((1, 2), (2, 1)), mode="linear_ramp",
                                              end_values=e), normal(2, 3), normal()),
     Case("mean", lambda x: cnp.pad(x, ((1, 1), (2, 1)), mode="mean", stat_length=2),
          normal(3, 3)),
     Case("maximum", lambda x: cnp.pad(x, 2, mode="maximum"), separated(2, 3)),
     Case("minimum", lambda x: cnp.pad(x, ((0, 1), (1, 0)), mode="minimum",
                                       stat_length=((1, 2), (3, 3))), separated(3, 3)),
     Case("median", lambda x: cnp.pad(x, (1, 2), mode="median"), separated(3)))
for _n in ("triu", "tril"):
    _f = getattr(cnp, _n)
    spec(N + _n, Case("k0", _f, normal(3, 3)),
         Case("k1", lambda x, f=_f: f(x, k=1), normal(3, 4)),
         Case("k-1-stack", lambda x, f=_f: f(x, k=-1), normal(2, 3, 3)))
spec(N + "take_along_axis",
     Case("axis1", lambda x: cnp.take_along_axis(x, np.array([[2, 0], [1, 1]]), axis=1), normal(2, 3)),
     Case("axis0", lambda x: cnp.take_along_axis(x, np.array([[1, 0, 1]]), axis=0), normal(2, 3)))
spec(N + "take",
     Case("flat-repeated", lambda x: cnp.take(x, [0, 4, 4, 1]), normal(2, 3)),
     Case("axis1", lambda x: cnp.take(x, np.array([2, 0, 2]), axis=1), normal(2, 3)))
# unique's values are elements of x (sort's derivative); its indices and counts are integers
spec(N + "unique", Case("flat", cnp.unique, separated(2, 3)),
     Case("axis0", lambda x: cnp.unique(x, axis=0), separated(3, 2)),
     Case("with-counts", lambda x: cnp.unique(x, return_index=True, return_counts=True)[0],
          separated(2, 3)))
spec(N + "sort", Case("last-axis", cnp.sort, separated(2, 3)),
     Case("axis0", lambda x: cnp.sort(x, axis=0), separated(3, 2)),
     Case("flat", lambda x: cnp.sort(x, axis=None), separated(2, 3)))
spec(N + "at",
     Case("set-scalar", lambda x, v: cnp.at(x)[1].set(v), normal(4), normal()),
     Case("add-repeated", lambda x, v: cnp.at(x)[np.array([0, 2, 0])].add(v), normal(4), normal(3)),
     Case("set-slice", lambda x, v: cnp.at(x)[:, 1:].set(v), normal(2, 3), normal(2, 2)),
     Case("add-broadcast", lambda x, v: cnp.at(x)[0].add(v), normal(2, 3), normal()),
     Case("set-mask", lambda x, v: cnp.at(x)[np.array([True, False, True])].set(v), normal(3), normal()),
     Case("get", lambda x: cnp.at(x)[1:].get() * 2.0, normal(3)),
     Case("set-squared", lambda x, v: cnp.at(x)[-1].set(v * v), normal(3), normal()))

# ---- products ---------------------------------------------------------------------------------
spec(N + "matmul",
     Case("mm", cnp.matmul, normal(2, 3), normal(3, 2)),
     Case("vv", cnp.matmul, normal(3), normal(3)),
     Case("vm", cnp.matmul, normal(3), normal(3, 2)),
     Case("mv", cnp.matmul, normal(2, 3), normal(3)),
     Case("batch-broadcast", cnp.matmul, normal(2, 2, 3), normal(3, 2)),
     Case("batch-both", cnp.matmul, normal(2, 1, 2, 3), normal(3, 3, 2)),
     Case("v-batch", cnp.matmul, normal(3), normal(2, 3, 2)),
     Case("batch-v", cnp.matmul, normal(2, 2, 3), normal(3)),
     Case("operator", lambda a, b: a @ b, normal(2, 3), normal(3, 2)))
spec(N + "dot",
     Case("mm", cnp.dot, normal(2, 3), normal(3, 2)),
     Case("vv", cnp.dot, normal(3), normal(3)),
     Case("scalar", cnp.dot, normal(), normal(3)),
     Case("nd", cnp.dot, normal(2, 3), normal(2, 3, 2)))
spec(N + "vdot", Case("matrices", cnp.vdot, normal(2, 3), normal(2, 3)))
spec(N + "inner", Case("vv", cnp.inner, normal(3), normal(3)),
     Case("mm", cnp.inner, normal(2, 3), normal(4, 3)),
     Case("scalar", cnp.inner, normal(), normal(3)))
spec(N + "outer", Case("vv", cnp.outer, normal(3), normal(2)),
     Case("flattens", cnp.outer, normal(2, 2), normal(2)))
spec(N + "tensordot",
     Case("axes1", lambda a, b: cnp.tensordot(a, b, axes=1), normal(2, 3), normal(3, 2)),
     Case("axes-lists", lambda a, b: cnp.tensordot(a, b, axes=([1, 0], [0, 1])),
          normal(2, 3, 2), normal(3, 2, 2)),
     Case("default", cnp.tensordot, normal(2, 2, 3), normal(2, 3)))
spec(N + "einsum",
     Case("matmul", lambda a, b: cnp.einsum("ij,jk->ik", a, b), normal(2, 3), normal(3, 2)),
     Case("full-sum", lambda a: cnp.einsum("ij->", a), normal(2, 3)),
     Case("implicit-dot", lambda a, b: cnp.einsum("i,i", a, b), normal(3), normal(3)),
     Case("ellipsis", lambda a, b: cnp.einsum("...ij,...jk->...ik", a, b),
          normal(2, 2, 3), normal(2, 3, 2)),
     Case("permute", lambda a: cnp.einsum("ijk->kj", a), normal(2, 3, 2)),
     Case("three", lambda a, b, c: cnp.einsum("ij,jk,k->i", a, b, c),
          normal(2, 3), normal(3, 2), normal(2)),
     Case("outer-sum-out", lambda a, b: cnp.einsum("ij,k->jk", a, b), normal(2, 3), normal(2)))
spec(N + "diagonal", Case("square", cnp.diagonal, normal(3, 3)),
     Case("offset", lambda x: cnp.diagonal(x, offset=1), normal(3, 4)),
     Case("axes", lambda x: cnp.diagonal(x, axis1=1, axis2=2), normal(2, 3, 3)),
     Case("method", lambda x: x.diagonal(), normal(3, 3)))
spec(N + "trace", Case("square", cnp.trace, normal(3, 3)),
     Case("offset", lambda x: cnp.trace(x, offset=-1), normal(3, 3)))
spec(N + "diag", Case("embed", cnp.diag, normal(3)),
     Case("embed-k", lambda v: cnp.diag(v, k=1), normal(2)),
     Case("extract", cnp.diag, normal(3, 3)),
     Case("extract-k", lambda x: cnp.diag(x, k=-1), normal(3, 3)))
spec(N + "kron", Case("matrices", cnp.kron, normal(2, 2), normal(2, 3)),
     Case("vectors", cnp.kron, normal(2), normal(3)),
     Case("mixed", cnp.kron, normal(2), normal(2, 2)))

# ---- creation functions with differentiable inputs ----------------------------------------------
spec(N + "array", Case("scalars", lambda x, y: cnp.array([x, y, x * y]), normal(), normal()),
     Case("nested", lambda x, y: cnp.array([[x, y], [y, x]]), normal(), normal()),
     Case("vectors", lambda x, y: cnp.array([x, y]), normal(3), normal(3)),
     Case("traced", lambda x: cnp.array(x) * 2.0, normal(3)))
spec(N + "asarray", Case("traced", lambda x: cnp.asarray(x) * x, normal(3)),
     Case("list", lambda x, y: cnp.asarray([x, y]), normal(), normal()))
spec(N + "full", Case("traced-fill", lambda x: cnp.full((2, 3), x), normal()),
     Case("constant-fill", lambda x: x * cnp.full((3,), 2.0), normal(3)))
spec(N + "full_like", Case("traced-fill", lambda x, y: cnp.full_like(x, y) * x, normal(3), normal()))
spec(N + "astype", Case("to-float64", lambda x: cnp.astype(x, np.float64) * x, normal(2, 3)),
     Case("to-complex128", lambda x: cnp.astype(x, np.complex128) * x, normal(3)),
     Case("through-float32", lambda x: cnp.astype(cnp.astype(x, np.float32), np.float64) * 0.0 + x,
          normal(3)))
spec(N + "zeros_like", Case("constant", lambda x: cnp.sin(x) + cnp.zeros_like(x), normal(2, 3)))
spec(N + "ones_like", Case("constant", lambda x: cnp.sin(x) * cnp.ones_like(x), normal(2, 3)))

# ---- linalg ----------------------------------------------------------------------------------
spec(LA + "inv", Case("3x3", cnp.linalg.inv, wellcond(3, 3)),
     Case("stack", cnp.linalg.inv, wellcond(2, 2, 2)))
spec(LA + "det", Case("3x3", cnp.linalg.det, wellcond(3, 3)),
     Case("negative-det", lambda a: cnp.linalg.det(a * np.array([[-1.0], [1.0], [1.0]])),
          wellcond(3, 3)),
     Case("stack", cnp.linalg.det, wellcond(2, 2, 2)))
spec(LA + "slogdet", Case("tuple", cnp.linalg.slogdet, wellcond(3, 3)),
     Case("logabsdet-negative", lambda a: cnp.linalg.slogdet(-a)[1], wellcond(3, 3)),
     Case("stack", lambda a: cnp.linalg.slogdet(a)[1], wellcond(2, 3, 3)))
spec(LA + "solve", Case("vector", cnp.linalg.solve, wellcond(3, 3), normal(3)),
     Case("matrix", cnp.linalg.solve, wellcond(3, 3), normal(3, 2)),
     Case("stack", cnp.linalg.solve, wellcond(2, 3, 3), normal(2, 3, 1)),
     Case("stack-vector", cnp.linalg.solve, wellcond(2, 3, 3), normal(3)))
spec(LA + "cholesky", Case("3x3", lambda a: cnp.linalg.cholesky(sym(a)), spd(3, 3)),
     Case("stack", lambda a: cnp.linalg.cholesky(sym(a)), spd(2, 2, 2)))


def _eigh_fixed_sign(a):
    # Eigenvectors are defined up to sign: fix it so that the function is smooth.
    w, v = cnp.linalg.eigh(sym(a))
    return w, v * cnp.sign(v[..., :1, :])


def _eigh_phase_free(a):
    # Functions of a complex eigenvector that do not depend on its phase: |V|² and
    # V diag(w²) Vᴴ = A² (checks V and w together).
    w, v = cnp.linalg.eigh(sym(a))
    return cnp.abs(v) ** 2, (v * cnp.expand_dims(w, -2) ** 2) @ cnp.conj(cnp.swapaxes(v, -1, -2))


spec(LA + "eigh", Case("3x3", _eigh_fixed_sign, spd(3, 3)),
     Case("eigenvalues", lambda a: cnp.linalg.eigh(sym(a))[0], spd(3, 3)),
     Case("stack", _eigh_fixed_sign, spd(2, 2, 2)),
     Case("phase-free", _eigh_phase_free, spd(3, 3)),
     Case("phase-free-stack", _eigh_phase_free, spd(2, 2, 2)))


def _eig_scale_free(a):
    # An eigenvector is defined up to a complex scale: functions that do not depend on it,
    # V diag(w²) V⁻¹ = A² and |v_j|²/‖v_j‖² (checks V and w together).
    w, v = cnp.linalg.eig(a)
    p = cnp.abs(v) ** 2
    return (v * cnp.expand_dims(w, -2) ** 2) @ cnp.linalg.inv(v), p / cnp.sum(p, axis=-2,
                                                                             keepdims=True)


spec(LA + "eig", Case("eigenvalues", lambda a: cnp.linalg.eig(a)[0], normal(3, 3)),
     Case("scale-free", _eig_scale_free, normal(3, 3)),
     Case("scale-free-stack", _eig_scale_free, normal(2, 3, 3)),
     Case("triangular", lambda a: cnp.linalg.eig(cnp.triu(a))[0], separated(3, 3)))
spec(LA + "eigvals", Case("matrix", cnp.linalg.eigvals, normal(3, 3)),
     Case("stack", cnp.linalg.eigvals, normal(2, 2, 2)),
     Case("1x1", cnp.linalg.eigvals, normal(1, 1)))


spec(N + "r_", Case("mixed", lambda x, y: cnp.r_[x, 0.5, y, 0:2], normal(3), normal(2)),
     Case("axis-directive", lambda x, y: cnp.r_["1", x, y], normal(2, 2), normal(2, 3)),
     Case("ndmin-trans1d", lambda x: cnp.r_["0,2,0", x, 2.0 * x], normal(3)),
     Case("scalar-tracer", lambda x: cnp.r_[x, x ** 2], normal()),
     Case("list-entry-complex-step", lambda x, y: cnp.r_[x, [y, 1.0], 0:1:3j], normal(3), normal()),
     Case("2d-columns-directive", lambda x, y: cnp.r_["1,2,0", x, y, 3:0:-1], normal(3), normal(3)),
     Case("row-matrix", lambda x, y: cnp.r_["r", x, 2.0, y], normal(3), normal(2)),
     Case("column-matrix", lambda x, y: cnp.r_["c", x, y], normal(3), normal(2)),
     Case("bmat-string", lambda x, y: cnp.r_["x, y; y x"], normal(2, 2), normal(2, 2)))
spec(N + "c_", Case("columns", lambda x, y: cnp.c_[x, y, 1.0 - y], normal(3), normal(3)),
     Case("matrix-and-vector", lambda a, x: cnp.c_[a, x], normal(3, 2), normal(3)),
     Case("scalars-and-slice", lambda x, y: cnp.c_[x, y, 1:2], normal(), normal(1)),
     Case("matrix-directive", lambda x, y: cnp.c_["c", x, y], normal(3), normal(3)))


spec(LA + "norm", Case("vector-2", cnp.linalg.norm, normal(3)),
     Case("frobenius", cnp.linalg.norm, normal(2, 3)),
     Case("vector-1", lambda x: cnp.linalg.norm(x, 1), nonzero(0.2, 1.0, 3)),
     Case("vector-inf", lambda x: cnp.linalg.norm(x, np.inf), separated(4)),
     Case("vector-neg-inf", lambda x: cnp.linalg.norm(x, -np.inf), nonzero(0.2, 2.0, 4)),
     Case("vector-3", lambda x: cnp.linalg.norm(x, 3), nonzero(0.2, 1.0, 3)),
     Case("matrix-1", lambda x: cnp.linalg.norm(x, 1), separated(3, 3)),
     Case("matrix-inf", lambda x: cnp.linalg.norm(x, np.inf), separated(3, 3)),
     Case("axis", lambda x: cnp.linalg.norm(x, axis=1), normal(2, 3)),
     Case("axis-keepdims", lambda x: cnp.linalg.norm(x, 2, axis=0, keepdims=True), normal(2, 3)))
spec(LA + "matrix_power", Case("n3", lambda a: cnp.linalg.matrix_power(a, 3), normal(3, 3, scale=0.5)),
     Case("n-2", lambda a: cnp.linalg.matrix_power(a, -2), wellcond(3, 3)),
     Case("n1", lambda a: cnp.linalg.matrix_power(a, 1), normal(2, 2)),
     Case("n0", lambda a: a * cnp.linalg.matrix_power(a, 0), normal(2, 2)))

# ---- fft ------------------------------------------------------------------------------------------
for _n in ("fft", "ifft"):
    _f = getattr(cnp.fft, _n)
    spec(FT + _n, Case("vector", _f, normal(5)),
         Case("pad-n", lambda x, f=_f: f(x, n=6), normal(4)),
         Case("crop-n-axis0-ortho", lambda x, f=_f: f(x, n=2, axis=0, norm="ortho"), normal(3, 2)),
         Case("forward-norm", lambda x, f=_f: f(x, norm="forward"), normal(2, 4)))
for _n in ("fft2", "ifft2", "fftn", "ifftn"):
    _f = getattr(cnp.fft, _n)
    spec(FT + _n, Case("matrix", _f, normal(3, 4)),
         Case("s-ortho", lambda x, f=_f: f(x, s=(2, 5), norm="ortho"), normal(2, 3, 3)),
         Case("axes", lambda x, f=_f: f(x, axes=(0, 2)), normal(2, 2, 3)))
spec(FT + "rfft", Case("odd", cnp.fft.rfft, normal(5)), Case("even", cnp.fft.rfft, normal(2, 4)),
     Case("n-axis0-ortho", lambda x: cnp.fft.rfft(x, n=4, axis=0, norm="ortho"), normal(3, 2)),
     Case("crop-forward", lambda x: cnp.fft.rfft(x, n=3, norm="forward"), normal(5)))
spec(FT + "hfft", Case("default-n", cnp.fft.hfft, normal(3)),
     Case("odd-n-ortho", lambda x: cnp.fft.hfft(x, n=5, norm="ortho"), normal(2, 3)),
     Case("forward-axis0", lambda x: cnp.fft.hfft(x, n=4, axis=0, norm="forward"), normal(3, 2)))
spec(FT + "ihfft", Case("even", cnp.fft.ihfft, normal(4)),
     Case("odd-n-ortho", lambda x: cnp.fft.ihfft(x, n=5, norm="ortho"), normal(2, 5)),
     Case("forward-axis0", lambda x: cnp.fft.ihfft(x, axis=0, norm="forward"), normal(4, 2)))
spec(FT + "irfft", Case("default-n", cnp.fft.irfft, normal(4)),
     Case("odd-n", lambda x: cnp.fft.irfft(x, n=5), normal(2, 3)),
     Case("even-n-crop-ortho", lambda x: cnp.fft.irfft(x, n=4, norm="ortho"), normal(4)),
     Case("pad-axis0-forward", lambda x: cnp.fft.irfft(x, n=7, axis=0, norm="forward"),
          normal(3, 2)))
for _n in ("rfft2", "rfftn"):
    _f = getattr(cnp.fft, _n)
    spec(FT + _n, Case("matrix", _f, normal(3, 4)),
         Case("s-ortho", lambda x, f=_f: f(x, s=(2, 5), norm="ortho"), normal(2, 3, 3)))
for _n in ("irfft2", "irfftn"):
    _f = getattr(cnp.fft, _n)
    spec(FT + _n, Case("matrix", _f, normal(3, 3)),
         Case("s-odd-ortho", lambda x, f=_f: f(x, s=(2, 5), norm="ortho"), normal(2, 3, 3)))
for _n in ("fftshift", "ifftshift"):
    _f = getattr(cnp.fft, _n)
    spec(FT + _n, Case("all", _f, normal(3, 4)),
         Case("axis", lambda x, f=_f: f(x, axes=1), normal(3, 5)))

# ---- scipy.fft: SciPy's keywords over numpy.fft, and the DCT/DST (composites over the FFT) ----------
for _n in ("fft", "ifft", "rfft", "irfft", "hfft", "ihfft"):
    spec(SFT + _n, Case("n-ortho-workers", lambda x, f=getattr(csfft, _n): f(
        x, 6, norm="ortho", workers=2, overwrite_x=True), normal(2, 4)))
for _n in ("fft2", "ifft2", "fftn", "ifftn", "rfft2", "rfftn", "irfft2", "irfftn", "hfftn",
           "hfft2", "ihfftn", "ihfft2"):
    spec(SFT + _n, Case("s-forward", lambda x, f=getattr(csfft, _n): f(
        x, s=(3, 4), norm="forward", workers=-1), normal(2, 3, 3)),
         Case("default", lambda x, f=getattr(csfft, _n): f(x), normal(3, 4)))
for _n in ("fftshift", "ifftshift"):
    spec(SFT + _n, Case("axes", lambda x, f=getattr(csfft, _n): f(x, axes=0), normal(3, 2)))
for _n in ("dct", "idct", "dst", "idst"):
    _f = getattr(csfft, _n)
    spec(SFT + _n, Case("type1", lambda x, f=_f: f(x, 1), normal(5)),
         Case("type2-ortho", lambda x, f=_f: f(x, norm="ortho"), normal(2, 4)),
         Case("type3-forward-n", lambda x, f=_f: f(x, 3, n=5, norm="forward"), normal(4)),
         Case("type4-axis0", lambda x, f=_f: f(x, 4, axis=0), normal(3, 2)),
         Case("type2-orthogonalize", lambda x, f=_f: f(x, 2, orthogonalize=True), normal(3)))
for _n in ("dctn", "idctn", "dstn", "idstn"):
    _f = getattr(csfft, _n)
    spec(SFT + _n, Case("type2", _f, normal(3, 4)),
         Case("type1-s-ortho", lambda x, f=_f: f(x, 1, s=(3, 5), axes=(0, 2), norm="ortho"),
              normal(2, 2, 4)),
         Case("type3-axes", lambda x, f=_f: f(x, 3, axes=-1), normal(2, 3)))

def _svd_fixed_sign(a):
    # Singular vectors are defined up to a joint sign: fix it so that the function is smooth.
    u, s, vt = cnp.linalg.svd(a, full_matrices=False)
    sg = cnp.sign(u[..., :1, :])
    return u * sg, s, vt * cnp.swapaxes(sg, -1, -2)


def _svd_phase_free(a):
    # Functions of complex singular vectors that do not depend on the free joint phase of each
    # pair (u_i, v_i): |U|², |Vh|², U diag(s²) Vh and U diag(s) Uᴴ.
    u, s, vt = cnp.linalg.svd(a, full_matrices=False)
    row = cnp.expand_dims(s, -2)
    return (cnp.abs(u) ** 2, s, cnp.abs(vt) ** 2, (u * row ** 2) @ vt,
            (u * row) @ cnp.conj(cnp.swapaxes(u, -1, -2)))


def _svd_full_invariant(a):
    # full_matrices=True on a non-square matrix: the complement columns of U (rows of Vh) are
    # unique only up to a rotation within the complement; these functions do not depend on it.
    u, s, vt = cnp.linalg.svd(a)
    k = min(a.shape[-2:])
    u2, vt2 = u[..., :, k:], vt[..., k:, :]
    rec = (u[..., :, :k] * cnp.expand_dims(s, -2)) @ vt[..., :k, :]
    return (s, rec, cnp.sum(cnp.abs(u) ** 2, axis=-1), cnp.sum(cnp.abs(vt) ** 2, axis=-2),
            cnp.abs(u[..., :, :k]) ** 2, u2 @ cnp.conj(cnp.swapaxes(u2, -1, -2)),
            cnp.conj(cnp.swapaxes(vt2, -1, -2)) @ vt2)


spec(LA + "svd", Case("square", _svd_fixed_sign, normal(3, 3)),
     Case("full-tall", _svd_full_invariant, normal(4, 2)),
     Case("full-wide", _svd_full_invariant, normal(2, 4)),
     Case("full-stack", _svd_full_invariant, normal(2, 3, 2)),
     Case("phase-free-square", _svd_phase_free, normal(3, 3)),
     Case("phase-free-tall", _svd_phase_free, normal(4, 2)),
     Case("phase-free-wide", _svd_phase_free, normal(2, 4)),
     Case("phase-free-stack", _svd_phase_free, normal(2, 3, 2)),
     Case("tall", _svd_fixed_sign, normal(4, 2)),
     Case("wide", _svd_fixed_sign, normal(2, 4)),
     Case("stack", _svd_fixed_sign, normal(2, 3, 2)),
     Case("values", lambda a: cnp.linalg.svd(a, compute_uv=False), normal(3, 2)),
     Case("values-stack", lambda a: cnp.linalg.svd(a, compute_uv=False), normal(2, 2, 3)),
     Case("full-square", lambda a: cnp.linalg.svd(a)[1], normal(3, 3)))
spec(LA + "pinv", Case("tall", cnp.linalg.pinv, normal(4, 2)),
     Case("wide", cnp.linalg.pinv, normal(2, 3)),
     Case("square", cnp.linalg.pinv, wellcond(3, 3)),
     Case("stack", cnp.linalg.pinv, normal(2, 3, 2)))
spec(LA + "lstsq", Case("vector", lambda a, b: cnp.linalg.lstsq(a, b)[0], normal(4, 2), normal(4)),
     Case("matrix", lambda a, b: cnp.linalg.lstsq(a, b)[0], normal(3, 3), normal(3, 2)),
     Case("residuals", lambda a, b: cnp.linalg.lstsq(a, b)[1], normal(4, 2), normal(4, 2)),
     Case("underdetermined", lambda a, b: cnp.linalg.lstsq(a, b)[0], normal(2, 3), normal(2)))


def _qr_pair(a):
    q, r = cnp.linalg.qr(a)
    return q, r


def _qr_complete_invariant(a):
    # mode='complete' on a tall matrix: Q's complement columns are unique only up to a rotation
    # within the complement; Q₂ Q₂ᴴ and |Q|² summed over columns do not depend on it.
    q, r = cnp.linalg.qr(a, mode="complete")
    n = a.shape[-1]
    q2 = q[..., :, n:]
    return (q[..., :, :n], r, q2 @ cnp.conj(cnp.swapaxes(q2, -1, -2)),
            cnp.sum(cnp.abs(q) ** 2, axis=-1))


spec(LA + "qr", Case("square", _qr_pair, wellcond(3, 3)),
     Case("tall", _qr_pair, normal(4, 2)),
     Case("wide", _qr_pair, normal(2, 4)),
     Case("wide-stack", _qr_pair, normal(2, 2, 3)),
     Case("r-wide", lambda a: cnp.linalg.qr(a, mode="r"), normal(2, 3)),
     Case("complete-tall", _qr_complete_invariant, normal(4, 2)),
     Case("complete-stack", _qr_complete_invariant, normal(2, 3, 2)),
     Case("complete-square", lambda a: cnp.linalg.qr(a, mode="complete"), wellcond(3, 3)),
     Case("stack", _qr_pair, normal(2, 3, 2)),
     Case("r-only", lambda a: cnp.linalg.qr(a, mode="r"), normal(3, 2)))
SPECS[LA + "norm"] += [
    Case("matrix-2", lambda x: cnp.linalg.norm(x, 2), normal(3, 2)),
    Case("matrix-neg2", lambda x: cnp.linalg.norm(x, -2), normal(2, 3)),
    Case("matrix-nuc", lambda x: cnp.linalg.norm(x, "nuc"), normal(3, 3)),
    Case("matrix-neg1", lambda x: cnp.linalg.norm(x, -1), separated(3, 3)),
    Case("matrix-neg-inf", lambda x: cnp.linalg.norm(x, -np.inf), separated(3, 3)),
    Case("stack-2-axes", lambda x: cnp.linalg.norm(x, 2, axis=(1, 2)), normal(2, 3, 2)),
    Case("nuc-axes-keepdims", lambda x: cnp.linalg.norm(x, "nuc", axis=(2, 0), keepdims=True),
         normal(2, 3, 2)),
    Case("vector-neg2", lambda x: cnp.linalg.norm(x, -2), nonzero(0.2, 1.0, 3)),
    Case("list", lambda x, y: cnp.linalg.norm([x, y]), normal(), normal())]
spec(LA + "cond", Case("default", cnp.linalg.cond, wellcond(3, 3)),
     Case("neg2", lambda a: cnp.linalg.cond(a, -2), normal(3, 2)),
     Case("fro", lambda a: cnp.linalg.cond(a, "fro"), wellcond(2, 2)),
     Case("one", lambda a: cnp.linalg.cond(a, 1), wellcond(2, 2)),
     Case("stack", cnp.linalg.cond, wellcond(2, 2, 2)))
spec(LA + "eigvalsh", Case("3x3", lambda a: cnp.linalg.eigvalsh(sym(a)), spd(3, 3)),
     Case("stack", lambda a: cnp.linalg.eigvalsh(sym(a)), spd(2, 2, 2)))
spec(LA + "multi_dot", Case("three", lambda a, b, c: cnp.linalg.multi_dot([a, b, c]),
                            normal(2, 3), normal(3, 3), normal(3, 2)),
     Case("vector-ends", lambda a, b, c: cnp.linalg.multi_dot([a, b, c]), normal(3), normal(3, 2),
          normal(2)))
spec(LA + "tensorsolve",
     Case("2x2", cnp.linalg.tensorsolve,
          lambda rng: (3.0 * np.eye(4) + 0.5 * rng.standard_normal((4, 4))).reshape(2, 2, 2, 2),
          normal(2, 2)),
     Case("axes", lambda a, b: cnp.linalg.tensorsolve(a, b, axes=(0,)),
          lambda rng: (3.0 * np.eye(4) + 0.5 * rng.standard_normal((4, 4))).reshape(4, 2, 2).transpose(1, 0, 2)
          .reshape(2, 4, 2).transpose(1, 0, 2).reshape(4, 2, 2), normal(2, 2)))

# ---- more of NumPy (primitives/more_numpy.py, numpy_extras.py, manipulation.py) ------------------
SPECS[N + "einsum"] += [
    Case("trace", lambda a: cnp.einsum("ii->", a), normal(3, 3)),
    Case("diagonal", lambda a: cnp.einsum("ii->i", a), normal(3, 3)),
    Case("repeated-with-free", lambda a: cnp.einsum("iij->j", a), normal(2, 2, 3)),
    Case("repeated-and-other", lambda a, b: cnp.einsum("ii,ij->j", a, b), normal(2, 2), normal(2, 3)),
    Case("sublist", lambda a, b: cnp.einsum(a, [0, 1], b, [1, 2]), normal(2, 3), normal(3, 2)),
    Case("sublist-out", lambda a, b, c: cnp.einsum(a, [0, 1], b, [1, 2], c, [2], [0]),
         normal(2, 3), normal(3, 2), normal(2)),
    Case("four-optimize", lambda a, b, c, d: cnp.einsum("ij,jk,kl,l->i", a, b, c, d,
                                                         optimize="greedy"),
         normal(2, 3), normal(3, 2), normal(2, 2), normal(2))]
SPECS[N + "clip"] += [
    Case("keywords", lambda x: cnp.clip(x, a_min=-0.5, a_max=0.5), nonzero(0.1, 1.0, 2, 3)),
    Case("min-max", lambda x: cnp.clip(x, min=0.0), nonzero(0.1, 1.0, 4))]
SPECS[N + "mean"].append(Case("list", lambda x, y: cnp.mean([x, y * y, 2.0]), normal(), normal()))
SPECS[N + "std"].append(Case("list", lambda x, y: cnp.std([x, y]), unif(0.0, 1.0), unif(2.0, 3.0)))
SPECS[N + "var"].append(Case("list", lambda x, y: cnp.var((x, y, 1.0)), normal(), normal()))
# NumPy's ufunc methods (primitives/ufunc_methods.py): NumPy's meaning where it is one of
# chainrule.numpy's functions, a fold of the ufunc otherwise; and NumPy's own ufuncs dispatching
# their methods to them.
SPECS[N + "subtract"] += [
    Case("outer", lambda x, y: cnp.subtract.outer(x, y), normal(3), normal(2, 2)),
    Case("outer-numpy", lambda x, y: np.subtract.outer(x, y), normal(2), normal(3))]
SPECS[N + "multiply"] += [
    Case("reduce-axis1", lambda x: cnp.multiply.reduce(x, axis=1), normal(2, 3)),
    Case("accumulate-numpy", lambda x: np.multiply.accumulate(x), normal(4))]
SPECS[N + "add"] += [
    Case("reduce-numpy-axes", lambda x: np.add.reduce(x, axis=(0, 1)), normal(2, 3)),
    Case("accumulate-axis1", lambda x: cnp.add.accumulate(x, axis=1), normal(2, 3))]
SPECS[N + "hypot"] += [
    Case("reduce", lambda x: cnp.hypot.reduce(x, axis=0), nonzero(0.5, 2.0, 3, 2)),
    Case("accumulate", lambda x: cnp.hypot.accumulate(x), nonzero(0.5, 2.0, 4)),
    Case("outer", lambda x, y: cnp.hypot.outer(x, y), nonzero(0.5, 2.0, 2), nonzero(0.5, 2.0, 3))]
SPECS[N + "maximum"] += [
    Case("accumulate", lambda x: cnp.maximum.accumulate(x), separated(5)),
    Case("reduce-numpy", lambda x: np.maximum.reduce(x, axis=1), separated(2, 3))]
SPECS[N + "logaddexp"] += [
    Case("accumulate-axis1", lambda x: cnp.logaddexp.accumulate(x, axis=1), normal(2, 3)),
    Case("reduce-all-keepdims", lambda x: cnp.logaddexp.reduce(x, axis=None, keepdims=True),
         normal(2, 3)),
    Case("reduce-initial", lambda x: cnp.logaddexp.reduce(x, initial=0.5), normal(3))]
SPECS[N + "arctan2"].append(
    Case("outer", lambda x, y: cnp.arctan2.outer(x, y), normal(2), nonzero(0.5, 2.0, 3)))
# array_like lists holding traced values, as NumPy takes them
SPECS[N + "diag"].append(Case("list", lambda x, y: cnp.diag([x, y * y, 1.0]), normal(), normal()))
SPECS[N + "sort"].append(Case("list", lambda x, y: cnp.sort([x, 2.0 * y, 0.5]), unif(-1.0, 0.0),
                              unif(0.6, 1.0)))
SPECS[N + "dot"].append(Case("list-times-scalar", lambda x: cnp.dot([0.5, 1.5, 2.5], x), normal()))
SPECS[N + "inner"].append(Case("scalar-times-list", lambda x: cnp.inner(x, [0.5, -1.5]), normal()))
SPECS[N + "atleast_2d"].append(Case("several", lambda x, y: cnp.atleast_2d(x, y)[0] * 2.0 +
                                    cnp.atleast_2d(x, y)[1], normal(), normal(1, 3)))
spec(N + "divmod", Case("pair", cnp.divmod, nonzero(2.2, 2.8, 3), nonzero(1.0, 1.05, 3)),
     Case("operator", lambda x, y: divmod(x, y)[1] + x % y, nonzero(2.2, 2.8, 3),
          nonzero(1.0, 1.05)))
spec(N + "radians", *unary(cnp.radians, normal))
spec(N + "diff", Case("vector", cnp.diff, normal(4)),
     Case("list", lambda x, y: cnp.diff([x, y * y, 1.0], 2), normal(), normal()),
     Case("n2-axis0", lambda x: cnp.diff(x, n=2, axis=0), normal(4, 3)),
     Case("prepend-append", lambda x: cnp.diff(x, prepend=0.0, append=x[..., :1]), normal(2, 3)))
spec(N + "ediff1d", Case("ends", lambda x: cnp.ediff1d(x, to_end=x[:1], to_begin=1.0), normal(2, 3)))
def _coords(n):
    """Increasing, unevenly spaced coordinates (steps in [0.3, 1])."""
    return lambda rng: np.cumsum(rng.uniform(0.3, 1.0, n))


spec(N + "gradient", Case("vector", cnp.gradient, normal(4)),
     Case("matrix-spacing", lambda x: cnp.gradient(x, 0.5)[1], normal(3, 4)),
     Case("edge-order-2", lambda x: cnp.gradient(x, axis=0, edge_order=2), normal(4, 2)),
     # Coordinate arrays (uneven spacing), differentiated in the values and the coordinates.
     Case("coordinates", lambda f, x: cnp.gradient(f, x, 0.5), normal(5, 3), _coords(5)),
     Case("coordinates-edge-2", lambda f, x, y: cnp.gradient(f, x, y, edge_order=2),
          normal(4, 3), _coords(4), _coords(3)),
     Case("axis-coordinates", lambda f, y: cnp.gradient(f, y, axis=1, edge_order=2),
          normal(2, 4), _coords(4)))
spec(N + "median", Case("odd", cnp.median, separated(5)),
     Case("even-axis", lambda x: cnp.median(x, axis=1), separated(3, 4)),
     Case("axes-keepdims", lambda x: cnp.median(x, axis=(0, 2), keepdims=True), separated(2, 2, 3)),
     Case("size1", cnp.median, normal(1)))
_QUANTILE_METHODS = ("inverted_cdf", "averaged_inverted_cdf", "closest_observation",
                     "interpolated_inverted_cdf", "hazen", "weibull", "linear", "median_unbiased",
                     "normal_unbiased", "lower", "higher", "midpoint", "nearest")
spec(N + "quantile", Case("scalar-q", lambda x: cnp.quantile(x, 0.3), separated(6)),
     Case("q-array-axis", lambda x: cnp.quantile(x, [0.1, 0.5, 0.9], axis=0), separated(4, 3)),
     # Every method NumPy has, at quantiles that land between and on order statistics.
     *[Case(m, lambda x, m=m: cnp.quantile(x, [0.0, 0.13, 0.5, 0.9, 1.0], axis=1, method=m),
            separated(2, 5)) for m in _QUANTILE_METHODS],
     Case("weights", lambda x: cnp.quantile(x, [0.2, 0.7], axis=0, method="inverted_cdf",
                                            weights=np.array([0.0, 1.0, 2.0, 0.5])),
          separated(4, 3)))
spec(N + "percentile", Case("axis", lambda x: cnp.percentile(x, [25, 75], axis=1, keepdims=True),
                            separated(2, 5)),
     Case("hazen-axes", lambda x: cnp.percentile(x, 40, axis=(0, 2), method="hazen"),
          separated(2, 2, 3)))
_QNANS = np.array([[1.0, 0.0, 1.0, 1.0, 1.0], [1.0, 1.0, 0.0, 0.0, 1.0]])


def _with_qnans(x):
    return cnp.where(_QNANS == 0.0, np.nan, x)


spec(N + "nanquantile",
     Case("linear", lambda x: cnp.nanquantile(_with_qnans(x), [0.2, 0.5, 1.0], axis=1),
          separated(2, 5)),
     Case("weibull-keepdims", lambda x: cnp.nanquantile(_with_qnans(x), 0.7, axis=1,
                                                        method="weibull", keepdims=True),
          separated(2, 5)),
     Case("nearest-all", lambda x: cnp.nanquantile(_with_qnans(x), 0.6, method="nearest"),
          separated(2, 5)),
     # Weights (method 'inverted_cdf'): the nan entries' weights are dropped with them; the
     # weights themselves, traced here, move no quantile (a zero derivative, as quantile's).
     Case("weights", lambda x, w: cnp.nanquantile(_with_qnans(x), [0.0, 0.3, 0.8, 1.0], axis=1,
                                                  method="inverted_cdf", weights=w),
          separated(2, 5), unif(0.5, 2.0, 2, 5)),
     Case("weights-1d-all", lambda x: cnp.nanquantile(
         _with_qnans(x)[0], 0.5, method="inverted_cdf", weights=np.array([2.0, 9.0, 0.0, 1.0, 1.0])),
          separated(2, 5)))
spec(N + "nanpercentile",
     Case("median-unbiased", lambda x: cnp.nanpercentile(_with_qnans(x), [10, 60], axis=1,
                                                         method="median_unbiased"),
          separated(2, 5)),
     Case("weights-axes", lambda x: cnp.nanpercentile(
         _with_qnans(x), 40, axis=(0, 1), method="inverted_cdf", weights=_QNANS + 0.5),
          separated(2, 5)))
_NANS = np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 1.0]])


def _with_nans(x):
    return cnp.where(_NANS == 0.0, np.nan, x)


for _n in ("nansum", "nanmean", "nanprod", "nanstd", "nanvar"):
    spec(N + _n, Case("all", lambda x, f=getattr(cnp, _n): f(_with_nans(x)), unif(0.5, 1.5, 2, 3)),
         Case("axis1", lambda x, f=getattr(cnp, _n): f(_with_nans(x), axis=1), unif(0.5, 1.5, 2, 3)))
for _n in ("nanmax", "nanmin"):
    spec(N + _n, Case("all", lambda x, f=getattr(cnp, _n): f(_with_nans(x)), separated(2, 3)),
         Case("axis0", lambda x, f=getattr(cnp, _n): f(_with_nans(x), axis=0), separated(2, 3)))
_SPECIAL = np.array([0, 1, 2, 3])


def _nonfinite(x):
    x = cnp.where(_SPECIAL == 1, np.nan, x)
    return cnp.where(_SPECIAL == 2, np.inf, cnp.where(_SPECIAL == 3, -np.inf, x))


spec(N + "nan_to_num", Case("mixed", lambda x: cnp.nan_to_num(_nonfinite(x), posinf=5.0),
                            unif(0.5, 1.5, 4)))
spec(N + "convolve", *[Case(m, lambda a, v, m=m: cnp.convolve(a, v, m), normal(5), normal(3))
                       for m in ("full", "same", "valid")],
     Case("longer-v", lambda a, v: cnp.convolve(a, v, "same"), normal(2), normal(4)))
spec(N + "correlate", *[Case(m, lambda a, v, m=m: cnp.correlate(a, v, m), normal(5), normal(3))
                        for m in ("full", "same", "valid")],
     Case("longer-v", lambda a, v: cnp.correlate(a, v, "full"), normal(2), normal(4)))
spec(N + "polyval", Case("vector-x", cnp.polyval, normal(3), normal(4)),
     Case("scalar", cnp.polyval, normal(4), normal()))
_XP = np.array([0.0, 1.0, 2.5, 4.0])
# real_if_close: on real input the identity; on the complex leg the noise keeps the
# imaginary part ('kept'), while 'dropped' makes it exactly zero, so the real part's
# derivative is the one checked.
spec(N + "real_if_close", Case("kept", cnp.real_if_close, normal(2, 3)),
     Case("dropped", lambda z: cnp.real_if_close(z - 1j * cnp.imag(z)) * 2.0, normal(3)),
     Case("tol", lambda z: cnp.real_if_close(z, tol=1e-3), normal(3)))
spec(N + "interp", Case("x-fp", lambda x, fp: cnp.interp(x, _XP, fp),
                        lambda rng: np.array([-0.5, 0.3, 1.7, 3.1, 4.5]), normal(4)),
     Case("xp", lambda x, xp: cnp.interp(x, xp, np.array([1.0, 3.0, 2.0])),
          lambda rng: np.array([0.4, 1.6]), lambda rng: np.array([0.0, 1.0, 2.0])),
     Case("left-right", lambda x: cnp.interp(x, _XP, np.array([1.0, 3.0, 2.0, 0.0]), left=-1.0,
                                             right=2.0), unif(-1.0, 5.0, 5)),
     # x real on both legs (NumPy rejects a complex x or xp), fp complex on the complex leg.
     Case("fp-only", lambda x, fp: cnp.interp(cnp.real(x), _XP, fp),
          lambda rng: np.array([-0.5, 0.3, 1.7, 3.1, 4.5]), normal(4)),
     # period: x and the (unsorted) knots wrapped modulo 360, as NumPy does.
     Case("period", lambda x, xp, fp: cnp.interp(cnp.real(x), cnp.real(xp), fp, period=360.0),
          lambda rng: np.array([-400.0, 15.0, 100.0, 250.0, 355.0]),
          lambda rng: np.array([190.0, -320.0, 10.0, 300.0, 90.0]), normal(5)),
     Case("traced-left-right", lambda fp, lo, hi: cnp.interp(np.array([-1.0, 0.5, 5.0]), _XP, fp,
                                                             left=lo, right=hi),
          normal(4), normal(), normal()))
for _n in ("trapezoid", "trapz"):
    spec(N + _n, Case("dx", lambda y, f=getattr(cnp, _n): f(y, dx=0.5), normal(2, 4)),
         Case("x", lambda y, x, f=getattr(cnp, _n): f(y, x, axis=0), normal(3, 2), normal(3)))
spec(N + "average", Case("weights", lambda a, w: cnp.average(a, axis=1, weights=w), normal(2, 3),
                         unif(0.5, 2.0, 3)),
     Case("returned", lambda a, w: cnp.average(a, weights=w, returned=True), normal(3), unif(0.5, 2.0, 3)),
     Case("plain", lambda a: cnp.average(a, axis=0), normal(2, 3)))
spec(N + "cov", Case("rows", cnp.cov, normal(2, 5)),
     Case("cols-bias", lambda m: cnp.cov(m, rowvar=False, bias=True), normal(5, 2)),
     Case("x-y", cnp.cov, normal(4), normal(4)),
     Case("aweights-traced", lambda m, a: cnp.cov(m, aweights=a * a + 0.5), normal(2, 5), normal(5)),
     Case("fweights-ddof0", lambda m: cnp.cov(m, fweights=np.array([1, 2, 1, 3]), ddof=0),
          normal(2, 4)))
spec(N + "corrcoef", Case("rows", cnp.corrcoef, normal(3, 6)),
     Case("x-y", cnp.corrcoef, normal(5), normal(5)))
spec(N + "linspace", Case("endpoints", lambda a, b: cnp.linspace(a, b, 5), normal(), normal()),
     Case("no-endpoint-retstep", lambda a, b: cnp.linspace(a, b, 4, endpoint=False, retstep=True),
          normal(), normal()),
     Case("arrays-axis", lambda a, b: cnp.linspace(a, b, 3, axis=1), normal(2), normal(2)))
spec(N + "logspace", Case("endpoints", lambda a, b: cnp.logspace(a, b, 4), unif(-1.0, 1.0),
                          unif(-1.0, 1.0)),
     Case("base", lambda a, base: cnp.logspace(a, 1.0, 3, base=base), normal(), unif(1.5, 3.0)))
spec(N + "geomspace", Case("positive", lambda a, b: cnp.geomspace(a, b, 4), unif(0.5, 2.0),
                           unif(3.0, 5.0)),
     Case("negative", lambda a, b: cnp.geomspace(-a, -b, 3), unif(0.5, 2.0), unif(3.0, 5.0)))
spec(N + "insert", Case("flat", lambda x, v: cnp.insert(x, [0, 2], v), normal(2, 2), normal(2)),
     Case("axis1-scalar", lambda x, v: cnp.insert(x, 1, v, axis=1), normal(2, 3), normal()),
     Case("axis1-broadcast", lambda x, v: cnp.insert(x, 2, v, axis=1), normal(3, 3), normal(3)))
spec(N + "delete", Case("flat", lambda x: cnp.delete(x, [0, 3]), normal(2, 3)),
     Case("axis", lambda x: cnp.delete(x, 1, axis=1), normal(2, 3)))
spec(N + "append", Case("flat", cnp.append, normal(2, 2), normal(3)),
     Case("axis0", lambda x, v: cnp.append(x, v, axis=0), normal(2, 3), normal(1, 3)))
_IDX = np.array([[0], [2]])
spec(N + "put_along_axis", Case("axis1", lambda x, v: cnp.put_along_axis(x, _IDX, v, axis=1),
                                normal(2, 3), normal(2, 1)),
     Case("repeated", lambda x, v: cnp.put_along_axis(x, np.array([1, 1]), v, axis=0),
          normal(3), normal(2)))
spec(N + "copy", Case("matrix", lambda x: cnp.copy(x) * x, normal(2, 3)))
spec(N + "empty_like", Case("shape", lambda x: x + cnp.empty_like(x), normal(2, 3)))
spec(N + "array_split", Case("uneven", lambda x: cnp.array_split(x, 3), normal(5)),
     Case("indices-axis", lambda x: cnp.array_split(x, [1, 3], axis=1), normal(2, 4)))
spec(N + "hsplit", Case("matrix", lambda x: cnp.hsplit(x, 2), normal(2, 4)))
spec(N + "vsplit", Case("matrix", lambda x: cnp.vsplit(x, [1]), normal(3, 2)))
spec(N + "dsplit", Case("3d", lambda x: cnp.dsplit(x, 2), normal(2, 1, 4)))
spec(N + "column_stack", Case("vectors", lambda a, b: cnp.column_stack([a, b]), normal(3), normal(3)),
     Case("mixed", lambda a, b: cnp.column_stack([a, b]), normal(3), normal(3, 2)))
spec(N + "row_stack", Case("vectors", lambda a, b: cnp.row_stack([a, b]), normal(3), normal(3)))
spec(N + "concat", Case("NumPy 2's name for concatenate", lambda a, b: cnp.concat([a, b], axis=1),
                        normal(2, 1), normal(2, 3)))
spec(N + "permute_dims", Case("NumPy 2's name for transpose",
                              lambda x: cnp.permute_dims(x, (2, 0, 1)), normal(2, 3, 4)))
spec(N + "dstack", Case("vectors", lambda a, b: cnp.dstack([a, b]), normal(3), normal(3)),
     Case("matrices", lambda a, b: cnp.dstack([a, b]), normal(2, 3), normal(2, 3)))
spec(N + "block",
     Case("two-by-two", lambda a, b, c: cnp.block([[a, b], [c, 2.0]]), normal(2, 2), normal(2, 1),
          normal(1, 2)),
     Case("row-of-vectors", lambda a, b: cnp.block([a, b, a]), normal(3), normal(2)),
     Case("nested-3d", lambda a: cnp.block([[[a]], [[a * a]]]), normal(1, 2)))
spec(N + "broadcast_arrays",
     Case("column-row", lambda a, b: cnp.broadcast_arrays(a, b), normal(2, 1), normal(3)),
     Case("scalar", lambda a, b: cnp.broadcast_arrays(a, b)[0], normal(), normal(2)))
spec(N + "meshgrid",
     Case("xy", lambda a, b: cnp.meshgrid(a, b), normal(3), normal(2)),
     Case("ij-3d", lambda a, b, c: cnp.meshgrid(a, b, c, indexing="ij"), normal(2), normal(3),
          normal(2)),
     Case("sparse", lambda a, b: cnp.meshgrid(a, b, sparse=True), normal(3), normal(2)))
spec(N + "ptp", Case("all", cnp.ptp, separated(2, 3)),
     Case("axis", lambda x: cnp.ptp(x, axis=1, keepdims=True), separated(3, 4)))
spec(N + "vander", Case("decreasing", cnp.vander, normal(3)),
     Case("increasing-wide", lambda x: cnp.vander(x, 5, increasing=True), normal(3)))
_STEPS = np.array([-1.0, 0.0, 2.0, 0.0])
spec(N + "heaviside", Case("at-zero", lambda h: cnp.heaviside(_STEPS, h), normal(4)),
     Case("x1", lambda x, h: cnp.heaviside(x, h), nonzero(0.5, 2.0, 3), normal()))
spec(N + "atleast_3d", Case("scalar", cnp.atleast_3d, normal()),
     Case("vector", cnp.atleast_3d, normal(3)), Case("matrix", cnp.atleast_3d, normal(2, 3)))
spec(N + "fliplr", Case("matrix", cnp.fliplr, normal(2, 3)))
spec(N + "flipud", Case("matrix", cnp.flipud, normal(2, 3)))
spec(N + "rot90", Case("k1", cnp.rot90, normal(2, 3)),
     Case("k2", lambda x: cnp.rot90(x, 2), normal(2, 3)),
     Case("k3-axes", lambda x: cnp.rot90(x, -1, axes=(2, 0)), normal(2, 3, 2)))
spec(N + "rollaxis", Case("to-front", lambda x: cnp.rollaxis(x, 2), normal(2, 3, 2)),
     Case("start", lambda x: cnp.rollaxis(x, 0, 2), normal(2, 3, 2)))
spec(N + "select", Case("two", lambda x, y: cnp.select([_COND, ~_COND & (_COND[::-1])], [x, y],
                                                       default=0.5), normal(2, 3), normal(2, 3)))
spec(N + "compress", Case("flat", lambda x: cnp.compress([True, False, True, True], x),
                          normal(2, 2)),
     Case("axis1-short", lambda x: cnp.compress([False, True], x, axis=1), normal(2, 3)))
spec(N + "choose", Case("broadcast", lambda x, y: cnp.choose(np.array([[0, 1, 1], [1, 0, 2]]),
                                                             [x, y, 0.5]), normal(2, 3), normal(3)),
     Case("wrap", lambda x, y: cnp.choose(np.array([3, -1]), [x, y], mode="wrap"),
          normal(2), normal(2)))
spec(N + "partition", Case("vector", lambda x: cnp.partition(x, 2), separated(5)),
     Case("axis0", lambda x: cnp.partition(x, 1, axis=0), separated(3, 2)))
spec(N + "cross", Case("3d", cnp.cross, normal(3), normal(3)),
     Case("batch", cnp.cross, normal(2, 3), normal(3)),
     Case("2d", cnp.cross, normal(2), normal(2)),
     Case("axis", lambda a, b: cnp.cross(a, b, axis=0), normal(3, 2), normal(3, 2)))

# ---- scipy.special ---------------------------------------------------------------------------------
spec(SP + "logsumexp", Case("all", csp.logsumexp, normal(2, 3)),
     Case("axis-keepdims", lambda x: csp.logsumexp(x, axis=1, keepdims=True), normal(2, 3)),
     Case("axis0", lambda x: csp.logsumexp(x, axis=0), normal(2, 3)),
     Case("weights", lambda x, b: csp.logsumexp(x, b=b), normal(3), unif(0.5, 2.0, 3)))
spec(SP + "digamma", *unary(csp.digamma, pos(0.5, 3.0)))
spec(SP + "polygamma", Case("n1", lambda x: csp.polygamma(1, x), unif(0.5, 3.0, 3)),
     Case("n2", lambda x: csp.polygamma(2, x), unif(0.5, 3.0, 2, 2)))
spec(SP + "softmax", Case("all", csp.softmax, normal(2, 3)),
     Case("axis", lambda x: csp.softmax(x, axis=-1), normal(2, 3)))
spec(SP + "log_softmax", Case("all", csp.log_softmax, normal(3)),
     Case("axis", lambda x: csp.log_softmax(x, axis=0), normal(2, 3)))
SPECS[SP + "logsumexp"] += [
    Case("signed-weights", lambda x, b: csp.logsumexp(x, b=b, return_sign=True)[0],
         normal(4), lambda rng: np.array([1.5, -0.5, 0.7, -0.2])),
    Case("zero-weight", lambda x, b: csp.logsumexp(x, axis=1, b=b),
         normal(2, 3), lambda rng: np.array([0.0, 1.0, 2.0])),
    Case("sign-keepdims", lambda x: csp.logsumexp(x, axis=0, keepdims=True, return_sign=True)[0],
         normal(3, 2))]
SPECS[SP + "xlogy"].append(Case("x-at-zero", lambda y: csp.xlogy(0.0 * y, y), unif(0.5, 2.0, 3)))
# Differentiable in x only: the parameters are constants of the case.
spec(SP + "betainc", Case("x", lambda x: csp.betainc(2.5, 1.5, x), unif(0.1, 0.9, 3)),
     Case("broadcast", lambda x: csp.betainc(np.array([[0.7], [3.0]]), 2.0, x), unif(0.1, 0.9, 3)))
spec(SP + "gammainc", Case("x", lambda x: csp.gammainc(1.7, x), unif(0.3, 3.0, 3)),
     Case("broadcast", lambda x: csp.gammainc(np.array([[0.6], [2.5]]), x), unif(0.3, 3.0, 3)))
spec(SP + "gammaincc", Case("x", lambda x: csp.gammaincc(1.7, x), unif(0.3, 3.0, 2, 2)))
for _n in ("gammaincinv", "gammainccinv"):
    spec(SP + _n, Case("y", lambda y, f=getattr(csp, _n): f(1.7, y), unif(0.1, 0.9, 3)),
         Case("broadcast", lambda y, f=getattr(csp, _n): f(np.array([[0.6], [2.5]]), y),
              unif(0.1, 0.9, 3)))
spec(SP + "betaincinv", Case("y", lambda y: csp.betaincinv(2.0, 0.7, y), unif(0.1, 0.9, 3)),
     Case("broadcast", lambda y: csp.betaincinv(np.array([[0.6], [2.5]]), 1.5, y),
          unif(0.1, 0.9, 3)))
spec(SP + "stdtrit", Case("p", lambda p: csp.stdtrit(3.5, p), unif(0.1, 0.9, 3)),
     Case("broadcast", lambda p: csp.stdtrit(np.array([[1.0], [10.0]]), p), unif(0.1, 0.9, 3)))
spec(SP + "stdtr", Case("t", lambda x: csp.stdtr(3.5, x), normal(3)),
     Case("broadcast", lambda x: csp.stdtr(np.array([[1.0], [10.0]]), x), normal(3)))
for _n in ("iv", "ive", "jv", "yv"):
    spec(SP + _n, Case("v0.5", lambda x, f=getattr(csp, _n): f(0.5, x), unif(0.5, 3.0, 3)),
         Case("v2", lambda x, f=getattr(csp, _n): f(2.0, x), unif(0.5, 3.0, 2, 2)),
         Case("orders", lambda x, f=getattr(csp, _n): f(np.array([0.0, 1.0, 2.5]), x),
              unif(0.5, 3.0)))
SPECS[SP + "ive"].append(Case("negative-x", lambda x: csp.ive(2.0, x), unif(-3.0, -0.5, 3)))
spec(SP + "multigammaln", Case("d3", lambda a: csp.multigammaln(a, 3), unif(2.0, 4.0, 3)),
     Case("d1", lambda a: csp.multigammaln(a, 1), unif(0.5, 3.0)))
# More of scipy.special: differentiable in the last argument (orders, degrees, shapes are
# constants of the case), in both arguments where SciPy's function has closed-form partials.
for _n in ("kv", "kve", "jve", "yve", "struve", "modstruve"):
    spec(SP + _n, Case("v1.5", lambda x, f=getattr(csp, _n): f(1.5, x), unif(0.5, 3.0, 3)),
         Case("orders", lambda x, f=getattr(csp, _n): f(np.array([0.0, 1.0, 2.5]), x),
              unif(0.5, 3.0, 2, 1)))
for _n in ("kn", "yn", "jn"):
    spec(SP + _n, Case("n2", lambda x, f=getattr(csp, _n): f(2, x), unif(0.5, 3.0, 3)),
         Case("orders", lambda x, f=getattr(csp, _n): f(np.array([0, 1, 3]), x), unif(0.5, 3.0)))
spec(SP + "expn", Case("n2", lambda x: csp.expn(2, x), unif(0.5, 3.0, 3)),
     Case("orders", lambda x: csp.expn(np.array([0, 1, 3]), x), unif(0.5, 3.0, 2, 1)))
spec(SP + "hyp0f1", Case("z", lambda z: csp.hyp0f1(1.5, z), normal(3)))
spec(SP + "hyp1f1", Case("z", lambda z: csp.hyp1f1(0.7, 1.9, z), normal(3)),
     Case("params", lambda z: csp.hyp1f1(np.array([[0.5], [2.0]]), 1.5, z), normal(3)))
spec(SP + "hyp2f1", Case("z", lambda z: csp.hyp2f1(0.7, 1.2, 2.5, z), unif(-0.6, 0.6, 3)))
spec(SP + "hyperu", Case("x", lambda x: csp.hyperu(0.7, 1.4, x), unif(0.5, 3.0, 3)))
_DEG = np.array([0, 1, 2, 5])
for _n in ("eval_legendre", "eval_chebyt", "eval_chebyu", "eval_hermite", "eval_hermitenorm",
           "eval_laguerre"):
    spec(SP + _n, Case("n3", lambda x, f=getattr(csp, _n): f(3, x), unif(-0.9, 0.9, 3)),
         Case("degrees", lambda x, f=getattr(csp, _n): f(_DEG, x), unif(-0.9, 0.9, 2, 1)))
spec(SP + "eval_gegenbauer", Case("n3", lambda x: csp.eval_gegenbauer(3, 0.8, x),
                                  unif(-0.9, 0.9, 3)),
     Case("degrees", lambda x: csp.eval_gegenbauer(_DEG, 1.5, x), unif(-0.9, 0.9, 2, 1)))
spec(SP + "eval_genlaguerre", Case("n3", lambda x: csp.eval_genlaguerre(3, 0.8, x),
                                   unif(0.1, 2.0, 3)),
     Case("degrees", lambda x: csp.eval_genlaguerre(_DEG, 1.5, x), unif(0.1, 2.0, 2, 1)))
spec(SP + "eval_jacobi", Case("n3", lambda x: csp.eval_jacobi(3, 0.5, 1.5, x), unif(-0.9, 0.9, 3)),
     Case("degrees", lambda x: csp.eval_jacobi(_DEG, 0.5, 0.2, x), unif(-0.9, 0.9, 2, 1)))
for _n, _k in (("bdtr", (3.0, 8.0)), ("bdtrc", (3.0, 8.0)), ("nbdtr", (3.0, 4.0)),
               ("nbdtrc", (3.0, 4.0))):
    spec(SP + _n, Case("p", lambda p, f=getattr(csp, _n), k=_k: f(*k, p), unif(0.1, 0.9, 3)),
         Case("k-rounded-down", lambda p, f=getattr(csp, _n): f(np.array([1.5, 2.0]), 6, p),
              unif(0.1, 0.9, 2, 1)))
for _n in ("pdtr", "pdtrc"):
    spec(SP + _n, Case("m", lambda m, f=getattr(csp, _n): f(3.0, m), unif(0.5, 5.0, 3)),
         Case("k", lambda m, f=getattr(csp, _n): f(np.array([0.0, 2.5]), m), unif(0.5, 5.0, 2, 1)))
for _n in ("chdtr", "chdtrc"):
    spec(SP + _n, Case("x", lambda x, f=getattr(csp, _n): f(3.0, x), unif(0.5, 5.0, 3)))
for _n in ("fdtr", "fdtrc"):
    spec(SP + _n, Case("x", lambda x, f=getattr(csp, _n): f(3.0, 5.0, x), unif(0.3, 4.0, 3)))
for _n in ("gdtr", "gdtrc"):
    spec(SP + _n, Case("a-x", lambda a, x, f=getattr(csp, _n): f(a, 2.5, x), unif(0.5, 2.0),
                       unif(0.3, 4.0, 3)))
spec(SP + "poch", *binary(csp.poch, pos(0.5, 3.0)))
spec(SP + "binom", Case("n-k", csp.binom, unif(3.0, 5.0, 3), unif(0.5, 2.0, 3)),
     Case("broadcast", csp.binom, unif(3.0, 5.0, 2, 1), unif(0.5, 2.0, 3)))
spec(SP + "comb", Case("n-k", csp.comb, unif(3.0, 5.0, 3), unif(0.5, 2.0, 3)),
     Case("repetition", lambda n, k: csp.comb(n, k, repetition=True), unif(3.0, 5.0),
          unif(0.5, 2.0, 2)),
     Case("out-of-range", lambda n: csp.comb(n, np.array([-1.0, 1.0, 9.0])), unif(3.0, 5.0)))
spec(SP + "factorial", Case("n", csp.factorial, unif(0.5, 4.0, 3)),
     Case("negative", lambda n: csp.factorial(n - 5.0) + n, unif(0.5, 4.0, 2)))
for _n in ("boxcox", "boxcox1p"):
    spec(SP + _n, *binary(getattr(csp, _n), pos(0.5, 3.0), pos(-1.5, 1.5)),
         Case("lambda-near-0", lambda x, l, f=getattr(csp, _n): f(x, 0.01 * l),
              unif(0.5, 3.0, 3), normal(3)),
         Case("lambda-0", lambda x, l, f=getattr(csp, _n): f(x, 0.0 * l), unif(0.5, 3.0, 3),
              normal()))
for _n in ("inv_boxcox", "inv_boxcox1p"):
    spec(SP + _n, *binary(getattr(csp, _n), pos(0.2, 2.0), pos(-0.4, 1.5)),
         Case("lambda-near-0", lambda y, l, f=getattr(csp, _n): f(y, 0.01 * l),
              unif(0.2, 2.0, 3), normal(3)),
         Case("lambda-0", lambda y, l, f=getattr(csp, _n): f(y, 0.0 * l), unif(0.2, 2.0, 3),
              normal()))
spec(SP + "huber", Case("both-sides", csp.huber, unif(1.0, 2.0),
                        lambda rng: np.array([-3.0, -0.4, 0.3, 2.5])),
     Case("broadcast", csp.huber, unif(1.0, 2.0, 2, 1), nonzero(0.2, 3.0, 3)))
spec(SP + "pseudo_huber", *binary(csp.pseudo_huber, pos(0.5, 2.0), normal))
SPECS.setdefault(SP + "zeta", []).extend([  # (with the cases generated from its declaration)
    Case("q", lambda q: csp.zeta(3.0, q), unif(0.5, 3.0, 3)),
    # Riemann's zeta(x): differentiable in x, its continuation below 1 included
    Case("riemann", csp.zeta, unif(-0.9, 0.9, 3)),
    Case("riemann-above-1", csp.zeta, unif(1.5, 4.0, 3))])
spec(SP + "lambertw", Case("principal", csp.lambertw, unif(-0.3, 3.0, 3)),
     Case("branch-1", lambda z: csp.lambertw(z, k=-1), unif(-0.3, -0.05, 2)))
spec(SP + "sinc", *unary(csp.sinc, normal))
for _n in ("sici", "shichi", "fresnel", "airy"):
    spec(SP + _n, *unary(getattr(csp, _n), pos(0.5, 2.0)))
spec(SP + "perm", Case("n-k", csp.perm, unif(3.0, 5.0, 3), unif(0.5, 2.0, 3)),
     Case("out-of-range", lambda n: csp.perm(n, np.array([-1.0, 1.0, 9.0])), unif(3.0, 5.0)))
spec(SP + "gdtrix", Case("p", lambda p: csp.gdtrix(1.5, 2.5, p), unif(0.1, 0.9, 3)))
spec(SP + "pdtri", Case("y", lambda y: csp.pdtri(np.array([[1], [3]]), y), unif(0.1, 0.9, 3)))
spec(SP + "chdtri", Case("p", lambda p: csp.chdtri(3.0, p), unif(0.1, 0.9, 3)))
spec(SP + "bdtri", Case("y", lambda y: csp.bdtri(2, 7, y), unif(0.1, 0.9, 3)))
spec(SP + "nbdtri", Case("y", lambda y: csp.nbdtri(2, 3, y), unif(0.1, 0.9, 3)))
spec(SP + "fdtri", Case("p", lambda p: csp.fdtri(3.0, 5.0, p), unif(0.1, 0.9, 3)))
spec(SP + "zetac", Case("held-constant", lambda q: q * csp.zetac(cr.stop_gradient(q) * 0.0 + 3.0),
                        unif(0.5, 3.0, 3)))
spec(SP + "voigt_profile", Case("x-sigma-gamma", csp.voigt_profile, normal(3), unif(0.5, 2.0, 3),
                                unif(0.2, 1.5)))
spec(SP + "radian", Case("dms", csp.radian, normal(3), normal(3), normal()))
spec(SP + "powm1", *binary(csp.powm1, pos(0.5, 2.0), normal))
spec(SP + "psi", *unary(csp.psi, pos(0.5, 3.0)))
spec(SP + "betainccinv", Case("y", lambda y: csp.betainccinv(0.8, 3.0, y), unif(0.1, 0.9, 3)))
spec(SP + "betaincc", Case("x", lambda x: csp.betaincc(2.5, 1.5, x), unif(0.1, 0.9, 3)))
for _n in ("ellipkinc", "ellipeinc"):
    spec(SP + _n, *binary(getattr(csp, _n), pos(0.2, 1.4), pos(0.1, 0.9)))
for _n in ("hankel1", "hankel2", "hankel1e", "hankel2e"):
    spec(SP + _n, Case("v1.5", lambda z, f=getattr(csp, _n): f(1.5, z), unif(0.5, 3.0, 3)),
         Case("orders", lambda z, f=getattr(csp, _n): f(np.array([0.0, 2.5]), z),
              unif(0.5, 3.0, 2, 1)))
for _n in ("jvp", "yvp", "ivp", "kvp", "h1vp", "h2vp"):
    spec(SP + _n, Case("n1", lambda z, f=getattr(csp, _n): f(1.5, z), unif(0.5, 3.0, 3)),
         Case("n2-orders", lambda z, f=getattr(csp, _n): f(np.array([0.0, 2.0]), z, 2),
              unif(0.5, 3.0, 2, 1)))
for _n in ("spherical_jn", "spherical_yn", "spherical_in", "spherical_kn"):
    spec(SP + _n, Case("n2", lambda z, f=getattr(csp, _n): f(2, z), unif(0.5, 3.0, 3)),
         Case("derivative-orders", lambda z, f=getattr(csp, _n): f(np.array([0, 3]), z, True),
              unif(0.5, 3.0, 2, 1)))

# Yet more of scipy.special (primitives/special_extra.py, special_distributions.py,
# special_legendre.py): differentiable in the continuous argument, the integers constants.
_DEG4 = np.array([0, 1, 2, 4])
for _n in ("eval_sh_legendre", "eval_sh_chebyt", "eval_sh_chebyu"):
    spec(SP + _n, Case("n3", lambda x, f=getattr(csp, _n): f(3, x), unif(0.1, 0.9, 3)),
         Case("degrees", lambda x, f=getattr(csp, _n): f(_DEG4, x), unif(0.1, 0.9, 2, 1)))
for _n in ("eval_chebyc", "eval_chebys"):
    spec(SP + _n, Case("degrees", lambda x, f=getattr(csp, _n): f(_DEG4, x), unif(-1.8, 1.8, 2, 1)))
spec(SP + "eval_sh_jacobi", Case("degrees", lambda x: csp.eval_sh_jacobi(_DEG4, 2.5, 1.5, x),
                                 unif(0.1, 0.9, 2, 1)))
spec(SP + "lpmv", Case("orders", lambda x: csp.lpmv(np.array([0, 1, 2]), 2.5, x),
                       unif(-0.8, 0.8, 2, 1)))
spec(SP + "elliprf", Case("xyz", csp.elliprf, unif(0.5, 2.0, 3), unif(0.5, 2.0, 3), unif(0.5, 2.0)))
spec(SP + "elliprd", Case("xyz", csp.elliprd, unif(0.5, 1.0, 3), unif(1.2, 2.0, 3), unif(2.2, 3.0)))
spec(SP + "elliprg", Case("xyz", csp.elliprg, unif(0.5, 2.0, 3), unif(0.5, 2.0, 3), unif(0.5, 2.0)))
spec(SP + "elliprj", Case("xyzp", csp.elliprj, unif(0.5, 1.0, 3), unif(1.2, 2.0, 3),
                          unif(2.2, 3.0), unif(3.2, 4.0)))
spec(SP + "elliprc", Case("xy", csp.elliprc, unif(0.5, 1.0, 3), unif(1.5, 2.0, 3)),
     Case("principal-value", csp.elliprc, unif(0.5, 1.0, 3), unif(-2.0, -0.5)))
spec(SP + "ellipj", Case("u-m", csp.ellipj, normal(3), unif(0.1, 0.9, 3)))
spec(SP + "agm", Case("a-b", csp.agm, unif(0.5, 2.0, 3), unif(0.5, 2.0, 3)),
     Case("negative", csp.agm, unif(-2.0, -0.5, 2), unif(-2.0, -0.5)))
# (itairy's values are accurate to about 1e-7 beyond x = 1: its finite differences too)
spec(SP + "itairy", Case("x", csp.itairy, unif(0.05, 0.5, 3)))
for _n in ("ber", "bei", "berp", "beip", "ker", "kei", "kerp", "keip", "kelvin",
           "iti0k0", "itj0y0", "it2i0k0", "it2j0y0", "itstruve0", "it2struve0",
           "itmodstruve0", "modfresnelp", "modfresnelm", "airye"):
    spec(SP + _n, Case("x", getattr(csp, _n), unif(0.3, 2.5, 3)))
for _n in ("pbdv", "pbvv"):
    spec(SP + _n, Case("x", lambda x, f=getattr(csp, _n): f(np.array([0.5, 1.3, 2.0]), x),
                       unif(-1.5, 1.5, 2, 1)))
spec(SP + "pbwa", Case("x", lambda x: csp.pbwa(np.array([-1.0, 0.5, 1.3]), x), unif(-1.5, 1.5, 3)))
for _n in ("mathieu_cem", "mathieu_sem"):
    spec(SP + _n, Case("degrees", lambda x, f=getattr(csp, _n): f(2, 1.5, x), unif(10.0, 80.0, 3)))
for _n in ("mathieu_modcem1", "mathieu_modcem2", "mathieu_modsem1", "mathieu_modsem2"):
    spec(SP + _n, Case("x", lambda x, f=getattr(csp, _n): f(2, 1.5, x), unif(0.3, 1.5, 3)))
for _n, _lo, _hi in (("pro_ang1", -0.8, 0.8), ("obl_ang1", -0.8, 0.8), ("pro_rad1", 1.2, 2.0),
                     ("obl_rad1", 0.5, 2.0)):
    spec(SP + _n, Case("x", lambda x, f=getattr(csp, _n): f(1, 2, 1.5, x), unif(_lo, _hi, 2)))
    _cvf = csp.pro_cv if _n.startswith("pro") else csp.obl_cv
    spec(SP + _n + "_cv", Case("x", lambda x, f=getattr(csp, _n + "_cv"), cv=_cvf:
                               f(1, 2, 1.5, cv(1, 2, 1.5), x), unif(_lo, _hi, 2)))
spec(SP + "chndtr", Case("x", lambda x: csp.chndtr(x, 3.0, np.array([0.0, 0.5, 2.0])),
                         unif(0.3, 4.0, 3)))
spec(SP + "chndtrix", Case("p", lambda p: csp.chndtrix(p, 3.0, 1.5), unif(0.1, 0.9, 3)))
spec(SP + "nctdtr", Case("t", lambda t: csp.nctdtr(np.array([3.0, 7.5]), 1.5, t), normal(3, 1)))
spec(SP + "nctdtrit", Case("p", lambda p: csp.nctdtrit(4.0, 0.7, p), unif(0.1, 0.9, 3)))
spec(SP + "ncfdtr", Case("f", lambda f: csp.ncfdtr(3.0, 5.0, 1.5, f), unif(0.3, 3.0, 3)))
spec(SP + "ncfdtri", Case("p", lambda p: csp.ncfdtri(3.0, 5.0, 1.5, p), unif(0.1, 0.9, 3)))
spec(SP + "kolmogorov", Case("both-series", csp.kolmogorov,
                             lambda rng: np.array([0.4, 0.8, 1.2, 2.0])))
spec(SP + "kolmogi", Case("p", csp.kolmogi, unif(0.1, 0.9, 3)))
spec(SP + "smirnov", Case("d", lambda d: csp.smirnov(np.array([[3], [10]]), d), unif(0.1, 0.8, 3)))
spec(SP + "smirnovi", Case("p", lambda p: csp.smirnovi(5, p), unif(0.1, 0.9, 3)))
spec(SP + "tklmbda", Case("x", lambda x: csp.tklmbda(x, np.array([-0.2, 0.0, 0.3])), normal(3)))
spec(SP + "nrdtrimn", Case("p-std-x", csp.nrdtrimn, unif(0.1, 0.9, 3), unif(0.5, 2.0, 3), normal()))
spec(SP + "nrdtrisd", Case("mn-p-x", csp.nrdtrisd, normal(3), unif(0.6, 0.9, 3), unif(2.0, 3.0)))
spec(SP + "gdtria", Case("p-x", lambda p, x: csp.gdtria(p, 2.5, x), unif(0.1, 0.9, 3),
                         unif(0.5, 3.0)))
spec(SP + "wright_bessel", Case("x", lambda x: csp.wright_bessel(0.5, 1.2, x), unif(0.1, 3.0, 3)))
spec(SP + "log_wright_bessel", Case("x", lambda x: csp.log_wright_bessel(0.5, 1.2, x),
                                    unif(0.1, 3.0, 3)))
spec(SP + "besselpoly", Case("a", lambda a: csp.besselpoly(a, 1.5, np.array([0.0, 1.0, 2.5])),
                             unif(0.2, 2.0, 3)))
spec(SP + "diric", Case("n-odd-even", lambda x: csp.diric(x, np.array([[3], [4]])), normal(3)))
for _n in ("riccati_jn", "riccati_yn"):
    spec(SP + _n, Case("x", lambda x, f=getattr(csp, _n): f(3, x), unif(0.5, 3.0)))
spec(SP + "legendre_p", Case("diff-n-2", lambda z: csp.legendre_p(np.array([[0], [3]]), z,
                                                                 diff_n=2), unif(-0.9, 0.9, 3)))
spec(SP + "legendre_p_all", Case("n3", lambda z: csp.legendre_p_all(3, z, diff_n=1),
                                 unif(-0.9, 0.9, 2)))
spec(SP + "assoc_legendre_p", Case("orders", lambda z: csp.assoc_legendre_p(
    3, np.array([[-1], [2]]), z, norm=True, diff_n=2), unif(-0.9, 0.9, 3)))
spec(SP + "assoc_legendre_p_all", Case("n3-m2", lambda z: csp.assoc_legendre_p_all(3, 2, z),
                                       unif(-0.9, 0.9, 2)))
spec(SP + "sph_legendre_p", Case("theta", lambda t: csp.sph_legendre_p(3, 1, t, diff_n=2),
                                 unif(0.2, 3.0, 3)))
spec(SP + "sph_legendre_p_all", Case("n2-m1", lambda t: csp.sph_legendre_p_all(2, 1, t),
                                     unif(0.2, 3.0, 2)))
spec(SP + "sph_harm_y", Case("theta-phi", lambda t, p: csp.sph_harm_y(3, 2, t, p),
                             unif(0.2, 3.0, 3), unif(0.0, 6.0, 3)),
     Case("hessian", lambda t, p: csp.sph_harm_y(3, 1, t, p, diff_n=2)[2], unif(0.2, 3.0, 2),
          unif(0.0, 6.0)))
spec(SP + "sph_harm_y_all", Case("n2-m1", lambda t, p: csp.sph_harm_y_all(2, 1, t, p),
                                 unif(0.2, 3.0), unif(0.0, 6.0, 2)))
spec(SP + "assoc_laguerre", Case("x", lambda x: csp.assoc_laguerre(x, 3, 0.5), unif(0.1, 3.0, 3)))

# ---- scipy.stats: w.r.t. x and each continuous parameter, with broadcasting -----------------------
def _loc_scale(dist, method, mx=normal):
    f = getattr(getattr(cst, dist), method)
    return [Case("x", lambda x: f(x), mx(3)),
            Case("x-loc-scale", lambda x, l, s: f(x, l, s), mx(2, 3), normal(3), unif(0.5, 2.0)),
            Case("loc-scale-broadcast", lambda l, s: f(np.array([0.3, 1.2]), l, s),
                 normal(3, 1), unif(0.5, 2.0, 2))]


def _stat_spec(dist, methods, mx=normal):
    for m in methods:
        spec(f"{ST}{dist}.{m}", *_loc_scale(dist, m, mx))


_stat_spec("norm", ("pdf", "logpdf", "cdf", "logcdf", "sf", "logsf"))
spec(ST + "norm.ppf", Case("q", cst.norm.ppf, unif(0.05, 0.95, 3)),
     Case("q-loc-scale", lambda q, l, s: cst.norm.ppf(q, l, s), unif(0.05, 0.95, 2, 3), normal(3),
          unif(0.5, 2.0)))
_stat_spec("expon", ("pdf", "logpdf", "cdf"), mx=lambda *s: unif(2.1, 4.0, *s))
_stat_spec("laplace", ("pdf", "logpdf", "cdf"), mx=lambda *s: nonzero(2.6, 4.0, *s))
_stat_spec("logistic", ("pdf", "logpdf", "cdf"))
_stat_spec("cauchy", ("pdf", "logpdf", "cdf"))
_stat_spec("uniform", ("pdf", "logpdf"), mx=lambda *s: unif(0.0, 1.0, *s))
spec(ST + "uniform.cdf", Case("x", cst.uniform.cdf, unif(0.1, 0.9, 3)),
     Case("x-loc-scale", lambda x, l, s: cst.uniform.cdf(x, l, s), unif(0.6, 1.4, 2, 3),
          unif(0.0, 0.5, 3), unif(1.0, 2.0)))
for _m in ("pdf", "logpdf"):
    _f = getattr(cst.t, _m)
    spec(f"{ST}t.{_m}", Case("x-df", _f, normal(3), unif(1.0, 5.0, 3)),
         Case("all", _f, normal(2, 3), unif(1.0, 5.0, 3), normal(), unif(0.5, 2.0)))
    _f = getattr(cst.gamma, _m)
    spec(f"{ST}gamma.{_m}", Case("x-a", _f, unif(0.5, 3.0, 3), unif(1.0, 4.0, 3)),
         Case("all", _f, unif(2.5, 4.0, 2, 3), unif(1.0, 4.0), unif(0.0, 1.0, 3), unif(0.5, 2.0)))
    _f = getattr(cst.chi2, _m)
    spec(f"{ST}chi2.{_m}", Case("x-df", _f, unif(0.5, 3.0, 3), unif(2.0, 6.0, 3)),
         Case("all", _f, unif(2.5, 4.0, 2, 3), unif(2.0, 6.0), unif(0.0, 1.0, 3), unif(0.5, 2.0)))
    _f = getattr(cst.beta, _m)
    spec(f"{ST}beta.{_m}", Case("x-a-b", _f, unif(0.1, 0.9, 3), unif(0.5, 3.0, 3), unif(0.5, 3.0)),
         Case("all", _f, unif(0.9, 1.1, 2, 3), unif(1.0, 3.0), unif(1.0, 3.0, 3), unif(0.0, 0.3),
              unif(1.5, 2.0)))
spec(ST + "t.cdf", Case("x", lambda x: cst.t.cdf(x, 2.5), normal(3)),
     Case("x-loc-scale", lambda x, l, s: cst.t.cdf(x, np.array([1.0, 4.0, 30.0]), l, s),
          normal(2, 3), normal(), unif(0.5, 2.0)))
spec(ST + "gamma.cdf", Case("x", lambda x: cst.gamma.cdf(x, 2.5), unif(0.3, 3.0, 3)),
     Case("x-loc-scale", lambda x, l, s: cst.gamma.cdf(x, 1.5, l, s), unif(2.5, 4.0, 2, 3),
          unif(0.0, 1.0, 3), unif(0.5, 2.0)))
spec(ST + "chi2.cdf", Case("x", lambda x: cst.chi2.cdf(x, 3.0), unif(0.3, 3.0, 3)),
     Case("x-loc-scale", lambda x, l, s: cst.chi2.cdf(x, 4.0, l, s), unif(2.5, 4.0, 3),
          unif(0.0, 1.0), unif(0.5, 2.0, 3)))
spec(ST + "beta.cdf", Case("x", lambda x: cst.beta.cdf(x, 2.0, 3.0), unif(0.1, 0.9, 3)),
     Case("x-loc-scale", lambda x, l, s: cst.beta.cdf(x, 0.8, 1.5, l, s), unif(0.9, 1.1, 2, 3),
          unif(0.0, 0.3, 3), unif(1.5, 2.0)))
_K = np.array([[0.0, 1.0, 4.0], [2.0, 3.0, 7.0]])
for _m in ("pmf", "logpmf", "cdf"):
    _f = getattr(cst.poisson, _m)
    spec(f"{ST}poisson.{_m}", Case("mu", lambda mu, f=_f: f(_K, mu), unif(0.5, 5.0, 3)),
         Case("mu-scalar", lambda mu, f=_f: f(3.0, mu), unif(0.5, 5.0)))
for _m in ("pmf", "logpmf"):
    _f = getattr(cst.binom, _m)
    spec(f"{ST}binom.{_m}", Case("p", lambda p, f=_f: f(_K, 8, p), unif(0.1, 0.9, 3)),
         Case("n-p", lambda n, p, f=_f: f(3.0, n, p), unif(7.2, 9.0), unif(0.1, 0.9, 2, 1)))
    _f = getattr(cst.nbinom, _m)
    spec(f"{ST}nbinom.{_m}", Case("p", lambda p, f=_f: f(_K, 2, p), unif(0.1, 0.9, 3)),
         Case("n-p", lambda n, p, f=_f: f(_K, n, p), unif(0.5, 4.0, 3), unif(0.1, 0.9)))
    _f = getattr(cst.bernoulli, _m)
    spec(f"{ST}bernoulli.{_m}",
         Case("p", lambda p, f=_f: f(np.array([0.0, 1.0, 1.0]), p), unif(0.1, 0.9, 3)))
for _m in ("pdf", "logpdf", "cdf"):
    _f = getattr(cst.lognorm, _m)
    spec(f"{ST}lognorm.{_m}", Case("x-s", _f, unif(0.2, 3.0, 3), unif(0.5, 2.0)),
         Case("all", _f, unif(1.5, 3.0, 2, 3), unif(0.5, 2.0, 3), unif(0.0, 1.0), unif(0.5, 2.0)))
for _m in ("pdf", "logpdf"):
    _f = getattr(cst.dirichlet, _m)
    spec(f"{ST}dirichlet.{_m}",
         Case("x-alpha", lambda x, a, f=_f: f(x / cnp.sum(x), a), unif(0.2, 1.0, 3),
              unif(0.5, 3.0, 3)),
         Case("batch-short", lambda x, a, f=_f: f(x, a), unif(0.1, 0.45, 2, 4), unif(0.5, 3.0, 3)))
    _f = getattr(cst.multivariate_normal, _m)
    spec(f"{ST}multivariate_normal.{_m}",
         Case("x-mean-cov", lambda x, m, c, f=_f: f(x, m, sym(c)), normal(3), normal(3), spd(3, 3)),
         Case("batch-x", lambda x, m, c, f=_f: f(x, m, sym(c)), normal(4, 2), normal(2), spd(2, 2)),
         Case("batch-all", lambda x, m, c, f=_f: f(x, m, sym(c)), normal(3, 1, 2), normal(2, 2),
              spd(3, 1, 2, 2)),
         Case("scalar-cov", lambda x, c, f=_f: f(x, np.zeros(3), c), normal(2, 3), unif(0.5, 2.0)),
         Case("dim1", lambda x, m, f=_f: f(x, m, 2.0), normal(4), normal()))


# ---- the distributions over chainrule.primitives.stats_families: one case per method with x
# (or q) and every parameter traced, broadcast; a shape whose derivative a method refuses
# (FAMILIES[name].refuse) is held at a constant. name: (standard x range, shape makers).
def _shape(lo, hi):
    return unif(lo, hi)


_FAMILY_DOMAINS = {
    "halfnorm": ((0.3, 3.0), ()), "halfcauchy": ((0.3, 3.0), ()), "halflogistic": ((0.3, 3.0), ()),
    "gumbel_r": ((-2.0, 2.0), ()), "gumbel_l": ((-2.0, 2.0), ()), "levy": ((0.3, 3.0), ()),
    "wald": ((0.3, 3.0), ()), "rayleigh": ((0.3, 3.0), ()), "maxwell": ((0.3, 3.0), ()),
    "genextreme": ((-1.0, 1.0), (_shape(-0.3, 0.3),)),
    "genpareto": ((0.1, 1.5), (_shape(-0.3, 0.3),)),
    "weibull_min": ((0.3, 2.0), (_shape(0.7, 3.0),)),
    "weibull_max": ((-2.0, -0.3), (_shape(0.7, 3.0),)),
    "pareto": ((1.2, 3.0), (_shape(0.5, 3.0),)), "lomax": ((0.3, 3.0), (_shape(0.5, 3.0),)),
    "powerlaw": ((0.2, 0.8), (_shape(0.5, 3.0),)),
    "loguniform": ((1.0, 2.5), (_shape(0.5, 0.8), _shape(3.0, 4.0))),
    "reciprocal": ((1.0, 2.5), (_shape(0.5, 0.8), _shape(3.0, 4.0))),
    "truncexpon": ((0.2, 2.0), (_shape(2.5, 3.0),)),
    "triang": ((0.1, 0.5), (_shape(0.6, 0.8),)),
    "truncnorm": ((-0.8, 0.8), (_shape(-1.5, -1.0), _shape(1.0, 1.5))),
    "skewnorm": ((-2.0, 2.0), (_shape(-2.0, 2.0),)), "exponnorm": ((-2.0, 3.0), (_shape(0.5, 2.0),)),
    "vonmises": ((-2.0, 2.0), (_shape(0.5, 3.0),)), "invgauss": ((0.3, 3.0), (_shape(0.5, 2.0),)),
    "erlang": ((0.3, 3.0), (_shape(1.0, 4.0),)), "invgamma": ((0.3, 3.0), (_shape(1.0, 4.0),)),
    "chi": ((0.3, 3.0), (_shape(1.0, 4.0),)), "nakagami": ((0.3, 2.0), (_shape(0.6, 3.0),)),
    "gennorm": ((0.3, 2.0), (_shape(0.8, 3.0),)),
    "f": ((0.3, 3.0), (_shape(2.0, 6.0), _shape(3.0, 8.0))),
    "gamma": ((0.3, 3.0), (_shape(1.0, 4.0),)), "chi2": ((0.3, 3.0), (_shape(2.0, 6.0),)),
    "beta": ((0.2, 0.8), (_shape(1.0, 3.0), _shape(1.0, 3.0))), "expon": ((0.3, 3.0), ()),
    "lognorm": ((0.3, 3.0), (_shape(0.5, 2.0),)), "laplace": ((0.5, 2.0), ()),
    "logistic": ((-2.0, 2.0), ()), "cauchy": ((-2.0, 2.0), ()), "uniform": ((0.1, 0.9), ()),
    "norm": ((-2.0, 2.0), ()), "t": ((-2.0, 2.0), (_shape(1.5, 6.0),)),
    # chainrule.primitives.stats_more
    "burr": ((0.3, 3.0), (_shape(1.0, 3.0), _shape(0.5, 2.0))),
    "burr12": ((0.3, 3.0), (_shape(1.0, 3.0), _shape(0.5, 2.0))),
    "fisk": ((0.3, 3.0), (_shape(1.0, 3.0),)),
    "johnsonsu": ((-2.0, 2.0), (_shape(-1.0, 1.0), _shape(0.5, 2.0))),
    "johnsonsb": ((0.2, 0.8), (_shape(-1.0, 1.0), _shape(0.5, 2.0))),
    "betaprime": ((0.3, 3.0), (_shape(1.0, 3.0), _shape(1.0, 3.0))),
    "foldnorm": ((0.3, 3.0), (_shape(0.5, 2.0),)), "foldcauchy": ((0.3, 3.0), (_shape(0.5, 2.0),)),
    "gengamma": ((0.3, 2.0), (_shape(1.0, 3.0), _shape(0.7, 2.0))),
    "loggamma": ((-2.0, 1.0), (_shape(1.0, 3.0),)), "dgamma": ((0.3, 2.0), (_shape(1.0, 3.0),)),
    "dweibull": ((0.3, 2.0), (_shape(0.7, 3.0),)),
    "exponweib": ((0.3, 2.0), (_shape(0.7, 3.0), _shape(0.7, 3.0))),
    "exponpow": ((0.3, 1.5), (_shape(0.7, 3.0),)), "gompertz": ((0.3, 2.0), (_shape(0.5, 2.0),)),
    "invweibull": ((0.3, 3.0), (_shape(0.7, 3.0),)),
    "genlogistic": ((-2.0, 2.0), (_shape(0.5, 2.0),)), "loglaplace": ((0.3, 0.8), (_shape(0.7, 3.0),)),
    "levy_l": ((-3.0, -0.3), ()), "moyal": ((-1.0, 3.0), ()),
    "powernorm": ((-2.0, 2.0), (_shape(0.5, 2.0),)),
    "powerlognorm": ((0.3, 3.0), (_shape(0.5, 2.0), _shape(0.5, 1.5))),
    "recipinvgauss": ((0.3, 3.0), (_shape(0.5, 2.0),)),
    "fatiguelife": ((0.3, 3.0), (_shape(0.5, 2.0),)),
    # chainrule.primitives.stats_simple
    "semicircular": ((-0.8, 0.8), ()), "anglit": ((-0.6, 0.6), ()), "arcsine": ((0.2, 0.8), ()),
    "hypsecant": ((-2.0, 2.0), ()), "gibrat": ((0.3, 3.0), ()),
    "bradford": ((0.2, 0.8), (_shape(0.5, 3.0),)),
    "laplace_asymmetric": ((0.3, 2.0), (_shape(0.5, 2.0),)),
    # chainrule.primitives.stats_noncentral (the degrees of freedom: held)
    "ncx2": ((0.5, 3.0), (_shape(2.0, 5.0), _shape(0.5, 2.0))),
    "rice": ((0.5, 3.0), (_shape(0.5, 2.0),)),
    "nct": ((-1.0, 2.0), (_shape(3.0, 6.0), _shape(0.5, 1.5))),
    "ncf": ((0.5, 3.0), (_shape(3.0, 5.0), _shape(6.0, 9.0), _shape(0.5, 2.0))),
    # discrete: the counts are held (they have no derivative); the shapes are traced
    "geom": (np.array([[1.0, 2.0, 5.0], [3.0, 1.0, 8.0]]), (_shape(0.1, 0.9),)),
    "zipf": (np.array([[1.0, 2.0, 5.0], [3.0, 1.0, 8.0]]), (_shape(1.5, 4.0),)),
    "logser": (np.array([[1.0, 2.0, 5.0], [3.0, 1.0, 8.0]]), (_shape(0.1, 0.9),)),
    "dlaplace": (np.array([[-2.0, 0.0, 5.0], [3.0, -1.0, 1.0]]), (_shape(0.3, 2.0),)),
    "betabinom": (np.array([[0.0, 2.0, 5.0], [3.0, 1.0, 6.0]]),
                  (6.0, _shape(0.5, 3.0), _shape(0.5, 3.0))),   # n: an integer, held
    "planck": (np.array([[0.0, 2.0, 5.0], [3.0, 1.0, 8.0]]), (_shape(0.3, 2.0),)),
    "boltzmann": (np.array([[0.0, 2.0, 5.0], [3.0, 1.0, 4.0]]), (_shape(0.3, 2.0), 6.0)),
    "yulesimon": (np.array([[1.0, 2.0, 5.0], [3.0, 1.0, 8.0]]), (_shape(0.5, 3.0),)),
    "skellam": (np.array([[-2.0, 0.0, 5.0], [3.0, -1.0, 1.0]]), (_shape(0.5, 3.0), _shape(0.5, 3.0))),
    "betanbinom": (np.array([[0.0, 2.0, 5.0], [3.0, 1.0, 6.0]]),
                   (4.0, _shape(0.5, 3.0), _shape(0.5, 3.0))),
}

# ---- dists2: chainrule.primitives.stats_shapes (the families added with it) ----------------------
_FAMILY_DOMAINS.update({
    "trapezoid": ((0.05, 0.95), (_shape(0.2, 0.35), _shape(0.6, 0.75))),
    "truncpareto": ((1.2, 2.5), (_shape(0.5, 2.0), _shape(3.0, 4.0))),
    "truncweibull_min": ((0.7, 1.8), (_shape(0.8, 2.0), _shape(0.3, 0.6), _shape(2.0, 3.0))),
    "wrapcauchy": ((0.5, 5.5), (_shape(0.2, 0.7),)), "cosine": ((-2.5, 2.5), ()),
    "vonmises_line": ((-2.0, 2.0), (_shape(0.5, 3.0),)), "rdist": ((-0.8, 0.8), (_shape(1.5, 4.0),)),
    "argus": ((0.2, 0.9), (_shape(0.5, 2.5),)), "alpha": ((0.3, 3.0), (_shape(0.5, 2.0),)),
    "crystalball": ((-3.0, 2.0), (_shape(1.0, 2.0), _shape(2.0, 4.0))),
    "genexpon": ((0.3, 3.0), (_shape(0.5, 2.0), _shape(0.5, 2.0), _shape(0.5, 2.0))),
    "genhalflogistic": ((0.2, 1.5), (_shape(0.3, 0.6),)),
    "halfgennorm": ((0.3, 2.0), (_shape(0.8, 3.0),)),
    "mielke": ((0.3, 3.0), (_shape(0.5, 2.0), _shape(1.0, 3.0))),
    "kappa3": ((0.3, 3.0), (_shape(0.5, 2.0),)), "skewcauchy": ((-2.0, 2.0), (_shape(-0.5, 0.5),)),
    "rel_breitwigner": ((0.3, 3.0), (_shape(0.5, 2.0),)),
    "jf_skew_t": ((-2.0, 2.0), (_shape(0.5, 3.0), _shape(0.5, 3.0))),
    "tukeylambda": ((-1.0, 1.0), (_shape(-0.5, 0.5),)),
    "pearson3": ((-1.0, 2.0), (_shape(0.3, 1.5),)),
    "dpareto_lognorm": ((0.5, 3.0), (_shape(-0.5, 0.5), _shape(0.3, 1.0), _shape(1.5, 3.0),
                                     _shape(1.0, 2.0))),
    # chainrule.primitives.stats_numeric: SciPy's cdf-like values, differentiable in x (the
    # shapes held); without a closed form, the density is not differentiable and those
    # methods are differentiable in x to first order only (_FAMILY_FIRST_ORDER)
    "norminvgauss": ((-1.0, 2.0), (_shape(1.5, 2.5), _shape(-0.5, 0.8))),
    "geninvgauss": ((0.5, 2.5), (_shape(0.5, 2.0), _shape(1.0, 3.0))),
    "gausshyper": ((0.2, 0.8), (_shape(1.5, 3.0), _shape(1.5, 3.0), _shape(0.5, 2.0),
                                _shape(0.2, 1.0))),
    "kstwobign": ((0.5, 2.0), ()), "ksone": ((0.2, 0.6), (5.0,)), "kstwo": ((0.3, 0.7), (5.0,)),
    "levy_stable": ((-1.0, 1.0), (_shape(1.2, 1.8), _shape(-0.5, 0.5))),
    "studentized_range": ((1.0, 3.0), (3.0, 10.0)), "landau": ((-1.0, 2.0), ()),
    "zipfian": (np.array([[1.0, 2.0, 5.0], [3.0, 1.0, 6.0]]), (_shape(0.5, 3.0), 6.0)),
    "kappa4": ((0.0, 1.5), (_shape(0.2, 0.8), _shape(0.1, 0.5))),
    "genhyperbolic": ((-1.0, 2.0), (_shape(0.2, 1.0), _shape(1.5, 2.5), _shape(-0.5, 0.8))),
    "irwinhall": ((0.3, 2.7), (3.0,)),
    # (SciPy's values, every argument refused: no case)
    "nchypergeom_fisher": (None, ()), "nchypergeom_wallenius": (None, ()),
})
#: no derivative (refused: tests/test_stats_numeric.py), or SciPy's too slow for these loops
#: (studentized_range's quantiles: a second per point, checked there at one point)
for _m in ("pdf", "logpdf"):   # chainrule.scipy.stats_multivariate_more
    _f = getattr(cst.matrix_normal, _m)
    spec(f"{ST}matrix_normal.{_m}",
         Case("X-mean-rowcov-colcov", lambda X, M, U, V, f=_f: f(X, M, sym(U), sym(V)),
              normal(2, 3), normal(2, 3), spd(2, 2), spd(3, 3)),
         Case("stack", lambda X, U, f=_f: f(X, None, sym(U), 1.5), normal(2, 2, 1), spd(2, 2)))
    _f = getattr(cst.matrix_t, _m)
    spec(f"{ST}matrix_t.{_m}",
         Case("X-mean-spreads-df", lambda X, M, R, C, df, f=_f: f(X, M, sym(R), sym(C), df),
              normal(2, 2), normal(2, 2), spd(2, 2), spd(2, 2), unif(2.0, 5.0)))
    _f = getattr(cst.vonmises_fisher, _m)
    spec(f"{ST}vonmises_fisher.{_m}",
         Case("x-mu-kappa", lambda x, mu, k, f=_f: f(x / cnp.linalg.norm(x, axis=-1, keepdims=True),
                                                    mu / cnp.linalg.norm(mu), k),
              normal(4, 3), normal(3), unif(0.5, 3.0)))
    _f = getattr(cst.normal_inverse_gamma, _m)
    spec(f"{ST}normal_inverse_gamma.{_m}",
         Case("all", _f, normal(3), unif(0.5, 2.0, 3), normal(), unif(0.5, 2.0), unif(1.0, 3.0),
              unif(0.5, 2.0)))
    _f = getattr(cst.dirichlet_multinomial, _m.replace("df", "mf"))
    spec(f"{ST}dirichlet_multinomial.{_m.replace('df', 'mf')}",
         Case("alpha", lambda a, f=_f: f(np.array([[1.0, 2.0, 0.0], [0.0, 0.0, 3.0]]), a, 3),
              unif(0.5, 3.0, 3)))
for _m in ("pmf", "logpmf", "cdf", "sf"):
    _f = getattr(cst.poisson_binom, _m)
    spec(f"{ST}poisson_binom.{_m}",
         Case("p", lambda p, f=_f: f(np.array([0.0, 1.0, 2.0, 3.0]), p), unif(0.1, 0.9, 3)),
         Case("batch", lambda p, f=_f: f(np.array([[1.0], [2.0]]), p), unif(0.1, 0.9, 2, 3)))
_FAMILY_NO_DERIVATIVE = {(n, m) for n in ("ksone", "kstwo", "levy_stable", "studentized_range",
                                          "landau") for m in ("logpdf", "pdf")}
_FAMILY_NO_DERIVATIVE |= {(n, m) for n in ("nchypergeom_fisher", "nchypergeom_wallenius")
                          for m in ("logpmf", "pmf", "cdf", "sf")}
_FAMILY_FIRST_ORDER = {(n, m) for n in ("ksone", "kstwo", "levy_stable", "studentized_range",
                                        "landau")
                       for m in ("cdf", "logcdf", "sf", "logsf", "ppf", "isf")}


#: probabilities for ppf/isf away from a point where the quantile's curvature defeats central
#: differences (dgamma's at ½, where x = gammaincinv(a, 2q − 1) starts from 0)
_Q_RANGES = {"dgamma": (0.6, 0.9)}


def _family_case(label, f, first, shape_makers, held, loc_scale):
    """f(first, *shapes[, loc, scale]) with the shapes at the ``held`` positions and the
    plain numbers among the makers constant, the others and loc/scale traced. The traced
    values travel in ONE vector: a second-order check costs the square of the number of
    arguments, and a random direction in the vector still mixes every pair of them."""
    rng = np.random.default_rng(zlib.crc32(label.encode()))
    held = held | {i for i, m in enumerate(shape_makers) if not callable(m)}
    fixed = {i: m(rng) if callable(m) else m for i, m in enumerate(shape_makers) if i in held}
    traced = [m for i, m in enumerate(shape_makers) if i not in held]
    makers = ([first] if callable(first) else []) + traced
    makers += [unif(-0.02, 0.02), unif(0.97, 1.03)] if loc_scale else []
    sizes = [3 if callable(first) else 0] + [1] * (len(makers) - callable(first))

    def fn(packed):
        parts = [packed[sizes[0] + j] for j in range(len(sizes) - 1)]
        first_arg = packed[:sizes[0]] if callable(first) else first
        shapes = [fixed[i] if i in fixed else parts.pop(0) for i in range(len(shape_makers))]
        return f(first_arg, *shapes, *parts)

    def make(rng):
        return np.concatenate([np.ravel(m(rng)) for m in makers])
    return Case(label, fn, make)


def _family_specs():
    from chainrule.primitives.stats_families import FAMILIES, Continuous
    for name, fam in FAMILIES.items():
        if fam.kind == registry.NONDIFF:
            continue
        span, shape_makers = _FAMILY_DOMAINS[name]
        continuous = isinstance(fam, Continuous)
        for method in fam.methods:
            if (name, method) in _FAMILY_NO_DERIVATIVE:
                continue
            f = getattr(getattr(cst, name), method)
            cdf_like = method not in ("logpdf", "pdf", "logpmf", "pmf")
            held = {i for i, s in enumerate(fam.shapes)
                    if (cdf_like and s in fam.refuse) or s in fam.refuse_density}
            if not continuous:
                first = span
            elif method in ("ppf", "isf"):
                first = unif(*_Q_RANGES.get(name, (0.1, 0.9)), 3)
            else:
                first = unif(*span, 3)
            cases = [_family_case("all", f, first, shape_makers, held, continuous)]
            if name in ("genextreme", "genpareto"):   # the series branch at c = 0
                cases.append(_family_case("c-zero", f, first, (lambda rng: 0.0,), set(), False))
            spec(f"{ST}{name}.{method}", *cases)


_family_specs()
for _m in ("pdf", "logpdf"):
    _f = getattr(cst.multivariate_t, _m)
    spec(f"{ST}multivariate_t.{_m}",
         Case("x-loc-shape-df", lambda x, m, c, df, f=_f: f(x, m, sym(c), df), normal(3), normal(3),
              spd(3, 3), unif(1.5, 6.0)),
         Case("batch-x", lambda x, m, c, f=_f: f(x, m, sym(c), 4.0), normal(4, 2), normal(2),
              spd(2, 2)))
    _f = getattr(cst.multinomial, _m.replace("df", "mf"))
    spec(f"{ST}multinomial.{_m.replace('df', 'mf')}",
         Case("p", lambda p, f=_f: f(np.array([[1.0, 0.0, 4.0], [2.0, 2.0, 1.0]]), 5, p / cnp.sum(p)),
              unif(0.2, 1.0, 3)))
    for _d in ("wishart", "invwishart"):
        _f = getattr(getattr(cst, _d), _m)
        spec(f"{ST}{_d}.{_m}",
             Case("x-df-scale", lambda x, df, s, f=_f: f(sym(x), df, sym(s)), spd(3, 3),
                  unif(4.0, 6.0), spd(3, 3)),
             Case("stack", lambda x, df, s, f=_f: f(cnp.moveaxis(sym(x), 0, -1), df, sym(s)),
                  spd(2, 2, 2), unif(3.0, 5.0), spd(2, 2)))

# ---- scipy.linalg, scipy.signal, scipy.integrate -----------------------------------------------------
spec(SL + "solve_triangular",
     Case("lower-vector", lambda a, b: csl.solve_triangular(a, b, lower=True), wellcond(3, 3),
          normal(3)),
     Case("upper-matrix", lambda a, b: csl.solve_triangular(a, b), wellcond(3, 3), normal(3, 2)),
     Case("trans-T", lambda a, b: csl.solve_triangular(a, b, trans="T", lower=True),
          wellcond(3, 3), normal(3, 2)),
     Case("trans-C-upper", lambda a, b: csl.solve_triangular(a, b, trans=2), wellcond(3, 3),
          normal(3)),
     Case("unit-diagonal", lambda a, b: csl.solve_triangular(a, b, lower=True, unit_diagonal=True),
          normal(3, 3, scale=0.3), normal(3)))
def _scipy_eig_scale_free(a):
    # Functions of the left and right eigenvectors that do not depend on their complex scales:
    # w, |vl|², |vl_iᴴ vr_i|² (unit vectors) and the Rayleigh quotients vl_iᴴ A vr_i / vl_iᴴ vr_i.
    w, vl, vr = csl.eig(a, left=True)
    vlh = cnp.conj(vl.T)
    d = cnp.diagonal(vlh @ vr)
    return w, cnp.abs(vl) ** 2, cnp.abs(d) ** 2, cnp.diagonal(vlh @ a @ vr) / d


def _scipy_geneig_scale_free(a, b):
    # The pencil A v = λ B v: λ, |vr|², |vl|² (unit vectors) and vl_iᴴ A vr_i / vl_iᴴ B vr_i = λ_i.
    w, vl, vr = csl.eig(a, b, left=True)
    vlh = cnp.conj(vl.T)
    return w, cnp.abs(vr) ** 2, cnp.abs(vl) ** 2, cnp.diagonal(vlh @ a @ vr) / cnp.diagonal(
        vlh @ b @ vr)


def _scipy_geneig_ratio(a, b):
    alpha, beta = csl.eig(a, b, right=False, homogeneous_eigvals=True)
    return alpha / beta   # (α, β) is defined up to a common factor; α/β is not


spec(SL + "eig", Case("left-right", _scipy_eig_scale_free, normal(3, 3)),
     Case("left-only", lambda a: cnp.abs(csl.eig(a, left=True, right=False)[1]) ** 2,
          normal(4, 4)),
     Case("homogeneous", lambda a: csl.eig(a, right=False, homogeneous_eigvals=True),
          normal(3, 3)),
     Case("generalized", _scipy_geneig_scale_free, normal(3, 3), wellcond(3, 3)),
     # A symmetric-definite pencil: real eigenvectors, whose derivative is SciPy's own.
     Case("generalized-real-vectors", lambda a, b: csl.eig(sym(a), sym(b), left=True),
          spd(3, 3), spd(3, 3)),
     Case("generalized-homogeneous", _scipy_geneig_ratio, normal(3, 3), wellcond(3, 3)))
spec(SL + "eigvals", Case("matrix", csl.eigvals, normal(3, 3)),
     Case("generalized", csl.eigvals, normal(3, 3), wellcond(3, 3)))
spec(SL + "cho_factor",
     Case("upper", lambda a: csl.cho_factor(sym(a))[0], spd(3, 3)),
     Case("lower", lambda a: csl.cho_factor(sym(a), lower=True)[0], spd(3, 3)))
spec(SL + "cholesky",
     Case("upper", lambda a: csl.cholesky(sym(a)), spd(3, 3)),
     Case("lower", lambda a: csl.cholesky(sym(a), lower=True), spd(3, 3)))
spec(SL + "solve",
     Case("general-vector", csl.solve, wellcond(3, 3), normal(3)),
     Case("transposed-matrix", lambda a, b: csl.solve(a, b, transposed=True), wellcond(3, 3),
          normal(3, 2)),
     # assume_a='pos' reads one triangle of a: the other one is arbitrary (and not differentiated)
     Case("pos-upper-triangle", lambda a, b: csl.solve(a, b, assume_a="pos"), wellcond(3, 3),
          normal(3)),
     Case("sym-lower-triangle", lambda a, b: csl.solve(a, b, assume_a="sym", lower=True),
          wellcond(3, 3), normal(3, 2)))
spec(SL + "inv", Case("matrix", csl.inv, wellcond(3, 3)))
spec(SL + "det", Case("matrix", csl.det, wellcond(3, 3)))


def _abs2(x):
    # sign (phase) free: an eigen- or singular vector is unique up to its sign (phase)
    return cnp.real(x * cnp.conj(x))


spec(SL + "eigh",
     Case("values-and-vectors", lambda a: (lambda w, v: (w, _abs2(v)))(*csl.eigh(sym(a))),
          spd(3, 3)),
     Case("upper-values", lambda a: csl.eigh(sym(a), lower=False, eigvals_only=True), spd(3, 3)),
     # (a non-symmetric a's values, one triangle read as SciPy's: tests/test_review_new.py; the
     # derivative is along symmetric directions, as cholesky's, so not central differences')
     Case("generalized", lambda a, b: (lambda w, v: (w, _abs2(v)))(*csl.eigh(sym(a), sym(b))),
          spd(3, 3), spd(3, 3)),
     Case("generalized-upper", lambda a, b: csl.eigh(sym(a), sym(b), lower=False)[0], spd(3, 3),
          spd(3, 3)))
spec(SL + "eigvalsh",
     Case("matrix", lambda a: csl.eigvalsh(sym(a)), spd(3, 3)),
     Case("generalized", lambda a, b: csl.eigvalsh(sym(a), sym(b)), spd(3, 3), spd(3, 3)))
spec(SL + "svd",
     Case("values", lambda a: csl.svd(a, compute_uv=False), normal(4, 3)),
     Case("economic-vectors", lambda a: [_abs2(x) for x in csl.svd(a, full_matrices=False)],
          normal(3, 4)),
     Case("full-square", lambda a: [_abs2(x) for x in csl.svd(a)], normal(3, 3)))
spec(SL + "qr",
     Case("economic", lambda a: [_abs2(x) for x in csl.qr(a, mode="economic")], normal(4, 3)),
     Case("full-square", lambda a: [_abs2(x) for x in csl.qr(a)], normal(3, 3)),
     Case("r-tall", lambda a: _abs2(csl.qr(a, mode="r")[0]), normal(4, 3)))
spec(SL + "block_diag",
     Case("matrices", csl.block_diag, normal(2, 2), normal(1, 3)),
     Case("vector-scalar-matrix", csl.block_diag, normal(2), normal(), normal(2, 1)))
spec(SL + "toeplitz",
     Case("column", csl.toeplitz, normal(3)),
     Case("column-row", csl.toeplitz, normal(3), normal(4)),
     # N-d c and r: batches whose leading axes broadcast (SciPy ≥ 1.17)
     Case("batched-columns-one-row", csl.toeplitz, normal(2, 3), normal(4)))
# size-1 inputs of today's SciPy spellings (review): every check on a 1×1 problem
SPECS[SL + "cholesky"].append(Case("1x1", lambda a: csl.cholesky(a * a + 1.0), normal(1, 1)))
# (Hermitian: SciPy solves a 1×1 system by division, whatever assume_a says)
SPECS[SL + "solve"].append(Case("1x1-pos", lambda a, b: csl.solve(sym(a * a) + 1.0, b,
                                                                  assume_a="pos"),
                                normal(1, 1), normal(1)))
SPECS[SL + "eigh"].append(Case("1x1-generalized",
                               lambda a, b: csl.eigh(a, b * b + 1.0)[0], normal(1, 1), normal(1, 1)))
SPECS[SL + "svd"].append(Case("row-values", lambda a: csl.svd(a, compute_uv=False), normal(1, 3)))
SPECS[SL + "qr"].append(Case("1x1-r", lambda a: _abs2(csl.qr(a, mode="r")[0]), nonzero(0.5, 2.0, 1, 1)))
SPECS[SL + "det"].append(Case("1x1", csl.det, normal(1, 1)))
SPECS[SL + "inv"].append(Case("1x1", csl.inv, nonzero(0.5, 2.0, 1, 1)))
spec(SL + "cho_solve",
     Case("lower-factor", lambda c, b: csl.cho_solve((c, True), b), wellcond(3, 3), normal(3)),
     Case("upper-factor-matrix", lambda c, b: csl.cho_solve((c, False), b), wellcond(3, 3),
          normal(3, 2)))
spec(SL + "lu_factor",
     Case("square", lambda a: csl.lu_factor(a)[0], normal(3, 3)),
     Case("near-identity", lambda a: csl.lu_factor(a)[0], wellcond(4, 4)),
     Case("wide", lambda a: csl.lu_factor(a)[0], normal(2, 3)),
     Case("tall", lambda a: csl.lu_factor(a)[0], normal(3, 2)),
     Case("stack", lambda a: csl.lu_factor(a)[0], normal(2, 3, 3)))
spec(SL + "lu_solve",
     Case("vector", lambda a, b: csl.lu_solve(csl.lu_factor(a), b), wellcond(3, 3), normal(3)),
     Case("trans-matrix", lambda a, b: csl.lu_solve(csl.lu_factor(a), b, trans=1), normal(3, 3),
          normal(3, 2)),
     Case("trans-C", lambda a, b: csl.lu_solve(csl.lu_factor(a), b, trans=2), wellcond(3, 3),
          normal(3)))
spec(SL + "expm",
     Case("matrix", csl.expm, normal(3, 3, scale=0.5)),
     Case("stack", csl.expm, normal(2, 2, 2, scale=0.5)),
     Case("1x1", csl.expm, normal(1, 1)))
spec(SL + "sqrtm",
     Case("spd", csl.sqrtm, spd(3, 3)),
     Case("nonsymmetric", csl.sqrtm, wellcond(3, 3)),
     Case("stack", csl.sqrtm, wellcond(2, 2, 2)))
# the breadth of scipy.linalg (SciPy's signatures over chainrule's rules; matrix functions with
# Fréchet-derivative rules; matrix equations differentiated implicitly; compact storage)
spec(SL + "pinv", Case("tall", csl.pinv, normal(3, 2)),
     Case("atol-wide", lambda a: csl.pinv(a, atol=1e-3, rtol=1e-6), normal(2, 3)))
spec(SL + "lstsq",
     Case("overdetermined", lambda a, b: (lambda x, res, rank, s: (x, res, s))(*csl.lstsq(a, b)),
          normal(4, 2), normal(4)),
     Case("underdetermined-matrix", lambda a, b: csl.lstsq(a, b)[0], normal(2, 3), normal(2, 2)))
spec(SL + "norm", Case("frobenius", csl.norm, normal(2, 3)),
     Case("ord2-axis", lambda a: csl.norm(a, 2, axis=1), normal(2, 3)))
spec(SL + "svdvals", Case("matrix", csl.svdvals, normal(3, 2)))
spec(SL + "lu", Case("square", csl.lu, normal(3, 3)),
     Case("permute-l", lambda a: csl.lu(a, permute_l=True), normal(3, 3)),
     Case("p-indices", lambda a: csl.lu(a, p_indices=True)[1:], normal(2, 2)),
     Case("wide", lambda a: csl.lu(a)[1:], normal(2, 3)),
     Case("tall-permute-l", lambda a: csl.lu(a, permute_l=True), normal(3, 2)))
for _n in ("logm", "cosm", "sinm", "tanm", "coshm", "sinhm", "tanhm"):
    spec(SL + _n, Case("matrix", getattr(csl, _n), wellcond(2, 2) if _n == "logm" else
                       normal(2, 2, scale=0.5)))
spec(SL + "fractional_matrix_power",
     Case("power-0.3", lambda a: csl.fractional_matrix_power(a, 0.3), wellcond(2, 2)))
spec(SL + "expm_frechet", Case("matrix", csl.expm_frechet, normal(2, 2, scale=0.5), normal(2, 2)),
     Case("frechet-only", lambda a, e: csl.expm_frechet(a, e, compute_expm=False), normal(2, 2),
          normal(2, 2)))
spec(SL + "polar", Case("right", csl.polar, wellcond(3, 3)),
     Case("left-tall", lambda a: csl.polar(a, "left"), normal(3, 2)))
spec(SL + "solve_sylvester", Case("rectangular", csl.solve_sylvester, wellcond(3, 3), wellcond(2, 2),
                                  normal(3, 2)))
for _n in ("solve_continuous_lyapunov", "solve_lyapunov"):
    spec(SL + _n, Case("matrix", getattr(csl, _n), wellcond(3, 3), normal(3, 3)))
spec(SL + "solve_discrete_lyapunov",
     Case("stable", csl.solve_discrete_lyapunov, normal(3, 3, scale=0.3), normal(3, 3)))
spec(SL + "circulant", Case("vector", csl.circulant, normal(3)),
     Case("batch", csl.circulant, normal(2, 3)))
spec(SL + "hankel", Case("column", csl.hankel, normal(3)),
     Case("column-row", csl.hankel, normal(3), normal(2)))


def _band(rows, n, diagonal_row):
    """Band storage with a dominant diagonal (row ``diagonal_row``): well conditioned."""
    def make(rng):
        ab = rng.standard_normal((rows, n))
        ab[diagonal_row] = 4.0 + rng.uniform(0.0, 1.0, n)
        return ab
    return make


spec(SL + "solve_banded",
     Case("l2-u1", lambda ab, b: csl.solve_banded((2, 1), ab, b), _band(4, 4, 1), normal(4)),
     Case("tridiagonal-matrix", lambda ab, b: csl.solve_banded((1, 1), ab, b), _band(3, 3, 1),
          normal(3, 2)))
spec(SL + "solveh_banded", Case("upper", csl.solveh_banded, _band(2, 4, 1), normal(4)),
     Case("lower", lambda ab, b: csl.solveh_banded(ab, b, lower=True), _band(2, 3, 0),
          normal(3)))
spec(SL + "cholesky_banded", Case("upper", csl.cholesky_banded, _band(2, 4, 1)),
     Case("lower", lambda ab: csl.cholesky_banded(ab, lower=True), _band(3, 3, 0)))
spec(SL + "eigh_tridiagonal",
     Case("values-and-vectors", lambda d, e: (lambda w, v: (w, _abs2(v)))(*csl.eigh_tridiagonal(
         d, e)), separated(3), normal(2)),
     Case("index-range", lambda d, e: csl.eigh_tridiagonal(d, e, eigvals_only=True, select="i",
                                                           select_range=(1, 2)),
          separated(3), normal(2)))
spec(SL + "eigvalsh_tridiagonal", Case("vector", csl.eigvalsh_tridiagonal, separated(4), normal(3)))
spec(SL + "solve_toeplitz",
     Case("column", lambda c, b: csl.solve_toeplitz(c + np.array([3.0, 0.0, 0.0]), b), normal(3),
          normal(3)),
     Case("column-row", lambda c, r, b: csl.solve_toeplitz((c + np.array([3.0, 0.0, 0.0]), r), b),
          normal(3), normal(3), normal(3, 2)))
spec(SL + "matmul_toeplitz", Case("column-row", lambda c, r, x: csl.matmul_toeplitz((c, r), x),
                                  normal(3), normal(2), normal(2)))
for _n in ("convolve", "correlate"):
    _f = getattr(csig, _n)
    spec(SG + _n,
         Case("1d-full", lambda a, v, f=_f: f(a, v), normal(5), normal(3)),
         Case("1d-same", lambda a, v, f=_f: f(a, v, "same"), normal(5), normal(3)),
         Case("1d-valid-short-first", lambda a, v, f=_f: f(a, v, "valid"), normal(3), normal(5)),
         Case("2d-valid", lambda a, v, f=_f: f(a, v, "valid", method="direct"), normal(4, 3),
              normal(2, 2)),
         Case("2d-same-fft", lambda a, v, f=_f: f(a, v, "same", method="fft"), normal(3, 3),
              normal(2, 4)),
         Case("3d-full", lambda a, v, f=_f: f(a, v), normal(2, 3, 2), normal(2, 2, 2)))



def _stable(a):
    """A denominator [1, a1, a2] with its poles inside the unit circle (|a| small)."""
    return cnp.concatenate([cnp.ones(1), 0.3 * cnp.tanh(a)])


def _sections(s):
    """Second-order sections with the a0 column exactly 1 (SciPy checks it)."""
    return cnp.concatenate([s[:, :3], cnp.ones((s.shape[0], 1)),
                            0.3 * cnp.tanh(s[:, 4:])], axis=1)


spec(SG + "lfilter",
     Case("iir", lambda b, a, x: csig.lfilter(b, _stable(a), x), normal(3), normal(2), normal(6)),
     Case("a0-axis0", lambda b, a0, x: csig.lfilter(b, cnp.stack([2.0 + a0 * a0, -0.3]), x,
                                                    axis=0), normal(2), normal(), normal(5, 2)),
     Case("fir", lambda b, x: csig.lfilter(b, 1.0, x), normal(3), normal(2, 4)),
     Case("zi", lambda b, a, x, z: csig.lfilter(b, _stable(a), x, zi=z), normal(3), normal(2),
          normal(5), normal(2)),
     Case("zi-longer-than-x", lambda b, a, x, z: csig.lfilter(b, _stable(a), x, zi=z, axis=0),
          normal(4), normal(1), normal(2, 2), normal(3, 2)))
spec(SG + "lfilter_zi", Case("ba", lambda b, a: csig.lfilter_zi(b, _stable(a)), normal(3),
                             normal(2)))
spec(SG + "filtfilt",
     Case("odd", lambda b, a, x: csig.filtfilt(b, _stable(a), x), normal(3), normal(2),
          normal(12)),
     Case("even-axis0-padlen", lambda b, a, x: csig.filtfilt(b, _stable(a), x, axis=0,
                                                            padtype="even", padlen=3),
          normal(2), normal(1), normal(6, 2)),
     Case("constant", lambda b, x: csig.filtfilt(b, [1.0], x, padtype="constant", padlen=2),
          normal(2), normal(5)),
     Case("no-padding", lambda b, a, x: csig.filtfilt(b, _stable(a), x, padtype=None),
          normal(2), normal(1), normal(4)))
spec(SG + "sosfilt",
     Case("two-sections", lambda s, x: csig.sosfilt(_sections(s), x), normal(2, 6), normal(6)),
     Case("zi-axis0", lambda s, x, z: csig.sosfilt(_sections(s), x, axis=0, zi=z), normal(1, 6),
          normal(4, 2), normal(1, 2, 2)))
spec(SG + "detrend",
     Case("linear", csig.detrend, normal(2, 6)),
     Case("breakpoints-axis0", lambda x: csig.detrend(x, axis=0, bp=[3]), normal(7, 2)),
     Case("constant", lambda x: csig.detrend(x, type="constant"), normal(5)))
spec(SG + "hilbert",
     Case("even", csig.hilbert, normal(2, 6)),
     Case("odd-N-axis0", lambda x: csig.hilbert(x, N=5, axis=0), normal(4, 2)))
for _n in ("fftconvolve", "oaconvolve"):
    _f = getattr(csig, _n)
    spec(SG + _n,
         Case("1d-full", lambda a, v, f=_f: f(a, v), normal(5), normal(3)),
         Case("1d-valid-swapped", lambda a, v, f=_f: f(a, v, "valid"), normal(3), normal(5)),
         Case("2d-same", lambda a, v, f=_f: f(a, v, "same"), normal(4, 3), normal(2, 2)),
         Case("axes-broadcast", lambda a, v, f=_f: f(a, v, axes=1), normal(2, 5), normal(1, 3)))
for _n in ("convolve2d", "correlate2d"):
    _f = getattr(csig, _n)
    spec(SG + _n,
         Case("fill-full", lambda a, v, f=_f: f(a, v), normal(3, 4), normal(2, 2)),
         Case("wrap-same", lambda a, v, f=_f: f(a, v, "same", boundary="wrap"), normal(3, 4),
              normal(2, 3)),
         Case("symm-same", lambda a, v, f=_f: f(a, v, "same", boundary="symm"), normal(4, 3),
              normal(2, 2)),
         Case("valid-swapped", lambda a, v, f=_f: f(a, v, "valid"), normal(2, 2), normal(3, 4)),
         Case("fillvalue", lambda a, v, c, f=_f: f(a, v, fillvalue=c), normal(2, 3),
              normal(2, 2), normal()))
spec(SG + "welch",
     Case("hann-segments", lambda x: csig.welch(x, nperseg=8)[1], normal(20)),
     Case("linear-detrend-nfft-axis0", lambda x: csig.welch(
         x, nperseg=6, noverlap=2, nfft=8, detrend="linear", axis=0)[1], normal(14, 2)),
     Case("spectrum-twosided", lambda x: csig.welch(
         x, nperseg=8, scaling="spectrum", return_onesided=False, window="hamming")[1],
          normal(2, 16)))
spec(SG + "periodogram",
     Case("boxcar", lambda x: csig.periodogram(x)[1], normal(9)),
     Case("hann-nfft-axis0", lambda x: csig.periodogram(x, window="hann", nfft=12, axis=0)[1],
          normal(8, 2)),
     Case("short-nfft-spectrum", lambda x: csig.periodogram(x, nfft=6, scaling="spectrum")[1],
          normal(2, 8)))
spec(SG + "savgol_filter",
     Case("interp", lambda x: csig.savgol_filter(x, 5, 2), normal(9)),
     Case("interp-deriv-axis0", lambda x: csig.savgol_filter(x, 5, 2, deriv=1, delta=0.5,
                                                             axis=0), normal(7, 2)),
     Case("mirror", lambda x: csig.savgol_filter(x, 5, 2, mode="mirror"), normal(2, 6)),
     Case("nearest-wrap", lambda x: csig.savgol_filter(
         csig.savgol_filter(x, 3, 1, mode="nearest"), 3, 1, mode="wrap"), normal(5)),
     Case("constant-cval", lambda x, c: csig.savgol_filter(x, 3, 1, mode="constant", cval=c),
          normal(6), normal()))
spec(SG + "stft",
     Case("zeros-padded", lambda x: csig.stft(x, nperseg=8)[2], normal(20)),
     Case("odd-linear-axis0", lambda x: csig.stft(x, nperseg=6, noverlap=2, nfft=8,
                                                  boundary="odd", detrend="linear",
                                                  axis=0)[2], normal(13, 2)),
     Case("psd-no-boundary", lambda x: csig.stft(x, nperseg=5, boundary=None, padded=False,
                                                 scaling="psd", fs=2.0)[2], normal(2, 12)))

# ---- signal2: more of scipy.signal (lsim, dlsim, resampling, spectra, rank and spline filters) --
_SOS2 = np.array([[0.2, 0.4, 0.2, 1.0, -0.3, 0.1], [1.0, -0.5, 0.0, 1.0, 0.2, 0.0]])
_T4 = np.linspace(0.0, 1.0, 4)
_B2, _X02 = np.array([[1.0], [0.5]]), np.array([0.5, -1.0])


def _lsim_ss(a, b, u, x0, interp=True):
    """A stable system (A near −2·I) with a traced input, state and matrices."""
    return csig.lsim((a - 2.0 * np.eye(2), b, np.array([[1.0, 2.0]]), np.array([[0.3]])), u, _T4,
                     X0=x0, interp=interp)[1:]


spec(SG + "lfiltic",
     Case("y-and-x", lambda b, a, y, x: csig.lfiltic(b, _stable(a), y, x), normal(3), normal(2),
          normal(2), normal(1)),
     Case("y-only-a0", lambda a0, y: csig.lfiltic([1.0, 0.5], cnp.stack([2.0 + a0 * a0, -0.3]),
                                                  y), normal(), normal(3)))
spec(SG + "sosfiltfilt",
     Case("odd", lambda x: csig.sosfiltfilt(_SOS2, x), normal(16)),
     Case("sections-even-axis0", lambda s, x: csig.sosfiltfilt(_sections(s), x, axis=0,
                                                               padtype="even", padlen=3),
          normal(1, 6), normal(6, 2)))
spec(SG + "deconvolve",
     Case("quotient-remainder", lambda n, d: csig.deconvolve(n, cnp.concatenate(
         [cnp.ones(1) * 2.0, 0.3 * d]))[::-1], normal(6), normal(2)))
spec(SG + "upfirdn",
     Case("up2-down3", lambda h, x: csig.upfirdn(h, x, 2, 3), normal(4), normal(7)),
     Case("axis0-cval", lambda x, c: csig.upfirdn([1.0, 0.5, 0.25], x, 3, 2, axis=0, cval=c),
          normal(4, 2), normal()))
spec(SG + "resample",
     Case("up-even", lambda x: csig.resample(x, 10), normal(6)),
     Case("down-even-window-axis1", lambda x: csig.resample(x, 4, axis=1, window="hann"),
          normal(2, 7)),
     Case("down-odd", lambda x: csig.resample(x, 3), normal(8)))
spec(SG + "resample_poly",
     Case("3-2", lambda x: csig.resample_poly(x, 3, 2), normal(7)),
     Case("mean-axis1", lambda x: csig.resample_poly(x, 1, 2, axis=1, padtype="mean"),
          normal(2, 6)),
     Case("window-array-cval", lambda w, x: csig.resample_poly(x, 2, 3, window=w, cval=1.0),
          normal(5), normal(6)))
spec(SG + "decimate",
     Case("iir", lambda x: csig.decimate(x, 2, n=2), normal(20)),
     Case("fir-not-zero-phase", lambda x: csig.decimate(x, 2, n=6, ftype="fir",
                                                        zero_phase=False), normal(9)),
     Case("fir-axis0", lambda x: csig.decimate(x, 2, n=4, ftype="fir", axis=0), normal(7, 2)))
spec(SG + "lsim",
     Case("ss-linear-a-u", lambda a, u: _lsim_ss(a, _B2, u, _X02), normal(2, 2, scale=0.3),
          normal(4)),
     Case("ss-hold-b-x0", lambda b, x0: _lsim_ss(np.zeros((2, 2)), b,
                                                 np.array([1.0, -0.5, 0.2, 0.0]), x0, False),
          normal(2, 1), normal(2)),
     Case("tf-late-start", lambda n, d, u: csig.lsim(
         (n, cnp.concatenate([cnp.ones(1), 2.0 + 0.3 * d])), u, _T4 + 0.5)[1], normal(2),
          normal(1), normal(4)))
spec(SG + "dlsim",
     Case("ss", lambda a, u, x0: csig.dlsim((0.3 * a, np.ones((2, 1)), np.array([[1.0, -1.0]]),
                                            np.array([[0.5]]), 0.1), u, x0=x0)[1:],
          normal(2, 2), normal(5), normal(2)),
     Case("tf-t", lambda n, d, u: csig.dlsim((n, cnp.concatenate([cnp.ones(1), 0.3 * d]), 0.5),
                                             u, t=np.linspace(0.0, 2.0, 5))[1], normal(2),
          normal(1), normal(5)))
spec(SG + "spectrogram",
     Case("psd", lambda x: csig.spectrogram(x, nperseg=8)[2], normal(20)),
     Case("complex-linear-axis0", lambda x: csig.spectrogram(
         x, nperseg=6, noverlap=2, nfft=8, detrend="linear", mode="complex", axis=0)[2],
          normal(13, 2)),
     Case("magnitude-spectrum", lambda x: csig.spectrogram(x, nperseg=5, mode="magnitude",
                                                           scaling="spectrum")[2], normal(12)))
spec(SG + "csd",
     Case("mean", lambda x, y: csig.csd(x, y, nperseg=8)[1], normal(16), normal(16)),
     Case("median-twosided-axis0", lambda x, y: csig.csd(x, y, nperseg=6, axis=0, average="median",
                                                       return_onesided=False)[1],
          normal(14, 2), normal(14, 2)))
spec(SG + "coherence", Case("pair", lambda x, y: csig.coherence(x, y, nperseg=8)[1], normal(20),
                            normal(20)))
spec(SG + "istft",
     Case("onesided", lambda z: csig.istft(z, nperseg=8)[1], normal(5, 4)),
     Case("twosided-psd-axes", lambda z: csig.istft(z, nperseg=4, input_onesided=False,
                                                    scaling="psd", time_axis=0, freq_axis=1)[1],
          normal(5, 4)))
spec(SG + "czt",
     Case("dft", csig.czt, normal(6)),
     Case("spiral-axis0", lambda x: csig.czt(x, m=4, w=np.exp(-0.3j), a=0.9 * np.exp(0.2j),
                                             axis=0), normal(5, 2)))
spec(SG + "zoom_fft", Case("band", lambda x: csig.zoom_fft(x, [0.1, 0.6], m=5, endpoint=True),
                           normal(7)))
spec(SG + "hilbert2",
     Case("square", csig.hilbert2, normal(4, 5)),
     Case("N-axes", lambda x: csig.hilbert2(x, N=(4, 3), axes=(0, 2)), normal(3, 2, 3)))
spec(SG + "envelope",
     Case("lowpass-residual", csig.envelope, normal(16)),
     Case("squared-band-resampled", lambda z: csig.envelope(z, (2, 6), n_out=10, squared=True,
                                                            residual="all", axis=0), normal(15, 2)))
spec(SG + "vectorstrength",
     Case("periods", lambda e, p: csig.vectorstrength(e, p), unif(0.0, 5.0, 6), unif(0.8, 1.5, 2)))
spec(SG + "lombscargle",
     Case("power", lambda x, y, f: csig.lombscargle(x, y, f), unif(0.0, 5.0, 8), normal(8),
          unif(0.5, 3.0, 3)),
     Case("normalize-floating-weights", lambda y, w: csig.lombscargle(
         np.linspace(0.0, 4.0, 7), y, np.array([0.7, 1.9]), normalize=True, floating_mean=True,
         weights=1.5 + 0.2 * cnp.tanh(w)), normal(7), normal(7)),
     Case("amplitude", lambda y: csig.lombscargle(np.linspace(0.0, 4.0, 7), y,
                                                  np.array([0.7, 1.9]), normalize="amplitude"),
          normal(7)))
_DOMAIN = np.array([[1, 0, 1], [0, 1, 0], [1, 1, 1]])
spec(SG + "medfilt",
     Case("1d", csig.medfilt, normal(7)),
     Case("2d-5x1", lambda x: csig.medfilt(x, [5, 1]), normal(4, 3)))
spec(SG + "medfilt2d", Case("3x3", csig.medfilt2d, normal(4, 5)))
spec(SG + "order_filter", Case("domain", lambda x: csig.order_filter(x, _DOMAIN, 2), normal(4, 4)))
spec(SG + "wiener",
     Case("estimated-noise", csig.wiener, normal(5, 4)),
     Case("given-noise-1d", lambda x, n: csig.wiener(x, 5, 0.1 + n * n), normal(9), normal()))
spec(SG + "symiirorder1",
     Case("1d", lambda x: csig.symiirorder1(x, 0.8, 0.3, precision=1e-3), normal(8)),
     Case("2d", lambda x: csig.symiirorder1(x, 1.2, -0.25, precision=1e-3), normal(2, 7)))
spec(SG + "symiirorder2",
     Case("1d", lambda x: csig.symiirorder2(x, 0.3, 0.7, precision=1e-3), normal(10)),
     Case("2d", lambda x: csig.symiirorder2(x, 0.25, 1.9, precision=1e-3), normal(2, 9)))
spec(SG + "cspline1d",
     Case("interpolating", csig.cspline1d, normal(6)),
     Case("smoothing", lambda x: csig.cspline1d(x, 0.5), normal(6)),
     Case("one-sample", csig.cspline1d, normal(1)))
spec(SG + "qspline1d", Case("interpolating", csig.qspline1d, normal(5)))
spec(SG + "cspline2d",
     Case("cubic", lambda x: csig.cspline2d(x, precision=1e-2), normal(5, 6)),
     Case("smoothing", lambda x: csig.cspline2d(x, 0.05, precision=1e-2), normal(6, 6)))
spec(SG + "qspline2d", Case("quadratic", lambda x: csig.qspline2d(x, precision=1e-2),
                            normal(4, 5)))
spec(SG + "spline_filter", Case("cubic", lambda x: csig.spline_filter(x, 0.0), normal(12, 12)))
spec(SG + "sepfir2d", Case("filters", csig.sepfir2d, normal(4, 5), normal(3), normal(5)))
spec(SG + "cspline1d_eval",
     Case("coefficients-and-points", lambda c, x: csig.cspline1d_eval(c, x), normal(5),
          unif(-3.0, 8.0, 6)),
     Case("dx-x0", lambda c: csig.cspline1d_eval(c, np.array([0.3, 1.2, 2.9, -0.4]), dx=0.5,
                                                 x0=1.0), normal(4)))
spec(SG + "qspline1d_eval",
     Case("coefficients-and-points", lambda c, x: csig.qspline1d_eval(c, x), normal(5),
          unif(-3.0, 8.0, 6)))
spec(SG + "gauss_spline", Case("order3", lambda x: csig.gauss_spline(x, 3), normal(5)))
# ---- end of signal2 ----

spec(SL + "companion", Case("vector", csl.companion, nonzero(0.5, 2.0, 4)))
spec(SL + "fiedler", Case("vector", csl.fiedler, separated(3)))
spec(SL + "leslie", Case("vectors", csl.leslie, normal(3), normal(2)))
spec(SL + "khatri_rao", Case("matrices", csl.khatri_rao, normal(2, 3), normal(3, 3)))
spec(SL + "diagsvd", Case("wide", lambda s: csl.diagsvd(s, 2, 3), normal(2)),
     Case("tall", lambda s: csl.diagsvd(s, 3, 2), normal(2)))
spec(SL + "orthogonal_procrustes", Case("tall", csl.orthogonal_procrustes, normal(3, 2),
                                        normal(3, 2)))
spec(SL + "cho_solve_banded",
     Case("upper", lambda cb, b: csl.cho_solve_banded((cb, False), b), _band(2, 3, 1), normal(3)))
spec(SL + "eig_banded", Case("values", lambda a: csl.eig_banded(a, eigvals_only=True),
                             _band(2, 3, 1)))
spec(SL + "eigvals_banded", Case("lower", lambda a: csl.eigvals_banded(a, lower=True),
                                 _band(2, 3, 0)))
spec(SL + "convolution_matrix", Case("same", lambda a: csl.convolution_matrix(a, 4, "same"),
                                     normal(3)))
spec(SL + "pinvh", Case("lower", csl.pinvh, wellcond(3, 3)),
     Case("upper", lambda a: csl.pinvh(a, lower=False), wellcond(2, 2)))
spec(SL + "solve_circulant",
     Case("matrix", lambda c, b: csl.solve_circulant(c + np.array([3.0, 0.0, 0.0]), b), normal(3),
          normal(3, 2)))
spec(SL + "solve_continuous_are",
     Case("lqr", lambda a, b, q, r: csl.solve_continuous_are(a, b, sym(q), sym(r)), normal(3, 3),
          normal(3, 2), spd(3, 3), spd(2, 2)))
spec(SL + "solve_discrete_are",
     Case("lqr", lambda a, b, q, r: csl.solve_discrete_are(a, b, sym(q), sym(r)), normal(3, 3),
          normal(3, 2), spd(3, 3), spd(2, 2)))
# scipy.ndimage: every boundary mode, origins, complex weights (conjugated by correlate)
spec(ND + "correlate",
     Case("2d-reflect", cndi.correlate, normal(4, 3), normal(3, 2)),
     Case("1d-constant-cval", lambda x, w: cndi.correlate(x, w, mode="constant", cval=0.5),
          normal(5), normal(3)),
     Case("wrap-origin", lambda x, w: cndi.correlate(x, w, mode="wrap", origin=-1), normal(5),
          normal(4)),
     Case("axes", lambda x, w: cndi.correlate(x, w, mode="mirror", axes=1), normal(2, 4),
          normal(3)))
spec(ND + "convolve",
     Case("2d-nearest", lambda x, w: cndi.convolve(x, w, mode="nearest"), normal(3, 4),
          normal(2, 3)),
     Case("1d-even-kernel-grid-wrap", lambda x, w: cndi.convolve(x, w, mode="grid-wrap"),
          normal(5), normal(2)))
spec(ND + "correlate1d",
     Case("axis0-mirror", lambda x, w: cndi.correlate1d(x, w, axis=0, mode="mirror"),
          normal(4, 2), normal(3)))
spec(ND + "convolve1d",
     Case("reflect-origin", lambda x, w: cndi.convolve1d(x, w, origin=1), normal(5), normal(4)))
spec(ND + "gaussian_filter",
     Case("2d", lambda x: cndi.gaussian_filter(x, 0.8), normal(4, 3)),
     Case("per-axis-order-wrap", lambda x: cndi.gaussian_filter(x, [0.8, 0.5], order=[1, 0],
                                                                mode="wrap"), normal(4, 3)))
spec(ND + "gaussian_filter1d",
     Case("constant-truncate", lambda x: cndi.gaussian_filter1d(x, 1.2, mode="constant",
                                                                 truncate=2.0), normal(6)))
spec(ND + "uniform_filter",
     Case("2d-size2", lambda x: cndi.uniform_filter(x, 2), normal(4, 3)),
     Case("sizes-nearest", lambda x: cndi.uniform_filter(x, [3, 1], mode="nearest"),
          normal(3, 3)))
spec(ND + "uniform_filter1d",
     Case("origin", lambda x: cndi.uniform_filter1d(x, 4, origin=-1), normal(6)))


# scipy.ndimage beyond the filters above: derivative filters, Fourier filters, interpolation
# (in the input and the coordinates), rank filters and grey morphology (separated values: no
# ties), measurements over labels
def _off_knots(lo, hi, *shape):
    """Coordinates away from the spline knots: an integer in [lo, hi) plus 0.15..0.85."""
    return lambda rng: rng.integers(lo, hi, shape) + rng.uniform(0.15, 0.85, shape)


_LAB = np.array([[1, 1, 0, 2], [2, 1, 3, 3], [0, 2, 3, 1]])
_FP = np.array([[1, 0, 1], [0, 1, 1]], bool)
spec(ND + "sobel", Case("axis0-constant", lambda x: cndi.sobel(x, 0, mode="constant", cval=0.5),
                         normal(3, 4)))
spec(ND + "prewitt", Case("wrap", lambda x: cndi.prewitt(x, mode="wrap"), normal(3, 4)))
spec(ND + "laplace", Case("mirror", lambda x: cndi.laplace(x, mode="mirror"), normal(3, 4)))
spec(ND + "gaussian_laplace", Case("nearest", lambda x: cndi.gaussian_laplace(
    x, 0.8, mode="nearest", truncate=2.0), normal(3, 4)))
spec(ND + "gaussian_gradient_magnitude", Case("reflect", lambda x: cndi.gaussian_gradient_magnitude(
    x, 0.7, truncate=2.0), normal(3, 4)))
spec(ND + "generic_gradient_magnitude", Case("sobel", lambda x: cndi.generic_gradient_magnitude(
    x, cndi.sobel), normal(3, 4)))
spec(ND + "generic_laplace", Case("correlate1d", lambda x: cndi.generic_laplace(
    x, lambda x, axis, output, mode, cval: cndi.correlate1d(x, [1.0, -2.0, 1.0], axis,
                                                           output, mode, cval),
    mode="wrap"), normal(3, 4)))
spec(ND + "fourier_gaussian", Case("axis0-real-n", lambda x: cndi.fourier_gaussian(
    x, (0.8, 1.3), n=5, axis=0), normal(3, 4)))
spec(ND + "fourier_uniform", Case("2d", lambda x: cndi.fourier_uniform(x, 2.0), normal(3, 4)))
spec(ND + "fourier_ellipsoid", Case("2d", lambda x: cndi.fourier_ellipsoid(x, (2.0, 3.0)),
                                    normal(3, 4)))
spec(ND + "fourier_shift", Case("2d", lambda x: cndi.fourier_shift(x, (0.3, -1.2)), normal(3, 4)))
spec(ND + "map_coordinates",
     Case("order1-input-and-coordinates-reflect", lambda x, c: cndi.map_coordinates(
         x, c, order=1, mode="reflect"), normal(3, 4), _off_knots(-2, 5, 2, 3)),
     Case("order3-coordinates-grid-constant", lambda x, c: cndi.map_coordinates(
         x, c, order=3, mode="grid-constant", cval=0.3), normal(3, 4), _off_knots(-1, 4, 2, 2)),
     Case("order2-input-nearest", lambda x: cndi.map_coordinates(
         x, [[0.3, 2.6, -1.4], [3.2, 0.7, 1.9]], order=2, mode="nearest"), normal(3, 4)))
spec(ND + "shift",
     Case("order1-shift-wrap", lambda x, s: cndi.shift(x, s, order=1, mode="grid-wrap"),
          normal(3, 4), _off_knots(-2, 2, 2)),
     Case("order3-input-mirror", lambda x: cndi.shift(x, (0.4, -1.3), mode="mirror"),
          normal(3, 4)))
spec(ND + "zoom", Case("order3-constant", lambda x: cndi.zoom(x, 1.5), normal(3, 4)))
spec(ND + "affine_transform",
     Case("order1-matrix-offset-nearest", lambda x, m, o: cndi.affine_transform(
         x, cnp.eye(2) + 0.1 * m, o, order=1, mode="nearest"), normal(3, 4), normal(2, 2),
          unif(0.15, 0.45, 2)))
spec(ND + "rotate", Case("order1-angle", lambda x, a: cndi.rotate(
    x, 20.0 + a, reshape=False, order=1, mode="reflect"), normal(3, 4), unif(0.0, 3.0)))
spec(ND + "spline_filter", Case("order3-mirror", lambda x: cndi.spline_filter(x), normal(3, 4)))
spec(ND + "spline_filter1d", Case("order5-wrap-axis0", lambda x: cndi.spline_filter1d(
    x, 5, axis=0, mode="grid-wrap"), normal(4, 3)))
spec(ND + "maximum_filter1d", Case("constant", lambda x: cndi.maximum_filter1d(
    x, 3, mode="constant", cval=-9.0), separated(3, 4)))
spec(ND + "minimum_filter1d", Case("axis0-origin", lambda x: cndi.minimum_filter1d(
    x, 2, axis=0, origin=-1), separated(3, 4)))
spec(ND + "maximum_filter", Case("size-wrap", lambda x: cndi.maximum_filter(x, 2, mode="wrap"),
                                 separated(3, 4)))
spec(ND + "minimum_filter", Case("footprint", lambda x: cndi.minimum_filter(x, footprint=_FP),
                                 separated(3, 4)))
spec(ND + "median_filter", Case("size3", lambda x: cndi.median_filter(x, 3), separated(3, 4)))
spec(ND + "rank_filter", Case("footprint-mirror", lambda x: cndi.rank_filter(
    x, 1, footprint=_FP, mode="mirror"), separated(3, 4)))
spec(ND + "percentile_filter", Case("p30", lambda x: cndi.percentile_filter(x, 30, size=(2, 3)),
                                    separated(3, 4)))
spec(ND + "grey_dilation", Case("structure", lambda x: cndi.grey_dilation(
    x, structure=np.array([[0.05, 0.0], [0.0, 0.02]])), separated(3, 4)))
spec(ND + "grey_erosion", Case("size", lambda x: cndi.grey_erosion(x, size=(2, 2)),
                               separated(3, 4)))
spec(ND + "grey_opening", Case("size", lambda x: cndi.grey_opening(x, size=2), separated(3, 4)))
spec(ND + "grey_closing", Case("footprint", lambda x: cndi.grey_closing(x, footprint=_FP),
                               separated(3, 4)))
spec(ND + "white_tophat", Case("size", lambda x: cndi.white_tophat(x, size=2), separated(3, 4)))
spec(ND + "black_tophat", Case("size", lambda x: cndi.black_tophat(x, size=2), separated(3, 4)))
spec(ND + "morphological_gradient", Case("size", lambda x: cndi.morphological_gradient(
    x, size=3), separated(3, 4)))
spec(ND + "morphological_laplace", Case("size", lambda x: cndi.morphological_laplace(
    x, size=(2, 3)), separated(3, 4)))
spec(ND + "sum_labels", Case("index", lambda x: cndi.sum_labels(x, _LAB, [1, 2, 4]),
                             normal(3, 4)))
spec(ND + "sum", Case("labels", lambda x: cndi.sum(x, _LAB), normal(3, 4)))
spec(ND + "mean", Case("index", lambda x: cndi.mean(x, _LAB, [3, 1]), normal(3, 4)))
spec(ND + "variance", Case("index", lambda x: cndi.variance(x, _LAB, [1, 2, 3]), normal(3, 4)))
spec(ND + "standard_deviation", Case("scalar-index", lambda x: cndi.standard_deviation(
    x, _LAB, 2), normal(3, 4)))
spec(ND + "center_of_mass", Case("index", lambda x: cnp.stack(
    [cnp.stack(p) for p in cndi.center_of_mass(x, _LAB, [1, 3])]), unif(0.5, 2.0, 3, 4)))
spec(ND + "maximum", Case("index", lambda x: cndi.maximum(x, _LAB, [1, 2]), separated(3, 4)))
spec(ND + "minimum", Case("all", lambda x: cndi.minimum(x), separated(3, 4)))
spec(ND + "extrema", Case("values", lambda x: cndi.extrema(x, _LAB, 3)[:2], separated(3, 4)))
spec(ND + "median", Case("index", lambda x: cndi.median(x, _LAB, [1, 3]), separated(3, 4)))
spec(ND + "generic_filter", Case("footprint-wrap", lambda x: cndi.generic_filter(
    x, lambda v: cnp.sum(v * v * np.arange(1.0, 5.0)), footprint=np.array([[1, 0, 1], [0, 1, 1]]),
    mode="wrap"), normal(3, 4)))
def _weighted_line(iline, oline):
    oline[...] = iline[:-2] * iline[1:-1] + 2.0 * iline[2:]


def _line_loop(iline, oline):
    for k in range(len(oline)):
        oline[k] = iline[k] * iline[k + 3]


spec(ND + "generic_filter1d",
     Case("slices-nearest", lambda x: cndi.generic_filter1d(x, _weighted_line, 3, axis=0,
                                                            mode="nearest"), normal(3, 4)),
     Case("loop-constant-origin", lambda x: cndi.generic_filter1d(
         x, _line_loop, 4, mode="constant", cval=0.5, origin=-1), normal(2, 5)))
spec(ND + "geometric_transform", Case("order3-mirror", lambda x: cndi.geometric_transform(
    x, lambda o: (0.9 * o[0] + 0.3, 1.1 * o[1] - 0.2), output_shape=(2, 4), mode="mirror"),
    normal(3, 4)))
spec(ND + "labeled_comprehension", Case("prod", lambda x: cndi.labeled_comprehension(
    x, _LAB, [1, 2, 5], np.prod, float, 0.0), normal(3, 4)))


_KNOTS = np.array([0.0, 1.0, 2.5, 3.0])
spec(IP + "interp1d",
     Case("values", lambda y: cinterp.interp1d(_KNOTS, y)(np.array([0.3, 1.7, 2.9])), normal(4)),
     Case("values-and-points", lambda y, t: cinterp.interp1d(_KNOTS, y)(t), normal(4),
          unif(0.1, 2.9, 2, 2)),
     Case("axis0-extrapolate-knots", lambda x, y, t: cinterp.interp1d(
         cnp.cumsum(x), y, axis=0, fill_value="extrapolate")(t), unif(0.5, 1.0, 4), normal(4, 2),
          unif(-1.0, 4.0, 3)),
     Case("unsorted-fill-pair", lambda y, t: cinterp.interp1d(
         _KNOTS[::-1], y, bounds_error=False, fill_value=(-1.0, 2.0))(t), normal(2, 4),
          unif(0.1, 2.9, 3)))


# the splines of chainrule.scipy.interpolate (tests/test_scipy_interpolate_more.py has the rest)
_PX = np.array([0.0, 1.0, 2.0, 3.5])
_SX = np.array([0.0, 0.7, 1.5, 2.0, 3.1, 4.0])
_ST = np.array([0.3, 1.2, 2.6, 3.9, 4.4])          # one point extrapolated
_BT = np.array([0.0, 0.0, 0.0, 0.0, 1.5, 2.2, 4.0, 4.0, 4.0, 4.0])
_GRID = (np.array([0.0, 1.0, 2.5]), np.array([-1.0, 0.0, 0.5, 2.0]))
_GRID3 = (np.array([0.0, 1.0]), np.array([0.0, 0.5, 2.0]), np.array([0.0, 3.0]))
spec(IP + "PPoly",
     Case("values", lambda c: cinterp.PPoly(c, _PX)(np.array([0.3, 1.2, 2.9, 3.8])), normal(4, 3)),
     Case("points-derivative-antiderivative", lambda c, t: cinterp.PPoly(c, _PX).derivative()(t)
          + cinterp.PPoly(c, _PX).antiderivative(2)(t), normal(4, 3), unif(0.1, 0.9, 2)),
     Case("integrate-bounds", lambda c, a, b: cinterp.PPoly(c, _PX).integrate(a, b),
          normal(3, 3, 2), unif(0.1, 0.9), unif(2.2, 3.3)))
spec(IP + "CubicSpline",
     Case("values", lambda y: cinterp.CubicSpline(_SX, y)(_ST), normal(6)),
     Case("natural-axis1-points-nu1", lambda y, t: cinterp.CubicSpline(
         _SX, y, axis=1, bc_type="natural")(t, 1), normal(2, 6), unif(0.8, 1.4, 3)),
     Case("clamped-values-integrate", lambda y: cinterp.CubicSpline(
         _SX, y, bc_type=((1, 0.5), (2, -1.0))).integrate(0.2, 3.3), normal(6)),
     Case("periodic", lambda y: cinterp.CubicSpline(
         _SX, cnp.concatenate([y, y[:1]]), bc_type="periodic")(_ST + 5.0), normal(5)))
spec(IP + "CubicHermiteSpline",
     Case("values-slopes", lambda y, d: cinterp.CubicHermiteSpline(_SX, y, d)(_ST), normal(6),
          normal(6)),
     Case("points", lambda y, d, t: cinterp.CubicHermiteSpline(_SX, y, d)(t), normal(6),
          normal(6), unif(1.6, 1.9, 2)))
spec(IP + "PchipInterpolator",
     Case("values", lambda y: cinterp.PchipInterpolator(_SX, y)(_ST), normal(6)),
     Case("axis1-points", lambda y, t: cinterp.PchipInterpolator(_SX, y, axis=1)(t), normal(2, 6),
          unif(2.1, 3.0, 3)))
spec(IP + "pchip_interpolate",
     Case("der1", lambda y, t: cinterp.pchip_interpolate(_SX, y, t, der=1), normal(6),
          unif(0.1, 0.6, 2)))
spec(IP + "Akima1DInterpolator",
     Case("values", lambda y: cinterp.Akima1DInterpolator(_SX, y)(_ST[:3]), normal(6)),
     Case("makima-points-extrapolate", lambda y, t: cinterp.Akima1DInterpolator(
         _SX, y, method="makima", extrapolate=True)(t), normal(6), unif(3.2, 4.5, 3)))
spec(IP + "BSpline",
     Case("values", lambda c: cinterp.BSpline(_BT, c, 3)(_ST), normal(6)),
     Case("points-derivative-antiderivative", lambda c, t: cinterp.BSpline(_BT, c, 3).derivative()(t)
          + cinterp.BSpline(_BT, c, 3).antiderivative()(t), normal(6, 2), unif(2.3, 3.9, 2)),
     Case("integrate-bounds", lambda c, a, b: cinterp.BSpline(_BT, c, 3).integrate(a, b),
          normal(6), unif(0.1, 1.4), unif(2.3, 3.9)))
spec(IP + "make_interp_spline",
     Case("values", lambda y: cinterp.make_interp_spline(_SX, y)(_ST), normal(6)),
     Case("k5-points-nu1", lambda y, t: cinterp.make_interp_spline(_SX, y, k=5)(t, 1), normal(6),
          unif(0.8, 1.4, 2)),
     Case("natural-axis1", lambda y: cinterp.make_interp_spline(
         _SX, y, bc_type="natural", axis=1)(_ST), normal(2, 6)))
spec(IP + "splrep",
     Case("interpolating", lambda y: cinterp.splrep(_SX, y)[1], normal(6)),
     Case("fixed-knots", lambda y: cinterp.splrep(_SX, y, t=np.array([1.6, 2.5]))[1], normal(6)))
spec(IP + "splev",
     Case("points-der1", lambda y, t: cinterp.splev(t, cinterp.splrep(_SX, y), der=1), normal(6),
          unif(2.1, 3.0, 3)),
     Case("const-outside", lambda y, t: cinterp.splev(t, cinterp.splrep(_SX, y, k=2), ext=3),
          normal(6), unif(4.2, 5.0, 2)))
spec(IP + "InterpolatedUnivariateSpline",
     Case("points", lambda y, t: cinterp.InterpolatedUnivariateSpline(_SX, y)(t), normal(6),
          unif(2.1, 3.0, 3)),
     Case("derivative-integral", lambda y: cinterp.InterpolatedUnivariateSpline(_SX, y).derivative()(
         _ST) + cinterp.InterpolatedUnivariateSpline(_SX, y).integral(0.5, 3.3), normal(6)))
spec(IP + "UnivariateSpline",
     Case("s0-points", lambda y, t: cinterp.UnivariateSpline(_SX, y, s=0, k=2)(t, 1), normal(6),
          unif(0.8, 1.4, 2)))
spec(IP + "RegularGridInterpolator",
     Case("linear-values-points", lambda v, p: cinterp.RegularGridInterpolator(_GRID, v)(p),
          normal(3, 4), unif(0.1, 0.4, 2, 2)),
     Case("nearest-fill", lambda v: cinterp.RegularGridInterpolator(
         _GRID, v, method="nearest", bounds_error=False, fill_value=0.5)(
         np.array([[0.2, 0.1], [2.0, 1.9], [3.0, 0.0]])), normal(3, 4)))
spec(IP + "interpn",
     Case("3d-trailing", lambda v, p: cinterp.interpn(_GRID3, v, p), normal(2, 3, 2, 2),
          unif(0.1, 0.4, 2, 3)),
     Case("extrapolate", lambda v: cinterp.interpn(_GRID, v, np.array([[-0.5, 2.5], [1.2, 0.2]]),
                                                   bounds_error=False, fill_value=None),
          normal(3, 4)))
_SCATTERED = np.array([[0.0, 0.0], [1.0, 0.1], [0.2, 1.0], [1.1, 1.2], [0.6, 0.5]])
spec(IP + "lagrange",
     Case("values-nodes", lambda x, w: cinterp.lagrange(x, w)(0.7), separated(3), normal(3)))
spec(IP + "BarycentricInterpolator",
     Case("values", lambda y: cinterp.BarycentricInterpolator(_SX, y, rng=0)(_ST), normal(6)),
     Case("points-and-a-node", lambda y, t: cinterp.BarycentricInterpolator(_SX, y, rng=0)(
         cnp.concatenate([t, _SX[2:3]])), normal(6), unif(0.8, 1.4, 2)))
spec(IP + "barycentric_interpolate",
     Case("der1", lambda y, t: cinterp.barycentric_interpolate(_SX, y, t, der=1, rng=0),
          normal(6), unif(0.8, 1.4, 2)))
spec(IP + "KroghInterpolator",
     Case("values", lambda y: cinterp.KroghInterpolator(_SX, y)(_ST), normal(6)),
     Case("hermite-points-derivative", lambda y, t: cinterp.KroghInterpolator(
         np.array([0.0, 0.0, 1.0, 2.0, 2.0]), y).derivative(t, 2), normal(5), unif(0.3, 1.7, 2)))
spec(IP + "krogh_interpolate",
     Case("ders", lambda y, t: cinterp.krogh_interpolate(_SX, y, t, der=[0, 1]), normal(6),
          unif(0.3, 1.7, 2)))
spec(IP + "griddata",
     Case("linear-values-points", lambda v, p: cinterp.griddata(_SCATTERED, v, p), normal(5),
          unif(0.3, 0.45, 2, 2)),
     Case("nearest-trailing", lambda v: cinterp.griddata(
         _SCATTERED, v, np.array([[0.1, 0.2], [0.9, 0.9]]), method="nearest"), normal(5, 2)))
spec(IP + "RBFInterpolator",
     Case("values", lambda d: cinterp.RBFInterpolator(_SCATTERED, d)(
         np.array([[0.3, 0.4], [0.9, 0.2]])), normal(5, 2)))
# interp2 (scipy.interpolate continued): FITPACK's functions, least-squares and smoothing fits,
# BPoly, the N-D scattered interpolators
_LSQT = np.r_[[0.0] * 4, 1.6, 2.5, [4.0] * 4]


def approximate_taylor_closure(a):
    return cinterp.approximate_taylor_polynomial(lambda t: a[0] * cnp.sin(a[1] * t), 0.2, 3, 1.0,
                                                 order=5).coeffs

_TCK = lambda y: cinterp.splrep(_SX, y)   # noqa: E731
spec(IP + "splder",
     Case("der1-points", lambda y, t: cinterp.splev(t, cinterp.splder(_TCK(y))), normal(6),
          unif(0.8, 1.4, 2)),
     Case("bspline-der2", lambda c: cinterp.splder(cinterp.BSpline(_BT, c, 3), 2)(_ST), normal(6)))
spec(IP + "splantider",
     Case("anti2-points", lambda y, t: cinterp.splev(t, cinterp.splantider(_TCK(y), 2)), normal(6),
          unif(0.8, 1.4, 2)))
spec(IP + "splint",
     Case("coefficients-bounds", lambda y, a, b: cinterp.splint(a, b, _TCK(y)), normal(6),
          unif(0.1, 0.5), unif(2.2, 3.3)),
     Case("bspline", lambda c, b: cinterp.splint(0.3, b, cinterp.BSpline(_BT, c, 3)), normal(6),
          unif(2.3, 3.9)))
spec(IP + "sproot",
     Case("one-root", lambda d: cinterp.sproot(_TCK(_SX - 1.8 + 0.05 * d)), normal(6)))
spec(IP + "spalde",
     Case("point", lambda y, x: cinterp.spalde(x, _TCK(y)), normal(6), unif(1.6, 1.9)),
     Case("points", lambda y: cnp.stack(cinterp.spalde(np.array([0.4, 2.6]), _TCK(y))), normal(6)))
spec(IP + "insert",
     Case("coefficients", lambda y: cinterp.insert(2.5, _TCK(y), m=2)[1], normal(6)),
     Case("bspline", lambda c: cinterp.insert(2.5, cinterp.BSpline(_BT, c, 3))(_ST), normal(6, 2)))
spec(IP + "LSQUnivariateSpline",
     Case("values-points", lambda y, t: cinterp.LSQUnivariateSpline(_SX, y, [1.6, 2.5], k=2)(t),
          normal(6), unif(0.8, 1.4, 2)),
     Case("residual", lambda y: cinterp.LSQUnivariateSpline(_SX, y, [1.6, 2.5], k=2,
                                                            w=np.linspace(0.5, 1.5, 6)).get_residual(),
          normal(6)))
spec(IP + "make_lsq_spline",
     Case("values", lambda y: cinterp.make_lsq_spline(_SX, y, _LSQT)(_ST), normal(6)),
     Case("axis1-points", lambda y, t: cinterp.make_lsq_spline(_SX, y, _LSQT, axis=1)(t),
          normal(2, 6), unif(0.8, 1.4, 2)))
spec(IP + "make_smoothing_spline",
     Case("lam", lambda y: cinterp.make_smoothing_spline(_SX, y, lam=0.1)(_ST), normal(6)))
spec(IP + "BPoly",
     Case("values", lambda c: cinterp.BPoly(c, _PX)(np.array([0.3, 1.2, 2.9, 3.8])), normal(4, 3)),
     Case("points-derivative-antiderivative", lambda c, t: cinterp.BPoly(c, _PX).derivative()(t)
          + cinterp.BPoly(c, _PX).antiderivative(2)(t), normal(4, 3), unif(0.1, 0.9, 2)),
     Case("integrate-bounds", lambda c, a, b: cinterp.BPoly(c, _PX).integrate(a, b),
          normal(3, 3, 2), unif(0.1, 0.9), unif(2.2, 3.3)),
     Case("from-derivatives", lambda yi: cinterp.BPoly.from_derivatives(_PX, yi)(_ST[:3]),
          normal(4, 2)),
     Case("from-derivatives-ragged", lambda a, b: cinterp.BPoly.from_derivatives(
         _PX[:2], [a, b])(np.array([0.2, 0.7])), normal(2), normal(1)))
_SCAT_Q = np.array([[0.3, 0.4], [0.9, 0.2], [0.5, 0.8]])
spec(IP + "LinearNDInterpolator",
     Case("values-points", lambda v, p: cinterp.LinearNDInterpolator(_SCATTERED, v)(p), normal(5),
          unif(0.3, 0.45, 2, 2)),
     Case("trailing-rescale-coordinates", lambda v, a: cinterp.LinearNDInterpolator(
         _SCATTERED, v, rescale=True)(a, np.array([0.4, 0.35])), normal(5, 2), unif(0.3, 0.45, 2)))
spec(IP + "NearestNDInterpolator",
     Case("values", lambda v: cinterp.NearestNDInterpolator(_SCATTERED, v)(_SCAT_Q), normal(5, 2)),
     Case("upper-bound", lambda v: cnp.nan_to_num(cinterp.NearestNDInterpolator(_SCATTERED, v)(
         _SCAT_Q, distance_upper_bound=0.3)), normal(5)))
spec(IP + "CloughTocher2DInterpolator",
     Case("values", lambda v: cinterp.CloughTocher2DInterpolator(_SCATTERED, v, tol=1e-14)(
         _SCAT_Q), normal(5)),
     Case("values-points", lambda v, p: cinterp.CloughTocher2DInterpolator(
         _SCATTERED, v, tol=1e-14)(p), normal(5, 2), unif(0.35, 0.55, 2, 2)))
_BX, _BY = np.linspace(0.0, 1.0, 5), np.linspace(0.0, 2.0, 5)
_SCX, _SCY = np.repeat(_BX, 5), np.tile(_BY, 5)
_TH = np.repeat(np.linspace(0.3, 2.8, 6), 7)
_PH = np.tile(np.linspace(0.3, 5.9, 7), 6)
spec(IP + "RectBivariateSpline",
     Case("values-grid", lambda z: cinterp.RectBivariateSpline(_BX, _BY, z, kx=2, ky=2)(
         np.array([0.2, 0.7]), np.array([0.5, 1.1, 1.9])), normal(5, 5)),
     Case("points-ev-derivative", lambda z, p: cinterp.RectBivariateSpline(_BX, _BY, z).ev(
         p[0], p[1], dx=1), normal(5, 5), unif(0.2, 0.8, 2, 2)),
     Case("integral", lambda z: cinterp.RectBivariateSpline(_BX, _BY, z).integral(
         0.1, 0.8, 0.3, 1.7), normal(5, 5)))
spec(IP + "LSQBivariateSpline",
     Case("values-points", lambda z, p: cinterp.LSQBivariateSpline(
         _SCX, _SCY, z, [0.5], [1.0], kx=2, ky=2).ev(p[0], p[1]), normal(25), unif(0.2, 0.8, 2, 2)))
spec(IP + "SmoothBivariateSpline",
     Case("points", lambda p: cinterp.SmoothBivariateSpline(
         _SCX, _SCY, np.sin(_SCX) + _SCY ** 2, kx=2, ky=2).ev(p[0], p[1]), unif(0.2, 0.8, 2, 2)))
spec(IP + "LSQSphereBivariateSpline",
     Case("values-points", lambda r, p: cinterp.LSQSphereBivariateSpline(
         _TH, _PH, r, [1.5], [3.0]).ev(p[0], p[1]), normal(42), unif(0.6, 2.4, 2, 2)))
spec(IP + "SmoothSphereBivariateSpline",
     Case("points", lambda p: cinterp.SmoothSphereBivariateSpline(
         _TH, _PH, np.cos(_TH) + 2.0, s=1.0).ev(p[0], p[1]), unif(0.6, 2.4, 2, 2)))
spec(IP + "RectSphereBivariateSpline",
     Case("values", lambda r: cinterp.RectSphereBivariateSpline(
         np.linspace(0.3, 2.8, 6), np.linspace(0.3, 5.9, 7), r)(np.array([0.9, 1.7]), 2.5),
          normal(6, 7)))
spec(IP + "bisplev",
     Case("coefficients-points", lambda c, x: cinterp.bisplev(cnp.sort(x), np.array([0.4, 1.5]), [
         np.r_[[0.0] * 3, 0.5, [1.0] * 3], np.r_[[0.0] * 3, [2.0] * 3], c, 2, 2]), normal(12),
          unif(0.1, 0.9, 2)),
     Case("derivative-scalar", lambda c, y: cinterp.bisplev(0.3, y, [
         np.r_[[0.0] * 3, 0.5, [1.0] * 3], np.r_[[0.0] * 3, [2.0] * 3], c, 2, 2], dy=1),
          normal(12), unif(0.2, 1.8)))
spec(IP + "bisplrep",
     Case("given-knots", lambda z: cinterp.bisplrep(
         _SCX, _SCY, z, kx=2, ky=2, task=-1, tx=np.r_[[0.0] * 3, 0.5, [1.0] * 3],
         ty=np.r_[[0.0] * 3, [2.0] * 3])[2], normal(25)))
spec(IP + "FloaterHormannInterpolator",
     Case("values-points", lambda y, z: cinterp.FloaterHormannInterpolator(_SX, y)(z), normal(6),
          unif(0.8, 1.4, 2)),
     Case("axis1-at-a-node", lambda y, z: cinterp.FloaterHormannInterpolator(_SX, y, d=2, axis=1)(
         cnp.concatenate([z, _SX[2:3]])), normal(2, 6), unif(0.8, 1.4, 2)))
spec(IP + "AAA",
     Case("points", lambda z: cinterp.AAA(_SX, np.exp(_SX))(z), unif(0.8, 3.4, 3)))
spec(IP + "pade",
     Case("coefficients", lambda a: cinterp.pade(a, 2)[1].coeffs + cinterp.pade(a, 2)[0](0.5),
          unif(0.5, 1.5, 6)))
spec(IP + "approximate_taylor_polynomial",
     Case("through-f", lambda a: approximate_taylor_closure(a), unif(0.5, 1.5, 2)))
_NDT = (np.r_[[0.0] * 3, 0.5, [1.0] * 3], np.r_[[0.0] * 4, [2.0] * 4])
spec(IP + "NdBSpline",
     Case("coefficients-points", lambda c, p: cinterp.NdBSpline(_NDT, c, (2, 3))(p),
          normal(4, 4), unif(0.2, 0.8, 2, 2)),
     Case("trailing-derivative", lambda c: cinterp.NdBSpline(_NDT, c, (2, 3))(
         np.array([[0.3, 1.1], [0.7, 0.4]]), nu=(1, 1)), normal(4, 4, 2)))
spec(IP + "NdPPoly",
     Case("coefficients-points", lambda c, p: cinterp.NdPPoly(c, (np.array([0.0, 0.5, 1.0]),
                                                                   np.array([0.0, 2.0])))(p),
          normal(3, 2, 2, 1), unif(0.2, 0.8, 2, 2)))
spec(IP + "Rbf",
     Case("data-points", lambda d, p: cinterp.Rbf(_SCATTERED[:, 0], _SCATTERED[:, 1], d)(p[0], p[1]),
          normal(5), unif(0.3, 0.8, 2, 2)),
     Case("nd-mode-thin-plate", lambda d: cinterp.Rbf(_SX, d, mode="N-D", function="thin_plate")(
         _ST[:3]), normal(6, 2)))
spec(IP + "splprep",
     Case("given-u", lambda a, b: cnp.stack(cinterp.splev(np.array([0.3, 0.55]), cinterp.splprep(
         [a, b], u=np.linspace(0.0, 1.0, 6), s=0)[0])), normal(6), normal(6)))
spec(IP + "make_splprep",
     Case("given-u", lambda a, b: cinterp.make_splprep([a, b], u=np.linspace(0.0, 1.0, 6), k=2)[0](
         np.array([0.3, 0.55])), normal(6), normal(6)))
spec(IP + "BivariateSpline",
     Case("from-tck", lambda c, p: cinterp.BivariateSpline._from_tck([
         np.r_[[0.0] * 3, 0.5, [1.0] * 3], np.r_[[0.0] * 3, [2.0] * 3], c, 2, 2]).ev(p[0], p[1]),
          normal(12), unif(0.2, 0.8, 2, 2)))
SPECS[IP + "BPoly"].append(Case("from-power-basis", lambda c: cinterp.BPoly.from_power_basis(
    cinterp.PPoly(c, _PX))(np.array([0.3, 1.2, 2.9])), normal(3, 3)))
SPECS[IP + "PPoly"] += [
    Case("from-spline", lambda c: cinterp.PPoly.from_spline((_BT, c, 3))(_ST), normal(6)),
    Case("from-bernstein-basis", lambda c: cinterp.PPoly.from_bernstein_basis(
        cinterp.BPoly(c, _PX))(np.array([0.3, 1.2, 2.9])), normal(3, 3)),
    Case("solve-roots", lambda d, y: cinterp.PPoly.from_spline(cinterp.splrep(
        _SX, _SX - 1.8 + 0.05 * d)).solve(y, extrapolate=False), normal(6), unif(0.4, 0.6))]
SPECS[IP + "InterpolatedUnivariateSpline"].append(Case(
    "roots-derivatives", lambda d: cnp.concatenate([cinterp.InterpolatedUnivariateSpline(
        _SX, _SX - 1.8 + 0.05 * d).roots(), cinterp.InterpolatedUnivariateSpline(
        _SX, d).derivatives(2.2)]), normal(6)))
spec(IP + "make_splrep",
     Case("interpolating", lambda y: cinterp.make_splrep(_SX, y)(_ST), normal(6)),
     Case("k2-points", lambda y, t: cinterp.make_splrep(_SX, y, k=2)(t), normal(6),
          unif(0.8, 1.4, 2)))

def _oscillator(y, t, k, c):
    return cnp.stack([y[1], -k * y[0] - c * y[1] + 0.5 * cnp.sin(t)])


_TS = np.array([0.0, 0.4, 1.1, 1.5])
spec(IN + "odeint",
     Case("oscillator", lambda y0, k, c: cint.odeint(_oscillator, y0, _TS, (k, c), rtol=1e-12,
                                                     atol=1e-12), normal(2), unif(1.0, 2.0),
          unif(0.1, 0.5)),
     Case("decay-time-points", lambda y0, t: cint.odeint(lambda y, s: -y * (1.0 + 0.1 * s), y0,
                                                         cnp.cumsum(t), rtol=1e-12, atol=1e-12),
          normal(2, 2), unif(0.2, 0.6, 3)))

# ---- NumPy breadth: NumPy 2's names, polynomials, sets, the functions calling the user's ----------
SPECS[N + "var"].append(Case("where-correction", lambda x: cnp.var(
    x, axis=1, where=np.array([True, False, True]), correction=1), normal(2, 3)))
SPECS[N + "var"].append(Case("given-mean", lambda x, m: cnp.var(x, axis=0, mean=m), normal(3, 2),
                             normal(1, 2)))
SPECS[N + "std"].append(Case("where-keepdims", lambda x: cnp.std(
    x, axis=0, where=np.array([[True], [False], [True]]), keepdims=True), normal(3, 2)))
spec(N + "vecdot", Case("broadcast", cnp.vecdot, normal(2, 3), normal(3)),
     Case("axis0", lambda a, b: cnp.vecdot(a, b, axis=0), normal(3, 2), normal(3, 2)))
spec(N + "matvec", Case("stack", cnp.matvec, normal(2, 2, 3), normal(3)))
spec(N + "vecmat", Case("stack", cnp.vecmat, normal(2, 3), normal(3, 2)))
spec(N + "unstack", Case("axis1", lambda x: cnp.unstack(x, axis=1), normal(2, 3)))
spec(N + "matrix_transpose", Case("stack", cnp.matrix_transpose, normal(2, 2, 3)))
spec(N + "cumulative_sum", Case("initial-axis1", lambda x: cnp.cumulative_sum(
    x, axis=1, include_initial=True), normal(2, 3)))
spec(N + "cumulative_prod", Case("initial", lambda x: cnp.cumulative_prod(
    x, include_initial=True), normal(4)), Case("axis0", lambda x: cnp.cumulative_prod(x, axis=0),
                                               normal(3, 2)))
spec(LA + "vecdot", Case("vectors", cnp.linalg.vecdot, normal(2, 3), normal(2, 3)))
spec(LA + "matrix_transpose", Case("matrix", cnp.linalg.matrix_transpose, normal(2, 3)))
spec(LA + "vector_norm",
     Case("all", cnp.linalg.vector_norm, normal(2, 3)),
     Case("axes-ord3-keepdims", lambda x: cnp.linalg.vector_norm(x, axis=(0, 2), ord=3,
                                                                 keepdims=True), normal(2, 2, 3)))
spec(LA + "matrix_norm", Case("fro", cnp.linalg.matrix_norm, normal(2, 2, 3)),
     Case("nuc", lambda x: cnp.linalg.matrix_norm(x, ord="nuc"), normal(3, 2)))
spec(LA + "svdvals", Case("wide", cnp.linalg.svdvals, normal(2, 3)))
spec(LA + "outer", Case("vectors", cnp.linalg.outer, normal(2), normal(3)))
spec(LA + "cross", Case("axis0", lambda a, b: cnp.linalg.cross(a, b, axis=0), normal(3, 2),
                        normal(3, 2)))
spec(LA + "diagonal", Case("offset", lambda x: cnp.linalg.diagonal(x, offset=1), normal(2, 3, 3)))
spec(LA + "trace", Case("stack", cnp.linalg.trace, normal(2, 3, 3)))
spec(LA + "matmul", Case("matrix-vector", cnp.linalg.matmul, normal(2, 3), normal(3)))
spec(LA + "tensordot", Case("axes1", lambda a, b: cnp.linalg.tensordot(a, b, axes=1),
                            normal(2, 3), normal(3, 2)))
spec(LA + "tensorinv", Case("ind1", lambda a: cnp.linalg.tensorinv(cnp.reshape(a, (4, 2, 2)),
                                                                   ind=1), wellcond(4, 4)))
spec(N + "diagflat", Case("matrix-k1", lambda v: cnp.diagflat(v, 1), normal(2, 2)))
spec(N + "nancumsum", Case("with-nan", lambda x: cnp.nancumsum(
    cnp.where(np.array([[True, False, True], [False, True, True]]), x, np.nan), axis=1),
    normal(2, 3)))
spec(N + "nancumprod", Case("with-nan", lambda x: cnp.nancumprod(
    cnp.where(np.array([True, False, True, True]), x, np.nan)), normal(4)))
spec(N + "nanmedian", Case("with-nan-axis1", lambda x: cnp.nanmedian(
    cnp.where(np.array([[True, False, True], [True, True, True]]), x, np.nan), axis=1),
    separated(2, 3)))
spec(N + "trim_zeros", Case("padded", lambda x: cnp.trim_zeros(cnp.concatenate(
    [np.zeros(2), x, np.zeros(1)])), nonzero(0.5, 2.0, 3)),
     Case("axis0-back", lambda x: cnp.trim_zeros(cnp.concatenate([x, np.zeros((1, 2))]), "b",
                                                 axis=0), nonzero(0.5, 2.0, 2, 2)))
spec(N + "resize", Case("grow", lambda x: cnp.resize(x, (2, 4)), normal(3)))
spec(N + "extract", Case("mask", lambda x: cnp.extract(np.array([[True, False], [True, True]]), x),
                         normal(2, 2)))
spec(N + "sort_complex", Case("real", cnp.sort_complex, separated(4)))
spec(N + "unwrap", Case("phases", lambda x: cnp.unwrap(cnp.cumsum(x, axis=-1)),
                        normal(2, 5, scale=3.0)))
for _n in ("asanyarray", "ascontiguousarray", "asfortranarray", "asarray_chkfinite", "require"):
    spec(N + _n, Case("matrix", getattr(cnp, _n), normal(2, 3)))
# the polynomials: coefficient arrays, highest power first
spec(N + "polyadd", Case("lengths", cnp.polyadd, normal(2), normal(3)))
spec(N + "polysub", Case("lengths", cnp.polysub, normal(3), normal(2)))
spec(N + "polymul", Case("lengths", cnp.polymul, normal(3), normal(2)))
spec(N + "polyder", Case("twice", lambda p: cnp.polyder(p, 2), normal(4)))
spec(N + "polyint", Case("twice-k", lambda p, k: cnp.polyint(p, 2, k), normal(3), normal(2)))
spec(N + "polydiv", Case("quotient-remainder", cnp.polydiv, normal(5), nonzero(0.5, 2.0, 3)))
spec(N + "poly", Case("roots", cnp.poly, normal(3)))
spec(N + "roots", Case("cubic", lambda p: cnp.real(cnp.roots(p)), separated(4)))
spec(N + "poly1d", Case("square-derivative-at", lambda c, x: (cnp.poly1d(c) ** 2).deriv()(x),
                        normal(3), normal(2)))
spec(N + "polyfit", Case("quadratic", lambda x, y: cnp.polyfit(x, y, 2), separated(6), normal(6)),
     Case("weighted-2d", lambda x, y, w: cnp.polyfit(x, y, 1, w=w), separated(5), normal(5, 2),
          unif(0.5, 1.5, 5)))
# the functions that call the user's function on traced slices
spec(N + "apply_along_axis", Case("outer-axis0", lambda x: cnp.apply_along_axis(
    lambda v: cnp.outer(v, cnp.sin(v)), 0, x), normal(2, 3)))
spec(N + "apply_over_axes", Case("sums", lambda x: cnp.apply_over_axes(
    lambda a, ax: cnp.sum(a * a, ax), x, [0, 2]), normal(2, 3, 2)))
SPECS[N + "sum"].append(Case("positional-axis", lambda x: cnp.sum(x, 1), normal(2, 3)))
spec(N + "vectorize",
     # (a branch on the element's value works under grad, not under vmap: test_numpy_names.py)
     Case("elementwise", lambda x, y: cnp.vectorize(lambda a, b: a * b + cnp.sin(b))(x, y),
          normal(2, 2), normal(2)),
     Case("signature", lambda x: cnp.vectorize(lambda v: cnp.stack([v @ v, v[0]]),
                                               signature="(n)->(k)")(x), normal(2, 3)))
spec(N + "fromfunction", Case("closure", lambda c: cnp.fromfunction(lambda i, j: c[0] * i + c[1] * j,
                                                                    (2, 3)), normal(2)))
spec(N + "piecewise", Case("two-pieces-default", lambda x: cnp.piecewise(
    x, [np.array([True, False, False, True]), np.array([False, True, False, False])],
    [cnp.sin, lambda v: v * v, lambda v: cnp.exp(v)]), normal(4)))
# the set operations: values are selections from the inputs (as unique's)
spec(N + "union1d", Case("distinct", cnp.union1d, separated(4), separated(3)))
spec(N + "intersect1d", Case("common", lambda a, b: cnp.intersect1d(a, cnp.concatenate([b, a[:2]])),
                             separated(4), separated(3)))
spec(N + "setdiff1d", Case("some-removed", lambda a, b: cnp.setdiff1d(a, cnp.concatenate([b, a[:2]])),
                           separated(4), separated(3)))
spec(N + "setxor1d", Case("one-shared", lambda a, b: cnp.setxor1d(a, cnp.concatenate([b, a[:1]])),
                          separated(3), separated(2)))
spec(N + "unique_values", Case("flat", cnp.unique_values, separated(2, 3)))
spec(N + "unique_counts", Case("values", lambda x: cnp.unique_counts(x).values, separated(2, 3)))
spec(N + "unique_inverse", Case("values", lambda x: cnp.unique_inverse(x).values, separated(5)))
spec(N + "unique_all", Case("values", lambda x: cnp.unique_all(x).values, separated(2, 2)))
spec(N + "histogramdd", Case("weights", lambda s, w: cnp.histogramdd(
    s, bins=2, range=[(-3, 3), (-3, 3)], weights=w)[0], normal(6, 2), normal(6)),
     Case("edges", lambda s: cnp.histogramdd(s, bins=(2, 3))[1][1], separated(5, 2)))
spec(N + "histogram2d", Case("density", lambda x, y, w: cnp.histogram2d(
    x, y, bins=2, range=[(-3, 3), (-3, 3)], weights=w, density=True)[0], normal(5), normal(5),
    unif(0.5, 1.5, 5)))
# elementwise with hand-written cases (their arguments are not all floats)
spec(N + "ldexp", Case("exponents", lambda x: cnp.ldexp(x, np.array([[1, -2, 0]])), normal(2, 3)))
spec(N + "frexp", Case("mantissa", lambda x: cnp.frexp(x)[0], nonzero(0.3, 9.0, 2, 3)))
spec(N + "modf", Case("fraction", lambda x: cnp.modf(x)[0], normal(2, 3, scale=3.0)))

# ---- scipy.stats summary functions (composites over chainrule.numpy) ------------------------------
spec(ST + "zscore", Case("axis0", cst.zscore, normal(4, 2)),
     Case("flat-ddof", lambda a: cst.zscore(a, axis=None, ddof=1), normal(2, 3)))
spec(ST + "entropy", Case("pk", cst.entropy, unif(0.2, 1.0, 4)),
     Case("kl-base", lambda p, q: cst.entropy(p, q, base=2.0, axis=1), unif(0.2, 1.0, 2, 3),
          unif(0.2, 1.0, 2, 3)))
spec(ST + "skew", Case("biased", cst.skew, normal(6)),
     Case("unbiased-axis", lambda a: cst.skew(a, axis=1, bias=False, keepdims=True), normal(2, 5)))
spec(ST + "kurtosis", Case("fisher", cst.kurtosis, normal(6)),
     Case("pearson-unbiased", lambda a: cst.kurtosis(a, axis=None, fisher=False, bias=False),
          normal(2, 4)))
spec(ST + "gmean", Case("axis0", cst.gmean, unif(0.5, 3.0, 3, 2)),
     Case("weights", lambda a, w: cst.gmean(a, weights=w), unif(0.5, 3.0, 4), unif(0.5, 2.0, 4)))
spec(ST + "hmean", Case("axis0", cst.hmean, unif(0.5, 3.0, 3, 2)),
     Case("weights", lambda a, w: cst.hmean(a, weights=w), unif(0.5, 3.0, 4), unif(0.5, 2.0, 4)))
spec(ST + "pmean", Case("p2.5", lambda a: cst.pmean(a, 2.5), unif(0.5, 3.0, 3, 2)),
     Case("p-neg-weights", lambda a, w: cst.pmean(a, -1.5, weights=w, axis=None),
          unif(0.5, 3.0, 4), unif(0.5, 2.0, 4)))
spec(ST + "sem", Case("axis0", cst.sem, normal(4, 2)),
     Case("ddof0-flat", lambda a: cst.sem(a, axis=None, ddof=0), normal(2, 3)))
spec(ST + "moment", Case("order3", lambda a: cst.moment(a, 3), normal(5)),
     Case("orders-center", lambda a: cst.moment(a, [1, 2, 4], axis=1, center=0.3), normal(2, 4)),
     Case("order1", lambda a: cst.moment(a, 1) + cst.moment(a, 2), normal(5)))
spec(ST + "variation", Case("axis0", cst.variation, unif(1.0, 3.0, 4, 2)),
     Case("ddof1", lambda a: cst.variation(a, ddof=1, axis=None), unif(1.0, 3.0, 5)))
spec(ST + "describe", Case("floats", lambda a: tuple(cst.describe(a))[1:], separated(6)),
     Case("axis1", lambda a: tuple(cst.describe(a, axis=1, bias=False))[2:], separated(2, 5)))
spec(ST + "iqr", Case("flat", cst.iqr, separated(7)),
     Case("axis-normal", lambda x: cst.iqr(x, axis=1, rng=(10, 80), scale="normal"),
          separated(2, 6)))
spec(ST + "linregress", Case("all", lambda x, y: tuple(cst.linregress(x, y))
                             + (cst.linregress(x, y).intercept_stderr,), normal(6), normal(6)),
     Case("greater", lambda x, y: cst.linregress(x, y, alternative="greater").pvalue,
          normal(5), normal(5)))
spec(ST + "pearsonr", Case("two-sided", lambda x, y: tuple(cst.pearsonr(x, y)), normal(6), normal(6)),
     Case("less", lambda x, y: cst.pearsonr(x, y, alternative="less").pvalue, normal(5), normal(5)))
spec(ST + "wasserstein_distance", Case("values", cst.wasserstein_distance, separated(5),
                                       lambda rng: rng.permutation(4) * 0.41 + 0.05),
     Case("weights", cst.wasserstein_distance, separated(4), lambda rng: rng.permutation(3) * 0.53,
          unif(0.5, 2.0, 4), unif(0.5, 2.0, 3)))
spec(ST + "energy_distance", Case("values", cst.energy_distance, separated(5),
                                  lambda rng: rng.permutation(4) * 0.41 + 0.05),
     Case("weights", cst.energy_distance, separated(4), lambda rng: rng.permutation(3) * 0.53,
          unif(0.5, 2.0, 4), unif(0.5, 2.0, 3)))

spec(ST + "gaussian_kde",
     Case("points-data", lambda d, p: cst.gaussian_kde(d).evaluate(p), normal(2, 6), normal(2, 3)),
     Case("logpdf-weights-1d", lambda d, w, p: cst.gaussian_kde(d, weights=w).logpdf(p),
          normal(5), unif(0.5, 2.0, 5), normal(3)),
     Case("bandwidth", lambda d, h: cst.gaussian_kde(d, bw_method=h).pdf(0.3), normal(4),
          unif(0.3, 1.0)))

spec(ST + "tmean", Case("limits", lambda a: cst.tmean(a, (-0.5, 0.8)), separated(2, 4)),
     Case("open-axis0", lambda a: cst.tmean(a, (-1.0, None), (False, True), axis=0), separated(3, 2)))
for _n in ("tvar", "tstd", "tsem"):
    spec(ST + _n, Case("limits", lambda a, f=getattr(cst, _n): f(a, (-1.0, 1.5)), separated(4, 2)),
         Case("flat-ddof0", lambda a, f=getattr(cst, _n): f(a, None, axis=None, ddof=0), normal(5)))
spec(ST + "tmin", Case("lower", lambda a: cst.tmin(a, -0.3), separated(3, 2)))
spec(ST + "tmax", Case("upper-exclusive", lambda a: cst.tmax(a, 0.3, axis=None, inclusive=False),
                       separated(3, 2)))
spec(ST + "trim_mean", Case("axis0", lambda a: cst.trim_mean(a, 0.25), separated(5, 2)),
     Case("flat", lambda a: cst.trim_mean(a, 0.1, axis=None), separated(2, 5)))
spec(ST + "median_abs_deviation", Case("axis0", cst.median_abs_deviation, separated(5, 2)),
     Case("normal-mean-center", lambda x: cst.median_abs_deviation(x, axis=None, center=cnp.mean,
                                                                   scale="normal"), separated(6)))
spec(ST + "gstd", Case("axis0", cst.gstd, unif(0.5, 3.0, 4, 2)))
spec(ST + "zmap", Case("scores-compare", cst.zmap, normal(2, 3), normal(5, 3)))
spec(ST + "gzscore", Case("axis0", cst.gzscore, unif(0.5, 3.0, 4, 2)))
for _n in ("circmean", "circvar", "circstd"):
    spec(ST + _n, Case("flat", getattr(cst, _n), unif(0.2, 2.0, 5)),
         Case("range-axis", lambda a, f=getattr(cst, _n): f(a, high=3.0, low=-1.0, axis=0),
              unif(-0.5, 1.5, 4, 2)))
spec(ST + "kstat", *[Case(f"n{k}", lambda a, k=k: cst.kstat(a, k), normal(6)) for k in (1, 2, 3, 4)])
spec(ST + "kstatvar", Case("n1", lambda a: cst.kstatvar(a, 1), normal(6)),
     Case("n2-axis", lambda a: cst.kstatvar(a, 2, axis=0), normal(6, 2)))
_WA, _WB = np.array([0.3, 1.2, -0.4, 0.8, 0.1]), np.array([1.1, 0.2, 1.9, 1.4])
spec(ST + "ttest_1samp", Case("popmean", lambda a, m: tuple(cst.ttest_1samp(a, m))[:2], normal(5),
                              normal()))
spec(ST + "ttest_rel", Case("pairs", lambda a, b: tuple(cst.ttest_rel(a, b))[:2], normal(5, 2),
                            normal(5, 2)))
spec(ST + "ttest_ind", Case("pooled", lambda a, b: tuple(cst.ttest_ind(a, b))[:2], normal(5),
                            normal(4)),
     # Welch's p-value has data-dependent df (no derivative in df: forward mode refuses; the
     # statistic's reverse-mode gradient is in tests/test_scipy_breadth.py); here its value
     # is batched by vmap while held constant for differentiation
     Case("welch-held", lambda a: a * cst.ttest_ind(cr.stop_gradient(a) * 0.0 + _WA, _WB,
                                                    equal_var=False).pvalue, normal(5)))
spec(ST + "chisquare", Case("uniform", lambda f: tuple(cst.chisquare(f)), unif(2.0, 5.0, 4)),
     Case("expected", lambda f, e: tuple(cst.chisquare(f, e * cnp.sum(f) / cnp.sum(e))),
          unif(2.0, 5.0, 4), unif(2.0, 5.0, 4)))

for _n in ("skewtest", "kurtosistest", "normaltest"):
    spec(ST + _n, Case("axis0", lambda a, f=getattr(cst, _n): tuple(f(a)), normal(9, 2)))
spec(ST + "jarque_bera", Case("flat", lambda a: tuple(cst.jarque_bera(a)), normal(7)))
spec(ST + "power_divergence",
     *[Case(str(l), lambda f, l=l: tuple(cst.power_divergence(f, lambda_=l)), unif(2.0, 5.0, 4))
       for l in ("pearson", "log-likelihood", "freeman-tukey", 0.3)])
spec(ST + "f_oneway", Case("three", lambda a, b, c: tuple(cst.f_oneway(a, b, c)), normal(4),
                           normal(3), normal(5)))
spec(ST + "ttest_ind_from_stats",
     Case("pooled", lambda m1, s1, m2, s2: tuple(cst.ttest_ind_from_stats(m1, s1, 10, m2, s2, 12))[:2],
          normal(), unif(0.5, 2.0), normal(), unif(0.5, 2.0)),
     Case("welch-statistic", lambda m1, m2: cst.ttest_ind_from_stats(m1, 0.7, 10, m2, 1.3, 12,
                                                                     equal_var=False)[:2],
          normal(), normal()))
spec(ST + "pointbiserialr", Case("binary-x", lambda y: tuple(cst.pointbiserialr(
    np.array([0.0, 1.0, 0.0, 1.0, 1.0]), y)), normal(5)))
spec(ST + "combine_pvalues",
     *[Case(m, lambda p, m=m: tuple(cst.combine_pvalues(p, method=m)), unif(0.05, 0.9, 4))
       for m in ("fisher", "pearson", "tippett", "stouffer")])
spec(ST + "boxcox", Case("x-lambda", cst.boxcox, unif(0.5, 3.0, 4), unif(-1.0, 1.0)))
spec(ST + "boxcox_llf", Case("lambda-data", cst.boxcox_llf, unif(-1.0, 1.0), unif(0.5, 3.0, 5)),
     Case("lambda-0", lambda d: cst.boxcox_llf(0.0, d), unif(0.5, 3.0, 5)))
spec(ST + "yeojohnson", Case("x-lambda", cst.yeojohnson, nonzero(0.2, 2.0, 5), unif(0.2, 1.8)))
spec(ST + "yeojohnson_llf", Case("lambda-data", cst.yeojohnson_llf, unif(0.2, 1.8),
                                 nonzero(0.2, 2.0, 6)))
# ---- stattests piece: more scipy.stats tests (scipy/smoothtests.py, scipy/stattests.py) ----------
_stat_p = lambda r: (r.statistic, r.pvalue)  # noqa: E731  (some of SciPy's results are dataclasses)
_directional = lambda r: (r.mean_direction, r.mean_resultant_length)  # noqa: E731
_ks = lambda r: (r.statistic, r.pvalue, r.statistic_location)  # noqa: E731
spec(ST + "bartlett", Case("three", lambda a, b, c: tuple(cst.bartlett(a, b, c)), normal(5),
                           normal(4), normal(6)),
     Case("axis1", lambda a, b: tuple(cst.bartlett(a, b, axis=1)), normal(2, 4), normal(2, 5)))
spec(ST + "levene", *[Case(c, lambda a, b, c=c: tuple(cst.levene(a, b, center=c,
                                                                 proportiontocut=0.2)),
                           separated(6), separated(5)) for c in ("median", "mean", "trimmed")])
spec(ST + "alexandergovern", Case("three", lambda a, b, c: _stat_p(cst.alexandergovern(a, b, c)),
                                  normal(5), normal(4), normal(6)))
spec(ST + "obrientransform", Case("two", cst.obrientransform, normal(5), normal(5)))
spec(ST + "trimboth", Case("axis0", lambda a: cst.trimboth(a, 0.2), separated(7, 2)),
     Case("flat", lambda a: cst.trimboth(a, 0.25, axis=None), separated(2, 4)))
spec(ST + "trim1", Case("right", lambda a: cst.trim1(a, 0.3), separated(6)),
     Case("left-axis1", lambda a: cst.trim1(a, 0.3, tail="left", axis=1), separated(2, 5)))
spec(ST + "sigmaclip", Case("bounds", lambda a: tuple(cst.sigmaclip(a))[1:], normal(7)),
     Case("clipped", lambda a: cst.sigmaclip(a, 3.0, 3.0).clipped, normal(6)))
spec(ST + "scoreatpercentile",
     Case("fraction", lambda a, p: cst.scoreatpercentile(a, p), separated(7), unif(12.0, 88.0)),
     Case("higher-axis", lambda a: cst.scoreatpercentile(a, [20.0, 50.0], axis=0,
                                                         interpolation_method="higher"),
          separated(6, 2)))
spec(ST + "expectile", Case("alpha", cst.expectile, separated(6), unif(0.2, 0.8)),
     Case("weights", lambda a, w: cst.expectile(a, 0.7, weights=w), separated(5),
          unif(0.5, 2.0, 5)))
spec(ST + "directional_stats", Case("vectors", lambda x: _directional(cst.directional_stats(x)),
                                    unif(0.5, 2.0, 5, 3)),
     Case("axis1-raw", lambda x: _directional(cst.directional_stats(x, axis=1, normalize=False)),
          unif(0.5, 2.0, 2, 4, 2)))
spec(ST + "chi2_contingency",
     Case("2x3", lambda t: (lambda r: (r[0], r[1], r[3]))(cst.chi2_contingency(t)),
          unif(3.0, 20.0, 2, 3)),
     Case("yates-2x2", lambda t: tuple(cst.chi2_contingency(t))[:2], unif(3.0, 20.0, 2, 2)),
     Case("log-likelihood", lambda t: tuple(cst.chi2_contingency(t, lambda_="log-likelihood"))[:2],
          unif(3.0, 20.0, 3, 2)))
spec(ST + "false_discovery_control",
     Case("bh", lambda p: cst.false_discovery_control(p, axis=1), unif(0.01, 0.3, 2, 5)),
     Case("by-flat", lambda p: cst.false_discovery_control(p, axis=None, method="by"),
          unif(0.01, 0.3, 6)))
spec(ST + "median_test", Case("median", lambda a, b: cst.median_test(a, b).median, separated(5),
                              separated(4)))
spec(ST + "ks_2samp", Case("location", lambda a, b: cst.ks_2samp(a, b).statistic_location,
                           separated(5), separated(4)))
spec(ST + "ks_1samp",
     *[Case(f"{alt}-{m}", lambda x, s, alt=alt, m=m: _ks(cst.ks_1samp(
         x, cst.norm.cdf, (0.2, s), alternative=alt, method=m)), separated(6), unif(1.5, 2.5))
       for alt, m in (("two-sided", "exact"), ("two-sided", "asymp"), ("less", "exact"),
                      ("greater", "approx"))])
spec(ST + "kstest", Case("norm", lambda x: _ks(cst.kstest(x, "norm")), separated(5)))
# (the covariance of the characteristic function's parts is ill-conditioned for small samples,
# and SciPy's pseudo-inverse adds rounding noise that central differences would amplify)
spec(ST + "epps_singleton_2samp",
     Case("two", lambda x, y: _stat_p(cst.epps_singleton_2samp(x, y)), normal(12), normal(10)),
     Case("three-t", lambda x, y: _stat_p(cst.epps_singleton_2samp(x, y, t=(0.5, 1.0, 1.5))),
          normal(26), normal(20)))
spec(ST + "anderson",
     Case("norm-interpolate", lambda x: _stat_p(cst.anderson(x, method="interpolate")),
          normal(8)),
     Case("expon", lambda x: cst.anderson(x, "expon", method="interpolate").statistic,
          unif(0.2, 3.0, 6)))
spec(ST + "shapiro", *[Case(f"n{n}", lambda x: _stat_p(cst.shapiro(x)), normal(n))
                        for n in (3, 7, 13)])
spec(ST + "binomtest", *[Case(alt, lambda p, alt=alt: cst.binomtest(4, 15, p, alt).pvalue,
                               unif(0.35, 0.45)) for alt in ("two-sided", "less", "greater")])
spec(ST + "cramervonmises",
     Case("norm-args", lambda x, s: _stat_p(cst.cramervonmises(x, "norm", (0.1, s))), normal(6),
          unif(0.8, 1.5)),
     Case("callable-axis", lambda x: _stat_p(cst.cramervonmises(x, cst.logistic.cdf, axis=1)),
          normal(2, 5)))
spec(ST + "lmoment", Case("default", cst.lmoment, separated(6)),
     Case("axis-orders", lambda x: cst.lmoment(x, [1, 3], axis=1, standardize=False),
          separated(2, 5)))
spec(ST + "differential_entropy",
     *[Case(m, lambda x, m=m: cst.differential_entropy(x, method=m), separated(9))
       for m in ("vasicek", "van es", "ebrahimi", "correa")],
     Case("base-axis", lambda x: cst.differential_entropy(x, base=2.0, axis=1), separated(2, 7)))
spec(ST + "probplot", Case("norm", lambda x: cst.probplot(x), separated(6)),
     Case("weibull-sparams", lambda x, c: cst.probplot(x, (c,), dist="weibull_min"), separated(5),
          unif(2.0, 5.0)))
# (SciPy's Brent locates the optimum to about √ε, which central differences of λ cannot see
# through: the rule cases differentiate the optimal objective, whose second derivative is
# dλ/dx's; tests/test_stattests.py checks dλ/dx against a precise optimum)
spec(ST + "boxcox_normmax",
     Case("mle", lambda x: cst.boxcox_llf(cst.boxcox_normmax(x, method="mle"), x),
          unif(0.5, 3.0, 6)),
     Case("pearsonr", lambda x: cst.probplot(cst.boxcox(x, cst.boxcox_normmax(x)))[1][2],
          unif(0.5, 3.0, 6)))
spec(ST + "yeojohnson_normmax",
     Case("llf", lambda x: cst.yeojohnson_llf(cst.yeojohnson_normmax(x), x),
          unif(-1.0, 2.0, 6)))
spec(ST + "theilslopes", Case("y", lambda y: tuple(cst.theilslopes(y)), normal(6)),
     Case("x-joint", lambda y, x: tuple(cst.theilslopes(y, x, 0.8, "joint")), normal(6),
          separated(6)))
spec(ST + "siegelslopes", Case("y", lambda y: tuple(cst.siegelslopes(y)), normal(6)),
     Case("x-separate", lambda y, x: tuple(cst.siegelslopes(y, x, "separate")), normal(7),
          separated(7)))
spec(ST + "quantile",
     *[Case(m, lambda x, p, m=m: cst.quantile(x, p, method=m), separated(7), unif(0.05, 0.95))
       for m in ("linear", "hazen", "median_unbiased", "interpolated_inverted_cdf")],
     Case("harrell-davis-axis1", lambda x: cst.quantile(x, np.array([[0.3, 0.6]]),
                                                       method="harrell-davis", axis=1),
          separated(2, 6)),
     Case("inverted-cdf-flat", lambda x: cst.quantile(x, 0.4, method="inverted_cdf", axis=None),
          separated(2, 5)))
spec(ST + "bayes_mvs", Case("alpha", lambda x: tuple(
    (r.statistic, *r.minmax) for r in cst.bayes_mvs(x, 0.8)), normal(6)))
spec(ST + "mvsdist", Case("intervals", lambda x: tuple(
    d.interval(0.9) for d in cst.mvsdist(x)[:2]), normal(5)))
_boot = lambda r: (r.confidence_interval.low, r.confidence_interval.high,  # noqa: E731
                   r.standard_error)
spec(ST + "bootstrap",
     Case("bca", lambda x: _boot(cst.bootstrap((x,), cnp.mean, n_resamples=40,
                                                rng=np.random.default_rng(1))), normal(7)),
     Case("basic-two", lambda x, y: _boot(cst.bootstrap(
         (x, y), lambda a, b, axis: cnp.mean(a, axis) - cnp.mean(b, axis), n_resamples=30,
         method="basic", rng=np.random.default_rng(2))), normal(6), normal(5)))
spec(ST + "permutation_test",
     Case("exact", lambda x, y: (lambda r: (r.statistic, r.null_distribution))(
         cst.permutation_test((x, y), lambda a, b, axis: cnp.mean(a, axis) - cnp.mean(b, axis))),
          normal(4), normal(3)),
     Case("random-three", lambda x, y, z: (lambda r: (r.statistic, r.null_distribution))(
         cst.permutation_test((x, y, z), lambda a, b, c, axis: cnp.std(a, axis) * cnp.mean(
             b + 0.1 * c[..., :1], axis), n_resamples=25, rng=np.random.default_rng(3))),
          normal(5), normal(4), normal(4)))
spec(ST + "monte_carlo_test", Case("statistic", lambda x: cst.monte_carlo_test(
    x, np.random.default_rng(0).normal, lambda a, axis: cnp.mean(a, axis) ** 2,
    n_resamples=20).statistic, normal(6)))
spec(ST + "tukey_hsd", Case("two", lambda a, b: _stat_p(cst.tukey_hsd(a, b)), normal(4),
                            normal(3)))
spec(ST + "boxcox_normplot", Case("ppcc", lambda x: cst.boxcox_normplot(x, -1, 1, N=5)[1],
                                  unif(0.5, 3.0, 6)))
spec(ST + "yeojohnson_normplot", Case("ppcc", lambda x: cst.yeojohnson_normplot(x, 0, 2, N=4)[1],
                                      unif(-1.0, 2.0, 6)))
spec(ST + "ppcc_plot", Case("tukeylambda", lambda x: cst.ppcc_plot(x, -0.5, 0.5, N=4)[1],
                            separated(6)))
_U7 = np.r_[1 - 0.5 ** (1 / 7), (np.arange(2, 7) - 0.3175) / 7.365, 0.5 ** (1 / 7)]  # (Filliben's)
spec(ST + "ppcc_max", Case("tukeylambda-ppcc", lambda x: (lambda l: cst.pearsonr(
    (_U7 ** l - (1 - _U7) ** l) / l, cnp.sort(x)).statistic)(cst.ppcc_max(x)),
                           unif(0.3, 4.0, 7)))
spec(ST + "ecdf", Case("quantiles", lambda x: (lambda r: (r.cdf.quantiles, r.sf.probabilities,
                                                          r.cdf.evaluate(0.1)))(cst.ecdf(x)),
                       separated(6)))
spec(ST + "cumfreq", Case("limits", lambda x: tuple(cst.cumfreq(x, 4))[1:3], separated(6)))
spec(ST + "relfreq", Case("limits", lambda x: tuple(cst.relfreq(x, 5))[1:3], separated(7)))
spec(ST + "binned_statistic",
     *[Case(st_, lambda x, v, st_=st_: (lambda r: (r.statistic, r.bin_edges))(
         cst.binned_statistic(x, v, st_, bins=2)), separated(7), normal(7))
       for st_ in ("mean", "std", "median", "max")])
spec(ST + "binned_statistic_2d",
     Case("sum", lambda x, y, v: (lambda r: (r.statistic, r.x_edge, r.y_edge))(
         cst.binned_statistic_2d(x, y, v, "sum", bins=2)), separated(6), separated(6),
          normal(6)))
spec(ST + "binned_statistic_dd",
     Case("sum-range", lambda x, v: cst.binned_statistic_dd(
         x, v, "sum", bins=(2, 3), range=[(-3.0, 3.0), (-3.0, 3.0)]).statistic,
          separated(6, 2), normal(2, 6)))
def _grid(h):
    """Increasing abscissae from positive steps (their real part on the complex leg)."""
    return cnp.cumsum(cnp.real(h))


spec(IN + "trapezoid",
     Case("y-x", lambda y, h: cint.trapezoid(y, x=_grid(h)), normal(2, 4), unif(0.2, 1.0, 4)),
     Case("dx-axis0", lambda y, d: cint.trapezoid(y, dx=d, axis=0), normal(3, 2), unif(0.2, 1.0)))
spec(IN + "simpson",
     Case("odd-x", lambda y, h: cint.simpson(y, x=_grid(h)), normal(5), unif(0.2, 1.0, 5)),
     Case("even-x-2d", lambda y, h: cint.simpson(y, x=_grid(h), axis=0), normal(6, 2),
          unif(0.2, 1.0, 6)),
     Case("even-dx", lambda y, d: cint.simpson(y, dx=cnp.real(d)), normal(2, 4), unif(0.2, 1.0)),
     Case("two-points", lambda y, h: cint.simpson(y, x=_grid(h)), normal(2), unif(0.2, 1.0, 2)))
spec(IN + "cumulative_trapezoid",
     Case("x-initial", lambda y, h: cint.cumulative_trapezoid(y, x=_grid(h), initial=0),
          normal(2, 4), unif(0.2, 1.0, 4)),
     Case("dx-axis0", lambda y, d: cint.cumulative_trapezoid(y, dx=d, axis=0), normal(3, 2),
          unif(0.2, 1.0)))
spec(IN + "cumulative_simpson",
     Case("x", lambda y, h: cint.cumulative_simpson(y, x=_grid(h)), normal(2, 5),
          unif(0.2, 1.0, 5)),
     Case("dx-initial-axis0", lambda y, d, c: cint.cumulative_simpson(y, dx=d, axis=0, initial=c),
          normal(4, 2), unif(0.2, 1.0), normal()),
     Case("two-points", lambda y: cint.cumulative_simpson(y, initial=0.0), normal(2)))
spec(IN + "romb",
     Case("five", lambda y, d: cint.romb(y, dx=cnp.real(d)), normal(5), unif(0.2, 1.0)),
     Case("nine-axis0", lambda y: cint.romb(y, axis=0), normal(9, 2)),
     Case("two", cint.romb, normal(2, 2)))


def _ivp_oscillator(t, y, k, c):
    return cnp.stack([y[1], -k * y[0] - c * y[1] + 0.5 * cnp.sin(t)])


def _ivp_decay(t, y):
    return -y * (1.0 + 0.1 * t)


_IVP_TOL = dict(rtol=1e-10, atol=1e-12)
spec(IN + "solve_ivp",
     Case("oscillator-rk45", lambda y0, k, c: cint.solve_ivp(
         _ivp_oscillator, (0.0, 1.1), y0, t_eval=_TS[:3], args=(k, c), **_IVP_TOL).y,
         normal(2), unif(1.0, 2.0), unif(0.1, 0.5)),
     Case("t-eval-dop853", lambda y0, h: cint.solve_ivp(
         _ivp_decay, (0.0, 2.0), y0, method="DOP853", t_eval=cnp.cumsum(h), **_IVP_TOL).y,
         normal(2), unif(0.2, 0.6, 3)),
     Case("t-span", lambda y0, t0, tf: cint.solve_ivp(
         _ivp_decay, (t0, tf), y0, t_eval=[0.5, 0.9], **_IVP_TOL).y, normal(2), unif(0.0, 0.3),
         unif(1.0, 1.5)),
     Case("lsoda", lambda y0, k: cint.solve_ivp(
         _ivp_oscillator, (0.0, 1.2), y0, method="LSODA", t_eval=_TS[:3], args=(k, 0.2),
         **_IVP_TOL).y, normal(2), unif(1.0, 2.0)),
     Case("bdf-stiff", lambda y0, k: cint.solve_ivp(
         lambda t, y, k: cnp.stack([-k * y[0] + y[1], -0.5 * y[1]]), (0.0, 0.2), y0,
         method="BDF", t_eval=[0.2], args=(k,), rtol=1e-8, atol=1e-10).y,
         normal(2), unif(20.0, 30.0)))

def _bump(x, s, c):
    return cnp.exp(-s * x * x) * cnp.cos(c * x)


spec(IN + "quad",
     Case("limits-and-args", lambda a, b, s: cint.quad(_bump, a, b, args=(s, 2.0))[0],
          unif(-0.5, 0.0), unif(0.8, 1.5), unif(0.5, 1.0)),
     Case("half-line", lambda s: cint.quad(lambda x, s: cnp.exp(-s * x * x), 0.0, np.inf,
                                           args=(s,))[0], unif(0.5, 2.0)),
     Case("points", lambda b, s: cint.quad(lambda x, s: cnp.abs(x - 0.5) * s, 0.0, b, args=(s,),
                                           points=[0.5])[0], unif(1.0, 2.0), unif(0.5, 1.0)))
# (float64 integrands: SciPy's quad_vec of a float32 integrand cannot reach its default
# tolerance and runs to its limit of 10000 intervals; chainrule's integrates in float64)
_f64 = lambda v: cnp.astype(v, np.float64)
spec(IN + "quad_vec",
     Case("vector", lambda a, b, s: cint.quad_vec(
         lambda x, s: cnp.stack([cnp.sin(s * x), x * s * s]), a, b, args=(_f64(s),))[0],
         unif(-0.5, 0.0), unif(0.8, 1.5), unif(0.5, 1.0)),
     Case("matrix-arg", lambda b, w: cint.quad_vec(lambda x, w: cnp.tanh(w * x), 0.0, b,
                                                   args=(_f64(w),))[0], unif(0.8, 1.5),
          normal(2, 2)))
spec(IN + "fixed_quad",
     Case("limits-and-args", lambda a, b, s: cint.fixed_quad(
         lambda x, s: cnp.exp(s * x) * cnp.sin(x), a, b, args=(s,), n=6)[0],
         unif(-0.5, 0.0), unif(0.8, 1.5), normal()),
     Case("default-n", lambda b: cint.fixed_quad(cnp.cos, 0.0, b)[0], unif(0.5, 2.0)))
# multiple integrals: quad inside quad (limits that are functions of the outer variables,
# args, and values the integrand and the limits close over)
spec(IN + "dblquad",
     Case("args-closure-limit", lambda b, c: cint.dblquad(
         lambda y, x, c: x * y * c, 0.0, b, 0.0, lambda x: c * x, args=(c,))[0],
         unif(0.5, 1.0), unif(0.5, 1.5)))
# (three nested quadratures cost 21³ evaluations per value: only the outer limit is traced,
# so the derivative is the double integral at x = s, ∫∫(s + yz) = s + 1/4, and no nested
# derivative quadratures run; dblquad and nquad check traced inner limits and args)
spec(IN + "tplquad",
     Case("outer-limit", lambda s: cint.tplquad(lambda z, y, x: x + y * z, 0.0, s, 0.0, 1.0,
                                                0.0, 1.0)[0], unif(0.5, 1.5)))
spec(IN + "nquad",
     Case("range-function-opts", lambda s: cint.nquad(
         lambda x, y, s: s * x * y, [lambda y, s: (0.0, s + y), (0.0, 1.0)], args=(s,),
         opts={"epsrel": 1e-10})[0], unif(0.5, 1.5)))

# ---- scipy.optimize: SciPy's solutions, derivatives by the implicit function theorem ----------
# (solvers that converge to rounding, so that central differences of the solution see the
# derivative and not the tolerance)
def _quartic(x, c, s):
    return cnp.sum((x - c) ** 2) + s * cnp.sum(x ** 4) + 0.1 * cnp.sum(x[1:] * x[:-1])


spec(OP + "minimize",
     Case("trust-exact", lambda c, s: copt.minimize(_quartic, np.zeros(3), args=(c, s),
                                                    method="trust-exact", tol=1e-14).x,
          normal(3), unif(0.5, 1.0)),
     Case("newton-cg-fun", lambda c: copt.minimize(_quartic, np.zeros(2), args=(c, 0.7),
                                                   method="Newton-CG", tol=1e-14).fun, normal(2)))
# (Brent's and the bounded minimisers locate a minimum to about √ε only, which central
# differences cannot see through: a parabola, which their parabolic steps locate exactly;
# tests/test_scipy_optimize.py checks a curved case against its closed form)
spec(OP + "minimize_scalar",
     Case("brent-fun", lambda a, s: copt.minimize_scalar(
         lambda x, a, s: s * (x - a) ** 2 + cnp.sin(a) * s, args=(a, s)).fun,
          unif(-1.0, 1.0), unif(0.5, 2.0)),
     Case("bounded-x", lambda a, s: copt.minimize_scalar(
         lambda x, a, s: s * (x - a) ** 2, bounds=(-3.0, 3.0), args=(a, s),
         method="bounded").x, unif(-1.0, 1.0), unif(0.5, 2.0)))
spec(OP + "root",
     Case("hybr", lambda a, b: copt.root(
         lambda x, a, b: cnp.stack([x[0] + 0.5 * cnp.sin(x[1]) - a, x[1] - 0.3 * x[0] ** 2 - b]),
         np.zeros(2), args=(a, b), tol=1e-14).x, unif(-0.5, 0.5), unif(-0.5, 0.5)),
     Case("lm-matrix-arg", lambda A: copt.root(lambda x, A: cnp.tanh(x) + A @ x - 1.0,
                                               np.zeros(2), args=(A,), method="lm",
                                               tol=1e-14).x,
          lambda rng: np.eye(2) * 2.0 + 0.3 * rng.standard_normal((2, 2))))
spec(OP + "fsolve",
     Case("cubic", lambda a: copt.fsolve(lambda x, a: x ** 3 + x - a, 1.0, args=(a,),
                                         xtol=1e-14), unif(0.5, 2.0)))
for _name in ("brentq", "brenth", "ridder", "bisect", "toms748"):
    spec(OP + _name, Case("cube-root", lambda a, f=getattr(copt, _name): f(
        lambda x, a: x ** 3 + x - a, 0.0, 3.0, args=(a,), xtol=1e-15), unif(0.5, 2.0)))
spec(OP + "newton",
     Case("array", lambda a: copt.newton(lambda x, a: x ** 3 + x - a, np.ones(3), args=(a,),
                                         tol=1e-15), unif(0.5, 2.0, 3)),
     Case("secant", lambda a: copt.newton(lambda x, a: cnp.exp(x) - a, 0.0, args=(a,),
                                          tol=1e-15), unif(0.5, 2.0)))
spec(OP + "root_scalar",
     Case("newton", lambda a: copt.root_scalar(lambda x, a: x ** 3 + x - a, args=(a,),
                                               method="newton", x0=1.0, xtol=1e-15).root,
          unif(0.5, 2.0)),
     Case("brentq", lambda a: copt.root_scalar(lambda x, a: x ** 3 + x - a, args=(a,),
                                               bracket=(0.0, 3.0), xtol=1e-15).root,
          unif(0.5, 2.0)))
_T5 = np.linspace(0.0, 1.0, 5)
spec(OP + "least_squares",
     Case("design", lambda t, y: copt.least_squares(
         lambda p, t, y: p[0] + p[1] * t + p[2] * cnp.sin(2.0 * t) - y, np.zeros(3),
         args=(t, y)).x, lambda rng: _T5 + 0.1 * rng.standard_normal(5), normal(5)))
# (a model linear in its parameters: MINPACK then solves to rounding; a nonlinear fit
# stops within its tolerances, and differences of the solution see those)
spec(OP + "curve_fit",
     Case("popt-pcov", lambda x, y, s: copt.curve_fit(
         lambda t, a, b, c: a + b * t + c * cnp.sin(t), x, y, sigma=s),
          lambda rng: _T5 + 0.1 * rng.standard_normal(5), normal(5), unif(0.5, 1.0, 5)))
for _name in ("rosen", "rosen_der"):
    spec(OP + _name, Case("vector", getattr(copt, _name), normal(4)),
         Case("columns", getattr(copt, _name), normal(3, 2)))
spec(OP + "rosen_hess", Case("vector", copt.rosen_hess, normal(4)))
spec(OP + "rosen_hess_prod", Case("vector", copt.rosen_hess_prod, normal(3), normal(3)))
# scipy.sparse: constant sparse matrices (a rectangular one with an empty row, a square
# nonsymmetric and a symmetric positive definite one) times traced arrays, and the solves
_SPARSE_RECT = sps.csr_array(np.array([[2.0, 0.0, -1.0, 0.5], [0.0, 0.0, 0.0, 0.0],
                                       [0.3, 1.5, 0.0, 2.0]]))
_SPARSE_SQ = sps.diags([-1.0, 3.0, -0.5], [-1, 0, 1], shape=(4, 4), format="csc")
_SPARSE_SPD = (_SPARSE_SQ @ _SPARSE_SQ.T + sps.eye(4)).tocsr()
spec(SPS + "matmul",
     Case("vector", lambda x: csparse.matmul(_SPARSE_RECT, x), normal(4)),
     Case("matrix-lil", lambda x: csparse.matmul(sps.lil_matrix(_SPARSE_RECT), x), normal(4, 2)),
     Case("operator", lambda x: _SPARSE_SQ @ x, normal(4)))
spec(SPS + "rmatmul",
     Case("vector", lambda x: csparse.rmatmul(x, _SPARSE_RECT), normal(3)),
     Case("matrix-operator", lambda x: x @ sps.coo_matrix(_SPARSE_RECT), normal(2, 3)))
spec(SPS + "csr_matmul",
     Case("data-and-vector", lambda d, x: csparse.csr_matmul(d, _SPARSE_RECT.indices,
                                                          _SPARSE_RECT.indptr, x, (3, 4)),
          normal(6), normal(4)),
     Case("data-and-matrix", lambda d, x: csparse.csr_matmul(d, _SPARSE_RECT.indices,
                                                          _SPARSE_RECT.indptr, x, (3, 4)),
          normal(6), normal(4, 2)))
spec(SPL + "spsolve",
     Case("vector", lambda b: cspl.spsolve(_SPARSE_SQ, b), normal(4)),
     Case("matrix", lambda b: cspl.spsolve(_SPARSE_SQ, b), normal(4, 2)))
_SPARSE_LOWER = sps.tril(_SPARSE_SQ, format="csr")
spec(SPL + "spsolve_triangular",
     Case("lower-vector", lambda b: cspl.spsolve_triangular(_SPARSE_LOWER, b), normal(4)),
     Case("upper-matrix-unit", lambda b: cspl.spsolve_triangular(
         _SPARSE_LOWER.T.tocsr(), b, lower=False, unit_diagonal=True), normal(4, 2)))
spec(SPL + "expm_multiply",
     Case("vector", lambda v: cspl.expm_multiply(0.5 * _SPARSE_SQ, v), normal(4)),
     Case("grid", lambda v: cspl.expm_multiply(0.5 * _SPARSE_SQ, v, start=0.0, stop=1.0, num=3),
          normal(4, 2)))
for _m, _a in (("cg", _SPARSE_SPD), ("minres", _SPARSE_SPD), ("gmres", _SPARSE_SQ),
               ("bicgstab", _SPARSE_SQ), ("bicg", _SPARSE_SQ), ("cgs", _SPARSE_SQ),
               ("lgmres", _SPARSE_SQ), ("gcrotmk", _SPARSE_SQ), ("tfqmr", _SPARSE_SQ)):
    spec(SPL + _m, Case("vector", lambda b, f=getattr(cspl, _m), a=_a: f(a, b, rtol=1e-13)[0],
                        normal(4)))

#: Names whose rules are first derivatives only (checked to order 1; docs/coverage.md says so).
FIRST_ORDER = {
    **{IN + n: "quad inside quad: its second order costs minutes of nested quadratures in the "
               "tests (quad, which each level is, is checked to second order)"
       for n in ("dblquad", "tplquad", "nquad")},
    IN + "odeint": "the adjoint and sensitivity rules are ODE solves of their own, "
                              "not differentiable again (a second derivative raises TypeError)",
               IN + "solve_ivp": "the same adjoint and sensitivity rules as odeint's",
               SP + "smirnov": "SciPy's density _smirnovp has no derivative of its own",
               SP + "smirnovi": "as smirnov"}
FIRST_ORDER.update({f"{ST}{n}.{m}": "SciPy's value; its derivative is SciPy's density, which "   # dists2
                    "has no derivative of its own" for n, m in _FAMILY_FIRST_ORDER})
FIRST_ORDER.update({   # (stattests piece)
    **{ST + n: "the p-value's derivative is SciPy's density of the statistic (kstwo.pdf, "
               "smirnov's), itself not differentiable: first order only"
       for n in ("ks_1samp", "kstest")},
    ST + "tukey_hsd": "the p-value's derivative is SciPy's studentized range density, "
                      "itself not differentiable: first order only"})
#: Names whose forward and reverse modes are different numerical computations (an ODE solved
#: forward for the sensitivities, the adjoint ODE backward): the dot-product test holds to the
#: solver's tolerance, not to rounding.
DOT_TOLERANCE = {IN + "odeint": 1e-7, IN + "solve_ivp": 1e-7}


# ---- zero-derivative entries: (function of float arrays, makers) ------------------------------------
ZERO = {}
for _module in registry.NAMESPACES:  # elementwise ones: generated from the declaration's arity
    for _n, _e in registry.entries(_module).items():
        if _e.kind == registry.NONDIFF and _e.family in ("unary", "binary") and _n != "nonzero":
            ZERO[f"{_module}.{_n}"] = (_e.obj, (normal(2, 3, scale=3.0),) if _e.family == "unary"
                                       else (normal(2, 3, scale=3.0), normal(3, scale=3.0)))
for _n in ("argmax", "argmin", "argsort", "nonzero", "any", "all"):
    ZERO[N + _n] = (getattr(cnp, _n), (separated(2, 3),))
ZERO[LA + "matrix_rank"] = (cnp.linalg.matrix_rank, (normal(2, 3, 3),))
ZERO[N + "isclose"] = (lambda x, y: cnp.isclose(x, y, equal_nan=True), (normal(2, 3), normal(3)))
for _n in ("argwhere", "flatnonzero", "count_nonzero", "histogram", "bincount"):
    ZERO[N + _n] = ({"bincount": lambda x: cnp.bincount((cnp.abs(x) > 1.0).ravel()),
                     "count_nonzero": lambda x: cnp.count_nonzero(x > 0, axis=0),
                     "histogram": lambda x: cnp.histogram(x, bins=4, range=(-9.0, 9.0))[0],
                     "argwhere": lambda x: cnp.argwhere(x > -99.0),
                     "flatnonzero": lambda x: cnp.flatnonzero(x > -99.0)}.get(_n, getattr(cnp, _n)),
                    (separated(2, 3),))
for _m in ("logpmf", "pmf", "cdf", "sf"):   # randint's low and high are integers
    ZERO[f"{ST}randint.{_m}"] = (lambda k, f=getattr(cst.randint, _m): f(k, -2.0, 3.0),
                                 (normal(2, 3, scale=3.0),))
for _m in ("logpmf", "pmf", "cdf", "sf"):   # the hypergeometric's parameters are integers
    ZERO[f"{ST}hypergeom.{_m}"] = (lambda k, f=getattr(cst.hypergeom, _m): f(k, 20.0, 7.0, 12.0),
                                   (normal(2, 3, scale=3.0),))
for _m in ("logpmf", "pmf"):
    ZERO[f"{ST}nhypergeom.{_m}"] = (lambda k, f=getattr(cst.nhypergeom, _m): f(k, 20.0, 7.0, 12.0),
                                    (normal(2, 3, scale=3.0),))
ZERO[N + "searchsorted"] = (lambda a, v: cnp.searchsorted(cnp.sort(a), v), (normal(5), normal(3)))
ZERO[N + "argpartition"] = (lambda x: cnp.argpartition(x, 1), (separated(2, 3),))
ZERO[N + "isneginf"] = (lambda x: cnp.isneginf(x / (x > 0)), (normal(2, 3),))
ZERO[N + "isposinf"] = (lambda x: cnp.isposinf(x / (x > 0)), (normal(2, 3),))
ZERO[N + "isin"] = (lambda x, t: cnp.isin(cnp.round(x), cnp.round(t)), (normal(2, 3, scale=2.0),
                                                                       normal(4, scale=2.0)))
ZERO[ST + "rankdata"] = (lambda x: cst.rankdata(cnp.round(x)), (normal(2, 3, scale=2.0),))
ZERO[ST + "mode"] = (lambda x: cst.mode(cnp.round(x), axis=1).mode, (normal(2, 5, scale=2.0),))
ZERO[ST + "spearmanr"] = (lambda x, y: tuple(cst.spearmanr(x, y)), (separated(5), normal(5)))
ZERO[ST + "kendalltau"] = (lambda x, y: tuple(cst.kendalltau(x, y)), (separated(5), normal(5)))
# (stattests piece: SciPy's rank and count tests, scipy/stattests.py)
for _n in ("kruskal", "mannwhitneyu", "ranksums", "brunnermunzel", "ansari", "mood", "fligner",
           "cramervonmises_2samp", "chatterjeexi", "weightedtau", "somersd", "wilcoxon",
           "spearmanrho"):
    ZERO[ST + _n] = (lambda x, y, f=getattr(cst, _n): _stat_p(f(x, y)), (separated(6), normal(6)))
ZERO[ST + "friedmanchisquare"] = (lambda x, y: tuple(cst.friedmanchisquare(x, y, x * y)),
                                  (separated(5), normal(5)))
ZERO[ST + "anderson_ksamp"] = (lambda x, y: tuple(cst.anderson_ksamp([x, y], variant="midrank")),
                               (separated(6), normal(5)))
for _n in ("fisher_exact", "barnard_exact", "boschloo_exact"):
    ZERO[ST + _n] = (lambda t, f=getattr(cst, _n): _stat_p(f(cnp.round(t))),
                     (unif(1.0, 9.0, 2, 2),))
ZERO[ST + "tiecorrect"] = (lambda x: cst.tiecorrect(cst.rankdata(cnp.round(x))),
                           (normal(6, scale=2.0),))
ZERO[ST + "page_trend_test"] = (lambda x: _stat_p(cst.page_trend_test(x)), (normal(4, 3),))
ZERO[ST + "bws_test"] = (lambda x, y: _stat_p(cst.bws_test(x, y)), (separated(4), normal(4)))
ZERO[ST + "quantile_test"] = (lambda x, q: (lambda r: (r.statistic, r.pvalue))(
    cst.quantile_test(x, q=q)), (normal(6), normal()))
ZERO[ST + "percentileofscore"] = (lambda a, s: cst.percentileofscore(a, s),
                                  (separated(6), normal()))
ZERO[N + "digitize"] = (lambda x: cnp.digitize(x, np.array([-1.0, 0.0, 0.5])), (normal(2, 3),))
ZERO[ND + "maximum_position"] = (lambda x: cnp.stack(cndi.maximum_position(x)), (separated(3, 4),))
ZERO[ND + "minimum_position"] = (lambda x: cnp.stack([cnp.stack(p) for p in cndi.minimum_position(
    x, _LAB, [1, 2])]), (separated(3, 4),))
ZERO[ND + "histogram"] = (lambda x: cndi.histogram(x, -1.0, 1.0, 4, _LAB, 2), (normal(3, 4),))



def _ints(x):
    # integer functions: the float inputs rounded to integers (round has no derivative)
    return cnp.round(x).astype(np.int64)


for _n in ("gcd", "lcm", "bitwise_and", "bitwise_or", "bitwise_xor"):
    ZERO[N + _n] = (lambda x, y, f=getattr(cnp, _n): f(_ints(x), _ints(y)),
                    (normal(2, 3, scale=9.0), normal(3, scale=9.0)))
for _n in ("left_shift", "right_shift", "bitwise_left_shift", "bitwise_right_shift"):
    ZERO[N + _n] = (lambda x, y, f=getattr(cnp, _n): f(_ints(x), cnp.abs(_ints(y)) % 5),
                    (normal(2, 3, scale=9.0), normal(3, scale=9.0)))
for _n in ("invert", "bitwise_not", "bitwise_invert", "bitwise_count"):
    ZERO[N + _n] = (lambda x, f=getattr(cnp, _n): f(_ints(x)), (normal(2, 3, scale=9.0),))
ZERO[N + "isnat"] = (lambda x: cnp.isnat(_ints(x).astype("datetime64[D]")), (normal(2, 3),))
ZERO[N + "nanargmax"] = (lambda x: cnp.nanargmax(x, axis=1), (separated(2, 3),))
ZERO[N + "nanargmin"] = (lambda x: cnp.nanargmin(x), (separated(2, 3),))
ZERO[N + "lexsort"] = (lambda a, b: cnp.lexsort((a, cnp.round(b))), (separated(2, 3), normal(2, 3)))
ZERO[N + "packbits"] = (lambda x: cnp.packbits(x > 0, axis=1), (normal(2, 9),))
ZERO[N + "unpackbits"] = (lambda x: cnp.unpackbits(cnp.packbits(x > 0), count=5), (normal(5),))
ZERO[N + "array_equiv"] = (lambda x, y: cnp.array_equiv(cnp.round(x), cnp.round(y)),
                           (normal(2, 3, scale=0.3), normal(3, scale=0.3)))
ZERO[N + "array_equal"] = (lambda x, y: cnp.array_equal(cnp.round(x), cnp.round(y)),
                           (normal(3, scale=0.3), normal(3, scale=0.3)))
ZERO[SL + "issymmetric"] = (lambda a: csl.issymmetric(a + a.T), (normal(3, 3),))
ZERO[SL + "ishermitian"] = (lambda a: csl.ishermitian(a), (normal(3, 3),))
ZERO[SL + "bandwidth"] = (lambda a: csl.bandwidth(cnp.triu(a, -1)), (normal(3, 3),))
ZERO[N + "digitize"] = (lambda x: cnp.digitize(x, np.array([-1.0, 0.0, 0.5])), (normal(2, 3),))


# ---- value-only entries: SciPy's value, a refused derivative --------------------------------------
def real_schur_form(*shape):
    """A real Schur form T (quasi upper triangular) of a random matrix."""
    def make(rng):
        import scipy.linalg
        return scipy.linalg.schur(rng.standard_normal(shape))[0]
    return make


def _mask_image(rng):
    """A float image about half zeros (ndimage's mask functions read nonzero as foreground)."""
    return np.maximum(rng.standard_normal((5, 6)), 0.0)


#: (qualified name, label, call, makers): ``call(f, *args)`` with f the function under test (chainrule's,
#: or SciPy's of the same name for the value check in tests/test_scipy_linalg_breadth.py).
VALUE_ONLY = [
    (SL + "funm", "sin", lambda f, a: f(a, np.sin), (wellcond(3, 3),)),
    (SL + "signm", "matrix", lambda f, a: f(a), (wellcond(3, 3),)),
    (SL + "null_space", "wide", lambda f, a: f(a), (normal(2, 3),)),
    (SL + "orth", "tall", lambda f, a: f(a), (normal(3, 2),)),
    (SL + "schur", "matrix", lambda f, a: f(a), (wellcond(3, 3),)),
    (SL + "hessenberg", "with-q", lambda f, a: f(a, calc_q=True), (normal(3, 3),)),
    (SL + "rq", "wide", lambda f, a: f(a), (normal(2, 3),)),
    (SL + "ldl", "symmetric", lambda f, a: f(a + a.T), (normal(3, 3),)),
    (SL + "qz", "pair", lambda f, a, b: f(a, b), (normal(3, 3), wellcond(3, 3))),
    (SL + "ordqz", "pair", lambda f, a, b: f(a, b), (normal(3, 3), wellcond(3, 3))),
    (SL + "cossin", "orthogonal", lambda f, a: f(np.linalg.qr(a)[0], p=2, q=1), (normal(3, 3),)),
    (SL + "rsf2csf", "schur", lambda f, t, z: f(t, z), (real_schur_form(3, 3), normal(3, 3))),
    (SL + "matrix_balance", "matrix", lambda f, a: f(a), (normal(3, 3),)),
    (SL + "subspace_angles", "planes", lambda f, a, b: f(a, b), (normal(4, 2), normal(4, 2))),
    (SL + "expm_cond", "matrix", lambda f, a: f(a), (normal(2, 2),)),
    (SL + "cdf2rdf", "eig", lambda f, a: f(*np.linalg.eig(a)), (normal(2, 2),)),
    (SL + "qr_multiply", "square", lambda f, a, c: f(a, c), (normal(3, 3), normal(3, 3))),
    # scipy.special's inverses in a shape parameter and characteristic values (ufuncs)
    (SP + "bdtrik", "values", lambda f, *a: f(*a), (unif(0.2, 0.8, 3), lambda rng: 8.0, lambda rng: 0.3,)),
    (SP + "bdtrin", "values", lambda f, *a: f(*a), (lambda rng: 2.0, unif(0.2, 0.8, 3), lambda rng: 0.3,)),
    (SP + "btdtria", "values", lambda f, *a: f(*a), (unif(0.2, 0.8, 3), lambda rng: 2.0, lambda rng: 0.4,)),
    (SP + "btdtrib", "values", lambda f, *a: f(*a), (lambda rng: 2.0, unif(0.2, 0.8, 3), lambda rng: 0.4,)),
    (SP + "chdtriv", "values", lambda f, *a: f(*a), (unif(0.2, 0.8, 3), lambda rng: 2.0,)),
    (SP + "chndtridf", "values", lambda f, *a: f(*a), (lambda rng: 2.0, unif(0.2, 0.8, 3), lambda rng: 1.5,)),
    (SP + "chndtrinc", "values", lambda f, *a: f(*a), (lambda rng: 3.0, lambda rng: 2.0, unif(0.2, 0.8, 3),)),
    (SP + "fdtridfd", "values", lambda f, *a: f(*a), (lambda rng: 3.0, unif(0.2, 0.8, 3), lambda rng: 1.5,)),
    (SP + "gdtrib", "values", lambda f, *a: f(*a), (lambda rng: 1.0, unif(0.2, 0.8, 3), lambda rng: 2.0,)),
    (SP + "mathieu_a", "values", lambda f, *a: f(*a), (lambda rng: 2.0, unif(0.5, 2.0, 3),)),
    (SP + "mathieu_b", "values", lambda f, *a: f(*a), (lambda rng: 2.0, unif(0.5, 2.0, 3),)),
    (SP + "nbdtrik", "values", lambda f, *a: f(*a), (unif(0.2, 0.8, 3), lambda rng: 3.0, lambda rng: 0.5,)),
    (SP + "nbdtrin", "values", lambda f, *a: f(*a), (lambda rng: 2.0, unif(0.2, 0.8, 3), lambda rng: 0.5,)),
    (SP + "ncfdtridfd", "values", lambda f, *a: f(*a), (lambda rng: 3.0, unif(0.2, 0.8, 3), lambda rng: 1.5, lambda rng: 1.2,)),
    (SP + "ncfdtridfn", "values", lambda f, *a: f(*a), (unif(0.2, 0.8, 3), lambda rng: 5.0, lambda rng: 1.5, lambda rng: 1.2,)),
    (SP + "ncfdtrinc", "values", lambda f, *a: f(*a), (lambda rng: 3.0, lambda rng: 5.0, unif(0.2, 0.8, 3), lambda rng: 1.2,)),
    (SP + "nctdtridf", "values", lambda f, *a: f(*a), (unif(0.2, 0.8, 3), lambda rng: 0.5, lambda rng: 1.2,)),
    (SP + "nctdtrinc", "values", lambda f, *a: f(*a), (lambda rng: 4.0, unif(0.2, 0.8, 3), lambda rng: 1.2,)),
    (SP + "obl_cv", "values", lambda f, *a: f(*a), (lambda rng: 1.0, lambda rng: 2.0, unif(0.5, 2.0, 3),)),
    (SP + "pro_cv", "values", lambda f, *a: f(*a), (lambda rng: 1.0, lambda rng: 2.0, unif(0.5, 2.0, 3),)),
    (SP + "pdtrik", "values", lambda f, *a: f(*a), (unif(0.2, 0.8, 3), lambda rng: 3.0,)),
    (SP + "stdtridf", "values", lambda f, *a: f(*a), (unif(0.2, 0.8, 3), lambda rng: 1.2,)),
    # scipy.ndimage's functions of masks and labels, on a float image (nonzero: foreground)
    (ND + "label", "float-image", lambda f, x: f(x), (_mask_image,)),
    (ND + "binary_erosion", "float-image", lambda f, x: f(x), (_mask_image,)),
    (ND + "binary_dilation", "float-image", lambda f, x: f(x, iterations=2), (_mask_image,)),
    (ND + "binary_opening", "float-image", lambda f, x: f(x), (_mask_image,)),
    (ND + "binary_closing", "float-image", lambda f, x: f(x), (_mask_image,)),
    (ND + "binary_fill_holes", "float-image", lambda f, x: f(x), (_mask_image,)),
    (ND + "binary_propagation", "float-image", lambda f, x: f(x), (_mask_image,)),
    (ND + "binary_hit_or_miss", "float-image", lambda f, x: f(x), (_mask_image,)),
    (ND + "distance_transform_edt", "with-indices", lambda f, x: f(x, return_indices=True),
     (_mask_image,)),
    (ND + "distance_transform_cdt", "taxicab", lambda f, x: f(x, metric="taxicab"),
     (_mask_image,)),
    (ND + "distance_transform_bf", "sampling", lambda f, x: f(x, sampling=(1.0, 2.0)),
     (_mask_image,)),
]


# ---- helpers -----------------------------------------------------------------------------------------
def _qualified(kinds):
    out = {}
    for module in registry.NAMESPACES:
        for name, e in registry.entries(module).items():
            if e.kind in kinds:
                out[f"{module}.{name}"] = e
    return out


def _cases():
    for name in sorted(SPECS):
        for case in SPECS[name]:
            yield pytest.param(name, case, id=f"{name[len('chainrule.'):]}-{case.label}")


def _flat(tree):
    return cr.tree.flatten(tree)[0]


def _random_like(tree, rng):
    leaves, tdef = cr.tree.flatten(tree)
    return cr.tree.unflatten(tdef, [float(rng.standard_normal()) if np.ndim(x) == 0
                                    else rng.standard_normal(np.shape(x)) for x in leaves])


def _inner(a, b):
    terms = [np.asarray(x, dtype=np.float64) * np.asarray(y, dtype=np.float64)
             for x, y in zip(_flat(a), _flat(b))]
    return float(sum(np.sum(t) for t in terms)), float(sum(np.sum(np.abs(t)) for t in terms))


# ---- the complex leg: every case again on complex inputs where NumPy accepts them ------------------
# JAX's convention (docs/complex.md): forward mode carries the real-linear derivative, reverse mode
# is its transpose under the pairing ⟨c, t⟩ = Re Σ c·t. The inputs are the real ones plus
# 0.3i·(standard normal): log, sqrt, arcsin, arccosh… stay off their branch cuts (on the
# negative real axis or beyond ±1), and a kink at 0 (abs) stays away. Complex values are ordered
# lexicographically by NumPy (maximum, fmax, clip, sort, max, argmax…), and so are they here:
# away from ties the selected operand carries the derivative, as in JAX.

#: Names that raise TypeError on complex input, untraced: NumPy's or SciPy's function rejects it
#: (the test below checks it).
COMPLEX_REJECTED = {
    N + "cbrt": "real cube root only", N + "deg2rad": "real angles", N + "rad2deg": "real angles",
    N + "hypot": "real only", N + "logaddexp": "real only", N + "logaddexp2": "real only",
    N + "arctan2": "real only", N + "atan2": "real only", N + "heaviside": "real only",
    FT + "rfft": "a real signal's transform (NumPy raises TypeError; use fft)",
    FT + "ihfft": "a real signal's transform, as rfft",
    FT + "rfft2": "real input only, as rfft", FT + "rfftn": "real input only, as rfft",
    # signal2
    SG + "qspline1d_eval": "SciPy evaluates into a real array (ComplexWarning); chainrule raises "
                           "TypeError on complex coefficients",
    SG + "symiirorder2": "SciPy's second-order symmetric filter takes real signals (TypeError)",
    SG + "sepfir2d": "SciPy's filters are real (TypeError on complex ones, as chainrule's)",
    SG + "lombscargle": "real times, samples and frequencies (SciPy casts complex ones to "
                        "float64; chainrule raises TypeError)",
    SG + "vectorstrength": "real event times and periods (chainrule raises TypeError)",
    SP + "beta": "real only", SP + "betainc": "real only", SP + "zeta": "real only",
    SP + "owens_t": "real only", SP + "gammaincinv": "real only",
    SP + "gammainccinv": "real only", SP + "betaincinv": "real only", SP + "stdtrit": "real only", SP + "betaln": "real only",
    SP + "polygamma": "real only",
    SP + "entr": "real only", SP + "erfinv": "real only", SP + "erfcinv": "real only",
    SP + "expit": "real only (chainrule's expit raises as SciPy's does)",
    SP + "gammainc": "real only", SP + "gammaincc": "real only", SP + "gammaln": "real only",
    SP + "i0": "real only", SP + "i0e": "real only", SP + "i1": "real only", SP + "i1e": "real only",
    SP + "kl_div": "real only", SP + "rel_entr": "real only", SP + "multigammaln": "real only",
    SP + "ndtri": "real only", SP + "stdtr": "real only",
    IN + "quad": "QUADPACK integrates real functions (SciPy raises TypeError on complex "
                 "limits; chainrule too)",
    IN + "quad_vec": "real limits (SciPy raises TypeError on complex ones; chainrule too)",
    IN + "dblquad": "quad inside quad: real limits (as quad)", IN + "tplquad": "as dblquad",
    IN + "nquad": "as dblquad",
    IN + "odeint": "SciPy's odeint integrates real systems (chainrule raises TypeError, as "
                   "scipy.integrate.odeint cannot return a complex solution)",
    SL + "eigh_tridiagonal": "SciPy: only real arrays currently supported",
    SL + "eigvalsh_tridiagonal": "as eigh_tridiagonal",
    N + "mod": "real only (NumPy's remainder)", N + "remainder": "real only",
    N + "fmod": "real only", N + "divmod": "real only", N + "degrees": "real angles",
    N + "radians": "real angles", N + "fabs": "real only (use abs for complex)",
    N + "quantile": "NumPy orders real values only", N + "percentile": "as quantile",
    N + "nanquantile": "as quantile", N + "nanpercentile": "as quantile",
    SP + "logit": "real only (chainrule's logit raises as SciPy's does)",
    N + "copysign": "real only", N + "nextafter": "real only", N + "ldexp": "real only",
    N + "frexp": "real only", N + "modf": "real only",
    N + "i0": "real only (NumPy's i0 refuses complex values; chainrule raises TypeError)",
    N + "nanmedian": "as quantile", N + "unwrap": "real phases (NumPy's mod of complex raises)",
    N + "histogramdd": "NumPy bins real samples only", N + "histogram2d": "as histogramdd",
    SFT + "rfft": "real input only (SciPy raises TypeError), as numpy.fft.rfft",
    SFT + "rfft2": "real input only (SciPy raises TypeError), as numpy.fft.rfft",
    SFT + "rfftn": "real input only (SciPy raises TypeError), as numpy.fft.rfft",
    SFT + "ihfft": "real input only (SciPy raises TypeError), as numpy.fft.rfft",
    SFT + "ihfft2": "real input only (SciPy raises TypeError), as numpy.fft.rfft",
    SFT + "ihfftn": "real input only (SciPy raises TypeError), as numpy.fft.rfft",
    # more of scipy.special: SciPy's ufuncs have real loops only
    SP + "softplus": "real only",
    SP + "log_expit": "real only",
    SP + "exp2": "real only",
    SP + "exp10": "real only",
    SP + "cbrt": "real only",
    SP + "ellipk": "real only",
    SP + "ellipe": "real only",
    SP + "ellipkm1": "real only",
    SP + "k0": "real only",
    SP + "k1": "real only",
    SP + "k0e": "real only",
    SP + "k1e": "real only",
    SP + "j0": "real only",
    SP + "j1": "real only",
    SP + "y0": "real only",
    SP + "y1": "real only",
    SP + "struve": "real only",
    SP + "modstruve": "real only",
    SP + "expn": "real only",
    SP + "hyperu": "real only",
    SP + "poch": "real only",
    SP + "binom": "real only",
    SP + "boxcox": "real only",
    SP + "boxcox1p": "real only",
    SP + "inv_boxcox": "real only",
    SP + "inv_boxcox1p": "real only",
    SP + "huber": "real only",
    SP + "pseudo_huber": "real only",
    SP + "owens_t": "real only",
    SP + "eval_hermite": "real only",
    SP + "eval_hermitenorm": "real only",
    SP + "kn": "real only",
    SP + "yn": "real only",
    SP + "bdtr": "real only",
    SP + "bdtrc": "real only",
    SP + "pdtr": "real only",
    SP + "pdtrc": "real only",
    SP + "chdtr": "real only",
    SP + "chdtrc": "real only",
    SP + "nbdtr": "real only",
    SP + "nbdtrc": "real only",
    SP + "fdtr": "real only",
    SP + "fdtrc": "real only",
    SP + "gdtr": "real only",
    SP + "gdtrc": "real only",
    SP + "comb": "real only",
    SP + "factorial": "real only",
    SP + "sindg": "real only",
    SP + "cosdg": "real only",
    SP + "tandg": "real only",
    SP + "cotdg": "real only",
    SP + "cosm1": "real only",
    SP + "exprel": "real only",
    SP + "powm1": "real only",
    SP + "radian": "real only",
    SP + "gammaincinv": "real only",
    SP + "gammainccinv": "real only",
    SP + "betaincinv": "real only",
    SP + "betainccinv": "real only",
    SP + "betaincc": "real only",
    SP + "stdtrit": "real only",
    SP + "ndtri_exp": "real only",
    SP + "ellipkinc": "real only",
    SP + "ellipeinc": "real only",
    SP + "perm": "real only",
    SP + "gdtrix": "real only",
    SP + "pdtri": "real only",
    SP + "chdtri": "real only",
    SP + "bdtri": "real only",
    SP + "nbdtri": "real only",
    SP + "fdtri": "real only",
    SP + "voigt_profile": "real only",
    SP + "zetac": "real only",
    # yet more of scipy.special: SciPy's functions have real loops only
    SP + "lpmv": "real only",
    SP + "ellipj": "real only",
    SP + "agm": "real only",
    SP + "ber": "real only",
    SP + "bei": "real only",
    SP + "berp": "real only",
    SP + "beip": "real only",
    SP + "ker": "real only",
    SP + "kei": "real only",
    SP + "kerp": "real only",
    SP + "keip": "real only",
    SP + "kelvin": "real only",
    SP + "itairy": "real only",
    SP + "iti0k0": "real only",
    SP + "itj0y0": "real only",
    SP + "it2i0k0": "real only",
    SP + "it2j0y0": "real only",
    SP + "itstruve0": "real only",
    SP + "it2struve0": "real only",
    SP + "itmodstruve0": "real only",
    SP + "modfresnelp": "real only",
    SP + "modfresnelm": "real only",
    SP + "pbdv": "real only",
    SP + "pbvv": "real only",
    SP + "pbwa": "real only",
    SP + "mathieu_cem": "real only",
    SP + "mathieu_sem": "real only",
    SP + "mathieu_modcem1": "real only",
    SP + "mathieu_modcem2": "real only",
    SP + "mathieu_modsem1": "real only",
    SP + "mathieu_modsem2": "real only",
    SP + "pro_ang1": "real only",
    SP + "obl_ang1": "real only",
    SP + "pro_rad1": "real only",
    SP + "obl_rad1": "real only",
    SP + "pro_ang1_cv": "real only",
    SP + "obl_ang1_cv": "real only",
    SP + "pro_rad1_cv": "real only",
    SP + "obl_rad1_cv": "real only",
    SP + "chndtr": "real only",
    SP + "chndtrix": "real only",
    SP + "nctdtr": "real only",
    SP + "nctdtrit": "real only",
    SP + "ncfdtr": "real only",
    SP + "ncfdtri": "real only",
    SP + "kolmogorov": "real only",
    SP + "kolmogi": "real only",
    SP + "smirnov": "real only",
    SP + "smirnovi": "real only",
    SP + "tklmbda": "real only",
    SP + "nrdtrimn": "real only",
    SP + "nrdtrisd": "real only",
    SP + "gdtria": "real only",
    SP + "wright_bessel": "real only",
    SP + "log_wright_bessel": "real only",
    SP + "besselpoly": "real only",
    SP + "diric": "real only",
    SP + "riccati_jn": "real only",
    SP + "riccati_yn": "real only",
    SP + "legendre_p": "real only",
    SP + "legendre_p_all": "real only",
    SP + "sph_legendre_p": "real only",
    SP + "sph_legendre_p_all": "real only",
    SP + "sph_harm_y": "real only",
    SP + "sph_harm_y_all": "real only",
    **{ND + n: "SciPy's rank filters and grey morphology refuse complex input ('Complex type "
               "not supported'), and chainrule's too"
       for n in ("maximum_filter1d", "minimum_filter1d", "maximum_filter", "minimum_filter",
                 "median_filter", "rank_filter", "percentile_filter", "grey_dilation",
                 "grey_erosion", "grey_opening", "grey_closing", "white_tophat", "black_tophat",
                 "morphological_gradient", "morphological_laplace")},
    ND + "generic_filter": "SciPy's generic_filter refuses complex input ('Complex type not "
                           "supported'), and chainrule's too",
    ND + "generic_filter1d": "as generic_filter",
    **{ND + n: "with a sequence index SciPy sums the regions by bincount, which refuses complex "
               "weights (TypeError); chainrule raises too"
       for n in ("sum_labels", "mean", "variance", "center_of_mass")},
    ND + "labeled_comprehension": "a real out_dtype would drop the imaginary parts (SciPy's "
                                  "ComplexWarning): chainrule raises TypeError",
    SP + "zeta": "Hurwitz's zeta(x, q) is real only in SciPy (Riemann's zeta(x) takes complex x, "
                 "but its derivative has no closed form)",
}
#: Names whose value exists on complex input but whose complex derivative chainrule refuses
#: with a TypeError (never a wrong number); the test below checks the refusal.
COMPLEX_REFUSED = {
    SP + "gamma": "its second derivative needs polygamma(1, z), real-only in SciPy",
    SP + "ive": "ive(v, z) = iv(v, z)·exp(−|Re z|) is not holomorphic (an elementwise factor "
                "cannot carry its derivative)",
    SP + "jve": "jve(v, z) = jv(v, z)·exp(−|Im z|) is not holomorphic (as ive)",
    SP + "yve": "yve(v, z) = yv(v, z)·exp(−|Im z|) is not holomorphic (as ive)",
    SP + "loggamma": "its second derivative needs polygamma(1, z) (as gamma)",
    SP + "rgamma": "its second derivative needs polygamma(1, z) (as gamma)",
    SP + "digamma": "its derivative is polygamma(1, z), real-only in SciPy",
    SP + "psi": "SciPy's other name for digamma",
    SP + "airye": "its scaling exp(−|Re ζ|) is not holomorphic (as ive)",
    N + "geomspace": "NumPy's complex path (imaginary and negative endpoints) is not written",
}
#: Cases skipped on complex input, with the reason.
COMPLEX_CASES_SKIPPED = {
    **{(IP + name, label): "evaluation points are real coordinates (chainrule raises TypeError); "
                           "the first case is the complex one"
       for name, label in [("PPoly", "points-derivative-antiderivative"),
                           ("PPoly", "integrate-bounds"),
                           ("CubicSpline", "natural-axis1-points-nu1"),
                           ("CubicHermiteSpline", "points"),
                           ("BSpline", "points-derivative-antiderivative"),
                           ("BSpline", "integrate-bounds"),
                           ("make_interp_spline", "k5-points-nu1"),
                           ("RegularGridInterpolator", "linear-values-points"),
                           ("interpn", "3d-trailing"),
                           ("lagrange", "values-nodes"),
                           ("BarycentricInterpolator", "points-and-a-node"),
                           ("barycentric_interpolate", "der1"),
                           ("griddata", "linear-values-points"),
                           ("KroghInterpolator", "hermite-points-derivative"),
                           ("krogh_interpolate", "ders")]},
    (IP + "RBFInterpolator", "values"): "SciPy's RBFInterpolator solves for real data",
    **{(IP + name, c.label): "SciPy's Pchip/Akima and FITPACK's splines take real y only"
       for name in ("PchipInterpolator", "pchip_interpolate", "Akima1DInterpolator", "splrep",
                    "splev", "InterpolatedUnivariateSpline", "UnivariateSpline")
       for c in SPECS[IP + name]},
    # interp2 (scipy.interpolate continued)
    **{(IP + name, c.label): "FITPACK's splines take real y only"
       for name in ("splder", "splantider", "splint", "sproot", "spalde", "insert",
                    "LSQUnivariateSpline", "make_splrep", "RectBivariateSpline",
                    "LSQBivariateSpline", "SmoothBivariateSpline", "LSQSphereBivariateSpline",
                    "SmoothSphereBivariateSpline", "RectSphereBivariateSpline", "bisplev",
                    "bisplrep", "splprep", "make_splprep", "BivariateSpline")
       for c in SPECS[IP + name] if (name, c.label) != ("splder", "bspline-der2")},
    (IP + "make_lsq_spline", "axis1-points"): "evaluation points are real coordinates",
    (IP + "PPoly", "solve-roots"): "real roots of a real polynomial (FITPACK's splrep inside)",
    **{(IP + "Rbf", c.label): "SciPy's Rbf solves for real data" for c in SPECS[IP + "Rbf"]},
    (IP + "NdBSpline", "coefficients-points"): "evaluation points are real coordinates",
    (IP + "NdPPoly", "coefficients-points"): "evaluation points are real coordinates",
    (IP + "FloaterHormannInterpolator", "values-points"): "the interpolation points are real "
                                                          "here (the first complex case is "
                                                          "axis1-at-a-node's values)",
    (IP + "LinearNDInterpolator", "values-points"): "query points are real coordinates",
    (IP + "CloughTocher2DInterpolator", "values-points"): "query points are real coordinates",
    (IP + "LinearNDInterpolator", "trailing-rescale-coordinates"): "query points are real "
                                                                   "coordinates",
    **{(IP + "BPoly", label): "evaluation points are real coordinates"
       for label in ("points-derivative-antiderivative", "integrate-bounds")},
    (IP + "make_smoothing_spline", "lam"): "SciPy's make_smoothing_spline casts complex y to real "
                                           "(its ComplexWarning): chainrule refuses traced "
                                           "complex y",
    (SPL + "minres", "vector"): "SciPy's minres with a real matrix casts a complex b to real "
                                "(its ComplexWarning): no complex value to differentiate",
    (N + "unique_values", "flat"): "NumPy's unique_values (sorted=False) gives complex values in "
                                   "hash order, which a perturbation reorders: no derivative "
                                   "across that (unique_all's values are sorted)",
    (SFT + "dct", "type2-orthogonalize"): "SciPy's complex path ignores orthogonalize=True with "
                                            "norm=None; chainrule transforms the real and "
                                            "imaginary parts alike (the real leg is compared)",
    (SFT + "idct", "type2-orthogonalize"): "SciPy's complex path ignores orthogonalize=True with "
                                            "norm=None; chainrule transforms the real and "
                                            "imaginary parts alike (the real leg is compared)",
    (SFT + "dst", "type2-orthogonalize"): "SciPy's complex path ignores orthogonalize=True with "
                                            "norm=None; chainrule transforms the real and "
                                            "imaginary parts alike (the real leg is compared)",
    (SFT + "idst", "type2-orthogonalize"): "SciPy's complex path ignores orthogonalize=True with "
                                            "norm=None; chainrule transforms the real and "
                                            "imaginary parts alike (the real leg is compared)",
    **{(SG + "savgol_filter", c): "SciPy's savgol_filter casts complex x to float64 (dropping "
                                  "the imaginary part); chainrule raises TypeError"
       for c in ("interp", "interp-deriv-axis0", "mirror", "nearest-wrap", "constant-cval")},
    (SG + "hilbert", "even"): "SciPy's hilbert takes real signals (ValueError 'x must be real', "
                              "as chainrule's)",
    (SG + "hilbert", "odd-N-axis0"): "SciPy's hilbert takes real signals",
    # signal2
    (SG + "hilbert2", "square"): "SciPy's hilbert2 takes real signals (ValueError 'x must be "
                                 "real', as chainrule's)",
    (SG + "hilbert2", "N-axes"): "SciPy's hilbert2 takes real signals",
    **{(SG + n, c.label): "SciPy's rank filters take real or integer data (ValueError on "
                          "complex, as chainrule's)"
       for n in ("medfilt", "medfilt2d", "order_filter") for c in SPECS[SG + n]},
    (SG + "spline_filter", "cubic"): "SciPy filters complex data in single precision (complex64): "
                                     "too coarse for the float64 finite differences",
    (SG + "cspline1d_eval", "coefficients-and-points"): "the points are real (SciPy orders "
                                                        "them); the coefficients are complex "
                                                        "in 'dx-x0'",
    (SG + "wiener", "estimated-noise"): "SciPy compares complex local variances with "
                                        "the noise (lexicographically): not a differentiable "
                                        "complex filter",
    (SG + "wiener", "given-noise-1d"): "as 'estimated-noise'",
    (SG + "cspline2d", "smoothing"): "smoothing runs SciPy's second-order symmetric filter, "
                                     "which takes real signals (TypeError)",
    **{(IN + "solve_ivp", c): "chainrule's solve_ivp integrates real systems and raises "
                              "TypeError on complex values (SciPy's accepts them)"
       for c in ("oscillator-rk45", "t-eval-dop853", "t-span", "lsoda", "bdf-stiff")},
    (ND + "map_coordinates", "order1-input-and-coordinates-reflect"):
        "coordinates are real (SciPy and chainrule raise TypeError on complex ones); "
        "'order2-input-nearest' is the complex case",
    (ND + "map_coordinates", "order3-coordinates-grid-constant"): "coordinates are real",
    (ND + "shift", "order1-shift-wrap"): "the shift is real (TypeError on a complex one); "
                                         "'order3-input-mirror' is the complex case",
    (ND + "affine_transform", "order1-matrix-offset-nearest"):
        "the matrix and offset are real (chainrule raises TypeError where SciPy would drop "
        "the imaginary part)",
    (ND + "rotate", "order1-angle"): "the angle is real (SciPy's cosdg raises TypeError)",
    (ND + "gaussian_gradient_magnitude", "reflect"):
        "SciPy's complex magnitude is the principal sqrt of Σ d² (not |d|), whose branch cut a "
        "central difference can cross; the real leg is checked",
    (ND + "generic_gradient_magnitude", "sobel"): "as gaussian_gradient_magnitude",
    (SL + "solve", "transposed-matrix"): "SciPy refuses transposed=True for complex matrices, "
                                         "and chainrule with it",
    (N + "astype", "to-float64"): "a complex → real cast discards the imaginary part "
                                  "(NumPy's ComplexWarning); 'to-complex128' is the complex case",
    (N + "astype", "through-float32"): "a complex → real cast (NumPy's ComplexWarning)",
    (LA + "eigh", "3x3"): "the sign fix v·sign(v[0]) is not a phase fix: a complex eigenvector's "
                          "phase is free (JAX's gauge); 'phase-free' is the complex case",
    (N + "interp", "x-fp"): "NumPy rejects a complex x; 'fp-only' is the complex case",
    (IP + "interp1d", "values-and-points"): "x_new is a real coordinate (chainrule raises "
                                            "TypeError); 'values' is the complex case",
    (IP + "interp1d", "axis0-extrapolate-knots"): "the knots and x_new are real coordinates",
    (IP + "interp1d", "unsorted-fill-pair"): "x_new is a real coordinate",
    (N + "interp", "xp"): "NumPy rejects a complex xp",
    (N + "interp", "left-right"): "NumPy rejects a complex x",
    (N + "cov", "aweights-traced"): "weights must be real: NumPy would drop their imaginary part, "
                                    "chainrule raises TypeError (tests/test_values.py)",
    (LA + "eigh", "stack"): "the sign fix is not a phase fix (as '3x3')",
    (SL + "eig", "generalized-real-vectors"): "a complex pencil's eigenvectors have a free phase "
                                              "(SciPy leaves it to ggev); 'generalized' is the "
                                              "complex case",
    (LA + "svd", "square"): "the sign fix is not a phase fix (each pair's joint phase is free); "
                         "'phase-free-square' is the complex case",
    (LA + "svd", "tall"): "the sign fix is not a phase fix (each pair's joint phase is free); "
                         "'phase-free-tall' is the complex case",
    (LA + "svd", "wide"): "the sign fix is not a phase fix (each pair's joint phase is free); "
                         "'phase-free-wide' is the complex case",
    (LA + "svd", "stack"): "the sign fix is not a phase fix (each pair's joint phase is free); "
                         "'phase-free-stack' is the complex case",
}
#: scipy.stats is left out as a whole: its densities are functions of real random variables,
#: and SciPy returns arbitrary values on complex input (uniform.logpdf(1+1j) is -inf+0j).
COMPLEX_NAMESPACES_SKIPPED = (ST, OP,  # (SciPy's solvers work on real values)
                              SD)  # distances between real points (complex: tests/test_spatial.py)


def _complex_maker(m):
    def make(rng):
        x = m(rng)
        a = np.asarray(x, dtype=np.float64)
        z = a + 0.3j * rng.standard_normal(a.shape)
        return complex(z) if np.ndim(x) == 0 else z
    return make


def complex_case(case):
    """The case with each input made complex: its real values plus 0.3i·normal noise."""
    return Case(case.label, case.fn, *[_complex_maker(m) for m in case.makers])


def _complex_excluded(name, label):
    return (name in COMPLEX_REJECTED or name in COMPLEX_REFUSED or name.startswith(
        COMPLEX_NAMESPACES_SKIPPED) or (name, label) in COMPLEX_CASES_SKIPPED)


def _complex_cases():
    for name in sorted(SPECS):
        for case in SPECS[name]:
            if not _complex_excluded(name, case.label):
                yield pytest.param(name, complex_case(case),
                                   id=f"{name[len('chainrule.'):]}-{case.label}-complex")


def random_like_complex(tree, rng):
    """Random leaves like ``tree``'s, complex where its leaves are complex."""
    leaves, tdef = cr.tree.flatten(tree)
    out = []
    for x in leaves:
        r = rng.standard_normal(np.shape(x))
        if np.iscomplexobj(x):
            r = r + 1j * rng.standard_normal(np.shape(x))
        out.append(r[()] if np.ndim(x) == 0 else r)
    return cr.tree.unflatten(tdef, out)


def _pairing(a, b):
    """Re Σ a·b (no conjugate) and the scale Σ |a·b| for the tolerance."""
    terms = [np.asarray(x) * np.asarray(y) for x, y in zip(_flat(a), _flat(b))]
    return (float(sum(np.real(np.sum(t)) for t in terms)),
            float(sum(np.sum(np.abs(t)) for t in terms)))


# ---- scipy.spatial.distance ----------------------------------------------------------------
def _dist_cases(fn_name):
    """cdist/pdist for every differentiable metric (weights and V/VI traced too)."""
    f = getattr(cdis, fn_name)
    pair = (lambda m, **k: (lambda a, b: f(a, b, m, **k))) if fn_name == "cdist" else \
        (lambda m, **k: (lambda a, b: f(cnp.concatenate([a, b]), m, **k)))
    cases = [Case(m, pair(m), normal(3, 4), normal(2, 4))
             for m in ("euclidean", "sqeuclidean", "cityblock", "chebyshev", "cosine",
                       "correlation", "braycurtis", "canberra", "seuclidean")]
    # (its default VI, the inverse covariance of all the rows, needs more rows than columns)
    cases.append(Case("mahalanobis", pair("mahalanobis"), normal(6, 2), normal(4, 2)))
    cases += [Case("minkowski-3", pair("minkowski", p=3), normal(3, 4), normal(2, 4)),
              Case("jensenshannon", pair("jensenshannon"), unif(0.2, 1.0, 3, 4),
                   unif(0.2, 1.0, 2, 4)),
              Case("euclidean-w", lambda a, w: f(a, a[:2], "euclidean", w=w) if fn_name ==
                   "cdist" else f(a, "euclidean", w=w), normal(3, 4), unif(0.5, 2.0, 4)),
              Case("seuclidean-V", lambda a, V: f(a, a[:2], "seuclidean", V=V) if fn_name ==
                   "cdist" else f(a, "seuclidean", V=V), normal(3, 4), unif(0.5, 2.0, 4)),
              Case("callable", lambda a, b: f(a, b, lambda u, v: cnp.sum((u - v) ** 2)) if
                   fn_name == "cdist" else f(a, lambda u, v: cnp.sum(u * v)),
                   normal(2, 4), normal(2, 4))]
    return cases


spec(SD + "cdist", *_dist_cases("cdist"))
spec(SD + "pdist", *_dist_cases("pdist"))
spec(SD + "squareform", Case("to-matrix", lambda v: cdis.squareform(v) * 1.5, normal(3)),
     Case("to-vector", lambda a: cdis.squareform(a + a.T - 2 * cnp.diag(cnp.diag(a))),
          normal(3, 3)))
for _n in ("euclidean", "sqeuclidean", "cityblock", "chebyshev", "cosine", "correlation",
           "braycurtis", "canberra", "minkowski"):
    spec(SD + _n, Case("plain", getattr(cdis, _n), normal(4), normal(4)),
         Case("weighted", lambda u, v, w, f=getattr(cdis, _n): f(u, v, w=w), normal(3),
              normal(3), unif(0.5, 2.0, 3)))
spec(SD + "seuclidean", Case("V", cdis.seuclidean, normal(3), normal(3), unif(0.5, 2.0, 3)))
spec(SD + "mahalanobis", Case("VI", lambda u, v, a: cdis.mahalanobis(u, v, a @ a.T + 3.0),
                              normal(3), normal(3), normal(3, 3)))
spec(SD + "jensenshannon", Case("vectors", cdis.jensenshannon, unif(0.2, 1.0, 4),
                                unif(0.2, 1.0, 4)),
     Case("axis-base", lambda p, q: cdis.jensenshannon(p, q, base=2.0, axis=1),
          unif(0.2, 1.0, 2, 3), unif(0.2, 1.0, 2, 3)))
spec(SD + "directed_hausdorff", Case("d", lambda a, b: cdis.directed_hausdorff(a, b)[0],
                                     separated(4, 2), separated(3, 2)))
for _n in ("dice", "hamming", "jaccard", "rogerstanimoto", "russellrao", "sokalsneath", "yule"):
    ZERO[SD + _n] = (lambda u, v, f=getattr(cdis, _n): f(u > 0, v > 0),
                     (normal(6, scale=3.0), normal(6, scale=3.0)))



# ---- numpy.polynomial: the six bases, their classes (chainrule/numpy/polynomial) --------------
def _lead(n, lo=0.8, hi=1.5):
    """n coefficients whose last is bounded away from 0 (a divisor, a companion matrix)."""
    return lambda rng: np.r_[rng.standard_normal(n - 1), rng.uniform(lo, hi)]


def _with_real_roots(mod, prefix):
    """The coefficients of the series with two well separated real roots."""
    return lambda rng: getattr(mod, prefix + "fromroots")(
        np.array([rng.uniform(-0.8, -0.4), rng.uniform(0.4, 0.8)]))


_POLY_X = np.linspace(-1.0, 1.0, 6)
for _b, (_nmod, _p, _cls) in cpoly.series.BASES.items():
    _M = getattr(cpoly, _b)
    _q = f"{PL}{_b}.{_p}"
    spec(_q + "val", Case("c", lambda c, f=getattr(_M, _p + "val"): f(0.3, c), normal(4)),
         Case("x-c", getattr(_M, _p + "val"), unif(-0.9, 0.9, 3), normal(4)),
         Case("tensor", getattr(_M, _p + "val"), unif(-0.9, 0.9, 2), normal(3, 2)))
    spec(_q + "vander", Case("x", lambda x, f=getattr(_M, _p + "vander"): f(x, 3),
                             unif(-0.9, 0.9, 3)))
    spec(_q + "line", Case("off-scl", getattr(_M, _p + "line"), normal(), nonzero(0.5, 2.0)))
    for _op in ("add", "sub", "mul"):
        spec(_q + _op, Case("pair", getattr(_M, _p + _op), normal(3), normal(2)))
    spec(_q + "mulx", Case("c", getattr(_M, _p + "mulx"), normal(3)))
    spec(_q + "pow", Case("square", lambda c, f=getattr(_M, _p + "pow"): f(c, 2), normal(3)),
         Case("cube", lambda c, f=getattr(_M, _p + "pow"): f(c, 3), normal(2)))
    spec(_q + "div", Case("quo-rem", lambda a, b, f=getattr(_M, _p + "div"):
                          cnp.concatenate(f(a, b)), normal(4), _lead(2)))
    spec(_q + "der", Case("twice", lambda c, f=getattr(_M, _p + "der"): f(c, 2), normal(4)),
         Case("axis-scl", lambda c, f=getattr(_M, _p + "der"): f(c, 1, scl=2.0, axis=1),
              normal(2, 4)),
         Case("traced-scl", lambda c, s, f=getattr(_M, _p + "der"): f(c, 2, scl=s), normal(4),
              unif(0.5, 2.0)))
    spec(_q + "int", Case("lbnd", lambda c, f=getattr(_M, _p + "int"): f(c, 2, lbnd=0.3),
                          normal(3)),
         Case("k-lbnd-scl", lambda c, k, lb, s, f=getattr(_M, _p + "int"):
              f(c, 2, k=k, lbnd=lb, scl=s), normal(3), normal(2), unif(-0.5, 0.5),
              unif(0.5, 2.0)))
    spec(_q + "fromroots", Case("r", getattr(_M, _p + "fromroots"), separated(3)))
    spec(_q + "companion", Case("c", getattr(_M, _p + "companion"), _lead(4)))
    spec(_q + "roots", Case("real", getattr(_M, _p + "roots"),
                            _with_real_roots(getattr(np.polynomial, _b), _p)))
    spec(_q + "fit", Case("y", lambda y, f=getattr(_M, _p + "fit"): f(_POLY_X, y, 2), normal(6)),
         Case("x-y-w", lambda x, y, w, f=getattr(_M, _p + "fit"): f(x, y, [0, 2], w=w),
              separated(6), normal(6), unif(0.5, 1.5, 6)))
    spec(_q + "val2d", Case("xy-c", getattr(_M, _p + "val2d"), unif(-0.9, 0.9, 3),
                            unif(-0.9, 0.9, 3), normal(2, 3)))
    spec(_q + "val3d", Case("xyz-c", getattr(_M, _p + "val3d"), unif(-0.9, 0.9, 2),
                            unif(-0.9, 0.9, 2), unif(-0.9, 0.9, 2), normal(2, 2, 2)))
    spec(_q + "grid2d", Case("xy-c", getattr(_M, _p + "grid2d"), unif(-0.9, 0.9, 3),
                             unif(-0.9, 0.9, 2), normal(2, 3)))
    spec(_q + "grid3d", Case("xyz-c", getattr(_M, _p + "grid3d"), unif(-0.9, 0.9, 2),
                             unif(-0.9, 0.9, 2), unif(-0.9, 0.9, 2), normal(2, 2, 2)))
    spec(_q + "vander2d", Case("xy", lambda x, y, f=getattr(_M, _p + "vander2d"): f(x, y, [1, 2]),
                               unif(-0.9, 0.9, 3), unif(-0.9, 0.9, 3)))
    spec(_q + "vander3d", Case("xyz", lambda x, y, z, f=getattr(_M, _p + "vander3d"):
                               f(x, y, z, [1, 1, 2]), unif(-0.9, 0.9, 2), unif(-0.9, 0.9, 2),
                               unif(-0.9, 0.9, 2)))
    # (nothing dropped: under vmap nothing is, tests/test_numpy_polynomial.py drops)
    spec(_q + "trim", Case("tol", lambda c, f=getattr(_M, _p + "trim"): f(c, 0.1),
                           unif(0.5, 1.0, 4)))
    if _b == "polynomial":
        spec(_q + "valfromroots", Case("x-r", _M.polyvalfromroots, unif(-0.9, 0.9, 3),
                                       normal(3)))
    else:
        spec(_q + "2poly", Case("c", getattr(_M, _p + "2poly"), normal(4)))
        spec(f"{PL}{_b}.poly2{_p}", Case("pol", getattr(_M, "poly2" + _p), normal(4)))
        spec(_q + "weight", Case("x", getattr(_M, _p + "weight"), unif(-0.9, 0.9, 3)))
    _C = getattr(cpoly, _cls)
    _class_cases = (
        Case("call", lambda c, x, C=_C: C(c)(x), normal(3), unif(-0.9, 0.9, 2)),
        Case("fit-deriv-integ", lambda y, C=_C: C.fit(_POLY_X, y, 2).deriv()(0.3) +
             C.fit(_POLY_X, y, 2).integ(lbnd=0.1)(0.5), normal(6)),
        Case("fit-x-domain", lambda x, C=_C: C.fit(x, _POLY_X ** 2, 2)(0.3), separated(6)),
        Case("arithmetic", lambda a, b, C=_C: ((C(a) * C(b) - C(b) + C(a) ** 2) // C([1.0, 2.0]))
             (0.4), normal(3), normal(2)),
        Case("roots", lambda r, C=_C: C.fromroots(r, domain=[-2.0, 2.0]).roots(),
             lambda rng: np.array([rng.uniform(-0.8, -0.4), rng.uniform(0.4, 0.8)])))
    spec(PL + _cls, *_class_cases)
    spec(f"{PL}{_b}.{_cls}", *_class_cases)
COMPLEX_CASES_SKIPPED.update({(f"{PL}{_b}.{_p}{_f}", _label): "NumPy's own der and int refuse "
                              "a complex scale with real coefficients"
                              for _b, (_, _p, _) in cpoly.series.BASES.items()
                              for _f, _label in (("der", "traced-scl"), ("int", "k-lbnd-scl"))})
spec(PL + "polyutils.mapparms", Case("intervals", lambda a, b: cnp.stack(
    cpoly.polyutils.mapparms(a, b)), separated(2), separated(2)))
spec(PL + "polyutils.mapdomain", Case("x-intervals", cpoly.polyutils.mapdomain,
                                      normal(3), separated(2), separated(2)))


# ---- numpy.emath and numpy.lib.stride_tricks (chainrule/numpy/emath.py, lib/) ------------------
def _signed(lo, hi, *shape):
    """|x| in [lo, hi], the first entry negative (so that emath's result is complex)."""
    def make(rng):
        x = rng.uniform(lo, hi, shape) * rng.choice([-1.0, 1.0], shape)
        x.flat[0] = -abs(x.flat[0])
        return x
    return make


for _n in ("sqrt", "log", "log2", "log10"):
    spec(N + "emath." + _n, Case("negative", getattr(cnp.emath, _n), unif(-2.0, -0.5, 3)),
         Case("mixed", getattr(cnp.emath, _n), _signed(0.5, 2.0, 3)),
         Case("positive", getattr(cnp.emath, _n), unif(0.5, 2.0, 2, 3)))
spec(N + "emath.logn", Case("base-x", cnp.emath.logn, unif(1.5, 3.0), _signed(0.5, 2.0, 3)))
spec(N + "emath.power", Case("x-p", cnp.emath.power, _signed(0.5, 2.0, 3), unif(0.5, 2.0)),
     Case("positive", cnp.emath.power, unif(0.5, 2.0, 3), normal()))
for _n in ("arccos", "arcsin", "arctanh"):
    spec(N + "emath." + _n, Case("outside", getattr(cnp.emath, _n), _signed(1.2, 2.0, 3)),
         Case("inside", getattr(cnp.emath, _n), unif(-0.9, 0.9, 3)))
spec(N + "lib.stride_tricks.sliding_window_view",
     Case("1d", lambda x: cnp.lib.stride_tricks.sliding_window_view(x, 3), normal(5)),
     Case("2d-axis", lambda x: cnp.lib.stride_tricks.sliding_window_view(x, (2,), axis=1),
          normal(3, 4)),
     Case("2d-windows", lambda x: cnp.lib.stride_tricks.sliding_window_view(x, (2, 2)),
          normal(3, 3)))
spec(N + "lib.stride_tricks.as_strided",
     Case("overlapping", lambda x: cnp.lib.stride_tricks.as_strided(
         x, (2, 3), (x.dtype.itemsize,) * 2), normal(4)))
# ---- bvp (helper piece): scipy.integrate.solve_bvp by the implicit function theorem -----------
# (max_nodes = the initial mesh's size keeps the mesh, so that central differences see one
# collocation system and vmap stacks; tol=1e-12 makes SciPy's Newton iterate to rounding)
_BVP_X = np.linspace(0.0, 1.0, 7)


def _bvp_linear(k, c, b):
    res = cint.solve_bvp(lambda x, y: cnp.vstack((y[1], -k * y[0] + c * x)),
                         lambda ya, yb: cnp.stack([ya[0] - c, yb[1] + 0.5 * ya[1]]),
                         b * _BVP_X, np.zeros((2, 7)), tol=1e-12, max_nodes=7)
    return res.y, res.sol(0.3 * b)


def _bvp_eigen(k):   # SciPy's Sturm-Liouville example, the unknown p solved for
    res = cint.solve_bvp(lambda x, y, p: cnp.vstack((y[1], -p[0] ** 2 * y[0])),
                         lambda ya, yb, p: cnp.stack([ya[0], yb[0], ya[1] - k]), _BVP_X,
                         np.array([np.sin(2 * np.pi * _BVP_X), np.cos(2 * np.pi * _BVP_X)]),
                         p=[6.0], tol=1e-12, max_nodes=7)
    return res.y[:, 1:-1], res.p


spec(IN + "solve_bvp",
     Case("linear-closure-interval", _bvp_linear, unif(1.0, 2.0), normal(), unif(0.8, 1.2)),
     Case("eigenvalue", _bvp_eigen, unif(5.0, 7.0)))
COMPLEX_CASES_SKIPPED.update({
    (IN + "solve_bvp", c): "chainrule's solve_bvp differentiates real problems and raises "
                           "TypeError on traced complex values (SciPy's accepts plain ones)"
    for c in ("linear-closure-interval", "eigenvalue")})
# the elementwise integrals and sums: limits, broadcast args, closed-over values
spec(IN + "tanhsinh",
     Case("limits-args", lambda a, b, s: cint.tanhsinh(
         lambda x, s: cnp.exp(-s * x * x), a, b, args=(s,)).integral, unif(-0.5, 0.0, 2),
          unif(0.8, 1.5, 2), unif(0.5, 1.0, 3, 1)),
     Case("half-line-closure", lambda c: cint.tanhsinh(
         lambda x: cnp.exp(-c[0] * x) * cnp.cos(c[1] * x), 0.0, np.inf).integral,
          unif(0.5, 1.5, 2)))
spec(IN + "nsum",
     Case("args-closure", lambda s, c: cint.nsum(lambda k, s: c * k ** -s, 1.0, 20.0,
                                                  args=(s,)).sum, unif(1.5, 3.0, 2), normal()))
COMPLEX_CASES_SKIPPED.update({
    (IN + n, c): "SciPy's elementwise integrals and sums of real functions (chainrule raises "
                 "TypeError on traced complex values)"
    for n, c in (("tanhsinh", "limits-args"), ("tanhsinh", "half-line-closure"),
                 ("nsum", "args-closure"))})
def _qmc_engine():
    import scipy.stats
    return scipy.stats.qmc.Halton(2, seed=3)


# integrals over boxes: SciPy's cubature (faces for the limits), qmc_quad's estimator on the
# points SciPy draws from a seeded engine
spec(IN + "cubature",
     Case("limits-args-closure", lambda a, b, s, c: cint.cubature(
         lambda x, s: cnp.exp(-s * cnp.sum(x * x, axis=-1)) * c, a, b, args=(s,)).estimate,
          unif(-0.5, 0.0, 2), unif(0.8, 1.2, 2), unif(0.5, 1.0), normal()),
     Case("vector-half-line", lambda s: cint.cubature(
         lambda x: cnp.stack([cnp.exp(-s[0] * x[:, 0]), x[:, 0] * cnp.exp(-s[1] * x[:, 0])],
                             axis=-1), [0.0], [np.inf]).estimate, unif(0.5, 1.5, 2)))
spec(IN + "qmc_quad",
     Case("limits-closure", lambda a, b, s: cint.qmc_quad(
         lambda x: cnp.exp(-s * x[0]) * x[1], a, b, n_estimates=3, n_points=16,
         qrng=_qmc_engine()), unif(-0.5, 0.0, 2), unif(0.8, 1.2, 2), unif(0.5, 1.5)))
COMPLEX_CASES_SKIPPED.update({
    (IN + n, c): "real boxes and real integrands (chainrule raises TypeError on traced complex "
                 "values)"
    for n, c in (("cubature", "limits-args-closure"), ("cubature", "vector-half-line"),
                 ("qmc_quad", "limits-closure"))})
# scipy.linalg's leftovers: the QR updates of a factorisation computed from a traced matrix (so
# that central differences move along exact factorisations), fiedler_companion, the sketch
spec(SL + "fiedler_companion", Case("degree5", csl.fiedler_companion, nonzero(0.5, 2.0, 6)),
     Case("batch-degree2", csl.fiedler_companion, nonzero(0.5, 2.0, 2, 3)))
def _qr_updated(f):   # |Q|², |R|²: the phases of complex factors are a convention (as for qr)
    return lambda *args: [_abs2(x) for x in f(*args)]


spec(SL + "qr_update",
     Case("rank1", _qr_updated(lambda a, u, v: csl.qr_update(*csl.qr(a), u, v)), wellcond(3, 3),
          normal(3), normal(3)),
     Case("rank2-economic", _qr_updated(
         lambda a, u, v: csl.qr_update(*csl.qr(a, mode="economic"), u, v)),
          normal(4, 2), normal(4, 2), normal(2, 2)))
spec(SL + "qr_insert",
     Case("row", _qr_updated(lambda a, u: csl.qr_insert(*csl.qr(a), u, 1)), wellcond(3, 3),
          normal(3)),
     Case("columns", _qr_updated(lambda a, u: csl.qr_insert(*csl.qr(a), u, 2, which="col")),
          wellcond(3, 3), normal(3, 2)))
spec(SL + "qr_delete",
     Case("row", _qr_updated(lambda a: csl.qr_delete(*csl.qr(a), 1)), wellcond(4, 4)),
     Case("columns", _qr_updated(lambda a: csl.qr_delete(*csl.qr(a), 0, 2, which="col")),
          normal(3, 4)))
spec(SL + "clarkson_woodruff_transform",
     Case("rng", lambda a: csl.clarkson_woodruff_transform(a, 3, rng=7), normal(5, 2)),
     Case("seed-stack", lambda a: csl.clarkson_woodruff_transform(a, 2, seed=1), normal(2, 4, 3)))


# ---- scipy.fftpack (chainrule/scipy/fftpack.py) -------------------------------------------------
for _n in ("fft", "ifft"):
    spec(FP + _n, Case("x", getattr(cfp, _n), normal(6)),
         Case("n-axis", lambda x, f=getattr(cfp, _n): f(x, 8, axis=0), normal(5, 2)))
for _n in ("fftn", "ifftn", "fft2", "ifft2", "dctn", "idctn", "dstn", "idstn"):
    spec(FP + _n, Case("x", getattr(cfp, _n), normal(3, 4)))
spec(FP + "rfft", Case("even", cfp.rfft, normal(6)), Case("odd-n", lambda x: cfp.rfft(x, 5),
                                                         normal(6)))
spec(FP + "irfft", Case("even", cfp.irfft, normal(6)), Case("odd", cfp.irfft, normal(5)))
for _n in ("dct", "idct", "dst", "idst"):
    spec(FP + _n, Case("types-ortho", lambda x, f=getattr(cfp, _n): cnp.concatenate(
        [f(x, type=t) for t in (1, 2, 3, 4)] + [f(x, norm="ortho")]), normal(5)))
_FP_ARGS = {"diff": (), "tilbert": (0.5,), "itilbert": (0.5,), "hilbert": (), "ihilbert": (),
            "cs_diff": (0.5, 1.0), "sc_diff": (0.5, 1.0), "ss_diff": (0.5, 1.0),
            "cc_diff": (0.5, 1.0), "shift": (0.3,)}
for _n, _a in _FP_ARGS.items():
    spec(FP + _n, Case("x", lambda x, f=getattr(cfp, _n), a=_a: f(x, *a), normal(8)),
         Case("odd-length", lambda x, f=getattr(cfp, _n), a=_a: f(x, *a), normal(7)))
SPECS[FP + "diff"].append(Case("order-period", lambda x: cfp.diff(x, 3, 2.5), normal(8)))
SPECS[FP + "shift"].append(Case("period", lambda x: cfp.shift(x, 0.3, 2.0), normal(8)))
for _n in ("fftshift", "ifftshift"):
    spec(FP + _n, Case("x", getattr(cfp, _n), normal(5)))
COMPLEX_REJECTED.update({FP + "rfft": "fftpack's packed real transform takes real sequences "
                                      "(SciPy raises TypeError)",
                         FP + "irfft": "as rfft"})


# ---- scipy.spatial.transform: Rotation, Slerp (chainrule/scipy/spatial/transform.py) ----------
_ROT = ctr.Rotation
spec(TR + "Rotation",
     Case("euler-matrix", lambda a: _ROT.from_euler("xyz", a).as_matrix(), unif(-1.0, 1.0, 3)),
     Case("quat-apply", lambda q, v: _ROT.from_quat(q).apply(v), unif(0.3, 1.0, 4),
          normal(2, 3)),
     Case("rotvec-euler", lambda v: _ROT.from_rotvec(v).as_euler("ZXZ"), unif(0.3, 0.9, 3)),
     Case("matrix-mrp-rotvec", lambda a: cnp.concatenate([
         _ROT.from_matrix(_ROT.from_euler("zyx", a).as_matrix()).as_mrp(),
         _ROT.from_mrp(_ROT.from_euler("YZX", a).as_mrp()).as_rotvec()]), unif(-1.0, 1.0, 3)),
     Case("compose-inv-pow", lambda a, b: (_ROT.from_rotvec(a) * _ROT.from_rotvec(b).inv()
                                           ** 0.5).as_quat(), unif(0.2, 0.8, 3),
          unif(0.2, 0.8, 3)),
     Case("magnitude-mean", lambda q: cnp.concatenate([
         _ROT.from_quat(q).magnitude(), _ROT.from_quat(q).mean().as_quat(canonical=True)]),
          lambda rng: np.array([0.0, 0.0, 0.0, 1.0]) + rng.uniform(-0.3, 0.3, (3, 4))),
     Case("identity-rotvec", lambda v: _ROT.from_rotvec(v).as_quat(), lambda rng: np.zeros(3)))
spec(TR + "Slerp",
     Case("rotations-times", lambda a, t: ctr.Slerp([0.0, 1.0, 2.0], _ROT.from_rotvec(a))(t)
          .as_rotvec(), unif(-0.5, 0.5, 3, 3), lambda rng: np.array([0.3, 1.4])),
     Case("knot-times", lambda k: ctr.Slerp(k, _ROT.from_rotvec(np.array(
         [[0.1, 0.2, 0.3], [0.5, -0.2, 0.1], [0.0, 0.4, -0.3]])))(np.array([0.5, 1.5])).as_quat(),
          lambda rng: np.array([0.0, 1.0, 2.0]) + rng.uniform(-0.2, 0.2, 3)))
COMPLEX_REJECTED.update({TR + "Rotation": "rotations are real (chainrule raises TypeError)",
                         TR + "Slerp": "as Rotation"})


# ---- scipy.stats names with no derivative at all: SciPy's values, refused (dists2) --------------
_NO_DENSITY = {"ksone": ((unif(0.1, 0.9, 3),), lambda f, x: f(x, 5.0)),
               "kstwo": ((unif(0.1, 0.9, 3),), lambda f, x: f(x, 5.0)),
               "levy_stable": ((normal(3),), lambda f, x: f(x, 1.5, 0.3)),
               "studentized_range": ((unif(0.5, 3.0, 3),), lambda f, x: f(x, 3.0, 10.0)),
               "landau": ((normal(3),), lambda f, x: f(x))}
for _n, (_makers, _call) in _NO_DENSITY.items():
    for _m in ("pdf", "logpdf"):
        VALUE_ONLY.append((f"{ST}{_n}.{_m}", "x", _call, _makers))
for _n in ("nchypergeom_fisher", "nchypergeom_wallenius"):
    for _m in ("pmf", "logpmf", "cdf", "sf"):
        VALUE_ONLY.append((f"{ST}{_n}.{_m}", "odds", lambda f, odds: f(
            np.array([2.0, 3.0, 4.0]), 20.0, 7.0, 12.0, odds), (unif(1.5, 3.0),)))
for _m in ("pmf", "logpmf"):   # integers throughout: a zero derivative
    ZERO[f"{ST}multivariate_hypergeom.{_m}"] = (
        lambda t, f=getattr(cst.multivariate_hypergeom, _m): f(
            np.array([1, 2]), cnp.astype(cnp.round(cnp.abs(t)), np.int64) + np.array([4, 6]), 3),
        (normal(2),))

# ---- the tests -------------------------------------------------------------------------------------
def test_every_table_entry_has_a_spec():
    """A new primitive or composite in the registry cannot slip by untested."""
    wanted = set(_qualified({registry.PRIMITIVE, registry.COMPOSITE}))
    missing = sorted(wanted - set(SPECS))
    extra = sorted(set(SPECS) - wanted)
    assert not missing, f"registered names with no spec in tests/test_rules.py: {missing}"
    assert not extra, f"specs for names that are not registered primitives/composites: {extra}"


def test_every_zero_derivative_entry_is_checked():
    wanted = set(_qualified({registry.NONDIFF}))
    assert set(ZERO) == wanted, (sorted(wanted - set(ZERO)), sorted(set(ZERO) - wanted))


def test_coverage_document_claims_match_the_specs():
    """docs/coverage.md says 'order 2' exactly for the names specced here, 'zero' for ZERO."""
    claims = {q: tested for q, *_, tested in coverage.rows()}
    assert {q for q, t in claims.items() if t == "order 2"} == set(SPECS) - set(FIRST_ORDER)
    assert {q for q, t in claims.items() if t == "order 1"} == set(FIRST_ORDER)
    assert {q for q, t in claims.items() if t == "zero"} == set(ZERO)


def test_every_declared_primitive_has_all_its_rules():
    from chainrule.interpreters.batching import batch_rules
    from chainrule.interpreters.forward import jvp_rules
    from chainrule.interpreters.reverse import vjp_rules
    loops = []
    for p in registry.declared_primitives():
        assert p in jvp_rules and p in vjp_rules, f"{p.name} has no JVP/VJP entry"
        if p not in batch_rules:
            loops.append(p.name)
    # Only these loop over the batch, on purpose (the output's shape depends on values).
    # (set_indices: which entries union1d, intersect1d, ... and unique_all select)
    assert sorted(set(loops)) == ["argwhere", "bincount", "flatnonzero", "histogram", "nonzero",
                                  "set_indices", "unique"]
    for q, e in _qualified({registry.PRIMITIVE}).items():
        assert jvp_rules.get(e.prim) is not None, f"{q} has no JVP rule"
        assert vjp_rules.get(e.prim) is not None, f"{q} has no VJP rule"


@pytest.mark.parametrize("name,case", list(_cases()))
def test_check_grads_order2(name, case):
    args = case.args(name)
    cr.check_grads(case.fn, args, order=1 if name in FIRST_ORDER else 2, modes=("fwd", "rev"))


@pytest.mark.parametrize("name,case", list(_cases()))
def test_dot_product(name, case):
    """⟨u, J v⟩ (forward mode) equals ⟨Jᵀu, v⟩ (reverse mode) at a random point."""
    args = case.args(name)
    rng = np.random.default_rng(zlib.crc32(f"dot/{name}/{case.label}".encode()))
    v = _random_like(args, rng)
    out, jv = cr.jvp(case.fn, args, v)
    u = _random_like(out, rng)
    out2, pullback = cr.vjp(case.fn, *args)
    jtu = pullback(u)
    for a, b in zip(_flat(out), _flat(out2)):
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b))
    lhs, s1 = _inner(u, jv)
    rhs, s2 = _inner(jtu, v)
    tol = DOT_TOLERANCE.get(name, 1e-10)
    assert abs(lhs - rhs) <= tol * max(s1, s2, 1e-300) + 1e-300, (lhs, rhs)


# ---- the jit leg: one case of every primitive staged by cr.jit, first call and replay ----------
def _one_case_each():
    seen = set()
    for p in _cases():
        if p.values[0] not in seen:
            seen.add(p.values[0])
            yield p


@pytest.mark.parametrize("name,case", list(_one_case_each()))
def test_jit_matches_eager(name, case):
    """Forward, reverse and (forward-over-reverse) second order through cr.jit: the trace
    and the replay of the generated program return what eager chainrule returns."""
    args = case.args(name)
    rng = np.random.default_rng(zlib.crc32(f"jit/{name}/{case.label}".encode()))
    v = _random_like(args, rng)
    u = _random_like(case.fn(*args), rng)
    programs = {"jvp": lambda *a: cr.jvp(case.fn, a, v),
                "vjp": lambda *a: cr.vjp(case.fn, *a)[1](u)}
    if name not in FIRST_ORDER:
        programs["2nd"] = lambda *a: cr.jvp(lambda *b: cr.vjp(case.fn, *b)[1](u), a, v)
    for label, fn in programs.items():
        eager = _flat(fn(*args))
        jf = cr.jit(fn)
        for call in ("trace", "replay"):
            got = _flat(jf(*args))
            assert len(got) == len(eager)
            for a, b in zip(got, eager):
                assert np.result_type(a) == np.result_type(b), (label, call)
                np.testing.assert_array_equal(a, b, err_msg=f"{label}, {call}")
        assert jf.trace_count == 1, label


@pytest.mark.parametrize("name,case", list(_complex_cases()))
def test_check_grads_order2_complex(name, case):
    args = case.args(name)
    assert any(np.iscomplexobj(a) for a in args)
    with warnings.catch_warnings():
        warnings.simplefilter("error", np.exceptions.ComplexWarning)  # no silent real cast
        cr.check_grads(case.fn, args, order=2, modes=("fwd", "rev"))


@pytest.mark.parametrize("name,case", list(_complex_cases()))
def test_dot_product_complex(name, case):
    """Re Σ u·(J v) (forward mode) equals Re Σ (vjp u)·v (reverse mode), complex u and v."""
    args = case.args(name)
    rng = np.random.default_rng(zlib.crc32(f"cdot/{name}/{case.label}".encode()))
    v = random_like_complex(args, rng)
    out, jv = cr.jvp(case.fn, args, v)
    u = random_like_complex(out, rng)
    jtu = cr.vjp(case.fn, *args)[1](u)
    lhs, s1 = _pairing(u, jv)
    rhs, s2 = _pairing(jtu, v)
    assert abs(lhs - rhs) <= 1e-10 * max(s1, s2, 1e-300) + 1e-300, (lhs, rhs)


@pytest.mark.parametrize("name", sorted(COMPLEX_REJECTED))
def test_complex_rejected_by_numpy(name):
    """Each name left out of the complex leg as 'rejected' really is: NumPy (or SciPy)
    raises TypeError on complex input, untraced."""
    case = SPECS[name][0]
    args = complex_case(case).args(name)
    with pytest.raises(TypeError):
        case.fn(*[np.asarray(a) for a in args])


@pytest.mark.parametrize("name", sorted(COMPLEX_REFUSED))
def test_complex_derivative_refused(name):
    """The value is computed on complex input; the derivative raises TypeError, never a wrong
    number."""
    case = SPECS[name][0]
    args = complex_case(case).args(name)
    case.fn(*[np.asarray(a) for a in args])
    with pytest.raises(TypeError):
        cr.check_grads(case.fn, args, order=2, modes=("fwd", "rev"))


def test_complex_exclusions_name_real_specs():
    for name in list(COMPLEX_REJECTED) + list(COMPLEX_REFUSED):
        assert name in SPECS, name
    for name, label in COMPLEX_CASES_SKIPPED:
        assert label in [c.label for c in SPECS[name]], (name, label)


def _plain(tree):
    return all(not isinstance(x, Tracer) and isinstance(x, (np.ndarray, np.generic, bool, int, float))
               for x in _flat(tree))


@pytest.mark.parametrize("name", sorted(ZERO))
def test_zero_derivative(name):
    fn, makers = ZERO[name]
    rng = np.random.default_rng(zlib.crc32(name.encode()))
    args = tuple(m(rng) for m in makers)
    expected = fn(*args)
    seen = []

    def f(*a):
        out = fn(*a)
        seen.append(out)
        return out

    # forward mode: the output is untraced and its tangent exactly zero
    out, tan = cr.jvp(f, args, _random_like(args, rng))
    assert _plain(seen[-1]), f"{name} returned a tracer under jvp"
    for a, b in zip(_flat(out), _flat(expected)):
        np.testing.assert_array_equal(a, b)
    for t in _flat(tan):
        assert np.all(np.asarray(t) == 0)
    # reverse mode: the output is untraced and every cotangent exactly zero
    out, pullback = cr.vjp(f, *args)
    assert _plain(seen[-1]), f"{name} returned a tracer under vjp"
    cts = pullback(cr.tree.tree_map(lambda o: np.ones(np.shape(o)) if np.ndim(o) else 1.0, out))
    for c, a in zip(_flat(cts), args):
        assert np.shape(c) == np.shape(a)
        assert np.all(np.asarray(c) == 0)
    # and inside a differentiated function (grad of a scalar that uses it)
    g = cr.grad(lambda x: cnp.sum(x * 0.0 + cnp.where(cnp.any(fn(x, *args[1:])), 1.0, 0.0)))(args[0])
    assert np.all(np.asarray(g) == 0)


def test_sinc_second_derivative_at_zero():
    """sinc''(0) = -π²/3 (the first derivative's rule must be differentiable at 0)."""
    d2 = cr.grad(cr.grad(cnp.sinc))(0.0)
    assert abs(d2 + np.pi ** 2 / 3) < 1e-12
    d2f = cr.jvp(lambda x: cr.jvp(cnp.sinc, (x,), (1.0,))[1], (0.0,), (1.0,))[1]
    assert abs(d2f + np.pi ** 2 / 3) < 1e-12


def test_max_ties_share_the_derivative():
    x = np.array([1.0, 3.0, 3.0])
    np.testing.assert_array_equal(cr.grad(cnp.max)(x), [0.0, 0.5, 0.5])
    np.testing.assert_array_equal(cr.jvp(cnp.max, (x,), (np.ones(3),))[1], 1.0)
    np.testing.assert_array_equal(cr.grad(lambda x: cnp.sum(cnp.maximum(x, 3.0)))(x), [0.0, 0.5, 0.5])


# ---- the gradient checker itself ---------------------------------------------------------------------
def _wrong_primitive(jvp_scale, vjp_scale):
    """sin as a new primitive whose rules are off by the given factors (1.0 = right)."""
    from chainrule.core.primitive import Primitive
    from chainrule.interpreters.forward import defjvp
    from chainrule.interpreters.reverse import defvjp
    p = Primitive("wrong_sin", np.sin)
    defjvp(p, lambda t, ans, x: t * cnp.cos(x) * jvp_scale)
    defvjp(p, lambda g, ans, x: g * cnp.cos(x) * vjp_scale)
    return p


_X = np.array([0.3, -1.2, 2.0])


def test_checker_accepts_correct_rules():
    cr.check_grads(_wrong_primitive(1.0, 1.0), (_X,), order=2)


@pytest.mark.parametrize("mode,scales", [("rev", (1.0, 1.001)), ("fwd", (1.001, 1.0))])
def test_checker_catches_a_rule_off_by_a_tenth_of_a_percent(mode, scales):
    p = _wrong_primitive(*scales)
    with pytest.raises(cr.GradientCheckError, match="reverse" if mode == "rev" else "forward"):
        cr.check_grads(p, (_X,), order=1, modes=(mode,))
    # the other mode alone does not see the bug (rules are registered per mode)
    cr.check_grads(p, (_X,), order=1, modes=("fwd",) if mode == "rev" else ("rev",))


def test_checker_catches_a_wrong_second_derivative():
    """First derivative right, its own derivative wrong: only order=2 sees it."""
    from chainrule.core.primitive import Primitive
    from chainrule.interpreters.forward import defjvp
    from chainrule.interpreters.reverse import defvjp
    cos_bad = Primitive("cos_bad", np.cos)
    defjvp(cos_bad, lambda t, ans, x: t * (-1.001) * cnp.sin(x))
    defvjp(cos_bad, lambda g, ans, x: g * (-1.001) * cnp.sin(x))
    sin_p = Primitive("sin_with_bad_cos", np.sin)
    defjvp(sin_p, lambda t, ans, x: t * cos_bad(x))
    defvjp(sin_p, lambda g, ans, x: g * cos_bad(x))
    cr.check_grads(sin_p, (_X,), order=1)
    for mode in ("fwd", "rev"):
        with pytest.raises(cr.GradientCheckError):
            cr.check_grads(sin_p, (_X,), order=2, modes=(mode,))


def test_checker_warns_on_float32_and_checks_in_float64():
    with pytest.warns(UserWarning, match="float64"):
        cr.check_grads(cnp.sin, (_X.astype(np.float32),), order=1)
    with pytest.warns(UserWarning):
        with pytest.raises(cr.GradientCheckError):
            cr.check_grads(_wrong_primitive(1.0, 1.001), (_X.astype(np.float32),), order=1)


def test_checker_rejects_unknown_mode():
    with pytest.raises(ValueError, match="mode"):
        cr.check_grads(cnp.sin, (_X,), modes=("backward",))


# ---- docs/coverage.md is generated and must be current ---------------------------------------------
def test_coverage_document_is_up_to_date():
    with open(coverage.default_path(), encoding="utf-8") as fh:
        current = fh.read()
    assert current == coverage.render(), (
        "docs/coverage.md is out of date: run  python -m chainrule.coverage")


def test_coverage_check_command(tmp_path, capsys):
    path = tmp_path / "coverage.md"
    assert coverage.main(["--check", "--output", str(path)]) == 1      # missing
    assert coverage.main(["--output", str(path)]) == 0
    assert coverage.main(["--check", "--output", str(path)]) == 0
    path.write_text(path.read_text() + "stale\n")
    assert coverage.main(["--check", "--output", str(path)]) == 1
    text = coverage.render()
    for module in registry.NAMESPACES:
        assert f"## `{module}`" in text
        for name in registry.entries(module):
            assert f"| `{name}` |" in text
    assert "| `sin` | primitive | yes | yes | rule | order 2 |" in text
    assert "| `mean` | composite | derived | derived | derived | order 2 |" in text
    assert "| `floor` | zero-derivative | zero | zero | rule | zero |" in text
    assert "| `nonzero` | zero-derivative | zero | zero | loop | zero |" in text
    assert "MISSING" not in text


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_polygamma_has_scipys_signature():
    import scipy.special as ss
    x = np.array([1.5, 2.0])
    np.testing.assert_allclose(csp.polygamma(1, x), ss.polygamma(1, x))


def test_check_grads_steps_each_element_by_its_own_scale():
    # One huge and one small entry: a single step for the whole array would ruin the small one.
    cr.check_grads(lambda x: cnp.tanh(x[0]) * x[1], (np.array([0.3, 1e7]),))


def test_check_grads_catches_wrong_rules_with_tiny_derivatives():
    @cr.custom_vjp
    def bad(x):
        return x ** 2
    bad.defvjp(lambda x: (x ** 2, x), lambda x, g: (g * 3 * x,))  # 50% wrong
    with pytest.raises(cr.GradientCheckError):
        cr.check_grads(lambda x: cnp.sum(bad(x)), (np.array([1e-7, 2e-7]),), order=1)


def test_pad_with_a_negative_zero_is_numpys():
    # pad(x, 1)'s fast path fills with +0.0: not for constant_values=-0.0
    for x in (np.array([1.0, 2.0]), np.array([1.0], np.float32), np.array([1 + 1j])):
        for c in (-0.0, 0.0, 0):
            got, want = cnp.pad(x, 1, constant_values=c), np.pad(x, 1, constant_values=c)
            assert got.dtype == want.dtype and got.tobytes() == want.tobytes()
