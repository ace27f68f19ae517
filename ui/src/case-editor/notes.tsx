// The case's notes, and a new one being written (kept in the draft until added).
import type { Note } from "../bindings/Note";
import type { T } from "../i18n";
import { shortTime } from "../format";
import { Field } from "../controls";
import { Group } from "./fields";

export function NotesGroup({
  t,
  id,
  notes,
  note,
  setNoteText,
  addNote,
}: {
  t: T;
  /** The case, once it exists (a note is added to a saved case only). */
  id: string | null;
  notes: Note[];
  note: string;
  setNoteText: (text: string) => void;
  addNote: () => Promise<void>;
}) {
  return (
    <Group id="g-notes" title={t("field-notes")} help={t("ui-case-notes-help")}>
      <ul class="plain notes">
        {notes.map((n, k) => (
          <li key={k}>
            <span class="muted">
              {shortTime(n.at)} · {n.author}
            </span>
            <div dir="auto">{n.text}</div>
          </li>
        ))}
      </ul>
      <Field label={t("ui-case-new-note")}>
        <textarea id="f-note" rows={3} dir="auto" value={note} onInput={(e) => setNoteText(e.currentTarget.value)} />
      </Field>
      {id && (
        <button type="button" class="outline small-btn" id="add-note" disabled={!note.trim()} onClick={() => void addNote()}>
          {t("ui-case-add-note")}
        </button>
      )}
    </Group>
  );
}
