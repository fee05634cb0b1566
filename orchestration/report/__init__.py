"""The static HTML funnel report, built from the serving file after each green build."""
