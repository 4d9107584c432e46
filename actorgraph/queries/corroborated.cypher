// name: corroborated
// question: Which facts do several sources state? Relationships by number of sources, with each source's line and evidence.
// param: min_sources (int, optional) e.g. 1
// param: limit (int, optional) e.g. 20
// param: modality (modality, optional) e.g. all
// stored: corroboration
// note: One row per from/relation/to; `source_count` counts distinct sources; `sources`, `lines` and `evidence`
// note: are parallel lists, one entry per assertion (a second source's copy of a fact carries its own `key`).
// note: Each fact's place in this order is stored on its relationships when the graph is built and after a write
// note: (graph/corroboration.py): counting at query time read every relationship (90-120 ms p50 on the data sets
// note: graph). The first `limit` places are one index seek per relationship type: in every modality's order
// note: (`modality=all`) or in the asked modality's. Sources are counted from the relationships found.
CALL {
{{*each_stated}}
  MATCH (a)-[r:{{type}}]->(b)
  WHERE r.actorgraph_rank < {{limit}} AND $modality = 'all'
  RETURN a, r, b
  UNION ALL
  MATCH (a)-[r:{{type}}]->(b)
  WHERE r.actorgraph_modality_rank < {{limit}} AND coalesce(r.modality, 'stated') = $modality
  RETURN a, r, b
{{/each_stated}}
}
WITH a, type(r) AS relation, b, r
ORDER BY r.source, r.line, r.id
WITH a, relation, b, count(DISTINCT r.source) AS source_count, collect(r.source) AS sources, collect(r.line) AS lines,
     collect(r.evidence) AS evidence
WHERE source_count >= coalesce($min_sources, 1)
RETURN a.name AS from, relation, b.name AS to, source_count, sources, lines, evidence, a.id AS _from, b.id AS _to
ORDER BY source_count DESC, from, relation, to, _from, _to
