"""Printing: one table per workload, the goal lines, the problems found;
and `python benchmarks/report.py results.json` turns a saved run into Markdown.

``results`` for a workload is ``{impl: Result}`` (see run.py): per case a
:class:`timing.Timing`, the check message ("" = agrees with the hand-written
reference) and an error message if the implementation crashed.
"""

from backends import IMPLS, INFORMATIONAL
from timing import fmt_num, fmt_time


def _ratio(a, b):
    return f"{fmt_num(a / b)}x" if a is not None and b else "-"


def seconds(results):
    """{impl: {case: median seconds}} for the implementations that were timed."""
    return {k: {c: t.median for c, t in r.times.items()} for k, r in results.items()
            if r.times}


def _time_cell(t):
    """The median, and ± half the range of the per-process medians when there are several."""
    if t is None:
        return "-"
    return fmt_time(t.median) + (f" ±{t.spread * 100:.0f}%" if t.spread is not None else "")


def table(workload, results):
    """The workload's table as a string (rows in IMPLS order)."""
    w, secs = workload, seconds(results)
    multi = len(w.cases) > 1
    head = ["implementation"] + [f"{c}" if multi else "time/call" for c in w.cases]
    if w.per_unit:
        head.append(w.per_unit[0])
    head += [h for h, _ in w.extras]
    for c in w.ratio_cases:  # short headers when there are several cases
        head += [f"{c} ×np", f"{c} ×cr"] if multi else ["×numpy", "×chainrule"]
    head.append("check")

    rows = []
    for key, label in IMPLS.items():
        if key not in results:
            continue
        r, t = results[key], secs.get(key, {})
        if r.error and not t:
            rows.append([label, f"ERROR: {r.error}"[:90]])
            continue
        row = [label] + [_time_cell(r.times.get(c)) for c in w.cases]
        if w.per_unit:
            row.append(fmt_time(t[w.cases[0]] / w.per_unit[1]) if t else "-")
        for _, fn in w.extras:
            try:
                row.append(f"{fmt_num(fn(t))}x")
            except (KeyError, ZeroDivisionError):
                row.append("-")
        for c in w.ratio_cases:
            row += [_ratio(t.get(c), secs.get("numpy", {}).get(c)),
                    _ratio(t.get(c), secs.get("chainrule", {}).get(c))]
        row.append("reference" if key == "numpy" else
                   "WRONG" if r.check else ("error" if r.error else "ok"))
        if key in INFORMATIONAL:
            row[0] += " *"
        rows.append(row)

    full = [head] + [r for r in rows if len(r) == len(head)]
    widths = [max(len(r[i]) for r in full) for i in range(len(head))]
    lines = []
    for row in [head] + rows:
        if len(row) < len(head):  # an error row spans the table
            lines.append(f"  {row[0]:<{widths[0]}}  {row[1]}")
            continue
        cells = [row[0].ljust(widths[0])] + [c.rjust(wd) for c, wd in zip(row[1:], widths[1:])]
        lines.append("  " + "  ".join(cells))
    lines.insert(1, "  " + "-" * (len(lines[0]) - 2))
    return "\n".join(lines)


def evaluate_goals(workload, results):
    """[(goal, value or None, met or None)] for the workload's goals."""
    secs = seconds(results)
    if results.get("chainrule") and results["chainrule"].check:
        secs.pop("chainrule", None)  # a wrong answer meets no goal
    return [(g, *g.evaluate(secs)) for g in workload.goals]


def goal_lines(workload, results):
    lines = []
    for goal, value, met in evaluate_goals(workload, results):
        if value is None:
            lines.append(f"  goal: {goal.text}: not measured (chainrule unavailable or wrong)")
        else:
            unit = "x" if goal.unit == "x" else f" {goal.unit}"
            verdict = "MET" if met else "NOT MET"
            lines.append(f"  goal: {goal.text}: measured {fmt_num(value)}{unit} -> {verdict}")
    return lines


def problem_lines(workload, results):
    """Loud lines for every wrong result or crash in this workload."""
    out = []
    for key, r in results.items():
        if r.check:
            out.append(f"!!! MISMATCH {workload.name} {key}: {r.check}")
        if r.error:
            out.append(f"!!! ERROR {workload.name} {key}: {r.error}")
            out += [f"    {line}" for line in r.traceback.rstrip().splitlines()]
    return out


# ------------------------------------------------------------------ markdown

def markdown(data):
    """A Markdown summary of a results JSON (as written by ``run.py --json``):
    one row per workload and case, "median (×numpy)" per implementation, then
    the goals with the measured value."""
    keys = [k for k in IMPLS if k in data["versions"]]
    lines = ["| workload | case | " + " | ".join(IMPLS[k] for k in keys) + " |",
             "|---" * (len(keys) + 2) + "|"]
    goals = []
    for name, w in data["workloads"].items():
        impls = w["implementations"]
        cases = next((list(r["times"]) for r in impls.values() if r["times"]), [])
        for case in cases:
            ref = impls.get("numpy", {}).get("times", {}).get(case, {}).get("median_s")
            cells = []
            for k in keys:
                r = impls.get(k, {})
                t = r.get("times", {}).get(case, {}).get("median_s")
                if t is None:
                    cells.append("error" if r.get("error") else "-")
                    continue
                cell = f"{fmt_time(t)} ({_ratio(t, ref)})" if ref and k != "numpy" else fmt_time(t)
                cells.append(cell + (" WRONG" if r.get("check") else ""))
            lines.append(f"| {name} | {case} | " + " | ".join(cells) + " |")
        for g in w["goals"]:
            value = "not measured" if g["value"] is None else (
                f"{fmt_num(g['value'])}{'x' if g['unit'] == 'x' else ' ' + g['unit']}"
                f" — {'met' if g['met'] else 'NOT met'}")
            goals.append(f"| {name} | {g['goal']} | {value} |")
    return "\n".join(lines + ["", "| workload | goal | measured |", "|---|---|---|"] + goals)


if __name__ == "__main__":
    import json
    import sys

    with open(sys.argv[1]) as fh:
        print(markdown(json.load(fh)))
