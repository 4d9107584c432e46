// name: neighbourhood
// question: Which nodes lie within N steps of an actor (stated relationships only)?
// param: actor (actor) e.g. Tashkent
// param: hops (hops, optional) e.g. 2
// note: {{hops}} is a validated integer 1..4, spliced because variable-length bounds cannot be parameters.
MATCH p = (a:{{actor_kind}})-[:{{stated}}*1..{{hops}}]-(b)
WHERE a.id = $actor AND b.id <> $actor
RETURN b.id AS id, b.name AS name, min(length(p)) AS distance
ORDER BY distance, name
