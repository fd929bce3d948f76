#!/usr/bin/env node
// Renders the two provider schemas from prisma/schema.source.prisma, checks they
// have not drifted, generates both clients, and creates migrations for both
// providers at once (docs/decisions/002-two-provider-schema.md).
//
//   node scripts/prisma-schemas.mjs write            render both schemas
//   node scripts/prisma-schemas.mjs check            exit 1 when a rendered schema differs from the source
//   node scripts/prisma-schemas.mjs generate         generate both Prisma clients
//   node scripts/prisma-schemas.mjs migrate <name>   add a migration for both providers (diff against HEAD's schema)
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const PROVIDERS = ["sqlite", "postgresql"];
// The CLI must parse the schema's datasource url even for offline commands; a
// placeholder of the right provider is enough (the commands here open no database).
const PLACEHOLDER_URL = { sqlite: "file::memory:", postgresql: process.env.GROUNDWORK_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres" };

export function renderSchema(provider) {
  const source = readFileSync(path.join(root, "prisma/schema.source.prisma"), "utf8");
  const header = `// Generated from prisma/schema.source.prisma by scripts/prisma-schemas.mjs. Do not edit.\n`;
  return header + source.replaceAll("{{provider}}", provider);
}

function schemaPath(provider) {
  return path.join(root, "prisma", provider, "schema.prisma");
}

function prisma(provider, args, { capture = false } = {}) {
  const bin = path.join(root, "node_modules/prisma/build/index.js");
  const env = { ...process.env, DATABASE_URL: PLACEHOLDER_URL[provider], PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1" };
  return execFileSync(process.execPath, [bin, ...args, "--config", path.join(root, "prisma", provider, "prisma.config.ts")], {
    cwd: root,
    env,
    encoding: "utf8",
    stdio: capture ? ["ignore", "pipe", "pipe"] : "inherit",
  });
}

function write() {
  for (const provider of PROVIDERS) writeFileSync(schemaPath(provider), renderSchema(provider));
}

function check() {
  const drifted = PROVIDERS.filter((p) => !existsSync(schemaPath(p)) || readFileSync(schemaPath(p), "utf8") !== renderSchema(p));
  if (drifted.length) {
    console.error(`Schema drift: ${drifted.map((p) => `prisma/${p}/schema.prisma`).join(", ")} differ(s) from prisma/schema.source.prisma. Run: npm run prisma:generate-schemas`);
    process.exit(1);
  }
  console.log("prisma schemas match their source");
}

function generate() {
  for (const provider of PROVIDERS) prisma(provider, ["generate", "--no-hints"], { capture: true });
}

/** The SQL that creates the current schema from nothing (for the drift check). */
export function fullSchemaSql(provider) {
  return prisma(provider, ["migrate", "diff", "--from-empty", "--to-schema-datamodel", schemaPath(provider), "--script"], { capture: true });
}

function migrate(name) {
  if (!name || !/^[a-z0-9_]+$/.test(name)) throw new Error("usage: migrate <name> (lowercase letters, digits, _)");
  write();
  const stamp = new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14);
  const tmp = mkdtempSync(path.join(os.tmpdir(), "gw-schema-"));
  for (const provider of PROVIDERS) {
    let from = ["--from-empty"];
    try {
      const previous = execFileSync("git", ["show", `HEAD:prisma/${provider}/schema.prisma`], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
      const file = path.join(tmp, `${provider}.prisma`);
      writeFileSync(file, previous);
      from = ["--from-schema-datamodel", file];
    } catch {
      // No committed schema yet: the first migration starts from empty.
    }
    const sql = prisma(provider, ["migrate", "diff", ...from, "--to-schema-datamodel", schemaPath(provider), "--script"], { capture: true });
    if (!sql.trim() || /This is an empty migration/.test(sql)) {
      console.log(`${provider}: no changes`);
      continue;
    }
    const dir = path.join(root, "prisma", provider, "migrations", `${stamp}_${name}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "migration.sql"), sql);
    console.log(`${provider}: wrote ${path.relative(root, dir)}/migration.sql`);
  }
  const lock = (p) => path.join(root, "prisma", p, "migrations", "migration_lock.toml");
  for (const p of PROVIDERS) if (!existsSync(lock(p))) writeFileSync(lock(p), `# Written by scripts/prisma-schemas.mjs\nprovider = "${p}"\n`);
}

const [command, arg] = process.argv.slice(2);
if (import.meta.url === `file://${process.argv[1]}`) {
  if (command === "write") write();
  else if (command === "check") check();
  else if (command === "generate") generate();
  else if (command === "migrate") migrate(arg);
  else {
    console.error("usage: prisma-schemas.mjs write|check|generate|migrate <name>");
    process.exit(2);
  }
}
