import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { afterEach, beforeEach, describe, expect, it } from "vitest";

import {
  DataKeyStore,
  deriveLookupKey,
  generateMasterKey,
  loadMasterKey,
  loadMasterKeyRing,
  lookupHash,
  open,
  seal,
  writeMasterKeyFile,
  type MasterKey,
} from "./index.js";

describe("seal and open", () => {
  const key = Buffer.alloc(32, 7);

  it("round-trips a value", () => {
    const sealed = seal(key, Buffer.from("010-1234-5678"), "persons.phone:p1");
    expect(open(key, sealed, "persons.phone:p1").toString()).toBe(
      "010-1234-5678",
    );
  });

  it("uses a fresh nonce each time", () => {
    const first = seal(key, Buffer.from("홍길동"), "persons.name:p1");
    const second = seal(key, Buffer.from("홍길동"), "persons.name:p1");
    expect(first.equals(second)).toBe(false);
  });

  it("rejects another record's associated data", () => {
    const sealed = seal(key, Buffer.from("홍길동"), "persons.name:p1");
    expect(() => open(key, sealed, "persons.name:p2")).toThrow();
  });

  it("rejects a changed ciphertext", () => {
    const sealed = seal(key, Buffer.from("홍길동"), "persons.name:p1");
    sealed[sealed.length - 1] = (sealed[sealed.length - 1] ?? 0) ^ 1;
    expect(() => open(key, sealed, "persons.name:p1")).toThrow();
  });

  it("rejects a key of the wrong length", () => {
    expect(() => seal(Buffer.alloc(16), Buffer.from("x"), "a")).toThrow(
      /32 bytes/,
    );
  });
});

describe("lookup hash", () => {
  const master: MasterKey = { id: "test", key: Buffer.alloc(32, 1) };

  it("ignores separators in numbers", () => {
    const lookupKey = deriveLookupKey(master);
    expect(lookupHash(lookupKey, "phone", "010-1234-5678")).toBe(
      lookupHash(lookupKey, "phone", "01012345678"),
    );
  });

  it("differs by kind and by key", () => {
    const lookupKey = deriveLookupKey(master);
    const otherKey = deriveLookupKey({ id: "other", key: Buffer.alloc(32, 2) });
    const hash = lookupHash(lookupKey, "phone", "01012345678");
    expect(lookupHash(lookupKey, "card", "01012345678")).not.toBe(hash);
    expect(lookupHash(otherKey, "phone", "01012345678")).not.toBe(hash);
  });
});

describe("data key store", () => {
  let folder: string;
  let master: MasterKey;
  let store: DataKeyStore;

  beforeEach(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), "epitrace-keys-"));
    master = loadMasterKey({ file: path.join(folder, "master.key") });
    store = new DataKeyStore(path.join(folder, "data-keys.sqlite"), master);
  });

  afterEach(() => {
    store.close();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it("keeps a case's key across reopening", () => {
    const key = store.keyFor("case-1");
    store.close();
    store = new DataKeyStore(path.join(folder, "data-keys.sqlite"), master);
    expect(store.find("case-1")?.equals(key)).toBe(true);
  });

  it("gives each case its own key", () => {
    expect(store.keyFor("case-1").equals(store.keyFor("case-2"))).toBe(false);
  });

  it("stores no key in plain", () => {
    const key = store.keyFor("case-1");
    store.close();
    const bytes = fs.readFileSync(path.join(folder, "data-keys.sqlite"));
    store = new DataKeyStore(path.join(folder, "data-keys.sqlite"), master);
    expect(bytes.includes(key)).toBe(false);
  });

  it("destroys a key without a trace", () => {
    store.keyFor("case-1");
    store.close();
    store = new DataKeyStore(path.join(folder, "data-keys.sqlite"), master);
    const wrapped = fs.readFileSync(path.join(folder, "data-keys.sqlite"));

    expect(store.destroy("case-1")).toBe(true);
    expect(store.find("case-1")).toBeNull();
    const after = fs.readFileSync(path.join(folder, "data-keys.sqlite"));
    const marker = Buffer.from("case-1");
    expect(wrapped.includes(marker)).toBe(true);
    expect(after.includes(marker)).toBe(false);
  });

  it("rotates the master key", () => {
    const key = store.keyFor("case-1");
    const next = loadMasterKey({
      base64: Buffer.alloc(32, 9).toString("base64"),
      file: "",
    });

    expect(store.rotateMasterKey(next)).toBe(1);
    store.close();
    store = new DataKeyStore(path.join(folder, "data-keys.sqlite"), next);
    expect(store.find("case-1")?.equals(key)).toBe(true);
  });

  it("rejects keys of an unknown master key", () => {
    store.keyFor("case-1");
    store.close();
    const other = loadMasterKey({
      base64: Buffer.alloc(32, 3).toString("base64"),
      file: "",
    });
    store = new DataKeyStore(path.join(folder, "data-keys.sqlite"), other);
    expect(() => store.find("case-1")).toThrow(/key rotation/);
  });
});

describe("master key ring", () => {
  let folder: string;

  beforeEach(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), "epitrace-ring-"));
  });

  afterEach(() => {
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it("reads the current key first", () => {
    const file = path.join(folder, "master.key");
    const current = generateMasterKey();
    const previous = generateMasterKey();
    writeMasterKeyFile(file, [current, previous]);

    const ring = loadMasterKeyRing({ file });
    expect(ring.current.id).toBe(current.id);
    expect(ring.previous.map((key) => key.id)).toEqual([previous.id]);
    expect(loadMasterKey({ file }).id).toBe(current.id);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it("names the line of an invalid key", () => {
    const file = path.join(folder, "master.key");
    fs.writeFileSync(
      file,
      `${generateMasterKey().key.toString("base64")}\nc2hvcnQ=\n`,
    );
    expect(() => loadMasterKeyRing({ file })).toThrow(
      /master\.key line 2: expected 32 bytes/,
    );
  });

  it("rejects an empty key file", () => {
    const file = path.join(folder, "master.key");
    fs.writeFileSync(file, "\n");
    expect(() => loadMasterKeyRing({ file })).toThrow(/is empty/);
  });

  it("follows a rotation by another process", () => {
    const file = path.join(folder, "master.key");
    const storeFile = path.join(folder, "data-keys.sqlite");
    const old = generateMasterKey();
    writeMasterKeyFile(file, [old]);
    const reload = () => loadMasterKeyRing({ file });
    const running = new DataKeyStore(storeFile, old, { reload });
    const other = new DataKeyStore(storeFile, old, { reload });
    const key = other.keyFor("case-1");

    const next = generateMasterKey();
    writeMasterKeyFile(file, [next]);
    expect(other.rotateMasterKey(next)).toBe(1);

    expect(running.find("case-1")?.equals(key)).toBe(true);
    expect(running.currentMaster().id).toBe(next.id);
    running.keyFor("case-2");
    running.close();
    other.close();

    const reopened = new DataKeyStore(storeFile, next);
    expect(reopened.find("case-2")).not.toBeNull();
    reopened.close();
  });
});
