// name: co_participants
// question: Which actors took part in the same events as this one?
// param: actor (actor) e.g. Kazakhstan
MATCH (a:{{actor_kind}})-[:PARTICIPATED_IN]->(e:Event)<-[:PARTICIPATED_IN]-(b)
WHERE a.id = $actor AND b.id <> $actor
RETURN b.name AS actor, count(DISTINCT e) AS shared_events, collect(DISTINCT e.name) AS events
ORDER BY shared_events DESC, actor
