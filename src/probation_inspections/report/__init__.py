"""The report stage: what notebooks use to show the analyses (words, figures, HTML, set-up)."""
