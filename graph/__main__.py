"""``python -m graph`` runs the hrdkg command line."""
from .cli import main

main()
