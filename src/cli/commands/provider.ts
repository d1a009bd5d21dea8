import fs from "node:fs/promises";

import { Command, InvalidArgumentError, Option } from "commander";

import { DATA_KINDS } from "../../requests/index.js";

interface ConnectionOptions {
  url: string;
  keyFile: string;
}

interface UploadOptions extends ConnectionOptions {
  request: string;
  kind: string;
}

interface WithdrawOptions extends ConnectionOptions {
  request: string;
  upload: string;
  reason?: string;
}

/**
 * Registers `epitrace provider pull|upload|withdraw`, the reference client
 * of the provider API that telecom operators, the card association and card
 * companies run against an epitrace server.
 */
export function registerProviderCommand(program: Command): void {
  const provider = program
    .command("provider")
    .description(
      "reference client of the provider API: pull open data requests and upload the answers",
    );

  withConnection(provider.command("pull"))
    .description(
      "print the request parts waiting for this provider's answer, one JSON object a line",
    )
    .action(async (options: ConnectionOptions) => {
      const body = (await callProviderApi(options, "GET", "/requests")) as {
        items: unknown[];
      };
      for (const item of body.items) {
        process.stdout.write(`${JSON.stringify(item)}\n`);
      }
    });

  withConnection(provider.command("upload"))
    .description(
      "upload the answer file for one data kind of a request and print its receipt as JSON",
    )
    .requiredOption("--request <id>", "id of the data request to answer")
    .addOption(
      new Option("--kind <kind>", "data kind the file holds")
        .choices(DATA_KINDS)
        .makeOptionMandatory(),
    )
    .argument("<file>", "the answer file, sent as it is (CSV, JSON or gzip)")
    .action(async (file: string, options: UploadOptions) => {
      const content = await readInput(file, "answer file");
      const receipt = await callProviderApi(
        options,
        "POST",
        `/requests/${encodeURIComponent(options.request)}/uploads?kind=${encodeURIComponent(options.kind)}`,
        content,
      );
      process.stdout.write(`${JSON.stringify(receipt)}\n`);
    });

  withConnection(provider.command("withdraw"))
    .description(
      "withdraw an upload that no investigator has accepted yet, before sending a corrected file",
    )
    .requiredOption("--request <id>", "id of the data request")
    .requiredOption(
      "--upload <id>",
      "id of the upload, as its receipt gives it",
    )
    .option("--reason <text>", "why the upload is withdrawn")
    .action(async (options: WithdrawOptions) => {
      const receipt = await callProviderApi(
        options,
        "POST",
        `/requests/${encodeURIComponent(options.request)}/uploads/${encodeURIComponent(options.upload)}/withdraw`,
        JSON.stringify(
          options.reason === undefined ? {} : { reason: options.reason },
        ),
      );
      process.stdout.write(`${JSON.stringify(receipt)}\n`);
    });
}

function withConnection(command: Command): Command {
  return command
    .requiredOption(
      "--url <url>",
      "base URL of the epitrace server, such as https://epitrace.example.org",
      parseServerUrl,
    )
    .requiredOption(
      "--key-file <file>",
      "file holding the provider API key (keep it readable by its owner only)",
    );
}

function parseServerUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError(
      `expected an http or https URL, such as https://epitrace.example.org.`,
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new InvalidArgumentError(
      `expected an http or https URL, not ${url.protocol}.`,
    );
  }
  return url.href.replace(/\/+$/, "");
}

/**
 * Calls the provider API with the key from the key file. A string body is
 * sent as JSON and a buffer as the bytes of a file. Raises an error with
 * the server's message for any status other than 2xx.
 */
async function callProviderApi(
  options: ConnectionOptions,
  method: "GET" | "POST",
  path: string,
  body?: Uint8Array | string,
): Promise<unknown> {
  const key = await readKey(options.keyFile);
  const headers: Record<string, string> = { authorization: `Bearer ${key}` };
  if (body !== undefined) {
    headers["content-type"] =
      typeof body === "string"
        ? "application/json"
        : "application/octet-stream";
  }

  const url = `${options.url}/api/provider${path}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers,
      ...(body === undefined ? {} : { body: toBodyInit(body) }),
    });
  } catch (error) {
    throw new Error(`Request to ${url} failed: ${describe(error)}.`, {
      cause: error,
    });
  }

  const text = await response.text();
  if (!response.ok) {
    throw new Error(
      `${method} ${url} failed with status ${response.status}: ${serverMessageOf(text)}`,
    );
  }
  return JSON.parse(text) as unknown;
}

function toBodyInit(body: Uint8Array | string): BodyInit {
  return typeof body === "string" ? body : new Uint8Array(body);
}

async function readKey(keyFile: string): Promise<string> {
  const key = (await readInput(keyFile, "key file")).toString("utf8").trim();
  if (key === "") {
    throw new Error(
      `The key file ${keyFile} is empty: put the provider API key in it.`,
    );
  }
  return key;
}

async function readInput(file: string, what: string): Promise<Buffer> {
  try {
    return await fs.readFile(file);
  } catch (error) {
    throw new Error(`Cannot read the ${what} ${file}: ${describe(error)}.`, {
      cause: error,
    });
  }
}

function serverMessageOf(text: string): string {
  try {
    const parsed = JSON.parse(text) as { error?: { message?: string } };
    return parsed.error?.message ?? text;
  } catch {
    return text;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
