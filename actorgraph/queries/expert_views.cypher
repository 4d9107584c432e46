// name: expert_views
// question: What did experts say about an actor or a topic, grouped by stance?
// param: about (actor, optional) e.g. Declaration on Allied Relations
// param: topic (text, optional) e.g. regional cooperation
// Filters claims before looking up who made them: with `about` given, that lookup runs
// for the few claims that remain rather than for every claim.
MATCH (c:Claim)
WHERE $topic IS NULL OR toLower(c.topic) CONTAINS toLower($topic)
OPTIONAL MATCH (c)-[:ABOUT]->(x)
WITH c, collect(DISTINCT x.id) AS about_ids
WHERE $about IS NULL OR $about IN about_ids
OPTIONAL MATCH (p)-[:MADE]->(c)
WITH c, collect(DISTINCT p.name) AS made_by
RETURN c.stance AS stance, c.name AS claim, made_by, c.topic AS topic, c.text AS paraphrase,
       c.evidence AS evidence, c.line AS line
ORDER BY stance, claim
