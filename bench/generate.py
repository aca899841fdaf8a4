#!/usr/bin/env python3
"""A deterministic generator of synthetic statements shaped like real ones.

    python bench/generate.py -n 5000 --facts DIR      # NAME.facts.json files (hrdkg ingest DIR)
    python bench/generate.py -n 5000 --nquads FILE    # statement graphs + merged default graph
    python bench/generate.py -n 5000 --dump FILE      # statement graphs only (`hrdkg restore FILE`)
    python bench/generate.py -n 5000 --store DIR      # a ready store (bulk load of the N-Quads)

Each statement has a publisher, a main country, 1-3 defenders (some with
organisations), a court, authorities, provisions of the country's laws and
2-6 events (arrests, charges, hearings, convictions with prison terms or
fines, releases...), each with evidence spans into a generated text, so it
goes through the same facts → RDF code as real statements.  Entities are
drawn from per-country pools with Zipf-like weights (a few defenders,
courts and articles recur very often, most rarely), so the merged graph
shares entities the way real data does.  Same ``-n`` and ``--seed``, same
output, byte for byte.  About 210 merged triples per statement: 5,000
statements give ≈ 1 million triples.
"""
from __future__ import annotations

import argparse
import bisect
import itertools
import random
import sys
import tempfile
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COUNTRIES = ["KZ", "KG", "UZ", "TJ", "AZ", "BY", "RU", "TR", "EG", "IR", "VN", "NI"]
FIRST = ["Aigerim", "Yerlan", "Dana", "Marat", "Gulnara", "Timur", "Aliya", "Bakyt", "Saule", "Nurlan",
         "Leyla", "Emin", "Olga", "Ihar", "Mahmoud", "Nasrin", "Huong", "Felix", "Zarina", "Rustam"]
LAST = ["Bekova", "Sultanov", "Aitova", "Zhylanbaiev", "Toregozhina", "Ismailova", "Abbasov", "Bialiatski",
        "Sotoudeh", "Nguyen", "Maldonado", "Karimov", "Nurmatov", "Osmonova", "Hasanli", "Petrova",
        "Ahmed", "Yilmaz", "Mammadli", "Kuznetsova", "Sadykov", "Tursunova", "Askarov", "Rakhimov"]
LAWS = ["Criminal Code", "Code of Administrative Offenses", "Law on Mass Media"]
COURT_KINDS = ["District Court", "City Court", "Appeal Court", "Specialized Interdistrict Court"]
CITIES = ["Capital", "North City", "South City", "East City", "West City", "Port City"]
NGOS = ["Front Line Defenders", "Human Rights Watch", "Amnesty International", "FIDH", "OMCT",
        "CIVICUS", "Article 19", "Freedom Now"]
EVENTS = [("Arrest", 6), ("Detention", 5), ("Charge", 6), ("Summons", 3), ("Hearing", 4), ("Conviction", 5),
          ("Acquittal", 1), ("Appeal", 2), ("Release", 3), ("Raid", 2), ("TravelBan", 1), ("Assault", 1),
          ("Threat", 2), ("SmearCampaign", 1)]
COURT_EVENTS = {"Hearing", "Conviction", "Acquittal", "Appeal"}
ROLES = ["lawyer", "journalist", "activist", "blogger", "trade unionist", None]


class Zipf:
    """Draws indexes 0..n-1 with probability ∝ 1/(k+1)^s."""

    def __init__(self, n: int, s: float = 1.1) -> None:
        self.n = n
        self.cum = list(itertools.accumulate(1 / (k + 1) ** s for k in range(n)))

    def draw(self, rnd: random.Random) -> int:
        return min(bisect.bisect(self.cum, rnd.random() * self.cum[-1]), self.n - 1)


class Text:
    """Builds a statement text and the evidence spans pointing into it."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0

    def add(self, sentence: str) -> int:
        start = self.length
        self.parts.append(sentence + " ")
        self.length += len(sentence) + 1
        return start

    def span(self, sentence_start: int, sentence: str, quote: str) -> dict[str, Any]:
        start = sentence_start + sentence.index(quote)
        return {"start": start, "end": start + len(quote), "quote": quote}

    def value(self) -> str:
        return "".join(self.parts)


def person_name(k: int) -> str:
    first, last = FIRST[k % len(FIRST)], LAST[(k // len(FIRST)) % len(LAST)]
    rest = k // (len(FIRST) * len(LAST))
    return f"{first} {last}" + (f" {rest + 1}" if rest else "")


class Generator:
    """Statement facts, one after the other, from a seeded random source."""

    def __init__(self, n: int, *, seed: int = 42, restricted_share: float = 0.0) -> None:
        self.n = n
        self.seed = seed
        self.restricted_share = restricted_share
        pool = max(20, n // 6)  # defenders per country: entities recur, as in real data
        self.countries = Zipf(len(COUNTRIES), 1.0)
        self.defenders = Zipf(pool)
        self.courts = Zipf(24)
        self.articles = Zipf(80, 1.2)
        self.orgs = Zipf(30)
        self.ngos = Zipf(len(NGOS))
        self.event_types = list(itertools.accumulate(w for _, w in EVENTS))

    def statements(self, start: int = 0) -> Iterator[dict[str, Any]]:
        """Statements ``start`` .. ``n - 1`` (statement ``i`` is the same whatever ``start``)."""
        for i in range(start, self.n):
            yield self.statement(i)

    def statement(self, i: int) -> dict[str, Any]:
        rnd = random.Random(f"{self.seed}-{i}")  # each statement on its own: stable if n changes
        cc = COUNTRIES[self.countries.draw(rnd)]
        issued = date(2015, 1, 1) + timedelta(days=rnd.randrange(3900))
        text = Text()
        ngo = NGOS[self.ngos.draw(rnd)]
        title = f"{cc}: human rights defenders face reprisals (synthetic statement {i})"
        text.add(title + ".")
        entities: list[dict[str, Any]] = []

        def entity(eid: str, etype: str, name: str, **extra: Any) -> str:
            sentence = f"The statement mentions {name}."
            at = text.add(sentence)
            entities.append({"id": eid, "type": etype, "name": name,
                             "evidence": [text.span(at, sentence, name)], **extra})
            return eid

        entity("ngo", "Organisation", ngo)
        people = []
        for k in range(rnd.choice([1, 1, 1, 2, 2, 3])):
            idx = self.defenders.draw(rnd)
            pid = f"d{k}"
            if pid in people or any(e.get("name") == person_name(idx) for e in entities):
                continue
            extra: dict[str, Any] = {"country": cc}
            role = ROLES[idx % len(ROLES)]
            if role:
                extra["role"] = role
            if idx % 3 == 0:
                org = entity(f"org{k}", "Organisation", f"{cc} Rights Group {self.orgs.draw(rnd) + 1}", country=cc)
                extra["member_of"] = [org]
            entity(pid, "HumanRightsDefender", person_name(idx), **extra)
            people.append(pid)
        court_k = self.courts.draw(rnd)
        city = CITIES[court_k % len(CITIES)]
        entity("court", "Court", f"{city} {COURT_KINDS[court_k % len(COURT_KINDS)]} No. {court_k + 1}",
               country=cc, city=city)
        entity("police", "StateAuthority", f"{city} Police Department", country=cc)
        laws = {}
        provisions = []
        for k in range(rnd.choice([1, 1, 2])):
            law_k = rnd.randrange(len(LAWS))
            if law_k not in laws:
                laws[law_k] = entity(f"law{law_k}", "Legislation", LAWS[law_k], country=cc)
            article = str(100 + self.articles.draw(rnd) * 7)
            pid = f"art{k}"
            if any(e.get("article") == article and e.get("legislation") == laws[law_k] for e in entities):
                continue
            entity(pid, "LegalProvision", f"Article {article} of the {LAWS[law_k]}", article=article,
                   legislation=laws[law_k])
            provisions.append(pid)
        events = [self.event(rnd, k, people, provisions, issued, text) for k in range(rnd.randint(2, 6))]
        statement: dict[str, Any] = {"id": f"synthetic-{i:06d}", "title": title, "issued": issued.isoformat(),
                                     "publisher": "ngo", "country": cc, "source": f"synthetic-{i:06d}.md"}
        if rnd.random() < self.restricted_share:
            statement["restricted"] = True
        return {"hrdkg_facts": 1, "statement": statement, "entities": entities, "events": events,
                "text": text.value()}

    def event(self, rnd: random.Random, k: int, people: list[str], provisions: list[str], issued: date,
              text: Text) -> dict[str, Any]:
        etype = EVENTS[bisect.bisect(self.event_types, rnd.random() * self.event_types[-1])][0]
        when = issued - timedelta(days=rnd.randrange(1, 400))
        sentence = f"On {when.isoformat()} a {etype.lower()} was reported."
        at = text.add(sentence)
        ev: dict[str, Any] = {"id": f"ev{k}", "type": etype, "date": when.isoformat(),
                              "concerns": sorted(rnd.sample(people, rnd.randint(1, len(people)))),
                              "evidence": [text.span(at, sentence, sentence)]}
        if etype in COURT_EVENTS:
            ev["court"] = "court"
        elif etype in ("Arrest", "Summons", "Raid"):
            ev["authority"] = "police"
        if etype in ("Charge", "Conviction", "Hearing") and provisions:
            ev["provisions"] = provisions
        if etype == "Conviction":
            if rnd.random() < 0.6:
                ev["sanction"] = {"type": "Imprisonment", "duration": f"P{rnd.randint(1, 10)}Y"}
            else:
                ev["sanction"] = {"type": "Fine", "amount": str(rnd.randint(10, 500) * 1000), "currency": "KZT"}
        if etype == "TravelBan":
            ev["duration"] = f"P{rnd.randint(1, 24)}M"
        return ev


def write_facts(gen: Generator, folder: Path, *, start: int = 0) -> int:
    """One NAME.facts.json per statement ``start`` .. ``n - 1`` in ``folder``."""
    import json

    folder.mkdir(parents=True, exist_ok=True)
    for data in gen.statements(start):
        path = folder / f"{data['statement']['id']}.facts.json"
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return gen.n - start


def write_nquads(gen: Generator, out: Path, *, merged: bool = True) -> int:
    """Statement graphs as N-Quads, each public triple repeated in the default graph
    (the store de-duplicates it into the merged graph) unless ``merged`` is False,
    which writes a dump as ``hrdkg dump`` does (``hrdkg restore`` rebuilds the
    merged graph).  Returns the number of lines."""
    from graph.build import build_graph
    from graph.model import Facts
    from graph.store import nt_term

    lines = 0
    with open(out, "w", encoding="utf-8", newline="\n") as fh:
        for data in gen.statements():
            graph = build_graph(Facts.from_dict(data))
            name = f"<{graph.identifier}>"
            public = merged and not data["statement"].get("restricted")
            for s, p, o in graph:
                triple = f"{nt_term(s)} {nt_term(p)} {nt_term(o)}"
                fh.write(f"{triple} {name} .\n")
                lines += 1
                if public:
                    fh.write(f"{triple} .\n")
                    lines += 1
    return lines


def load_store(gen: Generator, path: Path) -> int:
    """Bulk-load the generated statements into a new store at ``path``.  Returns its quads."""
    import pyoxigraph as ox

    with tempfile.TemporaryDirectory(prefix="hrdkg-gen-") as tmp:
        nq = Path(tmp) / "data.nq"
        write_nquads(gen, nq)
        store = ox.Store(str(path))
        store.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
        store.flush()
        store.optimize()
        return len(store)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", type=int, default=1000, help="number of statements")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--restricted-share", type=float, default=0.0, help="share of restricted statements")
    out = ap.add_mutually_exclusive_group(required=True)
    out.add_argument("--facts", type=Path, help="folder of facts files to write")
    out.add_argument("--nquads", type=Path, help="N-Quads file to write")
    out.add_argument("--dump", type=Path, help="N-Quads dump (statement graphs only) to write")
    out.add_argument("--store", type=Path, help="new store directory to fill")
    args = ap.parse_args()
    gen = Generator(args.n, seed=args.seed, restricted_share=args.restricted_share)
    if args.facts:
        print(f"{write_facts(gen, args.facts)} facts files in {args.facts}")
    elif args.nquads:
        print(f"{write_nquads(gen, args.nquads)} N-Quads lines in {args.nquads}")
    elif args.dump:
        print(f"{write_nquads(gen, args.dump, merged=False)} N-Quads lines in {args.dump}")
    else:
        print(f"{load_store(gen, args.store)} quads in the store {args.store}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
