import { BlockList, isIP } from "node:net";

import { AppError } from "../errors.js";
import type { Organisation } from "../store/index.js";

/**
 * Parses an organisation's allowed networks (a JSON array of CIDR blocks or
 * single addresses, IPv4 or IPv6), raising `validation_failed` on an
 * invalid entry.
 */
export function parseAllowedNetworks(networks: readonly string[]): BlockList {
  const list = new BlockList();
  for (const network of networks) {
    const [address = "", prefix] = network.trim().split("/");
    const family = isIP(address);
    if (family === 0) {
      throw new AppError(
        "validation_failed",
        `Invalid network ${JSON.stringify(network)}: expected an IP address or a CIDR block such as 10.20.0.0/16.`,
      );
    }

    const type = family === 4 ? "ipv4" : "ipv6";
    if (prefix === undefined) {
      list.addAddress(address, type);
      continue;
    }
    const bits = Number(prefix);
    if (
      !Number.isInteger(bits) ||
      bits < 0 ||
      bits > (family === 4 ? 32 : 128)
    ) {
      throw new AppError(
        "validation_failed",
        `Invalid network ${JSON.stringify(network)}: the prefix length must be 0 to ${family === 4 ? 32 : 128}.`,
      );
    }
    list.addSubnet(address, bits, type);
  }
  return list;
}

/**
 * Tells whether a request from `address` may act for the organisation. An
 * organisation without allowed networks accepts every address. One with a
 * list accepts only the addresses inside it, because the system is meant to
 * run on a dedicated network.
 */
export function isAddressAllowed(
  organisation: Pick<Organisation, "allowed_networks">,
  address: string | null,
): boolean {
  const networks = JSON.parse(organisation.allowed_networks) as string[];
  if (networks.length === 0) {
    return true;
  }
  if (address === null) {
    return false;
  }

  const plain = address.startsWith("::ffff:") ? address.slice(7) : address;
  const family = isIP(plain);
  if (family === 0) {
    return false;
  }
  return parseAllowedNetworks(networks).check(
    plain,
    family === 4 ? "ipv4" : "ipv6",
  );
}
