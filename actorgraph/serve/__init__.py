"""`actorgraph serve`: a local, read-only web explorer of the graph (search, node pages, sources, questions)."""
