// name: cooperation
// question: In which fields do two countries cooperate, trade or invest, according to the text?
// param: a (actor) e.g. Kazakhstan
// param: b (actor) e.g. Uzbekistan
MATCH (x:{{a_kind}})-[r:COOPERATES_WITH|TRADES_WITH|INVESTED_IN]-(y:{{b_kind}})
WHERE x.id = $a AND y.id = $b
RETURN type(r) AS relation, r.domain AS domain, coalesce(r.start, r.date) AS since, r.count AS count,
       r.note AS note, r.evidence AS evidence, r.line AS line
ORDER BY relation, domain
