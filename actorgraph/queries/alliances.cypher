// name: alliances
// question: Which alliance obligations join two countries, and over which years?
// param: a (actor) e.g. Kazakhstan
// param: b (actor) e.g. Uzbekistan
MATCH (x:{{a_kind}})-[r:ALLIED_WITH]-(y:{{b_kind}})
WHERE x.id = $a AND y.id = $b
RETURN startNode(r).name AS from, endNode(r).name AS to, r.obligation AS obligation, r.periods AS periods,
       r.source AS source, r.evidence AS evidence, r.line AS line, r.id AS _id
ORDER BY from, obligation, _id
