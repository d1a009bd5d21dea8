import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  type ReactNode,
} from "react";

import type { Movement } from "../api/types.js";
import { en } from "./en.js";
import {
  formatDate,
  formatInstant,
  formatMovementTime,
  formatNumber,
  type Locale,
} from "./format.js";
import { ko, type MessageKey } from "./ko.js";

export type { Locale } from "./format.js";
export type { MessageKey } from "./ko.js";

const CATALOGUES: Record<Locale, Record<MessageKey, string>> = { ko, en };
const STORAGE_KEY = "epitrace.locale";

export type MessageParams = Record<string, string | number>;

/** The active language with its message lookup and formatters. */
export interface I18n {
  locale: Locale;
  setLocale(locale: Locale): void;
  /** Returns the message for a key, with `{name}` placeholders replaced. */
  t(key: MessageKey, params?: MessageParams): string;
  /** Returns the message for `prefix.value` if the catalogue has one, else the value itself. */
  label(prefix: string, value: string): string;
  date(date: string | null): string;
  instant(instant: string): string;
  movementTime(movement: Movement): string;
  number(value: number): string;
}

const I18nContext = createContext<I18n | null>(null);

function readStoredLocale(): Locale {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    return stored === "en" ? "en" : "ko";
  } catch {
    // Browser policy can block storage, and Korean is the default then.
    return "ko";
  }
}

function interpolate(
  template: string,
  params: MessageParams | undefined,
): string {
  if (params === undefined) {
    return template;
  }
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/** Provides the language chosen by the user, Korean by default, kept in localStorage. */
export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(readStoredLocale);

  const setLocale = useCallback((next: Locale) => {
    setLocaleState(next);
    try {
      window.localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // The choice then lasts for this page only.
    }
  }, []);

  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);

  const value = useMemo<I18n>(() => {
    const catalogue = CATALOGUES[locale];
    const none = catalogue["common.none"];
    return {
      locale,
      setLocale,
      t: (key, params) => interpolate(catalogue[key], params),
      label: (prefix, value) => {
        const key = `${prefix}.${value}`;
        return key in catalogue ? catalogue[key as MessageKey] : value;
      },
      date: (date) =>
        date === null || date === "" ? none : formatDate(date, locale),
      instant: (instant) => formatInstant(instant, locale),
      movementTime: (movement) => formatMovementTime(movement, locale),
      number: (value) => formatNumber(value, locale),
    };
  }, [locale, setLocale]);

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

/** Returns the active language's messages and formatters. */
export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (value === null) {
    throw new Error("useI18n must be called inside <I18nProvider>.");
  }
  return value;
}
