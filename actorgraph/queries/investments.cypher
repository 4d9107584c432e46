// name: investments
// question: Which companies, banks and countries invest or operate where, with the figures the text gives?
MATCH (c)-[r:INVESTED_IN|OPERATES_IN|PARTNERED_WITH]->(x)
WHERE c:Company OR c:Bank OR c:Country OR c:Organization
RETURN c.name AS investor, type(r) AS relation, x.name AS target, r.amount AS amount, r.currency AS currency,
       r.count AS count, r.start AS since, r.note AS note, r.evidence AS evidence, r.line AS line
ORDER BY investor, relation, target
