import type { StyleSpecification } from "maplibre-gl";
import koreaOutline from "virtual:korea-outline";

import {
  api,
  ApiError,
  type AreaCollection,
  type AreaLevel,
} from "../api/index.js";
import { buildOfflineStyle } from "./base-style.js";

/** The style the case map starts from: a URL from the server's config or the built-in one. */
export type MapBaseStyle = string | StyleSpecification;

const EMPTY_AREAS: AreaCollection = { type: "FeatureCollection", features: [] };

let cached: Promise<MapBaseStyle> | null = null;

/**
 * Loads the base style once per session and shares it between every map
 * page: the server's `mapStyleUrl` when one is set, else the offline style
 * with the imported boundaries. A reload or a new tab gets the boundaries
 * from the browser's HTTP cache, which the server's Cache-Control and ETag
 * allow.
 */
export function loadMapBaseStyle(): Promise<MapBaseStyle> {
  cached ??= buildBaseStyle().catch((error: unknown) => {
    cached = null;
    throw error;
  });
  return cached;
}

/**
 * Drops the loaded style at sign-out, so the next user's permissions decide
 * whether the boundaries load.
 */
export function forgetMapBaseStyle(): void {
  cached = null;
}

async function buildBaseStyle(): Promise<MapBaseStyle> {
  const config = await api.getConfig();
  if (config.mapStyleUrl !== null && config.mapStyleUrl !== "") {
    return config.mapStyleUrl;
  }

  const [provinces, municipalities] = await Promise.all([
    loadAreas("province"),
    loadAreas("municipality"),
  ]);
  return buildOfflineStyle({ koreaOutline, provinces, municipalities });
}

/** Returns the boundaries of a level, or none when the user may not read them. */
async function loadAreas(level: AreaLevel): Promise<AreaCollection> {
  try {
    return await api.getAreas(level);
  } catch (error) {
    if (
      error instanceof ApiError &&
      (error.status === 403 || error.status === 404)
    ) {
      return EMPTY_AREAS;
    }
    throw error;
  }
}
