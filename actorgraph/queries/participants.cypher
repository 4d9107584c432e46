// name: participants
// question: Who took part in (or hosted) an event?
// param: event (actor) e.g. Mirziyoyev's December 2021 state visit to Kazakhstan
MATCH (a)-[r:PARTICIPATED_IN]->(e:Event)
WHERE e.id = $event
RETURN a.name AS participant, r.role AS role, r.evidence AS evidence, r.line AS line
ORDER BY participant
