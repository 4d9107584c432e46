// name: events_of
// question: Which events did an actor take part in, host or propose?
// param: actor (actor) e.g. Mirziyoyev
// param: modality (modality, optional) e.g. all
MATCH (a:{{actor_kind}})-[r:PARTICIPATED_IN|PROPOSED]->(e:Event)
WHERE a.id = $actor AND ($modality = 'all' OR coalesce(r.modality, 'stated') = $modality)
RETURN coalesce(e.date, e.start) AS date, e.name AS event, type(r) AS relation, r.role AS role,
       coalesce(r.modality, 'stated') AS modality, [t IN [r.note, 'caveat: ' + r.caveat, 'caveat: ' + e.caveat] WHERE t IS NOT NULL] AS notes,
       r.evidence AS evidence, r.line AS line, r.source AS source, r.id AS _id
ORDER BY date, event, _id
