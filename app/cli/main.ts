/**
 * The `groundwork` command: a thin door onto the same core the routes use.
 * Each command parses its arguments, builds services from validated config, calls
 * one core function and prints the result (a table for people, --json for machines).
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { ConfigError, loadConfig, type Config } from "../config";
import { findRepoRoot } from "../db/open-database";
import { prepareDemoEnvironment } from "./demo-env";
import { commands } from "./commands";

export interface CliContext {
  argv: string[];
  env: NodeJS.ProcessEnv;
  root: string;
  out: (line: string) => void;
  err: (line: string) => void;
  loadConfig(): Config;
}

const HELP = `groundwork — a shopping assistant grounded in your store's data

Usage: groundwork [--data-dir DIR] <command> [options]

Commands:
  demo      Start the app with the demo store, no Shopify needed (embedded defaults)
  serve     Start the app server (needs the build: npm run build)
  worker    Run a background worker on its own (shares the queue with the server)
  import    Import catalog files for a shop: Shopify CSV, Admin REST JSON, bulk JSONL, policy folders, JSONL documents
  search    Search a shop's index: groundwork search --shop <shop> [--k 10] [--json] "<query>"
  ask       Ask as a shopper: groundwork ask --shop <shop> [--product <handle>] [--json] "<question>"
  eval      Evaluate answers and retrieval; writes JSON and Markdown reports
  voice     Phase 2, brand voice: groundwork voice dataset|evaluate|write --shop <shop> (see voice --help)
  distill   Phase 3: groundwork distill report --shop <shop> [--json] (the gate table), or export (dataset JSONL)

Global options:
  --data-dir DIR   Where the embedded database and index live (default ./data; env GROUNDWORK_DATA_DIR)
  -h, --help       Show help (also: groundwork <command> --help)
`;

export async function main(argv: string[], io: Partial<Pick<CliContext, "out" | "err" | "env">> = {}): Promise<number> {
  const out = io.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const err = io.err ?? ((line: string) => process.stderr.write(`${line}\n`));
  const env = io.env ?? process.env;

  const { values, positionals, tokens } = parseArgs({
    args: argv,
    options: { "data-dir": { type: "string" }, help: { type: "boolean", short: "h" } },
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const commandName = positionals[0];
  if (!commandName) {
    out(HELP);
    return values.help ? 0 : 2;
  }
  const command = commands[commandName];
  if (!command) {
    err(`Unknown command "${commandName}".\n`);
    err(HELP);
    return 2;
  }
  if (typeof values["data-dir"] === "string") env.GROUNDWORK_DATA_DIR = path.resolve(values["data-dir"]);
  // Everything after the command name, minus the global options, goes to the command.
  const commandIndex = tokens.find((t) => t.kind === "positional")!.index;
  const rest = argv.slice(commandIndex + 1).filter((a, i, all) => a !== "--data-dir" && all[i - 1] !== "--data-dir" && !a.startsWith("--data-dir="));

  const root = findRepoRoot();
  const ctx: CliContext = {
    argv: rest,
    env,
    root,
    out,
    err,
    loadConfig() {
      if (commandName === "demo") prepareDemoEnvironment(env, path.resolve(env.GROUNDWORK_DATA_DIR ?? "data"));
      // Commands that work on local data need no Shopify credentials.
      return loadConfig(env, { requireShopify: commandName === "serve" || commandName === "worker" });
    },
  };
  try {
    if (values.help && rest.length === 0 && command.help) {
      out(command.help);
      return 0;
    }
    return await command.run(ctx);
  } catch (error) {
    if (error instanceof ConfigError) {
      err(error.message);
      return 2;
    }
    const e = error as { code?: string; message?: string };
    err(`Error${e.code ? ` (${e.code})` : ""}: ${e.message ?? String(error)}`);
    if (env.GROUNDWORK_DEBUG) err((error as Error).stack ?? "");
    return 1;
  }
}
