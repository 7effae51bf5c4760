"""Vocabulary without I/O: the model, findings, codes, periods, labels and errors."""
