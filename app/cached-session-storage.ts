/**
 * A short-lived in-process cache in front of the session storage. Every webhook
 * and app-proxy request loads the shop's offline session; under a burst that is one
 * database round trip per request for the same row. Writes and deletes made through
 * this process invalidate at once; changes made by another process (a worker
 * deleting sessions on uninstall) are seen within the TTL.
 */
import type { Session } from "@shopify/shopify-api";
import type { SessionStorage } from "@shopify/shopify-app-session-storage";

export class CachedSessionStorage implements SessionStorage {
  private readonly cache = new Map<string, { at: number; session: Session | undefined }>();

  constructor(
    private readonly inner: SessionStorage & { isReady?: () => Promise<boolean> },
    private readonly ttlMs = 10_000,
    private readonly now: () => number = Date.now,
    private readonly maxEntries = 5_000,
  ) {}

  async isReady(): Promise<boolean> {
    return this.inner.isReady ? this.inner.isReady() : true;
  }

  async storeSession(session: Session): Promise<boolean> {
    this.cache.delete(session.id);
    return this.inner.storeSession(session);
  }

  async loadSession(id: string): Promise<Session | undefined> {
    const hit = this.cache.get(id);
    if (hit && this.now() - hit.at < this.ttlMs) return hit.session;
    const session = await this.inner.loadSession(id);
    if (this.cache.size >= this.maxEntries) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(id, { at: this.now(), session });
    return session;
  }

  async deleteSession(id: string): Promise<boolean> {
    this.cache.delete(id);
    return this.inner.deleteSession(id);
  }

  async deleteSessions(ids: string[]): Promise<boolean> {
    for (const id of ids) this.cache.delete(id);
    return this.inner.deleteSessions(ids);
  }

  async findSessionsByShop(shop: string): Promise<Session[]> {
    return this.inner.findSessionsByShop(shop);
  }
}
