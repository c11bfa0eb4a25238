"""Review sweep (sweep_pad_values): hostile calls printed as OK/BAD/ERR lines against NumPy/SciPy; run
with `PYTHONPATH=src python tools/review_mine/sweep_pad_values.py` (slow; not part of the test suite)."""
import warnings, itertools
import numpy as np
import chainrule as cr, chainrule.numpy as cnp
bad = 0
def check(name, x, pw, mode, **kw):
    global bad
    try:
        ref = np.pad(x, pw, mode=mode, **kw)
    except Exception as e:
        ref = e
    try:
        if x.dtype.kind in "fc":
            got = cr.jvp(lambda x: cnp.pad(x, pw, mode=mode, **kw), (x,), (np.ones_like(x),))[0]
        else:
            got = cnp.pad(x, pw, mode=mode, **kw)
    except Exception as e:
        got = e
    if isinstance(ref, Exception) or isinstance(got, Exception):
        if not (isinstance(ref, Exception) and isinstance(got, Exception) and type(ref) == type(got)):
            bad += 1; print("EXC", name, mode, pw, kw, x.shape, x.dtype, "ref:", repr(ref)[:60].replace("\n", " "), "got:", repr(got)[:100].replace("\n"," "))
        return
    got = np.asarray(got)
    same = got.dtype == ref.dtype and got.shape == ref.shape and np.array_equal(got, ref, equal_nan=ref.dtype.kind in 'fc')
    if same and ref.dtype.kind == 'f': same = np.array_equal(np.signbit(got), np.signbit(ref))
    if not same:
        bad += 1; print("DIFF", name, mode, pw, kw, x.shape, x.dtype, got.dtype, ref.dtype, got.shape, ref.shape, np.max(np.abs(got.astype(complex) - ref.astype(complex))) if got.shape == ref.shape else "")
rng = np.random.default_rng(0)
arrays = {"0d": np.array(2.5), "1d": rng.normal(size=5), "1d1": np.array([1.5]), "2d": rng.normal(size=(3, 4)), "3d": rng.normal(size=(2, 3, 2)),
          "empty": np.zeros((0, 3)), "f32": rng.normal(size=5).astype(np.float32), "c": rng.normal(size=4) + 1j * rng.normal(size=4),
          "int": np.arange(5), "f16": rng.normal(size=4).astype(np.float16), "inf": np.array([1.0, np.inf, -2.0, np.nan])}
modes = {"edge": [{}], "reflect": [{}, {"reflect_type": "odd"}, {"reflect_type": "even"}], "symmetric": [{}, {"reflect_type": "odd"}], "wrap": [{}],
         "linear_ramp": [{}, {"end_values": 3}, {"end_values": (1, -2)}, {"end_values": ((1, 2),)}, {"end_values": 2.5}, {"end_values": ((1, 2), (3, 4), (5, 6))}],
         "maximum": [{}, {"stat_length": 2}, {"stat_length": (1, 3)}, {"stat_length": ((1, 2),)}, {"stat_length": 100}, {"stat_length": 0}],
         "minimum": [{}, {"stat_length": 2}], "mean": [{}, {"stat_length": 2}, {"stat_length": ((2, 1), (1, 2), (1, 1))}], "median": [{}, {"stat_length": 3}, {"stat_length": 2}],
         "constant": [{}, {"constant_values": 7}, {"constant_values": ((1, 2),)}], "empty": [{}]}
widths = [0, 1, 2, 3, (1, 2), (0, 7), ((1, 2),), 9, (13, 4)]
for (an, x), (mode, kws), pw in itertools.product(arrays.items(), modes.items(), widths):
    for kw in kws:
        if mode == "empty":
            continue
        pw_ = pw
        if np.ndim(pw) == 2 and x.ndim != 1: pw_ = ((1, 2),) * max(x.ndim, 1)
        check(an, x, pw_, mode, **kw)
print("bad", bad)
