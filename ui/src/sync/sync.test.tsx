import { render } from "preact";
import { act } from "preact/test-utils";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { groupedKey } from "../format";
import { translate } from "../i18n";
import type { BundleFound } from "../bindings/BundleFound";
import type { CountryKeyView } from "../bindings/CountryKeyView";
import type { NodeRole } from "../bindings/NodeRole";
import type { SyncPanel } from "../bindings/SyncPanel";
import type { Session } from "../bindings/Session";
import { SessionContext } from "../session";

const calls: Array<[string, unknown[]]> = [];
let panel: SyncPanel;
let failAdd: { code: string; message: string; issues: [] } | null = null;
let found: BundleFound[] = [];
let portTaken = false;
let countryKey: CountryKeyView | null = null;

vi.mock("../api", () => {
  const rec =
    (name: string, result: () => unknown = () => undefined) =>
    (...args: unknown[]) => {
      calls.push([name, args]);
      return Promise.resolve(result());
    };
  return {
    api: {
      syncPanel: rec("syncPanel", () => panel),
      syncNow: rec("syncNow", () => [
        { peer: "NTF Guatemala", country: "GT", ok: false, fault: { code: "unreachable", detail: "connect", message: "No se pudo contactar con NTF Guatemala: no hay red." }, requests: 1, bytes_sent: 80, bytes_received: 0, docs_sent: 0, docs_received: 0, changes_sent: 0, changes_received: 0, refused: 0, reconciled: false, cancelled: false, millis: 12 },
      ]),
      addPeer: (...args: unknown[]) => {
        calls.push(["addPeer", args]);
        return failAdd ? Promise.reject(failAdd) : Promise.resolve({ name: "NTF Guatemala" });
      },
      cancelSync: rec("cancelSync"),
      quarantine: rec("quarantine", () => []),
      exportBundle: rec("exportBundle", () => ({ path: "/tmp/x.enlace", peer: "NTF Guatemala", seq: 1, bytes: 900, docs: 2, changes: 3 })),
      importBundle: rec("importBundle", () => ({ peer: "NTF Guatemala", seq: 2, docs: 1, changes: 1, refused: 0 })),
      removePeer: rec("removePeer"),
      setPeerRole: (...args: unknown[]) => {
        calls.push(["setPeerRole", args]);
        const [name, role] = args as [string, NodeRole];
        const peer = panel.peers.find((p) => p.name === name)!;
        return Promise.resolve({ ...peer, node_role: role });
      },
      setNodeRole: (...args: unknown[]) => {
        calls.push(["setNodeRole", args]);
        panel = { ...panel, node: { ...panel.node, role: args[0] as NodeRole } };
        return Promise.resolve(panel.node);
      },
      revokePeer: rec("revokePeer", () => ({})),
      countryKey: rec("countryKey", () => countryKey),
      countryKeyCreate: rec("countryKeyCreate", () => {
        countryKey = { country: "HN", public_key: "ef".repeat(32), holds_secret: true, added_at: new Date().toISOString() };
        return countryKey;
      }),
      countryKeyTrust: (...args: unknown[]) => {
        calls.push(["countryKeyTrust", args]);
        const key = args[0] as string;
        if (key === "00".repeat(32)) return Promise.reject({ code: "invalid_input", message: "Este nodo ya confía en una clave de administración del país", issues: [] });
        countryKey = { country: "HN", public_key: key, holds_secret: false, added_at: new Date().toISOString() };
        return Promise.resolve(countryKey);
      },
      findBundles: rec("findBundles", () => found),
      setListener: (...args: unknown[]) => {
        calls.push(["setListener", args]);
        const [on, port] = args as [boolean, number];
        if (port < 1024) return Promise.reject({ code: "invalid_input", message: `El puerto ${port} no sirve`, issues: [] });
        panel = {
          ...panel,
          listener: portTaken
            ? { on, listening: false, port, urls: [], error: "No se puede escuchar en 0.0.0.0:7443: otro programa ya escucha en ese puerto." }
            : { on, listening: on, port, urls: on ? [`https://192.168.1.20:${port}`, `https://10.0.0.5:${port}`] : [] },
        };
        return Promise.resolve(panel.listener);
      },
    },
    asIpcError: (e: unknown) => e,
  };
});

import { Sync } from "./sync";
import { ConnectionBadge } from "./connection-badge";

const t = (k: string, a?: Record<string, string | number>) => translate("es", k, a);
const tick = () => new Promise((r) => setTimeout(r, 0));
/** Lets effects run and their answers render. */
const settle = async () => {
  for (let i = 0; i < 2; i++) {
    await act(async () => {
      await tick();
    });
  }
};

async function type(el: HTMLInputElement, value: string) {
  await act(async () => {
    el.value = value;
    el.dispatchEvent(new Event("input", { bubbles: true }));
  });
}

/** Ticks a checkbox as a click does (jsdom sends no change event for a
 * click outside a document). */
async function toggle(el: HTMLInputElement) {
  await act(async () => {
    el.checked = !el.checked;
    el.dispatchEvent(new Event("change", { bubbles: true }));
    await tick();
  });
}

/** Picks an option as a user does. */
async function choose(el: HTMLSelectElement, value: string) {
  await act(async () => {
    el.value = value;
    el.dispatchEvent(new Event("change", { bubbles: true }));
    await tick();
  });
}

const KEY = "6a99629e27f6791bf809f6a1fcd1e002d2b4a5d6f8b8bce1146b78966fad41af";

beforeEach(() => {
  calls.length = 0;
  failAdd = null;
  found = [];
  portTaken = false;
  countryKey = null;
  panel = {
    node: { node_id: "6a99629e27f6791b", node_code: "K7M3Q", country: "HN", name: "Aduana Corinto", public_key: KEY, created_at: "", data_dir: "/d", role: "office" },
    peers: [
      {
        name: "NTF Guatemala",
        country: "GT",
        node_role: "office",
        url: "https://10.0.0.2:7443",
        public_key: KEY,
        node_id: "fcb0b845ef332fd6",
        added_at: "2026-11-30T10:00:00Z",
        last_attempt: "2026-11-30T10:05:00Z",
        last_error: { code: "unreachable", detail: "connect", message: "No se pudo contactar con NTF Guatemala: no hay red." },
        failures: 2,
        pending: 4,
        bytes_sent: 2048,
        bytes_received: 0,
        docs_sent: 0,
        docs_received: 0,
        changes_sent: 0,
        changes_received: 0,
        wanted: 0,
      },
    ],
    running: false,
    connection: "offline",
    quarantined: 0,
    interval_secs: 300,
    listener: { on: false, listening: false, port: 7443, urls: [] },
    revocations: [],
  };
});

describe("sync panel", () => {
  it("shows the node's key, each peer's state in words, and the offline badge", async () => {
    const root = document.createElement("div");
    await act(async () => {
      render(<Sync t={t} lang="es" visible={true} onData={() => undefined} />, root);
      await tick();
    });
    await settle();
    expect(root.querySelector("#node-key")?.textContent).toBe("6a99 629e 27f6 791b f809 f6a1 fcd1 e002 d2b4 a5d6 f8b8 bce1 146b 7896 6fad 41af");
    const row = root.querySelector("tr.peer-row[data-peer='NTF Guatemala']");
    expect(row?.querySelector(".peer-pending")?.textContent).toBe("4");
    expect(row?.querySelector(".peer-error")?.textContent).toContain("No se pudo contactar");
    expect(row?.textContent).toContain("Guatemala");
    expect(root.querySelector("#sync-connection")?.getAttribute("data-state")).toBe("offline");
    expect(root.querySelector("#sync-connection")?.textContent).toContain("Sin conexión");
    expect(root.querySelector(".sync-main h2")?.textContent).toBe(t("ui-sync-title"));

    // Sync now: the report says what happened, per peer.
    await act(async () => {
      (root.querySelector("#sync-now") as HTMLButtonElement).click();
      await tick();
    });
    await settle();
    expect(calls.some(([n]) => n === "syncNow")).toBe(true);
    expect(root.querySelector("#sync-reports")?.textContent).toContain("No se pudo contactar con NTF Guatemala");
  });

  it("pairs with spaces removed from the key and shows a refusal in words", async () => {
    const root = document.createElement("div");
    await act(async () => {
      render(<Sync t={t} lang="es" visible={true} onData={() => undefined} />, root);
      await tick();
    });
    await settle();
    await type(root.querySelector("#peer-name") as HTMLInputElement, "NTF Guatemala");
    await type(root.querySelector("#peer-key") as HTMLInputElement, "6a99 629e 27f6 791b");
    failAdd = { code: "invalid_input", message: "«6a99629e27f6791b» no es una clave de nodo", issues: [] };
    await act(async () => {
      (root.querySelector("#peer-form") as HTMLFormElement).dispatchEvent(new Event("submit", { bubbles: true, cancelable: true }));
      await tick();
    });
    await settle();
    const sent = calls.find(([n]) => n === "addPeer")?.[1][0] as { key: string; url?: string; country: string };
    expect(sent.key).toBe("6a99629e27f6791b");
    expect(sent.url).toBeUndefined();
    expect(root.querySelector("#peer-error")?.textContent).toContain("no es una clave de nodo");
  });

  it("revokes a lost laptop of this country, not another country's node, and applies a revocation that waits here", async () => {
    const laptop = { ...panel.peers[0], name: "Portátil Corinto", country: "HN", url: undefined, last_error: undefined };
    panel = {
      ...panel,
      peers: [panel.peers[0], laptop],
      revocations: [
        { public_key: "ab".repeat(32), name: "Portátil Ocotepeque", country: "HN", revoked_by: "Hub Tegucigalpa", revoked_at: "2026-12-06T10:00:00Z", kept: 12, pending: true, by_country_key: false },
        { public_key: "cd".repeat(32), name: "Portátil Guasaule", country: "HN", revoked_by: "Hub Tegucigalpa", revoked_at: "2026-12-05T10:00:00Z", kept: 3, pending: false, by_country_key: true },
      ],
    };
    const root = document.createElement("div");
    await act(async () => {
      render(<Sync t={t} lang="es" visible={true} onData={() => undefined} />, root);
      await tick();
    });
    await settle();
    const confirm = async (peer: string) => {
      const row = root.querySelector(`tr.peer-row[data-peer='${peer}']`) as HTMLElement;
      await act(async () => {
        (row.querySelector(".peer-actions button.link") as HTMLButtonElement).click();
        await tick();
      });
      return row;
    };
    expect((await confirm("NTF Guatemala")).querySelector(".peer-revoke")).toBeNull();
    const row = await confirm("Portátil Corinto");
    await act(async () => {
      (row.querySelector(".peer-revoke") as HTMLButtonElement).click();
      await tick();
    });
    expect(calls).toContainEqual(["revokePeer", ["Portátil Corinto"]]);

    const items = root.querySelectorAll("#revocations li");
    expect(items.length).toBe(2);
    expect(items[0].textContent).toContain("confía en ella directamente");
    expect(items[1].textContent).toContain("siguen valiendo 3 cambios");
    expect(items[1].querySelector(".revocation-apply")).toBeNull();
    expect(items[1].textContent).toContain("revocada por la clave de administración del país (Hub Tegucigalpa)");
    await act(async () => {
      (items[0].querySelector(".revocation-apply") as HTMLButtonElement).click();
      await tick();
    });
    expect(calls).toContainEqual(["revokePeer", ["ab".repeat(32)]]);
  });

  it("imports a bundle by its path and says what it brought", async () => {
    const root = document.createElement("div");
    let changed = 0;
    await act(async () => {
      render(<Sync t={t} lang="es" visible={true} onData={() => changed++} />, root);
      await tick();
    });
    await settle();
    await type(root.querySelector("#bundle-path") as HTMLInputElement, "/media/usb/para-corinto.enlace");
    await act(async () => {
      (root.querySelector("#bundle-form") as HTMLFormElement).dispatchEvent(new Event("submit", { bubbles: true, cancelable: true }));
      await tick();
    });
    await settle();
    expect(calls.find(([n]) => n === "importBundle")?.[1]).toEqual(["/media/usb/para-corinto.enlace"]);
    expect(root.querySelector("#bundle-done")?.textContent).toContain("NTF Guatemala");
    expect(changed).toBe(1);
  });

  it("lists the bundles for this node found on a stick and imports one with a click", async () => {
    found = [
      { path: "/media/ana/USB/para-corinto-2.enlace", peer: "NTF Guatemala", sender_id: "fcb0b845ef332fd6", seq: 2, created: "2026-11-30T09:00:00Z", bytes: 2048, imported: false },
      { path: "/media/ana/USB/para-corinto-1.enlace", peer: "NTF Guatemala", sender_id: "fcb0b845ef332fd6", seq: 1, created: "2026-11-29T09:00:00Z", bytes: 1024, imported: true },
    ];
    const root = document.createElement("div");
    let changed = 0;
    await act(async () => {
      render(<Sync t={t} lang="es" visible={true} onData={() => changed++} />, root);
      await tick();
    });
    await settle();
    const items = root.querySelectorAll("#bundles-found li");
    expect(items.length).toBe(2);
    expect(items[0].textContent).toContain("Paquete 2 de NTF Guatemala");
    expect(items[0].textContent).toContain("2.0 KB");
    expect(items[1].textContent).toContain("Ya importado");
    expect(items[1].querySelector("button")).toBeNull();
    await act(async () => {
      (items[0].querySelector(".bundle-found-import") as HTMLButtonElement).click();
      await tick();
    });
    await settle();
    expect(calls.find(([n]) => n === "importBundle")?.[1]).toEqual(["/media/ana/USB/para-corinto-2.enlace"]);
    expect(changed).toBe(1);
    // It looks again after the import.
    expect(calls.filter(([n]) => n === "findBundles").length).toBe(2);
  });

  it("says where it looked when no bundle is found", async () => {
    const root = document.createElement("div");
    await act(async () => {
      render(<Sync t={t} lang="es" visible={true} onData={() => undefined} />, root);
      await tick();
    });
    await settle();
    expect(root.querySelector("#bundles-none")?.textContent).toContain("memorias USB");
  });

  it("turns the office listener on and shows the addresses to pair with, or why it cannot listen", async () => {
    const root = document.createElement("div");
    await act(async () => {
      render(<Sync t={t} lang="es" visible={true} onData={() => undefined} />, root);
      await tick();
    });
    await settle();
    const box = root.querySelector("#listen-on") as HTMLInputElement;
    expect(box.checked).toBe(false);
    expect(root.querySelector("#listen-state")?.textContent).toContain("No escucha");
    // A port below 1024 is refused, in words, and nothing changes.
    await type(root.querySelector("#listen-port") as HTMLInputElement, "80");
    await toggle(box);
    await settle();
    expect(root.querySelector("#listen-error")?.textContent).toContain("El puerto 80 no sirve");
    expect((root.querySelector("#listen-on") as HTMLInputElement).checked).toBe(false);
    // Port 7600: on, with the machine's addresses.
    await type(root.querySelector("#listen-port") as HTMLInputElement, "7600");
    await toggle(root.querySelector("#listen-on") as HTMLInputElement);
    await settle();
    expect(calls.filter(([n]) => n === "setListener").slice(-1)[0]?.[1]).toEqual([true, 7600]);
    expect((root.querySelector("#listen-on") as HTMLInputElement).checked).toBe(true);
    const urls = [...root.querySelectorAll("#listen-urls li")].map((li) => li.textContent);
    expect(urls).toEqual(["https://192.168.1.20:7600", "https://10.0.0.5:7600"]);
    expect(root.querySelector("#listen-state")?.textContent).toContain("una de estas direcciones");
    expect(root.querySelector("#listen-error")).toBeNull();
    // A port another program holds: the reason, no addresses.
    portTaken = true;
    await type(root.querySelector("#listen-port") as HTMLInputElement, "7443");
    await act(async () => {
      (root.querySelector("#listen-apply") as HTMLButtonElement).click();
      await tick();
    });
    await settle();
    expect(calls.filter(([n]) => n === "setListener").slice(-1)[0]?.[1]).toEqual([true, 7443]);
    expect(root.querySelector("#listen-error")?.textContent).toContain("ya escucha en ese puerto");
    expect(root.querySelector("#listen-urls")).toBeNull();
  });

  it("says how many changes a running round is sending, in the header's badge too", async () => {
    const el = document.createElement("div");
    for (const [pending, words] of [
      [3, "Enviando 3 cambios…"],
      [1, "Enviando 1 cambio…"],
      [0, "Sincronizando"],
    ] as const) {
      await act(async () => {
        render(<ConnectionBadge t={t} connection="online" running={true} pending={pending} id="c" />, el);
      });
      expect(el.textContent).toBe(words);
    }
    await act(async () => {
      render(<ConnectionBadge t={t} connection="online" running={false} pending={5} id="c" />, el);
    });
    expect(el.textContent).toBe("En línea");
  });
});

describe("a role that does not manage peers", () => {
  it("syncs, but is offered no pairing, bundle, removal or revocation", async () => {
    const officer: Session = { id: "o2", name: "José Núñez Ávila", role: "border_officer", permissions: ["see_identities", "see_risk_assessments", "edit_cases"], first: false };
    panel = { ...panel, revocations: [{ name: "Laptop robada", country: "HN", public_key: KEY, revoked_by: "NTF Honduras", revoked_at: "2026-11-30T10:00:00Z", pending: true, kept: 0 }] as never };
    const root = document.createElement("div");
    await act(async () => {
      render(
        <SessionContext.Provider value={officer}>
          <Sync t={t} lang="es" visible={true} onData={() => undefined} />
        </SessionContext.Provider>,
        root,
      );
    });
    await settle();
    expect(root.querySelector("#sync-now")).not.toBeNull();
    expect(root.querySelector("tr.peer-row")).not.toBeNull();
    expect(root.querySelector("#peer-form")).toBeNull();
    expect(root.querySelector("#bundle-form")).toBeNull();
    expect(root.querySelector(".bundle-export")).toBeNull();
    expect(root.querySelector(".peer-actions .link")).toBeNull();
    expect(root.querySelector("#revocations")).not.toBeNull();
    expect(root.querySelector(".revocation-apply")).toBeNull();
    // This node's place is shown, not offered to change.
    expect(root.querySelector("#node-role")?.textContent).toBe("Oficina nacional (fiscalía, policía)");
    expect(root.querySelector("#node-role-change")).toBeNull();
    expect(root.querySelector("#sync-peers-admin-only")?.textContent).toContain("administrador del nodo");
  });
});

describe("places in the country", () => {
  async function open(session: Session | null = null) {
    const root = document.createElement("div");
    await act(async () => {
      render(
        <SessionContext.Provider value={session}>
          <Sync t={t} lang="es" visible={true} onData={() => undefined} />
        </SessionContext.Provider>,
        root,
      );
    });
    await settle();
    return root;
  }
  const post = () => ({ ...panel.peers[0], name: "Puesto Corinto", country: "HN", node_role: "border_post" as const, url: undefined, last_error: undefined });

  it("pairs a node of this country with its place, and one of another country without", async () => {
    const root = await open();
    // Guatemala, not this node's country (Honduras): no place to choose.
    expect((root.querySelector("#peer-country") as HTMLSelectElement).value).toBe("GT");
    expect(root.querySelector("#peer-role")).toBeNull();
    await choose(root.querySelector("#peer-country") as HTMLSelectElement, "HN");
    const role = root.querySelector("#peer-role") as HTMLSelectElement;
    expect(role.value).toBe("office");
    expect([...role.options].map((o) => o.textContent)).toEqual(["Nodo central del país", "Oficina nacional (fiscalía, policía)", "Puesto fronterizo", "ONG o albergue"]);
    expect(root.querySelector("#peer-role-hint")?.textContent).toContain("solo las identidades que registra");
    await choose(role, "border_post");
    await type(root.querySelector("#peer-name") as HTMLInputElement, "Puesto Corinto");
    await type(root.querySelector("#peer-key") as HTMLInputElement, KEY);
    const submit = async () =>
      act(async () => {
        (root.querySelector("#peer-form") as HTMLFormElement).dispatchEvent(new Event("submit", { bubbles: true, cancelable: true }));
        await tick();
      });
    await submit();
    await settle();
    expect(calls.filter(([n]) => n === "addPeer").pop()?.[1][0]).toMatchObject({ name: "Puesto Corinto", country: "HN", node_role: "border_post" });
    // Back to an office once paired.
    expect((root.querySelector("#peer-role") as HTMLSelectElement).value).toBe("office");

    await choose(root.querySelector("#peer-country") as HTMLSelectElement, "GT");
    expect(root.querySelector("#peer-role")).toBeNull();
    await type(root.querySelector("#peer-name") as HTMLInputElement, "NTF Guatemala");
    await type(root.querySelector("#peer-key") as HTMLInputElement, KEY);
    await submit();
    const sent = calls.filter(([n]) => n === "addPeer").pop()?.[1][0] as Record<string, unknown>;
    expect(sent.country).toBe("GT");
    expect(sent.node_role).toBeUndefined();
  });

  it("shows each peer's place in this country, and the administrator changes it", async () => {
    panel = { ...panel, peers: [panel.peers[0], post()] };
    const root = await open();
    const row = root.querySelector("tr.peer-row[data-peer='Puesto Corinto']") as HTMLElement;
    const select = row.querySelector("select.peer-role") as HTMLSelectElement;
    expect(select.value).toBe("border_post");
    expect(select.getAttribute("aria-label")).toBe("Lugar de Puesto Corinto en el país");
    // Another country's node has no place in this one.
    const foreign = root.querySelector("tr.peer-row[data-peer='NTF Guatemala']") as HTMLElement;
    expect(foreign.querySelector(".peer-role, .peer-role-label")).toBeNull();
    await choose(select, "ngo");
    await settle();
    expect(calls).toContainEqual(["setPeerRole", ["Puesto Corinto", "ngo"]]);
    expect(row.querySelector(".peer-role-done")?.textContent).toContain("Puesto Corinto es ahora: ONG o albergue");
  });

  it("a role that does not manage peers sees each place, and changes none", async () => {
    panel = { ...panel, peers: [panel.peers[0], post()] };
    const officer: Session = { id: "o2", name: "José Núñez Ávila", role: "border_officer", permissions: ["see_identities", "see_risk_assessments", "edit_cases"], first: false };
    const root = await open(officer);
    expect(root.querySelector("select.peer-role")).toBeNull();
    expect(root.querySelector("tr.peer-row[data-peer='Puesto Corinto'] .peer-role-label")?.textContent).toBe("Puesto fronterizo");
  });

  it("shows this node's place, and its administrator changes it after reading what that means", async () => {
    const root = await open();
    expect(root.querySelector("#node-role")?.textContent).toBe("Oficina nacional (fiscalía, policía)");
    await act(async () => {
      (root.querySelector("#node-role-change") as HTMLButtonElement).click();
      await tick();
    });
    const dialog = root.querySelector("#node-role-dialog") as HTMLElement;
    expect(dialog.querySelector("h3")?.textContent).toBe("Lugar de este nodo en el país");
    // The same place: nothing to apply.
    expect((dialog.querySelector("#node-role-apply") as HTMLButtonElement).disabled).toBe(true);
    await choose(dialog.querySelector("#node-role-select") as HTMLSelectElement, "border_post");
    expect(dialog.querySelector("#node-role-what")?.textContent).toContain("rechazará las identidades del país que no haya registrado ni se hayan compartido con él");
    const apply = dialog.querySelector("#node-role-apply") as HTMLButtonElement;
    expect(apply.disabled).toBe(false);
    expect(apply.classList.contains("danger")).toBe(true);
    await act(async () => {
      (dialog.querySelector("form") as HTMLFormElement).dispatchEvent(new Event("submit", { bubbles: true, cancelable: true }));
      await tick();
    });
    await settle();
    expect(calls).toContainEqual(["setNodeRole", ["border_post"]]);
    expect(root.querySelector("#node-role-dialog")).toBeNull();
    expect(root.querySelector("#node-role")?.textContent).toBe("Puesto fronterizo");
  });
});

describe("the country administrator key", () => {
  const HUB_KEY = "9f".repeat(32);
  async function open(session: Session | null = null) {
    const root = document.createElement("div");
    await act(async () => {
      render(
        <SessionContext.Provider value={session}>
          <Sync t={t} lang="es" visible={true} onData={() => undefined} />
        </SessionContext.Provider>,
        root,
      );
    });
    await settle();
    return root;
  }
  const click = async (el: Element | null) => {
    await act(async () => {
      (el as HTMLButtonElement).click();
      await tick();
    });
    await settle();
  };
  const submit = async (form: Element | null) => {
    await act(async () => {
      (form as HTMLFormElement).dispatchEvent(new Event("submit", { bubbles: true, cancelable: true }));
      await tick();
    });
    await settle();
  };
  /** This node's own laptop, a node of its country that can be revoked. */
  const laptop = () => ({ ...panel.peers[0], name: "Portátil Corinto", country: "HN", url: undefined, last_error: undefined });
  const officer: Session = { id: "o2", name: "José Núñez Ávila", role: "border_officer", permissions: ["see_identities", "see_risk_assessments", "edit_cases"], first: false };

  it("none trusted: says who may revoke, and the administrator makes it here after confirming", async () => {
    panel = { ...panel, node: { ...panel.node, role: "hub" } };
    const root = await open();
    expect(calls.some(([n]) => n === "countryKey")).toBe(true);
    const block = root.querySelector("#country-key") as HTMLElement;
    expect(block.getAttribute("data-state")).toBe("none");
    expect(block.querySelector("h4")?.textContent).toBe("Clave de administración del país");
    expect(root.querySelector("#country-key-none")?.textContent).toContain("cualquier nodo del país en que confíe directamente puede revocar");
    expect(root.querySelector("#country-key-create")?.textContent).toBe("Crear aquí (nodo central)");
    expect(root.querySelector("#country-key-trust")?.textContent).toBe("Confiar en una clave");

    await click(root.querySelector("#country-key-create"));
    const dialog = root.querySelector("#country-key-create-dialog") as HTMLElement;
    expect(dialog.textContent).toContain("una sola vez, en el nodo central");
    expect(dialog.textContent).toContain("base de datos cifrada de este nodo");
    expect(dialog.textContent).toContain("dé la clave pública a los demás nodos");
    // A hub: no warning about the place.
    expect(dialog.querySelector("#country-key-not-hub")).toBeNull();
    // Cancel makes nothing.
    await click(dialog.querySelector(".dialog-actions .outline"));
    expect(root.querySelector("#country-key-create-dialog")).toBeNull();
    expect(calls.some(([n]) => n === "countryKeyCreate")).toBe(false);

    await click(root.querySelector("#country-key-create"));
    await click(root.querySelector("#country-key-create-confirm"));
    expect(calls.filter(([n]) => n === "countryKeyCreate").length).toBe(1);
    expect(root.querySelector("#country-key-create-dialog")).toBeNull();
    expect(root.querySelector("#country-key")?.getAttribute("data-state")).toBe("held");
    expect(root.querySelector("#country-key-code")?.textContent).toBe("efefefefefefefef");
  });

  it("warns when the key is made on a node that is not the hub", async () => {
    const root = await open();
    await click(root.querySelector("#country-key-create"));
    expect(root.querySelector("#country-key-not-hub")?.textContent).toContain("«Oficina nacional (fiscalía, policía)»");
  });

  it("held here: shows the key, says this node revokes, offers no replacement, and revoking stays", async () => {
    countryKey = { country: "HN", public_key: HUB_KEY, holds_secret: true, added_at: "2026-11-30T10:00:00Z" };
    panel = { ...panel, peers: [panel.peers[0], laptop()] };
    const root = await open();
    expect(root.querySelector("#country-key")?.getAttribute("data-state")).toBe("held");
    const code = root.querySelector("#country-key-code") as HTMLElement;
    expect(code.textContent).toBe(HUB_KEY.slice(0, 16));
    expect(code.getAttribute("title")).toBe(HUB_KEY);
    expect(root.querySelector("#country-key-full")?.textContent?.replace(/\s+/g, "")).toBe(HUB_KEY);
    expect(root.querySelector("#country-key-what")?.textContent).toContain("Este nodo la guarda: es el que revoca los nodos del país");
    expect(root.querySelector("#country-key-since")?.textContent).toMatch(/^desde /);
    expect(root.querySelector("#country-key-replace")).toBeNull();
    expect(root.querySelector("#country-key-create")).toBeNull();
    // Copy gives the whole key.
    const written: string[] = [];
    Object.defineProperty(navigator, "clipboard", { value: { writeText: (s: string) => (written.push(s), Promise.resolve()) }, configurable: true });
    await click(root.querySelector("#country-key-copy"));
    expect(written).toEqual([HUB_KEY]);
    expect(root.querySelector("#country-key-copy")?.textContent).toBe("Copiada");

    const row = root.querySelector("tr.peer-row[data-peer='Portátil Corinto']") as HTMLElement;
    await click(row.querySelector(".peer-actions button.link"));
    expect(row.querySelector(".peer-revoke")).not.toBeNull();
    expect(row.querySelector(".peer-revoke-at-hub")).toBeNull();
  });

  it("trusted, held elsewhere: only its revocations count; revoking is left to the hub, removing stays", async () => {
    countryKey = { country: "HN", public_key: HUB_KEY, holds_secret: false, added_at: "2026-11-30T10:00:00Z" };
    panel = {
      ...panel,
      peers: [panel.peers[0], laptop()],
      revocations: [
        { public_key: "ab".repeat(32), name: "Portátil Ocotepeque", country: "HN", revoked_by: "Hub Tegucigalpa", revoked_at: "2026-12-06T10:00:00Z", kept: 12, pending: true, by_country_key: false },
      ],
    };
    const root = await open();
    expect(root.querySelector("#country-key")?.getAttribute("data-state")).toBe("trusted");
    expect(root.querySelector("#country-key-what")?.textContent).toContain("Solo las revocaciones firmadas con ella cuentan en este nodo");
    expect(root.querySelector("#country-key-replace")).not.toBeNull();

    const row = root.querySelector("tr.peer-row[data-peer='Portátil Corinto']") as HTMLElement;
    await click(row.querySelector(".peer-actions button.link"));
    expect(row.querySelector(".peer-revoke")).toBeNull();
    expect(row.querySelector(".peer-revoke-at-hub")?.textContent).toContain("nodo central");
    expect(row.querySelector(".peer-revoke-at-hub")?.textContent).toContain("«Sí, quitar» deja de confiar aquí en este equipo");
    // Removing still stops trusting the machine here.
    await click(row.querySelector(".confirm button.danger"));
    expect(calls).toContainEqual(["removePeer", ["Portátil Corinto"]]);
    // A revocation waiting here is not applied from this node either.
    expect(root.querySelector(".revocation-apply")).toBeNull();
    expect(root.querySelector("#revocations-at-hub")?.textContent).toContain("se hacen en el nodo central");
    expect(calls.some(([n]) => n === "revokePeer")).toBe(false);
  });

  it("trusts a key typed with spaces, refuses one too short, and shows the server's refusal", async () => {
    const root = await open();
    await click(root.querySelector("#country-key-trust"));
    const dialog = root.querySelector("#country-key-trust-dialog") as HTMLElement;
    expect(dialog.querySelector("h3")?.textContent).toBe("Confiar en la clave de administración del país");
    const input = dialog.querySelector("#country-key-input") as HTMLInputElement;
    const ok = () => dialog.querySelector("#country-key-trust-confirm") as HTMLButtonElement;
    expect(ok().disabled).toBe(true);
    await type(input, "9f9f 9f9f");
    expect(ok().disabled).toBe(true);
    expect(input.getAttribute("aria-invalid")).toBe("true");
    expect(dialog.querySelector("#country-key-input-hint")?.textContent).toContain("no es una clave");
    // The server refuses: its words, the dialog stays.
    await type(input, "00".repeat(32));
    await submit(dialog.querySelector("form"));
    expect(root.querySelector("#country-key-trust-error")?.textContent).toContain("ya confía en una clave");
    // Grouped and in capitals, as read aloud: sent as 64 hex.
    await type(input, groupedKey(HUB_KEY.toUpperCase()));
    expect(ok().disabled).toBe(false);
    await submit(dialog.querySelector("form"));
    expect(calls.filter(([n]) => n === "countryKeyTrust").pop()).toEqual(["countryKeyTrust", [HUB_KEY]]);
    expect(root.querySelector("#country-key-trust-dialog")).toBeNull();
    expect(root.querySelector("#country-key")?.getAttribute("data-state")).toBe("trusted");
    expect(root.querySelector("#country-key-code")?.textContent).toBe(HUB_KEY.slice(0, 16));
  });

  it("replaces a key held elsewhere with the same dialog, saying which it replaces", async () => {
    countryKey = { country: "HN", public_key: HUB_KEY, holds_secret: false, added_at: "2026-11-30T10:00:00Z" };
    const root = await open();
    await click(root.querySelector("#country-key-replace"));
    const dialog = root.querySelector("#country-key-trust-dialog") as HTMLElement;
    expect(dialog.querySelector("h3")?.textContent).toBe("Cambiar la clave de administración del país");
    expect(dialog.querySelector("#country-key-replacing")?.textContent).toContain(HUB_KEY.slice(0, 16));
    // The same key again: nothing to change.
    await type(dialog.querySelector("#country-key-input") as HTMLInputElement, HUB_KEY);
    expect((dialog.querySelector("#country-key-trust-confirm") as HTMLButtonElement).disabled).toBe(true);
    await type(dialog.querySelector("#country-key-input") as HTMLInputElement, "12".repeat(32));
    await submit(dialog.querySelector("form"));
    expect(calls).toContainEqual(["countryKeyTrust", ["12".repeat(32)]]);
    expect(root.querySelector("#country-key-code")?.textContent).toBe("1212121212121212");
  });

  it("a role that does not manage peers sees the key and what it means, and no action", async () => {
    const none = await open(officer);
    expect(none.querySelector("#country-key-none")).not.toBeNull();
    expect(none.querySelector("#country-key-create")).toBeNull();
    expect(none.querySelector("#country-key-trust")).toBeNull();
    countryKey = { country: "HN", public_key: HUB_KEY, holds_secret: false, added_at: "2026-11-30T10:00:00Z" };
    const trusted = await open(officer);
    expect(trusted.querySelector("#country-key-code")?.textContent).toBe(HUB_KEY.slice(0, 16));
    expect(trusted.querySelector("#country-key-what")?.textContent).toContain("Solo las revocaciones firmadas con ella");
    expect(trusted.querySelector("#country-key-replace")).toBeNull();
  });

  it("in English too", async () => {
    countryKey = { country: "HN", public_key: HUB_KEY, holds_secret: true, added_at: "2026-11-30T10:00:00Z" };
    const root = document.createElement("div");
    await act(async () => {
      render(<Sync t={(k, a) => translate("en", k, a)} lang="en" visible={true} onData={() => undefined} />, root);
    });
    await settle();
    expect(root.querySelector("#country-key h4")?.textContent).toBe("Country administrator key");
    expect(root.querySelector("#country-key-what")?.textContent).toContain("This node holds it");
  });
});
