/**
 * Opens the app database: SQLite (embedded default) or PostgreSQL, each with its
 * own generated Prisma client and driver adapter (docs/decisions/001, 002).
 */
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as SqliteClient } from "@groundwork/prisma-sqlite";
import { PrismaClient as PostgresClient } from "@groundwork/prisma-postgresql";
import { migratePostgres, migrateSqlite, sqliteFilePath, type MigrateResult } from "./migrate";

/** Both generated clients have the same models; the SQLite one's type stands for both. */
export type Db = SqliteClient;

export type DatabaseProvider = "sqlite" | "postgresql";

export function databaseProvider(url: string): DatabaseProvider {
  return url.startsWith("file:") ? "sqlite" : "postgresql";
}

export function migrationsDir(provider: DatabaseProvider, root = findRepoRoot()): string {
  return path.join(root, "prisma", provider, "migrations");
}

/** The repository root: where package.json and prisma/ are, from source or from the build. */
export function findRepoRoot(): string {
  if (process.env.GROUNDWORK_ROOT) return process.env.GROUNDWORK_ROOT;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(path.join(dir, "prisma", "schema.source.prisma"))) return dir;
    dir = path.dirname(dir);
  }
  return process.cwd();
}

export async function migrateDatabase(url: string, root?: string): Promise<MigrateResult> {
  const provider = databaseProvider(url);
  if (provider === "sqlite") {
    mkdirSync(path.dirname(path.resolve(sqliteFilePath(url))), { recursive: true });
    return migrateSqlite(url, migrationsDir(provider, root));
  }
  return migratePostgres(url, migrationsDir(provider, root));
}

export function openDatabase(url: string): Db {
  if (databaseProvider(url) === "sqlite") {
    const adapter = new PrismaBetterSQLite3({ url: sqliteFilePath(url), timeout: 5000 });
    return new SqliteClient({ adapter });
  }
  const adapter = new PrismaPg({ connectionString: url });
  return new PostgresClient({ adapter }) as unknown as Db;
}
