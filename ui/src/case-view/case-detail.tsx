// One case, read: its data, concurrent values to choose from, issues, notes,
// its victims' risk and their referrals to services, who receives its
// identities and the grants of them to other countries (or, on another
// country's case, the identities received under a grant), its requests
// between states and their answers, and its history; the editor when its
// country edits it and the official's role allows it; its printable file
// when the role may export.
import { useLayoutEffect, useRef, useState } from "preact/hooks";
import { api, asIpcError } from "../api";
import type { Case } from "../bindings/Case";
import type { CaseSummary } from "../bindings/CaseSummary";
import type { CaseView } from "../bindings/CaseView";
import type { ItemChange } from "../bindings/ItemChange";
import type { Lang } from "../bindings/Lang";
import { ACTS, MEANS, PURPOSES } from "../bindings/vocabulary";
import { shortTime } from "../format";
import { countryName, labelKey, type T } from "../i18n";
import { ChangeList } from "../changes";
import { HIDDEN_IN_HISTORY, caseFieldLabel, caseValue } from "../case-fields";
import { RouteStrip } from "../route-strip";
import { ConflictBox, Lock } from "../controls";
import { CaseEditor } from "../case-editor/case-editor";
import { useCan } from "../session";
import { ForeignNote } from "./foreign-note";
import { IdentityReachSection } from "./identity-reach";
import { GrantsSection, ReceivedGrants } from "./grants";
import { RiskSection } from "./risk";
import { ReferralsSection } from "./referrals";
import { RequestsSection } from "./requests";
import { CaseFileDialog } from "./case-file";

export function CaseDetail({
  id,
  t,
  lang,
  ownCountry,
  version = 0,
  onChanged,
  onOpen,
}: {
  id: string;
  t: T;
  lang: Lang;
  ownCountry: string;
  /** Bumped when sync brought documents: the case on screen is read again. */
  version?: number;
  onChanged: () => void;
  /** Opens another case in the case view (a linked one). */
  onOpen?: (id: string) => void;
}) {
  const [view, setView] = useState<CaseView | null>(null);
  const [editing, setEditing] = useState(false);
  // A case's history, tagged with the case it belongs to.
  const [historyOf, setHistory] = useState<{ id: string; changes: ItemChange[] }>({ id: "", changes: [] });
  const [error, setError] = useState<string | null>(null);
  // The role may change cases (the core refuses otherwise).
  const mayEdit = useCan("edit_cases");
  // The role may see identities: who else receives them is shown too.
  const maySeeIdentities = useCan("see_identities");
  // The role may grant identities to other countries (and read the grants).
  const mayGrant = useCan("grant");
  // The role may see victims' risk assessments.
  const maySeeRisk = useCan("see_risk_assessments");
  // The role may export: the case file is offered.
  const mayExport = useCan("export");
  const [printing, setPrinting] = useState(false);

  // The case first, its history after: the case is on screen without
  // waiting for the history to be read. Switching cases keeps the previous
  // one on screen until the next arrives (no placeholder to paint between),
  // and answers for a case no longer selected are dropped.
  const wanted = useRef(id);
  wanted.current = id;
  const load = () => {
    const mine = id;
    api
      .getCase(mine)
      .then((v) => {
        if (wanted.current !== mine) return;
        setView(v);
        setError(null);
        setEditing((e) => e && v.case.id === view?.case.id);
        return api.caseChanges(mine).then(
          (h) => wanted.current === mine && setHistory({ id: v.case.id, changes: h }),
          () => setHistory({ id: v.case.id, changes: [] }),
        );
      })
      .catch((e) => wanted.current === mine && setError(asIpcError(e).message));
  };
  // Asked for as soon as the id changes (a layout effect), not after the
  // next paint: opening a case waits for one IPC call, not a frame too.
  useLayoutEffect(load, [id, version]);
  const renumber = () =>
    api
      .renumberCase(id)
      .then(() => {
        load();
        onChanged();
      })
      .catch((e) => setError(asIpcError(e).message));
  const choose = (field: string, value: unknown) =>
    api
      .chooseCaseValue(id, field, value)
      .then(load)
      .catch((e) => setError(asIpcError(e).message));

  if (error)
    return (
      <p class="form-error" role="alert">
        {error}
      </p>
    );
  if (!view) return <p class="muted">{t("ui-loading")}</p>;
  if (editing)
    return (
      <CaseEditor
        t={t}
        lang={lang}
        view={view}
        ownCountry={ownCountry}
        onSaved={onChanged}
        onClose={() => {
          setEditing(false);
          load();
          onChanged();
        }}
      />
    );
  const c = view.case;
  const editable = view.editable && mayEdit;
  const outgoing = view.linked.filter((l) => !l.incoming);
  const incoming = view.linked.filter((l) => l.incoming);
  const idFor = (pseudonym: string) => view.identities.find((i) => i.pseudonym === pseudonym);

  return (
    <article class="case-view" id="case-view" data-case-id={c.id}>
      <header class="case-head">
        <div class="case-ref">
          {c.reference}
          {c.demo && <span class="badge demo">{t("field-demo")}</span>}
          {!editable && <span class="badge ro">{t("ui-read-only")}</span>}
          {editable && (
            <button type="button" id="case-edit" class="edit-btn" accesskey="e" onClick={() => setEditing(true)}>
              {t("ui-case-edit-button")}
            </button>
          )}
          {mayExport && (
            <button type="button" id="case-file" data-testid="case-file" class="outline small-btn case-file-btn" onClick={() => setPrinting(true)}>
              {t("ui-case-file-button")}
            </button>
          )}
        </div>
        <h2 id="case-title">{c.title}</h2>
        <div class="case-badges">
          <span class={`badge cls-${c.classification}`}>{t(labelKey("classification", c.classification))}</span>
          <span class="badge status">{t(labelKey("status", c.status))}</span>
          <span class="badge">{t(labelKey("audience", c.audience.scope))}</span>
          <span class="muted">
            {t("field-opened")}: {c.opened} · {t("field-owner")}: {countryName(lang, c.owner.country)}
          </span>
        </div>
      </header>

      {(c.former_references ?? []).length > 0 && (
        <p class="small muted" id="case-former-refs">
          {t("ui-case-former-refs")}: <span class="mono">{(c.former_references ?? []).join(", ")}</span>
        </p>
      )}

      {view.shares_reference.length > 0 && (
        <section class="conflict-box" id="case-shared-ref" role="group" aria-label={t("ui-case-shared-ref", { reference: c.reference })}>
          <p>
            <strong>{t("ui-case-shared-ref", { reference: c.reference })}</strong>
          </p>
          <ul class="plain">
            {view.shares_reference.map((o) => (
              <li key={o.id}>
                {o.title} <span class="muted">({countryName(lang, o.owner_country)})</span>
              </li>
            ))}
          </ul>
          <p class="small muted">{t(view.editable ? "ui-case-shared-ref-hint" : "ui-case-shared-ref-owner")}</p>
          {editable && (
            <button type="button" id="case-renumber" class="small-btn" onClick={renumber}>
              {t("ui-case-renumber")}
            </button>
          )}
        </section>
      )}

      {view.conflicts.map((c) => (
        <ConflictBox key={c.field} id={`conflict-${c.field}`} t={t} label={caseFieldLabel(t, c.field)} values={c.values} show={(v) => caseValue(t, lang, c.field, v)} onChoose={mayEdit ? (v) => choose(c.field, v) : undefined} />
      ))}

      {view.issues.length > 0 && (
        <section class="issues" aria-label={t("ui-issues")}>
          <h3>{t("ui-issues")}</h3>
          <ul>
            {view.issues.map((i) => (
              <li class={`issue ${i.severity}`} key={i.path + i.code}>
                {t(i.code, Object.fromEntries([...i.args, ["path", i.path]]))}
              </li>
            ))}
          </ul>
        </section>
      )}

      {c.summary && (
        <section>
          <h3>{t("field-summary")}</h3>
          <p class="summary">{c.summary}</p>
        </section>
      )}

      <section>
        <h3>{t("field-route")}</h3>
        {c.route.length === 0 ? <p class="muted">{t("ui-no-route")}</p> : <RouteStrip stops={c.route} t={t} lang={lang} />}
      </section>

      <section>
        <h3>{t("field-persons")}</h3>
        <table class="grid">
          <tbody>
            {c.persons.map((p) => {
              const ident = idFor(p.pseudonym);
              return (
                <tr key={p.pseudonym}>
                  <td class="mono">{p.pseudonym}</td>
                  <td>
                    {t(labelKey("person-role", p.role))}
                    {(p.process_roles ?? []).length > 0 && (
                      <div class="small muted process-roles" title={t("ui-case-process-roles")}>
                        {(p.process_roles ?? []).map((r) => t(labelKey("perpetrator-role", r))).join(", ")}
                      </div>
                    )}
                  </td>
                  <td>{t(labelKey("gender", p.gender))}</td>
                  <td>{p.age_band ? t(labelKey("age", p.age_band)) : "—"}</td>
                  <td>{p.nationality ? countryName(lang, p.nationality) : "—"}</td>
                  <td>
                    {ident && (
                      <span class="identity" title={t("ui-national-only", { country: countryName(lang, c.owner.country) })}>
                        <Lock /> {ident.full_name}
                      </span>
                    )}
                    {!ident && view.identities_withheld.includes(p.pseudonym) && (
                      <span class="identity-withheld-mark" title={t("ui-identity-withheld")}>
                        <Lock /> {t("ui-identity-withheld-short")}
                      </span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {view.identities.length > 0 && (
          <p class="national-only">
            <Lock /> {t("ui-national-only", { country: countryName(lang, c.owner.country) })}
          </p>
        )}
        {view.identities_withheld.length > 0 && (
          <ul class="plain identity-withheld" id="identity-withheld" role="note">
            {view.identities_withheld.map((p) => (
              <li key={p} data-pseudonym={p}>
                <Lock /> <strong class="mono">{p}</strong>: {t("ui-identity-withheld")}
              </li>
            ))}
          </ul>
        )}
        {mayGrant && c.owner.country !== ownCountry && (view.identities.length > 0 || view.identities_withheld.length > 0) && (
          <ReceivedGrants key={c.id} t={t} lang={lang} caseId={c.id} persons={c.persons} ownCountry={ownCountry} version={version} />
        )}
      </section>

      {maySeeRisk && <RiskSection key={c.id} t={t} caseId={c.id} editable={editable} version={version} onChanged={onChanged} />}

      {maySeeRisk && (
        <ReferralsSection
          key={c.id}
          t={t}
          lang={lang}
          caseId={c.id}
          victims={c.persons.filter((p) => p.role === "victim").map((p) => p.pseudonym)}
          editable={editable}
          version={version}
        />
      )}

      {maySeeIdentities && c.owner.country === ownCountry && c.persons.some((p) => p.person_ref) && (
        <IdentityReachSection key={c.id} t={t} caseId={c.id} version={version} />
      )}

      {maySeeIdentities && mayGrant && c.owner.country === ownCountry && view.identities.length > 0 && (
        <GrantsSection
          key={c.id}
          t={t}
          lang={lang}
          persons={c.persons}
          held={view.identities.map((i) => i.pseudonym)}
          caseId={c.id}
          ownCountry={ownCountry}
          version={version}
        />
      )}

      <section class="elements">
        <h3>Art. 3</h3>
        <div class="element-grid">
          <Elements title={t("field-acts")} all={ACTS} chosen={c.acts} prefix="act" t={t} />
          <Elements title={t("field-means")} all={MEANS} chosen={c.means} prefix="means" t={t} />
          <Elements title={t("field-purposes")} all={PURPOSES} chosen={c.purposes} prefix="purpose" t={t} />
        </div>
        <p class="muted">
          {t("field-child")}: <strong>{t(c.child_involved || c.persons.some((p) => p.role === "victim" && (p.minor_at_exploitation || p.age_band === "0-8" || p.age_band === "9-17")) ? "yes" : "no")}</strong>
        </p>
      </section>

      <StandardFacts c={c} t={t} />

      {c.indicators.length > 0 && (
        <section>
          <h3>{t("field-indicators")}</h3>
          <ul class="plain">
            {c.indicators.map((i, n) => (
              <li key={n}>
                <span class="badge">{t(labelKey("indicator", i.kind))}</span> {i.description}
                <span class="muted"> {[i.date, i.source].filter(Boolean).join(" · ")}</span>
              </li>
            ))}
          </ul>
        </section>
      )}

      {c.information.length > 0 && (
        <section>
          <h3>{t("field-information")}</h3>
          <ul class="plain">
            {c.information.map((i, n) => (
              <li key={n}>
                <span class="grade" title={`${t(labelKey("reliability", i.reliability))} / ${t(labelKey("credibility", i.credibility))}`}>
                  {i.reliability}
                  {i.credibility}
                </span>
                <span class="badge" title={t(labelKey("handling", i.handling))}>
                  {i.handling}
                </span>{" "}
                {i.text} <span class="muted">— {i.source_agency}</span>
                {i.handling !== "H0" && (
                  <div class={`handling-restriction handling-${i.handling}`} data-handling={i.handling}>
                    ⚠ {t(labelKey("handling", i.handling))}
                    {i.handling_note && <span>: {i.handling_note}</span>}
                  </div>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}

      {view.linked.length > 0 && (
        <section>
          <h3>{t("field-links")}</h3>
          {outgoing.length > 0 && (
            <ul class="plain" id="case-links">
              {outgoing.map((l) => (
                <li key={`${l.reference} ${l.relation}`} data-reference={l.reference}>
                  <span class="mono">{l.reference}</span> — {t(labelKey("link", l.relation))}
                  {l.note && <span class="muted"> · {l.note}</span>}
                  {" · "}
                  {l.case ? (
                    <LinkedTitle c={l.case} onOpen={onOpen} />
                  ) : (
                    <span class="muted link-not-held">{t("ui-case-link-not-held")}</span>
                  )}
                </li>
              ))}
            </ul>
          )}
          {incoming.length > 0 && <h4>{t("ui-case-linked-from")}</h4>}
          {incoming.length > 0 && (
            <ul class="plain" id="case-linked-from">
              {incoming.map((l) => (
                <li key={`${l.reference} ${l.relation}`} data-reference={l.reference}>
                  <span class="mono">{l.reference}</span>
                  {l.case && (
                    <>
                      {" "}
                      <LinkedTitle c={l.case} onOpen={onOpen} />
                    </>
                  )}{" "}
                  — {t(labelKey("link", l.relation))}
                  {l.note && <span class="muted"> · {l.note}</span>}
                </li>
              ))}
            </ul>
          )}
        </section>
      )}

      {c.requests.length > 0 && (
        <RequestsSection
          key={c.id}
          t={t}
          lang={lang}
          caseId={c.id}
          mayAnswer={mayEdit}
          version={version}
          onChanged={() => {
            load();
            onChanged();
          }}
        />
      )}

      {(c.notes.length > 0 || !view.editable) && (
        <section>
          <h3>{t("field-notes")}</h3>
          <ul class="plain notes">
            {c.notes.map((note, n) => (
              <li key={n}>
                <span class="muted">
                  {shortTime(note.at)} · {note.author}
                </span>
                <div>{note.text}</div>
              </li>
            ))}
          </ul>
          {!view.editable && mayEdit && <ForeignNote t={t} caseId={c.id} country={countryName(lang, c.owner.country)} onAdded={load} />}
        </section>
      )}

      {printing && <CaseFileDialog t={t} lang={lang} caseId={c.id} reference={c.reference} onClose={() => setPrinting(false)} />}

      <section id="history">
        <h3>{t("ui-history")}</h3>
        <ChangeList t={t} id="case-changes" changes={historyOf.id === c.id ? historyOf.changes : []} label={(f) => caseFieldLabel(t, f)} show={(f, v) => caseValue(t, lang, f, v)} hide={(f) => HIDDEN_IN_HISTORY.has(f)} />
      </section>
    </article>
  );
}

function Elements<V extends string>({ title, all, chosen, prefix, t }: { title: string; all: readonly V[]; chosen: V[]; prefix: string; t: T }) {
  return (
    <div class="element-col">
      <h4>{title}</h4>
      <ul class="chips">
        {all.map((v) => (
          <li key={v} class={chosen.includes(v) ? "chip on" : "chip"} aria-checked={chosen.includes(v)} role="checkbox">
            {chosen.includes(v) ? "✓ " : ""}
            {t(labelKey(prefix, v))}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The standards' fields recorded (CTDC/HTCDS, the Smuggling Protocol's elements), in words; nothing when none is. */
function StandardFacts({ c, t }: { c: Case; t: T }) {
  const st = c.standard;
  const words = (prefix: string, values: readonly string[] | undefined) => (values ?? []).map((v) => t(labelKey(prefix, v))).join(", ");
  const smuggling = c.classification === "smuggling" || c.classification === "both";
  const elements = st.smuggling;
  const rows: [string, string, string][] = [];
  if ((st.means_of_control ?? []).length > 0) rows.push(["means-of-control", t("ui-case-means-of-control"), words("control", st.means_of_control)]);
  if ((st.sexual_exploitation ?? []).length > 0) rows.push(["sexual-exploitation", t("ui-case-sexual-exploitation"), words("sex-exploitation", st.sexual_exploitation)]);
  if (st.labour_sector) rows.push(["labour", t("ui-case-labour-sector"), t(labelKey("labour", st.labour_sector))]);
  if (st.recruiter_relation) rows.push(["recruiter", t("ui-case-recruiter"), t(labelKey("recruiter", st.recruiter_relation))]);
  if (st.data_source) rows.push(["datasource", t("ui-case-data-source"), t(labelKey("datasource", st.data_source))]);
  const by = st.trafficking_status_by?.trim();
  if (st.trafficking_status || by)
    rows.push([
      "trafficking-status",
      t("ui-case-trafficking-status"),
      [st.trafficking_status ? t(labelKey("trafficking-status", st.trafficking_status)) : "—", by ? t("ui-case-decided-by", { org: by }) : ""].filter(Boolean).join(" · "),
    ]);
  if (elements && (smuggling || elements.material_benefit || elements.illegal_entry))
    rows.push([
      "smuggling",
      t("ui-case-smuggling-elements"),
      `${t("ui-case-smuggling-benefit")}: ${t(elements.material_benefit ? "yes" : "no")} · ${t("ui-case-smuggling-entry")}: ${t(elements.illegal_entry ? "yes" : "no")}`,
    ]);
  if (rows.length === 0) return null;
  return (
    <section id="case-standard">
      <h3>{t("field-standard")}</h3>
      <dl class="facts">
        {rows.map(([k, label, value]) => (
          <div key={k} data-field={k}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

/** Another case's title, opening it when the view can. */
function LinkedTitle({ c, onOpen }: { c: CaseSummary; onOpen?: (id: string) => void }) {
  return onOpen ? (
    <button type="button" class="link linked-case" data-case-id={c.id} onClick={() => onOpen(c.id)}>
      {c.title}
    </button>
  ) : (
    <span>{c.title}</span>
  );
}
