/**
 * Merchants' API keys at rest: AES-256-GCM with the server's key (config.encryptionKey,
 * 32 bytes base64). Output is "v1.<iv>.<tag>.<ciphertext>" in base64url; any change
 * to it, or a different key, makes decryption fail rather than return garbage.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

export class SecretError extends Error {
  constructor(
    readonly code: "no_encryption_key" | "bad_encryption_key" | "malformed_secret" | "secret_tampered",
    message: string,
  ) {
    super(message);
    this.name = "SecretError";
  }
}

const VERSION = "v1";

function keyBytes(encryptionKey: string | null | undefined): Buffer {
  if (!encryptionKey) throw new SecretError("no_encryption_key", "GROUNDWORK_ENCRYPTION_KEY is not set, so API keys cannot be stored. Set it (openssl rand -base64 32) and restart.");
  const key = Buffer.from(encryptionKey, "base64");
  if (key.length !== 32) throw new SecretError("bad_encryption_key", "GROUNDWORK_ENCRYPTION_KEY must be 32 bytes, base64-encoded.");
  return key;
}

export function encryptSecret(plaintext: string, encryptionKey: string | null | undefined): string {
  const key = keyBytes(encryptionKey);
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  // The version is authenticated too, so it cannot be swapped.
  cipher.setAAD(Buffer.from(VERSION));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [VERSION, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), ciphertext.toString("base64url")].join(".");
}

export function decryptSecret(sealed: string, encryptionKey: string | null | undefined): string {
  const key = keyBytes(encryptionKey);
  const parts = sealed.split(".");
  if (parts.length !== 4 || parts[0] !== VERSION) throw new SecretError("malformed_secret", "The stored secret is not in a format this version understands.");
  const [, ivText, tagText, dataText] = parts;
  const iv = Buffer.from(ivText, "base64url");
  const tag = Buffer.from(tagText, "base64url");
  if (iv.length !== 12 || tag.length !== 16) throw new SecretError("malformed_secret", "The stored secret is not in a format this version understands.");
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, iv);
    decipher.setAAD(Buffer.from(VERSION));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(Buffer.from(dataText, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new SecretError("secret_tampered", "The stored API key could not be decrypted (it was changed, or the encryption key changed). Enter the API key again.");
  }
}

/** "sk-…abcd": enough for a merchant to recognise a key, never enough to use it. */
export function maskSecret(secret: string): string {
  const tail = secret.length >= 12 ? secret.slice(-4) : "";
  const head = /^[a-z]{2,4}-/i.exec(secret)?.[0] ?? "";
  return `${head}…${tail}`;
}
