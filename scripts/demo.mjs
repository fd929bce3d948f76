#!/usr/bin/env node
// `npm run demo`: prepare what is missing, then start the app in demo mode.
import { spawn } from "node:child_process";
import { ensureReady, root } from "./setup.mjs";

ensureReady();
// A larger young generation: fewer scavenges under request bursts (see README).
const child = spawn(process.execPath, ["--max-semi-space-size=64", "bin/groundwork.mjs", "demo", ...process.argv.slice(2)], { cwd: root, stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code) => process.exit(code ?? 0));
