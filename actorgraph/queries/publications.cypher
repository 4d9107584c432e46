// name: publications
// question: Who wrote which books, reports and interviews, and what are they about?
// param: modality (modality, optional) e.g. all
MATCH (a)-[r:AUTHORED]->(p:Publication)
WHERE ($modality = 'all' OR coalesce(r.modality, 'stated') = $modality)
OPTIONAL MATCH (p)-[:ABOUT]->(x)
RETURN a.name AS author, p.name AS publication, p.kind AS kind, coalesce(p.year, p.date) AS year,
       collect(DISTINCT x.name) AS about, [t IN [p.note, 'caveat: ' + p.caveat] WHERE t IS NOT NULL] AS notes,
       r.evidence AS evidence, r.line AS line, r.id AS _id
ORDER BY author, year, publication, _id
