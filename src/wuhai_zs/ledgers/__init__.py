"""Reading ledgers as they really arrive: sources, headers, values, row locations."""
