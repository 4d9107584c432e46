// name: disagreements
// question: Where do experts disagree? Pairs of claims of opposite stance about the same subject.
MATCH (a:Claim)-[:ABOUT]->(x)<-[:ABOUT]-(b:Claim)
WHERE a.stance IN ['supportive', 'optimistic'] AND b.stance IN ['skeptical', 'critical', 'concerned']
OPTIONAL MATCH (pa)-[:MADE]->(a)
OPTIONAL MATCH (pb)-[:MADE]->(b)
RETURN x.name AS subject, a.name AS positive, collect(DISTINCT pa.name) AS positive_by,
       b.name AS negative, collect(DISTINCT pb.name) AS negative_by,
       a.line AS positive_line, b.line AS negative_line, x.id AS _subject, a.id AS _positive, b.id AS _negative
ORDER BY subject, _subject, positive, _positive, negative, _negative
