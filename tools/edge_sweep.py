"""Call every public function of chainrule.numpy and chainrule.scipy the way a user first calls
its NumPy/SciPy twin, on the inputs that break things, and compare the answers.

For each registered name (:mod:`chainrule.core.registry`, the table behind the namespaces and
docs/coverage.md) the twin is looked up (``numpy.sin`` for ``chainrule.numpy.sin``,
``scipy.stats.norm.logpdf`` for ``chainrule.scipy.stats``' ``norm.logpdf``, ...). A *template*
is found: the first argument list among a few plain ones (one to three vectors in (0.2, 0.9), a
positive-definite matrix, a matrix and a vector, ...) that the twin accepts. The template's
arrays are then replaced, all together, by each *variant*:

- ``size0``: empty arrays, (0,) and (0, 0);     - ``size1``: (1,) and (1, 1);
- ``0d``: 0-d arrays (vectors only);             - ``list``: Python (nested) lists;
- ``float32``: float32 arrays;                    - ``int``: integer arrays;
- ``infnan``: the first vector holds inf, −inf, nan and 0.5 (a matrix: one nan entry);

and chainrule's result is compared with the twin's: both raise, or both answer with the same
structure, shapes, dtypes and values (nan where nan, inf where inf). A chainrule result that
shares memory with an input array is reported too. Where the name has a derivative, the
gradient of sum(real(f)) at the ``size1`` variant is compared with central differences, per
argument.

    python tools/edge_sweep.py                       # everything (several minutes)
    python tools/edge_sweep.py --only numpy.linalg scipy.special --variants size0 float32
    python tools/edge_sweep.py --names sin norm.logpdf --verbose

Prints one line per discrepancy, grouped by kind, and a summary. Nothing is written to disk.
Each name is swept in a forked process: a twin that ends the process (a segmentation fault)
is retried with each of its calls apart and reported as ``TwinCrash``. The deliberate
differences, each with its reason, are :data:`KNOWN` (a whole name) and
:data:`KNOWN_FINDINGS` (one kind of finding); ``--all`` lists them too.
"""

import argparse
import collections
import contextlib
import faulthandler
import importlib
import os
import pickle
import signal
import sys
import warnings

import numpy as np

import chainrule as cr
import chainrule.numpy  # noqa: F401  (fill the registry)
import chainrule.scipy  # noqa: F401
from chainrule.core import registry

#: chainrule namespace -> the twin's module.
TWINS = {
    registry.NUMPY: "numpy", registry.LINALG: "numpy.linalg", registry.FFT: "numpy.fft",
    registry.SPECIAL: "scipy.special", registry.STATS: "scipy.stats",
    registry.SCIPY_LINALG: "scipy.linalg", registry.SIGNAL: "scipy.signal",
    registry.INTEGRATE: "scipy.integrate", registry.SCIPY_FFT: "scipy.fft",
    registry.NDIMAGE: "scipy.ndimage", registry.INTERPOLATE: "scipy.interpolate",
    registry.SPATIAL_DISTANCE: "scipy.spatial.distance",
    registry.SPARSE: "scipy.sparse", registry.SPARSE_LINALG: "scipy.sparse.linalg",
    registry.OPTIMIZE: "scipy.optimize", registry.NUMPY_POLYNOMIAL: "numpy.polynomial",
    registry.SCIPY_FFTPACK: "scipy.fftpack",
}
#: Names whose results are random, or which need a callable, a file or a shape: not swept.
SKIP_WORDS = ("rvs", "random", "permutation", "shuffle", "choice", "seed", "load", "save",
              "fromfile", "tofile", "genfromtxt", "loadtxt", "savetxt", "memmap", "frompyfunc",
              "vectorize", "piecewise", "apply_", "fromfunction", "nditer", "printoptions",
              "set_", "get_", "errstate", "seterr", "geterr", "show_", "info", "source",
              "lookfor", "who", "deprecate", "ode", "solve_ivp", "quad", "romb", "fixed_quad",
              "nquad", "dblquad", "tplquad", "newton_cotes", "solve_bvp", "odeint")
#: Words of chainrule's documented refusals (a derivative or a mode it does not offer).
REFUSALS = ("not supported", "must be a constant", "no derivative", "is not differentiable")
#: Exceptions that are bugs, never an answer, whatever the twin does.
INTERNAL = (ZeroDivisionError, IndexError, AttributeError, KeyError, UnboundLocalError,
            AssertionError, RecursionError, NameError, NotImplementedError)
#: Documented deviations (the docstring says so), not reported unless --all is given.
KNOWN = {
    "chainrule.numpy.empty_like": "uninitialised in NumPy: chainrule's are zeros",
    "chainrule.numpy.linalg.eig": "always complex, as JAX's (docstring)",
    "chainrule.numpy.linalg.eigvals": "always complex, as JAX's (docstring)",
    "chainrule.scipy.linalg.cho_factor": "the unused triangle is zero (SciPy: arbitrary)",
    "chainrule.scipy.stats.binom.logpmf": "a fractional n is kept, differentiable (docstring)",
    "chainrule.scipy.stats.binom.pmf": "a fractional n is kept, differentiable (docstring)",
    "chainrule.scipy.stats.boxcox": "fitting lmbda (lmbda=None) is refused (docstring)",
    "chainrule.scipy.stats.yeojohnson": "fitting lmbda (lmbda=None) is refused (docstring)",
    "chainrule.scipy.linalg.eig": "always complex, as numpy.linalg.eig's (docstring); SciPy's "
                                  "eigenvectors are real where every eigenvalue is",
    "chainrule.scipy.stats.multinomial.logpmf": "p used as given (docstring): SciPy 1.17 "
        "replaces the last entry of a p not summing to 1 (negative here: nan); a 0-d or empty x "
        "is one category or none (SciPy: IndexError)",
    "chainrule.scipy.stats.multinomial.pmf": "as multinomial.logpmf",
}
_EMPTY_QUANTILE = ("NumPy 2.4 fails with IndexError (index -1) on an empty array; chainrule "
                   "answers nan, as numpy.median and nanquantile do")
_BAND = ("SciPy 1.17 reads a 1-d ab as one column, a 1×1 matrix, and leaves the rest of b "
         "or ab unsolved; chainrule refuses it, saying to pass ab[None, :] for a diagonal")
_FLOAT32_QUANTILE = ("SciPy evaluates the float32 input in float32 (fdtri/stdtrit) and returns "
                     "float64; chainrule's values are the float64 ones (SciPy's on float64)")
_MATHIEU = ("SciPy 1.17 ends the process (segmentation fault) at m = +inf or q = ±inf/nan; "
            "chainrule answers nan there")
#: Deliberate differences of one kind of finding: (name, text found in the finding's
#: "variant: message") -> why chainrule differs. Other findings of the name are reported.
KNOWN_FINDINGS = {
    ("chainrule.numpy.quantile", "size0"): _EMPTY_QUANTILE,
    ("chainrule.numpy.percentile", "size0"): _EMPTY_QUANTILE,
    ("chainrule.numpy.unstack", "list[v]: answers; the twin raises AttributeError"):
        "NumPy 2.4's unstack reads .ndim of a list; chainrule takes array_like, as NumPy's "
        "other functions",
    ("chainrule.scipy.linalg.lu_factor", "[v]: raises ValueError: lu_factor: expected a matrix"):
        "SciPy 1.17 reads a 1-d array as a column and returns its factor flattened; "
        "chainrule refuses the ambiguous reading, saying to pass a[:, None] or a[None, :]",
    ("chainrule.scipy.linalg.cholesky_banded", "ab must be 2-d (band storage"): _BAND,
    ("chainrule.scipy.linalg.solveh_banded", "ab must be 2-d (band storage"): _BAND,
    ("chainrule.scipy.linalg.hankel", "0d[v]: answers; the twin raises IndexError"):
        "SciPy 1.17 indexes a 0-d c (IndexError); chainrule reads it as [c]",
    ("chainrule.scipy.signal.lfilter", "int[vvv]: answers; the twin raises NotImplementedError"):
        "SciPy refuses int64 signals; chainrule filters them in float64, as float input",
    ("chainrule.scipy.signal.welch", "list[v]: answers; the twin raises AttributeError"):
        "SciPy 1.17 reads .shape of a list; chainrule takes array_like",
    ("chainrule.scipy.stats.f.ppf", "float32"): _FLOAT32_QUANTILE,
    ("chainrule.scipy.stats.f.isf", "float32"): _FLOAT32_QUANTILE,
    ("chainrule.scipy.stats.t.ppf", "float32"): _FLOAT32_QUANTILE,
    ("chainrule.scipy.stats.t.isf", "float32"): _FLOAT32_QUANTILE,
    **{(f"chainrule.scipy.special.mathieu_{n}", "infnan[vvv]: answers; the twin raises TwinCrash"):
       _MATHIEU for n in ("cem", "sem", "modcem1", "modcem2", "modsem1", "modsem2")},
    # dists2 (docs/stats.md)
    **{(f"chainrule.scipy.stats.kappa4.{m}", "float32[vvv]: answers; the twin raises TypeError"):
       "SciPy 1.17's kappa4 support casts float64 into the float32 shapes and raises; "
       "chainrule computes in float64, as for every distribution"
       for m in ("logpdf", "pdf", "cdf", "logcdf", "sf", "logsf", "ppf", "isf")},
    ("chainrule.scipy.stats.pearson3.logpdf", "infnan"):
        "the log-density at ±inf is −inf, as SciPy's pdf (0) says; SciPy's logpdf is nan there",
    **{(f"chainrule.scipy.stats.poisson_binom.{m}", "size0[vv]: answers; the twin raises"):
       "no probabilities: K = 0 surely (SciPy 1.17 stacks the empty p and raises)"
       for m in ("pmf", "logpmf", "cdf", "sf")},
}
VARIANTS = ("size0", "size1", "0d", "list", "float32", "int", "infnan")


def known(qual, variant, msg):
    """Why the finding is a documented, deliberate difference (None: it is a discrepancy)."""
    if qual in KNOWN:
        return KNOWN[qual]
    text = f"{variant}: {msg}"
    return next((why for (name, part), why in KNOWN_FINDINGS.items()
                 if name == qual and part in text), None)


def _vec(n=4, position=0):
    # each argument its own values: equal arguments sit on the kinks of mod, comb, triang…
    # (and not on one line: a perfect linear fit is degenerate for linregress's stderr)
    return np.linspace(0.2, 0.9, n) + 0.02 * position * np.resize([0.0, 1.0, 3.0, 2.0], n)


def _mat(n=3):
    a = np.array([[2.0, 0.3, 0.1], [0.3, 1.5, 0.2], [0.1, 0.2, 1.8]])
    return a[:n, :n].copy()


#: Argument templates: "v" a vector, "m" a positive-definite matrix, "s" a scalar 0.5.
TEMPLATES = ("v", "vv", "vvv", "m", "mv", "mm", "vs", "vvvv", "mvv", "ms")


def _build(template, variant):
    """The arguments of ``template`` for ``variant`` (None: the variant does not apply)."""
    args = []
    first_vec = True
    for position, kind in enumerate(template):
        if kind == "s":
            args.append(0.5)
            continue
        base = _vec(position=position) if kind == "v" else _mat()
        if variant == "base":
            a = base
        elif variant == "size0":
            a = np.zeros((0,) * base.ndim)
        elif variant == "size1":
            a = np.full((1,) * base.ndim, 0.6 + 0.07 * position if kind == "v" else 2.0)
        elif variant == "0d":
            if kind == "m":
                return None
            a = np.array(0.6 + 0.07 * position)
        elif variant == "list":
            a = base.tolist()
        elif variant == "float32":
            a = base.astype(np.float32)
        elif variant == "int":
            a = (np.arange(1, 5) if kind == "v" else
                 np.array([[3, 1, 0], [1, 4, 1], [0, 1, 5]]))
        elif variant == "infnan":
            a = base.copy()
            if first_vec:
                if kind == "v":
                    a[:] = [0.5, np.inf, -np.inf, np.nan]
                else:
                    a[0, 1] = np.nan
                first_vec = False
        else:
            raise ValueError(variant)
        args.append(a)
    return tuple(args)


class _Timeout(Exception):
    pass


@contextlib.contextmanager
def _time_limit(seconds):
    def handler(signum, frame):
        raise _Timeout()
    old = signal.signal(signal.SIGALRM, handler)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def _call(f, args):
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            with _time_limit(5):
                return True, f(*args)
        except _Timeout:
            return False, TimeoutError("more than 5 s")
        except Exception as exc:   # noqa: BLE001 - every failure is a finding to compare
            return False, exc


def _leaves(x):
    # (a tuple of Python numbers, as bandwidth's (0, 0), is one result; np.float64 is a
    # float too, hence the exact types)
    if isinstance(x, (tuple, list)) and not (type(x) in (tuple, list) and x and all(
            type(v) in (int, float, complex) for v in x)):
        return [leaf for v in x for leaf in _leaves(v)]
    if isinstance(x, dict):
        return [leaf for k in sorted(x) for leaf in _leaves(x[k])]
    return [x]


def _numeric(x):
    try:
        a = np.asarray(x)
    except Exception:   # noqa: BLE001
        return None
    return a if a.dtype.kind in "biufc" else None


def _compare(ours, theirs, variant):
    """A list of differences between two successful results."""
    lo, lt = _leaves(ours), _leaves(theirs)
    if len(lo) != len(lt):
        return [f"{len(lo)} results, the twin gives {len(lt)}"]
    out = []
    for i, (o, t) in enumerate(zip(lo, lt)):
        at, ao = _numeric(t), _numeric(o)
        if at is None:
            continue
        where = f"result {i}: " if len(lo) > 1 else ""
        if ao is None:
            out.append(f"{where}not numeric ({type(o).__name__})")
            continue
        if ao.shape != at.shape:
            out.append(f"{where}shape {ao.shape}, twin {at.shape}")
            continue
        if ao.dtype != at.dtype:
            out.append(f"{where}dtype {ao.dtype}, twin {at.dtype}")
        if at.dtype.kind == "b" or ao.dtype.kind == "b":
            if not np.array_equal(ao, at):
                out.append(f"{where}values differ")
            continue
        rtol = 2e-5 if np.float32 in (ao.dtype, at.dtype) or variant == "float32" else 1e-7
        with np.errstate(all="ignore"):
            a, b = ao.astype(np.complex128), at.astype(np.complex128)
            same_nan = np.array_equal(np.isnan(a), np.isnan(b))
            close = np.allclose(a, b, rtol=rtol, atol=1e-12 if rtol < 1e-6 else 1e-6,
                                equal_nan=True)
        if not same_nan:
            out.append(f"{where}nan where the twin's is not (ours {_show(ao)}, twin "
                       f"{_show(at)})")
        elif not close:
            out.append(f"{where}values differ (ours {_show(ao)}, twin {_show(at)})")
    return out


def _show(a):
    return np.array2string(np.asarray(a).ravel()[:4], precision=5, separator=",")


def _aliases(result, args):
    arrays = [a for a in args if isinstance(a, np.ndarray) and a.size]
    for leaf in _leaves(result):
        if isinstance(leaf, np.ndarray) and leaf.size and any(
                np.shares_memory(leaf, a) for a in arrays):
            return True
    return False


def _refusal(e):
    return any(w in str(e) for w in REFUSALS)


def _exc(e):
    return f"{type(e).__name__}: {str(e).splitlines()[0][:120] if str(e) else ''}"


def _twin(namespace, name):
    try:
        obj = importlib.import_module(TWINS[namespace])
        for part in name.split("."):
            obj = getattr(obj, part)
        return obj
    except (ImportError, AttributeError):
        return None


def _ours(namespace, name):
    obj = importlib.import_module(namespace)
    for part in name.split("."):
        obj = getattr(obj, part)
    return obj


def _grad_check(f, args, kind):
    """Differences between cr.grad of sum(real f) and central differences, per argument."""
    if kind not in (registry.PRIMITIVE, registry.COMPOSITE):
        return []
    out = []
    for i, a in enumerate(args):
        if not isinstance(a, np.ndarray) or a.dtype.kind != "f":
            continue

        def scalar(v, i=i):
            full = list(args)
            full[i] = v
            res = f(*full)
            # (cnp.asarray: a poly1d's coefficients, as np.real(p) reads them)
            return sum(cr.numpy.sum(cr.numpy.real(cr.numpy.asarray(leaf))) for leaf in _leaves(res)
                       if _numeric(cr.stop_gradient(leaf)) is not None
                       and _numeric(cr.stop_gradient(leaf)).dtype.kind in "fc")

        ok, value = _call(scalar, (a,))
        if not ok or not np.isfinite(np.asarray(value, dtype=complex)).all():
            continue
        ok, g = _call(cr.grad(scalar), (a,))
        if not ok:
            out.append(("refused " if _refusal(g) else "") + f"grad arg {i}: {_exc(g)}")
            continue
        h = 1e-6
        fd = np.zeros_like(a)
        for j in np.ndindex(a.shape):
            up, down = a.copy(), a.copy()
            up[j] += h
            down[j] -= h
            okp, fp = _call(scalar, (up,))
            okm, fm = _call(scalar, (down,))
            if not (okp and okm):
                break
            fd[j] = (float(np.real(fp)) - float(np.real(fm))) / (2 * h)
        else:
            g = np.asarray(g, dtype=float)
            if np.isfinite(fd).all() and not np.allclose(g, fd, rtol=1e-4, atol=1e-6):
                out.append(f"grad arg {i}: {_show(g)}, central differences {_show(fd)}")
    return out


def sweep(namespaces=None, names=None, variants=VARIANTS, grads=True, verbose=False,
          isolate=False):
    """Yield (qualified name, variant, message) for every discrepancy found. ``isolate`` sweeps
    each name in a forked process, so that a twin ending the process (SciPy 1.17's Mathieu
    functions at q = inf did) is reported as a crash instead of ending the sweep."""
    for namespace in registry.NAMESPACES:
        if namespace not in TWINS or (namespaces and not any(namespace.endswith(n)
                                                              for n in namespaces)):
            continue
        for name, entry in sorted(registry.entries(namespace).items()):
            if names and name not in names:
                continue
            if entry.kind == registry.CONSTANT or any(w in name for w in SKIP_WORDS):
                continue
            args = (namespace, name, entry, variants, grads, verbose)
            if not (isolate and hasattr(os, "fork")):
                yield from _sweep_name(*args)
                continue
            ok, found = _in_child(lambda: list(_sweep_name(*args)))
            if not ok:   # again, each twin call in a process of its own: whose crash was it?
                ok, found = _in_child(lambda: list(_sweep_name(*args, twin_apart=True)))
            yield from (found if ok else [(f"{namespace}.{name}", "crash", f"{found}; run "
                                           f"--names {name} --verbose")])


def _in_child(thunk):
    """(True, thunk()) computed in a forked process and pickled back through a pipe, or
    (False, why) where that process ended without an answer (a segmentation fault: SciPy
    1.17's Mathieu functions at q = inf)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:   # the child: never returns into the caller's code
        faulthandler.disable()   # (a crash is expected here, and reported by the parent)
        code = 0
        try:
            with os.fdopen(write, "wb") as out:
                pickle.dump(thunk(), out)
        except BaseException:   # noqa: BLE001 - the parent reports the missing answer
            code = 1
        finally:
            os._exit(code)
    os.close(write)
    with os.fdopen(read, "rb") as inp:
        data = inp.read()
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status) or not data:
        why = (f"signal {os.WTERMSIG(status)}" if os.WIFSIGNALED(status)
               else f"exit {os.waitstatus_to_exitcode(status)}")
        return False, f"the process ended ({why})"
    return True, pickle.loads(data)


def _call_apart(f, args):
    """:func:`_call` in a process of its own; a crash is the answer TwinCrash."""
    def run():
        ok, value = _call(f, args)
        try:
            pickle.dumps(value)
        except Exception:   # noqa: BLE001 - an unpicklable answer: its numeric leaves
            value = [np.asarray(v) for v in _leaves(value)] if ok else RuntimeError(str(value))
        return ok, value
    ok, answer = _in_child(run)
    return answer if ok else (False, TwinCrash(answer))


class TwinCrash(RuntimeError):
    """The twin ended its process (no exception to compare: a bug of NumPy or SciPy)."""


def _sweep_name(namespace, name, entry, variants, grads, verbose, twin_apart=False):
    call_twin = _call_apart if twin_apart else _call
    qual = f"{namespace}.{name}"
    twin = _twin(namespace, name)
    if twin is None or not callable(twin):
        return
    ours = _ours(namespace, name)
    if ours is twin:   # NumPy's own object passed through (np.float64, np.ix_, ...)
        return
    template = None
    for t in TEMPLATES:
        ok, res = call_twin(twin, _build(t, "base"))
        if ok and all(_numeric(v) is not None for v in _leaves(res)):
            template = t
            break
    if template is None:
        if verbose:
            print(f"  (no template for {qual})", file=sys.stderr)
        return
    for variant in ("base",) + tuple(variants):
        args = _build(template, variant)
        if args is None:
            continue
        twin_args = _build(template, variant)
        ok_t, rt = call_twin(twin, twin_args)
        ok_o, ro = _call(ours, args)
        label = f"{variant}[{template}]"
        # (on plain arrays a view is NumPy's semantics: reported only where the twin
        # answers a new array; transforms' results never alias, tests/test_owned_results)
        if ok_o and _aliases(ro, args) and not (ok_t and _aliases(rt, twin_args)):
            yield qual, label, "result shares memory with an input"
        if ok_t and not ok_o and _refusal(ro):
            yield qual, label, f"refused: {_exc(ro)}"
        elif ok_t and not ok_o:
            yield qual, label, f"raises {_exc(ro)}; the twin answers {_show(_leaves(rt)[0]) if _numeric(_leaves(rt)[0]) is not None else type(rt).__name__}"
        elif not ok_t and ok_o:
            if variant != "base":
                yield qual, label, f"answers; the twin raises {_exc(rt)}"
        elif not ok_t and not ok_o:
            if (isinstance(ro, INTERNAL) and not isinstance(rt, type(ro))
                    and not isinstance(ro, np.exceptions.AxisError)):
                yield qual, label, f"raises {_exc(ro)}; the twin raises {_exc(rt)}"
        else:
            for msg in _compare(ro, rt, variant):
                yield qual, label, msg
        if variant == "size1" and grads and ok_o:
            for msg in _grad_check(ours, args, entry.kind):
                yield qual, label, msg
    if verbose:
        print(f"  swept {qual} [{template}]", file=sys.stderr)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--only", nargs="*", help="namespaces ending so (numpy.linalg, special, ...)")
    p.add_argument("--names", nargs="*", help="registered names (sin, norm.logpdf, ...)")
    p.add_argument("--variants", nargs="*", default=list(VARIANTS), choices=VARIANTS)
    p.add_argument("--no-grad", action="store_true", help="skip the gradient checks")
    p.add_argument("--refusals", action="store_true",
                   help="list chainrule's documented refusals too (derivatives not offered)")
    p.add_argument("--all", action="store_true", help="report the documented deviations too")
    p.add_argument("--verbose", action="store_true")
    a = p.parse_args(argv)
    found = collections.defaultdict(list)
    for qual, variant, msg in sweep(a.only, set(a.names) if a.names else None,
                                    tuple(a.variants), not a.no_grad, a.verbose,
                                    isolate=True):
        if (msg.startswith("refused") and not a.refusals) or (
                known(qual, variant, msg) and not a.all):
            continue
        found[qual].append((variant, msg))
        print(f"{qual} {variant}: {msg}", flush=True)
    print(f"\n{sum(len(v) for v in found.values())} discrepancies in {len(found)} names")
    return 0


if __name__ == "__main__":
    sys.exit(main())
