-- Flux document search (see docs/search.md). Every table is keyed by project_id first so projects
-- never share an index range; every query names project_id and collection before anything else.

-- One row per document: what GetDocument/SearchDocuments return, plus the keys they sort on.
CREATE TABLE search_documents (
  project_id    TEXT    NOT NULL,
  collection    TEXT    NOT NULL,
  id            TEXT    NOT NULL,
  ts            INTEGER,                    -- epoch ms
  end_ts        INTEGER,                    -- epoch ms, already max(end, ts) as SerializedDocument.getEnd()
  data_value    TEXT,                       -- base64 of the client's document blob, returned as sent
  data_type     TEXT,
  data_revision INTEGER NOT NULL DEFAULT 0,
  data_format   TEXT,
  summary       TEXT,
  facets        TEXT    NOT NULL DEFAULT '[]',  -- JSON [{name,value}]
  sortables     TEXT    NOT NULL DEFAULT '[]',  -- JSON [{name,value}] (the wire's `indexes`)
  write_token   TEXT    NOT NULL,           -- which write stored this version; child rows follow it
  doomed        INTEGER NOT NULL DEFAULT 0, -- set and cleared inside one batch when deleting by query
  PRIMARY KEY (project_id, collection, id)
);
CREATE INDEX search_documents_ts ON search_documents (project_id, collection, ts);
CREATE INDEX search_documents_end ON search_documents (project_id, collection, end_ts);
CREATE INDEX search_documents_doomed ON search_documents (project_id, collection, id) WHERE doomed = 1;

-- The inverted document: one row per (entry, path); root values get path ''.
CREATE TABLE search_entries (
  project_id TEXT    NOT NULL,
  collection TEXT    NOT NULL,
  doc_id     TEXT    NOT NULL,
  ord        INTEGER NOT NULL,  -- entry position in the document: "first entry at path" for stats
  type       INTEGER NOT NULL,  -- 0 TEXT, 1 NUMERIC, 2 BOOLEAN, 3 NULL, 4 EMPTY_ARRAY, 5 EMPTY_OBJECT
  value      TEXT    NOT NULL,
  phrase     TEXT    NOT NULL,  -- Entry.asPhrase(): normalised TEXT, raw value otherwise
  value_ci   TEXT,              -- Java-lowercased value when it differs from value (between on text)
  num        REAL,              -- NUMERIC value
  path_long  TEXT    NOT NULL,
  path_short TEXT    NOT NULL
);
CREATE INDEX search_entries_phrase ON search_entries (project_id, collection, phrase);
CREATE INDEX search_entries_path_num ON search_entries (project_id, collection, path_short, num);
CREATE INDEX search_entries_doc ON search_entries (project_id, collection, doc_id, ord);

-- Words of each entry's phrase (maximal runs of letters and digits): whole-word, prefix (word) and
-- suffix (reversed word) lookups for contains, query and lookAhead constraints.
CREATE TABLE search_words (
  project_id TEXT    NOT NULL,
  collection TEXT    NOT NULL,
  doc_id     TEXT    NOT NULL,
  ord        INTEGER NOT NULL,
  word       TEXT    NOT NULL,
  rword      TEXT    NOT NULL
);
CREATE INDEX search_words_word ON search_words (project_id, collection, word);
CREATE INDEX search_words_rword ON search_words (project_id, collection, rword);
CREATE INDEX search_words_doc ON search_words (project_id, collection, doc_id);

CREATE TABLE search_facets (
  project_id TEXT NOT NULL,
  collection TEXT NOT NULL,
  doc_id     TEXT NOT NULL,
  name       TEXT NOT NULL,
  value      TEXT NOT NULL
);
CREATE INDEX search_facets_value ON search_facets (project_id, collection, name, value);
CREATE INDEX search_facets_doc ON search_facets (project_id, collection, doc_id);

-- @Sortable values, pre-encoded by the client so that string order is value order.
CREATE TABLE search_sortables (
  project_id TEXT NOT NULL,
  collection TEXT NOT NULL,
  doc_id     TEXT NOT NULL,
  name       TEXT NOT NULL,
  value      TEXT NOT NULL,
  path_long  TEXT NOT NULL,
  path_short TEXT NOT NULL
);
CREATE INDEX search_sortables_doc ON search_sortables (project_id, collection, doc_id);

-- Per-collection settings: CreateAuditTrail's retention (NULL keeps documents forever).
CREATE TABLE search_collections (
  project_id        TEXT NOT NULL,
  collection        TEXT NOT NULL,
  retention_seconds INTEGER,
  PRIMARY KEY (project_id, collection)
);
