"""Dataset description: VoID + DCAT, written as Turtle beside an export.

The description says what the dataset is (title, licence, publisher,
creation date, the statements it was drawn from), how big it is (triples,
distinct subjects, class and property partitions, counted on the merged
public graph of the same selection as the export) and where to get it
(SPARQL endpoint, one ``dcat:Distribution`` per file written, each with its
media type, size and SHA-256).  Only public statements are ever listed.
"""
from __future__ import annotations

import hashlib
import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import quote

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, RDFS, XSD

from .build import slug
from .export import (EXPORT_FORMATS, EXTENSIONS, MEDIA_TYPES, ExportError, ExportFilter, export, export_rows,
                     select_statements)
from .namespaces import DCAT, DEFAULT_BASE, HRD, PROV, VOID, bind_prefixes
from .query import compact
from .serialize import RDF_TYPE
from .store import Store

SPDX = "http://spdx.org/rdf/terms#"
ENDPOINT_ENV = "HRDKG_SPARQL_ENDPOINT"
DOWNLOAD_BASE_ENV = "HRDKG_DOWNLOAD_BASE"


@dataclass(frozen=True)
class DatasetInfo:
    """What the publisher says about the dataset (the rest is counted).

    ``sparql_endpoint`` and ``download_base`` default to the environment
    variables ``HRDKG_SPARQL_ENDPOINT`` and ``HRDKG_DOWNLOAD_BASE``; without
    a download base, download URLs are relative to the description file.
    """

    title: str = "hrdkg: human rights defenders, the courts that try them and the laws used against them"
    description: str = ("Facts drawn from public statements of human rights organisations: "
                        "defenders, events (arrests, charges, convictions...), courts, legal provisions "
                        "and sanctions, each traceable to the statement that reports it.")
    licence: str = "https://creativecommons.org/licenses/by/4.0/"
    publisher: str = "hrdkg project"
    dataset_iri: str = DEFAULT_BASE + "dataset"
    sparql_endpoint: str | None = field(default_factory=lambda: os.environ.get(ENDPOINT_ENV) or None)
    download_base: str | None = field(default_factory=lambda: os.environ.get(DOWNLOAD_BASE_ENV) or None)
    created: date = field(default_factory=date.today)


@dataclass(frozen=True)
class Counts:
    """Size of a selection of the merged public graph."""

    triples: int
    subjects: int
    classes: dict[str, int]  # class IRI → instances
    properties: dict[str, int]  # property IRI → triples
    statements: tuple[str, ...]


def dataset_counts(store: Store, where: ExportFilter | None = None) -> Counts:
    """Count triples, subjects and partitions of what a triple export of ``where`` holds (streamed)."""
    where = where or ExportFilter()
    statements = select_statements(store, where)
    triples = subjects = 0
    classes: Counter[str] = Counter()
    properties: Counter[str] = Counter()
    last = None
    for _g, s, _r, p, o in export_rows(store, where, statements=statements, quads=False):
        triples += 1
        properties[p[1:-1]] += 1
        if p == RDF_TYPE:
            classes[o[1:-1]] += 1  # rows are unique, so each type triple is one instance
        if s != last:
            subjects, last = subjects + 1, s
    return Counts(triples, subjects, dict(classes), dict(properties), tuple(statements))


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def format_of(path: Path) -> str:
    """The export format of a file, from its extension.

    :raises ExportError: for an extension no export format uses.
    """
    for fmt, ext in EXTENSIONS.items():
        if path.name.endswith(ext):
            return fmt
    raise ExportError(f"{path}: cannot tell the RDF format from the extension "
                      f"(expected one of {', '.join(EXTENSIONS.values())})")


def describe(store: Store, *, files: Sequence[Path] = (), info: DatasetInfo | None = None,
             where: ExportFilter | None = None) -> Graph:
    """The VoID + DCAT description of the public dataset (or of the part ``where`` selects)
    and of the export ``files`` already written from it.

    :raises ExportError: for a file of unknown format.
    """
    info = info or DatasetInfo()
    counts = dataset_counts(store, where)
    g = Graph()
    bind_prefixes(g)
    for prefix, ns in (("void", VOID), ("dcat", DCAT), ("spdx", SPDX), ("foaf", FOAF)):
        g.bind(prefix, ns)
    ds = URIRef(info.dataset_iri)
    _about(g, ds, info, counts)
    _partitions(g, ds, counts)
    for path in files:
        _distribution(g, ds, path, info)
    return g


def _about(g: Graph, ds: URIRef, info: DatasetInfo, counts: Counts) -> None:
    g.add((ds, RDF.type, VOID.Dataset))
    g.add((ds, RDF.type, DCAT.Dataset))
    g.add((ds, DCTERMS.title, Literal(info.title)))
    g.add((ds, DCTERMS.description, Literal(info.description)))
    g.add((ds, DCTERMS.license, URIRef(info.licence)))
    g.add((ds, DCTERMS.created, Literal(info.created.isoformat(), datatype=XSD.date)))
    publisher = URIRef(f"{info.dataset_iri}/publisher")
    if info.publisher.startswith(("http://", "https://")):
        publisher = URIRef(info.publisher)
    else:
        g.add((publisher, RDF.type, FOAF.Agent))
        g.add((publisher, FOAF.name, Literal(info.publisher)))
    g.add((ds, DCTERMS.publisher, publisher))
    g.add((ds, VOID.vocabulary, URIRef(str(HRD._NS))))
    g.add((ds, VOID.uriSpace, Literal(DEFAULT_BASE)))
    g.add((ds, VOID.triples, Literal(counts.triples, datatype=XSD.integer)))
    g.add((ds, VOID.distinctSubjects, Literal(counts.subjects, datatype=XSD.integer)))
    g.add((ds, VOID.classes, Literal(len(counts.classes), datatype=XSD.integer)))
    g.add((ds, VOID.properties, Literal(len(counts.properties), datatype=XSD.integer)))
    for statement in counts.statements:
        g.add((ds, DCTERMS.source, URIRef(statement)))
        g.add((ds, PROV.wasDerivedFrom, URIRef(statement)))
    if info.sparql_endpoint:
        g.add((ds, VOID.sparqlEndpoint, URIRef(info.sparql_endpoint)))
        service = URIRef(f"{info.dataset_iri}/sparql")
        g.add((service, RDF.type, DCAT.DataService))
        g.add((service, DCAT.endpointURL, URIRef(info.sparql_endpoint)))
        g.add((service, DCAT.servesDataset, ds))
        g.add((ds, DCAT.accessService, service))


def _partitions(g: Graph, ds: URIRef, counts: Counts) -> None:
    # partitions get IRIs (not blank nodes) so the description is stable and linkable
    for cls, n in sorted(counts.classes.items()):
        part = URIRef(f"{ds}/class/{slug(compact(cls))}")
        g.add((ds, VOID.classPartition, part))
        g.add((part, VOID["class"], URIRef(cls)))
        g.add((part, VOID.entities, Literal(n, datatype=XSD.integer)))
    for prop, n in sorted(counts.properties.items()):
        part = URIRef(f"{ds}/property/{slug(compact(prop))}")
        g.add((ds, VOID.propertyPartition, part))
        g.add((part, VOID.property, URIRef(prop)))
        g.add((part, VOID.triples, Literal(n, datatype=XSD.integer)))


def _distribution(g: Graph, ds: URIRef, path: Path, info: DatasetInfo) -> None:
    fmt = format_of(path)
    url = (info.download_base.rstrip("/") + "/" + quote(path.name)) if info.download_base else quote(path.name)
    dist = URIRef(f"{ds}/distribution/{fmt}")
    checksum = URIRef(f"{dist}/sha256")
    g.add((ds, DCAT.distribution, dist))
    g.add((ds, VOID.dataDump, URIRef(url)))
    g.add((dist, RDF.type, DCAT.Distribution))
    g.add((dist, DCTERMS.title, Literal(f"{info.title} ({fmt})")))
    g.add((dist, DCAT.downloadURL, URIRef(url)))
    g.add((dist, DCAT.mediaType, URIRef(f"https://www.iana.org/assignments/media-types/{MEDIA_TYPES[fmt]}")))
    g.add((dist, DCAT.byteSize, Literal(path.stat().st_size, datatype=XSD.nonNegativeInteger)))
    g.add((dist, DCTERMS.license, URIRef(info.licence)))
    g.add((dist, URIRef(SPDX + "checksum"), checksum))
    g.add((checksum, RDF.type, URIRef(SPDX + "Checksum")))
    g.add((checksum, URIRef(SPDX + "algorithm"), URIRef(SPDX + "checksumAlgorithm_sha256")))
    g.add((checksum, URIRef(SPDX + "checksumValue"), Literal(sha256_file(path), datatype=XSD.hexBinary)))
    g.add((dist, RDFS.label, Literal(path.name)))


def write_description(store: Store, output: Path, *, files: Sequence[Path] = (),
                      info: DatasetInfo | None = None, where: ExportFilter | None = None) -> Path:
    """Write :func:`describe` as Turtle to ``output``; returns ``output``."""
    graph = describe(store, files=files, info=info, where=where)
    output.write_bytes(graph.serialize(format="turtle", encoding="utf-8"))
    return output


def publish(store: Store, directory: Path, *, formats: Sequence[str] = ("turtle", "nquads", "jsonld"),
            name: str = "hrdkg", info: DatasetInfo | None = None,
            where: ExportFilter | None = None) -> list[Path]:
    """Write one export per format into ``directory`` and ``NAME.void.ttl`` describing them.

    Each file is written under a temporary name and renamed when complete.
    Returns the paths written, description last.

    :raises ExportError: for an unknown format or an empty selection.
    """
    unknown = [f for f in formats if f not in EXPORT_FORMATS]
    if unknown:
        raise ExportError(f"unknown export format(s) {', '.join(unknown)}; use {', '.join(EXPORT_FORMATS)}")
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt in formats:
        path = directory / f"{name}{EXTENSIONS[fmt]}"
        tmp = path.with_name(path.name + ".part")
        with open(tmp, "wb") as fh:
            export(store, fh, fmt=fmt, where=where)
        tmp.replace(path)
        written.append(path)
    written.append(write_description(store, directory / f"{name}.void.ttl", files=written, info=info, where=where))
    return written
