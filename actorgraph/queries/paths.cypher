// name: paths
// question: How are two actors connected? The shortest chains of stated relationships, each hop with its source and evidence.
// param: a (actor) e.g. Kazakhstan
// param: b (actor) e.g. Shanghai Cooperation Organisation
// param: max_hops (hops, optional) e.g. 3
// param: modality (modality, optional) e.g. all
// ordered: route, evidence, notes
// note: FalkorDB has no undirected shortestPath, so this is a bounded variable-length match ordered by length;
// note: {{hops}} is a validated integer 1..4 and {{stated}} the schema's types except MENTIONED_IN.
// note: paths of one length are ordered by their node ids, then relationship ids, before LIMIT: both engines
// note: return the same ten paths in the same order.
MATCH p = (x:{{a_kind}})-[:{{stated}}*1..{{hops}}]-(y:{{b_kind}})
WHERE x.id = $a AND y.id = $b
  AND all(r IN relationships(p) WHERE ($modality = 'all' OR coalesce(r.modality, 'stated') = $modality))
WITH p, length(p) AS hops, [n IN nodes(p) | n.id] AS node_ids, [r IN relationships(p) | r.id] AS rel_ids
ORDER BY hops, node_ids, rel_ids
LIMIT 10
RETURN hops, [n IN nodes(p) | n.name] AS route,
       [r IN relationships(p) | type(r) + ' (line ' + toString(r.line) + ' of ' + r.source + ', '
         + coalesce(r.modality, 'stated') + '): ' + r.evidence] AS evidence,
       [r IN relationships(p) WHERE r.note IS NOT NULL OR r.caveat IS NOT NULL
         | type(r) + ': ' + coalesce(r.note, '') + coalesce(' caveat: ' + r.caveat, '')] AS notes
