import { XMLParser, XMLValidator } from "fast-xml-parser";

import { ProviderFileError } from "../errors.js";

/** A parsed XML element: attributes under `@_name`, text under `#text`. */
export type XmlElement = Record<string, unknown>;

/**
 * Parses an XML document with namespace prefixes removed (`gx:Track`
 * becomes `Track`) and every value kept as text. The elements named in
 * `arrayTags` always come as arrays, even when there is only one. Throws a
 * ProviderFileError when the text is not well-formed XML.
 */
export function parseXml(
  text: string,
  file: string,
  arrayTags: ReadonlySet<string>,
): XmlElement {
  const validation = XMLValidator.validate(text);
  if (validation !== true) {
    const { line, msg } = validation.err;
    throw new ProviderFileError(
      `${file} is not well-formed XML at line ${line}: ${msg}. Export the file again.`,
      file,
      "xml_syntax",
    );
  }
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: "@_",
    removeNSPrefix: true,
    parseTagValue: false,
    parseAttributeValue: false,
    isArray: (tagName) => arrayTags.has(tagName),
  });
  return parser.parse(text) as XmlElement;
}

/** Returns the child elements named `name`, as an array. */
export function childElements(element: unknown, name: string): XmlElement[] {
  if (!isElement(element)) {
    return [];
  }
  const children = element[name];
  if (Array.isArray(children)) {
    return children.filter(isElement);
  }
  return isElement(children) ? [children] : [];
}

/** Returns the text of the child element `name`, or "" when there is none. */
export function childText(element: unknown, name: string): string {
  if (!isElement(element)) {
    return "";
  }
  const child = Array.isArray(element[name])
    ? (element[name] as unknown[])[0]
    : element[name];
  if (typeof child === "string") {
    return child.trim();
  }
  return isElement(child) && typeof child["#text"] === "string"
    ? child["#text"].trim()
    : "";
}

/** Returns the texts of the child elements `name`, in document order. */
export function childTexts(element: unknown, name: string): string[] {
  if (!isElement(element)) {
    return [];
  }
  const children = element[name];
  const list = Array.isArray(children)
    ? children
    : children === undefined
      ? []
      : [children];
  return list.map((child) => {
    if (typeof child === "string") {
      return child.trim();
    }
    return isElement(child) && typeof child["#text"] === "string"
      ? child["#text"].trim()
      : "";
  });
}

/** Returns the value of the attribute `name`, or "" when there is none. */
export function attribute(element: XmlElement, name: string): string {
  const value = element[`@_${name}`];
  return typeof value === "string" ? value.trim() : "";
}

function isElement(value: unknown): value is XmlElement {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
