import { render } from "preact";
import { act } from "preact/test-utils";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

/** Every call, with the (fake) time it was made at. */
const calls: Array<[number, string, unknown[]]> = [];
let t0 = 0;
const log = (name: string, args: unknown[]) => calls.push([Date.now() - t0, name, args]);

vi.mock("./api", () => ({
  api: {
    saveDraft: (...a: unknown[]) => (log("saveDraft", a), Promise.resolve()),
    discardDraft: (...a: unknown[]) => (log("discardDraft", a), Promise.resolve()),
  },
}));

import { CASE_SAVE_DELAY_MS, DRAFT_DELAY_MS, SAVE_DELAY_MS, useAutosave, type Autosave, type AutosaveOptions } from "./autosave";

let loop: Autosave;
let root: HTMLElement;
const state = () => root.textContent;

function Editor({ options }: { options: AutosaveOptions }) {
  loop = useAutosave(options);
  return <p>{loop.state}</p>;
}

async function mount(options: AutosaveOptions) {
  await act(async () => {
    render(<Editor options={options} />, root);
  });
}
async function unmount() {
  await act(async () => {
    render(null, root);
  });
}
/** Lets `ms` pass, promises settling as they would. */
async function pass(ms: number) {
  await act(async () => {
    await vi.advanceTimersByTimeAsync(ms);
  });
}
async function edit(f: () => void = () => loop.edited()) {
  await act(async () => {
    f();
  });
}
/** Ends a save (or anything else) and lets what follows it settle. */
async function settle(f: () => void) {
  await act(async () => {
    f();
    for (let i = 0; i < 10; i++) await Promise.resolve();
  });
}
/** A save that resolves on our word, logged when it starts. */
function controlled() {
  const ends: Array<{ ok: () => void; fail: (e: unknown) => void }> = [];
  const save = vi.fn(() => {
    log("save", []);
    return new Promise<void>((ok, fail) => ends.push({ ok, fail }));
  });
  return { save, ends };
}
const saving = () => calls.filter(([, n]) => n === "save").map(([at]) => at);

beforeEach(() => {
  vi.useFakeTimers();
  calls.length = 0;
  t0 = Date.now();
  root = document.createElement("div");
});
afterEach(() => {
  render(null, root);
  vi.useRealTimers();
});

describe("useAutosave", () => {
  it("saves once, the delay after the last edit, and not before", async () => {
    const save = vi.fn(() => (log("save", []), Promise.resolve()));
    await mount({ save });
    expect(state()).toBe("idle");
    await edit();
    expect(state()).toBe("pending");
    await pass(SAVE_DELAY_MS - 1);
    expect(save).not.toHaveBeenCalled();
    await pass(1);
    expect(save).toHaveBeenCalledTimes(1);
    expect(state()).toBe("saved");
    await pass(5 * SAVE_DELAY_MS);
    expect(save).toHaveBeenCalledTimes(1);
  });

  it("gathers edits typed in a row into one save", async () => {
    const save = vi.fn(() => (log("save", []), Promise.resolve()));
    await mount({ save, delay: CASE_SAVE_DELAY_MS });
    for (let i = 0; i < 3; i++) {
      await edit();
      await pass(300);
    }
    expect(save).not.toHaveBeenCalled();
    await pass(CASE_SAVE_DELAY_MS);
    expect(saving()).toEqual([600 + CASE_SAVE_DELAY_MS]);
  });

  it("a save that went through tells the editor; saved shows only when the latest edit is saved", async () => {
    const { save, ends } = controlled();
    const onSaved = vi.fn();
    await mount({ save, onSaved });
    await edit();
    await pass(SAVE_DELAY_MS);
    expect(state()).toBe("saving");
    // Typed during the save: not saved yet, and no second save meanwhile.
    await pass(100);
    await edit();
    await pass(SAVE_DELAY_MS);
    expect(saving()).toEqual([SAVE_DELAY_MS]);
    await settle(() => ends[0].ok());
    expect(onSaved).toHaveBeenCalledTimes(1);
    expect(state()).toBe("pending");
    // The newer edit goes next, a delay after the first save ended.
    await pass(SAVE_DELAY_MS);
    expect(saving()).toEqual([SAVE_DELAY_MS, 3 * SAVE_DELAY_MS + 100]);
    await settle(() => ends[1].ok());
    expect(state()).toBe("saved");
    expect(onSaved).toHaveBeenCalledTimes(2);
  });

  it("a failed save shows the error, tells the editor, and the next edit tries again", async () => {
    const { save, ends } = controlled();
    const onError = vi.fn();
    const onSaved = vi.fn();
    await mount({ save, onError, onSaved });
    await edit();
    await pass(SAVE_DELAY_MS);
    const refusal = { code: "internal", message: "disk full" };
    await settle(() => ends[0].fail(refusal));
    expect(state()).toBe("error");
    expect(onError).toHaveBeenCalledWith(refusal);
    expect(onSaved).not.toHaveBeenCalled();
    // Not retried on its own…
    await pass(5 * SAVE_DELAY_MS);
    expect(save).toHaveBeenCalledTimes(1);
    // …but with the next edit.
    await edit();
    await pass(SAVE_DELAY_MS);
    expect(save).toHaveBeenCalledTimes(2);
  });

  it("the editor chooses the state a failure shows", async () => {
    const { save, ends } = controlled();
    await mount({ save, failedState: (e) => ((e as { code: string }).code === "invalid_input" ? "invalid" : "error") });
    await edit();
    await pass(SAVE_DELAY_MS);
    await settle(() => ends[0].fail({ code: "invalid_input" }));
    expect(state()).toBe("invalid");
  });

  it("sends nothing while something typed cannot be saved, and says so", async () => {
    const save = vi.fn(() => Promise.resolve());
    let bad = true;
    await mount({ save, blocked: () => bad });
    await edit();
    await pass(SAVE_DELAY_MS);
    expect(save).not.toHaveBeenCalled();
    expect(state()).toBe("invalid");
    bad = false;
    await edit();
    await pass(SAVE_DELAY_MS);
    expect(save).toHaveBeenCalledTimes(1);
    expect(state()).toBe("saved");
  });

  it("closing with an edit not yet saved saves it at once, and only once", async () => {
    const save = vi.fn(() => (log("save", []), Promise.resolve()));
    await mount({ save });
    await edit();
    await pass(100);
    await unmount();
    expect(saving()).toEqual([100]);
    await pass(5 * SAVE_DELAY_MS);
    expect(save).toHaveBeenCalledTimes(1);
  });

  it("closing with nothing unsaved saves nothing", async () => {
    const save = vi.fn(() => Promise.resolve());
    await mount({ save });
    await unmount();
    await mount({ save });
    await edit();
    await pass(SAVE_DELAY_MS);
    await unmount();
    await pass(5 * SAVE_DELAY_MS);
    expect(save).toHaveBeenCalledTimes(1);
  });

  it("closing after a failed save tries again only when the editor says something is unsaved", async () => {
    const failing = vi.fn(() => Promise.reject({ code: "internal" }));
    await mount({ save: failing });
    await edit();
    await pass(SAVE_DELAY_MS);
    await unmount();
    expect(failing).toHaveBeenCalledTimes(1);

    const retried = vi.fn(() => Promise.reject({ code: "internal" }));
    await mount({ save: retried, unsaved: () => true });
    await edit();
    await pass(SAVE_DELAY_MS);
    await unmount();
    expect(retried).toHaveBeenCalledTimes(2);
  });

  it("an edit made during a save that closes the editor is still saved", async () => {
    const { save, ends } = controlled();
    await mount({ save });
    await edit();
    await pass(SAVE_DELAY_MS);
    await edit();
    await unmount();
    expect(save).toHaveBeenCalledTimes(1);
    await settle(() => ends[0].ok());
    await pass(SAVE_DELAY_MS);
    expect(save).toHaveBeenCalledTimes(2);
  });

  it("keeps each edit as a draft soon after, and discards the draft once all is saved", async () => {
    const save = vi.fn(() => (log("save", []), Promise.resolve()));
    let body = { title: "a" };
    await mount({ save, delay: CASE_SAVE_DELAY_MS, draft: { key: "case:1", body: () => body } });
    await edit();
    body = { title: "ab" };
    await pass(DRAFT_DELAY_MS - 1);
    expect(calls).toEqual([]);
    await pass(1);
    expect(calls).toEqual([[DRAFT_DELAY_MS, "saveDraft", ["case:1", { title: "ab" }]]]);
    await pass(CASE_SAVE_DELAY_MS);
    expect(calls.map(([at, n]) => [at, n])).toEqual([
      [DRAFT_DELAY_MS, "saveDraft"],
      [CASE_SAVE_DELAY_MS, "save"],
      [CASE_SAVE_DELAY_MS, "discardDraft"],
    ]);
    expect(state()).toBe("saved");
  });

  it("a change only the draft keeps is drafted, not saved, and leaves the state alone", async () => {
    const save = vi.fn(() => Promise.resolve());
    await mount({ save, draft: { key: "case:1", body: () => "note" } });
    await edit(() => loop.drafted());
    await pass(5 * SAVE_DELAY_MS);
    expect(calls.map(([at, n]) => [at, n])).toEqual([[DRAFT_DELAY_MS, "saveDraft"]]);
    expect(save).not.toHaveBeenCalled();
    expect(state()).toBe("idle");
  });

  it("with nowhere to save to yet, edits are pending and drafted only", async () => {
    await mount({ save: null, draft: { key: "case:new", body: () => 1 } });
    await edit();
    await pass(5 * SAVE_DELAY_MS);
    await unmount();
    expect(calls.map(([, n]) => n)).toEqual(["saveDraft"]);
    expect(state()).toBe("");
  });

  it("discarding the draft forgets a draft not yet written", async () => {
    await mount({ save: null, draft: { key: "case:new", body: () => 1 } });
    await edit();
    await act(async () => loop.discardDraft());
    await pass(5 * DRAFT_DELAY_MS);
    expect(calls.map(([, n]) => n)).toEqual(["discardDraft"]);
  });

  it("recovered edits are saved a delay later, when there is somewhere to save them", async () => {
    const save = vi.fn(() => Promise.resolve());
    await mount({ save, draft: { key: "case:1", body: () => 1 } });
    await edit(() => loop.resume());
    expect(state()).toBe("pending");
    await pass(SAVE_DELAY_MS);
    expect(save).toHaveBeenCalledTimes(1);
    // The recovered draft is not written again, only discarded once saved.
    expect(calls.map(([, n]) => n)).toEqual(["discardDraft"]);

    await unmount();
    await mount({ save: null, draft: { key: "case:new", body: () => 1 } });
    await edit(() => loop.resume());
    expect(state()).toBe("idle");
  });
});
