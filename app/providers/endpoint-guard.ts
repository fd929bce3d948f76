/**
 * Keeps merchant-supplied endpoints (Settings > answerer base URL) off the app's own
 * network. The server calls that URL with a key, and reports what came back: without a
 * guard a merchant could make it probe loopback services, the cloud metadata address or
 * the private network it runs in (server-side request forgery).
 *
 * The check runs where the connection is made, on every address the name resolves to,
 * so a name that resolves to a public address at save time and a private one later
 * (DNS rebinding) is refused too; redirects are refused, since they would connect
 * elsewhere. Operators who run a model server next to the app (Ollama, vLLM on a LAN)
 * allow private addresses with GROUNDWORK_ALLOW_PRIVATE_ENDPOINTS=1; demo and
 * development allow them by default.
 */
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { BlockList, isIP } from "node:net";
import { Agent, fetch as undiciFetch } from "undici";
import { ProviderError } from "./types";

export interface EndpointPolicy {
  /** Whether loopback, private, link-local and other non-public addresses may be called. */
  allowPrivateNetworks: boolean;
}

export const OPEN_POLICY: EndpointPolicy = { allowPrivateNetworks: true };

/** Address ranges that are not the public internet (IANA special-purpose registries). */
const NON_PUBLIC = new BlockList();
for (const [prefix, bits] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const) {
  NON_PUBLIC.addSubnet(prefix, bits, "ipv4");
}
for (const [prefix, bits] of [
  ["::", 128],
  ["::1", 128],
  ["64:ff9b:1::", 48],
  ["100::", 64],
  ["2001:db8::", 32],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
] as const) {
  NON_PUBLIC.addSubnet(prefix, bits, "ipv6");
}

/** Whether an IP address is outside the public internet. IPv4 inside IPv6 is judged as IPv4. */
export function isNonPublicAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, "").split("%")[0];
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
  if (mapped) return NON_PUBLIC.check(mapped[1], "ipv4");
  const family = isIP(bare);
  if (family === 4) return NON_PUBLIC.check(bare, "ipv4");
  if (family === 6) return NON_PUBLIC.check(bare, "ipv6");
  return true; // not an address at all: never treat as public
}

/** Raised inside the connection attempt; openai-errors turns it into the merchant's message. */
export class BlockedEndpointError extends Error {
  readonly code = "EBLOCKEDENDPOINT";
  constructor(
    readonly host: string,
    readonly address: string,
  ) {
    super(`${host} resolves to ${address}, which is not a public internet address.`);
    this.name = "BlockedEndpointError";
  }
}

export function blockedEndpointMessage(host: string, address?: string): string {
  const where = address && address !== host ? `${host} (${address})` : host;
  return `${where} is not a public internet address, and this app only calls public endpoints. Use the endpoint's public https URL.`;
}

type Lookup = (hostname: string, options: { all: true }, callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) => void;

/** A dns.lookup for sockets that fails when any address the name has is non-public. */
export function guardedLookup(resolve: Lookup = dnsLookup as unknown as Lookup) {
  return (hostname: string, options: { all?: boolean; family?: number }, callback: (...args: unknown[]) => void): void => {
    resolve(hostname, { all: true }, (error, addresses) => {
      if (error) return callback(error);
      const blocked = addresses.find((a) => isNonPublicAddress(a.address));
      if (blocked) return callback(new BlockedEndpointError(hostname, blocked.address));
      const usable = options.family ? addresses.filter((a) => a.family === options.family) : addresses;
      if (options.all) return callback(null, usable);
      const first = usable[0];
      if (!first) return callback(Object.assign(new Error(`No address for ${hostname}`), { code: "ENOTFOUND" }));
      callback(null, first.address, first.family);
    });
  };
}

/** Refuses a URL whose host is a non-public IP literal or a local name before any connection. */
export function assertPublicEndpoint(baseURL: string, policy: EndpointPolicy): void {
  if (policy.allowPrivateNetworks) return;
  const url = new URL(baseURL);
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (isIP(host) ? isNonPublicAddress(host) : /^(localhost|.*\.localhost|.*\.local|.*\.internal)$/i.test(host)) {
    throw new ProviderError("blocked_endpoint", blockedEndpointMessage(host));
  }
  if (url.protocol !== "https:") {
    throw new ProviderError("invalid_config", `Use an https:// URL for ${url.host}: the API key would otherwise travel unencrypted.`);
  }
}

let guardedDispatcher: Agent | undefined;

/**
 * fetch for the OpenAI SDK that connects only to public addresses. Literal IPs skip DNS,
 * so assertPublicEndpoint must have passed the base URL; redirects are errors.
 */
export const guardedFetch = ((input: Parameters<typeof undiciFetch>[0], init?: Parameters<typeof undiciFetch>[1]) => {
  guardedDispatcher ??= new Agent({ connect: { lookup: guardedLookup() as never } });
  return undiciFetch(input, { ...init, redirect: "error", dispatcher: guardedDispatcher });
}) as unknown as typeof fetch;
