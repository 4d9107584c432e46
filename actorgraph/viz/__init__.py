"""pyvis maps (offline, escaped), networkx analytics, and GraphML/GEXF/CSV exports."""
