// name: participants
// question: Who took part in (or hosted) an event?
// param: event (actor) e.g. Mirziyoyev's December 2021 state visit to Kazakhstan
// param: modality (modality, optional) e.g. all
MATCH (a)-[r:PARTICIPATED_IN]->(e:Event)
WHERE e.id = $event AND ($modality = 'all' OR coalesce(r.modality, 'stated') = $modality)
RETURN a.name AS participant, r.role AS role, coalesce(r.modality, 'stated') AS modality, [t IN [r.note, 'caveat: ' + r.caveat] WHERE t IS NOT NULL] AS notes,
       r.evidence AS evidence, r.line AS line, r.source AS source, r.id AS _id
ORDER BY participant, _id
