"""The /analytics page and its JSON twin on the hand-made dataset of tests/fixtures/analytics.

The expected numbers are those worked out by hand in tests/test_network.py:
courts by convictions C3 Bishkek 3, C1 Almaty 2, C2 Astana 2; courts by prison
time C1 P7Y6M first; the co-defendant network has 7 people and 6 links, in two
communities {A, B, C, G} and {D, E, H}; the restricted statement leaves no trace.
"""
from __future__ import annotations

import io

import networkx as nx
import pytest

from graph.store import open_store
from webui import create_app

from analytics_fixture import ID, SECRET_MARKERS, analytics_store, person

A, B, C = person("kz", "asel-alpha"), person("kz", "bolat-beta"), person("kz", "chingiz-gamma")
D, E, H = person("kg", "dinara-delta"), person("kg", "emil-epsilon"), person("kg", "hamid-theta")
G = person("kz", "galym-eta")
C1, C2, C3 = (f"{ID}court/kz/almaty-district-court", f"{ID}court/kz/astana-city-court",
              f"{ID}court/kg/bishkek-district-court")
P174 = f"{ID}provision/kz/criminal-code/174"


@pytest.fixture(scope="module")
def client():
    return create_app({"STORE": analytics_store(), "TESTING": True}).test_client()


@pytest.fixture(scope="module")
def data(client):
    response = client.get("/analytics.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    return response.get_json()


def test_rankings_match_the_hand_worked_numbers(data):
    assert [(r["court"], r["convictions"], r["rank"]) for r in data["courts_by_convictions"]] == [
        (C3, 3, 1), (C1, 2, 2), (C2, 2, 2)]
    prison = data["courts_by_prison"]
    assert (prison[0]["court"], prison[0]["prison_time"], prison[0]["rank"]) == (C1, "P7Y6M", 1)
    top = data["defenders"][0]
    assert top["events"] >= data["defenders"][-1]["events"] and top["rank"] == 1
    # provisions grouped by country by default: Article 174 first in KZ with 3 events
    kz = [r for r in data["provisions"] if r["country"].endswith("/KZ") or r["country"] == "KZ"]
    assert (kz[0]["provision"], kz[0]["events"], kz[0]["rank"]) == (P174, 3, 1)


def test_network_and_communities(data):
    net = data["network"]
    assert sorted(n["id"] for n in net["nodes"]) == sorted([A, B, C, D, E, G, H])
    assert len(net["edges"]) == 6
    weights = {tuple(sorted((e["source"], e["target"]))): e["weight"] for e in net["edges"]}
    assert weights[tuple(sorted((A, B)))] == 2  # arrested together, charged together (kz-one)
    community = {n["id"]: n["community"] for n in net["nodes"]}
    assert len({community[x] for x in (A, B, C, G)}) == 1 and len({community[x] for x in (D, E, H)}) == 1
    assert community[A] != community[D]
    assert all(n["href"].startswith("/id/person/") for n in net["nodes"])
    assert [sorted(c["iris"]) for c in data["communities"]] == [sorted([A, B, C, G]), sorted([D, E, H])]


def test_html_page_draws_the_network_and_links_entities(client):
    html = client.get("/analytics").get_data(as_text=True)
    assert 'id="codefendants"' in html and 'data-source="/analytics.json?by=country"' in html
    assert "vendor/cytoscape/cytoscape.min.js" in html and "analytics.js" in html
    assert "Bishkek District Court" in html and 'href="/id/person/kz/asel-alpha"' in html
    assert 'href="/analytics.json?by=country"' in html  # the JSON twin in the footer
    with client.get("/static/analytics.js") as script:
        assert script.status_code == 200
    assert 'href="/analytics"' in client.get("/").get_data(as_text=True)  # in the navigation


@pytest.mark.parametrize("by", ["none", "country", "year", "country-year"])
def test_provision_groupings(client, by):
    assert client.get(f"/analytics?by={by}").status_code == 200
    rows = client.get(f"/analytics.json?by={by}").get_json()["provisions"]
    assert rows and all(("year" in r) == ("year" in by) for r in rows)


def test_bad_grouping_is_a_clean_error(client):
    response = client.get("/analytics.json?by=planet")
    assert response.status_code == 400
    assert "unknown grouping" in response.get_json()["error"]["message"]


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_gephi_downloads(client, fmt):
    response = client.get(f"/analytics/graph/codefendants.{fmt}")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    reader = nx.read_graphml if fmt == "graphml" else nx.read_gexf
    g = reader(io.BytesIO(response.data))
    assert g.number_of_nodes() == 7 and g.number_of_edges() == 6
    assert client.get(f"/analytics/graph/nonsense.{fmt}").status_code == 404


def test_restricted_statement_leaves_no_trace(client):
    pages = [client.get(url).get_data(as_text=True) for url in
             ("/analytics", "/analytics.json", "/analytics?by=country-year", "/analytics/graph/evidence.graphml",
              "/analytics/graph/defender-provision.gexf")]
    for marker in SECRET_MARKERS:
        assert all(marker not in page for page in pages), marker


def test_empty_store():
    client = create_app({"STORE": open_store(None), "TESTING": True}).test_client()
    assert client.get("/analytics").status_code == 200
    data = client.get("/analytics.json").get_json()
    assert data["network"] == {"nodes": [], "edges": []} and data["courts_by_convictions"] == []
