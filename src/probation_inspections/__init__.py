"""probation-inspections: curated, validated datasets of HM Inspectorate of Probation inspections.

    >>> from probation_inspections import load
    >>> load("need_sufficiency", inspections="2017-01-staffordshire-stoke")
"""

from .errors import DataError, DataIssue
from .tables import load, load_validation_results, reference

__version__ = "0.1.0"
__all__ = ["DataError", "DataIssue", "load", "load_validation_results", "reference"]
