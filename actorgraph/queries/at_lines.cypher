// name: at_lines
// question: What does the source say at a range of lines? Every fact drawn from them.
// param: first (int) e.g. 297
// param: last (int) e.g. 330
// order: line
MATCH (n)
WHERE n.line >= $first AND n.line <= $last
RETURN n.line AS line, 'node' AS kind, n.name AS fact, n.evidence AS evidence
UNION ALL
MATCH (a)-[r]->(b)
WHERE r.line >= $first AND r.line <= $last AND type(r) <> 'MENTIONED_IN'
RETURN r.line AS line, 'relationship' AS kind, a.name + ' ' + type(r) + ' ' + b.name AS fact, r.evidence AS evidence
