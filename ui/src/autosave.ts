// Autosave for the editors (case, legal item, plan task): what is typed is
// saved a moment after the last edit, one save at a time, and what is still
// unsaved when the editor closes is saved then. Optionally each edit is also
// kept as a draft in the encrypted store (the case editor), so nothing typed
// is lost when the window closes or the app is killed.
import { useEffect, useRef, useState } from "preact/hooks";
import { api } from "./api";

/** What an editor's save-state line says. */
export type SaveState = "idle" | "pending" | "saving" | "saved" | "invalid" | "error";

/** How long after the last edit a legal item or plan task is saved, in ms. */
export const SAVE_DELAY_MS = 700;
/** The case editor saves a little sooner (as it always has). */
export const CASE_SAVE_DELAY_MS = 600;
/** How long after the last edit the draft is written, in ms. */
export const DRAFT_DELAY_MS = 200;

export interface AutosaveOptions {
  /**
   * Sends the latest edits; rejects when they were not saved. `null` when
   * there is nowhere to save to yet (a new case): edits are only drafted.
   */
  save: (() => Promise<unknown>) | null;
  /** After each save that went through (also when newer edits are waiting). */
  onSaved?: () => void;
  /** After a save that failed. */
  onError?: (e: unknown) => void;
  /** The state a failed save shows; "error" unless told otherwise. */
  failedState?: (e: unknown) => SaveState;
  /** Something typed cannot be sent yet (a date that is not one): no save, the state is "invalid". */
  blocked?: () => boolean;
  /** Whether closing the editor must save; by default, edits not yet handed to a save. */
  unsaved?: () => boolean;
  /** Delay after the last edit; SAVE_DELAY_MS unless told otherwise. */
  delay?: number;
  /** Keep each edit as a draft under `key` (written DRAFT_DELAY_MS after the last edit, discarded once all is saved). */
  draft?: { key: string; body: () => unknown; onError?: (e: unknown) => void };
}

export interface Autosave {
  state: SaveState;
  /** For what the editor does outside the loop (creating, discarding a recovered draft). */
  setState: (s: SaveState) => void;
  /** Something was edited: the state is "pending", a draft and a save follow. */
  edited: () => void;
  /** Something only the draft keeps changed (a note being written): no save, the state stays. */
  drafted: () => void;
  /** Unsaved edits came back (a recovered draft): a save follows, if there is somewhere to save. */
  resume: () => void;
  /** Saves now (after the running save, when there is one). */
  flush: () => Promise<void>;
  /** Deletes the draft (and forgets a draft not yet written). */
  discardDraft: () => Promise<void>;
}

export function useAutosave(options: AutosaveOptions): Autosave {
  const [state, setState] = useState<SaveState>("idle");
  // The options of the latest render: the timers call what the editor says now.
  const opts = useRef(options);
  opts.current = options;
  const loop = useRef<Loop | null>(null);
  if (!loop.current) loop.current = saveLoop(opts, setState);
  // Closing the editor saves what is unsaved.
  useEffect(() => () => loop.current?.close(), []);
  const { close: _close, ...actions } = loop.current;
  return { state, ...actions };
}

type Loop = Omit<Autosave, "state"> & { close: () => void };

/** The loop behind the hook: timers and one save at a time. */
function saveLoop(opts: { current: AutosaveOptions }, setState: (s: SaveState) => void): Loop {
  /** Edits not yet handed to a save. */
  let pending = false;
  /** Counts edits: a save that ends with the same count saved the latest. */
  let version = 0;
  let busy = false;
  let again = false;
  let saveTimer: ReturnType<typeof setTimeout> | undefined;
  let draftTimer: ReturnType<typeof setTimeout> | undefined;

  const saveLater = () => {
    if (saveTimer !== undefined) clearTimeout(saveTimer);
    saveTimer = setTimeout(() => {
      saveTimer = undefined;
      if (pending) void flush();
    }, opts.current.delay ?? SAVE_DELAY_MS);
  };
  const draftLater = () => {
    const d = opts.current.draft;
    if (!d) return;
    if (draftTimer !== undefined) clearTimeout(draftTimer);
    draftTimer = setTimeout(() => {
      draftTimer = undefined;
      const now = opts.current.draft;
      if (now) api.saveDraft(now.key, now.body()).catch((e) => now.onError?.(e));
    }, DRAFT_DELAY_MS);
  };
  const discardDraft = async () => {
    if (draftTimer !== undefined) clearTimeout(draftTimer);
    draftTimer = undefined;
    const d = opts.current.draft;
    if (d) await api.discardDraft(d.key);
  };

  const flush = async () => {
    const o = opts.current;
    if (!o.save) return;
    if (busy) {
      again = true;
      return;
    }
    if (o.blocked?.()) {
      setState("invalid");
      return;
    }
    const sent = version;
    pending = false;
    busy = true;
    setState("saving");
    try {
      await o.save();
      // Saved, unless something newer arrived meanwhile (it goes next).
      if (version === sent) {
        await discardDraft();
        setState("saved");
      }
      opts.current.onSaved?.();
    } catch (e) {
      setState(opts.current.failedState?.(e) ?? "error");
      opts.current.onError?.(e);
    } finally {
      busy = false;
      if (again || version !== sent) {
        again = false;
        if (version !== sent && !opts.current.blocked?.()) saveLater();
      }
    }
  };

  return {
    setState,
    edited: () => {
      version++;
      pending = true;
      setState("pending");
      draftLater();
      if (opts.current.save) saveLater();
    },
    drafted: draftLater,
    resume: () => {
      if (!opts.current.save) return;
      version++;
      pending = true;
      setState("pending");
      saveLater();
    },
    flush,
    discardDraft,
    close: () => {
      const o = opts.current;
      if (o.unsaved ? o.unsaved() : pending) void flush();
    },
  };
}
