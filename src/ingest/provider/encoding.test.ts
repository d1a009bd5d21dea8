import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";

import iconv from "iconv-lite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  decodeBuffer,
  decodeText,
  detectEncoding,
  Utf8Validator,
} from "./encoding.js";
import { ProviderFileError } from "./errors.js";
import { inspectFile, readWholeText } from "./source.js";

/** Syllables that CP949 adds to EUC-KR; TextDecoder("euc-kr") cannot be trusted with them. */
const CP949_ONLY = "똠방각하 뷁";

let folder = "";

beforeAll(async () => {
  folder = await mkdtemp(path.join(os.tmpdir(), "epitrace-encoding-"));
});

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

async function writeBytes(name: string, bytes: Buffer): Promise<string> {
  const file = path.join(folder, name);
  await writeFile(file, bytes);
  return file;
}

async function* chunksOf(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let start = 0; start < bytes.length; start += size) {
    yield bytes.subarray(start, start + size);
  }
}

async function collect(chunks: AsyncIterable<string>): Promise<string> {
  let text = "";
  for await (const chunk of chunks) {
    text += chunk;
  }
  return text;
}

describe("detectEncoding", () => {
  it("takes ASCII as UTF-8", () => {
    expect(detectEncoding(Buffer.from("lat,lng\n"))).toBe("utf-8");
  });

  it("takes Korean UTF-8 as UTF-8", () => {
    expect(detectEncoding(Buffer.from(CP949_ONLY, "utf8"))).toBe("utf-8");
  });

  it("takes CP949 bytes as CP949", () => {
    expect(detectEncoding(iconv.encode(CP949_ONLY, "cp949"))).toBe("cp949");
  });
});

describe("Utf8Validator", () => {
  it("accepts a sequence split between chunks", () => {
    const bytes = Buffer.from("가", "utf8");
    const validator = new Utf8Validator();
    validator.push(bytes.subarray(0, 1));
    validator.push(bytes.subarray(1));
    expect(validator.finish()).toBe(true);
  });

  it("rejects a sequence cut at the end", () => {
    const validator = new Utf8Validator();
    validator.push(Buffer.from("가", "utf8").subarray(0, 2));
    expect(validator.finish()).toBe(false);
  });

  it("rejects CP949 bytes", () => {
    const validator = new Utf8Validator();
    validator.push(iconv.encode(CP949_ONLY, "cp949"));
    expect(validator.finish()).toBe(false);
  });

  it("rejects a wrong final byte", () => {
    const endings = [
      [0xff],
      [0xf5],
      [0xc0],
      [0xe0, 0x80],
      [0xed, 0xa0],
      [0xf4, 0x90],
    ];
    for (const ending of endings) {
      const chunk = Buffer.from([0x61, ...ending]);
      const validator = new Utf8Validator();
      validator.push(chunk);
      expect(validator.isValid).toBe(false);
      expect(() =>
        new TextDecoder("utf-8", { fatal: true }).decode(chunk, {
          stream: true,
        }),
      ).toThrow(TypeError);
    }
    const open = new Utf8Validator();
    open.push(Buffer.from([0x61, 0xf0, 0x9f]));
    expect(open.isValid).toBe(true);
  });
});

describe("decodeText", () => {
  it("decodes CP949-only syllables in one-byte chunks", async () => {
    const bytes = iconv.encode(CP949_ONLY, "cp949");
    const text = await collect(
      decodeText(chunksOf(bytes, 1), "cp949", "a.csv"),
    );
    expect(text).toBe(CP949_ONLY);
  });

  it("drops a UTF-8 BOM", async () => {
    const bytes = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from("위도,경도", "utf8"),
    ]);
    const text = await collect(
      decodeText(chunksOf(bytes, 2), "utf-8", "a.csv"),
    );
    expect(text).toBe("위도,경도");
  });

  it("rejects invalid UTF-8 when UTF-8 is declared", async () => {
    const bytes = iconv.encode(CP949_ONLY, "cp949");
    await expect(
      collect(decodeText(chunksOf(bytes, 4), "utf-8", "a.csv")),
    ).rejects.toThrow(/a\.csv is not valid UTF-8/);
  });

  it("names UTF-8 declared as CP949", async () => {
    const bytes = Buffer.from("연락처,업소명\n010-1234-5678,똠양꿍 뷁식당\n");
    await expect(
      collect(decodeText(chunksOf(bytes, 7), "cp949", "a.csv")),
    ).rejects.toThrow(
      "a.csv is not valid CP949 (invalid bytes after offset 0), but it looks like UTF-8. Import it with --encoding utf-8 or --encoding auto.",
    );
  });

  it("rejects bytes invalid in CP949 too", async () => {
    const bytes = Buffer.from([0x41, 0xff, 0xff, 0x42]);
    await expect(
      collect(decodeText(chunksOf(bytes, 4), "cp949", "a.csv")),
    ).rejects.toThrow(/neither valid UTF-8 nor valid CP949/);
  });
});

describe("decodeBuffer", () => {
  it("detects and reports CP949", () => {
    const result = decodeBuffer(iconv.encode(CP949_ONLY, "cp949"), "auto", "a");
    expect(result).toEqual({ text: CP949_ONLY, encoding: "cp949" });
  });

  it("rejects UTF-8 declared as CP949", () => {
    const bytes = Buffer.from("명동 중구 병원");
    expect(() => decodeBuffer(bytes, "cp949", "a.csv")).toThrow(
      /a\.csv was declared as CP949 but is valid UTF-8/,
    );
  });

  it("rejects UTF-16", () => {
    const bytes = Buffer.from([0xff, 0xfe, 0x41, 0x00]);
    expect(() => decodeBuffer(bytes, "auto", "a.csv")).toThrow(
      ProviderFileError,
    );
  });
});

describe("inspectFile", () => {
  it("detects CP949 in a file", async () => {
    const file = await writeBytes(
      "visitors.csv",
      iconv.encode(`name\n${CP949_ONLY}\n`, "cp949"),
    );
    const inspected = await inspectFile(file, "auto");
    expect(inspected.encoding).toBe("cp949");
    expect(inspected.isGzip).toBe(false);
    expect(await readWholeText(inspected)).toBe(`name\n${CP949_ONLY}\n`);
  });

  it("keeps a declared encoding", async () => {
    const file = await writeBytes("ascii.csv", Buffer.from("a,b\n"));
    expect((await inspectFile(file, "cp949")).encoding).toBe("cp949");
  });

  it("rejects UTF-8 declared as CP949", async () => {
    // Each word decodes as CP949 without an invalid byte, into other text.
    const text = "place_name\n명동 중구 병원\n";
    expect(iconv.decode(Buffer.from(text), "cp949")).not.toContain("\uFFFD");
    const file = await writeBytes("utf8.csv", Buffer.from(text));

    const attempt = inspectFile(file, "cp949");
    await expect(attempt).rejects.toThrow(ProviderFileError);
    await expect(attempt).rejects.toMatchObject({
      rule: "invalid_encoding",
      message:
        "utf8.csv was declared as CP949 but is valid UTF-8 with non-ASCII text, so reading it as CP949 would change its characters. Import it with --encoding utf-8 or --encoding auto.",
    });
  });

  it("reads CP949 declared as CP949", async () => {
    const text = `place_name\n명동 중구 병원 ${CP949_ONLY}\n`;
    const file = await writeBytes("cp949.csv", iconv.encode(text, "cp949"));
    const inspected = await inspectFile(file, "cp949");
    expect(inspected.encoding).toBe("cp949");
    expect(await readWholeText(inspected)).toBe(text);
  });

  it("reads gzip files decompressed and hashes them compressed", async () => {
    const compressed = gzipSync(Buffer.from("\uFEFFlat,lng\n1,2\n", "utf8"));
    const file = await writeBytes("fixes.csv.gz", compressed);
    const inspected = await inspectFile(file, "auto");
    expect(inspected.isGzip).toBe(true);
    expect(inspected.encoding).toBe("utf-8");
    expect(inspected.sizeBytes).toBe(compressed.length);
    expect(await readWholeText(inspected)).toBe("lat,lng\n1,2\n");
  });

  it("names a missing file", async () => {
    await expect(
      inspectFile(path.join(folder, "missing.csv"), "auto"),
    ).rejects.toThrow(/Cannot read .*missing\.csv/);
  });
});
