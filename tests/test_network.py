"""Rankings, projections, centrality, communities and chains on the hand-made dataset.

Worked out by hand from tests/fixtures/analytics (public statements only):

events  kz-one  ev1 Arrest     2024-01-10 {A,B}   no court                    (statement KZ)
                ev2 Charge     2024-01-12 {A,B}   174
                ev3 Conviction 2024-02-20 {A}     C1 Almaty District  174  prison P5Y
                ev4 Conviction 2024-02-20 {C}     C1                  274  prison P2Y6M
        kz-two  ev1 Conviction 2025-04-01 {B,G}   C2 Astana City  174, 488  prison P1Y
                ev2 Hearing    2025-03-15 {C}     C2                  274
        kg-three ev1 Conviction 2024-10-01 {D,E,H} C3 Bishkek      330 (KG)  fine
                ev2 Detention  2024-09-01 {D}
A Asel Alpha, B Bolat Beta, C Chingiz Gamma, D Dinara Delta, E Emil Epsilon, H Hamid Theta
(defenders), G Galym Eta (a person, not a defender).  A and B belong to Watch One
(A per kz-one and kz-two, B per kz-one).

Restricted kz-secret would add: Farida Zeta, an arrest of A (174, 999), a 10-year
conviction at C1 (274).  None of it may count.
"""
from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import networkx as nx
import pytest

from graph.analytics import (AnalysisError, court_ranking, defender_ranking, duration_parts, duration_text,
                             load_corpus, provision_ranking)
from graph.network import centrality, chain, communities, projection, write_graph

from analytics_fixture import ID, SECRET_MARKERS, analytics_store, person, statement

A, B, C = person("kz", "asel-alpha"), person("kz", "bolat-beta"), person("kz", "chingiz-gamma")
D, E, H = person("kg", "dinara-delta"), person("kg", "emil-epsilon"), person("kg", "hamid-theta")
G = person("kz", "galym-eta")
C1, C2, C3 = (f"{ID}court/kz/almaty-district-court", f"{ID}court/kz/astana-city-court",
              f"{ID}court/kg/bishkek-district-court")
P174, P274 = f"{ID}provision/kz/criminal-code/174", f"{ID}provision/kz/criminal-code/274"
P488, P330 = f"{ID}provision/kz/code-of-administrative-offenses/488", f"{ID}provision/kg/criminal-code/330"
W1 = f"{ID}organisation/watch-one"
S1, S2, S3 = statement("kz-one"), statement("kz-two"), statement("kg-three")


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(analytics_store())


def pick(rows, *keys):
    return [tuple(r[k] for k in keys) for r in rows]


def test_provisions_per_country_and_year(corpus):
    # (KG,2024): 330 in ev1 → 1 event, persons D,E,H.
    # (KZ,2024): 174 in ev2, ev3 → 2 events (A,B); 274 in ev4 → 1 (C).
    # (KZ,2025): 174, 488 in kz-two ev1 (B,G) and 274 in ev2 (C): one event each, all rank 1,
    #            ordered by persons then label.
    rows = provision_ranking(corpus, by="country-year")
    assert pick(rows, "country", "year", "provision", "events", "persons", "rank") == [
        ("KG", "2024", P330, 1, 3, 1),
        ("KZ", "2024", P174, 2, 2, 1), ("KZ", "2024", P274, 1, 1, 2),
        ("KZ", "2025", P174, 1, 2, 1), ("KZ", "2025", P488, 1, 2, 1), ("KZ", "2025", P274, 1, 1, 1),
    ]


def test_provisions_overall(corpus):
    # 174: 3 events (A,B,G); 274: 2 (C); 330: 1 (D,E,H → 3 persons); 488: 1 (B,G).  The secret
    # statement would make 174 → 4 and 274 → 3 and add 999.
    rows = provision_ranking(corpus, by="none")
    assert pick(rows, "provision", "events", "persons", "rank") == [
        (P174, 3, 3, 1), (P274, 2, 1, 2), (P330, 1, 3, 3), (P488, 1, 2, 3)]


def test_provisions_per_year(corpus):
    # 2024: 174 (ev2, ev3) 2; 274 1; 330 1.  2025: 174, 274, 488 one each.
    rows = provision_ranking(corpus, by="year")
    assert pick(rows, "year", "provision", "events") == [
        ("2024", P174, 2), ("2024", P330, 1), ("2024", P274, 1),
        ("2025", P174, 1), ("2025", P488, 1), ("2025", P274, 1)]


def test_courts_by_convictions(corpus):
    # convictions = conviction event × person: C3 3 (D,E,H), C1 2 (A; C), C2 2 (B,G); C1 and C2 tie.
    rows = court_ranking(corpus, by="convictions")
    assert pick(rows, "court", "convictions", "events", "rank") == [(C3, 3, 1, 1), (C1, 2, 2, 2), (C2, 2, 2, 2)]


def test_courts_by_prison_time(corpus):
    # C1: P5Y (A) + P2Y6M (C) = 90 months = P7Y6M = 7.5 years (the secret P10Y would make P17Y6M)
    # C2: P1Y × 2 people (B, G) = P2Y;  C3: a fine only, P0D
    rows = court_ranking(corpus, by="prison")
    assert pick(rows, "court", "prison_time", "prison_months", "prison_years", "sentences", "rank") == [
        (C1, "P7Y6M", 90, 7.5, 2, 1), (C2, "P2Y", 24, 2.0, 2, 2), (C3, "P0D", 0, 0.0, 0, 3)]


def test_defenders_by_events(corpus):
    # A: kz-one ev1, ev2, ev3 = 3; B: ev1, ev2, kz-two ev1 = 3; C: ev4, kz-two ev2 = 2;
    # D: kg ev1, ev2 = 2; E, H: 1.  G is not a defender.  (The secret arrest would make A 4.)
    rows = defender_ranking(corpus)
    assert pick(rows, "defender", "events", "statements", "rank") == [
        (A, 3, 1, 1), (B, 3, 2, 1), (C, 2, 2, 3), (D, 2, 1, 3), (E, 1, 1, 5), (H, 1, 1, 5)]
    assert (rows[0]["first"], rows[0]["last"]) == ("2024-01-10", "2024-02-20")
    assert (rows[1]["first"], rows[1]["last"]) == ("2024-01-10", "2025-04-01")


def test_codefendant_projection(corpus):
    # occasions: kz-one ev1 {A,B}, ev2 {A,B}; C1 on 2024-02-20 {A (ev3), C (ev4)};
    # C2 on 2025-04-01 {B,G}; C3 on 2024-10-01 {D,E,H}; C2 on 2025-03-15 {C}; kg ev2 {D}
    g = projection(corpus, "codefendants")
    assert sorted(g.nodes) == sorted([A, B, C, D, E, G, H])
    weights = {tuple(sorted(e)): g.edges[e]["weight"] for e in g.edges}
    assert weights == {tuple(sorted(p)): w for p, w in [
        ((A, B), 2), ((A, C), 1), ((B, G), 1), ((D, E), 1), ((D, H), 1), ((E, H), 1)]}
    assert g.edges[A, C]["statements"] == [S1]
    assert g.edges[B, G]["statements"] == [S2]


def test_other_projections(corpus):
    dp = projection(corpus, "defender-provision")
    assert sorted(dp.neighbors(B)) == sorted([P174, P488])  # ev2 and kz-two ev1
    assert dp.edges[B, P174]["weight"] == 2 and dp.edges[B, P174]["statements"] == [S1, S2]
    dc = projection(corpus, "defender-court")
    assert sorted(dc.neighbors(C)) == sorted([C1, C2])
    assert sorted(dc.neighbors(C3)) == sorted([D, E, H])
    members = projection(corpus, "membership")
    assert sorted(members.edges) == sorted([tuple(sorted((A, W1))), tuple(sorted((B, W1)))])
    assert members.edges[A, W1]["statements"] == [S1, S2]  # both statements say it
    assert members.edges[B, W1]["statements"] == [S1]


def test_centrality(corpus):
    # 7 nodes: degree centrality = degree / 6.  Path G–B–A–C: B is between G and A, G and C;
    # A between B and C, G and C: 2 pairs each / 15 pairs = 0.1333.  The triangle D,E,H: 0.
    rows = centrality(corpus)
    assert pick(rows, "person", "codefendants", "occasions", "degree", "betweenness") == [
        (A, 2, 3, 0.3333, 0.1333), (B, 2, 3, 0.3333, 0.1333),
        (D, 2, 2, 0.3333, 0.0), (E, 2, 2, 0.3333, 0.0), (H, 2, 2, 0.3333, 0.0),
        (C, 1, 1, 0.1667, 0.0), (G, 1, 1, 0.1667, 0.0)]


@pytest.mark.parametrize("method", ["greedy", "louvain"])
def test_communities(corpus, method):
    # m = 7 (A–B counts 2).  {A,B,C,G} + {D,E,H}: Q = (4/7 − (8/14)²) + (3/7 − (6/14)²) = 0.49,
    # better than splitting the path ({A,B},{C},{G}: 0.34; {A,C},{B,G}: 0.37).
    rows = communities(corpus, method=method)
    assert [(r["size"], sorted(r["iris"])) for r in rows] == [(4, sorted([A, B, C, G])), (3, sorted([D, E, H]))]
    assert rows[0]["members"] == ["Asel Alpha", "Bolat Beta", "Chingiz Gamma", "Galym Eta"]


def test_chain_through_an_organisation_and_two_statements(corpus):
    # Watch One ← B (memberOf, kz-one); B ← kz-two ev1 (concerns); kz-two ev1 → G (concerns):
    # the only chain of 3 links (G's only neighbour is kz-two ev1, which A does not touch).
    steps = chain(corpus, "Watch One", "Galym Eta")
    ev = f"{S2}/event/1"
    assert [(s.subject, s.predicate, s.object, s.statements) for s in steps] == [
        (B, "memberOf", W1, (S1,)), (ev, "concerns", B, (S2,)), (ev, "concerns", G, (S2,))]


def test_chain_single_link_keeps_every_supporting_statement(corpus):
    steps = chain(corpus, A, "watch one")  # an IRI and a case-insensitive label
    assert [(s.subject, s.predicate, s.object, s.statements) for s in steps] == [(A, "memberOf", W1, (S1, S2))]


def test_chain_between_unconnected_entities_is_empty(corpus):
    assert chain(corpus, "Asel Alpha", "Dinara Delta") == []


def test_chain_to_a_restricted_only_entity_is_unknown(corpus):
    with pytest.raises(AnalysisError, match="no entity"):
        chain(corpus, "Asel Alpha", "Farida Zeta")
    with pytest.raises(AnalysisError):
        chain(corpus, "Asel Alpha", "Secret Circle")


def test_ambiguous_label_asks_for_an_iri(corpus):
    with pytest.raises(AnalysisError, match="give one IRI"):
        chain(corpus, "Criminal Code", "Asel Alpha")  # the KZ and the KG code


def test_restricted_statement_leaves_no_trace(corpus):
    everything = repr([provision_ranking(corpus, by=b) for b in ("none", "country-year")]) + repr(
        court_ranking(corpus)) + repr(defender_ranking(corpus)) + repr(centrality(corpus)) + repr(communities(corpus))
    for kind in ("codefendants", "defender-provision", "defender-court", "membership", "evidence"):
        buf = io.BytesIO()
        write_graph(projection(corpus, kind), buf, fmt="graphml")
        everything += buf.getvalue().decode()
    for marker in SECRET_MARKERS:
        assert marker not in everything, marker


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_gephi_files_round_trip(corpus, fmt):
    buf = io.BytesIO()
    write_graph(projection(corpus, "codefendants"), buf, fmt=fmt)
    ET.fromstring(buf.getvalue())  # well-formed XML
    buf.seek(0)
    back = nx.read_graphml(buf) if fmt == "graphml" else nx.read_gexf(buf)
    assert back.number_of_nodes() == 7 and back.number_of_edges() == 6
    if fmt == "graphml":
        assert back.nodes[A]["label"] == "Asel Alpha"
        assert back.edges[A, B]["weight"] == 2


def test_durations():
    assert duration_parts("P1Y6M") == (18, 0)
    assert duration_parts("P2W3D") == (0, 17)
    assert duration_parts("nonsense") == (0, 0)
    assert duration_text(90, 0) == "P7Y6M" and duration_text(0, 0) == "P0D" and duration_text(1, 5) == "P1M5D"


def test_unknown_options_are_clean_errors(corpus):
    with pytest.raises(AnalysisError):
        provision_ranking(corpus, by="decade")
    with pytest.raises(AnalysisError):
        projection(corpus, "friendship")
    with pytest.raises(AnalysisError):
        communities(corpus, method="magic")


def test_cli_analyze(hrdkg, store_path):
    from graph.store import open_store

    store = open_store(store_path)
    from analytics_fixture import fill

    fill(store)
    store.close()
    out = hrdkg("analyze", "rankings", "courts", "--by", "prison", "--format", "json")
    assert out.exit_code == 0, out.output
    assert '"prison_time": "P7Y6M"' in out.output
    table = hrdkg("analyze", "centrality")
    assert table.exit_code == 0 and "Asel Alpha" in table.output and "(7 rows)" in table.output
    assert hrdkg("analyze", "chain", "Watch One", "Galym Eta").exit_code == 0
    assert hrdkg("analyze", "chain", "Asel Alpha", "Dinara Delta").exit_code == 1
    missing = hrdkg("analyze", "chain", "Asel Alpha", "Farida Zeta")
    assert missing.exit_code == 2 and "Error: no entity" in missing.output
    gexf = hrdkg("analyze", "graph", "membership", "--format", "gexf")
    assert gexf.exit_code == 0 and "<gexf" in gexf.output and "Secret Circle" not in gexf.output
