"""Hostile ledger files, generated at test time (see corpus.py)."""
