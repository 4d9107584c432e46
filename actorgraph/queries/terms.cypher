// name: terms
// question: Who led a country over a period, with every source's dates side by side?
// param: country (actor) e.g. Uzbekistan
// param: from (int, optional) e.g. 1990
// param: to (int, optional) e.g. 2020
MATCH (c:{{country_kind}})<-[r:LEADS]-(p:Person)
WHERE c.id = $country
  AND ($from IS NULL OR r.end IS NULL OR substring(r.end, 0, 4) >= toString($from))
  AND ($to IS NULL OR r.start IS NULL OR substring(r.start, 0, 4) <= toString($to))
RETURN p.name AS leader, r.source AS source, r.start AS start, r.end AS end, r.entry AS entry, r.exit AS exit,
       r.evidence AS evidence, r.line AS line, p.id AS _leader, r.id AS _id
ORDER BY leader, _leader, source, start, _id
