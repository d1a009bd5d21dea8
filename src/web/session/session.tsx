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
  type SessionReply,
} from "../api/index.js";
import { navigate } from "../app/router.js";
import { forgetMapBaseStyle } from "../map/base.js";

/** The login step a half-open session is at. */
export type HalfOpenStage = "second_factor" | "enrolment";

export type SessionState =
  | { status: "loading" }
  | { status: "anonymous" }
  | { status: "failed"; message: string }
  | { status: "halfOpen"; stage: HalfOpenStage }
  | { status: "signedIn"; user: Me };

interface Session {
  state: SessionState;
  /** Takes the reply of login or of a second-factor step. */
  accept(reply: SessionReply): void;
  refresh(): Promise<void>;
  logout(): Promise<void>;
}

/** Converts a reply to the state it leads to: signed in with the user, or half-open. */
function stateOf(reply: SessionReply): SessionState {
  if (reply.user !== undefined) {
    return { status: "signedIn", user: reply.user };
  }
  const stage = reply.stage === "enrolment" ? "enrolment" : "second_factor";
  return { status: "halfOpen", stage };
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
 * Loads the signed-in user from `GET /api/session` and keeps it, or the
 * login step of a half-open session. A 401 from any later API call signs
 * the user out of the page and shows the login screen.
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: "loading" });

  const refresh = useCallback(async () => {
    try {
      setState(stateOf(await api.getSession()));
    } catch (error) {
      setState(await stateAfterRejection(error));
    }
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  useEffect(() => {
    setUnauthorizedListener((error) => {
      if (error.code === "second_factor_required") {
        void refresh();
        return;
      }
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
      forgetMapBaseStyle();
      setState({ status: "anonymous" });
      navigate(loginPathFor(window.location.pathname, window.location.search), {
        replace: true,
      });
    });
    return () => setUnauthorizedListener(null);
  }, [refresh]);

  const accept = useCallback((reply: SessionReply) => {
    setState(stateOf(reply));
  }, []);

  const logout = useCallback(async () => {
    try {
      await api.logout();
    } finally {
      forgetMapBaseStyle();
      setState({ status: "anonymous" });
      navigate("/login");
    }
  }, []);

  const value = useMemo(
    () => ({ state, accept, refresh, logout }),
    [state, accept, refresh, logout],
  );
  return (
    <SessionContext.Provider value={value}>{children}</SessionContext.Provider>
  );
}

/**
 * Returns the state after `GET /api/session` failed: anonymous without a
 * session, the step of a half-open session, or the error.
 */
async function stateAfterRejection(error: unknown): Promise<SessionState> {
  if (error instanceof ApiError && error.status === 401) {
    return { status: "anonymous" };
  }
  if (error instanceof ApiError && error.code === "second_factor_required") {
    try {
      const { stage } = await api.getSecondFactorStatus();
      if (stage === "second_factor" || stage === "enrolment") {
        return { status: "halfOpen", stage };
      }
      // The session moved on between the two requests.
      return stateOf(await api.getSession());
    } catch (statusError) {
      return stateAfterRejection(statusError);
    }
  }
  return { status: "failed", message: (error as Error).message };
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
