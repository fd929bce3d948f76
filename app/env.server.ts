// The server's configuration, validated once when the server starts.
import { ConfigError, loadConfig, type Config } from "./config";

function load(): Config {
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

export const config: Config = load();
