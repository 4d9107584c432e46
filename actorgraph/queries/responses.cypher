// name: responses
// question: Who responded to whom? Claims that answer or qualify other claims.
MATCH (a:Claim)-[r:RESPONDED_TO]->(b:Claim)
OPTIONAL MATCH (pa)-[:MADE]->(a)
OPTIONAL MATCH (pb)-[:MADE]->(b)
RETURN collect(DISTINCT pa.name) AS responder, a.name AS response, a.stance AS response_stance,
       collect(DISTINCT pb.name) AS responded_to, b.name AS original, b.stance AS original_stance,
       r.evidence AS evidence, r.line AS line
ORDER BY line
