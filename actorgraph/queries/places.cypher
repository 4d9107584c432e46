// name: places
// question: Where did things happen? Places and countries with the events held there.
MATCH (e:Event)-[r:HELD_IN]->(p)
OPTIONAL MATCH (p)-[:LOCATED_IN]->(c:Country)
RETURN p.name AS place, c.name AS country, count(DISTINCT e) AS events, collect(DISTINCT e.name) AS what
ORDER BY events DESC, place
