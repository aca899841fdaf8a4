"""Score extraction in process against the answer keys of ../shared/corpus.

It reads :class:`~graph.model.Facts` the way the build step writes them
(labels, classes, country codes, event links) and hands them to the
matching functions of ``../shared/eval/score.py``, so that the figures are
the scorer's without a store.  ``python tests/corpus_score.py [-v] [DIR]``.
"""
from __future__ import annotations

import importlib.util
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def load_scorer():
    """The shared scorer as a module, or None when ../shared is absent."""
    path = SHARED / "eval" / "score.py"
    if not path.exists():
        return None
    spec = importlib.util.spec_from_file_location("hrdkg_shared_score", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def predicted(facts) -> dict:
    """The scorer's predicted facts, computed from Facts as build would store them."""
    ents = {e.id: e for e in facts.entities}
    out = defaultdict(set)
    st = facts.statement
    if st.title:
        out["statement"].add(("title", st.title))
    if st.issued:
        out["statement"].add(("issued", st.issued))
    if st.publisher:
        out["statement"].add(("publisher", ents[st.publisher].name))
    if st.country:
        out["statement"].add(("country", st.country))
    for e in facts.entities:
        if e.type == "HumanRightsDefender":
            out["defender"].add((e.name,))
            if e.country:
                out["defender_country"].add((e.name, e.country))
        elif e.type == "Person":
            out["person"].add((e.name,))
        elif e.type in ("Organisation", "StateAuthority"):
            out["organisation"].add((e.name,))
        elif e.type == "Court":
            out["court"].add((e.name,))
            if e.city:
                out["court_city"].add((e.name, e.city))
            if e.country:
                out["court_country"].add((e.name, e.country))
        elif e.type == "LegalProvision":
            leg = ents[e.legislation].name if e.legislation else ""
            out["provision"].add((e.article, e.paragraph, leg))
    groups: dict = {}
    for ev in facts.events:
        g = groups.setdefault((ev.type, ev.date or "", ev.concerns), {"court": set(), "authority": set(),
                                                                      "prov": set(), "sanction": set()})
        if ev.court:
            g["court"].add(ents[ev.court].name)
        if ev.authority:
            g["authority"].add(ents[ev.authority].name)
        for p in ev.provisions:
            g["prov"].add((ents[p].article, ents[p].paragraph))
        if ev.sanction:
            s = {"type": ev.sanction.type}
            for k in ("amount", "currency", "duration"):
                if getattr(ev.sanction, k):
                    s[k] = getattr(ev.sanction, k)
            g["sanction"].add(json.dumps(s, sort_keys=True))
    for (t, d, concerns), g in groups.items():
        for pid in concerns or (None,):
            who = (ents[pid].name,) if pid else None
            if who:
                out["event"].add((t, d, who, None))
            for c in g["court"]:
                out["event_court"].add((t, d, who, (c,)))
            for a in g["authority"]:
                out["event_authority"].add((t, d, who, (a,)))
            for p in g["prov"]:
                out["event_provision"].add((t, d, who, p))
            for s in g["sanction"]:
                out["event_sanction"].add((t, d, who, s))
    return out


def score_dir(folder: Path, *, verbose: bool = False, out=sys.stdout) -> dict:
    """Per-category and micro figures over every statement with a key in ``folder``."""
    from graph.extract import extract_path

    scorer = load_scorer()
    totals = defaultdict(lambda: [0, 0, 0])
    files = sorted(f for f in folder.iterdir()
                   if f.suffix in scorer.STATEMENT_SUFFIXES and f.with_name(f.stem + ".gold.json").exists())
    for f in files:
        key = json.loads(f.with_name(f.stem + ".gold.json").read_text(encoding="utf-8"))
        preds = predicted(extract_path(f))
        golds = scorer.gold_facts(key)
        ftp = ffp = ffn = 0
        lines = []
        for cat in scorer.CATEGORIES:
            tp, fp, fn, misses, extras = scorer.score_category(cat, preds.get(cat, ()), golds.get(cat, ()))
            for i, v in enumerate((tp, fp, fn)):
                totals[cat][i] += v
            ftp, ffp, ffn = ftp + tp, ffp + fp, ffn + fn
            lines += [f"    miss  {cat}: {m}" for m in misses] + [f"    extra {cat}: {x}" for x in extras]
        p, r, f1 = scorer.prf(ftp, ffp, ffn)
        print(f"{f1:6.3f} F1  P {p:.3f} R {r:.3f}  {f.name}", file=out)
        if verbose:
            print("\n".join(lines), file=out)
    report = {}
    all_tp = all_fp = all_fn = 0
    print(f"\n{'category':18} {'tp':>5} {'fp':>5} {'fn':>5} {'P':>6} {'R':>6} {'F1':>6}", file=out)
    for cat in scorer.CATEGORIES:
        tp, fp, fn = totals[cat]
        all_tp, all_fp, all_fn = all_tp + tp, all_fp + fp, all_fn + fn
        report[cat] = scorer.prf(tp, fp, fn)
        print(f"{cat:18} {tp:5} {fp:5} {fn:5} {report[cat][0]:6.3f} {report[cat][1]:6.3f} {report[cat][2]:6.3f}", file=out)
    report["micro"] = scorer.prf(all_tp, all_fp, all_fn)
    print(f"{'micro':18} {all_tp:5} {all_fp:5} {all_fn:5} " + " ".join(f"{v:6.3f}" for v in report["micro"]), file=out)
    return report


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    args = [a for a in sys.argv[1:] if a != "-v"]
    score_dir(Path(args[0]) if args else SHARED / "corpus" / "dev", verbose="-v" in sys.argv)
