// name: most_connected
// question: Which actors have the most stated relationships?
// param: limit (int, optional) e.g. 10
MATCH (n:Actor)-[r]-()
WHERE type(r) <> 'MENTIONED_IN'
RETURN n.name AS actor, n.id AS id, count(r) AS relationships
ORDER BY relationships DESC, actor
LIMIT {{limit}}
