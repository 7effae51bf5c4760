"""luoshi (落实): government task ledgers (台账) kept as YAML in git.

The package is split so that data flows one way:
load → model (parse) → checks → progress / scoring → report.  The CLI (`cli.py`)
is a thin typer layer over these pure modules.
"""

__version__ = "0.1.0"
