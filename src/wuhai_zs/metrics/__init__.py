"""Figures computed from checked ledgers: targets, pipeline, districts, dispatch."""
