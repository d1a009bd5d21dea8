import { createHash } from "node:crypto";
import { promisify } from "node:util";
import { gzip } from "node:zlib";

import type { Kysely } from "kysely";

import type { AreaLevel, Database } from "../../../store/index.js";

const gzipAsync = promisify(gzip);

/** One level's boundaries as a GeoJSON FeatureCollection, ready to send. */
export interface AreaCollectionBody {
  /** The UTF-8 GeoJSON text. */
  readonly plain: Buffer;
  /** The same bytes gzip-compressed. */
  readonly gzipped: Buffer;
  /** Strong entity tag of `plain`: a quoted SHA-256 prefix, base64url. */
  readonly etag: string;
  /** Strong entity tag of `gzipped`, so the two encodings never share one. */
  readonly gzipEtag: string;
}

/**
 * Builds each level's FeatureCollection once and keeps it with its gzip
 * encoding and entity tags. The key includes the latest boundary import, so
 * an `epitrace import boundaries` run by another process while the server
 * runs replaces the cached body at the next request.
 */
export class AreaCollectionCache {
  readonly #bodies = new Map<string, Promise<AreaCollectionBody>>();

  /** Returns the body of a level, building it on the first request after each boundary import. */
  async bodyOf(
    db: Kysely<Database>,
    level: AreaLevel,
  ): Promise<AreaCollectionBody> {
    const key = `${level}|${await latestBoundaryImportOf(db)}`;
    let body = this.#bodies.get(key);
    if (body === undefined) {
      this.#dropLevel(level);
      body = buildBody(db, level);
      this.#bodies.set(key, body);
      // A failed build is not kept, so the next request tries again.
      body.catch(() => this.#bodies.delete(key));
    }
    return body;
  }

  #dropLevel(level: AreaLevel): void {
    for (const key of this.#bodies.keys()) {
      if (key.startsWith(`${level}|`)) {
        this.#bodies.delete(key);
      }
    }
  }
}

/** Returns the id of the latest boundary import, or "none" before the first. */
async function latestBoundaryImportOf(db: Kysely<Database>): Promise<string> {
  const row = await db
    .selectFrom("imports")
    .select("id")
    .where("kind", "=", "boundaries")
    .orderBy("finished_at", "desc")
    .orderBy("id")
    .limit(1)
    .executeTakeFirst();
  return row?.id ?? "none";
}

async function buildBody(
  db: Kysely<Database>,
  level: AreaLevel,
): Promise<AreaCollectionBody> {
  const plain = Buffer.from(await selectCollectionText(db, level), "utf8");
  const gzipped = await gzipAsync(plain);
  const digest = createHash("sha256")
    .update(plain)
    .digest("base64url")
    .slice(0, 32);
  return {
    plain,
    gzipped,
    etag: `"${digest}"`,
    gzipEtag: `"${digest}-gzip"`,
  };
}

async function selectCollectionText(
  db: Kysely<Database>,
  level: AreaLevel,
): Promise<string> {
  const areas = await db
    .selectFrom("administrative_areas")
    .select(["code", "name", "name_eng", "level", "geometry"])
    .where("level", "=", level)
    .orderBy("code")
    .execute();

  // The geometries are stored as GeoJSON text; splicing them in unparsed
  // saves parsing and serialising megabytes.
  const features = areas.map(
    (area) =>
      `{"type":"Feature","properties":${JSON.stringify({
        code: area.code,
        name: area.name,
        nameEng: area.name_eng,
        level: area.level,
      })},"geometry":${area.geometry}}`,
  );
  return `{"type":"FeatureCollection","features":[${features.join(",")}]}`;
}
