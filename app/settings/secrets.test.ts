import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret, maskSecret, SecretError } from "./secrets";

const key = randomBytes(32).toString("base64");

describe("API key encryption (AES-256-GCM)", () => {
  it("round-trips, with a fresh IV each time", () => {
    const a = encryptSecret("sk-live-1234567890abcd", key);
    const b = encryptSecret("sk-live-1234567890abcd", key);
    expect(a).not.toBe(b);
    expect(a).not.toContain("1234567890");
    expect(decryptSecret(a, key)).toBe("sk-live-1234567890abcd");
  });

  it("detects tampering with the ciphertext, the tag or the IV", () => {
    const sealed = encryptSecret("sk-secret-value-xyz", key);
    const [v, iv, tag, data] = sealed.split(".");
    const flip = (s: string) => {
      const bytes = Buffer.from(s, "base64url");
      bytes[0] ^= 1;
      return bytes.toString("base64url");
    };
    for (const bad of [[v, iv, tag, flip(data)], [v, iv, flip(tag), data], [v, flip(iv), tag, data]]) {
      expect(() => decryptSecret(bad.join("."), key)).toThrow(expect.objectContaining({ code: "secret_tampered" }));
    }
  });

  it("refuses a different key, a malformed value and a missing key", () => {
    const sealed = encryptSecret("sk-abc", key);
    expect(() => decryptSecret(sealed, randomBytes(32).toString("base64"))).toThrow(SecretError);
    expect(() => decryptSecret("not-a-secret", key)).toThrow(expect.objectContaining({ code: "malformed_secret" }));
    expect(() => encryptSecret("x", null)).toThrow(expect.objectContaining({ code: "no_encryption_key" }));
    expect(() => encryptSecret("x", Buffer.alloc(16).toString("base64"))).toThrow(expect.objectContaining({ code: "bad_encryption_key" }));
  });

  it("masks a key to its prefix and last four characters", () => {
    expect(maskSecret("sk-proj-abcdefghijklmnop1234")).toBe("sk-…1234");
    expect(maskSecret("short")).toBe("…");
  });
});
