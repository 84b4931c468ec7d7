/**
 * The Flux search wire model (common/api/search): serialized documents, their facets and sortable
 * indexes, and the decoded document's typed entries.
 */
import type { Data } from "../protocol/messages";

/** `Document.EntryType`, by its serialized byte. */
export const EntryType = { TEXT: 0, NUMERIC: 1, BOOLEAN: 2, NULL: 3, EMPTY_ARRAY: 4, EMPTY_OBJECT: 5 } as const;
export type EntryType = (typeof EntryType)[keyof typeof EntryType];

/** One value of a document and the paths it occurs at (empty for a root value). */
export interface DocumentEntry {
  type: EntryType;
  value: string;
  paths: string[];
}

/** A decoded Flux document (`common/search/Document`) as the DefaultDocumentSerializer writes it. */
export interface FluxDocument {
  id: string;
  timestamp: number | null;
  end: number | null;
  collection: string;
  entries: DocumentEntry[];
}

/** `FacetEntry`, and also `SortableEntry` (whose value is pre-encoded to sort as a string). */
export interface NamedValue {
  name: string;
  value: string;
}

/** `SerializedDocument` as it travels in JSON. `end` is already max(end, timestamp). */
export interface SerializedDocument {
  id: string;
  timestamp?: number | null;
  end?: number | null;
  collection: string;
  document: Data;
  summary?: string | null;
  facets?: NamedValue[] | null;
  indexes?: NamedValue[] | null;
}

/** The `data.format` of a document blob. */
export const DOCUMENT_FORMAT = "document";
