// name: initiatives
// question: Who proposed which initiative, and what became of it (what carried it out, how experts judged it)?
// param: proposer (actor, optional) e.g. Mirziyoyev
{{#proposer}}
MATCH (a:{{proposer_kind}})
WHERE a.id = $proposer
{{/proposer}}
MATCH (a)-[r:PROPOSED]->(i)
OPTIONAL MATCH (x)-[:IMPLEMENTS|PART_OF]->(i)
OPTIONAL MATCH (c:Claim)-[:ABOUT]->(i)
RETURN a.name AS proposer, i.name AS proposal, coalesce(r.date, i.date, r.start) AS date,
       collect(DISTINCT x.name) AS carried_out_by, collect(DISTINCT c.stance) AS expert_stances,
       r.evidence AS evidence, r.line AS line
ORDER BY proposer, proposal
