import { useI18n } from "../i18n/index.js";
import type { PreviewRecord, UploadPreview } from "./types.js";

/** Renders what a validation found: counts, flags, file errors, rejected rows and the first records. */
export function UploadPreviewView({ preview }: { preview: UploadPreview }) {
  const { t, number } = useI18n();
  const isValid = preview.rowsRejected === 0 && preview.fileErrors.length === 0;
  const facts: [string, string, string][] = [
    ["file", t("upload.preview.file"), preview.fileName],
    ["format", t("upload.preview.format"), preview.format],
    [
      "encoding",
      t("upload.preview.encoding"),
      preview.encoding ?? t("common.none"),
    ],
    ["rows-read", t("upload.preview.rowsRead"), number(preview.rowsRead)],
    [
      "rows-rejected",
      t("upload.preview.rowsRejected"),
      number(preview.rowsRejected),
    ],
    ["records", t("upload.preview.records"), number(preview.records)],
    ["merged", t("upload.preview.merged"), number(preview.duplicateRowsMerged)],
    [
      "assumed-zone",
      t("upload.preview.assumedZone"),
      number(preview.assumedZoneRecords),
    ],
  ];

  return (
    <div className="upload-preview" data-testid="upload-preview">
      <h3>{t("upload.preview.title")}</h3>
      <p
        className={
          isValid ? "message message-success" : "message message-error"
        }
        data-testid="upload-verdict"
      >
        {isValid
          ? t("upload.preview.ready", { records: number(preview.records) })
          : t("upload.preview.notReady")}
      </p>
      <dl className="facts">
        {facts.map(([id, name, value]) => (
          <div className="fact" key={id}>
            <dt>{name}</dt>
            <dd data-testid={`preview-${id}`}>{value}</dd>
          </div>
        ))}
      </dl>
      {preview.subjects > 1 ? (
        <p className="muted">
          {t("upload.preview.severalSubjects", {
            count: number(preview.subjects),
          })}
        </p>
      ) : null}
      {preview.ignoredColumns.length > 0 ? (
        <p className="muted">
          {t("upload.preview.ignoredColumns", {
            columns: preview.ignoredColumns.join(", "),
          })}
        </p>
      ) : null}
      {preview.fileErrors.map((error) => (
        <p className="message message-error" key={error.rule}>
          {error.message}
        </p>
      ))}
      <RejectedTable preview={preview} />
      <RecordsTable records={preview.firstRecords} />
    </div>
  );
}

function RejectedTable({ preview }: { preview: UploadPreview }) {
  const { t, number } = useI18n();
  if (preview.rejected.length === 0) {
    return null;
  }
  return (
    <>
      <h4>
        {t("upload.rejected.title", { count: number(preview.rowsRejected) })}
      </h4>
      {preview.rejected.length < preview.rowsRejected ? (
        <p className="muted">
          {t("upload.rejected.more", {
            shown: number(preview.rejected.length),
            total: number(preview.rowsRejected),
          })}
        </p>
      ) : null}
      <div className="table-scroll">
        <table className="data-table" data-testid="rejected-rows">
          <thead>
            <tr>
              <th>{t("upload.rejected.file")}</th>
              <th>{t("upload.rejected.row")}</th>
              <th>{t("upload.rejected.field")}</th>
              <th>{t("upload.rejected.value")}</th>
              <th>{t("upload.rejected.rule")}</th>
              <th>{t("upload.rejected.hint")}</th>
            </tr>
          </thead>
          <tbody>
            {preview.rejected.map((row, index) => (
              <tr key={`${row.file}-${row.row}-${row.field}-${index}`}>
                <td>{row.file}</td>
                <td className="number">{row.row}</td>
                <td className="mono">{row.field}</td>
                <td className="mono">{row.value}</td>
                <td className="mono">{row.rule}</td>
                <td>{row.hint}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function RecordsTable({ records }: { records: readonly PreviewRecord[] }) {
  const { t } = useI18n();
  if (records.length === 0) {
    return null;
  }
  return (
    <>
      <h4>{t("upload.records.title")}</h4>
      <div className="table-scroll">
        <table className="data-table" data-testid="preview-first-records">
          <thead>
            <tr>
              <th>{t("upload.rejected.row")}</th>
              <th>{t("upload.records.time")}</th>
              <th>{t("upload.records.place")}</th>
              <th>{t("upload.records.position")}</th>
            </tr>
          </thead>
          <tbody>
            {records.map((record) => (
              <RecordRow key={record.rows.join(",")} record={record} />
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function RecordRow({ record }: { record: PreviewRecord }) {
  const { t, date, instant } = useI18n();
  const at = (millis: number) => instant(new Date(millis).toISOString());
  let time: string;
  if (record.visitDate !== null) {
    time = date(record.visitDate);
  } else if (record.startedAt !== null && record.endedAt !== null) {
    time =
      record.startedAt === record.endedAt
        ? at(record.startedAt)
        : `${at(record.startedAt)} – ${at(record.endedAt)}`;
  } else {
    time = t("common.none");
  }
  const place = [record.placeName, record.address]
    .filter((part) => part !== null)
    .join(", ");
  const position =
    record.latitude === null || record.longitude === null
      ? t("common.none")
      : `${record.latitude}, ${record.longitude}`;
  return (
    <tr>
      <td className="number">{record.rows.join(", ")}</td>
      <td>{time}</td>
      <td>{place === "" ? t("common.none") : place}</td>
      <td className="mono">{position}</td>
    </tr>
  );
}
