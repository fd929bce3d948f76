/**
 * Demo mode is chosen by how the server is started (`groundwork demo`), never by a
 * request. Credentials it needs but nobody gave are made once and kept in the data
 * directory, so restarts keep sessions and encrypted settings readable.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

interface DemoSecrets {
  apiSecret: string;
  encryptionKey: string;
}

export function prepareDemoEnvironment(env: NodeJS.ProcessEnv, dataDir: string): void {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, "demo-secrets.json");
  let secrets: DemoSecrets;
  if (existsSync(file)) {
    secrets = JSON.parse(readFileSync(file, "utf8")) as DemoSecrets;
  } else {
    secrets = { apiSecret: randomBytes(24).toString("hex"), encryptionKey: randomBytes(32).toString("base64") };
    writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  }
  env.GROUNDWORK_DEMO = "1";
  env.SHOPIFY_API_KEY ||= "groundwork-demo";
  env.SHOPIFY_API_SECRET ||= secrets.apiSecret;
  env.GROUNDWORK_ENCRYPTION_KEY ||= secrets.encryptionKey;
}
