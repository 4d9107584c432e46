// name: corroborated
// question: Which facts do several sources state? Relationships by number of sources, with each source's line and evidence.
// param: min_sources (int, optional) e.g. 1
// param: limit (int, optional) e.g. 20
// param: modality (modality, optional) e.g. all
// stored: corroboration
// note: One row per from/relation/to; `source_count` counts distinct sources; `sources`, `lines` and `evidence`
// note: are parallel lists, one entry per assertion (a second source's copy of a fact carries its own `key`).
// note: Each fact's source count and its place in this order are stored on its relationships when the graph is
// note: built and after a write (graph/corroboration.py): counting at query time read every relationship
// note: (90-120 ms p50 on the data sets graph). The first `limit` places are one index seek per relationship
// note: type: by every modality's count (`modality=all`) or by the count among the asked modality's relationships.
CALL {
{{*each_stated}}
  MATCH (a)-[r:{{type}}]->(b)
  WHERE r.actorgraph_rank < {{limit}} AND $modality = 'all'
  RETURN a, r, b, r.actorgraph_sources AS source_count
  UNION ALL
  MATCH (a)-[r:{{type}}]->(b)
  WHERE r.actorgraph_modality_rank < {{limit}} AND coalesce(r.modality, 'stated') = $modality
  RETURN a, r, b, r.actorgraph_modality_sources AS source_count
{{/each_stated}}
}
WITH a, r, b, source_count
WHERE source_count >= coalesce($min_sources, 1)
WITH a, type(r) AS relation, b, source_count, r
ORDER BY r.source, r.line, r.id
WITH a, relation, b, source_count, collect(r.source) AS sources, collect(r.line) AS lines, collect(r.evidence) AS evidence
RETURN a.name AS from, relation, b.name AS to, source_count, sources, lines, evidence, a.id AS _from, b.id AS _to
ORDER BY source_count DESC, from, relation, to, _from, _to
