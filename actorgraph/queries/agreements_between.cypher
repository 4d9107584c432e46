// name: agreements_between
// question: Which agreements are two countries both party to, when, and at which event were they adopted?
// param: a (actor) e.g. Kazakhstan
// param: b (actor) e.g. Uzbekistan
// param: modality (modality, optional) e.g. all
MATCH (x:{{a_kind}})-[ra:PARTY_TO]->(g:Agreement)<-[rb:PARTY_TO]-(y:{{b_kind}})
WHERE x.id = $a AND y.id = $b AND ($modality = 'all' OR coalesce(ra.modality, 'stated') = $modality) AND ($modality = 'all' OR coalesce(rb.modality, 'stated') = $modality)
OPTIONAL MATCH (g)-[:ADOPTED_AT]->(e:Event)
RETURN g.name AS agreement, g.kind AS kind, coalesce(g.date, g.start) AS date, e.name AS adopted_at,
       [coalesce(ra.modality, 'stated'), coalesce(rb.modality, 'stated')] AS modality, [t IN [g.note, 'caveat: ' + g.caveat] WHERE t IS NOT NULL] AS notes,
       g.evidence AS evidence, g.line AS line, [ra.source, rb.source] AS party_sources, g.id AS _id, e.id AS _event
ORDER BY date, agreement, _id, adopted_at, _event
