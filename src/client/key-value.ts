/**
 * Thin wrappers over the `/keyValue` endpoint: JSON values stored as Flux `Data`.
 */
import type { Data, Guarantee } from "../protocol/messages";
import type { WireResult } from "./codec";
import type { Endpoints } from "./endpoints";
import { decodeData, jsonData } from "./messages";

/** The hub's key-value store, from {@link FluxClient.keyValue}. */
export class KeyValueStore {
  /** Use {@link FluxClient.keyValue}. */
  constructor(private readonly endpoints: Endpoints) {}

  /** Stores (overwrites) every entry of `values`; resolves once stored unless `guarantee` says otherwise. */
  async storeValues(values: Record<string, unknown>, guarantee: Guarantee = "STORED"): Promise<void> {
    const pairs = Object.entries(values).map(([key, value]) => ({ key, value: jsonData(value) }));
    await this.command({ "@type": "storeValues", values: pairs, guarantee }, guarantee);
  }

  /** Stores `value` under `key` unless the key exists; true when it was stored. */
  async storeValueIfAbsent(key: string, value: unknown): Promise<boolean> {
    const result = await this.connection().request<WireResult & { success: boolean }>({
      "@type": "storeValueIfAbsent",
      value: { key, value: jsonData(value) },
      guarantee: "STORED",
    });
    return result.success;
  }

  /** The value under `key`, or undefined when there is none. */
  async getValue<T = unknown>(key: string): Promise<T | undefined> {
    const result = await this.connection().request<WireResult & { value: Data | null }>({ "@type": "getValue", key });
    return result.value ? (decodeData(result.value) as T) : undefined;
  }

  /** Deletes `key` (a no-op when absent). */
  async deleteValue(key: string, guarantee: Guarantee = "STORED"): Promise<void> {
    await this.command({ "@type": "deleteValue", key, guarantee }, guarantee);
  }

  private async command(body: { "@type": string } & Record<string, unknown>, guarantee: Guarantee): Promise<void> {
    if (guarantee === "STORED") await this.connection().request(body);
    else await this.connection().post(body);
  }

  private connection() {
    return this.endpoints.connection("keyValue");
  }
}
