import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";

import {
  addInterviewVisit,
  closeCase,
  listMovements,
  registerCase,
  searchCases,
  updateCase,
  viewCase,
} from "../../../cases/index.js";
import { accessContextOf } from "../../context.js";
import {
  presentCaseDetails,
  presentCaseSummary,
} from "../../presenters/case.js";
import { presentMovement } from "../../presenters/movement.js";
import { withoutUndefined } from "../without-undefined.js";
import {
  CaseChangesBody,
  CaseIdParams,
  CaseSearchQuery,
  CloseCaseBody,
  InterviewVisitBody,
  NewCaseBody,
} from "./schema.js";

/** Cases, their movements and their interview visits. */
export const caseRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    "/cases",
    { schema: { querystring: CaseSearchQuery } },
    async (request) => {
      const { sort, order, page, pageSize, ...filters } = request.query;
      const result = await searchCases(accessContextOf(request), {
        ...withoutUndefined(filters),
        sort: sort ?? "confirmedDate",
        order: order ?? "desc",
        page: page ?? 1,
        pageSize: pageSize ?? 50,
      });
      return { ...result, items: result.items.map(presentCaseSummary) };
    },
  );

  app.post(
    "/cases",
    { schema: { body: NewCaseBody } },
    async (request, reply) => {
      const body = request.body;
      const details = await registerCase(accessContextOf(request), {
        ...withoutUndefined(body),
        person: withoutUndefined(body.person),
      });
      return reply.status(201).send(presentCaseDetails(details));
    },
  );

  app.get("/cases/:id", { schema: { params: CaseIdParams } }, async (request) =>
    presentCaseDetails(
      await viewCase(accessContextOf(request), request.params.id),
    ),
  );

  app.patch(
    "/cases/:id",
    { schema: { params: CaseIdParams, body: CaseChangesBody } },
    async (request) => {
      const context = accessContextOf(request);
      const changes = withoutUndefined(request.body);
      return presentCaseDetails(
        await updateCase(context, request.params.id, changes),
      );
    },
  );

  app.post(
    "/cases/:id/close",
    { schema: { params: CaseIdParams, body: CloseCaseBody } },
    async (request) => {
      const context = accessContextOf(request);
      const closedDate = request.body?.closedDate;
      return presentCaseDetails(
        await closeCase(context, request.params.id, closedDate),
      );
    },
  );

  app.get(
    "/cases/:id/movements",
    { schema: { params: CaseIdParams } },
    async (request) => {
      const movements = await listMovements(
        accessContextOf(request),
        request.params.id,
      );
      return {
        caseId: request.params.id,
        items: movements.map(presentMovement),
      };
    },
  );

  app.post(
    "/cases/:id/visits",
    { schema: { params: CaseIdParams, body: InterviewVisitBody } },
    async (request, reply) => {
      const context = accessContextOf(request);
      const visit = withoutUndefined(request.body);
      const movement = await addInterviewVisit(
        context,
        request.params.id,
        visit,
      );
      return reply.status(201).send(presentMovement(movement));
    },
  );
};
