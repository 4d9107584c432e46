#!/usr/bin/env bash
# Build tools/gephi-check (gephi-toolkit from Maven Central) so the Gephi tests run at once.
# Idempotent: Maven's cache (~/.m2) makes a second run take seconds. Needs Java 17 and Maven,
# which .ci/setup-neo4j.sh installs.
set -euo pipefail
cd "$(dirname "$0")/../tools/gephi-check"
mvn -q -B package -DskipTests
echo "gephi check built: $(ls target/gephi-check-*.jar)"
