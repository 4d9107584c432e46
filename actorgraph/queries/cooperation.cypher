// name: cooperation
// question: In which fields do two countries cooperate, trade or invest, according to the text?
// param: a (actor) e.g. Kazakhstan
// param: b (actor) e.g. Uzbekistan
// param: modality (modality, optional) e.g. all
MATCH (x:{{a_kind}})-[r:COOPERATES_WITH|TRADES_WITH|INVESTED_IN]-(y:{{b_kind}})
WHERE x.id = $a AND y.id = $b AND ($modality = 'all' OR coalesce(r.modality, 'stated') = $modality)
RETURN type(r) AS relation, r.domain AS domain, coalesce(r.modality, 'stated') AS modality,
       coalesce(r.start, r.date) AS since, r.count AS count, [t IN [r.note, 'caveat: ' + r.caveat] WHERE t IS NOT NULL] AS notes, r.evidence AS evidence,
       r.line AS line, r.source AS source, r.id AS _id
ORDER BY relation, domain, modality, _id
