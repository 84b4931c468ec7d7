// Applies the D1 migrations to the test database before the tests of each file run.
import { applyD1Migrations, env } from "cloudflare:test";

await applyD1Migrations(env.DB, env.TEST_MIGRATIONS ?? []);
