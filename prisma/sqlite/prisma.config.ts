// Prisma CLI config for the embedded SQLite database: the JS schema engine with a
// driver adapter, so no Rust engine is downloaded (docs/decisions/001).
import path from "node:path";
import { defineConfig } from "prisma/config";
import { createSqliteMigrationAdapter } from "../adapters";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join(import.meta.dirname, "schema.prisma"),
  migrations: { path: path.join(import.meta.dirname, "migrations") },
  adapter: async () => createSqliteMigrationAdapter(process.env.DATABASE_URL ?? "file:./data/groundwork.db"),
});
