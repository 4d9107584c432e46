// name: memberships
// question: Which organizations does a country (or organization) belong to?
// param: member (actor) e.g. Uzbekistan
MATCH (m:{{member_kind}})-[r:MEMBER_OF]->(o:Organization)
WHERE m.id = $member
RETURN o.name AS organization, r.role AS role, r.start AS since, r.evidence AS evidence, r.line AS line
ORDER BY organization
