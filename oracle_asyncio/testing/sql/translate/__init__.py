"""Nodes to sqlite SQL: the translator and its rewrite passes (queries, joins, DML, RETURNING)."""
