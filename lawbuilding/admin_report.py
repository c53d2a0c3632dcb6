"""Admin for the annual rule-of-law report and its workflow."""
