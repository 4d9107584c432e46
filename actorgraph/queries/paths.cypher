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
// note: On Neo4j the search meets in the middle: paths of up to ceil(hops/2) from `a` and up to floor(hops/2)
// note: from `b`, hash-joined on the node where they meet; one MATCH, so no relationship is used twice in a path;
// note: each path is found once, split where the half from `a` is as long as the other or one longer. From
// note: Kazakhstan, whose alliances (ATOP) fill its neighbourhood, one walk of 2 hops read 108k db hits.
{{#embedded}}
MATCH p = (x:{{a_kind}})-[:{{stated}}*1..{{hops}}]-(y:{{b_kind}})
WHERE x.id = $a AND y.id = $b
  AND all(r IN relationships(p) WHERE ($modality = 'all' OR coalesce(r.modality, 'stated') = $modality))
WITH length(p) AS hops, nodes(p) AS path_nodes, relationships(p) AS path_rels
{{/embedded}}
{{#neo4j}}
MATCH near = (x:{{a_kind}})-[:{{stated}}*1..{{hops_from_a}}]-(m), far = (y:{{b_kind}})-[:{{stated}}*0..{{hops_from_b}}]-(m)
USING JOIN ON m
WHERE x.id = $a AND y.id = $b AND length(near) - length(far) IN [0, 1]
  AND all(r IN relationships(near) WHERE ($modality = 'all' OR coalesce(r.modality, 'stated') = $modality))
  AND all(r IN relationships(far) WHERE ($modality = 'all' OR coalesce(r.modality, 'stated') = $modality))
WITH length(near) + length(far) AS hops, nodes(near) + reverse(nodes(far))[1..] AS path_nodes,
     relationships(near) + reverse(relationships(far)) AS path_rels
{{/neo4j}}
WITH hops, path_nodes, path_rels, [n IN path_nodes | n.id] AS node_ids, [r IN path_rels | r.id] AS rel_ids
ORDER BY hops, node_ids, rel_ids
LIMIT 10
RETURN hops, [n IN path_nodes | n.name] AS route,
       [r IN path_rels | type(r) + ' (line ' + toString(r.line) + ' of ' + r.source + ', '
         + coalesce(r.modality, 'stated') + '): ' + r.evidence] AS evidence,
       [r IN path_rels WHERE r.note IS NOT NULL OR r.caveat IS NOT NULL
         | type(r) + ': ' + coalesce(r.note, '') + coalesce(' caveat: ' + r.caveat, '')] AS notes
