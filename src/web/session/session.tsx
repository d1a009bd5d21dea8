import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  type ReactNode,
} from "react";

import {
  api,
  ApiError,
  setUnauthorizedListener,
  type Me,
} from "../api/index.js";
import { navigate } from "../app/router.js";

export type SessionState =
  | { status: "loading" }
  | { status: "anonymous" }
  | { status: "failed"; message: string }
  | { status: "signedIn"; user: Me };

interface Session {
  state: SessionState;
  signedIn(user: Me): void;
  refresh(): Promise<void>;
  logout(): Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

/** Returns the login path that brings the user back to where the session ended. */
function loginPathFor(pathname: string, search: string): string {
  if (pathname === "/login" || pathname === "/") {
    return "/login";
  }
  return `/login?next=${encodeURIComponent(pathname + search)}`;
}

/**
 * Loads the signed-in user from `GET /api/session` and keeps it. A 401 from
 * any later API call signs the user out of the page and shows the login screen.
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: "loading" });

  const refresh = useCallback(async () => {
    try {
      const { user } = await api.getSession();
      setState({ status: "signedIn", user });
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        setState({ status: "anonymous" });
      } else {
        setState({ status: "failed", message: (error as Error).message });
      }
    }
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  useEffect(() => {
    setUnauthorizedListener((error) => {
      if (error.code === "password_change_required") {
        setState((current) =>
          current.status === "signedIn"
            ? {
                status: "signedIn",
                user: { ...current.user, passwordMustChange: true },
              }
            : current,
        );
        return;
      }
      setState({ status: "anonymous" });
      navigate(loginPathFor(window.location.pathname, window.location.search), {
        replace: true,
      });
    });
    return () => setUnauthorizedListener(null);
  }, []);

  const signedIn = useCallback((user: Me) => {
    setState({ status: "signedIn", user });
  }, []);

  const logout = useCallback(async () => {
    try {
      await api.logout();
    } finally {
      setState({ status: "anonymous" });
      navigate("/login");
    }
  }, []);

  const value = useMemo(
    () => ({ state, signedIn, refresh, logout }),
    [state, signedIn, refresh, logout],
  );
  return (
    <SessionContext.Provider value={value}>{children}</SessionContext.Provider>
  );
}

/** Returns the session: its state and the functions that change it. */
export function useSession(): Session {
  const value = useContext(SessionContext);
  if (value === null) {
    throw new Error("useSession must be called inside <SessionProvider>.");
  }
  return value;
}

/** Returns the signed-in user. Call it only below a screen that requires one. */
export function useUser(): Me {
  const { state } = useSession();
  if (state.status !== "signedIn") {
    throw new Error("useUser was called without a signed-in user.");
  }
  return state.user;
}

/** Tells whether the user has a permission such as `case.view`. */
export function can(user: Me, permission: string): boolean {
  return user.permissions.includes(permission);
}
