// name: shared_memberships
// question: Which organizations do two countries both belong to?
// param: a (actor) e.g. Kazakhstan
// param: b (actor) e.g. Uzbekistan
// param: modality (modality, optional) e.g. all
MATCH (x:{{a_kind}})-[r1:MEMBER_OF]->(o:Organization)<-[r2:MEMBER_OF]-(y:{{b_kind}})
WHERE x.id = $a AND y.id = $b AND ($modality = 'all' OR coalesce(r1.modality, 'stated') = $modality) AND ($modality = 'all' OR coalesce(r2.modality, 'stated') = $modality)
RETURN o.name AS organization, r1.evidence AS evidence_a, r1.line AS line_a, r1.source AS source_a,
       r2.evidence AS evidence_b, r2.line AS line_b, r2.source AS source_b, o.id AS _id
ORDER BY organization, _id
