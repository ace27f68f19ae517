// The header's account menu: who is logged in and their role; changing
// one's passphrase; after how many minutes without input the window locks.
import { useEffect, useRef, useState } from "preact/hooks";
import { api, asIpcError } from "../api";
import type { Session } from "../bindings/Session";
import type { T } from "../i18n";
import { roleLabel } from "../session";
import { PassphraseDialog } from "./passphrase-dialog";

/** The idle lock's delay as minutes on screen (at least 1). */
export function idleMinutes(seconds: number): number {
  return Math.max(1, Math.round(seconds / 60));
}

/** The idle delay in words for the unlock notice: seconds under a minute. */
export function idleDelay(seconds: number): string {
  return seconds < 60 ? `${Math.max(1, Math.round(seconds))} s` : `${idleMinutes(seconds)} min`;
}

export function AccountMenu({
  t,
  session,
  idleSeconds,
  onIdleChanged,
}: {
  t: T;
  session: Session;
  idleSeconds: number;
  /** The delay was changed: the app reads the one in effect. */
  onIdleChanged: () => void;
}) {
  const [open, setOpen] = useState(false);
  const [dialog, setDialog] = useState(false);
  const role = roleLabel(t, session.role);
  // An open menu closes on a click elsewhere or Escape.
  const menu = useRef<HTMLDetailsElement>(null);
  useEffect(() => {
    if (!open) return;
    const away = (e: Event) => {
      if (menu.current && !menu.current.contains(e.target as Node)) setOpen(false);
    };
    const escape = (e: KeyboardEvent) => e.key === "Escape" && setOpen(false);
    document.addEventListener("mousedown", away);
    document.addEventListener("keydown", escape);
    return () => {
      document.removeEventListener("mousedown", away);
      document.removeEventListener("keydown", escape);
    };
  }, [open]);
  return (
    <div class="account">
      <details class="account-menu" id="account-menu" ref={menu} open={open} onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}>
        <summary id="session-official" data-name={session.name} data-role={session.role} title={t("ui-account-menu")}>
          <span class="official-name">{session.name}</span>
          <span class="official-role">{role}</span>
        </summary>
        <div class="menu-panel">
          <p class="small muted">{t("ui-account-logged-in", { name: session.name, role })}</p>
          <button
            type="button"
            class="outline"
            id="change-passphrase"
            onClick={() => {
              setOpen(false);
              setDialog(true);
            }}
          >
            {t("ui-change-passphrase")}
          </button>
          <IdleSetting t={t} seconds={idleSeconds} onChanged={onIdleChanged} />
        </div>
      </details>
      {dialog && <PassphraseDialog t={t} onClose={() => setDialog(false)} />}
    </div>
  );
}

/** The idle lock's delay, in minutes (kept on this data folder). */
function IdleSetting({ t, seconds, onChanged }: { t: T; seconds: number; onChanged: () => void }) {
  const shown = idleMinutes(seconds);
  const [value, setValue] = useState(String(shown));
  const [error, setError] = useState<string | null>(null);
  // Enter and the change that follows it send the value once.
  const sent = useRef(shown);
  useEffect(() => {
    sent.current = shown;
    setValue(String(shown));
  }, [shown]);
  const apply = () => {
    const n = Math.round(Number(value));
    if (!Number.isFinite(n) || n < 1) {
      setValue(String(shown));
      return;
    }
    if (n === sent.current) return;
    sent.current = n;
    setError(null);
    api
      .setIdleMinutes(n)
      .then((m) => {
        setValue(String(m));
        onChanged();
      })
      .catch((e) => setError(asIpcError(e).message));
  };
  return (
    <div class="idle-setting">
      <label for="idle-minutes">{t("ui-idle-minutes")}</label>
      <input
        id="idle-minutes"
        type="number"
        min={1}
        max={240}
        step={1}
        value={value}
        onInput={(e) => setValue(e.currentTarget.value)}
        onChange={apply}
        onKeyDown={(e) => e.key === "Enter" && apply()}
      />
      <p class="small muted" id="idle-minutes-value">
        {t("ui-idle-current", { minutes: shown })}
      </p>
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
