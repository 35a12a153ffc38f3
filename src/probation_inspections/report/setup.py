"""A report's set-up: the figure theme, and the site's stylesheet for Jupyter."""

from __future__ import annotations

import seaborn as sns
from IPython.display import HTML

from .figures import DPI, PALETTE


def use_theme() -> None:
    """Set the one seaborn theme and palette of the reports (call once per notebook)."""
    sns.set_theme(
        context="notebook",
        style="whitegrid",
        palette=list(PALETTE),
        rc={
            "figure.dpi": DPI,
            "savefig.dpi": DPI,
            "font.family": "DejaVu Sans",
            "axes.titlesize": 12,
            "axes.titleweight": "bold",
            "axes.titlelocation": "left",
            "axes.labelsize": 10.5,
            "xtick.labelsize": 9.5,
            "ytick.labelsize": 9.5,
            "legend.fontsize": 9.5,
            "legend.frameon": False,
            "svg.hashsalt": "probation-inspections",
            # Curated text is drawn as written: "$5m to $3m" is never read as mathematics.
            "text.parse_math": False,
        },
    )


def stylesheet() -> HTML:
    """The site's one stylesheet, to display once at the top of a notebook for Jupyter; pages
    leave this display out, since the page shell carries the same stylesheet."""
    from .shell import NOTEBOOK_ONLY, stylesheet_text

    return HTML(f"<style>{stylesheet_text()}</style>", metadata={NOTEBOOK_ONLY: True})
