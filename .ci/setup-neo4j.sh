#!/usr/bin/env bash
# Build the in-process Neo4j test server (tools/neo4j-test-server) so the tests start it fast.
# Idempotent: Maven's cache (~/.m2) makes a second run take seconds.
set -euo pipefail
cd "$(dirname "$0")/../tools/neo4j-test-server"
if ! command -v java >/dev/null || ! command -v mvn >/dev/null; then
  echo "Java 17 and Maven are needed for the Neo4j tests; installing them" >&2
  apt-get update -qq && apt-get install -y -qq openjdk-17-jdk-headless maven >/dev/null
fi
java -version 2>&1 | head -1
mvn -q -B package -DskipTests
echo "neo4j test server built: $(ls target/neo4j-test-server-*.jar)"
