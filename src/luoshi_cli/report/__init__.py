"""Renderers, chosen by name.  Each writes to an injected stream so tests compare
exact output."""
