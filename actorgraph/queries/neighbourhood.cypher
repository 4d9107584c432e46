// name: neighbourhood
// question: Which nodes lie within N steps of an actor (stated relationships only, unless asked)?
// param: actor (actor) e.g. Tashkent
// param: hops (hops, optional) e.g. 2
// param: modality (modality, optional) e.g. all
// note: {{hops}} is a validated integer 1..4, spliced because variable-length bounds cannot be parameters.
MATCH p = (a:{{actor_kind}})-[:{{stated}}*1..{{hops}}]-(b)
WHERE a.id = $actor AND b.id <> $actor
  AND all(r IN relationships(p) WHERE ($modality = 'all' OR coalesce(r.modality, 'stated') = $modality))
RETURN b.id AS id, b.name AS name, min(length(p)) AS distance
ORDER BY distance, name, id
