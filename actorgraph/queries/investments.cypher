// name: investments
// question: Which companies, banks and countries invest or operate where, with the figures the text gives?
// param: modality (modality, optional) e.g. all
MATCH (c)-[r:INVESTED_IN|OPERATES_IN|PARTNERED_WITH]->(x)
WHERE (c:Company OR c:Bank OR c:Country OR c:Organization) AND ($modality = 'all' OR coalesce(r.modality, 'stated') = $modality)
RETURN c.name AS investor, type(r) AS relation, x.name AS target, r.amount AS amount, r.currency AS currency,
       r.count AS count, r.start AS since, coalesce(r.modality, 'stated') AS modality, [t IN [r.note, 'caveat: ' + r.caveat] WHERE t IS NOT NULL] AS notes,
       r.evidence AS evidence, r.line AS line, r.source AS source, r.id AS _id
ORDER BY investor, relation, target, _id
