"""The curated stage: the data model, the vocabularies, and reading one inspection folder."""
