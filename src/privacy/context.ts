import type { AccessContext } from "../access/index.js";
import type { FieldKeys } from "./keys.js";

/** An access context with the keys that decrypt personal fields. */
export interface KeyedAccessContext extends AccessContext {
  keys: FieldKeys;
}
