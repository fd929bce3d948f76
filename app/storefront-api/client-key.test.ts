import { describe, expect, it } from "vitest";
import { clientIdentityOf, clientKeyOf } from "./client-key";

describe("clientKeyOf", () => {
  it("prefers the logged-in customer, then the first forwarded address, then X-Real-IP", () => {
    expect(clientIdentityOf({ loggedInCustomerId: "42", forwardedFor: "1.2.3.4" })).toBe("customer:42");
    expect(clientIdentityOf({ loggedInCustomerId: "", forwardedFor: "203.0.113.9, 10.0.0.1", realIp: "9.9.9.9" })).toBe("ip:203.0.113.9");
    expect(clientIdentityOf({ realIp: " 9.9.9.9 " })).toBe("ip:9.9.9.9");
    expect(clientIdentityOf({})).toBe("anonymous");
  });

  it("is a salted hash: stable, different per shop and per salt, and never contains the address", () => {
    const id = { forwardedFor: "203.0.113.9" };
    const key = clientKeyOf("a.myshopify.com", id, "salt-1");
    expect(key).toMatch(/^[0-9a-f]{32}$/);
    expect(key).toBe(clientKeyOf("a.myshopify.com", id, "salt-1"));
    expect(key).not.toBe(clientKeyOf("b.myshopify.com", id, "salt-1"));
    expect(key).not.toBe(clientKeyOf("a.myshopify.com", id, "salt-2"));
    expect(key).not.toContain("203");
  });
});
