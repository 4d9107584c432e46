// name: experts
// question: Who are the experts and journalists quoted, where are they from and where do they work?
// param: modality (modality, optional) e.g. all
MATCH (p:Person)
WHERE p:Researcher OR p:Journalist OR p:Diplomat
OPTIONAL MATCH (p)-[n:NATIONAL_OF]->(c:Country)
WHERE ($modality = 'all' OR coalesce(n.modality, 'stated') = $modality)
OPTIONAL MATCH (p)-[w:BASED_IN]->(place)
WHERE ($modality = 'all' OR coalesce(w.modality, 'stated') = $modality)
OPTIONAL MATCH (p)-[a:AFFILIATED_WITH]->(o:Organization)
WHERE ($modality = 'all' OR coalesce(a.modality, 'stated') = $modality)
OPTIONAL MATCH (p)-[:MADE]->(claim:Claim)
RETURN p.name AS person, collect(DISTINCT c.name) AS country, collect(DISTINCT place.name) AS works_in,
       collect(DISTINCT o.name) AS institutions, count(DISTINCT claim) AS claims,
       [t IN [p.note, 'caveat: ' + p.caveat] WHERE t IS NOT NULL] AS notes, p.evidence AS evidence, p.line AS line,
       p.id AS _id
ORDER BY claims DESC, person, _id
