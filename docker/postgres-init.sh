#!/bin/sh
# First start of the database volume: the runtime login role the api and workers connect as.
# It is no superuser, owns nothing and cannot bypass row-level security; the migrations (run as
# the owner, POSTGRES_USER) grant table privileges to its group role leadforge_runtime.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v app_password="$LEADFORGE_APP_PASSWORD" -v db="$POSTGRES_DB" <<'SQL'
CREATE ROLE leadforge_runtime NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
CREATE ROLE leadforge_app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE INHERIT PASSWORD :'app_password' IN ROLE leadforge_runtime;
GRANT CONNECT, CREATE ON DATABASE :"db" TO leadforge_app;
SQL
