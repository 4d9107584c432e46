// name: shared_memberships
// question: Which organizations do two countries both belong to?
// param: a (actor) e.g. Kazakhstan
// param: b (actor) e.g. Uzbekistan
MATCH (x:{{a_kind}})-[r1:MEMBER_OF]->(o:Organization)<-[r2:MEMBER_OF]-(y:{{b_kind}})
WHERE x.id = $a AND y.id = $b
RETURN o.name AS organization, r1.evidence AS evidence_a, r1.line AS line_a,
       r2.evidence AS evidence_b, r2.line AS line_b
ORDER BY organization
