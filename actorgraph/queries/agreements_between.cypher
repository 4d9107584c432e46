// name: agreements_between
// question: Which agreements are two countries both party to, when, and at which event were they adopted?
// param: a (actor) e.g. Kazakhstan
// param: b (actor) e.g. Uzbekistan
MATCH (x:{{a_kind}})-[:PARTY_TO]->(g:Agreement)<-[:PARTY_TO]-(y:{{b_kind}})
WHERE x.id = $a AND y.id = $b
OPTIONAL MATCH (g)-[:ADOPTED_AT]->(e:Event)
RETURN g.name AS agreement, g.kind AS kind, coalesce(g.date, g.start) AS date, e.name AS adopted_at,
       g.evidence AS evidence, g.line AS line
ORDER BY date, agreement
