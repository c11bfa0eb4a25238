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


def test_zero_rounds_is_a_usage_error():
    proc = subprocess.run([sys.executable, str(RUN), "W1", "--rounds", "0"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "--rounds must be at least 1" in proc.stderr
    assert "Traceback" not in proc.stderr
