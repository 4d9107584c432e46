// name: timeline
// question: What happened when? Events in date order, optionally between two years and involving a country.
// param: from_year (int, optional) e.g. 2017
// param: to_year (int, optional) e.g. 2022
// param: country (actor, optional) e.g. Kazakhstan
// note: with `country`, the events are found from that node (held there, held in a place located there, or
// note: attended by it as a country) instead of collecting those three for every event and filtering.
// note: `CALL { WITH k ... }` (importing WITH) is the form FalkorDB reads; Neo4j 5 runs it (its newer `CALL (k) {}` is not portable).
{{#country}}
MATCH (k:{{country_kind}})
WHERE k.id = $country
CALL {
  WITH k
  MATCH (e:Event)-[:HELD_IN]->(k)
  RETURN e
  UNION
  WITH k
  MATCH (e:Event)-[:HELD_IN]->()-[:LOCATED_IN]->(k:Country)
  RETURN e
  UNION
  WITH k
  MATCH (k:Country)-[:PARTICIPATED_IN]->(e:Event)
  RETURN e
}
{{/country}}
{{^country}}
MATCH (e:Event)
{{/country}}
WITH e, coalesce(e.date, e.start) AS when
WHERE ($from_year IS NULL OR toInteger(substring(when, 0, 4)) >= $from_year)
  AND ($to_year IS NULL OR toInteger(substring(when, 0, 4)) <= $to_year)
OPTIONAL MATCH (e)-[:HELD_IN]->(p)
RETURN when AS date, e.name AS event, e.kind AS kind, collect(DISTINCT p.name) AS places,
       [t IN [e.note, 'caveat: ' + e.caveat] WHERE t IS NOT NULL] AS notes, e.evidence AS evidence, e.line AS line,
       e.source AS source, e.id AS _id
ORDER BY date, event, _id
