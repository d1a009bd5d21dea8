#!/usr/bin/env node
// Runs the compiled command line. `npm install` builds it through `prepare`.
import { main } from "../dist/cli/main.js";

main(process.argv).catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
