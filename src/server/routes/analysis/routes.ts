import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";

import { AppError } from "../../../errors.js";
import {
  decideContact,
  findAreaHotspots,
  listCaseContacts,
  listTransmissionLinks,
  queryExposure,
  type CaseContactsOptions,
} from "../../../investigation/index.js";
import { accessContextOf } from "../../context.js";
import { caseRouteRoutes } from "./case-route.js";
import { exposureRequestOf } from "./exposure-body.js";
import { instantOf } from "./instant.js";
import {
  presentCaseContacts,
  presentContactDecision,
  presentExposure,
  presentHotspots,
  presentLinks,
} from "../../presenters/analysis.js";
import {
  CaseContactsParams,
  CaseContactsQuery,
  ContactDecisionBody,
  ContactDecisionParams,
  ExposureBody,
  HotspotQuery,
  LinksQuery,
} from "./schema.js";

/** Registers the analyses on the store: contacts of a case, hotspots, exposure queries and transmission links. */
export const analysisRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(caseRouteRoutes);

  app.get(
    "/cases/:id/contacts",
    { schema: { params: CaseContactsParams, querystring: CaseContactsQuery } },
    async (request) => {
      const context = accessContextOf(request);
      const options = contactOptionsOf(request.query);
      const result = await listCaseContacts(
        context,
        request.params.id,
        options,
      );
      return presentCaseContacts(result);
    },
  );

  app.post(
    "/cases/:id/contacts/:personId/decision",
    { schema: { params: ContactDecisionParams, body: ContactDecisionBody } },
    async (request, reply) => {
      const context = accessContextOf(request);
      const { id, personId } = request.params;
      const decision = await decideContact(context, id, personId, request.body);
      return reply.status(201).send(presentContactDecision(decision));
    },
  );

  app.get(
    "/hotspots",
    { schema: { querystring: HotspotQuery } },
    async (request) => {
      const { from, to, method, resolution, dayLevel } = request.query;
      const result = await findAreaHotspots(accessContextOf(request), {
        method: method ?? "gi-star",
        ...(from === undefined ? {} : { from }),
        ...(to === undefined ? {} : { to }),
        ...(resolution === undefined ? {} : { resolution }),
        ...(dayLevel === undefined ? {} : { includeDayLevel: dayLevel }),
      });
      return presentHotspots(result);
    },
  );

  app.post("/exposure", { schema: { body: ExposureBody } }, async (request) => {
    const result = await queryExposure(
      accessContextOf(request),
      exposureRequestOf(request.body),
    );
    return presentExposure(result);
  });

  app.get(
    "/links",
    { schema: { querystring: LinksQuery } },
    async (request) => {
      const result = await listTransmissionLinks(
        accessContextOf(request),
        request.query.province,
      );
      return presentLinks(result);
    },
  );
};

function contactOptionsOf(query: {
  from?: string | undefined;
  to?: string | undefined;
  contactDistanceMeters?: number | undefined;
  minimumMinutes?: number | undefined;
}): CaseContactsOptions {
  if ((query.from === undefined) !== (query.to === undefined)) {
    throw new AppError(
      "validation_failed",
      "Invalid infectious period: give both from and to, or neither.",
    );
  }
  const options: CaseContactsOptions = {};
  if (query.from !== undefined && query.to !== undefined) {
    const startsAt = instantOf("from", query.from);
    const endsAt = instantOf("to", query.to);
    if (!(startsAt < endsAt)) {
      throw new AppError(
        "validation_failed",
        "Invalid infectious period: from must be before to.",
      );
    }
    options.infectiousPeriod = { startsAt, endsAt };
  }
  if (query.contactDistanceMeters !== undefined) {
    options.contactDistanceMeters = query.contactDistanceMeters;
  }
  if (query.minimumMinutes !== undefined) {
    options.minimumMinutes = query.minimumMinutes;
  }
  return options;
}
