export {
  authorizeProvider,
  providerAuditActor,
  providerKeyActorName,
  type ProviderCaller,
} from "./caller.js";
export {
  API_KEY_PREFIX,
  DEFAULT_KEY_DAYS,
  MAX_KEY_DAYS,
  PROVIDER_KINDS,
  authenticateProviderKey,
  createProviderApiKey,
  hashApiKey,
  listProviderApiKeys,
  revokeProviderApiKey,
  type CreatedProviderApiKey,
  type NewProviderApiKey,
  type ProviderApiKeyListing,
} from "./keys.js";
