// Integration and browser tests run against the built server: make sure it is current.
// @ts-expect-error plain ESM script without types
import { ensureReady } from "../../scripts/setup.mjs";

export default function setup() {
  (ensureReady as (o: { build: boolean }) => void)({ build: true });
}
