// Loads a record's workflow view (state, transitions open to me, tasks, history) when its object has a workflow.
import { useEffect, useState } from "react";
import { services, type WorkflowView } from "../../api/record-services";
import type { ObjectDescribe, RecordValues } from "../../api/types";

/** null while loading, when the object has no workflow, or when the record is new; refetched when the record's version changes. */
export function useWorkflow(describe: ObjectDescribe, record: RecordValues | null): WorkflowView | null {
  const [view, setView] = useState<WorkflowView | null>(null);
  const id = record?.id ? String(record.id) : null;
  const enabled = describe.options?.workflow === true && id !== null;
  useEffect(() => {
    if (!enabled || !id) {
      setView(null);
      return;
    }
    let cancelled = false;
    services.workflow(describe.name, id).then(
      (loaded) => !cancelled && setView(loaded),
      // 404: the object turns workflows on but no workflow document is applied, or the record went away: nothing to show.
      () => !cancelled && setView(null),
    );
    return () => {
      cancelled = true;
    };
  }, [describe.name, enabled, id, record?.version]);
  return view;
}
