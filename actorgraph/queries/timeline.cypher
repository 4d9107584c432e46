// name: timeline
// question: What happened when? Events in date order, optionally between two years and involving a country.
// param: from_year (int, optional) e.g. 2017
// param: to_year (int, optional) e.g. 2022
// param: country (actor, optional) e.g. Kazakhstan
MATCH (e:Event)
WITH e, coalesce(e.date, e.start) AS when
WHERE ($from_year IS NULL OR toInteger(substring(when, 0, 4)) >= $from_year)
  AND ($to_year IS NULL OR toInteger(substring(when, 0, 4)) <= $to_year)
OPTIONAL MATCH (e)-[:HELD_IN]->(p)
OPTIONAL MATCH (p)-[:LOCATED_IN]->(pc:Country)
OPTIONAL MATCH (c:Country)-[:PARTICIPATED_IN]->(e)
WITH e, when, collect(DISTINCT p.id) + collect(DISTINCT pc.id) + collect(DISTINCT c.id) AS involved,
     collect(DISTINCT p.name) AS places
WHERE $country IS NULL OR $country IN involved
RETURN when AS date, e.name AS event, e.kind AS kind, places, e.evidence AS evidence, e.line AS line
ORDER BY date, event
