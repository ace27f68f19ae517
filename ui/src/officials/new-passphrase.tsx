// A new passphrase typed twice: the reset dialog's and the passphrase change's fields.

import type { T } from "../i18n";

export function NewPassphrase({
  t,
  id,
  value,
  again,
  onValue,
  onAgain,
}: {
  t: T;
  /** The first field's id; the second's is this with "2" after it. */
  id: string;
  value: string;
  again: string;
  onValue: (v: string) => void;
  onAgain: (v: string) => void;
}) {
  return (
    <>
      <label for={id}>{t("ui-passphrase-new")}</label>
      <input id={id} type="password" autocomplete="new-password" value={value} onInput={(e) => onValue(e.currentTarget.value)} required />
      <label for={`${id}2`}>{t("ui-passphrase-repeat")}</label>
      <input id={`${id}2`} type="password" autocomplete="new-password" value={again} onInput={(e) => onAgain(e.currentTarget.value)} required />
    </>
  );
}
