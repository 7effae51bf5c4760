"""Pure computations over a checked ledger: progress, scoring, history, changes."""
