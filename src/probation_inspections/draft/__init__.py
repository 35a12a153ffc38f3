"""Drafts of curated folders from an inspection report (PDF, HTML or text), for review.

`probation-inspections draft SOURCE --id ID` reads one document, runs the recognisers over it
and writes `data/drafts/<id>/`: inspection.yaml, the tables found (every row with a locator and
certainty `drafted`) and review.html. `probation-inspections accept ID` moves a reviewed draft
into `data/inspections/<id>/` once no row is `drafted` and the folder validates. Nothing else
reads `data/drafts/`: validation and the build see curated folders only.
"""
