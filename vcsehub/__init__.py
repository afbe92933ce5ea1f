"""VCSE Hub: open data and impact tools for the UK voluntary and community sector."""
