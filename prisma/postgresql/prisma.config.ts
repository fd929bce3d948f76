// Prisma CLI config for PostgreSQL: the JS schema engine with the pg driver adapter
// (docs/decisions/001).
import path from "node:path";
import { defineConfig } from "prisma/config";
import { createPostgresMigrationAdapter } from "../adapters";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join(import.meta.dirname, "schema.prisma"),
  migrations: { path: path.join(import.meta.dirname, "migrations") },
  adapter: async () => createPostgresMigrationAdapter(process.env.DATABASE_URL ?? ""),
});
