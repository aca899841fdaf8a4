"""The hrdkg ontology, SHACL shapes, facts schema and saved queries, shipped as package data."""
from pathlib import Path

ONTOLOGY_DIR = Path(__file__).resolve().parent
