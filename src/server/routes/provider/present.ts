import {
  exposurePlaceOf,
  type ProviderPartView,
} from "../../../requests/index.js";
import { presentProviderPart } from "../../presenters/request.js";

/**
 * Shapes a provider's part with the place of an exposure request, which
 * the operator needs in place of an identifier (null for other requests).
 */
export function presentPart(view: ProviderPartView) {
  return {
    ...presentProviderPart(view),
    exposurePlace: exposurePlaceOf(view.request),
  };
}
