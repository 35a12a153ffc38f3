"""Published aggregates recomputed from curated rows, with honest verdicts."""

from __future__ import annotations

import pandas as pd
import pytest

from probation_inspections import load, reference
from probation_inspections.analysis.reproduction import (
    CONSISTENT,
    DIFFERS,
    NOT_YET,
    REPRODUCED,
    by_explanation,
    reproduce,
)
from probation_inspections.report.html import table_html


def frame(rows, columns):
    return pd.DataFrame([dict(zip(columns, r, strict=True)) for r in rows], columns=columns)


AGG = [
    "inspection_id",
    "population",
    "population_label",
    "statistic",
    "organisation_type",
    "standard",
    "rating",
    "domain",
    "value",
    "unit",
    "period",
    "source_locator",
    "source_url",
]
POP = [
    "population",
    "programme",
    "organisation_types",
    "members",
    "published_from",
    "published_to",
    "member_organisations",
]
ORG = ["inspection_id", "organisation", "organisation_type", "overall_rating"]


@pytest.fixture
def curated():
    inspections = frame(
        [
            ("2018-10-a", "ap", "2018-10"),
            ("2018-11-b", "ap", "2018-11"),
            ("2018-12-c", "ap", "2018-12"),
            ("2017-01-d", "qi", "2017-01"),
        ],
        ["inspection_id", "programme", "published"],
    )
    organisations = frame(
        [
            ("2018-10-a", "a", "CRC", None),
            ("2018-11-b", "b", "CRC", None),
            ("2018-12-c", "c", "NPS", None),
            ("2017-01-d", "d", "CRC", None),
        ],
        ORG,
    )
    ratings = frame(
        [
            ("2018-10-a", "a", "overall", "good", "reported"),
            ("2018-11-b", "b", "overall", "inadequate", "reported"),
            ("2018-12-c", "c", "overall", "good", "derived"),
        ],
        ["inspection_id", "organisation", "standard", "rating", "certainty"],
    )
    populations = frame(
        [
            ("round", "ap", "CRC|NPS", 3, "2018-09", "2019-09", None),
            ("listed", None, "CRC", 2, None, None, "a|d"),
        ],
        POP,
    )
    scores = frame(
        [("2017-01-d", "Trust", "omi2_risk", 78.0)],
        ["inspection_id", "organisation_type", "domain", "percent"],
    )
    return populations, organisations, inspections, ratings, scores


def run(curated, rows):
    aggregates = frame([("2019-10-s", *r, "n", "2018/19", "p.1", "https://x") for r in rows], AGG)
    return reproduce(aggregates, *curated)


def test_a_complete_population_reproduces_its_counts(curated):
    populations, organisations, inspections, ratings, scores = curated
    ratings["certainty"] = "reported"
    result = run(
        (populations, organisations, inspections, ratings, scores),
        [
            ("round", "All", "count", None, "overall", "good", None, 2),
            ("round", "All", "count", None, None, None, None, 3),
        ],
    )
    assert list(result["verdict"]) == [REPRODUCED, REPRODUCED]
    assert list(result["coverage"]) == ["3 of 3", "3 of 3"]
    assert list(result["recomputed"]) == [2, 3]


def test_a_derived_rating_makes_every_count_of_its_population_only_consistent(curated):
    # c's Good was derived (say, by subtraction from these very totals): it settles the count
    # of Good and the count of Inadequate alike; the count of services does not depend on it.
    result = run(
        curated,
        [
            ("round", "All", "count", None, "overall", "good", None, 2),
            ("round", "All", "count", None, "overall", "inadequate", None, 1),
            ("round", "All", "count", None, None, None, None, 3),
        ],
    )
    assert list(result["verdict"]) == [CONSISTENT, CONSISTENT, REPRODUCED]
    assert (
        "1 of their ratings were derived or inferred rather than read (c)"
        in result["explanation"].iloc[1]
    )
    assert "partly by construction" in result["explanation"].iloc[0]
    only_crcs = run(curated, [("round", "CRCs", "count", "CRC", "overall", "good", None, 1)])
    assert list(only_crcs["verdict"]) == [NOT_YET], "no published number of CRCs in the round"


def test_a_count_of_a_standard_uses_that_standards_ratings(curated):
    populations, organisations, inspections, ratings, scores = curated
    ratings = pd.concat(
        [
            ratings,
            frame(
                [
                    ("2018-10-a", "a", "s1", "inadequate", "reported"),
                    ("2018-11-b", "b", "s1", "inadequate", "reported"),
                    ("2018-12-c", "c", "s1", "good", "reported"),
                ],
                list(ratings.columns),
            ),
        ],
        ignore_index=True,
    )
    result = run(
        (populations, organisations, inspections, ratings, scores),
        [("round", "All", "count", None, "s1", "inadequate", None, 2)],
    )
    assert list(result["verdict"]) == [REPRODUCED], result["explanation"].iloc[0]
    assert list(result["recomputed"]) == [2]


def test_a_complete_population_that_disagrees_differs_by_the_difference(curated):
    result = run(curated, [("round", "All", "count", None, "overall", "inadequate", None, 2)])
    assert result["verdict"].iloc[0] == DIFFERS
    assert result["difference"].iloc[0] == -1


def test_members_can_be_named_and_missing_ones_block_the_verdict(curated):
    populations, *rest = curated
    populations.loc[1, "member_organisations"] = "a|d|e"
    populations.loc[1, "members"] = 3
    result = run((populations, *rest), [("listed", "L", "count", None, None, None, None, 3)])
    assert result["verdict"].iloc[0] == NOT_YET
    assert result["explanation"].iloc[0] == "1 of 3 members not curated yet"


def test_a_range_over_an_unenumerated_population_is_not_reproducible(curated):
    populations, *rest = curated
    populations = pd.concat(
        [populations, frame([("omi2", "omi2", "Trust", None, None, None, None)], POP)],
        ignore_index=True,
    )
    result = run(
        (populations, *rest),
        [("omi2", "English regions", "highest", None, None, None, "omi2_risk", 83)],
    )
    assert result["verdict"].iloc[0] == NOT_YET
    assert result["recomputed"].iloc[0] == 78
    assert "does not enumerate" in result["explanation"].iloc[0]


def test_totals_and_shares_say_what_they_would_need(curated):
    result = run(curated, [("round", "All", "total", None, None, None, None, 250000)])
    assert result["verdict"].iloc[0] == NOT_YET
    assert "every member's figure" in result["explanation"].iloc[0]


def test_the_2018_19_round_totals_are_reproduced_by_organisation_type(shipped_reproduction):
    result = shipped_reproduction
    round_ = result[result["population"] == "adult_probation_2018_round_2018_19"]
    counts = round_[round_["statistic"] == "count"]
    assert len(counts) == 12
    assert set(counts["verdict"]) <= {REPRODUCED, CONSISTENT}, counts[
        ["organisation_type", "rating", "verdict", "explanation"]
    ]
    # Three CRC overall ratings were derived from the round's totals: the counts of ratings
    # that include CRCs agree only by construction; the NPS counts and the numbers of services
    # are reproduced outright.
    consistent = counts[counts["verdict"] == CONSISTENT]
    assert set(consistent["organisation_type"].fillna("all")) == {"CRC", "all"}
    assert consistent["rating"].notna().all()
    assert set(counts[counts["organisation_type"] == "NPS"]["verdict"]) == {REPRODUCED}
    assert set(counts[counts["rating"].isna()]["verdict"]) == {REPRODUCED}
    published = {
        (
            r.organisation_type if isinstance(r.organisation_type, str) else "all",
            r.rating if isinstance(r.rating, str) else "services",
        ): r.published
        for r in counts.itertuples()
    }
    assert published[("CRC", "requires_improvement")] == 19
    assert published[("NPS", "good")] == 5
    assert published[("all", "services")] == 28


def test_table_1_ranges_are_not_reproducible_with_five_of_thirty_trusts(shipped_reproduction):
    result = shipped_reproduction
    table_1 = result[
        (result["population"] == "omi2_english_regions_to_date")
        & (result["inspection_id"] == "2017-01-staffordshire-stoke")
    ]
    assert len(table_1) == 9, "Table 1: lowest, highest and average of three domains"
    assert set(table_1["verdict"]) == {NOT_YET}
    # A second 2012 report says the comparison covers 30 of the 35 English trusts; five trusts'
    # OMI2 scores are curated (Staffordshire and West Midlands, York and North Yorkshire, West
    # Mercia, Wiltshire, South Yorkshire).
    assert set(table_1["members_expected"]) == {30}
    assert set(table_1["members_curated"]) == {5}
    assert set(table_1["coverage"]) == {"5 of 30"}


# One membership rule: a member is an inspection in the population's round ---------------------


def seed_tables() -> dict[str, pd.DataFrame]:
    return {
        "aggregates": load("published_aggregates"),
        "populations": reference("population"),
        "organisations": load("organisations"),
        "inspections": load("inspections"),
        "ratings": load("ratings"),
        "domain_scores": load("domain_scores"),
    }


def reproduce_all(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    return reproduce(
        tables["aggregates"],
        tables["populations"],
        tables["organisations"],
        tables["inspections"],
        tables["ratings"],
        tables["domain_scores"],
    )


def inspected_again(
    tables: dict[str, pd.DataFrame], organisations: set[str], published: str
) -> dict[str, pd.DataFrame]:
    """Every organisation of `organisations` inspected again under the same programme, rated
    Inadequate from wording (inferred), in a new folder published `published`."""
    tables = dict(tables)
    orgs, inspections = tables["organisations"], tables["inspections"]
    new_orgs, new_inspections, new_ratings = [], [], []
    for organisation in sorted(organisations):
        rows = orgs[orgs["organisation"] == organisation]
        if rows.empty:
            continue
        first = rows.iloc[0]
        meta = inspections[inspections["inspection_id"] == first["inspection_id"]].iloc[0]
        again = f"{published}-{organisation}-again"
        new_inspections.append(
            {**meta.to_dict(), "inspection_id": again, "published": f"{published}-15"}
        )
        new_orgs.append({**first.to_dict(), "inspection_id": again})
        new_ratings.append(
            {
                "inspection_id": again,
                "organisation_type": first["organisation_type"],
                "organisation": organisation,
                "organisation_label": first.get("organisation_label"),
                "standard": "overall",
                "standard_label": "Overall",
                "rating": "inadequate",
                "rating_label": "Inadequate",
                "certainty": "inferred",
            }
        )
    tables["organisations"] = pd.concat([orgs, pd.DataFrame(new_orgs)], ignore_index=True)
    tables["inspections"] = pd.concat(
        [inspections, pd.DataFrame(new_inspections)], ignore_index=True
    )
    tables["ratings"] = pd.concat([tables["ratings"], pd.DataFrame(new_ratings)], ignore_index=True)
    return tables


def test_a_later_inspection_of_every_listed_organisation_changes_no_earlier_figure():
    tables = seed_tables()
    before = reproduce_all(tables)
    populations = tables["populations"]
    listed = {
        m
        for members in populations["member_organisations"].dropna()
        for m in str(members).split("|")
    }
    assert len(listed) >= 20, "the listed groups name their members"
    after = reproduce_all(inspected_again(tables, listed, "2025-09"))
    # An earlier group is one whose round closed before the new inspections were published.
    closed = set(
        populations.loc[
            populations["published_to"].notna() & (populations["published_to"] < "2025-09"),
            "population",
        ]
    )
    assert {
        "adult_probation_2018_crcs_before_hiow",
        "adult_probation_2018_round_2018_19",
        "probation_service_2021_london_pdus_2022",
    } <= closed
    earlier = before["population"].isin(closed)
    assert earlier.sum() >= 20
    pd.testing.assert_frame_equal(before[earlier], after[earlier])


def test_the_13_crcs_before_hampshire_stay_consistent_when_re_inspected():
    tables = seed_tables()
    populations = tables["populations"].set_index("population")
    crcs = set(
        populations.loc["adult_probation_2018_crcs_before_hiow", "member_organisations"].split("|")
    )
    # The 2019/20 round: nine CRCs inspected again, published from January to July 2020.
    again = inspected_again(tables, set(sorted(crcs)[:9]), "2020-03")
    result = reproduce_all(again)
    group = result[
        (result["population"] == "adult_probation_2018_crcs_before_hiow")
        & (result["rating"] == "requires_improvement")
    ].iloc[0]
    assert (group["verdict"], group["recomputed"], group["published"]) == (CONSISTENT, 12, 12)
    assert "2020" not in group["explanation"], "no 2020 rating is named in a 2018/19 group"


def test_an_organisation_inspected_twice_in_an_open_round_is_not_taken_at_its_latest(curated):
    populations, organisations, inspections, ratings, scores = curated
    populations.loc[0, "published_to"] = None  # the round is open: both inspections are in it
    tables = {"organisations": organisations, "inspections": inspections, "ratings": ratings}
    again = inspected_again(tables, {"a"}, "2019-02")
    result = run(
        (populations, again["organisations"], again["inspections"], again["ratings"], scores),
        [("round", "All", "count", None, "overall", "good", None, 2)],
    )
    assert result["verdict"].iloc[0] == NOT_YET
    assert (
        result["explanation"]
        .iloc[0]
        .startswith(
            "1 organisation(s) have more than one inspection in the population's round (a: "
            "2018-10-a, 2019-02-a-again)"
        )
    )


def test_a_figure_curated_as_derived_is_at_best_consistent(curated):
    populations, organisations, inspections, ratings, scores = curated
    ratings["certainty"] = "reported"
    aggregates = frame(
        [
            (
                "2019-10-s",
                "round",
                "All",
                "count",
                None,
                "overall",
                "good",
                None,
                2,
                "n",
                "2018/19",
                "p.1",
                "https://x",
            )
        ],
        AGG,
    )
    for certainty in ("derived", "inferred"):
        result = reproduce(
            aggregates.assign(certainty=certainty),
            populations,
            organisations,
            inspections,
            ratings,
            scores,
        )
        assert result["verdict"].iloc[0] == CONSISTENT
        assert f"the published figure itself was {certainty}" in result["explanation"].iloc[0]
    read = reproduce(
        aggregates.assign(certainty="reported"),
        populations,
        organisations,
        inspections,
        ratings,
        scores,
    )
    assert read["verdict"].iloc[0] == REPRODUCED


def test_one_missing_member_pinned_down_by_the_totals_is_named(curated):
    populations, organisations, inspections, ratings, scores = curated
    ratings["certainty"] = "reported"
    populations.loc[0, "members"] = 4  # a fourth service, not curated
    rows = [
        ("round", "All", "count", None, None, None, None, 4),
        ("round", "All", "count", None, "overall", "good", None, 3),
        ("round", "All", "count", "CRC", "overall", "good", None, 2),
        ("round", "All", "count", None, "overall", "inadequate", None, 1),
    ]
    aggregates = frame(
        [("2019-10-s", *r, "n", "2018/19", "p.1", "https://x") for r in rows], AGG
    ).assign(rating_label=[None, "Good", "Good", "Inadequate"])
    result = reproduce(aggregates, populations, organisations, inspections, ratings, scores)
    assert set(result["verdict"]) == {NOT_YET}
    assert all(
        e.endswith("; the missing service must be a CRC rated Good") for e in result["explanation"]
    ), list(result["explanation"])


def test_a_gap_the_totals_do_not_pin_down_is_not_named(curated):
    populations, organisations, inspections, ratings, scores = curated
    populations.loc[0, "members"] = 4
    rows = [("round", "All", "count", None, None, None, None, 4)]
    result = run((populations, organisations, inspections, ratings, scores), rows)
    assert result["explanation"].iloc[0] == "1 of 4 members not curated yet"


@pytest.mark.parametrize(
    ("scores", "certainty", "verdict"),
    [
        ({"a": 60.0, "b": 80.0}, "reported", REPRODUCED),
        ({"a": 60.0, "b": 80.0}, "derived", CONSISTENT),
        ({"a": 60.0, "b": 90.0}, "reported", DIFFERS),
        ({"a": 60.0}, "reported", NOT_YET),
    ],
)
def test_the_ranges_report_and_the_reproduction_report_reach_one_verdict(
    scores, certainty, verdict
):
    from probation_inspections.analysis.ranges import cross_area_ranges

    domain = "omi2_risk"
    inspections = frame(
        [("2012-01-x", "omi2", "2012-01")], ["inspection_id", "programme", "published"]
    )
    domain_scores = frame(
        [("2012-01-x", "Trust", o, domain, p, "2012", "reported") for o, p in scores.items()],
        [
            "inspection_id",
            "organisation_type",
            "organisation",
            "domain",
            "percent",
            "period",
            "certainty",
        ],
    )
    populations = frame([("pair", "omi2", "Trust", 2, None, None, "a|b")], POP)
    published = frame(
        [
            (
                "2013-01-s",
                "pair",
                "Pair",
                statistic,
                None,
                None,
                None,
                domain,
                value,
                "percent",
                "2012",
                "Table 1",
                "https://x",
            )
            for statistic, value in (("lowest", 60), ("highest", 80), ("average", 70))
        ],
        AGG,
    )
    published = published.assign(certainty=certainty, domain_label="Risk", population_label="Pair")
    reproduced = reproduce(
        published,
        populations,
        frame([], ORG),
        inspections,
        frame([], ["inspection_id", "organisation", "standard", "rating", "certainty"]),
        domain_scores,
    )
    ranges = cross_area_ranges(
        domain_scores.assign(
            domain_label="Risk",
            organisation_label=lambda f: f["organisation"],
            source_locator="T",
            source_url="u",
        ),
        published,
        [domain],
        populations=populations,
        inspections=inspections,
    )
    worst = next(
        v for v in (DIFFERS, NOT_YET, CONSISTENT, REPRODUCED) if v in set(reproduced["verdict"])
    )
    assert worst == verdict, list(reproduced["explanation"])
    assert list(ranges["verdict"]) == [verdict], list(ranges["verdict_detail"])


def test_a_count_of_an_unstated_number_of_members_is_a_lower_bound():
    """'Every PDU inspected since March 2024 was rated Inadequate or Requires improvement':
    none Good. The curated PDUs are only some of those inspected, so one curated PDU rated Good
    already contradicts the statement, while none says only that nothing contradicts it yet."""
    from probation_inspections.analysis.reproduction import DIFFERS, NOT_YET, _lower_bound

    waiting = {
        "verdict": NOT_YET,
        "members_expected": None,
        "members_curated": 36,
        "explanation": "the source does not enumerate the population; 36 member(s) curated",
        "difference": None,
    }
    none = _lower_bound(waiting, 0.0, pd.Series([], dtype="string"))
    assert none["verdict"] == NOT_YET
    assert none["explanation"].endswith(
        "0 of them with this rating, so none contradicts the 0 published so far"
    )
    one = _lower_bound(waiting, 0.0, pd.Series(["Gateshead PDU"]))
    assert (one["verdict"], one["difference"]) == (DIFFERS, 1.0)
    assert "Gateshead PDU" in one["explanation"]
    stated = {**waiting, "members_expected": 40}
    assert _lower_bound(stated, 0.0, pd.Series(["Gateshead PDU"])) is stated


def test_the_verdict_table_says_a_groups_shared_explanation_once(curated):
    result = run(
        curated,
        [
            ("round", "The 2018/19 round", "count", None, "overall", "good", None, 2),
            ("round", "The 2018/19 round", "count", None, "overall", "inadequate", None, 1),
            ("round", "The 2018/19 round", "count", None, None, None, None, 3),
            ("round", "The 2018/19 round", "total", None, None, None, None, 250000),
        ],
    )
    shared = result["explanation"].iloc[0]
    assert "partly by construction" in shared and result["explanation"].iloc[1] == shared
    grouped = by_explanation(result)
    page = str(
        table_html(
            grouped,
            caption="Published figures",
            columns={"rating": "Rating counted", "published": "Published", "verdict": "Verdict"},
            groups={"reason": "Group and why"},
            download=False,
        ).data
    )
    # Said once, above the two counts of a rating that share it, not on each of their rows.
    assert page.count(shared) == 1
    assert page.count(f"The 2018/19 round: {shared}") == 1
    assert page.count("which no curated table holds") == 1
    assert page.count("<tbody>") == 3  # shared by two rows; the others' own explanations
    # Each row keeps its own figure and verdict.
    assert page.count("<td>consistent</td>") == 2 and page.count("<td>reproduced</td>") == 1
    for figure in ("2", "1", "3", "250,000"):
        assert f'<td class="pi-num">{figure}</td>' in page
