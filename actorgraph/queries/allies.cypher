// name: allies
// question: Which countries was a country allied with in a given year, and by which obligations?
// param: country (actor) e.g. Kazakhstan
// param: year (int) e.g. 2010
MATCH (c:{{country_kind}})-[r:ALLIED_WITH]->(ally:Country)
WHERE c.id = $country AND $year IN r.years
RETURN ally.name AS ally, r.obligation AS obligation, r.periods AS periods, r.source AS source, r.line AS line,
       r.id AS _id
ORDER BY ally, obligation, _id
