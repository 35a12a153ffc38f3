"""The analysis stage: pure functions from the tables `load` returns to the tables a report shows.

Nothing here reads files or draws; every module is one subject (see docs/architecture.md).
"""
