// name: leaders
// question: Who led which country, and when?
// param: country (actor, optional) e.g. Uzbekistan
// param: modality (modality, optional) e.g. all
{{#country}}
MATCH (c:{{country_kind}})
WHERE c.id = $country
{{/country}}
MATCH (p:Person)-[r:LEADS]->(c:Country)
WHERE ($modality = 'all' OR coalesce(r.modality, 'stated') = $modality)
RETURN c.name AS country, p.name AS leader, r.role AS role, r.start AS start, r.end AS end,
       coalesce(r.modality, 'stated') AS modality, [t IN [r.note, 'caveat: ' + r.caveat] WHERE t IS NOT NULL] AS notes, r.evidence AS evidence, r.line AS line,
       r.source AS source, r.id AS _id
ORDER BY country, start, leader, _id
