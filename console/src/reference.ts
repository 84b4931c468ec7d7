/**
 * The interactive API reference: Scalar (loaded as /reference/scalar.js, copied from its package at
 * build time) rendering /openapi.json, with no outside fonts or proxies.
 */
declare const Scalar: { createApiReference(selector: string, config: Record<string, unknown>): unknown };

Scalar.createApiReference("#reference", {
  url: "/openapi.json",
  withDefaultFonts: false,
  hideClientButton: true,
  telemetry: false,
  agent: { disabled: true },
  mcp: { disabled: true },
});
