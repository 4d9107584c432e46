// name: claims_by
// question: What did one person say, and about what?
// param: person (actor) e.g. Olcott
MATCH (p:{{person_kind}})-[:MADE]->(c:Claim)
WHERE p.id = $person
OPTIONAL MATCH (c)-[:ABOUT]->(x)
RETURN c.name AS claim, c.stance AS stance, c.topic AS topic, c.text AS paraphrase,
       collect(DISTINCT x.name) AS about, c.evidence AS evidence, c.line AS line
ORDER BY line
