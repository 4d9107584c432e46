// name: leaders
// question: Who led which country, and when?
// param: country (actor, optional) e.g. Uzbekistan
{{#country}}
MATCH (c:{{country_kind}})
WHERE c.id = $country
{{/country}}
MATCH (p:Person)-[r:LEADS]->(c:Country)
RETURN c.name AS country, p.name AS leader, r.role AS role, r.start AS start, r.end AS end,
       r.evidence AS evidence, r.line AS line
ORDER BY country, start, leader
