"""Figures of the reports, drawn in one theme: needs, judgements, ranges, ratings, caseloads."""

from __future__ import annotations

import io
import math
import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib.pyplot as plt
import matplotlib.text
import matplotlib.ticker
import pandas as pd
from matplotlib.figure import Figure

from .text import _is_missing

#: Okabe-Ito colours: distinguishable with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")


ORGANISATION_COLOURS = {
    "CRC": "#0072B2",
    "NPS": "#E69F00",
    "Trust": "#009E73",
    "PDU": "#CC79A7",
    "Region": "#56B4E9",
    "Area": "#555555",
    "National": "#000000",
}


#: A marker per organisation type: the type is read from the shape as well as the colour.
ORGANISATION_MARKERS = {
    "CRC": "o",
    "NPS": "s",
    "Trust": "^",
    "PDU": "D",
    "Region": "v",
    "Area": "P",
    "National": "X",
}
#: A hatch per organisation type, for bars.
ORGANISATION_HATCHES = {
    "CRC": "",
    "NPS": "///",
    "Trust": "...",
    "PDU": "xxx",
    "Region": "\\\\\\",
    "Area": "---",
    "National": "+++",
}


DIRECTION_COLOURS = {"sufficient": "#009E73", "insufficient": "#D55E00", "prevalence": "#56B4E9"}
#: The colours of the directions in words, as the legend and any prose name them.
DIRECTION_COLOUR_WORDS = {"sufficient": "green", "insufficient": "orange", "prevalence": "blue"}
#: Directions told apart by the fill as well: solid, hatched, dotted.
DIRECTION_HATCHES = {"sufficient": "", "insufficient": "////", "prevalence": "...."}
DIRECTION_MARKERS = {"sufficient": "o", "insufficient": "X", "prevalence": "s"}


RANGE_COLOUR, HIGHLIGHT_COLOUR, NEUTRAL_COLOUR = "#BBBBBB", "#D55E00", "#0072B2"


DPI = 110


def figure_png(fig: Figure) -> bytes:
    """The figure as PNG bytes, identical from one build to the next (no software metadata).

    Every text is drawn literally: a `$` in curated text (a title, an area, a label) is a
    dollar sign, never the start of mathematics that could be drawn wrong or fail the figure.
    """
    for text in fig.findobj(matplotlib.text.Text):
        text.set_parse_math(False)
    buffer = io.BytesIO()
    with plt.rc_context({"text.parse_math": False}):  # tick labels are made while drawing
        fig.savefig(
            buffer,
            format="png",
            dpi=DPI,
            bbox_inches="tight",
            metadata={"Software": None},
            facecolor="white",
        )
    return buffer.getvalue()


def _wrap(text, width: int = 48) -> str:
    return "\n".join(textwrap.wrap(str(text), width=width)) or str(text)


def _new_figure(
    rows: int, width: float = 8.5, per_row: float = 0.42, minimum: float = 2.4
) -> tuple[Figure, plt.Axes]:
    fig, ax = plt.subplots(
        figsize=(width, max(minimum, 1.2 + per_row * rows)), layout="constrained"
    )
    return fig, ax


def _panels(groups: list, width: float, per_row: float, per_panel: float) -> tuple[Figure, Any]:
    """One panel per group, stacked on a shared x axis, each as tall as its rows."""
    heights = [max(1, len(g)) for _, g in groups] or [1]
    return plt.subplots(
        len(heights),
        1,
        sharex=True,
        squeeze=False,
        layout="constrained",
        figsize=(width, 1.2 + per_row * sum(heights) + per_panel * len(heights)),
        gridspec_kw={"height_ratios": heights},
    )


def need_sufficiency_figure(aligned: pd.DataFrame) -> Figure:
    """Dot chart of CRC against NPS per need (from `align_need_sufficiency`, optionally with
    `with_sample_intervals`): one row per need, a line joining the two percentages, and the
    narrowest possible 95% interval of each when the intervals are present."""
    fig, ax = _new_figure(len(aligned), per_row=0.55)
    has_intervals = "low_crc" in aligned.columns and "low_nps" in aligned.columns
    labels, seen = [], set()
    for y, row in enumerate(aligned.itertuples(index=False)):
        crc_label, nps_label = row.need_label_crc, row.need_label_nps
        if _is_missing(crc_label) or _is_missing(nps_label) or crc_label == nps_label:
            label = nps_label if _is_missing(crc_label) else crc_label
        else:
            label = f"{crc_label} / {nps_label}"
        if row.presence != "both":
            label = f"{label} ({row.presence})"
        labels.append(_wrap(label, 34))
        if not _is_missing(row.percent_crc) and not _is_missing(row.percent_nps):
            shift = 0.14 if has_intervals else 0
            ax.plot(
                [row.percent_crc, row.percent_nps],
                [y - shift, y + shift],
                color="#999999",
                lw=1.5,
                zorder=1,
            )
        for kind, offset, marker in (("CRC", -0.14, "o"), ("NPS", 0.14, "s")):
            value = getattr(row, f"percent_{kind.lower()}")
            if _is_missing(value):
                continue
            colour = ORGANISATION_COLOURS[kind]
            level = y + offset if has_intervals else y
            if has_intervals:
                low, high = (
                    getattr(row, f"low_{kind.lower()}"),
                    getattr(row, f"high_{kind.lower()}"),
                )
                if not _is_missing(low) and not _is_missing(high):
                    ax.plot([low, high], [level, level], color=colour, lw=1.2, alpha=0.6, zorder=2)
            ax.scatter(
                [float(value)],
                [level],
                s=55,
                marker=marker,
                color=colour,
                zorder=3,
                label=None if kind in seen else kind,
            )
            seen.add(kind)
    ax.set_yticks(range(len(labels)), labels)
    ax.set_ylim(len(labels) - 0.5, -0.5)
    ax.set_xlim(0, 100)
    ax.grid(axis="y", visible=False)
    ax.set_xlabel("Cases with the need in which the intervention was sufficient (%)")
    ax.set_ylabel("Assessed need")
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2)
    fig.set_label(f"CRC and NPS percentages for {len(labels)} needs.")
    return fig


def judgement_interval_figure(judgements: pd.DataFrame) -> Figure:
    """Each judgement's implied share as a bar from share_low to share_high (a dot when the
    share comes from an exact count), one panel per organisation and domain, coloured by
    direction (work sufficient, insufficient, or a characteristic's prevalence)."""
    groups = list(judgements.groupby(["organisation_type", "domain_label"], sort=False))
    fig, axes = _panels(groups, width=10, per_row=0.33, per_panel=0.45)
    names = {
        "sufficient": "green, solid: share of cases where the work was sufficient",
        "insufficient": "orange, hatched: share of cases where the work was not sufficient",
        "prevalence": "blue, dotted: share with a characteristic",
    }
    handles: dict[str, Any] = {}  # a scatter or a bar container per direction
    for ax, ((kind, domain), group) in zip(axes[:, 0], groups, strict=False):
        labels = []
        for position, row in enumerate(group.itertuples(index=False)):
            labels.append(_wrap(row.aspect, 60))
            colour = DIRECTION_COLOURS.get(row.direction, "#777777")
            low, high = row.share_low, row.share_high
            if _is_missing(low) or _is_missing(high):
                continue
            if float(high) - float(low) < 1e-9:
                artist = ax.scatter(
                    [float(low) * 100],
                    [position],
                    color=colour,
                    s=36,
                    zorder=3,
                    marker=DIRECTION_MARKERS.get(row.direction, "o"),
                )
            else:
                artist = ax.barh(
                    [position],
                    [(float(high) - float(low)) * 100],
                    left=[float(low) * 100],
                    height=0.6,
                    color=colour,
                    alpha=0.9,
                    hatch=DIRECTION_HATCHES.get(row.direction, ""),
                    edgecolor="white",
                    linewidth=0,
                )
            handles.setdefault(row.direction, artist)
        ax.set_yticks(range(len(labels)), labels, fontsize=8)
        ax.set_ylim(len(labels) - 0.5, -0.5)
        ax.set_title(f"{kind}: {domain}", fontsize=10.5)
        ax.grid(axis="y", visible=False)
        ax.set_xlim(0, 100)
    axes[-1, 0].set_xlabel("Share of cases (or staff, or service users) the wording implies (%)")
    if handles:
        order = [d for d in names if d in handles]
        fig.legend(
            [handles[d] for d in order],
            [names[d] for d in order],
            loc="outside upper center",
            ncol=len(order),
            fontsize=8.5,
        )
    fig.set_label(f"The shares of cases {len(judgements)} quantified judgements imply.")
    return fig


def cross_area_figure(
    ranges: pd.DataFrame, points: pd.DataFrame, highlight_label: str | None = None
) -> Figure:
    """Per domain: the published range as a grey interval with its average marked, the
    curated areas as dots, and the highlighted area as a larger diamond."""
    fig, ax = _new_figure(len(ranges), per_row=0.8, minimum=3.2)
    labels, values = [], []
    for position, row in enumerate(ranges.itertuples(index=False)):
        labels.append(_wrap(row.domain_label, 30))
        if not _is_missing(row.published_lowest) and not _is_missing(row.published_highest):
            ax.plot(
                [row.published_lowest, row.published_highest],
                [position, position],
                color=RANGE_COLOUR,
                lw=9,
                solid_capstyle="butt",
                zorder=1,
                label="published range (lowest to highest)" if position == 0 else None,
            )
            values += [row.published_lowest, row.published_highest]
        if not _is_missing(row.published_average):
            ax.plot(
                [row.published_average] * 2,
                [position - 0.22, position + 0.22],
                color="#333333",
                lw=2,
                zorder=2,
                label="published average" if position == 0 else None,
            )
        mine = points[points["domain"] == row.domain]
        ordinary = mine[~mine["highlighted"].astype(bool)]
        chosen = mine[mine["highlighted"].astype(bool)]
        if len(ordinary):
            ax.scatter(
                ordinary["percent"].astype(float),
                [position] * len(ordinary),
                s=40,
                color=NEUTRAL_COLOUR,
                zorder=3,
                label="curated area"
                if "curated area" not in ax.get_legend_handles_labels()[1]
                else None,
            )
            values += list(ordinary["percent"].astype(float))
        for value in chosen["percent"].dropna().astype(float):
            name = highlight_label or "highlighted area"
            ax.scatter(
                [value],
                [position],
                s=110,
                marker="D",
                color=HIGHLIGHT_COLOUR,
                zorder=4,
                edgecolor="white",
                label=name if name not in ax.get_legend_handles_labels()[1] else None,
            )
            ax.annotate(
                f"{value:.0f}",
                (value, position),
                xytext=(0, -17),
                textcoords="offset points",
                ha="center",
                fontsize=9,
                color=HIGHLIGHT_COLOUR,
            )
            values.append(value)
    low = max(0, math.floor((min(values) if values else 0) / 10) * 10 - 5)
    high = min(100, math.ceil((max(values) if values else 100) / 10) * 10 + 5)
    ax.set_xlim(low, high)
    ax.set_yticks(range(len(labels)), labels)
    ax.set_ylim(len(labels) - 0.5, -0.6)
    ax.grid(axis="y", visible=False)
    ax.set_xlabel("Cases meeting the standard (%)")
    ax.set_ylabel("Domain")
    fig.legend(loc="outside lower center", ncol=2)
    fig.set_label(f"Curated area scores beside the published ranges of {len(labels)} domains.")
    return fig


def _as_date(value) -> pd.Timestamp:
    text = str(value)
    return pd.Timestamp(text if len(text) > 7 else f"{text}-01")


def _decimal_year(value) -> float:
    date = _as_date(value)
    return date.year + (date.day_of_year - 1) / 365.25


def _swarm_offsets(
    positions: Sequence[float], gap: float, step: float = 0.11, limit: float = 0.4
) -> list[float]:
    """Vertical offsets that keep dots of one row apart: 0, -step, +step, -2 step, ... for
    dots closer than `gap` to an earlier dot of the row (deterministic, no random jitter)."""
    offsets: list[float] = []
    for i, x in enumerate(positions):
        taken = {round(offsets[j], 6) for j in range(i) if abs(positions[j] - x) < gap}
        k, offset = 0, 0.0
        while round(offset, 6) in taken and k < 40:
            k += 1
            offset = ((k + 1) // 2) * step * (-1 if k % 2 else 1)
            if abs(offset) > limit:
                offset = (offset % limit) * (-1 if k % 2 else 1)
        offsets.append(offset)
    return offsets


def ratings_figure(
    overall: pd.DataFrame, rank_labels: Mapping[int, str] | None = None, label_limit: int = 10
) -> Figure:
    """Overall ratings over time: one dot per rated organisation at its publication date,
    best rating at the top, coloured by organisation type; hollow dots are ratings derived or
    inferred rather than read. Dots of one rating published close together are spread
    vertically; names are written beside the dots when there are at most `label_limit`.

    `rank_labels`: {rank: label} of the rating scale, so that every level is shown even when
    no organisation received it; without it, the labels as published are used.
    """
    fig, ax = _new_figure(4, width=9.5, minimum=4.2)
    labels = {int(k): str(v) for k, v in (rank_labels or {}).items()}
    for rank, group in overall.groupby("rating_rank", sort=True):
        if int(rank) not in labels:
            labels[int(rank)] = " / ".join(sorted(set(group["rating_label"].dropna())))
    rows = overall.assign(year=[_decimal_year(v) for v in overall["published"]])
    rows = rows.sort_values(["rating_rank", "year", "organisation"], kind="mergesort")
    offsets: list[float] = []
    for _, group in rows.groupby("rating_rank", sort=True):
        offsets += _swarm_offsets(list(group["year"]), gap=0.12)
    rows = rows.assign(y=rows["rating_rank"].astype(float).to_numpy() + offsets)
    reported = (
        rows["certainty"].eq("reported").fillna(True).astype(bool)
        if "certainty" in rows
        else pd.Series(True, index=rows.index)
    )
    for kind, group in rows.groupby("organisation_type", sort=True):
        colour = ORGANISATION_COLOURS.get(str(kind), "#777777")
        marker = ORGANISATION_MARKERS.get(str(kind), "o")
        read = reported[group.index]
        ax.scatter(
            group.loc[read, "year"],
            group.loc[read, "y"],
            s=55,
            marker=marker,
            color=colour,
            label=str(kind),
            zorder=3,
            edgecolor="white",
            linewidth=0.5,
        )
        if (~read).any():
            ax.scatter(
                group.loc[~read, "year"],
                group.loc[~read, "y"],
                s=55,
                marker=marker,
                facecolor="white",
                edgecolor=colour,
                linewidth=1.5,
                zorder=3,
            )
    if (~reported).any():
        ax.scatter(
            [],
            [],
            s=55,
            facecolor="white",
            edgecolor="#555555",
            linewidth=1.5,
            label="derived or inferred",
        )
    if len(rows) <= label_limit:
        for i, row in enumerate(rows.itertuples()):
            ax.annotate(
                _wrap(row.organisation_label, 30),
                (row.year, row.y),
                xytext=(7, 6 if i % 2 == 0 else -8),
                textcoords="offset points",
                va="bottom" if i % 2 == 0 else "top",
                fontsize=8,
            )
    ranks = sorted(labels)
    ax.set_yticks(ranks, [labels[r] for r in ranks])
    ax.set_ylim(max(ranks) + 0.5, min(ranks) - 0.5)
    ax.grid(axis="y", alpha=0.5)
    ax.set_xlabel("Publication of the inspection report (year)")
    ax.set_ylabel("Overall rating (best at top)")
    if len(rows):
        first, last = math.floor(rows["year"].min()), math.ceil(rows["year"].max())
        ax.set_xlim(first - 0.2, last + (0.8 if len(rows) <= label_limit else 0.2))
        ax.set_xticks(range(first, last + 1))
        ax.xaxis.set_major_formatter(matplotlib.ticker.FormatStrFormatter("%d"))
    ax.legend(title="Organisation", loc="upper left", bbox_to_anchor=(1.01, 1.0))
    fig.set_label(f"{len(overall)} overall ratings by the publication of their reports.")
    return fig


def caseload_figure(caseloads: pd.DataFrame) -> Figure:
    """Mean caseload per full-time equivalent by staff grade, with the lowest and highest
    caseloads stated as a line; one bar per inspection, organisation, grade and basis."""
    rows = caseloads[
        caseloads["unit"].eq("cases_per_fte").fillna(False).astype(bool)
        & caseloads["mean_caseload"].notna()
    ]
    fig, ax = _new_figure(len(rows), width=9)
    labels: list[str] = []
    seen: set[str] = set()
    for position, row in enumerate(rows.itertuples(index=False)):
        where = getattr(row, "area", None)
        where = row.inspection_id if _is_missing(where) else where
        basis = str(row.basis).replace("_", " ")
        labels.append(
            _wrap(f"{where}, {row.organisation_type}: {row.staff_grade_label} ({basis})", 55)
        )
        kind = str(row.organisation_type)
        colour = ORGANISATION_COLOURS.get(kind, "#777777")
        ax.barh(
            [position],
            [float(row.mean_caseload)],
            color=colour,
            height=0.6,
            alpha=0.9,
            hatch=ORGANISATION_HATCHES.get(kind, ""),
            edgecolor="white",
            linewidth=0,
            label=None if kind in seen else kind,
        )
        seen.add(kind)
        ax.annotate(
            f"{float(row.mean_caseload):.0f}",
            (float(row.mean_caseload), position),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
        )
        if not _is_missing(row.min_caseload) and not _is_missing(row.max_caseload):
            ax.plot(
                [row.min_caseload, row.max_caseload], [position, position], color="#333333", lw=1.5
            )
    ax.set_yticks(range(len(labels)), labels, fontsize=8.5)
    ax.set_ylim(len(labels) - 0.5, -0.5)
    ax.set_xlabel("Mean caseload (cases per full-time equivalent)")
    if len(rows):
        highest = rows[["mean_caseload", "max_caseload"]].astype(float).max().max()
        ax.set_xlim(0, float(highest) * 1.1)
    if seen:
        fig.legend(title="Organisation", loc="outside lower center", ncol=len(seen))
    fig.set_label(f"{len(rows)} mean caseloads per full-time equivalent.")
    return fig


def coverage_figure(groups: pd.DataFrame) -> Figure:
    """How much of each group is curated (from `reproduction.group_coverage`): the group's
    size as its sources state it as a hatched outline, its curated members as a solid bar
    inside it, and "N of M" written at the end of each."""
    fig, ax = _new_figure(len(groups), per_row=0.45)
    labels = []
    for position, row in enumerate(groups.itertuples(index=False)):
        labels.append(_wrap(row.population_label, 40))
        expected, curated = float(row.members_expected), float(row.members_curated)
        ax.barh(
            [position],
            [expected],
            height=0.66,
            facecolor="white",
            edgecolor="#555555",
            hatch="///",
            linewidth=1,
            label="members the sources state" if position == 0 else None,
        )
        ax.barh(
            [position],
            [curated],
            height=0.66,
            color=NEUTRAL_COLOUR,
            label="curated here" if position == 0 else None,
        )
        ax.annotate(
            f"{curated:.0f} of {expected:.0f}",
            (max(expected, curated), position),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=8.5,
        )
    most = float(groups["members_expected"].max()) if len(groups) else 1.0
    ax.set_xlim(0, most * 1.18)
    ax.set_yticks(range(len(labels)), labels)
    ax.set_ylim(len(labels) - 0.5, -0.5)
    ax.grid(axis="y", visible=False)
    ax.set_xlabel("Services or areas (count)")
    fig.legend(loc="outside lower center", ncol=2)
    fig.set_label(f"How many members of each of {len(labels)} groups are curated.")
    return fig


# Findings in words: the titles of the figures -------------------------------------------------


def period_words(dates) -> str:
    """The years of a set of dates: '2017', '2017 to 2024' (empty when there are none)."""
    years = sorted({str(d)[:4] for d in dates if not _is_missing(d)})
    if not years:
        return ""
    return years[0] if years[0] == years[-1] else f"{years[0]} to {years[-1]}"


def coverage_finding(groups: pd.DataFrame) -> str:
    """'3 of 10 groups are curated in full' (or 'Every group ...')."""
    full = int((groups["members_curated"] >= groups["members_expected"]).sum())
    if full == len(groups):
        return f"Every one of the {len(groups)} groups is curated in full"
    verb = "is" if len(groups) == 1 else "are"
    return f"{full} of {len(groups)} groups {verb} curated in full"


def ratings_finding(overall: pd.DataFrame, rating_labels: Mapping[str, str]) -> str:
    """'Requires improvement was the most common overall rating: 5 of 8 services'."""
    counts = overall["rating"].value_counts()
    if counts.empty:
        return "No overall rating is curated"
    top = sorted(counts[counts == counts.max()].index, key=str)
    names = [rating_labels.get(r, str(r)) for r in top]
    said = names[0] if len(names) == 1 else " and ".join([", ".join(names[:-1]), names[-1]])
    verb = "was" if len(names) == 1 else "were"
    each = " each" if len(names) > 1 else ""
    return (
        f"{said} {verb} the most common overall rating: {int(counts.max())} of "
        f"{len(overall)} rated services{each}"
    )


def caseload_finding(rows: pd.DataFrame) -> str:
    """'Mean caseloads ranged from 38 to 58 cases per full-time equivalent'."""
    means = rows["mean_caseload"].dropna().astype(float)
    if means.empty:
        return "No mean caseload is curated"
    if len(means) == 1 or means.min() == means.max():
        return f"The mean caseload was {means.iloc[0]:.0f} cases per full-time equivalent"
    return (
        f"Mean caseloads ranged from {means.min():.0f} to {means.max():.0f} cases per "
        "full-time equivalent"
    )


def need_finding(aligned: pd.DataFrame) -> str:
    """'The CRC's percentage was higher than the NPS's for 5 of the 7 needs both list'."""
    both = aligned[aligned["percent_crc"].notna() & aligned["percent_nps"].notna()]
    if both.empty:
        return "No need is listed by both the CRC and the NPS"
    difference = both["percent_crc"].astype(float) - both["percent_nps"].astype(float)
    higher, lower = int((difference > 0).sum()), int((difference < 0).sum())
    return (
        f"The CRC's percentage was higher than the NPS's for {higher} of the {len(both)} "
        f"needs both list, lower for {lower}"
    )


def range_finding(ranges: pd.DataFrame, highlight_label: str | None) -> str:
    """'Staffordshire scored within the published range in 3 of 3 domains'."""
    rows = ranges.dropna(subset=["highlight_value", "published_lowest", "published_highest"])
    name = highlight_label or "The highlighted area"
    if rows.empty:
        return f"No score of {name} can be placed in a published range"
    value = rows["highlight_value"].astype(float)
    within = int(
        (
            (value >= rows["published_lowest"].astype(float))
            & (value <= rows["published_highest"].astype(float))
        ).sum()
    )
    above = int((value > rows["published_average"].astype(float)).sum())
    return (
        f"{name} scored within the published range in {within} of {len(rows)} domains, "
        f"above the published average in {above}"
    )


def judgement_finding(judgements: pd.DataFrame) -> str:
    """Whether more judgements describe work that was sufficient or work that was not:
    'More judgements describe work that was not sufficient than work that was (4 against 3)'."""
    directions = judgements["direction"].value_counts()
    good, short = int(directions.get("sufficient", 0)), int(directions.get("insufficient", 0))
    if good == short == 0:
        return f"{len(judgements)} judgements describe shares with a characteristic"
    if short > good:
        return (
            "More judgements describe work that was not sufficient than work that was "
            f"({short} against {good})"
        )
    if good > short:
        return (
            "More judgements describe work that was sufficient than work that was not "
            f"({good} against {short})"
        )
    return f"As many judgements describe sufficient work as work that was not ({good} each)"


def headline_share_figure(shares: pd.DataFrame) -> Figure:
    """Headline case-sample shares side by side (`pdu_comparison.headline_shares`): one panel
    per finding, one dot per PDU, region or national inspection, coloured by direction, with
    its Wilson interval as a line where the sample size is known (a dot alone where not)."""
    groups = list(shares.groupby("aspect", sort=False))
    fig, axes = _panels(groups, width=9, per_row=0.3, per_panel=0.5)
    for ax, (aspect, group) in zip(axes[:, 0], groups, strict=False):
        labels = []
        for position, row in enumerate(group.itertuples(index=False)):
            year = str(row.published)[:4]
            labels.append(_wrap(f"{row.organisation_label} ({year})", 45))
            colour = DIRECTION_COLOURS.get(row.direction, "#777777")
            if not _is_missing(row.interval_low) and not _is_missing(row.interval_high):
                ax.plot(
                    [float(row.interval_low), float(row.interval_high)],
                    [position, position],
                    color=colour,
                    lw=2,
                    alpha=0.6,
                )
            if not _is_missing(row.percent):
                ax.scatter(
                    [float(row.percent)],
                    [position],
                    color=colour,
                    s=32,
                    zorder=3,
                    marker=DIRECTION_MARKERS.get(row.direction, "o"),
                )
        ax.set_yticks(range(len(labels)), labels, fontsize=8)
        ax.set_ylim(len(labels) - 0.5, -0.5)
        ax.set_title(_wrap(aspect, 90), fontsize=10)
        ax.axvline(50, color="#999999", lw=0.8, ls="--")
        ax.set_xlim(0, 100)
    axes[-1, 0].set_xlabel(
        "Share of the cases inspected (%); green circles: work done well, orange crosses: "
        "work falling short; lines: 95% Wilson interval"
    )
    fig.set_label(f"{len(shares)} headline case-sample shares in {len(groups)} findings.")
    return fig
