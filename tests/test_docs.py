"""Documentation generated from the code stays current."""

from probation_inspections import cli


def test_the_data_dictionary_is_current():
    assert cli.main(["dictionary", "--check"]) == 0, "run `probation-inspections dictionary`"
