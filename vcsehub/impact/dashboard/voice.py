"""Who the figures' sentences speak as.

The dashboard is read by the organisation's own staff, so it says "you supported"; the
report is sent by the organisation to its funder, so it says "we supported". Text
functions take `voice=YOU` (the default, as before) or `voice=WE`, and each figure keeps
both: `summary` for the dashboard, `summary_report` for the report.
"""

YOU = "you"
WE = "we"
