import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** Outcome of the command line run in a child process. */
export interface ChildRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** Wall time from spawn to exit, in seconds, the start-up of Node.js (and of tsx) included. */
  seconds: number;
  /** Peak resident set size of the child's Node.js process, in bytes. */
  maxRssBytes: number;
}

const REPO_ROOT = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../..",
);
const MAIN = pathToFileURL(path.join(REPO_ROOT, "src/cli/main.ts")).href;
const COMPILED_MAIN = pathToFileURL(
  path.join(REPO_ROOT, "dist/cli/main.js"),
).href;
const RSS_MARKER = "epitrace-child-max-rss-kib ";

/**
 * Runs `epitrace ARGS` in a child process with `EPITRACE_DATA_DIR` set,
 * and measures its peak resident memory with process.resourceUsage() at
 * exit. The child runs the TypeScript sources through tsx, or with
 * `compiled` the build in dist/ that `npm run build:server` makes, as
 * the installed command line does.
 */
export function runCliChild(
  args: readonly string[],
  dataDir: string,
  env: Readonly<Record<string, string>> = {},
  compiled = false,
): Promise<ChildRun> {
  const main = compiled ? COMPILED_MAIN : MAIN;
  const runner =
    `process.on("exit", () => process.stderr.write("\\n${RSS_MARKER}" + process.resourceUsage().maxRSS + "\\n"));` +
    `import(${JSON.stringify(main)}).then((cli) => cli.main(process.argv))` +
    `.catch((error) => { console.error(error); process.exitCode = 1; });`;
  const loader = compiled ? [] : ["--import", "tsx"];
  const started = process.hrtime.bigint();
  const child = spawn(
    process.execPath,
    [...loader, "-e", runner, "--", "epitrace", ...args],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env, EPITRACE_DATA_DIR: dataDir },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (text: string) => {
    stdout += text;
  });
  child.stderr.setEncoding("utf8").on("data", (text: string) => {
    stderr += text;
  });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (exitCode) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const marker = stderr.lastIndexOf(RSS_MARKER);
      const kibibytes =
        marker === -1
          ? Number.NaN
          : Number.parseInt(stderr.slice(marker + RSS_MARKER.length), 10);
      resolve({
        exitCode,
        stdout,
        stderr: marker === -1 ? stderr : stderr.slice(0, marker),
        seconds,
        maxRssBytes: kibibytes * 1024,
      });
    });
  });
}
