// One Prisma client per server process (kept across dev reloads).
import { openDatabase, type Db } from "./db/open-database";
import { config } from "./env.server";

const globalForDb = globalThis as unknown as { groundworkDb?: Db };

const prisma: Db = globalForDb.groundworkDb ?? openDatabase(config.database.url);
if (process.env.NODE_ENV !== "production") globalForDb.groundworkDb = prisma;

export default prisma;
