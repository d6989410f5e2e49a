#!/usr/bin/env bash
# First start of the postgres container: the databases beside Airflow's and the BI tool's read-only login.
# The publisher owns schema marts and grants bi_reader read access at every publication.
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v warehouse_db="$WAREHOUSE_DB" -v superset_db="$SUPERSET_DB" -v reader_password="$BI_READER_PASSWORD" <<'SQL'
create database :"warehouse_db";
create database :"superset_db";
create role bi_reader login password :'reader_password';
grant connect on database :"warehouse_db" to bi_reader;
SQL
