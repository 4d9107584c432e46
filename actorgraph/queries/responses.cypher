// name: responses
// question: Who responded to whom? Claims that answer, dispute or support other claims, and how the text says so.
// note: views the article only sets side by side are CONTRASTED_WITH, not listed here.
MATCH (a:Claim)-[r:RESPONDED_TO]->(b:Claim)
OPTIONAL MATCH (pa)-[:MADE]->(a)
OPTIONAL MATCH (pb)-[:MADE]->(b)
RETURN collect(DISTINCT pa.name) AS responder, a.name AS response, a.stance AS response_stance, r.role AS how,
       collect(DISTINCT pb.name) AS responded_to, b.name AS original, b.stance AS original_stance,
       r.note AS note, r.evidence AS evidence, r.line AS line, r.id AS _id
ORDER BY line, _id
