import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
export function createSqliteMigrationAdapter(url: string) {
  return new PrismaBetterSQLite3({ url });
}
export function createPostgresMigrationAdapter(url: string) {
  return new PrismaPg({ connectionString: url });
}
