// name: co_participants
// question: Which actors took part in the same events as this one?
// param: actor (actor) e.g. Kazakhstan
// param: modality (modality, optional) e.g. all
MATCH (a:{{actor_kind}})-[ra:PARTICIPATED_IN]->(e:Event)<-[rb:PARTICIPATED_IN]-(b)
WHERE a.id = $actor AND b.id <> $actor AND ($modality = 'all' OR coalesce(ra.modality, 'stated') = $modality) AND ($modality = 'all' OR coalesce(rb.modality, 'stated') = $modality)
RETURN b.name AS actor, count(DISTINCT e) AS shared_events, collect(DISTINCT e.name) AS events, b.id AS _id
ORDER BY shared_events DESC, actor, _id
