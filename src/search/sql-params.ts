/**
 * Numbered SQL parameters. Everything a client sends is bound, never spliced into SQL; ?1 is always
 * the project and ?2 the JSON list of collections, so every clause can scope itself cheaply.
 */
import { BadRequest } from "../errors";

// D1 accepts at most 100 bound parameters per statement.
const MAX_PARAMS = 100;

/** Collects bound values and hands out their `?N` placeholders. */
export class SqlParams {
  readonly values: unknown[];

  constructor(projectId: string, collections: readonly string[]) {
    this.values = [projectId, JSON.stringify(collections)];
  }

  /** Fresh parameters with the same project and collections, for a separate statement. */
  fork(): SqlParams {
    return new SqlParams(this.values[0] as string, JSON.parse(this.values[1] as string) as string[]);
  }

  /** Binds a value and returns its placeholder. */
  bind(value: unknown): string {
    if (this.values.length >= MAX_PARAMS) throw new BadRequest("Search too complex: more than 100 values to compare");
    this.values.push(value);
    return `?${this.values.length}`;
  }
}

/** The `project_id = ?1 AND collection IN (?2)` scope of a table alias. */
export function scope(alias: string): string {
  return `${alias}.project_id = ?1 AND ${alias}.collection IN (SELECT value FROM json_each(?2))`;
}
