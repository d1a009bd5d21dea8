import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";

import {
  createOrganisationByAdministrator,
  createUserAccount,
  listOrganisations,
  listUsers,
  resetUserPassword,
  resetUserSecondFactor,
  setAllowedNetworks,
  setUserDisabled,
  unlockUser,
} from "../../../accounts/index.js";
import { accessContextOf } from "../../context.js";
import { presentOrganisation, presentUser } from "../../presenters/user.js";
import { withoutUndefined } from "../without-undefined.js";
import {
  NewOrganisationBody,
  OrganisationIdParams,
  OrganisationNetworksBody,
  NewUserBody,
  UserChangesBody,
  UserIdParams,
} from "./schema.js";

/** Accounts and organisations, for administrators. */
export const adminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get("/users", async (request) => {
    const listings = await listUsers(accessContextOf(request));
    return { items: listings.map((l) => presentUser(l.user, l.organisation)) };
  });

  app.post(
    "/users",
    { schema: { body: NewUserBody } },
    async (request, reply) => {
      const created = await createUserAccount(
        accessContextOf(request),
        request.body,
      );
      return reply.status(201).send({
        user: presentUser(created.user, created.organisation),
        oneTimePassword: created.oneTimePassword,
      });
    },
  );

  app.patch(
    "/users/:id",
    { schema: { params: UserIdParams, body: UserChangesBody } },
    async (request) => {
      const context = accessContextOf(request);
      const listing = await setUserDisabled(
        context,
        request.params.id,
        request.body.disabled,
      );
      return presentUser(listing.user, listing.organisation);
    },
  );

  app.post(
    "/users/:id/unlock",
    { schema: { params: UserIdParams } },
    async (request) => {
      const context = accessContextOf(request);
      const listing = await unlockUser(context, request.params.id);
      return presentUser(listing.user, listing.organisation);
    },
  );

  app.post(
    "/users/:id/password-reset",
    { schema: { params: UserIdParams } },
    async (request) => ({
      oneTimePassword: await resetUserPassword(
        accessContextOf(request),
        request.params.id,
      ),
    }),
  );

  app.post(
    "/users/:id/second-factor-reset",
    { schema: { params: UserIdParams } },
    async (request) => {
      const context = accessContextOf(request);
      const listing = await resetUserSecondFactor(context, request.params.id);
      return presentUser(listing.user, listing.organisation);
    },
  );

  app.get("/organisations", async (request) => {
    const organisations = await listOrganisations(accessContextOf(request));
    return { items: organisations.map(presentOrganisation) };
  });

  app.post(
    "/organisations",
    { schema: { body: NewOrganisationBody } },
    async (request, reply) => {
      const context = accessContextOf(request);
      const organisation = await createOrganisationByAdministrator(
        context,
        withoutUndefined(request.body) as typeof request.body,
      );
      return reply.status(201).send(presentOrganisation(organisation));
    },
  );

  app.put(
    "/organisations/:id/networks",
    {
      schema: { params: OrganisationIdParams, body: OrganisationNetworksBody },
    },
    async (request) => {
      const context = accessContextOf(request);
      const organisation = await setAllowedNetworks(
        context,
        request.params.id,
        request.body.allowedNetworks,
      );
      return presentOrganisation(organisation);
    },
  );
};
