"""probation-inspections: curated, validated datasets of HM Inspectorate of Probation inspections.

>>> from probation_inspections import load
>>> load("need_sufficiency", inspections="2017-01-staffordshire-stoke")
"""

from importlib import metadata

from .errors import DataError, DataIssue
from .tables import load, load_validation_results, reference

#: The one version of the package and of its data (pyproject.toml; CITATION.cff and the exported
#: data package repeat it, and tests/test_versions.py checks that they agree).
__version__ = metadata.version("probation-inspections")
__all__ = ["DataError", "DataIssue", "load", "load_validation_results", "reference"]
