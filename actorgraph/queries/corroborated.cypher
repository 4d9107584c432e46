// name: corroborated
// question: Which facts do several sources state? Relationships by number of sources, with each source's line and evidence.
// param: min_sources (int, optional) e.g. 1
// param: limit (int, optional) e.g. 20
// param: modality (modality, optional) e.g. all
// note: One row per from/relation/to; `source_count` counts distinct sources; `sources`, `lines` and `evidence`
// note: are parallel lists, one entry per assertion (a second source's copy of a fact carries its own `key`).
// note: Counts first, evidence after: only the `limit` facts kept are read again for their sources' lines and
// note: evidence (sorting and collecting every relationship's took 160 ms of 210 on the data sets graph).
MATCH (a)-[r]->(b)
WHERE type(r) <> 'MENTIONED_IN' AND ($modality = 'all' OR coalesce(r.modality, 'stated') = $modality)
WITH a, type(r) AS relation, b, count(DISTINCT r.source) AS source_count
WHERE source_count >= coalesce($min_sources, 1)
WITH a, relation, b, source_count
ORDER BY source_count DESC, a.name, relation, b.name, a.id, b.id
LIMIT {{limit}}
MATCH (a)-[r]->(b)
WHERE type(r) = relation AND ($modality = 'all' OR coalesce(r.modality, 'stated') = $modality)
WITH a, relation, b, source_count, r
ORDER BY r.source, r.line, r.id
WITH a, relation, b, source_count, collect(r.source) AS sources, collect(r.line) AS lines, collect(r.evidence) AS evidence
RETURN a.name AS from, relation, b.name AS to, source_count, sources, lines, evidence, a.id AS _from, b.id AS _to
ORDER BY source_count DESC, from, relation, to, _from, _to
