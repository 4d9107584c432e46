// name: places
// question: Where did things happen? Places and countries with the events held there.
// param: modality (modality, optional) e.g. all
MATCH (e:Event)-[r:HELD_IN]->(p)
WHERE ($modality = 'all' OR coalesce(r.modality, 'stated') = $modality)
OPTIONAL MATCH (p)-[:LOCATED_IN]->(c:Country)
RETURN p.name AS place, c.name AS country, count(DISTINCT e) AS events, collect(DISTINCT e.name) AS what, p.id AS _id
ORDER BY events DESC, place, _id, country
