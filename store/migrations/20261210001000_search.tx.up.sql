-- Unified search (issue 13): clients, projects, tasks, comments and files, ranked by full-text match and
-- trigram similarity, indexed even though every table has forced row-level security.
--
-- Why functions: policies are security barriers, so Postgres evaluates a user's non-LEAKPROOF condition
-- (@@, %, <%, LIKE) only after the policy has filtered rows and never uses it as an index condition; under
-- forced RLS the app role could only scan an organization's rows. Each search_* function below is SECURITY
-- DEFINER, owned by the migrating role (which reads every row, as for api_key_by_hash and
-- live_organization_ids), so its conditions use the GIN indexes. It reads the tenant from app_org_id()
-- itself, never from an argument: like the policies, it answers for the transaction's organization only,
-- and with no app.org_id set it answers nothing. It returns ids, a rank and the match count, never content:
-- the caller joins the ids back to the tables under RLS (and re-checks project visibility there).
--
-- Visibility is applied inside the function so a limit never keeps only hidden rows: sees_all is the
-- viewer's "sees every project" (owner, admin, manager), otherwise only projects with a project_members row
-- for app_user_id() count (read once per call into an array, not probed per candidate row). Both are the
-- application's own rules within one tenant; the tenant boundary is app_org_id(), which no argument can
-- change.

CREATE EXTENSION IF NOT EXISTS btree_gin;

-- search_text is what a document is searched as: lower-cased, HTML tags and entities turned into spaces.
CREATE FUNCTION search_text(doc text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN lower(regexp_replace(doc, '<[^>]*>|&#?[a-z0-9]+;', ' ', 'gi'));

-- search_vector is a document's full-text form: the 'simple' configuration (no stemming, no stop words), so
-- any language and any word prefix match.
CREATE FUNCTION search_vector(doc text) RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN to_tsvector('simple'::regconfig, search_text(doc));

-- search_query turns what the user typed into a tsquery: every word must match as a prefix of a word
-- ('web desi' finds "Website design"). Spaces and punctuation separate words; a query without a word is
-- NULL, which matches nothing.
CREATE FUNCTION search_query(q text) RETURNS tsquery LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN (SELECT to_tsquery('simple'::regconfig, string_agg(quote_literal(w) || ':*', ' & '))
          FROM regexp_split_to_table(search_text(q), '[[:space:][:punct:]]+') w WHERE w <> '');

-- search_like is a LIKE pattern for "starts with q" (q's wildcards escaped), lower-cased.
CREATE FUNCTION search_like(q text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN replace(replace(replace(lower(q), '\', '\\'), '%', '\%'), '_', '\_') || '%';

-- search_rank orders matches by their title (or name): equal to the query (4), starting with it (2), its
-- full-text rank, and its trigram word similarity (typos). A match in a description only ranks after them.
-- lq is the lower-cased query, pat search_like(q), tsq search_query(q): computed once per search.
CREATE FUNCTION search_rank(lq text, pat text, tsq tsquery, title text) RETURNS real LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN (CASE WHEN lower(title) = lq THEN 4 WHEN lower(title) LIKE pat THEN 2 ELSE 0 END
          + ts_rank(to_tsvector('simple'::regconfig, search_text(title)), tsq)
          + word_similarity(lq, lower(title)))::real;

-- One full-text index and one trigram index per searched table, both led by organization_id (btree_gin), so
-- an organization's matches are found without touching another's.
CREATE INDEX clients_search_fts_idx ON clients USING gin (organization_id, search_vector(name || ' ' || company || ' ' || email));
CREATE INDEX clients_search_trgm_idx ON clients USING gin (organization_id, search gin_trgm_ops);
CREATE INDEX projects_search_fts_idx ON projects USING gin (organization_id, search_vector(name || ' ' || description));
CREATE INDEX projects_search_trgm_idx ON projects USING gin (organization_id, lower(name) gin_trgm_ops);
CREATE INDEX tasks_search_fts_idx ON tasks USING gin (organization_id, search_vector(title || ' ' || description_html));
CREATE INDEX tasks_search_trgm_idx ON tasks USING gin (organization_id, lower(title) gin_trgm_ops);
-- Tasks are the big table: a member (who sees only their projects) searches them project by project. These
-- indexes have expressions of their own (the same values under other names, in plpgsql so the planner cannot
-- inline them back into the others' expressions), so it never picks them for a whole-organization search,
-- where lacking organization_id they would read every tenant's matches.
CREATE FUNCTION search_task_vector(title text, description_html text) RETURNS tsvector LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS
$$ BEGIN RETURN public.search_vector(title || ' ' || description_html); END $$;
CREATE FUNCTION search_task_title(title text) RETURNS text LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS
$$ BEGIN RETURN pg_catalog.lower(title); END $$;
CREATE INDEX tasks_search_project_fts_idx ON tasks USING gin (project_id, search_task_vector(title, description_html));
CREATE INDEX tasks_search_project_trgm_idx ON tasks USING gin (project_id, search_task_title(title) gin_trgm_ops);
CREATE INDEX task_comments_search_fts_idx ON task_comments USING gin (organization_id, search_vector(body_html));
CREATE INDEX files_search_fts_idx ON files USING gin (organization_id, search_vector(name));
CREATE INDEX files_search_trgm_idx ON files USING gin (organization_id, lower(name) gin_trgm_ops);

-- Every function answers at most lim rows (1..50) ranked best first, each with total: the number of
-- matches, counted up to 200 (200 means "200 or more"). A row matches when every word of the query is a word
-- prefix in its document (full text: title and description, a comment's body, a file's name), or, for a
-- query longer than three characters, when the query is trigram-similar to a word of its title or name
-- (word similarity ≥ 0.35: typos, "wbesite" finds "website"). The two are separate index scans (f and g),
-- not one OR, so neither rechecks the other's expensive condition; full-text matches come first and the
-- trigram ones fill the rest. At most 200 matches are fetched and ranked whatever the data: a query matching
-- more is too vague for the best of them to matter, and the bound keeps the cost of a three-letter prefix
-- flat. enable_seqscan is off because plpgsql caches the plan for the session: a generic plan must not trade
-- the indexes for a sequential scan on a guessed LIMIT.

CREATE FUNCTION search_clients(q text, lim integer)
  RETURNS TABLE (id uuid, rank real, total integer)
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, public, pg_temp
  SET pg_trgm.word_similarity_threshold = 0.35
  SET enable_seqscan = off AS $$
DECLARE
  lq text := lower(q);
  pat text := search_like(q);
  tsq tsquery := search_query(q);
BEGIN
  IF tsq IS NULL OR numnode(tsq) = 0 THEN
    RETURN; -- no word (only spaces, punctuation or symbols): nothing matches, and no trigram would narrow the scan
  END IF;
  RETURN QUERY
    WITH f AS (
      SELECT c.id, c.name FROM clients c
        WHERE c.organization_id = app_org_id() AND search_vector(c.name || ' ' || c.company || ' ' || c.email) @@ tsq LIMIT 200),
    g AS (
      SELECT c.id, c.name FROM clients c
        WHERE c.organization_id = app_org_id() AND c.search %> lq
          AND length(lq) > 3 AND c.id NOT IN (SELECT f.id FROM f) LIMIT 200),
    m AS (SELECT * FROM f UNION ALL (SELECT * FROM g LIMIT 200 - (SELECT count(*) FROM f)))
    SELECT m.id, search_rank(lq, pat, tsq, m.name) AS r, (count(*) OVER ())::integer FROM m
     ORDER BY r DESC, m.id DESC LIMIT least(greatest(lim, 1), 50);
END
$$;

CREATE FUNCTION search_projects(q text, sees_all boolean, lim integer)
  RETURNS TABLE (id uuid, rank real, total integer)
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, public, pg_temp
  SET pg_trgm.word_similarity_threshold = 0.35
  SET enable_seqscan = off AS $$
DECLARE
  lq text := lower(q);
  pat text := search_like(q);
  tsq tsquery := search_query(q);
  visible uuid[];
BEGIN
  IF tsq IS NULL OR numnode(tsq) = 0 THEN
    RETURN; -- no word (only spaces, punctuation or symbols): nothing matches, and no trigram would narrow the scan
  END IF;
  IF NOT sees_all THEN
    visible := ARRAY(SELECT pm.project_id FROM project_members pm
                      WHERE pm.organization_id = app_org_id() AND pm.user_id = app_user_id());
  END IF;
  RETURN QUERY
    WITH f AS (
      SELECT p.id, p.name FROM projects p
        WHERE p.organization_id = app_org_id() AND search_vector(p.name || ' ' || p.description) @@ tsq
          AND (sees_all OR p.id = ANY (visible)) LIMIT 200),
    g AS (
      SELECT p.id, p.name FROM projects p
        WHERE p.organization_id = app_org_id() AND lower(p.name) %> lq
          AND (sees_all OR p.id = ANY (visible))
          AND length(lq) > 3 AND p.id NOT IN (SELECT f.id FROM f) LIMIT 200),
    m AS (SELECT * FROM f UNION ALL (SELECT * FROM g LIMIT 200 - (SELECT count(*) FROM f)))
    SELECT m.id, search_rank(lq, pat, tsq, m.name) AS r, (count(*) OVER ())::integer FROM m
     ORDER BY r DESC, m.id DESC LIMIT least(greatest(lim, 1), 50);
END
$$;

CREATE FUNCTION search_tasks(q text, sees_all boolean, lim integer)
  RETURNS TABLE (id uuid, rank real, total integer)
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, public, pg_temp
  SET pg_trgm.word_similarity_threshold = 0.35
  SET enable_seqscan = off AS $$
DECLARE
  lq text := lower(q);
  pat text := search_like(q);
  tsq tsquery := search_query(q);
  visible uuid[];
BEGIN
  IF tsq IS NULL OR numnode(tsq) = 0 THEN
    RETURN; -- no word (only spaces, punctuation or symbols): nothing matches, and no trigram would narrow the scan
  END IF;
  IF sees_all THEN
    RETURN QUERY
      WITH f AS (
        SELECT t.id, t.title FROM tasks t
          WHERE t.organization_id = app_org_id() AND search_vector(t.title || ' ' || t.description_html) @@ tsq LIMIT 200),
      g AS (
        SELECT t.id, t.title FROM tasks t
          WHERE t.organization_id = app_org_id() AND lower(t.title) %> lq
            AND length(lq) > 3 AND t.id NOT IN (SELECT f.id FROM f) LIMIT 200),
      m AS (SELECT * FROM f UNION ALL (SELECT * FROM g LIMIT 200 - (SELECT count(*) FROM f)))
      SELECT m.id, search_rank(lq, pat, tsq, m.title) AS r, (count(*) OVER ())::integer FROM m
       ORDER BY r DESC, m.id DESC LIMIT least(greatest(lim, 1), 50);
    RETURN;
  END IF;
  -- A member searches project by project (the project-led indexes), so a common word or a typo costs the
  -- matches of their projects, not of the whole organization filtered afterwards.
  visible := ARRAY(SELECT pm.project_id FROM project_members pm
                    WHERE pm.organization_id = app_org_id() AND pm.user_id = app_user_id());
  RETURN QUERY
    WITH f AS (
      SELECT x.id, x.title FROM unnest(visible) v(pid), LATERAL (
        SELECT t.id, t.title FROM tasks t
          WHERE t.project_id = v.pid AND t.organization_id = app_org_id()
            AND search_task_vector(t.title, t.description_html) @@ tsq LIMIT 200) x
      LIMIT 200),
    g AS (
      SELECT x.id, x.title FROM unnest(visible) v(pid), LATERAL (
        SELECT t.id, t.title FROM tasks t
          WHERE t.project_id = v.pid AND t.organization_id = app_org_id() AND search_task_title(t.title) %> lq
            AND length(lq) > 3 AND t.id NOT IN (SELECT f.id FROM f) LIMIT 200) x
      LIMIT 200),
    m AS (SELECT * FROM f UNION ALL (SELECT * FROM g LIMIT 200 - (SELECT count(*) FROM f)))
    SELECT m.id, search_rank(lq, pat, tsq, m.title) AS r, (count(*) OVER ())::integer FROM m
     ORDER BY r DESC, m.id DESC LIMIT least(greatest(lim, 1), 50);
END
$$;

CREATE FUNCTION search_comments(q text, sees_all boolean, lim integer)
  RETURNS TABLE (id uuid, rank real, total integer)
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, public, pg_temp
  SET pg_trgm.word_similarity_threshold = 0.35
  SET enable_seqscan = off AS $$
DECLARE
  lq text := lower(q);
  pat text := search_like(q);
  tsq tsquery := search_query(q);
  visible uuid[];
BEGIN
  IF tsq IS NULL OR numnode(tsq) = 0 THEN
    RETURN; -- no word (only spaces, punctuation or symbols): nothing matches, and no trigram would narrow the scan
  END IF;
  IF NOT sees_all THEN
    visible := ARRAY(SELECT pm.project_id FROM project_members pm
                      WHERE pm.organization_id = app_org_id() AND pm.user_id = app_user_id());
  END IF;
  RETURN QUERY
    WITH m AS (
      (SELECT c.id, c.body_html FROM task_comments c
        WHERE c.organization_id = app_org_id() AND search_vector(c.body_html) @@ tsq
          AND (sees_all OR EXISTS (SELECT 1 FROM tasks t
                WHERE t.organization_id = c.organization_id AND t.id = c.task_id AND t.project_id = ANY (visible))) LIMIT 200))
    SELECT m.id, ts_rank(search_vector(m.body_html), tsq) AS r, (count(*) OVER ())::integer FROM m
     ORDER BY r DESC, m.id DESC LIMIT least(greatest(lim, 1), 50);
END
$$;

CREATE FUNCTION search_files(q text, sees_all boolean, lim integer)
  RETURNS TABLE (id uuid, rank real, total integer)
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, public, pg_temp
  SET pg_trgm.word_similarity_threshold = 0.35
  SET enable_seqscan = off AS $$
DECLARE
  lq text := lower(q);
  pat text := search_like(q);
  tsq tsquery := search_query(q);
  visible uuid[];
BEGIN
  IF tsq IS NULL OR numnode(tsq) = 0 THEN
    RETURN; -- no word (only spaces, punctuation or symbols): nothing matches, and no trigram would narrow the scan
  END IF;
  IF NOT sees_all THEN
    visible := ARRAY(SELECT pm.project_id FROM project_members pm
                      WHERE pm.organization_id = app_org_id() AND pm.user_id = app_user_id());
  END IF;
  RETURN QUERY
    WITH f AS (
      SELECT f.id, f.name FROM files f
        WHERE f.organization_id = app_org_id() AND search_vector(f.name) @@ tsq
          AND (sees_all OR f.project_id = ANY (visible)) LIMIT 200),
    g AS (
      SELECT f.id, f.name FROM files f
        WHERE f.organization_id = app_org_id() AND lower(f.name) %> lq
          AND (sees_all OR f.project_id = ANY (visible))
          AND length(lq) > 3 AND f.id NOT IN (SELECT f.id FROM f) LIMIT 200),
    m AS (SELECT * FROM f UNION ALL (SELECT * FROM g LIMIT 200 - (SELECT count(*) FROM f)))
    SELECT m.id, search_rank(lq, pat, tsq, m.name) AS r, (count(*) OVER ())::integer FROM m
     ORDER BY r DESC, m.id DESC LIMIT least(greatest(lim, 1), 50);
END
$$;

DO $$
DECLARE f text;
BEGIN
  FOREACH f IN ARRAY ARRAY['search_clients(text, integer)', 'search_projects(text, boolean, integer)',
      'search_tasks(text, boolean, integer)', 'search_comments(text, boolean, integer)',
      'search_files(text, boolean, integer)'] LOOP
    EXECUTE 'REVOKE ALL ON FUNCTION ' || f || ' FROM PUBLIC';
    EXECUTE 'GRANT EXECUTE ON FUNCTION ' || f || ' TO clientflow_app';
  END LOOP;
END $$;
