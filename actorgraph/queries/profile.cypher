// name: profile
// question: What do the sources say about this actor? Every relationship, in both directions, with its evidence.
// param: actor (actor) e.g. Mirziyoyev
MATCH (a:{{actor_kind}})-[r]-(b)
WHERE a.id = $actor AND type(r) <> 'MENTIONED_IN'
RETURN CASE WHEN startNode(r) = a THEN 'out' ELSE 'in' END AS direction,
       type(r) AS relation, b.name AS other, b.id AS other_id, r.role AS role,
       coalesce(r.date, r.start) AS date, r.source AS source, r.evidence AS evidence, r.line AS line
ORDER BY relation, direction, other, source, line
