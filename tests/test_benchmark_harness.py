"""The benchmark harness times each implementation in fresh processes (the brief's method) and
reports the spread; a broken harness would silently publish wrong tables, so run it once, small."""

import json
import subprocess
import sys
from pathlib import Path

RUN = Path(__file__).resolve().parents[1] / "benchmarks" / "run.py"


def test_each_implementation_runs_in_fresh_processes_with_a_spread(tmp_path):
    out = tmp_path / "w1.json"
    proc = subprocess.run(
        [sys.executable, str(RUN), "W1", "--impl", "chainrule,numpy", "--rounds", "2",
         "--repeat", "2", "--min-time", "0.001", "--json", str(out)],
        capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "2 fresh processes" in proc.stdout and "±" in proc.stdout
    data = json.loads(out.read_text())
    assert data["settings"]["rounds"] == 2
    impls = data["workloads"]["W1"]["implementations"]
    for key in ("chainrule", "numpy"):
        assert impls[key]["check"] == "" and impls[key]["error"] == ""
        medians = impls[key]["times"]["grad"]["process_medians_s"]
        assert len(medians) == 2 and all(m > 0 for m in medians)


def test_a_failing_worker_is_reported_not_hidden():
    proc = subprocess.run(
        [sys.executable, str(RUN), "--worker", "W1", "no-such-impl", "--repeat", "1",
         "--min-time", "0.001", "--clock", "cpu"], capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0 and "no-such-impl" in proc.stderr


def test_a_worker_that_crashes_after_its_result_line_is_an_error(monkeypatch):
    # the parent reads the worker's last stdout line; a non-zero exit status (a crash at
    # interpreter exit, a kill) makes that round an error, not a silently kept timing
    import importlib.util
    monkeypatch.syspath_prepend(str(RUN.parent))
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                "NUMEXPR_NUM_THREADS", "XLA_FLAGS", "JAX_PLATFORMS"):
        monkeypatch.delenv(var, raising=False)  # run.py sets them: restored afterwards
    spec = importlib.util.spec_from_file_location("bench_run_under_test", RUN)
    run = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(run)
    line = json.dumps({"times": {"grad": {"median_s": 1e-3, "min_s": 1e-3, "loops": 1,
                                          "samples_s": [1e-3]}},
                       "check": "", "error": "", "traceback": ""})

    def crashed(cmd, **kwargs):
        return subprocess.CompletedProcess(cmd, -11, stdout=line + "\n", stderr="")

    monkeypatch.setattr(run.subprocess, "run", crashed)
    (w1,) = [w for w in run.workloads.ALL if w.name == "W1"]
    results = run.run_isolated(w1, ["numpy"], 1, 0.001, "cpu", 1)
    assert "worker failed" in results["numpy"].error and "-11" in results["numpy"].error
    assert not results["numpy"].times


def test_zero_rounds_is_a_clear_error():
    proc = subprocess.run([sys.executable, str(RUN), "W1", "--rounds", "0"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "--rounds and --repeat must be at least 1" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_the_tape_floor_benchmark_runs_and_checks_its_minimal_tape():
    # the minimal tape's gradient is compared with the hand-written one inside its worker,
    # so a wrong floor fails here instead of being published
    script = RUN.parent / "bench_tape_floor.py"
    proc = subprocess.run([sys.executable, str(script), "--rounds", "1", "--samples", "2"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for impl in ("numpy", "minimal", "chainrule"):
        assert any(line.split()[:1] == [impl] and line.endswith("x hand-written")
                   for line in proc.stdout.splitlines()), proc.stdout
    bad = subprocess.run([sys.executable, str(script), "--rounds", "0"],
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode != 0 and "--rounds" in bad.stderr
