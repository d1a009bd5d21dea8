import { useId, useRef, useState, type FormEvent } from "react";

import { ApiError } from "../api/index.js";
import { ErrorMessage, Field, SuccessMessage, errorText } from "../app/ui.js";
import { useI18n } from "../i18n/index.js";

/** Maximum reason length, as the server checks it. */
const REASON_MAX_LENGTH = 500;

type ExportFormat = "csv" | "geojson";

/**
 * Renders the button that exports a case's movements and the dialog that
 * requests the format and the reason. The server records the reason with
 * the export in the audit log, and the browser saves the returned file.
 */
export function ExportDialog({ caseId }: { caseId: string }) {
  const { t } = useI18n();
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [format, setFormat] = useState<ExportFormat>("csv");
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const openDialog = () => {
    setError(null);
    setDone(null);
    dialog.current?.showModal();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const trimmed = reason.trim();
    if (trimmed === "") {
      setError(t("export.reasonMissing"));
      return;
    }
    if ([...trimmed].length > REASON_MAX_LENGTH) {
      setError(t("export.reasonTooLong", { max: String(REASON_MAX_LENGTH) }));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const fileName = await downloadExport(caseId, format, trimmed);
      dialog.current?.close();
      setReason("");
      setDone(t("export.done", { file: fileName }));
    } catch (caught) {
      setError(errorText(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="case-export">
      <button type="button" data-testid="export-open" onClick={openDialog}>
        {t("export.open")}
      </button>
      <SuccessMessage message={done} />
      <dialog
        ref={dialog}
        aria-labelledby={titleId}
        data-testid="export-dialog"
      >
        <form onSubmit={(event) => void submit(event)}>
          <h2 id={titleId}>{t("export.title")}</h2>
          <Field label={t("export.format")}>
            {(id) => (
              <select
                id={id}
                name="format"
                value={format}
                onChange={(event) =>
                  setFormat(event.target.value as ExportFormat)
                }
              >
                <option value="csv">{t("export.formatCsv")}</option>
                <option value="geojson">{t("export.formatGeojson")}</option>
              </select>
            )}
          </Field>
          <Field label={t("export.reason")} hint={t("export.reasonHint")}>
            {(id) => (
              <textarea
                id={id}
                name="reason"
                rows={3}
                maxLength={REASON_MAX_LENGTH}
                value={reason}
                onChange={(event) => {
                  setReason(event.target.value);
                  setError(null);
                }}
              />
            )}
          </Field>
          <ErrorMessage message={error} />
          <div className="actions">
            <button
              type="submit"
              className="primary"
              disabled={busy}
              data-testid="export-download"
            >
              {t("export.download")}
            </button>
            <button
              type="button"
              disabled={busy}
              onClick={() => dialog.current?.close()}
            >
              {t("common.cancel")}
            </button>
          </div>
        </form>
      </dialog>
    </div>
  );
}

/** Requests the export, saves the returned file in the browser and returns its name. */
async function downloadExport(
  caseId: string,
  format: ExportFormat,
  reason: string,
): Promise<string> {
  const response = await fetch(`/api/cases/${caseId}/exports`, {
    method: "POST",
    credentials: "same-origin",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ format, reason }),
  });
  if (!response.ok) {
    throw await errorOf(response);
  }
  const disposition = response.headers.get("content-disposition") ?? "";
  const fileName =
    /filename="([^"]+)"/.exec(disposition)?.[1] ?? `movements.${format}`;
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // Some browsers read the object URL after click() returns, so it is
  // released a moment later.
  window.setTimeout(() => URL.revokeObjectURL(url), 1_000);
  return fileName;
}

async function errorOf(response: Response): Promise<ApiError> {
  try {
    const body = (await response.json()) as {
      error: { code: string; message: string };
    };
    return new ApiError(response.status, body.error.code, body.error.message);
  } catch {
    return new ApiError(response.status, "internal", response.statusText);
  }
}
