import { Type } from "typebox";

import { DataKindSchema } from "../requests/schema.js";

export const KeyIdParams = Type.Object({
  id: Type.String({ format: "uuid" }),
});

export const NewKeyBody = Type.Object(
  {
    organisationId: Type.String({ format: "uuid" }),
    name: Type.String({ minLength: 1, maxLength: 100 }),
    expiresInDays: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 365,
        description: "Days until the key expires, default 90",
      }),
    ),
    clientCertSha256: Type.Optional(
      Type.String({
        pattern: "^([0-9A-Fa-f]{2}:?){31}[0-9A-Fa-f]{2}$",
        description:
          "SHA-256 fingerprint of the client certificate the key must come with",
      }),
    ),
  },
  { additionalProperties: false },
);

export const KeyListQuery = Type.Object(
  { organisationId: Type.Optional(Type.String({ format: "uuid" })) },
  { additionalProperties: false },
);

export const ProviderRequestParams = Type.Object({
  requestId: Type.String({ format: "uuid" }),
});

export const ProviderUploadParams = Type.Object({
  requestId: Type.String({ format: "uuid" }),
  uploadId: Type.String({ format: "uuid" }),
});

export const UploadQuery = Type.Object(
  { kind: DataKindSchema },
  { additionalProperties: false },
);

export const ForwardBody = Type.Union([
  Type.Object(
    {
      cardCompanyIds: Type.Optional(
        Type.Array(Type.String({ format: "uuid" }), {
          minItems: 1,
          maxItems: 100,
        }),
      ),
    },
    { additionalProperties: false },
  ),
  Type.Null(),
]);

export const DeclineBody = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 2000 }) },
  { additionalProperties: false },
);

export const WithdrawUploadBody = Type.Union([
  Type.Object(
    { reason: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })) },
    { additionalProperties: false },
  ),
  Type.Null(),
]);
