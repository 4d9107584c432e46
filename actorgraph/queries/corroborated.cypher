// name: corroborated
// question: Which facts do several sources state? Relationships by number of sources, with each source's line and evidence.
// param: min_sources (int, optional) e.g. 1
// param: limit (int, optional) e.g. 20
// param: modality (modality, optional) e.g. all
// stored: corroboration
// note: One row per from/relation/to; `source_count` counts distinct sources; `sources`, `lines` and `evidence`
// note: are parallel lists, one entry per assertion (a second source's copy of a fact carries its own `key`).
// note: Only the nodes whose facts can be in the answer are visited (counting every fact read every relationship:
// note: 91-197 ms on the data sets graph). Builds store on each node (graph/corroboration.py) the most sources
// note: any of its facts has (kept from 2 up) and the modalities in which it starts a single-source fact. The
// note: start nodes are then: those with enough sources, and for single-source facts the first `limit` nodes by
// note: name listing the asked modality, with every node named as the last of them, or all if that one has no
// note: name (each adds at least one such fact, and facts sort by their start's name, missing names last).
// note: Sources are counted from those nodes' relationships.
// note: Graphs streamed from one JSON Lines path are not counted (for their build's speed), nor stores made by
// note: neo4j-admin before `schema --apply`: there the second form counts every fact, and answers the same.
{{#corroboration}}
OPTIONAL MATCH (w)
WHERE coalesce($min_sources, 1) = 1 AND $modality IN w.actorgraph_single
WITH w
ORDER BY w.name, w.id
LIMIT {{limit}}
WITH collect(w) AS firsts
WITH firsts[size(firsts) - 1].name AS cutoff, size(firsts) AS found
OPTIONAL MATCH (w)
WHERE coalesce($min_sources, 1) < 1
   OR (found > 0 AND $modality IN w.actorgraph_single AND (found < {{limit}} OR cutoff IS NULL OR w.name <= cutoff))
WITH collect(w) AS single
OPTIONAL MATCH (s)
WHERE s.actorgraph_sources >= coalesce($min_sources, 1)
WITH single, collect(s) AS several
UNWIND single + several AS a
WITH DISTINCT a
MATCH (a)-[r]->(b)
WHERE type(r) <> 'MENTIONED_IN' AND ($modality = 'all' OR coalesce(r.modality, 'stated') = $modality)
WITH a, type(r) AS relation, b, count(DISTINCT r.source) AS source_count
WHERE source_count >= coalesce($min_sources, 1)
WITH a, relation, b, source_count
ORDER BY source_count DESC, a.name, relation, b.name, a.id, b.id
LIMIT {{limit}}
{{/corroboration}}
{{^corroboration}}
MATCH (a)-[r]->(b)
WHERE type(r) <> 'MENTIONED_IN' AND ($modality = 'all' OR coalesce(r.modality, 'stated') = $modality)
WITH a, type(r) AS relation, b, count(DISTINCT r.source) AS source_count
WHERE source_count >= coalesce($min_sources, 1)
WITH a, relation, b, source_count
ORDER BY source_count DESC, a.name, relation, b.name, a.id, b.id
LIMIT {{limit}}
{{/corroboration}}
MATCH (a)-[r]->(b)
WHERE type(r) = relation AND ($modality = 'all' OR coalesce(r.modality, 'stated') = $modality)
WITH a, relation, b, source_count, r
ORDER BY r.source, r.line, r.id
WITH a, relation, b, source_count, collect(r.source) AS sources, collect(r.line) AS lines, collect(r.evidence) AS evidence
RETURN a.name AS from, relation, b.name AS to, source_count, sources, lines, evidence, a.id AS _from, b.id AS _to
ORDER BY source_count DESC, from, relation, to, _from, _to
