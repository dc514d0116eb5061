"""Everything that draws output: rich tables on the terminal, JSON, GitHub annotations, Excel."""
