// name: mentions
// question: On which lines of the source is an actor mentioned?
// param: actor (actor) e.g. Tolipov
MATCH (n:{{actor_kind}})-[r:MENTIONED_IN]->(s:Source)
WHERE n.id = $actor
RETURN s.name AS source, r.lines AS lines, size(r.lines) AS mentions, s.id AS _id
ORDER BY source, _id
