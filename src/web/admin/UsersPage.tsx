import { useCallback, useEffect, useState } from "react";

import { api, type Organisation, type UserSummary } from "../api/index.js";
import { ErrorMessage, errorText } from "../app/ui.js";
import { useI18n } from "../i18n/index.js";
import { can, useUser } from "../session/session.js";
import {
  CreateUserForm,
  OneTimePassword,
  type IssuedPassword,
} from "./CreateUserForm.js";
import { OrganisationsPanel } from "./OrganisationsPanel.js";

/** Renders user administration: accounts, one-time passwords and organisations. */
export function UsersPage() {
  const { t } = useI18n();
  const me = useUser();
  const manageUsers = can(me, "user.manage");
  const [users, setUsers] = useState<UserSummary[] | null>(null);
  const [organisations, setOrganisations] = useState<Organisation[]>([]);
  const [issued, setIssued] = useState<IssuedPassword | null>(null);
  const [error, setError] = useState<string | null>(null);

  const loadUsers = useCallback(async () => {
    try {
      setUsers((await api.listUsers()).items);
    } catch (caught) {
      setError(errorText(caught));
    }
  }, []);
  const loadOrganisations = useCallback(async () => {
    try {
      setOrganisations((await api.listOrganisations()).items);
    } catch (caught) {
      setError(errorText(caught));
    }
  }, []);

  useEffect(() => {
    if (manageUsers) void loadUsers();
    void loadOrganisations();
  }, [manageUsers, loadUsers, loadOrganisations]);

  const run = async (action: () => Promise<void>) => {
    setError(null);
    try {
      await action();
    } catch (caught) {
      setError(errorText(caught));
    }
  };

  const toggleDisabled = (user: UserSummary) =>
    run(async () => {
      await api.setUserDisabled(user.id, !user.disabled);
      await loadUsers();
    });
  const unlock = (user: UserSummary) =>
    run(async () => {
      await api.unlockUser(user.id);
      await loadUsers();
    });
  const resetSecondFactor = (user: UserSummary) =>
    run(async () => {
      await api.resetSecondFactor(user.id);
      await loadUsers();
    });
  const resetPassword = (user: UserSummary) =>
    run(async () => {
      const { oneTimePassword } = await api.resetPassword(user.id);
      setIssued({ username: user.username, password: oneTimePassword });
    });

  return (
    <div className="admin">
      <div className="page-header">
        <h1>{t("users.title")}</h1>
      </div>
      {issued === null ? null : (
        <OneTimePassword issued={issued} onDismiss={() => setIssued(null)} />
      )}
      <ErrorMessage message={error} />
      {manageUsers ? (
        <>
          <UsersTable
            users={users}
            selfId={me.id}
            onToggleDisabled={(user) => void toggleDisabled(user)}
            onResetPassword={(user) => void resetPassword(user)}
            onUnlock={(user) => void unlock(user)}
            onResetSecondFactor={(user) => void resetSecondFactor(user)}
          />
          <CreateUserForm
            organisations={organisations}
            onCreated={(created) => {
              setIssued(created);
              void loadUsers();
            }}
          />
        </>
      ) : null}
      <OrganisationsPanel
        organisations={organisations}
        canCreate={can(me, "organisation.manage")}
        onCreated={() => void loadOrganisations()}
      />
    </div>
  );
}

interface UsersTableProps {
  users: UserSummary[] | null;
  selfId: string;
  onToggleDisabled(user: UserSummary): void;
  onResetPassword(user: UserSummary): void;
  onUnlock(user: UserSummary): void;
  onResetSecondFactor(user: UserSummary): void;
}

function UsersTable(props: UsersTableProps) {
  const { users, selfId, onToggleDisabled, onResetPassword, onUnlock } = props;
  const { onResetSecondFactor } = props;
  const { t, label } = useI18n();
  if (users === null) {
    return <p className="empty">{t("common.loading")}</p>;
  }
  if (users.length === 0) {
    return <p className="empty">{t("users.empty")}</p>;
  }

  return (
    <table className="data-table users-table">
      <thead>
        <tr>
          <th>{t("users.username")}</th>
          <th>{t("users.displayName")}</th>
          <th>{t("users.role")}</th>
          <th>{t("users.organisation")}</th>
          <th>{t("users.state")}</th>
          <th>{t("users.actions")}</th>
        </tr>
      </thead>
      <tbody>
        {users.map((user) => (
          <tr
            key={user.id}
            data-testid="user-row"
            className={user.disabled ? "disabled" : undefined}
          >
            <td className="mono">{user.username}</td>
            <td>{user.displayName}</td>
            <td>{label("role", user.role)}</td>
            <td>{user.organisation.name}</td>
            <td>
              <span
                className={
                  user.disabled ? "badge user-disabled" : "badge user-active"
                }
              >
                {user.disabled ? t("users.disabled") : t("users.active")}
              </span>
              {user.locked === true ? (
                <span className="badge user-locked">{t("users.locked")}</span>
              ) : null}
            </td>
            <td>
              <div className="row-actions">
                <button
                  type="button"
                  disabled={user.id === selfId}
                  onClick={() => onToggleDisabled(user)}
                >
                  {user.disabled ? t("users.enable") : t("users.disable")}
                </button>
                {user.locked === true ? (
                  <button type="button" onClick={() => onUnlock(user)}>
                    {t("users.unlock")}
                  </button>
                ) : null}
                <button type="button" onClick={() => onResetPassword(user)}>
                  {t("users.resetPassword")}
                </button>
                {user.secondFactorEnrolled === true ? (
                  <button
                    type="button"
                    onClick={() => onResetSecondFactor(user)}
                  >
                    {t("users.resetSecondFactor")}
                  </button>
                ) : null}
              </div>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
