import { useCallback, useEffect, useRef, useState } from "react";

import { ApiError } from "../api/index.js";
import { Link } from "../app/router.js";
import { ErrorMessage, errorText } from "../app/ui.js";
import { useI18n } from "../i18n/index.js";

/** State of one record that a page loads by id. */
export type LoadedRecord<T> =
  | { status: "loading" }
  | { status: "notFound" }
  | { status: "failed"; message: string }
  | { status: "ready"; value: T };

/**
 * Loads the record with the id when the page mounts and again when the id
 * changes. A 404 from the API becomes `notFound` and any other error
 * `failed`. `reload` loads it again, and `setValue` replaces it with a
 * record that an action returned.
 */
export function useLoadedRecord<T>(
  id: string,
  load: (id: string, signal?: AbortSignal) => Promise<T>,
) {
  const [loaded, setLoaded] = useState<LoadedRecord<T>>({ status: "loading" });
  // The latest loader, so that a new function on every render loads nothing again.
  const loader = useRef(load);
  loader.current = load;

  const reload = useCallback(
    (signal?: AbortSignal) =>
      loader
        .current(id, signal)
        .then((value) => setLoaded({ status: "ready", value }))
        .catch((error: unknown) => {
          if (signal?.aborted === true) return;
          const missing = error instanceof ApiError && error.status === 404;
          setLoaded(
            missing
              ? { status: "notFound" }
              : { status: "failed", message: errorText(error) },
          );
        }),
    [id],
  );
  useEffect(() => {
    const controller = new AbortController();
    void reload(controller.signal);
    return () => controller.abort();
  }, [reload]);

  const setValue = useCallback(
    (value: T) => setLoaded({ status: "ready", value }),
    [],
  );
  return { loaded, reload, setValue };
}

/**
 * Renders the loading, not-found and failure states of a loaded record,
 * the not-found one with a link back to `backPath`. Renders nothing once
 * the record is ready.
 */
export function RecordPlaceholder<T>({
  loaded,
  backPath,
  backLabel,
}: {
  loaded: LoadedRecord<T>;
  backPath: string;
  backLabel: string;
}) {
  const { t } = useI18n();
  if (loaded.status === "loading") {
    return <p className="page-message">{t("common.loading")}</p>;
  }
  if (loaded.status === "notFound") {
    return (
      <div className="page-message">
        <p>{t("requests.notFound")}</p>
        <Link to={backPath}>{backLabel}</Link>
      </div>
    );
  }
  if (loaded.status === "failed") {
    return <ErrorMessage message={loaded.message} />;
  }
  return null;
}
