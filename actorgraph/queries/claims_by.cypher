// name: claims_by
// question: What did one person say, and about what?
// param: person (actor) e.g. Olcott
MATCH (p:{{person_kind}})-[m:MADE]->(c:Claim)
WHERE p.id = $person
OPTIONAL MATCH (c)-[:ABOUT]->(x)
RETURN c.name AS claim, c.stance AS stance, c.topic AS topic, c.text AS paraphrase,
       collect(DISTINCT x.name) AS about, [t IN [m.note, c.note, 'caveat: ' + c.caveat] WHERE t IS NOT NULL] AS notes,
       c.evidence AS evidence, c.line AS line, c.id AS _id
ORDER BY line, _id
