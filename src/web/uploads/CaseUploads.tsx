import { useState, type FormEvent } from "react";

import { ErrorMessage, Field, SuccessMessage, errorText } from "../app/ui.js";
import { templateFileName } from "../../ingest/provider/template-names.js";
import { useI18n } from "../i18n/index.js";
import {
  importUpload,
  templateUrl,
  validateUpload,
  type UploadProgress,
} from "./api.js";
import { UploadPreviewView } from "./UploadPreviewView.js";
import {
  TEMPLATE_FILES,
  UPLOAD_ENCODINGS,
  UPLOAD_FORMATS,
  UPLOAD_KINDS,
  type UploadKind,
  type UploadOptions,
  type UploadPreview,
} from "./types.js";
import "./uploads.css";

interface CaseUploadsProps {
  caseId: string;
  /** Called after an import added records, so the case page can reload its movements. */
  onImported(): void;
}

/** Renders the button that opens the upload of provider files for a case, and the upload panel once opened. */
export function CaseUploads({ caseId, onImported }: CaseUploadsProps) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  return (
    <div className="case-uploads">
      <button
        type="button"
        data-testid="open-uploads"
        aria-expanded={open}
        onClick={() => setOpen((current) => !current)}
      >
        {open ? t("upload.close") : t("upload.open")}
      </button>
      {open ? <UploadPanel caseId={caseId} onImported={onImported} /> : null}
    </div>
  );
}

const DEFAULT_OPTIONS: UploadOptions = {
  kind: "interview",
  format: "",
  encoding: "auto",
  zone: "Asia/Seoul",
  dateFormat: "",
  year: "",
};

type Outcome =
  | { type: "none" }
  | { type: "imported"; records: number }
  | { type: "alreadyImported" }
  | { type: "rejected"; message: string };

/**
 * Renders the upload form: the reading options, a validation that shows
 * the preview, and the import, which is offered only after a validation of
 * the same file and options rejected nothing.
 */
function UploadPanel({ caseId, onImported }: CaseUploadsProps) {
  const { t, label } = useI18n();
  const [options, setOptions] = useState<UploadOptions>(DEFAULT_OPTIONS);
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const [preview, setPreview] = useState<UploadPreview | null>(null);
  const [outcome, setOutcome] = useState<Outcome>({ type: "none" });
  const [error, setError] = useState<string | null>(null);

  const busy = progress !== null;
  const canImport =
    preview !== null &&
    preview.rowsRejected === 0 &&
    preview.fileErrors.length === 0 &&
    outcome.type === "none";

  const change = (changes: Partial<UploadOptions>) => {
    setOptions((current) => ({ ...current, ...changes }));
    setPreview(null);
    setOutcome({ type: "none" });
  };

  const validate = async (event: FormEvent) => {
    event.preventDefault();
    if (file === null) {
      setError(t("upload.fileMissing"));
      return;
    }
    setError(null);
    setOutcome({ type: "none" });
    try {
      const result = await validateUpload(caseId, options, file, setProgress);
      setPreview(result.type === "ok" ? result.body : result.preview);
    } catch (caught) {
      setPreview(null);
      setError(errorText(caught));
    } finally {
      setProgress(null);
    }
  };

  const runImport = async () => {
    if (file === null) {
      return;
    }
    setError(null);
    try {
      const result = await importUpload(caseId, options, file, setProgress);
      if (result.type === "rejected") {
        setPreview(result.preview);
        setOutcome({ type: "rejected", message: result.message });
        return;
      }
      const imported = result.body;
      setPreview(imported.preview);
      if (imported.alreadyImported) {
        setOutcome({ type: "alreadyImported" });
      } else {
        setOutcome({ type: "imported", records: imported.recordsAdded });
        onImported();
      }
    } catch (caught) {
      setError(errorText(caught));
    } finally {
      setProgress(null);
    }
  };

  return (
    <section className="panel upload-panel" data-testid="upload-panel">
      <h2>{t("upload.title")}</h2>
      <p className="muted">{t("upload.intro")}</p>
      <form
        className="form-grid upload-form-grid"
        onSubmit={(event) => void validate(event)}
      >
        <Field label={t("upload.kind")}>
          {(id) => (
            <select
              id={id}
              data-testid="upload-kind"
              value={options.kind}
              onChange={(event) =>
                change({ kind: event.target.value as UploadKind })
              }
            >
              {UPLOAD_KINDS.map((kind) => (
                <option key={kind} value={kind}>
                  {label("uploadKind", kind)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t("upload.format")}>
          {(id) => (
            <select
              id={id}
              data-testid="upload-format"
              value={options.format}
              onChange={(event) => change({ format: event.target.value })}
            >
              <option value="">{t("upload.formatAuto")}</option>
              {UPLOAD_FORMATS.map((format) => (
                <option key={format} value={format}>
                  {format}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t("upload.encoding")}>
          {(id) => (
            <select
              id={id}
              data-testid="upload-encoding"
              value={options.encoding}
              onChange={(event) => change({ encoding: event.target.value })}
            >
              {UPLOAD_ENCODINGS.map((encoding) => (
                <option key={encoding} value={encoding}>
                  {encoding === "auto" ? t("upload.encodingAuto") : encoding}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t("upload.zone")} hint={t("upload.zoneHint")}>
          {(id) => (
            <input
              id={id}
              data-testid="upload-zone"
              value={options.zone}
              onChange={(event) => change({ zone: event.target.value })}
            />
          )}
        </Field>
        <Field label={t("upload.dateFormat")} hint={t("upload.dateFormatHint")}>
          {(id) => (
            <input
              id={id}
              data-testid="upload-date-format"
              value={options.dateFormat}
              placeholder="DD.MM.YYYY"
              onChange={(event) => change({ dateFormat: event.target.value })}
            />
          )}
        </Field>
        <Field label={t("upload.year")} hint={t("upload.yearHint")}>
          {(id) => (
            <input
              id={id}
              data-testid="upload-year"
              inputMode="numeric"
              value={options.year}
              placeholder="2020"
              onChange={(event) => change({ year: event.target.value.trim() })}
            />
          )}
        </Field>
        <Field label={t("upload.file")} className="wide">
          {(id) => (
            <input
              id={id}
              type="file"
              data-testid="upload-file"
              onChange={(event) => {
                setFile(event.target.files?.[0] ?? null);
                setPreview(null);
                setOutcome({ type: "none" });
              }}
            />
          )}
        </Field>
        <Templates kind={options.kind} />
        <div className="form-footer wide">
          <button type="submit" data-testid="upload-validate" disabled={busy}>
            {t("upload.validate")}
          </button>
          <button
            type="button"
            className="primary"
            data-testid="upload-import"
            disabled={busy || !canImport}
            onClick={() => void runImport()}
          >
            {t("upload.import")}
          </button>
        </div>
      </form>
      <ProgressView progress={progress} />
      <ErrorMessage message={error} />
      <OutcomeView outcome={outcome} />
      {preview === null ? null : <UploadPreviewView preview={preview} />}
    </section>
  );
}

function Templates({ kind }: { kind: UploadKind }) {
  const { t } = useI18n();
  const names: Record<(typeof TEMPLATE_FILES)[number], string> = {
    "schema.json": t("upload.templateSchema"),
    "header.csv": t("upload.templateHeader"),
    "sample.csv": t("upload.templateSample"),
  };
  return (
    <div className="wide upload-templates" data-testid="upload-templates">
      <span>{t("upload.templates")}</span>
      {TEMPLATE_FILES.map((file) => (
        <a
          key={file}
          href={templateUrl(kind, file)}
          download={templateFileName(kind, file)}
        >
          {names[file]}
        </a>
      ))}
    </div>
  );
}

function ProgressView({ progress }: { progress: UploadProgress | null }) {
  const { t } = useI18n();
  if (progress === null) {
    return null;
  }
  if (progress.phase === "processing") {
    return (
      <div
        className="upload-progress"
        role="status"
        data-testid="upload-progress"
      >
        <progress />
        <span>{t("upload.processing")}</span>
      </div>
    );
  }
  const percent =
    progress.fraction === null ? null : Math.round(progress.fraction * 100);
  return (
    <div
      className="upload-progress"
      role="status"
      data-testid="upload-progress"
    >
      {percent === null ? <progress /> : <progress max={100} value={percent} />}
      <span>
        {percent === null
          ? t("upload.sendingUnknown")
          : t("upload.sending", { percent })}
      </span>
    </div>
  );
}

function OutcomeView({ outcome }: { outcome: Outcome }) {
  const { t, number } = useI18n();
  switch (outcome.type) {
    case "none":
      return null;
    case "imported":
      return (
        <SuccessMessage
          message={t("upload.imported", { records: number(outcome.records) })}
        />
      );
    case "alreadyImported":
      return <SuccessMessage message={t("upload.alreadyImported")} />;
    case "rejected":
      return <ErrorMessage message={outcome.message} />;
  }
}
