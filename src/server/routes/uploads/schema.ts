import { Type } from "typebox";

import {
  ENCODING_CHOICES,
  PROVIDER_FORMATS,
  PROVIDER_KINDS,
} from "../../../ingest/provider/index.js";

const literals = <T extends string>(values: readonly T[]) =>
  Type.Union(values.map((value) => Type.Literal(value)));

export const UploadCaseParams = Type.Object({
  id: Type.String({ format: "uuid" }),
});

/** How to read an uploaded file; the file itself is the request body. */
export const UploadQuery = Type.Object(
  {
    kind: literals(PROVIDER_KINDS),
    format: Type.Optional(literals(PROVIDER_FORMATS)),
    encoding: Type.Optional(literals(ENCODING_CHOICES)),
    zone: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64,
        description: "IANA zone of times without an offset, default Asia/Seoul",
      }),
    ),
    dateFormat: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 40,
        description: "Order of numeric dates, such as DD.MM.YYYY",
      }),
    ),
    year: Type.Optional(
      Type.Integer({
        minimum: 1900,
        maximum: 2999,
        description: "Year of dates written without one",
      }),
    ),
    fileName: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description:
          "Name of the file on the uploader's computer; its extension decides the format when none is given",
      }),
    ),
  },
  { additionalProperties: false },
);

/** A template file, optionally with its version before the extension, such as `sample.v1.csv`. */
export const TEMPLATE_FILE_PATTERN =
  /^(header|sample|schema)(?:\.v([0-9]+))?\.(csv|json)$/;

export const TemplateParams = Type.Object({
  kind: literals(PROVIDER_KINDS),
  file: Type.String({ pattern: TEMPLATE_FILE_PATTERN.source }),
});
