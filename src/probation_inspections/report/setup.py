"""A report's set-up: the figure theme and the stylesheet of its tables and notes."""

from __future__ import annotations

import seaborn as sns
from IPython.display import HTML

from .figures import DPI, PALETTE

CSS = """
.pi-figure, .pi-table, .pi-note, .pi-details {max-width: 62rem; margin: 1rem 0 1.5rem 0;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; line-height: 1.4;}
.pi-figure img {max-width: 100%; height: auto; display: block;}
.pi-figure figcaption, .pi-table caption {font-size: 0.92rem; color: #222; text-align: left;
  caption-side: top; padding-bottom: 0.4rem;}
.pi-title {display: block; font-weight: 600; font-size: 1rem; margin-bottom: 0.2rem;}
.pi-sources {display: block; font-size: 0.85rem; color: #444; margin-top: 0.3rem;}
.pi-table {overflow-x: auto;}
.pi-table table {border-collapse: collapse; font-size: 0.9rem;}
.pi-table th, .pi-table td {padding: 0.3rem 0.45rem; border-bottom: 1px solid #ddd;
  text-align: left; vertical-align: top;}
.pi-table thead th {border-bottom: 2px solid #555;}
.pi-table .pi-num {text-align: right; font-variant-numeric: tabular-nums;}
.pi-table td.pi-num {white-space: nowrap;}
.pi-table a, .pi-figure a, .pi-details a {overflow-wrap: anywhere;}
.pi-note {border-left: 4px solid #0072B2; background: #f2f7fb; padding: 0.5rem 0.9rem;}
.pi-note.pi-caution {border-left-color: #D55E00; background: #fdf2ea;}
.pi-note.pi-missing {border-left-color: #999; background: #f5f5f5; color: #333;}
.pi-details dt {font-weight: 600; margin-top: 0.4rem;}
.pi-details dd {margin-left: 1.2rem;}
""".strip()


def use_theme() -> None:
    """Set the one seaborn theme and palette of the reports (call once per notebook)."""
    sns.set_theme(context="notebook", style="whitegrid", palette=list(PALETTE), rc={
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
    })


def stylesheet() -> HTML:
    """The reports' CSS, to display once at the top of a notebook."""
    return HTML(f"<style>{CSS}</style>")
