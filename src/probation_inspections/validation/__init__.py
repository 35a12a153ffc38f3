"""The validation stage: every rule, the Great Expectations suites that check them, reuse of
results for unchanged inspections."""

from .suites import RESULT_COLUMNS, ValidationReport, validate

__all__ = ["RESULT_COLUMNS", "ValidationReport", "validate"]
