// name: source_conflicts
// question: Where do two sources disagree about who led a country when (different start or end dates)?
// param: country (actor) e.g. Uzbekistan
MATCH (c:{{country_kind}})<-[a:LEADS]-(p:Person)-[b:LEADS]->(c)
WHERE c.id = $country AND a.source < b.source
WITH p, a, b,
     CASE WHEN a.start IS NOT NULL AND b.start IS NOT NULL
               AND NOT (a.start STARTS WITH b.start OR b.start STARTS WITH a.start) THEN 'start' END AS start_differs,
     CASE WHEN a.end IS NOT NULL AND b.end IS NOT NULL
               AND NOT (a.end STARTS WITH b.end OR b.end STARTS WITH a.end) THEN 'end' END AS end_differs
WHERE start_differs IS NOT NULL OR end_differs IS NOT NULL
RETURN p.name AS leader, coalesce(start_differs, end_differs) AS field,
       a.source AS source_a, a.start AS start_a, a.end AS end_a, a.line AS line_a, a.evidence AS evidence_a,
       b.source AS source_b, b.start AS start_b, b.end AS end_b, b.line AS line_b, b.evidence AS evidence_b,
       a.id AS _a, b.id AS _b
ORDER BY leader, source_a, source_b, line_a, line_b, _a, _b
