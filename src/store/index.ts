export {
  openStore,
  type Dialect,
  type Store,
  type StoreOptions,
} from "./store.js";
export type * from "./schema.js";
