"""The plan: targets, counting rules and vocabularies, declared as data."""
