/**
 * The two provider schemas and their migrations never drift from the one source
 * (docs/decisions/002): the rendered schemas equal the source, and applying each
 * provider's migrations to an empty database gives exactly the database that the
 * current schema creates.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { migrationsDir } from "../../app/db/open-database";
import { migratePostgres, migrateSqlite } from "../../app/db/migrate";
import { PROVIDERS, fullSchemaSql, renderSchema } from "../../scripts/prisma-schemas.mjs";
import { createTestDatabase, usingPostgres } from "../support/database";
import { repoRoot } from "../support/server";

function sqliteSchema(file: string): string[] {
  const db = new Database(file, { readonly: true });
  const rows = db
    .prepare(`SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND name NOT LIKE '_prisma_migrations%' ORDER BY type, name`)
    .all() as { type: string; name: string; sql: string | null }[];
  db.close();
  return rows.map((r) => `${r.type} ${r.name}: ${(r.sql ?? "").replace(/\s+/g, " ").trim()}`);
}

async function postgresSchema(url: string): Promise<string[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const cols = await c.query(
    `SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns
     WHERE table_schema = 'public' AND table_name <> '_prisma_migrations' ORDER BY table_name, column_name`,
  );
  const idx = await c.query(`SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' ORDER BY indexname`);
  await c.end();
  return [...cols.rows.map((r) => JSON.stringify(r)), ...idx.rows.map((r) => `${r.indexname}: ${r.indexdef}`)];
}

describe("prisma schemas", () => {
  it("GIVEN the schema source THEN both rendered provider schemas equal it", () => {
    for (const provider of PROVIDERS) {
      const committed = readFileSync(path.join(repoRoot, "prisma", provider, "schema.prisma"), "utf8");
      expect(committed, `prisma/${provider}/schema.prisma`).toBe(renderSchema(provider));
    }
  });

  it("GIVEN the SQLite migrations WHEN applied to an empty database THEN it equals the current schema's database", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "gw-drift-"));
    const migrated = path.join(dir, "migrated.db");
    migrateSqlite(`file:${migrated}`, migrationsDir("sqlite", repoRoot));
    const fresh = new Database(path.join(dir, "fresh.db"));
    fresh.exec(fullSchemaSql("sqlite"));
    fresh.close();
    const expected = sqliteSchema(path.join(dir, "fresh.db"));
    expect(expected.length).toBeGreaterThan(10);
    expect(sqliteSchema(migrated)).toEqual(expected);
  });

  it.skipIf(!usingPostgres)("GIVEN the PostgreSQL migrations WHEN applied to an empty database THEN it equals the current schema's database (runs when DATABASE_URL is PostgreSQL)", async () => {
    const [a, b] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    try {
      await migratePostgres(a.url, migrationsDir("postgresql", repoRoot));
      const c = new pg.Client({ connectionString: b.url });
      await c.connect();
      await c.query(fullSchemaSql("postgresql"));
      await c.end();
      const expected = await postgresSchema(b.url);
      expect(expected.length).toBeGreaterThan(10);
      expect(await postgresSchema(a.url)).toEqual(expected);
    } finally {
      await Promise.all([a.drop(), b.drop()]);
    }
  });
});
