-- FerretDB 1.24 on PostgreSQL filters an equality as `_jsonb -> 'field' @> value`, which the
-- btree indexes it creates for MongoDB's indexes cannot serve: every find, even by _id, scans
-- the table. For the first field of each such index, a GIN (jsonb_path_ops) index serves
-- that filter. An event trigger adds it whenever FerretDB creates an index (any database,
-- any collection, now or later); the DO block at the end catches up on older indexes. It
-- stays until its table is dropped, even if FerretDB drops the btree index (harmless).
-- Applied by postgres.sh when this file changes, in single-user mode (-j): a statement ends
-- at a semicolon followed by an empty line, so bodies hold no empty line.
-- Needs plan_cache_mode=force_custom_plan (postgres.sh): FerretDB prepares its statements
-- with the field name as a parameter, and only a plan made for its value uses the index.

CREATE OR REPLACE FUNCTION baton_gin_companion(btree_index regclass) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  first_key text := pg_get_indexdef(btree_index, 1, true);
  indexed_table oid;
  table_name text;
BEGIN
  SELECT i.indrelid, t.relname INTO indexed_table, table_name
    FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
   WHERE i.indexrelid = btree_index;
  -- FerretDB's field indexes on collections only (not on its own metadata tables).
  IF first_key !~ '^\(_jsonb -> ''[^'']+''::text\)$' OR table_name LIKE '\_ferretdb\_%' THEN
    RETURN;
  END IF;
  -- Named by table and field: two indexes led by one field share one companion.
  EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %s USING gin (%s jsonb_path_ops)',
                 left(table_name, 40) || '_' || left(md5(first_key), 8) || '_gin',
                 indexed_table::regclass, first_key);
EXCEPTION WHEN OTHERS THEN
  -- An optimisation: never fail FerretDB's own DDL for it.
  RAISE WARNING 'baton_gin_companion(%): %', btree_index, SQLERRM;
END $$;

CREATE OR REPLACE FUNCTION baton_gin_on_create_index() RETURNS event_trigger
LANGUAGE plpgsql AS $$
DECLARE
  created record;
BEGIN
  FOR created IN
    SELECT c.objid FROM pg_event_trigger_ddl_commands() c
      JOIN pg_class i ON i.oid = c.objid JOIN pg_am am ON am.oid = i.relam
     WHERE c.command_tag = 'CREATE INDEX' AND am.amname = 'btree'
  LOOP
    PERFORM baton_gin_companion(created.objid::regclass);
  END LOOP;
END $$;

DROP EVENT TRIGGER IF EXISTS baton_gin_on_create_index;

CREATE EVENT TRIGGER baton_gin_on_create_index ON ddl_command_end
  WHEN TAG IN ('CREATE INDEX') EXECUTE FUNCTION baton_gin_on_create_index();

DO $$
DECLARE
  existing record;
BEGIN
  FOR existing IN
    SELECT i.indexrelid FROM pg_index i
      JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam
      JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE am.amname = 'btree' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  LOOP
    PERFORM baton_gin_companion(existing.indexrelid::regclass);
  END LOOP;
END $$;
