import { describe, expect, it } from "vitest";
import { compileTypeFilter } from "../../../src/log/type-filter";

describe("typeFilter runs in linear time (finding 4)", () => {
  it("matches whole types as Java's Pattern.matches does", () => {
    const f = compileTypeFilter("com\\.example\\..*Event");
    expect(f.test("com.example.OrderEvent")).toBe(true);
    expect(f.test("xcom.example.OrderEvent")).toBe(false);
    expect(f.test("com.example.OrderEvents")).toBe(false);
  });

  it("does not backtrack on (a+)+b", () => {
    const started = Date.now();
    expect(compileTypeFilter("(a+)+b").test("a".repeat(5000) + "!")).toBe(false);
    expect(Date.now() - started).toBeLessThan(500);
  });

  it("refuses a pattern RE2 cannot run with a BadRequest", () => {
    expect(() => compileTypeFilter("(a)\\1")).toThrow(/typeFilter is not a regular expression the hub can run/);
    // Refused every time: a bad pattern is not remembered as if it had compiled.
    expect(() => compileTypeFilter("(a)\\1")).toThrow(/typeFilter is not a regular expression the hub can run/);
  });

  it("compiles each pattern once: every read of a filtered tracker names it again", () => {
    expect(compileTypeFilter("com\\.shop\\..*")).toBe(compileTypeFilter("com\\.shop\\..*"));
  });
});
