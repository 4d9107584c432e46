// name: events_of
// question: Which events did an actor take part in, host or propose?
// param: actor (actor) e.g. Mirziyoyev
MATCH (a:{{actor_kind}})-[r:PARTICIPATED_IN|PROPOSED]->(e:Event)
WHERE a.id = $actor
RETURN coalesce(e.date, e.start) AS date, e.name AS event, type(r) AS relation, r.role AS role,
       r.evidence AS evidence, r.line AS line
ORDER BY date, event
