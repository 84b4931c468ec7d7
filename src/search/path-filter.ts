/**
 * SearchDocuments `pathFilters` (SearchDocuments.computePathFilter): return only the parts of each
 * hit at the included paths (`-path` excludes). A path covers itself and everything below it.
 */
import { decodeDocument, encodeDocument } from "./document-codec";
import { compilePathQuery, matchesPath, type PathMatcher } from "./paths";
import { DOCUMENT_FORMAT, type SerializedDocument } from "../protocol/document";

/** A compiled set of path filters. */
export type PathFilter = (path: string) => boolean;

/** Compiles path filters; include filters are alternatives, exclude filters all apply. */
export function compilePathFilter(filters: readonly string[]): PathFilter {
  const covers = (p: string): PathMatcher[] => {
    const path = p.replace(/(?<!\\)\./g, "/");
    return [compilePathQuery(path), compilePathQuery(`${path}/**`)];
  };
  const includes = filters.filter((f) => !f.startsWith("-")).map(covers);
  const excludes = filters.filter((f) => f.startsWith("-")).map((f) => covers(f.slice(1)));
  const hit = (path: string, m: PathMatcher[]) => m.some((x) => matchesPath(x, path));
  return (path) => (includes.length === 0 || includes.some((m) => hit(path, m))) && !excludes.some((m) => hit(path, m));
}

/**
 * Rebuilds a hit with only the filtered paths, as Flux does: re-serialized from the filtered
 * document, so the summary is dropped; entries left without paths disappear.
 */
export function filterDocument(d: SerializedDocument, filter: PathFilter): SerializedDocument {
  if (d.document.format !== DOCUMENT_FORMAT || !d.document.value) return d;
  const doc = decodeDocument(d.document.value);
  const entries = doc.entries
    .map((e) => ({ ...e, paths: e.paths.filter(filter) }))
    .filter((e) => e.paths.length > 0);
  const { summary: _dropped, ...rest } = d;
  return { ...rest, document: { ...d.document, value: encodeDocument({ ...doc, entries }) } };
}
