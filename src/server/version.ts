import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const manifest = require("../../package.json") as { version: string };

/** Version of epitrace, from package.json. */
export const VERSION: string = manifest.version;
