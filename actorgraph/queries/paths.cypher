// name: paths
// question: How are two actors connected? The shortest chains of stated relationships, each hop with its evidence.
// param: a (actor) e.g. Kazakhstan
// param: b (actor) e.g. Shanghai Cooperation Organisation
// param: max_hops (hops, optional) e.g. 3
// ordered: route, evidence
// note: FalkorDB has no undirected shortestPath, so this is a bounded variable-length match ordered by length;
// note: {{hops}} is a validated integer 1..4 and {{stated}} the schema's types except MENTIONED_IN.
MATCH p = (x:{{a_kind}})-[:{{stated}}*1..{{hops}}]-(y:{{b_kind}})
WHERE x.id = $a AND y.id = $b
WITH p, length(p) AS hops
ORDER BY hops
LIMIT 10
RETURN hops, [n IN nodes(p) | n.name] AS route,
       [r IN relationships(p) | type(r) + ' (line ' + toString(r.line) + '): ' + r.evidence] AS evidence
