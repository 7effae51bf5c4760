"""Files → `Ledger` + findings: sources, YAML readers, schema, parse, assemble, positions."""
