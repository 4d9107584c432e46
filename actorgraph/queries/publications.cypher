// name: publications
// question: Who wrote which books, reports and interviews, and what are they about?
MATCH (a)-[r:AUTHORED]->(p:Publication)
OPTIONAL MATCH (p)-[:ABOUT]->(x)
RETURN a.name AS author, p.name AS publication, p.kind AS kind, coalesce(p.year, p.date) AS year,
       collect(DISTINCT x.name) AS about, r.evidence AS evidence, r.line AS line
ORDER BY author, year, publication
