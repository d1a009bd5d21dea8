import type { FastifyInstance } from "fastify";
import type { Logger } from "pino";

import {
  bootstrapAdministrator,
  type BootstrapResult,
} from "../accounts/index.js";
import {
  loadSigningKey,
  signingKeySource,
  writeCheckpoint,
  type SigningKey,
} from "../audit/index.js";
import type { Settings } from "../config/settings.js";
import { openFieldKeys, sealClearFields } from "../privacy/index.js";
import { readServerTlsOptions } from "../providers/index.js";
import {
  readRetentionSettings,
  scheduleRetention,
} from "../retention/index.js";
import { openStore, type Store } from "../store/index.js";
import { buildApp } from "./app.js";
import { createLogger } from "./logger.js";

export { buildApp } from "./app.js";
export { createLogger } from "./logger.js";

/** A running epitrace server and the store it serves. */
export interface RunningSystem {
  app: FastifyInstance;
  store: Store;
  /** Base URL the server listens on, such as http://127.0.0.1:8080. */
  url: string;
  /** The first administrator's one-time password when this start created it. */
  bootstrap: BootstrapResult | null;
  close(): Promise<void>;
}

export interface StartOptions {
  settings: Settings;
  logger?: Logger;
}

/**
 * Opens the store (migrating it), creates the first administrator on an
 * empty store, and starts listening. Port 0 picks a free port.
 */
export async function startSystem(
  options: StartOptions,
): Promise<RunningSystem> {
  const { settings } = options;
  const logger = options.logger ?? createLogger(settings.logLevel);
  const store = await openStore({ dataDir: settings.dataDir });
  const keys = openFieldKeys(settings.dataDir);

  try {
    const sealed = await sealClearFields(store.db, keys);
    if (sealed.personsSealed + sealed.requestsSealed > 0) {
      logger.info(sealed, "clear personal fields encrypted");
    }
    const bootstrap = await bootstrapAdministrator(store.db);
    const app = await buildApp({
      services: { store, settings, keys },
      logger,
      https: readServerTlsOptions(),
    });
    const url = await app.listen({ host: settings.host, port: settings.port });
    logger.info({ url, dialect: store.dialect }, "server started");

    const signingKey = loadSigningKey(signingKeySource(settings.dataDir));
    const checkpoints = scheduleCheckpoints(
      store,
      signingKey,
      settings,
      logger,
    );

    const retention = scheduleRetention(
      { store, keys, dataDir: settings.dataDir },
      readRetentionSettings(),
      logger,
    );

    return {
      app,
      store,
      url,
      bootstrap,
      close: async () => {
        clearInterval(checkpoints);
        if (retention !== null) {
          clearInterval(retention);
        }
        await app.close();
        await writeCheckpoint(store.db, signingKey);
        await store.close();
        keys.close();
        logger.info("server stopped");
      },
    };
  } catch (error) {
    await store.close();
    keys.close();
    throw error;
  }
}

/** Signs the end of the audit log at the interval the settings give. */
function scheduleCheckpoints(
  store: Store,
  key: SigningKey,
  settings: Settings,
  logger: Logger,
): NodeJS.Timeout {
  const timer = setInterval(() => {
    writeCheckpoint(store.db, key).catch((error: unknown) => {
      logger.error({ err: error }, "audit checkpoint failed");
    });
  }, settings.auditCheckpointMinutes * 60_000);
  timer.unref();
  return timer;
}
