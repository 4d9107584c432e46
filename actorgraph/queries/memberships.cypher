// name: memberships
// question: Which organizations does a country (or organization) belong to?
// param: member (actor) e.g. Uzbekistan
// param: modality (modality, optional) e.g. all
MATCH (m:{{member_kind}})-[r:MEMBER_OF]->(o:Organization)
WHERE m.id = $member AND ($modality = 'all' OR coalesce(r.modality, 'stated') = $modality)
RETURN o.name AS organization, r.role AS role, r.start AS since, coalesce(r.modality, 'stated') AS modality,
       [t IN [r.note, 'caveat: ' + r.caveat] WHERE t IS NOT NULL] AS notes, r.evidence AS evidence, r.line AS line, r.source AS source, r.id AS _id
ORDER BY organization, _id
