// name: most_connected
// question: Which actors have the most stated relationships?
// note: every relationship counts here, whatever its modality (a degree, read as the engine stores it).
// param: limit (int, optional) e.g. 10
// note: Each engine reads degrees it keeps (same rows on both; tests compare them with the plain count).
// note: Neo4j keeps them in its node records (COUNT {} becomes getDegree). FalkorDB has no such shortcut: the
// note: embedded engine counts every actor's relationships when the graph is built, and again after a write
// note: that adds or deletes any (graph/degrees.py), and stores the count as actorgraph_degree, so this is a
// note: sort of one property (counting at query time took 0.46-0.83 s at 100k; bench/RESULTS.md).
{{#neo4j}}
MATCH (n:Actor)
WITH n, COUNT { (n)--() } - COUNT { (n)-[:MENTIONED_IN]-() } AS relationships
WHERE relationships > 0
{{/neo4j}}
{{#embedded}}
MATCH (n:Actor)
WHERE n.actorgraph_degree > 0
WITH n, n.actorgraph_degree AS relationships
{{/embedded}}
WITH n, relationships
ORDER BY relationships DESC, n.name, n.id
LIMIT {{limit}}
RETURN n.name AS actor, n.id AS id, relationships
