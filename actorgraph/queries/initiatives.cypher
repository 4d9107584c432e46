// name: initiatives
// question: Who proposed which initiative, and what became of it (what carried it out, how experts judged it)?
// param: proposer (actor, optional) e.g. Mirziyoyev
// param: modality (modality, optional) e.g. all
{{#proposer}}
MATCH (a:{{proposer_kind}})
WHERE a.id = $proposer
{{/proposer}}
MATCH (a)-[r:PROPOSED]->(i)
WHERE ($modality = 'all' OR coalesce(r.modality, 'stated') = $modality)
OPTIONAL MATCH (x)-[:IMPLEMENTS|PART_OF]->(i)
OPTIONAL MATCH (c:Claim)-[:ABOUT]->(i)
RETURN a.name AS proposer, i.name AS proposal, coalesce(r.date, i.date, r.start) AS date,
       coalesce(r.modality, 'stated') AS modality, collect(DISTINCT x.name) AS carried_out_by,
       collect(DISTINCT c.stance) AS expert_stances,
       [t IN [r.note, i.note, 'caveat: ' + r.caveat, 'caveat: ' + i.caveat] WHERE t IS NOT NULL] AS notes,
       r.evidence AS evidence, r.line AS line, r.source AS source, r.id AS _id
ORDER BY proposer, proposal, _id
