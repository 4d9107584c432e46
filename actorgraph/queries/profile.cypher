// name: profile
// question: What do the sources say about this actor? Every relationship, in both directions, with its evidence.
// param: actor (actor) e.g. Mirziyoyev
// param: modality (modality, optional) e.g. all
MATCH (a:{{actor_kind}})-[r]-(b)
WHERE a.id = $actor AND type(r) <> 'MENTIONED_IN' AND ($modality = 'all' OR coalesce(r.modality, 'stated') = $modality)
RETURN CASE WHEN startNode(r) = a THEN 'out' ELSE 'in' END AS direction,
       type(r) AS relation, b.name AS other, b.id AS other_id, r.role AS role,
       coalesce(r.date, r.start) AS date, r.source AS source, coalesce(r.modality, 'stated') AS modality,
       [t IN [r.note, 'caveat: ' + r.caveat] WHERE t IS NOT NULL] AS notes, r.evidence AS evidence, r.line AS line,
       r.id AS _id
ORDER BY relation, direction, other, source, line, _id
