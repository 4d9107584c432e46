// name: experts
// question: Who are the experts and journalists quoted, where are they from and where do they work?
MATCH (p:Person)
WHERE p:Researcher OR p:Journalist OR p:Diplomat
OPTIONAL MATCH (p)-[:NATIONAL_OF]->(c:Country)
OPTIONAL MATCH (p)-[a:AFFILIATED_WITH]->(o:Organization)
OPTIONAL MATCH (p)-[:MADE]->(claim:Claim)
RETURN p.name AS person, collect(DISTINCT c.name) AS country, collect(DISTINCT o.name) AS institutions,
       count(DISTINCT claim) AS claims, p.evidence AS evidence, p.line AS line
ORDER BY claims DESC, person
