"""Documentation generated from the code and the data stays current."""

from probation_inspections import cli


def test_the_data_dictionary_and_data_log_are_current():
    assert cli.main(["docs", "--check"]) == 0, "run `probation-inspections docs`"
