import { Session } from "@shopify/shopify-api";
import type { SessionStorage } from "@shopify/shopify-app-session-storage";
import { describe, expect, it } from "vitest";
import { CachedSessionStorage } from "./cached-session-storage";

class RecordingStorage implements SessionStorage {
  loads = 0;
  rows = new Map<string, Session>();
  async storeSession(s: Session) {
    this.rows.set(s.id, s);
    return true;
  }
  async loadSession(id: string) {
    this.loads++;
    return this.rows.get(id);
  }
  async deleteSession(id: string) {
    return this.rows.delete(id);
  }
  async deleteSessions(ids: string[]) {
    ids.forEach((id) => this.rows.delete(id));
    return true;
  }
  async findSessionsByShop(shop: string) {
    return [...this.rows.values()].filter((s) => s.shop === shop);
  }
}

const session = () => new Session({ id: "offline_a.myshopify.com", shop: "a.myshopify.com", state: "", isOnline: false, accessToken: "t" });

describe("CachedSessionStorage", () => {
  it("GIVEN repeated loads within the TTL THEN the database is read once; after the TTL, again", async () => {
    let t = 0;
    const inner = new RecordingStorage();
    await inner.storeSession(session());
    const cached = new CachedSessionStorage(inner, 1000, () => t);
    for (let i = 0; i < 5; i++) expect((await cached.loadSession("offline_a.myshopify.com"))?.accessToken).toBe("t");
    expect(inner.loads).toBe(1);
    t = 1500;
    await cached.loadSession("offline_a.myshopify.com");
    expect(inner.loads).toBe(2);
  });

  it("GIVEN a delete through the cache THEN the next load does not return the deleted session", async () => {
    const inner = new RecordingStorage();
    await inner.storeSession(session());
    const cached = new CachedSessionStorage(inner, 60_000);
    await cached.loadSession("offline_a.myshopify.com");
    await cached.deleteSession("offline_a.myshopify.com");
    expect(await cached.loadSession("offline_a.myshopify.com")).toBeUndefined();
  });
});
