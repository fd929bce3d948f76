import { describe, expect, it } from "vitest";
import { assertPublicEndpoint, BlockedEndpointError, guardedLookup, isNonPublicAddress } from "./endpoint-guard";
import { ProviderError } from "./types";

describe("which addresses are not the public internet", () => {
  it("knows loopback, private, link-local, carrier-grade NAT and documentation ranges, in both families", () => {
    for (const address of ["127.0.0.1", "10.0.0.5", "172.16.3.4", "172.31.255.255", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "::1", "::", "fd12:3456::1", "fe80::1", "::ffff:127.0.0.1", "::ffff:10.1.1.1", "[::1]", "not-an-address"]) {
      expect(isNonPublicAddress(address), address).toBe(true);
    }
    for (const address of ["8.8.8.8", "172.32.0.1", "104.18.6.192", "2606:4700::6810:85e5", "::ffff:8.8.4.4"]) {
      expect(isNonPublicAddress(address), address).toBe(false);
    }
  });
});

describe("a merchant's base URL", () => {
  const deny = { allowPrivateNetworks: false };
  const refused = (url: string) => {
    try {
      assertPublicEndpoint(url, deny);
      return null;
    } catch (error) {
      return error as ProviderError;
    }
  };

  it("is refused when it names a local address or name, and must use https", () => {
    for (const url of ["http://127.0.0.1:8080/v1", "https://[::1]/v1", "https://169.254.169.254/latest", "https://localhost/v1", "https://models.internal/v1", "https://printer.local/v1"]) {
      expect(refused(url)?.code, url).toBe("blocked_endpoint");
    }
    expect(refused("http://api.openai.example/v1")?.code).toBe("invalid_config");
    expect(refused("https://api.openai.example/v1")).toBeNull();
    expect(() => assertPublicEndpoint("http://127.0.0.1:8080/v1", { allowPrivateNetworks: true })).not.toThrow();
  });
});

describe("the socket lookup", () => {
  const resolver = (addresses: { address: string; family: number }[]) => (_host: string, _options: { all: true }, callback: (error: null, list: typeof addresses) => void) => callback(null, addresses);
  const run = (addresses: { address: string; family: number }[], options: { all?: boolean; family?: number } = {}) =>
    new Promise<unknown[]>((resolve) => guardedLookup(resolver(addresses))("api.example.com", options, (...args) => resolve(args)));

  it("passes a name whose every address is public", async () => {
    expect(await run([{ address: "104.18.6.192", family: 4 }])).toEqual([null, "104.18.6.192", 4]);
    expect(await run([{ address: "104.18.6.192", family: 4 }, { address: "2606:4700::6810:85e5", family: 6 }], { all: true })).toEqual([
      null,
      [{ address: "104.18.6.192", family: 4 }, { address: "2606:4700::6810:85e5", family: 6 }],
    ]);
  });

  it("refuses a name with any non-public address, as a rebinding name would have", async () => {
    const [error] = await run([{ address: "104.18.6.192", family: 4 }, { address: "10.0.0.7", family: 4 }]);
    expect(error).toBeInstanceOf(BlockedEndpointError);
    expect((error as BlockedEndpointError).address).toBe("10.0.0.7");
  });
});
