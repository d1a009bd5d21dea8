import { useEffect, useState } from "react";

import { errorText } from "../app/ui.js";
import { loadMapBaseStyle, type MapBaseStyle } from "./base.js";

/**
 * Loads the offline base style once per mounted map. Returns the style, or
 * null while it loads, and the error text when loading failed.
 */
export function useMapBaseStyle(): {
  style: MapBaseStyle | null;
  error: string | null;
} {
  const [style, setStyle] = useState<MapBaseStyle | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let active = true;
    loadMapBaseStyle()
      .then((loaded) => active && setStyle(loaded))
      .catch((caught: unknown) => active && setError(errorText(caught)));
    return () => {
      active = false;
    };
  }, []);

  return { style, error };
}
