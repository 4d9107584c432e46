// name: at_lines
// question: What does a source say at a range of lines? Every fact drawn from them, with how it is put.
// param: first (int) e.g. 297
// param: last (int) e.g. 330
// param: source (text, optional) e.g. source:kz-uz-relations
// order: line, source, kind, _id
// note: line numbers belong to a source: without `source`, facts from every source are listed, each with its own.
// note: one index seek on `line` per kind label and per relationship type (both engines index it per label
// note: and type): reading every relationship's line took 61 ms (p50) on the article + data sets graph.
{{*each_kind}}
MATCH (n:{{kind}})
WHERE n.line >= $first AND n.line <= $last AND ($source IS NULL OR n.source = $source)
RETURN n.line AS line, 'node' AS kind, n.name AS fact, NULL AS modality, n.evidence AS evidence, n.source AS source,
       n.id AS _id
{{/each_kind}}
UNION ALL
{{*each_stated}}
MATCH (a)-[r:{{type}}]->(b)
WHERE r.line >= $first AND r.line <= $last AND ($source IS NULL OR r.source = $source)
RETURN r.line AS line, 'relationship' AS kind, a.name + ' ' + type(r) + ' ' + b.name AS fact,
       coalesce(r.modality, 'stated') AS modality, r.evidence AS evidence, r.source AS source, r.id AS _id
{{/each_stated}}
