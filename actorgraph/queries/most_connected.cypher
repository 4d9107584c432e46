// name: most_connected
// question: Which actors have the most stated relationships?
// param: limit (int, optional) e.g. 10
// note: A whole-graph count, so each engine gets the form it runs fastest (same rows on both; tests compare them).
// note: Neo4j reads degrees from its node records (COUNT {} becomes getDegree); FalkorDB has no COUNT {} and its
// note: outdegree() is slower than traversing, so it counts outgoing edges and adds indegree(). An actor's incoming
// note: edges are never MENTIONED_IN (the schema ends those at a Source); actors with no outgoing edge come from
// note: the second branch, and max() keeps the full count of those that have one.
// note: count(r), never count(*): FalkorDB 4.16 answers count(*) over (n)-[r]->() from the adjacency matrix,
// note: counting neighbours, not relationships (parallel relationships between two actors are dropped).
{{#neo4j}}
MATCH (n:Actor)
WITH n, COUNT { (n)--() } - COUNT { (n)-[:MENTIONED_IN]-() } AS relationships
WHERE relationships > 0
{{/neo4j}}
{{#embedded}}
CALL {
  MATCH (n:Actor)-[r]->()
  WHERE type(r) <> 'MENTIONED_IN'
  WITH n, count(r) AS out
  RETURN n, out + indegree(n) AS relationships
  UNION ALL
  MATCH (n:Actor)
  WHERE indegree(n) > 0
  RETURN n, indegree(n) AS relationships
}
WITH n, max(relationships) AS relationships
{{/embedded}}
WITH n, relationships
ORDER BY relationships DESC, n.name
LIMIT {{limit}}
RETURN n.name AS actor, n.id AS id, relationships
