"""Validation rules: the catalogue of codes and the vectorised checks behind them."""
