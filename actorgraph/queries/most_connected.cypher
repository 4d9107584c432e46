// name: most_connected
// question: Which actors have the most stated relationships?
// note: every relationship counts here, whatever its modality (a degree, read as the engine stores it).
// param: limit (int, optional) e.g. 10
// note: A whole-graph count, so each engine gets the form it runs fastest (same rows on both; tests compare them).
// note: Neo4j reads degrees from its node records (COUNT {} becomes getDegree); FalkorDB has no COUNT {}, so it
// note: counts outgoing and incoming edges by traversing and adds them up. An actor's incoming edges are never
// note: MENTIONED_IN (the schema ends those at a Source). Not indegree(): on a graph the server has loaded from its
// note: snapshot (every command after the build) indegree() took 1.4 s of a 100k graph's 4-5 s answer, against
// note: 0.5-0.7 s for this form (20-40x slower than on the freshly built graph; bench/RESULTS.md).
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
  RETURN n, count(r) AS relationships
  UNION ALL
  MATCH (n:Actor)<-[r]-()
  RETURN n, count(r) AS relationships
}
WITH n, toInteger(sum(relationships)) AS relationships
{{/embedded}}
WITH n, relationships
ORDER BY relationships DESC, n.name, n.id
LIMIT {{limit}}
RETURN n.name AS actor, n.id AS id, relationships
