"""Recognisers: each finds one kind of structure in a `Document` and drafts rows from it."""
