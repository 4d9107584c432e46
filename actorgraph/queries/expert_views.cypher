// name: expert_views
// question: What did experts say about an actor or a topic, grouped by stance?
// param: about (actor, optional) e.g. Declaration on Allied Relations
// param: topic (text, optional) e.g. regional cooperation
// note: with `about`, the claims are found from that node (an index seek) instead of scanning every claim.
{{#about}}
MATCH (x:{{about_kind}})<-[:ABOUT]-(c:Claim)
WHERE x.id = $about
WITH DISTINCT c
{{/about}}
{{^about}}
MATCH (c:Claim)
{{/about}}
WITH c
WHERE $topic IS NULL OR toLower(c.topic) CONTAINS toLower($topic)
OPTIONAL MATCH (p)-[:MADE]->(c)
WITH c, collect(DISTINCT p.name) AS made_by
RETURN c.stance AS stance, c.name AS claim, made_by, c.topic AS topic, c.text AS paraphrase,
       [t IN [c.note, 'caveat: ' + c.caveat] WHERE t IS NOT NULL] AS notes, c.evidence AS evidence, c.line AS line,
       c.id AS _id
ORDER BY stance, claim, _id
