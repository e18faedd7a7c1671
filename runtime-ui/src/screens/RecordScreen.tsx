// The detail / form screen of any record: layout sections on the grid, lines, actions, related tabs and history.
import { useCallback, useEffect, useMemo, useState } from "react";
import { Alert, App, Button, Card, Form, Tabs, Typography } from "antd";
import { ArrowLeftOutlined, ReloadOutlined } from "@ant-design/icons";
import { api, ApiError } from "../api/client";
import { useMetadata } from "../api/metadata-store";
import type { ObjectDescribe, RecordValues } from "../api/types";
import { LinesTable } from "../fields/LinesTable";
import { displayFieldOf, screenFields } from "../layout/fields";
import type { ObjectLayout } from "../layout/layout-types";
import { useI18n } from "../i18n/locale";
import { navigate, paths } from "../routing/router";
import { pageSpinner } from "../App";
import { FieldGrid } from "./FieldGrid";
import { HistoryTab } from "./HistoryTab";
import { RelatedList } from "./RelatedList";
import { RecordActions } from "./record/RecordActions";
import { useWorkflow } from "./record/use-workflow";
import { WorkflowTab } from "./record/WorkflowTab";
import { RecordOverviewTab } from "./customer360/RecordOverviewTab";
import { ScreenError } from "./ScreenError";
import { initialValues, placeErrors, saveBody, type PlacedErrors } from "./record-form";
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

function RecordForm({ describe, layout, id }: { describe: ObjectDescribe; layout: ObjectLayout; id: string | null }) {
  const { t, text } = useI18n();
  const { objectByName } = useMetadata();
  const { message } = App.useApp();
  const [form] = Form.useForm<RecordValues>();
  const { loaded, reload, setLoaded } = useRecord(describe, id);
  const [errors, setErrors] = useState<PlacedErrors>(NO_ERRORS);
  const [conflict, setConflict] = useState(false);
  const [saving, setSaving] = useState(false);
  const state = loaded instanceof Error || loaded === null ? null : loaded;
  const fields = useMemo(() => screenFields(describe, state?.writable ?? false), [describe, state?.writable]);
  const workflow = useWorkflow(describe, state?.record ?? null);

  useEffect(() => {
    if (!state) return;
    form.resetFields();
    form.setFieldsValue(state.record ?? initialValues(fields));
    setConflict(false);
    setErrors(NO_ERRORS);
  }, [state, form, fields]);

  if (loaded instanceof Error) return <ScreenError error={loaded} />;
  if (!state) return pageSpinner;

  async function save() {
    if (!state) return;
    const values = { ...form.getFieldsValue(true) } as RecordValues;
    const body = saveBody({ fields, values, original: state.record });
    setSaving(true);
    setErrors(NO_ERRORS);
    form.setFields([...fields.keys()].map((name) => ({ name, errors: [] })));
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
        const placed = placeErrors(caught.details, fields, text);
        form.setFields([...placed.fields].map(([name, messages]) => ({ name, errors: messages })));
        setErrors({ ...placed, general: placed.general.length || placed.fields.size || placed.lines.size ? placed.general : [text(caught.messages)] });
        if (placed.fields.size || placed.lines.size) message.error(t("fixErrors"));
      } else {
        setErrors({ ...NO_ERRORS, general: [t("networkError")] });
      }
    } finally {
      setSaving(false);
    }
  }

  // A record in a locked workflow state (待审批) answers 423 to edits: show it read-only with the reason.
  const editable = state.writable && !workflow?.locked;
  const titleValue = state.record?.[displayFieldOf(describe)];
  const title = state.record ? String(titleValue ?? "") || text(describe.label) : `${t("newRecord")} ${text(describe.label)}`;
  const sections = layout.detail.sections.map((section) => {
    if (section.kind === "lines") {
      const field = fields.get(section.field);
      if (!field) return null;
      return (
        <Card key={section.name} size="small" title={text(section.label ?? field.definition.label)} style={{ marginBottom: 12 }}>
          <Form.Item name={section.field} noStyle>
            <LinesTable definition={field.definition} columns={section.columns} disabled={field.readOnly} errors={errors.lines.get(section.field) ?? new Map()} />
          </Form.Item>
        </Card>
      );
    }
    if (!section.fields.some((placement) => fields.has(placement.field))) return null;
    return (
      <Card key={section.name} size="small" title={section.label ? text(section.label) : undefined} style={{ marginBottom: 12 }}>
        <FieldGrid placements={section.fields} fields={fields} creating={!state.record} />
      </Card>
    );
  });

  const details = (
    <Form form={form} layout="vertical" onFinish={save} disabled={!editable} requiredMark>
      {!state.writable && state.record && <Alert type="info" showIcon title={t("readOnlyNotice")} description={state.readOnlyReason} style={{ marginBottom: 12 }} />}
      {state.writable && workflow?.locked && <Alert type="warning" showIcon title={t("lockedNotice")} style={{ marginBottom: 12 }} />}
      {conflict && (
        <Alert
          type="warning"
          showIcon
          title={t("conflictTitle")}
          description={t("conflictBody")}
          action={
            <Button icon={<ReloadOutlined />} onClick={reload} disabled={false}>
              {t("reload")}
            </Button>
          }
          style={{ marginBottom: 12 }}
        />
      )}
      {errors.general.map((error) => (
        <Alert key={error} type="error" showIcon title={error} style={{ marginBottom: 12 }} />
      ))}
      {sections}
      {editable && (
        <Button type="primary" htmlType="submit" loading={saving}>
          {t("save")}
        </Button>
      )}
    </Form>
  );

  const tabs = state.record?.id
    ? [
        { key: "details", label: t("details"), children: details },
        ...(describe.name === "customer" ? [{ key: "overview", label: t("customerOverview"), children: <RecordOverviewTab object={describe.name} id={String(state.record.id)} /> }] : []),
        ...(layout.detail.related ?? []).flatMap((tab) => {
          const relation = describe.relations.find((candidate) => candidate.name === tab.relation);
          const target = relation && objectByName.get(relation.object);
          if (!relation || !target) return [];
          return [
            {
              key: `related:${tab.relation}`,
              label: text(tab.label ?? target.pluralLabel ?? target.label),
              children: <RelatedList object={describe.name} id={String(state.record!.id)} relation={tab.relation} target={relation.object} columns={tab.columns} />,
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
