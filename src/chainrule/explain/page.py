"""An explanation as one self-contained HTML page: graph, tables, and a step control.

Next/Prev (or the arrow keys) walk the forward sweep node by node, then the
reverse sweep update by update, as the notes narrate their Example 1: each step
highlights the node in the picture (and, in reverse, the edge the adjoint
flows back along) and the table row, and says the step in words. Opening the
page as ``page.html#step=7`` shows step 7. Everything is inline (SVG, CSS and
script); the page loads nothing from the network.

>>> import chainrule.numpy as cnp
>>> from chainrule.explain import explain
>>> e = explain(lambda x, y: (x + y) * cnp.sin(y), 1.0, cnp.pi / 2, quiet=True)
>>> [(s["kind"], s["node"]) for s in steps(e)][4:7]
[('forward', 'w3'), ('reverse', 'w1'), ('reverse', 'w2')]
"""

import hashlib
import json
from .markup import escape, quoteattr

from .picture import scene_svg
from .scene import build_scene
from .tables import dot, value_text

__all__ = ["explanation_page", "explanation_fragment", "steps"]

_CSS = """
.cr-explain{font-family:Helvetica,Arial,'DejaVu Sans',sans-serif;color:#111;max-width:100%}
.cr-explain:focus{outline:none}
.cr-explain h3{font-size:15px;margin:16px 0 6px}
.cr-bar{position:sticky;top:0;background:#fff;z-index:1;padding:6px 0;
  border-bottom:1px solid #eee;margin-bottom:8px}
.cr-controls{display:flex;gap:8px;align-items:center;margin-bottom:6px}
.cr-body{display:flex;flex-wrap:wrap;gap:8px 32px;align-items:flex-start}
.cr-controls button{font-size:14px;padding:4px 12px;cursor:pointer}
.cr-narration{min-height:1.4em;margin:0;font-size:14px}
.cr-graph{overflow:auto}
.cr-explain table{border-collapse:collapse;font-size:13px}
.cr-explain td,.cr-explain th{padding:3px 10px;border-bottom:1px solid #ddd;text-align:left;
  white-space:nowrap}
.cr-explain tr.cr-done{color:#111}
.cr-explain tr.cr-todo{color:#999}
.cr-explain tr.cr-current{background:#fff2a8;color:#000}
.cr-explain .vertex.cr-current rect{stroke:#d22;stroke-width:3}
.cr-explain .vertex.cr-source rect{stroke:#1c6dd0;stroke-width:2.5}
.cr-explain path.edge.cr-current{stroke:#d22;stroke-width:2.6}
.cr-explain pre{font-size:13px;background:#f7f7f7;padding:8px}
"""

# One script per widget, scoped to its container; `page` also listens on the document.
_JS = r"""
(function(){
  var root = document.getElementById(%(id)s);
  var steps = JSON.parse(root.querySelector("script.cr-steps").textContent);
  var k = 0;
  function each(sel, f){ Array.prototype.forEach.call(root.querySelectorAll(sel), f); }
  function show(n){
    k = Math.max(0, Math.min(steps.length, n));
    root.setAttribute("data-step", String(k));
    each(".cr-current,.cr-source,.cr-done,.cr-todo", function(el){
      el.classList.remove("cr-current", "cr-source", "cr-done", "cr-todo"); });
    each("tr[data-step]", function(tr){
      var s = Number(tr.getAttribute("data-step"));
      tr.classList.add(s === k ? "cr-current" : (s < k ? "cr-done" : "cr-todo")); });
    var s = steps[k - 1];
    root.querySelector(".cr-where").textContent = "step " + k + " of " + steps.length;
    root.querySelector(".cr-narration").textContent = s ? s.text : root.getAttribute("data-intro");
    if (!s) return;
    var row = root.querySelector("tr.cr-current");
    if (%(page)s && row && row.scrollIntoView) row.scrollIntoView({block: "nearest"});
    each(".vertex", function(g){
      var n = g.getAttribute("data-node");
      if (n === s.box) g.classList.add("cr-current");
      if (s.from_box && n === s.from_box && n !== s.box) g.classList.add("cr-source"); });
    if (s.from_box) each("path.edge", function(p){
      if (p.getAttribute("data-from") === s.box && p.getAttribute("data-to") === s.from_box)
        p.classList.add("cr-current"); });
  }
  function key(ev){
    if (ev.key === "ArrowRight" || ev.key === "n" || ev.key === " ") { show(k + 1); }
    else if (ev.key === "ArrowLeft" || ev.key === "p") { show(k - 1); }
    else if (ev.key === "Home") { show(0); }
    else if (ev.key === "End") { show(steps.length); }
    else { return; }
    ev.preventDefault();
  }
  root.querySelector(".cr-next").addEventListener("click", function(){ show(k + 1); });
  root.querySelector(".cr-prev").addEventListener("click", function(){ show(k - 1); });
  (%(page)s ? document : root).addEventListener("keydown", key);
  var m = /(?:^|[#&])step=(\d+)/.exec(%(page)s ? window.location.hash : "");
  show(m ? Number(m[1]) : 0);
})();
"""


def steps(e, owner=None):
    """The walk: one step per forward-table row, then one per adjoint update. ``box``
    and ``from_box`` name the boxes to highlight (``owner`` maps a node to its box
    in a grouped picture)."""
    owner = owner or {}
    out = []
    for r in e.forward:
        out.append({"kind": "forward", "node": r["node"], "box": owner.get(r["node"], r["node"]),
                    "text": f"Forward: {r['definition']} = {value_text(r['value'])}; "
                            f"{dot(r['node'])} = {r['rule']}"})
    if e.mode in ("reverse", "both"):
        for r in e.reverse:
            text = f"Reverse: {r['text']} (running total {value_text(r['total'])})"
            if "sum" in r:
                text += f"; all updates done: {r['sum']}"
            out.append({"kind": "reverse", "node": r["target"], "source": r["source"],
                        "box": owner.get(r["target"], r["target"]),
                        "from_box": owner.get(r["source"], r["source"]), "text": text})
    return out


def _table(header, rows):
    """rows: (cells, step number or None)."""
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = []
    for cells, step in rows:
        attr = "" if step is None else f' data-step="{step}"'
        body.append(f"<tr{attr}>" + "".join(f"<td>{escape(str(c))}</td>" for c in cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def explanation_fragment(e, page=False):
    """The widget as an HTML fragment (what Jupyter shows); ``page`` makes the arrow
    keys work anywhere on the page and reads ``#step=N``."""
    scene = build_scene(e.graph, e.tangents, e.adjoints)
    walk = steps(e, scene.owner)
    svg = scene_svg(scene)
    uid = "cr-" + hashlib.sha1((svg + json.dumps(walk)).encode()).hexdigest()[:10]
    intro = (f"{len(walk)} steps: the forward sweep node by node, then the reverse sweep "
             "update by update. Press Next (or →).")
    parts = [f'<div class="cr-explain" id="{uid}" tabindex="0" data-step="0" '
             f'data-intro={quoteattr(intro)}>', f"<style>{_CSS}</style>",
             '<div class="cr-bar"><div class="cr-controls"><button type="button" class="cr-prev">◀ Prev</button>'
             '<button type="button" class="cr-next">Next ▶</button>'
             '<span class="cr-where"></span></div>',
             f'<p class="cr-narration">{escape(intro)}</p></div>',
             f'<div class="cr-body"><div class="cr-graph">{svg}</div><div class="cr-tables">']
    n_fwd = len(e.forward)
    if e.forward:
        header, rows = e.forward_table()
        parts += [f'<h3>{escape(e.forward_title())}</h3>', '<div class="cr-forward">',
                  _table(header, [(r, i + 1) for i, r in enumerate(rows)]), "</div>"]
    if e.mode in ("reverse", "both"):
        header, rows = e.reverse_table()
        rows = [(r[:2], None if r[2] is None else n_fwd + r[2] + 1) for r in rows]
        parts += [f'<h3>{escape(e.reverse_title())}</h3>', '<div class="cr-reverse">',
                  _table(header, rows), "</div>"]
    parts.append(f"<pre>{escape(chr(10).join(e.result_lines()))}</pre></div></div>")
    # every '<' escaped (JSON reads \u003c as '<'): a name with "<!--<script>" would
    # otherwise keep the HTML parser inside this block past its own end tag
    data = json.dumps(walk).replace("<", "\\u003c")
    parts.append(f'<script type="application/json" class="cr-steps">{data}</script>')
    parts.append("<script>" + _JS % {"id": json.dumps(uid), "page": "true" if page else "false"}
                 + "</script>")
    parts.append("</div>")
    return "\n".join(parts)


def explanation_page(e, title="chainrule explain"):
    """A whole HTML document around :func:`explanation_fragment`."""
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{escape(title)}</title></head><body>\n"
            + explanation_fragment(e, page=True) + "\n</body></html>\n")
