"""The build stage: plan the reports, run their notebooks in warm kernels, write the site.

`build()` (build/pipeline.py) is the one entry point; the CLI's `build` command and `make reports`
call it.
"""

from .pipeline import build

__all__ = ["build"]
