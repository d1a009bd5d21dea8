export {
  authorizeProvider,
  providerActorName,
  providerAuditActor,
  providerKeyActorName,
  providerKeyCaller,
  providerUserCaller,
  type ProviderCaller,
  type ProviderKeyCaller,
} from "./caller.js";
export {
  clientCertificateOf,
  normaliseFingerprint,
  readServerTlsOptions,
  type ClientCertificate,
} from "./tls.js";
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
