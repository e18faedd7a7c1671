// The detail / form screen of any record: the @rjsf form generated from metadata (sections on the grid, lines),
// actions, related tabs and history.
import { useCallback, useEffect, useMemo, useState } from "react";
import { Alert, App, Button, Tabs, Typography } from "antd";
import { ArrowLeftOutlined, ReloadOutlined } from "@ant-design/icons";
import { api, ApiError } from "../api/client";
import { useMetadata } from "../api/metadata-store";
import type { ErrorDetail, LocalizedText, ObjectDescribe, RecordValues } from "../api/types";
import type { RJSFValidationError } from "@rjsf/utils";
import { detailLayoutFor } from "../layout/default-layout";
import { displayFieldOf, screenFields } from "../layout/fields";
import type { ObjectLayout } from "../layout/layout-types";
import { useI18n } from "../i18n/locale";
import { navigate, paths } from "../routing/router";
import { pageSpinner } from "../App";
import { HistoryTab } from "./HistoryTab";
import { RelatedList } from "./RelatedList";
import { RecordActions } from "./record/RecordActions";
import { useWorkflow } from "./record/use-workflow";
import { WorkflowTab } from "./record/WorkflowTab";
import { RecordOverviewTab } from "./customer360/RecordOverviewTab";
import { ScreenError } from "./ScreenError";
import { initialValues, placeErrors, prefilledValues, saveBody, type PlacedErrors } from "./record-form";
import { buildRecordForm } from "../forms/record-form-schema";
import { extraErrorsOf, localizeErrors } from "../forms/record-form-errors";
import RecordSchemaForm from "../forms/RecordSchemaForm";
import { useDescribe } from "./use-describe";

interface Loaded {
  record: RecordValues | null;
  /** Whether the user may write this record (create rights for a new one, the record's edit scope otherwise). */
  writable: boolean;
  readOnlyReason?: string;
}

const NO_ERRORS: PlacedErrors = { fields: new Map(), lines: new Map(), general: [] };

function useRecord(describe: ObjectDescribe | null, id: string | null) {
  const { text } = useI18n();
  const [loaded, setLoaded] = useState<Loaded | Error | null>(null);
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  useEffect(() => {
    if (!describe) return;
    if (!id) {
      setLoaded({ record: null, writable: describe.access.actions.includes("create") });
      return;
    }
    let cancelled = false;
    setLoaded(null);
    Promise.all([api.get(describe.name, id), api.access(describe.name, id)]).then(
      ([record, access]) => {
        if (cancelled) return;
        const writable = describe.access.actions.includes("edit") && access.edit.allowed;
        setLoaded({ record, writable, readOnlyReason: writable ? undefined : text(access.edit.reason) });
      },
      (error: Error) => !cancelled && setLoaded(error),
    );
    return () => {
      cancelled = true;
    };
    // text changes with the language; the reason is re-read on the next load, not by refetching now.
  }, [describe, id, generation]);
  return { loaded, reload, setLoaded };
}

/** Why the last save failed: the server's answer (placed again on each render, so a language switch rewords it) or no answer. */
type SaveFailure = { details: ErrorDetail[]; message: LocalizedText } | "network" | null;

/** The values being edited, reset to the record whenever it is (re)loaded or saved. */
interface Draft {
  source: Loaded | null;
  values: RecordValues;
}

function RecordForm({ describe, layout, id }: { describe: ObjectDescribe; layout: ObjectLayout; id: string | null }) {
  const { t, text } = useI18n();
  const { objectByName } = useMetadata();
  const { message } = App.useApp();
  const { loaded, reload, setLoaded } = useRecord(describe, id);
  const [draft, setDraft] = useState<Draft>({ source: null, values: {} });
  const [failure, setFailure] = useState<SaveFailure>(null);
  const [conflict, setConflict] = useState(false);
  const [saving, setSaving] = useState(false);
  const state = loaded instanceof Error || loaded === null ? null : loaded;
  const fields = useMemo(() => screenFields(describe, state?.writable ?? false), [describe, state?.writable]);
  const workflow = useWorkflow(describe, state?.record ?? null);
  const creating = !state?.record;
  // A record type with its own template (线索: 客户线索 / 商机线索) is laid out by it; a new record switches as its type is chosen.
  const detail = detailLayoutFor(layout, draft.values);
  const form = useMemo(() => buildRecordForm({ describe, sections: detail.sections, fields, creating, text }), [describe, detail, fields, creating, text]);
  const placed = useMemo(() => (failure && failure !== "network" ? placeErrors(failure.details, fields, text) : NO_ERRORS), [failure, fields, text]);
  const extraErrors = useMemo(() => extraErrorsOf(placed), [placed]);

  // Adjusting state while rendering (React's documented pattern) keeps a stale draft from ever being shown.
  if (state && draft.source !== state) {
    setDraft({ source: state, values: state.record ?? { ...initialValues(fields), ...prefilledValues(window.location.search, fields) } });
    setConflict(false);
    setFailure(null);
  }

  if (loaded instanceof Error) return <ScreenError error={loaded} />;
  if (!state || draft.source !== state) return pageSpinner;

  const values = draft.values;
  const transformErrors = (errors: RJSFValidationError[]) => localizeErrors(errors, { fields, values, original: state.record, t, text });

  async function save(submitted: RecordValues) {
    if (!state) return;
    const body = saveBody({ fields, values: submitted, original: state.record });
    setSaving(true);
    setFailure(null);
    try {
      if (state.record?.id) {
        const record = await api.update(describe.name, String(state.record.id), body);
        setLoaded({ ...state, record: { ...state.record, ...record } });
        message.success(t("saved"));
      } else {
        const record = await api.create(describe.name, body);
        message.success(t("saved"));
        navigate(paths.record(describe.name, String(record.id)), { replace: true });
      }
    } catch (caught) {
      if (caught instanceof ApiError && caught.status === 409) {
        setConflict(true);
      } else if (caught instanceof ApiError) {
        setFailure({ details: caught.details, message: caught.messages });
        const shown = placeErrors(caught.details, fields, text);
        if (shown.fields.size || shown.lines.size) message.error(t("fixErrors"));
      } else {
        setFailure("network");
      }
    } finally {
      setSaving(false);
    }
  }

  const generalErrors =
    failure === "network" ? [t("networkError")] : failure && !placed.general.length && !placed.fields.size && !placed.lines.size ? [text(failure.message)] : placed.general;
  // A record in a locked workflow state (待审批) answers 423 to edits: show it read-only with the reason.
  const editable = state.writable && !workflow?.locked;
  const titleValue = state.record?.[displayFieldOf(describe)];
  const title = state.record ? String(titleValue ?? "") || text(describe.label) : `${t("newRecord")} ${text(describe.label)}`;

  const details = (
    <div>
      {!state.writable && state.record && <Alert type="info" showIcon title={t("readOnlyNotice")} description={state.readOnlyReason} style={{ marginBottom: 12 }} />}
      {state.writable && workflow?.locked && <Alert type="warning" showIcon title={t("lockedNotice")} style={{ marginBottom: 12 }} />}
      {conflict && (
        <Alert
          type="warning"
          showIcon
          title={t("conflictTitle")}
          description={t("conflictBody")}
          action={
            <Button icon={<ReloadOutlined />} onClick={reload}>
              {t("reload")}
            </Button>
          }
          style={{ marginBottom: 12 }}
        />
      )}
      {generalErrors.map((error) => (
        <Alert key={error} type="error" showIcon title={error} style={{ marginBottom: 12 }} />
      ))}
      <RecordSchemaForm
        form={form}
        values={values}
        onChange={(next) => setDraft((current) => ({ ...current, values: next }))}
        onSubmit={save}
        onInvalid={() => message.error(t("fixErrors"))}
        transformErrors={transformErrors}
        extraErrors={extraErrors}
        disabled={!editable}
      >
        {editable && (
          <Button type="primary" htmlType="submit" loading={saving}>
            {t("save")}
          </Button>
        )}
      </RecordSchemaForm>
    </div>
  );

  const tabs = state.record?.id
    ? [
        { key: "details", label: t("details"), children: details },
        ...(describe.name === "customer" ? [{ key: "overview", label: t("customerOverview"), children: <RecordOverviewTab object={describe.name} id={String(state.record.id)} /> }] : []),
        ...(detail.related ?? []).flatMap((tab) => {
          const relation = describe.relations.find((candidate) => candidate.name === tab.relation);
          const target = relation && objectByName.get(relation.object);
          if (!relation || !target) return [];
          return [
            {
              key: `related:${tab.relation}`,
              label: text(tab.label ?? target.pluralLabel ?? target.label),
              children: (
                <RelatedList
                  object={describe.name}
                  id={String(state.record!.id)}
                  relation={tab.relation}
                  target={relation.object}
                  lookupField={relation.kind === "lookup" ? relation.column : undefined}
                  columns={tab.columns}
                />
              ),
            },
          ];
        }),
        ...(workflow ? [{ key: "workflow", label: t("workflowTab"), children: <WorkflowTab describe={describe} record={state.record} workflow={workflow} /> }] : []),
        { key: "history", label: t("history"), children: <HistoryTab object={describe.name} id={String(state.record.id)} fields={fields} refreshKey={state.record.version} /> },
      ]
    : null;

  return (
    <div>
      <div className="screen-toolbar">
        <Button icon={<ArrowLeftOutlined />} aria-label={t("back")} onClick={() => navigate(paths.list(describe.name))} />
        <Typography.Title level={4} style={{ margin: 0 }} className="grow" ellipsis>
          {title}
        </Typography.Title>
        {state.record?.id && <RecordActions describe={describe} layout={layout} record={state.record} writable={state.writable} workflow={workflow} onChanged={reload} />}
      </div>
      {tabs ? <Tabs items={tabs} destroyOnHidden /> : details}
    </div>
  );
}

export default function RecordScreen({ object, id }: { object: string; id: string | null }) {
  const state = useDescribe(object);
  if (state.status === "loading") return pageSpinner;
  if (state.status === "failed") return <ScreenError error={state.error} />;
  return <RecordForm describe={state.describe} layout={state.layout} id={id} />;
}
