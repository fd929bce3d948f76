/**
 * A fresh, empty database for one test server or suite: a SQLite file in a temp
 * folder by default, or a new PostgreSQL database when DATABASE_URL points at one
 * (the CI runs the suite both ways).
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";

export interface TestDatabase {
  url: string;
  provider: "sqlite" | "postgresql";
  drop(): Promise<void>;
}

export const usingPostgres = Boolean(process.env.DATABASE_URL?.startsWith("postgres"));

export async function createTestDatabase(): Promise<TestDatabase> {
  if (usingPostgres) {
    const base = new URL(process.env.DATABASE_URL!);
    const name = `gw_test_${randomBytes(6).toString("hex")}`;
    const admin = new pg.Client({ connectionString: base.toString() });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(base.toString());
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      provider: "postgresql",
      async drop() {
        const c = new pg.Client({ connectionString: base.toString() });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await c.end();
      },
    };
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), "gw-db-"));
  return {
    url: `file:${path.join(dir, "test.db")}`,
    provider: "sqlite",
    async drop() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
