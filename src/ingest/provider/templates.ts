import {
  CELL_TYPE_ALIASES,
  KIND_SPECS,
  type FieldSpec,
  type FieldType,
  type ProviderKind,
} from "./kinds.js";
import { TEMPLATE_VERSIONS, templateFileName } from "./template-names.js";

export {
  TEMPLATE_FILES,
  TEMPLATE_VERSIONS,
  templateFileName,
  templateRouteName,
  type TemplateFile,
} from "./template-names.js";

/** Returns the header line of a kind's CSV template, with its line break. */
export function templateHeader(kind: ProviderKind): string {
  return `${KIND_SPECS[kind].fields.map((field) => field.name).join(",")}\n`;
}

/** Returns a kind's sample CSV file: the template header and a few rows. */
export function templateSample(kind: ProviderKind): string {
  const rows = KIND_SPECS[kind].sample.map(
    (row) => `${row.map(quoteCsvField).join(",")}\n`,
  );
  return templateHeader(kind) + rows.join("");
}

/**
 * Returns the JSON Schema (draft 2020-12) of one row of a kind, with each
 * value typed as it is read: numbers for positions, lengths and amounts,
 * text for times and ids. In a CSV file every value is text in that form.
 * The template version is in `$id` and in `version`, an annotation that
 * validators ignore.
 */
export function templateSchema(kind: ProviderKind): Record<string, unknown> {
  const spec = KIND_SPECS[kind];
  const schema: Record<string, unknown> = {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: `https://epitrace.invalid/provider/${templateFileName(kind, "schema.json")}`,
    title: spec.title,
    version: TEMPLATE_VERSIONS[kind],
    type: "object",
    properties: Object.fromEntries(
      spec.fields.map((field) => [field.name, fieldSchema(field)]),
    ),
    required: spec.fields
      .filter((field) => field.required)
      .map((field) => field.name),
  };
  if (spec.anyOf.length > 0) {
    schema.allOf = spec.anyOf.map((names) => ({
      anyOf: names.map((name) => ({ required: [name] })),
    }));
  }
  return schema;
}

const TYPE_SCHEMAS: Record<FieldType, Record<string, unknown>> = {
  text: { type: "string", minLength: 1 },
  time: { type: "string", minLength: 1 },
  date: { type: "string", minLength: 1 },
  latitude: { type: "number", minimum: -90, maximum: 90 },
  longitude: { type: "number", minimum: -180, maximum: 180 },
  meters: { type: "number", minimum: 0 },
  amount: { type: "number" },
  boolean: { type: "boolean" },
  phone: {
    type: "string",
    pattern: "^(\\+82[\\s-]?|0)1[016789][\\d\\s-]{7,11}$",
  },
  card_number: { type: "string", pattern: "^[0-9*][0-9*\\s-]{11,22}[0-9*]$" },
  cell_type: { type: "string", enum: Object.keys(CELL_TYPE_ALIASES) },
};

function fieldSchema(field: FieldSpec): Record<string, unknown> {
  return { ...TYPE_SCHEMAS[field.type], description: field.description };
}

function quoteCsvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
