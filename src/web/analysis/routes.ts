/** The analysis screens, matched from the location path. */
export type AnalysisRoute =
  { name: "hotspots" } | { name: "exposure" } | { name: "links" };

export const HOTSPOTS_PATH = "/hotspots";
export const EXPOSURE_PATH = "/exposure";
export const LINKS_PATH = "/links";

/** Matches a location path to an analysis screen, or returns null for any other path. */
export function matchAnalysisRoute(pathname: string): AnalysisRoute | null {
  const path = pathname.replace(/\/+$/, "");
  if (path === HOTSPOTS_PATH) return { name: "hotspots" };
  if (path === EXPOSURE_PATH) return { name: "exposure" };
  if (path === LINKS_PATH) return { name: "links" };
  return null;
}
